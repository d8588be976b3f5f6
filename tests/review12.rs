//! Issue 12 phase 2 under attack (review): what the per-session lanes, the thread-local
//! caller, the shared TLS configurations and the callback pool must never do.
//!
//! * A call on one session never goes out on another session's lane, connection, base URL
//!   or Guid, whichever threads make the calls (the callback pool's included), however many
//!   are in flight (more than a session's 16 lanes), and after a call that named a session
//!   and then failed on an argument (so the thread-local caller was left unused).
//! * Sessions with different TLS verification settings never share a configuration or its
//!   session-resumption cache: a session that trusts gateway X's CA cannot reach gateway Y,
//!   even right after sessions trusting Y's CA (or trusting anything) resumed with Y, nor
//!   when the CA file a session names is rewritten between two sessions. (rustls 0.23
//!   itself resumes a TLS session only under the verifier that made it, so a shared
//!   resumption store alone would not break this; a configuration shared across different
//!   CAs, i.e. a wrong key in `tls::client_config`, does: checked by mutation.)

mod common;

use ccgw::ffi::conf::*;
use ccgw::status::*;
use common::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

fn ok_query(s: &S, what: &str) {
    if let Err(st) = query(s, &[7]) {
        panic!("{what}: queryconfinfos failed: {st} {:?}", last_error());
    }
}

/// Names the session (session_ref runs) and then fails on an argument: nothing is sent,
/// and the thread-local caller is left set for the thread's next call.
fn bad_argument_call(s: &S) {
    let mut out: *mut ccgw_conf_list = ptr::null_mut();
    let st = unsafe { ccgw_query_conf_infos(s.0, ptr::null(), 1, ptr::null(), &mut out) };
    assert_eq!(st, CCGW_E_NULL_ARGUMENT, "{:?}", last_error());
    assert!(out.is_null());
}

/// The Guid label and agent of every request a simulator journalled (the sign-in's has
/// no Guid yet).
fn guids_by_agent(sim: &ccgw_sim::Simulator) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_agent: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in sim.journal() {
        let agent = e.agent.clone().unwrap_or_else(|| format!("<none: {}>", e.path));
        let guid = e.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("guid")).map(|(_, v)| v.clone());
        let entry = by_agent.entry(agent).or_default();
        if let Some(g) = guid {
            entry.insert(g);
        }
    }
    by_agent
}

struct CrossCall {
    targets: Vec<*mut ccgw::ffi::session::ccgw_session>,
    calls: AtomicUsize,
    failures: AtomicUsize,
}

unsafe impl Send for CrossCall {}
unsafe impl Sync for CrossCall {}

