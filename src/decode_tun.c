/* SPDX-License-Identifier: MIT */
/*
 * decode_tun.c - tunnel and label headers: each reads its header and enters
 * the tunnel (pm_dec_enter), naming the inner layer step.
 *
 * GRE (RFC 2784, RFC 2890 key and sequence, RFC 2637 enhanced GRE) with
 * ERSPAN types I, II and III (draft-foschiano-erspan-03), VXLAN (RFC 7348)
 * and VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe-12),
 * Geneve (RFC 8926), GTP-U (3GPP TS 29.281 §5), Teredo (RFC 4380 §5.1.1),
 * GRE-in-UDP (RFC 8086), L2TPv2 data (RFC 2661 §3.1), MPLS (RFC 3032, control word RFC 4385),
 * PPPoE sessions (RFC 2516 §4), PIM Register (RFC 7761 §4.9.3), WCCP
 * redirection in GRE, 802.1ah PBB, NSH (RFC 8300 §2) and MACsec
 * without encryption (IEEE 802.1AE-2018 §9). A UDP tunnel header that does
 * not parse leaves the packet an ordinary UDP packet. GRE source routing
 * (RFC 1701) is not followed.
 */
#include "decode_int.h"

#include "cursor.h"

#define GRE_C            0x8000 /* RFC 2784: checksum present */
#define GRE_R            0x4000 /* RFC 1701: routing present */
#define GRE_K            0x2000 /* RFC 2890: key present */
#define GRE_S            0x1000 /* RFC 2890: sequence number present */
#define GRE_A            0x0080 /* RFC 2637: acknowledgment present (version 1) */
#define GRE_VER          0x0007 /* RFC 2784: version */
#define ERSPAN2_HDR      8      /* draft-foschiano-erspan-03 §4.2 */
#define ERSPAN3_HDR      12     /* draft-foschiano-erspan-03 §4.3 */
#define ERSPAN3_SUB      8      /* the platform-specific subheader when O is set */
#define GRE_WCCP         0x883E /* Cisco WCCP redirection (draft-mclaggan-wccp-v2rev1 §4.12) */
#define WCCP_HDR         4      /* the WCCPv2 redirect header */
#define PIM_V2_REGISTER  0x21   /* RFC 7761 §4.9: version 2, type 1 (Register) */
#define PIM_REGISTER_HDR 8      /* RFC 7761 §4.9.3: PIM header 4, B N and reserved 4 */

#define UDP_VXLAN      4789 /* RFC 7348 §5 */
#define UDP_VXLAN_GPE  4790 /* draft-ietf-nvo3-vxlan-gpe-12 §3.3 */
#define UDP_GENEVE     6081 /* RFC 8926 §3.3 */
#define UDP_GTPU       2152 /* 3GPP TS 29.281 §4.4.2.3 */
#define UDP_TEREDO     3544 /* RFC 4380 §4 */
#define UDP_L2TP       1701 /* RFC 2661 §8.1 */
#define UDP_GRE        4754 /* RFC 8086 §3: GRE-in-UDP */
#define UDP_WELL_KNOWN 1024 /* RFC 6335 §6: ports below are system ports */

