/* SPDX-License-Identifier: MIT */
/*
 * decode.h - link layer → IP → transport decoding into one struct pm_pkt.
 *
 * Link types: Ethernet (1) with 802.1Q/802.1ad/QinQ stacks and LLC/SNAP,
 * Linux SLL (113) and SLL2 (276), raw IP (101, 12, 14), IPv4 (228), IPv6
 * (229), BSD loopback NULL (0) and LOOP (108), PPP (9), PPP in HDLC framing
 * (50), Cisco HDLC (104), Frame Relay (107), 802.11 data frames (105) bare or under radiotap
 * (127) or PPI (192), NFLOG (239), PKTAP (149, 258), Linux IPoIB (242), FDDI
 * (10) and Linux ARCNET (129). IPv4 options are skipped and fragments
 * recognised (RFC 791); IPv6 extension headers (RFC 8200 §4: hop-by-hop,
 * routing, fragment, destination options, and AH per RFC 4302) are walked
 * with a cap; a routing header with segments left (type 0, type 2, segment
 * routing per RFC 8754) makes its final destination the packet's dst, and a
 * home address option (RFC 6275 §6.3) its src, as tshark keys conversations.
 * TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443).
 *
 * Tunnels are entered up to PM_MAX_TUNNEL_DEPTH deep (enum pm_tunnel): the
 * packet then describes the innermost IP packet, and tun_* say which tunnel
 * was entered first and its outer IP endpoints. A layer walk is iterative
 * (one loop in pm_decode), never recursive.
 *
 * The decoder never allocates and never fails: a bad packet decodes as far as
 * it can, and the layer where it stopped is counted as truncated (the capture
 * cut it short) or malformed (a field contradicts the bytes) in the stats.
 * Checksums are not verified. Fragments are reassembled by ipfrag.h, not here.
 */
#ifndef PM_DECODE_H
#define PM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

/* LINKTYPE_* numbers (tcpdump.org/linktypes.html). */
#define PM_LINKTYPE_NULL         0
#define PM_LINKTYPE_ETHERNET     1
#define PM_LINKTYPE_PPP          9  /* RFC 1661, optionally RFC 1662 framing */
#define PM_LINKTYPE_FDDI         10 /* ANSI X3.139, then 802.2 LLC */
#define PM_LINKTYPE_RAW_OLD12    12 /* DLT_RAW on most BSDs */
#define PM_LINKTYPE_RAW_OLD14    14 /* DLT_RAW on OpenBSD */
#define PM_LINKTYPE_PPP_HDLC     50 /* RFC 1662 */
#define PM_LINKTYPE_RAW          101
#define PM_LINKTYPE_C_HDLC       104 /* Cisco HDLC */
#define PM_LINKTYPE_FRELAY       107 /* Frame Relay: Q.922 address, RFC 2427 or Cisco */
#define PM_LINKTYPE_IEEE802_11   105
#define PM_LINKTYPE_LOOP         108
#define PM_LINKTYPE_LINUX_SLL    113
#define PM_LINKTYPE_RADIOTAP     127 /* radiotap.org, then 802.11 */
#define PM_LINKTYPE_ARCNET_LINUX 129
#define PM_LINKTYPE_PKTAP_APPLE  149 /* DLT_USER2 on Darwin: PKTAP */
#define PM_LINKTYPE_PPI          192 /* Per-Packet Information, CACE */
#define PM_LINKTYPE_IPV4         228
#define PM_LINKTYPE_IPV6         229
#define PM_LINKTYPE_NFLOG        239 /* Linux netfilter log */
#define PM_LINKTYPE_IPOIB        242 /* Linux IP over InfiniBand */
#define PM_LINKTYPE_PKTAP        258
#define PM_LINKTYPE_LINUX_SLL2   276

