//! Staying signed in (`auto_resign_in`) and the pump's stop reasons, against the
//! simulator (two simulators as two nodes for a fail-over): each trigger of a lost session
//! (`AgentOther_ShutdownService`, a Guid the gateway no longer knows, the `105-xxx`
//! sign-in-again codes, a fail-over to a node without the Guid) signs in again and polls
//! on, with each step reported as an event and the gap reported once; without it the pump
//! stops with a status naming the reason, told once; a single misrouted `100-006` is
//! re-checked and changes nothing.

mod common;

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec, Simulator};
use common::*;
use serde_json::json;
use std::ptr;

/// Signs in with `auto_resign_in` (and forced re-sign-in as `forced` says).
fn sign_in_staying(s: &S, auto: bool, forced: bool) -> ccgw_status {
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    o.auto_resign_in = auto;
    o.allow_forced_resign_in = forced;
    unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }
}

fn staying(sim: &Simulator, agent: &str, forced: bool) -> S {
    let s = session(sim, agent);
    expect(sign_in_staying(&s, true, forced), CCGW_OK);
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    s
}

fn sign_ins(sim: &Simulator, since: u64) -> Vec<String> {
    sent_since(sim, since)
        .into_iter()
        .filter(|e| e.route.starts_with("onlineagent") && e.method == "PUT")
        .map(|e| e.route)
        .collect()
}

fn count(evs: &[Ev], kind: i32) -> usize {
    evs.iter().filter(|e| e.kind == kind).count()
}

/// Waits for the pump to sign in again; returns the events up to and including the gap
/// report that follows it.
#[track_caller]
fn expect_signed_in_again(s: &S, reason: ccgw_status) -> Vec<Ev> {
    let (again, mut before) = wait_for(s, "SignedInAgain", |e| e.kind == CCGW_EVENT_SIGNED_IN_AGAIN);
    let lost: Vec<&Ev> = before.iter().filter(|e| e.kind == CCGW_EVENT_SESSION_LOST).collect();
    assert_eq!(lost.len(), 1, "one SessionLost: {before:?}");
    assert_eq!(lost[0].status, reason, "{:?}", lost[0]);
    assert!(before.iter().any(|e| e.kind == CCGW_EVENT_SIGNING_IN_AGAIN && e.attempt == 1));
    assert!(again.attempt >= 1);
    before.push(again);
    let (gap, between) = wait_for(s, "the gap report", |e| e.kind == CCGW_EVENT_EVENTS_LOST);
    assert_eq!(gap.lost_reason, CCGW_LOST_SIGN_IN_AGAIN, "{gap:?}");
    assert!(gap.gap_start > 0 && gap.gap_end >= gap.gap_start, "{gap:?}");
    assert_eq!(count(&between, CCGW_EVENT_PUMP_STOPPED), 0);
    before.extend(between);
    before.push(gap);
    before
}

/// Events flow after recovery, and the pump still runs with status OK.
#[track_caller]
fn events_flow(sim: &Simulator, s: &S, agent: u32) {
    sim.inject_event(agent, "After_Recovery", json!({})).unwrap();
    let (_, before) = wait_event(s, "After_Recovery");
    assert_eq!(count(&before, CCGW_EVENT_EVENTS_LOST), 0, "no second gap report: {before:?}");
    assert!(unsafe { ccgw_events_running(s.0) });
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_OK);
}

#[test]
fn a_gateway_sign_out_is_followed_by_a_new_sign_in() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = staying(&sim, "801", false);
    let old = guid(&s).unwrap();
    let mark = sim.journal_mark();
    wait_until("a poll to be held", || sim.agent_state(801)["pollsInFlight"] == 1);
    sim.sign_out(801);
    let evs = expect_signed_in_again(&s, CCGW_E_SESSION_SHUT_DOWN);
    assert!(evs.iter().any(|e| e.type_name == "AgentOther_ShutdownService"), "the gateway's event is delivered too");
    assert_eq!(sign_ins(&sim, mark), ["onlineagent"], "one plain sign-in");
    assert_eq!(sim.agent_state(801)["signedIn"], true);
    assert_ne!(guid(&s).unwrap(), old);
    events_flow(&sim, &s, 801);
}

