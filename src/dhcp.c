/* SPDX-License-Identifier: MIT */
/*
 * dhcp.c - the BOOTP/DHCPv4 and DHCPv6 parsers. Every byte through the
 * cursor; option loops are capped by PM_DHCP_MAX_OPTS and each option is a
 * sub-cursor of exactly its length.
 */
#include "dhcp.h"

#include <string.h>

#include "cursor.h"

static void
copy4(uint8_t out[4], struct pm_cur *o)
{
	const uint8_t *a = pm_cur_bytes(o, 4);
	if (a != NULL) {
		memcpy(out, a, 4);
	}
}

static struct pm_dhcp_view
view(struct pm_cur *o)
{
	struct pm_dhcp_view v = { o->buf + o->off, pm_cur_left(o) };
	return v;
}

/* One option's data into the message (RFC 2132). */
static void
option(struct pm_dhcp_msg *m, uint8_t code, struct pm_cur *o)
{
	switch (code) {
	case 1:
		copy4(m->subnet, o);
		m->has_subnet = pm_cur_ok(o);
		break;
	case 3:
		copy4(m->router, o);
		m->has_router = pm_cur_ok(o);
		break;
	case 6:
		while (pm_cur_left(o) >= 4 && m->n_dns < PM_DHCP_MAX_DNS) {
			copy4(m->dns[m->n_dns++], o);
		}
		break;
	case 12:
		m->hostname = view(o);
		break;
	case 50:
		copy4(m->requested, o);
		m->has_requested = pm_cur_ok(o);
		break;
	case 51:
		m->lease = pm_cur_be32(o);
		break;
	case 52:
		m->overload = pm_cur_u8(o);
		break;
	case 53:
		m->msg_type = pm_cur_u8(o);
		break;
	case 54:
		copy4(m->server_id, o);
		m->has_server_id = pm_cur_ok(o);
		break;
	case 55:
		m->prl = view(o);
		break;
	case 58:
		m->renewal = pm_cur_be32(o);
		break;
	case 59:
		m->rebinding = pm_cur_be32(o);
		break;
	case 60:
		m->vendor = view(o);
		break;
	case 61:
		m->client_id = view(o);
		break;
	case 82:
		m->relay = view(o);
		break;
	default:
		break;
	}
}

/*
 * Options in one space: code, length, data; 0 is padding and 255 the end
 * (RFC 2132 §2). Returns 0 or PM_E_TRUNC.
 */
static int
options(struct pm_dhcp_msg *m, struct pm_cur c)
{
	for (unsigned i = 0; i < PM_DHCP_MAX_OPTS && pm_cur_left(&c) != 0; i++) {
		uint8_t code = pm_cur_u8(&c);
		if (code == 0) {
			continue;
		}
		if (code == 255) {
			return 0;
		}
		uint8_t len = pm_cur_u8(&c);
		struct pm_cur o = pm_cur_sub(&c, len);
		if (!pm_cur_ok(&c)) {
			return PM_E_TRUNC;
		}
		m->n_options++;
		option(m, code, &o);
	}
	return 0;
}

/*
 * RFC 2131 §2:
 *  op(1) htype(1) hlen(1) hops(1) xid(4) secs(2) flags(2) ciaddr(4)
 *  yiaddr(4) siaddr(4) giaddr(4) chaddr(16) sname(64) file(128) options
 */
/* see dhcp.h */
int
pm_dhcp_parse(const uint8_t *p, size_t n, struct pm_dhcp_msg *out)
{
	struct pm_cur c = pm_cur_init(p, n);
	memset(out, 0, sizeof(*out));
	out->op = pm_cur_u8(&c);
	out->htype = pm_cur_u8(&c);
	out->hlen = pm_cur_u8(&c);
	pm_cur_skip(&c, 1);
	out->xid = pm_cur_be32(&c);
	out->secs = pm_cur_be16(&c);
	out->flags = pm_cur_be16(&c);
	copy4(out->ciaddr, &c);
	copy4(out->yiaddr, &c);
	copy4(out->siaddr, &c);
	copy4(out->giaddr, &c);
	const uint8_t *ch = pm_cur_bytes(&c, 16);
	struct pm_cur sname = pm_cur_sub(&c, 64);
	struct pm_cur file = pm_cur_sub(&c, 128);
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	memcpy(out->chaddr, ch, 16);
	if (pm_cur_left(&c) < 4) {
		return 0; /* plain BOOTP without a vendor area */
	}
	if (pm_cur_be32(&c) != PM_DHCP_COOKIE) {
		return 0;
	}
	out->has_cookie = true;
	int rc = options(out, c);
	/* RFC 2131 §4.1: with overload, file and then sname carry options too. */
	if (rc == 0 && (out->overload & 1) != 0) {
		rc = options(out, file);
	}
	if (rc == 0 && (out->overload & 2) != 0) {
		rc = options(out, sname);
	}
	return rc;
}

