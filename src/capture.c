/* SPDX-License-Identifier: MIT */
/*
 * capture.c - the two byte sources (mmap, read()) and the window the format
 * walkers in pcap.c and pcapng.c read through; format detection by magic.
 *
 * The mmap source releases pages behind the walk (MADV_DONTNEED) so resident
 * memory stays flat however large the file. The read() source keeps one
 * buffer, moving the unread tail to its front before each refill; a record
 * larger than the buffer grows it, up to PM_MAX_RECORD.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cursor.h"

#define RELEASE_STEP (32u << 20) /* mmap: release pages behind the walk in steps this big */

/* see capture.h */
int
pm_capture_damage(struct pm_capture *c, int code, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	c->damaged = true;
	c->done = true;
	c->damage.code = code;
	c->damage.offset = (size_t)c->win_base + at;
	vsnprintf(c->damage.msg, sizeof(c->damage.msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* Move the unread tail to the front of the buffer and read until n bytes are there. */
static bool
refill(struct pm_capture *c, size_t n)
{
	size_t tail = c->win_len - c->off;
	if (n > c->buf_cap) {
		size_t cap = c->buf_cap;
		while (cap < n) {
			cap *= 2;
		}
		uint8_t *b = realloc(c->buf, cap);
		if (b == NULL) {
			c->io_errno = ENOMEM;
			return false;
		}
		c->buf = b;
		c->buf_cap = cap;
	}
	memmove(c->buf, c->buf + c->off, tail);
	c->win_base += c->off;
	c->off = 0;
	c->win_len = tail;
	c->win = c->buf;
	while (c->win_len < n) {
		ssize_t got = read(c->fd, c->buf + c->win_len, c->buf_cap - c->win_len);
		if (got < 0 && errno == EINTR) {
			continue;
		}
		if (got < 0) {
			c->io_errno = errno;
			c->eof = true;
			return false;
		}
		if (got == 0) {
			c->eof = true;
			return false;
		}
		c->win_len += (size_t)got;
	}
	return true;
}

/* see capture.h */
bool
pm_capture_want(struct pm_capture *c, size_t n)
{
	if (PM_LIKELY(n <= c->win_len - c->off)) {
		return true;
	}
	if (c->eof || c->fd < 0 || n > PM_MAX_RECORD + 64) {
		return false;
	}
	return refill(c, n);
}

/* see capture.h */
struct pm_iface *
pm_capture_add_iface(struct pm_capture *c)
{
	if (c->n_ifaces == c->ifaces_cap) {
		if (c->n_ifaces >= PM_MAX_IFACES) {
			return NULL;
		}
		size_t cap = c->ifaces_cap != 0 ? c->ifaces_cap * 2 : 8;
		struct pm_iface *n =
		    pm_arena_array(&c->arena, cap, sizeof(*n), _Alignof(struct pm_iface));
		if (n == NULL) {
			return NULL;
		}
		if (c->n_ifaces != 0) {
			memcpy(n, c->ifaces, c->n_ifaces * sizeof(*n));
		}
		c->ifaces = n;
		c->ifaces_cap = cap;
	}
	struct pm_iface *i = &c->ifaces[c->n_ifaces++];
	memset(i, 0, sizeof(*i));
	i->tsresol = 6;
	i->fcslen = -1;
	return i;
}

/* Names of well-known non-capture files, for a helpful error. */
static const char *
guess_magic(const uint8_t *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} known[] = {
		{ "\x1f\x8b", 2, "gzip-compressed data (gunzip it first)" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed data (unzstd it first)" },
		{ "\xfd"
		  "7zXZ",
		  5, "xz-compressed data (unxz it first)" },
		{ "PK\x03\x04", 4, "a zip archive" },
		{ "snoop\0\0\0", 8, "a Solaris snoop capture (convert it with editcap)" },
		{ "\x7f"
		  "ELF",
		  4, "an ELF executable" },
		{ "%PDF", 4, "a PDF document" },
		{ "{", 1, "JSON or text" },
		{ "<", 1, "XML or HTML" },
	};
	for (size_t i = 0; i < PM_ARRAY_LEN(known); i++) {
		if (n >= known[i].len && memcmp(p, known[i].magic, known[i].len) == 0) {
			return known[i].what;
		}
	}
	return NULL;
}

static int
detect(struct pm_capture *c, struct pm_error *err)
{
	if (!pm_capture_want(c, 4)) {
		if (c->io_errno != 0) {
			return pm_error_set(err, PM_E_IO, 0, "read: %s", strerror(c->io_errno));
		}
		return pm_error_set(
		    err, PM_E_UNSUPPORTED, 0,
		    "not a capture: file is %zu bytes, too short for a magic number", c->win_len);
	}
	struct pm_cur cur = pm_cur_init(c->win, 4);
	uint32_t be = pm_cur_be32(&cur);
	switch (be) {
	case 0x0A0D0D0A:
		return pm_pcapng_open(c, err);
	case 0xA1B2C3D4:
	case 0xD4C3B2A1:
	case 0xA1B23C4D:
	case 0x4D3CB2A1:
	case 0xA1B2CD34:
	case 0x34CDB2A1:
		return pm_pcap_open(c, err);
	default:
		break;
	}
	const uint8_t *p = c->win;
	const char *what = guess_magic(p, c->win_len);
	return pm_error_set(err, PM_E_UNSUPPORTED, 0,
	                    "not a pcap or pcapng capture: magic bytes %02x %02x %02x %02x%s%s",
	                    p[0], p[1], p[2], p[3], what != NULL ? ", looks like " : "",
	                    what != NULL ? what : "");
}

static void
init(struct pm_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	pm_arena_init(&c->arena, 64u << 20);
}

/* see capture.h */
int
pm_capture_open_mem(struct pm_capture *c, const uint8_t *p, size_t n, struct pm_error *err)
{
	init(c);
	c->win = p;
	c->win_len = n;
	c->eof = true;
	c->file_size = n;
	c->io = PM_IO_MMAP;
	int rc = detect(c, err);
	if (rc != 0) {
		pm_capture_close(c);
	}
	return rc;
}

static int
open_map(struct pm_capture *c, size_t size, struct pm_error *err)
{
	void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, c->fd, 0);
	if (m == MAP_FAILED) {
		return pm_error_set(err, PM_E_IO, 0, "mmap: %s", strerror(errno));
	}
	(void)madvise(m, size, MADV_SEQUENTIAL);
	c->map = m;
	c->map_len = size;
	c->win = m;
	c->win_len = size;
	c->eof = true;
	c->io = PM_IO_MMAP;
	return 0;
}

static int
open_read(struct pm_capture *c, struct pm_error *err)
{
	c->buf = malloc(PM_READ_BUF);
	if (c->buf == NULL) {
		return pm_error_set(err, PM_E_NOMEM, 0, "out of memory for the read buffer");
	}
	c->buf_cap = PM_READ_BUF;
	c->win = c->buf;
	c->io = PM_IO_READ;
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(c->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return 0;
}

/* Set up the source over c->fd (already open) and read the file header. */
static int
open_source(struct pm_capture *c, const char *name, enum pm_io io, struct pm_error *err)
{
	struct stat st;
	if (fstat(c->fd, &st) != 0) {
		return pm_error_set(err, PM_E_IO, 0, "%s: %s", name, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		return pm_error_set(err, PM_E_IO, 0, "%s: is a directory", name);
	}
	if (S_ISREG(st.st_mode)) {
		c->file_size = (uint64_t)st.st_size;
	}
	int rc;
	/* mmap needs a regular, non-empty file that fits the address space. */
	if (io == PM_IO_MMAP && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= SIZE_MAX) {
		rc = open_map(c, (size_t)st.st_size, err);
	} else {
		rc = open_read(c, err);
	}
	return rc != 0 ? rc : detect(c, err);
}

/* see capture.h */
int
pm_capture_open_file(struct pm_capture *c, const char *path, enum pm_io io, struct pm_error *err)
{
	init(c);
	int rc;
	if (strcmp(path, "-") == 0) {
		c->fd = STDIN_FILENO;
		io = PM_IO_READ;
	} else {
		c->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (c->fd < 0) {
			rc = pm_error_set(err, PM_E_IO, 0, "%s: %s", path, strerror(errno));
			goto out_close;
		}
		c->own_fd = true;
	}
	rc = open_source(c, path, io, err);
	if (rc == 0) {
		return 0;
	}
out_close:
	pm_capture_close(c);
	return rc;
}

/* see capture.h */
int
pm_capture_open_fd(struct pm_capture *c, int fd, const char *name, enum pm_io io,
                   struct pm_error *err)
{
	init(c);
	c->fd = fd;
	int rc = open_source(c, name, io, err);
	if (rc != 0) {
		pm_capture_close(c);
	}
	return rc;
}

/* mmap: hand back the pages the walk has left behind. */
static void
release_behind(struct pm_capture *c)
{
	if (c->map == NULL || c->off - c->advised < RELEASE_STEP) {
		return;
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t upto = c->off & ~(page - 1);
	(void)madvise(c->map + c->advised, upto - c->advised, MADV_DONTNEED);
	c->advised = upto;
}

/* see capture.h */
int
pm_capture_next(struct pm_capture *c, struct pm_rec *r)
{
	if (c->done) {
		return 0;
	}
	release_behind(c);
	int rc = c->format == PM_FMT_PCAPNG ? pm_pcapng_next(c, r) : pm_pcap_next(c, r);
	c->bytes_read = c->win_base + c->off;
	if (rc == 0 && c->io_errno != 0) {
		c->done = true;
		return c->io_errno == ENOMEM ? PM_E_NOMEM : PM_E_IO;
	}
	return rc;
}

/* see capture.h */
void
pm_capture_release_source(struct pm_capture *c)
{
	if (c->map != NULL) {
		munmap(c->map, c->map_len);
	}
	if (c->own_fd && c->fd >= 0) {
		close(c->fd);
	}
	free(c->buf);
	c->map = NULL;
	c->buf = NULL;
	c->fd = -1;
	c->own_fd = false;
	c->win = NULL;
	c->win_len = 0;
	c->off = 0;
	c->done = true;
}

/* see capture.h */
void
pm_capture_close(struct pm_capture *c)
{
	pm_capture_release_source(c);
	pm_arena_free(&c->arena);
	c->ifaces = NULL;
	c->n_ifaces = 0;
	c->sections = NULL;
	c->n_sections = 0;
	c->nrb = NULL;
	c->n_nrb = 0;
	c->done = true;
}

/* see capture.h */
const char *
pm_format_name(enum pm_format f)
{
	switch (f) {
	case PM_FMT_PCAP:
		return "pcap";
	case PM_FMT_PCAP_NSEC:
		return "pcap-nsec";
	case PM_FMT_PCAP_MODIFIED:
		return "pcap-modified";
	case PM_FMT_PCAPNG:
		return "pcapng";
	}
	return "unknown";
}

static const struct {
	uint32_t linktype;
	const char *name;
	const char *desc;
} linktypes[] = {
	{ 0, "NULL", "BSD loopback" },
	{ 1, "EN10MB", "Ethernet" },
	{ 6, "IEEE802", "Token Ring" },
	{ 8, "SLIP", "SLIP" },
	{ 9, "PPP", "PPP" },
	{ 10, "FDDI", "FDDI" },
	{ 12, "RAW", "Raw IP" },
	{ 14, "RAW", "Raw IP" },
	{ 101, "RAW", "Raw IP" },
	{ 104, "C_HDLC", "Cisco HDLC" },
	{ 105, "IEEE802_11", "IEEE 802.11 Wireless LAN" },
	{ 108, "LOOP", "OpenBSD loopback" },
	{ 113, "LINUX_SLL", "Linux cooked-mode capture v1" },
	{ 119, "PRISM_HEADER", "IEEE 802.11 plus Prism header" },
	{ 127, "IEEE802_11_RADIOTAP", "IEEE 802.11 plus radiotap header" },
	{ 143, "DOCSIS", "DOCSIS" },
	{ 147, "USER0", "User 0" },
	{ 187, "BLUETOOTH_HCI_H4", "Bluetooth H4" },
	{ 195, "IEEE802_15_4_WITHFCS", "IEEE 802.15.4" },
	{ 220, "USB_LINUX_MMAPPED", "USB packets with Linux header" },
	{ 227, "CAN_SOCKETCAN", "SocketCAN" },
	{ 228, "IPV4", "Raw IPv4" },
	{ 229, "IPV6", "Raw IPv6" },
	{ 239, "NFLOG", "Linux netfilter log" },
	{ 249, "NETANALYZER", "netANALYZER" },
	{ 252, "WIRESHARK_UPPER_PDU", "Wireshark upper PDU export" },
	{ 276, "LINUX_SLL2", "Linux cooked-mode capture v2" },
};

/* see capture.h */
const char *
pm_linktype_name(uint32_t linktype)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(linktypes); i++) {
		if (linktypes[i].linktype == linktype) {
			return linktypes[i].name;
		}
	}
	return NULL;
}

/* see capture.h */
const char *
pm_linktype_desc(uint32_t linktype)
{
	for (size_t i = 0; i < PM_ARRAY_LEN(linktypes); i++) {
		if (linktypes[i].linktype == linktype) {
			return linktypes[i].desc;
		}
	}
	return NULL;
}

static int64_t
sat_mul_add(uint64_t a, uint64_t mul, uint64_t add)
{
	if (a > (uint64_t)INT64_MAX / mul) {
		return INT64_MAX;
	}
	uint64_t v = a * mul;
	return v > (uint64_t)INT64_MAX - add ? INT64_MAX : (int64_t)(v + add);
}

/* see capture.h */
int64_t
pm_tsresol_to_ns(uint64_t units, uint8_t tsresol)
{
	unsigned exp = tsresol & 0x7F;
	if ((tsresol & 0x80) != 0) {
		/* units * 10^9 as a 128-bit hi:lo (each product < 2^62), then >> exp. */
		uint64_t a = (units >> 32) * 1000000000u, b = (units & 0xFFFFFFFFu) * 1000000000u;
		uint64_t lo = (a << 32) + b;
		uint64_t hi = (a >> 32) + (lo < b);
		uint64_t v;
		if (exp >= 64) {
			v = hi >> (exp - 64);
		} else if (hi >> exp != 0) {
			v = UINT64_MAX; /* saturates below */
		} else {
			v = exp == 0 ? lo : lo >> exp | hi << (64 - exp);
		}
		return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
	}
	unsigned d = exp <= 9 ? 9 - exp : exp - 9; /* 10^d ns per unit, or units per ns */
	if (exp > 9 && d >= 20) {
		return 0; /* 10^20 units per ns: more than any 64-bit count */
	}
	uint64_t pow = 1;
	for (unsigned i = 0; i < d; i++) {
		pow *= 10; /* at most 10^19, which fits */
	}
	return exp <= 9 ? sat_mul_add(units, pow, 0) : (int64_t)(units / pow);
}

/* see capture.h */
bool
pm_tsresol_usable(uint8_t tsresol)
{
	return pm_tsresol_to_ns(UINT64_MAX, tsresol) != 0;
}

/* see capture.h */
void
pm_time_iso(int64_t ts_ns, char out[40])
{
	int64_t sec = ts_ns / 1000000000;
	int64_t ns = ts_ns % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		sec -= 1;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, 40, "invalid");
		return;
	}
	char tmp[96];
	int n = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900,
	                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ns);
	size_t len = n > 0 && n < 40 ? (size_t)n : 0; /* years past 9999 do not fit: give "" */
	memcpy(out, tmp, len);
	out[len] = '\0';
}
