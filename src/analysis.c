/* SPDX-License-Identifier: MIT */
/*
 * analysis.c - the one pass: capture → decode → flow table → analysers.
 *
 * Decoded packets wait PASS_QUEUE deep in a queue while their flow's table
 * slot, then its record, then the analyser parse state the record points to
 * are prefetched, so the cache misses overlap instead of adding up. A packet
 * leaves the queue in capture order: the flow table accounts it, then every analyser whose want mask covers it
 * observes it, with the key, tag, direction and flow computed once. The
 * queue holds pointers into the capture's window, so it is emptied before
 * any read that may move the window (pm_capture_next_moves). Nothing holds a
 * packet after it leaves the queue.
 */
#include "analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "ipfrag.h"

#define PASS_QUEUE   16 /* packets between a flow's prefetch and its update */
#define PASS_CLASSES 5  /* PM_WANT_NON_IP .. PM_WANT_OTHER_IP, one bit each */
#define PASS_APPS    64 /* flow labels a want mask can name */

_Static_assert(PM_WANT_OTHER_IP == 1u << (PASS_CLASSES - 1), "one route row per class bit");
_Static_assert(PM_APP_COUNT <= PASS_APPS, "labels fit the route table");

/* A reassembled datagram's bytes must outlive its wait in the queue. */
_Static_assert(PM_IPFRAG_RING > PASS_QUEUE, "reassembly ring shorter than the pass queue");

/* One decoded packet waiting for the flow table. */
struct slot {
	struct pm_pkt pkt;      /* decoded in place; its pointers are into the capture window */
	struct pm_flow_key key; /* canonical key, when has_key */
	uint64_t tag;           /* the key's table tag */
	uint8_t kdir;           /* 0: the source is key.a */
	bool has_key;           /* an IP packet, and the flow table runs */
};

/* The state of one pass. */
struct pass {
	struct pm_analysis *a;
	struct pm_flows *flows; /* NULL when the flows analyser does not run */
	/* By analyser id: the rows that run and observe (NULL for the others), and their state. */
	const struct pm_analyser *obs[PM_AN_COUNT];
	void *obs_state[PM_AN_COUNT];
	/* Per packet class (bit index) and flow label: the analysers (1 << id) whose want covers it. */
	uint32_t route[PASS_CLASSES][PASS_APPS];
	uint32_t route_tun[PASS_APPS]; /* analysers that want PM_WANT_TUNNELLED, by label */
	struct slot q[PASS_QUEUE];
	size_t head, n;         /* oldest slot, slots in use */
	struct pm_ipfrag *frag; /* fragment reassembly, allocated at the first fragment */
	bool frag_failed;       /* it could not be allocated: fragments pass as they are */
};

/* see analysis.h */
bool
pm_io_parse(const char *s, enum pm_io *io)
{
	if (strcmp(s, "mmap") == 0) {
		*io = PM_IO_MMAP;
	} else if (strcmp(s, "read") == 0) {
		*io = PM_IO_READ;
	} else if (strcmp(s, "default") == 0) {
		*io = PM_IO_DEFAULT;
	} else {
		return false;
	}
	return true;
}

/* The packet's PM_WANT_* class: a TCP/UDP/ICMP header decoded, other IP, or no IP. */
static uint32_t
class_of(const struct pm_pkt *p)
{
	if (p->ipver == 0) {
		return PM_WANT_NON_IP;
	}
	if ((p->flags & PM_PKT_HAS_L4) == 0) {
		return PM_WANT_OTHER_IP;
	}
	switch (p->proto) {
	case PM_IPPROTO_TCP:
		return PM_WANT_TCP;
	case PM_IPPROTO_UDP:
		return PM_WANT_UDP;
	case PM_IPPROTO_ICMP:
	case PM_IPPROTO_ICMPV6:
		return PM_WANT_ICMP;
	default:
		return PM_WANT_OTHER_IP;
	}
}

