/* SPDX-License-Identifier: MIT */
/*
 * tls.c - ClientHello and ServerHello parsers, JA3/JA3S (salesforce/ja3
 * README) and JA4/JA4S (FoxIO JA4+ technical details, JA4 and JA4S).
 *
 *   ClientHello: version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
 *                compression_methods<1..2^8-1> [extensions<0..2^16-1>]
 *   ServerHello: version(2) random(32) session_id<0..32> cipher_suite(2)
 *                compression_method(1) [extensions<0..2^16-1>]
 *   Extension:   type(2) length(2) data(length)
 *
 * A body cut short is PM_E_TRUNC; a length inside an extension that leaves
 * the extension is PM_E_MALFORMED (the extension itself was whole).
 */
#include "tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>

#include "cursor.h"
#include "sha256.h"

/* RFC 8446 §4.1.3: SHA-256 of "HelloRetryRequest". */
static const uint8_t hrr_random[32] = {
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
	0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
	0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* see tls.h */
bool
pm_tls_is_grease(uint16_t v)
{
	return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
}

static void
list_add(struct pm_tls_list *l, uint16_t v)
{
	if (l->n < PM_TLS_MAX_LIST) {
		l->v[l->n++] = v;
	}
	if (l->total < UINT16_MAX) {
		l->total++;
	}
}

/*
 * A list of 16-bit values filling the cursor (an odd byte is malformed):
 * the span is taken whole, then decoded without a check per value.
 */
static void
read_list16(struct pm_cur *c, struct pm_tls_list *l, bool *grease)
{
	size_t n = pm_cur_left(c) / 2;
	const uint8_t *p = pm_cur_bytes(c, 2 * n);
	if (pm_cur_left(c) != 0 || p == NULL) {
		pm_cur_fail(c);
		return;
	}
	size_t room = (size_t)PM_TLS_MAX_LIST - l->n;
	size_t keep = n < room ? n : room;
	bool g = false;
	for (size_t i = 0; i < n; i++) {
		uint16_t v = (uint16_t)(p[2 * i] << 8 | p[2 * i + 1]);
		g |= pm_tls_is_grease(v);
		if (i < keep) {
			l->v[l->n + i] = v;
		}
	}
	l->n = (uint16_t)(l->n + keep);
	size_t total = l->total + n;
	l->total = (uint16_t)(total < UINT16_MAX ? total : UINT16_MAX);
	*grease |= g;
}

static void
ext_sni(struct pm_cur *e, struct pm_tls_client_hello *h)
{
	struct pm_cur list = pm_cur_sub(e, pm_cur_be16(e));
	for (unsigned i = 0; i < PM_TLS_MAX_EXTS && pm_cur_left(&list) > 0; i++) {
		uint8_t type = pm_cur_u8(&list);
		uint16_t len = pm_cur_be16(&list);
		const uint8_t *name = pm_cur_bytes(&list, len);
		if (name != NULL && type == 0 && h->sni == NULL) {
			h->sni = name;
			h->sni_len = len;
		}
	}
	if (!pm_cur_ok(&list)) {
		pm_cur_fail(e);
	}
}

static void
ext_key_share(struct pm_cur *e, struct pm_tls_client_hello *h)
{
	struct pm_cur list = pm_cur_sub(e, pm_cur_be16(e));
	for (unsigned i = 0; i < PM_TLS_MAX_LIST && pm_cur_left(&list) > 0; i++) {
		uint16_t g = pm_cur_be16(&list);
		pm_cur_skip(&list, pm_cur_be16(&list));
		h->grease |= pm_tls_is_grease(g);
		list_add(&h->key_shares, g);
	}
	if (!pm_cur_ok(&list)) {
		pm_cur_fail(e);
	}
}

/* Fail e when the list l inside it contradicted its own length. */
static void
sub_done(struct pm_cur *e, const struct pm_cur *l)
{
	if (!pm_cur_ok(l)) {
		pm_cur_fail(e);
	}
}

/* One ClientHello extension; fails e when its contents contradict its length. */
static void
client_ext(uint16_t type, struct pm_cur *e, struct pm_tls_client_hello *h)
{
	struct pm_cur l;
	switch (type) {
	case PM_TLS_EXT_SNI:
		ext_sni(e, h);
		break;
	case PM_TLS_EXT_GROUPS:
		l = pm_cur_sub(e, pm_cur_be16(e));
		read_list16(&l, &h->groups, &h->grease);
		sub_done(e, &l);
		break;
	case PM_TLS_EXT_POINT_FMTS:
		l = pm_cur_sub(e, pm_cur_u8(e));
		while (pm_cur_left(&l) > 0) {
			list_add(&h->point_fmts, pm_cur_u8(&l));
		}
		sub_done(e, &l);
		break;
	case PM_TLS_EXT_SIG_ALGS:
		l = pm_cur_sub(e, pm_cur_be16(e));
		read_list16(&l, &h->sig_algs, &h->grease);
		sub_done(e, &l);
		break;
	case PM_TLS_EXT_ALPN:
		l = pm_cur_sub(e, pm_cur_be16(e));
		h->alpn = l.buf;
		h->alpn_len = l.len;
		sub_done(e, &l);
		break;
	case PM_TLS_EXT_VERSIONS:
		l = pm_cur_sub(e, pm_cur_u8(e));
		read_list16(&l, &h->versions, &h->grease);
		sub_done(e, &l);
		break;
	case PM_TLS_EXT_KEY_SHARE:
		ext_key_share(e, h);
		break;
	case PM_TLS_EXT_ECH:
		h->ech = true;
		break;
	default:
		break;
	}
}

/*
 * Walk the extensions block at c (after its length). Returns 0, PM_E_TRUNC
 * or PM_E_MALFORMED. For each extension, fn (if any) parses its body.
 */
static int
walk_exts(struct pm_cur *c, struct pm_tls_list *types, bool *grease,
          void (*fn)(uint16_t, struct pm_cur *, void *), void *arg)
{
	if (pm_cur_left(c) == 0) {
		return 0; /* SSLv3-style hello without extensions */
	}
	uint16_t total = pm_cur_be16(c);
	struct pm_cur all = pm_cur_sub(c, total);
	if (!pm_cur_ok(c)) {
		return PM_E_TRUNC;
	}
	for (unsigned i = 0; i < PM_TLS_MAX_EXTS && pm_cur_left(&all) > 0; i++) {
		uint16_t type = pm_cur_be16(&all);
		uint16_t len = pm_cur_be16(&all);
		struct pm_cur e = pm_cur_sub(&all, len);
		if (!pm_cur_ok(&all)) {
			return PM_E_MALFORMED;
		}
		*grease |= pm_tls_is_grease(type);
		list_add(types, type);
		if (fn != NULL) {
			fn(type, &e, arg);
			if (!pm_cur_ok(&e)) {
				return PM_E_MALFORMED;
			}
		}
	}
	return 0;
}

static void
client_ext_cb(uint16_t type, struct pm_cur *e, void *arg)
{
	client_ext(type, e, arg);
}

static uint16_t
highest_version(const struct pm_tls_list *l, uint16_t legacy)
{
	uint16_t best = 0;
	for (uint16_t i = 0; i < l->n; i++) {
		if (!pm_tls_is_grease(l->v[i]) && l->v[i] > best) {
			best = l->v[i];
		}
	}
	return best != 0 ? best : legacy;
}

/* Empty lists: their counts only (a hello's seven lists are 7 KiB that nothing reads past n). */
static void
lists_clear(struct pm_tls_list *const *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		l[i]->n = l[i]->total = 0;
	}
}

