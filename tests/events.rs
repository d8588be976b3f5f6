//! The event pump, the queue and the callback API through the C ABI, against the
//! simulator: triggered events of the seed operations, order and completeness, Guid
//! rotation under load, keep-alive, faults in the middle of a poll, and lifecycle.

mod common;

use ccgw::ffi::conf::*;
use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::json;
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn seed_operations_produce_their_events() {
    let sim = sim(json!({"partner_separator": "，"}));
    let s = signed_in(&sim, "701");
    start_events(&s, &event_opts(|_| {}));
    let (ready, before) = wait_event(&s, "AgentState_Ready");
    assert_eq!(ready.kind, CCGW_EVENT_AGENT_STATE_READY);
    let inservice = before.iter().find(|e| e.type_name == "AgentOther_InService").expect("in service first");
    assert_eq!(inservice.kind, CCGW_EVENT_OTHER, "an event without typed fields arrives by name");

    // confjoin -> AgentEvent_Conference with the partner list split.
    let customer = callout(&s, "70005");
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap();
    callout(&s, "9000123");
    expect(conf_join(&s, &customer, None), CCGW_OK);
    let (conf, _) = wait_event(&s, "AgentEvent_Conference");
    assert_eq!(conf.kind, CCGW_EVENT_CONFERENCE);
    assert_eq!(conf.callid, customer);
    assert_eq!(conf.partners, ["70005", "9000123"]);
    assert!(conf.gen_time > 0 && conf.work_no == "701");

    // A customer hanging up -> AgentEvent_Customer_Release.
    sim.hangup(701, Some(&customer), Some("70005")).unwrap();
    let (rel, _) = wait_event(&s, "AgentEvent_Customer_Release");
    assert_eq!(
        (rel.kind, rel.callid.as_str(), rel.number.as_str()),
        (CCGW_EVENT_CUSTOMER_RELEASE, customer.as_str(), "70005")
    );
    request(&s, "DELETE", "voicecall/{agentid}/release", None).unwrap();

    // Conference: request, batch invite, hold -> typed AgentConf events.
    request(&s, "POST", "agentconf/{agentid}/requestagentconf", Some(r#"{"memberNum": 5}"#)).unwrap();
    let (joined, _) = wait_event(&s, "AgentConf_SelfJoinResult");
    let (granted, _) = wait_event(&s, "AgentConf_RequestSuccess");
    assert_eq!(granted.kind, CCGW_EVENT_CONF_REQUEST_SUCCESS);
    assert!(granted.conf_id > 0 && granted.conf_id == joined.conf_id);
    let inv = invitees(&[(CCGW_ADDRESS_PHONE, "70010")]);
    expect(batch_add(&s, &inv, |_| {}), CCGW_OK);
    let (pc, _) = wait_event(&s, "AgentConf_ParticipantChanged");
    assert_eq!(pc.kind, CCGW_EVENT_CONF_PARTICIPANT_CHANGED);
    assert_eq!((pc.result, pc.change_type, pc.change_reason, pc.conf_id), (0, 0, 255, granted.conf_id));
    assert_eq!((pc.participant.as_str(), pc.participant_type), ("70010", 6));
    expect(hold(&s, CCGW_ADDRESS_PHONE, "70010", Some("y:/conf/1/hold.V3")), CCGW_OK);
    let (held, _) = wait_event(&s, "AgentConf_ParticipantChanged");
    assert_eq!((held.change_type, held.participant.as_str()), (5, "70010"));
}

#[test]
fn ten_thousand_events_in_bursts_arrive_in_order_through_the_queue() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "702");
    start_events(&s, &event_opts(|_| {}));
    let (ready, _) = wait_event(&s, "AgentState_Ready");
    let first = ready.sim_seq().unwrap() + 1;
    for b in 0..10 {
        sim.inject_events(702, &json!({"eventType": "Burst_Test", "content": {"burst": b}, "repeat": 1000})).unwrap();
    }
    let mut expected = first;
    let mut sequence = ready.sequence;
    while expected < first + 10_000 {
        let e = next_event(&s, 10_000).unwrap_or_else(|st| panic!("event {expected}: status {st}"));
        assert_eq!(e.type_name, "Burst_Test");
        assert_eq!(e.sim_seq(), Some(expected), "out of order, lost or repeated");
        assert_eq!(e.sequence, sequence + 1, "the library's own numbering is contiguous");
        sequence = e.sequence;
        expected += 1;
    }
    assert_eq!(next_event(&s, 50).err(), Some(CCGW_E_TIMEOUT), "nothing extra");
}

