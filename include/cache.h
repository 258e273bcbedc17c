/* SPDX-License-Identifier: MIT */
/*
 * cache.h - recent analyses, kept for the MCP server under a memory cap.
 *
 * An analysis is found again by the file's identity and version: device,
 * inode, size and modification time. A file that changed is analysed again.
 * Least recently used analyses are dropped when the estimated memory of all
 * kept analyses passes the cap (the newest is always kept).
 */
#ifndef PM_CACHE_H
#define PM_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "analysis.h"
#include "pm.h"

#define PM_CACHE_SLOTS     8             /* analyses kept at most */
#define PM_CACHE_MAX_BYTES (1024u << 20) /* default memory cap over all kept analyses */

struct pm_cache_entry {
	dev_t dev; /* identity of the file analysed */
	ino_t ino;
	off_t size;            /* bytes */
	int64_t mtime_ns;      /* modification time, ns since the epoch */
	uint64_t used;         /* cache clock at the last hit; 0 = empty slot */
	size_t bytes;          /* estimated memory of the analysis */
	struct pm_analysis *a; /* owned */
};

struct pm_cache {
	struct pm_cache_entry e[PM_CACHE_SLOTS];
	uint64_t clock;   /* bumped on every lookup */
	size_t max_bytes; /* memory cap */
	uint64_t hits, misses;
	struct pm_analysis_opts opts; /* settings for new analyses (progress, cancel) */
};

void pm_cache_init(struct pm_cache *c, size_t max_bytes);
void pm_cache_free(struct pm_cache *c);

/*
 * The analysis of the capture open on fd (at offset 0; the sandbox opened
 * and checked it as path), from the cache when the file is unchanged, else
 * a new pass over fd. fd is not closed. NULL on failure with *err filled
 * (err->ecode: the error-contract code). The result stays valid
 * until the next pm_cache_get or pm_cache_free.
 */
const struct pm_analysis *pm_cache_get(struct pm_cache *c, int fd, const char *path,
                                       struct pm_error *err);

#endif /* PM_CACHE_H */
