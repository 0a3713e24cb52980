/*
 * mem.h: handing the boot memory map to the frame allocator.
 */
#ifndef MEM_H
#define MEM_H

#include <shared/bootinfo.h>

/* Free memory (less what the kernel still needs from the boot) to pmm. */
void mem_init(const struct bootinfo *bi);
/* After vm_init: the share counts of every frame (mm/pageref.h). */
void mem_init_pagerefs(void);
/* After vm_init: the loader's page tables are garbage now; reclaim them. */
void mem_reclaim_loader_tables(const struct bootinfo *bi);
/* Print free and total memory. */
void mem_print(void);

#endif
