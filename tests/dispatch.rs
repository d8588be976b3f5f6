//! The callback pool (issue 12): every session's callback runs on a few shared threads.
//! Against the simulator, through the C ABI: a pool whose every thread waits for something
//! only another session's callback can release does not deadlock (the watchdog adds a
//! thread, and the pool shrinks back when idle), and with the watchdog capped it would; one
//! session's callbacks never overlap and keep their order; unregistering and replacing
//! keep their guarantees; blocking calls (the session's own, sign-out, freeing another
//! session) work inside a callback on a one-thread pool; `ccgw_dispatch_options`.
//! (Its own test binary: the pool's options are process-wide; the tests take turns.)

mod common;

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use common::*;
use serde_json::json;
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The tests change process-wide options: one at a time.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn set_pool(threads: u32, max_threads: u32, stall_ms: u32, idle_ms: u32) {
    let mut o: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_dispatch_options_init(&mut o, CCGW_DISPATCH_OPTIONS_VERSION) }, CCGW_OK);
    (o.threads, o.max_threads, o.stall_ms, o.idle_ms) = (threads, max_threads, stall_ms, idle_ms);
    expect(unsafe { ccgw_global_set_dispatch_options(&o) }, CCGW_OK);
}

/// Sets the pool's options and waits until the threads an earlier test left above
/// `threads` have ended (`idle_ms` must be short); returns the stats then.
fn fresh_pool(threads: u32, max_threads: u32, stall_ms: u32, idle_ms: u32) -> ccgw::dispatch::Stats {
    set_pool(threads, max_threads, stall_ms, idle_ms);
    wait_until("threads left by earlier tests to end", || ccgw::dispatch::stats().threads <= threads as usize);
    ccgw::dispatch::stats()
}

/// A Rust closure registered as a session's callback.
struct Cb {
    f: Box<dyn Fn(&Ev) + Send + Sync>,
    /// The thread the userdata was released on, and how many times.
    released: Arc<Released>,
}

#[derive(Default)]
struct Released {
    on: Mutex<Option<ThreadId>>,
    times: AtomicUsize,
}

unsafe extern "C" fn trampoline(userdata: *mut c_void, event: *const ccgw_event) {
    let cb = &*(userdata as *const Cb);
    (cb.f)(&Ev::from_c(&*event));
}

unsafe extern "C" fn release(userdata: *mut c_void) {
    let cb = Box::from_raw(userdata as *mut Cb);
    *cb.released.on.lock().unwrap() = Some(std::thread::current().id());
    cb.released.times.fetch_add(1, Ordering::SeqCst);
}

fn register_raw(s: *mut ccgw_session, f: impl Fn(&Ev) + Send + Sync + 'static) -> Arc<Released> {
    let released = Arc::new(Released::default());
    let cb = Box::new(Cb { f: Box::new(f), released: released.clone() });
    expect(unsafe { ccgw_events_set_callback(s, Some(trampoline), Box::into_raw(cb).cast(), Some(release)) }, CCGW_OK);
    released
}

fn register(s: &S, f: impl Fn(&Ev) + Send + Sync + 'static) -> Arc<Released> {
    register_raw(s.0, f)
}

fn unregister(s: &S) {
    expect(unsafe { ccgw_events_set_callback(s.0, None, ptr::null_mut(), None) }, CCGW_OK);
}

/// A session signed in with its pump running and its sign-in events taken.
fn pumping(sim: &ccgw_sim::Simulator, agent: &str) -> S {
    let s = signed_in(sim, agent);
    start_events(&s, &event_opts(|_| {}));
    wait_event(&s, "AgentState_Ready");
    s
}

/// The pool's threads alive now, by name.
fn pool_threads() -> usize {
    common::library_threads().iter().filter(|n| *n == "ccgw-dispatch").count()
}

/// A gate that callbacks wait at until it opens (or `timeout`): true when it opened.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    fn wait(&self, timeout: Duration) -> bool {
        let g = self.open.lock().unwrap();
        *self.cv.wait_timeout_while(g, timeout, |open| !*open).unwrap().0
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.cv.notify_all();
    }
}

