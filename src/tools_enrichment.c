/* SPDX-License-Identifier: MIT */
/*
 * tools_enrichment.c - the enrichment group: enrich_ip, correlate,
 * enrich_capture (PortHunter's contract, extended). Rows, argument tables,
 * result trees and handlers; the lookups are enrich.c's.
 */
#include "tools.h"

#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analysis.h"
#include "enrich.h"
#include "hosts.h"
#include "json.h"
#include "jsontree.h"
#include "scan.h"
#include "scanview.h"
#include "summary.h"
#include "view.h"

#define CAPTURE_MAX_TOP 100 /* enrich_capture top_n */

/*
 * Result trees.
 */

static const struct pm_field asn_members[] = {
	{ .name = "asn", .type = PM_F_INT, .nullable = true, .description = "AS number" },
	{ .name = "org", .type = PM_F_STR, .nullable = true, .description = "AS organisation" },
	{ .name = "source",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "database_type of the ASN database" },
	{ .name = "error",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "why the ASN database could not be used" },
	{ 0 },
};

static const struct pm_field geo_members[] = {
	{ .name = "enabled", .type = PM_F_BOOL, .description = "a geo database is configured" },
	{ .name = "country", .type = PM_F_STR, .nullable = true, .description = "ISO 3166 code" },
	{ .name = "country_name", .type = PM_F_STR, .nullable = true },
	{ .name = "city", .type = PM_F_STR, .nullable = true },
	{ .name = "source", .type = PM_F_STR, .nullable = true },
	{ .name = "error", .type = PM_F_STR, .nullable = true },
	{ 0 },
};

#define PROVIDER_HEAD                                                                              \
	{ .name = "enabled", .type = PM_F_BOOL, .description = "the provider was queried" },       \
	    { .name = "status",                                                                    \
	      .type = PM_F_STR,                                                                    \
	      .description = "ok, not_found, auth_failed, rate_limited, provider_error, "          \
		             "unavailable, offline or not_configured" },                           \
	    { .name = "message",                                                                   \
	      .type = PM_F_STR,                                                                    \
	      .nullable = true,                                                                    \
	      .description = "what to set, or what failed (never a key)" },                        \
	    { .name = "cached",                                                                    \
	      .type = PM_F_BOOL,                                                                   \
	      .optional = true,                                                                    \
	      .description = "served from the cache (PCAPMCP_CACHE_DIR)" },                        \
	    { .name = "http_status", .type = PM_F_INT, .optional = true },                         \
	{                                                                                          \
		.name = "retry_after", .type = PM_F_INT, .nullable = true, .optional = true,       \
		.description = "rate_limited: seconds the provider asks to wait"                   \
	}

static const struct pm_field otx_members[] = {
	PROVIDER_HEAD,
	{ .name = "pulse_count", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "pulses",
	  .type = PM_F_ARR,
	  .nullable = true,
	  .optional = true,
	  .item = &pm_field_str,
	  .description = "pulse names, at most 20" },
	{ .name = "reputation", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "country", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "asn", .type = PM_F_STR, .nullable = true, .optional = true },
	{ 0 },
};
static const struct pm_field greynoise_members[] = {
	PROVIDER_HEAD,
	{ .name = "found", .type = PM_F_BOOL, .nullable = true, .optional = true },
	{ .name = "noise", .type = PM_F_BOOL, .nullable = true, .optional = true },
	{ .name = "riot", .type = PM_F_BOOL, .nullable = true, .optional = true },
	{ .name = "classification", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "name", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "last_seen", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "link", .type = PM_F_STR, .nullable = true, .optional = true },
	{ 0 },
};
static const struct pm_field abuseipdb_members[] = {
	PROVIDER_HEAD,
	{ .name = "abuse_confidence_score", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "total_reports", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "country", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "isp", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "usage_type", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "last_reported_at", .type = PM_F_STR, .nullable = true, .optional = true },
	{ 0 },
};
static const struct pm_field virustotal_members[] = {
	PROVIDER_HEAD,
	{ .name = "malicious", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "suspicious", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "harmless", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "undetected", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "reputation", .type = PM_F_INT, .nullable = true, .optional = true },
	{ .name = "as_owner", .type = PM_F_STR, .nullable = true, .optional = true },
	{ 0 },
};
static const struct pm_field shodan_members[] = {
	PROVIDER_HEAD,
	{ .name = "ports",
	  .type = PM_F_ARR,
	  .nullable = true,
	  .optional = true,
	  .item = &pm_field_int },
	{ .name = "hostnames",
	  .type = PM_F_ARR,
	  .nullable = true,
	  .optional = true,
	  .item = &pm_field_str },
	{ .name = "org", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "os", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "vulns",
	  .type = PM_F_ARR,
	  .nullable = true,
	  .optional = true,
	  .item = &pm_field_str,
	  .description = "CVE names, at most 20" },
	{ .name = "last_update", .type = PM_F_STR, .nullable = true, .optional = true },
	{ 0 },
};
static const struct pm_field rdap_members[] = {
	PROVIDER_HEAD,
	{ .name = "name",
	  .type = PM_F_STR,
	  .nullable = true,
	  .optional = true,
	  .description = "network name" },
	{ .name = "handle", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "country", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "start_address", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "end_address", .type = PM_F_STR, .nullable = true, .optional = true },
	{ .name = "asn",
	  .type = PM_F_INT,
	  .nullable = true,
	  .optional = true,
	  .description = "origin AS (ARIN only)" },
	{ 0 },
};

