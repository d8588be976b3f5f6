// Tests of include/ccgw.hpp against the simulator (real HTTPS on loopback).
// Environment: CCGW_URL, CCGW_CA, CCGW_PASSWORD, as scripts/with-sim provides them:
//   packaging/test.sh            (compiles and runs it, among the packaging checks)
// or by hand: g++ -std=c++17 -Wall -Wextra -Werror -pedantic -Iinclude tests/cpp/test_wrapper.cpp
//   -Ltarget/release -Wl,-rpath,$PWD/target/release -lccgw -lpthread -o build/test_wrapper,
//   then scripts/with-sim build/test_wrapper
// Prints one line per test and "N passed, M failed" last; exits 1 when any failed.
#include "ccgw.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

int g_passed = 0;
int g_failed = 0;
int g_test_failures = 0;  // failures of the running test

void fail(const char *file, int line, const std::string &what) {
    std::cerr << "    " << file << ":" << line << ": " << what << "\n";
    g_test_failures++;
}

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            fail(__FILE__, __LINE__, "expected " #cond);                                                               \
    } while (0)

#define CHECK_EQ(a, b)                                                                                                 \
    do {                                                                                                               \
        const auto &a_ = (a);                                                                                          \
        const auto &b_ = (b);                                                                                          \
        if (!(a_ == b_)) {                                                                                             \
            std::ostringstream os_;                                                                                    \
            os_ << "expected " #a " == " #b ", got " << a_ << " vs " << b_;                                           \
            fail(__FILE__, __LINE__, os_.str());                                                                       \
        }                                                                                                              \
    } while (0)

/// Runs `f` and returns the ccgw::Error it threw, if any.
template <class F> std::optional<ccgw::Error> error_of(F &&f) {
    try {
        f();
    } catch (const ccgw::Error &e) {
        return e;
    }
    return std::nullopt;
}