/// Sessions 1 and 2 block their callbacks at a gate only session 3's callback opens, on a
/// pool of `threads` threads capped at `max_threads`; returns (the gate waits' outcomes,
/// whether session 3's callback ran before they ended, the pool's stats right after).
fn blocked_by_another_session(
    sim: &ccgw_sim::Simulator,
    agents: [&str; 3],
    gate_timeout: Duration,
    start: ccgw::dispatch::Stats,
) -> (Vec<bool>, bool, ccgw::dispatch::Stats, [S; 3]) {
    let sessions = agents.map(|a| pumping(sim, a));
    let gate = Arc::new(Gate::default());
    let inside = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let opened_before = Arc::new(AtomicBool::new(false));
    for s in &sessions[..2] {
        let (gate, inside, outcomes) = (gate.clone(), inside.clone(), outcomes.clone());
        register(s, move |e| {
            if e.type_name == "Block" {
                inside.fetch_add(1, Ordering::SeqCst);
                let opened = gate.wait(gate_timeout);
                outcomes.lock().unwrap().push(opened);
            }
        });
    }
    {
        let (gate, outcomes, opened_before) = (gate.clone(), outcomes.clone(), opened_before.clone());
        register(&sessions[2], move |e| {
            if e.type_name == "Release" {
                opened_before.store(outcomes.lock().unwrap().is_empty(), Ordering::SeqCst);
                gate.open();
            }
        });
    }
    let agent = |i: usize| agents[i].parse::<u32>().unwrap();
    sim.inject_event(agent(0), "Block", json!({})).unwrap();
    sim.inject_event(agent(1), "Block", json!({})).unwrap();
    wait_until("both callbacks blocked at the gate", || inside.load(Ordering::SeqCst) == 2);
    let before = ccgw::dispatch::stats();
    assert_eq!((before.threads, before.added), (2, start.added), "both pool threads are held: {before:?}");
    sim.inject_event(agent(2), "Release", json!({})).unwrap();
    let deadline = Instant::now() + gate_timeout + Duration::from_secs(30);
    while outcomes.lock().unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "the blocked callbacks never returned");
        std::thread::sleep(Duration::from_millis(5));
    }
    let outcomes = outcomes.lock().unwrap().clone();
    (outcomes, opened_before.load(Ordering::SeqCst), ccgw::dispatch::stats(), sessions)
}

#[test]
fn a_pool_whose_every_thread_waits_for_another_sessions_callback_does_not_deadlock() {
    let _serial = serial();
    // Two threads, a watchdog that adds one after 50 ms, extra threads ending after 300 ms.
    let start = fresh_pool(2, 8, 50, 300);
    let sim = sim(json!({}));
    let t0 = Instant::now();
    let (outcomes, released_in_time, stats, sessions) =
        blocked_by_another_session(&sim, ["741", "742", "743"], Duration::from_secs(60), start);
    assert_eq!(outcomes, vec![true, true], "session 3's callback opened the gate for both");
    assert!(released_in_time, "it ran while they were still blocked");
    assert!(stats.added > start.added && stats.watchdog, "the watchdog added a thread: {stats:?}");
    assert!(t0.elapsed() < Duration::from_secs(30), "released long before the gate's own timeout");
    // The pool shrinks back to its size once idle (300 ms), and its threads say so too.
    wait_until("the pool back to 2 threads", || {
        let s = ccgw::dispatch::stats();
        s.threads == 2 && s.retired - start.retired == s.added - start.added
    });
    wait_until("2 ccgw-dispatch threads in /proc", || pool_threads() == 2);
    // Sessions keep getting their events on the pool.
    let got = Arc::new(AtomicUsize::new(0));
    let g = got.clone();
    register(&sessions[0], move |e| {
        if e.type_name == "After" {
            g.fetch_add(1, Ordering::SeqCst);
        }
    });
    sim.inject_event(741, "After", json!({})).unwrap();
    wait_until("an event after the stall", || got.load(Ordering::SeqCst) == 1);
    drop(sessions);
    set_pool(0, 0, 0, 0);
}

