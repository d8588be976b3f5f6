//! The fail-over policy (issue 11, item 1) against two simulators as primary and backup:
//! where sign-in, reads and operations go when the primary refuses connections, answers
//! 503/502 or `000-004`, what is never sent twice (both journals), the pauses between
//! retry rounds (spread across sessions, within the call's timeout), going back to the
//! primary, what each status means (`ccgw_status_outcome`), every retcode of reference §8
//! named, the CTI code of `Unknown ERROR._<digits>` messages, and the option versions.

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec, Simulator};
use common::{cs, expect, last_error, sim, PASSWORD};
use serde_json::json;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::time::{Duration, Instant};

/// A session handle, freed on drop.
struct S(*mut ccgw_session);
unsafe impl Send for S {}
unsafe impl Sync for S {}
impl Drop for S {
    fn drop(&mut self) {
        unsafe { ccgw_session_free(self.0) };
    }
}

/// Version-3 options for `urls` (the first is the primary), trusting `pem`.
struct Opts {
    raw: ccgw_session_options,
    _keep: Vec<CString>,
    _urls: Vec<*const c_char>,
    _pem: String,
}

impl Opts {
    fn new(urls: &[String], pem: &str, agent: &str) -> Opts {
        let keep: Vec<CString> = urls.iter().map(|u| cs(u)).chain([cs(agent)]).collect();
        let fallbacks: Vec<*const c_char> = keep[1..urls.len()].iter().map(|c| c.as_ptr()).collect();
        let pem = pem.to_string();
        let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
        expect(unsafe { ccgw_session_options_init(&mut raw, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
        raw.base_url = keep[0].as_ptr();
        raw.fallback_urls = fallbacks.as_ptr();
        raw.fallback_url_count = fallbacks.len();
        raw.agent_id = keep[urls.len()].as_ptr();
        raw.ca_pem = pem.as_ptr();
        raw.ca_pem_len = pem.len();
        raw.request_timeout_ms = 5_000;
        raw.connect_timeout_ms = 1_000;
        raw.retry_backoff_initial_ms = 50;
        Opts { raw, _keep: keep, _urls: fallbacks, _pem: pem }
    }

    fn session(&self) -> S {
        let mut s = ptr::null_mut();
        expect(unsafe { ccgw_session_new(&self.raw, &mut s) }, CCGW_OK);
        S(s)
    }
}

/// Two simulators, primary (`a`) and backup (`b`).
struct Pair {
    a: Option<Simulator>,
    b: Simulator,
    a_url: String,
    pem: String,
}

impl Pair {
    fn new() -> Pair {
        let a = sim(json!({}));
        let b = sim(json!({}));
        let pem = format!("{}{}", a.ca_pem().unwrap(), b.ca_pem().unwrap());
        Pair { a_url: a.base_url().to_string(), a: Some(a), b, pem }
    }

    /// The primary is a port nobody listens on.
    fn with_dead_primary() -> Pair {
        let b = sim(json!({}));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        Pair { a_url: format!("https://127.0.0.1:{port}"), a: None, pem: b.ca_pem().unwrap().to_string(), b }
    }

    fn a(&self) -> &Simulator {
        self.a.as_ref().expect("a live primary")
    }

    fn opts(&self, agent: &str) -> Opts {
        Opts::new(&[self.a_url.clone(), self.b.base_url().to_string()], &self.pem, agent)
    }
}

/// Requests of `route` in a simulator's journal.
fn count(sim: &Simulator, route: &str) -> usize {
    sim.journal().iter().filter(|e| e.route == route).count()
}

fn sign_in(s: &S) -> ccgw_status {
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_sign_in_options_init(&mut o, CCGW_SIGN_IN_OPTIONS_VERSION) }, CCGW_OK);
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }
}

fn request(s: &S, method: &str, path: &str) -> ccgw_status {
    let (m, p) = (cs(method), cs(path));
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_session_request(s.0, m.as_ptr(), p.as_ptr(), ptr::null(), ptr::null(), &mut out) };
    unsafe { ccgw_string_free(out) };
    st
}

/// A read (GET).
fn read(s: &S) -> ccgw_status {
    request(s, "GET", "onlineagent/{agentid}/agentstatus")
}

