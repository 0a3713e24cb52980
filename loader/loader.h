/*
 * loader.h: what the loader's files offer each other.
 *
 * efiutil.c: console messages, tracked page allocation (freed again when the
 *            loader gives up), file reading from the boot volume.
 * main.c:    the boot flow, efi_main.
 * handoff.S: the jump into the kernel.
 */
#ifndef LOADER_H
#define LOADER_H

#include <efi.h>
#include <efilib.h>
#include <stdint.h>

/* Print a line (no newline needed) on ConOut: the screen, and serial under OVMF. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Report why the boot cannot go on, free what the loader allocated, wait a
 * few seconds so the message can be read, and return st for efi_main to
 * hand back to the firmware.
 */
EFI_STATUS fail(EFI_STATUS st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *efi_strerror(EFI_STATUS st);

/* Zeroed pages of EfiLoaderData anywhere in memory; 0 on failure. */
uint64_t pages_alloc(uint64_t npages);
void pages_free_all(void);

/*
 * Read a whole file from the root of vol into fresh pages.  EFI_NOT_FOUND
 * when it does not exist; other errors as the firmware reports them.
 */
EFI_STATUS file_read(EFI_FILE_HANDLE vol, const CHAR16 *path, uint64_t *pa,
    uint64_t *size);

/* Post-ExitBootServices serial output straight to COM1, if COM1 answers. */
void early_serial_puts(const char *s);

/* handoff.S */
void handoff(uint64_t cr3, uint64_t entry, uint64_t stack_top,
    uint64_t bootinfo) __attribute__((noreturn));
extern char handoff_end[];

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif /* LOADER_H */
