//! Per-invitee outcomes of a batch invite under `answer_rules` (join, reject, busy, no
//! answer, never) and exactly what the chair receives for each; the control API's hand on
//! participants; the simulator's own `queryconfinfos` view of a conference, checked against
//! the gateway answer through a seeded random walk.

mod common;

use ccgw_sim::faults::SplitMix64;
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

/// `ParticipantChanged` content about a failed invitation.
fn failed(conf: u64, who: &str, participant_type: i64, result: i64) -> Value {
    let mut v = changed(conf, 0, 255, who, participant_type);
    v["result"] = json!(result);
    v
}

/// Takes `n` events of the agent and returns their contents keyed by participant.
async fn changes_by_participant(s: &TestSim, a: &mut Agent, n: usize) -> BTreeMap<String, Value> {
    let types = vec!["AgentConf_ParticipantChanged"; n];
    let evs = s.expect_events(a, &types).await;
    let mut out = BTreeMap::new();
    for e in evs {
        let who = e["content"]["participant"].as_str().unwrap().to_string();
        assert!(out.insert(who.clone(), e["content"].clone()).is_none(), "one event per invitee: {who}");
    }
    out
}

#[tokio::test]
async fn each_outcome_reaches_the_chair_as_documented() {
    let s = TestSim::start(json!({"answer_rules": [
        {"address": "71001", "outcome": "join", "delay_ms": 5},
        {"address": "71002", "outcome": "busy", "delay_ms": 5, "result": 17},
        {"address": "71003", "outcome": "no_answer", "delay_ms": 40},
        {"address": "71004", "outcome": "reject"},
        {"prefix": "71", "outcome": "never"},
        {"address": "102", "address_type": 9, "outcome": "join", "delay_ms": 5},
        {"address": "103", "address_type": 9, "outcome": "reject", "delay_ms": 5},
        {"address": "104", "address_type": 9, "outcome": "no_answer", "delay_ms": 5, "result": 3},
        {"address": "105", "address_type": 9, "outcome": "never"},
    ]}));
    let mut chair = s.ready_agent(101).await;
    let mut invitees = Vec::new();
    for id in 102..=105 {
        // autoanswer false everywhere: the rules decide, not the sign-in option.
        let mut a = s.sign_in_with(id, &json!({"password": PASSWORD, "autoanswer": id == 105})).await;
        s.drain(&mut a).await;
        invitees.push(a);
    }
    let conf = open_conf(&s, &mut chair).await;
    let addresses: Vec<Value> = ["71001", "71002", "71003", "71004", "71005"]
        .iter()
        .map(|a| addr("6", a))
        .chain(["102", "103", "104", "105", "106"].iter().map(|a| addr("9", a)))
        .collect();
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({ "addresses": addresses }))).await.ok();
    // Eight outcomes come; 71005 and 105 never answer. 106 is not signed in: fails at once.
    let got = changes_by_participant(&s, &mut chair, 8).await;
    let expected: BTreeMap<String, Value> = [
        ("71001", changed(conf, 0, 255, "71001", 6)),
        ("71002", failed(conf, "71002", 6, 17)),
        ("71003", failed(conf, "71003", 6, 1)),
        ("71004", failed(conf, "71004", 6, 1)),
        ("102", changed(conf, 0, 255, "102", 9)),
        ("103", failed(conf, "103", 9, 1)),
        ("104", failed(conf, "104", 9, 3)),
        ("106", failed(conf, "106", 9, 1)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(got, expected);
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.assert_no_events(101).await;
    // The invitees' own events.
    let [b, c, d, e] = &mut invitees[..] else { unreachable!() };
    s.expect_events(b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult"]).await;
    let evs = s.expect_events(c, &["AgentConf_Ringing", "AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert_eq!(evs[1]["content"], json!({"phoneState": 2}), "rejected by the agent");
    let evs = s.expect_events(d, &["AgentConf_Ringing", "AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert_eq!(evs[1]["content"], json!({"phoneState": 3}), "rang out");
    s.expect_events(e, &["AgentConf_Ringing"]).await;
    // Who is in: the chair and the two that joined; the never-answering are pending.
    let q = query(&s, &mut chair, &[conf]).await;
    let mut inside: Vec<&str> =
        q[0]["addresses"].as_array().unwrap().iter().map(|m| m["address"].as_str().unwrap()).collect();
    inside.sort_unstable();
    assert_eq!(inside, ["101", "102", "71001"]);
    let pending: Vec<Value> = s.confs().await[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["joined"] == false)
        .map(|m| m["address"].clone())
        .collect();
    assert_eq!(pending, [json!("71005"), json!("105")]);
    // The rule beats autoanswer: 105 signed in with autoanswer yet never answers; it can still
    // answer by hand.
    s.act(e, "POST", "agentconf/answeragentconf", None).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 0, 255, "105", 9));
}

#[tokio::test]
async fn participant_changed_to_subject_also_tells_failed_invitees() {
    let s = TestSim::start(json!({
        "participant_changed_to_subject": true,
        "answer_rules": [{"address": "103", "outcome": "reject", "delay_ms": 5}],
    }));
    let mut chair = s.ready_agent(101).await;
    let mut c = s.ready_agent(103).await;
    let conf = open_conf(&s, &mut chair).await;
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({"addresses": [addr("9", "103")]})))
        .await
        .ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], failed(conf, "103", 9, 1));
    let evs = s
        .expect_events(
            &mut c,
            &["AgentConf_Ringing", "AgentConf_ParticipantChanged", "AgentOther_PhoneRelease", "AgentState_Ready"],
        )
        .await;
    assert_eq!(evs[1]["content"], failed(conf, "103", 9, 1));
}

