/*
 * conference.c -- a contact-center conference scenario through libccgw.
 *
 * The agent signs in, calls a customer (callout, its call id typed), holds, calls a
 * third-party IVR and joins the two calls into a three-party call (confjoin), passes the
 * customer's key presses to the IVR (thirdPartyConfTransmitNum), releases the call,
 * requests an agent conference, invites a supervisor's phone and a second agent in one
 * tracked batch and waits for each invitee's outcome, holds the phone with an
 * announcement, prolongs the conference, queries it, prints the session's live view of
 * it, releases it, and signs out. Every call is a typed ccgw function (no hand-built
 * JSON); every status is checked and printed with the operation's name; any failure ends
 * the program with a non-zero exit status.
 *
 * Events: both agents run the event pump (their keep-alive). The chairperson's events are
 * taken with ccgw_events_next and printed as they arrive; each step waits for the event
 * that proves it (AgentEvent_Talking after a callout, AgentEvent_Conference after
 * confjoin, AgentConf_RequestSuccess after the conference request, the tracker's
 * InvitesSettled after the invitation, AgentConf_ParticipantChanged after the hold).
 * The second agent's events arrive through a callback on a thread of the library's callback pool.
 *
 * Configuration (environment):
 *   CCGW_URL        gateway base URL, e.g. https://gw.example:8043        (required)
 *   CCGW_CA         PEM file of the CA the gateway's certificate chains to (default: system store)
 *   CCGW_AGENT      agent id of the chairperson                           (default 153)
 *   CCGW_PASSWORD   its password                                          (required)
 *   CCGW_PHONE      the agent's phone number                              (default 40038)
 *   CCGW_AGENT2     a second agent to invite; empty to invite phones only (default 154)
 *   CCGW_PASSWORD2  its password                                          (default CCGW_PASSWORD)
 *   CCGW_CUSTOMER   customer number to call                               (default 70005)
 *   CCGW_IVR        third-party IVR access number                         (default 9000123)
 *   CCGW_SUPERVISOR supervisor phone to invite                            (default 70010)
 *   CCGW_VOICE      announcement file for the hold (default y:/conf/1/hold.V3)
 */
#include "ccgw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return (v && *v) ? v : fallback;
}

/* Prints the outcome of one operation; exits on failure. */
static void check(const char *operation, ccgw_status st) {
    if (st == CCGW_OK) {
        printf("  %-28s OK\n", operation);
        return;
    }
    fprintf(stderr, "  %-28s FAILED: status %d (%s)\n    %s\n", operation, (int)st, ccgw_status_str(st),
            ccgw_last_error_message());
    if (*ccgw_last_error_retcode())
        fprintf(stderr, "    gateway retcode %s\n", ccgw_last_error_retcode());
    exit(1);
}

/* Places a call to `number`; returns its call id (free with ccgw_string_free). */
static char *dial(ccgw_session *s, const char *operation, const char *number) {
    ccgw_callout_request r;
    char *callid = NULL;
    check("ccgw_callout_request_init", ccgw_callout_request_init(&r, CCGW_CALLOUT_REQUEST_VERSION));
    r.called = number;
    check(operation, ccgw_callout(s, &r, NULL, &callid));
    return callid;
}

/* Takes the chairperson's events, printing each as it arrives, until one of type `type`
 * arrives (returned; free it with ccgw_event_free). Gives up after `seconds`. */
static ccgw_event *wait_event(ccgw_session *s, const char *type, int seconds) {
    time_t deadline = time(NULL) + seconds;
    while (time(NULL) < deadline) {
        ccgw_event *ev = NULL;
        ccgw_status st = ccgw_events_next(s, 500, &ev);
        if (st == CCGW_E_TIMEOUT)
            continue;
        if (st != CCGW_OK)
            check("ccgw_events_next", st);
        printf("    event %s\n", ev->type_name);
        if (ev->kind == CCGW_EVENT_PUMP_STOPPED) {
            fprintf(stderr, "  the event pump stopped: %s\n", ev->message);
            exit(1);
        }
        if (strcmp(ev->type_name, type) == 0)
            return ev;
        ccgw_event_free(ev);
    }
    fprintf(stderr, "  %s did not arrive within %d s\n", type, seconds);
    exit(1);
}

/* The second agent's events, on a thread of the library's callback pool. */
static void print_event(void *userdata, const ccgw_event *ev) {
    printf("    [agent %s] event %s\n", (const char *)userdata, ev->type_name);
}

static const char *outcome_name(int32_t outcome) {
    switch (outcome) {
    case CCGW_INVITE_PENDING: return "pending";
    case CCGW_INVITE_JOINED: return "joined";
    case CCGW_INVITE_FAILED: return "failed";
    case CCGW_INVITE_RELEASED: return "released";
    case CCGW_INVITE_NO_ANSWER: return "no answer";
    case CCGW_INVITE_CONF_ENDED: return "conference ended";
    default: return "?";
    }
}

