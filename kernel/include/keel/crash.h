/* crash.h: deliberate kernel faults for tests (crash.c). */
#ifndef CRASH_H
#define CRASH_H
void crash(const char *kind);
#endif
