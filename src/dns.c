/* SPDX-License-Identifier: MIT */
/*
 * dns.c - the DNS message parser: header, questions, the three record
 * sections with their data decoded by type, EDNS0 and client subnet.
 * Every byte is read through the cursor. Compression pointers
 * (RFC 1035 §4.1.4) must go strictly backwards past every position the name
 * visited, so the walk ends; hops and name length are capped as well.
 * Nothing here counts or keeps anything across messages (dnsstats.c does).
 */
#include "dns.h"

#include <string.h>

#include "cursor.h"

/* The state of one message's parse: its cursor and why it was refused. */
struct parse {
	struct pm_cur c; /* over the whole message */
	uint8_t bad;     /* enum pm_dns_bad */
	bool trunc;      /* the message ended early */
	unsigned hops;   /* pointers the last read_name followed */
	/* The first question's name when it sits at offset 12 without pointers, else NULL. */
	const char *q0;
	size_t q0_len;
};

static bool
refuse(struct parse *ps, uint8_t why)
{
	if (ps->bad == PM_DNS_BAD_NONE) {
		ps->bad = why;
	}
	return false;
}

/*
 * Read the name at r's offset into out (dotted, NUL-terminated) and leave r
 * after it: after its terminating zero or its first pointer.
 *
 *     +--+--+--+--+--+--+--+--+         +--+--+--+--+--+--+--+--+
 *     | 0  0|  label length   |   or    | 1  1|  offset (14 bits) ...
 *     +--+--+--+--+--+--+--+--+         +--+--+--+--+--+--+--+--+
 */
static bool
read_name(struct parse *ps, struct pm_cur *r, char out[PM_DNS_MAX_NAME + 1])
{
	/*
	 * The most common pointer, an answer's owner naming the question (0xC00C):
	 * the walk would give the first question's text again, so copy it.
	 */
	if (ps->q0 != NULL && r->buf == ps->c.buf && pm_cur_peek(r, 0) == 0xC0 &&
	    pm_cur_peek(r, 1) == PM_DNS_HDR) {
		memcpy(out, ps->q0, ps->q0_len + 1);
		pm_cur_skip(r, 2);
		ps->hops = 1;
		return true;
	}
	struct pm_cur w = *r; /* walks the labels, across pointers */
	size_t lowest = w.off, wire = 0, text = 0;
	unsigned hops = 0;
	bool jumped = false;
	out[0] = '\0';
	for (;;) {
		size_t at = w.off;
		uint8_t len = pm_cur_u8(&w);
		if ((len & 0xC0) == 0xC0) {
			size_t target = (size_t)(len & 0x3F) << 8 | pm_cur_u8(&w);
			if (!pm_cur_ok(&w)) {
				break;
			}
			if (!jumped) {
				r->off = w.off;
				jumped = true;
			}
			if (target > at) {
				return refuse(ps, PM_DNS_BAD_FORWARD);
			}
			if (target >= lowest) {
				return refuse(ps, PM_DNS_BAD_LOOP);
			}
			if (++hops > PM_DNS_MAX_HOPS) {
				return refuse(ps, PM_DNS_BAD_HOPS);
			}
			lowest = target;
			pm_cur_seek(&w, target);
			continue;
		}
		if ((len & 0xC0) != 0) {
			return refuse(ps, PM_DNS_BAD_LABEL);
		}
		wire += (size_t)len + 1;
		if (wire > PM_DNS_MAX_NAME) {
			return refuse(ps, PM_DNS_BAD_LONG);
		}
		if (len == 0) {
			break;
		}
		const uint8_t *label = pm_cur_bytes(&w, len);
		if (label == NULL) {
			break;
		}
		if (text != 0) {
			out[text++] = '.';
		}
		memcpy(out + text, label, len);
		text += len;
		out[text] = '\0';
	}
	if (!pm_cur_ok(&w)) {
		ps->trunc = true;
		pm_cur_fail(r);
		return false;
	}
	if (!jumped) {
		r->off = w.off;
	}
	ps->hops = hops;
	return true;
}