#define VXLAN_I      0x08 /* RFC 7348 §5: VNI valid */
#define VXLAN_HDR    8
#define GPE_VER      0x30 /* VXLAN-GPE version bits: 0 */
#define GPE_NP_IPV4  1    /* VXLAN-GPE next protocol */
#define GPE_NP_IPV6  2
#define GPE_NP_ETHER 3
#define GPE_NP_NSH   4
#define GPE_NP_MPLS  5
#define GENEVE_HDR   8
#define GTP_GPDU     0xFF /* 3GPP TS 29.281 §6.1: G-PDU */
#define GTP_HDR      8
#define GTP_OPT      0x07 /* E, S, PN: the 4 optional bytes are present */
#define GTP_EXT      0x04 /* E: extension headers follow */
#define GTP_MAX_EXT  8
#define TEREDO_AUTH  0x0001 /* RFC 4380 §5.1.1 authentication indicator */
#define TEREDO_ORIG  0x0000 /* RFC 4380 §5.1.1 origin indicator */
#define L2TP_T       0x8000 /* RFC 2661 §3.1: control message */
#define L2TP_L       0x4000
#define L2TP_S       0x0800
#define L2TP_O       0x0200
#define L2TP_VER     0x000F
#define MPLS_BOS     0x00000100u /* RFC 3032 §2.1: bottom of stack */
#define PPPOE_HDR    6           /* RFC 2516 §4 */
#define PBB_HDR      (4 + 12)    /* I-TAG, then customer destination and source */
#define NSH_NP_IPV4  1           /* RFC 8300 §2.2 next protocol */
#define NSH_NP_IPV6  2
#define NSH_NP_ETHER 3
#define NSH_NP_MPLS  5
#define MACSEC_SC    0x20 /* IEEE 802.1AE §9.5: SCI present */
#define MACSEC_E     0x08 /* encrypted */
#define MACSEC_C     0x04 /* changed text */
#define MACSEC_ICV   16   /* default integrity check value */

/* Enter kind with the rest of *c as the inner bytes, wire of them on the wire. */
static void
enter_rest(struct pm_dec *d, enum pm_tunnel kind, const struct pm_cur *c, size_t wire,
           enum pm_dec_next next, uint16_t type)
{
	pm_dec_enter(d, kind, c, wire, next, type);
}

/* The rest of d->c, as wire bytes: the captured rest plus what the capture cut. */
static size_t
rest_wire(const struct pm_dec *d)
{
	return pm_cur_left(&d->c) + d->extra;
}

/*
 * RFC 2784 §2.1 / RFC 2890 §2 / RFC 2637 §4.1:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * |      Checksum (optional)      |       Reserved1 (Optional)    |
 * |                         Key (optional)                        |
 * |                 Sequence Number (Optional)                    |
 * |               Acknowledgment Number (version 1, A)            |
 */
void
pm_dec_gre(struct pm_dec *d, struct pm_l4 *l)
{
	struct pm_cur *c = &l->c;
	size_t left0 = pm_cur_left(c);
	uint16_t fl = pm_cur_be16(c);
	uint16_t proto = pm_cur_be16(c);
	uint16_t ver = fl & GRE_VER;
	pm_cur_skip(c, (fl & (GRE_C | GRE_R)) != 0 ? 4 : 0);
	pm_cur_skip(c, (fl & GRE_K) != 0 ? 4 : 0);
	pm_cur_skip(c, (fl & GRE_S) != 0 ? 4 : 0);
	pm_cur_skip(c, ver == 1 && (fl & GRE_A) != 0 ? 4 : 0);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	if (ver > 1 || (fl & GRE_R) != 0) {
		d->st->other_l4++;
		return;
	}
	size_t used = left0 - pm_cur_left(c);
	size_t wire = l->wire > used ? l->wire - used : 0;
	enum pm_tunnel kind = PM_TUN_GRE;
	switch (proto) {
	case PM_ETH_TEB:
		enter_rest(d, kind, c, wire, PM_NX_ETHER, 0);
		return;
	case PM_ETH_PPP:
		enter_rest(d, kind, c, wire, PM_NX_PPP_FRAME, 0);
		return;
	case PM_ETH_MPLS:
	case PM_ETH_MPLS_MC:
		enter_rest(d, kind, c, wire, PM_NX_MPLS, 0);
		return;
	case GRE_WCCP:
		/* WCCPv2 puts a 4-byte redirect header before the IPv4 packet; v1 none. */
		if (pm_cur_left(c) != 0 && pm_cur_peek(c, 0) >> 4 != 4) {
			pm_cur_skip(c, WCCP_HDR);
			wire = wire > WCCP_HDR ? wire - WCCP_HDR : 0;
		}
		enter_rest(d, kind, c, wire, PM_NX_IPV4, 0);
		return;
	case PM_ETH_ERSPAN2:
		/* Type I has no sequence number and no ERSPAN header (§4.1). */
		if ((fl & GRE_S) != 0) {
			pm_cur_skip(c, ERSPAN2_HDR);
			wire = wire > ERSPAN2_HDR ? wire - ERSPAN2_HDR : 0;
		}
		break;
	case PM_ETH_ERSPAN3: {
		struct pm_cur h = *c;
		pm_cur_skip(&h, ERSPAN3_HDR - 2);
		uint8_t b10 = pm_cur_u8(&h);
		uint8_t b11 = pm_cur_u8(&h);
		size_t n = ERSPAN3_HDR + ((b11 & 1) != 0 ? ERSPAN3_SUB : 0);
		if (pm_cur_ok(&h) && (b10 >> 2 & 0x1F) != 0) {
			d->st->other_l4++; /* frame type other than Ethernet */
			return;
		}
		pm_cur_skip(c, n);
		wire = wire > n ? wire - n : 0;
		break;
	}
	default:
		enter_rest(d, kind, c, wire, PM_NX_ETYPE, proto);
		return;
	}
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	enter_rest(d, PM_TUN_ERSPAN, c, wire, PM_NX_ETHER, 0);
}

