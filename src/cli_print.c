/* SPDX-License-Identifier: MIT */
/*
 * cli_print.c - the CLI's tables, printed from tool results (parsed JSON
 * trees), never from an analysis. Column layouts are the ones the text
 * goldens in tests/expected pin down. Does not decide what a result holds:
 * the registry's tools do, and a hook only lays their members out.
 */
#include "cli_print.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonparse.h"
#include "pm.h"

/* Member k of o as an unsigned count; 0 when absent, null or negative. */
static unsigned long long
u64_of(const struct pm_jv *o, const char *k)
{
	const struct pm_jv *v = pm_jv_get(o, k);
	int64_t i;
	double d;
	if (pm_jv_int(v, &i)) {
		return i > 0 ? (unsigned long long)i : 0;
	}
	return pm_jv_num(v, &d) && d > 0 ? (unsigned long long)d : 0;
}

/* Member k of o as a number; 0 when absent or null. */
static double
dbl_of(const struct pm_jv *o, const char *k)
{
	double d;
	return pm_jv_num(pm_jv_get(o, k), &d) ? d : 0;
}

/* Member k of o as a string; dflt when absent, null or not a string. */
static const char *
str_of(const struct pm_jv *o, const char *k, const char *dflt)
{
	const char *s = pm_jv_str(pm_jv_get(o, k));
	return s != NULL ? s : dflt;
}

static bool
bool_of(const struct pm_jv *o, const char *k)
{
	bool b = false;
	return pm_jv_bool(pm_jv_get(o, k), &b) && b;
}

/* Items of the array member k of o (0 when absent); *items points at them. */
static size_t
arr_of(const struct pm_jv *o, const char *k, const struct pm_jv **items)
{
	const struct pm_jv *v = pm_jv_get(o, k);
	*items = pm_jv_is(v, PM_JV_ARR) ? v->items : NULL;
	return *items != NULL ? v->len : 0;
}

/* The total of the list k: its k_page.total. */
static unsigned long long
page_total(const struct pm_jv *o, const char *k)
{
	char key[64];
	snprintf(key, sizeof(key), "%s_page", k);
	return u64_of(pm_jv_get(o, key), "total");
}

static void
print_size(const char *label, unsigned long long bytes)
{
	static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < PM_ARRAY_LEN(unit)) {
		v /= 1000;
		u++;
	}
	if (u == 0) {
		printf("%-22s%llu bytes\n", label, bytes);
	} else {
		printf("%-22s%llu bytes (%.1f %s)\n", label, bytes, v, unit[u]);
	}
}

static void
print_iface(const struct pm_jv *f)
{
	static const struct {
		const char *key;  /* member of "statistics" */
		const char *name; /* as printed */
	} stats[] = { { "if_received", "received" },
		      { "if_dropped", "dropped" },
		      { "filter_accepted", "accepted" },
		      { "os_dropped", "os dropped" },
		      { "user_delivered", "delivered" } };
	const char *lt = str_of(f, "linktype_name", NULL);
	printf("  #%-3llu %-12s %s (linktype %llu%s%s), snaplen %llu, %s, %llu packets\n",
	       u64_of(f, "index"), str_of(f, "name", "-"), str_of(f, "encapsulation", "unknown"),
	       u64_of(f, "linktype"), lt != NULL ? ", " : "", lt != NULL ? lt : "",
	       u64_of(f, "snaplen"), str_of(f, "timestamp_resolution", "-"), u64_of(f, "packets"));
	const struct pm_jv *st = pm_jv_get(f, "statistics");
	if (!pm_jv_is(st, PM_JV_OBJ)) {
		return;
	}
	printf("        statistics:");
	for (size_t k = 0; k < PM_ARRAY_LEN(stats); k++) {
		if (pm_jv_is(pm_jv_get(st, stats[k].key), PM_JV_NUM)) {
			printf(" %s %llu", stats[k].name, u64_of(st, stats[k].key));
		}
	}
	printf("\n");
}

