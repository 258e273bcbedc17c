/* SPDX-License-Identifier: MIT */
/*
 * decode_ip.c - IPv4 and IPv6 (with extension headers) and the transport
 * headers above them: one layer step of the walk in decode.c.
 *
 * Each header is read straight through a cursor and checked once; the
 * transport layer gets a cursor clamped to the IP length, itself bounded by
 * the frame on the wire. IP-in-IP, IPv6-in-IP and GRE hand over to the
 * tunnel steps; UDP payloads on tunnel ports go to decode_tun.c. Fragments
 * are marked here and reassembled by ipfrag.c.
 * References: RFC 791, RFC 8200 §3-§4, RFC 4302, RFC 2675, RFC 6946,
 * RFC 9293 §3.1, RFC 768, RFC 792, RFC 4443, RFC 2003, RFC 4213.
 */
#include "decode_int.h"

#include <string.h>

#define IPV4_HDR_MIN  20     /* RFC 791 §3.1: IHL of 5 words */
#define IPV4_MF       0x2000 /* RFC 791 §3.1: more fragments */
#define IPV4_OFF_MASK 0x1FFF /* RFC 791 §3.1: fragment offset, 8-octet units */
#define IPV4_OPT_EOL  0      /* RFC 791 §3.1: end of option list */
#define IPV4_OPT_NOP  1      /* RFC 791 §3.1: no operation */
#define IPV4_OPT_LSRR 0x83   /* RFC 791 §3.1: loose source and record route */
#define IPV4_OPT_SSRR 0x89   /* RFC 791 §3.1: strict source and record route */
#define IPV4_MAX_OPTS 40     /* options walked: a 40-byte option area holds no more */
#define IPV6_HDR_LEN  40     /* RFC 8200 §3 */
#define IPV6_MF       0x0001 /* RFC 8200 §4.5: M flag */
#define IPV6_RT_TYPE0 0      /* RFC 2460 §4.4 (deprecated by RFC 5095) */
#define IPV6_RT_TYPE2 2      /* RFC 6275 §6.4 */
#define IPV6_RT_SRH   4      /* RFC 8754 §2 */
#define IPV6_OPT_PAD1 0      /* RFC 8200 §4.2 */
#define IPV6_OPT_HOME 0xC9   /* RFC 6275 §6.3 */
#define IPV6_MAX_OPTS 64     /* options walked in one header */
#define TCP_HDR_MIN   20     /* RFC 9293 §3.1: data offset of 5 words */
#define UDP_HDR_LEN   8      /* RFC 768 */
#define ICMP_HDR_LEN  8      /* RFC 792 / RFC 4443 §2.1: type, code, checksum, 4 bytes */

#define ICMP_ECHO_REPLY     0   /* RFC 792 */
#define ICMP_ECHO_REQUEST   8   /* RFC 792 */
#define ICMPV6_ECHO_REQUEST 128 /* RFC 4443 §4.1 */
#define ICMPV6_ECHO_REPLY   129 /* RFC 4443 §4.2 */

/*
 * A transport header that did not fit: if the IP length leaves room for it
 * the capture cut it (truncated), otherwise the IP length contradicts it.
 */
static void
short_l4(struct pm_dec *d, const struct pm_l4 *l, enum pm_layer layer, size_t need)
{
	struct pm_pkt *pkt = d->pkt;
	pkt->sport = 0;
	pkt->dport = 0;
	pkt->seq = 0;
	pkt->ack = 0;
	pkt->window = 0;
	pkt->icmp_type = 0;
	pm_dec_no_l4(d, layer, need > l->wire);
}

/* Point the packet at up to wire payload bytes, as many as were captured. */
static void
set_payload(struct pm_pkt *pkt, struct pm_cur *c, size_t wire)
{
	size_t n = wire < pm_cur_left(c) ? wire : pm_cur_left(c);
	pkt->payload = pm_cur_bytes(c, n);
	pkt->payload_len = (uint32_t)n;
	pkt->payload_wire = (uint32_t)wire;
}

