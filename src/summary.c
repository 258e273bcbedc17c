/* SPDX-License-Identifier: MIT */
/*
 * summary.c - get_pcap_summary: one overview of a capture built from the
 * flow, host and port tables and the timeline after the pass.
 *
 * It reads tables only; it never revisits packets. Protocol shares are by
 * packets over all records, so the non-IP records (ARP and the like) get a
 * row of their own and the rows add up to total_packets.
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analysis.h"
#include "capture.h"
#include "decode.h"
#include "dnsstats.h"
#include "info.h"
#include "isotime.h"
#include "json.h"
#include "timeline.h"
#include "tunnels.h"

/* see summary.h */
void
pm_summary_flow_count(const struct pm_analysis *a, struct pm_flow_count *out)
{
	size_t pos = 0;
	void *v;
	const struct pm_flow_key *k;
	memset(out, 0, sizeof(*out));
	while ((k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v)) != NULL) {
		out->total++;
		if (k->proto == PM_IPPROTO_TCP) {
			out->tcp++;
		} else if (k->proto == PM_IPPROTO_UDP) {
			out->udp++;
		} else if (k->proto == PM_IPPROTO_ICMP || k->proto == PM_IPPROTO_ICMPV6) {
			out->icmp++;
		} else {
			out->other++;
		}
	}
}

/* see summary.h */
bool
pm_summary_approximate(const struct pm_analysis *a)
{
	return pm_an_flows(a)->approximate || pm_an_hosts(a)->approximate;
}

static int
by_share(const void *p, const void *q)
{
	const struct pm_proto_share *x = p, *y = q;
	if (x->packets != y->packets) {
		return x->packets < y->packets ? 1 : -1;
	}
	return strcmp(x->name, y->name);
}

/* Row for an unlabelled flow: by IP protocol. */
static size_t
unlabelled_row(uint8_t proto)
{
	switch (proto) {
	case PM_IPPROTO_TCP:
		return 0;
	case PM_IPPROTO_UDP:
		return 1;
	case PM_IPPROTO_ICMP:
		return 2;
	case PM_IPPROTO_ICMPV6:
		return 3;
	default:
		return 4;
	}
}

static size_t
add_share(struct pm_proto_share *out, size_t n, const char *name, uint64_t pkts, uint64_t bytes)
{
	if (pkts == 0 && bytes == 0) {
		return n;
	}
	out[n].name = name;
	out[n].packets = pkts;
	out[n].bytes = bytes;
	return n + 1;
}

/* see summary.h */
size_t
pm_summary_protocols(const struct pm_analysis *a, struct pm_proto_share out[PM_SUMMARY_MAX_PROTOS])
{
	static const char *const other[] = { "TCP (other)", "UDP (other)", "ICMP", "ICMPv6",
		                             "other IP" };
	uint64_t op[5] = { 0 }, ob[5] = { 0 }, fp = 0, fb = 0;
	size_t pos = 0, n = 0;
	void *v;
	const struct pm_flow_key *k;
	while ((k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v)) != NULL) {
		const struct pm_flow *fl = v;
		uint64_t p = fl->d[0].packets + fl->d[1].packets,
		         b = fl->d[0].bytes + fl->d[1].bytes;
		fp += p;
		fb += b;
		if (fl->app == PM_APP_UNKNOWN) {
			op[unlabelled_row(k->proto)] += p;
			ob[unlabelled_row(k->proto)] += b;
		}
	}
	for (int i = 1; i < PM_APP_COUNT; i++) {
		n = add_share(out, n, pm_app_name((enum pm_app)i), pm_an_hosts(a)->app_packets[i],
		              pm_an_hosts(a)->app_bytes[i]);
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(other); i++) {
		n = add_share(out, n, other[i], op[i], ob[i]);
	}
	const struct pm_flows *f = pm_an_flows(a);
	/* IP packets in no flow: fragments held for reassembly, headers without transport. */
	n = add_share(out, n, "IP only (fragments, no transport header)", f->ip_only_packets,
	              f->ip_only_bytes);
	/* Packets whose new flow did not fit are in ip_packets but in no flow. */
	n = add_share(out, n, "untracked (table full)", f->ip_packets - fp - f->ip_only_packets,
	              f->ip_bytes - fb - f->ip_only_bytes);
	uint64_t np =
	    pm_an_info(a)->packets > f->ip_packets ? pm_an_info(a)->packets - f->ip_packets : 0;
	uint64_t nb =
	    pm_an_info(a)->bytes_wire > f->ip_bytes ? pm_an_info(a)->bytes_wire - f->ip_bytes : 0;
	n = add_share(out, n, "non-IP", np, nb);
	qsort(out, n, sizeof(*out), by_share);
	return n;
}

