# Makefile: the whole project.  `make` builds the ESP tree, `make run` boots
# it in QEMU, `make test` runs every test; see README.md for the rest.

.SUFFIXES:
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules
SHELL := /bin/bash

B   := build
ESP := esp
# The default kernel command line, written to esp/boot/cmdline.txt.
CMDLINE ?=

all: esp

# ---- dependencies: Debian packages, installed once by tools/deps ----
DEPS_STAMP := $(B)/.deps
$(DEPS_STAMP): tools/deps
	@mkdir -p $(B)
	@./tools/deps
	@touch $@
deps: $(DEPS_STAMP)

# ---- the loader: a gnu-efi PE32+ application, built with gcc ----
EFIINC := /usr/include/efi
EFILIB := /usr/lib
LOADER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MD -MP -I. \
	-I$(EFIINC) -I$(EFIINC)/x86_64 \
	-DGNU_EFI_USE_MS_ABI \
	-ffreestanding -fpic -fshort-wchar \
	-fno-stack-protector -fno-stack-check \
	-mno-red-zone -maccumulate-outgoing-args
# -DGNU_EFI_USE_MS_ABI: call firmware through ms_abi pointers, no wrapper.
# -fpic: the PE image is relocated by the firmware (.reloc from the ELF's RELA).
LOADER_SRCS := loader/main.c loader/efiutil.c \
	lib/fmt.c lib/kelf.c lib/memmap.c lib/pagetable.c
LOADER_OBJS := $(LOADER_SRCS:%.c=$(B)/loader/%.o) $(B)/loader/loader/handoff.o

$(B)/loader/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(LOADER_CFLAGS) -c $< -o $@
# -I.: handoff.S takes the CR, EFER and MSR bits from lib/cpureg.h, as the kernel does.
$(B)/loader/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc -MD -MP -I. -Wa,--noexecstack -c $< -o $@
$(B)/loader/loader.so: $(LOADER_OBJS)
	ld -shared -Bsymbolic -nostdlib --no-undefined -z noexecstack \
		-T $(EFILIB)/elf_x86_64_efi.lds $(EFILIB)/crt0-efi-x86_64.o \
		$(LOADER_OBJS) -L$(EFILIB) -lefi -lgnuefi -o $@
$(B)/BOOTX64.EFI: $(B)/loader/loader.so
	objcopy -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

# ---- the kernel: freestanding clang + lld, linked in the higher half ----
KCC := clang
ARCH_DIR := arch/x86_64
KERNEL_INC := -Ikernel/include -Ikernel/$(ARCH_DIR)/include -I$(B)/include
CLANG_INC := $(shell clang -print-resource-dir 2>/dev/null)/include
KERNEL_CFLAGS := --target=x86_64-unknown-none-elf -std=gnu11 -O2 -g -I. $(KERNEL_INC) \
	-I$(B)/gen/include \
	-Wall -Wextra -Werror -Wno-unused-parameter -MD -MP \
	-nostdinc -isystem $(CLANG_INC) \
	-ffreestanding -fno-pic -fno-pie -fno-common \
	-fno-omit-frame-pointer \
	-fstack-protector-strong -mstack-protector-guard=global \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only
# -mcmodel=kernel: linked in the top 2 GiB (shared/layout.h KERNEL_BASE).
# -I$(B)/gen/include: generated headers (<gen/...>, below).
# -mno-red-zone: interrupts push onto the interrupted kernel stack.
# -mgeneral-regs-only: no SSE in the kernel, so traps need not save it.
# -fno-omit-frame-pointer: panics walk the frame-pointer chain.
# -mstack-protector-guard=global: one canary (stackprot.c), set from the boot
#   RNG seed; the default would read it from %gs, the user's until SWAPGS.
# The kernel's sources by subsystem (README "Layout", docs/ARCHITECTURE.md).
# Generic code includes <keel/...> (kernel/include/keel), the Linux ABI
# <uapi/...> (kernel/include/uapi) and the arch's <arch/...>
# (kernel/$(ARCH_DIR)/include/arch), never a path relative to itself.
K_INIT := init/main.c init/cpu.c init/bootinfo.c init/cmdline.c
K_LIB := lib/string.c lib/ksyms.c lib/panic.c lib/stackprot.c lib/random.c lib/spinlock.c
K_MM := mm/pmm.c mm/kheap.c mm/pageref.c mm/mem.c mm/kmap.c mm/mmio.c mm/vmaudit.c \
	mm/kstack.c mm/uvm.c mm/vmobj.c mm/usercopy.c mm/sys_mem.c mm/tlb.c
