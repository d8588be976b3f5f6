/* One session used from 8 POSIX threads at once; every call must return its expected
 * status. */
#include "common.h"

#include <pthread.h>

#define THREADS 8
#define ROUNDS 25

static ccgw_session *shared;
static int thread_failures[THREADS];

static void *worker(void *arg) {
    int t = (int)(size_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t ids[2] = {1000 + t, 2000 + i};
        ccgw_conf_list *list = NULL;
        ccgw_status st = ccgw_query_conf_infos(shared, ids, 2, NULL, &list);
        if (st != CCGW_OK || list == NULL || list->count != 0)
            thread_failures[t]++;
        ccgw_conf_list_free(list);
        st = ccgw_conf_join(shared, "1-1", NULL, NULL);
        if (st != CCGW_E_GW_THREE_PARTY_NO_CALL)
            thread_failures[t]++;
        char *g = NULL;
        if (ccgw_session_get_guid(shared, &g) != CCGW_OK || g == NULL || strlen(g) < 10)
            thread_failures[t]++;
        ccgw_string_free(g);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    shared = test_session("602");
    test_sign_in(shared);
    for (int t = 0; t < THREADS; t++)
        EXPECT(pthread_create(&threads[t], NULL, worker, (void *)(size_t)t) == 0);
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (thread_failures[t]) {
            fprintf(stderr, "thread %d: %d unexpected statuses\n", t, thread_failures[t]);
            failures++;
        }
    }
    EXPECT_STATUS(ccgw_session_sign_out(shared, NULL), CCGW_OK);
    ccgw_session_free(shared);
    return test_finish("test_threads");
}