struct Collected {
    events: Mutex<Vec<Ev>>,
    freed: AtomicUsize,
}

unsafe extern "C" fn collect(userdata: *mut c_void, event: *const ccgw_event) {
    let c = &*(userdata as *const Collected);
    c.events.lock().unwrap().push(Ev::from_c(&*event));
}

unsafe extern "C" fn release(userdata: *mut c_void) {
    let c = Arc::from_raw(userdata as *const Collected);
    c.freed.fetch_add(1, Ordering::SeqCst);
}

/// Registers `collect` with an Arc'd collector; returns the collector.
fn register(s: &S) -> Arc<Collected> {
    let c = Arc::new(Collected { events: Mutex::new(Vec::new()), freed: AtomicUsize::new(0) });
    let raw = Arc::into_raw(c.clone()) as *mut c_void;
    expect(unsafe { ccgw_events_set_callback(s.0, Some(collect), raw, Some(release)) }, CCGW_OK);
    c
}

#[test]
fn ten_thousand_events_in_bursts_arrive_in_order_through_the_callback() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "703");
    // Registered before the pump starts: the very first events go to the callback too.
    let c = register(&s);
    start_events(&s, &event_opts(|_| {}));
    for b in 0..10 {
        sim.inject_events(703, &json!({"eventType": "Burst_Test", "content": {"burst": b}, "repeat": 1000})).unwrap();
    }
    wait_until_long("10000 burst events through the callback", || {
        c.events.lock().unwrap().iter().filter(|e| e.type_name == "Burst_Test").count() >= 10_000
    });
    let events = c.events.lock().unwrap().clone();
    assert_eq!(events[0].type_name, "AgentOther_InService", "the first event of the session");
    let seqs: Vec<u64> = events.iter().filter_map(Ev::sim_seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "in order, none lost, none repeated");
    let lib: Vec<u64> = events.iter().map(|e| e.sequence).collect();
    assert_eq!(lib, (1..=lib.len() as u64).collect::<Vec<_>>());
    // Unregistering releases the userdata exactly once.
    expect(unsafe { ccgw_events_set_callback(s.0, None, ptr::null_mut(), None) }, CCGW_OK);
    assert_eq!(c.freed.load(Ordering::SeqCst), 1);
    drop(s);
    assert_eq!(c.freed.load(Ordering::SeqCst), 1, "not released twice");
}

#[track_caller]
fn wait_until_long(what: &str, mut cond: impl FnMut() -> bool) {
    // A bound for a hang, not a speed claim: 10,000 polls on 2 shared cores with the rest of
    // the suite running took over 60 s at a load average of 14.
    let deadline = Instant::now() + Duration::from_secs(180);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_guid_rotates_under_load_without_a_single_auth_failure() {
    let sim =
        sim(json!({"guid_interval_ms": 250, "guid_timeout_ms": 750, "poll_wait_ms": 100, "reject_duplicates": false}));
    let s = Arc::new(signed_in(&sim, "704"));
    start_events(&s, &event_opts(|_| {}));
    let first = guid(&s).unwrap();
    let start = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                let mut calls = 0;
                while start.elapsed() < Duration::from_millis(2_000) {
                    match t % 2 {
                        0 => assert!(query(&s, &[1]).is_ok(), "{:?}", last_error()),
                        _ => expect(conf_join(&s, "1-1", None), CCGW_E_GW_THREE_PARTY_NO_CALL),
                    }
                    calls += 1;
                }
                calls
            })
        })
        .collect();
    let calls: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(calls > 100, "{calls} calls");
    let serials: std::collections::BTreeSet<String> =
        sim.journal().into_iter().filter_map(|e| e.headers.get("guid").cloned()).collect();
    assert!(serials.len() >= 5, "several rotation periods passed: Guids used {serials:?}");
    assert_ne!(guid(&s).unwrap(), first);
    let refused: Vec<_> = sim.journal().into_iter().filter(|e| e.retcode.as_deref() == Some("000-003")).collect();
    assert!(refused.is_empty(), "auth failures: {refused:?}");
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_OK);
}

