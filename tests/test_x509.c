/* SPDX-License-Identifier: MIT */
/*
 * test_x509.c - the certificate reader (src/x509.c) against openssl on every
 * leaf certificate the corpus and captures/ send in clear
 * (tests/x509_expected.tsv, made by tests/mk_x509_expected.sh from the DER
 * tshark extracts), through the TLS analyser as a user gets them; the
 * differences accepted are listed, each with its category and reason, in
 * tests/x509_differences.tsv. Also: names with attribute types beyond the
 * common seven, an unknown OID and a BMPString, on a certificate built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "guard.h"
#include "test.h"
#include "tls.h"
#include "tlsstats.h"
#include "x509.h"

#define X509_TSV   "tests/x509_expected.tsv"
#define X509_DIFFS "tests/x509_differences.tsv"
#define MAX_DIFFS  64
#define MAX_AVAS   64

/*
 * The one normalisation: openssl's RFC 2253 form to ours. openssl writes
 * the RDNs last first, "," between RDNs and "+" inside one, and escapes
 * ",+\"\\<>;", a leading '#' or space, a trailing space (a backslash before
 * the character), control bytes and bytes over 0x7E (a backslash and two hex
 * digits; strings are converted to UTF-8 first). Ours (x509.h) writes the
 * attributes in DER order with ", " between all of them, unescaped, control
 * bytes as '?'. So: split at unescaped ',' and '+', unescape, turn control
 * bytes into '?', reverse, join with ", ".
 */
static void
norm_2253(const char *in, char *out, size_t cap)
{
	static char ava[MAX_AVAS][PM_X509_MAX_NAME];
	size_t n = 0, len = 0;
	ava[0][0] = '\0';
	for (const char *p = in; *p != '\0' && n < MAX_AVAS; p++) {
		unsigned ch = (unsigned char)*p;
		unsigned hi, lo;
		if (ch == '\\' && p[1] != '\0' && sscanf(p + 1, "%1x%1x", &hi, &lo) == 2) {
			ch = hi << 4 | lo;
			p += 2;
		} else if (ch == '\\' && p[1] != '\0') {
			ch = (unsigned char)*++p;
		} else if (ch == ',' || ch == '+') {
			ava[n++][len] = '\0';
			len = 0;
			continue;
		}
		if (len + 1 < PM_X509_MAX_NAME) {
			ava[n][len++] = ch < 0x20 || ch == 0x7F ? '?' : (char)ch;
		}
	}
	if (n < MAX_AVAS) {
		ava[n++][len] = '\0';
	}
	size_t w = 0;
	out[0] = '\0';
	for (size_t i = n; i-- > 0 && w + 1 < cap;) {
		int k = snprintf(out + w, cap - w, "%s%s", i + 1 == n ? "" : ", ", ava[i]);
		w += k > 0 ? (size_t)k : 0;
	}
}

/* ours equals theirs normalised, or is theirs cut at the struct's capacity */
static bool
name_agrees(const char *ours, const char *theirs)
{
	char want[4 * PM_X509_MAX_NAME];
	norm_2253(theirs, want, sizeof(want));
	size_t n = strlen(ours);
	return strcmp(ours, want) == 0 ||
	       (n + 1 == PM_X509_MAX_NAME && strncmp(ours, want, n) == 0);
}

static void
test_norm(void)
{
	char out[256];
	norm_2253("CN=a\\, b,O=x+OU=y,C=US", out, sizeof(out));
	CHECK_STR(out, "C=US, OU=y, O=x, CN=a, b");
	norm_2253("CN=\\C3\\A9t\\C3\\A9\\0A,O=\\#1\\20", out, sizeof(out));
	CHECK_STR(out, "O=#1 , CN=\xC3\xA9t\xC3\xA9?");
	norm_2253("", out, sizeof(out));
	CHECK_STR(out, "");
	CHECK(name_agrees("C=US, O=pcapmcp test, CN=test.example",
	                  "CN=test.example,O=pcapmcp test,C=US"));
	CHECK(!name_agrees("C=US, CN=test.example", "CN=test.example,O=pcapmcp test,C=US"));
}

