//! The gateway's own validation of the routes beyond the seed pages (reference §3.5, §5,
//! §6 and the pages they cite): every limit at its boundary (accepted) and one past it
//! (`000-002`, and nothing changed), table-driven where the route allows it.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

/// A chair (101) with phones `70005` and a 24-character number joined, queues drained.
async fn conf_with_phones(s: &TestSim) -> (Agent, u64) {
    let mut a = chair(s).await;
    let long = "7".repeat(24);
    let body = json!({"addresses": [
        {"addressType": "6", "address": "70005"},
        {"addressType": "6", "address": long},
    ]});
    s.act(&mut a, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    wait_for("the phones to join", Duration::from_secs(5), || async {
        s.confs().await[0]["addresses"].as_array().unwrap().len() == 3
    })
    .await;
    s.drain(&mut a).await;
    let conf = s.confs().await[0]["confId"].as_u64().unwrap();
    (a, conf)
}

#[tokio::test]
async fn requestagentconf_limits() {
    let s = TestSim::start(json!({"conf_grant_delay_ms": 60000}));
    let mut a = s.ready_agent(101).await;
    let base = |extra: Value| {
        let mut b = json!({"memberNum": 3});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = vec![
        ok("memberNum 1", json!({"memberNum": 1})),
        ok("memberNum 120", json!({"memberNum": 120})),
        ok("memberNum \"120\"", json!({"memberNum": "120"})),
        bad("memberNum 0", json!({"memberNum": 0})),
        bad("memberNum 121", json!({"memberNum": 121})),
        bad("memberNum missing", json!({"time": 60})),
        bad("memberNum not an integer", json!({"memberNum": "x"})),
        ok("time 4", base(json!({"time": 4}))),
        ok("time 1440", base(json!({"time": 1440}))),
        bad("time 3", base(json!({"time": 3}))),
        bad("time 1441", base(json!({"time": 1441}))),
        ok("promptTime 3", base(json!({"promptTime": 3}))),
        ok("promptTime 1440", base(json!({"promptTime": 1440}))),
        bad("promptTime 2", base(json!({"promptTime": 2}))),
        bad("promptTime 1441", base(json!({"promptTime": 1441}))),
        ok("confCallerNo of 24", base(json!({"confCallerNo": "1".repeat(24)}))),
        bad("confCallerNo of 25", base(json!({"confCallerNo": "1".repeat(25)}))),
        bad("confCallerNo not a string", base(json!({"confCallerNo": 1111}))),
        ok("beepTone with voicePath", base(json!({"beepTone": true, "voicePath": "y:/conf/1/a.V3"}))),
        bad("beepTone without voicePath", base(json!({"beepTone": true}))),
        bad("beepTone with a blank voicePath", base(json!({"beepTone": "true", "voicePath": " "}))),
        bad("beepTone not a boolean", base(json!({"beepTone": "yes"}))),
        ok("voicePath of 127", base(json!({"voicePath": "v".repeat(127)}))),
        bad("voicePath of 128", base(json!({"voicePath": "v".repeat(128)}))),
        ok("playMode 2", base(json!({"playMode": 2}))),
        bad("playMode not an integer", base(json!({"playMode": "two"}))),
        bad("body not an object", json!([3])),
    ];
    for c in cases {
        let r = s.act(&mut a, "POST", "agentconf/requestagentconf", Some(&c.body)).await;
        if c.accepted {
            assert_eq!(r.retcode(), "0", "{} should be accepted: {}", c.what, r.text);
            assert_eq!(s.confs().await.len(), 1, "{}: a conference was applied for", c.what);
            s.act(&mut a, "POST", "agentconf/releaseagentconf", None).await.ok();
        } else {
            assert_eq!(r.retcode(), "000-002", "{} should be refused: {}", c.what, r.text);
        }
        assert!(s.confs().await.is_empty(), "{}: no conference is left", c.what);
    }
    // promptTime not below time becomes time - 1.
    let body = json!({"memberNum": 3, "time": 4, "promptTime": 1440});
    s.act(&mut a, "POST", "agentconf/requestagentconf", Some(&body)).await.ok();
    assert_eq!(s.confs().await[0]["promptTime"], 3);
    assert_eq!(s.confs().await[0]["applyConfTime"], 4);
}

#[tokio::test]
async fn changeparticipantmode_limits() {
    let s = TestSim::start(json!({"invite_answer_delay_ms": 1}));
    let (mut a, _) = conf_with_phones(&s).await;
    let m = |attribute: Value, address: &str| json!({"attribute": attribute, "addressType": "6", "address": address});
    let long = "7".repeat(24);
    let mut cases = vec![];
    for (v, good) in [(json!(1), true), (json!(4), true), (json!("2"), true), (json!(0), false), (json!(5), false)] {
        cases.push(if good {
            ok(format!("attribute {v}"), m(v, "70005"))
        } else {
            bad(format!("attribute {v}"), m(v, "70005"))
        });
    }
    cases.extend([
        bad("attribute missing", json!({"addressType": "6", "address": "70005"})),
        bad("attribute not an integer", m(json!("x"), "70005")),
        ok("address of 24 characters", m(json!(3), &long)),
        bad("address of 25 characters", m(json!(3), &"7".repeat(25))),
        bad("address empty", m(json!(3), "")),
        bad("addressType 7", json!({"attribute": 3, "addressType": "7", "address": "70005"})),
        bad("addressType missing", json!({"attribute": 3, "address": "70005"})),
        bad("not a participant", m(json!(3), "70999")),
    ]);
    run(&s, &mut a, "agentconf/changeparticipantmode", cases).await;
}

#[tokio::test]
async fn prolongtime_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3, "time": 4}))).await.ok();
    wait_for("the grant", Duration::from_secs(5), || async { s.confs().await[0]["granted"] == true }).await;
    let p = |v: Value| json!({ "prolongTime": v });
    let cases = vec![
        bad("prolongTime 0", p(json!(0))),
        bad("prolongTime 1441", p(json!(1441))),
        bad("prolongTime missing", json!({})),
        bad("prolongTime not an integer", p(json!("x"))),
        ok("prolongTime 1 (5 minutes in all)", p(json!(1))),
        ok("prolongTime \"1435\" (1440 in all)", p(json!("1435"))),
        bad("prolongTime 1 more (1441 in all)", p(json!(1))),
    ];
    run(&s, &mut a, "agentconf/prolongtime", cases).await;
    assert_eq!(s.confs().await[0]["applyConfTime"], 1440);
}

