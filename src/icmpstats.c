/* SPDX-License-Identifier: MIT */
/*
 * icmpstats.c - the ICMP analyser (row "icmp"): each ICMP/ICMPv6 message
 * through pm_icmp_parse, then into the counters and tables of icmpstats.h.
 */
#include "icmpstats.h"

#include <stdlib.h>
#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "cursor.h"
#include "decode.h"

static void *
upsert(struct pm_icmp_stats *s, struct pm_table *t, const void *key, size_t cap, bool *is_new)
{
	void *v = pm_table_upsert_max(t, key, cap, is_new);
	if (v == NULL) {
		s->approximate = true;
	}
	return v;
}

/* The memo slot of this packet's address pair, a the flow key's side a; *fwd: src is a. */
static struct pm_peer_memo_slot *
memo_of(struct pm_icmp_stats *s, const struct pm_pass_pkt *pp, bool *fwd)
{
	const struct pm_pkt *p = pp->pkt;
	*fwd = pp->kdir == 0;
	return pm_peer_memo_get(&s->memo, pp->flow, *fwd ? p->src : p->dst, *fwd ? p->dst : p->src,
	                        p->ipver);
}

/* Memo entry i, looked up in t by key when not there yet. */
static void *
memo_upsert(struct pm_icmp_stats *s, struct pm_peer_memo_slot *ms, unsigned i, struct pm_table *t,
            const void *key)
{
	if (ms->v[i] == NULL) {
		bool is_new;
		ms->v[i] = upsert(s, t, key, PM_ICMP_MAX_HOSTS, &is_new);
	}
	return ms->v[i];
}

/* The pair record for memo entry i, its tag kept in it. */
static struct pm_icmp_pair *
pair_of(struct pm_icmp_stats *s, struct pm_peer_memo_slot *ms, unsigned i,
        const struct pm_icmp_pair_key *k)
{
	if (ms->v[i] == NULL) {
		uint64_t tag = pm_table_tag(&s->pairs, k);
		bool is_new;
		struct pm_icmp_pair *p =
		    pm_table_upsert_max_tag(&s->pairs, k, tag, PM_ICMP_MAX_HOSTS, &is_new);
		s->approximate |= p == NULL;
		if (p != NULL && is_new) {
			p->tag = tag;
		}
		ms->v[i] = p;
	}
	return ms->v[i];
}

static void
count_addr(struct pm_icmp_stats *s, struct pm_peer_memo_slot *ms, unsigned i, struct pm_table *t,
           const uint8_t *addr, uint8_t ipver)
{
	struct pm_addr_key k = pm_addr_key_of(addr, ipver);
	uint64_t *n = memo_upsert(s, ms, i, t, &k);
	if (n != NULL) {
		(*n)++;
	}
}

static void
echo(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m, bool request,
     struct pm_peer_memo_slot *ms, bool fwd)
{
	struct pm_icmp_echo_key k;
	memset(&k, 0, sizeof(k));
	memcpy(k.requester, request ? p->src : p->dst, 16);
	memcpy(k.responder, request ? p->dst : p->src, 16);
	k.id = m->id;
	k.seq = m->seq;
	k.ipver = p->ipver;
	struct pm_icmp_pair_key pk;
	memset(&pk, 0, sizeof(pk));
	memcpy(pk.requester, k.requester, 16);
	memcpy(pk.responder, k.responder, 16);
	pk.ipver = p->ipver;
	struct pm_icmp_id_key ik = { .id = m->id, .ipver = p->ipver };
	bool is_new;
	/* the whole id key is 24 bits: a derived tag is exact and costs no SipHash */
	uint64_t id_tag = pm_table_derive(s->ids_tag, m->id | p->ipver << 16);
	pm_table_prefetch(&s->ids, id_tag);
	/* The requester is side a when a request goes forward or a reply goes back. */
	struct pm_icmp_pair *pair = pair_of(s, ms, request == fwd ? 4 : 5, &pk);
	/*
	 * An echo's tag derives from its pair's (a pair is in the table from its
	 * first echo on or never, short of a failed allocation), else its own hash.
	 */
	uint64_t tag = pair != NULL ? pm_table_derive(pair->tag, (uint64_t)m->id << 16 | m->seq)
	                            : pm_table_tag(&s->echoes, &k);
	pm_table_prefetch(&s->echoes, tag);
	struct pm_icmp_idc *idc =
	    pm_table_upsert_max_tag(&s->ids, &ik, id_tag, PM_ICMP_MAX_HOSTS, &is_new);
	s->approximate |= idc == NULL;
	if (request) {
		s->echo_requests++;
		if (pair != NULL) {
			pair->requests++;
		}
		if (idc != NULL) {
			idc->requests++;
		}
		struct pm_icmp_echo *e =
		    pm_table_upsert_max_tag(&s->echoes, &k, tag, PM_ICMP_MAX_ECHO, &is_new);
		s->approximate |= e == NULL;
		if (e != NULL) {
			if (is_new) {
				e->t_request = p->ts_ns;
			}
			e->requests++;
		}
		return;
	}
	s->echo_replies++;
	if (pair != NULL) {
		pair->replies++;
	}
	if (idc != NULL) {
		idc->replies++;
	}
	struct pm_icmp_echo *e = pm_table_find_tag(&s->echoes, &k, tag);
	if (e == NULL) {
		s->echo_unmatched_replies++;
		return;
	}
	if (e->replies++ == 0 && pair != NULL) {
		double rtt = (double)(p->ts_ns - e->t_request) / 1e9;
		if (pair->answered++ == 0 || rtt < pair->rtt_min) {
			pair->rtt_min = rtt;
		}
		pair->rtt_max = rtt > pair->rtt_max ? rtt : pair->rtt_max;
		pair->rtt_sum += rtt;
	}
}

