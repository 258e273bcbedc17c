/* SPDX-License-Identifier: MIT */
/*
 * pcapng.c - the PCAP Next Generation format (draft-ietf-opsawg-pcapng).
 *
 * Walks blocks: SHB (§4.1, each section in its own byte order, version 1.0,
 * or 1.2 as some writers emit), IDB (§4.2), EPB (§4.3), SPB (§4.4), NRB
 * (§4.5), ISB (§4.6), DSB (§4.7), custom blocks (§4.8) and the obsolete
 * Packet Block (Appendix A). Every block's length is checked at both ends and
 * for 4-byte alignment before its body is read; options are walked with
 * bounds. A block that fails these checks ends the walk as damage; a bad
 * option inside a good block only ends that block's options.
 */
#include "pcapng.h"

#include <string.h>

#include "capmeta.h"
#include "capture.h"
#include "cursor.h"
#include "source.h"

#define BT_PB     0x00000002 /* obsolete Packet Block */
#define BT_IDB    0x00000001
#define BT_SPB    0x00000003
#define BT_NRB    0x00000004
#define BT_ISB    0x00000005
#define BT_EPB    0x00000006
#define BT_DSB    0x0000000A
#define BT_SHB    0x0A0D0D0A
#define BT_CB     0x00000BAD /* custom block, may be copied */
#define BT_DCB    0x40000BAD /* custom block, do not copy */
#define SHB_BOM   0x1A2B3C4D
#define BLOCK_MIN 12 /* type + length + trailing length */

#define OPT_ENDOFOPT    0
#define OPT_SHB_HW      2
#define OPT_SHB_OS      3
#define OPT_SHB_APPL    4
#define OPT_IF_NAME     2
#define OPT_IF_DESC     3
#define OPT_IF_TSRESOL  9
#define OPT_IF_FCSLEN   13
#define OPT_IF_TSOFFSET 14
#define OPT_ISB_START   2
#define OPT_ISB_END     3
#define OPT_ISB_IFRECV  4 /* isb_ifrecv .. isb_usrdeliv are codes 4..8 */
#define NRB_END         0
#define NRB_IPV4        1
#define NRB_IPV6        2

/* Walk the options in cur, calling fn for each until opt_endofopt or the end. */
typedef void (*opt_fn)(struct pm_capture *c, void *ctx, uint16_t code, struct pm_cur val);

static void
walk_options(struct pm_capture *c, struct pm_cur *cur, opt_fn fn, void *ctx)
{
	bool be = c->sect_big_endian;
	while (pm_cur_left(cur) >= 4) {
		uint16_t code = pm_cur_u16x(cur, be);
		uint16_t len = pm_cur_u16x(cur, be);
		if (code == OPT_ENDOFOPT) {
			return;
		}
		struct pm_cur val = pm_cur_sub(cur, len);
		if (!pm_cur_ok(&val)) {
			return; /* option runs past the block: ignore the rest */
		}
		pm_cur_skip(cur, (4 - len % 4) % 4);
		fn(c, ctx, code, val);
	}
}

static const char *
opt_string(struct pm_capture *c, struct pm_cur val)
{
	size_t n = pm_cur_left(&val);
	const uint8_t *p = pm_cur_bytes(&val, n);
	if (p == NULL) {
		return NULL;
	}
	return pm_arena_strndup(&c->arena, (const char *)p, n < PM_MAX_NAME ? n : PM_MAX_NAME);
}

/* A 64-bit pcapng timestamp: high 32 bits first, each word in section order. */
static uint64_t
ts64(struct pm_cur *cur, bool be)
{
	uint64_t hi = pm_cur_u32x(cur, be);
	return hi << 32 | pm_cur_u32x(cur, be);
}

static int64_t
iface_time(const struct pm_iface *i, uint64_t units)
{
	int64_t ns = pm_tsresol_to_ns(units, i->tsresol);
	int64_t off = i->tsoffset_s;
	if (off > INT64_MAX / 1000000000 || off < INT64_MIN / 1000000000) {
		return ns;
	}
	off *= 1000000000;
	if ((off > 0 && ns > INT64_MAX - off) || (off < 0 && ns < INT64_MIN - off)) {
		return off > 0 ? INT64_MAX : INT64_MIN;
	}
	return ns + off;
}

