/* Process-level concerns of a host program:
 *  - SIGPIPE stays at its default, and the host survives the gateway dropping connections
 *    in the middle of a request: resets (injected by the harness) and a close while the
 *    body is still being written (EPIPE);
 *  - after fork(), every call in the child returns CCGW_E_FORKED at once instead of
 *    hanging, freeing a session (with an event callback and a running pump) does nothing,
 *    and nothing reaches the child's stderr, also at a normal exit(). */
#include "common.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_event(void *userdata, const ccgw_event *event) {
    (void)userdata;
    (void)event;
}

static int freed_in_child = 0;
static void count_free(void *userdata) {
    (void)userdata;
    freed_in_child++;
}

/* Child exit codes: 0 all as expected, 10+n the n-th check failed. */
#define CHILD_CHECK(n, cond)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            exit(10 + (n));                                                                        \
    } while (0)

/* Forks; the child runs every kind of call on `s` (which has an event callback) with its
 * stderr sent to a file, then exits normally. Checks the child's statuses (its exit code)
 * and that the file stayed empty. `network` says whether s has been signed in. */
static void fork_child_is_quiet(ccgw_session *s, int network, const char *what) {
    char path[] = "/tmp/ccgw-fork-stderr-XXXXXX";
    int fd = mkstemp(path);
    EXPECT(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(10); /* a hang would be killed by SIGALRM, failing the test */
        dup2(fd, 2);
        ccgw_event *ev = NULL;
        ccgw_cancel *c = NULL;
        char *guid = NULL;
        CHILD_CHECK(1, ccgw_events_set_callback(s, NULL, NULL, NULL) == CCGW_E_FORKED);
        CHILD_CHECK(2, ccgw_events_set_callback(s, on_event, NULL, count_free) == CCGW_E_FORKED);
        CHILD_CHECK(3, freed_in_child == 1); /* the refused registration's userdata is released */
        CHILD_CHECK(4, ccgw_events_next(s, 1000, &ev) == CCGW_E_FORKED && ev == NULL);
        CHILD_CHECK(5, ccgw_events_stop(s) == CCGW_E_FORKED);
        CHILD_CHECK(6, ccgw_events_status(s) == CCGW_E_FORKED);
        CHILD_CHECK(7, !ccgw_events_running(s));
        CHILD_CHECK(8, ccgw_session_get_guid(s, &guid) == CCGW_E_FORKED && guid == NULL);
        if (network)
            CHILD_CHECK(9, ccgw_third_party_conf_transmit_num(s, NULL) == CCGW_E_FORKED);
        CHILD_CHECK(10, ccgw_cancel_new(&c) == CCGW_E_FORKED);
        CHILD_CHECK(11, ccgw_set_log_callback(CCGW_LOG_OFF, NULL, NULL, NULL) == CCGW_E_FORKED);
        CHILD_CHECK(12, ccgw_session_close(s) == CCGW_E_FORKED);
        CHILD_CHECK(13, strstr(ccgw_last_error_message(), "forked") != NULL);
        ccgw_session_free(s); /* does nothing: no thread to join, nothing printed */
        CHILD_CHECK(14, ccgw_global_shutdown(1000) == CCGW_E_FORKED);
#ifdef __SANITIZE_ADDRESS__
        /* LeakSanitizer would check the child at exit, where the parent's threads are gone
         * but their memory is not; the plain run covers the normal exit. */
        _exit(0);
#else
        exit(0); /* a normal exit: atexit handlers and thread-local destructors run */
#endif
    }
    int wstatus = 0;
    EXPECT(waitpid(pid, &wstatus, 0) == pid);
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0)
        fprintf(stderr, "%s: the forked child ended with %d (exit code 10+n: check n failed)\n", what,
                WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -WTERMSIG(wstatus));
    EXPECT(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    struct stat st;
    EXPECT(fstat(fd, &st) == 0);
    if (st.st_size != 0) {
        char buf[512] = {0};
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        fprintf(stderr, "%s: the forked child wrote %ld bytes to stderr: %s\n", what, (long)st.st_size,
                n > 0 ? buf : "");
    }
    EXPECT(st.st_size == 0);
    close(fd);
    unlink(path);
}