/// An operation (POST, not idempotent).
fn operate(s: &S) -> ccgw_status {
    request(s, "POST", "onlineagent/{agentid}/sayfree")
}

/// A sign-in that fails with `status` (nothing sent) within `ms`: no pause, no retry round.
fn sign_in_fails_within(s: &S, status: ccgw_status, ms: u64) {
    let t = Instant::now();
    assert_eq!(sign_in(s), status);
    assert!(t.elapsed() < Duration::from_millis(ms), "{:?}", t.elapsed());
    assert_eq!(ccgw_status_outcome(status), CCGW_OUTCOME_NOT_SENT);
}

const READ: &str = "onlineagent/agentstatus";
const OP: &str = "onlineagent/sayfree";
const SIGN_IN: &str = "onlineagent";

#[test]
fn a_primary_refusing_connections_sends_sign_in_reads_and_operations_to_the_backup() {
    let pair = Pair::with_dead_primary();
    let s = pair.opts("301").session();
    expect(sign_in(&s), CCGW_OK);
    expect(read(&s), CCGW_OK);
    expect(operate(&s), CCGW_OK);
    assert_eq!((count(&pair.b, SIGN_IN), count(&pair.b, READ), count(&pair.b, OP)), (1, 1, 1));

    // Signed in on a live primary that then goes: an operation that never left goes to
    // the backup (a first send there, which does not know the Guid).
    let mut pair = Pair::new();
    let s = pair.opts("302").session();
    expect(sign_in(&s), CCGW_OK);
    assert_eq!((count(pair.a(), SIGN_IN), count(&pair.b, SIGN_IN)), (1, 0));
    pair.a.take().unwrap().stop();
    // Let the client take in the close of its kept-alive connection.
    std::thread::sleep(Duration::from_millis(200));
    let st = operate(&s);
    assert_eq!(st, CCGW_E_GW_NOT_SIGNED_IN, "{:?}", last_error());
    assert_eq!(count(&pair.b, OP), 1, "the operation reached the backup once");
}

#[test]
fn a_primary_answering_503_sends_the_sign_in_to_the_backup() {
    // The regression: this sign-in failed with the primary's 503, and the
    // backup never saw a request.
    let pair = Pair::new();
    pair.a().add_fault(FaultSpec::new(SIGN_IN, FaultKind::HttpStatus).with_status(503)).unwrap();
    let s = pair.opts("303").session();
    // The move is logged (the sink is process-wide: other tests' records come too).
    expect(
        unsafe { ccgw_set_log_callback(CCGW_LOG_WARN, Some(common::capture_record), ptr::null_mut(), None) },
        CCGW_OK,
    );
    expect(sign_in(&s), CCGW_OK);
    let guid = {
        let mut out: *mut c_char = ptr::null_mut();
        expect(unsafe { ccgw_session_get_guid(s.0, &mut out) }, CCGW_OK);
        let g = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
        unsafe { ccgw_string_free(out) };
        g
    };
    let records = common::RECORDS.lock().unwrap().clone();
    let moves: Vec<&(i32, String, String)> =
        records.iter().filter(|(_, op, m)| op == "login" && m.contains("node 1 of 2")).collect();
    assert!(!moves.is_empty(), "{records:?}");
    assert!(moves.iter().all(|(level, _, _)| *level == CCGW_LOG_WARN));
    assert!(records.iter().any(|(_, _, m)| m.contains("now on gateway node 2 of 2")), "{records:?}");
    let (a_port, b_port) = (format!(":{}", pair.a().addr().port()), format!(":{}", pair.b.addr().port()));
    for (_, _, m) in &records {
        assert!(!m.contains(&a_port) && !m.contains(&b_port) && !m.contains("127.0.0.1"), "{m}");
        assert!(!m.contains(&guid) && !m.contains(guid.split('.').next().unwrap()), "{m}");
    }
    expect(unsafe { ccgw_set_log_callback(CCGW_LOG_OFF, None, ptr::null_mut(), None) }, CCGW_OK);
    let a: Vec<_> = pair.a().journal().into_iter().filter(|e| e.route == SIGN_IN).collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].status, 503);
    let b: Vec<_> = pair.b.journal().into_iter().filter(|e| e.route == SIGN_IN).collect();
    assert_eq!(b.len(), 1, "the backup took the sign-in");
    assert_eq!(b[0].retcode.as_deref(), Some("0"));
    // And the session stays there.
    expect(read(&s), CCGW_OK);
    assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (0, 1));
}

