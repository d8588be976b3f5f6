/* Shared helpers of the C test programs. The harness (tests/c_programs.rs) starts the
 * simulator and passes CCGW_TEST_URL, CCGW_TEST_CA and CCGW_TEST_PASSWORD. */
#ifndef CCGW_TEST_COMMON_H
#define CCGW_TEST_COMMON_H

#include "ccgw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0; /* checked by test_finish */

#define EXPECT_STATUS(call, expected)                                                              \
    do {                                                                                           \
        ccgw_status st_ = (call);                                                                  \
        if (st_ != (expected)) {                                                                   \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s): %s\n", __FILE__, __LINE__,    \
                    #call, (int)st_, (int)(expected), #expected, ccgw_last_error_message());       \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);                    \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static inline const char *test_env(const char *name) {
    const char *v = getenv(name);
    if (!v) {
        fprintf(stderr, "%s is not set (run through the harness)\n", name);
        exit(2);
    }
    return v;
}

static inline ccgw_session *test_session(const char *agent) {
    ccgw_session_options o;
    ccgw_session *s = NULL;
    if (ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION) != CCGW_OK)
        exit(3);
    o.base_url = test_env("CCGW_TEST_URL");
    o.ca_file = test_env("CCGW_TEST_CA");
    o.agent_id = agent;
    if (ccgw_session_new(&o, &s) != CCGW_OK) {
        fprintf(stderr, "ccgw_session_new: %s\n", ccgw_last_error_message());
        exit(3);
    }
    return s;
}

static inline void test_sign_in(ccgw_session *s) {
    ccgw_sign_in_options si;
    ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION);
    si.password = test_env("CCGW_TEST_PASSWORD");
    si.phonenum = "40038";
    if (ccgw_session_sign_in(s, &si, NULL, NULL) != CCGW_OK) {
        fprintf(stderr, "sign in: %s\n", ccgw_last_error_message());
        exit(3);
    }
}

static inline int test_finish(const char *name) {
    if (ccgw_global_shutdown(2000) != CCGW_OK) {
        fprintf(stderr, "ccgw_global_shutdown: %s\n", ccgw_last_error_message());
        failures++;
    }
    if (failures) {
        fprintf(stderr, "%s: %d failure(s)\n", name, failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif
