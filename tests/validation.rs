//! Every limit of the interface tables (the seed pages and the rest of the agentconf,
//! voicecall and calldata families), at its boundary and one past it, through the C ABI. Past the limit: the documented status and nothing in the simulator's journal.
//! At the limit: exactly one request sent, and the simulator (which applies the gateway's
//! own validation) does not refuse it as invalid (`000-002`).

mod common;

use ccgw::ffi::agentconf::*;
use ccgw::ffi::conf::*;
use ccgw::status::*;
use ccgw_sim::Simulator;
use common::conf::*;
use common::*;
use serde_json::json;
use std::ptr;

/// Runs `call`; checks the status, and what reached the simulator.
#[track_caller]
fn check(sim: &Simulator, name: &str, expected: ccgw_status, call: impl FnOnce() -> ccgw_status) {
    let mark = sim.journal_mark();
    let st = call();
    let sent = sim.journal_since(mark);
    if expected == CCGW_OK {
        assert_eq!(sent.len(), 1, "{name}: one request expected, got {}", sent.len());
        let rc = sent[0].retcode.clone().unwrap_or_default();
        assert_ne!(
            rc, "000-002",
            "{name}: the gateway's validation refused what the library let through: {:?}",
            sent[0].response
        );
    } else {
        assert_eq!(st, expected, "{name}: {:?}", last_error());
        assert!(sent.is_empty(), "{name}: refused input must not be sent, but {} request(s) were", sent.len());
        let (_, msg, _, _) = last_error();
        assert!(!msg.is_empty(), "{name}: a message explains the refusal");
    }
}

struct Setup {
    sim: Simulator,
    chair: S,
}

fn setup() -> Setup {
    let sim = sim(json!({"reject_duplicates": false}));
    let chair = signed_in(&sim, "301");
    conference(&sim, &chair, "301");
    Setup { sim, chair }
}

fn invite(s: &S, entries: Vec<(i32, String, i32, i32)>, fill: impl FnOnce(&mut ccgw_batch_add_request)) -> ccgw_status {
    let refs: Vec<(i32, &str)> = entries.iter().map(|(t, a, _, _)| (*t, a.as_str())).collect();
    let mut inv = invitees(&refs);
    for (p, e) in inv.list.iter_mut().zip(&entries) {
        p.device_call_type = e.2;
        p.device_type = e.3;
    }
    batch_add(s, &inv, fill)
}

fn phone(n: usize) -> (i32, String, i32, i32) {
    (CCGW_ADDRESS_PHONE, format!("7{n:04}"), -1, -1)
}

