/* SPDX-License-Identifier: MIT */
/*
 * tally.h - counting string values, and the distinct clients behind each,
 * by sorting (key, client) pairs: what the protocol views' statistics
 * (versions, SNIs, hosts, user agents, fingerprints) are made of. No table,
 * no allocation but the caller's arrays.
 */
#ifndef PM_TALLY_H
#define PM_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* One occurrence of key, seen from client (16 bytes, network order). */
struct pm_tally {
	const char *key;
	const uint8_t *client;
};

/* One distinct key: how often it occurred and from how many distinct clients. */
struct pm_tally_group {
	const char *key;
	uint64_t count, clients;
};

/*
 * Sort the n pairs at v and fold them into groups at g (room for n), most
 * frequent first, ties by key. Returns the number of groups.
 */
size_t pm_tally_fold(struct pm_tally *v, size_t n, struct pm_tally_group *g);

/* Sort n groups as pm_tally_fold does: most frequent first, ties by key. */
void pm_tally_sort(struct pm_tally_group *g, size_t n);

#endif /* PM_TALLY_H */
