/* SPDX-License-Identifier: MIT */
/*
 * icmp.c - the ICMP and ICMPv6 parser: the 8-byte header, the quoted
 * header of error messages (RFC 792, RFC 4443 §2.4 (c)), and neighbour
 * discovery bodies and options (RFC 4861 §4). Every byte through the
 * cursor; options are walked with a cap and a zero length is refused
 * (RFC 4861 §4.6).
 */
#include "icmp.h"

#include <string.h>

#include "cursor.h"

#define ND_OPT_SLLA   1 /* RFC 4861 §4.6.1 */
#define ND_OPT_TLLA   2
#define ND_OPT_PREFIX 3 /* RFC 4861 §4.6.2 */

/* The quoted packet: an IPv4 or IPv6 header and the first transport bytes. */
static int
read_inner(struct pm_cur *c, struct pm_icmp_inner *in)
{
	uint8_t vihl = pm_cur_peek(c, 0);
	in->ipver = vihl >> 4;
	if (pm_cur_left(c) == 0) {
		return PM_E_TRUNC;
	}
	if (in->ipver == 4) {
		size_t ihl = (size_t)(vihl & 0xF) * 4;
		if (ihl < 20) {
			return PM_E_MALFORMED;
		}
		struct pm_cur h = pm_cur_sub(c, ihl);
		pm_cur_skip(&h, 8);
		in->ttl = pm_cur_u8(&h);
		in->proto = pm_cur_u8(&h);
		pm_cur_skip(&h, 2);
		const uint8_t *a = pm_cur_bytes(&h, 8);
		if (!pm_cur_ok(&h)) {
			return PM_E_TRUNC;
		}
		memcpy(in->src, a, 4);
		memcpy(in->dst, a + 4, 4);
	} else if (in->ipver == 6) {
		pm_cur_skip(c, 6);
		in->proto = pm_cur_u8(c);
		in->ttl = pm_cur_u8(c);
		const uint8_t *a = pm_cur_bytes(c, 32);
		if (!pm_cur_ok(c)) {
			return PM_E_TRUNC;
		}
		memcpy(in->src, a, 16);
		memcpy(in->dst, a + 16, 16);
	} else {
		return PM_E_MALFORMED;
	}
	if (in->proto == 6 || in->proto == 17) {
		in->sport = pm_cur_be16(c);
		in->dport = pm_cur_be16(c);
		in->has_ports = pm_cur_ok(c);
	}
	return 0;
}

/* ND options (RFC 4861 §4.6): type, length in units of 8 octets, data. */
static int
read_options(struct pm_cur *c, struct pm_icmp_msg *m)
{
	for (unsigned i = 0; i < PM_ICMP_MAX_OPTS && pm_cur_left(c) != 0; i++) {
		uint8_t type = pm_cur_u8(c);
		size_t len = (size_t)pm_cur_u8(c) * 8;
		if (!pm_cur_ok(c)) {
			return PM_E_TRUNC;
		}
		if (len < 8) {
			return PM_E_MALFORMED;
		}
		struct pm_cur o = pm_cur_sub(c, len - 2);
		if (!pm_cur_ok(c)) {
			return PM_E_TRUNC;
		}
		if ((type == ND_OPT_SLLA || type == ND_OPT_TLLA) && pm_cur_left(&o) >= 6) {
			memcpy(m->lladdr, pm_cur_bytes(&o, 6), 6);
			m->has_lladdr = true;
		} else if (type == ND_OPT_PREFIX && m->n_prefix < PM_ICMP_MAX_PREFIX) {
			struct pm_icmp_prefix *px = &m->prefix[m->n_prefix];
			px->len = pm_cur_u8(&o);
			px->flags = pm_cur_u8(&o);
			px->valid = pm_cur_be32(&o);
			px->preferred = pm_cur_be32(&o);
			pm_cur_skip(&o, 4);
			const uint8_t *a = pm_cur_bytes(&o, 16);
			if (a == NULL) {
				return PM_E_MALFORMED;
			}
			memcpy(px->prefix, a, 16);
			m->n_prefix++;
		}
	}
	return 0;
}

static bool
is_error(bool v6, uint8_t type)
{
	if (v6) {
		return type >= PM_ICMP6_UNREACH && type <= PM_ICMP6_PARAM_PROBLEM;
	}
	return type == PM_ICMP_UNREACH_T || type == PM_ICMP_SOURCE_QUENCH ||
	       type == PM_ICMP_REDIRECT || type == PM_ICMP_TIME_EXCEEDED ||
	       type == PM_ICMP_PARAM_PROBLEM;
}

/* Neighbour discovery bodies after the 8-byte header. */
static int
read_nd(struct pm_cur *c, struct pm_icmp_msg *m)
{
	const uint8_t *a;
	switch (m->type) {
	case PM_ICMP6_RA:
		m->hop_limit = (uint8_t)(m->rest >> 24);
		m->ra_flags = (uint8_t)(m->rest >> 16);
		m->lifetime = (uint16_t)m->rest;
		pm_cur_skip(c, 8); /* reachable time, retrans timer */
		return pm_cur_ok(c) ? read_options(c, m) : PM_E_TRUNC;
	case PM_ICMP6_NS:
	case PM_ICMP6_NA:
		m->na_flags = m->type == PM_ICMP6_NA ? (uint8_t)(m->rest >> 24) : 0;
		if ((a = pm_cur_bytes(c, 16)) == NULL) {
			return PM_E_TRUNC;
		}
		memcpy(m->target, a, 16);
		return read_options(c, m);
	case PM_ICMP6_REDIRECT:
		if ((a = pm_cur_bytes(c, 32)) == NULL) {
			return PM_E_TRUNC;
		}
		memcpy(m->gateway, a, 16);
		memcpy(m->target, a + 16, 16);
		return read_options(c, m);
	case PM_ICMP6_RS:
		return read_options(c, m);
	default:
		return 0;
	}
}

