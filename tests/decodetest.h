/* SPDX-License-Identifier: MIT */
/*
 * decodetest.h - what the decoder's test files share: a hex fixture and the
 * truncation sweep over it (defined in test_decode.c).
 */
#ifndef PM_DECODETEST_H
#define PM_DECODETEST_H

#include <stddef.h>
#include <stdint.h>

/* One frame as hex, with the link type it was captured on. */
struct fixture {
	const char *name; /* for failure messages */
	uint32_t linktype;
	const char *hex;
	size_t need; /* prefixes shorter than this must be flagged; 0: from the IP length */
};

/*
 * Decode every prefix of f against the guard page: below the length its IP
 * header claims (or f->need) some layer must say truncated or malformed,
 * exactly one counter moves with each flag, and every view stays inside.
 */
void pm_test_decode_sweep(const struct fixture *f);

#endif /* PM_DECODETEST_H */
