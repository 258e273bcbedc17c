/* SPDX-License-Identifier: MIT */
/*
 * test_reasm.c - TCP reassembly: order, retransmission, conflicting
 * overlap, gaps, FIN/RST, sequence wrap, window and pool caps.
 */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "reasm.h"
#include "test.h"

static const char text[] = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";

static void
feed(struct pm_reasm_pool *pool, struct pm_reasm_dir *d, uint32_t isn, size_t off, size_t n)
{
	(void)pm_reasm_seg(pool, d, isn + 1 + (uint32_t)off, PM_TCP_ACK,
	                   (const uint8_t *)text + off, n);
}

static void
check_text(const struct pm_reasm_dir *d)
{
	struct pm_cur c = pm_reasm_cur(d);
	CHECK_EQ(pm_cur_left(&c), sizeof(text) - 1);
	if (pm_cur_left(&c) == sizeof(text) - 1) {
		CHECK_MEM(c.buf, text, sizeof(text) - 1);
	}
}

static void
test_orders(void)
{
	static const uint32_t isns[] = { 1000, 0xFFFFFFF0u, 0xFFFFFFFFu };
	for (size_t k = 0; k < PM_ARRAY_LEN(isns); k++) {
		struct pm_reasm_pool pool = { 0 };
		struct pm_reasm_dir d = { 0 };
		uint32_t isn = isns[k];
		CHECK(!pm_reasm_seg(&pool, &d, isn, PM_TCP_SYN, NULL, 0));
		CHECK_EQ(d.state, PM_REASM_OPEN);
		feed(&pool, &d, isn, 30, 17); /* out of order: held in a range */
		CHECK_EQ(d.len, 0);
		CHECK_EQ(d.n_ranges, 1);
		feed(&pool, &d, isn, 10, 10);
		CHECK_EQ(d.n_ranges, 2);
		feed(&pool, &d, isn, 0, 15); /* overlaps the second range: same bytes */
		CHECK_EQ(d.len, 20);
		feed(&pool, &d, isn, 0, 20); /* retransmission */
		CHECK_EQ(pool.retrans, 1);
		feed(&pool, &d, isn, 20, 10);
		CHECK_EQ(d.n_ranges, 0);
		check_text(&d);
		CHECK_EQ(d.conflicts, 0);
		CHECK_EQ(pool.overlaps, 1);
		pm_reasm_release(&pool, &d);
		CHECK_EQ(pool.bytes, 0);
	}
}

static void
test_conflict(void)
{
	struct pm_reasm_pool pool = { 0 };
	struct pm_reasm_dir d = { 0 };
	(void)pm_reasm_seg(&pool, &d, 5, PM_TCP_SYN, NULL, 0);
	feed(&pool, &d, 5, 0, 20);
	(void)pm_reasm_seg(&pool, &d, 6 + 10, PM_TCP_ACK, (const uint8_t *)"XXXXXXXXXXXXXXXXXXXX",
	                   20);
	CHECK_EQ(d.conflicts, 1);
	CHECK_EQ(pool.conflicts, 1);
	feed(&pool, &d, 5, 20, sizeof(text) - 21);
	/* the first copy won for 10..19; 20..29 came from the conflicting copy */
	struct pm_cur c = pm_reasm_cur(&d);
	CHECK_EQ(pm_cur_left(&c), sizeof(text) - 1);
	CHECK_MEM(c.buf, text, 20);
	CHECK_MEM(c.buf + 20, "XXXXXXXXXX", 10);
	pm_reasm_release(&pool, &d);
}

