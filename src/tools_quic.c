/* SPDX-License-Identifier: MIT */
/*
 * tools_quic.c - the QUIC part of the protocols group: analyze_quic. Its
 * argument table, result tree and handler; the view is quicview.c's.
 */
#include "tools.h"

#include "analysis.h"
#include "quicstats.h"
#include "view.h"

static const struct pm_field value_count_members[] = {
	{ .name = "value", .type = PM_F_STR },
	{ .name = "count", .type = PM_F_INT },
	{ .name = "clients", .type = PM_F_INT, .description = "distinct client addresses" },
	{ 0 },
};
static const struct pm_field value_count = { .type = PM_F_OBJ, .members = value_count_members };

static const struct pm_field vn_members[] = {
	{ .name = "negotiations", .type = PM_F_INT, .description = "connections with one" },
	{ .name = "recovered",
	  .type = PM_F_INT,
	  .description = "the client then used a version the server offered" },
	{ .name = "failed", .type = PM_F_INT },
	{ 0 },
};

static const struct pm_field stat_members[] = {
	{ .name = "total_connections", .type = PM_F_INT },
	{ .name = "client_hellos", .type = PM_F_INT, .description = "ClientHellos decrypted" },
	{ .name = "with_handshake",
	  .type = PM_F_INT,
	  .description = "the server sent Handshake or 1-RTT packets" },
	{ .name = "without_handshake", .type = PM_F_INT },
	{ .name = "zero_rtt", .type = PM_F_INT, .description = "connections with 0-RTT packets" },
	{ .name = "retries", .type = PM_F_INT },
	{ .name = "retries_valid", .type = PM_F_INT, .description = "integrity tag matched" },
	{ .name = "version_negotiation", .type = PM_F_OBJ, .members = vn_members },
	{ .name = "datagrams", .type = PM_F_INT },
	{ .name = "packets", .type = PM_F_INT, .description = "coalesced packets counted apart" },
	{ .name = "initials_decrypted", .type = PM_F_INT },
	{ .name = "decrypt_failures", .type = PM_F_INT },
	{ .name = "not_quic",
	  .type = PM_F_INT,
	  .description = "flows labelled QUIC that were not" },
	{ .name = "labels_withdrawn",
	  .type = PM_F_INT,
	  .description = "flows whose QUIC label was withdrawn: not QUIC, or the client's first "
	                 "Initial did not decrypt" },
	{ .name = "malformed", .type = PM_F_INT },
	{ .name = "versions", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "snis", .type = PM_F_MAP, .item = &pm_field_int, .description = "the top 10" },
	{ .name = "alpns", .type = PM_F_MAP, .item = &pm_field_int },
	{ .name = "ja4", .type = PM_F_ARR, .item = &value_count, .description = "top 10" },
	{ 0 },
};

static const struct pm_field cids_members[] = {
	{ .name = "ids",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .description = "hex, distinct, in order of use (at most 4; empty IDs not listed)" },
	{ .name = "total", .type = PM_F_INT, .description = "distinct IDs seen" },
	{ 0 },
};

static const struct pm_field conn_members[] = {
	{ .name = "client", .type = PM_F_STR },
	{ .name = "client_port", .type = PM_F_INT },
	{ .name = "server", .type = PM_F_STR },
	{ .name = "server_port", .type = PM_F_INT },
	{ .name = "version", .type = PM_F_STR, .nullable = true },
	{ .name = "server_version", .type = PM_F_STR, .nullable = true },
	{ .name = "dcid", .type = PM_F_STR, .description = "hex, the client's first Initial" },
	{ .name = "scid", .type = PM_F_STR, .description = "hex, the client's first Initial" },
	{ .name = "server_cid", .type = PM_F_STR, .description = "hex, the server's first SCID" },
	{ .name = "client_cids",
	  .type = PM_F_OBJ,
	  .members = cids_members,
	  .description = "the SCIDs of the client's long headers" },
	{ .name = "server_cids",
	  .type = PM_F_OBJ,
	  .members = cids_members,
	  .description = "the SCIDs of the server's long headers (Initial, Handshake, Retry)" },
	{ .name = "dcid_changes",
	  .type = PM_F_INT,
	  .description = "short headers (first 64 datagrams) with a DCID their direction had not "
	                 "used: NEW_CONNECTION_ID or migration" },
	{ .name = "sni", .type = PM_F_STR, .nullable = true },
	{ .name = "alpn", .type = PM_F_STR, .nullable = true },
	{ .name = "ja4", .type = PM_F_STR, .nullable = true },
	{ .name = "transport_parameters", .type = PM_F_INT },
	{ .name = "client_hello", .type = PM_F_BOOL },
	{ .name = "decrypt_failed", .type = PM_F_BOOL },
	{ .name = "server_initial", .type = PM_F_BOOL },
	{ .name = "handshake", .type = PM_F_BOOL },
	{ .name = "zero_rtt", .type = PM_F_BOOL },
	{ .name = "retry", .type = PM_F_BOOL },
	{ .name = "retry_valid", .type = PM_F_BOOL },
	{ .name = "offered_versions", .type = PM_F_ARR, .item = &pm_field_str },
	{ .name = "packets_c2s", .type = PM_F_INT },
	{ .name = "packets_s2c", .type = PM_F_INT },
	{ .name = "bytes_c2s", .type = PM_F_INT },
	{ .name = "bytes_s2c", .type = PM_F_INT },
	{ .name = "first_seen", .type = PM_F_STR },
	{ .name = "last_seen", .type = PM_F_STR },
	{ 0 },
};

