/* SPDX-License-Identifier: MIT */
/*
 * protofields.c - the result trees of the protocols group's tools
 * (tools_protocols.c): every member the DNS, DHCP, ICMP and SIP views
 * (dnsview.h, dhcpview.h, icmpview.h, sipview.h) write, with its type.
 */
#include "protofields.h"

/*
 * Result trees: what the protocol views share.
 */

#define STR(n)                                                                                     \
	{                                                                                          \
		.name = (n), .type = PM_F_STR                                                      \
	}
#define INT(n)                                                                                     \
	{                                                                                          \
		.name = (n), .type = PM_F_INT                                                      \
	}
#define NUM(n)                                                                                     \
	{                                                                                          \
		.name = (n), .type = PM_F_NUM                                                      \
	}
#define BOOL(n)                                                                                    \
	{                                                                                          \
		.name = (n), .type = PM_F_BOOL                                                     \
	}
#define OPT(t, n)                                                                                  \
	{                                                                                          \
		.name = (n), .type = (t), .optional = true                                         \
	}
#define OBJ(n, m)                                                                                  \
	{                                                                                          \
		.name = (n), .type = PM_F_OBJ, .members = (m)                                      \
	}
#define MAP(n, d)                                                                                  \
	{                                                                                          \
		.name = (n), .type = PM_F_MAP, .item = &pm_field_int, .description = (d)           \
	}
#define STRS(n, d)                                                                                 \
	{                                                                                          \
		.name = (n), .type = PM_F_ARR, .item = &pm_field_str, .description = (d)           \
	}
#define OBJS(n, m, d)                                                                              \
	{                                                                                          \
		.name = (n), .type = PM_F_ARR, .description = (d),                                 \
		.item = &(const struct pm_field){ .type = PM_F_OBJ, .members = (m) },              \
	}
#define PAGE(n)                                                                                    \
	{                                                                                          \
		.name = (n), .type = PM_F_OBJ, .members = pm_field_page                            \
	}
#define FINDINGS(ev)                                                                               \
	{                                                                                          \
		.name = "findings", .type = PM_F_ARR,                                              \
		.description = "what looked suspicious: type, severity (info, low, medium, "       \
		               "high), summary and evidence",                                      \
		.item = &(const struct pm_field){ .type = PM_F_OBJ,                                \
			                          .members = (const struct pm_field[]){            \
			                              STR("type"),                                 \
			                              STR("severity"),                             \
			                              STR("summary"),                              \
			                              OBJ("evidence", (ev)),                       \
			                              { 0 } } },                                   \
	}
/* mcpcap's packet sample, after the list of its items. */
#define SAMPLE(m)                                                                                  \
	OBJS("packets", (m), "a page of the kept sample of messages, filtered"),                   \
	    PAGE("packets_page"),                                                                  \
	{                                                                                          \
		.name = "packets_sample_complete", .type = PM_F_BOOL,                              \
		.description = "every message of the capture was kept in the sample"               \
	}
#define HEAD(total, proto)                                                                         \
	{ .name = "file", .type = PM_F_STR, .description = "the capture analysed" }, INT(total),   \
	    { .name = proto "_packets_found", .type = PM_F_INT },                                  \
	{                                                                                          \
		.name = proto "_packets_analyzed", .type = PM_F_INT,                               \
		.description = "messages parsed"                                                   \
	}

static const struct pm_field min_avg_max[] = { NUM("min"), NUM("avg"), NUM("max"), { 0 } };

/*
 * DNS.
 */

