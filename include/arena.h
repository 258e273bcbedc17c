/* SPDX-License-Identifier: MIT */
/*
 * arena.h - a chain of malloc'd blocks freed in one call.
 *
 * One arena per analysis (and one per capture for its interface and NRB
 * metadata). Objects are never freed one at a time. A byte cap bounds the
 * total, so hostile input cannot grow memory without limit: past the cap
 * every allocation returns NULL and the caller counts what it dropped.
 */
#ifndef PM_ARENA_H
#define PM_ARENA_H

#include <stddef.h>

#include "pm.h"

struct pm_arena_block;

struct pm_arena {
	struct pm_arena_block *head; /* newest block; owned */
	size_t used;                 /* bytes handed out from head */
	size_t total;                /* bytes malloc'd across all blocks */
	size_t cap;                  /* upper bound on total; 0 = unlimited */
};

/* Start an empty arena whose blocks together may not exceed cap bytes (0: no cap). */
void pm_arena_init(struct pm_arena *a, size_t cap);

/* Free every block; the arena is empty and reusable afterwards. */
void pm_arena_free(struct pm_arena *a);

/*
 * Return size bytes aligned to align (a power of two, at most 64), zeroed,
 * or NULL when malloc fails or the cap would be passed. Valid until
 * pm_arena_free.
 */
PM_MUST_CHECK void *pm_arena_alloc(struct pm_arena *a, size_t size, size_t align);

/* pm_arena_alloc(n * size) with the multiplication checked for overflow. */
PM_MUST_CHECK void *pm_arena_array(struct pm_arena *a, size_t n, size_t size, size_t align);

/* Copy at most n bytes of s into the arena, NUL-terminated. NULL on failure. */
PM_MUST_CHECK char *pm_arena_strndup(struct pm_arena *a, const char *s, size_t n);

#endif /* PM_ARENA_H */
