/* SPDX-License-Identifier: MIT */
/*
 * table.c - the open-addressing table and its keyed hash.
 *
 * SipHash (Aumasson and Bernstein, 2012) with one compression and three
 * finalisation rounds, as Redis and Rust's HashMap use for hash-flooding
 * resistance at a small cost. Each slot starts with a 64-bit tag, the hash
 * with its low bit forced to 1, so 0 marks an empty slot and most probes
 * that miss are settled without comparing keys.
 */
#include "table.h"

#include <assert.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t seed_k0 = 0x0706050403020100ull, seed_k1 = 0x0f0e0d0c0b0a0908ull;

/* see table.h */
void
pm_table_seed_fixed(uint64_t k0, uint64_t k1)
{
	seed_k0 = k0;
	seed_k1 = k1;
}

/* see table.h */
void
pm_table_seed_random(void)
{
	uint64_t k[2] = { 0, 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, k, sizeof(k)) != (ssize_t)sizeof(k)) {
			k[0] = k[1] = 0;
		}
		close(fd);
	}
	if (k[0] == 0 && k[1] == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		k[0] = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
		k[1] = (uint64_t)ts.tv_sec * 0xC2B2AE3D27D4EB4Full;
	}
	pm_table_seed_fixed(k[0], k[1]);
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

static uint64_t
load_le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static uint64_t
siphash13(uint64_t k0, uint64_t k1, const uint8_t *p, size_t n)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	size_t left = n;
	for (; left >= 8; left -= 8, p += 8) {
		uint64_t m = load_le64(p);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)n << 56;
	for (size_t i = 0; i < left; i++) {
		b |= (uint64_t)p[i] << (8 * i);
	}
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* see table.h */
uint64_t
pm_hash(const void *p, size_t n)
{
	return siphash13(seed_k0, seed_k1, p, n);
}

struct pm_table_slot {
	uint64_t tag; /* hash | 1, or 0 when empty */
	uint64_t idx; /* record index */
};

/* see table.h */
void
pm_table_init(struct pm_table *t, size_t key_size, size_t val_size, size_t max_bytes)
{
	assert(key_size % 8 == 0); /* values start 8-aligned after the key */
	memset(t, 0, sizeof(*t));
	t->key_size = key_size;
	t->val_size = val_size;
	t->rec_size = (key_size + val_size + 7) & ~(size_t)7;
	t->max_bytes = max_bytes != 0 ? max_bytes : PM_TABLE_DEFAULT_MAX;
	t->k0 = seed_k0;
	t->k1 = seed_k1;
}

/* see table.h */
void
pm_table_free(struct pm_table *t)
{
	for (size_t i = 0; i < t->n_chunks; i++) {
		free(t->chunks[i]);
	}
	free(t->chunks);
	free(t->slots);
	free(t->recent);
	t->chunks = NULL;
	t->slots = NULL;
	t->recent = NULL;
	t->n_chunks = t->cap = t->count = t->bytes = 0;
}

/*
 * Chunk k holds PM_TABLE_CHUNK << k records, so small tables stay small and
 * large ones need few chunks: record i is in chunk floor(log2(i / C + 1)).
 */
static size_t
chunk_of(size_t idx, size_t *first)
{
	size_t q = idx / PM_TABLE_CHUNK + 1;
	size_t k = (size_t)(63 - __builtin_clzll((unsigned long long)q));
	*first = PM_TABLE_CHUNK * (((size_t)1 << k) - 1);
	return k;
}

static uint8_t *
record(const struct pm_table *t, size_t idx)
{
	size_t first;
	size_t k = chunk_of(idx, &first);
	return t->chunks[k] + (idx - first) * t->rec_size;
}

/* Keys are whole 8-byte words (pm_table_init), compared without a call. */
static bool
same_key(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t diff = 0;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		diff |= x ^ y;
	}
	return diff == 0;
}