static const struct pm_field enrichment_members[] = {
	{ .name = "ip", .type = PM_F_STR, .description = "canonical form; IPv4-mapped as IPv4" },
	{ .name = "kind", .type = PM_F_STR, .description = "public, private or reserved" },
	{ .name = "range",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "the special-purpose range (rfc1918, cgnat, loopback, ...)" },
	{ .name = "skipped",
	  .type = PM_F_BOOL,
	  .description = "private or reserved and PCAPMCP_ALLOW_PRIVATE unset" },
	{ .name = "reason", .type = PM_F_STR, .nullable = true, .description = "private_ip" },
	{ .name = "asn", .type = PM_F_OBJ, .members = asn_members },
	{ .name = "geo", .type = PM_F_OBJ, .members = geo_members },
	{ .name = "otx", .type = PM_F_OBJ, .members = otx_members },
	{ .name = "greynoise", .type = PM_F_OBJ, .members = greynoise_members },
	{ .name = "abuseipdb", .type = PM_F_OBJ, .members = abuseipdb_members },
	{ .name = "virustotal", .type = PM_F_OBJ, .members = virustotal_members },
	{ .name = "shodan", .type = PM_F_OBJ, .members = shodan_members },
	{ .name = "rdap", .type = PM_F_OBJ, .members = rdap_members },
	{ .name = "sources",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "what answered: geoip_db, asn_db, providers" },
	{ .name = "cached", .type = PM_F_BOOL },
	{ .name = "offline",
	  .type = PM_F_BOOL,
	  .description = "PCAPMCP_OFFLINE: local databases only" },
	{ 0 },
};

static const struct pm_field reason_members[] = {
	{ .name = "signal", .type = PM_F_STR },
	{ .name = "points", .type = PM_F_INT, .description = "what it added to the score" },
	{ .name = "detail", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field threat_members[] = {
	{ .name = "score", .type = PM_F_INT, .description = "0 (nothing known) to 100" },
	{ .name = "rationale",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = reason_members } },
	{ 0 },
};

static const struct pm_field enrich_result[] = {
	{ .name = "enrichment", .type = PM_F_OBJ, .members = enrichment_members },
	{ 0 },
};

static const struct pm_field correlated_members[] = {
	{ .name = "ip", .type = PM_F_STR, .description = "as given" },
	{ .name = "enrichment", .type = PM_F_OBJ, .members = enrichment_members },
	{ .name = "threat", .type = PM_F_OBJ, .members = threat_members },
	{ 0 },
};

static const struct pm_field correlate_result[] = {
	{ .name = "results",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = correlated_members },
	  .description = "input order, or by score when sort_by_score" },
	{ .name = "max_ips", .type = PM_F_INT, .description = "the most addresses one call takes" },
	{ 0 },
};

static const struct pm_field capture_host_members[] = {
	{ .name = "ip", .type = PM_F_STR },
	{ .name = "roles",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "top_talker, scan_suspect" },
	{ .name = "bytes", .type = PM_F_INT, .description = "sent plus received" },
	{ .name = "packets", .type = PM_F_INT, .description = "sent plus received" },
	{ .name = "scan_score",
	  .type = PM_F_NUM,
	  .nullable = true,
	  .description = "list_suspects's score when a suspect" },
	{ .name = "enrichment", .type = PM_F_OBJ, .members = enrichment_members },
	{ .name = "threat", .type = PM_F_OBJ, .members = threat_members },
	{ 0 },
};

