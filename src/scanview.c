/* SPDX-License-Identifier: MIT */
/*
 * scanview.c - PortHunter's three views over the finished scan detector
 * (scan_overview, list_suspects, first_scan_event) and the source lists
 * they and the CLI share. Reads pm_scan only; sorts so output never
 * depends on table order.
 */
#include "scanview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "decode.h"
#include "isotime.h"
#include "json.h"
#include "scan.h"

/* flag_stats keys, in technique order. */
static const char *const tech_stats[PM_SCAN_TECH_COUNT] = {
	"SYN",     "FIN", "NULL", "XMAS",        "ACK",        "MAIMON",
	"CONNECT", "UDP", "ICMP", "IP_PROTOCOL", "TRACEROUTE",
};

static const char *const tech_patterns[PM_SCAN_TECH_COUNT] = {
	"syn_scan",     "fin_scan", "null_scan",  "xmas_scan",        "ack_scan",   "maimon_scan",
	"connect_scan", "udp_scan", "icmp_sweep", "ip_protocol_scan", "traceroute",
};

static const char *
state_name(uint8_t st)
{
	return st == PM_SCAN_OPEN         ? "open"
	       : st == PM_SCAN_CLOSED     ? "closed"
	       : st == PM_SCAN_UNFILTERED ? "unfiltered"
	                                  : "filtered";
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

/* see scanview.h */
int
pm_scan_suspect_list(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                     const struct pm_scan_src ***out, size_t *n)
{
	return select_srcs(s, false, min_ports != 0 ? min_ports : 1, min_rate, out, n);
}

/* see scanview.h */
int
pm_scan_scanner_list(const struct pm_scan *s, const struct pm_scan_src ***out, size_t *n)
{
	return select_srcs(s, true, 0, 0, out, n);
}

/* see scanview.h */
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
		pm_json_kstr(w, "name", pm_scan_tech_name((enum pm_scan_tech)best));
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

/* PortHunter's flag_stats keys, in its order. */
static const struct {
	uint16_t bit;
	const char *name;
} flag_order[] = { { PM_TCP_SYN, "SYN" }, { PM_TCP_FIN, "FIN" }, { PM_TCP_PSH, "PSH" },
	           { PM_TCP_URG, "URG" }, { PM_TCP_RST, "RST" }, { PM_TCP_ACK, "ACK" } };

/* Per flag, the TCP probes of src whose first segment carried it. */
static void
flag_counts(const struct pm_scan *s, const struct pm_scan_src *src,
            uint64_t out[PM_ARRAY_LEN(flag_order)])
{
	for (size_t j = src->lo; j < src->hi && j < s->n_probes; j++) {
		for (size_t f = 0;
		     s->probes[j].proto == PM_IPPROTO_TCP && f < PM_ARRAY_LEN(flag_order); f++) {
			out[f] += (s->probes[j].flags & flag_order[f].bit) != 0;
		}
	}
}

static void
scanner_obj(struct pm_json *w, const struct pm_scan *s, const struct pm_scan_src *src,
            int64_t window_ns)
{
	pm_json_obj_begin(w);
	src_common(w, src);
	pm_json_ku64(w, "pkts", src->pkts);
	uint64_t bits[PM_ARRAY_LEN(flag_order)] = { 0 };
	flag_counts(s, src, bits);
	pm_json_key(w, "flag_stats");
	pm_json_obj_begin(w);
	for (size_t f = 0; f < PM_ARRAY_LEN(flag_order); f++) {
		pm_json_ku64(w, flag_order[f].name, bits[f]);
	}
	pm_json_obj_end(w);
	pm_json_key(w, "technique_stats");
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
	return pm_scan_cmp_target(a, b);
}

struct row {
	const struct pm_scan_probe *p; /* a probe of the group: dst and port */
	uint64_t a, b;                 /* targets: pkts, ports_hit; ports: hits */
	size_t lo, hi;                 /* targets: the group's hits, sorted by port */
};

/* targets[].ports_hit: the distinct ports of the row's hits, at most PM_SCAN_PORTS_HIT_MAX. */
static void
ports_hit(struct pm_json *w, const struct hit *h, const struct row *r)
{
	size_t k = 0;
	pm_json_key(w, "ports_hit");
	pm_json_arr_begin(w);
	for (size_t i = r->lo; i < r->hi && k < PM_SCAN_PORTS_HIT_MAX; i++) {
		const struct pm_scan_probe *p = h[i].p;
		if (!pm_scan_probe_is_icmp(p) && (i == r->lo || h[i - 1].p->port != p->port ||
		                                  pm_scan_probe_is_icmp(h[i - 1].p))) {
			pm_json_u64(w, p->port);
			k++;
		}
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "ports_hit_count", r->b);
}

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

/* Whether a list may take another item: w under max_bytes (0: no cap). */
static bool
fits(const struct pm_json *w, size_t max_bytes)
{
	return max_bytes == 0 || w->len < max_bytes;
}

/* targets: probed hosts by probe packets; port_distribution: TCP/UDP ports by probes. */
static int
tables(struct pm_json *w, const struct pm_scan *s, uint64_t top_k, size_t max_bytes)
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
			r[nr++] = (struct row){ p, 0, 0, i, i };
		}
		r[nr - 1].hi = i + 1;
		r[nr - 1].a += p->pkts;
		r[nr - 1].b += pm_scan_probe_has_port(p) &&
		               (q == NULL || cmp_hit_target(&h[i - 1], &h[i]) != 0);
	}
	qsort(r, nr, sizeof(*r), cmp_row_target);
	pm_json_key(w, "targets");
	pm_json_arr_begin(w);
	size_t shown = 0;
	for (; shown < nr && shown < top_k && fits(w, max_bytes); shown++) {
		pm_json_obj_begin(w);
		kaddr(w, "ip", r[shown].p->dst, r[shown].p->ipver);
		pm_json_ku64(w, "pkts", r[shown].a);
		ports_hit(w, h, &r[shown]);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "targets", nr, shown < nr && shown < top_k ? shown : top_k, 0);

	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (pm_scan_probe_has_port(h[i].p)) {
			h[m++] = h[i];
		}
	}
	qsort(h, m, sizeof(*h), cmp_hit_port);
	nr = 0;
	for (size_t i = 0; i < m; i++) {
		if (i == 0 || h[i - 1].p->port != h[i].p->port) {
			r[nr++] = (struct row){ h[i].p, 0, 0, 0, 0 };
		}
		r[nr - 1].a++;
	}
	qsort(r, nr, sizeof(*r), cmp_row_port);
	pm_json_key(w, "port_distribution");
	pm_json_arr_begin(w);
	shown = 0;
	for (; shown < nr && shown < top_k && fits(w, max_bytes); shown++) {
		pm_json_obj_begin(w);
		pm_json_ku64(w, "port", r[shown].p->port);
		pm_json_ku64(w, "hits", r[shown].a);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "port_distribution", nr, shown < nr && shown < top_k ? shown : top_k, 0);
	free(h);
	free(r);
	return 0;
}