#define PM_ETH_IPV4     0x0800 /* RFC 894 */
#define PM_ETH_ARP      0x0806 /* RFC 826 */
#define PM_ETH_VLAN     0x8100 /* IEEE 802.1Q */
#define PM_ETH_QINQ     0x88A8 /* IEEE 802.1ad */
#define PM_ETH_QINQ_OLD 0x9100 /* pre-standard QinQ */
#define PM_ETH_IPV6     0x86DD /* RFC 2464 */
#define PM_ETH_TEB      0x6558 /* RFC 1701: transparent Ethernet bridging */
#define PM_ETH_PPP      0x880B /* RFC 2637: PPP in enhanced GRE */
#define PM_ETH_MPLS     0x8847 /* RFC 3032: MPLS unicast */
#define PM_ETH_MPLS_MC  0x8848 /* RFC 3032: MPLS multicast */
#define PM_ETH_PPPOE_D  0x8863 /* RFC 2516: PPPoE discovery */
#define PM_ETH_PPPOE_S  0x8864 /* RFC 2516: PPPoE session */
#define PM_ETH_ERSPAN2  0x88BE /* ERSPAN types I and II (draft-foschiano-erspan) */
#define PM_ETH_MACSEC   0x88E5 /* IEEE 802.1AE */
#define PM_ETH_PBB      0x88E7 /* IEEE 802.1ah I-TAG */
#define PM_ETH_NSH      0x894F /* RFC 8300 */
#define PM_ETH_ERSPAN3  0x22EB /* ERSPAN type III (draft-foschiano-erspan) */

#define PM_IPPROTO_HOPOPTS  0
#define PM_IPPROTO_ICMP     1
#define PM_IPPROTO_IPIP     4 /* RFC 2003 */
#define PM_IPPROTO_TCP      6
#define PM_IPPROTO_UDP      17
#define PM_IPPROTO_IPV6     41  /* RFC 4213 */
#define PM_IPPROTO_GRE      47  /* RFC 2784 */
#define PM_IPPROTO_PIM      103 /* RFC 7761 */
#define PM_IPPROTO_ROUTING  43
#define PM_IPPROTO_FRAGMENT 44
#define PM_IPPROTO_ESP      50
#define PM_IPPROTO_AH       51
#define PM_IPPROTO_ICMPV6   58
#define PM_IPPROTO_NONE     59
#define PM_IPPROTO_DSTOPTS  60

/* TCP flags as in the 13th header byte; NS (RFC 3540) from the 12th is bit 8. */
#define PM_TCP_FIN 0x001
#define PM_TCP_SYN 0x002
#define PM_TCP_RST 0x004
#define PM_TCP_PSH 0x008
#define PM_TCP_ACK 0x010
#define PM_TCP_URG 0x020
#define PM_TCP_ECE 0x040
#define PM_TCP_CWR 0x080
#define PM_TCP_NS  0x100

#define PM_MAX_VLAN_DEPTH   8  /* VLAN tags walked before the frame is called malformed */
#define PM_MAX_IPV6_EXT     16 /* IPv6 extension headers walked before giving up */
#define PM_MAX_TUNNEL_DEPTH 4  /* tunnels entered in one frame; deeper ones are counted */
#define PM_MAX_MPLS_LABELS  8  /* MPLS label stack entries walked before the frame is malformed */
#define PM_MAX_LAYERS       32 /* layer steps in one frame (a bound from outside the wire) */

/* Tunnels the decoder enters (pm_pkt.tun_kind). */
enum pm_tunnel {
	PM_TUN_NONE = 0,
	PM_TUN_GRE,    /* RFC 2784, RFC 2890 (key, sequence), RFC 2637 (enhanced GRE) */
	PM_TUN_ERSPAN, /* GRE carrying ERSPAN type I, II or III */
	PM_TUN_VXLAN,  /* RFC 7348, UDP 4789 */
	PM_TUN_GENEVE, /* RFC 8926, UDP 6081 */
	PM_TUN_IPIP,   /* RFC 2003, IP protocol 4 */
	PM_TUN_IP6IP,  /* RFC 4213, IP protocol 41 */
	PM_TUN_GTPU,   /* 3GPP TS 29.281, UDP 2152 */
	PM_TUN_TEREDO, /* RFC 4380, UDP 3544 */
	PM_TUN_L2TP,   /* RFC 2661 data messages, UDP 1701 */
	PM_TUN_MPLS,   /* RFC 3032 label stacks */
	PM_TUN_PPPOE,  /* RFC 2516 sessions */
	PM_TUN_PBB,    /* IEEE 802.1ah */
	PM_TUN_NSH,    /* RFC 8300 */
	PM_TUN_MACSEC, /* IEEE 802.1AE, unencrypted */
	PM_TUN_PIM,    /* RFC 7761 §4.9.3 PIM Register, IP protocol 103 */
	PM_TUN_COUNT
};

