/* SPDX-License-Identifier: MIT */
/*
 * dnsview.c - analyze_dns_packets over the finished DNS analyser: mcpcap's
 * members, the top lists (sorted, ties by name or address bytes), the
 * unanswered queries, the packets sample and the findings.
 */
#include "dnsview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "analysis.h"
#include "dns.h"
#include "dnsstats.h"
#include "json.h"

/* see dnsview.h */
void
pm_dns_args_init(struct pm_dns_args *a)
{
	memset(a, 0, sizeof(*a));
	a->rcode = -1;
	a->qtype = -1;
	pm_pv_page_init(&a->page);
}

static int32_t
number(const char *s, int32_t max)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && v >= 0 && v <= max ? (int32_t)v : -1;
}

/* see dnsview.h */
int32_t
pm_dns_rcode_parse(const char *s)
{
	for (unsigned r = 0; r < 16; r++) {
		const char *n = pm_dns_rcode_name(r);
		if (n != NULL && strcasecmp(n, s) == 0) {
			return (int32_t)r;
		}
	}
	return number(s, 15);
}

/* see dnsview.h */
int32_t
pm_dns_qtype_parse(const char *s)
{
	for (unsigned t = 1; t < 300; t++) {
		const char *n = pm_dns_type_name(t);
		if (n != NULL && strcasecmp(n, s) == 0) {
			return (int32_t)t;
		}
	}
	int32_t v = number(s, 65535);
	return v == 0 ? -1 : v;
}

/* The selection the filters describe, parsed once. */
struct filter {
	const struct pm_dns_args *args;
	uint8_t client[16], server[16];
	uint8_t cver, sver; /* 0: no filter */
};

static bool
sample_matches(const struct filter *f, const struct pm_dns_sample *d)
{
	bool resp = (d->flags & PM_DNS_QR) != 0;
	const uint8_t *c = resp ? d->dst : d->src, *s = resp ? d->src : d->dst;
	if (f->cver != 0 && (f->cver != d->ipver || memcmp(c, f->client, 16) != 0)) {
		return false;
	}
	if (f->sver != 0 && (f->sver != d->ipver || memcmp(s, f->server, 16) != 0)) {
		return false;
	}
	if (f->args->rcode >= 0 && (!resp || (d->rcode & 0xF) != f->args->rcode)) {
		return false;
	}
	if (f->args->qtype >= 0 && (d->qname == NULL || d->qtype != f->args->qtype)) {
		return false;
	}
	return pm_pv_contains(d->qname != NULL ? d->qname : "", f->args->name);
}

static void
ktype(struct pm_json *w, const char *k, unsigned type)
{
	const char *n = pm_dns_type_name(type);
	char buf[16];
	if (n == NULL) {
		snprintf(buf, sizeof(buf), "TYPE%u", type);
		n = buf;
	}
	pm_json_kstr(w, k, n);
}

