/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reasm.c - TCP reassembly: a stream cut into segments, fed in an
 * order and with duplicates the input picks, must come out byte for byte
 * as it went in, from any initial sequence number (wrap included). Then the
 * same input is fed as raw hostile segments (sequence numbers, flags and
 * acks from the input) to a second direction, which must keep its
 * invariants whatever it is given. Last, the hostile segments go to two
 * more directions, one through pm_reasm_feed (parsed in place where it can)
 * and one through pm_reasm_seg and a parse of what is held: both must see the
 * same messages and end with the same state and counters.
 *
 * Input: byte 0 segments (1..PM_REASM_MAX_RANGES), bytes 1..4 the initial
 * sequence number, then one cut byte per segment, then the stream.
 */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fuzz.h"
#include "reasm.h"

#define FUZZ_MAX_STREAM 4096
#define FUZZ_MAX_SEGS   PM_REASM_MAX_RANGES

struct seg {
	uint32_t off, len;
};

static uint32_t
next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void
check_invariants(const struct pm_reasm_dir *d)
{
	FUZZ_ASSERT(d->len <= d->cap || d->cap == 0);
	FUZZ_ASSERT(d->n_ranges <= PM_REASM_MAX_RANGES);
	uint32_t prev = d->len;
	for (uint32_t i = 0; i < d->n_ranges; i++) {
		FUZZ_ASSERT(d->r[i].off > prev);
		FUZZ_ASSERT(d->r[i].len > 0);
		FUZZ_ASSERT(d->r[i].off + d->r[i].len <= d->cap);
		prev = d->r[i].off + d->r[i].len;
	}
}