static const struct pm_field dns_name_members[] = {
	STR("name"), INT("queries"), INT("responses"), INT("nxdomain"), { 0 },
};
static const struct pm_field dns_ttl_members[] = {
	INT("answers"), INT("min"), NUM("avg"), INT("max"), { 0 },
};
static const struct pm_field dns_rtt_members[] = {
	INT("matched"), NUM("min"), NUM("avg"), NUM("max"), { 0 },
};
static const struct pm_field dns_transport_members[] = { INT("UDP"), INT("TCP"), { 0 } };
static const struct pm_field dns_edns_members[] = {
	INT("messages"),
	INT("dnssec_ok"),
	INT("client_subnet"),
	{ 0 },
};
static const struct pm_field dns_stats_members[] = {
	{ .name = "queries", .type = PM_F_INT, .description = "query messages" },
	{ .name = "responses", .type = PM_F_INT, .description = "response messages" },
	{ .name = "unique_domains_queried", .type = PM_F_INT },
	STRS("unique_domains", "the most queried names, at most top*5"),
	BOOL("unique_domains_truncated"),
	MAP("rcodes", "responses by rcode name (NOERROR, NXDOMAIN, ...)"),
	INT("nxdomain"),
	INT("servfail"),
	INT("refused"),
	{ .name = "error_ratio",
	  .type = PM_F_NUM,
	  .description = "NXDOMAIN + SERVFAIL + REFUSED over responses" },
	MAP("query_types", "first questions by type name (A, AAAA, TXT, TYPE65, other)"),
	MAP("answer_types", "answer records by type name"),
	OBJ("ttl", dns_ttl_members),
	OBJ("response_time_ms", dns_rtt_members),
	{ .name = "transactions",
	  .type = PM_F_INT,
	  .description = "queries matched by client, server, ports, id and question" },
	INT("unanswered_queries"),
	INT("unmatched_responses"),
	{ .name = "unexpected_server_responses",
	  .type = PM_F_INT,
	  .description = "responses from a server the query was not sent to" },
	INT("retransmitted_queries"),
	INT("truncated_responses"),
	OBJ("transports", dns_transport_members),
	INT("mdns_messages"),
	INT("llmnr_messages"),
	{ .name = "tcp_split_messages",
	  .type = PM_F_INT,
	  .description = "DNS-over-TCP messages that spanned segments, reassembled and parsed" },
	{ .name = "tcp_incomplete_streams",
	  .type = PM_F_INT,
	  .description = "DNS-over-TCP directions that ended inside a message (bytes missing "
	                 "from the capture or beyond the reassembly window)" },
	OBJ("edns", dns_edns_members),
	INT("truncated_messages"),
	MAP("malformed", "refused messages: total and by reason (pointer_loop, ...)"),
	{ .name = "approximate", .type = PM_F_BOOL, .description = "a table was full" },
	{ 0 },
};
static const struct pm_field dns_base_members[] = {
	STR("domain"),      INT("queries"),       INT("unique_names"),
	INT("txt_queries"), INT("longest_label"), { 0 },
};
static const struct pm_field dns_host_members[] = {
	STR("ip"),         INT("queries"), INT("responses"), INT("nxdomain"), INT("servfail"),
	INT("unanswered"), { 0 },
};
static const struct pm_field dns_unanswered_members[] = {
	STR("time"), STR("client"),         STR("server"), INT("dns_id"),
	STR("name"), OPT(PM_F_STR, "type"), INT("copies"), { 0 },
};
static const struct pm_field dns_flag_members[] = {
	BOOL("is_response"),       BOOL("authoritative"),       BOOL("truncated"),
	BOOL("recursion_desired"), BOOL("recursion_available"), { 0 },
};
static const struct pm_field dns_question_members[] = {
	STR("name"),
	INT("type"),
	INT("class"),
	{ 0 },
};
static const struct pm_field dns_answer_members[] = {
	STR("name"),
	INT("type"),
	INT("class"),
	INT("ttl"),
	OPT(PM_F_STR, "address"),
	OPT(PM_F_STR, "cname"),
	OPT(PM_F_STR, "mx"),
	OPT(PM_F_STR, "data"),
	{ 0 },
};
static const struct pm_field dns_packet_members[] = {
	INT("packet_number"),
	STR("timestamp"),
	STR("source_ip"),
	STR("destination_ip"),
	INT("source_port"),
	INT("destination_port"),
	STR("protocol"),
	INT("dns_id"),
	OBJ("flags", dns_flag_members),
	{ .name = "rcode", .type = PM_F_STR, .optional = true, .description = "responses only" },
	{ .name = "malformed",
	  .type = PM_F_STR,
	  .optional = true,
	  .description = "why the message was refused" },
	OBJS("questions", dns_question_members, NULL),
	OBJS("answers", dns_answer_members, NULL),
	INT("answer_count"),
	{ 0 },
};
static const struct pm_field dns_evidence[] = {
	OPT(PM_F_STR, "base_domain"),
	OPT(PM_F_INT, "unique_names"),
	OPT(PM_F_INT, "long_label_names"),
	OPT(PM_F_INT, "high_entropy_names"),
	OPT(PM_F_INT, "longest_label"),
	OPT(PM_F_STR, "example"),
	OPT(PM_F_INT, "txt_queries"),
	OPT(PM_F_INT, "queries"),
	OPT(PM_F_STR, "client"),
	OPT(PM_F_INT, "nxdomain"),
	OPT(PM_F_INT, "responses"),
	OPT(PM_F_INT, "unanswered"),
	OPT(PM_F_INT, "transactions"),
	OPT(PM_F_INT, "pointer_loop"),
	OPT(PM_F_INT, "forward_pointer"),
	OPT(PM_F_INT, "too_many_pointers"),
	OPT(PM_F_INT, "name_too_long"),
	OPT(PM_F_INT, "bad_label"),
	OPT(PM_F_INT, "bad_rdata"),
	OPT(PM_F_INT, "too_many_records"),
	OPT(PM_F_INT, "incomplete_streams"),
	OPT(PM_F_INT, "flows_not_reassembled"),
	OPT(PM_F_INT, "continuation_segments"),
	{ 0 },
};
const struct pm_field pm_field_dns_result[] = {
	HEAD("total_packets_in_file", "dns"),
	OBJ("statistics", dns_stats_members),
	OBJS("top_names", dns_name_members, "the most queried names"),
	OBJS("top_base_domains", dns_base_members, "registrable domains (public-suffix aware)"),
	OBJS("top_clients", dns_host_members, NULL),
	OBJS("top_servers", dns_host_members, NULL),
	OBJS("unanswered", dns_unanswered_members, "queries without a response, filtered"),
	PAGE("unanswered_page"),
	SAMPLE(dns_packet_members),
	FINDINGS(dns_evidence),
	{ 0 },
};

