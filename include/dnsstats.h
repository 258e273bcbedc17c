/* SPDX-License-Identifier: MIT */
/*
 * dnsstats.h - the DNS analyser: every DNS, mDNS and LLMNR message of the
 * capture (UDP, and TCP with its two-byte length prefix, several messages
 * per segment) into per-capture aggregates.
 *
 * Queries and responses are matched by (client, client port, id, question,
 * transport); a response from another server than the query went to is
 * counted as a spoofing hint. Per name, base domain (the registrable part,
 * for the common public suffixes), client, server and resolved address
 * there is one table, each with a named cap: when one is full, new keys are
 * dropped and `approximate` is set. The first PM_DNS_MAX_SAMPLES messages
 * are kept, compactly, for the view's paged `packets` sample. DNS over TCP
 * is reassembled (reasm.h, state in the flow record while the flow lives):
 * a message split across segments is parsed whole and counted in
 * `tcp_split`; a direction that ends inside a message (bytes missing from
 * the capture, beyond the window, or the capture's end) counts in
 * `tcp_incomplete`.
 */
#ifndef PM_DNSSTATS_H
#define PM_DNSSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "analyser.h"
#include "arena.h"
#include "peermemo.h"
#include "reasm.h"
#include "table.h"

#define PM_DNS_MAX_TXNS      (1u << 20)  /* transactions kept */
#define PM_DNS_MAX_NAMES     (1u << 18)  /* distinct query names kept */
#define PM_DNS_MAX_HOSTS     (1u << 16)  /* clients, servers, resolved addresses: each */
#define PM_DNS_MAX_SAMPLES   2000        /* messages kept for the packets sample */
#define PM_DNS_SAMPLE_RR     4           /* answers kept per sampled message */
#define PM_DNS_ARENA_MAX     (64u << 20) /* bytes of copied names */
#define PM_DNS_MAX_TYPES     64          /* distinct types counted; the rest go to other */
#define PM_DNS_LONG_LABEL    40          /* label octets that count as long */
#define PM_DNS_ENTROPY_LABEL 20          /* labels this long or longer are checked for entropy */
#define PM_DNS_HIGH_ENTROPY  3.6         /* bits per character that count as high */
#define PM_DNS_ADDR_NAMES    3           /* names kept per resolved address */
#define PM_DNS_MAX_TCP_STATE (16u << 20) /* bytes of DNS-over-TCP flow state live at once */

/* Count per record type. */
struct pm_dns_type_count {
	uint16_t type;
	uint64_t count;
};

struct pm_dns_types {
	struct pm_dns_type_count v[PM_DNS_MAX_TYPES];
	size_t n;
	uint64_t other; /* types past PM_DNS_MAX_TYPES */
};

/* Per query name (lower-cased). */
struct pm_dns_name {
	const char *name;         /* arena copy */
	uint64_t queries;         /* queries with it as first question */
	uint64_t responses;       /* responses with it as first question */
	uint64_t nxdomain;        /* of which NXDOMAIN */
	struct pm_dns_base *base; /* its base domain; NULL when that table was full */
};

/* Per base domain: the tunnelling and TXT-flood evidence. */
struct pm_dns_base {
	const char *name;      /* arena copy */
	uint64_t queries;      /* queries for names under it */
	uint64_t names;        /* distinct names under it */
	uint64_t long_labels;  /* names with a label of PM_DNS_LONG_LABEL octets or more */
	uint64_t high_entropy; /* names with a high-entropy label */
	uint64_t txt;          /* TXT queries */
	uint32_t max_label;    /* longest label octets */
	uint32_t max_name;     /* longest name, text octets */
	const char *example;   /* the longest name seen under it (arena) */
};

/* Per client or server address. */
struct pm_dns_host {
	uint64_t queries;   /* queries sent (client) or received (server) */
	uint64_t responses; /* responses received (client) or sent (server) */
	uint64_t nxdomain, servfail, refused;
	uint64_t unanswered; /* filled at finish */
	uint64_t tag;        /* its key's tag: a client's transactions derive theirs from it */
};

/* Per address that an A/AAAA answer gave. */
struct pm_dns_resolved {
	const char *name[PM_DNS_ADDR_NAMES]; /* the first distinct names it answered (arena) */
	uint8_t n_name;                      /* of name[] */
	uint32_t names;                      /* answers naming it (any owner) */
};

/* A transaction: one question from one client port with one id. */
struct pm_dns_txn_key {
	uint8_t client[16];
	uint64_t qhash; /* the name hash (pm_hash) of the lower-cased first question */
	uint16_t cport; /* client port */
	uint16_t id;    /* DNS id */
	uint8_t ipver;  /* 4 or 6 */
	uint8_t proto;  /* 6 or 17 */
	uint16_t qtype; /* first question's type */
};

struct pm_dns_txn {
	uint8_t server[16];        /* where the query went */
	uint16_t sport;            /* server port */
	uint16_t qtype;            /* first question's type */
	int64_t t_query;           /* ns: first query */
	int64_t t_response;        /* ns: first response, 0 when none */
	uint32_t queries;          /* copies of the query (retransmissions add) */
	uint32_t responses;        /* responses matched */
	uint32_t spoofed;          /* responses from another server */
	uint8_t rcode;             /* of the first response */
	struct pm_dns_name *qname; /* NULL when the names table was full */
	/* Its key's fields beside the addresses, to check a memo hit (see peers()). */
	uint64_t k_qhash;
	uint16_t k_id, k_cport, k_qtype;
	uint8_t k_proto;
};

