/* SPDX-License-Identifier: MIT */
/*
 * icmpstats.h - the ICMP analyser: every ICMP and ICMPv6 message of the
 * capture through pm_icmp_parse into type/code counts, echo request/reply
 * pairing by (requester, responder, id, sequence) with round-trip times per
 * host pair, the destinations errors name (with protocol and port), the
 * routers answering traceroute probes per path, and neighbour discovery
 * (routers advertising, their prefixes, duplicate address detection).
 * Every table has a named cap; a full one sets `approximate`. The first
 * PM_ICMP_MAX_SAMPLES messages are kept for the view's packets sample.
 */
#ifndef PM_ICMPSTATS_H
#define PM_ICMPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "icmp.h"
#include "peermemo.h"
#include "table.h"

#define PM_ICMP_MAX_ECHO    (1u << 20) /* echo requests kept for pairing */
#define PM_ICMP_MAX_HOSTS   (1u << 16) /* sources, destinations, pairs, ids: each */
#define PM_ICMP_MAX_UNREACH (1u << 16) /* distinct unreachable (destination, protocol, port) */
#define PM_ICMP_MAX_PATHS   4096       /* traceroute paths */
#define PM_ICMP_MAX_HOPS    32         /* distinct routers kept per path */
#define PM_ICMP_MAX_ROUTERS 256        /* routers advertising */
#define PM_ICMP_MAX_REDIRS  4096       /* distinct redirects (router, gateway, destination) */
#define PM_ICMP_MAX_DAD     4096       /* addresses probed by duplicate address detection */
#define PM_ICMP_MAX_SAMPLES 2000       /* messages kept for the packets sample */
#define PM_ICMP_MAX_BODY    1024       /* message bytes given to the parser */

/* An echo request waiting for its reply. */
struct pm_icmp_echo_key {
	uint8_t requester[16], responder[16];
	uint16_t id, seq;
	uint8_t ipver;
	uint8_t pad[3];
};

struct pm_icmp_echo {
	int64_t t_request; /* ns: first request */
	uint32_t requests; /* copies */
	uint32_t replies;
};

/* Per (requester, responder): the ping statistics. */
struct pm_icmp_pair_key {
	uint8_t requester[16], responder[16];
	uint8_t ipver;
	uint8_t pad[7];
};

/* Per requester and responder; the views sort by the first field. */
struct pm_icmp_pair {
	uint64_t requests, replies, answered; /* answered: distinct (id, seq) with a reply */
	double rtt_min, rtt_max, rtt_sum;     /* seconds, over answered */
	uint64_t tag;                         /* its key's tag: its echoes derive theirs from it */
};

/* Per echo identifier (mcpcap's echo_pairs). */
struct pm_icmp_id_key {
	uint16_t id;
	uint8_t ipver;
	uint8_t pad[5];
};

struct pm_icmp_idc {
	uint64_t requests, replies;
};

/* What an unreachable message named. */
struct pm_icmp_unreach_key {
	uint8_t dst[16]; /* the quoted destination */
	uint16_t dport;  /* quoted destination port, 0 without one */
	uint8_t proto;   /* quoted protocol */
	uint8_t ipver;
	uint8_t code;
	uint8_t pad[3];
};

struct pm_icmp_unreach {
	uint64_t count;
	uint8_t reporter[16]; /* the first sender of the error */
	int64_t first;        /* ns */
};

/* A redirect (ICMP type 5, RFC 792; ICMPv6 type 137, RFC 4861 §4.5). */
struct pm_icmp_redir_key {
	uint8_t router[16];  /* who sent it */
	uint8_t gateway[16]; /* v4: the gateway address; v6: the target (the better first hop) */
	uint8_t dst[16];     /* v4: the quoted header's destination; v6: the destination field */
	uint8_t ipver;
	uint8_t code; /* v4: 0 net, 1 host, 2 TOS and net, 3 TOS and host; v6: 0 */
	uint8_t pad[6];
};

struct pm_icmp_redir {
	uint64_t count;
	int64_t first; /* ns */
};

/* A traceroute path: the routers that sent time exceeded for (src, dst). */
struct pm_icmp_path_key {
	uint8_t src[16], dst[16]; /* the quoted packet's */
	uint8_t ipver;
	uint8_t pad[7];
};

struct pm_icmp_path {
	uint64_t messages;
	size_t n_hops;
	uint8_t hops[PM_ICMP_MAX_HOPS][16];   /* distinct routers in order of first message */
	uint8_t quoted_ttl[PM_ICMP_MAX_HOPS]; /* the TTL each quoted (usually 0 or 1) */
};

/* A router advertising (IPv6 RA, or ICMP router advertisement). */
struct pm_icmp_router {
	uint64_t adverts;
	uint16_t lifetime;
	uint8_t hop_limit, flags;
	bool has_lladdr;
	uint8_t lladdr[6];
	size_t n_prefix;
	struct pm_icmp_prefix prefix[PM_ICMP_MAX_PREFIX]; /* from its last advertisement */
	int64_t first;
};

/* A tentative address probed by DAD (an NS from ::). */
struct pm_icmp_dad {
	uint64_t probes;
	uint64_t defended; /* NAs for it: the address is in use */
};

/* One message kept for the packets sample. */
struct pm_icmp_sample {
	int64_t ts;
	uint64_t number;
	uint8_t src[16], dst[16];
	uint8_t ipver, ttl;
	uint32_t size;
	uint8_t type, code;
	uint16_t id, seq;
	bool is_echo;
	bool has_inner;
	uint8_t inner_dst[16];
	uint8_t inner_proto;
	uint16_t inner_dport;
};

/* The analyser's state (row "icmp"). */
struct pm_icmp_stats {
	uint64_t messages, v4, v6;
	uint64_t truncated, malformed;
	uint64_t types[2][256];     /* [v6][type] */
	uint64_t codes[2][256][32]; /* [v6][type][code < 32]; higher codes are not split */
	uint64_t echo_requests, echo_replies, echo_unmatched_replies;
	uint64_t unanswered; /* echo requests (distinct id/seq) without reply, at finish */
	uint64_t redirects, ns, na, rs, ra, dad_probes;
	uint64_t errors_quoting;        /* errors with a quoted header */
	struct pm_table srcs, dsts;     /* pm_addr_key -> uint64_t */
	struct pm_table echoes;         /* pm_icmp_echo_key -> pm_icmp_echo */
	struct pm_table pairs;          /* pm_icmp_pair_key -> pm_icmp_pair */
	struct pm_table ids;            /* pm_icmp_id_key -> pm_icmp_idc */
	uint64_t ids_tag;               /* secret base of the ids table's derived tags */
	struct pm_table unreach;        /* pm_icmp_unreach_key -> pm_icmp_unreach */
	struct pm_table paths;          /* pm_icmp_path_key -> pm_icmp_path */
	struct pm_table routers;        /* pm_addr_key -> pm_icmp_router */
	struct pm_table dad;            /* pm_addr_key -> pm_icmp_dad */
	struct pm_table redirs;         /* pm_icmp_redir_key -> pm_icmp_redir */
	struct pm_icmp_sample *samples; /* PM_ICMP_MAX_SAMPLES, malloc'd on first use */
	size_t n_samples;
	bool approximate;
	/* The flow's pair (a, b): srcs a, srcs b, dsts a, dsts b, pairs a->b, pairs b->a. */
	struct pm_peer_memo memo;
};

#endif /* PM_ICMPSTATS_H */
