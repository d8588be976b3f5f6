//! Status codes: one stable numbering for every outcome of a ccgw call.
//!
//! * `0` is success.
//! * `1..=99`: the caller's arguments (nothing was sent).
//! * `100..=199`: transport (connect, TLS, timeouts, HTTP, malformed answers).
//! * `200..=299`: session and process state (closed, cancelled, wrong thread, fork).
//! * `900..=999`: the library itself (panic, internal error).
//! * `1000`: a gateway retcode of no recognised form (its text is in the last error).
//! * `1_000_000 + FFF*1000 + NNN`: gateway retcode `FFF-NNN` (`101-002` is `1_101_002`).
//!   Documented retcodes have named constants; undocumented ones of this form keep the
//!   same mechanical number, so a code never changes when it later gets a name.
//! * `2_000_000 + N`: gateway retcode that is a plain number `N` (`10001` is `2_010_001`).
//!
//! Numbers are never reused or renumbered.

#![allow(non_camel_case_types)]

/// Result of every fallible ccgw function: `CCGW_OK` (0) or one of the `CCGW_E_*` codes.
pub type ccgw_status = i32;

/// Success.
pub const CCGW_OK: ccgw_status = 0;

/// A pointer argument that must not be NULL was NULL.
pub const CCGW_E_NULL_ARGUMENT: ccgw_status = 1;
/// A string argument is not valid UTF-8 (it is never repaired).
pub const CCGW_E_INVALID_UTF8: ccgw_status = 2;
/// An argument has a value the operation cannot take (malformed URL, bad JSON, ...).
pub const CCGW_E_INVALID_ARGUMENT: ccgw_status = 3;
/// A mandatory argument is missing, empty or blank.
pub const CCGW_E_MISSING_ARGUMENT: ccgw_status = 4;
/// A string argument is longer than the interface allows.
pub const CCGW_E_TOO_LONG: ccgw_status = 5;
/// A numeric argument is outside the range the interface allows.
pub const CCGW_E_OUT_OF_RANGE: ccgw_status = 6;
/// An array argument has more entries than the interface allows.
pub const CCGW_E_TOO_MANY: ccgw_status = 7;
/// An options or request struct carries a `version` this library does not know.
pub const CCGW_E_UNSUPPORTED_VERSION: ccgw_status = 8;

/// Could not connect to the gateway (refused, unreachable, name not resolved). Nothing was sent.
pub const CCGW_E_CONNECT: ccgw_status = 100;
/// The TLS handshake failed, typically because the gateway's certificate did not verify
/// (the message says why and what to do: see TLS at the top of this header). Nothing was sent.
pub const CCGW_E_TLS: ccgw_status = 101;
/// Connecting took longer than the connect timeout. Nothing was sent.
pub const CCGW_E_CONNECT_TIMEOUT: ccgw_status = 102;
/// The request was sent but no complete answer came within the request timeout: the
/// outcome is unknown (the gateway may have carried it out).
pub const CCGW_E_RESPONSE_TIMEOUT: ccgw_status = 103;
/// The connection failed after the request was sent (reset, or closed before the answer's
/// head was complete): the outcome is unknown. This includes an operation whose kept-alive
/// connection was closed as it went out (a front end's idle close crossing it): it is not
/// sent again, since a gateway that received it and failed looks the same. (A read, GET,
/// meeting such a close is sent once more instead; see `CCGW_E_NOT_SENT`.)
pub const CCGW_E_CONNECTION_LOST: ccgw_status = 104;
/// The gateway (or a proxy) answered with a non-2xx HTTP status; see `ccgw_last_error_http_status`.
/// A redirect (3xx) is one of these: it is never followed, and the message names only the
/// target's origin (scheme, host, port). HTTP 503, 502 and 504 answered before any
/// gateway envelope have statuses of their own (`CCGW_E_GATEWAY_UNAVAILABLE`,
/// `CCGW_E_BAD_GATEWAY`). The outcome is unknown (`CCGW_OUTCOME_MAY_HAVE_RUN`): a front
/// end's 4xx usually means the gateway never saw the request, a 500 may come after it acted.
pub const CCGW_E_HTTP_STATUS: ccgw_status = 105;
/// The answer is not the gateway's JSON envelope (invalid JSON, no `retcode`, a retcode
/// outside its documented shapes `NNN-NNN` and 1-6 digits, wrong shape), its head is not
/// HTTP (garbage status line or header, a head over hyper's limits; the outcome is then
/// unknown), or an answer that had to carry a Guid carried none usable (sign-in,
/// `updateGuid`).
pub const CCGW_E_MALFORMED_RESPONSE: ccgw_status = 106;
/// The answer is not JSON at all (for example a proxy's HTML page) and says so in its `Content-Type`.
pub const CCGW_E_UNEXPECTED_CONTENT_TYPE: ccgw_status = 107;
/// The answer ended before its announced length: the outcome is unknown.
pub const CCGW_E_TRUNCATED_RESPONSE: ccgw_status = 108;
/// The forward proxy (`proxy_url`, or the environment's when opted in) could not be
/// reached, or refused to open a tunnel to the gateway (its answer to `CONNECT` was not
/// 2xx: a policy refusal, or the proxy cannot reach the gateway). Nothing was sent to the
/// gateway.
pub const CCGW_E_PROXY: ccgw_status = 109;
/// The forward proxy requires credentials (`407 Proxy Authentication Required`), or
/// refused the ones given (`proxy_username`, `proxy_password`). Nothing was sent to the
/// gateway.
pub const CCGW_E_PROXY_AUTH: ccgw_status = 110;
/// The request did not reach the gateway: the request was given up before it was written
/// (its connection closed first), or a read (GET) whose kept-alive connection had been
/// closed (orderly, FIN) before any answer could not be sent once more (no connection, or
/// no time left). Nothing was carried out; safe to call again. Compare
/// `CCGW_E_CONNECTION_LOST`, where the request may have been carried out.
pub const CCGW_E_NOT_SENT: ccgw_status = 111;
/// HTTP 503 (Service Unavailable) answered before any gateway envelope (the body is not
/// the gateway's JSON `{retcode, ...}`): a front end or the gateway's container refused the
/// request, so nothing was carried out; the caller may call again. Sign-in and reads
/// (GET) meeting it have already been tried on the other base URLs (see FAIL-OVER at the
/// top of this header); after an operation meets it the session points at the next base
/// URL, so a retry goes there. `ccgw_last_error_http_status` is 503.
pub const CCGW_E_GATEWAY_UNAVAILABLE: ccgw_status = 112;
/// HTTP 502 (Bad Gateway) or 504 (Gateway Timeout) answered before any gateway envelope:
/// a front end lost the gateway while it held the request, which the gateway may have
/// carried out (the outcome is unknown). Sign-in and reads were tried on the other base
/// URLs; an operation is never sent again by the library, and the session then points
/// at the next base URL. `ccgw_last_error_http_status` says which.
pub const CCGW_E_BAD_GATEWAY: ccgw_status = 113;

/// The operation needs a Guid and the session has none: sign in (or attach a Guid) first. Nothing was sent.
pub const CCGW_E_NOT_SIGNED_IN: ccgw_status = 200;
/// The session was closed (`ccgw_session_close`), before or during the call.
pub const CCGW_E_CLOSED: ccgw_status = 201;
/// The call was cancelled through its `ccgw_cancel` token.
pub const CCGW_E_CANCELLED: ccgw_status = 202;
/// A blocking function was called on a thread where it must not block (a library runtime
/// thread, for example from inside a log callback) or cannot (a thread-local destructor
/// at thread exit, after the runtime's thread state is gone).
pub const CCGW_E_WRONG_THREAD: ccgw_status = 203;
/// The process forked after the library started its runtime; the child cannot use it.
/// Every call in the child that returns a status returns this; the free functions do
/// nothing there, so a child may exit without touching the parent's state.
pub const CCGW_E_FORKED: ccgw_status = 204;
/// Waiting ended at its timeout without a result (for example no event arrived).
pub const CCGW_E_TIMEOUT: ccgw_status = 205;
/// The object is busy in a way that refuses this call (for example events already started,
/// or sessions still alive at global shutdown).
pub const CCGW_E_BUSY: ccgw_status = 206;

