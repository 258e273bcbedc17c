/* SPDX-License-Identifier: MIT */
/*
 * quiccrypt.c - QUIC Initial keys, header protection, AES-128-GCM and the
 * Retry Integrity Tag: RFC 9001 §5.2-§5.4 and §5.8, RFC 9369 §3.3. HKDF is
 * written on BearSSL's HMAC (Extract is one HMAC, Expand-Label needs at most
 * two blocks here); AES-ECB is one block of CBC with a zero IV. Salts and
 * Retry keys are public constants cited at each entry, with where each was
 * checked: v1 and v2 by the RFCs' Appendix A Retry and Initials, which
 * tests/test_quic.c reproduces; the drafts' and Google's against
 * implementations that quote or cite them (Wireshark's packet-quic.c,
 * Chromium's quic_crypto_utils.cc, s2n-quic, lsquic) and, where the corpus
 * has them, captures that tshark decodes.
 */
#include "quiccrypt.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <bearssl.h>

#include "quic.h"
#include "sha256.h"

/* What a version changes in Initial protection. */
struct version_keys {
	uint32_t lo, hi;                     /* version range, inclusive */
	uint8_t salt[20];                    /* initial_salt */
	const char *key, *iv, *hp;           /* HKDF labels */
	uint8_t retry_key[PM_QUIC_KEY_LEN];  /* Retry Integrity Tag key */
	uint8_t retry_nonce[PM_QUIC_IV_LEN]; /* ... and nonce */
};

static const struct version_keys versions[] = {
	/*
	 * RFC 9001 §5.2 and §5.8 (draft-33 and draft-34 used the same values:
	 * quicwg/base-drafts PR 4431 "Final salt and retry keys"); salt, key and
	 * nonce as s2n-quic quotes RFC 9001 §5.2 and §5.8; the Appendix A.4
	 * Retry's tag matches (tests/test_quic.c).
	 */
	{ PM_QUIC_V1,
	  PM_QUIC_V1,
	  { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a },
	  "quic key",
	  "quic iv",
	  "quic hp",
	  { 0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68,
	    0xc8, 0x4e },
	  { 0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb } },
	/*
	 * RFC 9369 §3.3.1 and §3.3.3; the Appendix A.4 Retry's tag matches and
	 * the Appendix A.2 Initial decrypts with the salt (tests/test_quic.c).
	 */
	{ PM_QUIC_V2,
	  PM_QUIC_V2,
	  { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	    0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 },
	  "quicv2 key",
	  "quicv2 iv",
	  "quicv2 hp",
	  { 0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2, 0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c,
	    0xcc, 0x92 },
	  { 0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99, 0x90, 0xef, 0xb0, 0x4a } },
	/*
	 * draft-ietf-quic-tls-29 §5.2 and §5.8 (drafts 29 to 32): the salt as
	 * quicwg/base-drafts issue 4325 and PR 4431 quote §5.2 and Chromium
	 * cites draft-29 §5.2; key and nonce as Wireshark cites draft-29 §5.8
	 * and s2n-quic quotes draft-31 and draft-32 §5.8; the draft-29 Retry of
	 * ndpi/pcap/quic-29.pcap verifies (tests/test_quic.c).
	 */
	{ 0xff00001du,
	  0xff000020u,
	  { 0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99 },
	  "quic key",
	  "quic iv",
	  "quic hp",
	  { 0xcc, 0xce, 0x18, 0x7e, 0xd0, 0x9a, 0x09, 0xd0, 0x57, 0x28, 0x15, 0x5a, 0x6c, 0xb9,
	    0x6b, 0xe1 },
	  { 0xe5, 0x49, 0x30, 0xf9, 0x7f, 0x21, 0x36, 0xf0, 0x53, 0x0a, 0x8c, 0x1c } },
	/*
	 * Google T050: no RFC; salt (kT050Salt), Retry key and nonce
	 * (kT050RetryIntegrityKey, kT050RetryIntegrityNonce) as Chromium's
	 * quic_crypto_utils.cc defines them, the salt also as Wireshark's
	 * packet-quic.c; ndpi/pcap/quic_t50.pcap's Initial decrypts with it
	 * (tests/quic_expected.tsv). No capture of a T050 Retry was found.
	 */
	{ 0x54303530u,
	  0x54303530u,
	  { 0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
	    0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10 },
	  "quic key",
	  "quic iv",
	  "quic hp",
	  { 0xc9, 0x2d, 0x32, 0x3d, 0x9c, 0xe3, 0x0d, 0xa0, 0x88, 0xb9, 0xb7, 0xbb, 0xdc, 0xcd,
	    0x50, 0xc8 },
	  { 0x26, 0xe4, 0xd6, 0x23, 0x83, 0xd5, 0xc7, 0x60, 0xea, 0x02, 0xb4, 0x1f } },
	/*
	 * Google T051: as T050 (kT051Salt, kT051RetryIntegrityKey,
	 * kT051RetryIntegrityNonce); ndpi/pcap/quic_t51.pcap's Initial decrypts.
	 */
	{ 0x54303531u,
	  0x54303531u,
	  { 0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
	    0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d },
	  "quic key",
	  "quic iv",
	  "quic hp",
	  { 0x2e, 0xb9, 0x61, 0xa6, 0x79, 0x56, 0xf8, 0x79, 0x53, 0x14, 0xda, 0xfb, 0x2e, 0xbc,
	    0x83, 0xd7 },
	  { 0xb5, 0x0e, 0x4e, 0x53, 0x4c, 0xfc, 0x0b, 0xbb, 0x85, 0xf2, 0xf9, 0xca } },
	/*
	 * draft-ietf-quic-tls-27 §5.2 and §5.8 (drafts 23 to 28; the Retry tag
	 * from 25): the salt as Chromium cites draft-25 and draft-27 §5.2; key
	 * and nonce as Wireshark cites draft-25 §5.8, Chromium draft-25 and
	 * draft-27 §5.8, lsquic draft-25 §5.8 (the editors' copy briefly had
	 * key 0xf5ed4642... with a zero nonce, base-drafts PR 3120: not used).
	 * No corpus capture has a Retry of drafts 25 to 28; the Initials of
	 * ndpi/pcap/quic-23, -24, -27 and -28 decrypt with the salt.
	 */
	{ 0xff000017u,
	  0xff00001cu,
	  { 0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02 },
	  "quic key",
	  "quic iv",
	  "quic hp",
	  { 0x4d, 0x32, 0xec, 0xdb, 0x2a, 0x21, 0x33, 0xc8, 0x41, 0xe4, 0x04, 0x3d, 0xf2, 0x7d,
	    0x44, 0x30 },
	  { 0x4d, 0x16, 0x11, 0xd0, 0x55, 0x13, 0xa5, 0x52, 0xc5, 0x87, 0xd5, 0x75 } },
};

