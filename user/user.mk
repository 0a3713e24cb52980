# user/user.mk: the user-space test programs and the files they install
# into the initramfs tree $(B)/initrd/.  Included by the top-level Makefile
# (which defines B); offers USER_INITRD_FILES, the installed files, for the
# initrd.cpio rule to depend on, and the target user-progs that builds them.
#
#   /test/utest       the syscall and process tests: TAP on fd 1, exit 0/1
#   /test/hostile     what an attacker or a buggy program tries: TAP, exit 0/1
#   /test/fuzz-syscalls [seed] [calls]  a seeded system call fuzzer
#   /test/echoargs    execve helper: answers through its exit status
#   /test/int80       i386-ABI int $0x80 from 64-bit code; exits 42
#   /test/int80spin   one int $0x80 write, then spins in ring 3 forever
#   /test/regcheck    checks that every register starts at 0 (exec, init)
#   /test/bbsh        init that runs /test/sh-basics.sh in /bin/busybox sh
#   /test/bbjobs      init that runs /bin/busybox sh -i with the console as
#                     its controlling terminal (the job-control session)
#   /test/pthread-musl, /test/pthread-glibc
#                     threads and futexes through each C library's pthreads:
#                     TAP on fd 1, exit 0/1
#   /test/smpstress, /test/smpstress-glibc [-n SCALE] [CASE...]
#                     several CPUs at once (issue 14): TLB shootdown, fork/exec,
#                     pipes, futexes, signals, affinity, parallel threads
#                     (user/smp/), with musl and glibc: TAP on fd 1, exit 0/1
#   /test/shrun [ash|bash]  init that runs the shell-script suite
#                     /test/shsuite/run.sh (user/shsuite/) in busybox ash
#                     or bash: TAP on fd 1, exit 0/1
#   /test/pie         a static-pie (ET_DYN) program: exits 0 when loaded right
#   /test/ticklat     console output, then the cost of the next timer ticks
#                     (as init under -icount): exits 0 when none stalls it
#   /test/data.txt    100 lines of 48 bytes, for the read and lseek tests
#   /test/notelf      an executable text file (execve: ENOEXEC)
#   /test/trunc-ehdr  the first 32 bytes of echoargs (execve: ENOEXEC)
#   /test/trunc-phdr  a whole ELF header, program headers cut (execve:
#                     ENOEXEC: Linux does not pass on the short read's EIO)
#   /test/sc-*, bb-*  scripts for execve and busybox (user/scripts/mkscripts.sh)
#
# tools/linux-check runs utest (or, with --init, hostile) as init under
# Linux to prove the tests.

USER_CC := musl-gcc
USER_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -MD -MP \
	-fno-pie -fno-stack-protector
USER_LDFLAGS := -static -no-pie
# musl-gcc: Debian's wrapper around gcc for musl (musl-tools): a real libc
#   whose static startup needs only arch_prctl and set_tid_address.
# -fno-pie / -no-pie: ET_EXEC at 0x400000, the simplest thing to load.
# -fno-stack-protector: the canary is read from %fs:0x28, and the
#   arch_prctl tests point %fs elsewhere.
USER_ASFLAGS := -Wall -Werror -static -nostdlib -no-pie -Wa,--noexecstack
# The freestanding int $0x80 programs: no libc, no startup files; non-PIE
# because the i386 ABI takes 32-bit pointers (all below 4 GiB here).

# The root file system: busybox and its applets, bash, /etc, /root.
include user/rootfs/rootfs.mk
SHSUITE_FILES := run.sh lang.sh redir.sh jobs.sh text.sh files.sh bash.sh

# user/lib: the framework both test suites use (ut.c) and raw syscalls (sys.h).
UT_LIB_OBJS := $(B)/user/obj/lib/ut.o
UTEST_SRCS := $(addprefix user/utest/,utest.c t_misc.c t_io.c t_mem.c \
	t_proc.c t_exec.c t_fault.c t_signal.c t_regs.c t_lock.c t_clone.c t_poll.c t_shm.c t_vm.c \
	t_select.c t_epoll.c t_fs.c t_procfs.c t_time.c t_jobctl.c t_cred.c regs.S regsig.S)
UTEST_OBJS := $(patsubst user/%,$(B)/user/obj/%.o,$(basename $(UTEST_SRCS)))
HOSTILE_SRCS := $(addprefix user/hostile/,hostile.c h_lib.c h_addr.c h_insn.c h_ldt.c \
	h_entry.c h_flags.c h_sigframe.c h_ptr.c h_ptr_proc.c h_poll.c h_ptr_time.c h_thread.c h_args.c \
	h_exhaust.c h_dos.c h_asm.S)
