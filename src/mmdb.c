/* SPDX-License-Identifier: MIT */
/*
 * mmdb.c - the MaxMind DB reader: metadata, search tree, data decoder.
 */
#include "mmdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cursor.h"

/* Spec "Database Metadata": the marker before the metadata map. */
static const uint8_t meta_marker[] = { 0xab, 0xcd, 0xef, 'M', 'a', 'x', 'M',
	                               'i',  'n',  'd',  '.', 'c', 'o', 'm' };

#define SEPARATOR_LEN 16u /* spec: 16 zero bytes between the tree and the data */

static uint32_t
cur_be24(struct pm_cur *c)
{
	uint32_t v = (uint32_t)pm_cur_u8(c) << 16;
	v |= (uint32_t)pm_cur_u8(c) << 8;
	return v | pm_cur_u8(c);
}

/* Big-endian unsigned integer of n <= 8 bytes (spec: leading zeros omitted). */
static uint64_t
cur_beuint(struct pm_cur *c, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		v = v << 8 | pm_cur_u8(c);
	}
	return v;
}

/* Pointer value, spec "Pointer - 1": the size bits are SS and VVV. */
static size_t
read_pointer(struct pm_cur *c, uint8_t ctrl)
{
	size_t vvv = ctrl & 7u;
	switch ((ctrl >> 3) & 3u) {
	case 0:
		return vvv << 8 | pm_cur_u8(c);
	case 1:
		return (vvv << 16 | pm_cur_be16(c)) + 2048u;
	case 2:
		return (vvv << 24 | cur_be24(c)) + 526336u;
	default:
		return pm_cur_be32(c);
	}
}

/* Payload size, spec "Payload Size": 29, 30 and 31 take 1, 2 or 3 more bytes. */
static uint32_t
read_size(struct pm_cur *c, uint8_t ctrl)
{
	uint32_t size = ctrl & 31u;
	if (size == 29) {
		return 29u + pm_cur_u8(c);
	}
	if (size == 30) {
		return 285u + pm_cur_be16(c);
	}
	if (size == 31) {
		return 65821u + cur_be24(c);
	}
	return size;
}

static int
decode_scalar(struct pm_cur *c, struct pm_mmdb_val *v)
{
	uint32_t size = v->size;
	switch (v->type) {
	case PM_MMDB_UTF8:
	case PM_MMDB_BYTES:
		v->bytes = pm_cur_bytes(c, size);
		return v->bytes != NULL ? 0 : PM_E_TRUNC;
	case PM_MMDB_DOUBLE:
	case PM_MMDB_FLOAT: {
		if (size != (v->type == PM_MMDB_DOUBLE ? 8u : 4u)) {
			return PM_E_MALFORMED;
		}
		uint64_t bits = cur_beuint(c, size);
		if (size == 8) {
			memcpy(&v->d, &bits, sizeof(v->d));
		} else {
			uint32_t b32 = (uint32_t)bits;
			float f;
			memcpy(&f, &b32, sizeof(f));
			v->d = f;
		}
		break;
	}
	case PM_MMDB_UINT16:
	case PM_MMDB_UINT32:
	case PM_MMDB_INT32:
	case PM_MMDB_UINT64: {
		uint32_t max = v->type == PM_MMDB_UINT16 ? 2u : v->type == PM_MMDB_UINT64 ? 8u : 4u;
		if (size > max) {
			return PM_E_MALFORMED;
		}
		v->u = cur_beuint(c, size);
		v->i = (int32_t)(uint32_t)v->u;
		break;
	}
	case PM_MMDB_UINT128:
		if (size > 16) {
			return PM_E_MALFORMED;
		}
		v->u_hi = cur_beuint(c, size > 8 ? size - 8 : 0);
		v->u = cur_beuint(c, size > 8 ? 8 : size);
		break;
	case PM_MMDB_BOOL:
		if (size > 1) {
			return PM_E_MALFORMED;
		}
		v->u = size;
		break;
	default:
		return PM_E_MALFORMED;
	}
	return pm_cur_ok(c) ? 0 : PM_E_TRUNC;
}