/* Prints the session's live view of its conferences. */
static void print_view(ccgw_session *s) {
    ccgw_conf_view *view = NULL;
    check("ccgw_conf_view_snapshot", ccgw_conf_view_snapshot(s, &view));
    for (size_t i = 0; i < view->count; i++) {
        const ccgw_view_conf *c = &view->confs[i];
        printf("    live view: conference %lld, %s, %s, %d of %d minutes, %d places, %zu participants\n",
               (long long)c->conf_id, c->is_chair ? "chair" : "participant", c->synced ? "synced" : "not synced",
               c->conf_have_been_time, c->apply_conf_time, c->member_num, c->participant_count);
        for (size_t j = 0; j < c->participant_count; j++) {
            const ccgw_view_participant *p = &c->participants[j];
            printf("      %-6s %-12s %-11s %-12s mode %d%s%s\n", p->address_type == CCGW_ADDRESS_AGENT ? "agent" : "phone",
                   p->address, p->role == 1 ? "chair" : "participant",
                   p->held ? "held" : p->announcement ? "announcement" : "talking", p->channel_attrib,
                   *p->hold_voice_path ? ", hearing " : "", p->hold_voice_path);
        }
    }
    if (view->count == 0)
        printf("    live view: no conference\n");
    ccgw_conf_view_free(view);
}

static ccgw_session *open_session(const char *url, const char *ca, const char *agent) {
    ccgw_session_options o;
    ccgw_session *s = NULL;
    check("ccgw_session_options_init", ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION));
    o.base_url = url;
    o.agent_id = agent;
    o.ca_file = ca;
    check("ccgw_session_new", ccgw_session_new(&o, &s));
    return s;
}

static void sign_in(ccgw_session *s, const char *password, const char *phone) {
    ccgw_sign_in_options si;
    ccgw_sign_in_result *r = NULL;
    check("ccgw_sign_in_options_init", ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION));
    si.password = password;
    si.phonenum = phone;
    si.force = true; /* take the session over if the agent is signed in elsewhere */
    check("login", ccgw_session_sign_in(s, &si, NULL, &r));
    printf("    agent %s signed in to %s (VDN %lld)%s\n", r->work_no, r->server_name, (long long)r->vdn_id,
           r->forced ? ", by force" : "");
    ccgw_sign_in_result_free(r);
}