#[tokio::test]
async fn a_batch_of_120_gets_each_outcome_by_address() {
    // 40 join, 20 busy, 20 no answer (after 30 ms), 40 never answer; all phones.
    let s = TestSim::start(json!({"answer_rules": [
        {"prefix": "761", "outcome": "busy", "delay_ms": 20, "result": 2},
        {"prefix": "762", "outcome": "no_answer", "delay_ms": 30},
        {"prefix": "763", "outcome": "never"},
        {"prefix": "760", "outcome": "join", "delay_ms": 10},
    ]}));
    let mut chair = s.ready_agent(101).await;
    let conf = open_conf(&s, &mut chair).await;
    let mut addresses = Vec::new();
    for (group, n) in [(0, 40), (1, 20), (2, 20), (3, 40)] {
        for i in 0..n {
            addresses.push(format!("76{group}{i:03}"));
        }
    }
    let body = json!({"addresses": addresses.iter().map(|a| addr("6", a)).collect::<Vec<_>>()});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    let got = changes_by_participant(&s, &mut chair, 80).await;
    for a in &addresses {
        let expected = match &a[..3] {
            "760" => Some(changed(conf, 0, 255, a, 6)),
            "761" => Some(failed(conf, a, 6, 2)),
            "762" => Some(failed(conf, a, 6, 1)),
            _ => None,
        };
        assert_eq!(got.get(a), expected.as_ref(), "{a}");
    }
    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(q[0]["addresses"].as_array().unwrap().len(), 41);
    // The never-answering ones can be made to fail from the control API.
    let v = s
        .ctl_ok(
            "POST",
            &format!("confs/{conf}/participants"),
            Some(&json!({"addressType": "6", "address": "763000", "action": "fail", "result": 9})),
        )
        .await;
    assert_eq!(v["addresses"].as_array().unwrap().len(), 41, "the answer is the conference after the change");
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], failed(conf, "763000", 6, 9));
}