/*
 * traceroutes: the sources whose probes were answered by time exceeded
 * (set aside, never targets), by address: probes, the highest first TTL
 * and the time span.
 */
static void
traceroutes(struct pm_json *w, const struct pm_scan *s)
{
	pm_json_key(w, "traceroutes");
	pm_json_arr_begin(w);
	for (size_t i = 0; i < s->n_srcs; i++) {
		const struct pm_scan_src *src = &s->srcs[i];
		if (src->tech[PM_SCAN_TRACEROUTE] == 0) {
			continue;
		}
		uint8_t ttl = 0;
		int64_t first = INT64_MAX, last = INT64_MIN;
		for (size_t j = src->hi; j < src->aside_hi; j++) {
			const struct pm_scan_probe *p = &s->probes[j];
			if (p->tech != PM_SCAN_TRACEROUTE) {
				continue;
			}
			ttl = p->ttl > ttl ? p->ttl : ttl;
			first = p->ts < first ? p->ts : first;
			last = p->last > last ? p->last : last;
		}
		pm_json_obj_begin(w);
		kaddr(w, "ip", src->addr, src->ipver);
		pm_json_ku64(w, "probes", src->tech[PM_SCAN_TRACEROUTE]);
		pm_json_ku64(w, "max_ttl", ttl);
		ktime(w, "first_seen", first);
		ktime(w, "last_seen", last);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
}

/* see scanview.h */
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
	pm_json_kstr(w, "path", fi->path != NULL ? fi->path : fi->file);
	pm_json_ku64(w, "total_pkts", fi->total_pkts);
	pm_json_kdbl(w, "interval_s", fi->interval_s, 6);
	pm_json_key(w, "scanners");
	pm_json_arr_begin(w);
	uint64_t used[PM_SCAN_TECH_COUNT] = { 0 };
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (i < top_k && shown == i && fits(w, fi->max_bytes)) {
			scanner_obj(w, s, v[i], window_ns);
			shown++;
		}
		for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
			used[t] += v[i]->tech[t];
		}
	}
	pm_json_arr_end(w);
	pm_json_page(w, "scanners", n, shown < n && shown < top_k ? shown : top_k, 0);
	free(v);
	int rc = tables(w, s, top_k, fi->max_bytes);
	pm_json_key(w, "suspected_patterns");
	pm_json_arr_begin(w);
	for (int t = 0; t < PM_SCAN_TECH_COUNT; t++) {
		if (used[t] != 0) {
			pm_json_str(w, tech_patterns[t]);
		}
	}
	pm_json_arr_end(w);
	traceroutes(w, s);
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

