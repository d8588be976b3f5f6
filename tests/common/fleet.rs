//! N sessions through one switchover, against an in-process `ccgw_sim::Cluster`: every
//! session signed in on node A with `auto_resign_in` and its event pump running; node A
//! answers `000-004` for a moment and then refuses connections; each session must move to
//! node B, sign in again there (B does not know A's Guids) and poll on. Shared by the
//! standing drill (`tests/ha_drill.rs`, N = 50) and the benchmark (`benches/failover.rs`,
//! N = 1,000), so both measure the same thing.
//!
//! What is measured, from node B's journal (instants the simulator took, ms since the
//! epoch) and from each session's events:
//! - the retry instants: when each session's sign-in reached B (their spread shows whether
//!   the sessions retried in lockstep),
//! - the time to recover per session: from the start of the switchover to the answer of
//!   that session's first successful poll on B after its new sign-in,
//! - the process's threads and RSS before the sessions, with them running, and after they
//!   are freed.

use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{After, Cluster, ClusterConfig, Settings, SimConfig, Switchover};
use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::ptr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const FLEET_PASSWORD: &str = "fleet-pw-5521";
/// First agent id of the fleet.
pub const FIRST_AGENT: u32 = 2000;

/// How a fleet drill runs.
pub struct FleetConfig {
    pub sessions: usize,
    /// Threads signing the sessions in.
    pub sign_in_threads: usize,
    /// How long node A answers `000-004` before it refuses connections.
    pub busy_for: Duration,
    /// The sessions' `switchover_wait_ms`.
    pub switchover_wait_ms: u32,
    /// Bound on the whole recovery.
    pub recover_within: Duration,
}

/// What a fleet drill measured.
#[derive(Debug)]
pub struct FleetReport {
    pub sessions: usize,
    /// Sessions whose pump reported `CCGW_EVENT_SIGNED_IN_AGAIN` and none `PUMP_STOPPED`.
    pub signed_in_again: usize,
    /// Sessions signed in on node B at the end (the simulator's count).
    pub signed_in_on_b: usize,
    /// Gap reports per session (each should have exactly one).
    pub gap_reports: Vec<usize>,
    /// Per session: ms from the switchover's start to its sign-in reaching node B.
    pub retry_ms: Vec<u64>,
    /// Per session: ms from the switchover's start to its first answered poll on B after
    /// the new sign-in.
    pub recover_ms: Vec<u64>,
    /// Sign-in requests node B received per agent (1 each when nothing was sent twice).
    pub sign_ins_on_b: Vec<usize>,
    pub sign_in_s: f64,
    pub threads_before: u64,
    pub threads_running: u64,
    pub threads_after: u64,
    pub rss_kb_before: u64,
    pub rss_kb_running: u64,
    pub rss_kb_after: u64,
}

/// Sorted copy's percentile (0..=100).
pub fn percentile(v: &[u64], p: usize) -> u64 {
    if v.is_empty() {
        return 0;
    }
    let mut s = v.to_vec();
    s.sort_unstable();
    s[((s.len() - 1) * p / 100).min(s.len() - 1)]
}

pub fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

struct Session(*mut ccgw_session);
unsafe impl Send for Session {}
unsafe impl Sync for Session {}
impl Drop for Session {
    fn drop(&mut self) {
        unsafe { ccgw_session_free(self.0) };
    }
}

fn check(st: ccgw_status, what: &str) {
    assert_eq!(st, CCGW_OK, "{what}: status {st}");
}

/// The cluster a fleet runs against: no idle sign-out, short poll hold.
pub fn fleet_cluster() -> Cluster {
    let settings = Settings::default()
        .merged(&serde_json::json!({
            "default_password": FLEET_PASSWORD,
            "poll_wait_ms": 1000,
            "idle_signout_ms": 3_600_000,
            "journal_limit": 1_000_000,
        }))
        .expect("fleet settings");
    Cluster::start(ClusterConfig {
        sim: SimConfig { settings, threads: 2, ..SimConfig::default() },
        ..Default::default()
    })
    .expect("cluster starts")
}

/// One session of the fleet: version-3 options on A with B as fallback.
fn new_session(c: &Cluster, agent: u32, cfg: &FleetConfig) -> Session {
    new_session_at(c, 0, agent, cfg)
}

