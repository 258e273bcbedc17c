/* SPDX-License-Identifier: MIT */
/*
 * tools_web.c - the web part of the protocols group: analyze_tls (and
 * analyze_http_packets when the HTTP analyser runs). Rows, argument
 * tables, result trees and handlers; the views are tlsview.c's.
 */
#include "tools.h"

#include "analysis.h"
#include "http.h"
#include "sandbox.h"
#include "tlsknown.h"
#include "tlsstats.h"
#include "view.h"

/*
 * Result trees.
 */

static const struct pm_field value_count_members[] = {
	{ .name = "value", .type = PM_F_STR },
	{ .name = "count", .type = PM_F_INT },
	{ .name = "clients", .type = PM_F_INT, .description = "distinct client addresses" },
	{ 0 },
};
static const struct pm_field value_count = { .type = PM_F_OBJ, .members = value_count_members };
static const struct pm_field uri_count_members[] = {
	{ .name = "value", .type = PM_F_STR },
	{ .name = "count", .type = PM_F_INT },
	{ 0 },
};
static const struct pm_field uri_count = { .type = PM_F_OBJ, .members = uri_count_members };

static const struct pm_field tls_stat_members[] = {
	{ .name = "total_handshakes", .type = PM_F_INT, .description = "TLS connections seen" },
	{ .name = "client_hellos", .type = PM_F_INT },
	{ .name = "server_hellos", .type = PM_F_INT },
	{ .name = "hello_retry_requests", .type = PM_F_INT },
	{ .name = "established",
	  .type = PM_F_INT,
	  .description = "connections whose client sent encrypted data after the ServerHello" },
	{ .name = "grease_hellos", .type = PM_F_INT },
	{ .name = "ech_hellos", .type = PM_F_INT },
	{ .name = "sslv2_hellos", .type = PM_F_INT },
	{ .name = "certificates_seen", .type = PM_F_INT },
	{ .name = "distinct_certificates", .type = PM_F_INT },
	{ .name = "alerts", .type = PM_F_INT },
	{ .name = "not_tls", .type = PM_F_INT, .description = "flows labelled TLS that were not" },
	{ .name = "malformed", .type = PM_F_INT },
	{ .name = "versions", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "cipher_suites", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "snis", .type = PM_F_MAP, .item = &pm_field_int, .description = "the top 10" },
	{ .name = "alpns", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "ja3",
	  .type = PM_F_ARR,
	  .item = &value_count,
	  .description = "JA3 MD5s, top 10" },
	{ .name = "ja3s", .type = PM_F_ARR, .item = &value_count },
	{ .name = "ja4", .type = PM_F_ARR, .item = &value_count },
	{ .name = "ja4s", .type = PM_F_ARR, .item = &value_count },
	{ .name = "known_fingerprints",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .optional = true,
	  .description = "handshakes per known fingerprint name (client and server marks); "
	                 "present when one matched" },
	{ 0 },
};

static const struct pm_field cert_members[] = {
	{ .name = "subject", .type = PM_F_STR },
	{ .name = "issuer", .type = PM_F_STR },
	{ .name = "serial", .type = PM_F_STR, .description = "hex" },
	{ .name = "not_before", .type = PM_F_STR },
	{ .name = "not_after", .type = PM_F_STR },
	{ .name = "sans", .type = PM_F_ARR, .item = &pm_field_str, .description = "the first 8" },
	{ .name = "sans_total", .type = PM_F_INT },
	{ .name = "key_type", .type = PM_F_STR },
	{ .name = "key_bits", .type = PM_F_INT },
	{ .name = "signature_algorithm", .type = PM_F_STR },
	{ .name = "sha1", .type = PM_F_STR },
	{ .name = "sha256", .type = PM_F_STR },
	{ .name = "self_signed", .type = PM_F_BOOL },
	{ 0 },
};

static const struct pm_field known_members[] = {
	{ .name = "kind", .type = PM_F_STR, .description = "tool or malware" },
	{ .name = "name", .type = PM_F_STR },
	{ .name = "source",
	  .type = PM_F_STR,
	  .description = "the recording behind a built-in entry, or \"feed\"" },
	{ .name = "fingerprint", .type = PM_F_STR, .description = "ja3, ja3s, ja4 or ja4s" },
	{ .name = "value", .type = PM_F_STR, .description = "the fingerprint that matched" },
	{ 0 },
};

