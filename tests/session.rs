//! The session through the C ABI: sign-in and the Guid lifecycle, forced sign-in, options,
//! TLS verification, timeouts, cancellation, close, fail-over, and transport failures.

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::conf::ccgw_third_party_conf_transmit_num;
use ccgw::ffi::session::*;
use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::json;
use std::ffi::CStr;
use std::ptr;
use std::time::{Duration, Instant};

#[test]
fn sign_in_stores_the_guid_and_reports_the_result() {
    let sim = sim(json!({"agents": {"201": {"vdn": 7}}}));
    let s = session(&sim, "201");
    assert!(guid(&s).is_none());
    let pw = cs(PASSWORD);
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.status = 3;
    o.autoanswer = 0;
    let mut r: *mut ccgw_sign_in_result = ptr::null_mut();
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), &mut r) }, CCGW_OK);
    let res = unsafe { &*r };
    assert_eq!(res.vdn_id, 7);
    assert_eq!(unsafe { CStr::from_ptr(res.work_no) }.to_str().unwrap(), "201");
    assert_eq!(unsafe { CStr::from_ptr(res.media_type) }.to_str().unwrap(), "TTF");
    assert_eq!(unsafe { CStr::from_ptr(res.server_name) }.to_str().unwrap(), "AgentGateway");
    assert!(res.login_time > 0 && !res.forced && res.is_force_change == 0 && res.time_remaining == 90);
    unsafe { ccgw_sign_in_result_free(r) };

    let g = guid(&s).expect("a Guid after sign-in");
    assert!(g.ends_with(".AgentGateway0") && g.len() > 40, "the whole Guid, suffix kept: {g}");
    let sent = sim.journal().pop().unwrap();
    assert_eq!(sent.method, "PUT");
    assert_eq!(sent.path, "/agentgateway/resource/onlineagent/201");
    assert_eq!(sent.body, Some(json!({"password": "***", "status": 3, "autoanswer": false})));
    assert!(!sent.headers.contains_key("guid"), "sign-in carries no Guid header");
    // The next request carries the Guid the gateway issued.
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap_err();
    let next = sim.journal().pop().unwrap();
    assert_eq!(next.headers.get("guid").map(String::as_str), Some("<guid#1>"));
}

#[test]
fn already_signed_in_is_refused_unless_forced() {
    let sim = sim(json!({}));
    let first = signed_in(&sim, "202");
    let old = guid(&first).unwrap();
    let s = session(&sim, "202");
    let pw = cs(PASSWORD);
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_E_GW_ALREADY_SIGNED_IN);
    assert!(guid(&s).is_none());

    // Forced sign-in needs the phone number; refused before anything is sent.
    o.force = true;
    let mark = sim.journal_mark();
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_E_MISSING_ARGUMENT);
    assert!(sim.journal_since(mark).is_empty());

    let phone = cs("40038");
    o.phonenum = phone.as_ptr();
    let mut r: *mut ccgw_sign_in_result = ptr::null_mut();
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), &mut r) }, CCGW_OK);
    assert!(unsafe { (*r).forced });
    unsafe { ccgw_sign_in_result_free(r) };
    let routes: Vec<String> = sim.journal_since(mark).iter().map(|e| e.route.clone()).collect();
    assert_eq!(routes, ["onlineagent", "onlineagent/forcelogin"]);
    assert_ne!(guid(&s).unwrap(), old);
    // The first session's Guid died with the forced sign-in.
    expect(transmit(&first), CCGW_E_GW_NO_RIGHT);
}

#[test]
fn wrong_password_maps_to_wrong_credentials() {
    let sim = sim(json!({}));
    let s = session(&sim, "203");
    let pw = cs("not-the-password");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    expect(unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_E_GW_WRONG_CREDENTIALS);
    let (_, msg, rc, _) = last_error();
    assert_eq!(rc, "100-004");
    assert!(msg.starts_with("login: ") && !msg.contains("not-the-password"), "{msg}");
}