// Session and pump statuses of the high-availability work (207-219): why the event pump
// stopped (`ccgw_events_status`, the `CCGW_EVENT_PUMP_STOPPED` event) and how staying signed
// in (`auto_resign_in`) ended. The underlying status is the event's `cause_status`.

/// The gateway no longer knows the session: a poll was answered `100-006`, `100-008` or
/// `000-003` with the session's current Guid (not one that rotated while the poll was out),
/// and the poll sent again at once to re-check got the same answer (reference §2.2, §2.3).
pub const CCGW_E_SESSION_LOST: ccgw_status = 207;
/// The gateway signed the agent out: `AgentOther_ShutdownService` arrived without this
/// session having signed out (reference §3.2).
pub const CCGW_E_SESSION_SHUT_DOWN: ccgw_status = 208;
/// The gateway's disaster recovery asks for a new sign-in: `105-005` (recovery wait timed
/// out), `105-006` (Guid mismatch), `105-007` (recovery off), `105-001` (the agent is not in
/// the recovery cache) or `105-004` (it could not be queued for recovery) (reference §8.2).
/// `105-002` (recovery in progress) and `105-003` (recovery finished) are passing states
/// the pump polls through with backoff.
pub const CCGW_E_SESSION_DR_SIGN_IN_AGAIN: ccgw_status = 209;
/// After a fail-over to another base URL, the new node does not know the session's Guid
/// (a poll there answered `100-006` / `000-003`).
pub const CCGW_E_SESSION_FAILOVER: ccgw_status = 210;
/// Polls kept failing for longer than `max_outage_ms` (without `auto_resign_in`).
pub const CCGW_E_PUMP_OUTAGE: ccgw_status = 211;
/// Signing in again (`auto_resign_in`) was refused for good: wrong credentials (`100-004`),
/// a locked account, the agent signed in elsewhere without forced re-sign-in allowed
/// (`100-002`), or another refusal no retry cures.
pub const CCGW_E_RESIGN_IN_FAILED: ccgw_status = 212;
/// Polling met a failure that neither a retry nor a new sign-in cures (TLS verification,
/// `000-001` wrong event method, an invalid argument).
pub const CCGW_E_PUMP_FAILED: ccgw_status = 213;

/// A Rust panic was caught at the C boundary; the message is in the last error.
pub const CCGW_E_PANIC: ccgw_status = 900;
/// An internal error that should not happen; the message is in the last error.
pub const CCGW_E_INTERNAL: ccgw_status = 901;

/// The gateway answered a non-zero `retcode` that maps to no numbered status (a plain
/// number of zeros such as `00`); `ccgw_last_error_retcode` has it. A retcode outside the
/// documented shapes is `CCGW_E_MALFORMED_RESPONSE` instead.
pub const CCGW_E_GATEWAY: ccgw_status = 1000;

/// Base of the gateway retcode range: `FFF-NNN` maps to `CCGW_E_GW_BASE + FFF*1000 + NNN`.
pub const CCGW_E_GW_BASE: ccgw_status = 1_000_000;
/// Base of plain numeric gateway retcodes: `N` maps to `CCGW_E_GW_NUMERIC_BASE + N`.
pub const CCGW_E_GW_NUMERIC_BASE: ccgw_status = 2_000_000;

/// Gateway `000-001`: wrong method for getting agent events.
pub const CCGW_E_GW_WRONG_EVENT_METHOD: ccgw_status = 1_000_001;
/// Gateway `000-002`: a parameter or address in the URL is wrong, or an interface parameter is invalid.
pub const CCGW_E_GW_INVALID_PARAMETER: ccgw_status = 1_000_002;
/// Gateway `000-003`: no right to call the interface; the Guid may have expired.
pub const CCGW_E_GW_NO_RIGHT: ccgw_status = 1_000_003;
/// Gateway `000-004`: the agent is being switched over (disaster recovery).
pub const CCGW_E_GW_SWITCHOVER: ccgw_status = 1_000_004;
/// Gateway `000-005`: the agent to be inspected is the inspector itself.
pub const CCGW_E_GW_INSPECT_SELF: ccgw_status = 1_000_005;
/// Gateway `000-006`: message parameter error.
pub const CCGW_E_GW_MESSAGE_PARAMETER: ccgw_status = 1_000_006;
/// Gateway `000-007`: the interface is being called repeatedly (an identical request is pending).
pub const CCGW_E_GW_REPEATED_CALL: ccgw_status = 1_000_007;

/// Gateway `100-001`: a sign-in parameter is empty or invalid.
pub const CCGW_E_GW_SIGNIN_PARAMETER: ccgw_status = 1_100_001;
/// Gateway `100-002`: the agent has already signed in (forced sign-in takes over).
pub const CCGW_E_GW_ALREADY_SIGNED_IN: ccgw_status = 1_100_002;
/// Gateway `100-003`: the CTI platform's resource or provider is unavailable at sign-in.
pub const CCGW_E_GW_CTI_UNAVAILABLE: ccgw_status = 1_100_003;
/// Gateway `100-004`: wrong user name or password.
pub const CCGW_E_GW_WRONG_CREDENTIALS: ccgw_status = 1_100_004;
/// Gateway `100-005`: a sign-out parameter is invalid.
pub const CCGW_E_GW_SIGNOUT_PARAMETER: ccgw_status = 1_100_005;
/// Gateway `100-006`: the agent has not signed in (also a static-mode Guid mismatch).
pub const CCGW_E_GW_NOT_SIGNED_IN: ccgw_status = 1_100_006;
/// Gateway `100-007`: exception while operating for the agent (WAS unreachable, internal error).
pub const CCGW_E_GW_AGENT_EXCEPTION: ccgw_status = 1_100_007;
/// Gateway `100-008`: the agent has already signed out.
pub const CCGW_E_GW_ALREADY_SIGNED_OUT: ccgw_status = 1_100_008;
/// Gateway `100-009`: setting the agent state failed (for example no right).
pub const CCGW_E_GW_SET_STATE_FAILED: ccgw_status = 1_100_009;
/// Gateway `100-010`: the agent's state does not allow signing out (talking or answering).
pub const CCGW_E_GW_SIGNOUT_STATE: ccgw_status = 1_100_010;
/// Gateway `100-011`: invalid sign-in parameter.
pub const CCGW_E_GW_SIGNIN_INVALID: ccgw_status = 1_100_011;
/// Gateway `100-012`: wrong agent type.
pub const CCGW_E_GW_WRONG_AGENT_TYPE: ccgw_status = 1_100_012;
/// Gateway `100-013`: the phone number to bind is invalid.
pub const CCGW_E_GW_PHONE_INVALID: ccgw_status = 1_100_013;
/// Gateway `100-014`: the phone number is outside the configured range.
pub const CCGW_E_GW_PHONE_OUT_OF_RANGE: ccgw_status = 1_100_014;
/// Gateway `100-015`: the agent is signed in and may not be forced out.
pub const CCGW_E_GW_CANNOT_FORCE_OUT: ccgw_status = 1_100_015;
/// Gateway `100-016`: invalid IP address.
pub const CCGW_E_GW_INVALID_IP: ccgw_status = 1_100_016;
/// Gateway `100-017`: uPortal authentication failed.
pub const CCGW_E_GW_UPORTAL_AUTH: ccgw_status = 1_100_017;
/// Gateway `100-018`: the sign-in VDN differs from the playback VDN.
pub const CCGW_E_GW_VDN_MISMATCH: ccgw_status = 1_100_018;
/// Gateway `100-019`: invalid parameter when querying skill queues.
pub const CCGW_E_GW_SKILL_QUERY_PARAMETER: ccgw_status = 1_100_019;
/// Gateway `100-020`: the password has expired.
pub const CCGW_E_GW_PASSWORD_EXPIRED: ccgw_status = 1_100_020;
/// Gateway `100-021`: sign-in is in progress; do not repeat it.
pub const CCGW_E_GW_SIGNIN_IN_PROGRESS: ccgw_status = 1_100_021;