#[test]
fn with_the_watchdog_capped_the_same_wait_lasts_until_the_callbacks_give_up() {
    let _serial = serial();
    // The cap is the pool's size: no thread may be added, so session 3's callback can only
    // run once a blocked one gives up (1 s): without the watchdog, the wait that ends with
    // that timeout would be a deadlock.
    let start = fresh_pool(2, 2, 50, 300);
    let sim = sim(json!({}));
    let (outcomes, released_in_time, stats, sessions) =
        blocked_by_another_session(&sim, ["744", "745", "746"], Duration::from_secs(1), start);
    // The first wait to end ended by its timeout; only then could session 3's callback run
    // (and release the other, if it was still waiting).
    assert!(!outcomes[0], "a blocked callback gave up first: {outcomes:?}");
    assert!(!released_in_time, "session 3's callback ran only after one gave up");
    assert_eq!(stats.added, start.added, "{stats:?}");
    drop(sessions);
    set_pool(0, 0, 0, 0);
}

#[test]
fn one_sessions_callbacks_never_overlap_and_keep_their_order_on_a_small_pool() {
    let _serial = serial();
    fresh_pool(2, 2, 0, 200);
    let sim = sim(json!({}));
    const SESSIONS: usize = 8;
    const EVENTS: usize = 300;
    let threads = Arc::new(Mutex::new(std::collections::HashSet::new()));
    let overlaps = Arc::new(AtomicUsize::new(0));
    let mut all = Vec::new();
    for i in 0..SESSIONS {
        let agent = format!("{}", 750 + i);
        let s = pumping(&sim, &agent);
        let busy = Arc::new(AtomicBool::new(false));
        let seqs = Arc::new(Mutex::new(Vec::new()));
        let (t, o, b, q) = (threads.clone(), overlaps.clone(), busy.clone(), seqs.clone());
        register(&s, move |e| {
            if b.swap(true, Ordering::SeqCst) {
                o.fetch_add(1, Ordering::SeqCst);
            }
            t.lock().unwrap().insert(std::thread::current().id());
            if e.type_name == "Burst_Test" {
                q.lock().unwrap().push(e.sim_seq().unwrap());
            }
            std::thread::sleep(Duration::from_micros(50));
            b.store(false, Ordering::SeqCst);
        });
        all.push((agent, s, seqs));
    }
    for (agent, _, _) in &all {
        let body = json!({"eventType": "Burst_Test", "content": {}, "repeat": EVENTS});
        sim.inject_events(agent.parse().unwrap(), &body).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    for (agent, _, seqs) in &all {
        while seqs.lock().unwrap().len() < EVENTS {
            assert!(Instant::now() < deadline, "agent {agent}: {} of {EVENTS}", seqs.lock().unwrap().len());
            std::thread::sleep(Duration::from_millis(10));
        }
        let seqs = seqs.lock().unwrap();
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "agent {agent}: in order, none lost: {seqs:?}");
    }
    assert_eq!(overlaps.load(Ordering::SeqCst), 0, "two callbacks of one session ran at once");
    let used = threads.lock().unwrap().len();
    assert!((1..=2).contains(&used), "{SESSIONS} sessions on at most 2 threads, not {used}");
    assert!(pool_threads() <= 2);
    drop(all);
    set_pool(0, 0, 0, 0);
}

#[test]
fn unregistering_waits_for_the_running_callback_and_releases_its_userdata_on_the_caller() {
    let _serial = serial();
    set_pool(0, 0, 0, 0);
    let sim = sim(json!({}));
    let s = pumping(&sim, "761");
    let entered = Arc::new(AtomicBool::new(false));
    let returned = Arc::new(AtomicBool::new(false));
    let (en, re) = (entered.clone(), returned.clone());
    let released = register(&s, move |e| {
        if e.type_name == "Slow" {
            en.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
            re.store(true, Ordering::SeqCst);
        }
    });
    sim.inject_event(761, "Slow", json!({})).unwrap();
    wait_until("the callback to start", || entered.load(Ordering::SeqCst));
    unregister(&s);
    assert!(returned.load(Ordering::SeqCst), "unregistering returned while the callback ran");
    assert_eq!(released.times.load(Ordering::SeqCst), 1);
    assert_eq!(*released.on.lock().unwrap(), Some(std::thread::current().id()), "released by the caller");
    // Later events stay queued for the pull API.
    sim.inject_event(761, "Later", json!({})).unwrap();
    wait_event(&s, "Later");
}

