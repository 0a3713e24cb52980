/*
 * wait.h: wait4(2) options (Linux's include/uapi/linux/wait.h).  Usable
 * from C and assembly.
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

#define WNOHANG		1
#define WUNTRACED	2
#define WCONTINUED	8
#define __WALL_BITS	0xe0000000	/* __WNOTHREAD, __WALL, __WCLONE */

#endif
