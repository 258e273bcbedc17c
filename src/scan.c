/* SPDX-License-Identifier: MIT */
/*
 * scan.c - the port-scan detector: probes from finished flows, per-source
 * counts by sorting, and the three PortHunter views over them.
 *
 * Does not look at packets, so it cannot see a probe whose flow the table
 * dropped (the result is then marked approximate). Techniques follow nmap's
 * documentation of its scan types (-sS, -sT, -sF, -sN, -sX, -sA, -sM, -sU,
 * -sn); answers follow RFC 9293 §3.10.7 (RST to a closed port) and RFC 792 /
 * RFC 4443 destination unreachable.
 */
#include "scan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "capture.h"
#include "decode.h"
#include "flow.h"
#include "isotime.h"
#include "json.h"

/* see scan.h */
void
pm_scan_init(struct pm_scan *s)
{
	memset(s, 0, sizeof(*s));
}

/* see scan.h */
void
pm_scan_free(struct pm_scan *s)
{
	free(s->probes);
	free(s->srcs);
	memset(s, 0, sizeof(*s));
}

static const char *const tech_names[PM_SCAN_TECH_COUNT] = {
	"syn",     "fin", "null",       "xmas",        "ack",        "maimon",
	"connect", "udp", "icmp_sweep", "ip_protocol", "traceroute",
};

/* see scan.h */
const char *
pm_scan_tech_name(enum pm_scan_tech t)
{
	return (size_t)t < PM_SCAN_TECH_COUNT ? tech_names[t] : "unknown";
}

#define FLAG_MASK (PM_TCP_FIN | PM_TCP_SYN | PM_TCP_RST | PM_TCP_PSH | PM_TCP_ACK | PM_TCP_URG)

/* The technique a TCP flow's first client flags name, or -1 when they name none. */
static int
tcp_tech(const struct pm_flow *fl, const struct pm_flow_dir *c)
{
	switch (c->first_flags & FLAG_MASK) {
	case PM_TCP_SYN:
		if (fl->handshake) {
			return c->rst + c->fin != 0 ? PM_SCAN_CONNECT : -1;
		}
		return PM_SCAN_SYN;
	case 0:
		return PM_SCAN_NULL;
	case PM_TCP_FIN | PM_TCP_PSH | PM_TCP_URG:
		return PM_SCAN_XMAS;
	case PM_TCP_FIN:
		return PM_SCAN_FIN;
	case PM_TCP_ACK:
		return PM_SCAN_ACK;
	case PM_TCP_FIN | PM_TCP_ACK:
		return PM_SCAN_MAIMON;
	default:
		return -1;
	}
}

static uint8_t
unreach_state(const struct pm_flow *fl)
{
	return fl->unreach == PM_UNREACH_PORT || fl->unreach == PM_UNREACH_PROTO ? PM_SCAN_CLOSED
	                                                                         : PM_SCAN_FILTERED;
}

/* IPv4 multicast (224/4) and broadcast, IPv6 multicast (ff00::/8): no protocol scan goes there. */
static bool
is_group(const uint8_t *a, uint8_t ipver)
{
	if (ipver == 6) {
		return a[0] == 0xff;
	}
	return (a[0] & 0xF0) == 0xE0 ||
	       (a[0] == 0xff && a[1] == 0xff && a[2] == 0xff && a[3] == 0xff);
}

/* The technique and answer of a TCP flow, or -1 when it is no probe. */
static int
tcp_probe(const struct pm_flow *fl, const struct pm_flow_dir *c, const struct pm_flow_dir *s,
          uint8_t *state)
{
	int tech = c->data + s->data == 0 ? tcp_tech(fl, c) : -1;
	if (tech == PM_SCAN_ACK) {
		/* nmap -sA: a RST says the port is reachable (unfiltered), silence or ICMP filtered */
		*state = s->rst != 0 ? PM_SCAN_UNFILTERED : PM_SCAN_FILTERED;
	} else if (fl->synack) {
		*state = PM_SCAN_OPEN;
	} else if (s->rst != 0) {
		*state = PM_SCAN_CLOSED;
	} else {
		*state = unreach_state(fl);
	}
	return tech;
}