/*
 * RFC 9293 §3.1:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |     |N|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrv|S|W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options                    |    Padding    |
 * NS is RFC 3540's nonce sum bit.
 */
static void
tcp(struct pm_dec *d, struct pm_l4 *l)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &l->c;
	pkt->sport = pm_cur_be16(c);
	pkt->dport = pm_cur_be16(c);
	pkt->seq = pm_cur_be32(c);
	pkt->ack = pm_cur_be32(c);
	uint8_t off = pm_cur_u8(c);
	uint8_t fl = pm_cur_u8(c);
	pkt->window = pm_cur_be16(c);
	pm_cur_skip(c, 4); /* checksum, urgent pointer */
	size_t hlen = (size_t)(off >> 4) * 4;
	if (!pm_cur_ok(c) || hlen < TCP_HDR_MIN) {
		/* A data offset below 5 words is no TCP header at all (RFC 9293 §3.1). */
		short_l4(d, l, PM_L_TCP, pm_cur_ok(c) ? SIZE_MAX : TCP_HDR_MIN);
		pkt->tcp_flags = 0;
		return;
	}
	/* Ports are known from here on, even if the options are bad or cut. */
	pkt->tcp_flags = (uint16_t)(fl | (off & 1) << 8);
	pkt->flags |= PM_PKT_HAS_L4;
	d->st->tcp++;
	if (hlen > l->wire) {
		pm_dec_stop(d, PM_L_TCP, true);
		return;
	}
	pm_cur_skip(c, hlen - TCP_HDR_MIN);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TCP, false);
		return;
	}
	set_payload(pkt, c, l->wire - hlen);
}

/*
 * RFC 768:
 * +--------+--------+--------+--------+
 * |  Source Port    |    Dest Port    |
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 */
static void
udp(struct pm_dec *d, struct pm_l4 *l)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &l->c;
	pkt->sport = pm_cur_be16(c);
	pkt->dport = pm_cur_be16(c);
	size_t ulen = pm_cur_be16(c);
	pm_cur_skip(c, 2); /* checksum */
	if (!pm_cur_ok(c)) {
		short_l4(d, l, PM_L_UDP, UDP_HDR_LEN);
		return;
	}
	pkt->flags |= PM_PKT_HAS_L4;
	d->st->udp++;
	if (ulen == 0 && l->jumbo) {
		ulen = l->wire; /* RFC 2675 §4 */
	}
	if (ulen < UDP_HDR_LEN) {
		pm_dec_stop(d, PM_L_UDP, true);
		return;
	}
	if (ulen > l->wire) {
		/* A first fragment carries only part of the datagram the length counts. */
		if (!l->frag) {
			pm_dec_stop(d, PM_L_UDP, true);
		}
		ulen = l->wire;
	}
	struct pm_cur inner = *c;
	set_payload(pkt, c, ulen - UDP_HDR_LEN);
	if ((pkt->flags & PM_PKT_FRAG) == 0 &&
	    (pm_dec_tunnel_port(pkt->sport) || pm_dec_tunnel_port(pkt->dport))) {
		pm_dec_udp_tunnel(d, &inner, ulen - UDP_HDR_LEN, pkt->sport, pkt->dport);
	}
}

/*
 * RFC 792 / RFC 4443 §2.1, with the echo layout (RFC 792 p.14, RFC 4443 §4.1):
 * +--------+--------+--------+--------+
 * |  Type  |  Code  |    Checksum     |
 * |   Identifier    | Sequence Number |
 * +--------+--------+--------+--------+
 */
