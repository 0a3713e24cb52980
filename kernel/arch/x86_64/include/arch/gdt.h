/*
 * gdt.h: each CPU's GDT and TSS (gdt.c) and the IDT all CPUs share (idt.c).
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

struct arch_cpu;

void gdt_load(struct arch_cpu *ac);
void gdt_init_ist(void);
void tss_set_rsp0(uint64_t top);
void tss_set_ist(int n, uint64_t top);
uint64_t tss_get_rsp0(void);
uint64_t tss_get_ist(int n);
void *gdt_address(void);
void *tss_address(void);
uint16_t ldt_selector(void);

/* Build the gates, once; idt_load on every CPU. */
void idt_init(void);
void idt_load(void);
/* Route vector's gate through IST stack ist (0: none). */
void idt_set_ist(int vector, int ist);
void *idt_address(void);

/* vectors.S */
extern char trap_stubs[], trap_stubs_end[];

#endif
