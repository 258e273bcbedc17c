/* SPDX-License-Identifier: MIT */
/*
 * tools_protocols.c - the protocols group: analyze_dns_packets,
 * analyze_dhcp_packets, analyze_icmp_packets, analyze_sip_packets
 * (mcpcap's tools). Rows, argument tables and handlers that hand the
 * checked arguments to the views (dnsview.h, dhcpview.h,
 * icmpview.h, sipview.h); the result trees are in protofields.c.
 */
#include "tools.h"

#include <stdio.h>
#include <string.h>

#include "dhcpview.h"
#include "dnsview.h"
#include "icmpview.h"
#include "protofields.h"
#include "protoview.h"
#include "sipview.h"

/*
 * Arguments.
 */

static const struct pm_tool_arg arg_limit = {
	.name = "limit",
	.type = PM_ARG_INT,
	.description = "Packets of the sample per page.",
	.has_min = true,
	.has_max = true,
	.max = PM_PV_MAX_LIMIT,
	.has_default = true,
	.def = PM_PV_DEFAULT_LIMIT,
};
static const struct pm_tool_arg arg_top = {
	.name = "top",
	.type = PM_ARG_INT,
	.description = "Entries of each top list.",
	.has_min = true,
	.min = 1,
	.has_max = true,
	.max = PM_PV_MAX_TOP,
	.has_default = true,
	.def = PM_PV_DEFAULT_TOP,
};
#define ARG_STR(var, nm, desc)                                                                     \
	static const struct pm_tool_arg var = {                                                    \
		.name = (nm),                                                                      \
		.type = PM_ARG_STR,                                                                \
		.description = (desc),                                                             \
		.min_length = 1,                                                                   \
	}
ARG_STR(arg_dns_name, "name",
        "Only messages whose first question's name contains this (any case).");
ARG_STR(arg_dns_client, "client", "Only this client address (IPv4 or IPv6).");
ARG_STR(arg_dns_server, "server", "Only this server address (IPv4 or IPv6).");
ARG_STR(arg_dns_rcode, "rcode",
        "Only responses with this rcode: a name (NOERROR, FORMERR, SERVFAIL, NXDOMAIN, "
        "NOTIMP, REFUSED, ...) or its number as a string (\"3\").");
ARG_STR(arg_dns_type, "type",
        "Only messages whose first question has this type: a name (A, AAAA, TXT, MX, ...) or "
        "its number as a string (\"16\").");
ARG_STR(arg_dhcp_client, "client",
        "Only this client MAC (aa:bb:cc:dd:ee:ff): packets and transactions.");
ARG_STR(arg_dhcp_type, "type",
        "Only DHCPv4 messages of this type: a name (DISCOVER, OFFER, REQUEST, DECLINE, ACK, "
        "NAK, RELEASE, INFORM) or its number as a string (\"5\").");
ARG_STR(arg_icmp_host, "host", "Only packets to or from this address (IPv4 or IPv6).");
ARG_STR(arg_sip_method, "method",
        "Only requests with this method (INVITE, REGISTER, ...; any case).");
ARG_STR(arg_sip_call_id, "call_id", "Only packets and calls whose Call-ID contains this.");
static const struct pm_tool_arg arg_icmp_type = {
	.name = "type",
	.type = PM_ARG_INT,
	.description = "Only packets of this ICMP or ICMPv6 type.",
	.has_min = true,
	.has_max = true,
	.max = 255,
};
static const struct pm_tool_arg arg_icmp_version = {
	.name = "version",
	.type = PM_ARG_INT,
	.description = "Only ICMP (4) or ICMPv6 (6) packets; 0: both.",
	.has_min = true,
	.has_max = true,
	.max = 6,
	.has_default = true,
};
static const struct pm_tool_arg arg_sip_status = {
	.name = "status",
	.type = PM_ARG_INT,
	.description = "Only responses with this status code.",
	.has_min = true,
	.min = 100,
	.has_max = true,
	.max = 699,
};

