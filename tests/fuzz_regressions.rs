//! Every fuzz seed (the documented samples) and every input that once crashed a fuzz target
//! goes through the same parsers on each `cargo test`: nothing panics, and what the seeds
//! document parses as documented.

use std::path::Path;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        if let Ok(rd) = std::fs::read_dir(root.join(dir).join(target)) {
            for e in rd.flatten() {
                out.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

fn json(data: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(data).ok()
}

#[test]
fn envelope_inputs() {
    let all = inputs("envelope");
    assert!(all.len() >= 5, "seeds present");
    let mut parsed = 0;
    for data in all {
        let (ct, body) = match data.split_first() {
            Some((b, rest)) if b % 3 == 0 => ("text/html", rest),
            Some((b, rest)) if b % 3 == 1 => ("", rest),
            Some((_, rest)) => ("application/json", rest),
            None => ("", &data[..]),
        };
        if ccgw::transport::parse_envelope("seed", 200, ct, body).is_ok() {
            parsed += 1;
        }
        if let Ok(t) = std::str::from_utf8(body) {
            let _ = ccgw::transport::guid_from_header_value(t);
            let _ = ccgw::status::from_retcode(t);
        }
    }
    assert!(parsed >= 4, "the documented answers parse");
}

#[test]
fn conf_list_inputs() {
    for data in inputs("conf_list") {
        if let Some(v) = json(&data) {
            let confs = ccgw::agentconf::parse_conf_list(v.get("result")).expect("the documented shapes parse");
            assert!(!confs.is_empty() && confs[0].conf_id == 1029888);
        }
    }
}

#[test]
fn event_inputs() {
    let all = inputs("event");
    assert!(all.len() >= 7);
    for data in all {
        if let Some(v) = json(&data) {
            let e = ccgw::events::Event::parse(v.get("event").unwrap_or(&v));
            assert_ne!(e.kind, ccgw::events::EventKind::Malformed, "a documented sample is malformed: {v}");
        }
    }
}

#[test]
fn sign_in_result_inputs() {
    for data in inputs("sign_in_result") {
        if let Some(v) = json(&data) {
            let _ = ccgw::session::SignInResult::from_answer(v.get("result").or(Some(&v)), false);
        }
    }
}

#[test]
fn answers_inputs() {
    use ccgw::wire::result_of;
    let all = inputs("answers");
    assert!(all.len() >= 6, "seeds present");
    let mut parsed = 0;
    for data in all {
        let Some(v) = json(&data) else { continue };
        // Every decoder sees every input; each documented sample parses with its own.
        let ok = [
            result_of::<Option<Vec<ccgw::calldata::CallInfo>>>("seed", &v, 200).is_ok(),
            result_of::<Option<ccgw::calldata::CallInfo>>("seed", &v, 200)
                .is_ok_and(|c| c.is_some_and(|c| !c.callid.is_empty())),
            result_of::<Option<ccgw::onlineagent::AgentStatus>>("seed", &v, 200)
                .is_ok_and(|s| s.is_some_and(|s| s.agent_state >= 0)),
            result_of::<Option<ccgw::agentconf::BatchRemoveResult>>("seed", &v, 200)
                .is_ok_and(|r| r.is_some_and(|r| r.no_exist_participants.is_some())),
            result_of::<Option<ccgw::agentconf::VdnConfIds>>("seed", &v, 200)
                .is_ok_and(|r| r.is_some_and(|r| !r.conf_ids.is_empty())),
            result_of::<Option<ccgw::voicecall::CallId>>("seed", &v, 200).is_ok(),
        ];
        if ok.iter().any(|&b| b) {
            parsed += 1;
        }
    }
    assert!(parsed >= 6, "the documented answers parse ({parsed})");
}