/* Classify one flow; false when it is no probe. */
static bool
classify(const struct pm_flow_key *k, const struct pm_flow *fl, struct pm_scan_probe *p)
{
	const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
	if (c->packets == 0) {
		return false;
	}
	bool ca = fl->client == 0;
	int tech;
	uint8_t state = PM_SCAN_FILTERED;
	if (k->proto == PM_IPPROTO_TCP) {
		tech = tcp_probe(fl, c, s, &state);
	} else if (k->proto == PM_IPPROTO_UDP) {
		/*
		 * An answered query is a conversation, not a probe; an empty
		 * datagram is a probe whatever comes back (nmap -sU sends them to
		 * ports it has no payload for).
		 */
		bool answered = s->packets != 0 && fl->unreach == PM_UNREACH_NONE;
		tech = c->payload == 0 || (!answered && s->payload == 0) ? PM_SCAN_UDP : -1;
		state = answered ? PM_SCAN_OPEN : unreach_state(fl);
		if (tech >= 0 && fl->unreach == PM_UNREACH_TTL) {
			tech = PM_SCAN_TRACEROUTE;
		}
	} else if (k->icmp_echo != 0) {
		tech = fl->unreach == PM_UNREACH_TTL ? PM_SCAN_TRACEROUTE : PM_SCAN_ICMP;
		state = s->packets != 0 ? PM_SCAN_OPEN : PM_SCAN_FILTERED;
	} else if (k->proto != PM_IPPROTO_ICMP && k->proto != PM_IPPROTO_ICMPV6 &&
	           s->packets == 0 && !is_group(ca ? k->b : k->a, k->ipver)) {
		tech = PM_SCAN_IP_PROTOCOL;
		state = unreach_state(fl);
	} else {
		tech = -1;
	}
	if (tech < 0) {
		return false;
	}
	memcpy(p->src, ca ? k->a : k->b, 16);
	memcpy(p->dst, ca ? k->b : k->a, 16);
	p->port = k->icmp_echo != 0             ? 0
	          : tech == PM_SCAN_IP_PROTOCOL ? k->proto
	          : ca                          ? k->pb
	                                        : k->pa;
	p->ts = c->first;
	p->last = c->last;
	p->pkts = c->packets > UINT32_MAX ? UINT32_MAX : (uint32_t)c->packets;
	p->prev = p->next = PM_SCAN_NONE;
	p->flags = k->proto == PM_IPPROTO_TCP ? (uint16_t)(c->first_flags & FLAG_MASK) : 0;
	p->ipver = k->ipver;
	p->proto = k->proto;
	p->tech = (uint8_t)tech;
	p->state = state;
	p->ttl = c->first_ttl;
	p->aside = false;
	p->fin_close = c->fin != 0 && c->rst == 0;
	return true;
}

static int
cmp_src_time(const void *x, const void *y)
{
	const struct pm_scan_probe *a = x, *b = y;
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	int c = memcmp(a->src, b->src, 16);
	if (c != 0) {
		return c;
	}
	if (a->ts != b->ts) {
		return a->ts < b->ts ? -1 : 1;
	}
	c = memcmp(a->dst, b->dst, 16);
	if (c != 0) {
		return c;
	}
	if (a->port != b->port) {
		return a->port < b->port ? -1 : 1;
	}
	return (a->proto > b->proto) - (a->proto < b->proto);
}

/* Index sort by target (dst, ICMP or not, port), then time: probes is set before qsort. */
static const struct pm_scan_probe *sort_base;

/* see scan.h */
int
pm_scan_cmp_target(const struct pm_scan_probe *a, const struct pm_scan_probe *b)
{
	int c = memcmp(a->dst, b->dst, 16);
	if (c != 0) {
		return c;
	}
	int ka = pm_scan_probe_is_icmp(a) ? 2 : !pm_scan_probe_has_port(a);
	int kb = pm_scan_probe_is_icmp(b) ? 2 : !pm_scan_probe_has_port(b);
	if (ka != kb) {
		return ka < kb ? -1 : 1;
	}
	return (a->port > b->port) - (a->port < b->port);
}

