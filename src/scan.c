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
	"syn", "fin", "null", "xmas", "ack", "maimon", "connect", "udp", "icmp_sweep",
};

/* flag_stats keys, in technique order. */
static const char *const tech_stats[PM_SCAN_TECH_COUNT] = {
	"SYN", "FIN", "NULL", "XMAS", "ACK", "MAIMON", "CONNECT", "UDP", "ICMP",
};

static const char *const tech_patterns[PM_SCAN_TECH_COUNT] = {
	"syn_scan",    "fin_scan",     "null_scan", "xmas_scan",  "ack_scan",
	"maimon_scan", "connect_scan", "udp_scan",  "icmp_sweep",
};

/* see scan.h */
const char *
pm_scan_tech_name(enum pm_scan_tech t)
{
	return (size_t)t < PM_SCAN_TECH_COUNT ? tech_names[t] : "unknown";
}

static const char *
state_name(uint8_t st)
{
	return st == PM_SCAN_OPEN ? "open" : st == PM_SCAN_CLOSED ? "closed" : "filtered";
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
	return fl->unreach == PM_UNREACH_PORT ? PM_SCAN_CLOSED : PM_SCAN_FILTERED;
}

/* Classify one flow; false when it is no probe. */
static bool
classify(const struct pm_flow_key *k, const struct pm_flow *fl, struct pm_scan_probe *p)
{
	const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
	if (c->packets == 0) {
		return false;
	}
	int tech;
	uint8_t state = PM_SCAN_FILTERED;
	if (k->proto == PM_IPPROTO_TCP) {
		tech = c->data + s->data == 0 ? tcp_tech(fl, c) : -1;
		if (fl->synack) {
			state = PM_SCAN_OPEN;
		} else if (s->rst != 0) {
			state = PM_SCAN_CLOSED;
		} else {
			state = unreach_state(fl);
		}
	} else if (k->proto == PM_IPPROTO_UDP) {
		/*
		 * An answered query is a conversation, not a probe; an empty
		 * datagram is a probe whatever comes back (nmap -sU sends them to
		 * ports it has no payload for).
		 */
		bool answered = s->packets != 0 && fl->unreach == PM_UNREACH_NONE;
		tech = c->payload == 0 || (!answered && s->payload == 0) ? PM_SCAN_UDP : -1;
		state = answered ? PM_SCAN_OPEN : unreach_state(fl);
	} else if (k->icmp_echo != 0) {
		tech = PM_SCAN_ICMP;
		state = s->packets != 0 ? PM_SCAN_OPEN : PM_SCAN_FILTERED;
	} else {
		tech = -1;
	}
	if (tech < 0) {
		return false;
	}
	bool ca = fl->client == 0;
	memcpy(p->src, ca ? k->a : k->b, 16);
	memcpy(p->dst, ca ? k->b : k->a, 16);
	p->port = tech == PM_SCAN_ICMP ? 0 : ca ? k->pb : k->pa;
	p->ts = c->first;
	p->last = c->last;
	p->pkts = c->packets > UINT32_MAX ? UINT32_MAX : (uint32_t)c->packets;
	p->prev = p->next = PM_SCAN_NONE;
	p->flags = k->proto == PM_IPPROTO_TCP ? (uint16_t)(c->first_flags & FLAG_MASK) : 0;
	p->ipver = k->ipver;
	p->proto = k->proto;
	p->tech = (uint8_t)tech;
	p->state = state;
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

static bool
is_icmp(const struct pm_scan_probe *p)
{
	return p->tech == PM_SCAN_ICMP;
}

static int
cmp_target(const struct pm_scan_probe *a, const struct pm_scan_probe *b)
{
	int c = memcmp(a->dst, b->dst, 16);
	if (c != 0) {
		return c;
	}
	if (is_icmp(a) != is_icmp(b)) {
		return is_icmp(a) ? 1 : -1;
	}
	return (a->port > b->port) - (a->port < b->port);
}

static int
cmp_idx_target(const void *x, const void *y)
{
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	int c = cmp_target(&sort_base[i], &sort_base[j]);
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
 * probes look like SYN probes. A source whose SYN-ACK-answered probes all
 * completed the handshake (and that has at least one) is running a connect
 * scan, so its unanswered and refused SYNs are connect probes too.
 */
static void
connect_scan(struct pm_scan *s, size_t lo, size_t hi)
{
	bool connect = false;
	for (size_t i = lo; i < hi; i++) {
		if (s->probes[i].tech == PM_SCAN_SYN && s->probes[i].state == PM_SCAN_OPEN) {
			return;
		}
		connect |= s->probes[i].tech == PM_SCAN_CONNECT;
	}
	for (size_t i = lo; connect && i < hi; i++) {
		if (s->probes[i].tech == PM_SCAN_SYN) {
			s->probes[i].tech = PM_SCAN_CONNECT;
		}
	}
}

/* Distinct hosts, ports, targets and open targets of one source; links repeats. */
static bool
count_source(struct pm_scan *s, struct pm_scan_src *src, uint32_t *idx, uint16_t *ports)
{
	size_t n = src->hi - src->lo, np = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pm_scan_probe *p = &s->probes[src->lo + i];
		idx[i] = (uint32_t)(src->lo + i);
		if (!is_icmp(p)) {
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
		bool same = i > 0 && cmp_target(&s->probes[idx[i - 1]], p) == 0;
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

static bool
gather(struct pm_scan *s, const struct pm_flows *f)
{
	size_t cap = 0, pos = 0;
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
		s->probes[s->n_probes++] = p;
	}
	return true;
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
	size_t cap = 0;
	for (size_t lo = 0, hi; idx != NULL && ports != NULL && lo < s->n_probes; lo = hi) {
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
		connect_scan(s, lo, hi);
		count_source(s, src, idx, ports);
	}
	if (idx == NULL || ports == NULL) {
		s->approximate = true;
		s->n_srcs = 0;
	}
	free(idx);
	free(ports);
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
	double span = (double)(src->last - src->first) / 1e9;
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
		while (s->probes[r].ts - s->probes[l].ts > window_ns) {
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

static int
cmp_addr(const struct pm_scan_src *a, const struct pm_scan_src *b)
{
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	return memcmp(a->addr, b->addr, 16);
}

static int
cmp_score(const void *x, const void *y)
{
	const struct pm_scan_src *a = *(const struct pm_scan_src *const *)x;
	const struct pm_scan_src *b = *(const struct pm_scan_src *const *)y;
	double sa = pm_scan_score(a), sb = pm_scan_score(b);
	if (sa != sb) {
		return sa > sb ? -1 : 1;
	}
	if (a->targets != b->targets) {
		return a->targets > b->targets ? -1 : 1;
	}
	return cmp_addr(a, b);
}

static int
cmp_targets(const void *x, const void *y)
{
	const struct pm_scan_src *a = *(const struct pm_scan_src *const *)x;
	const struct pm_scan_src *b = *(const struct pm_scan_src *const *)y;
	if (a->targets != b->targets) {
		return a->targets > b->targets ? -1 : 1;
	}
	if (a->pkts != b->pkts) {
		return a->pkts > b->pkts ? -1 : 1;
	}
	return cmp_addr(a, b);
}

static int
select_srcs(const struct pm_scan *s, bool scanners, uint64_t min_ports, double min_rate,
            const struct pm_scan_src ***out, size_t *n)
{
	*n = 0;
	*out = malloc(s->n_srcs * sizeof(**out) + 1);
	if (*out == NULL) {
		return PM_E_NOMEM;
	}
	for (size_t i = 0; i < s->n_srcs; i++) {
		const struct pm_scan_src *src = &s->srcs[i];
		bool in = scanners ? src->is_scanner
		                   : src->targets >= min_ports && pm_scan_rate(src) >= min_rate;
		if (in) {
			(*out)[(*n)++] = src;
		}
	}
	qsort(*out, *n, sizeof(**out), scanners ? cmp_targets : cmp_score);
	return 0;
}

/* see scan.h */
int
pm_scan_suspect_list(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                     const struct pm_scan_src ***out, size_t *n)
{
	return select_srcs(s, false, min_ports != 0 ? min_ports : 1, min_rate, out, n);
}

/* see scan.h */
int
pm_scan_scanner_list(const struct pm_scan *s, const struct pm_scan_src ***out, size_t *n)
{
	return select_srcs(s, true, 0, 0, out, n);
}

/* see scan.h */
void
pm_scan_flags_str(uint16_t flags, char out[48])
{
	static const struct {
		uint16_t bit;
		const char *name;
	} bits[] = { { PM_TCP_SYN, "SYN" }, { PM_TCP_FIN, "FIN" }, { PM_TCP_RST, "RST" },
		     { PM_TCP_PSH, "PSH" }, { PM_TCP_ACK, "ACK" }, { PM_TCP_URG, "URG" } };
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < PM_ARRAY_LEN(bits); i++) {
		if ((flags & bits[i].bit) != 0) {
			n += (size_t)snprintf(out + n, 48 - n, "%s%s", n != 0 ? "," : "",
			                      bits[i].name);
		}
	}
	if (n == 0) {
		snprintf(out, 48, "none");
	}
}

static void
kaddr(struct pm_json *w, const char *k, const uint8_t *addr, uint8_t ipver)
{
	char buf[48];
	pm_addr_str(addr, ipver, buf);
	pm_json_kstr(w, k, buf);
}

static void
ktime(struct pm_json *w, const char *k, int64_t ts)
{
	char buf[40];
	pm_time_iso(ts, buf);
	pm_json_kstr(w, k, buf);
}

/* techniques: [{name, count}] by count descending, then technique order. */
static void
techniques(struct pm_json *w, const struct pm_scan_src *src)
{
	bool done[PM_SCAN_TECH_COUNT] = { false };
	pm_json_key(w, "techniques");
	pm_json_arr_begin(w);
	for (;;) {
		int best = -1;
		for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
			if (!done[t] && src->tech[t] != 0 &&
			    (best < 0 || src->tech[t] > src->tech[best])) {
				best = t;
			}
		}
		if (best < 0) {
			break;
		}
		done[best] = true;
		pm_json_obj_begin(w);
		pm_json_kstr(w, "name", tech_names[best]);
		pm_json_ku64(w, "count", src->tech[best]);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

/* The members every source entry shares. */
static void
src_common(struct pm_json *w, const struct pm_scan_src *src)
{
	kaddr(w, "ip", src->addr, src->ipver);
	pm_json_kstr(w, "kind", pm_scan_kind(src));
	pm_json_ku64(w, "distinct_ports", src->ports);
	pm_json_ku64(w, "distinct_hosts", src->hosts);
	pm_json_ku64(w, "distinct_targets", src->targets);
	pm_json_kdbl(w, "rate_pps", pm_scan_rate(src), 3);
	techniques(w, src);
	ktime(w, "first_seen", src->first);
	ktime(w, "last_seen", src->last);
	pm_json_ku64(w, "open_ports_found", src->open);
}

static void
scanner_obj(struct pm_json *w, const struct pm_scan *s, const struct pm_scan_src *src,
            int64_t window_ns)
{
	pm_json_obj_begin(w);
	src_common(w, src);
	pm_json_ku64(w, "pkts", src->pkts);
	pm_json_key(w, "flag_stats");
	pm_json_obj_begin(w);
	for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
		pm_json_ku64(w, tech_stats[t], src->tech[t]);
	}
	pm_json_obj_end(w);
	pm_json_ku64(w, "max_targets_in_window", pm_scan_window_max(s, src, window_ns));
	pm_json_obj_end(w);
}

/* A probe of a scanner, for the target and port tables. */
struct hit {
	const struct pm_scan_probe *p;
};

static int
cmp_hit_target(const void *x, const void *y)
{
	const struct pm_scan_probe *a = ((const struct hit *)x)->p, *b = ((const struct hit *)y)->p;
	if (a->ipver != b->ipver) {
		return a->ipver < b->ipver ? -1 : 1;
	}
	return cmp_target(a, b);
}

struct row {
	const struct pm_scan_probe *p; /* a probe of the group: dst and port */
	uint64_t a, b;                 /* targets: pkts, ports_hit; ports: hits */
};

static int
cmp_row_target(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->a != b->a) {
		return a->a > b->a ? -1 : 1;
	}
	if (a->p->ipver != b->p->ipver) {
		return a->p->ipver < b->p->ipver ? -1 : 1;
	}
	return memcmp(a->p->dst, b->p->dst, 16);
}

static int
cmp_row_port(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->a != b->a) {
		return a->a > b->a ? -1 : 1;
	}
	return (a->p->port > b->p->port) - (a->p->port < b->p->port);
}

static int
cmp_hit_port(const void *x, const void *y)
{
	const struct pm_scan_probe *a = ((const struct hit *)x)->p, *b = ((const struct hit *)y)->p;
	return (a->port > b->port) - (a->port < b->port);
}

/* targets: probed hosts by probe packets; port_distribution: TCP/UDP ports by probes. */
static int
tables(struct pm_json *w, const struct pm_scan *s, uint64_t top_k)
{
	struct hit *h = malloc(s->n_probes * sizeof(*h) + 1);
	struct row *r = malloc(s->n_probes * sizeof(*r) + 1);
	if (h == NULL || r == NULL) {
		free(h);
		free(r);
		return PM_E_NOMEM;
	}
	size_t n = 0, nr = 0;
	for (size_t i = 0; i < s->n_srcs; i++) {
		for (size_t j = s->srcs[i].lo; s->srcs[i].is_scanner && j < s->srcs[i].hi; j++) {
			h[n++].p = &s->probes[j];
		}
	}
	qsort(h, n, sizeof(*h), cmp_hit_target);
	for (size_t i = 0; i < n; i++) {
		const struct pm_scan_probe *p = h[i].p, *q = i > 0 ? h[i - 1].p : NULL;
		if (q == NULL || q->ipver != p->ipver || memcmp(q->dst, p->dst, 16) != 0) {
			r[nr++] = (struct row){ p, 0, 0 };
		}
		r[nr - 1].a += p->pkts;
		r[nr - 1].b += !is_icmp(p) && (q == NULL || cmp_hit_target(&h[i - 1], &h[i]) != 0);
	}
	qsort(r, nr, sizeof(*r), cmp_row_target);
	pm_json_key(w, "targets");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < nr && i < top_k; i++) {
		pm_json_obj_begin(w);
		kaddr(w, "ip", r[i].p->dst, r[i].p->ipver);
		pm_json_ku64(w, "pkts", r[i].a);
		pm_json_ku64(w, "ports_hit", r[i].b);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "targets", nr, top_k, 0);

	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_icmp(h[i].p)) {
			h[m++] = h[i];
		}
	}
	qsort(h, m, sizeof(*h), cmp_hit_port);
	nr = 0;
	for (size_t i = 0; i < m; i++) {
		if (i == 0 || h[i - 1].p->port != h[i].p->port) {
			r[nr++] = (struct row){ h[i].p, 0, 0 };
		}
		r[nr - 1].a++;
	}
	qsort(r, nr, sizeof(*r), cmp_row_port);
	pm_json_key(w, "port_distribution");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < nr && i < top_k; i++) {
		pm_json_obj_begin(w);
		pm_json_ku64(w, "port", r[i].p->port);
		pm_json_ku64(w, "hits", r[i].a);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "port_distribution", nr, top_k, 0);
	free(h);
	free(r);
	return 0;
}