static void
packet_obj(struct pm_json *w, const struct pm_dns_sample *d)
{
	pm_json_obj_begin(w);
	pm_json_ku64(w, "packet_number", d->number);
	pm_pv_ktime(w, "timestamp", d->ts);
	pm_pv_kaddr(w, "source_ip", d->src, d->ipver);
	pm_pv_kaddr(w, "destination_ip", d->dst, d->ipver);
	pm_json_ku64(w, "source_port", d->sport);
	pm_json_ku64(w, "destination_port", d->dport);
	pm_json_kstr(w, "protocol", d->proto == 6 ? "TCP" : "UDP");
	pm_json_ku64(w, "dns_id", d->id);
	pm_json_key(w, "flags");
	pm_json_obj_begin(w);
	pm_json_kbool(w, "is_response", (d->flags & PM_DNS_QR) != 0);
	pm_json_kbool(w, "authoritative", (d->flags & PM_DNS_AA) != 0);
	pm_json_kbool(w, "truncated", (d->flags & PM_DNS_TC) != 0);
	pm_json_kbool(w, "recursion_desired", (d->flags & PM_DNS_RD) != 0);
	pm_json_kbool(w, "recursion_available", (d->flags & PM_DNS_RA) != 0);
	pm_json_obj_end(w);
	if ((d->flags & PM_DNS_QR) != 0) {
		const char *rn = pm_dns_rcode_name(d->rcode);
		pm_json_kstr(w, "rcode", rn != NULL ? rn : "unassigned");
	}
	if (d->bad != PM_DNS_BAD_NONE) {
		pm_json_kstr(w, "malformed", pm_dns_bad_name(d->bad));
	}
	pm_json_key(w, "questions");
	pm_json_arr_begin(w);
	if (d->qname != NULL) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", d->qname);
		pm_json_ku64(w, "type", d->qtype);
		pm_json_ku64(w, "class", d->qclass);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_key(w, "answers");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < d->n_rr; i++) {
		const struct pm_dns_sample_rr *r = &d->rr[i];
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", r->name != NULL ? r->name : "");
		pm_json_ku64(w, "type", r->type);
		pm_json_ku64(w, "class", r->rclass);
		pm_json_ku64(w, "ttl", r->ttl);
		const char *k = r->type == PM_DNS_TYPE_A || r->type == PM_DNS_TYPE_AAAA ? "address"
		                : r->type == PM_DNS_TYPE_CNAME                          ? "cname"
		                : r->type == PM_DNS_TYPE_MX                             ? "mx"
		                                                                        : "data";
		if (r->type == PM_DNS_TYPE_A || r->type == PM_DNS_TYPE_AAAA) {
			char a[48];
			pm_addr_str(r->addr, r->type == PM_DNS_TYPE_A ? 4 : 6, a);
			pm_json_kstr(w, k, a);
		} else if (r->data != NULL) {
			pm_json_kstr(w, k, r->data);
		}
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "answer_count", d->ancount);
	pm_json_obj_end(w);
}

static bool
sample_match(const void *item, const void *ctx)
{
	return sample_matches(ctx, item);
}

static void
sample_write(struct pm_json *w, const void *item)
{
	packet_obj(w, item);
}

static void
packets(struct pm_json *w, const struct pm_dns_stats *s, const struct filter *f)
{
	struct pm_pv_sample smp = { s->samples,          s->n_samples,
		                    sizeof(*s->samples), s->n_samples < PM_DNS_MAX_SAMPLES,
		                    sample_match,        f,
		                    sample_write };
	pm_pv_packets(w, &smp, &f->args->page);
}

static int
cmp_name(const void *x, const void *y)
{
	const struct pm_dns_name *a = ((const struct pm_pv_entry *)x)->val;
	const struct pm_dns_name *b = ((const struct pm_pv_entry *)y)->val;
	uint64_t qa = a->queries + a->responses, qb = b->queries + b->responses;
	if (qa != qb) {
		return qa > qb ? -1 : 1;
	}
	return strcmp(a->name != NULL ? a->name : "", b->name != NULL ? b->name : "");
}

static int
cmp_base(const void *x, const void *y)
{
	const struct pm_dns_base *a = ((const struct pm_pv_entry *)x)->val;
	const struct pm_dns_base *b = ((const struct pm_pv_entry *)y)->val;
	if (a->queries != b->queries) {
		return a->queries > b->queries ? -1 : 1;
	}
	if (a->names != b->names) {
		return a->names > b->names ? -1 : 1;
	}
	return strcmp(a->name != NULL ? a->name : "", b->name != NULL ? b->name : "");
}

static int
cmp_host(const void *x, const void *y)
{
	const struct pm_pv_entry *ea = x, *eb = y;
	const struct pm_dns_host *a = ea->val, *b = eb->val;
	uint64_t qa = a->queries + a->responses, qb = b->queries + b->responses;
	if (qa != qb) {
		return qa > qb ? -1 : 1;
	}
	return memcmp(ea->key, eb->key, sizeof(struct pm_addr_key));
}

