//! Idle sign-out: an agent that stops polling is signed out after `idle_signout_ms`; one
//! that keeps polling stays signed in.

mod common;

use common::*;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test]
async fn an_agent_that_does_not_poll_is_signed_out_after_the_idle_limit() {
    let s = TestSim::start(json!({"idle_signout_ms": 400}));
    let t0 = Instant::now();
    let mut a = s.sign_in(101).await;
    wait_for("the idle sign-out", Duration::from_secs(5), || async { s.agent_state(101).await["signedIn"] == false })
        .await;
    assert!(t0.elapsed() >= Duration::from_millis(400), "signed out after {:?}", t0.elapsed());
    let st = s.agent_state(101).await;
    assert_eq!(st["lastSignoutReason"], "idle");
    assert_eq!(st["signouts"], 1);
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await.refused("100-006");
    s.poll(&mut a).await.refused("100-006");
    // Other requests are not polls: they do not keep the session alive.
    let t1 = Instant::now();
    let mut b = s.sign_in(102).await;
    let probe = json!({"confIds": [1]});
    let mut refused = false;
    while t1.elapsed() < Duration::from_secs(5) {
        let r = s.act(&mut b, "POST", "agentconf/queryconfinfos", Some(&probe)).await;
        if r.retcode() == "100-006" {
            refused = true;
            break;
        }
        r.ok();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused, "an agent that only sends operations was not signed out");
    assert_eq!(s.agent_state(102).await["lastSignoutReason"], "idle");
}

#[tokio::test]
async fn an_agent_with_a_poll_loop_stays_signed_in_across_idle_periods() {
    let s = Arc::new(TestSim::start(json!({"idle_signout_ms": 400})));
    let a = s.sign_in(101).await;
    let stop = Arc::new(AtomicBool::new(false));
    let polls = Arc::new(AtomicUsize::new(0));
    let looper = {
        let (s, stop, polls) = (s.clone(), stop.clone(), polls.clone());
        let mut a = a.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let r = s.poll(&mut a).await;
                assert_eq!(r.retcode(), "0", "poll refused: {}", r.text);
                polls.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // Five idle periods, each time checking the session is still there.
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(2000) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let st = s.agent_state(101).await;
        assert_eq!(st["signedIn"], true, "signed out while polling after {:?}: {st}", start.elapsed());
    }
    stop.store(true, Ordering::Relaxed);
    looper.await.expect("poll loop");
    assert!(polls.load(Ordering::Relaxed) >= 5, "the loop polled {} times", polls.load(Ordering::Relaxed));
    let st = s.agent_state(101).await;
    assert_eq!(st["signouts"], 0);
    // A poll held longer than the idle limit counts as activity for its whole duration.
    s.sim.update_settings(&json!({"poll_wait_ms": 1000})).unwrap();
    let mut a = a;
    s.poll(&mut a).await.ok();
    assert_eq!(s.agent_state(101).await["signedIn"], true);
}
