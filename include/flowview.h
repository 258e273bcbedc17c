/* SPDX-License-Identifier: MIT */
/*
 * flowview.h - views over the flow table: the flow listings
 * (analyze_port_flows, analyze_ip_flows, analyze_protocol_flows; CLI `flows`)
 * and what every view shares: arguments, flow selection, sorting, paging and
 * argument errors. The TCP views are declared in tcpview.h.
 *
 * A view reads a finished analysis and writes members of one JSON object:
 * the caller opens the object and writes "ok": true first, and closes it
 * after. Lists are sorted with ties broken by the flow key's bytes, so
 * output never depends on hash order, and every list is followed by its
 * "<name>_page" member.
 *
 * Size: so that a default result stays under 20,000 characters, a paged
 * list stops early once it has taken args->budget bytes of output (default
 * PM_VIEW_LIST_BUDGET). Its page member then reports the items returned as
 * "limit" and "truncated": true, so the next call can use offset + limit.
 * Callers that pass an explicit limit set budget to 0 to get all of it.
 *
 * Errors: a view returns 0, PM_E_NOMEM, or PM_E_MALFORMED for an invalid
 * argument. On PM_E_MALFORMED err->msg starts with the error code of the
 * tool contract and a colon ("invalid_ip: ..." or "invalid_argument: ..."),
 * followed by what to do; pm_view_err_code returns that code. Nothing is
 * written to w when a view rejects its arguments.
 */
#ifndef PM_FLOWVIEW_H
#define PM_FLOWVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "pm.h"

struct pm_analysis;
struct pm_json;

#define PM_VIEW_DEFAULT_LIMIT     50    /* list items per page */
#define PM_VIEW_MAX_LIMIT         1000  /* larger limits are clamped to this */
#define PM_VIEW_DEFAULT_TOP       10    /* summary top-N lists */
#define PM_VIEW_DEFAULT_THRESHOLD 0.02  /* retransmission rate that counts as notable */
#define PM_VIEW_LIST_BUDGET       14000 /* bytes of JSON a list may take by default */

#define PM_VIEW_INVALID_IP       "invalid_ip"
#define PM_VIEW_INVALID_ARGUMENT "invalid_argument"

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
};

/* One flow of the table: both pointers point into the analysis. */
struct pm_flow_ref {
	const struct pm_flow_key *key;
	const struct pm_flow *flow;
};

/* A flow's endpoints and directions seen from the client (fl->client). */
struct pm_view_ends {
	const uint8_t *caddr, *saddr;        /* into the key, network order */
	uint16_t cport, sport;               /* ports as keyed (ICMP: echo id or type/code) */
	const struct pm_flow_dir *c2s, *s2c; /* into the flow */
};

/* Predicate over flows for pm_view_collect; ctx is passed through. */
typedef bool (*pm_flow_pred)(const struct pm_flow_key *k, const struct pm_flow *fl,
                             const void *ctx);

/*
 * Defaults: no filter, limit 50, offset 0, top 10, threshold 0.02, sort by
 * bytes, budget PM_VIEW_LIST_BUDGET.
 */
void pm_view_args_init(struct pm_view_args *v);

/* Parse "bytes", "packets" or "start"; returns false when unknown. */
bool pm_view_sort_parse(const char *s, enum pm_flow_sort *out);

/* The error code at the start of a failed view's err->msg (a static string). */
const char *pm_view_err_code(const struct pm_error *err);

/* "TCP", "UDP", "ICMP", "ICMPv6", or the protocol number as text, in buf. */
const char *pm_view_proto_name(uint8_t proto, char buf[8]);

void pm_view_ends(const struct pm_flow_key *k, const struct pm_flow *fl, struct pm_view_ends *e);

/* "192.0.2.1:80" or "[2001:db8::1]:443" into out. */
void pm_view_hostport(const uint8_t *addr, uint8_t ipver, uint16_t port, char out[64]);

