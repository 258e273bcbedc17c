/* SPDX-License-Identifier: MIT */
/*
 * tlsknown.c - the built-in table of known JA3, JA3S, JA4 and JA4S
 * fingerprints (sorted by kind and value, found by binary search) and the
 * SSLBL-layout feed file: lines cut with the cursor, fields split at commas,
 * entries sorted and deduplicated once.
 */
#include "tlsknown.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"

#define REC "captures/known-clients.pcapng (captures/README.md), "

/*
 * Sorted by fp, then value. Every entry was recorded on loopback against
 * openssl s_server 3.0.19: its JA3 printed by tshark 4.0.17
 * (tls.handshake.ja3), its JA4 derived by hand from the ClientHello fields
 * tshark prints, following FoxIO's JA4 specification (captures/README.md,
 * "Known clients"); the same client built against another TLS library
 * version may differ. s_client sends the same lists with and without SNI,
 * so its two JA4s differ only in part a (d/i and the extension count).
 */
/* The recordings, one per client (stream numbers of the capture). */
#define S_SCLIENT_IP                                                                               \
	REC "stream 0: OpenSSL 3.0.19 openssl s_client -connect localhost:8453 (no SNI)"
#define S_SCLIENT_SNI                                                                              \
	REC "stream 1: OpenSSL 3.0.19 openssl s_client -connect 127.0.0.1:8453 "                   \
	    "-servername test.example"
#define S_CURL REC "stream 2: curl 7.88.1 (OpenSSL 3.0.19) curl -sk https://localhost:8453/"
#define S_PYTHON                                                                                   \
	REC "stream 3: Python 3.11.7 (OpenSSL 3.0.19) urllib.request.urlopen with "                \
	    "ssl.create_default_context()"
#define S_WGET                                                                                     \
	REC "stream 4: GNU Wget 1.21.3 (GnuTLS) wget --no-check-certificate "                      \
	    "https://localhost:8453/"

static const struct pm_tls_known builtin[] = {
	{ PM_TLS_FP_JA3, "0149f47eabf9a20d0893e2a44e5a6323", PM_TLS_KNOWN_TOOL, "curl", S_CURL },
	{ PM_TLS_FP_JA3, "93c7d42c0df602fb91589311534831f5", PM_TLS_KNOWN_TOOL, "python urllib",
	  S_PYTHON },
	{ PM_TLS_FP_JA3, "a3afc2c46ba4a7d7fbe1cfb7a3031c2f", PM_TLS_KNOWN_TOOL, "openssl s_client",
	  S_SCLIENT_SNI },
	{ PM_TLS_FP_JA3, "bb4f9fef542ff6b4b29aa653bf0c1d31", PM_TLS_KNOWN_TOOL, "wget", S_WGET },
	{ PM_TLS_FP_JA3, "c216e752cae6f8755fd27f561d031636", PM_TLS_KNOWN_TOOL, "openssl s_client",
	  S_SCLIENT_IP },
	{ PM_TLS_FP_JA4, "t13d181100_85036bcba153_d41ae481755e", PM_TLS_KNOWN_TOOL, "python urllib",
	  S_PYTHON },
	{ PM_TLS_FP_JA4, "t13d291300_723694b0fccc_899037bd0b8c", PM_TLS_KNOWN_TOOL, "wget",
	  S_WGET },
	{ PM_TLS_FP_JA4, "t13d311000_e8f1e7e78f70_1f22a2ca17c4", PM_TLS_KNOWN_TOOL,
	  "openssl s_client", S_SCLIENT_SNI },
	{ PM_TLS_FP_JA4, "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6", PM_TLS_KNOWN_TOOL, "curl",
	  S_CURL },
	{ PM_TLS_FP_JA4, "t13i310900_e8f1e7e78f70_1f22a2ca17c4", PM_TLS_KNOWN_TOOL,
	  "openssl s_client", S_SCLIENT_IP },
};

static int
hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9') {
		return ch - '0';
	}
	ch |= 0x20;
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* 32 hex digits at p (n bytes) into lowercase out; false when not exactly that. */
static bool
md5_norm(const uint8_t *p, size_t n, char out[33])
{
	if (n != 32) {
		return false;
	}
	for (size_t i = 0; i < 32; i++) {
		int v = hexval(p[i]);
		if (v < 0) {
			return false;
		}
		out[i] = "0123456789abcdef"[v];
	}
	out[32] = '\0';
	return true;
}

