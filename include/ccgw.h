/*
 * ccgw -- C API of the ccgw client library for the Huawei CC-Gateway (AgentGateway)
 * agent REST interface: agent session and Guid, event long-polling, and the agent
 * conference operations.
 *
 * CONVENTIONS
 *  - Every fallible function returns a ccgw_status: CCGW_OK (0) or a CCGW_E_* code.
 *    Codes are stable. ccgw_status_str() describes any code. Gateway retcodes map to
 *    statuses mechanically: "FFF-NNN" is 1000000 + FFF*1000 + NNN (CCGW_E_GW_*), a plain
 *    numeric retcode N is 2000000 + N; ccgw_status_is_gateway() tells them apart.
 *  - Detail of the last failure is kept per thread: ccgw_last_error_message() (never
 *    NULL), ccgw_last_error_retcode(), ccgw_last_error_http_status(),
 *    ccgw_last_error_cti_code(). ccgw_status_outcome() says what any status means for the
 *    operation (not sent, refused, may have run), ccgw_status_retryable() whether calling
 *    again may succeed without risk. Every fallible
 *    call clears it on entry; the _free functions and infallible getters never touch it. Read
 *    it on the failing thread, before the next fallible ccgw call.
 *  - Input strings are NUL-terminated UTF-8, borrowed for the duration of the call only
 *    (the library copies what it keeps). Invalid UTF-8 is refused (CCGW_E_INVALID_UTF8),
 *    never repaired. NULL where a value is required gives CCGW_E_NULL_ARGUMENT.
 *  - Every limit of the gateway's interface tables is checked before anything is sent;
 *    a violation returns an argument status and sends nothing.
 *  - What the library allocates, the library frees: strings with ccgw_string_free(),
 *    results and handles with their own _free function. Every _free accepts NULL and
 *    must be called exactly once. Never pass library memory to free().
 *  - Out-parameters are set to NULL on entry and written only on success.
 *  - Option and request structs carry a version: fill them with their _init function
 *    (passing the *_VERSION macro), then set fields. Optional integer and tri-state
 *    fields use CCGW_UNSET (-1) for "leave it out, the gateway's default applies".
 *
 * SECURITY
 *  - The Guid and the password go to the gateway's base URL(s) only: redirects are never
 *    followed (a 3xx is CCGW_E_HTTP_STATUS naming only the target's origin), nothing is
 *    re-sent elsewhere, and every request URL is built below .../agentgateway/resource/
 *    and proved to be there before anything is sent.
 *  - Kept-alive connections: a connection whose close (a front end's keep-alive timeout)
 *    has already arrived is never used. A read (GET) that went out on a kept-alive
 *    connection and met its orderly close (FIN) before any byte of an answer is sent once
 *    more, to the same gateway on a new connection; if that cannot be done the call
 *    returns CCGW_E_NOT_SENT (nothing carried out, safe to call again). Nothing else is
 *    ever re-sent (RFC 9110 §9.2.2): seen from the client, a front end's idle close
 *    crossing the request on the wire is the same failure as a gateway that received it,
 *    acted and closed before answering. Such a failure, a reset (RST), one on a new
 *    connection, or one after an answer began is CCGW_E_CONNECTION_LOST: outcome unknown.
 *  - No answer is trusted for its size, shape or text: Set-GUID is taken from 2xx answers
 *    only, and only when it is a usable Guid; a retcode only in its documented shapes
 *    (NNN-NNN, or 1-6 digits), anything else is CCGW_E_MALFORMED_RESPONSE; text from the
 *    network quoted in a message or log record has control characters replaced and is
 *    cut to 200 characters; no message or record is longer than 1024 characters.
 *  - Answers are decoded by the charset their Content-Type declares (WHATWG Encoding
 *    Standard labels: GBK, GB18030, Big5, Shift_JIS, ISO-8859-1, UTF-16 with its byte
 *    order mark, ...; UTF-8 when none); an unknown charset or bytes invalid in it are
 *    CCGW_E_MALFORMED_RESPONSE saying so.
 *  - The session's state and the status agree: when a 2xx answer carried a usable
 *    Set-GUID but the call still fails (its body cut short or undecodable), the message
 *    says the gateway may have carried the request out; after a sign-in the session then
 *    holds no Guid (sign in again with force), after any other call it holds the new Guid.
 *  - Messages and log records never contain the Guid, the password or call data: routes
 *    are logged with identifiers masked (voicecall/{agentid}/gethold?callid=...), and
 *    words of the gateway's message that echo the request are replaced.
 *  - Memory: the library keeps the Guid and the password only in buffers it wipes before
 *    freeing them: its copy of the password, the sign-in body sent (queued as is by the
 *    HTTP stack, encrypted in place by TLS), the Guid header of each request, the Guid
 *    itself, and strings from ccgw_session_get_guid() once given to ccgw_string_free().
 *    It cannot wipe the copies its HTTP and TLS stacks (hyper, rustls) keep in their own
 *    connection buffers: a request head, with its Guid header, may stay in hyper's write
 *    buffer until the connection closes or the next head overwrites it, and every answer
 *    (Set-GUID included) passes through rustls's and hyper's read buffers.
 *
 * TLS
 *  - The library speaks TLS 1.3, or TLS 1.2 with an ECDHE key exchange and an AEAD cipher
 *    (AES-GCM, ChaCha20-Poly1305), as RFC 9325 recommends; a gateway offering only
 *    TLS 1.0/1.1, RSA key exchange or CBC suites is refused (CCGW_E_TLS saying which).
 *    Its certificate needs an RSA (2048 bits or more), ECDSA P-256/P-384 or Ed25519 key.
 *  - Trust: the system trust store by default; ca_file/ca_pem for the CA of a private PKI
 *    (the host must then be a subjectAltName of the certificate, which must not itself be
 *    a CA); or certificate pinning (pinned_sha256 / pinned_cert_file, ccgw_session_options
 *    version 2), which trusts exactly the gateway's own certificate and is how to trust a
 *    self-signed `openssl req -x509` certificate or a `keytool` one naming its host only
 *    in the CN. insecure_accept_any_certificate is for labs only.
 *  - A CCGW_E_TLS message says what is wrong and what to do: host only in the CN, a CA
 *    certificate used as the server's, unknown issuer (naming it), expired or not yet
 *    valid (with the dates), a name mismatch (with the names the certificate has), a
 *    certificate that is not pinned (with its SHA-256), no cipher suite in common, or a
 *    server that speaks only TLS 1.0/1.1.
 *
 * FAIL-OVER (base_url first, then fallback_urls: "nodes" 1, 2, ...)
 *  - A request moves to the next node when its node cannot take it: the connection or
 *    TLS handshake failed, the forward proxy refused the tunnel, the request was given
 *    up before it was written (all: nothing was sent), HTTP 503 before any gateway
 *    envelope (CCGW_E_GATEWAY_UNAVAILABLE: not carried out), HTTP 502/504 before any
 *    envelope (CCGW_E_BAD_GATEWAY: outcome unknown), or 000-004 (CCGW_E_GW_SWITCHOVER)
 *    from a node that has been switching over for longer than switchover_wait_ms.
 *  - What is sent again by the library: a request that surely never left goes to the
 *    next node whatever it is (a first send, not a re-send). Sign-in (login, forceLogin)
 *    and reads (GET, the event poll included) are also sent again after a 502/503/504
 *    on the next node, and ride 000-004 out on the same node (pausing between tries)
 *    until the switchover wait has passed, then move. Any other operation that reached a
 *    node is never sent again: it fails with its status, and ccgw_status_outcome() says
 *    whether it surely did not run (CCGW_OUTCOME_REFUSED: 503, 000-004; call again) or
 *    may have run (CCGW_OUTCOME_MAY_HAVE_RUN: 502/504, a lost connection or a timeout
 *    after sending). After a 502/503/504 (or a 000-004 past the wait) the session points
 *    at the next node, so the caller's retry goes there.
 *  - Rounds and pauses: once every node was tried, another round starts after a pause
 *    drawn uniformly below min(retry_backoff_max_ms, retry_backoff_initial_ms *
 *    2^(round-1)) (full jitter, from a generator seeded from the OS per thread, so
 *    thousands of sessions failing together do not retry together); at most
 *    retry_rounds rounds
 *    (one when the last node's TLS handshake failed or the proxy refused its tunnel:
 *    neither mends with waiting);
 *    every pause and attempt fits in the call's own timeout (the session's, or
 *    ccgw_call_options.timeout_ms), which bounds the whole call.
 *  - Staying and going back: a session stays on the node that last answered it (its
 *    Guid belongs there) while that node works. A sign-in starts from the primary
 *    (base_url) again, unless the primary failed within failback_after_ms.
 *  - Every move is logged (CCGW_LOG_WARN) with node numbers, never a URL or a Guid.
 *    Exchanges report nothing else: a Guid issued by one node may be unknown to the
 *    next (100-006 / 000-003 there; sign in again).
 *
 * THREADS AND BLOCKING
 *  - Operation functions block the calling thread until the gateway answers or the
 *    request timeout passes (session default, overridable per call with
 *    ccgw_call_options), and can be cancelled from another thread with a ccgw_cancel
 *    token or ccgw_session_close().
 *  - A ccgw_session may be used from any number of threads at once. ccgw_session_close()
 *    may race with anything; ccgw_session_free() with nothing: join your threads first.
 *  - The library runs a small internal runtime (two threads) for I/O. Log callbacks may
 *    run on them; a blocking ccgw call made there returns CCGW_E_WRONG_THREAD.
 *  - Fork: a child forked once the library has threads (after the first network call,
 *    or a session with an event callback) cannot use it: there every fallible call
 *    returns CCGW_E_FORKED at once, and ccgw_session_free() / ccgw_cancel_free() do
 *    nothing (no thread is joined, nothing is printed). Fork before, or exec.
 *  - Unloading: the library's threads outlive its sessions, so it is never unloaded
 *    once used. Linux: it is linked with -z nodelete, and dlclose() leaves it in
 *    place. Windows: the DLL pins itself on its first call (GetModuleHandleExW with
 *    GET_MODULE_HANDLE_EX_FLAG_PIN), and FreeLibrary() leaves it loaded until the
 *    process exits. Loading it again returns the same instance.
 *  - The library writes nothing to stderr unless CCGW_LOG asks (see
 *    ccgw_set_log_callback): a panic it catches becomes CCGW_E_PANIC and an error log
 *    record of operation "panic", never a message on stderr.
 *
 * EVENTS
 *  - ccgw_events_start() after sign-in keeps one long poll outstanding: the agent's
 *    keep-alive (2 minutes without a poll and the gateway signs the agent out) and, in
 *    dynamic authentication, where the rotating Guid arrives. Every session has one event
 *    queue from its creation; take events with ccgw_events_next() (OK, TIMEOUT or CLOSED)
 *    or register a callback with ccgw_events_set_callback() (called in order, one at a
 *    time per session, on a small process-wide callback pool where blocking ccgw calls
 *    are allowed; its size: ccgw_global_set_dispatch_options()).
 *  - The pump rides out transient failures (CCGW_EVENT_PUMP_ERROR events) and stops on
 *    lasting ones (CCGW_EVENT_PUMP_STOPPED, ccgw_events_status()).
 *  - Gateway events without typed fields arrive as CCGW_EVENT_OTHER with their name
 *    (type_name) and JSON (content_json, event_json); CCGW_EVENT_* numbers never change.
 *
 * CONFERENCES
 *  - Every operation of the agentconf family and the voicecall/calldata calls a
 *    conference is built from has a typed function (ccgw_request_agent_conf,
 *    ccgw_callout, ...); ccgw_session_request remains for anything else.
 *  - The live view: the session keeps a model of each conference it chairs or is in,
 *    fed by the event pump before each event is queued (a snapshot taken after taking
 *    an event reflects it) and by the session's own successful operations.
 *    ccgw_conf_view_snapshot() copies it; ccgw_conf_view_resync() reconciles it with
 *    queryconfinfos. A conference marked !synced holds something events could not
 *    tell (joined as an invitee, an event about an unknown participant): resync it.
 *  - Per-invitee outcomes: ccgw_batch_add_participant_tracked() returns a tracker that
 *    reads the chair's AgentConf_ParticipantChanged events (it takes none from the
 *    application) and settles each invitee as joined, failed (with the gateway's code),
 *    released, or no answer by the deadline; wait on it, or follow its
 *    CCGW_EVENT_INVITE_OUTCOME / CCGW_EVENT_INVITES_SETTLED library events.
 *
 * A FIRST PROGRAM
 *    ccgw_session_options o;  ccgw_session *s = NULL;
 *    ccgw_session_options_init(&o, CCGW_SESSION_OPTIONS_VERSION);
 *    o.base_url = "https://gw.example:8043";  o.agent_id = "153";  o.ca_file = "ca.pem";
 *    if (ccgw_session_new(&o, &s) != CCGW_OK) { puts(ccgw_last_error_message()); ... }
 *    ccgw_sign_in_options si;  ccgw_sign_in_options_init(&si, CCGW_SIGN_IN_OPTIONS_VERSION);
 *    si.password = pw;  si.phonenum = "40038";
 *    ccgw_session_sign_in(s, &si, NULL, NULL);
 *    ccgw_events_start(s, NULL);
 *    ... operations; ccgw_events_next(s, 1000, &ev) ... ccgw_event_free(ev) ...
 *    ccgw_session_sign_out(s, NULL);  ccgw_session_free(s);
 */

#ifndef CCGW_H
#define CCGW_H

/* Generated from the Rust sources by tools/gen-header (cbindgen). Do not edit. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && !defined(CCGW_STATIC)
#define CCGW_API __declspec(dllimport)
#else
#define CCGW_API
#endif

/** Version of this header: major, minor, patch, string, and packed (major << 16 | minor << 8 | patch). */
#define CCGW_VERSION_MAJOR 0
/** Minor version of this header. */
#define CCGW_VERSION_MINOR 1
/** Patch version of this header. */
#define CCGW_VERSION_PATCH 0
/** Version of this header as a string, "MAJOR.MINOR.PATCH". */
#define CCGW_VERSION_STRING "0.1.0"
/** Version of this header packed as (major << 16 | minor << 8 | patch), for comparisons. */
#define CCGW_VERSION_NUMBER 256


/**
 * `CCGW_UNSET` (-1): leave an optional integer or tri-state field out of the request, so
 * the gateway's default applies.
 */
#define CCGW_UNSET (-1)

/**
 * Current version of `ccgw_agent_conf_request`.
 */
#define CCGW_AGENT_CONF_REQUEST_VERSION 1

/**
 * `attribute` of `ccgw_change_participant_mode`: listen only.
 */
#define CCGW_MODE_LISTEN 1

/**
 * Speak only.
 */
#define CCGW_MODE_SPEAK 2

/**
 * Listen and speak (a participant's mode when it joins).
 */
#define CCGW_MODE_LISTEN_SPEAK 3

/**
 * Neither listen nor speak.
 */
#define CCGW_MODE_NONE 4

/**
 * `modify_type` of `ccgw_modify_conf_resource`: add member places.
 */
#define CCGW_RESOURCE_ADD 0

/**
 * Remove member places.
 */
#define CCGW_RESOURCE_REMOVE 1

/**
 * Current version of `ccgw_callout_request`.
 */
#define CCGW_CALLOUT_REQUEST_VERSION 1

/**
 * ABI major version: bumped only when a change breaks binary compatibility. It is the
 * number in the shared library's soname (`libccgw.so.1`).
 */
#define CCGW_ABI_VERSION 1

/**
 * Log level: logging off.
 */
#define CCGW_LOG_OFF 0

/**
 * Log level: failures the library cannot hide (a lost event pump, an internal error).
 */
#define CCGW_LOG_ERROR 1

/**
 * Log level: failed requests, fail-over, retries, insecure settings.
 */
#define CCGW_LOG_WARN 2

/**
 * Log level: sign-in, sign-out, Guid replaced.
 */
#define CCGW_LOG_INFO 3

/**
 * Log level: every request and answer (method, route with identifiers masked as in
 * `voicecall/{agentid}/gethold?callid=…`, HTTP status, retcode, duration).
 */
#define CCGW_LOG_DEBUG 4

/**
 * Log level: everything.
 */
#define CCGW_LOG_TRACE 5

/**
 * Current version of `ccgw_batch_add_request`.
 */
#define CCGW_BATCH_ADD_REQUEST_VERSION 1

/**
 * Current version of `ccgw_hold_request`.
 */
#define CCGW_HOLD_REQUEST_VERSION 1

/**
 * `address_type` 6: the address is a phone number.
 */
#define CCGW_ADDRESS_PHONE 6

/**
 * `address_type` 9: the address is an agent id.
 */
#define CCGW_ADDRESS_AGENT 9

/**
 * Invitee outcome: no answer yet, and the deadline has not passed.
 */
#define CCGW_INVITE_PENDING 0

/**
 * It joined (or was a participant already: the gateway skips it).
 */
#define CCGW_INVITE_JOINED 1

/**
 * The invitation failed: rejected, busy, not answered or unreachable; `result` is the
 * gateway's code (non-zero).
 */
#define CCGW_INVITE_FAILED 2

/**
 * It went away before it answered (removed, hung up, signed out); `change_reason` says why.
 */
#define CCGW_INVITE_RELEASED 3

/**
 * No answer by the caller's deadline.
 */
#define CCGW_INVITE_NO_ANSWER 4

/**
 * The conference ended, or the agent was signed out, before it answered.
 */
#define CCGW_INVITE_CONF_ENDED 5

/**
 * Current version of `ccgw_events_options`. Version 2 added `queue_max_bytes` and
 * `max_event_bytes`, version 3 `resync_after_gap`; a program built with an older version
 * keeps passing it and its shorter struct.
 */
#define CCGW_EVENTS_OPTIONS_VERSION 3

/**
 * Default `queue_max_bytes` of `ccgw_events_options`: 64 MiB.
 */
#define CCGW_DEFAULT_EVENT_QUEUE_MAX_BYTES 67108864

/**
 * Default `max_event_bytes` of `ccgw_events_options`: 1 MiB of JSON.
 */
#define CCGW_DEFAULT_MAX_EVENT_BYTES 1048576

/**
 * `lost_reason` of a `CCGW_EVENT_EVENTS_LOST` event: the queue held `queue_capacity`
 * events (for longer than `max_stall_ms`), so the oldest were dropped.
 */
#define CCGW_LOST_QUEUE_FULL 1

/**
 * `lost_reason`: the queued events held `queue_max_bytes` of memory (for longer than
 * `max_stall_ms`), so the oldest were dropped.
 */
#define CCGW_LOST_QUEUE_BYTES 2

/**
 * `lost_reason`: each dropped event was larger than `max_event_bytes` (or would alone
 * exceed `queue_max_bytes`); it was never queued.
 */
#define CCGW_LOST_TOO_LARGE 3

/**
 * `lost_reason`: events may have been lost (`lost_count` 0: unknown) because a poll failed
 * after it was sent (connection reset, timeout, an answer cut short or unreadable, a
 * front end's 500/502/504): the gateway may have taken an event off its queue for it.
 */
#define CCGW_LOST_POLL_FAILED 4

/**
 * `lost_reason`: events may have been lost because polls moved to another base URL (a
 * fail-over): events queued on the node left behind do not follow; or because a node
 * answered a poll `000-004` (it was switching over), even when the poll then succeeded on
 * it: what was queued during the switchover may not have survived it.
 */
#define CCGW_LOST_FAILOVER 5

/**
 * `lost_reason`: events may have been lost because the session was lost and signed in
 * again (`auto_resign_in`): the old session's events are gone.
 */
#define CCGW_LOST_SIGN_IN_AGAIN 6

/**
 * `timeout_ms` of `ccgw_events_next` that waits without limit.
 */
#define CCGW_WAIT_FOREVER UINT32_MAX

/**
 * Event kind: a gateway event without typed fields (read `type_name` and `content_json`).
 */
#define CCGW_EVENT_OTHER 0

/**
 * `AgentConf_ParticipantChanged`: `result`, `change_type`, `change_reason`, `conf_id`,
 * `participant`, `participant_type`, `device_call_type`, `device_type`.
 */
#define CCGW_EVENT_CONF_PARTICIPANT_CHANGED 1

/**
 * `AgentConf_RequestSuccess`: `conf_id` (the conference is granted; chair operations may follow).
 */
#define CCGW_EVENT_CONF_REQUEST_SUCCESS 2

/**
 * `AgentConf_RequestFailed`: `cause` (a CTI cause code).
 */
#define CCGW_EVENT_CONF_REQUEST_FAILED 3

/**
 * `AgentConf_SelfJoinResult`: `conf_id`.
 */
