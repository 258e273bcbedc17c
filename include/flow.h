/* SPDX-License-Identifier: MIT */
/*
 * flow.h - bidirectional flows, and the host and port tables derived from them.
 *
 * Every decoded IP packet lands in one flow, keyed by the canonical
 * 5-tuple (both address families; the lower endpoint first), so both
 * directions share one entry. ICMP and ICMPv6 echo traffic is keyed by the
 * echo identifier, other ICMP messages by type and code. Per flow and
 * direction the table keeps packets, bytes and times, and for TCP the
 * handshake, FIN/RST, retransmissions (a payload range seen again),
 * out-of-order segments and zero-window advertisements (RFC 9293 §3.4 serial
 * arithmetic on sequence numbers). Applications are labelled by port and by
 * the first payload in each direction.
 *
 * The per-packet path touches one table entry. Hosts and ports are built
 * from the flows when the pass finishes (pm_flows_finish), so their totals
 * are exact sums over flows, and distinct peers/ports/clients are exact.
 */
#ifndef PM_FLOW_H
#define PM_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "table.h"

struct pm_pkt;

/* Canonical flow key: endpoint a is the lower (address, port). 40 bytes. */
struct pm_flow_key {
	uint8_t a[16]; /* network order; IPv4 in the first 4 bytes */
	uint8_t b[16];
	uint16_t pa, pb;   /* ports; ICMP: (echo id, 0) or (type, code) */
	uint8_t proto;     /* IP protocol number */
	uint8_t ipver;     /* 4 or 6 */
	uint8_t icmp_echo; /* 1 when keyed by echo identifier */
	uint8_t pad;       /* zero */
};
_Static_assert(sizeof(struct pm_flow_key) == 40, "flow key is hashed as 40 bytes");

/* Application labels. */
enum pm_app {
	PM_APP_UNKNOWN = 0,
	PM_APP_HTTP,
	PM_APP_TLS,
	PM_APP_DNS,
	PM_APP_QUIC,
	PM_APP_SSH,
	PM_APP_SMTP,
	PM_APP_DHCP,
	PM_APP_NTP,
	PM_APP_SIP,
	PM_APP_FTP,
	PM_APP_TELNET,
	PM_APP_POP3,
	PM_APP_IMAP,
	PM_APP_SNMP,
	PM_APP_LDAP,
	PM_APP_SMB,
	PM_APP_RDP,
	PM_APP_MYSQL,
	PM_APP_POSTGRES,
	PM_APP_REDIS,
	PM_APP_MDNS,
	PM_APP_LLMNR,
	PM_APP_NETBIOS,
	PM_APP_SYSLOG,
	PM_APP_BGP,
	PM_APP_COUNT
};

enum pm_label_src {
	PM_LABEL_NONE = 0,
	PM_LABEL_PORT,    /* from a well-known port */
	PM_LABEL_PAYLOAD, /* from the first payload bytes */
};

/* TCP state at the end of the capture. */
enum pm_tcp_state {
	PM_TCP_NA = 0,      /* not TCP */
	PM_TCP_ESTABLISHED, /* handshake completed, still open */
	PM_TCP_CLOSED,      /* FIN from both sides */
	PM_TCP_RESET,       /* ended by RST after it was established (or mid-stream) */
	PM_TCP_FAILED,      /* SYN never answered by SYN-ACK, or answered by RST */
	PM_TCP_HALF_OPEN,   /* handshake incomplete, or only one side sent FIN */
	PM_TCP_ACTIVE,      /* no handshake seen (started before the capture), still open */
};

