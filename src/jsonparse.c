/* SPDX-License-Identifier: MIT */
/*
 * jsonparse.c - the strict JSON parser (RFC 8259 §2-§8) that builds a tree of
 * struct pm_jv in an arena. The accessors for that tree and pm_json_value,
 * which writes a parsed value back out, are in jsontree.c.
 *
 * UTF-8 is validated per RFC 3629 §4 (no overlongs, no surrogates, nothing
 * above U+10FFFF) and invalid input is rejected. The parser takes no
 * extensions (comments, trailing commas, NaN, single quotes) and never
 * recurses. It does not write JSON; json.c does.
 */
#include "jsonparse.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cursor.h"
#include "json.h"

/*
 * The parser runs the same grammar code twice. Pass 1 checks the whole input
 * and measures it: values, the deepest the value stack gets, and the bytes of
 * decoded strings and number texts. Pass 2 allocates exactly that and builds.
 * So hostile input is rejected before it costs memory, and pass 2 can only
 * fail on PM_E_NOMEM.
 *
 * Values wait on a stack until their container closes (an object pushes each
 * key as a string, then its value); the close copies them into one array.
 * Containers are tracked in frames[], a fixed array of max_depth entries.
 */
struct jframe {
	size_t base; /* stack height when the container opened */
	bool is_obj; /* object (true) or array */
};

struct jparser {
	struct pm_cur c;      /* the input */
	struct pm_error *err; /* detail on failure; may be NULL */
	struct pm_arena *a;   /* pass 2: where the tree goes */
	size_t max_values;    /* limit on values */
	int max_depth;        /* limit on open containers, <= PM_JSON_MAX_PARSE_DEPTH */
	bool build;           /* false: pass 1, true: pass 2 */
	size_t values;        /* values started so far */
	size_t sp;            /* stack height (values and keys) */
	size_t max_sp;        /* pass 1: highest sp; pass 2: stack entries */
	size_t bytes;         /* pass 1: text bytes needed, NULs included; pass 2: pool size */
	size_t used;          /* pass 2: pool bytes handed out */
	struct pm_jv *stack;  /* pass 2: max_sp entries; arena */
	char *pool;           /* pass 2: bytes; arena */
	int depth;            /* open containers */
	struct jframe frames[PM_JSON_MAX_PARSE_DEPTH];
};

static int
end_of_input(const struct jparser *ps)
{
	return pm_error_set(ps->err, PM_E_MALFORMED, ps->c.len, "unexpected end of input");
}

/* The next byte, or -1 at the end. */
static int
peek(const struct pm_cur *c, size_t ahead)
{
	return ahead < pm_cur_left(c) ? pm_cur_peek(c, ahead) : -1;
}

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* RFC 8259 §2: ws = space, horizontal tab, line feed, carriage return. */
static void
skip_ws(struct pm_cur *c)
{
	for (;;) {
		int ch = peek(c, 0);
		if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
			return;
		}
		pm_cur_skip(c, 1);
	}
}

static void
push(struct jparser *ps, const struct pm_jv *v)
{
	if (ps->build) {
		assert(ps->sp < ps->max_sp);
		ps->stack[ps->sp] = *v;
	}
	ps->sp++;
	if (!ps->build && ps->sp > ps->max_sp) {
		ps->max_sp = ps->sp;
	}
}

/* Room for n text bytes: counted in pass 1, carved from the pool in pass 2. */
static char *
take(struct jparser *ps, size_t n)
{
	if (!ps->build) {
		ps->bytes += n;
		return NULL;
	}
	assert(n <= ps->bytes - ps->used);
	char *p = ps->pool + ps->used;
	ps->used += n;
	return p;
}

/* Four hex digits at ahead..ahead+3 from the cursor, or -1 with *rc set. */
static long
hex4(const struct jparser *ps, size_t ahead, int *rc)
{
	long v = 0;
	for (size_t i = 0; i < 4; i++) {
		int ch = peek(&ps->c, ahead + i);
		int d;
		if (ch < 0) {
			*rc = end_of_input(ps);
			return -1;
		}
		if (ch >= '0' && ch <= '9') {
			d = ch - '0';
		} else if (ch >= 'a' && ch <= 'f') {
			d = ch - 'a' + 10;
		} else if (ch >= 'A' && ch <= 'F') {
			d = ch - 'A' + 10;
		} else {
			*rc = pm_error_set(ps->err, PM_E_MALFORMED, ps->c.off + ahead + i,
			                   "invalid hex digit in \\u escape");
			return -1;
		}
		v = v << 4 | d;
	}
	return v;
}

