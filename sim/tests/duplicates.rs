//! Duplicate detection: a second identical request while the first is pending gets
//! `000-007` (`100-021` for sign-in), unless `reject_duplicates` is off; an abandoned poll
//! does not block the next one.

mod common;

use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::{json, Value};
use std::time::Duration;

/// Waits until the journal shows a request on `route` whose body has been read (the
/// simulator registers it as pending right after).
async fn wait_body_read(s: &TestSim, route: &str) {
    wait_for(&format!("a {route} request in progress"), Duration::from_secs(5), || async {
        s.sim.journal().iter().any(|e| e.route == route && e.outcome == "pending" && e.body.is_some())
    })
    .await;
}

#[tokio::test]
async fn a_second_identical_request_while_the_first_is_pending_gets_000_007() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.sim.add_fault(FaultSpec::new("voicecall/callout", FaultKind::Delay).with_delay(600)).unwrap();
    let body = json!({"called": "70005"});
    let first = {
        let (s, a, body) = (&s, a.clone(), body.clone());
        async move { s.act_as(a.id, Some(&a.guid), "PUT", "voicecall/callout", Some(&body)).await }
    };
    let second = async {
        wait_body_read(&s, "voicecall/callout").await;
        s.act_as(a.id, Some(&a.guid), "PUT", "voicecall/callout", Some(&body)).await
    };
    let (r1, r2) = tokio::join!(first, second);
    r2.refused("000-007");
    r1.ok();
    assert!(r1.result().is_string(), "callout answers the call id");
    // Only one call was placed.
    assert_eq!(s.agent_state(101).await["calls"].as_array().unwrap().len(), 1);
    let retcodes: Vec<Option<String>> =
        s.sim.journal().into_iter().filter(|e| e.route == "voicecall/callout").map(|e| e.retcode).collect();
    assert_eq!(retcodes, [Some("0".to_string()), Some("000-007".to_string())]);
    // Once the first has answered, the same request is processed again (and refused on its merits).
    s.act(&mut a, "PUT", "voicecall/callout", Some(&body)).await.refused("200-001");
}

#[tokio::test]
async fn requests_that_differ_are_not_duplicates() {
    let s = TestSim::start(json!({}));
    let a = s.ready_agent(101).await;
    s.sim.add_fault(FaultSpec::new("agentconf/queryconfinfos", FaultKind::Delay).with_delay(500)).unwrap();
    let q1 = json!({"confIds": [1]});
    let first = s.act_as(a.id, Some(&a.guid), "POST", "agentconf/queryconfinfos", Some(&q1));
    let second = async {
        wait_body_read(&s, "agentconf/queryconfinfos").await;
        s.act_as(a.id, Some(&a.guid), "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [2]}))).await
    };
    let (r1, r2) = tokio::join!(first, second);
    r1.ok();
    r2.ok();
}

#[tokio::test]
async fn a_concurrent_identical_sign_in_gets_100_021() {
    let s = TestSim::start(json!({}));
    s.sim.add_fault(FaultSpec::new("onlineagent", FaultKind::Delay).with_delay(600)).unwrap();
    let body = json!({"password": PASSWORD, "phonenum": "40038"});
    let first = s.sign_in_body(101, &body);
    let second = async {
        wait_body_read(&s, "onlineagent").await;
        s.sign_in_body(101, &body).await
    };
    let (r1, r2) = tokio::join!(first, second);
    r1.ok();
    r2.refused("100-021");
    assert!(r2.set_guid.is_none());
    assert_eq!(s.agent_state(101).await["signouts"], 0);
    // A forced sign-in repeated while pending is refused the same way.
    s.sim.add_fault(FaultSpec::new("onlineagent/forcelogin", FaultKind::Delay).with_delay(600)).unwrap();
    let path = gateway_path("onlineagent/forcelogin", "101");
    let first = s.request("PUT", &path, None, Some(&body));
    let second = async {
        wait_body_read(&s, "onlineagent/forcelogin").await;
        s.request("PUT", &path, None, Some(&body)).await
    };
    let (r1, r2) = tokio::join!(first, second);
    r1.ok();
    r2.refused("100-021");
}

#[tokio::test]
async fn with_reject_duplicates_off_both_are_processed() {
    let s = TestSim::start(json!({"reject_duplicates": false}));
    s.sim.add_fault(FaultSpec::new("onlineagent", FaultKind::Delay).with_delay(500).times(2)).unwrap();
    let body = json!({"password": PASSWORD, "phonenum": "40038"});
    let first = s.sign_in_body(101, &body);
    let second = async {
        wait_body_read(&s, "onlineagent").await;
        s.sign_in_body(101, &body).await
    };
    let (r1, r2) = tokio::join!(first, second);
    // Both went through: one signed in, the other was refused on its merits.
    let mut codes = [r1.retcode().to_string(), r2.retcode().to_string()];
    codes.sort();
    assert_eq!(codes, ["0", "100-002"]);
    let faults: Vec<Option<String>> = s.sim.journal().into_iter().map(|e| e.fault).collect();
    assert_eq!(faults, [Some("delay".to_string()), Some("delay".to_string())], "both were delayed, so they overlapped");
}

#[tokio::test]
async fn a_poll_abandoned_by_its_client_does_not_block_the_next_poll() {
    let s = TestSim::start(json!({"poll_wait_ms": 3000}));
    let mut a = s.ready_agent(101).await;
    let path = gateway_path("agentevent", "101");
    let err = s
        .try_request("GET", &path, Some(&a.guid), None, Some(Duration::from_millis(200)))
        .await
        .expect_err("the client gives up before the poll answers");
    assert!(err.is_timeout(), "{err:?}");
    // The simulator notices the client is gone and forgets the poll.
    wait_for("the abandoned poll to be journaled as client_gone", Duration::from_secs(2), || async {
        s.sim.journal().iter().any(|e| e.route == "agentevent" && e.outcome == "client_gone")
    })
    .await;
    assert_eq!(s.agent_state(101).await["pollsInFlight"], 0);
    // The identical next poll is accepted and gets an event injected meanwhile.
    let next = s.poll(&mut a);
    let inject = async {
        s.wait_poll_in_flight(101).await;
        s.inject(101, json!({"eventType": "Test_AfterAbandon"})).await
    };
    let (r, injected): (Resp, Value) = tokio::join!(next, inject);
    r.ok();
    assert_eq!(r.event().expect("an event")["eventType"], "Test_AfterAbandon");
    assert_eq!(seq(r.event().unwrap()), injected["firstSeq"].as_u64().unwrap());
}
