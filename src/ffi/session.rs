//! Session handle exports: options, create, sign in/out, Guid, close, free, and the
//! generic request.

use super::common::ccgw_cancel;
use super::{
    arg_mut, arg_ref, arg_slice, arg_str, check_version, guard, guard_pure, guard_value, opt_int, opt_str, out_ptr,
    owned_c_string, tri,
};
use crate::error::{Error, Result};
use crate::limits::AGENT_ID_MAX_DEFAULT;
use crate::runtime::{block_on, block_on_shared};
use crate::session::{AuthMode, CallOptions, Session, SessionConfig, SignInRequest, SignInResult};
use crate::status::*;
use crate::transport::{ProxyConfig, Roots, TransportConfig};
use std::ffi::{c_char, CString};
use std::time::Duration;
use zeroize::Zeroizing;

/// Current version of `ccgw_session_options`. Version 2 added certificate pinning
/// (`pinned_sha256`, `pinned_cert_file`), `disable_cookies` and the proxy (`proxy_url`,
/// `proxy_username`, `proxy_password`, `no_proxy`, `proxy_from_environment`); version 3 the
/// fail-over policy's settings (`switchover_wait_ms`, `failback_after_ms`,
/// `retry_backoff_initial_ms`, `retry_backoff_max_ms`, `retry_rounds`). A program built
/// with version 1 or 2 keeps passing its version and its shorter struct.
pub const CCGW_SESSION_OPTIONS_VERSION: u32 = 3;
/// Current version of `ccgw_sign_in_options`. Version 2 added `auto_resign_in` and
/// `allow_forced_resign_in`; a program built with version 1 keeps passing 1.
pub const CCGW_SIGN_IN_OPTIONS_VERSION: u32 = 2;
/// Current version of `ccgw_call_options`.
pub const CCGW_CALL_OPTIONS_VERSION: u32 = 1;

/// `auth_mode`: dynamic authentication (`AUTHMODE = 2`, the gateway default): the Guid
/// rotates and new values arrive on event-poll answers.
pub const CCGW_AUTH_DYNAMIC: u32 = 2;
/// `auth_mode`: static authentication (`AUTHMODE = 1`): the Guid from sign-in stays valid.
pub const CCGW_AUTH_STATIC: u32 = 1;

/// Largest `ca_file` read, in bytes (1 MiB; CA bundles, a system's whole trust store
/// included, are far smaller).
pub const CCGW_CA_FILE_MAX_BYTES: u32 = 1_048_576;

/// Default connect timeout, ms.
pub const CCGW_DEFAULT_CONNECT_TIMEOUT_MS: u32 = 5_000;
/// Default request timeout, ms (the whole exchange: send, wait, read the answer).
pub const CCGW_DEFAULT_REQUEST_TIMEOUT_MS: u32 = 15_000;
/// Default `switchover_wait_ms`: 30 s. The gateway documents no switchover duration; its
/// DR note (reference §2.3) asks the event poll to outlast the switchover, and a Guid
/// outlives its renewal by `GUIDTIMEOUT - GUIDINTERVAL` = 60 s by default. Half of that: a
/// switchover that ends within it costs nothing (same node, same Guid); one that does not
/// leaves time to move and sign in elsewhere before the agent is lost to the CTI platform.
pub const CCGW_DEFAULT_SWITCHOVER_WAIT_MS: u32 = 30_000;
/// Default `failback_after_ms`: 60 s.
pub const CCGW_DEFAULT_FAILBACK_AFTER_MS: u32 = 60_000;
/// Default `retry_backoff_initial_ms`: 250 ms (the reference's re-poll pause is 200-500 ms).
pub const CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS: u32 = 250;
/// Default `retry_backoff_max_ms`: 5 s.
pub const CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS: u32 = 5_000;
/// Default `retry_rounds`: 3.
pub const CCGW_DEFAULT_RETRY_ROUNDS: u32 = 3;
/// Largest `retry_rounds`.
pub const CCGW_RETRY_ROUNDS_MAX: u32 = 100;

