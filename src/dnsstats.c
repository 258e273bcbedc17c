/* SPDX-License-Identifier: MIT */
/*
 * dnsstats.c - the DNS analyser (row "dns"): each DNS, mDNS and LLMNR
 * message through pm_dns_parse, then into the transaction, name, base
 * domain, client, server and resolved-address tables, the type and rcode
 * counters, and the bounded packets sample. DNS over TCP is reassembled.
 */
#include "dnsstats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "analyser.h"
#include "analysis.h"
#include "cursor.h"
#include "decode.h"
#include "dns.h"
#include "flow.h"

/* Two-label public suffixes common enough to matter for base domains. */
static const char *const two_level[] = {
	"co.uk",  "org.uk", "ac.uk",  "gov.uk", "com.au", "net.au",       "org.au",   "edu.au",
	"co.jp",  "ne.jp",  "or.jp",  "ac.jp",  "co.nz",  "com.br",       "com.cn",   "net.cn",
	"org.cn", "co.in",  "co.za",  "com.mx", "com.tr", "co.kr",        "com.sg",   "com.hk",
	"com.tw", "com.ar", "com.ru", "co.il",  "com.ua", "in-addr.arpa", "ip6.arpa",
};

/* see dnsstats.h */
size_t
pm_dns_base_of(const char *name)
{
	size_t n = strlen(name), dots[3] = { 0 };
	size_t nd = 0;
	for (size_t i = n; i-- > 0 && nd < 3;) {
		if (name[i] == '.') {
			dots[nd++] = i;
		}
	}
	if (nd < 2) {
		return 0;
	}
	const char *last2 = name + dots[1] + 1;
	/* Every two-level suffix ends in a two-letter country code or "arpa". */
	size_t tld = n - dots[0] - 1;
	if (tld != 2 && tld != 4) {
		return dots[1] + 1;
	}
	for (size_t i = 0; i < PM_ARRAY_LEN(two_level); i++) {
		if (strcmp(last2, two_level[i]) == 0) {
			return nd < 3 ? 0 : dots[2] + 1;
		}
	}
	return dots[1] + 1;
}

/* see dnsstats.h */
double
pm_dns_entropy(const char *s, size_t n)
{
	unsigned count[256] = { 0 };
	for (size_t i = 0; i < n; i++) {
		count[(unsigned char)s[i]]++;
	}
	double h = 0;
	for (size_t i = 0; i < 256; i++) {
		if (count[i] != 0) {
			double p = (double)count[i] / (double)n;
			h -= p * log2(p);
		}
	}
	return h;
}

static void
type_add(struct pm_dns_types *t, uint16_t type)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].type == type) {
			t->v[i].count++;
			return;
		}
	}
	if (t->n == PM_DNS_MAX_TYPES) {
		t->other++;
		return;
	}
	t->v[t->n].type = type;
	t->v[t->n++].count = 1;
}

static const char *
copy(struct pm_dns_stats *s, const char *p, size_t n)
{
	char *c = pm_arena_strndup(&s->arena, p, n);
	if (c == NULL) {
		s->approximate = true;
	}
	return c;
}

static struct pm_dns_host *
host(struct pm_dns_stats *s, struct pm_table *t, const uint8_t *addr, uint8_t ipver)
{
	struct pm_addr_key k = pm_addr_key_of(addr, ipver);
	uint64_t tag = pm_table_tag(t, &k);
	bool is_new;
	struct pm_dns_host *h = pm_table_upsert_max_tag(t, &k, tag, PM_DNS_MAX_HOSTS, &is_new);
	if (h == NULL) {
		s->approximate = true;
	} else if (is_new) {
		h->tag = tag;
	}
	return h;
}

/*
 * A server's record: a network has a few resolvers, each the server of many
 * flows, so the last record seen per slot of a small cache answers most.
 */
