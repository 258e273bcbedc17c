/* SPDX-License-Identifier: MIT */
/*
 * tunnels.c - the tunnels analyser row: tunnelled packets per kind and
 * outer endpoints (see tunnels.h). It wants PM_WANT_TUNNELLED only, so
 * untunnelled packets never reach it.
 */
#include "tunnels.h"

#include <string.h>

#include "analyser.h"
#include "analysis.h"
#include "decode.h"
#include "flow.h"

static int
tunnels_init(void *st, const struct pm_analysis_opts *o)
{
	(void)o;
	struct pm_tunnels *t = st;
	pm_table_init(&t->rows, sizeof(struct pm_tunnel_key), sizeof(struct pm_tunnel_row),
	              PM_TUNNELS_MAX_BYTES);
	return 0;
}

static void
tunnels_observe(void *st, const struct pm_pass_pkt *pp)
{
	const struct pm_pkt *p = pp->pkt;
	struct pm_tunnels *t = st;
	struct pm_tunnel_key k;
	memset(&k, 0, sizeof(k));
	k.kind = p->tun_kind;
	k.ipver = p->tun_ipver;
	if (k.ipver != 0) {
		memcpy(k.src, p->tun_src, 16);
		memcpy(k.dst, p->tun_dst, 16);
	}
	t->packets++;
	bool is_new;
	struct pm_tunnel_row *r = pm_table_upsert(&t->rows, &k, &is_new);
	if (r == NULL) {
		t->dropped++;
		return;
	}
	r->packets++;
	r->bytes += p->wirelen;
	const struct pm_flow *fl = pp->flow;
	if (fl != NULL && fl->d[0].packets + fl->d[1].packets == 1) {
		r->inner_flows++;
	}
}

static void
tunnels_free(void *st)
{
	struct pm_tunnels *t = st;
	pm_table_free(&t->rows);
}

static size_t
tunnels_mem(const void *st)
{
	const struct pm_tunnels *t = st;
	return sizeof(*t) + t->rows.bytes;
}

const struct pm_analyser pm_analyser_tunnels = {
	.name = "tunnels",
	.state_size = sizeof(struct pm_tunnels),
	.after = PM_AN_BIT(FLOWS),
	.want = { .classes = PM_WANT_TUNNELLED, .apps = PM_WANT_ANY_APP },
	.init = tunnels_init,
	.observe = tunnels_observe,
	.free = tunnels_free,
	.mem = tunnels_mem,
};
