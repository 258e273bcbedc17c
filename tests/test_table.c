/* SPDX-License-Identifier: MIT */
/*
 * test_table.c - the open-addressing table: insert, find, growth, the byte
 * cap (dropped inserts, lookups still served), iteration and the keyed hash.
 */
#include "table.h"
#include "test.h"

void test_table(void);

struct key {
	uint64_t a, b;
};

static void
basics(void)
{
	struct pm_table t;
	pm_table_init(&t, sizeof(struct key), sizeof(uint64_t), 0);
	CHECK(pm_table_find(&t, &(struct key){ 1, 2 }) == NULL);
	bool inserted = true;
	for (uint64_t i = 0; i < 100000; i++) {
		bool is_new;
		struct key k = { i, i * 7 };
		uint64_t *v = pm_table_upsert(&t, &k, &is_new);
		inserted = inserted && v != NULL && is_new;
		if (v != NULL) {
			*v = i + 1;
		}
	}
	CHECK(inserted);
	CHECK_EQ(t.count, 100000);
	CHECK(t.count * 10 <= t.cap * 7); /* load factor */
	bool all = true;
	for (uint64_t i = 0; i < 100000; i++) {
		struct key k = { i, i * 7 };
		uint64_t *v = pm_table_find(&t, &k);
		all = all && v != NULL && *v == i + 1;
	}
	CHECK(all);
	bool is_new = true;
	uint64_t *v = pm_table_upsert(&t, &(struct key){ 5, 35 }, &is_new);
	CHECK(v != NULL && !is_new && *v == 6);
	size_t pos = 0, n = 0;
	void *val;
	uint64_t sum = 0;
	while (pm_table_next(&t, &pos, &val) != NULL) {
		sum += *(uint64_t *)val;
		n++;
	}
	CHECK_EQ(n, 100000);
	CHECK_EQ(sum, 100000ull * 100001 / 2);
	pm_table_free(&t);
}

static void
capped(void)
{
	struct pm_table t;
	/* 16 KiB: 4 KiB of slots and chunks of 64 and 128 24-byte records fit; 256 more do not. */
	pm_table_init(&t, sizeof(struct key), 8, 16 << 10);
	size_t stored = 0;
	for (uint64_t i = 0; i < 2000; i++) {
		bool is_new;
		if (pm_table_upsert(&t, &(struct key){ i, 0 }, &is_new) != NULL) {
			stored++;
		}
	}
	CHECK_EQ(stored, t.count);
	CHECK_EQ(t.dropped, 2000 - stored);
	CHECK_EQ(stored, 64 + 128); /* the 256-record chunk would pass the cap */
	CHECK(t.bytes <= 16 << 10);
	bool is_new = true;
	CHECK(pm_table_upsert(&t, &(struct key){ 0, 0 }, &is_new) != NULL); /* known key */
	CHECK(!is_new);
	CHECK(pm_table_find(&t, &(struct key){ 1999, 0 }) == NULL);
	pm_table_free(&t);
}

static void
hashing(void)
{
	/* SipHash-1-3 differs from -2-4; check determinism and seed dependence. */
	pm_table_seed_fixed(1, 2);
	uint64_t h1 = pm_hash("abc", 3);
	CHECK_EQ(pm_hash("abc", 3), h1);
	CHECK(pm_hash("abd", 3) != h1);
	CHECK(pm_hash("abc", 2) != h1);
	pm_table_seed_fixed(3, 4);
	CHECK(pm_hash("abc", 3) != h1);
	pm_table_seed_fixed(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull);
}

/* A table keyed by hashes that are their own tags, with an entry cap. */
static void
tagged(void)
{
	struct pm_table t;
	pm_table_init(&t, 8, sizeof(uint64_t), 0);
	bool is_new = true;
	uint64_t k = 1;
	CHECK(pm_table_upsert_max_tag(&t, &k, k | 1, 0, &is_new) == NULL); /* empty, cap 0 */
	CHECK(!is_new);
	CHECK_EQ(t.dropped, 1);
	for (uint64_t i = 0; i < 3000; i++) {
		uint64_t h = pm_hash(&i, sizeof(i));
		uint64_t *v = pm_table_upsert_max_tag(&t, &h, h | 1, 2000, &is_new);
		if (i < 2000) {
			CHECK(v != NULL && is_new);
			if (v != NULL) {
				*v = i;
			}
		} else {
			CHECK(v == NULL && !is_new);
		}
	}
	CHECK_EQ(t.count, 2000);
	CHECK_EQ(t.dropped, 1 + 1000);
	/* Known keys are still found once full, with their values. */
	for (uint64_t i = 0; i < 2000; i += 111) {
		uint64_t h = pm_hash(&i, sizeof(i));
		uint64_t *v = pm_table_upsert_max_tag(&t, &h, h | 1, 2000, &is_new);
		CHECK(v != NULL && !is_new && *v == i);
	}
	pm_table_free(&t);
}

/*
 * Derived tags: keys (id, seq) under one secret base tag, inserted and
 * found with pm_table_derive's tags through the _tag functions. Every key
 * gets a distinct tag (fmix64 is a bijection), all are found again through
 * growth, and a key looked up with another key's tag is missed.
 */
static void
derived(void)
{
	struct pm_table t;
	pm_table_init(&t, sizeof(uint64_t), sizeof(uint64_t), 0);
	const uint64_t base = pm_hash("base", 4);
	bool is_new;
	for (uint64_t k = 0; k < 5000; k++) {
		uint64_t *v =
		    pm_table_upsert_max_tag(&t, &k, pm_table_derive(base, k), 10000, &is_new);
		CHECK(v != NULL && is_new);
		if (v != NULL) {
			*v = k * 7;
		}
	}
	CHECK_EQ(t.count, 5000);
	size_t found = 0, misses = 0;
	for (uint64_t k = 0; k < 5000; k++) {
		const uint64_t *v = pm_table_find_tag(&t, &k, pm_table_derive(base, k));
		found += v != NULL && *v == k * 7;
		misses += pm_table_find_tag(&t, &k, pm_table_derive(base, k + 1)) == NULL;
	}
	CHECK_EQ(found, 5000);
	CHECK_EQ(misses, 5000);
	CHECK(pm_table_derive(base, 1) != pm_table_derive(base, 2));
	CHECK(pm_table_derive(base, 1) != pm_table_derive(base ^ 2, 1));
	CHECK((pm_table_derive(base, 3) & 1) == 1);
	pm_table_free(&t);
}

void
test_table(void)
{
	basics();
	capped();
	hashing();
	tagged();
	derived();
}
