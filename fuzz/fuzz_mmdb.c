/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mmdb.c - the MaxMind DB reader: open the input as a database; when it
 * opens, look up fixed IPv4 and IPv6 addresses, walk every entry found and
 * the metadata, and follow the paths enrichment reads. A refusal must carry
 * a message; nothing may read outside the input. Inputs are capped at 1 MiB.
 */
#include <string.h>

#include "fuzz.h"
#include "mmdb.h"

#define FUZZ_MMDB_MAX_INPUT (1u << 20)

static int
count_event(void *ctx, const struct pm_mmdb_event *e)
{
	unsigned long *n = ctx;
	FUZZ_ASSERT(e->depth < PM_MMDB_MAX_DEPTH + 1);
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t probes[][16] = {
		{ 1, 1, 1, 1 },
		{ 81, 2, 69, 160 },
		{ 0 },
		{ 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255 },
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 1, 1, 1 },
		{ 0x20, 0x01, 0x02, 0x18 },
	};
	static const char *const paths[][4] = {
		{ "country", "iso_code", NULL },
		{ "city", "names", "en", NULL },
		{ "autonomous_system_number", NULL },
		{ "array", "2", NULL },
	};
	if (size > FUZZ_MMDB_MAX_INPUT) {
		return 0;
	}
	struct pm_mmdb db;
	struct pm_error err;
	if (pm_mmdb_open(data, size, &db, &err) != 0) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		return 0;
	}
	unsigned long n = 0;
	int rc = pm_mmdb_walk(&db.meta, 0, count_event, &n, &err);
	FUZZ_ASSERT(rc == 0); /* pm_mmdb_open walked it already */
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct pm_mmdb_hit hit;
		if (pm_mmdb_lookup(&db, probes[i], i < 2, &hit, &err) != 0 || !hit.found) {
			continue;
		}
		FUZZ_ASSERT(hit.off < db.data.n);
		rc = pm_mmdb_walk(&db.data, hit.off, count_event, &n, &err);
		FUZZ_ASSERT(rc <= 0 && (rc == 0 || err.msg[0] != '\0'));
		for (size_t j = 0; j < sizeof(paths) / sizeof(paths[0]); j++) {
			char out[64];
			rc = pm_mmdb_get_str(&db.data, hit.off, paths[j], out, sizeof(out));
			FUZZ_ASSERT(rc <= 1 && strlen(out) < sizeof(out));
		}
	}
	pm_mmdb_close(&db);
	return 0;
}
