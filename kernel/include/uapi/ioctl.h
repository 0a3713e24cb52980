/*
 * ioctl.h: the terminal ioctl(2) numbers (Linux's
 * include/uapi/asm-generic/ioctls.h).  Usable from C and assembly.
 */
#ifndef UAPI_IOCTL_H
#define UAPI_IOCTL_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540a
#define TCFLSH		0x540b
#define TIOCSCTTY	0x540e
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541b
#define TIOCNOTTY	0x5422
#define TCSBRKP		0x5425
#define TIOCGSID	0x5429

#endif
