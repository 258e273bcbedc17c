/* SPDX-License-Identifier: MIT */
/*
 * mcpio.h - the MCP stdio transport: newline-delimited messages in, whole
 * lines out, a bounded pool of worker threads for requests that may run
 * long, cancellation by request id, and shutdown on EOF, a broken pipe or a
 * signal (MCP 2025-11-25 basic/transports §stdio, basic/lifecycle §shutdown).
 *
 * It frames lines and runs jobs; it does not read JSON-RPC methods. The
 * dispatcher (mcp.h) parses each line the reader hands it, answers quick
 * methods on the reading thread, and submits the rest as jobs, registering
 * each request of a job under its id so notifications/cancelled can reach it.
 * Every line written goes out in one piece under one mutex, so lines from
 * different threads never interleave; their order is not kept.
 */
#ifndef PM_MCPIO_H
#define PM_MCPIO_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "pm.h"

struct pm_jv;

#define PM_MCPIO_WORKERS  4          /* threads running jobs; at most PM_CACHE_SLOTS */
#define PM_MCPIO_POLL_MS  50         /* the reader looks at stop flags this often */
#define PM_MCPIO_STACK    (8u << 20) /* bytes of stack per worker, as the main thread has */
#define PM_MCPIO_LINE_MAX (4u << 20) /* bytes in one message line, newline excluded */

/* Why a call stops: the values of pm_mcpio_call.cancelled. */
enum pm_mcpio_stop {
	PM_MCPIO_RUN = 0,    /* not cancelled */
	PM_MCPIO_CANCEL = 1, /* notifications/cancelled named it: it gets no response */
	PM_MCPIO_GONE = 2,   /* the client went away: passes stop, finished work still answers */
};

/* One request that may run long, registered under its id while it is queued or running. */
struct pm_mcpio_call {
	const struct pm_jv *id;     /* its request id; owned by the job; NULL: never matched */
	atomic_int cancelled;       /* enum pm_mcpio_stop */
	struct pm_mcpio_call *next; /* in io->calls */
};

/* Work for a worker thread; embedded first in the submitter's own struct. */
struct pm_mcpio_job {
	void (*run)(struct pm_mcpio_job *j); /* does the work, writes its lines, frees the job */
	struct pm_mcpio_job *next;           /* in the queue */
};

struct pm_mcpio {
	int out_fd;                  /* responses and notifications */
	pthread_mutex_t out;         /* held for the write of one whole line */
	atomic_bool out_failed;      /* a write failed (the client is gone): the server stops */
	pthread_mutex_t lock;        /* guards the fields below */
	pthread_cond_t wake;         /* a job was queued, or stopping was set */
	struct pm_mcpio_call *calls; /* registered calls */
	struct pm_mcpio_job *head, *tail; /* queued jobs, oldest first */
	pthread_t workers[PM_MCPIO_WORKERS];
	size_t nworkers; /* started; 0: jobs run on the submitting thread */
	bool stopping;   /* workers finish the queue, then exit */
};

/* Set up io writing to out_fd, without workers: submitted jobs run at once. */
void pm_mcpio_init(struct pm_mcpio *io, int out_fd);

/* Stop and join the workers (after they drained the queue) and release io. */
void pm_mcpio_free(struct pm_mcpio *io);

/*
 * Write the n bytes at line plus a newline as one line, in one piece. line
 * must have room for one more byte at line[n] (a pm_json buffer's NUL), which
 * holds the newline during the write and is restored after. Does nothing once
 * a write failed; a failed write sets out_failed and says so on stderr.
 */
void pm_mcpio_send(struct pm_mcpio *io, char *line, size_t n);

/* Write one error response without id (code and message) as a line. */
void pm_mcpio_send_error(struct pm_mcpio *io, int code, const char *msg);

/* Register c under id (may be NULL), not cancelled. */
void pm_mcpio_call_add(struct pm_mcpio *io, struct pm_mcpio_call *c, const struct pm_jv *id);

/* Unregister c (added before). */
void pm_mcpio_call_remove(struct pm_mcpio *io, struct pm_mcpio_call *c);

/* notifications/cancelled: mark the registered calls whose id is id. */
void pm_mcpio_cancel(struct pm_mcpio *io, const struct pm_jv *id);

/* Queue j for a worker, or run it here when there are no workers. */
void pm_mcpio_submit(struct pm_mcpio *io, struct pm_mcpio_job *j);

/*
 * Read lines from in_fd and hand each (without its newline; a last line
 * without one too) to on_line(opaque, line, n) on this thread, with
 * PM_MCPIO_WORKERS workers running submitted jobs, until EOF, a read error,
 * a failed write or *stop (set by a signal handler). Lines longer than
 * PM_MCPIO_LINE_MAX are dropped up to their newline and answered with
 * -32600. Then every registered call is marked PM_MCPIO_GONE and the
 * workers finish the queue and exit. Returns 0, or -1 on a read error or
 * failed write.
 */
int pm_mcpio_serve(struct pm_mcpio *io, int in_fd, volatile sig_atomic_t *stop,
                   void (*on_line)(void *opaque, const char *line, size_t n), void *opaque);

#endif /* PM_MCPIO_H */
