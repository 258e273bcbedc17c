/* SPDX-License-Identifier: MIT */
/*
 * flow.h - bidirectional flows: the flow table the pass feeds with every IP packet.
 *
 * Every decoded IP packet lands in one flow, keyed by the canonical
 * 5-tuple (both address families; the lower endpoint first), so both
 * directions share one entry. ICMP and ICMPv6 echo traffic is keyed by the
 * echo identifier, other ICMP messages by type and code. Per flow and
 * direction the table keeps packets, bytes and times, and for TCP the
 * handshake, FIN/RST, retransmissions (a payload range seen again),
 * out-of-order segments and zero-window advertisements (RFC 9293 §3.4 serial
 * arithmetic on sequence numbers). Applications are labelled by port and by
 * the first payload in each direction (label.h).
 *
 * The per-packet path touches one table entry; the pass (analysis.c) keeps
 * packets in a short queue so that entry is prefetched before it is needed.
 * Hosts, ports and label totals are built from the flows after the pass
 * (hosts.h), the timeline is its own analyser (timeline.h).
 */
#ifndef PM_FLOW_H
#define PM_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "label.h"
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

/* TCP state at the end of the capture. */
enum pm_tcp_state {
	PM_TCP_NA = 0,      /* not TCP */
	PM_TCP_ESTABLISHED, /* handshake completed (or joined mid-handshake), still open */
	PM_TCP_CLOSED,      /* FIN from both sides */
	PM_TCP_RESET,       /* ended by RST after it was established (or mid-stream) */
	PM_TCP_FAILED,      /* SYN never answered by SYN-ACK, or answered by RST */
	PM_TCP_HALF_OPEN,   /* handshake incomplete, or only one side sent FIN */
	PM_TCP_ACTIVE,      /* no handshake seen (started before the capture), still open */
};

/*
 * The states are exclusive: a connection whose handshake completed is never
 * failed, whatever RST came before the SYN-ACK (an injected RST, RFC 5961
 * §3), and one joined mid-handshake (SYN-ACK and ACK without the client's
 * SYN in the capture) is not counted as a completed handshake (fl->joined,
 * not fl->handshake), though its state is established, closed or reset.
 */

/* One direction of a flow: 0 = a to b, 1 = b to a. */
struct pm_flow_dir {
	uint64_t packets;
	uint64_t bytes;         /* frame bytes on the wire, as tshark's conversation tables count */
	uint64_t payload;       /* transport payload bytes per the headers */
	int64_t first, last;    /* ns since the epoch */
	uint32_t syn, fin, rst; /* TCP segments with that flag */
	uint32_t data;          /* TCP segments carrying payload */
	uint16_t first_flags;   /* PM_TCP_* of this direction's first TCP segment */
	uint8_t first_ttl;      /* IPv4 TTL or IPv6 hop limit of this direction's first packet */
	uint32_t segs;          /* TCP segments that occupy sequence space (payload, SYN or FIN) */
	uint32_t retrans;       /* of those, segments whose sequence range was seen before */
	uint32_t ooo;           /* segments that arrived beyond a gap */
	uint32_t zero_win;      /* zero-window advertisements (not on RST) */
	uint32_t next_seq;      /* one past the highest sequence number sent */
	uint32_t isn;           /* sequence number of this direction's first SYN (or SYN-ACK) */
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
	bool handshake;      /* the client sent SYN and ACKed the SYN-ACK */
	bool joined;         /* the client ACKed a SYN-ACK without its SYN in the capture */
	bool rst_answer;     /* the SYN was answered by RST (and never by SYN-ACK) */
	uint8_t unreach;     /* enum pm_unreach: an ICMP/ICMPv6 error named this flow */
	uint8_t app;         /* enum pm_app */
	uint8_t app_src;     /* enum pm_label_src */
	uint16_t an_done; /* analysers done with this flow (1 << enum pm_an_id): see pm_pass_done */
	uint8_t state_owner; /* enum pm_an_id of the analyser whose parse state state is */
	void *state; /* that analyser's per-flow parse state, during the pass (analyser.h) */
};

/*
 * An ICMP error quoting a packet of the flow (the quote is the offending
 * packet's IP header and at least 8 bytes after it): destination unreachable
 * (RFC 792 type 3, RFC 4443 §3.1 type 1) with port unreachable (ICMP code 3,
 * ICMPv6 code 4) says the port is closed, protocol unreachable (ICMP code 2,
 * RFC 1122 §3.2.2.1; ICMPv6 unrecognized next header, RFC 4443 §3.4 type 4
 * code 1) that the IP protocol is not spoken, any other code that something
 * filters it; time exceeded in transit (RFC 792 type 11 code 0, RFC 4443
 * §3.3 type 3 code 0) that its TTL ran out on the way (traceroute). Quotes
 * of TCP, UDP, ICMP echo and other IP protocols are attributed.
 */
