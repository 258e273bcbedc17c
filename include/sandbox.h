/* SPDX-License-Identifier: MIT */
/*
 * sandbox.h - the server's configuration (environment variables, DESIGN.md
 * "Configuration") and the checks every tool call passes: the capture path
 * must resolve inside the allowed directory, be a regular file no larger than
 * the limit and start with a pcap or pcapng magic; the auth token, when
 * required, must match.
 *
 * Failures carry the DESIGN.md error-contract code in pm_error.ecode
 * (PM_EC_PATH_NOT_FOUND, ...), so the tool call builds the tool error
 * without a second table. Nothing here prints, logs or echoes a token.
 */
#ifndef PM_SANDBOX_H
#define PM_SANDBOX_H

#include <limits.h> /* PATH_MAX */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_json;

#define PM_CONFIG_DEFAULT_MAX_MB    4096u /* PCAPMCP_MAX_FILE_MB when unset */
#define PM_CONFIG_DEFAULT_ENRICH_MS 8000u /* PCAPMCP_ENRICH_TIMEOUT_MS when unset */
#define PM_CONFIG_MAX_KEY           256   /* bytes of one provider key, NUL included */
#define PM_CONFIG_MAX_BASE_URL      512   /* bytes of one provider base URL */

/* The threat-intel providers, in the order their members are written. */
enum pm_provider {
	PM_PROV_OTX = 0,
	PM_PROV_GREYNOISE,
	PM_PROV_ABUSEIPDB,
	PM_PROV_VIRUSTOTAL,
	PM_PROV_SHODAN,
	PM_PROV_RDAP,
	PM_PROV_COUNT
};
#define PM_CONFIG_MAX_MB (UINT64_MAX >> 20) /* largest limit whose bytes fit uint64 */

/*
 * Settings read once at start. About 32 KiB: fine on the main stack, or make
 * it static. Strings are NUL-terminated; "" means unset.
 */
struct pm_config {
	char allowed_dir[PATH_MAX]; /* realpath()ed, so no symlinks, no trailing '/' unless "/" */
	uint64_t max_file_mb;       /* MiB (2^20 bytes); 1..PM_CONFIG_MAX_MB */
	char token[PATH_MAX];       /* secret; never written to output or logs */
	bool token_set;             /* token is non-empty */
	bool require_token;         /* every tool call must carry token */
	bool offline;               /* no network; local databases only */
	bool allow_private;         /* enrich private and reserved addresses too */
	char cache_dir[PATH_MAX];   /* enrichment cache; not created here; "" if no HOME */
	char ca_file[PATH_MAX];     /* trust anchors; "" = the system bundle */
	char geoip_db[PATH_MAX];    /* .mmdb path or "" */
	char asn_db[PATH_MAX];      /* .mmdb path or "" */
	char tools[PATH_MAX];       /* tool names/groups for serve; default "all" */
	char ja3_feed[PATH_MAX];    /* SSLBL-layout JA3 CSV (tlsknown.h) or "" */
	uint64_t
	    max_file_bytes; /* exact limit when set (PORT_HUNTER_MAX_PCAP_MB=0.5); 0: max_file_mb */
	size_t max_result_chars; /* PCAPMCP_MAX_RESULT_CHARS: hard budget of one result; 0: none */
	char prov_key[PM_PROV_COUNT][PM_CONFIG_MAX_KEY]; /* secret API keys, "" when unset;
	                                                    never written to output or logs */
	const char *prov_key_var[PM_PROV_COUNT];         /* the variable a key came from, or the
	                                                    one to set (static) */
	char prov_url[PM_PROV_COUNT][PM_CONFIG_MAX_BASE_URL]; /* PCAPMCP_<PROVIDER>_URL, "" unset */
	unsigned enrich_timeout_ms; /* PCAPMCP_ENRICH_TIMEOUT_MS: all providers of one address */
	char allow_urls[1024];      /* PCAPMCP_ALLOW_URLS: hosts ("a,b" or "*"); "" = URLs off */
	bool allow_private_urls;    /* PCAPMCP_ALLOW_PRIVATE_URLS: loopback etc. may be fetched */
	uint32_t reasm_window_kb; /* PCAPMCP_REASM_WINDOW_KB: TCP reassembly window per direction */
	uint32_t reasm_max_mb;    /* PCAPMCP_REASM_MAX_MB: cap of each reassembly pool */
	/* The variables actually read, for messages ("PORT_HUNTER_MAX_PCAP_MB"); NULL: PCAPMCP_ names. */
	const char *dir_var, *max_mb_var, *token_var, *require_var;
};

#define PM_CONFIG_DEFAULT_RESULT_CHARS 100000u /* PCAPMCP_MAX_RESULT_CHARS when unset */
#define PM_CONFIG_MIN_RESULT_CHARS     20000u  /* smallest accepted: a default result fits */
#define PM_CONFIG_DEFAULT_REASM_KB     64u /* PCAPMCP_REASM_WINDOW_KB when unset (PM_REASM_WINDOW) */
#define PM_CONFIG_DEFAULT_REASM_MB     256u /* PCAPMCP_REASM_MAX_MB when unset (PM_REASM_POOL_MAX) */