/// How to reach and trust the gateway, and which agent the session is for. Fill it with
/// `ccgw_session_options_init`, then set the fields. Strings are borrowed for the duration
/// of `ccgw_session_new` only.
#[repr(C)]
pub struct ccgw_session_options {
    /// `CCGW_SESSION_OPTIONS_VERSION`, set by `ccgw_session_options_init`.
    pub version: u32,
    /// Gateway base URL, e.g. `"https://gw.example:8043"` (the library appends
    /// `/agentgateway/resource/`; a URL already ending in it is taken as is; a path prefix
    /// before it, as behind a reverse proxy, is kept). Mandatory.
    pub base_url: *const c_char,
    /// Further gateways (the cluster's other nodes, a disaster-recovery site), in order
    /// after `base_url`: requests move to the next when the current one cannot take them,
    /// as FAIL-OVER at the top of this header says (connection, TLS, 502/503/504 before any
    /// gateway envelope, a switchover longer than `switchover_wait_ms`). May be NULL with
    /// count 0.
    pub fallback_urls: *const *const c_char,
    /// Number of elements of `fallback_urls`.
    pub fallback_url_count: usize,
    /// The agent id (work number) this session signs in as, e.g. `"153"`. Mandatory.
    pub agent_id: *const c_char,
    /// Highest agent id accepted; 0 means 59999 (the seed pages' range 101-59999). Set
    /// 999999 for gateways documented with the wider range.
    pub agent_id_max: u32,
    /// Path of a PEM file with the CA certificate(s) the gateway's certificate must chain
    /// to: a regular file of at most `CCGW_CA_FILE_MAX_BYTES` (1 MiB), opened without
    /// blocking; a FIFO, device, directory or larger file is refused with
    /// `CCGW_E_INVALID_ARGUMENT` naming the reason. When neither this nor `ca_pem` is
    /// given, the system trust store is used.
    pub ca_file: *const c_char,
    /// The same as PEM bytes in memory (`ca_pem_len` bytes; need not be NUL-terminated).
    pub ca_pem: *const u8,
    /// Length of `ca_pem` in bytes.
    pub ca_pem_len: usize,
    /// INSECURE, labs only: accept any server certificate. Off by default; logged as a
    /// warning when on.
    pub insecure_accept_any_certificate: bool,
    /// Accept `http://` base URLs (old lab gateways); off by default.
    pub allow_plain_http: bool,
    /// Connect timeout in ms; 0 means `CCGW_DEFAULT_CONNECT_TIMEOUT_MS`.
    pub connect_timeout_ms: u32,
    /// Request timeout in ms for every call of the session unless a call overrides it;
    /// 0 means `CCGW_DEFAULT_REQUEST_TIMEOUT_MS`.
    pub request_timeout_ms: u32,
    /// `CCGW_AUTH_DYNAMIC` (default) or `CCGW_AUTH_STATIC`, as the gateway is configured.
    pub auth_mode: u32,
    /// (Version 2.) Certificate pinning: trust exactly the gateway certificate(s) with
    /// these SHA-256 fingerprints, instead of a CA. One or more fingerprints separated by
    /// commas, each 64 hex digits, optionally with `:` between bytes and a `sha256:` or
    /// `SHA256 Fingerprint=` prefix: what `openssl x509 -noout -fingerprint -sha256 -in
    /// gw.pem` prints. The pin replaces the chain, host name, CA-flag and validity-date
    /// checks (an expired pinned certificate is logged as a warning); the TLS handshake's
    /// signature is still verified with the certificate's key, so only the holder of
    /// that key can be the gateway. This is the way to trust a self-signed
    /// `openssl req -x509` certificate (CA:TRUE, refused as a CA file) or a `keytool`
    /// certificate naming its host only in the CN. Not together with `ca_file`/`ca_pem`
    /// (`CCGW_E_INVALID_ARGUMENT`). NULL: no pin.
    pub pinned_sha256: *const c_char,
    /// (Version 2.) Certificate pinning by the certificate itself: path of the gateway's
    /// certificate, PEM (every certificate in it is pinned) or DER, a regular file of at
    /// most `CCGW_CA_FILE_MAX_BYTES`. Same rules as `pinned_sha256`; both may be given
    /// (either pin is accepted). NULL: no pin.
    pub pinned_cert_file: *const c_char,
    /// (Version 2.) Cookies (RFC 6265) are kept and sent by default: each session has its
    /// own store, shared by its calls and its event pump, never by two sessions, emptied
    /// at sign-out and close, at most 50 cookies of at most 4096 bytes; values never appear
    /// in a log record or a message. This is what keeps an agent on one gateway node
    /// behind a load balancer with a sticky cookie (Huawei cloud ELB `huaweielbsession`,
    /// HAProxy `SERVERID`, AWS `AWSALB`, F5 `BIGipServer...`). Set true to neither keep
    /// nor send any cookie.
    pub disable_cookies: bool,
    /// (Version 2.) A forward proxy to reach the gateway through: `http://host:port`
    /// (HTTPS to the gateway is tunnelled with `CONNECT`, RFC 9110 §9.3.6; the TLS session
    /// is end to end, so the proxy sees only the gateway's host and port). No credentials in
    /// the URL (`CCGW_E_INVALID_ARGUMENT`): give them below. NULL: no proxy, and the
    /// proxy environment variables are ignored unless `proxy_from_environment` is set.
    /// A proxy that cannot be reached or refuses the tunnel is `CCGW_E_PROXY`, one that
    /// wants credentials `CCGW_E_PROXY_AUTH`; nothing reaches the gateway then.
    pub proxy_url: *const c_char,
    /// (Version 2.) The proxy's user name for Basic authentication (with `proxy_url`).
    pub proxy_username: *const c_char,
    /// (Version 2.) The proxy's password (with `proxy_username`). Kept in a buffer wiped at
    /// `ccgw_session_free`; never in a log record or a message.
    pub proxy_password: *const c_char,
    /// (Version 2.) Hosts reached without the proxy (with `proxy_url`), in the `NO_PROXY`
    /// syntax: comma-separated host names (`gw.example`), domain suffixes (`.example`), IP
    /// addresses and CIDR ranges (`10.0.0.0/8`), or `*`. NULL: every gateway through the proxy.
    pub no_proxy: *const c_char,
    /// (Version 2.) Use the proxy the environment names: `HTTPS_PROXY` (or `https_proxy`),
    /// else `ALL_PROXY`, with `NO_PROXY`, read when the session makes its connections.
    /// Off by default: the library ignores these variables unless the application opts in
    /// here. Not together with `proxy_url` (`CCGW_E_INVALID_ARGUMENT`).
    pub proxy_from_environment: bool,
    /// (Version 3.) How long a node may answer `000-004` (agent being switched over,
    /// reference §2.3) before requests move to the next base URL, in ms; until then sign-in
    /// and reads ride it out on the same node. 0 means `CCGW_DEFAULT_SWITCHOVER_WAIT_MS`
    /// (30 s). See FAIL-OVER at the top of this header.
    pub switchover_wait_ms: u32,
    /// (Version 3.) A new sign-in goes back to the primary (`base_url`) unless it failed
    /// within this many ms; 0 means `CCGW_DEFAULT_FAILBACK_AFTER_MS` (60 s).
    pub failback_after_ms: u32,
    /// (Version 3.) Upper bound of the first pause between retry rounds, in ms (each pause
    /// is drawn uniformly below its bound, and the bound doubles per round: full jitter);
    /// 0 means `CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS` (250 ms).
    pub retry_backoff_initial_ms: u32,
    /// (Version 3.) Cap of the pauses' bound, in ms; 0 means
    /// `CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS` (5 s). At least `retry_backoff_initial_ms`
    /// (`CCGW_E_OUT_OF_RANGE` otherwise).
    pub retry_backoff_max_ms: u32,
    /// (Version 3.) Rounds over all the base URLs for a request that may be sent again;
    /// 1 tries each base URL once, without pausing. 0 means `CCGW_DEFAULT_RETRY_ROUNDS`
    /// (3); at most `CCGW_RETRY_ROUNDS_MAX` (`CCGW_E_OUT_OF_RANGE`). Every pause and
    /// attempt stays within the call's own timeout.
    pub retry_rounds: u32,
}

/// `ccgw_session_options` as version 1 laid it out: all a version-1 caller allocated.
#[repr(C)]
struct SessionOptionsV1 {
    version: u32,
    base_url: *const c_char,
    fallback_urls: *const *const c_char,
    fallback_url_count: usize,
    agent_id: *const c_char,
    agent_id_max: u32,
    ca_file: *const c_char,
    ca_pem: *const u8,
    ca_pem_len: usize,
    insecure_accept_any_certificate: bool,
    allow_plain_http: bool,
    connect_timeout_ms: u32,
    request_timeout_ms: u32,
    auth_mode: u32,
}