#[test]
fn a_primary_failing_tls_sends_the_sign_in_to_the_backup_once_per_call() {
    // Only the backup's CA is trusted: the primary's certificate does not verify.
    let mut pair = Pair::new();
    pair.pem = pair.b.ca_pem().unwrap().to_string();
    let s = pair.opts("311").session();
    expect(sign_in(&s), CCGW_OK);
    assert!(pair.a().journal().is_empty(), "nothing reached the primary");
    assert_eq!(count(&pair.b, SIGN_IN), 1);
    // With no node to go to, a certificate failure is not retried in rounds: one
    // connection to a server whose certificate is not trusted.
    let untrusted = common::hostile::Hostile::https();
    let only = Opts::new(&[untrusted.base_url()], &pair.pem, "312").session();
    assert_eq!(sign_in(&only), CCGW_E_TLS);
    assert_eq!(ccgw_status_outcome(CCGW_E_TLS), CCGW_OUTCOME_NOT_SENT);
    assert_eq!(untrusted.connections(), 1, "no retry round after a TLS failure");
    assert!(untrusted.requests().is_empty());
}

#[test]
fn reads_meeting_502_go_to_the_backup() {
    let pair = Pair::new();
    let s = pair.opts("304").session();
    expect(sign_in(&s), CCGW_OK);
    pair.a().add_fault(FaultSpec::new(READ, FaultKind::HttpStatus).with_status(502)).unwrap();
    // The backup does not know the Guid: it refuses, but it was asked.
    assert_eq!(read(&s), CCGW_E_GW_NOT_SIGNED_IN);
    assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (1, 1));
}

#[test]
fn operations_meeting_503_502_or_a_long_switchover_are_never_sent_again() {
    let cases = [
        (FaultSpec::new(OP, FaultKind::HttpStatus).with_status(503), CCGW_E_GATEWAY_UNAVAILABLE, CCGW_OUTCOME_REFUSED),
        (FaultSpec::new(OP, FaultKind::HttpStatus).with_status(502), CCGW_E_BAD_GATEWAY, CCGW_OUTCOME_MAY_HAVE_RUN),
        (FaultSpec::new("*", FaultKind::Switchover).times(1000), CCGW_E_GW_SWITCHOVER, CCGW_OUTCOME_REFUSED),
    ];
    for (spec, status, outcome) in cases {
        let pair = Pair::new();
        let mut o = pair.opts("305");
        o.raw.switchover_wait_ms = 200;
        let s = o.session();
        expect(sign_in(&s), CCGW_OK);
        let switchover = spec.kind == FaultKind::Switchover;
        pair.a().add_fault(spec).unwrap();
        let st = operate(&s);
        assert_eq!(st, status, "{:?}", last_error());
        assert_eq!(ccgw_status_outcome(st), outcome);
        assert_eq!(ccgw_status_retryable(st), outcome == CCGW_OUTCOME_REFUSED);
        assert_eq!((count(pair.a(), OP), count(&pair.b, OP)), (1, 0), "{status}: sent once, never again");
        if switchover {
            // Not past the wait yet: the session stays; once past it, the next call moves.
            std::thread::sleep(Duration::from_millis(300));
        }
        // The next call goes to the backup (which does not know the Guid).
        assert_eq!(read(&s), CCGW_E_GW_NOT_SIGNED_IN, "{status}");
        assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (0, 1), "{status}");
    }
}

#[test]
fn a_switchover_shorter_than_the_wait_is_ridden_out_on_the_same_node() {
    let pair = Pair::new();
    let s = pair.opts("306").session();
    pair.a().add_fault(FaultSpec::new("*", FaultKind::Switchover).times(3)).unwrap();
    expect(sign_in(&s), CCGW_OK);
    assert_eq!((count(pair.a(), SIGN_IN), count(&pair.b, SIGN_IN)), (4, 0));
    pair.a().add_fault(FaultSpec::new(READ, FaultKind::Switchover).times(2)).unwrap();
    expect(read(&s), CCGW_OK);
    assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (3, 0));
    // An operation is not sent again: it says so, and stays on the node.
    pair.a().add_fault(FaultSpec::new(OP, FaultKind::Switchover)).unwrap();
    assert_eq!(operate(&s), CCGW_E_GW_SWITCHOVER);
    expect(operate(&s), CCGW_OK);
    assert_eq!((count(pair.a(), OP), count(&pair.b, OP)), (2, 0));
    assert!(pair.b.journal().is_empty(), "no fail-over");
}

