/* SPDX-License-Identifier: MIT */
/*
 * dns.h - the DNS message parser (RFC 1035 §4, name compression §4.1.4,
 * EDNS0 per RFC 6891, client subnet per RFC 7871), also used for mDNS
 * (RFC 6762) and LLMNR (RFC 4795), which share the format.
 *
 * pm_dns_parse is pure: no state, no allocation. Names are copied, dotted,
 * into the caller's struct; other record data is decoded into host-order
 * fields or returned as views into the input. Compression pointers must
 * point strictly before every position the name has visited (so a name
 * cannot loop), hops are capped and names longer than 255 wire octets are
 * refused. The statistics over a capture are in dnsstats.h.
 */
#ifndef PM_DNS_H
#define PM_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_DNS_MAX_NAME 255 /* RFC 1035 §2.3.4: wire octets; the text is shorter */
#define PM_DNS_MAX_HOPS 32  /* compression pointers followed per name */
#define PM_DNS_MAX_Q    4   /* questions kept per message */
#define PM_DNS_MAX_RR   16  /* resource records kept per message (all sections) */
#define PM_DNS_MAX_RRS  512 /* records walked per message before it is called malformed */
#define PM_DNS_HDR      12  /* RFC 1035 §4.1.1 */

/* Header flags (RFC 1035 §4.1.1), in host order. */
#define PM_DNS_QR 0x8000 /* response */
#define PM_DNS_AA 0x0400 /* authoritative answer */
#define PM_DNS_TC 0x0200 /* truncated */
#define PM_DNS_RD 0x0100 /* recursion desired */
#define PM_DNS_RA 0x0080 /* recursion available */

/* Record types decoded (IANA DNS parameters). */
#define PM_DNS_TYPE_A     1   /* RFC 1035 */
#define PM_DNS_TYPE_NS    2   /* RFC 1035 */
#define PM_DNS_TYPE_CNAME 5   /* RFC 1035 */
#define PM_DNS_TYPE_SOA   6   /* RFC 1035 */
#define PM_DNS_TYPE_PTR   12  /* RFC 1035 */
#define PM_DNS_TYPE_MX    15  /* RFC 1035 */
#define PM_DNS_TYPE_TXT   16  /* RFC 1035 */
#define PM_DNS_TYPE_AAAA  28  /* RFC 3596 */
#define PM_DNS_TYPE_SRV   33  /* RFC 2782 */
#define PM_DNS_TYPE_OPT   41  /* RFC 6891 */
#define PM_DNS_TYPE_SVCB  64  /* RFC 9460 */
#define PM_DNS_TYPE_HTTPS 65  /* RFC 9460 */
#define PM_DNS_TYPE_ANY   255 /* RFC 1035 QTYPE * */
#define PM_DNS_TYPE_CAA   257 /* RFC 8659 */

#define PM_DNS_RCODE_NOERROR  0 /* RFC 1035 §4.1.1 */
#define PM_DNS_RCODE_SERVFAIL 2
#define PM_DNS_RCODE_NXDOMAIN 3
#define PM_DNS_RCODE_REFUSED  5

#define PM_DNS_EDNS_ECS 8 /* RFC 7871: EDNS option code of client subnet */

/* Why a message was refused (pm_dns_msg.bad). */
enum pm_dns_bad {
	PM_DNS_BAD_NONE = 0,
	PM_DNS_BAD_LOOP,    /* a pointer to a position the name already visited */
	PM_DNS_BAD_FORWARD, /* a pointer to at or after itself */
	PM_DNS_BAD_HOPS,    /* more than PM_DNS_MAX_HOPS pointers */
	PM_DNS_BAD_LONG,    /* a name over PM_DNS_MAX_NAME wire octets */
	PM_DNS_BAD_LABEL,   /* label type 01 or 10 (RFC 6891 §5 retired them) */
	PM_DNS_BAD_RDATA,   /* rdata contradicts its length or type */
	PM_DNS_BAD_COUNT,   /* more than PM_DNS_MAX_RRS records */
	PM_DNS_BAD_COUNT_
};

/* One question (RFC 1035 §4.1.2). */
struct pm_dns_question {
	char
	    name[PM_DNS_MAX_NAME + 1]; /* dotted, no trailing dot, NUL-terminated; "" is the root */
	uint16_t qtype;                /* host order */
	uint16_t qclass;               /* host order; mDNS's unicast-response bit kept */
};

/* Sections of a record. */
#define PM_DNS_SEC_AN 0 /* answer */
#define PM_DNS_SEC_NS 1 /* authority */
#define PM_DNS_SEC_AR 2 /* additional */