static bool
read_question(struct parse *ps, struct pm_dns_question *q)
{
	if (!read_name(ps, &ps->c, q->name)) {
		return false;
	}
	q->qtype = pm_cur_be16(&ps->c);
	q->qclass = pm_cur_be16(&ps->c);
	if (!pm_cur_ok(&ps->c)) {
		ps->trunc = true;
		return false;
	}
	return true;
}

/* A name inside rdata [start, end): compression may point anywhere before it. */
static bool
rdata_name(struct parse *ps, size_t *at, size_t end, char out[PM_DNS_MAX_NAME + 1])
{
	struct pm_cur m = ps->c;
	m.off = *at;
	m.len = end;
	if (!read_name(ps, &m, out)) {
		if (ps->trunc) {
			ps->trunc = false;
			return refuse(ps, PM_DNS_BAD_RDATA); /* the name overran its rdata */
		}
		return false;
	}
	*at = m.off;
	return true;
}

/* EDNS0 options (RFC 6891 §6.1.2); the client subnet one is decoded (RFC 7871 §6). */
static bool
read_opt(struct parse *ps, struct pm_dns_rr *rr, struct pm_dns_edns *e)
{
	e->present = true;
	e->udp_size = rr->rclass;
	e->ext_rcode = (uint8_t)(rr->ttl >> 24);
	e->version = (uint8_t)(rr->ttl >> 16);
	e->do_bit = (rr->ttl & 0x8000) != 0;
	struct pm_cur o = pm_cur_init(rr->rdata, rr->rdlen);
	while (pm_cur_left(&o) != 0) {
		uint16_t code = pm_cur_be16(&o);
		uint16_t len = pm_cur_be16(&o);
		struct pm_cur v = pm_cur_sub(&o, len);
		if (!pm_cur_ok(&o)) {
			return refuse(ps, PM_DNS_BAD_RDATA);
		}
		if (code != PM_DNS_EDNS_ECS) {
			continue;
		}
		e->has_ecs = true;
		e->ecs_family = pm_cur_be16(&v);
		e->ecs_source = pm_cur_u8(&v);
		e->ecs_scope = pm_cur_u8(&v);
		size_t alen = pm_cur_left(&v);
		const uint8_t *a = pm_cur_bytes(&v, alen);
		if (!pm_cur_ok(&v) || alen > 16) {
			return refuse(ps, PM_DNS_BAD_RDATA);
		}
		memset(e->ecs_addr, 0, sizeof(e->ecs_addr));
		if (alen != 0) {
			memcpy(e->ecs_addr, a, alen);
		}
	}
	return true;
}

static bool
read_txt(struct parse *ps, struct pm_dns_rr *rr)
{
	struct pm_cur t = pm_cur_init(rr->rdata, rr->rdlen);
	while (pm_cur_left(&t) != 0) {
		uint8_t len = pm_cur_u8(&t);
		const uint8_t *s = pm_cur_bytes(&t, len);
		if (s == NULL) {
			return refuse(ps, PM_DNS_BAD_RDATA);
		}
		if (rr->txt_strings++ == 0) {
			rr->txt = s;
			rr->txt_len = len;
		}
	}
	return true;
}