static int
cmp_idx_target(const void *x, const void *y)
{
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	int c = pm_scan_cmp_target(&sort_base[i], &sort_base[j]);
	return c != 0 ? c : (i > j) - (i < j);
}

static int
cmp_u16(const void *x, const void *y)
{
	uint16_t a = *(const uint16_t *)x, b = *(const uint16_t *)y;
	return (a > b) - (a < b);
}

/*
 * nmap -sT completes the handshake only where a port is open; elsewhere its
 * probes are refused or unanswered SYNs. Each probe is judged on its own
 * evidence: a handshake the source completed and tore down without data
 * is a connect probe (tcp_tech); a bare SYN is a connect probe when the
 * source's connect probes were sent with the same TTL (the operating
 * system's stack sent it, as connect() does, not a raw SYN scanner, whose
 * TTLs nmap randomises).
 */
static void
connect_scan(struct pm_scan *s, size_t lo, size_t hi)
{
	uint64_t ttl[4] = { 0 };
	bool any = false;
	for (size_t i = lo; i < hi; i++) {
		const struct pm_scan_probe *p = &s->probes[i];
		if (p->tech == PM_SCAN_CONNECT) {
			ttl[p->ttl >> 6] |= 1ULL << (p->ttl & 63);
			any = true;
		}
	}
	for (size_t i = lo; any && i < hi; i++) {
		struct pm_scan_probe *p = &s->probes[i];
		if (p->tech == PM_SCAN_SYN && (ttl[p->ttl >> 6] >> (p->ttl & 63) & 1) != 0) {
			p->tech = PM_SCAN_CONNECT;
		}
	}
}

/* Distinct hosts, ports, targets and open targets of one source; links repeats. */
static bool
count_source(struct pm_scan *s, struct pm_scan_src *src, uint32_t *idx, uint16_t *ports)
{
	size_t n = src->hi - src->lo, np = 0;
	for (size_t i = src->hi; i < src->aside_hi; i++) {
		src->tech[PM_SCAN_TRACEROUTE] += s->probes[i].tech == PM_SCAN_TRACEROUTE;
	}
	if (n == 0) {
		src->first = src->last = s->probes[src->hi].ts;
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pm_scan_probe *p = &s->probes[src->lo + i];
		idx[i] = (uint32_t)(src->lo + i);
		if (pm_scan_probe_has_port(p)) {
			ports[np++] = p->port;
		}
		src->pkts += p->pkts;
		src->tech[p->tech]++;
		if (p->last > src->last) {
			src->last = p->last;
		}
	}
	src->first = s->probes[src->lo].ts;
	sort_base = s->probes;
	qsort(idx, n, sizeof(*idx), cmp_idx_target);
	qsort(ports, np, sizeof(*ports), cmp_u16);
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		struct pm_scan_probe *p = &s->probes[idx[i]];
		bool same = i > 0 && pm_scan_cmp_target(&s->probes[idx[i - 1]], p) == 0;
		if (same) {
			p->prev = idx[i - 1];
			s->probes[idx[i - 1]].next = idx[i];
		} else {
			src->targets++;
			open = false;
			if (i == 0 || memcmp(s->probes[idx[i - 1]].dst, p->dst, 16) != 0) {
				src->hosts++;
			}
		}
		if (!open && p->state == PM_SCAN_OPEN && p->proto == PM_IPPROTO_TCP) {
			src->open++;
			open = true;
		}
	}
	for (size_t i = 0; i < np; i++) {
		src->ports += i == 0 || ports[i] != ports[i - 1];
	}
	src->is_scanner = src->targets >= PM_SCAN_MIN_TARGETS;
	return true;
}

/*
 * Probes that make no targets move, in time order, behind the others:
 * [lo, hi) stays the scan, [hi, aside_hi) the rest. A traceroute's last
 * probes reach the host and draw port unreachable, not time exceeded, so a
 * source's UDP probes to a host it traced are the trace's too; ip_protocol
 * probes count only at a host where the source tried at least
 * PM_SCAN_MIN_PROTOCOLS protocols. idx and tmp hold n.
 */
