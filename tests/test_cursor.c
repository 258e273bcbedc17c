/* SPDX-License-Identifier: MIT */
/* test_cursor.c - the bounded reader: values, sticky errors, sub-cursors, guard page. */
#include "cursor.h"
#include "guard.h"
#include "test.h"

void test_cursor(void);

static void
reads(void)
{
	const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
	struct pm_cur c = pm_cur_init(pm_guard(b, sizeof(b)), sizeof(b));
	CHECK_EQ(pm_cur_u8(&c), 0x01);
	CHECK_EQ(pm_cur_be16(&c), 0x0203);
	CHECK_EQ(pm_cur_le16(&c), 0x0504);
	CHECK_EQ(pm_cur_be32(&c), 0x06070809u);
	CHECK(pm_cur_ok(&c));
	CHECK_EQ(pm_cur_left(&c), 0);
	CHECK_EQ(pm_cur_u8(&c), 0); /* past the end: 0 and sticky error */
	CHECK(!pm_cur_ok(&c));
	pm_cur_seek(&c, 0);
	CHECK(!pm_cur_ok(&c)); /* never cleared */

	c = pm_cur_init(pm_guard(b, sizeof(b)), sizeof(b));
	CHECK_EQ(pm_cur_le32(&c), 0x04030201u);
	CHECK_EQ(pm_cur_le32(&c), 0x08070605u);
	CHECK_EQ(pm_cur_be32(&c), 0); /* one byte left */
	CHECK(!pm_cur_ok(&c));
	CHECK_EQ(pm_cur_left(&c), 0);

	c = pm_cur_init(b, sizeof(b));
	CHECK_EQ(pm_cur_le64(&c), 0x0807060504030201ull);
	c = pm_cur_init(b, sizeof(b));
	CHECK_EQ(pm_cur_be64(&c), 0x0102030405060708ull);
	CHECK_EQ(pm_cur_peek(&c, 0), 0x09);
	CHECK_EQ(pm_cur_peek(&c, 1), 0);
	CHECK(pm_cur_bytes(&c, 2) == NULL);
	CHECK(!pm_cur_ok(&c));
}

static void
subs(void)
{
	const uint8_t b[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct pm_cur c = pm_cur_init(b, sizeof(b));
	pm_cur_skip(&c, 2);
	struct pm_cur s = pm_cur_sub(&c, 4);
	CHECK(pm_cur_ok(&s));
	CHECK_EQ(s.len, 4);
	CHECK_EQ(pm_cur_u8(&s), 2);
	CHECK_EQ(c.off, 6);
	struct pm_cur t = pm_cur_sub(&c, 5); /* only 2 left */
	CHECK(!pm_cur_ok(&t));
	CHECK_EQ(t.len, 2);
	CHECK(!pm_cur_ok(&c));

	c = pm_cur_init(b, sizeof(b));
	size_t short_by = 0;
	s = pm_cur_sub_clamp(&c, 100, &short_by);
	CHECK(pm_cur_ok(&s) && pm_cur_ok(&c));
	CHECK_EQ(s.len, 8);
	CHECK_EQ(short_by, 92);
	/* A huge length must not wrap the comparison. */
	c = pm_cur_init(b, sizeof(b));
	pm_cur_skip(&c, SIZE_MAX);
	CHECK(!pm_cur_ok(&c));
	c = pm_cur_init(b, sizeof(b));
	CHECK(pm_cur_bytes(&c, SIZE_MAX - 1) == NULL);
}

void
test_cursor(void)
{
	reads();
	subs();
}
