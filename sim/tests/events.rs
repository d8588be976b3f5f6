//! The event long poll: hold time, empty-answer shapes, wake-up on a new event, one event
//! per answer, ordered bursts with consecutive `seq`, the queue bound, raw events and the
//! shutdown event at sign-out.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[tokio::test]
async fn an_empty_poll_is_held_for_poll_wait_ms_and_has_no_event_member() {
    let s = TestSim::start(json!({"poll_wait_ms": 300}));
    let mut a = s.ready_agent(101).await;
    let t = Instant::now();
    let r = s.poll(&mut a).await;
    let held = t.elapsed();
    assert_eq!(r.json, json!({"message": "", "retcode": "0"}), "empty answer shape");
    assert!(r.json.get("event").is_none());
    assert!(held >= Duration::from_millis(300), "held only {held:?}");
    assert!(held < Duration::from_millis(2300), "held {held:?}, far beyond poll_wait_ms");
    assert!(r.content_type.as_deref().unwrap().starts_with("application/json"));
}

#[tokio::test]
async fn empty_poll_null_answers_an_explicit_null_event() {
    let s = TestSim::start(json!({"empty_poll": "null"}));
    let mut a = s.ready_agent(101).await;
    let r = s.poll(&mut a).await;
    assert_eq!(r.json, json!({"message": "", "retcode": "0", "event": null}));
    assert!(r.json.as_object().unwrap().contains_key("event"));
}

#[tokio::test]
async fn a_held_poll_returns_at_once_when_an_event_arrives() {
    let s = TestSim::start(json!({"poll_wait_ms": 10000}));
    let mut a = s.ready_agent(101).await;
    let t = Instant::now();
    let poll = s.poll(&mut a);
    let inject = async {
        s.wait_poll_in_flight(101).await;
        s.inject(101, json!({"eventType": "Test_Wake", "content": {"n": 1}})).await
    };
    let (r, injected) = tokio::join!(poll, inject);
    assert!(t.elapsed() < Duration::from_secs(5), "the poll waited {:?} instead of answering", t.elapsed());
    r.ok();
    let ev = r.event().expect("the injected event");
    assert_eq!(ev["eventType"], "Test_Wake");
    assert_eq!(ev["content"], json!({"n": 1}));
    assert_eq!(ev["workNo"], "101");
    assert_eq!(seq(ev), injected["firstSeq"].as_u64().unwrap());
    assert!(ev["eventGenTime"].as_u64().unwrap() > 1_600_000_000_000);
    assert!(r.json.get("result").is_none(), "a poll answer carries `event`, not `result`");
}

#[tokio::test]
async fn event_gen_time_can_be_switched_off() {
    let s = TestSim::start(json!({"event_gen_time": false}));
    let mut a = s.sign_in(101).await;
    let ev = s.next_event(&mut a).await;
    assert!(ev.get("eventGenTime").is_none(), "{ev}");
    assert_eq!(ev["eventType"], "AgentOther_InService");
}

#[tokio::test]
async fn each_answer_carries_exactly_one_event_in_queue_order() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let types = ["Test_A", "Test_B", "Test_C"];
    let r = s.inject(101, json!({"events": types.iter().map(|t| json!({"eventType": t})).collect::<Vec<_>>()})).await;
    assert_eq!(r["count"], 3);
    assert_eq!(s.agent_state(101).await["queued"], 3);
    for (i, t) in types.iter().enumerate() {
        let r = s.poll(&mut a).await;
        r.ok();
        assert!(r.json["event"].is_object(), "one event object, not a list: {}", r.text);
        assert_eq!(r.json["event"]["eventType"], *t);
        assert_eq!(s.agent_state(101).await["queued"], 2 - i);
    }
}