/* see summary.h */
void
pm_summary_tcp_health(const struct pm_analysis *a, struct pm_tcp_health *out)
{
	size_t pos = 0;
	void *v;
	const struct pm_flow_key *k;
	memset(out, 0, sizeof(*out));
	while ((k = pm_table_next(&pm_an_flows(a)->flows, &pos, &v)) != NULL) {
		if (k->proto != PM_IPPROTO_TCP) {
			continue;
		}
		const struct pm_flow *fl = v;
		const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
		out->connections++;
		out->handshakes_completed += fl->handshake;
		out->joined_mid_handshake += fl->joined;
		out->state[pm_flow_tcp_state(k, fl)]++;
		out->syn_without_answer += c->syn != 0 && s->packets == 0;
		out->rst_packets += (uint64_t)c->rst + s->rst;
		out->retransmissions += (uint64_t)c->retrans + s->retrans;
		out->data_segments += (uint64_t)c->data + s->data;
		out->seq_segments += (uint64_t)c->segs + s->segs;
		out->out_of_order += (uint64_t)c->ooo + s->ooo;
		out->zero_window += (uint64_t)c->zero_win + s->zero_win;
	}
}

/* see summary.h */
double
pm_summary_retrans_rate(const struct pm_tcp_health *h)
{
	return h->seq_segments != 0 ? (double)h->retransmissions / (double)h->seq_segments : 0;
}

static int
by_host_bytes(const void *p, const void *q)
{
	const struct pm_host_ref *x = p, *y = q;
	uint64_t bx = x->host->bytes_sent + x->host->bytes_recv;
	uint64_t by = y->host->bytes_sent + y->host->bytes_recv;
	if (bx != by) {
		return bx < by ? 1 : -1;
	}
	return memcmp(x->key, y->key, sizeof(*x->key));
}

static int
by_port_packets(const void *p, const void *q)
{
	const struct pm_port_ref *x = p, *y = q;
	if (x->port->packets != y->port->packets) {
		return x->port->packets < y->port->packets ? 1 : -1;
	}
	if (x->key->proto != y->key->proto) {
		return x->key->proto < y->key->proto ? -1 : 1;
	}
	return (int)x->key->port - (int)y->key->port;
}

/* see summary.h */
int
pm_summary_hosts(const struct pm_analysis *a, struct pm_host_ref **out, size_t *n)
{
	size_t cap = pm_an_hosts(a)->hosts.count, m = 0, pos = 0;
	struct pm_host_ref *r = malloc((cap != 0 ? cap : 1) * sizeof(*r));
	*out = r;
	*n = 0;
	if (r == NULL) {
		return PM_E_NOMEM;
	}
	void *v;
	const struct pm_host_key *k;
	while ((k = pm_table_next(&pm_an_hosts(a)->hosts, &pos, &v)) != NULL && m < cap) {
		r[m].key = k;
		r[m++].host = v;
	}
	qsort(r, m, sizeof(*r), by_host_bytes);
	*n = m;
	return 0;
}

/* see summary.h */
int
pm_summary_ports(const struct pm_analysis *a, struct pm_port_ref **out, size_t *n)
{
	size_t cap = pm_an_hosts(a)->ports.count, m = 0, pos = 0;
	struct pm_port_ref *r = malloc((cap != 0 ? cap : 1) * sizeof(*r));
	*out = r;
	*n = 0;
	if (r == NULL) {
		return PM_E_NOMEM;
	}
	void *v;
	const struct pm_port_key *k;
	while ((k = pm_table_next(&pm_an_hosts(a)->ports, &pos, &v)) != NULL && m < cap) {
		r[m].key = k;
		r[m++].port = v;
	}
	qsort(r, m, sizeof(*r), by_port_packets);
	*n = m;
	return 0;
}