#[test]
fn a_guid_the_gateway_no_longer_knows_is_re_checked_then_signed_in_again_by_force() {
    for retcode in ["100-006", "000-003"] {
        let sim = sim(json!({"poll_wait_ms": 200, "auth_failure_retcode": retcode}));
        let s = staying(&sim, "802", true);
        let mark = sim.journal_mark();
        sim.expire_guid(802).unwrap();
        expect_signed_in_again(&s, CCGW_E_SESSION_LOST);
        let polls_refused = sent_since(&sim, mark)
            .iter()
            .filter(|e| e.route == "agentevent" && e.retcode.as_deref() == Some(retcode))
            .count();
        let dbg: Vec<_> =
            sent_since(&sim, mark).iter().map(|e| (e.route.clone(), e.retcode.clone(), e.fault.clone())).collect();
        assert_eq!(polls_refused, 2, "{retcode}: refused once, re-checked once {dbg:?}");
        // The gateway still held the agent: plain sign-in answered 100-002, then forced.
        assert_eq!(sign_ins(&sim, mark), ["onlineagent", "onlineagent/forcelogin"], "{retcode}");
        events_flow(&sim, &s, 802);
    }
}

#[test]
fn a_single_misrouted_not_signed_in_changes_nothing() {
    let sim = sim(json!({"poll_wait_ms": 200, "auth_failure_retcode": "100-006"}));
    for auto in [true, false] {
        let s = session(&sim, "803");
        expect(sign_in_staying(&s, auto, false), CCGW_OK);
        start_events(&s, &event_opts(|_| {}));
        wait_event(&s, "AgentState_Ready");
        let mark = sim.journal_mark();
        sim.add_fault(FaultSpec::new("agentevent", FaultKind::GuidExpired).times(1)).unwrap();
        wait_until("the misrouted poll", || sent_since(&sim, mark).iter().any(|e| e.fault.is_some()));
        sim.inject_event(803, "After_Misroute", json!({})).unwrap();
        let (_, before) = wait_event(&s, "After_Misroute");
        for kind in [CCGW_EVENT_SESSION_LOST, CCGW_EVENT_EVENTS_LOST, CCGW_EVENT_PUMP_STOPPED, CCGW_EVENT_PUMP_ERROR] {
            assert_eq!(count(&before, kind), 0, "auto {auto}: kind {kind} in {before:?}");
        }
        assert!(sign_ins(&sim, mark).is_empty(), "no sign-in");
        assert!(unsafe { ccgw_events_running(s.0) });
        expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    }
}

#[test]
fn the_dr_sign_in_again_codes_sign_in_again() {
    for retcode in ["105-005", "105-006", "105-007", "105-001", "105-004"] {
        let sim = sim(json!({"poll_wait_ms": 200}));
        let s = staying(&sim, "804", true);
        let mark = sim.journal_mark();
        sim.add_fault(FaultSpec::new("agentevent", FaultKind::Retcode).with_retcode(retcode).times(1)).unwrap();
        let evs = expect_signed_in_again(&s, CCGW_E_SESSION_DR_SIGN_IN_AGAIN);
        let lost = evs.iter().find(|e| e.kind == CCGW_EVENT_SESSION_LOST).unwrap();
        let (rc_family, rc_n) = retcode.split_once('-').unwrap();
        let expected = CCGW_E_GW_BASE + rc_family.parse::<i32>().unwrap() * 1000 + rc_n.parse::<i32>().unwrap();
        assert_eq!(lost.cause_status, expected, "{retcode}");
        assert_eq!(sign_ins(&sim, mark), ["onlineagent", "onlineagent/forcelogin"], "{retcode}");
        events_flow(&sim, &s, 804);
    }
}