/* Up to max names, within PM_PV_LIST_BUDGET bytes; returns how many were written. */
static size_t
names_list(struct pm_json *w, const char *key, const struct pm_pv_entry *v, size_t n, size_t max,
           bool detail)
{
	pm_json_key(w, key);
	pm_json_arr_begin(w);
	size_t start = w->len, i = 0;
	for (; i < n && i < max && pm_pv_fits(w, start, PM_PV_LIST_BUDGET, i); i++) {
		const struct pm_dns_name *nm = v[i].val;
		if (!detail) {
			pm_json_str(w, nm->name != NULL ? nm->name : "");
			continue;
		}
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", nm->name != NULL ? nm->name : "");
		pm_json_ku64(w, "queries", nm->queries);
		pm_json_ku64(w, "responses", nm->responses);
		pm_json_ku64(w, "nxdomain", nm->nxdomain);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	return i;
}

static void
types_obj(struct pm_json *w, const char *key, const struct pm_dns_types *t)
{
	pm_json_key(w, key);
	pm_json_obj_begin(w);
	for (size_t i = 0; i < t->n; i++) {
		char buf[16];
		const char *n = pm_dns_type_name(t->v[i].type);
		if (n == NULL) {
			snprintf(buf, sizeof(buf), "TYPE%u", t->v[i].type);
			n = buf;
		}
		pm_json_ku64(w, n, t->v[i].count);
	}
	if (t->other != 0) {
		pm_json_ku64(w, "other", t->other);
	}
	pm_json_obj_end(w);
}

static void
statistics(struct pm_json *w, const struct pm_dns_stats *s, const struct pm_pv_entry *names,
           size_t nn, size_t top)
{
	pm_json_key(w, "statistics");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "queries", s->queries);
	pm_json_ku64(w, "responses", s->responses);
	pm_json_ku64(w, "unique_domains_queried", s->names.count);
	size_t shown = names_list(w, "unique_domains", names, nn, top * 5, false);
	pm_json_kbool(w, "unique_domains_truncated", shown < nn);
	pm_json_key(w, "rcodes");
	pm_json_obj_begin(w);
	for (unsigned r = 0; r < 16; r++) {
		if (s->rcodes[r] != 0) {
			char buf[16];
			const char *n = pm_dns_rcode_name(r);
			snprintf(buf, sizeof(buf), "RCODE%u", r);
			pm_json_ku64(w, n != NULL ? n : buf, s->rcodes[r]);
		}
	}
	pm_json_obj_end(w);
	uint64_t errs = s->rcodes[PM_DNS_RCODE_NXDOMAIN] + s->rcodes[PM_DNS_RCODE_SERVFAIL] +
	                s->rcodes[PM_DNS_RCODE_REFUSED];
	pm_json_ku64(w, "nxdomain", s->rcodes[PM_DNS_RCODE_NXDOMAIN]);
	pm_json_ku64(w, "servfail", s->rcodes[PM_DNS_RCODE_SERVFAIL]);
	pm_json_ku64(w, "refused", s->rcodes[PM_DNS_RCODE_REFUSED]);
	pm_json_kdbl(w, "error_ratio", s->responses != 0 ? (double)errs / (double)s->responses : 0,
	             4);
	types_obj(w, "query_types", &s->qtypes);
	types_obj(w, "answer_types", &s->atypes);
	pm_json_key(w, "ttl");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "answers", s->ttl_n);
	pm_json_ku64(w, "min", s->ttl_min);
	pm_json_kdbl(w, "avg", s->ttl_n != 0 ? (double)s->ttl_sum / (double)s->ttl_n : 0, 1);
	pm_json_ku64(w, "max", s->ttl_max);
	pm_json_obj_end(w);
	pm_json_key(w, "response_time_ms");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "matched", s->rtt_n);
	pm_json_kdbl(w, "min", s->rtt_min * 1e3, 3);
	pm_json_kdbl(w, "avg", s->rtt_n != 0 ? s->rtt_sum / (double)s->rtt_n * 1e3 : 0, 3);
	pm_json_kdbl(w, "max", s->rtt_max * 1e3, 3);
	pm_json_obj_end(w);
	pm_json_ku64(w, "transactions", s->txns.count);
	pm_json_ku64(w, "unanswered_queries", s->unanswered);
	pm_json_ku64(w, "unmatched_responses", s->unmatched);
	pm_json_ku64(w, "unexpected_server_responses", s->spoofed);
	pm_json_ku64(w, "retransmitted_queries", s->retransmits);
	pm_json_ku64(w, "truncated_responses", s->tc_responses);
	pm_json_key(w, "transports");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "UDP", s->udp);
	pm_json_ku64(w, "TCP", s->tcp);
	pm_json_obj_end(w);
	pm_json_ku64(w, "mdns_messages", s->mdns);
	pm_json_ku64(w, "llmnr_messages", s->llmnr);
	pm_json_ku64(w, "tcp_split_messages", s->tcp_split);
	pm_json_ku64(w, "tcp_incomplete_streams", s->tcp_incomplete);
	pm_json_key(w, "edns");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "messages", s->edns);
	pm_json_ku64(w, "dnssec_ok", s->edns_do);
	pm_json_ku64(w, "client_subnet", s->ecs);
	pm_json_obj_end(w);
	pm_json_ku64(w, "truncated_messages", s->truncated);
	pm_json_key(w, "malformed");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total", s->malformed);
	for (unsigned b = 1; b < PM_DNS_BAD_COUNT_; b++) {
		if (s->bad[b] != 0) {
			pm_json_ku64(w, pm_dns_bad_name(b), s->bad[b]);
		}
	}
	pm_json_obj_end(w);
	pm_json_kbool(w, "approximate", s->approximate);
	pm_json_obj_end(w);
}

