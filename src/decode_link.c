/* SPDX-License-Identifier: MIT */
/*
 * decode_link.c - link layers and capture pseudo-headers: the first layer
 * step of a frame, naming the network layer that follows.
 *
 * Ethernet, Linux cooked v1/v2, BSD NULL/LOOP, PPP (RFC 1661, RFC 1662),
 * Cisco HDLC, Frame Relay (ITU-T Q.922, RFC 2427), 802.11 data frames (IEEE 802.11-2020 §9.2-§9.3) alone or under
 * radiotap (radiotap.org) or PPI (CACE PPI 1.0), NFLOG, PKTAP, Linux IPoIB
 * (RFC 4391), FDDI and Linux ARCNET (RFC 1201, RFC 1051, RFC 2497). Header
 * layouts per tcpdump.org/linktypes.html. Encrypted 802.11 bodies are
 * counted, not decoded.
 */
#include "decode_int.h"

#include "cursor.h"

/* Address families in the NULL/LOOP header (tcpdump.org/linktypes.html). */
#define AF_NULL_INET       2    /* every BSD, Linux, Windows */
#define AF_NULL_INET6_LNX  10   /* Linux */
#define AF_NULL_INET6_WIN  23   /* Windows (Npcap loopback) */
#define AF_NULL_INET6_BSD  24   /* NetBSD, OpenBSD, BSD/OS */
#define AF_NULL_INET6_FBSD 28   /* FreeBSD, DragonFly BSD */
#define AF_NULL_INET6_DARW 30   /* Darwin */
#define NULL_MAX_FAMILY    1500 /* above: an ethertype (IEEE 802.3 §3.2.6 lengths end here) */

#define SLL_HDR_LEN  16 /* LINKTYPE_LINUX_SLL; protocol at offset 14 */
#define SLL2_HDR_LEN 20 /* LINKTYPE_LINUX_SLL2; protocol at offset 0 */

#define PPP_ADDRESS 0xFF   /* RFC 1662 §3.1: all-stations address */
#define PPP_CONTROL 0x03   /* RFC 1662 §3.1: unnumbered information */
#define PPP_IPV4    0x0021 /* RFC 1332 */
#define PPP_IPV6    0x0057 /* RFC 5072 */
#define PPP_MPLS    0x0281 /* RFC 3032 §4.3 */

#define WIFI_TYPE_DATA 2    /* IEEE 802.11-2020 §9.2.4.1.3: frame type "data" */
#define WIFI_NULL      0x04 /* subtype bit: no frame body */
#define WIFI_QOS       0x08 /* subtype bit: QoS Control field present */
#define WIFI_TODS      0x01 /* flags: To DS */
#define WIFI_FROMDS    0x02 /* flags: From DS */
#define WIFI_PROTECTED 0x40 /* flags: the body is encrypted */
#define WIFI_ORDER     0x80 /* flags: +HTC, an HT Control field in QoS data */
#define WIFI_HDR_LEN   24   /* frame control, duration, 3 addresses, sequence control */

#define NFLOG_AF_INET  2 /* libpcap: NFLOG family is an AF_ value */
#define NFLOG_AF_INET6 10
#define NFULA_PAYLOAD  9  /* linux/netfilter/nfnetlink_log.h */
#define NFLOG_MAX_TLVS 64 /* TLVs walked before giving up */

#define FDDI_HDR_LEN     13   /* frame control 1, destination 6, source 6 */
#define FR_EA            0x01 /* ITU-T Q.922 §3.3: address extension, set in the last byte */
#define FR_MAX_ADDR      4    /* Q.922 addresses are 2 to 4 bytes */
#define FR_UI            0x03 /* RFC 2427 §2: unnumbered information */
#define FR_PAD           0x00 /* RFC 2427 §2: pad before the NLPID */
#define FR_NLPID_IPV4    0xCC /* RFC 2427 §4 / ISO/IEC TR 9577 */
#define FR_NLPID_IPV6    0x8E
#define FR_NLPID_SNAP    0x80
#define IPOIB_HDR_LEN    4      /* RFC 4391 §6: type 2, reserved 2 */
#define IPOIB_ADDR_LEN   40     /* Linux: destination and source hardware addresses, 20 each */
#define IPOIB_MIN_TYPE   0x0600 /* IEEE 802.3: the smallest ethertype */
#define ARC_TYPE_IP      212    /* RFC 1201 */
#define ARC_TYPE_ARP     213    /* RFC 1201 */
#define ARC_TYPE_INET6   0xC4   /* RFC 2497 */
#define ARC_TYPE_IP_OLD  240    /* RFC 1051 */
#define ARC_TYPE_ARP_OLD 241    /* RFC 1051 */
#define ARC_TYPE_DIAG    0x80   /* ANSI/ATA 878.1 */
#define ARC_HDR_LEN      5      /* source, destination, offset 2, type */
#define ARC_HDR_NEW_LEN  8      /* plus split flag and sequence id (RFC 1201 §4) */

