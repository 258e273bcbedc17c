/* SPDX-License-Identifier: MIT */
/*
 * x509.c - the fields of an X.509 certificate from its DER (RFC 5280 §4.1,
 * X.690 §8 and §10 for the encoding).
 *
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
 *   TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
 *       signature, issuer, validity, subject, subjectPublicKeyInfo,
 *       [1] [2] OPTIONAL, [3] extensions OPTIONAL }
 *
 * Element lengths are read through sub-cursors, so a length that leaves
 * its container fails the cursor rather than reaching outside the bytes.
 */
#include "x509.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <bearssl.h>

#include "addr.h"
#include "cursor.h"
#include "tls.h"

#define DER_INT     0x02
#define DER_BITSTR  0x03
#define DER_OCTSTR  0x04
#define DER_OID     0x06
#define DER_UTCTIME 0x17
#define DER_GENTIME 0x18
#define DER_SEQ     0x30
#define DER_SET     0x31

/* One element: its tag and a cursor over its contents. False when c is short or bad. */
static bool
der_next(struct pm_cur *c, uint8_t *tag, struct pm_cur *val)
{
	*tag = pm_cur_u8(c);
	uint8_t l0 = pm_cur_u8(c);
	size_t len = l0;
	if ((*tag & 0x1F) == 0x1F) {
		return pm_cur_fail(c); /* high tag numbers do not occur in certificates */
	}
	if (l0 & 0x80) {
		unsigned k = l0 & 0x7F;
		if (k == 0 || k > 4) {
			return pm_cur_fail(c); /* indefinite or absurd */
		}
		len = 0;
		for (unsigned i = 0; i < k; i++) {
			len = len << 8 | pm_cur_u8(c);
		}
	}
	*val = pm_cur_sub(c, len);
	return pm_cur_ok(c);
}

/* The next element, which must have tag want. */
static bool
der_expect(struct pm_cur *c, uint8_t want, struct pm_cur *val)
{
	uint8_t tag;
	if (!der_next(c, &tag, val)) {
		return false;
	}
	if (tag != want) {
		return pm_cur_fail(c);
	}
	return true;
}

static bool
oid_is(const struct pm_cur *oid, const uint8_t *v, size_t n)
{
	return oid->len == n && memcmp(oid->buf, v, n) == 0;
}

#define OID(name, ...) static const uint8_t name[] = { __VA_ARGS__ }
OID(oid_san, 0x55, 0x1D, 0x11);
OID(oid_rsa, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01);
OID(oid_ec, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01);
OID(oid_dsa, 0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01);
OID(oid_ed25519, 0x2B, 0x65, 0x70);
OID(oid_p256, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07);
OID(oid_p384, 0x2B, 0x81, 0x04, 0x00, 0x22);
OID(oid_p521, 0x2B, 0x81, 0x04, 0x00, 0x23);

static const struct {
	uint8_t oid[9];
	uint8_t n;
	const char *name;
} sig_algs[] = {
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04 }, 9, "md5WithRSAEncryption" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05 }, 9, "sha1WithRSAEncryption" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A }, 9, "rsassaPss" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B }, 9, "sha256WithRSAEncryption" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C }, 9, "sha384WithRSAEncryption" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D }, 9, "sha512WithRSAEncryption" },
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01 }, 7, "ecdsa-with-SHA1" },
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02 }, 8, "ecdsa-with-SHA256" },
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03 }, 8, "ecdsa-with-SHA384" },
	{ { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04 }, 8, "ecdsa-with-SHA512" },
	{ { 0x2B, 0x65, 0x70 }, 3, "Ed25519" },
};

/*
 * Attribute types of a Name, keyed by OpenSSL's short names (what `openssl
 * x509 -nameopt RFC2253` prints, so tests/test_x509.c can compare): X.520
 * (2.5.4.x), PKCS #9 emailAddress, RFC 4519 UID and DC, and the CA/Browser
 * Forum's EV jurisdiction fields (1.3.6.1.4.1.311.60.2.1.x). Others are
 * written as their dotted OID (name_add_unknown).
 */