/// A session with node `primary` as its base URL and the other node as its fallback.
fn new_session_at(c: &Cluster, primary: usize, agent: u32, cfg: &FleetConfig) -> Session {
    let a = CString::new(c.base_urls()[primary].as_str()).unwrap();
    let b = CString::new(c.base_urls()[1 - primary].as_str()).unwrap();
    let id = CString::new(agent.to_string()).unwrap();
    let fallbacks: [*const c_char; 1] = [b.as_ptr()];
    let pem = c.ca_pem().expect("https cluster");
    let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
    check(unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) }, "options");
    o.base_url = a.as_ptr();
    o.fallback_urls = fallbacks.as_ptr();
    o.fallback_url_count = 1;
    o.agent_id = id.as_ptr();
    o.ca_pem = pem.as_ptr();
    o.ca_pem_len = pem.len();
    o.request_timeout_ms = 20_000;
    o.connect_timeout_ms = 2_000;
    o.switchover_wait_ms = cfg.switchover_wait_ms;
    o.retry_backoff_initial_ms = 100;
    o.retry_backoff_max_ms = 2_000;
    o.agent_id_max = 999_999;
    let mut s = ptr::null_mut();
    check(unsafe { ccgw_session_new(&o, &mut s) }, "session_new");
    let s = Session(s);
    let pw = CString::new(FLEET_PASSWORD).unwrap();
    let phone = CString::new("40038").unwrap();
    let mut si: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    check(unsafe { ccgw_sign_in_options_init(&mut si, CCGW_SIGN_IN_OPTIONS_VERSION) }, "sign-in options");
    si.password = pw.as_ptr();
    si.phonenum = phone.as_ptr();
    si.auto_resign_in = true;
    check(unsafe { ccgw_session_sign_in(s.0, &si, ptr::null(), ptr::null_mut()) }, "sign-in");
    let mut eo: ccgw_events_options = unsafe { std::mem::zeroed() };
    check(unsafe { ccgw_events_options_init(&mut eo, CCGW_EVENTS_OPTIONS_VERSION) }, "events options");
    eo.poll_interval_ms = 20;
    eo.backoff_max_ms = 1_000;
    check(unsafe { ccgw_events_start(s.0, &eo) }, "events_start");
    s
}

/// Kinds of the library events a session's pump delivered until it reported having
/// signed in again (or stopped), within `limit`.
fn drain_until_signed_in_again(s: &Session, limit: Duration) -> Vec<i32> {
    let deadline = Instant::now() + limit;
    let mut kinds = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now()).as_millis() as u32;
        if left == 0 {
            return kinds;
        }
        let mut out: *mut ccgw_event = ptr::null_mut();
        let st = unsafe { ccgw_events_next(s.0, left.min(500), &mut out) };
        if st != CCGW_OK {
            continue;
        }
        let kind = unsafe { (*out).kind };
        unsafe { ccgw_event_free(out) };
        kinds.push(kind);
        if kind == CCGW_EVENT_SIGNED_IN_AGAIN || kind == CCGW_EVENT_PUMP_STOPPED {
            return kinds;
        }
    }
}

/// Takes what else is queued (the gap report follows the new sign-in), briefly.
fn drain_rest(s: &Session, kinds: &mut Vec<i32>, quiet: Duration) {
    loop {
        let mut out: *mut ccgw_event = ptr::null_mut();
        if unsafe { ccgw_events_next(s.0, quiet.as_millis() as u32, &mut out) } != CCGW_OK {
            return;
        }
        kinds.push(unsafe { (*out).kind });
        unsafe { ccgw_event_free(out) };
    }
}

/// Starts the library's own threads (runtime, janitor) before a baseline is taken: one
/// session signed in on node A (which the drill switches over) with its pump, then freed.
pub fn warm_up(c: &Cluster) {
    let cfg = FleetConfig {
        sessions: 1,
        sign_in_threads: 1,
        busy_for: Duration::ZERO,
        switchover_wait_ms: 1_000,
        recover_within: Duration::ZERO,
    };
    let s = new_session_at(c, 0, FIRST_AGENT - 1, &cfg);
    let mut kinds = Vec::new();
    drain_rest(&s, &mut kinds, Duration::from_millis(200));
}