static struct pm_dns_host *
server_host(struct pm_dns_stats *s, const uint8_t *addr, uint8_t ipver)
{
	size_t last = ipver == 4 ? 3 : 15;
	struct pm_dns_server_memo *c =
	    &s->server_memo[(addr[last] ^ addr[last - 1]) % PM_ARRAY_LEN(s->server_memo)];
	if (c->h == NULL || c->ipver != ipver || memcmp(c->addr, addr, 16) != 0) {
		struct pm_dns_host *h = host(s, &s->servers, addr, ipver);
		if (h == NULL) {
			return NULL;
		}
		memcpy(c->addr, addr, 16);
		c->ipver = ipver;
		c->h = h;
	}
	return c->h;
}

/*
 * The client's record in clients and the server's in servers, from the
 * memo when this pair's flow looked them up before; *c or *sv is NULL when
 * its table was full.
 */
static struct pm_peer_memo_slot *
peers(struct pm_dns_stats *s, const struct pm_pass_pkt *pp, const uint8_t *client,
      const uint8_t *server, struct pm_dns_host **c, struct pm_dns_host **sv)
{
	uint8_t v = pp->pkt->ipver;
	struct pm_peer_memo_slot *m = pm_peer_memo_get(&s->memo, pp->flow, client, server, v);
	if (m->v[0] == NULL) {
		m->v[0] = host(s, &s->clients, client, v);
	}
	if (m->v[1] == NULL) {
		m->v[1] = server_host(s, server, v);
	}
	*c = m->v[0];
	*sv = m->v[1];
	return m;
}

/* The memo's last transaction of this pair (v[2]) when it is the one k names. */
static struct pm_dns_txn *
memo_txn(const struct pm_peer_memo_slot *m, const struct pm_dns_txn_key *k)
{
	struct pm_dns_txn *t = m->v[2];
	return t != NULL && t->k_qhash == k->qhash && t->k_id == k->id && t->k_cport == k->cport &&
	               t->k_qtype == k->qtype && t->k_proto == k->proto
	           ? t
	           : NULL;
}

/*
 * The tag of transaction key k in txns: derived from its client's record
 * (whose tag covers the address and version) and its name hash, or, when the
 * clients table was full, the key's own hash. A client is in the table from
 * its first message on or never (short of a failed allocation), so a
 * transaction's tag never changes.
 */
static uint64_t
txn_tag(const struct pm_dns_stats *s, const struct pm_dns_host *client,
        const struct pm_dns_txn_key *k)
{
	if (client == NULL) {
		return pm_table_tag(&s->txns, k);
	}
	return pm_table_derive(client->tag ^ k->qhash, (uint64_t)k->id | (uint64_t)k->cport << 16 |
	                                                   (uint64_t)k->qtype << 32 |
	                                                   (uint64_t)k->proto << 48);
}

/* Upsert into a table keyed by a name hash, which is its own tag (no second hash). */
static void *
by_hash(struct pm_dns_stats *s, struct pm_table *t, uint64_t h, size_t max, bool *is_new)
{
	void *v = pm_table_upsert_max_tag(t, &h, h | 1, max, is_new);
	if (v == NULL) {
		s->approximate = true;
	}
	return v;
}

/* Label facts of a new name, into its base domain. */
static void
label_facts(struct pm_dns_base *b, const char *name, size_t n)
{
	bool is_long = false, entropic = false;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && name[i] != '.') {
			continue;
		}
		size_t len = i - start;
		if (len > b->max_label) {
			b->max_label = (uint32_t)len;
		}
		is_long |= len >= PM_DNS_LONG_LABEL;
		entropic |= len >= PM_DNS_ENTROPY_LABEL &&
		            pm_dns_entropy(name + start, len) >= PM_DNS_HIGH_ENTROPY;
		start = i + 1;
	}
	b->long_labels += is_long;
	b->high_entropy += entropic;
}

static struct pm_dns_base *
base(struct pm_dns_stats *s, const char *name, size_t n)
{
	size_t at = pm_dns_base_of(name);
	bool is_new;
	struct pm_dns_base *b =
	    by_hash(s, &s->bases, pm_hash(name + at, n - at), PM_DNS_MAX_NAMES, &is_new);
	if (b == NULL) {
		return NULL;
	}
	if (is_new) {
		b->name = copy(s, name + at, n - at);
	}
	return b;
}

/*
 * The name record of a lower-cased question name with its hash h,
 * counting a new one into its base.
 */