HOSTILE_OBJS := $(patsubst user/%,$(B)/user/obj/%.o,$(basename $(HOSTILE_SRCS)))
FUZZ_OBJS := $(addprefix $(B)/user/obj/fuzz/,fuzz.o fuzz_args.o fuzz_calls.o fuzz_thread.o)

SCRIPTS := sc-hash sc-hash-noarg sc-hash-spaces sc-hash-nested sc-hash-nul sc-hash-crlf \
	sc-hash-noeol sc-hash-longarg sc-chain1 sc-chain2 sc-chain3 sc-chain4 sc-chain5 \
	sc-chain6 sc-self sc-missing sc-noexec sc-empty sc-blank sc-dir sc-text \
	sc-longname sc-longblank sc-procself bb-script bb-noshebang

USER_PROGS := utest hostile fuzz-syscalls echoargs int80 int80spin pie regcheck ticklat bbsh bbjobs \
	pthread-musl pthread-glibc smpstress smpstress-glibc shrun
USER_INITRD_FILES := $(USER_PROGS:%=$(B)/initrd/test/%) \
	$(addprefix $(B)/initrd/test/,data.txt notelf trunc-ehdr trunc-phdr sh-basics.sh) \
	$(SCRIPTS:%=$(B)/initrd/test/%) \
	$(SHSUITE_FILES:%=$(B)/initrd/test/shsuite/%) $(ROOTFS_INITRD_FILES)

user-progs: $(USER_INITRD_FILES)

# Objects live under obj/: build/user/utest is the program, not a directory.
$(B)/user/obj/%.o: user/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@
$(B)/user/obj/%.o: user/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/utest: $(UTEST_OBJS) $(UT_LIB_OBJS)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/user/hostile: $(HOSTILE_OBJS) $(UT_LIB_OBJS)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/user/fuzz-syscalls: $(FUZZ_OBJS)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/user/echoargs: $(B)/user/obj/echoargs.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/user/ticklat: $(B)/user/obj/ticklat.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
# The same thread tests with each C library's pthreads.
$(B)/user/pthread-musl: user/pthread/pthread.c user/lib/say.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS) -pthread -o $@ $<
$(B)/user/pthread-glibc: user/pthread/pthread.c user/lib/say.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread -o $@ $<
$(B)/user/smpstress: user/smp/smpstress.c user/lib/say.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) $(USER_LDFLAGS) -pthread -o $@ $<
$(B)/user/smpstress-glibc: user/smp/smpstress.c user/lib/say.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread -o $@ $<
# glibc's static-pie: an ET_DYN that relocates itself (musl-gcc -static-pie
# would ask for a dynamic loader).
$(B)/user/pie: user/pie.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc -O2 -Wall -Wextra -Werror -static-pie -o $@ $<
$(B)/user/int80 $(B)/user/int80spin $(B)/user/regcheck: $(B)/user/%: user/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(USER_ASFLAGS) -o $@ $<

$(USER_PROGS:%=$(B)/initrd/test/%): $(B)/initrd/test/%: $(B)/user/%
	install -D -m 755 $< $@
$(B)/user/bbsh: $(B)/user/obj/busybox/bbsh.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/user/bbjobs: $(B)/user/obj/busybox/bbjobs.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(B)/initrd/test/sh-basics.sh: user/busybox/sh-basics.sh
	install -D -m 644 $< $@
$(B)/user/shrun: $(B)/user/obj/shsuite/shrun.o
	$(USER_CC) $(USER_LDFLAGS) -o $@ $^
$(SHSUITE_FILES:%=$(B)/initrd/test/shsuite/%): $(B)/initrd/test/shsuite/%: user/shsuite/%
	install -D -m 644 $< $@
$(B)/initrd/test/data.txt: user/data.txt
	install -D -m 644 $< $@
# Every script at once (the list must match what mkscripts.sh writes).
$(SCRIPTS:%=$(B)/initrd/test/%) &: user/scripts/mkscripts.sh
	sh $< $(B)/initrd/test
$(B)/initrd/test/notelf: user/notelf.txt
	install -D -m 755 $< $@
# e_phoff is 64: 100 bytes hold the header but not the program headers.
$(B)/initrd/test/trunc-ehdr $(B)/initrd/test/trunc-phdr: $(B)/user/echoargs
	@mkdir -p $(@D)
	head -c $(if $(findstring ehdr,$@),32,100) $< > $@
	chmod 755 $@

.PHONY: user-progs
-include $(wildcard $(B)/user/obj/*.d $(B)/user/obj/utest/*.d $(B)/user/obj/lib/*.d \
	$(B)/user/obj/hostile/*.d $(B)/user/obj/fuzz/*.d $(B)/user/obj/shsuite/*.d)
