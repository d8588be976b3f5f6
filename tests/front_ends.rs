//! The gateway as deployed (issue 10): front ends that insist on `Content-Length`,
//! certificates made in a hurry, answers in a declared charset, sticky-cookie load
//! balancers, forward proxies and idle-closed connections. Every condition is produced by
//! a simulator setting or a real peer on loopback.

mod common;

use ccgw::status::*;
use common::*;
use serde_json::json;

fn update_guid(s: &S) -> ccgw_status {
    unsafe { ccgw::ffi::session::ccgw_session_update_guid(s.0, std::ptr::null()) }
}

/// RFC 9110 §8.6: every bodiless POST and PUT says `Content-Length: 0`; a strict front end
/// (IIS, WAFs; the simulator's `require_content_length`) answers 411 otherwise.
#[test]
fn bodiless_post_and_put_carry_content_length_zero() {
    let sim = sim(json!({"require_content_length": true}));
    let s = signed_in(&sim, "101");
    let mark = sim.journal_mark();
    // thirdPartyConfTransmitNum (POST, no body): refused by the gateway, not by the front end.
    expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    expect(update_guid(&s), CCGW_OK);
    request(&s, "POST", "onlineagent/{agentid}/saybusy", None).unwrap();
    request(&s, "POST", "onlineagent/{agentid}/sayfree", None).unwrap();
    request(&s, "GET", "onlineagent/{agentid}/agentstatus", None).unwrap();
    let sent = sent_since(&sim, mark);
    assert_eq!(sent.len(), 5, "{sent:#?}");
    for e in &sent {
        assert_ne!(e.status, 411, "{} {}: 411", e.method, e.path);
        let cl = e.headers.get("content-length").map(String::as_str);
        match e.method.as_str() {
            "POST" | "PUT" => assert_eq!(cl, Some("0"), "{} {}", e.method, e.path),
            _ => assert_eq!(cl, None, "{} {}: no Content-Length on a GET", e.method, e.path),
        }
        assert!(!e.headers.contains_key("transfer-encoding"));
    }
    // Sign-out (DELETE) goes through too.
    expect(unsafe { ccgw::ffi::session::ccgw_session_sign_out(s.0, std::ptr::null()) }, CCGW_OK);
}