static struct pm_dns_name *
name_rec(struct pm_dns_stats *s, const char *lc, size_t n, uint64_t h)
{
	bool is_new;
	struct pm_dns_name *nm = by_hash(s, &s->names, h, PM_DNS_MAX_NAMES, &is_new);
	if (nm == NULL) {
		return NULL;
	}
	if (is_new) {
		nm->name = copy(s, lc, n);
		nm->base = base(s, lc, n);
		if (nm->base != NULL) {
			nm->base->names++;
			label_facts(nm->base, lc, n);
			if (n > nm->base->max_name) {
				nm->base->max_name = (uint32_t)n;
				nm->base->example = nm->name;
			}
		}
	}
	return nm;
}

static void
rdata_text(const struct pm_dns_rr *rr, char *out, size_t cap)
{
	out[0] = '\0';
	switch (rr->type) {
	case PM_DNS_TYPE_A:
	case PM_DNS_TYPE_AAAA:
		break; /* kept as bytes; the view formats them */
	case PM_DNS_TYPE_MX:
	case PM_DNS_TYPE_SVCB:
	case PM_DNS_TYPE_HTTPS:
		snprintf(out, cap, "%u %s", rr->pref, rr->target);
		break;
	case PM_DNS_TYPE_SRV:
		snprintf(out, cap, "%u %u %u %s", rr->pref, rr->weight, rr->port, rr->target);
		break;
	case PM_DNS_TYPE_SOA:
		snprintf(out, cap, "%s %u", rr->target, rr->serial);
		break;
	case PM_DNS_TYPE_TXT:
	case PM_DNS_TYPE_CAA:
		if (rr->txt != NULL) {
			size_t l = rr->txt_len < cap - 1 ? rr->txt_len : cap - 1;
			memcpy(out, rr->txt, l);
			out[l] = '\0';
		}
		break;
	default:
		snprintf(out, cap, "%s", rr->target);
		break;
	}
}

static void
sample(struct pm_dns_stats *s, const struct pm_pkt *p, const struct pm_dns_msg *m, uint8_t rcode)
{
	if (s->n_samples == PM_DNS_MAX_SAMPLES) {
		return;
	}
	if (s->samples == NULL) {
		s->samples = malloc(PM_DNS_MAX_SAMPLES * sizeof(*s->samples));
		if (s->samples == NULL) {
			s->approximate = true;
			return;
		}
	}
	struct pm_dns_sample *d = &s->samples[s->n_samples++];
	memset(d, 0, sizeof(*d));
	d->ts = p->ts_ns;
	d->number = s->messages;
	memcpy(d->src, p->src, 16);
	memcpy(d->dst, p->dst, 16);
	d->ipver = p->ipver;
	d->proto = p->proto;
	d->sport = p->sport;
	d->dport = p->dport;
	d->id = m->id;
	d->flags = m->flags;
	d->qdcount = m->qdcount;
	d->ancount = m->ancount;
	d->rcode = rcode;
	d->bad = m->bad;
	if (m->nq != 0) {
		d->qname = copy(s, m->q[0].name, strlen(m->q[0].name));
		d->qtype = m->q[0].qtype;
		d->qclass = m->q[0].qclass;
	}
	for (size_t i = 0; i < m->nrr && d->n_rr < PM_DNS_SAMPLE_RR; i++) {
		const struct pm_dns_rr *rr = &m->rr[i];
		if (rr->section != PM_DNS_SEC_AN) {
			break;
		}
		char text[PM_DNS_MAX_NAME + 32];
		rdata_text(rr, text, sizeof(text));
		struct pm_dns_sample_rr *o = &d->rr[d->n_rr++];
		/* an answer's owner is most often the question's name: one copy for both */
		o->name = d->qname != NULL && strcmp(rr->name, m->q[0].name) == 0
		              ? d->qname
		              : copy(s, rr->name, strlen(rr->name));
		o->data = text[0] != '\0' ? copy(s, text, strlen(text)) : NULL;
		memcpy(o->addr, rr->addr, sizeof(o->addr));
		o->type = rr->type;
		o->rclass = rr->rclass;
		o->ttl = rr->ttl;
	}
}

