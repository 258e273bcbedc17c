/* SPDX-License-Identifier: MIT */
/*
 * flowview.c - flow listings and TCP views over a finished flow table.
 *
 * Everything here works on whole flows: a view collects pointers to the
 * matching flows, sorts them, writes one page and frees the array. It does
 * no per-packet work and allocates nothing that outlives the call. Key names
 * of the TCP views follow mcpcap's tcp module.
 */
#include "flowview.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "decode.h"
#include "json.h"

/* see flowview.h */
void
pm_view_args_init(struct pm_view_args *v)
{
	memset(v, 0, sizeof(*v));
	v->port = -1;
	v->server_port = -1;
	v->sort = PM_SORT_BYTES;
	v->threshold = PM_VIEW_DEFAULT_THRESHOLD;
	v->limit = PM_VIEW_DEFAULT_LIMIT;
	v->top = PM_VIEW_DEFAULT_TOP;
	v->budget = PM_VIEW_LIST_BUDGET;
}

/* see flowview.h */
bool
pm_view_sort_parse(const char *s, enum pm_flow_sort *out)
{
	static const char *const names[] = { "bytes", "packets", "start" };
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum pm_flow_sort)i;
			return true;
		}
	}
	return false;
}

static const char *
sort_name(enum pm_flow_sort s)
{
	return s == PM_SORT_PACKETS ? "packets" : s == PM_SORT_START ? "start" : "bytes";
}

/* see flowview.h */
const char *
pm_view_err_code(const struct pm_error *err)
{
	size_t n = strlen(PM_VIEW_INVALID_IP);
	if (strncmp(err->msg, PM_VIEW_INVALID_IP, n) == 0 && err->msg[n] == ':') {
		return PM_VIEW_INVALID_IP;
	}
	return PM_VIEW_INVALID_ARGUMENT;
}

static int
bad_arg(struct pm_error *err, const char *code, const char *what)
{
	return pm_error_set(err, PM_E_MALFORMED, 0, "%s: %s", code, what);
}

static int
check_paging(const struct pm_view_args *v, uint64_t *limit, struct pm_error *err)
{
	if (v->limit < 0 || v->offset < 0) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT,
		               "limit and offset must not be negative");
	}
	*limit = v->limit > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : (uint64_t)v->limit;
	return 0;
}

/* Whether a list begun at byte start of w may take another item. */
static bool
fits(const struct pm_json *w, size_t start, const struct pm_view_args *v)
{
	return v->budget == 0 || w->len - start < v->budget;
}

/* The index one past the last item of the page over n items. */
static size_t
page_end(size_t n, uint64_t offset, uint64_t limit)
{
	if (offset >= n) {
		return n;
	}
	return n - offset > limit ? (size_t)(offset + limit) : n;
}

/* see flowview.h */
const char *
pm_view_proto_name(uint8_t proto, char buf[8])
{
	switch (proto) {
	case PM_IPPROTO_TCP:
		return "TCP";
	case PM_IPPROTO_UDP:
		return "UDP";
	case PM_IPPROTO_ICMP:
		return "ICMP";
	case PM_IPPROTO_ICMPV6:
		return "ICMPv6";
	default:
		snprintf(buf, 8, "%u", proto);
		return buf;
	}
}

static bool
has_ports(const struct pm_flow_key *k)
{
	return k->proto == PM_IPPROTO_TCP || k->proto == PM_IPPROTO_UDP;
}

/* see flowview.h */
void
pm_view_ends(const struct pm_flow_key *k, const struct pm_flow *fl, struct pm_view_ends *e)
{
	bool b = fl->client != 0;
	e->caddr = b ? k->b : k->a;
	e->saddr = b ? k->a : k->b;
	e->cport = b ? k->pb : k->pa;
	e->sport = b ? k->pa : k->pb;
	e->c2s = &fl->d[fl->client];
	e->s2c = &fl->d[!fl->client];
}

/* see flowview.h */
void
pm_view_hostport(const uint8_t *addr, uint8_t ipver, uint16_t port, char out[64])
{
	char ip[48];
	pm_addr_str(addr, ipver, ip);
	snprintf(out, 64, ipver == 6 ? "[%s]:%u" : "%s:%u", ip, port);
}

static uint64_t
flow_packets(const struct pm_flow *fl)
{
	return fl->d[0].packets + fl->d[1].packets;
}

static uint64_t
flow_bytes(const struct pm_flow *fl)
{
	return fl->d[0].bytes + fl->d[1].bytes;
}

