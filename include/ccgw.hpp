// ccgw.hpp -- header-only C++17 wrapper over the ccgw C API (include/ccgw.h).
//
// What it adds to the C API, and nothing else:
//  - RAII: ccgw::Session, ccgw::Cancel and ccgw::InviteTracker own their handle, are move-only, and free it
//    exactly once (a moved-from object holds nothing; calls on it throw
//    ccgw::Error with CCGW_E_NULL_ARGUMENT, as the C API does for a NULL handle).
//  - Exceptions: every failing call throws ccgw::Error (a std::runtime_error) built from
//    the thread's last error right after the failing C call: status(), retcode(),
//    http_status(), what() (the library's one-line message).
//  - Values: results the library allocates (strings, the sign-in result, conference
//    lists, events) are copied into std::string / std::vector / plain structs and freed
//    at once with their own _free function; nothing library-owned escapes.
//  - Request structs are plain C++ structs with the same defaults as the C _init
//    functions (CCGW_UNSET, std::nullopt for "leave it out").
//
// Threads: a Session may be used from several threads at once, as the C handle; moving
// or destroying it must not race with anything (ccgw_session_free's rule). The event
// callback runs on the library's callback pool (ccgw::set_dispatch_options), one event
// of a session at a time; an exception escaping it is caught and dropped (it cannot
// cross the C boundary). The callback must not destroy its own Session.
//
// Every function documented in ccgw.h is the reference; the names map one to one:
//   ccgw_session_sign_in        -> Session::sign_in
//   ccgw_session_request        -> Session::request
//   ccgw_events_next            -> Session::events_next
//   ccgw_events_set_callback    -> Session::events_set_callback / events_clear_callback
//   ccgw_conf_view_snapshot     -> Session::conf_view_snapshot
//   ccgw_batch_add_participant_tracked -> Session::batch_add_participant_tracked (an InviteTracker)
//   ...
#ifndef CCGW_HPP
#define CCGW_HPP

#include "ccgw.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ccgw {

/// Header version (of the C header this wrapper was compiled against).
inline constexpr const char *header_version = CCGW_VERSION_STRING;

/// Pass to Session::events_next to wait without limit.
inline constexpr std::chrono::milliseconds wait_forever = std::chrono::milliseconds::max();

// ---------------------------------------------------------------------------------------
// Errors

/// A failed ccgw call: the status, the gateway retcode ("" when the failure did not come
/// from the gateway), the HTTP status (0 when no answer arrived) and the message.
class Error : public std::runtime_error {
public:
    /// An error with its status, message, gateway retcode and HTTP status.
    Error(ccgw_status status, const std::string &message, std::string retcode = std::string(),
          int32_t http_status = 0, int64_t cti_code = 0)
        : std::runtime_error(message), status_(status), retcode_(std::move(retcode)), http_status_(http_status),
          cti_code_(cti_code) {}

    /// Builds the error from this thread's last error; call right after the failing call.
    static Error from_last(ccgw_status status) {
        std::string message = ccgw_last_error_message();
        if (message.empty())
            message = ccgw_status_str(status);
        return Error(status, message, ccgw_last_error_retcode(), ccgw_last_error_http_status(),
                     ccgw_last_error_cti_code());
    }

    /// The CCGW_E_* status (see ccgw.h).
    ccgw_status status() const noexcept { return status_; }
    /// The gateway's retcode, e.g. "101-001"; empty unless the gateway refused.
    const std::string &retcode() const noexcept { return retcode_; }
    /// HTTP status of the answer behind the failure, 0 when none arrived.
    int32_t http_status() const noexcept { return http_status_; }
    /// Whether the gateway refused the request (the status carries its retcode).
    bool is_gateway() const noexcept { return ccgw_status_is_gateway(status_); }
    /// The library's static description of status().
    const char *status_str() const noexcept { return ccgw_status_str(status_); }
    /// The CTI-platform code of an "Unknown ERROR._<digits>" gateway message; 0 when none.
    int64_t cti_code() const noexcept { return cti_code_; }
    /// What status() means for the operation (CCGW_OUTCOME_NOT_SENT, _REFUSED, _MAY_HAVE_RUN).
    ccgw_outcome outcome() const noexcept { return ccgw_status_outcome(status_); }
    /// Whether calling again unchanged may succeed without doing the operation twice.
    bool retryable() const noexcept { return ccgw_status_retryable(status_); }

private:
    ccgw_status status_;
    std::string retcode_;
    int32_t http_status_;
    int64_t cti_code_;
};

namespace detail {

/// Throws the last error when `status` is not CCGW_OK.
inline void check(ccgw_status status) {
    if (status != CCGW_OK)
        throw Error::from_last(status);
}

/// A C string view of `s`; refuses embedded NULs (the C API would silently cut there).
inline const char *cstr(const std::string &s) {
    if (s.find('\0') != std::string::npos)
        throw Error(CCGW_E_INVALID_ARGUMENT, "string argument contains a NUL byte");
    return s.c_str();
}

inline const char *cstr(const std::optional<std::string> &s) { return s ? cstr(*s) : nullptr; }

inline std::string copy(const char *s) { return s ? std::string(s) : std::string(); }

/// Milliseconds to the C API's uint32 timeouts (negative: 0; too large: the largest
/// finite value; wait_forever: CCGW_WAIT_FOREVER).
inline uint32_t timeout_ms(std::chrono::milliseconds ms) {
    if (ms == wait_forever)
        return CCGW_WAIT_FOREVER;
    if (ms.count() <= 0)
        return 0;
    if (ms.count() >= static_cast<std::chrono::milliseconds::rep>(CCGW_WAIT_FOREVER))
        return CCGW_WAIT_FOREVER - 1;
    return static_cast<uint32_t>(ms.count());
}

struct StringDeleter {
    void operator()(char *s) const noexcept { ccgw_string_free(s); }
};
using OwnedString = std::unique_ptr<char, StringDeleter>;

inline std::string take(char *s) {
    OwnedString owned(s);
    return copy(owned.get());
}

} // namespace detail

// ---------------------------------------------------------------------------------------
// Library-wide functions

/// The loaded library's version, "MAJOR.MINOR.PATCH".
inline std::string version() { return ccgw_version(); }
/// The loaded library's ABI version.
inline uint32_t abi_version() noexcept { return ccgw_abi_version(); }
/// Throws when the loaded library's ABI differs from the header's (CCGW_ABI_VERSION).
inline void check_abi() {
    if (ccgw_abi_version() != CCGW_ABI_VERSION)
        throw Error(CCGW_E_UNSUPPORTED_VERSION, "libccgw ABI " + std::to_string(ccgw_abi_version()) +
                                                    " loaded, header expects " + std::to_string(CCGW_ABI_VERSION));
}
/// Description of any status.
inline std::string status_str(ccgw_status status) { return ccgw_status_str(status); }
/// Whether a status carries a gateway retcode.
inline bool status_is_gateway(ccgw_status status) noexcept { return ccgw_status_is_gateway(status); }
/// What a status means for the operation (ccgw_status_outcome; issue 11, fail-over).
inline ccgw_outcome status_outcome(ccgw_status status) noexcept { return ccgw_status_outcome(status); }
/// Whether calling again may succeed without risk (ccgw_status_retryable).
inline bool status_retryable(ccgw_status status) noexcept { return ccgw_status_retryable(status); }
/// Stops the library's threads (every Session must be destroyed first); see
/// ccgw_global_shutdown. Throws ccgw::Error with CCGW_E_TIMEOUT when some threads were still
/// running at `timeout` (they exit on their own; calling again waits for them), CCGW_E_BUSY
/// while sessions are alive, CCGW_E_FORKED in a forked child.
inline void global_shutdown(std::chrono::milliseconds timeout) {
    detail::check(ccgw_global_shutdown(detail::timeout_ms(timeout)));
}