#[test]
fn a_switchover_longer_than_the_wait_moves_sign_in_and_reads() {
    let pair = Pair::new();
    let mut o = pair.opts("307");
    o.raw.switchover_wait_ms = 300;
    let s = o.session();
    let reader = o.session();
    expect(sign_in(&reader), CCGW_OK);
    pair.a().add_fault(FaultSpec::new("*", FaultKind::Switchover).times(100_000)).unwrap();
    let t = Instant::now();
    expect(sign_in(&s), CCGW_OK);
    assert!(t.elapsed() >= Duration::from_millis(300), "{:?}", t.elapsed());
    assert!(count(pair.a(), SIGN_IN) >= 3, "ridden out first: {}", count(pair.a(), SIGN_IN));
    assert_eq!(count(&pair.b, SIGN_IN), 1);
    // A read of a session signed in on the primary moves too (and meets a backup that
    // does not know its Guid: the agent is signed in there with another).
    let st = read(&reader);
    assert!(ccgw_status_is_gateway(st) && st != CCGW_E_GW_SWITCHOVER, "{st}");
    assert!(count(pair.a(), READ) >= 2);
    assert_eq!(count(&pair.b, READ), 1);
}

#[test]
fn retry_rounds_are_spread_across_sessions_not_in_lockstep() {
    const N: usize = 50;
    let a = sim(json!({}));
    // Every session's first sign-in meets a 503; the one node is tried again after a
    // pause drawn below 1 s.
    for i in 0..N {
        let agent = (400 + i).to_string();
        a.add_fault(FaultSpec::new(SIGN_IN, FaultKind::HttpStatus).with_status(503).for_agent(&agent)).unwrap();
    }
    let pem = a.ca_pem().unwrap().to_string();
    let sessions: Vec<S> = (0..N)
        .map(|i| {
            let mut o = Opts::new(&[a.base_url().to_string()], &pem, &(400 + i).to_string());
            o.raw.retry_backoff_initial_ms = 1_000;
            o.session()
        })
        .collect();
    let barrier = std::sync::Barrier::new(N);
    std::thread::scope(|sc| {
        for s in &sessions {
            let barrier = &barrier;
            sc.spawn(move || {
                barrier.wait();
                expect(sign_in(s), CCGW_OK);
            });
        }
    });
    let journal = a.journal();
    let mut delays = Vec::new();
    for i in 0..N {
        let agent = (400 + i).to_string();
        let at: Vec<u64> = journal
            .iter()
            .filter(|e| e.route == SIGN_IN && e.agent.as_deref() == Some(agent.as_str()))
            .map(|e| e.at_ms)
            .collect();
        assert_eq!(at.len(), 2, "agent {agent}: one 503, one retry");
        delays.push(at[1] - at[0]);
    }
    let (min, max) = (*delays.iter().min().unwrap(), *delays.iter().max().unwrap());
    let buckets: std::collections::BTreeSet<u64> = delays.iter().map(|d| d / 50).collect();
    eprintln!("retry delays over {N} sessions: min {min} ms, max {max} ms, {} buckets of 50 ms", buckets.len());
    assert!(max < 2_500, "within the first round's bound (plus scheduling): {max}");
    assert!(max - min >= 400, "spread: {min}..{max} ms");
    assert!(buckets.len() >= 8, "not in lockstep: {delays:?}");
}

