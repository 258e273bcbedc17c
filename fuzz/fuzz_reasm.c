/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reasm.c - TCP reassembly: a stream cut into segments, fed in an
 * order and with duplicates the input picks, must come out byte for byte
 * as it went in, from any initial sequence number (wrap included). Then the
 * same input is fed as raw hostile segments (sequence numbers, flags and
 * acks from the input) to a second direction, which must keep its
 * invariants whatever it is given.
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
		const uint8_t *h = data + at;
		uint32_t seq = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8;
		uint16_t flags = h[3];
		uint32_t ack = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 8;
		size_t n = (size_t)h[6] << 8 | h[7];
		at += 8;
		n = n < size - at ? n : size - at;
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ordered(data, size);
	hostile(data, size);
	return 0;
}
