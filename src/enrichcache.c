/* SPDX-License-Identifier: MIT */
/*
 * enrichcache.c - provider answers on disk: lookup, atomic store.
 */
#include "enrichcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cursor.h"

#define HEAD_MAX 80 /* bytes of the "PMC1 ..." line */

static bool
name_ok(const char *s, const char *extra)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
		          (ch != '\0' && strchr(extra, ch) != NULL);
		if (!ok) {
			return false;
		}
	}
	return true;
}

static int64_t
now_s(const struct pm_ecache *c)
{
	return c->now != 0 ? c->now : (int64_t)time(NULL);
}

/* dir/enrich/provider into out (PATH_MAX); false when it does not fit. */
static bool
entry_dir(const struct pm_ecache *c, const char *provider, char *out)
{
	int n = snprintf(out, PATH_MAX, "%s/enrich/%s", c->dir, provider);
	return c->dir[0] != '\0' && n > 0 && n < PATH_MAX;
}

/* A decimal field of the head line; false when absent or not one. */
static bool
head_num(struct pm_cur *h, int64_t *out)
{
	int64_t v = 0;
	size_t digits = 0;
	while (pm_cur_left(h) > 0 && pm_cur_peek(h, 0) >= '0' && pm_cur_peek(h, 0) <= '9' &&
	       digits < 18) {
		v = v * 10 + (pm_cur_u8(h) - '0');
		digits++;
	}
	*out = v;
	return digits > 0 && pm_cur_ok(h);
}

/* Parse the entry in buf; 1 with the body's offset and length, 0 when corrupt. */
static int
parse_entry(const uint8_t *buf, size_t n, int64_t *stored, int *status, size_t *off, size_t *len)
{
	struct pm_cur c = pm_cur_init(buf, n);
	const uint8_t *magic = pm_cur_bytes(&c, 5);
	int64_t st, code, blen;
	if (magic == NULL || memcmp(magic, "PMC1 ", 5) != 0 || !head_num(&c, &st) ||
	    pm_cur_u8(&c) != ' ' || !head_num(&c, &code) || pm_cur_u8(&c) != ' ' ||
	    !head_num(&c, &blen) || pm_cur_u8(&c) != '\n' || !pm_cur_ok(&c)) {
		return 0;
	}
	if (code < 100 || code > 599 || (uint64_t)blen != pm_cur_left(&c)) {
		return 0;
	}
	*stored = st;
	*status = (int)code;
	*off = c.off;
	*len = (size_t)blen;
	return 1;
}

/* see enrichcache.h */
int
pm_ecache_get(const struct pm_ecache *c, const char *provider, const char *key, int *status,
              uint8_t **body, size_t *len)
{
	char dir[PATH_MAX], path[PATH_MAX + 80];
	*body = NULL;
	*len = 0;
	if (!name_ok(provider, "") || !name_ok(key, ".:-ABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
	    !entry_dir(c, provider, dir)) {
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		return 0;
	}
	size_t cap = PM_ECACHE_MAX_BODY + HEAD_MAX, n = 0;
	uint8_t *buf = malloc(cap + 1);
	ssize_t r = 1;
	while (buf != NULL && n < cap && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
	}
	close(fd);
	int64_t stored;
	size_t off, blen;
	int hit = buf != NULL && r >= 0 ? parse_entry(buf, n, &stored, status, &off, &blen) : 0;
	int64_t ttl = c->ttl_s > 0 ? c->ttl_s : PM_ECACHE_DEFAULT_TTL;
	if (hit == 0 && buf != NULL && r >= 0) {
		unlink(path); /* corrupt: the next answer rebuilds it */
	}
	if (hit == 1 && (stored > now_s(c) || now_s(c) - stored >= ttl)) {
		hit = 0; /* expired, or stored in the future */
	}
	if (hit == 1) {
		memmove(buf, buf + off, blen);
		buf[blen] = '\0';
		*body = buf;
		*len = blen;
		return 1;
	}
	free(buf);
	return 0;
}

static int
mkdir_one(const char *path, struct pm_error *err)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		return pm_error_set(err, PM_E_IO, 0, "cache directory %s: %s", path,
		                    strerror(errno));
	}
	return 0;
}

static bool
write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return false;
		}
		b += w;
		n -= (size_t)w;
	}
	return true;
}

/* see enrichcache.h */
int
pm_ecache_put(const struct pm_ecache *c, const char *provider, const char *key, int status,
              const uint8_t *body, size_t len, struct pm_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], tmp[PATH_MAX + 80], head[HEAD_MAX];
	if (!name_ok(provider, "") || !name_ok(key, ".:-ABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
	    status < 100 || status > 599 || !entry_dir(c, provider, dir)) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "cache: bad provider, key or status");
	}
	if (len > PM_ECACHE_MAX_BODY) {
		return pm_error_set(err, PM_E_LIMIT, 0, "cache: entry over 1 MiB");
	}
	char enrich[PATH_MAX + 8];
	snprintf(enrich, sizeof(enrich), "%s/enrich", c->dir);
	int rc;
	if ((rc = mkdir_one(c->dir, err)) != 0 || (rc = mkdir_one(enrich, err)) != 0 ||
	    (rc = mkdir_one(dir, err)) != 0) {
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, key);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		return pm_error_set(err, PM_E_IO, 0, "cache %s: %s", dir, strerror(errno));
	}
	int hn =
	    snprintf(head, sizeof(head), "PMC1 %lld %d %zu\n", (long long)now_s(c), status, len);
	bool ok = write_all(fd, head, (size_t)hn) && write_all(fd, body, len);
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		rc = pm_error_set(err, PM_E_IO, 0, "cache %s: %s", dir, strerror(errno));
		unlink(tmp);
		return rc;
	}
	return 0;
}
