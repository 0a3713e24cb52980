/*
 * qemu.c: knowing that we run under QEMU, and ending the run with a status.
 *
 * Detection never writes a port on real hardware: only when CPUID says a
 * hypervisor is present is the fw_cfg selector written, and only a "QEMU"
 * signature read back enables isa-debug-exit.
 *
 * isa-debug-exit (iobase 0xf4, iosize 4): writing v makes QEMU exit with
 * status (v << 1) | 1, so a kernel status s shows up as 2s+1.
 */
#include <arch/arch.h>
#include <arch/cpu.h>

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000
#define DEBUG_EXIT_PORT		0xf4
#define CPUID1_ECX_HYPERVISOR	(1u << 31)

static int isqemu = -1;

int
qemu_detect(void)
{
	uint32_t r[4];
	char sig[4];
	int i;

	if (isqemu >= 0)
		return isqemu;
	isqemu = 0;
	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_HYPERVISOR))
		return 0;
	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	for (i = 0; i < 4; i++)
		sig[i] = (char)inb(FW_CFG_PORT_DATA);
	isqemu = sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
	return isqemu;
}

void
qemu_exit(int status)
{
	if (qemu_detect())
		outl(DEBUG_EXIT_PORT, (uint32_t)status);
}