/* Decode rdata by type; the cursor's offset is at the rdata, which ends at end. */
static bool
read_rdata(struct parse *ps, struct pm_dns_rr *rr, size_t at, size_t end, struct pm_dns_edns *e)
{
	struct pm_cur d = pm_cur_init(rr->rdata, rr->rdlen);
	char scratch[PM_DNS_MAX_NAME + 1];
	switch (rr->type) {
	case PM_DNS_TYPE_A:
	case PM_DNS_TYPE_AAAA: {
		size_t want = rr->type == PM_DNS_TYPE_A ? 4 : 16;
		if (rr->rdlen != want) {
			return refuse(ps, PM_DNS_BAD_RDATA);
		}
		memcpy(rr->addr, rr->rdata, want);
		return true;
	}
	case PM_DNS_TYPE_CNAME:
	case PM_DNS_TYPE_NS:
	case PM_DNS_TYPE_PTR:
		return rdata_name(ps, &at, end, rr->target);
	case PM_DNS_TYPE_MX:
	case PM_DNS_TYPE_SVCB:
	case PM_DNS_TYPE_HTTPS:
		rr->pref = pm_cur_be16(&d);
		return pm_cur_ok(&d) ? (at += 2, rdata_name(ps, &at, end, rr->target))
		                     : refuse(ps, PM_DNS_BAD_RDATA);
	case PM_DNS_TYPE_SRV:
		rr->pref = pm_cur_be16(&d);
		rr->weight = pm_cur_be16(&d);
		rr->port = pm_cur_be16(&d);
		return pm_cur_ok(&d) ? (at += 6, rdata_name(ps, &at, end, rr->target))
		                     : refuse(ps, PM_DNS_BAD_RDATA);
	case PM_DNS_TYPE_SOA:
		if (!rdata_name(ps, &at, end, rr->target) || !rdata_name(ps, &at, end, scratch)) {
			return false;
		}
		d = pm_cur_init(rr->rdata, rr->rdlen);
		pm_cur_skip(&d, at - (end - rr->rdlen));
		rr->serial = pm_cur_be32(&d);
		pm_cur_skip(&d, 12); /* refresh, retry, expire */
		rr->minimum = pm_cur_be32(&d);
		return pm_cur_ok(&d) ? true : refuse(ps, PM_DNS_BAD_RDATA);
	case PM_DNS_TYPE_TXT:
		return read_txt(ps, rr);
	case PM_DNS_TYPE_CAA:
		rr->pref = pm_cur_u8(&d);
		rr->txt_len = pm_cur_u8(&d);
		rr->txt = pm_cur_bytes(&d, rr->txt_len);
		return rr->txt != NULL ? true : refuse(ps, PM_DNS_BAD_RDATA);
	case PM_DNS_TYPE_OPT:
		return rr->section == PM_DNS_SEC_AR ? read_opt(ps, rr, e) : true;
	default:
		return true;
	}
}

static bool
read_rr(struct parse *ps, struct pm_dns_rr *rr, struct pm_dns_edns *e)
{
	if (!read_name(ps, &ps->c, rr->name)) {
		return false;
	}
	rr->type = pm_cur_be16(&ps->c);
	rr->rclass = pm_cur_be16(&ps->c);
	rr->ttl = pm_cur_be32(&ps->c);
	rr->rdlen = pm_cur_be16(&ps->c);
	size_t at = ps->c.off;
	rr->rdata = pm_cur_bytes(&ps->c, rr->rdlen);
	if (rr->rdata == NULL || !pm_cur_ok(&ps->c)) {
		ps->trunc = true;
		return false;
	}
	memset(rr->addr, 0, sizeof(rr->addr));
	rr->txt = NULL;
	rr->txt_len = 0;
	rr->txt_strings = 0;
	rr->target[0] = '\0';
	return read_rdata(ps, rr, at, at + rr->rdlen, e);
}

/* see dns.h */
int
pm_dns_parse(const uint8_t *p, size_t n, struct pm_dns_msg *out)
{
	struct parse ps = { .c = pm_cur_init(p, n) };
	out->nq = out->nrr = 0;
	out->bad = PM_DNS_BAD_NONE;
	memset(&out->edns, 0, sizeof(out->edns));
	memset(out->rr_seen, 0, sizeof(out->rr_seen));
	out->id = pm_cur_be16(&ps.c);
	out->flags = pm_cur_be16(&ps.c);
	out->qdcount = pm_cur_be16(&ps.c);
	out->ancount = pm_cur_be16(&ps.c);
	out->nscount = pm_cur_be16(&ps.c);
	out->arcount = pm_cur_be16(&ps.c);
	out->length = n;
	if (!pm_cur_ok(&ps.c)) {
		return PM_E_TRUNC;
	}
	bool ok = true;
	for (unsigned i = 0; ok && i < out->qdcount; i++) {
		struct pm_dns_question scratch;
		struct pm_dns_question *q = out->nq < PM_DNS_MAX_Q ? &out->q[out->nq] : &scratch;
		ok = read_question(&ps, q);
		if (ok && i == 0 && ps.hops == 0) {
			ps.q0 = q->name; /* it started at offset 12, right after the header */
			ps.q0_len = strlen(q->name);
		}
		if (ok && q != &scratch) {
			out->nq++;
		}
	}
	const uint16_t counts[3] = { out->ancount, out->nscount, out->arcount };
	if ((size_t)counts[0] + counts[1] + counts[2] > PM_DNS_MAX_RRS) {
		ok = ok && refuse(&ps, PM_DNS_BAD_COUNT);
	}
	for (unsigned s = 0; ok && s < 3; s++) {
		for (unsigned i = 0; ok && i < counts[s]; i++) {
			struct pm_dns_rr scratch;
			struct pm_dns_rr *rr =
			    out->nrr < PM_DNS_MAX_RR ? &out->rr[out->nrr] : &scratch;
			rr->section = (uint8_t)s;
			ok = read_rr(&ps, rr, &out->edns);
			if (ok) {
				out->rr_seen[s]++;
				out->nrr += rr != &scratch;
			}
		}
	}
	if (ps.bad != PM_DNS_BAD_NONE) {
		out->bad = ps.bad;
		out->length = ps.c.off;
		return PM_E_MALFORMED;
	}
	if (ps.trunc) {
		return PM_E_TRUNC;
	}
	return 0;
}

