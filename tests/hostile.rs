//! A hostile network and a broken gateway, played by loopback peers that record what
//! reached them (`common::hostile`): redirects, request paths that try to leave the
//! gateway, `Set-GUID` values the library must refuse, retcodes and texts that would
//! forge log lines or bloat messages, malformed response heads. Each family is a table;
//! every case asserts the status, the message, the session's Guid, and what reached the
//! gateway and the would-be attacker host. Every log record of the run is captured (the
//! sink is process-wide, hence this file's own binary) and checked for control
//! characters and length.

mod common;

use ccgw::ffi::common::*;
use ccgw::ffi::conf::ccgw_conf_join;
use ccgw::ffi::events::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use common::hostile::{Answer, Hostile};
use common::*;
use serde_json::json;
use std::ptr;
use std::sync::Once;

// ------------------------------------------------------------------ log capture

fn capture_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        expect(unsafe { ccgw_set_log_callback(CCGW_LOG_TRACE, Some(capture_record), ptr::null_mut(), None) }, CCGW_OK)
    });
}

/// Longest log record or error message any hostile answer may produce.
const MESSAGE_CAP: usize = 1024;
/// Longest piece of network text quoted in one.
const NETWORK_TEXT_CAP: usize = 200;

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Every record so far: one line, bounded, and free of `needles`.
#[track_caller]
fn check_records(needles: &[&str]) {
    let records = RECORDS.lock().unwrap().clone();
    assert!(!records.is_empty(), "the run logged");
    for (level, op, msg) in &records {
        assert!(!has_control(msg) && !has_control(op), "record {level} {op}: {msg:?} has a control character");
        assert!(msg.chars().count() <= MESSAGE_CAP, "record {level} {op} is {} characters", msg.chars().count());
        for n in needles {
            assert!(!msg.contains(n), "record {level} {op}: {msg:?} contains {n:?}");
        }
    }
}

/// A failure's message: one line, bounded, free of `needles`.
#[track_caller]
fn check_message(what: &str, needles: &[&str]) -> String {
    let (_, msg, _, _) = last_error();
    assert!(!has_control(&msg), "{what}: message {msg:?} has a control character");
    assert!(msg.chars().count() <= MESSAGE_CAP, "{what}: message is {} characters", msg.chars().count());
    for n in needles {
        assert!(!msg.contains(n), "{what}: message {msg:?} contains {n:?}");
    }
    msg
}

const AGENT: &str = "153";
const OLD_GUID: &str = "0ld0ld00-1111-4222-8333-444455556666.AgentGateway0";

fn sign_in_force(s: &S, force: bool) -> ccgw_status {
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    o.force = force;
    unsafe { ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }
}

fn update_guid(s: &S) -> ccgw_status {
    unsafe { ccgw_session_update_guid(s.0, ptr::null()) }
}

fn confjoin(s: &S) -> ccgw_status {
    let c = cs("1712345678-42");
    unsafe { ccgw_conf_join(s.0, c.as_ptr(), ptr::null(), ptr::null()) }
}

