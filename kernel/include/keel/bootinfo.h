/*
 * bootinfo.h (kernel): checking the loader's boot-info block.
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <shared/bootinfo.h>

/* 0 when bi can be trusted, else why not.  Pure: host tested and fuzzed. */
const char *bootinfo_check(const struct bootinfo *bi);

#endif
