/* SPDX-License-Identifier: MIT */
/*
 * arena.c - block-chain arena. Blocks grow geometrically from 64 KiB so a
 * small analysis stays small and a large one makes few malloc calls; an
 * oversized request gets a block of its own.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pm_arena_block {
	struct pm_arena_block *next;       /* older block */
	size_t size;                       /* usable bytes in data[] */
	_Alignas(16) unsigned char data[]; /* malloc gives 16; larger alignments pad */
};

#define ARENA_FIRST_BLOCK (64u << 10)
#define ARENA_MAX_BLOCK   (64u << 20)

/* see arena.h */
void
pm_arena_init(struct pm_arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
	a->cap = cap;
}

/* see arena.h */
void
pm_arena_free(struct pm_arena *a)
{
	struct pm_arena_block *b = a->head;
	while (b != NULL) {
		struct pm_arena_block *next = b->next;
		free(b);
		b = next;
	}
	pm_arena_init(a, a->cap);
}

static struct pm_arena_block *
grow(struct pm_arena *a, size_t need)
{
	size_t size = a->head != NULL ? a->head->size * 2 : ARENA_FIRST_BLOCK;
	if (size > ARENA_MAX_BLOCK) {
		size = ARENA_MAX_BLOCK;
	}
	if (size < need) {
		size = need;
	}
	if (size > SIZE_MAX - sizeof(struct pm_arena_block)) {
		return NULL;
	}
	if (a->cap != 0 && (a->total > a->cap || size > a->cap - a->total)) {
		if (need > a->cap - a->total || a->total > a->cap) {
			return NULL;
		}
		size = a->cap - a->total;
	}
	struct pm_arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL) {
		return NULL;
	}
	b->next = a->head;
	b->size = size;
	a->head = b;
	a->used = 0;
	a->total += size;
	return b;
}

/* The offset at or after `used` where an object aligned to align starts in b. */
static size_t
pad_to(const struct pm_arena_block *b, size_t used, size_t align)
{
	uintptr_t p = (uintptr_t)(b->data + used);
	return used + (size_t)((align - (p & (align - 1))) & (align - 1));
}

/* see arena.h */
void *
pm_arena_alloc(struct pm_arena *a, size_t size, size_t align)
{
	if (align == 0 || align > 64 || (align & (align - 1)) != 0) {
		return NULL;
	}
	if (size == 0) {
		size = 1;
	}
	size_t at = a->head != NULL ? pad_to(a->head, a->used, align) : 0;
	if (a->head == NULL || at > a->head->size || size > a->head->size - at) {
		if (size > SIZE_MAX - align || grow(a, size + align) == NULL) {
			return NULL;
		}
		at = pad_to(a->head, 0, align);
	}
	void *p = a->head->data + at;
	a->used = at + size;
	memset(p, 0, size);
	return p;
}

/* see arena.h */
void *
pm_arena_array(struct pm_arena *a, size_t n, size_t size, size_t align)
{
	if (size != 0 && n > SIZE_MAX / size) {
		return NULL;
	}
	return pm_arena_alloc(a, n * size, align);
}

/* see arena.h */
char *
pm_arena_strndup(struct pm_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = pm_arena_alloc(a, len + 1, 1);
	if (p != NULL) {
		memcpy(p, s, len);
	}
	return p;
}
