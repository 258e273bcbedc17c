/* SPDX-License-Identifier: MIT */
/*
 * capmeta.c - the capture's interface, section and name-resolution arrays,
 * grown by doubling in the capture's arena, and the pcapng time-resolution
 * conversion (draft-ietf-opsawg-pcapng §4.2, if_tsresol).
 */
#include "capmeta.h"

#include <string.h>

#include "capture.h"

/* A copy of the n elements at old in an arena array of twice *cap (or first) elements. */
static void *
grow(struct pm_capture *c, const void *old, size_t n, size_t *cap, size_t first, size_t size,
     size_t align)
{
	size_t ncap = *cap != 0 ? *cap * 2 : first;
	void *p = pm_arena_array(&c->arena, ncap, size, align);
	if (p == NULL) {
		return NULL;
	}
	if (n != 0) {
		memcpy(p, old, n * size);
	}
	*cap = ncap;
	return p;
}

/* see capmeta.h */
struct pm_iface *
pm_capmeta_add_iface(struct pm_capture *c)
{
	if (c->n_ifaces == c->ifaces_cap) {
		if (c->n_ifaces >= PM_MAX_IFACES) {
			return NULL;
		}
		struct pm_iface *n = grow(c, c->ifaces, c->n_ifaces, &c->ifaces_cap, 8, sizeof(*n),
		                          _Alignof(struct pm_iface));
		if (n == NULL) {
			return NULL;
		}
		c->ifaces = n;
	}
	struct pm_iface *i = &c->ifaces[c->n_ifaces++];
	memset(i, 0, sizeof(*i));
	i->tsresol = 6;
	i->fcslen = -1;
	return i;
}

/* see capmeta.h */
struct pm_section *
pm_capmeta_add_section(struct pm_capture *c)
{
	if (c->n_sections == c->sections_cap) {
		struct pm_section *n = grow(c, c->sections, c->n_sections, &c->sections_cap, 4,
		                            sizeof(*n), _Alignof(struct pm_section));
		if (n == NULL) {
			return NULL;
		}
		c->sections = n;
	}
	struct pm_section *s = &c->sections[c->n_sections++];
	memset(s, 0, sizeof(*s));
	return s;
}

/* see capmeta.h */
void
pm_capmeta_add_nrb(struct pm_capture *c, uint8_t family, const uint8_t *addr, size_t alen,
                   const char *name, size_t len)
{
	if (c->n_nrb >= PM_MAX_NRB) {
		c->nrb_dropped++;
		return;
	}
	if (c->n_nrb == c->nrb_cap) {
		struct pm_nrb_entry *n = grow(c, c->nrb, c->n_nrb, &c->nrb_cap, 16, sizeof(*n),
		                              _Alignof(struct pm_nrb_entry));
		if (n == NULL) {
			c->nrb_dropped++;
			return;
		}
		c->nrb = n;
	}
	struct pm_nrb_entry *e = &c->nrb[c->n_nrb];
	e->name = pm_arena_strndup(&c->arena, name, len < PM_MAX_NAME ? len : PM_MAX_NAME);
	if (e->name == NULL) {
		c->nrb_dropped++;
		return;
	}
	e->family = family;
	memset(e->addr, 0, sizeof(e->addr));
	memcpy(e->addr, addr, alen);
	c->n_nrb++;
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

/* see capmeta.h */
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

/* see capmeta.h */
bool
pm_tsresol_usable(uint8_t tsresol)
{
	return pm_tsresol_to_ns(UINT64_MAX, tsresol) != 0;
}