/* The rest of the frame is an IPv4 (or, v6, IPv6) packet. */
static void
ip_next(struct pm_dec *d, bool v6)
{
	d->pkt->ethertype = v6 ? PM_ETH_IPV6 : PM_ETH_IPV4;
	d->next = v6 ? PM_NX_IPV6 : PM_NX_IPV4;
}

/* Hand the rest of the frame to the ethertype dispatch. */
static void
etype(struct pm_dec *d, uint16_t type)
{
	d->type = type;
	d->next = PM_NX_ETYPE;
}

/* Dispatch on a NULL/LOOP address family. */
static void
family(struct pm_dec *d, uint32_t af)
{
	switch (af) {
	case AF_NULL_INET:
		ip_next(d, false);
		break;
	case AF_NULL_INET6_LNX:
	case AF_NULL_INET6_WIN:
	case AF_NULL_INET6_BSD:
	case AF_NULL_INET6_FBSD:
	case AF_NULL_INET6_DARW:
		ip_next(d, true);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/*
 * NULL: a 4-byte address family in the capturing host's byte order. Families
 * are small, so a value with any of its high 16 bits set was written by a
 * host of the other byte order (Wireshark guesses the same way). A value
 * still above any family carries an ethertype in its last two bytes (some
 * writers put one there; Wireshark's null dissector reads it so).
 */
static void
null_link(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	struct pm_cur le = *c;
	uint32_t af = pm_cur_le32(&le);
	uint32_t af_be = pm_cur_be32(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	uint32_t fam = af <= 0xFFFF ? af : af_be;
	if (fam > NULL_MAX_FAMILY) {
		etype(d, (uint16_t)af_be);
		return;
	}
	family(d, fam);
}

/* LOOP (OpenBSD): the same families, always big-endian. */
static void
loop_link(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint32_t af = pm_cur_be32(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	family(d, af);
}

/* see decode_int.h. Ethernet II / 802.3: destination 6, source 6, type or length 2. */
void
pm_dec_ether(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	pm_cur_skip(c, 12);
	uint16_t type = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->type = type;
	pm_dec_etype(d); /* directly: the common frame needs no second walk step */
}

/*
 * Linux cooked v1: packet type 2, ARPHRD 2, address length 2, address 8,
 * protocol 2. The protocol is an ethertype for the link types we meet.
 */
static void
sll(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	pm_cur_skip(c, SLL_HDR_LEN - 2);
	uint16_t type = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	etype(d, type);
}

/*
 * Linux cooked v2: protocol 2, reserved 2, interface index 4, ARPHRD 2,
 * packet type 1, address length 1, address 8.
 */
static void
sll2(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint16_t type = pm_cur_be16(c);
	pm_cur_skip(c, SLL2_HDR_LEN - 2);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	etype(d, type);
}

/* see decode_int.h. PPP protocol numbers per RFC 1661 §2 (IANA PPP DLL protocol numbers). */
void
pm_dec_ppp(struct pm_dec *d)
{
	switch (d->type) {
	case PPP_IPV4:
		ip_next(d, false);
		break;
	case PPP_IPV6:
		ip_next(d, true);
		break;
	case PPP_MPLS:
		d->next = PM_NX_MPLS;
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/*
 * see decode_int.h. PPP (RFC 1661 §2), optionally in HDLC-like framing (RFC 1662 §3.1):
 * [0xFF address, 0x03 control], protocol 1 or 2 bytes (an odd first byte is
 * a compressed one-byte protocol, RFC 1661 §6.5).
 */
void
pm_dec_ppp_frame(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	if (pm_cur_left(c) != 0 && pm_cur_peek(c, 0) == PPP_ADDRESS) {
		uint8_t ctl = pm_cur_peek(c, 1); /* 0 and a failed cursor below when absent */
		pm_cur_skip(c, 2);
		if (pm_cur_ok(c) && ctl != PPP_CONTROL) {
			pm_dec_stop(d, PM_L_LINK, true);
			return;
		}
	}
	uint16_t proto = pm_cur_u8(c);
	if ((proto & 1) == 0) {
		proto = (uint16_t)(proto << 8 | pm_cur_u8(c));
	}
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->type = proto;
	d->next = PM_NX_PPP;
}

/* Cisco HDLC: address 1 (0x0F unicast, 0x8F broadcast), control 1, ethertype 2. */
static void
chdlc(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	pm_cur_skip(c, 2);
	uint16_t type = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->chdlc++;
	etype(d, type);
}

/*
 * Frame Relay: a Q.922 address of 2 to 4 bytes (the last has the EA bit),
 * then either RFC 2427 (control 0x03, an optional pad 0x00, an NLPID: IPv4,
 * IPv6, or SNAP with an ethertype) or Cisco's encapsulation, an ethertype.
 */
static void
frelay(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	size_t n = 0;
	uint8_t b;
	do {
		b = pm_cur_u8(c);
	} while (pm_cur_ok(c) && (b & FR_EA) == 0 && ++n < FR_MAX_ADDR);
	if (pm_cur_ok(c) && (b & FR_EA) == 0) {
		pm_dec_stop(d, PM_L_LINK, true);
		return;
	}
	d->st->frelay++;
	if (pm_cur_peek(c, 0) != FR_UI) {
		uint16_t type = pm_cur_be16(c);
		if (!pm_cur_ok(c)) {
			pm_dec_stop(d, PM_L_LINK, false);
			return;
		}
		etype(d, type);
		return;
	}
	pm_cur_skip(c, 1);
	uint8_t nlpid = pm_cur_u8(c);
	if (nlpid == FR_PAD) {
		nlpid = pm_cur_u8(c);
	}
	uint16_t type = 0;
	if (nlpid == FR_NLPID_SNAP) {
		pm_cur_skip(c, 3); /* OUI */
		type = pm_cur_be16(c);
	}
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	switch (nlpid) {
	case FR_NLPID_IPV4:
		ip_next(d, false);
		break;
	case FR_NLPID_IPV6:
		ip_next(d, true);
		break;
	case FR_NLPID_SNAP:
		etype(d, type);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/* PPP in HDLC framing (50): RFC 1662 frames, though some captures hold Cisco HDLC. */
static void
ppp_hdlc(struct pm_dec *d)
{
	if (pm_cur_left(&d->c) != 0 && pm_cur_peek(&d->c, 0) != PPP_ADDRESS) {
		chdlc(d);
		return;
	}
	d->st->ppp++;
	pm_dec_ppp_frame(d);
}

/*
 * IEEE 802.11-2020 §9.3.2.1, a data frame:
 * +-------+-------+------+------+------+---------+------+-----+-----+--------
 * | FC 2  | dur 2 | A1 6 | A2 6 | A3 6 | seq 2   | [A4] | [QoS 2] [HTC 4] | LLC
 * +-------+-------+------+------+------+---------+------+-----+-----+--------
 * A4 is present when both To DS and From DS are set; HT Control in QoS data
 * with the +HTC (order) flag. The body starts with LLC/SNAP (RFC 1042).
 */
void
pm_dec_wifi(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint8_t fc0 = pm_cur_u8(c);
	uint8_t fl = pm_cur_u8(c);
	pm_cur_skip(c, WIFI_HDR_LEN - 2);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->ieee80211++;
	uint8_t type = fc0 >> 2 & 3, subtype = fc0 >> 4;
	if (type != WIFI_TYPE_DATA || (subtype & WIFI_NULL) != 0) {
		d->st->other_l3++; /* management, control, or a data frame without a body */
		return;
	}
	if ((fl & WIFI_PROTECTED) != 0) {
		d->st->encrypted++;
		return;
	}
	size_t more = (fl & (WIFI_TODS | WIFI_FROMDS)) == (WIFI_TODS | WIFI_FROMDS) ? 6 : 0;
	if ((subtype & WIFI_QOS) != 0) {
		more += (fl & WIFI_ORDER) != 0 ? 2 + 4 : 2;
	}
	pm_cur_skip(c, more);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	etype(d, 0); /* a length: the LLC/SNAP header names the type */
}

/* Radiotap (radiotap.org): version 1, pad 1, length le16 (the whole header), present le32... */
static void
radiotap(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	struct pm_cur h = *c;
	pm_cur_skip(&h, 2);
	size_t len = pm_cur_le16(&h);
	pm_cur_skip(c, len);
	if (!pm_cur_ok(&h) || !pm_cur_ok(c) || len < 8) {
		pm_dec_stop(d, PM_L_LINK, len < 8 && pm_cur_ok(&h));
		return;
	}
	d->st->radiotap++;
	d->next = PM_NX_WIFI;
}

/* PPI 1.0 (CACE): version 1, flags 1, length le16 (the whole header), inner DLT le32. */
static void
ppi(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	struct pm_cur h = *c;
	pm_cur_skip(&h, 2);
	size_t len = pm_cur_le16(&h);
	uint32_t dlt = pm_cur_le32(&h);
	pm_cur_skip(c, len);
	if (!pm_cur_ok(&h) || !pm_cur_ok(c) || len < 8) {
		pm_dec_stop(d, PM_L_LINK, len < 8 && pm_cur_ok(&h));
		return;
	}
	d->st->ppi++;
	if (dlt == PM_LINKTYPE_IEEE802_11) {
		d->next = PM_NX_WIFI;
	} else if (dlt == PM_LINKTYPE_ETHERNET) {
		d->next = PM_NX_ETHER;
	} else {
		d->st->other_l3++;
	}
}

/*
 * NFLOG: family 1, version 1, resource id be16, then TLVs of length le16
 * (the TLV's own 4 bytes included, padded to 4) and type le16; the packet is
 * the NFULA_PAYLOAD TLV's value, an IP packet of the family.
 */
static void
nflog(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint8_t family = pm_cur_u8(c);
	pm_cur_skip(c, 3);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->nflog++;
	for (size_t i = 0; i < NFLOG_MAX_TLVS && pm_cur_left(c) != 0; i++) {
		size_t len = pm_cur_le16(c);
		uint16_t type = pm_cur_le16(c);
		if (!pm_cur_ok(c) || len < 4) {
			pm_dec_stop(d, PM_L_LINK, pm_cur_ok(c));
			return;
		}
		size_t short_by;
		struct pm_cur v = pm_cur_sub_clamp(c, len - 4, &short_by);
		if ((type & 0x7FFF) == NFULA_PAYLOAD) {
			d->c = v;
			d->extra = short_by;
			d->next = family == NFLOG_AF_INET    ? PM_NX_IPV4
			          : family == NFLOG_AF_INET6 ? PM_NX_IPV6
			                                     : PM_NX_IP;
			return;
		}
		size_t pad = (4 - len % 4) % 4;
		pm_cur_skip(c, pad < pm_cur_left(c) ? pad : pm_cur_left(c));
	}
	/* NFLOG of a packet always carries its payload TLV: without one the record is cut. */
	pm_dec_stop(d, PM_L_LINK, pm_cur_left(c) != 0);
}

/*
 * PKTAP (Darwin): header length le32, next type le32, DLT le32, ... ; the
 * frame of that DLT follows the header.
 */
static void
pktap(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	struct pm_cur h = *c;
	size_t len = pm_cur_le32(&h);
	pm_cur_skip(&h, 4);
	uint32_t dlt = pm_cur_le32(&h);
	if (!pm_cur_ok(&h) || len < 12) {
		pm_dec_stop(d, PM_L_LINK, pm_cur_ok(&h));
		return;
	}
	pm_cur_skip(c, len);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->pktap++;
	switch (dlt) {
	case PM_LINKTYPE_ETHERNET:
		d->next = PM_NX_ETHER;
		break;
	case PM_LINKTYPE_NULL:
		null_link(d);
		break;
	case PM_LINKTYPE_RAW:
	case PM_LINKTYPE_RAW_OLD12:
		d->next = PM_NX_IP;
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/*
 * Linux IPoIB (RFC 4391 §6): an ethertype, then 2 reserved bytes; Linux
 * captures may put the 20-byte destination and source hardware addresses
 * before it (44 bytes in all), which a first word below any ethertype shows.
 */
static void
ipoib(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	if (pm_cur_left(c) >= IPOIB_ADDR_LEN + IPOIB_HDR_LEN &&
	    (pm_cur_peek(c, 0) << 8 | pm_cur_peek(c, 1)) < IPOIB_MIN_TYPE) {
		pm_cur_skip(c, IPOIB_ADDR_LEN);
	}
	uint16_t type = pm_cur_be16(c);
	pm_cur_skip(c, IPOIB_HDR_LEN - 2);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->ipoib++;
	etype(d, type);
}

/* FDDI: frame control, destination, source, then 802.2 LLC/SNAP. */
static void
fddi(struct pm_dec *d)
{
	pm_cur_skip(&d->c, FDDI_HDR_LEN);
	if (!pm_cur_ok(&d->c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->fddi++;
	etype(d, 0);
}

/*
 * Linux ARCNET: source 1, destination 1, offset 2, type 1, and for the
 * RFC 1201 types a split flag 1 and sequence id 2 (tcpdump print-arcnet.c).
 */
static void
arcnet(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	pm_cur_skip(c, 4);
	uint8_t type = pm_cur_u8(c);
	bool old = type == ARC_TYPE_IP_OLD || type == ARC_TYPE_ARP_OLD || type == ARC_TYPE_DIAG;
	pm_cur_skip(c, old ? 0 : ARC_HDR_NEW_LEN - ARC_HDR_LEN);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_LINK, false);
		return;
	}
	d->st->arcnet++;
	switch (type) {
	case ARC_TYPE_IP:
	case ARC_TYPE_IP_OLD:
		ip_next(d, false);
		break;
	case ARC_TYPE_INET6:
		ip_next(d, true);
		break;
	case ARC_TYPE_ARP:
	case ARC_TYPE_ARP_OLD:
		d->st->arp++;
		break;
	default:
		d->st->other_l3++;
		break;
	}
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

/* see decode_int.h */
void
pm_dec_link(struct pm_dec *d, uint32_t linktype)
{
	struct pm_decode_stats *st = d->st;
	switch (linktype) {
	case PM_LINKTYPE_ETHERNET:
		st->ethernet++;
		pm_dec_ether(d);
		break;
	case PM_LINKTYPE_LINUX_SLL:
		st->sll++;
		sll(d);
		break;
	case PM_LINKTYPE_LINUX_SLL2:
		st->sll2++;
		sll2(d);
		break;
	case PM_LINKTYPE_NULL:
		st->loopback++;
		null_link(d);
		break;
	case PM_LINKTYPE_LOOP:
		st->loopback++;
		loop_link(d);
		break;
	case PM_LINKTYPE_RAW:
	case PM_LINKTYPE_RAW_OLD12:
	case PM_LINKTYPE_RAW_OLD14:
		st->rawip++;
		d->next = PM_NX_IP;
		break;
	case PM_LINKTYPE_IPV4:
		st->rawip++;
		ip_next(d, false);
		break;
	case PM_LINKTYPE_IPV6:
		st->rawip++;
		ip_next(d, true);
		break;
	case PM_LINKTYPE_PPP:
		d->st->ppp++;
		pm_dec_ppp_frame(d);
		break;
	case PM_LINKTYPE_PPP_HDLC:
		ppp_hdlc(d);
		break;
	case PM_LINKTYPE_C_HDLC:
		chdlc(d);
		break;
	case PM_LINKTYPE_FRELAY:
		frelay(d);
		break;
	case PM_LINKTYPE_IEEE802_11:
		pm_dec_wifi(d);
		break;
	case PM_LINKTYPE_RADIOTAP:
		radiotap(d);
		break;
	case PM_LINKTYPE_PPI:
		ppi(d);
		break;
	case PM_LINKTYPE_NFLOG:
		nflog(d);
		break;
	case PM_LINKTYPE_PKTAP:
	case PM_LINKTYPE_PKTAP_APPLE:
		pktap(d);
		break;
	case PM_LINKTYPE_IPOIB:
		ipoib(d);
		break;
	case PM_LINKTYPE_FDDI:
		fddi(d);
		break;
	case PM_LINKTYPE_ARCNET_LINUX:
		arcnet(d);
		break;
	default:
		unknown_linktype(st, linktype);
		break;
	}
}
