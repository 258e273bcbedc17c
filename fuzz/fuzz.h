/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what every fuzz target shares: FUZZ_ASSERT, which aborts with
 * file:line so libFuzzer, AFL++ and the replay driver all report it as a
 * crash, and the entry point's prototype.
 */
#ifndef PM_FUZZ_H
#define PM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(c)                                                                     \
	do {                                                                               \
		if (!(c)) {                                                                \
			fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s)\n", __FILE__, __LINE__, #c); \
			abort();                                                           \
		}                                                                          \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Caps sized for inputs of a few KiB rather than for real captures, so one
 * input costs microseconds, not milliseconds, and the same paths are taken
 * (full tables, timeline folds) at a fraction of the size: 64 timeline
 * slots instead of PM_TIMELINE_SLOTS (every fold walked all 4096), and
 * 64 KiB per hash table.
 */
#define FUZZ_SMALL_CAPS { .max_table_bytes = 64u << 10, .timeline_slots = 64 }

#endif /* PM_FUZZ_H */
