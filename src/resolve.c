/* SPDX-License-Identifier: MIT */
/*
 * resolve.c - getaddrinfo on a detached thread, waited for until a deadline.
 * The job is shared by the caller and the thread and freed by whichever
 * lets go of it last; an answer nobody waits for any more is freed there.
 */
#include "resolve.h"

#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define HOST_MAX 256 /* bytes of a host name, NUL included (RFC 1035 §2.3.4: 253) */

static int (*resolver)(const char *, const char *, const struct addrinfo *,
                       struct addrinfo **) = getaddrinfo;

/* see resolve.h */
void
pm_resolve_set_for_tests(int (*fn)(const char *, const char *, const struct addrinfo *,
                                   struct addrinfo **))
{
	resolver = fn != NULL ? fn : getaddrinfo;
}

/* see resolve.h */
int64_t
pm_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct job {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC */
	int refs;          /* the caller and the thread */
	bool done;
	int rc; /* getaddrinfo's */
	struct addrinfo *res;
	int (*fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
	char host[HOST_MAX];
	char serv[8];
};

static void
unref(struct job *j)
{
	pthread_mutex_lock(&j->mu);
	int left = --j->refs;
	pthread_mutex_unlock(&j->mu);
	if (left == 0) {
		if (j->res != NULL) {
			freeaddrinfo(j->res);
		}
		pthread_cond_destroy(&j->cv);
		pthread_mutex_destroy(&j->mu);
		free(j);
	}
}

static void *
run(void *arg)
{
	struct job *j = arg;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int rc = j->fn(j->host, j->serv, &hints, &res);
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->res = rc == 0 ? res : NULL;
	j->done = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	unref(j);
	return NULL;
}

static int
job_init(struct job *j, const char *host, const char *serv)
{
	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) != 0) {
		return -1;
	}
	int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0) {
		rc = pthread_cond_init(&j->cv, &ca);
	}
	pthread_condattr_destroy(&ca);
	if (rc != 0) {
		return -1;
	}
	pthread_mutex_init(&j->mu, NULL);
	memcpy(j->host, host, strlen(host) + 1);
	memcpy(j->serv, serv, strlen(serv) + 1);
	j->fn = resolver;
	j->refs = 2;
	return 0;
}

/* Start j's thread, detached. */
static bool
start(struct job *j)
{
	pthread_attr_t at;
	pthread_t t;
	if (pthread_attr_init(&at) != 0) {
		return false;
	}
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	bool ok = pthread_create(&t, &at, run, j) == 0;
	pthread_attr_destroy(&at);
	return ok;
}

/* see resolve.h */
int
pm_resolve(const char *host, const char *serv, int64_t deadline_ms, struct addrinfo **out,
           struct pm_error *err)
{
	*out = NULL;
	if (strlen(host) >= HOST_MAX || strlen(serv) >= sizeof(((struct job *)0)->serv)) {
		return pm_error_set(err, PM_E_IO, 0, "resolve %.64s...: name too long", host);
	}
	struct job *j = calloc(1, sizeof(*j));
	if (j == NULL || job_init(j, host, serv) != 0) {
		free(j);
		return pm_error_set(err, PM_E_NOMEM, 0, "resolve %s: out of memory", host);
	}
	if (!start(j)) {
		run(j); /* no thread to spare: resolve here, without the deadline (run drops its ref) */
	}
	pthread_mutex_lock(&j->mu);
	struct timespec ts = { .tv_sec = (time_t)(deadline_ms / 1000),
		               .tv_nsec = (long)(deadline_ms % 1000) * 1000000L };
	while (!j->done) {
		if (pthread_cond_timedwait(&j->cv, &j->mu, &ts) != 0 && !j->done) {
			break;
		}
	}
	bool done = j->done;
	int rc = j->rc;
	if (done && rc == 0) {
		*out = j->res;
		j->res = NULL;
	}
	pthread_mutex_unlock(&j->mu);
	unref(j);
	if (!done) {
		return pm_error_set(err, PM_E_IO, 0, "resolve %s: timed out", host);
	}
	if (rc != 0) {
		return pm_error_set(err, PM_E_IO, 0, "resolve %s: %s", host, gai_strerror(rc));
	}
	return 0;
}
