/* SPDX-License-Identifier: MIT */
/* test_arena.c - alignment, zeroing, large blocks, overflow and the byte cap. */
#include "arena.h"
#include "test.h"

#include <stdint.h>

void test_arena(void);

void
test_arena(void)
{
	struct pm_arena a;
	pm_arena_init(&a, 0);
	char *p = pm_arena_alloc(&a, 3, 1);
	uint64_t *q = pm_arena_alloc(&a, sizeof(*q), _Alignof(uint64_t));
	CHECK(p != NULL && q != NULL);
	CHECK_EQ((uintptr_t)q % _Alignof(uint64_t), 0);
	CHECK_EQ(*q, 0);
	void *big = pm_arena_alloc(&a, 1u << 20, 64); /* larger than the first block */
	CHECK(big != NULL);
	CHECK_EQ((uintptr_t)big % 64, 0);
	CHECK(pm_arena_array(&a, SIZE_MAX / 2, 4, 4) == NULL); /* n * size overflows */
	CHECK(pm_arena_alloc(&a, 8, 3) == NULL);               /* not a power of two */
	char *s = pm_arena_strndup(&a, "hello world", 5);
	CHECK_STR(s, "hello");
	pm_arena_free(&a);
	CHECK(a.head == NULL && a.total == 0);

	/* The cap: allocations past it fail instead of growing. */
	pm_arena_init(&a, 256u << 10);
	size_t got = 0;
	while (pm_arena_alloc(&a, 4096, 8) != NULL) {
		got += 4096;
		if (got > (1u << 20)) {
			break;
		}
	}
	CHECK(got <= 256u << 10);
	CHECK(got >= 128u << 10);
	CHECK(a.total <= a.cap);
	pm_arena_free(&a);
}