#[tokio::test]
async fn announcement_limits() {
    let s = TestSim::start(json!({"invite_answer_delay_ms": 1, "announcement_ms": 0}));
    let (mut a, _) = conf_with_phones(&s).await;
    let v127 = "v".repeat(127);
    let conf_cases = vec![
        ok("voicePath of 127", json!({"voicePath": v127})),
        ok("playMode 2", json!({"playMode": 2, "voicePath": "y:/a"})),
        bad("voicePath of 128", json!({"voicePath": "v".repeat(128)})),
        bad("voicePath missing", json!({"playMode": 2})),
        bad("voicePath blank", json!({"voicePath": "  "})),
        bad("playMode not an integer", json!({"playMode": "x", "voicePath": "y:/a"})),
    ];
    run(&s, &mut a, "agentconf/playvoicetoconf", conf_cases).await;
    let long = "7".repeat(24);
    let p = |address: &str, voice: Option<&str>| {
        let mut b = json!({"addressType": "6", "address": address});
        if let Some(v) = voice {
            b["voicePath"] = json!(v);
        }
        b
    };
    let part_cases = vec![
        ok("address of 24 bytes", p(&long, Some("y:/a"))),
        bad("address of 25 bytes", p(&"7".repeat(25), Some("y:/a"))),
        bad("address of 13 two-byte characters", p(&"é".repeat(13), Some("y:/a"))),
        ok("voicePath of 127", p("70005", Some(&v127))),
        bad("voicePath of 128", p("70005", Some(&"v".repeat(128)))),
        bad("voicePath missing", p("70005", None)),
        bad("not a participant", p("70999", Some("y:/a"))),
    ];
    run(&s, &mut a, "agentconf/playvoicetoparticipant", part_cases).await;
    let stop_cases = vec![
        ok("address of 24 bytes", p(&long, None)),
        bad("address of 25 bytes", p(&"7".repeat(25), None)),
        bad("addressType missing", json!({"address": "70005"})),
        bad("not a participant", p("70999", None)),
    ];
    run(&s, &mut a, "agentconf/stopvoicetoparticipant", stop_cases).await;
}

