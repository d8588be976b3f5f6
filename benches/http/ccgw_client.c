/* The HTTP benchmark's ccgw client: what a CTI developer writes against libccgw. One
 * session signed in per "session" (agent 153, 154, ...), then blocking calls from the
 * threads of bench.h. An answer counts as correct when the call returns CCGW_OK and, for
 * queryconfinfos, the list holds the one conference of the fixed answer with its two
 * participants. */
#include "bench.h"
#include <ccgw.h>

static ccgw_session *sessions[MAX_THREADS];

static int setup(const struct bench *b) {
    for (int s = 0; s < b->sessions; s++) {
        char agent[16];
        snprintf(agent, sizeof agent, "%d", 153 + s);
        ccgw_session_options o;
        ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION);
        o.base_url = b->url;
        o.agent_id = agent;
        o.ca_file = strncmp(b->url, "https:", 6) == 0 ? b->ca : NULL;
        o.allow_plain_http = strncmp(b->url, "http:", 5) == 0;
        if (ccgw_session_new(&o, &sessions[s]) != CCGW_OK) {
            fprintf(stderr, "ccgw_session_new: %s\n", ccgw_last_error_message());
            return 0;
        }
        ccgw_sign_in_options si;
        ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION);
        si.password = "bench";
        if (ccgw_session_sign_in(sessions[s], &si, NULL, NULL) != CCGW_OK) {
            fprintf(stderr, "ccgw_session_sign_in: %s\n", ccgw_last_error_message());
            return 0;
        }
    }
    return 1;
}

static void *thread_ctx(const struct bench *b, int t) { return sessions[b->sessions == 1 ? 0 : t]; }

static int one(const struct bench *b, void *ctx) {
    ccgw_session *s = ctx;
    if (b->query) {
        int64_t id = CONF_ID;
        ccgw_conf_list *list = NULL;
        if (ccgw_query_conf_infos(s, &id, 1, NULL, &list) != CCGW_OK) {
            fprintf(stderr, "ccgw_query_conf_infos: %s\n", ccgw_last_error_message());
            return 0;
        }
        int good = list->count == 1 && list->confs[0].conf_id == CONF_ID && list->confs[0].participant_count == 2 &&
                   strcmp(list->confs[0].participants[1].address, "153") == 0;
        ccgw_conf_list_free(list);
        return good;
    }
    ccgw_participant p;
    memset(&p, 0, sizeof p);
    p.address_type = 9;
    p.address = "2002";
    p.device_call_type = 1;
    p.device_type = 66;
    ccgw_batch_add_request req;
    ccgw_batch_add_request_init(&req, CCGW_BATCH_ADD_REQUEST_VERSION);
    req.participants = &p;
    req.participant_count = 1;
    req.beep_tone = 0;
    req.play_mode = 2;
    req.voice_path = "y:/conf/120/1136287.V3";
    req.caller = "1111";
    if (ccgw_batch_add_participant(s, &req, NULL) != CCGW_OK) {
        fprintf(stderr, "ccgw_batch_add_participant: %s\n", ccgw_last_error_message());
        return 0;
    }
    return 1;
}

static void teardown(const struct bench *b) {
    for (int s = 0; s < b->sessions; s++)
        ccgw_session_free(sessions[s]);
}

int main(int argc, char **argv) { return bench_main("ccgw", argc, argv); }
