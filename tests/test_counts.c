/* SPDX-License-Identifier: MIT */
/*
 * test_counts.c - distinct values with their counts and clients: counting,
 * the order of the top list, the caps on values and on (value, client)
 * pairs, and values compared by all their bytes.
 */
#include <string.h>

#include "counts.h"
#include "test.h"

void test_counts(void);

static const uint8_t client_a[16] = { 10, 0, 0, 1 }, client_b[16] = { 10, 0, 0, 2 };

static void
add(struct pm_counts *c, const char *s, const uint8_t *client, unsigned times)
{
	for (unsigned i = 0; i < times; i++) {
		struct pm_count *v = pm_counts_add(c, s, strlen(s));
		CHECK(v != NULL);
		if (v != NULL && client != NULL) {
			pm_counts_client(c, v, client);
		}
	}
}

static void
top_and_clients(void)
{
	struct pm_counts c;
	pm_counts_init(&c, 100, 100);
	add(&c, "b", client_a, 3);
	add(&c, "a", client_b, 3);
	add(&c, "a", client_a, 1);
	add(&c, "c", client_a, 5);
	add(&c, "d", client_b, 1);
	CHECK_EQ(pm_counts_distinct(&c), 4);
	struct pm_tally_group g[3];
	CHECK_EQ(pm_counts_top(&c, g, 3), 3);
	/* most frequent first */
	CHECK_STR(g[0].key, "c");
	CHECK_EQ(g[0].count, 5);
	CHECK_EQ(g[0].clients, 1);
	CHECK_STR(g[1].key, "a");
	CHECK_EQ(g[1].count, 4);
	CHECK_EQ(g[1].clients, 2);
	CHECK_STR(g[2].key, "b");
	CHECK_EQ(g[2].count, 3);
	add(&c, "b", client_b, 1); /* now a tie at 4: "a" before "b" */
	CHECK_EQ(pm_counts_top(&c, g, 3), 3);
	CHECK_STR(g[1].key, "a");
	CHECK_STR(g[2].key, "b");
	CHECK_EQ(g[2].clients, 2);
	CHECK_EQ(c.dropped, 0);
	CHECK(pm_counts_bytes(&c) > 0);
	pm_counts_free(&c);
}

static void
caps(void)
{
	struct pm_counts c;
	pm_counts_init(&c, 2, 0);
	add(&c, "x", NULL, 1); /* the repeat of the last value, counted without a lookup */
	add(&c, "x", NULL, 1);
	add(&c, "y", NULL, 1);
	CHECK(pm_counts_add(&c, "z", 1) == NULL);
	CHECK_EQ(c.dropped, 1);
	add(&c, "x", NULL, 1); /* a kept value goes on counting past the cap */
	struct pm_tally_group g[4];
	CHECK_EQ(pm_counts_top(&c, g, 4), 2);
	CHECK_STR(g[0].key, "x");
	CHECK_EQ(g[0].count, 3);
	CHECK_EQ(g[1].clients, 0);
	pm_counts_free(&c);

	pm_counts_init(&c, 10, 1);
	add(&c, "x", client_a, 1);
	add(&c, "x", client_b, 1); /* the second pair is past max_pairs */
	CHECK_EQ(pm_counts_top(&c, g, 1), 1);
	CHECK_EQ(g[0].count, 2);
	CHECK_EQ(g[0].clients, 1);
	CHECK_EQ(c.dropped, 1);
	pm_counts_free(&c);
}

/* Values that share a prefix, or differ only after a byte that is 0, stay apart. */
static void
whole_values(void)
{
	struct pm_counts c;
	pm_counts_init(&c, 100, 0);
	CHECK(pm_counts_add(&c, "ab", 2) != NULL);
	CHECK(pm_counts_add(&c, "abc", 3) != NULL);
	CHECK(pm_counts_add(&c, "a\0x", 3) != NULL);
	CHECK(pm_counts_add(&c, "a\0y", 3) != NULL);
	CHECK_EQ(pm_counts_distinct(&c), 4);
	struct pm_tally_group g[1];
	CHECK_EQ(pm_counts_top(&c, g, 0), 0);
	pm_counts_free(&c);
	/* an empty set has no top */
	pm_counts_init(&c, 100, 0);
	CHECK_EQ(pm_counts_top(&c, g, 1), 0);
	pm_counts_free(&c);
}

void
test_counts(void)
{
	top_and_clients();
	caps();
	whole_values();
}
