/* SPDX-License-Identifier: MIT */
/*
 * sipstats.c - the SIP analyser (row "sip"): each message through
 * pm_sip_parse, then into the counters and tables of sipstats.h.
 */
#include "sipstats.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "analyser.h"
#include "analysis.h"
#include "cursor.h"
#include "decode.h"
#include "label.h"
#include "sip.h"

const char *const pm_sip_methods[PM_SIP_METHODS] = {
	"ACK",   "BYE",     "CANCEL", "INFO",     "INVITE",    "MESSAGE", "NOTIFY", "OPTIONS",
	"PRACK", "PUBLISH", "REFER",  "REGISTER", "SUBSCRIBE", "UPDATE",  "PING",
};

/* see sipstats.h */
bool
pm_sip_is_scanner(const char *ua)
{
	static const char *const scanners[] = {
		"friendly-scanner", "sipvicious", "sipcli", "sip-scan", "sundayddr",
		"vaxsipuseragent",  "iwar",       "sipsak", "smap",     "pplsip"
	};
	char lc[PM_SIP_TEXT + 1];
	size_t n = 0;
	for (; ua[n] != '\0' && n < PM_SIP_TEXT; n++) {
		lc[n] = ua[n] >= 'A' && ua[n] <= 'Z' ? (char)(ua[n] + 32) : ua[n];
	}
	lc[n] = '\0';
	for (size_t i = 0; i < PM_ARRAY_LEN(scanners); i++) {
		if (strstr(lc, scanners[i]) != NULL) {
			return true;
		}
	}
	return false;
}

static unsigned
method_index(const struct pm_sip_view *m)
{
	for (unsigned i = 0; i < PM_SIP_METHODS; i++) {
		size_t l = strlen(pm_sip_methods[i]);
		if (m->n == l && memcmp(m->p, pm_sip_methods[i], l) == 0) {
			return i;
		}
	}
	return PM_SIP_METHODS;
}

static const char *
copy(struct pm_sip_stats *s, const struct pm_sip_view *v)
{
	if (v->p == NULL) {
		return NULL;
	}
	char *c = pm_arena_strndup(&s->arena, (const char *)v->p,
	                           v->n < PM_SIP_TEXT ? v->n : PM_SIP_TEXT);
	if (c == NULL) {
		s->approximate = true;
	}
	return c;
}

static void *
upsert(struct pm_sip_stats *s, struct pm_table *t, const void *key, size_t cap, bool *is_new)
{
	void *v = pm_table_upsert_max(t, key, cap, is_new);
	if (v == NULL) {
		s->approximate = true;
	}
	return v;
}

static void
status(struct pm_sip_stats *s, uint16_t code)
{
	s->classes[code / 100]++;
	for (size_t i = 0; i < s->n_status; i++) {
		if (s->status_code[i] == code) {
			s->status_count[i]++;
			return;
		}
	}
	if (s->n_status < PM_SIP_MAX_STATUS) {
		s->status_code[s->n_status] = code;
		s->status_count[s->n_status++] = 1;
	}
}

static void
agent(struct pm_sip_stats *s, const struct pm_sip_view *v)
{
	if (v->p == NULL) {
		return;
	}
	uint64_t h = pm_hash(v->p, v->n);
	bool is_new;
	struct pm_sip_agent *a = upsert(s, &s->agents, &h, PM_SIP_MAX_AGENTS, &is_new);
	if (a == NULL) {
		return;
	}
	if (is_new) {
		a->name = copy(s, v);
		a->scanner = a->name != NULL && pm_sip_is_scanner(a->name);
	}
	a->messages++;
}

static void
call(struct pm_sip_stats *s, const struct pm_pkt *p, const struct pm_sip_msg *m, unsigned method)
{
	if (m->call_id.p == NULL) {
		return;
	}
	uint64_t h = pm_hash(m->call_id.p, m->call_id.n);
	bool is_new;
	struct pm_sip_call *c = upsert(s, &s->calls, &h, PM_SIP_MAX_CALLS, &is_new);
	if (c == NULL) {
		return;
	}
	if (is_new) {
		c->call_id = copy(s, &m->call_id);
		c->from = copy(s, &m->from);
		c->to = copy(s, &m->to);
		c->first = p->ts_ns;
		c->first_method = (uint8_t)method;
	}
	c->last = p->ts_ns;
	c->messages++;
	bool to_invite = m->cseq_method.n == 6 && memcmp(m->cseq_method.p, "INVITE", 6) == 0;
	if (m->is_request) {
		const char *name = method < PM_SIP_METHODS ? pm_sip_methods[method] : "";
		if (strcmp(name, "INVITE") == 0 && c->invite == 0) {
			c->invite = p->ts_ns;
		} else if (strcmp(name, "ACK") == 0) {
			c->ack = true;
		} else if (strcmp(name, "BYE") == 0 && c->bye == 0) {
			c->bye = p->ts_ns;
		}
		return;
	}
	if (!to_invite) {
		return;
	}
	if (m->status < 200) {
		c->ringing = true;
	} else if (c->final_status == 0) {
		c->final_status = m->status;
		if (m->status < 300) {
			c->answered = p->ts_ns;
		}
	}
}

static void
source(struct pm_sip_stats *s, const struct pm_pkt *p, const struct pm_sip_msg *m, unsigned method)
{
	/* A request counts for its sender; a 401/403 for the one it answers. */
	const uint8_t *addr = m->is_request ? p->src : p->dst;
	struct pm_addr_key k = pm_addr_key_of(addr, p->ipver);
	bool is_new;
	struct pm_sip_source *src = upsert(s, &s->sources, &k, PM_SIP_MAX_SOURCES, &is_new);
	if (src == NULL) {
		return;
	}
	if (m->is_request) {
		src->requests++;
		src->invites +=
		    method < PM_SIP_METHODS && strcmp(pm_sip_methods[method], "INVITE") == 0;
		src->registers +=
		    method < PM_SIP_METHODS && strcmp(pm_sip_methods[method], "REGISTER") == 0;
	} else if (m->status == 401 || m->status == 403) {
		src->auth_failures++;
	}
}