/// Gateway `101-001`: the agent has no conference.
pub const CCGW_E_GW_NO_CONFERENCE: ccgw_status = 1_101_001;
/// Gateway `101-002`: the agent is not the chairperson of the current conference.
pub const CCGW_E_GW_NOT_CHAIRPERSON: ccgw_status = 1_101_002;
/// Gateway `101-003`: the agent is already in a conference.
pub const CCGW_E_GW_ALREADY_IN_CONFERENCE: ccgw_status = 1_101_003;
/// Gateway `101-004`: only an inspector may query the VDN's conferences.
pub const CCGW_E_GW_NOT_INSPECTOR: ccgw_status = 1_101_004;
/// Gateway `101-005`: the chairperson cannot hand the chair to itself.
pub const CCGW_E_GW_CHAIR_TO_SELF: ccgw_status = 1_101_005;
/// Gateway `101-006`: the chairperson cannot remove itself.
pub const CCGW_E_GW_CHAIR_REMOVE_SELF: ccgw_status = 1_101_006;
/// Gateway `101-007`: the chairperson cannot leave the conference (release it instead).
pub const CCGW_E_GW_CHAIR_CANNOT_LEAVE: ccgw_status = 1_101_007;

/// Gateway `105-001`: the agent is not cached for disaster recovery.
pub const CCGW_E_GW_DR_NOT_CACHED: ccgw_status = 1_105_001;
/// Gateway `105-002`: disaster recovery is in progress.
pub const CCGW_E_GW_DR_IN_PROGRESS: ccgw_status = 1_105_002;
/// Gateway `105-003`: disaster recovery has finished.
pub const CCGW_E_GW_DR_FINISHED: ccgw_status = 1_105_003;
/// Gateway `105-004`: could not queue for disaster recovery.
pub const CCGW_E_GW_DR_QUEUE_FAILED: ccgw_status = 1_105_004;
/// Gateway `105-005`: waiting for disaster recovery timed out; sign in again.
pub const CCGW_E_GW_DR_WAIT_TIMEOUT: ccgw_status = 1_105_005;
/// Gateway `105-006`: the Guid does not match during disaster recovery; sign in again.
pub const CCGW_E_GW_DR_GUID_MISMATCH: ccgw_status = 1_105_006;
/// Gateway `105-007`: the disaster-recovery switch is off; sign in again.
pub const CCGW_E_GW_DR_SWITCH_OFF: ccgw_status = 1_105_007;

/// Gateway `106-001`: the multimedia switch is off.
pub const CCGW_E_GW_MULTIMEDIA_OFF: ccgw_status = 1_106_001;
/// Gateway `106-002`: empty message.
pub const CCGW_E_GW_EMPTY_MESSAGE: ccgw_status = 1_106_002;
/// Gateway `106-003`: the session count is above its maximum.
pub const CCGW_E_GW_TOO_MANY_SESSIONS: ccgw_status = 1_106_003;
/// Gateway `106-004`: bad transfer device type.
pub const CCGW_E_GW_BAD_TRANSFER_DEVICE: ccgw_status = 1_106_004;

/// Gateway `110-016`: the account is locked.
pub const CCGW_E_GW_ACCOUNT_LOCKED: ccgw_status = 1_110_016;
/// Gateway `110-021`: the account is locked after too many failed attempts.
pub const CCGW_E_GW_ACCOUNT_LOCKED_ATTEMPTS: ccgw_status = 1_110_021;

/// Gateway `200-001`: wrong outbound number.
pub const CCGW_E_GW_WRONG_NUMBER: ccgw_status = 1_200_001;
/// Gateway `200-002`: answer requested with no call.
pub const CCGW_E_GW_ANSWER_NO_CALL: ccgw_status = 1_200_002;
/// Gateway `200-003`: mute requested with no call.
pub const CCGW_E_GW_MUTE_NO_CALL: ccgw_status = 1_200_003;
/// Gateway `200-004`: mute requested in a wrong call state.
pub const CCGW_E_GW_MUTE_STATE: ccgw_status = 1_200_004;
/// Gateway `200-005`: connect-hold requested with no call.
pub const CCGW_E_GW_CONNECT_HOLD_NO_CALL: ccgw_status = 1_200_005;
/// Gateway `200-006`: connect-hold requested with no held call.
pub const CCGW_E_GW_CONNECT_HOLD_NO_HELD: ccgw_status = 1_200_006;
/// Gateway `200-007`: unmute requested with no call.
pub const CCGW_E_GW_UNMUTE_NO_CALL: ccgw_status = 1_200_007;
/// Gateway `200-008`: unmute requested in a wrong call state.
pub const CCGW_E_GW_UNMUTE_STATE: ccgw_status = 1_200_008;
/// Gateway `200-009`: voice report requested with no call.
pub const CCGW_E_GW_REPORT_NO_CALL: ccgw_status = 1_200_009;
/// Gateway `200-010`: three-party call requested but the agent has no (active) call.
pub const CCGW_E_GW_THREE_PARTY_NO_CALL: ccgw_status = 1_200_010;
/// Gateway `200-011`: three-party call requested but there is no held call.
pub const CCGW_E_GW_THREE_PARTY_NO_HELD_CALL: ccgw_status = 1_200_011;
/// Gateway `200-012`: transfer requested with no call.
pub const CCGW_E_GW_TRANSFER_NO_CALL: ccgw_status = 1_200_012;
/// Gateway `200-013`: hold requested with no call.
pub const CCGW_E_GW_HOLD_NO_CALL: ccgw_status = 1_200_013;
/// Gateway `200-014`: hold requested in a wrong call state.
pub const CCGW_E_GW_HOLD_STATE: ccgw_status = 1_200_014;
/// Gateway `200-015`: unhold requested with no held call.
pub const CCGW_E_GW_UNHOLD_NO_HELD: ccgw_status = 1_200_015;
/// Gateway `200-016`: unhold requested in a wrong call state.
pub const CCGW_E_GW_UNHOLD_STATE: ccgw_status = 1_200_016;
/// Gateway `200-017`: release requested with no call.
pub const CCGW_E_GW_RELEASE_NO_CALL: ccgw_status = 1_200_017;
/// Gateway `200-018`: internal consultation or help requested with no call.
pub const CCGW_E_GW_HELP_NO_CALL: ccgw_status = 1_200_018;
/// Gateway `200-025`: the code the `dropcall` page lists; its meaning is undocumented
/// (reference §11.16; the simulator answers it when the agent has no call with that id).
pub const CCGW_E_GW_DROP_CALL_FAILED: ccgw_status = 1_200_025;

/// Gateway `300-001`: no right to query agents.
pub const CCGW_E_GW_NO_QUERY_RIGHT: ccgw_status = 1_300_001;
/// Gateway `300-002`: no agent information.
pub const CCGW_E_GW_NO_AGENT_INFO: ccgw_status = 1_300_002;
/// Gateway `300-003`: the agent is not in the group information.
pub const CCGW_E_GW_AGENT_NOT_IN_GROUP: ccgw_status = 1_300_003;
/// Gateway `300-004`: no such agent group.
pub const CCGW_E_GW_NO_SUCH_GROUP: ccgw_status = 1_300_004;