/* The oldest packet leaves the queue: the flow table, then every analyser that wants it. */
static void
process(struct pass *ps, const struct slot *s)
{
	struct pm_pass_pkt pp = { .pkt = &s->pkt,
		                  .cls = class_of(&s->pkt) |
		                         (s->pkt.tun_depth != 0 ? PM_WANT_TUNNELLED : 0) };
	if (s->has_key) {
		pp.key = &s->key;
		pp.tag = s->tag;
		pp.kdir = s->kdir;
		pp.flow = pm_flows_account(ps->flows, &s->pkt, &s->key, s->tag, s->kdir);
		if (pp.flow != NULL) {
			pp.dir = s->kdir == pp.flow->client ? PM_DIR_C2S : PM_DIR_S2C;
			pp.app = pp.flow->app;
		}
	} else if (PM_UNLIKELY((s->pkt.flags & PM_PKT_NO_L4) != 0) && ps->flows != NULL) {
		pm_flows_account_ip(ps->flows, &s->pkt);
	}
	/* Only the analysers that want this class and label: no test per analyser. */
	uint32_t m = ps->route[__builtin_ctz(pp.cls)][pp.app % PASS_APPS];
	if (PM_UNLIKELY((pp.cls & PM_WANT_TUNNELLED) != 0)) {
		m |= ps->route_tun[pp.app % PASS_APPS];
	}
	if (pp.flow != NULL) {
		m &= ~(uint32_t)pp.flow->an_done;
	}
	while (m != 0) {
		unsigned i = (unsigned)__builtin_ctz(m);
		m &= m - 1;
		ps->obs[i]->observe(ps->obs_state[i], &pp);
	}
}

/* see analyser.h */
void
pm_pass_done(const struct pm_pass_pkt *pp, unsigned id)
{
	if (pp->flow != NULL) {
		pp->flow->an_done |= (uint16_t)(1u << id);
	}
}

/* see analyser.h */
void *
pm_flow_state_get(const struct pm_pass_pkt *pp, unsigned id)
{
	const struct pm_flow *f = pp->flow;
	return f != NULL && f->state != NULL && f->state_owner == id ? f->state : NULL;
}

static void
unlist(struct pm_flow_states *l, struct pm_flow_state *s)
{
	if (s->prev != NULL) {
		s->prev->next = s->next;
	} else {
		l->head = s->next;
	}
	if (s->next != NULL) {
		s->next->prev = s->prev;
	}
	s->prev = s->next = NULL;
	l->n--;
}

/* see analyser.h */
bool
pm_flow_state_attach(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id, void *st)
{
	struct pm_flow *f = pp->flow;
	if (f == NULL || f->state != NULL) {
		return false;
	}
	struct pm_flow_state *s = st;
	s->prev = NULL;
	s->next = l->head;
	if (l->head != NULL) {
		l->head->prev = s;
	}
	l->head = s;
	l->n++;
	f->state = st;
	f->state_owner = (uint8_t)id;
	return true;
}

/* see analyser.h */
void *
pm_flow_state_new(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id, size_t size,
                  size_t max_live, uint64_t *dropped)
{
	struct pm_flow_state *st = NULL;
	if (l->n < max_live && l->spare != NULL) {
		st = l->spare;
		l->spare = st->next;
		memset(st, 0, size);
	} else if (l->n < max_live) {
		st = calloc(1, size);
	}
	if (st == NULL) {
		(*dropped)++;
	} else if (!pm_flow_state_attach(l, pp, id, st)) {
		st->next = l->spare;
		l->spare = st;
		st = NULL;
	}
	if (st == NULL) {
		pm_pass_done(pp, id);
	}
	return st;
}

/* see analyser.h */
void
pm_flow_state_done(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id, void *st)
{
	unlist(l, st);
	if (pp->flow != NULL && pp->flow->state == st) {
		pp->flow->state = NULL;
	}
	pm_pass_done(pp, id);
	struct pm_flow_state *s = st;
	s->next = l->spare;
	l->spare = s;
}

/* see analyser.h */
void *
pm_flow_state_pop(struct pm_flow_states *l)
{
	struct pm_flow_state *s = l->head;
	if (s != NULL) {
		unlist(l, s);
	}
	return s;
}

/* see analyser.h */
void
pm_flow_states_free(struct pm_flow_states *l)
{
	while (l->spare != NULL) {
		struct pm_flow_state *s = l->spare;
		l->spare = s->next;
		free(s);
	}
}

static void
drain(struct pass *ps)
{
	while (ps->n != 0) {
		process(ps, &ps->q[ps->head]);
		ps->head = (ps->head + 1) % PASS_QUEUE;
		ps->n--;
	}
}

/*
 * A fragment: held for its datagram (IP-level only, no flow), or, when it
 * completes the datagram, replaced by the whole datagram (ipfrag.h).
 */
static void
reassemble(struct pass *ps, struct pm_pkt *p)
{
	if (ps->frag == NULL && !ps->frag_failed) {
		ps->frag = calloc(1, sizeof(*ps->frag));
		ps->frag_failed = ps->frag == NULL;
	}
	if (ps->frag == NULL) {
		return;
	}
	enum pm_ipfrag_result r = pm_ipfrag_add(ps->frag, &ps->a->dec, p);
	/* A held fragment, or one past the first that cannot be reassembled, has no flow. */
	if (r == PM_IPFRAG_HELD ||
	    (r == PM_IPFRAG_SKIPPED && (p->flags & PM_PKT_FRAG_FIRST) == 0)) {
		p->flags = (p->flags & ~PM_PKT_HAS_L4) | PM_PKT_NO_L4;
	}
}

