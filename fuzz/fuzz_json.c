/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - the JSON parser: parse, and when the input is accepted, write
 * it back with pm_json_value, parse that, and write again. The second parse
 * must succeed and both writes must be byte-identical (a parse → write →
 * parse round trip agrees). Inputs are capped at 1 MiB; each gets a fresh
 * arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz.h"
#include "json.h"
#include "jsonparse.h"

#define FUZZ_JSON_MAX_INPUT (1u << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_JSON_MAX_INPUT) {
		return 0;
	}
	struct pm_arena a;
	struct pm_error err;
	const struct pm_jv *v1 = NULL, *v2 = NULL;
	pm_arena_init(&a, 256u << 20);
	int rc = pm_json_parse(data, size, &a, &v1, &err);
	if (rc != 0) {
		FUZZ_ASSERT(v1 == NULL);
		FUZZ_ASSERT(err.code == rc && err.offset <= size && err.msg[0] != '\0');
		FUZZ_ASSERT(rc == PM_E_MALFORMED || rc == PM_E_LIMIT || rc == PM_E_NOMEM);
		goto out_arena;
	}
	FUZZ_ASSERT(v1 != NULL);
	struct pm_json w1, w2;
	pm_json_init(&w1, 0);
	pm_json_value(&w1, v1);
	FUZZ_ASSERT(pm_json_finish(&w1) == 0);
	rc = pm_json_parse((const uint8_t *)w1.buf, w1.len, &a, &v2, &err);
	if (rc != 0) {
		fprintf(stderr, "reparse failed: %s at %zu\n", err.msg, err.offset);
	}
	FUZZ_ASSERT(rc == 0);
	FUZZ_ASSERT(v2->type == v1->type && v2->len == v1->len);
	pm_json_init(&w2, 0);
	pm_json_value(&w2, v2);
	FUZZ_ASSERT(pm_json_finish(&w2) == 0);
	FUZZ_ASSERT(w2.len == w1.len && memcmp(w2.buf, w1.buf, w1.len) == 0);
	pm_json_free(&w2);
	pm_json_free(&w1);
out_arena:
	pm_arena_free(&a);
	return 0;
}