#[test]
fn the_dr_passing_codes_are_ridden_out() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = staying(&sim, "805", true);
    let mark = sim.journal_mark();
    for retcode in ["105-002", "105-003"] {
        sim.add_fault(FaultSpec::new("agentevent", FaultKind::Retcode).with_retcode(retcode).times(1)).unwrap();
        sim.inject_event(805, "After_Dr", json!({"rc": retcode})).unwrap();
        let (_, before) = wait_event(&s, "After_Dr");
        assert_eq!(count(&before, CCGW_EVENT_SESSION_LOST), 0, "{retcode}: {before:?}");
        assert_eq!(count(&before, CCGW_EVENT_EVENTS_LOST), 0, "{retcode}: an answered refusal loses nothing");
    }
    assert!(sign_ins(&sim, mark).is_empty());
}

#[test]
fn without_auto_resign_in_the_pump_stops_with_the_reason_told_once() {
    let cases: [(&str, ccgw_status, ccgw_status); 3] = [
        ("expire", CCGW_E_SESSION_LOST, CCGW_E_GW_NOT_SIGNED_IN),
        ("105-006", CCGW_E_SESSION_DR_SIGN_IN_AGAIN, CCGW_E_GW_DR_GUID_MISMATCH),
        ("shutdown", CCGW_E_SESSION_SHUT_DOWN, CCGW_E_SESSION_SHUT_DOWN),
    ];
    for (trigger, reason, cause) in cases {
        let sim = sim(json!({"poll_wait_ms": 200, "auth_failure_retcode": "100-006"}));
        let s = session(&sim, "806");
        expect(sign_in_staying(&s, false, false), CCGW_OK);
        start_events(&s, &event_opts(|_| {}));
        wait_event(&s, "AgentState_Ready");
        let mark = sim.journal_mark();
        match trigger {
            "expire" => sim.expire_guid(806).unwrap(),
            "shutdown" => {
                wait_until("a poll to be held", || sim.agent_state(806)["pollsInFlight"] == 1);
                sim.sign_out(806)
            }
            rc => {
                sim.add_fault(FaultSpec::new("agentevent", FaultKind::Retcode).with_retcode(rc).times(1)).unwrap();
            }
        }
        let (stopped, before) = wait_for(&s, "PumpStopped", |e| e.kind == CCGW_EVENT_PUMP_STOPPED);
        assert_eq!((stopped.status, stopped.cause_status), (reason, cause), "{trigger}: {stopped:?}");
        assert_eq!(count(&before, CCGW_EVENT_SESSION_LOST), 1, "{trigger}");
        wait_until("the pump to end", || !unsafe { ccgw_events_running(s.0) });
        assert_eq!(unsafe { ccgw_events_status(s.0) }, reason, "{trigger}");
        assert_eq!(next_event(&s, 300).map(|e| e.kind), Err(CCGW_E_TIMEOUT), "{trigger}: told once");
        assert!(sign_ins(&sim, mark).is_empty(), "{trigger}: nothing signs in");
        assert!(guid(&s).is_none(), "{trigger}: the dead Guid is forgotten");
    }
}

#[test]
fn re_sign_in_retries_with_backoff_until_the_gateway_takes_it() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = staying(&sim, "807", false);
    // HTTP 500: a failure the transport's fail-over policy returns as is (a 503 it would
    // retry itself), so the pump's own retries show.
    sim.add_fault(FaultSpec::new("onlineagent", FaultKind::HttpStatus).with_status(500).times(2)).unwrap();
    wait_until("a poll to be held", || sim.agent_state(807)["pollsInFlight"] == 1);
    sim.sign_out(807);
    let evs = expect_signed_in_again(&s, CCGW_E_SESSION_SHUT_DOWN);
    let failed: Vec<&Ev> = evs.iter().filter(|e| e.kind == CCGW_EVENT_SIGN_IN_AGAIN_FAILED).collect();
    assert_eq!(failed.len(), 2, "{evs:?}");
    assert!(failed.iter().all(|e| e.status == CCGW_E_HTTP_STATUS && e.message.contains("retrying in")));
    assert_eq!(failed.iter().map(|e| e.attempt).collect::<Vec<_>>(), [1, 2]);
    let again = evs.iter().find(|e| e.kind == CCGW_EVENT_SIGNED_IN_AGAIN).unwrap();
    assert_eq!(again.attempt, 3);
    events_flow(&sim, &s, 807);
}