#[tokio::test]
async fn injected_bursts_come_out_in_order_with_consecutive_seq() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let before = s.agent_state(101).await["lastSeq"].as_u64().unwrap();
    let r = s.inject(101, json!({"eventType": "Test_Burst", "content": {"k": "v"}, "repeat": 200})).await;
    assert_eq!(r["count"], 200);
    assert_eq!(r["firstSeq"], before + 1);
    assert_eq!(r["lastSeq"], before + 200);
    // A second source (the Rust API) interleaves after the burst.
    let own = s.sim.inject_event(101, "Test_Single", json!(null)).unwrap();
    assert_eq!(own, before + 201);
    let evs = s.events(&mut a, 201).await;
    assert_consecutive(&evs);
    assert_eq!(seq(&evs[0]), before + 1);
    assert!(evs[..200].iter().all(|e| e["eventType"] == "Test_Burst" && e["content"] == json!({"k": "v"})));
    assert_eq!(evs[200]["eventType"], "Test_Single");
    assert_eq!(evs[200]["content"], Value::Null);
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn the_queue_bound_drops_the_oldest_and_counts_them() {
    let s = TestSim::start(json!({"event_queue_limit": 5}));
    let mut a = s.ready_agent(101).await;
    let r = s.inject(101, json!({"eventType": "Test_Bound", "repeat": 8})).await;
    let last = r["lastSeq"].as_u64().unwrap();
    let st = s.agent_state(101).await;
    assert_eq!(st["queued"], 5);
    assert_eq!(st["dropped"], 3);
    let evs = s.events(&mut a, 5).await;
    assert_eq!(evs.iter().map(seq).collect::<Vec<_>>(), (last - 4..=last).collect::<Vec<_>>());
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn raw_events_are_sent_verbatim() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let raws = [
        json!({"eventType": "AgentConf_PresidentChanged", "workNo": "101", "content": "{\"confId\":1031168"}),
        json!("not an object"),
        json!([1, 2, 3]),
        json!({"unexpected": true}),
    ];
    let r = s.inject(101, json!({"events": raws.iter().map(|r| json!({"raw": r})).collect::<Vec<_>>()})).await;
    assert_eq!(r["count"], 4);
    for raw in &raws {
        let r = s.poll(&mut a).await;
        r.ok();
        assert_eq!(&r.json["event"], raw, "the event member is the raw value, untouched");
    }
    // The Rust API does the same.
    s.sim.inject_raw_event(101, json!(42)).unwrap();
    assert_eq!(s.poll(&mut a).await.json["event"], 42);
}

#[tokio::test]
async fn injecting_for_an_agent_not_signed_in_is_refused() {
    let s = TestSim::start(json!({}));
    let (status, v) = s.ctl("POST", "agents/101/events", Some(&json!({"eventType": "X"}))).await;
    assert_eq!(status, 409, "{v}");
    assert!(s.sim.inject_event(101, "X", Value::Null).is_err());
    let (status, _) = s.ctl("POST", "agents/101/events", Some(&json!({"content": 1}))).await;
    assert_eq!(status, 400, "eventType is required");
    s.sign_in(101).await;
    let (status, _) = s.ctl("POST", "agents/101/events", Some(&json!({"eventType": "X", "repeat": 0}))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn shutdown_service_reaches_a_poll_in_flight_at_sign_out() {
    let s = TestSim::start(json!({"poll_wait_ms": 10000}));
    let mut a = s.ready_agent(101).await;
    let mut poller = a.clone();
    let t = Instant::now();
    let poll = s.poll(&mut poller);
    let logout = async {
        s.wait_poll_in_flight(101).await;
        s.act(&mut a, "DELETE", "onlineagent/logout", None).await
    };
    let (r, out) = tokio::join!(poll, logout);
    out.ok();
    r.ok();
    assert!(t.elapsed() < Duration::from_secs(5));
    let ev = r.event().expect("the shutdown event");
    assert_eq!(ev["eventType"], "AgentOther_ShutdownService");
    assert_eq!(ev["content"]["reason"], "logout");
    // Then the poll loop learns it is signed out.
    s.poll(&mut poller).await.refused("100-006");

    // The same for a sign-out through the control API.
    let mut b = s.ready_agent(102).await;
    let poll = s.poll(&mut b);
    let signout = async {
        s.wait_poll_in_flight(102).await;
        s.ctl_ok("POST", "agents/102/signout", None).await
    };
    let (r, _) = tokio::join!(poll, signout);
    let ev = r.event().expect("the shutdown event");
    assert_eq!(ev["eventType"], "AgentOther_ShutdownService");
    assert_eq!(ev["content"]["reason"], "control");
}