static void
set_aside(struct pm_scan *s, struct pm_scan_src *src, uint32_t *idx, struct pm_scan_probe *tmp)
{
	size_t n = src->hi - src->lo, lo = src->lo;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		idx[i] = (uint32_t)(lo + i);
		any |= s->probes[lo + i].tech == PM_SCAN_TRACEROUTE ||
		       s->probes[lo + i].tech == PM_SCAN_IP_PROTOCOL;
	}
	src->aside_hi = src->hi;
	if (!any) {
		return; /* the common case: nothing to set aside, no sort */
	}
	sort_base = s->probes;
	qsort(idx, n, sizeof(*idx), cmp_idx_target);
	size_t aside = 0;
	for (size_t i = 0, j; i < n; i = j) {
		bool trace = false;
		size_t protos = 0;
		for (j = i; j < n && memcmp(s->probes[idx[j]].dst, s->probes[idx[i]].dst, 16) == 0;
		     j++) {
			trace |= s->probes[idx[j]].tech == PM_SCAN_TRACEROUTE;
			protos += s->probes[idx[j]].tech == PM_SCAN_IP_PROTOCOL;
		}
		for (size_t m = i; m < j; m++) {
			struct pm_scan_probe *p = &s->probes[idx[m]];
			if (trace && p->tech == PM_SCAN_UDP) {
				p->tech = PM_SCAN_TRACEROUTE;
			}
			p->aside =
			    p->tech == PM_SCAN_TRACEROUTE ||
			    (p->tech == PM_SCAN_IP_PROTOCOL && protos < PM_SCAN_MIN_PROTOCOLS);
			aside += p->aside;
		}
	}
	if (aside == 0) {
		return;
	}
	size_t a = 0, b = n - aside;
	for (size_t i = 0; i < n; i++) {
		const struct pm_scan_probe *p = &s->probes[lo + i];
		tmp[p->aside ? b++ : a++] = *p;
	}
	memcpy(&s->probes[lo], tmp, n * sizeof(*tmp));
	src->hi = lo + n - aside;
}

/* A TCP client and the server end of one of its connections that carried data. */
struct data_pair {
	uint8_t c[16], s[16]; /* client, server address */
	uint16_t port;        /* server port */
	uint8_t ipver;
};

static int
cmp_pair(const void *x, const void *y)
{
	const struct data_pair *a = x, *b = y;
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	int c = memcmp(a->c, b->c, 16);
	return c != 0 ? c : memcmp(a->s, b->s, 16);
}

static int
cmp_pair_port(const void *x, const void *y)
{
	const struct data_pair *a = x, *b = y;
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	int c = memcmp(a->c, b->c, 16);
	return c != 0 ? c : (a->port > b->port) - (a->port < b->port);
}

/* The client ends of TCP connections that carried data, twice: by server, by server port. */
struct data_pairs {
	struct data_pair *by_server, *by_port; /* malloc'd, n each */
	size_t n;
};

static bool
data_pairs(const struct pm_flows *f, struct data_pairs *d)
{
	size_t cap = 0, pos = 0;
	void *v;
	const struct pm_flow_key *k;
	memset(d, 0, sizeof(*d));
	while ((k = pm_table_next(&f->flows, &pos, &v)) != NULL) {
		const struct pm_flow *fl = v;
		if (k->proto != PM_IPPROTO_TCP || fl->d[0].data + fl->d[1].data == 0) {
			continue;
		}
		if (d->n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 64;
			struct data_pair *np = realloc(d->by_server, ncap * sizeof(*np));
			if (np == NULL) {
				return false;
			}
			d->by_server = np;
			cap = ncap;
		}
		struct data_pair *e = &d->by_server[d->n++];
		bool ca = fl->client == 0;
		memcpy(e->c, ca ? k->a : k->b, 16);
		memcpy(e->s, ca ? k->b : k->a, 16);
		e->port = ca ? k->pb : k->pa;
		e->ipver = k->ipver;
	}
	d->by_port = malloc(d->n * sizeof(*d->by_port) + 1);
	if (d->by_port == NULL) {
		return false;
	}
	if (d->n != 0) {
		memcpy(d->by_port, d->by_server, d->n * sizeof(*d->by_port));
		qsort(d->by_server, d->n, sizeof(*d->by_server), cmp_pair);
		qsort(d->by_port, d->n, sizeof(*d->by_port), cmp_pair_port);
	}
	return true;
}