#[test]
fn a_refusal_no_retry_cures_ends_re_sign_in() {
    // A wrong password (the site changed it) and an agent held elsewhere without forced
    // re-sign-in allowed.
    for case in ["100-004", "100-002"] {
        let sim = sim(json!({"poll_wait_ms": 200, "auth_failure_retcode": "100-006"}));
        let s = staying(&sim, "808", false);
        let mark = sim.journal_mark();
        if case == "100-004" {
            sim.update_settings(&json!({"default_password": "changed-pw"})).unwrap();
            wait_until("a poll to be held", || sim.agent_state(808)["pollsInFlight"] == 1);
            sim.sign_out(808);
        } else {
            sim.expire_guid(808).unwrap();
        }
        let (stopped, before) = wait_for(&s, "PumpStopped", |e| e.kind == CCGW_EVENT_PUMP_STOPPED);
        let expected_cause = if case == "100-004" { CCGW_E_GW_WRONG_CREDENTIALS } else { CCGW_E_GW_ALREADY_SIGNED_IN };
        assert_eq!((stopped.status, stopped.cause_status), (CCGW_E_RESIGN_IN_FAILED, expected_cause), "{case}");
        let failed: Vec<&Ev> = before.iter().filter(|e| e.kind == CCGW_EVENT_SIGN_IN_AGAIN_FAILED).collect();
        assert_eq!(failed.len(), 1, "{case}: not retried: {before:?}");
        assert!(failed[0].message.contains("not retried"));
        assert_eq!(sign_ins(&sim, mark).len(), 1, "{case}: one attempt");
        assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_E_RESIGN_IN_FAILED);
    }
}

#[test]
fn our_own_sign_out_does_not_sign_in_again() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = staying(&sim, "809", true);
    let mark = sim.journal_mark();
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(sign_ins(&sim, mark).is_empty());
    assert_eq!(sim.agent_state(809)["signedIn"], false);
    let mut rest = Vec::new();
    while let Ok(e) = next_event(&s, 100) {
        rest.push(e);
    }
    assert_eq!(count(&rest, CCGW_EVENT_SESSION_LOST), 0, "{rest:?}");
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_OK);
}

#[test]
fn a_fail_over_to_a_node_without_the_guid_signs_in_there() {
    let a = sim(json!({"poll_wait_ms": 200}));
    let b = sim(json!({"poll_wait_ms": 200}));
    let mut o = opts(&a, "810");
    let pems = format!("{}\n{}", a.ca_pem().unwrap(), b.ca_pem().unwrap());
    o.raw.ca_pem = pems.as_ptr();
    o.raw.ca_pem_len = pems.len();
    let b_url = cs(b.base_url());
    let fallbacks = [b_url.as_ptr()];
    o.raw.fallback_urls = fallbacks.as_ptr();
    o.raw.fallback_url_count = 1;
    let s = new_session(&o).unwrap();
    expect(sign_in_staying(&s, true, false), CCGW_OK);
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    wait_until("a poll to be held on A", || a.agent_state(810)["pollsInFlight"] == 1);
    // Node A dies (its port refuses connections): polls move to B, which does not know the Guid.
    drop(a);
    let evs = expect_signed_in_again(&s, CCGW_E_SESSION_FAILOVER);
    let lost = evs.iter().find(|e| e.kind == CCGW_EVENT_SESSION_LOST).unwrap();
    assert!(matches!(lost.cause_status, CCGW_E_GW_NOT_SIGNED_IN | CCGW_E_GW_NO_RIGHT), "{lost:?}");
    assert_eq!(b.agent_state(810)["signedIn"], true);
    let refused = b
        .journal()
        .iter()
        .filter(|e| e.route == "agentevent" && e.retcode.as_deref().is_some_and(|r| r != "0"))
        .count();
    assert_eq!(refused, 1, "a refusal on another node is final at once (no re-check)");
    events_flow(&b, &s, 810);
}