#[test]
fn the_pump_keeps_the_agent_signed_in_and_without_it_the_gateway_signs_out() {
    let sim = sim(json!({"idle_signout_ms": 600, "poll_wait_ms": 150}));
    let kept = signed_in(&sim, "705");
    let idle = signed_in(&sim, "706");
    start_events(&kept, &event_opts(|_| {}));
    std::thread::sleep(Duration::from_millis(2_000));
    assert_eq!(sim.agent_state(705)["signedIn"], true, "polled: still signed in after 3 idle periods");
    assert_eq!(sim.agent_state(706)["signedIn"], false);
    assert_eq!(sim.agent_state(706)["lastSignoutReason"], "idle");
    expect(transmit(&idle), CCGW_E_GW_NOT_SIGNED_IN);
    assert!(unsafe { ccgw_events_running(kept.0) });
}

#[test]
fn every_fault_in_the_middle_of_a_poll_is_ridden_out_and_reported() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = signed_in(&sim, "707");
    start_events(&s, &event_opts(|o| o.poll_timeout_ms = 800));
    wait_event(&s, "AgentState_Ready");
    let faults = [
        FaultSpec::new("agentevent", FaultKind::HttpStatus).with_status(500),
        FaultSpec::new("agentevent", FaultKind::HttpStatus).with_status(502),
        FaultSpec::new("agentevent", FaultKind::HttpStatus).with_status(503),
        FaultSpec::new("agentevent", FaultKind::MalformedJson),
        FaultSpec::new("agentevent", FaultKind::TruncatedBody),
        FaultSpec::new("agentevent", FaultKind::WrongContentType),
        FaultSpec::new("agentevent", FaultKind::ResetBefore),
        FaultSpec::new("agentevent", FaultKind::ResetAfter),
        FaultSpec::new("agentevent", FaultKind::Hang),
        FaultSpec::new("agentevent", FaultKind::Retcode).with_retcode("100-007"),
        FaultSpec::new("agentevent", FaultKind::Switchover),
        FaultSpec::new("agentevent", FaultKind::GuidExpired),
        FaultSpec::new("agentevent", FaultKind::Delay).with_delay(300),
    ];
    // A poll is a read: the fail-over policy sends it again after a 502/503 and rides a
    // short 000-004 out (include/ccgw.h, FAIL-OVER), so the pump never sees those.
    let expected = [
        CCGW_E_HTTP_STATUS,
        CCGW_OK,
        CCGW_OK,
        CCGW_E_MALFORMED_RESPONSE,
        CCGW_E_TRUNCATED_RESPONSE,
        CCGW_E_UNEXPECTED_CONTENT_TYPE,
        CCGW_E_CONNECTION_LOST,
        CCGW_E_CONNECTION_LOST,
        CCGW_E_RESPONSE_TIMEOUT,
        CCGW_E_GW_AGENT_EXCEPTION,
        // 000-004 on a poll is ridden out by the transport (the switchover wait).
        CCGW_OK,
        // A single refusal of the Guid is re-checked at once (a misrouted poll): no error.
        CCGW_OK,
        CCGW_OK,
    ];
    // Which faults may have lost an event: the poll was sent and no envelope came back
    // (the gateway may have dequeued an event for it), or the node was switching over
    // (000-004: what it had queued then may not survive). One gap report each, none for
    // the rest.
    let gaps = [true, true, false, true, true, true, true, true, true, false, true, false, false];
    for (i, ((spec, status), gap)) in faults.into_iter().zip(expected).zip(gaps).enumerate() {
        let kind = spec.kind;
        sim.add_fault(spec).unwrap();
        let mut seen = Vec::new();
        if status != CCGW_OK {
            let (err, _) = wait_event(&s, "ccgw.PumpError");
            assert_eq!((err.kind, err.status), (CCGW_EVENT_PUMP_ERROR, status), "{kind:?}: {}", err.message);
            assert!(!err.message.is_empty());
            let (rec, before) = wait_event(&s, "ccgw.PumpRecovered");
            assert_eq!(rec.kind, CCGW_EVENT_PUMP_RECOVERED, "{kind:?}");
            seen.extend(before);
        }
        // Events flow again after the fault.
        sim.inject_event(707, "After_Fault", json!({"i": i})).unwrap();
        let (after, before) = wait_event(&s, "After_Fault");
        assert_eq!(after.content["i"], i, "{kind:?}");
        seen.extend(before);
        let reports: Vec<&Ev> = seen.iter().filter(|e| e.kind == CCGW_EVENT_EVENTS_LOST).collect();
        assert_eq!(reports.len(), usize::from(gap), "{kind:?}: {seen:?}");
        if let Some(r) = reports.first() {
            let reason = if kind == FaultKind::Switchover { CCGW_LOST_FAILOVER } else { CCGW_LOST_POLL_FAILED };
            assert_eq!(r.lost_reason, reason, "{kind:?}");
            assert!(r.gap_start > 0 && r.gap_end >= r.gap_start, "{r:?}");
        }
    }
    assert!(unsafe { ccgw_events_running(s.0) });
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_OK);
}

