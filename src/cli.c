/* SPDX-License-Identifier: MIT */
/*
 * cli.c - subcommands, option parsing, human-readable output and exit codes.
 * The only place (with mcp.c) that turns errors into words.
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "arena.h"
#include "cache.h"
#include "decode.h"
#include "flowview.h"
#include "json.h"
#include "jsonparse.h"
#include "mcp.h"
#include "sandbox.h"
#include "scan.h"
#include "summary.h"
#include "tcpview.h"
#include "tools.h"

/* Options that take a value; a verb names the ones it accepts. */
enum {
	OPT_TOP = 1 << 0,
	OPT_LIMIT = 1 << 1,
	OPT_OFFSET = 1 << 2,
	OPT_PORT = 1 << 3,
	OPT_IP = 1 << 4,
	OPT_PROTO = 1 << 5,
	OPT_SORT = 1 << 6,
	OPT_VIEW = 1 << 7,
	OPT_SERVER_IP = 1 << 8,
	OPT_SERVER_PORT = 1 << 9,
	OPT_THRESHOLD = 1 << 10,
	OPT_WINDOW = 1 << 11,
	OPT_MIN_PORTS = 1 << 12,
	OPT_MIN_RATE = 1 << 13,
};

static const struct {
	const char *name; /* without the leading "--" */
	unsigned bit;
} value_opts[] = {
	{ "top", OPT_TOP },
	{ "limit", OPT_LIMIT },
	{ "offset", OPT_OFFSET },
	{ "port", OPT_PORT },
	{ "ip", OPT_IP },
	{ "proto", OPT_PROTO },
	{ "sort", OPT_SORT },
	{ "view", OPT_VIEW },
	{ "server-ip", OPT_SERVER_IP },
	{ "server-port", OPT_SERVER_PORT },
	{ "threshold", OPT_THRESHOLD },
	{ "window", OPT_WINDOW },
	{ "min-ports", OPT_MIN_PORTS },
	{ "min-rate", OPT_MIN_RATE },
};

struct opts {
	bool json;
	enum pm_io io;
	const char *file;
	const char *view;       /* tcp: connections, anomalies, retransmissions, flow */
	struct pm_view_args va; /* view arguments; strings point into argv */
	double window_s;        /* scan: time_window_s */
	double min_rate;        /* scan: min_rate_pps */
	long long min_ports;    /* scan: min_ports */
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: pcapmcp <verb> [options]\n"
	        "\n"
	        "verbs:\n"
	        "  info FILE [--json] [--io=mmap|read]   capture facts (capinfos-style);\n"
	        "                                       FILE may be - for stdin\n"
	        "  summary FILE [--json] [--top N]      totals, protocols, top talkers, ports,\n"
	        "                                       flows, TCP health, timeline\n"
	        "  flows FILE (--port N | --ip ADDR | --proto NAME) [--sort bytes|packets|start]\n"
	        "        [--limit N] [--offset N] [--json]   matching flows\n"
	        "  tcp FILE [--view connections|anomalies|retransmissions|flow] [--server-ip IP]\n"
	        "        [--server-port N] [--threshold F] [--limit N] [--offset N] [--json]\n"
	        "                                       TCP connections and their health\n"
	        "  scan FILE [--window S] [--min-ports N] [--min-rate R] [--top K] [--json]\n"
	        "                                       port scanners, suspects, first probe\n"
	        "  serve [--tools LIST]                 MCP server over stdio (see README)\n"
	        "  call TOOL [JSON]                     run any MCP tool with JSON arguments and\n"
	        "                                       print its result (see pcapmcp tools)\n"
	        "  tools                                list the tools\n"
	        "  version                              print the version\n"
	        "  help                                 this text\n"
	        "\n"
	        "exit codes: 0 ok (warnings included), 1 internal failure, 2 usage or unreadable "
	        "file\n");
}

/* Parse an integer in [lo, hi]; false when s is not one. */
static bool
parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		return false;
	}
	*out = v;
	return true;
}

/* Store one option value; false when it is not valid for the option. */
static bool
set_value(struct opts *o, unsigned bit, const char *val)
{
	struct pm_view_args *v = &o->va;
	long long n = 0;
	char *end;
	switch (bit) {
	case OPT_IP:
		v->ip = val;
		return true;
	case OPT_SERVER_IP:
		v->server_ip = val;
		return true;
	case OPT_PROTO:
		v->protocol = val;
		return true;
	case OPT_VIEW:
		o->view = val;
		return true;
	case OPT_SORT:
		return pm_view_sort_parse(val, &v->sort);
	case OPT_THRESHOLD:
		v->threshold = strtod(val, &end);
		return end != val && *end == '\0' && v->threshold >= 0 && v->threshold <= 1;
	case OPT_WINDOW:
		o->window_s = strtod(val, &end);
		return end != val && *end == '\0' && o->window_s > 0 && o->window_s <= 31536000;
	case OPT_MIN_RATE:
		o->min_rate = strtod(val, &end);
		return end != val && *end == '\0' && o->min_rate >= 0 && o->min_rate <= 1e12;
	case OPT_MIN_PORTS:
		return parse_int(val, 1, 1000000000, &o->min_ports);
	case OPT_PORT:
	case OPT_SERVER_PORT:
		if (!parse_int(val, 0, 65535, &n)) {
			return false;
		}
		*(bit == OPT_PORT ? &v->port : &v->server_port) = (int32_t)n;
		return true;
	default:
		if (!parse_int(val, bit == OPT_TOP ? 1 : 0, INT64_MAX, &n)) {
			return false;
		}
		*(bit == OPT_TOP ? &v->top : bit == OPT_LIMIT ? &v->limit : &v->offset) = n;
		if (bit == OPT_LIMIT) {
			v->budget = 0; /* an explicit limit is honoured in full */
		}
		return true;
	}
}