/// Gateway `400-001`: setting call data with no call.
pub const CCGW_E_GW_CALLDATA_NO_CALL: ccgw_status = 1_400_001;
/// Gateway `400-002`: no call data to set.
pub const CCGW_E_GW_CALLDATA_EMPTY: ccgw_status = 1_400_002;
/// Gateway `400-003`: held-call list requested with no held call.
pub const CCGW_E_GW_NO_HELD_CALLS: ccgw_status = 1_400_003;

/// Gateway `900-001`: no quality-control provider.
pub const CCGW_E_GW_QC_NO_PROVIDER: ccgw_status = 1_900_001;
/// Gateway `900-002`: no quality-control right.
pub const CCGW_E_GW_QC_NO_RIGHT: ccgw_status = 1_900_002;
/// Gateway `900-003`: quality-control resource unavailable.
pub const CCGW_E_GW_QC_UNAVAILABLE: ccgw_status = 1_900_003;
/// Gateway `900-004`: the monitored agent does not exist.
pub const CCGW_E_GW_QC_NO_AGENT: ccgw_status = 1_900_004;
/// Gateway `900-005`: quality-control state error.
pub const CCGW_E_GW_QC_STATE: ccgw_status = 1_900_005;

/// Gateway `999-001`: invalid WAS URL configuration.
pub const CCGW_E_GW_WAS_URL: ccgw_status = 1_999_001;

// The 104-, 110-, 500- and 600- codes: their meanings as the CC-Gateway result-code page
// (cec_07_1328, 104-001…011) and the Huawei agent web client's result-code constants
// (reference §10 [code-resultcode]: 110-, 500-, 600-) give them; 104-012 as reference
// §8.2 (OBS). 110-013…015 are not published anywhere found: named by number.
/// Gateway `104-001`: the recording download function is not enabled.
pub const CCGW_E_GW_RECORDING_DOWNLOAD_OFF: ccgw_status = 1_104_001;
/// Gateway `104-002`: no right to inspect or play back recordings.
pub const CCGW_E_GW_RECORDING_NO_RIGHT: ccgw_status = 1_104_002;
/// Gateway `104-003`: the recording file name is invalid.
pub const CCGW_E_GW_RECORDING_BAD_FILE_NAME: ccgw_status = 1_104_003;
/// Gateway `104-004`: no drive mapping is configured for recordings.
pub const CCGW_E_GW_RECORDING_NO_DRIVE_MAPPING: ccgw_status = 1_104_004;
/// Gateway `104-005`: the recording file does not exist.
pub const CCGW_E_GW_RECORDING_NO_FILE: ccgw_status = 1_104_005;
/// Gateway `104-006`: not enough free space for the recording file.
pub const CCGW_E_GW_RECORDING_NO_SPACE: ccgw_status = 1_104_006;
/// Gateway `104-007`: the recording file format is not supported.
pub const CCGW_E_GW_RECORDING_FORMAT_UNSUPPORTED: ccgw_status = 1_104_007;
/// Gateway `104-008`: the recording format is not configured.
pub const CCGW_E_GW_RECORDING_FORMAT_UNSET: ccgw_status = 1_104_008;
/// Gateway `104-009`: the recording could not be converted.
pub const CCGW_E_GW_RECORDING_CONVERSION_FAILED: ccgw_status = 1_104_009;
/// Gateway `104-010`: the recording node id (locationId, POOL mode) is not configured.
pub const CCGW_E_GW_RECORDING_NODE_UNSET: ccgw_status = 1_104_010;
/// Gateway `104-011`: the recording file could not be deleted.
pub const CCGW_E_GW_RECORDING_DELETE_FAILED: ccgw_status = 1_104_011;
/// Gateway `104-012`: the recording could not be downloaded from OBS.
pub const CCGW_E_GW_RECORDING_OBS_FAILED: ccgw_status = 1_104_012;
/// Gateway `110-002`: the password could not be changed.
pub const CCGW_E_GW_PASSWORD_CHANGE_FAILED: ccgw_status = 1_110_002;
/// Gateway `110-003`: the old password is wrong.
pub const CCGW_E_GW_OLD_PASSWORD_WRONG: ccgw_status = 1_110_003;
/// Gateway `110-004`: the password could not be queried.
pub const CCGW_E_GW_PASSWORD_QUERY_FAILED: ccgw_status = 1_110_004;
/// Gateway `110-005`: the CTI sign-in information has no password.
pub const CCGW_E_GW_CTI_SIGN_IN_NO_PASSWORD: ccgw_status = 1_110_005;
/// Gateway `110-006`: the password authentication mode of the CTI sign-in information could not be queried.
pub const CCGW_E_GW_CTI_SIGN_IN_AUTH_MODE_FAILED: ccgw_status = 1_110_006;
/// Gateway `110-007`: password authentication for the CTI sign-in information failed.
pub const CCGW_E_GW_CTI_SIGN_IN_AUTH_FAILED: ccgw_status = 1_110_007;
/// Gateway `110-008`: the database query for the CTI sign-in information failed.
pub const CCGW_E_GW_CTI_SIGN_IN_DB_FAILED: ccgw_status = 1_110_008;
/// Gateway `110-009`: no CTI sign-in information is recorded.
pub const CCGW_E_GW_CTI_SIGN_IN_NO_RECORD: ccgw_status = 1_110_009;
/// Gateway `110-010`: the user name could not be queried.
pub const CCGW_E_GW_USER_NAME_QUERY_FAILED: ccgw_status = 1_110_010;
/// Gateway `110-011`: the user's authentication mode could not be queried.
pub const CCGW_E_GW_USER_AUTH_MODE_QUERY_FAILED: ccgw_status = 1_110_011;
/// Gateway `110-012`: agents could not be queried by attribute.
pub const CCGW_E_GW_AGENT_BY_ATTRIBUTE_FAILED: ccgw_status = 1_110_012;
/// Gateway `110-013`: third-party user interface refused (the meaning of this code is not published).
pub const CCGW_E_GW_USER_013: ccgw_status = 1_110_013;
/// Gateway `110-014`: third-party user interface refused (the meaning of this code is not published).
pub const CCGW_E_GW_USER_014: ccgw_status = 1_110_014;
/// Gateway `110-015`: third-party user interface refused (the meaning of this code is not published).
pub const CCGW_E_GW_USER_015: ccgw_status = 1_110_015;
/// Gateway `110-017`: the new password is the old one.
pub const CCGW_E_GW_PASSWORD_SAME_AS_OLD: ccgw_status = 1_110_017;
/// Gateway `110-018`: the new password is the user name or its reverse.
pub const CCGW_E_GW_PASSWORD_LIKE_NAME: ccgw_status = 1_110_018;
/// Gateway `110-019`: the new password does not meet the password rules.
pub const CCGW_E_GW_PASSWORD_RULES: ccgw_status = 1_110_019;
/// Gateway `110-020`: the new password must have 8 to 30 characters.
pub const CCGW_E_GW_PASSWORD_LENGTH: ccgw_status = 1_110_020;
/// Gateway `110-022`: the new password and its confirmation differ.
pub const CCGW_E_GW_PASSWORD_CONFIRM_MISMATCH: ccgw_status = 1_110_022;
/// Gateway `500-001`: rewinding is not allowed in the current playback state.
pub const CCGW_E_GW_REWIND_STATE: ccgw_status = 1_500_001;
/// Gateway `500-002`: fast-forwarding is not allowed in the current playback state.
pub const CCGW_E_GW_FAST_FORWARD_STATE: ccgw_status = 1_500_002;
/// Gateway `500-003`: pausing playback is not allowed in the current state.
pub const CCGW_E_GW_PAUSE_PLAY_STATE: ccgw_status = 1_500_003;
/// Gateway `500-004`: pausing recording is not allowed in the current state.
pub const CCGW_E_GW_PAUSE_RECORD_STATE: ccgw_status = 1_500_004;
/// Gateway `500-005`: resuming playback is not allowed in the current state.
pub const CCGW_E_GW_RESUME_PLAY_STATE: ccgw_status = 1_500_005;
/// Gateway `500-006`: resuming recording is not allowed in the current state.
pub const CCGW_E_GW_RESUME_RECORD_STATE: ccgw_status = 1_500_006;
/// Gateway `500-007`: starting playback is not allowed in the current state.
pub const CCGW_E_GW_START_PLAY_STATE: ccgw_status = 1_500_007;
/// Gateway `500-008`: starting recording is not allowed in the current state.
pub const CCGW_E_GW_START_RECORD_STATE: ccgw_status = 1_500_008;
/// Gateway `500-009`: stopping playback is not allowed in the current state.
pub const CCGW_E_GW_STOP_PLAY_STATE: ccgw_status = 1_500_009;
/// Gateway `600-001`: the agent does not exist or has no skill queue configured.
pub const CCGW_E_GW_AGENT_NO_SKILL_QUEUE: ccgw_status = 1_600_001;
/// Gateway `600-002`: the VDN has no skill queue configured.
pub const CCGW_E_GW_VDN_NO_SKILL_QUEUE: ccgw_status = 1_600_002;
/// Gateway `600-003`: the agent's VDN has no access code configured.
pub const CCGW_E_GW_VDN_NO_ACCESS_CODE: ccgw_status = 1_600_003;
/// Gateway `600-004`: the agent's VDN has no IVR configured.
pub const CCGW_E_GW_VDN_NO_IVR: ccgw_status = 1_600_004;
/// Gateway `600-005`: the agent's VDN has no skill queue configured.
pub const CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE: ccgw_status = 1_600_005;