static void
top_bases(struct pm_json *w, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, "top_base_domains");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_dns_base *b = v[i].val;
		pm_json_obj_begin(w);
		pm_json_kstr(w, "domain", b->name != NULL ? b->name : "");
		pm_json_ku64(w, "queries", b->queries);
		pm_json_ku64(w, "unique_names", b->names);
		pm_json_ku64(w, "txt_queries", b->txt);
		pm_json_ku64(w, "longest_label", b->max_label);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

static void
top_hosts(struct pm_json *w, const char *key, const struct pm_pv_entry *v, size_t n, size_t top)
{
	pm_json_key(w, key);
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_addr_key *k = v[i].key;
		const struct pm_dns_host *h = v[i].val;
		pm_json_obj_begin(w);
		pm_pv_kaddr(w, "ip", k->addr, k->ipver);
		pm_json_ku64(w, "queries", h->queries);
		pm_json_ku64(w, "responses", h->responses);
		pm_json_ku64(w, "nxdomain", h->nxdomain);
		pm_json_ku64(w, "servfail", h->servfail);
		pm_json_ku64(w, "unanswered", h->unanswered);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

static bool
txn_matches(const struct filter *f, const struct pm_dns_txn_key *k, const struct pm_dns_txn *t)
{
	if (t->responses != 0) {
		return false;
	}
	if (f->cver != 0 && (f->cver != k->ipver || memcmp(k->client, f->client, 16) != 0)) {
		return false;
	}
	if (f->sver != 0 && (f->sver != k->ipver || memcmp(t->server, f->server, 16) != 0)) {
		return false;
	}
	if (f->args->rcode >= 0 || (f->args->qtype >= 0 && t->qtype != f->args->qtype)) {
		return false;
	}
	const char *name = t->qname != NULL && t->qname->name != NULL ? t->qname->name : "";
	return pm_pv_contains(name, f->args->name);
}

static int
cmp_txn(const void *x, const void *y)
{
	const struct pm_pv_entry *ea = x, *eb = y;
	const struct pm_dns_txn *a = ea->val, *b = eb->val;
	if (a->t_query != b->t_query) {
		return a->t_query < b->t_query ? -1 : 1;
	}
	return memcmp(ea->key, eb->key, sizeof(struct pm_dns_txn_key));
}

static int
unanswered(struct pm_json *w, const struct pm_dns_stats *s, const struct filter *f, size_t top)
{
	size_t n;
	struct pm_pv_entry *v = pm_pv_entries(&s->txns, &n);
	if (v == NULL) {
		return PM_E_NOMEM;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (txn_matches(f, v[i].key, v[i].val)) {
			v[m++] = v[i];
		}
	}
	qsort(v, m, sizeof(*v), cmp_txn);
	pm_json_key(w, "unanswered");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < m && i < top; i++) {
		const struct pm_dns_txn_key *k = v[i].key;
		const struct pm_dns_txn *t = v[i].val;
		pm_json_obj_begin(w);
		pm_pv_ktime(w, "time", t->t_query);
		pm_pv_kaddr(w, "client", k->client, k->ipver);
		pm_pv_kaddr(w, "server", t->server, k->ipver);
		pm_json_ku64(w, "dns_id", k->id);
		pm_json_kstr(w, "name",
		             t->qname != NULL && t->qname->name != NULL ? t->qname->name : "");
		ktype(w, "type", t->qtype);
		pm_json_ku64(w, "copies", t->queries);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "unanswered", m, m < top ? m : top, 0);
	free(v);
	return 0;
}

