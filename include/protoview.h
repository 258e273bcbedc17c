/* SPDX-License-Identifier: MIT */
/*
 * protoview.h - what the protocol views (dnsview.h, icmpview.h,
 * dhcpview.h, sipview.h) share: mcpcap's top-level members, the findings
 * list, paging arguments and the budget that keeps a default result under
 * 20,000 characters. Each view writes members of the result object the
 * caller opened (after "ok": true); the caller closes it.
 */
#ifndef PM_PROTOVIEW_H
#define PM_PROTOVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_analysis;
struct pm_json;

#define PM_PV_DEFAULT_LIMIT  20   /* packets per page */
#define PM_PV_MAX_LIMIT      1000 /* larger limits are clamped */
#define PM_PV_DEFAULT_TOP    10   /* entries of each top list */
#define PM_PV_MAX_TOP        100  /* larger top values are clamped */
#define PM_PV_PACKETS_BUDGET 7000 /* bytes the default packets page may take */
#define PM_PV_LIST_BUDGET    2500 /* bytes each default top list may take */
#define PM_PV_MAX_FINDINGS   10   /* entries (top first) examined per finding type */

/* Paging and size arguments every protocol view takes. */
struct pm_pv_page {
	int64_t limit;    /* packets per page: 0..PM_PV_MAX_LIMIT (larger is clamped); default 20 */
	int64_t offset;   /* packets skipped before the page, >= 0; default 0 */
	int64_t top;      /* entries per top list: 1..PM_PV_MAX_TOP (clamped); default 10 */
	size_t budget;    /* bytes the packets page may take; 0: no cap; default 7000 */
	size_t max_bytes; /* the page stops once the result holds this many bytes; 0: no cap */
};

/* Defaults: limit 20, offset 0, top 10, budget PM_PV_PACKETS_BUDGET, max_bytes 0. */
void pm_pv_page_init(struct pm_pv_page *pg);

/*
 * Check the paging arguments (limit, offset >= 0, top >= 1) and clamp
 * them. Returns 0, or PM_E_MALFORMED with an "invalid_argument: ..." message.
 */
PM_MUST_CHECK int pm_pv_page_check(struct pm_pv_page *pg, struct pm_error *err);

/*
 * mcpcap's leading members: "file", then total_key ("total_packets_in_file"
 * or "total_packets") with the records in the capture, "<proto>_packets_found"
 * and "<proto>_packets_analyzed".
 */
void pm_pv_head(struct pm_json *w, const struct pm_analysis *a, const char *total_key,
                const char *proto, uint64_t found, uint64_t analyzed);

/*
 * One finding: opens {"type", "severity" (info|low|medium|high), "summary",
 * "evidence": { and leaves the evidence object open for the caller's
 * members; pm_pv_finding_end closes both.
 */
void pm_pv_finding(struct pm_json *w, const char *type, const char *severity, const char *fmt, ...)
    PM_PRINTF(4, 5);
void pm_pv_finding_end(struct pm_json *w);

/* "key": "<address text>". */
void pm_pv_kaddr(struct pm_json *w, const char *key, const uint8_t addr[16], uint8_t ipver);

/* "key": "<ISO-8601 time>". */
void pm_pv_ktime(struct pm_json *w, const char *key, int64_t ts_ns);

/*
 * Whether a page begun at byte start of w may take another item under
 * budget (0: always); the first item always fits.
 */
bool pm_pv_fits(const struct pm_json *w, size_t start, size_t budget, size_t taken);

/*
 * Parse an optional address argument s (NULL: absent) into addr/ipver.
 * Returns 0, or PM_E_MALFORMED with an "invalid_ip: ..." message naming arg.
 */
PM_MUST_CHECK int pm_pv_addr_arg(const char *arg, const char *s, uint8_t addr[16], uint8_t *ipver,
                                 struct pm_error *err);

struct pm_table;

/* A protocol's kept sample: n items of size bytes, filtered and written by the view. */
struct pm_pv_sample {
	const void *items;                                  /* the analyser's sample array */
	size_t n, size;                                     /* items kept, bytes each */
	bool complete;                                      /* no message was left out of it */
	bool (*match)(const void *item, const void *ctx);   /* the view's filters */
	const void *ctx;                                    /* passed to match */
	void (*write)(struct pm_json *w, const void *item); /* one packet object */
};

/*
 * The members "packets" (the page of matching items, within pg's limit and
 * budget), "packets_page" and "packets_sample_complete".
 */
void pm_pv_packets(struct pm_json *w, const struct pm_pv_sample *smp, const struct pm_pv_page *pg);

/* One key and value of a table, for sorting. */
struct pm_pv_entry {
	const void *key;
	const void *val;
};

/*
 * The entries of t in a malloc'd array the caller frees (also when *n is
 * 0), in table order; sort before output. NULL when out of memory.
 */
struct pm_pv_entry *pm_pv_entries(const struct pm_table *t, size_t *n);

/* Case-insensitive substring test; an empty or NULL needle matches. */
bool pm_pv_contains(const char *hay, const char *needle);

#endif /* PM_PROTOVIEW_H */
