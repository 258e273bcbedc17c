/* SPDX-License-Identifier: MIT */
/*
 * mcpio.c - the stdio transport: one reading thread that frames lines, a
 * fixed pool of workers fed from a queue, whole-line writes under one mutex,
 * and the registry of calls that notifications/cancelled and EOF reach.
 * Nothing here parses a message beyond comparing request ids.
 */
#include "mcpio.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "rpc.h"

#define IN_CAP ((size_t)PM_MCPIO_LINE_MAX + 1) /* a maximal line plus its newline */

/* The reader's input buffer. */
struct reader {
	int fd;
	char *buf;       /* IN_CAP bytes; owned */
	size_t off;      /* first unconsumed byte */
	size_t len;      /* bytes in buf */
	bool eof;        /* read() returned 0 */
	bool discarding; /* inside an over-long line, dropping up to its newline */
};

/* see mcpio.h */
void
pm_mcpio_init(struct pm_mcpio *io, int out_fd)
{
	memset(io, 0, sizeof(*io));
	io->out_fd = out_fd;
	atomic_init(&io->out_failed, false);
	pthread_mutex_init(&io->out, NULL);
	pthread_mutex_init(&io->lock, NULL);
	pthread_cond_init(&io->wake, NULL);
}

static void
stop_workers(struct pm_mcpio *io)
{
	pthread_mutex_lock(&io->lock);
	io->stopping = true;
	pthread_cond_broadcast(&io->wake);
	pthread_mutex_unlock(&io->lock);
	for (size_t i = 0; i < io->nworkers; i++) {
		pthread_join(io->workers[i], NULL);
	}
	io->nworkers = 0;
}

/* see mcpio.h */
void
pm_mcpio_free(struct pm_mcpio *io)
{
	stop_workers(io);
	pthread_cond_destroy(&io->wake);
	pthread_mutex_destroy(&io->lock);
	pthread_mutex_destroy(&io->out);
}

/* see mcpio.h */
void
pm_mcpio_send(struct pm_mcpio *io, char *line, size_t n)
{
	pthread_mutex_lock(&io->out);
	char keep = line[n];
	line[n] = '\n';
	const char *p = line;
	size_t left = n + 1;
	while (left > 0 && !atomic_load(&io->out_failed)) {
		ssize_t k = write(io->out_fd, p, left);
		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			fprintf(stderr, "pcapmcp: writing a response failed: %s\n",
			        strerror(errno));
			atomic_store(&io->out_failed, true);
			break;
		}
		p += k;
		left -= (size_t)k;
	}
	line[n] = keep;
	pthread_mutex_unlock(&io->out);
}

/* see mcpio.h */
void
pm_mcpio_send_error(struct pm_mcpio *io, int code, const char *msg)
{
	struct pm_json w;
	pm_json_init(&w, 0);
	pm_rpc_error_begin(&w, NULL, code, msg);
	pm_rpc_error_end(&w);
	if (pm_json_finish(&w) == 0) {
		pm_mcpio_send(io, w.buf, w.len);
	}
	pm_json_free(&w);
}

/* see mcpio.h */
void
pm_mcpio_call_add(struct pm_mcpio *io, struct pm_mcpio_call *c, const struct pm_jv *id)
{
	c->id = id;
	atomic_init(&c->cancelled, PM_MCPIO_RUN);
	pthread_mutex_lock(&io->lock);
	c->next = io->calls;
	io->calls = c;
	pthread_mutex_unlock(&io->lock);
}

/* see mcpio.h */
void
pm_mcpio_call_remove(struct pm_mcpio *io, struct pm_mcpio_call *c)
{
	pthread_mutex_lock(&io->lock);
	for (struct pm_mcpio_call **pp = &io->calls; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&io->lock);
}

/* see mcpio.h */
void
pm_mcpio_cancel(struct pm_mcpio *io, const struct pm_jv *id)
{
	pthread_mutex_lock(&io->lock);
	for (struct pm_mcpio_call *c = io->calls; c != NULL; c = c->next) {
		if (pm_rpc_same_id(c->id, id)) {
			atomic_store(&c->cancelled, PM_MCPIO_CANCEL);
		}
	}
	pthread_mutex_unlock(&io->lock);
}

/* The client is gone: every call still running stops at its pass's next check. */
static void
cancel_all(struct pm_mcpio *io)
{
	pthread_mutex_lock(&io->lock);
	for (struct pm_mcpio_call *c = io->calls; c != NULL; c = c->next) {
		int run = PM_MCPIO_RUN;
		atomic_compare_exchange_strong(&c->cancelled, &run, PM_MCPIO_GONE);
	}
	pthread_mutex_unlock(&io->lock);
}

