# user/bench/bench.mk: the benchmark program (issue 7) and where it goes
# in the initramfs tree $(B)/initrd/.  Included by the top-level Makefile
# (which defines B and DEPS_STAMP); offers BENCH_INITRD_FILES, the installed
# files, for the initrd.cpio rule to depend on, and the target bench-progs.
#
#   /bench/bench    run as init (init=/bench/bench) by tools/bench.py, under
#                   keel and, unchanged, under Linux; prints every sample
#                   of each figure (`bench: NAME = ...`, see bench.c)
#   /bench/exit0-glibc  a static glibc program returning 0 (fork-exec-wait-glibc)
#
# `make bench` and `make bench-linux` (top-level Makefile) boot it.

BENCH_CC := musl-gcc
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
	-MD -fno-pie -fno-stack-protector
BENCH_LDFLAGS := -static -no-pie -pthread -Wl,-e,bench_start
# -Wno-unused-parameter: every round function has the one signature
#   measure() calls, whether or not it uses each argument.
# -fno-pie / -no-pie: ET_EXEC at 0x400000, like the other user programs.
# -e bench_start: start.S reads the TSC at the first user instruction,
#   then jumps to musl's _start (the boot figure).

BENCH_OBJS := $(B)/user/obj-bench/bench.o $(B)/user/obj-bench/start.o
BENCH_INITRD_FILES := $(B)/initrd/bench/bench $(B)/initrd/bench/exit0-glibc

bench-progs: $(BENCH_INITRD_FILES)

# Objects live apart from the program, as for the shell (user-shell.mk).
$(B)/user/obj-bench/%.o: user/bench/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(BENCH_CC) $(BENCH_CFLAGS) -c $< -o $@
$(B)/user/obj-bench/%.o: user/bench/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(BENCH_CC) $(BENCH_CFLAGS) -Wa,--noexecstack -c $< -o $@
$(B)/user/bench: $(BENCH_OBJS)
	$(BENCH_CC) $(BENCH_LDFLAGS) -o $@ $^
$(B)/initrd/bench/bench: $(B)/user/bench
	install -D -m 755 $< $@
# fork-exec-wait-glibc's program: glibc's static start-up and exit, nothing else.
$(B)/user/exit0-glibc: user/bench/exit0.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<
$(B)/initrd/bench/exit0-glibc: $(B)/user/exit0-glibc
	install -D -m 755 $< $@

.PHONY: bench-progs
-include $(wildcard $(B)/user/obj-bench/*.d)
