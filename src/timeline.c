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
	/* ts >= base, so the unsigned difference is exact even past INT64_MAX
	 * (a pre-1970 first packet and a saturated last one). */
	uint64_t d = (uint64_t)ts - (uint64_t)t->base;
	size_t slots = t->slots != 0 && t->slots < PM_TIMELINE_SLOTS ? t->slots : PM_TIMELINE_SLOTS;
	if (d / (uint64_t)t->width >= slots) {
		/* Double the width k times in one pass: slot i >> k sums old slots i. */
		unsigned k = 1;
		while (d / ((uint64_t)t->width << k) >= slots) {
			k++;
		}
		size_t used = ((t->used - 1) >> k) + 1; /* a fold follows a packet: used >= 1 */
		for (size_t j = 0; j < used; j++) {
			/* Block j starts at j << k >= j: slot j is read before it is written. */
			uint64_t np = 0, nb = 0;
			size_t end = (j + 1) << k < t->used ? (j + 1) << k : t->used;
			for (size_t i = j << k; i < end; i++) {
				np += t->pkts[i];
				nb += t->bytes[i];
			}
			t->pkts[j] = np;
			t->bytes[j] = nb;
		}
		memset(t->pkts + used, 0, (t->used - used) * sizeof(t->pkts[0]));
		memset(t->bytes + used, 0, (t->used - used) * sizeof(t->bytes[0]));
		t->used = used;
		t->width <<= k;
	}
	uint64_t idx = d / (uint64_t)t->width;
	if (idx >= t->used) {
		t->used = (size_t)idx + 1;
	}
	t->pkts[idx]++;
	t->bytes[idx] += bytes;
}

static void
timeline_observe(void *st, const struct pm_pass_pkt *pp)
{
	pm_timeline_add(st, pp->pkt->ts_ns, pp->pkt->wirelen);
}

/* Fewer fine buckets when asked (fuzzing: folds stay cheap). */
static int
timeline_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_timeline *t = st;
	t->slots = o->timeline_slots;
	return 0;
}

const struct pm_analyser pm_analyser_timeline = {
	.name = "timeline",
	.state_size = sizeof(struct pm_timeline),
	.init = timeline_init,
	.want = { .classes = PM_WANT_IP, .apps = PM_WANT_ANY_APP },
	.observe = timeline_observe,
};
