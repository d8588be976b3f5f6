//! The combined fail-over drills of issue 11, through the C ABI against the cluster
//! simulator (`ccgw_sim::Cluster`: node A = 0, the primary; node B = 1, the fallback):
//! - a session signed in on A with `auto_resign_in`, its pump running and operations from
//!   4 threads; A switches over (`000-004`, then refuses connections): operations resume
//!   on B within a measured time, the two journals show no operation sent twice, one gap
//!   report, and the snapshot after the new sign-in equals node B's own state;
//! - the same without `auto_resign_in`: the pump stops once with the reason, nothing is
//!   signed in on B, nothing is sent twice;
//! - a `000-004` shorter than the switchover wait: ridden out on A, nothing moves, no new
//!   sign-in, one gap report (what A had queued during its switchover may be lost);
//! - 50 sessions through one switchover: all recover, their retries spread, threads and
//!   memory back to their level (1,000 in `benches/failover.rs`).
//!
//! Measured times are printed (`cargo test --test ha_drill -- --nocapture`); BENCHMARKS.md
//! reports them.

mod common;
#[path = "common/fleet.rs"]
mod fleet;

use ccgw::ffi::calls::ccgw_call_info_list;
use ccgw::ffi::common::ccgw_status_outcome;
use ccgw::ffi::events::*;
use ccgw::ffi::resync::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{After, Cluster, ClusterConfig, NodeState, Settings, SimConfig, Switchover};
use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const AGENT: &str = "153";
const AGENT_ID: u32 = 153;

fn cluster() -> Cluster {
    let settings = Settings::default()
        .merged(&json!({"default_password": PASSWORD, "poll_wait_ms": 500}))
        .expect("drill settings");
    Cluster::start(ClusterConfig { sim: SimConfig { settings, ..SimConfig::default() }, ..Default::default() })
        .expect("cluster starts")
}

/// Version-3 options: A as `base_url`, B as the fallback, the cluster's one CA.
fn cluster_session(c: &Cluster, switchover_wait_ms: u32) -> S {
    let keep: Vec<CString> = c.base_urls().iter().map(|u| cs(u)).chain([cs(AGENT)]).collect();
    let fallbacks: [*const c_char; 1] = [keep[1].as_ptr()];
    let pem = c.ca_pem().unwrap();
    let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
    o.base_url = keep[0].as_ptr();
    o.fallback_urls = fallbacks.as_ptr();
    o.fallback_url_count = 1;
    o.agent_id = keep[2].as_ptr();
    o.ca_pem = pem.as_ptr();
    o.ca_pem_len = pem.len();
    o.request_timeout_ms = 5_000;
    o.connect_timeout_ms = 1_000;
    o.switchover_wait_ms = switchover_wait_ms;
    o.retry_backoff_initial_ms = 50;
    o.retry_backoff_max_ms = 500;
    let mut s = ptr::null_mut();
    expect(unsafe { ccgw_session_new(&o, &mut s) }, CCGW_OK);
    S(s)
}

fn sign_in_with(s: &S, auto: bool) {
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    o.auto_resign_in = auto;
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
}

/// One operation a worker thread made.
#[derive(Debug, Clone)]
struct Call {
    /// The `drill` member of a write's body (its trace in the journals); `None` for a read.
    id: Option<String>,
    status: ccgw_status,
    started: Instant,
    ended: Instant,
}

