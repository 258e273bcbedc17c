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

void test_reasm(void);

void
test_reasm(void)
{
	test_orders();
	test_conflict();
	test_gap_fin_rst();
	test_caps();
}
