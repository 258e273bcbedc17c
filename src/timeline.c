/* SPDX-License-Identifier: MIT */
/*
 * timeline.c - the timeline analyser: every IP packet into fixed buckets
 * whose width doubles as the capture grows.
 */
#include "timeline.h"

#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "decode.h"

/* see timeline.h */
void
pm_timeline_add(struct pm_timeline *t, int64_t ts, uint64_t bytes)
{
	if (!t->started) {
		t->started = true;
		t->base = ts;
		t->width = 1000; /* 1 µs, doubled as needed */
	}
	if (ts < t->base) {
		t->before++;
		ts = t->base;
	}
	uint64_t idx = (uint64_t)(ts - t->base) / (uint64_t)t->width;
	while (idx >= PM_TIMELINE_SLOTS) {
		for (size_t i = 0; i < PM_TIMELINE_SLOTS / 2; i++) {
			t->pkts[i] = t->pkts[2 * i] + t->pkts[2 * i + 1];
			t->bytes[i] = t->bytes[2 * i] + t->bytes[2 * i + 1];
		}
		memset(t->pkts + PM_TIMELINE_SLOTS / 2, 0, sizeof(t->pkts) / 2);
		memset(t->bytes + PM_TIMELINE_SLOTS / 2, 0, sizeof(t->bytes) / 2);
		t->width *= 2;
		idx = (uint64_t)(ts - t->base) / (uint64_t)t->width;
	}
	t->pkts[idx]++;
	t->bytes[idx] += bytes;
}

static void
timeline_observe(void *st, const struct pm_pass_pkt *pp)
{
	pm_timeline_add(st, pp->pkt->ts_ns, pp->pkt->wirelen);
}

const struct pm_analyser pm_analyser_timeline = {
	.name = "timeline",
	.state_size = sizeof(struct pm_timeline),
	.want = { .classes = PM_WANT_IP, .apps = PM_WANT_ANY_APP },
	.observe = timeline_observe,
};