/* Decode at off; follow says whether a pointer is followed (one hop). */
static int
decode_at(const struct pm_mmdb_span *s, size_t off, struct pm_mmdb_val *v, bool follow)
{
	struct pm_cur c = pm_cur_init(s->p, s->n);
	memset(v, 0, sizeof(*v));
	pm_cur_seek(&c, off);
	uint8_t ctrl = pm_cur_u8(&c);
	unsigned type = ctrl >> 5;
	if (type == 0) {
		uint8_t ext = pm_cur_u8(&c);
		if (ext == 0 || ext > 8) {
			return pm_cur_ok(&c) ? PM_E_MALFORMED : PM_E_TRUNC;
		}
		type = 7u + ext;
	}
	v->type = (enum pm_mmdb_type)type;
	if (type == PM_MMDB_POINTER) {
		size_t target = read_pointer(&c, ctrl);
		if (!pm_cur_ok(&c)) {
			return PM_E_TRUNC;
		}
		if (!follow) {
			v->u = target;
			v->next = c.off;
			return 0;
		}
		int rc = decode_at(s, target, v, false);
		if (rc != 0) {
			return rc;
		}
		if (v->type == PM_MMDB_POINTER) {
			return PM_E_MALFORMED; /* spec: a pointer to a pointer is invalid */
		}
		v->next = c.off;
		v->via_pointer = true;
		return 0;
	}
	v->size = read_size(&c, ctrl);
	if (!pm_cur_ok(&c)) {
		return PM_E_TRUNC;
	}
	if (type == PM_MMDB_MAP || type == PM_MMDB_ARRAY) {
		/* Each item takes at least one byte, each pair two. */
		uint64_t least = (uint64_t)v->size * (type == PM_MMDB_MAP ? 2u : 1u);
		if (least > pm_cur_left(&c)) {
			return PM_E_MALFORMED;
		}
		v->body = v->next = c.off;
		return 0;
	}
	int rc = decode_scalar(&c, v);
	v->next = c.off;
	return rc;
}

/* see mmdb.h */
int
pm_mmdb_decode(const struct pm_mmdb_span *s, size_t off, struct pm_mmdb_val *v)
{
	return decode_at(s, off, v, true);
}

/* Offset just past the whole value at off; pointers are not followed. */
static int
skip_value(const struct pm_mmdb_span *s, size_t off, size_t *next)
{
	uint64_t left = 1;
	for (uint32_t steps = 0; left > 0; steps++) {
		struct pm_mmdb_val v;
		if (steps >= PM_MMDB_MAX_VALUES) {
			return PM_E_LIMIT;
		}
		int rc = decode_at(s, off, &v, false);
		if (rc != 0) {
			return rc;
		}
		left--;
		if (v.type == PM_MMDB_MAP) {
			left += 2u * (uint64_t)v.size;
		} else if (v.type == PM_MMDB_ARRAY) {
			left += v.size;
		}
		off = v.next;
	}
	*next = off;
	return 0;
}

static bool
parse_index(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	if (*s == '\0') {
		return false;
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > UINT32_MAX / 10) {
			return false;
		}
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = (uint32_t)v;
	return v <= UINT32_MAX;
}

/* One path step from the container *v; 1 found (into *v), 0 absent, <0 bad data. */
static int
get_step(const struct pm_mmdb_span *s, const char *key, struct pm_mmdb_val *v)
{
	size_t p = v->body;
	int rc;
	if (v->type == PM_MMDB_ARRAY) {
		uint32_t idx;
		if (!parse_index(key, &idx) || idx >= v->size) {
			return 0;
		}
		for (uint32_t i = 0; i < idx; i++) {
			if ((rc = skip_value(s, p, &p)) != 0) {
				return rc;
			}
		}
		rc = decode_at(s, p, v, true);
		return rc != 0 ? rc : 1;
	}
	if (v->type != PM_MMDB_MAP) {
		return 0;
	}
	size_t klen = strlen(key);
	for (uint32_t i = 0, n = v->size; i < n; i++) {
		struct pm_mmdb_val k;
		if ((rc = decode_at(s, p, &k, true)) != 0) {
			return rc;
		}
		if (k.type != PM_MMDB_UTF8) {
			return PM_E_MALFORMED;
		}
		p = k.next;
		if (k.size == klen && memcmp(k.bytes, key, klen) == 0) {
			rc = decode_at(s, p, v, true);
			return rc != 0 ? rc : 1;
		}
		if ((rc = skip_value(s, p, &p)) != 0) {
			return rc;
		}
	}
	return 0;
}

