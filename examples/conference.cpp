// conference.cpp -- the conference scenario of examples/conference.c through the C++
// wrapper (include/ccgw.hpp).
//
// The agent signs in, calls a customer (Session::callout returns the call id), holds,
// calls a third-party IVR and joins the two calls into a three-party call (confjoin),
// passes the customer's key presses to the IVR (thirdPartyConfTransmitNum), releases the
// call, requests an agent conference, invites a supervisor's phone and a second agent in
// one tracked batch and waits for each invitee's outcome, holds the phone with an
// announcement, prolongs the conference, queries it, prints the session's live view,
// releases it, and signs out. Every call is a typed wrapper function. A failing call
// throws ccgw::Error; it is printed with the operation's name and the program exits 1.
//
// Events: the chairperson's are taken with Session::events_next and printed as they
// arrive; each step waits for the event that proves it. The second agent's events arrive
// through a std::function handler on a thread of the library's callback pool.
//
// Configuration (environment), as for conference.c:
//   CCGW_URL (required), CCGW_CA, CCGW_AGENT (153), CCGW_PASSWORD (required), CCGW_PHONE
//   (40038), CCGW_AGENT2 (154; empty: phones only), CCGW_PASSWORD2, CCGW_PHONE2 (40039),
//   CCGW_CUSTOMER (70005), CCGW_IVR (9000123), CCGW_SUPERVISOR (70010),
//   CCGW_VOICE (y:/conf/1/hold.V3)
//
// Run against the bundled simulator (packaging/test.sh does this):
//   g++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude examples/conference.cpp
//       -Ltarget/release -Wl,-rpath,$PWD/target/release -lccgw -o build/conference-cpp
//   scripts/with-sim build/conference-cpp
// For Windows with mingw-w64 (either thread model; scripts/build-windows makes the DLL):
//   x86_64-w64-mingw32-g++ -std=c++17 -Iinclude examples/conference.cpp -static
//       target/x86_64-pc-windows-gnu/release/libccgw.dll.a -o conference-cpp.exe
#include "ccgw.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string env_or(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return (v && *v) ? v : fallback;
}

[[noreturn]] void fail(const char *operation, const ccgw::Error &e) {
    std::fprintf(stderr, "  %-28s FAILED: status %d (%s)\n    %s\n", operation, static_cast<int>(e.status()),
                 e.status_str(), e.what());
    if (!e.retcode().empty())
        std::fprintf(stderr, "    gateway retcode %s\n", e.retcode().c_str());
    std::exit(1);
}

[[noreturn]] void die(const std::string &what) {
    std::fprintf(stderr, "  %s\n", what.c_str());
    std::exit(1);
}

/// Runs one operation, printing its outcome; a ccgw::Error ends the program.
template <class F> auto check(const char *operation, F &&f) -> decltype(f()) {
    try {
        if constexpr (std::is_void_v<decltype(f())>) {
            f();
            std::printf("  %-28s OK\n", operation);
        } else {
            auto r = f();
            std::printf("  %-28s OK\n", operation);
            return r;
        }
    } catch (const ccgw::Error &e) {
        fail(operation, e);
    }
}

/// Takes the chairperson's events, printing each as it arrives, until one of `type`
/// arrives. Gives up after `limit`.
ccgw::Event wait_event(ccgw::Session &s, const std::string &type, std::chrono::seconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        std::optional<ccgw::Event> ev;
        try {
            ev = s.events_next(500ms);
        } catch (const ccgw::Error &e) {
            fail("events_next", e);
        }
        if (!ev)
            continue;
        std::printf("    event %s\n", ev->type_name.c_str());
        if (ev->kind == CCGW_EVENT_PUMP_STOPPED)
            die("the event pump stopped: " + ev->message);
        if (ev->type_name == type)
            return *ev;
    }
    die(type + " did not arrive within " + std::to_string(limit.count()) + " s");
}

const char *outcome_name(int32_t outcome) {
    switch (outcome) {
    case CCGW_INVITE_JOINED: return "joined";
    case CCGW_INVITE_FAILED: return "failed";
    case CCGW_INVITE_RELEASED: return "released";
    case CCGW_INVITE_NO_ANSWER: return "no answer";
    case CCGW_INVITE_CONF_ENDED: return "conference ended";
    default: return "pending";
    }
}