int main(void) {
    const char *url = getenv("CCGW_URL");
    const char *password = getenv("CCGW_PASSWORD");
    if (!url || !password) {
        fprintf(stderr, "set CCGW_URL and CCGW_PASSWORD (and CCGW_CA for a private CA)\n");
        return 2;
    }
    const char *ca = getenv("CCGW_CA");
    const char *agent = env_or("CCGW_AGENT", "153");
    const char *agent2 = env_or("CCGW_AGENT2", "154");
    const char *voice = env_or("CCGW_VOICE", "y:/conf/1/hold.V3");
    const char *supervisor = env_or("CCGW_SUPERVISOR", "70010");

    printf("ccgw %s: conference scenario against %s as agent %s\n", ccgw_version(), url, agent);
    ccgw_session *s = open_session(url, ca, agent);
    sign_in(s, password, env_or("CCGW_PHONE", "40038"));
    check("ccgw_events_start", ccgw_events_start(s, NULL));

    printf("three-party call\n");
    char *customer_call = dial(s, "callout (customer)", env_or("CCGW_CUSTOMER", "70005"));
    ccgw_event *ev = wait_event(s, "AgentEvent_Talking", 30);
    printf("    talking to %s\n", ev->called);
    ccgw_event_free(ev);
    check("hold", ccgw_hold_call(s, NULL));
    ccgw_event_free(wait_event(s, "AgentEvent_Hold", 10));
    ccgw_string_free(dial(s, "callout (IVR)", env_or("CCGW_IVR", "9000123")));
    ccgw_event_free(wait_event(s, "AgentEvent_Talking", 30));
    check("confJoin", ccgw_conf_join(s, customer_call, "ccgw-demo", NULL));
    ccgw_string_free(customer_call);
    ev = wait_event(s, "AgentEvent_Conference", 10);
    printf("    three-party call %s with", ev->callid);
    for (size_t i = 0; i < ev->partner_count; i++)
        printf(" %s", ev->partners[i]);
    printf("\n");
    ccgw_event_free(ev);
    check("thirdPartyConfTransmitNum", ccgw_third_party_conf_transmit_num(s, NULL));
    check("release", ccgw_release_call(s, NULL));
    ccgw_event_free(wait_event(s, "AgentEvent_Call_Release", 10));

    printf("agent conference\n");
    ccgw_session *s2 = NULL;
    if (*agent2) {
        s2 = open_session(url, ca, agent2);
        check("ccgw_events_set_callback", ccgw_events_set_callback(s2, print_event, (void *)agent2, NULL));
        sign_in(s2, env_or("CCGW_PASSWORD2", password), env_or("CCGW_PHONE2", "40039"));
        check("ccgw_events_start", ccgw_events_start(s2, NULL));
    }
    ccgw_agent_conf_request conf;
    check("ccgw_agent_conf_request_init", ccgw_agent_conf_request_init(&conf, CCGW_AGENT_CONF_REQUEST_VERSION));
    conf.member_num = 5;
    conf.time = 30;
    check("requestAgentConf", ccgw_request_agent_conf(s, &conf, NULL));
    ev = wait_event(s, "AgentConf_RequestSuccess", 10);
    int64_t conf_id = ev->conf_id;
    ccgw_event_free(ev);
    printf("    conference %lld granted\n", (long long)conf_id);

    ccgw_participant invitees[2] = {
        {CCGW_ADDRESS_PHONE, supervisor, CCGW_UNSET, CCGW_UNSET},
        {CCGW_ADDRESS_AGENT, agent2, CCGW_UNSET, CCGW_UNSET},
    };
    ccgw_batch_add_request add;
    check("ccgw_batch_add_request_init", ccgw_batch_add_request_init(&add, CCGW_BATCH_ADD_REQUEST_VERSION));
    add.participants = invitees;
    add.participant_count = *agent2 ? 2 : 1;
    ccgw_invite_tracker *tracker = NULL;
    /* Each invitee's outcome: joined, failed (with the gateway's code), released, or no
     * answer within 30 s. The events keep arriving here too; the tracker takes none. */
    check("batchAddParticipant", ccgw_batch_add_participant_tracked(s, &add, 30000, NULL, &tracker));
    ev = wait_event(s, "ccgw.InvitesSettled", 40);
    ccgw_event_free(ev);
    check("ccgw_invite_tracker_wait", ccgw_invite_tracker_wait(tracker, CCGW_WAIT_FOREVER));
    ccgw_invite_results *outcomes = NULL;
    check("ccgw_invite_tracker_results", ccgw_invite_tracker_results(tracker, &outcomes));
    for (size_t i = 0; i < outcomes->count; i++) {
        const ccgw_invite_result *r = &outcomes->invitees[i];
        printf("    invitee %s: %s", r->address, outcome_name(r->outcome));
        if (r->outcome == CCGW_INVITE_FAILED)
            printf(" (result %lld)", (long long)r->result);
        printf("\n");
    }
    ccgw_invite_results_free(outcomes);
    ccgw_invite_tracker_free(tracker);

    ccgw_hold_request hold;
    check("ccgw_hold_request_init", ccgw_hold_request_init(&hold, CCGW_HOLD_REQUEST_VERSION));
    hold.address_type = CCGW_ADDRESS_PHONE;
    hold.address = supervisor;
    hold.voice_path = voice;
    check("holdParticipant", ccgw_hold_participant(s, &hold, NULL));
    for (int held = 0; !held;) {
        ev = wait_event(s, "AgentConf_ParticipantChanged", 10);
        held = ev->change_type == 5 && strcmp(ev->participant, supervisor) == 0;
        ccgw_event_free(ev);
    }
    printf("    %s is on hold, hearing %s\n", supervisor, voice);

    ccgw_conf_list *confs = NULL;
    check("queryConfInfos", ccgw_query_conf_infos(s, &conf_id, 1, NULL, &confs));
    for (size_t i = 0; i < confs->count; i++) {
        const ccgw_conf_info *c = &confs->confs[i];
        printf("    conference %lld: state %d, %d of %d minutes, %zu participants\n", (long long)c->conf_id,
               c->conf_state, c->conf_have_been_time, c->apply_conf_time, c->participant_count);
        for (size_t j = 0; j < c->participant_count; j++) {
            const ccgw_conf_participant *p = &c->participants[j];
            printf("      %-6s %-12s %-11s %s\n", p->address_type == CCGW_ADDRESS_AGENT ? "agent" : "phone",
                   p->address, p->role == 1 ? "chair" : "participant",
                   p->channel_state == 1 ? "held" : p->channel_state == 2 ? "announcement" : "talking");
        }
    }
    int found = confs->count == 1;
    ccgw_conf_list_free(confs);
    if (!found) {
        fprintf(stderr, "  queryConfInfos did not return conference %lld\n", (long long)conf_id);
        return 1;
    }
    check("prolongTime", ccgw_prolong_time(s, 15, NULL));
    print_view(s);
    check("releaseAgentConf", ccgw_release_agent_conf(s, NULL));

    printf("sign out\n");
    if (s2) {
        check("logout (second agent)", ccgw_session_sign_out(s2, NULL));
        ccgw_session_free(s2);
    }
    check("logout", ccgw_session_sign_out(s, NULL));
    ccgw_session_free(s);
    check("ccgw_global_shutdown", ccgw_global_shutdown(2000));
    printf("done\n");
    return 0;
}
