//! Per-invitee outcomes of a batch invitation (`ccgw_batch_add_participant_tracked`)
//! against the simulator: 120 invitees of every kind, 50 runs, the outcome of each one
//! by the deadline; the outcomes followed from the event stream and from a callback,
//! with every gateway event still delivered; removal, the conference ending, and
//! participants already present.

mod common;

use ccgw::ffi::conf::{CCGW_ADDRESS_AGENT, CCGW_ADDRESS_PHONE};
use ccgw::ffi::confview::*;
use ccgw::ffi::events::*;
use ccgw::status::*;
use common::conf::*;
use common::*;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What each kind of invitee does (simulator `answer_rules`), and what the tracker must say.
const RULES: &[(&str, &str, u64, i64)] = &[
    // prefix, outcome, delay ms, result
    ("710", "join", 2, 0),
    ("711", "join", 40, 0),
    ("72", "reject", 10, 17),
    ("73", "busy", 20, 486),
    ("74", "no_answer", 30, 480),
    ("75", "never", 0, 0),
];

fn rules_json() -> serde_json::Value {
    json!(RULES
        .iter()
        .map(|(prefix, outcome, delay, result)| {
            let mut r = json!({"prefix": prefix, "outcome": outcome, "delay_ms": delay, "address_type": 6});
            if *result != 0 {
                r["result"] = json!(result);
            }
            r
        })
        .collect::<Vec<_>>())
}

/// The outcome (and result code) an invitee must end with.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Expected {
    outcome: i32,
    result: i64,
}

/// One chair's 120 invitees: phones of every rule (30 join, 24 fail: rejected, busy, not
/// answered; 60 never answer), three auto-answering agents (join), two agents that ring
/// without answering (no answer by the deadline), one agent not signed in (fails at once,
/// result 1). About half the invitees answer with an event: every event is one long-poll
/// round trip, and the test machine's two shared cores set how many fit before the deadline.
fn invitee_plan(chair: usize, agents: &[String]) -> Vec<(i32, String, Expected)> {
    let mut plan = Vec::new();
    let counts = [15, 15, 8, 8, 8, 60];
    for ((prefix, outcome, _, result), n) in RULES.iter().zip(counts) {
        for i in 0..n {
            let address = format!("{prefix}{chair}{i:03}");
            let e = match *outcome {
                "join" => Expected { outcome: CCGW_INVITE_JOINED, result: 0 },
                "never" => Expected { outcome: CCGW_INVITE_NO_ANSWER, result: -1 },
                _ => Expected { outcome: CCGW_INVITE_FAILED, result: *result },
            };
            plan.push((CCGW_ADDRESS_PHONE, address, e));
        }
    }
    for (i, a) in agents.iter().enumerate() {
        let e = match i {
            0..=2 => Expected { outcome: CCGW_INVITE_JOINED, result: 0 },
            3 | 4 => Expected { outcome: CCGW_INVITE_NO_ANSWER, result: -1 },
            _ => Expected { outcome: CCGW_INVITE_FAILED, result: 1 },
        };
        plan.push((CCGW_ADDRESS_AGENT, a.clone(), e));
    }
    assert_eq!(plan.len(), 120);
    plan
}

/// The caller's deadline. On the test machine (two shared cores, debug builds) the ~60
/// evented answers of two concurrent runs take 0.5-1 s to arrive.
const DEADLINE_MS: u32 = 2_500;

