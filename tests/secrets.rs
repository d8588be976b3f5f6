//! The Guid, passwords and call data (call ids, phone numbers, call-associated data) never
//! appear in log records or error messages: every record is captured at the most verbose
//! level through the C log callback while a session signs in, rotates its Guid, places and
//! handles calls through typed and generic requests (call ids and numbers in paths,
//! queries and bodies, refusals that echo them), fails in various ways and signs out, and
//! every record and every error message is searched. (Its own test binary: the log sink is
//! process-wide.)

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::json;
use std::ptr;
use std::time::Duration;

#[test]
fn secrets_never_reach_logs_or_error_messages() {
    expect(unsafe { ccgw_set_log_callback(CCGW_LOG_TRACE, Some(capture_record), ptr::null_mut(), None) }, CCGW_OK);
    let sim = sim(
        json!({"set_guid_on_every_response": true, "guid_interval_ms": 100, "guid_timeout_ms": 400, "poll_wait_ms": 100}),
    );
    let mut guids = Vec::new();
    let mut messages = Vec::new();
    let mut note = |st: ccgw_status| {
        if st != CCGW_OK {
            messages.push(last_error().1);
        }
    };
    let callappdata = "CALLDATA-7f3e9a-customer-account-4417";
    let mut call_ids: Vec<String> = Vec::new();

    // A wrong password first: its refusal must not echo it.
    let s = session(&sim, "901");
    let wrong = cs("WRONG-pw-55a1c9");
    let mut si = sign_in_opts();
    si.password = wrong.as_ptr();
    note(unsafe { ccgw_session_sign_in(s.0, &si, ptr::null(), ptr::null_mut()) });
    expect(sign_in(&s), CCGW_OK);
    guids.extend(guid(&s));
    start_events(&s, &event_opts(|_| {}));
    for round in 0..10 {
        note(conf_join(&s, "1-1", Some(callappdata)));
        sim.rotate_guid(901).ok();
        note(unsafe { ccgw_session_update_guid(s.0, ptr::null()) });
        guids.extend(guid(&s));
        if round == 3 {
            sim.add_fault(FaultSpec::new("voicecall/confjoin", FaultKind::MalformedJson)).unwrap();
        }
        if round == 5 {
            sim.add_fault(FaultSpec::new("voicecall/confjoin", FaultKind::GuidExpired)).unwrap();
        }
        std::thread::sleep(Duration::from_millis(60));
        guids.extend(guid(&s));
    }
    // Call data in request paths and queries (call ids, numbers, DTMF digits) and in
    // refused arguments.
    let typed_number = "70077123456";
    let typed_digits = "4417*9931#";
    let typed_callid = common::conf::dial(&s, typed_number, |_| {}).unwrap();
    note(common::conf::second_dial(&s, typed_digits));
    note(common::conf::hold_call(&s));
    note(common::conf::get_hold(&s, Some(&typed_callid)));
    let _ = common::conf::call_info_by_id(&s, &typed_callid).map_err(&mut note);
    let _ = common::conf::hold_list(&s).map_err(&mut note);
    note(common::conf::drop_call(&s, &typed_callid));
    note(common::conf::drop_call(&s, &typed_callid)); // refused: no such call any more
    note(common::conf::disconnect(&s, typed_number)); // refused: no call
    note(common::conf::connect_hold(&s, &typed_callid));
    let _ = common::conf::dial(&s, "7007712345a", |_| {}).map_err(&mut note); // refused: a letter
    note(common::conf::second_dial(&s, "4417*9931#X"));
    // Call data in request paths, queries and bodies, and refusals that echo it.
    let number = "5550187";
    let callid = callout(&s, number);
    call_ids.push(callid.clone());
    let paths = [
        format!("voicecall/{{agentid}}/gethold?callid={callid}"),
        "voicecall/{agentid}/hold".to_string(),
        format!("voicecall/{{agentid}}/gethold?callid={callid}"),
        format!("voicecall/{{agentid}}/connecthold/{callid}"),
        format!("voicecall/{{agentid}}/disconnect/{number}"),
        format!("voicecall/{{agentid}}/dropcall/{callid}"),
        // The gateway echoes this one in its refusal ("no call with id ...").
        "voicecall/{agentid}/dropcall/8123456789-77".to_string(),
        // Refused before sending: the message must not quote it either.
        format!("voicecall/{{agentid}}/gethold?callid={callid}#frag"),
        format!("voicecall/{{agentid}}/dropcall/{callid}/é"),
    ];
    call_ids.push("8123456789-77".to_string());
    for p in &paths {
        if let Err(st) = request(&s, "POST", p, None) {
            note(st);
        }
    }
    note(conf_join(&s, &callid, Some(callappdata)));
    let body = format!(r#"{{"called":"{number}","caller":"40038"}}"#);
    if let Err(st) = request(&s, "PUT", "voicecall/{agentid}/callout", Some(&body)) {
        note(st);
    }
    // An attached Guid that the gateway refuses.
    let forged = "forged-guid-0c1d2e3f-4a5b-6c7d-8e9f.AgentGateway9";
    let fg = cs(forged);
    note(unsafe { ccgw_session_set_guid(s.0, fg.as_ptr()) });
    note(conf_join(&s, "1-1", Some(callappdata)));
    guids.push(forged.to_string());
    expect(sign_in(&s), CCGW_E_GW_ALREADY_SIGNED_IN);
    messages.push(last_error().1);
    drop(s);
    expect(unsafe { ccgw_set_log_callback(CCGW_LOG_OFF, None, ptr::null_mut(), None) }, CCGW_OK);

    let records = RECORDS.lock().unwrap().clone();
    assert!(records.len() > 50, "the run logged ({} records)", records.len());
    assert!(records.iter().any(|r| r.1 == "confJoin"), "records name the operation as the docs do");
    assert!(records.iter().any(|r| r.1 == "getAgentEvent"));
    assert!(records.iter().any(|r| r.2.contains("Guid replaced")), "Guid changes are logged, without the value");
    assert!(guids.len() > 10, "several Guids were in use");
    // Phone numbers of the run: the sign-in's, the one called, the caller given.
    let mut secrets: Vec<String> = vec![
        PASSWORD.into(),
        "WRONG-pw-55a1c9".into(),
        callappdata.into(),
        "5550187".into(),
        "40038".into(),
        typed_number.into(),
        "7007712345a".into(),
        typed_digits.into(),
        typed_callid.clone(),
    ];
    secrets.extend(call_ids.iter().cloned());
    for g in &guids {
        secrets.push(g.clone());
        // The uuid part alone is as good as the Guid.
        secrets.push(g.split('.').next().unwrap().to_string());
    }
    for (level, op, msg) in &records {
        for secret in &secrets {
            assert!(
                !msg.contains(secret.as_str()) && !op.contains(secret.as_str()),
                "level {level} {op}: {msg:?} leaks {secret:?}"
            );
        }
    }
    assert!(messages.len() >= 8, "failures were provoked: {messages:?}");
    for m in &messages {
        for secret in &secrets {
            assert!(!m.contains(secret.as_str()), "error message {m:?} leaks {secret:?}");
        }
    }
    // Masked, the route is still in the record.
    assert!(
        records.iter().any(|r| r.2.contains("voicecall/{agentid}/gethold?callid=…")),
        "requests are logged by their route, identifiers masked"
    );
    assert!(records.iter().any(|r| r.2.contains("voicecall/{agentid}/disconnect/…")));
    assert!(records.iter().any(|r| r.2.contains("voicecall/{agentid}/confjoin")));
}
