/* SPDX-License-Identifier: MIT */
/*
 * table.h - open-addressing hash table with fixed-size keys and values.
 *
 * Linear probing over a power-of-two array, load factor at most 7/10, growth
 * by rehash. Insert-only (the analysis frees everything at once), so there
 * are no tombstones. The hash is SipHash-1-3 keyed with a per-run seed, so a
 * crafted capture cannot aim packets at one bucket. A byte cap bounds the
 * slot array: once the table can grow no more and is at its load limit, new
 * keys are refused and counted in `dropped`; lookups of known keys go on.
 * Iteration order is the slot order and must not reach output unsorted.
 */
#ifndef PM_TABLE_H
#define PM_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_table_slot;

struct pm_table {
	struct pm_table_slot *slots;  /* cap slots; malloc'd, owned */
	struct pm_table_slot *recent; /* PM_TABLE_RECENT most recently used keys, by hash; owned */
	uint8_t **chunks;             /* record chunk k holds PM_TABLE_CHUNK << k records; owned */
	size_t n_chunks;              /* chunks allocated */
	size_t key_size;              /* bytes compared and hashed */
	size_t val_size;              /* bytes of value, zeroed on insert */
	size_t rec_size;              /* key + value, rounded up to 8 */
	size_t cap;                   /* slots, a power of two, or 0 before the first insert */
	size_t count;                 /* keys present */
	size_t bytes;                 /* slots plus record chunks allocated */
	size_t max_bytes;             /* cap on bytes; 0 = PM_TABLE_DEFAULT_MAX */
	uint64_t dropped;             /* inserts refused because the table was full */
	uint64_t k0, k1;              /* SipHash key */
};

#define PM_TABLE_CHUNK  64   /* records in the first chunk */
#define PM_TABLE_RECENT 4096 /* direct-mapped cache of recently used keys, in front of the slots */

#define PM_TABLE_DEFAULT_MAX (1024u << 20)

/* Per-run seed; pm_table_seed_fixed makes runs reproducible (tests, goldens). */
void pm_table_seed_random(void);
void pm_table_seed_fixed(uint64_t k0, uint64_t k1);

/*
 * Set up an empty table; nothing is allocated until the first insert.
 * key_size must be a multiple of 8 (pad keys), so values stay aligned.
 */
void pm_table_init(struct pm_table *t, size_t key_size, size_t val_size, size_t max_bytes);

void pm_table_free(struct pm_table *t);

/* The value stored for key, or NULL. */
void *pm_table_find(const struct pm_table *t, const void *key);

/*
 * The value for key, inserting a zeroed one if absent (*is_new says which).
 * NULL when the key is absent and the table is full (dropped is counted).
 */
void *pm_table_upsert(struct pm_table *t, const void *key, bool *is_new);

/*
 * pm_table_upsert, but a key that is absent once max_count keys are present
 * is refused (counted in dropped, NULL returned): an entry-count cap on top
 * of the byte cap, for tables an analyser bounds by name.
 */
void *pm_table_upsert_max(struct pm_table *t, const void *key, size_t max_count, bool *is_new);

/*
 * Iterate in insertion order: start with *pos = 0; returns the next key and
 * sets *val, or NULL at the end.
 */
const void *pm_table_next(const struct pm_table *t, size_t *pos, void **val);

/*
 * Pipelined use, for a caller that knows keys a few packets ahead: the tag
 * of a key (its hash with the low bit set), a prefetch of the cache lines a
 * lookup of that tag will touch first, then of the record they point to, and
 * pm_table_upsert with the tag already computed. Prefetches are hints only.
 */
uint64_t pm_table_tag(const struct pm_table *t, const void *key);
void pm_table_prefetch(const struct pm_table *t, uint64_t tag);
void pm_table_prefetch_record(const struct pm_table *t, uint64_t tag);
/*
 * The value of the record tag's first slot (or the recent cache) names,
 * without comparing keys: another key's record, or NULL, is possible. For a
 * prefetch that reads a pointer out of the record; never for a lookup.
 */
const void *pm_table_peek_tag(const struct pm_table *t, uint64_t tag);
void *pm_table_upsert_tag(struct pm_table *t, const void *key, uint64_t tag, bool *is_new);

/*
 * pm_table_upsert_max with the tag given: pm_table_tag's, or one the caller
 * makes without a second hash, e.g. for a table whose 8-byte key is already
 * a keyed hash (pm_hash) and is its own tag (key | 1), or pm_table_derive's.
 * A table tagged other than by pm_table_tag must be used only through the
 * _tag functions and the iteration (pm_table_find would hash the key and miss).
 */
void *pm_table_upsert_max_tag(struct pm_table *t, const void *key, uint64_t tag, size_t max_count,
                              bool *is_new);

/* pm_table_find with the tag given (as pm_table_upsert_max_tag stored it). */
void *pm_table_find_tag(const struct pm_table *t, const void *key, uint64_t tag);

/*
 * The tag of a key made of a part whose tag (a keyed hash) is `tag` and of
 * small fields packed into x: murmur3's fmix64, a bijection, of tag ^ x. Which
 * x share slot bits under one tag depends on that secret tag, as with a hash
 * of the whole key, for a few multiplies instead of a SipHash. Every lookup
 * in a table keyed this way must derive its tags the same way from the same
 * parts of the key (pm_table_upsert_max_tag, pm_table_find_tag).
 */
static inline uint64_t
pm_table_derive(uint64_t tag, uint64_t x)
{
	uint64_t h = tag ^ x;
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h | 1;
}

/* SipHash-1-3 of n bytes under the per-run seed. */
uint64_t pm_hash(const void *p, size_t n);

#endif /* PM_TABLE_H */
