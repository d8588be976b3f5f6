//! Resynchronisation through the C ABI, against the simulator: `ccgw_session_snapshot`
//! equals the simulator's own state (agent status, held and active calls with their ids,
//! the conference with its participants), parts fail independently, nothing is sent
//! without a Guid, the live conference view is reconciled from it, and the pump delivers
//! one by itself right after a gap when `resync_after_gap` is set.

mod common;

use ccgw::ffi::calls::ccgw_call_info_list;
use ccgw::ffi::conf::*;
use ccgw::ffi::confview::*;
use ccgw::ffi::events::*;
use ccgw::ffi::resync::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::{json, Value};
use std::ffi::CStr;
use std::ptr;

/// A conference as (id, [(address type, address, role, channel state)]).
type Conf = (i64, Vec<(i32, String, i32, i32)>);

/// A snapshot read out of its C struct.
#[derive(Debug)]
struct Snap {
    agent_status_status: ccgw_status,
    agent_state: i32,
    calls_status: ccgw_status,
    held: Vec<String>,
    active: Vec<String>,
    conf_ids_status: ccgw_status,
    conferences_status: ccgw_status,
    conferences: Vec<Conf>,
}

fn text(p: *const std::ffi::c_char) -> String {
    assert!(!p.is_null());
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn call_ids(l: *const ccgw_call_info_list) -> Vec<String> {
    assert!(!l.is_null(), "lists are never NULL");
    let l = unsafe { &*l };
    (0..l.count).map(|i| text(unsafe { (*l.calls.add(i)).callid })).collect()
}

fn confs(l: *const ccgw_conf_list) -> Vec<Conf> {
    assert!(!l.is_null());
    let l = unsafe { &*l };
    (0..l.count)
        .map(|i| {
            let c = unsafe { &*l.confs.add(i) };
            let parts = (0..c.participant_count)
                .map(|j| {
                    let p = unsafe { &*c.participants.add(j) };
                    (p.address_type, text(p.address), p.role, p.channel_state)
                })
                .collect();
            (c.conf_id, parts)
        })
        .collect()
}

fn read(s: &ccgw_snapshot) -> Snap {
    assert!(s.taken_at > 0);
    Snap {
        agent_status_status: s.agent_status_status,
        agent_state: s.agent_state,
        calls_status: s.calls_status,
        held: call_ids(s.held_calls),
        active: call_ids(s.active_calls),
        conf_ids_status: s.conf_ids_status,
        conferences_status: s.conferences_status,
        conferences: confs(s.conferences),
    }
}

fn snapshot(s: &S) -> Result<Snap, ccgw_status> {
    let mut out: *mut ccgw_snapshot = ptr::null_mut();
    let st = unsafe { ccgw_session_snapshot(s.0, ptr::null(), &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    let snap = read(unsafe { &*out });
    unsafe { ccgw_snapshot_free(out) };
    Ok(snap)
}

/// The simulator's own view of a conference, as the snapshot lists it.
fn sim_conf(v: &Value) -> Conf {
    let int = |v: &Value| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap();
    let parts = v["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                int(&p["addressType"]) as i32,
                p["address"].as_str().unwrap().to_string(),
                int(&p["role"]) as i32,
                int(&p["channelState"]) as i32,
            )
        })
        .collect();
    (int(&v["confId"]), parts)
}

/// The agent status the simulator itself answers.
fn sim_agent_state(s: &S) -> i32 {
    let v = request(s, "GET", "onlineagent/{agentid}/agentstatus", None).unwrap();
    v["result"]["agentState"].as_i64().unwrap() as i32
}

#[test]
fn the_snapshot_equals_the_simulators_state_with_calls_held_and_a_conference_running() {
    let sim = sim(json!({}));
    // Calls: one held, one active.
    let s = signed_in(&sim, "821");
    let first = callout(&s, "70005");
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap();
    let second = callout(&s, "70006");
    let snap = snapshot(&s).unwrap();
    assert_eq!((snap.agent_status_status, snap.calls_status), (CCGW_OK, CCGW_OK));
    assert_eq!(snap.agent_state, sim_agent_state(&s));
    assert_eq!((snap.held, snap.active), (vec![first.clone()], vec![second.clone()]));
    let sim_calls = sim.agent_state(821)["calls"].clone();
    let states: Vec<(String, String)> = sim_calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["callid"].as_str().unwrap().to_string(), c["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(states.len(), 2);
    assert!(states.contains(&(first, "held".into())), "{states:?}");
    assert!(snap.conferences.is_empty() && snap.conferences_status == CCGW_OK);
    assert_eq!(snap.conf_ids_status, CCGW_E_GW_NOT_INSPECTOR, "not an inspector: only known ids asked");

    // A conference with a joined phone participant, known to the view through the pump.
    let c = signed_in(&sim, "822");
    start_events(&c, &event_opts(|_| {}));
    let conf = conference(&sim, &c, "822");
    wait_event(&c, "AgentConf_RequestSuccess");
    let inv = invitees(&[(CCGW_ADDRESS_PHONE, "70010")]);
    expect(batch_add(&c, &inv, |_| {}), CCGW_OK);
    wait_event(&c, "AgentConf_ParticipantChanged");
    let snap = snapshot(&c).unwrap();
    assert_eq!(snap.conferences_status, CCGW_OK);
    assert_eq!(snap.conferences, vec![sim_conf(&sim.conf_info(conf as u64).unwrap())]);
    assert_eq!(snap.conferences[0].1.len(), 2, "{:?}", snap.conferences);
    assert_eq!(snap.agent_state, sim_agent_state(&c));
}

#[test]
fn an_inspector_finds_its_conferences_without_the_view() {
    let sim = sim(json!({"agents": {"823": {"inspector": true}}}));
    let s = signed_in(&sim, "823");
    // No pump: the view knows nothing of the conference; queryvdnconfid finds it.
    let conf = conference(&sim, &s, "823");
    let other = signed_in(&sim, "824");
    let not_mine = conference(&sim, &other, "824");
    let snap = snapshot(&s).unwrap();
    assert_eq!((snap.conf_ids_status, snap.conferences_status), (CCGW_OK, CCGW_OK));
    assert_eq!(
        snap.conferences,
        vec![sim_conf(&sim.conf_info(conf as u64).unwrap())],
        "only its own ({not_mine} is not)"
    );
}

#[test]
fn parts_fail_on_their_own_and_nothing_is_sent_without_a_guid() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "825");
    callout(&s, "70005");
    // HTTP 500: returned as is by the fail-over policy (a 503 on a read it would retry).
    sim.add_fault(FaultSpec::new("calldata/holdlist", FaultKind::HttpStatus).with_status(500)).unwrap();
    let snap = snapshot(&s).unwrap();
    assert_eq!(snap.calls_status, CCGW_E_HTTP_STATUS);
    assert_eq!(snap.agent_status_status, CCGW_OK);
    assert_eq!(snap.active.len(), 1, "callinfo still answered: {snap:?}");

    let fresh = session(&sim, "826");
    let mark = sim.journal_mark();
    assert_eq!(snapshot(&fresh).unwrap_err(), CCGW_E_NOT_SIGNED_IN);
    assert!(sent_since(&sim, mark).is_empty(), "nothing sent");
    let mut out: *mut ccgw_snapshot = ptr::null_mut();
    expect(unsafe { ccgw_session_snapshot(ptr::null_mut(), ptr::null(), &mut out) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_session_snapshot(s.0, ptr::null(), ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    unsafe { ccgw_snapshot_free(ptr::null_mut()) };
}

#[test]
fn the_snapshot_reconciles_the_live_conference_view() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "827");
    start_events(&s, &event_opts(|_| {}));
    let conf = conference(&sim, &s, "827");
    wait_event(&s, "AgentConf_RequestSuccess");
    // Events stop reaching the session (the pump is stopped), and a participant joins.
    expect(unsafe { ccgw_events_stop(s.0) }, CCGW_OK);
    sim.participant(conf as u64, &json!({"addressType": 6, "address": "70020", "action": "join"})).unwrap();
    let view_count = || {
        let mut v: *mut ccgw_conf_view = ptr::null_mut();
        expect(unsafe { ccgw_conf_view_snapshot(s.0, &mut v) }, CCGW_OK);
        let n = unsafe { (*(*v).confs).participant_count };
        unsafe { ccgw_conf_view_free(v) };
        n
    };
    assert_eq!(view_count(), 1, "the view missed the join");
    snapshot(&s).unwrap();
    assert_eq!(view_count(), 2, "reconciled from the snapshot");
}

#[test]
fn after_a_gap_the_pump_delivers_a_snapshot_right_after_the_report() {
    let sim = sim(json!({"poll_wait_ms": 200}));
    let s = signed_in(&sim, "828");
    let held = callout(&s, "70005");
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap();
    start_events(&s, &event_opts(|o| o.resync_after_gap = true));
    wait_event(&s, "AgentState_Ready");
    // A poll the gateway answered with an event, reset on the way: the event is lost.
    sim.add_fault(FaultSpec::new("agentevent", FaultKind::ResetAfter)).unwrap();
    sim.inject_event(828, "Lost_On_The_Way", json!({})).unwrap();
    let (gap, before) = wait_for(&s, "the gap report", |e| e.kind == CCGW_EVENT_EVENTS_LOST);
    assert!(before.iter().all(|e| e.type_name != "Lost_On_The_Way"));
    assert_eq!(gap.lost_reason, CCGW_LOST_POLL_FAILED);
    assert!(gap.gap_start > 0 && gap.gap_end >= gap.gap_start);
    // Next comes the snapshot (after at most the event polled with the gap's end).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        assert!(std::time::Instant::now() < deadline, "no snapshot event");
        let mut out: *mut ccgw_event = ptr::null_mut();
        let st = unsafe { ccgw_events_next(s.0, 500, &mut out) };
        if st == CCGW_E_TIMEOUT {
            continue;
        }
        expect(st, CCGW_OK);
        let e = unsafe { &*out };
        assert_ne!(e.kind, CCGW_EVENT_EVENTS_LOST, "one report per gap");
        if e.kind == CCGW_EVENT_SNAPSHOT {
            assert!(!e.snapshot.is_null());
            let snap = read(unsafe { &*e.snapshot });
            unsafe { ccgw_event_free(out) };
            assert_eq!(snap.held, vec![held]);
            assert_eq!(snap.agent_status_status, CCGW_OK);
            break;
        }
        assert!(e.snapshot.is_null());
        unsafe { ccgw_event_free(out) };
    }
    sim.inject_event(828, "After_Gap", json!({})).unwrap();
    let (_, before) = wait_event(&s, "After_Gap");
    assert!(before.iter().all(|e| e.kind != CCGW_EVENT_EVENTS_LOST && e.kind != CCGW_EVENT_SNAPSHOT), "{before:?}");
}