/* see dns.h */
const char *
pm_dns_rcode_name(unsigned rcode)
{
	static const char *const names[] = {
		"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
		"YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI",
	};
	return rcode < PM_ARRAY_LEN(names) ? names[rcode] : NULL;
}

/* see dns.h */
const char *
pm_dns_type_name(unsigned type)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
		{ 1, "A" },      { 2, "NS" },     { 5, "CNAME" },  { 6, "SOA" },
		{ 12, "PTR" },   { 13, "HINFO" }, { 15, "MX" },    { 16, "TXT" },
		{ 28, "AAAA" },  { 33, "SRV" },   { 35, "NAPTR" }, { 41, "OPT" },
		{ 43, "DS" },    { 46, "RRSIG" }, { 47, "NSEC" },  { 48, "DNSKEY" },
		{ 50, "NSEC3" }, { 52, "TLSA" },  { 64, "SVCB" },  { 65, "HTTPS" },
		{ 99, "SPF" },   { 250, "TSIG" }, { 251, "IXFR" }, { 252, "AXFR" },
		{ 255, "ANY" },  { 257, "CAA" },  { 32, "NB" },    { 10, "NULL" },
		{ 17, "RP" },    { 29, "LOC" },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		if (names[i].type == type) {
			return names[i].name;
		}
	}
	return NULL;
}

/* see dns.h */
const char *
pm_dns_bad_name(unsigned bad)
{
	static const char *const names[PM_DNS_BAD_COUNT_] = {
		"none",          "pointer_loop", "forward_pointer", "too_many_pointers",
		"name_too_long", "bad_label",    "bad_rdata",       "too_many_records",
	};
	return bad < PM_DNS_BAD_COUNT_ ? names[bad] : "unknown";
}

/* see dns.h */
bool
pm_dns_looks_like(const uint8_t *p, size_t n)
{
	struct pm_cur c = pm_cur_init(p, n);
	pm_cur_skip(&c, 2);
	uint16_t flags = pm_cur_be16(&c);
	uint16_t qd = pm_cur_be16(&c), an = pm_cur_be16(&c);
	uint16_t ns = pm_cur_be16(&c), ar = pm_cur_be16(&c);
	if (!pm_cur_ok(&c) || pm_dns_opcode(flags) != 0 || (flags & 0x0040) != 0 || qd != 1 ||
	    an > 32 || ns > 32 || ar > 32) {
		return false;
	}
	/* The first name cannot be compressed: nothing precedes it. */
	size_t wire = 0;
	for (;;) {
		uint8_t len = pm_cur_u8(&c);
		wire += (size_t)len + 1;
		if (!pm_cur_ok(&c) || len > 63 || wire > PM_DNS_MAX_NAME) {
			return false;
		}
		if (len == 0) {
			break;
		}
		pm_cur_skip(&c, len);
	}
	uint16_t qtype = pm_cur_be16(&c), qclass = pm_cur_be16(&c) & 0x7FFF;
	return pm_cur_ok(&c) && qtype != 0 && wire > 1 &&
	       (qclass == 1 || qclass == 3 || qclass == 4 || qclass == 255);
}