/* see scanview.h */
int
pm_scan_suspects(const struct pm_scan *s, uint64_t min_ports, double min_rate, struct pm_json *w)
{
	return pm_scan_suspects_capped(s, min_ports, min_rate, 0, w);
}

/* see scanview.h */
int
pm_scan_suspects_capped(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                        size_t max_bytes, struct pm_json *w)
{
	const struct pm_scan_src **v;
	size_t n, i = 0;
	if (pm_scan_suspect_list(s, min_ports, min_rate, &v, &n) != 0) {
		return PM_E_NOMEM;
	}
	pm_json_key(w, "suspects");
	pm_json_arr_begin(w);
	for (; i < n && fits(w, max_bytes); i++) {
		uint64_t bits[PM_ARRAY_LEN(flag_order)] = { 0 };
		flag_counts(s, v[i], bits);
		pm_json_obj_begin(w);
		src_common(w, v[i]);
		pm_json_key(w, "flags_seen");
		pm_json_arr_begin(w);
		for (size_t f = 0; f < PM_ARRAY_LEN(flag_order); f++) {
			if (bits[f] != 0) {
				pm_json_str(w, flag_order[f].name);
			}
		}
		pm_json_arr_end(w);
		pm_json_ku64(w, "pkts", v[i]->pkts);
		pm_json_kdbl(w, "score", pm_scan_score(v[i]), 3);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "suspects", n, i, 0);
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

/* see scanview.h */
void
pm_scan_first_event(const struct pm_scan *s, struct pm_json *w)
{
	const struct pm_scan_probe *p = pm_scan_first(s);
	pm_json_key(w, "first_event");
	if (p == NULL) {
		pm_json_null(w);
		return;
	}
	char flags[48], pn[8], ts[40], letters[12];
	pm_json_obj_begin(w);
	pm_scan_ts_porthunter(p->ts, ts);
	pm_json_kstr(w, "ts", ts);
	kaddr(w, "src", p->src, p->ipver);
	kaddr(w, "dst", p->dst, p->ipver);
	pm_json_key(w, "port");
	if (!pm_scan_probe_has_port(p)) {
		pm_json_null(w);
	} else {
		pm_json_u64(w, p->port);
	}
	bool tcp = p->proto == PM_IPPROTO_TCP;
	pm_scan_flag_letters(p->flags, letters);
	pm_scan_flags_str(p->flags, flags);
	pm_json_kstr(w, "flags", tcp ? letters : NULL);
	ktime(w, "time", p->ts);
	pm_json_kstr(w, "tcp_flags", tcp ? flags : NULL);
	pm_json_kstr(w, "technique", pm_scan_tech_name((enum pm_scan_tech)p->tech));
	if (p->proto == PM_IPPROTO_TCP || p->proto == PM_IPPROTO_UDP ||
	    p->proto == PM_IPPROTO_ICMP || p->proto == PM_IPPROTO_ICMPV6) {
		snprintf(pn, sizeof(pn), "%s",
		         p->proto == PM_IPPROTO_TCP    ? "TCP"
		         : p->proto == PM_IPPROTO_UDP  ? "UDP"
		         : p->proto == PM_IPPROTO_ICMP ? "ICMP"
		                                       : "ICMPv6");
	} else {
		snprintf(pn, sizeof(pn), "IP %u", p->proto);
	}
	pm_json_kstr(w, "protocol", pn);
	pm_json_kstr(w, "state", state_name(p->state));
	pm_json_obj_end(w);
}

/* see scanview.h */
void
pm_scan_flag_letters(uint16_t flags, char out[12])
{
	static const struct {
		uint16_t bit;
		char c;
	} order[] = { { PM_TCP_FIN, 'F' }, { PM_TCP_SYN, 'S' }, { PM_TCP_RST, 'R' },
		      { PM_TCP_PSH, 'P' }, { PM_TCP_ACK, 'A' }, { PM_TCP_URG, 'U' },
		      { PM_TCP_ECE, 'E' }, { PM_TCP_CWR, 'W' } };
	size_t n = 0;
	for (size_t i = 0; i < PM_ARRAY_LEN(order); i++) {
		if ((flags & order[i].bit) != 0) {
			out[n++] = order[i].c;
		}
	}
	out[n] = '\0';
}

/* see scanview.h */
void
pm_scan_ts_porthunter(int64_t ts_ns, char out[40])
{
	char full[40];
	pm_time_iso(ts_ns, full);
	char *dot = strchr(full, '.');
	/* "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ": keep microseconds, or none for a whole second. */
	if (dot != NULL && strlen(dot) == 11) {
		bool whole = strncmp(dot + 1, "000000000", 9) == 0;
		snprintf(out, 40, "%.*s%s%.*sZ", (int)(dot - full), full, whole ? "" : ".",
		         whole ? 0 : 6, dot + 1);
	} else {
		snprintf(out, 40, "%s", full);
	}
}