/* An option that takes a value: --name=value or --name value. */
static int
parse_value_opt(int argc, char **argv, int *i, unsigned allowed, struct opts *o)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t len = eq != NULL ? (size_t)(eq - a) : strlen(a);
	for (size_t j = 0; j < PM_ARRAY_LEN(value_opts); j++) {
		if ((allowed & value_opts[j].bit) == 0 || strlen(value_opts[j].name) != len ||
		    strncmp(a, value_opts[j].name, len) != 0) {
			continue;
		}
		if (eq == NULL && *i + 1 >= argc) {
			fprintf(stderr, "pcapmcp: --%s needs a value\n", value_opts[j].name);
			return PM_EXIT_USAGE;
		}
		const char *val = eq != NULL ? eq + 1 : argv[++*i];
		if (!set_value(o, value_opts[j].bit, val)) {
			fprintf(stderr, "pcapmcp: invalid value '%s' for --%s\n", val,
			        value_opts[j].name);
			return PM_EXIT_USAGE;
		}
		return PM_EXIT_OK;
	}
	fprintf(stderr, "pcapmcp: unknown option '%s'\n", argv[*i]);
	return PM_EXIT_USAGE;
}

static int
parse_io(const char *s, struct opts *o)
{
	if (!pm_io_parse(s, &o->io)) {
		fprintf(stderr, "pcapmcp: --io takes mmap or read, not '%s'\n", s);
		return PM_EXIT_USAGE;
	}
	return PM_EXIT_OK;
}

/* Parse argv[2..]: --json, --io and the value options in allowed, and one file. */
static int
parse_opts(int argc, char **argv, unsigned allowed, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	pm_view_args_init(&o->va);
	o->window_s = PM_SCAN_DEFAULT_WINDOW_S;
	o->min_rate = PM_SCAN_DEFAULT_MIN_RATE;
	o->min_ports = PM_SCAN_DEFAULT_MIN_PORTS;
	int rc = PM_EXIT_OK;
	for (int i = 2; i < argc && rc == PM_EXIT_OK; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strncmp(a, "--io=", 5) == 0) {
			rc = parse_io(a + 5, o);
		} else if (strcmp(a, "--io") == 0 && i + 1 < argc) {
			rc = parse_io(argv[++i], o);
		} else if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
			rc = parse_value_opt(argc, argv, &i, allowed, o);
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "pcapmcp: unknown option '%s'\n", a);
			rc = PM_EXIT_USAGE;
		} else if (o->file == NULL) {
			o->file = a;
		} else {
			fprintf(stderr, "pcapmcp: unexpected argument '%s'\n", a);
			rc = PM_EXIT_USAGE;
		}
	}
	if (rc == PM_EXIT_OK && o->file == NULL) {
		fprintf(stderr, "pcapmcp: %s needs a capture file\n", argv[1]);
		rc = PM_EXIT_USAGE;
	}
	return rc;
}

/* The time for generated_at: SOURCE_DATE_EPOCH when set (reproducible tests), else now. */
static void
generated_at(char out[40])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	int64_t now = (int64_t)time(NULL);
	if (sde != NULL && *sde != '\0') {
		now = strtoll(sde, NULL, 10);
	}
	pm_time_iso(now * 1000000000, out);
	/* whole seconds are enough here: drop the nanoseconds */
	memcpy(out + 19, "Z", 2);
}

static int
print_json(struct pm_json *w)
{
	char at[40];
	generated_at(at);
	pm_json_kstr(w, "generated_at", at);
	pm_json_obj_end(w);
	if (pm_json_finish(w) != 0) {
		fprintf(stderr, "pcapmcp: output could not be produced (%s)\n",
		        w->err ? "too large" : "internal error");
		return PM_EXIT_FAIL;
	}
	fwrite(w->buf, 1, w->len, stdout);
	fputc('\n', stdout);
	return PM_EXIT_OK;
}

static void
print_size(const char *label, uint64_t bytes)
{
	static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < PM_ARRAY_LEN(unit)) {
		v /= 1000;
		u++;
	}
	if (u == 0) {
		printf("%-22s%llu bytes\n", label, (unsigned long long)bytes);
	} else {
		printf("%-22s%llu bytes (%.1f %s)\n", label, (unsigned long long)bytes, v, unit[u]);
	}
}