/*
 * The resolved-table tags of m's A/AAAA answers, into tags[] by record
 * index, their slots asked for: each address is a miss of its own.
 */
static void
answer_tags(const struct pm_dns_stats *s, const struct pm_dns_msg *m, uint64_t tags[PM_DNS_MAX_RR])
{
	for (size_t i = 0; i < m->nrr && m->rr[i].section == PM_DNS_SEC_AN; i++) {
		const struct pm_dns_rr *rr = &m->rr[i];
		if (rr->type == PM_DNS_TYPE_A || rr->type == PM_DNS_TYPE_AAAA) {
			struct pm_addr_key k =
			    pm_addr_key_of(rr->addr, rr->type == PM_DNS_TYPE_A ? 4 : 6);
			tags[i] = pm_table_tag(&s->resolved, &k);
			pm_table_prefetch(&s->resolved, tags[i]);
		}
	}
}

/*
 * Answers: type distribution, TTLs and the addresses they resolve (slots
 * asked for by answer_tags), to the lower-cased question name qname (its
 * record nm, whose copy they share, or NULL) or, without a question, to
 * each answer's owner.
 */
static void
answers(struct pm_dns_stats *s, const struct pm_dns_msg *m, const char *qname,
        const struct pm_dns_name *nm, const uint64_t tags[PM_DNS_MAX_RR])
{
	s->answers += m->rr_seen[PM_DNS_SEC_AN];
	for (size_t i = 0; i < m->nrr; i++) {
		const struct pm_dns_rr *rr = &m->rr[i];
		if (rr->section != PM_DNS_SEC_AN) {
			break;
		}
		type_add(&s->atypes, rr->type);
		if (s->ttl_n++ == 0 || rr->ttl < s->ttl_min) {
			s->ttl_min = rr->ttl;
		}
		s->ttl_max = rr->ttl > s->ttl_max ? rr->ttl : s->ttl_max;
		s->ttl_sum += rr->ttl;
		if (rr->type != PM_DNS_TYPE_A && rr->type != PM_DNS_TYPE_AAAA) {
			continue;
		}
		struct pm_addr_key k = pm_addr_key_of(rr->addr, rr->type == PM_DNS_TYPE_A ? 4 : 6);
		bool is_new;
		struct pm_dns_resolved *r =
		    pm_table_upsert_max_tag(&s->resolved, &k, tags[i], PM_DNS_MAX_HOSTS, &is_new);
		if (r == NULL) {
			s->approximate = true;
			continue;
		}
		r->names++;
		const char *name = qname[0] != '\0' ? qname : rr->name;
		const char *kept = qname[0] != '\0' && nm != NULL ? nm->name : NULL;
		size_t j = 0;
		while (j < r->n_name && r->name[j] != kept && strcmp(r->name[j], name) != 0) {
			j++;
		}
		if (j == r->n_name && j < PM_DNS_ADDR_NAMES &&
		    (r->name[j] = kept != NULL ? kept : copy(s, name, strlen(name))) != NULL) {
			r->n_name++;
		}
	}
}

/*
 * dst = src lower-cased (ASCII letters only), *n its length: eight bytes at a
 * time, a byte's high bit marking 'A' <= its low seven bits <= 'Z' when it
 * is ASCII, then the 0x20 bit set where marked.
 */
static void
lower(char *dst, const char *src, size_t *n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	size_t len = strlen(src), i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, src + i, 8);
		uint64_t low7 = w & (0x7F * ones);
		uint64_t ge_a = low7 + (0x80 - 'A') * ones; /* no carry: at most 0xBE */
		uint64_t gt_z = low7 + (0x7F - 'Z') * ones;
		w |= ((ge_a ^ gt_z) & ~w & (0x80 * ones)) >> 2;
		memcpy(dst + i, &w, 8);
	}
	for (; i < len; i++) {
		char ch = src[i];
		dst[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
	}
	dst[len] = '\0';
	*n = len;
}

/* The client's and the server's records of a message, from peers(), and their memo slot. */
struct dns_peers {
	struct pm_peer_memo_slot *memo;
	struct pm_dns_host *client, *server; /* NULL when that table was full */
};

