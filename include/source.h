/* SPDX-License-Identifier: MIT */
/*
 * source.h - the byte source under the capture format walkers.
 *
 * A source shows a capture file as a window of bytes that a walker reads at
 * win + off and advances through. Three kinds feed the window: the whole file
 * mapped with mmap (PM_IO_MMAP; pages behind the walk are released as it
 * goes, so resident memory stays flat), read() into one buffer that is
 * refilled by moving the unread tail to its front (PM_IO_READ; also pipes and
 * stdin), and a caller's span in memory. The source also records where and
 * why a walker found damage. It knows nothing of capture formats: pcap.c and
 * pcapng.c read through it, capture.c opens it.
 */
#ifndef PM_SOURCE_H
#define PM_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

enum pm_io {
	PM_IO_DEFAULT = 0, /* the faster source as measured in bench/ (read) */
	PM_IO_MMAP,
	PM_IO_READ,
};

#define PM_RELEASE_STEP (32u << 20) /* mmap: release pages behind the walk in steps this big */

/* Sizes of a source; a zero field takes the default. Tests shrink them. */
struct pm_source_sizes {
	size_t read_buf;     /* read(): bytes of the first buffer; 0 = PM_READ_BUF */
	size_t release_step; /* mmap: bytes released behind the walk at once; 0 = PM_RELEASE_STEP */
};

struct pm_source {
	/* read by the format walkers (they advance off themselves): */
	const uint8_t *win;     /* current window onto the file */
	size_t win_len;         /* bytes in the window */
	size_t off;             /* walk position inside the window; off <= win_len */
	uint64_t win_base;      /* file offset of win[0] */
	uint64_t file_size;     /* bytes, 0 when unknown (pipe, stdin) */
	enum pm_io io;          /* the source in use */
	bool done;              /* the walk has ended (end of input or damage) */
	bool damaged;           /* the walk ended at damage; see damage */
	struct pm_error damage; /* code, file offset and reason when damaged */
	int io_errno;           /* errno of a failed read() or buffer growth, or 0 */

	/* private: */
	bool eof;            /* nothing more will arrive beyond the window */
	int fd;              /* read source, or -1 */
	bool own_fd;         /* close fd in pm_source_close */
	uint8_t *map;        /* mmap source, or NULL */
	size_t map_len;      /* bytes mapped */
	size_t advised;      /* mmap: bytes behind the walk already released */
	size_t release_step; /* mmap: release in steps this big */
	uint8_t *buf;        /* read source buffer; owned */
	size_t buf_cap;      /* bytes allocated at buf */
};

/* Set *s to an empty source that is safe to close. */
void pm_source_init(struct pm_source *s);

/*
 * Open path ("-" reads stdin, always with read()) as a source of the given
 * kind; sizes may be NULL for the defaults. mmap needs a regular, non-empty
 * file; anything else falls back to read(). Returns 0, or PM_E_IO
 * (open/stat/mmap, with the reason in err) or PM_E_NOMEM; on failure the
 * source is closed.
 */
PM_MUST_CHECK int pm_source_open_file(struct pm_source *s, const char *path, enum pm_io io,
                                      const struct pm_source_sizes *sizes, struct pm_error *err);

/* As pm_source_open_file over fd, open for reading at offset 0; the source does not close fd. */
PM_MUST_CHECK int pm_source_open_fd(struct pm_source *s, int fd, const char *name, enum pm_io io,
                                    const struct pm_source_sizes *sizes, struct pm_error *err);

/* A source over n bytes at p, which must outlive it. Never fails. */
void pm_source_open_mem(struct pm_source *s, const uint8_t *p, size_t n);

/*
 * Return true when n bytes are available at win + off, refilling the read()
 * buffer if needed; false at the end of the input (or on a read error, which
 * sets io_errno). A refill moves the window, so pointers into it are taken
 * only after the call.
 */
bool pm_source_want(struct pm_source *s, size_t n);

/*
 * End the walk as damaged, recording code, the file offset win_base + at and
 * a printf-style reason. Returns 0, so walkers can `return pm_source_damage(...)`.
 */
int pm_source_damage(struct pm_source *s, int code, size_t at, const char *fmt, ...)
    PM_PRINTF(4, 5);

/* mmap: hand back the pages behind off, down to a page boundary. */
void pm_source_release(struct pm_source *s);

/* Whether pm_source_step is about to release pages. */
static inline bool
pm_source_releases(const struct pm_source *s)
{
	return s->map != NULL && s->off - s->advised >= s->release_step;
}

/* Called by the capture before each record: release behind the walk once a step has passed. */
static inline void
pm_source_step(struct pm_source *s)
{
	if (PM_UNLIKELY(pm_source_releases(s))) {
		pm_source_release(s);
	}
}

/*
 * Whether the next pm_source_step plus pm_source_want calls for at most
 * `need` bytes from off may move or release bytes already handed out: true
 * when the step releases pages, or when a read() source must refill because
 * need passes the end of the window. False for a memory source, and once
 * the whole input is in the window.
 */
bool pm_source_moves(const struct pm_source *s, size_t need);

/* Unmap or free the window and close an owned fd; damage and sizes stay readable. */
void pm_source_close(struct pm_source *s);

#endif /* PM_SOURCE_H */
