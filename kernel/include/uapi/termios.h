/*
 * termios.h: struct termios's flag bits and c_cc indices (Linux's
 * include/uapi/asm-generic/termbits.h, octal as there).  Usable from C and
 * assembly.
 */
#ifndef UAPI_TERMIOS_H
#define UAPI_TERMIOS_H

/* c_iflag */
#define ICRNL		0000400
#define IXON		0002000
/* c_oflag */
#define OPOST		0000001
#define ONLCR		0000004
/* c_lflag */
#define ISIG		0000001
#define ICANON		0000002
#define ECHO		0000010
#define ECHOE		0000020
#define ECHOK		0000040
#define NOFLSH		0000200
#define TOSTOP		0000400
#define ECHOCTL		0001000
#define ECHOKE		0004000
#define IEXTEN		0100000
/* c_cc indices */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VMIN		6
#define VSUSP		10
#define VWERASE		14
#define NCCS		19

#endif