/// Four threads doing operations on `s` until `stop`: writes (`saybusy` / `sayfree`, each
/// with a unique `{"drill": id}` body, never sent again by the library) and reads
/// (`agentstatus`). A failed write is not retried by the thread with the same id: a
/// caller retry is a new operation, with a new id.
fn workers(s: &Arc<S>, stop: &Arc<AtomicBool>) -> Vec<std::thread::JoinHandle<Vec<Call>>> {
    (0..4)
        .map(|t| {
            let (s, stop) = (s.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut calls = Vec::new();
                let mut k = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    k += 1;
                    let started = Instant::now();
                    let (id, r) = if k % 3 == 0 {
                        (None, request(&s, "GET", "onlineagent/{agentid}/agentstatus", None))
                    } else {
                        let id = format!("t{t}-{k}");
                        let op = if k % 2 == 0 { "saybusy" } else { "sayfree" };
                        let body = json!({ "drill": id }).to_string();
                        (Some(id), request(&s, "POST", &format!("onlineagent/{{agentid}}/{op}"), Some(&body)))
                    };
                    let status = r.err().unwrap_or(CCGW_OK);
                    calls.push(Call { id, status, started, ended: Instant::now() });
                    std::thread::sleep(Duration::from_millis(if status == CCGW_OK { 20 } else { 50 }));
                }
                calls
            })
        })
        .collect()
}

/// Every journal entry of both nodes that carries a drill id, by id.
fn traced(c: &Cluster) -> HashMap<String, Vec<(usize, ccgw_sim::JournalEntry)>> {
    let mut by_id: HashMap<String, Vec<(usize, ccgw_sim::JournalEntry)>> = HashMap::new();
    for node in 0..c.len() {
        for e in c.node(node).journal() {
            if let Some(id) = e.body.as_ref().and_then(|b| b.get("drill")).and_then(Value::as_str) {
                by_id.entry(id.to_string()).or_default().push((node, e.clone()));
            }
        }
    }
    by_id
}

/// The journals of both nodes against what each caller was told: every write reached a
/// node at most once; one that succeeded was carried out exactly once; one the library
/// said was not sent reached no node; one refused (503, `000-004`) was not carried out;
/// one carried out was reported as success or as "may have run". Returns the writes that
/// reached each node.
#[track_caller]
fn assert_nothing_sent_twice(c: &Cluster, calls: &[Call]) -> [usize; 2] {
    let by_id = traced(c);
    let mut per_node = [0usize; 2];
    for call in calls.iter().filter(|c| c.id.is_some()) {
        let id = call.id.as_deref().unwrap();
        let seen = by_id.get(id).map(Vec::as_slice).unwrap_or_default();
        assert!(seen.len() <= 1, "{id} reached a node {} times: {seen:?}", seen.len());
        let carried_out = seen.iter().any(|(_, e)| e.retcode.as_deref() == Some("0"));
        match ccgw_status_outcome(call.status) {
            CCGW_OUTCOME_OK => assert!(carried_out, "{id} succeeded but no node carried it out: {seen:?}"),
            CCGW_OUTCOME_NOT_SENT => assert!(seen.is_empty(), "{id}: status {} said not sent: {seen:?}", call.status),
            CCGW_OUTCOME_REFUSED => assert!(!carried_out, "{id}: refused ({}) yet carried out", call.status),
            _ => {}
        }
        if carried_out {
            assert!(
                matches!(ccgw_status_outcome(call.status), CCGW_OUTCOME_OK | CCGW_OUTCOME_MAY_HAVE_RUN),
                "{id} was carried out but the caller was told {}",
                call.status
            );
        }
        if let Some((node, _)) = seen.first() {
            per_node[*node] += 1;
        }
    }
    // And no write reached a node that no caller made.
    let made: std::collections::HashSet<&str> = calls.iter().filter_map(|c| c.id.as_deref()).collect();
    assert!(by_id.keys().all(|id| made.contains(id.as_str())), "a write nobody made reached a node");
    per_node
}

/// Takes events until `pred` (bounded by `limit`), keeping all of them in `log`.
#[track_caller]
fn events_until(s: &S, log: &mut Vec<Ev>, limit: Duration, what: &str, pred: impl Fn(&Ev) -> bool) -> Ev {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now()).as_millis() as u32;
        assert!(left > 0, "no {what} within {limit:?}; got {:?}", log.iter().map(|e| &e.type_name).collect::<Vec<_>>());
        match next_event(s, left.min(200)) {
            Ok(e) => {
                log.push(e.clone());
                if pred(&e) {
                    return e;
                }
            }
            Err(CCGW_E_TIMEOUT) => {}
            Err(st) => panic!("waiting for {what}: status {st}"),
        }
    }
}

