//! The C boundary's argument handling: NULL pointers, invalid UTF-8, bad versions and
//! tri-states, `_free(NULL)`, calls after close, and the last-error contract.

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::conf::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use common::*;
use serde_json::json;
use std::ffi::{c_char, CStr};
use std::ptr;

const BAD_UTF8: &[u8] = b"ab\xc3\x28\0";

fn bad() -> *const c_char {
    BAD_UTF8.as_ptr().cast()
}

#[test]
fn null_session_is_refused_by_every_operation() {
    let null = ptr::null_mut::<ccgw_session>();
    let mut out_s: *mut c_char = ptr::null_mut();
    let mut out_l: *mut ccgw_conf_list = ptr::null_mut();
    let o = sign_in_opts();
    let x = cs("x");
    let statuses = unsafe {
        [
            ccgw_session_sign_in(null, &o, ptr::null(), ptr::null_mut()),
            ccgw_session_sign_out(null, ptr::null()),
            ccgw_session_update_guid(null, ptr::null()),
            ccgw_session_set_guid(null, x.as_ptr()),
            ccgw_session_get_guid(null, &mut out_s),
            ccgw_session_close(null),
            ccgw_session_request(null, x.as_ptr(), x.as_ptr(), ptr::null(), ptr::null(), &mut out_s),
            ccgw_batch_add_participant(null, ptr::null(), ptr::null()),
            ccgw_hold_participant(null, ptr::null(), ptr::null()),
            ccgw_query_conf_infos(null, [1i64].as_ptr(), 1, ptr::null(), &mut out_l),
            ccgw_conf_join(null, x.as_ptr(), ptr::null(), ptr::null()),
            ccgw_third_party_conf_transmit_num(null, ptr::null()),
        ]
    };
    for (i, st) in statuses.into_iter().enumerate() {
        assert_eq!(st, CCGW_E_NULL_ARGUMENT, "call {i}");
    }
    assert!(unsafe { ccgw_session_agent_id(null) }.is_null());
}