static void
print_layers(const struct pm_jv *layers)
{
	const struct pm_jv *l = pm_jv_get(layers, "link"), *n = pm_jv_get(layers, "network"),
	                   *t = pm_jv_get(layers, "transport");
	printf("%-22sEthernet %llu, VLAN-tagged %llu, SLL %llu, SLL2 %llu, loopback %llu, "
	       "raw IP %llu, unknown %llu\n",
	       "Link layer:", u64_of(l, "ethernet"), u64_of(l, "vlan_tagged"),
	       u64_of(l, "linux_sll"), u64_of(l, "linux_sll2"), u64_of(l, "loopback"),
	       u64_of(l, "raw_ip"), u64_of(l, "unknown_linktype"));
	printf("%-22sIPv4 %llu, IPv6 %llu, fragments %llu, ARP %llu, other %llu\n",
	       "Network:", u64_of(n, "ipv4"), u64_of(n, "ipv6"), u64_of(n, "fragments"),
	       u64_of(n, "arp"), u64_of(n, "other"));
	printf("%-22sTCP %llu, UDP %llu, ICMP %llu, ICMPv6 %llu, other %llu\n",
	       "Transport:", u64_of(t, "tcp"), u64_of(t, "udp"), u64_of(t, "icmp"),
	       u64_of(t, "icmpv6"), u64_of(t, "other"));
}

static void
print_info_warnings(const struct pm_jv *r)
{
	const struct pm_jv *w;
	size_t n = arr_of(r, "warnings", &w);
	for (size_t i = 0; i < n; i++) {
		const char *code = str_of(&w[i], "code", "");
		if (strcmp(code, "capture_damaged") == 0) {
			printf("%-22scapture_damaged at byte %llu: %s\n",
			       "Warning:", u64_of(&w[i], "offset"), str_of(&w[i], "message", ""));
		} else if (strcmp(code, "out_of_order") == 0) {
			printf("%-22s%llu packets are out of time order\n",
			       "Warning:", u64_of(&w[i], "packets"));
		} else if (strcmp(code, "bad_tsresol") == 0) {
			printf("%-22sbad_tsresol: %s\n", "Warning:", str_of(&w[i], "message", ""));
		}
	}
}

/* see cli_print.h */
void
pm_cli_print_info(const struct pm_jv *r, const char *file)
{
	const char *t0 = str_of(r, "first_packet_time", "n/a"),
	           *t1 = str_of(r, "last_packet_time", "n/a");
	const struct pm_jv *items;
	printf("%-22s%s\n", "File name:", str_of(r, "path", file));
	printf("%-22s%s (version %s, %s)\n", "File type:", str_of(r, "format", "-"),
	       str_of(r, "format_version", "-"), str_of(r, "byte_order", "-"));
	printf("%-22s%s\n", "File encapsulation:", str_of(r, "file_encapsulation", "-"));
	print_size("File size:", u64_of(r, "file_size_bytes"));
	printf("%-22s%llu\n", "Packets:", u64_of(r, "packet_count"));
	print_size("Data size:", u64_of(r, "data_size_bytes"));
	print_size("Data on the wire:", u64_of(r, "wire_size_bytes"));
	printf("%-22s%llu\n", "Truncated packets:", u64_of(r, "truncated_packets"));
	printf("%-22s%s\n", "First packet time:", t0);
	printf("%-22s%s\n", "Last packet time:", t1);
	/*
	 * The rates are rounded to 3 decimals in the result; rounding those again
	 * to 2 or 0 can move the last digit, so they come from the exact counts.
	 */
	double dur = dbl_of(r, "capture_duration_seconds");
	double pkts = (double)u64_of(r, "packet_count"),
	       bytes = (double)u64_of(r, "data_size_bytes");
	printf("%-22s%.6f seconds\n", "Capture duration:", dur);
	printf("%-22s%.0f bytes/s\n", "Data byte rate:", dur > 0 ? bytes / dur : 0);
	printf("%-22s%.0f bits/s\n", "Data bit rate:", dur > 0 ? bytes / dur * 8 : 0);
	printf("%-22s%.2f bytes\n", "Average packet size:", pkts != 0 ? bytes / pkts : 0);
	printf("%-22s%.2f packets/s\n", "Average packet rate:", dur > 0 ? pkts / dur : 0);
	printf("%-22s%zu\n", "Sections:", arr_of(r, "sections", &items));
	printf("%-22s%llu\n", "Interfaces:", page_total(r, "interfaces"));
	size_t n = arr_of(r, "interfaces", &items);
	for (size_t i = 0; i < n; i++) {
		print_iface(&items[i]);
	}
	if (page_total(r, "name_resolution") != 0) {
		printf("%-22s%llu\n", "Name records:", page_total(r, "name_resolution"));
	}
	print_layers(pm_jv_get(r, "layers"));
	print_info_warnings(r);
}