/* pm_pkt.flags */
#define PM_PKT_VLAN       (1u << 0) /* at least one VLAN tag */
#define PM_PKT_FRAG       (1u << 1) /* IP fragment (any) */
#define PM_PKT_FRAG_FIRST (1u << 2) /* the fragment at offset 0 (carries the L4 header) */
#define PM_PKT_HAS_L3     (1u << 3) /* an IPv4 or IPv6 header was decoded */
#define PM_PKT_HAS_L4     (1u << 4) /* a TCP/UDP/ICMP/ICMPv6 header was decoded */
#define PM_PKT_TRUNC      (1u << 5) /* some layer was cut short by the capture */
#define PM_PKT_MALFORMED  (1u << 6) /* some layer contradicted itself */
/*
 * No flow, counted at IP level only: the transport header is missing or bogus,
 * or the packet is a fragment held for reassembly (the pass sets it then).
 */
#define PM_PKT_NO_L4       (1u << 7)
#define PM_PKT_REASSEMBLED (1u << 8) /* the datagram was reassembled from fragments (ipfrag.h) */

/* Layers for the per-layer counters. */
enum pm_layer {
	PM_L_LINK = 0, /* Ethernet, SLL, SLL2, NULL/LOOP */
	PM_L_VLAN,
	PM_L_IPV4,
	PM_L_IPV6,
	PM_L_TCP,
	PM_L_UDP,
	PM_L_ICMP,
	PM_L_ICMPV6,
	PM_L_TUNNEL, /* GRE, VXLAN, Geneve, GTP-U, Teredo, L2TP, MPLS, PPPoE, PBB, NSH, MACsec */
	PM_L_COUNT
};

/* One decoded packet. Pointers are views into the record; valid as long as it is. */
struct pm_pkt {
	int64_t ts_ns;      /* from the record */
	uint32_t caplen;    /* bytes captured */
	uint32_t wirelen;   /* bytes on the wire */
	uint32_t linktype;  /* LINKTYPE_* the frame was decoded as */
	bool has_ts;        /* the record carried a time (pcapng SPBs do not); set by the caller */
	uint32_t flags;     /* PM_PKT_* */
	uint16_t ethertype; /* innermost ethertype (or equivalent for SLL/NULL), host order */
	uint16_t vlan_id;   /* outermost VLAN ID, 0 if none */
	uint8_t vlan_depth; /* VLAN tags walked */
	uint8_t ipver;      /* 4, 6, or 0 when no IP header */
	uint8_t proto;      /* transport protocol number after extension headers */
	uint8_t ttl;        /* IPv4 TTL or IPv6 hop limit */
	uint8_t src[16];    /* network order; IPv4 in the first 4 bytes, rest zero */
	uint8_t dst[16];    /* network order; IPv4 in the first 4 bytes, rest zero */
	uint32_t ip_len;    /* IP total length as claimed (v6: 40 + payload length) */
	uint16_t sport, dport; /* host order; ICMP: 0 */
	uint16_t tcp_flags;    /* PM_TCP_* */
	uint32_t seq, ack;     /* TCP, host order */
	uint16_t window;       /* TCP raw window, host order (unscaled) */
	uint8_t icmp_type;     /* ICMP or ICMPv6 */
	uint8_t icmp_code;
	uint16_t icmp_id;    /* echo identifier, host order; 0 for other types */
	uint32_t icmp_rest;  /* ICMP/ICMPv6 header bytes 4..7 (id and sequence, ...), host order */
	uint16_t frag_id_lo; /* low 16 bits of the IP fragment identification */
	const uint8_t *l3;   /* start of the IP header, or NULL */
	const uint8_t *payload; /* transport payload (after TCP/UDP/ICMP header), or NULL */
	uint32_t payload_len;   /* captured payload bytes available at payload */
	uint32_t payload_wire;  /* payload length per the headers (may exceed payload_len) */
	uint32_t l3_wire;       /* IP datagram bytes the frame carries on the wire, from l3 */
	uint32_t l3_cap;        /* of those, the bytes captured at l3 */
	uint8_t tun_kind;       /* enum pm_tunnel: the first tunnel entered; PM_TUN_NONE if none */
	uint8_t tun_depth;      /* tunnels entered */
	uint8_t tun_ipver;      /* 4 or 6: the IP version outside that tunnel; 0 when not over IP */
	uint8_t tun_src[16];    /* that tunnel's outer source, network order (as src) */
	uint8_t tun_dst[16];    /* that tunnel's outer destination, network order */
};