/* DER building for the crafted certificate: tag, short or 2-byte length, contents. */
static size_t
der(uint8_t *out, uint8_t tag, const void *v, size_t n)
{
	size_t h = 0;
	out[h++] = tag;
	if (n >= 0x80) {
		out[h++] = 0x82;
		out[h++] = (uint8_t)(n >> 8);
	}
	out[h++] = (uint8_t)n;
	memmove(out + h, v, n);
	return h + n;
}

/* One RDN of one attribute: SET { SEQUENCE { OID, value } }. */
static size_t
rdn(uint8_t *out, const uint8_t *oid, size_t oid_n, uint8_t tag, const void *v, size_t n)
{
	uint8_t atv[160], set[170];
	size_t k = der(atv, 0x06, oid, oid_n);
	k += der(atv + k, tag, v, n);
	size_t s = der(set, 0x30, atv, k);
	return der(out, 0x31, set, s);
}

/*
 * A certificate whose subject has a serialNumber, a jurisdictionC (EV), an
 * attribute of an OID no table knows (1.3.6.1.4.1.99999.1, written as
 * RFC 4514 does: dotted OID and '#' hex) and a BMPString CN "Zoë", with
 * openssl's RFC 2253 rendering of that subject to compare against.
 */
static void
test_names(void)
{
	static const uint8_t o_sn[] = { 0x55, 0x04, 0x05 }, o_cn[] = { 0x55, 0x04, 0x03 };
	static const uint8_t o_jc[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82,
		                        0x37, 0x3C, 0x02, 0x01, 0x03 };
	static const uint8_t o_x[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8D, 0x1F, 0x01 };
	static const uint8_t bmp[] = { 0, 'Z', 0, 'o', 0, 0xEB };
	static const uint8_t alg[] = { 0x06, 0x03, 0x2B, 0x65, 0x70 }; /* Ed25519 */
	static const uint8_t times[] = "\x17\x0d"
	                               "200101000000Z"
	                               "\x17\x0d"
	                               "210101000000Z";
	uint8_t name[512], tbs[1024], cert[1200], tmp[1024], spki[64], key[33] = { 0 };
	size_t nl = 0, k = 0;
	nl += rdn(name + nl, o_jc, sizeof(o_jc), 0x13, "US", 2);
	nl += rdn(name + nl, o_sn, sizeof(o_sn), 0x13, "4710875", 7);
	nl += rdn(name + nl, o_x, sizeof(o_x), 0x0C, "x", 1);
	nl += rdn(name + nl, o_cn, sizeof(o_cn), 0x1E, bmp, sizeof(bmp));
	k += der(tbs + k, 0x02, "\x01", 1);
	k += der(tbs + k, 0x30, alg, sizeof(alg));
	k += der(tbs + k, 0x30, name, nl); /* issuer */
	k += der(tbs + k, 0x30, times, sizeof(times) - 1);
	k += der(tbs + k, 0x30, name, nl); /* subject */
	size_t sl = der(spki, 0x30, alg, sizeof(alg));
	sl += der(spki + sl, 0x03, key, sizeof(key));
	k += der(tbs + k, 0x30, spki, sl);
	size_t c = der(tmp, 0x30, tbs, k);
	c += der(tmp + c, 0x30, alg, sizeof(alg));
	c += der(tmp + c, 0x03, key, sizeof(key));
	size_t n = der(cert, 0x30, tmp, c);
	struct pm_x509 *x = malloc(sizeof(*x));
	if (x == NULL) {
		CHECK(!"no memory");
		return;
	}
	CHECK_EQ(pm_x509_parse(pm_guard(cert, n), n, x), 0);
	CHECK_STR(x->subject, "jurisdictionC=US, serialNumber=4710875, "
	                      "1.3.6.1.4.1.99999.1=#0c0178, CN=Zo\xC3\xAB");
	CHECK_STR(x->subject_cn, "Zo\xC3\xAB");
	CHECK(x->self_signed);
	CHECK_STR(x->key_type, "Ed25519");
	CHECK(name_agrees(x->subject, "CN=Zo\\C3\\AB,1.3.6.1.4.1.99999.1=#0c0178,"
	                              "serialNumber=4710875,jurisdictionC=US"));
	free(x);
}