#[test]
fn null_and_invalid_arguments_of_each_function() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "401");
    let mark = sim.journal_mark();
    let x = cs("x");
    let mut out_s: *mut c_char = ptr::null_mut();
    let mut out_l: *mut ccgw_conf_list = ptr::null_mut();

    // session_new
    let o = opts(&sim, "401");
    let mut out: *mut ccgw_session = ptr::null_mut();
    expect(unsafe { ccgw_session_new(ptr::null(), &mut out) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_session_new(&o.raw, ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    let mut o2 = opts(&sim, "401");
    o2.raw.base_url = ptr::null();
    assert_eq!(new_session(&o2).err(), Some(CCGW_E_NULL_ARGUMENT));
    let mut o2 = opts(&sim, "401");
    o2.raw.agent_id = bad();
    assert_eq!(new_session(&o2).err(), Some(CCGW_E_INVALID_UTF8));
    let mut o2 = opts(&sim, "401");
    o2.raw.fallback_url_count = 2;
    assert_eq!(new_session(&o2).err(), Some(CCGW_E_NULL_ARGUMENT));

    // init functions
    expect(unsafe { ccgw_session_options_init(ptr::null_mut(), CCGW_SESSION_OPTIONS_VERSION) }, CCGW_E_NULL_ARGUMENT);
    let mut so: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut so, 0) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_session_options_init(&mut so, 99) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_sign_in_options_init(ptr::null_mut(), 1) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_call_options_init(ptr::null_mut(), 1) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_batch_add_request_init(ptr::null_mut(), 1) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_hold_request_init(ptr::null_mut(), 1) }, CCGW_E_NULL_ARGUMENT);

    // sign-in
    expect(unsafe { ccgw_session_sign_in(s.0, ptr::null(), ptr::null(), ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    let mut si = sign_in_opts();
    si.password = bad();
    expect(unsafe { ccgw_session_sign_in(s.0, &si, ptr::null(), ptr::null_mut()) }, CCGW_E_INVALID_UTF8);
    let mut si = sign_in_opts();
    si.autoanswer = 2;
    expect(unsafe { ccgw_session_sign_in(s.0, &si, ptr::null(), ptr::null_mut()) }, CCGW_E_OUT_OF_RANGE);
    let mut si = sign_in_opts();
    si.password = cs(&"p".repeat(33)).into_raw();
    expect(unsafe { ccgw_session_sign_in(s.0, &si, ptr::null(), ptr::null_mut()) }, CCGW_E_TOO_LONG);
    drop(unsafe { std::ffi::CString::from_raw(si.password as *mut c_char) });

    // Guid accessors
    expect(unsafe { ccgw_session_get_guid(s.0, ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_session_set_guid(s.0, ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_session_set_guid(s.0, bad()) }, CCGW_E_INVALID_UTF8);

    // generic request
    let get = cs("GET");
    let path = cs("agentevent/{agentid}");
    expect(
        unsafe { ccgw_session_request(s.0, ptr::null(), path.as_ptr(), ptr::null(), ptr::null(), &mut out_s) },
        CCGW_E_NULL_ARGUMENT,
    );
    expect(
        unsafe { ccgw_session_request(s.0, get.as_ptr(), ptr::null(), ptr::null(), ptr::null(), &mut out_s) },
        CCGW_E_NULL_ARGUMENT,
    );
    expect(
        unsafe { ccgw_session_request(s.0, get.as_ptr(), path.as_ptr(), ptr::null(), ptr::null(), ptr::null_mut()) },
        CCGW_E_NULL_ARGUMENT,
    );
    expect(
        unsafe { ccgw_session_request(s.0, get.as_ptr(), bad(), ptr::null(), ptr::null(), &mut out_s) },
        CCGW_E_INVALID_UTF8,
    );
    let patch = cs("PATCH");
    expect(
        unsafe { ccgw_session_request(s.0, patch.as_ptr(), path.as_ptr(), ptr::null(), ptr::null(), &mut out_s) },
        CCGW_E_INVALID_ARGUMENT,
    );
    let abs = cs("/agentgateway/resource/agentevent/401");
    expect(
        unsafe { ccgw_session_request(s.0, get.as_ptr(), abs.as_ptr(), ptr::null(), ptr::null(), &mut out_s) },
        CCGW_E_INVALID_ARGUMENT,
    );
    let notjson = cs("{not json");
    expect(
        unsafe { ccgw_session_request(s.0, get.as_ptr(), path.as_ptr(), notjson.as_ptr(), ptr::null(), &mut out_s) },
        CCGW_E_INVALID_ARGUMENT,
    );
    assert!(out_s.is_null());

    // operations
    expect(unsafe { ccgw_batch_add_participant(s.0, ptr::null(), ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_hold_participant(s.0, ptr::null(), ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(
        unsafe { ccgw_query_conf_infos(s.0, [1i64].as_ptr(), 1, ptr::null(), ptr::null_mut()) },
        CCGW_E_NULL_ARGUMENT,
    );
    expect(unsafe { ccgw_conf_join(s.0, bad(), ptr::null(), ptr::null()) }, CCGW_E_INVALID_UTF8);
    expect(unsafe { ccgw_conf_join(s.0, x.as_ptr(), bad(), ptr::null()) }, CCGW_E_INVALID_UTF8);
    let mut c: ccgw_call_options = unsafe { std::mem::zeroed() };
    c.version = 7;
    expect(unsafe { ccgw_third_party_conf_transmit_num(s.0, &c) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_query_conf_infos(s.0, [1i64].as_ptr(), 1, &c, &mut out_l) }, CCGW_E_UNSUPPORTED_VERSION);
    assert!(out_l.is_null());

    // cancellation tokens and the log callback
    expect(unsafe { ccgw_cancel_new(ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_cancel_cancel(ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_set_log_callback(9, None, ptr::null_mut(), None) }, CCGW_E_OUT_OF_RANGE);

    assert!(sim.journal_since(mark).is_empty(), "no refused call sent anything");
}

#[test]
fn free_functions_accept_null() {
    unsafe {
        ccgw_session_free(ptr::null_mut());
        ccgw_string_free(ptr::null_mut());
        ccgw_conf_list_free(ptr::null_mut());
        ccgw_sign_in_result_free(ptr::null_mut());
        ccgw_cancel_free(ptr::null_mut());
    }
}

#[test]
fn every_call_after_close_returns_closed_and_sends_nothing() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "402");
    expect(unsafe { ccgw_session_close(s.0) }, CCGW_OK);
    let mark = sim.journal_mark();
    expect(sign_in(&s), CCGW_E_CLOSED);
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_E_CLOSED);
    expect(unsafe { ccgw_session_update_guid(s.0, ptr::null()) }, CCGW_E_CLOSED);
    let g = cs("abc");
    expect(unsafe { ccgw_session_set_guid(s.0, g.as_ptr()) }, CCGW_E_CLOSED);
    assert_eq!(request(&s, "GET", "agentevent/{agentid}", None).err(), Some(CCGW_E_CLOSED));
    expect(batch_add(&s, &invitees(&[(6, "1")]), |_| {}), CCGW_E_CLOSED);
    expect(hold(&s, 6, "1", Some("v")), CCGW_E_CLOSED);
    assert_eq!(query(&s, &[1]).err(), Some(CCGW_E_CLOSED));
    expect(conf_join(&s, "1-1", None), CCGW_E_CLOSED);
    expect(transmit(&s), CCGW_E_CLOSED);
    assert!(sim.journal_since(mark).is_empty());
    // The Guid is not handed out after close either (it was wiped at close).
    let mut out: *mut std::ffi::c_char = ptr::null_mut();
    expect(unsafe { ccgw_session_get_guid(s.0, &mut out) }, CCGW_E_CLOSED);
    assert!(out.is_null());
    // The agent id stays readable until the handle is freed.
    assert!(!unsafe { ccgw_session_agent_id(s.0) }.is_null());
}

#[test]
fn last_error_is_never_null_and_cleared_by_success() {
    let sim = sim(json!({}));
    let s = session(&sim, "403");
    expect(transmit(&s), CCGW_E_NOT_SIGNED_IN);
    let (st, msg, rc, http) = last_error();
    assert_eq!((st, rc.as_str(), http), (CCGW_E_NOT_SIGNED_IN, "", 0));
    assert!(msg.contains("thirdPartyConfTransmitNum") && msg.contains("sign in"), "{msg}");
    expect(sign_in(&s), CCGW_OK);
    let (st, msg, rc, http) = last_error();
    assert_eq!((st, msg.as_str(), rc.as_str(), http), (CCGW_OK, "", "", 0));
    // Per thread: another thread's failure is not seen here.
    std::thread::spawn(|| unsafe { ccgw_session_sign_out(ptr::null_mut(), ptr::null()) }).join().unwrap();
    assert_eq!(ccgw_last_error_status(), CCGW_OK);
    assert!(!ccgw_last_error_message().is_null());
    assert_eq!(unsafe { CStr::from_ptr(ccgw_last_error_retcode()) }.to_bytes(), b"");
}

#[test]
fn agent_id_is_borrowed_from_the_session() {
    let sim = sim(json!({}));
    let s = session(&sim, "404");
    let p = unsafe { ccgw_session_agent_id(s.0) };
    assert_eq!(unsafe { CStr::from_ptr(p) }.to_str().unwrap(), "404");
}
