/* SPDX-License-Identifier: MIT */
/*
 * decode_int.h - what the decoder's files share; private to src/decode*.c.
 *
 * A frame is walked as a sequence of layer steps: each step reads its header
 * from d->c and names the next step in d->next (with d->type for an
 * ethertype or PPP protocol), so tunnels nest without recursion. The loop in
 * pm_decode (decode.c) runs the steps, at most PM_MAX_LAYERS of them.
 * Link layers are in decode_link.c, IP and transport in decode_ip.c,
 * tunnels in decode_tun.c.
 */
#ifndef PM_DECODE_INT_H
#define PM_DECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"

/* The next layer step. */
enum pm_dec_next {
	PM_NX_DONE = 0, /* nothing further to decode */
	PM_NX_ETHER,    /* an Ethernet frame: addresses, then a type */
	PM_NX_ETYPE,    /* dispatch on the ethertype in d->type (VLAN tags first) */
	PM_NX_IP,       /* IPv4 or IPv6, by the version nibble */
	PM_NX_IPV4,
	PM_NX_IPV6,
	PM_NX_PPP,       /* a PPP protocol number in d->type */
	PM_NX_PPP_FRAME, /* a PPP frame: [address, control,] protocol */
	PM_NX_MPLS,      /* an MPLS label stack */
	PM_NX_WIFI,      /* an 802.11 frame */
};

/* One frame's decoding: where counters go, the packet being filled, the next step. */
struct pm_dec {
	struct pm_decode_stats *st; /* caller's counters */
	struct pm_pkt *pkt;         /* caller's packet, filled as layers decode */
	struct pm_cur c;            /* the bytes of the next step */
	size_t extra;               /* wire bytes beyond the end of c (the capture cut them) */
	enum pm_dec_next next;      /* the next step; PM_NX_DONE ends the walk */
	uint16_t type;              /* ethertype (PM_NX_ETYPE) or PPP protocol (PM_NX_PPP) */
};

/* What the transport layer gets from IP. */
struct pm_l4 {
	struct pm_cur c; /* captured IP payload, clamped by the IP length */
	size_t wire;     /* IP payload length per the IP header (bounded by the frame) */
	bool frag;       /* first fragment: transport lengths may exceed the IP payload */
	bool jumbo;      /* IPv6 jumbogram: a UDP length of 0 means "the rest" (RFC 2675) */
};

/* Count where decoding stopped (only the first call per packet counts) and end the walk. */
void pm_dec_stop(struct pm_dec *d, enum pm_layer l, bool malformed);

/* pm_dec_stop for an IP packet whose transport header is out of reach (PM_PKT_NO_L4). */
void pm_dec_no_l4(struct pm_dec *d, enum pm_layer l, bool malformed);

/* A view of where the cursor stands, for pointers into the frame. */
const uint8_t *pm_dec_here(const struct pm_cur *c);

/*
 * Enter a tunnel of the given kind whose inner bytes are *inner, of which
 * wire bytes were on the wire: the outer transport facts are dropped, the
 * first tunnel's outer IP endpoints kept, and next becomes the next step.
 * Past PM_MAX_TUNNEL_DEPTH the frame is counted in tunnel_capped instead.
 */
void pm_dec_enter(struct pm_dec *d, enum pm_tunnel kind, const struct pm_cur *inner, size_t wire,
                  enum pm_dec_next next, uint16_t type);

/* Link layers (decode_link.c): set d->next, or stop. */
void pm_dec_link(struct pm_dec *d, uint32_t linktype);
void pm_dec_ether(struct pm_dec *d);
void pm_dec_wifi(struct pm_dec *d);
void pm_dec_ppp(struct pm_dec *d);
void pm_dec_ppp_frame(struct pm_dec *d);

/* Dispatch on d->type after VLAN tags and LLC/SNAP (decode.c). */
void pm_dec_etype(struct pm_dec *d);

/* IP (decode_ip.c): the header at d->c, then its transport layer. */
void pm_dec_ipv4(struct pm_dec *d);
void pm_dec_ipv6(struct pm_dec *d);
void pm_dec_ip(struct pm_dec *d);
void pm_dec_transport(struct pm_dec *d, struct pm_l4 *l, uint8_t proto);

/*
 * Is port one of the UDP tunnel ports (1701, 2152, 3544, 4754, 4789, 4790, 6081)? Their
 * low 6 bits differ, so one table load and compare answers (the per-packet
 * path stays branch-light for ordinary UDP).
 */
static inline bool
pm_dec_tunnel_port(uint16_t port)
{
	static const uint16_t tab[64] = { [1701 & 63] = 1701, [2152 & 63] = 2152,
		                          [3544 & 63] = 3544, [4789 & 63] = 4789,
		                          [4790 & 63] = 4790, [4754 & 63] = 4754,
		                          [6081 & 63] = 6081 };
	return tab[port & 63] == port && port != 0;
}

/* Tunnels (decode_tun.c). A UDP payload that may be a tunnel: true when one was entered. */
bool pm_dec_udp_tunnel(struct pm_dec *d, const struct pm_cur *payload, size_t wire, uint16_t sport,
                       uint16_t dport);
void pm_dec_gre(struct pm_dec *d, struct pm_l4 *l);
void pm_dec_pim(struct pm_dec *d, struct pm_l4 *l);
void pm_dec_mpls(struct pm_dec *d);
void pm_dec_pppoe(struct pm_dec *d);
void pm_dec_pbb(struct pm_dec *d);
void pm_dec_nsh(struct pm_dec *d);
void pm_dec_macsec(struct pm_dec *d);

#endif /* PM_DECODE_INT_H */
