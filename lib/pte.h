/*
 * pte.h: x86-64 4-level paging entries (Intel SDM Vol. 3A, 4.5, tables 4-14
 * to 4-20).  Usable from C and assembly.
 */
#ifndef LIB_PTE_H
#define LIB_PTE_H

#include <shared/layout.h>

#define PTE_BIT_P	0	/* present */
#define PTE_BIT_W	1	/* writable */
#define PTE_BIT_U	2	/* user accessible */
#define PTE_BIT_PWT	3	/* write-through */
#define PTE_BIT_PCD	4	/* cache disable */
#define PTE_BIT_A	5	/* accessed */
#define PTE_BIT_D	6	/* dirty */
#define PTE_BIT_PS	7	/* large page (in PDPTE and PDE) */
#define PTE_BIT_G	8	/* global */
#define PTE_BIT_COW	9	/* software (ignored by the CPU): copy on write */
#define PTE_BIT_NONE	10	/* software: frame kept, access denied (PROT_NONE) */
#define PTE_BIT_NX	63	/* no execute (needs EFER.NXE) */

#define PTE_P		(_AC(1, UL) << PTE_BIT_P)
#define PTE_W		(_AC(1, UL) << PTE_BIT_W)
#define PTE_U		(_AC(1, UL) << PTE_BIT_U)
#define PTE_PWT		(_AC(1, UL) << PTE_BIT_PWT)
#define PTE_PCD		(_AC(1, UL) << PTE_BIT_PCD)
#define PTE_A		(_AC(1, UL) << PTE_BIT_A)
#define PTE_D		(_AC(1, UL) << PTE_BIT_D)
#define PTE_PS		(_AC(1, UL) << PTE_BIT_PS)
#define PTE_G		(_AC(1, UL) << PTE_BIT_G)
#define PTE_COW		(_AC(1, UL) << PTE_BIT_COW)
#define PTE_NONE	(_AC(1, UL) << PTE_BIT_NONE)
#define PTE_NX		(_AC(1, UL) << PTE_BIT_NX)

/* Bits 12-51 hold the physical address (MAXPHYADDR <= 52). */
#define PTE_ADDR_MASK	_AC(0x000ffffffffff000, UL)
/* The flag bits a caller may ask for in pt_map(). */
#define PTE_FLAGS_MASK	(PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_G | PTE_COW | PTE_NX)

#define PT_ENTRIES	512
#define PT_LEVELS	4
#define PAGE_SIZE_2M	(_AC(1, UL) << 21)
#define PAGE_SIZE_1G	(_AC(1, UL) << 30)

/* Index of va in the table at level (4 = PML4 .. 1 = PT). */
#define PT_INDEX(va, level)	(((va) >> (PAGE_SHIFT + 9 * ((level) - 1))) & 511)

#endif /* LIB_PTE_H */
