/* SPDX-License-Identifier: MIT */
/* test_json.c - the writer: structure, escaping, invalid UTF-8, numbers, limits, misuse. */
#include "json.h"
#include "test.h"

#include <math.h>

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

void
test_json(void)
{
	structure();
	escaping();
	misuse_and_limits();
}
