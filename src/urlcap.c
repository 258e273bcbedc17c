/* SPDX-License-Identifier: MIT */
/*
 * urlcap.c - captures by URL: the allow list, the address check at connect
 * time, the download into a private temporary file, the magic check, and
 * the kept files revalidated with their ETag or Last-Modified (RFC 9110
 * §13.1.1, §13.1.3). Does not analyse anything: the caller hands the
 * descriptor to the analysis cache as it does a local file's.
 */
#include "urlcap.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enrich.h"
#include "https.h"
#include "sandbox.h"

#define PCAP_MAGIC_US  0xa1b2c3d4u /* pcap-savefile(5) */
#define PCAP_MAGIC_NS  0xa1b23c4du /* pcap-savefile(5), nanosecond variant */
#define PCAP_MAGIC_MOD 0xa1b2cd34u /* Kuznetzov's modified pcap */
#define PCAPNG_MAGIC   0x0a0d0d0au /* pcapng SHB block type */

/* A download kept open for revalidation. */
struct kept {
	char url[PM_HTTPS_MAX_URL];
	char etag[128];
	char last_modified[64];
	bool live; /* the slot holds a download */
	int fd;    /* the unlinked temporary file, when live */
	uint64_t used;
};

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept kept[PM_URLCAP_KEEP];
static uint64_t kept_clock;

/* see urlcap.h */
bool
pm_urlcap_is_url(const char *path, size_t len)
{
	return (len >= 8 && strncasecmp(path, "https://", 8) == 0) ||
	       (len >= 7 && strncasecmp(path, "http://", 7) == 0);
}

/* host is in the comma-separated allow list (or the list is "*"). */
static bool
host_allowed(const char *list, const char *host)
{
	size_t hn = strlen(host);
	for (const char *p = list; *p != '\0';) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if ((n == 1 && p[0] == '*') || (n == hn && n > 0 && strncasecmp(p, host, n) == 0)) {
			return true;
		}
		p += n;
	}
	return false;
}

struct check {
	const struct pm_config *cfg;
};

/* https.h dial_check: the hop's host allowed, the address public (or private allowed). */
static int
dial_check(void *opaque, const char *host, const struct sockaddr *sa, struct pm_error *err)
{
	const struct check *k = opaque;
	struct pm_ip ip = { 0 };
	const char *range = NULL;
	if (!host_allowed(k->cfg->allow_urls, host)) {
		return pm_error_setc(err, PM_E_LIMIT, PM_EC_INVALID_ARGUMENT, 0,
		                     "host %.80s is not in PCAPMCP_ALLOW_URLS", host);
	}
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		memcpy(ip.addr, &in->sin_addr, 4);
		ip.is_v4 = true;
	} else if (sa->sa_family == AF_INET6) {
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(ip.addr, &in6->sin6_addr, 16);
		if (memcmp(ip.addr, mapped, sizeof(mapped)) == 0) {
			memmove(ip.addr, ip.addr + 12, 4);
			memset(ip.addr + 4, 0, 12);
			ip.is_v4 = true;
		}
	} else {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INVALID_ARGUMENT, 0,
		                     "host %.80s: not an IP address family", host);
	}
	if (pm_ip_classify(&ip, &range) != PM_IP_PUBLIC && !k->cfg->allow_private_urls) {
		return pm_error_setc(err, PM_E_LIMIT, PM_EC_INVALID_ARGUMENT, 0,
		                     "host %.80s resolves to a %s address; refused unless "
		                     "PCAPMCP_ALLOW_PRIVATE_URLS is set",
		                     host, range != NULL ? range : "non-public");
	}
	return 0;
}

