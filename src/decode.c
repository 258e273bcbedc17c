/* SPDX-License-Identifier: MIT */
/*
 * decode.c - one frame from link layer to transport header into struct pm_pkt.
 *
 * Each layer reads its fixed header straight through a cursor, checks it once,
 * and hands a cursor clamped to its own length field to the next layer. The
 * first layer that cannot go on is counted once, as truncated or malformed.
 * Does not verify checksums, reassemble fragments or enter tunnels.
 * References: RFC 791, RFC 8200 §4, RFC 4302, RFC 9293, RFC 768, RFC 792,
 * RFC 4443, IEEE 802.1Q, tcpdump.org/linktypes.html.
 */
#include "decode.h"

#include <string.h>

#include "cursor.h"

#define ETH_MAX_LEN   1500   /* IEEE 802.3 §3.2.6: type fields <= this are lengths */
#define VLAN_VID_MASK 0x0FFF /* IEEE 802.1Q: VID is the low 12 bits of the TCI */

/* Address families in the NULL/LOOP header (tcpdump.org/linktypes.html). */
#define AF_NULL_INET       2  /* every BSD, Linux, Windows */
#define AF_NULL_INET6_LNX  10 /* Linux */
#define AF_NULL_INET6_WIN  23 /* Windows (Npcap loopback) */
#define AF_NULL_INET6_BSD  24 /* NetBSD, OpenBSD, BSD/OS */
#define AF_NULL_INET6_FBSD 28 /* FreeBSD, DragonFly BSD */
#define AF_NULL_INET6_DARW 30 /* Darwin */

#define IPV4_HDR_MIN  20     /* RFC 791 §3.1: IHL of 5 words */
#define IPV4_MF       0x2000 /* RFC 791 §3.1: more fragments */
#define IPV4_OFF_MASK 0x1FFF /* RFC 791 §3.1: fragment offset, 8-octet units */
#define IPV6_HDR_LEN  40     /* RFC 8200 §3 */
#define IPV6_MF       0x0001 /* RFC 8200 §4.5: M flag */
#define TCP_HDR_MIN   20     /* RFC 9293 §3.1: data offset of 5 words */
#define UDP_HDR_LEN   8      /* RFC 768 */
#define ICMP_HDR_LEN  8      /* RFC 792 / RFC 4443 §2.1: type, code, checksum, 4 bytes */

#define ICMP_ECHO_REPLY     0   /* RFC 792 */
#define ICMP_ECHO_REQUEST   8   /* RFC 792 */
#define ICMPV6_ECHO_REQUEST 128 /* RFC 4443 §4.1 */
#define ICMPV6_ECHO_REPLY   129 /* RFC 4443 §4.2 */

#define SLL_HDR_LEN  16 /* LINKTYPE_LINUX_SLL; protocol at offset 14 */
#define SLL2_HDR_LEN 20 /* LINKTYPE_LINUX_SLL2; protocol at offset 0 */

/* One frame's decoding: where counters go and the packet being filled. */
struct dec {
	struct pm_decode_stats *st; /* caller's counters */
	struct pm_pkt *pkt;         /* caller's packet, filled as layers decode */
	size_t extra;               /* wire bytes beyond the end of the captured frame */
};

/* What the transport layer gets from IP. */
struct l4 {
	struct pm_cur c; /* captured IP payload, clamped by the IP length */
	size_t wire;     /* IP payload length per the IP header */
	bool frag;       /* first fragment: transport lengths may exceed the IP payload */
	bool jumbo;      /* IPv6 jumbogram: a UDP length of 0 means "the rest" (RFC 2675) */
};

/* A view of where the cursor stands, for pointers into the frame. */
static const uint8_t *
here(const struct pm_cur *c)
{
	struct pm_cur t = *c;
	return pm_cur_bytes(&t, 0);
}

/*
 * Record where decoding stopped. Only the first call per packet counts, so a
 * packet lands in at most one truncated or malformed layer.
 */
