/* SPDX-License-Identifier: MIT */
/*
 * timeline.h - IP packets and bytes per interval over the capture, for the
 * summary's timeline. PM_TIMELINE_SLOTS fine buckets are kept while the pass
 * runs; when a packet falls past the last one, neighbouring buckets merge
 * and the width doubles, so memory is fixed whatever the capture's length.
 * Packets older than the first one are counted in the first bucket.
 */
#ifndef PM_TIMELINE_H
#define PM_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PM_TIMELINE_SLOTS 4096 /* fine buckets kept while streaming */

/* Packets and bytes per interval; the width doubles as the capture grows. */
struct pm_timeline {
	int64_t base;  /* ns: start of slot 0 */
	int64_t width; /* ns per slot */
	bool started;
	uint64_t before; /* packets older than base (out of order at the start) */
	size_t used;     /* slots from here on are all zero */
	size_t slots;    /* slots to fill, at most and by default (0) PM_TIMELINE_SLOTS */
	uint64_t pkts[PM_TIMELINE_SLOTS];
	uint64_t bytes[PM_TIMELINE_SLOTS];
};

/* Count one packet of `bytes` wire bytes at time ts (ns since the epoch). */
void pm_timeline_add(struct pm_timeline *t, int64_t ts, uint64_t bytes);

#endif /* PM_TIMELINE_H */