/// An event callback (on a pool thread) that calls into other sessions.
unsafe extern "C" fn cross_call(userdata: *mut c_void, _event: *const ccgw::ffi::events::ccgw_event) {
    let cc = &*(userdata as *const CrossCall);
    for &t in &cc.targets {
        let mut out: *mut ccgw_conf_list = ptr::null_mut();
        let ids = [7i64];
        let st = ccgw_query_conf_infos(t, ids.as_ptr(), 1, ptr::null(), &mut out);
        cc.calls.fetch_add(1, Ordering::SeqCst);
        if st == CCGW_OK {
            ccgw_conf_list_free(out);
        } else {
            cc.failures.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Sessions A and C on gateway X (same CA: one shared TLS configuration), B on gateway Y
/// (another CA). 20 threads at once: a call on A held 150 ms by X (so more calls of A are
/// in flight than A has lanes), then B, a call on A that fails on its argument after
/// naming A, C, B; meanwhile B's event callback, on the pool, calls A and C. Every call
/// succeeds, each gateway sees only its own agents, and each agent only its own Guid.
#[test]
fn calls_of_sessions_on_two_gateways_never_cross_lanes_urls_or_guids() {
    const THREADS: usize = 20;
    const ROUNDS: usize = 3;
    let x = sim(json!({"reject_duplicates": false}));
    let y = sim(json!({"reject_duplicates": false}));
    assert_ne!(x.ca_pem(), y.ca_pem(), "the two gateways have their own CAs");
    let a = Arc::new(signed_in(&x, "601"));
    let c = Arc::new(signed_in(&x, "603"));
    let b = Arc::new(signed_in(&y, "602"));
    x.add_fault(
        ccgw_sim::FaultSpec::new("agentconf/queryconfinfos", ccgw_sim::FaultKind::Delay)
            .with_delay(150)
            .for_agent("601"),
    )
    .unwrap();

    let cc = Box::new(CrossCall { targets: vec![a.0, c.0], calls: AtomicUsize::new(0), failures: AtomicUsize::new(0) });
    let cc_ptr: *const CrossCall = &*cc;
    start_events(&b, &event_opts(|_| {}));
    expect(
        unsafe { ccgw::ffi::events::ccgw_events_set_callback(b.0, Some(cross_call), cc_ptr as *mut c_void, None) },
        CCGW_OK,
    );

    let start = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (a, b, c, start) = (a.clone(), b.clone(), c.clone(), start.clone());
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    start.wait();
                    ok_query(&a, "A");
                    ok_query(&b, "B");
                    bad_argument_call(&a);
                    ok_query(&c, "C");
                    ok_query(&b, "B after a failed call on A");
                }
            })
        })
        .collect();
    for i in 0..5 {
        y.inject_event(602, "Review12", json!({"n": i})).unwrap();
    }
    for w in workers {
        w.join().unwrap();
    }
    wait_until("B's callback to call A and C for its events", || cc.calls.load(Ordering::SeqCst) >= 2 * 5);
    expect(unsafe { ccgw::ffi::events::ccgw_events_set_callback(b.0, None, ptr::null_mut(), None) }, CCGW_OK);
    assert_eq!(cc.failures.load(Ordering::SeqCst), 0, "calls from B's callback into A and C failed");
    // (B's sign-in events reach the callback too: it made a call on A per event.)
    let callback_calls_on_a = cc.calls.load(Ordering::SeqCst) / 2;
    drop(cc);

    let on_x = guids_by_agent(&x);
    let on_y = guids_by_agent(&y);
    assert_eq!(on_x.keys().collect::<Vec<_>>(), ["601", "603"], "gateway X saw: {on_x:?}");
    assert_eq!(on_y.keys().collect::<Vec<_>>(), ["602"], "gateway Y saw: {on_y:?}");
    for (agent, guids) in on_x.iter().chain(&on_y) {
        assert_eq!(guids.len(), 1, "agent {agent} was sent more than one Guid: {guids:?}");
    }
    assert_ne!(on_x["601"], on_x["603"], "A and C each carry their own Guid");
    // More of A's calls were in flight at once than A has lanes: all were answered.
    let a_calls =
        x.journal().iter().filter(|e| e.agent.as_deref() == Some("601") && e.path.contains("queryconfinfos")).count();
    assert_eq!(a_calls, THREADS * ROUNDS + callback_calls_on_a, "A's calls: the threads' and the callback's");
}