#define P0 &pm_arg_path, &pm_arg_pcap_file, &pm_arg_auth_token
#define PG &arg_limit, &pm_arg_offset, &arg_top
static const struct pm_tool_arg *const dns_args[] = {
	P0, &arg_dns_name, &arg_dns_client, &arg_dns_server, &arg_dns_rcode, &arg_dns_type, PG, NULL
};
static const struct pm_tool_arg *const dhcp_args[] = { P0, &arg_dhcp_client, &arg_dhcp_type, PG,
	                                               NULL };
static const struct pm_tool_arg *const icmp_args[] = {
	P0, &arg_icmp_host, &arg_icmp_type, &arg_icmp_version, PG, NULL
};
static const struct pm_tool_arg *const sip_args[] = {
	P0, &arg_sip_method, &arg_sip_status, &arg_sip_call_id, PG, NULL
};

/*
 * Handlers.
 */

/* The paging arguments, with the result budget. */
static void
page_args(const struct pm_tool_ctx *ctx, const struct pm_tool_args *a, struct pm_pv_page *pg)
{
	pm_pv_page_init(pg);
	pg->limit = pm_arg_int(a, "limit");
	pg->offset = pm_arg_int(a, "offset");
	pg->top = pm_arg_int(a, "top");
	if (pm_arg_given(a, "limit")) {
		pg->budget =
		    0; /* an explicit limit is the caller's choice of size, up to max_bytes */
	}
	pg->max_bytes = pm_tool_result_cap(ctx);
}

/* A view's error as the tool contract has it: the code from the message's prefix. */
static int
view_error(int rc, struct pm_error *err)
{
	static const struct {
		const char *prefix;
		enum pm_ecode ecode;
	} codes[] = {
		{ "invalid_ip: ", PM_EC_INVALID_IP },
		{ "invalid_argument: ", PM_EC_INVALID_ARGUMENT },
	};
	if (rc != PM_E_MALFORMED) {
		err->code = rc;
		err->ecode = PM_EC_INTERNAL_ERROR;
		if (rc == PM_E_NOMEM) {
			snprintf(err->msg, sizeof(err->msg), "out of memory");
		}
		return rc;
	}
	err->ecode = PM_EC_INVALID_ARGUMENT;
	for (size_t i = 0; i < PM_ARRAY_LEN(codes); i++) {
		size_t n = strlen(codes[i].prefix);
		if (strncmp(err->msg, codes[i].prefix, n) == 0) {
			memmove(err->msg, err->msg + n, strlen(err->msg + n) + 1);
			err->ecode = codes[i].ecode;
			break;
		}
	}
	return rc;
}

/* A name-or-number argument: -1 when absent, the parsed value, or an argument error. */
static int
named_arg(const struct pm_tool_args *a, const char *name, int32_t (*parse)(const char *),
          int32_t *out, struct pm_error *err)
{
	const char *s = pm_arg_str(a, name);
	*out = s != NULL ? parse(s) : -1;
	if (s != NULL && *out < 0) {
		return pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		                     "%s '%.40s' is not a known name or number", name, s);
	}
	return 0;
}

