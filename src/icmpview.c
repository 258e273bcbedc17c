/* SPDX-License-Identifier: MIT */
/*
 * icmpview.c - analyze_icmp_packets over the finished ICMP analyser:
 * mcpcap's members, echo, unreachable, traceroute and neighbour discovery
 * lists (sorted, ties by key bytes), the packets sample and the findings.
 */
#include "icmpview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "icmpstats.h"
#include "json.h"

/* see icmpview.h */
void
pm_icmp_args_init(struct pm_icmp_args *a)
{
	memset(a, 0, sizeof(*a));
	a->type = -1;
	pm_pv_page_init(&a->page);
}

static const char *
type_name(bool v6, unsigned type, char buf[40])
{
	const char *n = pm_icmp_type_name(v6, type);
	if (n == NULL) {
		snprintf(buf, 40, "Unknown Type (%u)", type);
		return buf;
	}
	if (v6) {
		snprintf(buf, 40, "ICMPv6 %s", n);
		return buf;
	}
	return n;
}

static const char *
proto_name(uint8_t proto)
{
	return proto == 6    ? "TCP"
	       : proto == 17 ? "UDP"
	       : proto == 1  ? "ICMP"
	       : proto == 58 ? "ICMPv6"
	                     : "other";
}

/* Sort by the uint64_t count each value starts with, descending, then key bytes. */
static size_t cmp_key_size;

static int
cmp_count(const void *x, const void *y)
{
	const struct pm_pv_entry *a = x, *b = y;
	uint64_t ca = *(const uint64_t *)a->val, cb = *(const uint64_t *)b->val;
	if (ca != cb) {
		return ca > cb ? -1 : 1;
	}
	return memcmp(a->key, b->key, cmp_key_size);
}

static struct pm_pv_entry *
sorted(const struct pm_table *t, size_t *n)
{
	struct pm_pv_entry *v = pm_pv_entries(t, n);
	if (v != NULL) {
		cmp_key_size = t->key_size;
		qsort(v, *n, sizeof(*v), cmp_count);
	}
	return v;
}

static void
addr_list(struct pm_json *w, const char *key, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, key);
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_addr_key *k = v[i].key;
		char buf[48];
		pm_addr_str(k->addr, k->ipver, buf);
		pm_json_str(w, buf);
	}
	pm_json_arr_end(w);
}