/*
 * The escape at the cursor (on its backslash), decoded into out as UTF-8.
 * RFC 8259 §7: characters outside the BMP are escaped as a UTF-16 surrogate
 * pair; a surrogate that is not half of a pair names no character and is
 * rejected (RFC 3629 §3 forbids encoding it in UTF-8).
 */
static int
parse_escape(struct jparser *ps, uint8_t out[4], size_t *out_len)
{
	struct pm_cur *c = &ps->c;
	size_t at = c->off;
	int rc = 0;
	int e = peek(c, 1);
	*out_len = 1;
	switch (e) {
	case -1:
		return end_of_input(ps);
	case '"':
	case '\\':
	case '/':
		out[0] = (uint8_t)e;
		break;
	case 'b':
		out[0] = '\b';
		break;
	case 'f':
		out[0] = '\f';
		break;
	case 'n':
		out[0] = '\n';
		break;
	case 'r':
		out[0] = '\r';
		break;
	case 't':
		out[0] = '\t';
		break;
	case 'u':
		break;
	default:
		return pm_error_set(ps->err, PM_E_MALFORMED, at, "invalid escape in string");
	}
	if (e != 'u') {
		pm_cur_skip(c, 2);
		return 0;
	}
	long cp = hex4(ps, 2, &rc);
	if (cp < 0) {
		return rc;
	}
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		return pm_error_set(ps->err, PM_E_MALFORMED, at,
		                    "lone low surrogate in \\u escape");
	}
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (peek(c, 6) == -1 || (peek(c, 7) == -1 && peek(c, 6) == '\\')) {
			return end_of_input(ps);
		}
		if (peek(c, 6) != '\\' || peek(c, 7) != 'u') {
			return pm_error_set(ps->err, PM_E_MALFORMED, at,
			                    "high surrogate not followed by a \\u escape");
		}
		long lo = hex4(ps, 8, &rc);
		if (lo < 0) {
			return rc;
		}
		if (lo < 0xDC00 || lo > 0xDFFF) {
			return pm_error_set(ps->err, PM_E_MALFORMED, at + 6,
			                    "high surrogate not followed by a low surrogate");
		}
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		pm_cur_skip(c, 12);
	} else {
		pm_cur_skip(c, 6);
	}
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
	} else if (cp < 0x800) {
		out[0] = (uint8_t)(0xC0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3F));
		*out_len = 2;
	} else if (cp < 0x10000) {
		out[0] = (uint8_t)(0xE0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (uint8_t)(0x80 | (cp & 0x3F));
		*out_len = 3;
	} else {
		out[0] = (uint8_t)(0xF0 | cp >> 18);
		out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
		out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		out[3] = (uint8_t)(0x80 | (cp & 0x3F));
		*out_len = 4;
	}
	return 0;
}

/*
 * The string at the cursor (on its opening quote). Decoding never makes a
 * string longer, so pass 1 measures it and pass 2 decodes it into the pool.
 * Output is written one byte behind the input at most, so pass 2 decodes in
 * a single walk; the string is copied only after its length is known.
 */
static int
parse_string(struct jparser *ps, struct pm_jv *v)
{
	struct pm_cur *c = &ps->c;
	size_t n = 0; /* decoded bytes */
	pm_cur_skip(c, 1);
	/* Pass 1 counts; pass 2 writes into the pool slot sized in pass 1. */
	char *dst = ps->build ? ps->pool + ps->used : NULL;
	for (;;) {
		int ch = peek(c, 0);
		uint8_t e[4];
		size_t l = 1;
		const uint8_t *src = e;
		if (ch < 0) {
			return end_of_input(ps);
		}
		if (ch == '"') {
			pm_cur_skip(c, 1);
			break;
		}
		if (ch < 0x20) {
			return pm_error_set(ps->err, PM_E_MALFORMED, c->off,
			                    "unescaped control character in string");
		}
		if (ch == '\\') {
			int rc = parse_escape(ps, e, &l);
			if (rc != 0) {
				return rc;
			}
		} else {
			if (ch >= 0x80) {
				l = pm_json_utf8_len(c->buf + c->off, pm_cur_left(c));
				if (l == 0) {
					return pm_error_set(ps->err, PM_E_MALFORMED, c->off,
					                    "invalid UTF-8 in string");
				}
			}
			src = pm_cur_bytes(c, l);
		}
		if (dst != NULL) {
			assert(n + l <= ps->bytes - ps->used);
			memcpy(dst + n, src, l);
		}
		n += l;
	}
	char *s = take(ps, n + 1);
	if (s != NULL) {
		s[n] = '\0';
		v->s = s;
	}
	v->type = PM_JV_STR;
	v->len = n;
	return 0;
}