/* see scan.h */
int
pm_scan_overview(const struct pm_scan *s, const struct pm_scan_file *fi, double window_s,
                 uint64_t top_k, struct pm_json *w)
{
	const struct pm_scan_src **v;
	size_t n;
	if (pm_scan_scanner_list(s, &v, &n) != 0) {
		return PM_E_NOMEM;
	}
	int64_t window_ns = (int64_t)(window_s * 1e9);
	pm_json_key(w, "overview");
	pm_json_obj_begin(w);
	pm_json_kstr(w, "file", fi->file);
	pm_json_ku64(w, "total_pkts", fi->total_pkts);
	pm_json_kdbl(w, "interval_s", fi->interval_s, 6);
	pm_json_key(w, "scanners");
	pm_json_arr_begin(w);
	uint64_t used[PM_SCAN_TECH_COUNT] = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (i < top_k) {
			scanner_obj(w, s, v[i], window_ns);
		}
		for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
			used[t] += v[i]->tech[t];
		}
	}
	pm_json_arr_end(w);
	pm_json_page(w, "scanners", n, top_k, 0);
	free(v);
	int rc = tables(w, s, top_k);
	pm_json_key(w, "suspected_patterns");
	pm_json_arr_begin(w);
	for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
		if (used[t] != 0) {
			pm_json_str(w, tech_patterns[t]);
		}
	}
	pm_json_arr_end(w);
	pm_json_key(w, "thresholds");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "scanner_min_targets", PM_SCAN_MIN_TARGETS);
	pm_json_ku64(w, "kind_few", PM_SCAN_FEW);
	pm_json_kdbl(w, "time_window_s", window_s, 6);
	pm_json_obj_end(w);
	pm_json_kbool(w, "approximate", s->approximate);
	pm_json_obj_end(w);
	return rc;
}

