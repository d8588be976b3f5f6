//! Fault injection, through both `Simulator::add_fault` and `POST /sim/faults`: every
//! fault kind, whether the request was processed, `count` and seeded probability, and
//! matching by route, agent and method.

mod common;

use ccgw_sim::{FaultKind, FaultSpec};
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
enum Via {
    Rust,
    Http,
}

async fn add(s: &TestSim, via: Via, spec: FaultSpec) -> u64 {
    match via {
        Via::Rust => s.sim.add_fault(spec).expect("fault accepted"),
        Via::Http => {
            let body = serde_json::to_value(&spec).unwrap();
            s.ctl_ok("POST", "faults", Some(&body)).await["id"].as_u64().expect("fault id")
        }
    }
}

/// The I/O error kind at the bottom of a client error, if there is one.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = err.source();
    }
    None
}

/// What the client sees.
#[derive(Debug)]
enum Seen {
    /// An answer with this HTTP status, content type prefix and retcode (None: not JSON).
    Answer(u16, &'static str, Option<&'static str>),
    /// A transport error of the given kind.
    Error(&'static str),
}

struct Case {
    spec: FaultSpec,
    seen: Seen,
    /// Whether the simulator carried the request out.
    processed: bool,
    /// The journal's outcome for the request.
    outcome: &'static str,
}

fn cases() -> Vec<Case> {
    let route = "voicecall/callout";
    let c = |kind| FaultSpec::new(route, kind);
    let mut retcode = c(FaultKind::Retcode).with_retcode("100-007");
    retcode.message = Some("injected failure".into());
    vec![
        Case {
            spec: c(FaultKind::Delay).with_delay(300),
            seen: Seen::Answer(200, "application/json", Some("0")),
            processed: true,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::HttpStatus).with_status(500),
            seen: Seen::Answer(500, "text/html", None),
            processed: false,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::HttpStatus).with_status(502),
            seen: Seen::Answer(502, "text/html", None),
            processed: false,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::HttpStatus).with_status(503),
            seen: Seen::Answer(503, "text/html", None),
            processed: false,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::MalformedJson),
            seen: Seen::Answer(200, "application/json", None),
            processed: true,
            outcome: "answered",
        },
        Case { spec: c(FaultKind::TruncatedBody), seen: Seen::Error("body"), processed: true, outcome: "truncated" },
        Case {
            spec: c(FaultKind::WrongContentType),
            seen: Seen::Answer(200, "text/html", None),
            processed: false,
            outcome: "answered",
        },
        Case { spec: c(FaultKind::ResetBefore), seen: Seen::Error("reset"), processed: false, outcome: "reset" },
        Case { spec: c(FaultKind::ResetAfter), seen: Seen::Error("reset"), processed: true, outcome: "reset" },
        Case { spec: c(FaultKind::Hang), seen: Seen::Error("timeout"), processed: false, outcome: "hung" },
        Case {
            spec: retcode,
            seen: Seen::Answer(200, "application/json", Some("100-007")),
            processed: false,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::Switchover),
            seen: Seen::Answer(200, "application/json", Some("000-004")),
            processed: false,
            outcome: "answered",
        },
        Case {
            spec: c(FaultKind::GuidExpired),
            seen: Seen::Answer(200, "application/json", Some("000-003")),
            processed: false,
            outcome: "answered",
        },
    ]
}

