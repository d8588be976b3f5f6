//! The C ABI. This module tree is the only place with `extern "C"`, raw pointers and
//! `CStr`. Every exported function runs its body through [`guard`] (fallible functions)
//! or [`guard_value`] (the few infallible ones): panics are caught there, the thread's
//! last error is cleared on entry and set on failure, and NULL or non-UTF-8 arguments are
//! turned into statuses by the argument helpers below, SIGPIPE is kept from the host
//! while the call runs, and the first call pins the library in memory (both in
//! `crate::platform`).

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

pub mod agentconf;
pub mod calls;
pub mod common;
pub mod conf;
pub mod confview;
pub mod events;
pub mod resync;
pub mod session;

use crate::error::{Error, Result};
use crate::platform;
use crate::status::*;
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// `CCGW_UNSET` (-1): leave an optional integer or tri-state field out of the request, so
/// the gateway's default applies.
pub const CCGW_UNSET: i32 = -1;

struct LastError {
    status: ccgw_status,
    message: CString,
    retcode: CString,
    http_status: i32,
    cti_code: i64,
}

impl LastError {
    fn none() -> LastError {
        LastError {
            status: CCGW_OK,
            message: CString::default(),
            retcode: CString::default(),
            http_status: 0,
            cti_code: 0,
        }
    }
}

thread_local! {
    static LAST: RefCell<LastError> = RefCell::new(LastError::none());
}

fn c_string_lossless(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

// The thread's last error is reached with `try_with`: a host may call the library from a
// thread-local destructor of its own (a C++ `thread_local` cleaning up at thread exit)
// after this one was destroyed; the call then works and only its detail is not kept.

fn clear_last_error() {
    let _ = LAST.try_with(|l| {
        let mut l = l.borrow_mut();
        if l.status != CCGW_OK {
            *l = LastError::none();
        }
    });
}

fn set_last_error(e: &Error) -> ccgw_status {
    let status = if e.status == CCGW_OK { CCGW_E_INTERNAL } else { e.status };
    let _ = LAST.try_with(|l| {
        *l.borrow_mut() = LastError {
            status,
            // Messages quote network text only through `error::sanitize`; this backstop
            // keeps every message one bounded line.
            message: c_string_lossless(&crate::error::sanitized(&e.message, crate::error::MESSAGE_MAX)),
            retcode: c_string_lossless(e.retcode.as_deref().unwrap_or("")),
            http_status: i32::from(e.http_status),
            cti_code: e.cti_code,
        }
    });
    status
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// From the first call of any export on, the library is never unloaded (the header's
/// promise): a failure to pin is reported when the runtime starts, the first moment it
/// matters (`runtime::handle`).
fn stay_loaded() {
    let _ = platform::pin_library();
}

/// The guard around every fallible export: clears the last error, refuses to run in a
/// forked child (`CCGW_E_FORKED`: the library's threads are gone there; `f` is dropped
/// unrun, which releases what it owns, e.g. a new registration's userdata), runs `f`,
/// catches a panic (its text goes to the log, never to stderr: `log::route_panics`), and
/// turns the outcome into a status (recording the detail on failure).
pub(crate) fn guard(op: &str, f: impl FnOnce() -> Result<()>) -> ccgw_status {
    guarded(op, true, f)
}

/// [`guard`] for the exports that do no I/O and never run the runtime (the `_init`
/// functions filling an options or request struct): SIGPIPE is not masked around them
/// (three system calls saved on a call a program may make before every request).
pub(crate) fn guard_pure(op: &str, f: impl FnOnce() -> Result<()>) -> ccgw_status {
    guarded(op, false, f)
}

fn guarded(op: &str, io: bool, f: impl FnOnce() -> Result<()>) -> ccgw_status {
    clear_last_error();
    if crate::runtime::forked() {
        return set_last_error(&crate::runtime::forked_error());
    }
    stay_loaded();
    crate::log::route_panics();
    let _library = crate::log::enter_library();
    // A dead socket must not SIGPIPE the host while this call does I/O.
    let _sigpipe = io.then(platform::block_sigpipe);
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => CCGW_OK,
        Ok(Err(e)) => set_last_error(&e),
        Err(payload) => {
            let msg = format!("{op}: internal panic: {}", panic_message(payload.as_ref()));
            set_last_error(&Error::new(CCGW_E_PANIC, msg))
        }
    }
}

/// The guard around the few infallible exports (getters, `_free` of plain data): a panic
/// yields `fallback`. The last error is left alone, so reading it right after a failure
/// stays possible.
pub(crate) fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    stay_loaded();
    crate::log::route_panics();
    let _library = crate::log::enter_library();
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// The guard around the `_free` of a handle that library threads may share (a session, a
/// cancel token): in a forked child it does nothing (the handle is left allocated: its
/// locks may be held by threads the child does not have, and joining them would fail).
pub(crate) fn guard_free(f: impl FnOnce()) {
    if crate::runtime::forked() {
        return;
    }
    guard_value((), f)
}

/// A mandatory borrowed string argument.
pub(crate) fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::new(CCGW_E_NULL_ARGUMENT, format!("{name} must not be NULL")));
    }
    // SAFETY: the caller promises a NUL-terminated string that lives for the call.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str()
        .map_err(|e| Error::new(CCGW_E_INVALID_UTF8, format!("{name} is not valid UTF-8 (byte {})", e.valid_up_to())))
}