static void
test_gap_fin_rst(void)
{
	struct pm_reasm_pool pool = { 0 };
	struct pm_reasm_dir d = { 0 };
	(void)pm_reasm_seg(&pool, &d, 100, PM_TCP_SYN, NULL, 0);
	feed(&pool, &d, 100, 0, 10);
	feed(&pool, &d, 100, 20, 10);
	pm_reasm_ack(&pool, &d, 101 + 10); /* acknowledges only what we hold */
	CHECK_EQ(d.state, PM_REASM_OPEN);
	pm_reasm_ack(&pool, &d, 101 + 30); /* 10..19 acknowledged but never captured */
	CHECK_EQ(d.state, PM_REASM_GAP);
	CHECK_EQ(d.gap_at, 10);
	CHECK_EQ(pool.gaps, 1);
	feed(&pool, &d, 100, 10, 10); /* too late: the direction ended */
	CHECK_EQ(d.len, 10);
	pm_reasm_release(&pool, &d);

	/* midstream start, FIN reached once the prefix covers it */
	struct pm_reasm_dir e = { 0 };
	(void)pm_reasm_seg(&pool, &e, 7000, PM_TCP_ACK | PM_TCP_FIN, (const uint8_t *)"world", 5);
	CHECK(e.midstream);
	CHECK_EQ(e.state, PM_REASM_FIN);
	CHECK_EQ(e.len, 5);
	pm_reasm_release(&pool, &e);

	struct pm_reasm_dir f = { 0 };
	(void)pm_reasm_seg(&pool, &f, 0, PM_TCP_SYN, NULL, 0);
	(void)pm_reasm_seg(&pool, &f, 6, PM_TCP_ACK | PM_TCP_FIN, (const uint8_t *)"def", 3);
	CHECK_EQ(f.state, PM_REASM_OPEN); /* FIN beyond a hole: waits for the hole */
	(void)pm_reasm_seg(&pool, &f, 9, PM_TCP_ACK, (const uint8_t *)"zzz", 3);
	CHECK_EQ(f.n_ranges, 1); /* nothing after the FIN is held */
	(void)pm_reasm_seg(&pool, &f, 1, PM_TCP_ACK, (const uint8_t *)"abcde", 5);
	CHECK_EQ(f.state, PM_REASM_FIN);
	CHECK_EQ(f.len, 8);
	pm_reasm_release(&pool, &f);

	struct pm_reasm_dir g = { 0 };
	(void)pm_reasm_seg(&pool, &g, 0, PM_TCP_SYN, NULL, 0);
	(void)pm_reasm_seg(&pool, &g, 5, PM_TCP_ACK, (const uint8_t *)"x", 1);
	(void)pm_reasm_seg(&pool, &g, 9, PM_TCP_RST, NULL, 0);
	CHECK_EQ(g.state, PM_REASM_GAP); /* a RST with a hole before held bytes */
	pm_reasm_release(&pool, &g);
	CHECK_EQ(pool.bytes, 0);
}

static void
test_caps(void)
{
	struct pm_reasm_pool pool = { 0 };
	pool.window = 4096;
	pool.max_bytes = 6144;
	uint8_t *big = malloc(5000);
	if (big == NULL) {
		CHECK(big != NULL);
		return;
	}
	memset(big, 'a', 5000);
	struct pm_reasm_dir d = { 0 };
	(void)pm_reasm_seg(&pool, &d, 0, PM_TCP_SYN, NULL, 0);
	(void)pm_reasm_seg(&pool, &d, 1, PM_TCP_ACK, big, 5000);
	CHECK_EQ(d.state, PM_REASM_FULL);
	CHECK_EQ(d.len, 4096);
	CHECK_EQ(pool.beyond, 1);
	/* consuming slides the window: a consumer that keeps up never fills it */
	struct pm_reasm_dir e = { 0 };
	(void)pm_reasm_seg(&pool, &e, 0, PM_TCP_SYN, NULL, 0);
	for (uint32_t i = 0; i < 4; i++) {
		(void)pm_reasm_seg(&pool, &e, 1 + i * 1000, PM_TCP_ACK, big, 1000);
		pm_reasm_consume(&e, 1000);
	}
	CHECK_EQ(e.state, PM_REASM_OPEN);
	CHECK_EQ(pm_reasm_end(&e), 4000);
	/* the pool: 4096 + 2048 are allocated; a third direction does not fit */
	struct pm_reasm_dir f = { 0 };
	(void)pm_reasm_seg(&pool, &f, 0, PM_TCP_SYN, NULL, 0);
	(void)pm_reasm_seg(&pool, &f, 1, PM_TCP_ACK, big, 10);
	CHECK_EQ(f.state, PM_REASM_CAPPED);
	CHECK(pool.peak <= 6144);
	pm_reasm_release(&pool, &d);
	pm_reasm_release(&pool, &e);
	pm_reasm_release(&pool, &f);
	CHECK_EQ(pool.bytes, 0);
	CHECK_STR(pm_reasm_state_name(PM_REASM_CAPPED), "capped");
	free(big);
}

/* Messages of a two-byte length and that many bytes, as a parse function sees them. */
struct msgs {
	uint8_t out[8192];
	size_t n;
	unsigned calls;
};

static size_t
parse_msgs(void *ctx, const uint8_t *p, size_t n, uint64_t at)
{
	(void)at;
	struct msgs *m = ctx;
	size_t done = 0;
	m->calls++;
	while (n - done >= 2) {
		size_t len = (size_t)p[done] << 8 | p[done + 1];
		if (n - done - 2 < len) {
			break;
		}
		if (m->n + 2 + len <= sizeof(m->out)) {
			memcpy(m->out + m->n, p + done, 2 + len);
			m->n += 2 + len;
		}
		done += 2 + len;
	}
	return done;
}

