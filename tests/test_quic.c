/* SPDX-License-Identifier: MIT */
/*
 * test_quic.c - QUIC headers and Initial protection against RFC 9001
 * Appendix A (v1) and RFC 9369 Appendix A (v2): keys, header protection,
 * the sample client and server Initials and the Retry, reproduced exactly;
 * a corrupted tag; version negotiation and coalesced packets crafted here;
 * truncation sweeps against a guard page; and agreement with tshark on the
 * corpus's QUIC captures (tests/quic_expected.tsv, made by
 * tests/mk_quic_expected.sh): versions, connection IDs, SNIs and ALPNs per
 * connection.
 */
#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "flow.h"
#include "guard.h"
#include "hosts.h"
#include "label.h"
#include "pcapbuild.h"
#include "quic.h"
#include "quiccrypt.h"
#include "quicstats.h"
#include "test.h"
#include "tls.h"

/* The hex below is copied from the RFCs' Appendix A, block by block. */
static const char v1_crypto[] = "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
                                "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
                                "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
                                "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
                                "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
                                "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
                                "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
                                "75300901100f088394c8f03e51570806048000ffff";
static const char v1_client[] = "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
                                "d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
                                "1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
                                "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
                                "30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
                                "457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
                                "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
                                "4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
                                "485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
                                "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
                                "7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
                                "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
                                "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
                                "68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
                                "c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
                                "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
                                "291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
                                "25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
                                "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
                                "ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
                                "e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
                                "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
                                "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
                                "cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
                                "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
                                "a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
                                "90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
                                "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
                                "40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
                                "6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
                                "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
                                "be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
                                "54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
                                "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
                                "f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
                                "056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
                                "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
                                "e221af44860018ab0856972e194cd934";
static const char v1_server[] = "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
                                "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
                                "dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
                                "022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
                                "2158407dd074ee";
static const char v1_retry[] = "ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f"
                               "0f2496ba";
static const char v1_server_payload[] =
    "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
    "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
    "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
    "020304";
static const char v2_crypto[] = "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
                                "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
                                "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
                                "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
                                "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
                                "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
                                "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
                                "75300901100f088394c8f03e51570806048000ffff";
