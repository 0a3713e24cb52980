/*
 * vmaudit.c: the W^X audit of a page-table tree.
 *
 * Interface (vm.h):
 *	vm_audit(root, &out)	count the leaves that are writable and executable,
 *				and those user-accessible in the kernel half
 *
 * Run at boot on the kernel's tables (main.c) and by the ktests on the
 * kernel's and a process's; the effective permission of a leaf is the
 * AND of W and U, and the OR of NX, along its path.
 */
#include <keel/kernel.h>
#include <keel/vm.h>

static void
audit_walk(uint64_t table, int level, uint64_t base, uint64_t eff,
    struct vm_audit *a)
{
	uint64_t *t = PHYS_TO_VIRT(table);
	int i;

	/* Most of the kernel half's 256 tables are empty: one scan each. */
	if (level < 4 && memzero64(t, PT_ENTRIES))
		return;
	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i], va, f;

		if (!(e & PTE_P))
			continue;
		va = base + ((uint64_t)i << (PAGE_SHIFT + 9 * (level - 1)));
		if (level == 4 && i >= 256)
			va |= 0xffff000000000000UL;	/* sign extension */
		f = (eff & e & (PTE_W | PTE_U)) | ((eff | e) & PTE_NX);
		if (level > 1 && !(e & PTE_PS)) {
			audit_walk(e & PTE_ADDR_MASK, level - 1, va, f, a);
			continue;
		}
		a->va_leaves++;
		if ((f & PTE_W) && !(f & PTE_NX)) {
			if (a->va_wx++ == 0 && a->va_user_kernel == 0)
				a->va_first_bad = va;
		}
		if ((f & PTE_U) && va >= KERNEL_HALF_BASE) {
			if (a->va_user_kernel++ == 0 && a->va_wx == 0)
				a->va_first_bad = va;
		}
	}
}

void
vm_audit(uint64_t root, struct vm_audit *out)
{
	memset(out, 0, sizeof(*out));
	audit_walk(root, 4, 0, PTE_W | PTE_U, out);
}
