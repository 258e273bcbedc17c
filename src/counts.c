/* SPDX-License-Identifier: MIT */
/*
 * counts.c - distinct values with their counts and clients (counts.h).
 *
 * Both tables are tagged without a second SipHash: a value's key is its
 * keyed hash and length, whose tag pm_table_derive makes from the two; a
 * pair's tag is derived from the value's tag and the client's keyed hash.
 */
#include "counts.h"

#include <string.h>

#define COUNTS_ARENA_MAX (64u << 20) /* bytes of values kept, whatever max_values says */

struct value_key {
	uint64_t hash;
	uint64_t len;
};

struct pair_key {
	uint64_t value_tag;
	uint8_t client[16];
};

/* see counts.h */
void
pm_counts_init(struct pm_counts *c, size_t max_values, size_t max_pairs)
{
	memset(c, 0, sizeof(*c));
	pm_table_init(&c->values, sizeof(struct value_key), sizeof(struct pm_count), 0);
	pm_table_init(&c->pairs, sizeof(struct pair_key), 0, 0);
	pm_arena_init(&c->arena, COUNTS_ARENA_MAX);
	c->max_values = max_values;
	c->max_pairs = max_pairs;
}

/* see counts.h */
struct pm_counts_key
pm_counts_key(const void *p, size_t n)
{
	struct pm_counts_key k = { pm_hash(p, n), n, 0 };
	k.tag = pm_table_derive(k.hash, k.len);
	return k;
}

/* see counts.h */
void
pm_counts_prefetch(const struct pm_counts *c, const struct pm_counts_key *k)
{
	pm_table_prefetch(&c->values, k->tag);
}

/* see counts.h */
struct pm_count *
pm_counts_add_key(struct pm_counts *c, const void *p, size_t n, const struct pm_counts_key *k)
{
	struct value_key key = { k->hash, k->len };
	bool is_new;
	struct pm_count *v =
	    pm_table_upsert_max_tag(&c->values, &key, k->tag, c->max_values, &is_new);
	if (v == NULL) {
		c->dropped++;
		return NULL;
	}
	if (is_new) {
		v->tag = k->tag;
		v->value = pm_arena_strndup(&c->arena, p, n);
		if (v->value == NULL) {
			v->value = ""; /* the arena is full: counted under the empty name */
			c->dropped++;
		}
		v->len = strlen(v->value);
	}
	v->count++;
	c->last = v;
	return v;
}

/* see counts.h */
struct pm_count *
pm_counts_add(struct pm_counts *c, const void *p, size_t n)
{
	struct pm_count *v = c->last;
	if (v != NULL && v->len == n && memcmp(v->value, p, n) == 0) {
		v->count++;
		return v;
	}
	struct pm_counts_key k = pm_counts_key(p, n);
	return pm_counts_add_key(c, p, n, &k);
}

/* see counts.h */
void
pm_counts_client(struct pm_counts *c, struct pm_count *v, const uint8_t *client)
{
	struct pair_key k = { .value_tag = v->tag };
	memcpy(k.client, client, 16);
	uint64_t tag = pm_table_derive(v->tag, pm_hash(client, 16));
	bool is_new;
	if (pm_table_upsert_max_tag(&c->pairs, &k, tag, c->max_pairs, &is_new) == NULL) {
		c->dropped++;
	} else if (is_new) {
		v->clients++;
	}
}

/* see counts.h */
size_t
pm_counts_distinct(const struct pm_counts *c)
{
	return c->values.count;
}

/* a before b in a statistic: more frequent first, ties by value */
static bool
before(const struct pm_count *a, const struct pm_count *b)
{
	return a->count != b->count ? a->count > b->count : strcmp(a->value, b->value) < 0;
}

/* see counts.h */
size_t
pm_counts_top(const struct pm_counts *c, struct pm_tally_group *out, size_t k)
{
	/* a top k kept sorted by insertion: most values fail one compare with the k-th */
	const struct pm_count *top[64];
	k = k < PM_ARRAY_LEN(top) ? k : PM_ARRAY_LEN(top);
	size_t n = 0, pos = 0;
	void *val;
	while (k != 0 && pm_table_next(&c->values, &pos, &val) != NULL) {
		const struct pm_count *v = val;
		if (n == k && !before(v, top[k - 1])) {
			continue;
		}
		size_t i = n < k ? n++ : k - 1;
		for (; i > 0 && before(v, top[i - 1]); i--) {
			top[i] = top[i - 1];
		}
		top[i] = v;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].key = top[i]->value;
		out[i].count = top[i]->count;
		out[i].clients = top[i]->clients;
	}
	return n;
}

/* see counts.h */
size_t
pm_counts_bytes(const struct pm_counts *c)
{
	return c->values.bytes + c->pairs.bytes + c->arena.total;
}

/* see counts.h */
void
pm_counts_free(struct pm_counts *c)
{
	pm_table_free(&c->values);
	pm_table_free(&c->pairs);
	pm_arena_free(&c->arena);
}