#define CCGW_EVENT_CONF_SELF_JOIN_RESULT 4

/**
 * `AgentConf_Timeout`: `conf_id` (the conference reached its warning time).
 */
#define CCGW_EVENT_CONF_TIMEOUT 5

/**
 * `AgentConf_Ringing`: `conf_id` (this agent is invited).
 */
#define CCGW_EVENT_CONF_RINGING 6

/**
 * `AgentConf_SelfLeaveResult`: `conf_id`.
 */
#define CCGW_EVENT_CONF_SELF_LEAVE_RESULT 7

/**
 * `AgentConf_PresidentChanged`: `conf_id` (this agent became the chairperson).
 */
#define CCGW_EVENT_CONF_PRESIDENT_CHANGED 8

/**
 * `AgentConf_StopVoice`: `result` (0 success).
 */
#define CCGW_EVENT_CONF_STOP_VOICE 9

/**
 * `AgentConf_StopParticipantVoice`: `result` (0 success).
 */
#define CCGW_EVENT_CONF_STOP_PARTICIPANT_VOICE 10

/**
 * `AgentEvent_Conference`: `callid`, `partners` (the three-party call is up).
 */
#define CCGW_EVENT_CONFERENCE 11

/**
 * `AgentEvent_Customer_Release`: `callid`, `number` (a customer left the call).
 */
#define CCGW_EVENT_CUSTOMER_RELEASE 12

/**
 * `AgentEvent_Talking`: `callid`, `caller`, `called` (a call is connected: answered, or
 * taken back from hold).
 */
#define CCGW_EVENT_CALL_TALKING 13

/**
 * `AgentEvent_Hold`: `callid` (the call is on hold).
 */
#define CCGW_EVENT_CALL_HOLD 14

/**
 * `AgentEvent_Call_Release`: `callid` (the agent's side of the call ended).
 */
#define CCGW_EVENT_CALL_RELEASE 15

/**
 * `AgentEvent_Connect_Fail`: `callid` (the call could not be connected).
 */
#define CCGW_EVENT_CONNECT_FAIL 16

/**
 * `AgentEvent_Call_Out_Fail`: `callid` (the outbound call failed: busy, no answer, rejected).
 */
#define CCGW_EVENT_CALL_OUT_FAIL 17

/**
 * `AgentEvent_Customer_Alerting`: `callid`, `number` (the called party is ringing).
 */
#define CCGW_EVENT_CUSTOMER_ALERTING 18

/**
 * `AgentEvent_Ringing`: `callid`, `caller`, `called` (an inbound call rings the agent).
 */
#define CCGW_EVENT_CALL_RINGING 19

/**
 * `AgentOther_PhoneAlerting`: the agent's phone rings.
 */
#define CCGW_EVENT_PHONE_ALERTING 20

/**
 * `AgentOther_PhoneOffhook`: the agent's phone went off-hook.
 */
#define CCGW_EVENT_PHONE_OFFHOOK 21

/**
 * `AgentOther_PhoneRelease`: `phone_state` (2 on-hook by the agent, 3 by the platform).
 */
#define CCGW_EVENT_PHONE_RELEASE 22

/**
 * `AgentOther_ShutdownService`: `reason` (the agent is signed out; the simulator says why).
 */
#define CCGW_EVENT_SHUTDOWN_SERVICE 23

/**
 * `AgentState_Ready`: the agent is idle.
 */
#define CCGW_EVENT_AGENT_STATE_READY 24

/**
 * `AgentState_Busy`: the agent is occupied (a call or a conference).
 */
#define CCGW_EVENT_AGENT_STATE_BUSY 25

/**
 * `AgentState_SetNotReady_Success`: the agent is busy (not ready).
 */
#define CCGW_EVENT_AGENT_STATE_NOT_READY 26

/**
 * `AgentState_Work`: the agent is in wrap-up work.
 */
#define CCGW_EVENT_AGENT_STATE_WORK 27

/**
 * Any other `AgentState_*` event (read `type_name` and `content_json`).
 */
#define CCGW_EVENT_AGENT_STATE_OTHER 28

/**
 * Library event: a gap, one report per gap, in order with the other events. Either
 * `ccgw.EventsLost`: `lost_count` events were dropped by the library, for the reason in
 * `lost_reason` (`CCGW_LOST_QUEUE_FULL`, `CCGW_LOST_QUEUE_BYTES`: the queue full by count
 * or by memory for longer than `max_stall_ms`; `CCGW_LOST_TOO_LARGE`: events over the
 * size limit), one report per reason placed before the next event taken, the dropped
 * events' `sequence` numbers missing from the events that follow; or
 * `ccgw.EventsMayBeLost`: events may have been lost on the way (`lost_count` 0, unknown;
 * `lost_reason` `CCGW_LOST_POLL_FAILED`, `CCGW_LOST_FAILOVER` or
 * `CCGW_LOST_SIGN_IN_AGAIN`), reported when polls work again, before the first event
 * after the gap (or just before `CCGW_EVENT_PUMP_STOPPED` when the pump stops first). `gap_start` and `gap_end` bound the gap (ms since the epoch: the
 * dropped events' arrival, or from the last poll answered before the gap to the first
 * answered after it); `message` says it in words. Nothing is reported when nothing can
 * have been lost: a poll the gateway answered without an event, a poll refused before it
 * was sent. After one, resynchronise with `ccgw_session_snapshot` (or set
 * `resync_after_gap`).
 */
#define CCGW_EVENT_EVENTS_LOST 100

/**
 * Library event `ccgw.MalformedEvent` (or the gateway's type name): the gateway sent an
 * event that could not be read; `message` says why, `event_json` holds it.
 */
#define CCGW_EVENT_MALFORMED 101

/**
 * Library event `ccgw.PumpError`: a poll failed (`status`, `message`); the pump retries
 * with backoff.
 */
#define CCGW_EVENT_PUMP_ERROR 102

/**
 * Library event `ccgw.PumpRecovered`: polls succeed again after failures.
 */
#define CCGW_EVENT_PUMP_RECOVERED 103

/**
 * Library event `ccgw.PumpStopped`, once, last: the pump stopped. `status` names the
 * reason (`CCGW_E_SESSION_LOST`, `CCGW_E_SESSION_SHUT_DOWN`,
 * `CCGW_E_SESSION_DR_SIGN_IN_AGAIN`, `CCGW_E_SESSION_FAILOVER`, `CCGW_E_PUMP_OUTAGE`,
 * `CCGW_E_RESIGN_IN_FAILED`, `CCGW_E_PUMP_FAILED`), `cause_status` the status of what
 * happened (e.g. `CCGW_E_GW_NOT_SIGNED_IN`), `message` says it in words.
 * `ccgw_events_status` returns `status`.
 */
#define CCGW_EVENT_PUMP_STOPPED 104

/**
 * Library event `ccgw.InviteOutcome`: an invitee of a tracked batch invitation
 * (`ccgw_batch_add_participant_tracked`) has its outcome: `tracker_id`, `conf_id`,
 * `participant`, `participant_type`, `outcome` (`CCGW_INVITE_*`), `result`,
 * `change_reason`. Queued right after the event that settled it (or at the deadline).
 */
#define CCGW_EVENT_INVITE_OUTCOME 105

/**
 * Library event `ccgw.InvitesSettled`: no invitee of the tracker `tracker_id` is pending.
 */
#define CCGW_EVENT_INVITES_SETTLED 106

/**
 * Library event `ccgw.SessionLost`: the gateway says the session is gone; `status` is the
 * reason (`CCGW_E_SESSION_LOST`, `CCGW_E_SESSION_SHUT_DOWN`,
 * `CCGW_E_SESSION_DR_SIGN_IN_AGAIN`, `CCGW_E_SESSION_FAILOVER`), `cause_status` what the
 * gateway answered. The session's Guid is forgotten (operations fail with
 * `CCGW_E_NOT_SIGNED_IN`, sending nothing, until a new sign-in). With `auto_resign_in`
 * the pump signs in again next; otherwise `CCGW_EVENT_PUMP_STOPPED` follows.
 */
#define CCGW_EVENT_SESSION_LOST 107

/**
 * Library event `ccgw.SigningInAgain`: attempt `attempt` (from 1) to sign in again.
 */
#define CCGW_EVENT_SIGNING_IN_AGAIN 108

/**
 * Library event `ccgw.SignedInAgain`: signed in again at attempt `attempt` (`message`
 * says whether by force); polling resumes, and the gap follows as a
 * `CCGW_EVENT_EVENTS_LOST` (`CCGW_LOST_SIGN_IN_AGAIN`).
 */
#define CCGW_EVENT_SIGNED_IN_AGAIN 109

/**
 * Library event `ccgw.SignInAgainFailed`: attempt `attempt` failed with `status`
 * (`message` says whether it is retried, and when). A refusal no retry cures
 * (`100-004`, a locked account, `100-002` without `allow_forced_resign_in`, ...) is
 * followed by `CCGW_EVENT_PUMP_STOPPED` with `CCGW_E_RESIGN_IN_FAILED`.
 */
#define CCGW_EVENT_SIGN_IN_AGAIN_FAILED 110

/**
 * Library event `ccgw.Snapshot`: a resynchronisation snapshot (`snapshot`, owned by the
 * event) fetched after a gap (`resync_after_gap`), right after the gap's report and the
 * event polled with it. Each of its requests waits at most 10 s and the whole at most
 * 30 s (the pump is the keep-alive); when none could be fetched, `status` says why
 * (`CCGW_E_TIMEOUT`, `CCGW_E_NOT_SIGNED_IN`, ...) and `snapshot` is NULL.
 */
#define CCGW_EVENT_SNAPSHOT 111

/**
 * Current version of `ccgw_dispatch_options`.
 */
#define CCGW_DISPATCH_OPTIONS_VERSION 1

/**
 * Default `threads` of `ccgw_dispatch_options`.
 */
#define CCGW_DEFAULT_DISPATCH_THREADS 4

/**
 * Default `max_threads` of `ccgw_dispatch_options` (or `threads`, when larger).
 */
#define CCGW_DEFAULT_DISPATCH_MAX_THREADS 64

/**
 * Default `stall_ms` of `ccgw_dispatch_options`.
 */
#define CCGW_DEFAULT_DISPATCH_STALL_MS 100

/**
 * Default `idle_ms` of `ccgw_dispatch_options`.
 */
#define CCGW_DEFAULT_DISPATCH_IDLE_MS 10000

/**
 * Largest `threads` and `max_threads` accepted.
 */
#define CCGW_DISPATCH_THREADS_MAX 1024

/**
 * Largest `stall_ms` accepted (one minute).
 */
#define CCGW_DISPATCH_STALL_MS_MAX 60000

/**
 * Largest `idle_ms` accepted (one hour).
 */
#define CCGW_DISPATCH_IDLE_MS_MAX 3600000

/**
 * Current version of `ccgw_session_options`. Version 2 added certificate pinning
 * (`pinned_sha256`, `pinned_cert_file`), `disable_cookies` and the proxy (`proxy_url`,
 * `proxy_username`, `proxy_password`, `no_proxy`, `proxy_from_environment`); version 3 the
 * fail-over policy's settings (`switchover_wait_ms`, `failback_after_ms`,
 * `retry_backoff_initial_ms`, `retry_backoff_max_ms`, `retry_rounds`). A program built
 * with version 1 or 2 keeps passing its version and its shorter struct.
 */
#define CCGW_SESSION_OPTIONS_VERSION 3

/**
 * Current version of `ccgw_sign_in_options`. Version 2 added `auto_resign_in` and
 * `allow_forced_resign_in`; a program built with version 1 keeps passing 1.
 */
#define CCGW_SIGN_IN_OPTIONS_VERSION 2

/**
 * Current version of `ccgw_call_options`.
 */
#define CCGW_CALL_OPTIONS_VERSION 1

/**
 * `auth_mode`: dynamic authentication (`AUTHMODE = 2`, the gateway default): the Guid
 * rotates and new values arrive on event-poll answers.
 */
#define CCGW_AUTH_DYNAMIC 2

/**
 * `auth_mode`: static authentication (`AUTHMODE = 1`): the Guid from sign-in stays valid.
 */
#define CCGW_AUTH_STATIC 1

/**
 * Largest `ca_file` read, in bytes (1 MiB; CA bundles, a system's whole trust store
 * included, are far smaller).
 */
#define CCGW_CA_FILE_MAX_BYTES 1048576

/**
 * Default connect timeout, ms.
 */
#define CCGW_DEFAULT_CONNECT_TIMEOUT_MS 5000

/**
 * Default request timeout, ms (the whole exchange: send, wait, read the answer).
 */
#define CCGW_DEFAULT_REQUEST_TIMEOUT_MS 15000

/**
 * Default `switchover_wait_ms`: 30 s. The gateway documents no switchover duration; its
 * DR note (reference §2.3) asks the event poll to outlast the switchover, and a Guid
 * outlives its renewal by `GUIDTIMEOUT - GUIDINTERVAL` = 60 s by default. Half of that: a
 * switchover that ends within it costs nothing (same node, same Guid); one that does not
 * leaves time to move and sign in elsewhere before the agent is lost to the CTI platform.
 */
#define CCGW_DEFAULT_SWITCHOVER_WAIT_MS 30000

/**
 * Default `failback_after_ms`: 60 s.
 */
#define CCGW_DEFAULT_FAILBACK_AFTER_MS 60000

/**
 * Default `retry_backoff_initial_ms`: 250 ms (the reference's re-poll pause is 200-500 ms).
 */
#define CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS 250

/**
 * Default `retry_backoff_max_ms`: 5 s.
 */
#define CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS 5000

/**
 * Default `retry_rounds`: 3.
 */
#define CCGW_DEFAULT_RETRY_ROUNDS 3

/**
 * Largest `retry_rounds`.
 */
#define CCGW_RETRY_ROUNDS_MAX 100

/**
 * A cancellation token: pass it in `ccgw_call_options.cancel`; `ccgw_cancel_cancel` from
 * any thread makes the calls using it return `CCGW_E_CANCELLED` promptly.
 */
typedef struct ccgw_cancel ccgw_cancel;

/**
 * The per-invitee outcomes of one batch invitation (opaque; from
 * `ccgw_batch_add_participant_tracked`, freed with `ccgw_invite_tracker_free`). It may be
 * used from any thread; freeing it races with nothing else on it.
 */
typedef struct ccgw_invite_tracker ccgw_invite_tracker;

/**
 * An agent session: base URL(s), TLS, timeouts, the agent id and the current Guid.
 * Create with `ccgw_session_new`; one handle may be used from any number of threads at
 * once; `ccgw_session_close` may race with anything; `ccgw_session_free` with nothing.
 */
typedef struct ccgw_session ccgw_session;

/**
 * Result of every fallible ccgw function: `CCGW_OK` (0) or one of the `CCGW_E_*` codes.
 */
typedef int32_t ccgw_status;

/**
 * `requestagentconf` request (reference §5). Fill with `ccgw_agent_conf_request_init`;
 * fields left at NULL or `CCGW_UNSET` are not sent, so the gateway's defaults apply.
 */
typedef struct ccgw_agent_conf_request {
    /**
     * `CCGW_AGENT_CONF_REQUEST_VERSION`, set by `ccgw_agent_conf_request_init`.
     */
    uint32_t version;
    /**
     * Member places, 1-120. Mandatory (`CCGW_UNSET` after init).
     */
    int32_t member_num;
    /**
     * Calling number shown to invitees, at most 24 characters; NULL to leave out.
     */
    const char *conf_caller_no;
    /**
     * Duration in minutes, 4-1440, or `CCGW_UNSET` (gateway default 60).
     */
    int32_t time;
    /**
     * Warning before the end (`AgentConf_Timeout`) in minutes, 3-1440, or `CCGW_UNSET`
     * (gateway default 3; at or above `time` the gateway uses `time - 1`).
     */
    int32_t prompt_time;
    /**
     * Tri-state (`CCGW_UNSET`, 0, 1): play a tone to each joiner (gateway default 0);
     * when 1, `voice_path` is mandatory.
     */
    int32_t beep_tone;
    /**
     * 2 (play the `voice_path` file, the default), or `CCGW_UNSET`.
     */
    int32_t play_mode;
    /**
     * Announcement file, at most 127 characters; NULL to leave out.
     */
    const char *voice_path;
} ccgw_agent_conf_request;

/**
 * Per-call options; pass NULL for the defaults.
 */
typedef struct ccgw_call_options {
    /**
     * `CCGW_CALL_OPTIONS_VERSION`, set by `ccgw_call_options_init`.
     */
    uint32_t version;
    /**
     * Request timeout for this call in ms; 0 means the session's.
     */
    uint32_t timeout_ms;
    /**
     * Cancels the call when cancelled (borrowed; may be NULL).
     */
    const struct ccgw_cancel *cancel;
} ccgw_call_options;

/**
 * A participant address: the element of `ccgw_batch_remove_participant`'s array and of
 * `ccgw_address_list`. This struct's layout is fixed for the ABI's lifetime.
 */
typedef struct ccgw_address {
    /**
     * `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
     */
    int32_t address_type;
    /**
     * Phone number or agent id, 1 to 24 characters. Never NULL in a list the library returns.
     */
    const char *address;
} ccgw_address;

/**
 * Addresses a call returned (library-owned; free with `ccgw_address_list_free`).
 */
typedef struct ccgw_address_list {
    /**
     * How many addresses `addresses` holds.
     */
    size_t count;
    /**
     * NULL when `count` is 0.
     */
    const struct ccgw_address *addresses;
} ccgw_address_list;

/**
 * Conference ids (library-owned; free with `ccgw_conf_id_list_free`).
 */
typedef struct ccgw_conf_id_list {
    /**
     * How many ids `conf_ids` holds.
     */
    size_t count;
    /**
     * NULL when `count` is 0.
     */
    const int64_t *conf_ids;
} ccgw_conf_id_list;

/**
 * `callout` request (reference §6). Fill with `ccgw_callout_request_init`; fields left
 * at NULL or `CCGW_UNSET` are not sent.
 */
typedef struct ccgw_callout_request {
    /**
     * `CCGW_CALLOUT_REQUEST_VERSION`, set by `ccgw_callout_request_init`.
     */
    uint32_t version;
    /**
     * The number to call: 1-24 of the digits 0-9, `*` and `#`. Mandatory.
     */
    const char *called;
    /**
     * Calling number to show: 0-24 digits; NULL (or empty) for the platform's default.
     */
    const char *caller;
    /**
     * Skill queue id, 0 to 2147483647, or `CCGW_UNSET`.
     */
    int32_t skillid;
    /**
     * Call data, at most 16 KB (16384 bytes); NULL to leave out.
     */
    const char *callappdata;
    /**
     * 0 audio (the default), 1 video, 2 the most the device can; or `CCGW_UNSET`.
     */
    int32_t mediaability;
    /**
     * Video direction 1-4, or `CCGW_UNSET`.
     */
    int32_t user_video_direction;
} ccgw_callout_request;

/**
 * One call as the gateway describes it (the call-information object of the `holdlist`
 * page). Numbers the answer left out are -1; strings are never NULL (empty when absent).
 */
typedef struct ccgw_call_info {
    /**
     * The call id (call data: keep it out of logs).
     */
    const char *callid;
    /**
     * 7 outbound, 0 inbound (`callfeature`).
     */
    int32_t call_feature;
    /**
     * The calling number (text: it may carry `*`, `#` or leading zeros).
     */
    const char *caller;
    /**
     * The called number.
     */
    const char *called;
    /**
     * The skill queue's name (`callskill`).
     */
    const char *call_skill;
    /**
     * The skill queue's id (`callskillid`).
     */
    int64_t call_skill_id;
    /**
     * The originally called number (`orgicallednum`).
     */
    const char *orig_called;
    /**
     * The call's `callappdata` (`calldata`).
     */
    const char *call_data;
    /**
     * When it was answered, ms since the epoch (0 while ringing).
     */
    int64_t begin_time;
    /**
     * When it ended, ms since the epoch (0 while it lasts).
     */
    int64_t end_time;
    /**
     * The caller's priority (`userPriority`).
     */
    int32_t user_priority;
    /**
     * The trunk the call uses (`trunkNo`).
     */
    int64_t trunk_no;
    /**
     * Seconds since the call started (`logontimes`).
     */
    int64_t logon_times;
    /**
     * The media type (`mediaType`; 5 voice).
     */
    int32_t media_type;
    /**
     * 0 audio, 1 video (`mediaAbility`).
     */
    int32_t media_ability;
    /**
     * Seconds it waited in a queue.
     */
    int64_t wait_time;
} ccgw_call_info;

/**
 * Calls a query returned (library-owned; free with `ccgw_call_info_list_free`).
 */
