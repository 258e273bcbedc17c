/* SPDX-License-Identifier: MIT */
/*
 * scan.h - port-scan detection from the flow table (PortHunter's contract:
 * scan_overview, list_suspects, first_scan_event; CLI `scan`; the views are
 * in scanview.h).
 *
 * Detection reads finished flows, never packets, so the per-packet path
 * stays one flow-table update. A probe is a flow the scanner opened
 * (fl->client) that carried no payload either way, or a connect scan
 * (handshake completed, then RST/FIN from the client, no data). Its
 * technique comes from the TCP flags of the client's first segment; its
 * answer from the server side (SYN-ACK open, RST closed, ICMP port
 * unreachable closed, other unreachable or nothing filtered). UDP flows
 * without a reply (or answered by ICMP unreachable) and ICMP echo flows are
 * probes too, and so are unanswered packets of other IP protocols to a
 * unicast host, where the source tried at least PM_SCAN_MIN_PROTOCOLS
 * protocols (an IP protocol scan; ICMP protocol unreachable = closed; one
 * ESP or GRE peer is no scan).
 * Servers answering, clients whose connections carry data, resolvers whose
 * queries are answered, and a browser's pre-connects (a handshake closed
 * without data by a client whose other connections to the same server
 * carry data) make no probes. UDP and echo probes answered by ICMP time
 * exceeded are a traceroute (and so are that source's other UDP probes to
 * the same host): they are counted per source in `traceroute` and make no
 * targets, so a route trace never makes a scanner.
 *
 * pm_scan_finish gathers the probes once, sorted by source and time, with
 * parameter-free per-source counts; the views apply the time window and the
 * thresholds. Lists are sorted with ties broken by address bytes.
 */
#ifndef PM_SCAN_H
#define PM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_flows;
struct pm_json;

/* Probe techniques, in output order. */
enum pm_scan_tech {
	PM_SCAN_SYN = 0,     /* SYN without ACK, no completed handshake */
	PM_SCAN_FIN,         /* FIN only */
	PM_SCAN_NULL,        /* no flags */
	PM_SCAN_XMAS,        /* FIN+PSH+URG */
	PM_SCAN_ACK,         /* bare ACK */
	PM_SCAN_MAIMON,      /* FIN+ACK */
	PM_SCAN_CONNECT,     /* handshake completed, then RST or FIN from the client, no data */
	PM_SCAN_UDP,         /* UDP without a reply, or answered by ICMP unreachable */
	PM_SCAN_ICMP,        /* ICMP/ICMPv6 echo request (a sweep counts hosts) */
	PM_SCAN_IP_PROTOCOL, /* another IP protocol to a unicast host, unanswered (nmap -sO) */
	PM_SCAN_TRACEROUTE,  /* answered by time exceeded: a route trace, counted apart */
	PM_SCAN_TECH_COUNT
};

/* What the probed side answered. */
enum pm_scan_state {
	PM_SCAN_FILTERED = 0, /* nothing, or an ICMP unreachable other than port unreachable */
	PM_SCAN_CLOSED,       /* RST, ICMP port unreachable, ICMP protocol unreachable */
	PM_SCAN_OPEN,         /* SYN-ACK (TCP), echo reply (ICMP) */
	PM_SCAN_UNFILTERED,   /* ACK probe answered by RST (nmap -sA: reachable, state unknown) */
};

#define PM_SCAN_MIN_TARGETS       10   /* distinct targets that make a source a scanner */
#define PM_SCAN_FEW               3    /* kind: at most this many hosts (or ports) is "few" */
#define PM_SCAN_DEFAULT_WINDOW_S  60.0 /* scan_overview time_window_s */
#define PM_SCAN_DEFAULT_TOP       20   /* scan_overview top_k */
#define PM_SCAN_DEFAULT_MIN_PORTS 10   /* list_suspects min_ports (counts targets) */
#define PM_SCAN_DEFAULT_MIN_RATE  5.0  /* list_suspects min_rate_pps */
#define PM_SCAN_STEALTH_WEIGHT    1.5  /* score factor for FIN/NULL/XMAS/ACK/Maimon probes */
#define PM_SCAN_MIN_PROTOCOLS     5 /* IP protocols tried at one host that make ip_protocol probes */

#define PM_SCAN_NONE UINT32_MAX /* no probe index */