static void
sample(struct pm_sip_stats *s, const struct pm_pkt *p, const struct pm_sip_msg *m)
{
	if (s->n_samples == PM_SIP_MAX_SAMPLES) {
		return;
	}
	if (s->samples == NULL &&
	    (s->samples = malloc(PM_SIP_MAX_SAMPLES * sizeof(*s->samples))) == NULL) {
		s->approximate = true;
		return;
	}
	struct pm_sip_sample *d = &s->samples[s->n_samples++];
	memset(d, 0, sizeof(*d));
	d->ts = p->ts_ns;
	d->number = s->messages;
	memcpy(d->src, p->src, 16);
	memcpy(d->dst, p->dst, 16);
	d->ipver = p->ipver;
	d->proto = p->proto;
	d->sport = p->sport;
	d->dport = p->dport;
	d->status = m->status;
	d->is_request = m->is_request;
	d->start_line = copy(s, &m->start_line);
	d->call_id = copy(s, &m->call_id);
	d->cseq = copy(s, &m->cseq);
	d->from = copy(s, &m->from);
	d->to = copy(s, &m->to);
	d->contact = copy(s, &m->contact);
	d->user_agent = copy(s, &m->user_agent);
	d->server = copy(s, &m->server);
	d->via = copy(s, &m->via);
	d->content_type = copy(s, &m->content_type);
	d->content_length = m->content_length;
	d->body_len = (uint32_t)m->body_len;
}

/* One message at the start of [b, b + n); returns its length, or 0 to stop. */
static size_t
message(struct pm_sip_stats *s, const struct pm_pkt *p, const uint8_t *b, size_t n)
{
	struct pm_sip_msg m;
	int rc = pm_sip_parse(b, n, &m);
	if (rc == PM_E_MALFORMED) {
		s->malformed++;
		return 0;
	}
	s->messages++;
	s->truncated += rc == PM_E_TRUNC;
	s->udp += p->proto == PM_IPPROTO_UDP;
	s->tcp += p->proto == PM_IPPROTO_TCP;
	unsigned method = PM_SIP_METHODS;
	if (m.is_request) {
		s->requests++;
		method = method_index(&m.method);
		s->methods[method]++;
	} else {
		s->responses++;
		status(s, m.status);
	}
	agent(s, m.is_request ? &m.user_agent : &m.server);
	if (!m.is_request && m.user_agent.p != NULL) {
		agent(s, &m.user_agent);
	}
	call(s, p, &m, method);
	source(s, p, &m, method);
	sample(s, p, &m);
	return rc == 0 ? m.header_len + m.body_len : 0;
}

static void
sip_observe(void *st, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	if (p->payload == NULL || p->payload_len == 0) {
		return;
	}
	struct pm_cur c = pm_cur_init(p->payload, p->payload_len);
	for (unsigned i = 0; i < PM_SIP_MAX_PER_SEG && pm_cur_left(&c) != 0; i++) {
		size_t left = pm_cur_left(&c);
		const uint8_t *at = pm_cur_bytes(&c, left);
		if (p->proto == PM_IPPROTO_TCP && !pm_sip_looks_like(at, left)) {
			return; /* mid-stream data: no reassembly */
		}
		size_t used = message(st, p, at, left);
		if (used == 0 || used >= left) {
			return;
		}
		c = pm_cur_init(at + used, left - used);
	}
}

static int
sip_init(void *st, const struct pm_analysis_opts *o)
{
	struct pm_sip_stats *s = st;
	size_t max = o->max_table_bytes;
	pm_table_init(&s->calls, 8, sizeof(struct pm_sip_call), max);
	pm_table_init(&s->agents, 8, sizeof(struct pm_sip_agent), max);
	pm_table_init(&s->sources, sizeof(struct pm_addr_key), sizeof(struct pm_sip_source), max);
	pm_arena_init(&s->arena, PM_SIP_ARENA_MAX);
	return 0;
}

static void
sip_finish(void *st, const struct pm_an_deps *deps)
{
	(void)deps;
	struct pm_sip_stats *s = st;
	s->approximate |= s->calls.dropped + s->agents.dropped + s->sources.dropped != 0;
}

static void
sip_free(void *st)
{
	struct pm_sip_stats *s = st;
	pm_table_free(&s->calls);
	pm_table_free(&s->agents);
	pm_table_free(&s->sources);
	pm_arena_free(&s->arena);
	free(s->samples);
}

static size_t
sip_mem(const void *st)
{
	const struct pm_sip_stats *s = st;
	return sizeof(*s) + s->calls.bytes + s->agents.bytes + s->sources.bytes + s->arena.total +
	       (s->samples != NULL ? PM_SIP_MAX_SAMPLES * sizeof(*s->samples) : 0);
}

const struct pm_analyser pm_analyser_sip = {
	.name = "sip",
	.state_size = sizeof(struct pm_sip_stats),
	.after = PM_AN_BIT(FLOWS), /* packets reach it through the flow labels */
	.want = { .classes = PM_WANT_UDP | PM_WANT_TCP, .apps = UINT64_C(1) << PM_APP_SIP },
	.init = sip_init,
	.observe = sip_observe,
	.finish = sip_finish,
	.free = sip_free,
	.mem = sip_mem,
};