/* One accepted difference: file, certificate, field, category, reason. */
struct diff {
	char path[256], sha256[65], field[16];
	bool seen;
};

static struct diff diffs[MAX_DIFFS];
static size_t n_diffs;
static struct pm_test_cats cats;

/* The header's "#   name  rule" lines are the categories; every row names one and a reason. */
static void
load_diffs(void)
{
	n_diffs = 0;
	cats.n = 0;
	FILE *f = fopen(X509_DIFFS, "r");
	if (f == NULL) {
		CHECK(!"cannot open " X509_DIFFS);
		return;
	}
	char line[2048];
	while (fgets(line, sizeof(line), f) != NULL && n_diffs < MAX_DIFFS) {
		char *fld[5];
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#') {
			pm_test_cat_line(&cats, line);
			continue;
		}
		size_t nf = pm_test_split_tabs(line, fld, 5);
		if (nf < 3) {
			continue;
		}
		bool described = nf == 5 && pm_test_cat_known(&cats, fld[3]) && fld[4][0] != '\0';
		if (!described) {
			fprintf(stderr, "x509: %s row without a known category or reason\n",
			        fld[0]);
		}
		CHECK(described);
		struct diff *d = &diffs[n_diffs++];
		memset(d, 0, sizeof(*d));
		snprintf(d->path, sizeof(d->path), "%s", fld[0]);
		snprintf(d->sha256, sizeof(d->sha256), "%s", fld[1]);
		snprintf(d->field, sizeof(d->field), "%s", fld[2]);
	}
	fclose(f);
}

static unsigned long n_checked, n_listed, n_mismatch;

/* A field that disagrees passes only when the table lists it. */
static void
compare(const char *path, const char *sha, const char *field, bool agree, const char *ours,
        const char *theirs)
{
	n_checked++;
	if (agree) {
		pm_test_passed++;
		return;
	}
	for (size_t i = 0; i < n_diffs; i++) {
		struct diff *d = &diffs[i];
		if (strcmp(d->path, path) == 0 && strcmp(d->sha256, sha) == 0 &&
		    strcmp(d->field, field) == 0) {
			d->seen = true;
			n_listed++;
			pm_test_passed++;
			return;
		}
	}
	n_mismatch++;
	pm_test_failed++;
	fprintf(stderr, "x509: %s\t%s\t%s\tours %s\topenssl %s\n", path, sha, field, ours, theirs);
}

static const struct pm_x509 *
find_cert(const struct pm_tls *t, const char *sha)
{
	for (size_t i = 0; t != NULL && i < t->n_certs; i++) {
		char hex[65];
		pm_tls_hex(t->certs[i].sha256, 32, hex);
		if (strcmp(hex, sha) == 0) {
			return &t->certs[i];
		}
	}
	return NULL;
}

/* One expected row: f = file, sha256, subject, issuer, serial, not_before, not_after. */
static void
check_row(const struct pm_tls *t, char **f)
{
	const struct pm_x509 *x = find_cert(t, f[1]);
	compare(f[0], f[1], "present", x != NULL, x != NULL ? "kept" : "absent", "leaf");
	if (x == NULL) {
		return;
	}
	char nb[24], na[24];
	snprintf(nb, sizeof(nb), "%lld", (long long)x->not_before);
	snprintf(na, sizeof(na), "%lld", (long long)x->not_after);
	compare(f[0], f[1], "subject", name_agrees(x->subject, f[2]), x->subject, f[2]);
	compare(f[0], f[1], "issuer", name_agrees(x->issuer, f[3]), x->issuer, f[3]);
	compare(f[0], f[1], "serial", strcmp(x->serial, f[4]) == 0, x->serial, f[4]);
	compare(f[0], f[1], "not_before", strcmp(nb, f[5]) == 0, nb, f[5]);
	compare(f[0], f[1], "not_after", strcmp(na, f[6]) == 0, na, f[6]);
}