/* A JA4 or JA4S (letters, digits, '_') lowercased into out; false when not that. */
static bool
ja4_norm(const char *v, size_t n, char out[PM_TLS_KNOWN_MAX])
{
	if (n == 0 || n >= PM_TLS_KNOWN_MAX) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];
		if (ch >= 'A' && ch <= 'Z') {
			ch = (char)(ch | 0x20);
		}
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || ch == '_')) {
			return false;
		}
		out[i] = ch;
	}
	out[n] = '\0';
	return true;
}

/* The form a value of kind fp is stored in; false when it cannot be one. */
static bool
value_norm(enum pm_tls_fp fp, const char *v, char out[PM_TLS_KNOWN_MAX])
{
	if (v == NULL) {
		return false;
	}
	size_t n = strlen(v);
	if (fp == PM_TLS_FP_JA3 || fp == PM_TLS_FP_JA3S) {
		return md5_norm((const uint8_t *)v, n, out);
	}
	return ja4_norm(v, n, out);
}

/* Order of the table and the feed: kind, then value. */
static int
known_cmp(enum pm_tls_fp fp, const char *value, const struct pm_tls_known *e)
{
	if (fp != e->fp) {
		return fp < e->fp ? -1 : 1;
	}
	return strcmp(value, e->value);
}

