/* SPDX-License-Identifier: MIT */
/*
 * https.h - a minimal HTTPS client on BearSSL: GET and POST over TLS 1.2,
 * certificates validated by br_x509_minimal against trust anchors read at
 * run time (the named file, else SSL_CERT_FILE, else the system bundle),
 * SNI and the host name checked; a bounded response (httpresp.h), https-only
 * redirects, connect and total timeouts (non-blocking connect and poll),
 * getaddrinfo, and HTTPS_PROXY through CONNECT.
 *
 * Error messages name what failed (resolve, connect, timeout, certificate
 * untrusted / expired / wrong host, TLS, HTTP) and the host and port only:
 * never the path or query, which may carry an API key, and never a header.
 */
#ifndef PM_HTTPS_H
#define PM_HTTPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct sockaddr;

#define PM_HTTPS_MAX_REDIRECTS 5
#define PM_HTTPS_MAX_CA_FILE   (16u << 20) /* bytes of PEM read */
#define PM_HTTPS_MAX_URL       2048

struct pm_https_opts {
	const char *ca_file;    /* PEM trust anchors; NULL or "": SSL_CERT_FILE, the system's */
	int connect_timeout_ms; /* per address; 0: 5000 */
	int total_timeout_ms;   /* the whole fetch, redirects included; 0: 15000 */
	size_t max_body;        /* body cap in bytes; 0: 1 MiB */
	int max_redirects;      /* followed, https only; < 0: none; 0: PM_HTTPS_MAX_REDIRECTS */
	const char *proxy; /* "http://host:port" for CONNECT; NULL: HTTPS_PROXY (or https_proxy) */
	bool no_proxy;     /* ignore HTTPS_PROXY */
	/*
	 * Called for every address the host of every hop resolves to, before
	 * connecting to it; the socket then connects to that very address (no
	 * second resolution). Non-zero refuses the address (with err filled);
	 * when every address is refused the fetch fails with that error. Set,
	 * it also turns the proxy off (a proxy would resolve the name itself).
	 */
	int (*dial_check)(void *opaque, const char *host, const struct sockaddr *sa,
	                  struct pm_error *err);
	void *dial_opaque;
	/*
	 * When set, the body of a final 2xx response is handed to sink as it
	 * arrives instead of being kept (max_body then caps the bytes streamed,
	 * up to UINT64_MAX); other responses are kept as usual (at most 64 KiB).
	 * Non-zero from sink stops the fetch (PM_E_IO). A chunked 2xx body is
	 * decoded as it arrives (pm_dechunk_feed) and the sink gets its data.
	 */
	int (*sink)(void *opaque, const uint8_t *p, size_t n);
	void *sink_opaque;
	uint64_t max_stream; /* sink: bytes accepted; 0: max_body */
};

struct pm_https_req {
	const char *method;         /* "GET" or "POST" */
	const char *url;            /* https://host[:port]/path?query */
	const char *const *headers; /* "Name: value" lines, NULL-terminated; may be NULL */
	const uint8_t *body;        /* POST body, or NULL */
	size_t body_len;
};

struct pm_https_resp {
	int status;    /* final HTTP status */
	uint8_t *body; /* malloc'd, NUL-terminated (not counted); pm_https_resp_free */
	size_t body_len;
	int64_t retry_after; /* seconds, -1 when absent */
	char content_type[128];
	char etag[128]; /* validators, "" when absent */
	char last_modified[64];
	int redirects;     /* followed */
	uint64_t streamed; /* body bytes handed to the sink */
};

/*
 * Fetch req under o into *out. Returns 0 with the final response (any
 * status: the caller decides what 404 or 429 means), or a negative pm_err
 * with *err saying what failed: PM_E_IO (resolve, connect, timeout, proxy),
 * PM_E_TLS (certificate untrusted, expired, wrong host; handshake),
 * PM_E_LIMIT (body over the cap, too many redirects), PM_E_MALFORMED (a bad
 * response or URL), PM_E_UNSUPPORTED (a redirect away from https).
 */
PM_MUST_CHECK int pm_https_fetch(const struct pm_https_opts *o, const struct pm_https_req *req,
                                 struct pm_https_resp *out, struct pm_error *err);

void pm_https_resp_free(struct pm_https_resp *r);

/*
 * Split an https URL into host (cap 256), port and the path with its query
 * (cap PM_HTTPS_MAX_URL). Returns 0, PM_E_UNSUPPORTED for another scheme,
 * or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_https_split_url(const char *url, char host[256], unsigned *port,
                                     char path[PM_HTTPS_MAX_URL]);

/*
 * Count the trust anchors in the PEM file (CERTIFICATE objects that decode),
 * for tests and get_info. Returns the count, or a negative pm_err with err.
 */
int pm_https_count_anchors(const char *path, struct pm_error *err);

#endif /* PM_HTTPS_H */