static void
icmp(struct pm_dec *d, struct pm_l4 *l, bool v6)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &l->c;
	enum pm_layer layer = v6 ? PM_L_ICMPV6 : PM_L_ICMP;
	pkt->icmp_type = pm_cur_u8(c);
	pkt->icmp_code = pm_cur_u8(c);
	pm_cur_skip(c, 2); /* checksum */
	uint16_t id = pm_cur_be16(c);
	uint16_t seq = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		short_l4(d, l, layer, ICMP_HDR_LEN);
		pkt->icmp_code = 0;
		return;
	}
	pkt->flags |= PM_PKT_HAS_L4;
	pkt->icmp_rest = (uint32_t)id << 16 | seq;
	uint8_t t = pkt->icmp_type;
	if (v6) {
		d->st->icmpv6++;
		pkt->icmp_id = t == ICMPV6_ECHO_REQUEST || t == ICMPV6_ECHO_REPLY ? id : 0;
	} else {
		d->st->icmp++;
		pkt->icmp_id = t == ICMP_ECHO_REQUEST || t == ICMP_ECHO_REPLY ? id : 0;
	}
	set_payload(pkt, c, l->wire - ICMP_HDR_LEN);
}

/* An IP payload that is itself an IP packet (RFC 2003, RFC 4213). */
static void
ip_in_ip(struct pm_dec *d, struct pm_l4 *l, enum pm_tunnel kind, enum pm_dec_next next)
{
	if ((d->pkt->flags & PM_PKT_FRAG) != 0) {
		d->st->other_l4++; /* a fragment of a tunnel: entered once reassembled */
		return;
	}
	/* An empty or foreign payload (nmap's IP protocol probes) is no tunnel. */
	uint8_t want = next == PM_NX_IPV4 ? 4 : 6;
	if (pm_cur_left(&l->c) < IPV4_HDR_MIN || pm_cur_peek(&l->c, 0) >> 4 != want) {
		d->st->other_l4++;
		return;
	}
	pm_dec_enter(d, kind, &l->c, l->wire, next, 0);
}

/* see decode_int.h */
void
pm_dec_transport(struct pm_dec *d, struct pm_l4 *l, uint8_t proto)
{
	d->pkt->proto = proto;
	switch (proto) {
	case PM_IPPROTO_IPIP:
		ip_in_ip(d, l, PM_TUN_IPIP, PM_NX_IPV4);
		break;
	case PM_IPPROTO_IPV6:
		ip_in_ip(d, l, PM_TUN_IP6IP, PM_NX_IPV6);
		break;
	case PM_IPPROTO_GRE:
	case PM_IPPROTO_PIM:
		if ((d->pkt->flags & PM_PKT_FRAG) != 0) {
			d->st->other_l4++;
		} else if (proto == PM_IPPROTO_GRE) {
			pm_dec_gre(d, l);
		} else {
			pm_dec_pim(d, l);
		}
		break;
	case PM_IPPROTO_TCP:
		tcp(d, l);
		break;
	case PM_IPPROTO_UDP:
		udp(d, l);
		break;
	case PM_IPPROTO_ICMP:
		if (d->pkt->ipver == 4) {
			icmp(d, l, false);
		} else {
			d->st->other_l4++;
		}
		break;
	case PM_IPPROTO_ICMPV6:
		if (d->pkt->ipver == 6) {
			icmp(d, l, true);
		} else {
			d->st->other_l4++;
		}
		break;
	default:
		d->st->other_l4++;
		break;
	}
}

/* Mark an IP fragment; only the one at offset 0 has a transport header. */
static void
fragment(struct pm_dec *d, bool more, size_t offset)
{
	if (!more && offset == 0) {
		return; /* atomic fragment (RFC 6946): a whole datagram */
	}
	d->pkt->flags |= PM_PKT_FRAG;
	d->st->fragments++;
	if (offset == 0) {
		d->pkt->flags |= PM_PKT_FRAG_FIRST;
	}
}

/*
 * A loose or strict source route option (RFC 791 §3.1) names the final
 * destination as its last address; tshark's conversations (and so the
 * flows) use it as the destination. Options: type, length, data; EOL and
 * NOP are single bytes.
 */
