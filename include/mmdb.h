/* SPDX-License-Identifier: MIT */
/*
 * mmdb.h - reader for the MaxMind DB format (offline geo and ASN lookups).
 *
 * Written to the MaxMind DB File Format Specification 2.0
 * (maxmind.github.io/MaxMind-DB): a binary search tree over address bits
 * (24, 28 or 32-bit records), a 16-byte zero separator, a data section of
 * typed values (pointers, UTF-8 strings, doubles, bytes, uint16/32/64/128,
 * int32, maps, arrays, booleans, floats), and a metadata map after the
 * marker "\xAB\xCD\xEFMaxMind.com" in the last 128 KiB.
 *
 * Every read goes through the cursor over the span it belongs to (the tree,
 * the data section or the metadata), so no offset from the file can reach
 * outside it. A pointer may not point to a pointer; walks are capped in depth
 * (PM_MMDB_MAX_DEPTH) and in values visited (PM_MMDB_MAX_VALUES), so cyclic
 * data ends in PM_E_LIMIT. Nothing here allocates except pm_mmdb_open_file.
 */
#ifndef PM_MMDB_H
#define PM_MMDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

#define PM_MMDB_META_WINDOW (128u * 1024u) /* spec: the marker is in the last 128 KiB */
#define PM_MMDB_MAX_DEPTH   32u            /* map/array nesting a walk follows */
#define PM_MMDB_MAX_VALUES  (1u << 20)     /* values one walk or skip visits */
#define PM_MMDB_MAX_FILE    (1ull << 30)   /* pm_mmdb_open_file refuses larger files */

/* Data types, spec "Output Data Section"; 8..15 are the extended types. */
enum pm_mmdb_type {
	PM_MMDB_POINTER = 1,
	PM_MMDB_UTF8 = 2,
	PM_MMDB_DOUBLE = 3,
	PM_MMDB_BYTES = 4,
	PM_MMDB_UINT16 = 5,
	PM_MMDB_UINT32 = 6,
	PM_MMDB_MAP = 7,
	PM_MMDB_INT32 = 8,
	PM_MMDB_UINT64 = 9,
	PM_MMDB_UINT128 = 10,
	PM_MMDB_ARRAY = 11,
	PM_MMDB_CONTAINER = 12, /* data cache container: not valid in a value */
	PM_MMDB_END = 13,       /* end marker: not valid in a value */
	PM_MMDB_BOOL = 14,
	PM_MMDB_FLOAT = 15,
};

/* A section of the file: the data section or the metadata. */
struct pm_mmdb_span {
	const uint8_t *p; /* not owned */
	size_t n;         /* bytes */
};

/* One decoded value. Views point into the database's bytes. */
struct pm_mmdb_val {
	enum pm_mmdb_type type;
	uint32_t size;        /* string/bytes length, map pairs or array items */
	const uint8_t *bytes; /* UTF8 and BYTES: the payload (size bytes) */
	uint64_t u;           /* UINT16/32/64, low 64 bits of UINT128, BOOL */
	uint64_t u_hi;        /* UINT128: high 64 bits */
	int32_t i;            /* INT32 */
	double d;             /* DOUBLE, and FLOAT widened */
	size_t body;          /* MAP/ARRAY: offset of the first key or item */
	size_t next; /* offset just past the value as read (past the pointer when one led here) */
	bool via_pointer; /* the value was reached through a pointer */
};

struct pm_mmdb {
	struct pm_mmdb_span data; /* data section: pointers and records count from its start */
	struct pm_mmdb_span meta; /* metadata map, after the marker */
	const uint8_t *tree;      /* search tree */
	size_t tree_len;          /* node_count * record_size / 4 bytes */
	uint32_t node_count;
	unsigned record_size;  /* 24, 28 or 32 (bits per record) */
	unsigned ip_version;   /* 4 or 6 */
	unsigned major, minor; /* binary_format_*_version; major is 2 */
	uint64_t build_epoch;  /* seconds since 1970, as stored */
	char type[64];         /* database_type, e.g. "GeoLite2-City"; truncated */
	uint32_t v4_node;      /* private: node after ::/96 in an IPv6 tree */
	unsigned v4_depth;     /* private: bits walked to reach v4_node */
	uint8_t *owned;        /* private: the file's bytes, from pm_mmdb_open_file */
};

/* A lookup's answer. */
struct pm_mmdb_hit {
	bool found;      /* an entry covers the address */
	unsigned prefix; /* network prefix length, in bits of the tree (IPv4 in IPv6: 96 + n) */
	size_t off;      /* found: offset of the entry in db->data */
};