static void
shb_option(struct pm_capture *c, void *ctx, uint16_t code, struct pm_cur val)
{
	struct pm_section *s = ctx;
	if (code == OPT_SHB_HW) {
		s->hardware = opt_string(c, val);
	} else if (code == OPT_SHB_OS) {
		s->os = opt_string(c, val);
	} else if (code == OPT_SHB_APPL) {
		s->userappl = opt_string(c, val);
	}
}

/*
 *  +---------------------------------------------------------------+
 *  |                   Block Type = 0x0A0D0D0A                     |
 *  |                      Block Total Length                       |
 *  |                      Byte-Order Magic                         |
 *  |          Major Version        |         Minor Version         |
 *  |                          Section Length (64 bits)             |
 *  /                          Options (variable)                   /
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 */
static int
shb(struct pm_capture *c, struct pm_cur *body)
{
	uint16_t major = pm_cur_u16x(body, c->sect_big_endian);
	uint16_t minor = pm_cur_u16x(body, c->sect_big_endian);
	int64_t length = (int64_t)(c->sect_big_endian ? pm_cur_be64(body) : pm_cur_le64(body));
	if (!pm_cur_ok(body)) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "section header block too short");
	}
	if (major != 1 || (minor != 0 && minor != 2)) {
		return pm_source_damage(&c->src, PM_E_UNSUPPORTED, c->src.off,
		                        "pcapng section version %u.%u is not supported", major,
		                        minor);
	}
	struct pm_section *s = pm_capmeta_add_section(c);
	if (s == NULL) {
		return pm_source_damage(&c->src, PM_E_LIMIT, c->src.off, "too many sections");
	}
	s->big_endian = c->sect_big_endian;
	s->major = major;
	s->minor = minor;
	s->length = length;
	s->first_iface = (uint32_t)c->n_ifaces;
	walk_options(c, body, shb_option, s);
	c->blocks.shb++;
	return 1;
}

static void
idb_option(struct pm_capture *c, void *ctx, uint16_t code, struct pm_cur val)
{
	struct pm_iface *i = ctx;
	switch (code) {
	case OPT_IF_NAME:
		i->name = opt_string(c, val);
		break;
	case OPT_IF_DESC:
		i->description = opt_string(c, val);
		break;
	case OPT_IF_TSRESOL:
		if (pm_cur_left(&val) >= 1) {
			uint8_t r = pm_cur_u8(&val);
			bool ok = pm_tsresol_usable(r);
			i->tsresol = ok ? r : PM_TSRESOL_DEFAULT;
			i->tsresol_bad = ok ? 0 : r; /* the last if_tsresol option counts */
		}
		break;
	case OPT_IF_FCSLEN:
		if (pm_cur_left(&val) >= 1) {
			i->fcslen = pm_cur_u8(&val);
		}
		break;
	case OPT_IF_TSOFFSET:
		if (pm_cur_left(&val) >= 8) {
			i->tsoffset_s =
			    (int64_t)(c->sect_big_endian ? pm_cur_be64(&val) : pm_cur_le64(&val));
		}
		break;
	default:
		break;
	}
}

/* Interface Description Block: LinkType(16) Reserved(16) SnapLen(32) Options. */
static int
idb(struct pm_capture *c, struct pm_cur *body)
{
	bool be = c->sect_big_endian;
	uint16_t linktype = pm_cur_u16x(body, be);
	pm_cur_skip(body, 2);
	uint32_t snaplen = pm_cur_u32x(body, be);
	if (!pm_cur_ok(body)) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "interface description block too short");
	}
	struct pm_iface *i = pm_capmeta_add_iface(c);
	if (i == NULL) {
		return pm_source_damage(&c->src, PM_E_LIMIT, c->src.off, "more than %u interfaces",
		                        PM_MAX_IFACES);
	}
	i->linktype = linktype;
	i->snaplen = snaplen;
	i->section = (uint32_t)(c->n_sections - 1);
	walk_options(c, body, idb_option, i);
	if (i->tsresol_bad != 0) {
		c->bad_tsresol++;
	}
	c->sections[c->n_sections - 1].n_ifaces++;
	c->blocks.idb++;
	return 1;
}

/* Map a section-relative interface id to an index into c->ifaces, or -1. */
static long
iface_index(struct pm_capture *c, uint32_t id)
{
	const struct pm_section *s = &c->sections[c->n_sections - 1];
	if (id >= s->n_ifaces) {
		return -1;
	}
	return (long)(s->first_iface + id);
}

