/* SPDX-License-Identifier: MIT */
/*
 * tunnels.h - the tunnels analyser: packets that arrived inside a tunnel
 * (decode.h, pm_pkt.tun_*), counted per kind and outer endpoint pair, with
 * the inner flows each carried, for a "tunnels" section of the summary.
 *
 * A tunnel is keyed by its kind (the first tunnel the decoder entered), the
 * outer IP version and the outer source and destination as the carrier's IP
 * header gave them (both directions of a tunnel are two rows; kinds not over
 * IP, such as MPLS or PPPoE, have one row with version 0). Inner flows are
 * those whose first packet arrived through the tunnel. At most
 * PM_TUNNELS_MAX_BYTES of table; rows that do not fit are counted.
 */
#ifndef PM_TUNNELS_H
#define PM_TUNNELS_H

#include <stdint.h>

#include "table.h"

#define PM_TUNNELS_MAX_BYTES (4u << 20) /* table memory for tunnel rows */

/* A tunnel's identity: kind and outer endpoints. */
struct pm_tunnel_key {
	uint8_t kind;    /* enum pm_tunnel */
	uint8_t ipver;   /* outer IP version, 0 when the tunnel is not over IP */
	uint8_t src[16]; /* outer source, network order (IPv4 in the first 4 bytes) */
	uint8_t dst[16]; /* outer destination */
	uint8_t pad[6];  /* zero: table keys are whole 8-byte words */
};

_Static_assert(sizeof(struct pm_tunnel_key) % 8 == 0, "table keys are whole words");

/* What went through one tunnel. */
struct pm_tunnel_row {
	uint64_t packets;     /* frames */
	uint64_t bytes;       /* their frame bytes on the wire */
	uint64_t inner_flows; /* flows whose first packet came through it */
};

struct pm_tunnels {
	struct pm_table rows; /* pm_tunnel_key -> pm_tunnel_row */
	uint64_t packets;     /* tunnelled frames, all rows */
	uint64_t dropped;     /* tunnelled frames whose new row did not fit */
};

#endif /* PM_TUNNELS_H */