typedef struct ccgw_call_info_list {
    /**
     * How many calls `calls` holds.
     */
    size_t count;
    /**
     * NULL when `count` is 0.
     */
    const struct ccgw_call_info *calls;
} ccgw_call_info_list;

/**
 * What a status says about the operation it came from: the value of
 * `ccgw_status_outcome`.
 */
typedef int32_t ccgw_outcome;

/**
 * One log record, valid only during the callback.
 */
typedef struct ccgw_log_record {
    /**
     * `CCGW_LOG_ERROR` .. `CCGW_LOG_TRACE`.
     */
    int32_t level;
    /**
     * The operation's name as the gateway docs write it (`batchAddParticipant`,
     * `holdParticipant`, `queryConfInfos`, `confJoin`, `thirdPartyConfTransmitNum`,
     * `login`, `getAgentEvent`, ...), or `session` / `events`. UTF-8, NUL-terminated.
     */
    const char *operation;
    /**
     * One line of text, at most 1024 characters, no control characters. UTF-8,
     * NUL-terminated. Never contains a Guid, password or call data (call ids and numbers
     * in routes are masked).
     */
    const char *message;
} ccgw_log_record;

/**
 * Receives log records. `userdata` is the pointer given at registration.
 */
typedef void (*ccgw_log_callback)(void *userdata, const struct ccgw_log_record *record);

/**
 * Releases the userdata of a callback once the library no longer uses it.
 */
typedef void (*ccgw_userdata_free)(void *userdata);

/**
 * One invitee of a batch invitation (Table 4 of the batch-invite page). This struct's
 * layout is fixed for the ABI's lifetime (it is used in arrays).
 */
typedef struct ccgw_participant {
    /**
     * `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
     */
    int32_t address_type;
    /**
     * Phone number or agent id, 1 to 24 characters. Borrowed for the call.
     */
    const char *address;
    /**
     * 0-255, or `CCGW_UNSET` to leave it to the gateway (0).
     */
    int32_t device_call_type;
    /**
     * 0-255, or `CCGW_UNSET` to leave it to the gateway (0).
     */
    int32_t device_type;
} ccgw_participant;

/**
 * `batchaddparticipant` request (Table 3). Fill with `ccgw_batch_add_request_init`.
 */
typedef struct ccgw_batch_add_request {
    /**
     * `CCGW_BATCH_ADD_REQUEST_VERSION`, set by `ccgw_batch_add_request_init`.
     */
    uint32_t version;
    /**
     * 1 to 120 invitees. Borrowed for the call.
     */
    const struct ccgw_participant *participants;
    /**
     * Number of elements of `participants`.
     */
    size_t participant_count;
    /**
     * Tri-state (`CCGW_UNSET`, 0, 1): play a welcome announcement to each joiner
     * (gateway default 0). When 1, `voice_path` is mandatory and `play_mode` must be 2 or unset.
     */
    int32_t beep_tone;
    /**
     * 2 (play the `voice_path` file), or `CCGW_UNSET` (gateway default 2).
     */
    int32_t play_mode;
    /**
     * Announcement file, `drive:/conf/<VDN>/<file>` (e.g. `y:/conf/120/1136287.V3`), at
     * most 127 characters; NULL to leave out.
     */
    const char *voice_path;
    /**
     * Calling number shown to invitees, at most 24 characters; NULL to leave out.
     */
    const char *caller;
} ccgw_batch_add_request;

/**
 * `holdparticipant` request (Table 3). Fill with `ccgw_hold_request_init`.
 */
typedef struct ccgw_hold_request {
    /**
     * `CCGW_HOLD_REQUEST_VERSION`, set by `ccgw_hold_request_init`.
     */
    uint32_t version;
    /**
     * `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
     */
    int32_t address_type;
    /**
     * The participant to hold, at most 24 bytes. Mandatory.
     */
    const char *address;
    /**
     * 2 (play the `voice_path` file), or `CCGW_UNSET` (gateway default 2).
     */
    int32_t play_mode;
    /**
     * Announcement the held participant hears, at most 127 characters. Mandatory.
     */
    const char *voice_path;
} ccgw_hold_request;

/**
 * A participant as `queryconfinfos` reports it (Table 6). Numbers the gateway left out are -1.
 */
typedef struct ccgw_conf_participant {
    /**
     * 6 phone number, 9 agent id.
     */
    int32_t address_type;
    /**
     * Never NULL.
     */
    const char *address;
    /**
     * `deviceCallType`, the gateway's custom device call type.
     */
    int32_t device_call_type;
    /**
     * `deviceType`, the gateway's custom device type.
     */
    int32_t device_type;
    /**
     * 1 listen only, 2 speak only, 3 listen and speak.
     */
    int32_t channel_attrib;
    /**
     * 0 talking, 1 held, 2 announcement playing.
     */
    int32_t channel_state;
    /**
     * 0 participant, 1 chairperson.
     */
    int32_t role;
    /**
     * When the participant joined, ms since the epoch.
     */
    int64_t enter_time;
} ccgw_conf_participant;

/**
 * A conference as `queryconfinfos` reports it (Table 5). Numbers left out are -1.
 */
typedef struct ccgw_conf_info {
    /**
     * The conference id.
     */
    int64_t conf_id;
    /**
     * 0 normal conference call, 1 announcement playing.
     */
    int32_t conf_state;
    /**
     * Start time, ms since the epoch.
     */
    int64_t start_time;
    /**
     * Applied duration, minutes.
     */
    int32_t apply_conf_time;
    /**
     * Minutes since the conference started.
     */
    int32_t conf_have_been_time;
    /**
     * Number of elements of `participants`.
     */
    size_t participant_count;
    /**
     * The participants (NULL when `participant_count` is 0).
     */
    const struct ccgw_conf_participant *participants;
} ccgw_conf_info;

/**
 * The conferences `queryconfinfos` returned (library-owned; free the whole tree with
 * `ccgw_conf_list_free`). Conferences the agent may not see are simply absent.
 */
typedef struct ccgw_conf_list {
    /**
     * Number of elements of `confs`.
     */
    size_t count;
    /**
     * The conferences (NULL when `count` is 0).
     */
    const struct ccgw_conf_info *confs;
} ccgw_conf_list;

/**
 * A participant in the live view (`ccgw_conf_view_snapshot`). Numbers the view does not
 * know are -1; strings are never NULL.
 */
typedef struct ccgw_view_participant {
    /**
     * 6 phone number, 9 agent id.
     */
    int32_t address_type;
    /**
     * Phone number or agent id, as the gateway writes it.
     */
    const char *address;
    /**
     * The custom device call type (`deviceCallType`).
     */
    int32_t device_call_type;
    /**
     * The custom device type (`deviceType`).
     */
    int32_t device_type;
    /**
     * 1 listen only, 2 speak only, 3 listen and speak, 4 neither.
     */
    int32_t channel_attrib;
    /**
     * `channel_attrib` was inferred from a mute (1) or unmute (3) event the session did
     * not cause; the gateway's exact value may be 4 or 2 (a resync reads it).
     */
    bool attrib_inferred;
    /**
     * As `queryconfinfos` reports it: 0 talking, 1 held, 2 announcement playing.
     */
    int32_t channel_state;
    /**
     * Held: it hears the hold announcement (`holdparticipant` always plays one).
     */
    bool held;
    /**
     * The hold announcement file, when this session held it; else empty.
     */
    const char *hold_voice_path;
    /**
     * An announcement plays to it (`playvoicetoparticipant`).
     */
    bool announcement;
    /**
     * 0 participant, 1 chairperson.
     */
    int32_t role;
    /**
     * When it joined, ms since the epoch: the gateway's `enterTime` after a resync,
     * before that the time of the event that reported the join.
     */
    int64_t enter_time;
    /**
     * This participant is the session's own agent.
     */
    bool is_self;
} ccgw_view_participant;

/**
 * A conference in the live view. Numbers the view does not know are -1.
 */
typedef struct ccgw_view_conf {
    /**
     * The conference id.
     */
    int64_t conf_id;
    /**
     * Established (`AgentConf_RequestSuccess` for the chair).
     */
    bool granted;
    /**
     * The view holds everything the gateway would report (false after joining as an
     * invitee, after an event about someone the view did not know, or when an
     * announcement end could not be placed; `ccgw_conf_view_resync` makes it true).
     */
    bool synced;
    /**
     * This agent is the chairperson.
     */
    bool is_chair;
    /**
     * 0 normal, 1 an announcement plays to the conference.
     */
    int32_t conf_state;
    /**
     * ms since the epoch.
     */
    int64_t start_time;
    /**
     * Applied duration, minutes (the requested time plus prolongations).
     */
    int32_t apply_conf_time;
    /**
     * Minutes since the start, when the snapshot was taken.
     */
    int32_t conf_have_been_time;
    /**
     * Member places (requested, changed by `ccgw_modify_conf_resource`).
     */
    int32_t member_num;
    /**
     * `AgentConf_Timeout` arrived: the end is near (`ccgw_prolong_time` answers it).
     */
    bool timeout_warned;
    /**
     * How many participants `participants` holds.
     */
    size_t participant_count;
    /**
     * Joined participants in join order, the chair included; NULL when the count is 0.
     */
    const struct ccgw_view_participant *participants;
} ccgw_view_conf;

/**
 * A snapshot of the live view: every conference the session chairs or is in
 * (library-owned; free the whole tree with `ccgw_conf_view_free`).
 */
typedef struct ccgw_conf_view {
    /**
     * How many conferences `confs` holds.
     */
    size_t count;
    /**
     * NULL when `count` is 0.
     */
    const struct ccgw_view_conf *confs;
} ccgw_conf_view;

/**
 * One invitee and its outcome.
 */
typedef struct ccgw_invite_result {
    /**
     * 6 phone number, 9 agent id.
     */
    int32_t address_type;
    /**
     * As given in the request (trimmed). Never NULL.
     */
    const char *address;
    /**
     * `CCGW_INVITE_*`.
     */
    int32_t outcome;
    /**
     * The event's `result`: 0 joined, the gateway's failure code for `CCGW_INVITE_FAILED`;
     * -1 when no event said.
     */
    int64_t result;
    /**
     * The event's `changeReason` for `CCGW_INVITE_RELEASED` (1 removed by the chair, 2 hung
     * up, 4 signed out, ...); -1 otherwise.
     */
    int64_t change_reason;
    /**
     * When the outcome was settled, ms since the epoch; -1 while pending.
     */
    int64_t settled_time;
} ccgw_invite_result;

/**
 * A consistent copy of a tracker's outcomes (library-owned; free with
 * `ccgw_invite_results_free`).
 */
typedef struct ccgw_invite_results {
    /**
     * The tracker's id, as in its `CCGW_EVENT_INVITE_OUTCOME` events.
     */
    uint64_t tracker_id;
    /**
     * The conference invited to; -1 while unknown.
     */
    int64_t conf_id;
    /**
     * Invitees still pending.
     */
    size_t pending;
    /**
     * The deadline has passed (every invitee is settled then).
     */
    bool deadline_passed;
    /**
     * How many invitees `invitees` holds.
     */
    size_t count;
    /**
     * In the order of the request, duplicates once; NULL when `count` is 0.
     */
    const struct ccgw_invite_result *invitees;
} ccgw_invite_results;

/**
 * Event pump settings. Fill with `ccgw_events_options_init`; zero fields take the defaults.
 */
typedef struct ccgw_events_options {
    /**
     * `CCGW_EVENTS_OPTIONS_VERSION`, set by `ccgw_events_options_init`.
     */
    uint32_t version;
    /**
     * Events kept before the pump pauses fetching (the gateway keeps them meanwhile);
     * default 4096.
     */
    uint32_t queue_capacity;
    /**
     * Read timeout of one poll, ms; must exceed the gateway's hold time (10 s by
     * default); default 30000.
     */
    uint32_t poll_timeout_ms;
    /**
     * Pause after an answer without an event, ms (the gateway docs ask for 200-500);
     * default 300.
     */
    uint32_t poll_interval_ms;
    /**
     * How long failing polls are ridden out before the pump gives up, ms; default 90000
     * (the gateway signs an agent out after 120 s without polls).
     */
    uint32_t max_outage_ms;
    /**
     * Longest pause between retries, ms; default 5000.
     */
    uint32_t backoff_max_ms;
    /**
     * How long a full queue may pause the pump before it polls anyway (dropping the
     * oldest events, reported by `CCGW_EVENT_EVENTS_LOST`) to keep the agent signed in,
     * ms; default 60000.
     */
    uint32_t max_stall_ms;
    /**
     * (Version 2.) Memory the queued events may hold, bytes: each event counts its text,
     * its parsed JSON (the whole event and its `content`) and bookkeeping, about twice
     * its JSON size plus a few hundred bytes. Reaching it pauses the pump like a full
     * count; after `max_stall_ms` the oldest events are dropped (`CCGW_LOST_QUEUE_BYTES`).
     * Default `CCGW_DEFAULT_EVENT_QUEUE_MAX_BYTES` (64 MiB).
     */
    size_t queue_max_bytes;
    /**
     * (Version 2.) Largest event accepted, bytes of JSON: a larger one is dropped on
     * arrival and reported (`CCGW_LOST_TOO_LARGE`). Default `CCGW_DEFAULT_MAX_EVENT_BYTES`
     * (1 MiB; gateway events are a few hundred bytes, and no answer may exceed 8 MiB).
     */
    size_t max_event_bytes;
    /**
     * (Version 3.) After each gap (`CCGW_EVENT_EVENTS_LOST` for a failed poll, a
     * fail-over or a new sign-in), fetch a snapshot as `ccgw_session_snapshot` does and
     * deliver it as a `CCGW_EVENT_SNAPSHOT` event; the live conference view is reconciled
     * from it. Default false.
     */
    bool resync_after_gap;
} ccgw_events_options;

/**
 * The agent's state as the gateway reports it, built from the documented queries
 * (library-owned: from `ccgw_session_snapshot`, free with `ccgw_snapshot_free`; in a
 * `CCGW_EVENT_SNAPSHOT` event, owned by the event). Each `*_status` is `CCGW_OK` when its
 * part was fetched, else the status of the query that failed, and its part is empty. No
 * pointer is ever NULL. Fields are only ever appended (the library allocates it).
 */
typedef struct ccgw_snapshot {
    /**
     * When the queries started, ms since the epoch.
     */
    int64_t taken_at;
    /**
     * `agentstatus` (reference §3.5).
     */
    ccgw_status agent_status_status;
    /**
     * The CTI status code: 0 not signed in, 1 idle, 2 pre-occupied, 3 occupied, 4
     * answering, 5 talking, 6 working, 7 busy, 8 rest, 9 study, 10 adjusting; -1 unknown.
     */
    int32_t agent_state;
    /**
     * 1 in a call, 0 not, -1 unknown.
     */
    int32_t is_working;
    /**
     * `holdlist` and `callinfo` (reference §6): the first that failed (`400-003`, nothing
     * held, is no failure).
     */
    ccgw_status calls_status;
    /**
     * The held calls, oldest first (call data: keep it out of logs).
     */
    const struct ccgw_call_info_list *held_calls;
    /**
     * The current call when it is not held: zero or one call.
     */
    const struct ccgw_call_info_list *active_calls;
    /**
     * `queryvdnconfid`: `CCGW_E_GW_NOT_INSPECTOR` (`101-004`) for an agent that is not an
     * inspector, which is normal: then only the conferences the live view knows (from
     * this session's events) were asked about. `CCGW_E_MALFORMED_RESPONSE` when the answer
     * lists more than 2,000 ids (not trusted: the same fallback applies).
     */
    ccgw_status conf_ids_status;
    /**
     * `queryconfinfos` (reference §5).
     */
    ccgw_status conferences_status;
    /**
     * The conferences the agent is a participant of, with their participants.
     */
    const struct ccgw_conf_list *conferences;
} ccgw_snapshot;

/**
 * One event (library-owned: from `ccgw_events_next`, free with `ccgw_event_free`; in a
 * callback, valid only during the call). Numbers an event does not carry are -1, strings
 * an event does not carry are empty; no pointer is ever NULL except `partners` when
 * `partner_count` is 0. Fields are only ever appended to this struct (the library
 * allocates it), so programs built against an older header keep working.
 */
typedef struct ccgw_event {
    /**
     * `CCGW_EVENT_*`: which typed fields apply.
     */
    int32_t kind;
    /**
     * The gateway's `eventType` (e.g. `"AgentConf_ParticipantChanged"`), or a `ccgw.*` name
     * for the library's own events.
     */
    const char *type_name;
    /**
     * `workNo`: the agent the event is for.
     */
    const char *work_no;
    /**
     * `eventGenTime`, ms since the epoch, when the gateway gave it; else -1.
     */
    int64_t gen_time;
    /**
     * When the library received it, ms since the epoch.
     */
    int64_t received_time;
    /**
     * This session's event number: 1, 2, 3, ... in arrival order (0 for the queue's own
     * `ccgw.EventsLost` reports; a `ccgw.EventsMayBeLost` gap report takes its number like
     * the other library events).
     */
    uint64_t sequence;
    /**
     * The `content` member as JSON text (`"null"` when absent).
     */
    const char *content_json;
    /**
     * The whole `event` object as received, JSON text (`"null"` for library events).
     */
    const char *event_json;
    /**
     * `confId` of the `AgentConf_*` events that carry one (RequestSuccess, SelfJoinResult,
     * Timeout, Ringing, SelfLeaveResult, PresidentChanged, ParticipantChanged).
     */
    int64_t conf_id;
    /**
     * `result` of ParticipantChanged, StopVoice and StopParticipantVoice: 0 success, 1 failure.
     */
    int64_t result;
    /**
     * 0 joined, 1 left, 2 chair changed, 3 muted, 4 unmuted, 5 held, 6 unheld.
     */
    int64_t change_type;
    /**
     * For change_type 1: 0 left, 1 removed by the chair, 2 hung up, 3 conference ended,
     * 4 signed out, 6 forced out; 255 when not applicable.
     */
    int64_t change_reason;
    /**
     * ParticipantChanged: the participant's phone number or agent id.
     */
    const char *participant;
    /**
     * 6 phone number, 9 agent id.
     */
    int64_t participant_type;
    /**
     * ParticipantChanged: `deviceCallType`, the gateway's custom device call type.
     */
    int64_t device_call_type;
    /**
     * ParticipantChanged: `deviceType`, the gateway's custom device type.
     */
    int64_t device_type;
    /**
     * RequestFailed: the CTI cause code of the failed conference application.
     */
    int64_t cause;
    /**
     * `AgentEvent_Conference` and `AgentEvent_Customer_Release`: the call id.
     */
    const char *callid;
    /**
     * `AgentEvent_Customer_Release`: the customer's number that released.
     */
    const char *number;
    /**
     * `AgentEvent_Conference`'s partners, split on `,`, `, ` and `，`.
     */
    size_t partner_count;
    /**
     * `partner_count` numbers; NULL when `partner_count` is 0.
     */
    const char *const *partners;
    /**
     * `CCGW_EVENT_EVENTS_LOST`: how many events the full queue dropped.
     */
    uint64_t lost_count;
    /**
     * Library events: the status of the failure; `CCGW_OK` otherwise.
     */
    ccgw_status status;
    /**
     * Library events and malformed events: what happened.
     */
    const char *message;
    /**
     * `CCGW_EVENT_EVENTS_LOST`: why the events were dropped, a `CCGW_LOST_*` value; 0
     * for every other event. (Appended with `CCGW_EVENTS_OPTIONS_VERSION` 2; the library
     * allocates events, so programs built before simply do not read it.)
     */
    int32_t lost_reason;
    /**
     * `caller` of `AgentEvent_Talking` / `AgentEvent_Ringing`.
     */
    const char *caller;
    /**
     * `called` of `AgentEvent_Talking` / `AgentEvent_Ringing`.
     */
    const char *called;
    /**
     * `phoneState` of `AgentOther_PhoneRelease`.
     */
    int64_t phone_state;
    /**
     * `reason` of `AgentOther_ShutdownService`.
     */
    const char *reason;
    /**
     * `CCGW_EVENT_INVITE_OUTCOME`: the invitee's outcome (`CCGW_INVITE_*`); -1 otherwise.
     */
    int32_t outcome;
    /**
     * `CCGW_EVENT_INVITE_OUTCOME` / `CCGW_EVENT_INVITES_SETTLED`: the tracker; 0 otherwise.
     */
    uint64_t tracker_id;
    /**
     * `CCGW_EVENT_EVENTS_LOST`: the first instant of the gap, ms since the epoch; -1 otherwise.
     */
    int64_t gap_start;
    /**
     * `CCGW_EVENT_EVENTS_LOST`: the last instant of the gap, ms since the epoch; -1 otherwise.
     */
    int64_t gap_end;
    /**
     * `CCGW_EVENT_SESSION_LOST`, `CCGW_EVENT_PUMP_STOPPED`, `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`:
     * the status of what happened, under the reason in `status`; `CCGW_OK` otherwise.
     */
    ccgw_status cause_status;
    /**
     * `CCGW_EVENT_SIGNING_IN_AGAIN`, `CCGW_EVENT_SIGNED_IN_AGAIN`,
     * `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`: the attempt, from 1; 0 otherwise.
     */
    uint32_t attempt;
    /**
     * `CCGW_EVENT_SNAPSHOT`: the snapshot, owned by the event (never free it); NULL
     * otherwise, and when none could be fetched (`status` says why).
     */
    const struct ccgw_snapshot *snapshot;
} ccgw_event;