/* "client:port -> server:port" (ports only for TCP and UDP; IPv6 in brackets). */
static void
endpoints(const struct pm_jv *f, char out[160])
{
	char c[72], s[72];
	const char *ca = str_of(f, "client", "-"), *sa = str_of(f, "server", "-");
	bool ported = pm_jv_is(pm_jv_get(f, "client_port"), PM_JV_NUM);
	if (ported) {
		bool c6 = strchr(ca, ':') != NULL, s6 = strchr(sa, ':') != NULL;
		snprintf(c, sizeof(c), "%s%s%s:%llu", c6 ? "[" : "", ca, c6 ? "]" : "",
		         u64_of(f, "client_port"));
		snprintf(s, sizeof(s), "%s%s%s:%llu", s6 ? "[" : "", sa, s6 ? "]" : "",
		         u64_of(f, "server_port"));
	} else {
		snprintf(c, sizeof(c), "%s", ca);
		snprintf(s, sizeof(s), "%s", sa);
	}
	snprintf(out, 160, "%s -> %s", c, s);
}

static void
print_flow_head(void)
{
	printf("  %-6s %-46s %-10s %-11s %8s %8s %10s %10s %10s\n", "PROTO", "CLIENT -> SERVER",
	       "LABEL", "STATE", "PKTS C>S", "PKTS S>C", "BYTES C>S", "BYTES S>C", "SECONDS");
}

static void
print_flow_row(const struct pm_jv *f)
{
	char ends[160];
	endpoints(f, ends);
	printf("  %-6s %-46s %-10s %-11s %8llu %8llu %10llu %10llu %10.3f\n",
	       str_of(f, "protocol", "-"), ends, str_of(f, "label", "-"), str_of(f, "state", "-"),
	       u64_of(f, "packets_c2s"), u64_of(f, "packets_s2c"), u64_of(f, "bytes_c2s"),
	       u64_of(f, "bytes_s2c"), dbl_of(f, "duration_seconds"));
}

static void
print_protocols(const struct pm_jv *r)
{
	const struct pm_jv *p;
	size_t n = arr_of(r, "protocols", &p);
	unsigned long long total = u64_of(r, "total_packets");
	printf("\nProtocols\n  %-24s %10s %14s %8s\n", "NAME", "PACKETS", "BYTES", "PERCENT");
	for (size_t i = 0; i < n; i++) {
		unsigned long long pk = u64_of(&p[i], "packets");
		double pct = total != 0 ? 100.0 * (double)pk / (double)total : 0;
		printf("  %-24s %10llu %14llu %7.2f%%\n", str_of(&p[i], "name", "-"), pk,
		       u64_of(&p[i], "bytes"), pct);
	}
}

