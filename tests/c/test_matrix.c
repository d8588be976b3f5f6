/* Bad input for every exported function, generated from tables rather than written case
 * by case.
 *
 * Table 1 lists each function's arguments by kind. For each argument in turn, the other
 * arguments keep good values and this one gets every bad value its kind allows: NULL for
 * pointers, and for strings also invalid UTF-8, "" and a 1 MiB string. A NULL must give
 * CCGW_E_NULL_ARGUMENT (or, for an optional argument, be accepted), invalid UTF-8
 * CCGW_E_INVALID_UTF8, and "" / 1 MiB the status the table documents; every failure must
 * leave a message. Table 2 does the same for out-of-range integers in option and request
 * structs. Then every operation is called on a closed session. The harness checks that the
 * simulator's journal holds nothing but the one sign-in. */
#include "common.h"

#include <stdint.h>

enum kind {
    SESSION, /* a ccgw_session*: NULL -> NULL_ARGUMENT */
    PTR,     /* a mandatory pointer: NULL -> NULL_ARGUMENT */
    OPT,     /* an optional pointer: NULL is accepted (not tried) */
    STR,     /* a mandatory string: NULL, bad UTF-8, "", 1 MiB */
    OSTR,    /* an optional string: bad UTF-8, "", 1 MiB (NULL accepted) */
    VAL      /* a plain value (not varied here) */
};

#define SKIP (-1) /* the bad value is acceptable for this argument: not tried */

struct arg {
    enum kind kind;
    ccgw_status if_empty; /* for STR/OSTR: status for "" */
    ccgw_status if_huge;  /* for STR/OSTR: status for a 1 MiB string */
};

typedef ccgw_status (*thunk)(void **a);

struct entry {
    const char *name;
    int nargs;
    struct arg args[6];
    thunk call;
};