#[test]
fn two_clients_taking_the_agent_back_by_force_do_not_fight_for_ever() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let x = staying(&sim, "811", true);
    let y = session(&sim, "811");
    let mark = sim.journal_mark();
    // Y takes the agent over by force, itself set to take it back by force.
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    o.force = true;
    o.auto_resign_in = true;
    o.allow_forced_resign_in = true;
    expect(unsafe { ccgw_session_sign_in(y.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    start_events(&y, &event_opts(|_| {}));
    // X takes it back by force once, Y takes it back once, then the next loss is signed in
    // without force, meets 100-002 and stops: at most 3 forced sign-ins in all.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let stopped = |s: &S| unsafe { ccgw_events_status(s.0) } == CCGW_E_RESIGN_IN_FAILED;
    while !(stopped(&x) || stopped(&y)) {
        assert!(std::time::Instant::now() < deadline, "still fighting: {:?}", sign_ins(&sim, mark));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let forced = sign_ins(&sim, mark).iter().filter(|r| r.ends_with("forcelogin")).count();
    assert!(forced <= 3, "{:?}", sign_ins(&sim, mark));
    assert!(stopped(&x) != stopped(&y), "one of them holds the agent");
    assert_eq!(sim.agent_state(811)["signedIn"], true);
}

#[test]
fn older_option_versions_keep_working_and_ignore_the_new_fields() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = session(&sim, "812");
    let pw = cs(PASSWORD);
    let mut o: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_sign_in_options_init(&mut o, 1) }, CCGW_OK);
    o.password = pw.as_ptr();
    // In a version-1 struct these bytes are padding: whatever they hold is not read.
    o.auto_resign_in = true;
    o.allow_forced_resign_in = true;
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    expect(unsafe { ccgw_sign_in_options_init(&mut o, CCGW_SIGN_IN_OPTIONS_VERSION + 1) }, CCGW_E_UNSUPPORTED_VERSION);
    let mut e: ccgw_events_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_events_options_init(&mut e, 2) }, CCGW_OK);
    e.poll_interval_ms = 20;
    start_events(&s, &e);
    wait_event(&s, "AgentState_Ready");
    let mark = sim.journal_mark();
    wait_until("a poll to be held", || sim.agent_state(812)["pollsInFlight"] == 1);
    sim.sign_out(812);
    let (stopped, before) = wait_for(&s, "PumpStopped", |e| e.kind == CCGW_EVENT_PUMP_STOPPED);
    assert_eq!(stopped.status, CCGW_E_SESSION_SHUT_DOWN, "version 1: no auto_resign_in");
    assert_eq!(count(&before, CCGW_EVENT_SIGNING_IN_AGAIN), 0);
    assert!(sign_ins(&sim, mark).is_empty());
}

