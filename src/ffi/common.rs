//! Library-wide exports: version, status text, the thread's last error, strings the
//! library hands out, cancellation tokens, the log callback and global shutdown.

use super::{arg_ref, guard, guard_value, out_ptr};
use crate::error::Error;
use crate::log::{self, Level, Sink};
use crate::status::*;
use std::ffi::{c_char, c_void, CString};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// ABI major version: bumped only when a change breaks binary compatibility. It is the
/// number in the shared library's soname (`libccgw.so.1`).
pub const CCGW_ABI_VERSION: u32 = 1;

/// The library version, `MAJOR.MINOR.PATCH`, as a static string (never free it).
///
/// Blocks on nothing; thread-safe; never fails.
#[no_mangle]
pub extern "C" fn ccgw_version() -> *const c_char {
    guard_value(std::ptr::null(), || concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast())
}

/// The ABI version of the loaded library (compare with `CCGW_ABI_VERSION` from the header
/// the program was built with; bindings refuse a mismatch).
///
/// Blocks on nothing; thread-safe; never fails.
#[no_mangle]
pub extern "C" fn ccgw_abi_version() -> u32 {
    guard_value(0, || CCGW_ABI_VERSION)
}

/// A static, NUL-terminated English description of any status number, known or not
/// (never NULL, never free it).
///
/// Blocks on nothing; thread-safe.
#[no_mangle]
pub extern "C" fn ccgw_status_str(status: ccgw_status) -> *const c_char {
    guard_value(c"internal error".as_ptr(), || describe(status).as_ptr().cast())
}

/// Whether `status` carries a gateway retcode (the gateway refused the request).
///
/// Blocks on nothing; thread-safe.
#[no_mangle]
pub extern "C" fn ccgw_status_is_gateway(status: ccgw_status) -> bool {
    guard_value(false, || is_gateway(status))
}

/// The status of the last failed ccgw call on this thread (`CCGW_OK` when the last fallible
/// call succeeded). Every fallible call clears the last error on entry.
///
/// Thread-local: read it on the thread that made the failing call, before the next ccgw call.
#[no_mangle]
pub extern "C" fn ccgw_last_error_status() -> ccgw_status {
    guard_value(CCGW_E_INTERNAL, || super::with_last_error(|s, _, _, _| s))
}

/// One-line detail of the last failed ccgw call on this thread: what failed and why,
/// naming the operation as the gateway docs do (`batchAddParticipant`, ...). Never NULL
/// (an empty string when there was no failure). One line of at most 1024 characters;
/// text from the network in it (the gateway's `message`, a content type, a TLS error) has
/// control characters replaced and is cut to 200 characters. Never contains a Guid,
/// password or call data (words of the gateway's message echoing the request are
/// replaced by `…`).
///
/// Borrowed: valid until the next ccgw call on this thread; do not free it. Thread-local.
#[no_mangle]
pub extern "C" fn ccgw_last_error_message() -> *const c_char {
    guard_value(c"".as_ptr(), super::last_message_ptr)
}

/// The gateway `retcode` of the last failed call on this thread (for example `"101-002"`),
/// or an empty string when the failure did not come from the gateway. Never NULL.
///
/// Borrowed: valid until the next ccgw call on this thread; do not free it. Thread-local.
#[no_mangle]
pub extern "C" fn ccgw_last_error_retcode() -> *const c_char {
    guard_value(c"".as_ptr(), super::last_retcode_ptr)
}

/// The HTTP status of the answer behind the last failed call on this thread, or 0 when no
/// answer arrived. Thread-local.
#[no_mangle]
pub extern "C" fn ccgw_last_error_http_status() -> i32 {
    guard_value(0, || super::with_last_error(|_, _, _, h| h))
}

// ---- Issue 11 (fail-over): what a status means, the CTI code of the last error ----

/// What `status` means for the operation that returned it, decided by the status alone:
/// `CCGW_OUTCOME_OK`, `CCGW_OUTCOME_NOT_SENT` (nothing reached the gateway),
/// `CCGW_OUTCOME_REFUSED` (the gateway or its front end answered and did not carry it
/// out) or `CCGW_OUTCOME_MAY_HAVE_RUN` (unknown: check the state before doing it again).
/// A status this library does not know (from a newer library) is
/// `CCGW_OUTCOME_MAY_HAVE_RUN`. See each `CCGW_OUTCOME_*` for the statuses it covers.
///
/// Blocks on nothing; thread-safe; never fails.
#[no_mangle]
pub extern "C" fn ccgw_status_outcome(status: ccgw_status) -> ccgw_outcome {
    guard_value(CCGW_OUTCOME_MAY_HAVE_RUN, || outcome(status))
}