/*
 * A browser opens spare connections (SYN, SYN-ACK, ACK, then FIN, no data)
 * to the servers it fetches from, or to their neighbours behind the same
 * name: a connect probe whose client has a connection that carried data to
 * the same server, or that it closed with FIN (nmap -sT closes with RST)
 * while its connections to the same server port elsewhere carry data, is
 * one of those.
 */
static bool
is_preconnect(const struct pm_scan_probe *p, const struct data_pairs *d)
{
	if (p->tech != PM_SCAN_CONNECT || d->n == 0) {
		return false;
	}
	struct data_pair key;
	memcpy(key.c, p->src, 16);
	memcpy(key.s, p->dst, 16);
	key.port = p->port;
	key.ipver = p->ipver;
	if (bsearch(&key, d->by_server, d->n, sizeof(key), cmp_pair) != NULL) {
		return true;
	}
	return p->fin_close && bsearch(&key, d->by_port, d->n, sizeof(key), cmp_pair_port) != NULL;
}

/* Drop the connect probes that are pre-connects; the pairs are built only when there are any. */
static bool
drop_preconnects(struct pm_scan *s, const struct pm_flows *f, size_t connects)
{
	if (connects == 0) {
		return true;
	}
	struct data_pairs pairs;
	bool ok = data_pairs(f, &pairs);
	size_t m = 0;
	for (size_t i = 0; ok && i < s->n_probes; i++) {
		if (!is_preconnect(&s->probes[i], &pairs)) {
			s->probes[m++] = s->probes[i];
		}
	}
	if (ok) {
		s->n_probes = m;
	}
	free(pairs.by_server);
	free(pairs.by_port);
	return ok;
}

static bool
gather(struct pm_scan *s, const struct pm_flows *f)
{
	size_t cap = 0, pos = 0, connects = 0;
	void *v;
	const struct pm_flow_key *k;
	while ((k = pm_table_next(&f->flows, &pos, &v)) != NULL) {
		struct pm_scan_probe p;
		if (!classify(k, v, &p)) {
			continue;
		}
		if (s->n_probes == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 256;
			struct pm_scan_probe *np =
			    ncap < PM_SCAN_NONE ? realloc(s->probes, ncap * sizeof(*np)) : NULL;
			if (np == NULL) {
				return false;
			}
			s->probes = np;
			cap = ncap;
		}
		connects += p.tech == PM_SCAN_CONNECT;
		s->probes[s->n_probes++] = p;
	}
	return drop_preconnects(s, f, connects);
}

/* see scan.h */
void
pm_scan_finish(struct pm_scan *s, const struct pm_flows *f)
{
	s->approximate = f->approximate || f->flows.dropped != 0;
	if (!gather(s, f)) {
		s->approximate = true;
	}
	if (s->n_probes > 1) {
		qsort(s->probes, s->n_probes, sizeof(*s->probes), cmp_src_time);
	}
	uint32_t *idx = malloc(s->n_probes * sizeof(*idx) + 1);
	uint16_t *ports = malloc(s->n_probes * sizeof(*ports) + 1);
	struct pm_scan_probe *tmp = malloc(s->n_probes * sizeof(*tmp) + 1);
	size_t cap = 0;
	for (size_t lo = 0, hi; idx != NULL && ports != NULL && tmp != NULL && lo < s->n_probes;
	     lo = hi) {
		const struct pm_scan_probe *p = &s->probes[lo];
		for (hi = lo + 1; hi < s->n_probes && s->probes[hi].ipver == p->ipver &&
		                  memcmp(s->probes[hi].src, p->src, 16) == 0;
		     hi++) {
		}
		if (s->n_srcs == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 64;
			struct pm_scan_src *ns = realloc(s->srcs, ncap * sizeof(*ns));
			if (ns == NULL) {
				break;
			}
			s->srcs = ns;
			cap = ncap;
		}
		struct pm_scan_src *src = &s->srcs[s->n_srcs++];
		memset(src, 0, sizeof(*src));
		memcpy(src->addr, p->src, 16);
		src->ipver = p->ipver;
		src->lo = lo;
		src->hi = hi;
		set_aside(s, src, idx, tmp);
		connect_scan(s, lo, src->hi);
		count_source(s, src, idx, ports);
	}
	if (idx == NULL || ports == NULL || tmp == NULL) {
		s->approximate = true;
		s->n_srcs = 0;
	}
	free(idx);
	free(ports);
	free(tmp);
}