static void
unreachable(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	struct pm_icmp_unreach_key k;
	memset(&k, 0, sizeof(k));
	memcpy(k.dst, m->inner.dst, 16);
	k.dport = m->inner.has_ports ? m->inner.dport : 0;
	k.proto = m->inner.proto;
	k.ipver = m->inner.ipver;
	k.code = m->code;
	bool is_new;
	struct pm_icmp_unreach *u = upsert(s, &s->unreach, &k, PM_ICMP_MAX_UNREACH, &is_new);
	if (u == NULL) {
		return;
	}
	if (is_new) {
		memcpy(u->reporter, p->src, 16);
		u->first = p->ts_ns;
	}
	u->count++;
}

static void
exceeded(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	struct pm_icmp_path_key k;
	memset(&k, 0, sizeof(k));
	memcpy(k.src, m->inner.src, 16);
	memcpy(k.dst, m->inner.dst, 16);
	k.ipver = m->inner.ipver;
	bool is_new;
	struct pm_icmp_path *path = upsert(s, &s->paths, &k, PM_ICMP_MAX_PATHS, &is_new);
	if (path == NULL) {
		return;
	}
	path->messages++;
	for (size_t i = 0; i < path->n_hops; i++) {
		if (memcmp(path->hops[i], p->src, 16) == 0) {
			return;
		}
	}
	if (path->n_hops < PM_ICMP_MAX_HOPS) {
		memcpy(path->hops[path->n_hops], p->src, 16);
		path->quoted_ttl[path->n_hops++] = m->inner.ttl;
	}
}

static void
redirect(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	struct pm_icmp_redir_key k;
	memset(&k, 0, sizeof(k));
	memcpy(k.router, p->src, 16);
	memcpy(k.gateway, m->gateway, 16);
	if (m->v6) {
		memcpy(k.dst, m->target, 16);
	} else if (m->has_inner) {
		memcpy(k.dst, m->inner.dst, 16);
	}
	k.ipver = p->ipver;
	k.code = m->code;
	bool is_new;
	struct pm_icmp_redir *r = upsert(s, &s->redirs, &k, PM_ICMP_MAX_REDIRS, &is_new);
	if (r != NULL) {
		if (is_new) {
			r->first = p->ts_ns;
		}
		r->count++;
	}
}

static void
router(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	struct pm_addr_key k = pm_addr_key_of(p->src, p->ipver);
	bool is_new;
	struct pm_icmp_router *r = upsert(s, &s->routers, &k, PM_ICMP_MAX_ROUTERS, &is_new);
	s->ra++;
	if (r == NULL) {
		return;
	}
	if (is_new) {
		r->first = p->ts_ns;
	}
	r->adverts++;
	r->lifetime = m->lifetime;
	r->hop_limit = m->hop_limit;
	r->flags = m->ra_flags;
	r->has_lladdr = m->has_lladdr;
	memcpy(r->lladdr, m->lladdr, 6);
	r->n_prefix = m->n_prefix;
	memcpy(r->prefix, m->prefix, sizeof(r->prefix));
}