/*
 * DHCP.
 */

static const struct pm_field dhcp_stats_members[] = {
	INT("unique_clients_count"),
	INT("unique_servers_count"),
	STRS("unique_clients", "client MACs, the top first"),
	STRS("unique_servers", "server identifiers, the top first"),
	MAP("message_type_counts", "DHCPv4 messages by type (DISCOVER, OFFER, ..., BOOTP)"),
	INT("transaction_count"),
	{ .name = "dora_completed",
	  .type = PM_F_INT,
	  .description = "transactions with DISCOVER, OFFER, REQUEST and ACK" },
	MAP("dhcpv6_message_type_counts", "DHCPv6 messages by type (SOLICIT, ADVERTISE, ...)"),
	INT("dhcpv4_messages"),
	INT("dhcpv6_messages"),
	INT("truncated"),
	INT("malformed"),
	BOOL("approximate"),
	{ 0 },
};
/* What DHCPv6 servers' ADVERTISE and REPLY gave, per transaction and per client. */
#define DHCP6_LEASES                                                                               \
	{ .name = "ipv6_addresses",                                                                \
	  .type = PM_F_ARR,                                                                        \
	  .item = &pm_field_str,                                                                   \
	  .optional = true,                                                                        \
	  .description = "DHCPv6: IA_NA addresses (option 5 in option 3), at most 2" },            \
	    { .name = "ipv6_prefixes",                                                             \
	      .type = PM_F_ARR,                                                                    \
	      .item = &pm_field_str,                                                               \
	      .optional = true,                                                                    \
	      .description = "DHCPv6: IA_PD prefixes (option 26 in option 25) as addr/len, at "    \
		             "most 2" },                                                           \
	    OPT(PM_F_INT, "more_leases")