#[test]
fn a_lasting_failure_stops_the_pump_with_an_event_and_a_status() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = signed_in(&sim, "708");
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    // The shutdown event reaches a poll held at sign-out (and only then, as on a gateway).
    wait_until("a poll to be held", || sim.agent_state(708)["pollsInFlight"] == 1);
    sim.sign_out(708);
    let (_shutdown, _) = wait_event(&s, "AgentOther_ShutdownService");
    let (stopped, before) = wait_event(&s, "ccgw.PumpStopped");
    // The reason is named, told once: SessionLost, then PumpStopped with the same status.
    let lost: Vec<_> = before.iter().filter(|e| e.kind == CCGW_EVENT_SESSION_LOST).collect();
    assert_eq!(lost.len(), 1, "{before:?}");
    assert_eq!(lost[0].status, CCGW_E_SESSION_SHUT_DOWN);
    assert_eq!((stopped.kind, stopped.status), (CCGW_EVENT_PUMP_STOPPED, CCGW_E_SESSION_SHUT_DOWN));
    wait_until("the pump to end", || !unsafe { ccgw_events_running(s.0) });
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_E_SESSION_SHUT_DOWN);
    assert!(guid(&s).is_none(), "the dead Guid is forgotten");
    assert_eq!(next_event(&s, 300).map(|e| e.type_name), Err(CCGW_E_TIMEOUT), "told once");
}

#[test]
fn malformed_events_are_reported_and_the_pump_goes_on() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "709");
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    sim.inject_raw_event(
        709,
        json!({"eventType": "AgentConf_ParticipantChanged", "workNo": "709", "content": "garbage"}),
    )
    .unwrap();
    sim.inject_raw_event(709, json!(["not", "an", "object"])).unwrap();
    sim.inject_event(709, "After", json!({})).unwrap();
    let m1 = next_event(&s, 5_000).unwrap();
    assert_eq!((m1.kind, m1.type_name.as_str()), (CCGW_EVENT_MALFORMED, "AgentConf_ParticipantChanged"));
    assert_eq!(m1.raw["content"], "garbage");
    assert!(m1.message.contains("content"), "{}", m1.message);
    let m2 = next_event(&s, 5_000).unwrap();
    assert_eq!((m2.kind, m2.type_name.as_str()), (CCGW_EVENT_MALFORMED, "ccgw.MalformedEvent"));
    assert_eq!(next_event(&s, 5_000).unwrap().type_name, "After");
}