/* One probe: a flow the scanner opened. */
struct pm_scan_probe {
	uint8_t src[16]; /* scanner address, network order */
	uint8_t dst[16]; /* probed address, network order */
	int64_t ts;      /* ns: the scanner's first packet of the flow */
	int64_t last;    /* ns: the scanner's last packet of the flow */
	uint32_t pkts;   /* packets the scanner sent in the flow */
	uint32_t prev,
	    next;       /* same source and target, earlier/later probe index, or PM_SCAN_NONE */
	uint16_t port;  /* probed port, host order; 0 for ICMP; the protocol for ip_protocol */
	uint16_t flags; /* PM_TCP_* of the scanner's first segment (TCP) */
	uint8_t ipver;  /* 4 or 6 */
	uint8_t proto;  /* IP protocol */
	uint8_t tech;   /* enum pm_scan_tech */
	uint8_t state;  /* enum pm_scan_state */
	uint8_t ttl;    /* TTL or hop limit of the scanner's first packet */
	bool aside;     /* makes no target: traceroute, or an ip_protocol probe of too few */
	bool fin_close; /* TCP: the scanner closed with FIN and sent no RST */
};

/* One probing source; probes [lo, hi) of pm_scan.probes, by time. */
struct pm_scan_src {
	uint8_t addr[16]; /* network order */
	uint8_t ipver;    /* 4 or 6 */
	bool is_scanner;  /* targets >= PM_SCAN_MIN_TARGETS */
	size_t lo, hi;    /* probe index range: the probes that count */
	size_t aside_hi;  /* [hi, aside_hi): traceroute probes and lone ip_protocol ones, by time */
	uint64_t pkts;    /* packets sent in probes */
	uint64_t hosts;   /* distinct probed addresses */
	uint64_t ports;   /* distinct TCP/UDP ports probed */
	uint64_t targets; /* distinct (host, port); an ICMP-swept host is (host, 0) */
	uint64_t open;    /* distinct (host, port) answered with SYN-ACK */
	uint64_t tech[PM_SCAN_TECH_COUNT]; /* probes by technique */
	int64_t first, last;               /* ns: first probe start, last probe packet */
};

struct pm_scan {
	struct pm_scan_probe *probes; /* sorted by (ipver, src, ts); malloc'd, owned */
	size_t n_probes;
	struct pm_scan_src *srcs; /* by (ipver, addr); malloc'd, owned */
	size_t n_srcs;
	bool approximate; /* the flow table was full or memory ran out */
};

void pm_scan_init(struct pm_scan *s);

/* Gather the probes of the finished flow table f (call after pm_flows_finish). */
void pm_scan_finish(struct pm_scan *s, const struct pm_flows *f);

void pm_scan_free(struct pm_scan *s);

/* Order of probes by target: destination bytes, TCP/UDP, then ip_protocol, then ICMP; port. */
int pm_scan_cmp_target(const struct pm_scan_probe *a, const struct pm_scan_probe *b);

/* Whether the probe is an ICMP echo (its target is the host, port 0). */
static inline bool
pm_scan_probe_is_icmp(const struct pm_scan_probe *p)
{
	return p->tech == PM_SCAN_ICMP;
}

/* Whether the probe's target has a TCP/UDP port (not ICMP, not ip_protocol). */
static inline bool
pm_scan_probe_has_port(const struct pm_scan_probe *p)
{
	return p->tech != PM_SCAN_ICMP && p->tech != PM_SCAN_IP_PROTOCOL;
}

/*
 * "syn", "fin", "null", "xmas", "ack", "maimon", "connect", "udp",
 * "icmp_sweep", "ip_protocol", "traceroute".
 */
const char *pm_scan_tech_name(enum pm_scan_tech t);

/* "vertical" (<= PM_SCAN_FEW hosts), "horizontal" (<= PM_SCAN_FEW ports), else "block". */
const char *pm_scan_kind(const struct pm_scan_src *src);

/* Probe packets per second over first..last; a source whose span is 0 gets its packet count. */
double pm_scan_rate(const struct pm_scan_src *src);

/*
 * log2(1 + targets) * (1 + open / targets) * (PM_SCAN_STEALTH_WEIGHT when any
 * FIN/NULL/XMAS/ACK/Maimon probe was sent, else 1).
 */
double pm_scan_score(const struct pm_scan_src *src);

/* The most distinct targets src probed within any window_ns (probe start times). */
uint64_t pm_scan_window_max(const struct pm_scan *s, const struct pm_scan_src *src,
                            int64_t window_ns);

/* The earliest probe of any scanner, or NULL. */
const struct pm_scan_probe *pm_scan_first(const struct pm_scan *s);

#endif /* PM_SCAN_H */