static const struct pm_field dhcp6_client_members[] = {
	{ .name = "client_duid",
	  .type = PM_F_STR,
	  .description = "hex; its first 32 bytes, then ... when longer" },
	INT("messages"),
	DHCP6_LEASES,
	{ 0 },
};
static const struct pm_field dhcp_txn_members[] = {
	STR("transaction_id"),
	INT("version"),
	OPT(PM_F_STR, "client_mac"),
	STRS("messages", "message types in order"),
	OPT(PM_F_BOOL, "dora_completed"),
	OPT(PM_F_STR, "server_id"),
	OPT(PM_F_STR, "your_ip"),
	DHCP6_LEASES,
	STR("first"),
	NUM("duration_s"),
	{ 0 },
};
static const struct pm_field dhcp_client_members[] = {
	STR("client_mac"),
	INT("messages"),
	STR("hostname"),
	STR("vendor_class"),
	{ .name = "fingerprint",
	  .type = PM_F_STR,
	  .description = "parameter request list (option 55), e.g. \"1,3,6,15\"" },
	OPT(PM_F_STR, "assigned_ip"),
	OPT(PM_F_INT, "lease_time"),
	{ 0 },
};
static const struct pm_field dhcp_server_members[] = {
	STR("ip"),
	OPT(PM_F_STR, "server_id"),
	OPT(PM_F_INT, "offers"),
	OPT(PM_F_INT, "acks"),
	OPT(PM_F_INT, "naks"),
	{ .name = "clients",
	  .type = PM_F_ARR,
	  .item = &pm_field_str,
	  .optional = true,
	  .description = "MACs of the clients it answered" },
	OPT(PM_F_INT, "more_clients"),
	OPT(PM_F_INT, "advertises"),
	OPT(PM_F_INT, "replies"),
	{ 0 },
};
static const struct pm_field dhcp_packet_members[] = {
	INT("packet_number"),
	STR("timestamp"),
	STR("src_ip"),
	STR("dst_ip"),
	INT("src_port"),
	INT("dst_port"),
	STR("transaction_id"),
	OPT(PM_F_STR, "message_type"),
	OPT(PM_F_INT, "message_type_code"),
	OPT(PM_F_INT, "dhcp_version"),
	OPT(PM_F_STR, "op"),
	OPT(PM_F_STR, "client_ip"),
	OPT(PM_F_STR, "your_ip"),
	OPT(PM_F_STR, "server_ip"),
	OPT(PM_F_STR, "relay_ip"),
	OPT(PM_F_STR, "client_mac"),
	OPT(PM_F_STR, "server_id"),
	OPT(PM_F_STR, "requested_ip"),
	OPT(PM_F_INT, "lease_time"),
	OPT(PM_F_INT, "renewal_time"),
	OPT(PM_F_INT, "rebinding_time"),
	{ 0 },
};
static const struct pm_field dhcp_evidence[] = {
	{ .name = "servers",
	  .type = PM_F_ARR,
	  .optional = true,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = dhcp_server_members } },
	OPT(PM_F_INT, "naks"),
	OPT(PM_F_INT, "discover_macs"),
	OPT(PM_F_INT, "acks"),
	{ 0 },
};
const struct pm_field pm_field_dhcp_result[] = {
	HEAD("total_packets", "dhcp"),
	OBJ("statistics", dhcp_stats_members),
	OBJS("transactions", dhcp_txn_members, "by xid, filtered by client"),
	PAGE("transactions_page"),
	OBJS("clients", dhcp_client_members, "per client MAC"),
	OBJS("dhcpv6_clients", dhcp6_client_members, "per DHCPv6 client DUID"),
	PAGE("dhcpv6_clients_page"),
	OBJS("servers", dhcp_server_members, "DHCPv4 servers: offers, acks, naks, clients"),
	OBJS("dhcpv6_servers", dhcp_server_members, "DHCPv6 servers by DUID"),
	SAMPLE(dhcp_packet_members),
	FINDINGS(dhcp_evidence),
	{ 0 },
};

/*
 * ICMP.
 */