static const struct pm_field finding_members[] = {
	{ .name = "type", .type = PM_F_STR },
	{ .name = "severity", .type = PM_F_STR, .description = "low, medium or high" },
	{ .name = "summary", .type = PM_F_STR },
	{ .name = "evidence", .type = PM_F_MAP, .item = &pm_field_str },
	{ 0 },
};
static const struct pm_field finding = { .type = PM_F_OBJ, .members = finding_members };

static const struct pm_field quic_result[] = {
	{ .name = "statistics", .type = PM_F_OBJ, .members = stat_members },
	{ .name = "connections",
	  .type = PM_F_ARR,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = conn_members } },
	{ .name = "connections_page", .type = PM_F_OBJ, .members = pm_field_page },
	{ .name = "findings", .type = PM_F_ARR, .item = &finding },
	{ .name = "findings_omitted", .type = PM_F_INT },
	{ .name = "approximate",
	  .type = PM_F_BOOL,
	  .description = "a cap was reached: counts are lower bounds" },
	{ 0 },
};

static const struct pm_tool_arg arg_sni = {
	.name = "sni",
	.type = PM_ARG_STR,
	.description = "Only connections whose SNI contains this.",
	.min_length = 1,
};
static const struct pm_tool_arg arg_client = {
	.name = "client",
	.type = PM_ARG_STR,
	.description = "Only this client address (IPv4 or IPv6).",
	.min_length = 1,
};

static const struct pm_tool_arg *const quic_args[] = { &pm_arg_path,       &pm_arg_pcap_file,
	                                               &pm_arg_auth_token, &pm_arg_limit,
	                                               &pm_arg_offset,     &arg_sni,
	                                               &arg_client,        NULL };

static int
tool_analyze_quic(struct pm_tool_ctx *ctx, const struct pm_analysis *a,
                  const struct pm_tool_args *args, struct pm_json *w, struct pm_error *err)
{
	(void)ctx;
	const struct pm_quic_stats *q = pm_an_quic(a);
	if (q == NULL) {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INTERNAL_ERROR, 0,
		                     "the QUIC analyser did not run");
	}
	int64_t limit = pm_arg_int(args, "limit");
	int rc = pm_quic_view(q, (uint64_t)(limit > PM_VIEW_MAX_LIMIT ? PM_VIEW_MAX_LIMIT : limit),
	                      (uint64_t)pm_arg_int(args, "offset"), pm_arg_str(args, "sni"),
	                      pm_arg_str(args, "client"), w);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INTERNAL_ERROR, 0, "out of memory");
	}
	return 0;
}

const struct pm_tool pm_tools_quic[] = {
	{
	    .name = "analyze_quic",
	    .title = "QUIC connections, versions and decrypted ClientHellos",
	    .description =
	        "QUIC in a capture (UDP flows labelled QUIC by port 443/853 or a long header; "
	        "the label stays only when the first datagram is a long header of a known "
	        "version and, where its keys are known, the client's first Initial decrypts). "
	        "Initial packets are decrypted with the version's public keys (RFC 9001 §5.2, "
	        "RFC 9369: v1, v2, drafts 23-34, Google T050/T051) once per connection, CRYPTO "
	        "frames "
	        "reassembled and the ClientHello read: SNI, ALPN, JA4 ('q' prefix), transport "
	        "parameters. Per connection (connections, paged with limit/offset, filtered by "
	        "sni and client): client, server, ports, versions (Google QUIC and drafts "
	        "recognised by number), connection IDs (each side's, DCID changes), SNI, ALPN, "
	        "JA4, whether the server's "
	        "Initial and Handshake were seen, 0-RTT, Retry (integrity tag checked), "
	        "versions offered by a version negotiation, packets and bytes each way, first "
	        "and last time. statistics: versions, SNIs, ALPNs, JA4s with counts and "
	        "clients, version negotiation outcomes, connections with and without a "
	        "completed handshake, decryption counters. findings {type, severity, summary, "
	        "evidence}: failed_version_negotiation, non_standard_port, unusual_version, "
	        "many_short_connections. Nothing past the Initial packets is decrypted.",
	    .args = quic_args,
	    .result = quic_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_analyze_quic,
	},
};

const size_t pm_tools_quic_n = PM_ARRAY_LEN(pm_tools_quic);