/// Every event that arrives within `quiet`, appended to `log`.
fn events_for(s: &S, log: &mut Vec<Ev>, quiet: Duration) {
    while let Ok(e) = next_event(s, quiet.as_millis() as u32) {
        log.push(e);
    }
}

fn count(log: &[Ev], kind: i32) -> usize {
    log.iter().filter(|e| e.kind == kind).count()
}

/// Writes that reached `node` according to its journal, sign-ins included.
fn sign_ins(c: &Cluster, node: usize, since: u64) -> usize {
    c.node(node).journal_since(since).iter().filter(|e| e.route.starts_with("onlineagent") && e.method == "PUT").count()
}

fn call_ids(l: *const ccgw_call_info_list) -> Vec<String> {
    assert!(!l.is_null());
    let l = unsafe { &*l };
    (0..l.count).map(|i| unsafe { CStr::from_ptr((*l.calls.add(i)).callid) }.to_string_lossy().into_owned()).collect()
}

/// Starts the workers and waits until each has made a successful write on A.
fn running_workers(s: &Arc<S>, stop: &Arc<AtomicBool>, c: &Cluster) -> Vec<std::thread::JoinHandle<Vec<Call>>> {
    let handles = workers(s, stop);
    wait_until("every worker to have written on node A", || {
        let by_id = traced(c);
        (0..4).all(|t| by_id.keys().any(|id| id.starts_with(&format!("t{t}-"))))
    });
    handles
}

/// A drill under way: a session on the cluster signed in (with `auto_resign_in` or not),
/// its pump running and `AgentState_Ready` seen, and the 4 workers writing on node A.
struct Drill {
    s: Arc<S>,
    log: Vec<Ev>,
    stop: Arc<AtomicBool>,
    handles: Vec<std::thread::JoinHandle<Vec<Call>>>,
}

fn drill(c: &Cluster, switchover_wait_ms: u32, auto_resign_in: bool) -> Drill {
    let s = Arc::new(cluster_session(c, switchover_wait_ms));
    sign_in_with(&s, auto_resign_in);
    start_events(&s, &event_opts(|_| {}));
    let mut log = Vec::new();
    events_until(&s, &mut log, Duration::from_secs(10), "AgentState_Ready", |e| e.type_name == "AgentState_Ready");
    let stop = Arc::new(AtomicBool::new(false));
    let handles = running_workers(&s, &stop, c);
    Drill { s, log, stop, handles }
}

fn join(handles: Vec<std::thread::JoinHandle<Vec<Call>>>) -> Vec<Vec<Call>> {
    handles.into_iter().map(|h| h.join().expect("worker")).collect()
}