static const struct {
	uint8_t oid[11];
	uint8_t n;
	const char *key;
} name_keys[] = {
	{ { 0x55, 0x04, 0x03 }, 3, "CN" },
	{ { 0x55, 0x04, 0x04 }, 3, "SN" },
	{ { 0x55, 0x04, 0x05 }, 3, "serialNumber" },
	{ { 0x55, 0x04, 0x06 }, 3, "C" },
	{ { 0x55, 0x04, 0x07 }, 3, "L" },
	{ { 0x55, 0x04, 0x08 }, 3, "ST" },
	{ { 0x55, 0x04, 0x09 }, 3, "street" },
	{ { 0x55, 0x04, 0x0A }, 3, "O" },
	{ { 0x55, 0x04, 0x0B }, 3, "OU" },
	{ { 0x55, 0x04, 0x0C }, 3, "title" },
	{ { 0x55, 0x04, 0x0D }, 3, "description" },
	{ { 0x55, 0x04, 0x0F }, 3, "businessCategory" },
	{ { 0x55, 0x04, 0x11 }, 3, "postalCode" },
	{ { 0x55, 0x04, 0x2A }, 3, "GN" },
	{ { 0x55, 0x04, 0x2B }, 3, "initials" },
	{ { 0x55, 0x04, 0x2C }, 3, "generationQualifier" },
	{ { 0x55, 0x04, 0x2E }, 3, "dnQualifier" },
	{ { 0x55, 0x04, 0x41 }, 3, "pseudonym" },
	{ { 0x55, 0x04, 0x61 }, 3, "organizationIdentifier" },
	{ { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01 }, 9, "emailAddress" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01 }, 10, "UID" },
	{ { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19 }, 10, "DC" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x01 },
	  11,
	  "jurisdictionL" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x02 },
	  11,
	  "jurisdictionST" },
	{ { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03 },
	  11,
	  "jurisdictionC" },
};

static const char *
name_key(const struct pm_cur *oid)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(name_keys); i++) {
		if (oid_is(oid, name_keys[i].oid, name_keys[i].n)) {
			return name_keys[i].key;
		}
	}
	return NULL;
}

/*
 * The dotted form of an OID's contents (X.690 §8.19) into out, "?" when
 * the encoding is bad or does not fit. Arcs are read to 32 bits.
 */
static void
oid_text(const struct pm_cur *oid, char *out, size_t cap)
{
	size_t len = 0;
	uint32_t arc = 0;
	bool first = true;
	snprintf(out, cap, "?");
	for (size_t i = 0; i < oid->len; i++) {
		uint8_t b = oid->buf[i];
		if (arc > (UINT32_MAX >> 7)) {
			return;
		}
		arc = arc << 7 | (b & 0x7F);
		if (b & 0x80) {
			continue;
		}
		int w = first ? snprintf(out + len, cap - len, "%u.%u", arc < 80 ? arc / 40 : 2,
		                         arc < 80 ? arc % 40 : arc - 80)
		              : snprintf(out + len, cap - len, ".%u", arc);
		if (w < 0 || (size_t)w >= cap - len) {
			snprintf(out, cap, "?");
			return;
		}
		len += (size_t)w;
		arc = 0;
		first = false;
	}
	if (first || (oid->buf[oid->len - 1] & 0x80) != 0) {
		snprintf(out, cap, "?");
	}
}

/* Append one byte to out (len bytes so far, cap in all), printable or '?'. */
static void
put_char(char *out, size_t cap, size_t *len, uint32_t ch)
{
	if (*len + 1 < cap) {
		out[(*len)++] = ch >= 0x20 && ch != 0x7F && ch <= 0xFF ? (char)ch : '?';
	}
}

/* A code point as UTF-8; surrogates and values past U+10FFFF become '?'. */
static void
put_utf8(char *out, size_t cap, size_t *len, uint32_t cp)
{
	if (cp < 0x80 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
		put_char(out, cap, len, cp < 0x80 ? cp : '?');
		return;
	}
	uint8_t b[4];
	size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (size_t i = n; i-- > 1; cp >>= 6) {
		b[i] = (uint8_t)(0x80 | (cp & 0x3F));
	}
	b[0] = (uint8_t)(cp | (n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0));
	if (*len + n < cap) {
		memcpy(out + *len, b, n);
		*len += n;
	}
}

#define DER_UNIVSTR 0x1C /* UniversalString: UCS-4, big-endian */
#define DER_BMPSTR  0x1E /* BMPString: UCS-2, big-endian */

/*
 * Append a string's value: as sent (UTF8String, PrintableString, IA5String,
 * T61String) with control bytes as '?'; BMPString and UniversalString
 * become UTF-8.
 */
