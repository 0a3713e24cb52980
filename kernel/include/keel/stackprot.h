/* stackprot.h: the stack protector's canary (stackprot.c). */
#ifndef STACKPROT_H
#define STACKPROT_H

#include <stddef.h>
#include <stdint.h>

void stackprot_init(const uint8_t *seed, size_t len);

#endif