static void
print_iface(const struct pm_capture *c, size_t i)
{
	const struct pm_iface *f = &c->ifaces[i];
	const char *name = pm_linktype_name(f->linktype);
	const char *desc = pm_linktype_desc(f->linktype);
	char res[32];
	pm_info_tsresol(f->tsresol, res, sizeof(res));
	printf("  #%-3zu %-12s %s (linktype %u%s%s), snaplen %u, %s, %llu packets\n", i,
	       f->name != NULL ? f->name : "-", desc != NULL ? desc : "unknown", f->linktype,
	       name != NULL ? ", " : "", name != NULL ? name : "", f->snaplen, res,
	       (unsigned long long)f->packets);
	if (f->isb_count != 0) {
		static const struct {
			uint32_t bit;
			const char *name;
		} names[] = { { PM_ISB_IFRECV, "received" },
			      { PM_ISB_IFDROP, "dropped" },
			      { PM_ISB_FILTERACCEPT, "accepted" },
			      { PM_ISB_OSDROP, "os dropped" },
			      { PM_ISB_USRDELIV, "delivered" } };
		const uint64_t v[] = { f->isb_ifrecv, f->isb_ifdrop, f->isb_filteraccept,
			               f->isb_osdrop, f->isb_usrdeliv };
		printf("        statistics:");
		for (size_t k = 0; k < PM_ARRAY_LEN(names); k++) {
			if ((f->isb_present & names[k].bit) != 0) {
				printf(" %s %llu", names[k].name, (unsigned long long)v[k]);
			}
		}
		printf("\n");
	}
}

static void
print_info(const struct pm_analysis *a)
{
	const struct pm_capture *c = &a->cap;
	const struct pm_info *st = &a->info;
	const struct pm_decode_stats *d = &a->dec;
	struct pm_info_rates rt;
	pm_info_rates(st, &rt);
	char t0[40], t1[40];
	pm_time_iso(st->ts_min, t0);
	pm_time_iso(st->ts_max, t1);

	printf("%-22s%s\n", "File name:", a->path);
	printf("%-22s%s (version %u.%u, %s)\n", "File type:", pm_format_name(c->format),
	       c->ver_major, c->ver_minor, c->big_endian ? "big-endian" : "little-endian");
	printf("%-22s%s\n", "File encapsulation:", pm_info_encapsulation(c));
	print_size("File size:", c->file_size);
	printf("%-22s%llu\n", "Packets:", (unsigned long long)st->packets);
	print_size("Data size:", st->bytes_captured);
	print_size("Data on the wire:", st->bytes_wire);
	printf("%-22s%llu\n", "Truncated packets:", (unsigned long long)st->truncated);
	printf("%-22s%s\n", "First packet time:", st->has_ts ? t0 : "n/a");
	printf("%-22s%s\n", "Last packet time:", st->has_ts ? t1 : "n/a");
	printf("%-22s%.6f seconds\n", "Capture duration:", rt.duration_s);
	printf("%-22s%.0f bytes/s\n", "Data byte rate:", rt.bytes_per_s);
	printf("%-22s%.0f bits/s\n", "Data bit rate:", rt.bits_per_s);
	printf("%-22s%.2f bytes\n", "Average packet size:", rt.avg_packet_bytes);
	printf("%-22s%.2f packets/s\n", "Average packet rate:", rt.packets_per_s);
	printf("%-22s%zu\n", "Sections:", c->n_sections);
	printf("%-22s%zu\n", "Interfaces:", c->n_ifaces);
	for (size_t i = 0; i < c->n_ifaces && i < PM_INFO_MAX_IFACES_OUT; i++) {
		print_iface(c, i);
	}
	if (c->n_nrb != 0) {
		printf("%-22s%zu\n", "Name records:", c->n_nrb);
	}
	printf("%-22sEthernet %llu, VLAN-tagged %llu, SLL %llu, SLL2 %llu, loopback %llu, "
	       "raw IP %llu, unknown %llu\n",
	       "Link layer:", (unsigned long long)d->ethernet, (unsigned long long)d->vlan,
	       (unsigned long long)d->sll, (unsigned long long)d->sll2,
	       (unsigned long long)d->loopback, (unsigned long long)d->rawip,
	       (unsigned long long)d->unknown_linktype);
	printf("%-22sIPv4 %llu, IPv6 %llu, fragments %llu, ARP %llu, other %llu\n",
	       "Network:", (unsigned long long)d->ipv4, (unsigned long long)d->ipv6,
	       (unsigned long long)d->fragments, (unsigned long long)d->arp,
	       (unsigned long long)d->other_l3);
	printf("%-22sTCP %llu, UDP %llu, ICMP %llu, ICMPv6 %llu, other %llu\n",
	       "Transport:", (unsigned long long)d->tcp, (unsigned long long)d->udp,
	       (unsigned long long)d->icmp, (unsigned long long)d->icmpv6,
	       (unsigned long long)d->other_l4);
	if (c->damaged) {
		printf("%-22scapture_damaged at byte %zu: %s\n", "Warning:", c->damage.offset,
		       c->damage.msg);
	}
	if (st->out_of_order != 0) {
		printf("%-22s%llu packets are out of time order\n",
		       "Warning:", (unsigned long long)st->out_of_order);
	}
	char msg[160];
	if (pm_info_tsresol_warning(c, msg, sizeof(msg))) {
		printf("%-22sbad_tsresol: %s\n", "Warning:", msg);
	}
}

/* The reader's warnings on stderr, for every verb. */
static void
warn_capture(const char *file, const struct pm_capture *c)
{
	char msg[160];
	if (c->damaged) {
		fprintf(stderr, "pcapmcp: warning: %s: capture_damaged at byte %zu: %s\n", file,
		        c->damage.offset, c->damage.msg);
	}
	if (pm_info_tsresol_warning(c, msg, sizeof(msg))) {
		fprintf(stderr, "pcapmcp: warning: %s: bad_tsresol: %s\n", file, msg);
	}
}