// Version 2 only appends: the version-1 prefix is laid out identically.
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(offset_of!(ccgw_session_options, auth_mode) == offset_of!(SessionOptionsV1, auth_mode));
    assert!(offset_of!(ccgw_session_options, ca_pem_len) == offset_of!(SessionOptionsV1, ca_pem_len));
    assert!(size_of::<SessionOptionsV1>() <= offset_of!(ccgw_session_options, pinned_sha256));
    // Version 3 only appends after version 2's last field.
    assert!(
        offset_of!(ccgw_session_options, proxy_from_environment) < offset_of!(ccgw_session_options, switchover_wait_ms)
    );
};

/// `ccgw_session_options` as version 2 laid it out: all a version-2 caller allocated.
#[repr(C)]
struct SessionOptionsV2Layout {
    v1: SessionOptionsV1,
    pinned_sha256: *const c_char,
    pinned_cert_file: *const c_char,
    disable_cookies: bool,
    proxy_url: *const c_char,
    proxy_username: *const c_char,
    proxy_password: *const c_char,
    no_proxy: *const c_char,
    proxy_from_environment: bool,
}

const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(offset_of!(ccgw_session_options, pinned_sha256) == offset_of!(SessionOptionsV2Layout, pinned_sha256));
    assert!(offset_of!(ccgw_session_options, disable_cookies) == offset_of!(SessionOptionsV2Layout, disable_cookies));
    assert!(offset_of!(ccgw_session_options, no_proxy) == offset_of!(SessionOptionsV2Layout, no_proxy));
    assert!(
        offset_of!(ccgw_session_options, proxy_from_environment)
            == offset_of!(SessionOptionsV2Layout, proxy_from_environment)
    );
    // What a version-2 caller allocated: the version-2 struct, tail padding included.
    assert!(size_of::<SessionOptionsV2Layout>() < size_of::<ccgw_session_options>());
};

/// Per-call options; pass NULL for the defaults.
#[repr(C)]
pub struct ccgw_call_options {
    /// `CCGW_CALL_OPTIONS_VERSION`, set by `ccgw_call_options_init`.
    pub version: u32,
    /// Request timeout for this call in ms; 0 means the session's.
    pub timeout_ms: u32,
    /// Cancels the call when cancelled (borrowed; may be NULL).
    pub cancel: *const ccgw_cancel,
}

/// Sign-in body fields (reference §3.1). Fill with `ccgw_sign_in_options_init`; fields
/// left at NULL or `CCGW_UNSET` are not sent, so the gateway's defaults apply.
#[repr(C)]
pub struct ccgw_sign_in_options {
    /// `CCGW_SIGN_IN_OPTIONS_VERSION`, set by `ccgw_sign_in_options_init`.
    pub version: u32,
    /// Agent password, at most 32 characters; NULL sends an empty password.
    pub password: *const c_char,
    /// Phone number to bind, at most 24 characters; mandatory when `force` is set.
    pub phonenum: *const c_char,
    /// Tri-state (`CCGW_UNSET`, 0, 1): answer calls automatically (gateway default 1).
    pub autoanswer: i32,
    /// Tri-state: go idle automatically after a call (gateway default 1).
    pub autoenteridle: i32,
    /// Tri-state: hang the phone up after a call (gateway default 1 on sign-in).
    pub releasephone: i32,
    /// `CCGW_UNSET`, 4 (PC + phone, the default) or 11 (PC + phone, video).
    pub agenttype: i32,
    /// `CCGW_UNSET`, 3 (busy), 4 (idle, the default) or 5 (wrap-up): state after sign-in.
    pub status: i32,
    /// Agent IPv4 address, at most 15 characters.
    pub ip: *const c_char,
    /// The agent client's application-gateway IP.
    pub entry_ip: *const c_char,
    /// Tri-state: hard-phone linkage (gateway default 0).
    pub phonelinkage: i32,
    /// Tri-state: also sign in to WebM (gateway default 1).
    pub check_in_webm: i32,
    /// Tri-state: also sign in to MailM (gateway default 0).
    pub check_in_mailm: i32,
    /// VC number, at most 24 characters.
    pub vc_phone_number: *const c_char,
    /// Tri-state: an inspector listens to this agent's sign-in/out (gateway default 0).
    pub listen_status: i32,
    /// When the gateway answers `100-002` (already signed in), sign in again by force
    /// (`forcelogin`, which needs `phonenum`), taking the session over.
    pub force: bool,
    /// (Version 2.) Stay signed in: the library keeps this request, password included, in
    /// memory wiped at sign-out, close and free (never logged), and when the gateway says
    /// the session is gone (a poll answered `100-006`/`000-003` twice with the current
    /// Guid, `105-001`/`004`/`005`/`006`/`007`, `AgentOther_ShutdownService` not caused by
    /// `ccgw_session_sign_out`, or a fail-over to a node that does not know the Guid) the
    /// event pump signs in again, retrying with backoff and jitter until it works, a
    /// refusal no retry cures (`100-004`, a locked account, ...), sign-out or close; then
    /// it polls on. Each step is an event: `CCGW_EVENT_SESSION_LOST`,
    /// `CCGW_EVENT_SIGNING_IN_AGAIN`, `CCGW_EVENT_SIGNED_IN_AGAIN` or
    /// `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`, and the gap (`CCGW_EVENT_EVENTS_LOST`,
    /// `CCGW_LOST_SIGN_IN_AGAIN`). With it the pump also rides out outages longer than
    /// `max_outage_ms`. Without it the pump stops with the reason (`CCGW_E_SESSION_*`).
    pub auto_resign_in: bool,
    /// (Version 2.) Signing in again may sign in by force on `100-002` (another client
    /// holds the agent): needs `phonenum`. Without it a `100-002` ends the re-sign-in with
    /// `CCGW_E_RESIGN_IN_FAILED`. The pump signs in by force at most once a minute (a
    /// second loss within that minute is signed in again without force), so two clients
    /// both set to take the agent back do not take it from each other without end; still,
    /// leave it off where another client may legitimately take the agent over.
    pub allow_forced_resign_in: bool,
}

/// `ccgw_sign_in_options` as version 1 laid it out.
#[repr(C)]
struct SignInOptionsV1 {
    version: u32,
    password: *const c_char,
    phonenum: *const c_char,
    autoanswer: i32,
    autoenteridle: i32,
    releasephone: i32,
    agenttype: i32,
    status: i32,
    ip: *const c_char,
    entry_ip: *const c_char,
    phonelinkage: i32,
    check_in_webm: i32,
    check_in_mailm: i32,
    vc_phone_number: *const c_char,
    listen_status: i32,
    force: bool,
}