#[test]
fn batch_add_participant_limits() {
    let Setup { sim, chair } = setup();
    let s = &chair;
    check(&sim, "120 addresses", CCGW_OK, || invite(s, (0..120).map(phone).collect(), |_| {}));
    check(&sim, "121 addresses", CCGW_E_TOO_MANY, || invite(s, (0..121).map(phone).collect(), |_| {}));
    check(&sim, "no address", CCGW_E_MISSING_ARGUMENT, || invite(s, vec![], |_| {}));
    check(&sim, "address of 24 characters", CCGW_OK, || invite(s, vec![(9, "é".repeat(24), -1, -1)], |_| {}));
    check(&sim, "address of 25 characters", CCGW_E_TOO_LONG, || invite(s, vec![(9, "1".repeat(25), -1, -1)], |_| {}));
    check(&sim, "blank address", CCGW_E_MISSING_ARGUMENT, || invite(s, vec![(6, "  ".into(), -1, -1)], |_| {}));
    check(&sim, "addressType 9", CCGW_OK, || invite(s, vec![(9, "302".into(), -1, -1)], |_| {}));
    for bad in [0, 5, 7, 8, 10, -2] {
        check(&sim, &format!("addressType {bad}"), CCGW_E_OUT_OF_RANGE, || {
            invite(s, vec![(bad, "1".into(), -1, -1)], |_| {})
        });
    }
    check(&sim, "device types 0", CCGW_OK, || invite(s, vec![(6, "80000".into(), 0, 0)], |_| {}));
    check(&sim, "device types 255", CCGW_OK, || invite(s, vec![(6, "80001".into(), 255, 255)], |_| {}));
    check(&sim, "deviceCallType 256", CCGW_E_OUT_OF_RANGE, || invite(s, vec![(6, "1".into(), 256, -1)], |_| {}));
    check(&sim, "deviceType 256", CCGW_E_OUT_OF_RANGE, || invite(s, vec![(6, "1".into(), -1, 256)], |_| {}));
    check(&sim, "deviceCallType -2", CCGW_E_OUT_OF_RANGE, || invite(s, vec![(6, "1".into(), -2, -1)], |_| {}));
    check(&sim, "deviceType -2", CCGW_E_OUT_OF_RANGE, || invite(s, vec![(6, "1".into(), -1, -2)], |_| {}));

    let vp127 = cs(&"v".repeat(127));
    let vp128 = cs(&"v".repeat(128));
    check(&sim, "voicePath of 127", CCGW_OK, || invite(s, vec![phone(200)], |r| r.voice_path = vp127.as_ptr()));
    check(&sim, "voicePath of 128", CCGW_E_TOO_LONG, || invite(s, vec![phone(201)], |r| r.voice_path = vp128.as_ptr()));
    let vp = cs("y:/conf/120/1136287.V3");
    check(&sim, "beepTone without voicePath", CCGW_E_MISSING_ARGUMENT, || {
        invite(s, vec![phone(202)], |r| r.beep_tone = 1)
    });
    check(&sim, "beepTone with playMode 1", CCGW_E_OUT_OF_RANGE, || {
        invite(s, vec![phone(203)], |r| {
            r.beep_tone = 1;
            r.voice_path = vp.as_ptr();
            r.play_mode = 1;
        })
    });
    check(&sim, "beepTone with playMode 2", CCGW_OK, || {
        invite(s, vec![phone(204)], |r| {
            r.beep_tone = 1;
            r.voice_path = vp.as_ptr();
            r.play_mode = 2;
        })
    });
    check(&sim, "beepTone 2", CCGW_E_OUT_OF_RANGE, || invite(s, vec![phone(205)], |r| r.beep_tone = 2));
    let c24 = cs(&"1".repeat(24));
    let c25 = cs(&"1".repeat(25));
    check(&sim, "caller of 24", CCGW_OK, || invite(s, vec![phone(206)], |r| r.caller = c24.as_ptr()));
    check(&sim, "caller of 25", CCGW_E_TOO_LONG, || invite(s, vec![phone(207)], |r| r.caller = c25.as_ptr()));

    check(&sim, "participants NULL with a count", CCGW_E_NULL_ARGUMENT, || {
        let inv = invitees(&[(6, "1")]);
        batch_add(s, &inv, |r| r.participants = ptr::null())
    });
    check(&sim, "address NULL", CCGW_E_NULL_ARGUMENT, || {
        let mut inv = invitees(&[(6, "1")]);
        inv.list[0].address = ptr::null();
        batch_add(s, &inv, |_| {})
    });
    let bad_utf8 = [0x37u8, 0xff, 0x30, 0];
    check(&sim, "address not UTF-8", CCGW_E_INVALID_UTF8, || {
        let mut inv = invitees(&[(6, "1")]);
        inv.list[0].address = bad_utf8.as_ptr().cast();
        batch_add(s, &inv, |_| {})
    });
    check(&sim, "request version 0", CCGW_E_UNSUPPORTED_VERSION, || invite(s, vec![phone(208)], |r| r.version = 0));
}