/* One resource record (RFC 1035 §4.1.3) with its data decoded by type. */
struct pm_dns_rr {
	char name[PM_DNS_MAX_NAME + 1]; /* owner, dotted */
	char
	    target[PM_DNS_MAX_NAME + 1]; /* CNAME/NS/PTR, MX exchange, SRV/SVCB target, SOA mname */
	uint8_t section;                 /* PM_DNS_SEC_* */
	uint16_t type;                   /* host order */
	uint16_t rclass;                 /* host order (OPT: the UDP payload size) */
	uint32_t ttl;                    /* seconds (OPT: extended rcode, version, flags) */
	uint16_t rdlen;                  /* rdata octets */
	const uint8_t *rdata;            /* view into the message, rdlen bytes */
	uint8_t addr[16];                /* A (first 4 bytes) and AAAA, network order */
	uint16_t pref;                   /* MX preference, SRV/SVCB priority, CAA flags */
	uint16_t weight, port;           /* SRV */
	uint32_t serial, minimum;        /* SOA */
	uint16_t txt_strings;            /* TXT: character-strings */
	const uint8_t *txt;              /* TXT: first string's bytes; CAA: the tag */
	uint8_t txt_len;                 /* bytes at txt */
};

/* EDNS0 from the OPT record (RFC 6891 §6.1.3). */
struct pm_dns_edns {
	bool present;
	uint16_t udp_size;   /* requestor's payload size */
	uint8_t ext_rcode;   /* upper 8 bits of the rcode */
	uint8_t version;     /* EDNS version */
	bool do_bit;         /* DNSSEC OK (RFC 3225) */
	bool has_ecs;        /* client subnet option present */
	uint16_t ecs_family; /* 1 IPv4, 2 IPv6 (RFC 7871 §6) */
	uint8_t ecs_source;  /* source prefix length */
	uint8_t ecs_scope;   /* scope prefix length */
	uint8_t ecs_addr[16];
};

/* One parsed message. Only the first nq / nrr entries of q / rr are set. */
struct pm_dns_msg {
	uint16_t id;                                 /* host order */
	uint16_t flags;                              /* QR|opcode|AA|TC|RD|RA|Z|AD|CD|rcode */
	uint16_t qdcount, ancount, nscount, arcount; /* as on the wire */
	uint16_t rr_seen[3];                         /* records walked per section */
	size_t nq;                                   /* entries filled in q[] */
	size_t nrr;                                  /* entries filled in rr[] */
	struct pm_dns_question q[PM_DNS_MAX_Q];
	struct pm_dns_rr rr[PM_DNS_MAX_RR];
	struct pm_dns_edns edns;
	uint8_t bad;   /* enum pm_dns_bad when the return was PM_E_MALFORMED */
	size_t length; /* bytes of the message (n, or where it stopped) */
};

/* The 4-bit rcode of a header's flags. */
static inline unsigned
pm_dns_rcode(uint16_t flags)
{
	return flags & 0xF;
}

/* The opcode of a header's flags (RFC 1035 §4.1.1). */
static inline unsigned
pm_dns_opcode(uint16_t flags)
{
	return (flags >> 11) & 0xF;
}

/*
 * Parse the DNS message of n bytes at p into *out. Questions beyond
 * PM_DNS_MAX_Q and records beyond PM_DNS_MAX_RR are walked and checked but
 * not kept. Returns 0, PM_E_TRUNC when the message ends before its counts
 * say it should (what was read before is kept), or PM_E_MALFORMED with
 * out->bad saying why. Never reads outside [p, p + n).
 */
PM_MUST_CHECK int pm_dns_parse(const uint8_t *p, size_t n, struct pm_dns_msg *out);

/* "NOERROR", "NXDOMAIN", ... (RFC 6895 §2.3); NULL for unassigned values. */
const char *pm_dns_rcode_name(unsigned rcode);

/* "A", "AAAA", ...; NULL for types without a name here. */
const char *pm_dns_type_name(unsigned type);

/* "loop", "forward_pointer", ... for enum pm_dns_bad. */
const char *pm_dns_bad_name(unsigned bad);

/*
 * Whether the n bytes at p look like the first DNS query or response of a
 * flow: a plausible header and one well-formed question. A cheap check for
 * labelling flows on other ports; reads only [p, p + n).
 */
bool pm_dns_looks_like(const uint8_t *p, size_t n);

#endif /* PM_DNS_H */