/* One adapter per function: unpack the argument array. */
#define S(i) ((ccgw_session *)a[i])
static ccgw_status t_session_new(void **a) { return ccgw_session_new(a[0], a[1]); }
static ccgw_status t_options_init(void **a) { return ccgw_session_options_init(a[0], CCGW_SESSION_OPTIONS_VERSION); }
static ccgw_status t_sign_in_init(void **a) { return ccgw_sign_in_options_init(a[0], CCGW_SIGN_IN_OPTIONS_VERSION); }
static ccgw_status t_call_init(void **a) { return ccgw_call_options_init(a[0], CCGW_CALL_OPTIONS_VERSION); }
static ccgw_status t_add_init(void **a) { return ccgw_batch_add_request_init(a[0], CCGW_BATCH_ADD_REQUEST_VERSION); }
static ccgw_status t_hold_init(void **a) { return ccgw_hold_request_init(a[0], CCGW_HOLD_REQUEST_VERSION); }
static ccgw_status t_events_init(void **a) { return ccgw_events_options_init(a[0], CCGW_EVENTS_OPTIONS_VERSION); }
static ccgw_status t_sign_in(void **a) { return ccgw_session_sign_in(S(0), a[1], a[2], a[3]); }
static ccgw_status t_sign_out(void **a) { return ccgw_session_sign_out(S(0), a[1]); }
static ccgw_status t_update_guid(void **a) { return ccgw_session_update_guid(S(0), a[1]); }
static ccgw_status t_set_guid(void **a) { return ccgw_session_set_guid(S(0), a[1]); }
static ccgw_status t_get_guid(void **a) { return ccgw_session_get_guid(S(0), a[1]); }
static ccgw_status t_request(void **a) { return ccgw_session_request(S(0), a[1], a[2], a[3], a[4], a[5]); }
static ccgw_status t_batch_add(void **a) { return ccgw_batch_add_participant(S(0), a[1], a[2]); }
static ccgw_status t_hold(void **a) { return ccgw_hold_participant(S(0), a[1], a[2]); }
static ccgw_status t_query(void **a) { return ccgw_query_conf_infos(S(0), a[1], 1, a[2], a[3]); }
static ccgw_status t_conf_join(void **a) { return ccgw_conf_join(S(0), a[1], a[2], a[3]); }
static ccgw_status t_transmit(void **a) { return ccgw_third_party_conf_transmit_num(S(0), a[1]); }
static ccgw_status t_events_start(void **a) { return ccgw_events_start(S(0), a[1]); }
static ccgw_status t_events_stop(void **a) { return ccgw_events_stop(S(0)); }
static ccgw_status t_events_next(void **a) { return ccgw_events_next(S(0), 0, a[1]); }
static ccgw_status t_set_callback(void **a) { return ccgw_events_set_callback(S(0), NULL, NULL, NULL); }
static ccgw_status t_close(void **a) { return ccgw_session_close(S(0)); }
static ccgw_status t_cancel_new(void **a) { return ccgw_cancel_new(a[0]); }
static ccgw_status t_cancel_cancel(void **a) { return ccgw_cancel_cancel(a[0]); }
/* The conference family beyond the seed operations, the calls and the live view. */
static ccgw_status t_conf_req_init(void **a) { return ccgw_agent_conf_request_init(a[0], CCGW_AGENT_CONF_REQUEST_VERSION); }
static ccgw_status t_callout_init(void **a) { return ccgw_callout_request_init(a[0], CCGW_CALLOUT_REQUEST_VERSION); }
static ccgw_status t_request_conf(void **a) { return ccgw_request_agent_conf(S(0), a[1], a[2]); }
static ccgw_status t_release_conf(void **a) { return ccgw_release_agent_conf(S(0), a[1]); }
static ccgw_status t_answer_conf(void **a) { return ccgw_answer_agent_conf(S(0), a[1]); }
static ccgw_status t_reject_conf(void **a) { return ccgw_reject_agent_conf(S(0), a[1]); }
static ccgw_status t_leave_conf(void **a) { return ccgw_leave_agent_conf(S(0), a[1]); }
static ccgw_status t_stop_conf_voice(void **a) { return ccgw_stop_voice_to_conf(S(0), a[1]); }
static ccgw_status t_unhold(void **a) { return ccgw_unhold_participant(S(0), CCGW_ADDRESS_PHONE, a[1], a[2]); }
static ccgw_status t_remove(void **a) { return ccgw_batch_remove_participant(S(0), a[1], 1, a[2], a[3]); }
static ccgw_status t_mode(void **a) { return ccgw_change_participant_mode(S(0), CCGW_ADDRESS_PHONE, a[1], CCGW_MODE_LISTEN, a[2]); }
static ccgw_status t_prolong(void **a) { return ccgw_prolong_time(S(0), 0, a[1]); }
static ccgw_status t_shift(void **a) { return ccgw_shift_president(S(0), a[1], a[2]); }
static ccgw_status t_play_part(void **a) { return ccgw_play_voice_to_participant(S(0), CCGW_ADDRESS_PHONE, a[1], CCGW_UNSET, a[2], a[3]); }
static ccgw_status t_stop_part(void **a) { return ccgw_stop_voice_to_participant(S(0), CCGW_ADDRESS_PHONE, a[1], a[2]); }
static ccgw_status t_play_conf(void **a) { return ccgw_play_voice_to_conf(S(0), CCGW_UNSET, a[1], a[2]); }
static ccgw_status t_resource(void **a) { return ccgw_modify_conf_resource(S(0), CCGW_RESOURCE_ADD, 1, a[1]); }
static ccgw_status t_vdn_ids(void **a) { return ccgw_query_vdn_conf_ids(S(0), a[1], a[2]); }
static ccgw_status t_callout(void **a) { return ccgw_callout(S(0), a[1], a[2], a[3]); }
static ccgw_status t_hold_call(void **a) { return ccgw_hold_call(S(0), a[1]); }
static ccgw_status t_release_call(void **a) { return ccgw_release_call(S(0), a[1]); }
static ccgw_status t_get_hold(void **a) { return ccgw_get_hold(S(0), a[1], a[2]); }
static ccgw_status t_connect_hold(void **a) { return ccgw_connect_hold(S(0), a[1], a[2]); }
static ccgw_status t_drop_call(void **a) { return ccgw_drop_call(S(0), a[1], a[2]); }
static ccgw_status t_disconnect(void **a) { return ccgw_disconnect(S(0), a[1], a[2]); }
static ccgw_status t_second_dial(void **a) { return ccgw_second_dial(S(0), a[1], a[2]); }
static ccgw_status t_hold_list(void **a) { return ccgw_query_hold_list(S(0), a[1], a[2]); }
static ccgw_status t_call_info(void **a) { return ccgw_query_call_info(S(0), CCGW_UNSET, a[1], a[2]); }
static ccgw_status t_call_info_id(void **a) { return ccgw_query_call_info_by_callid(S(0), a[1], a[2], a[3]); }
static ccgw_status t_agent_status(void **a) { return ccgw_query_agent_status(S(0), a[1], a[2], a[3]); }
static ccgw_status t_view(void **a) { return ccgw_conf_view_snapshot(S(0), a[1]); }
static ccgw_status t_resync(void **a) { return ccgw_conf_view_resync(S(0), a[1], 1, a[2]); }
static ccgw_status t_tracked(void **a) { return ccgw_batch_add_participant_tracked(S(0), a[1], 1000, a[2], a[3]); }
static ccgw_status t_tracker_wait(void **a) { return ccgw_invite_tracker_wait(a[0], 0); }
static ccgw_status t_tracker_results(void **a) { return ccgw_invite_tracker_results(a[0], a[1]); }

