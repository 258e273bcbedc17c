/* SPDX-License-Identifier: MIT */
/*
 * scanview.h - the port-scan views (PortHunter's scan_overview,
 * list_suspects and first_scan_event) over a finished struct pm_scan, and
 * the sorted source lists they share with the CLI. Each writes members of
 * the result object the caller opened; lists are capped and followed by
 * their _page member, sorted with ties broken by address bytes.
 */
#ifndef PM_SCANVIEW_H
#define PM_SCANVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "pm.h"
#include "scan.h"

struct pm_json;

/* What scan_overview says about the file. */
struct pm_scan_file {
	const char *file;    /* the path analysed */
	uint64_t total_pkts; /* records in the capture */
	double interval_s;   /* last minus first packet time */
};

/*
 * The sources list_suspects reports: targets >= min_ports and rate >=
 * min_rate, by score descending (ties: targets, then address bytes), in a
 * malloc'd array of pointers into s the caller frees (even when *n is 0).
 * Returns 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_scan_suspect_list(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                                       const struct pm_scan_src ***out, size_t *n);

/*
 * The sources scan_overview reports as scanners, by targets then probe
 * packets descending, as above.
 */
PM_MUST_CHECK int pm_scan_scanner_list(const struct pm_scan *s, const struct pm_scan_src ***out,
                                       size_t *n);

/*
 * scan_overview: the member "overview" (file, total_pkts, interval_s,
 * scanners, targets, port_distribution, suspected_patterns, traceroutes,
 * thresholds, approximate), each scanner, target and port list capped at
 * top_k and followed by its _page member; traceroutes lists every source
 * whose probes time exceeded answered (ip, probes, max_ttl, first_seen,
 * last_seen).
 * Returns 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_scan_overview(const struct pm_scan *s, const struct pm_scan_file *fi,
                                   double window_s, uint64_t top_k, struct pm_json *w);

/* list_suspects: members suspects, suspects_page, thresholds, approximate. 0 or PM_E_NOMEM. */
PM_MUST_CHECK int pm_scan_suspects(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                                   struct pm_json *w);

/* first_scan_event: the member first_event, an object or null. */
void pm_scan_first_event(const struct pm_scan *s, struct pm_json *w);

/* "SYN", "FIN,PSH,URG", ... for TCP flags; "none" for no flags. */
void pm_scan_flags_str(uint16_t flags, char out[48]);

#endif /* PM_SCANVIEW_H */
