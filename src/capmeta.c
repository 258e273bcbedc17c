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
		/* 2^-exp seconds per unit. Beyond 2^-32 the extra bits are below 1 ns. */
		if (exp > 32) {
			units >>= exp - 32;
			exp = 32;
		}
		uint64_t frac = units & ((UINT64_C(1) << exp) - 1);
		return sat_mul_add(units >> exp, 1000000000u, (frac * 1000000000u) >> exp);
	}
	if (exp <= 9) {
		uint64_t mul = 1;
		for (unsigned i = exp; i < 9; i++) {
			mul *= 10;
		}
		return sat_mul_add(units, mul, 0);
	}
	uint64_t div = 1;
	for (unsigned i = 9; i < exp && i < 28; i++) {
		div *= 10;
	}
	if (exp >= 28) {
		return 0; /* 10^-28 s units: no 64-bit count reaches a nanosecond */
	}
	return (int64_t)(units / div);
}