/* see scan.h */
const char *
pm_scan_kind(const struct pm_scan_src *src)
{
	if (src->hosts <= PM_SCAN_FEW) {
		return "vertical";
	}
	return src->ports <= PM_SCAN_FEW ? "horizontal" : "block";
}

/* see scan.h */
double
pm_scan_rate(const struct pm_scan_src *src)
{
	double span = pm_time_span_s(src->first, src->last);
	return span > 0 ? (double)src->pkts / span : (double)src->pkts;
}

/* see scan.h */
double
pm_scan_score(const struct pm_scan_src *src)
{
	if (src->targets == 0) {
		return 0;
	}
	double w = 1;
	for (int t = PM_SCAN_FIN; t <= PM_SCAN_MAIMON; t++) {
		if (src->tech[t] != 0) {
			w = PM_SCAN_STEALTH_WEIGHT;
		}
	}
	double t = (double)src->targets;
	return log2(1 + t) * (1 + (double)src->open / t) * w;
}

/* see scan.h */
uint64_t
pm_scan_window_max(const struct pm_scan *s, const struct pm_scan_src *src, int64_t window_ns)
{
	/* In [l, r] a probe counts when it is its target's first there: prev < l. */
	uint64_t count = 0, best = 0;
	size_t l = src->lo;
	for (size_t r = src->lo; r < src->hi; r++) {
		/* Sorted by time: r's probe is not before l's, so the unsigned difference is exact. */
		while ((uint64_t)s->probes[r].ts - (uint64_t)s->probes[l].ts >
		       (uint64_t)window_ns) {
			count--;
			uint32_t nx = s->probes[l].next;
			l++;
			if (nx != PM_SCAN_NONE && nx < r) {
				count++;
			}
		}
		uint32_t pv = s->probes[r].prev;
		count += pv == PM_SCAN_NONE || pv < l;
		if (count > best) {
			best = count;
		}
	}
	return best;
}

/* see scan.h */
const struct pm_scan_probe *
pm_scan_first(const struct pm_scan *s)
{
	const struct pm_scan_probe *best = NULL;
	for (size_t i = 0; i < s->n_srcs; i++) {
		const struct pm_scan_probe *p = &s->probes[s->srcs[i].lo];
		/* sources are in address order, so the first of equal times wins the tie */
		if (s->srcs[i].is_scanner && (best == NULL || p->ts < best->ts)) {
			best = p;
		}
	}
	return best;
}

/* The analyser row: probes are gathered from the finished flow table. */
static void
scan_finish(void *st, const struct pm_an_deps *deps)
{
	const struct pm_flows *f = pm_an_dep(deps, PM_AN_FLOWS);
	if (f != NULL) {
		pm_scan_finish(st, f);
	}
}

static void
scan_free(void *st)
{
	pm_scan_free(st);
}

static size_t
scan_mem(const void *st)
{
	const struct pm_scan *s = st;
	return sizeof(*s) + s->n_probes * sizeof(*s->probes) + s->n_srcs * sizeof(*s->srcs);
}

const struct pm_analyser pm_analyser_scan = {
	.name = "scan",
	.state_size = sizeof(struct pm_scan),
	.after = PM_AN_BIT(FLOWS),
	.finish = scan_finish,
	.free = scan_free,
	.mem = scan_mem,
};