fn generic(s: &S) -> ccgw_status {
    request(s, "POST", "agentconf/{agentid}/requestagentconf", Some(r#"{"memberNum":3}"#)).err().unwrap_or(CCGW_OK)
}

// ------------------------------------------------------------------ 1. redirects

#[test]
fn redirects_are_never_followed_and_name_only_the_origin() {
    capture_logs();
    let gw = Hostile::https();
    // Hosts the client would trust (same CA) and a plain-HTTP one: none may see anything.
    let evil = Hostile::https_like(&gw);
    let evil_http = Hostile::http();
    // (Location value, the origin the message must name; None: no usable origin)
    let locations: Vec<(Vec<u8>, Option<String>)> = vec![
        (format!("{}/agentgateway/resource/onlineagent/153?secretq=1", evil.base_url()).into(), Some(evil.base_url())),
        (format!("{}/secretpath/x?secretq=2", evil_http.base_url()).into(), Some(evil_http.base_url())),
        (format!("//127.0.0.1:{}/secretpath", evil.port()).into(), Some(evil.base_url())),
        (b"/agentgateway/resource/secretpath?secretq=3".to_vec(), Some(gw.base_url())),
        (b"secretpath/relative".to_vec(), Some(gw.base_url())),
        (format!("https://user:secretpw@127.0.0.1:{}/secretpath", evil.port()).into(), Some(evil.base_url())),
        (b"http://[::1".to_vec(), None),
        (b"https://\xc3\xa9vil.example/secretpath".to_vec(), None),
        (b"".to_vec(), None),
        (b"javascript:alert(1)//secretpath".to_vec(), None),
    ];
    let statuses = [301u16, 302, 303, 307, 308];
    type Op = (&'static str, fn(&S) -> ccgw_status, bool);
    let ops: [Op; 5] = [
        ("login", |s| sign_in_force(s, false), false),
        ("confJoin", confjoin, true),
        ("requestagentconf", generic, true),
        ("updateGuid", update_guid, true),
        (
            "ccgw_session_request GET",
            |s| request(s, "GET", "agentevent/{agentid}", None).err().unwrap_or(CCGW_OK),
            true,
        ),
    ];
    let mut cases = 0;
    for (op_name, op, with_guid) in ops {
        for status in statuses {
            for (location, origin) in locations.iter().chain([(b"<no Location>".to_vec(), None)].iter()) {
                let what = format!("{op_name} HTTP {status} Location {:?}", String::from_utf8_lossy(location));
                let loc = location.clone();
                gw.answer(move |_| {
                    let a = Answer::json(status, r#"{"retcode":"0","message":"moved"}"#)
                        .header("Set-GUID", "JSESSIONID=redirect-guid-7a7a7a.AgentGateway0");
                    if loc == b"<no Location>" {
                        a
                    } else {
                        a.header("Location", &loc)
                    }
                });
                let s = hostile_session(&gw, AGENT);
                if with_guid {
                    attach_guid(&s, OLD_GUID);
                }
                let before = gw.requests().len();
                let st = op(&s);
                assert_eq!(st, CCGW_E_HTTP_STATUS, "{what}: {:?}", last_error());
                let (_, _, rc, http) = last_error();
                assert_eq!((rc.as_str(), http), ("", i32::from(status)), "{what}");
                let msg = check_message(&what, &["secretpath", "secretq", "secretpw", "user", "alert"]);
                assert!(msg.contains(&status.to_string()) && msg.contains("redirect"), "{what}: {msg}");
                if let Some(o) = origin {
                    assert!(msg.contains(o.as_str()), "{what}: {msg} does not name {o}");
                }
                assert_eq!(gw.requests().len(), before + 1, "{what}: exactly one request, nothing re-sent");
                let expected = with_guid.then(|| OLD_GUID.to_string());
                assert_eq!(guid(&s), expected, "{what}: no Set-GUID is taken from a redirect");
                cases += 1;
            }
        }
    }
    assert_eq!((evil.connections(), evil_http.connections()), (0, 0), "nothing reached another host");
    assert_eq!(cases, 275);
    check_records(&["secretpath", "secretq", "secretpw", "redirect-guid"]);
}

// ------------------------------------------------------------------ 2. request paths

#[test]
fn request_paths_cannot_leave_the_resource_root() {
    capture_logs();
    let gw = Hostile::https();
    let evil = Hostile::https_like(&gw);
    let evil_http = Hostile::http();
    let (e, h) = (evil.port(), evil_http.port());
    // Every one of these is refused with an argument status and nothing is sent.
    let refused: Vec<String> = vec![
        format!("http:127.0.0.1:{h}/x"),
        format!("https:127.0.0.1:{e}/x"),
        format!("HTTPS:127.0.0.1:{e}/x"),
        format!("https:/127.0.0.1:{e}/x"),
        format!("https://127.0.0.1:{e}/x"),
        format!("http://127.0.0.1:{h}/x"),
        format!("//127.0.0.1:{e}/x"),
        format!("///127.0.0.1:{e}/x"),
        format!("\\\\127.0.0.1:{e}\\x"),
        format!("\\/127.0.0.1:{e}/x"),
        format!("/\\127.0.0.1:{e}/x"),
        format!("\\\\127.0.0.1:{e}/x"),
        format!("@127.0.0.1:{e}/x"),
        format!("x@127.0.0.1:{e}/x"),
        format!("agentconf:x@127.0.0.1:{e}/x"),
        format!("127.0.0.1:{e}/x"),
        "%2e%2e/%2e%2e/x".into(),
        "%2E%2E/%2E%2E/x".into(),
        ".%2e/x".into(),
        "%2e./x".into(),
        "%2e/x".into(),
        "agentconf/%2e%2e/%2e%2e/%2e%2e/x".into(),
        "..%2fx".into(),
        "..%2F..%2Fx".into(),
        "%2f%2fx".into(),
        "agentconf%2f..%2f..%2fx".into(),
        "%5c%5cx".into(),
        "..%5cx".into(),
        "%252e%252e/x".into(),
        "..;/x".into(),
        "agentconf/..;/..;/x".into(),
        "agentconf/{agentid};jsessionid=x/y".into(),
        "..\\x".into(),
        "agentconf\\..\\..\\x".into(),
        "agentconf/../../x".into(),
        "agentconf/{agentid}/../../../x".into(),
        "../x".into(),
        "..".into(),
        ".".into(),
        "./x".into(),
        "agentconf/./x".into(),
        "agentconf//x".into(),
        "agentconf/{agentid}/".into(),
        "/agentgateway/resource/agentconf/{agentid}/x".into(),
        "?x=1".into(),
        "{agentid}/..".into(),
        "{{agentid}}/x".into(),
        "{agent{agentid}id}/x".into(),
        "agentconf/{agentid}}/x".into(),
        "agentconf/{callid}/x".into(),
        "agentconf/{AGENTID}/x".into(),
        "agentconf/%7bagentid%7d/x".into(),
        "agentconf/{agentid}/x%00y".into(),
        "agentconf/{agentid}/x\u{1}y".into(),
        "agentconf/{agentid}/x\u{7f}".into(),
        "agentconf/{agentid}/x\ty".into(),
        "agentconf/{agentid}/x\r\nHost: evil".into(),
        "agentconf/{agentid}/x\u{85}".into(),
        "agentconf/{agentid}/x\u{2028}".into(),
        "agentconf/{agentid}/x y".into(),
        "agentconf/{agentid}/x\u{a0}y".into(),
        "agentconf/{agentid}/x\u{ff0f}y".into(),
        "\u{ff0e}\u{ff0e}/x".into(),
        "agentconf/{agentid}/\u{2024}\u{2024}/x".into(),
        "agentconf/{agentid}/é".into(),
        "agentconf/{agentid}/x#frag".into(),
        "agentconf/{agentid}/x?a=1#frag".into(),
        "agentconf/{agentid}/x?a=1 2".into(),
        "agentconf/{agentid}/x?a=\r\nHost: evil".into(),
        "agentconf/{agentid}/x?a=\u{1}".into(),
        "agentconf/{agentid}/x:y".into(),
        "agentconf/{agentid}/x@y".into(),
        "agentconf/{agentid}/<x>".into(),
        "agentconf/{agentid}/x\"y".into(),
        "agentconf/{agentid}/x`y".into(),
        "agentconf/{agentid}/x|y".into(),
        "agentconf/{agentid}/x^y".into(),
        "agentconf/{agentid}/x[y]".into(),
        "mailto:x@evil".into(),
        "file:///etc/passwd".into(),
        "data:,x".into(),
        "javascript:alert(1)".into(),
    ];
    // Harmless though odd: sent, to the gateway, below the resource root, as shown.
    let sent: Vec<(String, String)> = vec![
        (
            "voicecall/{agentid}/gethold?callid=1712345678-42".into(),
            "voicecall/153/gethold?callid=1712345678-42".into(),
        ),
        (
            "onlineagent/{agentid}/resetskill/true?skillid=1&phonelinkage=0".into(),
            "onlineagent/153/resetskill/true?skillid=1&phonelinkage=0".into(),
        ),
        ("voicecall/{agentid}/disconnect/+8613912345678".into(), "voicecall/153/disconnect/+8613912345678".into()),
        ("voicecall/{agentid}/dropcall/1712345678-42".into(), "voicecall/153/dropcall/1712345678-42".into()),
        (
            format!("agentconf/{{agentid}}/x?next=https://127.0.0.1:{e}/"),
            format!("agentconf/153/x?next=https://127.0.0.1:{e}/"),
        ),
        ("agentconf/{agentid}/x?a=%2e%2e/%2e%2e&b=..".into(), "agentconf/153/x?a=%2e%2e/%2e%2e&b=..".into()),
        ("agentconf/{agentid}/x?q=é".into(), "agentconf/153/x?q=%C3%A9".into()),
        ("agentconf/{agentid}/x?".into(), "agentconf/153/x?".into()),
        ("agentconf/{agentid}/...".into(), "agentconf/153/...".into()),
        ("agentconf/{agentid}/a.b~c_d-e".into(), "agentconf/153/a.b~c_d-e".into()),
        ("agentevent/{agentid}".into(), "agentevent/153".into()),
    ];
    let mut cases = 0;
    for prefix in ["", "/nslb/cc"] {
        let s = new_session(&hostile_opts(&gw, prefix, AGENT)).unwrap();
        attach_guid(&s, OLD_GUID);
        let root = format!("{prefix}/agentgateway/resource/");
        for path in &refused {
            let before = gw.requests().len();
            let st = request(&s, "GET", path, None).err();
            assert!(
                matches!(st, Some(CCGW_E_INVALID_ARGUMENT)),
                "{prefix} {path:?}: {st:?} {:?} (reached the gateway as {:?})",
                last_error(),
                gw.requests().get(before).map(|r| r.target.clone())
            );
            let msg = check_message(path, &["127.0.0.1", "evil", "passwd"]);
            assert!(msg.starts_with("path"), "{path:?}: {msg}");
            assert_eq!(gw.requests().len(), before, "{path:?}: nothing sent");
            cases += 1;
        }
        for (path, target) in &sent {
            request(&s, "POST", path, None).unwrap_or_else(|st| panic!("{path:?}: {st} {:?}", last_error()));
            let r = gw.requests().pop().unwrap();
            assert_eq!(r.target, format!("{root}{target}"), "{path:?}");
            assert_eq!(r.header("guid"), Some(OLD_GUID));
            cases += 1;
        }
        // Over-long paths are refused as too long, also before anything is sent.
        let before = gw.requests().len();
        let long = format!("agentconf/{{agentid}}/{}", "a".repeat(2048));
        assert_eq!(request(&s, "GET", &long, None).err(), Some(CCGW_E_TOO_LONG));
        assert_eq!(gw.requests().len(), before);
        cases += 1;
    }
    assert_eq!((evil.connections(), evil_http.connections()), (0, 0), "nothing reached another host");
    assert_eq!(cases, 2 * (refused.len() + sent.len() + 1));
    check_records(&[&format!("127.0.0.1:{e}"), &format!("127.0.0.1:{h}"), "1712345678-42", "8613912345678"]);
}

// ------------------------------------------------------------------ 3. Set-GUID

/// `Set-GUID` values no session may adopt, and the word the message must use for each.
fn unusable_set_guids() -> Vec<(Option<Vec<u8>>, &'static str)> {
    vec![
        (Some(b"JSESSIONID=has space.AgentGateway0".to_vec()), "space"),
        (Some(b"JSESSIONID=has\ttab.AgentGateway0".to_vec()), "space"),
        (Some(format!("JSESSIONID={}", "g".repeat(257)).into_bytes()), "256"),
        (Some(format!("JSESSIONID={}", "g".repeat(100_000)).into_bytes()), "256"),
        (Some(b"JSESSIONID=".to_vec()), "empty"),
        (Some(b"JSESSIONID=;Path=/".to_vec()), "empty"),
        (Some(b"".to_vec()), "empty"),
        (Some(b"JSESSIONID=caf\xc3\xa9.AgentGateway0".to_vec()), "ASCII"),
        (Some(b"JSESSIONID=\xff\xfe".to_vec()), "ASCII"),
        (None, "no Set-GUID"),
    ]
}

#[test]
fn an_unusable_set_guid_fails_sign_in_and_update_guid() {
    capture_logs();
    let gw = Hostile::https();
    let mut cases = 0;
    for (value, why) in unusable_set_guids() {
        for force in [false, true] {
            let what = format!("sign-in (force {force}) with Set-GUID {:?}", value.as_ref().map(|v| v.len()));
            let v = value.clone();
            gw.answer(move |req| {
                if force && !req.path().ends_with("/forcelogin") {
                    return Answer::retcode("100-002", "already signed in");
                }
                let a = Answer::ok(json!({"workno": AGENT}));
                match &v {
                    Some(v) => a.header("Set-GUID", v),
                    None => a,
                }
            });
            let s = hostile_session(&gw, AGENT);
            // A Guid from an earlier sign-in: a sign-in that reached the gateway ends it.
            attach_guid(&s, OLD_GUID);
            expect(sign_in_force(&s, force), CCGW_E_MALFORMED_RESPONSE);
            let msg = check_message(&what, &["has space", "has\ttab", "ggggggggggg", "caf"]);
            assert!(msg.contains(why), "{what}: {msg}");
            assert!(msg.contains("may be signed in"), "{what}: {msg}");
            assert_eq!(guid(&s), None, "{what}: the session holds no Guid after the failure");
            cases += 1;
        }
        // updateGuid: fails, and the session keeps the Guid it had.
        let v = value.clone();
        gw.answer(move |_| {
            let a = Answer::ok(json!({}));
            match &v {
                Some(v) => a.header("Set-GUID", v),
                None => a,
            }
        });
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        expect(update_guid(&s), CCGW_E_MALFORMED_RESPONSE);
        let msg = check_message("updateGuid", &["has space", "ggggggggggg", "caf"]);
        assert!(msg.starts_with("updateGuid: ") && msg.contains(why), "{msg}");
        assert_eq!(guid(&s).as_deref(), Some(OLD_GUID), "updateGuid failed: the Guid is unchanged");
        cases += 1;
    }
    assert_eq!(cases, 30);

    // The documented fallback: updateGuid's `result.guid` when the header is absent.
    gw.answer(|_| Answer::ok(json!({"guid": "from-result-guid.AgentGateway1"})));
    let s = hostile_session(&gw, AGENT);
    attach_guid(&s, OLD_GUID);
    expect(update_guid(&s), CCGW_OK);
    assert_eq!(guid(&s).as_deref(), Some("from-result-guid.AgentGateway1"));

    // A usable Set-GUID on an answer that is not the gateway's envelope: the agent may be
    // signed in, the session says so and keeps no Guid.
    gw.answer(|_| Answer::json(200, "<html>oops").header("Set-GUID", "JSESSIONID=usable-guid.AgentGateway0"));
    let s = hostile_session(&gw, AGENT);
    expect(sign_in_force(&s, false), CCGW_E_MALFORMED_RESPONSE);
    let msg = check_message("malformed sign-in", &["usable-guid"]);
    assert!(msg.contains("may be signed in"), "{msg}");
    assert_eq!(guid(&s), None);

    // A refusal never changes the Guid, whatever header it carries.
    gw.answer(|_| Answer::retcode("100-004", "wrong password").header("Set-GUID", "JSESSIONID=refusal-guid"));
    let s = hostile_session(&gw, AGENT);
    attach_guid(&s, OLD_GUID);
    expect(sign_in_force(&s, false), CCGW_E_GW_WRONG_CREDENTIALS);
    assert_eq!(guid(&s).as_deref(), Some(OLD_GUID));

    // Set-GUID only from 2xx answers: a 500 or a 401 carrying one changes nothing.
    for status in [500u16, 401, 404, 199] {
        gw.answer(move |_| Answer::json(status, "{}").header("Set-GUID", "JSESSIONID=error-guid.AgentGateway0"));
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        let st = confjoin(&s);
        assert_ne!(st, CCGW_OK, "HTTP {status}");
        assert_eq!(guid(&s).as_deref(), Some(OLD_GUID), "HTTP {status}: Set-GUID taken from a non-2xx answer");
    }

    // An ordinary operation whose answer carries an unusable Set-GUID still reports the
    // operation's own result (it ran), keeps the Guid, and logs why.
    gw.answer(|_| Answer::ok(json!({})).header("Set-GUID", "JSESSIONID=bad guid"));
    let s = hostile_session(&gw, AGENT);
    attach_guid(&s, OLD_GUID);
    expect(confjoin(&s), CCGW_OK);
    assert_eq!(guid(&s).as_deref(), Some(OLD_GUID));
    assert!(RECORDS.lock().unwrap().iter().any(|r| r.1 == "confJoin" && r.2.contains("Set-GUID")));

    // And a good one still works end to end.
    gw.answer(|_| Answer::ok(json!({})).header("Set-GUID", "JSESSIONID=good-guid-1.AgentGateway0"));
    let s = hostile_session(&gw, AGENT);
    expect(sign_in_force(&s, false), CCGW_OK);
    assert_eq!(guid(&s).as_deref(), Some("good-guid-1.AgentGateway0"));
    check_records(&["has space", "ggggggggggg", "usable-guid", "error-guid", "bad guid", "good-guid-1"]);
}

// ------------------------------------------------------------------ 4. retcodes and texts

#[test]
fn retcodes_are_accepted_only_in_their_documented_shapes() {
    capture_logs();
    let gw = Hostile::https();
    let long = "1".repeat(100_000);
    let malformed = vec![
        json!("100-002\r\nccgw error login: FORGED line"),
        json!("0\nFORGED"),
        json!(long),
        json!(format!("100-{long}")),
        json!("abc"),
        json!(""),
        json!(" 0"),
        json!("0 "),
        json!("100-0021"),
        json!("1000-002"),
        json!("10-002"),
        json!("100-02"),
        json!("100--02"),
        json!("100_002"),
        json!("1234567"),
        json!("-1"),
        json!("+1"),
        json!("0x10"),
        json!("1e3"),
        json!("\u{ff11}\u{ff10}\u{ff10}-\u{ff10}\u{ff10}\u{ff12}"),
        json!("\u{0}"),
        json!(1.5),
        json!(-3),
        json!(1e300),
        json!(null),
        json!(true),
        json!([]),
        json!({"code": "0"}),
    ];
    let mut cases = 0;
    for rc in &malformed {
        let body = json!({"retcode": rc, "message": "x"}).to_string();
        gw.answer(move |_| Answer::json(200, body.clone()));
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        expect(confjoin(&s), CCGW_E_MALFORMED_RESPONSE);
        let (_, _, retcode, http) = last_error();
        assert_eq!((retcode.as_str(), http), ("", 200), "{rc}: no retcode is reported from a malformed answer");
        let msg = check_message("retcode", &["FORGED", &long[..64]]);
        assert!(msg.contains("retcode"), "{msg}");
        cases += 1;
    }
    // The documented shapes map as before.
    let good = [
        (json!("0"), CCGW_OK, ""),
        (json!(0), CCGW_OK, ""),
        (json!("100-007"), CCGW_E_GW_AGENT_EXCEPTION, "100-007"),
        (json!("200-011"), CCGW_E_GW_THREE_PARTY_NO_HELD_CALL, "200-011"),
        (json!("999-999"), CCGW_E_GW_BASE + 999_999, "999-999"),
        (json!("10001"), CCGW_E_GW_NUMERIC_BASE + 10001, "10001"),
        (json!(10001), CCGW_E_GW_NUMERIC_BASE + 10001, "10001"),
        (json!("123456"), CCGW_E_GW_NUMERIC_BASE + 123_456, "123456"),
    ];
    for (rc, status, retcode) in &good {
        let body = json!({"retcode": rc, "message": "m"}).to_string();
        gw.answer(move |_| Answer::json(200, body.clone()));
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        expect(confjoin(&s), *status);
        if *status != CCGW_OK {
            assert_eq!(last_error().2, *retcode);
        }
        cases += 1;
    }
    assert_eq!(cases, malformed.len() + good.len());
    check_records(&["FORGED", &long[..64]]);
}

#[test]
fn answer_texts_are_one_bounded_line_in_messages_and_logs() {
    capture_logs();
    let gw = Hostile::https();
    let big = "y".repeat(100_000);
    // (answer, expected status)
    let cases: Vec<(Answer, ccgw_status)> = vec![
        (
            Answer::json(200, json!({"retcode": "100-007", "message": "a\r\nccgw error login: FORGED"}).to_string()),
            CCGW_E_GW_AGENT_EXCEPTION,
        ),
        (Answer::json(200, json!({"retcode": "100-007", "message": big}).to_string()), CCGW_E_GW_AGENT_EXCEPTION),
        (
            Answer::json(
                200,
                json!({"retcode": "100-007", "message": "\u{1b}[31mred\u{202e}FORGED\u{2028}x"}).to_string(),
            ),
            CCGW_E_GW_AGENT_EXCEPTION,
        ),
        (
            Answer::status(200).header("Content-Type", "text/html\tFORGED").body("<html>"),
            CCGW_E_UNEXPECTED_CONTENT_TYPE,
        ),
        (
            Answer::status(200).header("Content-Type", format!("text/{big}")).body("<html>"),
            CCGW_E_UNEXPECTED_CONTENT_TYPE,
        ),
        (Answer::json(200, format!("{{\"retcode\": \"0\", {big}")), CCGW_E_MALFORMED_RESPONSE),
        (Answer::json(503, format!("FORGED\r\n{big}")), CCGW_E_GATEWAY_UNAVAILABLE),
    ];
    let n = cases.len();
    for (i, (answer, status)) in cases.into_iter().enumerate() {
        gw.answer(move |_| answer.clone());
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        expect(confjoin(&s), status);
        let msg = check_message(&format!("case {i}"), &["\r", "\n", &big[..NETWORK_TEXT_CAP + 1]]);
        assert!(msg.starts_with("confJoin: "), "case {i}: {msg}");
    }
    assert_eq!(n, 7);

    // The event pump logs each event's type: a hostile one is still one bounded line.
    let ev_big = big.clone();
    gw.answer(move |req| {
        if req.path().contains("agentevent") {
            let event =
                json!({"eventType": format!("X\r\nccgw error SPOOFED{ev_big}"), "workNo": AGENT, "content": {}});
            Answer::json(200, json!({"retcode": "0", "message": "", "event": event}).to_string())
        } else {
            Answer::ok(json!({}))
        }
    });
    let s = hostile_session(&gw, AGENT);
    attach_guid(&s, OLD_GUID);
    start_events(&s, &event_opts(|_| {}));
    let ev = next_event(&s, 3000).expect("an event");
    assert!(ev.type_name.starts_with('X'), "the event itself keeps its data for the application");
    expect(unsafe { ccgw_events_stop(s.0) }, CCGW_OK);
    check_records(&["FORGED\r", "SPOOFED\r", &big[..NETWORK_TEXT_CAP + 1]]);
}

// ------------------------------------------------------------------ 11. malformed heads

#[test]
fn a_malformed_answer_head_is_a_malformed_answer() {
    capture_logs();
    let gw = Hostile::https();
    let many_headers: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
    let heads: Vec<Vec<u8>> = vec![
        b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"FOO BAR BAZ\r\n\r\n".to_vec(),
        b"HTTP/1.1 99999 Odd\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 20 Short\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/9.9 200 OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nX-Bad: a\x7fb\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nBad Name: v\r\nContent-Length: 0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345".to_vec(),
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n".to_vec(),
        format!("HTTP/1.1 200 OK\r\n{many_headers}Content-Length: 0\r\n\r\n").into_bytes(),
        format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\nContent-Length: 0\r\n\r\n", "b".repeat(1 << 20)).into_bytes(),
        b"\x00\x01\x02\x03garbage\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\nContent-Length: 0\n\n\x00".to_vec(),
    ];
    let mut cases = 0;
    for head in &heads {
        let what = String::from_utf8_lossy(&head[..head.len().min(40)]).into_owned();
        let h = head.clone();
        gw.answer(move |_| Answer::raw(h.clone()));
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        let st = confjoin(&s);
        let msg = check_message(&what, &["garbage", "Odd", "bbbbbbbb"]);
        assert_eq!(st, CCGW_E_MALFORMED_RESPONSE, "{what}: {msg}");
        // Unreadable heads and bodies: the request went out, so its outcome is unknown.
        // (hyper reads bare-LF heads, as RFC 9112 §2.2 allows; that answer is not JSON.)
        assert!(msg.contains("outcome is unknown") || msg.contains("not valid JSON"), "{what}: {msg}");
        cases += 1;
    }
    assert_eq!(cases, heads.len());
    // The connection closing before any answer, or mid-head, is a lost connection.
    for raw in [&b""[..], b"HTTP/1.1 200 OK\r\nContent-Ty"] {
        let r = raw.to_vec();
        gw.answer(move |_| Answer::raw(r.clone()));
        let s = hostile_session(&gw, AGENT);
        attach_guid(&s, OLD_GUID);
        expect(confjoin(&s), CCGW_E_CONNECTION_LOST);
    }
    check_records(&["garbage"]);
}

// ------------------------------------------------------------------ 12. nesting

/// The envelope is read without building the `result` (issue 12); the generic request
/// builds it afterwards. An answer that says retcode 0 but nests beyond serde_json's limit
/// is malformed, and the message says the gateway carried the request out.
#[test]
fn a_generic_answer_nested_too_deep_says_the_request_was_carried_out() {
    capture_logs();
    let gw = Hostile::https();
    let deep = format!(r#"{{"retcode":"0","message":"success","result":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
    gw.answer(move |_| Answer::json(200, deep.clone()));
    let s = hostile_session(&gw, AGENT);
    attach_guid(&s, OLD_GUID);
    let st = generic(&s);
    let msg = check_message("deep result", &[OLD_GUID]);
    assert_eq!(st, CCGW_E_MALFORMED_RESPONSE, "{msg}");
    assert!(msg.contains("carried the request out"), "{msg}");
    // The same depth in a member the library does not read is skipped, not refused.
    let shallow =
        format!(r#"{{"retcode":"0","message":"success","result":{{}},"x":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
    gw.answer(move |_| Answer::json(200, shallow.clone()));
    expect(confjoin(&s), CCGW_OK);
}
