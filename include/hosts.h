/* SPDX-License-Identifier: MIT */
/*
 * hosts.h - aggregates built from the finished flow table: per host address,
 * per (protocol, server port), and per application label.
 *
 * The hosts analyser does nothing per packet: after the pass it walks every
 * flow once, so its totals are exact sums over flows, and distinct peers,
 * contacted ports and clients are exact (counted by sorting fingerprints).
 */
#ifndef PM_HOSTS_H
#define PM_HOSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "label.h"
#include "table.h"

/* Aggregates per host address. */
struct pm_host_key {
	uint8_t addr[16];
	uint8_t ipver;
	uint8_t pad[7];
};

struct pm_host {
	uint64_t pkts_sent, pkts_recv;
	uint64_t bytes_sent, bytes_recv;
	int64_t first, last;
	uint64_t flows; /* flows this host takes part in */
	uint64_t peers; /* distinct peer addresses */
	uint64_t ports; /* distinct (protocol, server port) it contacted as a client */
};

/* Aggregates per (protocol, server port). */
struct pm_port_key {
	uint16_t port;
	uint8_t proto;
	uint8_t pad[5];
};

struct pm_port {
	uint64_t packets, bytes, flows;
	uint64_t clients; /* distinct client addresses */
	uint8_t app;      /* the label most flows on this port carry */
};

struct pm_hosts {
	struct pm_table hosts;              /* pm_host_key -> pm_host */
	struct pm_table ports;              /* pm_port_key -> pm_port */
	uint64_t app_packets[PM_APP_COUNT]; /* by flow label */
	uint64_t app_bytes[PM_APP_COUNT];
	bool approximate; /* a table was full or memory ran out: counts are lower bounds */
};

#endif /* PM_HOSTS_H */