/// A TCP relay on a fixed loopback port to the simulator that can be taken down (new
/// connections refused; connections already relayed run on) and brought back up.
struct Relay {
    port: u16,
    target: std::net::SocketAddr,
    up: Option<(std::sync::Arc<std::sync::atomic::AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Relay {
    fn new(target: std::net::SocketAddr) -> Relay {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut r = Relay { port, target, up: None };
        r.start();
        r
    }

    fn start(&mut self) {
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, target) = (stop.clone(), self.target);
        let thread = std::thread::spawn(move || {
            for client in listener.incoming() {
                if flag.load(std::sync::atomic::Ordering::SeqCst) {
                    return; // the listener is dropped: new connections are refused
                }
                let Ok(client) = client else { continue };
                let Ok(server) = std::net::TcpStream::connect(target) else { continue };
                for (mut from, mut to) in [(client.try_clone().unwrap(), server.try_clone().unwrap()), (server, client)]
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    });
                }
            }
        });
        self.up = Some((stop, thread));
    }

    fn stop(&mut self) {
        if let Some((flag, thread)) = self.up.take() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            let _ = std::net::TcpStream::connect(("127.0.0.1", self.port)); // wakes accept
            thread.join().unwrap();
        }
    }
}

#[test]
fn nothing_is_reported_lost_when_nothing_can_be() {
    // The gateway closes idle connections after 100 ms and the pump waits 300 ms after an
    // empty answer, so every poll opens a new connection: with the relay down, it is
    // refused before anything is sent.
    let sim = sim(json!({"poll_wait_ms": 200, "idle_close_ms": 100}));
    let mut relay = Relay::new(sim.addr());
    let mut o = opts(&sim, "829");
    let url = cs(&format!("https://127.0.0.1:{}", relay.port));
    o.raw.base_url = url.as_ptr();
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
    start_events(&s, &event_opts(|o| o.poll_interval_ms = 300));
    wait_event(&s, "AgentState_Ready");
    // Plain long-poll timeouts (answers without an event) for a while.
    let mut seen = Vec::new();
    let until = std::time::Instant::now() + std::time::Duration::from_millis(1500);
    while std::time::Instant::now() < until {
        if let Ok(e) = next_event(&s, 100) {
            seen.push(e);
        }
    }
    // Connections refused for a while.
    relay.stop();
    let (err, before) = wait_for(&s, "a refused poll", |e| e.kind == CCGW_EVENT_PUMP_ERROR);
    seen.extend(before);
    assert!(matches!(err.status, CCGW_E_CONNECT | CCGW_E_NOT_SENT), "{err:?}");
    relay.start();
    let (_, before) = wait_for(&s, "recovery", |e| e.kind == CCGW_EVENT_PUMP_RECOVERED);
    seen.extend(before);
    sim.inject_event(829, "After_Refusals", json!({})).unwrap();
    let (_, before) = wait_event(&s, "After_Refusals");
    seen.extend(before);
    assert!(seen.iter().all(|e| e.kind != CCGW_EVENT_EVENTS_LOST), "{seen:?}");
    assert!(
        seen.iter()
            .filter(|e| e.kind == CCGW_EVENT_PUMP_ERROR)
            .all(|e| matches!(e.status, CCGW_E_CONNECT | CCGW_E_NOT_SENT)),
        "{seen:?}"
    );
    relay.stop();
}

#[test]
fn a_huge_conference_id_list_is_bounded_not_walked() {
    use common::hostile::{Answer, Hostile};
    // A hostile (or broken) gateway answers the VDN's conference-id query with 300,000
    // distinct ids (2.3 MB, within the answer limit): the snapshot must neither spend
    // its time deduplicating them nor send one conference query per 20 of them.
    let gw = Hostile::https();
    let ids: Vec<i64> = (1..=300_000).collect();
    gw.answer(move |r| {
        if r.path().ends_with("queryvdnconfid") {
            Answer::ok(json!({ "confIds": ids }))
        } else if r.path().contains("queryconfinfos") {
            Answer::ok(json!([]))
        } else {
            Answer::retcode("0", "success")
        }
    });
    let s = hostile_session(&gw, "814");
    attach_guid(&s, "first-guid-1");
    let started = std::time::Instant::now();
    let r = snapshot(&s);
    let queries = gw.requests().iter().filter(|r| r.path().contains("queryconfinfos")).count();
    assert!(queries <= 100, "{queries} conference queries in {:?}", started.elapsed());
    let snap = r.expect("the snapshot's other parts still work");
    assert_eq!(snap.conf_ids_status, CCGW_E_MALFORMED_RESPONSE);
}