async fn every_kind_via(via: Via) {
    let s = TestSim::start(json!({"hang_limit_ms": 5000}));
    let mut a = s.ready_agent(101).await;
    let body = json!({"called": "70005"});
    for case in cases() {
        let kind = case.spec.kind;
        let label = format!("{kind:?} via {via:?}");
        let fault_name = serde_json::to_value(kind).unwrap().as_str().unwrap().to_string();
        add(&s, via, case.spec.clone()).await;
        let mark = s.sim.journal_mark();
        let t = Instant::now();
        let path = gateway_path("voicecall/callout", "101");
        let got = s.try_request("PUT", &path, Some(&a.guid), Some(&body), Some(Duration::from_millis(1500))).await;
        let took = t.elapsed();
        match (&case.seen, got) {
            (Seen::Answer(status, ctype, retcode), Ok(r)) => {
                assert_eq!(r.status, *status, "{label}: status of {}", r.text);
                assert!(r.content_type.as_deref().unwrap_or("").starts_with(ctype), "{label}: {:?}", r.content_type);
                match retcode {
                    Some(code) => assert_eq!(r.retcode(), *code, "{label}: {}", r.text),
                    None => assert!(r.json.is_null(), "{label}: the body should not be JSON: {}", r.text),
                }
                if kind == FaultKind::Retcode {
                    assert_eq!(r.json["message"], "injected failure");
                }
                if kind == FaultKind::MalformedJson {
                    assert!(r.text.starts_with('{'), "{label}: looks like the start of a JSON answer: {}", r.text);
                }
                if kind == FaultKind::Delay {
                    assert!(took >= Duration::from_millis(300), "{label}: answered after {took:?}");
                }
            }
            (Seen::Error(what), Err(e)) => match *what {
                "timeout" => assert!(e.is_timeout(), "{label}: {e:?}"),
                "body" => assert!(e.is_body() || e.is_decode(), "{label}: the body could not be read: {e:?}"),
                _ => assert!(io_kind(&e) == Some(std::io::ErrorKind::ConnectionReset), "{label}: not a reset: {e:?}"),
            },
            (seen, got) => panic!("{label}: expected {seen:?}, got {got:?}"),
        }
        // The journal names the fault and the outcome.
        wait_for(&format!("{label}: journal outcome {}", case.outcome), Duration::from_secs(8), || async {
            s.sim.journal_since(mark).iter().any(|e| e.route == "voicecall/callout" && e.outcome == case.outcome)
        })
        .await;
        let entry = s.sim.journal_since(mark).into_iter().find(|e| e.route == "voicecall/callout").unwrap();
        assert_eq!(entry.fault.as_deref(), Some(fault_name.as_str()), "{label}");
        // Processed or not: the call exists or it does not.
        let calls = s.agent_state(101).await["calls"].as_array().unwrap().len();
        assert_eq!(calls, usize::from(case.processed), "{label}: processed = {}", case.processed);
        if case.processed {
            s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
        }
        // The rule was used up (count 1 by default) and the session is intact.
        assert_eq!(s.ctl_ok("GET", "faults", None).await, json!([]), "{label}: the rule retired");
        s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await.ok();
    }
}

#[tokio::test]
async fn every_fault_kind_through_the_rust_api() {
    every_kind_via(Via::Rust).await;
}

#[tokio::test]
async fn every_fault_kind_through_the_control_api() {
    every_kind_via(Via::Http).await;
}

#[tokio::test]
async fn a_poll_answered_with_a_fault_keeps_or_consumes_the_event_as_documented() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.inject(101, json!({"eventType": "Test_Kept"})).await;
    // Not processed: the event stays queued for the next poll.
    s.sim.add_fault(FaultSpec::new("agentevent", FaultKind::HttpStatus).with_status(503)).unwrap();
    let r = s.poll(&mut a).await;
    assert_eq!(r.status, 503);
    assert_eq!(s.agent_state(101).await["queued"], 1);
    // Processed: the event was taken although the client could not read it.
    s.sim.add_fault(FaultSpec::new("agentevent", FaultKind::MalformedJson)).unwrap();
    let r = s.poll(&mut a).await;
    assert!(r.json.is_null());
    assert_eq!(s.agent_state(101).await["queued"], 0);
}

#[tokio::test]
async fn count_applies_the_fault_to_that_many_requests_then_retires_it() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let q = json!({"confIds": [1]});
    let id = add(&s, Via::Http, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover).times(2)).await;
    let rules = s.ctl_ok("GET", "faults", None).await;
    assert_eq!(rules[0]["id"], id);
    assert_eq!(rules[0]["remaining"], 2);
    assert_eq!(rules[0]["hits"], 0);
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    let rules = s.ctl_ok("GET", "faults", None).await;
    assert_eq!((rules[0]["remaining"].clone(), rules[0]["hits"].clone()), (json!(1), json!(1)));
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    assert_eq!(s.ctl_ok("GET", "faults", None).await, json!([]));
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    // Without a count or a probability a rule applies once.
    add(&s, Via::Rust, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover)).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
}