/* Query side: the transaction, its name, its client and server. */
static void
query(struct pm_dns_stats *s, const struct pm_pass_pkt *pp, const struct pm_dns_txn_key *k,
      struct pm_dns_name *nm, int32_t qtype, bool match, const struct dns_peers *pe, uint64_t tag)
{
	const struct pm_pkt *p = pp->pkt;
	s->queries++;
	if (qtype >= 0) {
		type_add(&s->qtypes, (uint16_t)qtype);
	}
	if (nm != NULL) {
		nm->queries++;
		if (nm->base != NULL) {
			nm->base->queries++;
			nm->base->txt += qtype == PM_DNS_TYPE_TXT;
		}
	}
	if (pe->client != NULL) {
		pe->client->queries++;
	}
	if (pe->server != NULL) {
		pe->server->queries++;
	}
	if (!match) {
		return;
	}
	bool is_new;
	struct pm_dns_txn *t = pm_table_upsert_max_tag(&s->txns, k, tag, PM_DNS_MAX_TXNS, &is_new);
	if (t == NULL) {
		s->approximate = true;
		return;
	}
	if (is_new) {
		memcpy(t->server, p->dst, 16);
		t->sport = p->dport;
		t->qtype = (uint16_t)qtype;
		t->t_query = p->ts_ns;
		t->qname = nm;
		t->k_qhash = k->qhash;
		t->k_id = k->id;
		t->k_cport = k->cport;
		t->k_qtype = k->qtype;
		t->k_proto = k->proto;
	} else {
		s->retransmits++;
	}
	t->queries++;
	pe->memo->v[2] = t;
}

static void
rtt(struct pm_dns_stats *s, double secs)
{
	if (s->rtt_n++ == 0 || secs < s->rtt_min) {
		s->rtt_min = secs;
	}
	s->rtt_max = secs > s->rtt_max ? secs : s->rtt_max;
	s->rtt_sum += secs;
}

/* Response side: match it, count its rcode for the name, client and server. */
static void
response(struct pm_dns_stats *s, const struct pm_pass_pkt *pp, const struct pm_dns_txn_key *k,
         struct pm_dns_name *nm, unsigned rcode, bool match, const struct dns_peers *pe)
{
	const struct pm_pkt *p = pp->pkt;
	s->responses++;
	s->rcodes[rcode & 0xF]++;
	if (nm != NULL) {
		nm->responses++;
		nm->nxdomain += rcode == PM_DNS_RCODE_NXDOMAIN;
	}
	struct pm_dns_host *hs[2] = { pe->client, pe->server };
	for (int i = 0; i < 2; i++) {
		if (hs[i] != NULL) {
			hs[i]->responses++;
			hs[i]->nxdomain += rcode == PM_DNS_RCODE_NXDOMAIN;
			hs[i]->servfail += rcode == PM_DNS_RCODE_SERVFAIL;
			hs[i]->refused += rcode == PM_DNS_RCODE_REFUSED;
		}
	}
	if (!match) {
		return;
	}
	struct pm_dns_txn *t = memo_txn(pe->memo, k);
	if (t == NULL) {
		t = pm_table_find_tag(&s->txns, k, txn_tag(s, pe->client, k));
	}
	if (t == NULL) {
		s->unmatched++;
		return;
	}
	if (memcmp(t->server, p->src, 16) != 0) {
		t->spoofed++;
		s->spoofed++;
		return;
	}
	if (t->responses++ == 0) {
		t->t_response = p->ts_ns;
		t->rcode = (uint8_t)rcode;
		rtt(s, (double)(p->ts_ns - t->t_query) / 1e9);
		s->matched++;
	}
}

