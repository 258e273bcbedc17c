/* SPDX-License-Identifier: MIT */
/*
 * guard.h - place a test input against a PROT_NONE page, so that a parser
 * reading one byte past the end faults at once (picohttpparser's trick).
 */
#ifndef PM_GUARD_H
#define PM_GUARD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copy n bytes of p so that they end exactly at a PROT_NONE page. Returns the
 * copy; it stays valid until the next pm_guard call (one buffer per process).
 * n must be at most PM_GUARD_MAX.
 */
#define PM_GUARD_MAX (1u << 20)
const uint8_t *pm_guard(const void *p, size_t n);

#endif /* PM_GUARD_H */