static int
sink(void *opaque, const uint8_t *p, size_t n)
{
	const int *fd = opaque;
	while (n > 0) {
		ssize_t w = write(*fd, p, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The first 4 bytes of fd are a pcap or pcapng magic, in either byte order. */
static bool
is_capture(int fd)
{
	static const uint32_t magics[] = { PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MOD,
		                           PCAPNG_MAGIC };
	uint8_t m[4];
	if (pread(fd, m, 4, 0) != 4) {
		return false;
	}
	uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	uint32_t le = (uint32_t)m[3] << 24 | (uint32_t)m[2] << 16 | (uint32_t)m[1] << 8 | m[0];
	for (size_t i = 0; i < PM_ARRAY_LEN(magics); i++) {
		if (be == magics[i] || le == magics[i]) {
			return true;
		}
	}
	return false;
}

/* A private temporary file in the cache directory; its descriptor or -1 with err. */
static int
temp_file(const struct pm_config *cfg, struct pm_error *err)
{
	char dir[PATH_MAX + 16], tmp[PATH_MAX + 48];
	if (cfg->cache_dir[0] == '\0' || strlen(cfg->cache_dir) + 16 >= PATH_MAX) {
		pm_error_setc(err, PM_E_IO, PM_EC_INTERNAL_ERROR, 0,
		              "no cache directory for downloads; set PCAPMCP_CACHE_DIR");
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/urlcap", cfg->cache_dir);
	(void)mkdir(cfg->cache_dir, 0700);
	(void)mkdir(dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s/cap-XXXXXX", dir);
	int fd = mkstemp(tmp); /* 0600: only this user reads it */
	if (fd < 0) {
		pm_error_setc(err, PM_E_IO, PM_EC_INTERNAL_ERROR, 0, "download directory %s: %s",
		              dir, strerror(errno));
		return -1;
	}
	unlink(tmp); /* the descriptor is the only way to the file from here on */
	return fd;
}

/* A kept download of url: its slot (lock held by the caller), or NULL. */
static struct kept *
kept_find(const char *url)
{
	for (size_t i = 0; i < PM_URLCAP_KEEP; i++) {
		if (kept[i].live && strcmp(kept[i].url, url) == 0) {
			return &kept[i];
		}
	}
	return NULL;
}

/* Keep fd (dup'ed) for url with the response's validators, evicting the least recent. */
static void
kept_put(const char *url, const struct pm_https_resp *r, int fd)
{
	if (r->etag[0] == '\0' && r->last_modified[0] == '\0') {
		return;
	}
	pthread_mutex_lock(&kept_lock);
	struct kept *k = kept_find(url);
	/* Else an empty slot, else the least recently used. */
	for (size_t i = 0; k == NULL && i < PM_URLCAP_KEEP; i++) {
		k = !kept[i].live ? &kept[i] : NULL;
	}
	for (size_t i = 1, lru = 0; k == NULL; i++) {
		lru = i < PM_URLCAP_KEEP && kept[i].used < kept[lru].used ? i : lru;
		k = i == PM_URLCAP_KEEP ? &kept[lru] : NULL;
	}
	if (k->live) {
		close(k->fd);
	}
	k->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	k->live = k->fd >= 0;
	snprintf(k->url, sizeof(k->url), "%s", url);
	snprintf(k->etag, sizeof(k->etag), "%s", r->etag);
	snprintf(k->last_modified, sizeof(k->last_modified), "%s", r->last_modified);
	k->used = ++kept_clock;
	pthread_mutex_unlock(&kept_lock);
}

/* The validator headers of a kept download of url into h (NULL-terminated). */
static void
validators(const char *url, char h[2][200], const char *hdr[3])
{
	size_t n = 0;
	pthread_mutex_lock(&kept_lock);
	const struct kept *k = kept_find(url);
	if (k != NULL && k->etag[0] != '\0') {
		snprintf(h[n], sizeof(h[n]), "If-None-Match: %s", k->etag);
		hdr[n] = h[n];
		n++;
	}
	if (k != NULL && k->last_modified[0] != '\0') {
		snprintf(h[n], sizeof(h[n]), "If-Modified-Since: %s", k->last_modified);
		hdr[n] = h[n];
		n++;
	}
	hdr[n] = NULL;
	pthread_mutex_unlock(&kept_lock);
}

/* The kept file of url reopened at offset 0 (a new descriptor), or -1. */
static int
kept_reuse(const char *url)
{
	int fd = -1;
	pthread_mutex_lock(&kept_lock);
	struct kept *k = kept_find(url);
	if (k != NULL) {
		k->used = ++kept_clock;
		fd = fcntl(k->fd, F_DUPFD_CLOEXEC, 0);
	}
	pthread_mutex_unlock(&kept_lock);
	if (fd >= 0) {
		(void)lseek(fd, 0, SEEK_SET);
	}
	return fd;
}

/* The URL's form: https, a host in the allow list. 0 or <0 with err. */
static int
check_url(const struct pm_config *cfg, const char *url, struct pm_error *err)
{
	char host[256], path[PM_HTTPS_MAX_URL];
	unsigned port;
	if (cfg->allow_urls[0] == '\0') {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INVALID_ARGUMENT, 0,
		                     "capture URLs are off; set PCAPMCP_ALLOW_URLS to the hosts "
		                     "allowed (or *)");
	}
	if (strncasecmp(url, "http://", 7) == 0) {
		return pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_INVALID_ARGUMENT, 0,
		                     "only https:// capture URLs are fetched");
	}
	int rc = pm_https_split_url(url, host, &port, path);
	if (rc != 0) {
		return pm_error_setc(err, rc, PM_EC_INVALID_ARGUMENT, 0,
		                     "the capture URL is not https://host[:port]/path");
	}
	if (!host_allowed(cfg->allow_urls, host)) {
		return pm_error_setc(err, PM_E_LIMIT, PM_EC_INVALID_ARGUMENT, 0,
		                     "host %.80s is not in PCAPMCP_ALLOW_URLS", host);
	}
	return 0;
}

/* What a failed fetch means for the call: its contract code and message. */
static int
fetch_failed(int rc, const struct pm_config *cfg, struct pm_error *err)
{
	if (err->ecode != PM_EC_NONE) {
		return rc; /* the address check said why */
	}
	if (rc == PM_E_LIMIT && strstr(err->msg, "redirect") == NULL) {
		return pm_error_setc(
		    err, rc, PM_EC_FILE_TOO_LARGE, 0, "the capture is larger than %s (%llu MiB)",
		    cfg->max_mb_var != NULL ? cfg->max_mb_var : "PCAPMCP_MAX_FILE_MB",
		    (unsigned long long)cfg->max_file_mb);
	}
	err->ecode = PM_EC_PATH_NOT_FOUND;
	return rc;
}

/* see urlcap.h */
int
pm_urlcap_open(const struct pm_config *cfg, const char *url_in, size_t len, char out[PATH_MAX],
               struct pm_error *err)
{
	char url[PM_HTTPS_MAX_URL], vh[2][200];
	const char *hdr[3];
	if (len >= sizeof(url) || memchr(url_in, '\0', len) != NULL) {
		pm_error_setc(err, PM_E_MALFORMED, PM_EC_INVALID_ARGUMENT, 0,
		              "the capture URL is longer than %d bytes or holds a NUL",
		              PM_HTTPS_MAX_URL - 1);
		return -1;
	}
	memcpy(url, url_in, len);
	url[len] = '\0';
	if (check_url(cfg, url, err) != 0) {
		return -1;
	}
	int fd = temp_file(cfg, err);
	if (fd < 0) {
		return -1;
	}
	struct check k = { cfg };
	uint64_t cap = cfg->max_file_bytes != 0 ? cfg->max_file_bytes : cfg->max_file_mb << 20;
	struct pm_https_opts o = { .ca_file = cfg->ca_file,
		                   .connect_timeout_ms = 10000,
		                   .total_timeout_ms = PM_URLCAP_TIMEOUT_MS,
		                   .no_proxy = true,
		                   .dial_check = dial_check,
		                   .dial_opaque = &k,
		                   .sink = sink,
		                   .sink_opaque = &fd,
		                   .max_stream = cap };
	validators(url, vh, hdr);
	struct pm_https_req req = { .method = "GET", .url = url, .headers = hdr };
	struct pm_https_resp r;
	int rc = pm_https_fetch(&o, &req, &r, err);
	if (rc != 0) {
		close(fd);
		fetch_failed(rc, cfg, err);
		return -1;
	}
	int status = r.status;
	if (status == 304 && hdr[0] != NULL) {
		close(fd);
		fd = kept_reuse(url);
	} else if (status != 200) {
		close(fd);
		fd = -1;
		pm_error_setc(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, 0,
		              "the capture URL answered HTTP %d", status);
	} else if (!is_capture(fd)) {
		close(fd);
		fd = -1;
		pm_error_setc(err, PM_E_UNSUPPORTED, PM_EC_UNSUPPORTED_FILE_TYPE, 0,
		              "the download is not a capture (no pcap or pcapng magic)");
	} else {
		kept_put(url, &r, fd);
		(void)lseek(fd, 0, SEEK_SET);
	}
	pm_https_resp_free(&r);
	if (fd < 0 && err->ecode == PM_EC_NONE) {
		pm_error_setc(err, PM_E_IO, PM_EC_PATH_NOT_FOUND, 0, "the kept download is gone");
	}
	if (fd >= 0) {
		snprintf(out, PATH_MAX, "%s", url);
	}
	return fd;
}

/* see urlcap.h */
void
pm_urlcap_reset(void)
{
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < PM_URLCAP_KEEP; i++) {
		if (kept[i].live) {
			close(kept[i].fd);
		}
		memset(&kept[i], 0, sizeof(kept[i]));
	}
	pthread_mutex_unlock(&kept_lock);
}