/// Gateway `10001`: the only code the `thirdPartyConfTransmitNum` page lists; its meaning is
/// undocumented (the simulator uses it when the agent is not in an agent + customer + IVR call).
pub const CCGW_E_GW_TRANSMIT_NUM_FAILED: ccgw_status = 2_010_001;

/// A documented retcode: its status and what it means.
pub(crate) struct Known {
    #[cfg_attr(not(test), allow(dead_code))]
    pub retcode: &'static str,
    pub status: ccgw_status,
    pub text: &'static str,
}

macro_rules! known {
    ($($retcode:literal => $status:ident, $text:literal;)*) => {
        pub(crate) const KNOWN_RETCODES: &[Known] = &[$(Known { retcode: $retcode, status: $status, text: concat!($text, "\0") }),*];
    };
}

known! {
    "000-001" => CCGW_E_GW_WRONG_EVENT_METHOD, "gateway 000-001: wrong method for getting agent events";
    "000-002" => CCGW_E_GW_INVALID_PARAMETER, "gateway 000-002: invalid URL or interface parameter";
    "000-003" => CCGW_E_GW_NO_RIGHT, "gateway 000-003: no right to call the interface (the Guid may have expired)";
    "000-004" => CCGW_E_GW_SWITCHOVER, "gateway 000-004: the agent is being switched over";
    "000-005" => CCGW_E_GW_INSPECT_SELF, "gateway 000-005: the inspected agent is the inspector itself";
    "000-006" => CCGW_E_GW_MESSAGE_PARAMETER, "gateway 000-006: message parameter error";
    "000-007" => CCGW_E_GW_REPEATED_CALL, "gateway 000-007: the interface is being called repeatedly";
    "100-001" => CCGW_E_GW_SIGNIN_PARAMETER, "gateway 100-001: sign-in parameter empty or invalid";
    "100-002" => CCGW_E_GW_ALREADY_SIGNED_IN, "gateway 100-002: the agent has already signed in";
    "100-003" => CCGW_E_GW_CTI_UNAVAILABLE, "gateway 100-003: CTI resource or provider unavailable";
    "100-004" => CCGW_E_GW_WRONG_CREDENTIALS, "gateway 100-004: wrong user name or password";
    "100-005" => CCGW_E_GW_SIGNOUT_PARAMETER, "gateway 100-005: invalid sign-out parameter";
    "100-006" => CCGW_E_GW_NOT_SIGNED_IN, "gateway 100-006: the agent has not signed in";
    "100-007" => CCGW_E_GW_AGENT_EXCEPTION, "gateway 100-007: exception while operating for the agent";
    "100-008" => CCGW_E_GW_ALREADY_SIGNED_OUT, "gateway 100-008: the agent has already signed out";
    "100-009" => CCGW_E_GW_SET_STATE_FAILED, "gateway 100-009: setting the agent state failed";
    "100-010" => CCGW_E_GW_SIGNOUT_STATE, "gateway 100-010: the agent's state does not allow signing out";
    "100-011" => CCGW_E_GW_SIGNIN_INVALID, "gateway 100-011: invalid sign-in parameter";
    "100-012" => CCGW_E_GW_WRONG_AGENT_TYPE, "gateway 100-012: wrong agent type";
    "100-013" => CCGW_E_GW_PHONE_INVALID, "gateway 100-013: invalid phone number";
    "100-014" => CCGW_E_GW_PHONE_OUT_OF_RANGE, "gateway 100-014: phone number outside the configured range";
    "100-015" => CCGW_E_GW_CANNOT_FORCE_OUT, "gateway 100-015: the agent may not be forced out";
    "100-016" => CCGW_E_GW_INVALID_IP, "gateway 100-016: invalid IP address";
    "100-017" => CCGW_E_GW_UPORTAL_AUTH, "gateway 100-017: uPortal authentication failed";
    "100-018" => CCGW_E_GW_VDN_MISMATCH, "gateway 100-018: sign-in VDN differs from playback VDN";
    "100-019" => CCGW_E_GW_SKILL_QUERY_PARAMETER, "gateway 100-019: invalid skill-queue query parameter";
    "100-020" => CCGW_E_GW_PASSWORD_EXPIRED, "gateway 100-020: the password has expired";
    "100-021" => CCGW_E_GW_SIGNIN_IN_PROGRESS, "gateway 100-021: sign-in is in progress";
    "101-001" => CCGW_E_GW_NO_CONFERENCE, "gateway 101-001: the agent has no conference";
    "101-002" => CCGW_E_GW_NOT_CHAIRPERSON, "gateway 101-002: the agent is not the chairperson";
    "101-003" => CCGW_E_GW_ALREADY_IN_CONFERENCE, "gateway 101-003: the agent is already in a conference";
    "101-004" => CCGW_E_GW_NOT_INSPECTOR, "gateway 101-004: only an inspector may query the VDN's conferences";
    "101-005" => CCGW_E_GW_CHAIR_TO_SELF, "gateway 101-005: the chairperson cannot hand the chair to itself";
    "101-006" => CCGW_E_GW_CHAIR_REMOVE_SELF, "gateway 101-006: the chairperson cannot remove itself";
    "101-007" => CCGW_E_GW_CHAIR_CANNOT_LEAVE, "gateway 101-007: the chairperson cannot leave the conference";
    "105-001" => CCGW_E_GW_DR_NOT_CACHED, "gateway 105-001: the agent is not cached for disaster recovery";
    "105-002" => CCGW_E_GW_DR_IN_PROGRESS, "gateway 105-002: disaster recovery in progress";
    "105-003" => CCGW_E_GW_DR_FINISHED, "gateway 105-003: disaster recovery finished";
    "105-004" => CCGW_E_GW_DR_QUEUE_FAILED, "gateway 105-004: could not queue for disaster recovery";
    "105-005" => CCGW_E_GW_DR_WAIT_TIMEOUT, "gateway 105-005: disaster-recovery wait timed out; sign in again";
    "105-006" => CCGW_E_GW_DR_GUID_MISMATCH, "gateway 105-006: Guid mismatch during disaster recovery; sign in again";
    "105-007" => CCGW_E_GW_DR_SWITCH_OFF, "gateway 105-007: disaster-recovery switch off; sign in again";
    "106-001" => CCGW_E_GW_MULTIMEDIA_OFF, "gateway 106-001: the multimedia switch is off";
    "106-002" => CCGW_E_GW_EMPTY_MESSAGE, "gateway 106-002: empty message";
    "106-003" => CCGW_E_GW_TOO_MANY_SESSIONS, "gateway 106-003: session count above its maximum";
    "106-004" => CCGW_E_GW_BAD_TRANSFER_DEVICE, "gateway 106-004: bad transfer device type";
    "110-016" => CCGW_E_GW_ACCOUNT_LOCKED, "gateway 110-016: the account is locked";
    "110-021" => CCGW_E_GW_ACCOUNT_LOCKED_ATTEMPTS, "gateway 110-021: the account is locked after failed attempts";
    "200-001" => CCGW_E_GW_WRONG_NUMBER, "gateway 200-001: wrong outbound number";
    "200-002" => CCGW_E_GW_ANSWER_NO_CALL, "gateway 200-002: no call to answer";
    "200-003" => CCGW_E_GW_MUTE_NO_CALL, "gateway 200-003: no call to mute";
    "200-004" => CCGW_E_GW_MUTE_STATE, "gateway 200-004: the call state does not allow muting";
    "200-005" => CCGW_E_GW_CONNECT_HOLD_NO_CALL, "gateway 200-005: no call to connect with the held call";
    "200-006" => CCGW_E_GW_CONNECT_HOLD_NO_HELD, "gateway 200-006: no held call to connect";
    "200-007" => CCGW_E_GW_UNMUTE_NO_CALL, "gateway 200-007: no call to unmute";
    "200-008" => CCGW_E_GW_UNMUTE_STATE, "gateway 200-008: the call state does not allow unmuting";
    "200-009" => CCGW_E_GW_REPORT_NO_CALL, "gateway 200-009: no call for the voice report";
    "200-010" => CCGW_E_GW_THREE_PARTY_NO_CALL, "gateway 200-010: three-party call requested without an active call";
    "200-011" => CCGW_E_GW_THREE_PARTY_NO_HELD_CALL, "gateway 200-011: three-party call requested without a held call";
    "200-012" => CCGW_E_GW_TRANSFER_NO_CALL, "gateway 200-012: no call to transfer";
    "200-013" => CCGW_E_GW_HOLD_NO_CALL, "gateway 200-013: no call to hold";
    "200-014" => CCGW_E_GW_HOLD_STATE, "gateway 200-014: the call state does not allow holding";
    "200-015" => CCGW_E_GW_UNHOLD_NO_HELD, "gateway 200-015: no held call to take back";
    "200-016" => CCGW_E_GW_UNHOLD_STATE, "gateway 200-016: the call state does not allow unholding";
    "200-017" => CCGW_E_GW_RELEASE_NO_CALL, "gateway 200-017: no call to release";
    "200-018" => CCGW_E_GW_HELP_NO_CALL, "gateway 200-018: no call for internal help";
    "200-025" => CCGW_E_GW_DROP_CALL_FAILED, "gateway 200-025: the call could not be dropped (no such call)";
    "300-001" => CCGW_E_GW_NO_QUERY_RIGHT, "gateway 300-001: no right to query agents";
    "300-002" => CCGW_E_GW_NO_AGENT_INFO, "gateway 300-002: no agent information";
    "300-003" => CCGW_E_GW_AGENT_NOT_IN_GROUP, "gateway 300-003: the agent is not in the group";
    "300-004" => CCGW_E_GW_NO_SUCH_GROUP, "gateway 300-004: no such agent group";
    "400-001" => CCGW_E_GW_CALLDATA_NO_CALL, "gateway 400-001: no call to set call data on";
    "400-002" => CCGW_E_GW_CALLDATA_EMPTY, "gateway 400-002: no call data to set";
    "400-003" => CCGW_E_GW_NO_HELD_CALLS, "gateway 400-003: no held call";
    "900-001" => CCGW_E_GW_QC_NO_PROVIDER, "gateway 900-001: no quality-control provider";
    "900-002" => CCGW_E_GW_QC_NO_RIGHT, "gateway 900-002: no quality-control right";
    "900-003" => CCGW_E_GW_QC_UNAVAILABLE, "gateway 900-003: quality-control resource unavailable";
    "900-004" => CCGW_E_GW_QC_NO_AGENT, "gateway 900-004: the monitored agent does not exist";
    "900-005" => CCGW_E_GW_QC_STATE, "gateway 900-005: quality-control state error";
    "999-001" => CCGW_E_GW_WAS_URL, "gateway 999-001: invalid WAS URL configuration";
    "104-001" => CCGW_E_GW_RECORDING_DOWNLOAD_OFF, "gateway 104-001: the recording download function is not enabled";
    "104-002" => CCGW_E_GW_RECORDING_NO_RIGHT, "gateway 104-002: no right to inspect or play back recordings";
    "104-003" => CCGW_E_GW_RECORDING_BAD_FILE_NAME, "gateway 104-003: the recording file name is invalid";
    "104-004" => CCGW_E_GW_RECORDING_NO_DRIVE_MAPPING, "gateway 104-004: no drive mapping is configured for recordings";
    "104-005" => CCGW_E_GW_RECORDING_NO_FILE, "gateway 104-005: the recording file does not exist";
    "104-006" => CCGW_E_GW_RECORDING_NO_SPACE, "gateway 104-006: not enough free space for the recording file";
    "104-007" => CCGW_E_GW_RECORDING_FORMAT_UNSUPPORTED, "gateway 104-007: the recording file format is not supported";
    "104-008" => CCGW_E_GW_RECORDING_FORMAT_UNSET, "gateway 104-008: the recording format is not configured";
    "104-009" => CCGW_E_GW_RECORDING_CONVERSION_FAILED, "gateway 104-009: the recording could not be converted";
    "104-010" => CCGW_E_GW_RECORDING_NODE_UNSET, "gateway 104-010: the recording node id (locationId, POOL mode) is not configured";
    "104-011" => CCGW_E_GW_RECORDING_DELETE_FAILED, "gateway 104-011: the recording file could not be deleted";
    "104-012" => CCGW_E_GW_RECORDING_OBS_FAILED, "gateway 104-012: the recording could not be downloaded from OBS";
    "110-002" => CCGW_E_GW_PASSWORD_CHANGE_FAILED, "gateway 110-002: the password could not be changed";
    "110-003" => CCGW_E_GW_OLD_PASSWORD_WRONG, "gateway 110-003: the old password is wrong";
    "110-004" => CCGW_E_GW_PASSWORD_QUERY_FAILED, "gateway 110-004: the password could not be queried";
    "110-005" => CCGW_E_GW_CTI_SIGN_IN_NO_PASSWORD, "gateway 110-005: the CTI sign-in information has no password";
    "110-006" => CCGW_E_GW_CTI_SIGN_IN_AUTH_MODE_FAILED, "gateway 110-006: the password authentication mode of the CTI sign-in information could not be queried";
    "110-007" => CCGW_E_GW_CTI_SIGN_IN_AUTH_FAILED, "gateway 110-007: password authentication for the CTI sign-in information failed";
    "110-008" => CCGW_E_GW_CTI_SIGN_IN_DB_FAILED, "gateway 110-008: the database query for the CTI sign-in information failed";
    "110-009" => CCGW_E_GW_CTI_SIGN_IN_NO_RECORD, "gateway 110-009: no CTI sign-in information is recorded";
    "110-010" => CCGW_E_GW_USER_NAME_QUERY_FAILED, "gateway 110-010: the user name could not be queried";
    "110-011" => CCGW_E_GW_USER_AUTH_MODE_QUERY_FAILED, "gateway 110-011: the user's authentication mode could not be queried";
    "110-012" => CCGW_E_GW_AGENT_BY_ATTRIBUTE_FAILED, "gateway 110-012: agents could not be queried by attribute";
    "110-013" => CCGW_E_GW_USER_013, "gateway 110-013: third-party user interface refused (the meaning of this code is not published)";
    "110-014" => CCGW_E_GW_USER_014, "gateway 110-014: third-party user interface refused (the meaning of this code is not published)";
    "110-015" => CCGW_E_GW_USER_015, "gateway 110-015: third-party user interface refused (the meaning of this code is not published)";
    "110-017" => CCGW_E_GW_PASSWORD_SAME_AS_OLD, "gateway 110-017: the new password is the old one";
    "110-018" => CCGW_E_GW_PASSWORD_LIKE_NAME, "gateway 110-018: the new password is the user name or its reverse";
    "110-019" => CCGW_E_GW_PASSWORD_RULES, "gateway 110-019: the new password does not meet the password rules";
    "110-020" => CCGW_E_GW_PASSWORD_LENGTH, "gateway 110-020: the new password must have 8 to 30 characters";
    "110-022" => CCGW_E_GW_PASSWORD_CONFIRM_MISMATCH, "gateway 110-022: the new password and its confirmation differ";
    "500-001" => CCGW_E_GW_REWIND_STATE, "gateway 500-001: rewinding is not allowed in the current playback state";
    "500-002" => CCGW_E_GW_FAST_FORWARD_STATE, "gateway 500-002: fast-forwarding is not allowed in the current playback state";
    "500-003" => CCGW_E_GW_PAUSE_PLAY_STATE, "gateway 500-003: pausing playback is not allowed in the current state";
    "500-004" => CCGW_E_GW_PAUSE_RECORD_STATE, "gateway 500-004: pausing recording is not allowed in the current state";
    "500-005" => CCGW_E_GW_RESUME_PLAY_STATE, "gateway 500-005: resuming playback is not allowed in the current state";
    "500-006" => CCGW_E_GW_RESUME_RECORD_STATE, "gateway 500-006: resuming recording is not allowed in the current state";
    "500-007" => CCGW_E_GW_START_PLAY_STATE, "gateway 500-007: starting playback is not allowed in the current state";
    "500-008" => CCGW_E_GW_START_RECORD_STATE, "gateway 500-008: starting recording is not allowed in the current state";
    "500-009" => CCGW_E_GW_STOP_PLAY_STATE, "gateway 500-009: stopping playback is not allowed in the current state";
    "600-001" => CCGW_E_GW_AGENT_NO_SKILL_QUEUE, "gateway 600-001: the agent does not exist or has no skill queue configured";
    "600-002" => CCGW_E_GW_VDN_NO_SKILL_QUEUE, "gateway 600-002: the VDN has no skill queue configured";
    "600-003" => CCGW_E_GW_VDN_NO_ACCESS_CODE, "gateway 600-003: the agent's VDN has no access code configured";
    "600-004" => CCGW_E_GW_VDN_NO_IVR, "gateway 600-004: the agent's VDN has no IVR configured";
    "600-005" => CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE, "gateway 600-005: the agent's VDN has no skill queue configured";
    "10001" => CCGW_E_GW_TRANSMIT_NUM_FAILED, "gateway 10001: passing numbers in the three-party call failed";
}