static int
packet(struct pm_capture *c, struct pm_rec *r, struct pm_cur *body, uint32_t id, uint64_t units,
       uint32_t caplen, uint32_t len, const char *what)
{
	long ix = iface_index(c, id);
	if (ix < 0) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "%s refers to interface %u, which is not defined", what,
		                        id);
	}
	const uint8_t *data = pm_cur_bytes(body, caplen);
	if (data == NULL) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "%s captured length %u exceeds its block", what, caplen);
	}
	struct pm_iface *i = &c->ifaces[ix];
	r->ts_ns = iface_time(i, units);
	r->has_ts = true;
	r->data = data;
	r->caplen = caplen;
	r->len = len;
	r->iface = (uint32_t)ix;
	r->linktype = i->linktype;
	i->packets++;
	return 2;
}

/*
 * Enhanced Packet Block: Interface ID(32) Timestamp(hi 32, lo 32)
 * Captured Packet Length(32) Original Packet Length(32) Data (padded) Options.
 */
static int
epb(struct pm_capture *c, struct pm_cur *body, struct pm_rec *r)
{
	bool be = c->sect_big_endian;
	uint32_t id = pm_cur_u32x(body, be);
	uint64_t units = ts64(body, be);
	uint32_t caplen = pm_cur_u32x(body, be);
	uint32_t len = pm_cur_u32x(body, be);
	if (!pm_cur_ok(body)) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "enhanced packet block too short");
	}
	c->blocks.epb++;
	return packet(c, r, body, id, units, caplen, len, "enhanced packet block");
}

/* Obsolete Packet Block: Interface ID(16) Drops Count(16), then as the EPB. */
static int
pb(struct pm_capture *c, struct pm_cur *body, struct pm_rec *r)
{
	bool be = c->sect_big_endian;
	uint16_t id = pm_cur_u16x(body, be);
	pm_cur_skip(body, 2);
	uint64_t units = ts64(body, be);
	uint32_t caplen = pm_cur_u32x(body, be);
	uint32_t len = pm_cur_u32x(body, be);
	if (!pm_cur_ok(body)) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "packet block too short");
	}
	c->blocks.pb++;
	return packet(c, r, body, id, units, caplen, len, "packet block");
}

/*
 * Simple Packet Block: Original Packet Length(32) Data. The captured length is
 * the smallest of the original length, the first interface's snaplen and
 * what the block holds (§4.4). It carries no timestamp.
 */
static int
spb(struct pm_capture *c, struct pm_cur *body, struct pm_rec *r)
{
	uint32_t len = pm_cur_u32x(body, c->sect_big_endian);
	if (!pm_cur_ok(body)) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "simple packet block too short");
	}
	c->blocks.spb++;
	long ix = iface_index(c, 0);
	if (ix < 0) {
		return pm_source_damage(&c->src, PM_E_MALFORMED, c->src.off,
		                        "simple packet block before any interface");
	}
	size_t caplen = len;
	uint32_t snap = c->ifaces[ix].snaplen;
	if (snap != 0 && caplen > snap) {
		caplen = snap;
	}
	if (caplen > pm_cur_left(body)) {
		caplen = pm_cur_left(body);
	}
	int rc = packet(c, r, body, 0, 0, (uint32_t)caplen, len, "simple packet block");
	r->ts_ns = 0;
	r->has_ts = false;
	return rc;
}

static void
nrb_add(struct pm_capture *c, uint8_t family, const uint8_t *addr, size_t alen,
        struct pm_cur *names)
{
	while (pm_cur_left(names) > 0) {
		const uint8_t *p = names->buf + names->off;
		size_t n = pm_cur_left(names);
		const uint8_t *nul = memchr(p, 0, n);
		size_t len = nul != NULL ? (size_t)(nul - p) : n;
		pm_cur_skip(names, nul != NULL ? len + 1 : len);
		if (len == 0) {
			continue;
		}
		pm_capmeta_add_nrb(c, family, addr, alen, (const char *)p, len);
	}
}

/* Name Resolution Block: records of Type(16) Length(16) Value (padded), then options. */
static int
nrb(struct pm_capture *c, struct pm_cur *body)
{
	bool be = c->sect_big_endian;
	c->blocks.nrb++;
	while (pm_cur_left(body) >= 4) {
		uint16_t type = pm_cur_u16x(body, be);
		uint16_t len = pm_cur_u16x(body, be);
		if (type == NRB_END) {
			break;
		}
		struct pm_cur val = pm_cur_sub(body, len);
		pm_cur_skip(body, (4 - len % 4) % 4);
		if (!pm_cur_ok(&val)) {
			break; /* record runs past the block: keep what was read */
		}
		size_t alen = type == NRB_IPV4 ? 4 : type == NRB_IPV6 ? 16 : 0;
		const uint8_t *addr = alen != 0 ? pm_cur_bytes(&val, alen) : NULL;
		if (addr != NULL) {
			nrb_add(c, type == NRB_IPV4 ? 4 : 6, addr, alen, &val);
		}
	}
	return 1;
}

