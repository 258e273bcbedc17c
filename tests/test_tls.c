/* SPDX-License-Identifier: MIT */
/*
 * test_tls.c - the TLS parsers and fingerprints against crafted hellos
 * (JA4 against the JA4 reference's published example lists), the DER
 * reader against a certificate made with openssl (facts from `openssl x509
 * -noout -subject -issuer -serial -dates -fingerprint`), truncation sweeps
 * against a guard page, a crafted capture (ClientHello split over segments
 * that arrive out of order), and agreement with tshark on the corpus
 * (tests/tls_expected.tsv, made by tests/mk_tls_expected.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "decode.h"
#include "guard.h"
#include "json.h"
#include "pcapbuild.h"
#include "test.h"
#include "tls.h"
#include "tlsknown.h"
#include "tlsstats.h"
#include "x509.h"

#define TLS_TSV      "tests/tls_expected.tsv"
#define TLS_MAX_LINE 4096

/* A byte builder for hellos. */
struct bb {
	uint8_t p[2048];
	size_t n;
};

static void
put(struct bb *b, const void *s, size_t n)
{
	if (n > sizeof(b->p) - b->n) {
		abort();
	}
	if (n == 0) {
		return;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void
u8(struct bb *b, uint8_t v)
{
	put(b, &v, 1);
}

static void
u16(struct bb *b, uint16_t v)
{
	u8(b, (uint8_t)(v >> 8));
	u8(b, (uint8_t)v);
}

/* Patch a 16-bit length at off to cover everything after it. */
static void
len16_at(struct bb *b, size_t off)
{
	size_t n = b->n - off - 2;
	b->p[off] = (uint8_t)(n >> 8);
	b->p[off + 1] = (uint8_t)n;
}

static void
ext(struct bb *b, uint16_t type, const void *data, size_t n)
{
	u16(b, type);
	u16(b, (uint16_t)n);
	put(b, data, n);
}

/*
 * A Chrome-like ClientHello body: the cipher and extension lists of the JA4
 * reference's example (FoxIO JA4 technical details), with GREASE.
 */
static size_t ch_noext_len; /* bytes before the extensions block */

static void
client_hello(struct bb *b)
{
	static const uint16_t ciphers[] = { 0x0A0A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F,
		                            0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014,
		                            0x009C, 0x009D, 0x002F, 0x0035 };
	static const uint8_t sni[] = { 0,   14,  0,   0,   11,  'e', 'x', 'a',
		                       'm', 'p', 'l', 'e', '.', 'c', 'o', 'm' };
	static const uint8_t groups[] = { 0, 8, 0x2A, 0x2A, 0, 0x1D, 0, 0x17, 0, 0x18 };
	static const uint8_t alpn[] = { 0,   12,  2,   'h', '2', 8,   'h',
		                        't', 't', 'p', '/', '1', '.', '1' };
	static const uint8_t status[] = { 1, 0, 0, 0, 0 };
	static const uint8_t sigs[] = { 0, 16, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5, 5, 1, 8, 6, 6, 1 };
	static const uint8_t vers[] = { 6, 0x3A, 0x3A, 3, 4, 3, 3 };
	static const uint8_t alps[] = { 0, 3, 2, 'h', '2' };
	uint8_t ks[2 + 5 + 36] = { 0, 41, 0x2A, 0x2A, 0, 1, 0, 0, 0x1D, 0, 32 };
	uint8_t zero[32] = { 0 };
	b->n = 0;
	u16(b, 0x0303);
	put(b, zero, 32);
	u8(b, 0);
	u16(b, sizeof(ciphers));
	for (size_t i = 0; i < PM_ARRAY_LEN(ciphers); i++) {
		u16(b, ciphers[i]);
	}
	u8(b, 1);
	u8(b, 0);
	ch_noext_len = b->n;
	size_t at = b->n;
	u16(b, 0);
	ext(b, 0x1A1A, NULL, 0);
	ext(b, 0x0000, sni, sizeof(sni));
	ext(b, 0x0017, NULL, 0);
	ext(b, 0xFF01, zero, 1);
	ext(b, 0x000A, groups, sizeof(groups));
	ext(b, 0x000B, (const uint8_t[]){ 1, 0 }, 2);
	ext(b, 0x0023, NULL, 0);
	ext(b, 0x0010, alpn, sizeof(alpn));
	ext(b, 0x0005, status, sizeof(status));
	ext(b, 0x000D, sigs, sizeof(sigs));
	ext(b, 0x0012, NULL, 0);
	ext(b, 0x0033, ks, sizeof(ks));
	ext(b, 0x002D, (const uint8_t[]){ 1, 1 }, 2);
	ext(b, 0x002B, vers, sizeof(vers));
	ext(b, 0x001B, (const uint8_t[]){ 2, 0, 2 }, 3);
	ext(b, 0x4469, alps, sizeof(alps));
	ext(b, 0x0015, zero, 8);
	len16_at(b, at);
}

static size_t sh_noext_len;

static void
server_hello(struct bb *b)
{
	uint8_t zero[34] = { 0 };
	b->n = 0;
	u16(b, 0x0303);
	put(b, zero, 32);
	u8(b, 0);
	u16(b, 0x1301);
	u8(b, 0);
	sh_noext_len = b->n;
	size_t at = b->n;
	u16(b, 0);
	ext(b, 0x002B, (const uint8_t[]){ 3, 4 }, 2);
	uint8_t ks[36] = { 0, 0x1D, 0, 32 };
	ext(b, 0x0033, ks, sizeof(ks));
	len16_at(b, at);
}

static void
test_hellos(void)
{
	struct bb b;
	client_hello(&b);
	struct pm_tls_client_hello h;
	CHECK_EQ(pm_tls_parse_client_hello(pm_guard(b.p, b.n), b.n, &h), 0);
	CHECK_EQ(h.legacy_version, 0x0303);
	CHECK_EQ(h.version, 0x0304);
	CHECK_EQ(h.ciphers.n, 16);
	CHECK_EQ(h.exts.n, 17);
	CHECK_EQ(h.groups.n, 4);
	CHECK_EQ(h.sig_algs.n, 8);
	CHECK_EQ(h.key_shares.n, 2);
	CHECK(h.grease);
	CHECK(!h.ech);
	CHECK(h.sni != NULL && h.sni_len == 11 && memcmp(h.sni, "example.com", 11) == 0);
	char ja3[PM_TLS_JA3_MAX], md5[PM_TLS_HASH_HEX], ja4[PM_TLS_JA4_MAX];
	pm_tls_ja3(&h, ja3, sizeof(ja3), md5);
	CHECK_STR(ja3, "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-"
	               "157-47-53,0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0");
	CHECK_STR(md5, "cd08e31494f9531f560d64c695473da9"); /* python3 hashlib.md5 of the string */
	pm_tls_ja4(&h, ja4);
	CHECK_STR(ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1"); /* the JA4 reference's example */

	struct bb s;
	server_hello(&s);
	struct pm_tls_server_hello sh;
	CHECK_EQ(pm_tls_parse_server_hello(pm_guard(s.p, s.n), s.n, &sh), 0);
	CHECK_EQ(sh.version, 0x0304);
	CHECK_EQ(sh.cipher, 0x1301);
	CHECK(!sh.hrr);
	pm_tls_ja3s(&sh, ja3, sizeof(ja3), md5);
	CHECK_STR(ja3, "771,4865,43-51");
	CHECK_STR(md5, "f4febc55ea12b31ae17cfb7e614afda8");
	pm_tls_ja4s(&sh, ja4);
	CHECK_STR(ja4, "t130200_1301_a56c5b993250"); /* sha256("002b,0033")[:12] */

	/* truncation sweeps: every prefix fails cleanly (or is a hello without extensions) */
	unsigned bad = 0;
	for (size_t n = 0; n < b.n; n++) {
		int rc = pm_tls_parse_client_hello(pm_guard(b.p, n), n, &h);
		bad += n == ch_noext_len ? rc != 0 : n < ch_noext_len ? rc != PM_E_TRUNC : rc == 0;
	}
	for (size_t n = 0; n < s.n; n++) {
		int rc = pm_tls_parse_server_hello(pm_guard(s.p, n), n, &sh);
		bad += n == sh_noext_len ? rc != 0 : n < sh_noext_len ? rc != PM_E_TRUNC : rc == 0;
	}
	CHECK_EQ(bad, 0);
	CHECK(pm_tls_is_grease(0xFAFA));
	CHECK(!pm_tls_is_grease(0xFA0A));
}

static const char cert_hex[] = "308201ea30820190a00302010202041234abcd300a06082a8648ce3d040302303b3"
                               "10b30090603550406130255533115"
                               "3013060355040a0c0c706361706d637020746573743115301306035504030c0c746"
                               "573742e6578616d706c65301e170d"
                               "3236313230313232313831385a170d3236313233313232313831385a303b310b300"
                               "90603550406130255533115301306"
                               "0355040a0c0c706361706d637020746573743115301306035504030c0c746573742"
                               "e6578616d706c653059301306072a"
                               "8648ce3d020106082a8648ce3d03010703420004be67930b10a8cdb50037ac4813e"
                               "a12dd1128eb49013a6d3d1a205e78"
                               "8b0a93b0cfd5ca3a985be62cb2965f20508841cb3b7a7ac36d890617b19defe3c9b"
                               "76681a38181307f301d0603551d0e"
                               "041604149a0b1af615d55860fbcdc78011bb6870090869fc301f0603551d2304183"
                               "01680149a0b1af615d55860fbcdc7"
                               "8011bb6870090869fc300f0603551d130101ff040530030101ff302c0603551d110"
                               "4253023820c746573742e6578616d"
                               "706c65820d2a2e6578616d706c652e6f726787047f000001300a06082a8648ce3d0"
                               "403020348003045022044a65198c0"
                               "29c70f2cebba81276589833c3292c997d14dc7cf43304b0467699f022100aba8ef3"
                               "c37bcd13db1c3e8ecc76b575d426c"
                               "7b261959e5bdff3e1bfc909d36a4";

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (; s[0] != '\0' && s[1] != '\0' && n < cap; s += 2) {
		unsigned v;
		if (sscanf(s, "%2x", &v) != 1) {
			break;
		}
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void
test_x509(void)
{
	uint8_t der[1024];
	size_t n = unhex(cert_hex, der, sizeof(der));
	CHECK_EQ(n, 494);
	struct pm_x509 *x = malloc(sizeof(*x));
	if (x == NULL) {
		CHECK(x != NULL);
		return;
	}
	CHECK_EQ(pm_x509_parse(pm_guard(der, n), n, x), 0);
	CHECK_STR(x->subject, "C=US, O=pcapmcp test, CN=test.example");
	CHECK_STR(x->issuer, "C=US, O=pcapmcp test, CN=test.example");
	CHECK_STR(x->subject_cn, "test.example");
	CHECK_STR(x->serial, "1234abcd");
	CHECK_EQ(x->not_before, 1796163498); /* Dec  1 22:18:18 2026 GMT */
	CHECK_EQ(x->not_after, 1798755498);  /* Dec 31 22:18:18 2026 GMT */
	CHECK_EQ(x->n_sans, 3);
	CHECK_STR(x->sans[0], "test.example");
	CHECK_STR(x->sans[1], "*.example.org");
	CHECK_STR(x->sans[2], "127.0.0.1");
	CHECK_STR(x->key_type, "EC");
	CHECK_EQ(x->key_bits, 256);
	CHECK_STR(x->sig_alg, "ecdsa-with-SHA256");
	CHECK(x->self_signed);
	char hex[65];
	pm_tls_hex(x->sha1, 20, hex);
	CHECK_STR(hex, "d3a92e1dd133987669b23dde959dabd39e4dd0ee");
	pm_tls_hex(x->sha256, 32, hex);
	CHECK_STR(hex, "1785de19a9c9e32f9ea78816c68507414fd58acf4713eae4ddead445fad1f2a3");
	CHECK(pm_x509_covers(x, "test.example", 12));
	CHECK(pm_x509_covers(x, "www.EXAMPLE.org", 15));
	CHECK(!pm_x509_covers(x, "a.b.example.org", 15));
	CHECK(!pm_x509_covers(x, "example.org", 11));
	unsigned bad = 0;
	for (size_t k = 0; k < n; k++) {
		bad += pm_x509_parse(pm_guard(der, k), k, x) == 0;
	}
	CHECK_EQ(bad, 0);
	free(x);
}

/* Append one Ethernet/IPv4/TCP frame carrying n payload bytes from p. */
static void
seg(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint8_t flags, const uint8_t *p, size_t n)
{
	static uint8_t f[14 + 20 + 20 + 2048];
	if (n > 2048) {
		abort();
	}
	memset(f, 0, 14 + 20 + 20);
	f[0] = 0x02;
	f[6] = 0x02;
	f[11] = 1;
	pb_be16(f + 12, PM_ETH_IPV4);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	pb_be16(ip + 2, (uint32_t)(40 + n));
	ip[8] = 64;
	ip[9] = PM_IPPROTO_TCP;
	pb_be32(ip + 12, src);
	pb_be32(ip + 16, dst);
	uint8_t *t = ip + 20;
	pb_be16(t, sport);
	pb_be16(t + 2, dport);
	pb_be32(t + 4, seq);
	pb_be32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = flags;
	pb_be16(t + 14, 65535);
	if (n != 0) {
		memcpy(t + 20, p, n);
	}
	pb_record(b, f, 14 + 20 + 20 + n);
}

/* A record of type ct around the n bytes at p, with a handshake header of type hs when hs != 0. */
static void
record(struct bb *out, uint8_t ct, uint8_t hs, const uint8_t *p, size_t n)
{
	size_t inner = n + (hs != 0 ? 4 : 0);
	u8(out, ct);
	u16(out, 0x0303);
	u16(out, (uint16_t)inner);
	if (hs != 0) {
		u8(out, hs);
		u8(out, (uint8_t)(n >> 16));
		u16(out, (uint16_t)n);
	}
	put(out, p, n);
}

#define CLI 0x0A000002u
#define SRV 0x5DB8D822u /* 93.184.216.34 */

/* client_hello's with another last suite (0x0039) and server name (lxample.com). */
static void
other_hello(struct bb *ch)
{
	ch->p[2 + 32 + 1 + 2 + 15 * 2 + 1] = 0x39; /* the 16th suite's low byte */
	for (size_t i = 0; i + 11 <= ch->n; i++) {
		if (memcmp(ch->p + i, "example.com", 11) == 0) {
			ch->p[i] = 'l';
		}
	}
}

/*
 * client_hello with one field of the fingerprints changed: each variant
 * differs from the others in what only one of JA3 and JA4, or both, is
 * made of, so a fingerprint kept for one hello and wrongly given to another
 * shows. Each finds a byte pattern of client_hello and changes one byte.
 */
static const struct {
	const char *find;
	size_t len, at;
	uint8_t to;
	const char *what;
} variants[] = {
	{ "\x03\x03", 2, 1, 0x02, "legacy version 0x0302 (JA3)" },
	{ "\x00\x1d\x00\x17", 4, 1, 0x1e, "group x448 for x25519 (JA3)" },
	{ "\x00\x0b\x00\x02\x01\x00", 6, 5, 0x01, "point format 1 (JA3)" },
	{ "\x00\x10\x04\x03", 4, 3, 0x01, "first signature 0x0401 (JA4)" },
	{ "\x02h2\x08http", 8, 2, '3', "ALPN h3 (JA4)" },
	{ "\x03\x04\x03\x03", 4, 1, 0x03, "highest supported version 1.2 (JA4)" },
	{ "\x00\x00\x00\x10\x00\x0e", 6, 1, 0xFE, "no server_name (both)" },
	{ "\x00\x0e\x00\x00\x0b", 5, 2, 0x01, "a server_name without a host_name (JA4)" },
	{ "\x00\x9c\x00\x9d", 4, 3, 0x9e, "a suite for another (both)" },
};

static void
variant_hello(struct bb *ch, size_t k)
{
	client_hello(ch);
	for (size_t i = 0; i + variants[k].len <= ch->n; i++) {
		if (memcmp(ch->p + i, variants[k].find, variants[k].len) == 0) {
			ch->p[i + variants[k].at] = variants[k].to;
			return;
		}
	}
	CHECK(!"a variant's pattern is not in client_hello");
}

/*
 * One TLS 1.2 connection from client cli, port cp; bad_cert breaks the
 * certificate's DER; other offers another last suite (0x0039, so another
 * JA3 and JA4), asks for lxample.com and is answered with another suite.
 */
static void
tls12_flow_as(struct pcapbuf *b, uint32_t cli, uint16_t cp, bool bad_cert, bool other,
              const struct bb *hello)
{
	struct bb ch, rec_c, rec_s, body;
	if (hello != NULL) {
		ch = *hello;
	} else {
		client_hello(&ch);
	}
	if (other) {
		other_hello(&ch);
	}
	rec_c.n = 0;
	record(&rec_c, PM_TLS_CT_HANDSHAKE, PM_TLS_HS_CLIENT_HELLO, ch.p, ch.n);
	/* ServerHello (TLS 1.2, ECDHE-RSA-AES128-GCM) + Certificate + ServerHelloDone */
	body.n = 0;
	u16(&body, 0x0303);
	uint8_t zero[32] = { 0 };
	put(&body, zero, 32);
	u8(&body, 0);
	u16(&body, other ? 0xC030 : 0xC02F);
	u8(&body, 0);
	u16(&body, 5);
	ext(&body, 0xFF01, zero, 1);
	rec_s.n = 0;
	record(&rec_s, PM_TLS_CT_HANDSHAKE, PM_TLS_HS_SERVER_HELLO, body.p, body.n);
	uint8_t der[1024];
	size_t dn = unhex(cert_hex, der, sizeof(der));
	if (bad_cert) {
		der[0] = 0x31; /* a SET, not the Certificate SEQUENCE */
	}
	struct bb msgs;
	msgs.n = 0;
	u8(&msgs, PM_TLS_HS_CERTIFICATE);
	u8(&msgs, 0);
	u16(&msgs, (uint16_t)(dn + 6));
	u8(&msgs, 0);
	u16(&msgs, (uint16_t)(dn + 3));
	u8(&msgs, 0);
	u16(&msgs, (uint16_t)dn);
	put(&msgs, der, dn);
	u8(&msgs, PM_TLS_HS_SERVER_DONE);
	u16(&msgs, 0);
	u8(&msgs, 0);
	record(&rec_s, PM_TLS_CT_HANDSHAKE, 0, msgs.p, msgs.n);

	uint32_t cs = 1000, ss = 5000;
	seg(b, cli, SRV, cp, 443, cs, 0, PM_TCP_SYN, NULL, 0);
	seg(b, SRV, cli, 443, cp, ss, cs + 1, PM_TCP_SYN | PM_TCP_ACK, NULL, 0);
	seg(b, cli, SRV, cp, 443, cs + 1, ss + 1, PM_TCP_ACK, NULL, 0);
	/* the ClientHello in three pieces: the last first, then the first, a copy, the middle */
	size_t a = 100, m = 200;
	seg(b, cli, SRV, cp, 443, cs + 1 + (uint32_t)m, ss + 1, PM_TCP_ACK, rec_c.p + m,
	    rec_c.n - m);
	seg(b, cli, SRV, cp, 443, cs + 1, ss + 1, PM_TCP_ACK, rec_c.p, a);
	seg(b, cli, SRV, cp, 443, cs + 1, ss + 1, PM_TCP_ACK, rec_c.p, a);
	seg(b, cli, SRV, cp, 443, cs + 1 + (uint32_t)a, ss + 1, PM_TCP_ACK | PM_TCP_PSH,
	    rec_c.p + a, m - a);
	uint32_t cend = cs + 1 + (uint32_t)rec_c.n;
	/* the server's flight in two segments */
	size_t half = rec_s.n / 2;
	seg(b, SRV, cli, 443, cp, ss + 1, cend, PM_TCP_ACK, rec_s.p, half);
	seg(b, SRV, cli, 443, cp, ss + 1 + (uint32_t)half, cend, PM_TCP_ACK | PM_TCP_PSH,
	    rec_s.p + half, rec_s.n - half);
	uint32_t send = ss + 1 + (uint32_t)rec_s.n;
	/* ChangeCipherSpec, an encrypted Finished, application data */
	struct bb fin;
	fin.n = 0;
	record(&fin, PM_TLS_CT_CCS, 0, (const uint8_t[]){ 1 }, 1);
	record(&fin, PM_TLS_CT_HANDSHAKE, 0, zero, 32);
	record(&fin, PM_TLS_CT_APPDATA, 0, zero, 24);
	seg(b, cli, SRV, cp, 443, cend, send, PM_TCP_ACK | PM_TCP_PSH, fin.p, fin.n);
}

static void
tls12_flow(struct pcapbuf *b, uint16_t cp, bool bad_cert)
{
	tls12_flow_as(b, CLI, cp, bad_cert, false, NULL);
}

static void
tls12_capture(struct pcapbuf *b)
{
	pb_start(b);
	tls12_flow(b, 40000, false);
}

/* The TLS analyser alone over the capture in b into a; NULL (a failed check, a freed) when it fails. */
static const struct pm_tls *
run_tls(struct pm_analysis *a, const struct pcapbuf *b)
{
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
	if (pm_analysis_run_mem(a, b->p, b->n, &o, &err) != 0) {
		CHECK(!"analysis failed");
		return NULL;
	}
	const struct pm_tls *t = pm_an_tls(a);
	CHECK(t != NULL);
	if (t == NULL) {
		pm_analysis_free(a);
	}
	return t;
}

/* The view of t (feed: known fingerprints, or NULL) as one JSON object in w (the caller frees it). */
static void
tls_json(const struct pm_tls *t, const struct pm_ja3_feed *feed, uint64_t limit, struct pm_json *w)
{
	pm_json_init(w, 0);
	pm_json_obj_begin(w);
	CHECK_EQ(pm_tls_view(t, feed, limit, 0, w), 0);
	pm_json_obj_end(w);
	CHECK_EQ(pm_json_finish(w), 0);
}

/*
 * The same certificate to two clients, a broken one to two more, and the
 * first again: parsed once per distinct DER, yet counted, referenced and
 * refused per handshake. The broken DER differs from the good one in its
 * first byte only, so it shares the good one's slot of the memo of recent
 * certificates and takes it over: only a compare of every byte tells them
 * apart, and the good one, met again, is found by its hash.
 */
static void
test_cert_once(void)
{
	struct pcapbuf b;
	pb_start(&b);
	tls12_flow(&b, 40000, false);
	tls12_flow(&b, 40001, false);
	tls12_flow(&b, 40002, true);
	tls12_flow(&b, 40003, true);
	tls12_flow(&b, 40004, false);
	static struct pm_analysis a;
	const struct pm_tls *t = run_tls(&a, &b);
	if (t == NULL) {
		pb_free(&b);
		return;
	}
	CHECK_EQ(t->n_rows, 5);
	if (t->n_rows == 5) {
		CHECK_EQ(t->certificates, 5);
		CHECK_EQ(t->n_certs, 1);
		CHECK_EQ(t->bad_certs, 2);
		CHECK_EQ(t->der_seen.count, 2);
		CHECK_EQ(t->rows[0].cert, 0);
		CHECK_EQ(t->rows[1].cert, 0);
		CHECK_EQ(t->rows[2].cert, -1);
		CHECK_EQ(t->rows[3].cert, -1);
		CHECK_EQ(t->rows[4].cert, 0);
	}
	pm_analysis_free(&a);
	pb_free(&b);
}

static void
test_capture(void)
{
	struct pcapbuf b;
	tls12_capture(&b);
	static struct pm_analysis a;
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
	if (pm_analysis_run_mem(&a, b.p, b.n, &o, &err) != 0) {
		CHECK(!"analysis failed");
		pb_free(&b);
		return;
	}
	const struct pm_tls *t = pm_an_tls(&a);
	CHECK(t != NULL);
	if (t != NULL) {
		CHECK_EQ(t->n_rows, 1);
		CHECK_EQ(t->client_hellos, 1);
		CHECK_EQ(t->server_hellos, 1);
		CHECK_EQ(t->certificates, 1);
		CHECK_EQ(t->n_certs, 1);
		CHECK_EQ(t->pool.retrans, 1);
		CHECK_EQ(t->pool.conflicts, 0);
		CHECK_EQ(t->pool.bytes, 0);
		const struct pm_tls_row *r = &t->rows[0];
		CHECK_STR(r->sni, "example.com");
		CHECK_STR(r->ja3_hash, "cd08e31494f9531f560d64c695473da9");
		CHECK_STR(r->ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
		CHECK_EQ(r->version, 0x0303);
		CHECK_EQ(r->cipher, 0xC02F);
		CHECK_STR(r->ja3s, "771,49199,65281");
		CHECK(r->established);
		CHECK_EQ(r->cert, 0);
		CHECK_EQ(r->server_port, 443);
		struct pm_json w;
		tls_json(t, NULL, 50, &w);
		CHECK(strstr(w.buf, "\"self_signed_certificate\"") != NULL);
		CHECK(strstr(w.buf, "\"sni_mismatch\"") != NULL);
		CHECK(strstr(w.buf, "\"certificate_not_yet_valid\"") != NULL);
		CHECK(strstr(w.buf, "\"no_sni_public\"") == NULL);
		CHECK(strstr(w.buf, "\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\":1") != NULL);
		pm_json_free(&w);
	}
	pm_analysis_free(&a);
	/* every prefix of the capture analyses without a crash and never invents a row */
	for (size_t n = 24; n < b.n; n += 7) {
		if (pm_analysis_run_mem(&a, b.p, n, &o, &err) == 0) {
			CHECK(pm_an_tls(&a)->n_rows <= 1);
			pm_analysis_free(&a);
		}
	}
	pb_free(&b);
}

/* More handshakes than rows: each handshake beyond the list counts once, not once per message. */
static void
test_rows_full(void)
{
	enum { EXTRA = 3 };
	struct pcapbuf b;
	pb_start(&b);
	for (unsigned i = 0; i < PM_TLS_MAX_HANDSHAKES; i++) {
		tls12_flow(&b, (uint16_t)(20000 + i), false);
	}
	/* past the rows: what only these handshakes carry is still in the statistics */
	for (unsigned i = 0; i < EXTRA; i++) {
		tls12_flow_as(&b, CLI + 1 + i % 2, (uint16_t)(50000 + i), false, true, NULL);
	}
	/* and hellos that differ in one field each, after the plain one, twice over */
	tls12_flow_as(&b, CLI + 3, 51000, false, false, NULL);
	for (unsigned i = 0; i < 2 * PM_ARRAY_LEN(variants); i++) {
		struct bb ch;
		variant_hello(&ch, i % PM_ARRAY_LEN(variants));
		tls12_flow_as(&b, CLI + 3, (uint16_t)(51001 + i), false, false, &ch);
	}
	enum { LATE = EXTRA + 1 + 2 * PM_ARRAY_LEN(variants) };
	static struct pm_analysis a;
	const struct pm_tls *t = run_tls(&a, &b);
	if (t == NULL) {
		pb_free(&b);
		return;
	}
	CHECK_EQ(t->n_rows, PM_TLS_MAX_HANDSHAKES);
	CHECK_EQ(t->rows_dropped, LATE);
	CHECK_EQ(t->client_hellos, PM_TLS_MAX_HANDSHAKES + LATE);
	CHECK_EQ(t->certificates, PM_TLS_MAX_HANDSHAKES + LATE);
	struct pm_json w;
	tls_json(t, NULL, 5, &w);
	/* the rows' hellos and the late ones, counted apart */
	static const char *const want[] = {
		"\"established\":20022,\"grease_hellos\":20022",
		"\"versions\":{\"TLS 1.2\":20022}",
		"\"cipher_suites\":{\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\":20019,"
		"\"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\":3}",
		"\"snis\":{\"example.com\":20015,\"lxample.com\":3}",
		"\"alpns\":{\"h2\":20020,\"h3\":2}",
		"\"count\":20009,\"clients\":2},{\"value\":",
		"\"approximate\":true",
	};
	/* a statistic that missed the handshakes past the rows shows here */
	CHECK_EQ(pm_test_missing("tls", w.buf, want, PM_ARRAY_LEN(want)), 0);
	/* the late hellos' JA3 and JA4, kept in no row, are those of their bytes */
	struct bb ch;
	client_hello(&ch);
	other_hello(&ch);
	struct pm_tls_client_hello h;
	CHECK_EQ(pm_tls_parse_client_hello(ch.p, ch.n, &h), 0);
	char ja3[PM_TLS_JA3_MAX], md5[PM_TLS_HASH_HEX], ja4[PM_TLS_JA4_MAX], item[160];
	char md5_late[PM_TLS_HASH_HEX];
	pm_tls_ja3(&h, ja3, sizeof(ja3), md5);
	pm_tls_ja4(&h, ja4);
	memcpy(md5_late, md5, sizeof(md5_late));
	snprintf(item, sizeof(item), "{\"value\":\"%s\",\"count\":3,\"clients\":2}", md5);
	CHECK(strstr(w.buf, item) != NULL);
	snprintf(item, sizeof(item), "{\"value\":\"%s\",\"count\":3,\"clients\":2}", ja4);
	CHECK(strstr(w.buf, item) != NULL);
	CHECK(strncmp(ja4, "t13d1516h2_", 11) == 0);
	/* every variant's JA3 and JA4, from the memo but its second time, are its own */
	char ja3b[PM_TLS_HASH_HEX], ja4b[PM_TLS_JA4_MAX];
	client_hello(&ch);
	CHECK_EQ(pm_tls_parse_client_hello(ch.p, ch.n, &h), 0);
	pm_tls_ja3(&h, ja3, sizeof(ja3), ja3b);
	pm_tls_ja4(&h, ja4b);
	for (size_t k = 0; k < PM_ARRAY_LEN(variants); k++) {
		variant_hello(&ch, k);
		CHECK_EQ(pm_tls_parse_client_hello(ch.p, ch.n, &h), 0);
		pm_tls_ja3(&h, ja3, sizeof(ja3), md5);
		pm_tls_ja4(&h, ja4);
		bool j3 = strcmp(md5, ja3b) != 0, j4 = strcmp(ja4, ja4b) != 0;
		const char *what = variants[k].what;
		/* the variant changes what its name says, and only that */
		CHECK(j3 == (strstr(what, "JA3") != NULL || strstr(what, "both") != NULL));
		CHECK(j4 == (strstr(what, "JA4") != NULL || strstr(what, "both") != NULL));
		snprintf(item, sizeof(item), "{\"value\":\"%s\",\"count\":2,\"clients\":1}", md5);
		bool ok3 = !j3 || strstr(w.buf, item) != NULL;
		snprintf(item, sizeof(item), "{\"value\":\"%s\",\"count\":2,\"clients\":1}", ja4);
		bool ok4 = !j4 || strstr(w.buf, item) != NULL;
		if (!ok3 || !ok4) {
			fprintf(stderr, "tls: the hello with %s got another's fingerprint\n", what);
			CHECK(!"a memo'd fingerprint is not the hello's own");
		}
	}
	/* each of the four fingerprint lists has the late hellos' value, from two clients */
	CHECK_EQ(pm_test_occurs(w.buf, "\"count\":3,\"clients\":2}"), 4);
	/* the servers' JA3S and JA4S: the late answers with the other suite apart from the rest */
	CHECK_EQ(pm_test_occurs(w.buf, "\"count\":20019,\"clients\":2}"), 2);
	pm_json_free(&w);

	/* a feed that knows the rows' JA3 and the late hellos': both counted, the late ones found */
	struct pm_ja3_feed feed;
	pm_ja3_feed_init(&feed);
	char csv[256];
	int cn =
	    snprintf(csv, sizeof(csv), "%s,a,b,Rows Family\n%s,a,b,Late Family\n", ja3b, md5_late);
	CHECK_EQ(pm_ja3_feed_parse((const uint8_t *)csv, (size_t)cn, &feed), 0);
	tls_json(t, &feed, 5, &w);
	CHECK(strstr(w.buf, "\"known_fingerprints\":{\"Rows Family\":20009,\"Late Family\":3}") !=
	      NULL);
	snprintf(item, sizeof(item),
	         "\"client\":\"10.0.0.3\",\"server\":\"93.184.216.34\",\"server_port\":\"443\","
	         "\"first_seen\":");
	const char *late = strstr(w.buf, item);
	CHECK(late != NULL);
	snprintf(item, sizeof(item), "\"ja3_hash\":\"%s\"", md5_late);
	CHECK(late != NULL && strstr(late, item) != NULL);
	/* one per server, port and fingerprint: the rows' and the late one */
	CHECK_EQ(pm_test_occurs(w.buf, "\"type\":\"known_fingerprint\""), 2);
	/* the rows all sent an SNI; the late hellos without one are found at their first */
	CHECK(strstr(w.buf, "{\"type\":\"no_sni_public\",\"severity\":\"low\",\"summary\":\"A "
	                    "client opened TLS to a public address without a server "
	                    "name\",\"evidence\":{\"client\":\"10.0.0.5\",\"server\":\"93.184.216."
	                    "34\",\"server_port\":\"443\",\"first_seen\"") != NULL);
	pm_ja3_feed_free(&feed);
	pm_json_free(&w);
	pm_analysis_free(&a);
	pb_free(&b);
}

/* Our (kind, value) counts for one capture, checked against its rows of the TSV. */
struct conf {
	char path[1024];
	struct pm_analysis a;
	bool open;
	uint64_t rows, mismatches;
};

static uint64_t
count_of(const struct pm_tls *t, const char *kind, const char *value)
{
	uint64_t n = 0;
	for (size_t i = 0; i < t->n_rows; i++) {
		const struct pm_tls_row *r = &t->rows[i];
		char buf[8];
		if (strcmp(kind, "ja3") == 0) {
			n += r->has_ch && strcmp(r->ja3_hash, value) == 0;
		} else if (strcmp(kind, "ja3s") == 0) {
			n += r->has_sh && strcmp(r->ja3s_hash, value) == 0;
		} else if (strcmp(kind, "sni") == 0) {
			n += strcmp(r->sni, value) == 0;
		} else if (strcmp(kind, "cipher") == 0) {
			snprintf(buf, sizeof(buf), "0x%04x", r->cipher);
			n += r->has_sh && strcmp(buf, value) == 0;
		}
	}
	return n;
}

/* Captures where tshark sees a hello that the analyser, by design, does not. */
static const struct {
	const char *path;
	const char *why;
} known[] = {
	{ "arkime/pcap/pppoe.pcap", "PPPoE is not decoded (decode.h)" },
	{ "zeek/Traces/tunnels/gtp/gtp6_gtp_0x32.pcap", "GTP tunnels are not entered (decode.h)" },
	{ "pcapplusplus/Pcap++Test/PcapExamples/pcapng-example.pcapng",
	  "TLS inside MySQL after its SSL request: the flow is labelled MySQL" },
	{ "ndpi/pcap/ossfuzz_seed_fake_traces_1.pcapng", "fuzzer-made hellos with lying lengths" },
	{ "ndpi/pcap/tls_cipher_lens.pcap", "hellos with impossible cipher list lengths" },
	{ "ndpi/pcap/tls_invalid_reads.pcap", "a ClientHello whose lengths leave the record" },
};

static bool
is_known(const char *path)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(known); i++) {
		if (strcmp(known[i].path, path) == 0) {
			return true;
		}
	}
	return false;
}

static void
test_corpus_agreement(void)
{
	const char *corpus = pm_test_corpus_dir();
	FILE *fp = fopen(TLS_TSV, "r");
	if (fp == NULL) {
		CHECK(!"cannot open " TLS_TSV);
		return;
	}
	static struct conf c;
	char line[TLS_MAX_LINE];
	unsigned long files = 0, rows = 0, bad = 0, skipped = 0;
	c.path[0] = '\0';
	c.open = false;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *f[4];
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || pm_test_split_tabs(line, f, 4) < 4) {
			continue;
		}
		if (strcmp(f[0], c.path) != 0) {
			if (c.open) {
				pm_analysis_free(&c.a);
				c.open = false;
			}
			snprintf(c.path, sizeof(c.path), "%s", f[0]);
			char full[2048];
			bool local = strncmp(f[0], "captures/", 9) == 0;
			if ((!local && corpus == NULL) || is_known(f[0])) {
				skipped++;
				continue;
			}
			snprintf(full, sizeof(full), "%s/%s", local ? "." : corpus, f[0]);
			struct pm_error err;
			struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
			c.open = pm_analysis_run(&c.a, full, &o, &err) == 0;
			files++;
			if (!c.open) {
				fprintf(stderr, "tls: %s: cannot analyse\n", full);
				bad++;
			}
		}
		if (!c.open) {
			continue;
		}
		rows++;
		uint64_t want = strtoull(f[3], NULL, 10);
		uint64_t got = count_of(pm_an_tls(&c.a), f[1], f[2]);
		if (got != want) {
			fprintf(stderr, "tls: %s: %s %s: %llu, tshark %llu\n", f[0], f[1], f[2],
			        (unsigned long long)got, (unsigned long long)want);
			bad++;
		}
	}
	if (c.open) {
		pm_analysis_free(&c.a);
	}
	fclose(fp);
	fprintf(stderr,
	        "tls: %lu captures, %lu rows checked against tshark, %lu skipped, %lu mismatches\n",
	        files, rows, skipped, bad);
	CHECK(rows > 0 || corpus == NULL);
	CHECK_EQ(bad, 0);
}

/*
 * captures/loopback-tls.pcapng (captures/README.md): the values tshark 4.0.17
 * prints with -Y 'tls.handshake.type == 1 || tls.handshake.type == 2' -T fields
 * -e tls.handshake.ja3 -e tls.handshake.ja3s -e tls.handshake.extensions_server_name
 * -e tls.handshake.ciphersuite, and the certificate openssl made.
 */
static void
test_loopback(void)
{
	static struct pm_analysis a;
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
	if (pm_analysis_run(&a, "captures/loopback-tls.pcapng", &o, &err) != 0) {
		CHECK(!"captures/loopback-tls.pcapng does not analyse");
		return;
	}
	const struct pm_tls *t = pm_an_tls(&a);
	CHECK_EQ(t->n_rows, 2);
	if (t->n_rows == 2) {
		const struct pm_tls_row *r = t->rows;
		CHECK_STR(r[0].sni, "test.example");
		CHECK_STR(r[0].ja3_hash, "87b9bfc7da97115ed2276737b09f8d74");
		CHECK_STR(r[0].ja3s_hash, "a548c224ffe85e7076d7897c27f6758c");
		CHECK_EQ(r[0].cipher, 0xC02C);
		CHECK_EQ(r[0].version, 0x0303);
		CHECK(r[0].established);
		CHECK(r[0].cert >= 0);
		if (r[0].cert >= 0) {
			const struct pm_x509 *x = &t->certs[r[0].cert];
			CHECK_STR(x->subject, "C=US, O=pcapmcp test, CN=test.example");
			CHECK_STR(x->serial, "1234abcd");
			CHECK(x->self_signed);
		}
		CHECK_STR(r[1].sni, "www.example.net");
		CHECK_STR(r[1].ja3_hash, "89dfc51e72bdcb94e4ba4622588002b1");
		CHECK_STR(r[1].ja3s_hash, "15af977ce25de452b96affa2addb1036");
		CHECK_EQ(r[1].cipher, 0x1302);
		CHECK_EQ(r[1].version, 0x0304);
		CHECK(r[1].established);
		CHECK_EQ(r[1].cert, -1); /* TLS 1.3 encrypts it */
	}
	pm_analysis_free(&a);
}

void test_tls(void);

void
test_tls(void)
{
	test_hellos();
	test_x509();
	test_capture();
	test_cert_once();
	test_rows_full();
	test_loopback();
	test_corpus_agreement();
}
