/* SPDX-License-Identifier: MIT */
/*
 * test_json.c - the writer (structure, escaping, invalid UTF-8, numbers,
 * limits, misuse) and the parser: JSONTestSuite-style y_/n_ tables derived
 * from RFC 8259 and RFC 3629, decoded values, limits, round trips through the
 * writer, and a truncation sweep over guarded inputs.
 */
#include "json.h"
#include "jsonparse.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>

#include "arena.h"
#include "guard.h"

void test_json(void);

static void
structure(void)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_json_kstr(&w, "a", "x");
	pm_json_key(&w, "b");
	pm_json_arr_begin(&w);
	pm_json_u64(&w, 1);
	pm_json_i64(&w, -2);
	pm_json_bool(&w, true);
	pm_json_null(&w);
	pm_json_obj_begin(&w);
	pm_json_obj_end(&w);
	pm_json_arr_end(&w);
	pm_json_kdbl(&w, "c", 2.5, 3);
	pm_json_kdbl(&w, "d", 3.0, 3);
	pm_json_kdbl(&w, "e", NAN, 3);
	pm_json_kdbl(&w, "f", -0.0001, 3);
	pm_json_page(&w, "items", 120, 50, 0);
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "{\"a\":\"x\",\"b\":[1,-2,true,null,{}],\"c\":2.5,\"d\":3,\"e\":null,"
	                 "\"f\":0,\"items_page\":{\"total\":120,\"truncated\":true,\"limit\":50,"
	                 "\"offset\":0}}");
	pm_json_free(&w);

	/* A finished document embedded verbatim, with the commas placed around it. */
	struct pm_json inner;
	pm_json_init(&inner, 0);
	pm_json_obj_begin(&inner);
	pm_json_kbool(&inner, "ok", true);
	pm_json_obj_end(&inner);
	CHECK_EQ(pm_json_finish(&inner), 0);
	pm_json_init(&w, 0);
	pm_json_arr_begin(&w);
	pm_json_raw(&w, inner.buf, inner.len);
	pm_json_raw(&w, inner.buf, inner.len);
	pm_json_arr_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "[{\"ok\":true},{\"ok\":true}]");
	pm_json_free(&w);
	pm_json_free(&inner);
}

static void
escaping(void)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_arr_begin(&w);
	pm_json_str(&w, "q\"b\\n\n\t\x01");
	pm_json_strn(&w, "a\0b", 3);
	pm_json_str(&w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"); /* valid: passes through */
	pm_json_str(&w, "\xff\xc3(");                                 /* invalid bytes */
	pm_json_str(&w, "\xed\xa0\x80");                              /* UTF-8 surrogate */
	pm_json_str(&w, "\xc0\xaf");                                  /* overlong '/' */
	pm_json_arr_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "[\"q\\\"b\\\\n\\n\\t\\u0001\",\"a\\u0000b\","
	                 "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"\\\\xff\\\\xc3(\","
	                 "\"\\\\xed\\\\xa0\\\\x80\",\"\\\\xc0\\\\xaf\"]");
	pm_json_free(&w);
}

static void
misuse_and_limits(void)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_json_u64(&w, 1); /* a value without a key */
	pm_json_obj_end(&w);
	CHECK(pm_json_finish(&w) != 0);
	pm_json_free(&w);

	pm_json_init(&w, 0);
	pm_json_arr_begin(&w);
	CHECK(pm_json_finish(&w) != 0); /* unclosed */
	pm_json_free(&w);

	pm_json_init(&w, 0);
	for (int i = 0; i < PM_JSON_MAX_DEPTH + 1; i++) {
		pm_json_arr_begin(&w);
	}
	CHECK(w.err);
	pm_json_free(&w);

	pm_json_init(&w, 64);
	pm_json_arr_begin(&w);
	for (int i = 0; i < 100; i++) {
		pm_json_str(&w, "0123456789");
	}
	pm_json_arr_end(&w);
	CHECK_EQ(pm_json_finish(&w), PM_E_LIMIT);
	CHECK(w.len <= 64);
	pm_json_free(&w);
}

/* A case: a name (JSONTestSuite style) and the exact bytes, NULs included. */
struct jcase {
	const char *name;
	const char *text;
	size_t len;
};
#define J(name, text)                                                                              \
	{                                                                                          \
		name, text, sizeof(text) - 1                                                       \
	}