int main(void) {
    struct sigaction sa;
    sigaction(SIGPIPE, NULL, &sa);
    EXPECT(sa.sa_handler == SIG_DFL);

    /* Before any network call the library's only thread is a callback's dispatch thread;
     * a child must not try to join it either. */
    if (!getenv("CCGW_TEST_VALGRIND")) {
        ccgw_session *early = test_session("802");
        EXPECT_STATUS(ccgw_events_set_callback(early, on_event, NULL, NULL), CCGW_OK);
        fork_child_is_quiet(early, 0, "session with a callback, no network use yet");
        ccgw_session_free(early);
    }

    ccgw_session *s = test_session("801");
    test_sign_in(s);
    /* The keep-alive: without polls the gateway signs the agent out after 2 minutes, which
     * the large bodies below can take under valgrind on a loaded machine. */
    EXPECT_STATUS(ccgw_events_start(s, NULL), CCGW_OK);

    /* A large body while the gateway resets the connection after the request head (the
     * harness armed reset_before faults on agentconf/requestagentconf): the library must
     * report the lost connection, and writing to the dead socket must not kill us. */
    size_t big = 4u << 20;
    char *body = malloc(big + 64);
    EXPECT(body != NULL);
    strcpy(body, "{\"memberNum\":3,\"pad\":\"");
    size_t n = strlen(body);
    memset(body + n, 'x', big);
    strcpy(body + n + big, "\"}");
    for (int i = 0; i < 3; i++) {
        char *out = NULL;
        ccgw_status st = ccgw_session_request(s, "POST", "agentconf/{agentid}/requestagentconf", body, NULL, &out);
        EXPECT(st == CCGW_E_CONNECTION_LOST || st == CCGW_E_TRUNCATED_RESPONSE);
        EXPECT(out == NULL);
    }
    free(body);

    /* A gateway that closes the connection while a body is still being written (the
     * simulator refuses bodies over 2 MiB with 413 and closes): the next write hits a
     * closed socket (EPIPE), which must not raise SIGPIPE in the host. */
    big = 16u << 20;
    body = malloc(big + 64);
    EXPECT(body != NULL);
    strcpy(body, "{\"pad\":\"");
    n = strlen(body);
    memset(body + n, 'x', big);
    strcpy(body + n + big, "\"}");
    for (int i = 0; i < 3; i++) {
        char *out = NULL;
        ccgw_status st = ccgw_session_request(s, "POST", "agentconf/{agentid}/requestagentconf", body, NULL, &out);
        EXPECT(st == CCGW_E_CONNECTION_LOST || st == CCGW_E_HTTP_STATUS);
    }
    free(body);
    sigaction(SIGPIPE, NULL, &sa);
    EXPECT(sa.sa_handler == SIG_DFL);
    /* Still usable. */
    EXPECT_STATUS(ccgw_third_party_conf_transmit_num(s, NULL), CCGW_E_GW_TRANSMIT_NUM_FAILED);

    /* fork: the child cannot use the parent's runtime and says so at once. (Not under
     * valgrind: it checks the child for leaks at exit, and the parent's threads, gone in
     * the child, leave their thread-locals behind; the plain and sanitizer runs cover it.) */
    if (getenv("CCGW_TEST_VALGRIND")) {
        ccgw_session_free(s);
        return test_finish("test_process (fork step skipped under valgrind)");
    }
    /* A session with an event callback and a running pump. */
    EXPECT_STATUS(ccgw_events_set_callback(s, on_event, NULL, NULL), CCGW_OK);
    fork_child_is_quiet(s, 1, "signed-in session");
    /* The parent is unaffected. */
    EXPECT_STATUS(ccgw_third_party_conf_transmit_num(s, NULL), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    EXPECT(ccgw_events_running(s));
    EXPECT_STATUS(ccgw_events_set_callback(s, NULL, NULL, NULL), CCGW_OK);
    ccgw_session_free(s);
    return test_finish("test_process");
}