static const struct version_keys *
find_version(uint32_t v)
{
	if (v == 0xff000021u || v == 0xff000022u) {
		v = PM_QUIC_V1; /* draft-33 and draft-34 */
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(versions); i++) {
		if (v >= versions[i].lo && v <= versions[i].hi) {
			return &versions[i];
		}
	}
	return NULL;
}

/* see quiccrypt.h */
void
pm_quic_hkdf_extract(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                     uint8_t prk[PM_QUIC_SECRET_LEN])
{
	struct pm_hmac_sha256 k;
	struct pm_sha256 s;
	pm_hmac_sha256_key(&k, salt, salt_len);
	pm_hmac_sha256_begin(&k, &s);
	pm_sha256_update(&s, ikm, ikm_len);
	pm_hmac_sha256_out(&k, &s, prk);
}

/* HKDF-Expand-Label under a secret already prepared as an HMAC key (see quiccrypt.h). */
static int
expand_label(const struct pm_hmac_sha256 *k, const char *label, uint8_t *out, size_t out_len)
{
	/* HkdfLabel: length (2), label<7..255> with "tls13 ", context<0..255> empty */
	uint8_t info[2 + 1 + 6 + 64 + 1];
	size_t llen = strlen(label);
	if (llen > 64 || out_len > 255) {
		return PM_E_LIMIT;
	}
	info[0] = (uint8_t)(out_len >> 8);
	info[1] = (uint8_t)out_len;
	info[2] = (uint8_t)(6 + llen);
	memcpy(info + 3, "tls13 ", 6);
	memcpy(info + 9, label, llen);
	info[9 + llen] = 0;
	size_t info_len = 10 + llen;

	uint8_t t[PM_QUIC_SECRET_LEN];
	size_t done = 0;
	/* RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i) */
	for (uint8_t i = 1; done < out_len; i++) {
		struct pm_sha256 s;
		pm_hmac_sha256_begin(k, &s);
		if (i > 1) {
			pm_sha256_update(&s, t, sizeof(t));
		}
		pm_sha256_update(&s, info, info_len);
		pm_sha256_update(&s, &i, 1);
		pm_hmac_sha256_out(k, &s, t);
		size_t take = out_len - done < sizeof(t) ? out_len - done : sizeof(t);
		memcpy(out + done, t, take);
		done += take;
	}
	return 0;
}