static void
statistics(struct pm_json *w, const struct pm_icmp_stats *s, size_t top,
           const struct pm_pv_entry *src, size_t ns, const struct pm_pv_entry *dst, size_t nd,
           const struct pm_pv_entry *un, size_t nu)
{
	char buf[40];
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_key(w, "icmp_type_counts");
	pm_json_obj_begin(w);
	for (int v6 = 0; v6 < 2; v6++) {
		for (unsigned t = 0; t < 256; t++) {
			if (s->types[v6][t] != 0) {
				pm_json_ku64(w, type_name(v6, t, buf), s->types[v6][t]);
			}
		}
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "unique_sources_count", s->srcs.count);
	pm_json_ku64(w, "unique_destinations_count", s->dsts.count);
	addr_list(w, "unique_sources", src, ns, top);
	addr_list(w, "unique_destinations", dst, nd, top);
	pm_json_ku64(w, "echo_sessions", s->ids.count);
	size_t ni;
	struct pm_pv_entry *ids = sorted(&s->ids, &ni);
	pm_json_key(w, "echo_pairs");
	pm_json_obj_begin(w);
	for (size_t i = 0; ids != NULL && i < ni && i < top; i++) {
		const struct pm_icmp_id_key *k = ids[i].key;
		const struct pm_icmp_idc *c = ids[i].val;
		snprintf(buf, sizeof(buf), "%u", k->id);
		pm_json_key(w, buf);
		pm_json_obj_begin(w);
		pm_json_ku64(w, "requests", c->requests);
		pm_json_ku64(w, "replies", c->replies);
		pm_json_obj_end(w);
	}
	pm_json_obj_end(w);
	free(ids);
	/* Distinct quoted destinations (the table is per destination, protocol, port, code). */
	size_t distinct = 0;
	for (size_t i = 0; i < nu; i++) {
		const struct pm_icmp_unreach_key *k = un[i].key;
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++) {
			const struct pm_icmp_unreach_key *o = un[j].key;
			dup = o->ipver == k->ipver && memcmp(o->dst, k->dst, 16) == 0;
		}
		distinct += !dup;
	}
	pm_json_ku64(w, "unreachable_destinations_count", distinct);
	pm_json_key(w, "unreachable_destinations");
	pm_json_arr_begin(w);
	size_t shown = 0;
	for (size_t i = 0; i < nu && shown < top; i++) {
		const struct pm_icmp_unreach_key *k = un[i].key;
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++) {
			const struct pm_icmp_unreach_key *o = un[j].key;
			dup = o->ipver == k->ipver && memcmp(o->dst, k->dst, 16) == 0;
		}
		if (!dup) {
			char a[48];
			pm_addr_str(k->dst, k->ipver, a);
			pm_json_str(w, a);
			shown++;
		}
	}
	pm_json_arr_end(w);
	pm_json_key(w, "type_codes");
	pm_json_arr_begin(w);
	for (int v6 = 0; v6 < 2; v6++) {
		for (unsigned t = 0; t < 256; t++) {
			for (unsigned c = 0; c < 32 && s->types[v6][t] != 0; c++) {
				if (s->codes[v6][t][c] == 0) {
					continue;
				}
				const char *cn = pm_icmp_code_name(v6, t, c);
				pm_json_obj_begin(w);
				pm_json_ku64(w, "version", v6 ? 6 : 4);
				pm_json_ku64(w, "type", t);
				pm_json_ku64(w, "code", c);
				pm_json_kstr(w, "name", type_name(v6, t, buf));
				if (cn != NULL) {
					pm_json_kstr(w, "code_name", cn);
				}
				pm_json_ku64(w, "count", s->codes[v6][t][c]);
				pm_json_obj_end(w);
			}
		}
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "echo_requests", s->echo_requests);
	pm_json_ku64(w, "echo_replies", s->echo_replies);
	pm_json_ku64(w, "echo_unanswered", s->unanswered);
	pm_json_ku64(w, "echo_unmatched_replies", s->echo_unmatched_replies);
	pm_json_ku64(w, "truncated", s->truncated);
	pm_json_ku64(w, "malformed", s->malformed);
	pm_json_kbool(w, "approximate", s->approximate);
	pm_json_obj_end(w);
}

static void
echo_hosts(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "echo_hosts");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_icmp_pair_key *k = v[i].key;
		const struct pm_icmp_pair *p = v[i].val;
		pm_json_obj_begin(w);
		pm_pv_kaddr(w, "requester", k->requester, k->ipver);
		pm_pv_kaddr(w, "responder", k->responder, k->ipver);
		pm_json_ku64(w, "requests", p->requests);
		pm_json_ku64(w, "replies", p->replies);
		pm_json_ku64(w, "answered", p->answered);
		if (p->answered != 0) {
			pm_json_key(w, "rtt_ms");
			pm_json_obj_begin(w);
			pm_json_kdbl(w, "min", p->rtt_min * 1e3, 3);
			pm_json_kdbl(w, "avg", p->rtt_sum / (double)p->answered * 1e3, 3);
			pm_json_kdbl(w, "max", p->rtt_max * 1e3, 3);
			pm_json_obj_end(w);
		}
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

static void
unreachable(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "unreachable");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_icmp_unreach_key *k = v[i].key;
		const struct pm_icmp_unreach *u = v[i].val;
		const char *cn = pm_icmp_code_name(k->ipver == 6, k->ipver == 6 ? 1 : 3, k->code);
		pm_json_obj_begin(w);
		pm_pv_kaddr(w, "destination", k->dst, k->ipver);
		pm_json_kstr(w, "protocol", proto_name(k->proto));
		if (k->dport != 0) {
			pm_json_ku64(w, "port", k->dport);
		}
		pm_json_ku64(w, "code", k->code);
		pm_json_kstr(w, "code_name", cn != NULL ? cn : "unknown");
		pm_json_ku64(w, "count", u->count);
		pm_pv_kaddr(w, "reported_by", u->reporter, k->ipver);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "unreachable", n, n < top ? n : top, 0);
}

