/* SPDX-License-Identifier: MIT */
/*
 * tcpview.c - TCP views over a finished flow table: connections, anomalies,
 * retransmissions and client/server traffic flow for one server endpoint.
 *
 * Like the flow listings it counts whole flows (per connection and
 * direction), never packets, and allocates nothing that outlives the call;
 * paging and argument checks come from flowview.c. Key names follow mcpcap's
 * tcp module.
 */
#include "tcpview.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analysis.h"
#include "capture.h"
#include "decode.h"
#include "info.h"
#include "isotime.h"
#include "json.h"

/* Which TCP flows a TCP view looks at: by the server endpoint. */
struct server_filter {
	bool has_ip;
	uint8_t addr[16]; /* network order */
	uint8_t ipver;
	int32_t port; /* -1: any */
};

static bool
match_server(const struct pm_flow_key *k, const struct pm_flow *fl, const void *ctx)
{
	const struct server_filter *f = ctx;
	if (k->proto != PM_IPPROTO_TCP) {
		return false;
	}
	struct pm_view_ends e;
	pm_view_ends(k, fl, &e);
	if (f->has_ip && (k->ipver != f->ipver || memcmp(e.saddr, f->addr, 16) != 0)) {
		return false;
	}
	return f->port < 0 || e.sport == f->port;
}

static int
check_port(int32_t port, const char *what, struct pm_error *err)
{
	if (port < -1 || port > 65535) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		                     "%s must be 0..65535", what);
	}
	return 0;
}

static int
make_server_filter(const struct pm_view_args *v, struct server_filter *f, struct pm_error *err)
{
	memset(f, 0, sizeof(*f));
	f->port = v->server_port;
	if (check_port(v->server_port, "server_port", err) != 0) {
		return PM_E_MALFORMED;
	}
	if (v->threshold < 0 || v->threshold > 1 || isnan(v->threshold)) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT,
		                       "threshold must be between 0 and 1");
	}
	if (v->server_ip == NULL) {
		return 0;
	}
	f->has_ip = true;
	return pm_view_parse_ip(v->server_ip, f->addr, &f->ipver, err);
}

/* see tcpview.h */
int
pm_view_tcp_select(const struct pm_analysis *a, const struct pm_view_args *args,
                   enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n,
                   struct pm_error *err)
{
	struct server_filter f;
	*out = NULL;
	*n = 0;
	int rc = make_server_filter(args, &f, err);
	if (rc != 0) {
		return rc;
	}
	rc = pm_view_collect(a, match_server, &f, sort, out, n);
	if (rc != 0) {
		return pm_error_set(err, rc, 0, "out of memory");
	}
	return 0;
}

static void
server_filter_obj(struct pm_json *w, const struct pm_view_args *v)
{
	pm_json_key(w, "filter");
	pm_json_obj_begin(w);
	pm_json_key(w, "server_ip");
	if (v->server_ip != NULL) {
		pm_json_str(w, v->server_ip);
	} else {
		pm_json_null(w);
	}
	pm_json_key(w, "server_port");
	if (v->server_port >= 0) {
		pm_json_u64(w, (uint64_t)v->server_port);
	} else {
		pm_json_null(w);
	}
	pm_json_obj_end(w);
}

/* Counters over a set of TCP connections. */
struct tcp_tally {
	uint64_t conns;
	uint64_t packets;
	uint64_t handshakes; /* the client ACKed the SYN-ACK */
	uint64_t state[PM_TCP_ACTIVE + 1];
	uint64_t c_syn, s_syn; /* SYN segments from clients, from servers (SYN-ACKs) */
	uint64_t c_rst, s_rst;
	uint64_t fin;
	uint64_t retrans;   /* sequence segments seen again */
	uint64_t segs;      /* segments that occupy sequence space (the rate's denominator) */
	uint64_t joined;    /* joined mid-handshake (SYN-ACK and ACK, no SYN) */
	uint64_t conns_rst; /* connections with at least one RST */
	uint64_t attempts;  /* connections whose client sent a SYN */
};