/// The callback pool's settings (ccgw_dispatch_options, documented there): every session's
/// event handler runs on these few threads. 0 takes the default.
struct DispatchOptions {
    uint32_t threads = 0;      ///< threads kept (default 4)
    uint32_t max_threads = 0;  ///< hard cap, the watchdog's threads included (default 64)
    std::chrono::milliseconds stall{0};  ///< watchdog's stall time (default 100 ms)
    std::chrono::milliseconds idle{0};   ///< idle time before an extra thread ends (default 10 s)
};

/// Sets the callback pool's options for the whole process; they apply at once
/// (ccgw_global_set_dispatch_options). Throws ccgw::Error with CCGW_E_OUT_OF_RANGE for a
/// value above its maximum or max_threads below threads (nothing changed).
inline void set_dispatch_options(const DispatchOptions &options) {
    ccgw_dispatch_options o;
    detail::check(ccgw_dispatch_options_init(&o, CCGW_DISPATCH_OPTIONS_VERSION));
    o.threads = options.threads;
    o.max_threads = options.max_threads;
    o.stall_ms = detail::timeout_ms(options.stall);
    o.idle_ms = detail::timeout_ms(options.idle);
    detail::check(ccgw_global_set_dispatch_options(&o));
}

/// The callback pool's options in effect, defaults resolved (ccgw_global_get_dispatch_options).
inline DispatchOptions dispatch_options() {
    ccgw_dispatch_options o;
    detail::check(ccgw_dispatch_options_init(&o, CCGW_DISPATCH_OPTIONS_VERSION));
    detail::check(ccgw_global_get_dispatch_options(&o));
    DispatchOptions d;
    d.threads = o.threads;
    d.max_threads = o.max_threads;
    d.stall = std::chrono::milliseconds(o.stall_ms);
    d.idle = std::chrono::milliseconds(o.idle_ms);
    return d;
}

/// A log handler: level (CCGW_LOG_*), operation name, one line of text. It runs on any
/// thread, must be thread-safe and quick, and must not call blocking ccgw functions.
using LogHandler = std::function<void(int32_t level, const std::string &operation, const std::string &message)>;

namespace detail {
inline void log_trampoline(void *userdata, const ccgw_log_record *record) {
    try {
        (*static_cast<LogHandler *>(userdata))(record->level, copy(record->operation), copy(record->message));
    } catch (...) {
        // Nothing may cross the C boundary.
    }
}
inline void log_free(void *userdata) { delete static_cast<LogHandler *>(userdata); }
} // namespace detail

/// Routes library logs up to `max_level` to `handler`; an empty handler or CCGW_LOG_OFF
/// turns logging off. The handler is owned by the library until replaced.
inline void set_log_handler(int32_t max_level, LogHandler handler) {
    if (!handler || max_level == CCGW_LOG_OFF) {
        detail::check(ccgw_set_log_callback(CCGW_LOG_OFF, nullptr, nullptr, nullptr));
        return;
    }
    auto *owned = new LogHandler(std::move(handler));
    // On failure the library has already called log_free (ccgw.h).
    detail::check(ccgw_set_log_callback(max_level, detail::log_trampoline, owned, detail::log_free));
}

// ---------------------------------------------------------------------------------------
// Cancellation

/// A cancellation token (ccgw_cancel), move-only. Cancel it from any thread; every call
/// given it in CallOptions returns CCGW_E_CANCELLED. It must outlive the calls using it.
class Cancel {
public:
    Cancel() {
        ccgw_cancel *c = nullptr;
        detail::check(ccgw_cancel_new(&c));
        handle_.reset(c);
    }
    /// Moves the token; the moved-from object holds nothing.
    Cancel(Cancel &&) noexcept = default;
    /// Frees the token held so far and takes the other one.
    Cancel &operator=(Cancel &&) noexcept = default;
    Cancel(const Cancel &) = delete;
    Cancel &operator=(const Cancel &) = delete;

    /// Cancels every call using this token, now and later.
    void cancel() const { detail::check(ccgw_cancel_cancel(handle_.get())); }

    /// The C handle (borrowed), NULL after a move.
    const ccgw_cancel *get() const noexcept { return handle_.get(); }
    /// Whether a handle is held (false after a move).
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    struct Deleter {
        void operator()(ccgw_cancel *c) const noexcept { ccgw_cancel_free(c); }
    };
    std::unique_ptr<ccgw_cancel, Deleter> handle_;
};

/// Per-call options: a timeout (0: the session's) and a cancellation token (borrowed).
struct CallOptions {
    /// The field of the same name in ccgw_call_options (documented there); here as a C++ value.
    ///@{
    std::chrono::milliseconds timeout{0};
    const Cancel *cancel = nullptr;
    ///@}
};

namespace detail {
/// The C options for `call`, or NULL when it asks for nothing.
class CCall {
public:
    explicit CCall(const CallOptions &call) {
        if (call.timeout.count() == 0 && call.cancel == nullptr)
            return;
        check(ccgw_call_options_init(&opts_, CCGW_CALL_OPTIONS_VERSION));
        opts_.timeout_ms = timeout_ms(call.timeout);
        if (call.cancel) {
            if (!*call.cancel)
                throw Error(CCGW_E_NULL_ARGUMENT, "CallOptions::cancel refers to a moved-from ccgw::Cancel");
            opts_.cancel = call.cancel->get();
        }
        used_ = true;
    }
    const ccgw_call_options *get() const noexcept { return used_ ? &opts_ : nullptr; }

private:
    ccgw_call_options opts_{};
    bool used_ = false;
};
} // namespace detail

// ---------------------------------------------------------------------------------------
// Options and requests (defaults as the C _init functions give them)

/// ccgw_session_options.
struct SessionOptions {
    /// The field of the same name in ccgw_session_options (documented there); here as a C++ value.
    ///@{
    std::string base_url;                    ///< mandatory
    std::vector<std::string> fallback_urls;  ///< the other nodes, in order (FAIL-OVER in ccgw.h)
    std::string agent_id;                    ///< mandatory, e.g. "153"
    uint32_t agent_id_max = 0;               ///< 0: 59999
    std::optional<std::string> ca_file;      ///< PEM file; neither this nor ca_pem: system store
    std::optional<std::string> ca_pem;       ///< PEM text
    bool insecure_accept_any_certificate = false;
    bool allow_plain_http = false;
    std::chrono::milliseconds connect_timeout{0};  ///< 0: CCGW_DEFAULT_CONNECT_TIMEOUT_MS
    std::chrono::milliseconds request_timeout{0};  ///< 0: CCGW_DEFAULT_REQUEST_TIMEOUT_MS
    std::optional<uint32_t> auth_mode;             ///< CCGW_AUTH_DYNAMIC (default) or CCGW_AUTH_STATIC
    std::optional<std::string> pinned_sha256;      ///< pin the gateway certificate by SHA-256 (instead of a CA)
    std::optional<std::string> pinned_cert_file;   ///< pin the certificate(s) in this PEM or DER file
    bool disable_cookies = false;                  ///< neither keep nor send cookies (sticky load balancers need them)
    std::optional<std::string> proxy_url;          ///< forward proxy, http://host:port (CONNECT tunnel)
    std::optional<std::string> proxy_username;     ///< the proxy's Basic credentials, with proxy_password
    std::optional<std::string> proxy_password;     ///< never in a log record or a message
    std::optional<std::string> no_proxy;           ///< hosts reached directly (NO_PROXY syntax)
    bool proxy_from_environment = false;           ///< honour HTTPS_PROXY / ALL_PROXY / NO_PROXY
    // Fail-over (version 3, issue 11); 0: the library's default.
    std::chrono::milliseconds switchover_wait{0};        ///< 0: CCGW_DEFAULT_SWITCHOVER_WAIT_MS
    std::chrono::milliseconds failback_after{0};         ///< 0: CCGW_DEFAULT_FAILBACK_AFTER_MS
    std::chrono::milliseconds retry_backoff_initial{0};  ///< 0: CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS
    std::chrono::milliseconds retry_backoff_max{0};      ///< 0: CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS
    uint32_t retry_rounds = 0;                           ///< 0: CCGW_DEFAULT_RETRY_ROUNDS
    ///@}
};

