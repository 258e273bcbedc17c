/* SPDX-License-Identifier: MIT */
/*
 * dnsview.h - analyze_dns_packets: the DNS view over a finished analysis
 * (dnsstats.h), with mcpcap's keys first.
 *
 * Arguments (struct pm_dns_args; pm_dns_args_init sets the defaults):
 *   name     string, optional: case-insensitive substring of the first
 *            question's name
 *   client   string, optional: IPv4 or IPv6 address of the client (the
 *            query's source, the response's destination)
 *   server   string, optional: IPv4 or IPv6 address of the server
 *   rcode    integer 0..15 or a name (NOERROR, NXDOMAIN, SERVFAIL,
 *            REFUSED, ...; see pm_dns_rcode_parse), optional: responses
 *            with that rcode only; default -1 (any)
 *   type     integer 1..65535 or a type name (A, AAAA, TXT, ...; see
 *            pm_dns_qtype_parse), optional: first question's type; default -1
 *   limit    integer 0..1000 (larger is clamped), default 20: packets per page
 *   offset   integer >= 0, default 0: packets skipped
 *   top      integer 1..100 (clamped), default 10: entries per top list
 * The filters select the `packets` sample and the `unanswered` list;
 * `statistics` and the top lists always cover the whole capture.
 *
 * Members written: file, total_packets_in_file, dns_packets_found (packets
 * carrying DNS), dns_packets_analyzed (messages parsed), statistics
 * (mcpcap's queries, responses, unique_domains_queried, unique_domains
 * (the top names, at most `top`*5), then rcodes, error counts and ratio,
 * query and answer types, TTLs, response times, unanswered, transports,
 * EDNS, malformed reasons, approximate), top_names, top_base_domains,
 * top_clients, top_servers, unanswered (+ _page), packets (+ packets_page:
 * a sample of the first PM_DNS_MAX_SAMPLES messages, with mcpcap's
 * per-packet fields), findings.
 */
#ifndef PM_DNSVIEW_H
#define PM_DNSVIEW_H

#include <stdint.h>

#include "pm.h"
#include "protoview.h"

struct pm_analysis;
struct pm_json;

/* The arguments of analyze_dns_packets. */
struct pm_dns_args {
	const char *name;   /* name substring; NULL: any */
	const char *client; /* client address text; NULL: any */
	const char *server; /* server address text; NULL: any */
	int32_t rcode;      /* 0..15; -1: any */
	int32_t qtype;      /* 1..65535; -1: any */
	struct pm_pv_page page;
};

/* Thresholds of the DNS findings. */
#define PM_DNS_TUNNEL_NAMES     50  /* distinct names under one base domain */
#define PM_DNS_TUNNEL_LONG      10  /* names with long or high-entropy labels under one base */
#define PM_DNS_NX_MIN_RESPONSES 20  /* responses to a client before its NXDOMAIN ratio counts */
#define PM_DNS_NX_RATIO         0.5 /* NXDOMAIN share that is a finding */
#define PM_DNS_TXT_FLOOD        50  /* TXT queries under one base domain */

void pm_dns_args_init(struct pm_dns_args *a);

/* An rcode as a number ("3") or name ("NXDOMAIN", any case); -1 when neither. */
int32_t pm_dns_rcode_parse(const char *s);

/* A type as a number ("16") or name ("TXT", any case); -1 when neither. */
int32_t pm_dns_qtype_parse(const char *s);

/*
 * Write the members above for analysis a. Returns 0, PM_E_UNSUPPORTED when
 * the dns analyser did not run, or PM_E_MALFORMED for a bad argument (err
 * says which; nothing is written).
 */
PM_MUST_CHECK int pm_dns_view(const struct pm_analysis *a, const struct pm_dns_args *args,
                              struct pm_json *w, struct pm_error *err);

#endif /* PM_DNSVIEW_H */