/// The status for a gateway `retcode` (never `CCGW_OK`; call only for non-"0" codes).
pub fn from_retcode(retcode: &str) -> ccgw_status {
    let rc = retcode.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((fam, num)) = rc.split_once('-') {
        if fam.len() == 3 && num.len() == 3 && digits(fam) && digits(num) {
            let f: i32 = fam.parse().unwrap_or(0);
            let n: i32 = num.parse().unwrap_or(0);
            return CCGW_E_GW_BASE + f * 1000 + n;
        }
    } else if digits(rc) && rc.len() <= 6 {
        if let Ok(n) = rc.parse::<i32>() {
            if n > 0 {
                return CCGW_E_GW_NUMERIC_BASE + n;
            }
        }
    }
    CCGW_E_GATEWAY
}

/// Longest plain-number retcode accepted (the numeric statuses cover 1..999999).
pub const RETCODE_NUMBER_MAX_DIGITS: usize = 6;

/// Whether `retcode` has one of its documented shapes (reference §1, §8): `NNN-NNN`
/// (three ASCII digits, a hyphen, three ASCII digits), or a plain number of one to six
/// ASCII digits (`0` for success; CTI pass-through codes such as `10001`). Nothing is
/// trimmed. Anything else is a malformed answer, never a retcode: it is not mapped, shown
/// or logged.
pub fn is_retcode_shape(retcode: &str) -> bool {
    let b = retcode.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        7 if b[3] == b'-' => digits(&b[..3]) && digits(&b[4..]),
        1..=RETCODE_NUMBER_MAX_DIGITS => digits(b),
        _ => false,
    }
}