/// ccgw_sign_in_options; CCGW_UNSET and std::nullopt leave a field out.
struct SignInOptions {
    /// The field of the same name in ccgw_sign_in_options (documented there); here as a C++ value.
    ///@{
    std::optional<std::string> password;
    std::optional<std::string> phonenum;
    int32_t autoanswer = CCGW_UNSET;
    int32_t autoenteridle = CCGW_UNSET;
    int32_t releasephone = CCGW_UNSET;
    int32_t agenttype = CCGW_UNSET;
    int32_t status = CCGW_UNSET;
    std::optional<std::string> ip;
    std::optional<std::string> entry_ip;
    int32_t phonelinkage = CCGW_UNSET;
    int32_t check_in_webm = CCGW_UNSET;
    int32_t check_in_mailm = CCGW_UNSET;
    std::optional<std::string> vc_phone_number;
    int32_t listen_status = CCGW_UNSET;
    bool force = false;  ///< on 100-002, sign in by force (needs phonenum)
    bool auto_resign_in = false;          ///< stay signed in: the pump signs in again (version 2)
    bool allow_forced_resign_in = false;  ///< signing in again may sign in by force (version 2)
    ///@}
};

/// ccgw_sign_in_result, copied.
struct SignInResult {
    /// The field of the same name in ccgw_sign_in_result (documented there); here as a C++ value.
    ///@{
    int64_t vdn_id = -1;
    std::string work_no;
    std::string media_type;
    int64_t login_time = -1;
    int32_t is_force_change = -1;
    std::string server_name;
    int64_t time_remaining = -1;
    bool forced = false;
    ///@}
};

/// ccgw_participant: one invitee of a batch invitation.
struct Participant {
    /// The field of the same name in ccgw_participant (documented there); here as a C++ value.
    ///@{
    int32_t address_type = CCGW_ADDRESS_PHONE;
    std::string address;
    int32_t device_call_type = CCGW_UNSET;
    int32_t device_type = CCGW_UNSET;
    ///@}

    /// An invitee by phone number.
    static Participant phone(std::string number) { return Participant{CCGW_ADDRESS_PHONE, std::move(number)}; }
    /// An invitee by agent id.
    static Participant agent(std::string agent_id) { return Participant{CCGW_ADDRESS_AGENT, std::move(agent_id)}; }
};

/// ccgw_batch_add_request.
struct BatchAddRequest {
    /// The field of the same name in ccgw_batch_add_request (documented there); here as a C++ value.
    ///@{
    std::vector<Participant> participants;  ///< 1 to 120
    int32_t beep_tone = CCGW_UNSET;
    int32_t play_mode = CCGW_UNSET;
    std::optional<std::string> voice_path;
    std::optional<std::string> caller;
    ///@}
};

/// ccgw_hold_request.
struct HoldRequest {
    /// The field of the same name in ccgw_hold_request (documented there); here as a C++ value.
    ///@{
    int32_t address_type = CCGW_ADDRESS_PHONE;
    std::string address;     ///< mandatory
    int32_t play_mode = CCGW_UNSET;
    std::string voice_path;  ///< mandatory
    ///@}
};

/// ccgw_conf_participant, copied.
struct ConfParticipant {
    /// The field of the same name in ccgw_conf_participant (documented there); here as a C++ value.
    ///@{
    int32_t address_type = -1;
    std::string address;
    int32_t device_call_type = -1;
    int32_t device_type = -1;
    int32_t channel_attrib = -1;
    int32_t channel_state = -1;
    int32_t role = -1;
    int64_t enter_time = -1;
    ///@}
};

/// ccgw_conf_info, copied.
struct ConfInfo {
    /// The field of the same name in ccgw_conf_info (documented there); here as a C++ value.
    ///@{
    int64_t conf_id = -1;
    int32_t conf_state = -1;
    int64_t start_time = -1;
    int32_t apply_conf_time = -1;
    int32_t conf_have_been_time = -1;
    std::vector<ConfParticipant> participants;
    ///@}
};

/// ccgw_events_options; 0 takes the default.
struct EventsOptions {
    /// The field of the same name in ccgw_events_options (documented there); here as a C++ value.
    ///@{
    uint32_t queue_capacity = 0;
    uint32_t poll_timeout_ms = 0;
    uint32_t poll_interval_ms = 0;
    uint32_t max_outage_ms = 0;
    uint32_t backoff_max_ms = 0;
    uint32_t max_stall_ms = 0;
    size_t queue_max_bytes = 0;
    size_t max_event_bytes = 0;
    bool resync_after_gap = false;  ///< a Snapshot event after each gap (version 3)
    ///@}
};

// --- high availability: the snapshot an Event may carry (defined below) --------------
struct Snapshot;
namespace detail {
inline std::shared_ptr<const Snapshot> snapshot_from_c(const ccgw_snapshot *s);
}

/// ccgw_event, copied. Numbers an event does not carry are -1, strings empty.
struct Event {
    /// The field of the same name in ccgw_event (documented there); here as a C++ value.
    ///@{
    int32_t kind = CCGW_EVENT_OTHER;  ///< CCGW_EVENT_*
    std::string type_name;
    std::string work_no;
    int64_t gen_time = -1;
    int64_t received_time = -1;
    uint64_t sequence = 0;
    std::string content_json;
    std::string event_json;
    int64_t conf_id = -1;
    int64_t result = -1;
    int64_t change_type = -1;
    int64_t change_reason = -1;
    std::string participant;
    int64_t participant_type = -1;
    int64_t device_call_type = -1;
    int64_t device_type = -1;
    int64_t cause = -1;
    std::string callid;
    std::string number;
    std::vector<std::string> partners;
    uint64_t lost_count = 0;
    int32_t lost_reason = 0;  ///< CCGW_LOST_* for CCGW_EVENT_EVENTS_LOST, else 0
    ccgw_status status = CCGW_OK;
    std::string message;
    std::string caller;
    std::string called;
    int64_t phone_state = -1;
    std::string reason;
    int32_t outcome = -1;
    uint64_t tracker_id = 0;
    int64_t gap_start = -1;                   ///< CCGW_EVENT_EVENTS_LOST: first instant of the gap, ms
    int64_t gap_end = -1;                     ///< CCGW_EVENT_EVENTS_LOST: last instant of the gap, ms
    ccgw_status cause_status = CCGW_OK;       ///< SessionLost / PumpStopped / SignInAgainFailed
    uint32_t attempt = 0;                     ///< the re-sign-in steps' attempt, from 1
    std::shared_ptr<const Snapshot> snapshot; ///< CCGW_EVENT_SNAPSHOT, copied; else null
    ///@}