/// Whether calling again unchanged, after a pause, may succeed and surely cannot carry the
/// operation out twice: the outcome is not sent or refused, for a passing cause
/// (`CCGW_E_CONNECT`, `CCGW_E_CONNECT_TIMEOUT`, `CCGW_E_NOT_SENT`,
/// `CCGW_E_GATEWAY_UNAVAILABLE`, gateway `000-004`, `000-007`, `100-003`, `100-021`,
/// `105-002`). After a fail-over the session already points at the next base URL.
///
/// Blocks on nothing; thread-safe; never fails.
#[no_mangle]
pub extern "C" fn ccgw_status_retryable(status: ccgw_status) -> bool {
    guard_value(false, || retryable(status))
}

/// The CTI-platform result code of the last failed call on this thread, when the
/// gateway's `message` read `Unknown ERROR._<digits>` (reference §1: the gateway passing a
/// code of the CTI platform's own table through), else 0. Only the first such marker
/// counts, with 1 to 12 digits; digits that echo the request (a call id, a number) are
/// not taken for a code. Thread-local, like the other `ccgw_last_error_*`.
#[no_mangle]
pub extern "C" fn ccgw_last_error_cti_code() -> i64 {
    guard_value(0, super::last_cti_code)
}

// ---- end of issue 11 (fail-over) ----

/// Frees a string the library returned (for example from `ccgw_session_get_guid` or
/// `ccgw_session_request`). Its bytes are overwritten with zeros first. NULL is ignored.
/// Never pass it to `free()`, and never free the same string twice.
///
/// Blocks on nothing; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_string_free(s: *mut c_char) {
    guard_value((), || {
        if s.is_null() {
            return;
        }
        // SAFETY: `s` came from CString::into_raw in this library (documented contract).
        let c = unsafe { CString::from_raw(s) };
        let mut bytes = c.into_bytes_with_nul();
        zeroize::Zeroize::zeroize(&mut bytes);
    })
}

/// A cancellation token: pass it in `ccgw_call_options.cancel`; `ccgw_cancel_cancel` from
/// any thread makes the calls using it return `CCGW_E_CANCELLED` promptly.
pub struct ccgw_cancel {
    pub(crate) token: CancellationToken,
}

/// Creates a cancellation token in `*out` (free it with `ccgw_cancel_free`).
///
/// Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_cancel_new(out: *mut *mut ccgw_cancel) -> ccgw_status {
    guard("ccgw_cancel_new", || {
        let out = out_ptr(out, "out")?;
        *out = Box::into_raw(Box::new(ccgw_cancel { token: CancellationToken::new() }));
        Ok(())
    })
}

/// Cancels every call using `cancel`, now and later (a token cannot be reset; make a new one).
///
/// Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Blocks on nothing; thread-safe, may race
/// with calls using the token.
#[no_mangle]
pub unsafe extern "C" fn ccgw_cancel_cancel(cancel: *const ccgw_cancel) -> ccgw_status {
    guard("ccgw_cancel_cancel", || {
        arg_ref(cancel, "cancel")?.token.cancel();
        Ok(())
    })
}

/// Frees a token from `ccgw_cancel_new`. NULL is ignored. No call may still be using it.
/// In a forked child it does nothing (the token may be shared with threads the child does
/// not have).
#[no_mangle]
pub unsafe extern "C" fn ccgw_cancel_free(cancel: *mut ccgw_cancel) {
    super::guard_free(|| {
        if !cancel.is_null() {
            // SAFETY: came from Box::into_raw in ccgw_cancel_new (documented contract).
            drop(unsafe { Box::from_raw(cancel) });
        }
    })
}

/// Log level: logging off.
pub const CCGW_LOG_OFF: i32 = 0;
/// Log level: failures the library cannot hide (a lost event pump, an internal error).
pub const CCGW_LOG_ERROR: i32 = 1;
/// Log level: failed requests, fail-over, retries, insecure settings.
pub const CCGW_LOG_WARN: i32 = 2;
/// Log level: sign-in, sign-out, Guid replaced.
pub const CCGW_LOG_INFO: i32 = 3;
/// Log level: every request and answer (method, route with identifiers masked as in
/// `voicecall/{agentid}/gethold?callid=…`, HTTP status, retcode, duration).
pub const CCGW_LOG_DEBUG: i32 = 4;
/// Log level: everything.
pub const CCGW_LOG_TRACE: i32 = 5;

/// One log record, valid only during the callback.
#[repr(C)]
pub struct ccgw_log_record {
    /// `CCGW_LOG_ERROR` .. `CCGW_LOG_TRACE`.
    pub level: i32,
    /// The operation's name as the gateway docs write it (`batchAddParticipant`,
    /// `holdParticipant`, `queryConfInfos`, `confJoin`, `thirdPartyConfTransmitNum`,
    /// `login`, `getAgentEvent`, ...), or `session` / `events`. UTF-8, NUL-terminated.
    pub operation: *const c_char,
    /// One line of text, at most 1024 characters, no control characters. UTF-8,
    /// NUL-terminated. Never contains a Guid, password or call data (call ids and numbers
    /// in routes are masked).
    pub message: *const c_char,
}