static void
print_talkers(const struct pm_jv *r)
{
	const struct pm_jv *h, *nm;
	size_t n = arr_of(r, "top_talkers", &h);
	/* The names column only when DNS answers named one of them. */
	bool names = false;
	for (size_t i = 0; i < n; i++) {
		names |= arr_of(&h[i], "names", &nm) != 0;
	}
	printf("\nTop talkers (%zu of %llu hosts, by bytes)\n  %-39s %9s %9s %12s %12s %6s %6s%s\n",
	       n, page_total(r, "top_talkers"), "IP", "PKTS OUT", "PKTS IN", "BYTES OUT",
	       "BYTES IN", "FLOWS", "PEERS", names ? "  NAMES (DNS)" : "");
	for (size_t i = 0; i < n; i++) {
		printf("  %-39s %9llu %9llu %12llu %12llu %6llu %6llu", str_of(&h[i], "ip", "-"),
		       u64_of(&h[i], "packets_sent"), u64_of(&h[i], "packets_received"),
		       u64_of(&h[i], "bytes_sent"), u64_of(&h[i], "bytes_received"),
		       u64_of(&h[i], "flows"), u64_of(&h[i], "peers"));
		size_t nn = arr_of(&h[i], "names", &nm);
		for (size_t j = 0; j < nn; j++) {
			const char *s = pm_jv_str(&nm[j]);
			printf("%s%s", j == 0 ? "  " : ", ", s != NULL ? s : "-");
		}
		printf(names && nn == 0 ? "  -\n" : "\n");
	}
}

static void
print_ports(const struct pm_jv *r)
{
	const struct pm_jv *p;
	size_t n = arr_of(r, "top_ports", &p);
	printf("\nTop server ports (%zu of %llu, by packets)\n  %-6s %6s %-10s %10s %14s %7s %8s\n",
	       n, page_total(r, "top_ports"), "PROTO", "PORT", "LABEL", "PACKETS", "BYTES", "FLOWS",
	       "CLIENTS");
	for (size_t i = 0; i < n; i++) {
		printf("  %-6s %6llu %-10s %10llu %14llu %7llu %8llu\n",
		       str_of(&p[i], "protocol", "-"), u64_of(&p[i], "port"),
		       str_of(&p[i], "label", "-"), u64_of(&p[i], "packets"),
		       u64_of(&p[i], "bytes"), u64_of(&p[i], "flows"), u64_of(&p[i], "clients"));
	}
}

static void
print_top_flows(const struct pm_jv *r)
{
	const struct pm_jv *f;
	size_t n = arr_of(r, "top_flows", &f);
	printf("\nTop flows (%zu of %llu, by bytes)\n", n, page_total(r, "top_flows"));
	print_flow_head();
	for (size_t i = 0; i < n; i++) {
		print_flow_row(&f[i]);
	}
}

static void
print_tcp_health(const struct pm_jv *h)
{
	static const char *const states[] = { "established", "closed",    "reset",
		                              "failed",      "half_open", "active" };
	printf("\nTCP health\n");
	printf("  connections %llu, handshakes completed %llu, SYN without answer %llu\n",
	       u64_of(h, "connections"), u64_of(h, "handshakes_completed"),
	       u64_of(h, "syn_without_answer"));
	printf("  states:");
	for (size_t s = 0; s < PM_ARRAY_LEN(states); s++) {
		printf(" %s %llu%s", states[s], u64_of(h, states[s]),
		       s + 1 < PM_ARRAY_LEN(states) ? "," : "\n");
	}
	/* The rate the result gives: over segments that occupy sequence space. */
	printf("  RST packets %llu, retransmissions %llu of %llu segments (%.2f%%), "
	       "out of order %llu, zero window %llu, joined mid-handshake %llu\n",
	       u64_of(h, "rst_packets"), u64_of(h, "retransmissions"),
	       u64_of(h, "sequence_segments"), 100.0 * dbl_of(h, "retransmission_rate"),
	       u64_of(h, "out_of_order"), u64_of(h, "zero_window"),
	       u64_of(h, "joined_mid_handshake"));
}

