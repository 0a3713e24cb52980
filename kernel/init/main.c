/*
 * main.c: kmain, the order in which the kernel takes over the machine.
 */
#include <keel/kernel.h>
#include <keel/bootinfo.h>
#include <keel/cmdline.h>
#include <keel/crash.h>
#include <keel/ksyms.h>
#include <keel/ktest.h>
#include <keel/mem.h>
#include <keel/pci.h>
#include <keel/platform.h>
#include <keel/proc.h>
#include <keel/ramfs.h>
#include <keel/random.h>
#include <keel/stackprot.h>
#include <keel/fs.h>
#include <keel/syscall.h>
#include <keel/console.h>
#include <keel/cpu.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/vm.h>
#include <keel/kheap.h>
#include <keel/pmm.h>
#include <arch/arch.h>
#include <lib/memmap.h>

static const char *const fbformat[] = { "none", "RGBX", "BGRX", "bitmask" };

static void
memory_summary(const struct bootinfo *bi)
{
	const unsigned char *p = PHYS_TO_VIRT(bi->bi_mmap);
	uint64_t off, usable = 0, highest = 0, n = 0;

	for (off = 0; off < bi->bi_mmap_size; off += bi->bi_mmap_desc_size, n++) {
		const struct efi_mdesc *d = (const void *)(p + off);
		uint64_t end = d->md_phys + (d->md_pages << PAGE_SHIFT);

		if (d->md_type < 32 && (MM_FREE_TYPES & (1u << d->md_type)))
			usable += d->md_pages << PAGE_SHIFT;
		if (d->md_type < 32 && (MM_RAM_TYPES & (1u << d->md_type)) && end > highest)
			highest = end;
	}
	kprintf("memory: %lu MiB usable, %lu regions, highest RAM address 0x%lx\n",
	    usable >> 20, n, highest);
}

/*
 * The loader identity-mapped its trampoline; nothing below the canonical
 * hole belongs to the kernel, so the whole lower half goes.
 */
static void
drop_identity_map(void)
{
	uint64_t *pml4 = PHYS_TO_VIRT(arch_as_current() & PTE_ADDR_MASK);
	int i;

	for (i = 0; i < KERNEL_PML4_FIRST; i++)
		pml4[i] = 0;
	arch_tlb_flush_all();
	kprintf("kernel: identity mapping removed\n");
}

static void
audit_kernel_tables(void)
{
	struct vm_audit a;

	vm_audit(vm_kernel_root(), &a);
	if (a.va_wx || a.va_user_kernel)
		panic("vm audit: %lu W+X and %lu user pages in the kernel half (first at 0x%lx)",
		    a.va_wx, a.va_user_kernel, a.va_first_bad);
	kprintf("vm audit: %lu mappings checked: no W+X pages found, no user pages"
	    " in the kernel half\n", a.va_leaves);
}

/*
 * The words of the command line the kernel itself reads (the loader reads
 * nokaslr); every other word is init's (cmdline_init_args).
 */
static const char *const kernel_words[] = {
	"init", "ktest", "crash", "clock", "audit", "ring3ticks", "nokaslr", 0,
};

/* Linux's limits on init's lists (MAX_INIT_ARGS, MAX_INIT_ENVS). */
#define INIT_MAXARGS	32
#define INIT_MAXENVS	32

/*
 * The first process: init=PATH from the command line, /sbin/init by
 * default, with the words the kernel does not know as its arguments and
 * environment, as Linux passes them.
 */
static void
start_init(const struct bootinfo *bi)
{
	static char path[256] = "/sbin/init";
	static char *argv[INIT_MAXARGS + 1] = { path, 0 };
	static char *envp[INIT_MAXENVS + 1] = {
		"HOME=/", "TERM=linux", "PATH=/bin:/sbin:/test", 0,
	};
	int argc = 1, envc = 3;
	char arg[32];
	int err;

	cmdline_get("init", path, sizeof(path));
	cmdline_init_args(kernel_words, argv, &argc, ARRAY_SIZE(argv), envp, &envc,
	    ARRAY_SIZE(envp));
	if (bi->bi_initrd_size == 0 ||
	    ramfs_init(PHYS_TO_VIRT(bi->bi_initrd_phys), bi->bi_initrd_size) != 0) {
		kprintf("kernel: no usable initramfs; nothing to run\n");
		machine_stop(EXIT_OK);
	}
	fs_init();
	sched_init();
	console_init_input();
	switch_audit_enable_all(cmdline_has("audit=switch"));
	if (cmdline_get("ring3ticks", arg, sizeof(arg)))
		proc_set_ring3_ticks(strtou(arg));
	err = proc_start_init(path, argv, envp);
	if (err) {
		kprintf("kernel: cannot start init %s: error %d\n", path, -err);
		machine_stop(EXIT_NOINIT);
	}
	kprintf("kernel: starting %s as pid 1\n", path);
}