/// Checks that `f` throws ccgw::Error with `status`; returns the error.
#define CHECK_THROWS_STATUS(expr, expected)                                                                            \
    [&]() -> std::optional<ccgw::Error> {                                                                              \
        auto e_ = error_of([&] { expr; });                                                                             \
        if (!e_)                                                                                                       \
            fail(__FILE__, __LINE__, "expected " #expr " to throw " #expected);                                       \
        else if (e_->status() != (expected))                                                                           \
            fail(__FILE__, __LINE__,                                                                                   \
                 std::string(#expr " threw status ") + std::to_string(e_->status()) + " (" + e_->what() +           \
                     "), expected " #expected);                                                                        \
        return e_;                                                                                                     \
    }()

void run(const char *name, const std::function<void()> &test) {
    g_test_failures = 0;
    try {
        test();
    } catch (const ccgw::Error &e) {
        fail(__FILE__, __LINE__,
             std::string("unexpected ccgw::Error status ") + std::to_string(e.status()) + " retcode '" + e.retcode() +
                 "': " + e.what());
    } catch (const std::exception &e) {
        fail(__FILE__, __LINE__, std::string("unexpected exception: ") + e.what());
    }
    if (g_test_failures == 0) {
        g_passed++;
        std::cout << "ok   " << name << std::endl;
    } else {
        g_failed++;
        std::cout << "FAIL " << name << std::endl;
    }
}

std::string env(const char *name) {
    const char *v = std::getenv(name);
    if (!v || !*v) {
        std::cerr << name << " is not set (run through scripts/with-sim)\n";
        std::exit(2);
    }
    return v;
}

ccgw::SessionOptions options(const std::string &agent) {
    ccgw::SessionOptions o;
    o.base_url = env("CCGW_URL");
    if (const char *ca = std::getenv("CCGW_CA"); ca && *ca)
        o.ca_file = ca;
    o.agent_id = agent;
    return o;
}

ccgw::Session open(const std::string &agent) { return ccgw::Session(options(agent)); }

ccgw::SignInOptions sign_in_options(const std::string &agent, bool force = true) {
    ccgw::SignInOptions si;
    si.password = env("CCGW_PASSWORD");
    si.phonenum = "4" + agent;
    si.force = force;
    return si;
}

/// Takes events from `s` until one of `type` satisfying `pred` arrives, for at most `limit`.
std::optional<ccgw::Event> wait_event(ccgw::Session &s, const std::string &type,
                                      const std::function<bool(const ccgw::Event &)> &pred = nullptr,
                                      std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        auto ev = s.events_next(200ms);
        if (!ev)
            continue;
        if (ev->kind == CCGW_EVENT_PUMP_STOPPED)
            return std::nullopt;
        if (ev->type_name == type && (!pred || pred(*ev)))
            return ev;
    }
    return std::nullopt;
}

/// The string "result" of a gateway answer (the call id of a callout).
std::string result_string(const std::string &json) {
    const std::string key = "\"result\":\"";
    auto p = json.find(key);
    if (p == std::string::npos)
        return std::string();
    p += key.size();
    return json.substr(p, json.find('"', p) - p);
}

/// Events delivered to a callback, with a bounded wait.
struct Collected {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<ccgw::Event> events;
    std::vector<std::thread::id> threads;

    void push(const ccgw::Event &ev) {
        {
            std::lock_guard<std::mutex> lock(mu);
            events.push_back(ev);
            threads.push_back(std::this_thread::get_id());
        }
        cv.notify_all();
    }
    bool wait_for_type(const std::string &type, std::chrono::milliseconds limit) {
        std::unique_lock<std::mutex> lock(mu);
        return cv.wait_for(lock, limit, [&] {
            return std::any_of(events.begin(), events.end(), [&](const ccgw::Event &e) { return e.type_name == type; });
        });
    }
};

// ----------------------------------------------------------------------------------------

void test_version_and_abi() {
    CHECK_EQ(ccgw::version(), std::string(CCGW_VERSION_STRING));
    CHECK_EQ(ccgw::abi_version(), static_cast<uint32_t>(CCGW_ABI_VERSION));
    ccgw::check_abi();
    CHECK(ccgw::status_is_gateway(CCGW_E_GW_NO_CONFERENCE));
    CHECK(!ccgw::status_str(CCGW_E_TIMEOUT).empty());
}

void test_sign_in_guid_sign_out() {
    auto s = open("301");
    CHECK_EQ(s.agent_id(), std::string("301"));
    CHECK_THROWS_STATUS(s.guid(), CCGW_E_NOT_SIGNED_IN);
    ccgw::SignInResult r = s.sign_in(sign_in_options("301", false));
    CHECK_EQ(r.work_no, std::string("301"));
    CHECK(!r.server_name.empty());
    CHECK(!r.forced);
    std::string g1 = s.guid();
    CHECK(!g1.empty());
    s.update_guid();
    std::string g2 = s.guid();
    CHECK(!g2.empty());
    CHECK(g1 != g2);
    s.set_guid(g1);
    CHECK_EQ(s.guid(), g1);
    s.set_guid(g2);
    s.sign_out();
    CHECK_THROWS_STATUS(s.guid(), CCGW_E_NOT_SIGNED_IN);
}

void test_sign_in_with_force_takes_over() {
    auto a = open("302");
    a.sign_in(sign_in_options("302", false));
    auto b = open("302");
    auto refused = CHECK_THROWS_STATUS(b.sign_in(sign_in_options("302", false)), CCGW_E_GW_ALREADY_SIGNED_IN);
    if (refused)
        CHECK_EQ(refused->retcode(), std::string("100-002"));
    ccgw::SignInResult r = b.sign_in(sign_in_options("302", true));
    CHECK(r.forced);
    CHECK_EQ(r.work_no, std::string("302"));
    b.sign_out();
}

void test_gateway_refusal_raises_error_with_retcode() {
    auto s = open("303");
    s.sign_in(sign_in_options("303"));
    ccgw::HoldRequest hold;
    hold.address = "70010";
    hold.voice_path = "y:/conf/1/hold.V3";
    auto e = CHECK_THROWS_STATUS(s.hold_participant(hold), CCGW_E_GW_NO_CONFERENCE);
    if (e) {
        CHECK_EQ(e->retcode(), std::string("101-001"));
        CHECK(e->is_gateway());
        CHECK_EQ(e->http_status(), 200);
        CHECK(std::strlen(e->what()) > 0);
    }
    auto wrong = open("304");
    ccgw::SignInOptions bad = sign_in_options("304");
    bad.password = "not-the-password";
    e = CHECK_THROWS_STATUS(wrong.sign_in(bad), CCGW_E_GW_WRONG_CREDENTIALS);
    if (e)
        CHECK_EQ(e->retcode(), std::string("100-004"));
    s.sign_out();
}

void test_argument_error_raises_before_sending() {
    // A session whose gateway does not exist: anything sent would fail with CCGW_E_CONNECT,
    // so an argument status proves nothing was sent.
    ccgw::SessionOptions o = options("305");
    o.base_url = "https://127.0.0.1:1";
    ccgw::Session s(o);
    s.set_guid("JSESSIONID=00000000-0000-0000-0000-000000000000.AgentGateway1");

    ccgw::HoldRequest hold;
    hold.address = "70010";  // no voice path: mandatory
    auto e = CHECK_THROWS_STATUS(s.hold_participant(hold), CCGW_E_MISSING_ARGUMENT);
    if (e) {
        CHECK_EQ(e->retcode(), std::string());
        CHECK_EQ(e->http_status(), 0);
        CHECK(!e->is_gateway());
    }
    CHECK_THROWS_STATUS(s.query_conf_infos(std::vector<int64_t>(21, 1)), CCGW_E_TOO_MANY);
    CHECK_THROWS_STATUS(s.query_conf_infos({}), CCGW_E_MISSING_ARGUMENT);
    ccgw::BatchAddRequest add;
    add.participants.push_back(ccgw::Participant::phone(std::string(25, '7')));
    CHECK_THROWS_STATUS(s.batch_add_participant(add), CCGW_E_TOO_LONG);
    CHECK_THROWS_STATUS(s.conf_join("   "), CCGW_E_MISSING_ARGUMENT);
    CHECK_THROWS_STATUS(s.request("POST", "voicecall/{agentid}/hold", std::string("{not json")),
                        CCGW_E_INVALID_ARGUMENT);
    // Embedded NUL: refused by the wrapper itself, not cut short.
    CHECK_THROWS_STATUS(s.conf_join(std::string("abc\0def", 7)), CCGW_E_INVALID_ARGUMENT);
    // The same session does try to send a valid call, and fails to connect.
    CHECK_THROWS_STATUS(s.third_party_conf_transmit_num(), CCGW_E_CONNECT);
}

void test_three_party_call_operations_and_request() {
    auto s = open("306");
    s.sign_in(sign_in_options("306"));
    s.events_start();
    CHECK(s.events_running());
    std::string json = s.request("PUT", "voicecall/{agentid}/callout", std::string("{\"called\":\"70005\"}"));
    std::string callid = result_string(json);
    CHECK(!callid.empty());
    CHECK(json.find("\"retcode\":\"0\"") != std::string::npos);
    s.request("POST", "voicecall/{agentid}/hold");
    s.request("PUT", "voicecall/{agentid}/callout", std::string("{\"called\":\"9000123\"}"));
    s.conf_join(callid, std::string("ccgw-cpp-test"));
    auto ev = wait_event(s, "AgentEvent_Conference");
    CHECK(ev.has_value());
    if (ev) {
        CHECK_EQ(ev->kind, CCGW_EVENT_CONFERENCE);
        CHECK(!ev->callid.empty());
        CHECK(!ev->partners.empty());
        CHECK(std::find(ev->partners.begin(), ev->partners.end(), "70005") != ev->partners.end());
    }
    s.third_party_conf_transmit_num();
    s.request("DELETE", "voicecall/{agentid}/release");
    // Without the three-party call the gateway refuses with its plain numeric code.
    auto e = CHECK_THROWS_STATUS(s.third_party_conf_transmit_num(), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    if (e)
        CHECK_EQ(e->retcode(), std::string("10001"));
    s.sign_out();
    CHECK(!s.events_running());
}

void test_conference_operations_and_events_next() {
    auto chair = open("307");
    auto invitee = open("308");
    chair.sign_in(sign_in_options("307"));
    chair.events_start();
    invitee.sign_in(sign_in_options("308"));
    invitee.events_start();

    chair.request("POST", "agentconf/{agentid}/requestagentconf", std::string("{\"memberNum\":5,\"time\":30}"));
    auto granted = wait_event(chair, "AgentConf_RequestSuccess");
    CHECK(granted.has_value());
    if (!granted)
        return;
    CHECK_EQ(granted->kind, CCGW_EVENT_CONF_REQUEST_SUCCESS);
    int64_t conf_id = granted->conf_id;
    CHECK(conf_id > 0);
    CHECK(granted->sequence > 0);

    ccgw::BatchAddRequest add;
    add.participants = {ccgw::Participant::phone("70010"), ccgw::Participant::agent("308")};
    chair.batch_add_participant(add);
    std::vector<std::string> joined;
    for (int i = 0; i < 2; i++) {
        auto ev = wait_event(chair, "AgentConf_ParticipantChanged",
                             [](const ccgw::Event &e) { return e.change_type == 0; });
        CHECK(ev.has_value());
        if (!ev)
            break;
        CHECK_EQ(ev->result, 0);
        joined.push_back(ev->participant);
    }
    CHECK(std::find(joined.begin(), joined.end(), "70010") != joined.end());
    CHECK(std::find(joined.begin(), joined.end(), "308") != joined.end());

    ccgw::HoldRequest hold;
    hold.address = "70010";
    hold.voice_path = "y:/conf/1/hold.V3";
    chair.hold_participant(hold);
    auto held = wait_event(chair, "AgentConf_ParticipantChanged",
                           [](const ccgw::Event &e) { return e.change_type == 5 && e.participant == "70010"; });
    CHECK(held.has_value());

    std::vector<ccgw::ConfInfo> confs = chair.query_conf_infos({conf_id});
    CHECK_EQ(confs.size(), static_cast<size_t>(1));
    if (confs.size() == 1) {
        CHECK_EQ(confs[0].conf_id, conf_id);
        CHECK(confs[0].participants.size() >= 3);
        bool phone_held = false, chair_found = false;
        for (const auto &p : confs[0].participants) {
            if (p.address == "70010" && p.channel_state == 1 && p.address_type == CCGW_ADDRESS_PHONE)
                phone_held = true;
            if (p.address == "307" && p.role == 1)
                chair_found = true;
        }
        CHECK(phone_held);
        CHECK(chair_found);
    }
    chair.request("POST", "agentconf/{agentid}/releaseagentconf");
    invitee.sign_out();
    chair.sign_out();
}

void test_events_next_timeout_and_closed() {
    auto s = open("309");
    s.sign_in(sign_in_options("309"));
    s.events_start();
    // Drain whatever sign-in produced; then a wait ends empty-handed at its timeout.
    bool timed_out = false;
    for (int i = 0; i < 100 && !timed_out; i++)
        timed_out = !s.events_next(300ms).has_value();
    CHECK(timed_out);
    auto t0 = std::chrono::steady_clock::now();
    auto none = s.events_next(100ms);
    CHECK(!none.has_value());
    CHECK(std::chrono::steady_clock::now() - t0 >= 90ms);
    s.sign_out();
    s.close();
    // A closed session hands out what is queued, then reports CCGW_E_CLOSED.
    std::optional<ccgw::Error> closed;
    for (int i = 0; i < 100 && !closed; i++)
        closed = error_of([&] { (void)s.events_next(100ms); });
    CHECK(closed.has_value());
    if (closed)
        CHECK_EQ(closed->status(), CCGW_E_CLOSED);
    CHECK_THROWS_STATUS(s.update_guid(), CCGW_E_CLOSED);
}

void test_events_over_the_size_limit_are_reported() {
    auto s = open("311");
    s.sign_in(sign_in_options("311"));
    ccgw::EventsOptions o;
    o.max_event_bytes = 16;  // smaller than any gateway event
    s.events_start(o);
    std::optional<ccgw::Event> lost;
    for (int i = 0; i < 50 && !lost; i++) {
        auto ev = s.events_next(200ms);
        if (ev && ev->kind == CCGW_EVENT_EVENTS_LOST)
            lost = ev;
        else if (ev)
            fail(__FILE__, __LINE__, "an event over max_event_bytes was delivered: " + ev->type_name);
    }
    CHECK(lost.has_value());
    if (lost) {
        CHECK_EQ(lost->lost_reason, CCGW_LOST_TOO_LARGE);
        CHECK(lost->lost_count >= 1);
        CHECK(lost->message.find("max_event_bytes") != std::string::npos);
    }
    s.sign_out();
}

void test_events_through_callback() {
    auto s = open("310");
    auto collected = std::make_shared<Collected>();
    std::weak_ptr<Collected> watch = collected;
    // The handler owns a reference; only the library keeps it after this.
    s.events_set_callback([collected](const ccgw::Event &ev) { collected->push(ev); });
    auto keep = collected;
    collected.reset();
    CHECK(!watch.expired());

    s.sign_in(sign_in_options("310"));
    s.events_start();
    s.request("POST", "agentconf/{agentid}/requestagentconf", std::string("{\"memberNum\":3,\"time\":10}"));
    CHECK(keep->wait_for_type("AgentConf_RequestSuccess", 10s));
    {
        std::lock_guard<std::mutex> lock(keep->mu);
        CHECK(!keep->events.empty());
        for (size_t i = 1; i < keep->events.size(); i++)
            CHECK(keep->events[i].sequence > keep->events[i - 1].sequence);
        for (auto id : keep->threads)
            CHECK(id != std::this_thread::get_id());
    }
    // Replacing the handler releases the old one through userdata_free.
    auto second = std::make_shared<int>(0);
    std::weak_ptr<int> watch2 = second;
    s.events_set_callback([second](const ccgw::Event &) { (*second)++; });
    second.reset();
    keep.reset();
    CHECK(watch.expired());
    CHECK(!watch2.expired());
    s.events_clear_callback();
    CHECK(watch2.expired());
    // A handler that throws does not take the process down.
    s.events_set_callback([](const ccgw::Event &) { throw std::runtime_error("handler failure"); });
    s.request("POST", "agentconf/{agentid}/releaseagentconf");
    s.sign_out();
    // The session's destruction releases the last handler.
}

void test_dispatch_options_and_a_one_thread_pool() {
    ccgw::set_dispatch_options({});
    auto d = ccgw::dispatch_options();
    CHECK_EQ(d.threads, static_cast<uint32_t>(CCGW_DEFAULT_DISPATCH_THREADS));
    CHECK_EQ(d.max_threads, static_cast<uint32_t>(CCGW_DEFAULT_DISPATCH_MAX_THREADS));
    CHECK(d.stall == std::chrono::milliseconds(CCGW_DEFAULT_DISPATCH_STALL_MS));
    ccgw::DispatchOptions bad;
    bad.threads = 8;
    bad.max_threads = 4;
    CHECK_THROWS_STATUS(ccgw::set_dispatch_options(bad), CCGW_E_OUT_OF_RANGE);
    CHECK_EQ(ccgw::dispatch_options().threads, static_cast<uint32_t>(CCGW_DEFAULT_DISPATCH_THREADS));
    // One thread; threads earlier tests started above it end after 50 ms without work.
    ccgw::DispatchOptions one;
    one.threads = 1;
    one.max_threads = 1;
    one.idle = 50ms;
    ccgw::set_dispatch_options(one);
    CHECK_EQ(ccgw::dispatch_options().threads, 1u);
    CHECK(ccgw::dispatch_options().idle == 50ms);
    std::this_thread::sleep_for(300ms);
    {
        auto a = open("312");
        auto b = open("313");
        auto collected = std::make_shared<Collected>();
        for (auto *s : {&a, &b}) {
            s->events_set_callback([collected](const ccgw::Event &ev) { collected->push(ev); });
            s->sign_in(sign_in_options(s->agent_id()));
            s->events_start();
            s->request("POST", "agentconf/{agentid}/requestagentconf", std::string("{\"memberNum\":3,\"time\":10}"));
        }
        auto both = [&] {
            std::lock_guard<std::mutex> lock(collected->mu);
            int n = 0;
            for (auto &e : collected->events)
                n += e.type_name == "AgentConf_RequestSuccess";
            return n;
        };
        auto deadline = std::chrono::steady_clock::now() + 10s;
        while (both() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(10ms);
        CHECK_EQ(both(), 2);
        {
            std::lock_guard<std::mutex> lock(collected->mu);
            CHECK(!collected->threads.empty());
            for (auto id : collected->threads)
                CHECK(id == collected->threads.front()); // both sessions on the one pool thread
        }
        for (auto *s : {&a, &b}) {
            s->request("POST", "agentconf/{agentid}/releaseagentconf");
            s->sign_out();
        }
    }
    ccgw::set_dispatch_options({});
}

void test_move_semantics() {
    auto a = open("311");
    ccgw_session *raw = a.get();
    CHECK(raw != nullptr);
    ccgw::Session b(std::move(a));
    CHECK(!a);
    CHECK(a.get() == nullptr);
    CHECK(b.get() == raw);
    CHECK_EQ(b.agent_id(), std::string("311"));
    CHECK_EQ(a.agent_id(), std::string());
    CHECK_THROWS_STATUS(a.update_guid(), CCGW_E_NULL_ARGUMENT);
    CHECK_THROWS_STATUS(a.events_next(0ms), CCGW_E_NULL_ARGUMENT);
    // A handler given to a moved-from session is released, not leaked.
    auto token = std::make_shared<int>(1);
    std::weak_ptr<int> watch = token;
    CHECK_THROWS_STATUS(a.events_set_callback([token](const ccgw::Event &) {}), CCGW_E_NULL_ARGUMENT);
    token.reset();
    CHECK(watch.expired());

    // Move assignment frees the target's old session and takes the new one.
    auto c = open("312");
    c = std::move(b);
    CHECK(!b);
    CHECK(c.get() == raw);
    CHECK_EQ(c.agent_id(), std::string("311"));
    c.sign_in(sign_in_options("311"));
    // Sessions in a container move as the vector grows.
    std::vector<ccgw::Session> many;
    for (int i = 0; i < 5; i++)
        many.push_back(open(std::to_string(320 + i)));
    CHECK_EQ(many[4].agent_id(), std::string("324"));
    // A moved-from object can be assigned again (no double free on destruction).
    a = std::move(c);
    CHECK(!c);
    CHECK_EQ(a.agent_id(), std::string("311"));

    // Cancel tokens move the same way; a cancelled token cancels the call.
    ccgw::Cancel x;
    CHECK(static_cast<bool>(x));
    ccgw::Cancel y(std::move(x));
    CHECK(!x);
    CHECK(static_cast<bool>(y));
    CHECK_THROWS_STATUS(x.cancel(), CCGW_E_NULL_ARGUMENT);
    ccgw::CallOptions stale;
    stale.cancel = &x;
    CHECK_THROWS_STATUS(a.update_guid(stale), CCGW_E_NULL_ARGUMENT);
    y.cancel();
    ccgw::CallOptions call;
    call.cancel = &y;
    CHECK_THROWS_STATUS(a.request("GET", "agentevent/{agentid}", std::nullopt, call), CCGW_E_CANCELLED);
    ccgw::CallOptions quick;
    quick.timeout = 5s;
    a.update_guid(quick);
    a.sign_out();
}

void test_log_handler() {
    struct Records {
        std::mutex mu;
        std::vector<std::string> operations;
    };
    auto records = std::make_shared<Records>();
    std::weak_ptr<Records> watch = records;
    ccgw::set_log_handler(CCGW_LOG_DEBUG, [records](int32_t level, const std::string &operation, const std::string &) {
        if (level >= CCGW_LOG_ERROR && level <= CCGW_LOG_DEBUG) {
            std::lock_guard<std::mutex> lock(records->mu);
            records->operations.push_back(operation);
        }
    });
    auto keep = records;
    records.reset();
    {
        auto s = open("313");
        s.sign_in(sign_in_options("313"));
        s.sign_out();
    }
    {
        std::lock_guard<std::mutex> lock(keep->mu);
        CHECK(std::find(keep->operations.begin(), keep->operations.end(), "login") != keep->operations.end());
        CHECK(std::find(keep->operations.begin(), keep->operations.end(), "logout") != keep->operations.end());
    }
    keep.reset();
    CHECK(!watch.expired());
    // Turning logging off releases the handler.
    ccgw::set_log_handler(CCGW_LOG_OFF, nullptr);
    CHECK(watch.expired());
    CHECK_THROWS_STATUS(ccgw::set_log_handler(42, [](int32_t, const std::string &, const std::string &) {}),
                        CCGW_E_OUT_OF_RANGE);
}

} // namespace

// Certificate pinning: a wrong pin fails the handshake naming the certificate's SHA-256;
// pinning that fingerprint (no CA given) then signs in.
void test_certificate_pinning() {
    auto o = options("3901");
    o.ca_file.reset();
    o.pinned_sha256 = std::string(64, 'a');
    ccgw::Session wrong(o);
    auto e = CHECK_THROWS_STATUS(wrong.sign_in(sign_in_options("3901")), CCGW_E_TLS);
    if (!e)
        return;
    std::string msg = e->what();
    auto at = msg.find("its SHA-256 is ");
    CHECK(at != std::string::npos);
    if (at == std::string::npos)
        return;
    o.pinned_sha256 = msg.substr(at + 15, 95);
    ccgw::Session pinned(o);
    pinned.sign_in(sign_in_options("3901"));
    pinned.sign_out();
    o.pinned_sha256 = "not a fingerprint";
    CHECK_THROWS_STATUS(ccgw::Session bad(o), CCGW_E_INVALID_ARGUMENT);
}

// Cookies off: the option reaches the library (the session works against a single gateway;
// the behaviour behind a sticky balancer is tested in Rust, Python and .NET).
void test_cookies_can_be_disabled() {
    auto o = options("3902");
    o.disable_cookies = true;
    ccgw::Session s(o);
    s.sign_in(sign_in_options("3902"));
    s.request("GET", "onlineagent/{agentid}/agentstatus");
    s.sign_out();
}

// A proxy that is down: CCGW_E_PROXY; a proxy URL with credentials is refused.
void test_proxy_down_and_bad_proxy_url() {
    auto o = options("3903");
    o.proxy_url = "http://127.0.0.1:9";  // discard: nothing listens there
    ccgw::Session s(o);
    CHECK_THROWS_STATUS(s.sign_in(sign_in_options("3903")), CCGW_E_PROXY);
    o.proxy_url = "http://u:hunter2@127.0.0.1:3128";
    auto e = CHECK_THROWS_STATUS(ccgw::Session bad(o), CCGW_E_INVALID_ARGUMENT);
    CHECK(e && std::string(e->what()).find("hunter2") == std::string::npos);
}

void test_typed_conference_view_and_tracker() {
    auto chair = open("321");
    chair.sign_in(sign_in_options("321"));
    chair.events_start(ccgw::EventsOptions{0, 0, 50, 0, 0, 0});
    auto guest = open("322");
    auto guest_in = sign_in_options("322");
    guest_in.autoanswer = 0;
    guest.sign_in(guest_in);
    guest.events_start(ccgw::EventsOptions{0, 0, 50, 0, 0, 0});
    auto ringer = open("323");  // rings, never answers
    auto ringer_in = sign_in_options("323");
    ringer_in.autoanswer = 0;
    ringer.sign_in(ringer_in);
    ringer.events_start(ccgw::EventsOptions{0, 0, 50, 0, 0, 0});

    ccgw::AgentConfRequest req;
    req.member_num = 5;
    req.time = 30;
    chair.request_agent_conf(req);
    auto granted = wait_event(chair, "AgentConf_RequestSuccess");
    CHECK(granted.has_value());
    if (!granted)
        return;
    auto view = chair.conf_view_snapshot();
    CHECK_EQ(view.size(), size_t{1});
    CHECK_EQ(view[0].conf_id, granted->conf_id);
    CHECK(view[0].is_chair && view[0].synced);
    CHECK_EQ(view[0].apply_conf_time, 30);

    ccgw::BatchAddRequest add;
    add.participants = {ccgw::Participant::phone("70020"), ccgw::Participant::agent("322"),
                        ccgw::Participant::agent("323"), ccgw::Participant::agent("324")};
    ccgw::InviteTracker tracker = chair.batch_add_participant_tracked(add, 1500ms);
    CHECK(tracker.id() > 0);
    CHECK(wait_event(guest, "AgentConf_Ringing").has_value());
    guest.answer_agent_conf();
    CHECK(tracker.wait());
    ccgw::InviteResults r = tracker.results();
    CHECK_EQ(r.tracker_id, tracker.id());
    CHECK_EQ(r.pending, size_t{0});
    CHECK_EQ(r.invitees.size(), size_t{4});
    if (r.invitees.size() == 4) {
        CHECK_EQ(r.invitees[0].outcome, CCGW_INVITE_JOINED);
        CHECK_EQ(r.invitees[1].outcome, CCGW_INVITE_JOINED);
        CHECK_EQ(r.invitees[2].outcome, CCGW_INVITE_NO_ANSWER);
        CHECK_EQ(r.invitees[3].outcome, CCGW_INVITE_FAILED);
        CHECK_EQ(r.invitees[3].result, int64_t{1});
    }
    auto settled = wait_event(chair, "ccgw.InvitesSettled");
    CHECK(settled && settled->tracker_id == tracker.id());

    // The guest joined as an invitee: a resync completes its view.
    CHECK(!guest.conf_view_snapshot().at(0).synced);
    guest.conf_view_resync();
    CHECK(guest.conf_view_snapshot().at(0).synced);
    CHECK_EQ(guest.conf_view_snapshot().at(0).participants.size(), size_t{3});

    chair.hold_participant(ccgw::HoldRequest{CCGW_ADDRESS_PHONE, "70020", CCGW_UNSET, "y:/conf/1/hold.V3"});
    chair.change_participant_mode(ccgw::Address::agent("322"), CCGW_MODE_LISTEN);
    chair.prolong_time(10);
    chair.modify_conf_resource(CCGW_RESOURCE_ADD, 2);
    chair.play_voice_to_conf("y:/conf/1/all.V3");
    view = chair.conf_view_snapshot();
    CHECK_EQ(view.at(0).conf_state, 1);
    CHECK_EQ(view.at(0).apply_conf_time, 40);
    CHECK_EQ(view.at(0).member_num, 7);
    for (const auto &p : view.at(0).participants) {
        if (p.address == "70020") {
            CHECK(p.held);
            CHECK_EQ(p.hold_voice_path, std::string("y:/conf/1/hold.V3"));
        }
        if (p.address == "322")
            CHECK_EQ(p.channel_attrib, CCGW_MODE_LISTEN);
    }
    chair.stop_voice_to_conf();
    chair.unhold_participant(ccgw::Address::phone("70020"));
    chair.play_voice_to_participant(ccgw::Address::phone("70020"), "y:/conf/1/part.V3");
    chair.stop_voice_to_participant(ccgw::Address::phone("70020"));

    chair.shift_president("322");
    CHECK(wait_event(guest, "AgentConf_PresidentChanged").has_value());
    CHECK(guest.conf_view_snapshot().at(0).is_chair);
    guest.shift_president("321");
    CHECK(wait_event(chair, "AgentConf_PresidentChanged").has_value());
    CHECK(chair.conf_view_snapshot().at(0).is_chair);

    auto missing = chair.batch_remove_participant({ccgw::Address::phone("70020"), ccgw::Address::phone("79999")});
    CHECK_EQ(missing.size(), size_t{1});
    CHECK(!missing.empty() && missing[0] == ccgw::Address::phone("79999"));
    auto e = CHECK_THROWS_STATUS(chair.query_vdn_conf_ids(), CCGW_E_GW_NOT_INSPECTOR);
    CHECK(e && e->retcode() == "101-004");
    chair.release_agent_conf();
    CHECK(chair.conf_view_snapshot().empty());
    guest.sign_out();
    ringer.sign_out();
    chair.sign_out();
}

void test_typed_calls() {
    auto s = open("325");
    s.sign_in(sign_in_options("325"));
    s.events_start(ccgw::EventsOptions{0, 0, 50, 0, 0, 0});
    CHECK_THROWS_STATUS(s.hold_call(), CCGW_E_GW_HOLD_NO_CALL);
    CHECK_THROWS_STATUS(s.callout("12a"), CCGW_E_INVALID_ARGUMENT);
    std::string first = s.callout("70005");
    auto talking = wait_event(s, "AgentEvent_Talking");
    CHECK(talking && talking->kind == CCGW_EVENT_CALL_TALKING && talking->callid == first);
    CHECK(talking && talking->called == "70005");
    CHECK_EQ(s.query_agent_status().state, 5);
    s.second_dial("12*#");
    s.hold_call();
    auto held = wait_event(s, "AgentEvent_Hold");
    CHECK(held && held->callid == first);
    auto list = s.query_hold_list();
    CHECK_EQ(list.size(), size_t{1});
    CHECK(!list.empty() && list[0].callid == first && list[0].called == "70005");
    std::string second = s.callout("70006");
    CHECK(wait_event(s, "AgentEvent_Talking", [&](const ccgw::Event &ev) { return ev.callid == second; }));
    auto current = s.query_call_info();
    CHECK(current && current->callid == second);
    auto by_id = s.query_call_info_by_callid(first);
    CHECK(by_id && by_id->callid == first);
    s.disconnect("70006");
    s.get_hold(first);
    s.hold_call();
    s.callout("70007");
    s.connect_hold(first);
    auto phone = wait_event(s, "AgentOther_PhoneRelease");
    CHECK(phone && phone->kind == CCGW_EVENT_PHONE_RELEASE && phone->phone_state == 2);
    std::string third = s.callout("70008");
    s.drop_call(third);
    s.callout("70009");
    s.release_call();
    CHECK(!s.query_call_info().has_value());
    s.sign_out();
}

// ---- issue 11 (fail-over) ----
void test_fail_over_options_outcome_and_cti_code() {
    // A primary nobody listens on: the sign-in goes to the fallback.
    ccgw::SessionOptions o = options("330");
    o.fallback_urls = {o.base_url};
    o.base_url = "https://127.0.0.1:1";
    o.switchover_wait = 5s;
    o.failback_after = 30s;
    o.retry_backoff_initial = 50ms;
    o.retry_backoff_max = 1s;
    o.retry_rounds = 2;
    ccgw::Session s(o);
    s.sign_in(sign_in_options("330"));
    ccgw::HoldRequest hold;
    hold.address = "70010";
    hold.voice_path = "y:/conf/1/hold.V3";
    auto e = CHECK_THROWS_STATUS(s.hold_participant(hold), CCGW_E_GW_NO_CONFERENCE);
    if (e) {
        CHECK_EQ(e->outcome(), CCGW_OUTCOME_REFUSED);
        CHECK(!e->retryable());
        CHECK_EQ(e->cti_code(), int64_t{0});
    }
    s.sign_out();
    CHECK_EQ(ccgw::status_outcome(CCGW_E_BAD_GATEWAY), CCGW_OUTCOME_MAY_HAVE_RUN);
    CHECK_EQ(ccgw::status_outcome(CCGW_E_CONNECT), CCGW_OUTCOME_NOT_SENT);
    CHECK(ccgw::status_retryable(CCGW_E_GATEWAY_UNAVAILABLE));
    ccgw::SessionOptions bad = options("331");
    bad.retry_rounds = CCGW_RETRY_ROUNDS_MAX + 1;
    CHECK_THROWS_STATUS(ccgw::Session{bad}, CCGW_E_OUT_OF_RANGE);
}
// ---- end of issue 11 ----
// --- high availability --------------------------------------------------------------

/// Another client takes the agent over by forced sign-in: the gateway signs this session
/// out (AgentOther_ShutdownService). Staying signed in without forced re-sign-in allowed,
/// the pump reports the loss, tries once, meets 100-002 and stops naming the reason; the
/// snapshot shows the held and the active call with their ids.
void test_high_availability_stop_reason_and_snapshot() {
    auto s = open("326");
    ccgw::SignInOptions si = sign_in_options("326", false);
    si.auto_resign_in = true;
    s.sign_in(si);
    std::string held = s.callout("70005");
    s.hold_call();
    std::string active = s.callout("70006");
    ccgw::Snapshot snap = s.snapshot();
    CHECK_EQ(snap.calls_status, CCGW_OK);
    CHECK_EQ(snap.held_calls.size(), size_t{1});
    CHECK(!snap.held_calls.empty() && snap.held_calls[0].callid == held);
    CHECK(snap.active_calls.size() == 1 && snap.active_calls[0].callid == active);
    CHECK_EQ(snap.conf_ids_status, CCGW_E_GW_NOT_INSPECTOR);
    CHECK(snap.taken_at > 0);

    s.events_start(ccgw::EventsOptions{0, 0, 50, 0, 0, 0});
    CHECK(wait_event(s, "AgentState_Ready"));
    auto other = open("326");
    other.sign_in(sign_in_options("326", true));
    std::vector<ccgw::Event> seen;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto ev = s.events_next(200ms);
        if (!ev)
            continue;
        seen.push_back(*ev);
        if (ev->kind == CCGW_EVENT_PUMP_STOPPED)
            break;
    }
    auto count = [&](int32_t kind) {
        return std::count_if(seen.begin(), seen.end(), [&](const ccgw::Event &e) { return e.kind == kind; });
    };
    CHECK_EQ(count(CCGW_EVENT_SESSION_LOST), 1);
    CHECK_EQ(count(CCGW_EVENT_SIGNING_IN_AGAIN), 1);
    CHECK_EQ(count(CCGW_EVENT_SIGN_IN_AGAIN_FAILED), 1);
    CHECK(!seen.empty() && seen.back().kind == CCGW_EVENT_PUMP_STOPPED);
    if (!seen.empty()) {
        CHECK_EQ(seen.back().status, CCGW_E_RESIGN_IN_FAILED);
        CHECK_EQ(seen.back().cause_status, CCGW_E_GW_ALREADY_SIGNED_IN);
    }
    CHECK_EQ(s.events_status(), CCGW_E_RESIGN_IN_FAILED);
    other.sign_out();
}

int main() {
    run("version and ABI", test_version_and_abi);
    run("sign in, Guid, sign out", test_sign_in_guid_sign_out);
    run("sign in with force takes over", test_sign_in_with_force_takes_over);
    run("gateway refusal raises ccgw::Error with its retcode", test_gateway_refusal_raises_error_with_retcode);
    run("argument error raises before anything is sent", test_argument_error_raises_before_sending);
    run("three-party call: confJoin, thirdPartyConfTransmitNum, generic request",
        test_three_party_call_operations_and_request);
    run("conference: batchAddParticipant, holdParticipant, queryConfInfos, events_next",
        test_conference_operations_and_events_next);
    run("events_next timeout and CCGW_E_CLOSED", test_events_next_timeout_and_closed);
    run("events over max_event_bytes are reported as lost", test_events_over_the_size_limit_are_reported);
    run("events through the callback; handler released", test_events_through_callback);
    run("callback pool options; two sessions' handlers on a one-thread pool",
        test_dispatch_options_and_a_one_thread_pool);
    run("move semantics of Session and Cancel", test_move_semantics);
    run("log handler receives records; released when logging is turned off", test_log_handler);
    run("certificate pinning by SHA-256", test_certificate_pinning);
    run("cookies can be disabled", test_cookies_can_be_disabled);
    run("proxy down is CCGW_E_PROXY; credentials in proxy_url refused", test_proxy_down_and_bad_proxy_url);
    run("typed conference calls, the live view and an invite tracker", test_typed_conference_view_and_tracker);
    run("typed calls and call data, their events", test_typed_calls);
    run("fail-over options, outcome and CTI code of ccgw::Error", test_fail_over_options_outcome_and_cti_code);
    run("high availability: the stop reason of a re-sign-in refused, and the snapshot",
        test_high_availability_stop_reason_and_snapshot);
    run("global shutdown after every session is gone", [] { ccgw::global_shutdown(2s); });
    std::cout << g_passed << " passed, " << g_failed << " failed" << std::endl;
    return g_failed == 0 ? 0 : 1;
}
