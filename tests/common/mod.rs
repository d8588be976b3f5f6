//! Helpers for the integration tests: a simulator on loopback HTTPS, sessions created
//! through the C ABI, and readers of the thread's last error.

#![allow(dead_code)]

pub mod conf;
pub mod hostile;
pub mod ops;
pub mod proxy;

use ccgw::agentconf::{ConfInfo, ConfParticipant};
use ccgw::ffi::common::*;
use ccgw::ffi::conf::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr;
use std::sync::Mutex;

pub const PASSWORD: &str = "secret-pw-7731";

/// A simulator with quick timings and a known password, plus `patch` settings.
pub fn sim(patch: Value) -> Simulator {
    let mut base = serde_json::json!({
        "default_password": PASSWORD,
        "conf_grant_delay_ms": 5,
        "invite_answer_delay_ms": 5,
        "poll_wait_ms": 500,
    });
    for (k, v) in patch.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    let settings = ccgw_sim::Settings::default().merged(&base).expect("test settings are valid");
    Simulator::start(SimConfig { settings, ..SimConfig::default() }).expect("simulator starts")
}

pub fn cs(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// The thread's last error: (status, message, retcode, http status).
pub fn last_error() -> (ccgw_status, String, String, i32) {
    let msg = unsafe { CStr::from_ptr(ccgw_last_error_message()) }.to_string_lossy().into_owned();
    let rc = unsafe { CStr::from_ptr(ccgw_last_error_retcode()) }.to_string_lossy().into_owned();
    (ccgw_last_error_status(), msg, rc, ccgw_last_error_http_status())
}

/// Asserts `status` equals `expected`, showing the last error otherwise.
#[track_caller]
pub fn expect(status: ccgw_status, expected: ccgw_status) {
    if status != expected {
        let (s, m, r, h) = last_error();
        panic!("status {status} (expected {expected}); last error {s} {m:?} retcode {r:?} http {h}");
    }
}

/// A session handle, freed on drop.
pub struct S(pub *mut ccgw_session);

unsafe impl Send for S {}
unsafe impl Sync for S {}

impl Drop for S {
    fn drop(&mut self) {
        unsafe { ccgw_session_free(self.0) };
    }
}

/// Session options for `sim`, with owned strings kept alive alongside.
pub struct Opts {
    pub raw: ccgw_session_options,
    _keep: Vec<CString>,
}

impl Opts {
    /// Options for `url` and `agent` with nothing else set (the system trust store).
    pub fn bare(url: &str, agent: &str) -> Opts {
        let url = cs(url);
        let agent = cs(agent);
        let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
        expect(unsafe { ccgw_session_options_init(&mut raw, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
        raw.base_url = url.as_ptr();
        raw.agent_id = agent.as_ptr();
        Opts { raw, _keep: vec![url, agent] }
    }
}

pub fn opts(sim: &Simulator, agent: &str) -> Opts {
    let url = cs(sim.base_url());
    let agent = cs(agent);
    let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut raw, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
    raw.base_url = url.as_ptr();
    raw.agent_id = agent.as_ptr();
    let pem = sim.ca_pem().expect("https simulator").as_bytes();
    raw.ca_pem = pem.as_ptr();
    raw.ca_pem_len = pem.len();
    raw.request_timeout_ms = 5_000;
    // `pem` borrows from the simulator, which outlives these options in every test.
    Opts { raw, _keep: vec![url, agent] }
}

pub fn new_session(o: &Opts) -> Result<S, ccgw_status> {
    let mut s = ptr::null_mut();
    let st = unsafe { ccgw_session_new(&o.raw, &mut s) };
    if st == CCGW_OK {
        assert!(!s.is_null());
        Ok(S(s))
    } else {
        assert!(s.is_null(), "out must stay NULL on failure");
        Err(st)
    }
}

pub fn session(sim: &Simulator, agent: &str) -> S {
    new_session(&opts(sim, agent)).unwrap_or_else(|st| panic!("session_new failed: {st} {:?}", last_error()))
}

pub fn sign_in_opts() -> ccgw_sign_in_options {
    let mut o: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_sign_in_options_init(&mut o, CCGW_SIGN_IN_OPTIONS_VERSION) }, CCGW_OK);
    o
}

pub fn sign_in(s: &S) -> ccgw_status {
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }
}

/// A session for `agent`, signed in.
pub fn signed_in(sim: &Simulator, agent: &str) -> S {
    let s = session(sim, agent);
    expect(sign_in(&s), CCGW_OK);
    s
}

pub fn guid(s: &S) -> Option<String> {
    let mut out: *mut c_char = ptr::null_mut();
    let st = unsafe { ccgw_session_get_guid(s.0, &mut out) };
    if st != CCGW_OK {
        return None;
    }
    let g = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
    unsafe { ccgw_string_free(out) };
    Some(g)
}

/// The generic request; returns the answer JSON or the status.
pub fn request(s: &S, method: &str, path: &str, body: Option<&str>) -> Result<Value, ccgw_status> {
    let m = cs(method);
    let p = cs(path);
    let b = body.map(cs);
    let mut out: *mut c_char = ptr::null_mut();
    let st = unsafe {
        ccgw_session_request(
            s.0,
            m.as_ptr(),
            p.as_ptr(),
            b.as_ref().map_or(ptr::null(), |b| b.as_ptr()),
            ptr::null(),
            &mut out,
        )
    };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    let text = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
    unsafe { ccgw_string_free(out) };
    Ok(serde_json::from_str(&text).expect("json_out is JSON"))
}

/// Calls out to `number` through the generic request; returns the call id.
pub fn callout(s: &S, number: &str) -> String {
    let v = request(s, "PUT", "voicecall/{agentid}/callout", Some(&format!(r#"{{"called":"{number}"}}"#)))
        .unwrap_or_else(|st| panic!("callout failed {st} {:?}", last_error()));
    v["result"].as_str().expect("callout returns the call id").to_string()
}

/// Waits (bounded) until `cond` holds.
#[track_caller]
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !cond() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Requests a conference for the signed-in agent and waits until the simulator granted it;
/// returns its id.
pub fn conference(sim: &Simulator, s: &S, agent: &str) -> i64 {
    request(s, "POST", "agentconf/{agentid}/requestagentconf", Some(r#"{"memberNum": 10}"#))
        .unwrap_or_else(|st| panic!("requestagentconf failed {st} {:?}", last_error()));
    let mut id = 0;
    wait_until("the conference to be granted", || {
        let confs = sim.confs();
        confs["confs"].as_array().unwrap().iter().any(|c| {
            let ok = c["chair"] == agent && c["granted"] == true;
            if ok {
                id = c["confId"].as_i64().unwrap();
            }
            ok
        })
    });
    id
}

/// The participant array for a batch invite; keeps its strings alive.
pub struct Invitees {
    pub list: Vec<ccgw_participant>,
    _keep: Vec<CString>,
}

pub fn invitees(entries: &[(i32, &str)]) -> Invitees {
    let keep: Vec<CString> = entries.iter().map(|(_, a)| cs(a)).collect();
    let list = entries
        .iter()
        .zip(&keep)
        .map(|((t, _), a)| ccgw_participant {
            address_type: *t,
            address: a.as_ptr(),
            device_call_type: -1,
            device_type: -1,
        })
        .collect();
    Invitees { list, _keep: keep }
}

pub fn batch_add(s: &S, inv: &Invitees, fill: impl FnOnce(&mut ccgw_batch_add_request)) -> ccgw_status {
    let mut r: ccgw_batch_add_request = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_batch_add_request_init(&mut r, CCGW_BATCH_ADD_REQUEST_VERSION) }, CCGW_OK);
    r.participants = inv.list.as_ptr();
    r.participant_count = inv.list.len();
    fill(&mut r);
    unsafe { ccgw_batch_add_participant(s.0, &r, ptr::null()) }
}

pub fn hold(s: &S, address_type: i32, address: &str, voice_path: Option<&str>) -> ccgw_status {
    let a = cs(address);
    let v = voice_path.map(cs);
    let mut r: ccgw_hold_request = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_hold_request_init(&mut r, CCGW_HOLD_REQUEST_VERSION) }, CCGW_OK);
    r.address_type = address_type;
    r.address = a.as_ptr();
    r.voice_path = v.as_ref().map_or(ptr::null(), |v| v.as_ptr());
    unsafe { ccgw_hold_participant(s.0, &r, ptr::null()) }
}

/// Runs queryconfinfos through the C ABI; copies the C result tree into Rust values.
pub fn query(s: &S, ids: &[i64]) -> Result<Vec<ConfInfo>, ccgw_status> {
    let mut out: *mut ccgw_conf_list = ptr::null_mut();
    let st = unsafe { ccgw_query_conf_infos(s.0, ids.as_ptr(), ids.len(), ptr::null(), &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    let list = unsafe { &*out };
    let confs = (0..list.count)
        .map(|i| {
            let c = unsafe { &*list.confs.add(i) };
            let participants = (0..c.participant_count)
                .map(|j| {
                    let p = unsafe { &*c.participants.add(j) };
                    ConfParticipant {
                        address_type: p.address_type,
                        address: unsafe { CStr::from_ptr(p.address) }.to_string_lossy().into_owned(),
                        device_call_type: p.device_call_type,
                        device_type: p.device_type,
                        channel_attrib: p.channel_attrib,
                        channel_state: p.channel_state,
                        role: p.role,
                        enter_time: p.enter_time,
                    }
                })
                .collect();
            ConfInfo {
                conf_id: c.conf_id,
                conf_state: c.conf_state,
                start_time: c.start_time,
                apply_conf_time: c.apply_conf_time,
                conf_have_been_time: c.conf_have_been_time,
                participants,
            }
        })
        .collect();
    unsafe { ccgw_conf_list_free(out) };
    Ok(confs)
}

pub fn conf_join(s: &S, callid: &str, data: Option<&str>) -> ccgw_status {
    let c = cs(callid);
    let d = data.map(cs);
    unsafe { ccgw_conf_join(s.0, c.as_ptr(), d.as_ref().map_or(ptr::null(), |d| d.as_ptr()), ptr::null()) }
}

pub fn transmit(s: &S) -> ccgw_status {
    unsafe { ccgw_third_party_conf_transmit_num(s.0, ptr::null()) }
}

/// Journal entries after `mark` for gateway routes (everything the library sent).
pub fn sent_since(sim: &Simulator, mark: u64) -> Vec<ccgw_sim::JournalEntry> {
    sim.journal_since(mark)
}

/// An event copied out of its C struct.
#[derive(Debug, Clone)]
pub struct Ev {
    pub kind: i32,
    pub type_name: String,
    pub work_no: String,
    pub gen_time: i64,
    pub sequence: u64,
    pub content: Value,
    pub raw: Value,
    pub conf_id: i64,
    pub result: i64,
    pub change_type: i64,
    pub change_reason: i64,
    pub participant: String,
    pub participant_type: i64,
    pub cause: i64,
    pub callid: String,
    pub number: String,
    pub partners: Vec<String>,
    pub lost_count: u64,
    pub lost_reason: i32,
    pub status: ccgw_status,
    pub message: String,
    pub caller: String,
    pub called: String,
    pub phone_state: i64,
    pub reason: String,
    pub outcome: i32,
    pub tracker_id: u64,
    pub gap_start: i64,
    pub gap_end: i64,
    pub cause_status: ccgw_status,
    pub attempt: u32,
    /// Whether a snapshot came with the event (`CCGW_EVENT_SNAPSHOT`).
    pub has_snapshot: bool,
}

fn cstring(p: *const c_char) -> String {
    assert!(!p.is_null(), "event strings are never NULL");
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

impl Ev {
    pub fn from_c(e: &ccgw::ffi::events::ccgw_event) -> Ev {
        let partners = (0..e.partner_count).map(|i| cstring(unsafe { *e.partners.add(i) })).collect();
        Ev {
            kind: e.kind,
            type_name: cstring(e.type_name),
            work_no: cstring(e.work_no),
            gen_time: e.gen_time,
            sequence: e.sequence,
            content: serde_json::from_str(&cstring(e.content_json)).expect("content_json is JSON"),
            raw: serde_json::from_str(&cstring(e.event_json)).expect("event_json is JSON"),
            conf_id: e.conf_id,
            result: e.result,
            change_type: e.change_type,
            change_reason: e.change_reason,
            participant: cstring(e.participant),
            participant_type: e.participant_type,
            cause: e.cause,
            callid: cstring(e.callid),
            number: cstring(e.number),
            partners,
            lost_count: e.lost_count,
            lost_reason: e.lost_reason,
            status: e.status,
            message: cstring(e.message),
            caller: cstring(e.caller),
            called: cstring(e.called),
            phone_state: e.phone_state,
            reason: cstring(e.reason),
            outcome: e.outcome,
            tracker_id: e.tracker_id,
            gap_start: e.gap_start,
            gap_end: e.gap_end,
            cause_status: e.cause_status,
            attempt: e.attempt,
            has_snapshot: !e.snapshot.is_null(),
        }
    }

    /// The simulator's per-agent sequence number of a gateway event.
    pub fn sim_seq(&self) -> Option<u64> {
        self.raw.get("seq").and_then(Value::as_u64)
    }
}

/// Event options with quick timings for tests.
pub fn event_opts(
    f: impl FnOnce(&mut ccgw::ffi::events::ccgw_events_options),
) -> ccgw::ffi::events::ccgw_events_options {
    let mut o: ccgw::ffi::events::ccgw_events_options = unsafe { std::mem::zeroed() };
    expect(
        unsafe { ccgw::ffi::events::ccgw_events_options_init(&mut o, ccgw::ffi::events::CCGW_EVENTS_OPTIONS_VERSION) },
        CCGW_OK,
    );
    o.poll_interval_ms = 20;
    o.backoff_max_ms = 200;
    f(&mut o);
    o
}

pub fn start_events(s: &S, o: &ccgw::ffi::events::ccgw_events_options) {
    expect(unsafe { ccgw::ffi::events::ccgw_events_start(s.0, o) }, CCGW_OK);
}

/// The next event within `ms`, or the status (TIMEOUT, CLOSED).
pub fn next_event(s: &S, ms: u32) -> Result<Ev, ccgw_status> {
    let mut out: *mut ccgw::ffi::events::ccgw_event = ptr::null_mut();
    let st = unsafe { ccgw::ffi::events::ccgw_events_next(s.0, ms, &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    let ev = Ev::from_c(unsafe { &*out });
    unsafe { ccgw::ffi::events::ccgw_event_free(out) };
    Ok(ev)
}

/// Takes events until one of `type_name` arrives (bounded); returns it and those before it.
#[track_caller]
pub fn wait_event(s: &S, type_name: &str) -> (Ev, Vec<Ev>) {
    wait_for(s, type_name, |e| e.type_name == type_name)
}

/// Takes events until `pred` matches one (bounded); returns it and those before it.
#[track_caller]
pub fn wait_for(s: &S, what: &str, mut pred: impl FnMut(&Ev) -> bool) -> (Ev, Vec<Ev>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut before = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now()).as_millis() as u32;
        assert!(
            left > 0,
            "no {what} within 10 s; got {:?}",
            before.iter().map(|e: &Ev| e.type_name.clone()).collect::<Vec<_>>()
        );
        match next_event(s, left.min(500)) {
            Ok(e) if pred(&e) => return (e, before),
            Ok(e) => before.push(e),
            Err(CCGW_E_TIMEOUT) => {}
            Err(st) => panic!("waiting for {what}: status {st} {:?}", last_error()),
        }
    }
}

/// Session options for a hostile peer standing in for the gateway (its CA trusted).
pub fn hostile_opts(gw: &hostile::Hostile, base_suffix: &str, agent: &str) -> Opts {
    let url = cs(&format!("{}{base_suffix}", gw.base_url()));
    let agent = cs(agent);
    let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut raw, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
    raw.base_url = url.as_ptr();
    raw.agent_id = agent.as_ptr();
    let pem = gw.ca_pem().as_bytes();
    raw.ca_pem = pem.as_ptr();
    raw.ca_pem_len = pem.len();
    raw.request_timeout_ms = 3_000;
    // `pem` borrows from the peer, which outlives these options in every test.
    Opts { raw, _keep: vec![url, agent] }
}

/// A session against a hostile peer.
pub fn hostile_session(gw: &hostile::Hostile, agent: &str) -> S {
    new_session(&hostile_opts(gw, "", agent)).unwrap_or_else(|st| panic!("session_new failed: {st} {:?}", last_error()))
}

/// Attaches `guid` to the session.
pub fn attach_guid(s: &S, guid: &str) {
    let g = cs(guid);
    expect(unsafe { ccgw_session_set_guid(s.0, g.as_ptr()) }, CCGW_OK);
}

/// Log records captured by [`capture_record`]: (level, operation, message).
pub static RECORDS: Mutex<Vec<(i32, String, String)>> = Mutex::new(Vec::new());

/// A C log callback that appends every record to [`RECORDS`]. The log sink is
/// process-wide: a test binary that registers it should be the only one logging.
pub unsafe extern "C" fn capture_record(_userdata: *mut c_void, record: *const ccgw_log_record) {
    let r = &*record;
    let op = CStr::from_ptr(r.operation).to_string_lossy().into_owned();
    let msg = CStr::from_ptr(r.message).to_string_lossy().into_owned();
    RECORDS.lock().unwrap().push((r.level, op, msg));
}

/// Options for a session that is never meant to reach a gateway (nothing listens at
/// `url`, or what does is not checked): no CA, verification off.
pub fn unverified_opts(url: &str, agent: &str) -> Opts {
    let (url, agent) = (cs(url), cs(agent));
    let mut raw: ccgw_session_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_session_options_init(&mut raw, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
    raw.base_url = url.as_ptr();
    raw.agent_id = agent.as_ptr();
    raw.insecure_accept_any_certificate = true;
    Opts { raw, _keep: vec![url, agent] }
}

/// A call that failed in [`calls_at_gaps`]: (thread, call, gap ms, status, message).
pub type GapFailure = (usize, usize, u64, ccgw_status, String);

/// Each session on its own thread makes `calls` calls, sleeping `gap(thread, call)` ms
/// before each: reads (`GET agentstatus`) for `"GET"`, else bodiless POSTs (`saybusy` and
/// `sayfree` in turn); returns the calls that failed.
pub fn calls_at_gaps(
    sessions: &[S],
    method: &str,
    calls: usize,
    gap: impl Fn(usize, usize) -> u64 + Sync,
) -> Vec<GapFailure> {
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for (t, s) in sessions.iter().enumerate() {
            let (failures, gap) = (&failures, &gap);
            scope.spawn(move || {
                for i in 0..calls {
                    let ms = gap(t, i);
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                    let path = match (method, i % 2) {
                        ("GET", _) => "onlineagent/{agentid}/agentstatus",
                        (_, 0) => "onlineagent/{agentid}/saybusy",
                        _ => "onlineagent/{agentid}/sayfree",
                    };
                    if let Err(st) = request(s, method, path, None) {
                        failures.lock().unwrap().push((t, i, ms, st, last_error().1));
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

/// What a run of [`calls_at_gaps`] behind a front end that closes idle connections must
/// show, given what reached the gateway (`sent`): reads never fail (one that met a close is
/// sent once more) and reach the gateway exactly once each; an operation (POST) is never
/// sent twice, and one that met a close crossing it on the wire fails as
/// `CCGW_E_CONNECTION_LOST` (outcome unknown), never as anything else. Returns the number
/// of failed operations, for the report.
pub fn check_gap_run(what: &str, method: &str, calls: usize, failures: &[GapFailure], sent: usize) -> usize {
    eprintln!("{what}: {calls} {method} calls, {} failures, {sent} reached the gateway", failures.len());
    for f in failures.iter().take(5) {
        eprintln!("  {f:?}");
    }
    if method == "GET" {
        assert!(
            failures.is_empty(),
            "{} of {calls} reads failed: {:?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        );
        assert_eq!(sent, calls, "each read reached the gateway exactly once");
    } else {
        assert!(
            failures.iter().all(|f| f.3 == ccgw::status::CCGW_E_CONNECTION_LOST),
            "{:?}",
            &failures[..failures.len().min(5)]
        );
        assert!(sent <= calls, "an operation reached the gateway twice ({sent} for {calls} calls)");
        assert!(sent >= calls - failures.len(), "a successful operation did not reach the gateway");
    }
    failures.len()
}

/// Names of the threads of this process that the library started (`ccgw-*`), sorted
/// (read from `/proc/self/task`).
pub fn library_threads() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .map(|c| c.trim().to_string())
        .filter(|c| c.starts_with("ccgw-"))
        .collect();
    names.sort();
    names
}