static const struct pm_field fptable_members[] = {
	{ .name = "builtin_entries", .type = PM_F_INT },
	{ .name = "feed",
	  .type = PM_F_STR,
	  .description = "loaded, unreadable or no_memory (PCAPMCP_JA3_FEED)" },
	{ .name = "feed_entries", .type = PM_F_INT },
	{ .name = "feed_skipped", .type = PM_F_INT, .description = "malformed or over-long rows" },
	{ .name = "feed_duplicates", .type = PM_F_INT },
	{ .name = "feed_truncated", .type = PM_F_BOOL },
	{ 0 },
};

static const struct pm_field handshake_members[] = {
	{ .name = "client", .type = PM_F_STR },
	{ .name = "server", .type = PM_F_STR },
	{ .name = "server_port", .type = PM_F_INT },
	{ .name = "sni", .type = PM_F_STR, .nullable = true },
	{ .name = "alpn", .type = PM_F_STR, .nullable = true },
	{ .name = "version", .type = PM_F_STR },
	{ .name = "cipher", .type = PM_F_STR, .nullable = true },
	{ .name = "ja3", .type = PM_F_STR, .nullable = true },
	{ .name = "ja3_hash", .type = PM_F_STR, .nullable = true },
	{ .name = "ja3s", .type = PM_F_STR, .nullable = true },
	{ .name = "ja3s_hash", .type = PM_F_STR, .nullable = true },
	{ .name = "ja4", .type = PM_F_STR, .nullable = true },
	{ .name = "ja4s", .type = PM_F_STR, .nullable = true },
	{ .name = "known",
	  .type = PM_F_OBJ,
	  .optional = true,
	  .members = known_members,
	  .description = "the client's JA3 or JA4 entry in the built-in table or the feed "
	                 "(malware first, then JA3's); absent when none" },
	{ .name = "known_server",
	  .type = PM_F_OBJ,
	  .optional = true,
	  .members = known_members,
	  .description = "the server's JA3S or JA4S entry, the same way; absent when none" },
	{ .name = "certificate", .type = PM_F_OBJ, .nullable = true, .members = cert_members },
	{ .name = "established", .type = PM_F_BOOL },
	{ 0 },
};

static const struct pm_field finding_members[] = {
	{ .name = "type", .type = PM_F_STR },
	{ .name = "severity", .type = PM_F_STR, .description = "low, medium or high" },
	{ .name = "summary", .type = PM_F_STR },
	{ .name = "count",
	  .type = PM_F_INT,
	  .optional = true,
	  .description = "HTTP: the requests the finding stands for" },
	{ .name = "evidence", .type = PM_F_MAP, .item = &pm_field_str },
	{ 0 },
};
static const struct pm_field finding = { .type = PM_F_OBJ, .members = finding_members };