    /// Copies a library-owned event (which the caller still frees).
    static Event from_c(const ccgw_event &e) {
        Event ev;
        ev.kind = e.kind;
        ev.type_name = detail::copy(e.type_name);
        ev.work_no = detail::copy(e.work_no);
        ev.gen_time = e.gen_time;
        ev.received_time = e.received_time;
        ev.sequence = e.sequence;
        ev.content_json = detail::copy(e.content_json);
        ev.event_json = detail::copy(e.event_json);
        ev.conf_id = e.conf_id;
        ev.result = e.result;
        ev.change_type = e.change_type;
        ev.change_reason = e.change_reason;
        ev.participant = detail::copy(e.participant);
        ev.participant_type = e.participant_type;
        ev.device_call_type = e.device_call_type;
        ev.device_type = e.device_type;
        ev.cause = e.cause;
        ev.callid = detail::copy(e.callid);
        ev.number = detail::copy(e.number);
        if (e.partners) {
            ev.partners.reserve(e.partner_count);
            for (size_t i = 0; i < e.partner_count; i++)
                ev.partners.push_back(detail::copy(e.partners[i]));
        }
        ev.lost_count = e.lost_count;
        ev.lost_reason = e.lost_reason;
        ev.status = e.status;
        ev.message = detail::copy(e.message);
        ev.caller = detail::copy(e.caller);
        ev.called = detail::copy(e.called);
        ev.phone_state = e.phone_state;
        ev.reason = detail::copy(e.reason);
        ev.outcome = e.outcome;
        ev.tracker_id = e.tracker_id;
        ev.gap_start = e.gap_start;
        ev.gap_end = e.gap_end;
        ev.cause_status = e.cause_status;
        ev.attempt = e.attempt;
        ev.snapshot = detail::snapshot_from_c(e.snapshot);
        return ev;
    }
};

/// ccgw_agent_conf_request; CCGW_UNSET and std::nullopt leave a field out.
struct AgentConfRequest {
    /// The field of the same name in ccgw_agent_conf_request (documented there); here as a C++ value.
    ///@{
    int32_t member_num = CCGW_UNSET;  ///< mandatory, 1-120
    std::optional<std::string> conf_caller_no;
    int32_t time = CCGW_UNSET;
    int32_t prompt_time = CCGW_UNSET;
    int32_t beep_tone = CCGW_UNSET;
    int32_t play_mode = CCGW_UNSET;
    std::optional<std::string> voice_path;
    ///@}
};

/// ccgw_address: a participant by phone number or agent id.
struct Address {
    /// The field of the same name in ccgw_address (documented there); here as a C++ value.
    ///@{
    int32_t address_type = CCGW_ADDRESS_PHONE;
    std::string address;
    ///@}

    /// A phone number.
    static Address phone(std::string number) { return Address{CCGW_ADDRESS_PHONE, std::move(number)}; }
    /// An agent id.
    static Address agent(std::string agent_id) { return Address{CCGW_ADDRESS_AGENT, std::move(agent_id)}; }
    /// Same type and address.
    bool operator==(const Address &o) const { return address_type == o.address_type && address == o.address; }
};

/// ccgw_callout_request; CCGW_UNSET and std::nullopt leave a field out.
struct CalloutRequest {
    /// The field of the same name in ccgw_callout_request (documented there); here as a C++ value.
    ///@{
    std::string called;  ///< mandatory, 1-24 of 0-9 * #
    std::optional<std::string> caller;
    int32_t skillid = CCGW_UNSET;
    std::optional<std::string> callappdata;
    int32_t mediaability = CCGW_UNSET;
    int32_t user_video_direction = CCGW_UNSET;
    ///@}
};

/// ccgw_call_info, copied.
struct CallInfo {
    /// The field of the same name in ccgw_call_info (documented there); here as a C++ value.
    ///@{
    std::string callid;
    int32_t call_feature = -1;
    std::string caller;
    std::string called;
    std::string call_skill;
    int64_t call_skill_id = -1;
    std::string orig_called;
    std::string call_data;
    int64_t begin_time = -1;
    int64_t end_time = -1;
    int32_t user_priority = -1;
    int64_t trunk_no = -1;
    int64_t logon_times = -1;
    int32_t media_type = -1;
    int32_t media_ability = -1;
    int64_t wait_time = -1;
    ///@}
};

/// The agent's status (ccgw_query_agent_status).
struct AgentStatus {
    int32_t state = -1;       ///< CTI status code: 1 idle, 3 occupied, 4 answering, 5 talking, ...
    int32_t is_working = -1;  ///< 1 in a call, 0 not, -1 not given
};

namespace detail {
inline std::vector<CallInfo> call_infos_copy(const ccgw_call_info_list *list) {
    std::vector<CallInfo> out;
    for (size_t i = 0; list && i < list->count; i++) {
        const ccgw_call_info &x = list->calls[i];
        out.push_back(CallInfo{detail::copy(x.callid), x.call_feature, detail::copy(x.caller), detail::copy(x.called),
                               detail::copy(x.call_skill), x.call_skill_id, detail::copy(x.orig_called),
                               detail::copy(x.call_data), x.begin_time, x.end_time, x.user_priority, x.trunk_no,
                               x.logon_times, x.media_type, x.media_ability, x.wait_time});
    }
    return out;
}

inline std::vector<ConfInfo> conf_infos_copy(const ccgw_conf_list *list) {
    std::vector<ConfInfo> out;
    if (!list)
        return out;
    out.reserve(list->count);
    for (size_t i = 0; i < list->count; i++) {
        const ccgw_conf_info &ci = list->confs[i];
        ConfInfo info;
        info.conf_id = ci.conf_id;
        info.conf_state = ci.conf_state;
        info.start_time = ci.start_time;
        info.apply_conf_time = ci.apply_conf_time;
        info.conf_have_been_time = ci.conf_have_been_time;
        info.participants.reserve(ci.participant_count);
        for (size_t j = 0; j < ci.participant_count; j++) {
            const ccgw_conf_participant &p = ci.participants[j];
            info.participants.push_back(ConfParticipant{p.address_type, detail::copy(p.address), p.device_call_type,
                                                        p.device_type, p.channel_attrib, p.channel_state, p.role,
                                                        p.enter_time});
        }
        out.push_back(std::move(info));
    }
    return out;
}
} // namespace detail

/// ccgw_snapshot, copied: the agent's state for resynchronisation after a gap. Each
/// `*_status` is CCGW_OK when its part was fetched, else the failed query's status.
struct Snapshot {
    /// The field of the same name in ccgw_snapshot (documented there); here as a C++ value.
    ///@{
    int64_t taken_at = -1;
    ccgw_status agent_status_status = CCGW_OK;
    AgentStatus agent_status;
    ccgw_status calls_status = CCGW_OK;
    std::vector<CallInfo> held_calls;
    std::vector<CallInfo> active_calls;
    ccgw_status conf_ids_status = CCGW_OK;
    ccgw_status conferences_status = CCGW_OK;
    std::vector<ConfInfo> conferences;
    ///@}

    /// Copies a library-owned snapshot (which its owner still frees).
    static Snapshot from_c(const ccgw_snapshot &s) {
        Snapshot out;
        out.taken_at = s.taken_at;
        out.agent_status_status = s.agent_status_status;
        out.agent_status = AgentStatus{s.agent_state, s.is_working};
        out.calls_status = s.calls_status;
        out.held_calls = detail::call_infos_copy(s.held_calls);
        out.active_calls = detail::call_infos_copy(s.active_calls);
        out.conf_ids_status = s.conf_ids_status;
        out.conferences_status = s.conferences_status;
        out.conferences = detail::conf_infos_copy(s.conferences);
        return out;
    }
};

namespace detail {
inline std::shared_ptr<const Snapshot> snapshot_from_c(const ccgw_snapshot *s) {
    return s ? std::make_shared<const Snapshot>(Snapshot::from_c(*s)) : nullptr;
}
} // namespace detail

/// ccgw_view_participant, copied.
struct ViewParticipant {
    /// The field of the same name in ccgw_view_participant (documented there); here as a C++ value.
    ///@{
    int32_t address_type = -1;
    std::string address;
    int32_t device_call_type = -1;
    int32_t device_type = -1;
    int32_t channel_attrib = -1;
    bool attrib_inferred = false;
    int32_t channel_state = -1;
    bool held = false;
    std::string hold_voice_path;
    bool announcement = false;
    int32_t role = -1;
    int64_t enter_time = -1;
    bool is_self = false;
    ///@}
};