/* see tls.h */
int
pm_tls_parse_client_hello(const uint8_t *p, size_t n, struct pm_tls_client_hello *out)
{
	out->legacy_version = out->version = 0;
	out->sni = out->alpn = NULL;
	out->sni_len = out->alpn_len = 0;
	out->grease = out->ech = false;
	struct pm_tls_list *const lists[] = { &out->ciphers,    &out->exts,     &out->groups,
		                              &out->point_fmts, &out->sig_algs, &out->versions,
		                              &out->key_shares };
	lists_clear(lists, PM_ARRAY_LEN(lists));
	struct pm_cur c = pm_cur_init(p, n);
	out->legacy_version = pm_cur_be16(&c);
	pm_cur_skip(&c, 32);
	pm_cur_skip(&c, pm_cur_u8(&c));
	struct pm_cur cs = pm_cur_sub(&c, pm_cur_be16(&c));
	pm_cur_skip(&c, pm_cur_u8(&c));
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	read_list16(&cs, &out->ciphers, &out->grease);
	if (!pm_cur_ok(&cs)) {
		return PM_E_MALFORMED;
	}
	int rc = walk_exts(&c, &out->exts, &out->grease, client_ext_cb, out);
	out->version = highest_version(&out->versions, out->legacy_version);
	return rc;
}

