/* SPDX-License-Identifier: MIT */
/*
 * sip.h - the SIP message parser (RFC 3261 §7: start line, header fields
 * with their compact forms §7.3.3, the body by Content-Length).
 *
 * pm_sip_parse is pure: it reads one message from the start of a UDP
 * payload or TCP segment and returns views into it; nothing is kept or
 * unfolded (a folded header value ends at its first line). Header lines
 * and their count are capped. The statistics over a capture: sipstats.h.
 */
#ifndef PM_SIP_H
#define PM_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_SIP_MAX_HEADERS 128  /* header lines walked per message */
#define PM_SIP_MAX_LINE    8192 /* bytes of one line */

/* A view into the message; p is NULL when absent. */
struct pm_sip_view {
	const uint8_t *p;
	size_t n;
};

struct pm_sip_msg {
	bool is_request;
	struct pm_sip_view start_line; /* without CRLF */
	struct pm_sip_view method;     /* requests */
	struct pm_sip_view uri;        /* requests: the Request-URI */
	struct pm_sip_view version;    /* "SIP/2.0" */
	uint16_t status;               /* responses: 100..699 */
	struct pm_sip_view reason;     /* responses */
	struct pm_sip_view call_id, from, to, contact, via, user_agent, server, content_type;
	struct pm_sip_view cseq; /* the whole value, "1 INVITE" */
	uint32_t cseq_num;
	struct pm_sip_view cseq_method;
	int64_t content_length; /* -1 when absent */
	size_t header_len;      /* bytes up to and including the empty line */
	size_t body_len;        /* body bytes present (at most content_length) */
	size_t n_headers;
};

/*
 * Parse the SIP message at the start of the n bytes at p. Returns 0,
 * PM_E_TRUNC when the headers do not end within n (what was read is kept)
 * or PM_E_MALFORMED when the start line is not a SIP request or status
 * line. The message's length is header_len + body_len. Never reads outside
 * [p, p + n).
 */
PM_MUST_CHECK int pm_sip_parse(const uint8_t *p, size_t n, struct pm_sip_msg *out);

/* Whether the n bytes at p begin with a SIP request or status line (cheap). */
bool pm_sip_looks_like(const uint8_t *p, size_t n);

#endif /* PM_SIP_H */