static const char v2_client[] = "d76b3343cf088394c8f03e5157080000449ea0c95e82ffe67b6abcdb4298b485"
                                "dd04de806071bf03dceebfa162e75d6c96058bdbfb127cdfcbf903388e99ad04"
                                "9f9a3dd4425ae4d0992cfff18ecf0fdb5a842d09747052f17ac2053d21f57c5d"
                                "250f2c4f0e0202b70785b7946e992e58a59ac52dea6774d4f03b55545243cf1a"
                                "12834e3f249a78d395e0d18f4d766004f1a2674802a747eaa901c3f10cda5500"
                                "cb9122faa9f1df66c392079a1b40f0de1c6054196a11cbea40afb6ef5253cd68"
                                "18f6625efce3b6def6ba7e4b37a40f7732e093daa7d52190935b8da58976ff33"
                                "12ae50b187c1433c0f028edcc4c2838b6a9bfc226ca4b4530e7a4ccee1bfa2a3"
                                "d396ae5a3fb512384b2fdd851f784a65e03f2c4fbe11a53c7777c023462239dd"
                                "6f7521a3f6c7d5dd3ec9b3f233773d4b46d23cc375eb198c63301c21801f6520"
                                "bcfb7966fc49b393f0061d974a2706df8c4a9449f11d7f3d2dcbb90c6b877045"
                                "636e7c0c0fe4eb0f697545460c806910d2c355f1d253bc9d2452aaa549e27a1f"
                                "ac7cf4ed77f322e8fa894b6a83810a34b361901751a6f5eb65a0326e07de7c12"
                                "16ccce2d0193f958bb3850a833f7ae432b65bc5a53975c155aa4bcb4f7b2c4e5"
                                "4df16efaf6ddea94e2c50b4cd1dfe06017e0e9d02900cffe1935e0491d77ffb4"
                                "fdf85290fdd893d577b1131a610ef6a5c32b2ee0293617a37cbb08b847741c3b"
                                "8017c25ca9052ca1079d8b78aebd47876d330a30f6a8c6d61dd1ab5589329de7"
                                "14d19d61370f8149748c72f132f0fc99f34d766c6938597040d8f9e2bb522ff9"
                                "9c63a344d6a2ae8aa8e51b7b90a4a806105fcbca31506c446151adfeceb51b91"
                                "abfe43960977c87471cf9ad4074d30e10d6a7f03c63bd5d4317f68ff325ba3bd"
                                "80bf4dc8b52a0ba031758022eb025cdd770b44d6d6cf0670f4e990b22347a7db"
                                "848265e3e5eb72dfe8299ad7481a408322cac55786e52f633b2fb6b614eaed18"
                                "d703dd84045a274ae8bfa73379661388d6991fe39b0d93debb41700b41f90a15"
                                "c4d526250235ddcd6776fc77bc97e7a417ebcb31600d01e57f32162a8560cacc"
                                "7e27a096d37a1a86952ec71bd89a3e9a30a2a26162984d7740f81193e8238e61"
                                "f6b5b984d4d3dfa033c1bb7e4f0037febf406d91c0dccf32acf423cfa1e70710"
                                "10d3f270121b493ce85054ef58bada42310138fe081adb04e2bd901f2f13458b"
                                "3d6758158197107c14ebb193230cd1157380aa79cae1374a7c1e5bbcb80ee23e"
                                "06ebfde206bfb0fcbc0edc4ebec309661bdd908d532eb0c6adc38b7ca7331dce"
                                "8dfce39ab71e7c32d318d136b6100671a1ae6a6600e3899f31f0eed19e3417d1"
                                "34b90c9058f8632c798d4490da4987307cba922d61c39805d072b589bd52fdf1"
                                "e86215c2d54e6670e07383a27bbffb5addf47d66aa85a0c6f9f32e59d85a44dd"
                                "5d3b22dc2be80919b490437ae4f36a0ae55edf1d0b5cb4e9a3ecabee93dfc6e3"
                                "8d209d0fa6536d27a5d6fbb17641cde27525d61093f1b28072d111b2b4ae5f89"
                                "d5974ee12e5cf7d5da4d6a31123041f33e61407e76cffcdcfd7e19ba58cf4b53"
                                "6f4c4938ae79324dc402894b44faf8afbab35282ab659d13c93f70412e85cb19"
                                "9a37ddec600545473cfb5a05e08d0b209973b2172b4d21fb69745a262ccde96b"
                                "a18b2faa745b6fe189cf772a9f84cbfc";
static const char v2_server[] = "dc6b3343cf0008f067a5502a4262b5004075d92faaf16f05d8a4398c47089698"
                                "baeea26b91eb761d9b89237bbf87263017915358230035f7fd3945d88965cf17"
                                "f9af6e16886c61bfc703106fbaf3cb4cfa52382dd16a393e42757507698075b2"
                                "c984c707f0a0812d8cd5a6881eaf21ceda98f4bd23f6fe1a3e2c43edd9ce7ca8"
                                "4bed8521e2e140";
static const char v2_retry[] = "cf6b3343cf0008f067a5502a4262b5746f6b656ec8646ce8bfe33952d9555436"
                               "65dcc7b6";
static const char v2_server_payload[] =
    "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
    "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
    "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
    "020304";

static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

/* Per-version facts stated in the RFCs' Appendix A. */
struct vec {
	uint32_t version;
	const char *client, *server, *retry, *crypto, *server_payload;
	const char *initial_secret, *client_secret;
	const char *ckey, *civ, *chp, *skey, *siv, *shp;
	const char *sample, *mask;
};

static const struct vec vecs[] = {
	{ PM_QUIC_V1, v1_client, v1_server, v1_retry, v1_crypto, v1_server_payload,
	  "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44",
	  "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
	  "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
	  "9f50449e04a0e810283a1e9933adedd2", "cf3a5331653c364c88f0f379b6067e37",
	  "0ac1493ca1905853b0bba03e", "c206b8d9b9f0f37644430b490eeaa314",
	  "d1b1c98dd7689fb8ec11d242b123dc9b", "437b9aec36" },
	{ PM_QUIC_V2, v2_client, v2_server, v2_retry, v2_crypto, v2_server_payload,
	  "2062e8b3cd8d52092614b8071d0aa1fb7c2e3ac193f78b280e72d8f5751f6aba",
	  "14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b",
	  "8b1a0bc121284290a29e0971b5cd045d", "91f73e2351d8fa91660e909f",
	  "45b95e15235d6f45a6b19cbcb0294ba9", "82db637861d55e1d011f19ea71d5d2a7",
	  "dd13c276499c0249d3310652", "edf6d05c83121201b436e16877593c3a",
	  "ffe67b6abcdb4298b485dd04de806071", "94a0c95e80" },
};