/* Decode one record into the queue, prefetching its flow's slot and an older packet's record. */
static void
enqueue(struct pass *ps, const struct pm_rec *r)
{
	if (ps->n == PASS_QUEUE) {
		process(ps, &ps->q[ps->head]);
		ps->head = (ps->head + 1) % PASS_QUEUE;
		ps->n--;
	}
	struct slot *s = &ps->q[(ps->head + ps->n) % PASS_QUEUE];
	pm_decode(&ps->a->dec, r->linktype, r->data, r->caplen, r->len, r->ts_ns, &s->pkt);
	s->pkt.has_ts = r->has_ts;
	if (PM_UNLIKELY((s->pkt.flags & PM_PKT_FRAG) != 0)) {
		reassemble(ps, &s->pkt);
	}
	/* IP without its transport header counts at IP level only (pm_flows_account_ip). */
	s->has_key = ps->flows != NULL && s->pkt.ipver != 0 && (s->pkt.flags & PM_PKT_NO_L4) == 0;
	if (s->has_key) {
		s->kdir = (uint8_t)pm_flow_key_of(&s->pkt, &s->key);
		s->tag = pm_flows_tag(ps->flows, &s->key);
		pm_flows_prefetch(ps->flows, s->tag);
	}
	ps->n++;
	if (ps->flows == NULL) {
		drain(ps); /* nothing to prefetch: no reason to wait */
		return;
	}
	/* Half-way down the queue the slot line has arrived: fetch the record it names. */
	if (ps->n > PASS_QUEUE / 2) {
		const struct slot *mid =
		    &ps->q[(ps->head + ps->n - 1 - PASS_QUEUE / 2) % PASS_QUEUE];
		if (mid->has_key) {
			pm_flows_prefetch_record(ps->flows, mid->tag);
		}
	}
	/* Three quarters down the record has arrived: fetch the parse state it points to. */
	if (ps->n > PASS_QUEUE * 3 / 4) {
		const struct slot *late =
		    &ps->q[(ps->head + ps->n - 1 - PASS_QUEUE * 3 / 4) % PASS_QUEUE];
		if (late->has_key) {
			pm_flows_prefetch_state(ps->flows, late->tag);
		}
	}
}

static void
finish_all(struct pm_analysis *a)
{
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		const struct pm_analyser *an = pm_analysers[i];
		if (a->state[i] != NULL && an->finish != NULL) {
			struct pm_an_deps deps = { a, an->after };
			an->finish(a->state[i], &deps);
		}
	}
}

static int
pass(struct pm_analysis *a, const struct pm_analysis_opts *o, struct pm_error *err)
{
	static struct pass zero;
	struct pass *ps = malloc(sizeof(*ps));
	if (ps == NULL) {
		pm_analysis_free(a);
		return pm_error_set(err, PM_E_NOMEM, 0, "%s: out of memory", a->path);
	}
	*ps = zero;
	ps->a = a;
	ps->flows = a->state[PM_AN_FLOWS];
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		if (a->state[i] != NULL && pm_analysers[i]->observe != NULL) {
			ps->obs[i] = pm_analysers[i];
			ps->obs_state[i] = a->state[i];
		}
	}
	for (size_t cl = 0; cl < PASS_CLASSES; cl++) {
		for (size_t app = 0; app < PASS_APPS; app++) {
			for (size_t i = 0; i < PM_AN_COUNT; i++) {
				if (ps->obs[i] == NULL) {
					continue;
				}
				const struct pm_want *w = &ps->obs[i]->want;
				if ((w->classes & (1u << cl)) != 0 &&
				    (w->apps & (UINT64_C(1) << app)) != 0) {
					ps->route[cl][app] |= 1u << i;
				}
				if (cl == 0 && (w->classes & PM_WANT_TUNNELLED) != 0 &&
				    (w->apps & (UINT64_C(1) << app)) != 0) {
					ps->route_tun[app] |= 1u << i;
				}
			}
		}
	}
	struct pm_rec r;
	int rc;
	uint64_t count = 0;
	for (;;) {
		if (ps->n != 0 && pm_capture_next_moves(&a->cap)) {
			drain(ps);
		}
		if ((rc = pm_capture_next(&a->cap, &r)) != 1) {
			break;
		}
		if (PM_UNLIKELY(++count % PM_PROGRESS_EVERY == 0) && o != NULL) {
			if (o->cancel != NULL && *o->cancel != 0) {
				rc = PM_E_LIMIT;
				break;
			}
			if (o->progress != NULL) {
				o->progress(o->opaque, a->cap.bytes_read, a->cap.file_size);
			}
		}
		enqueue(ps, &r);
	}
	if (rc >= 0) {
		drain(ps);
	}
	if (ps->frag != NULL) {
		pm_ipfrag_finish(ps->frag, &a->dec);
		pm_ipfrag_free(ps->frag);
		free(ps->frag);
	}
	free(ps);
	pm_capture_release_source(&a->cap);
	if (rc < 0) {
		size_t at = (size_t)a->cap.bytes_read;
		pm_analysis_free(a);
		return pm_error_set(err, rc, at, "%s: %s", a->path,
		                    rc == PM_E_LIMIT ? "cancelled" : pm_strerror(rc));
	}
	finish_all(a);
	return 0;
}

