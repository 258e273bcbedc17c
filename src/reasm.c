/* SPDX-License-Identifier: MIT */
/*
 * reasm.c - TCP stream reassembly into a bounded per-direction window.
 *
 * The buffer holds the contiguous prefix [0, len) and, beyond it, up to
 * PM_REASM_MAX_RANGES sorted disjoint out-of-order ranges, all at their
 * offset from buf[0]. A segment is written only where nothing is held
 * (first copy wins) and compared where something is. Sequence numbers are
 * compared as signed 32-bit differences (RFC 9293 §3.4), so wrap needs no
 * special case. Does not look at checksums, windows or timestamps.
 */
#include "reasm.h"

#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "decode.h"
#include "flow.h"
#include "json.h"

_Static_assert(sizeof(struct pm_reasm_dir) <= 64, "a direction is one cache line");

static uint32_t
window_of(const struct pm_reasm_pool *pool)
{
	uint32_t w = pool->window != 0 ? pool->window : PM_REASM_WINDOW;
	return w > PM_REASM_MAX_WINDOW ? PM_REASM_MAX_WINDOW : w;
}

static void
stop(struct pm_reasm_dir *d, enum pm_reasm_state s)
{
	if (d->state == PM_REASM_OPEN || d->state == PM_REASM_IDLE) {
		d->state = (uint8_t)s;
	}
}

/* End of the held bytes: the last range's end, or len. */
static uint32_t
held_end(const struct pm_reasm_dir *d)
{
	if (d->n_ranges == 0) {
		return d->len;
	}
	const struct pm_reasm_range *r = &d->r[d->n_ranges - 1];
	return r->off + r->len;
}

static void
gap(struct pm_reasm_pool *pool, struct pm_reasm_dir *d)
{
	if (d->state != PM_REASM_OPEN) {
		return;
	}
	d->state = PM_REASM_GAP;
	d->gap_at = d->consumed + d->len;
	d->n_ranges = 0;
	pool->gaps++;
}

#define RANGES_BYTES (PM_REASM_MAX_RANGES * sizeof(struct pm_reasm_range))

static void
account(struct pm_reasm_pool *pool, size_t n)
{
	pool->bytes += n;
	if (pool->bytes > pool->peak) {
		pool->peak = pool->bytes;
	}
}

/* Whether n more bytes stay within the pool's cap; when not, d stops (CAPPED). */
static bool
fits(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, size_t n)
{
	size_t max = pool->max_bytes != 0 ? pool->max_bytes : PM_REASM_POOL_MAX;
	if (n > max || pool->bytes > max - n) {
		pool->capped++;
		stop(d, PM_REASM_CAPPED);
		return false;
	}
	return true;
}

/* Make the buffer hold at least need bytes (need <= window). False when the pool is full. */
static bool
grow(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t need, uint32_t window)
{
	if (need <= d->cap) {
		return true;
	}
	uint32_t cap = d->cap != 0 ? d->cap : PM_REASM_FIRST_BUF;
	while (cap < need) {
		cap = cap > window / 2 ? window : cap * 2;
	}
	size_t extra = cap - d->cap;
	if (!fits(pool, d, extra)) {
		return false;
	}
	uint8_t *b = realloc(d->buf, cap);
	if (b == NULL) {
		pool->capped++;
		stop(d, PM_REASM_CAPPED);
		return false;
	}
	d->buf = b;
	d->cap = cap;
	account(pool, extra);
	return true;
}

/*
 * Copy [a, b) of the segment (p is its byte at offset a) where nothing is
 * held, compare where something is. Returns whether any held byte was
 * overlapped; *differ when one of them differed, *fresh when a byte was new.
 */
