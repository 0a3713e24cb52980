/*
 * irq.c: the interrupt core on the PC (see <keel/irq.h>, <arch/irq.h>).
 *
 * Each registered source owns one vector: V_TIMER for the LAPIC timer (the
 * scheduler's tick, which trap.c recognises), V_APIC_ERROR for the LAPIC's
 * errors, and one of V_DYN_FIRST..V_DYN_LAST, taken in order, for a GSI or
 * an MSI.  A GSI is routed through the IO-APIC that has it to this CPU's
 * LAPIC; an MSI's message is the LAPIC's address and the vector (SDM Vol.
 * 3A, 11.11), written into the device by pci.c.  irq_dispatch, called by
 * trap_dispatch for every vector from T_IRQ_BASE up, runs the handler and
 * then sends the EOI: handlers run with interrupts off and return (the
 * scheduler switches on the way back to user mode, not here), so a
 * level-triggered source the handler quieted does not fire again.
 *
 * Locking: vectors[] changes only with interrupts off (one CPU).
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/irq.h>
#include <keel/pci.h>
#include <keel/platform.h>
#include <uapi/errno.h>
#include <arch/apic.h>
#include <arch/irq.h>
#include <arch/switch.h>
#include <arch/traps.h>
#include <lib/fmt.h>

/* Vectors for GSIs and MSIs; 0x80 (int $0x80) sits among them and is skipped. */
#define V_DYN_FIRST	0x30
#define V_DYN_LAST	0xee	/* 0xef up: the IPIs (traps.h) */

/* MSI address (SDM Vol. 3A, 11.11.1): the LAPIC window, destination ID in 19:12. */
#define MSI_ADDR_BASE	0xfee00000u
#define MSI_ADDR_DEST(id) ((uint32_t)(id) << 12)

struct vector {
	int v_irq;		/* the source; -1: free */
	irq_handler_fn v_fn;
	void *v_arg;
	struct pci_dev *v_dev;	/* an MSI's device */
	uint64_t v_count;
};

static struct vector vectors[256];
static uint64_t spurious;
static int ready;

static void
init_once(void)
{
	int v;

	if (ready)
		return;
	for (v = 0; v < 256; v++)
		vectors[v].v_irq = -1;
	ready = 1;
}

static int
find(int irq)
{
	int v;

	init_once();
	for (v = T_IRQ_BASE; v < 256; v++)
		if (vectors[v].v_irq == irq)
			return v;
	return -1;
}

static int
alloc_vector(void)
{
	int v;

	for (v = V_DYN_FIRST; v <= V_DYN_LAST; v++)
		if (v != T_SYSCALL && vectors[v].v_irq < 0)
			return v;
	return -1;
}

int
irq_isa(unsigned isa)
{
	uint16_t flags;

	return (int)acpi_irq_to_gsi(&platform_acpi, (uint8_t)isa, &flags);
}

/*
 * How a GSI is wired: an ISA IRQ's as the MADT override (or the ISA
 * default: edge, active high) says, any other as PCI's INTx (level, low).
 */
