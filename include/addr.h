/* SPDX-License-Identifier: MIT */
/*
 * addr.h - IPv4 and IPv6 addresses as text: RFC 5952 for IPv6 (what
 * inet_ntop writes), dotted quads for IPv4. Addresses are 16 bytes in
 * network order, IPv4 in the first 4.
 */
#ifndef PM_ADDR_H
#define PM_ADDR_H

#include <stdint.h>

/* An address and its family as a fixed-size table key (24 bytes, zero padded). */
struct pm_addr_key {
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes */
	uint8_t ipver;    /* 4 or 6 */
	uint8_t pad[7];   /* zero */
};

/* The key of addr (16 bytes, network order) in family ipver. */
struct pm_addr_key pm_addr_key_of(const uint8_t addr[16], uint8_t ipver);

/* Format an address as text (IPv4 dotted quad, IPv6 RFC 5952); "?" when it cannot. */
void pm_addr_str(const uint8_t addr[16], uint8_t ipver, char out[48]);

/* Parse an IPv4 or IPv6 address; returns 4, 6, or 0 when s is not one (addr zeroed). */
int pm_addr_parse(const char *s, uint8_t addr[16]);

#endif /* PM_ADDR_H */