/* see scan.h */
int
pm_scan_suspects(const struct pm_scan *s, uint64_t min_ports, double min_rate, struct pm_json *w)
{
	const struct pm_scan_src **v;
	size_t n;
	if (pm_scan_suspect_list(s, min_ports, min_rate, &v, &n) != 0) {
		return PM_E_NOMEM;
	}
	pm_json_key(w, "suspects");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		pm_json_obj_begin(w);
		src_common(w, v[i]);
		pm_json_key(w, "flags_seen");
		pm_json_arr_begin(w);
		for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
			if (v[i]->tech[t] != 0) {
				pm_json_str(w, tech_stats[t]);
			}
		}
		pm_json_arr_end(w);
		pm_json_ku64(w, "pkts", v[i]->pkts);
		pm_json_kdbl(w, "score", pm_scan_score(v[i]), 3);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "suspects", n, n, 0);
	free(v);
	pm_json_key(w, "thresholds");
	pm_json_obj_begin(w);
	pm_json_ku64(w, "min_ports", min_ports);
	pm_json_kdbl(w, "min_rate_pps", min_rate, 6);
	pm_json_ku64(w, "kind_few", PM_SCAN_FEW);
	pm_json_obj_end(w);
	pm_json_kbool(w, "approximate", s->approximate);
	return 0;
}