static int
verb_info(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, 0, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	struct pm_analysis *a = malloc(sizeof(*a));
	if (a == NULL) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		return PM_EXIT_FAIL;
	}
	struct pm_error err = { 0 };
	struct pm_analysis_opts ao = { .io = o.io, .info_only = true };
	if (pm_analysis_run(a, o.file, &ao, &err) != 0) {
		fprintf(stderr, "pcapmcp: %s: %s\n", o.file, err.msg);
		free(a);
		return PM_EXIT_USAGE;
	}
	warn_capture(o.file, &a->cap);
	rc = PM_EXIT_OK;
	if (o.json) {
		struct pm_json w;
		pm_json_init(&w, 0);
		w.pretty = true;
		pm_json_obj_begin(&w);
		pm_json_kbool(&w, "ok", true);
		pm_info_emit(&w, &a->info, &a->cap, &a->dec, a->path);
		rc = print_json(&w);
		pm_json_free(&w);
	} else {
		print_info(a);
	}
	pm_analysis_free(a);
	free(a);
	return rc;
}

/* Run the analysis for o->file; on failure prints why and returns NULL with *rc set. */
static struct pm_analysis *
load(const struct opts *o, int *rc)
{
	struct pm_analysis *a = malloc(sizeof(*a));
	if (a == NULL) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		*rc = PM_EXIT_FAIL;
		return NULL;
	}
	struct pm_error err = { 0 };
	struct pm_analysis_opts ao = { .io = o->io };
	if (pm_analysis_run(a, o->file, &ao, &err) != 0) {
		fprintf(stderr, "pcapmcp: %s: %s\n", o->file, err.msg);
		free(a);
		*rc = PM_EXIT_USAGE;
		return NULL;
	}
	warn_capture(o->file, &a->cap);
	if (a->flows.approximate) {
		fprintf(stderr, "pcapmcp: warning: %s: a table was full; counts are lower bounds\n",
		        o->file);
	}
	*rc = PM_EXIT_OK;
	return a;
}

static void
unload(struct pm_analysis *a)
{
	pm_analysis_free(a);
	free(a);
}

typedef int (*view_fn)(const struct pm_analysis *a, const struct pm_view_args *args,
                       struct pm_json *w, struct pm_error *err);

/* The exit code for a view that failed with rc, after saying why. */
static int
view_failed(int rc, const struct pm_error *err)
{
	fprintf(stderr, "pcapmcp: %s\n", err->msg);
	return rc == PM_E_MALFORMED ? PM_EXIT_USAGE : PM_EXIT_FAIL;
}

/* Print the view's JSON object: {"ok": true, <members>, "generated_at"}. */
static int
print_view(const struct pm_analysis *a, const struct opts *o, view_fn fn)
{
	struct pm_json w;
	struct pm_error err = { 0 };
	pm_json_init(&w, 0);
	w.pretty = true;
	pm_json_obj_begin(&w);
	pm_json_kbool(&w, "ok", true);
	int rc = fn(a, &o->va, &w, &err);
	rc = rc != 0 ? view_failed(rc, &err) : print_json(&w);
	pm_json_free(&w);
	return rc;
}

static void
print_endpoints(const struct pm_flow_key *k, const struct pm_flow *fl, char out[140])
{
	struct pm_view_ends e;
	char c[64], s[64];
	pm_view_ends(k, fl, &e);
	bool ported = k->proto == PM_IPPROTO_TCP || k->proto == PM_IPPROTO_UDP;
	if (ported) {
		pm_view_hostport(e.caddr, k->ipver, e.cport, c);
		pm_view_hostport(e.saddr, k->ipver, e.sport, s);
	} else {
		pm_addr_str(e.caddr, k->ipver, c);
		pm_addr_str(e.saddr, k->ipver, s);
	}
	snprintf(out, 140, "%s -> %s", c, s);
}

static void
print_flow_row(const struct pm_flow_key *k, const struct pm_flow *fl)
{
	char pn[8], ends[140];
	print_endpoints(k, fl, ends);
	const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
	printf("  %-6s %-46s %-10s %-11s %8llu %8llu %10llu %10llu %10.3f\n",
	       pm_view_proto_name(k->proto, pn), ends, pm_app_name((enum pm_app)fl->app),
	       pm_tcp_state_name(pm_flow_tcp_state(k, fl)), (unsigned long long)c->packets,
	       (unsigned long long)s->packets, (unsigned long long)c->bytes,
	       (unsigned long long)s->bytes, (double)(fl->last - fl->first) / 1e9);
}

static void
print_flow_head(void)
{
	printf("  %-6s %-46s %-10s %-11s %8s %8s %10s %10s %10s\n", "PROTO", "CLIENT -> SERVER",
	       "LABEL", "STATE", "PKTS C>S", "PKTS S>C", "BYTES C>S", "BYTES S>C", "SECONDS");
}

/* The page [offset, offset + limit) of n items, limit clamped as the views clamp it. */
static size_t
page_stop(const struct pm_view_args *v, size_t n)
{
	uint64_t lim = v->limit > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : (uint64_t)v->limit;
	uint64_t off = (uint64_t)v->offset;
	return off >= n ? n : n - off > lim ? (size_t)(off + lim) : n;
}