/* see mcpio.h */
void
pm_mcpio_submit(struct pm_mcpio *io, struct pm_mcpio_job *j)
{
	pthread_mutex_lock(&io->lock);
	if (io->nworkers == 0) {
		pthread_mutex_unlock(&io->lock);
		j->run(j);
		return;
	}
	j->next = NULL;
	if (io->tail != NULL) {
		io->tail->next = j;
	} else {
		io->head = j;
	}
	io->tail = j;
	pthread_cond_signal(&io->wake);
	pthread_mutex_unlock(&io->lock);
}

static void *
worker(void *arg)
{
	struct pm_mcpio *io = arg;
	pthread_mutex_lock(&io->lock);
	for (;;) {
		while (io->head == NULL && !io->stopping) {
			pthread_cond_wait(&io->wake, &io->lock);
		}
		struct pm_mcpio_job *j = io->head;
		if (j == NULL) {
			break;
		}
		io->head = j->next;
		if (io->head == NULL) {
			io->tail = NULL;
		}
		pthread_mutex_unlock(&io->lock);
		j->run(j);
		pthread_mutex_lock(&io->lock);
	}
	pthread_mutex_unlock(&io->lock);
	return NULL;
}

/* Start the workers with SIGTERM and SIGINT blocked, so signals reach the reader. */
static void
start_workers(struct pm_mcpio *io)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PM_MCPIO_STACK); /* musl's default is 128 KiB */
	io->stopping = false;
	while (io->nworkers < PM_MCPIO_WORKERS &&
	       pthread_create(&io->workers[io->nworkers], &attr, worker, io) == 0) {
		io->nworkers++;
	}
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The next complete line in the buffer; answers the end of an over-long one. */
static bool
take_line(struct pm_mcpio *io, struct reader *r, const char **line, size_t *n)
{
	for (;;) {
		const char *s = r->buf + r->off;
		const char *nl = memchr(s, '\n', r->len - r->off);
		if (nl == NULL) {
			if (r->discarding) {
				r->off = r->len = 0;
			}
			return false;
		}
		size_t k = (size_t)(nl - s);
		r->off += k + 1;
		if (!r->discarding) {
			*line = s;
			*n = k;
			return true;
		}
		r->discarding = false;
		pm_mcpio_send_error(io, PM_RPC_INVALID_REQUEST,
		                    "Invalid Request: line longer than 4 MiB");
	}
}

/* Read what in_fd has (poll said it is readable). Returns -1 on a read error. */
static int
read_more(struct reader *r)
{
	if (r->off != 0) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->len == IN_CAP) {
		/* A full buffer without a newline: drop the line up to its end. */
		r->discarding = true;
		r->len = 0;
	}
	ssize_t k = read(r->fd, r->buf + r->len, IN_CAP - r->len);
	if (k > 0) {
		r->len += (size_t)k;
	} else if (k == 0) {
		r->eof = true;
	} else if (errno != EINTR && errno != EAGAIN) {
		fprintf(stderr, "pcapmcp: reading stdin failed: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Wait up to PM_MCPIO_POLL_MS for input; true when there is some (or EOF).
 * Also watches out_fd: a pipe whose reader closed it reports POLLERR, so a
 * client that went away is noticed before the next write fails.
 */
static bool
wait_input(struct pm_mcpio *io, int fd)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = io->out_fd, .events = 0 } };
	if (poll(p, 2, PM_MCPIO_POLL_MS) <= 0) {
		return false;
	}
	if ((p[1].revents & (POLLERR | POLLHUP)) != 0) {
		fprintf(stderr, "pcapmcp: stdout was closed\n");
		atomic_store(&io->out_failed, true);
		return false;
	}
	return p[0].revents != 0;
}

/* see mcpio.h */
int
pm_mcpio_serve(struct pm_mcpio *io, int in_fd, volatile sig_atomic_t *stop,
               void (*on_line)(void *opaque, const char *line, size_t n), void *opaque)
{
	struct reader r = { .fd = in_fd, .buf = malloc(IN_CAP) };
	int rc = 0;
	if (r.buf == NULL) {
		fprintf(stderr, "pcapmcp: out of memory\n");
		return -1;
	}
	start_workers(io);
	while (!*stop && !atomic_load(&io->out_failed)) {
		const char *line;
		size_t n;
		while (!*stop && !atomic_load(&io->out_failed) && take_line(io, &r, &line, &n)) {
			on_line(opaque, line, n);
		}
		if (*stop || atomic_load(&io->out_failed)) {
			break;
		}
		if (r.eof) {
			if (r.discarding) {
				pm_mcpio_send_error(io, PM_RPC_INVALID_REQUEST,
				                    "Invalid Request: line longer than 4 MiB");
			} else if (r.len > r.off) {
				on_line(opaque, r.buf + r.off, r.len - r.off);
			}
			break;
		}
		if (wait_input(io, in_fd) && read_more(&r) != 0) {
			rc = -1;
			break;
		}
	}
	cancel_all(io);
	stop_workers(io);
	free(r.buf);
	return rc != 0 || atomic_load(&io->out_failed) ? -1 : 0;
}