/* see mmdb.h */
int
pm_mmdb_get(const struct pm_mmdb_span *s, size_t off, const char *const *path,
            struct pm_mmdb_val *v)
{
	int rc = decode_at(s, off, v, true);
	if (rc != 0) {
		return rc;
	}
	for (size_t i = 0; path[i] != NULL; i++) {
		if ((rc = get_step(s, path[i], v)) != 1) {
			return rc;
		}
	}
	return 1;
}

/* see mmdb.h */
int
pm_mmdb_get_str(const struct pm_mmdb_span *s, size_t off, const char *const *path, char *out,
                size_t cap)
{
	struct pm_mmdb_val v;
	int rc = pm_mmdb_get(s, off, path, &v);
	if (cap > 0) {
		out[0] = '\0';
	}
	if (rc != 1 || v.type != PM_MMDB_UTF8 || cap == 0) {
		return rc < 0 ? rc : 0;
	}
	size_t n = v.size < cap - 1 ? v.size : cap - 1;
	memcpy(out, v.bytes, n);
	out[n] = '\0';
	return 1;
}

struct walk_frame {
	struct pm_mmdb_val v; /* the container */
	uint32_t left;        /* items, or pairs, not yet visited */
	bool at_key;          /* a map whose next item is a key */
};

static int
walk_fail(struct pm_error *err, int rc, size_t off, const char *what)
{
	return pm_error_set(err, rc, off, "mmdb data: %s at data offset %zu", what, off);
}

/* see mmdb.h */
int
pm_mmdb_walk(const struct pm_mmdb_span *s, size_t off, pm_mmdb_walk_fn fn, void *ctx,
             struct pm_error *err)
{
	struct walk_frame st[PM_MMDB_MAX_DEPTH];
	unsigned d = 0;
	struct pm_mmdb_event e = { 0 };
	for (uint32_t steps = 0;; steps++) {
		int rc;
		while (d > 0 && st[d - 1].left == 0) {
			d--;
			e = (struct pm_mmdb_event){ .depth = d, .val = &st[d].v, .end = true };
			if ((rc = fn(ctx, &e)) != 0) {
				return rc;
			}
			if (st[d].v.via_pointer) {
				off = st[d].v.next; /* back after the pointer that led here */
			}
		}
		if (d == 0 && steps > 0) {
			return 0;
		}
		if (steps >= PM_MMDB_MAX_VALUES) {
			return walk_fail(err, PM_E_LIMIT, off, "more values than the walk visits");
		}
		struct walk_frame *f = d > 0 ? &st[d - 1] : NULL;
		e = (struct pm_mmdb_event){ .depth = d };
		if (f != NULL && f->at_key) {
			struct pm_mmdb_val k;
			if ((rc = decode_at(s, off, &k, true)) != 0) {
				return walk_fail(err, rc, off, "bad map key");
			}
			if (k.type != PM_MMDB_UTF8) {
				return walk_fail(err, PM_E_MALFORMED, off,
				                 "map key is not a string");
			}
			e.key = k.bytes;
			e.key_len = k.size;
			off = k.next;
		}
		struct pm_mmdb_val v;
		if ((rc = decode_at(s, off, &v, true)) != 0) {
			return walk_fail(err, rc, off, "bad value");
		}
		if (f != NULL) {
			f->left--;
		}
		e.val = &v;
		if ((rc = fn(ctx, &e)) != 0) {
			return rc;
		}
		off = v.next;
		if (v.type == PM_MMDB_MAP || v.type == PM_MMDB_ARRAY) {
			if (d == PM_MMDB_MAX_DEPTH) {
				return walk_fail(err, PM_E_LIMIT, off, "nesting deeper than 32");
			}
			st[d] = (struct walk_frame){ .v = v,
				                     .left = v.size,
				                     .at_key = v.type == PM_MMDB_MAP };
			d++;
			off = v.body;
		}
		if (f != NULL && f->v.type == PM_MMDB_MAP) {
			f->at_key = true;
		}
		if (d == 0) {
			return 0;
		}
	}
}