// Version 2 only appends, and its two flags fit in version 1's tail padding: the struct
// keeps its size, so a version-1 caller's struct is read whole without overrunning it
// (the flags are read only when `version` >= 2).
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(offset_of!(ccgw_sign_in_options, force) == offset_of!(SignInOptionsV1, force));
    assert!(size_of::<SignInOptionsV1>() == size_of::<ccgw_sign_in_options>());
};

/// What the gateway says about a sign-in (library-owned; free with `ccgw_sign_in_result_free`).
#[repr(C)]
pub struct ccgw_sign_in_result {
    /// VDN (VCC) id; -1 when not given.
    pub vdn_id: i64,
    /// The agent's work number. Never NULL.
    pub work_no: *const c_char,
    /// Three T/F flags: CTI server, WebM, MailM (voice works only when the first is T). Never NULL.
    pub media_type: *const c_char,
    /// Sign-in time, ms since the epoch; -1 when not given.
    pub login_time: i64,
    /// 1 when the password must be changed, 0 when not, -1 when not given.
    pub is_force_change: i32,
    /// Name of the CC-Gateway cluster signed in to. Never NULL.
    pub server_name: *const c_char,
    /// Days until the password expires; -1 when not given or never.
    pub time_remaining: i64,
    /// True when the sign-in went through forced sign-in.
    pub forced: bool,
}

/// An agent session: base URL(s), TLS, timeouts, the agent id and the current Guid.
/// Create with `ccgw_session_new`; one handle may be used from any number of threads at
/// once; `ccgw_session_close` may race with anything; `ccgw_session_free` with nothing.
pub struct ccgw_session {
    magic: u64,
    pub(crate) session: Session,
    agent_id_c: CString,
}

const SESSION_MAGIC: u64 = 0x6363_6777_5345_5353;
const DEAD_MAGIC: u64 = 0xdead_dead_dead_dead;

/// A live session behind a handle pointer.
pub(crate) fn session_ref<'a>(p: *const ccgw_session) -> Result<&'a Session> {
    let s = arg_ref(p, "session")?;
    if crate::runtime::forked() {
        return Err(crate::runtime::forked_error());
    }
    if s.magic != SESSION_MAGIC {
        return Err(Error::new(CCGW_E_INVALID_ARGUMENT, "session is not a live ccgw_session (freed, or not one)"));
    }
    // The call's blocking part runs on one of this session's lanes (`runtime::block_on`).
    crate::runtime::set_caller(s.session.0.transport.lanes());
    Ok(&s.session)
}

/// Per-call options from a nullable pointer.
pub(crate) fn call_options(p: *const ccgw_call_options) -> Result<CallOptions> {
    // SAFETY: NULL or a valid pointer, per the documented contract.
    let Some(o) = (unsafe { p.as_ref() }) else { return Ok(CallOptions::default()) };
    check_version(o.version, CCGW_CALL_OPTIONS_VERSION, "ccgw_call_options")?;
    // SAFETY: NULL or a live token, per the documented contract.
    let cancel = unsafe { o.cancel.as_ref() }.map(|c| c.token.clone());
    Ok(CallOptions { timeout: (o.timeout_ms > 0).then(|| Duration::from_millis(o.timeout_ms.into())), cancel })
}

/// Fills `*opts` with the defaults of `version` (pass `CCGW_SESSION_OPTIONS_VERSION`):
/// no URLs, no agent, system trust store, verification on, default timeouts, dynamic auth;
/// (version 2) no pin, cookies on, no proxy; (version 3) the fail-over defaults
/// (`CCGW_DEFAULT_SWITCHOVER_WAIT_MS` and the others). Writes only the fields `version`
/// has, so a program built against an older header passes its own (older) version and
/// struct.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
/// nothing; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_options_init(opts: *mut ccgw_session_options, version: u32) -> ccgw_status {
    guard_pure("ccgw_session_options_init", || {
        check_version(version, CCGW_SESSION_OPTIONS_VERSION, "ccgw_session_options")?;
        if opts.is_null() {
            return Err(Error::new(CCGW_E_NULL_ARGUMENT, "opts must not be NULL"));
        }
        // SAFETY: a caller of any version allocated (at least) the version-1 prefix.
        unsafe {
            opts.cast::<SessionOptionsV1>().write(SessionOptionsV1 {
                version,
                base_url: std::ptr::null(),
                fallback_urls: std::ptr::null(),
                fallback_url_count: 0,
                agent_id: std::ptr::null(),
                agent_id_max: 0,
                ca_file: std::ptr::null(),
                ca_pem: std::ptr::null(),
                ca_pem_len: 0,
                insecure_accept_any_certificate: false,
                allow_plain_http: false,
                connect_timeout_ms: CCGW_DEFAULT_CONNECT_TIMEOUT_MS,
                request_timeout_ms: CCGW_DEFAULT_REQUEST_TIMEOUT_MS,
                auth_mode: CCGW_AUTH_DYNAMIC,
            })
        };
        if version >= 2 {
            // SAFETY: a version-2 caller allocated the whole struct.
            unsafe {
                std::ptr::addr_of_mut!((*opts).pinned_sha256).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).pinned_cert_file).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).disable_cookies).write(false);
                std::ptr::addr_of_mut!((*opts).proxy_url).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).proxy_username).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).proxy_password).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).no_proxy).write(std::ptr::null());
                std::ptr::addr_of_mut!((*opts).proxy_from_environment).write(false);
            }
        }
        if version >= 3 {
            // SAFETY: a version-3 caller allocated the whole struct.
            unsafe {
                std::ptr::addr_of_mut!((*opts).switchover_wait_ms).write(CCGW_DEFAULT_SWITCHOVER_WAIT_MS);
                std::ptr::addr_of_mut!((*opts).failback_after_ms).write(CCGW_DEFAULT_FAILBACK_AFTER_MS);
                std::ptr::addr_of_mut!((*opts).retry_backoff_initial_ms).write(CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS);
                std::ptr::addr_of_mut!((*opts).retry_backoff_max_ms).write(CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS);
                std::ptr::addr_of_mut!((*opts).retry_rounds).write(CCGW_DEFAULT_RETRY_ROUNDS);
            }
        }
        Ok(())
    })
}