#[tokio::test]
async fn modifyconfresource_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 2}))).await.ok();
    wait_for("the grant", Duration::from_secs(5), || async { s.confs().await[0]["granted"] == true }).await;
    let m = |t: Value, n: Value| json!({"modifyType": t, "modifyNum": n});
    let cases = vec![
        bad("modifyNum 1", m(json!(0), json!(1))),
        bad("modifyNum 119", m(json!(0), json!(119))),
        bad("modifyType 2", m(json!(2), json!(2))),
        bad("modifyType -1", m(json!(-1), json!(2))),
        bad("modifyType missing", json!({"modifyNum": 2})),
        bad("modifyNum missing", json!({"modifyType": 0})),
        ok("add 118 (memberNum 120)", m(json!(0), json!(118))),
        bad("add 2 more (memberNum 122)", m(json!(0), json!(2))),
        ok("remove \"118\" (memberNum 2)", m(json!("1"), json!("118"))),
        bad("remove 2 (memberNum 0)", m(json!(1), json!(2))),
        ok("add 2 (memberNum 4)", m(json!(0), json!(2))),
    ];
    run(&s, &mut a, "agentconf/modifyconfresource", cases).await;
    assert_eq!(s.confs().await[0]["memberNum"], 4);
}

#[tokio::test]
async fn applytoshiftpresident_limits() {
    let s = TestSim::start(json!({}));
    let mut a = chair(&s).await;
    let cases = vec![
        bad("destAgentNo missing", json!({})),
        bad("destAgentNo not a number", json!({"destAgentNo": "abc"})),
        bad("destAgentNo negative", json!({"destAgentNo": -5})),
        bad("an agent that is not a participant", json!({"destAgentNo": 102})),
    ];
    run(&s, &mut a, "agentconf/applytoshiftpresident", cases).await;
    s.act(&mut a, "POST", "agentconf/applytoshiftpresident", Some(&json!({"destAgentNo": 101})))
        .await
        .refused("101-005");
    s.act(&mut a, "POST", "agentconf/applytoshiftpresident", Some(&json!({"destAgentNo": "101"})))
        .await
        .refused("101-005");
}