static int
walk_nothing(void *ctx, const struct pm_mmdb_event *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

/* Record `bit` (0 left, 1 right) of node; node < node_count. */
static uint32_t
read_record(const struct pm_mmdb *db, uint32_t node, unsigned bit)
{
	size_t width = db->record_size / 4u; /* bytes per node: 6, 7 or 8 */
	struct pm_cur c = pm_cur_init(db->tree, db->tree_len);
	pm_cur_seek(&c, (size_t)node * width);
	if (db->record_size == 24) {
		uint32_t left = cur_be24(&c);
		return bit ? cur_be24(&c) : left;
	}
	if (db->record_size == 32) {
		uint32_t left = pm_cur_be32(&c);
		return bit ? pm_cur_be32(&c) : left;
	}
	/* 28 bits: the middle byte's high nibble tops the left record, low the right. */
	uint32_t left = cur_be24(&c);
	uint8_t mid = pm_cur_u8(&c);
	uint32_t right = cur_be24(&c);
	return bit ? (uint32_t)(mid & 0x0f) << 24 | right : (uint32_t)(mid & 0xf0) << 20 | left;
}

static int
meta_uint(struct pm_mmdb *db, const char *key, uint64_t max, uint64_t *out, struct pm_error *err)
{
	const char *path[] = { key, NULL };
	struct pm_mmdb_val v;
	int rc = pm_mmdb_get(&db->meta, 0, path, &v);
	if (rc < 0) {
		return pm_error_set(err, rc, 0, "mmdb metadata: bad data under %s", key);
	}
	if (rc == 0 || (v.type != PM_MMDB_UINT16 && v.type != PM_MMDB_UINT32 &&
	                v.type != PM_MMDB_UINT64 && v.type != PM_MMDB_UINT128)) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "mmdb metadata: no unsigned %s", key);
	}
	if (v.u_hi != 0 || v.u > max) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "mmdb metadata: %s out of range", key);
	}
	*out = v.u;
	return 0;
}

static int
find_meta(const uint8_t *p, size_t n, struct pm_mmdb *db, struct pm_error *err)
{
	size_t m = sizeof(meta_marker);
	size_t lo = n > PM_MMDB_META_WINDOW ? n - PM_MMDB_META_WINDOW : 0;
	for (size_t i = n >= m ? n - m + 1 : 0; i-- > lo;) {
		if (memcmp(p + i, meta_marker, m) == 0) {
			db->meta = (struct pm_mmdb_span){ p + i + m, n - i - m };
			db->data =
			    (struct pm_mmdb_span){ p, i }; /* narrowed once the tree is known */
			return 0;
		}
	}
	return pm_error_set(err, PM_E_MALFORMED, 0,
	                    "not a MaxMind DB: no metadata marker in the last 128 KiB");
}

static int
read_meta(struct pm_mmdb *db, struct pm_error *err)
{
	uint64_t nodes, rsize, ipv, major, minor;
	int rc;
	struct pm_mmdb_val root;
	if ((rc = pm_mmdb_decode(&db->meta, 0, &root)) != 0 || root.type != PM_MMDB_MAP) {
		return pm_error_set(err, rc != 0 ? rc : PM_E_MALFORMED, 0,
		                    "mmdb metadata: not a map");
	}
	if ((rc = pm_mmdb_walk(&db->meta, 0, walk_nothing, NULL, err)) != 0) {
		return rc;
	}
	if ((rc = meta_uint(db, "node_count", UINT32_MAX, &nodes, err)) != 0 ||
	    (rc = meta_uint(db, "record_size", 32, &rsize, err)) != 0 ||
	    (rc = meta_uint(db, "ip_version", 6, &ipv, err)) != 0 ||
	    (rc = meta_uint(db, "binary_format_major_version", 255, &major, err)) != 0 ||
	    (rc = meta_uint(db, "binary_format_minor_version", UINT16_MAX, &minor, err)) != 0 ||
	    (rc = meta_uint(db, "build_epoch", UINT64_MAX, &db->build_epoch, err)) != 0) {
		return rc;
	}
	const char *tpath[] = { "database_type", NULL };
	if ((rc = pm_mmdb_get_str(&db->meta, 0, tpath, db->type, sizeof(db->type))) != 1) {
		return pm_error_set(err, rc < 0 ? rc : PM_E_MALFORMED, 0,
		                    "mmdb metadata: no database_type string");
	}
	if (major != 2) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0,
		                    "mmdb: binary format %u, only 2 is read", (unsigned)major);
	}
	if (rsize != 24 && rsize != 28 && rsize != 32) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "mmdb: record size %u",
		                    (unsigned)rsize);
	}
	if (ipv != 4 && ipv != 6) {
		return pm_error_set(err, PM_E_MALFORMED, 0, "mmdb: IP version %u", (unsigned)ipv);
	}
	db->node_count = (uint32_t)nodes;
	db->record_size = (unsigned)rsize;
	db->ip_version = (unsigned)ipv;
	db->major = (unsigned)major;
	db->minor = (unsigned)minor;
	return 0;
}

