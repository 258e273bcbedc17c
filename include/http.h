/* SPDX-License-Identifier: MIT */
/*
 * http.h - HTTP/1.x messages over reassembled TCP (RFC 9112) and the HTTP
 * analyser.
 *
 * Pure parsers for a request or response head (start line and header
 * fields up to the empty line) returning views into the caller's bytes.
 * The analyser feeds flows labelled HTTP (by port, or on any port once the
 * first bytes look like HTTP) through reassembly (reasm.h), parses every
 * head, delimits bodies (Content-Length, chunked per RFC 9112 §7.1, or the
 * end of the connection), names bodies' file type by magic bytes and
 * hashes with SHA-256 those up to PM_HTTP_MAX_HASH_BODY that are files (by
 * magic or Content-Type; pages, scripts and gzip-coded text are not), and pairs pipelined and
 * keep-alive requests with their responses in order. HTTP/2 prior
 * knowledge (RFC 9113 §3.3) and upgrades are counted and end parsing of the
 * flow. Bodies are never stored; only heads' fields, capped, are copied.
 */
#ifndef PM_HTTP_H
#define PM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyser.h"
#include "counts.h"
#include "pm.h"
#include "reasm.h"
#include "table.h"

struct pm_json;

#define PM_HTTP_MAX_HEAD      (16u << 10) /* bytes of one head; longer is malformed */
#define PM_HTTP_MAX_FIELDS    100         /* header fields walked per head */
#define PM_HTTP_MAX_HASH_BODY (64u << 10) /* bodies up to this size are hashed */
#define PM_HTTP_MAX_PENDING   16          /* requests awaiting their response per flow */
#define PM_HTTP_MAX_STATE     (64u << 20) /* bytes of per-flow parse state live at once */
#define PM_HTTP_MAX_DISTINCT  65536       /* distinct values of each statistic counted */
/* Exchange rows kept; the rest are counted (a fuzz build may set it lower, to reach past them). */
#ifndef PM_HTTP_MAX_EXCHANGES
#define PM_HTTP_MAX_EXCHANGES 10000
#endif

/* A view: n bytes at p, or p NULL when absent. */
struct pm_http_view {
	const uint8_t *p;
	size_t n;
};

/* A parsed head. Views point into the bytes given to the parser. */
struct pm_http_head {
	bool is_response;
	struct pm_http_view method, uri; /* requests */
	uint16_t status;                 /* responses */
	struct pm_http_view reason;      /* responses */
	uint8_t version_minor;           /* HTTP/1.x */
	struct pm_http_view host, user_agent, content_type, referer, auth_scheme;
	struct pm_http_view server, location, upgrade, transfer_encoding;
	int64_t content_length; /* -1 when absent or invalid */
	bool cookie;            /* a Cookie header was sent */
	bool chunked;           /* Transfer-Encoding ends with chunked */
	bool basic_auth;        /* Authorization: Basic */
	bool close;             /* Connection: close */
	size_t head_len;        /* bytes of the head, empty line included */
};

/*
 * Parse the head at the start of the n bytes at p (a request unless
 * response). Returns 0 with *out filled, PM_E_TRUNC when the empty line
 * has not arrived yet (and n < PM_HTTP_MAX_HEAD), or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_http_parse_head(const uint8_t *p, size_t n, bool response,
                                     struct pm_http_head *out);

/* "pe", "elf", "macho", "pdf", "zip", "gzip", "png", "jpeg", "gif", "html", or NULL. */
const char *pm_http_magic(const uint8_t *p, size_t n);

/* One request and, when it came, its response. Strings are copied, capped, NUL-terminated. */
struct pm_http_row {
	uint8_t client[16], server[16]; /* network order */
	uint8_t ipver;
	uint16_t server_port;
	int64_t ts_req, ts_resp; /* ns since the epoch; ts_resp 0 without a response */
	char method[16];
	char uri[256];
	char host[128];
	char user_agent[160];
	char req_type[64];  /* request Content-Type */
	char resp_type[64]; /* response Content-Type */
	char server_sw[64]; /* Server */
	char location[128];
	char auth_scheme[16];  /* Authorization scheme, "" when none */
	uint16_t status;       /* 0 without a response */
	uint8_t version_minor; /* of the request */
	bool has_resp;
	bool cookie;
	bool chunked;                    /* the response body was chunked */
	bool body_hashed;                /* resp_sha256 holds the response body's hash */
	bool form_password;              /* the request body had a field named like a password */
	int64_t req_length, resp_length; /* Content-Length, -1 when absent */
	uint64_t resp_body;              /* response body bytes seen */
	uint8_t resp_sha256[32];
	const char *resp_magic; /* file type of the response body, or NULL */
};

/*
 * The statistics, counted at every request (method, URI, Host, User-Agent)
 * and final response (status code, Content-Type) as a row would keep them,
 * where the rows stop at PM_HTTP_MAX_EXCHANGES.
 */
enum pm_http_stat {
	PM_HTTP_METHODS,
	PM_HTTP_URIS,
	PM_HTTP_HOSTS,
	PM_HTTP_AGENTS,
	PM_HTTP_STATUSES,
	PM_HTTP_CTYPES,
	PM_HTTP_STATS
};

struct pm_http {
	struct pm_reasm_pool pool; /* reassembly memory */
	struct pm_http_row *rows;  /* n_rows, malloc'd, owned */
	size_t n_rows, cap_rows;
	uint64_t requests, responses; /* heads parsed */
	uint64_t rows_dropped, flows_dropped;
	uint64_t bodies_hashed;       /* bodies whose SHA-256 was computed (each into its row) */
	uint64_t unmatched_responses; /* responses with no request waiting */
	uint64_t h2_prior_knowledge;  /* connections opened with the HTTP/2 preface */
	uint64_t upgrades;            /* 101 Switching Protocols */
	uint64_t malformed;           /* heads or chunk lines that did not parse */
	uint64_t not_http;            /* flows labelled HTTP whose bytes were not */
	struct pm_flow_states live;   /* flows whose parse state is allocated now */
	size_t max_live;              /* most live states at once (PM_HTTP_MAX_STATE) */
	struct pm_counts stats[PM_HTTP_STATS]; /* by enum pm_http_stat */
};

/*
 * Write the members of analyze_http_packets's result: statistics (mcpcap's
 * keys plus content types and top URIs), exchanges (the page at offset, at
 * most limit rows, stopped at a byte budget), findings, reassembly and
 * approximate.
 */
PM_MUST_CHECK int pm_http_view(const struct pm_http *h, uint64_t limit, uint64_t offset,
                               struct pm_json *w);

#endif /* PM_HTTP_H */
