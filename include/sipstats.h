/* SPDX-License-Identifier: MIT */
/*
 * sipstats.h - the SIP analyser: every SIP message of the capture (UDP,
 * and TCP segments that begin with a message; no reassembly) into request
 * method and response status counts, calls by Call-ID with their dialogue
 * (INVITE, provisional, final, ACK, BYE) and duration, user agents,
 * transports, and per-source registration failures and INVITEs. Every
 * table has a named cap; a full one sets `approximate`. The first
 * PM_SIP_MAX_SAMPLES messages are kept for the view's packets sample.
 */
#ifndef PM_SIPSTATS_H
#define PM_SIPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "table.h"

#define PM_SIP_MAX_CALLS   (1u << 16)  /* Call-IDs kept */
#define PM_SIP_MAX_AGENTS  1024        /* distinct User-Agent / Server values kept */
#define PM_SIP_MAX_SOURCES (1u << 16)  /* sources kept */
#define PM_SIP_MAX_SAMPLES 2000        /* messages kept for the packets sample */
#define PM_SIP_MAX_STATUS  64          /* distinct status codes counted */
#define PM_SIP_MAX_PER_SEG 8           /* messages parsed per segment */
#define PM_SIP_TEXT        160         /* bytes kept of each sampled header value */
#define PM_SIP_ARENA_MAX   (32u << 20) /* bytes of copied text */
#define PM_SIP_METHODS     15          /* the methods below, then "other" */

/* Methods counted by name (RFC 3261 and its extensions); index PM_SIP_METHODS is other. */
extern const char *const pm_sip_methods[PM_SIP_METHODS];

struct pm_sip_call {
	const char *call_id;           /* arena copy (cut at PM_SIP_TEXT) */
	const char *from, *to;         /* of the first message (arena) */
	int64_t first, last;           /* ns */
	int64_t invite, answered, bye; /* ns; 0 when not seen */
	uint32_t messages;
	uint16_t final_status; /* first final response to the INVITE, 0 when none */
	bool ringing;          /* a 1xx to the INVITE */
	bool ack;
	uint8_t first_method; /* index into pm_sip_methods */
};

struct pm_sip_agent {
	const char *name; /* arena copy */
	uint64_t messages;
	bool scanner; /* a known scanner's user agent */
};

struct pm_sip_source {
	uint64_t requests, invites, registers;
	uint64_t auth_failures; /* 401/403 responses sent to it */
};

struct pm_sip_sample {
	int64_t ts;
	uint64_t number;
	uint8_t src[16], dst[16];
	uint8_t ipver, proto;
	uint16_t sport, dport;
	uint16_t status; /* responses */
	bool is_request;
	const char *start_line, *call_id, *cseq, *from, *to, *contact, *user_agent, *server, *via,
	    *content_type; /* arena copies or NULL */
	int64_t content_length;
	uint32_t body_len;
};

/* The analyser's state (row "sip"). */
struct pm_sip_stats {
	uint64_t messages, requests, responses, malformed, truncated, udp, tcp;
	uint64_t methods[PM_SIP_METHODS + 1];
	uint64_t classes[7]; /* by status / 100 */
	uint16_t status_code[PM_SIP_MAX_STATUS];
	uint64_t status_count[PM_SIP_MAX_STATUS];
	size_t n_status;
	struct pm_table calls;   /* Call-ID hash -> pm_sip_call */
	struct pm_table agents;  /* value hash -> pm_sip_agent */
	struct pm_table sources; /* pm_addr_key -> pm_sip_source */
	struct pm_arena arena;
	struct pm_sip_sample *samples;
	size_t n_samples;
	bool approximate;
};

/* Whether a User-Agent value names a known SIP scanner (sipvicious, friendly-scanner, ...). */
bool pm_sip_is_scanner(const char *ua);

#endif /* PM_SIPSTATS_H */