/// One run: a conference, 120 tracked invitees, the outcomes checked at the deadline, the
/// application's own view of the events checked, the conference released.
fn one_run(sim: &ccgw_sim::Simulator, chair: &S, plan: &[(i32, String, Expected)], run: usize) {
    let conf = typed_conference(chair, 120);
    let refs: Vec<(i32, &str)> = plan.iter().map(|(t, a, _)| (*t, a.as_str())).collect();
    let inv = invitees(&refs);
    let started = Instant::now();
    let tracker =
        tracked_add(chair, &inv, DEADLINE_MS, |_| {}).unwrap_or_else(|st| panic!("run {run}: {st} {:?}", last_error()));
    expect(tracker_wait(&tracker, CCGW_WAIT_FOREVER), CCGW_OK);
    let waited = started.elapsed();
    assert!(waited < Duration::from_millis(u64::from(DEADLINE_MS) + 1_500), "run {run}: wait took {waited:?}");
    let (id, tconf, pending, passed, list) = tracker_results(&tracker);
    assert_eq!((tconf, pending, passed), (conf, 0, true), "run {run}");
    assert_eq!(list.len(), 120);
    let deadline_ms = list.iter().map(|o| o.settled_time).max().unwrap();
    for ((t, a, want), got) in plan.iter().zip(&list) {
        assert_eq!((got.address_type, got.address.as_str()), (*t, a.as_str()), "run {run}: order of the request");
        assert_eq!(Expected { outcome: got.outcome, result: got.result }, *want, "run {run}: invitee {a} (type {t})");
        assert!(got.settled_time > 0 && got.settled_time <= deadline_ms);
    }
    // The simulator agrees on who joined.
    let joined: Vec<String> = sim.conf_info(conf as u64).unwrap()["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["address"].as_str().unwrap().to_string())
        .collect();
    for (_, a, want) in plan {
        assert_eq!(joined.contains(a), want.outcome == CCGW_INVITE_JOINED, "run {run}: {a} in the conference");
    }

    // The application saw every gateway event, each InviteOutcome right after the event
    // that settled it, and one InvitesSettled last.
    let mut pcs: HashMap<String, (i64, i64)> = HashMap::new();
    let mut outcomes: HashMap<String, i32> = HashMap::new();
    let mut settled = 0;
    let mut previous: Option<Ev> = None;
    loop {
        match next_event(chair, 200) {
            Ok(e) if e.kind == CCGW_EVENT_CONF_PARTICIPANT_CHANGED && e.change_type == 0 => {
                pcs.insert(e.participant.clone(), (e.result, e.change_type));
                previous = Some(e);
            }
            Ok(e) if e.kind == CCGW_EVENT_INVITE_OUTCOME && e.tracker_id == id => {
                if e.outcome != CCGW_INVITE_NO_ANSWER {
                    let p = previous.as_ref().expect("an outcome follows its event");
                    assert_eq!(
                        p.participant, e.participant,
                        "run {run}: the outcome follows the event that settled it"
                    );
                }
                assert!(outcomes.insert(e.participant.clone(), e.outcome).is_none(), "one outcome per invitee");
                previous = None;
            }
            Ok(e) if e.kind == CCGW_EVENT_INVITES_SETTLED && e.tracker_id == id => {
                settled += 1;
                break;
            }
            Ok(e) => previous = Some(e),
            Err(CCGW_E_TIMEOUT) => panic!("run {run}: no InvitesSettled"),
            Err(st) => panic!("run {run}: {st}"),
        }
    }
    assert_eq!(settled, 1);
    assert_eq!(outcomes.len(), 120, "run {run}");
    for (_, a, want) in plan {
        assert_eq!(outcomes[a], want.outcome, "run {run}: event outcome of {a}");
        let evented = want.outcome != CCGW_INVITE_NO_ANSWER;
        assert_eq!(pcs.contains_key(a), evented, "run {run}: the application got {a}'s ParticipantChanged");
    }
    expect(release_conf(chair), CCGW_OK);
    wait_event(chair, "AgentConf_SelfLeaveResult");
}

#[test]
fn outcomes_of_120_invitees_match_by_the_deadline_50_runs() {
    const CHAIRS: usize = 2;
    const RUNS_EACH: usize = 25;
    let sim = sim(json!({"answer_rules": rules_json(), "poll_wait_ms": 2000}));
    let sim = Arc::new(sim);
    let started = Instant::now();
    let threads: Vec<_> = (0..CHAIRS)
        .map(|k| {
            let sim = sim.clone();
            std::thread::spawn(move || {
                let chair = pumped(&sim, &format!("{}", 500 + k));
                // Agents: three auto-answering, two ringing until the conference ends, one
                // never signed in.
                let ids: Vec<String> = (0..6).map(|i| format!("{}", 600 + k * 10 + i)).collect();
                let sessions: Vec<S> = ids[..5]
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let s = signed_in_with(&sim, id, |o| o.autoanswer = i32::from(i < 3));
                        start_events(&s, &event_opts(|_| {}));
                        s
                    })
                    .collect();
                let plan = invitee_plan(k, &ids);
                for run in 0..RUNS_EACH {
                    one_run(&sim, &chair, &plan, k * RUNS_EACH + run);
                }
                drop(sessions);
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a chair's runs passed");
    }
    eprintln!("{} runs of 120 invitees in {:?}", CHAIRS * RUNS_EACH, started.elapsed());
}

/// What the callback saw: (kind, participant, outcome, tracker id) per event.
type Seen = Mutex<Vec<(i32, String, i32, u64)>>;

#[test]
fn outcomes_from_the_event_stream_and_a_callback_with_every_event_delivered() {
    let sim = sim(json!({"answer_rules": [
        {"prefix": "7600", "outcome": "join", "delay_ms": 5},
        {"prefix": "7601", "outcome": "never"},
        {"prefix": "7602", "outcome": "reject", "delay_ms": 5, "result": 21}]}));
    let chair = signed_in(&sim, "521");
    let seen: Arc<Seen> = Arc::new(Mutex::new(Vec::new()));
    unsafe extern "C" fn on_event(userdata: *mut std::ffi::c_void, e: *const ccgw_event) {
        let seen = unsafe { &*(userdata as *const Seen) };
        let e = Ev::from_c(unsafe { &*e });
        seen.lock().unwrap().push((e.kind, e.participant, e.outcome, e.tracker_id));
    }
    let raw = Arc::into_raw(seen.clone()) as *mut std::ffi::c_void;
    unsafe extern "C" fn release(userdata: *mut std::ffi::c_void) {
        drop(unsafe { Arc::from_raw(userdata as *const Seen) });
    }
    expect(unsafe { ccgw_events_set_callback(chair.0, Some(on_event), raw, Some(release)) }, CCGW_OK);
    start_events(&chair, &event_opts(|_| {}));
    expect(request_conf(&chair, 10, |_| {}), CCGW_OK);
    wait_until("the grant", || seen.lock().unwrap().iter().any(|e| e.0 == CCGW_EVENT_CONF_REQUEST_SUCCESS));
    let inv = invitees(&[(6, "76000"), (6, "76010"), (6, "76020"), (6, "76011")]);
    let t = tracked_add(&chair, &inv, 60_000, |_| {}).unwrap();
    let id = unsafe { ccgw_invite_tracker_id(t.0) };
    assert!(id > 0);
    wait_until("two outcomes", || tracker_results(&t).2 == 2);
    // Removed before it answered: released, reason 1.
    expect(remove(&chair, &[(6, "76010")]).0, CCGW_OK);
    wait_until("the removal's outcome", || tracker_results(&t).2 == 1);
    // The conference ends: the last one's outcome.
    expect(release_conf(&chair), CCGW_OK);
    wait_until("the end", || tracker_results(&t).2 == 0);
    expect(tracker_wait(&t, 0), CCGW_OK);
    let (_, _, _, passed, list) = tracker_results(&t);
    assert!(!passed, "settled long before the deadline");
    let by: HashMap<&str, (i32, i64, i64)> =
        list.iter().map(|o| (o.address.as_str(), (o.outcome, o.result, o.change_reason))).collect();
    assert_eq!(by["76000"], (CCGW_INVITE_JOINED, 0, -1));
    assert_eq!(by["76020"], (CCGW_INVITE_FAILED, 21, -1));
    assert_eq!(by["76010"], (CCGW_INVITE_RELEASED, 0, 1));
    assert_eq!(by["76011"], (CCGW_INVITE_CONF_ENDED, -1, -1));
    wait_until("the settled report", || seen.lock().unwrap().iter().any(|e| e.0 == CCGW_EVENT_INVITES_SETTLED));
    let events = seen.lock().unwrap().clone();
    // The callback got the gateway's events (the tracker took none) and each outcome once.
    let pcs = events.iter().filter(|e| e.0 == CCGW_EVENT_CONF_PARTICIPANT_CHANGED).count();
    assert_eq!(pcs, 3, "join, rejection, removal: {events:?}");
    let outcomes: Vec<&(i32, String, i32, u64)> = events.iter().filter(|e| e.0 == CCGW_EVENT_INVITE_OUTCOME).collect();
    assert_eq!(outcomes.len(), 4);
    assert!(outcomes.iter().all(|e| e.3 == id));
    let tracker_events: Vec<i32> = events.iter().filter(|e| e.3 == id).map(|e| e.0).collect();
    assert_eq!(tracker_events.last(), Some(&CCGW_EVENT_INVITES_SETTLED), "settled comes last: {events:?}");
    assert_eq!(tracker_events.iter().filter(|&&k| k == CCGW_EVENT_INVITES_SETTLED).count(), 1);
    expect(unsafe { ccgw_events_set_callback(chair.0, None, std::ptr::null_mut(), None) }, CCGW_OK);
}

#[test]
fn participants_already_present_count_as_joined_and_a_closed_session_ends_the_wait() {
    let sim = sim(json!({"answer_rules": [{"prefix": "7701", "outcome": "never"}]}));
    let chair = pumped(&sim, "531");
    typed_conference(&chair, 10);
    expect(batch_add(&chair, &invitees(&[(6, "77000")]), |_| {}), CCGW_OK);
    wait_for(&chair, "the join", |e| e.participant == "77000");
    // Already in: the gateway skips it (no event); the tracker knows from the view.
    let t = tracked_add(&chair, &invitees(&[(6, "77000"), (6, "77010"), (6, "77010")]), 60_000, |_| {}).unwrap();
    let (_, _, pending, _, list) = tracker_results(&t);
    assert_eq!(list.len(), 2, "duplicates count once");
    assert_eq!((list[0].outcome, pending), (CCGW_INVITE_JOINED, 1));
    expect(tracker_wait(&t, 50), CCGW_E_TIMEOUT);
    struct Shared(*mut ccgw_invite_tracker);
    unsafe impl Send for Shared {}
    let shared = Shared(t.0);
    let waiter = std::thread::spawn(move || {
        let p = shared;
        unsafe { ccgw_invite_tracker_wait(p.0, CCGW_WAIT_FOREVER) }
    });
    std::thread::sleep(Duration::from_millis(50));
    expect(unsafe { ccgw::ffi::session::ccgw_session_close(chair.0) }, CCGW_OK);
    assert_eq!(waiter.join().unwrap(), CCGW_E_CLOSED);
    assert_eq!(tracker_results(&t).2, 1, "outcomes so far stay readable");
}

#[test]
fn signing_out_empties_the_view_and_ends_pending_invitations() {
    let sim = sim(json!({"answer_rules": [{"prefix": "7801", "outcome": "never"}]}));
    let chair = pumped(&sim, "551");
    typed_conference(&chair, 10);
    let t = tracked_add(&chair, &invitees(&[(6, "78010")]), 600_000, |_| {}).unwrap();
    assert_eq!(view(&chair).len(), 1);
    expect(unsafe { ccgw::ffi::session::ccgw_session_sign_out(chair.0, std::ptr::null()) }, CCGW_OK);
    assert!(view(&chair).is_empty(), "the agent's conference is gone");
    expect(tracker_wait(&t, 1_000), CCGW_OK);
    assert_eq!(tracker_results(&t).4[0].outcome, CCGW_INVITE_CONF_ENDED);
}
