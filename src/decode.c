/* SPDX-License-Identifier: MIT */
/*
 * decode.c - one frame from link layer to transport header into struct
 * pm_pkt: the walk over layer steps, the ethertype dispatch, tunnel entry
 * and the per-layer counters.
 *
 * Each layer reads its fixed header straight through a cursor, checks it
 * once, and names the next step with a cursor clamped to its own length
 * field. The first layer that cannot go on is counted once, as truncated or
 * malformed. Does not verify checksums or reassemble fragments (ipfrag.c).
 * References: IEEE 802.1Q, IEEE 802.2 (LLC), RFC 1042 (SNAP),
 * tcpdump.org/linktypes.html; the layers' own files cite theirs.
 */
#include "decode.h"

#include <string.h>

#include "cursor.h"
#include "decode_int.h"

#define ETH_MAX_LEN   1500   /* IEEE 802.3 §3.2.6: type fields <= this are lengths */
#define VLAN_VID_MASK 0x0FFF /* IEEE 802.1Q: VID is the low 12 bits of the TCI */
#define LLC_SNAP_SAP  0xAA   /* IEEE 802.2 / RFC 1042: SNAP DSAP and SSAP */
#define LLC_UI        0x03   /* IEEE 802.2: unnumbered information */

/* see decode_int.h */
const uint8_t *
pm_dec_here(const struct pm_cur *c)
{
	struct pm_cur t = *c;
	return pm_cur_bytes(&t, 0);
}

/* see decode_int.h */
void
pm_dec_stop(struct pm_dec *d, enum pm_layer l, bool malformed)
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

/* see decode_int.h */
void
pm_dec_no_l4(struct pm_dec *d, enum pm_layer l, bool malformed)
{
	d->pkt->flags |= PM_PKT_NO_L4;
	pm_dec_stop(d, l, malformed);
}