/* One message kept for the packets sample. */
struct pm_dns_sample_rr {
	const char *name; /* arena; the sample's qname when they are the same text */
	const char *data; /* formatted rdata (target, text, ...), arena; NULL for A/AAAA and none */
	uint8_t addr[16]; /* A (first 4 bytes) or AAAA rdata, formatted by the view */
	uint16_t type, rclass;
	uint32_t ttl;
};

struct pm_dns_sample {
	int64_t ts;               /* ns */
	uint64_t number;          /* 1-based among DNS messages */
	uint8_t src[16], dst[16]; /* network order */
	uint8_t ipver, proto;
	uint16_t sport, dport;
	uint16_t id, flags;
	uint16_t qdcount, ancount;
	uint8_t rcode;     /* 4-bit plus EDNS extension */
	uint8_t bad;       /* enum pm_dns_bad */
	const char *qname; /* first question (arena); NULL when none */
	uint16_t qtype, qclass;
	uint8_t n_rr;
	struct pm_dns_sample_rr rr[PM_DNS_SAMPLE_RR];
};

/* A server's record, cached by its address (see server_host in dnsstats.c). */
struct pm_dns_server_memo {
	uint8_t addr[16];
	uint8_t ipver;
	struct pm_dns_host *h; /* NULL: empty */
};

/* The analyser's state (row "dns"). */
struct pm_dns_stats {
	uint64_t messages; /* DNS messages parsed far enough for a header */
	uint64_t packets;  /* packets carrying at least one message */
	uint64_t queries, responses;
	uint64_t udp, tcp;           /* messages per transport */
	uint64_t mdns, llmnr;        /* messages on those labels */
	uint64_t truncated;          /* messages that ended early */
	uint64_t malformed;          /* refused messages */
	uint64_t bad[8];             /* per enum pm_dns_bad */
	uint64_t tcp_split;          /* TCP messages that spanned segments (reassembled) */
	uint64_t tcp_incomplete;     /* TCP directions that ended inside a message */
	uint64_t tcp_dropped;        /* TCP flows not reassembled: too many at once */
	uint64_t rcodes[16];         /* responses per 4-bit rcode */
	uint64_t tc_responses;       /* responses with TC set */
	uint64_t edns, edns_do, ecs; /* messages with OPT, with DO, with client subnet */
	uint64_t answers;            /* answer records walked */
	uint64_t ttl_n;              /* answers with a TTL counted */
	uint64_t ttl_sum;            /* seconds */
	uint32_t ttl_min, ttl_max;   /* seconds */
	uint64_t matched;            /* transactions whose first response arrived */
	uint64_t unmatched;          /* responses without a query */
	uint64_t spoofed;            /* responses from a server the query did not go to */
	uint64_t unanswered;         /* transactions without a response (at finish) */
	uint64_t retransmits;        /* repeated queries of one transaction */
	double rtt_sum;              /* seconds, over matched transactions */
	double rtt_min, rtt_max;     /* seconds */
	uint64_t rtt_n;
	struct pm_dns_types qtypes;    /* first question's type, queries */
	struct pm_dns_types atypes;    /* answer record types */
	struct pm_table txns;          /* pm_dns_txn_key -> pm_dns_txn */
	struct pm_table names;         /* name hash (8 bytes, its own tag) -> pm_dns_name */
	struct pm_table bases;         /* base hash (8 bytes, its own tag) -> pm_dns_base */
	struct pm_table clients;       /* pm_addr_key -> pm_dns_host */
	struct pm_table servers;       /* pm_addr_key -> pm_dns_host */
	struct pm_table resolved;      /* pm_addr_key -> pm_dns_resolved */
	struct pm_arena arena;         /* names and sample strings */
	struct pm_dns_sample *samples; /* PM_DNS_MAX_SAMPLES, malloc'd on the first message */
	size_t n_samples;
	bool approximate;         /* a table, the arena or the sample was full */
	struct pm_peer_memo memo; /* (client, server) -> clients, servers records, last txn */
	struct pm_dns_server_memo server_memo[16]; /* by their address's last bytes */
	struct pm_reasm_pool pool;                 /* DNS over TCP: the directions' windows */
	struct pm_flow_states tcp_live;            /* DNS-over-TCP flows being reassembled */
};

/*
 * The name an address was resolved from by an A or AAAA answer in the
 * capture, or NULL. For other views that show names beside addresses.
 */
const char *pm_dns_name_of(const struct pm_dns_stats *s, const uint8_t addr[16], uint8_t ipver);

/*
 * Up to max (at most PM_DNS_ADDR_NAMES) distinct names an address was
 * resolved from, first seen first, into out; returns how many.
 */
size_t pm_dns_names_of(const struct pm_dns_stats *s, const uint8_t addr[16], uint8_t ipver,
                       const char **out, size_t max);

/*
 * The base domain of a lower-case dotted name: the label before the public
 * suffix, for the common suffixes (two-level ones such as co.uk, com.au
 * included); the name itself when it has fewer labels. Returns the offset
 * of the base in name.
 */
size_t pm_dns_base_of(const char *name);

/* Shannon entropy of n bytes, bits per byte. */
double pm_dns_entropy(const char *s, size_t n);

#endif /* PM_DNSSTATS_H */