/*
 * Fill *c from the environment: envp ("NAME=value" strings, NULL-terminated)
 * when non-NULL, else getenv(). Reads PCAPMCP_ALLOWED_DIR, _MAX_FILE_MB,
 * _TOKEN, _REQUIRE_TOKEN, _OFFLINE, _ALLOW_PRIVATE, _CACHE_DIR, _CA_FILE,
 * _GEOIP_DB, _ASN_DB, _TOOLS, _JA3_FEED, _MAX_RESULT_CHARS, _REASM_WINDOW_KB,
 * _REASM_MAX_MB, _ENRICH_TIMEOUT_MS (100 to
 * 120000), _ALLOW_URLS, _ALLOW_PRIVATE_URLS and _<PROVIDER>_URL (GREYNOISE,
 * OTX, ABUSEIPDB, VIRUSTOTAL, SHODAN, RDAP; https only), and the provider
 * keys (GREYNOISE_API_KEY, OTX_API_KEY, ABUSEIPDB_API_KEY, VT_API_KEY,
 * SHODAN_API_KEY, else PCAP Hunter's GREYNOISE_KEY, OTX_KEY, ABUSEIPDB_KEY,
 * VT_KEY, SHODAN_KEY; at most PM_CONFIG_MAX_KEY - 1 bytes of [!-~], so no
 * key can break a header line); when a PCAPMCP_ name is
 * unset, its PortHunter alias is read (PORT_HUNTER_ALLOWED_DIR, _MAX_PCAP_MB,
 * _TOKEN, _REQUIRE_TOKEN, _ALLOW_PRIVATE). An empty value counts as unset.
 * As in PortHunter, a PORT_HUNTER_TOKEN makes the token required unless
 * PCAPMCP_REQUIRE_TOKEN or PORT_HUNTER_REQUIRE_TOKEN says otherwise. The
 * *_var members name the variables read, and every message about a setting
 * names the one the user set.
 *
 * Booleans are true/false/1/0/yes/no in any case; MAX_FILE_MB is a positive
 * decimal integer with nothing around it; PORT_HUNTER_MAX_PCAP_MB may also
 * have a fraction ("0.5", as PortHunter takes it): max_file_bytes is then the
 * exact limit and max_file_mb its MiB rounded up. MAX_RESULT_CHARS is a whole
 * number of at least PM_CONFIG_MIN_RESULT_CHARS (default 100000).
 * REASM_WINDOW_KB is 1 to 16384 (default 64), REASM_MAX_MB 1 to 4096
 * (default 256), as reasm.h bounds them. The allowed directory (default: the
 * working directory) must exist and be a directory; it is stored resolved.
 * The cache directory defaults to $XDG_CACHE_HOME/pcapmcp (when absolute),
 * else $HOME/.cache/pcapmcp. Requiring a token without setting one is an
 * error.
 *
 * Returns 0, or fills *err with a message naming the variable and what to
 * set it to and returns PM_E_MALFORMED (bad value), PM_E_LIMIT (value longer
 * than PATH_MAX - 1) or PM_E_IO (allowed directory missing or not one). The
 * message never contains the token.
 */
PM_MUST_CHECK int pm_config_load(struct pm_config *c, char *const *envp, struct pm_error *err);

/*
 * Only the settings of the analysis and its results (PCAPMCP_REASM_WINDOW_KB,
 * PCAPMCP_REASM_MAX_MB, PCAPMCP_JA3_FEED), as pm_config_load reads them:
 * the CLI's verbs, which have no sandbox, still honour them.
 */
int pm_config_load_analysis(struct pm_config *c, char *const *envp, struct pm_error *err);

/*
 * Write the sandbox settings as members of the object open in w, for
 * get_info: allowed_dir, max_file_mb, require_token, token_set, offline,
 * allow_private, tools. Writes whether a token is set, never the token.
 */
void pm_config_describe(const struct pm_config *c, struct pm_json *w);

/*
 * Check the capture path a request named, the len bytes at path (not
 * NUL-terminated; a NUL inside is refused). A relative path starts at the
 * allowed directory, never the working directory. The path is resolved with
 * realpath(), symlinks included, and the result must equal the allowed
 * directory or lie below it by whole components (/data admits /data/x, never
 * /data2). It must then be a regular file (FIFOs, devices, sockets and
 * directories are refused without being opened), of at most max_file_mb MiB,
 * whose first 4 bytes are a pcap (a1b2c3d4, a1b23c4d, a1b2cd34, either byte
 * order) or pcapng (0a0d0d0a) magic; the name's extension plays no part.
 *
 * The file is opened O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and the open
 * file is checked to be the inode that was stat()ed, so a swap after the
 * check is caught. On success writes the resolved path to out, stores the
 * open descriptor (read offset 0; the caller closes it) in *fd_out, and
 * returns 0. Reading through the descriptor (or /dev/fd/N) avoids reopening
 * by name, which would reopen the window between check and use.
 *
 * On failure *fd_out is -1 and err->ecode holds the contract code:
 * invalid_argument (empty, NUL or over-long path; PM_E_MALFORMED or
 * PM_E_LIMIT), path_outside_allowed_dir (PM_E_LIMIT), path_not_found
 * (PM_E_IO; also unreadable or a symlink loop), not_a_regular_file
 * (PM_E_UNSUPPORTED), file_too_large (PM_E_LIMIT) or unsupported_file_type
 * (PM_E_UNSUPPORTED). A missing path whose name alone leads outside the
 * directory reports path_outside_allowed_dir, so requests cannot probe which
 * files exist elsewhere.
 */
PM_MUST_CHECK int pm_sandbox_open(const struct pm_config *c, const char *path, size_t len,
                                  char out[PATH_MAX], int *fd_out, struct pm_error *err);

/* pm_sandbox_open for a NUL-terminated path, closing the descriptor. */
PM_MUST_CHECK int pm_sandbox_resolve(const struct pm_config *c, const char *path,
                                     char out[PATH_MAX], struct pm_error *err);

/*
 * Whether a tool call carrying `given` (NULL when absent) may run: always
 * when no token is required; otherwise only when given equals the token.
 * The comparison takes the same time whatever bytes differ, and a length
 * mismatch does not shorten it.
 */
bool pm_sandbox_token_ok(const struct pm_config *c, const char *given);

#endif /* PM_SANDBOX_H */
