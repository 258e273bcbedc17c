/* SPDX-License-Identifier: MIT */
/*
 * icmp.h - the ICMP (RFC 792) and ICMPv6 (RFC 4443) message parser, with
 * the header an error quotes (destination unreachable, time exceeded,
 * redirect, parameter problem, packet too big) and IPv6 neighbour
 * discovery (RFC 4861: router advertisements with their prefixes,
 * neighbour solicitations and advertisements, redirects).
 *
 * pm_icmp_parse is pure: it reads the n bytes of one message, starting at
 * its type byte, and fills host-order fields; nothing is kept. The
 * statistics over a capture are in icmpstats.h.
 */
#ifndef PM_ICMP_H
#define PM_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_ICMP_MAX_PREFIX 4  /* prefix information options kept per RA */
#define PM_ICMP_MAX_OPTS   32 /* ND options walked per message */

/* ICMP types (RFC 792, RFC 1256). */
#define PM_ICMP_ECHO_REPLY    0
#define PM_ICMP_UNREACH_T     3
#define PM_ICMP_SOURCE_QUENCH 4
#define PM_ICMP_REDIRECT      5
#define PM_ICMP_ECHO          8
#define PM_ICMP_ROUTER_ADV    9
#define PM_ICMP_TIME_EXCEEDED 11
#define PM_ICMP_PARAM_PROBLEM 12

/* ICMPv6 types (RFC 4443, RFC 4861). */
#define PM_ICMP6_UNREACH       1
#define PM_ICMP6_TOO_BIG       2
#define PM_ICMP6_TIME_EXCEEDED 3
#define PM_ICMP6_PARAM_PROBLEM 4
#define PM_ICMP6_ECHO          128
#define PM_ICMP6_ECHO_REPLY    129
#define PM_ICMP6_RS            133
#define PM_ICMP6_RA            134
#define PM_ICMP6_NS            135
#define PM_ICMP6_NA            136
#define PM_ICMP6_REDIRECT      137

/* The packet an error message quotes (its first header and transport ports). */
struct pm_icmp_inner {
	uint8_t ipver;            /* 4 or 6 */
	uint8_t proto;            /* IP protocol (IPv6: the first next header) */
	uint8_t ttl;              /* TTL or hop limit as quoted */
	uint8_t src[16], dst[16]; /* network order */
	uint16_t sport, dport;    /* TCP/UDP ports, host order, when has_ports */
	bool has_ports;
};

/* A prefix information option (RFC 4861 §4.6.2). */
struct pm_icmp_prefix {
	uint8_t prefix[16];
	uint8_t len;        /* prefix length, bits */
	uint8_t flags;      /* L, A bits */
	uint32_t valid;     /* valid lifetime, seconds */
	uint32_t preferred; /* preferred lifetime, seconds */
};

struct pm_icmp_msg {
	bool v6; /* ICMPv6 */
	uint8_t type, code;
	uint16_t id, seq; /* echo request and reply */
	uint32_t rest;    /* header bytes 4..7, host order */
	bool is_error;    /* an error that quotes a packet */
	bool has_inner;   /* inner holds the quoted header */
	struct pm_icmp_inner inner;
	uint8_t gateway[16]; /* redirect: gateway (v4) or target (v6) */
	uint8_t target[16];  /* NS, NA: target address; v6 redirect: destination */
	uint32_t mtu;        /* fragmentation needed (v4 code 4), packet too big (v6) */
	uint8_t na_flags;    /* NA: R (0x80), S (0x40), O (0x20) */
	uint8_t hop_limit;   /* RA: current hop limit */
	uint8_t ra_flags;    /* RA: M (0x80), O (0x40), ... */
	uint16_t lifetime;   /* RA: router lifetime, seconds */
	size_t n_prefix;
	struct pm_icmp_prefix prefix[PM_ICMP_MAX_PREFIX];
	bool has_lladdr; /* a source or target link-layer address option */
	uint8_t lladdr[6];
};

/*
 * Parse the ICMP (v6 false) or ICMPv6 message of n bytes at p. Returns 0,
 * PM_E_TRUNC when the message or its quoted header ends early (what was
 * read is kept), or PM_E_MALFORMED for a quoted header or ND option that
 * contradicts itself. Never reads outside [p, p + n).
 */
PM_MUST_CHECK int pm_icmp_parse(const uint8_t *p, size_t n, bool v6, struct pm_icmp_msg *out);

/* "Echo Request", "Destination Unreachable", ... (mcpcap's names); NULL when unknown. */
const char *pm_icmp_type_name(bool v6, unsigned type);

/* The code's name for unreachable and time exceeded, or NULL. */
const char *pm_icmp_code_name(bool v6, unsigned type, unsigned code);

#endif /* PM_ICMP_H */
