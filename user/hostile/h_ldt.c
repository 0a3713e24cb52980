/*
 * h_ldt.c: selectors into the LDT (TI = 1) when a process has none.
 *
 * Linux gives a process no LDT until it asks modify_ldt for one, so its
 * LDTR is null: LAR, LSL, VERR and VERW refuse every LDT selector
 * (ZF = 0) and loading one into a segment register is #GP, SIGSEGV.  A
 * kernel that kept the firmware's LDTR (OVMF leaves an LDT at linear
 * address 0) made the CPU read descriptors from user memory: a process
 * that mapped page 0x1000 and wrote a DPL-3 descriptor there had LAR
 * accept it (and could have written a call gate), or, with SMAP, took a
 * supervisor-mode page fault and was killed with SIGKILL.
 *
 * Each case runs with nothing mapped at the LDT's would-be linear
 * addresses, then with pages mapped there holding DPL-3 data descriptors
 * (indexes 512 and 8191 at 0x1000 and 0xfff8; 0 and 1 at page 0 where a
 * kernel lets a process map it: Linux lets root, keel never does).
 *
 * Interface: ldt_tests[] (hostile.h).
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "hostile.h"

#define SYS_modify_ldt	154
#define LDT_SEL(i)	((i) << 3 | 4 | 3)	/* TI = 1, RPL 3 */
/* Base 0, limit 4 GiB, present, DPL 3, writable data, accessed: LAR 0xc0f300. */
#define DESC_DATA3	0x00cff3000000ffffULL

static const int ldt_index[] = { 0, 1, 512, 8191 };
#define NIDX	(sizeof ldt_index / sizeof ldt_index[0])

/* 1 when the instruction accepted the selector (ZF set). */
static int
lar_ok(uint16_t sel)
{
	uint64_t ar = 0;
	uint8_t z;

	__asm__ volatile("lar %w2, %0; setz %1" : "+r"(ar), "=q"(z) : "r"(sel) : "cc");
	return z;
}

static int
lsl_ok(uint16_t sel)
{
	uint64_t lim = 0;
	uint8_t z;

	__asm__ volatile("lsl %w2, %0; setz %1" : "+r"(lim), "=q"(z) : "r"(sel) : "cc");
	return z;
}

static int
verr_ok(uint16_t sel)
{
	uint8_t z;

	__asm__ volatile("verr %1; setz %0" : "=q"(z) : "r"(sel) : "cc");
	return z;
}

static int
verw_ok(uint16_t sel)
{
	uint8_t z;

	__asm__ volatile("verw %1; setz %0" : "=q"(z) : "r"(sel) : "cc");
	return z;
}

/*
 * Map the pages holding LDT entries 512 and 8191 (and 0 and 1 when page 0
 * can be mapped) and write a DPL-3 data descriptor into each entry.
 */
static void
plant_descriptors(void)
{
	long p;

	p = sys_mmap((void *)0x1000, 15 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CCHECK(p == 0x1000, "mmap at 0x1000: %s", ut_rstr(p));
	for (unsigned i = 0; i < NIDX; i++) {
		uint64_t *slot = (uint64_t *)(uintptr_t)(ldt_index[i] * 8);

		if ((uintptr_t)slot >= 0x1000)
			*slot = DESC_DATA3;
	}
	p = sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == 0) {
		static volatile uintptr_t zero;	/* hidden from the compiler */
		volatile uint64_t *page0 = (volatile uint64_t *)zero;

		page0[0] = DESC_DATA3;
		page0[1] = DESC_DATA3;
	}
}

static void
c_inspect(void *a)
{
	if (a)
		plant_descriptors();
	for (unsigned i = 0; i < NIDX; i++) {
		uint16_t sel = LDT_SEL(ldt_index[i]);

		CCHECK(!lar_ok(sel), "LAR %#x (LDT index %d) accepted it", sel, ldt_index[i]);
		CCHECK(!lsl_ok(sel), "LSL %#x (LDT index %d) accepted it", sel, ldt_index[i]);
		CCHECK(!verr_ok(sel), "VERR %#x (LDT index %d) accepted it", sel, ldt_index[i]);
		CCHECK(!verw_ok(sel), "VERW %#x (LDT index %d) accepted it", sel, ldt_index[i]);
	}
}

static void
t_inspect(void)
{
	CHECK_EXIT(c_inspect, 0, 0);
	CHECK_EXIT(c_inspect, (void *)1, 0);
}

/* Which segment register, which LDT index, descriptors planted or not. */
struct load_case {
	int reg, index, planted;
};

static void
c_load(void *a)
{
	const struct load_case *c = a;
	uint16_t sel = LDT_SEL(c->index);

	if (c->planted)
		plant_descriptors();
	switch (c->reg) {
	case 0:
		__asm__ volatile("mov %0, %%ds" : : "r"(sel));
		break;
	case 1:
		__asm__ volatile("mov %0, %%es" : : "r"(sel));
		break;
	case 2:
		__asm__ volatile("mov %0, %%fs" : : "r"(sel));
		break;
	case 3:
		__asm__ volatile("mov %0, %%gs" : : "r"(sel));
		break;
	case 4:
		__asm__ volatile("mov %0, %%ss" : : "r"(sel));
		break;
	}
	sys_exit_group(0);	/* loaded: an LDT was live */
}

static void
t_load(void)
{
	static const char *const reg[] = { "ds", "es", "fs", "gs", "ss" };
	struct load_case c;
	int st;

	for (c.planted = 0; c.planted < 2; c.planted++) {
		for (c.reg = 0; c.reg < 5; c.reg++) {
			for (unsigned i = 0; i < NIDX; i++) {
				c.index = ldt_index[i];
				CHECK_EQ(ut_run(c_load, &c, &st), 0);
				CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
				    "mov %#x to %%%s (%s): %s, want killed by SIGSEGV",
				    LDT_SEL(c.index), reg[c.reg],
				    c.planted ? "descriptor planted" : "nothing mapped",
				    ut_status_str(st));
			}
		}
	}
}

/*
 * modify_ldt: keel has no LDT support (-ENOSYS, what Linux answers
 * without CONFIG_MODIFY_LDT_SYSCALL); Linux with it reads an empty LDT
 * as 0 bytes.  Either way a process starts without one.
 */
static void
t_modify_ldt(void)
{
	uint64_t buf[4] = { 1, 2, 3, 4 };
	long r = sys3(SYS_modify_ldt, 0, buf, sizeof buf);

	CHECK(r == -ENOSYS || r == 0, "modify_ldt(0) = %s, want -ENOSYS or 0", ut_rstr(r));
}

const struct htest ldt_tests[] = {
	{ "LAR/LSL/VERR/VERW refuse LDT selectors 0, 1, 512, 8191 (mapped or not)", t_inspect, 0 },
	{ "loading an LDT selector into ds/es/fs/gs/ss -> SIGSEGV (mapped or not)", t_load, 0 },
	{ "modify_ldt: no LDT to read", t_modify_ldt, 0 },
	{ 0, 0, 0 },
};