#[test]
fn a_callback_replaced_from_inside_hands_over_when_it_returns() {
    let _serial = serial();
    set_pool(0, 0, 0, 0);
    let sim = sim(json!({}));
    let s = pumping(&sim, "762");
    let first_inside = Arc::new(AtomicBool::new(false));
    let overlap = Arc::new(AtomicBool::new(false));
    let second_got = Arc::new(Mutex::new(Vec::new()));
    let first_got_after = Arc::new(AtomicUsize::new(0));
    let second_released: Arc<Mutex<Option<Arc<Released>>>> = Arc::default();
    let raw = s.0 as usize;
    let (fi, ov, sg, fa, sr) =
        (first_inside.clone(), overlap.clone(), second_got.clone(), first_got_after.clone(), second_released.clone());
    let first_released = register(&s, move |e| {
        match e.type_name.as_str() {
            "Swap" => {
                fi.store(true, Ordering::SeqCst);
                let (fi2, ov2, sg2) = (fi.clone(), ov.clone(), sg.clone());
                // Replaced from inside: the new callback takes over when this one returns.
                let r = register_raw(raw as *mut ccgw_session, move |e| {
                    if fi2.load(Ordering::SeqCst) {
                        ov2.store(true, Ordering::SeqCst);
                    }
                    sg2.lock().unwrap().push(e.type_name.clone());
                });
                *sr.lock().unwrap() = Some(r);
                std::thread::sleep(Duration::from_millis(200));
                fi.store(false, Ordering::SeqCst);
            }
            "Next1" | "Next2" => {
                fa.fetch_add(1, Ordering::SeqCst);
            }
            _ => {}
        }
    });
    for name in ["Swap", "Next1", "Next2"] {
        sim.inject_event(762, name, json!({})).unwrap();
    }
    wait_until("both later events at the new callback", || second_got.lock().unwrap().len() >= 2);
    assert_eq!(*second_got.lock().unwrap(), vec!["Next1", "Next2"]);
    assert_eq!(first_got_after.load(Ordering::SeqCst), 0, "nothing after the swap reached the old callback");
    assert!(!overlap.load(Ordering::SeqCst), "the new callback ran while the old one was still inside");
    assert_eq!(first_released.times.load(Ordering::SeqCst), 1);
    let on = first_released.on.lock().unwrap().expect("released");
    assert_ne!(on, std::thread::current().id(), "the old one was released on the pool thread");
    drop(s);
    let second = second_released.lock().unwrap().clone().unwrap();
    assert_eq!(second.times.load(Ordering::SeqCst), 1, "freeing the session released the new one");
}

#[test]
fn on_a_one_thread_pool_a_callback_may_sign_out_its_session_and_free_another() {
    let _serial = serial();
    // One thread and no watchdog help: these calls must not need a second pool thread.
    fresh_pool(1, 1, 0, 200);
    let sim = sim(json!({}));
    let a = pumping(&sim, "771");
    let b = pumping(&sim, "772");
    let b_released = register(&b, |_| {});
    let b_raw = b.0 as usize;
    std::mem::forget(b); // freed by a's callback
    let a_raw = a.0 as usize;
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let st = statuses.clone();
    let a_released = register(&a, move |e| {
        if e.type_name == "Go" {
            let a = a_raw as *mut ccgw_session;
            let mut v = vec![unsafe { ccgw::ffi::conf::ccgw_third_party_conf_transmit_num(a, ptr::null()) }];
            unsafe { ccgw_session_free(b_raw as *mut ccgw_session) };
            v.push(unsafe { ccgw_session_sign_out(a, ptr::null()) });
            v.push(unsafe { ccgw_events_set_callback(a, None, ptr::null_mut(), None) });
            st.lock().unwrap().extend(v);
        }
    });
    sim.inject_event(771, "Go", json!({})).unwrap();
    wait_until("the callback's calls", || a_released.times.load(Ordering::SeqCst) == 1);
    assert_eq!(*statuses.lock().unwrap(), vec![CCGW_E_GW_TRANSMIT_NUM_FAILED, CCGW_OK, CCGW_OK]);
    assert_eq!(b_released.times.load(Ordering::SeqCst), 1, "freeing the other session released its callback");
    assert!(!unsafe { ccgw_events_running(a.0) }, "signing out stopped the pump");
    drop(a);
    set_pool(0, 0, 0, 0);
}

