/* SPDX-License-Identifier: MIT */
/*
 * dhcp.h - the BOOTP/DHCPv4 (RFC 951, RFC 2131, options RFC 2132, relay
 * agent information RFC 3046) and DHCPv6 (RFC 8415) message parsers.
 *
 * Both are pure: they read one UDP payload and fill host-order fields and
 * views (pointer + length) into it; nothing is kept. Option walks are
 * capped; option overload (52) makes the file and sname fields option
 * space as RFC 2131 §4.1 says; DHCPv6 relay messages are entered through
 * their relay message option with a depth cap. Statistics: dhcpstats.h.
 */
#ifndef PM_DHCP_H
#define PM_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_DHCP_MAX_OPTS   256         /* options walked per message (each space) */
#define PM_DHCP_MAX_DNS    4           /* DNS servers kept */
#define PM_DHCP6_MAX_ADDR  4           /* IA addresses and prefixes kept */
#define PM_DHCP6_MAX_RELAY 8           /* relay messages entered */
#define PM_DHCP_COOKIE     0x63825363u /* RFC 2131 §3 */

/* DHCPv4 message types (RFC 2132 §9.6). */
#define PM_DHCP_DISCOVER 1
#define PM_DHCP_OFFER    2
#define PM_DHCP_REQUEST  3
#define PM_DHCP_DECLINE  4
#define PM_DHCP_ACK      5
#define PM_DHCP_NAK      6
#define PM_DHCP_RELEASE  7
#define PM_DHCP_INFORM   8

/* DHCPv6 message types (RFC 8415 §7.3). */
#define PM_DHCP6_SOLICIT   1
#define PM_DHCP6_ADVERTISE 2
#define PM_DHCP6_REQUEST   3
#define PM_DHCP6_REPLY     7
#define PM_DHCP6_RELAY_FW  12
#define PM_DHCP6_RELAY_REP 13

/* A view into the message. */
struct pm_dhcp_view {
	const uint8_t *p; /* NULL when absent */
	size_t n;
};

struct pm_dhcp_msg {
	uint8_t op; /* 1 request, 2 reply */
	uint8_t htype, hlen;
	uint32_t xid; /* host order */
	uint16_t secs, flags;
	uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4]; /* network order */
	uint8_t chaddr[16]; /* client hardware address; a MAC in the first 6 */
	bool has_cookie;    /* the magic cookie: options follow */
	uint8_t msg_type;   /* option 53; 0 for plain BOOTP */
	uint8_t overload;   /* option 52 */
	bool has_requested, has_server_id, has_subnet, has_router;
	uint8_t requested[4]; /* option 50 */
	uint8_t server_id[4]; /* option 54 */
	uint8_t subnet[4];    /* option 1 */
	uint8_t router[4];    /* option 3, first */
	size_t n_dns;
	uint8_t dns[PM_DHCP_MAX_DNS][4];    /* option 6 */
	uint32_t lease, renewal, rebinding; /* options 51, 58, 59, seconds; 0 when absent */
	struct pm_dhcp_view hostname;       /* option 12 */
	struct pm_dhcp_view client_id;      /* option 61 */
	struct pm_dhcp_view vendor;         /* option 60 */
	struct pm_dhcp_view prl;            /* option 55: the parameter request list */
	struct pm_dhcp_view relay;          /* option 82 */
	size_t n_options;                   /* options walked */
};

/* One IA address or prefix (RFC 8415 §21.6, §21.22). */
struct pm_dhcp6_addr {
	uint8_t addr[16];
	uint8_t plen;       /* 128 for an address */
	uint32_t preferred; /* seconds */
	uint32_t valid;     /* seconds */
};

struct pm_dhcp6_msg {
	uint8_t msg_type;                /* of the innermost message */
	uint8_t outer_type;              /* of the outermost (a relay's, when relayed) */
	uint32_t xid;                    /* 24-bit transaction id */
	unsigned relays;                 /* relay messages entered */
	struct pm_dhcp_view client_duid; /* option 1 */
	struct pm_dhcp_view server_duid; /* option 2 */
	size_t n_addr, n_prefix;
	struct pm_dhcp6_addr addr[PM_DHCP6_MAX_ADDR];   /* IA_NA addresses */
	struct pm_dhcp6_addr prefix[PM_DHCP6_MAX_ADDR]; /* IA_PD prefixes */
	size_t n_options;
};

/*
 * Parse the BOOTP/DHCPv4 message of n bytes at p. Returns 0, PM_E_TRUNC
 * (the fixed header or an option ends early; what was read is kept) or
 * PM_E_MALFORMED (no cookie where options are required is not an error:
 * has_cookie says so). Never reads outside [p, p + n).
 */
PM_MUST_CHECK int pm_dhcp_parse(const uint8_t *p, size_t n, struct pm_dhcp_msg *out);

/* The same for DHCPv6. */
PM_MUST_CHECK int pm_dhcp6_parse(const uint8_t *p, size_t n, struct pm_dhcp6_msg *out);

/* "DISCOVER", ..., "INFORM" (mcpcap's names) and the later ones; NULL when unknown. */
const char *pm_dhcp_type_name(unsigned type);

/* "SOLICIT", "ADVERTISE", ...; NULL when unknown. */
const char *pm_dhcp6_type_name(unsigned type);

#endif /* PM_DHCP_H */