/*
 * The exact value of the number text t when it is integral and fits int64.
 * JSON Schema counts 1.0 and 1e2 as integers, so the digits are scaled by the
 * exponent here rather than judged by their spelling. t is valid §6 grammar.
 */
static bool
exact_int(const char *t, size_t n, int64_t *out)
{
	size_t m = t[0] == '-' ? 1 : 0; /* mantissa start */
	size_t e = m;                   /* mantissa end */
	size_t nfrac = 0;
	bool in_frac = false;
	while (e < n && t[e] != 'e' && t[e] != 'E') {
		if (in_frac) {
			nfrac++;
		}
		in_frac = in_frac || t[e] == '.';
		e++;
	}
	int64_t exp = 0;
	if (e < n) {
		size_t i = e + 1;
		bool neg = t[i] == '-';
		i += t[i] == '-' || t[i] == '+';
		for (; i < n; i++) {
			exp = exp < 1000000000 ? exp * 10 + (t[i] - '0') : exp; /* saturate */
		}
		exp = neg ? -exp : exp;
	}
	/* Significant digits: first and last non-zero in [m, e), '.' skipped. */
	size_t first = e, last = e;
	for (size_t i = m; i < e; i++) {
		if (t[i] != '.' && t[i] != '0') {
			first = first == e ? i : first;
			last = i;
		}
	}
	if (first == e) {
		*out = 0; /* 0, -0, 0.000e9 */
		return true;
	}
	int64_t scale = exp - (int64_t)nfrac;
	for (size_t i = last + 1; i < e; i++) {
		scale += t[i] != '.'; /* trailing zeros of the mantissa */
	}
	if (scale < 0 || scale > 19) {
		return false;
	}
	uint64_t u = 0;
	for (size_t i = first; i <= last; i++) {
		if (t[i] == '.') {
			continue;
		}
		unsigned d = (unsigned)(t[i] - '0');
		if (u > (UINT64_MAX - d) / 10) {
			return false;
		}
		u = u * 10 + d;
	}
	for (int64_t i = 0; i < scale; i++) {
		if (u > UINT64_MAX / 10) {
			return false;
		}
		u *= 10;
	}
	if (t[0] == '-') {
		if (u > (uint64_t)INT64_MAX + 1) {
			return false;
		}
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX) {
			return false;
		}
		*out = (int64_t)u;
	}
	return true;
}

/* Index just past the digits starting at i; an error unless there is one. */
static int
digits(const struct jparser *ps, size_t *i)
{
	int ch = peek(&ps->c, *i);
	if (ch < 0) {
		return end_of_input(ps);
	}
	if (!is_digit(ch)) {
		return pm_error_set(ps->err, PM_E_MALFORMED, ps->c.off + *i, "digit expected");
	}
	while (is_digit(peek(&ps->c, *i))) {
		(*i)++;
	}
	return 0;
}

/* RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ). */
static int
parse_number(struct jparser *ps, struct pm_jv *v)
{
	struct pm_cur *c = &ps->c;
	size_t i = peek(c, 0) == '-' ? 1 : 0;
	int rc;
	if (peek(c, i) == '0') {
		i++;
		if (is_digit(peek(c, i))) {
			return pm_error_set(ps->err, PM_E_MALFORMED, c->off + i,
			                    "leading zero in number");
		}
	} else if ((rc = digits(ps, &i)) != 0) {
		return rc;
	}
	if (peek(c, i) == '.') {
		i++;
		if ((rc = digits(ps, &i)) != 0) {
			return rc;
		}
	}
	if (peek(c, i) == 'e' || peek(c, i) == 'E') {
		i++;
		if (peek(c, i) == '+' || peek(c, i) == '-') {
			i++;
		}
		if ((rc = digits(ps, &i)) != 0) {
			return rc;
		}
	}
	const uint8_t *src = pm_cur_bytes(c, i);
	char *t = take(ps, i + 1);
	v->type = PM_JV_NUM;
	v->len = i;
	if (t != NULL) {
		memcpy(t, src, i);
		t[i] = '\0';
		v->s = t;
		/* Overflow gives +-HUGE_VAL and underflow 0 or a subnormal: both kept (jsonparse.h). */
		v->d = strtod(t, NULL);
		v->is_int = exact_int(t, i, &v->i);
	}
	return 0;
}

