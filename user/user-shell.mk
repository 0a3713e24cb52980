# user/user-shell.mk: the shell and the core utilities, and where they go
# in the initramfs tree $(B)/initrd/.  Included by the top-level Makefile
# (which defines B); offers SHELL_INITRD_FILES, the installed files, for
# the initrd.cpio rule to depend on, and the target shell-progs.
#
#   /bin/sh                  the shell (user/sh/)
#   /bin/<name>              one program per user/bin/<name>.c
#   /sbin/poweroff, reboot   copies of /bin/poweroff and /bin/reboot
#
# They are ordinary static Linux programs: tests/shell/run-tests.py runs
# them on the build host.  /sbin/init belongs to user/user.mk.

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
SHELL_SBINS := poweroff reboot

SHELL_INITRD_FILES := $(B)/initrd/bin/sh \
	$(SHELL_BINS:%=$(B)/initrd/bin/%) \
	$(SHELL_SBINS:%=$(B)/initrd/sbin/%)

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

$(B)/initrd/bin/sh: $(B)/user/sh
	install -D -m 755 $< $@
$(SHELL_BINS:%=$(B)/initrd/bin/%): $(B)/initrd/bin/%: $(B)/user/bin/%
	install -D -m 755 $< $@
$(SHELL_SBINS:%=$(B)/initrd/sbin/%): $(B)/initrd/sbin/%: $(B)/user/bin/%
	install -D -m 755 $< $@

.PHONY: shell-progs
-include $(wildcard $(B)/user/obj-sh/*.d $(B)/user/obj-bin/*.d)