struct isb_ctx {
	struct pm_iface *i;
	uint32_t present; /* PM_ISB_* seen in this block */
};

static void
isb_option(struct pm_capture *c, void *ctx, uint16_t code, struct pm_cur val)
{
	struct isb_ctx *x = ctx;
	bool be = c->sect_big_endian;
	if (pm_cur_left(&val) < 8) {
		return;
	}
	if (code == OPT_ISB_START || code == OPT_ISB_END) {
		int64_t t = iface_time(x->i, ts64(&val, be));
		if (code == OPT_ISB_START) {
			x->i->isb_starttime_ns = t;
			x->present |= PM_ISB_STARTTIME;
		} else {
			x->i->isb_endtime_ns = t;
			x->present |= PM_ISB_ENDTIME;
		}
		return;
	}
	if (code < OPT_ISB_IFRECV || code > OPT_ISB_IFRECV + 4) {
		return;
	}
	uint64_t v = be ? pm_cur_be64(&val) : pm_cur_le64(&val);
	uint64_t *slot[] = { &x->i->isb_ifrecv, &x->i->isb_ifdrop, &x->i->isb_filteraccept,
		             &x->i->isb_osdrop, &x->i->isb_usrdeliv };
	*slot[code - OPT_ISB_IFRECV] = v;
	x->present |= PM_ISB_IFRECV << (code - OPT_ISB_IFRECV);
}

/* Interface Statistics Block: Interface ID(32) Timestamp(hi, lo) Options. */
static int
isb(struct pm_capture *c, struct pm_cur *body)
{
	bool be = c->sect_big_endian;
	uint32_t id = pm_cur_u32x(body, be);
	pm_cur_skip(body, 8);
	c->blocks.isb++;
	long ix = iface_index(c, id);
	if (!pm_cur_ok(body) || ix < 0) {
		return 1; /* statistics for an unknown interface: nothing to attach them to */
	}
	struct isb_ctx x = { &c->ifaces[ix], 0 };
	walk_options(c, body, isb_option, &x);
	x.i->isb_count++;
	x.i->isb_present = x.present;
	return 1;
}

/* Decryption Secrets Block: Secrets Type(32) Secrets Length(32) Data. Counted only. */
static int
dsb(struct pm_capture *c, struct pm_cur *body)
{
	uint32_t type = pm_cur_u32x(body, c->sect_big_endian);
	c->blocks.dsb++;
	for (size_t k = 0; k < PM_ARRAY_LEN(c->blocks.dsb_types); k++) {
		if (c->blocks.dsb_types[k] == type) {
			break;
		}
		if (c->blocks.dsb_types[k] == 0) {
			c->blocks.dsb_types[k] = type;
			break;
		}
	}
	return 1;
}

/*
 * Read one block at c->src.off. Returns 2 when *r holds a record, 1 for any
 * other block, 0 when the walk has ended (end of file or damage).
 */