/// Whether `status` came from a gateway retcode.
pub fn is_gateway(status: ccgw_status) -> bool {
    status == CCGW_E_GATEWAY || (CCGW_E_GW_BASE..CCGW_E_GW_NUMERIC_BASE + 1_000_000).contains(&status)
}

/// What a status says about the operation it came from: the value of
/// `ccgw_status_outcome`.
pub type ccgw_outcome = i32;

/// `CCGW_OK`: the operation was carried out.
pub const CCGW_OUTCOME_OK: ccgw_outcome = 0;
/// Nothing reached the gateway, so nothing was carried out: an argument the library
/// refused (1-99), a connection or TLS handshake that failed before the request was
/// written, a forward proxy that refused the tunnel, a request given up before it was
/// written (`CCGW_E_NOT_SENT`), a session without a Guid, a call on a wrong thread or in a
/// forked child, a wait that ended at its timeout (`CCGW_E_TIMEOUT`: nothing is sent by a
/// wait), a busy object. Calling again cannot do the operation twice.
pub const CCGW_OUTCOME_NOT_SENT: ccgw_outcome = 1;
/// The gateway (or the front end before it) answered and did not carry the operation
/// out: every gateway retcode (`ccgw_status_is_gateway`, `000-004` included), and HTTP 503
/// before any gateway envelope (`CCGW_E_GATEWAY_UNAVAILABLE`). Calling again cannot do it
/// twice; whether it can succeed depends on the refusal (`ccgw_status_retryable`).
pub const CCGW_OUTCOME_REFUSED: ccgw_outcome = 2;
/// The outcome is unknown: the request may have been carried out. A connection lost or a
/// timeout after the request was sent, an answer cut short or malformed (after a 2xx),
/// HTTP 502/504 or any other non-2xx status from a front end, a call cancelled or a
/// session closed while its request may have been on the wire, a panic or internal
/// error, and any status this library does not know. Check the state (a query, the
/// events) before doing it again.
pub const CCGW_OUTCOME_MAY_HAVE_RUN: ccgw_outcome = 3;

/// What `status` means for the operation that returned it: one of the `CCGW_OUTCOME_*`
/// values, decided by the status alone.
pub fn outcome(status: ccgw_status) -> ccgw_outcome {
    match status {
        CCGW_OK => CCGW_OUTCOME_OK,
        1..=99 => CCGW_OUTCOME_NOT_SENT,
        CCGW_E_CONNECT | CCGW_E_TLS | CCGW_E_CONNECT_TIMEOUT | CCGW_E_PROXY | CCGW_E_PROXY_AUTH | CCGW_E_NOT_SENT => {
            CCGW_OUTCOME_NOT_SENT
        }
        CCGW_E_NOT_SIGNED_IN | CCGW_E_WRONG_THREAD | CCGW_E_FORKED | CCGW_E_TIMEOUT | CCGW_E_BUSY => {
            CCGW_OUTCOME_NOT_SENT
        }
        CCGW_E_GATEWAY_UNAVAILABLE => CCGW_OUTCOME_REFUSED,
        s if is_gateway(s) => CCGW_OUTCOME_REFUSED,
        // Response timeout, connection lost, HTTP status, malformed, content type,
        // truncated, bad gateway; closed or cancelled (possibly mid-exchange); panic,
        // internal; unknown numbers.
        _ => CCGW_OUTCOME_MAY_HAVE_RUN,
    }
}