/* see decode_int.h. RFC 7761 §4.9.3: a PIM Register carries the multicast packet it registers. */
void
pm_dec_pim(struct pm_dec *d, struct pm_l4 *l)
{
	struct pm_cur *c = &l->c;
	uint8_t vt = pm_cur_u8(c);
	pm_cur_skip(c, PIM_REGISTER_HDR - 1);
	if (!pm_cur_ok(c) || vt != PIM_V2_REGISTER || pm_cur_left(c) == 0) {
		d->st->other_l4++; /* other PIM messages, or a null register */
		return;
	}
	size_t wire = l->wire > PIM_REGISTER_HDR ? l->wire - PIM_REGISTER_HDR : 0;
	enter_rest(d, PM_TUN_PIM, c, wire, PM_NX_IP, 0);
}

/* RFC 7348 §5: flags 1 (I), reserved 3, VNI 3, reserved 1; then an Ethernet frame. */
static bool
vxlan(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	uint8_t fl = pm_cur_u8(&c);
	pm_cur_skip(&c, VXLAN_HDR - 1);
	if (!pm_cur_ok(&c) || (fl & VXLAN_I) == 0) {
		return false;
	}
	enter_rest(d, PM_TUN_VXLAN, &c, wire - VXLAN_HDR, PM_NX_ETHER, 0);
	return true;
}

/*
 * VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe-12 §3.1): flags 1 (ver 2, I, P, B,
 * O), reserved 2, next protocol 1, VNI 3, reserved 1.
 */
static bool
vxlan_gpe(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	uint8_t fl = pm_cur_u8(&c);
	pm_cur_skip(&c, 2);
	uint8_t np = pm_cur_u8(&c);
	pm_cur_skip(&c, 4);
	enum pm_dec_next next = np == GPE_NP_IPV4    ? PM_NX_IPV4
	                        : np == GPE_NP_IPV6  ? PM_NX_IPV6
	                        : np == GPE_NP_ETHER ? PM_NX_ETHER
	                        : np == GPE_NP_NSH   ? PM_NX_ETYPE
	                        : np == GPE_NP_MPLS  ? PM_NX_MPLS
	                                             : PM_NX_DONE;
	if (!pm_cur_ok(&c) || (fl & GPE_VER) != 0 || next == PM_NX_DONE) {
		return false;
	}
	enter_rest(d, PM_TUN_VXLAN, &c, wire - VXLAN_HDR, next, PM_ETH_NSH);
	return true;
}