/// Fills `*opts` with the defaults of `version` (pass `CCGW_SIGN_IN_OPTIONS_VERSION`):
/// every field unset, `force` (and in version 2 `auto_resign_in`, `allow_forced_resign_in`) false.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_sign_in_options_init(opts: *mut ccgw_sign_in_options, version: u32) -> ccgw_status {
    guard_pure("ccgw_sign_in_options_init", || {
        check_version(version, CCGW_SIGN_IN_OPTIONS_VERSION, "ccgw_sign_in_options")?;
        let o = arg_mut(opts, "opts")?;
        let unset = super::CCGW_UNSET;
        *o = ccgw_sign_in_options {
            version,
            password: std::ptr::null(),
            phonenum: std::ptr::null(),
            autoanswer: unset,
            autoenteridle: unset,
            releasephone: unset,
            agenttype: unset,
            status: unset,
            ip: std::ptr::null(),
            entry_ip: std::ptr::null(),
            phonelinkage: unset,
            check_in_webm: unset,
            check_in_mailm: unset,
            vc_phone_number: std::ptr::null(),
            listen_status: unset,
            force: false,
            auto_resign_in: false,
            allow_forced_resign_in: false,
        };
        Ok(())
    })
}

/// Fills `*opts` with the defaults of `version` (pass `CCGW_CALL_OPTIONS_VERSION`): the
/// session's timeout, no cancellation token.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_call_options_init(opts: *mut ccgw_call_options, version: u32) -> ccgw_status {
    guard_pure("ccgw_call_options_init", || {
        check_version(version, CCGW_CALL_OPTIONS_VERSION, "ccgw_call_options")?;
        let o = arg_mut(opts, "opts")?;
        *o = ccgw_call_options { version, timeout_ms: 0, cancel: std::ptr::null() };
        Ok(())
    })
}

/// The version-2 fields of `ccgw_session_options`, as read from a caller of any version.
#[derive(Default)]
struct SessionOptionsV2 {
    pins: Vec<[u8; 32]>,
    disable_cookies: bool,
    proxy: ProxyConfig,
}

fn session_options_v2(p: *const ccgw_session_options) -> Result<SessionOptionsV2> {
    // SAFETY: a caller of version 2 or later allocated (at least) the version-2 layout
    // (checked by the caller).
    let o = unsafe { &*p.cast::<SessionOptionsV2Layout>() };
    let mut v2 = SessionOptionsV2 { disable_cookies: o.disable_cookies, ..Default::default() };
    if let Some(text) = opt_str(o.pinned_sha256, "pinned_sha256")? {
        v2.pins.extend(crate::tls::parse_fingerprints(text)?);
    }
    if let Some(path) = opt_str(o.pinned_cert_file, "pinned_cert_file")? {
        let bytes = crate::platform::read_regular_file(path, CCGW_CA_FILE_MAX_BYTES.into())
            .map_err(|why| Error::new(CCGW_E_INVALID_ARGUMENT, format!("pinned_cert_file {path:?} {why}")))?;
        v2.pins.extend(crate::tls::pins_from_certificates(&bytes, &format!("pinned_cert_file {path:?}"))?);
    }
    let user = opt_str(o.proxy_username, "proxy_username")?;
    // SAFETY: NULL or a NUL-terminated string, per the documented contract; copied
    // straight into a wiped buffer.
    let password = match unsafe { o.proxy_password.as_ref() } {
        None => None,
        Some(_) => Some(Zeroizing::new(opt_str(o.proxy_password, "proxy_password")?.unwrap_or("").to_string())),
    };
    let no_proxy = opt_str(o.no_proxy, "no_proxy")?.map(str::to_string);
    v2.proxy = match (opt_str(o.proxy_url, "proxy_url")?, o.proxy_from_environment) {
        (Some(_), true) => {
            return Err(crate::error::invalid("give either proxy_url or proxy_from_environment, not both"))
        }
        (Some(url), false) => {
            let url = crate::transport::parse_proxy_url(url)?;
            let credentials = match (user, password) {
                (Some(u), Some(p)) if !u.is_empty() => Some((u.to_string(), p)),
                (None, None) => None,
                _ => return Err(crate::error::invalid("give proxy_username and proxy_password together")),
            };
            ProxyConfig::Explicit { url, credentials, no_proxy }
        }
        (None, env) => {
            if user.is_some() || password.is_some() || no_proxy.is_some() {
                return Err(crate::error::invalid(
                    "proxy_username, proxy_password and no_proxy go with proxy_url (the environment's proxy \
                     takes its credentials from its URL and NO_PROXY)",
                ));
            }
            if env {
                ProxyConfig::Environment
            } else {
                ProxyConfig::None
            }
        }
    };
    Ok(v2)
}

/// The version-3 fields (the fail-over policy), as read from a caller of any version.
fn failover_policy(p: *const ccgw_session_options, version: u32) -> Result<crate::failover::Policy> {
    use crate::failover::Policy;
    if version < 3 {
        return Ok(Policy::default());
    }
    // SAFETY: a version-3 caller allocated the whole struct (checked by the caller).
    let o = unsafe { &*p };
    let ms = |v: u32, default: u32| Duration::from_millis(u64::from(if v == 0 { default } else { v }));
    let policy = Policy {
        switchover_wait: ms(o.switchover_wait_ms, CCGW_DEFAULT_SWITCHOVER_WAIT_MS),
        failback_after: ms(o.failback_after_ms, CCGW_DEFAULT_FAILBACK_AFTER_MS),
        backoff_initial: ms(o.retry_backoff_initial_ms, CCGW_DEFAULT_RETRY_BACKOFF_INITIAL_MS),
        backoff_max: ms(o.retry_backoff_max_ms, CCGW_DEFAULT_RETRY_BACKOFF_MAX_MS),
        retry_rounds: if o.retry_rounds == 0 { CCGW_DEFAULT_RETRY_ROUNDS } else { o.retry_rounds },
    };
    if policy.backoff_max < policy.backoff_initial {
        return Err(Error::new(
            CCGW_E_OUT_OF_RANGE,
            format!(
                "retry_backoff_max_ms ({} ms) is below retry_backoff_initial_ms ({} ms)",
                policy.backoff_max.as_millis(),
                policy.backoff_initial.as_millis()
            ),
        ));
    }
    if policy.retry_rounds > CCGW_RETRY_ROUNDS_MAX {
        return Err(Error::new(
            CCGW_E_OUT_OF_RANGE,
            format!("retry_rounds {} is above {CCGW_RETRY_ROUNDS_MAX}", policy.retry_rounds),
        ));
    }
    Ok(policy)
}