#[test]
fn hold_participant_limits() {
    let Setup { sim, chair } = setup();
    let s = &chair;
    // Participants whose addresses sit exactly at the limits, so holding them succeeds.
    let a24 = "2".repeat(24);
    let e12 = "é".repeat(12);
    expect(invite(s, vec![(6, a24.clone(), -1, -1), (6, e12.clone(), -1, -1), phone(1)], |_| {}), CCGW_OK);
    wait_until("the invitees to join", || sim.confs()["confs"][0]["addresses"].as_array().unwrap().len() == 4);
    let vp = "y:/conf/120/1136287.V3";
    check(&sim, "address of 24 bytes", CCGW_OK, || hold(s, 6, &a24, Some(vp)));
    check(&sim, "address of 12 two-byte characters", CCGW_OK, || hold(s, 6, &e12, Some(vp)));
    check(&sim, "address of 25 bytes", CCGW_E_TOO_LONG, || hold(s, 6, &"2".repeat(25), Some(vp)));
    check(&sim, "address of 13 two-byte characters", CCGW_E_TOO_LONG, || hold(s, 6, &"é".repeat(13), Some(vp)));
    check(&sim, "voicePath of 127", CCGW_OK, || hold(s, 6, &format!("7{:04}", 1), Some(&"v".repeat(127))));
    check(&sim, "voicePath of 128", CCGW_E_TOO_LONG, || hold(s, 6, "70001", Some(&"v".repeat(128))));
    check(&sim, "voicePath missing", CCGW_E_NULL_ARGUMENT, || hold(s, 6, "70001", None));
    check(&sim, "voicePath blank", CCGW_E_MISSING_ARGUMENT, || hold(s, 6, "70001", Some(" ")));
    check(&sim, "address blank", CCGW_E_MISSING_ARGUMENT, || hold(s, 6, "", Some(vp)));
    check(&sim, "addressType 3", CCGW_E_OUT_OF_RANGE, || hold(s, 3, "70001", Some(vp)));
}

#[test]
fn query_conf_infos_limits() {
    let Setup { sim, chair } = setup();
    let s = &chair;
    let ids: Vec<i64> = (0..21).collect();
    check(&sim, "20 ids", CCGW_OK, || query(s, &ids[..20]).map_or_else(|e| e, |_| CCGW_OK));
    check(&sim, "21 ids", CCGW_E_TOO_MANY, || query(s, &ids).map_or_else(|e| e, |_| CCGW_OK));
    check(&sim, "no id", CCGW_E_MISSING_ARGUMENT, || query(s, &[]).map_or_else(|e| e, |_| CCGW_OK));
    check(&sim, "negative id", CCGW_E_OUT_OF_RANGE, || query(s, &[5, -1]).map_or_else(|e| e, |_| CCGW_OK));
    check(&sim, "ids NULL with a count", CCGW_E_NULL_ARGUMENT, || {
        let mut out = ptr::null_mut();
        unsafe { ccgw_query_conf_infos(s.0, ptr::null(), 3, ptr::null(), &mut out) }
    });
}

#[test]
fn conf_join_limits() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "303");
    let s = &s;
    check(&sim, "callappdata of 16384 bytes", CCGW_OK, || conf_join(s, "1-1", Some(&"d".repeat(16384))));
    check(&sim, "callappdata of 16385 bytes", CCGW_E_TOO_LONG, || conf_join(s, "1-1", Some(&"d".repeat(16385))));
    check(&sim, "callappdata of 8192 two-byte characters", CCGW_OK, || conf_join(s, "1-1", Some(&"é".repeat(8192))));
    check(&sim, "callappdata of 8193 two-byte characters", CCGW_E_TOO_LONG, || {
        conf_join(s, "1-1", Some(&"é".repeat(8193)))
    });
    check(&sim, "empty callappdata", CCGW_OK, || conf_join(s, "1-1", Some("")));
    check(&sim, "blank callid", CCGW_E_MISSING_ARGUMENT, || conf_join(s, " \t ", None));
    check(&sim, "empty callid", CCGW_E_MISSING_ARGUMENT, || conf_join(s, "", None));
    check(&sim, "callid NULL", CCGW_E_NULL_ARGUMENT, || unsafe {
        ccgw_conf_join(s.0, ptr::null(), ptr::null(), ptr::null())
    });
    check(&sim, "callid of 256 bytes", CCGW_OK, || conf_join(s, &"1".repeat(256), None));
    check(&sim, "callid of 257 bytes", CCGW_E_TOO_LONG, || conf_join(s, &"1".repeat(257), None));
    check(&sim, "a 1 MiB callappdata", CCGW_E_TOO_LONG, || conf_join(s, "1-1", Some(&"x".repeat(1 << 20))));
}