static void
emit_flow_count(struct pm_json *w, const struct pm_analysis *a)
{
	struct pm_flow_count fc;
	pm_summary_flow_count(a, &fc);
	pm_json_key(w, "flow_count");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total", fc.total);
	pm_json_ku64(w, "tcp", fc.tcp);
	pm_json_ku64(w, "udp", fc.udp);
	pm_json_ku64(w, "icmp", fc.icmp);
	pm_json_ku64(w, "other", fc.other);
	pm_json_obj_end(w);
}

static void
emit_protocols(struct pm_json *w, const struct pm_analysis *a)
{
	struct pm_proto_share rows[PM_SUMMARY_MAX_PROTOS];
	size_t n = pm_summary_protocols(a, rows);
	pm_json_key(w, "protocols");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", rows[i].name);
		pm_json_ku64(w, "packets", rows[i].packets);
		pm_json_ku64(w, "bytes", rows[i].bytes);
		double pct = pm_an_info(a)->packets != 0
		                 ? 100.0 * (double)rows[i].packets / (double)pm_an_info(a)->packets
		                 : 0;
		pm_json_kdbl(w, "percent", pct, 2);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "protocols", n, n, 0);
}

static void
host_obj(struct pm_json *w, const struct pm_analysis *a, const struct pm_host_ref *r)
{
	char ip[48], t[40];
	const struct pm_host *h = r->host;
	pm_addr_str(r->key->addr, r->key->ipver, ip);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "ip", ip);
	/* The names DNS answers in the capture resolved to this address, when there are any. */
	const struct pm_dns_stats *dns = pm_an_dns(a);
	const char *names[PM_DNS_ADDR_NAMES];
	size_t nn = dns != NULL ? pm_dns_names_of(dns, r->key->addr, r->key->ipver, names,
	                                          PM_DNS_ADDR_NAMES)
	                        : 0;
	if (nn != 0) {
		pm_json_key(w, "names");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < nn; i++) {
			pm_json_str(w, names[i]);
		}
		pm_json_arr_end(w);
	}
	pm_json_ku64(w, "packets_sent", h->pkts_sent);
	pm_json_ku64(w, "packets_received", h->pkts_recv);
	pm_json_ku64(w, "bytes_sent", h->bytes_sent);
	pm_json_ku64(w, "bytes_received", h->bytes_recv);
	pm_json_ku64(w, "flows", h->flows);
	pm_json_ku64(w, "peers", h->peers);
	pm_json_ku64(w, "distinct_ports", h->ports);
	pm_time_iso(h->first, t);
	pm_json_kstr(w, "first_seen", t);
	pm_time_iso(h->last, t);
	pm_json_kstr(w, "last_seen", t);
	pm_json_obj_end(w);
}