static uint64_t
flow_retrans(const struct pm_flow *fl)
{
	return (uint64_t)fl->d[0].retrans + fl->d[1].retrans;
}

static double
ratio(uint64_t num, uint64_t den)
{
	return den == 0 ? 0.0 : (double)num / (double)den;
}

static int
desc_u64(uint64_t x, uint64_t y)
{
	return x < y ? 1 : x > y ? -1 : 0;
}

static int
key_cmp(const struct pm_flow_ref *x, const struct pm_flow_ref *y)
{
	return memcmp(x->key, y->key, sizeof(*x->key));
}

static int
by_bytes(const void *p, const void *q)
{
	const struct pm_flow_ref *x = p, *y = q;
	int c = desc_u64(flow_bytes(x->flow), flow_bytes(y->flow));
	return c != 0 ? c : key_cmp(x, y);
}

static int
by_packets(const void *p, const void *q)
{
	const struct pm_flow_ref *x = p, *y = q;
	int c = desc_u64(flow_packets(x->flow), flow_packets(y->flow));
	return c != 0 ? c : key_cmp(x, y);
}

static int
by_start(const void *p, const void *q)
{
	const struct pm_flow_ref *x = p, *y = q;
	if (x->flow->first != y->flow->first) {
		return x->flow->first < y->flow->first ? -1 : 1;
	}
	return key_cmp(x, y);
}

static int
by_retrans(const void *p, const void *q)
{
	const struct pm_flow_ref *x = p, *y = q;
	double rx = ratio(flow_retrans(x->flow), flow_packets(x->flow));
	double ry = ratio(flow_retrans(y->flow), flow_packets(y->flow));
	if (rx != ry) {
		return rx < ry ? 1 : -1;
	}
	int c = desc_u64(flow_retrans(x->flow), flow_retrans(y->flow));
	return c != 0 ? c : key_cmp(x, y);
}

/* see flowview.h */
int
pm_view_collect(const struct pm_analysis *a, pm_flow_pred pred, const void *ctx,
                enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n)
{
	static int (*const cmp[])(const void *, const void *) = { by_bytes, by_packets, by_start,
		                                                  by_retrans };
	size_t cap = a->flows.flows.count, m = 0, pos = 0;
	struct pm_flow_ref *r = malloc((cap != 0 ? cap : 1) * sizeof(*r));
	*out = r;
	*n = 0;
	if (r == NULL) {
		return PM_E_NOMEM;
	}
	const struct pm_flow_key *k;
	void *v;
	while ((k = pm_table_next(&a->flows.flows, &pos, &v)) != NULL && m < cap) {
		if (pred == NULL || pred(k, v, ctx)) {
			r[m].key = k;
			r[m].flow = v;
			m++;
		}
	}
	if (m > 1) {
		qsort(r, m, sizeof(*r), cmp[(size_t)sort < PM_ARRAY_LEN(cmp) ? sort : 0]);
	}
	*n = m;
	return 0;
}

/* A port, or null for protocols without ports. */
static void
port_value(struct pm_json *w, const struct pm_flow_key *k, uint16_t port)
{
	if (has_ports(k)) {
		pm_json_u64(w, port);
	} else {
		pm_json_null(w);
	}
}

/* The ends of the flow as members; ICMP gets its echo id or type and code instead of ports. */
static void
endpoint_members(struct pm_json *w, const struct pm_flow_key *k, const struct pm_view_ends *e)
{
	char ip[48];
	pm_addr_str(e->caddr, k->ipver, ip);
	pm_json_kstr(w, "client", ip);
	pm_json_key(w, "client_port");
	port_value(w, k, e->cport);
	pm_addr_str(e->saddr, k->ipver, ip);
	pm_json_kstr(w, "server", ip);
	pm_json_key(w, "server_port");
	port_value(w, k, e->sport);
	if (k->proto != PM_IPPROTO_ICMP && k->proto != PM_IPPROTO_ICMPV6) {
		return;
	}
	if (k->icmp_echo) {
		pm_json_ku64(w, "icmp_echo_id", k->pa);
	} else {
		pm_json_ku64(w, "icmp_type", k->pa >> 8);
		pm_json_ku64(w, "icmp_code", k->pa & 0xff);
	}
}