static void
source_route(struct pm_pkt *pkt, struct pm_cur o)
{
	for (size_t i = 0; pm_cur_left(&o) != 0 && i < IPV4_MAX_OPTS; i++) {
		uint8_t type = pm_cur_u8(&o);
		if (type == IPV4_OPT_EOL) {
			return;
		}
		if (type == IPV4_OPT_NOP) {
			continue;
		}
		uint8_t len = pm_cur_u8(&o);
		const uint8_t *v = pm_cur_bytes(&o, len >= 2 ? len - 2u : 0);
		if (v == NULL || len < 2) {
			return;
		}
		if ((type == IPV4_OPT_LSRR || type == IPV4_OPT_SSRR) && len >= 3 + 4) {
			memcpy(pkt->dst, v + len - 2 - 4,
			       4); /* route data is 4-byte addresses after the pointer */
			return;
		}
	}
}

/*
 * RFC 791 §3.1:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 * see decode_int.h. A total length of 0 is what Linux captures of TCP segmentation offload
 * show; like Wireshark, such packets take their length from the capture.
 */
void
pm_dec_ipv4(struct pm_dec *d)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &d->c;
	struct pm_cur h = *c;
	uint8_t vihl = pm_cur_u8(&h);
	pm_cur_skip(&h, 1); /* type of service */
	size_t totlen = pm_cur_be16(&h);
	uint16_t id = pm_cur_be16(&h);
	uint16_t frag = pm_cur_be16(&h);
	uint8_t ttl = pm_cur_u8(&h);
	uint8_t proto = pm_cur_u8(&h);
	pm_cur_skip(&h, 2); /* checksum */
	const uint8_t *src = pm_cur_bytes(&h, 4);
	const uint8_t *dst = pm_cur_bytes(&h, 4);
	if (!pm_cur_ok(&h)) {
		pm_dec_stop(d, PM_L_IPV4, false);
		return;
	}
	if (vihl >> 4 != 4) {
		pm_dec_stop(d, PM_L_IPV4, true);
		return;
	}
	memcpy(pkt->src, src, 4);
	memcpy(pkt->dst, dst, 4);
	pkt->ipver = 4;
	pkt->ttl = ttl;
	pkt->proto = proto;
	pkt->ip_len = (uint32_t)totlen;
	pkt->frag_id_lo = id;
	pkt->l3 = pm_dec_here(c);
	pkt->flags = (pkt->flags & ~PM_PKT_NO_L4) | PM_PKT_HAS_L3;
	d->st->ipv4++;
	size_t hlen = (size_t)(vihl & 0x0F) * 4;
	size_t on_wire = pm_cur_left(c) + d->extra;
	if (totlen == 0) {
		totlen = on_wire;
	}
	/*
	 * A length beyond the frame on the wire is bounded by the frame, as tshark
	 * does; it counts as truncated, as a capture cut short would.
	 */
	bool over = totlen > on_wire;
	if (over) {
		totlen = on_wire;
	}
	if (hlen < IPV4_HDR_MIN || totlen < hlen) {
		pm_dec_no_l4(d, PM_L_IPV4, true);
		return;
	}
	size_t short_by;
	pkt->l3_wire = (uint32_t)totlen;
	struct pm_l4 l = { pm_cur_sub_clamp(c, totlen, &short_by), totlen - hlen, false, false };
	pkt->l3_cap = (uint32_t)pm_cur_left(&l.c);
	struct pm_cur opts = pm_cur_sub(&l.c, hlen);
	if (!pm_cur_ok(&l.c)) {
		pm_dec_no_l4(d, PM_L_IPV4, false);
		return;
	}
	if (PM_UNLIKELY(hlen > IPV4_HDR_MIN)) {
		pm_cur_skip(&opts, IPV4_HDR_MIN);
		source_route(pkt, opts);
	}
	size_t offset = frag & IPV4_OFF_MASK;
	fragment(d, (frag & IPV4_MF) != 0, offset);
	if (offset != 0) {
		d->st->other_l4++;
	} else {
		l.frag = (frag & IPV4_MF) != 0;
		pm_dec_transport(d, &l, proto);
	}
	if (over || short_by != 0) {
		pm_dec_stop(d, PM_L_IPV4, false);
	}
}