static void
print_protocols(const struct pm_analysis *a)
{
	struct pm_proto_share rows[PM_SUMMARY_MAX_PROTOS];
	size_t n = pm_summary_protocols(a, rows);
	printf("\nProtocols\n  %-24s %10s %14s %8s\n", "NAME", "PACKETS", "BYTES", "PERCENT");
	for (size_t i = 0; i < n; i++) {
		double pct = a->info.packets != 0
		                 ? 100.0 * (double)rows[i].packets / (double)a->info.packets
		                 : 0;
		printf("  %-24s %10llu %14llu %7.2f%%\n", rows[i].name,
		       (unsigned long long)rows[i].packets, (unsigned long long)rows[i].bytes, pct);
	}
}

static void
print_talkers(const struct pm_analysis *a, size_t top)
{
	struct pm_host_ref *r;
	size_t n;
	if (pm_summary_hosts(a, &r, &n) != 0) {
		return;
	}
	printf("\nTop talkers (%zu of %zu hosts, by bytes)\n  %-39s %9s %9s %12s %12s %6s %6s\n",
	       n < top ? n : top, n, "IP", "PKTS OUT", "PKTS IN", "BYTES OUT", "BYTES IN", "FLOWS",
	       "PEERS");
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_host *h = r[i].host;
		char ip[48];
		pm_addr_str(r[i].key->addr, r[i].key->ipver, ip);
		printf("  %-39s %9llu %9llu %12llu %12llu %6llu %6llu\n", ip,
		       (unsigned long long)h->pkts_sent, (unsigned long long)h->pkts_recv,
		       (unsigned long long)h->bytes_sent, (unsigned long long)h->bytes_recv,
		       (unsigned long long)h->flows, (unsigned long long)h->peers);
	}
	free(r);
}

static void
print_ports(const struct pm_analysis *a, size_t top)
{
	struct pm_port_ref *r;
	size_t n;
	if (pm_summary_ports(a, &r, &n) != 0) {
		return;
	}
	printf("\nTop server ports (%zu of %zu, by packets)\n  %-6s %6s %-10s %10s %14s %7s %8s\n",
	       n < top ? n : top, n, "PROTO", "PORT", "LABEL", "PACKETS", "BYTES", "FLOWS",
	       "CLIENTS");
	for (size_t i = 0; i < n && i < top; i++) {
		const struct pm_port *p = r[i].port;
		char pn[8];
		printf("  %-6s %6u %-10s %10llu %14llu %7llu %8llu\n",
		       pm_view_proto_name(r[i].key->proto, pn), r[i].key->port,
		       pm_app_name((enum pm_app)p->app), (unsigned long long)p->packets,
		       (unsigned long long)p->bytes, (unsigned long long)p->flows,
		       (unsigned long long)p->clients);
	}
	free(r);
}

static void
print_top_flows(const struct pm_analysis *a, size_t top)
{
	struct pm_flow_ref *r;
	size_t n;
	if (pm_view_collect(a, NULL, NULL, PM_SORT_BYTES, &r, &n) != 0) {
		return;
	}
	printf("\nTop flows (%zu of %zu, by bytes)\n", n < top ? n : top, n);
	print_flow_head();
	for (size_t i = 0; i < n && i < top; i++) {
		print_flow_row(r[i].key, r[i].flow);
	}
	free(r);
}

static void
print_tcp_health(const struct pm_analysis *a)
{
	struct pm_tcp_health h;
	pm_summary_tcp_health(a, &h);
	printf("\nTCP health\n");
	printf("  connections %llu, handshakes completed %llu, SYN without answer %llu\n",
	       (unsigned long long)h.connections, (unsigned long long)h.handshakes_completed,
	       (unsigned long long)h.syn_without_answer);
	printf("  states:");
	for (int s = PM_TCP_ESTABLISHED; s <= PM_TCP_ACTIVE; s++) {
		printf(" %s %llu%s", pm_tcp_state_name((enum pm_tcp_state)s),
		       (unsigned long long)h.state[s], s < PM_TCP_ACTIVE ? "," : "\n");
	}
	double rate =
	    h.data_segments != 0 ? 100.0 * (double)h.retransmissions / (double)h.data_segments : 0;
	printf("  RST packets %llu, retransmissions %llu of %llu data segments (%.2f%%), "
	       "out of order %llu, zero window %llu\n",
	       (unsigned long long)h.rst_packets, (unsigned long long)h.retransmissions,
	       (unsigned long long)h.data_segments, rate, (unsigned long long)h.out_of_order,
	       (unsigned long long)h.zero_window);
}

static void
print_summary(const struct pm_analysis *a, const struct opts *o)
{
	struct pm_flow_count fc;
	struct pm_info_rates rt;
	size_t top = o->va.top > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : (size_t)o->va.top;
	pm_summary_flow_count(a, &fc);
	pm_info_rates(&a->info, &rt);
	printf("%-22s%s\n", "File name:", a->path);
	printf("%-22s%llu\n", "Packets:", (unsigned long long)a->info.packets);
	print_size("Bytes on the wire:", a->info.bytes_wire);
	printf("%-22s%.6f seconds\n", "Duration:", rt.duration_s);
	printf("%-22s%llu (TCP %llu, UDP %llu, ICMP %llu, other %llu)\n",
	       "Flows:", (unsigned long long)fc.total, (unsigned long long)fc.tcp,
	       (unsigned long long)fc.udp, (unsigned long long)fc.icmp,
	       (unsigned long long)fc.other);
	if (a->flows.approximate) {
		printf("%-22stables were full: %llu packets not tracked; counts are lower bounds\n",
		       "Warning:", (unsigned long long)a->flows.dropped_packets);
	}
	print_protocols(a);
	print_talkers(a, top);
	print_ports(a, top);
	print_top_flows(a, top);
	print_tcp_health(a);
}

