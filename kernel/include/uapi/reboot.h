/*
 * reboot.h: reboot(2)'s magic numbers and commands (Linux's
 * include/uapi/linux/reboot.h, where each name starts LINUX_).  Usable from
 * C and assembly.
 */
#ifndef UAPI_REBOOT_H
#define UAPI_REBOOT_H

#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_MAGIC2		672274793
#define REBOOT_MAGIC2A		85072278
#define REBOOT_MAGIC2B		369367448
#define REBOOT_MAGIC2C		537993216
#define REBOOT_CMD_RESTART	0x01234567
#define REBOOT_CMD_HALT		0xcdef0123
#define REBOOT_CMD_POWER_OFF	0x4321fedc

#endif
