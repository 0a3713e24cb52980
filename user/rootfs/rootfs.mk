# user/rootfs/rootfs.mk: the root file system a user meets, in the
# initramfs tree $(B)/initrd/.  Included by user/user.mk (so that
# tools/linux-check's initramfs has it too); offers ROOTFS_INITRD_FILES.
#
#   /bin/busybox             Debian's busybox-static (tools/deps), unchanged
#   /bin/sh, /bin/ls, ...    its applets: symlinks to it, one for each line
#                            of `busybox --list-full` but itself, sbin/init (keel's
#                            own) and linuxrc
#   /bin/bash                Debian's bash-static (tools/deps), unchanged
#   /etc/passwd, group, hostname, profile     (user/rootfs/etc/)
#   /root                    root's home directory
#
# The applet list comes from the busybox on the build host, as the
# package's own postinst would make it; it is written to a makefile
# fragment that make includes, rebuilt when the package changes.

ROOTFS_ETC := passwd group hostname profile
BUSYBOX_LIST := $(B)/busybox-links.mk

ROOTFS_INITRD_FILES := $(B)/initrd/bin/busybox $(B)/initrd/bin/bash \
	$(ROOTFS_ETC:%=$(B)/initrd/etc/%) $(B)/initrd/root

# Debian's packages, installed by tools/deps when missing.
/bin/busybox /bin/bash-static: | $(DEPS_STAMP)

# A tree staged before the applets were links holds keel's programs under
# some of their names (bin/ls): those go, so that the links are made.
$(BUSYBOX_LIST): /bin/busybox user/rootfs/rootfs.mk
	@mkdir -p $(@D)
	/bin/busybox --list-full | grep -v -x -e bin/busybox -e sbin/init -e linuxrc | LC_ALL=C sort > $@.tmp
	for f in $$(cat $@.tmp); do [ -L $(B)/initrd/$$f ] || rm -f $(B)/initrd/$$f; done
	sed 's|^|BUSYBOX_LINKS += $$(B)/initrd/|' $@.tmp > $@ && rm $@.tmp
-include $(BUSYBOX_LIST)
ROOTFS_INITRD_FILES += $(BUSYBOX_LINKS)

$(B)/initrd/bin/busybox: /bin/busybox
	install -D -m 755 $< $@
$(B)/initrd/bin/bash: /bin/bash-static
	install -D -m 755 $< $@
# Relative links: make follows them to the installed busybox, whose time
# they share, so they are not remade on every run.
$(BUSYBOX_LINKS): $(B)/initrd/bin/busybox
	@mkdir -p $(@D)
	ln -sfn $$(realpath -m -s --relative-to=$(@D) $<) $@
$(ROOTFS_ETC:%=$(B)/initrd/etc/%): $(B)/initrd/etc/%: user/rootfs/etc/%
	install -D -m 644 $< $@
$(B)/initrd/root:
	install -d -m 700 $@
