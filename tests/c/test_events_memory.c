/* The event queue's memory bound, seen from a host process: large events and a consumer
 * that does not keep up. The harness (tests/c_programs.rs) waits for the ready file, then
 * queues CCGW_TEST_BIG events of 512 KiB, CCGW_TEST_HUGE events of 1.5 MiB (over the
 * 1 MiB max_event_bytes set here) and a final small "End" event at the gateway, and
 * creates the drained file once the pump has fetched them all. Only then does this program
 * start taking events (the slowest consumer), and it checks:
 *  - every 512 KiB event is either delivered or reported lost (CCGW_LOST_QUEUE_BYTES), in
 *    order;
 *  - the 1.5 MiB events are reported as CCGW_LOST_TOO_LARGE;
 *  - the process's peak resident memory grew by less than MAX_GROWTH_MB over the run
 *    (without the byte bound the queue held every event: about 1 MiB each). */
#include "common.h"

#include <time.h>

#define QUEUE_MAX_BYTES (8u << 20)
#define MAX_GROWTH_MB 32

/* A field of /proc/self/status in kB (VmHWM: peak resident set). */
static long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int exists(const char *path) {
    FILE *f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

int main(void) {
    long big = strtol(test_env("CCGW_TEST_BIG"), NULL, 10);
    long huge = strtol(test_env("CCGW_TEST_HUGE"), NULL, 10);
    const char *ready = test_env("CCGW_TEST_READY");
    const char *drained = test_env("CCGW_TEST_DRAINED");

    ccgw_session *s = test_session("820");
    test_sign_in(s);
    ccgw_events_options o;
    EXPECT_STATUS(ccgw_events_options_init(&o, CCGW_EVENTS_OPTIONS_VERSION), CCGW_OK);
    o.queue_max_bytes = QUEUE_MAX_BYTES;
    o.max_event_bytes = 1u << 20;
    o.max_stall_ms = 200;
    o.poll_interval_ms = 20;
    EXPECT_STATUS(ccgw_events_start(s, &o), CCGW_OK);

    /* Take the sign-in events, then tell the harness to queue the large ones. */
    for (;;) {
        ccgw_event *e = NULL;
        ccgw_status st = ccgw_events_next(s, 10000, &e);
        EXPECT_STATUS(st, CCGW_OK);
        if (st != CCGW_OK)
            return test_finish("test_events_memory");
        int done = strcmp(e->type_name, "AgentState_Ready") == 0;
        ccgw_event_free(e);
        if (done)
            break;
    }
    long base_kb = status_kb("VmHWM");
    FILE *f = fopen(ready, "w");
    EXPECT(f != NULL);
    if (f)
        fclose(f);
    for (int i = 0; i < 3000 && !exists(drained); i++)
        sleep_ms(20);
    EXPECT(exists(drained));

    long delivered = 0, lost_bytes = 0, lost_large = 0, lost_other = 0;
    uint64_t last_seq = 0;
    int ended = 0, ordered = 1;
    while (!ended) {
        ccgw_event *e = NULL;
        ccgw_status st = ccgw_events_next(s, 60000, &e);
        EXPECT_STATUS(st, CCGW_OK);
        if (st != CCGW_OK)
            break;
        if (e->kind == CCGW_EVENT_EVENTS_LOST) {
            if (e->lost_reason == CCGW_LOST_QUEUE_BYTES)
                lost_bytes += (long)e->lost_count;
            else if (e->lost_reason == CCGW_LOST_TOO_LARGE)
                lost_large += (long)e->lost_count;
            else
                lost_other += (long)e->lost_count;
        } else if (strcmp(e->type_name, "Big") == 0) {
            delivered++;
            EXPECT(strlen(e->content_json) > (512u << 10));
        } else if (strcmp(e->type_name, "End") == 0) {
            ended = 1;
        }
        if (e->sequence != 0) {
            ordered &= e->sequence > last_seq;
            last_seq = e->sequence;
        }
        ccgw_event_free(e);
    }
    long peak_kb = status_kb("VmHWM");
    long growth_mb = (peak_kb - base_kb) / 1024;
    printf("test_events_memory: %ld delivered, %ld lost to the byte bound, %ld too large, peak RSS +%ld MiB\n",
           delivered, lost_bytes, lost_large, growth_mb);
    EXPECT(ended);
    EXPECT(ordered);
    EXPECT(delivered + lost_bytes == big);
    EXPECT(lost_bytes > 0);
    EXPECT(lost_large == huge);
    EXPECT(lost_other == 0);
    EXPECT(base_kb > 0 && peak_kb > 0);
    EXPECT(growth_mb < MAX_GROWTH_MB);

    ccgw_session_free(s);
    return test_finish("test_events_memory");
}