static void
flow_members(struct pm_json *w, const struct pm_flow_key *k, const struct pm_flow *fl)
{
	struct pm_view_ends e;
	char pn[8], t[40];
	pm_view_ends(k, fl, &e);
	pm_json_kstr(w, "protocol", pm_view_proto_name(k->proto, pn));
	endpoint_members(w, k, &e);
	pm_json_kstr(w, "label", pm_app_name((enum pm_app)fl->app));
	pm_json_kstr(w, "label_source", pm_label_src_name((enum pm_label_src)fl->app_src));
	pm_json_kstr(w, "state", pm_tcp_state_name(pm_flow_tcp_state(k, fl)));
	pm_time_iso(fl->first, t);
	pm_json_kstr(w, "first_seen", t);
	pm_time_iso(fl->last, t);
	pm_json_kstr(w, "last_seen", t);
	double dur = (double)(fl->last - fl->first) / 1e9;
	pm_json_kdbl(w, "duration_seconds", dur, 6);
	pm_json_ku64(w, "packets_c2s", e.c2s->packets);
	pm_json_ku64(w, "packets_s2c", e.s2c->packets);
	pm_json_ku64(w, "bytes_c2s", e.c2s->bytes);
	pm_json_ku64(w, "bytes_s2c", e.s2c->bytes);
	/* A one-packet flow has no duration: its rates are 0, not infinite. */
	double pps = dur > 0 ? (double)flow_packets(fl) / dur : 0;
	double bytes_s = dur > 0 ? (double)flow_bytes(fl) / dur : 0;
	pm_json_kdbl(w, "pps", pps, 2);
	pm_json_kdbl(w, "bytes_per_second", bytes_s, 2);
	pm_json_kdbl(w, "bps", bytes_s * 8, 2);
}

/* see flowview.h */
void
pm_view_flow_obj(struct pm_json *w, const struct pm_flow_key *k, const struct pm_flow *fl)
{
	pm_json_obj_begin(w);
	flow_members(w, k, fl);
	pm_json_obj_end(w);
}

/* What a flow listing selects. */
struct flow_filter {
	enum { BY_PORT, BY_IP, BY_PROTO, BY_APP } kind;
	uint16_t port;
	uint8_t addr[16]; /* network order */
	uint8_t ipver;
	uint8_t proto; /* IP protocol number */
	uint8_t app;   /* enum pm_app */
};

static bool
match_flow(const struct pm_flow_key *k, const struct pm_flow *fl, const void *ctx)
{
	const struct flow_filter *f = ctx;
	switch (f->kind) {
	case BY_PORT:
		return has_ports(k) && (k->pa == f->port || k->pb == f->port);
	case BY_IP:
		return k->ipver == f->ipver &&
		       (memcmp(k->a, f->addr, 16) == 0 || memcmp(k->b, f->addr, 16) == 0);
	case BY_PROTO:
		return k->proto == f->proto;
	case BY_APP:
		return fl->app == f->app;
	}
	return false;
}

static int
parse_ip(const char *s, uint8_t addr[16], uint8_t *ipver, struct pm_error *err)
{
	int v = pm_addr_parse(s, addr);
	if (v == 0) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "%s: '%.64s' is not an IPv4 or IPv6 address",
		                    PM_VIEW_INVALID_IP, s);
	}
	*ipver = (uint8_t)v;
	return 0;
}

static int
parse_proto(const char *s, struct flow_filter *f, struct pm_error *err)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} ipp[] = { { "tcp", PM_IPPROTO_TCP },
		    { "udp", PM_IPPROTO_UDP },
		    { "icmp", PM_IPPROTO_ICMP },
		    { "icmpv6", PM_IPPROTO_ICMPV6 } };
	for (size_t i = 0; i < PM_ARRAY_LEN(ipp); i++) {
		if (strcasecmp(s, ipp[i].name) == 0) {
			f->kind = BY_PROTO;
			f->proto = ipp[i].proto;
			return 0;
		}
	}
	/* HTTPS is what people call TLS on 443; the label is TLS. */
	const char *name = strcasecmp(s, "https") == 0 ? "tls" : s;
	for (int i = 1; i < PM_APP_COUNT; i++) {
		if (strcasecmp(name, pm_app_name((enum pm_app)i)) == 0) {
			f->kind = BY_APP;
			f->app = (uint8_t)i;
			return 0;
		}
	}
	return pm_error_set(err, PM_E_MALFORMED, 0,
	                    "%s: unknown protocol '%.40s'; use tcp, udp, icmp, icmpv6 or a label "
	                    "such as http, tls, dns, quic, ssh",
	                    PM_VIEW_INVALID_ARGUMENT, s);
}