#[test]
fn sign_out_forgets_the_guid() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "204");
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_OK);
    assert!(guid(&s).is_none());
    assert_eq!(sim.agent_state(204)["signedIn"], false);
    expect(unsafe { ccgw_session_sign_out(s.0, ptr::null()) }, CCGW_E_NOT_SIGNED_IN);
}

#[test]
fn update_guid_and_attached_guid() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "205");
    let before = guid(&s).unwrap();
    expect(unsafe { ccgw_session_update_guid(s.0, ptr::null()) }, CCGW_OK);
    let after = guid(&s).unwrap();
    assert_ne!(before, after);
    // A second handle that did not sign in uses the Guid it is given.
    let other = session(&sim, "205");
    let g = cs(&after);
    expect(unsafe { ccgw_session_set_guid(other.0, g.as_ptr()) }, CCGW_OK);
    expect(transmit(&other), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    assert_eq!(sim.journal().pop().unwrap().headers["guid"], "<guid#2>");
    // Bad Guids are refused.
    let bad = cs("has space");
    expect(unsafe { ccgw_session_set_guid(other.0, bad.as_ptr()) }, CCGW_E_INVALID_ARGUMENT);
    let empty = cs("");
    expect(unsafe { ccgw_session_set_guid(other.0, empty.as_ptr()) }, CCGW_E_MISSING_ARGUMENT);
    let long = cs(&"g".repeat(257));
    expect(unsafe { ccgw_session_set_guid(other.0, long.as_ptr()) }, CCGW_E_TOO_LONG);
}

#[test]
fn set_guid_on_any_answer_replaces_the_guid() {
    let sim = sim(json!({"set_guid_on_every_response": true}));
    let s = signed_in(&sim, "206");
    let first = guid(&s).unwrap();
    // The gateway rotates behind the library's back and says so on an ordinary answer.
    sim.rotate_guid(206).unwrap();
    request(&s, "GET", "agentevent/{agentid}", None).unwrap();
    let rotated = guid(&s).unwrap();
    assert_ne!(first, rotated);
    // Even a refused answer carries it, and it is taken.
    expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    assert_eq!(guid(&s).unwrap(), rotated);
    assert_eq!(sim.journal().pop().unwrap().headers["guid"], "<guid#2>");
}

#[test]
fn session_options_are_validated_without_sending() {
    let sim = sim(json!({}));
    let mark = sim.journal_mark();
    let o = opts(&sim, "100");
    assert_eq!(new_session(&o).err(), Some(CCGW_E_OUT_OF_RANGE));
    let o = opts(&sim, "60000");
    assert_eq!(new_session(&o).err(), Some(CCGW_E_OUT_OF_RANGE));
    let mut o = opts(&sim, "60000");
    o.raw.agent_id_max = 999_999;
    assert!(new_session(&o).is_ok(), "the newer pages' range when asked");
    let o = opts(&sim, "12a");
    assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT));
    let mut o = opts(&sim, "101");
    let http = cs(&sim.base_url().replace("https", "http"));
    o.raw.base_url = http.as_ptr();
    assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT));
    let mut o = opts(&sim, "101");
    o.raw.auth_mode = 3;
    assert_eq!(new_session(&o).err(), Some(CCGW_E_OUT_OF_RANGE));
    let mut o = opts(&sim, "101");
    o.raw.version = CCGW_SESSION_OPTIONS_VERSION + 1;
    assert_eq!(new_session(&o).err(), Some(CCGW_E_UNSUPPORTED_VERSION));
    let mut o = opts(&sim, "101");
    let garbage = b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    o.raw.ca_pem = garbage.as_ptr();
    o.raw.ca_pem_len = garbage.len();
    assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT));
    let mut o = opts(&sim, "101");
    let missing = cs("/nonexistent/ca.pem");
    o.raw.ca_pem = ptr::null();
    o.raw.ca_pem_len = 0;
    o.raw.ca_file = missing.as_ptr();
    assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT));
    assert!(sim.journal_since(mark).is_empty());
}