static int
verb_summary(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, OPT_TOP, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	struct pm_analysis *a = load(&o, &rc);
	if (a == NULL) {
		return rc;
	}
	if (o.json) {
		rc = print_view(a, &o, pm_summary_emit);
	} else {
		print_summary(a, &o);
	}
	unload(a);
	return rc;
}

/* The flows view that fits the filter given. */
static view_fn
flows_fn(const struct pm_view_args *v)
{
	if (v->port >= 0) {
		return pm_view_port_flows;
	}
	return v->ip != NULL ? pm_view_ip_flows : pm_view_protocol_flows;
}

static int
print_flows(const struct pm_analysis *a, const struct opts *o)
{
	struct pm_flow_ref *r;
	size_t n;
	struct pm_error err = { 0 };
	int rc = pm_view_flows_select(a, &o->va, &r, &n, &err);
	if (rc != 0) {
		return view_failed(rc, &err);
	}
	uint64_t pkts = 0, bytes = 0;
	for (size_t i = 0; i < n; i++) {
		pkts += r[i].flow->d[0].packets + r[i].flow->d[1].packets;
		bytes += r[i].flow->d[0].bytes + r[i].flow->d[1].bytes;
	}
	size_t stop = page_stop(&o->va, n), first = (size_t)o->va.offset;
	printf("%zu flows match, %llu packets, %llu bytes; showing %zu", n,
	       (unsigned long long)pkts, (unsigned long long)bytes,
	       stop > first ? stop - first : 0);
	printf(stop > first ? " (%zu-%zu)\n" : "\n", first + 1, stop);
	print_flow_head();
	for (size_t i = first; i < stop; i++) {
		print_flow_row(r[i].key, r[i].flow);
	}
	free(r);
	return PM_EXIT_OK;
}

static int
verb_flows(int argc, char **argv)
{
	struct opts o;
	unsigned allowed = OPT_PORT | OPT_IP | OPT_PROTO | OPT_SORT | OPT_LIMIT | OPT_OFFSET;
	int rc = parse_opts(argc, argv, allowed, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	if ((o.va.port >= 0) + (o.va.ip != NULL) + (o.va.protocol != NULL) != 1) {
		fprintf(stderr, "pcapmcp: flows needs exactly one of --port, --ip, --proto\n");
		return PM_EXIT_USAGE;
	}
	struct pm_analysis *a = load(&o, &rc);
	if (a == NULL) {
		return rc;
	}
	rc = o.json ? print_view(a, &o, flows_fn(&o.va)) : print_flows(a, &o);
	unload(a);
	return rc;
}

static int
print_connections(const struct pm_analysis *a, const struct opts *o)
{
	struct pm_flow_ref *r;
	size_t n;
	struct pm_error err = { 0 };
	int rc = pm_view_tcp_select(a, &o->va, PM_SORT_PACKETS, &r, &n, &err);
	if (rc != 0) {
		return view_failed(rc, &err);
	}
	size_t stop = page_stop(&o->va, n), first = (size_t)o->va.offset;
	printf("%zu TCP connections; showing %zu\n", n, stop > first ? stop - first : 0);
	printf("  %-46s %-11s %-9s %4s %4s %4s %4s %6s %7s %8s\n", "CLIENT -> SERVER", "STATE",
	       "HANDSHAKE", "SYN", "SYNA", "FIN", "RST", "DATA", "RETRANS", "PACKETS");
	for (size_t i = first; i < stop; i++) {
		const struct pm_flow *fl = r[i].flow;
		const struct pm_flow_dir *c = &fl->d[fl->client], *s = &fl->d[!fl->client];
		char ends[140];
		print_endpoints(r[i].key, fl, ends);
		printf("  %-46s %-11s %-9s %4u %4u %4u %4u %6u %7u %8llu\n", ends,
		       pm_tcp_state_name(pm_flow_tcp_state(r[i].key, fl)),
		       fl->handshake ? "yes" : "no", c->syn, s->syn, c->fin + s->fin,
		       c->rst + s->rst, c->data + s->data, c->retrans + s->retrans,
		       (unsigned long long)(c->packets + s->packets));
	}
	free(r);
	return PM_EXIT_OK;
}

static int
verb_tcp(int argc, char **argv)
{
	static const struct {
		const char *name;
		view_fn fn;
	} views[] = {
		{ "connections", pm_view_tcp_connections },
		{ "anomalies", pm_view_tcp_anomalies },
		{ "retransmissions", pm_view_tcp_retransmissions },
		{ "flow", pm_view_traffic_flow },
	};
	struct opts o;
	unsigned allowed =
	    OPT_VIEW | OPT_SERVER_IP | OPT_SERVER_PORT | OPT_THRESHOLD | OPT_LIMIT | OPT_OFFSET;
	int rc = parse_opts(argc, argv, allowed, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	size_t v = 0;
	while (o.view != NULL && v < PM_ARRAY_LEN(views) && strcmp(o.view, views[v].name) != 0) {
		v++;
	}
	if (v == PM_ARRAY_LEN(views)) {
		fprintf(stderr,
		        "pcapmcp: --view takes connections, anomalies, retransmissions or "
		        "flow, not '%s'\n",
		        o.view);
		return PM_EXIT_USAGE;
	}
	struct pm_analysis *a = load(&o, &rc);
	if (a == NULL) {
		return rc;
	}
	/* Only the connection list reads better as a table; the others are nested facts. */
	rc = !o.json && v == 0 ? print_connections(a, &o) : print_view(a, &o, views[v].fn);
	unload(a);
	return rc;
}

/* True when argv sets --top (scan's default differs from the summary's). */
static bool
has_top_opt(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--top") == 0 || strncmp(argv[i], "--top=", 6) == 0) {
			return true;
		}
	}
	return false;
}