#[test]
fn pauses_and_rounds_stay_within_the_call_timeout() {
    let pair = Pair::with_dead_primary();
    let mut o = Opts::new(std::slice::from_ref(&pair.a_url), &pair.pem, "308");
    o.raw.retry_rounds = CCGW_RETRY_ROUNDS_MAX;
    o.raw.retry_backoff_initial_ms = 300;
    o.raw.request_timeout_ms = 1_000;
    let s = o.session();
    let t = Instant::now();
    let st = sign_in(&s);
    // Usually the last refused connect; when the call's timeout runs out while an attempt
    // is still connecting (a loaded machine), that attempt's timeout, reported on the
    // safe side (reqwest cannot tell a timeout while connecting from one after sending).
    assert!(matches!(st, CCGW_E_CONNECT | CCGW_E_CONNECT_TIMEOUT | CCGW_E_RESPONSE_TIMEOUT), "status {st}");
    let took = t.elapsed();
    assert!(took < Duration::from_millis(1_500), "{took:?}");
    // retry_rounds 1: each node once, no pause.
    o.raw.retry_rounds = 1;
    sign_in_fails_within(&o.session(), CCGW_E_CONNECT, 200);
}

#[test]
fn sign_in_goes_back_to_the_primary_once_it_has_not_failed_for_failback_after() {
    let pair = Pair::new();
    let mut o = pair.opts("309");
    o.raw.failback_after_ms = 500;
    let s = o.session();
    pair.a().add_fault(FaultSpec::new(SIGN_IN, FaultKind::HttpStatus).with_status(503)).unwrap();
    expect(sign_in(&s), CCGW_OK);
    assert_eq!(count(&pair.b, SIGN_IN), 1);
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    // Within failback_after of the primary's failure: the backup again.
    expect(sign_in(&s), CCGW_OK);
    assert_eq!((count(pair.a(), SIGN_IN), count(&pair.b, SIGN_IN)), (1, 2));
    std::thread::sleep(Duration::from_millis(600));
    // A signed-in session stays where its Guid belongs...
    expect(read(&s), CCGW_OK);
    assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (0, 1));
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    // ...and a new sign-in goes back to the primary, and the session with it.
    expect(sign_in(&s), CCGW_OK);
    assert_eq!((count(pair.a(), SIGN_IN), count(&pair.b, SIGN_IN)), (2, 2));
    expect(read(&s), CCGW_OK);
    assert_eq!((count(pair.a(), READ), count(&pair.b, READ)), (1, 1));
}

#[test]
fn every_status_has_an_outcome() {
    let not_sent = [
        CCGW_E_NULL_ARGUMENT,
        CCGW_E_INVALID_ARGUMENT,
        CCGW_E_UNSUPPORTED_VERSION,
        CCGW_E_CONNECT,
        CCGW_E_TLS,
        CCGW_E_CONNECT_TIMEOUT,
        CCGW_E_PROXY,
        CCGW_E_PROXY_AUTH,
        CCGW_E_NOT_SENT,
        CCGW_E_NOT_SIGNED_IN,
        CCGW_E_WRONG_THREAD,
        CCGW_E_FORKED,
        CCGW_E_TIMEOUT,
        CCGW_E_BUSY,
    ];
    let refused =
        [CCGW_E_GATEWAY_UNAVAILABLE, CCGW_E_GATEWAY, CCGW_E_GW_SWITCHOVER, CCGW_E_GW_NOT_SIGNED_IN, 1_104_003];
    let may_have_run = [
        CCGW_E_RESPONSE_TIMEOUT,
        CCGW_E_CONNECTION_LOST,
        CCGW_E_HTTP_STATUS,
        CCGW_E_MALFORMED_RESPONSE,
        CCGW_E_UNEXPECTED_CONTENT_TYPE,
        CCGW_E_TRUNCATED_RESPONSE,
        CCGW_E_BAD_GATEWAY,
        CCGW_E_CLOSED,
        CCGW_E_CANCELLED,
        CCGW_E_PANIC,
        CCGW_E_INTERNAL,
        119,
        -1,
        i32::MAX,
    ];
    assert_eq!(ccgw_status_outcome(CCGW_OK), CCGW_OUTCOME_OK);
    for s in not_sent {
        assert_eq!(ccgw_status_outcome(s), CCGW_OUTCOME_NOT_SENT, "{s}");
    }
    for s in refused {
        assert_eq!(ccgw_status_outcome(s), CCGW_OUTCOME_REFUSED, "{s}");
    }
    for s in may_have_run {
        assert_eq!(ccgw_status_outcome(s), CCGW_OUTCOME_MAY_HAVE_RUN, "{s}");
        assert!(!ccgw_status_retryable(s), "{s}");
    }
    assert!(ccgw_status_retryable(CCGW_E_GW_SWITCHOVER) && !ccgw_status_retryable(CCGW_E_GW_NOT_CHAIRPERSON));
}