fn session_config(p: *const ccgw_session_options) -> Result<SessionConfig> {
    // SAFETY: a valid pointer (documented contract) to at least the version-1 prefix,
    // which every version starts with.
    let o = arg_ref(p.cast::<SessionOptionsV1>(), "opts")?;
    check_version(o.version, CCGW_SESSION_OPTIONS_VERSION, "ccgw_session_options")?;
    let v2 = if o.version >= 2 { session_options_v2(p)? } else { SessionOptionsV2::default() };
    let failover = failover_policy(p, o.version)?;
    let mut base_urls = vec![arg_str(o.base_url, "base_url")?.to_string()];
    for (i, &u) in arg_slice(o.fallback_urls, o.fallback_url_count, "fallback_urls")?.iter().enumerate() {
        base_urls.push(arg_str(u, &format!("fallback_urls[{i}]"))?.to_string());
    }
    let agent_id = arg_str(o.agent_id, "agent_id")?.to_string();
    let roots = if !o.ca_pem.is_null() || o.ca_pem_len > 0 {
        if o.ca_file.is_null() {
            Roots::Pem(arg_slice(o.ca_pem, o.ca_pem_len, "ca_pem")?.to_vec())
        } else {
            return Err(crate::error::invalid("give the CA either as ca_file or as ca_pem, not both"));
        }
    } else if let Some(path) = opt_str(o.ca_file, "ca_file")? {
        let pem = crate::platform::read_regular_file(path, CCGW_CA_FILE_MAX_BYTES.into())
            .map_err(|why| Error::new(CCGW_E_INVALID_ARGUMENT, format!("ca_file {path:?} {why}")))?;
        Roots::Pem(pem)
    } else {
        Roots::System
    };
    let auth_mode = match o.auth_mode {
        0 | CCGW_AUTH_DYNAMIC => AuthMode::Dynamic,
        CCGW_AUTH_STATIC => AuthMode::Static,
        n => {
            return Err(Error::new(
                CCGW_E_OUT_OF_RANGE,
                format!("auth_mode {n} is neither CCGW_AUTH_STATIC (1) nor CCGW_AUTH_DYNAMIC (2)"),
            ))
        }
    };
    let ms = |v: u32, default: u32| Duration::from_millis(u64::from(if v == 0 { default } else { v }));
    Ok(SessionConfig {
        transport: TransportConfig {
            base_urls,
            allow_plain_http: o.allow_plain_http,
            roots,
            pins: v2.pins,
            cookies: !v2.disable_cookies,
            proxy: v2.proxy,
            failover,
            insecure_accept_any_certificate: o.insecure_accept_any_certificate,
            connect_timeout: ms(o.connect_timeout_ms, CCGW_DEFAULT_CONNECT_TIMEOUT_MS),
            request_timeout: ms(o.request_timeout_ms, CCGW_DEFAULT_REQUEST_TIMEOUT_MS),
        },
        agent_id,
        agent_id_max: if o.agent_id_max == 0 { AGENT_ID_MAX_DEFAULT } else { o.agent_id_max },
        auth_mode,
    })
}

/// Creates a session in `*out` from `opts`. Validates every option (agent id range, URLs,
/// CA) and prepares TLS; sends nothing. Free the session with `ccgw_session_free`.
///
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_INVALID_ARGUMENT`
/// (bad URL or CA), `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (agent id, auth mode),
/// `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_TLS` (no usable system trust store), `CCGW_E_FORKED`.
/// A pin (`pinned_sha256`, `pinned_cert_file`) that cannot be read, or one given together
/// with a CA, is `CCGW_E_INVALID_ARGUMENT`.
/// `*out` is NULL on failure. Blocks only to read `ca_file` (a regular file: never on a
/// FIFO or device). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_new(
    opts: *const ccgw_session_options,
    out: *mut *mut ccgw_session,
) -> ccgw_status {
    guard("ccgw_session_new", || {
        let out = out_ptr(out, "out")?;
        let cfg = session_config(opts)?;
        // The runtime must exist before the HTTP client, which registers with it.
        let handle = crate::runtime::handle()?;
        let _enter = handle.enter();
        let session = Session::new(&cfg)?;
        let agent_id_c = CString::new(session.agent_id()).unwrap_or_default();
        *out = Box::into_raw(Box::new(ccgw_session { magic: SESSION_MAGIC, session, agent_id_c }));
        Ok(())
    })
}

fn sign_in_request(p: *const ccgw_sign_in_options) -> Result<SignInRequest> {
    // Read through the version-1 layout: in a version-1 caller's struct the version-2
    // flags are padding, whose bytes need not be valid `bool`s.
    let o = arg_ref(p.cast::<SignInOptionsV1>(), "opts")?;
    check_version(o.version, CCGW_SIGN_IN_OPTIONS_VERSION, "ccgw_sign_in_options")?;
    // SAFETY: a version-2 caller allocated and filled the flags; read as bytes.
    let flag = |f: *const bool| o.version >= 2 && unsafe { f.cast::<u8>().read() } != 0;
    let s = |p, n| opt_str(p, n).map(|v| v.map(str::to_string));
    Ok(SignInRequest {
        password: Zeroizing::new(opt_str(o.password, "password")?.unwrap_or("").to_string()),
        phonenum: s(o.phonenum, "phonenum")?,
        autoanswer: tri(o.autoanswer, "autoanswer")?,
        autoenteridle: tri(o.autoenteridle, "autoenteridle")?,
        releasephone: tri(o.releasephone, "releasephone")?,
        agenttype: opt_int(o.agenttype),
        status: opt_int(o.status),
        ip: s(o.ip, "ip")?,
        entry_ip: s(o.entry_ip, "entry_ip")?,
        phonelinkage: tri(o.phonelinkage, "phonelinkage")?,
        check_in_webm: tri(o.check_in_webm, "check_in_webm")?,
        check_in_mailm: tri(o.check_in_mailm, "check_in_mailm")?,
        vc_phone_number: s(o.vc_phone_number, "vc_phone_number")?,
        listen_status: tri(o.listen_status, "listen_status")?,
        force: o.force,
        auto_resign_in: flag(unsafe { std::ptr::addr_of!((*p).auto_resign_in) }),
        allow_forced_resign_in: flag(unsafe { std::ptr::addr_of!((*p).allow_forced_resign_in) }),
    })
}

