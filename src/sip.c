/* SPDX-License-Identifier: MIT */
/*
 * sip.c - the SIP parser: the start line (RFC 3261 §7.1, §7.2), header
 * fields by name, any case, with compact forms (§7.3.3, §20), and the body
 * length. Lines end at LF (a CR before it is dropped); every byte through
 * the cursor.
 */
#include "sip.h"

#include <string.h>
#include <strings.h>

#include "cursor.h"

/* The next line (without its CR LF) as a view; false at the end or past the cap. */
static bool
line(struct pm_cur *c, struct pm_sip_view *out, bool *complete)
{
	size_t start = c->off, n = 0;
	*complete = false;
	while (pm_cur_left(c) != 0 && n <= PM_SIP_MAX_LINE) {
		uint8_t b = pm_cur_u8(c);
		if (b == '\n') {
			*complete = true;
			break;
		}
		n++;
	}
	if (!*complete) {
		return false;
	}
	out->p = c->buf + start;
	out->n = n != 0 && out->p[n - 1] == '\r' ? n - 1 : n;
	return true;
}

/* Split v at the first space: head before it, rest after it. */
static bool
split(struct pm_sip_view v, struct pm_sip_view *head, struct pm_sip_view *rest)
{
	struct pm_cur c = pm_cur_init(v.p, v.n);
	size_t i = 0;
	while (pm_cur_left(&c) != 0 && pm_cur_u8(&c) != ' ') {
		i++;
	}
	head->p = v.p;
	head->n = i;
	if (i == v.n) {
		rest->p = NULL;
		rest->n = 0;
		return false;
	}
	rest->p = v.p + i + 1;
	rest->n = v.n - i - 1;
	return true;
}

static bool
is(struct pm_sip_view v, const char *s)
{
	size_t n = strlen(s);
	return v.n == n && strncasecmp((const char *)v.p, s, n) == 0;
}

static struct pm_sip_view
trim(struct pm_sip_view v)
{
	while (v.n != 0 && (v.p[0] == ' ' || v.p[0] == '\t')) {
		v.p++;
		v.n--;
	}
	while (v.n != 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t')) {
		v.n--;
	}
	return v;
}

static uint64_t
number(struct pm_sip_view v, size_t max_digits, bool *ok)
{
	uint64_t x = 0;
	size_t i = 0;
	*ok = v.n != 0;
	for (; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++) {
		if (i == max_digits) {
			*ok = false;
			break;
		}
		x = x * 10 + (uint64_t)(v.p[i] - '0');
	}
	*ok = *ok && i != 0;
	return x;
}

static bool
start_line(struct pm_sip_msg *m)
{
	struct pm_sip_view a, rest, b, c;
	split(m->start_line, &a, &rest);
	if (is(a, "SIP/2.0")) {
		m->version = a;
		split(rest, &b, &c);
		bool ok;
		uint64_t code = number(b, 3, &ok);
		if (!ok || b.n != 3 || code < 100 || code > 699) {
			return false;
		}
		m->status = (uint16_t)code;
		m->reason = c;
		return true;
	}
	if (a.n == 0 || !split(rest, &b, &c) || !is(c, "SIP/2.0") || b.n == 0) {
		return false;
	}
	for (size_t i = 0; i < a.n; i++) {
		if (a.p[i] < 'A' || a.p[i] > 'Z') {
			return false;
		}
	}
	m->is_request = true;
	m->method = a;
	m->uri = b;
	m->version = c;
	return true;
}