/// ccgw_view_conf, copied: one conference of the live view.
struct ViewConf {
    /// The field of the same name in ccgw_view_conf (documented there); here as a C++ value.
    ///@{
    int64_t conf_id = -1;
    bool granted = false;
    bool synced = false;
    bool is_chair = false;
    int32_t conf_state = -1;
    int64_t start_time = -1;
    int32_t apply_conf_time = -1;
    int32_t conf_have_been_time = -1;
    int32_t member_num = -1;
    bool timeout_warned = false;
    std::vector<ViewParticipant> participants;
    ///@}
};

/// ccgw_invite_result, copied: one invitee's outcome.
struct InviteOutcome {
    /// The field of the same name in ccgw_invite_result (documented there); here as a C++ value.
    ///@{
    int32_t address_type = -1;
    std::string address;
    int32_t outcome = CCGW_INVITE_PENDING;  ///< CCGW_INVITE_*
    int64_t result = -1;
    int64_t change_reason = -1;
    int64_t settled_time = -1;
    ///@}
};

/// ccgw_invite_results, copied.
struct InviteResults {
    /// The field of the same name in ccgw_invite_results (documented there); here as a C++ value.
    ///@{
    uint64_t tracker_id = 0;
    int64_t conf_id = -1;
    size_t pending = 0;
    bool deadline_passed = false;
    std::vector<InviteOutcome> invitees;
    ///@}
};

/// The per-invitee outcomes of one batch invitation (ccgw_invite_tracker), move-only;
/// destruction frees it. From Session::batch_add_participant_tracked.
class InviteTracker {
public:
    /// Takes ownership of a tracker handle.
    explicit InviteTracker(ccgw_invite_tracker *t) noexcept : handle_(t) {}
    /// Moves the tracker; the moved-from object holds nothing.
    InviteTracker(InviteTracker &&) noexcept = default;
    /// Frees the tracker held so far and takes the other one.
    InviteTracker &operator=(InviteTracker &&) noexcept = default;
    InviteTracker(const InviteTracker &) = delete;
    InviteTracker &operator=(const InviteTracker &) = delete;

    /// The tracker's id, as in its CCGW_EVENT_INVITE_OUTCOME events (0 after a move).
    uint64_t id() const noexcept { return ccgw_invite_tracker_id(handle_.get()); }

    /// Waits until no invitee is pending (at the latest the deadline), at most `timeout`
    /// (wait_forever: until then). True when all are settled, false on timeout; throws
    /// CCGW_E_CLOSED when the session was closed.
    bool wait(std::chrono::milliseconds timeout = wait_forever) const {
        ccgw_status st = ccgw_invite_tracker_wait(handle_.get(), detail::timeout_ms(timeout));
        if (st == CCGW_E_TIMEOUT)
            return false;
        detail::check(st);
        return true;
    }

    /// A consistent copy of the outcomes so far.
    InviteResults results() const {
        ccgw_invite_results *raw = nullptr;
        detail::check(ccgw_invite_tracker_results(handle_.get(), &raw));
        std::unique_ptr<ccgw_invite_results, ResultsDeleter> r(raw);
        InviteResults out;
        out.tracker_id = r->tracker_id;
        out.conf_id = r->conf_id;
        out.pending = r->pending;
        out.deadline_passed = r->deadline_passed;
        out.invitees.reserve(r->count);
        for (size_t i = 0; i < r->count; i++) {
            const ccgw_invite_result &x = r->invitees[i];
            out.invitees.push_back(InviteOutcome{x.address_type, detail::copy(x.address), x.outcome, x.result,
                                                 x.change_reason, x.settled_time});
        }
        return out;
    }

    /// The C handle (borrowed), NULL after a move.
    const ccgw_invite_tracker *get() const noexcept { return handle_.get(); }

private:
    struct Deleter {
        void operator()(ccgw_invite_tracker *t) const noexcept { ccgw_invite_tracker_free(t); }
    };
    struct ResultsDeleter {
        void operator()(ccgw_invite_results *r) const noexcept { ccgw_invite_results_free(r); }
    };
    std::unique_ptr<ccgw_invite_tracker, Deleter> handle_;
};

/// An event handler, run on the session's dispatch thread.
using EventHandler = std::function<void(const Event &)>;

namespace detail {
inline void event_trampoline(void *userdata, const ccgw_event *event) {
    try {
        if (event)
            (*static_cast<EventHandler *>(userdata))(Event::from_c(*event));
    } catch (...) {
        // Nothing may cross the C boundary; the handler should catch its own errors.
    }
}
inline void event_handler_free(void *userdata) { delete static_cast<EventHandler *>(userdata); }
} // namespace detail

// ---------------------------------------------------------------------------------------
// Session