static void
neighbour(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	static const uint8_t unspecified[16];
	struct pm_addr_key k = pm_addr_key_of(m->target, 6);
	bool is_new;
	if (m->type == PM_ICMP6_NS) {
		s->ns++;
		if (memcmp(p->src, unspecified, 16) != 0) {
			return;
		}
		s->dad_probes++;
		struct pm_icmp_dad *d = upsert(s, &s->dad, &k, PM_ICMP_MAX_DAD, &is_new);
		if (d != NULL) {
			d->probes++;
		}
		return;
	}
	s->na++;
	struct pm_icmp_dad *d = pm_table_find(&s->dad, &k);
	if (d != NULL) {
		d->defended++;
	}
}

static void
sample(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m)
{
	if (s->n_samples == PM_ICMP_MAX_SAMPLES) {
		return;
	}
	if (s->samples == NULL &&
	    (s->samples = malloc(PM_ICMP_MAX_SAMPLES * sizeof(*s->samples))) == NULL) {
		s->approximate = true;
		return;
	}
	struct pm_icmp_sample *d = &s->samples[s->n_samples++];
	memset(d, 0, sizeof(*d));
	d->ts = p->ts_ns;
	d->number = s->messages;
	memcpy(d->src, p->src, 16);
	memcpy(d->dst, p->dst, 16);
	d->ipver = p->ipver;
	d->ttl = p->ttl;
	d->size = p->wirelen;
	d->type = m->type;
	d->code = m->code;
	d->id = m->id;
	d->seq = m->seq;
	d->is_echo = m->v6 ? m->type == PM_ICMP6_ECHO || m->type == PM_ICMP6_ECHO_REPLY
	                   : m->type == PM_ICMP_ECHO || m->type == PM_ICMP_ECHO_REPLY;
	d->has_inner = m->has_inner;
	memcpy(d->inner_dst, m->inner.dst, 16);
	d->inner_proto = m->inner.proto;
	d->inner_dport = m->inner.has_ports ? m->inner.dport : 0;
}

static void
dispatch(struct pm_icmp_stats *s, const struct pm_pkt *p, const struct pm_icmp_msg *m,
         struct pm_peer_memo_slot *ms, bool fwd)
{
	bool v6 = m->v6;
	uint8_t t = m->type;
	if (t == (v6 ? PM_ICMP6_ECHO : PM_ICMP_ECHO) ||
	    t == (v6 ? PM_ICMP6_ECHO_REPLY : PM_ICMP_ECHO_REPLY)) {
		echo(s, p, m, t == (v6 ? PM_ICMP6_ECHO : PM_ICMP_ECHO), ms, fwd);
	} else if (m->has_inner && t == (v6 ? PM_ICMP6_UNREACH : PM_ICMP_UNREACH_T)) {
		unreachable(s, p, m);
	} else if (m->has_inner && t == (v6 ? PM_ICMP6_TIME_EXCEEDED : PM_ICMP_TIME_EXCEEDED) &&
	           m->code == 0) {
		exceeded(s, p, m);
	} else if (t == (v6 ? PM_ICMP6_REDIRECT : PM_ICMP_REDIRECT)) {
		s->redirects++;
		redirect(s, p, m);
	} else if (t == (v6 ? PM_ICMP6_RA : PM_ICMP_ROUTER_ADV)) {
		router(s, p, m);
	} else if (v6 && (t == PM_ICMP6_NS || t == PM_ICMP6_NA)) {
		neighbour(s, p, m);
	} else if (v6 && t == PM_ICMP6_RS) {
		s->rs++;
	}
}

static void
icmp_observe(void *st, const struct pm_pass_pkt *pp)
{
	struct pm_icmp_stats *s = st;
	const struct pm_pkt *p = pp->pkt;
	bool v6 = p->proto == PM_IPPROTO_ICMPV6;
	/*
	 * The decoder consumed the 8-byte header: rebuild it in front of the body.
	 * Only the 8 + body bytes the parser reads are written (no 1 KiB clear per packet).
	 */
	uint8_t buf[8 + PM_ICMP_MAX_BODY];
	buf[0] = p->icmp_type;
	buf[1] = p->icmp_code;
	buf[2] = 0;
	buf[3] = 0;
	buf[4] = (uint8_t)(p->icmp_rest >> 24);
	buf[5] = (uint8_t)(p->icmp_rest >> 16);
	buf[6] = (uint8_t)(p->icmp_rest >> 8);
	buf[7] = (uint8_t)p->icmp_rest;
	size_t body = p->payload_len < PM_ICMP_MAX_BODY ? p->payload_len : PM_ICMP_MAX_BODY;
	if (body != 0) {
		struct pm_cur c = pm_cur_init(p->payload, p->payload_len);
		memcpy(buf + 8, pm_cur_bytes(&c, body), body);
	}
	struct pm_icmp_msg m;
	int rc = pm_icmp_parse(buf, 8 + body, v6, &m);
	s->messages++;
	s->v4 += !v6;
	s->v6 += v6;
	s->truncated += rc == PM_E_TRUNC;
	s->malformed += rc == PM_E_MALFORMED;
	s->types[v6][m.type]++;
	if (m.code < 32) {
		s->codes[v6][m.type][m.code]++;
	}
	s->errors_quoting += m.has_inner;
	bool fwd;
	struct pm_peer_memo_slot *ms = memo_of(s, pp, &fwd);
	count_addr(s, ms, fwd ? 0 : 1, &s->srcs, p->src, p->ipver);
	count_addr(s, ms, fwd ? 3 : 2, &s->dsts, p->dst, p->ipver);
	dispatch(s, p, &m, ms, fwd);
	sample(s, p, &m);
}