K_PROC := proc/proc.c proc/sched.c proc/pgrp.c proc/exec.c proc/uelf.c proc/signal.c proc/sys_proc.c proc/rlimit.c \
	proc/futex.c proc/prio.c proc/prctl.c proc/cred.c
K_TIME := time/clock.c time/cputime.c time/itimer.c
K_FS := fs/vfs.c fs/namei.c fs/file.c fs/flock.c fs/cpio.c fs/initramfs.c fs/ramfs.c fs/ramfs_file.c \
	fs/devfs.c fs/procfs.c fs/procfs_text.c fs/pipe.c fs/poll.c fs/select.c fs/eventfd.c \
	fs/epoll.c fs/sys_file.c fs/sys_fs.c fs/sys_attr.c fs/sys_stat.c fs/sys_mount.c fs/vpath.c \
	fs/perm.c
K_DEV := dev/cdev.c dev/mem.c dev/console.c dev/tty.c dev/fbcon.c dev/vt100.c dev/fbdev.c \
	dev/pci.c dev/pci_lib.c dev/rtc.c
K_ACPI := acpi/acpi.c acpi/acpi_power.c
K_SYSCALL := syscall/syscall.c
K_TEST := test/ktest.c test/ktest_cpu.c test/ktest_dev.c test/ktest_mm.c test/ktest_time.c \
	test/ktest_smp.c test/crash.c
K_ARCH := $(addprefix $(ARCH_DIR)/,cpu/cpu.c cpu/cpufeat.c cpu/gdt.c cpu/idt.c cpu/fpu.c cpu/smp.c \
	proc/thread.c proc/signal.c \
	entry/trap.c entry/entry_audit.c \
	pc/platform.c pc/irq.c pc/clock.c pc/lapic.c pc/ioapic.c pc/pic.c pc/rtc.c pc/uart.c \
	pc/kbd.c pc/pciport.c pc/qemu.c)
K_ARCH_ASM := $(addprefix $(ARCH_DIR)/,boot/entry.S boot/trampoline.S entry/vectors.S entry/syscall.S \
	entry/swtch.S entry/usercopy.S)
# The system call tables and numbers, generated (below).
GEN := $(B)/gen
GEN_SYSCALL_SRCS := $(GEN)/syscall_64.c $(GEN)/syscall_32.c
GEN_HDRS := $(GEN)/include/gen/syscall_64.h $(GEN)/include/gen/syscall_32.h
KERNEL_SRCS := $(addprefix kernel/,$(K_INIT) $(K_LIB) $(K_MM) $(K_PROC) $(K_TIME) $(K_FS) $(K_DEV) \
	$(K_ACPI) $(K_SYSCALL) $(K_TEST) $(K_ARCH)) \
	$(B)/font.c $(GEN_SYSCALL_SRCS) lib/fmt.c lib/memmap.c lib/pagetable.c lib/chacha20.c
KERNEL_ASRCS := $(addprefix kernel/,$(K_ARCH_ASM))
KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(B)/kernel/%.o) $(KERNEL_ASRCS:%.S=$(B)/kernel/%.o)

# The console font: a Debian console font (console-setup-linux, public
# domain / MIT-style), converted at build time; nothing generated is committed.
FONT := /usr/share/consolefonts/Uni2-VGA16.psf.gz
$(B)/font.c: tools/psf2c.py | $(DEPS_STAMP)
	@mkdir -p $(@D)
	python3 tools/psf2c.py $(FONT) > $@

# The system call tables and numbers: kernel/syscall/syscall_{64,32}.tbl
# turned into C by tools/gensyscalls.py (the header is usable from .S).
# Every kernel object waits for the headers: -MD only knows them after
# the first build.
$(GEN_SYSCALL_SRCS): $(GEN)/syscall_%.c: kernel/syscall/syscall_%.tbl tools/gensyscalls.py
	@mkdir -p $(@D)
	python3 tools/gensyscalls.py --abi $* --source $@ $<