/* see cli_print.h */
void
pm_cli_print_summary(const struct pm_jv *r, const char *file)
{
	const struct pm_jv *fc = pm_jv_get(r, "flow_count");
	printf("%-22s%s\n", "File name:", file);
	printf("%-22s%llu\n", "Packets:", u64_of(r, "total_packets"));
	print_size("Bytes on the wire:", u64_of(r, "total_bytes"));
	printf("%-22s%.6f seconds\n", "Duration:", dbl_of(r, "duration_seconds"));
	printf("%-22s%llu (TCP %llu, UDP %llu, ICMP %llu, other %llu)\n",
	       "Flows:", u64_of(fc, "total"), u64_of(fc, "tcp"), u64_of(fc, "udp"),
	       u64_of(fc, "icmp"), u64_of(fc, "other"));
	if (bool_of(r, "approximate")) {
		printf("%-22stables were full: %llu packets not tracked; counts are lower bounds\n",
		       "Warning:", u64_of(r, "dropped_packets"));
	}
	print_protocols(r);
	print_talkers(r);
	print_ports(r);
	print_top_flows(r);
	print_tcp_health(pm_jv_get(r, "tcp_health"));
}

/* see cli_print.h */
void
pm_cli_print_flows(const struct pm_jv *r, const char *file)
{
	(void)file;
	const struct pm_jv *f, *t = pm_jv_get(r, "totals");
	size_t n = arr_of(r, "flows", &f);
	unsigned long long first = u64_of(pm_jv_get(r, "flows_page"), "offset");
	printf("%llu flows match, %llu packets, %llu bytes; showing %zu", u64_of(t, "flows"),
	       u64_of(t, "packets"), u64_of(t, "bytes"), n);
	if (n != 0) {
		printf(" (%llu-%llu)\n", first + 1, first + n);
	} else {
		printf("\n");
	}
	print_flow_head();
	for (size_t i = 0; i < n; i++) {
		print_flow_row(&f[i]);
	}
}

/* see cli_print.h */
void
pm_cli_print_connections(const struct pm_jv *r, const char *file)
{
	(void)file;
	const struct pm_jv *c;
	size_t n = arr_of(r, "connections", &c);
	printf("%llu TCP connections; showing %zu\n", page_total(r, "connections"), n);
	printf("  %-46s %-11s %-9s %4s %4s %4s %4s %6s %7s %8s\n", "CLIENT -> SERVER", "STATE",
	       "HANDSHAKE", "SYN", "SYNA", "FIN", "RST", "DATA", "RETRANS", "PACKETS");
	for (size_t i = 0; i < n; i++) {
		char ends[160];
		snprintf(ends, sizeof(ends), "%s -> %s", str_of(&c[i], "client", "-"),
		         str_of(&c[i], "server", "-"));
		printf("  %-46s %-11s %-9s %4llu %4llu %4llu %4llu %6llu %7llu %8llu\n", ends,
		       str_of(&c[i], "state", "-"),
		       bool_of(&c[i], "handshake_completed") ? "yes" : "no",
		       u64_of(&c[i], "syn_count"), u64_of(&c[i], "syn_ack_count"),
		       u64_of(&c[i], "fin_count"), u64_of(&c[i], "rst_count"),
		       u64_of(&c[i], "data_packets"), u64_of(&c[i], "retransmissions"),
		       u64_of(&c[i], "packet_count"));
	}
}

/* The scanner row of the overview with this source address, or NULL. */
static const struct pm_jv *
scanner_by_ip(const struct pm_jv *overview, const char *ip)
{
	const struct pm_jv *s;
	size_t n = arr_of(overview, "scanners", &s);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(str_of(&s[i], "ip", ""), ip) == 0) {
			return &s[i];
		}
	}
	return NULL;
}