/// Owner of a sign-in result; `public` comes first so the pointer handed out is the box's.
#[repr(C)]
struct SignInResultBox {
    public: ccgw_sign_in_result,
    _strings: [CString; 3],
}

fn sign_in_result_box(r: &SignInResult) -> *mut ccgw_sign_in_result {
    let strings = [r.work_no.as_str(), r.media_type.as_str(), r.server_name.as_str()]
        .map(|s| CString::new(s.replace('\0', " ")).unwrap_or_default());
    let public = ccgw_sign_in_result {
        vdn_id: r.vdn_id,
        work_no: strings[0].as_ptr(),
        media_type: strings[1].as_ptr(),
        login_time: r.login_time,
        is_force_change: r.is_force_change.map_or(-1, i32::from),
        server_name: strings[2].as_ptr(),
        time_remaining: r.time_remaining,
        forced: r.forced,
    };
    Box::into_raw(Box::new(SignInResultBox { public, _strings: strings })).cast()
}

/// Signs the agent in (`PUT onlineagent/{agentid}`, log name `login`) and stores the Guid
/// from the answer's `Set-GUID`. With `opts->force`, a `100-002` answer (already signed in)
/// is followed by forced sign-in (`forcelogin`). Start the event pump right after: without
/// polls the gateway signs the agent out after 2 minutes.
///
/// `opts` is borrowed (mandatory; its strings for the duration of the call). `result` may
/// be NULL; otherwise `*result` receives the gateway's sign-in details, to free with
/// `ccgw_sign_in_result_free` (NULL on failure). `call` may be NULL.
///
/// Returns `CCGW_OK`; argument errors (`CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`) with nothing sent; transport
/// errors (`CCGW_E_CONNECT`, `CCGW_E_TLS`, ..., `CCGW_E_RESPONSE_TIMEOUT`,
/// `CCGW_E_HTTP_STATUS`, a redirect included: never followed; `CCGW_E_GATEWAY_UNAVAILABLE`,
/// `CCGW_E_BAD_GATEWAY` once every base URL was tried, see FAIL-OVER); gateway errors
/// (`CCGW_E_GW_WRONG_CREDENTIALS`, `CCGW_E_GW_ALREADY_SIGNED_IN` without `force`,
/// `CCGW_E_GW_SIGNIN_IN_PROGRESS`, ...); `CCGW_E_MALFORMED_RESPONSE` when the gateway
/// accepted the sign-in but its answer carries no usable Guid (`Set-GUID` absent, empty,
/// over 256 bytes, with a space or control character, or not printable ASCII; the message
/// says which, never the value) or is not the envelope; `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`, `CCGW_E_FORKED`.
///
/// The session's Guid and the status agree: on `CCGW_OK` the session holds the Guid of
/// this sign-in. On `CCGW_E_MALFORMED_RESPONSE` it holds none (an earlier one is dropped:
/// the gateway may have signed the agent in anew, which ends it), and the message says the
/// agent may be signed in at the gateway; recover with a forced sign-in. On any other
/// failure the Guid is as it was. `Set-GUID` is read only from 2xx answers.
///
/// With `opts->auto_resign_in` (version 2) the request is kept, wiped at sign-out, close
/// and free, for the event pump to sign in again when the gateway says the session is
/// gone; a sign-in without it wipes any request kept before.
///
/// Goes to the primary (`base_url`) unless it failed within `failback_after_ms`, and on
/// to the other base URLs as FAIL-OVER at the top of this header says.
///
/// Blocks until the gateway answers or the request timeout passes (twice that with a
/// forced sign-in), retries and pauses included. Thread-safe, but sign in from one thread
/// at a time.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_sign_in(
    session: *mut ccgw_session,
    opts: *const ccgw_sign_in_options,
    call: *const ccgw_call_options,
    result: *mut *mut ccgw_sign_in_result,
) -> ccgw_status {
    guard("login", || {
        // SAFETY: NULL or a valid pointer, per the documented contract.
        let result = unsafe { result.as_mut() }.map(|slot| {
            *slot = std::ptr::null_mut();
            slot
        });
        let s = session_ref(session)?;
        // Wiped when dropped: the password, and the phone number and addresses too.
        let req = crate::session::KeptSignIn(sign_in_request(opts)?);
        let call = call_options(call)?;
        let r = block_on_shared(s.sign_in_kept(&req.0, &call))??;
        if let Some(slot) = result {
            *slot = sign_in_result_box(&r);
        }
        Ok(())
    })
}

/// Frees a sign-in result. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_sign_in_result_free(result: *mut ccgw_sign_in_result) {
    guard_value((), || {
        if !result.is_null() {
            // SAFETY: created by sign_in_result_box (first field of a boxed SignInResultBox).
            drop(unsafe { Box::from_raw(result.cast::<SignInResultBox>()) });
        }
    })
}

/// Signs the agent out (`DELETE onlineagent/{agentid}/logout`, log name `logout`), after
/// stopping the event pump. The session's Guid is forgotten when the gateway confirms, or
/// answers that the agent was not or no longer signed in (`CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_ALREADY_SIGNED_OUT`, still returned). An agent in a call is not signed out
/// (`CCGW_E_GW_SIGNOUT_STATE`).
///
/// Returns `CCGW_OK`, `CCGW_E_NOT_SIGNED_IN` (no Guid; nothing sent), transport and
/// gateway errors, `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// With `auto_resign_in`, a sign-in again whose outcome is unknown (its answer lost, or
/// cut short by this sign-out) may have signed the agent in while the session has no Guid:
/// then `CCGW_E_NOT_SIGNED_IN`'s message says the agent may still be signed in (the
/// gateway signs it out after 2 minutes without an event poll; a forced sign-in and a
/// sign-out end it at once).
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_sign_out(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("logout", || {
        let s = session_ref(session)?;
        let call = call_options(call)?;
        block_on_shared(s.sign_out(&call))?
    })
}

/// Asks the gateway for a fresh Guid (`PUT onlineagent/{agentid}/updateGuid`) and stores
/// it: the answer's `Set-GUID`, or its `result.guid` when it has no such header (reference
/// §2.4).
///
/// Returns `CCGW_OK` (the session holds the new Guid), `CCGW_E_NOT_SIGNED_IN`, transport
/// and gateway errors, `CCGW_E_MALFORMED_RESPONSE` (no usable Guid in the answer; the
/// message says why), `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. On any
/// failure the session keeps the Guid it had. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_update_guid(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("updateGuid", || {
        let s = session_ref(session)?;
        let call = call_options(call)?;
        block_on(s.update_guid(&call))?
    })
}