#[test]
fn ca_file_is_read() {
    let sim = sim(json!({}));
    let dir = std::env::temp_dir().join(format!("ccgw-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ca.pem");
    std::fs::write(&path, sim.ca_pem().unwrap()).unwrap();
    let mut o = opts(&sim, "207");
    let p = cs(path.to_str().unwrap());
    o.raw.ca_pem = ptr::null();
    o.raw.ca_pem_len = 0;
    o.raw.ca_file = p.as_ptr();
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
    std::fs::remove_dir_all(dir).ok();
}

/// A session whose CA is `ca_file`, created on another thread with a deadline (a FIFO
/// must not block `ccgw_session_new`): the status and the message.
fn session_with_ca_file(sim: &ccgw_sim::Simulator, path: &std::path::Path) -> (ccgw_status, String) {
    let (url, owned) = (sim.base_url().to_string(), path.to_path_buf());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (url, agent, ca) = (cs(&url), cs("213"), cs(owned.to_str().unwrap()));
        let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
        expect(unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) }, CCGW_OK);
        o.base_url = url.as_ptr();
        o.agent_id = agent.as_ptr();
        o.ca_file = ca.as_ptr();
        let mut s = ptr::null_mut();
        let st = unsafe { ccgw_session_new(&o, &mut s) };
        let msg = last_error().1;
        unsafe { ccgw_session_free(s) };
        tx.send((st, msg)).ok();
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("ccgw_session_new blocked on ca_file {}", path.display()))
}

#[test]
fn ca_file_must_be_a_regular_file_of_at_most_1_mib() {
    let sim = sim(json!({}));
    let dir = std::env::temp_dir().join(format!("ccgw-ca-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = sim.ca_pem().unwrap();
    // Exactly the limit: the CA and padding text (outside PEM sections, ignored) is read.
    let at_limit = dir.join("at-limit.pem");
    let mut text = pem.to_string();
    while text.len() < 1024 * 1024 {
        let line = "padding outside any PEM section\n";
        text.push_str(&line[..line.len().min(1024 * 1024 - text.len())]);
    }
    std::fs::write(&at_limit, &text).unwrap();
    assert_eq!(session_with_ca_file(&sim, &at_limit), (CCGW_OK, String::new()));
    let over = dir.join("over.pem");
    text.push('\n');
    std::fs::write(&over, &text).unwrap();
    let fifo = dir.join("ca.fifo");
    let c = cs(fifo.to_str().unwrap());
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    // (path, word the message must contain)
    let refused: [(std::path::PathBuf, &str); 6] = [
        (fifo.clone(), "FIFO"),
        (dir.clone(), "directory"),
        (over, "1 MiB"),
        ("/nonexistent/ca.pem".into(), "cannot be opened"),
        ("/dev/null".into(), "device"),
        // Last: before the fix this one ate memory until the process died.
        ("/dev/zero".into(), "device"),
    ];
    let mark = sim.journal_mark();
    for (path, word) in &refused {
        let (st, msg) = session_with_ca_file(&sim, path);
        assert_eq!(st, CCGW_E_INVALID_ARGUMENT, "{}: {msg}", path.display());
        assert!(msg.starts_with("ca_file") && msg.contains(word), "{}: {msg}", path.display());
    }
    assert!(sim.journal_since(mark).is_empty());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_unknown_ca_fails_tls_and_only_the_insecure_option_gets_past() {
    let sim = sim(json!({}));
    let other = common::sim(json!({}));
    let mut o = opts(&sim, "208");
    let pem = other.ca_pem().unwrap().as_bytes();
    o.raw.ca_pem = pem.as_ptr();
    o.raw.ca_pem_len = pem.len();
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_E_TLS);
    let (_, msg, _, http) = last_error();
    assert!(msg.contains("TLS") && http == 0, "{msg}");
    assert!(sim.journal().is_empty(), "nothing reached the gateway");
    o.raw.insecure_accept_any_certificate = true;
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
}

#[test]
fn connection_refused_and_fail_over() {
    let sim = sim(json!({}));
    // A port with nothing listening: bind, note, close.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let dead_url = cs(&format!("https://127.0.0.1:{}", dead.port()));
    let mut o = opts(&sim, "209");
    o.raw.base_url = dead_url.as_ptr();
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_E_CONNECT);

    let live = cs(sim.base_url());
    let fallbacks = [live.as_ptr()];
    o.raw.fallback_urls = fallbacks.as_ptr();
    o.raw.fallback_url_count = 1;
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
    expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    assert_eq!(sim.journal().len(), 2, "both requests went to the live gateway");
}

#[test]
fn request_timeout_says_the_outcome_is_unknown() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "210");
    sim.add_fault(FaultSpec::new("voicecall/thirdPartyConfTransmitNum", FaultKind::Hang)).unwrap();
    let mut c: ccgw_call_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_call_options_init(&mut c, CCGW_CALL_OPTIONS_VERSION) }, CCGW_OK);
    c.timeout_ms = 300;
    let t = Instant::now();
    expect(unsafe { ccgw_third_party_conf_transmit_num(s.0, &c) }, CCGW_E_RESPONSE_TIMEOUT);
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(3), "{took:?}");
    assert!(last_error().1.contains("outcome is unknown"));
    // The abandoned request's connection is closed, so the gateway sees the client go
    // (and does not hold the request as pending, refusing the next one as a duplicate).
    wait_until("the gateway to see the client go", || sim.journal().last().is_some_and(|e| e.outcome == "hung"));
    // The session stays usable.
    expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
}