/// Receives log records. `userdata` is the pointer given at registration.
pub type ccgw_log_callback = Option<unsafe extern "C" fn(userdata: *mut c_void, record: *const ccgw_log_record)>;

/// Releases the userdata of a callback once the library no longer uses it.
pub type ccgw_userdata_free = Option<unsafe extern "C" fn(userdata: *mut c_void)>;

/// The userdata pointer and its release, owned by the registered sink.
pub(crate) struct UserData {
    pub ptr: *mut c_void,
    pub free: ccgw_userdata_free,
}

// SAFETY: the registering code promises that userdata may be used from any thread
// (documented on every registration function).
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

impl UserData {
    /// The pointer (a method, so closures capture the whole `UserData` and its release).
    pub fn ptr(&self) -> *mut c_void {
        self.ptr
    }
}

impl Drop for UserData {
    fn drop(&mut self) {
        if let Some(f) = self.free {
            // SAFETY: the host's release function, called exactly once, here.
            unsafe { f(self.ptr) };
        }
    }
}

/// Routes the library's log records to `callback` for levels up to `max_level`
/// (`CCGW_LOG_ERROR` .. `CCGW_LOG_TRACE`). Passing a NULL `callback` or `CCGW_LOG_OFF`
/// turns logging off. A previously registered callback is replaced: the call waits for
/// any record it is delivering on another thread, then calls its `userdata_free` once.
/// `userdata_free` (may be NULL) of the new registration is called once when it is
/// replaced in turn; if this function fails (any status) it is called before returning.
///
/// The callback runs on whichever thread produces the record: a thread inside a ccgw call,
/// or a library thread. It must be thread-safe and quick, and it must not call blocking
/// ccgw functions (they return `CCGW_E_WRONG_THREAD` there) nor this function.
///
/// Without a callback, setting the environment variable `CCGW_LOG` to `error`, `warn`,
/// `info`, `debug` or `trace` before the first ccgw call logs to stderr.
///
/// Returns `CCGW_OK`, `CCGW_E_OUT_OF_RANGE` (bad level) or `CCGW_E_WRONG_THREAD` (called
/// from inside the log callback). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_set_log_callback(
    max_level: i32,
    callback: ccgw_log_callback,
    userdata: *mut c_void,
    userdata_free: ccgw_userdata_free,
) -> ccgw_status {
    let data = UserData { ptr: userdata, free: userdata_free };
    guard("ccgw_set_log_callback", move || {
        if log::in_sink() {
            return Err(Error::new(
                CCGW_E_WRONG_THREAD,
                "ccgw_set_log_callback cannot be called from inside the log callback",
            ));
        }
        let level = match max_level {
            CCGW_LOG_OFF => None,
            n => Some(Level::from_i32(n).ok_or_else(|| {
                Error::new(CCGW_E_OUT_OF_RANGE, format!("max_level {n} is not CCGW_LOG_OFF..CCGW_LOG_TRACE"))
            })?),
        };
        let sink: Option<Sink> = match (callback, level) {
            (Some(cb), Some(_)) => Some(Arc::new(move |lvl: Level, op: &str, msg: &str| {
                let op = CString::new(op.replace('\0', " ")).unwrap_or_default();
                let msg = CString::new(msg.replace('\0', " ")).unwrap_or_default();
                let rec = ccgw_log_record { level: lvl as i32, operation: op.as_ptr(), message: msg.as_ptr() };
                // SAFETY: the host's callback with the userdata it registered.
                unsafe { cb(data.ptr(), &rec) };
            })),
            _ => None,
        };
        // The old sink (and its userdata) is released here, after in-flight records.
        drop(log::set_sink(level, sink));
        Ok(())
    })
}

/// Stops the library's threads (the runtimes, the callback pool) and releases its global
/// state; the next ccgw call starts it again (the callback pool's options stay). For hosts that want a clean exit under a leak checker. Every session must be
/// freed first.
///
/// Returns `CCGW_OK` once every thread the library started has ended, joined when they
/// end within `timeout_ms` of this call (the leak-checker case: give it a second).
/// `CCGW_E_TIMEOUT` when some were still running at `timeout_ms` (inside a blocking DNS
/// lookup, say; and whenever threads exist and `timeout_ms` is 0): they have been told to
/// stop and exit on their own, unjoined; calling this again waits up to its `timeout_ms`
/// for them and returns `CCGW_OK` once each has run its last code. `CCGW_E_BUSY`:
/// sessions still alive, nothing stopped. `CCGW_E_WRONG_THREAD`. In a forked child it
/// does nothing and returns `CCGW_E_FORKED`. Blocks up to `timeout_ms`. Must not race with any
/// other ccgw call.
#[no_mangle]
pub extern "C" fn ccgw_global_shutdown(timeout_ms: u32) -> ccgw_status {
    guard("ccgw_global_shutdown", || crate::runtime::shutdown(Duration::from_millis(timeout_ms.into())))
}