/// The retcodes of reference §8 (8.1 and 8.2), ranges written as the reference writes them.
const SECTION_8: &[(&str, u32, u32)] = &[
    ("000", 1, 7),
    ("100", 1, 21),
    ("101", 1, 7),
    ("104", 1, 12),
    ("105", 1, 7),
    ("106", 1, 4),
    ("110", 2, 22),
    ("200", 1, 18),
    ("200", 25, 25),
    ("300", 1, 4),
    ("400", 1, 3),
    ("500", 1, 9),
    ("600", 1, 5),
    ("900", 1, 5),
    ("999", 1, 1),
];

fn section_8_codes() -> Vec<String> {
    let mut codes: Vec<String> =
        SECTION_8.iter().flat_map(|&(f, a, b)| (a..=b).map(move |n| format!("{f}-{n:03}"))).collect();
    codes.push("10001".into());
    codes
}

#[test]
fn every_retcode_of_reference_section_8_has_a_named_status() {
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/ccgw.h")).unwrap();
    let generic = unsafe { CStr::from_ptr(ccgw_status_str(CCGW_E_GATEWAY)) }.to_str().unwrap().to_string();
    let codes = section_8_codes();
    assert_eq!(codes.len(), 126);
    for rc in &codes {
        let status = from_retcode(rc);
        assert!(ccgw_status_is_gateway(status), "{rc}");
        let text = unsafe { CStr::from_ptr(ccgw_status_str(status)) }.to_str().unwrap();
        assert_ne!(text, generic, "{rc} has no text of its own");
        assert!(text.contains(rc.as_str()), "{rc}: {text}");
        let named = header.lines().any(|l| {
            l.starts_with("#define CCGW_E_GW_") && l.split_whitespace().nth(2) == Some(status.to_string().as_str())
        });
        assert!(named, "{rc} ({status}) has no CCGW_E_GW_* macro in ccgw.h");
    }
    // When the reference is at hand, every code it lists (singly or as a range) is above.
    let Ok(reference) = std::fs::read_to_string("/work/shared/reference/ccgw-api.md") else { return };
    let section = reference.split("## 8. Error codes").nth(1).unwrap().split("\n## 9.").next().unwrap();
    let bytes = section.as_bytes();
    let code_at = |i: usize| -> Option<String> {
        let s = section.get(i..i + 7)?;
        let b = s.as_bytes();
        (b[3] == b'-' && b[..3].iter().chain(&b[4..]).all(u8::is_ascii_digit)).then(|| s.to_string())
    };
    let mut seen = 0;
    for i in 0..bytes.len().saturating_sub(7) {
        if (i > 0 && bytes[i - 1].is_ascii_digit()) || bytes.get(i + 7).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Some(code) = code_at(i) else { continue };
        assert!(codes.contains(&code), "§8 lists {code}, which the table above lacks");
        seen += 1;
        // `A…B`: every code between.
        if section[i + 7..].starts_with('…') {
            if let Some(end) = code_at(i + 7 + '…'.len_utf8()) {
                let (f, a) = code.split_at(3);
                let (a, b): (u32, u32) = (a[1..].parse().unwrap(), end[4..].parse().unwrap());
                for n in a..=b {
                    assert!(codes.contains(&format!("{f}-{n:03}")), "§8 range {code}…{end}");
                }
            }
        }
    }
    assert!(seen > 80, "the reference's §8 was read: {seen} codes");
}

#[test]
fn the_cti_code_of_an_unknown_error_message_is_a_field_of_the_last_error() {
    let a = sim(json!({}));
    let pem = a.ca_pem().unwrap().to_string();
    let s = Opts::new(&[a.base_url().to_string()], &pem, "310").session();
    expect(sign_in(&s), CCGW_OK);
    let mut spec = FaultSpec::new(OP, FaultKind::Retcode).with_retcode("100-007");
    spec.message = Some("Unknown ERROR._10001".into());
    a.add_fault(spec).unwrap();
    assert_eq!(operate(&s), CCGW_E_GW_AGENT_EXCEPTION);
    assert_eq!(ccgw_last_error_cti_code(), 10001);
    assert_eq!(ccgw_last_error_retcode_str(), "100-007");
    // None without the marker; cleared by the next call.
    a.add_fault(FaultSpec::new(OP, FaultKind::Retcode).with_retcode("100-007")).unwrap();
    assert_eq!(operate(&s), CCGW_E_GW_AGENT_EXCEPTION);
    assert_eq!(ccgw_last_error_cti_code(), 0);
}

