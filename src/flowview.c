/* SPDX-License-Identifier: MIT */
/*
 * flowview.c - flow listings over a finished flow table, and what the flow
 * and TCP views share: flow selection, sorting and flow objects (arguments,
 * paging and budgets are view.c's).
 *
 * Everything here works on whole flows: a view collects pointers to the
 * matching flows, sorts them, writes one page and frees the array. It does
 * no per-packet work and allocates nothing that outlives the call. The TCP
 * views live in tcpview.c.
 */
#include "flowview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "analysis.h"
#include "capture.h"
#include "decode.h"
#include "isotime.h"
#include "json.h"

static const char *
sort_name(enum pm_flow_sort s)
{
	return s == PM_SORT_PACKETS ? "packets" : s == PM_SORT_START ? "start" : "bytes";
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

/* see flowview.h */
uint64_t
pm_view_flow_packets(const struct pm_flow *fl)
{
	return fl->d[0].packets + fl->d[1].packets;
}

static uint64_t
flow_bytes(const struct pm_flow *fl)
{
	return fl->d[0].bytes + fl->d[1].bytes;
}

/* see flowview.h */
uint64_t
pm_view_flow_retrans(const struct pm_flow *fl)
{
	return (uint64_t)fl->d[0].retrans + fl->d[1].retrans;
}

/* see flowview.h */
uint64_t
pm_view_flow_segs(const struct pm_flow *fl)
{
	return (uint64_t)fl->d[0].segs + fl->d[1].segs;
}

/* see flowview.h */
double
pm_view_flow_retrans_rate(const struct pm_flow *fl)
{
	return pm_view_ratio(pm_view_flow_retrans(fl), pm_view_flow_segs(fl));
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
	int c = desc_u64(pm_view_flow_packets(x->flow), pm_view_flow_packets(y->flow));
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
	double rx = pm_view_flow_retrans_rate(x->flow);
	double ry = pm_view_flow_retrans_rate(y->flow);
	if (rx != ry) {
		return rx < ry ? 1 : -1;
	}
	int c = desc_u64(pm_view_flow_retrans(x->flow), pm_view_flow_retrans(y->flow));
	return c != 0 ? c : key_cmp(x, y);
}

/* see flowview.h */
int
pm_view_collect(const struct pm_analysis *a, pm_flow_pred pred, const void *ctx,
                enum pm_flow_sort sort, struct pm_flow_ref **out, size_t *n)
{
	static int (*const cmp[])(const void *, const void *) = { by_bytes, by_packets, by_start,
		                                                  by_retrans };
	size_t cap = pm_an_flows(a)->flows.count, m = 0, pos = 0;
	struct pm_flow_ref *r = malloc((cap != 0 ? cap : 1) * sizeof(*r));
	*out = r;
	*n = 0;
	if (r == NULL) {
		return PM_E_NOMEM;
	}
	const struct pm_flow_key *k;
	void *v;
	while ((k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v)) != NULL && m < cap) {
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
	double dur = pm_time_span_s(fl->first, fl->last);
	pm_json_kdbl(w, "duration_seconds", dur, 6);
	pm_json_ku64(w, "packets_c2s", e.c2s->packets);
	pm_json_ku64(w, "packets_s2c", e.s2c->packets);
	pm_json_ku64(w, "bytes_c2s", e.c2s->bytes);
	pm_json_ku64(w, "bytes_s2c", e.s2c->bytes);
	/* A one-packet flow has no duration: its rates are 0, not infinite. */
	double pps = dur > 0 ? (double)pm_view_flow_packets(fl) / dur : 0;
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
	enum { BY_PORT, BY_IP, BY_PROTO, BY_APP, BY_UNLABELLED, BY_OTHER_IP, BY_NOTHING } kind;
	const char *name; /* BY_UNLABELLED, BY_OTHER_IP, BY_NOTHING: the summary's row name */
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
	case BY_UNLABELLED:
		return fl->app == PM_APP_UNKNOWN && k->proto == f->proto;
	case BY_OTHER_IP:
		return fl->app == PM_APP_UNKNOWN && k->proto != PM_IPPROTO_TCP &&
		       k->proto != PM_IPPROTO_UDP && k->proto != PM_IPPROTO_ICMP &&
		       k->proto != PM_IPPROTO_ICMPV6;
	case BY_NOTHING:
		return false;
	}
	return false;
}