static void
message(struct pm_dns_stats *s, const struct pm_pass_pkt *pp, const uint8_t *b, size_t n)
{
	const struct pm_pkt *p = pp->pkt;
	struct pm_dns_msg m;
	int rc = pm_dns_parse(b, n, &m);
	if (rc == PM_E_TRUNC && n < PM_DNS_HDR) {
		s->truncated++;
		return;
	}
	s->messages++;
	s->truncated += rc == PM_E_TRUNC;
	if (rc == PM_E_MALFORMED) {
		s->malformed++;
		s->bad[m.bad & 7]++;
	}
	s->tcp += p->proto == PM_IPPROTO_TCP;
	s->udp += p->proto == PM_IPPROTO_UDP;
	s->mdns += pp->app == PM_APP_MDNS;
	s->llmnr += pp->app == PM_APP_LLMNR;
	if (m.edns.present) {
		s->edns++;
		s->edns_do += m.edns.do_bit;
		s->ecs += m.edns.has_ecs;
	}
	unsigned rcode = pm_dns_rcode(m.flags);
	char lc[PM_DNS_MAX_NAME + 1];
	lc[0] = '\0'; /* lower() writes the rest; no 256-byte clear per message */
	size_t ln = 0;
	struct pm_dns_name *nm = NULL;
	uint64_t h = 0; /* the name is hashed once: its record's key and the transaction's */
	if (m.nq != 0) {
		lower(lc, m.q[0].name, &ln);
		h = pm_hash(lc, ln);
	}
	struct pm_dns_txn_key k;
	memset(&k, 0, sizeof(k));
	k.id = m.id;
	k.ipver = p->ipver;
	k.proto = p->proto;
	uint16_t qtype = m.nq != 0 ? m.q[0].qtype : 0;
	k.qhash = h;
	k.qtype = qtype;
	/* mDNS answers go to the group, usually without the question: nothing to match. */
	bool match = pp->app != PM_APP_MDNS;
	bool is_query = (m.flags & PM_DNS_QR) == 0;
	/* the client sent a query and receives a response */
	memcpy(k.client, is_query ? p->src : p->dst, 16);
	k.cport = is_query ? p->sport : p->dport;
	struct dns_peers pe;
	pe.memo = peers(s, pp, k.client, is_query ? p->dst : p->src, &pe.client, &pe.server);
	/*
	 * The name's slot, the transaction's (a query's slot, a response's record
	 * when the memo holds it) and a response's answers' slots are independent
	 * misses: ask for all of them before using any.
	 */
	uint64_t tag = 0, tags[PM_DNS_MAX_RR];
	if (m.nq != 0) {
		pm_table_prefetch(&s->names, h | 1);
	}
	if (is_query && match) {
		tag = txn_tag(s, pe.client, &k);
		pm_table_prefetch(&s->txns, tag);
	} else if (!is_query) {
		if (pe.memo->v[2] != NULL) {
			__builtin_prefetch(pe.memo->v[2]);
		}
		answer_tags(s, &m, tags);
	}
	if (m.nq != 0) {
		nm = name_rec(s, lc, ln, h);
	}
	if (is_query) {
		query(s, pp, &k, nm, m.nq != 0 ? qtype : -1, match, &pe, tag);
	} else {
		s->tc_responses += (m.flags & PM_DNS_TC) != 0;
		response(s, pp, &k, nm, rcode, match, &pe);
		answers(s, &m, lc, nm, tags);
	}
	sample(s, p, &m, (uint8_t)(rcode | (unsigned)m.edns.ext_rcode << 4));
}

/* DNS over TCP: one flow's two directions, reassembled (kept in the flow record). */
struct dns_tcp {
	struct pm_flow_state link; /* first: the analyser's list */
	struct pm_reasm_dir d[2];  /* by PM_DIR_* */
	bool open[2];              /* the direction may still get bytes */
};

/* What tcp_messages needs besides the bytes. */
struct dns_tcp_parse {
	struct pm_dns_stats *s;
	const struct pm_pass_pkt *pp;
};

/*
 * see pm_reasm_parse_fn: the whole messages of one direction, each after its
 * length (RFC 1035 §4.2.2, RFC 7766 §8).
 */
static size_t
tcp_messages(void *ctx, const uint8_t *p, size_t n, uint64_t at)
{
	(void)at;
	struct dns_tcp_parse *x = ctx;
	size_t done = 0;
	for (unsigned i = 0; i < 4096; i++) {
		struct pm_cur c = pm_cur_init(p + done, n - done);
		if (pm_cur_left(&c) < 2) {
			break;
		}
		uint16_t len = pm_cur_be16(&c);
		if (pm_cur_left(&c) < len) {
			break; /* the rest is still to come */
		}
		message(x->s, x->pp, c.buf + c.off, len);
		done += 2 + (size_t)len;
	}
	return done;
}

