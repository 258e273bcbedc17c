/* SPDX-License-Identifier: MIT */
/*
 * resolve.h - name resolution within a deadline, for the HTTPS client.
 * getaddrinfo has no timeout of its own: it runs on a detached thread of
 * its own, and the caller waits for it only until the deadline. A resolver
 * that never answers then costs a thread that finishes (and frees what it
 * got) whenever the resolver does, not the caller's time.
 */
#ifndef PM_RESOLVE_H
#define PM_RESOLVE_H

#include <stdint.h>

#include "pm.h"

struct addrinfo;

/* Milliseconds on CLOCK_MONOTONIC: what the deadlines here are measured in. */
int64_t pm_monotonic_ms(void);

/*
 * getaddrinfo(host, serv) for TCP, any family, before deadline_ms
 * (pm_monotonic_ms). 0 with *out (freeaddrinfo it), or PM_E_IO with err
 * saying "resolve HOST: ..." (the resolver's message, or "timed out").
 */
PM_MUST_CHECK int pm_resolve(const char *host, const char *serv, int64_t deadline_ms,
                             struct addrinfo **out, struct pm_error *err);

/* Tests: resolve with fn instead of getaddrinfo (NULL: getaddrinfo again). */
void pm_resolve_set_for_tests(int (*fn)(const char *host, const char *serv,
                                        const struct addrinfo *hints, struct addrinfo **res));

#endif /* PM_RESOLVE_H */