/* Must parse (RFC 8259 grammar, RFC 3629 UTF-8). */
static const struct jcase y_cases[] = {
	J("y_structure_empty_object", "{}"),
	J("y_structure_empty_array", "[]"),
	J("y_structure_ws_around", " \t\r\n[ \t\r\n1 \t\r\n, 2 ]\n\t\r "),
	J("y_structure_nested", "[[[]],{\"a\":{\"b\":[{}]}}]"),
	J("y_structure_top_string", "\"x\""),
	J("y_structure_top_number", "42"),
	J("y_structure_top_true", "true"),
	J("y_structure_top_false", "false"),
	J("y_structure_top_null", "null"),
	J("y_structure_top_null_ws", " null "),
	J("y_object_basic", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"),
	J("y_object_duplicate_key", "{\"a\":1,\"a\":2}"),
	J("y_object_empty_key", "{\"\":0}"),
	J("y_object_ws_everywhere", "{ \"a\" : [ 1 , { } ] , \"b\" : null }"),
	J("y_number_zero", "0"),
	J("y_number_minus_zero", "-0"),
	J("y_number_minus_zero_frac", "-0.0"),
	J("y_number_frac", "3.25"),
	J("y_number_exp", "1e5"),
	J("y_number_exp_upper", "1E5"),
	J("y_number_exp_plus", "1e+5"),
	J("y_number_exp_minus", "1e-5"),
	J("y_number_exp_leading_zeros", "1e007"),
	J("y_number_frac_exp", "-12.5e+3"),
	J("y_number_huge_exp", "1e400"),
	J("y_number_tiny_exp", "1e-400"),
	J("y_number_int64_max", "9223372036854775807"),
	J("y_number_int64_min", "-9223372036854775808"),
	J("y_number_beyond_int64", "18446744073709551616"),
	J("y_number_long_digits", "123456789012345678901234567890.5"),
	J("y_string_empty", "\"\""),
	J("y_string_simple_escapes", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""),
	J("y_string_u_escape", "\"\\u0041\\u00e9\\u20AC\""),
	J("y_string_u_nul", "\"a\\u0000b\""),
	J("y_string_surrogate_pair", "\"\\uD83D\\uDE00\""),
	J("y_string_surrogate_pair_lower", "\"\\ud834\\udd1e\""),
	J("y_string_nonchar_fffe", "\"\\uFFFE\\uFFFF\""),
	J("y_string_utf8_2byte", "\"caf\xc3\xa9\""),
	J("y_string_utf8_3byte", "\"\xe2\x82\xac\""),
	J("y_string_utf8_4byte", "\"\xf0\x9f\x98\x80\""),
	J("y_string_utf8_max", "\"\xf4\x8f\xbf\xbf\""),
	J("y_string_utf8_before_surrogates", "\"\xed\x9f\xbf\""),
	J("y_string_del", "\"\x7f\""),
	J("y_string_u2028", "\"\xe2\x80\xa8\""),
	J("y_string_in_key_escapes", "{\"\\n\\u0000\":1}"),
};

/* Must be rejected. */
static const struct jcase n_cases[] = {
	J("n_structure_empty", ""),
	J("n_structure_ws_only", " \n\t "),
	J("n_structure_bom", "\xef\xbb\xbf{}"),
	J("n_structure_two_values", "1 2"),
	J("n_structure_two_arrays", "[][]"),
	J("n_structure_trailing_garbage", "{}x"),
	J("n_structure_trailing_nul", "{}\0"),
	J("n_structure_leading_nul", "\0{}"),
	J("n_structure_unclosed_array", "[1"),
	J("n_structure_unclosed_object", "{\"a\":1"),
	J("n_structure_unopened_close", "]"),
	J("n_structure_mismatched", "[}"),
	J("n_structure_mismatched_obj", "{]"),
	J("n_structure_comment_line", "[1]//c"),
	J("n_structure_comment_block", "/*c*/[1]"),
	J("n_structure_ws_formfeed", "\f[1]"),
	J("n_structure_ws_vtab", "[1\v]"),
	J("n_structure_ws_nbsp", "[\xc2\xa0"
	                         "1]"),
	J("n_structure_lone_comma", ","),
	J("n_array_trailing_comma", "[1,]"),
	J("n_array_leading_comma", "[,1]"),
	J("n_array_double_comma", "[1,,2]"),
	J("n_array_missing_comma", "[1 2]"),
	J("n_array_colon", "[1:2]"),
	J("n_object_trailing_comma", "{\"a\":1,}"),
	J("n_object_no_colon", "{\"a\" 1}"),
	J("n_object_no_value", "{\"a\":}"),
	J("n_object_unquoted_key", "{a:1}"),
	J("n_object_number_key", "{1:1}"),
	J("n_object_single_quotes", "{'a':1}"),
	J("n_object_double_colon", "{\"a\"::1}"),
	J("n_object_comma_instead_of_colon", "{\"a\",1}"),
	J("n_object_missing_comma", "{\"a\":1 \"b\":2}"),
	J("n_literal_true_caps", "True"),
	J("n_literal_truth", "truth"),
	J("n_literal_nul", "nul"),
	J("n_literal_nan", "NaN"),
	J("n_literal_infinity", "Infinity"),
	J("n_literal_minus_infinity", "-Infinity"),
	J("n_literal_undefined", "undefined"),
	J("n_number_leading_zero", "01"),
	J("n_number_minus_leading_zero", "-01"),
	J("n_number_plus", "+1"),
	J("n_number_minus_only", "-"),
	J("n_number_dot_start", ".5"),
	J("n_number_dot_end", "1."),
	J("n_number_dot_exp", "1.e5"),
	J("n_number_exp_empty", "1e"),
	J("n_number_exp_sign_only", "1e+"),
	J("n_number_hex", "0x1F"),
	J("n_number_minus_space", "- 1"),
	J("n_number_double_minus", "--1"),
	J("n_number_comma_decimal", "[1,5.]"),
	J("n_number_fullwidth", "\xef\xbc\x91"),
	J("n_string_single_quotes", "'a'"),
	J("n_string_unterminated", "\"abc"),
	J("n_string_raw_newline", "\"a\nb\""),
	J("n_string_raw_tab", "\"a\tb\""),
	J("n_string_raw_nul", "\"a\0b\""),
	J("n_string_raw_unit_sep", "\"\x1f\""),
	J("n_string_bad_escape", "\"\\x41\""),
	J("n_string_escape_apostrophe", "\"\\'\""),
	J("n_string_escape_upper_u", "\"\\U0041\""),
	J("n_string_u_short", "\"\\u12\""),
	J("n_string_u_nonhex", "\"\\u12G4\""),
	J("n_string_backslash_end", "\"\\\""),
	J("n_surrogate_lone_high", "\"\\uD800\""),
	J("n_surrogate_lone_high_then_text", "\"\\uD800abcdef\""),
	J("n_surrogate_lone_low", "\"\\uDC00\""),
	J("n_surrogate_high_high", "\"\\uD800\\uD800\""),
	J("n_surrogate_high_bmp", "\"\\uD800\\u0041\""),
	J("n_surrogate_reversed", "\"\\uDE00\\uD83D\""),
	J("n_surrogate_high_simple_escape", "\"\\uD800\\n\""),
	J("n_utf8_lone_continuation", "\"\x80\""),
	J("n_utf8_invalid_ff", "\"\xff\""),
	J("n_utf8_overlong_slash", "\"\xc0\xaf\""),
	J("n_utf8_overlong_c1", "\"\xc1\xbf\""),
	J("n_utf8_overlong_3byte", "\"\xe0\x80\xaf\""),
	J("n_utf8_overlong_4byte", "\"\xf0\x80\x80\xaf\""),
	J("n_utf8_surrogate_encoded", "\"\xed\xa0\x80\""),
	J("n_utf8_above_10ffff", "\"\xf4\x90\x80\x80\""),
	J("n_utf8_f5", "\"\xf5\x80\x80\x80\""),
	J("n_utf8_truncated_2byte", "\"\xc3\""),
	J("n_utf8_truncated_4byte", "\"\xf0\x9f\x98\""),
	J("n_utf8_outside_string", "[\xc3\xa9]"),
	J("n_utf16_input", "\0[\0]"),
};

/* Parse n bytes placed against a guard page; the code, and the root in *out. */
static int
parse_guarded(const void *p, size_t n, struct pm_arena *a, const struct pm_jv **out,
              struct pm_error *err)
{
	return pm_json_parse(pm_guard(p, n), n, a, out, err);
}

static void
tables(void)
{
	struct pm_arena a;
	pm_arena_init(&a, 0);
	for (size_t i = 0; i < PM_ARRAY_LEN(y_cases); i++) {
		const struct jcase *t = &y_cases[i];
		const struct pm_jv *v = NULL;
		struct pm_error err = { 0 };
		int rc = parse_guarded(t->text, t->len, &a, &v, &err);
		if (rc != 0) {
			fprintf(stderr, "%s: rejected: %s at %zu\n", t->name, err.msg, err.offset);
		}
		CHECK_EQ(rc, 0);
		CHECK(v != NULL);
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(n_cases); i++) {
		const struct jcase *t = &n_cases[i];
		const struct pm_jv *v = NULL;
		struct pm_error err = { 0 };
		int rc = parse_guarded(t->text, t->len, &a, &v, &err);
		if (rc != PM_E_MALFORMED) {
			fprintf(stderr, "%s: rc %d, want PM_E_MALFORMED\n", t->name, rc);
		}
		CHECK_EQ(rc, PM_E_MALFORMED);
		CHECK(v == NULL);
		CHECK_EQ(err.code, rc);
		CHECK(err.offset <= t->len);
		CHECK(err.msg[0] != '\0');
	}
	pm_arena_free(&a);
}

static const struct pm_jv *
parse_ok(struct pm_arena *a, const char *text)
{
	const struct pm_jv *v = NULL;
	struct pm_error err = { 0 };
	int rc = parse_guarded(text, strlen(text), a, &v, &err);
	if (rc != 0) {
		fprintf(stderr, "parse_ok(%s): %s at %zu\n", text, err.msg, err.offset);
	}
	CHECK_EQ(rc, 0);
	return v;
}

static void
values(void)
{
	struct pm_arena a;
	pm_arena_init(&a, 0);
	const struct pm_jv *v =
	    parse_ok(&a, "{\"s\":\"a\\u0000b\\uD83D\\uDE00\\u00e9\\/\",\"k\":\"x\",\"k\":\"y\","
	                 "\"t\":true,\"f\":false,\"n\":null,\"arr\":[1,\"2\",[]],\"max\":"
	                 "9223372036854775807,\"min\":-9223372036854775808,\"over\":"
	                 "9223372036854775808,\"under\":-9223372036854775809,\"mz\":-0,"
	                 "\"big\":1e400,\"nbig\":-1e400,\"tiny\":1e-400,\"fr\":2.5,\"e2\":1e2,"
	                 "\"one\":1.0,\"half\":1.5e0,\"zexp\":0e999999999999,\"i15\":1.50e1,"
	                 "\"huge\":1e19,\"\\u00e9\":\"key\"}");
	if (v == NULL) {
		pm_arena_free(&a);
		return;
	}
	CHECK(pm_jv_is(v, PM_JV_OBJ));
	CHECK_EQ(v->len, 23);
	const struct pm_jv *s = pm_jv_get(v, "s");
	CHECK(pm_jv_is(s, PM_JV_STR));
	CHECK_EQ(s->len, 10);
	CHECK_MEM(s->s, "a\0b\xf0\x9f\x98\x80\xc3\xa9/", 11);
	CHECK(pm_jv_str(s) == NULL); /* holds a NUL */
	/* Duplicates: lookup sees the last, members[] keeps both in order. */
	CHECK_STR(pm_jv_str(pm_jv_get(v, "k")), "y");
	CHECK_STR(v->members[1].key, "k");
	CHECK_STR(pm_jv_str(&v->members[1].value), "x");
	CHECK_STR(v->members[2].key, "k");
	CHECK(pm_jv_get(v, "absent") == NULL);
	CHECK(pm_jv_get(s, "s") == NULL);
	CHECK(pm_jv_get(NULL, "s") == NULL);
	bool b = false;
	CHECK(pm_jv_bool(pm_jv_get(v, "t"), &b) && b);
	CHECK(pm_jv_bool(pm_jv_get(v, "f"), &b) && !b);
	CHECK(!pm_jv_bool(pm_jv_get(v, "n"), &b));
	CHECK(pm_jv_is(pm_jv_get(v, "n"), PM_JV_NULL));
	const struct pm_jv *arr = pm_jv_get(v, "arr");
	CHECK(pm_jv_is(arr, PM_JV_ARR));
	CHECK_EQ(arr->len, 3);
	CHECK(pm_jv_is(&arr->items[1], PM_JV_STR));
	CHECK(pm_jv_is(&arr->items[2], PM_JV_ARR) && arr->items[2].len == 0);
	int64_t i = 0;
	CHECK(pm_jv_int(pm_jv_get(v, "max"), &i) && i == INT64_MAX);
	CHECK(pm_jv_int(pm_jv_get(v, "min"), &i) && i == INT64_MIN);
	CHECK(!pm_jv_int(pm_jv_get(v, "over"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "under"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "huge"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "fr"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "half"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "big"), &i));
	CHECK(!pm_jv_int(pm_jv_get(v, "s"), &i));
	CHECK(pm_jv_int(pm_jv_get(v, "e2"), &i) && i == 100);
	CHECK(pm_jv_int(pm_jv_get(v, "one"), &i) && i == 1);
	CHECK(pm_jv_int(pm_jv_get(v, "i15"), &i) && i == 15);
	CHECK(pm_jv_int(pm_jv_get(v, "zexp"), &i) && i == 0);
	const struct pm_jv *mz = pm_jv_get(v, "mz");
	double d = 1;
	CHECK(pm_jv_int(mz, &i) && i == 0);
	CHECK(pm_jv_num(mz, &d) && d == 0 && signbit(d));
	CHECK_STR(mz->s, "-0");
	const struct pm_jv *big = pm_jv_get(v, "big");
	CHECK(big != NULL && isinf(big->d) && big->d > 0);
	CHECK(!pm_jv_num(big, &d));
	CHECK_STR(big->s, "1e400");
	CHECK(pm_jv_get(v, "nbig") != NULL && isinf(pm_jv_get(v, "nbig")->d));
	CHECK(pm_jv_num(pm_jv_get(v, "tiny"), &d) && d == 0);
	CHECK(pm_jv_num(pm_jv_get(v, "fr"), &d) && d == 2.5);
	CHECK_STR(pm_jv_str(pm_jv_get(v, "\xc3\xa9")), "key");
	pm_arena_free(&a);
}

static void
limits(void)
{
	struct pm_arena a;
	pm_arena_init(&a, 0);
	char deep[2 * (PM_JSON_MAX_PARSE_DEPTH + 1) + 1];
	const struct pm_jv *v = NULL;
	struct pm_error err = { 0 };
	for (int depth = PM_JSON_MAX_PARSE_DEPTH; depth <= PM_JSON_MAX_PARSE_DEPTH + 1; depth++) {
		memset(deep, '[', (size_t)depth);
		memset(deep + depth, ']', (size_t)depth);
		int rc = parse_guarded(deep, 2 * (size_t)depth, &a, &v, &err);
		CHECK_EQ(rc, depth <= PM_JSON_MAX_PARSE_DEPTH ? 0 : PM_E_LIMIT);
	}
	CHECK_EQ(err.offset, PM_JSON_MAX_PARSE_DEPTH);
	/* Objects count the same way. */
	char odeep[8 * (PM_JSON_MAX_PARSE_DEPTH + 1) + 8];
	size_t n = 0;
	for (int k = 0; k <= PM_JSON_MAX_PARSE_DEPTH; k++) {
		memcpy(odeep + n, "{\"a\":", 5);
		n += 5;
	}
	odeep[n++] = '1';
	memset(odeep + n, '}', PM_JSON_MAX_PARSE_DEPTH + 1);
	n += PM_JSON_MAX_PARSE_DEPTH + 1;
	CHECK_EQ(parse_guarded(odeep, n, &a, &v, &err), PM_E_LIMIT);
	/* An unclosed deep prefix fails on depth before it runs out of input. */
	memset(deep, '[', sizeof(deep));
	CHECK_EQ(parse_guarded(deep, sizeof(deep), &a, &v, &err), PM_E_LIMIT);

	struct pm_json_limits lim = { .max_values = 3 };
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[1,2]", 5, &lim, &a, &v, &err), 0);
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[1,2,3]", 7, &lim, &a, &v, &err),
	         PM_E_LIMIT);
	CHECK_EQ(err.offset, 5);
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"{\"a\":1,\"b\":2}", 13, &lim, &a, &v, &err),
	         0); /* keys are not values */
	lim = (struct pm_json_limits){ .max_input = 4 };
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[12]", 4, &lim, &a, &v, &err), 0);
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[123]", 5, &lim, &a, &v, &err), PM_E_LIMIT);
	CHECK(v == NULL);
	lim = (struct pm_json_limits){ .max_depth = 2 };
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[[1]]", 5, &lim, &a, &v, &err), 0);
	CHECK_EQ(pm_json_parse_limits((const uint8_t *)"[[[1]]]", 7, &lim, &a, &v, &err),
	         PM_E_LIMIT);

	/* The default value limit: one value past it, in a flat array. */
	size_t count = PM_JSON_MAX_PARSE_VALUES; /* the array itself makes one more */
	char *big = malloc(2 * count + 2);
	if (big != NULL) {
		big[0] = '[';
		for (size_t k = 0; k < count; k++) {
			big[1 + 2 * k] = '0';
			big[2 + 2 * k] = ',';
		}
		big[2 * count] = ']';
		CHECK_EQ(pm_json_parse((const uint8_t *)big, 2 * count + 1, &a, &v, &err),
		         PM_E_LIMIT);
		lim = (struct pm_json_limits){ .max_values = 2 * count };
		CHECK_EQ(
		    pm_json_parse_limits((const uint8_t *)big, 2 * count + 1, &lim, &a, &v, &err),
		    0);                   /* a caller may raise the limit */
		big[2 * count - 2] = ']'; /* one fewer item: exactly the limit */
		CHECK_EQ(pm_json_parse((const uint8_t *)big, 2 * count - 1, &a, &v, &err), 0);
		CHECK(v != NULL && v->len == count - 1);
		free(big);
	}
	pm_arena_free(&a);

	/* A full arena is PM_E_NOMEM, and nothing is returned. */
	pm_arena_init(&a, 64);
	CHECK_EQ(pm_json_parse((const uint8_t *)"[1,2,3,4,5,6,7,8]", 17, &a, &v, &err), PM_E_NOMEM);
	CHECK(v == NULL);
	pm_arena_free(&a);
}