/* RFC 8926 §3.4: ver 2 | opt len 6 | O C rsvd | protocol 16 | VNI 24 | rsvd 8 | options. */
static bool
geneve(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	uint8_t b0 = pm_cur_u8(&c);
	pm_cur_skip(&c, 1);
	uint16_t proto = pm_cur_be16(&c);
	pm_cur_skip(&c, 4);
	size_t opt = (size_t)(b0 & 0x3F) * 4;
	pm_cur_skip(&c, opt);
	if (!pm_cur_ok(&c) || b0 >> 6 != 0 || wire < GENEVE_HDR + opt) {
		return false;
	}
	wire -= GENEVE_HDR + opt;
	if (proto == PM_ETH_TEB) {
		enter_rest(d, PM_TUN_GENEVE, &c, wire, PM_NX_ETHER, 0);
	} else {
		enter_rest(d, PM_TUN_GENEVE, &c, wire, PM_NX_ETYPE, proto);
	}
	return true;
}

/*
 * 3GPP TS 29.281 §5.1: flags (version 3, PT, *, E, S, PN), message type,
 * length be16, TEID be32, [sequence 2, N-PDU 1, next extension type 1],
 * extension headers (length in 4-byte units, the last byte the next type).
 * Only G-PDUs carry user IP packets.
 */
static bool
gtpu(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	size_t left0 = pm_cur_left(&c);
	uint8_t fl = pm_cur_u8(&c);
	uint8_t type = pm_cur_u8(&c);
	pm_cur_skip(&c, GTP_HDR - 2);
	uint8_t next = 0;
	if ((fl & GTP_OPT) != 0) {
		pm_cur_skip(&c, 3);
		next = pm_cur_u8(&c);
	}
	if (!pm_cur_ok(&c) || fl >> 5 != 1 || (fl & 0x10) == 0 || type != GTP_GPDU) {
		return false;
	}
	for (size_t i = 0; (fl & GTP_EXT) != 0 && next != 0; i++) {
		size_t n = (size_t)pm_cur_u8(&c) * 4;
		if (i == GTP_MAX_EXT || n == 0 || !pm_cur_ok(&c)) {
			return false;
		}
		pm_cur_skip(&c, n - 2);
		next = pm_cur_u8(&c);
		if (!pm_cur_ok(&c)) {
			return false;
		}
	}
	size_t used = left0 - pm_cur_left(&c);
	enter_rest(d, PM_TUN_GTPU, &c, wire > used ? wire - used : 0, PM_NX_IP, 0);
	return true;
}

/*
 * RFC 4380 §5.1.1: an IPv6 packet, after an optional authentication
 * indicator (0x0001, id length, auth length, id, auth, nonce 8,
 * confirmation 1) and an optional origin indicator (0x0000, port 2, address 4).
 */
static bool
teredo(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	size_t left0 = pm_cur_left(&c);
	struct pm_cur h = c;
	if (pm_cur_be16(&h) == TEREDO_AUTH && pm_cur_ok(&h)) {
		size_t idlen = pm_cur_u8(&h);
		size_t aulen = pm_cur_u8(&h);
		pm_cur_skip(&h, idlen + aulen + 9);
		c = h;
	}
	h = c;
	if (pm_cur_be16(&h) == TEREDO_ORIG && pm_cur_ok(&h)) {
		pm_cur_skip(&h, 6);
		c = h;
	}
	if (!pm_cur_ok(&c) || pm_cur_left(&c) < 40 || pm_cur_peek(&c, 0) >> 4 != 6) {
		return false;
	}
	size_t used = left0 - pm_cur_left(&c);
	enter_rest(d, PM_TUN_TEREDO, &c, wire > used ? wire - used : 0, PM_NX_IPV6, 0);
	return true;
}

/*
 * RFC 2661 §3.1: flags/version be16 (T L x x S x O P x x x x Ver), [length],
 * tunnel id, session id, [Ns, Nr], [offset size, offset pad]; data messages
 * (T clear, version 2) carry a PPP frame.
 */