/* see quiccrypt.h */
int
pm_quic_expand_label(const uint8_t secret[PM_QUIC_SECRET_LEN], const char *label, uint8_t *out,
                     size_t out_len)
{
	struct pm_hmac_sha256 k;
	pm_hmac_sha256_key(&k, secret, PM_QUIC_SECRET_LEN);
	return expand_label(&k, label, out, out_len);
}

static int
derive(const struct version_keys *vk, const uint8_t prk[PM_QUIC_SECRET_LEN], const char *side,
       struct pm_quic_keys *out)
{
	uint8_t secret[PM_QUIC_SECRET_LEN];
	int rc = pm_quic_expand_label(prk, side, secret, sizeof(secret));
	struct pm_hmac_sha256 k; /* the side's secret keys all three expansions */
	pm_hmac_sha256_key(&k, secret, sizeof(secret));
	if (rc == 0) {
		rc = expand_label(&k, vk->key, out->key, sizeof(out->key));
	}
	if (rc == 0) {
		rc = expand_label(&k, vk->iv, out->iv, sizeof(out->iv));
	}
	if (rc == 0) {
		rc = expand_label(&k, vk->hp, out->hp, sizeof(out->hp));
	}
	return rc;
}

/* see quiccrypt.h */
int
pm_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                     struct pm_quic_keys *client, struct pm_quic_keys *server)
{
	const struct version_keys *vk = find_version(version);
	if (vk == NULL) {
		return PM_E_UNSUPPORTED;
	}
	uint8_t prk[PM_QUIC_SECRET_LEN];
	pm_quic_hkdf_extract(vk->salt, sizeof(vk->salt), dcid, dcid_len, prk);
	int rc = 0;
	if (client != NULL) {
		rc = derive(vk, prk, "client in", client);
	}
	if (rc == 0 && server != NULL) {
		rc = derive(vk, prk, "server in", server);
	}
	return rc;
}

/*
 * AES and GHASH: the x86 AES-NI and PCLMULQDQ code where BearSSL has it and
 * the CPU does (a connection's Initial is 1,200 bytes or more), BearSSL's
 * constant-time 64-bit code otherwise. Same results either way. BearSSL
 * asks CPUID on every call, which traps to the hypervisor in a VM, so the
 * choice is made once per process (analyses run on several threads).
 */
struct aes_impl {
	const br_block_cbcenc_class *cbcenc;
	const br_block_ctr_class *ctr;
	br_ghash ghash;
};

static struct aes_impl chosen;
static pthread_once_t impl_once = PTHREAD_ONCE_INIT;

static void
choose_impl(void)
{
	const br_block_cbcenc_class *cbc = br_aes_x86ni_cbcenc_get_vtable();
	const br_block_ctr_class *ctr = br_aes_x86ni_ctr_get_vtable();
	br_ghash g = br_ghash_pclmul_get();
	chosen.cbcenc = cbc != NULL ? cbc : &br_aes_ct64_cbcenc_vtable;
	chosen.ctr = ctr != NULL ? ctr : &br_aes_ct64_ctr_vtable;
	chosen.ghash = g != 0 ? g : br_ghash_ctmul64;
}

static const struct aes_impl *
aes_impl(void)
{
	pthread_once(&impl_once, choose_impl);
	return &chosen;
}

/* see quiccrypt.h */
void
pm_quic_hp_mask(const uint8_t hp[PM_QUIC_KEY_LEN], const uint8_t sample[16], uint8_t mask[5])
{
	br_aes_gen_cbcenc_keys ecb;
	const br_block_cbcenc_class *cls = aes_impl()->cbcenc;
	uint8_t iv[16] = { 0 }, block[16];
	cls->init(&ecb.vtable, hp, PM_QUIC_KEY_LEN);
	memcpy(block, sample, sizeof(block));
	cls->run(&ecb.vtable, iv, block, sizeof(block));
	memcpy(mask, block, 5);
}