$(GEN_HDRS): $(GEN)/include/gen/syscall_%.h: kernel/syscall/syscall_%.tbl tools/gensyscalls.py
	@mkdir -p $(@D)
	python3 tools/gensyscalls.py --abi $* --header $@ $<

$(B)/kernel/%.o: %.c | $(DEPS_STAMP) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@
$(B)/kernel/%.o: %.S | $(DEPS_STAMP) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@

# The entry code's offsets into C structs (struct cpu, proc, trapframe),
# generated: asm-offsets.c compiled to assembly, its "->NAME value" lines
# made #defines (Linux asm-offsets, OpenBSD genassym).  Its .d file makes
# any header change regenerate it.
ASM_OFFSETS := $(B)/include/generated/asm-offsets.h
$(ASM_OFFSETS): kernel/$(ARCH_DIR)/asm-offsets.c tools/asm-offsets.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) -MT $@ -S $< -o $(B)/asm-offsets.s
	tools/asm-offsets.sh $(B)/asm-offsets.s > $@
$(KERNEL_ASRCS:%.S=$(B)/kernel/%.o): $(ASM_OFFSETS)
$(B)/kernel.ld: kernel/arch/x86_64/boot/kernel.ld.S shared/layout.h
	@mkdir -p $(@D)
	$(KCC) -E -P -x c -D__ASSEMBLER__ -I. $< -o $@
# Two links: the first with an empty symbol table, whose function symbols
# tools/ksyms.py then embeds in the second (for symbolized panics).  The table
# sits after .text, so no function moves between the two.
KLD = ld.lld -T $(B)/kernel.ld -nostdlib -static -z max-page-size=4096 \
	-z noexecstack --fatal-warnings
$(B)/ksyms0.S: tools/ksyms.py
	python3 tools/ksyms.py > $@
$(B)/ksyms.S: $(B)/kernel.0.elf tools/ksyms.py
	python3 tools/ksyms.py $< > $@
$(B)/ksyms0.o $(B)/ksyms.o: %.o: %.S
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@
$(B)/kernel.0.elf: $(KERNEL_OBJS) $(B)/kernel.ld $(B)/ksyms0.o
	$(KLD) -o $@ $(KERNEL_OBJS) $(B)/ksyms0.o
# The second link keeps its relocations (--emit-relocs) for tools/relocs.py,
# which turns them into the table the loader needs for KASLR.
$(B)/kernel.elf: $(KERNEL_OBJS) $(B)/kernel.ld $(B)/ksyms.o tools/relocs.py
	$(KLD) --emit-relocs -o $(B)/kernel.rel.elf $(KERNEL_OBJS) $(B)/ksyms.o
	@nm -n $(B)/kernel.0.elf | grep -i ' t ' | cmp -s - <(nm -n $(B)/kernel.rel.elf | grep -i ' t ') || \
		{ echo "kernel.elf: functions moved between the two links"; exit 1; }
	python3 tools/relocs.py $(B)/kernel.rel.elf $@

# ---- the UBSan kernel: the same sources with -fsanitize=undefined ----
# Built into its own ESP tree ($(B)/esp-ubsan), booted by `make test`; every
# failed check panics with file and line (kernel/lib/ubsan.c, not sanitized).
UBSAN_FLAGS := -fsanitize=undefined -fno-sanitize=function,vptr
KERNEL_UBSAN_OBJS := $(KERNEL_SRCS:%.c=$(B)/kernel-ubsan/%.o) \
	$(KERNEL_ASRCS:%.S=$(B)/kernel/%.o) $(B)/kernel/kernel/lib/ubsan.o
$(B)/kernel-ubsan/%.o: %.c | $(DEPS_STAMP) $(GEN_HDRS)
	@mkdir -p $(@D)
	$(KCC) $(KERNEL_CFLAGS) $(UBSAN_FLAGS) -c $< -o $@