/* The redirects: who sent them, the gateway (v6: target) they named, for which destination. */
static void
redirects(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "redirects");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_icmp_redir_key *k = v[i].key;
		const struct pm_icmp_redir *r = v[i].val;
		/* RFC 792's four codes; an ICMPv6 redirect has only code 0. */
		static const char *const codes4[] = { "Network Redirect", "Host Redirect",
			                              "ToS and Network Redirect",
			                              "ToS and Host Redirect" };
		const char *cn =
		    k->ipver == 4 && k->code < PM_ARRAY_LEN(codes4) ? codes4[k->code] : NULL;
		pm_json_obj_begin(w);
		pm_json_ku64(w, "version", k->ipver);
		pm_pv_kaddr(w, "router", k->router, k->ipver);
		pm_pv_kaddr(w, "gateway", k->gateway, k->ipver);
		pm_pv_kaddr(w, "destination", k->dst, k->ipver);
		pm_json_ku64(w, "code", k->code);
		if (cn != NULL) {
			pm_json_kstr(w, "code_name", cn);
		}
		pm_json_ku64(w, "count", r->count);
		pm_pv_ktime(w, "first", r->first);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "redirects", n, n < top ? n : top, 0);
}

static void
traceroute(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "traceroute");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_icmp_path_key *k = v[i].key;
		const struct pm_icmp_path *p = v[i].val;
		pm_json_obj_begin(w);
		pm_pv_kaddr(w, "source", k->src, k->ipver);
		pm_pv_kaddr(w, "destination", k->dst, k->ipver);
		pm_json_ku64(w, "time_exceeded", p->messages);
		pm_json_key(w, "routers");
		pm_json_arr_begin(w);
		for (size_t h = 0; h < p->n_hops; h++) {
			char buf[48];
			pm_addr_str(p->hops[h], k->ipver, buf);
			pm_json_str(w, buf);
		}
		pm_json_arr_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

static void
neighbor_discovery(struct pm_json *w, const struct pm_icmp_stats *s, const struct pm_pv_entry *r,
                   size_t nr)
{
	pm_json_key(w, "neighbor_discovery");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "router_solicitations", s->rs);
	pm_json_ku64(w, "router_advertisements", s->ra);
	pm_json_ku64(w, "neighbor_solicitations", s->ns);
	pm_json_ku64(w, "neighbor_advertisements", s->na);
	pm_json_ku64(w, "dad_probes", s->dad_probes);
	pm_json_ku64(w, "redirects", s->redirects);
	pm_json_key(w, "routers");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < nr && i < PM_PV_MAX_FINDINGS; i++) {
		const struct pm_addr_key *k = r[i].key;
		const struct pm_icmp_router *rt = r[i].val;
		pm_json_obj_begin(w);
		pm_pv_kaddr(w, "ip", k->addr, k->ipver);
		pm_json_ku64(w, "advertisements", rt->adverts);
		pm_json_ku64(w, "lifetime_s", rt->lifetime);
		pm_json_ku64(w, "hop_limit", rt->hop_limit);
		pm_json_kbool(w, "managed", (rt->flags & 0x80) != 0);
		pm_json_kbool(w, "other_config", (rt->flags & 0x40) != 0);
		if (rt->has_lladdr) {
			char mac[18];
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", rt->lladdr[0],
			         rt->lladdr[1], rt->lladdr[2], rt->lladdr[3], rt->lladdr[4],
			         rt->lladdr[5]);
			pm_json_kstr(w, "mac", mac);
		}
		pm_json_key(w, "prefixes");
		pm_json_arr_begin(w);
		for (size_t p = 0; p < rt->n_prefix; p++) {
			char a[48], b[64];
			pm_addr_str(rt->prefix[p].prefix, 6, a);
			snprintf(b, sizeof(b), "%s/%u", a, rt->prefix[p].len);
			pm_json_str(w, b);
		}
		pm_json_arr_end(w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_obj_end(w);
}

/* The selection the filters describe. */
struct filter {
	const struct pm_icmp_args *args;
	uint8_t host[16];
	uint8_t hver;
};

