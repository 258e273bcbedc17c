/* SPDX-License-Identifier: MIT */
/*
 * cli_print.h - the CLI's human-readable tables, one print hook per tool.
 *
 * A hook reads a tool's result tree (the JSON the registry wrote, parsed
 * back; see jsonparse.h), never the analysis, so the table and the JSON an
 * MCP client gets cannot disagree. A fact a table needs is a member of the
 * result. Hooks write to stdout and never fail: a member that is missing
 * prints as 0 or "-".
 */
#ifndef PM_CLI_PRINT_H
#define PM_CLI_PRINT_H

struct pm_jv;

/* Print the table for the result object r; file is the capture as the user named it. */
typedef void (*pm_cli_print_fn)(const struct pm_jv *r, const char *file);

/* analyze_capinfos: capinfos-style facts, one per line. */
void pm_cli_print_info(const struct pm_jv *r, const char *file);

/* get_pcap_summary: totals, protocols, top talkers, ports and flows, TCP health. */
void pm_cli_print_summary(const struct pm_jv *r, const char *file);

/* analyze_port_flows, analyze_ip_flows, analyze_protocol_flows: the page of flows. */
void pm_cli_print_flows(const struct pm_jv *r, const char *file);

/* analyze_tcp_connections: the page of connections. */
void pm_cli_print_connections(const struct pm_jv *r, const char *file);

/* scan_overview, list_suspects and first_scan_event merged into one object. */
void pm_cli_print_scan(const struct pm_jv *r, const char *file);

/*
 * analyze_dns_packets, analyze_dhcp_packets, analyze_icmp_packets,
 * analyze_sip_packets: mcpcap's counts, the scalar and counter members of
 * statistics, the findings and the size of the packet sample.
 */
void pm_cli_print_proto(const struct pm_jv *r, const char *file);

#endif /* PM_CLI_PRINT_H */