static bool
l2tp(struct pm_dec *d, struct pm_cur c, size_t wire)
{
	size_t left0 = pm_cur_left(&c);
	uint16_t fl = pm_cur_be16(&c);
	pm_cur_skip(&c, (fl & L2TP_L) != 0 ? 2 : 0);
	pm_cur_skip(&c, 4); /* tunnel id, session id */
	pm_cur_skip(&c, (fl & L2TP_S) != 0 ? 4 : 0);
	if ((fl & L2TP_O) != 0) {
		pm_cur_skip(&c, pm_cur_be16(&c));
	}
	if (!pm_cur_ok(&c) || (fl & L2TP_T) != 0 || (fl & L2TP_VER) != 2) {
		return false;
	}
	size_t used = left0 - pm_cur_left(&c);
	enter_rest(d, PM_TUN_L2TP, &c, wire > used ? wire - used : 0, PM_NX_PPP_FRAME, 0);
	return true;
}

/* One UDP port's tunnel, or false. */
static bool
udp_port(struct pm_dec *d, const struct pm_cur *p, size_t wire, uint16_t port)
{
	switch (port) {
	case UDP_VXLAN:
		return vxlan(d, *p, wire);
	case UDP_VXLAN_GPE:
		return vxlan_gpe(d, *p, wire);
	case UDP_GENEVE:
		return geneve(d, *p, wire);
	case UDP_GTPU:
		return gtpu(d, *p, wire);
	case UDP_TEREDO:
		return teredo(d, *p, wire);
	case UDP_L2TP:
		return l2tp(d, *p, wire);
	case UDP_GRE: {
		/* RFC 8086: the UDP payload is a GRE header and its payload. */
		struct pm_l4 l = { *p, wire, false, false };
		uint8_t depth = d->pkt->tun_depth;
		pm_dec_gre(d, &l);
		return d->pkt->tun_depth != depth;
	}
	default:
		return false;
	}
}

/* see decode_int.h */
bool
pm_dec_udp_tunnel(struct pm_dec *d, const struct pm_cur *payload, size_t wire, uint16_t sport,
                  uint16_t dport)
{
	size_t short_by;
	struct pm_cur c = *payload;
	struct pm_cur p = pm_cur_sub_clamp(&c, wire, &short_by);
	/*
	 * As tshark does by default, the lower port decides first; the higher
	 * one only when the lower is not a well-known service port (a DNS reply
	 * from port 4789 is DNS, not VXLAN; port 0 is no service).
	 */
	uint16_t lo = sport < dport ? sport : dport, hi = sport < dport ? dport : sport;
	if (udp_port(d, &p, wire, lo)) {
		return true;
	}
	return (lo >= UDP_WELL_KNOWN || lo == 0) && udp_port(d, &p, wire, hi);
}

/*
 * RFC 3032 §2.1, label stack entries of 4 bytes:
 * | Label 20 | TC 3 | S 1 | TTL 8 |
 * After the bottom entry: IPv4 or IPv6 by the version nibble; a nibble of 0
 * is the pseudowire control word (RFC 4385 §3) before an Ethernet frame
 * (RFC 4448); anything else is taken as an Ethernet pseudowire without one.
 */
void
pm_dec_mpls(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	for (size_t i = 0;; i++) {
		if (i == PM_MAX_MPLS_LABELS) {
			pm_dec_stop(d, PM_L_TUNNEL, true);
			return;
		}
		uint32_t e = pm_cur_be32(c);
		if (!pm_cur_ok(c)) {
			pm_dec_stop(d, PM_L_TUNNEL, false);
			return;
		}
		if ((e & MPLS_BOS) != 0) {
			break;
		}
	}
	if (pm_cur_left(c) == 0) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	enum pm_dec_next next = PM_NX_ETHER;
	switch (pm_cur_peek(c, 0) >> 4) {
	case 4:
		next = PM_NX_IPV4;
		break;
	case 6:
		next = PM_NX_IPV6;
		break;
	case 0:
		pm_cur_skip(c, 4); /* control word */
		break;
	default:
		break;
	}
	struct pm_cur in = *c;
	enter_rest(d, PM_TUN_MPLS, &in, rest_wire(d), next, 0);
}