/* One direction of a flow: 0 = a to b, 1 = b to a. */
struct pm_flow_dir {
	uint64_t packets;
	uint64_t bytes;         /* frame bytes on the wire, as tshark's conversation tables count */
	uint64_t payload;       /* transport payload bytes per the headers */
	int64_t first, last;    /* ns since the epoch */
	uint32_t syn, fin, rst; /* TCP segments with that flag */
	uint32_t data;          /* TCP segments carrying payload */
	uint16_t first_flags;   /* PM_TCP_* of this direction's first TCP segment */
	uint32_t retrans;       /* payload segments whose range was seen before */
	uint32_t ooo;           /* segments that arrived beyond a gap */
	uint32_t zero_win;      /* zero-window advertisements (not on RST) */
	uint32_t next_seq;      /* one past the highest sequence number sent */
	uint32_t isn;           /* sequence number of the SYN */
	uint32_t hole_lo;       /* first missing sequence number of the open gap */
	uint32_t hole_hi;       /* first sequence number after the open gap */
	bool hole_open;         /* a segment arrived beyond next_seq and left a gap */
	bool seq_valid;         /* next_seq holds a value */
	bool labelled;          /* the first payload was examined */
};

struct pm_flow {
	struct pm_flow_dir d[2];
	int64_t first, last; /* ns since the epoch, over both directions */
	uint8_t client;      /* endpoint that opened it: 0 = a, 1 = b */
	bool client_by_syn;  /* client decided by who sent the SYN */
	bool synack;         /* SYN-ACK seen from the server */
	bool handshake;      /* the client ACKed the SYN-ACK */
	bool rst_answer;     /* the SYN was answered by RST */
	uint8_t unreach;     /* enum pm_unreach: an ICMP/ICMPv6 error named this flow */
	uint8_t app;         /* enum pm_app */
	uint8_t app_src;     /* enum pm_label_src */
};

/*
 * An ICMP destination unreachable (RFC 792 type 3) or ICMPv6 destination
 * unreachable (RFC 4443 §3.1, type 1) quoting a packet of the flow: port
 * unreachable (ICMP code 3, ICMPv6 code 4) says the port is closed, any
 * other code that something filters it.
 */
enum pm_unreach {
	PM_UNREACH_NONE = 0,
	PM_UNREACH_PORT,  /* port unreachable */
	PM_UNREACH_OTHER, /* host, network, administratively prohibited, ... */
};

#define PM_ICMP_UNREACH        3 /* RFC 792 */
#define PM_ICMP_UNREACH_PORT   3 /* RFC 792 */
#define PM_ICMPV6_UNREACH      1 /* RFC 4443 §3.1 */
#define PM_ICMPV6_UNREACH_PORT 4 /* RFC 4443 §3.1 */

/* Aggregates per host address, built by pm_flows_finish. */
struct pm_host_key {
	uint8_t addr[16];
	uint8_t ipver;
	uint8_t pad[7];
};

struct pm_host {
	uint64_t pkts_sent, pkts_recv;
	uint64_t bytes_sent, bytes_recv;
	int64_t first, last;
	uint64_t flows; /* flows this host takes part in */
	uint64_t peers; /* distinct peer addresses */
	uint64_t ports; /* distinct (protocol, server port) it contacted as a client */
};

/* Aggregates per (protocol, server port), built by pm_flows_finish. */
struct pm_port_key {
	uint16_t port;
	uint8_t proto;
	uint8_t pad[5];
};

struct pm_port {
	uint64_t packets, bytes, flows;
	uint64_t clients; /* distinct client addresses */
	uint8_t app;      /* the label most flows on this port carry */
};

#define PM_TIMELINE_SLOTS 4096 /* fine buckets kept while streaming */
#define PM_FLOW_PIPE      16   /* packets between a flow's prefetch and its update */

/*
 * What the flow table needs of one packet, taken when it is decoded. Packets
 * wait PM_FLOW_PIPE packets in a queue while their table slot and record are
 * prefetched, so the table's cache misses overlap instead of adding up.
 */