/* see mmdb.h */
int
pm_mmdb_open(const uint8_t *p, size_t n, struct pm_mmdb *db, struct pm_error *err)
{
	int rc;
	memset(db, 0, sizeof(*db));
	if ((rc = find_meta(p, n, db, err)) != 0 || (rc = read_meta(db, err)) != 0) {
		return rc;
	}
	/* Everything before the marker is the tree, the separator and the data. */
	size_t before = db->data.n;
	uint64_t tree_len = (uint64_t)db->node_count * db->record_size / 4u;
	if (db->node_count == 0 || tree_len > before || before - tree_len < SEPARATOR_LEN) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "mmdb: a search tree of %u nodes does not fit in the file",
		                    (unsigned)db->node_count);
	}
	db->tree = p;
	db->tree_len = (size_t)tree_len;
	db->data = (struct pm_mmdb_span){ p + tree_len + SEPARATOR_LEN,
		                          before - (size_t)tree_len - SEPARATOR_LEN };
	uint32_t node = 0;
	unsigned i = 0;
	if (db->ip_version == 6) {
		for (; i < 96 && node < db->node_count; i++) {
			node = read_record(db, node, 0);
		}
	}
	db->v4_node = node;
	db->v4_depth = i;
	return 0;
}

/* see mmdb.h */
int
pm_mmdb_lookup(const struct pm_mmdb *db, const uint8_t addr[16], bool is_v4,
               struct pm_mmdb_hit *hit, struct pm_error *err)
{
	memset(hit, 0, sizeof(*hit));
	if (!is_v4 && db->ip_version == 4) {
		return pm_error_set(err, PM_E_UNSUPPORTED, 0,
		                    "an IPv6 address in an IPv4-only database");
	}
	unsigned bits = is_v4 ? 32u : 128u, i = 0;
	uint32_t node = is_v4 ? db->v4_node : 0;
	unsigned depth = is_v4 ? db->v4_depth : 0;
	for (; i < bits && node < db->node_count; i++) {
		node = read_record(db, node, addr[i >> 3] >> (7u - (i & 7u)) & 1u);
	}
	hit->prefix = depth + i;
	if (node == db->node_count) {
		return 0;
	}
	if (node < db->node_count) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "mmdb search tree: deeper than the address (node %u)",
		                    (unsigned)node);
	}
	uint64_t rel = (uint64_t)node - db->node_count;
	if (rel < SEPARATOR_LEN || rel - SEPARATOR_LEN >= db->data.n) {
		return pm_error_set(err, PM_E_MALFORMED, 0,
		                    "mmdb search tree: record %u points outside the data section",
		                    (unsigned)node);
	}
	hit->found = true;
	hit->off = (size_t)(rel - SEPARATOR_LEN);
	return 0;
}

/* see mmdb.h */
int
pm_mmdb_open_file(const char *path, struct pm_mmdb *db, struct pm_error *err)
{
	struct stat st;
	int rc = PM_E_IO;
	memset(db, 0, sizeof(*db));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return pm_error_set(err, PM_E_IO, 0, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > PM_MMDB_MAX_FILE) {
		pm_error_set(err, PM_E_IO, 0, "%s: not a regular file of at most 1 GiB", path);
		goto out_close;
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n != 0 ? n : 1);
	if (buf == NULL) {
		rc = pm_error_set(err, PM_E_NOMEM, 0, "%s: out of memory", path);
		goto out_close;
	}
	for (size_t got = 0; got < n;) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0) {
			pm_error_set(err, PM_E_IO, got, "%s: short read", path);
			free(buf);
			goto out_close;
		}
		got += (size_t)r;
	}
	rc = pm_mmdb_open(buf, n, db, err);
	if (rc != 0) {
		free(buf);
		memset(db, 0, sizeof(*db));
		goto out_close;
	}
	db->owned = buf;
out_close:
	close(fd);
	return rc;
}

/* see mmdb.h */
void
pm_mmdb_close(struct pm_mmdb *db)
{
	free(db->owned);
	memset(db, 0, sizeof(*db));
}