static int
check_port(int32_t port, const char *what, struct pm_error *err)
{
	if (port < -1 || port > 65535) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "%s: %s must be 0..65535",
		                    PM_VIEW_INVALID_ARGUMENT, what);
	}
	return 0;
}

/* The filter the arguments ask for; kind -1 takes whichever one is set. */
static int
make_filter(const struct pm_view_args *v, int kind, struct flow_filter *f, struct pm_error *err)
{
	memset(f, 0, sizeof(*f));
	int set = (v->port >= 0) + (v->ip != NULL) + (v->protocol != NULL);
	if (kind < 0 && set != 1) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT,
		               "give exactly one of port, ip, protocol");
	}
	if (kind == BY_PORT || (kind < 0 && v->port >= 0)) {
		if (v->port < 0 || v->port > 65535) {
			return bad_arg(err, PM_VIEW_INVALID_ARGUMENT, "port must be 0..65535");
		}
		f->kind = BY_PORT;
		f->port = (uint16_t)v->port;
		return 0;
	}
	if (kind == BY_IP || (kind < 0 && v->ip != NULL)) {
		if (v->ip == NULL) {
			return bad_arg(err, PM_VIEW_INVALID_IP, "ip is required");
		}
		f->kind = BY_IP;
		return parse_ip(v->ip, f->addr, &f->ipver, err);
	}
	if (v->protocol == NULL) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT, "protocol is required");
	}
	return parse_proto(v->protocol, f, err);
}

static int
select_flows(const struct pm_analysis *a, const struct pm_view_args *v, int kind,
             struct flow_filter *f, struct pm_flow_ref **out, size_t *n, struct pm_error *err)
{
	*out = NULL;
	*n = 0;
	if (v->sort == PM_SORT_RETRANS) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT,
		               "sort must be bytes, packets or start");
	}
	int rc = make_filter(v, kind, f, err);
	if (rc != 0) {
		return rc;
	}
	rc = pm_view_collect(a, match_flow, f, v->sort, out, n);
	if (rc != 0) {
		return pm_error_set(err, rc, 0, "out of memory");
	}
	return 0;
}

/* see flowview.h */
int
pm_view_flows_select(const struct pm_analysis *a, const struct pm_view_args *args,
                     struct pm_flow_ref **out, size_t *n, struct pm_error *err)
{
	struct flow_filter f;
	return select_flows(a, args, -1, &f, out, n, err);
}

static void
filter_obj(struct pm_json *w, const struct pm_view_args *v, const struct flow_filter *f)
{
	char ip[48];
	pm_json_key(w, "filter");
	pm_json_obj_begin(w);
	if (f->kind == BY_PORT) {
		pm_json_ku64(w, "port", f->port);
	} else if (f->kind == BY_IP) {
		pm_addr_str(f->addr, f->ipver, ip);
		pm_json_kstr(w, "ip", ip);
	} else if (f->kind == BY_PROTO) {
		pm_json_kstr(w, "protocol", pm_view_proto_name(f->proto, ip));
	} else {
		pm_json_kstr(w, "protocol", pm_app_name((enum pm_app)f->app));
	}
	pm_json_kstr(w, "sort", sort_name(v->sort));
	pm_json_obj_end(w);
}

/* Packets, flows and bytes over a set of flows. */
struct tally3 {
	uint64_t flows, packets, bytes;
};

static void
tally3_add(struct tally3 *t, const struct pm_flow *fl)
{
	t->flows++;
	t->packets += flow_packets(fl);
	t->bytes += flow_bytes(fl);
}

static void
tally3_obj(struct pm_json *w, const char *name, const struct tally3 *t)
{
	pm_json_key(w, name);
	pm_json_obj_begin(w);
	pm_json_ku64(w, "flows", t->flows);
	pm_json_ku64(w, "packets", t->packets);
	pm_json_ku64(w, "bytes", t->bytes);
	pm_json_obj_end(w);
}

/* Where the filtered address sits in a flow: bit 0 client, bit 1 server. */
static int
ip_sides(const struct flow_filter *f, const struct pm_flow_key *k, const struct pm_flow *fl)
{
	struct pm_view_ends e;
	pm_view_ends(k, fl, &e);
	return (memcmp(e.caddr, f->addr, 16) == 0) | (memcmp(e.saddr, f->addr, 16) == 0) << 1;
}

