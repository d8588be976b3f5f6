//! The callback pool's threads end once no callback is registered in the process (the
//! last session with one freed), and start again for the next callback. A runtime that
//! waits at exit for native threads that once ran its code (Mono does, for threads that
//! entered managed code through a callback) is then not kept waiting by idle pool
//! threads; the .NET suite under Mono hung at exit before. (Its own test binary: the pool
//! is process-wide.)

mod common;

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use std::ffi::CString;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How many threads of this process carry one of `names`.
fn count_threads(names: &[&str]) -> usize {
    common::library_threads().iter().filter(|n| names.contains(&n.as_str())).count()
}

unsafe extern "C" fn on_event(userdata: *mut std::ffi::c_void, _: *const ccgw_event) {
    (*(userdata as *const AtomicUsize)).fetch_add(1, Ordering::SeqCst);
}

/// A session whose pump fails against a closed port, so its callback gets events.
fn session_with_callback(delivered: &AtomicUsize) -> *mut ccgw_session {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = common::unverified_opts(&format!("https://127.0.0.1:{dead}"), "779");
    let mut s = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o.raw, &mut s) }, CCGW_OK);
    let g = CString::new("some-guid.AgentGateway0").unwrap();
    assert_eq!(unsafe { ccgw_session_set_guid(s, g.as_ptr()) }, CCGW_OK);
    let ud = delivered as *const AtomicUsize as *mut std::ffi::c_void;
    assert_eq!(unsafe { ccgw_events_set_callback(s, Some(on_event), ud, None) }, CCGW_OK);
    let mut eo: ccgw_events_options = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { ccgw_events_options_init(&mut eo, CCGW_EVENTS_OPTIONS_VERSION) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_events_start(s, &eo) }, CCGW_OK);
    s
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn pool_threads_end_when_the_last_callback_is_unregistered_and_start_again() {
    for round in 0..2 {
        let delivered = AtomicUsize::new(0);
        let a = session_with_callback(&delivered);
        let b = session_with_callback(&delivered);
        wait_for("events delivered through the pool", || delivered.load(Ordering::SeqCst) >= 2);
        assert!(count_threads(&["ccgw-dispatch"]) >= 1, "round {round}: the pool runs");
        // One callback still registered: the pool stays.
        unsafe { ccgw_session_free(a) };
        std::thread::sleep(Duration::from_millis(200));
        assert!(count_threads(&["ccgw-dispatch"]) >= 1, "round {round}: a callback is still registered");
        // The last one gone: every pool thread and the watchdog end.
        unsafe { ccgw_session_free(b) };
        wait_for("the pool's threads ending", || count_threads(&["ccgw-dispatch", "ccgw-watchdog"]) == 0);
    }
}