/* The analysers to run: those asked for and every one they run after. */
static uint32_t
closure(uint32_t want)
{
	for (int i = PM_AN_COUNT - 1; i >= 0; i--) {
		if ((want & (1u << i)) != 0) {
			want |= pm_analysers[i]->after;
		}
	}
	return want;
}

static int
init(struct pm_analysis *a, const char *path, const struct pm_analysis_opts *o,
     struct pm_error *err)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->path, sizeof(a->path), "%s", path);
	uint32_t want = o != NULL && o->analysers != 0 ? o->analysers : PM_AN_ALL;
	if (o != NULL && o->info_only) {
		want = PM_AN_BIT(INFO);
	}
	want = closure(want);
	struct pm_analysis_opts dflt = { 0 };
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		const struct pm_analyser *an = pm_analysers[i];
		if ((want & (1u << i)) == 0) {
			continue;
		}
		a->state[i] = calloc(1, an->state_size);
		int rc = a->state[i] == NULL ? PM_E_NOMEM
		         : an->init != NULL  ? an->init(a->state[i], o != NULL ? o : &dflt)
		                             : 0;
		if (rc != 0) {
			pm_analysis_free(a);
			return pm_error_set(err, rc, 0, "%s: the %s analyser could not start: %s",
			                    path, an->name, pm_strerror(rc));
		}
		a->ran |= 1u << i;
	}
	return 0;
}

/* Open the source for an analysis that init set up; on failure the analysis is freed. */
static int
run(struct pm_analysis *a, int rc, const struct pm_analysis_opts *o, struct pm_error *err)
{
	if (rc != 0) {
		pm_analysis_free(a);
		return rc;
	}
	return pass(a, o, err);
}

static enum pm_io
io_of(const struct pm_analysis_opts *o)
{
	enum pm_io io = o != NULL ? o->io : PM_IO_DEFAULT;
	return io == PM_IO_DEFAULT ? PM_IO_READ : io; /* read() is faster here: bench/README.md */
}

/* see analysis.h */
int
pm_analysis_run(struct pm_analysis *a, const char *path, const struct pm_analysis_opts *o,
                struct pm_error *err)
{
	int rc = init(a, path, o, err);
	if (rc != 0) {
		return rc;
	}
	return run(a, pm_capture_open_file(&a->cap, path, io_of(o), err), o, err);
}

/* see analysis.h */
int
pm_analysis_run_fd(struct pm_analysis *a, int fd, const char *path,
                   const struct pm_analysis_opts *o, struct pm_error *err)
{
	int rc = init(a, path, o, err);
	if (rc != 0) {
		return rc;
	}
	return run(a, pm_capture_open_fd(&a->cap, fd, path, io_of(o), err), o, err);
}

/* see analysis.h */
int
pm_analysis_run_mem(struct pm_analysis *a, const uint8_t *p, size_t n,
                    const struct pm_analysis_opts *o, struct pm_error *err)
{
	int rc = init(a, "(memory)", o, err);
	if (rc != 0) {
		return rc;
	}
	return run(a, pm_capture_open_mem(&a->cap, p, n, err), o, err);
}

/* see analysis.h */
void
pm_analysis_free(struct pm_analysis *a)
{
	pm_capture_close(&a->cap);
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		if (a->state[i] != NULL && pm_analysers[i]->free != NULL) {
			pm_analysers[i]->free(a->state[i]);
		}
		free(a->state[i]);
		a->state[i] = NULL;
	}
	a->ran = 0;
}

/* see analysis.h */
size_t
pm_analysis_mem(const struct pm_analysis *a)
{
	size_t n = sizeof(*a) + a->cap.arena.total;
	for (size_t i = 0; i < PM_AN_COUNT; i++) {
		const struct pm_analyser *an = pm_analysers[i];
		if (a->state[i] != NULL) {
			n += an->mem != NULL ? an->mem(a->state[i]) : an->state_size;
		}
	}
	return n;
}