/* RFC 2516 §4: ver/type 1 (0x11), code 1 (0 for session data), session 2, length 2, PPP. */
void
pm_dec_pppoe(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint8_t vt = pm_cur_u8(c);
	uint8_t code = pm_cur_u8(c);
	pm_cur_skip(c, 2);
	size_t len = pm_cur_be16(c);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	if (vt != 0x11 || code != 0) {
		pm_dec_stop(d, PM_L_TUNNEL, true);
		return;
	}
	size_t short_by;
	struct pm_cur in = pm_cur_sub_clamp(c, len, &short_by);
	/* The PPP protocol is 2 bytes here: no address, control or compression (§7). */
	uint16_t proto = pm_cur_be16(&in);
	if (!pm_cur_ok(&in)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	enter_rest(d, PM_TUN_PPPOE, &in, len > 2 ? len - 2 : 0, PM_NX_PPP, proto);
}

/* IEEE 802.1ah: I-TAG (PCP, DEI, UCA, res, I-SID 24), then the customer's Ethernet frame. */
void
pm_dec_pbb(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	pm_cur_skip(c, 4);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	struct pm_cur in = *c;
	enter_rest(d, PM_TUN_PBB, &in, rest_wire(d), PM_NX_ETHER, 0);
}

/*
 * RFC 8300 §2.2: ver 2 | O | U | TTL 6 | length 6 (4-byte words, whole
 * header) | U 4 | MD type 4 | next protocol 8 | service path header 4 | context.
 */
void
pm_dec_nsh(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint8_t b0 = pm_cur_u8(c);
	uint8_t b1 = pm_cur_u8(c);
	pm_cur_skip(c, 1);
	uint8_t np = pm_cur_u8(c);
	size_t len = (size_t)(b1 & 0x3F) * 4;
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	if (b0 >> 6 != 0 || len < 8) {
		pm_dec_stop(d, PM_L_TUNNEL, true);
		return;
	}
	pm_cur_skip(c, len - 4);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	enum pm_dec_next next = np == NSH_NP_IPV4    ? PM_NX_IPV4
	                        : np == NSH_NP_IPV6  ? PM_NX_IPV6
	                        : np == NSH_NP_ETHER ? PM_NX_ETHER
	                        : np == NSH_NP_MPLS  ? PM_NX_MPLS
	                                             : PM_NX_DONE;
	if (next == PM_NX_DONE) {
		d->st->other_l3++;
		return;
	}
	struct pm_cur in = *c;
	enter_rest(d, PM_TUN_NSH, &in, rest_wire(d), next, 0);
}

/*
 * IEEE 802.1AE §9.3 SecTAG after the MACsec ethertype: TCI/AN 1 (V ES SC SCB E
 * C AN), short length 1, packet number 4, [SCI 8]; then, unencrypted, the
 * user data (its ethertype first) and a 16-byte ICV at the end.
 */
void
pm_dec_macsec(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint8_t tci = pm_cur_u8(c);
	pm_cur_skip(c, 5);
	pm_cur_skip(c, (tci & MACSEC_SC) != 0 ? 8 : 0);
	if (!pm_cur_ok(c)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	if ((tci & (MACSEC_E | MACSEC_C)) != 0) {
		d->st->encrypted++;
		return;
	}
	size_t wire = rest_wire(d);
	if (wire < 2 + MACSEC_ICV) {
		pm_dec_stop(d, PM_L_TUNNEL, true);
		return;
	}
	wire -= MACSEC_ICV;
	size_t short_by;
	struct pm_cur in = pm_cur_sub_clamp(c, wire, &short_by);
	uint16_t type = pm_cur_be16(&in);
	if (!pm_cur_ok(&in)) {
		pm_dec_stop(d, PM_L_TUNNEL, false);
		return;
	}
	enter_rest(d, PM_TUN_MACSEC, &in, wire - 2, PM_NX_ETYPE, type);
}