static int
block(struct pm_capture *c, struct pm_rec *r)
{
	struct pm_source *s = &c->src;
	if (!pm_source_want(s, 8)) {
		if (s->off == s->win_len) {
			s->done = true;
			return 0;
		}
		return pm_source_damage(s, PM_E_TRUNC, s->off,
		                        "block header truncated at end of file");
	}
	struct pm_cur head = pm_cur_init(s->win + s->off, 8);
	uint32_t type = pm_cur_be32(&head); /* the SHB type reads the same in both orders */
	if (type == BT_SHB) {
		if (!pm_source_want(s, 12)) {
			return pm_source_damage(s, PM_E_TRUNC, s->off,
			                        "section header truncated at end of file");
		}
		struct pm_cur bom = pm_cur_init(s->win + s->off + 8, 4);
		uint32_t magic = pm_cur_be32(&bom);
		if (magic != SHB_BOM && magic != __builtin_bswap32(SHB_BOM)) {
			return pm_source_damage(s, PM_E_MALFORMED, s->off,
			                        "section header has byte-order magic %08x", magic);
		}
		c->sect_big_endian = magic == SHB_BOM;
	} else if (c->n_sections == 0) {
		return pm_source_damage(s, PM_E_MALFORMED, s->off,
		                        "first block is not a section header");
	}
	bool be = c->sect_big_endian;
	head = pm_cur_init(s->win + s->off, 8);
	type = pm_cur_u32x(&head, be);
	uint32_t len = pm_cur_u32x(&head, be);
	if (len < BLOCK_MIN || len % 4 != 0) {
		return pm_source_damage(s, PM_E_MALFORMED, s->off,
		                        "block type 0x%08x has invalid length %u", type, len);
	}
	if (len > PM_MAX_RECORD) {
		return pm_source_damage(s, PM_E_LIMIT, s->off,
		                        "block type 0x%08x length %u exceeds %u bytes", type, len,
		                        PM_MAX_RECORD);
	}
	if (!pm_source_want(s, len)) {
		return pm_source_damage(s, PM_E_TRUNC, s->off,
		                        "block type 0x%08x truncated: %zu of %u bytes", type,
		                        s->win_len - s->off, len);
	}
	struct pm_cur blk = pm_cur_init(s->win + s->off, len);
	pm_cur_skip(&blk, 8);
	struct pm_cur body = pm_cur_sub(&blk, len - BLOCK_MIN);
	if (pm_cur_u32x(&blk, be) != len) {
		return pm_source_damage(s, PM_E_MALFORMED, s->off,
		                        "block type 0x%08x trailing length differs from %u", type,
		                        len);
	}
	if (type == BT_SHB) {
		pm_cur_skip(&body, 4); /* byte-order magic, checked above */
	}
	int rc;
	switch (type) {
	case BT_SHB:
		rc = shb(c, &body);
		break;
	case BT_IDB:
		rc = idb(c, &body);
		break;
	case BT_EPB:
		rc = epb(c, &body, r);
		break;
	case BT_SPB:
		rc = spb(c, &body, r);
		break;
	case BT_PB:
		rc = pb(c, &body, r);
		break;
	case BT_NRB:
		rc = nrb(c, &body);
		break;
	case BT_ISB:
		rc = isb(c, &body);
		break;
	case BT_DSB:
		rc = dsb(c, &body);
		break;
	case BT_CB:
	case BT_DCB:
		c->blocks.custom++;
		rc = 1;
		break;
	default:
		c->blocks.unknown++;
		rc = 1;
		break;
	}
	if (rc != 0) {
		s->off += len;
	}
	return rc;
}

/* see pcapng.h */
int
pm_pcapng_open(struct pm_capture *c, struct pm_error *err)
{
	struct pm_rec r;
	(void)block(c, &r);
	if (c->n_sections == 0) {
		int code = c->src.damaged ? c->src.damage.code : PM_E_TRUNC;
		return pm_error_set(err, code, 0, "bad pcapng section header: %s",
		                    c->src.damaged ? c->src.damage.msg : "empty");
	}
	c->big_endian = c->sections[0].big_endian;
	c->ver_major = c->sections[0].major;
	c->ver_minor = c->sections[0].minor;
	return 0;
}

/* see pcapng.h */
int
pm_pcapng_next(struct pm_capture *c, struct pm_rec *r)
{
	for (;;) {
		int rc = block(c, r);
		if (rc != 1) {
			return rc == 2 ? 1 : 0;
		}
	}
}

/* see pcapng.h */
size_t
pm_pcapng_peek(const struct pm_capture *c)
{
	const struct pm_source *s = &c->src;
	bool be = c->sect_big_endian;
	size_t at = s->off;
	/* Each pass moves at by a whole block of at least BLOCK_MIN bytes inside the window. */
	for (;;) {
		if (s->win_len - at < BLOCK_MIN) {
			return at - s->off + BLOCK_MIN; /* header, and an SHB's byte-order magic */
		}
		struct pm_cur head = pm_cur_init(s->win + at, BLOCK_MIN);
		if (pm_cur_be32(&head) == BT_SHB) {
			pm_cur_skip(&head, 4);
			be = pm_cur_be32(&head) == SHB_BOM;
		}
		head = pm_cur_init(s->win + at, 8);
		uint32_t type = pm_cur_u32x(&head, be);
		uint32_t len = pm_cur_u32x(&head, be);
		if (len < BLOCK_MIN || len % 4 != 0 || len > PM_MAX_RECORD) {
			return at - s->off + BLOCK_MIN; /* the walk ends here as damage */
		}
		if (len > s->win_len - at || type == BT_EPB || type == BT_SPB || type == BT_PB) {
			return at - s->off + len;
		}
		at += len;
	}
}