$(B)/kernel-ubsan.0.elf: $(KERNEL_UBSAN_OBJS) $(B)/kernel.ld $(B)/ksyms0.o
	$(KLD) -o $@ $(KERNEL_UBSAN_OBJS) $(B)/ksyms0.o
$(B)/ksyms-ubsan.S: $(B)/kernel-ubsan.0.elf tools/ksyms.py
	python3 tools/ksyms.py $< > $@
$(B)/ksyms-ubsan.o: $(B)/ksyms-ubsan.S
	$(KCC) $(KERNEL_CFLAGS) -c $< -o $@
$(B)/kernel-ubsan.elf: $(KERNEL_UBSAN_OBJS) $(B)/kernel.ld $(B)/ksyms-ubsan.o tools/relocs.py
	$(KLD) --emit-relocs -o $(B)/kernel-ubsan.rel.elf $(KERNEL_UBSAN_OBJS) $(B)/ksyms-ubsan.o
	python3 tools/relocs.py $(B)/kernel-ubsan.rel.elf $@
ubsan-esp: esp $(B)/kernel-ubsan.elf
	rm -rf $(B)/esp-ubsan
	cp -r $(ESP) $(B)/esp-ubsan
	cp $(B)/kernel-ubsan.elf $(B)/esp-ubsan/boot/kernel.elf

# ---- user programs and the initramfs (cpio newc) ----
include user/user.mk
include user/user-shell.mk
include user/bench/bench.mk

$(B)/user/init: user/init.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $<
$(B)/initrd/sbin/init: $(B)/user/init
	install -D -m 755 $< $@

INITRD_FILES := $(B)/initrd/sbin/init $(USER_INITRD_FILES) $(SHELL_INITRD_FILES) \
	$(BENCH_INITRD_FILES)
# Exactly the listed files (and their directories), whatever else the
# staging tree holds; sorted, so the archive is the same from build to build.
# Everything is root's (-R 0:0), whoever builds it; "." is in it, 0755, so
# that "/" is root's 0755 under Linux too (its rootfs starts 1777).
$(B)/initrd.cpio: $(INITRD_FILES)
	chmod 755 $(B)/initrd
	cd $(B)/initrd && { printf '%s\n' $(INITRD_FILES:$(B)/initrd/%=./%); \
		printf '%s\n' $(INITRD_FILES:$(B)/initrd/%=./%) | xargs -n1 dirname; } | \
		LC_ALL=C sort -u | cpio --quiet -o -H newc -R 0:0 > ../initrd.cpio

# ---- the ESP tree: the documented contract (README.md) ----
ESP_FILES := $(ESP)/EFI/BOOT/BOOTX64.EFI $(ESP)/boot/kernel.elf \
	$(ESP)/boot/initrd.cpio $(ESP)/boot/cmdline.txt
esp: $(ESP_FILES)
$(ESP)/EFI/BOOT/BOOTX64.EFI: $(B)/BOOTX64.EFI
	@mkdir -p $(@D)
	cp $< $@
$(ESP)/boot/%: $(B)/%
	@mkdir -p $(@D)
	cp $< $@
# Rewritten only when CMDLINE changes, so the image is not rebuilt for nothing.
$(ESP)/boot/cmdline.txt: FORCE
	@mkdir -p $(@D)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@

# ---- a GPT disk image with a FAT32 ESP, for dd to a USB stick ----
image: $(B)/disk.img
$(B)/disk.img: $(ESP_FILES) tools/mkimage
	./tools/mkimage $(ESP) $@

# ---- running ----
QEMU := python3 tools/qemu.py
run: esp
	$(QEMU) --esp $(ESP)
run-gui: esp
	$(QEMU) --esp $(ESP) --gui
run-usb: image
	$(QEMU) --image $(B)/disk.img
# ---- benchmarks: exact guest-instruction counts under -icount ----
bench: esp
	python3 tools/bench.py
bench-linux: esp
	python3 tools/bench.py --linux

# docs/screenshot.png and docs/session.txt, for the README.
screenshot: esp
	python3 tools/screenshot.py
debug: esp
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x tools/gdbinit"
	$(QEMU) --esp $(ESP) --gdb