/* An IA_NA or IA_PD (RFC 8415 §21.4, §21.21): IAID, T1, T2, then options. */
static int
ia(struct pm_dhcp6_msg *m, struct pm_cur *o, bool pd)
{
	pm_cur_skip(o, 12);
	for (unsigned i = 0; i < PM_DHCP_MAX_OPTS && pm_cur_left(o) != 0; i++) {
		uint16_t code = pm_cur_be16(o);
		uint16_t len = pm_cur_be16(o);
		struct pm_cur s = pm_cur_sub(o, len);
		if (!pm_cur_ok(o)) {
			return PM_E_TRUNC;
		}
		struct pm_dhcp6_addr a;
		memset(&a, 0, sizeof(a));
		if (!pd && code == 5) { /* IAADDR */
			copy4(a.addr, &s);
			copy4(a.addr + 4, &s);
			copy4(a.addr + 8, &s);
			copy4(a.addr + 12, &s);
			a.plen = 128;
			a.preferred = pm_cur_be32(&s);
			a.valid = pm_cur_be32(&s);
			if (pm_cur_ok(&s) && m->n_addr < PM_DHCP6_MAX_ADDR) {
				m->addr[m->n_addr++] = a;
			}
		} else if (pd && code == 26) { /* IAPREFIX */
			a.preferred = pm_cur_be32(&s);
			a.valid = pm_cur_be32(&s);
			a.plen = pm_cur_u8(&s);
			copy4(a.addr, &s);
			copy4(a.addr + 4, &s);
			copy4(a.addr + 8, &s);
			copy4(a.addr + 12, &s);
			if (pm_cur_ok(&s) && m->n_prefix < PM_DHCP6_MAX_ADDR) {
				m->prefix[m->n_prefix++] = a;
			}
		}
	}
	return 0;
}

/* see dhcp.h */
int
pm_dhcp6_parse(const uint8_t *p, size_t n, struct pm_dhcp6_msg *out)
{
	struct pm_cur c = pm_cur_init(p, n);
	memset(out, 0, sizeof(*out));
	for (;;) {
		out->msg_type = pm_cur_u8(&c);
		if (out->relays == 0) {
			out->outer_type = out->msg_type;
		}
		if (out->msg_type == PM_DHCP6_RELAY_FW || out->msg_type == PM_DHCP6_RELAY_REP) {
			pm_cur_skip(&c, 33); /* hop count, link address, peer address */
		} else {
			out->xid = (uint32_t)pm_cur_u8(&c) << 16;
			out->xid |= pm_cur_be16(&c);
		}
		if (!pm_cur_ok(&c)) {
			return PM_E_TRUNC;
		}
		bool entered = false;
		for (unsigned i = 0; i < PM_DHCP_MAX_OPTS && pm_cur_left(&c) != 0; i++) {
			uint16_t code = pm_cur_be16(&c);
			uint16_t len = pm_cur_be16(&c);
			struct pm_cur o = pm_cur_sub(&c, len);
			if (!pm_cur_ok(&c)) {
				return PM_E_TRUNC;
			}
			out->n_options++;
			int rc = 0;
			if (code == 1) {
				out->client_duid = view(&o);
			} else if (code == 2) {
				out->server_duid = view(&o);
			} else if (code == 3 || code == 25) {
				rc = ia(out, &o, code == 25);
			} else if (code == 9 && (out->msg_type == PM_DHCP6_RELAY_FW ||
			                         out->msg_type == PM_DHCP6_RELAY_REP)) {
				if (++out->relays > PM_DHCP6_MAX_RELAY) {
					return PM_E_MALFORMED;
				}
				c = o; /* RFC 8415 §9: the relayed message */
				entered = true;
				break;
			}
			if (rc != 0) {
				return rc;
			}
		}
		if (!entered) {
			return 0;
		}
	}
}

/* see dhcp.h */
const char *
pm_dhcp_type_name(unsigned type)
{
	static const char *const names[] = {
		NULL,           "DISCOVER",    "OFFER",      "REQUEST",
		"DECLINE",      "ACK",         "NAK",        "RELEASE",
		"INFORM",       "FORCERENEW",  "LEASEQUERY", "LEASEUNASSIGNED",
		"LEASEUNKNOWN", "LEASEACTIVE",
	};
	return type < PM_ARRAY_LEN(names) ? names[type] : NULL;
}

/* see dhcp.h */
const char *
pm_dhcp6_type_name(unsigned type)
{
	static const char *const names[] = {
		NULL,         "SOLICIT",    "ADVERTISE",   "REQUEST",
		"CONFIRM",    "RENEW",      "REBIND",      "REPLY",
		"RELEASE",    "DECLINE",    "RECONFIGURE", "INFORMATION-REQUEST",
		"RELAY-FORW", "RELAY-REPL",
	};
	return type < PM_ARRAY_LEN(names) ? names[type] : NULL;
}
