/* SPDX-License-Identifier: MIT */
/*
 * quic.c - QUIC headers, Initial frames and transport parameters, read
 * without state: RFC 9000 §16 (varints), §17 (headers), §18 (transport
 * parameters), §19 (frames); RFC 8999 (invariants); RFC 9369 §3.2 (v2 type
 * bits). Does not decrypt (quiccrypt.c) and keeps nothing between calls.
 */
#include "quic.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"

#define GOOGLE_Q  0x51303000u /* 'Q0' followed by two digits */
#define GOOGLE_T  0x54303000u /* 'T0' ... */
#define Q046      0x51303436u /* the one Google version with nibble-coded ID lengths */
#define T050      0x54303530u /* 'T050' */
#define T051      0x54303531u /* 'T051' */
#define DRAFT_MIN 0xff000017u /* draft-23: the first with today's long-header layout */
#define DRAFT_MAX 0xff000022u /* draft-34 */
#define FORM_LONG 0x80        /* RFC 9000 §17.2 header form */
#define FIXED_BIT 0x40        /* RFC 9000 §17.2 fixed bit */

/* see quic.h */
uint64_t
pm_quic_varint(struct pm_cur *c)
{
	uint8_t b = pm_cur_u8(c);
	size_t extra = ((size_t)1 << (b >> 6)) - 1;
	uint64_t v = b & 0x3f;
	const uint8_t *rest = pm_cur_bytes(c, extra);
	if (rest == NULL) {
		return 0;
	}
	for (size_t i = 0; i < extra; i++) {
		v = v << 8 | rest[i];
	}
	return v;
}

static bool
is_google(uint32_t v)
{
	uint32_t tag = v & 0xffff0000u;
	uint8_t d1 = (uint8_t)(v >> 8), d2 = (uint8_t)v;
	return (tag == (GOOGLE_Q & 0xffff0000u) || tag == (GOOGLE_T & 0xffff0000u)) && d1 >= '0' &&
	       d1 <= '9' && d2 >= '0' && d2 <= '9';
}

/* see quic.h */
enum pm_quic_family
pm_quic_family(uint32_t version)
{
	if (version == 0) {
		return PM_QUIC_FAM_VN;
	}
	if (version == PM_QUIC_V1) {
		return PM_QUIC_FAM_V1;
	}
	if (version == PM_QUIC_V2) {
		return PM_QUIC_FAM_V2;
	}
	if ((version & 0xffffff00u) == 0xff000000u) {
		return PM_QUIC_FAM_DRAFT;
	}
	if ((version & 0x0f0f0f0fu) == 0x0a0a0a0au) {
		return PM_QUIC_FAM_GREASE;
	}
	if (is_google(version)) {
		return PM_QUIC_FAM_GOOGLE;
	}
	if ((version & 0xfffffff0u) == 0xfaceb000u) {
		return PM_QUIC_FAM_MVFST;
	}
	return PM_QUIC_FAM_UNKNOWN;
}

/* see quic.h */
const char *
pm_quic_version_name(uint32_t version, char buf[16])
{
	switch (pm_quic_family(version)) {
	case PM_QUIC_FAM_VN:
		return "negotiation";
	case PM_QUIC_FAM_V1:
		return "v1";
	case PM_QUIC_FAM_V2:
		return "v2";
	case PM_QUIC_FAM_DRAFT:
		snprintf(buf, 16, "draft-%u", (unsigned)(version & 0xff));
		return buf;
	case PM_QUIC_FAM_GOOGLE:
		snprintf(buf, 16, "%c%c%c%c", (char)(version >> 24), (char)(version >> 16),
		         (char)(version >> 8), (char)version);
		return buf;
	case PM_QUIC_FAM_MVFST:
		snprintf(buf, 16, "mvfst-%u", (unsigned)(version & 0x0f));
		return buf;
	case PM_QUIC_FAM_GREASE:
		return "grease";
	case PM_QUIC_FAM_UNKNOWN:
		break;
	}
	snprintf(buf, 16, "0x%08x", (unsigned)version);
	return buf;
}