#[test]
fn dispatch_options_are_checked_read_back_and_reset() {
    let _serial = serial();
    let mut o: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_dispatch_options_init(ptr::null_mut(), CCGW_DISPATCH_OPTIONS_VERSION) }, CCGW_E_NULL_ARGUMENT);
    expect(unsafe { ccgw_dispatch_options_init(&mut o, 99) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_dispatch_options_init(&mut o, CCGW_DISPATCH_OPTIONS_VERSION) }, CCGW_OK);
    assert_eq!((o.version, o.threads, o.max_threads, o.stall_ms, o.idle_ms), (1, 0, 0, 0, 0));
    // NULL: the defaults, resolved when read back.
    expect(unsafe { ccgw_global_set_dispatch_options(ptr::null()) }, CCGW_OK);
    let read = || {
        let mut r: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
        r.version = CCGW_DISPATCH_OPTIONS_VERSION;
        expect(unsafe { ccgw_global_get_dispatch_options(&mut r) }, CCGW_OK);
        (r.threads, r.max_threads, r.stall_ms, r.idle_ms)
    };
    let defaults = (
        CCGW_DEFAULT_DISPATCH_THREADS,
        CCGW_DEFAULT_DISPATCH_MAX_THREADS,
        CCGW_DEFAULT_DISPATCH_STALL_MS,
        CCGW_DEFAULT_DISPATCH_IDLE_MS,
    );
    assert_eq!(read(), defaults);
    set_pool(8, 16, 250, 2000);
    assert_eq!(read(), (8, 16, 250, 2000));
    // A pool larger than the default cap raises the cap with it.
    set_pool(100, 0, 0, 0);
    assert_eq!((read().0, read().1), (100, 100));
    // Refused, nothing changed.
    for (t, m, s, i) in [
        (CCGW_DISPATCH_THREADS_MAX + 1, 0, 0, 0),
        (0, CCGW_DISPATCH_THREADS_MAX + 1, 0, 0),
        (8, 4, 0, 0),
        (0, 2, 0, 0), // below the default 4 threads
        (0, 0, CCGW_DISPATCH_STALL_MS_MAX + 1, 0),
        (0, 0, 0, CCGW_DISPATCH_IDLE_MS_MAX + 1),
    ] {
        let mut o: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
        unsafe { ccgw_dispatch_options_init(&mut o, CCGW_DISPATCH_OPTIONS_VERSION) };
        (o.threads, o.max_threads, o.stall_ms, o.idle_ms) = (t, m, s, i);
        expect(unsafe { ccgw_global_set_dispatch_options(&o) }, CCGW_E_OUT_OF_RANGE);
        assert!(last_error().1.contains("ccgw_dispatch_options."), "{:?}", last_error());
        assert_eq!(read().0, 100, "unchanged");
    }
    let mut bad: ccgw_dispatch_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_global_set_dispatch_options(&bad) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_global_get_dispatch_options(&mut bad) }, CCGW_E_UNSUPPORTED_VERSION);
    expect(unsafe { ccgw_global_get_dispatch_options(ptr::null_mut()) }, CCGW_E_NULL_ARGUMENT);
    set_pool(0, 0, 0, 0);
    assert_eq!(read(), defaults);
}