/* Bytes in the IPv6 extension header nh with length byte len, or 0 if nh is not one. */
static size_t
ext_len(uint8_t nh, uint8_t len)
{
	switch (nh) {
	case PM_IPPROTO_HOPOPTS:
	case PM_IPPROTO_ROUTING:
	case PM_IPPROTO_DSTOPTS:
		return ((size_t)len + 1) * 8; /* RFC 8200 §4.3, §4.4, §4.6 */
	case PM_IPPROTO_FRAGMENT:
		return 8; /* RFC 8200 §4.5 */
	case PM_IPPROTO_AH:
		return ((size_t)len + 2) * 4; /* RFC 4302 §2.2 */
	default:
		return 0;
	}
}

/*
 * A routing header with segments left names the packet's final destination,
 * which tshark's conversations (and so the flows) use as the destination:
 * type 0 (RFC 2460 §4.4) and type 2 (RFC 6275 §6.4) the last address, type 4
 * segment routing (RFC 8754 §2) Segment List[0].
 *   next | len | type | segments left | 4 bytes | addresses (16 each)
 */
static void
final_destination(struct pm_pkt *pkt, struct pm_cur h)
{
	pm_cur_skip(&h, 2);
	uint8_t type = pm_cur_u8(&h);
	uint8_t left = pm_cur_u8(&h);
	pm_cur_skip(&h, 4);
	size_t n = pm_cur_left(&h) / 16;
	if (!pm_cur_ok(&h) || left == 0 || n == 0) {
		return;
	}
	if (type == IPV6_RT_TYPE0 || type == IPV6_RT_TYPE2) {
		pm_cur_skip(&h, (n - 1) * 16);
	} else if (type != IPV6_RT_SRH) {
		return;
	}
	const uint8_t *a = pm_cur_bytes(&h, 16);
	if (a != NULL) {
		memcpy(pkt->dst, a, 16);
	}
}

/*
 * The home address option (RFC 6275 §6.3) in destination options replaces
 * the source, as tshark's conversations do. Options are type, length, data
 * (RFC 8200 §4.2); Pad1 is a lone zero byte.
 */
static void
home_address(struct pm_pkt *pkt, struct pm_cur h)
{
	pm_cur_skip(&h, 2);
	for (size_t i = 0; pm_cur_left(&h) != 0 && i < IPV6_MAX_OPTS; i++) {
		uint8_t type = pm_cur_u8(&h);
		if (type == IPV6_OPT_PAD1) {
			continue;
		}
		uint8_t len = pm_cur_u8(&h);
		const uint8_t *v = pm_cur_bytes(&h, len);
		if (v == NULL) {
			return;
		}
		if (type == IPV6_OPT_HOME && len == 16) {
			memcpy(pkt->src, v, 16);
			return;
		}
	}
}

/*
 * Walk the extension headers (RFC 8200 §4), each at least 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  (fragment: Offset | Res |M)  |
 * |            (fragment: Identification; others: data)           |
 * RFC 8200 §4.1 allows each header once (destination options twice), so a
 * chain longer than PM_MAX_IPV6_EXT is malformed. Returns true when *nh names
 * the transport protocol whose header starts at l->c.
 */