/* see quic.h */
bool
pm_quic_version_known(uint32_t version)
{
	/* Google's T050 and T051 use the IETF long header with TLS (Wireshark reads them so) */
	return version == PM_QUIC_V1 || version == PM_QUIC_V2 || version == T050 ||
	       version == T051 || (version >= DRAFT_MIN && version <= DRAFT_MAX);
}

/*
 * Google QUIC before Q046 (public header): flags, an 8-byte connection ID
 * when flag 0x08 is set, then the version when flag 0x01 is. Only the
 * client's first packets carry the version, and only those are recognised.
 */
static int
parse_gquic(struct pm_cur *c, struct pm_quic_hdr *out)
{
	uint8_t flags = pm_cur_u8(c);
	const uint8_t *cid = pm_cur_bytes(c, 8);
	uint32_t v = pm_cur_be32(c);
	if ((flags & 0x09) != 0x09 || !pm_cur_ok(c) || !is_google(v)) {
		return PM_E_UNSUPPORTED;
	}
	out->type = PM_QUIC_GQUIC;
	out->version = v;
	out->dcid = cid;
	out->dcid_len = 8;
	out->len = c->len;
	return 0;
}

/* Connection IDs: separate length bytes (RFC 8999 §5.1), or Q046's nibbles. */
static int
read_cids(struct pm_cur *c, struct pm_quic_hdr *out)
{
	size_t dl, sl;
	if (out->version == Q046) {
		uint8_t b = pm_cur_u8(c);
		dl = b >> 4 ? (size_t)(b >> 4) + 3 : 0;
		sl = b & 0x0f ? (size_t)(b & 0x0f) + 3 : 0;
		out->dcid = pm_cur_bytes(c, dl);
		out->scid = pm_cur_bytes(c, sl);
	} else {
		dl = pm_cur_u8(c);
		out->dcid = pm_cur_bytes(c, dl);
		sl = pm_cur_u8(c);
		out->scid = pm_cur_bytes(c, sl);
	}
	if (!pm_cur_ok(c)) {
		return PM_E_TRUNC;
	}
	out->dcid_len = dl;
	out->scid_len = sl;
	if (pm_quic_version_known(out->version) && (dl > PM_QUIC_MAX_CID || sl > PM_QUIC_MAX_CID)) {
		return PM_E_MALFORMED;
	}
	return 0;
}

/* Version negotiation: the rest of the datagram is a list of 32-bit versions. */
static int
read_vn(struct pm_cur *c, struct pm_quic_hdr *out)
{
	out->type = PM_QUIC_VN;
	size_t left = pm_cur_left(c);
	if (left == 0 || left % 4 != 0) {
		return PM_E_MALFORMED;
	}
	size_t total = left / 4;
	out->vers_total = total > UINT16_MAX ? UINT16_MAX : (uint16_t)total;
	for (size_t i = 0; i < total; i++) {
		uint32_t v = pm_cur_be32(c);
		if (out->nvers < PM_QUIC_MAX_VN) {
			out->vers[out->nvers++] = v;
		}
	}
	out->len = c->len;
	return 0;
}

/*
 * Initial, 0-RTT, Handshake: [token length, token,] Length, then Length
 * bytes of packet number and protected payload. Retry: token, then the tag.
 */
static int
read_typed(struct pm_cur *c, struct pm_quic_hdr *out)
{
	if (out->type == PM_QUIC_RETRY) {
		size_t left = pm_cur_left(c);
		if (left < PM_QUIC_TAG_LEN) {
			return PM_E_TRUNC;
		}
		out->token_len = left - PM_QUIC_TAG_LEN;
		out->token = pm_cur_bytes(c, out->token_len);
		out->tag = pm_cur_bytes(c, PM_QUIC_TAG_LEN);
		out->len = c->len;
		return 0;
	}
	if (out->type == PM_QUIC_INITIAL) {
		uint64_t tl = pm_quic_varint(c);
		if (tl > pm_cur_left(c)) {
			return PM_E_TRUNC;
		}
		out->token_len = (size_t)tl;
		out->token = tl ? pm_cur_bytes(c, out->token_len) : NULL;
	}
	uint64_t length = pm_quic_varint(c);
	if (!pm_cur_ok(c)) {
		return PM_E_TRUNC;
	}
	if (length > pm_cur_left(c)) {
		return PM_E_TRUNC;
	}
	/* a packet number (1 byte at least) and a tag must fit (RFC 9001 §5.4.2) */
	if (length < 1 + PM_QUIC_TAG_LEN) {
		return PM_E_MALFORMED;
	}
	out->pn_off = c->off;
	out->len = c->off + (size_t)length;
	return 0;
}

