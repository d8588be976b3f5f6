//! How many connections a session opens, counted by the simulator (connections it
//! accepted), not by the library (issue 12 item 3): a session uses no more connections
//! than it has calls in flight at once, plus its event pump's, whichever threads make the
//! calls.

mod common;

use common::*;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

fn accepted(sim: &ccgw_sim::Simulator) -> u64 {
    sim.stats()["connectionsAccepted"].as_u64().expect("the simulator counts accepted connections")
}

/// The pump, polling every 20 ms.
fn pump(s: &S) {
    start_events(s, &event_opts(|_| {}));
}

fn call(s: &S) {
    let confs = query(s, &[7]).unwrap_or_else(|st| panic!("queryconfinfos failed: {st} {:?}", last_error()));
    assert!(confs.is_empty());
}

/// Calls from 8 threads taking turns (each call made while no other call of the session is
/// in flight), while 4 other threads keep 4 other sessions (on another simulator) busy, so
/// the lanes free at each moment differ from call to call: the session's calls all go out
/// on one connection, and its pump on the sign-in's. The old global lanes gave the session
/// a connection per lane its calls happened to find free.
#[test]
fn sequential_calls_from_eight_threads_share_one_connection() {
    const THREADS: usize = 8;
    const TURNS: usize = 6;
    let busy = sim(json!({"reject_duplicates": false}));
    let sim = sim(json!({}));
    let s = Arc::new(signed_in(&sim, "601"));
    pump(&s);
    let stop = Arc::new(AtomicBool::new(false));
    let others: Vec<_> = (0..4)
        .map(|i| {
            let o = signed_in(&busy, &(701 + i).to_string());
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    call(&o);
                }
            })
        })
        .collect();
    // A turn token: thread t makes calls only while it holds the token at turn t.
    let turn = Arc::new((Mutex::new(0usize), std::sync::Condvar::new()));
    let calls = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (s, turn, calls) = (s.clone(), turn.clone(), calls.clone());
            std::thread::spawn(move || {
                for round in 0..TURNS {
                    let (lock, cv) = &*turn;
                    let mut at = lock.lock().unwrap();
                    while *at != round * THREADS + t {
                        at = cv.wait(at).unwrap();
                    }
                    call(&s);
                    call(&s);
                    calls.fetch_add(2, Ordering::Relaxed);
                    *at += 1;
                    cv.notify_all();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for o in others {
        o.join().unwrap();
    }
    assert_eq!(calls.load(Ordering::Relaxed), THREADS * TURNS * 2);
    assert!(accepted(&busy) >= 4, "the other sessions were busy on their own simulator");
    // One for the sign-in, which the pump's polls go on using; one for the calls.
    assert_eq!(accepted(&sim), 2, "{}", sim.stats());
}

/// 8 threads, a session each (as `make bench-http` runs it), all calling at once, each
/// session with its pump: at most 8 + 8 connections (the old global lanes opened 30–64).
#[test]
fn eight_sessions_on_eight_threads_open_at_most_sixteen_connections() {
    const SESSIONS: usize = 8;
    const CALLS: usize = 40;
    let sim = sim(json!({"reject_duplicates": false}));
    let sessions: Vec<_> = (0..SESSIONS).map(|i| signed_in(&sim, &(601 + i).to_string())).collect();
    for s in &sessions {
        pump(s);
    }
    let start = Arc::new(Barrier::new(SESSIONS));
    let workers: Vec<_> = sessions
        .into_iter()
        .map(|s| {
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                for _ in 0..CALLS {
                    call(&s);
                }
                s
            })
        })
        .collect();
    let sessions: Vec<S> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let n = accepted(&sim);
    assert!(n <= 2 * SESSIONS as u64, "{n} connections for {SESSIONS} sessions: {}", sim.stats());
    assert!(n >= SESSIONS as u64, "each session has its own connections: {n}");
    drop(sessions);
}

/// Calls in flight at once on one session each get a connection, and no more than that:
/// 4 threads calling together open at most 4 (+ the sign-in's), and calls made one at a
/// time afterwards reuse one of them.
#[test]
fn concurrent_calls_open_no_more_connections_than_calls_in_flight() {
    const THREADS: usize = 4;
    let sim = sim(json!({"reject_duplicates": false}));
    let s = Arc::new(signed_in(&sim, "601"));
    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (s, start) = (s.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for _ in 0..20 {
                    call(&s);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let after_burst = accepted(&sim);
    assert!(after_burst <= 1 + THREADS as u64, "{after_burst} connections for {THREADS} calls in flight");
    for t in 0..THREADS {
        let s = s.clone();
        std::thread::spawn(move || call(&s)).join().unwrap();
        std::thread::sleep(Duration::from_millis(5 * t as u64));
    }
    assert_eq!(accepted(&sim), after_burst, "calls one at a time open nothing new");
}