static bool
write_seg(struct pm_reasm_dir *d, uint32_t a, uint32_t b, const uint8_t *p, bool *differ,
          bool *fresh)
{
	bool overlap = false;
	uint32_t pos = a;
	for (uint32_t i = 0; i <= d->n_ranges && pos < b; i++) {
		uint32_t s = i == 0 ? 0 : d->r[i - 1].off;
		uint32_t e = i == 0 ? d->len : d->r[i - 1].off + d->r[i - 1].len;
		if (e <= pos) {
			continue;
		}
		if (pos < s) {
			uint32_t w = s < b ? s : b;
			memcpy(d->buf + pos, p + (pos - a), w - pos);
			*fresh = true;
			pos = w;
		}
		uint32_t ce = e < b ? e : b;
		if (pos < ce) {
			overlap = true;
			if (memcmp(d->buf + pos, p + (pos - a), ce - pos) != 0) {
				*differ = true;
			}
			pos = ce;
		}
	}
	if (pos < b) {
		memcpy(d->buf + pos, p + (pos - a), b - pos);
		*fresh = true;
	}
	return overlap;
}

/* The direction's range array, at its first out-of-order range. False when the pool is full. */
static bool
ranges(struct pm_reasm_pool *pool, struct pm_reasm_dir *d)
{
	if (!fits(pool, d, RANGES_BYTES)) {
		return false;
	}
	if ((d->r = malloc(RANGES_BYTES)) == NULL) {
		pool->capped++;
		stop(d, PM_REASM_CAPPED);
		return false;
	}
	account(pool, RANGES_BYTES);
	return true;
}

/* Add [a, b) to the held set. False when it needs more ranges than there are, or no memory. */
static bool
add_range(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t a, uint32_t b)
{
	if (a <= d->len) {
		if (b > d->len) {
			d->len = b;
		}
	} else {
		uint32_t i = 0;
		while (i < d->n_ranges && d->r[i].off + d->r[i].len < a) {
			i++;
		}
		uint32_t j = i;
		while (j < d->n_ranges && d->r[j].off <= b) {
			uint32_t e = d->r[j].off + d->r[j].len;
			a = d->r[j].off < a ? d->r[j].off : a;
			b = e > b ? e : b;
			j++;
		}
		if (i == j && d->n_ranges == PM_REASM_MAX_RANGES) {
			return false;
		}
		if (d->r == NULL && !ranges(pool, d)) {
			return false;
		}
		/* ranges i..j-1 merge into one at i */
		uint32_t removed = j - i;
		if (removed == 0) {
			memmove(&d->r[i + 1], &d->r[i], (d->n_ranges - i) * sizeof(d->r[0]));
			d->n_ranges++;
		} else if (removed > 1) {
			memmove(&d->r[i + 1], &d->r[j], (d->n_ranges - j) * sizeof(d->r[0]));
			d->n_ranges -= removed - 1;
		}
		d->r[i].off = a;
		d->r[i].len = b - a;
	}
	/* ranges that now touch the prefix join it */
	uint32_t k = 0;
	while (k < d->n_ranges && d->r[k].off <= d->len) {
		uint32_t e = d->r[k].off + d->r[k].len;
		if (e > d->len) {
			d->len = e;
		}
		k++;
	}
	if (k != 0) {
		memmove(&d->r[0], &d->r[k], (d->n_ranges - k) * sizeof(d->r[0]));
		d->n_ranges -= k;
	}
	return true;
}

/* Start a direction at its first useful segment. False when the segment cannot start it. */
static bool
start(struct pm_reasm_dir *d, uint32_t seq, uint16_t flags, size_t n)
{
	if ((flags & PM_TCP_SYN) != 0) {
		d->syn = true;
		d->base_seq = seq + 1;
	} else if (n != 0) {
		d->midstream = true;
		d->base_seq = seq;
	} else {
		return false;
	}
	d->state = PM_REASM_OPEN;
	return true;
}

/* Store the payload at dseq. Returns whether the prefix grew. */
static bool
insert(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t dseq, const uint8_t *p,
       size_t n)
{
	uint32_t window = window_of(pool);
	int64_t rel = (int32_t)(dseq - d->base_seq);
	if (rel < 0) {
		if (rel + (int64_t)n <= 0) {
			d->retrans++;
			pool->retrans++;
			return false;
		}
		p += -rel;
		n -= (size_t)-rel;
		rel = 0;
	}
	uint64_t lim = window;
	if (d->fin_seen) {
		int64_t f = (int32_t)(d->fin_seq - d->base_seq);
		lim = f < 0 ? 0 : (uint64_t)f < lim ? (uint64_t)f : lim;
	}
	uint64_t end = (uint64_t)rel + n;
	if (end > lim) {
		if (lim == window) {
			pool->beyond++;
			pool->full++;
			stop(d, PM_REASM_FULL);
		}
		if ((uint64_t)rel >= lim) {
			return false;
		}
		end = lim;
	}
	uint32_t a = (uint32_t)rel, b = (uint32_t)end;
	if (!grow(pool, d, b, window)) {
		return false;
	}
	uint32_t before = d->len;
	bool differ = false, fresh = false;
	if (write_seg(d, a, b, p, &differ, &fresh)) {
		if (fresh) {
			pool->overlaps++;
		} else {
			d->retrans++;
			pool->retrans++;
		}
		if (differ) {
			d->conflicts++;
			pool->conflicts++;
		}
	}
	if (!add_range(pool, d, a, b)) {
		gap(pool, d);
		return d->len > before;
	}
	return d->len > before;
}