#[test]
fn stopping_cancels_the_outstanding_poll_at_once() {
    let sim = sim(json!({"poll_wait_ms": 10_000}));
    let s = signed_in(&sim, "710");
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    wait_until("a poll to be held", || sim.agent_state(710)["pollsInFlight"] == 1);
    let t = Instant::now();
    expect(unsafe { ccgw_events_stop(s.0) }, CCGW_OK);
    assert!(t.elapsed() < Duration::from_millis(1_000), "stop waited {:?}", t.elapsed());
    assert!(!unsafe { ccgw_events_running(s.0) });
    wait_until("the gateway to see the poll end", || sim.agent_state(710)["pollsInFlight"] == 0);
    // Idempotent, and the pump can start again.
    expect(unsafe { ccgw_events_stop(s.0) }, CCGW_OK);
    start_events(&s, &event_opts(|_| {}));
    expect(unsafe { ccgw_events_start(s.0, ptr::null()) }, CCGW_E_BUSY);
}

#[test]
fn sign_out_close_and_free_with_a_poll_in_flight_do_not_hang() {
    let sim = sim(json!({"poll_wait_ms": 10_000}));
    // sign-out
    let s = signed_in(&sim, "711");
    start_events(&s, &event_opts(|_| {}));
    wait_until("a poll to be held", || sim.agent_state(711)["pollsInFlight"] == 1);
    let t = Instant::now();
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(!unsafe { ccgw_events_running(s.0) });
    // close wakes a blocked taker; queued events are still handed out, then CLOSED
    let s = Arc::new(signed_in(&sim, "712"));
    start_events(&s, &event_opts(|_| {}));
    wait_until("a poll to be held", || sim.agent_state(712)["pollsInFlight"] == 1);
    let mut drained = 0;
    while next_event(&s, 0).is_ok() {
        drained += 1;
    }
    assert!(drained >= 2, "sign-in events were queued");
    let taker = {
        let s = s.clone();
        std::thread::spawn(move || next_event(&s, CCGW_WAIT_FOREVER).err())
    };
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    expect(unsafe { ccgw_session_close(s.0) }, CCGW_OK);
    assert_eq!(taker.join().unwrap(), Some(CCGW_E_CLOSED));
    assert!(t.elapsed() < Duration::from_secs(1));
    wait_until("the pump to end", || !unsafe { ccgw_events_running(s.0) });
    // free with a poll in flight and a callback registered
    let s = signed_in(&sim, "713");
    let c = register(&s);
    start_events(&s, &event_opts(|_| {}));
    wait_until("a poll to be held", || sim.agent_state(713)["pollsInFlight"] == 1);
    let t = Instant::now();
    drop(s);
    assert!(t.elapsed() < Duration::from_secs(1));
    assert_eq!(c.freed.load(Ordering::SeqCst), 1, "userdata released once at free");
    wait_until("the gateway to see the poll end", || sim.agent_state(713)["pollsInFlight"] == 0);
}

struct Reentrant {
    session: usize,
    statuses: Mutex<Vec<ccgw_status>>,
    freed: AtomicUsize,
}

unsafe extern "C" fn call_back_into_ccgw(userdata: *mut c_void, event: *const ccgw_event) {
    let r = &*(userdata as *const Reentrant);
    if Ev::from_c(&*event).type_name == "Reenter" {
        let s = r.session as *mut ccgw_session;
        let mut out = ptr::null_mut();
        let ids = [1i64];
        // Blocking calls from the callback: neither deadlock nor panic.
        let a = ccgw_query_conf_infos(s, ids.as_ptr(), 1, ptr::null(), &mut out);
        ccgw_conf_list_free(out);
        let b = ccgw_third_party_conf_transmit_num(s, ptr::null());
        // Unregister from inside: takes effect when this returns.
        let c = ccgw_events_set_callback(s, None, ptr::null_mut(), None);
        r.statuses.lock().unwrap().extend([a, b, c]);
    }
}

