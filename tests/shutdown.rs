//! `ccgw_global_shutdown` returns `CCGW_OK` only once every thread the library started
//! (runtime workers, their blocking pools, the lane janitor, the callback pool and its
//! watchdog) has exited and been joined,
//! and says `CCGW_E_TIMEOUT` when it could not join them in the time given (always with
//! a zero timeout while threads run); a later call waits for them to end. (Its own test
//! binary: shutdown is process-wide.)

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use common::library_threads;
use std::ffi::CString;
use std::ptr;

/// The library's threads still listed that have not yet released their memory map: a
/// thread does that (`exit_mm`, which also clears its tid and so ends a `pthread_join`)
/// after its last code and before the kernel removes it from `/proc` (`release_task`), so
/// a joined thread may stay listed for a moment, but never with its memory map.
fn library_threads_not_exited() -> Vec<String> {
    let mut names = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let (Ok(comm), Ok(status)) =
            (std::fs::read_to_string(task.path().join("comm")), std::fs::read_to_string(task.path().join("status")))
        else {
            continue; // gone meanwhile
        };
        let comm = comm.trim().to_string();
        if comm.starts_with("ccgw-") && status.lines().any(|l| l.starts_with("VmRSS:")) {
            names.push(comm);
        }
    }
    names.sort();
    names
}

/// Waits up to a second for the listed library threads to be gone from `/proc`.
fn wait_until_unlisted() {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    while !library_threads().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

unsafe extern "C" fn on_event(userdata: *mut std::ffi::c_void, _: *const ccgw_event) {
    // Held a moment, so the next session's events find every pool thread busy.
    std::thread::sleep(std::time::Duration::from_millis(300));
    (*(userdata as *const std::sync::atomic::AtomicUsize)).fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// Work that starts each kind of library thread: the runtime's workers, a DNS lookup on
/// its blocking pool ("localhost"), a session's lane (a call other than the sign-in) and
/// the lane janitor, an event pump, the callback pool (its callbacks taking the pump's
/// failure reports) and its watchdog (a one-thread pool kept busy).
fn busy_work() {
    let mut d: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { ccgw_dispatch_options_init(&mut d, CCGW_DISPATCH_OPTIONS_VERSION) }, CCGW_OK);
    d.threads = 1;
    assert_eq!(unsafe { ccgw_global_set_dispatch_options(&d) }, CCGW_OK);
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = common::unverified_opts(&format!("https://localhost:{dead}"), "777");
    let mut s = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o.raw, &mut s) }, CCGW_OK);
    let mut si: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { ccgw_sign_in_options_init(&mut si, CCGW_SIGN_IN_OPTIONS_VERSION) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_session_sign_in(s, &si, ptr::null(), ptr::null_mut()) }, CCGW_E_CONNECT);
    let g = CString::new("some-guid.AgentGateway0").unwrap();
    assert_eq!(unsafe { ccgw_session_set_guid(s, g.as_ptr()) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_session_update_guid(s, ptr::null()) }, CCGW_E_CONNECT);
    let mut eo: ccgw_events_options = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { ccgw_events_options_init(&mut eo, CCGW_EVENTS_OPTIONS_VERSION) }, CCGW_OK);
    let delivered = std::sync::atomic::AtomicUsize::new(0);
    let ud = &delivered as *const _ as *mut std::ffi::c_void;
    assert_eq!(unsafe { ccgw_events_set_callback(s, Some(on_event), ud, None) }, CCGW_OK);
    // A second session's callback, so the pool is busy while work waits.
    let o2 = common::unverified_opts(&format!("https://localhost:{dead}"), "778");
    let mut s2 = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o2.raw, &mut s2) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_session_set_guid(s2, g.as_ptr()) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_events_start(s2, &eo) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_events_set_callback(s2, Some(on_event), ud, None) }, CCGW_OK);
    assert_eq!(unsafe { ccgw_events_start(s, &eo) }, CCGW_OK);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while delivered.load(std::sync::atomic::Ordering::SeqCst) < 2
        || !library_threads().contains(&"ccgw-watchdog".into())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the callbacks never ran with the watchdog up: {} delivered, threads {:?}",
            delivered.load(std::sync::atomic::Ordering::SeqCst),
            library_threads()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(library_threads().contains(&"ccgw-dispatch".into()));
    unsafe { ccgw_session_free(s) };
    unsafe { ccgw_session_free(s2) };
}

#[test]
fn global_shutdown_returns_after_its_threads_have_exited() {
    let mut timeouts = 0;
    for (round, timeout_ms) in [0u32, 0, 5_000, 0, 5_000].into_iter().enumerate() {
        busy_work();
        assert!(!library_threads().is_empty(), "round {round}: the work started library threads");
        assert!(library_threads().contains(&"ccgw-lanes".to_string()), "round {round}: the lane janitor runs");
        assert!(!library_threads_not_exited().is_empty(), "round {round}: running threads are told from exited ones");
        match ccgw_global_shutdown(timeout_ms) {
            CCGW_OK => {
                // Joined: not one is left running (one may still be listed between its
                // exit and its removal from /proc, without its memory map).
                assert_eq!(
                    library_threads_not_exited(),
                    Vec::<String>::new(),
                    "round {round}: CCGW_OK with threads alive"
                );
                wait_until_unlisted();
                assert_eq!(library_threads(), Vec::<String>::new(), "round {round}: threads outlived their end");
            }
            CCGW_E_TIMEOUT => {
                timeouts += 1;
                assert_eq!(timeout_ms, 0, "round {round}: 5 s is plenty for idle threads");
                // A later call waits for the same threads to end (unjoined: the OS may
                // take a moment more to remove them).
                assert_eq!(ccgw_global_shutdown(5_000), CCGW_OK, "round {round}");
                wait_until_unlisted();
                assert_eq!(library_threads(), Vec::<String>::new(), "round {round}: threads outlived their end");
            }
            st => panic!("round {round}: status {st}"),
        }
    }
    assert_eq!(timeouts, 3, "a zero timeout cannot join running threads, and says so");
    // With nothing started, shutdown has nothing to wait for.
    assert_eq!(ccgw_global_shutdown(0), CCGW_OK);
}
