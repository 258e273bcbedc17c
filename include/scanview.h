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
	const char *file;    /* the path as the caller gave it (PortHunter's overview.file) */
	uint64_t total_pkts; /* records in the capture */
	double interval_s;   /* last minus first packet time */
	const char *path;    /* the resolved path analysed; NULL: file */
	size_t max_bytes;    /* lists stop once w holds this many bytes; 0: no cap */
};

#define PM_SCAN_PORTS_HIT_MAX 32 /* ports listed per target in scan_overview */

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
 * scan_overview: the member "overview" (file, path, total_pkts, interval_s,
 * scanners, targets, port_distribution, suspected_patterns, traceroutes,
 * thresholds, approximate), each scanner, target and port list capped at
 * top_k (and fi->max_bytes) and followed by its _page member; traceroutes
 * lists every source whose probes time exceeded answered (ip, probes,
 * max_ttl, first_seen, last_seen). A scanner's flag_stats counts its TCP
 * probes by the flags of their first segment (SYN, FIN, PSH, URG, RST, ACK,
 * all six present, as PortHunter counts them), technique_stats its probes by
 * technique. A target's ports_hit lists its probed ports, ascending, at most
 * PM_SCAN_PORTS_HIT_MAX, and ports_hit_count says how many there are.
 * Returns 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_scan_overview(const struct pm_scan *s, const struct pm_scan_file *fi,
                                   double window_s, uint64_t top_k, struct pm_json *w);

/*
 * list_suspects: members suspects, suspects_page, thresholds, approximate.
 * A suspect's flags_seen names the TCP flags of its probes (SYN, FIN, PSH,
 * URG, RST, ACK, in that order, as PortHunter does); its techniques stay in
 * techniques. 0 or PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_scan_suspects(const struct pm_scan *s, uint64_t min_ports, double min_rate,
                                   struct pm_json *w);

/* pm_scan_suspects whose list stops once w holds max_bytes bytes (0: no cap). */
PM_MUST_CHECK int pm_scan_suspects_capped(const struct pm_scan *s, uint64_t min_ports,
                                          double min_rate, size_t max_bytes, struct pm_json *w);

/*
 * first_scan_event: the member first_event, an object or null, in
 * PortHunter's shape {ts, src, dst, port, flags}: ts as PortHunter writes it
 * (pm_scan_ts_porthunter), flags as tcpdump-style letters (pm_scan_flag_letters;
 * null for UDP and ICMP). Beside them: time (nanoseconds), tcp_flags
 * (pm_scan_flags_str), technique, protocol, state.
 */
void pm_scan_first_event(const struct pm_scan *s, struct pm_json *w);

/*
 * TCP flags as tcpdump-style letters in tcpdump's order, ACK as 'A': FIN F,
 * SYN S, RST R, PSH P, ACK A, URG U, ECE E, CWR W. "" for no flags.
 */
void pm_scan_flag_letters(uint16_t flags, char out[12]);

/*
 * ts_ns as PortHunter writes times: "2025-09-20T22:59:58Z", with six digits
 * of microseconds ("...:58.123456Z") when the time has a fraction of a
 * second. out is always NUL-terminated.
 */
void pm_scan_ts_porthunter(int64_t ts_ns, char out[40]);

/* "SYN", "FIN,PSH,URG", ... for TCP flags; "none" for no flags. */
void pm_scan_flags_str(uint16_t flags, char out[48]);

#endif /* PM_SCANVIEW_H */