struct pm_flow_event {
	struct pm_flow_key key;
	uint64_t tag;          /* the key's table tag */
	int64_t ts;            /* ns since the epoch */
	uint32_t wirelen;      /* frame bytes on the wire */
	uint32_t payload_wire; /* transport payload bytes per the headers */
	uint32_t seq;          /* TCP */
	uint16_t window;       /* TCP */
	uint16_t tcp_flags;    /* PM_TCP_* */
	uint16_t sport, dport; /* as in the packet */
	uint8_t dir;           /* 0: source is key.a, 1: source is key.b */
	uint8_t proto;         /* IP protocol */
	bool has_l4;           /* a transport header was decoded */
	bool has_payload;      /* payload bytes were captured */
	uint8_t unreach;       /* enum pm_unreach; the quoted flow's key is in unreach_key */
	uint8_t app;           /* enum pm_app the payload suggests */
};

/* Packets and bytes per interval; the width doubles as the capture grows. */
struct pm_timeline {
	int64_t base;  /* ns: start of slot 0 */
	int64_t width; /* ns per slot */
	bool started;
	uint64_t before; /* packets older than base (out of order at the start) */
	size_t used;     /* slots from here on are all zero */
	size_t slots;    /* slots to fill, at most and by default (0) PM_TIMELINE_SLOTS */
	uint64_t pkts[PM_TIMELINE_SLOTS];
	uint64_t bytes[PM_TIMELINE_SLOTS];
};

struct pm_flows {
	struct pm_table flows;              /* pm_flow_key -> pm_flow */
	struct pm_table hosts;              /* pm_host_key -> pm_host, after finish */
	struct pm_table ports;              /* pm_port_key -> pm_port, after finish */
	uint64_t ip_packets;                /* packets with an IP header */
	uint64_t ip_bytes;                  /* their frame bytes on the wire */
	uint64_t dropped_packets;           /* packets whose new flow did not fit */
	uint64_t app_packets[PM_APP_COUNT]; /* by label, after finish */
	uint64_t app_bytes[PM_APP_COUNT];
	struct pm_timeline tl;
	bool approximate;                        /* some table was full: counts are lower bounds */
	struct pm_flow_event pipe[PM_FLOW_PIPE]; /* private: packets waiting for the table */
	size_t pipe_head, pipe_n;                /* private: oldest entry, entries waiting */
	struct pm_flow_key
	    unreach_key[PM_FLOW_PIPE]; /* private: flow quoted by pipe[i], if unreach */
};

/* Set up empty tables whose slot arrays together stay under max_bytes (0: default). */
void pm_flows_init(struct pm_flows *f, size_t max_bytes);

/* Account one decoded packet. Packets without an IP header are ignored. */
void pm_flows_observe(struct pm_flows *f, const struct pm_pkt *pkt);

/* Apply the queued packets, then build the host and port tables and the label totals; call once, after the pass. */
void pm_flows_finish(struct pm_flows *f);

void pm_flows_free(struct pm_flows *f);

/* State of a TCP flow at the end of the capture. */
enum pm_tcp_state pm_flow_tcp_state(const struct pm_flow_key *k, const struct pm_flow *fl);

const char *pm_tcp_state_name(enum pm_tcp_state s);
const char *pm_app_name(enum pm_app a);
const char *pm_label_src_name(enum pm_label_src s);

/* The label a port suggests for a protocol, or PM_APP_UNKNOWN. */
enum pm_app pm_app_by_port(uint8_t proto, uint16_t port);

/* The label the first payload bytes suggest, or PM_APP_UNKNOWN. */
enum pm_app pm_app_by_payload(uint8_t proto, uint16_t sport, uint16_t dport, const uint8_t *p,
                              size_t n);

/* Format an address as text (IPv4 dotted quad, IPv6 RFC 5952). */
void pm_addr_str(const uint8_t addr[16], uint8_t ipver, char out[48]);

/* Parse an IPv4 or IPv6 address; returns 4, 6, or 0 when s is not one. */
int pm_addr_parse(const char *s, uint8_t addr[16]);

#endif /* PM_FLOW_H */
