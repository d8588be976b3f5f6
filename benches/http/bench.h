/* Shared by the C clients of the HTTP benchmark (benches/http/run.py): arguments, the
 * threads, the clocks and the one-line JSON result. Each client implements `setup`,
 * `one` (one request, 1 when the answer was the expected one) and `teardown`.
 *
 * argv: op (batch | query), base URL, CA file (its directory also holds the fixed answers,
 * answer-batch.json and answer-query.json), requests in all, threads, sessions
 * (1 = every thread on one session/handle, otherwise one per thread), warm-up requests
 * per thread (not measured). */
#ifndef CCGW_BENCH_H
#define CCGW_BENCH_H

#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_THREADS 64

/* The fixed answers nginx gives (run.py writes the same bytes into its configuration). */
#define CONF_ID 1029888

struct bench {
    int query; /* 0: batchaddparticipant, 1: queryconfinfos */
    const char *url;
    const char *ca;
    long per_thread;
    int threads;
    int sessions;
    long warmup;
};

/* Implemented by each client: `ctx` of thread `t` (index into sessions when shared). */
static int setup(const struct bench *b);
static void *thread_ctx(const struct bench *b, int t);
static int one(const struct bench *b, void *ctx);
static void teardown(const struct bench *b);

struct worker {
    const struct bench *b;
    int index;
    long ok;
    long bad;
    pthread_barrier_t *start;
};

static void *run_worker(void *arg) {
    struct worker *w = arg;
    void *ctx = thread_ctx(w->b, w->index);
    for (long i = 0; i < w->b->warmup; i++)
        if (!one(w->b, ctx))
            w->bad++;
    pthread_barrier_wait(w->start);
    for (long i = 0; i < w->b->per_thread; i++) {
        if (one(w->b, ctx))
            w->ok++;
        else
            w->bad++;
    }
    pthread_barrier_wait(w->start);
    return NULL;
}

static long long ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }
static long long tv_ns(const struct timeval *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_usec * 1000LL; }
static long long cpu_ns(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return tv_ns(&r.ru_utime) + tv_ns(&r.ru_stime);
}

static int bench_main(const char *client, int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s batch|query URL CA-FILE REQUESTS THREADS SESSIONS WARMUP\n", argv[0]);
        return 2;
    }
    struct bench b;
    b.query = strcmp(argv[1], "query") == 0;
    b.url = argv[2];
    b.ca = argv[3];
    b.threads = atoi(argv[5]);
    if (b.threads < 1 || b.threads > MAX_THREADS)
        return 2;
    b.per_thread = atol(argv[4]) / b.threads;
    b.sessions = atoi(argv[6]) <= 1 ? 1 : b.threads;
    b.warmup = atol(argv[7]);
    if (!setup(&b)) {
        fprintf(stderr, "%s: set-up failed\n", client);
        return 1;
    }
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)b.threads + 1);
    struct worker w[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    for (int t = 0; t < b.threads; t++) {
        w[t].b = &b;
        w[t].index = t;
        w[t].ok = w[t].bad = 0;
        w[t].start = &start;
        pthread_create(&th[t], NULL, run_worker, &w[t]);
    }
    pthread_barrier_wait(&start); /* every thread warmed up */
    struct timespec t0, t1;
    long long c0 = cpu_ns();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_barrier_wait(&start); /* every thread done */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long c1 = cpu_ns();
    long ok = 0, bad = 0;
    for (int t = 0; t < b.threads; t++) {
        pthread_join(th[t], NULL);
        ok += w[t].ok;
        bad += w[t].bad;
    }
    teardown(&b);
    printf("{\"client\":\"%s\",\"requests\":%ld,\"ok\":%ld,\"bad\":%ld,\"wall_ns\":%lld,\"cpu_ns\":%lld}\n", client,
           b.per_thread * b.threads, ok, bad, ns(&t1) - ns(&t0), c1 - c0);
    return bad == 0 ? 0 : 1;
}

#endif