static bool
matches(const struct filter *f, const struct pm_icmp_sample *d)
{
	if (f->hver != 0 && (d->ipver != f->hver || (memcmp(d->src, f->host, 16) != 0 &&
	                                             memcmp(d->dst, f->host, 16) != 0))) {
		return false;
	}
	if (f->args->version != 0 && d->ipver != f->args->version) {
		return false;
	}
	return f->args->type < 0 || d->type == f->args->type;
}

static void
packet_obj(struct pm_json *w, const struct pm_icmp_sample *d)
{
	bool v6 = d->ipver == 6;
	char buf[40];
	pm_json_obj_begin(w);
	pm_json_ku64(w, "packet_number", d->number);
	pm_pv_ktime(w, "timestamp", d->ts);
	pm_pv_kaddr(w, "src_ip", d->src, d->ipver);
	pm_pv_kaddr(w, "dst_ip", d->dst, d->ipver);
	pm_json_ku64(w, "ip_version", d->ipver);
	pm_json_ku64(w, v6 ? "hop_limit" : "ttl", d->ttl);
	pm_json_ku64(w, "packet_size", d->size);
	pm_json_ku64(w, "icmp_type", d->type);
	pm_json_ku64(w, "icmp_code", d->code);
	pm_json_kstr(w, "icmp_type_name", type_name(v6, d->type, buf));
	const char *cn = pm_icmp_code_name(v6, d->type, d->code);
	if (cn != NULL) {
		pm_json_kstr(w, "icmp_code_name", cn);
	} else {
		snprintf(buf, sizeof(buf), "Code %u", d->code);
		pm_json_kstr(w, "icmp_code_name", buf);
	}
	pm_json_key(w, "icmp_id");
	d->is_echo ? pm_json_u64(w, d->id) : pm_json_null(w);
	pm_json_key(w, "icmp_seq");
	d->is_echo ? pm_json_u64(w, d->seq) : pm_json_null(w);
	if (d->has_inner) {
		pm_pv_kaddr(w, "original_dst_ip", d->inner_dst, d->ipver);
		pm_json_kstr(w, "original_protocol", proto_name(d->inner_proto));
		if (d->inner_dport != 0) {
			pm_json_ku64(w, "original_dst_port", d->inner_dport);
		}
	}
	pm_json_obj_end(w);
}

static bool
sample_match(const void *item, const void *ctx)
{
	return matches(ctx, item);
}

static void
sample_write(struct pm_json *w, const void *item)
{
	packet_obj(w, item);
}

static void
packets(struct pm_json *w, const struct pm_icmp_stats *s, const struct filter *f,
        const struct pm_pv_page *pg)
{
	struct pm_pv_sample smp = { s->samples,          s->n_samples,
		                    sizeof(*s->samples), s->n_samples < PM_ICMP_MAX_SAMPLES,
		                    sample_match,        f,
		                    sample_write };
	pm_pv_packets(w, &smp, pg);
}

static int
cmp_requester(const void *x, const void *y)
{
	const struct pm_icmp_pair_key *a = ((const struct pm_pv_entry *)x)->key;
	const struct pm_icmp_pair_key *b = ((const struct pm_pv_entry *)y)->key;
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	return memcmp(a->requester, b->requester, 16);
}

