/* SPDX-License-Identifier: MIT */
/*
 * tlsknown.c - the built-in table of known JA3 fingerprints (sorted, found
 * by binary search) and the SSLBL-layout feed file: lines cut with the
 * cursor, fields split at commas, entries sorted and deduplicated once.
 */
#include "tlsknown.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"

#define REC "captures/known-clients.pcapng (captures/README.md), "

/*
 * Sorted by ja3. Every entry was recorded on loopback against openssl
 * s_server 3.0.19 and its JA3 printed by tshark 4.0.17 (tls.handshake.ja3);
 * the same client built against another TLS library version may differ.
 */
static const struct pm_tls_known builtin[] = {
	{ "0149f47eabf9a20d0893e2a44e5a6323", PM_TLS_KNOWN_TOOL, "curl",
	  REC "stream 2: curl 7.88.1 (OpenSSL 3.0.19) curl -sk https://localhost:8453/" },
	{ "93c7d42c0df602fb91589311534831f5", PM_TLS_KNOWN_TOOL, "python urllib",
	  REC "stream 3: Python 3.11.7 (OpenSSL 3.0.19) urllib.request.urlopen with "
	      "ssl.create_default_context()" },
	{ "a3afc2c46ba4a7d7fbe1cfb7a3031c2f", PM_TLS_KNOWN_TOOL, "openssl s_client",
	  REC "stream 1: OpenSSL 3.0.19 openssl s_client -connect 127.0.0.1:8453 "
	      "-servername test.example" },
	{ "bb4f9fef542ff6b4b29aa653bf0c1d31", PM_TLS_KNOWN_TOOL, "wget",
	  REC "stream 4: GNU Wget 1.21.3 (GnuTLS) wget --no-check-certificate "
	      "https://localhost:8453/" },
	{ "c216e752cae6f8755fd27f561d031636", PM_TLS_KNOWN_TOOL, "openssl s_client",
	  REC "stream 0: OpenSSL 3.0.19 openssl s_client -connect localhost:8453 (no SNI)" },
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

static int
cmp_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct pm_tls_known *)elem)->ja3);
}

/* see tlsknown.h */
const struct pm_tls_known *
pm_tls_known_builtin(const char *ja3_md5)
{
	char k[33];
	if (ja3_md5 == NULL || !md5_norm((const uint8_t *)ja3_md5, strlen(ja3_md5), k)) {
		return NULL;
	}
	return bsearch(k, builtin, PM_ARRAY_LEN(builtin), sizeof(builtin[0]), cmp_key);
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
		e->known.ja3 = e->ja3;
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
pm_ja3_feed_lookup(const struct pm_ja3_feed *f, const char *ja3_md5)
{
	char k[33];
	if (f == NULL || f->n == 0 || ja3_md5 == NULL ||
	    !md5_norm((const uint8_t *)ja3_md5, strlen(ja3_md5), k)) {
		return NULL;
	}
	size_t lo = 0, hi = f->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k, f->v[mid].ja3);
		if (c == 0) {
			return &f->v[mid].known;
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
pm_tls_known_match(const struct pm_ja3_feed *f, const char *ja3_md5)
{
	const struct pm_tls_known *b = pm_tls_known_builtin(ja3_md5);
	if (b != NULL && b->kind == PM_TLS_KNOWN_MALWARE) {
		return b;
	}
	const struct pm_tls_known *m = pm_ja3_feed_lookup(f, ja3_md5);
	return m != NULL ? m : b;
}

/* see tlsknown.h */
void
pm_ja3_feed_free(struct pm_ja3_feed *f)
{
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}
