/*
 * ticklat.c: a timer tick after console output must not stall the process
 * it interrupts (issue 11, item 6).  Run as init under `-icount
 * shift=0,sleep=off` (tests/cases.py, user/tick-after-output), where the
 * TSC counts guest instructions, so every figure is exact.
 *
 * Usage: /test/ticklat (as init; no arguments)
 *
 * Writes LINES lines to the console, one write(2) each, so that the last
 * ones scroll it.  Each line is the one before shifted by a character, so
 * a scroll changes every cell (the framebuffer console redraws the cells
 * that differ).  Then it spins reading the TSC for SPIN_TSC, across a few
 * timer ticks, and finds the largest gap between two readings: what a tick
 * cost this process.  keel used to draw the console's pixels in the first
 * tick after output, charging the whole redraw (42.7 million instructions
 * at 160x50) to whichever process it interrupted; a tick alone costs a few
 * hundred, and the writer now pays for its text in its write(2).
 *
 * Output: "ticklat: last write W, ticks T, largest gap G (in S)", guest
 * instructions; exit status 0 when G < GAP_LIMIT and T >= MIN_TICKS (else
 * the test measured nothing), else 1 with a line saying which.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lib/sys.h"

#define LINES		100
#define LINE_LEN	150	/* characters before the newline */
/* 60 ms of guest time: 6 ticks at 100 Hz (the TSC runs at 1 GHz). */
#define SPIN_TSC	60000000ULL
#define MIN_TICKS	3
/* A gap this long is an interrupt: the loop takes about ten instructions. */
#define GAP_INTERRUPT	100
/* A tick's own work is hundreds; a redraw of the screen, millions. */
#define GAP_LIMIT	1000000ULL

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void
say(const char *s)
{
	sys_write(1, s, strlen(s));
}

int
main(void)
{
	char line[160];
	uint64_t t0, t1, prev, now, gap, max_gap = 0, write_tsc = 0;
	int i, n, ticks = 0;

	for (i = 0; i < LINES; i++) {
		n = snprintf(line, sizeof(line), "ticklat: line %3d ", i + 1);
		for (; n < LINE_LEN; n++)
			line[n] = '!' + (i + n) % 94;
		line[n++] = '\n';
		t0 = rdtsc();
		sys_write(1, line, n);
		write_tsc = rdtsc() - t0;
	}
	/* At once: a tick that draws the lines above lands in this loop. */
	t0 = prev = rdtsc();
	do {
		now = rdtsc();
		gap = now - prev;
		if (gap > GAP_INTERRUPT)
			ticks++;
		if (gap > max_gap)
			max_gap = gap;
		prev = now;
	} while (now - t0 < SPIN_TSC);
	t1 = now;
	snprintf(line, sizeof(line), "ticklat: last write %llu, ticks %d, largest gap %llu"
	    " (in %llu)\n", (unsigned long long)write_tsc, ticks,
	    (unsigned long long)max_gap, (unsigned long long)(t1 - t0));
	say(line);
	if (max_gap >= GAP_LIMIT) {
		say("ticklat: FAIL: an interrupt stalled this process for a million"
		    " instructions or more\n");
		return 1;
	}
	if (ticks < MIN_TICKS) {
		say("ticklat: FAIL: too few interrupts seen (not under -icount?)\n");
		return 1;
	}
	say("ticklat: ok\n");
	return 0;
}