/*
 * Open the database in the n bytes at p (which must outlive *db): find the
 * metadata, check it (binary format 2, record size 24/28/32, IP version 4
 * or 6, the tree inside the file) and walk it whole once. Returns 0, or
 * PM_E_MALFORMED / PM_E_TRUNC / PM_E_UNSUPPORTED / PM_E_LIMIT with *err
 * saying what is wrong.
 */
PM_MUST_CHECK int pm_mmdb_open(const uint8_t *p, size_t n, struct pm_mmdb *db,
                               struct pm_error *err);

/*
 * Read the file at path (a regular file of at most PM_MMDB_MAX_FILE bytes)
 * into memory and pm_mmdb_open it; pm_mmdb_close frees it. Returns as
 * pm_mmdb_open, or PM_E_IO / PM_E_NOMEM.
 */
PM_MUST_CHECK int pm_mmdb_open_file(const char *path, struct pm_mmdb *db, struct pm_error *err);

/* Free what pm_mmdb_open_file allocated; safe on a zeroed or memory-opened db. */
void pm_mmdb_close(struct pm_mmdb *db);

/*
 * Look up an address: the first 4 bytes of addr when is_v4, else all 16
 * (IPv4-mapped and other IPv4-in-IPv6 forms go through the tree's own
 * aliases, as libmaxminddb does). An IPv4 address in an IPv6 tree starts at
 * the ::/96 node. Returns 0 with *hit filled (found or not), PM_E_UNSUPPORTED
 * for an IPv6 address in an IPv4 tree, or PM_E_MALFORMED for a corrupt tree
 * (a record into the separator or past the data, or a walk longer than the
 * address).
 */
PM_MUST_CHECK int pm_mmdb_lookup(const struct pm_mmdb *db, const uint8_t addr[16], bool is_v4,
                                 struct pm_mmdb_hit *hit, struct pm_error *err);

/*
 * Decode the value at off in s, following a pointer (a pointer to a pointer
 * is PM_E_MALFORMED). For MAP and ARRAY only the header is read: the
 * contents start at v->body. Returns 0, PM_E_TRUNC or PM_E_MALFORMED.
 */
PM_MUST_CHECK int pm_mmdb_decode(const struct pm_mmdb_span *s, size_t off, struct pm_mmdb_val *v);

/*
 * Follow path (map keys, or decimal indexes into arrays; NULL-terminated)
 * from the value at off in s and decode what it leads to into *v.
 * Returns 1 when found, 0 when the path is absent, or PM_E_TRUNC,
 * PM_E_MALFORMED or PM_E_LIMIT for bad data.
 */
PM_MUST_CHECK int pm_mmdb_get(const struct pm_mmdb_span *s, size_t off, const char *const *path,
                              struct pm_mmdb_val *v);

/*
 * Copy the UTF8 value at path into out (cap bytes, NUL-terminated,
 * truncated at cap - 1). Returns 1 when copied, 0 when absent or not a
 * string, or a negative pm_err for bad data.
 */
PM_MUST_CHECK int pm_mmdb_get_str(const struct pm_mmdb_span *s, size_t off, const char *const *path,
                                  char *out, size_t cap);

/* One step of pm_mmdb_walk. */
struct pm_mmdb_event {
	unsigned depth;                /* 0 for the value walked */
	const uint8_t *key;            /* map key of this value (key_len bytes), or NULL */
	size_t key_len;                /* bytes at key */
	const struct pm_mmdb_val *val; /* the value, or the container being closed */
	bool end;                      /* closing a MAP or ARRAY opened at this depth */
};

/* Called for every value and every container's end; nonzero stops the walk with it. */
typedef int (*pm_mmdb_walk_fn)(void *ctx, const struct pm_mmdb_event *e);

/*
 * Walk the value at off in s depth first, without recursion, calling fn for
 * each value in file order and once more when a map or array ends. Map keys
 * must be strings. Returns 0, fn's nonzero value, or a negative pm_err
 * (PM_E_LIMIT past PM_MMDB_MAX_DEPTH or PM_MMDB_MAX_VALUES) with *err set.
 */
PM_MUST_CHECK int pm_mmdb_walk(const struct pm_mmdb_span *s, size_t off, pm_mmdb_walk_fn fn,
                               void *ctx, struct pm_error *err);

#endif /* PM_MMDB_H */