static void
print_scanner(const struct pm_scan *s, const struct pm_scan_src *src, double window_s)
{
	char ip[48], tech[160];
	size_t n = 0;
	pm_addr_str(src->addr, src->ipver, ip);
	tech[0] = '\0';
	for (int t = 0; t < PM_SCAN_TECH_COUNT && n < sizeof(tech) - 24; t++) {
		if (src->tech[t] != 0) {
			n += (size_t)snprintf(tech + n, sizeof(tech) - n, "%s%s:%llu", n ? "," : "",
			                      pm_scan_tech_name((enum pm_scan_tech)t),
			                      (unsigned long long)src->tech[t]);
		}
	}
	printf("  %-39s %-10s %6llu %6llu %7llu %5llu %8llu %12.1f %7llu  %s\n", ip,
	       pm_scan_kind(src), (unsigned long long)src->hosts, (unsigned long long)src->ports,
	       (unsigned long long)src->targets, (unsigned long long)src->open,
	       (unsigned long long)src->pkts, pm_scan_rate(src),
	       (unsigned long long)pm_scan_window_max(s, src, (int64_t)(window_s * 1e9)), tech);
}

static void
print_scanner_head(const char *title, size_t n)
{
	printf("%s: %zu\n", title, n);
	if (n != 0) {
		printf("  %-39s %-10s %6s %6s %7s %5s %8s %12s %7s  %s\n", "SOURCE", "KIND",
		       "HOSTS", "PORTS", "TARGETS", "OPEN", "PKTS", "RATE/S", "WINDOW",
		       "TECHNIQUES");
	}
}

static int
print_scan(const struct pm_analysis *a, const struct opts *o)
{
	const struct pm_scan *s = &a->scan;
	const struct pm_scan_src **v;
	size_t n;
	if (pm_scan_scanner_list(s, &v, &n) != 0) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		return PM_EXIT_FAIL;
	}
	print_scanner_head("scanners (>= 10 distinct targets)", n);
	for (size_t i = 0; i < n && i < (size_t)o->va.top; i++) {
		print_scanner(s, v[i], o->window_s);
	}
	free(v);
	if (pm_scan_suspect_list(s, (uint64_t)o->min_ports, o->min_rate, &v, &n) != 0) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		return PM_EXIT_FAIL;
	}
	printf("\n");
	char title[128];
	snprintf(title, sizeof(title), "suspects (>= %lld targets, >= %g probe packets/s)",
	         o->min_ports, o->min_rate);
	print_scanner_head(title, n);
	for (size_t i = 0; i < n && i < (size_t)o->va.top; i++) {
		print_scanner(s, v[i], o->window_s);
	}
	free(v);
	printf("\nWINDOW: most distinct targets within %g s\n", o->window_s);
	const struct pm_scan_probe *p = pm_scan_first(s);
	if (p == NULL) {
		printf("first scan event: none\n");
	} else {
		char t[40], src[48], dst[48], fl[48];
		pm_time_iso(p->ts, t);
		pm_addr_str(p->src, p->ipver, src);
		pm_addr_str(p->dst, p->ipver, dst);
		pm_scan_flags_str(p->flags, fl);
		printf("first scan event: %s %s -> %s port %u %s (%s)\n", t, src, dst, p->port,
		       p->proto == PM_IPPROTO_TCP ? fl : "-",
		       pm_scan_tech_name((enum pm_scan_tech)p->tech));
	}
	if (s->approximate) {
		printf("approximate: the flow table was full; counts are lower bounds\n");
	}
	return PM_EXIT_OK;
}

/* scan --json: the members of scan_overview, list_suspects and first_scan_event in one object. */
static int
print_scan_json(const struct pm_analysis *a, const struct opts *o)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	w.pretty = true;
	pm_json_obj_begin(&w);
	pm_json_kbool(&w, "ok", true);
	struct pm_scan_file fi = { .file = a->path, .total_pkts = a->info.packets };
	if (a->info.packets != 0 && a->info.ts_max > a->info.ts_min) {
		fi.interval_s = (double)(a->info.ts_max - a->info.ts_min) / 1e9;
	}
	int rc = pm_scan_overview(&a->scan, &fi, o->window_s, (uint64_t)o->va.top, &w);
	if (rc == 0) {
		rc = pm_scan_suspects(&a->scan, (uint64_t)o->min_ports, o->min_rate, &w);
	}
	pm_scan_first_event(&a->scan, &w);
	if (rc != 0) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		pm_json_free(&w);
		return PM_EXIT_FAIL;
	}
	rc = print_json(&w);
	pm_json_free(&w);
	return rc;
}