/**
 * Receives events on a thread of the callback pool; `event` is valid only during the call.
 */
typedef void (*ccgw_event_callback)(void *userdata, const struct ccgw_event *event);

/**
 * The callback pool's settings (process-wide): the threads that run every session's event
 * callback (see `ccgw_events_set_callback`). Fill with `ccgw_dispatch_options_init`; zero
 * fields take the defaults.
 */
typedef struct ccgw_dispatch_options {
    /**
     * `CCGW_DISPATCH_OPTIONS_VERSION`, set by `ccgw_dispatch_options_init`.
     */
    uint32_t version;
    /**
     * Threads kept for callbacks, started as events arrive (none before the first, none
     * once no callback is registered in the process);
     * default `CCGW_DEFAULT_DISPATCH_THREADS` (4): as many sessions' callbacks may block
     * at once (a ccgw call inside a callback waits for the gateway) without delaying the
     * others, for four threads whatever the number of sessions. At most
     * `CCGW_DISPATCH_THREADS_MAX`.
     */
    uint32_t threads;
    /**
     * Hard cap on callback threads, those the watchdog adds included; default
     * `CCGW_DEFAULT_DISPATCH_MAX_THREADS` (64), or `threads` when larger. At least
     * `threads`, at most `CCGW_DISPATCH_THREADS_MAX`.
     */
    uint32_t max_threads;
    /**
     * The watchdog adds a thread when every callback thread has been inside its current
     * callback this long, ms, while other sessions' events wait (then again every
     * `stall_ms` while it lasts); default `CCGW_DEFAULT_DISPATCH_STALL_MS` (100). At most
     * `CCGW_DISPATCH_STALL_MS_MAX`.
     */
    uint32_t stall_ms;
    /**
     * A thread above `threads` ends after this long without work, ms; default
     * `CCGW_DEFAULT_DISPATCH_IDLE_MS` (10 s). At most `CCGW_DISPATCH_IDLE_MS_MAX`.
     */
    uint32_t idle_ms;
} ccgw_dispatch_options;

/**
 * How to reach and trust the gateway, and which agent the session is for. Fill it with
 * `ccgw_session_options_init`, then set the fields. Strings are borrowed for the duration
 * of `ccgw_session_new` only.
 */
typedef struct ccgw_session_options {
    /**
     * `CCGW_SESSION_OPTIONS_VERSION`, set by `ccgw_session_options_init`.
     */
    uint32_t version;
    /**
     * Gateway base URL, e.g. `"https://gw.example:8043"` (the library appends
     * `/agentgateway/resource/`; a URL already ending in it is taken as is; a path prefix
     * before it, as behind a reverse proxy, is kept). Mandatory.
     */
    const char *base_url;
    /**
     * Further gateways (the cluster's other nodes, a disaster-recovery site), in order
     * after `base_url`: requests move to the next when the current one cannot take them,
     * as FAIL-OVER at the top of this header says (connection, TLS, 502/503/504 before any
     * gateway envelope, a switchover longer than `switchover_wait_ms`). May be NULL with
     * count 0.
     */
    const char *const *fallback_urls;
    /**
     * Number of elements of `fallback_urls`.
     */
    size_t fallback_url_count;
    /**
     * The agent id (work number) this session signs in as, e.g. `"153"`. Mandatory.
     */
    const char *agent_id;
    /**
     * Highest agent id accepted; 0 means 59999 (the seed pages' range 101-59999). Set
     * 999999 for gateways documented with the wider range.
     */
    uint32_t agent_id_max;
    /**
     * Path of a PEM file with the CA certificate(s) the gateway's certificate must chain
     * to: a regular file of at most `CCGW_CA_FILE_MAX_BYTES` (1 MiB), opened without
     * blocking; a FIFO, device, directory or larger file is refused with
     * `CCGW_E_INVALID_ARGUMENT` naming the reason. When neither this nor `ca_pem` is
     * given, the system trust store is used.
     */
    const char *ca_file;
    /**
     * The same as PEM bytes in memory (`ca_pem_len` bytes; need not be NUL-terminated).
     */
    const uint8_t *ca_pem;
    /**
     * Length of `ca_pem` in bytes.
     */
    size_t ca_pem_len;
    /**
     * INSECURE, labs only: accept any server certificate. Off by default; logged as a
     * warning when on.
     */
    bool insecure_accept_any_certificate;
    /**
     * Accept `http://` base URLs (old lab gateways); off by default.
     */
    bool allow_plain_http;
    /**
     * Connect timeout in ms; 0 means `CCGW_DEFAULT_CONNECT_TIMEOUT_MS`.
     */
    uint32_t connect_timeout_ms;
    /**
     * Request timeout in ms for every call of the session unless a call overrides it;
     * 0 means `CCGW_DEFAULT_REQUEST_TIMEOUT_MS`.
     */
    uint32_t request_timeout_ms;
    /**
     * `CCGW_AUTH_DYNAMIC` (default) or `CCGW_AUTH_STATIC`, as the gateway is configured.
     */
    uint32_t auth_mode;
    /**
     * (Version 2.) Certificate pinning: trust exactly the gateway certificate(s) with
     * these SHA-256 fingerprints, instead of a CA. One or more fingerprints separated by
     * commas, each 64 hex digits, optionally with `:` between bytes and a `sha256:` or
     * `SHA256 Fingerprint=` prefix: what `openssl x509 -noout -fingerprint -sha256 -in
     * gw.pem` prints. The pin replaces the chain, host name, CA-flag and validity-date
     * checks (an expired pinned certificate is logged as a warning); the TLS handshake's
     * signature is still verified with the certificate's key, so only the holder of
     * that key can be the gateway. This is the way to trust a self-signed
     * `openssl req -x509` certificate (CA:TRUE, refused as a CA file) or a `keytool`
     * certificate naming its host only in the CN. Not together with `ca_file`/`ca_pem`
     * (`CCGW_E_INVALID_ARGUMENT`). NULL: no pin.
     */
    const char *pinned_sha256;
    /**
     * (Version 2.) Certificate pinning by the certificate itself: path of the gateway's
     * certificate, PEM (every certificate in it is pinned) or DER, a regular file of at
     * most `CCGW_CA_FILE_MAX_BYTES`. Same rules as `pinned_sha256`; both may be given
     * (either pin is accepted). NULL: no pin.
     */
    const char *pinned_cert_file;
    /**
     * (Version 2.) Cookies (RFC 6265) are kept and sent by default: each session has its
     * own store, shared by its calls and its event pump, never by two sessions, emptied
     * at sign-out and close, at most 50 cookies of at most 4096 bytes; values never appear
     * in a log record or a message. This is what keeps an agent on one gateway node
     * behind a load balancer with a sticky cookie (Huawei cloud ELB `huaweielbsession`,
     * HAProxy `SERVERID`, AWS `AWSALB`, F5 `BIGipServer...`). Set true to neither keep
     * nor send any cookie.
     */
    bool disable_cookies;
    /**
     * (Version 2.) A forward proxy to reach the gateway through: `http://host:port`
     * (HTTPS to the gateway is tunnelled with `CONNECT`, RFC 9110 §9.3.6; the TLS session
     * is end to end, so the proxy sees only the gateway's host and port). No credentials in
     * the URL (`CCGW_E_INVALID_ARGUMENT`): give them below. NULL: no proxy, and the
     * proxy environment variables are ignored unless `proxy_from_environment` is set.
     * A proxy that cannot be reached or refuses the tunnel is `CCGW_E_PROXY`, one that
     * wants credentials `CCGW_E_PROXY_AUTH`; nothing reaches the gateway then.
     */
    const char *proxy_url;
    /**
     * (Version 2.) The proxy's user name for Basic authentication (with `proxy_url`).
     */
    const char *proxy_username;
    /**
     * (Version 2.) The proxy's password (with `proxy_username`). Kept in a buffer wiped at
     * `ccgw_session_free`; never in a log record or a message.
     */
    const char *proxy_password;
    /**
     * (Version 2.) Hosts reached without the proxy (with `proxy_url`), in the `NO_PROXY`
     * syntax: comma-separated host names (`gw.example`), domain suffixes (`.example`), IP
     * addresses and CIDR ranges (`10.0.0.0/8`), or `*`. NULL: every gateway through the proxy.
     */
    const char *no_proxy;
    /**
     * (Version 2.) Use the proxy the environment names: `HTTPS_PROXY` (or `https_proxy`),
     * else `ALL_PROXY`, with `NO_PROXY`, read when the session makes its connections.
     * Off by default: the library ignores these variables unless the application opts in
     * here. Not together with `proxy_url` (`CCGW_E_INVALID_ARGUMENT`).
     */
    bool proxy_from_environment;
    /**
     * (Version 3.) How long a node may answer `000-004` (agent being switched over,
     * reference §2.3) before requests move to the next base URL, in ms; until then sign-in
     * and reads ride it out on the same node. 0 means `CCGW_DEFAULT_SWITCHOVER_WAIT_MS`
     * (30 s). See FAIL-OVER at the top of this header.
     */
    uint32_t switchover_wait_ms;
    /**
     * (Version 3.) A new sign-in goes back to the primary (`base_url`) unless it failed
     * within this many ms; 0 means `CCGW_DEFAULT_FAILBACK_AFTER_MS` (60 s).
     */
    uint32_t failback_after_ms;
    /**
     * (Version 3.) Upper bound of the first pause between retry rounds, in ms (each pause
     * is drawn uniformly below its bound, and the bound doubles per round: full jitter);
     * 0 means `CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS` (250 ms).
     */
    uint32_t retry_backoff_initial_ms;
    /**
     * (Version 3.) Cap of the pauses' bound, in ms; 0 means
     * `CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS` (5 s). At least `retry_backoff_initial_ms`
     * (`CCGW_E_OUT_OF_RANGE` otherwise).
     */
    uint32_t retry_backoff_max_ms;
    /**
     * (Version 3.) Rounds over all the base URLs for a request that may be sent again;
     * 1 tries each base URL once, without pausing. 0 means `CCGW_DEFAULT_RETRY_ROUNDS`
     * (3); at most `CCGW_RETRY_ROUNDS_MAX` (`CCGW_E_OUT_OF_RANGE`). Every pause and
     * attempt stays within the call's own timeout.
     */
    uint32_t retry_rounds;
} ccgw_session_options;

/**
 * Sign-in body fields (reference §3.1). Fill with `ccgw_sign_in_options_init`; fields
 * left at NULL or `CCGW_UNSET` are not sent, so the gateway's defaults apply.
 */
typedef struct ccgw_sign_in_options {
    /**
     * `CCGW_SIGN_IN_OPTIONS_VERSION`, set by `ccgw_sign_in_options_init`.
     */
    uint32_t version;
    /**
     * Agent password, at most 32 characters; NULL sends an empty password.
     */
    const char *password;
    /**
     * Phone number to bind, at most 24 characters; mandatory when `force` is set.
     */
    const char *phonenum;
    /**
     * Tri-state (`CCGW_UNSET`, 0, 1): answer calls automatically (gateway default 1).
     */
    int32_t autoanswer;
    /**
     * Tri-state: go idle automatically after a call (gateway default 1).
     */
    int32_t autoenteridle;
    /**
     * Tri-state: hang the phone up after a call (gateway default 1 on sign-in).
     */
    int32_t releasephone;
    /**
     * `CCGW_UNSET`, 4 (PC + phone, the default) or 11 (PC + phone, video).
     */
    int32_t agenttype;
    /**
     * `CCGW_UNSET`, 3 (busy), 4 (idle, the default) or 5 (wrap-up): state after sign-in.
     */
    int32_t status;
    /**
     * Agent IPv4 address, at most 15 characters.
     */
    const char *ip;
    /**
     * The agent client's application-gateway IP.
     */
    const char *entry_ip;
    /**
     * Tri-state: hard-phone linkage (gateway default 0).
     */
    int32_t phonelinkage;
    /**
     * Tri-state: also sign in to WebM (gateway default 1).
     */
    int32_t check_in_webm;
    /**
     * Tri-state: also sign in to MailM (gateway default 0).
     */
    int32_t check_in_mailm;
    /**
     * VC number, at most 24 characters.
     */
    const char *vc_phone_number;
    /**
     * Tri-state: an inspector listens to this agent's sign-in/out (gateway default 0).
     */
    int32_t listen_status;
    /**
     * When the gateway answers `100-002` (already signed in), sign in again by force
     * (`forcelogin`, which needs `phonenum`), taking the session over.
     */
    bool force;
    /**
     * (Version 2.) Stay signed in: the library keeps this request, password included, in
     * memory wiped at sign-out, close and free (never logged), and when the gateway says
     * the session is gone (a poll answered `100-006`/`000-003` twice with the current
     * Guid, `105-001`/`004`/`005`/`006`/`007`, `AgentOther_ShutdownService` not caused by
     * `ccgw_session_sign_out`, or a fail-over to a node that does not know the Guid) the
     * event pump signs in again, retrying with backoff and jitter until it works, a
     * refusal no retry cures (`100-004`, a locked account, ...), sign-out or close; then
     * it polls on. Each step is an event: `CCGW_EVENT_SESSION_LOST`,
     * `CCGW_EVENT_SIGNING_IN_AGAIN`, `CCGW_EVENT_SIGNED_IN_AGAIN` or
     * `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`, and the gap (`CCGW_EVENT_EVENTS_LOST`,
     * `CCGW_LOST_SIGN_IN_AGAIN`). With it the pump also rides out outages longer than
     * `max_outage_ms`. Without it the pump stops with the reason (`CCGW_E_SESSION_*`).
     */
    bool auto_resign_in;
    /**
     * (Version 2.) Signing in again may sign in by force on `100-002` (another client
     * holds the agent): needs `phonenum`. Without it a `100-002` ends the re-sign-in with
     * `CCGW_E_RESIGN_IN_FAILED`. The pump signs in by force at most once a minute (a
     * second loss within that minute is signed in again without force), so two clients
     * both set to take the agent back do not take it from each other without end; still,
     * leave it off where another client may legitimately take the agent over.
     */
    bool allow_forced_resign_in;
} ccgw_sign_in_options;

/**
 * What the gateway says about a sign-in (library-owned; free with `ccgw_sign_in_result_free`).
 */
typedef struct ccgw_sign_in_result {
    /**
     * VDN (VCC) id; -1 when not given.
     */
    int64_t vdn_id;
    /**
     * The agent's work number. Never NULL.
     */
    const char *work_no;
    /**
     * Three T/F flags: CTI server, WebM, MailM (voice works only when the first is T). Never NULL.
     */
    const char *media_type;
    /**
     * Sign-in time, ms since the epoch; -1 when not given.
     */
    int64_t login_time;
    /**
     * 1 when the password must be changed, 0 when not, -1 when not given.
     */
    int32_t is_force_change;
    /**
     * Name of the CC-Gateway cluster signed in to. Never NULL.
     */
    const char *server_name;
    /**
     * Days until the password expires; -1 when not given or never.
     */
    int64_t time_remaining;
    /**
     * True when the sign-in went through forced sign-in.
     */
    bool forced;
} ccgw_sign_in_result;

/**
 * Success.
 */
#define CCGW_OK 0

/**
 * A pointer argument that must not be NULL was NULL.
 */
#define CCGW_E_NULL_ARGUMENT 1

/**
 * A string argument is not valid UTF-8 (it is never repaired).
 */
#define CCGW_E_INVALID_UTF8 2

/**
 * An argument has a value the operation cannot take (malformed URL, bad JSON, ...).
 */
#define CCGW_E_INVALID_ARGUMENT 3

/**
 * A mandatory argument is missing, empty or blank.
 */
#define CCGW_E_MISSING_ARGUMENT 4

/**
 * A string argument is longer than the interface allows.
 */
#define CCGW_E_TOO_LONG 5

/**
 * A numeric argument is outside the range the interface allows.
 */
#define CCGW_E_OUT_OF_RANGE 6

/**
 * An array argument has more entries than the interface allows.
 */
#define CCGW_E_TOO_MANY 7

/**
 * An options or request struct carries a `version` this library does not know.
 */
#define CCGW_E_UNSUPPORTED_VERSION 8

/**
 * Could not connect to the gateway (refused, unreachable, name not resolved). Nothing was sent.
 */
#define CCGW_E_CONNECT 100

/**
 * The TLS handshake failed, typically because the gateway's certificate did not verify
 * (the message says why and what to do: see TLS at the top of this header). Nothing was sent.
 */
#define CCGW_E_TLS 101

/**
 * Connecting took longer than the connect timeout. Nothing was sent.
 */
#define CCGW_E_CONNECT_TIMEOUT 102

/**
 * The request was sent but no complete answer came within the request timeout: the
 * outcome is unknown (the gateway may have carried it out).
 */
#define CCGW_E_RESPONSE_TIMEOUT 103

/**
 * The connection failed after the request was sent (reset, or closed before the answer's
 * head was complete): the outcome is unknown. This includes an operation whose kept-alive
 * connection was closed as it went out (a front end's idle close crossing it): it is not
 * sent again, since a gateway that received it and failed looks the same. (A read, GET,
 * meeting such a close is sent once more instead; see `CCGW_E_NOT_SENT`.)
 */
#define CCGW_E_CONNECTION_LOST 104

/**
 * The gateway (or a proxy) answered with a non-2xx HTTP status; see `ccgw_last_error_http_status`.
 * A redirect (3xx) is one of these: it is never followed, and the message names only the
 * target's origin (scheme, host, port). HTTP 503, 502 and 504 answered before any
 * gateway envelope have statuses of their own (`CCGW_E_GATEWAY_UNAVAILABLE`,
 * `CCGW_E_BAD_GATEWAY`). The outcome is unknown (`CCGW_OUTCOME_MAY_HAVE_RUN`): a front
 * end's 4xx usually means the gateway never saw the request, a 500 may come after it acted.
 */
#define CCGW_E_HTTP_STATUS 105

/**
 * The answer is not the gateway's JSON envelope (invalid JSON, no `retcode`, a retcode
 * outside its documented shapes `NNN-NNN` and 1-6 digits, wrong shape), its head is not
 * HTTP (garbage status line or header, a head over hyper's limits; the outcome is then
 * unknown), or an answer that had to carry a Guid carried none usable (sign-in,
 * `updateGuid`).
 */
#define CCGW_E_MALFORMED_RESPONSE 106

/**
 * The answer is not JSON at all (for example a proxy's HTML page) and says so in its `Content-Type`.
 */
#define CCGW_E_UNEXPECTED_CONTENT_TYPE 107

/**
 * The answer ended before its announced length: the outcome is unknown.
 */
#define CCGW_E_TRUNCATED_RESPONSE 108

/**
 * The forward proxy (`proxy_url`, or the environment's when opted in) could not be
 * reached, or refused to open a tunnel to the gateway (its answer to `CONNECT` was not
 * 2xx: a policy refusal, or the proxy cannot reach the gateway). Nothing was sent to the
 * gateway.
 */
#define CCGW_E_PROXY 109

/**
 * The forward proxy requires credentials (`407 Proxy Authentication Required`), or
 * refused the ones given (`proxy_username`, `proxy_password`). Nothing was sent to the
 * gateway.
 */
#define CCGW_E_PROXY_AUTH 110

/**
 * The request did not reach the gateway: the request was given up before it was written
 * (its connection closed first), or a read (GET) whose kept-alive connection had been
 * closed (orderly, FIN) before any answer could not be sent once more (no connection, or
 * no time left). Nothing was carried out; safe to call again. Compare
 * `CCGW_E_CONNECTION_LOST`, where the request may have been carried out.
 */
#define CCGW_E_NOT_SENT 111

/**
 * HTTP 503 (Service Unavailable) answered before any gateway envelope (the body is not
 * the gateway's JSON `{retcode, ...}`): a front end or the gateway's container refused the
 * request, so nothing was carried out; the caller may call again. Sign-in and reads
 * (GET) meeting it have already been tried on the other base URLs (see FAIL-OVER at the
 * top of this header); after an operation meets it the session points at the next base
 * URL, so a retry goes there. `ccgw_last_error_http_status` is 503.
 */