/* see scan.h */
void
pm_scan_first_event(const struct pm_scan *s, struct pm_json *w)
{
	const struct pm_scan_probe *p = pm_scan_first(s);
	pm_json_key(w, "first_event");
	if (p == NULL) {
		pm_json_null(w);
		return;
	}
	char flags[48], pn[8];
	pm_json_obj_begin(w);
	ktime(w, "ts", p->ts);
	kaddr(w, "src", p->src, p->ipver);
	kaddr(w, "dst", p->dst, p->ipver);
	pm_json_key(w, "port");
	if (is_icmp(p)) {
		pm_json_null(w);
	} else {
		pm_json_u64(w, p->port);
	}
	pm_json_key(w, "flags");
	if (p->proto == PM_IPPROTO_TCP) {
		pm_scan_flags_str(p->flags, flags);
		pm_json_str(w, flags);
	} else {
		pm_json_null(w);
	}
	pm_json_kstr(w, "technique", tech_names[p->tech]);
	snprintf(pn, sizeof(pn), "%s",
	         p->proto == PM_IPPROTO_TCP    ? "TCP"
	         : p->proto == PM_IPPROTO_UDP  ? "UDP"
	         : p->proto == PM_IPPROTO_ICMP ? "ICMP"
	                                       : "ICMPv6");
	pm_json_kstr(w, "protocol", pn);
	pm_json_kstr(w, "state", state_name(p->state));
	pm_json_obj_end(w);
}
