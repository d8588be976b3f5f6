//! Secrets are wiped before their memory goes back to the allocator. The Guid: when the
//! session is freed, when a Guid is replaced, when the caller frees its copy, and in the
//! request that carries it (the `Guid` header). The password: from the C string through
//! the sign-in body sent. A tracking allocator looks at every block freed while armed, on
//! any thread but the test peer's, and records any that still holds the secret's bytes.
//! (Its own test binary: the allocator is global.)
//!
//! What this cannot cover, and the library cannot wipe: the plaintext copies hyper and
//! rustls make in their own buffers: the request head with the `Guid` header in hyper's
//! write buffer (kept until the connection closes), and the answer, `Set-GUID` included,
//! in rustls's received-plaintext and hyper's read buffers. The tests keep connections
//! open while armed and send no `Set-GUID` where the Guid is the secret, so only the
//! library's own copies are judged.

mod common;

use ccgw::ffi::common::ccgw_string_free;
use ccgw::ffi::session::*;
use ccgw::status::CCGW_OK;
use common::hostile::{Answer, Hostile};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

struct Tracking;

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);
static PATTERN: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// The tests share the armed state: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

thread_local! {
    /// Set on the test peer's thread: what the peer frees is not the library's.
    static EXEMPT: Cell<bool> = const { Cell::new(false) };
}

fn exempt_this_thread() {
    EXEMPT.with(|e| e.set(true));
}

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) && !EXEMPT.try_with(Cell::get).unwrap_or(true) {
            // Every freed block is checked, whichever thread frees it. Blocking on the lock
            // is safe: the scan neither allocates nor frees, and the pattern's own buffer is
            // only replaced while disarmed.
            if let Ok(pattern) = PATTERN.lock() {
                let block = std::slice::from_raw_parts(p, layout.size());
                if !pattern.is_empty() && block.windows(pattern.len()).any(|w| w == pattern.as_slice()) {
                    FOUND.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        System.dealloc(p, layout)
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

fn session() -> *mut ccgw_session {
    // Lab option, no CA: nothing is ever sent by the tests using this session.
    let o = common::unverified_opts("https://127.0.0.1:9", "990");
    let mut s = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o.raw, &mut s) }, CCGW_OK);
    s
}

/// Runs `f` armed with `guid` as the pattern; returns how many freed blocks held it.
fn freed_blocks_holding(guid: &str, f: impl FnOnce()) -> usize {
    *PATTERN.lock().unwrap() = guid.as_bytes().to_vec();
    FOUND.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    f();
    ARMED.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

#[test]
fn guid_memory_is_wiped_on_free_replace_and_copy_release() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let s = session();
    let first = "7d1c0f6e-9b2a-4e1f-8c3d-5a6b7c8d9e0f.AgentGateway0";
    let second = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d.AgentGateway1";
    let g1 = CString::new(first).unwrap();
    let g2 = CString::new(second).unwrap();
    assert_eq!(unsafe { ccgw_session_set_guid(s, g1.as_ptr()) }, CCGW_OK);

    // Replacing the Guid wipes the old one.
    let found = freed_blocks_holding(first, || {
        assert_eq!(unsafe { ccgw_session_set_guid(s, g2.as_ptr()) }, CCGW_OK);
    });
    assert_eq!(found, 0, "the replaced Guid went back to the allocator unwiped");

    // The caller's copy is wiped by ccgw_string_free.
    let mut copy: *mut c_char = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_get_guid(s, &mut copy) }, CCGW_OK);
    let found = freed_blocks_holding(second, || unsafe { ccgw_string_free(copy) });
    assert_eq!(found, 0, "ccgw_string_free returned the Guid copy unwiped");

    // Freeing the session wipes the current Guid.
    let found = freed_blocks_holding(second, || unsafe { ccgw_session_free(s) });
    assert_eq!(found, 0, "ccgw_session_free returned the Guid unwiped");
}