static void
tally(const struct pm_flow_ref *r, size_t n, struct tcp_tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		struct pm_view_ends e;
		pm_view_ends(r[i].key, r[i].flow, &e);
		t->conns++;
		t->packets += pm_view_flow_packets(r[i].flow);
		t->handshakes += r[i].flow->handshake;
		t->state[pm_flow_tcp_state(r[i].key, r[i].flow)]++;
		t->c_syn += e.c2s->syn;
		t->s_syn += e.s2c->syn;
		t->c_rst += e.c2s->rst;
		t->s_rst += e.s2c->rst;
		t->fin += (uint64_t)e.c2s->fin + e.s2c->fin;
		t->retrans += pm_view_flow_retrans(r[i].flow);
		t->segs += pm_view_flow_segs(r[i].flow);
		t->joined += r[i].flow->joined;
		t->conns_rst += e.c2s->rst + e.s2c->rst != 0;
		t->attempts += e.c2s->syn != 0;
	}
}

static const char *
close_reason(enum pm_tcp_state s)
{
	switch (s) {
	case PM_TCP_RESET:
		return "reset";
	case PM_TCP_CLOSED:
		return "normal";
	case PM_TCP_FAILED:
		return "failed";
	case PM_TCP_HALF_OPEN:
		return "half_open";
	default:
		return "active";
	}
}

static void
connection_obj(struct pm_json *w, const struct pm_flow_key *k, const struct pm_flow *fl)
{
	struct pm_view_ends e;
	char hp[64], t[40];
	pm_view_ends(k, fl, &e);
	enum pm_tcp_state st = pm_flow_tcp_state(k, fl);
	pm_json_obj_begin(w);
	pm_view_hostport(e.caddr, k->ipver, e.cport, hp);
	pm_json_kstr(w, "client", hp);
	pm_view_hostport(e.saddr, k->ipver, e.sport, hp);
	pm_json_kstr(w, "server", hp);
	pm_json_kstr(w, "state", pm_tcp_state_name(st));
	pm_json_kbool(w, "handshake_completed", fl->handshake);
	pm_json_kbool(w, "joined_mid_handshake", fl->joined);
	pm_json_ku64(w, "syn_count", e.c2s->syn);
	pm_json_ku64(w, "syn_ack_count", e.s2c->syn);
	pm_json_ku64(w, "rst_count", (uint64_t)e.c2s->rst + e.s2c->rst);
	pm_json_ku64(w, "fin_count", (uint64_t)e.c2s->fin + e.s2c->fin);
	pm_json_ku64(w, "data_packets", (uint64_t)e.c2s->data + e.s2c->data);
	pm_json_ku64(w, "retransmissions", pm_view_flow_retrans(fl));
	pm_json_kstr(w, "close_reason", close_reason(st));
	pm_json_ku64(w, "packet_count", pm_view_flow_packets(fl));
	pm_time_iso(fl->first, t);
	pm_json_kstr(w, "first_seen", t);
	pm_time_iso(fl->last, t);
	pm_json_kstr(w, "last_seen", t);
	pm_json_obj_end(w);
}

static void
conn_summary(struct pm_json *w, const struct tcp_tally *t)
{
	pm_json_key(w, "summary");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_connections", t->conns);
	pm_json_ku64(w, "successful_handshakes", t->handshakes);
	pm_json_ku64(w, "failed_handshakes", t->state[PM_TCP_FAILED]);
	pm_json_ku64(w, "established_connections", t->state[PM_TCP_ESTABLISHED]);
	pm_json_ku64(w, "reset_connections", t->state[PM_TCP_RESET]);
	pm_json_ku64(w, "normal_close", t->state[PM_TCP_CLOSED]);
	pm_json_ku64(w, "active_connections", t->state[PM_TCP_ACTIVE]);
	pm_json_ku64(w, "joined_mid_handshake", t->joined);
	pm_json_obj_end(w);
}