static void
findings_bases(struct pm_json *w, const struct pm_pv_entry *v, size_t n)
{
	for (size_t i = 0; i < n && i < PM_PV_MAX_FINDINGS; i++) {
		const struct pm_dns_base *b = v[i].val;
		bool tunnel = b->names >= PM_DNS_TUNNEL_NAMES ||
		              b->long_labels + b->high_entropy >= PM_DNS_TUNNEL_LONG;
		if (tunnel) {
			bool strong = b->long_labels + b->high_entropy >= PM_DNS_TUNNEL_LONG;
			pm_pv_finding(
			    w, "dns_tunneling", strong ? "high" : "medium",
			    "%llu distinct names under %s (%llu with long or random labels)",
			    (unsigned long long)b->names, b->name != NULL ? b->name : "",
			    (unsigned long long)(b->long_labels + b->high_entropy));
			pm_json_kstr(w, "base_domain", b->name != NULL ? b->name : "");
			pm_json_ku64(w, "unique_names", b->names);
			pm_json_ku64(w, "long_label_names", b->long_labels);
			pm_json_ku64(w, "high_entropy_names", b->high_entropy);
			pm_json_ku64(w, "longest_label", b->max_label);
			pm_json_kstr(w, "example", b->example != NULL ? b->example : "");
			pm_pv_finding_end(w);
		}
		if (b->txt >= PM_DNS_TXT_FLOOD) {
			pm_pv_finding(w, "dns_txt_flood", "medium", "%llu TXT queries under %s",
			              (unsigned long long)b->txt, b->name != NULL ? b->name : "");
			pm_json_kstr(w, "base_domain", b->name != NULL ? b->name : "");
			pm_json_ku64(w, "txt_queries", b->txt);
			pm_json_ku64(w, "queries", b->queries);
			pm_pv_finding_end(w);
		}
	}
}

static void
findings(struct pm_json *w, const struct pm_dns_stats *s, const struct pm_pv_entry *bases,
         size_t nb, const struct pm_pv_entry *clients, size_t nc)
{
	pm_json_key(w, "findings");
	pm_json_arr_begin(w);
	findings_bases(w, bases, nb);
	for (size_t i = 0; i < nc && i < PM_PV_MAX_FINDINGS; i++) {
		const struct pm_addr_key *k = clients[i].key;
		const struct pm_dns_host *h = clients[i].val;
		double r = h->responses != 0 ? (double)h->nxdomain / (double)h->responses : 0;
		if (h->responses >= PM_DNS_NX_MIN_RESPONSES && r >= PM_DNS_NX_RATIO) {
			pm_pv_finding(w, "dns_high_nxdomain", "medium",
			              "%.0f%% of %llu responses to one client were NXDOMAIN",
			              r * 100, (unsigned long long)h->responses);
			pm_pv_kaddr(w, "client", k->addr, k->ipver);
			pm_json_ku64(w, "nxdomain", h->nxdomain);
			pm_json_ku64(w, "responses", h->responses);
			pm_pv_finding_end(w);
		}
	}
	if (s->spoofed != 0) {
		pm_pv_finding(w, "dns_unexpected_server", "high",
		              "%llu responses came from a server the query was not sent to",
		              (unsigned long long)s->spoofed);
		pm_json_ku64(w, "responses", s->spoofed);
		pm_pv_finding_end(w);
	}
	if (s->unanswered != 0) {
		pm_pv_finding(w, "dns_unanswered",
		              s->unanswered * 5 > s->txns.count ? "low" : "info",
		              "%llu of %zu queries got no response",
		              (unsigned long long)s->unanswered, s->txns.count);
		pm_json_ku64(w, "unanswered", s->unanswered);
		pm_json_ku64(w, "transactions", s->txns.count);
		pm_pv_finding_end(w);
	}
	if (s->tcp_incomplete != 0 || s->tcp_dropped != 0) {
		pm_pv_finding(w, "dns_tcp_not_reassembled", "info",
		              "%llu DNS-over-TCP directions ended inside a message (bytes missing "
		              "from the capture or beyond the reassembly window) and %llu flows "
		              "were not reassembled (too many at once)",
		              (unsigned long long)s->tcp_incomplete,
		              (unsigned long long)s->tcp_dropped);
		pm_json_ku64(w, "incomplete_streams", s->tcp_incomplete);
		pm_json_ku64(w, "flows_not_reassembled", s->tcp_dropped);
		pm_pv_finding_end(w);
	}
	if (s->malformed != 0) {
		pm_pv_finding(
		    w, "dns_malformed", "medium",
		    "%llu messages were refused (compression loops, forward pointers, ...)",
		    (unsigned long long)s->malformed);
		for (unsigned b = 1; b < PM_DNS_BAD_COUNT_; b++) {
			if (s->bad[b] != 0) {
				pm_json_ku64(w, pm_dns_bad_name(b), s->bad[b]);
			}
		}
		pm_pv_finding_end(w);
	}
	pm_json_arr_end(w);
}