#[test]
fn a_refusal_of_a_guid_that_rotated_meanwhile_is_not_a_loss() {
    use common::hostile::{Answer, Hostile};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // A scripted gateway: the first poll is refused but hands over a new Guid (the one it
    // was sent with rotated meanwhile), the second is refused again (the re-check), the
    // rest are answered. Without the rotation grace the second refusal would be final.
    let gw = Hostile::https();
    let polls = Arc::new(AtomicUsize::new(0));
    let seen = polls.clone();
    gw.answer(move |r| {
        if !r.path().contains("agentevent") {
            return Answer::ok(json!({}));
        }
        match seen.fetch_add(1, Ordering::SeqCst) {
            0 => Answer::retcode("100-006", "not signed in").header("Set-GUID", "JSESSIONID=rotated-guid-2"),
            1 => Answer::retcode("100-006", "not signed in"),
            _ => Answer::ok(json!(null)),
        }
    });
    let s = hostile_session(&gw, "813");
    attach_guid(&s, "first-guid-1");
    start_events(&s, &event_opts(|_| {}));
    wait_until("five polls", || polls.load(Ordering::SeqCst) >= 5);
    let mut evs = Vec::new();
    while let Ok(e) = next_event(&s, 100) {
        evs.push(e);
    }
    for kind in [CCGW_EVENT_SESSION_LOST, CCGW_EVENT_PUMP_STOPPED, CCGW_EVENT_EVENTS_LOST] {
        assert_eq!(count(&evs, kind), 0, "kind {kind}: {evs:?}");
    }
    assert!(unsafe { ccgw_events_running(s.0) });
    let guids: Vec<String> = gw.requests().iter().filter_map(|r| r.header("guid").map(str::to_string)).collect();
    assert_eq!(&guids[..3], ["first-guid-1", "rotated-guid-2", "rotated-guid-2"], "{guids:?}");
}

#[test]
fn a_sign_out_while_re_sign_in_waits_to_retry_leaves_the_agent_signed_out() {
    // The pump's first sign-in again reached the gateway and signed the agent in, but its
    // answer was lost (connection reset): the pump waits to try again when the
    // application signs out. The sign-out must say the agent may still be signed in
    // (review finding; before, it said only "not signed in").
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = staying(&sim, "812", true);
    wait_until("a poll to be held", || sim.agent_state(812)["pollsInFlight"] == 1);
    sim.add_fault(FaultSpec::new("onlineagent", FaultKind::ResetAfter).times(1)).unwrap();
    sim.sign_out(812);
    wait_for(&s, "SignInAgainFailed", |e| e.kind == CCGW_EVENT_SIGN_IN_AGAIN_FAILED);
    let st = unsafe { ccgw_session_sign_out(s.0, ptr::null()) };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let j: Vec<String> = sim.journal().iter().map(|e| format!("{} {} {:?}", e.method, e.route, e.retcode)).collect();
    let msg = last_error().1;
    // The lost sign-in did sign the agent in; the session has no Guid to sign it out with:
    // the sign-out says so (the agent may still be signed in), rather than only "not
    // signed in".
    // (Should the pump's next try have won the race, the sign-out had a Guid and worked.)
    if st == CCGW_OK {
        assert_eq!(sim.agent_state(812)["signedIn"], false, "{j:?}");
    } else {
        assert_eq!(st, CCGW_E_NOT_SIGNED_IN, "{msg}");
        assert!(msg.contains("may still be signed in"), "sign-out returned {st} ({msg}): {j:?}");
        assert_eq!(sim.agent_state(812)["signedIn"], true, "{j:?}");
    }
    assert!(!msg.contains(PASSWORD) && !msg.contains("40038"), "no password or phone number in {msg}");
}

#[test]
fn a_gateway_that_forgets_every_guid_at_once_is_not_stormed() {
    // A hostile (or broken) gateway takes every sign-in and refuses every poll as not
    // signed in: the pump signs in again (by force at most once a minute), then stops;
    // it never loops sign-ins as fast as the network allows.
    let sim = sim(json!({"poll_wait_ms": 200, "auth_failure_retcode": "100-006"}));
    let s = staying(&sim, "813", true);
    let mark = sim.journal_mark();
    sim.add_fault(FaultSpec::new("agentevent", FaultKind::GuidExpired).times(100_000)).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let sent = sent_since(&sim, mark);
    let logins = sent.iter().filter(|e| e.route.starts_with("onlineagent") && e.method == "PUT").count();
    assert!(logins <= 6, "{logins} sign-ins and {} requests in 3 s", sent.len());
    assert!(sent.len() <= 20, "{} requests in 3 s", sent.len());
    drop(s);
}