/* see reasm.h */
void
pm_reasm_begin(struct pm_reasm_dir *d, uint32_t isn)
{
	if (d->state == PM_REASM_IDLE) {
		d->syn = true;
		d->base_seq = isn + 1;
		d->state = PM_REASM_OPEN;
	}
}

/* see reasm.h */
bool
pm_reasm_no_payload_yet(const struct pm_pass_pkt *pp)
{
	return pp->flow->d[0].data == 0 && pp->flow->d[1].data == 0;
}

/* see reasm.h */
bool
pm_reasm_first_bytes(const struct pm_pass_pkt *pp)
{
	const struct pm_flow_dir *fd = &pp->flow->d[pp->kdir];
	if (pp->pkt->payload_len == 0 || fd->data != 1 || pp->flow->d[1 - pp->kdir].data != 0) {
		return false;
	}
	return fd->syn == 0 || pp->pkt->seq == fd->isn + 1;
}

/* see reasm.h */
void
pm_reasm_begin_flow(struct pm_reasm_dir d[2], const struct pm_pass_pkt *pp)
{
	for (int dir = 0; dir < 2; dir++) {
		const struct pm_flow_dir *fd =
		    &pp->flow->d[dir == pp->dir ? pp->kdir : 1 - pp->kdir];
		if (fd->syn != 0) {
			pm_reasm_begin(&d[dir], fd->isn);
		}
	}
}

/* see reasm.h */
bool
pm_reasm_seg(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t seq, uint16_t flags,
             const uint8_t *p, size_t n)
{
	if (d->state == PM_REASM_IDLE && !start(d, seq, flags, n)) {
		return false;
	}
	if (d->state != PM_REASM_OPEN) {
		return false;
	}
	uint32_t dseq = (flags & PM_TCP_SYN) != 0 ? seq + 1 : seq;
	bool grew = false;
	if (n != 0) {
		pool->segments++;
		grew = insert(pool, d, dseq, p, n);
	}
	if (d->state != PM_REASM_OPEN) {
		return grew;
	}
	if ((flags & PM_TCP_FIN) != 0 && !d->fin_seen) {
		d->fin_seen = true;
		d->fin_seq = dseq + (uint32_t)n;
	}
	if ((flags & PM_TCP_RST) != 0) {
		if (d->n_ranges != 0) {
			gap(pool, d);
		} else {
			d->state = PM_REASM_RST;
		}
	} else if (d->fin_seen && (int32_t)(d->fin_seq - d->base_seq) <= (int64_t)d->len) {
		d->state = PM_REASM_FIN;
	}
	return grew;
}

/* see reasm.h */
void
pm_reasm_parse_held(struct pm_reasm_dir *d, pm_reasm_parse_fn *parse, void *ctx)
{
	if (d->buf == NULL || d->len == 0) {
		return;
	}
	size_t used = parse(ctx, d->buf, d->len, d->consumed);
	pm_reasm_consume(d, used);
}

/* Whether pm_reasm_feed may parse the segment where it lies (see reasm.h). */
static bool
in_place(const struct pm_reasm_pool *pool, const struct pm_reasm_dir *d, uint32_t seq,
         uint16_t flags, size_t n)
{
	return d->state == PM_REASM_OPEN && d->len == 0 && d->n_ranges == 0 && !d->fin_seen &&
	       (flags & (PM_TCP_SYN | PM_TCP_FIN | PM_TCP_RST)) == 0 && n != 0 &&
	       n <= window_of(pool) && seq == d->base_seq;
}