static void
gsi_mode(uint32_t gsi, int *level, int *low)
{
	const struct acpi_info *ai = &platform_acpi;
	uint16_t flags = 0;
	int i, isa = -1;

	for (i = 0; i < ai->ai_noverrides; i++) {
		if (ai->ai_overrides[i].ovr_gsi == gsi) {
			isa = ai->ai_overrides[i].ovr_irq;
			flags = ai->ai_overrides[i].ovr_flags;
			break;
		}
	}
	if (isa < 0 && gsi < 16 && acpi_irq_to_gsi(ai, (uint8_t)gsi, &flags) == gsi)
		isa = gsi;
	if (isa < 0) {
		*level = 1;
		*low = 1;
		return;
	}
	*low = (flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW;
	*level = (flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL;
}

static void
take(int v, int irq, irq_handler_fn fn, void *arg, struct pci_dev *dev)
{
	vectors[v].v_irq = irq;
	vectors[v].v_fn = fn;
	vectors[v].v_arg = arg;
	vectors[v].v_dev = dev;
	vectors[v].v_count = 0;
}

int
irq_register(int irq, irq_handler_fn fn, void *arg)
{
	uint64_t fl;
	int v, level, low, err = 0;

	if (fn == 0 || irq < 0)
		return -EINVAL;
	if (irq >= IRQ_MSI_BASE && irq < IRQ_LOCAL_BASE)
		return -EINVAL;		/* irq_alloc_msi makes those */
	fl = intr_save();
	if (find(irq) >= 0) {
		err = -EBUSY;
	} else if (irq == IRQ_LOCAL_TIMER) {
		take(V_TIMER, irq, fn, arg, 0);
	} else if (irq == IRQ_LOCAL_APIC_ERROR) {
		take(V_APIC_ERROR, irq, fn, arg, 0);
	} else if (irq >= IRQ_LOCAL_BASE) {
		err = -EINVAL;
	} else if ((v = alloc_vector()) < 0) {
		err = -ENOSPC;
	} else {
		gsi_mode(irq, &level, &low);
		take(v, irq, fn, arg, 0);
		if (ioapic_route(irq, v, lapic_id(), level, low) != 0) {
			vectors[v].v_irq = -1;
			err = -EINVAL;
		}
	}
	intr_restore(fl);
	return err;
}

void
irq_unregister(int irq)
{
	uint64_t fl = intr_save();
	int v = find(irq);

	if (v >= 0) {
		if (vectors[v].v_dev)
			pci_msi_disable(vectors[v].v_dev);
		else if (irq < IRQ_NGSI)
			ioapic_mask(irq);
		vectors[v].v_irq = -1;
		vectors[v].v_fn = 0;
	}
	intr_restore(fl);
}

int
irq_alloc_msi(struct pci_dev *dev, irq_handler_fn fn, void *arg)
{
	uint64_t fl;
	int v, irq;

	if (dev == 0 || fn == 0)
		return -EINVAL;
	if (dev->pd_msi_cap == 0)
		return -ENODEV;
	fl = intr_save();
	init_once();
	v = alloc_vector();
	if (v < 0) {
		intr_restore(fl);
		return -ENOSPC;
	}
	/* The vector names the message: one per vector, so the irq is unique. */
	irq = IRQ_MSI_BASE + v;
	take(v, irq, fn, arg, dev);
	/* Fixed delivery, edge, physical destination: data is the vector alone. */
	pci_msi_enable(dev, MSI_ADDR_BASE | MSI_ADDR_DEST(lapic_id()), (uint32_t)v);
	intr_restore(fl);
	return irq;
}

uint64_t
irq_count(int irq)
{
	int v = find(irq);

	return v < 0 ? 0 : vectors[v].v_count;
}

void
irq_raise(int irq)
{
	int v = find(irq);

	if (v >= 0)
		lapic_self_ipi(v);
}

void
irq_dispatch(unsigned v)
{
	struct vector *iv = &vectors[v];

	if (v == V_SPURIOUS) {
		spurious++;	/* not in service: no EOI (SDM 11.9) */
		return;
	}
	if (ready && iv->v_irq >= 0) {
		__atomic_add_fetch(&iv->v_count, 1, __ATOMIC_RELAXED);	/* idle CPUs' ticks: no lock */
		iv->v_fn(iv->v_arg);
	} else {
		spurious++;
		kprintf("irq: unexpected interrupt, vector %u\n", v);
	}
	lapic_eoi();
}

/*
 * /proc/interrupts, as Linux's: a column per online CPU, a row per device
 * source (its irq: the GSI, or IRQ_MSI_BASE + n), then the CPU's own: LOC
 * the local timer, SPU spurious, RES rescheduling IPIs, TLB shootdowns,
 * and KLK the kernel lock's wake-ups of a CPU that slept waiting for it
 * (spinlock.c; Linux has no such row).  Its length, as snprintf.
 */
int
arch_interrupts(char *buf, int size)
{
	static const struct { const char *name; int v; const char *what; } own[] = {
		{ "LOC", V_TIMER, "Local timer interrupts" },
		{ "SPU", V_SPURIOUS, "Spurious interrupts" },
		{ "ERR", V_APIC_ERROR, "APIC errors" },
		{ "RES", V_IPI_RESCHED, "Rescheduling interrupts" },
		{ "TLB", V_IPI_TLB, "TLB shootdowns" },
		{ "KLK", V_IPI_KICK, "Kernel lock wake-ups" },
	};
	int n = 0, prec = 3, i, v, level, low, irq;

#define PUT(...) (n += fmt_snprintf(n < size ? buf + n : 0, n < size ? (size_t)(size - n) : 0, __VA_ARGS__))
	init_once();
	for (v = T_IRQ_BASE; v < 256; v++)
		for (irq = vectors[v].v_irq; irq >= 1000 && irq < IRQ_LOCAL_BASE && prec < 6; irq /= 10)
			prec++;
	PUT("%*s", prec + 8, "");
	for (i = 0; i < ncpus; i++)
		if (cpu_online(&cpus[i]))
			PUT("CPU%-8d", i);
	PUT("\n");
	for (v = T_IRQ_BASE; v < 256; v++) {
		irq = vectors[v].v_irq;
		if (irq < 0 || irq >= IRQ_LOCAL_BASE)
			continue;
		PUT("%*d: ", prec, irq);
		for (i = 0; i < ncpus; i++)
			if (cpu_online(&cpus[i]))
				PUT("%10u ", cpus[i].c_arch.ac_nvec[v]);
		if (irq >= IRQ_MSI_BASE) {
			PUT(" PCI-MSI %d-edge\n", irq - IRQ_MSI_BASE);
		} else {
			gsi_mode((uint32_t)irq, &level, &low);
			PUT(" IO-APIC %d-%s\n", irq, level ? "fasteoi" : "edge");
		}
	}
	for (v = 0; v < (int)(sizeof(own) / sizeof(own[0])); v++) {
		PUT("%*s: ", prec, own[v].name);
		for (i = 0; i < ncpus; i++)
			if (cpu_online(&cpus[i]))
				PUT("%10u ", cpus[i].c_arch.ac_nvec[own[v].v]);
		PUT("  %s\n", own[v].what);
	}
	return n;
#undef PUT
}