static int
check(const struct pm_dns_args *args, struct filter *f, struct pm_pv_page *pg, struct pm_error *err)
{
	f->args = args;
	*pg = args->page;
	if (pm_pv_page_check(pg, err) != 0 ||
	    pm_pv_addr_arg("client", args->client, f->client, &f->cver, err) != 0 ||
	    pm_pv_addr_arg("server", args->server, f->server, &f->sver, err) != 0) {
		return PM_E_MALFORMED;
	}
	if (args->rcode > 15 || args->rcode < -1 || args->qtype > 65535 || args->qtype < -1) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "invalid_argument: rcode is 0..15 and type 1..65535");
	}
	return 0;
}

/* see dnsview.h */
int
pm_dns_view(const struct pm_analysis *a, const struct pm_dns_args *args, struct pm_json *w,
            struct pm_error *err)
{
	const struct pm_dns_stats *s = pm_an_dns(a);
	if (s == NULL) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0, "the dns analyser did not run");
	}
	struct filter f;
	struct pm_dns_args checked = *args;
	memset(&f, 0, sizeof(f));
	if (check(args, &f, &checked.page, err) != 0) {
		return PM_E_MALFORMED;
	}
	f.args = &checked;
	size_t nn, nb, nc, ns, top = (size_t)checked.page.top;
	struct pm_pv_entry *names = pm_pv_entries(&s->names, &nn),
	                   *bases = pm_pv_entries(&s->bases, &nb);
	struct pm_pv_entry *clients = pm_pv_entries(&s->clients, &nc),
	                   *servers = pm_pv_entries(&s->servers, &ns);
	int rc = PM_E_NOMEM;
	if (names == NULL || bases == NULL || clients == NULL || servers == NULL) {
		goto out_free;
	}
	qsort(names, nn, sizeof(*names), cmp_name);
	qsort(bases, nb, sizeof(*bases), cmp_base);
	qsort(clients, nc, sizeof(*clients), cmp_host);
	qsort(servers, ns, sizeof(*servers), cmp_host);
	pm_pv_head(w, a, "total_packets_in_file", "dns", s->packets, s->messages);
	statistics(w, s, names, nn, top);
	(void)names_list(w, "top_names", names, nn, top, true);
	top_bases(w, bases, nb, top);
	top_hosts(w, "top_clients", clients, nc, top);
	top_hosts(w, "top_servers", servers, ns, top);
	if ((rc = unanswered(w, s, &f, top)) != 0) {
		goto out_free;
	}
	packets(w, s, &f);
	findings(w, s, bases, nb, clients, nc);
out_free:
	free(names);
	free(bases);
	free(clients);
	free(servers);
	return rc;
}