static void
stop(struct dec *d, enum pm_layer l, bool malformed)
{
	if ((d->pkt->flags & (PM_PKT_TRUNC | PM_PKT_MALFORMED)) != 0) {
		return;
	}
	if (malformed) {
		d->pkt->flags |= PM_PKT_MALFORMED;
		d->st->malformed[l]++;
	} else {
		d->pkt->flags |= PM_PKT_TRUNC;
		d->st->truncated[l]++;
	}
}

/* An IP header whose transport header cannot be reached: IP-level counts only, no flow. */
static void
no_l4(struct dec *d, enum pm_layer l, bool malformed)
{
	d->pkt->flags |= PM_PKT_NO_L4;
	stop(d, l, malformed);
}

/*
 * A transport header that did not fit: if the IP length leaves room for it
 * the capture cut it (truncated), otherwise the IP length contradicts it.
 */
static void
short_l4(struct dec *d, const struct l4 *l, enum pm_layer layer, size_t need)
{
	struct pm_pkt *pkt = d->pkt;
	pkt->sport = 0;
	pkt->dport = 0;
	pkt->seq = 0;
	pkt->ack = 0;
	pkt->window = 0;
	pkt->icmp_type = 0;
	no_l4(d, layer, need > l->wire);
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
tcp(struct dec *d, struct l4 *l)
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
		stop(d, PM_L_TCP, true);
		return;
	}
	pm_cur_skip(c, hlen - TCP_HDR_MIN);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_TCP, false);
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
udp(struct dec *d, struct l4 *l)
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
		stop(d, PM_L_UDP, true);
		return;
	}
	if (ulen > l->wire) {
		/* A first fragment carries only part of the datagram the length counts. */
		if (!l->frag) {
			stop(d, PM_L_UDP, true);
		}
		ulen = l->wire;
	}
	set_payload(pkt, c, ulen - UDP_HDR_LEN);
}

/*
 * RFC 792 / RFC 4443 §2.1, with the echo layout (RFC 792 p.14, RFC 4443 §4.1):
 * +--------+--------+--------+--------+
 * |  Type  |  Code  |    Checksum     |
 * |   Identifier    | Sequence Number |
 * +--------+--------+--------+--------+
 */
static void
icmp(struct dec *d, struct l4 *l, bool v6)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur *c = &l->c;
	enum pm_layer layer = v6 ? PM_L_ICMPV6 : PM_L_ICMP;
	pkt->icmp_type = pm_cur_u8(c);
	pkt->icmp_code = pm_cur_u8(c);
	pm_cur_skip(c, 2); /* checksum */
	uint16_t id = pm_cur_be16(c);
	pm_cur_skip(c, 2); /* sequence number */
	if (!pm_cur_ok(c)) {
		short_l4(d, l, layer, ICMP_HDR_LEN);
		pkt->icmp_code = 0;
		return;
	}
	pkt->flags |= PM_PKT_HAS_L4;
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