/* see flowview.h */
int
pm_view_parse_ip(const char *s, uint8_t addr[16], uint8_t *ipver, struct pm_error *err)
{
	int v = pm_addr_parse(s, addr);
	if (v == 0) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_IP, 0,
		                     "'%.64s' is not an IPv4 or IPv6 address", s);
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
	/* The other rows of get_pcap_summary.protocols, so every name it reports selects its flows. */
	static const struct {
		const char *name;
		int kind;
		uint8_t proto;
	} rows[] = { { "TCP (other)", BY_UNLABELLED, PM_IPPROTO_TCP },
		     { "UDP (other)", BY_UNLABELLED, PM_IPPROTO_UDP },
		     { "other IP", BY_OTHER_IP, 0 },
		     { "non-IP", BY_NOTHING, 0 },
		     { "IP only (fragments, no transport header)", BY_NOTHING, 0 },
		     { "untracked (table full)", BY_NOTHING, 0 } };
	for (size_t i = 0; i < PM_ARRAY_LEN(ipp); i++) {
		if (strcasecmp(s, ipp[i].name) == 0) {
			f->kind = BY_PROTO;
			f->proto = ipp[i].proto;
			return 0;
		}
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(rows); i++) {
		if (strcasecmp(s, rows[i].name) == 0) {
			f->kind = rows[i].kind;
			f->proto = rows[i].proto;
			f->name = rows[i].name;
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
	return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
	                     "unknown protocol '%.40s'; use tcp, udp, icmp, icmpv6, a label "
	                     "such as http, tls, dns, quic, ssh, or a get_pcap_summary name",
	                     s);
}

/* The filter the arguments ask for; kind -1 takes whichever one is set. */
static int
make_filter(const struct pm_view_args *v, int kind, struct flow_filter *f, struct pm_error *err)
{
	memset(f, 0, sizeof(*f));
	int set = (v->port >= 0) + (v->ip != NULL) + (v->protocol != NULL);
	if (kind < 0 && set != 1) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT,
		                       "give exactly one of port, ip, protocol");
	}
	if (kind == BY_PORT || (kind < 0 && v->port >= 0)) {
		if (v->port < 0 || v->port > 65535) {
			return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT,
			                       "port must be 0..65535");
		}
		f->kind = BY_PORT;
		f->port = (uint16_t)v->port;
		return 0;
	}
	if (kind == BY_IP || (kind < 0 && v->ip != NULL)) {
		if (v->ip == NULL) {
			return pm_view_bad_arg(err, PM_EC_INVALID_IP, "ip is required");
		}
		f->kind = BY_IP;
		return pm_view_parse_ip(v->ip, f->addr, &f->ipver, err);
	}
	if (v->protocol == NULL) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT, "protocol is required");
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
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT,
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
	} else if (f->name != NULL) {
		pm_json_kstr(w, "protocol", f->name);
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
	t->packets += pm_view_flow_packets(fl);
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
	if (pm_view_check_paging(v, &limit, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = select_flows(a, v, kind, &f, &r, &n, err);
	if (rc != 0) {
		return rc;
	}
	filter_obj(w, v, &f);
	pm_json_key(w, "flows");
	pm_json_arr_begin(w);
	size_t i = (size_t)v->offset, stop = pm_view_page_end(n, (uint64_t)v->offset, limit);
	for (size_t start = w->len; i < stop && pm_view_fits(w, start, v); i++) {
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