static int
parse_long(struct pm_cur *c, struct pm_quic_hdr *out)
{
	out->is_long = true;
	out->first = pm_cur_u8(c);
	out->version = pm_cur_be32(c);
	if (!pm_cur_ok(c)) {
		return PM_E_TRUNC;
	}
	int rc = read_cids(c, out);
	if (rc != 0) {
		return rc;
	}
	if (out->version == 0) {
		return read_vn(c, out);
	}
	if (!pm_quic_version_known(out->version)) {
		out->type = PM_QUIC_OTHER_LONG;
		out->len = c->len;
		return pm_quic_family(out->version) == PM_QUIC_FAM_UNKNOWN &&
		               !(out->first & FIXED_BIT)
		           ? PM_E_UNSUPPORTED
		           : 0;
	}
	/* the fixed bit may be greased by peers that negotiated it (RFC 9287 §3) */
	uint8_t bits = (out->first >> 4) & 3;
	/* RFC 9369 §3.2: v2 numbers Retry 0, Initial 1, 0-RTT 2, Handshake 3 */
	out->type = out->version == PM_QUIC_V2 ? (uint8_t)((bits + 3) & 3) : bits;
	return read_typed(c, out);
}

/* see quic.h */
int
pm_quic_parse(const uint8_t *p, size_t n, size_t short_dcid_len, struct pm_quic_hdr *out)
{
	memset(out, 0, sizeof(*out));
	out->pkt = p;
	struct pm_cur c = pm_cur_init(p, n);
	if (n == 0) {
		return PM_E_TRUNC;
	}
	if (p[0] & FORM_LONG) {
		return parse_long(&c, out);
	}
	if (!(p[0] & FIXED_BIT)) {
		struct pm_cur g = pm_cur_init(p, n);
		if (parse_gquic(&g, out) == 0) {
			return 0;
		}
		memset(out, 0, sizeof(*out));
		out->pkt = p; /* a short header with a greased fixed bit (RFC 9287 §3) */
	}
	out->first = pm_cur_u8(&c);
	out->type = PM_QUIC_SHORT;
	out->dcid = pm_cur_bytes(&c, short_dcid_len);
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	out->dcid_len = short_dcid_len;
	out->len = n;
	return 0;
}

/* see quic.h */
size_t
pm_quic_parse_datagram(const uint8_t *p, size_t n, size_t short_dcid_len, struct pm_quic_hdr *out,
                       size_t cap, int *rc)
{
	struct pm_cur c = pm_cur_init(p, n);
	size_t k = 0;
	*rc = 0;
	if (cap > PM_QUIC_MAX_PKT) {
		cap = PM_QUIC_MAX_PKT;
	}
	while (k < cap && pm_cur_left(&c) > 0) {
		struct pm_cur rest = c;
		size_t left = pm_cur_left(&rest);
		const uint8_t *at = pm_cur_bytes(&rest, left);
		*rc = pm_quic_parse(at, left, short_dcid_len, &out[k]);
		if (*rc != 0) {
			break;
		}
		pm_cur_skip(&c, out[k].len);
		k++;
		/* padding after the last long-header packet is zeros (RFC 9000 §12.2) */
		if (pm_cur_left(&c) > 0 && pm_cur_peek(&c, 0) == 0) {
			break;
		}
	}
	return k;
}

/* ACK frame body (RFC 9000 §19.3): ranges bounded by PM_QUIC_MAX_ACK. */
static bool
skip_ack(struct pm_cur *c, bool ecn)
{
	pm_quic_varint(c); /* largest acknowledged */
	pm_quic_varint(c); /* ack delay */
	uint64_t ranges = pm_quic_varint(c);
	pm_quic_varint(c); /* first range */
	if (ranges > PM_QUIC_MAX_ACK) {
		return pm_cur_fail(c);
	}
	for (uint64_t i = 0; i < ranges && pm_cur_ok(c); i++) {
		pm_quic_varint(c); /* gap */
		pm_quic_varint(c); /* range length */
	}
	for (int i = 0; ecn && i < 3; i++) {
		pm_quic_varint(c); /* ECT0, ECT1, ECN-CE counts */
	}
	return pm_cur_ok(c);
}