static int
icmp_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_icmp_stats *s = st;
	size_t max = o->max_table_bytes;
	pm_table_init(&s->srcs, sizeof(struct pm_addr_key), sizeof(uint64_t), max);
	pm_table_init(&s->dsts, sizeof(struct pm_addr_key), sizeof(uint64_t), max);
	pm_table_init(&s->echoes, sizeof(struct pm_icmp_echo_key), sizeof(struct pm_icmp_echo),
	              max);
	pm_table_init(&s->pairs, sizeof(struct pm_icmp_pair_key), sizeof(struct pm_icmp_pair), max);
	pm_table_init(&s->ids, sizeof(struct pm_icmp_id_key), sizeof(struct pm_icmp_idc), max);
	s->ids_tag = pm_hash("icmp ids", 8);
	pm_table_init(&s->unreach, sizeof(struct pm_icmp_unreach_key),
	              sizeof(struct pm_icmp_unreach), max);
	pm_table_init(&s->paths, sizeof(struct pm_icmp_path_key), sizeof(struct pm_icmp_path), max);
	pm_table_init(&s->routers, sizeof(struct pm_addr_key), sizeof(struct pm_icmp_router), max);
	pm_table_init(&s->dad, sizeof(struct pm_addr_key), sizeof(struct pm_icmp_dad), max);
	pm_table_init(&s->redirs, sizeof(struct pm_icmp_redir_key), sizeof(struct pm_icmp_redir),
	              max);
	return 0;
}

#define ICMP_TABLES(s)                                                                             \
	{                                                                                          \
		&(s)->srcs, &(s)->dsts, &(s)->echoes, &(s)->pairs, &(s)->ids, &(s)->unreach,       \
		    &(s)->paths, &(s)->routers, &(s)->dad, &(s)->redirs                            \
	}

static void
icmp_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_icmp_stats *s = st;
	size_t pos = 0;
	void *v;
	while (pm_table_next(&s->echoes, &pos, &v) != NULL) {
		s->unanswered += ((const struct pm_icmp_echo *)v)->replies == 0;
	}
	struct pm_table *ts[] = ICMP_TABLES(s);
	for (size_t i = 0; i < PM_ARRAY_LEN(ts); i++) {
		s->approximate |= ts[i]->dropped != 0;
	}
}

static void
icmp_free(void *st)
{
	struct pm_icmp_stats *s = st;
	struct pm_table *ts[] = ICMP_TABLES(s);
	for (size_t i = 0; i < PM_ARRAY_LEN(ts); i++) {
		pm_table_free(ts[i]);
	}
	free(s->samples);
}

static size_t
icmp_mem(const void *st)
{
	const struct pm_icmp_stats *s = st;
	const struct pm_table *ts[] = ICMP_TABLES(s);
	size_t n =
	    sizeof(*s) + (s->samples != NULL ? PM_ICMP_MAX_SAMPLES * sizeof(*s->samples) : 0);
	for (size_t i = 0; i < PM_ARRAY_LEN(ts); i++) {
		n += ts[i]->bytes;
	}
	return n;
}

const struct pm_analyser pm_analyser_icmp = {
	.name = "icmp",
	.state_size = sizeof(struct pm_icmp_stats),
	.want = { .classes = PM_WANT_ICMP, .apps = PM_WANT_ANY_APP },
	.init = icmp_init,
	.observe = icmp_observe,
	.finish = icmp_finish,
	.free = icmp_free,
	.mem = icmp_mem,
};