/* Counters kept across packets by the decoder. */
struct pm_decode_stats {
	uint64_t packets;                     /* frames decoded */
	uint64_t ethernet;                    /* frames decoded as Ethernet */
	uint64_t vlan;                        /* frames with at least one VLAN tag */
	uint64_t sll, sll2, loopback, rawip;  /* frames per other link type family */
	uint64_t ppp, chdlc, ieee80211;       /* PPP (9, 50), Cisco HDLC, 802.11 (105, 127, 192) */
	uint64_t radiotap, ppi, nflog, pktap; /* frames with that pseudo-header */
	uint64_t ipoib, fddi, arcnet, frelay; /* frames per other link type family */
	uint64_t llc_snap;                    /* frames whose LLC/SNAP header named an ethertype */
	uint64_t tunnels[PM_TUN_COUNT];       /* tunnel headers entered, per enum pm_tunnel */
	uint64_t tunnel_capped; /* frames with tunnels deeper than PM_MAX_TUNNEL_DEPTH */
	uint64_t encrypted;     /* 802.11 protected or MACsec encrypted frames */
	/* IP fragment reassembly (ipfrag.h), counted by the pass. */
	uint64_t frag_datagrams;  /* datagrams reassembled */
	uint64_t frag_overlaps;   /* fragments overlapping bytes already held (first copy kept) */
	uint64_t frag_timeouts;   /* datagrams dropped incomplete after PM_IPFRAG_TIMEOUT_NS */
	uint64_t frag_evicted;    /* datagrams dropped incomplete: PM_IPFRAG_MAX_PENDING/BYTES */
	uint64_t frag_too_big;    /* fragments reaching past PM_IPFRAG_MAX_DATAGRAM */
	uint64_t frag_unusable;   /* fragments cut by the capture or inconsistent: not held */
	uint64_t frag_incomplete; /* datagrams still incomplete at the end of the capture */
	uint64_t ipv4, ipv6;      /* frames with a decoded IP header */
	uint64_t fragments;       /* IP fragments (v4 or v6) */
	uint64_t tcp, udp, icmp, icmpv6; /* frames with that transport header */
	uint64_t arp;                    /* ARP frames */
	uint64_t other_l3;               /* link decoded, but neither IP nor ARP */
	uint64_t other_l4; /* IP, but not TCP/UDP/ICMP/ICMPv6 (or a non-first fragment) */
	uint64_t truncated[PM_L_COUNT]; /* per layer: cut short by the capture */
	uint64_t malformed[PM_L_COUNT]; /* per layer: fields contradict the bytes */
	uint64_t unknown_linktype;      /* frames whose link type we do not decode */
	uint32_t unknown_lt[8];         /* the first distinct unknown link type numbers */
	uint64_t unknown_lt_count[8];   /* frames for each of unknown_lt */
};

/*
 * Decode the frame of caplen bytes at data, captured on a link of the given
 * LINKTYPE_*, into *pkt (fully overwritten) and count it in *st. wirelen is
 * the on-wire length from the record. Reads only [data, data + caplen).
 */
void pm_decode(struct pm_decode_stats *st, uint32_t linktype, const uint8_t *data, uint32_t caplen,
               uint32_t wirelen, int64_t ts_ns, struct pm_pkt *pkt);

/*
 * Decode the IP datagram of len bytes at p (a reassembled one, ipfrag.h)
 * into *pkt as its transport layer, keeping the frame's time, lengths and
 * tunnel facts; only transport counters in *st move. Reads only [p, p + len).
 */
void pm_decode_ip(struct pm_decode_stats *st, const uint8_t *p, uint32_t len, struct pm_pkt *pkt);

/* Name of a layer for output ("link", "vlan", "ipv4", ...). */
const char *pm_layer_name(enum pm_layer l);

/* Name of a tunnel kind for output ("gre", "vxlan", ...); "none" for PM_TUN_NONE. */
const char *pm_tunnel_name(enum pm_tunnel t);

#endif /* PM_DECODE_H */
