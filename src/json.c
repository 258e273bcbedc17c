/* SPDX-License-Identifier: MIT */
/*
 * json.c - the JSON writer: bounded output, commas and nesting tracked, strings
 * escaped per RFC 8259 §7.
 *
 * UTF-8 is validated per RFC 3629 §4 (no overlongs, no surrogates, nothing
 * above U+10FFFF); each byte of an invalid sequence is written as \\xNN.
 * Parsing lives in jsonparse.c.
 */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* see json.h */
void
pm_json_init(struct pm_json *w, size_t limit)
{
	memset(w, 0, sizeof(*w));
	w->limit = limit != 0 ? limit : PM_MAX_JSON_OUT;
}

/* see json.h */
void
pm_json_free(struct pm_json *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

static bool
reserve(struct pm_json *w, size_t n)
{
	if (w->err) {
		return false;
	}
	if (n > w->limit - w->len || w->len > w->limit) {
		w->err = true;
		return false;
	}
	if (w->len + n + 1 <= w->cap) {
		return true;
	}
	size_t cap = w->cap != 0 ? w->cap : 4096;
	while (cap < w->len + n + 1) {
		cap *= 2;
	}
	char *p = realloc(w->buf, cap);
	if (p == NULL) {
		w->err = true;
		return false;
	}
	w->buf = p;
	w->cap = cap;
	return true;
}

static void
put(struct pm_json *w, const char *s, size_t n)
{
	if (!reserve(w, n)) {
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void
putc_(struct pm_json *w, char c)
{
	put(w, &c, 1);
}

static void
newline(struct pm_json *w)
{
	if (!w->pretty) {
		return;
	}
	putc_(w, '\n');
	for (int i = 0; i < w->depth; i++) {
		put(w, "  ", 2);
	}
}

/* Called before every value and key: places the comma and indentation. */
static void
item(struct pm_json *w, bool is_key)
{
	if (w->depth == 0) {
		if (w->len != 0 || w->after_key || is_key) {
			w->err = true; /* a second top-level value, or a key outside an object */
		}
		return;
	}
	int d = w->depth - 1;
	if (w->after_key) {
		if (is_key) {
			w->err = true;
		}
		w->after_key = false;
		return;
	}
	if (w->is_object[d] != is_key) {
		w->err = true; /* a bare value in an object or a key in an array */
		return;
	}
	if (w->has_items[d]) {
		putc_(w, ',');
	}
	w->has_items[d] = true;
	newline(w);
}

static void
open_(struct pm_json *w, char c, bool is_object)
{
	item(w, false);
	if (w->depth >= PM_JSON_MAX_DEPTH) {
		w->err = true;
		return;
	}
	putc_(w, c);
	w->has_items[w->depth] = false;
	w->is_object[w->depth] = is_object;
	w->depth++;
}

static void
close_(struct pm_json *w, char c, bool is_object)
{
	if (w->depth == 0 || w->is_object[w->depth - 1] != is_object || w->after_key) {
		w->err = true;
		return;
	}
	w->depth--;
	if (w->has_items[w->depth]) {
		newline(w);
	}
	putc_(w, c);
}

/* see json.h */
void
pm_json_obj_begin(struct pm_json *w)
{
	open_(w, '{', true);
}

/* see json.h */
void
pm_json_obj_end(struct pm_json *w)
{
	close_(w, '}', true);
}

/* see json.h */
void
pm_json_arr_begin(struct pm_json *w)
{
	open_(w, '[', false);
}

/* see json.h */
void
pm_json_arr_end(struct pm_json *w)
{
	close_(w, ']', false);
}

/* see json.h */
size_t
pm_json_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		return 1;
	}
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80; /* overlong */
		hi = c == 0xED ? 0x9F : 0xBF; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		lo = c == 0xF0 ? 0x90 : 0x80; /* overlong */
		hi = c == 0xF4 ? 0x8F : 0xBF; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (len > n || p[1] < lo || p[1] > hi) {
		return 0;
	}
	for (size_t i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xBF) {
			return 0;
		}
	}
	return len;
}

/* ASCII bytes written as they are: printable, not '"', not '\\'. */
#define PLAIN1(c)  ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')
#define PLAIN4(c)  PLAIN1(c), PLAIN1((c) + 1), PLAIN1((c) + 2), PLAIN1((c) + 3)
#define PLAIN16(c) PLAIN4(c), PLAIN4((c) + 4), PLAIN4((c) + 8), PLAIN4((c) + 12)
#define PLAIN64(c) PLAIN16(c), PLAIN16((c) + 16), PLAIN16((c) + 32), PLAIN16((c) + 48)
static const bool plain[256] = { PLAIN64(0), PLAIN64(64), PLAIN64(128), PLAIN64(192) };

