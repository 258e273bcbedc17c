/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ja3feed.c - the JA3 feed parser (SSLBL CSV layout): any input
 * parses without failing (memory aside), every entry kept is a lowercase
 * 32-digit MD5 with a printable, terminated name, the entries are sorted
 * and unique, each is found by lookup, and the counters add up.
 */
#include <string.h>

#include "fuzz.h"
#include "tlsknown.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_ja3_feed f;
	pm_ja3_feed_init(&f);
	if (pm_ja3_feed_parse(data, size, &f) != 0) {
		pm_ja3_feed_free(&f);
		return 0;
	}
	FUZZ_ASSERT(f.n + f.skipped + f.duplicates == f.rows);
	for (size_t i = 0; i < f.n; i++) {
		const struct pm_ja3_feed_entry *e = &f.v[i];
		FUZZ_ASSERT(strlen(e->ja3) == 32 && strspn(e->ja3, "0123456789abcdef") == 32);
		size_t k = strlen(e->name);
		FUZZ_ASSERT(k > 0 && k < PM_JA3_NAME_MAX);
		for (size_t j = 0; j < k; j++) {
			FUZZ_ASSERT(e->name[j] >= 0x20 && e->name[j] < 0x7F);
		}
		FUZZ_ASSERT(i == 0 || strcmp(f.v[i - 1].ja3, e->ja3) < 0);
		FUZZ_ASSERT(pm_ja3_feed_lookup(&f, e->ja3) == &e->known);
		FUZZ_ASSERT(e->known.kind == PM_TLS_KNOWN_MALWARE && e->known.name == e->name);
	}
	pm_ja3_feed_free(&f);
	return 0;
}