static void
put_value(char *out, size_t cap, size_t *len, uint8_t tag, const struct pm_cur *v)
{
	size_t unit = tag == DER_BMPSTR ? 2 : tag == DER_UNIVSTR ? 4 : 1;
	for (size_t i = 0; i + unit <= v->len; i += unit) {
		uint32_t ch = 0;
		for (size_t k = 0; k < unit; k++) {
			ch = ch << 8 | v->buf[i + k];
		}
		if (unit == 1) {
			put_char(out, cap, len, ch);
		} else {
			put_utf8(out, cap, len, ch);
		}
	}
	out[*len] = '\0';
}

/* Append "key=value" to a rendered name, ", " between attributes. */
static void
name_add(char *out, size_t cap, const char *key, uint8_t tag, const struct pm_cur *v)
{
	size_t len = strlen(out);
	int w = snprintf(out + len, cap - len, "%s%s=", len != 0 ? ", " : "", key);
	if (w < 0 || (size_t)w >= cap - len) {
		out[len] = '\0';
		return;
	}
	len += (size_t)w;
	put_value(out, cap, &len, tag, v);
}

/*
 * Append an attribute of a type name_keys lacks the way RFC 4514 §2.3-2.4
 * writes it: the dotted OID, '=', '#' and the hex of the value's whole DER
 * element (el, n bytes).
 */
static void
name_add_unknown(char *out, size_t cap, const struct pm_cur *oid, const uint8_t *el, size_t n)
{
	char key[64], hex[2 * 64 + 2];
	oid_text(oid, key, sizeof(key));
	hex[0] = '#';
	pm_tls_hex(el, n < 64 ? n : 64, hex + 1);
	struct pm_cur v = pm_cur_init((const uint8_t *)hex, strlen(hex));
	name_add(out, cap, key, 0, &v);
}

/* A string's value alone into out (see put_value). */
static void
copy_text(char *out, size_t cap, uint8_t tag, const struct pm_cur *v)
{
	size_t len = 0;
	put_value(out, cap, &len, tag, v);
}

/* Name ::= SEQUENCE OF SET OF AttributeTypeAndValue. cn gets the last commonName. */
static bool
read_name(struct pm_cur *c, char *out, size_t cap, char *cn, size_t cn_cap)
{
	struct pm_cur name, set, atv, oid, val;
	uint8_t tag;
	out[0] = '\0';
	if (!der_expect(c, DER_SEQ, &name)) {
		return false;
	}
	for (unsigned i = 0; i < 64 && pm_cur_left(&name) > 0; i++) {
		if (!der_expect(&name, DER_SET, &set)) {
			return pm_cur_fail(c);
		}
		for (unsigned j = 0; j < 8 && pm_cur_left(&set) > 0; j++) {
			if (!der_expect(&set, DER_SEQ, &atv) || !der_expect(&atv, DER_OID, &oid)) {
				return pm_cur_fail(c);
			}
			size_t at = atv.off;
			if (!der_next(&atv, &tag, &val)) {
				return pm_cur_fail(c);
			}
			const char *key = name_key(&oid);
			if (key == NULL) {
				name_add_unknown(out, cap, &oid, atv.buf + at, atv.off - at);
				continue;
			}
			name_add(out, cap, key, tag, &val);
			if (cn != NULL && strcmp(key, "CN") == 0) {
				copy_text(cn, cn_cap, tag, &val);
			}
		}
	}
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
digits(const uint8_t *p, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return false;
		}
		*v = *v * 10 + (unsigned)(p[i] - '0');
	}
	return true;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5). */