/* Structural equality of two trees (tests may recurse; depth is at most 64). */
static bool
jv_equal(const struct pm_jv *x, const struct pm_jv *y)
{
	if (x->type != y->type || x->len != y->len) {
		return false;
	}
	switch (x->type) {
	case PM_JV_NULL:
		return true;
	case PM_JV_BOOL:
		return x->b == y->b;
	case PM_JV_NUM:
	case PM_JV_STR:
		return memcmp(x->s, y->s, x->len) == 0;
	case PM_JV_ARR:
		for (size_t i = 0; i < x->len; i++) {
			if (!jv_equal(&x->items[i], &y->items[i])) {
				return false;
			}
		}
		return true;
	case PM_JV_OBJ:
		for (size_t i = 0; i < x->len; i++) {
			const struct pm_jv_member *m = &x->members[i], *o = &y->members[i];
			if (m->key_len != o->key_len || memcmp(m->key, o->key, m->key_len) != 0 ||
			    !jv_equal(&m->value, &o->value)) {
				return false;
			}
		}
		return true;
	}
	return false;
}

static const char *const docs[] = {
	"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
	"\"flows\",\"arguments\":{\"path\":\"a.pcap\",\"limit\":50}}}",
	"{\"jsonrpc\":\"2.0\",\"id\":\"abc\\u0000\\n\",\"result\":{\"x\":[1.50,-0,1e400,"
	"1E-7,12345678901234567890123]}}",
	"[true,false,null,\"\\uD834\\uDD1E caf\\u00e9 \\\"q\\\" \\\\ \\/\",{},[],[[]],"
	"{\"\":{\"\\u0000\":0}}]",
	"\"\\u0001\\u001f\\u007f\"",
	"-9223372036854775808",
	"{\"a\":1,\"a\":2,\"b\":[{\"c\":{\"d\":[null]}}]}",
};