static const struct entry table[] = {
    {"ccgw_session_new", 2, {{PTR, 0, 0}, {PTR, 0, 0}}, t_session_new},
    {"ccgw_session_options_init", 1, {{PTR, 0, 0}}, t_options_init},
    {"ccgw_sign_in_options_init", 1, {{PTR, 0, 0}}, t_sign_in_init},
    {"ccgw_call_options_init", 1, {{PTR, 0, 0}}, t_call_init},
    {"ccgw_batch_add_request_init", 1, {{PTR, 0, 0}}, t_add_init},
    {"ccgw_hold_request_init", 1, {{PTR, 0, 0}}, t_hold_init},
    {"ccgw_events_options_init", 1, {{PTR, 0, 0}}, t_events_init},
    {"ccgw_session_sign_in", 4, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}, {OPT, 0, 0}}, t_sign_in},
    {"ccgw_session_sign_out", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_sign_out},
    {"ccgw_session_update_guid", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_update_guid},
    {"ccgw_session_set_guid", 2, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}}, t_set_guid},
    {"ccgw_session_get_guid", 2, {{SESSION, 0, 0}, {PTR, 0, 0}}, t_get_guid},
    {"ccgw_session_request", 6,
     {{SESSION, 0, 0},
      {STR, CCGW_E_INVALID_ARGUMENT, CCGW_E_INVALID_ARGUMENT},
      {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG},
      {OSTR, CCGW_E_INVALID_ARGUMENT, CCGW_E_INVALID_ARGUMENT},
      {OPT, 0, 0},
      {PTR, 0, 0}},
     t_request},
    {"ccgw_batch_add_participant", 3, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}}, t_batch_add},
    {"ccgw_hold_participant", 3, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}}, t_hold},
    {"ccgw_query_conf_infos", 4, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_query},
    {"ccgw_conf_join", 4,
     {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OSTR, SKIP, CCGW_E_TOO_LONG}, {OPT, 0, 0}},
     t_conf_join},
    {"ccgw_third_party_conf_transmit_num", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_transmit},
    {"ccgw_events_start", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_events_start},
    {"ccgw_events_stop", 1, {{SESSION, 0, 0}}, t_events_stop},
    {"ccgw_events_next", 2, {{SESSION, 0, 0}, {PTR, 0, 0}}, t_events_next},
    {"ccgw_events_set_callback", 1, {{SESSION, 0, 0}}, t_set_callback},
    {"ccgw_session_close", 1, {{SESSION, 0, 0}}, t_close},
    {"ccgw_cancel_new", 1, {{PTR, 0, 0}}, t_cancel_new},
    {"ccgw_cancel_cancel", 1, {{PTR, 0, 0}}, t_cancel_cancel},
    {"ccgw_agent_conf_request_init", 1, {{PTR, 0, 0}}, t_conf_req_init},
    {"ccgw_callout_request_init", 1, {{PTR, 0, 0}}, t_callout_init},
    {"ccgw_request_agent_conf", 3, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}}, t_request_conf},
    {"ccgw_release_agent_conf", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_release_conf},
    {"ccgw_answer_agent_conf", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_answer_conf},
    {"ccgw_reject_agent_conf", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_reject_conf},
    {"ccgw_leave_agent_conf", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_leave_conf},
    {"ccgw_stop_voice_to_conf", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_stop_conf_voice},
    {"ccgw_unhold_participant", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_unhold},
    {"ccgw_batch_remove_participant", 4, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}, {OPT, 0, 0}}, t_remove},
    {"ccgw_change_participant_mode", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_mode},
    {"ccgw_prolong_time", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_prolong},
    {"ccgw_shift_president", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_INVALID_ARGUMENT}, {OPT, 0, 0}}, t_shift},
    {"ccgw_play_voice_to_participant", 4,
     {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}},
     t_play_part},
    {"ccgw_stop_voice_to_participant", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_stop_part},
    {"ccgw_play_voice_to_conf", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_play_conf},
    {"ccgw_modify_conf_resource", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_resource},
    {"ccgw_query_vdn_conf_ids", 3, {{SESSION, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_vdn_ids},
    {"ccgw_callout", 4, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_callout},
    {"ccgw_hold_call", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_hold_call},
    {"ccgw_release_call", 2, {{SESSION, 0, 0}, {OPT, 0, 0}}, t_release_call},
    {"ccgw_get_hold", 3, {{SESSION, 0, 0}, {OSTR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_get_hold},
    {"ccgw_connect_hold", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_connect_hold},
    {"ccgw_drop_call", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_drop_call},
    {"ccgw_disconnect", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_disconnect},
    {"ccgw_second_dial", 3, {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}}, t_second_dial},
    {"ccgw_query_hold_list", 3, {{SESSION, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_hold_list},
    {"ccgw_query_call_info", 3, {{SESSION, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_call_info},
    {"ccgw_query_call_info_by_callid", 4,
     {{SESSION, 0, 0}, {STR, CCGW_E_MISSING_ARGUMENT, CCGW_E_TOO_LONG}, {OPT, 0, 0}, {PTR, 0, 0}},
     t_call_info_id},
    {"ccgw_query_agent_status", 4, {{SESSION, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}}, t_agent_status},
    {"ccgw_conf_view_snapshot", 2, {{SESSION, 0, 0}, {PTR, 0, 0}}, t_view},
    {"ccgw_conf_view_resync", 3, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}}, t_resync},
    {"ccgw_batch_add_participant_tracked", 4, {{SESSION, 0, 0}, {PTR, 0, 0}, {OPT, 0, 0}, {PTR, 0, 0}}, t_tracked},
    {"ccgw_invite_tracker_wait", 1, {{PTR, 0, 0}}, t_tracker_wait},
    {"ccgw_invite_tracker_results", 2, {{PTR, 0, 0}, {PTR, 0, 0}}, t_tracker_results},
};

static char bad_utf8[] = {'a', (char)0xc3, '(', 0};
static char *huge;
static int cases;

static void expect_case(const char *fn, int argi, const char *what, ccgw_status got, ccgw_status want) {
    cases++;
    if (got != want) {
        fprintf(stderr, "%s arg %d = %s: status %d, expected %d (%s)\n", fn, argi, what, (int)got, (int)want,
                ccgw_last_error_message());
        failures++;
    } else if (want != CCGW_OK && !*ccgw_last_error_message()) {
        fprintf(stderr, "%s arg %d = %s: no message\n", fn, argi, what);
        failures++;
    }
}

int main(void) {
    ccgw_session *s = test_session("803");
    test_sign_in(s);
    huge = malloc((1u << 20) + 1);
    memset(huge, 'x', 1u << 20);
    huge[1u << 20] = 0;

    /* Good values, one per argument kind and position. */
    ccgw_session_options so;
    ccgw_session_options_init(&so, CCGW_SESSION_OPTIONS_VERSION);
    so.base_url = "https://127.0.0.1:1";
    so.agent_id = "803";
    so.insecure_accept_any_certificate = true;
    ccgw_sign_in_options si;
    ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION);
    si.status = 9; /* out of range: a good call stops before sending */
    ccgw_participant p = {CCGW_ADDRESS_PHONE, "70005", 300, CCGW_UNSET}; /* device_call_type out of range */
    ccgw_batch_add_request add;
    ccgw_batch_add_request_init(&add, CCGW_BATCH_ADD_REQUEST_VERSION);
    add.participants = &p;
    add.participant_count = 1;
    ccgw_hold_request hold;
    ccgw_hold_request_init(&hold, CCGW_HOLD_REQUEST_VERSION);
    hold.address = "70005"; /* no voice path: refused before sending */
    int64_t ids[1] = {-5};  /* negative: refused before sending */
    ccgw_session_options scratch_opts;
    ccgw_agent_conf_request conf_req; /* member_num unset: refused before sending */
    ccgw_agent_conf_request_init(&conf_req, CCGW_AGENT_CONF_REQUEST_VERSION);
    ccgw_callout_request out_req; /* no number: refused before sending */
    ccgw_callout_request_init(&out_req, CCGW_CALLOUT_REQUEST_VERSION);
    ccgw_address gone = {7, "70005"}; /* address type 7: refused before sending */
    ccgw_agent_conf_request scratch_conf;
    ccgw_callout_request scratch_callout;
    int32_t state_out = 0;
    void *outp = NULL;
    ccgw_cancel *cancel = NULL;
    ccgw_cancel_new(&cancel);

    for (size_t e = 0; e < sizeof table / sizeof table[0]; e++) {
        const struct entry *t = &table[e];
        for (int i = 0; i < t->nargs; i++) {
            void *good[6] = {0};
            /* Good arguments for this function (whatever the position's kind). */
            for (int j = 0; j < t->nargs; j++) {
                switch (t->args[j].kind) {
                case SESSION: good[j] = s; break;
                case PTR: good[j] = &outp; break;
                case OPT: good[j] = NULL; break;
                case STR: good[j] = "1-1"; break;
                case OSTR: good[j] = NULL; break;
                case VAL: good[j] = NULL; break;
                }
            }
            /* Struct pointers where a function needs a specific one. */
            if (t->call == t_session_new) good[0] = &so;
            if (t->call == t_options_init) good[0] = &scratch_opts;
            if (t->call == t_sign_in) good[1] = &si;
            if (t->call == t_batch_add) good[1] = &add;
            if (t->call == t_hold) good[1] = &hold;
            if (t->call == t_query) good[1] = ids;
            if (t->call == t_cancel_cancel) good[0] = cancel;
            if (t->call == t_conf_req_init) good[0] = &scratch_conf;
            if (t->call == t_callout_init) good[0] = &scratch_callout;
            if (t->call == t_request_conf) good[1] = &conf_req;
            if (t->call == t_callout) good[1] = &out_req;
            if (t->call == t_remove) good[1] = &gone;
            if (t->call == t_resync) good[1] = ids;
            if (t->call == t_tracked) good[1] = &add;
            if (t->call == t_agent_status) good[2] = &state_out;
            if (t->call == t_shift || t->call == t_disconnect || t->call == t_second_dial)
                good[1] = "1-1"; /* not a number: refused */
            if (t->call == t_request) {
                good[1] = "PATCH"; /* refused: nothing sent whatever the other arguments */
                good[2] = "agentconf/{agentid}/requestagentconf";
            }
            struct arg a = t->args[i];
            void *bad[6];
            memcpy(bad, good, sizeof bad);
            switch (a.kind) {
            case SESSION:
            case PTR:
            case STR:
                bad[i] = NULL;
                expect_case(t->name, i, "NULL", t->call(bad), CCGW_E_NULL_ARGUMENT);
                break;
            default: break;
            }
            if (a.kind == STR || a.kind == OSTR) {
                /* For a string under test, the request's method must be valid so the
                 * string's own check is what answers. */
                if (t->call == t_request && i != 1)
                    good[1] = "POST";
                if (t->call == t_request && i == 1)
                    good[2] = "agentconf/{agentid}/requestagentconf";
                memcpy(bad, good, sizeof bad);
                if (t->call == t_request && i != 3)
                    bad[3] = "{not json"; /* keeps the call from being sent */
                if (t->call == t_request && i == 3)
                    bad[2] = "agentconf/{agentid}/requestagentconf";
                bad[i] = bad_utf8;
                expect_case(t->name, i, "invalid UTF-8", t->call(bad), CCGW_E_INVALID_UTF8);
                if (a.if_empty != SKIP) {
                    bad[i] = "";
                    expect_case(t->name, i, "\"\"", t->call(bad), a.if_empty);
                }
                if (a.if_huge != SKIP) {
                    bad[i] = huge;
                    expect_case(t->name, i, "1 MiB", t->call(bad), a.if_huge);
                }
            }
        }
    }

    /* Table 2: out-of-range integers in option and request structs. */
    struct {
        const char *what;
        int32_t *field;
        int32_t bad;
        ccgw_status want;
        int which; /* 0 sign-in, 1 batch add, 2 hold, 4 agent conference, 5 callout */
    } ints[] = {
        {"sign_in.status 6", &si.status, 6, CCGW_E_OUT_OF_RANGE, 0},
        {"sign_in.agenttype 5", &si.agenttype, 5, CCGW_E_OUT_OF_RANGE, 0},
        {"sign_in.autoanswer 2", &si.autoanswer, 2, CCGW_E_OUT_OF_RANGE, 0},
        {"participant.address_type 7", &p.address_type, 7, CCGW_E_OUT_OF_RANGE, 1},
        {"participant.device_call_type 256", &p.device_call_type, 256, CCGW_E_OUT_OF_RANGE, 1},
        {"participant.device_type -2", &p.device_type, -2, CCGW_E_OUT_OF_RANGE, 1},
        {"batch_add.beep_tone 2", &add.beep_tone, 2, CCGW_E_OUT_OF_RANGE, 1},
        {"hold.address_type 5", &hold.address_type, 5, CCGW_E_OUT_OF_RANGE, 2},
        {"agent_conf.member_num 121", &conf_req.member_num, 121, CCGW_E_OUT_OF_RANGE, 4},
        {"agent_conf.member_num 0", &conf_req.member_num, 0, CCGW_E_OUT_OF_RANGE, 4},
        {"agent_conf.time 3", &conf_req.time, 3, CCGW_E_OUT_OF_RANGE, 4},
        {"agent_conf.prompt_time 1441", &conf_req.prompt_time, 1441, CCGW_E_OUT_OF_RANGE, 4},
        {"agent_conf.beep_tone 2", &conf_req.beep_tone, 2, CCGW_E_OUT_OF_RANGE, 4},
        {"callout.skillid -2", &out_req.skillid, -2, CCGW_E_OUT_OF_RANGE, 5},
        {"callout.mediaability 3", &out_req.mediaability, 3, CCGW_E_OUT_OF_RANGE, 5},
        {"callout.user_video_direction 0", &out_req.user_video_direction, 0, CCGW_E_OUT_OF_RANGE, 5},
    };
    conf_req.member_num = 5;
    out_req.called = "70005";
    char *callid = NULL;
    p.device_call_type = CCGW_UNSET;
    hold.voice_path = "y:/conf/1/hold.V3";
    si.status = CCGW_UNSET;
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        int32_t keep = *ints[k].field;
        *ints[k].field = ints[k].bad;
        ccgw_status got = ints[k].which == 0   ? ccgw_session_sign_in(s, &si, NULL, NULL)
                          : ints[k].which == 1 ? ccgw_batch_add_participant(s, &add, NULL)
                          : ints[k].which == 2 ? ccgw_hold_participant(s, &hold, NULL)
                          : ints[k].which == 4 ? ccgw_request_agent_conf(s, &conf_req, NULL)
                                               : ccgw_callout(s, &out_req, NULL, &callid);
        expect_case(ints[k].what, 0, "out of range", got, ints[k].want);
        *ints[k].field = keep;
    }
    expect_case("change_participant_mode attribute 5", 0, "out of range",
                ccgw_change_participant_mode(s, CCGW_ADDRESS_PHONE, "70005", 5, NULL), CCGW_E_OUT_OF_RANGE);
    expect_case("change_participant_mode address_type 8", 0, "out of range",
                ccgw_change_participant_mode(s, 8, "70005", CCGW_MODE_LISTEN, NULL), CCGW_E_OUT_OF_RANGE);
    expect_case("modify_conf_resource type 2", 0, "out of range", ccgw_modify_conf_resource(s, 2, 5, NULL),
                CCGW_E_OUT_OF_RANGE);
    expect_case("modify_conf_resource num 119", 0, "out of range",
                ccgw_modify_conf_resource(s, CCGW_RESOURCE_ADD, 119, NULL), CCGW_E_OUT_OF_RANGE);
    expect_case("prolong_time 1441", 0, "out of range", ccgw_prolong_time(s, 1441, NULL), CCGW_E_OUT_OF_RANGE);
    expect_case("call_info flag 2", 0, "out of range", ccgw_query_call_info(s, 2, NULL, (ccgw_call_info_list **)&outp),
                CCGW_E_OUT_OF_RANGE);
    add.participants = &p;
    expect_case("batch_add_tracked deadline 0", 0, "out of range",
                ccgw_batch_add_participant_tracked(s, &add, 0, NULL, (ccgw_invite_tracker **)&outp), CCGW_E_OUT_OF_RANGE);
    so.auth_mode = 3;
    ccgw_session *x = NULL;
    expect_case("session_options.auth_mode 3", 0, "out of range", ccgw_session_new(&so, &x), CCGW_E_OUT_OF_RANGE);
    so.auth_mode = CCGW_AUTH_DYNAMIC;
    /* Fail-over (version 3). */
    so.retry_rounds = CCGW_RETRY_ROUNDS_MAX + 1;
    expect_case("session_options.retry_rounds 101", 0, "above", ccgw_session_new(&so, &x), CCGW_E_OUT_OF_RANGE);
    so.retry_rounds = 0;
    so.retry_backoff_initial_ms = 2000;
    so.retry_backoff_max_ms = 1000;
    expect_case("session_options.retry_backoff_max_ms below initial", 0, "below", ccgw_session_new(&so, &x),
                CCGW_E_OUT_OF_RANGE);
    so.retry_backoff_initial_ms = 0;
    so.retry_backoff_max_ms = 0;
    so.version = 99;
    expect_case("session_options.version 99", 0, "unknown version", ccgw_session_new(&so, &x), CCGW_E_UNSUPPORTED_VERSION);
    expect_case("ccgw_set_log_callback level 6", 0, "out of range", ccgw_set_log_callback(6, NULL, NULL, NULL), CCGW_E_OUT_OF_RANGE);

    /* Infallible functions on bad input: defined answers, no crash. */
    EXPECT(ccgw_status_str(INT32_MIN) != NULL && ccgw_status_str(INT32_MAX) != NULL);
    EXPECT(ccgw_status_outcome(INT32_MIN) == CCGW_OUTCOME_MAY_HAVE_RUN && !ccgw_status_retryable(INT32_MAX));
    EXPECT(ccgw_session_agent_id(NULL) == NULL);
    EXPECT(ccgw_events_status(NULL) == CCGW_E_NULL_ARGUMENT);
    EXPECT(!ccgw_events_running(NULL));
    ccgw_string_free(NULL);
    ccgw_conf_list_free(NULL);
    ccgw_address_list_free(NULL);
    ccgw_conf_id_list_free(NULL);
    ccgw_call_info_list_free(NULL);
    ccgw_conf_view_free(NULL);
    ccgw_invite_results_free(NULL);
    ccgw_invite_tracker_free(NULL);
    EXPECT(ccgw_invite_tracker_id(NULL) == 0);
    ccgw_sign_in_result_free(NULL);
    ccgw_event_free(NULL);
    ccgw_cancel_free(NULL);
    ccgw_session_free(NULL);

    /* Every call after close: CCGW_E_CLOSED, nothing sent. */
    EXPECT_STATUS(ccgw_session_close(s), CCGW_OK);
    void *after[6] = {s, NULL, NULL, NULL, NULL, &outp};
    hold.voice_path = "y:/conf/1/hold.V3";
    p.device_call_type = CCGW_UNSET;
    ids[0] = 1;
    ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION);
    after[1] = &si;
    expect_case("ccgw_session_sign_in", 0, "closed", t_sign_in(after), CCGW_E_CLOSED);
    after[1] = NULL; /* the call options of sign-out and updateGuid */
    expect_case("ccgw_session_sign_out", 0, "closed", t_sign_out(after), CCGW_E_CLOSED);
    expect_case("ccgw_session_update_guid", 0, "closed", t_update_guid(after), CCGW_E_CLOSED);
    after[1] = &add;
    expect_case("ccgw_batch_add_participant", 0, "closed", t_batch_add(after), CCGW_E_CLOSED);
    after[1] = &hold;
    expect_case("ccgw_hold_participant", 0, "closed", t_hold(after), CCGW_E_CLOSED);
    after[1] = ids;
    after[3] = &outp;
    expect_case("ccgw_query_conf_infos", 0, "closed", t_query(after), CCGW_E_CLOSED);
    after[1] = "1-1";
    after[2] = NULL;
    after[3] = NULL;
    expect_case("ccgw_conf_join", 0, "closed", t_conf_join(after), CCGW_E_CLOSED);
    after[1] = NULL;
    expect_case("ccgw_third_party_conf_transmit_num", 0, "closed", t_transmit(after), CCGW_E_CLOSED);
    expect_case("ccgw_events_start", 0, "closed", t_events_start(after), CCGW_E_CLOSED);
    after[1] = &outp;
    expect_case("ccgw_events_next", 0, "closed", t_events_next(after), CCGW_E_CLOSED);
    after[1] = "POST";
    after[2] = "agentconf/{agentid}/requestagentconf";
    after[3] = NULL;
    after[4] = NULL;
    after[5] = &outp;
    expect_case("ccgw_session_request", 0, "closed", t_request(after), CCGW_E_CLOSED);
    expect_case("ccgw_request_agent_conf", 0, "closed", ccgw_request_agent_conf(s, &conf_req, NULL), CCGW_E_CLOSED);
    expect_case("ccgw_release_agent_conf", 0, "closed", ccgw_release_agent_conf(s, NULL), CCGW_E_CLOSED);
    expect_case("ccgw_callout", 0, "closed", ccgw_callout(s, &out_req, NULL, &callid), CCGW_E_CLOSED);
    expect_case("ccgw_query_hold_list", 0, "closed", ccgw_query_hold_list(s, NULL, (ccgw_call_info_list **)&outp), CCGW_E_CLOSED);
    expect_case("ccgw_query_agent_status", 0, "closed", ccgw_query_agent_status(s, NULL, &state_out, NULL), CCGW_E_CLOSED);
    expect_case("ccgw_conf_view_resync", 0, "closed", ccgw_conf_view_resync(s, NULL, 0, NULL), CCGW_E_CLOSED);

    ccgw_session_free(s);
    ccgw_cancel_free(cancel);
    free(huge);
    printf("test_matrix: %d cases\n", cases);
    return test_finish("test_matrix");
}