static int
verb_scan(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, OPT_WINDOW | OPT_MIN_PORTS | OPT_MIN_RATE | OPT_TOP, &o);
	if (rc != PM_EXIT_OK) {
		return rc;
	}
	if (!has_top_opt(argc, argv)) {
		o.va.top = PM_SCAN_DEFAULT_TOP;
	}
	struct pm_analysis *a = load(&o, &rc);
	if (a == NULL) {
		return rc;
	}
	rc = o.json ? print_scan_json(a, &o) : print_scan(a, &o);
	unload(a);
	return rc;
}

/* `pcapmcp call TOOL 'JSON'`: any registered tool, exactly as MCP runs it. */
static int
verb_call(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "pcapmcp: usage: pcapmcp call TOOL ['{\"arg\": ...}']\n");
		return PM_EXIT_USAGE;
	}
	const struct pm_tool *t = pm_tool_find(argv[2]);
	if (t == NULL) {
		fprintf(stderr, "pcapmcp: unknown tool '%s' (pcapmcp tools lists them)\n", argv[2]);
		return PM_EXIT_USAGE;
	}
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	if (pm_config_load(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: configuration: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	struct pm_arena arena;
	pm_arena_init(&arena, 64u << 20);
	const struct pm_jv *args = NULL;
	const char *text = argc == 4 ? argv[3] : "{}";
	if (pm_json_parse((const uint8_t *)text, strlen(text), &arena, &args, &err) != 0) {
		fprintf(stderr, "pcapmcp: arguments are not valid JSON (byte %zu): %s\n",
		        err.offset, err.msg);
		pm_arena_free(&arena);
		return PM_EXIT_USAGE;
	}
	struct pm_cache cache;
	pm_cache_init(&cache, 0);
	struct pm_tool_ctx ctx = { .cfg = &cfg, .cache = &cache };
	int rc = pm_tools_select(&ctx, "all", &err);
	struct pm_json w;
	pm_json_init(&w, 0);
	w.pretty = true;
	bool is_error = false;
	if (rc == 0) {
		rc = pm_tools_call(&ctx, t, args, &w, &is_error);
	}
	if (rc == 0) {
		fwrite(w.buf, 1, w.len, stdout);
		fputc('\n', stdout);
	} else {
		fprintf(stderr, "pcapmcp: %s: the result could not be produced\n", t->name);
	}
	pm_json_free(&w);
	pm_cache_free(&cache);
	pm_arena_free(&arena);
	return rc != 0 ? PM_EXIT_FAIL : is_error ? PM_EXIT_USAGE : PM_EXIT_OK;
}

/* `pcapmcp serve [--tools LIST]`: the MCP server on stdin/stdout. */
static int
verb_serve(int argc, char **argv)
{
	static struct pm_config cfg;
	struct pm_error err = { 0 };
	const char *tools = NULL;
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "--tools=", 8) == 0) {
			tools = argv[i] + 8;
		} else if (strcmp(argv[i], "--tools") == 0 && i + 1 < argc) {
			tools = argv[++i];
		} else {
			fprintf(stderr, "pcapmcp: serve takes only --tools LIST, not '%s'\n",
			        argv[i]);
			return PM_EXIT_USAGE;
		}
	}
	if (pm_config_load(&cfg, NULL, &err) != 0) {
		fprintf(stderr, "pcapmcp: configuration: %s\n", err.msg);
		return PM_EXIT_USAGE;
	}
	return pm_mcp_serve(&cfg, tools != NULL ? tools : cfg.tools, STDIN_FILENO, STDOUT_FILENO);
}

/* `pcapmcp tools`: the registry, one line a tool. */
static int
verb_tools(void)
{
	size_t n;
	const struct pm_tool *t = pm_tools(&n);
	for (size_t i = 0; i < n; i++) {
		printf("%-30s %-10s %s\n", t[i].name, pm_tool_group_name(t[i].group), t[i].title);
	}
	return PM_EXIT_OK;
}

/* see cli.h */
int
pm_cli_main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PM_EXIT_USAGE;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "info") == 0) {
		return verb_info(argc, argv);
	}
	if (strcmp(verb, "summary") == 0) {
		return verb_summary(argc, argv);
	}
	if (strcmp(verb, "flows") == 0) {
		return verb_flows(argc, argv);
	}
	if (strcmp(verb, "tcp") == 0) {
		return verb_tcp(argc, argv);
	}
	if (strcmp(verb, "scan") == 0) {
		return verb_scan(argc, argv);
	}
	if (strcmp(verb, "serve") == 0) {
		return verb_serve(argc, argv);
	}
	if (strcmp(verb, "call") == 0) {
		return verb_call(argc, argv);
	}
	if (strcmp(verb, "tools") == 0) {
		return verb_tools();
	}
	if (strcmp(verb, "version") == 0 || strcmp(verb, "--version") == 0) {
		printf("pcapmcp %s\n", PM_VERSION);
		return PM_EXIT_OK;
	}
	if (strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		usage(stdout);
		return PM_EXIT_OK;
	}
	fprintf(stderr, "pcapmcp: unknown verb '%s'\n", verb);
	usage(stderr);
	return PM_EXIT_USAGE;
}
