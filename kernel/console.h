/*
 * console.h: the system console: kernel output, and the TTY that user
 * processes read and write (fds 0-2 of init, /dev/console, /dev/tty).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdint.h>

void console_write(const char *s, size_t n);
/* Bytes typed at the console (serial receive interrupt). */
void console_input(char c);
/* Block until input is there; copy at most n bytes to user memory. */
long console_read_user(uint64_t ubuf, uint64_t n);
long console_ioctl(uint64_t req, uint64_t arg);
/* Route the serial receive interrupt; needs the IO-APIC. */
void console_init_input(void);

#endif