static void
transport(struct dec *d, struct l4 *l, uint8_t proto)
{
	d->pkt->proto = proto;
	switch (proto) {
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
fragment(struct dec *d, bool more, size_t offset)
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
 * A total length of 0 is what Linux captures of TCP segmentation offload
 * show; like Wireshark, such packets take their length from the capture.
 */
static void
ipv4(struct dec *d, struct pm_cur *c)
{
	struct pm_pkt *pkt = d->pkt;
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
		stop(d, PM_L_IPV4, false);
		return;
	}
	if (vihl >> 4 != 4) {
		stop(d, PM_L_IPV4, true);
		return;
	}
	memcpy(pkt->src, src, 4);
	memcpy(pkt->dst, dst, 4);
	pkt->ipver = 4;
	pkt->ttl = ttl;
	pkt->proto = proto;
	pkt->ip_len = (uint32_t)totlen;
	pkt->frag_id_lo = id;
	pkt->l3 = here(c);
	pkt->flags |= PM_PKT_HAS_L3;
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
		no_l4(d, PM_L_IPV4, true);
		return;
	}
	size_t short_by;
	struct l4 l = { pm_cur_sub_clamp(c, totlen, &short_by), totlen - hlen, false, false };
	pm_cur_skip(&l.c, hlen);
	if (!pm_cur_ok(&l.c)) {
		no_l4(d, PM_L_IPV4, false);
		return;
	}
	size_t offset = frag & IPV4_OFF_MASK;
	fragment(d, (frag & IPV4_MF) != 0, offset);
	if (offset != 0) {
		d->st->other_l4++;
	} else {
		l.frag = (frag & IPV4_MF) != 0;
		transport(d, &l, proto);
	}
	if (over || short_by != 0) {
		stop(d, PM_L_IPV4, false);
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
 * Walk the extension headers (RFC 8200 §4), each at least 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  (fragment: Offset | Res |M)  |
 * |            (fragment: Identification; others: data)           |
 * RFC 8200 §4.1 allows each header once (destination options twice), so a
 * chain longer than PM_MAX_IPV6_EXT is malformed. Returns true when *nh names
 * the transport protocol whose header starts at l->c.
 */
static bool
ext_headers(struct dec *d, struct l4 *l, uint8_t *nh)
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
			no_l4(d, PM_L_IPV6, true);
			return false;
		}
		pm_cur_skip(&l->c, hlen);
		if (!pm_cur_ok(&l->c)) {
			no_l4(d, PM_L_IPV6, false);
			return false;
		}
		l->wire -= hlen;
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
 * A payload length of 0 with a hop-by-hop header is a jumbogram (RFC 2675);
 * its length is taken from the capture rather than the jumbo option.
 */
static void
ipv6(struct dec *d, struct pm_cur *c)
{
	struct pm_pkt *pkt = d->pkt;
	struct pm_cur h = *c;
	uint32_t vtf = pm_cur_be32(&h);
	size_t plen = pm_cur_be16(&h);
	uint8_t nh = pm_cur_u8(&h);
	uint8_t hlim = pm_cur_u8(&h);
	const uint8_t *src = pm_cur_bytes(&h, 16);
	const uint8_t *dst = pm_cur_bytes(&h, 16);
	if (!pm_cur_ok(&h)) {
		stop(d, PM_L_IPV6, false);
		return;
	}
	if (vtf >> 28 != 6) {
		stop(d, PM_L_IPV6, true);
		return;
	}
	memcpy(pkt->src, src, 16);
	memcpy(pkt->dst, dst, 16);
	pkt->ipver = 6;
	pkt->ttl = hlim;
	pkt->proto = nh;
	pkt->ip_len = (uint32_t)(IPV6_HDR_LEN + plen);
	pkt->l3 = here(c);
	pkt->flags |= PM_PKT_HAS_L3;
	d->st->ipv6++;
	bool jumbo = plen == 0 && nh == PM_IPPROTO_HOPOPTS;
	size_t on_wire = pm_cur_left(c) + d->extra;
	size_t want = jumbo ? on_wire : IPV6_HDR_LEN + plen;
	bool over = want > on_wire;
	if (over) {
		want = on_wire < IPV6_HDR_LEN ? IPV6_HDR_LEN : on_wire;
	}
	size_t short_by;
	struct l4 l = { pm_cur_sub_clamp(c, want, &short_by), want - IPV6_HDR_LEN, false, jumbo };
	if (jumbo) {
		pkt->ip_len = (uint32_t)want;
	}
	pm_cur_skip(&l.c, IPV6_HDR_LEN);
	if (ext_headers(d, &l, &nh)) {
		transport(d, &l, nh);
	}
	if (over || short_by != 0) {
		stop(d, PM_L_IPV6, false);
	}
}

static bool
is_vlan(uint16_t type)
{
	return type == PM_ETH_VLAN || type == PM_ETH_QINQ || type == PM_ETH_QINQ_OLD;
}

/*
 * IEEE 802.1Q tags, each 4 bytes after the type that announced it:
 * +-----+---+--------------+-----------------+
 * | PCP |DEI|  VID (12)    |  next type (16) |
 * +-----+---+--------------+-----------------+
 * Returns false when the stack is cut short or deeper than PM_MAX_VLAN_DEPTH.
 */
static bool
vlans(struct dec *d, struct pm_cur *c, uint16_t *type)
{
	struct pm_pkt *pkt = d->pkt;
	bool ok = true;
	while (is_vlan(*type)) {
		if (pkt->vlan_depth == PM_MAX_VLAN_DEPTH) {
			stop(d, PM_L_VLAN, true);
			ok = false;
			break;
		}
		uint16_t tci = pm_cur_be16(c);
		*type = pm_cur_be16(c);
		if (!pm_cur_ok(c)) {
			stop(d, PM_L_VLAN, false);
			ok = false;
			break;
		}
		if (pkt->vlan_depth == 0) {
			pkt->vlan_id = tci & VLAN_VID_MASK;
		}
		pkt->vlan_depth++;
	}
	if (pkt->vlan_depth != 0) {
		pkt->flags |= PM_PKT_VLAN;
		d->st->vlan++;
	}
	return ok;
}

/* Dispatch on an ethertype (Ethernet, SLL, SLL2), walking VLAN tags first. */
static void
network(struct dec *d, struct pm_cur *c, uint16_t type)
{
	if (!vlans(d, c, &type)) {
		return;
	}
	d->pkt->ethertype = type > ETH_MAX_LEN ? type : 0;
	switch (type) {
	case PM_ETH_IPV4:
		ipv4(d, c);
		break;
	case PM_ETH_IPV6:
		ipv6(d, c);
		break;
	case PM_ETH_ARP:
		d->st->arp++;
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/* Dispatch on the version nibble of a raw IP packet (LINKTYPE_RAW and kin). */
static void
raw_ip(struct dec *d, struct pm_cur *c)
{
	if (pm_cur_left(c) == 0) {
		stop(d, PM_L_LINK, false);
		return;
	}
	switch (pm_cur_peek(c, 0) >> 4) {
	case 4:
		d->pkt->ethertype = PM_ETH_IPV4;
		ipv4(d, c);
		break;
	case 6:
		d->pkt->ethertype = PM_ETH_IPV6;
		ipv6(d, c);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/* Dispatch on a NULL/LOOP address family. */
static void
family(struct dec *d, struct pm_cur *c, uint32_t af)
{
	switch (af) {
	case AF_NULL_INET:
		d->pkt->ethertype = PM_ETH_IPV4;
		ipv4(d, c);
		break;
	case AF_NULL_INET6_LNX:
	case AF_NULL_INET6_WIN:
	case AF_NULL_INET6_BSD:
	case AF_NULL_INET6_FBSD:
	case AF_NULL_INET6_DARW:
		d->pkt->ethertype = PM_ETH_IPV6;
		ipv6(d, c);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/*
 * NULL: a 4-byte address family in the capturing host's byte order. Families
 * are small, so a value with any of its high 16 bits set was written by a
 * host of the other byte order (Wireshark guesses the same way).
 */
static void
null_link(struct dec *d, struct pm_cur *c)
{
	struct pm_cur le = *c;
	uint32_t af = pm_cur_le32(&le);
	uint32_t af_be = pm_cur_be32(c);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_LINK, false);
		return;
	}
	family(d, c, af <= 0xFFFF ? af : af_be);
}

/* LOOP (OpenBSD): the same families, always big-endian. */
static void
loop_link(struct dec *d, struct pm_cur *c)
{
	uint32_t af = pm_cur_be32(c);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_LINK, false);
		return;
	}
	family(d, c, af);
}

/* Ethernet II / 802.3: destination 6, source 6, type or length 2. */
static void
ethernet(struct dec *d, struct pm_cur *c)
{
	pm_cur_skip(c, 12);
	uint16_t type = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_LINK, false);
		return;
	}
	network(d, c, type);
}

/*
 * Linux cooked v1: packet type 2, ARPHRD 2, address length 2, address 8,
 * protocol 2. The protocol is an ethertype for the link types we meet.
 */
static void
sll(struct dec *d, struct pm_cur *c)
{
	pm_cur_skip(c, SLL_HDR_LEN - 2);
	uint16_t type = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_LINK, false);
		return;
	}
	network(d, c, type);
}