#[test]
fn cancel_token_and_close_interrupt_a_call() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "211");
    sim.add_fault(FaultSpec::new("voicecall/thirdPartyConfTransmitNum", FaultKind::Hang).times(2)).unwrap();

    let mut token: *mut ccgw_cancel = ptr::null_mut();
    expect(unsafe { ccgw_cancel_new(&mut token) }, CCGW_OK);
    let token_addr = token as usize;
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        unsafe { ccgw_cancel_cancel(token_addr as *const ccgw_cancel) }
    });
    let mut c: ccgw_call_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_call_options_init(&mut c, CCGW_CALL_OPTIONS_VERSION) }, CCGW_OK);
    c.cancel = token;
    let t = Instant::now();
    expect(unsafe { ccgw_third_party_conf_transmit_num(s.0, &c) }, CCGW_E_CANCELLED);
    assert!(t.elapsed() < Duration::from_secs(2));
    expect(canceller.join().unwrap(), CCGW_OK);
    unsafe { ccgw_cancel_free(token) };

    let s = std::sync::Arc::new(s);
    let s2 = s.clone();
    let closer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        unsafe { ccgw_session_close(s2.0) }
    });
    let t = Instant::now();
    expect(transmit(&s), CCGW_E_CLOSED);
    assert!(t.elapsed() < Duration::from_secs(2));
    expect(closer.join().unwrap(), CCGW_OK);
    expect(transmit(&s), CCGW_E_CLOSED);
    expect(unsafe { ccgw_session_close(s.0) }, CCGW_OK);
}

#[test]
fn each_transport_fault_has_its_own_status() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "212");
    let route = "voicecall/thirdPartyConfTransmitNum";
    let cases = [
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(500), CCGW_E_HTTP_STATUS, 500),
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(502), CCGW_E_BAD_GATEWAY, 502),
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(503), CCGW_E_GATEWAY_UNAVAILABLE, 503),
        (FaultSpec::new(route, FaultKind::MalformedJson), CCGW_E_MALFORMED_RESPONSE, 200),
        (FaultSpec::new(route, FaultKind::WrongContentType), CCGW_E_UNEXPECTED_CONTENT_TYPE, 200),
        (FaultSpec::new(route, FaultKind::TruncatedBody), CCGW_E_TRUNCATED_RESPONSE, 200),
        (FaultSpec::new(route, FaultKind::ResetBefore), CCGW_E_CONNECTION_LOST, 0),
        (FaultSpec::new(route, FaultKind::ResetAfter), CCGW_E_CONNECTION_LOST, 0),
        (FaultSpec::new(route, FaultKind::Switchover), CCGW_E_GW_SWITCHOVER, 200),
        (FaultSpec::new(route, FaultKind::GuidExpired), CCGW_E_GW_NO_RIGHT, 200),
        (FaultSpec::new(route, FaultKind::Retcode).with_retcode("100-007"), CCGW_E_GW_AGENT_EXCEPTION, 200),
        (FaultSpec::new(route, FaultKind::Delay).with_delay(50), CCGW_E_GW_TRANSMIT_NUM_FAILED, 200),
    ];
    for (spec, status, http) in cases {
        let kind = spec.kind;
        sim.add_fault(spec).unwrap();
        let st = transmit(&s);
        let (_, msg, _, h) = last_error();
        assert_eq!(st, status, "{kind:?}: {msg}");
        assert_eq!(h, http, "{kind:?}: http status");
        assert!(msg.starts_with("thirdPartyConfTransmitNum: "), "{kind:?}: {msg}");
        // The session is still usable after each.
        expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    }
}