static void
escaped(struct pm_json *w, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	while (i < n && plain[s[i]]) {
		i++;
	}
	/* Nothing to escape, the common case: one copy (near the limit, the
	 * piecewise path below fails where it always did). */
	if (i == n && !w->err && w->len <= w->limit && n + 2 <= w->limit - w->len &&
	    reserve(w, n + 2)) {
		w->buf[w->len] = '"';
		memcpy(w->buf + w->len + 1, s, n);
		w->buf[w->len + n + 1] = '"';
		w->len += n + 2;
		w->buf[w->len] = '\0';
		return;
	}
	putc_(w, '"');
	size_t run = 0; /* start of the pending run of bytes that need no escape */
	while (i < n) {
		while (i < n && plain[s[i]]) {
			i++; /* the common case, one table load a byte */
		}
		if (i == n) {
			break;
		}
		unsigned char c = s[i];
		size_t l = 0;
		if (c >= 0x80) {
			l = pm_json_utf8_len(s + i, n - i);
		}
		if (l != 0) {
			i += l;
			continue;
		}
		put(w, (const char *)s + run, i - run);
		char e[7] = { '\\', 0, 0, 0, 0, 0, 0 };
		size_t elen = 2;
		switch (c) {
		case '"':
			e[1] = '"';
			break;
		case '\\':
			e[1] = '\\';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			if (c < 0x20) {
				memcpy(e, "\\u00", 4);
				e[4] = hex[c >> 4];
				e[5] = hex[c & 15];
				elen = 6;
			} else {
				/* invalid UTF-8 byte: visible as \\xNN in the decoded string */
				memcpy(e, "\\\\x", 3);
				e[3] = hex[c >> 4];
				e[4] = hex[c & 15];
				elen = 5;
			}
		}
		put(w, e, elen);
		i++;
		run = i;
	}
	put(w, (const char *)s + run, n - run);
	putc_(w, '"');
}

/* see json.h */
void
pm_json_keyn(struct pm_json *w, const void *k, size_t n)
{
	item(w, true);
	escaped(w, k, n);
	put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

/* see json.h */
void
pm_json_key(struct pm_json *w, const char *k)
{
	pm_json_keyn(w, k, strlen(k));
}

/* see json.h */
void
pm_json_strn(struct pm_json *w, const void *s, size_t n)
{
	item(w, false);
	escaped(w, s, n);
}

/* see json.h */
void
pm_json_str(struct pm_json *w, const char *s)
{
	if (s == NULL) {
		pm_json_null(w);
		return;
	}
	pm_json_strn(w, s, strlen(s));
}

static void
scalar(struct pm_json *w, const char *s, size_t n)
{
	item(w, false);
	put(w, s, n);
}

/* see json.h */
void
pm_json_num_text(struct pm_json *w, const char *s, size_t n)
{
	scalar(w, s, n);
}

/* see json.h */
void
pm_json_raw(struct pm_json *w, const char *s, size_t n)
{
	scalar(w, s, n);
}

/* see json.h */
void
pm_json_u64(struct pm_json *w, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	scalar(w, b, (size_t)n);
}

/* see json.h */
void
pm_json_i64(struct pm_json *w, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", (long long)v);
	scalar(w, b, (size_t)n);
}

/* see json.h */
void
pm_json_dbl(struct pm_json *w, double v, int decimals)
{
	if (!isfinite(v)) {
		pm_json_null(w);
		return;
	}
	if (decimals < 0 || decimals > 17) {
		decimals = 6;
	}
	char b[352];
	int n = snprintf(b, sizeof(b), "%.*f", decimals, v);
	if (n <= 0 || (size_t)n >= sizeof(b)) {
		pm_json_null(w);
		return;
	}
	/* Trim trailing zeros so 2.500000 reads 2.5 and 3.000000 reads 3. */
	if (memchr(b, '.', (size_t)n) != NULL) {
		while (b[n - 1] == '0') {
			n--;
		}
		if (b[n - 1] == '.') {
			n--;
		}
	}
	if (n == 2 && b[0] == '-' && b[1] == '0') {
		b[0] = '0';
		n = 1;
	}
	scalar(w, b, (size_t)n);
}

/* see json.h */
void
pm_json_bool(struct pm_json *w, bool v)
{
	scalar(w, v ? "true" : "false", v ? 4 : 5);
}

/* see json.h */
void
pm_json_null(struct pm_json *w)
{
	scalar(w, "null", 4);
}

/* see json.h */
int
pm_json_finish(struct pm_json *w)
{
	if (w->err) {
		return w->len >= w->limit || w->buf == NULL ? PM_E_LIMIT : PM_E_MALFORMED;
	}
	if (w->depth != 0 || w->after_key || w->len == 0) {
		return PM_E_MALFORMED;
	}
	return 0;
}

/* see json.h */
void
pm_json_kstr(struct pm_json *w, const char *k, const char *s)
{
	pm_json_key(w, k);
	pm_json_str(w, s);
}

/* see json.h */
void
pm_json_kstr_or_null(struct pm_json *w, const char *k, const char *s)
{
	pm_json_key(w, k);
	if (s != NULL && s[0] != '\0') {
		pm_json_str(w, s);
	} else {
		pm_json_null(w);
	}
}

/* see json.h */
void
pm_json_ku64(struct pm_json *w, const char *k, uint64_t v)
{
	pm_json_key(w, k);
	pm_json_u64(w, v);
}

/* see json.h */
void
pm_json_ki64(struct pm_json *w, const char *k, int64_t v)
{
	pm_json_key(w, k);
	pm_json_i64(w, v);
}

/* see json.h */
void
pm_json_kdbl(struct pm_json *w, const char *k, double v, int decimals)
{
	pm_json_key(w, k);
	pm_json_dbl(w, v, decimals);
}

/* see json.h */
void
pm_json_kbool(struct pm_json *w, const char *k, bool v)
{
	pm_json_key(w, k);
	pm_json_bool(w, v);
}

/* see json.h */
void
pm_json_page(struct pm_json *w, const char *name, uint64_t total, uint64_t limit, uint64_t offset)
{
	char key[96];
	snprintf(key, sizeof(key), "%s_page", name);
	pm_json_key(w, key);
	pm_json_obj_begin(w);
	pm_json_ku64(w, "total", total);
	pm_json_kbool(w, "truncated", offset < total && total - offset > limit);
	pm_json_ku64(w, "limit", limit);
	pm_json_ku64(w, "offset", offset);
	pm_json_obj_end(w);
}