static void
server_ext_cb(uint16_t type, struct pm_cur *e, void *arg)
{
	struct pm_tls_server_hello *h = arg;
	if (type == PM_TLS_EXT_VERSIONS && pm_cur_left(e) == 2) {
		h->version = pm_cur_be16(e);
	} else if (type == PM_TLS_EXT_ALPN) {
		struct pm_cur l = pm_cur_sub(e, pm_cur_be16(e));
		uint8_t len = pm_cur_u8(&l);
		const uint8_t *name = pm_cur_bytes(&l, len);
		if (name != NULL) {
			h->alpn = name;
			h->alpn_len = len;
		} else {
			pm_cur_fail(e);
		}
	}
}

/* see tls.h */
int
pm_tls_parse_server_hello(const uint8_t *p, size_t n, struct pm_tls_server_hello *out)
{
	out->legacy_version = out->version = out->cipher = 0;
	out->alpn = NULL;
	out->alpn_len = 0;
	out->hrr = false;
	struct pm_tls_list *const lists[] = { &out->exts };
	lists_clear(lists, PM_ARRAY_LEN(lists));
	struct pm_cur c = pm_cur_init(p, n);
	out->legacy_version = pm_cur_be16(&c);
	const uint8_t *random = pm_cur_bytes(&c, 32);
	bool draft =
	    (out->legacy_version >> 8) == 0x7F; /* TLS 1.3 drafts before -22: no session id */
	if (!draft) {
		pm_cur_skip(&c, pm_cur_u8(&c));
	}
	out->cipher = pm_cur_be16(&c);
	if (!draft) {
		pm_cur_skip(&c, 1);
	}
	if (!pm_cur_ok(&c) || random == NULL) {
		return PM_E_TRUNC;
	}
	out->hrr = memcmp(random, hrr_random, 32) == 0;
	bool grease = false;
	int rc = walk_exts(&c, &out->exts, &grease, server_ext_cb, out);
	if (out->version == 0) {
		out->version = out->legacy_version;
	}
	return rc;
}

/* see tls.h */
const char *
pm_tls_version_name(uint16_t v, char buf[8])
{
	switch (v) {
	case 0x0304:
		return "TLS 1.3";
	case 0x0303:
		return "TLS 1.2";
	case 0x0302:
		return "TLS 1.1";
	case 0x0301:
		return "TLS 1.0";
	case 0x0300:
		return "SSL 3.0";
	case 0x0002:
		return "SSL 2.0";
	default:
		snprintf(buf, 8, "0x%04x", v);
		return buf;
	}
}