/*
 * RFC 792 / RFC 4443 §2.1:
 * +--------+--------+--------+--------+
 * |  Type  |  Code  |    Checksum     |
 * |   (rest of header, by type)       |
 * +--------+--------+--------+--------+
 */
/* see icmp.h */
int
pm_icmp_parse(const uint8_t *p, size_t n, bool v6, struct pm_icmp_msg *out)
{
	struct pm_cur c = pm_cur_init(p, n);
	memset(out, 0, sizeof(*out));
	out->v6 = v6;
	out->type = pm_cur_u8(&c);
	out->code = pm_cur_u8(&c);
	pm_cur_skip(&c, 2);
	out->rest = pm_cur_be32(&c);
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	out->id = (uint16_t)(out->rest >> 16);
	out->seq = (uint16_t)out->rest;
	out->is_error = is_error(v6, out->type);
	if (!v6 && out->type == PM_ICMP_REDIRECT) {
		uint8_t gw[4] = { (uint8_t)(out->rest >> 24), (uint8_t)(out->rest >> 16),
			          (uint8_t)(out->rest >> 8), (uint8_t)out->rest };
		memcpy(out->gateway, gw, 4);
	}
	if (!v6 && out->type == PM_ICMP_UNREACH_T && out->code == 4) {
		out->mtu = out->rest & 0xFFFF; /* RFC 1191 §4 */
	}
	if (v6 && out->type == PM_ICMP6_TOO_BIG) {
		out->mtu = out->rest;
	}
	if (!out->is_error) {
		return v6 ? read_nd(&c, out) : 0;
	}
	int rc = read_inner(&c, &out->inner);
	out->has_inner = rc == 0;
	return rc;
}

/* see icmp.h */
const char *
pm_icmp_type_name(bool v6, unsigned type)
{
	static const char *const v4[] = {
		[0] = "Echo Reply",           [3] = "Destination Unreachable",
		[4] = "Source Quench",        [5] = "Redirect",
		[8] = "Echo Request",         [9] = "Router Advertisement",
		[10] = "Router Solicitation", [11] = "Time Exceeded",
		[12] = "Parameter Problem",   [13] = "Timestamp Request",
		[14] = "Timestamp Reply",     [15] = "Information Request",
		[16] = "Information Reply",   [17] = "Address Mask Request",
		[18] = "Address Mask Reply",
	};
	static const struct {
		uint8_t type;
		const char *name;
	} v6names[] = {
		{ 1, "Destination Unreachable" },
		{ 2, "Packet Too Big" },
		{ 3, "Time Exceeded" },
		{ 4, "Parameter Problem" },
		{ 128, "Echo Request" },
		{ 129, "Echo Reply" },
		{ 130, "Multicast Listener Query" },
		{ 131, "Multicast Listener Report" },
		{ 132, "Multicast Listener Done" },
		{ 133, "Router Solicitation" },
		{ 134, "Router Advertisement" },
		{ 135, "Neighbor Solicitation" },
		{ 136, "Neighbor Advertisement" },
		{ 137, "Redirect" },
		{ 143, "Multicast Listener Report v2" },
	};
	if (!v6) {
		return type < PM_ARRAY_LEN(v4) ? v4[type] : NULL;
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(v6names); i++) {
		if (v6names[i].type == type) {
			return v6names[i].name;
		}
	}
	return NULL;
}

/* see icmp.h */
const char *
pm_icmp_code_name(bool v6, unsigned type, unsigned code)
{
	static const char *const unreach4[] = {
		"Network Unreachable",
		"Host Unreachable",
		"Protocol Unreachable",
		"Port Unreachable",
		"Fragmentation Required",
		"Source Route Failed",
		"Destination Network Unknown",
		"Destination Host Unknown",
		"Source Host Isolated",
		"Network Administratively Prohibited",
		"Host Administratively Prohibited",
		"Network Unreachable for ToS",
		"Host Unreachable for ToS",
		"Communication Administratively Prohibited",
	};
	static const char *const unreach6[] = {
		"No Route to Destination",
		"Administratively Prohibited",
		"Beyond Scope of Source Address",
		"Address Unreachable",
		"Port Unreachable",
		"Source Address Failed Policy",
		"Reject Route to Destination",
	};
	static const char *const exceeded[] = { "TTL Exceeded in Transit",
		                                "Fragment Reassembly Time Exceeded" };
	if (!v6 && type == PM_ICMP_UNREACH_T) {
		return code < PM_ARRAY_LEN(unreach4) ? unreach4[code] : NULL;
	}
	if (v6 && type == PM_ICMP6_UNREACH) {
		return code < PM_ARRAY_LEN(unreach6) ? unreach6[code] : NULL;
	}
	if ((!v6 && type == PM_ICMP_TIME_EXCEEDED) || (v6 && type == PM_ICMP6_TIME_EXCEEDED)) {
		return code < PM_ARRAY_LEN(exceeded) ? exceeded[code] : NULL;
	}
	return NULL;
}