/// Prints the session's live view of its conferences.
void print_view(const ccgw::Session &s) {
    std::vector<ccgw::ViewConf> view = check("conf_view_snapshot", [&] { return s.conf_view_snapshot(); });
    for (const auto &c : view) {
        std::printf("    live view: conference %lld, %s, %s, %d of %d minutes, %d places, %zu participants\n",
                    static_cast<long long>(c.conf_id), c.is_chair ? "chair" : "participant",
                    c.synced ? "synced" : "not synced", c.conf_have_been_time, c.apply_conf_time, c.member_num,
                    c.participants.size());
        for (const auto &p : c.participants)
            std::printf("      %-6s %-12s %-11s %-12s mode %d%s%s\n", p.address_type == CCGW_ADDRESS_AGENT ? "agent" : "phone",
                        p.address.c_str(), p.role == 1 ? "chair" : "participant",
                        p.held ? "held" : p.announcement ? "announcement" : "talking", p.channel_attrib,
                        p.hold_voice_path.empty() ? "" : ", hearing ", p.hold_voice_path.c_str());
    }
    if (view.empty())
        std::printf("    live view: no conference\n");
}

ccgw::Session open_session(const std::string &url, const char *ca, const std::string &agent) {
    ccgw::SessionOptions o;
    o.base_url = url;
    o.agent_id = agent;
    if (ca && *ca)
        o.ca_file = ca;
    return check("session", [&] { return ccgw::Session(o); });
}

void sign_in(ccgw::Session &s, const std::string &password, const std::string &phone) {
    ccgw::SignInOptions si;
    si.password = password;
    si.phonenum = phone;
    si.force = true;  // take the session over if the agent is signed in elsewhere
    ccgw::SignInResult r = check("login", [&] { return s.sign_in(si); });
    std::printf("    agent %s signed in to %s (VDN %lld)%s\n", r.work_no.c_str(), r.server_name.c_str(),
                static_cast<long long>(r.vdn_id), r.forced ? ", by force" : "");
}

}  // namespace