/// Whether calling again unchanged, after a pause, may succeed without any risk of doing
/// the operation twice: the outcome is `CCGW_OUTCOME_NOT_SENT` or `CCGW_OUTCOME_REFUSED`
/// and the cause is passing (a node unreachable or unavailable, a switchover, a request
/// pending or a sign-in in progress, CTI resources unavailable, disaster recovery in
/// progress). A refusal of the request itself (bad argument, wrong state, no right) is
/// not retryable; neither is an unknown outcome.
pub fn retryable(status: ccgw_status) -> bool {
    matches!(
        status,
        CCGW_E_CONNECT
            | CCGW_E_CONNECT_TIMEOUT
            | CCGW_E_NOT_SENT
            | CCGW_E_GATEWAY_UNAVAILABLE
            | CCGW_E_GW_SWITCHOVER
            | CCGW_E_GW_REPEATED_CALL
            | CCGW_E_GW_CTI_UNAVAILABLE
            | CCGW_E_GW_SIGNIN_IN_PROGRESS
            | CCGW_E_GW_DR_IN_PROGRESS
    )
}

/// Static, NUL-terminated description of a status, for any number.
pub fn describe(status: ccgw_status) -> &'static str {
    let s = match status {
        CCGW_OK => "success\0",
        CCGW_E_NULL_ARGUMENT => "a required pointer argument was NULL\0",
        CCGW_E_INVALID_UTF8 => "a string argument is not valid UTF-8\0",
        CCGW_E_INVALID_ARGUMENT => "invalid argument\0",
        CCGW_E_MISSING_ARGUMENT => "a mandatory argument is missing or blank\0",
        CCGW_E_TOO_LONG => "a string argument is longer than the interface allows\0",
        CCGW_E_OUT_OF_RANGE => "a numeric argument is out of range\0",
        CCGW_E_TOO_MANY => "an array argument has more entries than the interface allows\0",
        CCGW_E_UNSUPPORTED_VERSION => "unsupported options or request struct version\0",
        CCGW_E_CONNECT => "could not connect to the gateway (nothing was sent)\0",
        CCGW_E_TLS => "TLS handshake or certificate verification failed (nothing was sent)\0",
        CCGW_E_CONNECT_TIMEOUT => "connecting to the gateway timed out (nothing was sent)\0",
        CCGW_E_RESPONSE_TIMEOUT => "no answer within the request timeout; the outcome is unknown\0",
        CCGW_E_CONNECTION_LOST => "the connection failed after the request was sent; the outcome is unknown\0",
        CCGW_E_HTTP_STATUS => "the gateway answered with a non-2xx HTTP status\0",
        CCGW_E_MALFORMED_RESPONSE => "the answer is not the gateway's JSON envelope\0",
        CCGW_E_UNEXPECTED_CONTENT_TYPE => "the answer is not JSON (unexpected content type)\0",
        CCGW_E_TRUNCATED_RESPONSE => "the answer was cut short; the outcome is unknown\0",
        CCGW_E_PROXY => "the proxy could not be reached or refused the tunnel (nothing was sent)\0",
        CCGW_E_PROXY_AUTH => "the proxy requires credentials or refused them (nothing was sent)\0",
        CCGW_E_NOT_SENT => "the request did not reach the gateway (its connection had been closed); safe to retry\0",
        CCGW_E_GATEWAY_UNAVAILABLE => "HTTP 503 before any gateway answer: not carried out; safe to retry\0",
        CCGW_E_BAD_GATEWAY => "HTTP 502 or 504 before any gateway answer: the outcome is unknown\0",
        CCGW_E_NOT_SIGNED_IN => "the session has no Guid; sign in first\0",
        CCGW_E_CLOSED => "the session is closed\0",
        CCGW_E_CANCELLED => "the call was cancelled\0",
        CCGW_E_WRONG_THREAD => "blocking call made on a library thread\0",
        CCGW_E_FORKED => "the process forked after the library started; the child cannot use it\0",
        CCGW_E_TIMEOUT => "timed out waiting\0",
        CCGW_E_BUSY => "the object is busy\0",
        CCGW_E_SESSION_LOST => "the gateway no longer knows the session (100-006/000-003, re-checked)\0",
        CCGW_E_SESSION_SHUT_DOWN => "the gateway signed the agent out (AgentOther_ShutdownService)\0",
        CCGW_E_SESSION_DR_SIGN_IN_AGAIN => "the gateway's disaster recovery asks for a new sign-in (105-xxx)\0",
        CCGW_E_SESSION_FAILOVER => "after a fail-over the new gateway node does not know the session\0",
        CCGW_E_PUMP_OUTAGE => "polls failed for longer than max_outage_ms\0",
        CCGW_E_RESIGN_IN_FAILED => "signing in again was refused for good\0",
        CCGW_E_PUMP_FAILED => "polling met a failure no retry or sign-in cures\0",
        CCGW_E_PANIC => "internal panic caught at the C boundary\0",
        CCGW_E_INTERNAL => "internal error\0",
        CCGW_E_GATEWAY => "the gateway refused the request (see ccgw_last_error_retcode)\0",
        s => match KNOWN_RETCODES.iter().find(|k| k.status == s) {
            Some(k) => k.text,
            None if is_gateway(s) => "the gateway refused the request (see ccgw_last_error_retcode)\0",
            None => "unknown status code\0",
        },
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retcodes_map_mechanically() {
        assert_eq!(from_retcode("101-002"), CCGW_E_GW_NOT_CHAIRPERSON);
        assert_eq!(from_retcode("000-002"), CCGW_E_GW_INVALID_PARAMETER);
        assert_eq!(from_retcode("10001"), CCGW_E_GW_TRANSMIT_NUM_FAILED);
        assert_eq!(from_retcode("104-003"), 1_104_003);
        assert_eq!(from_retcode("abc"), CCGW_E_GATEWAY);
        assert_eq!(from_retcode("1-2"), CCGW_E_GATEWAY);
        assert!(is_gateway(from_retcode("104-003")));
        assert!(!is_gateway(CCGW_E_TLS));
    }

    #[test]
    fn retcode_shapes() {
        for ok in ["0", "100-002", "000-003", "999-999", "10001", "123456"] {
            assert!(is_retcode_shape(ok), "{ok}");
        }
        for bad in ["", " 0", "0 ", "1234567", "100-0021", "10-002", "100_002", "-1", "1e3", "100-00a", "1\r\n", "１"]
        {
            assert!(!is_retcode_shape(bad), "{bad:?}");
        }
        for k in KNOWN_RETCODES {
            assert!(is_retcode_shape(k.retcode), "{}", k.retcode);
        }
    }

    #[test]
    fn every_known_retcode_maps_to_its_named_status() {
        let mut seen = std::collections::HashSet::new();
        for k in KNOWN_RETCODES {
            assert_eq!(from_retcode(k.retcode), k.status, "{}", k.retcode);
            assert!(seen.insert(k.status), "duplicate {}", k.retcode);
            assert!(k.text.ends_with('\0') && k.text.contains(k.retcode.trim()));
        }
    }

    #[test]
    fn descriptions_are_nul_terminated_for_any_number() {
        for s in [
            -5,
            0,
            1,
            8,
            9,
            100,
            108,
            109,
            110,
            200,
            206,
            900,
            901,
            1000,
            1_101_002,
            1_104_003,
            2_010_001,
            i32::MAX,
            i32::MIN,
        ] {
            let d = describe(s);
            assert!(d.ends_with('\0') && d.len() > 1, "{s}");
        }
    }
}