/* window: the row that carries max_targets_in_window (suspects do not; see the report). */
static void
print_scanner(const struct pm_jv *s, const struct pm_jv *window)
{
	/*
	 * The column lists techniques in the detector's order (scan.h), not the
	 * result's (by count); names it does not know follow in the result's order.
	 */
	static const char *const order[] = { "syn",    "fin",     "null", "xmas",       "ack",
		                             "maimon", "connect", "udp",  "icmp_sweep", NULL };
	char tech[160], win[24];
	size_t used = 0;
	const struct pm_jv *t;
	size_t nt = arr_of(s, "techniques", &t);
	tech[0] = '\0';
	for (size_t k = 0; k < PM_ARRAY_LEN(order); k++) {
		for (size_t i = 0; i < nt && used < sizeof(tech) - 24; i++) {
			const char *name = str_of(&t[i], "name", "-");
			bool known = false;
			for (size_t j = 0; order[j] != NULL; j++) {
				known = known || strcmp(name, order[j]) == 0;
			}
			if (order[k] != NULL ? strcmp(name, order[k]) != 0 : known) {
				continue;
			}
			used += (size_t)snprintf(tech + used, sizeof(tech) - used, "%s%s:%llu",
			                         used ? "," : "", name, u64_of(&t[i], "count"));
		}
	}
	if (window != NULL) {
		snprintf(win, sizeof(win), "%llu", u64_of(window, "max_targets_in_window"));
	} else {
		snprintf(win, sizeof(win), "-");
	}
	printf("  %-39s %-10s %6llu %6llu %7llu %5llu %8llu %12.1f %7s  %s\n", str_of(s, "ip", "-"),
	       str_of(s, "kind", "-"), u64_of(s, "distinct_hosts"), u64_of(s, "distinct_ports"),
	       u64_of(s, "distinct_targets"), u64_of(s, "open_ports_found"), u64_of(s, "pkts"),
	       dbl_of(s, "rate_pps"), win, tech);
}

static void
print_scanner_head(const char *title, unsigned long long n)
{
	printf("%s: %llu\n", title, n);
	if (n != 0) {
		printf("  %-39s %-10s %6s %6s %7s %5s %8s %12s %7s  %s\n", "SOURCE", "KIND",
		       "HOSTS", "PORTS", "TARGETS", "OPEN", "PKTS", "RATE/S", "WINDOW",
		       "TECHNIQUES");
	}
}

static void
print_first_event(const struct pm_jv *p)
{
	if (!pm_jv_is(p, PM_JV_OBJ)) {
		printf("first scan event: none\n");
		return;
	}
	char port[24] = "-"; /* null for ICMP and IP-protocol probes */
	if (pm_jv_is(pm_jv_get(p, "port"), PM_JV_NUM)) {
		snprintf(port, sizeof(port), "%llu", u64_of(p, "port"));
	}
	printf("first scan event: %s %s -> %s port %s %s (%s)\n", str_of(p, "time", "-"),
	       str_of(p, "src", "-"), str_of(p, "dst", "-"), port, str_of(p, "tcp_flags", "-"),
	       str_of(p, "technique", "-"));
}