int main() {
    const char *url = std::getenv("CCGW_URL");
    const char *password = std::getenv("CCGW_PASSWORD");
    if (!url || !password) {
        std::fprintf(stderr, "set CCGW_URL and CCGW_PASSWORD (and CCGW_CA for a private CA)\n");
        return 2;
    }
    const char *ca = std::getenv("CCGW_CA");
    const std::string agent = env_or("CCGW_AGENT", "153");
    const std::string agent2 = env_or("CCGW_AGENT2", "154");
    const std::string voice = env_or("CCGW_VOICE", "y:/conf/1/hold.V3");
    const std::string supervisor = env_or("CCGW_SUPERVISOR", "70010");

    std::printf("ccgw %s (C++ wrapper): conference scenario against %s as agent %s\n", ccgw::version().c_str(), url,
                agent.c_str());
    {
        ccgw::Session s = open_session(url, ca, agent);
        sign_in(s, password, env_or("CCGW_PHONE", "40038"));
        check("events_start", [&] { s.events_start(); });

        std::printf("three-party call\n");
        std::string customer_call =
            check("callout (customer)", [&] { return s.callout(env_or("CCGW_CUSTOMER", "70005")); });
        ccgw::Event ev = wait_event(s, "AgentEvent_Talking", 30s);
        std::printf("    talking to %s\n", ev.called.c_str());
        check("hold", [&] { s.hold_call(); });
        wait_event(s, "AgentEvent_Hold");
        check("callout (IVR)", [&] { return s.callout(env_or("CCGW_IVR", "9000123")); });
        wait_event(s, "AgentEvent_Talking", 30s);
        check("confJoin", [&] { s.conf_join(customer_call, std::string("ccgw-demo")); });
        ev = wait_event(s, "AgentEvent_Conference");
        std::printf("    three-party call %s with", ev.callid.c_str());
        for (const auto &p : ev.partners)
            std::printf(" %s", p.c_str());
        std::printf("\n");
        check("thirdPartyConfTransmitNum", [&] { s.third_party_conf_transmit_num(); });
        check("release", [&] { s.release_call(); });
        wait_event(s, "AgentEvent_Call_Release");

        std::printf("agent conference\n");
        std::optional<ccgw::Session> s2;
        if (!agent2.empty()) {
            s2.emplace(open_session(url, ca, agent2));
            check("events_set_callback", [&] {
                // Runs on a thread of the library's callback pool: one printf per line (stdio locks
                // the stream per call), so no mutex is needed, and the example builds with
                // mingw's win32-thread g++, whose C++ library has no std::mutex before GCC 13.
                s2->events_set_callback([agent2](const ccgw::Event &e) {
                    std::printf("    [agent %s] event %s\n", agent2.c_str(), e.type_name.c_str());
                });
            });
            sign_in(*s2, env_or("CCGW_PASSWORD2", password), env_or("CCGW_PHONE2", "40039"));
            check("events_start", [&] { s2->events_start(); });
        }
        ccgw::AgentConfRequest conf;
        conf.member_num = 5;
        conf.time = 30;
        check("requestAgentConf", [&] { s.request_agent_conf(conf); });
        int64_t conf_id = wait_event(s, "AgentConf_RequestSuccess").conf_id;
        std::printf("    conference %lld granted\n", static_cast<long long>(conf_id));

        ccgw::BatchAddRequest add;
        add.participants.push_back(ccgw::Participant::phone(supervisor));
        if (!agent2.empty())
            add.participants.push_back(ccgw::Participant::agent(agent2));
        // Each invitee's outcome: joined, failed (with the gateway's code), released, or no
        // answer within 30 s. The events keep arriving here too; the tracker takes none.
        ccgw::InviteTracker tracker =
            check("batchAddParticipant", [&] { return s.batch_add_participant_tracked(add, 30s); });
        wait_event(s, "ccgw.InvitesSettled", 40s);
        check("tracker wait", [&] { return tracker.wait(); });
        for (const auto &inv : tracker.results().invitees) {
            std::printf("    invitee %s: %s", inv.address.c_str(), outcome_name(inv.outcome));
            if (inv.outcome == CCGW_INVITE_FAILED)
                std::printf(" (result %lld)", static_cast<long long>(inv.result));
            std::printf("\n");
        }

        ccgw::HoldRequest hold;
        hold.address_type = CCGW_ADDRESS_PHONE;
        hold.address = supervisor;
        hold.voice_path = voice;
        check("holdParticipant", [&] { s.hold_participant(hold); });
        for (bool held = false; !held;) {
            ev = wait_event(s, "AgentConf_ParticipantChanged");
            held = ev.change_type == 5 && ev.participant == supervisor;
        }
        std::printf("    %s is on hold, hearing %s\n", supervisor.c_str(), voice.c_str());

        std::vector<ccgw::ConfInfo> confs = check("queryConfInfos", [&] { return s.query_conf_infos({conf_id}); });
        for (const auto &c : confs) {
            std::printf("    conference %lld: state %d, %d of %d minutes, %zu participants\n",
                        static_cast<long long>(c.conf_id), c.conf_state, c.conf_have_been_time, c.apply_conf_time,
                        c.participants.size());
            for (const auto &p : c.participants)
                std::printf("      %-6s %-12s %-11s %s\n", p.address_type == CCGW_ADDRESS_AGENT ? "agent" : "phone",
                            p.address.c_str(), p.role == 1 ? "chair" : "participant",
                            p.channel_state == 1   ? "held"
                            : p.channel_state == 2 ? "announcement"
                                                   : "talking");
        }
        if (confs.size() != 1 || confs[0].conf_id != conf_id)
            die("queryConfInfos did not return conference " + std::to_string(conf_id));
        check("prolongTime", [&] { s.prolong_time(15); });
        print_view(s);
        check("releaseAgentConf", [&] { s.release_agent_conf(); });

        std::printf("sign out\n");
        if (s2)
            check("logout (second agent)", [&] { s2->sign_out(); });
        check("logout", [&] { s.sign_out(); });
        // The sessions are freed here, at the end of their scope (s2 first).
    }
    check("global_shutdown", [] { ccgw::global_shutdown(2s); });
    std::printf("done\n");
    return 0;
}