/*
 * The flows for which pred (NULL: every flow) holds, sorted by sort, in a
 * malloc'd array the caller frees, even when *n is 0. Returns 0 or
 * PM_E_NOMEM (then *out is NULL).
 */
PM_MUST_CHECK int pm_view_collect(const struct pm_analysis *a, pm_flow_pred pred, const void *ctx,
                                  enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n);

/* Write one flow object (the members listed in the `flows` tool) as a list item. */
void pm_view_flow_obj(struct pm_json *w, const struct pm_flow_key *k, const struct pm_flow *fl);

/*
 * The flows a listing selects: by args->port, args->ip or args->protocol
 * (exactly one must be set), sorted by args->sort. Same ownership and
 * errors as pm_view_collect, plus PM_E_MALFORMED for bad arguments.
 */
PM_MUST_CHECK int pm_view_flows_select(const struct pm_analysis *a, const struct pm_view_args *args,
                                       struct pm_flow_ref **out, size_t *n, struct pm_error *err);

/*
 * analyze_port_flows: TCP and UDP flows with args->port at either end.
 * Members: filter, flows, flows_page, totals.
 */
PM_MUST_CHECK int pm_view_port_flows(const struct pm_analysis *a, const struct pm_view_args *args,
                                     struct pm_json *w, struct pm_error *err);

/*
 * analyze_ip_flows: flows with args->ip at either end. Adds `direction` to
 * each flow ("outbound": the IP is the client, "inbound": the server,
 * "both") and the members inbound and outbound.
 */
PM_MUST_CHECK int pm_view_ip_flows(const struct pm_analysis *a, const struct pm_view_args *args,
                                   struct pm_json *w, struct pm_error *err);

/* analyze_protocol_flows: by IP protocol (tcp, udp, icmp, icmpv6) or label, any case. */
PM_MUST_CHECK int pm_view_protocol_flows(const struct pm_analysis *a,
                                         const struct pm_view_args *args, struct pm_json *w,
                                         struct pm_error *err);

/*
 * Shared by the views (flowview.c, tcpview.c); not part of the tool
 * contract.
 */

/* Set err to "<code>: <what>" (code: PM_VIEW_INVALID_*); returns PM_E_MALFORMED. */
PM_MUST_CHECK int pm_view_bad_arg(struct pm_error *err, const char *code, const char *what);

/*
 * Check v->limit and v->offset (neither negative) and store the page size,
 * clamped to PM_VIEW_MAX_LIMIT, in *limit. Returns 0 or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_view_check_paging(const struct pm_view_args *v, uint64_t *limit,
                                       struct pm_error *err);

/* Whether a list begun at byte start of w may take another item. */
bool pm_view_fits(const struct pm_json *w, size_t start, const struct pm_view_args *v);

/* The index one past the last item of the page over n items. */
size_t pm_view_page_end(size_t n, uint64_t offset, uint64_t limit);

/*
 * Parse the IPv4 or IPv6 text s into addr (network order) and *ipver (4 or
 * 6). Returns 0, or PM_E_MALFORMED with an invalid_ip message.
 */
PM_MUST_CHECK int pm_view_parse_ip(const char *s, uint8_t addr[16], uint8_t *ipver,
                                   struct pm_error *err);

/* Packets of a flow, both directions. */
uint64_t pm_view_flow_packets(const struct pm_flow *fl);

/* Retransmitted segments of a flow, both directions. */
uint64_t pm_view_flow_retrans(const struct pm_flow *fl);

/*
 * Retransmissions over the segments that occupy sequence space (payload,
 * SYN or FIN), both directions: at most 1, the definition summary's
 * tcp_health uses (pm_summary_retrans_rate).
 */
double pm_view_flow_retrans_rate(const struct pm_flow *fl);

/* The sequence-space segments of both directions (the rate's denominator). */
uint64_t pm_view_flow_segs(const struct pm_flow *fl);

/* num / den, or 0 when den is 0. */
double pm_view_ratio(uint64_t num, uint64_t den);

#endif /* PM_FLOWVIEW_H */
