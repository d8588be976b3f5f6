/*
 * A C program consuming an installed libccgw through pkg-config:
 *   cc -std=c99 consumer.c $(pkg-config --cflags --libs ccgw) -o consumer
 * Against a gateway (CCGW_URL, CCGW_CA, CCGW_PASSWORD; scripts/with-sim provides them):
 * signs agent 401 in, starts the event pump, requests an agent conference, waits for
 * AgentConf_RequestSuccess, queries the conference, releases it and signs out.
 * Exits 0 on success, 1 on any failure.
 */
#include <ccgw.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check(const char *what, ccgw_status st) {
    if (st == CCGW_OK)
        return 0;
    fprintf(stderr, "%s failed: status %d (%s): %s [retcode '%s']\n", what, (int)st, ccgw_status_str(st),
            ccgw_last_error_message(), ccgw_last_error_retcode());
    exit(1);
}

int main(void) {
    const char *url = getenv("CCGW_URL");
    const char *password = getenv("CCGW_PASSWORD");
    if (!url || !password) {
        fprintf(stderr, "set CCGW_URL, CCGW_PASSWORD (and CCGW_CA)\n");
        return 2;
    }
    if (ccgw_abi_version() != CCGW_ABI_VERSION) {
        fprintf(stderr, "libccgw ABI %u, header ABI %d\n", (unsigned)ccgw_abi_version(), CCGW_ABI_VERSION);
        return 1;
    }
    printf("C consumer: libccgw %s (header %s)\n", ccgw_version(), CCGW_VERSION_STRING);

    ccgw_session_options o;
    ccgw_session *s = NULL;
    check("ccgw_session_options_init", ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION));
    o.base_url = url;
    o.ca_file = getenv("CCGW_CA");
    o.agent_id = "401";
    check("ccgw_session_new", ccgw_session_new(&o, &s));

    ccgw_sign_in_options si;
    check("ccgw_sign_in_options_init", ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION));
    si.password = password;
    si.phonenum = "40401";
    si.force = true;
    check("login", ccgw_session_sign_in(s, &si, NULL, NULL));
    check("ccgw_events_start", ccgw_events_start(s, NULL));

    char *json = NULL;
    check("requestagentconf", ccgw_session_request(s, "POST", "agentconf/{agentid}/requestagentconf",
                                                   "{\"memberNum\":3,\"time\":10}", NULL, &json));
    ccgw_string_free(json);

    int64_t conf_id = -1;
    for (int i = 0; i < 40 && conf_id < 0; i++) { /* at most 40 x 250 ms */
        ccgw_event *ev = NULL;
        ccgw_status st = ccgw_events_next(s, 250, &ev);
        if (st == CCGW_E_TIMEOUT)
            continue;
        check("ccgw_events_next", st);
        if (ev->kind == CCGW_EVENT_CONF_REQUEST_SUCCESS)
            conf_id = ev->conf_id;
        ccgw_event_free(ev);
    }
    if (conf_id < 0) {
        fprintf(stderr, "AgentConf_RequestSuccess did not arrive\n");
        return 1;
    }

    ccgw_conf_list *confs = NULL;
    check("queryConfInfos", ccgw_query_conf_infos(s, &conf_id, 1, NULL, &confs));
    int ok = confs->count == 1 && confs->confs[0].conf_id == conf_id;
    printf("conference %lld: %zu participant(s)\n", (long long)conf_id, ok ? confs->confs[0].participant_count : 0);
    ccgw_conf_list_free(confs);

    check("releaseagentconf", ccgw_session_request(s, "POST", "agentconf/{agentid}/releaseagentconf", NULL, NULL, &json));
    ccgw_string_free(json);
    check("logout", ccgw_session_sign_out(s, NULL));
    ccgw_session_free(s);
    check("ccgw_global_shutdown", ccgw_global_shutdown(2000));
    if (!ok) {
        fprintf(stderr, "queryConfInfos did not return conference %lld\n", (long long)conf_id);
        return 1;
    }
    printf("C consumer: ok\n");
    return 0;
}