static void
round_trip(void)
{
	struct pm_arena a;
	pm_arena_init(&a, 0);
	for (size_t i = 0; i < PM_ARRAY_LEN(docs); i++) {
		const struct pm_jv *v1 = parse_ok(&a, docs[i]), *v2 = NULL;
		if (v1 == NULL) {
			continue;
		}
		struct pm_json w1, w2;
		pm_json_init(&w1, 0);
		pm_json_value(&w1, v1);
		CHECK_EQ(pm_json_finish(&w1), 0);
		struct pm_error err;
		CHECK_EQ(pm_json_parse((const uint8_t *)w1.buf, w1.len, &a, &v2, &err), 0);
		if (v2 != NULL) {
			CHECK(jv_equal(v1, v2));
			pm_json_init(&w2, 0);
			pm_json_value(&w2, v2);
			CHECK_EQ(pm_json_finish(&w2), 0);
			CHECK_STR(w2.buf, w1.buf);
			pm_json_free(&w2);
		}
		pm_json_free(&w1);
	}

	/* Exact output: numbers keep their text, escapes are normalised. */
	const struct pm_jv *v = parse_ok(&a, " { \"id\" : 1.50e+2 , \"s\" : \"\\u00e9\\/\\u0000\" ,"
	                                     " \"a\" : [ -0 , 1e400 ] } ");
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_json_value(&w, v);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "{\"id\":1.50e+2,\"s\":\"\xc3\xa9/\\u0000\",\"a\":[-0,1e400]}");
	pm_json_free(&w);

	/* Echoing a parsed id inside a response being written. */
	v = parse_ok(&a, "{\"id\":\"r-1\",\"method\":\"ping\"}");
	pm_json_init(&w, 0);
	pm_json_obj_begin(&w);
	pm_json_key(&w, "id");
	pm_json_value(&w, pm_jv_get(v, "id"));
	pm_json_key(&w, "missing");
	pm_json_value(&w, pm_jv_get(v, "missing"));
	pm_json_obj_end(&w);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, "{\"id\":\"r-1\",\"missing\":null}");
	pm_json_free(&w);

	/* A 64-deep tree inside an open container passes the writer's limit. */
	char deep[2 * PM_JSON_MAX_PARSE_DEPTH + 1];
	memset(deep, '[', PM_JSON_MAX_PARSE_DEPTH);
	memset(deep + PM_JSON_MAX_PARSE_DEPTH, ']', PM_JSON_MAX_PARSE_DEPTH);
	deep[2 * PM_JSON_MAX_PARSE_DEPTH] = '\0';
	v = parse_ok(&a, deep);
	pm_json_init(&w, 0);
	pm_json_value(&w, v);
	CHECK_EQ(pm_json_finish(&w), 0);
	CHECK_STR(w.buf, deep);
	pm_json_free(&w);
	pm_json_init(&w, 0);
	pm_json_arr_begin(&w);
	pm_json_value(&w, v);
	pm_json_arr_end(&w);
	CHECK(pm_json_finish(&w) != 0);
	pm_json_free(&w);
	pm_arena_free(&a);
}