#[test]
fn a_switchover_under_load_moves_the_session_to_b_once_and_the_snapshot_tells_the_truth() {
    let c = cluster();
    let Drill { s, mut log, stop, handles } = drill(&c, 500, true);

    let b_mark = c.node(1).journal_mark();
    let t0 = Instant::now();
    let t0_ms = ccgw_sim::world::now_ms() as i64;
    c.switchover(0, Switchover { busy_for: Duration::from_millis(1500), then: After::Refuse }).unwrap();
    let again =
        events_until(&s, &mut log, Duration::from_secs(20), "SignedInAgain", |e| e.kind == CCGW_EVENT_SIGNED_IN_AGAIN);
    let resigned = t0.elapsed();
    assert!(again.attempt >= 1);
    let gap =
        events_until(&s, &mut log, Duration::from_secs(10), "the gap report", |e| e.kind == CCGW_EVENT_EVENTS_LOST);
    assert!(gap.gap_start <= t0_ms + 50 && gap.gap_end >= gap.gap_start, "the gap spans the switchover: {gap:?}");
    // Operations go on on B until every worker has had a success there.
    wait_until("node A down", || c.node_state(0) == NodeState::Down);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let by_id = traced(&c);
        let on_b = |t: usize| {
            by_id.iter().any(|(id, v)| {
                id.starts_with(&format!("t{t}-")) && v.iter().any(|(n, e)| *n == 1 && e.retcode.as_deref() == Some("0"))
            })
        };
        if (0..4).all(on_b) {
            break;
        }
        assert!(Instant::now() < deadline, "every worker's writes to succeed on node B");
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    let per_thread = join(handles);
    events_for(&s, &mut log, Duration::from_millis(300));

    // Resumed on B: per thread, the first write that succeeded after the switchover began.
    let by_id = traced(&c);
    let resumed: Vec<Duration> = per_thread
        .iter()
        .map(|calls| {
            calls
                .iter()
                .filter(|k| k.started >= t0 && k.status == CCGW_OK)
                .find(|k| k.id.as_ref().is_some_and(|id| by_id[id].iter().any(|(n, _)| *n == 1)))
                .map(|k| k.ended - t0)
                .expect("a write succeeded on B")
        })
        .collect();
    let worst = resumed.iter().max().copied().unwrap();
    eprintln!(
        "drill: re-signed-in on B {resigned:?} after the switchover began (000-004 for 1.5 s, switchover wait 0.5 s); \
         operations resumed on B after {resumed:?} (worst {worst:?})"
    );
    assert!(worst < Duration::from_secs(10), "operations resumed on B within 10 s: {worst:?}");

    let calls: Vec<Call> = per_thread.into_iter().flatten().collect();
    let [on_a, on_b] = assert_nothing_sent_twice(&c, &calls);
    assert!(on_a > 0 && on_b > 0, "writes on A {on_a}, on B {on_b}");
    // The 000-004 window reached the callers as a refusal they could retry.
    assert!(calls.iter().any(|k| k.status == CCGW_E_GW_SWITCHOVER), "some write met the switchover");
    assert_eq!(sign_ins(&c, 1, b_mark), 1, "one sign-in on B (the pump's)");
    assert_eq!(count(&log, CCGW_EVENT_SESSION_LOST), 1, "{log:?}");
    assert_eq!(count(&log, CCGW_EVENT_SIGNED_IN_AGAIN), 1);
    assert_eq!(count(&log, CCGW_EVENT_EVENTS_LOST), 1, "exactly one gap report for the one gap");
    assert_eq!(count(&log, CCGW_EVENT_PUMP_STOPPED), 0);

    // The snapshot after the new sign-in equals node B's own state.
    let held = callout(&s, "70005");
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap();
    let active = callout(&s, "70006");
    let mut out: *mut ccgw_snapshot = ptr::null_mut();
    expect(unsafe { ccgw_session_snapshot(s.0, ptr::null(), &mut out) }, CCGW_OK);
    let snap = unsafe { &*out };
    let (snap_held, snap_active) = (call_ids(snap.held_calls), call_ids(snap.active_calls));
    let (status_status, agent_state) = (snap.agent_status_status, snap.agent_state);
    unsafe { ccgw_snapshot_free(out) };
    let sim_calls = c.node(1).agent_state(AGENT_ID)["calls"].clone();
    let sim_by_state = |st: &str| -> Vec<String> {
        sim_calls
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| (k["state"] == "held") == (st == "held"))
            .map(|k| k["callid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!((snap_held.clone(), snap_active.clone()), (vec![held.clone()], vec![active.clone()]));
    assert_eq!((snap_held, snap_active), (sim_by_state("held"), sim_by_state("active")), "{sim_calls}");
    let answered = request(&s, "GET", "onlineagent/{agentid}/agentstatus", None).unwrap();
    assert_eq!(status_status, CCGW_OK);
    assert_eq!(i64::from(agent_state), answered["result"]["agentState"].as_i64().unwrap());
    assert!(c.node(0).agent_state(AGENT_ID)["calls"].as_array().unwrap().is_empty(), "nothing of it on A");
}

#[test]
fn without_auto_resign_in_the_pump_stops_once_with_the_reason_and_nothing_is_sent_twice() {
    let c = cluster();
    let Drill { s, mut log, stop, handles } = drill(&c, 500, false);
    let (a_mark, b_mark) = (c.node(0).journal_mark(), c.node(1).journal_mark());
    c.switchover(0, Switchover { busy_for: Duration::from_millis(1000), then: After::Refuse }).unwrap();
    let stopped =
        events_until(&s, &mut log, Duration::from_secs(20), "PumpStopped", |e| e.kind == CCGW_EVENT_PUMP_STOPPED);
    assert_eq!(stopped.status, CCGW_E_SESSION_FAILOVER, "the reason: moved to a node without the Guid: {stopped:?}");
    assert_eq!(stopped.cause_status, CCGW_E_GW_NOT_SIGNED_IN, "{stopped:?}");
    // Workers go on a little on B (refused there: 100-006), then stop.
    wait_until("node A down", || c.node_state(0) == NodeState::Down);
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let calls: Vec<Call> = join(handles).into_iter().flatten().collect();
    events_for(&s, &mut log, Duration::from_millis(300));
    assert_eq!(count(&log, CCGW_EVENT_PUMP_STOPPED), 1, "told once: {log:?}");
    assert_eq!(count(&log, CCGW_EVENT_SESSION_LOST), 1);
    assert_eq!(count(&log, CCGW_EVENT_SIGNING_IN_AGAIN) + count(&log, CCGW_EVENT_SIGNED_IN_AGAIN), 0);
    assert!(!unsafe { ccgw_events_running(s.0) });
    assert_eq!(unsafe { ccgw_events_status(s.0) }, CCGW_E_SESSION_FAILOVER);
    assert_eq!(sign_ins(&c, 0, a_mark) + sign_ins(&c, 1, b_mark), 0, "nothing signs in");
    assert_eq!(c.node(1).agent_state(AGENT_ID)["signedIn"], false);
    let [_, on_b] = assert_nothing_sent_twice(&c, &calls);
    // What reached B was refused there (B does not know the session); nothing ran on B.
    assert!(traced(&c)
        .values()
        .flatten()
        .filter(|(n, _)| *n == 1)
        .all(|(_, e)| e.retcode.as_deref() == Some("100-006")));
    eprintln!("drill without auto_resign_in: {on_b} writes reached B and were refused with 100-006");
}

#[test]
fn a_switchover_shorter_than_the_wait_is_ridden_out_on_a_with_no_new_sign_in() {
    let c = cluster();
    let Drill { s, mut log, stop, handles } = drill(&c, 3_000, true);
    let (a_mark, b_mark) = (c.node(0).journal_mark(), c.node(1).journal_mark());
    let t0 = Instant::now();
    let window = Duration::from_millis(700);
    let window_end_ms = ccgw_sim::world::now_ms() + window.as_millis() as u64;
    c.switchover(0, Switchover { busy_for: window, then: After::Up }).unwrap();
    wait_until("node A up again", || c.node_state(0) == NodeState::Up);
    // Until every worker has written successfully after the window.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = c.node(0).journal_since(a_mark);
        let ok_after = |t: usize| {
            fresh.iter().any(|e| {
                e.retcode.as_deref() == Some("0")
                    && e.body
                        .as_ref()
                        .and_then(|b| b["drill"].as_str())
                        .is_some_and(|id| id.starts_with(&format!("t{t}-")))
                    && e.at_ms > window_end_ms
            })
        };
        if (0..4).all(ok_after) {
            break;
        }
        assert!(Instant::now() < deadline, "writes succeed on A again after the window");
        std::thread::sleep(Duration::from_millis(20));
    }
    c.node(0).inject_event(AGENT_ID, "After_Window", json!({})).unwrap();
    events_until(&s, &mut log, Duration::from_secs(10), "After_Window", |e| e.type_name == "After_Window");
    stop.store(true, Ordering::Relaxed);
    let calls: Vec<Call> = join(handles).into_iter().flatten().collect();
    let [_, on_b] = assert_nothing_sent_twice(&c, &calls);
    assert_eq!(on_b, 0, "nothing moved to B");
    assert!(c.node(1).journal_since(b_mark).is_empty(), "B never saw a request");
    assert_eq!(sign_ins(&c, 0, a_mark), 0, "no new sign-in");
    for kind in [CCGW_EVENT_SESSION_LOST, CCGW_EVENT_SIGNING_IN_AGAIN, CCGW_EVENT_PUMP_STOPPED] {
        assert_eq!(count(&log, kind), 0, "kind {kind}: {log:?}");
    }
    // The switchover may have cost events queued on A then (the simulator drops them, as a
    // real switchover may): one gap report, for the window.
    let gaps: Vec<&Ev> = log.iter().filter(|e| e.kind == CCGW_EVENT_EVENTS_LOST).collect();
    assert_eq!(gaps.len(), 1, "one gap report for the switchover: {log:?}");
    assert_eq!(gaps[0].lost_reason, CCGW_LOST_FAILOVER, "{:?}", gaps[0]);
    let window_start_ms = (window_end_ms - window.as_millis() as u64) as i64;
    assert!(gaps[0].gap_start <= window_start_ms + 50 && gaps[0].gap_end >= window_start_ms, "{:?}", gaps[0]);
    // Reads were ridden out (one started in the window and succeeded after it); writes met
    // the 000-004 as a refusal the caller could retry.
    let in_window = |k: &Call| k.started > t0 && k.started < t0 + window - Duration::from_millis(100);
    assert!(
        calls.iter().any(|k| k.id.is_none() && in_window(k) && k.status == CCGW_OK && k.ended >= t0 + window),
        "a read started in the window rode it out"
    );
    assert!(calls.iter().any(|k| k.id.is_some() && k.status == CCGW_E_GW_SWITCHOVER), "a write met the 000-004");
    assert!(unsafe { ccgw_events_running(s.0) });
}

#[test]
fn fifty_sessions_through_one_switchover_all_recover_with_spread_retries() {
    let c = fleet::fleet_cluster();
    // The library's own threads (runtime, janitor) exist before the baseline.
    fleet::warm_up(&c);
    let cfg = fleet::FleetConfig {
        sessions: 50,
        sign_in_threads: 4,
        busy_for: Duration::from_millis(800),
        switchover_wait_ms: 300,
        recover_within: Duration::from_secs(60),
    };
    let r = fleet::run_fleet(&c, &cfg);
    eprintln!("fleet drill:\n{}", r.summary());
    assert_eq!(r.signed_in_again, 50, "{}", r.summary());
    assert_eq!(r.signed_in_on_b, 50);
    assert!(r.gap_reports.iter().all(|&g| g == 1), "one gap report each: {:?}", r.gap_reports);
    assert_eq!(r.retry_ms.len(), 50);
    assert!(r.sign_ins_on_b.iter().all(|&n| n == 1), "one sign-in each on B: {:?}", r.sign_ins_on_b);
    let spread = fleet::percentile(&r.retry_ms, 100) - fleet::percentile(&r.retry_ms, 0);
    assert!(spread >= 20, "retries spread over time, not in lockstep: {spread} ms");
    assert!(r.threads_after <= r.threads_before + 4, "threads back: {}", r.summary());
    assert!(r.rss_kb_after < r.rss_kb_before + 64 * 1024, "memory back: {}", r.summary());
}