/* The stream in pieces, shuffled, some fed twice: the same bytes must come out. */
static void
ordered(const uint8_t *data, size_t size)
{
	if (size < 6) {
		return;
	}
	uint32_t nseg = 1 + data[0] % FUZZ_MAX_SEGS;
	uint32_t isn =
	    (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 | data[4];
	const uint8_t *cuts = data + 5;
	size_t left = size - 5;
	if (left <= nseg) {
		return;
	}
	const uint8_t *stream = cuts + nseg;
	size_t slen = left - nseg;
	if (slen > FUZZ_MAX_STREAM) {
		slen = FUZZ_MAX_STREAM;
	}
	struct seg segs[FUZZ_MAX_SEGS];
	uint32_t at = 0;
	for (uint32_t i = 0; i < nseg; i++) {
		uint32_t rest = (uint32_t)slen - at;
		uint32_t len = i + 1 == nseg ? rest : (uint32_t)(cuts[i] * (uint64_t)rest / 256);
		segs[i].off = at;
		segs[i].len = len;
		at += len;
	}
	uint32_t rs = isn ^ (uint32_t)slen;
	for (uint32_t i = nseg; i > 1; i--) {
		uint32_t j = next_rand(&rs) % i;
		struct seg t = segs[i - 1];
		segs[i - 1] = segs[j];
		segs[j] = t;
	}
	struct pm_reasm_pool pool;
	memset(&pool, 0, sizeof(pool));
	struct pm_reasm_dir d;
	memset(&d, 0, sizeof(d));
	FUZZ_ASSERT(!pm_reasm_seg(&pool, &d, isn, PM_TCP_SYN, NULL, 0));
	for (uint32_t i = 0; i < nseg; i++) {
		struct seg s = segs[i];
		(void)pm_reasm_seg(&pool, &d, isn + 1 + s.off, PM_TCP_ACK, stream + s.off, s.len);
		check_invariants(&d);
		if (next_rand(&rs) % 4 == 0 && s.len > 1) {
			/* a retransmission overlapping the segment's second half */
			uint32_t h = s.len / 2;
			(void)pm_reasm_seg(&pool, &d, isn + 1 + s.off + h, PM_TCP_ACK,
			                   stream + s.off + h, s.len - h);
			check_invariants(&d);
		}
	}
	FUZZ_ASSERT(d.state == PM_REASM_OPEN);
	FUZZ_ASSERT(d.conflicts == 0);
	FUZZ_ASSERT(d.len == slen);
	FUZZ_ASSERT(d.n_ranges == 0);
	struct pm_cur c = pm_reasm_cur(&d);
	FUZZ_ASSERT(pm_cur_left(&c) == slen);
	FUZZ_ASSERT(slen == 0 || memcmp(pm_cur_bytes(&c, slen), stream, slen) == 0);
	pm_reasm_release(&pool, &d);
	FUZZ_ASSERT(pool.bytes == 0);
}

/* One hostile segment's header: what the bytes at *at say, its length cut to what is left. */
struct raw {
	uint32_t seq, ack;
	uint16_t flags;
	size_t n;
};

static struct raw
raw_at(const uint8_t *data, size_t size, size_t *at)
{
	const uint8_t *h = data + *at;
	struct raw s;
	s.seq = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8;
	s.flags = h[3];
	s.ack = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 8;
	s.n = (size_t)h[6] << 8 | h[7];
	*at += 8;
	s.n = s.n < size - *at ? s.n : size - *at;
	return s;
}

/* Hostile segments: 8-byte headers (seq, flags, ack, length) followed by the bytes. */
static void
hostile(const uint8_t *data, size_t size)
{
	struct pm_reasm_pool pool;
	memset(&pool, 0, sizeof(pool));
	pool.window = 8192;
	pool.max_bytes = 16384;
	struct pm_reasm_dir d;
	memset(&d, 0, sizeof(d));
	size_t at = 0;
	uint64_t taken = 0;
	while (size - at >= 8) {
		struct raw s = raw_at(data, size, &at);
		uint32_t seq = s.seq, ack = s.ack;
		uint16_t flags = s.flags;
		size_t n = s.n;
		(void)pm_reasm_seg(&pool, &d, seq, flags, data + at, n);
		check_invariants(&d);
		if ((flags & PM_TCP_ACK) != 0) {
			pm_reasm_ack(&pool, &d, ack);
		}
		if ((flags & PM_TCP_URG) != 0) {
			struct pm_cur c = pm_reasm_cur(&d);
			size_t k = pm_cur_left(&c) / 2;
			pm_reasm_consume(&d, k);
			taken += k;
			FUZZ_ASSERT(d.consumed == taken);
			check_invariants(&d);
		}
		at += n;
		FUZZ_ASSERT(pool.bytes <= 16384);
	}
	pm_reasm_close(&pool, &d);
	pm_reasm_release(&pool, &d);
	FUZZ_ASSERT(pool.bytes == 0);
}

/* Messages of a one-byte length and that many bytes; a running digest of what was parsed. */
struct twin {
	uint64_t digest;
	uint64_t bytes;
};

static size_t
parse_msgs(void *ctx, const uint8_t *p, size_t n, uint64_t at)
{
	struct twin *t = ctx;
	size_t done = 0;
	while (n - done >= 1 && n - done - 1 >= p[done]) {
		size_t k = 1 + (size_t)p[done];
		for (size_t i = 0; i < k; i++) {
			t->digest = (t->digest ^ p[done + i]) * 0x100000001b3ull;
		}
		t->digest ^= at + done;
		done += k;
	}
	t->bytes += done;
	return done;
}

static void
twins(const uint8_t *data, size_t size)
{
	struct pm_reasm_pool pa, pb;
	memset(&pa, 0, sizeof(pa));
	memset(&pb, 0, sizeof(pb));
	pa.window = pb.window = 4096;
	struct pm_reasm_dir da, db;
	memset(&da, 0, sizeof(da));
	memset(&db, 0, sizeof(db));
	struct twin ta = { 0, 0 }, tb = { 0, 0 };
	size_t at = 0;
	while (size - at >= 8) {
		struct raw s = raw_at(data, size, &at);
		uint32_t seq = s.seq, ack = s.ack;
		uint16_t flags = s.flags;
		size_t n = s.n;
		bool fa = pm_reasm_feed(&pa, &da, seq, flags, data + at, n, parse_msgs, &ta);
		bool fb = pm_reasm_seg(&pb, &db, seq, flags, data + at, n);
		if (fb) {
			pm_reasm_parse_held(&db, parse_msgs, &tb);
		}
		FUZZ_ASSERT(fa == fb);
		if ((flags & PM_TCP_ACK) != 0) {
			pm_reasm_ack(&pa, &da, ack);
			pm_reasm_ack(&pb, &db, ack);
		}
		check_invariants(&da);
		FUZZ_ASSERT(ta.digest == tb.digest && ta.bytes == tb.bytes);
		FUZZ_ASSERT(da.consumed == db.consumed && da.len == db.len && da.state == db.state);
		FUZZ_ASSERT(da.base_seq == db.base_seq && da.n_ranges == db.n_ranges);
		FUZZ_ASSERT(pa.segments == pb.segments && pa.retrans == pb.retrans &&
		            pa.overlaps == pb.overlaps && pa.conflicts == pb.conflicts &&
		            pa.gaps == pb.gaps && pa.full == pb.full && pa.beyond == pb.beyond);
		FUZZ_ASSERT(pa.peak <= pb.peak);
		at += n;
	}
	pm_reasm_release(&pa, &da);
	pm_reasm_release(&pb, &db);
	FUZZ_ASSERT(pa.bytes == 0 && pb.bytes == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ordered(data, size);
	hostile(data, size);
	twins(data, size);
	return 0;
}