static int
parse_literal(struct jparser *ps, const char *word, struct pm_jv *v)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < n; i++) {
		int ch = peek(&ps->c, i);
		if (ch < 0) {
			return end_of_input(ps);
		}
		if (ch != word[i]) {
			return pm_error_set(ps->err, PM_E_MALFORMED, ps->c.off + i,
			                    "invalid literal (expected %s)", word);
		}
	}
	pm_cur_skip(&ps->c, n);
	v->type = word[0] == 'n' ? PM_JV_NULL : PM_JV_BOOL;
	v->b = word[0] == 't';
	return 0;
}

/* An object key at the cursor, then the name separator: pushed as a string. */
static int
parse_key(struct jparser *ps)
{
	struct pm_cur *c = &ps->c;
	struct pm_jv k = { .type = PM_JV_STR };
	skip_ws(c);
	int ch = peek(c, 0);
	if (ch != '"') {
		return ch < 0 ? end_of_input(ps)
		              : pm_error_set(ps->err, PM_E_MALFORMED, c->off,
		                             "object key expected (a string)");
	}
	int rc = parse_string(ps, &k);
	if (rc != 0) {
		return rc;
	}
	push(ps, &k);
	skip_ws(c);
	ch = peek(c, 0);
	if (ch != ':') {
		return ch < 0 ? end_of_input(ps)
		              : pm_error_set(ps->err, PM_E_MALFORMED, c->off,
		                             "':' expected after object key");
	}
	pm_cur_skip(c, 1);
	return 0;
}

/* Pop the innermost container's items into one array and push the container. */
static int
close_container(struct jparser *ps)
{
	struct jframe *f = &ps->frames[--ps->depth];
	size_t n = ps->sp - f->base;
	struct pm_jv v = { .type = f->is_obj ? PM_JV_OBJ : PM_JV_ARR };
	v.len = f->is_obj ? n / 2 : n;
	if (ps->build && n != 0) {
		const struct pm_jv *src = ps->stack + f->base;
		if (f->is_obj) {
			struct pm_jv_member *m =
			    pm_arena_array(ps->a, v.len, sizeof(*m), _Alignof(struct pm_jv_member));
			if (m == NULL) {
				goto out_nomem;
			}
			for (size_t i = 0; i < v.len; i++) {
				m[i].key = src[2 * i].s;
				m[i].key_len = src[2 * i].len;
				m[i].value = src[2 * i + 1];
			}
			v.members = m;
		} else {
			struct pm_jv *items =
			    pm_arena_array(ps->a, n, sizeof(*items), _Alignof(struct pm_jv));
			if (items == NULL) {
				goto out_nomem;
			}
			memcpy(items, src, n * sizeof(*items));
			v.items = items;
		}
	}
	ps->sp = f->base;
	push(ps, &v);
	return 0;
out_nomem:
	return pm_error_set(ps->err, PM_E_NOMEM, ps->c.off, "arena full building the tree");
}

/*
 * Start the value at the cursor. A scalar is parsed and pushed; a container
 * is opened (and closed at once when empty). *want_value stays true when
 * the next thing must be a value: the first member of an open container.
 */
static int
start_value(struct jparser *ps, bool *want_value)
{
	struct pm_cur *c = &ps->c;
	struct pm_jv v = { .type = PM_JV_NULL };
	int rc;
	skip_ws(c);
	int ch = peek(c, 0);
	if (ch < 0) {
		return end_of_input(ps);
	}
	if (++ps->values > ps->max_values) {
		return pm_error_set(ps->err, PM_E_LIMIT, c->off, "more than %zu values",
		                    ps->max_values);
	}
	*want_value = false;
	switch (ch) {
	case '[':
	case '{':
		if (ps->depth >= ps->max_depth) {
			return pm_error_set(ps->err, PM_E_LIMIT, c->off, "nesting deeper than %d",
			                    ps->max_depth);
		}
		ps->frames[ps->depth].base = ps->sp;
		ps->frames[ps->depth].is_obj = ch == '{';
		ps->depth++;
		pm_cur_skip(c, 1);
		skip_ws(c);
		if (peek(c, 0) == (ch == '{' ? '}' : ']')) {
			pm_cur_skip(c, 1);
			return close_container(ps);
		}
		*want_value = true;
		return ch == '{' ? parse_key(ps) : 0;
	case '"':
		rc = parse_string(ps, &v);
		break;
	case 't':
		rc = parse_literal(ps, "true", &v);
		break;
	case 'f':
		rc = parse_literal(ps, "false", &v);
		break;
	case 'n':
		rc = parse_literal(ps, "null", &v);
		break;
	default:
		if (ch == '-' || is_digit(ch)) {
			rc = parse_number(ps, &v);
			break;
		}
		if (ch > 0x20 && ch < 0x7F) {
			return pm_error_set(ps->err, PM_E_MALFORMED, c->off,
			                    "unexpected '%c' where a value should start", ch);
		}
		return pm_error_set(ps->err, PM_E_MALFORMED, c->off,
		                    "unexpected byte 0x%02x where a value should start", ch);
	}
	if (rc == 0) {
		push(ps, &v);
	}
	return rc;
}

