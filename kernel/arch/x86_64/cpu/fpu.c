/*
 * fpu.c: the user's FPU/SSE/AVX state (see fpu.h).
 *
 * The kernel itself never touches these registers (-mgeneral-regs-only),
 * so a process's state stays live in the CPU from its switch-in to its
 * switch-out and is saved only there, on fork, and around a signal frame.
 *
 * With XSAVE, every user component the CPU offers is enabled in XCR0, as
 * Linux does: x87, SSE, AVX and, when the CPU has all three, AVX-512's.
 * (PKRU would need CR4.PKE and AMX's tiles a permission request: neither
 * is offered.)  The signal frame carries the XSAVE image in Linux's layout:
 * the _fpx_sw_bytes in the legacy area's software bytes, FP_XSTATE_MAGIC2
 * after the image, and uc_flags' UC_FP_XSTATE (signal.c), so that libc and
 * Linux's own tests can read and change it.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/usercopy.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/fpu.h>

#define FPU_MAX_SIZE	4096		/* the clean image's room */
#define FCW_DEFAULT	0x037f		/* FNINIT: all x87 exceptions masked */
#define MXCSR_DEFAULT	0x1f80		/* all SSE exceptions masked */

uint32_t fpu_size = FPU_FXSAVE_SIZE;
uint64_t fpu_xfeatures;
static int have_xsaveopt;
static uint32_t mxcsr_mask = 0xffbf;	/* SDM Vol. 1, 11.6.6: when FXSAVE says 0 */
static uint8_t fpu_clean[FPU_MAX_SIZE] __attribute__((aligned(FPU_ALIGN)));

static inline void
xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* EDX:EAX = all ones: RFBM is XCR0, every enabled component. */
#define XMASK	"a"(-1), "d"(-1)

void
fpu_save(void *img)
{
	if (fpu_xfeatures)
		__asm__ volatile("xsave64 (%0)" : : "r"(img), XMASK : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(img) : "memory");
}

void
fpu_save_switch(void *img)
{
	if (have_xsaveopt)
		__asm__ volatile("xsaveopt64 (%0)" : : "r"(img), XMASK : "memory");
	else
		fpu_save(img);
}

void
fpu_restore(const void *img)
{
	if (fpu_xfeatures)
		__asm__ volatile("xrstor64 (%0)" : : "r"(img), XMASK : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(img) : "memory");
}

void
fpu_init_state(void *img)
{
	memcpy(img, fpu_clean, fpu_size);
}

/*
 * What fpu_init chose, on a CPU that did not run it: the same components,
 * so every CPU's images have one size and layout.  Nothing before fpu_init.
 */
void
fpu_enable_this(void)
{
	if (fpu_xfeatures == 0)
		return;
	cpu_write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv(0, fpu_xfeatures);
}

void
fpu_init(void)
{
	uint32_t r[4];
	uint64_t supported, want;

	/* The MXCSR bits this CPU accepts, from an FXSAVE image. */
	fpu_save(fpu_clean);
	if (*(uint32_t *)(fpu_clean + FPU_OFF_MXCSR_MASK))
		mxcsr_mask = *(uint32_t *)(fpu_clean + FPU_OFF_MXCSR_MASK);
	memset(fpu_clean, 0, sizeof(fpu_clean));

	if (cpu_features.cf_xsave) {
		cpuid(0xd, 0, r);
		supported = r[0] | (uint64_t)r[3] << 32;
		want = supported & (XFEATURE_FP | XFEATURE_SSE | XFEATURE_YMM);
		if ((supported & XFEATURE_AVX512) == XFEATURE_AVX512 &&
		    (want & XFEATURE_YMM))
			want |= XFEATURE_AVX512;
		cpu_write_cr4(read_cr4() | CR4_OSXSAVE);
		xsetbv(0, want);
		cpuid(0xd, 0, r);	/* EBX: the image size for XCR0 as now set */
		if (r[1] > FPU_MAX_SIZE && (want & XFEATURE_AVX512)) {
			want &= ~XFEATURE_AVX512;
			xsetbv(0, want);
			cpuid(0xd, 0, r);
		}
		ASSERT(r[1] <= FPU_MAX_SIZE && r[1] >= FPU_FXSAVE_SIZE + FPU_XSAVE_HDR_SIZE);
		fpu_xfeatures = want;
		fpu_size = ROUNDUP(r[1], FPU_ALIGN);
		cpuid(0xd, 1, r);
		have_xsaveopt = r[0] & 1;
	}
	/*
	 * The clean image: the x87 control word FNINIT sets and the default
	 * MXCSR; in the XSAVE header XSTATE_BV = 0, so XRSTOR puts every other
	 * component in its initial configuration (zeros).
	 */
	*(uint16_t *)(fpu_clean + FPU_OFF_FCW) = FCW_DEFAULT;
	*(uint32_t *)(fpu_clean + FPU_OFF_MXCSR) = MXCSR_DEFAULT;
	fpu_restore(fpu_clean);
	kprintf("fpu: %s, xfeatures 0x%lx, %u bytes a process%s\n",
	    fpu_xfeatures ? "XSAVE" : "FXSAVE", fpu_xfeatures, fpu_size,
	    have_xsaveopt ? ", XSAVEOPT" : "");
}