// ---------------------------------------------------------------------------------------
// The rest of the agentconf family, the calls and the queries.

#[test]
fn request_agent_conf_limits() {
    let sim = sim(json!({"reject_duplicates": false}));
    let s = &signed_in(&sim, "311");
    let text = |n: usize, c: &str| cs(&c.repeat(n));
    let (n24, n25, v127, v128) = (text(24, "1"), text(25, "1"), text(127, "v"), text(128, "v"));
    check(&sim, "memberNum 1", CCGW_OK, || request_conf(s, 1, |_| {}));
    check(&sim, "memberNum 120", CCGW_OK, || request_conf(s, 120, |_| {}));
    check(&sim, "memberNum 0", CCGW_E_OUT_OF_RANGE, || request_conf(s, 0, |_| {}));
    check(&sim, "memberNum 121", CCGW_E_OUT_OF_RANGE, || request_conf(s, 121, |_| {}));
    check(&sim, "memberNum unset", CCGW_E_MISSING_ARGUMENT, || request_conf(s, -1, |_| {}));
    check(&sim, "confCallerNo of 24", CCGW_OK, || request_conf(s, 5, |r| r.conf_caller_no = n24.as_ptr()));
    check(&sim, "confCallerNo of 25", CCGW_E_TOO_LONG, || request_conf(s, 5, |r| r.conf_caller_no = n25.as_ptr()));
    for (t, want) in [(4, CCGW_OK), (1440, CCGW_OK), (3, CCGW_E_OUT_OF_RANGE), (1441, CCGW_E_OUT_OF_RANGE)] {
        check(&sim, &format!("time {t}"), want, || request_conf(s, 5, |r| r.time = t));
    }
    for (t, want) in [(3, CCGW_OK), (1440, CCGW_OK), (2, CCGW_E_OUT_OF_RANGE), (1441, CCGW_E_OUT_OF_RANGE)] {
        check(&sim, &format!("promptTime {t}"), want, || request_conf(s, 5, |r| r.prompt_time = t));
    }
    check(&sim, "voicePath of 127", CCGW_OK, || request_conf(s, 5, |r| r.voice_path = v127.as_ptr()));
    check(&sim, "voicePath of 128", CCGW_E_TOO_LONG, || request_conf(s, 5, |r| r.voice_path = v128.as_ptr()));
    check(&sim, "beepTone without voicePath", CCGW_E_MISSING_ARGUMENT, || request_conf(s, 5, |r| r.beep_tone = 1));
    check(&sim, "beepTone with voicePath", CCGW_OK, || {
        request_conf(s, 5, |r| {
            r.beep_tone = 1;
            r.voice_path = v127.as_ptr();
        })
    });
    check(&sim, "beepTone 2", CCGW_E_OUT_OF_RANGE, || request_conf(s, 5, |r| r.beep_tone = 2));
    check(&sim, "request version 0", CCGW_E_UNSUPPORTED_VERSION, || request_conf(s, 5, |r| r.version = 0));
    check(&sim, "request version 2", CCGW_E_UNSUPPORTED_VERSION, || request_conf(s, 5, |r| r.version = 2));
}

