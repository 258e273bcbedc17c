/* SPDX-License-Identifier: MIT */
/*
 * addr.c - address text through inet_ntop/inet_pton (POSIX.1-2008), which
 * write and read RFC 5952 IPv6 and dotted-quad IPv4.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* see addr.h */
void
pm_addr_str(const uint8_t addr[16], uint8_t ipver, char out[48])
{
	if (ipver != 6) {
		/* Dotted decimal as inet_ntop writes it, without its cost (DNS samples, views). */
		char *o = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = addr[i];
			if (v >= 100) {
				*o++ = (char)('0' + v / 100);
			}
			if (v >= 10) {
				*o++ = (char)('0' + v / 10 % 10);
			}
			*o++ = (char)('0' + v % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (inet_ntop(ipver == 6 ? AF_INET6 : AF_INET, addr, out, 48) == NULL) {
		snprintf(out, 48, "?");
	}
}

/* see addr.h */
int
pm_addr_parse(const char *s, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1) {
		return 4;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		return 6;
	}
	return 0;
}

/* see addr.h */
struct pm_addr_key
pm_addr_key_of(const uint8_t addr[16], uint8_t ipver)
{
	struct pm_addr_key k;
	memset(&k, 0, sizeof(k));
	memcpy(k.addr, addr, 16);
	k.ipver = ipver;
	return k;
}