static const struct pm_field icmp_pair_members[] = { INT("requests"), INT("replies"), { 0 } };
static const struct pm_field icmp_type_code_members[] = {
	INT("version"), INT("type"), INT("code"), STR("name"), OPT(PM_F_STR, "code_name"),
	INT("count"),   { 0 },
};
static const struct pm_field icmp_stats_members[] = {
	MAP("icmp_type_counts", "messages by type name (Echo Request, ICMPv6 ..., Unknown ...)"),
	INT("unique_sources_count"),
	INT("unique_destinations_count"),
	STRS("unique_sources", "the busiest top"),
	STRS("unique_destinations", "the busiest top"),
	{ .name = "echo_sessions", .type = PM_F_INT, .description = "distinct echo ids" },
	{ .name = "echo_pairs",
	  .type = PM_F_MAP,
	  .item = &(const struct pm_field){ .type = PM_F_OBJ, .members = icmp_pair_members },
	  .description = "requests and replies by echo id, the busiest top" },
	INT("unreachable_destinations_count"),
	STRS("unreachable_destinations", NULL),
	OBJS("type_codes", icmp_type_code_members, "counts by version, type and code"),
	INT("echo_requests"),
	INT("echo_replies"),
	INT("echo_unanswered"),
	INT("echo_unmatched_replies"),
	INT("truncated"),
	INT("malformed"),
	BOOL("approximate"),
	{ 0 },
};
static const struct pm_field icmp_echo_host_members[] = {
	STR("requester"),
	STR("responder"),
	INT("requests"),
	INT("replies"),
	INT("answered"),
	{ .name = "rtt_ms",
	  .type = PM_F_OBJ,
	  .optional = true,
	  .members = min_avg_max,
	  .description = "round-trip times of the answered echoes" },
	{ 0 },
};
static const struct pm_field icmp_unreach_members[] = {
	STR("destination"), STR("protocol"), OPT(PM_F_INT, "port"), INT("code"),
	STR("code_name"),   INT("count"),    STR("reported_by"),    { 0 },
};
static const struct pm_field icmp_trace_members[] = {
	STR("source"),
	STR("destination"),
	INT("time_exceeded"),
	STRS("routers", "the routers that answered, in TTL order"),
	{ 0 },
};
static const struct pm_field icmp_redir_members[] = {
	INT("version"),
	{ .name = "router", .type = PM_F_STR, .description = "the redirect's sender" },
	{ .name = "gateway",
	  .type = PM_F_STR,
	  .description = "ICMP: the gateway address; ICMPv6: the target (the better first hop)" },
	{ .name = "destination",
	  .type = PM_F_STR,
	  .description = "ICMP: the quoted header's destination; ICMPv6: the destination field" },
	INT("code"),
	OPT(PM_F_STR, "code_name"),
	INT("count"),
	STR("first"),
	{ 0 },
};
static const struct pm_field icmp_router_members[] = {
	STR("ip"),       INT("advertisements"), INT("lifetime_s"),    INT("hop_limit"),
	BOOL("managed"), BOOL("other_config"),  OPT(PM_F_STR, "mac"), STRS("prefixes", NULL),
	{ 0 },
};
static const struct pm_field icmp_nd_members[] = {
	INT("router_solicitations"),
	INT("router_advertisements"),
	INT("neighbor_solicitations"),
	INT("neighbor_advertisements"),
	INT("dad_probes"),
	INT("redirects"),
	OBJS("routers", icmp_router_members, "routers advertising, with their prefixes"),
	{ 0 },
};
static const struct pm_field icmp_packet_members[] = {
	INT("packet_number"),
	STR("timestamp"),
	STR("src_ip"),
	STR("dst_ip"),
	INT("ip_version"),
	OPT(PM_F_INT, "ttl"),
	OPT(PM_F_INT, "hop_limit"),
	INT("packet_size"),
	INT("icmp_type"),
	INT("icmp_code"),
	STR("icmp_type_name"),
	OPT(PM_F_STR, "icmp_code_name"),
	{ .name = "icmp_id", .type = PM_F_INT, .nullable = true, .description = "echo only" },
	{ .name = "icmp_seq", .type = PM_F_INT, .nullable = true, .description = "echo only" },
	{ .name = "original_dst_ip",
	  .type = PM_F_STR,
	  .optional = true,
	  .description = "from the embedded original header (errors)" },
	OPT(PM_F_STR, "original_protocol"),
	OPT(PM_F_INT, "original_dst_port"),
	{ 0 },
};
static const struct pm_field icmp_evidence[] = {
	{ .name = "routers", .type = PM_F_ARR, .item = &pm_field_str, .optional = true },
	OPT(PM_F_INT, "redirects"),
	OPT(PM_F_STR, "address"),
	OPT(PM_F_INT, "probes"),
	OPT(PM_F_INT, "advertisements"),
	OPT(PM_F_STR, "source"),
	OPT(PM_F_INT, "targets"),
	OPT(PM_F_INT, "unanswered"),
	OPT(PM_F_INT, "requests"),
	{ 0 },
};
const struct pm_field pm_field_icmp_result[] = {
	HEAD("total_packets", "icmp"),
	OBJ("statistics", icmp_stats_members),
	OBJS("echo_hosts", icmp_echo_host_members, "echo round trips per requester and responder"),
	OBJS("unreachable", icmp_unreach_members, "unreachable destinations from embedded headers"),
	PAGE("unreachable_page"),
	OBJS("traceroute", icmp_trace_members, "time-exceeded paths per source and destination"),
	OBJS("redirects", icmp_redir_members,
	     "redirects by sender, gateway (ICMPv6: target) and destination, most first"),
	PAGE("redirects_page"),
	OBJ("neighbor_discovery", icmp_nd_members),
	SAMPLE(icmp_packet_members),
	FINDINGS(icmp_evidence),
	{ 0 },
};