/* see cli_print.h */
void
pm_cli_print_scan(const struct pm_jv *r, const char *file)
{
	(void)file;
	const struct pm_jv *ov = pm_jv_get(r, "overview"), *th = pm_jv_get(r, "thresholds");
	const struct pm_jv *s;
	size_t n = arr_of(ov, "scanners", &s);
	print_scanner_head("scanners (>= 10 distinct targets)", page_total(ov, "scanners"));
	for (size_t i = 0; i < n; i++) {
		print_scanner(&s[i], &s[i]);
	}
	/* The overview's top_k bounds both lists, as --top always did. */
	size_t top = n;
	const struct pm_jv *lim = pm_jv_get(pm_jv_get(ov, "scanners_page"), "limit");
	if (pm_jv_is(lim, PM_JV_NUM)) {
		top = (size_t)u64_of(pm_jv_get(ov, "scanners_page"), "limit");
	}
	n = arr_of(r, "suspects", &s);
	char title[128];
	snprintf(title, sizeof(title), "suspects (>= %llu targets, >= %g probe packets/s)",
	         u64_of(th, "min_ports"), dbl_of(th, "min_rate_pps"));
	printf("\n");
	print_scanner_head(title, page_total(r, "suspects"));
	for (size_t i = 0; i < n && i < top; i++) {
		print_scanner(&s[i], scanner_by_ip(ov, str_of(&s[i], "ip", "")));
	}
	printf("\nWINDOW: most distinct targets within %g s\n",
	       dbl_of(pm_jv_get(ov, "thresholds"), "time_window_s"));
	print_first_event(pm_jv_get(r, "first_event"));
	if (bool_of(ov, "approximate")) {
		printf("approximate: the flow table was full; counts are lower bounds\n");
	}
}

/* One scalar or map of counters as "  key: value" or "  key: a=1 b=2"; nested objects skipped. */
static void
print_stat(const char *key, const struct pm_jv *v)
{
	if (pm_jv_is(v, PM_JV_NUM)) {
		printf("  %-32s %s\n", key, v->s);
	} else if (pm_jv_is(v, PM_JV_BOOL)) {
		printf("  %-32s %s\n", key, v->b ? "yes" : "no");
	} else if (pm_jv_is(v, PM_JV_STR)) {
		printf("  %-32s %s\n", key, v->s);
	} else if (pm_jv_is(v, PM_JV_OBJ)) {
		bool counters = v->len > 0;
		for (size_t i = 0; i < v->len; i++) {
			counters = counters && pm_jv_is(&v->members[i].value, PM_JV_NUM);
		}
		if (!counters) {
			return;
		}
		printf("  %-32s", key);
		for (size_t i = 0; i < v->len; i++) {
			printf(" %s=%s", v->members[i].key, v->members[i].value.s);
		}
		printf("\n");
	}
}

/* see cli_print.h */
void
pm_cli_print_proto(const struct pm_jv *r, const char *file)
{
	(void)file;
	for (size_t i = 0; pm_jv_is(r, PM_JV_OBJ) && i < r->len; i++) {
		const char *k = r->members[i].key;
		size_t n = strlen(k);
		if ((n > 6 && strcmp(k + n - 6, "_found") == 0) ||
		    (n > 9 && strcmp(k + n - 9, "_analyzed") == 0) ||
		    strncmp(k, "total_packets", 13) == 0) {
			printf("%-34s %s\n", k, r->members[i].value.s);
		}
	}
	const struct pm_jv *st = pm_jv_get(r, "statistics");
	printf("\nstatistics\n");
	for (size_t i = 0; pm_jv_is(st, PM_JV_OBJ) && i < st->len; i++) {
		print_stat(st->members[i].key, &st->members[i].value);
	}
	const struct pm_jv *f;
	size_t nf = arr_of(r, "findings", &f);
	printf("\nfindings (%zu)\n", nf);
	for (size_t i = 0; i < nf; i++) {
		printf("  %-6s %-28s %s\n", str_of(&f[i], "severity", "-"),
		       str_of(&f[i], "type", "-"), str_of(&f[i], "summary", ""));
	}
	/* The paged lists: packets, handshakes, exchanges, ... (each "<list>_page"). */
	printf("\n");
	for (size_t i = 0; pm_jv_is(r, PM_JV_OBJ) && i < r->len; i++) {
		const char *k = r->members[i].key;
		size_t n = strlen(k);
		if (n > 5 && strcmp(k + n - 5, "_page") == 0) {
			printf("%.*s: %llu in the list (--json lists them)\n", (int)(n - 5), k,
			       u64_of(&r->members[i].value, "total"));
		}
	}
}