#define CCGW_E_GATEWAY_UNAVAILABLE 112

/**
 * HTTP 502 (Bad Gateway) or 504 (Gateway Timeout) answered before any gateway envelope:
 * a front end lost the gateway while it held the request, which the gateway may have
 * carried out (the outcome is unknown). Sign-in and reads were tried on the other base
 * URLs; an operation is never sent again by the library, and the session then points
 * at the next base URL. `ccgw_last_error_http_status` says which.
 */
#define CCGW_E_BAD_GATEWAY 113

/**
 * The operation needs a Guid and the session has none: sign in (or attach a Guid) first. Nothing was sent.
 */
#define CCGW_E_NOT_SIGNED_IN 200

/**
 * The session was closed (`ccgw_session_close`), before or during the call.
 */
#define CCGW_E_CLOSED 201

/**
 * The call was cancelled through its `ccgw_cancel` token.
 */
#define CCGW_E_CANCELLED 202

/**
 * A blocking function was called on a thread where it must not block (a library runtime
 * thread, for example from inside a log callback) or cannot (a thread-local destructor
 * at thread exit, after the runtime's thread state is gone).
 */
#define CCGW_E_WRONG_THREAD 203

/**
 * The process forked after the library started its runtime; the child cannot use it.
 * Every call in the child that returns a status returns this; the free functions do
 * nothing there, so a child may exit without touching the parent's state.
 */
#define CCGW_E_FORKED 204

/**
 * Waiting ended at its timeout without a result (for example no event arrived).
 */
#define CCGW_E_TIMEOUT 205

/**
 * The object is busy in a way that refuses this call (for example events already started,
 * or sessions still alive at global shutdown).
 */
#define CCGW_E_BUSY 206

/**
 * The gateway no longer knows the session: a poll was answered `100-006`, `100-008` or
 * `000-003` with the session's current Guid (not one that rotated while the poll was out),
 * and the poll sent again at once to re-check got the same answer (reference §2.2, §2.3).
 */
#define CCGW_E_SESSION_LOST 207

/**
 * The gateway signed the agent out: `AgentOther_ShutdownService` arrived without this
 * session having signed out (reference §3.2).
 */
#define CCGW_E_SESSION_SHUT_DOWN 208

/**
 * The gateway's disaster recovery asks for a new sign-in: `105-005` (recovery wait timed
 * out), `105-006` (Guid mismatch), `105-007` (recovery off), `105-001` (the agent is not in
 * the recovery cache) or `105-004` (it could not be queued for recovery) (reference §8.2).
 * `105-002` (recovery in progress) and `105-003` (recovery finished) are passing states
 * the pump polls through with backoff.
 */
#define CCGW_E_SESSION_DR_SIGN_IN_AGAIN 209

/**
 * After a fail-over to another base URL, the new node does not know the session's Guid
 * (a poll there answered `100-006` / `000-003`).
 */
#define CCGW_E_SESSION_FAILOVER 210

/**
 * Polls kept failing for longer than `max_outage_ms` (without `auto_resign_in`).
 */
#define CCGW_E_PUMP_OUTAGE 211

/**
 * Signing in again (`auto_resign_in`) was refused for good: wrong credentials (`100-004`),
 * a locked account, the agent signed in elsewhere without forced re-sign-in allowed
 * (`100-002`), or another refusal no retry cures.
 */
#define CCGW_E_RESIGN_IN_FAILED 212

/**
 * Polling met a failure that neither a retry nor a new sign-in cures (TLS verification,
 * `000-001` wrong event method, an invalid argument).
 */
#define CCGW_E_PUMP_FAILED 213

/**
 * A Rust panic was caught at the C boundary; the message is in the last error.
 */
#define CCGW_E_PANIC 900

/**
 * An internal error that should not happen; the message is in the last error.
 */
#define CCGW_E_INTERNAL 901

/**
 * The gateway answered a non-zero `retcode` that maps to no numbered status (a plain
 * number of zeros such as `00`); `ccgw_last_error_retcode` has it. A retcode outside the
 * documented shapes is `CCGW_E_MALFORMED_RESPONSE` instead.
 */
#define CCGW_E_GATEWAY 1000

/**
 * Base of the gateway retcode range: `FFF-NNN` maps to `CCGW_E_GW_BASE + FFF*1000 + NNN`.
 */
#define CCGW_E_GW_BASE 1000000

/**
 * Base of plain numeric gateway retcodes: `N` maps to `CCGW_E_GW_NUMERIC_BASE + N`.
 */
#define CCGW_E_GW_NUMERIC_BASE 2000000

/**
 * Gateway `000-001`: wrong method for getting agent events.
 */
#define CCGW_E_GW_WRONG_EVENT_METHOD 1000001

/**
 * Gateway `000-002`: a parameter or address in the URL is wrong, or an interface parameter is invalid.
 */
#define CCGW_E_GW_INVALID_PARAMETER 1000002

/**
 * Gateway `000-003`: no right to call the interface; the Guid may have expired.
 */
#define CCGW_E_GW_NO_RIGHT 1000003

/**
 * Gateway `000-004`: the agent is being switched over (disaster recovery).
 */
#define CCGW_E_GW_SWITCHOVER 1000004

/**
 * Gateway `000-005`: the agent to be inspected is the inspector itself.
 */
#define CCGW_E_GW_INSPECT_SELF 1000005

/**
 * Gateway `000-006`: message parameter error.
 */
#define CCGW_E_GW_MESSAGE_PARAMETER 1000006

/**
 * Gateway `000-007`: the interface is being called repeatedly (an identical request is pending).
 */
#define CCGW_E_GW_REPEATED_CALL 1000007

/**
 * Gateway `100-001`: a sign-in parameter is empty or invalid.
 */
#define CCGW_E_GW_SIGNIN_PARAMETER 1100001

/**
 * Gateway `100-002`: the agent has already signed in (forced sign-in takes over).
 */
#define CCGW_E_GW_ALREADY_SIGNED_IN 1100002

/**
 * Gateway `100-003`: the CTI platform's resource or provider is unavailable at sign-in.
 */
#define CCGW_E_GW_CTI_UNAVAILABLE 1100003

/**
 * Gateway `100-004`: wrong user name or password.
 */
#define CCGW_E_GW_WRONG_CREDENTIALS 1100004

/**
 * Gateway `100-005`: a sign-out parameter is invalid.
 */
#define CCGW_E_GW_SIGNOUT_PARAMETER 1100005

/**
 * Gateway `100-006`: the agent has not signed in (also a static-mode Guid mismatch).
 */
#define CCGW_E_GW_NOT_SIGNED_IN 1100006

/**
 * Gateway `100-007`: exception while operating for the agent (WAS unreachable, internal error).
 */
#define CCGW_E_GW_AGENT_EXCEPTION 1100007

/**
 * Gateway `100-008`: the agent has already signed out.
 */
#define CCGW_E_GW_ALREADY_SIGNED_OUT 1100008

/**
 * Gateway `100-009`: setting the agent state failed (for example no right).
 */
#define CCGW_E_GW_SET_STATE_FAILED 1100009

/**
 * Gateway `100-010`: the agent's state does not allow signing out (talking or answering).
 */
#define CCGW_E_GW_SIGNOUT_STATE 1100010

/**
 * Gateway `100-011`: invalid sign-in parameter.
 */
#define CCGW_E_GW_SIGNIN_INVALID 1100011

/**
 * Gateway `100-012`: wrong agent type.
 */
#define CCGW_E_GW_WRONG_AGENT_TYPE 1100012

/**
 * Gateway `100-013`: the phone number to bind is invalid.
 */
#define CCGW_E_GW_PHONE_INVALID 1100013

/**
 * Gateway `100-014`: the phone number is outside the configured range.
 */
#define CCGW_E_GW_PHONE_OUT_OF_RANGE 1100014

/**
 * Gateway `100-015`: the agent is signed in and may not be forced out.
 */
#define CCGW_E_GW_CANNOT_FORCE_OUT 1100015

/**
 * Gateway `100-016`: invalid IP address.
 */
#define CCGW_E_GW_INVALID_IP 1100016

/**
 * Gateway `100-017`: uPortal authentication failed.
 */
#define CCGW_E_GW_UPORTAL_AUTH 1100017

/**
 * Gateway `100-018`: the sign-in VDN differs from the playback VDN.
 */
#define CCGW_E_GW_VDN_MISMATCH 1100018

/**
 * Gateway `100-019`: invalid parameter when querying skill queues.
 */
#define CCGW_E_GW_SKILL_QUERY_PARAMETER 1100019

/**
 * Gateway `100-020`: the password has expired.
 */
#define CCGW_E_GW_PASSWORD_EXPIRED 1100020

/**
 * Gateway `100-021`: sign-in is in progress; do not repeat it.
 */
#define CCGW_E_GW_SIGNIN_IN_PROGRESS 1100021

/**
 * Gateway `101-001`: the agent has no conference.
 */
#define CCGW_E_GW_NO_CONFERENCE 1101001

/**
 * Gateway `101-002`: the agent is not the chairperson of the current conference.
 */
#define CCGW_E_GW_NOT_CHAIRPERSON 1101002

/**
 * Gateway `101-003`: the agent is already in a conference.
 */
#define CCGW_E_GW_ALREADY_IN_CONFERENCE 1101003

/**
 * Gateway `101-004`: only an inspector may query the VDN's conferences.
 */
#define CCGW_E_GW_NOT_INSPECTOR 1101004

/**
 * Gateway `101-005`: the chairperson cannot hand the chair to itself.
 */
#define CCGW_E_GW_CHAIR_TO_SELF 1101005

/**
 * Gateway `101-006`: the chairperson cannot remove itself.
 */
#define CCGW_E_GW_CHAIR_REMOVE_SELF 1101006

/**
 * Gateway `101-007`: the chairperson cannot leave the conference (release it instead).
 */
#define CCGW_E_GW_CHAIR_CANNOT_LEAVE 1101007

/**
 * Gateway `105-001`: the agent is not cached for disaster recovery.
 */
#define CCGW_E_GW_DR_NOT_CACHED 1105001

/**
 * Gateway `105-002`: disaster recovery is in progress.
 */
#define CCGW_E_GW_DR_IN_PROGRESS 1105002

/**
 * Gateway `105-003`: disaster recovery has finished.
 */
#define CCGW_E_GW_DR_FINISHED 1105003

/**
 * Gateway `105-004`: could not queue for disaster recovery.
 */
#define CCGW_E_GW_DR_QUEUE_FAILED 1105004

/**
 * Gateway `105-005`: waiting for disaster recovery timed out; sign in again.
 */
#define CCGW_E_GW_DR_WAIT_TIMEOUT 1105005

/**
 * Gateway `105-006`: the Guid does not match during disaster recovery; sign in again.
 */
#define CCGW_E_GW_DR_GUID_MISMATCH 1105006

/**
 * Gateway `105-007`: the disaster-recovery switch is off; sign in again.
 */
#define CCGW_E_GW_DR_SWITCH_OFF 1105007

/**
 * Gateway `106-001`: the multimedia switch is off.
 */
#define CCGW_E_GW_MULTIMEDIA_OFF 1106001

/**
 * Gateway `106-002`: empty message.
 */
#define CCGW_E_GW_EMPTY_MESSAGE 1106002

/**
 * Gateway `106-003`: the session count is above its maximum.
 */
#define CCGW_E_GW_TOO_MANY_SESSIONS 1106003

/**
 * Gateway `106-004`: bad transfer device type.
 */
#define CCGW_E_GW_BAD_TRANSFER_DEVICE 1106004

/**
 * Gateway `110-016`: the account is locked.
 */
#define CCGW_E_GW_ACCOUNT_LOCKED 1110016

/**
 * Gateway `110-021`: the account is locked after too many failed attempts.
 */
#define CCGW_E_GW_ACCOUNT_LOCKED_ATTEMPTS 1110021

/**
 * Gateway `200-001`: wrong outbound number.
 */
#define CCGW_E_GW_WRONG_NUMBER 1200001

/**
 * Gateway `200-002`: answer requested with no call.
 */
#define CCGW_E_GW_ANSWER_NO_CALL 1200002

/**
 * Gateway `200-003`: mute requested with no call.
 */
#define CCGW_E_GW_MUTE_NO_CALL 1200003

/**
 * Gateway `200-004`: mute requested in a wrong call state.
 */
#define CCGW_E_GW_MUTE_STATE 1200004

/**
 * Gateway `200-005`: connect-hold requested with no call.
 */
#define CCGW_E_GW_CONNECT_HOLD_NO_CALL 1200005

/**
 * Gateway `200-006`: connect-hold requested with no held call.
 */
#define CCGW_E_GW_CONNECT_HOLD_NO_HELD 1200006

/**
 * Gateway `200-007`: unmute requested with no call.
 */
#define CCGW_E_GW_UNMUTE_NO_CALL 1200007

/**
 * Gateway `200-008`: unmute requested in a wrong call state.
 */
#define CCGW_E_GW_UNMUTE_STATE 1200008

/**
 * Gateway `200-009`: voice report requested with no call.
 */
#define CCGW_E_GW_REPORT_NO_CALL 1200009

/**
 * Gateway `200-010`: three-party call requested but the agent has no (active) call.
 */
#define CCGW_E_GW_THREE_PARTY_NO_CALL 1200010

/**
 * Gateway `200-011`: three-party call requested but there is no held call.
 */
#define CCGW_E_GW_THREE_PARTY_NO_HELD_CALL 1200011

/**
 * Gateway `200-012`: transfer requested with no call.
 */
#define CCGW_E_GW_TRANSFER_NO_CALL 1200012

/**
 * Gateway `200-013`: hold requested with no call.
 */
#define CCGW_E_GW_HOLD_NO_CALL 1200013

/**
 * Gateway `200-014`: hold requested in a wrong call state.
 */
#define CCGW_E_GW_HOLD_STATE 1200014

/**
 * Gateway `200-015`: unhold requested with no held call.
 */
#define CCGW_E_GW_UNHOLD_NO_HELD 1200015

/**
 * Gateway `200-016`: unhold requested in a wrong call state.
 */
#define CCGW_E_GW_UNHOLD_STATE 1200016

/**
 * Gateway `200-017`: release requested with no call.
 */
#define CCGW_E_GW_RELEASE_NO_CALL 1200017

/**
 * Gateway `200-018`: internal consultation or help requested with no call.
 */
#define CCGW_E_GW_HELP_NO_CALL 1200018

/**
 * Gateway `200-025`: the code the `dropcall` page lists; its meaning is undocumented
 * (reference §11.16; the simulator answers it when the agent has no call with that id).
 */
#define CCGW_E_GW_DROP_CALL_FAILED 1200025

/**
 * Gateway `300-001`: no right to query agents.
 */
#define CCGW_E_GW_NO_QUERY_RIGHT 1300001

/**
 * Gateway `300-002`: no agent information.
 */
#define CCGW_E_GW_NO_AGENT_INFO 1300002

/**
 * Gateway `300-003`: the agent is not in the group information.
 */
#define CCGW_E_GW_AGENT_NOT_IN_GROUP 1300003

/**
 * Gateway `300-004`: no such agent group.
 */
#define CCGW_E_GW_NO_SUCH_GROUP 1300004

/**
 * Gateway `400-001`: setting call data with no call.
 */
#define CCGW_E_GW_CALLDATA_NO_CALL 1400001

/**
 * Gateway `400-002`: no call data to set.
 */
#define CCGW_E_GW_CALLDATA_EMPTY 1400002

/**
 * Gateway `400-003`: held-call list requested with no held call.
 */
#define CCGW_E_GW_NO_HELD_CALLS 1400003

/**
 * Gateway `900-001`: no quality-control provider.
 */
#define CCGW_E_GW_QC_NO_PROVIDER 1900001

/**
 * Gateway `900-002`: no quality-control right.
 */
#define CCGW_E_GW_QC_NO_RIGHT 1900002

/**
 * Gateway `900-003`: quality-control resource unavailable.
 */
#define CCGW_E_GW_QC_UNAVAILABLE 1900003

/**
 * Gateway `900-004`: the monitored agent does not exist.
 */
#define CCGW_E_GW_QC_NO_AGENT 1900004

/**
 * Gateway `900-005`: quality-control state error.
 */
#define CCGW_E_GW_QC_STATE 1900005

/**
 * Gateway `999-001`: invalid WAS URL configuration.
 */
#define CCGW_E_GW_WAS_URL 1999001

/**
 * Gateway `104-001`: the recording download function is not enabled.
 */
#define CCGW_E_GW_RECORDING_DOWNLOAD_OFF 1104001

/**
 * Gateway `104-002`: no right to inspect or play back recordings.
 */
#define CCGW_E_GW_RECORDING_NO_RIGHT 1104002

/**
 * Gateway `104-003`: the recording file name is invalid.
 */
#define CCGW_E_GW_RECORDING_BAD_FILE_NAME 1104003

/**
 * Gateway `104-004`: no drive mapping is configured for recordings.
 */
#define CCGW_E_GW_RECORDING_NO_DRIVE_MAPPING 1104004

/**
 * Gateway `104-005`: the recording file does not exist.
 */
#define CCGW_E_GW_RECORDING_NO_FILE 1104005

/**
 * Gateway `104-006`: not enough free space for the recording file.
 */
#define CCGW_E_GW_RECORDING_NO_SPACE 1104006

/**
 * Gateway `104-007`: the recording file format is not supported.
 */
#define CCGW_E_GW_RECORDING_FORMAT_UNSUPPORTED 1104007

/**
 * Gateway `104-008`: the recording format is not configured.
 */
#define CCGW_E_GW_RECORDING_FORMAT_UNSET 1104008

/**
 * Gateway `104-009`: the recording could not be converted.
 */
#define CCGW_E_GW_RECORDING_CONVERSION_FAILED 1104009

/**
 * Gateway `104-010`: the recording node id (locationId, POOL mode) is not configured.
 */
#define CCGW_E_GW_RECORDING_NODE_UNSET 1104010

/**
 * Gateway `104-011`: the recording file could not be deleted.
 */
#define CCGW_E_GW_RECORDING_DELETE_FAILED 1104011

/**
 * Gateway `104-012`: the recording could not be downloaded from OBS.
 */
#define CCGW_E_GW_RECORDING_OBS_FAILED 1104012

/**
 * Gateway `110-002`: the password could not be changed.
 */
#define CCGW_E_GW_PASSWORD_CHANGE_FAILED 1110002

/**
 * Gateway `110-003`: the old password is wrong.
 */
#define CCGW_E_GW_OLD_PASSWORD_WRONG 1110003

/**
 * Gateway `110-004`: the password could not be queried.
 */
#define CCGW_E_GW_PASSWORD_QUERY_FAILED 1110004

/**
 * Gateway `110-005`: the CTI sign-in information has no password.
 */
#define CCGW_E_GW_CTI_SIGN_IN_NO_PASSWORD 1110005

/**
 * Gateway `110-006`: the password authentication mode of the CTI sign-in information could not be queried.
 */
#define CCGW_E_GW_CTI_SIGN_IN_AUTH_MODE_FAILED 1110006

/**
 * Gateway `110-007`: password authentication for the CTI sign-in information failed.
 */
#define CCGW_E_GW_CTI_SIGN_IN_AUTH_FAILED 1110007

/**
 * Gateway `110-008`: the database query for the CTI sign-in information failed.
 */
#define CCGW_E_GW_CTI_SIGN_IN_DB_FAILED 1110008

/**
 * Gateway `110-009`: no CTI sign-in information is recorded.
 */
#define CCGW_E_GW_CTI_SIGN_IN_NO_RECORD 1110009

/**
 * Gateway `110-010`: the user name could not be queried.
 */
#define CCGW_E_GW_USER_NAME_QUERY_FAILED 1110010

/**
 * Gateway `110-011`: the user's authentication mode could not be queried.
 */
#define CCGW_E_GW_USER_AUTH_MODE_QUERY_FAILED 1110011

/**
 * Gateway `110-012`: agents could not be queried by attribute.
 */
#define CCGW_E_GW_AGENT_BY_ATTRIBUTE_FAILED 1110012

/**
 * Gateway `110-013`: third-party user interface refused (the meaning of this code is not published).
 */
#define CCGW_E_GW_USER_013 1110013

/**
 * Gateway `110-014`: third-party user interface refused (the meaning of this code is not published).
 */
#define CCGW_E_GW_USER_014 1110014

/**
 * Gateway `110-015`: third-party user interface refused (the meaning of this code is not published).
 */