static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/*
 * pm_reasm_feed against pm_reasm_seg and a parse of what is held, over many
 * segmentations of one stream, in order and shuffled with retransmissions:
 * the same messages, counters and state, and in order with segments on
 * message boundaries no buffer at all.
 */
static void
test_feed(void)
{
	uint8_t stream[4000];
	size_t len = 0;
	uint32_t rs = 7;
	while (len + 2 + 300 < sizeof(stream)) {
		size_t k = lcg(&rs) % 300;
		stream[len] = (uint8_t)(k >> 8);
		stream[len + 1] = (uint8_t)k;
		for (size_t i = 0; i < k; i++) {
			stream[len + 2 + i] = (uint8_t)lcg(&rs);
		}
		len += 2 + k;
	}
	size_t bad = 0;
	for (unsigned trial = 0; trial < 200; trial++) {
		size_t cut[64], ncut = 0, off = 0;
		while (off < len && ncut < PM_ARRAY_LEN(cut) - 1) {
			cut[ncut++] = off;
			off += 1 + lcg(&rs) % 600;
		}
		cut[ncut] = len;
		size_t order[128], n = 0;
		for (size_t i = 0; i < ncut; i++) {
			order[n++] = i;
		}
		if (trial % 2 == 1) { /* shuffled neighbours and a few retransmissions */
			for (size_t i = 0; i + 1 < n; i += 1 + lcg(&rs) % 3) {
				size_t t = order[i];
				order[i] = order[i + 1];
				order[i + 1] = t;
			}
			for (size_t i = 0; i < 4 && n < PM_ARRAY_LEN(order); i++) {
				order[n++] = order[lcg(&rs) % ncut];
			}
		}
		struct pm_reasm_pool pa = { 0 }, pb = { 0 };
		struct pm_reasm_dir da = { 0 }, db = { 0 };
		struct msgs *ma = calloc(1, sizeof(*ma)), *mb = calloc(1, sizeof(*mb));
		pm_reasm_begin(&da, 500);
		pm_reasm_begin(&db, 500);
		for (size_t i = 0; i < n; i++) {
			size_t a = cut[order[i]], b = cut[order[i] + 1];
			uint16_t fl = PM_TCP_ACK | (b == len ? PM_TCP_FIN : 0);
			uint32_t seq = 501 + (uint32_t)a;
			pm_reasm_feed(&pa, &da, seq, fl, stream + a, b - a, parse_msgs, ma);
			if (pm_reasm_seg(&pb, &db, seq, fl, stream + a, b - a)) {
				pm_reasm_parse_held(&db, parse_msgs, mb);
			}
		}
		bad += ma->n != mb->n || memcmp(ma->out, mb->out, ma->n) != 0 ||
		       da.consumed != db.consumed || da.state != db.state || da.len != db.len ||
		       pa.segments != pb.segments || pa.retrans != pb.retrans ||
		       pa.overlaps != pb.overlaps || pa.conflicts != pb.conflicts ||
		       pa.gaps != pb.gaps || pa.peak > pb.peak;
		if (trial == 0) {
			CHECK_EQ(ma->n, len); /* every message, in order */
			CHECK_EQ(da.state, PM_REASM_FIN);
		}
		pm_reasm_release(&pa, &da);
		pm_reasm_release(&pb, &db);
		free(ma);
		free(mb);
	}
	CHECK_EQ(bad, 0);

	/* segments on message boundaries, in order: parsed where they lie, no buffer */
	struct pm_reasm_pool pool = { 0 };
	struct pm_reasm_dir d = { 0 };
	struct msgs *m = calloc(1, sizeof(*m));
	pm_reasm_begin(&d, 0xFFFFFFF0u); /* across the sequence wrap */
	for (size_t off = 0; off < len;) {
		size_t k = 2 + ((size_t)stream[off] << 8 | stream[off + 1]);
		CHECK(pm_reasm_feed(&pool, &d, 0xFFFFFFF1u + (uint32_t)off, PM_TCP_ACK,
		                    stream + off, k, parse_msgs, m));
		off += k;
	}
	CHECK_EQ(m->n, len);
	CHECK_EQ(pool.peak, 0);
	CHECK_EQ(d.consumed, len);
	/* an old copy after that is a retransmission, not parsed again */
	CHECK(!pm_reasm_feed(&pool, &d, 0xFFFFFFF1u, PM_TCP_ACK, stream, 100, parse_msgs, m));
	CHECK_EQ(pool.retrans, 1);
	CHECK_EQ(m->n, len);
	pm_reasm_release(&pool, &d);
	free(m);
}

void test_reasm(void);

void
test_reasm(void)
{
	test_orders();
	test_conflict();
	test_gap_fin_rst();
	test_caps();
	test_feed();
}
