/*
 * fpu.h: the user's FPU, SSE and AVX state: enabling XSAVE, saving and
 * restoring a process's image, and its place in the signal frame.
 *
 * Interface:
 *   fpu_init()                 once, after cpufeat_init: CR4.OSXSAVE and
 *                              XCR0 from CPUID, the image size, the clean image
 *   fpu_enable_this()          the same CR4.OSXSAVE and XCR0 on another CPU
 *   fpu_size                   bytes of one state image (64-byte aligned)
 *   fpu_save(img)              the live registers into img (XSAVE or FXSAVE)
 *   fpu_save_switch(img)       the same on a context switch (XSAVEOPT where
 *                              present: unmodified components are skipped)
 *   fpu_restore(img)           img into the registers (XRSTOR or FXRSTOR)
 *   fpu_init_state(img)        img becomes the state of a new program
 *   fpu_sigframe_size()        the bytes a signal frame needs for the state
 *   fpu_sigframe_put(u, img)   img to user address u in Linux's layout
 *   fpu_sigframe_get(img, u)   the state a handler left at u, checked as
 *                              XRSTOR would check it; nonzero: SIGSEGV
 *
 * An image is the XSAVE area in the standard (non-compacted) form, or the
 * 512-byte FXSAVE area on a CPU without XSAVE.  Every write to the image
 * of the running process is followed by fpu_restore before the next
 * fpu_save_switch: XSAVEOPT trusts that the last XRSTOR from this address
 * is what the buffer holds (SDM Vol. 1, 13.9, the modified optimization).
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* XSAVE state components (SDM Vol. 1, 13.1). */
#define XFEATURE_FP		(1UL << 0)
#define XFEATURE_SSE		(1UL << 1)
#define XFEATURE_YMM		(1UL << 2)	/* AVX: the upper halves of ymm0-15 */
#define XFEATURE_OPMASK		(1UL << 5)	/* AVX-512: k0-k7 */
#define XFEATURE_ZMM_HI256	(1UL << 6)	/* upper halves of zmm0-15 */
#define XFEATURE_HI16_ZMM	(1UL << 7)	/* zmm16-31 */
#define XFEATURE_AVX512		(XFEATURE_OPMASK | XFEATURE_ZMM_HI256 | XFEATURE_HI16_ZMM)

/* Where things are in an image (SDM Vol. 1, 10.5.1 and 13.4). */
#define FPU_FXSAVE_SIZE		512
#define FPU_OFF_FCW		0
#define FPU_OFF_MXCSR		24
#define FPU_OFF_MXCSR_MASK	28
#define FPU_OFF_SW_BYTES	464	/* 48 bytes no instruction writes */
#define FPU_OFF_XSTATE_BV	512	/* the XSAVE header */
#define FPU_OFF_XCOMP_BV	520
#define FPU_XSAVE_HDR_SIZE	64
#define FPU_ALIGN		64

/* Linux's struct _fpx_sw_bytes (uapi/asm/sigcontext.h). */
#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define FP_XSTATE_MAGIC2_SIZE	4

struct fpx_sw_bytes {
	uint32_t magic1;		/* FP_XSTATE_MAGIC1 when the rest is there */
	uint32_t extended_size;		/* xstate_size + the magic2 word */
	uint64_t xfeatures;		/* the components in the image */
	uint32_t xstate_size;		/* bytes of the XSAVE image */
	uint32_t padding[7];
};
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "_fpx_sw_bytes");

extern uint32_t fpu_size;
extern uint64_t fpu_xfeatures;	/* XCR0: 0 without XSAVE */

void fpu_init(void);
void fpu_enable_this(void);
void fpu_save(void *img);
void fpu_save_switch(void *img);
void fpu_restore(const void *img);
void fpu_init_state(void *img);
uint64_t fpu_sigframe_size(void);
int fpu_sigframe_put(uint64_t uaddr, void *img);
int fpu_sigframe_get(void *img, uint64_t uaddr);

#endif /* ARCH_FPU_H */