enum pm_unreach {
	PM_UNREACH_NONE = 0,
	PM_UNREACH_PORT,  /* port unreachable */
	PM_UNREACH_OTHER, /* host, network, administratively prohibited, ... */
	PM_UNREACH_PROTO, /* protocol unreachable */
	PM_UNREACH_TTL,   /* time exceeded in transit */
};

#define PM_ICMP_UNREACH         3  /* RFC 792 */
#define PM_ICMP_UNREACH_PROTO   2  /* RFC 792 */
#define PM_ICMP_UNREACH_PORT    3  /* RFC 792 */
#define PM_ICMP_TIME_EXCEEDED   11 /* RFC 792 */
#define PM_ICMPV6_UNREACH       1  /* RFC 4443 §3.1 */
#define PM_ICMPV6_UNREACH_PORT  4  /* RFC 4443 §3.1 */
#define PM_ICMPV6_TIME_EXCEEDED 3  /* RFC 4443 §3.3 */
#define PM_ICMPV6_PARAM_PROBLEM 4  /* RFC 4443 §3.4 */
#define PM_ICMPV6_PARAM_NEXTHDR 1  /* RFC 4443 §3.4: unrecognized next header */

struct pm_flows {
	struct pm_table flows;    /* pm_flow_key -> pm_flow */
	uint64_t ip_packets;      /* packets with an IP header */
	uint64_t ip_bytes;        /* their frame bytes on the wire */
	uint64_t dropped_packets; /* packets whose new flow did not fit */
	uint64_t
	    ip_only_packets;    /* IP packets without a transport header (PM_PKT_NO_L4): no flow */
	uint64_t ip_only_bytes; /* their frame bytes on the wire */
	bool approximate;       /* the table was full: counts are lower bounds */
};

/* Set up an empty table whose slot array and records stay under max_bytes (0: default). */
void pm_flows_init(struct pm_flows *f, size_t max_bytes);

void pm_flows_free(struct pm_flows *f);

/*
 * The canonical key of a decoded IP packet (p->ipver != 0): endpoint a is
 * the lower (address, port); ICMP echo is keyed by its identifier, other
 * ICMP by type and code. Returns the direction the packet travels: 0 when
 * its source is endpoint a, 1 when it is b. Every analyser that keeps
 * per-flow state uses this key (the pass computes it once per packet).
 */
int pm_flow_key_of(const struct pm_pkt *p, struct pm_flow_key *k);

/* The key's tag in f's table (its hash with the low bit set). */
uint64_t pm_flows_tag(const struct pm_flows *f, const struct pm_flow_key *k);

/*
 * Hints for a caller that knows packets a few ahead (the pass's queue):
 * fetch the cache lines a lookup of tag will touch first, then the record
 * they point to. Neither changes anything.
 */
void pm_flows_prefetch(const struct pm_flows *f, uint64_t tag);
void pm_flows_prefetch_record(const struct pm_flows *f, uint64_t tag);
/*
 * The third step, once the record has arrived: fetch the first lines of the
 * analyser parse state it points to (struct pm_flow's state), which the
 * analysers read after the flow table and the other analysers ran.
 */
void pm_flows_prefetch_state(const struct pm_flows *f, uint64_t tag);
/* Cache lines of a parse state fetched ahead: an analyser keeps what every packet reads in them. */
#define PM_FLOW_STATE_LINES 4

/*
 * Account one decoded IP packet whose key k, tag and direction kdir were
 * computed with the functions above: packets, bytes, times, TCP state, the
 * label, and the mark an ICMP destination unreachable leaves on the flow it
 * quotes. Returns the flow, or NULL when the table is full (the packet is
 * counted in dropped_packets). The packet's bytes must still be valid.
 */
struct pm_flow *pm_flows_account(struct pm_flows *f, const struct pm_pkt *p,
                                 const struct pm_flow_key *k, uint64_t tag, int kdir);

/*
 * Count an IP packet that has no flow because its transport header is
 * missing (PM_PKT_NO_L4): in ip_packets and ip_only_packets, nowhere else.
 */
void pm_flows_account_ip(struct pm_flows *f, const struct pm_pkt *p);

/* pm_flow_key_of, pm_flows_tag and pm_flows_account in one call (tests, tools). */
struct pm_flow *pm_flows_observe(struct pm_flows *f, const struct pm_pkt *p);

/* State of a TCP flow at the end of the capture. */
enum pm_tcp_state pm_flow_tcp_state(const struct pm_flow_key *k, const struct pm_flow *fl);

const char *pm_tcp_state_name(enum pm_tcp_state s);

#endif /* PM_FLOW_H */
