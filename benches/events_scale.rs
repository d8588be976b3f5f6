//! Many signed-in sessions with their event pumps running in one process, the simulator in
//! another: the threads the library uses, memory per session, and the delay from an event
//! being injected at the simulator to the application taking it.
//!
//! Run: `cargo bench --bench events_scale` (`CCGW_SCALE_SESSIONS`, default 5000;
//! `CCGW_SCALE_SAMPLES`, latency samples, default 1000).

mod common;

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::CCGW_OK;
use std::ffi::CString;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::ptr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Sim {
    child: std::process::Child,
    url: String,
    ca: Vec<u8>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sim(dir: &std::path::Path) -> Sim {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let ok =
        Command::new(cargo).args(["build", "--release", "-q", "-p", "ccgw-sim"]).current_dir(root).status().unwrap();
    assert!(ok.success());
    let target =
        std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| root.join("target"));
    let ca_path = dir.join("ca.pem");
    let mut child = Command::new(target.join("release/ccgw-sim"))
        .args(["--port", "0", "--threads", "2", "--password", "pw", "--ca-out"])
        .arg(&ca_path)
        .args(["--set", "poll_wait_ms=10000", "--set", "idle_signout_ms=3600000", "--set", "journal_limit=1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the simulator starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    Sim { child, url: line.trim().to_string(), ca: std::fs::read(ca_path).unwrap() }
}

fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next().map(|n| n.parse().unwrap()))
        .unwrap()
}

struct Handle(*mut ccgw_session);
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

