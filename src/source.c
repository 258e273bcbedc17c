/* SPDX-License-Identifier: MIT */
/*
 * source.c - the two file sources (mmap, read()) and the window the format
 * walkers read through; nothing here knows a capture format.
 *
 * The mmap source releases pages behind the walk (MADV_DONTNEED) so resident
 * memory stays flat however large the file. The read() source keeps one
 * buffer, moving the unread tail to its front before each refill; a record
 * larger than the buffer grows it, up to PM_MAX_RECORD.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* see source.h */
void
pm_source_init(struct pm_source *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->release_step = PM_RELEASE_STEP;
}

/* see source.h */
int
pm_source_damage(struct pm_source *s, int code, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	s->damaged = true;
	s->done = true;
	s->damage.code = code;
	s->damage.offset = (size_t)s->win_base + at;
	vsnprintf(s->damage.msg, sizeof(s->damage.msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* Move the unread tail to the front of the buffer and read until n bytes are there. */
static bool
refill(struct pm_source *s, size_t n)
{
	size_t tail = s->win_len - s->off;
	if (n > s->buf_cap) {
		size_t cap = s->buf_cap;
		while (cap < n) {
			cap *= 2;
		}
		uint8_t *b = realloc(s->buf, cap);
		if (b == NULL) {
			s->io_errno = ENOMEM;
			return false;
		}
		s->buf = b;
		s->buf_cap = cap;
	}
	memmove(s->buf, s->buf + s->off, tail);
	s->win_base += s->off;
	s->off = 0;
	s->win_len = tail;
	s->win = s->buf;
	while (s->win_len < n) {
		ssize_t got = read(s->fd, s->buf + s->win_len, s->buf_cap - s->win_len);
		if (got < 0 && errno == EINTR) {
			continue;
		}
		if (got < 0) {
			s->io_errno = errno;
			s->eof = true;
			return false;
		}
		if (got == 0) {
			s->eof = true;
			return false;
		}
		s->win_len += (size_t)got;
	}
	return true;
}

/* Whether want(n) would return false at once, without touching the buffer. */
static bool
refuses(const struct pm_source *s, size_t n)
{
	return s->eof || s->fd < 0 || n > PM_MAX_RECORD + 64;
}

/* see source.h */
bool
pm_source_want(struct pm_source *s, size_t n)
{
	if (PM_LIKELY(n <= s->win_len - s->off)) {
		return true;
	}
	if (refuses(s, n)) {
		return false;
	}
	return refill(s, n);
}

/* see source.h */
bool
pm_source_moves(const struct pm_source *s, size_t need)
{
	if (pm_source_releases(s)) {
		return true;
	}
	return need > s->win_len - s->off && !refuses(s, need);
}

/* see source.h */
void
pm_source_open_mem(struct pm_source *s, const uint8_t *p, size_t n)
{
	pm_source_init(s);
	s->win = p;
	s->win_len = n;
	s->eof = true;
	s->file_size = n;
	s->io = PM_IO_MMAP;
}

static int
open_map(struct pm_source *s, size_t size, struct pm_error *err)
{
	void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (m == MAP_FAILED) {
		return pm_error_set(err, PM_E_IO, 0, "mmap: %s", strerror(errno));
	}
	(void)madvise(m, size, MADV_SEQUENTIAL);
	s->map = m;
	s->map_len = size;
	s->win = m;
	s->win_len = size;
	s->eof = true;
	s->io = PM_IO_MMAP;
	return 0;
}

static int
open_read(struct pm_source *s, size_t cap, struct pm_error *err)
{
	s->buf = malloc(cap);
	if (s->buf == NULL) {
		return pm_error_set(err, PM_E_NOMEM, 0, "out of memory for the read buffer");
	}
	s->buf_cap = cap;
	s->win = s->buf;
	s->io = PM_IO_READ;
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return 0;
}

/* Set up the window over s->fd (already open). */
static int
open_window(struct pm_source *s, const char *name, enum pm_io io,
            const struct pm_source_sizes *sizes, struct pm_error *err)
{
	if (sizes != NULL && sizes->release_step != 0) {
		s->release_step = sizes->release_step;
	}
	struct stat st;
	if (fstat(s->fd, &st) != 0) {
		return pm_error_set(err, PM_E_IO, 0, "%s: %s", name, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		return pm_error_set(err, PM_E_IO, 0, "%s: is a directory", name);
	}
	if (S_ISREG(st.st_mode)) {
		s->file_size = (uint64_t)st.st_size;
	}
	/* mmap needs a regular, non-empty file that fits the address space. */
	if (io == PM_IO_MMAP && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= SIZE_MAX) {
		return open_map(s, (size_t)st.st_size, err);
	}
	return open_read(s, sizes != NULL && sizes->read_buf != 0 ? sizes->read_buf : PM_READ_BUF,
	                 err);
}

/* see source.h */
int
pm_source_open_file(struct pm_source *s, const char *path, enum pm_io io,
                    const struct pm_source_sizes *sizes, struct pm_error *err)
{
	pm_source_init(s);
	int rc;
	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
		io = PM_IO_READ;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			rc = pm_error_set(err, PM_E_IO, 0, "%s: %s", path, strerror(errno));
			goto out_close;
		}
		s->own_fd = true;
	}
	rc = open_window(s, path, io, sizes, err);
	if (rc == 0) {
		return 0;
	}
out_close:
	pm_source_close(s);
	return rc;
}

/* see source.h */
int
pm_source_open_fd(struct pm_source *s, int fd, const char *name, enum pm_io io,
                  const struct pm_source_sizes *sizes, struct pm_error *err)
{
	pm_source_init(s);
	s->fd = fd;
	int rc = open_window(s, name, io, sizes, err);
	if (rc != 0) {
		pm_source_close(s);
	}
	return rc;
}

/* see source.h */
void
pm_source_release(struct pm_source *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t upto = s->off & ~(page - 1);
	(void)madvise(s->map + s->advised, upto - s->advised, MADV_DONTNEED);
	s->advised = upto;
}

/* see source.h */
void
pm_source_close(struct pm_source *s)
{
	if (s->map != NULL) {
		munmap(s->map, s->map_len);
	}
	if (s->own_fd && s->fd >= 0) {
		close(s->fd);
	}
	free(s->buf);
	s->map = NULL;
	s->buf = NULL;
	s->fd = -1;
	s->own_fd = false;
	s->win = NULL;
	s->win_len = 0;
	s->off = 0;
	s->done = true;
}