static int
tool_dns(struct pm_tool_ctx *ctx, const struct pm_analysis *an, const struct pm_tool_args *a,
         struct pm_json *w, struct pm_error *err)
{
	struct pm_dns_args v;
	pm_dns_args_init(&v);
	page_args(ctx, a, &v.page);
	v.name = pm_arg_str(a, "name");
	v.client = pm_arg_str(a, "client");
	v.server = pm_arg_str(a, "server");
	if (named_arg(a, "rcode", pm_dns_rcode_parse, &v.rcode, err) != 0 ||
	    named_arg(a, "type", pm_dns_qtype_parse, &v.qtype, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_dns_view(an, &v, w, err);
	return rc != 0 ? view_error(rc, err) : 0;
}

static int
tool_dhcp(struct pm_tool_ctx *ctx, const struct pm_analysis *an, const struct pm_tool_args *a,
          struct pm_json *w, struct pm_error *err)
{
	struct pm_dhcp_args v;
	pm_dhcp_args_init(&v);
	page_args(ctx, a, &v.page);
	v.client = pm_arg_str(a, "client");
	if (named_arg(a, "type", pm_dhcp_type_parse, &v.type, err) != 0) {
		return PM_E_MALFORMED;
	}
	int rc = pm_dhcp_view(an, &v, w, err);
	return rc != 0 ? view_error(rc, err) : 0;
}

static int
tool_icmp(struct pm_tool_ctx *ctx, const struct pm_analysis *an, const struct pm_tool_args *a,
          struct pm_json *w, struct pm_error *err)
{
	struct pm_icmp_args v;
	pm_icmp_args_init(&v);
	page_args(ctx, a, &v.page);
	v.host = pm_arg_str(a, "host");
	if (pm_arg_given(a, "type")) {
		v.type = (int32_t)pm_arg_int(a, "type");
	}
	v.version = (int32_t)pm_arg_int(a, "version");
	int rc = pm_icmp_view(an, &v, w, err);
	return rc != 0 ? view_error(rc, err) : 0;
}

static int
tool_sip(struct pm_tool_ctx *ctx, const struct pm_analysis *an, const struct pm_tool_args *a,
         struct pm_json *w, struct pm_error *err)
{
	struct pm_sip_args v;
	pm_sip_args_init(&v);
	page_args(ctx, a, &v.page);
	v.method = pm_arg_str(a, "method");
	v.call_id = pm_arg_str(a, "call_id");
	if (pm_arg_given(a, "status")) {
		v.status = (int32_t)pm_arg_int(a, "status");
	}
	int rc = pm_sip_view(an, &v, w, err);
	return rc != 0 ? view_error(rc, err) : 0;
}

/*
 * mcpcap's tools take one argument, pcap_file, "HTTP URL or absolute local
 * file path"; ours take it too (or path), but read local files only.
 */
#define MCPCAP_FILE                                                                                \
	"Called as mcpcap is: pcap_file (or path) names a local capture file, absolute or "        \
	"relative to the allowed directory; an HTTP URL is not fetched (download it first)."

const struct pm_tool pm_tools_protocols[] = {
	{
	    .name = "analyze_dns_packets",
	    .title = "DNS: queries, responses, findings",
	    .description =
	        "DNS in a capture (mcpcap's analyze_dns_packets), from UDP and TCP on 53, "
	        "mDNS 5353, LLMNR 5355 and DNS on other ports when the first message parses. "
	        "Keeps mcpcap's keys: file, total_packets_in_file, dns_packets_found, "
	        "dns_packets_analyzed, statistics (queries, responses, unique_domains_queried, "
	        "unique_domains) and packets, a bounded, paged sample of messages with mcpcap's "
	        "per-packet fields (dns_id, flags {is_response, authoritative, truncated, "
	        "recursion_desired, recursion_available}, questions, answers) plus rcode. Adds "
	        "rcodes by name with NXDOMAIN/SERVFAIL/REFUSED counts and ratio, query and "
	        "answer types, TTLs, response times of matched queries (client, server, ports, "
	        "id, question), unanswered queries, EDNS, top names, base domains, clients and "
	        "servers, and findings: tunnelling hints (long or high-entropy labels, many "
	        "names under one base domain), TXT floods, high NXDOMAIN ratio per client, "
	        "responses from an unexpected server (spoofing hint), malformed messages "
	        "(compression loops, forward pointers), DNS-over-TCP messages split across "
	        "segments (counted, not parsed: no TCP reassembly yet). Filters name, client, "
	        "server, rcode and type select packets and unanswered; statistics always cover "
	        "the whole capture. " MCPCAP_FILE,
	    .args = dns_args,
	    .result = pm_field_dns_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_dns,
	},
	{
	    .name = "analyze_dhcp_packets",
	    .title = "DHCP: clients, servers, transactions, findings",
	    .description =
	        "DHCPv4 (BOOTP, 67/68) and DHCPv6 (546/547) in a capture (mcpcap's "
	        "analyze_dhcp_packets). Keeps mcpcap's keys: file, total_packets, "
	        "dhcp_packets_found, dhcp_packets_analyzed, statistics (unique_clients_count, "
	        "unique_servers_count, unique_clients, unique_servers, message_type_counts "
	        "keyed DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM, "
	        "transaction_count) and packets, a bounded, paged sample with mcpcap's "
	        "per-packet fields (op, transaction_id, client_mac, client/your/server/relay "
	        "ip, message_type, server_id, requested_ip, lease times). Adds transactions by "
	        "xid with their message sequence and whether DORA completed, clients (host "
	        "name, vendor class, parameter-request-list fingerprint, assigned address, "
	        "lease), servers (offers, acks, naks, clients answered), DHCPv6 servers and "
	        "message types, and findings: more than one DHCP or DHCPv6 server answering "
	        "(possible rogue server, named with its clients), NAK storms, DISCOVER from "
	        "many MACs (starvation); DHCPv6 IA_NA addresses and IA_PD prefixes per "
	        "transaction and per client DUID (dhcpv6_clients). Filters client (MAC) and type "
	        "select packets; client also selects transactions. " MCPCAP_FILE,
	    .args = dhcp_args,
	    .result = pm_field_dhcp_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_dhcp,
	},
	{
	    .name = "analyze_icmp_packets",
	    .title = "ICMP and ICMPv6: types, echoes, unreachables, findings",
	    .description =
	        "ICMP and ICMPv6 in a capture (mcpcap's analyze_icmp_packets). Keeps mcpcap's "
	        "keys: file, total_packets, icmp_packets_found, icmp_packets_analyzed, "
	        "statistics (icmp_type_counts, unique_sources, unique_destinations, "
	        "echo_sessions, echo_pairs, unreachable_destinations, each with a _count) and "
	        "packets, a bounded, paged sample with mcpcap's per-packet fields (icmp_type, "
	        "icmp_code, names, icmp_id, icmp_seq, ttl or hop_limit, size) plus the "
	        "embedded original header of errors. Adds counts per type and code, echo "
	        "request/reply pairing by (id, seq) with round-trip times per host pair and "
	        "unanswered echoes, destination unreachable with the host, protocol and port "
	        "that was unreachable and who reported it, time-exceeded paths (traceroute) "
	        "per source, redirects (sender, gateway or ICMPv6 target, destination), "
	        "neighbour discovery (routers with prefixes, solicitations, advertisements, "
	        "duplicate-address detection), and findings: more than one router advertising, "
	        "redirects, duplicate addresses, ping sweeps, unanswered echoes. Filters host, "
	        "type and version select packets. " MCPCAP_FILE,
	    .args = icmp_args,
	    .result = pm_field_icmp_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_icmp,
	},
	{
	    .name = "analyze_sip_packets",
	    .title = "SIP: requests, responses, calls, findings",
	    .description =
	        "SIP over UDP and TCP in a capture, on 5060/5061 and on any port by its first "
	        "line (mcpcap's analyze_sip_packets). Keeps mcpcap's keys: file, "
	        "total_packets_in_file, sip_packets_found, sip_packets_analyzed, statistics "
	        "(requests, responses, methods, response_classes, unique_call_ids, call_ids, "
	        "transports, user_agents) and packets, a bounded, paged sample with mcpcap's "
	        "per-packet fields (start_line, method or status_code and reason_phrase, "
	        "call_id, cseq, from, to, contact, user_agent, server, via, content type and "
	        "length). Adds status codes, calls by Call-ID with their dialogue (INVITE, "
	        "ringing, final status, ACK, BYE, setup time and duration), and findings: "
	        "401/403 bursts per source (registration brute force), scanners' user agents "
	        "(friendly-scanner, sipvicious), INVITE floods. Filters method and status "
	        "select packets; call_id selects packets and calls. " MCPCAP_FILE,
	    .args = sip_args,
	    .result = pm_field_sip_result,
	    .group = PM_GROUP_PROTOCOLS,
	    .reads_capture = true,
	    .fn = tool_sip,
	},
};

const size_t pm_tools_protocols_n = PM_ARRAY_LEN(pm_tools_protocols);