fn session(sim: &Sim, agent: u32) -> Handle {
    let url = CString::new(sim.url.clone()).unwrap();
    let agent = CString::new(agent.to_string()).unwrap();
    let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
    unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) };
    o.base_url = url.as_ptr();
    o.agent_id = agent.as_ptr();
    o.ca_pem = sim.ca.as_ptr();
    o.ca_pem_len = sim.ca.len();
    let mut s = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o, &mut s) }, CCGW_OK);
    let pw = CString::new("pw").unwrap();
    let mut si: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    unsafe { ccgw_sign_in_options_init(&mut si, CCGW_SIGN_IN_OPTIONS_VERSION) };
    si.password = pw.as_ptr();
    assert_eq!(unsafe { ccgw_session_sign_in(s, &si, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    Handle(s)
}

/// A client for the simulator's control API (injecting events), on its own runtime.
struct Control {
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
}

fn control_client(pem: &[u8]) -> Control {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = {
        let _e = rt.enter();
        common::client_trusting(pem)
    };
    Control { rt, http }
}

fn now_ns() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: u32 = std::env::var("CCGW_SCALE_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let samples: usize = std::env::var("CCGW_SCALE_SAMPLES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = std::env::temp_dir().join(format!("ccgw-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sim = Arc::new(start_sim(&dir));

    let rss0 = proc_status("VmRSS:");
    let t = Instant::now();
    let workers = 8u32;
    let sessions: Vec<Handle> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..workers)
            .map(|w| {
                let sim = sim.clone();
                sc.spawn(move || {
                    (0..n).filter(|i| i % workers == w).map(|i| session(&sim, 1000 + i)).collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let signin = t.elapsed();
    let t = Instant::now();
    for s in &sessions {
        assert_eq!(unsafe { ccgw_events_start(s.0, ptr::null()) }, CCGW_OK);
    }
    let started = t.elapsed();
    // Every session takes its sign-in events (`AgentOther_InService`, then `AgentState_Ready`,
    // one per poll) before anything is measured: thousands of pumps connecting at once
    // meet connect timeouts and retry with backoff, so this takes 25-45 s on two shared
    // cores, and the fixed 3 s sleep this replaced left pumps in backoff: a probe then
    // timed out or met a sign-in or `ccgw.PumpError` event (the panic in about half the
    // runs; BENCHMARKS.md §2).
    let t = Instant::now();
    let deadline = t + Duration::from_secs(120);
    let mut signin_missing = 0usize;
    let mut signin_tally = Tally::default();
    for s in &sessions {
        if !take_until(s, "AgentState_Ready", deadline, &mut signin_tally) {
            signin_missing += 1;
        }
    }
    let signin_events = t.elapsed();
    // Let every pump settle into a held poll.
    std::thread::sleep(Duration::from_secs(1));
    let running = sessions.iter().filter(|s| unsafe { ccgw_events_running(s.0) }).count();
    let rss1 = proc_status("VmRSS:");
    let threads = proc_status("Threads:");
    // Anything still queued (none expected) is counted, not mistaken for a probe.
    let mut stray = 0usize;
    for s in &sessions {
        let mut e = ptr::null_mut();
        while unsafe { ccgw_events_next(s.0, 0, &mut e) } == CCGW_OK {
            unsafe { ccgw_event_free(e) };
            stray += 1;
        }
    }

    // Latency: inject one event at the simulator, take it from that session's queue.
    let control = control_client(&sim.ca);
    let mut lat = Vec::with_capacity(samples);
    let (mut lost, mut refused) = (0usize, 0usize);
    let mut probe_tally = Tally::default();
    for i in 0..samples {
        let k = (i * 7919) % sessions.len();
        let agent = 1000 + sessions_agent(k, n, workers);
        let t0 = now_ns();
        let url = format!("{}/sim/agents/{agent}/events", sim.url);
        let body = format!(r#"{{"eventType":"Latency_Probe","content":{{"t":{t0}}}}}"#);
        match control.rt.block_on(control.http.post(url).body(body).send()) {
            Ok(r) if r.status().is_success() => {}
            _ => {
                refused += 1;
                continue;
            }
        }
        if take_until(&sessions[k], "Latency_Probe", Instant::now() + Duration::from_secs(10), &mut probe_tally) {
            lat.push((now_ns() - t0) as f64 / 1e6);
        } else {
            lost += 1;
        }
    }
    lat.sort_by(f64::total_cmp);
    if lat.is_empty() {
        lat.push(f64::NAN);
    }

    let t = Instant::now();
    for s in sessions {
        unsafe { ccgw_session_free(s.0) };
    }
    let freed = t.elapsed();

    println!("| {n} sessions with event pumps, one process | value |");
    println!("|---|---|");
    println!("| sessions signed in (8 threads) | {n} in {:.1} s |", signin.as_secs_f64());
    println!("| pumps started | {n} in {} ms |", started.as_millis());
    println!(
        "| sign-in events taken by every session / sessions still missing them | {:.1} s / {signin_missing} |",
        signin_events.as_secs_f64()
    );
    println!(
        "| while taking them: poll failures reported (retried) / pumps stopped | {} / {} |",
        signin_tally.pump_errors, signin_tally.pump_stopped
    );
    if let Some(e) = &signin_tally.first_pump_error {
        println!("| first poll failure | {} |", e.replace('|', "/"));
        println!("| poll failures by status | {:?} |", signin_tally.pump_error_statuses);
    }
    println!("| pumps running 1 s later | {running} |");
    println!("| process threads (library: 2 runtime workers + 1 lane janitor) | {threads} |");
    println!(
        "| RSS before / with every pump running | {:.1} MB / {:.1} MB |",
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0
    );
    println!("| memory per session (RSS growth / sessions) | {:.1} KB |", (rss1 - rss0) as f64 / n as f64);
    println!(
        "| injection → application, {samples} events: median / p99 / max | {:.2} ms / {:.2} ms / {:.2} ms |",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!("| probes lost (none within 10 s) / injections refused | {lost} / {refused} |");
    println!(
        "| other events met after sign-in: poll failures / pumps stopped / others | {} / {} / {} |",
        probe_tally.pump_errors,
        probe_tally.pump_stopped,
        probe_tally.other + stray
    );
    println!("| freeing every session (pump stopped, poll cancelled) | {:.2} s |", freed.as_secs_f64());
    std::fs::remove_dir_all(dir).ok();
}

/// What was taken on the way to an awaited event.
#[derive(Default)]
struct Tally {
    /// `ccgw.PumpError`: a poll failed and the pump retries (the first one's content kept).
    pump_errors: usize,
    pump_error_statuses: std::collections::BTreeMap<i32, usize>,
    first_pump_error: Option<String>,
    /// `ccgw.PumpStopped`: a pump gave up.
    pump_stopped: usize,
    /// Anything else.
    other: usize,
}

/// Takes events of `s` until one named `name` (true) or `deadline` (false), counting in
/// `tally` what it took on the way.
fn take_until(s: &Handle, name: &str, deadline: Instant, tally: &mut Tally) -> bool {
    loop {
        let left = deadline.saturating_duration_since(Instant::now()).as_millis() as u32;
        let mut e = ptr::null_mut();
        if unsafe { ccgw_events_next(s.0, left.max(1), &mut e) } != CCGW_OK {
            return false;
        }
        let (ty, status, message) = unsafe { (std::ffi::CStr::from_ptr((*e).type_name), (*e).status, (*e).message) };
        let found = ty.to_bytes() == name.as_bytes();
        match ty.to_bytes() {
            _ if found => {}
            b"ccgw.PumpError" => {
                tally.pump_errors += 1;
                *tally.pump_error_statuses.entry(status).or_default() += 1;
                if tally.first_pump_error.is_none() && !message.is_null() {
                    tally.first_pump_error =
                        Some(unsafe { std::ffi::CStr::from_ptr(message) }.to_string_lossy().into());
                }
            }
            b"ccgw.PumpStopped" => tally.pump_stopped += 1,
            _ => tally.other += 1,
        }
        unsafe { ccgw_event_free(e) };
        if found {
            return true;
        }
    }
}

/// The agent id offset of the k-th session (sessions were collected per worker).
fn sessions_agent(k: usize, n: u32, workers: u32) -> u32 {
    let k = k as u32;
    let mut before = 0;
    for w in 0..workers {
        let count = (0..n).filter(|i| i % workers == w).count() as u32;
        if k < before + count {
            return w + (k - before) * workers;
        }
        before += count;
    }
    unreachable!()
}