/* One "Name: value" line into the message. */
static void
header(struct pm_sip_msg *m, struct pm_sip_view l)
{
	const uint8_t *colon = memchr(l.p, ':', l.n);
	if (colon == NULL) {
		return;
	}
	struct pm_sip_view name = { l.p, (size_t)(colon - l.p) };
	struct pm_sip_view value = { colon + 1, l.n - name.n - 1 };
	name = trim(name);
	value = trim(value);
	static const struct {
		const char *full, *compact;
		size_t field;
	} names[] = {
		{ "call-id", "i", offsetof(struct pm_sip_msg, call_id) },
		{ "from", "f", offsetof(struct pm_sip_msg, from) },
		{ "to", "t", offsetof(struct pm_sip_msg, to) },
		{ "contact", "m", offsetof(struct pm_sip_msg, contact) },
		{ "via", "v", offsetof(struct pm_sip_msg, via) },
		{ "user-agent", NULL, offsetof(struct pm_sip_msg, user_agent) },
		{ "server", NULL, offsetof(struct pm_sip_msg, server) },
		{ "content-type", "c", offsetof(struct pm_sip_msg, content_type) },
		{ "cseq", NULL, offsetof(struct pm_sip_msg, cseq) },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(names); i++) {
		if (is(name, names[i].full) ||
		    (names[i].compact != NULL && is(name, names[i].compact))) {
			struct pm_sip_view *f = (struct pm_sip_view *)((char *)m + names[i].field);
			if (f->p == NULL) { /* the first Via is the one that matters */
				*f = value;
			}
			return;
		}
	}
	if (is(name, "content-length") || is(name, "l")) {
		bool ok;
		uint64_t v = number(value, 9, &ok);
		m->content_length = ok ? (int64_t)v : -1;
	}
}

static bool could_start(const uint8_t *p, size_t n);

/* see sip.h */
int
pm_sip_parse(const uint8_t *p, size_t n, struct pm_sip_msg *out)
{
	struct pm_cur c = pm_cur_init(p, n);
	bool complete;
	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	if (!line(&c, &out->start_line, &complete)) {
		out->start_line.p = p;
		out->start_line.n = n < 128 ? n : 128;
		return could_start(p, n) ? PM_E_TRUNC : PM_E_MALFORMED;
	}
	if (!start_line(out)) {
		return PM_E_MALFORMED;
	}
	struct pm_sip_view l;
	for (;;) {
		if (out->n_headers == PM_SIP_MAX_HEADERS || !line(&c, &l, &complete)) {
			return PM_E_TRUNC;
		}
		if (l.n == 0) {
			break;
		}
		out->n_headers++;
		header(out, l);
	}
	if (out->cseq.p != NULL) {
		struct pm_sip_view num, meth;
		split(out->cseq, &num, &meth);
		bool ok;
		out->cseq_num = (uint32_t)number(num, 9, &ok);
		out->cseq_method = trim(meth);
	}
	out->header_len = c.off;
	size_t left = pm_cur_left(&c);
	out->body_len = out->content_length >= 0 && (uint64_t)out->content_length < left
	                    ? (size_t)out->content_length
	                    : left;
	return 0;
}

static const char *const starts[] = { "SIP/2.0 ",  "INVITE ",  "ACK ",   "BYE ",       "CANCEL ",
	                              "REGISTER ", "OPTIONS ", "INFO ",  "MESSAGE ",   "NOTIFY ",
	                              "PRACK ",    "PUBLISH ", "REFER ", "SUBSCRIBE ", "UPDATE " };

/* Whether the n bytes at p are a SIP start line's beginning, or a prefix of one. */
static bool
could_start(const uint8_t *p, size_t n)
{
	struct pm_cur c = pm_cur_init(p, n);
	for (size_t i = 0; i < PM_ARRAY_LEN(starts); i++) {
		size_t l = strlen(starts[i]);
		size_t k = n < l ? n : l;
		struct pm_cur t = c;
		const uint8_t *b = pm_cur_bytes(&t, k);
		if (b != NULL && memcmp(b, starts[i], k) == 0) {
			return true;
		}
	}
	return false;
}

/* see sip.h */
bool
pm_sip_looks_like(const uint8_t *p, size_t n)
{
	struct pm_cur c = pm_cur_init(p, n);
	for (size_t i = 0; i < PM_ARRAY_LEN(starts); i++) {
		struct pm_cur t = c;
		size_t l = strlen(starts[i]);
		const uint8_t *b = pm_cur_bytes(&t, l);
		if (b != NULL && memcmp(b, starts[i], l) == 0) {
			return true;
		}
	}
	return false;
}