#[test]
fn status_strings_cover_any_number() {
    for st in [CCGW_OK, CCGW_E_TLS, CCGW_E_GW_NOT_CHAIRPERSON, 1_104_003, 123_456, -1] {
        let s = unsafe { CStr::from_ptr(ccgw_status_str(st)) }.to_str().unwrap();
        assert!(!s.is_empty());
    }
    let s = unsafe { CStr::from_ptr(ccgw_status_str(CCGW_E_GW_NOT_CHAIRPERSON)) }.to_str().unwrap();
    assert!(s.contains("101-002"));
    assert!(ccgw_status_is_gateway(CCGW_E_GW_TRANSMIT_NUM_FAILED) && !ccgw_status_is_gateway(CCGW_E_CLOSED));
    let v = unsafe { CStr::from_ptr(ccgw_version()) }.to_str().unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
    assert_eq!(ccgw_abi_version(), CCGW_ABI_VERSION);
}

/// `ccgw_session_options` as version 1 laid it out (the header before pinning).
#[repr(C)]
struct SessionOptionsV1 {
    version: u32,
    base_url: *const std::ffi::c_char,
    fallback_urls: *const *const std::ffi::c_char,
    fallback_url_count: usize,
    agent_id: *const std::ffi::c_char,
    agent_id_max: u32,
    ca_file: *const std::ffi::c_char,
    ca_pem: *const u8,
    ca_pem_len: usize,
    insecure_accept_any_certificate: bool,
    allow_plain_http: bool,
    connect_timeout_ms: u32,
    request_timeout_ms: u32,
    auth_mode: u32,
}

/// A program built against the version-1 header passes 1 and its shorter struct: `_init`
/// writes nothing past it, and the session works.
#[test]
fn version_1_session_options_keep_working() {
    let sim = sim(json!({}));
    // The struct sits at the start of a guarded buffer: nothing may be written past it.
    let mut buf = vec![0xA5u8; std::mem::size_of::<SessionOptionsV1>() + 64];
    let p = buf.as_mut_ptr().cast::<SessionOptionsV1>();
    assert_eq!(p.align_offset(std::mem::align_of::<SessionOptionsV1>()), 0);
    expect(unsafe { ccgw_session_options_init(p.cast(), 1) }, CCGW_OK);
    assert!(buf[std::mem::size_of::<SessionOptionsV1>()..].iter().all(|&b| b == 0xA5), "wrote past version 1");
    let url = cs(sim.base_url());
    let agent = cs("101");
    let pem = sim.ca_pem().unwrap().as_bytes();
    let v1 = unsafe { &mut *p };
    assert_eq!((v1.version, v1.connect_timeout_ms), (1, CCGW_DEFAULT_CONNECT_TIMEOUT_MS));
    v1.base_url = url.as_ptr();
    v1.agent_id = agent.as_ptr();
    v1.ca_pem = pem.as_ptr();
    v1.ca_pem_len = pem.len();
    let mut raw = std::ptr::null_mut();
    expect(unsafe { ccgw_session_new(p.cast(), &mut raw) }, CCGW_OK);
    let s = S(raw);
    expect(sign_in(&s), CCGW_OK);
}
