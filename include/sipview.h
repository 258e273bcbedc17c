/* SPDX-License-Identifier: MIT */
/*
 * sipview.h - analyze_sip_packets: the SIP view over a finished analysis
 * (sipstats.h), with mcpcap's keys first.
 *
 * Arguments (struct pm_sip_args; pm_sip_args_init sets the defaults):
 *   method   string, optional: request method, any case (packets sample)
 *   status   integer 100..699, optional: response status (packets sample);
 *            default -1 (any)
 *   call_id  string, optional: substring of the Call-ID (packets sample
 *            and the calls list)
 *   limit    integer 0..1000 (clamped), default 20: packets per page
 *   offset   integer >= 0, default 0
 *   top      integer 1..100 (clamped), default 10: entries per list
 *
 * Members written: file, total_packets_in_file, sip_packets_found,
 * sip_packets_analyzed, statistics (mcpcap's requests, responses, methods,
 * response_classes ("2xx": n), unique_call_ids, call_ids (the `top` first),
 * transports, user_agents (sorted, at most `top` * 2); then status_codes,
 * malformed, truncated, approximate), calls (dialogue: INVITE, ringing,
 * final status, ACK, BYE, setup and duration), packets (+ packets_page,
 * mcpcap's per-packet fields), findings.
 */
#ifndef PM_SIPVIEW_H
#define PM_SIPVIEW_H

#include <stdint.h>

#include "pm.h"
#include "protoview.h"

struct pm_analysis;
struct pm_json;

struct pm_sip_args {
	const char *method;  /* NULL: any */
	int32_t status;      /* 100..699; -1: any */
	const char *call_id; /* substring; NULL: any */
	struct pm_pv_page page;
};

#define PM_SIP_AUTH_BURST   10 /* 401/403 answers to one source: brute-force hint */
#define PM_SIP_INVITE_FLOOD 50 /* INVITEs from one source */

void pm_sip_args_init(struct pm_sip_args *a);

/* Returns 0, PM_E_UNSUPPORTED (the analyser did not run) or PM_E_MALFORMED (bad argument). */
PM_MUST_CHECK int pm_sip_view(const struct pm_analysis *a, const struct pm_sip_args *args,
                              struct pm_json *w, struct pm_error *err);

#endif /* PM_SIPVIEW_H */
