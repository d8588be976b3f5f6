//! Guid lifecycle: dynamic rotation on poll answers, the previous Guid's grace window,
//! static mode, control-API rotation and expiry, and `set_guid_on_every_response`.

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn probe() -> serde_json::Value {
    json!({"confIds": [1]})
}

/// Answers a request that changes nothing, so a Guid can be tried repeatedly.
async fn try_guid(s: &TestSim, id: u32, guid: &str) -> String {
    s.act_as(id, Some(guid), "POST", "agentconf/queryconfinfos", Some(&probe())).await.retcode().to_string()
}

#[tokio::test]
async fn dynamic_mode_rotates_on_a_poll_answer_and_retires_the_previous_guid() {
    // The previous Guid is accepted for 1200 - 300 = 900 ms after a rotation.
    let s = TestSim::start(json!({"guid_interval_ms": 300, "guid_timeout_ms": 1200}));
    let t0 = Instant::now();
    let mut a = s.sign_in(101).await;
    let first = a.guid.clone();

    // Poll until an answer carries a new Guid.
    let deadline = Instant::now() + Duration::from_secs(5);
    let rotated = loop {
        let r = s.act_as(101, Some(&first), "GET", "agentevent", None).await;
        r.ok();
        if let Some(g) = r.set_guid.clone() {
            break g;
        }
        assert!(Instant::now() < deadline, "no Set-GUID on any poll answer within 5 s");
    };
    let t_rot = t0.elapsed();
    assert!(t_rot >= Duration::from_millis(300), "rotated after {t_rot:?}, before guid_interval_ms");
    assert_ne!(rotated, first);
    assert_guid_shape(&rotated, 0);
    a.guid = rotated.clone();

    // Both are accepted during the grace window.
    assert_eq!(try_guid(&s, 101, &rotated).await, "0");
    assert_eq!(try_guid(&s, 101, &first).await, "0", "the previous Guid is refused too early");

    // Then the previous one is refused, no earlier than sign-in + interval + grace.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match try_guid(&s, 101, &first).await.as_str() {
            "0" => {}
            "000-003" => break,
            other => panic!("unexpected retcode {other} for the previous Guid"),
        }
        assert!(Instant::now() < deadline, "the previous Guid is still accepted after 5 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let t_refused = t0.elapsed();
    assert!(
        t_refused >= Duration::from_millis(1200),
        "previous Guid refused after {t_refused:?}, before its grace ended"
    );
    assert_eq!(try_guid(&s, 101, &rotated).await, "0", "the current Guid still works");
    s.poll(&mut a).await.ok();

    // The refusal code is a setting.
    s.sim.update_settings(&json!({"auth_failure_retcode": "100-006"})).unwrap();
    assert_eq!(try_guid(&s, 101, &first).await, "100-006");
    assert_eq!(s.agent_state(101).await["signedIn"], true, "a refused Guid does not sign the agent out");
}

#[tokio::test]
async fn dynamic_rotation_keeps_going_every_interval() {
    let s = TestSim::start(json!({"guid_interval_ms": 200, "guid_timeout_ms": 1000}));
    let mut a = s.sign_in(101).await;
    let mut seen = vec![a.guid.clone()];
    let deadline = Instant::now() + Duration::from_secs(8);
    while seen.len() < 4 {
        let r = s.poll(&mut a).await;
        r.ok();
        if let Some(g) = &r.set_guid {
            assert!(!seen.contains(g), "Guid {g} issued twice");
            seen.push(g.clone());
        }
        assert!(Instant::now() < deadline, "only {} Guids within 8 s", seen.len());
    }
    // Only the current and the one before it are accepted.
    assert_eq!(try_guid(&s, 101, &seen[3]).await, "0");
    assert_eq!(try_guid(&s, 101, &seen[2]).await, "0");
    assert_eq!(try_guid(&s, 101, &seen[0]).await, "000-003");
    assert_eq!(try_guid(&s, 101, &seen[1]).await, "000-003");
}

#[tokio::test]
async fn static_mode_never_rotates() {
    let s = TestSim::start(json!({"auth_mode": "static", "guid_interval_ms": 50, "guid_timeout_ms": 100}));
    let mut a = s.sign_in(101).await;
    let first = a.guid.clone();
    let start = Instant::now();
    let mut polls = 0;
    // Events first, then empty answers held for poll_wait_ms: many intervals pass.
    while start.elapsed() < Duration::from_millis(800) {
        let r = s.poll(&mut a).await;
        r.ok();
        assert!(r.set_guid.is_none(), "static mode sent Set-GUID on poll {polls}: {:?}", r.set_guid_raw);
        polls += 1;
    }
    assert!(polls >= 3);
    assert_eq!(a.guid, first);
    assert_eq!(try_guid(&s, 101, &first).await, "0");
}