unsafe extern "C" fn release_reentrant(userdata: *mut c_void) {
    (*(userdata as *const Reentrant)).freed.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn a_callback_may_call_blocking_functions_and_unregister_itself() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "714");
    let r = Box::new(Reentrant { session: s.0 as usize, statuses: Mutex::new(Vec::new()), freed: AtomicUsize::new(0) });
    let raw = &*r as *const Reentrant as *mut c_void;
    expect(unsafe { ccgw_events_set_callback(s.0, Some(call_back_into_ccgw), raw, Some(release_reentrant)) }, CCGW_OK);
    start_events(&s, &event_opts(|_| {}));
    sim.inject_event(714, "Reenter", json!({})).unwrap();
    wait_until("the callback to finish", || r.freed.load(Ordering::SeqCst) == 1);
    assert_eq!(*r.statuses.lock().unwrap(), vec![CCGW_OK, CCGW_E_GW_TRANSMIT_NUM_FAILED, CCGW_OK]);
    // Later events stay queued for the pull API.
    sim.inject_event(714, "Later", json!({})).unwrap();
    wait_event(&s, "Later");
    drop(s);
    assert_eq!(r.freed.load(Ordering::SeqCst), 1);
}

#[test]
fn a_full_queue_pauses_the_pump_then_reports_what_it_dropped() {
    let sim = sim(json!({"poll_wait_ms": 100}));
    let s = signed_in(&sim, "715");
    start_events(
        &s,
        &event_opts(|o| {
            o.queue_capacity = 10;
            o.max_stall_ms = 100;
        }),
    );
    sim.inject_events(715, &json!({"eventType": "Flood", "repeat": 30})).unwrap();
    // Nobody takes: the pump stops fetching at 10 (the gateway keeps the rest) and polls
    // only once per max_stall, dropping the oldest event each time to make room.
    wait_until_long("the gateway queue to drain", || sim.agent_state(715)["queued"] == 0);
    let mut lost = 0;
    let mut seen = Vec::new();
    while let Ok(e) = next_event(&s, 300) {
        if e.kind == CCGW_EVENT_EVENTS_LOST {
            lost += e.lost_count;
        } else {
            seen.push(e.sim_seq().unwrap());
        }
    }
    let total = 2 + 30; // sign-in events and the flood
    assert!(lost > 0, "the queue overflowed");
    assert_eq!(seen.len() as u64 + lost, total, "every event is either delivered or counted as lost");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "delivered in order");
}

/// Takes every event until `quiet_ms` pass without one: (the gateway events' simulator
/// sequence numbers, EventsLost reports as (reason, count)).
fn drain(s: &S, quiet_ms: u32) -> (Vec<u64>, Vec<(i32, u64)>) {
    let mut seen = Vec::new();
    let mut lost = Vec::new();
    while let Ok(e) = next_event(s, quiet_ms) {
        if e.kind == CCGW_EVENT_EVENTS_LOST {
            assert!(e.message.contains("dropped"), "{}", e.message);
            lost.push((e.lost_reason, e.lost_count));
        } else {
            assert_eq!(e.lost_reason, 0);
            seen.push(e.sim_seq().unwrap());
        }
    }
    (seen, lost)
}

#[test]
fn large_events_and_a_slow_consumer_are_bounded_by_bytes_and_reported() {
    let sim = sim(json!({"poll_wait_ms": 100}));
    let s = signed_in(&sim, "717");
    let big = "x".repeat(256 * 1024);
    start_events(
        &s,
        &event_opts(|o| {
            o.queue_max_bytes = 2 << 20; // room for 3 events of 2 x 256 KiB each
            o.max_stall_ms = 100;
        }),
    );
    sim.inject_events(717, &json!({"eventType": "Big", "content": {"pad": big}, "repeat": 20})).unwrap();
    // Nobody takes: the pump stops fetching once the bytes are used up (the count bound,
    // 4096, is far away) and then polls once per max_stall, dropping the oldest events.
    wait_until_long("the gateway queue to drain", || sim.agent_state(717)["queued"] == 0);
    let (seen, lost) = drain(&s, 300);
    let total = 2 + 20; // sign-in events and the large ones
    let dropped: u64 = lost.iter().map(|(_, n)| n).sum();
    assert!(dropped > 0, "the byte bound was reached");
    assert!(lost.iter().all(|(r, _)| *r == CCGW_LOST_QUEUE_BYTES), "dropped for the bytes, not the count: {lost:?}");
    assert_eq!(seen.len() as u64 + dropped, total, "every event is either delivered or counted as lost");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "delivered in order");
    // The latest events survive; at most the bound's worth were queued at once.
    assert!(seen.len() <= 4, "{} events were held at once under a 2 MiB bound", seen.len());
}

