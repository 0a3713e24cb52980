# user/user-shell.mk: keel's own small shell and utilities, and where they
# go in the initramfs tree $(B)/initrd/.  Included by the top-level
# Makefile (which defines B); offers SHELL_INITRD_FILES, the installed
# files, for the initrd.cpio rule to depend on, and the target shell-progs.
#
#   /usr/libexec/keel/sh     the shell (user/sh/)
#   /usr/libexec/keel/<name> one program per user/bin/<name>.c
#   /usr/bin/sysinfo         the one that busybox has no applet for
#
# The shell a user meets is busybox's (user/rootfs/rootfs.mk); these stay
# as test programs.  They are ordinary static Linux programs:
# tests/shell/run-tests.py runs them on the build host.  /sbin/init
# belongs to the top-level Makefile.

SH_CC := musl-gcc
SH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -MD -MP -fno-pie
SH_LDFLAGS := -static -no-pie
# musl-gcc: Debian's wrapper around gcc for musl (musl-tools).
# -fno-pie / -no-pie: ET_EXEC at 0x400000, the simplest thing to load.

SH_SRCS := $(addprefix user/sh/,main.c lex.c parse.c expand.c exec.c \
	jobs.c var.c builtin.c util.c)
SH_OBJS := $(SH_SRCS:user/sh/%.c=$(B)/user/obj-sh/%.o)

SHELL_BINS := cat echo false free kill ls poweroff ps reboot sleep sysinfo \
	true uname uptime
KEEL_LIBEXEC := $(B)/initrd/usr/libexec/keel

SHELL_INITRD_FILES := $(KEEL_LIBEXEC)/sh $(SHELL_BINS:%=$(KEEL_LIBEXEC)/%) \
	$(B)/initrd/usr/bin/sysinfo

shell-progs: $(SHELL_INITRD_FILES)

# Objects live apart from the programs: build/user/sh is the shell itself.
$(SH_OBJS): $(B)/user/obj-sh/%.o: user/sh/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(SH_CC) $(SH_CFLAGS) -c $< -o $@
$(B)/user/sh: $(SH_OBJS)
	$(SH_CC) $(SH_LDFLAGS) -o $@ $^

$(SHELL_BINS:%=$(B)/user/obj-bin/%.o): $(B)/user/obj-bin/%.o: user/bin/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(SH_CC) $(SH_CFLAGS) -c $< -o $@
$(SHELL_BINS:%=$(B)/user/bin/%): $(B)/user/bin/%: $(B)/user/obj-bin/%.o
	@mkdir -p $(@D)
	$(SH_CC) $(SH_LDFLAGS) -o $@ $<

$(KEEL_LIBEXEC)/sh: $(B)/user/sh
	install -D -m 755 $< $@
$(SHELL_BINS:%=$(KEEL_LIBEXEC)/%): $(KEEL_LIBEXEC)/%: $(B)/user/bin/%
	install -D -m 755 $< $@
$(B)/initrd/usr/bin/sysinfo: $(B)/user/bin/sysinfo
	install -D -m 755 $< $@

.PHONY: shell-progs
-include $(wildcard $(B)/user/obj-sh/*.d $(B)/user/obj-bin/*.d)
