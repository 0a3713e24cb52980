/*
 * efiutil.c: console messages, tracked page allocation and file reading for
 * the loader (see loader.h).
 */
#include "loader.h"
#include <lib/fmt.h>

#define FAIL_WAIT_US	(3 * 1000 * 1000)
#define MAX_ALLOCS	64

static struct {
	EFI_PHYSICAL_ADDRESS pa;
	UINTN npages;
} allocs[MAX_ALLOCS];
static int nallocs;

static void
vsay(const char *fmt, va_list ap)
{
	char buf[256];
	CHAR16 wbuf[260];
	int i;

	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	for (i = 0; buf[i]; i++)
		wbuf[i] = (unsigned char)buf[i];
	wbuf[i++] = '\r';
	wbuf[i++] = '\n';
	wbuf[i] = 0;
	ST->ConOut->OutputString(ST->ConOut, wbuf);
}

void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

EFI_STATUS
fail(EFI_STATUS st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	pages_free_all();
	say("loader: returning to the firmware in 3 seconds");
	BS->Stall(FAIL_WAIT_US);
	return st;
}

const char *
efi_strerror(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS:		return "success";
	case EFI_LOAD_ERROR:		return "load error";
	case EFI_INVALID_PARAMETER:	return "invalid parameter";
	case EFI_UNSUPPORTED:		return "unsupported";
	case EFI_BUFFER_TOO_SMALL:	return "buffer too small";
	case EFI_DEVICE_ERROR:		return "device error";
	case EFI_OUT_OF_RESOURCES:	return "out of resources";
	case EFI_VOLUME_CORRUPTED:	return "volume corrupted";
	case EFI_NO_MEDIA:		return "no media";
	case EFI_NOT_FOUND:		return "not found";
	case EFI_ACCESS_DENIED:		return "access denied";
	default:			return "error";
	}
}

uint64_t
pages_alloc(uint64_t npages)
{
	EFI_PHYSICAL_ADDRESS pa = 0;
	EFI_STATUS st;

	if (nallocs == MAX_ALLOCS || npages == 0)
		return 0;
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, npages, &pa);
	if (EFI_ERROR(st) || pa == 0)
		return 0;
	allocs[nallocs].pa = pa;
	allocs[nallocs].npages = npages;
	nallocs++;
	BS->SetMem((void *)pa, npages * EFI_PAGE_SIZE, 0);
	return pa;
}

void
pages_free_all(void)
{
	while (nallocs > 0) {
		nallocs--;
		BS->FreePages(allocs[nallocs].pa, allocs[nallocs].npages);
	}
}

EFI_STATUS
file_read(EFI_FILE_HANDLE vol, const CHAR16 *path, uint64_t *pa, uint64_t *size)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN len;

	st = vol->Open(vol, &f, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(f);
	if (info == NULL) {
		f->Close(f);
		return EFI_DEVICE_ERROR;
	}
	*size = info->FileSize;
	FreePool(info);
	*pa = 0;
	if (*size > 0) {
		*pa = pages_alloc(EFI_SIZE_TO_PAGES(*size));
		if (*pa == 0) {
			f->Close(f);
			return EFI_OUT_OF_RESOURCES;
		}
		len = *size;
		st = f->Read(f, &len, (void *)*pa);
		if (!EFI_ERROR(st) && len != *size)
			st = EFI_END_OF_FILE;
	}
	f->Close(f);
	return st;
}

/*
 * After ExitBootServices the console is gone; a marker on COM1 still helps
 * to bisect a failed hand-off.  The scratch register tells whether a UART
 * is there at all, and the wait for the transmitter is bounded, so a machine
 * without COM1 costs a few port reads.
 */
#define COM1		0x3f8
#define UART_SCR	7
#define UART_LSR	5
#define LSR_THRE	0x20

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void
early_serial_puts(const char *s)
{
	int spin;

	outb(COM1 + UART_SCR, 0x5a);
	if (inb(COM1 + UART_SCR) != 0x5a)
		return;
	for (; *s; s++) {
		for (spin = 0; spin < 100000; spin++)
			if (inb(COM1 + UART_LSR) & LSR_THRE)
				break;
		outb(COM1, *s);
	}
}