static const struct pm_field capture_result[] = {
	{ .name = "file", .type = PM_F_STR },
	{ .name = "hosts",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = capture_host_members },
	  .description = "the top talkers by bytes, then scan suspects not among them" },
	{ .name = "hosts_page",
	  .type = PM_F_OBJ,
	  .members = pm_field_page,
	  .description = "hosts listed: a long list stops at the result budget (truncated)" },
	{ .name = "talkers_total", .type = PM_F_INT, .description = "hosts in the capture" },
	{ .name = "suspects_total", .type = PM_F_INT },
	{ 0 },
};

/*
 * Arguments.
 */

static const struct pm_tool_arg arg_ip = {
	.name = "ip",
	.type = PM_ARG_STR,
	.description = "An IPv4 or IPv6 address.",
	.required = true,
	.min_length = 1,
};
static const struct pm_tool_arg arg_ips = {
	.name = "ips",
	.type = PM_ARG_STRS,
	.description = "The addresses, at most 50 (PortHunter's array; a string of addresses "
	               "separated by commas or spaces is also taken).",
	.required = true,
	.min_length = 1,
	.has_max = true,
	.max = PM_ENRICH_MAX_IPS,
};
static const struct pm_tool_arg arg_sort = {
	.name = "sort_by_score",
	.type = PM_ARG_BOOL,
	.description = "Order the results by threat score, highest first (ties in input order).",
	.has_default = true,
	.def = 0,
};
static const struct pm_tool_arg arg_top_n = {
	.name = "top_n",
	.type = PM_ARG_INT,
	.description = "Top talkers (and at most as many scan suspects) to enrich.",
	.has_min = true,
	.min = 1,
	.has_max = true,
	.max = CAPTURE_MAX_TOP,
	.has_default = true,
	.def = 20,
};

static const struct pm_tool_arg *const enrich_args[] = { &arg_ip, &pm_arg_auth_token, NULL };
static const struct pm_tool_arg *const correlate_args[] = { &arg_ips, &arg_sort, &pm_arg_auth_token,
	                                                    NULL };
static const struct pm_tool_arg *const capture_args[] = { &pm_arg_path, &pm_arg_pcap_file,
	                                                  &pm_arg_auth_token, &arg_top_n, NULL };

/*
 * Handlers.
 */

static int
tool_enrich_ip(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
               const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	(void)a;
	struct pm_ip ip;
	struct pm_enrichment r;
	if (!pm_ip_parse(pm_arg_str(args, "ip"), &ip)) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_IP, 0,
		                     "ip is not an IPv4 or IPv6 address");
	}
	if (pm_enrich_ip(ctx->cfg, &ip, &r) != 0) {
		return pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	pm_enrich_query(ctx->cfg, &r);
	pm_json_key(w, "enrichment");
	pm_json_obj_begin(w);
	pm_enrich_write(ctx->cfg, &r, w);
	pm_json_obj_end(w);
	pm_enrich_free(&r);
	return 0;
}

struct scored {
	char given[64];
	struct pm_enrichment r;
	struct pm_score s;
	size_t order;
};

static int
by_score(const void *pa, const void *pb)
{
	const struct scored *x = pa, *y = pb;
	if (x->s.score != y->s.score) {
		return x->s.score > y->s.score ? -1 : 1;
	}
	return x->order < y->order ? -1 : x->order > y->order;
}

static void
write_scored(const struct pm_tool_ctx *ctx, const struct scored *e, struct pm_json *w)
{
	pm_json_key(w, "enrichment");
	pm_json_obj_begin(w);
	pm_enrich_write(ctx->cfg, &e->r, w);
	pm_json_obj_end(w);
	pm_json_key(w, "threat");
	pm_json_obj_begin(w);
	pm_enrich_write_score(&e->s, w);
	pm_json_obj_end(w);
}

/* The address of len bytes at p as entry *n of out; 0 or <0 with err. */
static int
add_ip(const char *p, size_t len, struct scored *out, size_t *n, struct pm_error *err)
{
	struct pm_ip ip;
	if (*n == PM_ENRICH_MAX_IPS) {
		return pm_error_setc(err, PM_E_LIMIT, PM_EC_INVALID_ARGUMENT, 0,
		                     "ips: at most %d addresses per call", PM_ENRICH_MAX_IPS);
	}
	snprintf(out[*n].given, sizeof(out[*n].given), "%.*s", (int)len, p);
	if (len >= sizeof(out[*n].given) || !pm_ip_parse(out[*n].given, &ip)) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_IP, 0,
		                     "ips: entry %zu is not an IPv4 or IPv6 address", *n + 1);
	}
	out[*n].order = *n;
	out[*n].r.ip = ip;
	(*n)++;
	return 0;
}

/*
 * The addresses of ips (an array of strings, or one string of addresses
 * separated by commas or spaces) into at most PM_ENRICH_MAX_IPS entries of
 * out; returns the count or <0 with err.
 */
