/* SPDX-License-Identifier: MIT */
/*
 * view.h - what every view shares, whatever analysis it reads: the
 * arguments a tool hands its view (struct pm_view_args) with their
 * defaults, paging, result budgets, argument errors and ratios. Nothing
 * here knows the flow table; views over it add flowview.h.
 *
 * Size: so that a default result stays under 20,000 characters, a paged
 * list stops early once it has taken args->budget bytes of output (default
 * PM_VIEW_LIST_BUDGET). Its page member then reports the items returned as
 * "limit" and "truncated": true, so the next call can use offset + limit.
 * Callers that pass an explicit limit set budget to 0 to get all of it; the
 * hard budget max_bytes (the result as a whole, PCAPMCP_MAX_RESULT_CHARS)
 * still cuts the list the same way, so no limit can overflow a client.
 *
 * Errors: a view returns 0, PM_E_NOMEM, or PM_E_MALFORMED for an invalid
 * argument. On PM_E_MALFORMED err->ecode is the error code of the tool
 * contract (PM_EC_INVALID_IP or PM_EC_INVALID_ARGUMENT) and err->msg says
 * what to do. Nothing is written to w when a view rejects its arguments.
 */
#ifndef PM_VIEW_H
#define PM_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_json;

#define PM_VIEW_DEFAULT_LIMIT     50    /* list items per page */
#define PM_VIEW_MAX_LIMIT         1000  /* larger limits are clamped to this */
#define PM_VIEW_DEFAULT_TOP       10    /* summary top-N lists */
#define PM_VIEW_DEFAULT_THRESHOLD 0.02  /* retransmission rate that counts as notable */
#define PM_VIEW_LIST_BUDGET       14000 /* bytes of JSON a list may take by default */

/* Order of flow lists. Every order breaks ties by the flow key's bytes. */
enum pm_flow_sort {
	PM_SORT_BYTES = 0, /* bytes, both directions, descending */
	PM_SORT_PACKETS,   /* packets, both directions, descending */
	PM_SORT_START,     /* first packet time, ascending */
	PM_SORT_RETRANS,   /* retransmissions per packet, descending, then retransmissions */
};

/* Arguments of every view; pm_view_args_init sets the defaults. */
struct pm_view_args {
	const char *ip;         /* analyze_ip_flows: IPv4 or IPv6 text; NULL when absent */
	const char *protocol;   /* analyze_protocol_flows: tcp, udp, icmp, icmpv6 or a label */
	const char *server_ip;  /* TCP views: the server's address text; NULL when absent */
	int32_t port;           /* analyze_port_flows: 0..65535; -1 when absent */
	int32_t server_port;    /* TCP views: the server's port 0..65535; -1 when absent */
	enum pm_flow_sort sort; /* flow listings: PM_SORT_BYTES, _PACKETS or _START */
	double threshold;       /* retransmission rate threshold, 0..1 */
	int64_t limit;          /* items per list: 0..PM_VIEW_MAX_LIMIT (larger is clamped) */
	int64_t offset;         /* items skipped before the page, >= 0 */
	int64_t top;            /* summary top-N lists: 1..PM_VIEW_MAX_LIMIT (larger is clamped) */
	size_t budget;          /* bytes of JSON a paged list may take; 0: no cap (see below) */
	size_t max_bytes; /* lists stop once the whole result holds this many bytes; 0: none */
};

/*
 * Defaults: no filter, limit 50, offset 0, top 10, threshold 0.02, sort by
 * bytes, budget PM_VIEW_LIST_BUDGET.
 */
void pm_view_args_init(struct pm_view_args *v);

/* Parse "bytes", "packets" or "start"; returns false when unknown. */
bool pm_view_sort_parse(const char *s, enum pm_flow_sort *out);

/* Set err to code (PM_EC_INVALID_*) and the message what; returns PM_E_MALFORMED. */
PM_MUST_CHECK int pm_view_bad_arg(struct pm_error *err, enum pm_ecode code, const char *what);

/*
 * Check v->limit and v->offset (neither negative) and store the page size,
 * clamped to PM_VIEW_MAX_LIMIT, in *limit. Returns 0 or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_view_check_paging(const struct pm_view_args *v, uint64_t *limit,
                                       struct pm_error *err);

/* Whether a list begun at byte start of w may take another item (budget and max_bytes). */
bool pm_view_fits(const struct pm_json *w, size_t start, const struct pm_view_args *v);

/* The index one past the last item of the page over n items. */
size_t pm_view_page_end(size_t n, uint64_t offset, uint64_t limit);

/* num / den, or 0 when den is 0. */
double pm_view_ratio(uint64_t num, uint64_t den);

#endif /* PM_VIEW_H */