/// Hands freed heap memory back to the OS (glibc keeps it otherwise), so that RSS shows
/// what is still in use.
pub fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs the fleet drill on `c` (node 0 is switched over; it stays down afterwards).
pub fn run_fleet(c: &Cluster, cfg: &FleetConfig) -> FleetReport {
    let threads_before = proc_status("Threads:");
    let rss_kb_before = proc_status("VmRSS:");
    let started = Instant::now();
    let per = cfg.sessions.div_ceil(cfg.sign_in_threads.max(1));
    let sessions: Vec<Session> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..cfg.sign_in_threads.max(1))
            .map(|t| {
                scope.spawn(move || {
                    let from = t * per;
                    let to = ((t + 1) * per).min(cfg.sessions);
                    (from..to).map(|i| new_session(c, FIRST_AGENT + i as u32, cfg)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("sign-in thread")).collect()
    });
    let sign_in_s = started.elapsed().as_secs_f64();
    // Every pump's sign-in events taken, every pump holding a poll on A.
    for s in &sessions {
        let mut kinds = Vec::new();
        drain_rest(s, &mut kinds, Duration::from_millis(1));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while c.node(0).stats()["connections"].as_u64().unwrap_or(0) < cfg.sessions as u64 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let threads_running = proc_status("Threads:");
    let rss_kb_running = proc_status("VmRSS:");

    let b_mark = c.node(1).journal_mark();
    let t0 = now_ms();
    c.switchover(0, Switchover { busy_for: cfg.busy_for, then: After::Refuse }).expect("switchover");

    let mut signed_in_again = 0;
    let mut gap_reports = Vec::with_capacity(sessions.len());
    let until = Instant::now() + cfg.recover_within;
    for s in &sessions {
        let kinds = drain_until_signed_in_again(s, until.saturating_duration_since(Instant::now()));
        if kinds.last() == Some(&CCGW_EVENT_SIGNED_IN_AGAIN) {
            signed_in_again += 1;
        }
        gap_reports.push(kinds.iter().filter(|&&k| k == CCGW_EVENT_EVENTS_LOST).count());
    }
    // The gap report comes right after the new sign-in; give each pump a moment.
    for (s, gaps) in sessions.iter().zip(gap_reports.iter_mut()) {
        let mut kinds = Vec::new();
        drain_rest(s, &mut kinds, Duration::from_millis(20));
        *gaps += kinds.iter().filter(|&&k| k == CCGW_EVENT_EVENTS_LOST).count();
    }
    // A little longer for the last gap reports (they may trail under load).
    for (s, gaps) in sessions.iter().zip(gap_reports.iter_mut()) {
        if *gaps == 0 {
            let mut kinds = Vec::new();
            drain_rest(s, &mut kinds, Duration::from_millis(500));
            *gaps += kinds.iter().filter(|&&k| k == CCGW_EVENT_EVENTS_LOST).count();
        }
    }

    // Node B's journal: each agent's sign-in, then its first answered poll.
    let mut sign_in_at: HashMap<String, u64> = HashMap::new();
    let mut sign_ins: HashMap<String, usize> = HashMap::new();
    let mut first_poll: HashMap<String, u64> = HashMap::new();
    for e in c.node(1).journal_since(b_mark) {
        let Some(agent) = e.agent.clone() else { continue };
        if e.route == "onlineagent" && e.method == "PUT" {
            *sign_ins.entry(agent.clone()).or_default() += 1;
            if e.retcode.as_deref() == Some("0") {
                sign_in_at.entry(agent).or_insert(e.at_ms);
            }
        } else if e.route == "agentevent" && e.retcode.as_deref() == Some("0") && sign_in_at.contains_key(&agent) {
            first_poll.entry(agent).or_insert(e.at_ms + e.duration_ms);
        }
    }
    let retry_ms: Vec<u64> = sign_in_at.values().map(|&at| at.saturating_sub(t0)).collect();
    let recover_ms: Vec<u64> = first_poll.values().map(|&at| at.saturating_sub(t0)).collect();
    let sign_ins_on_b: Vec<usize> = sign_ins.values().copied().collect();
    let signed_in_on_b = c.node(1).stats()["signedIn"].as_u64().unwrap_or(0) as usize;

    drop(sessions);
    trim_heap();
    // Freed sessions' threads and connections wind down.
    let settle = Instant::now() + Duration::from_secs(10);
    while proc_status("Threads:") > threads_before && Instant::now() < settle {
        std::thread::sleep(Duration::from_millis(50));
    }
    FleetReport {
        sessions: cfg.sessions,
        signed_in_again,
        signed_in_on_b,
        gap_reports,
        retry_ms,
        recover_ms,
        sign_ins_on_b,
        sign_in_s,
        threads_before,
        threads_running,
        threads_after: proc_status("Threads:"),
        rss_kb_before,
        rss_kb_running,
        rss_kb_after: proc_status("VmRSS:"),
    }
}

impl FleetReport {
    /// One line per measure, for the test's output and the benchmark's report.
    pub fn summary(&self) -> String {
        let spread = |v: &[u64]| {
            format!(
                "min {} / median {} / p90 {} / max {} ms",
                percentile(v, 0),
                percentile(v, 50),
                percentile(v, 90),
                percentile(v, 100)
            )
        };
        format!(
            "sessions {}; signed in in {:.1} s\n\
             signed in again {} (node B has {} signed in); gap reports per session: {:?}\n\
             retry instants (sign-in reaching B, from the switchover start): {}\n\
             recovered (first answered poll on B): {}\n\
             threads before / running / after: {} / {} / {}\n\
             RSS before / running / after (sessions freed, heap trimmed): {} / {} / {} KB",
            self.sessions,
            self.sign_in_s,
            self.signed_in_again,
            self.signed_in_on_b,
            {
                let mut h: std::collections::BTreeMap<usize, usize> = Default::default();
                self.gap_reports.iter().for_each(|&g| *h.entry(g).or_default() += 1);
                h
            },
            spread(&self.retry_ms),
            spread(&self.recover_ms),
            self.threads_before,
            self.threads_running,
            self.threads_after,
            self.rss_kb_before,
            self.rss_kb_running,
            self.rss_kb_after,
        )
    }
}