static int
split_ips(const struct pm_jv *ips, struct scored *out, struct pm_error *err)
{
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; pm_jv_is(ips, PM_JV_ARR) && i < ips->len && rc == 0; i++) {
		rc = add_ip(ips->items[i].s, ips->items[i].len, out, &n, err);
	}
	for (const char *p = pm_jv_str(ips); p != NULL && *p != '\0' && rc == 0;) {
		p += strspn(p, ", \t\r\n");
		size_t len = strcspn(p, ", \t\r\n");
		if (len == 0) {
			break;
		}
		rc = add_ip(p, len, out, &n, err);
		p += len;
	}
	if (rc == 0 && n == 0) {
		rc = pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		                   "ips: no address given");
	}
	return rc != 0 ? rc : (int)n;
}

static int
tool_correlate(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
               const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	(void)a;
	struct scored *e = calloc(PM_ENRICH_MAX_IPS, sizeof(*e));
	if (e == NULL) {
		return pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	int n = split_ips(pm_arg_value(args, "ips"), e, err), done = 0;
	for (; done < n; done++) {
		struct pm_ip ip = e[done].r.ip;
		if (pm_enrich_ip(ctx->cfg, &ip, &e[done].r) != 0) {
			n = pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0,
			                  "out of memory");
			break;
		}
		pm_enrich_query(ctx->cfg, &e[done].r);
		pm_enrich_score(&e[done].r, -1, &e[done].s);
	}
	if (n < 0) {
		for (int i = 0; i < done; i++) {
			pm_enrich_free(&e[i].r);
		}
		free(e);
		return n;
	}
	if (pm_arg_bool(args, "sort_by_score")) {
		qsort(e, (size_t)n, sizeof(*e), by_score);
	}
	pm_json_key(w, "results");
	pm_json_arr_begin(w);
	for (int i = 0; i < n; i++) {
		pm_json_obj_begin(w);
		pm_json_kstr(w, "ip", e[i].given);
		write_scored(ctx, &e[i], w);
		pm_json_obj_end(w);
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "max_ips", PM_ENRICH_MAX_IPS);
	for (int i = 0; i < n; i++) {
		pm_enrich_free(&e[i].r);
	}
	free(e);
	return 0;
}

/* One host of enrich_capture. */
struct capture_host {
	struct pm_host_key key;
	uint64_t bytes, packets;
	double scan_score; /* < 0: not a suspect */
	bool talker;
};

static void
write_capture_host(const struct pm_tool_ctx *ctx, const struct capture_host *h, struct pm_json *w)
{
	struct scored e = { 0 };
	char text[48];
	pm_addr_str(h->key.addr, h->key.ipver, text);
	pm_json_obj_begin(w);
	pm_json_kstr(w, "ip", text);
	pm_json_key(w, "roles");
	pm_json_arr_begin(w);
	if (h->talker) {
		pm_json_str(w, "top_talker");
	}
	if (h->scan_score >= 0) {
		pm_json_str(w, "scan_suspect");
	}
	pm_json_arr_end(w);
	pm_json_ku64(w, "bytes", h->bytes);
	pm_json_ku64(w, "packets", h->packets);
	if (h->scan_score >= 0) {
		pm_json_kdbl(w, "scan_score", h->scan_score, 2);
	} else {
		pm_json_kstr(w, "scan_score", NULL);
	}
	struct pm_ip ip;
	if (pm_ip_parse(text, &ip) && pm_enrich_ip(ctx->cfg, &ip, &e.r) == 0) {
		pm_enrich_query(ctx->cfg, &e.r);
		pm_enrich_score(&e.r, h->scan_score, &e.s);
	}
	write_scored(ctx, &e, w);
	pm_enrich_free(&e.r);
	pm_json_obj_end(w);
}