/// An optional borrowed string argument: NULL means absent.
pub(crate) fn opt_str<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        arg_str(p, name).map(Some)
    }
}

/// A mandatory pointer to a struct.
pub(crate) fn arg_ref<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: the caller promises a valid, aligned pointer for the call's duration.
    unsafe { p.as_ref() }.ok_or_else(|| Error::new(CCGW_E_NULL_ARGUMENT, format!("{name} must not be NULL")))
}

/// A mandatory pointer to a struct the call fills in (the `_init` functions).
pub(crate) fn arg_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: the caller promises a valid, aligned pointer for the call's duration.
    unsafe { p.as_mut() }.ok_or_else(|| Error::new(CCGW_E_NULL_ARGUMENT, format!("{name} must not be NULL")))
}

/// A borrowed array of `count` elements; NULL is allowed only when `count` is 0.
pub(crate) fn arg_slice<'a, T>(p: *const T, count: usize, name: &str) -> Result<&'a [T]> {
    if count == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::new(CCGW_E_NULL_ARGUMENT, format!("{name} must not be NULL when its count is {count}")));
    }
    if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("{name}: count {count} is impossible")));
    }
    // SAFETY: the caller promises `count` valid elements at `p` for the call's duration.
    Ok(unsafe { std::slice::from_raw_parts(p, count) })
}

/// An out-parameter: must not be NULL; set to NULL at once so it is never left dangling.
pub(crate) fn out_ptr<'a, T>(p: *mut *mut T, name: &str) -> Result<&'a mut *mut T> {
    let slot = arg_mut(p, name)?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

/// A tri-state: `CCGW_UNSET` (-1) absent, 0 false, 1 true.
pub(crate) fn tri(v: i32, name: &str) -> Result<Option<bool>> {
    match v {
        CCGW_UNSET => Ok(None),
        0 => Ok(Some(false)),
        1 => Ok(Some(true)),
        _ => Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("{name} is {v}; use 0, 1 or CCGW_UNSET (-1)"))),
    }
}

/// An optional integer: `CCGW_UNSET` (-1) absent.
pub(crate) fn opt_int(v: i32) -> Option<i64> {
    (v != CCGW_UNSET).then_some(i64::from(v))
}

/// Checks a versioned struct's `version` against the versions this library knows.
pub(crate) fn check_version(version: u32, current: u32, name: &str) -> Result<()> {
    if version == 0 || version > current {
        return Err(Error::new(
            CCGW_E_UNSUPPORTED_VERSION,
            format!("{name}.version is {version}; this library knows versions 1..{current} (call the _init function)"),
        ));
    }
    Ok(())
}

/// The strings of a library-owned result: each kept here, its pointer handed out. A
/// `CString`'s bytes do not move when the `CString` itself moves into the vector.
#[derive(Default)]
pub(crate) struct Strings(Vec<CString>);

impl Strings {
    /// Keeps a copy of `s` (NULs replaced by spaces) and returns its pointer, valid while
    /// `self` lives.
    pub(crate) fn keep(&mut self, s: &str) -> *const c_char {
        let c = c_string_lossless(s);
        let p = c.as_ptr();
        self.0.push(c);
        p
    }
}

/// The pointer of a result array: NULL when empty.
pub(crate) fn array_ptr<T>(v: &[T]) -> *const T {
    if v.is_empty() {
        std::ptr::null()
    } else {
        v.as_ptr()
    }
}

/// Frees a result created as `Box<B>` whose first field is the public struct `P` (the
/// pointer handed out is the box's). NULL is ignored.
///
/// # Safety
/// `p` is NULL or came from `Box::into_raw(Box<B>).cast::<P>()`, freed once.
pub(crate) unsafe fn free_box<P, B>(p: *mut P) {
    if !p.is_null() {
        // SAFETY: per the contract above.
        drop(unsafe { Box::from_raw(p.cast::<B>()) });
    }
}

/// A library-owned C string (freed with `ccgw_string_free`).
pub(crate) fn owned_c_string(s: &str) -> *mut c_char {
    c_string_lossless(s).into_raw()
}

/// Borrowed views of the thread's last error (used by `common`).
pub(crate) fn with_last_error<R>(f: impl FnOnce(ccgw_status, &CStr, &CStr, i32) -> R) -> R {
    let mut f = Some(f);
    match LAST.try_with(|l| {
        let l = l.borrow();
        (f.take().expect("called once"))(l.status, l.message.as_c_str(), l.retcode.as_c_str(), l.http_status)
    }) {
        Ok(r) => r,
        Err(_) => (f.take().expect("not called"))(CCGW_OK, c"", c"", 0),
    }
}

/// The thread's last error message, for the pointer-returning getter.
pub(crate) fn last_message_ptr() -> *const c_char {
    LAST.try_with(|l| l.borrow().message.as_ptr()).unwrap_or(c"".as_ptr())
}

/// The CTI code of the thread's last error (0 when none).
pub(crate) fn last_cti_code() -> i64 {
    LAST.try_with(|l| l.borrow().cti_code).unwrap_or(0)
}

pub(crate) fn last_retcode_ptr() -> *const c_char {
    LAST.try_with(|l| l.borrow().retcode.as_ptr()).unwrap_or(c"".as_ptr())
}
