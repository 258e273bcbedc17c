/* SPDX-License-Identifier: MIT */
/*
 * urlcap.h - captures named by URL (mcpcap's pcap_file: "https://..."),
 * fetched with the HTTPS client under the rules that keep a server from
 * being turned against its own network (server-side request forgery):
 *
 * - off unless PCAPMCP_ALLOW_URLS names the host (a comma list, or "*");
 * - https only; a redirect is followed only to another allowed host;
 * - every address the host resolves to is checked, and the socket connects
 *   to the address checked (https.h dial_check: no second resolution, so
 *   DNS rebinding cannot slip a private address in); loopback, private,
 *   link-local (169.254.169.254, the cloud metadata service, included),
 *   CGNAT, ULA and reserved addresses are refused unless
 *   PCAPMCP_ALLOW_PRIVATE_URLS is set; no proxy is used;
 * - the body is streamed into a private (0600) temporary file under the
 *   cache directory, capped at PCAPMCP_MAX_FILE_MB, and typed by its magic
 *   bytes (pcap or pcapng); the name is removed as soon as the file is
 *   checked, so nothing stays on disk after the analysis.
 *
 * The open file of a URL whose response carried a validator (ETag or
 * Last-Modified) is kept (PM_URLCAP_KEEP of them): the next call sends it
 * back (If-None-Match / If-Modified-Since) and, on 304, reuses the file, so
 * the analysis cache (keyed by the file's identity) answers again.
 */
#ifndef PM_URLCAP_H
#define PM_URLCAP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "pm.h"

struct pm_config;

#define PM_URLCAP_KEEP       4      /* downloaded captures kept open for revalidation */
#define PM_URLCAP_TIMEOUT_MS 120000 /* a whole download */

/* Whether the len bytes at path name a URL (http:// or https://, any case). */
bool pm_urlcap_is_url(const char *path, size_t len);

/*
 * Fetch the capture at the URL (len bytes at url, not NUL-terminated) under
 * the rules above. Returns an open descriptor at offset 0 (the caller closes
 * it) with the URL written to out, or -1 with err filled: invalid_argument
 * (URLs off, http://, host not allowed, address refused, bad URL),
 * file_too_large, unsupported_file_type, path_not_found (the fetch failed or
 * the status was not 200: what failed, never the path or query).
 */
int pm_urlcap_open(const struct pm_config *cfg, const char *url, size_t len, char out[PATH_MAX],
                   struct pm_error *err);

/* Close the kept downloads (tests, and the end of a process). */
void pm_urlcap_reset(void);

#endif /* PM_URLCAP_H */