#[test]
fn an_event_over_max_event_bytes_is_dropped_and_reported_as_too_large() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "718");
    start_events(&s, &event_opts(|o| o.max_event_bytes = 10_000));
    let (_, before) = wait_event(&s, "AgentState_Ready");
    drop(before);
    let pad = "y".repeat(20_000);
    for (i, n) in [10, 20_000, 10, 20_000, 10].into_iter().enumerate() {
        sim.inject_event(718, "Sized", json!({"i": i, "pad": &pad[..n]})).unwrap();
    }
    let mut small = Vec::new();
    let mut reports = Vec::new();
    while small.len() < 3 {
        let e = next_event(&s, 5000).expect("an event");
        if e.kind == CCGW_EVENT_EVENTS_LOST {
            reports.push((e.lost_reason, e.lost_count, e.message));
        } else if e.type_name == "Sized" {
            small.push(e.content["i"].as_i64().unwrap());
        }
    }
    assert_eq!(small, [0, 2, 4], "the small events arrive, in order");
    let total: u64 = reports.iter().map(|(_, n, _)| n).sum();
    assert_eq!(total, 2, "{reports:?}");
    assert!(reports.iter().all(|(r, _, m)| *r == CCGW_LOST_TOO_LARGE && m.contains("max_event_bytes (10000")));
}

/// `ccgw_events_options` as a program built against version 1 of the header lays it out.
#[repr(C)]
struct EventsOptionsV1 {
    version: u32,
    fields: [u32; 6],
}

#[test]
fn a_version_1_events_options_struct_is_still_accepted_and_never_overrun() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "719");
    // The struct followed by a canary: init must write the version-1 fields only.
    #[repr(C)]
    struct Guarded {
        o: EventsOptionsV1,
        canary: [u8; 32],
    }
    let mut g = Guarded { o: EventsOptionsV1 { version: 0, fields: [7; 6] }, canary: [0xa5; 32] };
    let p = ptr::addr_of_mut!(g.o).cast::<ccgw_events_options>();
    expect(unsafe { ccgw_events_options_init(p, 1) }, CCGW_OK);
    assert_eq!((g.o.version, g.o.fields), (1, [0; 6]));
    assert_eq!(g.canary, [0xa5; 32], "init wrote past a version-1 struct");
    g.o.fields[0] = 5; // queue_capacity
    let p = ptr::addr_of_mut!(g.o).cast::<ccgw_events_options>();
    expect(unsafe { ccgw_events_start(s.0, p) }, CCGW_OK);
    assert!(unsafe { ccgw_events_running(s.0) });
    wait_event(&s, "AgentState_Ready");
    expect(unsafe { ccgw_events_options_init(p, CCGW_EVENTS_OPTIONS_VERSION + 1) }, CCGW_E_UNSUPPORTED_VERSION);
}

#[test]
fn events_api_refuses_bad_use() {
    let sim = sim(json!({}));
    let s = session(&sim, "716");
    expect(unsafe { ccgw_events_start(s.0, ptr::null()) }, CCGW_E_NOT_SIGNED_IN);
    let mut o = event_opts(|_| {});
    o.version = 9;
    expect(sign_in(&s), CCGW_OK);
    expect(unsafe { ccgw_events_start(s.0, &o) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_events_start(ptr::null_mut(), ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_events_next(s.0, 0, ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    assert_eq!(unsafe { ccgw_events_status(ptr::null()) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_events_options_init(ptr::null_mut(), 1) }, CCGW_E_NULL_ARGUMENT);
    unsafe { ccgw_event_free(ptr::null_mut()) };
    // Without a pump, nothing arrives: a timeout, not a hang.
    let t = Instant::now();
    assert_eq!(next_event(&s, 100).err(), Some(CCGW_E_TIMEOUT));
    assert!(t.elapsed() >= Duration::from_millis(100));
}
