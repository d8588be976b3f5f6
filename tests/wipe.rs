//! The Guid's memory is wiped before it goes back to the allocator: when the session is
//! freed, when a Guid is replaced, and when the caller frees its copy. A tracking
//! allocator looks at every block freed while armed and records any that still holds the
//! Guid's bytes. (Its own test binary: the allocator is global.)

use ccgw::ffi::common::ccgw_string_free;
use ccgw::ffi::session::*;
use ccgw::status::CCGW_OK;
use std::alloc::{GlobalAlloc, Layout, System};
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

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
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
    let url = CString::new("https://127.0.0.1:9").unwrap();
    let agent = CString::new("990").unwrap();
    let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
    o.base_url = url.as_ptr();
    o.agent_id = agent.as_ptr();
    // Lab option: no CA needed, nothing is ever sent in this test.
    o.insecure_accept_any_certificate = true;
    let mut s = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o, &mut s) }, CCGW_OK);
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