# ---- tests ----
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -DKEEL_HOSTED -I. $(KERNEL_INC)
HOST_TESTS := test_fmt test_kelf test_memmap test_pagetable test_bootinfo \
	test_pmm test_kheap test_cmdline test_acpi test_cpio test_ramfs test_uelf \
	test_fbcon test_chacha20 test_vfs test_pci test_rtc
HOST_BINS := $(HOST_TESTS:%=$(B)/host/%)
$(B)/host/test_fmt: tests/host/test_fmt.c lib/fmt.c
$(B)/host/test_kelf: tests/host/test_kelf.c lib/kelf.c lib/fmt.c
$(B)/host/test_memmap: tests/host/test_memmap.c lib/memmap.c
$(B)/host/test_pagetable: tests/host/test_pagetable.c lib/pagetable.c
$(B)/host/test_bootinfo: tests/host/test_bootinfo.c kernel/init/bootinfo.c
$(B)/host/test_pmm: tests/host/test_pmm.c kernel/mm/pmm.c tests/host/kstub.c
$(B)/host/test_kheap: tests/host/test_kheap.c kernel/mm/kheap.c kernel/mm/pmm.c \
	tests/host/kstub.c
$(B)/host/test_acpi: tests/host/test_acpi.c kernel/acpi/acpi.c tests/host/kstub.c
$(B)/host/test_cpio: tests/host/test_cpio.c kernel/fs/cpio.c tests/host/kstub.c
$(B)/host/test_ramfs: tests/host/test_ramfs.c kernel/fs/ramfs.c kernel/fs/initramfs.c kernel/fs/cpio.c \
	kernel/fs/namei.c tests/host/vfs_stub.c \
	tests/host/kstub.c tests/host/kmalloc_stub.c
$(B)/host/test_vfs: tests/host/test_vfs.c kernel/fs/namei.c kernel/fs/ramfs.c kernel/fs/initramfs.c \
	kernel/fs/cpio.c \
	tests/host/vfs_stub.c tests/host/kstub.c tests/host/kmalloc_stub.c
$(B)/host/test_uelf: tests/host/test_uelf.c kernel/proc/uelf.c tests/host/kstub.c
$(B)/host/test_fbcon: tests/host/test_fbcon.c kernel/dev/fbcon.c kernel/dev/vt100.c $(B)/font.c \
	tests/host/kstub.c tests/host/kmalloc_stub.c
$(B)/host/test_cmdline: tests/host/test_cmdline.c kernel/init/cmdline.c
$(B)/host/test_chacha20: tests/host/test_chacha20.c lib/chacha20.c
$(B)/host/test_pci: tests/host/test_pci.c kernel/dev/pci_lib.c lib/fmt.c
$(B)/host/test_rtc: tests/host/test_rtc.c kernel/dev/rtc.c
$(HOST_BINS): | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(HOST_CFLAGS) -MD -MP -o $@ $(filter %.c,$^) -lcmocka
host-tests: $(HOST_BINS)

# ---- fuzzing: libFuzzer harnesses of every parser of outside input ----
# clang, not gcc: libFuzzer is clang's (libclang-rt-14-dev).  tools/fuzz.sh
# runs them: `make fuzz` for FUZZ_SECONDS (default 60) each, growing
# build/fuzz/corpus/; `make fuzz-ci` (in `make test`) for a few seconds
# each from the checked-in seeds.  Both replay tests/fuzz/regress/ first.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DKEEL_HOSTED -I. $(KERNEL_INC)
FUZZ_NAMES := kelf uelf cpio ramfs bootinfo memmap acpi
FUZZ_BINS := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)
$(B)/fuzz/fuzz_kelf: tests/fuzz/fuzz_kelf.c lib/kelf.c
$(B)/fuzz/fuzz_uelf: tests/fuzz/fuzz_uelf.c kernel/proc/uelf.c
$(B)/fuzz/fuzz_cpio: tests/fuzz/fuzz_cpio.c kernel/fs/cpio.c
$(B)/fuzz/fuzz_ramfs: tests/fuzz/fuzz_ramfs.c tests/host/kmalloc_stub.c kernel/fs/cpio.c \
	kernel/fs/ramfs.c kernel/fs/initramfs.c kernel/fs/namei.c tests/host/vfs_stub.c
