/* SPDX-License-Identifier: MIT */
/*
 * prompts.c - the texts of the four MCP prompts. Steps may name tools that a
 * later issue adds (scan_overview, analyze_dns_packets, ...); mcp.c leaves
 * out every step whose tool the registry does not know or does not offer.
 */
#include "prompts.h"

#include <string.h>

#include "pm.h"

static const struct pm_prompt_step scan_steps[] = {
	{ "get_pcap_summary", "see the time span, the hosts and the protocols in the capture" },
	{ "scan_overview", "get the scan verdict: which sources probe many ports or hosts" },
	{ "list_suspects", "rank the scanning sources and read their port and host counts" },
	{ "first_scan_event", "find when each suspect started scanning" },
	{ "analyze_port_flows",
	  "list the destination ports touched; many ports with one or two packets each "
	  "suggest a SYN scan" },
	{ "analyze_tcp_connections",
	  "look for many connection attempts that never complete the handshake or end in "
	  "RST" },
	{ "analyze_ip_flows", "see who talked to whom, and whether a scanner got answers" },
};

static const struct pm_prompt_step triage_steps[] = {
	{ "get_pcap_summary", "get the overview: span, top hosts, top protocols" },
	{ "analyze_tcp_anomalies",
	  "look for resets, zero windows, retransmission bursts and half-open connections" },
	{ "analyze_protocol_flows",
	  "check DNS and TLS traffic (protocol \"dns\", then \"tls\") for unusual volumes or "
	  "peers" },
	{ "analyze_ip_flows",
	  "find the top talkers and any external address moving much more data than the "
	  "rest" },
	{ "analyze_dns_packets", "look for long, random-looking or very frequent names" },
	{ "analyze_tls", "check SNI names and versions of the TLS sessions" },
	{ "analyze_http_packets", "look at hosts, user agents and methods of plain HTTP" },
	{ "scan_overview", "check whether any host scanned the network" },
	{ "enrich_ip", "check the reputation of the suspicious external addresses" },
};

static const struct pm_prompt_step trouble_steps[] = {
	{ "analyze_capinfos", "check the capture itself: packet count, snap length, damage" },
	{ "get_pcap_summary", "see which hosts and protocols dominate" },
	{ "analyze_tcp_retransmissions",
	  "find the connections with the most retransmissions and when they happened" },
	{ "analyze_tcp_anomalies", "look for resets, zero windows and duplicate ACKs" },
	{ "analyze_tcp_connections", "find slow or failed handshakes and short-lived connections" },
	{ "analyze_traffic_flow", "follow the traffic between the affected client and server" },
	{ "analyze_icmp_packets",
	  "look for unreachable, time-exceeded and fragmentation messages" },
	{ "analyze_dns_packets", "look for failed or slow name resolution" },
};

static const struct pm_prompt_step timeline_steps[] = {
	{ "analyze_capinfos", "note the first and last packet times and any gaps or damage" },
	{ "get_pcap_summary", "get the hosts, protocols and activity over time" },
	{ "analyze_ip_flows", "list conversations with their start times and volumes" },
	{ "analyze_tcp_connections", "order the TCP connections by their start" },
	{ "analyze_dns_packets", "record which names were resolved, and when" },
	{ "analyze_http_packets", "record the HTTP requests with their times" },
	{ "analyze_tls", "record the TLS server names with their times" },
	{ "first_scan_event", "place any scanning on the timeline" },
};

static const struct pm_prompt prompts[] = {
	{ "scan_investigation", "Scan investigation",
	  "Find port scans in a capture: who scanned, what, when, and whether it got answers.",
	  "Investigate port scanning in the capture",
	  "Report each scanning source with its targets, ports, start time and technique, "
	  "and say which probes were answered. Quote the numbers the tools returned.",
	  scan_steps, PM_ARRAY_LEN(scan_steps) },
	{ "security_triage", "Security triage",
	  "First look at a capture for signs of compromise, exfiltration or scanning.",
	  "Triage the capture for security problems",
	  "Summarise the findings by severity, each with the hosts, times and tool output "
	  "that support it, and say what to look at next.",
	  triage_steps, PM_ARRAY_LEN(triage_steps) },
	{ "network_troubleshooting", "Network troubleshooting",
	  "Find why connections in a capture are slow or failing.",
	  "Troubleshoot the network problems visible in the capture",
	  "Explain the most likely cause of the problems, the hosts and connections "
	  "affected, and the evidence from the tool results.",
	  trouble_steps, PM_ARRAY_LEN(trouble_steps) },
	{ "forensic_timeline", "Forensic timeline",
	  "Build a timeline of what happened in a capture.",
	  "Build a forensic timeline of the capture",
	  "Write the timeline as a list ordered by time (UTC), one event a line with the "
	  "hosts involved, and mark the events that look suspicious.",
	  timeline_steps, PM_ARRAY_LEN(timeline_steps) },
};

/* see prompts.h */
const struct pm_prompt *
pm_prompts(size_t *n)
{
	*n = PM_ARRAY_LEN(prompts);
	return prompts;
}

/* see prompts.h */
const struct pm_prompt *
pm_prompt_find(const char *name)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(prompts); i++) {
		if (strcmp(prompts[i].name, name) == 0) {
			return &prompts[i];
		}
	}
	return NULL;
}
