/* SPDX-License-Identifier: MIT */
/*
 * sha256.c - SHA-256 on the x86 SHA extensions, BearSSL otherwise.
 *
 * The extensions keep the eight working variables in two registers, ABEF
 * and CDGH; sha256rnds2 does two rounds with two words of W+K, and
 * sha256msg1/sha256msg2 compute four words of the message schedule
 * (FIPS 180-4 §6.2.2 step 1) from the sixteen before them. Each block is
 * sixteen groups of four rounds.
 */
#include "sha256.h"

#include <string.h>

#include "pm.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PM_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define PM_SHA_NI 0
#endif

static const uint32_t sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static bool force_portable;

/* see sha256.h */
void
pm_sha256_force_portable(bool on)
{
	force_portable = on;
}

#if PM_SHA_NI
/* FIPS 180-4 §4.2.2 */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

/* CPUID leaf 7 EBX bit 29 (SHA), leaf 1 ECX bits 9 (SSSE3) and 19 (SSE4.1). */
static bool
cpu_has_sha(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid(1, &a, &b, &c, &d) == 0 || (c & (1u << 9)) == 0 || (c & (1u << 19)) == 0) {
		return false;
	}
	if (__get_cpuid_max(0, NULL) < 7) {
		return false;
	}
	__cpuid_count(7, 0, a, b, c, d);
	return (b & (1u << 29)) != 0;
}

/*
 * Four rounds on the group of four schedule words w at group g: two
 * sha256rnds2, the second on the upper two words of W+K.
 */
#define ROUNDS4(w, g)                                                                              \
	do {                                                                                       \
		__m128i m_ = _mm_add_epi32(                                                        \
		    (w), _mm_loadu_si128((const __m128i *)(const void *)&sha256_k[4 * (g)]));      \
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m_);                                      \
		abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m_, 0x0E));             \
	} while (0)

/* w0 holds group g-4, w1..w3 groups g-3..g-1: w0 becomes group g (§6.2.2 step 1). */
#define SCHEDULE(w0, w1, w2, w3)                                                                   \
	(w0) = _mm_sha256msg2_epu32(                                                               \
	    _mm_add_epi32(_mm_sha256msg1_epu32((w0), (w1)), _mm_alignr_epi8((w3), (w2), 4)), (w3))

/* Spelled out group by group: a loop over the groups keeps the words in memory. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* Byte order: each 32-bit word of the block is big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
	for (; n != 0; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;
		const __m128i *q = (const __m128i *)(const void *)p;
		__m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128(q), bswap);
		__m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128(q + 1), bswap);
		__m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128(q + 2), bswap);
		__m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128(q + 3), bswap);
		ROUNDS4(w0, 0);
		ROUNDS4(w1, 1);
		ROUNDS4(w2, 2);
		ROUNDS4(w3, 3);
		for (int g = 4; g < 16; g += 4) {
			SCHEDULE(w0, w1, w2, w3);
			ROUNDS4(w0, g);
			SCHEDULE(w1, w2, w3, w0);
			ROUNDS4(w1, g + 1);
			SCHEDULE(w2, w3, w0, w1);
			ROUNDS4(w2, g + 2);
			SCHEDULE(w3, w0, w1, w2);
			ROUNDS4(w3, g + 3);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	__m128i feba = _mm_shuffle_epi32(abef, 0x1B);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)(void *)&h[0], _mm_blend_epi16(feba, dchg, 0xF0));
	_mm_storeu_si128((__m128i *)(void *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}
#undef ROUNDS4
#undef SCHEDULE

/* see sha256.h */
bool
pm_sha256_accelerated(void)
{
	static int have = -1; /* racy but idempotent: every thread computes the same answer */
	if (have < 0) {
		have = cpu_has_sha();
	}
	return have != 0 && !force_portable;
}
#else
/* see sha256.h */
bool
pm_sha256_accelerated(void)
{
	return false;
}

static void
blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	(void)h, (void)p, (void)n;
}
#endif

/* see sha256.h */
void
pm_sha256_init(struct pm_sha256 *s)
{
	s->ni = pm_sha256_accelerated();
	s->len = 0;
	if (s->ni) {
		memcpy(s->h, sha256_iv, sizeof(s->h));
	} else {
		br_sha256_init(&s->br);
	}
}

/* see sha256.h */
void
pm_sha256_update(struct pm_sha256 *s, const void *data, size_t n)
{
	if (!s->ni) {
		br_sha256_update(&s->br, data, n);
		return;
	}
	const uint8_t *p = data;
	size_t have = (size_t)(s->len & 63);
	s->len += n;
	if (have != 0) {
		size_t k = 64 - have < n ? 64 - have : n;
		memcpy(s->buf + have, p, k);
		p += k;
		n -= k;
		if (have + k < 64) {
			return;
		}
		blocks_ni(s->h, s->buf, 1);
	}
	if (n >= 64) {
		blocks_ni(s->h, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	memcpy(s->buf, p, n);
}

/* see sha256.h */
void
pm_sha256_out(const struct pm_sha256 *s, uint8_t out[PM_SHA256_LEN])
{
	if (!s->ni) {
		br_sha256_out(&s->br, out);
		return;
	}
	/* FIPS 180-4 §5.1.1: 0x80, zeros to 56 mod 64, the length in bits. */
	uint32_t h[8];
	uint8_t pad[128] = { 0 };
	size_t have = (size_t)(s->len & 63);
	size_t total = have < 56 ? 64 : 128;
	memcpy(h, s->h, sizeof(h));
	memcpy(pad, s->buf, have);
	pad[have] = 0x80;
	uint64_t bits = s->len << 3;
	for (int i = 0; i < 8; i++) {
		pad[total - 1 - i] = (uint8_t)(bits >> (8 * i));
	}
	blocks_ni(h, pad, total / 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

/* see sha256.h */
void
pm_hmac_sha256_key(struct pm_hmac_sha256 *k, const void *key, size_t n)
{
	uint8_t block[64] = { 0 };
	if (n > sizeof(block)) {
		struct pm_sha256 s; /* RFC 2104 §2: a key longer than a block is hashed first */
		pm_sha256_init(&s);
		pm_sha256_update(&s, key, n);
		pm_sha256_out(&s, block);
	} else if (n != 0) {
		memcpy(block, key, n);
	}
	uint8_t pad[64];
	for (size_t i = 0; i < sizeof(pad); i++) {
		pad[i] = block[i] ^ 0x36;
	}
	pm_sha256_init(&k->inner);
	pm_sha256_update(&k->inner, pad, sizeof(pad));
	for (size_t i = 0; i < sizeof(pad); i++) {
		pad[i] = block[i] ^ 0x5c;
	}
	pm_sha256_init(&k->outer);
	pm_sha256_update(&k->outer, pad, sizeof(pad));
}

/* see sha256.h */
void
pm_hmac_sha256_begin(const struct pm_hmac_sha256 *k, struct pm_sha256 *s)
{
	*s = k->inner;
}

/* see sha256.h */
void
pm_hmac_sha256_out(const struct pm_hmac_sha256 *k, const struct pm_sha256 *s,
                   uint8_t out[PM_SHA256_LEN])
{
	uint8_t inner[PM_SHA256_LEN];
	pm_sha256_out(s, inner);
	struct pm_sha256 o = k->outer;
	pm_sha256_update(&o, inner, sizeof(inner));
	pm_sha256_out(&o, out);
}