static void
gcm_start(br_aes_gen_ctr_keys *ctr, br_gcm_context *gcm, const uint8_t *key,
          const uint8_t nonce[PM_QUIC_IV_LEN])
{
	const struct aes_impl *a = aes_impl();
	a->ctr->init(&ctr->vtable, key, PM_QUIC_KEY_LEN);
	br_gcm_init(gcm, &ctr->vtable, a->ghash);
	br_gcm_reset(gcm, nonce, PM_QUIC_IV_LEN);
}

/* see quiccrypt.h */
int
pm_quic_unprotect(const struct pm_quic_keys *k, const struct pm_quic_hdr *h, uint8_t *buf,
                  size_t cap, struct pm_quic_plain *out)
{
	memset(out, 0, sizeof(*out));
	if (h->len > cap) {
		return PM_E_LIMIT;
	}
	/* RFC 9001 §5.4.2: the sample starts 4 bytes after the packet number's start */
	if (h->pn_off == 0 || h->pn_off > h->len || h->len - h->pn_off < 4 + 16) {
		return PM_E_TRUNC;
	}
	memcpy(buf, h->pkt, h->len);
	uint8_t mask[5];
	pm_quic_hp_mask(k->hp, buf + h->pn_off + 4, mask);
	buf[0] ^= mask[0] & (buf[0] & 0x80 ? 0x0f : 0x1f);
	size_t pn_len = (size_t)(buf[0] & 3) + 1;
	uint64_t pn = 0;
	for (size_t i = 0; i < pn_len; i++) {
		buf[h->pn_off + i] ^= mask[1 + i];
		pn = pn << 8 | buf[h->pn_off + i];
	}
	size_t hdr_len = h->pn_off + pn_len;
	if (h->len - hdr_len < PM_QUIC_TAG_LEN) {
		return PM_E_TRUNC;
	}
	size_t ct_len = h->len - hdr_len - PM_QUIC_TAG_LEN;

	uint8_t nonce[PM_QUIC_IV_LEN];
	memcpy(nonce, k->iv, sizeof(nonce));
	for (size_t i = 0; i < 8; i++) {
		nonce[PM_QUIC_IV_LEN - 1 - i] ^= (uint8_t)(pn >> (8 * i));
	}
	br_aes_gen_ctr_keys ctr;
	br_gcm_context gcm;
	gcm_start(&ctr, &gcm, k->key, nonce);
	br_gcm_aad_inject(&gcm, buf, hdr_len);
	br_gcm_flip(&gcm);
	br_gcm_run(&gcm, 0, buf + hdr_len, ct_len);
	if (!br_gcm_check_tag(&gcm, buf + hdr_len + ct_len)) {
		return PM_E_TLS;
	}
	out->payload = buf + hdr_len;
	out->payload_len = ct_len;
	out->pn = pn;
	out->pn_len = pn_len;
	out->first = buf[0];
	return 0;
}

/* see quiccrypt.h */
int
pm_quic_retry_check(const struct pm_quic_hdr *h, const uint8_t *odcid, size_t odcid_len)
{
	const struct version_keys *vk = find_version(h->version);
	/* drafts 23 and 24 sent the ODCID in the Retry instead of a tag */
	bool untagged = h->version == 0xff000017u || h->version == 0xff000018u;
	if (vk == NULL || untagged || h->type != PM_QUIC_RETRY || h->tag == NULL ||
	    odcid_len > 255) {
		return PM_E_UNSUPPORTED;
	}
	/* the Retry pseudo-packet (RFC 9001 §5.8): ODCID length, ODCID, Retry without tag */
	uint8_t l = (uint8_t)odcid_len;
	br_aes_gen_ctr_keys ctr;
	br_gcm_context gcm;
	gcm_start(&ctr, &gcm, vk->retry_key, vk->retry_nonce);
	br_gcm_aad_inject(&gcm, &l, 1);
	br_gcm_aad_inject(&gcm, odcid, odcid_len);
	br_gcm_aad_inject(&gcm, h->pkt, h->len - PM_QUIC_TAG_LEN);
	br_gcm_flip(&gcm);
	return br_gcm_check_tag(&gcm, h->tag) ? 0 : PM_E_TLS;
}
