/* SPDX-License-Identifier: MIT */
/*
 * counts.h - how often each distinct value occurred over a whole pass, and
 * from how many distinct clients: the statistics a protocol analyser counts
 * at every message (HTTP methods, hosts, user agents, URIs; TLS versions,
 * SNIs, fingerprints), where its rows keep only the first messages.
 *
 * A value is a byte string, kept once (NUL-terminated, in an arena) and
 * found by a keyed hash of its bytes and its length (pm_hash: a capture
 * cannot aim two values at one key). Bounded: past max_values distinct
 * values, or max_pairs distinct (value, client) pairs, what is new is only
 * counted in `dropped`, and the counts are lower bounds.
 */
#ifndef PM_COUNTS_H
#define PM_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "table.h"
#include "tally.h"

/* One distinct value. */
struct pm_count {
	const char *value; /* NUL-terminated, in the arena */
	uint64_t count;    /* occurrences */
	uint64_t clients;  /* distinct clients (pm_counts_client) */
	uint64_t tag;      /* of its key, for its (value, client) pairs */
	size_t len;        /* bytes at value */
};

struct pm_counts {
	struct pm_table values; /* {hash, length} -> struct pm_count */
	struct pm_table pairs;  /* {value's tag, client} -> nothing: clients counted once */
	struct pm_arena arena;  /* the values' bytes */
	struct pm_count *last;  /* the value added last: a repeat costs a compare, no hash */
	size_t max_values;      /* distinct values kept */
	size_t max_pairs;       /* distinct (value, client) pairs kept */
	uint64_t dropped;       /* occurrences (or clients) not counted: a cap, or memory */
};

/* Start empty. Nothing is allocated until the first value. */
void pm_counts_init(struct pm_counts *c, size_t max_values, size_t max_pairs);

/*
 * One occurrence of the n bytes at p (text: a NUL among them ends the kept
 * copy). Returns the value's record (stable until pm_counts_free), or NULL
 * when it was dropped.
 */
struct pm_count *pm_counts_add(struct pm_counts *c, const void *p, size_t n);

/*
 * A value's key, computed once so that a caller who knows the value before
 * it counts it can fetch its slot meanwhile (pm_counts_prefetch), then count
 * it with pm_counts_add_key (which skips the repeat test of pm_counts_add).
 */
struct pm_counts_key {
	uint64_t hash, len, tag;
};
struct pm_counts_key pm_counts_key(const void *p, size_t n);
void pm_counts_prefetch(const struct pm_counts *c, const struct pm_counts_key *k);
struct pm_count *pm_counts_add_key(struct pm_counts *c, const void *p, size_t n,
                                   const struct pm_counts_key *k);

/*
 * Count client (16 bytes, network order) among v's clients unless it is
 * there already. A caller that knows the pair was counted (the client's
 * last value of this statistic was v) may skip the call: it changes nothing.
 */
void pm_counts_client(struct pm_counts *c, struct pm_count *v, const uint8_t *client);

/* Distinct values kept. */
size_t pm_counts_distinct(const struct pm_counts *c);

/*
 * The k most frequent values into out (room for k), ties by value, as
 * pm_tally_fold orders them. Returns how many were written.
 */
size_t pm_counts_top(const struct pm_counts *c, struct pm_tally_group *out, size_t k);

/* Bytes held, for the analysis cache's accounting. */
size_t pm_counts_bytes(const struct pm_counts *c);

void pm_counts_free(struct pm_counts *c);

#endif /* PM_COUNTS_H */
