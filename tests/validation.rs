//! Every limit of the seed interface tables, at its boundary and one past it, through the
//! C ABI. Past the limit: the documented status and nothing in the simulator's journal.
//! At the limit: exactly one request sent, and the simulator (which applies the gateway's
//! own validation) does not refuse it as invalid (`000-002`).

mod common;

use ccgw::ffi::conf::*;
use ccgw::status::*;
use ccgw_sim::Simulator;
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
