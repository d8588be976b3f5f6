//! The gateway's own validation: every limit of the five seed pages at its boundary
//! (accepted) and one past it (`000-002`), table-driven.

mod common;

use common::*;
use serde_json::{json, Value};

fn phones(n: usize, prefix: &str) -> Vec<Value> {
    (0..n).map(|i| json!({"addressType": "6", "address": format!("{prefix}{i:04}")})).collect()
}

fn one(entry: Value) -> Value {
    json!({"addresses": [entry]})
}

#[tokio::test]
async fn batchaddparticipant_limits() {
    let s = TestSim::start(json!({"invite_answer_delay_ms": 1}));
    let mut a = chair(&s).await;
    let p = |address: &str| json!({"addressType": "6", "address": address});
    let mut cases = vec![
        ok("120 addresses", json!({"addresses": phones(120, "71")})),
        bad("121 addresses", json!({"addresses": phones(121, "72")})),
        bad("no addresses", json!({"addresses": []})),
        bad("addresses missing", json!({"beepTone": false})),
        bad("addresses not an array", json!({"addresses": p("7300")})),
        bad("an address entry not an object", json!({"addresses": ["7300"]})),
        ok("address of 24 characters", one(p(&"7".repeat(24)))),
        ok("address of 24 non-ASCII characters", one(p(&"é".repeat(24)))),
        bad("address of 25 characters", one(p(&"7".repeat(25)))),
        bad("empty address", one(p(""))),
        bad("blank address", one(p("   "))),
        bad("address missing", one(json!({"addressType": "6"}))),
        bad("address not a string", one(json!({"addressType": "6", "address": 7301}))),
        ok("addressType \"9\"", one(json!({"addressType": "9", "address": "59999"}))),
        ok("addressType 6 as a number", one(json!({"addressType": 6, "address": "7302"}))),
        ok("addressType 9 as a number", one(json!({"addressType": 9, "address": "102"}))),
        bad("addressType missing", one(json!({"address": "7303"}))),
        bad("addressType null", one(json!({"addressType": null, "address": "7303"}))),
        ok(
            "null device fields take their defaults",
            one(json!({"addressType": "6", "address": "7304", "deviceCallType": null, "deviceType": null})),
        ),
    ];
    for t in ["0", "1", "3", "5", "7", "8", "10", "x", ""] {
        cases.push(bad(format!("addressType {t:?}"), one(json!({"addressType": t, "address": "7305"}))));
    }
    for field in ["deviceCallType", "deviceType"] {
        for (v, good) in [
            (json!(0), true),
            (json!(255), true),
            (json!("255"), true),
            (json!(-1), false),
            (json!(256), false),
            (json!("x"), false),
            (json!(1.5), false),
        ] {
            let mut e = p(&format!("74{}", v.to_string().len()));
            e[field] = v.clone();
            let what = format!("{field} {v}");
            cases.push(if good { ok(what, one(e)) } else { bad(what, one(e)) });
        }
    }
    let base = |extra: Value| {
        let mut b = json!({"addresses": [p("7500")]});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    cases.extend([
        ok("voicePath of 127 characters", base(json!({"voicePath": "v".repeat(127)}))),
        bad("voicePath of 128 characters", base(json!({"voicePath": "v".repeat(128)}))),
        ok("beepTone true with voicePath", base(json!({"beepTone": true, "voicePath": "y:/conf/1/a.V3"}))),
        ok("beepTone \"true\" with voicePath", base(json!({"beepTone": "true", "voicePath": "y:/conf/1/a.V3"}))),
        ok("beepTone true, voicePath of 127", base(json!({"beepTone": true, "voicePath": "v".repeat(127)}))),
        bad("beepTone true without voicePath", base(json!({"beepTone": true}))),
        bad("beepTone true with a blank voicePath", base(json!({"beepTone": true, "voicePath": "  "}))),
        ok("beepTone true, playMode 2", base(json!({"beepTone": true, "playMode": 2, "voicePath": "y:/a"}))),
        ok("beepTone true, playMode \"2\"", base(json!({"beepTone": true, "playMode": "2", "voicePath": "y:/a"}))),
        bad("beepTone true, playMode 1", base(json!({"beepTone": true, "playMode": 1, "voicePath": "y:/a"}))),
        bad("beepTone true, playMode 0", base(json!({"beepTone": true, "playMode": 0, "voicePath": "y:/a"}))),
        ok("beepTone false, playMode 1 (ignored)", base(json!({"beepTone": false, "playMode": 1}))),
        bad("beepTone not a boolean", base(json!({"beepTone": "yes", "voicePath": "y:/a"}))),
        bad("playMode not an integer", base(json!({"playMode": "two"}))),
        ok("caller of 24 characters", base(json!({"caller": "1".repeat(24)}))),
        bad("caller of 25 characters", base(json!({"caller": "1".repeat(25)}))),
        bad("caller not a string", base(json!({"caller": 1111}))),
        bad("body not an object", json!([p("7501")])),
    ]);
    run(&s, &mut a, "agentconf/batchaddparticipant", cases).await;
}

#[tokio::test]
async fn holdparticipant_and_unholdparticipant_limits() {
    let s = TestSim::start(json!({"invite_answer_delay_ms": 1}));
    let mut a = chair(&s).await;
    let ascii24 = "1".repeat(24);
    let wide24 = "é".repeat(12); // 12 characters, 24 bytes
    let body = json!({"addresses": [
        {"addressType": "6", "address": ascii24},
        {"addressType": "6", "address": wide24},
        {"addressType": "6", "address": "70005"},
    ]});
    s.act(&mut a, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    wait_for("the invitees to join", std::time::Duration::from_secs(5), || async {
        s.confs().await[0]["addresses"].as_array().unwrap().len() == 4
    })
    .await;
    let h = |address: &str, voice: Option<&str>| {
        let mut b = json!({"addressType": "6", "address": address, "playMode": 2});
        if let Some(v) = voice {
            b["voicePath"] = json!(v);
        }
        b
    };
    let v127 = "v".repeat(127);
    let v128 = "v".repeat(128);
    let hold_cases = vec![
        ok("address of 24 bytes", h(&ascii24, Some("y:/a"))),
        bad("address of 25 bytes", h(&"1".repeat(25), Some("y:/a"))),
        ok("address of 12 two-byte characters (24 bytes)", h(&wide24, Some("y:/a"))),
        bad("address of 13 two-byte characters (26 bytes)", h(&"é".repeat(13), Some("y:/a"))),
        bad("empty address", h("", Some("y:/a"))),
        ok("voicePath of 127 characters", h("70005", Some(&v127))),
        bad("voicePath of 128 characters", h("70005", Some(&v128))),
        bad("voicePath missing (mandatory)", h("70005", None)),
        bad("voicePath empty", h("70005", Some(""))),
        ok("playMode absent", json!({"addressType": "6", "address": "70005", "voicePath": "y:/a"})),
        bad("addressType missing", json!({"address": "70005", "voicePath": "y:/a"})),
        bad("addressType 7", json!({"addressType": "7", "address": "70005", "voicePath": "y:/a"})),
        bad("body not an object", json!("70005")),
    ];
    run(&s, &mut a, "agentconf/holdparticipant", hold_cases).await;
    let u = |address: &str| json!({"addressType": "6", "address": address});
    let unhold_cases = vec![
        ok("address of 24 bytes", u(&ascii24)),
        ok("address of 24 bytes in 12 characters", u(&wide24)),
        bad("address of 25 bytes", u(&"1".repeat(25))),
        bad("address of 26 bytes in 13 characters", u(&"é".repeat(13))),
        bad("addressType missing", json!({"address": "70005"})),
    ];
    run(&s, &mut a, "agentconf/unholdparticipant", unhold_cases).await;
}

#[tokio::test]
async fn queryconfinfos_limits() {
    let s = TestSim::start(json!({}));
    let mut a = chair(&s).await;
    let ids = |n: u64| (0..n).map(|i| 1_029_888 + i).collect::<Vec<_>>();
    let cases = vec![
        ok("1 id", json!({"confIds": ids(1)})),
        ok("20 ids", json!({"confIds": ids(20)})),
        bad("21 ids", json!({"confIds": ids(21)})),
        bad("no ids", json!({"confIds": []})),
        bad("confIds missing", json!({})),
        bad("confIds not an array", json!({"confIds": 1_029_888})),
        ok("ids as strings", json!({"confIds": ["1029888"]})),
        bad("an id that is not a number", json!({"confIds": ["abc"]})),
        bad("a negative id", json!({"confIds": [-1]})),
    ];
    run(&s, &mut a, "agentconf/queryconfinfos", cases).await;
    // 20 ids including ours: it is found.
    let r = s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": ids(20)}))).await;
    assert_eq!(r.result()["confs"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn confjoin_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    // A held call and an active one, ready to be joined; returns the held call's id.
    async fn setup(s: &TestSim, a: &mut Agent) -> String {
        let _ = s.act(a, "DELETE", "voicecall/release", None).await;
        let _ = s.act(a, "POST", "voicecall/gethold", None).await;
        let _ = s.act(a, "DELETE", "voicecall/release", None).await;
        let r = s.act(a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await;
        r.ok();
        let held = r.result().as_str().unwrap().to_string();
        s.act(a, "POST", "voicecall/hold", None).await.ok();
        s.act(a, "PUT", "voicecall/callout", Some(&json!({"called": "70006"}))).await.ok();
        held
    }
    let with_data = |data: Value| move |callid: &str| json!({"callid": callid, "callappdata": data});
    type Body = Box<dyn Fn(&str) -> Value>;
    let cases: Vec<(&str, Body, bool)> = vec![
        ("callappdata of 16384 bytes", Box::new(with_data(json!("x".repeat(16384)))), true),
        ("callappdata of 16384 bytes in two-byte characters", Box::new(with_data(json!("é".repeat(8192)))), true),
        ("callappdata empty", Box::new(with_data(json!(""))), true),
        ("callappdata absent", Box::new(|c: &str| json!({"callid": c})), true),
        ("callappdata of 16385 bytes", Box::new(with_data(json!("x".repeat(16385)))), false),
        ("callappdata of 16385 bytes in 8193 characters", Box::new(with_data(json!("é".repeat(8192) + "x"))), false),
        ("callappdata not a string", Box::new(with_data(json!(5))), false),
        ("callid blank", Box::new(|_: &str| json!({"callid": "   "})), false),
        ("callid empty", Box::new(|_: &str| json!({"callid": ""})), false),
        ("callid missing", Box::new(|_: &str| json!({"callappdata": ""})), false),
        ("callid not a string", Box::new(|_: &str| json!({"callid": 1455885056})), false),
    ];
    for (what, body, accepted) in cases {
        let held = setup(&s, &mut a).await;
        let r = s.act(&mut a, "POST", "voicecall/confjoin", Some(&body(&held))).await;
        let calls = s.agent_state(101).await["calls"].as_array().unwrap().len();
        if accepted {
            assert_eq!(r.retcode(), "0", "{what}: {}", r.text);
            assert_eq!(calls, 1, "{what}: the calls were joined");
        } else {
            assert_eq!(r.retcode(), "000-002", "{what}: {}", r.text);
            assert_eq!(calls, 2, "{what}: nothing was joined");
        }
    }
}

#[tokio::test]
async fn third_party_conf_transmit_num_takes_no_body_and_has_no_validation_error() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    // Without the three-party call it is refused with 10001 whatever the body, never 000-002.
    for body in [None, Some(json!({})), Some(json!({"anything": 1}))] {
        let r = s.act(&mut a, "POST", "voicecall/thirdPartyConfTransmitNum", body.as_ref()).await;
        r.refused("10001");
    }
}
