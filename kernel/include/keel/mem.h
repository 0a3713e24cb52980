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
/*
 * The application processors' start-up pages, below 1 MiB (smp.c): the
 * real-mode code and its page tables; 0 when no free RAM was there.
 */
#define MEM_TRAMPOLINE_PAGES	4
extern uint64_t mem_trampoline;
/* Print free and total memory. */
void mem_print(void);

#endif