/* The entry of v (n, sorted by known_cmp) at stride bytes, offset off to its known; or NULL. */
static const struct pm_tls_known *
search(const void *v, size_t n, size_t stride, size_t off, enum pm_tls_fp fp, const char *value)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pm_tls_known *e =
		    (const struct pm_tls_known *)((const char *)v + mid * stride + off);
		int c = known_cmp(fp, value, e);
		if (c == 0) {
			return e;
		}
		if (c < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return NULL;
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_find(enum pm_tls_fp fp, const char *value)
{
	char k[PM_TLS_KNOWN_MAX];
	if (!value_norm(fp, value, k)) {
		return NULL;
	}
	return search(builtin, PM_ARRAY_LEN(builtin), sizeof(builtin[0]), 0, fp, k);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_builtin(const char *ja3_md5)
{
	return pm_tls_known_find(PM_TLS_FP_JA3, ja3_md5);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_table(size_t *n)
{
	*n = PM_ARRAY_LEN(builtin);
	return builtin;
}

/* see tlsknown.h */
const char *
pm_tls_known_kind_name(enum pm_tls_known_kind k)
{
	return k == PM_TLS_KNOWN_MALWARE ? "malware" : "tool";
}

/* see tlsknown.h */
const char *
pm_tls_fp_name(enum pm_tls_fp fp)
{
	static const char *const names[] = { "ja3", "ja3s", "ja4", "ja4s" };
	return (unsigned)fp < PM_ARRAY_LEN(names) ? names[fp] : "unknown";
}

/* see tlsknown.h */
void
pm_ja3_feed_init(struct pm_ja3_feed *f)
{
	memset(f, 0, sizeof(*f));
	f->status = "not_configured";
}

/* The next field of line up to a comma (consumed) or the end. */
static struct pm_cur
field(struct pm_cur *line)
{
	size_t left = pm_cur_left(line);
	const uint8_t *s = line->buf + line->off;
	const uint8_t *comma = memchr(s, ',', left);
	size_t k = comma != NULL ? (size_t)(comma - s) : left;
	struct pm_cur f = pm_cur_sub(line, k);
	if (comma != NULL) {
		pm_cur_skip(line, 1);
	}
	return f;
}

/* The reason: surrounding blanks and one pair of double quotes dropped, printable ASCII kept. */
static bool
reason(struct pm_cur r, char out[PM_JA3_NAME_MAX])
{
	const uint8_t *p = r.buf;
	size_t n = r.len;
	while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
		n--;
	}
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	size_t k = 0;
	for (size_t i = 0; i < n && k < PM_JA3_NAME_MAX - 1; i++) {
		out[k++] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
	}
	out[k] = '\0';
	return k > 0;
}

static int
add_row(struct pm_ja3_feed *f, struct pm_cur line)
{
	f->rows++;
	struct pm_cur md5 = field(&line);
	(void)field(&line); /* Firstseen */
	(void)field(&line); /* Lastseen */
	struct pm_ja3_feed_entry e;
	if (!pm_cur_ok(&line) || !md5_norm(md5.buf, md5.len, e.ja3) ||
	    !reason(pm_cur_sub(&line, pm_cur_left(&line)), e.name)) {
		f->skipped++;
		return 0;
	}
	if (f->n >= PM_JA3_FEED_MAX_ROWS) {
		f->skipped++;
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap != 0 ? f->cap * 2 : 64;
		struct pm_ja3_feed_entry *v = realloc(f->v, cap * sizeof(*v));
		if (v == NULL) {
			return PM_E_NOMEM;
		}
		f->v = v;
		f->cap = cap;
	}
	e.seq = f->rows;
	f->v[f->n++] = e;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct pm_ja3_feed_entry *x = a, *y = b;
	int c = strcmp(x->ja3, y->ja3);
	/* equal hashes in file order, so the first row wins */
	return c != 0 ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort, drop later duplicates, point each entry's known at its own strings. */
static void
settle(struct pm_ja3_feed *f)
{
	if (f->n == 0) {
		return;
	}
	qsort(f->v, f->n, sizeof(f->v[0]), cmp_entry);
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (k > 0 && strcmp(f->v[k - 1].ja3, f->v[i].ja3) == 0) {
			f->duplicates++;
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
	for (size_t i = 0; i < f->n; i++) {
		struct pm_ja3_feed_entry *e = &f->v[i];
		e->known.fp = PM_TLS_FP_JA3;
		e->known.value = e->ja3;
		e->known.kind = PM_TLS_KNOWN_MALWARE;
		e->known.name = e->name;
		e->known.source = "feed";
	}
}

/* see tlsknown.h */
int
pm_ja3_feed_parse(const uint8_t *p, size_t n, struct pm_ja3_feed *f)
{
	struct pm_cur c = pm_cur_init(p, n);
	int rc = 0;
	while (pm_cur_left(&c) > 0 && rc == 0) {
		size_t left = pm_cur_left(&c);
		const uint8_t *s = c.buf + c.off;
		const uint8_t *nl = memchr(s, '\n', left);
		size_t k = nl != NULL ? (size_t)(nl - s) : left;
		struct pm_cur line = pm_cur_sub(&c, k);
		pm_cur_skip(&c, nl != NULL ? 1 : 0);
		if (k > 0 && line.buf[k - 1] == '\r') {
			line.len--;
		}
		if (line.len == 0 || line.buf[0] == '#') {
			continue;
		}
		if (line.len > PM_JA3_FEED_MAX_LINE) {
			f->rows++;
			f->skipped++;
			continue;
		}
		rc = add_row(f, line);
	}
	settle(f);
	return rc;
}

/* see tlsknown.h */
void
pm_ja3_feed_load(struct pm_ja3_feed *f, const char *path)
{
	pm_ja3_feed_init(f);
	if (path == NULL || path[0] == '\0') {
		return;
	}
	f->status = "unreadable";
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		goto out_fd;
	}
	uint8_t *buf = malloc(PM_JA3_FEED_MAX_BYTES + 1);
	if (buf == NULL) {
		f->status = "no_memory";
		goto out_fd;
	}
	size_t n = 0;
	while (n < PM_JA3_FEED_MAX_BYTES + 1) {
		ssize_t r = read(fd, buf + n, PM_JA3_FEED_MAX_BYTES + 1 - n);
		if (r < 0) {
			goto out_buf;
		}
		if (r == 0) {
			break;
		}
		n += (size_t)r;
	}
	if (n > PM_JA3_FEED_MAX_BYTES) {
		f->truncated = true;
		n = PM_JA3_FEED_MAX_BYTES;
		while (n > 0 && buf[n - 1] != '\n') {
			n--; /* the cut line is not a row */
		}
	}
	f->status = pm_ja3_feed_parse(buf, n, f) == 0 ? "loaded" : "no_memory";
out_buf:
	free(buf);
out_fd:
	close(fd);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_ja3_feed_find(const struct pm_ja3_feed *f, enum pm_tls_fp fp, const char *value)
{
	char k[PM_TLS_KNOWN_MAX];
	if (f == NULL || f->n == 0 || !value_norm(fp, value, k)) {
		return NULL;
	}
	return search(f->v, f->n, sizeof(f->v[0]), offsetof(struct pm_ja3_feed_entry, known), fp,
	              k);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_ja3_feed_lookup(const struct pm_ja3_feed *f, const char *ja3_md5)
{
	return pm_ja3_feed_find(f, PM_TLS_FP_JA3, ja3_md5);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_match_fp(const struct pm_ja3_feed *f, enum pm_tls_fp fp, const char *value)
{
	const struct pm_tls_known *b = pm_tls_known_find(fp, value);
	if (b != NULL && b->kind == PM_TLS_KNOWN_MALWARE) {
		return b;
	}
	const struct pm_tls_known *m = pm_ja3_feed_find(f, fp, value);
	return m != NULL ? m : b;
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_match(const struct pm_ja3_feed *f, const char *ja3_md5)
{
	return pm_tls_known_match_fp(f, PM_TLS_FP_JA3, ja3_md5);
}

/* see tlsknown.h */
void
pm_ja3_feed_free(struct pm_ja3_feed *f)
{
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}