#[test]
fn participant_address_limits() {
    let Setup { sim, chair } = setup();
    let s = &chair;
    // Participants whose addresses sit exactly at the limits: 24 bytes, 12 two-byte
    // characters (24 bytes), 24 two-byte characters (24 characters).
    let (a24, e12, e24) = ("2".repeat(24), "é".repeat(12), "é".repeat(24));
    expect(
        invite(s, vec![(6, a24.clone(), -1, -1), (6, e12.clone(), -1, -1), (6, e24.clone(), -1, -1)], |_| {}),
        CCGW_OK,
    );
    wait_until("the invitees to join", || sim.confs()["confs"][0]["addresses"].as_array().unwrap().len() == 4);
    let vp = "y:/conf/1/a.V3";
    // Pages counting bytes: unhold, play and stop an announcement to a participant.
    for (name, call) in [
        ("unholdParticipant", Box::new(|t, a: &str| unhold(s, t, a)) as Box<dyn Fn(i32, &str) -> ccgw_status>),
        ("playVoiceToParticipant", Box::new(|t, a: &str| play_part(s, t, a, vp))),
        ("stopVoiceToParticipant", Box::new(|t, a: &str| stop_part(s, t, a))),
    ] {
        check(&sim, &format!("{name}: address of 24 bytes"), CCGW_OK, || call(6, &a24));
        check(&sim, &format!("{name}: 12 two-byte characters"), CCGW_OK, || call(6, &e12));
        check(&sim, &format!("{name}: address of 25 bytes"), CCGW_E_TOO_LONG, || call(6, &"2".repeat(25)));
        check(&sim, &format!("{name}: 13 two-byte characters"), CCGW_E_TOO_LONG, || call(6, &"é".repeat(13)));
        check(&sim, &format!("{name}: blank address"), CCGW_E_MISSING_ARGUMENT, || call(6, " "));
        check(&sim, &format!("{name}: addressType 7"), CCGW_E_OUT_OF_RANGE, || call(7, &a24));
        check(&sim, &format!("{name}: addressType 9"), CCGW_OK, || call(9, "301"));
    }
    check(&sim, "playVoiceToParticipant: voicePath of 127", CCGW_OK, || play_part(s, 6, &a24, &"v".repeat(127)));
    check(&sim, "playVoiceToParticipant: voicePath of 128", CCGW_E_TOO_LONG, || {
        play_part(s, 6, &a24, &"v".repeat(128))
    });
    check(&sim, "playVoiceToParticipant: blank voicePath", CCGW_E_MISSING_ARGUMENT, || play_part(s, 6, &a24, " "));
    check(&sim, "playVoiceToParticipant: voicePath NULL", CCGW_E_NULL_ARGUMENT, || {
        let a = cs(&a24);
        unsafe { ccgw_play_voice_to_participant(s.0, 6, a.as_ptr(), -1, ptr::null(), ptr::null()) }
    });
    check(&sim, "playVoiceToConf: voicePath of 127", CCGW_OK, || play_conf(s, &"v".repeat(127)));
    check(&sim, "playVoiceToConf: voicePath of 128", CCGW_E_TOO_LONG, || play_conf(s, &"v".repeat(128)));
    check(&sim, "playVoiceToConf: empty voicePath", CCGW_E_MISSING_ARGUMENT, || play_conf(s, ""));
    // changeparticipantmode counts characters.
    check(&sim, "mode: address of 24 characters", CCGW_OK, || mode(s, 6, &e24, 1));
    check(&sim, "mode: address of 25 characters", CCGW_E_TOO_LONG, || mode(s, 6, &"é".repeat(25), 1));
    check(&sim, "mode: attribute 4", CCGW_OK, || mode(s, 6, &a24, 4));
    check(&sim, "mode: attribute 0", CCGW_E_OUT_OF_RANGE, || mode(s, 6, &a24, 0));
    check(&sim, "mode: attribute 5", CCGW_E_OUT_OF_RANGE, || mode(s, 6, &a24, 5));
    check(&sim, "mode: addressType 5", CCGW_E_OUT_OF_RANGE, || mode(s, 5, &a24, 1));
    check(&sim, "mode: address NULL", CCGW_E_NULL_ARGUMENT, || unsafe {
        ccgw_change_participant_mode(s.0, 6, ptr::null(), 1, ptr::null())
    });
    // prolongtime: 1..1440 (the total is checked against the view in conf_ops.rs).
    check(&sim, "prolongTime 1", CCGW_OK, || prolong(s, 1));
    check(&sim, "prolongTime 0", CCGW_E_OUT_OF_RANGE, || prolong(s, 0));
    check(&sim, "prolongTime 1441", CCGW_E_OUT_OF_RANGE, || prolong(s, 1441));
    check(&sim, "prolongTime -1", CCGW_E_OUT_OF_RANGE, || prolong(s, -1));
    // batchremoveparticipant: 1..30 addresses of 1..24 characters.
    let thirty: Vec<String> = (0..31).map(|i| format!("8{i:04}")).collect();
    let refs = |n: usize| thirty[..n].iter().map(|a| (6, a.as_str())).collect::<Vec<_>>();
    check(&sim, "remove 30", CCGW_OK, || remove(s, &refs(30)).0);
    check(&sim, "remove 31", CCGW_E_TOO_MANY, || remove(s, &refs(31)).0);
    check(&sim, "remove none", CCGW_E_MISSING_ARGUMENT, || remove(s, &[]).0);
    check(&sim, "remove: address of 24 characters", CCGW_OK, || remove(s, &[(6, &"é".repeat(24)), (6, "1")]).0);
    check(&sim, "remove: address of 25 characters", CCGW_E_TOO_LONG, || remove(s, &[(6, &"1".repeat(25))]).0);
    check(&sim, "remove: addressType 8", CCGW_E_OUT_OF_RANGE, || remove(s, &[(8, "1")]).0);
    check(&sim, "remove: blank address", CCGW_E_MISSING_ARGUMENT, || remove(s, &[(6, "")]).0);
    check(&sim, "remove: NULL array with a count", CCGW_E_NULL_ARGUMENT, || unsafe {
        ccgw_batch_remove_participant(s.0, ptr::null(), 2, ptr::null(), ptr::null_mut())
    });
}

