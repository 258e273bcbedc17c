/* SPDX-License-Identifier: MIT */
/*
 * enrichcache.h - the on-disk cache of provider answers, keyed by provider
 * and address, under PCAPMCP_CACHE_DIR/enrich/<provider>/<key>.
 *
 * An entry is one file: the line "PMC1 <stored epoch s> <HTTP status>
 * <body bytes>\n" and the body. It is written to a temporary file in the
 * same directory and renamed over the entry, so a reader (another process
 * included) sees the old entry or the new one, never half of one. An entry
 * older than the TTL, or one that does not parse, is a miss, never an
 * error; a corrupt entry is removed so the next answer rebuilds it.
 */
#ifndef PM_ENRICHCACHE_H
#define PM_ENRICHCACHE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_ECACHE_DEFAULT_TTL (24 * 3600) /* seconds */
#define PM_ECACHE_MAX_BODY    (1u << 20)  /* bytes one entry keeps */

struct pm_ecache {
	char dir[PATH_MAX]; /* the cache directory (PCAPMCP_CACHE_DIR); created on first put */
	int64_t ttl_s;      /* 0: PM_ECACHE_DEFAULT_TTL */
	int64_t now;        /* seconds since 1970 to use as now; 0: the clock (tests set it) */
};

/*
 * Look the entry for (provider, key) up. provider is [a-z0-9_]+ and key
 * [0-9A-Za-z.:_-]+ (an address), at most 64 bytes each. Returns 1 with
 * *status and a malloc'd *body (NUL-terminated, *len bytes; the caller
 * frees it), or 0 for a miss (absent, expired, corrupt, bad name).
 */
PM_MUST_CHECK int pm_ecache_get(const struct pm_ecache *c, const char *provider, const char *key,
                                int *status, uint8_t **body, size_t *len);

/*
 * Store status and the len bytes at body for (provider, key), atomically.
 * Returns 0, PM_E_MALFORMED (bad name), PM_E_LIMIT (body over
 * PM_ECACHE_MAX_BODY) or PM_E_IO with *err naming the directory.
 */
PM_MUST_CHECK int pm_ecache_put(const struct pm_ecache *c, const char *provider, const char *key,
                                int status, const uint8_t *body, size_t len, struct pm_error *err);

#endif /* PM_ENRICHCACHE_H */