/* A list of up to 8 short strings, never cut, with its page member. */
struct notes {
	char s[8][160];
	size_t n;
};

static void note(struct notes *ns, const char *fmt, ...) PM_PRINTF(2, 3);

static void
note(struct notes *ns, const char *fmt, ...)
{
	if (ns->n >= PM_ARRAY_LEN(ns->s)) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ns->s[ns->n++], sizeof(ns->s[0]), fmt, ap);
	va_end(ap);
}

static void
notes_list(struct pm_json *w, const char *name, const struct notes *ns)
{
	pm_json_key(w, name);
	pm_json_arr_begin(w);
	for (size_t i = 0; i < ns->n; i++) {
		pm_json_str(w, ns->s[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, name, ns->n, ns->n, 0);
}

static void
conn_issues(struct pm_json *w, const struct tcp_tally *t)
{
	struct notes ns = { .n = 0 };
	if (t->state[PM_TCP_RESET] != 0) {
		note(&ns, "%llu connections terminated by RST",
		     (unsigned long long)t->state[PM_TCP_RESET]);
	}
	if (t->state[PM_TCP_FAILED] != 0) {
		note(&ns, "%llu connection attempts failed (SYN unanswered or refused by RST)",
		     (unsigned long long)t->state[PM_TCP_FAILED]);
	}
	if (t->state[PM_TCP_HALF_OPEN] != 0) {
		note(&ns, "%llu connections half-open (handshake incomplete or closed by one side)",
		     (unsigned long long)t->state[PM_TCP_HALF_OPEN]);
	}
	if (t->retrans != 0) {
		note(&ns,
		     "%llu retransmitted segments (%.2f%% of segments that occupy sequence space)",
		     (unsigned long long)t->retrans, 100 * pm_view_ratio(t->retrans, t->segs));
	}
	notes_list(w, "issues", &ns);
}

/* see tcpview.h */
int
pm_view_tcp_connections(const struct pm_analysis *a, const struct pm_view_args *args,
                        struct pm_json *w, struct pm_error *err)
{
	uint64_t limit = 0;
	struct pm_flow_ref *r;
	size_t n;
	struct tcp_tally t;
	if (pm_view_check_paging(args, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_view_tcp_select(a, args, PM_SORT_PACKETS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	tally(r, n, &t);
	server_filter_obj(w, args);
	pm_json_ku64(w, "total_packets", pm_an_info(a)->packets);
	pm_json_ku64(w, "tcp_packets_found", t.packets);
	conn_summary(w, &t);
	pm_json_key(w, "connections");
	pm_json_arr_begin(w);
	size_t i = (size_t)args->offset, stop = pm_view_page_end(n, (uint64_t)args->offset, limit);
	for (size_t start = w->len; i < stop && pm_view_fits(w, start, args); i++) {
		connection_obj(w, r[i].key, r[i].flow);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "connections", n, i < stop ? i - (size_t)args->offset : limit,
	             (uint64_t)args->offset);
	conn_issues(w, &t);
	free(r);
	return 0;
}

static void
anomaly_stats(struct pm_json *w, const struct tcp_tally *t)
{
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_connections", t->conns);
	pm_json_ku64(w, "total_packets", t->packets);
	pm_json_key(w, "handshake");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "successful", t->handshakes);
	pm_json_ku64(w, "failed", t->state[PM_TCP_FAILED]);
	/* States are exclusive (flow.h): completed and failed never overlap. */
	pm_json_ku64(w, "incomplete", t->conns - t->handshakes - t->state[PM_TCP_FAILED]);
	pm_json_ku64(w, "joined_mid_handshake", t->joined);
	pm_json_obj_end(w);
	pm_json_key(w, "flags");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "syn", t->c_syn);
	pm_json_ku64(w, "syn_ack", t->s_syn);
	pm_json_ku64(w, "rst", t->c_rst + t->s_rst);
	pm_json_ku64(w, "fin", t->fin);
	pm_json_obj_end(w);
	pm_json_key(w, "rst_distribution");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "from_server", t->s_rst);
	pm_json_ku64(w, "to_server", t->c_rst);
	pm_json_ku64(w, "connections_with_rst", t->conns_rst);
	pm_json_obj_end(w);
	pm_json_key(w, "retransmissions");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total", t->retrans);
	pm_json_ku64(w, "sequence_segments", t->segs);
	pm_json_kdbl(w, "rate", pm_view_ratio(t->retrans, t->segs), 4);
	pm_json_obj_end(w);
	pm_json_key(w, "connection_states");
	pm_json_obj_begin(w);
	for (int s = PM_TCP_ESTABLISHED; s <= PM_TCP_ACTIVE; s++) {
		pm_json_ku64(w, pm_tcp_state_name((enum pm_tcp_state)s), t->state[s]);
	}
	pm_json_obj_end(w);
	pm_json_obj_end(w);
}

/* The patterns found, in a fixed order; each adds a line to notes. */
static void
pattern_begin(struct pm_json *w, const char *name, const char *category)
{
	pm_json_obj_begin(w);
	pm_json_kstr(w, "pattern", name);
	pm_json_kstr(w, "category", category);
	pm_json_key(w, "observations");
	pm_json_obj_begin(w);
}

static void
pattern_end(struct pm_json *w, struct notes *ns)
{
	pm_json_obj_end(w);
	pm_json_kstr(w, "description", ns->s[ns->n - 1]);
	pm_json_obj_end(w);
}

static bool
rst_pattern(struct pm_json *w, const struct tcp_tally *t, struct notes *ns)
{
	uint64_t all = t->c_rst + t->s_rst;
	/* One side sending four in five RSTs is a direction worth naming. */
	if (all == 0 || (t->s_rst * 5 < all * 4 && t->c_rst * 5 < all * 4)) {
		return false;
	}
	pattern_begin(w, "rst_directional_asymmetry", "connection_termination");
	pm_json_ku64(w, "from_server", t->s_rst);
	pm_json_ku64(w, "to_server", t->c_rst);
	note(ns, "%llu of %llu RST segments were sent by the %s",
	     (unsigned long long)(t->s_rst >= t->c_rst ? t->s_rst : t->c_rst),
	     (unsigned long long)all, t->s_rst >= t->c_rst ? "server" : "clients");
	pattern_end(w, ns);
	return true;
}

static bool
retrans_pattern(struct pm_json *w, const struct tcp_tally *t, double threshold, struct notes *ns)
{
	double rate = pm_view_ratio(t->retrans, t->segs);
	if (t->retrans == 0 || rate <= threshold) {
		return false;
	}
	pattern_begin(w, "packet_retransmission", "reliability");
	pm_json_ku64(w, "retransmissions", t->retrans);
	pm_json_kdbl(w, "rate", rate, 4);
	pm_json_kdbl(w, "threshold", threshold, 4);
	note(ns, "retransmission rate %.2f%% exceeds the %.2f%% threshold", 100 * rate,
	     100 * threshold);
	pattern_end(w, ns);
	return true;
}

static bool
handshake_pattern(struct pm_json *w, const struct tcp_tally *t, struct notes *ns)
{
	uint64_t failed = t->state[PM_TCP_FAILED];
	uint64_t incomplete =
	    t->attempts > t->handshakes + failed ? t->attempts - t->handshakes - failed : 0;
	if (failed + incomplete == 0) {
		return false;
	}
	pattern_begin(w, "handshake_completion", "connection_establishment");
	pm_json_ku64(w, "attempted", t->attempts);
	pm_json_ku64(w, "completed", t->handshakes);
	pm_json_ku64(w, "failed", failed);
	pm_json_ku64(w, "incomplete", incomplete);
	pm_json_kdbl(w, "completion_rate", pm_view_ratio(t->handshakes, t->attempts), 4);
	note(ns, "%llu of %llu connection attempts did not complete the handshake",
	     (unsigned long long)(failed + incomplete), (unsigned long long)t->attempts);
	pattern_end(w, ns);
	return true;
}

static bool
reset_pattern(struct pm_json *w, const struct tcp_tally *t, struct notes *ns)
{
	uint64_t reset = t->state[PM_TCP_RESET];
	if (reset * 10 <= t->conns) {
		return false;
	}
	pattern_begin(w, "abnormal_termination", "connection_termination");
	pm_json_ku64(w, "reset_connections", reset);
	pm_json_ku64(w, "total_connections", t->conns);
	pm_json_kdbl(w, "reset_ratio", pm_view_ratio(reset, t->conns), 4);
	note(ns, "%llu of %llu connections (over 10%%) ended with RST", (unsigned long long)reset,
	     (unsigned long long)t->conns);
	pattern_end(w, ns);
	return true;
}

static bool
syn_pattern(struct pm_json *w, const struct tcp_tally *t, struct notes *ns)
{
	if (t->c_syn == 0 || t->s_syn * 2 >= t->c_syn) {
		return false;
	}
	pattern_begin(w, "syn_response_imbalance", "connection_establishment");
	pm_json_ku64(w, "syn", t->c_syn);
	pm_json_ku64(w, "syn_ack", t->s_syn);
	pm_json_kdbl(w, "response_ratio", pm_view_ratio(t->s_syn, t->c_syn), 4);
	note(ns, "only %llu SYN-ACKs answered %llu SYNs", (unsigned long long)t->s_syn,
	     (unsigned long long)t->c_syn);
	pattern_end(w, ns);
	return true;
}

static void
anomaly_summary(struct pm_json *w, const struct notes *ns, const uint64_t by_cat[3])
{
	static const char *const cats[] = { "connection_establishment", "connection_termination",
		                            "reliability" };
	pm_json_key(w, "summary");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total_patterns", ns->n);
	pm_json_key(w, "by_category");
	pm_json_obj_begin(w);
	for (size_t i = 0; i < PM_ARRAY_LEN(cats); i++) {
		if (by_cat[i] != 0) {
			pm_json_ku64(w, cats[i], by_cat[i]);
		}
	}
	pm_json_obj_end(w);
	notes_list(w, "notable_observations", ns);
	pm_json_obj_end(w);
}

/* see tcpview.h */
int
pm_view_tcp_anomalies(const struct pm_analysis *a, const struct pm_view_args *args,
                      struct pm_json *w, struct pm_error *err)
{
	struct pm_flow_ref *r;
	size_t n;
	struct tcp_tally t;
	struct notes ns = { .n = 0 };
	uint64_t by_cat[3] = { 0 }; /* establishment, termination, reliability */
	int rc = pm_view_tcp_select(a, args, PM_SORT_PACKETS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	tally(r, n, &t);
	free(r);
	server_filter_obj(w, args);
	anomaly_stats(w, &t);
	pm_json_key(w, "patterns");
	pm_json_arr_begin(w);
	by_cat[1] += rst_pattern(w, &t, &ns);
	by_cat[2] += retrans_pattern(w, &t, args->threshold, &ns);
	by_cat[0] += handshake_pattern(w, &t, &ns);
	by_cat[1] += reset_pattern(w, &t, &ns);
	by_cat[0] += syn_pattern(w, &t, &ns);
	pm_json_arr_end(w);
	pm_json_page(w, "patterns", ns.n, ns.n, 0);
	anomaly_summary(w, &ns, by_cat);
	return 0;
}

static void
retrans_item(struct pm_json *w, const struct pm_flow_ref *r)
{
	struct pm_view_ends e;
	char c[64], s[64], both[136];
	pm_view_ends(r->key, r->flow, &e);
	pm_view_hostport(e.caddr, r->key->ipver, e.cport, c);
	pm_view_hostport(e.saddr, r->key->ipver, e.sport, s);
	snprintf(both, sizeof(both), "%s <-> %s", c, s);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "connection", both);
	pm_json_ku64(w, "retrans_count", pm_view_flow_retrans(r->flow));
	pm_json_ku64(w, "total_packets", pm_view_flow_packets(r->flow));
	pm_json_kdbl(w, "retrans_rate", pm_view_flow_retrans_rate(r->flow), 4);
	pm_json_ku64(w, "retrans_c2s", e.c2s->retrans);
	pm_json_ku64(w, "retrans_s2c", e.s2c->retrans);
	pm_json_obj_end(w);
}

static void
retrans_summary(struct pm_json *w, const struct pm_flow_ref *r, size_t m, double threshold)
{
	uint64_t above = 0;
	for (size_t i = 0; i < m; i++) {
		above += pm_view_flow_retrans_rate(r[i].flow) > threshold;
	}
	pm_json_key(w, "summary");
	pm_json_obj_begin(w);
	pm_json_key(w, "worst_connection");
	if (m == 0) {
		pm_json_null(w);
		pm_json_key(w, "worst_retrans_rate");
		pm_json_dbl(w, 0, 4);
	} else {
		struct pm_view_ends e;
		char c[64], s[64], both[136];
		pm_view_ends(r[0].key, r[0].flow, &e);
		pm_view_hostport(e.caddr, r[0].key->ipver, e.cport, c);
		pm_view_hostport(e.saddr, r[0].key->ipver, e.sport, s);
		snprintf(both, sizeof(both), "%s <-> %s", c, s);
		pm_json_str(w, both);
		pm_json_kdbl(w, "worst_retrans_rate", pm_view_flow_retrans_rate(r[0].flow), 4);
	}
	pm_json_ku64(w, "connections_above_threshold", above);
	pm_json_obj_end(w);
}

/* see tcpview.h */
int
pm_view_tcp_retransmissions(const struct pm_analysis *a, const struct pm_view_args *args,
                            struct pm_json *w, struct pm_error *err)
{
	uint64_t limit = 0;
	struct pm_flow_ref *r;
	size_t n, m = 0;
	struct tcp_tally t;
	if (pm_view_check_paging(args, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_view_tcp_select(a, args, PM_SORT_RETRANS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	tally(r, n, &t);
	/* Sorted by rate, the connections with retransmissions come first. */
	while (m < n && pm_view_flow_retrans(r[m].flow) != 0) {
		m++;
	}
	double rate = pm_view_ratio(t.retrans, t.segs);
	server_filter_obj(w, args);
	pm_json_ku64(w, "total_packets", t.packets);
	pm_json_ku64(w, "total_retransmissions", t.retrans);
	pm_json_kdbl(w, "retransmission_rate", rate, 4);
	pm_json_kdbl(w, "threshold", args->threshold, 4);
	pm_json_kbool(w, "exceeds_threshold", rate > args->threshold);
	pm_json_key(w, "by_connection");
	pm_json_arr_begin(w);
	size_t i = (size_t)args->offset, stop = pm_view_page_end(m, (uint64_t)args->offset, limit);
	for (size_t start = w->len; i < stop && pm_view_fits(w, start, args); i++) {
		retrans_item(w, &r[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "by_connection", m, i < stop ? i - (size_t)args->offset : limit,
	             (uint64_t)args->offset);
	retrans_summary(w, r, m, args->threshold);
	free(r);
	return 0;
}

/* One direction summed over connections. */
struct dir_sum {
	uint64_t packets, bytes, syn, rst, fin, data, retrans;
};

static void
dir_add(struct dir_sum *s, const struct pm_flow_dir *d)
{
	s->packets += d->packets;
	s->bytes += d->bytes;
	s->syn += d->syn;
	s->rst += d->rst;
	s->fin += d->fin;
	s->data += d->data;
	s->retrans += d->retrans;
}

static void
dir_obj(struct pm_json *w, const char *name, const struct dir_sum *s)
{
	pm_json_key(w, name);
	pm_json_obj_begin(w);
	pm_json_ku64(w, "packet_count", s->packets);
	pm_json_ku64(w, "byte_count", s->bytes);
	pm_json_ku64(w, "syn_count", s->syn);
	pm_json_ku64(w, "rst_count", s->rst);
	pm_json_ku64(w, "fin_count", s->fin);
	pm_json_ku64(w, "data_packets", s->data);
	pm_json_ku64(w, "retransmissions", s->retrans);
	pm_json_obj_end(w);
}

static void
flow_analysis(struct pm_json *w, const char *server, size_t conns, const struct dir_sum *c,
              const struct dir_sum *s)
{
	char text[400];
	double asym = s->packets != 0 ? (double)c->packets / (double)s->packets : INFINITY;
	const char *rst = c->rst > s->rst ? "client" : s->rst > c->rst ? "server" : "balanced";
	const char *dir = asym > 1.2 ? "client_heavy" : asym < 0.8 ? "server_heavy" : "balanced";
	if (conns == 0) {
		dir = "balanced";
		snprintf(text, sizeof(text), "No TCP connections to %s were seen.", server);
	} else {
		snprintf(text, sizeof(text),
		         "Over %zu TCP connections to %s, clients sent %llu packets (%llu bytes) "
		         "and the server %llu packets (%llu bytes); RSTs: %llu from clients, %llu "
		         "from the server.",
		         conns, server, (unsigned long long)c->packets,
		         (unsigned long long)c->bytes, (unsigned long long)s->packets,
		         (unsigned long long)s->bytes, (unsigned long long)c->rst,
		         (unsigned long long)s->rst);
	}
	pm_json_key(w, "analysis");
	pm_json_obj_begin(w);
	pm_json_kdbl(w, "asymmetry_ratio", conns == 0 ? NAN : asym, 4);
	pm_json_kstr(w, "primary_rst_source", rst);
	pm_json_kstr(w, "data_flow_direction", dir);
	pm_json_kstr(w, "interpretation", text);
	pm_json_obj_end(w);
}

/* see tcpview.h */
int
pm_view_traffic_flow(const struct pm_analysis *a, const struct pm_view_args *args,
                     struct pm_json *w, struct pm_error *err)
{
	struct pm_flow_ref *r;
	size_t n;
	if (args->server_ip == NULL) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT, "server_ip is required");
	}
	int rc = pm_view_tcp_select(a, args, PM_SORT_PACKETS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	struct dir_sum c = { 0 }, s = { 0 };
	for (size_t i = 0; i < n; i++) {
		struct pm_view_ends e;
		pm_view_ends(r[i].key, r[i].flow, &e);
		dir_add(&c, e.c2s);
		dir_add(&s, e.s2c);
	}
	free(r);
	char server[80], ip[48];
	uint8_t addr[16];
	int ver = pm_addr_parse(args->server_ip, addr);
	pm_addr_str(addr, (uint8_t)ver, ip);
	if (args->server_port >= 0) {
		pm_view_hostport(addr, (uint8_t)ver, (uint16_t)args->server_port, server);
	} else {
		snprintf(server, sizeof(server), ver == 6 ? "[%s]:any" : "%s:any", ip);
	}
	pm_json_kstr(w, "server", server);
	pm_json_ku64(w, "connections", n);
	dir_obj(w, "client_to_server", &c);
	dir_obj(w, "server_to_client", &s);
	flow_analysis(w, server, n, &c, &s);
	return 0;
}
