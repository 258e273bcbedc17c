/* SPDX-License-Identifier: MIT */
/*
 * analyser.h - the analyser interface: what one row of the analyser table
 * (analysers.h) provides, and what the pass hands it for every packet.
 *
 * The pass reads each record once, decodes it, computes the canonical flow
 * key, its hash tag and the direction, lets the flow table account the
 * packet, and then offers the packet to every analyser whose want mask
 * covers it, through a table from (packet class, flow label) to those
 * analysers built once per pass: an analyser costs nothing for a packet it
 * does not want. After the last packet every analyser finishes, in table order, with
 * read access to the analysers it declared it runs after. An analyser owns
 * its state (state_size bytes, zeroed, allocated by the analysis) and
 * whatever it allocates; free releases the latter, and mem reports both for
 * the cache's accounting. Analysers never print and never see JSON-RPC.
 */
#ifndef PM_ANALYSER_H
#define PM_ANALYSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pm.h"

struct pm_analysis;
struct pm_analysis_opts;
struct pm_flow;
struct pm_flow_key;
struct pm_pkt;

/* Direction of a packet within its flow, seen from the flow's client. */
#define PM_DIR_C2S 0 /* client to server */
#define PM_DIR_S2C 1 /* server to client */

/*
 * Packet classes for want masks: exactly one bit per packet, from its
 * transport protocol (a fragment other than the first is PM_WANT_OTHER_IP),
 * plus PM_WANT_TUNNELLED for packets that came through a tunnel.
 */
#define PM_WANT_NON_IP    (1u << 0) /* no IPv4/IPv6 header (ARP, unknown link types, ...) */
#define PM_WANT_TCP       (1u << 1) /* a TCP header was decoded */
#define PM_WANT_UDP       (1u << 2) /* a UDP header was decoded */
#define PM_WANT_ICMP      (1u << 3) /* an ICMP or ICMPv6 header was decoded */
#define PM_WANT_OTHER_IP  (1u << 4) /* IP without one of the above */
#define PM_WANT_TUNNELLED (1u << 5) /* added to the class of a packet decoded inside a tunnel */
#define PM_WANT_IP        (PM_WANT_TCP | PM_WANT_UDP | PM_WANT_ICMP | PM_WANT_OTHER_IP)
#define PM_WANT_ALL       (PM_WANT_NON_IP | PM_WANT_IP)
#define PM_WANT_ANY_APP   UINT64_MAX /* every flow label */

/*
 * Which packets an analyser observes: those whose class bit is in classes
 * AND whose flow's label (enum pm_app; PM_APP_UNKNOWN for packets without a
 * flow) has its bit in apps. Ports are wanted through the labels the port
 * table gives them (label.h), so "UDP on 53" is classes UDP, apps DNS.
 */
struct pm_want {
	uint32_t classes; /* PM_WANT_* bits */
	uint64_t apps;    /* bit (1 << enum pm_app) per label; PM_WANT_ANY_APP for all */
};

/* What the pass computed once for one packet; valid only during observe. */
struct pm_pass_pkt {
	const struct pm_pkt *pkt;      /* the decoded packet; its bytes are valid during observe */
	const struct pm_flow_key *key; /* canonical flow key; NULL for packets without IP */
	uint64_t tag;                  /* the key's flow-table tag; 0 without a key */
	struct pm_flow *flow;          /* the flow after this packet was accounted; NULL if none */
	uint32_t cls;                  /* the packet's PM_WANT_* class bit */
	uint8_t kdir;                  /* 0: the source is key->a, 1: the source is key->b */
	uint8_t dir;                   /* PM_DIR_C2S or PM_DIR_S2C; PM_DIR_C2S without a flow */
	uint8_t app;                   /* the flow's label (enum pm_app); 0 without a flow */
};

/*
 * Analyser id wants no more packets of pp's flow (it has parsed what it
 * needs, or decided the flow is not its protocol): the pass stops offering
 * them, so a flow an analyser is done with costs it nothing. No-op without a
 * flow.
 */