/*
 * SIP.
 */

static const struct pm_field sip_stats_members[] = {
	INT("requests"),
	INT("responses"),
	MAP("methods", "requests by method"),
	MAP("response_classes", "responses by class (\"2xx\")"),
	INT("unique_call_ids"),
	STRS("call_ids", "the first top Call-IDs"),
	MAP("transports", "messages by transport (UDP, TCP)"),
	STRS("user_agents", "User-Agent and Server values, at most top*2"),
	MAP("status_codes", "responses by status code (\"200\")"),
	INT("malformed"),
	INT("truncated"),
	BOOL("approximate"),
	{ 0 },
};
static const struct pm_field sip_call_members[] = {
	STR("call_id"),
	STR("from"),
	STR("to"),
	STR("first_method"),
	INT("messages"),
	BOOL("invite"),
	BOOL("ringing"),
	OPT(PM_F_INT, "final_status"),
	BOOL("ack"),
	BOOL("bye"),
	{ .name = "setup_s",
	  .type = PM_F_NUM,
	  .optional = true,
	  .description = "INVITE to 2xx, seconds" },
	{ .name = "duration_s",
	  .type = PM_F_NUM,
	  .optional = true,
	  .description = "2xx to BYE, seconds" },
	STR("first"),
	{ 0 },
};
static const struct pm_field sip_packet_members[] = {
	INT("packet_number"),
	STR("timestamp"),
	STR("source_ip"),
	STR("destination_ip"),
	INT("source_port"),
	INT("destination_port"),
	STR("transport"),
	STR("message_type"),
	STR("start_line"),
	STR("call_id"),
	STR("cseq"),
	STR("from"),
	STR("to"),
	STR("contact"),
	STR("user_agent"),
	STR("server"),
	STR("via"),
	STR("content_type"),
	{ .name = "content_length", .type = PM_F_INT, .nullable = true },
	INT("body_length"),
	BOOL("known_sip_port"),
	OPT(PM_F_STR, "method"),
	OPT(PM_F_INT, "status_code"),
	OPT(PM_F_STR, "reason_phrase"),
	{ 0 },
};
static const struct pm_field sip_evidence[] = {
	OPT(PM_F_STR, "source"),
	OPT(PM_F_INT, "auth_failures"),
	OPT(PM_F_INT, "registers"),
	OPT(PM_F_INT, "invites"),
	OPT(PM_F_STR, "user_agent"),
	OPT(PM_F_INT, "messages"),
	{ 0 },
};
const struct pm_field pm_field_sip_result[] = {
	HEAD("total_packets_in_file", "sip"),
	OBJ("statistics", sip_stats_members),
	OBJS("calls", sip_call_members, "dialogues by Call-ID, filtered by call_id"),
	PAGE("calls_page"),
	SAMPLE(sip_packet_members),
	FINDINGS(sip_evidence),
	{ 0 },
};