#define CCGW_E_GW_USER_015 1110015

/**
 * Gateway `110-017`: the new password is the old one.
 */
#define CCGW_E_GW_PASSWORD_SAME_AS_OLD 1110017

/**
 * Gateway `110-018`: the new password is the user name or its reverse.
 */
#define CCGW_E_GW_PASSWORD_LIKE_NAME 1110018

/**
 * Gateway `110-019`: the new password does not meet the password rules.
 */
#define CCGW_E_GW_PASSWORD_RULES 1110019

/**
 * Gateway `110-020`: the new password must have 8 to 30 characters.
 */
#define CCGW_E_GW_PASSWORD_LENGTH 1110020

/**
 * Gateway `110-022`: the new password and its confirmation differ.
 */
#define CCGW_E_GW_PASSWORD_CONFIRM_MISMATCH 1110022

/**
 * Gateway `500-001`: rewinding is not allowed in the current playback state.
 */
#define CCGW_E_GW_REWIND_STATE 1500001

/**
 * Gateway `500-002`: fast-forwarding is not allowed in the current playback state.
 */
#define CCGW_E_GW_FAST_FORWARD_STATE 1500002

/**
 * Gateway `500-003`: pausing playback is not allowed in the current state.
 */
#define CCGW_E_GW_PAUSE_PLAY_STATE 1500003

/**
 * Gateway `500-004`: pausing recording is not allowed in the current state.
 */
#define CCGW_E_GW_PAUSE_RECORD_STATE 1500004

/**
 * Gateway `500-005`: resuming playback is not allowed in the current state.
 */
#define CCGW_E_GW_RESUME_PLAY_STATE 1500005

/**
 * Gateway `500-006`: resuming recording is not allowed in the current state.
 */
#define CCGW_E_GW_RESUME_RECORD_STATE 1500006

/**
 * Gateway `500-007`: starting playback is not allowed in the current state.
 */
#define CCGW_E_GW_START_PLAY_STATE 1500007

/**
 * Gateway `500-008`: starting recording is not allowed in the current state.
 */
#define CCGW_E_GW_START_RECORD_STATE 1500008

/**
 * Gateway `500-009`: stopping playback is not allowed in the current state.
 */
#define CCGW_E_GW_STOP_PLAY_STATE 1500009

/**
 * Gateway `600-001`: the agent does not exist or has no skill queue configured.
 */
#define CCGW_E_GW_AGENT_NO_SKILL_QUEUE 1600001

/**
 * Gateway `600-002`: the VDN has no skill queue configured.
 */
#define CCGW_E_GW_VDN_NO_SKILL_QUEUE 1600002

/**
 * Gateway `600-003`: the agent's VDN has no access code configured.
 */
#define CCGW_E_GW_VDN_NO_ACCESS_CODE 1600003

/**
 * Gateway `600-004`: the agent's VDN has no IVR configured.
 */
#define CCGW_E_GW_VDN_NO_IVR 1600004

/**
 * Gateway `600-005`: the agent's VDN has no skill queue configured.
 */
#define CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE 1600005

/**
 * Gateway `10001`: the only code the `thirdPartyConfTransmitNum` page lists; its meaning is
 * undocumented (the simulator uses it when the agent is not in an agent + customer + IVR call).
 */
#define CCGW_E_GW_TRANSMIT_NUM_FAILED 2010001

/**
 * `CCGW_OK`: the operation was carried out.
 */
#define CCGW_OUTCOME_OK 0

/**
 * Nothing reached the gateway, so nothing was carried out: an argument the library
 * refused (1-99), a connection or TLS handshake that failed before the request was
 * written, a forward proxy that refused the tunnel, a request given up before it was
 * written (`CCGW_E_NOT_SENT`), a session without a Guid, a call on a wrong thread or in a
 * forked child, a wait that ended at its timeout (`CCGW_E_TIMEOUT`: nothing is sent by a
 * wait), a busy object. Calling again cannot do the operation twice.
 */
#define CCGW_OUTCOME_NOT_SENT 1

/**
 * The gateway (or the front end before it) answered and did not carry the operation
 * out: every gateway retcode (`ccgw_status_is_gateway`, `000-004` included), and HTTP 503
 * before any gateway envelope (`CCGW_E_GATEWAY_UNAVAILABLE`). Calling again cannot do it
 * twice; whether it can succeed depends on the refusal (`ccgw_status_retryable`).
 */
#define CCGW_OUTCOME_REFUSED 2

/**
 * The outcome is unknown: the request may have been carried out. A connection lost or a
 * timeout after the request was sent, an answer cut short or malformed (after a 2xx),
 * HTTP 502/504 or any other non-2xx status from a front end, a call cancelled or a
 * session closed while its request may have been on the wire, a panic or internal
 * error, and any status this library does not know. Check the state (a query, the
 * events) before doing it again.
 */
#define CCGW_OUTCOME_MAY_HAVE_RUN 3

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * Fills `*req` with the defaults of `version` (pass `CCGW_AGENT_CONF_REQUEST_VERSION`):
 * `member_num` unset (it must be set), everything else left out.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_agent_conf_request_init(struct ccgw_agent_conf_request *req,
                                         uint32_t version);

/**
 * Applies for an agent conference with this agent as chairperson
 * (`POST agentconf/{agentid}/requestagentconf`, log name `requestAgentConf`). The agent
 * must be idle or in a stable call. The answer only says the application was taken: the
 * conference is granted by `AgentConf_SelfJoinResult` then `AgentConf_RequestSuccess`
 * (`conf_id`), or refused by `AgentConf_RequestFailed` (`cause`); chair operations are
 * refused until `AgentConf_RequestSuccess`. The live view (`ccgw_conf_view_snapshot`)
 * holds the conference from `AgentConf_SelfJoinResult`.
 *
 * Checked first: `member_num` 1-120 (mandatory), `conf_caller_no` at most 24 characters,
 * `time` 4-1440, `prompt_time` 3-1440, `voice_path` at most 127 characters and present when
 * `beep_tone` is 1; a violation sends nothing.
 *
 * `req` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`,
 * `CCGW_E_GW_ALREADY_IN_CONFERENCE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
 * `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_request_agent_conf(struct ccgw_session *session,
                                    const struct ccgw_agent_conf_request *req,
                                    const struct ccgw_call_options *call);

/**
 * Releases the conference this agent chairs (`POST agentconf/{agentid}/releaseagentconf`,
 * log name `releaseAgentConf`): it ends for every participant (each joined agent gets
 * `AgentConf_SelfLeaveResult`) and leaves the live view.
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`,
 * `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_release_agent_conf(struct ccgw_session *session,
                                    const struct ccgw_call_options *call);

/**
 * Answers the conference invitation this agent is ringing for (after
 * `AgentConf_Ringing`; `POST agentconf/{agentid}/answeragentconf`, log name
 * `answerAgentConf`): it joins (`AgentConf_SelfJoinResult`). The live view then holds the
 * conference, marked unsynced until `ccgw_conf_view_resync`.
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`: not invited,
 * `CCGW_E_GW_ALREADY_IN_CONFERENCE`: joined already, `CCGW_E_GW_NOT_SIGNED_IN`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_answer_agent_conf(struct ccgw_session *session,
                                   const struct ccgw_call_options *call);

/**
 * Declines the conference invitation this agent is ringing for
 * (`POST agentconf/{agentid}/rejectagentconf`, log name `rejectAgentConf`). The chair
 * hears of it as a failed join (`AgentConf_ParticipantChanged` with a non-zero `result`).
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
 * `CCGW_E_GW_ALREADY_IN_CONFERENCE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
 * `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_reject_agent_conf(struct ccgw_session *session,
                                   const struct ccgw_call_options *call);

/**
 * Leaves the conference this agent joined as a participant
 * (`POST agentconf/{agentid}/requestleaveagentconf`, log name `requestLeaveAgentConf`);
 * an invitee still ringing declines. The chair cannot leave (release it instead). The
 * conference leaves the live view.
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
 * `CCGW_E_GW_CHAIR_CANNOT_LEAVE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
 * `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_leave_agent_conf(struct ccgw_session *session,
                                  const struct ccgw_call_options *call);

/**
 * Stops the announcement playing to the whole conference
 * (`POST agentconf/{agentid}/stopvoicetoconf`, log name `stopVoiceToConf`). Chairperson
 * only. `AgentConf_StopVoice` follows (`result` 1 when nothing was playing).
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`,
 * `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_stop_voice_to_conf(struct ccgw_session *session,
                                    const struct ccgw_call_options *call);

/**
 * Takes a held participant of the agent's conference off hold
 * (`POST agentconf/{agentid}/unholdparticipant`, log name `unholdParticipant`; the
 * address pair of `holdparticipant`, reference §11.19). Chairperson only. Reported by
 * `AgentConf_ParticipantChanged` (changeType 6).
 *
 * Checked first: `address_type` 6 or 9, `address` 1-24 bytes; a violation sends nothing.
 * `address` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
 * gateway errors (`CCGW_E_GW_INVALID_PARAMETER`: not a participant,
 * `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_unhold_participant(struct ccgw_session *session,
                                    int32_t address_type,
                                    const char *address,
                                    const struct ccgw_call_options *call);

/**
 * Removes participants (or pending invitees) from the agent's conference
 * (`POST agentconf/{agentid}/batchremoveparticipant`, log name `batchRemoveParticipant`).
 * Chairperson only; the chair cannot remove itself. Each removal is reported by
 * `AgentConf_ParticipantChanged` (changeType 1, reason 1).
 *
 * Checked first: 1-30 addresses, each of type 6 or 9 and 1-24 characters; a violation
 * sends nothing. `addresses` is borrowed for the call; `call` may be NULL. `not_found` may
 * be NULL; otherwise on `CCGW_OK` it receives the addresses the gateway did not find in
 * the conference (`noExistParticipants`; possibly empty; free with
 * `ccgw_address_list_free`), and NULL on failure.
 *
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_MANY`, `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
 * `CCGW_E_GW_CHAIR_REMOVE_SELF`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_batch_remove_participant(struct ccgw_session *session,
                                          const struct ccgw_address *addresses,
                                          size_t count,
                                          const struct ccgw_call_options *call,
                                          struct ccgw_address_list **not_found);

/**
 * Frees an address list. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_address_list_free(struct ccgw_address_list *list);

/**
 * Sets what a participant of the agent's conference hears and says
 * (`POST agentconf/{agentid}/changeparticipantmode`, log name `changeParticipantMode`):
 * `attribute` `CCGW_MODE_LISTEN` (1), `CCGW_MODE_SPEAK` (2), `CCGW_MODE_LISTEN_SPEAK` (3)
 * or `CCGW_MODE_NONE` (4). Chairperson only. Reported by `AgentConf_ParticipantChanged`
 * (changeType 3 muted for 1 and 4, 4 unmuted for 2 and 3).
 *
 * Checked first: `attribute` 1-4, `address_type` 6 or 9, `address` 1-24 characters; a
 * violation sends nothing. `address` is borrowed for the call; `call` may be NULL.
 * Returns as `ccgw_unhold_participant`. Blocks until the answer or the request timeout.
 * Thread-safe.
 */
CCGW_API
ccgw_status ccgw_change_participant_mode(struct ccgw_session *session,
                                         int32_t address_type,
                                         const char *address,
                                         int32_t attribute,
                                         const struct ccgw_call_options *call);

/**
 * Extends the agent's conference by `minutes` (`POST agentconf/{agentid}/prolongtime`,
 * log name `prolongTime`): the answer to `AgentConf_Timeout`. Chairperson only.
 *
 * Checked first: `minutes` 1-1440, and, when the live view knows the conference's
 * applied time, the total at most 1440; a violation sends nothing. `call` may be NULL.
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`:
 * the total would pass 1440, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_prolong_time(struct ccgw_session *session,
                              int32_t minutes,
                              const struct ccgw_call_options *call);

/**
 * Hands the chair of the agent's conference to the joined agent `dest_agent`
 * (`POST agentconf/{agentid}/applytoshiftpresident`, log name `applyToShiftPresident`).
 * The others get `AgentConf_ParticipantChanged` (changeType 2), the new chair
 * `AgentConf_PresidentChanged`.
 *
 * Checked first: `dest_agent` a canonical decimal agent id, 101-999999; a violation sends
 * nothing. `dest_agent` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`; `CCGW_E_NOT_SIGNED_IN`; transport
 * errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`: not a participant,
 * `CCGW_E_GW_CHAIR_TO_SELF`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
 * `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_shift_president(struct ccgw_session *session,
                                 const char *dest_agent,
                                 const struct ccgw_call_options *call);

/**
 * Plays an announcement to one participant of the agent's conference
 * (`POST agentconf/{agentid}/playvoicetoparticipant`, log name `playVoiceToParticipant`);
 * its channel state is 2 until it ends or is stopped (`AgentConf_StopParticipantVoice`).
 * Chairperson only.
 *
 * Checked first: `address_type` 6 or 9, `address` 1-24 bytes, `play_mode` 2 or
 * `CCGW_UNSET`, `voice_path` mandatory, at most 127 characters; a violation sends
 * nothing. Strings are borrowed for the call; `call` may be NULL. Returns as
 * `ccgw_unhold_participant`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_play_voice_to_participant(struct ccgw_session *session,
                                           int32_t address_type,
                                           const char *address,
                                           int32_t play_mode,
                                           const char *voice_path,
                                           const struct ccgw_call_options *call);

/**
 * Stops the announcement playing to one participant
 * (`POST agentconf/{agentid}/stopvoicetoparticipant`, log name `stopVoiceToParticipant`;
 * the address pair, reference §11.19). Chairperson only. `AgentConf_StopParticipantVoice`
 * follows (`result` 1 when nothing was playing).
 *
 * Checked first: `address_type` 6 or 9, `address` 1-24 bytes. Returns as
 * `ccgw_unhold_participant`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_stop_voice_to_participant(struct ccgw_session *session,
                                           int32_t address_type,
                                           const char *address,
                                           const struct ccgw_call_options *call);

/**
 * Plays an announcement to the whole conference (`POST agentconf/{agentid}/playvoicetoconf`,
 * log name `playVoiceToConf`; the body of the page's siblings, reference §11.19): the
 * conference state is 1 until it ends or is stopped (`AgentConf_StopVoice`). Chairperson
 * only.
 *
 * Checked first: `play_mode` a 32-bit value or `CCGW_UNSET`, `voice_path` mandatory, at
 * most 127 characters. `voice_path` is borrowed for the call; `call` may be NULL. Returns
 * `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_TOO_LONG`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors
 * (`CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_play_voice_to_conf(struct ccgw_session *session,
                                    int32_t play_mode,
                                    const char *voice_path,
                                    const struct ccgw_call_options *call);

/**
 * Adds (`CCGW_RESOURCE_ADD`) or removes (`CCGW_RESOURCE_REMOVE`) `modify_num` member places
 * of the agent's conference (`POST agentconf/{agentid}/modifyconfresource`, log name
 * `modifyConfResource`). Chairperson only.
 *
 * Checked first: `modify_type` 0 or 1, `modify_num` 2-118, and, when the live view knows
 * the conference's places, a result within 1-120; a violation sends nothing. `call` may be
 * NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
 * `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_modify_conf_resource(struct ccgw_session *session,
                                      int32_t modify_type,
                                      int32_t modify_num,
                                      const struct ccgw_call_options *call);

/**
 * Lists the ids of every conference of the agent's VDN (`GET agentconf/{agentid}/queryvdnconfid`,
 * log name `queryAllConfIds`). Inspectors only.
 *
 * `call` may be NULL. On `CCGW_OK`, `*out` receives the list (possibly empty; free with
 * `ccgw_conf_id_list_free`); on failure NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_NOT_INSPECTOR`, `CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_vdn_conf_ids(struct ccgw_session *session,
                                    const struct ccgw_call_options *call,
                                    struct ccgw_conf_id_list **out);

/**
 * Frees a conference id list. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_conf_id_list_free(struct ccgw_conf_id_list *list);

/**
 * Fills `*req` with the defaults of `version` (pass `CCGW_CALLOUT_REQUEST_VERSION`): no
 * number, everything else left out.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_callout_request_init(struct ccgw_callout_request *req, uint32_t version);

/**
 * Places an outbound call (`PUT voicecall/{agentid}/callout`, log name `callout`). The
 * answer carries the new call's id; the call's progress arrives as events:
 * `AgentEvent_Customer_Alerting`, then `AgentEvent_Talking` when the number answers, or
 * `AgentEvent_Call_Out_Fail` / `AgentEvent_Connect_Fail` when it does not.
 *
 * Checked first: `called` 1-24 of `0-9*#`, `caller` 0-24 digits, `skillid` 0-2147483647,
 * `callappdata` at most 16384 bytes, `mediaability` 0-2, `user_video_direction` 1-4; a
 * violation sends nothing. `req` is borrowed for the call; `call` may be NULL. On
 * `CCGW_OK`, `*callid_out` receives the call id (free with `ccgw_string_free`; it is call
 * data: keep it out of logs); on failure NULL.
 *
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`,
 * `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`; `CCGW_E_NOT_SIGNED_IN`; transport
 * errors; `CCGW_E_MALFORMED_RESPONSE` (no call id in the answer); gateway errors
 * (`CCGW_E_GW_WRONG_NUMBER`, `CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_callout(struct ccgw_session *session,
                         const struct ccgw_callout_request *req,
                         const struct ccgw_call_options *call,
                         char **callid_out);

/**
 * Holds the agent's talking call (`POST voicecall/{agentid}/hold`, log name `hold`);
 * `AgentEvent_Hold` follows. The agent may then place another call.
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_HOLD_NO_CALL`, `CCGW_E_GW_HOLD_STATE`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_hold_call(struct ccgw_session *session,
                           const struct ccgw_call_options *call);

/**
 * Releases the agent's call that is not on hold (`DELETE voicecall/{agentid}/release`,
 * log name `release`): `AgentEvent_Call_Release`, `AgentEvent_Customer_Release` per
 * party, `AgentOther_PhoneRelease` follow.
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_RELEASE_NO_CALL`, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_release_call(struct ccgw_session *session,
                              const struct ccgw_call_options *call);

/**
 * Takes a held call back (`POST voicecall/{agentid}/gethold?callid=`, log name
 * `getHold`); `AgentEvent_Talking` follows. `callid` may be NULL (the gateway picks the
 * held call); otherwise at most 256 bytes, not blank, percent-encoded into the URL.
 *
 * Strings are borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_TOO_LONG`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors
 * (`CCGW_E_GW_UNHOLD_NO_HELD`, `CCGW_E_GW_UNHOLD_STATE`, `CCGW_E_GW_NOT_SIGNED_IN`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_get_hold(struct ccgw_session *session,
                          const char *callid,
                          const struct ccgw_call_options *call);

/**
 * Connects the agent's talking party with its held call `callid`; the agent drops out of
 * both (`POST voicecall/{agentid}/connecthold/{callid}`, log name `connectHold`).
 *
 * `callid`: mandatory, at most 256 bytes. Returns `CCGW_OK`; argument errors as
 * `ccgw_get_hold`; transport errors; gateway errors (`CCGW_E_GW_HOLD_NO_CALL`,
 * `CCGW_E_GW_HOLD_STATE` as the page lists them, `CCGW_E_GW_CONNECT_HOLD_NO_CALL`,
 * `CCGW_E_GW_CONNECT_HOLD_NO_HELD`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_connect_hold(struct ccgw_session *session,
                              const char *callid,
                              const struct ccgw_call_options *call);

/**
 * Releases the agent's call `callid`, held or not (`POST voicecall/{agentid}/dropcall/{callid}`,
 * log name `dropCall`).
 *
 * `callid`: mandatory, at most 256 bytes. Returns `CCGW_OK`; argument errors as
 * `ccgw_get_hold`; transport errors; gateway errors (`CCGW_E_GW_DROP_CALL_FAILED`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_drop_call(struct ccgw_session *session,
                           const char *callid,
                           const struct ccgw_call_options *call);

/**
 * Makes the party `number` leave the agent's last call (`POST voicecall/{agentid}/disconnect/{number}`,
 * log name `disconnect`), e.g. to drop the third party of a three-party call.
 *
 * Checked first: `number` 1-24 digits (a phone number or an agent id); a violation sends
 * nothing. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`:
 * not a party, `CCGW_E_GW_RELEASE_NO_CALL`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_disconnect(struct ccgw_session *session,
                            const char *number,
                            const struct ccgw_call_options *call);

/**
 * Sends DTMF digits on the agent's talking call (`POST voicecall/{agentid}/seconddialex?number=`,
 * log name `secondDialEx`).
 *
 * Checked first: `digits` 1-24 of `0-9`, `*` and `#`; a violation sends nothing. Returns
 * `CCGW_OK`; argument errors as `ccgw_disconnect`; transport errors; gateway errors
 * (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_AGENT_EXCEPTION`: no talking call,
 * `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_second_dial(struct ccgw_session *session,
                             const char *digits,
                             const struct ccgw_call_options *call);

/**
 * Lists the agent's held calls, oldest first (`GET calldata/{agentid}/holdlist`, log name
 * `holdList`).
 *
 * `call` may be NULL. On `CCGW_OK`, `*out` receives the list (free with
 * `ccgw_call_info_list_free`); on failure NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_NO_HELD_CALLS` when nothing is held, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_hold_list(struct ccgw_session *session,
                                 const struct ccgw_call_options *call,
                                 struct ccgw_call_info_list **out);

/**
 * The agent's current call (`GET calldata/{agentid}/callinfo`, log name
 * `queryCallInfo`): a list of one call, or of none when the agent has no call.
 * `is_no_contain_last_call` (tri-state: `CCGW_UNSET`, 0, 1) is sent as the gateway's
 * `isNoContainLastCall` query flag (on the simulator, 1 reports the last ended call when
 * there is no current one).
 *
 * On `CCGW_OK`, `*out` receives the list (free with `ccgw_call_info_list_free`); on failure
 * NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (a bad tri-state);
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_call_info(struct ccgw_session *session,
                                 int32_t is_no_contain_last_call,
                                 const struct ccgw_call_options *call,
                                 struct ccgw_call_info_list **out);

/**
 * One of the agent's calls by id (`GET calldata/{agentid}/callinfobycallid/{callid}`, log
 * name `queryCallInfoByCallId`): a list of one call (none when the answer is empty).
 *
 * `callid`: mandatory, at most 256 bytes. On `CCGW_OK`, `*out` receives the list (free
 * with `ccgw_call_info_list_free`); on failure NULL. Returns `CCGW_OK`; argument errors
 * as `ccgw_get_hold`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_INVALID_PARAMETER`: no such call, `CCGW_E_GW_NOT_SIGNED_IN`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_call_info_by_callid(struct ccgw_session *session,
                                           const char *callid,
                                           const struct ccgw_call_options *call,
                                           struct ccgw_call_info_list **out);

/**
 * Frees a call-information list. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_call_info_list_free(struct ccgw_call_info_list *list);

/**
 * The agent's CTI status (`GET onlineagent/{agentid}/agentstatus`, log name
 * `queryAgentStatus`): `*agent_state` receives the status code (0 not signed in, 1 idle,
 * 2 pre-occupied, 3 occupied, 4 answering, 5 talking, 6 working, 7 busy, 8 rest, 9 study,
 * 10 adjusting; -1 when the answer left it out) and `*is_working` (may be NULL) 1 when the
 * agent is in a call, 0 when not, -1 when the answer left it out. Both are written only
 * on success.
 *
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
 * `CCGW_E_MALFORMED_RESPONSE`; gateway errors (`CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_agent_status(struct ccgw_session *session,
                                    const struct ccgw_call_options *call,
                                    int32_t *agent_state,
                                    int32_t *is_working);

/**
 * The library version, `MAJOR.MINOR.PATCH`, as a static string (never free it).
 *
 * Blocks on nothing; thread-safe; never fails.
 */