static void
findings(struct pm_json *w, const struct pm_icmp_stats *s, const struct pm_pv_entry *routers,
         size_t nr, const struct pm_pv_entry *pairs, size_t np)
{
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	if (nr > 1) {
		pm_pv_finding(w, "multiple_routers_advertising", "medium",
		              "%zu routers sent router advertisements (possible rogue router)", nr);
		pm_json_key(w, "routers");
		pm_json_arr_begin(w);
		for (size_t i = 0; i < nr && i < PM_PV_MAX_FINDINGS; i++) {
			const struct pm_addr_key *k = routers[i].key;
			char buf[48];
			pm_addr_str(k->addr, k->ipver, buf);
			pm_json_str(w, buf);
		}
		pm_json_arr_end(w);
		pm_pv_finding_end(w);
	}
	if (s->redirects != 0) {
		pm_pv_finding(w, "icmp_redirect", "medium", "%llu redirect messages",
		              (unsigned long long)s->redirects);
		pm_json_ku64(w, "redirects", s->redirects);
		pm_pv_finding_end(w);
	}
	size_t pos = 0;
	void *v;
	const struct pm_addr_key *k;
	while ((k = pm_table_next(&s->dad, &pos, &v)) != NULL) {
		const struct pm_icmp_dad *d = v;
		if (d->defended != 0) {
			char buf[48];
			pm_addr_str(k->addr, 6, buf);
			pm_pv_finding(w, "duplicate_address", "medium",
			              "duplicate address detection for %s was answered: the "
			              "address is in use",
			              buf);
			pm_json_kstr(w, "address", buf);
			pm_json_ku64(w, "probes", d->probes);
			pm_json_ku64(w, "advertisements", d->defended);
			pm_pv_finding_end(w);
		}
	}
	/* One requester pinging many responders: a sweep (pairs sorted by requester). */
	for (size_t i = 0, j; i < np; i = j) {
		const struct pm_icmp_pair_key *pk = pairs[i].key;
		for (j = i + 1; j < np && cmp_requester(&pairs[i], &pairs[j]) == 0; j++) {
		}
		if (j - i >= PM_ICMP_SWEEP_TARGETS) {
			char buf[48];
			pm_addr_str(pk->requester, pk->ipver, buf);
			pm_pv_finding(w, "icmp_ping_sweep", "low",
			              "%s sent echo requests to %zu hosts", buf, j - i);
			pm_json_kstr(w, "source", buf);
			pm_json_ku64(w, "targets", j - i);
			pm_pv_finding_end(w);
		}
	}
	if (s->unanswered != 0) {
		pm_pv_finding(w, "icmp_unanswered_echo", "info", "%llu echo requests got no reply",
		              (unsigned long long)s->unanswered);
		pm_json_ku64(w, "unanswered", s->unanswered);
		pm_json_ku64(w, "requests", s->echoes.count);
		pm_pv_finding_end(w);
	}
	pm_json_arr_end(w);
}

/* see icmpview.h */
int
pm_icmp_view(const struct pm_analysis *a, const struct pm_icmp_args *args, struct pm_json *w,
             struct pm_error *err)
{
	const struct pm_icmp_stats *s = pm_an_icmp(a);
	if (s == NULL) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0, "the icmp analyser did not run");
	}
	struct filter f = { .args = args };
	struct pm_pv_page pg = args->page;
	if (pm_pv_page_check(&pg, err) != 0 ||
	    pm_pv_addr_arg("host", args->host, f.host, &f.hver, err) != 0) {
		return PM_E_MALFORMED;
	}
	if (args->type < -1 || args->type > 255 ||
	    (args->version != 0 && args->version != 4 && args->version != 6)) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "invalid_argument: type is 0..255 and version 0, 4 or 6");
	}
	size_t top = (size_t)pg.top, ns, nd, nu, np, nt, nr, nx;
	struct pm_pv_entry *src = sorted(&s->srcs, &ns), *dst = sorted(&s->dsts, &nd);
	struct pm_pv_entry *un = sorted(&s->unreach, &nu), *pairs = sorted(&s->pairs, &np);
	struct pm_pv_entry *paths = sorted(&s->paths, &nt), *routers = sorted(&s->routers, &nr);
	struct pm_pv_entry *redirs = sorted(&s->redirs, &nx);
	int rc = PM_E_NOMEM;
	if (src == NULL || dst == NULL || un == NULL || pairs == NULL || paths == NULL ||
	    routers == NULL || redirs == NULL) {
		goto out_free;
	}
	pm_pv_head(w, a, "total_packets", "icmp", s->messages, s->messages);
	statistics(w, s, top, src, ns, dst, nd, un, nu);
	echo_hosts(w, pairs, np, top);
	unreachable(w, un, nu, top);
	traceroute(w, paths, nt, top);
	redirects(w, redirs, nx, top);
	neighbor_discovery(w, s, routers, nr);
	packets(w, s, &f, &pg);
	qsort(pairs, np, sizeof(*pairs), cmp_requester);
	findings(w, s, routers, nr, pairs, np);
	rc = 0;
out_free:
	free(src);
	free(dst);
	free(un);
	free(pairs);
	free(paths);
	free(routers);
	free(redirs);
	return rc;
}