static int
tool_enrich_capture(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                    const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	size_t top = (size_t)pm_arg_int(args, "top_n"), nh = 0, ns = 0, n = 0;
	struct pm_host_ref *hosts = NULL;
	const struct pm_scan_src **sus = NULL;
	struct capture_host *list = NULL;
	int rc = pm_summary_hosts(a, &hosts, &nh);
	if (rc == 0) {
		rc = pm_scan_suspect_list(pm_an_scan(a), PM_SCAN_DEFAULT_MIN_PORTS,
		                          PM_SCAN_DEFAULT_MIN_RATE, &sus, &ns);
	}
	if (rc == 0 && (list = calloc(2 * top, sizeof(*list))) == NULL) {
		rc = PM_E_NOMEM;
	}
	if (rc != 0) {
		rc = pm_error_setc(err, PM_E_NOMEM, PM_EC_INTERNAL_ERROR, 0, "out of memory");
		goto out_free;
	}
	for (size_t i = 0; i < nh && n < top; i++, n++) {
		const struct pm_host *h = hosts[i].host;
		list[n] = (struct capture_host){ .key = *hosts[i].key,
			                         .bytes = h->bytes_sent + h->bytes_recv,
			                         .packets = h->pkts_sent + h->pkts_recv,
			                         .scan_score = -1,
			                         .talker = true };
	}
	for (size_t i = 0, added = 0; i < ns && added < top; i++) {
		size_t k = 0;
		while (k < n && !(list[k].key.ipver == sus[i]->ipver &&
		                  memcmp(list[k].key.addr, sus[i]->addr, 16) == 0)) {
			k++;
		}
		if (k == n) {
			memcpy(list[n].key.addr, sus[i]->addr, 16);
			list[n].key.ipver = sus[i]->ipver;
			const struct pm_host *h =
			    pm_table_find(&pm_an_hosts(a)->hosts, &list[n].key);
			list[n].bytes = h != NULL ? h->bytes_sent + h->bytes_recv : 0;
			list[n].packets = h != NULL ? h->pkts_sent + h->pkts_recv : 0;
			n++;
			added++;
		}
		list[k].scan_score = pm_scan_score(sus[i]);
	}
	pm_json_kstr(w, "file", a->path);
	/*
	 * Without an explicit top_n the list stops at the default list budget, so
	 * the result stays under 20,000 characters; with one, at the hard budget.
	 */
	size_t budget = pm_arg_given(args, "top_n") ? pm_tool_result_cap(ctx) : PM_VIEW_LIST_BUDGET;
	size_t i = 0;
	pm_json_key(w, "hosts");
	pm_json_arr_begin(w);
	for (size_t start = w->len; i < n && w->len - start < budget; i++) {
		write_capture_host(ctx, &list[i], w);
	}
	pm_json_arr_end(w);
	pm_json_page(w, "hosts", n, i, 0);
	pm_json_ku64(w, "talkers_total", nh);
	pm_json_ku64(w, "suspects_total", ns);
out_free:
	free(list);
	free(sus);
	free(hosts);
	return rc;
}

#define ENRICH_NOTE                                                                                \
	" Country, city and ASN come from the local MaxMind-format databases (PCAPMCP_GEOIP_DB, "  \
	"PCAPMCP_ASN_DB); the threat-intel providers (otx, greynoise, abuseipdb, virustotal, "     \
	"shodan, and rdap for the registered owner) are asked concurrently within "                \
	"PCAPMCP_ENRICH_TIMEOUT_MS unless PCAPMCP_OFFLINE is set, and each reports its status "    \
	"(abuseipdb, virustotal and shodan need their API keys). Answers are cached a day. "       \
	"Private and reserved addresses are skipped unless PCAPMCP_ALLOW_PRIVATE is set."

const struct pm_tool pm_tools_enrichment[] = {
	{
	    .name = "enrich_ip",
	    .title = "Enrich an IP address",
	    .description = "Who is this address: its kind (public, private, reserved and the "
	                   "range), ASN and organisation, country and city." ENRICH_NOTE,
	    .args = enrich_args,
	    .result = enrich_result,
	    .group = PM_GROUP_ENRICHMENT,
	    .open_world = true,
	    .fn = tool_enrich_ip,
	},
	{
	    .name = "correlate",
	    .title = "Enrich and score several addresses",
	    .description = "Enrich up to 50 addresses in one call and give each a threat score "
	                   "from 0 to 100 with the rationale (which signal added what), in input "
	                   "order or sorted by score." ENRICH_NOTE,
	    .args = correlate_args,
	    .result = correlate_result,
	    .group = PM_GROUP_ENRICHMENT,
	    .open_world = true,
	    .fn = tool_correlate,
	},
	{
	    .name = "enrich_capture",
	    .title = "Enrich a capture's top talkers and scan suspects",
	    .description = "The capture's top talkers by bytes and its scan suspects "
	                   "(list_suspects's defaults), each enriched and scored; a scan "
	                   "suspect's score counts toward its threat score." ENRICH_NOTE,
	    .args = capture_args,
	    .result = capture_result,
	    .group = PM_GROUP_ENRICHMENT,
	    .reads_capture = true,
	    .open_world = true,
	    .fn = tool_enrich_capture,
	},
};

const size_t pm_tools_enrichment_n = PM_ARRAY_LEN(pm_tools_enrichment);
