/* SPDX-License-Identifier: MIT */
/*
 * dhcpstats.h - the DHCP analyser: every DHCPv4 (UDP 67/68, or the BOOTP
 * cookie) and DHCPv6 (UDP 546/547) message of the capture into message
 * type counts, transactions (v4 by xid and client MAC with their message
 * sequence and whether DORA completed; v6 by transaction id and client
 * DUID), per-client facts (host name, vendor class, parameter request list
 * fingerprint, assigned address, lease) and per-server answers. Every table
 * has a named cap; a full one sets `approximate`. The first
 * PM_DHCP_MAX_SAMPLES messages are kept for the view's packets sample.
 */
#ifndef PM_DHCPSTATS_H
#define PM_DHCPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define PM_DHCP_MAX_TXNS       (1u << 16) /* transactions kept (each version) */
#define PM_DHCP_MAX_CLIENTS    (1u << 16) /* clients kept */
#define PM_DHCP_MAX_SERVERS    256        /* servers kept (each version) */
#define PM_DHCP_MAX_SAMPLES    2000       /* messages kept for the packets sample */
#define PM_DHCP_SEQ            8          /* message types kept per transaction */
#define PM_DHCP_TEXT           64         /* bytes kept of host names, vendor classes */
#define PM_DHCP_SERVER_CLIENTS 8          /* clients remembered per server */
#define PM_DHCP6_KEPT          2          /* IA_NA addresses and IA_PD prefixes kept, each */
#define PM_DHCP6_DUID          32         /* client DUID bytes kept */

/*
 * The IA_NA addresses (RFC 8415 §21.6) and IA_PD prefixes (§21.22) that
 * DHCPv6 servers' ADVERTISE and REPLY messages gave, distinct, first first.
 */
struct pm_dhcp6_leases {
	uint8_t addr[PM_DHCP6_KEPT][16];
	uint8_t prefix[PM_DHCP6_KEPT][16];
	uint8_t plen[PM_DHCP6_KEPT]; /* prefix lengths */
	uint8_t n_addr, n_prefix;
	uint32_t more; /* distinct ones past the lists */
};

struct pm_dhcp_txn_key {
	uint32_t xid;    /* v4 xid or v6 transaction id */
	uint8_t version; /* 4 or 6 */
	uint8_t pad[3];
	uint64_t client; /* v4: the MAC in the low 48 bits; v6: keyed hash of the DUID */
};

struct pm_dhcp_txn {
	int64_t first, last; /* ns */
	uint8_t n_seq;
	uint8_t seq[PM_DHCP_SEQ]; /* message types in order */
	uint32_t messages;
	uint8_t server[4]; /* v4: server id of the offer/ack */
	uint8_t yiaddr[4]; /* v4: the address offered or acked */
	bool discover, offer, request, ack, nak;
	struct pm_dhcp6_leases ia; /* v6 */
};

struct pm_dhcp_client {
	uint64_t messages;
	char hostname[PM_DHCP_TEXT]; /* option 12, NUL-terminated, "" when none */
	char vendor[PM_DHCP_TEXT];   /* option 60 */
	char prl[PM_DHCP_TEXT * 2];  /* option 55 as "1,3,6,..." */
	uint8_t assigned[4];         /* yiaddr of the last ACK */
	uint32_t lease;              /* seconds, of the last ACK */
	bool has_assigned;
	uint64_t discovers;
	uint8_t duid[PM_DHCP6_DUID]; /* v6: the client DUID's first bytes */
	uint8_t duid_len;            /* bytes in duid[] */
	bool duid_cut;               /* the DUID was longer */
	struct pm_dhcp6_leases ia;   /* v6 */
};

struct pm_dhcp_server {
	uint64_t offers, acks, naks, advertises, replies;
	uint8_t addr[16]; /* the sender's IP (v4: first 4) */
	uint8_t ipver;
	size_t n_clients;
	uint64_t clients[PM_DHCP_SERVER_CLIENTS]; /* MACs (v4) it answered */
	uint64_t more_clients;                    /* answered clients beyond the list */
};

struct pm_dhcp_sample {
	int64_t ts;
	uint64_t number;
	uint8_t src[16], dst[16];
	uint8_t ipver;
	uint16_t sport, dport;
	uint8_t version; /* 4 or 6 */
	uint8_t op, msg_type;
	uint32_t xid;
	uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4], server_id[4], requested[4];
	bool has_server_id, has_requested;
	uint8_t mac[6];
	uint32_t lease, renewal, rebinding;
};

/* The analyser's state (row "dhcp"). */
struct pm_dhcp_stats {
	uint64_t messages, v4, v6, truncated, malformed;
	uint64_t types4[256], types6[256];
	struct pm_table txns;    /* pm_dhcp_txn_key -> pm_dhcp_txn */
	struct pm_table clients; /* uint64_t MAC (v4) or DUID hash (v6) -> pm_dhcp_client */
	struct pm_table
	    servers; /* uint64_t: v4 server id (or source) / v6 DUID hash -> pm_dhcp_server */
	struct pm_dhcp_sample *samples;
	size_t n_samples;
	bool approximate;
};

#endif /* PM_DHCPSTATS_H */