/* A direction stopped taking bytes: held bytes of a message never completed count. */
static void
tcp_close(struct pm_dns_stats *s, struct dns_tcp *f, int dir)
{
	if (f->open[dir]) {
		f->open[dir] = false;
		uint8_t st = f->d[dir].state;
		s->tcp_incomplete += pm_reasm_cur(&f->d[dir]).len != 0 || st == PM_REASM_GAP ||
		                     st == PM_REASM_FULL || st == PM_REASM_CAPPED;
		pm_reasm_release(&s->pool, &f->d[dir]);
	}
}

static void
tcp_segment(struct pm_dns_stats *s, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	struct dns_tcp *f = pm_flow_state_get(pp, PM_AN_DNS);
	if (f == NULL) {
		if (pp->flow == NULL) {
			s->tcp_dropped += p->payload_len != 0; /* the flow table was full */
			return;
		}
		if (pm_reasm_no_payload_yet(pp)) {
			return;
		}
		f = pm_flow_state_new(&s->tcp_live, pp, PM_AN_DNS, sizeof(*f),
		                      PM_DNS_MAX_TCP_STATE / sizeof(*f), &s->tcp_dropped);
		if (f == NULL) {
			return;
		}
		f->open[0] = f->open[1] = true;
		pm_reasm_begin_flow(f->d, pp);
	}
	int dir = pp->dir, other = 1 - dir;
	if ((p->tcp_flags & PM_TCP_ACK) != 0 && f->open[other]) {
		pm_reasm_ack(&s->pool, &f->d[other], p->ack);
	}
	if (f->open[dir]) {
		uint64_t before = f->d[dir].consumed;
		size_t held = pm_reasm_cur(&f->d[dir]).len;
		uint64_t msgs = s->messages;
		struct dns_tcp_parse x = { s, pp };
		if (pm_reasm_feed(&s->pool, &f->d[dir], p->seq, p->tcp_flags, p->payload,
		                  p->payload_len, tcp_messages, &x)) {
			/* messages completed after their start waited for this segment */
			s->tcp_split +=
			    held != 0 && (s->messages != msgs || f->d[dir].consumed != before);
		}
	}
	for (int d = 0; d < 2; d++) {
		if (f->open[d] && !pm_reasm_open(&f->d[d])) {
			tcp_close(s, f, d);
		}
	}
	if (!f->open[0] && !f->open[1]) {
		pm_flow_state_done(&s->tcp_live, pp, PM_AN_DNS, f);
	}
}

/* The end of the capture: every DNS-over-TCP direction still open ends there. */
static void
tcp_finish(struct pm_dns_stats *s)
{
	struct dns_tcp *f;
	while ((f = pm_flow_state_pop(&s->tcp_live)) != NULL) {
		for (int d = 0; d < 2; d++) {
			if (f->open[d]) {
				pm_reasm_close(&s->pool, &f->d[d]);
			}
			tcp_close(s, f, d);
		}
		free(f);
	}
	pm_flow_states_free(&s->tcp_live);
}

static void
dns_observe(void *st, const struct pm_pass_pkt *pp)
{
	struct pm_dns_stats *s = st;
	const struct pm_pkt *p = pp->pkt;
	uint64_t before = s->messages;
	if (p->proto == PM_IPPROTO_TCP) {
		tcp_segment(s, pp);
		s->packets += s->messages != before;
		return;
	}
	if (p->payload == NULL || p->payload_len == 0) {
		return;
	}
	if (p->proto == PM_IPPROTO_UDP) {
		message(s, pp, p->payload, p->payload_len);
	}
	s->packets += s->messages != before;
}