/* Our certificates of a file that openssl's rows do not name. */
static void
check_extra(const struct pm_tls *t, const char *path, char shas[][65], size_t n)
{
	for (size_t i = 0; t != NULL && i < t->n_certs; i++) {
		char hex[65];
		bool listed = false;
		pm_tls_hex(t->certs[i].sha256, 32, hex);
		for (size_t k = 0; k < n && !listed; k++) {
			listed = strcmp(shas[k], hex) == 0;
		}
		compare(path, hex, "extra", listed, "kept", "no leaf");
	}
}

static void
test_corpus(void)
{
	load_diffs();
	const char *corpus = pm_test_corpus_dir();
	FILE *fp = fopen(X509_TSV, "r");
	if (fp == NULL) {
		CHECK(!"cannot open " X509_TSV);
		return;
	}
	static struct pm_analysis a;
	static char line[4096], cur[1024], shas[256][65];
	size_t n_shas = 0;
	bool open = false;
	unsigned long files = 0, certs = 0, skipped = 0;
	n_checked = n_listed = n_mismatch = 0;
	cur[0] = '\0';
	for (;;) {
		bool more = fgets(line, sizeof(line), fp) != NULL;
		char *f[7];
		line[strcspn(line, "\r\n")] = '\0';
		if (more && (line[0] == '#' || pm_test_split_tabs(line, f, 7) < 7)) {
			continue;
		}
		if (!more || strcmp(f[0], cur) != 0) {
			if (open) {
				check_extra(pm_an_tls(&a), cur, shas, n_shas);
				pm_analysis_free(&a);
				open = false;
			}
			if (!more) {
				break;
			}
			snprintf(cur, sizeof(cur), "%s", f[0]);
			n_shas = 0;
			bool local = strncmp(f[0], "captures/", 9) == 0;
			if (!local && corpus == NULL) {
				skipped++;
				continue;
			}
			char full[2048];
			snprintf(full, sizeof(full), "%s/%s", local ? "." : corpus, f[0]);
			struct pm_error err;
			struct pm_analysis_opts o = { .analysers = PM_AN_BIT(TLS) };
			open = pm_analysis_run(&a, full, &o, &err) == 0;
			files++;
			CHECK(open);
		}
		if (!open) {
			continue;
		}
		certs++;
		if (n_shas < PM_ARRAY_LEN(shas)) {
			snprintf(shas[n_shas++], sizeof(shas[0]), "%s", f[1]);
		}
		check_row(pm_an_tls(&a), f);
	}
	fclose(fp);
	unsigned long unseen = 0;
	for (size_t i = 0; i < n_diffs; i++) {
		bool corpus_row = strncmp(diffs[i].path, "captures/", 9) != 0;
		if (!diffs[i].seen && (corpus != NULL || !corpus_row)) {
			fprintf(stderr, "x509: listed difference no longer occurs: %s %s %s\n",
			        diffs[i].path, diffs[i].sha256, diffs[i].field);
			unseen++;
		}
	}
	fprintf(stderr,
	        "x509: %lu captures, %lu certificates, %lu fields checked against openssl, "
	        "%lu listed differences, %lu mismatches, %lu captures skipped\n",
	        files, certs, n_checked, n_listed, n_mismatch, skipped);
	CHECK(certs > 0);
	CHECK_EQ(unseen, 0);
	CHECK_EQ(n_mismatch, 0);
}

void test_x509(void);

void
test_x509(void)
{
	test_norm();
	test_names();
	test_corpus();
}
