/* SPDX-License-Identifier: MIT */
/*
 * cache.h - recent analyses, kept for the MCP server under a memory cap and
 * shared by the threads that answer calls.
 *
 * An analysis is found again by the file's identity and version: device,
 * inode, size and modification time. A file that changed is analysed again.
 * A call that asks for a capture whose pass is under way waits for that pass
 * and shares its result instead of starting another. Entries are
 * reference-counted: an analysis handed out stays valid until given back with
 * pm_cache_put, and eviction (least recently used first, while the estimated
 * memory of all kept analyses passes the cap) skips entries in use. Every
 * function here may be called from any thread.
 */
#ifndef PM_CACHE_H
#define PM_CACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "analysis.h"
#include "pm.h"

#define PM_CACHE_SLOTS     8             /* analyses kept (or running) at most */
#define PM_CACHE_MAX_BYTES (1024u << 20) /* default memory cap over all kept analyses */
#define PM_CACHE_POLL_MS   10            /* a waiting call checks its cancel hook this often */

/* One call's hooks into the pass it runs or waits for; any field may be NULL. */
struct pm_cache_hooks {
	/* Called every PM_PROGRESS_EVERY records with bytes read and the file size. */
	void (*progress)(void *opaque, uint64_t done, uint64_t total);
	/* true: the call gives up; the pass stops once every call waiting on it gave up. */
	bool (*cancelled)(void *opaque);
	void *opaque; /* passed to both */
};

/* A call waiting on a running pass; lives on that call's stack. */
struct pm_cache_waiter {
	const struct pm_cache_hooks *h; /* never NULL */
	struct pm_cache_waiter *next;   /* next waiter of the same entry */
};

struct pm_cache_entry {
	dev_t dev; /* identity of the file analysed */
	ino_t ino;
	off_t size;                      /* bytes */
	int64_t mtime_ns;                /* modification time, ns since the epoch */
	uint64_t used;                   /* cache clock at the last hit; 0 = empty slot */
	size_t bytes;                    /* estimated memory of the analysis */
	struct pm_analysis *a;           /* owned; NULL while the pass runs or after it failed */
	unsigned refs;                   /* calls holding a or waiting for it */
	bool running;                    /* a pass is under way (its caller holds a ref) */
	struct pm_error err;             /* why the pass failed, for its waiters */
	struct pm_cache_waiter *waiters; /* calls waiting on the pass, the runner's first */
	volatile int cancel;             /* set by the runner when every waiter gave up */
};

struct pm_cache {
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t done;  /* broadcast when a pass ends */
	struct pm_cache_entry e[PM_CACHE_SLOTS];
	uint64_t clock;   /* bumped on every lookup */
	size_t max_bytes; /* memory cap */
	uint64_t hits;    /* calls answered by a finished analysis */
	uint64_t shared;  /* calls that waited on a pass another call started */
	uint64_t misses;  /* passes started */
	struct pm_analysis_opts
	    opts; /* settings for new passes; progress and cancel are the cache's */
};

void pm_cache_init(struct pm_cache *c, size_t max_bytes);

/* Free every kept analysis; no call may hold one any more. */
void pm_cache_free(struct pm_cache *c);

/*
 * The analysis of the capture open on fd (at offset 0; the sandbox opened
 * and checked it as path): a finished one from the cache when the file is
 * unchanged, else the result of the pass another call is running for it,
 * else a new pass over fd on this thread. fd is not closed. h may be NULL.
 * NULL on failure with *err filled (err->ecode: the error-contract code;
 * PM_EC_CANCELLED when h->cancelled said so or every call waiting on the
 * pass gave up). A result stays valid until pm_cache_put.
 */
const struct pm_analysis *pm_cache_get(struct pm_cache *c, int fd, const char *path,
                                       const struct pm_cache_hooks *h, struct pm_error *err);

/* Give back an analysis pm_cache_get returned (NULL: nothing). */
void pm_cache_put(struct pm_cache *c, const struct pm_analysis *a);

#endif /* PM_CACHE_H */