/// Attaches a Guid obtained elsewhere (an application that signs the agent in by other
/// means), replacing the session's. `guid` is borrowed and copied; it must be printable
/// ASCII, at most 256 bytes.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_CLOSED`.
/// Blocks on nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_set_guid(session: *mut ccgw_session, guid: *const c_char) -> ccgw_status {
    guard("ccgw_session_set_guid", || {
        let s = session_ref(session)?;
        if s.is_closed() {
            return Err(Error::new(CCGW_E_CLOSED, "the session is closed"));
        }
        s.set_guid(arg_str(guid, "guid")?)
    })
}

/// Copies the current Guid into `*out` (an owned string; free it with `ccgw_string_free`,
/// which also wipes it). Treat it as a secret: it authenticates the agent.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_NOT_SIGNED_IN` (no Guid), or
/// `CCGW_E_CLOSED` (the session is closed: `ccgw_session_close` wipes the Guid, so take
/// it before closing if another process is to use it); `*out` is NULL on failure.
/// Blocks on nothing. Thread-safe; the Guid may change right after (rotation).
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_get_guid(session: *const ccgw_session, out: *mut *mut c_char) -> ccgw_status {
    guard("ccgw_session_get_guid", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        if s.is_closed() {
            return Err(Error::new(CCGW_E_CLOSED, "the session is closed (its Guid was wiped)"));
        }
        let g = s.guid().ok_or_else(|| Error::new(CCGW_E_NOT_SIGNED_IN, "the session has no Guid"))?;
        *out = owned_c_string(&g);
        Ok(())
    })
}

/// The session's agent id (borrowed from the session: valid until `ccgw_session_free`;
/// do not free it). NULL when `session` is NULL or not a live session.
///
/// Blocks on nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_agent_id(session: *const ccgw_session) -> *const c_char {
    guard_value(std::ptr::null(), || match session_ref(session) {
        Ok(_) => {
            // SAFETY: checked live above.
            let h = unsafe { &*session };
            h.agent_id_c.as_ptr()
        }
        Err(_) => std::ptr::null(),
    })
}

/// Closes the session: every call in progress on it returns `CCGW_E_CLOSED` promptly, the
/// event pump ends, `ccgw_events_next` hands out what is queued and then returns
/// `CCGW_E_CLOSED`, later calls return `CCGW_E_CLOSED` (`ccgw_session_get_guid`
/// included: the Guid is wiped here). It does not sign the agent out (call
/// `ccgw_session_sign_out` first for that). Idempotent.
///
/// Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing. Thread-safe: may race
/// with any call on the session (but not with `ccgw_session_free`).
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_close(session: *mut ccgw_session) -> ccgw_status {
    guard("ccgw_session_close", || {
        session_ref(session)?.close();
        Ok(())
    })
}

/// Closes (if needed) and frees the session: stops the event pump (cancelling its poll),
/// unregisters the event callback after a running callback returns (calling its
/// `userdata_free`), and wipes the Guid from memory. Queued events are discarded. NULL is
/// ignored. No other thread may be using the session or start using it, and a session's
/// own event callback must not free it; free it exactly once. Blocks only for the pump and
/// a running callback to finish.
///
/// In a process forked after the library started its threads, it does nothing (quietly,
/// joining no thread): the session stays allocated in the child.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_free(session: *mut ccgw_session) {
    super::guard_free(|| {
        if session_ref(session).is_err() {
            return;
        }
        // SAFETY: a live session created by ccgw_session_new, freed exactly once (contract).
        let mut b = unsafe { Box::from_raw(session) };
        b.magic = DEAD_MAGIC;
        // Closing ends the pump and the queue; wait for the pump where blocking is allowed,
        // then unregister the callback (releasing its userdata).
        b.session.close();
        // On the pump's runtime: nothing goes out, no lane is needed.
        let _ = block_on_shared(b.session.stop_events());
        let _ = b.session.set_event_callback(None);
        b.session.clear_guid();
        drop(b);
    })
}

/// Any gateway interface through the session's Guid, TLS, timeouts and error mapping:
/// `method` is `GET`, `POST`, `PUT` or `DELETE`; `path` is relative to
/// `/agentgateway/resource/` and may contain `{agentid}` (replaced by the session's agent
/// id), e.g. `"agentconf/{agentid}/requestagentconf"`, `"voicecall/{agentid}/callout"`
/// or `"voicecall/{agentid}/gethold?callid=1455885056-1095"`; `json_body` is a JSON
/// document, checked and sent as given, or NULL for none. The session's Guid is sent when
/// it has one. On `CCGW_OK`,
/// `*json_out` receives the whole answer as JSON (free it with `ccgw_string_free`); on
/// failure it is NULL and the retcode is in the last error.
///
/// The path never leaves the gateway: it is split into segments appended to the resource
/// root (never resolved as a URL reference), and the URL built is checked to have the
/// gateway's scheme, host and port and to lie below `/agentgateway/resource/`. Each
/// segment must be non-empty, not `.` or `..`, and hold only ASCII letters, digits and
/// `-._~!$&'()*+,=` (no `%`: nothing is percent-encoded or decoded in a path; no `:`,
/// at signs, `;`, backslashes, braces, spaces, control or non-ASCII characters). After `?`, the query
/// may hold anything but spaces, control characters and `#` (non-ASCII is sent
/// percent-encoded as UTF-8). Anything else is refused before sending; the message names
/// the character and the segment's position, never the path.
///
/// Returns `CCGW_OK`, argument errors (`CCGW_E_INVALID_ARGUMENT`: bad method, a path as
/// above, invalid JSON; `CCGW_E_TOO_LONG`: a path over 2048 bytes; nothing sent),
/// transport and gateway errors, `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
/// `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_request(
    session: *mut ccgw_session,
    method: *const c_char,
    path: *const c_char,
    json_body: *const c_char,
    call: *const ccgw_call_options,
    json_out: *mut *mut c_char,
) -> ccgw_status {
    guard("ccgw_session_request", || {
        let out = out_ptr(json_out, "json_out")?;
        let s = session_ref(session)?;
        let method = arg_str(method, "method")?;
        let path = arg_str(path, "path")?;
        let body = opt_str(json_body, "json_body")?;
        let call = call_options(call)?;
        let v = block_on(s.request(method, path, body, &call))??;
        *out = owned_c_string(&v.to_string());
        Ok(())
    })
}