$(B)/fuzz/fuzz_bootinfo: tests/fuzz/fuzz_bootinfo.c kernel/init/bootinfo.c
$(B)/fuzz/fuzz_memmap: tests/fuzz/fuzz_memmap.c lib/memmap.c
$(B)/fuzz/fuzz_acpi: tests/fuzz/fuzz_acpi.c kernel/acpi/acpi.c
$(FUZZ_BINS): tests/fuzz/fuzz_kstub.c lib/fmt.c tests/fuzz/fuzz.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MD -MP -o $@ $(filter %.c,$^)
fuzz: $(FUZZ_BINS)
	tools/fuzz.sh long $(FUZZ_NAMES)
fuzz-ci: $(FUZZ_BINS)
	tools/fuzz.sh ci $(FUZZ_NAMES)

# arch/includes: generic code includes no <arch/...> header but <arch/arch.h>.
# linux/utest, linux/hostile: the same user tests and hostile programs as
# init under Debian's Linux, proving that they encode Linux's behaviour
# (tools/linux-check); linux/busybox-jobs types shell/busybox-jobs's session
# there (tools/linux-session.py); linux/smpstress* boot Linux with 4 CPUs.
test: esp image ubsan-esp host-tests $(FUZZ_BINS)
	python3 tests/run.py --host $(HOST_BINS) --cmd linux/utest=tools/linux-check \
		--cmd linux/hostile="tools/linux-check --init /test/hostile" \
		--cmd linux/regcheck="tools/linux-check --init /test/regcheck" \
		--cmd linux/busybox-sh="tools/linux-check --init /test/bbsh" \
		--cmd linux/shsuite-ash="tools/linux-check --init /test/shrun --args ash" \
		--cmd linux/shsuite-bash="tools/linux-check --init /test/shrun --args bash" \
		--cmd linux/busybox-jobs="tools/linux-check --init /test/bbjobs --session busybox-jobs" \
		--cmd linux/pthread-musl="tools/linux-check --init /test/pthread-musl" \
		--cmd linux/pthread-glibc="tools/linux-check --init /test/pthread-glibc" \
		--cmd linux/smpstress="tools/linux-check --smp 4 --init /test/smpstress" \
		--cmd linux/smpstress-glibc="tools/linux-check --smp 4 --init /test/smpstress-glibc" \
		--cmd shell/host="python3 tests/shell/run-tests.py" \
		--cmd host/gensyscalls="python3 tests/host/test_gensyscalls.py" \
		--cmd fuzz/ci="tools/fuzz.sh ci $(FUZZ_NAMES)" \
		--cmd arch/includes=tools/check-arch-includes

# The whole boot suite N times in a row: every non-pass is reported (issue 6
# asks for 100 clean rounds); N=3 by default.
N ?= 3
# The syscall fuzzer as init for millions of calls (make test runs 100,000
# with seed 1): SEED=N replays a run; without it each run draws a new seed.
FUZZ_CALLS ?= 3000000
fuzz-syscalls: esp
	FUZZ_SEED=$${SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')} \
	FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_TIMEOUT=$$(( $(FUZZ_CALLS) / 2000 + 300 )) \
	python3 tests/run.py --boot user/fuzz-syscalls

test-repeat: esp image ubsan-esp
	python3 tests/run.py --boot all --repeat $(N)

# The boots with several CPUs (issue 14): where a race shows, if anywhere.
SMP_BOOTS = smp4/,smp2of4/,user/smpstress,user/smpstress-glibc,matrix/q35-1G-4cpu,matrix/pc-128M-4cpu,matrix/q35-6G-4cpu
test-repeat-smp: esp
	python3 tests/run.py --boot $(SMP_BOOTS) --repeat $(N)

clean:
	rm -rf $(B) $(ESP)/EFI $(ESP)/boot

.PHONY: all deps esp ubsan-esp image test-repeat test-repeat-smp bench bench-linux fuzz fuzz-ci fuzz-syscalls run run-gui run-usb debug screenshot host-tests test clean FORCE
-include $(shell find $(B) -name '*.d' 2>/dev/null)