void pm_pass_done(const struct pm_pass_pkt *pp, unsigned id);

/*
 * Per-flow parse state an analyser keeps in the flow record itself (one
 * analyser per flow: the one its label routes the flow to), so a packet of
 * a flow being parsed costs no lookup in a table of the analyser's own: the
 * pass already has the record in cache. The state is the analyser's
 * allocation and starts with a struct pm_flow_state; the analyser's
 * struct pm_flow_states lists its live states so finish reaches them.
 */
struct pm_flow_state {
	struct pm_flow_state *prev, *next;
};
struct pm_flow_states {
	struct pm_flow_state *head;
	size_t n;                    /* states listed now */
	struct pm_flow_state *spare; /* done states kept for reuse, last done first */
};
/* Analyser id's state of pp's flow, or NULL (none yet, none left, or another analyser's). */
void *pm_flow_state_get(const struct pm_pass_pkt *pp, unsigned id);
/*
 * Attach st (starting with a struct pm_flow_state) to pp's flow for
 * analyser id and list it in l. False, with nothing changed, when the flow
 * has no record or another analyser's state.
 */
bool pm_flow_state_attach(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id,
                          void *st);
/*
 * A new zeroed state of size bytes for analyser id (the same size for every
 * state of l), attached to pp's flow and listed in l: the state last done
 * when l keeps one (still in cache, and no allocator call), else a new
 * allocation. NULL when l already holds max_live states, memory runs
 * out (both counted in *dropped) or another analyser holds the flow; the
 * flow is then marked done for id (pm_pass_done), so it costs nothing more.
 */
void *pm_flow_state_new(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id,
                        size_t size, size_t max_live, uint64_t *dropped);
/*
 * Analyser id is done with pp's flow: its state st is unlisted, detached and
 * kept in l for the next pm_flow_state_new (the caller frees what st points
 * to, not st), and the flow is marked done for id (pm_pass_done).
 */
void pm_flow_state_done(struct pm_flow_states *l, const struct pm_pass_pkt *pp, unsigned id,
                        void *st);
/* After the pass: unlist and return one state (the caller frees it), NULL when none are left. */
void *pm_flow_state_pop(struct pm_flow_states *l);
/* Free the done states l keeps for reuse (after the pass, with pm_flow_state_pop). */
void pm_flow_states_free(struct pm_flow_states *l);

/* The finished analysers a finish function may read; see pm_an_dep. */
struct pm_an_deps {
	const struct pm_analysis *a; /* the analysis being finished */
	uint32_t allowed;            /* bits (1 << enum pm_an_id) of the row's `after` */
};

/* One row of the analyser table. */
struct pm_analyser {
	const char *name;  /* "flows", "scan", ...; unique */
	size_t state_size; /* bytes of state, zeroed before init */
	uint32_t after;    /* bits (1 << enum pm_an_id) of analysers finished before this one */
	struct pm_want want;
	/* Set up the zeroed state; 0 or a negative pm_err (the analysis then fails). NULL: none. */
	int (*init)(void *st, const struct pm_analysis_opts *o);
	/* One packet the want mask covers. NULL: the analyser works at finish only. */
	void (*observe)(void *st, const struct pm_pass_pkt *pp);
	/* After the pass, in table order. NULL: nothing to do. */
	void (*finish)(void *st, const struct pm_an_deps *deps);
	/* Release what init, observe and finish allocated (not the state itself). NULL: none. */
	void (*free)(void *st);
	/* Bytes held, state included, for the analysis cache's accounting. NULL: state_size. */
	size_t (*mem)(const void *st);
};

/*
 * The finished state of analyser id, for a finish function. The id must be
 * in the row's `after` mask (a debug build asserts it); returns NULL when
 * that analyser did not run.
 */
const void *pm_an_dep(const struct pm_an_deps *deps, unsigned id);

#endif /* PM_ANALYSER_H */