/* Trust nothing from the loader until it is checked; secrets from its seed. */
static void
boot_info_take(struct bootinfo *bi)
{
	const char *why = bootinfo_check(bi);

	if (why) {
		kprintf("kernel: refusing the boot info: %s\n", why);
		machine_stop(EXIT_BADBOOT);
	}
	stackprot_init(bi->bi_seed, sizeof(bi->bi_seed));
	random_init(bi->bi_seed, sizeof(bi->bi_seed));
	ksym_set_offset(bi->bi_kernel_virt - KERNEL_BASE);
}

static void
boot_report(const struct bootinfo *bi, uint64_t entry_tsc)
{
	kprintf("%s %s: x86_64 kernel booting%s\n", KERNEL_NAME, KERNEL_VERSION,
	    qemu_detect() ? " under QEMU" : "");
	kprintf("boot: loader start -> kernel entry: %lu TSC ticks (%u ExitBootServices tries)\n",
	    entry_tsc - bi->bi_tsc_loader_start, bi->bi_ebs_tries);
	kprintf("boot: tsc loader-start %lu kernel-entry %lu\n", bi->bi_tsc_loader_start,
	    entry_tsc);
	memory_summary(bi);
	if (bi->bi_fb_format != BI_FB_NONE)
		kprintf("framebuffer: %ux%u, %u pixels per line, %s, at 0x%lx\n",
		    bi->bi_fb_width, bi->bi_fb_height, bi->bi_fb_pitch,
		    fbformat[bi->bi_fb_format], bi->bi_fb_phys);
	else
		kprintf("framebuffer: none\n");
	kprintf("command line: \"%s\"\n", bi->bi_cmdline);
	kprintf("kaslr: kernel at 0x%lx, offset 0x%lx\n", bi->bi_kernel_virt,
	    bi->bi_kernel_virt - KERNEL_BASE);
}

void kmain(struct bootinfo *bi);

/*
 * The boot CPU takes over the machine, in this order.  What is marked
 * "per CPU" is cpu_init_this's: every CPU runs it for itself; the rest
 * happens once per boot.
 */
void
kmain(struct bootinfo *bi)
{
	char arg[64];
	uint64_t entry_tsc = rdtsc();

	/* 1. A console, then a boot-info block we have checked. */
	uart_init();
	kprintf("kernel: entry\n");
	boot_info_take(bi);

	/*
	 * 2. This CPU (per CPU): its own GDT, TSS and IDT before anything can
	 * fault or the identity map goes, curcpu(), control registers,
	 * SYSCALL.  Needs the features (CPUID) and the IDT's gates, once.
	 */
	arch_boot_prepare();
	cpu_init_this(&cpu_boot);

	/* 3. What the loader handed over; then its identity map goes. */
	boot_report(bi, entry_tsc);
	cmdline_init(bi->bi_cmdline);
	drop_identity_map();
	arch_boot_features();

	/* 4. Memory: frames, the heap, the kernel's own page tables. */
	mem_init(bi);
	kheap_init();
	vm_init(bi);
	mem_init_pagerefs();
	mem_reclaim_loader_tables(bi);

	/* 5. This CPU's IST stacks and ring-0 stack (per CPU; need memory). */
	arch_cpu_init_stacks((uint64_t)boot_stack_top);

	/* 6. The screen, the W^X audit, and the platform: ACPI, APIC, clocks. */
	console_init_fb(bi);
	audit_kernel_tables();
	platform_init(bi);
	pci_init(&platform_acpi);
	mem_print();

	/* 7. The other CPUs (per CPU, each runs cpu_init_this); the kernel lock. */
	smp_init();

	/* 8. Test runs stop here: deliberate crashes, in-kernel self-tests. */
	if (cmdline_get("crash", arg, sizeof(arg)))
		crash(arg);
	if (cmdline_get("ktest", arg, sizeof(arg)))
		machine_stop(ktest_run(arg) ? EXIT_KTEST_FAIL : EXIT_OK);

	/* 9. The file system, the first process; this thread becomes idle. */
	start_init(bi);
	klock_exit();		/* the idle loop runs without it */
	proc_idle_loop();
}