/*
 * Every prefix of each document, against a guard page, is an error (or, for
 * the prefixes listed, a valid document itself) and never reads past its end.
 */
static void
truncation(void)
{
	static const struct {
		const char *doc;
		const char *valid; /* prefix lengths that are documents, as ",1,2," */
	} sweep[] = {
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"a\":"
		  "[true,false,null,-1.5e+3,\"\\uD83D\\uDE00\\u00e9\\n\xc3\xa9\xf0\x9f\x98\x80\"]}"
		  "}",
		  "" },
		{ "[\"\\u0041\",{},[],0,{\"\":\"\"}]", "" },
		{ "-12.5e+3", ",2,3,5,8," },
		{ "\"\xe2\x82\xac\\uDBFF\\uDFFF\"", "" },
		{ "true", ",4," },
	};
	struct pm_arena a;
	pm_arena_init(&a, 0);
	for (size_t i = 0; i < PM_ARRAY_LEN(sweep); i++) {
		size_t n = strlen(sweep[i].doc);
		for (size_t k = 0; k <= n; k++) {
			const struct pm_jv *v = NULL;
			struct pm_error err = { 0 };
			char tag[32];
			snprintf(tag, sizeof(tag), ",%zu,", k);
			bool valid = k == n || strstr(sweep[i].valid, tag) != NULL;
			int rc = parse_guarded(sweep[i].doc, k, &a, &v, &err);
			if ((rc == 0) != valid) {
				fprintf(stderr, "truncation %zu/%zu: rc %d (%s)\n", i, k, rc,
				        err.msg);
			}
			CHECK_EQ(rc == 0, valid);
			CHECK(valid || (rc == PM_E_MALFORMED && err.offset <= k));
		}
	}
	pm_arena_free(&a);
}

void
test_json(void)
{
	structure();
	escaping();
	misuse_and_limits();
	tables();
	values();
	limits();
	round_trip();
	truncation();
}