uint64_t
fpu_sigframe_size(void)
{
	return fpu_size + (fpu_xfeatures ? FP_XSTATE_MAGIC2_SIZE : 0);
}

int
fpu_sigframe_put(uint64_t uaddr, void *img)
{
	struct fpx_sw_bytes sw;
	uint32_t magic2 = FP_XSTATE_MAGIC2;

	memset(&sw, 0, sizeof(sw));
	if (fpu_xfeatures) {
		sw.magic1 = FP_XSTATE_MAGIC1;
		sw.extended_size = fpu_size + FP_XSTATE_MAGIC2_SIZE;
		sw.xfeatures = fpu_xfeatures;
		sw.xstate_size = fpu_size;
	}
	memcpy((uint8_t *)img + FPU_OFF_SW_BYTES, &sw, sizeof(sw));
	if (copyout(uaddr, img, fpu_size))
		return -EFAULT;
	if (fpu_xfeatures && copyout(uaddr + fpu_size, &magic2, sizeof(magic2)))
		return -EFAULT;
	return 0;
}

/*
 * The state at uaddr, as Linux's sigreturn takes it (check_xstate_in_
 * sigframe, __restore_fpregs_from_user): an XSAVE image when the software
 * bytes say so and FP_XSTATE_MAGIC2 follows it, else a bare FXSAVE image
 * (x87 and SSE; every other component starts afresh).  Linux has the CPU's
 * XRSTOR read the user's memory and answers its #GP with SIGSEGV; here the
 * image is copied in and checked first for everything that would make
 * XRSTOR or FXRSTOR fault, so the kernel's own restore never can.
 */
int
fpu_sigframe_get(void *img, uint64_t uaddr)
{
	uint8_t *b = img;
	struct fpx_sw_bytes sw;
	uint64_t xstate_bv, rfbm = XFEATURE_FP | XFEATURE_SSE;
	uint32_t size = FPU_FXSAVE_SIZE, magic2, mxcsr;
	int xsave_image = 0;

	if (fpu_xfeatures) {
		if (copyin(&sw, uaddr + FPU_OFF_SW_BYTES, sizeof(sw)))
			return -EFAULT;
		if (sw.magic1 == FP_XSTATE_MAGIC1 &&
		    sw.xstate_size >= FPU_FXSAVE_SIZE + FPU_XSAVE_HDR_SIZE &&
		    sw.xstate_size <= fpu_size && sw.xstate_size <= sw.extended_size) {
			if (copyin(&magic2, uaddr + sw.xstate_size, sizeof(magic2)))
				return -EFAULT;
			if (magic2 == FP_XSTATE_MAGIC2) {
				xsave_image = 1;
				size = sw.xstate_size;
				rfbm = sw.xfeatures & fpu_xfeatures;
			}
		}
	}
	/* FXRSTOR needs 16-byte alignment, XRSTOR 64 (#GP). */
	if (uaddr % (xsave_image ? FPU_ALIGN : 16))
		return -EINVAL;
	memset(b + size, 0, fpu_size - size);
	if (copyin(b, uaddr, size))
		return -EFAULT;
	memcpy(&mxcsr, b + FPU_OFF_MXCSR, sizeof(mxcsr));
	if (mxcsr & ~mxcsr_mask)
		return -EINVAL;		/* FXRSTOR and XRSTOR: #GP */
	if (!fpu_xfeatures)
		return 0;
	if (xsave_image) {
		memcpy(&xstate_bv, b + FPU_OFF_XSTATE_BV, sizeof(xstate_bv));
		/* Standard form: no component XCR0 lacks, bytes 8-23 zero. */
		if ((xstate_bv & ~fpu_xfeatures) ||
		    *(uint64_t *)(b + FPU_OFF_XCOMP_BV) != 0 ||
		    *(uint64_t *)(b + FPU_OFF_XCOMP_BV + 8) != 0)
			return -EINVAL;
	} else {
		/* A legacy image: its x87 and SSE state, the header made here. */
		memset(b + FPU_OFF_XSTATE_BV, 0, FPU_XSAVE_HDR_SIZE);
		xstate_bv = XFEATURE_FP | XFEATURE_SSE;
	}
	/* What the frame does not name starts afresh, as Linux's init_bv. */
	xstate_bv &= rfbm;
	memcpy(b + FPU_OFF_XSTATE_BV, &xstate_bv, sizeof(xstate_bv));
	return 0;
}