/* The suites seen in practice (IANA TLS Cipher Suites registry). */
static const struct {
	uint16_t v;
	const char *name;
} cipher_names[] = {
	{ 0x0004, "TLS_RSA_WITH_RC4_128_MD5" },
	{ 0x0005, "TLS_RSA_WITH_RC4_128_SHA" },
	{ 0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
	{ 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
	{ 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0x1301, "TLS_AES_128_GCM_SHA256" },
	{ 0x1302, "TLS_AES_256_GCM_SHA384" },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
	{ 0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
	{ 0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
	{ 0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
	{ 0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
	{ 0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
	{ 0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
	{ 0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
	{ 0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
	{ 0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
	{ 0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
	{ 0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
	{ 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
	{ 0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
	{ 0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
	{ 0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
};

/* see tls.h */
const char *
pm_tls_cipher_name(uint16_t v, char buf[8])
{
	for (size_t i = 0; i < PM_ARRAY_LEN(cipher_names); i++) {
		if (cipher_names[i].v == v) {
			return cipher_names[i].name;
		}
	}
	snprintf(buf, 8, "0x%04x", v);
	return buf;
}

static const char hex_digits[] = "0123456789abcdef";

/* see tls.h */
void
pm_tls_hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* A bounded string builder: appends stop at the first that does not fit whole. */
struct sb {
	char *p;
	size_t cap, len;
	bool full;
};

/* Append the n bytes at s. */
static void
sb_add_n(struct sb *b, const char *s, size_t n)
{
	if (b->full || n >= b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_add(struct sb *b, const char *s)
{
	sb_add_n(b, s, strlen(s));
}

/*
 * v after the separator sep (none when 0), in decimal or as four hex
 * digits: the fingerprints' numbers, written in place without printf (a
 * ClientHello has dozens of them). Like sb_add_n, nothing is written once
 * one does not fit whole.
 */
static inline void
sb_num(struct sb *b, char sep, uint16_t v, bool hex)
{
	size_t n = (sep != 0) + (hex ? 4 : 1 + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000));
	if (PM_UNLIKELY(b->full || n >= b->cap - b->len)) {
		b->full = true;
		return;
	}
	char *p = b->p + b->len;
	if (sep != 0) {
		*p++ = sep;
	}
	if (hex) {
		const uint8_t be[2] = { (uint8_t)(v >> 8), (uint8_t)v };
		pm_tls_hex(be, 2, p);
	} else {
		char *e = b->p + b->len + n;
		*e = '\0';
		do {
			*--e = (char)('0' + v % 10);
			v /= 10;
		} while (e != p);
	}
	b->len += n;
}

/* Values of l in decimal joined by '-', GREASE left out. */
static void
sb_dec_list(struct sb *b, const struct pm_tls_list *l)
{
	bool first = true;
	for (uint16_t i = 0; i < l->n; i++) {
		if (pm_tls_is_grease(l->v[i])) {
			continue;
		}
		sb_num(b, first ? 0 : '-', l->v[i], false);
		first = false;
	}
}

static void
md5_hex(const char *s, char out[PM_TLS_HASH_HEX])
{
	br_md5_context ctx;
	uint8_t d[16];
	br_md5_init(&ctx);
	br_md5_update(&ctx, s, strlen(s));
	br_md5_out(&ctx, d);
	pm_tls_hex(d, sizeof(d), out);
}

/* see tls.h */
void
pm_tls_ja3(const struct pm_tls_client_hello *h, char *out, size_t cap, char md5[PM_TLS_HASH_HEX])
{
	struct sb b = { out, cap, 0, false };
	out[0] = '\0';
	sb_num(&b, 0, h->legacy_version, false);
	sb_add(&b, ",");
	sb_dec_list(&b, &h->ciphers);
	sb_add(&b, ",");
	sb_dec_list(&b, &h->exts);
	sb_add(&b, ",");
	sb_dec_list(&b, &h->groups);
	sb_add(&b, ",");
	sb_dec_list(&b, &h->point_fmts);
	md5_hex(out, md5);
}

/* see tls.h */
void
pm_tls_ja3s(const struct pm_tls_server_hello *h, char *out, size_t cap, char md5[PM_TLS_HASH_HEX])
{
	struct sb b = { out, cap, 0, false };
	out[0] = '\0';
	sb_num(&b, 0, h->legacy_version, false);
	sb_num(&b, ',', h->cipher, false);
	sb_add(&b, ",");
	sb_dec_list(&b, &h->exts);
	md5_hex(out, md5);
}

static const char *
ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304:
		return "13";
	case 0x0303:
		return "12";
	case 0x0302:
		return "11";
	case 0x0301:
		return "10";
	case 0x0300:
		return "s3";
	case 0x0002:
		return "s2";
	case 0xFEFF:
		return "d1";
	case 0xFEFD:
		return "d2";
	case 0xFEFC:
		return "d3";
	default:
		return "00";
	}
}

static bool
is_alnum(uint8_t ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* The two ALPN characters of JA4: first and last of the name, hex nibbles when not alphanumeric. */
static void
ja4_alpn(const uint8_t *name, size_t n, char out[3])
{
	if (name == NULL || n == 0) {
		memcpy(out, "00", 3);
		return;
	}
	if (is_alnum(name[0]) && is_alnum(name[n - 1])) {
		out[0] = (char)name[0];
		out[1] = (char)name[n - 1];
	} else {
		out[0] = hex_digits[name[0] >> 4];
		out[1] = hex_digits[name[n - 1] & 15];
	}
	out[2] = '\0';
}

/* The first 12 hex digits of SHA-256 over s, or twelve zeros when s is empty. */
static void
sha12(const char *s, char out[13])
{
	if (s[0] == '\0') {
		memcpy(out, "000000000000", 13);
		return;
	}
	struct pm_sha256 ctx;
	uint8_t d[PM_SHA256_LEN];
	pm_sha256_init(&ctx);
	pm_sha256_update(&ctx, s, strlen(s));
	pm_sha256_out(&ctx, d);
	pm_tls_hex(d, 6, out); /* the first 12 hex digits */
}

static int
cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/*
 * Sort n values ascending: insertion sort for the short lists real hellos
 * carry, qsort for long ones (so a hostile list of PM_TLS_MAX_LIST costs
 * n log n, not n squared).
 */
static void
sort_u16(uint16_t *v, size_t n)
{
	if (n > 32) {
		qsort(v, n, sizeof(v[0]), cmp_u16);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint16_t x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--) {
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

/* Hex values of v (n of them) joined by commas into b, GREASE and the skip values left out. */
static void
sb_hex_list(struct sb *b, const uint16_t *v, size_t n, bool skip_sni_alpn)
{
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (pm_tls_is_grease(v[i]) ||
		    (skip_sni_alpn && (v[i] == PM_TLS_EXT_SNI || v[i] == PM_TLS_EXT_ALPN))) {
			continue;
		}
		sb_num(b, first ? 0 : ',', v[i], true);
		first = false;
	}
}

static unsigned
count_non_grease(const struct pm_tls_list *l)
{
	unsigned k = 0;
	for (uint16_t i = 0; i < l->n; i++) {
		k += !pm_tls_is_grease(l->v[i]);
	}
	return k > 99 ? 99 : k;
}

/* The two characters of s (a JA4 version or ALPN pair) at o; returns the end. */
static char *
put2(char *o, const char s[2])
{
	o[0] = s[0];
	o[1] = s[1];
	return o + 2;
}

/* A count of at most 99 as two decimal digits at o; returns the end. */
static char *
put_count(char *o, unsigned k)
{
	o[0] = (char)('0' + k / 10);
	o[1] = (char)('0' + k % 10);
	return o + 2;
}

/* see tls.h */
void
pm_tls_ja4(const struct pm_tls_client_hello *h, char out[PM_TLS_JA4_MAX])
{
	char buf[PM_TLS_MAX_LIST * 5 * 2 + 2];
	uint16_t sorted[PM_TLS_MAX_LIST];
	char a[3], hb[13], hc[13];
	const uint8_t *first = NULL;
	size_t first_len = 0;
	if (h->alpn != NULL && h->alpn_len > 1 && h->alpn[0] != 0 && h->alpn[0] < h->alpn_len) {
		first = h->alpn + 1;
		first_len = h->alpn[0];
	}
	ja4_alpn(first, first_len, a);

	struct sb b = { buf, sizeof(buf), 0, false };
	buf[0] = '\0';
	memcpy(sorted, h->ciphers.v, h->ciphers.n * sizeof(sorted[0]));
	sort_u16(sorted, h->ciphers.n);
	sb_hex_list(&b, sorted, h->ciphers.n, false);
	sha12(buf, hb);

	b.len = 0;
	b.full = false;
	buf[0] = '\0';
	memcpy(sorted, h->exts.v, h->exts.n * sizeof(sorted[0]));
	sort_u16(sorted, h->exts.n);
	sb_hex_list(&b, sorted, h->exts.n, true);
	if (h->sig_algs.n != 0) {
		sb_add(&b, "_");
		sb_hex_list(&b, h->sig_algs.v, h->sig_algs.n, false);
	}
	sha12(buf, hc);
	/* t, version, d or i, two counts, ALPN, then the two hashes: "t%s%c%02u%02u%s_%s_%s" */
	char *o = out;
	*o++ = 't';
	o = put2(o, ja4_version(h->version));
	*o++ = h->sni != NULL ? 'd' : 'i';
	o = put_count(o, count_non_grease(&h->ciphers));
	o = put_count(o, count_non_grease(&h->exts));
	o = put2(o, a);
	*o++ = '_';
	memcpy(o, hb, 12);
	o[12] = '_';
	memcpy(o + 13, hc, 13);
}

/* see tls.h */
void
pm_tls_ja4s(const struct pm_tls_server_hello *h, char out[PM_TLS_JA4_MAX])
{
	char buf[PM_TLS_MAX_LIST * 5 + 1];
	char a[3], hc[13];
	ja4_alpn(h->alpn, h->alpn_len, a);
	struct sb b = { buf, sizeof(buf), 0, false };
	buf[0] = '\0';
	sb_hex_list(&b, h->exts.v, h->exts.n, false);
	sha12(buf, hc);
	/* t, version, extension count, ALPN, suite in hex, hash: "t%s%02u%s_%04x_%s" */
	char *o = out;
	*o++ = 't';
	o = put2(o, ja4_version(h->version));
	o = put_count(o, count_non_grease(&h->exts));
	o = put2(o, a);
	*o++ = '_';
	const uint8_t suite[2] = { (uint8_t)(h->cipher >> 8), (uint8_t)h->cipher };
	pm_tls_hex(suite, 2, o);
	o[4] = '_';
	memcpy(o + 5, hc, 13);
}