/* The slot holding key, or the empty slot where it would go. */
static struct pm_table_slot *
probe(const struct pm_table *t, const void *key, uint64_t tag)
{
	size_t mask = t->cap - 1;
	for (size_t i = (size_t)(tag >> 1) & mask;; i = (i + 1) & mask) {
		struct pm_table_slot *s = &t->slots[i];
		if (s->tag == 0 ||
		    (s->tag == tag && same_key(record(t, s->idx), key, t->key_size))) {
			return s;
		}
	}
}

/* The recent-keys entry for tag: high hash bits, so it is independent of the slot index. */
static struct pm_table_slot *
recent(const struct pm_table *t, uint64_t tag)
{
	return &t->recent[(tag >> 40) & (PM_TABLE_RECENT - 1)];
}

/* A known key's record from the recent cache or the slots, remembering it; NULL if absent. */
static uint8_t *
lookup(const struct pm_table *t, const void *key, uint64_t tag, struct pm_table_slot **where)
{
	struct pm_table_slot *r = t->recent != NULL ? recent(t, tag) : NULL;
	if (r != NULL && r->tag == tag && same_key(record(t, r->idx), key, t->key_size)) {
		return record(t, r->idx);
	}
	struct pm_table_slot *s = probe(t, key, tag);
	*where = s;
	if (s->tag == 0) {
		return NULL;
	}
	if (r != NULL) {
		*r = *s;
	}
	return record(t, s->idx);
}

static bool
fits(const struct pm_table *t, size_t more)
{
	return t->bytes <= t->max_bytes && more <= t->max_bytes - t->bytes;
}

static bool
grow_slots(struct pm_table *t)
{
	size_t cap = t->cap != 0 ? t->cap * 2 : 256;
	size_t size = cap * sizeof(struct pm_table_slot);
	if (!fits(t, size - t->cap * sizeof(struct pm_table_slot))) {
		return false;
	}
	/* The recent-keys cache is worth its 64 KiB only in a table allowed to be large. */
	size_t rsize = PM_TABLE_RECENT * sizeof(*t->recent);
	if (t->recent == NULL && cap >= 2 * PM_TABLE_RECENT && t->max_bytes / 16 >= rsize &&
	    fits(t, rsize + size)) {
		t->recent = calloc(PM_TABLE_RECENT, sizeof(*t->recent));
		if (t->recent != NULL) {
			t->bytes += rsize;
		}
	}
	struct pm_table_slot *n = calloc(cap, sizeof(*n));
	if (n == NULL) {
		return false;
	}
	struct pm_table_slot *old = t->slots;
	size_t old_cap = t->cap;
	t->slots = n;
	t->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].tag != 0) {
			size_t j = (size_t)(old[i].tag >> 1) & (cap - 1);
			while (n[j].tag != 0) {
				j = (j + 1) & (cap - 1);
			}
			n[j] = old[i];
		}
	}
	free(old);
	t->bytes += size - old_cap * sizeof(struct pm_table_slot);
	return true;
}

/* Room for record number count: a new chunk when the last one is full. */
static bool
grow_records(struct pm_table *t)
{
	size_t first;
	size_t k = chunk_of(t->count, &first);
	if (k < t->n_chunks) {
		return true;
	}
	size_t size = ((size_t)PM_TABLE_CHUNK << k) * t->rec_size;
	if (!fits(t, size)) {
		return false;
	}
	uint8_t **c = realloc(t->chunks, (t->n_chunks + 1) * sizeof(*c));
	if (c == NULL) {
		return false;
	}
	t->chunks = c;
	c[t->n_chunks] = malloc(size);
	if (c[t->n_chunks] == NULL) {
		return false;
	}
	t->n_chunks++;
	t->bytes += size;
	return true;
}

/* see table.h */
void *
pm_table_find(const struct pm_table *t, const void *key)
{
	return t->count != 0 ? pm_table_find_tag(t, key, pm_table_tag(t, key)) : NULL;
}

/* see table.h */
void *
pm_table_find_tag(const struct pm_table *t, const void *key, uint64_t tag)
{
	if (t->count == 0) {
		return NULL;
	}
	struct pm_table_slot *s;
	uint8_t *r = lookup(t, key, tag, &s);
	return r != NULL ? r + t->key_size : NULL;
}