#[tokio::test]
async fn control_rotate_delivers_a_new_guid_on_the_next_poll_even_in_static_mode() {
    let s = TestSim::start(json!({"auth_mode": "static"}));
    let mut a = s.ready_agent(101).await;
    let first = a.guid.clone();
    // Through the control API ...
    s.ctl_ok("POST", "agents/101/guid/rotate", None).await;
    s.inject(101, json!({"eventType": "Test_Event"})).await;
    let r = s.poll(&mut a).await;
    r.ok();
    assert_eq!(r.event().unwrap()["eventType"], "Test_Event");
    let second = r.set_guid.clone().expect("the poll answer after a forced rotation carries Set-GUID");
    assert_ne!(second, first);
    // ... only once ...
    let r = s.poll(&mut a).await;
    r.ok();
    assert!(r.set_guid.is_none());
    // ... and through the Rust API, on an empty poll answer.
    s.sim.rotate_guid(101).unwrap();
    let r = s.poll(&mut a).await;
    assert!(r.event().is_none());
    let third = r.set_guid.clone().expect("the empty poll answer carries Set-GUID");
    assert_ne!(third, second);
    assert_eq!(try_guid(&s, 101, &third).await, "0");
    assert_eq!(try_guid(&s, 101, &second).await, "0", "the previous Guid has its grace window");
    assert_eq!(try_guid(&s, 101, &first).await, "000-003", "only one previous Guid is kept");
    // Not signed in: refused.
    let (status, _) = s.ctl("POST", "agents/102/guid/rotate", None).await;
    assert_eq!(status, 409);
    assert!(s.sim.rotate_guid(102).is_err());
}

#[tokio::test]
async fn control_expire_refuses_current_and_previous_guids_at_once() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let first = a.guid.clone();
    let r = s.act(&mut a, "PUT", "onlineagent/updateGuid", None).await;
    r.ok();
    let second = a.guid.clone();
    s.ctl_ok("POST", "agents/101/guid/expire", None).await;
    assert_eq!(try_guid(&s, 101, &first).await, "000-003");
    assert_eq!(try_guid(&s, 101, &second).await, "000-003");
    s.poll(&mut a).await.refused("000-003");
    assert_eq!(s.agent_state(101).await["signedIn"], true);
    // The Rust API does the same on another agent, with the configured code.
    s.sim.update_settings(&json!({"auth_failure_retcode": "100-006"})).unwrap();
    let b = s.ready_agent(102).await;
    s.sim.expire_guid(102).unwrap();
    assert_eq!(try_guid(&s, 102, &b.guid).await, "100-006");
    let (status, _) = s.ctl("POST", "agents/103/guid/expire", None).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn set_guid_on_every_response_sends_the_current_guid_on_every_answer() {
    let s = TestSim::start(json!({"set_guid_on_every_response": true}));
    let mut a = s.sign_in(101).await;
    let g = a.guid.clone();
    let r = s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&probe())).await;
    r.ok();
    assert_eq!(r.set_guid.as_deref(), Some(g.as_str()));
    let r = s.act(&mut a, "POST", "voicecall/hold", None).await;
    r.refused("200-013");
    assert_eq!(r.set_guid.as_deref(), Some(g.as_str()), "business refusals carry it too");
    let r = s.poll(&mut a).await;
    r.ok();
    assert_eq!(r.set_guid.as_deref(), Some(g.as_str()));
    // Once signed out, no Guid is sent.
    let r = s.act(&mut a, "DELETE", "onlineagent/logout", None).await;
    r.ok();
    assert!(r.set_guid.is_none(), "{:?}", r.set_guid_raw);
    let r = s.act_as(101, Some(&g), "POST", "agentconf/queryconfinfos", Some(&probe())).await;
    r.refused("100-006");
    assert!(r.set_guid.is_none());

    // Off (the default), ordinary answers carry none.
    let s = TestSim::start(json!({}));
    let mut a = s.sign_in(101).await;
    let r = s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&probe())).await;
    assert!(r.set_guid.is_none());
    let r = s.poll(&mut a).await;
    assert!(r.set_guid.is_none());
}