/// Options for gateway `sim` trusting `ca` (PEM) instead of its own CA.
fn opts_trusting(sim: &ccgw_sim::Simulator, agent: &str, ca: &'static str) -> Opts {
    let mut o = opts(sim, agent);
    o.raw.ca_pem = ca.as_ptr();
    o.raw.ca_pem_len = ca.len();
    o
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// A session trusting only gateway X's CA must fail the handshake with gateway Y, also
/// right after sessions trusting Y's CA, or trusting any certificate, made TLS sessions
/// with Y (whose resumption tickets would let a handshake skip the certificate).
#[test]
fn sessions_with_other_verification_settings_never_share_tls_resumption() {
    let x = sim(json!({}));
    let y = sim(json!({}));
    let ca_x = leak(x.ca_pem().unwrap());
    let ca_y = leak(y.ca_pem().unwrap());
    assert_ne!(ca_x, ca_y);
    // Sessions trusting Y (two of them: the second resumes), kept alive so their
    // configuration (and its resumption cache) stays in use.
    let trusting_y: Vec<S> = (0..2)
        .map(|i| {
            let s = new_session(&opts_trusting(&y, &(611 + i).to_string(), ca_y)).unwrap();
            expect(sign_in(&s), CCGW_OK);
            s
        })
        .collect();
    let mut any = opts(&y, "613");
    any.raw.ca_pem = ptr::null();
    any.raw.ca_pem_len = 0;
    any.raw.insecure_accept_any_certificate = true;
    let trusting_anything = new_session(&any).unwrap();
    expect(sign_in(&trusting_anything), CCGW_OK);
    for round in 0..3 {
        let wrong = new_session(&opts_trusting(&y, "614", ca_x)).unwrap();
        let st = sign_in(&wrong);
        assert_eq!(st, CCGW_E_TLS, "round {round}: a session trusting only X's CA reached Y: {:?}", last_error());
    }
    // X's CA is right for X: the same settings work there.
    let right = new_session(&opts_trusting(&x, "615", ca_x)).unwrap();
    expect(sign_in(&right), CCGW_OK);
    let sent = y.journal().iter().filter(|e| e.agent.as_deref() == Some("614")).count();
    assert_eq!(sent, 0, "nothing of the session trusting X's CA reached Y");
    drop(trusting_y);
}

/// The CA file a session names is read when the session is made: rewriting it (Y's CA,
/// then X's) between two sessions gives the second the new trust, never the first's
/// configuration.
#[test]
fn a_ca_file_rewritten_between_two_sessions_is_read_again() {
    let y = sim(json!({}));
    let x = sim(json!({}));
    let dir = std::env::temp_dir().join(format!("ccgw-review12-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.pem");
    let path = cs(file.to_str().unwrap());
    let with_file = |agent: &str| {
        let mut o = opts(&y, agent);
        o.raw.ca_pem = ptr::null();
        o.raw.ca_pem_len = 0;
        o.raw.ca_file = path.as_ptr();
        new_session(&o).unwrap()
    };
    std::fs::write(&file, y.ca_pem().unwrap()).unwrap();
    let first = with_file("621");
    expect(sign_in(&first), CCGW_OK);
    std::fs::write(&file, x.ca_pem().unwrap()).unwrap();
    let second = with_file("622");
    assert_eq!(sign_in(&second), CCGW_E_TLS, "the rewritten CA file was not read again: {:?}", last_error());
    // The first session keeps the trust it was made with.
    ok_query(&first, "the first session");
    drop((first, second));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A host object whose thread-local destructor uses the library at thread exit (a C++
/// `thread_local` signing its agent out, say), made before the thread's first ccgw call,
/// so the library's own thread-locals are destroyed first.
struct AtThreadExit(std::cell::RefCell<Option<(S, std::sync::mpsc::Sender<String>)>>);

impl Drop for AtThreadExit {
    fn drop(&mut self) {
        let Some((s, report)) = self.0.borrow_mut().take() else { return };
        let queried = query(&s, &[7]).map(|c| c.len());
        let refused = unsafe { ccgw_query_conf_infos(s.0, ptr::null(), 1, ptr::null(), &mut ptr::null_mut()) };
        let has_guid = guid(&s).is_some();
        drop(s);
        let _ = report.send(format!("{queried:?} {refused} {has_guid}"));
    }
}

std::thread_local! {
    static AT_THREAD_EXIT: AtThreadExit = const { AtThreadExit(std::cell::RefCell::new(None)) };
}

/// Calls from a thread-local destructor after the library's thread-locals (the last
/// error, the caller, the URL cache) and tokio's were destroyed: the non-blocking ones work
/// and freeing works; a blocking one is refused with `CCGW_E_WRONG_THREAD` (tokio cannot
/// run there). Before: "cannot access a Thread Local Storage value during or after
/// destruction" inside `clear_last_error`, outside the panic guard, aborted the process.
#[test]
fn calls_from_a_thread_local_destructor_at_thread_exit_work() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "631");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        AT_THREAD_EXIT.with(|_| {});
        // The library's thread-locals come to life after the host's: destroyed before it.
        ok_query(&s, "on the thread");
        bad_argument_call(&s);
        AT_THREAD_EXIT.with(|a| *a.0.borrow_mut() = Some((s, tx)));
    })
    .join()
    .unwrap();
    let got = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the destructor ran and reported");
    assert_eq!(got, format!("Err({CCGW_E_WRONG_THREAD}) {CCGW_E_NULL_ARGUMENT} true"));
}