static bool
ext_headers(struct pm_dec *d, struct pm_l4 *l, uint8_t *nh)
{
	for (size_t i = 0;; i++) {
		struct pm_cur h = l->c;
		uint8_t next = pm_cur_u8(&h);
		uint8_t len = pm_cur_u8(&h);
		uint16_t fo = pm_cur_be16(&h);
		uint32_t ident = pm_cur_be32(&h);
		size_t hlen = ext_len(*nh, len);
		if (hlen == 0) {
			return true;
		}
		if (i == PM_MAX_IPV6_EXT || hlen > l->wire) {
			pm_dec_no_l4(d, PM_L_IPV6, true);
			return false;
		}
		struct pm_cur whole = pm_cur_sub(&l->c, hlen);
		if (!pm_cur_ok(&l->c)) {
			pm_dec_no_l4(d, PM_L_IPV6, false);
			return false;
		}
		l->wire -= hlen;
		if (*nh == PM_IPPROTO_ROUTING) {
			final_destination(d->pkt, whole);
		} else if (*nh == PM_IPPROTO_DSTOPTS) {
			home_address(d->pkt, whole);
		}
		if (*nh == PM_IPPROTO_FRAGMENT) {
			d->pkt->frag_id_lo = (uint16_t)ident;
			l->frag = (fo & IPV6_MF) != 0;
			fragment(d, l->frag, fo >> 3);
			if (fo >> 3 != 0) {
				d->pkt->proto = next;
				d->st->other_l4++;
				return false;
			}
		}
		*nh = next;
	}
}

/*
 * RFC 8200 §3:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                Source Address (16 bytes)                      |
 * |             Destination Address (16 bytes)                    |
 * see decode_int.h. A payload length of 0 with a hop-by-hop header is a jumbogram (RFC 2675);
 * its length is taken from the capture rather than the jumbo option.
 */
void
pm_dec_ipv6(struct pm_dec *d)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &d->c;
	struct pm_cur h = *c;
	uint32_t vtf = pm_cur_be32(&h);
	size_t plen = pm_cur_be16(&h);
	uint8_t nh = pm_cur_u8(&h);
	uint8_t hlim = pm_cur_u8(&h);
	const uint8_t *src = pm_cur_bytes(&h, 16);
	const uint8_t *dst = pm_cur_bytes(&h, 16);
	if (!pm_cur_ok(&h)) {
		pm_dec_stop(d, PM_L_IPV6, false);
		return;
	}
	if (vtf >> 28 != 6) {
		pm_dec_stop(d, PM_L_IPV6, true);
		return;
	}
	memcpy(pkt->src, src, 16);
	memcpy(pkt->dst, dst, 16);
	pkt->ipver = 6;
	pkt->ttl = hlim;
	pkt->proto = nh;
	pkt->ip_len = (uint32_t)(IPV6_HDR_LEN + plen);
	pkt->l3 = pm_dec_here(c);
	pkt->flags = (pkt->flags & ~PM_PKT_NO_L4) | PM_PKT_HAS_L3;
	d->st->ipv6++;
	bool jumbo = plen == 0 && nh == PM_IPPROTO_HOPOPTS;
	size_t on_wire = pm_cur_left(c) + d->extra;
	size_t want = jumbo ? on_wire : IPV6_HDR_LEN + plen;
	bool over = want > on_wire;
	if (over) {
		want = on_wire; /* at least the 40 header bytes just read */
	}
	size_t short_by;
	struct pm_l4 l = { pm_cur_sub_clamp(c, want, &short_by), want - IPV6_HDR_LEN, false,
		           jumbo };
	if (jumbo) {
		pkt->ip_len = (uint32_t)want;
	}
	pkt->l3_wire = (uint32_t)want;
	pkt->l3_cap = (uint32_t)pm_cur_left(&l.c);
	pm_cur_skip(&l.c, IPV6_HDR_LEN);
	if (ext_headers(d, &l, &nh)) {
		pm_dec_transport(d, &l, nh);
	}
	if (over || short_by != 0) {
		pm_dec_stop(d, PM_L_IPV6, false);
	}
}

/* see decode_int.h */
void
pm_dec_ip(struct pm_dec *d)
{
	if (pm_cur_left(&d->c) == 0) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	switch (pm_cur_peek(&d->c, 0) >> 4) {
	case 4:
		d->pkt->ethertype = PM_ETH_IPV4;
		pm_dec_ipv4(d);
		break;
	case 6:
		d->pkt->ethertype = PM_ETH_IPV6;
		pm_dec_ipv6(d);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}