#[tokio::test]
async fn the_control_api_moves_participants_with_the_gateways_events() {
    let s = TestSim::start(json!({"answer_rules": [{"prefix": "", "outcome": "never"}]}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let conf = open_conf(&s, &mut chair).await;
    let body = json!({"addresses": [addr("9", "102"), addr("6", "70005")]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    s.expect_events(&mut b, &["AgentConf_Ringing"]).await;
    let path = format!("confs/{conf}/participants");
    let act = |address_type: &str, address: &str, action: &str| json!({"addressType": address_type, "address": address, "action": action});
    // Pending invitees join.
    s.ctl_ok("POST", &path, Some(&act("9", "102", "join"))).await;
    s.expect_events(&mut b, &["AgentConf_SelfJoinResult"]).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 0, 255, "102", 9));
    s.ctl_ok("POST", &path, Some(&act("6", "70005", "join"))).await;
    for a in [&mut chair, &mut b] {
        let evs = s.expect_events(a, &["AgentConf_ParticipantChanged"]).await;
        assert_eq!(evs[0]["content"], changed(conf, 0, 255, "70005", 6));
    }
    // An address nobody invited dials in.
    s.ctl_ok("POST", &path, Some(&act("6", "70009", "join"))).await;
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    // Hold, unhold, mute, unmute, mode: the states and the change types.
    for (action, change_type, state, attrib) in
        [("hold", 5, 1, 3), ("unhold", 6, 0, 3), ("mute", 3, 0, 1), ("unmute", 4, 0, 3)]
    {
        let v = s.ctl_ok("POST", &path, Some(&act("6", "70005", action))).await;
        assert_eq!(member(&v, "70005")["channelState"], state, "{action}");
        assert_eq!(member(&v, "70005")["channelAttrib"], attrib, "{action}");
        for a in [&mut chair, &mut b] {
            let evs = s.expect_events(a, &["AgentConf_ParticipantChanged"]).await;
            assert_eq!(evs[0]["content"], changed(conf, change_type, 255, "70005", 6), "{action}");
        }
    }
    let mut mode = act("6", "70005", "mode");
    mode["attribute"] = json!(2);
    let v = s.ctl_ok("POST", &path, Some(&mode)).await;
    assert_eq!(member(&v, "70005")["channelAttrib"], 2);
    s.drain(&mut chair).await;
    s.drain(&mut b).await;
    // A phone hangs up (reason 2 by default), an agent leaves (reason 0) with its own events.
    s.ctl_ok("POST", &path, Some(&act("6", "70005", "leave"))).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 2, "70005", 6));
    s.drain(&mut b).await;
    let mut leave = act("9", "102", "leave");
    leave["reason"] = json!(6);
    s.ctl_ok("POST", &path, Some(&leave)).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 6, "102", 9));
    let evs =
        s.expect_events(&mut b, &["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]).await;
    assert_eq!(evs[0]["content"], json!({"phoneState": 3}));
    // Refusals: unknown conference 404; what the state forbids 409; bad bodies 400.
    let (st, _) = s.ctl("POST", "confs/4242/participants", Some(&act("6", "70005", "join"))).await;
    assert_eq!(st, 404);
    for body in [
        act("6", "70009", "join"),  // joined already
        act("6", "70999", "leave"), // not a participant
        act("9", "101", "leave"),   // the chair
        act("6", "70009", "fail"),  // no pending invitation
        act("9", "150", "join"),    // an agent not signed in
        act("6", "70999", "hold"),
        act("6", "70009", "mode"), // no attribute
    ] {
        let (st, v) = s.ctl("POST", &path, Some(&body)).await;
        assert_eq!(st, 409, "{body}: {v}");
    }
    for body in [
        act("6", "70009", "dance"),
        json!({"address": "70009", "action": "join"}),
        json!({"addressType": "6", "address": "70009"}),
    ] {
        let (st, v) = s.ctl("POST", &path, Some(&body)).await;
        assert_eq!(st, 400, "{body}: {v}");
    }
    let (st, _) = s.ctl("GET", "confs/4242", None).await;
    assert_eq!(st, 404);
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn the_simulators_view_equals_queryconfinfos_through_a_random_walk() {
    let s = TestSim::start(json!({"answer_rules": [{"prefix": "", "outcome": "never"}], "announcement_ms": 0}));
    let mut chair = s.ready_agent(101).await;
    let conf = open_conf(&s, &mut chair).await;
    let path = format!("confs/{conf}/participants");
    let phones: Vec<String> = (0..12).map(|i| format!("7800{i:02}")).collect();
    let mut rng = SplitMix64(0x5EED); // the same walk on every run
    let mut refused = 0;
    for step in 0..300 {
        let phone = &phones[rng.below(phones.len() as u64) as usize];
        let target = addr("6", phone);
        let r = match rng.below(9) {
            0 => {
                s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({"addresses": [target]}))).await
            }
            1 => {
                s.act(&mut chair, "POST", "agentconf/batchremoveparticipant", Some(&json!({"addresses": [target]})))
                    .await
            }
            2 => {
                let mut b = target.clone();
                b["voicePath"] = json!("y:/h.V3");
                s.act(&mut chair, "POST", "agentconf/holdparticipant", Some(&b)).await
            }
            3 => s.act(&mut chair, "POST", "agentconf/unholdparticipant", Some(&target)).await,
            4 => {
                let mut b = target.clone();
                b["attribute"] = json!(1 + rng.below(4));
                s.act(&mut chair, "POST", "agentconf/changeparticipantmode", Some(&b)).await
            }
            5 => {
                let mut b = target.clone();
                b["voicePath"] = json!("y:/p.V3");
                s.act(&mut chair, "POST", "agentconf/playvoicetoparticipant", Some(&b)).await
            }
            n => {
                let action = ["join", "leave", "fail"][(n - 6) as usize];
                let mut b = target.clone();
                b["action"] = json!(action);
                let (st, _) = s.ctl("POST", &path, Some(&b)).await;
                if st != 200 {
                    refused += 1;
                }
                s.drain(&mut chair).await;
                let view = s.ctl_ok("GET", &format!("confs/{conf}"), None).await;
                assert_eq!(query(&s, &mut chair, &[conf]).await[0], view, "step {step}");
                continue;
            }
        };
        if r.retcode() != "0" {
            refused += 1;
            assert_eq!(r.retcode(), "000-002", "step {step}: only 'not a participant' is refused: {}", r.text);
        }
        s.drain(&mut chair).await;
        let view = s.sim.conf_info(conf).expect("the conference exists");
        let answer = query(&s, &mut chair, &[conf]).await;
        assert_eq!(answer[0], view, "step {step}: the simulator's view is the queryconfinfos entry");
        // One chair, no address twice.
        let addresses = view["addresses"].as_array().unwrap();
        assert_eq!(addresses.iter().filter(|m| m["role"] == 1).count(), 1, "step {step}");
        let mut seen: Vec<String> =
            addresses.iter().map(|m| format!("{}/{}", m["addressType"], m["address"])).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), addresses.len(), "step {step}: {view}");
    }
    assert!(refused > 0 && refused < 250, "the walk tried both sides: {refused} refusals");
}