/// Hit pattern of 40 requests under a rule with probability 0.5 and `seed`.
async fn pattern(s: &TestSim, a: &mut Agent, via: Via, seed: u64) -> Vec<bool> {
    s.sim.clear_faults();
    let id = add(s, via, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover).with_probability(0.5, seed))
        .await;
    let mut hits = Vec::new();
    for _ in 0..40 {
        let r = s.act(a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await;
        hits.push(match r.retcode() {
            "000-004" => true,
            "0" => false,
            other => panic!("unexpected retcode {other}"),
        });
    }
    let rules = s.ctl_ok("GET", "faults", None).await;
    assert_eq!(rules[0]["id"], id, "a probability rule without a count stays");
    assert_eq!(rules[0]["remaining"], Value::Null);
    assert_eq!(rules[0]["hits"], hits.iter().filter(|h| **h).count());
    hits
}

#[tokio::test]
async fn probability_with_the_same_seed_reproduces_the_same_hits() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let first = pattern(&s, &mut a, Via::Rust, 42).await;
    let again = pattern(&s, &mut a, Via::Http, 42).await;
    assert_eq!(first, again, "same seed, same pattern");
    let n = first.iter().filter(|h| **h).count();
    assert!((8..=32).contains(&n), "{n} hits of 40 at p = 0.5");
    let other = pattern(&s, &mut a, Via::Http, 43).await;
    assert_ne!(first, other, "another seed, another pattern");
    // The bounds: 0 never applies, 1 always does.
    s.sim.clear_faults();
    let q = json!({"confIds": [1]});
    add(&s, Via::Http, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover).with_probability(0.0, 1))
        .await;
    for _ in 0..5 {
        s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    }
    s.sim.clear_faults();
    add(&s, Via::Rust, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover).with_probability(1.0, 1))
        .await;
    for _ in 0..5 {
        s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    }
}

#[tokio::test]
async fn rules_match_by_route_prefix_agent_and_method() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let q = json!({"confIds": [1]});
    // An exact route.
    add(&s, Via::Http, FaultSpec::new("voicecall/hold", FaultKind::Switchover).times(10)).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("000-004");
    s.act(&mut a, "POST", "voicecall/gethold", None).await.refused("200-015");
    s.sim.clear_faults();
    // A prefix.
    add(&s, Via::Rust, FaultSpec::new("agentconf/*", FaultKind::Switchover).times(10)).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    s.act(&mut a, "POST", "agentconf/releaseagentconf", None).await.refused("000-004");
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("200-013");
    s.sim.clear_faults();
    // One agent only.
    add(&s, Via::Http, FaultSpec::new("*", FaultKind::Switchover).for_agent("102").times(10)).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    s.act(&mut b, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    s.poll(&mut b).await.refused("000-004");
    s.sim.clear_faults();
    // One method only: GET is the poll.
    let mut spec = FaultSpec::new("*", FaultKind::HttpStatus).with_status(502).times(10);
    spec.method = Some("GET".into());
    add(&s, Via::Rust, spec).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    assert_eq!(s.poll(&mut a).await.status, 502);
    s.sim.clear_faults();
    // "*" covers sign-in too.
    add(&s, Via::Http, FaultSpec::new("*", FaultKind::HttpStatus).with_status(503)).await;
    let r = s.sign_in_body(103, &json!({"password": PASSWORD})).await;
    assert_eq!(r.status, 503);
    assert_eq!(s.agent_state(103).await["signedIn"], false, "not processed");
    // First matching rule wins; others keep their uses.
    s.sim.clear_faults();
    add(&s, Via::Rust, FaultSpec::new("agentconf/queryconfinfos", FaultKind::Switchover)).await;
    add(&s, Via::Rust, FaultSpec::new("agentconf/*", FaultKind::GuidExpired)).await;
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-004");
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-003");
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
}

#[tokio::test]
async fn invalid_fault_rules_are_refused() {
    let s = TestSim::start(json!({}));
    for body in [
        json!({"kind": "http_status", "status": 404}),
        json!({"kind": "delay"}),
        json!({"kind": "retcode"}),
        json!({"kind": "no_such_kind"}),
        json!({"kind": "switchover", "probability": 1.5}),
        json!({"kind": "switchover", "unknown": 1}),
    ] {
        let (status, v) = s.ctl("POST", "faults", Some(&body)).await;
        assert_eq!(status, 400, "{body} -> {v}");
    }
    assert!(s.sim.add_fault(FaultSpec::new("*", FaultKind::HttpStatus).with_status(404)).is_err());
    assert_eq!(s.ctl_ok("GET", "faults", None).await, json!([]));
}