/* see table.h */
uint64_t
pm_table_tag(const struct pm_table *t, const void *key)
{
	return siphash13(t->k0, t->k1, key, t->key_size) | 1;
}

/* see table.h */
void
pm_table_prefetch(const struct pm_table *t, uint64_t tag)
{
	if (t->cap != 0) {
		if (t->recent != NULL) {
			__builtin_prefetch(recent(t, tag));
		}
		__builtin_prefetch(&t->slots[(size_t)(tag >> 1) & (t->cap - 1)]);
	}
}

/* see table.h */
const void *
pm_table_peek_tag(const struct pm_table *t, uint64_t tag)
{
	if (t->cap == 0) {
		return NULL;
	}
	const struct pm_table_slot *r = t->recent != NULL ? recent(t, tag) : NULL;
	const struct pm_table_slot *s = &t->slots[(size_t)(tag >> 1) & (t->cap - 1)];
	size_t idx = r != NULL && r->tag == tag ? r->idx : s->tag == tag ? s->idx : SIZE_MAX;
	return idx < t->count ? record(t, idx) + t->key_size : NULL;
}

/* see table.h */
void
pm_table_prefetch_record(const struct pm_table *t, uint64_t tag)
{
	const uint8_t *v = pm_table_peek_tag(t, tag);
	if (v != NULL) {
		const uint8_t *p = v - t->key_size;
		for (size_t off = 0; off < t->rec_size; off += 64) {
			__builtin_prefetch(p + off, 1);
		}
	}
}

/* see table.h */
void *
pm_table_upsert(struct pm_table *t, const void *key, bool *is_new)
{
	return pm_table_upsert_tag(t, key, pm_table_tag(t, key), is_new);
}

/* see table.h */
void *
pm_table_upsert_max(struct pm_table *t, const void *key, size_t max_count, bool *is_new)
{
	if (t->count < max_count) {
		return pm_table_upsert(t, key, is_new);
	}
	*is_new = false;
	void *v = pm_table_find(t, key);
	if (v == NULL) {
		t->dropped++;
	}
	return v;
}

/* see table.h */
void *
pm_table_upsert_tag(struct pm_table *t, const void *key, uint64_t tag, bool *is_new)
{
	*is_new = false;
	struct pm_table_slot *s = NULL;
	if (t->cap != 0) {
		uint8_t *r = lookup(t, key, tag, &s);
		if (r != NULL) {
			return r + t->key_size;
		}
	}
	/* Absent: make room while the load factor would pass 7/10. */
	if ((t->count + 1) * 10 > t->cap * 7) {
		if (!grow_slots(t)) {
			t->dropped++;
			return NULL;
		}
		s = probe(t, key, tag);
	}
	if (!grow_records(t)) {
		t->dropped++;
		return NULL;
	}
	uint8_t *r = record(t, t->count);
	memcpy(r, key, t->key_size);
	memset(r + t->key_size, 0, t->rec_size - t->key_size);
	s->tag = tag;
	s->idx = t->count++;
	if (t->recent != NULL) {
		*recent(t, tag) = *s;
	}
	*is_new = true;
	return r + t->key_size;
}

/* see table.h */
void *
pm_table_upsert_max_tag(struct pm_table *t, const void *key, uint64_t tag, size_t max_count,
                        bool *is_new)
{
	if (t->count < max_count) {
		return pm_table_upsert_tag(t, key, tag, is_new);
	}
	*is_new = false;
	struct pm_table_slot *s;
	uint8_t *r = t->cap != 0 ? lookup(t, key, tag, &s) : NULL;
	if (r == NULL) {
		t->dropped++;
		return NULL;
	}
	return r + t->key_size;
}

/* see table.h */
const void *
pm_table_next(const struct pm_table *t, size_t *pos, void **val)
{
	if (*pos >= t->count) {
		return NULL;
	}
	uint8_t *r = record(t, (*pos)++);
	*val = r + t->key_size;
	return r;
}
