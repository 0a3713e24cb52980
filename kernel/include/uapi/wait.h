/*
 * wait.h: wait4(2) and waitid(2) options (Linux's include/uapi/linux/wait.h).  Usable
 * from C and assembly.
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG		1
#define WUNTRACED	2
#define WSTOPPED	2		/* waitid's name for WUNTRACED */
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
/* waitid's idtype */
#define P_ALL		0
#define P_PID		1
#define P_PGID		2

#define __WALL_BITS	0xe0000000	/* __WNOTHREAD, __WALL, __WCLONE */

#endif