fn ccgw_last_error_retcode_str() -> String {
    unsafe { CStr::from_ptr(ccgw_last_error_retcode()) }.to_string_lossy().into_owned()
}

#[test]
fn option_versions_1_and_2_keep_working_and_version_3_is_checked() {
    let a = sim(json!({}));
    let pem = a.ca_pem().unwrap();
    let url = cs(a.base_url());
    let agent = cs("312");
    for version in [1, 2] {
        // A struct of the current size, its version-3 tail marked: an older caller's
        // init must leave it alone, and its session must work.
        let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
        raw.switchover_wait_ms = 0xdead;
        raw.retry_rounds = 0xbeef;
        expect(unsafe { ccgw_session_options_init(&mut raw, version) }, CCGW_OK);
        assert_eq!((raw.version, raw.switchover_wait_ms, raw.retry_rounds), (version, 0xdead, 0xbeef));
        raw.base_url = url.as_ptr();
        raw.agent_id = agent.as_ptr();
        raw.ca_pem = pem.as_ptr();
        raw.ca_pem_len = pem.len();
        let mut s = ptr::null_mut();
        expect(unsafe { ccgw_session_new(&raw, &mut s) }, CCGW_OK);
        let s = S(s);
        expect(sign_in(&s), CCGW_OK);
        expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    }
    let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut raw, 3) }, CCGW_OK);
    assert_eq!(
        (
            raw.switchover_wait_ms,
            raw.failback_after_ms,
            raw.retry_backoff_initial_ms,
            raw.retry_backoff_max_ms,
            raw.retry_rounds
        ),
        (30_000, 60_000, 250, 5_000, 3)
    );
    raw.base_url = url.as_ptr();
    raw.agent_id = agent.as_ptr();
    let before = a.journal().len();
    for (initial, max, rounds) in [(2_000, 1_000, 3), (0, 100, 3), (100, 200, CCGW_RETRY_ROUNDS_MAX + 1)] {
        raw.retry_backoff_initial_ms = initial;
        raw.retry_backoff_max_ms = max;
        raw.retry_rounds = rounds;
        let mut s = ptr::null_mut();
        assert_eq!(unsafe { ccgw_session_new(&raw, &mut s) }, CCGW_E_OUT_OF_RANGE, "{initial} {max} {rounds}");
        assert!(s.is_null());
    }
    assert_eq!(a.journal().len(), before, "nothing sent");
    assert_eq!(unsafe { ccgw_session_options_init(&mut raw, 4) }, CCGW_E_UNSUPPORTED_VERSION);
}

#[test]
fn a_guid_rotated_on_a_switchover_answer_ridden_out_is_kept() {
    use common::hostile::{Answer, Hostile};
    use std::sync::atomic::{AtomicUsize, Ordering};
    const NEW: &str = "6d1f3c2a-0b4e-4f7a-9c1d-2e3f4a5b6c7d.AgentGateway0";
    let gw = Hostile::https();
    let n = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = n.clone();
    gw.answer(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Answer::retcode("000-004", "switching over").header("Set-GUID", format!("JSESSIONID={NEW}"))
        } else {
            Answer::ok(json!({}))
        }
    });
    let s = Opts::new(&[gw.base_url()], gw.ca_pem(), "313").session();
    let old = cs("JSESSIONID=00000000-0000-0000-0000-000000000000.AgentGateway0");
    expect(unsafe { ccgw_session_set_guid(s.0, old.as_ptr()) }, CCGW_OK);
    expect(read(&s), CCGW_OK);
    assert_eq!(n.load(Ordering::SeqCst), 2, "ridden out: asked twice");
    let mut out: *mut c_char = ptr::null_mut();
    expect(unsafe { ccgw_session_get_guid(s.0, &mut out) }, CCGW_OK);
    let guid = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
    unsafe { ccgw_string_free(out) };
    assert_eq!(guid, NEW, "the rotation on the 000-004 answer was kept");
}