CCGW_API const char *ccgw_version(void);

/**
 * The ABI version of the loaded library (compare with `CCGW_ABI_VERSION` from the header
 * the program was built with; bindings refuse a mismatch).
 *
 * Blocks on nothing; thread-safe; never fails.
 */
CCGW_API uint32_t ccgw_abi_version(void);

/**
 * A static, NUL-terminated English description of any status number, known or not
 * (never NULL, never free it).
 *
 * Blocks on nothing; thread-safe.
 */
CCGW_API const char *ccgw_status_str(ccgw_status status);

/**
 * Whether `status` carries a gateway retcode (the gateway refused the request).
 *
 * Blocks on nothing; thread-safe.
 */
CCGW_API bool ccgw_status_is_gateway(ccgw_status status);

/**
 * The status of the last failed ccgw call on this thread (`CCGW_OK` when the last fallible
 * call succeeded). Every fallible call clears the last error on entry.
 *
 * Thread-local: read it on the thread that made the failing call, before the next ccgw call.
 */
CCGW_API ccgw_status ccgw_last_error_status(void);

/**
 * One-line detail of the last failed ccgw call on this thread: what failed and why,
 * naming the operation as the gateway docs do (`batchAddParticipant`, ...). Never NULL
 * (an empty string when there was no failure). One line of at most 1024 characters;
 * text from the network in it (the gateway's `message`, a content type, a TLS error) has
 * control characters replaced and is cut to 200 characters. Never contains a Guid,
 * password or call data (words of the gateway's message echoing the request are
 * replaced by `…`).
 *
 * Borrowed: valid until the next ccgw call on this thread; do not free it. Thread-local.
 */
CCGW_API const char *ccgw_last_error_message(void);

/**
 * The gateway `retcode` of the last failed call on this thread (for example `"101-002"`),
 * or an empty string when the failure did not come from the gateway. Never NULL.
 *
 * Borrowed: valid until the next ccgw call on this thread; do not free it. Thread-local.
 */
CCGW_API const char *ccgw_last_error_retcode(void);

/**
 * The HTTP status of the answer behind the last failed call on this thread, or 0 when no
 * answer arrived. Thread-local.
 */
CCGW_API int32_t ccgw_last_error_http_status(void);

/**
 * What `status` means for the operation that returned it, decided by the status alone:
 * `CCGW_OUTCOME_OK`, `CCGW_OUTCOME_NOT_SENT` (nothing reached the gateway),
 * `CCGW_OUTCOME_REFUSED` (the gateway or its front end answered and did not carry it
 * out) or `CCGW_OUTCOME_MAY_HAVE_RUN` (unknown: check the state before doing it again).
 * A status this library does not know (from a newer library) is
 * `CCGW_OUTCOME_MAY_HAVE_RUN`. See each `CCGW_OUTCOME_*` for the statuses it covers.
 *
 * Blocks on nothing; thread-safe; never fails.
 */
CCGW_API ccgw_outcome ccgw_status_outcome(ccgw_status status);

/**
 * Whether calling again unchanged, after a pause, may succeed and surely cannot carry the
 * operation out twice: the outcome is not sent or refused, for a passing cause
 * (`CCGW_E_CONNECT`, `CCGW_E_CONNECT_TIMEOUT`, `CCGW_E_NOT_SENT`,
 * `CCGW_E_GATEWAY_UNAVAILABLE`, gateway `000-004`, `000-007`, `100-003`, `100-021`,
 * `105-002`). After a fail-over the session already points at the next base URL.
 *
 * Blocks on nothing; thread-safe; never fails.
 */
CCGW_API bool ccgw_status_retryable(ccgw_status status);

/**
 * The CTI-platform result code of the last failed call on this thread, when the
 * gateway's `message` read `Unknown ERROR._<digits>` (reference §1: the gateway passing a
 * code of the CTI platform's own table through), else 0. Only the first such marker
 * counts, with 1 to 12 digits; digits that echo the request (a call id, a number) are
 * not taken for a code. Thread-local, like the other `ccgw_last_error_*`.
 */
CCGW_API int64_t ccgw_last_error_cti_code(void);

/**
 * Frees a string the library returned (for example from `ccgw_session_get_guid` or
 * `ccgw_session_request`). Its bytes are overwritten with zeros first. NULL is ignored.
 * Never pass it to `free()`, and never free the same string twice.
 *
 * Blocks on nothing; thread-safe.
 */
CCGW_API void ccgw_string_free(char *s);

/**
 * Creates a cancellation token in `*out` (free it with `ccgw_cancel_free`).
 *
 * Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing; thread-safe.
 */
CCGW_API ccgw_status ccgw_cancel_new(struct ccgw_cancel **out);

/**
 * Cancels every call using `cancel`, now and later (a token cannot be reset; make a new one).
 *
 * Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing; thread-safe, may race
 * with calls using the token.
 */
CCGW_API ccgw_status ccgw_cancel_cancel(const struct ccgw_cancel *cancel);

/**
 * Frees a token from `ccgw_cancel_new`. NULL is ignored. No call may still be using it.
 * In a forked child it does nothing (the token may be shared with threads the child does
 * not have).
 */
CCGW_API void ccgw_cancel_free(struct ccgw_cancel *cancel);

/**
 * Routes the library's log records to `callback` for levels up to `max_level`
 * (`CCGW_LOG_ERROR` .. `CCGW_LOG_TRACE`). Passing a NULL `callback` or `CCGW_LOG_OFF`
 * turns logging off. A previously registered callback is replaced: the call waits for
 * any record it is delivering on another thread, then calls its `userdata_free` once.
 * `userdata_free` (may be NULL) of the new registration is called once when it is
 * replaced in turn; if this function fails (any status) it is called before returning.
 *
 * The callback runs on whichever thread produces the record: a thread inside a ccgw call,
 * or a library thread. It must be thread-safe and quick, and it must not call blocking
 * ccgw functions (they return `CCGW_E_WRONG_THREAD` there) nor this function.
 *
 * Without a callback, setting the environment variable `CCGW_LOG` to `error`, `warn`,
 * `info`, `debug` or `trace` before the first ccgw call logs to stderr.
 *
 * Returns `CCGW_OK`, `CCGW_E_OUT_OF_RANGE` (bad level) or `CCGW_E_WRONG_THREAD` (called
 * from inside the log callback). Thread-safe.
 */
CCGW_API
ccgw_status ccgw_set_log_callback(int32_t max_level,
                                  ccgw_log_callback callback,
                                  void *userdata,
                                  ccgw_userdata_free userdata_free);

/**
 * Stops the library's threads (the runtimes, the callback pool) and releases its global
 * state; the next ccgw call starts it again (the callback pool's options stay). For hosts that want a clean exit under a leak checker. Every session must be
 * freed first.
 *
 * Returns `CCGW_OK` once every thread the library started has ended, joined when they
 * end within `timeout_ms` of this call (the leak-checker case: give it a second).
 * `CCGW_E_TIMEOUT` when some were still running at `timeout_ms` (inside a blocking DNS
 * lookup, say; and whenever threads exist and `timeout_ms` is 0): they have been told to
 * stop and exit on their own, unjoined; calling this again waits up to its `timeout_ms`
 * for them and returns `CCGW_OK` once each has run its last code. `CCGW_E_BUSY`:
 * sessions still alive, nothing stopped. `CCGW_E_WRONG_THREAD`. In a forked child it
 * does nothing and returns `CCGW_E_FORKED`. Blocks up to `timeout_ms`. Must not race with any
 * other ccgw call.
 */
CCGW_API
ccgw_status ccgw_global_shutdown(uint32_t timeout_ms);

/**
 * Fills `*req` with the defaults of `version` (pass `CCGW_BATCH_ADD_REQUEST_VERSION`):
 * no participants, everything else unset.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_batch_add_request_init(struct ccgw_batch_add_request *req,
                                        uint32_t version);

/**
 * Fills `*req` with the defaults of `version` (pass `CCGW_HOLD_REQUEST_VERSION`): no
 * address, `play_mode` unset, no voice path.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_hold_request_init(struct ccgw_hold_request *req, uint32_t version);

/**
 * Invites participants to the agent's conference in one batch
 * (`POST agentconf/{agentid}/batchaddparticipant`, log name `batchAddParticipant`). The
 * agent must be the chairperson, after `AgentConf_RequestSuccess`. Joins are reported by
 * `AgentConf_ParticipantChanged` events; invited agents get `AgentConf_Ringing`.
 *
 * Every limit of the interface table is checked first (1-120 participants, address 1-24
 * characters, address type 6 or 9, device types 0-255, voice path at most 127 characters
 * and present with `play_mode` 2 when `beep_tone` is 1, caller at most 24 characters);
 * a violation sends nothing.
 *
 * `req` and everything it points to are borrowed for the call; `call` may be NULL.
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_TOO_MANY`, `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
 * `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
 * `CCGW_E_GW_NOT_CHAIRPERSON`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_batch_add_participant(struct ccgw_session *session,
                                       const struct ccgw_batch_add_request *req,
                                       const struct ccgw_call_options *call);

/**
 * Holds a participant of the agent's conference, playing it an announcement
 * (`POST agentconf/{agentid}/holdparticipant`, log name `holdParticipant`). Chairperson
 * only. Reported by `AgentConf_ParticipantChanged` (changeType 5).
 *
 * Checked first: address type 6 or 9, address 1-24 bytes, voice path mandatory and at
 * most 127 characters; a violation sends nothing.
 *
 * `req` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`; argument errors
 * as for `ccgw_batch_add_participant`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway
 * errors (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_hold_participant(struct ccgw_session *session,
                                  const struct ccgw_hold_request *req,
                                  const struct ccgw_call_options *call);

/**
 * Queries conferences by id (`POST agentconf/{agentid}/queryconfinfos`, log name
 * `queryConfInfos`). An inspector sees every conference of its VDN; any other agent only
 * its own; ids it may not see are left out of the result. Both answer shapes the docs
 * show (`result` as an array, and `result.confs`) are accepted, numbers sent as strings
 * too, unknown fields ignored.
 *
 * `conf_ids`: 1 to 20 non-negative ids, borrowed for the call. On `CCGW_OK`, `*out`
 * receives the list (free with `ccgw_conf_list_free`); on failure `*out` is NULL.
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_MISSING_ARGUMENT` (no id),
 * `CCGW_E_TOO_MANY` (over 20), `CCGW_E_OUT_OF_RANGE` (negative id) with nothing sent;
 * `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
 * (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_query_conf_infos(struct ccgw_session *session,
                                  const int64_t *conf_ids,
                                  size_t count,
                                  const struct ccgw_call_options *call,
                                  struct ccgw_conf_list **out);

/**
 * Frees a conference list and everything in it. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_conf_list_free(struct ccgw_conf_list *list);

/**
 * Makes a three-party call from the held call `callid` and the active call
 * (`POST voicecall/{agentid}/confjoin`, log name `confJoin`). Reported by
 * `AgentEvent_Conference`.
 *
 * `callid` (mandatory, not blank, at most 256 bytes) and `callappdata` (NULL to leave
 * out; at most 16 KB = 16384 bytes) are borrowed for the call; `call` may be NULL.
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG` with nothing sent; `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; gateway errors (`CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`,
 * `CCGW_E_GW_THREE_PARTY_NO_CALL`, `CCGW_E_GW_THREE_PARTY_NO_HELD_CALL`); `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_conf_join(struct ccgw_session *session,
                           const char *callid,
                           const char *callappdata,
                           const struct ccgw_call_options *call);

/**
 * In a three-party call of the agent, a customer and a third-party IVR, passes the key
 * presses to the IVR (`POST voicecall/{agentid}/thirdPartyConfTransmitNum`, no body, log
 * name `thirdPartyConfTransmitNum`).
 *
 * `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
 * gateway errors (the page lists `10001`: `CCGW_E_GW_TRANSMIT_NUM_FAILED`);
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
 * the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_third_party_conf_transmit_num(struct ccgw_session *session,
                                               const struct ccgw_call_options *call);

/**
 * A consistent snapshot of the session's live conference view: each conference the
 * agent chairs or is in, with its participants (type, role, channel state and mode,
 * held with its announcement, join time), as the session's events and its own successful
 * operations have told it. The event pump feeds the view before it queues an event, so a
 * snapshot taken after taking an event (`ccgw_events_next`, or in the callback) reflects
 * it. Without the pump the view only follows the session's own operations.
 *
 * On `CCGW_OK`, `*out` receives the snapshot (free with `ccgw_conf_view_free`; it does not
 * change afterwards). Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Does not block (a short
 * lock). Thread-safe.
 */
CCGW_API
ccgw_status ccgw_conf_view_snapshot(const struct ccgw_session *session,
                                    struct ccgw_conf_view **out);

/**
 * Frees a view snapshot and everything in it. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_conf_view_free(struct ccgw_conf_view *view);

/**
 * Reconciles the live view with the gateway ("resync now"): `queryconfinfos` for every
 * conference in the view, plus `extra_ids` (conferences learnt elsewhere; added when the
 * answer lists this agent), at most 20 ids per request. Each conference takes the
 * gateway's participants, states, modes, roles and times and is marked synced;
 * conferences the gateway no longer reports leave the view. When events change the view
 * while an answer is on its way the query is repeated (3 tries, then the last answer is
 * applied with the conference left unsynced). Call it after joining a conference as an
 * invitee, or whenever a snapshot says `synced` is false.
 *
 * `extra_ids` (may be NULL when `count` is 0) is borrowed for the call; `call` may be
 * NULL. Returns `CCGW_OK` (also when the view is empty: nothing is sent);
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (a negative id); `CCGW_E_NOT_SIGNED_IN`;
 * transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors as
 * `ccgw_query_conf_infos`; `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. On
 * failure the view is unchanged. Blocks for one request per 20 conferences (more on
 * retries). Thread-safe.
 */
CCGW_API
ccgw_status ccgw_conf_view_resync(struct ccgw_session *session,
                                  const int64_t *extra_ids,
                                  size_t count,
                                  const struct ccgw_call_options *call);

/**
 * Invites participants in one batch, as `ccgw_batch_add_participant`, and tracks what
 * each invitee does: joined, failed (rejected, busy, no answer, unreachable, with the
 * gateway's result code), released before answering, no answer by `deadline_ms` from now,
 * or the conference ended first. The outcomes are read from the chair's
 * `AgentConf_ParticipantChanged` events, matched by address and address type as the
 * gateway writes them; the event pump must run (`ccgw_events_start`) for them to arrive.
 *
 * Use it blocking (`ccgw_invite_tracker_wait`, then `ccgw_invite_tracker_results`) or from
 * the event stream: tracking takes no event from the application; after the event that
 * settles an invitee the queue (or callback) gets a library event
 * `CCGW_EVENT_INVITE_OUTCOME` (`tracker_id`, `participant`, `participant_type`, `outcome`,
 * `result`, `change_reason`), and `CCGW_EVENT_INVITES_SETTLED` when none is pending (at
 * the latest at the deadline). The tracker is registered before the request is sent, so
 * no event can slip past it.
 *
 * Checked first: everything `ccgw_batch_add_participant` checks, and `deadline_ms` > 0; a
 * violation sends nothing. On `CCGW_OK`, `*out` receives the tracker (free with
 * `ccgw_invite_tracker_free`); on failure NULL (no tracker: the invitation may or may not
 * have gone out when the outcome is unknown, e.g. `CCGW_E_RESPONSE_TIMEOUT`). Returns
 * what `ccgw_batch_add_participant` returns. Blocks until the gateway's answer (not the
 * invitees'). Thread-safe.
 */
CCGW_API
ccgw_status ccgw_batch_add_participant_tracked(struct ccgw_session *session,
                                               const struct ccgw_batch_add_request *req,
                                               uint32_t deadline_ms,
                                               const struct ccgw_call_options *call,
                                               struct ccgw_invite_tracker **out);

/**
 * Waits until no invitee is pending (the deadline settles the rest as
 * `CCGW_INVITE_NO_ANSWER`, so waiting past it always ends), at most `timeout_ms`
 * (`CCGW_WAIT_FOREVER`: until then).
 *
 * Returns `CCGW_OK` (every invitee settled), `CCGW_E_TIMEOUT` (`timeout_ms` passed first),
 * `CCGW_E_CLOSED` (the session was closed; outcomes so far stay readable),
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_ARGUMENT` (not a live tracker),
 * `CCGW_E_WRONG_THREAD` (on a library runtime thread). Blocks up to `timeout_ms`.
 * Thread-safe.
 */
CCGW_API
ccgw_status ccgw_invite_tracker_wait(const struct ccgw_invite_tracker *tracker,
                                     uint32_t timeout_ms);

/**
 * A consistent copy of the tracker's outcomes so far. On `CCGW_OK`, `*out` receives it
 * (free with `ccgw_invite_results_free`). Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`,
 * `CCGW_E_INVALID_ARGUMENT`. Does not block. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_invite_tracker_results(const struct ccgw_invite_tracker *tracker,
                                        struct ccgw_invite_results **out);

/**
 * Frees a results copy. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_invite_results_free(struct ccgw_invite_results *results);

/**
 * The tracker's id (as in its events), or 0 for NULL. Does not block. Thread-safe.
 */
CCGW_API uint64_t ccgw_invite_tracker_id(const struct ccgw_invite_tracker *tracker);