static void
flow_item(struct pm_json *w, const struct flow_filter *f, const struct pm_flow_ref *r)
{
	static const char *const dir[] = { "none", "outbound", "inbound", "both" };
	pm_json_obj_begin(w);
	flow_members(w, r->key, r->flow);
	if (f->kind == BY_IP) {
		pm_json_kstr(w, "direction", dir[ip_sides(f, r->key, r->flow)]);
	}
	pm_json_obj_end(w);
}

static int
flows_view(const struct pm_analysis *a, const struct pm_view_args *v, int kind, struct pm_json *w,
           struct pm_error *err)
{
	uint64_t limit = 0;
	struct flow_filter f;
	struct pm_flow_ref *r;
	size_t n;
	if (check_paging(v, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = select_flows(a, v, kind, &f, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	filter_obj(w, v, &f);
	pm_json_key(w, "flows");
	pm_json_arr_begin(w);
	size_t i = (size_t)v->offset, stop = page_end(n, (uint64_t)v->offset, limit);
	for (size_t start = w->len; i < stop && fits(w, start, v); i++) {
		flow_item(w, &f, &r[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "flows", n, i < stop ? i - (size_t)v->offset : limit, (uint64_t)v->offset);
	struct tally3 all = { 0 }, in = { 0 }, out = { 0 };
	for (size_t j = 0; j < n; j++) {
		tally3_add(&all, r[j].flow);
		int sides = f.kind == BY_IP ? ip_sides(&f, r[j].key, r[j].flow) : 0;
		if (sides & 1) {
			tally3_add(&out, r[j].flow);
		}
		if (sides & 2) {
			tally3_add(&in, r[j].flow);
		}
	}
	tally3_obj(w, "totals", &all);
	if (f.kind == BY_IP) {
		tally3_obj(w, "inbound", &in);
		tally3_obj(w, "outbound", &out);
	}
	free(r);
	return 0;
}

/* see flowview.h */
int
pm_view_port_flows(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
                   struct pm_error *err)
{
	return flows_view(a, args, BY_PORT, w, err);
}

/* see flowview.h */
int
pm_view_ip_flows(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
                 struct pm_error *err)
{
	return flows_view(a, args, BY_IP, w, err);
}

/* see flowview.h */
int
pm_view_protocol_flows(const struct pm_analysis *a, const struct pm_view_args *args,
                       struct pm_json *w, struct pm_error *err)
{
	return flows_view(a, args, BY_PROTO, w, err);
}

/* ---- TCP views ---- */

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
make_server_filter(const struct pm_view_args *v, struct server_filter *f, struct pm_error *err)
{
	memset(f, 0, sizeof(*f));
	f->port = v->server_port;
	if (check_port(v->server_port, "server_port", err) != 0) {
		return PM_E_MALFORMED;
	}
	if (v->threshold < 0 || v->threshold > 1 || isnan(v->threshold)) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT, "threshold must be between 0 and 1");
	}
	if (v->server_ip == NULL) {
		return 0;
	}
	f->has_ip = true;
	return parse_ip(v->server_ip, f->addr, &f->ipver, err);
}

/* see flowview.h */
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
	uint64_t retrans;
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
		t->packets += flow_packets(r[i].flow);
		t->handshakes += r[i].flow->handshake;
		t->state[pm_flow_tcp_state(r[i].key, r[i].flow)]++;
		t->c_syn += e.c2s->syn;
		t->s_syn += e.s2c->syn;
		t->c_rst += e.c2s->rst;
		t->s_rst += e.s2c->rst;
		t->fin += (uint64_t)e.c2s->fin + e.s2c->fin;
		t->retrans += flow_retrans(r[i].flow);
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
	pm_json_ku64(w, "syn_count", e.c2s->syn);
	pm_json_ku64(w, "syn_ack_count", e.s2c->syn);
	pm_json_ku64(w, "rst_count", (uint64_t)e.c2s->rst + e.s2c->rst);
	pm_json_ku64(w, "fin_count", (uint64_t)e.c2s->fin + e.s2c->fin);
	pm_json_ku64(w, "data_packets", (uint64_t)e.c2s->data + e.s2c->data);
	pm_json_ku64(w, "retransmissions", flow_retrans(fl));
	pm_json_kstr(w, "close_reason", close_reason(st));
	pm_json_ku64(w, "packet_count", flow_packets(fl));
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
		note(&ns, "%llu retransmitted segments (%.2f%% of TCP packets)",
		     (unsigned long long)t->retrans, 100 * ratio(t->retrans, t->packets));
	}
	notes_list(w, "issues", &ns);
}

/* see flowview.h */
int
pm_view_tcp_connections(const struct pm_analysis *a, const struct pm_view_args *args,
                        struct pm_json *w, struct pm_error *err)
{
	uint64_t limit = 0;
	struct pm_flow_ref *r;
	size_t n;
	struct tcp_tally t;
	if (check_paging(args, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_view_tcp_select(a, args, PM_SORT_PACKETS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	tally(r, n, &t);
	server_filter_obj(w, args);
	pm_json_ku64(w, "total_packets", a->info.packets);
	pm_json_ku64(w, "tcp_packets_found", t.packets);
	conn_summary(w, &t);
	pm_json_key(w, "connections");
	pm_json_arr_begin(w);
	size_t i = (size_t)args->offset, stop = page_end(n, (uint64_t)args->offset, limit);
	for (size_t start = w->len; i < stop && fits(w, start, args); i++) {
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
	pm_json_ku64(w, "incomplete", t->conns - t->handshakes - t->state[PM_TCP_FAILED]);
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
	pm_json_kdbl(w, "rate", ratio(t->retrans, t->packets), 4);
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
	double rate = ratio(t->retrans, t->packets);
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
	pm_json_kdbl(w, "completion_rate", ratio(t->handshakes, t->attempts), 4);
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
	pm_json_kdbl(w, "reset_ratio", ratio(reset, t->conns), 4);
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
	pm_json_kdbl(w, "response_ratio", ratio(t->s_syn, t->c_syn), 4);
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

/* see flowview.h */
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
	pm_json_ku64(w, "retrans_count", flow_retrans(r->flow));
	pm_json_ku64(w, "total_packets", flow_packets(r->flow));
	pm_json_kdbl(w, "retrans_rate", ratio(flow_retrans(r->flow), flow_packets(r->flow)), 4);
	pm_json_ku64(w, "retrans_c2s", e.c2s->retrans);
	pm_json_ku64(w, "retrans_s2c", e.s2c->retrans);
	pm_json_obj_end(w);
}

static void
retrans_summary(struct pm_json *w, const struct pm_flow_ref *r, size_t m, double threshold)
{
	uint64_t above = 0;
	for (size_t i = 0; i < m; i++) {
		above += ratio(flow_retrans(r[i].flow), flow_packets(r[i].flow)) > threshold;
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
		pm_json_kdbl(w, "worst_retrans_rate",
		             ratio(flow_retrans(r[0].flow), flow_packets(r[0].flow)), 4);
	}
	pm_json_ku64(w, "connections_above_threshold", above);
	pm_json_obj_end(w);
}

/* see flowview.h */
int
pm_view_tcp_retransmissions(const struct pm_analysis *a, const struct pm_view_args *args,
                            struct pm_json *w, struct pm_error *err)
{
	uint64_t limit = 0;
	struct pm_flow_ref *r;
	size_t n, m = 0;
	struct tcp_tally t;
	if (check_paging(args, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_view_tcp_select(a, args, PM_SORT_RETRANS, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	tally(r, n, &t);
	/* Sorted by rate, the connections with retransmissions come first. */
	while (m < n && flow_retrans(r[m].flow) != 0) {
		m++;
	}
	double rate = ratio(t.retrans, t.packets);
	server_filter_obj(w, args);
	pm_json_ku64(w, "total_packets", t.packets);
	pm_json_ku64(w, "total_retransmissions", t.retrans);
	pm_json_kdbl(w, "retransmission_rate", rate, 4);
	pm_json_kdbl(w, "threshold", args->threshold, 4);
	pm_json_kbool(w, "exceeds_threshold", rate > args->threshold);
	pm_json_key(w, "by_connection");
	pm_json_arr_begin(w);
	size_t i = (size_t)args->offset, stop = page_end(m, (uint64_t)args->offset, limit);
	for (size_t start = w->len; i < stop && fits(w, start, args); i++) {
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

/* see flowview.h */
int
pm_view_traffic_flow(const struct pm_analysis *a, const struct pm_view_args *args,
                     struct pm_json *w, struct pm_error *err)
{
	struct pm_flow_ref *r;
	size_t n;
	if (args->server_ip == NULL) {
		return bad_arg(err, PM_VIEW_INVALID_ARGUMENT, "server_ip is required");
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