static bool
read_time(struct pm_cur *c, int64_t *out)
{
	struct pm_cur v;
	uint8_t tag;
	if (!der_next(c, &tag, &v)) {
		return false;
	}
	size_t yl = tag == DER_UTCTIME ? 2 : tag == DER_GENTIME ? 4 : 0;
	unsigned y, mo, d, h, mi, s;
	if (yl == 0 || v.len != yl + 11 || v.buf[v.len - 1] != 'Z' || !digits(v.buf, yl, &y) ||
	    !digits(v.buf + yl, 2, &mo) || !digits(v.buf + yl + 2, 2, &d) ||
	    !digits(v.buf + yl + 4, 2, &h) || !digits(v.buf + yl + 6, 2, &mi) ||
	    !digits(v.buf + yl + 8, 2, &s) || mo < 1 || mo > 12 || d < 1 || d > 31) {
		return pm_cur_fail(c);
	}
	if (yl == 2) {
		y += y < 50 ? 2000 : 1900;
	}
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

/* Bits of a positive INTEGER's magnitude. */
static uint32_t
int_bits(const struct pm_cur *v)
{
	size_t i = 0;
	while (i < v->len && v->buf[i] == 0) {
		i++;
	}
	if (i == v->len) {
		return 0;
	}
	uint32_t bits = (uint32_t)(v->len - i) * 8;
	for (uint8_t b = v->buf[i]; (b & 0x80) == 0; b <<= 1) {
		bits--;
	}
	return bits;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }. */
static bool
read_spki(struct pm_cur *c, struct pm_x509 *x)
{
	struct pm_cur spki, alg, oid, key, rsa, n;
	uint8_t tag;
	x->key_type = "unknown";
	if (!der_expect(c, DER_SEQ, &spki) || !der_expect(&spki, DER_SEQ, &alg) ||
	    !der_expect(&alg, DER_OID, &oid) || !der_expect(&spki, DER_BITSTR, &key)) {
		return pm_cur_fail(c);
	}
	if (oid_is(&oid, oid_rsa, sizeof(oid_rsa))) {
		x->key_type = "RSA";
		pm_cur_skip(&key, 1); /* unused bits */
		if (der_expect(&key, DER_SEQ, &rsa) && der_expect(&rsa, DER_INT, &n)) {
			x->key_bits = int_bits(&n);
		}
	} else if (oid_is(&oid, oid_ec, sizeof(oid_ec))) {
		x->key_type = "EC";
		if (der_next(&alg, &tag, &oid) && tag == DER_OID) {
			x->key_bits = oid_is(&oid, oid_p256, sizeof(oid_p256))   ? 256
			              : oid_is(&oid, oid_p384, sizeof(oid_p384)) ? 384
			              : oid_is(&oid, oid_p521, sizeof(oid_p521)) ? 521
			                                                         : 0;
		}
	} else if (oid_is(&oid, oid_ed25519, sizeof(oid_ed25519))) {
		x->key_type = "Ed25519";
		x->key_bits = 256;
	} else if (oid_is(&oid, oid_dsa, sizeof(oid_dsa))) {
		x->key_type = "DSA";
	}
	return true;
}

static void
add_san(struct pm_x509 *x, uint8_t tag, const struct pm_cur *v)
{
	if (x->sans_total < UINT16_MAX) {
		x->sans_total++;
	}
	if (x->n_sans >= PM_X509_MAX_SANS) {
		return;
	}
	char *out = x->sans[x->n_sans];
	if (tag == 0x82) {
		copy_text(out, PM_X509_MAX_SAN, 0, v);
	} else if (tag == 0x87 && (v->len == 4 || v->len == 16)) {
		uint8_t a[16] = { 0 };
		memcpy(a, v->buf, v->len);
		char s[48];
		pm_addr_str(a, v->len == 4 ? 4 : 6, s);
		snprintf(out, PM_X509_MAX_SAN, "%s", s);
	} else {
		return;
	}
	x->n_sans++;
}

/* Extensions ::= SEQUENCE OF Extension; only subjectAltName is read. */
static void
read_exts(struct pm_cur *c, struct pm_x509 *x)
{
	struct pm_cur exts, ext, oid, val, names, gn;
	uint8_t tag;
	if (!der_expect(c, DER_SEQ, &exts)) {
		return;
	}
	for (unsigned i = 0; i < 64 && pm_cur_left(&exts) > 0; i++) {
		if (!der_expect(&exts, DER_SEQ, &ext) || !der_expect(&ext, DER_OID, &oid)) {
			return;
		}
		if (!oid_is(&oid, oid_san, sizeof(oid_san))) {
			continue;
		}
		if (pm_cur_peek(&ext, 0) == 0x01) { /* critical BOOLEAN */
			(void)der_next(&ext, &tag, &val);
		}
		if (!der_expect(&ext, DER_OCTSTR, &val) || !der_expect(&val, DER_SEQ, &names)) {
			return;
		}
		for (unsigned j = 0; j < 1024 && pm_cur_left(&names) > 0; j++) {
			if (!der_next(&names, &tag, &gn)) {
				return;
			}
			add_san(x, tag, &gn);
		}
	}
}

/* TBSCertificate. */
static int
read_tbs(struct pm_cur *tbs, struct pm_x509 *x)
{
	struct pm_cur v, serial, alg, validity;
	uint8_t tag;
	if (pm_cur_peek(tbs, 0) == 0xA0) {
		(void)der_next(tbs, &tag, &v);
	}
	if (!der_expect(tbs, DER_INT, &serial) || !der_expect(tbs, DER_SEQ, &alg)) {
		return PM_E_MALFORMED;
	}
	size_t sn = serial.len;
	const uint8_t *sp = serial.buf;
	if (sn > 1 && sp[0] == 0) {
		sp++;
		sn--;
	}
	pm_tls_hex(sp, sn < 20 ? sn : 20, x->serial);
	const uint8_t *issuer_at = tbs->buf + tbs->off;
	if (!read_name(tbs, x->issuer, sizeof(x->issuer), NULL, 0)) {
		return PM_E_MALFORMED;
	}
	size_t issuer_len = (size_t)(tbs->buf + tbs->off - issuer_at);
	if (!der_expect(tbs, DER_SEQ, &validity) || !read_time(&validity, &x->not_before) ||
	    !read_time(&validity, &x->not_after)) {
		return PM_E_MALFORMED;
	}
	const uint8_t *subject_at = tbs->buf + tbs->off;
	if (!read_name(tbs, x->subject, sizeof(x->subject), x->subject_cn, sizeof(x->subject_cn))) {
		return PM_E_MALFORMED;
	}
	size_t subject_len = (size_t)(tbs->buf + tbs->off - subject_at);
	x->self_signed =
	    issuer_len == subject_len && memcmp(issuer_at, subject_at, issuer_len) == 0;
	if (!read_spki(tbs, x)) {
		return PM_E_MALFORMED;
	}
	for (unsigned i = 0; i < 4 && pm_cur_left(tbs) > 0; i++) {
		if (!der_next(tbs, &tag, &v)) {
			return PM_E_MALFORMED;
		}
		if (tag == 0xA3) {
			read_exts(&v, x);
		}
	}
	return 0;
}

/* see x509.h */
int
pm_x509_parse(const uint8_t *p, size_t n, struct pm_x509 *out)
{
	memset(out, 0, sizeof(*out));
	out->key_type = "unknown";
	out->sig_alg = "unknown";
	struct pm_cur c = pm_cur_init(p, n), cert, tbs, alg, oid;
	if (!der_expect(&c, DER_SEQ, &cert)) {
		return PM_E_TRUNC;
	}
	br_sha1_context s1;
	br_sha1_init(&s1);
	br_sha1_update(&s1, p, c.off);
	br_sha1_out(&s1, out->sha1);
	br_sha256_context s2;
	br_sha256_init(&s2);
	br_sha256_update(&s2, p, c.off);
	br_sha256_out(&s2, out->sha256);
	if (!der_expect(&cert, DER_SEQ, &tbs)) {
		return PM_E_MALFORMED;
	}
	int rc = read_tbs(&tbs, out);
	if (rc != 0) {
		return rc;
	}
	if (der_expect(&cert, DER_SEQ, &alg) && der_expect(&alg, DER_OID, &oid)) {
		for (size_t i = 0; i < PM_ARRAY_LEN(sig_algs); i++) {
			if (oid_is(&oid, sig_algs[i].oid, sig_algs[i].n)) {
				out->sig_alg = sig_algs[i].name;
			}
		}
	}
	return 0;
}

static bool
label_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) {
			return false;
		}
	}
	return true;
}

/* One presented name against the host. */
static bool
name_covers(const char *name, const char *host, size_t len)
{
	size_t nl = strlen(name);
	if (nl > 2 && name[0] == '*' && name[1] == '.') {
		const char *dot = memchr(host, '.', len);
		if (dot == NULL || dot == host) {
			return false;
		}
		size_t rest = len - (size_t)(dot - host);
		return rest == nl - 1 && label_eq(dot, name + 1, rest);
	}
	return nl == len && label_eq(name, host, len);
}

/* see x509.h */
bool
pm_x509_covers(const struct pm_x509 *x, const char *host, size_t len)
{
	if (x->sans_total == 0) {
		return name_covers(x->subject_cn, host, len);
	}
	for (uint8_t i = 0; i < x->n_sans; i++) {
		if (name_covers(x->sans[i], host, len)) {
			return true;
		}
	}
	return false;
}