/**
 * Frees a tracker: it stops tracking (no more of its library events; a thread waiting in
 * `ccgw_invite_tracker_wait` must have returned). NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_invite_tracker_free(struct ccgw_invite_tracker *tracker);

/**
 * Fills `*opts` with the defaults of `version` (pass `CCGW_EVENTS_OPTIONS_VERSION`): every
 * field 0, meaning its default. Writes only the fields `version` has, so a program built
 * against an older header passes its own (older) version and struct.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_events_options_init(struct ccgw_events_options *opts, uint32_t version);

/**
 * Starts the session's event pump: one `GET agentevent/{agentid}` outstanding at all
 * times (log name `getAgentEvent`), the next poll at once after an event and
 * `poll_interval_ms` after an empty answer. This is also the agent's keep-alive (without
 * polls the gateway signs the agent out after 2 minutes) and, in dynamic
 * authentication, where the rotating Guid arrives. Call it right after sign-in. Events
 * go to the session's queue (`ccgw_events_next`) or to a registered callback; they are
 * queued from the start, so none is missed whichever you set up later.
 *
 * Failed polls are retried with bounded backoff (with jitter: each pause is drawn from
 * the upper half of 250 ms, 500 ms, 1 s, ... up to `backoff_max_ms`) and reported as
 * `CCGW_EVENT_PUMP_ERROR` events; a poll that failed after it was sent is a gap
 * (`CCGW_EVENT_EVENTS_LOST`, reported once polls work again). A single "not signed in"
 * (`100-006`, `100-008`, `000-003`) is re-checked by polling again at once (a request a
 * balancer misrouted), and one answered to a Guid that rotated while the poll was out is
 * simply polled again with the new one. When the gateway says the session is gone
 * (`CCGW_EVENT_SESSION_LOST`) the pump signs in again if the sign-in set
 * `auto_resign_in`; otherwise, or on a lasting failure or an outage longer than
 * `max_outage_ms` (without `auto_resign_in`), it stops with one `CCGW_EVENT_PUMP_STOPPED`
 * whose status names the reason, and `ccgw_events_status` returns it.
 *
 * `opts` may be NULL (defaults) and is read during the call only. Returns `CCGW_OK`,
 * `CCGW_E_NULL_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_NOT_SIGNED_IN` (no Guid),
 * `CCGW_E_BUSY` (already running), `CCGW_E_CLOSED`, `CCGW_E_FORKED`. Does not block.
 * Thread-safe.
 */
CCGW_API
ccgw_status ccgw_events_start(struct ccgw_session *session,
                              const struct ccgw_events_options *opts);

/**
 * Stops the event pump: the outstanding poll is cancelled at once, not waited out;
 * returns when the pump has ended. Events already queued stay and can still be taken.
 * Idempotent. `ccgw_session_sign_out` stops the pump itself.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_WRONG_THREAD`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_events_stop(struct ccgw_session *session);

/**
 * Takes the session's next event into `*out` (free it with `ccgw_event_free`), waiting up
 * to `timeout_ms` (0: do not wait; `CCGW_WAIT_FOREVER`: no limit). Each event goes to
 * exactly one caller, in arrival order. A callback registered with
 * `ccgw_events_set_callback` takes events from the same queue: use one or the other.
 *
 * Returns `CCGW_OK` (an event), `CCGW_E_TIMEOUT` (none arrived in time), `CCGW_E_CLOSED`
 * (the session is closed and every queued event has been taken), `CCGW_E_NULL_ARGUMENT`,
 * `CCGW_E_WRONG_THREAD` (on a library runtime thread or in the log callback). `*out` is
 * NULL unless `CCGW_OK`. Blocks up to `timeout_ms`; `ccgw_session_close` wakes it.
 * Thread-safe.
 */
CCGW_API
ccgw_status ccgw_events_next(struct ccgw_session *session,
                             uint32_t timeout_ms,
                             struct ccgw_event **out);

/**
 * Frees an event from `ccgw_events_next`. NULL is ignored; never free one twice, and
 * never free the event a callback receives.
 */
CCGW_API void ccgw_event_free(struct ccgw_event *event);

/**
 * Delivers the session's events to `callback`, in order, on the library's callback
 * pool: a few threads shared by every session's callback (`ccgw_dispatch_options`;
 * default 4, started as events arrive, ended once no callback is registered in the
 * process), never a runtime thread, never the registering
 * thread. One session's events arrive one at a time, in queue order, never two of its
 * callbacks at once; different sessions' callbacks run in parallel on different pool
 * threads (a thread serves another session after 32 events of one). Events queued
 * before registration are delivered first. The event pointer is valid during the call
 * only. `userdata` is used from pool threads; `userdata_free` (may be NULL) is called
 * once when the callback is replaced or unregistered, or the session is freed.
 *
 * The callback may call any ccgw function, blocking ones included (on its own session
 * too: a request, `ccgw_session_sign_out`, unregistering itself; freeing another
 * session), except `ccgw_session_free` of its own session. It should return quickly:
 * while it blocks, its pool thread serves no other session. When every pool thread has
 * been inside one callback for `stall_ms` (100 ms) while other sessions' events wait, a
 * watchdog adds a thread (up to `max_threads`, 64; the extra threads end after `idle_ms`
 * idle), so callbacks that wait for one another cannot deadlock the pool. SIGPIPE keeps
 * the host's disposition on pool threads.
 *
 * A NULL `callback` unregisters: the call waits for a running callback to return, then
 * calls the old `userdata_free`. From inside the callback itself, unregistering (or
 * replacing) takes effect when the callback returns (and `userdata_free` then runs on
 * the pool thread). `ccgw_global_shutdown` ends the pool's threads.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_FORKED`. On any failure the new
 * `userdata_free` has already been called. Blocks only while a callback being replaced
 * runs on another thread. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_events_set_callback(struct ccgw_session *session,
                                     ccgw_event_callback callback,
                                     void *userdata,
                                     ccgw_userdata_free userdata_free);

/**
 * Fills `*opts` with the defaults of `version` (pass `CCGW_DISPATCH_OPTIONS_VERSION`):
 * every field 0, meaning its default.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
 * nothing. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_dispatch_options_init(struct ccgw_dispatch_options *opts,
                                       uint32_t version);

/**
 * Sets the callback pool's options (`opts` NULL: the defaults), for the whole process.
 * Best called once at start-up, but they apply at any time, at once: a larger `threads`
 * lets the pool grow as events arrive; with a smaller one, the threads above it end
 * after `idle_ms` without work (a callback running is never interrupted). They stay
 * through `ccgw_global_shutdown`. `opts` is read during the call only.
 *
 * Returns `CCGW_OK`, `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_OUT_OF_RANGE` (a field above
 * its maximum, or `max_threads` below `threads`; nothing changed), `CCGW_E_FORKED`.
 * Blocks on nothing. Thread-safe; may be called from inside a callback.
 */
CCGW_API ccgw_status ccgw_global_set_dispatch_options(const struct ccgw_dispatch_options *opts);

/**
 * Writes the callback pool's options in effect (defaults resolved) into `*out`, whose
 * `version` must be set (`ccgw_dispatch_options_init`); only that version's fields are
 * written.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
 * nothing. Thread-safe.
 */
CCGW_API ccgw_status ccgw_global_get_dispatch_options(struct ccgw_dispatch_options *out);

/**
 * The pump's state: `CCGW_OK` while it runs or after it was stopped on request, or the
 * status of the lasting failure that stopped it (the same as in its
 * `CCGW_EVENT_PUMP_STOPPED` event), e.g. `CCGW_E_GW_NOT_SIGNED_IN`. `CCGW_E_NULL_ARGUMENT`
 * for a NULL session. Does not block. Thread-safe.
 */
CCGW_API ccgw_status ccgw_events_status(const struct ccgw_session *session);

/**
 * Whether the event pump is running. False for a NULL session. Does not block. Thread-safe.
 */
CCGW_API bool ccgw_events_running(const struct ccgw_session *session);

/**
 * Fetches a snapshot of the agent's state for resynchronisation after a gap in the event
 * stream (a `CCGW_EVENT_EVENTS_LOST`): its CTI status (`agentstatus`), its calls, held
 * (`holdlist`) and current (`callinfo`), with their call ids, and the conferences it is a
 * participant of, with their participants (`queryconfinfos` for the ids the live view
 * knows plus, for an inspector, `queryvdnconfid`). A part that fails is marked by its
 * status and left empty; the others are still filled. The live conference view
 * (`ccgw_conf_view`) is reconciled from the answer. The event pump does the same by
 * itself after a gap with `resync_after_gap` set, delivering a `CCGW_EVENT_SNAPSHOT`.
 *
 * `call` may be NULL. `*out` receives the snapshot (free with `ccgw_snapshot_free`; NULL
 * on failure). Returns `CCGW_OK` (whatever its parts' statuses), `CCGW_E_NULL_ARGUMENT`,
 * `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_NOT_SIGNED_IN` (no Guid; nothing sent),
 * `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`, `CCGW_E_FORKED`. Blocks for
 * its requests, one after the other, each within the request timeout: four, plus one
 * `queryconfinfos` per 20 conference ids (at most 100 for the 2,000 ids accepted).
 * Thread-safe.
 */
CCGW_API
ccgw_status ccgw_session_snapshot(struct ccgw_session *session,
                                  const struct ccgw_call_options *call,
                                  struct ccgw_snapshot **out);

/**
 * Frees a snapshot from `ccgw_session_snapshot`. NULL is ignored; never free one twice,
 * and never free the one an event carries.
 */
CCGW_API void ccgw_snapshot_free(struct ccgw_snapshot *snapshot);

/**
 * Fills `*opts` with the defaults of `version` (pass `CCGW_SESSION_OPTIONS_VERSION`):
 * no URLs, no agent, system trust store, verification on, default timeouts, dynamic auth;
 * (version 2) no pin, cookies on, no proxy; (version 3) the fail-over defaults
 * (`CCGW_DEFAULT_SWITCHOVER_WAIT_MS` and the others). Writes only the fields `version`
 * has, so a program built against an older header passes its own (older) version and
 * struct.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
 * nothing; thread-safe.
 */
CCGW_API ccgw_status ccgw_session_options_init(struct ccgw_session_options *opts, uint32_t version);

/**
 * Fills `*opts` with the defaults of `version` (pass `CCGW_SIGN_IN_OPTIONS_VERSION`):
 * every field unset, `force` (and in version 2 `auto_resign_in`, `allow_forced_resign_in`) false.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_sign_in_options_init(struct ccgw_sign_in_options *opts, uint32_t version);

/**
 * Fills `*opts` with the defaults of `version` (pass `CCGW_CALL_OPTIONS_VERSION`): the
 * session's timeout, no cancellation token.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
 */
CCGW_API ccgw_status ccgw_call_options_init(struct ccgw_call_options *opts, uint32_t version);

/**
 * Creates a session in `*out` from `opts`. Validates every option (agent id range, URLs,
 * CA) and prepares TLS; sends nothing. Free the session with `ccgw_session_free`.
 *
 * Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_INVALID_ARGUMENT`
 * (bad URL or CA), `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (agent id, auth mode),
 * `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_TLS` (no usable system trust store), `CCGW_E_FORKED`.
 * A pin (`pinned_sha256`, `pinned_cert_file`) that cannot be read, or one given together
 * with a CA, is `CCGW_E_INVALID_ARGUMENT`.
 * `*out` is NULL on failure. Blocks only to read `ca_file` (a regular file: never on a
 * FIFO or device). Thread-safe.
 */
CCGW_API
ccgw_status ccgw_session_new(const struct ccgw_session_options *opts,
                             struct ccgw_session **out);

/**
 * Signs the agent in (`PUT onlineagent/{agentid}`, log name `login`) and stores the Guid
 * from the answer's `Set-GUID`. With `opts->force`, a `100-002` answer (already signed in)
 * is followed by forced sign-in (`forcelogin`). Start the event pump right after: without
 * polls the gateway signs the agent out after 2 minutes.
 *
 * `opts` is borrowed (mandatory; its strings for the duration of the call). `result` may
 * be NULL; otherwise `*result` receives the gateway's sign-in details, to free with
 * `ccgw_sign_in_result_free` (NULL on failure). `call` may be NULL.
 *
 * Returns `CCGW_OK`; argument errors (`CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_MISSING_ARGUMENT`,
 * `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`) with nothing sent; transport
 * errors (`CCGW_E_CONNECT`, `CCGW_E_TLS`, ..., `CCGW_E_RESPONSE_TIMEOUT`,
 * `CCGW_E_HTTP_STATUS`, a redirect included: never followed; `CCGW_E_GATEWAY_UNAVAILABLE`,
 * `CCGW_E_BAD_GATEWAY` once every base URL was tried, see FAIL-OVER); gateway errors
 * (`CCGW_E_GW_WRONG_CREDENTIALS`, `CCGW_E_GW_ALREADY_SIGNED_IN` without `force`,
 * `CCGW_E_GW_SIGNIN_IN_PROGRESS`, ...); `CCGW_E_MALFORMED_RESPONSE` when the gateway
 * accepted the sign-in but its answer carries no usable Guid (`Set-GUID` absent, empty,
 * over 256 bytes, with a space or control character, or not printable ASCII; the message
 * says which, never the value) or is not the envelope; `CCGW_E_CLOSED`,
 * `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`, `CCGW_E_FORKED`.
 *
 * The session's Guid and the status agree: on `CCGW_OK` the session holds the Guid of
 * this sign-in. On `CCGW_E_MALFORMED_RESPONSE` it holds none (an earlier one is dropped:
 * the gateway may have signed the agent in anew, which ends it), and the message says the
 * agent may be signed in at the gateway; recover with a forced sign-in. On any other
 * failure the Guid is as it was. `Set-GUID` is read only from 2xx answers.
 *
 * With `opts->auto_resign_in` (version 2) the request is kept, wiped at sign-out, close
 * and free, for the event pump to sign in again when the gateway says the session is
 * gone; a sign-in without it wipes any request kept before.
 *
 * Goes to the primary (`base_url`) unless it failed within `failback_after_ms`, and on
 * to the other base URLs as FAIL-OVER at the top of this header says.
 *
 * Blocks until the gateway answers or the request timeout passes (twice that with a
 * forced sign-in), retries and pauses included. Thread-safe, but sign in from one thread
 * at a time.
 */
CCGW_API
ccgw_status ccgw_session_sign_in(struct ccgw_session *session,
                                 const struct ccgw_sign_in_options *opts,
                                 const struct ccgw_call_options *call,
                                 struct ccgw_sign_in_result **result);

/**
 * Frees a sign-in result. NULL is ignored; never free one twice.
 */
CCGW_API void ccgw_sign_in_result_free(struct ccgw_sign_in_result *result);

/**
 * Signs the agent out (`DELETE onlineagent/{agentid}/logout`, log name `logout`), after
 * stopping the event pump. The session's Guid is forgotten when the gateway confirms, or
 * answers that the agent was not or no longer signed in (`CCGW_E_GW_NOT_SIGNED_IN`,
 * `CCGW_E_GW_ALREADY_SIGNED_OUT`, still returned). An agent in a call is not signed out
 * (`CCGW_E_GW_SIGNOUT_STATE`).
 *
 * Returns `CCGW_OK`, `CCGW_E_NOT_SIGNED_IN` (no Guid; nothing sent), transport and
 * gateway errors, `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
 * With `auto_resign_in`, a sign-in again whose outcome is unknown (its answer lost, or
 * cut short by this sign-out) may have signed the agent in while the session has no Guid:
 * then `CCGW_E_NOT_SIGNED_IN`'s message says the agent may still be signed in (the
 * gateway signs it out after 2 minutes without an event poll; a forced sign-in and a
 * sign-out end it at once).
 * Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_session_sign_out(struct ccgw_session *session,
                                  const struct ccgw_call_options *call);

/**
 * Asks the gateway for a fresh Guid (`PUT onlineagent/{agentid}/updateGuid`) and stores
 * it: the answer's `Set-GUID`, or its `result.guid` when it has no such header (reference
 * §2.4).
 *
 * Returns `CCGW_OK` (the session holds the new Guid), `CCGW_E_NOT_SIGNED_IN`, transport
 * and gateway errors, `CCGW_E_MALFORMED_RESPONSE` (no usable Guid in the answer; the
 * message says why), `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. On any
 * failure the session keeps the Guid it had. Blocks until the answer or the request
 * timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_session_update_guid(struct ccgw_session *session,
                                     const struct ccgw_call_options *call);

/**
 * Attaches a Guid obtained elsewhere (an application that signs the agent in by other
 * means), replacing the session's. `guid` is borrowed and copied; it must be printable
 * ASCII, at most 256 bytes.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
 * `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_CLOSED`.
 * Blocks on nothing. Thread-safe.
 */
CCGW_API ccgw_status ccgw_session_set_guid(struct ccgw_session *session, const char *guid);

/**
 * Copies the current Guid into `*out` (an owned string; free it with `ccgw_string_free`,
 * which also wipes it). Treat it as a secret: it authenticates the agent.
 *
 * Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_NOT_SIGNED_IN` (no Guid), or
 * `CCGW_E_CLOSED` (the session is closed: `ccgw_session_close` wipes the Guid, so take
 * it before closing if another process is to use it); `*out` is NULL on failure.
 * Blocks on nothing. Thread-safe; the Guid may change right after (rotation).
 */
CCGW_API ccgw_status ccgw_session_get_guid(const struct ccgw_session *session, char **out);

/**
 * The session's agent id (borrowed from the session: valid until `ccgw_session_free`;
 * do not free it). NULL when `session` is NULL or not a live session.
 *
 * Blocks on nothing. Thread-safe.
 */
CCGW_API const char *ccgw_session_agent_id(const struct ccgw_session *session);

/**
 * Closes the session: every call in progress on it returns `CCGW_E_CLOSED` promptly, the
 * event pump ends, `ccgw_events_next` hands out what is queued and then returns
 * `CCGW_E_CLOSED`, later calls return `CCGW_E_CLOSED` (`ccgw_session_get_guid`
 * included: the Guid is wiped here). It does not sign the agent out (call
 * `ccgw_session_sign_out` first for that). Idempotent.
 *
 * Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing. Thread-safe: may race
 * with any call on the session (but not with `ccgw_session_free`).
 */
CCGW_API ccgw_status ccgw_session_close(struct ccgw_session *session);

/**
 * Closes (if needed) and frees the session: stops the event pump (cancelling its poll),
 * unregisters the event callback after a running callback returns (calling its
 * `userdata_free`), and wipes the Guid from memory. Queued events are discarded. NULL is
 * ignored. No other thread may be using the session or start using it, and a session's
 * own event callback must not free it; free it exactly once. Blocks only for the pump and
 * a running callback to finish.
 *
 * In a process forked after the library started its threads, it does nothing (quietly,
 * joining no thread): the session stays allocated in the child.
 */
CCGW_API void ccgw_session_free(struct ccgw_session *session);

/**
 * Any gateway interface through the session's Guid, TLS, timeouts and error mapping:
 * `method` is `GET`, `POST`, `PUT` or `DELETE`; `path` is relative to
 * `/agentgateway/resource/` and may contain `{agentid}` (replaced by the session's agent
 * id), e.g. `"agentconf/{agentid}/requestagentconf"`, `"voicecall/{agentid}/callout"`
 * or `"voicecall/{agentid}/gethold?callid=1455885056-1095"`; `json_body` is a JSON
 * document, checked and sent as given, or NULL for none. The session's Guid is sent when
 * it has one. On `CCGW_OK`,
 * `*json_out` receives the whole answer as JSON (free it with `ccgw_string_free`); on
 * failure it is NULL and the retcode is in the last error.
 *
 * The path never leaves the gateway: it is split into segments appended to the resource
 * root (never resolved as a URL reference), and the URL built is checked to have the
 * gateway's scheme, host and port and to lie below `/agentgateway/resource/`. Each
 * segment must be non-empty, not `.` or `..`, and hold only ASCII letters, digits and
 * `-._~!$&'()*+,=` (no `%`: nothing is percent-encoded or decoded in a path; no `:`,
 * at signs, `;`, backslashes, braces, spaces, control or non-ASCII characters). After `?`, the query
 * may hold anything but spaces, control characters and `#` (non-ASCII is sent
 * percent-encoded as UTF-8). Anything else is refused before sending; the message names
 * the character and the segment's position, never the path.
 *
 * Returns `CCGW_OK`, argument errors (`CCGW_E_INVALID_ARGUMENT`: bad method, a path as
 * above, invalid JSON; `CCGW_E_TOO_LONG`: a path over 2048 bytes; nothing sent),
 * transport and gateway errors, `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
 * `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
 */
CCGW_API
ccgw_status ccgw_session_request(struct ccgw_session *session,
                                 const char *method,
                                 const char *path,
                                 const char *json_body,
                                 const struct ccgw_call_options *call,
                                 char **json_out);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* CCGW_H */