/* see reasm.h */
bool
pm_reasm_feed(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t seq, uint16_t flags,
              const uint8_t *p, size_t n, pm_reasm_parse_fn *parse, void *ctx)
{
	if (!in_place(pool, d, seq, flags, n)) {
		if (!pm_reasm_seg(pool, d, seq, flags, p, n)) {
			return false;
		}
		pm_reasm_parse_held(d, parse, ctx);
		return true;
	}
	pool->segments++;
	size_t used = parse(ctx, p, n, d->consumed);
	if (used > n) {
		used = n;
	}
	/* the used bytes are consumed as if they had been held */
	d->base_seq += (uint32_t)used;
	d->consumed += used;
	if (used < n && d->state == PM_REASM_OPEN) {
		insert(pool, d, d->base_seq, p + used, n - used);
	}
	return true;
}

/* see reasm.h */
void
pm_reasm_ack(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t ack)
{
	if (d->state != PM_REASM_OPEN) {
		return;
	}
	int32_t rel = (int32_t)(ack - d->base_seq);
	if (rel > 0 && (uint32_t)rel > d->len) {
		gap(pool, d);
	}
}

/* see reasm.h */
struct pm_cur
pm_reasm_cur(const struct pm_reasm_dir *d)
{
	return pm_cur_init(d->buf, d->buf != NULL ? d->len : 0);
}

/* see reasm.h */
void
pm_reasm_consume(struct pm_reasm_dir *d, size_t n)
{
	if (n > d->len) {
		n = d->len;
	}
	if (n == 0) {
		return;
	}
	uint32_t k = (uint32_t)n;
	uint32_t hi = held_end(d);
	memmove(d->buf, d->buf + k, hi - k);
	d->len -= k;
	for (uint32_t i = 0; i < d->n_ranges; i++) {
		d->r[i].off -= k;
	}
	d->base_seq += k;
	d->consumed += k;
}

/* see reasm.h */
uint64_t
pm_reasm_end(const struct pm_reasm_dir *d)
{
	return d->consumed + d->len;
}

/* see reasm.h */
bool
pm_reasm_open(const struct pm_reasm_dir *d)
{
	return d->state == PM_REASM_IDLE || d->state == PM_REASM_OPEN;
}

/* see reasm.h */
void
pm_reasm_close(struct pm_reasm_pool *pool, struct pm_reasm_dir *d)
{
	if (d->state == PM_REASM_OPEN && d->n_ranges != 0) {
		gap(pool, d);
	}
}

/* see reasm.h */
void
pm_reasm_release(struct pm_reasm_pool *pool, struct pm_reasm_dir *d)
{
	free(d->buf);
	pool->bytes -= d->cap;
	if (d->r != NULL) {
		free(d->r);
		pool->bytes -= RANGES_BYTES;
		d->r = NULL;
	}
	d->buf = NULL;
	d->cap = 0;
	d->len = 0;
	d->n_ranges = 0;
	stop(d, PM_REASM_DONE);
}

/* see reasm.h */
const char *
pm_reasm_state_name(enum pm_reasm_state s)
{
	static const char *const names[] = { "idle", "open", "fin",    "rst",
		                             "gap",  "full", "capped", "done" };
	return (unsigned)s < PM_ARRAY_LEN(names) ? names[s] : "unknown";
}

/* see reasm.h */
void
pm_reasm_pool_json(const struct pm_reasm_pool *p, struct pm_json *w)
{
	pm_json_key(w, "reassembly");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "segments", p->segments);
	pm_json_ku64(w, "retransmissions", p->retrans);
	pm_json_ku64(w, "overlaps", p->overlaps);
	pm_json_ku64(w, "conflicting_overlaps", p->conflicts);
	pm_json_ku64(w, "gaps", p->gaps);
	pm_json_ku64(w, "windows_full", p->full);
	pm_json_ku64(w, "capped", p->capped);
	pm_json_ku64(w, "peak_bytes", p->peak);
	pm_json_ku64(w, "cap_bytes", p->max_bytes != 0 ? p->max_bytes : PM_REASM_POOL_MAX);
	pm_json_obj_end(w);
}