/*
 * Linux cooked v2: protocol 2, reserved 2, interface index 4, ARPHRD 2,
 * packet type 1, address length 1, address 8.
 */
static void
sll2(struct dec *d, struct pm_cur *c)
{
	uint16_t type = pm_cur_be16(c);
	pm_cur_skip(c, SLL2_HDR_LEN - 2);
	if (!pm_cur_ok(c)) {
		stop(d, PM_L_LINK, false);
		return;
	}
	network(d, c, type);
}

/* Count a link type we do not decode, keeping the first few distinct numbers. */
static void
unknown_linktype(struct pm_decode_stats *st, uint32_t linktype)
{
	st->unknown_linktype++;
	for (size_t i = 0; i < PM_ARRAY_LEN(st->unknown_lt); i++) {
		if (st->unknown_lt_count[i] == 0) {
			st->unknown_lt[i] = linktype;
		}
		if (st->unknown_lt[i] == linktype) {
			st->unknown_lt_count[i]++;
			return;
		}
	}
}

/* see decode.h */
void
pm_decode(struct pm_decode_stats *st, uint32_t linktype, const uint8_t *data, uint32_t caplen,
          uint32_t wirelen, int64_t ts_ns, struct pm_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->ts_ns = ts_ns;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	pkt->linktype = linktype;
	st->packets++;
	struct dec d = { st, pkt, wirelen > caplen ? wirelen - caplen : 0 };
	struct pm_cur c = pm_cur_init(data, caplen);
	switch (linktype) {
	case PM_LINKTYPE_ETHERNET:
		st->ethernet++;
		ethernet(&d, &c);
		break;
	case PM_LINKTYPE_LINUX_SLL:
		st->sll++;
		sll(&d, &c);
		break;
	case PM_LINKTYPE_LINUX_SLL2:
		st->sll2++;
		sll2(&d, &c);
		break;
	case PM_LINKTYPE_NULL:
		st->loopback++;
		null_link(&d, &c);
		break;
	case PM_LINKTYPE_LOOP:
		st->loopback++;
		loop_link(&d, &c);
		break;
	case PM_LINKTYPE_RAW:
	case PM_LINKTYPE_RAW_OLD12:
	case PM_LINKTYPE_RAW_OLD14:
		st->rawip++;
		raw_ip(&d, &c);
		break;
	case PM_LINKTYPE_IPV4:
		st->rawip++;
		pkt->ethertype = PM_ETH_IPV4;
		ipv4(&d, &c);
		break;
	case PM_LINKTYPE_IPV6:
		st->rawip++;
		pkt->ethertype = PM_ETH_IPV6;
		ipv6(&d, &c);
		break;
	default:
		unknown_linktype(st, linktype);
		break;
	}
}

/* see decode.h */
const char *
pm_layer_name(enum pm_layer l)
{
	static const char *const names[PM_L_COUNT] = {
		[PM_L_LINK] = "link", [PM_L_VLAN] = "vlan",     [PM_L_IPV4] = "ipv4",
		[PM_L_IPV6] = "ipv6", [PM_L_TCP] = "tcp",       [PM_L_UDP] = "udp",
		[PM_L_ICMP] = "icmp", [PM_L_ICMPV6] = "icmpv6",
	};
	if ((unsigned)l >= PM_L_COUNT) {
		return "unknown";
	}
	return names[l];
}