static const struct pm_field reasm_members[] = {
	{ .name = "segments", .type = PM_F_INT },
	{ .name = "retransmissions", .type = PM_F_INT },
	{ .name = "overlaps", .type = PM_F_INT },
	{ .name = "conflicting_overlaps",
	  .type = PM_F_INT,
	  .description = "overlaps whose bytes differed (first copy kept): an evasion signal" },
	{ .name = "gaps", .type = PM_F_INT },
	{ .name = "windows_full", .type = PM_F_INT },
	{ .name = "capped", .type = PM_F_INT },
	{ .name = "peak_bytes", .type = PM_F_INT },
	{ .name = "cap_bytes", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field tls_result[] = {
	{ .name = "statistics", .type = PM_F_OBJ, .members = tls_stat_members },
	{ .name = "handshakes",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = handshake_members } },
	{ .name = "handshakes_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "certificates",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = cert_members },
	  .description = "the first 10 distinct leaf certificates" },
	{ .name = "findings", .type = PM_F_ARR, .item = &finding },
	{ .name = "findings_omitted", .type = PM_F_INT },
	{ .name = "fingerprint_table",
	  .type = PM_F_OBJ,
	  .optional = true,
	  .members = fptable_members,
	  .description = "present when PCAPMCP_JA3_FEED is set" },
	{ .name = "reassembly", .type = PM_F_OBJ, .members = reasm_members },
	{ .name = "approximate",
	  .type = PM_F_BOOL,
	  .description = "a cap was reached: counts are lower bounds" },
	{ 0 },
};

static const struct pm_field http_stat_members[] = {
	{ .name = "total_requests", .type = PM_F_INT },
	{ .name = "total_responses", .type = PM_F_INT },
	{ .name = "http_methods", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "status_codes", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "unique_hosts_count", .type = PM_F_INT },
	{ .name = "unique_hosts",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "the first 50, most requested first" },
	{ .name = "unique_user_agents_count", .type = PM_F_INT },
	{ .name = "unique_user_agents", .type = PM_F_ARR, .item = &pm_field_str },
	{ .name = "content_types",
	  .type = PM_F_MAP,
	  .item = &pm_field_int,
	  .description = "of responses, top 10" },
	{ .name = "top_uris", .type = PM_F_ARR, .item = &uri_count },
	{ .name = "unmatched_responses", .type = PM_F_INT },
	{ .name = "h2_prior_knowledge",
	  .type = PM_F_INT,
	  .description = "connections opened with the HTTP/2 preface" },
	{ .name = "upgrades", .type = PM_F_INT, .description = "101 Switching Protocols" },
	{ .name = "malformed", .type = PM_F_INT },
	{ .name = "not_http", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field exchange_members[] = {
	{ .name = "client", .type = PM_F_STR },
	{ .name = "server", .type = PM_F_STR },
	{ .name = "server_port", .type = PM_F_INT },
	{ .name = "ts", .type = PM_F_STR, .description = "the request" },
	{ .name = "method", .type = PM_F_STR },
	{ .name = "host", .type = PM_F_STR, .nullable = true },
	{ .name = "uri", .type = PM_F_STR },
	{ .name = "version", .type = PM_F_STR },
	{ .name = "user_agent", .type = PM_F_STR, .nullable = true },
	{ .name = "request_content_type", .type = PM_F_STR, .nullable = true },
	{ .name = "authorization",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "the scheme only" },
	{ .name = "cookie",
	  .type = PM_F_BOOL,
	  .description = "a Cookie header was sent (not its value)" },
	{ .name = "status",
	  .type = PM_F_INT,
	  .nullable = true,
	  .description = "null without a response" },
	{ .name = "content_type", .type = PM_F_STR, .nullable = true },
	{ .name = "content_length", .type = PM_F_INT, .nullable = true },
	{ .name = "chunked", .type = PM_F_BOOL },
	{ .name = "server_software", .type = PM_F_STR, .nullable = true },
	{ .name = "location", .type = PM_F_STR, .nullable = true },
	{ .name = "response_time_ms", .type = PM_F_NUM, .nullable = true },
	{ .name = "body_bytes", .type = PM_F_INT },
	{ .name = "body_sha256",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "files up to 64 KiB (by magic or a download Content-Type)" },
	{ .name = "file_type",
	  .type = PM_F_STR,
	  .nullable = true,
	  .description = "by magic bytes" },
	{ 0 },
};

static const struct pm_field http_result[] = {
	{ .name = "statistics", .type = PM_F_OBJ, .members = http_stat_members },
	{ .name = "exchanges",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = exchange_members } },
	{ .name = "exchanges_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "findings", .type = PM_F_ARR, .item = &finding },
	{ .name = "findings_omitted", .type = PM_F_INT },
	{ .name = "reassembly", .type = PM_F_OBJ, .members = reasm_members },
	{ .name = "approximate",
	  .type = PM_F_BOOL,
	  .description = "a cap was reached: counts are lower bounds" },
	{ 0 },
};

static const struct pm_tool_arg *const paged_args[] = { &pm_arg_path,       &pm_arg_pcap_file,
	                                                &pm_arg_auth_token, &pm_arg_limit,
	                                                &pm_arg_offset,     NULL };

/*
 * Handlers.
 */

/* The page size asked for, clamped to PM_VIEW_MAX_LIMIT. */
static uint64_t
page_limit(const struct pm_tool_args *args)
{
	int64_t limit = pm_arg_int(args, "limit");
	return (uint64_t)(limit > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : limit);
}

static int
tool_analyze_tls(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                 const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	const struct pm_tls *t = pm_an_tls(a);
	if (t == NULL) {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INTERNAL_ERROR, 0,
		                     "the TLS analyser did not run");
	}
	/* read at each call, so an updated feed counts without a restart; a bad one never fails */
	struct pm_ja3_feed feed;
	pm_ja3_feed_load(&feed, ctx->cfg != NULL ? ctx->cfg->ja3_feed : NULL);
	int rc = pm_tls_view(t, &feed, page_limit(args), (uint64_t)pm_arg_int(args, "offset"), w);
	pm_ja3_feed_free(&feed);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	return 0;
}

static int
tool_analyze_http(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                  const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	const struct pm_http *h = pm_an_http(a);
	if (h == NULL) {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INTERNAL_ERROR, 0,
		                     "the HTTP analyser did not run");
	}
	int rc = pm_http_view(h, page_limit(args), (uint64_t)pm_arg_int(args, "offset"), w);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	return 0;
}

const struct pm_tool pm_tools_web[] = {
	{
	    .name = "analyze_http_packets",
	    .title = "HTTP/1.x requests and responses",
	    .description =
	        "HTTP/1.x in a capture, from TCP streams reassembled in one pass (port 80, 8000, "
	        "8080 or any port whose first bytes look like HTTP). statistics (mcpcap's keys): "
	        "total_requests, total_responses, http_methods, status_codes, "
	        "unique_hosts(_count), "
	        "unique_user_agents(_count), plus content_types and top_uris, HTTP/2 "
	        "prior-knowledge "
	        "connections and upgrades. exchanges (paged with limit/offset): each request with "
	        "its response paired in order (pipelining, keep-alive): method, host, URI, "
	        "version, "
	        "User-Agent, Content-Type, Authorization scheme, Cookie present, status, response "
	        "Content-Type and Content-Length, chunked, Server, Location, response time, body "
	        "bytes, file type by magic bytes and, for files up to 64 KiB (by magic or a "
	        "download Content-Type such as application/octet-stream; not pages, scripts or "
	        "gzip-coded text), SHA-256. "
	        "findings {type, severity, summary, count, evidence}: cleartext_credentials, one "
	        "per server, port and evidence.kind (basic_auth, bearer_token, form_password; "
	        "secrets redacted), secret_in_url, path_traversal, "
	        "sql_injection, command_injection, scanner_user_agent (sqlmap, nikto, nmap, ...), "
	        "scripted_client (curl, wget, python from a host that also browses), "
	        "executable_download. Bodies are never stored.",
	    .args = paged_args,
	    .result = http_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_analyze_http,
	},
	{
	    .name = "analyze_tls",
	    .title = "TLS handshakes, fingerprints and certificates",
	    .description =
	        "TLS in a capture, from TCP streams reassembled in one pass (any port the "
	        "flow is labelled TLS on, by port or by its first bytes). Per connection "
	        "(handshakes, paged with limit/offset): client, server, server_port, SNI, "
	        "ALPN, negotiated version and cipher, JA3 and JA3S strings with their MD5 "
	        "(GREASE removed), JA4 and JA4S, the leaf certificate when sent in clear "
	        "(TLS 1.2 and earlier: subject, issuer, serial, validity, SANs, key type and "
	        "size, signature algorithm, SHA-1 and SHA-256 fingerprints) and whether the "
	        "handshake completed. statistics: hello counts, versions, cipher suites, "
	        "SNIs, ALPNs and the top JA3/JA3S/JA4/JA4S fingerprints with the number of "
	        "distinct clients using them. findings {type, severity, summary, evidence}: "
	        "known_fingerprint (the client's JA3 or JA4, or the server's JA3S or JA4S, is "
	        "in the built-in table of recorded tools, severity low, or the JA3 in the "
	        "PCAPMCP_JA3_FEED file in abuse.ch SSLBL CSV layout, malware, severity high; "
	        "the handshake then carries known (client) or known_server {fingerprint, "
	        "value, kind, name, source}), deprecated_tls_version (SSL, TLS 1.0), "
	        "no_sni_public, "
	        "self_signed_certificate, expired_certificate, certificate_not_yet_valid, "
	        "weak_key (RSA < 2048, EC < 224 bits), sni_mismatch. reassembly: segments, "
	        "retransmissions, overlaps, conflicting overlaps (an evasion signal), gaps "
	        "and memory peak. Nothing is decrypted.",
	    .args = paged_args,
	    .result = tls_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_analyze_tls,
	},
};

const size_t pm_tools_web_n = PM_ARRAY_LEN(pm_tools_web);