#[test]
fn modify_conf_resource_limits() {
    let sim = sim(json!({"reject_duplicates": false}));
    let s = &signed_in(&sim, "321");
    // One member place: 118 more is the most the gateway takes (1 + 118 = 119).
    request(s, "POST", "agentconf/{agentid}/requestagentconf", Some(r#"{"memberNum": 1}"#)).unwrap();
    wait_until("the conference", || sim.confs()["confs"][0]["granted"] == true);
    check(&sim, "add 118", CCGW_OK, || resource(s, 0, 118));
    check(&sim, "remove 118", CCGW_OK, || resource(s, 1, 118));
    check(&sim, "add 2", CCGW_OK, || resource(s, 0, 2));
    check(&sim, "remove 2", CCGW_OK, || resource(s, 1, 2));
    check(&sim, "add 1", CCGW_E_OUT_OF_RANGE, || resource(s, 0, 1));
    check(&sim, "add 119", CCGW_E_OUT_OF_RANGE, || resource(s, 0, 119));
    check(&sim, "modifyType 2", CCGW_E_OUT_OF_RANGE, || resource(s, 2, 5));
    check(&sim, "modifyType -1", CCGW_E_OUT_OF_RANGE, || resource(s, -1, 5));
}

#[test]
fn shift_president_limits() {
    let sim = sim(json!({"agent_id_max": 999_999, "reject_duplicates": false}));
    let chair = signed_in(&sim, "331");
    let low = signed_in(&sim, "101");
    let mut o = opts(&sim, "999999");
    o.raw.agent_id_max = 999_999;
    let high = new_session(&o).unwrap();
    expect(sign_in(&high), CCGW_OK);
    conference(&sim, &chair, "331");
    expect(batch_add(&chair, &invitees(&[(9, "101"), (9, "999999")]), |_| {}), CCGW_OK);
    wait_until("both agents to join", || sim.confs()["confs"][0]["addresses"].as_array().unwrap().len() == 3);
    for (dest, want) in [
        ("100", CCGW_E_OUT_OF_RANGE),
        ("1000000", CCGW_E_OUT_OF_RANGE),
        ("0101", CCGW_E_INVALID_ARGUMENT),
        ("10a", CCGW_E_INVALID_ARGUMENT),
        ("", CCGW_E_MISSING_ARGUMENT),
    ] {
        check(&sim, &format!("destAgentNo {dest:?}"), want, || shift(&chair, dest));
    }
    check(&sim, "destAgentNo 101", CCGW_OK, || shift(&chair, "101"));
    check(&sim, "destAgentNo 999999", CCGW_OK, || shift(&low, "999999"));
    assert_eq!(sim.confs()["confs"][0]["chair"], "999999");
}

#[test]
fn call_limits() {
    let sim = sim(json!({"reject_duplicates": false}));
    let s = &signed_in(&sim, "341");
    let d = |called: &str| dial(s, called, |_| {}).err().unwrap_or(CCGW_OK);
    check(&sim, "called of 24", CCGW_OK, || d(&"1".repeat(24)));
    check(&sim, "called of 25", CCGW_E_TOO_LONG, || d(&"1".repeat(25)));
    check(&sim, "called with * and #", CCGW_OK, || d("*12#"));
    check(&sim, "called with a letter", CCGW_E_INVALID_ARGUMENT, || d("12a"));
    check(&sim, "called with a space", CCGW_E_INVALID_ARGUMENT, || d("12 3"));
    check(&sim, "empty called", CCGW_E_MISSING_ARGUMENT, || d(""));
    let with =
        |fill: &dyn Fn(&mut ccgw::ffi::calls::ccgw_callout_request)| dial(s, "70005", fill).err().unwrap_or(CCGW_OK);
    let (c24, c25, c_bad, empty) = (cs(&"2".repeat(24)), cs(&"2".repeat(25)), cs("2*"), cs(""));
    check(&sim, "caller of 24", CCGW_OK, || with(&|r| r.caller = c24.as_ptr()));
    check(&sim, "empty caller", CCGW_OK, || with(&|r| r.caller = empty.as_ptr()));
    check(&sim, "caller of 25", CCGW_E_TOO_LONG, || with(&|r| r.caller = c25.as_ptr()));
    check(&sim, "caller with *", CCGW_E_INVALID_ARGUMENT, || with(&|r| r.caller = c_bad.as_ptr()));
    let (d16k, d16k1) = (cs(&"d".repeat(16384)), cs(&"d".repeat(16385)));
    check(&sim, "callappdata of 16384 bytes", CCGW_OK, || with(&|r| r.callappdata = d16k.as_ptr()));
    check(&sim, "callappdata of 16385 bytes", CCGW_E_TOO_LONG, || with(&|r| r.callappdata = d16k1.as_ptr()));
    for (v, want) in [(0, CCGW_OK), (i32::MAX, CCGW_OK), (-2, CCGW_E_OUT_OF_RANGE)] {
        check(&sim, &format!("skillid {v}"), want, || with(&|r| r.skillid = v));
    }
    for (v, want) in [(0, CCGW_OK), (2, CCGW_OK), (3, CCGW_E_OUT_OF_RANGE), (-2, CCGW_E_OUT_OF_RANGE)] {
        check(&sim, &format!("mediaability {v}"), want, || with(&|r| r.mediaability = v));
    }
    for (v, want) in [(1, CCGW_OK), (4, CCGW_OK), (0, CCGW_E_OUT_OF_RANGE), (5, CCGW_E_OUT_OF_RANGE)] {
        check(&sim, &format!("userVideoDirection {v}"), want, || with(&|r| r.user_video_direction = v));
    }
    check(&sim, "callout request version 0", CCGW_E_UNSUPPORTED_VERSION, || with(&|r| r.version = 0));

    // A talking call to a 24-digit number: DTMF and disconnect at their limits.
    release_call(s);
    dial(s, &"3".repeat(24), |_| {}).unwrap();
    check(&sim, "DTMF of 24", CCGW_OK, || second_dial(s, "0123456789*#0123456789*#"));
    check(&sim, "DTMF of 25", CCGW_E_TOO_LONG, || second_dial(s, &"1".repeat(25)));
    check(&sim, "empty DTMF", CCGW_E_MISSING_ARGUMENT, || second_dial(s, ""));
    check(&sim, "DTMF with A", CCGW_E_INVALID_ARGUMENT, || second_dial(s, "12A"));
    check(&sim, "disconnect a 25-digit number", CCGW_E_TOO_LONG, || disconnect(s, &"3".repeat(25)));
    check(&sim, "disconnect a number with *", CCGW_E_INVALID_ARGUMENT, || disconnect(s, "3*"));
    check(&sim, "disconnect an empty number", CCGW_E_MISSING_ARGUMENT, || disconnect(s, ""));
    check(&sim, "disconnect a 24-digit number", CCGW_OK, || disconnect(s, &"3".repeat(24)));

    // Call ids in paths and queries: at most 256 bytes, not blank.
    let (id256, id257) = ("1".repeat(256), "1".repeat(257));
    check(&sim, "dropcall id of 256", CCGW_OK, || drop_call(s, &id256));
    check(&sim, "dropcall id of 257", CCGW_E_TOO_LONG, || drop_call(s, &id257));
    check(&sim, "connecthold id of 256", CCGW_OK, || connect_hold(s, &id256));
    check(&sim, "connecthold id of 257", CCGW_E_TOO_LONG, || connect_hold(s, &id257));
    check(&sim, "gethold id of 256", CCGW_OK, || get_hold(s, Some(&id256)));
    check(&sim, "gethold id of 257", CCGW_E_TOO_LONG, || get_hold(s, Some(&id257)));
    check(&sim, "gethold blank id", CCGW_E_MISSING_ARGUMENT, || get_hold(s, Some(" ")));
    check(&sim, "callinfobycallid id of 257", CCGW_E_TOO_LONG, || call_info_by_id(s, &id257).err().unwrap_or(CCGW_OK));
    check(&sim, "callinfobycallid empty id", CCGW_E_MISSING_ARGUMENT, || {
        call_info_by_id(s, "").err().unwrap_or(CCGW_OK)
    });
    check(&sim, "callinfo flag 2", CCGW_E_OUT_OF_RANGE, || call_info(s, 2).err().unwrap_or(CCGW_OK));
    check(&sim, "callinfo flag 0", CCGW_OK, || call_info(s, 0).err().unwrap_or(CCGW_OK));
}

#[test]
fn tracked_invitation_and_resync_limits() {
    let Setup { sim, chair } = setup();
    let s = &chair;
    let inv = |n: usize| {
        invitees(
            &(0..n)
                .map(|i| (6, ["7", &format!("{i:04}")].concat()))
                .collect::<Vec<_>>()
                .iter()
                .map(|(t, a)| (*t, a.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    check(&sim, "tracked: 120 addresses", CCGW_OK, || tracked_add(s, &inv(120), 100, |_| {}).err().unwrap_or(CCGW_OK));
    check(&sim, "tracked: 121 addresses", CCGW_E_TOO_MANY, || {
        tracked_add(s, &inv(121), 100, |_| {}).err().unwrap_or(CCGW_OK)
    });
    check(&sim, "tracked: deadline 0", CCGW_E_OUT_OF_RANGE, || {
        tracked_add(s, &inv(1), 0, |_| {}).err().unwrap_or(CCGW_OK)
    });
    check(&sim, "tracked: deadline 1 ms", CCGW_OK, || tracked_add(s, &inv(1), 1, |_| {}).err().unwrap_or(CCGW_OK));
    check(&sim, "resync: a negative id", CCGW_E_OUT_OF_RANGE, || resync(s, &[-1]));
    check(&sim, "resync: an extra id", CCGW_OK, || resync(s, &[12345]));
}