/* see decode_int.h */
void
pm_dec_enter(struct pm_dec *d, enum pm_tunnel kind, const struct pm_cur *inner, size_t wire,
             enum pm_dec_next next, uint16_t type)
{
	struct pm_pkt *p = d->pkt;
	if (p->tun_depth == PM_MAX_TUNNEL_DEPTH) {
		d->st->tunnel_capped++;
		return; /* the packet stays the tunnel's carrier */
	}
	if (p->tun_depth++ == 0) {
		p->tun_kind = (uint8_t)kind;
		p->tun_ipver = p->ipver;
		memcpy(p->tun_src, p->src, 16);
		memcpy(p->tun_dst, p->dst, 16);
	}
	d->st->tunnels[kind]++;
	/*
	 * The inner packet replaces the carrier's transport facts and addresses.
	 * Until an inner IP header decodes, the frame counts at IP level only
	 * (an inner ARP frame is no flow of the carrier's addresses).
	 */
	p->flags &= ~(PM_PKT_HAS_L4 | PM_PKT_FRAG | PM_PKT_FRAG_FIRST);
	p->flags |= PM_PKT_NO_L4;
	memset(p->src, 0, sizeof(p->src));
	memset(p->dst, 0, sizeof(p->dst));
	p->sport = p->dport = 0;
	p->tcp_flags = 0;
	p->seq = p->ack = 0;
	p->window = 0;
	p->icmp_type = p->icmp_code = 0;
	p->icmp_id = 0;
	p->payload = NULL;
	p->payload_len = p->payload_wire = 0;
	d->c = *inner;
	d->extra = wire > pm_cur_left(inner) ? wire - pm_cur_left(inner) : 0;
	d->next = next;
	d->type = type;
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
vlans(struct pm_dec *d, struct pm_cur *c, uint16_t *type)
{
	struct pm_pkt *pkt = d->pkt;
	bool ok = true;
	uint8_t before = pkt->vlan_depth;
	while (is_vlan(*type)) {
		if (pkt->vlan_depth == PM_MAX_VLAN_DEPTH) {
			pm_dec_stop(d, PM_L_VLAN, true);
			ok = false;
			break;
		}
		uint16_t tci = pm_cur_be16(c);
		*type = pm_cur_be16(c);
		if (!pm_cur_ok(c)) {
			pm_dec_stop(d, PM_L_VLAN, false);
			ok = false;
			break;
		}
		if (pkt->vlan_depth == 0) {
			pkt->vlan_id = tci & VLAN_VID_MASK;
		}
		pkt->vlan_depth++;
	}
	if (pkt->vlan_depth != 0 && before == 0) {
		pkt->flags |= PM_PKT_VLAN;
		d->st->vlan++;
	}
	return ok;
}

/*
 * IEEE 802.2 LLC with a SNAP header (RFC 1042), where a type field is a length:
 * +------+------+---------+-----------+-----------+
 * | DSAP | SSAP | control | OUI (3)   | type (2)  |
 * | 0xAA | 0xAA |  0x03   |           |           |
 * Returns the ethertype, or 0 when the frame is another LLC protocol.
 */
static uint16_t
llc_snap(struct pm_dec *d, struct pm_cur *c)
{
	struct pm_cur h = *c;
	uint8_t dsap = pm_cur_u8(&h);
	uint8_t ssap = pm_cur_u8(&h);
	uint8_t ctl = pm_cur_u8(&h);
	bool snap = dsap == LLC_SNAP_SAP && ssap == LLC_SNAP_SAP && ctl == LLC_UI;
	pm_cur_skip(&h, 3); /* OUI */
	uint16_t type = pm_cur_be16(&h);
	if (pm_cur_left(c) < 3 || (snap && !pm_cur_ok(&h))) {
		pm_dec_stop(d, PM_L_LINK, false);
		return 0;
	}
	if (!snap || type <= ETH_MAX_LEN) {
		return 0;
	}
	*c = h;
	d->st->llc_snap++;
	return type;
}

/* see decode_int.h */
void
pm_dec_etype(struct pm_dec *d)
{
	struct pm_cur *c = &d->c;
	uint16_t type = d->type;
	if (PM_LIKELY(type == PM_ETH_IPV4)) {
		d->pkt->ethertype = type; /* the common frame: no tags, no table walk */
		pm_dec_ipv4(d);
		return;
	}
	if (!vlans(d, c, &type)) {
		return;
	}
	if (type <= ETH_MAX_LEN) {
		type = llc_snap(d, c);
	}
	d->pkt->ethertype = type;
	switch (type) {
	case PM_ETH_IPV4:
		pm_dec_ipv4(d);
		break;
	case PM_ETH_IPV6:
		pm_dec_ipv6(d);
		break;
	case PM_ETH_ARP:
		d->st->arp++;
		break;
	case PM_ETH_MPLS:
	case PM_ETH_MPLS_MC:
		pm_dec_mpls(d);
		break;
	case PM_ETH_PPPOE_S:
		pm_dec_pppoe(d);
		break;
	case PM_ETH_PBB:
		pm_dec_pbb(d);
		break;
	case PM_ETH_NSH:
		pm_dec_nsh(d);
		break;
	case PM_ETH_MACSEC:
		pm_dec_macsec(d);
		break;
	default:
		d->st->other_l3++;
		break;
	}
}

/* Run the layer steps from d->next until one names no successor. */
static void
walk(struct pm_dec *d)
{
	for (size_t i = 0; d->next != PM_NX_DONE; i++) {
		enum pm_dec_next n = d->next;
		d->next = PM_NX_DONE;
		if (i == PM_MAX_LAYERS) {
			pm_dec_stop(d, PM_L_TUNNEL, true);
			return;
		}
		switch (n) {
		case PM_NX_ETHER:
			pm_dec_ether(d);
			break;
		case PM_NX_ETYPE:
			pm_dec_etype(d);
			break;
		case PM_NX_IP:
			pm_dec_ip(d);
			break;
		case PM_NX_IPV4:
			pm_dec_ipv4(d);
			break;
		case PM_NX_IPV6:
			pm_dec_ipv6(d);
			break;
		case PM_NX_PPP:
			pm_dec_ppp(d);
			break;
		case PM_NX_PPP_FRAME:
			pm_dec_ppp_frame(d);
			break;
		case PM_NX_MPLS:
			pm_dec_mpls(d);
			break;
		case PM_NX_WIFI:
			pm_dec_wifi(d);
			break;
		case PM_NX_DONE:
			break;
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
	struct pm_dec d = {
		st,         pkt, pm_cur_init(data, caplen), wirelen > caplen ? wirelen - caplen : 0,
		PM_NX_DONE, 0
	};
	if (linktype == PM_LINKTYPE_ETHERNET) {
		st->ethernet++; /* the common case without the link type switch */
		pm_dec_ether(&d);
	} else {
		pm_dec_link(&d, linktype);
	}
	walk(&d);
}

/* see decode.h */
void
pm_decode_ip(struct pm_decode_stats *st, const uint8_t *p, uint32_t len, struct pm_pkt *pkt)
{
	pkt->flags &= PM_PKT_VLAN;
	pkt->flags |= PM_PKT_REASSEMBLED;
	pkt->proto = 0;
	pkt->sport = pkt->dport = 0;
	pkt->tcp_flags = 0;
	pkt->seq = pkt->ack = 0;
	pkt->window = 0;
	pkt->icmp_type = pkt->icmp_code = 0;
	pkt->icmp_id = 0;
	pkt->payload = NULL;
	pkt->payload_len = pkt->payload_wire = 0;
	struct pm_dec d = { st, pkt, pm_cur_init(p, len), 0, PM_NX_IP, 0 };
	walk(&d);
}

/* see decode.h */
const char *
pm_layer_name(enum pm_layer l)
{
	static const char *const names[PM_L_COUNT] = {
		[PM_L_LINK] = "link", [PM_L_VLAN] = "vlan",     [PM_L_IPV4] = "ipv4",
		[PM_L_IPV6] = "ipv6", [PM_L_TCP] = "tcp",       [PM_L_UDP] = "udp",
		[PM_L_ICMP] = "icmp", [PM_L_ICMPV6] = "icmpv6", [PM_L_TUNNEL] = "tunnel",
	};
	if ((unsigned)l >= PM_L_COUNT) {
		return "unknown";
	}
	return names[l];
}

/* see decode.h */
const char *
pm_tunnel_name(enum pm_tunnel t)
{
	static const char *const names[PM_TUN_COUNT] = {
		[PM_TUN_NONE] = "none",     [PM_TUN_GRE] = "gre",
		[PM_TUN_ERSPAN] = "erspan", [PM_TUN_VXLAN] = "vxlan",
		[PM_TUN_GENEVE] = "geneve", [PM_TUN_IPIP] = "ipip",
		[PM_TUN_IP6IP] = "ip6ip",   [PM_TUN_GTPU] = "gtpu",
		[PM_TUN_TEREDO] = "teredo", [PM_TUN_L2TP] = "l2tp",
		[PM_TUN_MPLS] = "mpls",     [PM_TUN_PPPOE] = "pppoe",
		[PM_TUN_PBB] = "pbb",       [PM_TUN_NSH] = "nsh",
		[PM_TUN_MACSEC] = "macsec", [PM_TUN_PIM] = "pim_register",
	};
	if ((unsigned)t >= PM_TUN_COUNT) {
		return "unknown";
	}
	return names[t];
}