static const uint8_t v1_salt[20] = { 0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	                             0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a };
static const uint8_t v2_salt[20] = { 0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	                             0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9 };

static void
check_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[64];
	size_t n = pm_test_unhex(hex, want, sizeof(want));
	CHECK_MEM(got, want, n);
}

static void
test_keys(const struct vec *v)
{
	uint8_t prk[32], secret[32];
	pm_quic_hkdf_extract(v->version == PM_QUIC_V1 ? v1_salt : v2_salt, 20, dcid, sizeof(dcid),
	                     prk);
	check_hex(prk, v->initial_secret);
	CHECK_EQ(pm_quic_expand_label(prk, "client in", secret, sizeof(secret)), 0);
	check_hex(secret, v->client_secret);
	struct pm_quic_keys c, s;
	CHECK_EQ(pm_quic_initial_keys(v->version, dcid, sizeof(dcid), &c, &s), 0);
	check_hex(c.key, v->ckey);
	check_hex(c.iv, v->civ);
	check_hex(c.hp, v->chp);
	check_hex(s.key, v->skey);
	check_hex(s.iv, v->siv);
	check_hex(s.hp, v->shp);
	uint8_t sample[16], mask[5];
	pm_test_unhex(v->sample, sample, sizeof(sample));
	pm_quic_hp_mask(c.hp, sample, mask);
	check_hex(mask, v->mask);
}

struct hello_sink {
	uint8_t buf[512];
	size_t n;
};

static void
sink(void *arg, uint64_t off, const uint8_t *data, size_t len)
{
	struct hello_sink *h = arg;
	if (off == h->n && len <= sizeof(h->buf) - h->n) {
		memcpy(h->buf + h->n, data, len);
		h->n += len;
	}
}

static uint8_t pkt[1500], plainbuf[1500], want[1500];