static int
dns_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_dns_stats *s = st;
	size_t max = o->max_table_bytes;
	s->pool.window = o->reasm_window;       /* 0: PM_REASM_WINDOW */
	s->pool.max_bytes = o->reasm_max_bytes; /* 0: PM_REASM_POOL_MAX */
	pm_table_init(&s->txns, sizeof(struct pm_dns_txn_key), sizeof(struct pm_dns_txn), max);
	pm_table_init(&s->names, 8, sizeof(struct pm_dns_name), max);
	pm_table_init(&s->bases, 8, sizeof(struct pm_dns_base), max);
	pm_table_init(&s->clients, sizeof(struct pm_addr_key), sizeof(struct pm_dns_host), max);
	pm_table_init(&s->servers, sizeof(struct pm_addr_key), sizeof(struct pm_dns_host), max);
	pm_table_init(&s->resolved, sizeof(struct pm_addr_key), sizeof(struct pm_dns_resolved),
	              max);
	pm_arena_init(&s->arena, PM_DNS_ARENA_MAX);
	return 0;
}

static void
dns_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_dns_stats *s = st;
	tcp_finish(s);
	size_t pos = 0;
	void *v;
	const struct pm_dns_txn_key *k;
	while ((k = pm_table_next(&s->txns, &pos, &v)) != NULL) {
		const struct pm_dns_txn *t = v;
		if (t->responses != 0) {
			continue;
		}
		s->unanswered++;
		struct pm_addr_key hk = pm_addr_key_of(k->client, k->ipver);
		struct pm_dns_host *c = pm_table_find(&s->clients, &hk);
		if (c != NULL) {
			c->unanswered++;
		}
	}
	const struct pm_table *ts[] = { &s->txns,    &s->names,   &s->bases,
		                        &s->clients, &s->servers, &s->resolved };
	for (size_t i = 0; i < PM_ARRAY_LEN(ts); i++) {
		s->approximate |= ts[i]->dropped != 0;
	}
}

static void
dns_free(void *st)
{
	struct pm_dns_stats *s = st;
	tcp_finish(s);
	pm_table_free(&s->txns);
	pm_table_free(&s->names);
	pm_table_free(&s->bases);
	pm_table_free(&s->clients);
	pm_table_free(&s->servers);
	pm_table_free(&s->resolved);
	pm_arena_free(&s->arena);
	free(s->samples);
}

static size_t
dns_mem(const void *st)
{
	const struct pm_dns_stats *s = st;
	return sizeof(*s) + s->txns.bytes + s->names.bytes + s->bases.bytes + s->clients.bytes +
	       s->servers.bytes + s->resolved.bytes + s->arena.total + s->pool.bytes +
	       s->tcp_live.n * sizeof(struct dns_tcp) +
	       (s->samples != NULL ? PM_DNS_MAX_SAMPLES * sizeof(*s->samples) : 0);
}

/* see dnsstats.h */
const char *
pm_dns_name_of(const struct pm_dns_stats *s, const uint8_t addr[16], uint8_t ipver)
{
	struct pm_addr_key k = pm_addr_key_of(addr, ipver);
	const struct pm_dns_resolved *r = pm_table_find(&s->resolved, &k);
	return r != NULL && r->n_name != 0 ? r->name[0] : NULL;
}

/* see dnsstats.h */
size_t
pm_dns_names_of(const struct pm_dns_stats *s, const uint8_t addr[16], uint8_t ipver,
                const char **out, size_t max)
{
	struct pm_addr_key k = pm_addr_key_of(addr, ipver);
	const struct pm_dns_resolved *r = pm_table_find(&s->resolved, &k);
	size_t n = 0;
	for (; r != NULL && n < r->n_name && n < max; n++) {
		out[n] = r->name[n];
	}
	return n;
}

const struct pm_analyser pm_analyser_dns = {
	.name = "dns",
	.state_size = sizeof(struct pm_dns_stats),
	.after = PM_AN_BIT(FLOWS), /* packets reach it through the flow labels */
	.want = { .classes = PM_WANT_UDP | PM_WANT_TCP,
	          .apps = UINT64_C(1) << PM_APP_DNS | UINT64_C(1) << PM_APP_MDNS |
	                  UINT64_C(1) << PM_APP_LLMNR },
	.init = dns_init,
	.observe = dns_observe,
	.finish = dns_finish,
	.free = dns_free,
	.mem = dns_mem,
};
