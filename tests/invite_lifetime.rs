//! A pending invite tracker does not keep its session alive: freeing the session right
//! after a tracked invitation with a long deadline ends it at once (otherwise
//! `ccgw_global_shutdown` would refuse with "sessions still alive" until the deadline).
//! Its own test binary, so the process-wide live-session count is this test's alone.

mod common;

use ccgw::status::*;
use common::conf::*;
use common::*;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

#[test]
fn freeing_the_session_does_not_wait_for_a_tracker_deadline() {
    let sim = sim(json!({"answer_rules": [{"prefix": "7", "outcome": "never"}]}));
    let before = ccgw::runtime::LIVE.load(Ordering::SeqCst);
    let chair = pumped(&sim, "541");
    typed_conference(&chair, 10);
    let tracker = tracked_add(&chair, &invitees(&[(6, "70001")]), 600_000, |_| {}).unwrap();
    assert_eq!(ccgw::runtime::LIVE.load(Ordering::SeqCst), before + 1);
    drop(chair);
    let deadline = Instant::now() + Duration::from_secs(2);
    while ccgw::runtime::LIVE.load(Ordering::SeqCst) != before {
        assert!(Instant::now() < deadline, "the session outlived its handle: a tracker's timer holds it");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The tracker stays readable; its invitee is still pending and waiting ends as closed.
    assert_eq!(tracker_results(&tracker).2, 1);
    assert_eq!(tracker_wait(&tracker, 1_000), CCGW_E_CLOSED);
}