/* see quic.h */
int
pm_quic_walk_frames(const uint8_t *p, size_t n, uint32_t version, pm_quic_crypto_fn fn, void *arg,
                    struct pm_quic_frames *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t crypto =
	    pm_quic_family(version) == PM_QUIC_FAM_GOOGLE ? PM_QUIC_FR_GCRYPTO : PM_QUIC_FR_CRYPTO;
	struct pm_cur c = pm_cur_init(p, n);
	/* every frame consumes at least one byte, so n bounds the loop */
	while (pm_cur_left(&c) > 0) {
		uint64_t type = pm_quic_varint(&c);
		if (type == PM_QUIC_FR_PADDING) {
			/* padding fills most of an Initial: take the run of zeros at once */
			size_t k = 0, left = pm_cur_left(&c);
			while (k < left && pm_cur_peek(&c, k) == 0) {
				k++;
			}
			pm_cur_skip(&c, k);
			out->padding += 1 + k;
		} else if (type == PM_QUIC_FR_PING) {
			out->pings++;
		} else if (type == PM_QUIC_FR_ACK || type == PM_QUIC_FR_ACK_ECN) {
			if (!skip_ack(&c, type == PM_QUIC_FR_ACK_ECN)) {
				return PM_E_TRUNC;
			}
			out->acks++;
		} else if (type == crypto) {
			uint64_t off = pm_quic_varint(&c);
			uint64_t len = pm_quic_varint(&c);
			if (!pm_cur_ok(&c) || len > pm_cur_left(&c)) {
				return PM_E_TRUNC;
			}
			const uint8_t *data = pm_cur_bytes(&c, (size_t)len);
			out->crypto++;
			if (fn != NULL) {
				fn(arg, off, data, (size_t)len);
			}
		} else {
			out->stopped = true;
			out->stop_type = type;
			return 0;
		}
	}
	return pm_cur_ok(&c) ? 0 : PM_E_TRUNC;
}

/* Transport parameters (RFC 9000 §18.2): id, length, value, as varints. */
static int
read_tparams(struct pm_cur *c, struct pm_quic_tparams *out)
{
	while (pm_cur_left(c) > 0) {
		uint64_t id = pm_quic_varint(c);
		uint64_t len = pm_quic_varint(c);
		if (!pm_cur_ok(c) || len > pm_cur_left(c)) {
			return PM_E_TRUNC;
		}
		const uint8_t *v = pm_cur_bytes(c, (size_t)len);
		if (id == 0x0f && len <= PM_QUIC_MAX_CID) {
			out->scid = v;
			out->scid_len = (size_t)len;
		}
		if (out->n < PM_QUIC_MAX_TP) {
			out->id[out->n++] = id;
		}
		if (out->total < UINT16_MAX) {
			out->total++;
		}
	}
	return 0;
}

/* see quic.h */
int
pm_quic_tparams(const uint8_t *hello, size_t n, struct pm_quic_tparams *out)
{
	memset(out, 0, sizeof(*out));
	struct pm_cur c = pm_cur_init(hello, n);
	pm_cur_skip(&c, 2 + 32);          /* legacy_version, random */
	pm_cur_skip(&c, pm_cur_u8(&c));   /* legacy_session_id */
	pm_cur_skip(&c, pm_cur_be16(&c)); /* cipher_suites */
	pm_cur_skip(&c, pm_cur_u8(&c));   /* legacy_compression_methods */
	struct pm_cur exts = pm_cur_sub(&c, pm_cur_be16(&c));
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	for (size_t i = 0; i < 256 && pm_cur_left(&exts) > 0; i++) {
		uint16_t type = pm_cur_be16(&exts);
		struct pm_cur body = pm_cur_sub(&exts, pm_cur_be16(&exts));
		if (!pm_cur_ok(&exts)) {
			return PM_E_TRUNC;
		}
		if (type == PM_QUIC_TP_EXT) {
			return read_tparams(&body, out);
		}
	}
	return PM_E_UNSUPPORTED;
}