/* One pass over the whole input (see above). */
static int
run(struct jparser *ps)
{
	struct pm_cur *c = &ps->c;
	bool want_value = true;
	for (;;) {
		int rc = 0;
		if (want_value) {
			rc = start_value(ps, &want_value);
			if (rc != 0) {
				return rc;
			}
			continue;
		}
		skip_ws(c);
		int ch = peek(c, 0);
		if (ps->depth == 0) {
			if (ch >= 0) {
				return pm_error_set(ps->err, PM_E_MALFORMED, c->off,
				                    "unexpected data after the value");
			}
			return 0;
		}
		bool is_obj = ps->frames[ps->depth - 1].is_obj;
		if (ch < 0) {
			return end_of_input(ps);
		}
		if (ch == ',') {
			pm_cur_skip(c, 1);
			want_value = true;
			rc = is_obj ? parse_key(ps) : 0;
		} else if (ch == (is_obj ? '}' : ']')) {
			pm_cur_skip(c, 1);
			rc = close_container(ps);
		} else {
			rc = pm_error_set(ps->err, PM_E_MALFORMED, c->off, "',' or '%c' expected",
			                  is_obj ? '}' : ']');
		}
		if (rc != 0) {
			return rc;
		}
	}
}

static void
begin(struct jparser *ps, const uint8_t *p, size_t n, struct pm_arena *a, struct pm_error *err)
{
	memset(ps, 0, sizeof(*ps));
	ps->c = pm_cur_init(p, n);
	ps->err = err;
	ps->a = a;
	ps->max_values = PM_JSON_MAX_PARSE_VALUES;
	ps->max_depth = PM_JSON_MAX_PARSE_DEPTH;
}

/* see jsonparse.h */
int
pm_json_parse_limits(const uint8_t *p, size_t n, const struct pm_json_limits *lim,
                     struct pm_arena *a, const struct pm_jv **out, struct pm_error *err)
{
	struct jparser ps;
	size_t max_input = PM_JSON_MAX_PARSE_INPUT;
	*out = NULL;
	begin(&ps, p, n, a, err);
	if (lim != NULL) {
		max_input = lim->max_input != 0 ? lim->max_input : max_input;
		ps.max_values = lim->max_values != 0 ? lim->max_values : ps.max_values;
		if (lim->max_depth > 0 && lim->max_depth < PM_JSON_MAX_PARSE_DEPTH) {
			ps.max_depth = lim->max_depth;
		}
	}
	if (n > max_input) {
		return pm_error_set(err, PM_E_LIMIT, max_input, "input larger than %zu bytes",
		                    max_input);
	}
	if (pm_cur_peek(&ps.c, 0) == 0xEF && pm_cur_peek(&ps.c, 1) == 0xBB &&
	    pm_cur_peek(&ps.c, 2) == 0xBF) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "byte order mark (RFC 8259 §8.1)");
	}
	int rc = run(&ps);
	if (rc != 0) {
		return rc;
	}
	assert(ps.sp == 1 && ps.max_sp >= 1);
	size_t max_sp = ps.max_sp, bytes = ps.bytes;
	struct pm_jv *stack = pm_arena_array(a, max_sp, sizeof(*stack), _Alignof(struct pm_jv));
	char *pool = bytes != 0 ? pm_arena_alloc(a, bytes, 1) : NULL;
	if (stack == NULL || (bytes != 0 && pool == NULL)) {
		return pm_error_set(err, PM_E_NOMEM, 0, "arena full (%zu values)", ps.values);
	}
	/* Pass 2 sees the input pass 1 accepted, so only the arena can fail it. */
	begin(&ps, p, n, a, err);
	ps.max_values = SIZE_MAX; /* pass 1 applied the caller's limits */
	ps.build = true;
	ps.max_sp = max_sp;
	ps.bytes = bytes;
	ps.stack = stack;
	ps.pool = pool;
	rc = run(&ps);
	if (rc != 0) {
		return rc;
	}
	*out = &stack[0];
	return 0;
}

/* see jsonparse.h */
int
pm_json_parse(const uint8_t *p, size_t n, struct pm_arena *a, const struct pm_jv **out,
              struct pm_error *err)
{
	return pm_json_parse_limits(p, n, NULL, a, out, err);
}
