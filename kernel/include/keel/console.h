/*
 * console.h: the system console's output and input devices; user
 * processes reach it through the TTY (tty.h).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct bootinfo;

void console_write(const char *s, size_t n);
void console_init_fb(const struct bootinfo *bi);
/*
 * Draw what the framebuffer console owes (a console write(2) before it
 * returns, the idle loop, the machine stopping); console_tick, from the
 * timer tick, draws only text that has waited a tick or more (console.c).
 */
void console_flush(void);
void console_tick(void);
/* Route the serial receive interrupt; needs the IO-APIC. */
void console_init_input(void);

#endif
