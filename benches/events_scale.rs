//! Many signed-in sessions with their event pumps running and an event callback each, in
//! one process, the simulator in another: the threads the library uses (the callback pool
//! included), memory per session, and the delay from an event being injected at the
//! simulator to the session's callback being invoked with it.
//!
//! Run: `cargo bench --bench events_scale` (`CCGW_SCALE_SESSIONS`, default 5000;
//! `CCGW_SCALE_SAMPLES`, latency samples, default 1000).

mod common;

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::CCGW_OK;
use std::ffi::c_void;
use std::ffi::CString;
use std::io::BufRead;
use std::process::{Command, Stdio};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
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
    // A callback per session, registered before its pump starts: every event goes through
    // the callback pool.
    let states: Vec<Arc<CbState>> = sessions.iter().map(|_| Arc::new(CbState::default())).collect();
    for (s, st) in sessions.iter().zip(&states) {
        let ud = Arc::into_raw(st.clone()) as *mut c_void;
        assert_eq!(unsafe { ccgw_events_set_callback(s.0, Some(on_event), ud, Some(release)) }, CCGW_OK);
    }
    let net0 = tcp_ext();
    let t = Instant::now();
    for s in &sessions {
        assert_eq!(unsafe { ccgw_events_start(s.0, ptr::null()) }, CCGW_OK);
    }
    let started = t.elapsed();
    // Every session's callback takes its sign-in events (`AgentOther_InService`, then
    // `AgentState_Ready`) before anything is measured: thousands of pumps connecting at once
    // may meet connect timeouts and retry with backoff (BENCHMARKS.md §2).
    let t = Instant::now();
    let deadline = t + Duration::from_secs(120);
    while states.iter().any(|st| !st.ready.load(Ordering::SeqCst)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let signin_events = t.elapsed();
    let signin_missing = states.iter().filter(|st| !st.ready.load(Ordering::SeqCst)).count();
    let net1 = tcp_ext();
    // Let every pump settle into a held poll.
    std::thread::sleep(Duration::from_secs(1));
    let running = sessions.iter().filter(|s| unsafe { ccgw_events_running(s.0) }).count();
    let rss1 = proc_status("VmRSS:");
    let threads = proc_status("Threads:");
    let names = thread_names();
    let pool = ccgw::dispatch::stats();
    let tally = |f: fn(&CbState) -> usize| states.iter().map(|st| f(st)).sum::<usize>();
    let (signin_errors, signin_stopped) =
        (tally(|st| st.pump_errors.load(Ordering::SeqCst)), tally(|st| st.pump_stopped.load(Ordering::SeqCst)));
    let mut statuses = std::collections::BTreeMap::<i32, usize>::new();
    let mut first_error = None;
    for st in &states {
        let e = st.errors.lock().unwrap();
        for (status, _) in e.iter() {
            *statuses.entry(*status).or_default() += 1;
        }
        if first_error.is_none() {
            first_error = e.first().map(|(_, m)| m.clone());
        }
    }
    let others_before = tally(|st| st.other.load(Ordering::SeqCst));

    // Latency: inject one event at the simulator; the time until the session's callback is
    // invoked with it.
    let control = control_client(&sim.ca);
    let mut lat = Vec::with_capacity(samples);
    let (mut lost, mut refused) = (0usize, 0usize);
    for i in 0..samples {
        let k = (i * 7919) % sessions.len();
        let agent = 1000 + sessions_agent(k, n, workers);
        let st = &states[k];
        let before = st.probes.load(Ordering::SeqCst);
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
        match st.wait_probe(before, Duration::from_secs(10)) {
            Some(at) => lat.push(at.saturating_sub(t0 as u64) as f64 / 1e6),
            None => lost += 1,
        }
    }
    lat.sort_by(f64::total_cmp);
    if lat.is_empty() {
        lat.push(f64::NAN);
    }
    let probe_errors = tally(|st| st.pump_errors.load(Ordering::SeqCst)) - signin_errors;
    let probe_stopped = tally(|st| st.pump_stopped.load(Ordering::SeqCst)) - signin_stopped;
    let probe_others = tally(|st| st.other.load(Ordering::SeqCst)) - others_before;
    let pool_after = ccgw::dispatch::stats();

    let t = Instant::now();
    for s in sessions {
        unsafe { ccgw_session_free(s.0) };
    }
    let freed = t.elapsed();

    let released = states.iter().filter(|st| st.released.load(Ordering::SeqCst)).count();
    let diff = |k: &str| net1.get(k).copied().unwrap_or(0).saturating_sub(net0.get(k).copied().unwrap_or(0));

    println!("| {n} sessions with event pumps and a callback each, one process | value |");
    println!("|---|---|");
    println!("| sessions signed in (8 threads) | {n} in {:.1} s |", signin.as_secs_f64());
    println!("| pumps started | {n} in {} ms |", started.as_millis());
    println!(
        "| sign-in events delivered to every callback / sessions still missing them | {:.1} s / {signin_missing} |",
        signin_events.as_secs_f64()
    );
    println!("| while delivering them: poll failures reported (retried) / pumps stopped | {signin_errors} / {signin_stopped} |");
    if let Some(e) = &first_error {
        println!("| first poll failure | {} |", e.replace('|', "/"));
        println!("| poll failures by status | {statuses:?} |");
    }
    println!(
        "| listen queue meanwhile (TcpExt ListenOverflows / ListenDrops / TCPReqQFullDrop) | {} / {} / {} |",
        diff("ListenOverflows"),
        diff("ListenDrops"),
        diff("TCPReqQFullDrop")
    );
    println!("| pumps running 1 s later | {running} |");
    println!("| process threads | {threads} ({names}) |");
    println!(
        "| callback pool: threads / added by the watchdog (after sign-in events, after probes) | {} / {}, {} |",
        pool.threads, pool.added, pool_after.added
    );
    println!(
        "| RSS before / with every pump running | {:.1} MB / {:.1} MB |",
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0
    );
    println!("| memory per session (RSS growth / sessions) | {:.1} KB |", (rss1 - rss0) as f64 / n as f64);
    println!(
        "| injection → callback invoked, {samples} events: median / p99 / max | {:.2} ms / {:.2} ms / {:.2} ms |",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!("| probes lost (none within 10 s) / injections refused | {lost} / {refused} |");
    println!(
        "| other events met after sign-in: poll failures / pumps stopped / others | {probe_errors} / {probe_stopped} / {probe_others} |"
    );
    println!(
        "| freeing every session (pump stopped, poll cancelled, callback released) | {:.2} s ({released} released) |",
        freed.as_secs_f64()
    );
    std::fs::remove_dir_all(dir).ok();
}

/// What a session's callback saw.
#[derive(Default)]
struct CbState {
    /// `AgentState_Ready` (the last sign-in event) arrived.
    ready: AtomicBool,
    /// `ccgw.PumpError`: a poll failed and the pump retries; (status, message) of each.
    pump_errors: AtomicUsize,
    errors: Mutex<Vec<(i32, String)>>,
    /// `ccgw.PumpStopped`: the pump gave up.
    pump_stopped: AtomicUsize,
    /// Anything else (neither sign-in events nor probes).
    other: AtomicUsize,
    /// Probes delivered, and when the last was (ns since the epoch).
    probes: AtomicU64,
    probe_at: AtomicU64,
    lock: Mutex<()>,
    cv: Condvar,
    released: AtomicBool,
}

impl CbState {
    /// Waits until more than `before` probes arrived; when the last did.
    fn wait_probe(&self, before: u64, limit: Duration) -> Option<u64> {
        let g = self.lock.lock().unwrap();
        let (_g, r) = self.cv.wait_timeout_while(g, limit, |_| self.probes.load(Ordering::SeqCst) == before).unwrap();
        (!r.timed_out()).then(|| self.probe_at.load(Ordering::SeqCst))
    }
}

unsafe extern "C" fn on_event(userdata: *mut c_void, e: *const ccgw_event) {
    let at = now_ns() as u64;
    let st = &*(userdata as *const CbState);
    let e = &*e;
    match std::ffi::CStr::from_ptr(e.type_name).to_bytes() {
        b"Latency_Probe" => {
            st.probe_at.store(at, Ordering::SeqCst);
            let _g = st.lock.lock().unwrap();
            st.probes.fetch_add(1, Ordering::SeqCst);
            st.cv.notify_all();
        }
        b"AgentState_Ready" => st.ready.store(true, Ordering::SeqCst),
        b"AgentOther_InService" => {}
        b"ccgw.PumpError" => {
            st.pump_errors.fetch_add(1, Ordering::SeqCst);
            let msg = if e.message.is_null() {
                String::new()
            } else {
                std::ffi::CStr::from_ptr(e.message).to_string_lossy().into_owned()
            };
            st.errors.lock().unwrap().push((e.status, msg));
        }
        b"ccgw.PumpStopped" => {
            st.pump_stopped.fetch_add(1, Ordering::SeqCst);
        }
        _ => {
            st.other.fetch_add(1, Ordering::SeqCst);
        }
    }
}

unsafe extern "C" fn release(userdata: *mut c_void) {
    let st = Arc::from_raw(userdata as *const CbState);
    st.released.store(true, Ordering::SeqCst);
}

/// The process's threads by name, counted: `main ×1, ccgw-runtime ×2, ...`.
fn thread_names() -> String {
    let mut names = std::collections::BTreeMap::<String, usize>::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if let Ok(comm) = std::fs::read_to_string(task.path().join("comm")) {
            *names.entry(comm.trim().to_string()).or_default() += 1;
        }
    }
    names.iter().map(|(k, v)| format!("{k} ×{v}")).collect::<Vec<_>>().join(", ")
}

/// The kernel's TCP extended counters (`/proc/net/netstat`, `TcpExt:`), by name.
fn tcp_ext() -> std::collections::HashMap<String, u64> {
    let text = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("TcpExt:")).collect();
    let mut out = std::collections::HashMap::new();
    if let [names, values] = rows[..] {
        for (k, v) in names.split_whitespace().zip(values.split_whitespace()).skip(1) {
            out.insert(k.to_string(), v.parse().unwrap_or(0));
        }
    }
    out
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