/// An agent session (ccgw_session), move-only; destruction frees it (stopping the event
/// pump, releasing the event handler). It does not sign the agent out: call sign_out().
class Session {
public:
    /// Creates the session (validates the options, prepares TLS; sends nothing).
    explicit Session(const SessionOptions &options) {
        ccgw_session_options o;
        detail::check(ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION));
        o.base_url = detail::cstr(options.base_url);
        std::vector<const char *> fallbacks;
        fallbacks.reserve(options.fallback_urls.size());
        for (const auto &u : options.fallback_urls)
            fallbacks.push_back(detail::cstr(u));
        o.fallback_urls = fallbacks.empty() ? nullptr : fallbacks.data();
        o.fallback_url_count = fallbacks.size();
        o.agent_id = detail::cstr(options.agent_id);
        o.agent_id_max = options.agent_id_max;
        o.ca_file = detail::cstr(options.ca_file);
        if (options.ca_pem) {
            o.ca_pem = reinterpret_cast<const uint8_t *>(options.ca_pem->data());
            o.ca_pem_len = options.ca_pem->size();
        }
        o.insecure_accept_any_certificate = options.insecure_accept_any_certificate;
        o.allow_plain_http = options.allow_plain_http;
        o.connect_timeout_ms = detail::timeout_ms(options.connect_timeout);
        o.request_timeout_ms = detail::timeout_ms(options.request_timeout);
        if (options.auth_mode)
            o.auth_mode = *options.auth_mode;
        o.pinned_sha256 = detail::cstr(options.pinned_sha256);
        o.pinned_cert_file = detail::cstr(options.pinned_cert_file);
        o.disable_cookies = options.disable_cookies;
        o.proxy_url = detail::cstr(options.proxy_url);
        o.proxy_username = detail::cstr(options.proxy_username);
        o.proxy_password = detail::cstr(options.proxy_password);
        o.no_proxy = detail::cstr(options.no_proxy);
        o.proxy_from_environment = options.proxy_from_environment;
        o.switchover_wait_ms = detail::timeout_ms(options.switchover_wait);
        o.failback_after_ms = detail::timeout_ms(options.failback_after);
        o.retry_backoff_initial_ms = detail::timeout_ms(options.retry_backoff_initial);
        o.retry_backoff_max_ms = detail::timeout_ms(options.retry_backoff_max);
        o.retry_rounds = options.retry_rounds;
        ccgw_session *s = nullptr;
        detail::check(ccgw_session_new(&o, &s));
        handle_.reset(s);
    }

    /// Moves the session; the moved-from object holds nothing.
    Session(Session &&) noexcept = default;
    /// Frees the session held so far (no other thread may be using it).
    Session &operator=(Session &&) noexcept = default;
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    /// The C handle (borrowed), NULL after a move.
    ccgw_session *get() const noexcept { return handle_.get(); }
    /// Whether a handle is held (false after a move).
    explicit operator bool() const noexcept { return handle_ != nullptr; }

    /// The agent id; empty for a moved-from session.
    std::string agent_id() const { return detail::copy(ccgw_session_agent_id(handle_.get())); }

    // --- sign-in, Guid ----------------------------------------------------------------

    /// Signs the agent in (with options.force: by force when already signed in).
    SignInResult sign_in(const SignInOptions &options, const CallOptions &call = {}) {
        ccgw_sign_in_options o;
        detail::check(ccgw_sign_in_options_init(&o, CCGW_SIGN_IN_OPTIONS_VERSION));
        o.password = detail::cstr(options.password);
        o.phonenum = detail::cstr(options.phonenum);
        o.autoanswer = options.autoanswer;
        o.autoenteridle = options.autoenteridle;
        o.releasephone = options.releasephone;
        o.agenttype = options.agenttype;
        o.status = options.status;
        o.ip = detail::cstr(options.ip);
        o.entry_ip = detail::cstr(options.entry_ip);
        o.phonelinkage = options.phonelinkage;
        o.check_in_webm = options.check_in_webm;
        o.check_in_mailm = options.check_in_mailm;
        o.vc_phone_number = detail::cstr(options.vc_phone_number);
        o.listen_status = options.listen_status;
        o.force = options.force;
        o.auto_resign_in = options.auto_resign_in;
        o.allow_forced_resign_in = options.allow_forced_resign_in;
        detail::CCall c(call);
        ccgw_sign_in_result *raw = nullptr;
        detail::check(ccgw_session_sign_in(handle_.get(), &o, c.get(), &raw));
        std::unique_ptr<ccgw_sign_in_result, ResultDeleter> r(raw);
        SignInResult out;
        if (r) {
            out.vdn_id = r->vdn_id;
            out.work_no = detail::copy(r->work_no);
            out.media_type = detail::copy(r->media_type);
            out.login_time = r->login_time;
            out.is_force_change = r->is_force_change;
            out.server_name = detail::copy(r->server_name);
            out.time_remaining = r->time_remaining;
            out.forced = r->forced;
        }
        return out;
    }

    /// Signs the agent out (stopping the event pump first).
    void sign_out(const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_session_sign_out(handle_.get(), c.get()));
    }

    /// Asks the gateway for a fresh Guid and keeps it.
    void update_guid(const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_session_update_guid(handle_.get(), c.get()));
    }

    /// The current Guid (a secret). Throws CCGW_E_NOT_SIGNED_IN when there is none.
    /// The library wipes its copy; the returned std::string is the caller's to guard.
    std::string guid() const {
        char *raw = nullptr;
        detail::check(ccgw_session_get_guid(handle_.get(), &raw));
        return detail::take(raw);
    }

    /// Attaches a Guid obtained elsewhere.
    void set_guid(const std::string &guid) { detail::check(ccgw_session_set_guid(handle_.get(), detail::cstr(guid))); }

    /// Makes every call in progress return CCGW_E_CLOSED, and later ones too.
    void close() { detail::check(ccgw_session_close(handle_.get())); }

    // --- the five operations ----------------------------------------------------------

    /// batchAddParticipant: invites participants to the agent's conference.
    void batch_add_participant(const BatchAddRequest &request, const CallOptions &call = {}) {
        std::vector<ccgw_participant> ps;
        ccgw_batch_add_request r = batch_add_c(request, ps);
        detail::CCall c(call);
        detail::check(ccgw_batch_add_participant(handle_.get(), &r, c.get()));
    }

    /// batchAddParticipant with a tracker of each invitee's outcome, settled at the latest
    /// `deadline` from now (ccgw_batch_add_participant_tracked). The event pump must run.
    InviteTracker batch_add_participant_tracked(const BatchAddRequest &request, std::chrono::milliseconds deadline,
                                                const CallOptions &call = {}) {
        std::vector<ccgw_participant> ps;
        ccgw_batch_add_request r = batch_add_c(request, ps);
        detail::CCall c(call);
        ccgw_invite_tracker *t = nullptr;
        detail::check(ccgw_batch_add_participant_tracked(handle_.get(), &r, detail::timeout_ms(deadline), c.get(), &t));
        return InviteTracker(t);
    }

    /// holdParticipant: holds a participant of the agent's conference with an announcement.
    void hold_participant(const HoldRequest &request, const CallOptions &call = {}) {
        ccgw_hold_request r;
        detail::check(ccgw_hold_request_init(&r, CCGW_HOLD_REQUEST_VERSION));
        r.address_type = request.address_type;
        r.address = detail::cstr(request.address);
        r.play_mode = request.play_mode;
        r.voice_path = detail::cstr(request.voice_path);
        detail::CCall c(call);
        detail::check(ccgw_hold_participant(handle_.get(), &r, c.get()));
    }

    /// queryConfInfos: the conferences among `conf_ids` (1 to 20) the agent may see.
    std::vector<ConfInfo> query_conf_infos(const std::vector<int64_t> &conf_ids, const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_conf_list *raw = nullptr;
        detail::check(ccgw_query_conf_infos(handle_.get(), conf_ids.empty() ? nullptr : conf_ids.data(),
                                            conf_ids.size(), c.get(), &raw));
        std::unique_ptr<ccgw_conf_list, ConfListDeleter> list(raw);
        return detail::conf_infos_copy(list.get());
    }

    /// confJoin: a three-party call from the held call `callid` and the active call.
    void conf_join(const std::string &callid, const std::optional<std::string> &callappdata = std::nullopt,
                   const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_conf_join(handle_.get(), detail::cstr(callid), detail::cstr(callappdata), c.get()));
    }

    /// thirdPartyConfTransmitNum: passes the customer's key presses to the third-party IVR.
    void third_party_conf_transmit_num(const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_third_party_conf_transmit_num(handle_.get(), c.get()));
    }

    // --- the rest of the agent-conference family --------------------------------------

    /// requestAgentConf: applies for a conference with this agent as chair.
    void request_agent_conf(const AgentConfRequest &request, const CallOptions &call = {}) {
        ccgw_agent_conf_request r;
        detail::check(ccgw_agent_conf_request_init(&r, CCGW_AGENT_CONF_REQUEST_VERSION));
        r.member_num = request.member_num;
        r.conf_caller_no = detail::cstr(request.conf_caller_no);
        r.time = request.time;
        r.prompt_time = request.prompt_time;
        r.beep_tone = request.beep_tone;
        r.play_mode = request.play_mode;
        r.voice_path = detail::cstr(request.voice_path);
        detail::CCall c(call);
        detail::check(ccgw_request_agent_conf(handle_.get(), &r, c.get()));
    }
    /// releaseAgentConf: ends the conference this agent chairs.
    void release_agent_conf(const CallOptions &call = {}) { no_argument(ccgw_release_agent_conf, call); }
    /// answerAgentConf: joins the conference this agent is invited to.
    void answer_agent_conf(const CallOptions &call = {}) { no_argument(ccgw_answer_agent_conf, call); }
    /// rejectAgentConf: declines the invitation.
    void reject_agent_conf(const CallOptions &call = {}) { no_argument(ccgw_reject_agent_conf, call); }
    /// requestLeaveAgentConf: leaves the conference this agent joined.
    void leave_agent_conf(const CallOptions &call = {}) { no_argument(ccgw_leave_agent_conf, call); }
    /// stopVoiceToConf: stops the announcement to the conference.
    void stop_voice_to_conf(const CallOptions &call = {}) { no_argument(ccgw_stop_voice_to_conf, call); }

    /// unholdParticipant.
    void unhold_participant(const Address &who, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_unhold_participant(handle_.get(), who.address_type, detail::cstr(who.address), c.get()));
    }

    /// batchRemoveParticipant: 1-30 addresses; returns those the gateway did not find.
    std::vector<Address> batch_remove_participant(const std::vector<Address> &addresses, const CallOptions &call = {}) {
        std::vector<ccgw_address> as;
        as.reserve(addresses.size());
        for (const auto &a : addresses)
            as.push_back(ccgw_address{a.address_type, detail::cstr(a.address)});
        detail::CCall c(call);
        ccgw_address_list *raw = nullptr;
        detail::check(ccgw_batch_remove_participant(handle_.get(), as.empty() ? nullptr : as.data(), as.size(),
                                                    c.get(), &raw));
        std::unique_ptr<ccgw_address_list, AddressListDeleter> list(raw);
        std::vector<Address> out;
        for (size_t i = 0; list && i < list->count; i++)
            out.push_back(Address{list->addresses[i].address_type, detail::copy(list->addresses[i].address)});
        return out;
    }

    /// changeParticipantMode: `attribute` CCGW_MODE_LISTEN, _SPEAK, _LISTEN_SPEAK or _NONE.
    void change_participant_mode(const Address &who, int32_t attribute, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_change_participant_mode(handle_.get(), who.address_type, detail::cstr(who.address),
                                                   attribute, c.get()));
    }

    /// prolongTime: `minutes` more (1-1440; total at most 1440).
    void prolong_time(int32_t minutes, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_prolong_time(handle_.get(), minutes, c.get()));
    }

    /// applyToShiftPresident: the joined agent `dest_agent` becomes the chair.
    void shift_president(const std::string &dest_agent, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_shift_president(handle_.get(), detail::cstr(dest_agent), c.get()));
    }

    /// playVoiceToParticipant.
    void play_voice_to_participant(const Address &who, const std::string &voice_path, int32_t play_mode = CCGW_UNSET,
                                   const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_play_voice_to_participant(handle_.get(), who.address_type, detail::cstr(who.address),
                                                     play_mode, detail::cstr(voice_path), c.get()));
    }

    /// stopVoiceToParticipant.
    void stop_voice_to_participant(const Address &who, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(
            ccgw_stop_voice_to_participant(handle_.get(), who.address_type, detail::cstr(who.address), c.get()));
    }

    /// playVoiceToConf.
    void play_voice_to_conf(const std::string &voice_path, int32_t play_mode = CCGW_UNSET,
                            const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_play_voice_to_conf(handle_.get(), play_mode, detail::cstr(voice_path), c.get()));
    }

    /// modifyConfResource: CCGW_RESOURCE_ADD or _REMOVE `modify_num` (2-118) places.
    void modify_conf_resource(int32_t modify_type, int32_t modify_num, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_modify_conf_resource(handle_.get(), modify_type, modify_num, c.get()));
    }

    /// queryAllConfIds: the ids of every conference of the agent's VDN (inspectors).
    std::vector<int64_t> query_vdn_conf_ids(const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_conf_id_list *raw = nullptr;
        detail::check(ccgw_query_vdn_conf_ids(handle_.get(), c.get(), &raw));
        std::unique_ptr<ccgw_conf_id_list, ConfIdListDeleter> list(raw);
        return list && list->count ? std::vector<int64_t>(list->conf_ids, list->conf_ids + list->count)
                                   : std::vector<int64_t>();
    }

    // --- the live conference view ----------------------------------------------------

    /// A consistent snapshot of the live conference view.
    std::vector<ViewConf> conf_view_snapshot() const {
        ccgw_conf_view *raw = nullptr;
        detail::check(ccgw_conf_view_snapshot(handle_.get(), &raw));
        std::unique_ptr<ccgw_conf_view, ViewDeleter> view(raw);
        std::vector<ViewConf> out;
        for (size_t i = 0; view && i < view->count; i++) {
            const ccgw_view_conf &vc = view->confs[i];
            ViewConf conf{vc.conf_id,         vc.granted,         vc.synced,
                          vc.is_chair,        vc.conf_state,      vc.start_time,
                          vc.apply_conf_time, vc.conf_have_been_time, vc.member_num,
                          vc.timeout_warned,  {}};
            for (size_t j = 0; j < vc.participant_count; j++) {
                const ccgw_view_participant &p = vc.participants[j];
                conf.participants.push_back(ViewParticipant{
                    p.address_type, detail::copy(p.address), p.device_call_type, p.device_type, p.channel_attrib,
                    p.attrib_inferred, p.channel_state, p.held, detail::copy(p.hold_voice_path), p.announcement,
                    p.role, p.enter_time, p.is_self});
            }
            out.push_back(std::move(conf));
        }
        return out;
    }

    /// Reconciles the view with queryconfinfos (every conference in it, plus `extra_ids`).
    void conf_view_resync(const std::vector<int64_t> &extra_ids = {}, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_conf_view_resync(handle_.get(), extra_ids.empty() ? nullptr : extra_ids.data(),
                                            extra_ids.size(), c.get()));
    }

    // --- calls and call data -----------------------------------------------------------

    /// callout: places a call; returns its call id.
    std::string callout(const CalloutRequest &request, const CallOptions &call = {}) {
        ccgw_callout_request r;
        detail::check(ccgw_callout_request_init(&r, CCGW_CALLOUT_REQUEST_VERSION));
        r.called = detail::cstr(request.called);
        r.caller = detail::cstr(request.caller);
        r.skillid = request.skillid;
        r.callappdata = detail::cstr(request.callappdata);
        r.mediaability = request.mediaability;
        r.user_video_direction = request.user_video_direction;
        detail::CCall c(call);
        char *raw = nullptr;
        detail::check(ccgw_callout(handle_.get(), &r, c.get(), &raw));
        return detail::take(raw);
    }
    /// callout to `called` with every other field left out; returns the call id.
    std::string callout(const std::string &called, const CallOptions &call = {}) {
        CalloutRequest r;
        r.called = called;
        return callout(r, call);
    }
    /// hold: holds the talking call.
    void hold_call(const CallOptions &call = {}) { no_argument(ccgw_hold_call, call); }
    /// release: releases the call not on hold.
    void release_call(const CallOptions &call = {}) { no_argument(ccgw_release_call, call); }
    /// getHold: takes a held call back (nullopt: the gateway picks it).
    void get_hold(const std::optional<std::string> &callid = std::nullopt, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_get_hold(handle_.get(), detail::cstr(callid), c.get()));
    }
    /// connectHold: connects the talking party with the held call; the agent drops out.
    void connect_hold(const std::string &callid, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_connect_hold(handle_.get(), detail::cstr(callid), c.get()));
    }
    /// dropCall: releases the call `callid`, held or not.
    void drop_call(const std::string &callid, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_drop_call(handle_.get(), detail::cstr(callid), c.get()));
    }
    /// disconnect: the party `number` leaves the last call.
    void disconnect(const std::string &number, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_disconnect(handle_.get(), detail::cstr(number), c.get()));
    }
    /// secondDialEx: DTMF digits (1-24 of 0-9 * #) on the talking call.
    void second_dial(const std::string &digits, const CallOptions &call = {}) {
        detail::CCall c(call);
        detail::check(ccgw_second_dial(handle_.get(), detail::cstr(digits), c.get()));
    }
    /// holdList: the held calls, oldest first.
    std::vector<CallInfo> query_hold_list(const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_call_info_list *raw = nullptr;
        detail::check(ccgw_query_hold_list(handle_.get(), c.get(), &raw));
        return call_infos(raw);
    }
    /// queryCallInfo: the current call, nullopt when there is none.
    std::optional<CallInfo> query_call_info(int32_t is_no_contain_last_call = CCGW_UNSET,
                                            const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_call_info_list *raw = nullptr;
        detail::check(ccgw_query_call_info(handle_.get(), is_no_contain_last_call, c.get(), &raw));
        auto calls = call_infos(raw);
        return calls.empty() ? std::nullopt : std::optional<CallInfo>(std::move(calls[0]));
    }
    /// queryCallInfoByCallId.
    std::optional<CallInfo> query_call_info_by_callid(const std::string &callid, const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_call_info_list *raw = nullptr;
        detail::check(ccgw_query_call_info_by_callid(handle_.get(), detail::cstr(callid), c.get(), &raw));
        auto calls = call_infos(raw);
        return calls.empty() ? std::nullopt : std::optional<CallInfo>(std::move(calls[0]));
    }
    /// queryAgentStatus.
    AgentStatus query_agent_status(const CallOptions &call = {}) {
        detail::CCall c(call);
        AgentStatus s;
        detail::check(ccgw_query_agent_status(handle_.get(), c.get(), &s.state, &s.is_working));
        return s;
    }

    /// Any gateway interface: `method` GET/POST/PUT/DELETE, `path` relative to
    /// /agentgateway/resource/ ("{agentid}" is replaced), an optional JSON body.
    /// Returns the whole answer as JSON text.
    std::string request(const std::string &method, const std::string &path,
                        const std::optional<std::string> &json_body = std::nullopt, const CallOptions &call = {}) {
        detail::CCall c(call);
        char *raw = nullptr;
        detail::check(ccgw_session_request(handle_.get(), detail::cstr(method), detail::cstr(path),
                                           detail::cstr(json_body), c.get(), &raw));
        return detail::take(raw);
    }

    // --- events -----------------------------------------------------------------------

    /// Starts the event pump (the agent's keep-alive); call right after sign-in.
    void events_start(const EventsOptions &options = {}) {
        ccgw_events_options o;
        detail::check(ccgw_events_options_init(&o, CCGW_EVENTS_OPTIONS_VERSION));
        o.queue_capacity = options.queue_capacity;
        o.poll_timeout_ms = options.poll_timeout_ms;
        o.poll_interval_ms = options.poll_interval_ms;
        o.max_outage_ms = options.max_outage_ms;
        o.backoff_max_ms = options.backoff_max_ms;
        o.max_stall_ms = options.max_stall_ms;
        o.queue_max_bytes = options.queue_max_bytes;
        o.max_event_bytes = options.max_event_bytes;
        o.resync_after_gap = options.resync_after_gap;
        detail::check(ccgw_events_start(handle_.get(), &o));
    }

    /// Stops the event pump (queued events stay).
    void events_stop() { detail::check(ccgw_events_stop(handle_.get())); }

    /// The next event, waiting up to `timeout` (0: do not wait; wait_forever); nullopt
    /// when none arrived in time. Throws CCGW_E_CLOSED once a closed session's queue is empty.
    std::optional<Event> events_next(std::chrono::milliseconds timeout) {
        ccgw_event *raw = nullptr;
        ccgw_status st = ccgw_events_next(handle_.get(), detail::timeout_ms(timeout), &raw);
        if (st == CCGW_E_TIMEOUT)
            return std::nullopt;
        detail::check(st);
        std::unique_ptr<ccgw_event, EventDeleter> ev(raw);
        return Event::from_c(*ev);
    }

    /// Delivers every event to `handler`, in order and one at a time, on the library's
    /// callback pool shared by every session (ccgw::set_dispatch_options; events queued
    /// before come first). The handler is owned by the library and destroyed when it is
    /// replaced or cleared, or the session is destroyed. An empty handler clears.
    void events_set_callback(EventHandler handler) {
        if (!handler) {
            events_clear_callback();
            return;
        }
        if (!handle_)
            throw Error(CCGW_E_NULL_ARGUMENT, "ccgw_events_set_callback: the session was moved from");
        auto *owned = new EventHandler(std::move(handler));
        // On failure the library has called event_handler_free already (ccgw.h).
        detail::check(ccgw_events_set_callback(handle_.get(), detail::event_trampoline, owned,
                                               detail::event_handler_free));
    }

    /// Unregisters the handler: waits for a running call of it to return, then destroys
    /// it (from inside the handler: when it returns).
    void events_clear_callback() { detail::check(ccgw_events_set_callback(handle_.get(), nullptr, nullptr, nullptr)); }

    /// CCGW_OK while the pump runs or after a requested stop, else the status that stopped it.
    ccgw_status events_status() const noexcept { return ccgw_events_status(handle_.get()); }
    /// Whether the pump runs.
    bool events_running() const noexcept { return ccgw_events_running(handle_.get()); }

    // --- high availability: resynchronisation ------------------------------------------

    /// The agent's state, calls and conferences as the gateway reports them
    /// (ccgw_session_snapshot); the live conference view is reconciled from it.
    Snapshot snapshot(const CallOptions &call = {}) {
        detail::CCall c(call);
        ccgw_snapshot *raw = nullptr;
        detail::check(ccgw_session_snapshot(handle_.get(), c.get(), &raw));
        std::unique_ptr<ccgw_snapshot, SnapshotDeleter> snap(raw);
        return Snapshot::from_c(*snap);
    }