#[tokio::test]
async fn callout_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let c = |extra: Value| {
        let mut b = json!({"called": "70005"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = vec![
        ok("called of 24 digits", json!({"called": "1".repeat(24)})),
        ok("called of * and #", json!({"called": "*123#"})),
        ok("called of one digit", json!({"called": "7"})),
        bad("called of 25 digits", json!({"called": "1".repeat(25)})),
        bad("called empty", json!({"called": ""})),
        bad("called missing", json!({})),
        bad("called with a letter", json!({"called": "70a05"})),
        bad("called with a plus", json!({"called": "+4970005"})),
        bad("called not a string", json!({"called": 70005})),
        ok("caller of 24 digits", c(json!({"caller": "8".repeat(24)}))),
        ok("caller empty (the platform's)", c(json!({"caller": ""}))),
        bad("caller of 25 digits", c(json!({"caller": "8".repeat(25)}))),
        bad("caller with a letter", c(json!({"caller": "888a"}))),
        ok("mediaability 2", c(json!({"mediaability": 2}))),
        bad("mediaability 3", c(json!({"mediaability": 3}))),
        ok("callappdata of 16384 bytes", c(json!({"callappdata": "x".repeat(16384)}))),
        bad("callappdata of 16385 bytes", c(json!({"callappdata": "x".repeat(16385)}))),
    ];
    for case in cases {
        let r = s.act(&mut a, "PUT", "voicecall/callout", Some(&case.body)).await;
        let calls = s.agent_state(101).await["calls"].as_array().unwrap().len();
        if case.accepted {
            assert_eq!(r.retcode(), "0", "{} should be accepted: {}", case.what, r.text);
            assert_eq!(calls, 1, "{}", case.what);
            s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
        } else {
            assert_eq!(r.retcode(), "000-002", "{} should be refused: {}", case.what, r.text);
            assert_eq!(calls, 0, "{}: no call was made", case.what);
        }
    }
}

#[tokio::test]
async fn seconddialex_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    // No call: 100-007 (after the number is checked).
    s.act(&mut a, "POST", "voicecall/seconddialex?number=1", None).await.refused("100-007");
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await.ok();
    let cases: [(&str, &str, bool); 9] = [
        ("24 digits", "123456789012345678901234", true),
        ("* and # (encoded)", "%2A9%23", true),
        ("one digit", "0", true),
        ("25 digits", "1234567890123456789012345", false),
        ("empty", "", false),
        ("a letter", "12a", false),
        ("a space", "1%202", false),
        ("a plus", "%2B1", false),
        ("missing", "-", false),
    ];
    let mut sent = String::new();
    for (what, number, accepted) in cases {
        let route = if number == "-" {
            "voicecall/seconddialex".to_string()
        } else {
            format!("voicecall/seconddialex?number={number}")
        };
        let r = s.act(&mut a, "POST", &route, None).await;
        if accepted {
            assert_eq!(r.retcode(), "0", "{what}: {}", r.text);
            sent.push_str(&number.replace("%2A", "*").replace("%23", "#"));
        } else {
            assert_eq!(r.retcode(), "000-002", "{what}: {}", r.text);
        }
        assert_eq!(s.agent_state(101).await["calls"][0]["dtmf"], sent, "{what}");
    }
}

#[tokio::test]
async fn query_parameter_and_path_limits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    for (reason, good) in [("200", true), ("250", true), ("199", false), ("251", false), ("x", false)] {
        let r = s.act(&mut a, "POST", &format!("onlineagent/saybusy?reason={reason}"), None).await;
        assert_eq!(r.retcode(), if good { "0" } else { "000-002" }, "saybusy reason {reason}: {}", r.text);
    }
    s.act(&mut a, "POST", "onlineagent/saybusy", None).await.ok();
    for (flag, good) in [("true", true), ("false", true), ("", true), ("maybe", false)] {
        let r = s.act(&mut a, "GET", &format!("calldata/callinfo?isNoContainLastCall={flag}"), None).await;
        assert_eq!(r.retcode(), if good { "0" } else { "000-002" }, "isNoContainLastCall {flag:?}: {}", r.text);
    }
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await.ok();
    for number in ["7000a", "1234567890123456789012345"] {
        s.act(&mut a, "POST", &format!("voicecall/disconnect/{number}"), None).await.refused("000-002");
    }
    assert_eq!(s.agent_state(101).await["calls"].as_array().unwrap().len(), 1, "nothing was disconnected");
}

#[tokio::test]
async fn batchremoveparticipant_limits() {
    let s = TestSim::start(json!({"invite_answer_delay_ms": 1}));
    let (mut a, _) = conf_with_phones(&s).await;
    let missing =
        |n: usize| (0..n).map(|i| json!({"addressType": "6", "address": format!("79{i:03}")})).collect::<Vec<_>>();
    let one = |t: Value, address: &str| json!({"addresses": [{"addressType": t, "address": address}]});
    let cases = vec![
        ok("30 addresses", json!({"addresses": missing(30)})),
        bad("31 addresses", json!({"addresses": missing(31)})),
        bad("no addresses", json!({"addresses": []})),
        bad("addresses missing", json!({})),
        bad("addresses not an array", json!({"addresses": {"addressType": "6", "address": "70005"}})),
        ok("address of 24 characters", one(json!("6"), &"8".repeat(24))),
        bad("address of 25 characters", one(json!("6"), &"8".repeat(25))),
        bad("address empty", one(json!("6"), "")),
        bad("addressType 7", one(json!("7"), "70005")),
        bad("addressType missing", json!({"addresses": [{"address": "70005"}]})),
    ];
    run(&s, &mut a, "agentconf/batchremoveparticipant", cases).await;
    // All 30 were reported as not in the conference.
    let r = s.act(&mut a, "POST", "agentconf/batchremoveparticipant", Some(&json!({"addresses": missing(30)}))).await;
    assert_eq!(r.result()["noExistParticipants"].as_array().unwrap().len(), 30);
    assert_eq!(r.result()["noExistParticipants"][0], json!({"addressType": "6", "address": "79000"}));
}