#[test]
fn the_tracking_allocator_sees_an_unwiped_secret() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The check itself can fail: a plain String holding the pattern is found when freed.
    let secret = "c0ffee00-1111-2222-3333-444455556666.AgentGateway0";
    let found = freed_blocks_holding(secret, || drop(std::hint::black_box(secret.to_string())));
    assert!(found >= 1, "the tracker missed a freed, unwiped copy");
}

const SIGNED_IN_GUID: &str = "5e7a11ed-aaaa-4bbb-8ccc-dddddddddddd.AgentGateway0";

/// A session against a hostile peer whose thread is exempt from the tracker.
fn peer_and_session() -> (Hostile, common::S) {
    let gw = Hostile::builder().on_thread_start(exempt_this_thread).start();
    gw.answer(|_| Answer::ok(serde_json::json!({})).header("Set-GUID", format!("JSESSIONID={SIGNED_IN_GUID}")));
    let s = common::hostile_session(&gw, "153");
    (gw, s)
}

#[test]
fn the_password_is_wiped_from_every_buffer_the_library_owns() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (gw, s) = peer_and_session();
    let password = "pw-9f8e7d6c5b4a";
    let pw = CString::new(password).unwrap();
    let phone = CString::new("40038").unwrap();
    let mut o = common::sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    o.force = true;
    // The connection is opened before arming (its TLS set-up is not the secret's path).
    assert_eq!(common::request(&s, "GET", "agentevent/{agentid}", None).err(), None);
    let found = freed_blocks_holding(password, || {
        assert_eq!(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    });
    assert_eq!(found, 0, "the password went back to the allocator unwiped");
    let sent = gw.requests().pop().unwrap();
    assert!(sent.body_text().contains(password), "the password was sent (and found by the peer)");
    assert_eq!(common::guid(&s).as_deref(), Some(SIGNED_IN_GUID));
}

#[test]
fn the_guid_is_wiped_from_the_request_that_carries_it() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (gw, s) = peer_and_session();
    // Answers without Set-GUID: an answer's header sits in hyper's and rustls's read
    // buffers, which the library cannot wipe (see the top of this file).
    gw.answer(|_| Answer::ok(serde_json::json!({})));
    common::attach_guid(&s, SIGNED_IN_GUID);
    assert_eq!(common::request(&s, "GET", "agentevent/{agentid}", None).err(), None);
    let found = freed_blocks_holding(SIGNED_IN_GUID, || {
        for _ in 0..3 {
            let v = common::request(&s, "POST", "voicecall/{agentid}/thirdPartyConfTransmitNum", None);
            assert_eq!(v.err(), None);
        }
    });
    assert_eq!(found, 0, "a copy of the Guid went back to the allocator unwiped");
    assert_eq!(gw.requests().pop().unwrap().header("guid"), Some(SIGNED_IN_GUID));
}

#[test]
fn the_sign_in_request_kept_for_signing_in_again_is_wiped_at_sign_out_close_and_free() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let password = "pw-kept-31a4c9e7";
    let phone = "4003871926";
    for (end, secret) in [("sign-out", password), ("close", password), ("free", password), ("free", phone)] {
        let (_gw, s) = peer_and_session();
        let pw = CString::new(password).unwrap();
        let ph = CString::new(phone).unwrap();
        let mut o = common::sign_in_opts();
        o.password = pw.as_ptr();
        o.phonenum = ph.as_ptr();
        o.auto_resign_in = true;
        o.allow_forced_resign_in = true;
        assert_eq!(common::request(&s, "GET", "agentevent/{agentid}", None).err(), None);
        let found = freed_blocks_holding(secret, || {
            assert_eq!(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
        });
        assert_eq!(found, 0, "{end}: a copy went back to the allocator unwiped at sign-in");
        drop((pw, ph));
        let found = freed_blocks_holding(secret, || match end {
            "sign-out" => assert_eq!(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK),
            "close" => assert_eq!(unsafe { ccgw_session_close(s.0) }, CCGW_OK),
            _ => {
                unsafe { ccgw_session_free(s.0) };
                std::mem::forget(s);
            }
        });
        assert_eq!(found, 0, "{end}: the kept request went back to the allocator unwiped");
    }
}