private:
    void no_argument(ccgw_status (*fn)(ccgw_session *, const ccgw_call_options *), const CallOptions &call) {
        detail::CCall c(call);
        detail::check(fn(handle_.get(), c.get()));
    }

    /// The C request for `request`; `ps` keeps the participant array alive.
    static ccgw_batch_add_request batch_add_c(const BatchAddRequest &request, std::vector<ccgw_participant> &ps) {
        ps.reserve(request.participants.size());
        for (const auto &p : request.participants)
            ps.push_back(ccgw_participant{p.address_type, detail::cstr(p.address), p.device_call_type, p.device_type});
        ccgw_batch_add_request r;
        detail::check(ccgw_batch_add_request_init(&r, CCGW_BATCH_ADD_REQUEST_VERSION));
        r.participants = ps.empty() ? nullptr : ps.data();
        r.participant_count = ps.size();
        r.beep_tone = request.beep_tone;
        r.play_mode = request.play_mode;
        r.voice_path = detail::cstr(request.voice_path);
        r.caller = detail::cstr(request.caller);
        return r;
    }

    static std::vector<CallInfo> call_infos(ccgw_call_info_list *raw) {
        std::unique_ptr<ccgw_call_info_list, CallInfoListDeleter> list(raw);
        return detail::call_infos_copy(list.get());
    }

    struct AddressListDeleter {
        void operator()(ccgw_address_list *l) const noexcept { ccgw_address_list_free(l); }
    };
    struct ConfIdListDeleter {
        void operator()(ccgw_conf_id_list *l) const noexcept { ccgw_conf_id_list_free(l); }
    };
    struct CallInfoListDeleter {
        void operator()(ccgw_call_info_list *l) const noexcept { ccgw_call_info_list_free(l); }
    };
    struct ViewDeleter {
        void operator()(ccgw_conf_view *v) const noexcept { ccgw_conf_view_free(v); }
    };
    struct SessionDeleter {
        void operator()(ccgw_session *s) const noexcept { ccgw_session_free(s); }
    };
    struct ResultDeleter {
        void operator()(ccgw_sign_in_result *r) const noexcept { ccgw_sign_in_result_free(r); }
    };
    struct ConfListDeleter {
        void operator()(ccgw_conf_list *l) const noexcept { ccgw_conf_list_free(l); }
    };
    struct EventDeleter {
        void operator()(ccgw_event *e) const noexcept { ccgw_event_free(e); }
    };
    struct SnapshotDeleter {
        void operator()(ccgw_snapshot *s) const noexcept { ccgw_snapshot_free(s); }
    };
    std::unique_ptr<ccgw_session, SessionDeleter> handle_;
};

} // namespace ccgw

#endif // CCGW_HPP