static int
emit_talkers(struct pm_json *w, const struct pm_analysis *a, uint64_t top,
             const struct pm_view_args *lv)
{
	struct pm_host_ref *r;
	size_t n;
	if (pm_summary_hosts(a, &r, &n) != 0) {
		return PM_E_NOMEM;
	}
	pm_json_key(w, "top_talkers");
	pm_json_arr_begin(w);
	size_t i = 0;
	for (size_t start = w->len; i < n && i < top && pm_view_fits(w, start, lv); i++) {
		host_obj(w, a, &r[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "top_talkers", n, i < n && i < top ? i : top, 0);
	free(r);
	return 0;
}

static void
port_obj(struct pm_json *w, const struct pm_port_ref *r)
{
	char pn[8];
	pm_json_obj_begin(w);
	pm_json_kstr(w, "protocol", pm_view_proto_name(r->key->proto, pn));
	pm_json_ku64(w, "port", r->key->port);
	pm_json_kstr(w, "label", pm_app_name((enum pm_app)r->port->app));
	pm_json_ku64(w, "packets", r->port->packets);
	pm_json_ku64(w, "bytes", r->port->bytes);
	pm_json_ku64(w, "flows", r->port->flows);
	pm_json_ku64(w, "clients", r->port->clients);
	pm_json_obj_end(w);
}

static int
emit_ports(struct pm_json *w, const struct pm_analysis *a, uint64_t top,
           const struct pm_view_args *lv)
{
	struct pm_port_ref *r;
	size_t n;
	if (pm_summary_ports(a, &r, &n) != 0) {
		return PM_E_NOMEM;
	}
	pm_json_key(w, "top_ports");
	pm_json_arr_begin(w);
	size_t i = 0;
	for (size_t start = w->len; i < n && i < top && pm_view_fits(w, start, lv); i++) {
		port_obj(w, &r[i]);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "top_ports", n, i < n && i < top ? i : top, 0);
	free(r);
	return 0;
}

static int
emit_flows(struct pm_json *w, const struct pm_analysis *a, uint64_t top,
           const struct pm_view_args *lv)
{
	struct pm_flow_ref *r;
	size_t n;
	if (pm_view_collect(a, NULL, NULL, PM_SORT_BYTES, &r, &n) != 0) {
		return PM_E_NOMEM;
	}
	pm_json_key(w, "top_flows");
	pm_json_arr_begin(w);
	size_t i = 0;
	for (size_t start = w->len; i < n && i < top && pm_view_fits(w, start, lv); i++) {
		pm_view_flow_obj(w, r[i].key, r[i].flow);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "top_flows", n, i < n && i < top ? i : top, 0);
	free(r);
	return 0;
}

static void
emit_tcp_health(struct pm_json *w, const struct pm_analysis *a)
{
	struct pm_tcp_health h;
	pm_summary_tcp_health(a, &h);
	pm_json_key(w, "tcp_health");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "connections", h.connections);
	pm_json_ku64(w, "handshakes_completed", h.handshakes_completed);
	for (int s = PM_TCP_ESTABLISHED; s <= PM_TCP_ACTIVE; s++) {
		pm_json_ku64(w, pm_tcp_state_name((enum pm_tcp_state)s), h.state[s]);
	}
	pm_json_ku64(w, "syn_without_answer", h.syn_without_answer);
	pm_json_ku64(w, "rst_packets", h.rst_packets);
	pm_json_ku64(w, "retransmissions", h.retransmissions);
	pm_json_ku64(w, "data_segments", h.data_segments);
	pm_json_ku64(w, "sequence_segments", h.seq_segments);
	pm_json_kdbl(w, "retransmission_rate", pm_summary_retrans_rate(&h), 4);
	pm_json_ku64(w, "joined_mid_handshake", h.joined_mid_handshake);
	pm_json_ku64(w, "out_of_order", h.out_of_order);
	pm_json_ku64(w, "zero_window", h.zero_window);
	pm_json_obj_end(w);
}

struct tunnel_ref {
	const struct pm_tunnel_key *key; /* into the analysis */
	const struct pm_tunnel_row *row;
};

static int
by_tunnel_packets(const void *p, const void *q)
{
	const struct tunnel_ref *x = p, *y = q;
	if (x->row->packets != y->row->packets) {
		return x->row->packets < y->row->packets ? 1 : -1;
	}
	return memcmp(x->key, y->key, sizeof(*x->key));
}

/* The tunnels: kind and outer endpoints, most packets first, top of them. */
static int
emit_tunnels(struct pm_json *w, const struct pm_analysis *a, uint64_t top,
             const struct pm_view_args *lv)
{
	const struct pm_tunnels *t = pm_an_tunnels(a);
	size_t cap = t != NULL ? t->rows.count : 0, n = 0, pos = 0;
	struct tunnel_ref *r = malloc((cap != 0 ? cap : 1) * sizeof(*r));
	if (r == NULL) {
		return PM_E_NOMEM;
	}
	const struct pm_tunnel_key *k;
	void *v;
	while (t != NULL && (k = pm_table_next(&t->rows, &pos, &v)) != NULL && n < cap) {
		r[n].key = k;
		r[n++].row = v;
	}
	qsort(r, n, sizeof(*r), by_tunnel_packets);
	pm_json_ku64(w, "tunnelled_packets", t != NULL ? t->packets : 0);
	pm_json_key(w, "tunnels");
	pm_json_arr_begin(w);
	size_t i = 0;
	for (size_t start = w->len; i < n && i < top && pm_view_fits(w, start, lv); i++) {
		const struct pm_tunnel_key *tk = r[i].key;
		char src[48], dst[48];
		pm_addr_str(tk->src, tk->ipver, src);
		pm_addr_str(tk->dst, tk->ipver, dst);
		pm_json_obj_begin(w);
		pm_json_kstr(w, "kind", pm_tunnel_name((enum pm_tunnel)tk->kind));
		/* A tunnel not over IP (MPLS, PPPoE, ...) has no outer addresses. */
		pm_json_kstr(w, "outer_src", tk->ipver != 0 ? src : NULL);
		pm_json_kstr(w, "outer_dst", tk->ipver != 0 ? dst : NULL);
		pm_json_ku64(w, "packets", r[i].row->packets);
		pm_json_ku64(w, "bytes", r[i].row->bytes);
		pm_json_ku64(w, "inner_flows", r[i].row->inner_flows);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "tunnels", n, i < n && i < top ? i : top, 0);
	free(r);
	return 0;
}

/* The slots regrouped k at a time so at most PM_SUMMARY_MAX_BUCKETS remain. */
static void
emit_series(struct pm_json *w, const char *name, const uint64_t *slot, size_t used, size_t k)
{
	pm_json_key(w, name);
	pm_json_arr_begin(w);
	for (size_t i = 0; i < used; i += k) {
		uint64_t sum = 0;
		for (size_t j = i; j < i + k && j < used; j++) {
			sum += slot[j];
		}
		pm_json_u64(w, sum);
	}
	pm_json_arr_end(w);
}

static void
emit_timeline(struct pm_json *w, const struct pm_timeline *tl)
{
	size_t used = 0;
	for (size_t i = 0; tl->started && i < tl->used; i++) { /* slots from used on are 0 */
		if (tl->pkts[i] != 0) {
			used = i + 1;
		}
	}
	size_t k = used == 0 ? 1 : (used + PM_SUMMARY_MAX_BUCKETS - 1) / PM_SUMMARY_MAX_BUCKETS;
	char t[40];
	pm_json_key(w, "timeline");
	pm_json_obj_begin(w);
	pm_json_key(w, "start");
	if (tl->started) {
		pm_time_iso(tl->base, t);
		pm_json_str(w, t);
	} else {
		pm_json_null(w);
	}
	pm_json_kdbl(w, "interval_seconds", (double)tl->width * (double)k / 1e9, 9);
	pm_json_ku64(w, "buckets", (used + k - 1) / k);
	emit_series(w, "packets", tl->pkts, used, k);
	emit_series(w, "bytes", tl->bytes, used, k);
	pm_json_obj_end(w);
}

/* see summary.h */
int
pm_summary_emit(const struct pm_analysis *a, const struct pm_view_args *args, struct pm_json *w,
                struct pm_error *err)
{
	if (args->top < 1) {
		return pm_view_bad_arg(err, PM_EC_INVALID_ARGUMENT, "top must be at least 1");
	}
	uint64_t top = args->top > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : (uint64_t)args->top;
	struct pm_info_rates rt;
	pm_info_rates(pm_an_info(a), &rt);
	pm_json_ku64(w, "total_packets", pm_an_info(a)->packets);
	pm_json_ku64(w, "total_bytes", pm_an_info(a)->bytes_wire);
	pm_json_kdbl(w, "duration_seconds", rt.duration_s, 6);
	emit_flow_count(w, a);
	pm_json_kbool(w, "approximate", pm_summary_approximate(a));
	pm_json_ku64(w, "dropped_packets", pm_an_flows(a)->dropped_packets);
	emit_protocols(w, a);
	/* Under a hard budget the four top lists share what is left of it. */
	struct pm_view_args lv = *args;
	lv.budget = 0;
	if (args->max_bytes != 0) {
		lv.budget = args->max_bytes > w->len ? (args->max_bytes - w->len) / 4 : 1;
	}
	if (emit_talkers(w, a, top, &lv) != 0 || emit_ports(w, a, top, &lv) != 0 ||
	    emit_flows(w, a, top, &lv) != 0) {
		return pm_error_set(err, PM_E_NOMEM, 0, "out of memory");
	}
	emit_tcp_health(w, a);
	if (emit_tunnels(w, a, top, &lv) != 0) {
		return pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	emit_timeline(w, pm_an_timeline(a));
	return 0;
}