static void
test_client_initial(const struct vec *v)
{
	size_t n = pm_test_unhex(v->client, pkt, sizeof(pkt));
	CHECK_EQ(n, 1200);
	struct pm_quic_hdr h;
	CHECK_EQ(pm_quic_parse(pm_guard(pkt, n), n, 0, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_INITIAL);
	CHECK(h.is_long);
	CHECK_EQ(h.version, v->version);
	CHECK_EQ(h.dcid_len, 8);
	CHECK_MEM(h.dcid, dcid, 8);
	CHECK_EQ(h.scid_len, 0);
	CHECK_EQ(h.token_len, 0);
	CHECK_EQ(h.pn_off, 18);
	CHECK_EQ(h.len, 1200);

	struct pm_quic_keys c;
	CHECK_EQ(pm_quic_initial_keys(v->version, h.dcid, h.dcid_len, &c, NULL), 0);
	struct pm_quic_plain pl;
	CHECK_EQ(pm_quic_unprotect(&c, &h, plainbuf, sizeof(plainbuf), &pl), 0);
	CHECK_EQ(pl.pn, 2);
	CHECK_EQ(pl.pn_len, 4);
	CHECK_EQ(pl.payload_len, 1162);
	size_t cn = pm_test_unhex(v->crypto, want, sizeof(want));
	memset(want + cn, 0, 1162 - cn);
	CHECK_MEM(pl.payload, want, 1162);

	struct hello_sink hs = { .n = 0 };
	struct pm_quic_frames fr;
	CHECK_EQ(pm_quic_walk_frames(pl.payload, pl.payload_len, v->version, sink, &hs, &fr), 0);
	CHECK_EQ(fr.crypto, 1);
	CHECK_EQ(fr.padding, 1162 - cn);
	CHECK(!fr.stopped);
	CHECK_EQ(hs.n, 245 - 4); /* type, offset, two-byte length */
	CHECK_EQ(hs.buf[0], PM_TLS_HS_CLIENT_HELLO);
	struct pm_tls_client_hello ch;
	CHECK_EQ(pm_tls_parse_client_hello(hs.buf + 4, hs.n - 4, &ch), 0);
	CHECK(ch.sni_len == 11 && memcmp(ch.sni, "example.com", 11) == 0);
	CHECK(ch.alpn_len == 5 && memcmp(ch.alpn,
	                                 "\x04"
	                                 "alpn",
	                                 5) == 0);
	struct pm_quic_tparams tp;
	CHECK_EQ(pm_quic_tparams(hs.buf + 4, hs.n - 4, &tp), 0);
	CHECK_EQ(tp.total, 8);
	CHECK(tp.scid_len == 8 && memcmp(tp.scid, dcid, 8) == 0);

	/* a corrupted tag fails cleanly */
	pkt[n - 1] ^= 1;
	CHECK_EQ(pm_quic_parse(pkt, n, 0, &h), 0);
	CHECK_EQ(pm_quic_unprotect(&c, &h, plainbuf, sizeof(plainbuf), &pl), PM_E_TLS);
	CHECK_EQ(pm_quic_unprotect(&c, &h, plainbuf, 100, &pl), PM_E_LIMIT);
	pkt[n - 1] ^= 1;

	/* truncation sweep: every prefix parses short, never reads past it */
	size_t bad = 0;
	for (size_t k = 0; k < n; k++) {
		bad += pm_quic_parse(pm_guard(pkt, k), k, 0, &h) == 0;
	}
	CHECK_EQ(bad, 0);
	for (size_t k = 1; k < cn; k++) {
		struct pm_quic_frames f2;
		bad += pm_quic_walk_frames(pm_guard(want, k), k, v->version, NULL, NULL, &f2) == 0;
	}
	for (size_t k = 0; k < hs.n - 4; k++) {
		bad += pm_quic_tparams(pm_guard(hs.buf + 4, k), k, &tp) == 0;
	}
	CHECK_EQ(bad, 0);
}

static void
test_server_and_retry(const struct vec *v)
{
	size_t n = pm_test_unhex(v->server, pkt, sizeof(pkt));
	struct pm_quic_hdr h;
	CHECK_EQ(pm_quic_parse(pm_guard(pkt, n), n, 0, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_INITIAL);
	CHECK_EQ(h.dcid_len, 0);
	CHECK_EQ(h.scid_len, 8);
	struct pm_quic_keys s;
	CHECK_EQ(pm_quic_initial_keys(v->version, dcid, sizeof(dcid), NULL, &s), 0);
	struct pm_quic_plain pl;
	CHECK_EQ(pm_quic_unprotect(&s, &h, plainbuf, sizeof(plainbuf), &pl), 0);
	CHECK_EQ(pl.pn, 1);
	CHECK_EQ(pl.pn_len, 2);
	size_t wn = pm_test_unhex(v->server_payload, want, sizeof(want));
	CHECK_EQ(pl.payload_len, wn);
	CHECK_MEM(pl.payload, want, wn);
	struct pm_quic_frames fr;
	CHECK_EQ(pm_quic_walk_frames(pl.payload, pl.payload_len, v->version, NULL, NULL, &fr), 0);
	CHECK_EQ(fr.acks, 1);
	CHECK_EQ(fr.crypto, 1);

	/* coalesced: the server Initial twice in one datagram, then zero padding */
	memcpy(pkt + n, pkt, n);
	memset(pkt + 2 * n, 0, 40);
	struct pm_quic_hdr hv[4];
	int rc;
	CHECK_EQ(pm_quic_parse_datagram(pm_guard(pkt, 2 * n + 40), 2 * n + 40, 0, hv, 4, &rc), 2);
	CHECK_EQ(rc, 0);
	CHECK_EQ(hv[1].len, n);

	n = pm_test_unhex(v->retry, pkt, sizeof(pkt));
	CHECK_EQ(pm_quic_parse(pm_guard(pkt, n), n, 0, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_RETRY);
	CHECK(h.token_len == 5 && memcmp(h.token, "token", 5) == 0);
	CHECK_EQ(pm_quic_retry_check(&h, dcid, sizeof(dcid)), 0);
	CHECK_EQ(pm_quic_retry_check(&h, dcid, 7), PM_E_TLS);
	pkt[n - 1] ^= 0x80;
	CHECK_EQ(pm_quic_parse(pkt, n, 0, &h), 0);
	CHECK_EQ(pm_quic_retry_check(&h, dcid, sizeof(dcid)), PM_E_TLS);
}

static void
test_vn_and_names(void)
{
	/* version negotiation: a GREASE version, v2 and v1 offered */
	uint8_t vn[64];
	size_t n = pm_test_unhex("c0 00000000 04 01020304 02 0a0b 1a2a3a4a 6b3343cf 00000001", vn,
	                         sizeof(vn));
	struct pm_quic_hdr h;
	CHECK_EQ(pm_quic_parse(pm_guard(vn, n), n, 0, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_VN);
	CHECK_EQ(h.nvers, 3);
	CHECK_EQ(h.vers[1], PM_QUIC_V2);
	CHECK_EQ(h.dcid_len, 4);
	CHECK_EQ(h.scid_len, 2);
	CHECK_EQ(pm_quic_parse(vn, n - 1, 0, &h), PM_E_MALFORMED);

	/* short header with a known DCID length */
	uint8_t sh[] = { 0x41, 1, 2, 3, 4, 9, 9 };
	CHECK_EQ(pm_quic_parse(sh, sizeof(sh), 4, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_SHORT);
	CHECK_EQ(h.dcid_len, 4);
	CHECK_EQ(pm_quic_parse(sh, 3, 4, &h), PM_E_TRUNC);

	/* Google QUIC public header with a version (Q043) */
	uint8_t gq[] = { 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 'Q', '0', '4', '3', 0x01 };
	CHECK_EQ(pm_quic_parse(gq, sizeof(gq), 0, &h), 0);
	CHECK_EQ(h.type, PM_QUIC_GQUIC);
	CHECK_EQ(h.version, 0x51303433);

	char b[16];
	CHECK_STR(pm_quic_version_name(PM_QUIC_V1, b), "v1");
	CHECK_STR(pm_quic_version_name(PM_QUIC_V2, b), "v2");
	CHECK_STR(pm_quic_version_name(0xff00001d, b), "draft-29");
	CHECK_STR(pm_quic_version_name(0x51303530, b), "Q050");
	CHECK_STR(pm_quic_version_name(0x1a2a3a4a, b), "grease");
	CHECK_STR(pm_quic_version_name(0xfaceb002, b), "mvfst-2");
	CHECK_STR(pm_quic_version_name(0x12345678, b), "0x12345678");
	struct pm_quic_keys k;
	CHECK_EQ(pm_quic_initial_keys(0x12345678, dcid, 8, &k, NULL), PM_E_UNSUPPORTED);
	CHECK_EQ(pm_quic_initial_keys(0xff00001d, dcid, 8, &k, NULL), 0);
}

/* A connection of q by client address (host order, IPv4), or NULL. */
static const struct pm_quic_conn *
conn_of(const struct pm_quic_stats *q, uint32_t client)
{
	for (size_t i = 0; i < q->n_rows; i++) {
		const uint8_t *a = q->rows[i].client;
		if (((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]) ==
		    client) {
			return &q->rows[i];
		}
	}
	return NULL;
}

/*
 * The crafted capture: the RFC 9001 client and server Initials, the client
 * Initial with its tag corrupted, random bytes on UDP 443 and the RFC 9369
 * client Initial on port 4433; with extras, an answer of long-header-looking
 * bytes to the random ones and random bytes from DNS's port to 853.
 */
static void
crafted(struct pcapbuf *b, bool extras)
{
	static uint8_t c1[1500], s1[200], c2[1500];
	size_t n1 = pm_test_unhex(v1_client, c1, sizeof(c1));
	size_t ns = pm_test_unhex(v1_server, s1, sizeof(s1));
	size_t n2 = pm_test_unhex(v2_client, c2, sizeof(c2));
	static const uint8_t junk[] = { 0x41, 0x99, 0x12, 0x00, 0x7f, 0x33, 0x21, 0x05 };
	static const uint8_t longish[] = { 0xc3, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x12 };
	pb_start(b);
	pb_udp_data(b, 0x0a000001, 0x0a000002, 5000, 443, c1, n1);
	pb_udp_data(b, 0x0a000002, 0x0a000001, 443, 5000, s1, ns);
	c1[n1 - 1] ^= 1;
	pb_udp_data(b, 0x0a000003, 0x0a000002, 5001, 443, c1, n1);
	pb_udp_data(b, 0x0a000004, 0x0a000002, 5002, 443, junk, sizeof(junk));
	if (extras) {
		pb_udp_data(b, 0x0a000002, 0x0a000004, 443, 5002, longish, sizeof(longish));
		pb_udp_data(b, 0x0a000006, 0x0a000002, 53, 853, junk, sizeof(junk));
	}
	pb_udp_data(b, 0x0a000005, 0x0a000002, 5003, 4433, c2, n2);
}

/* Analyse b with the analysers given; false (b freed) when that fails. */
static bool
run_crafted(struct pm_analysis *a, struct pcapbuf *b, uint32_t analysers)
{
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = analysers };
	if (pm_analysis_run_mem(a, b->p, b->n, &o, &err) != 0) {
		CHECK(!"the crafted QUIC capture does not analyse");
		pb_free(b);
		return false;
	}
	return true;
}

/*
 * The analyser on the crafted capture: one connection understood, the
 * corrupted Initial counted (no hello), the random bytes not QUIC, the
 * Initial on 4433 labelled by its first bytes.
 */
static void
test_analyser(void)
{
	struct pcapbuf b;
	static struct pm_analysis a;
	crafted(&b, false);
	if (!run_crafted(&a, &b, PM_AN_BIT(QUIC))) {
		return;
	}
	const struct pm_quic_stats *q = pm_an_quic(&a);
	CHECK_EQ(q->n_rows, 3);
	CHECK_EQ(q->decrypted, 2);
	CHECK_EQ(q->decrypt_failed, 1);
	CHECK_EQ(q->not_quic, 1);
	CHECK_EQ(q->live, 0);
	const struct pm_quic_conn *c = conn_of(q, 0x0a000001);
	CHECK(c != NULL && c->client_hello && c->server_initial && !c->decrypt_failed);
	if (c != NULL) {
		CHECK_STR(c->sni, "example.com");
		CHECK_STR(c->alpn, "alpn");
		CHECK_EQ(c->version, PM_QUIC_V1);
		CHECK(c->dcid_len == 8 && memcmp(c->dcid, dcid, 8) == 0);
		CHECK_EQ(c->server_cid_len, 8);
		CHECK_EQ(c->ja4[0], 'q');
		CHECK_EQ(c->packets[0], 1);
		CHECK_EQ(c->packets[1], 1);
		CHECK_EQ(c->n_tparams, 8);
	}
	c = conn_of(q, 0x0a000003);
	CHECK(c != NULL && c->decrypt_failed && !c->client_hello && c->sni[0] == '\0');
	c = conn_of(q, 0x0a000005);
	CHECK(c != NULL && c->version == PM_QUIC_V2 && c->client_hello && c->server_port == 4433);
	pm_analysis_free(&a);
	pb_free(&b);
}

/* The flow of a's table whose endpoint a or b is the IPv4 address ip and port. */
static const struct pm_flow *
flow_of(const struct pm_analysis *a, uint32_t ip, uint16_t port)
{
	const struct pm_flows *f = pm_an_flows(a);
	size_t pos = 0;
	void *v;
	const void *k;
	uint8_t be[4] = { (uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8),
		          (uint8_t)ip };
	while ((k = pm_table_next(&f->flows, &pos, &v)) != NULL) {
		const struct pm_flow_key *fk = k;
		if ((memcmp(fk->a, be, 4) == 0 && fk->pa == port) ||
		    (memcmp(fk->b, be, 4) == 0 && fk->pb == port)) {
			return v;
		}
	}
	return NULL;
}

static void
check_label(const struct pm_analysis *a, uint32_t ip, uint16_t port, enum pm_app app,
            enum pm_label_src src)
{
	const struct pm_flow *fl = flow_of(a, ip, port);
	CHECK(fl != NULL);
	if (fl != NULL) {
		CHECK_STR(pm_app_name((enum pm_app)fl->app), pm_app_name(app));
		CHECK_STR(pm_label_src_name((enum pm_label_src)fl->app_src),
		          pm_label_src_name(src));
	}
}

/*
 * The verdict is the label: the RFC 9001 connection stays QUIC, the
 * corrupted Initial and the random bytes on 443 lose it (and the server's
 * answer of long-header-looking bytes does not bring it back), random bytes
 * between DNS's port and 853 fall back to DNS, the RFC 9369 Initial on 4433
 * stays QUIC (payload); the hosts' totals by label follow.
 */
static void
test_verdict(void)
{
	struct pcapbuf b;
	static struct pm_analysis a;
	crafted(&b, true);
	if (!run_crafted(&a, &b, PM_AN_BIT(QUIC) | PM_AN_BIT(HOSTS))) {
		return;
	}
	check_label(&a, 0x0a000001, 5000, PM_APP_QUIC, PM_LABEL_PAYLOAD);
	check_label(&a, 0x0a000003, 5001, PM_APP_UNKNOWN, PM_LABEL_NONE);
	check_label(&a, 0x0a000004, 5002, PM_APP_UNKNOWN, PM_LABEL_NONE);
	check_label(&a, 0x0a000006, 53, PM_APP_DNS, PM_LABEL_PORT);
	check_label(&a, 0x0a000005, 5003, PM_APP_QUIC, PM_LABEL_PAYLOAD);
	CHECK_EQ(pm_an_quic(&a)->withdrawn, 3);
	CHECK_EQ(pm_an_hosts(&a)->app_packets[PM_APP_QUIC], 3);
	CHECK_EQ(pm_an_hosts(&a)->app_packets[PM_APP_UNKNOWN], 3);
	CHECK_EQ(pm_an_hosts(&a)->app_packets[PM_APP_DNS], 1);
	pm_analysis_free(&a);
	pb_free(&b);
}

/* A 1-RTT packet: the first byte, the DCID, and bytes standing for the rest. */
static void
short_pkt(struct pcapbuf *b, uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp,
          const uint8_t dcid8[8])
{
	uint8_t one[40] = { 0x43 };
	memcpy(one + 1, dcid8, 8);
	memset(one + 9, 0x5a, sizeof(one) - 9);
	pb_udp_data(b, src, dst, sp, dp, one, sizeof(one));
}

/*
 * Connection IDs: the RFC 9001 server Initial's SCID is the server's; the
 * client's is empty (not listed). The client's short headers use it, then
 * a new DCID (a change), again (none), and the first one again (a change).
 */
static void
test_cids(void)
{
	static uint8_t c1[1500], s1[200];
	size_t n1 = pm_test_unhex(v1_client, c1, sizeof(c1));
	size_t ns = pm_test_unhex(v1_server, s1, sizeof(s1));
	static const uint8_t srv[8] = { 0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5 };
	static const uint8_t other[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pcapbuf b;
	static struct pm_analysis a;
	pb_start(&b);
	pb_udp_data(&b, 0x0a000001, 0x0a000002, 5000, 443, c1, n1);
	pb_udp_data(&b, 0x0a000002, 0x0a000001, 443, 5000, s1, ns);
	short_pkt(&b, 0x0a000001, 0x0a000002, 5000, 443, srv);
	short_pkt(&b, 0x0a000001, 0x0a000002, 5000, 443, other);
	short_pkt(&b, 0x0a000001, 0x0a000002, 5000, 443, other);
	short_pkt(&b, 0x0a000001, 0x0a000002, 5000, 443, srv);
	if (!run_crafted(&a, &b, PM_AN_BIT(QUIC))) {
		return;
	}
	const struct pm_quic_conn *c = conn_of(pm_an_quic(&a), 0x0a000001);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_EQ(c->cids[PM_DIR_C2S].n, 0);
		CHECK_EQ(c->cids[PM_DIR_S2C].n, 1);
		CHECK_EQ(c->cids[PM_DIR_S2C].total, 1);
		CHECK(memcmp(c->cids[PM_DIR_S2C].id[0], srv, 8) == 0);
		CHECK_EQ(c->cids[PM_DIR_S2C].len[0], 8);
		CHECK_EQ(c->dcid_changes, 2);
	}
	pm_analysis_free(&a);
	pb_free(&b);
}

/* The first connection of a corpus capture, analysed into *a; NULL without the corpus. */
static const struct pm_quic_conn *
corpus_conn(struct pm_analysis *a, const char *rel)
{
	const char *corpus = pm_test_corpus_dir();
	char path[4096];
	struct pm_error err;
	struct pm_analysis_opts o = { .analysers = PM_AN_BIT(QUIC) };
	if (corpus == NULL) {
		fprintf(stderr, "quic: no corpus, %s skipped\n", rel);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", corpus, rel);
	if (pm_analysis_run(a, path, &o, &err) != 0) {
		CHECK(!"a corpus capture does not analyse");
		return NULL;
	}
	const struct pm_quic_stats *q = pm_an_quic(a);
	CHECK(q->n_rows > 0);
	return q->n_rows > 0 ? &q->rows[0] : NULL;
}

/*
 * On the corpus: the draft-29 Retry of ndpi/pcap/quic-29.pcap (frame 2;
 * tshark -r F -Y "quic.long.packet_type == 3" -T fields -e quic.version
 * -e quic.bad_retry: 0xff00001d, no failure) verifies with draft-29's key;
 * in zeek/Traces/quic/quicv2-http3-443.pcap the client moves from the
 * server's Initial SCID cdc8b6e6 to e372f477 (frame 8; tshark's quic.dcid
 * of frame 7's short header) and the server from the client's 71b8f3f4 to
 * 8159d6ee (frame 10, by its bytes: tshark leaves quic.dcid empty there).
 */
static void
test_corpus_cids(void)
{
	static struct pm_analysis a;
	const struct pm_quic_conn *c = corpus_conn(&a, "ndpi/pcap/quic-29.pcap");
	if (c != NULL) {
		CHECK_EQ(c->version, 0xff00001du);
		CHECK(c->retry && c->retry_valid);
		CHECK_EQ(c->cids[PM_DIR_S2C].total, 2); /* the Retry's SCID, then the Initial's */
		pm_analysis_free(&a);
	}
	c = corpus_conn(&a, "zeek/Traces/quic/quicv2-http3-443.pcap");
	if (c != NULL) {
		CHECK_EQ(c->dcid_changes, 2);
		CHECK_EQ(c->cids[PM_DIR_C2S].total, 1);
		CHECK_EQ(c->cids[PM_DIR_S2C].total, 1);
		pm_analysis_free(&a);
	}
}

#define QUIC_TSV "tests/quic_expected.tsv"

/* Connections of q whose kind (version, dcid, scid, sni, alpn) is value. */
static uint64_t
count_of(const struct pm_quic_stats *q, const char *kind, const char *value)
{
	uint64_t n = 0;
	for (size_t i = 0; q != NULL && i < q->n_rows; i++) {
		const struct pm_quic_conn *c = &q->rows[i];
		char buf[2 * PM_QUIC_MAX_CID + 16];
		char cids[PM_QUIC_MAX_CIDS * (2 * PM_QUIC_MAX_CID + 1)];
		const char *have = buf;
		if (strcmp(kind, "version") == 0) {
			if (c->version == 0) {
				continue;
			}
			snprintf(buf, sizeof(buf), "0x%08x", (unsigned)c->version);
		} else if (strcmp(kind, "dcid") == 0) {
			pm_tls_hex(c->dcid, c->dcid_len, buf);
		} else if (strcmp(kind, "scid") == 0) {
			pm_tls_hex(c->scid, c->scid_len, buf);
		} else if (strcmp(kind, "client_cids") == 0 || strcmp(kind, "server_cids") == 0) {
			const struct pm_quic_cids *l = &c->cids[kind[0] == 's'];
			if (l->n == 0) {
				continue;
			}
			size_t o = 0;
			for (size_t j = 0; j < l->n; j++) {
				if (j != 0) {
					cids[o++] = ',';
				}
				pm_tls_hex(l->id[j], l->len[j], cids + o);
				o += 2 * (size_t)l->len[j];
			}
			have = cids;
		} else if (strcmp(kind, "sni") == 0) {
			have = c->sni;
		} else {
			have = c->alpn;
		}
		n += strcmp(have, value) == 0;
	}
	return n;
}

struct conf {
	size_t mismatches;
};

static void
check_row(char **f, size_t n, const struct pm_analysis *a, void *ctx)
{
	struct conf *c = ctx;
	if (n < 4) {
		return;
	}
	uint64_t expect = strtoull(f[3], NULL, 10);
	uint64_t got = count_of(pm_an_quic(a), f[1], f[2]);
	if (got == expect) {
		return;
	}
	fprintf(stderr, "quic: %s: %s %s: %llu, tshark %llu\n", f[0], f[1], f[2],
	        (unsigned long long)got, (unsigned long long)expect);
	c->mismatches++;
}

static void
test_conformance(void)
{
	struct conf c = { 0 };
	size_t skipped;
	size_t rows = pm_test_tsv_each(QUIC_TSV, 4, PM_AN_BIT(QUIC), check_row, &c, &skipped);
	fprintf(stderr, "quic conformance: %zu rows against tshark (%zu skipped), %zu mismatches\n",
	        rows, skipped, c.mismatches);
	CHECK(rows > 0 || skipped > 0);
	CHECK_EQ(c.mismatches, 0);
}

void test_quic(void);

void
test_quic(void)
{
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		test_keys(&vecs[i]);
		test_client_initial(&vecs[i]);
		test_server_and_retry(&vecs[i]);
	}
	test_vn_and_names();
	test_analyser();
	test_verdict();
	test_cids();
	test_corpus_cids();
	test_conformance();
}
