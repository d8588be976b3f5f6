//! Voice calls: callout, hold/gethold, confjoin, thirdPartyConfTransmitNum, inbound calls,
//! hang-ups, release, dropcall and disconnect.

mod common;

use common::*;
use serde_json::{json, Value};

async fn callout(s: &TestSim, a: &mut Agent, called: &str) -> String {
    let r = s.act(a, "PUT", "voicecall/callout", Some(&json!({"called": called}))).await;
    r.ok();
    let id = r.result().as_str().expect("callout answers the call id as a string").to_string();
    s.expect_events(a, &["AgentState_Busy", "AgentEvent_Customer_Alerting", "AgentEvent_Talking"]).await;
    id
}

async fn hold(s: &TestSim, a: &mut Agent) {
    s.act(a, "POST", "voicecall/hold", None).await.ok();
    s.expect_events(a, &["AgentEvent_Hold"]).await;
}

async fn calls(s: &TestSim, id: u32) -> Vec<Value> {
    s.agent_state(id).await["calls"].as_array().unwrap().clone()
}

/// A held call to `first` and an active call to `second`, joined into a three-party call.
async fn three_party(s: &TestSim, a: &mut Agent, first: &str, second: &str) -> String {
    let held = callout(s, a, first).await;
    hold(s, a).await;
    callout(s, a, second).await;
    s.act(a, "POST", "voicecall/confjoin", Some(&json!({"callid": held}))).await.ok();
    s.expect_events(a, &["AgentEvent_Conference"]).await;
    held
}

#[tokio::test]
async fn callout_answers_a_call_id_and_emits_the_call_events() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let r = s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005", "caller": "88880"}))).await;
    r.ok();
    let callid = r.result().as_str().unwrap().to_string();
    let (left, right) = callid.split_once('-').expect("call id like 1455885056-1095");
    assert!(left.parse::<u64>().is_ok() && right.parse::<u64>().is_ok(), "{callid}");
    let evs = s.expect_events(&mut a, &["AgentState_Busy", "AgentEvent_Customer_Alerting", "AgentEvent_Talking"]).await;
    // Contents as the event pages' samples: Customer_Alerting names the other phone,
    // Talking carries caller, called, feature 7 (outbound) as strings.
    assert_eq!(
        evs[1]["content"],
        json!({"callid": callid, "otherPhoneWorkno": "", "otherPhone": "70005", "type": "main"})
    );
    assert_eq!(
        evs[2]["content"],
        json!({"caller": "88880", "callid": callid, "called": "70005", "feature": "7", "type": "main", "mediaAbility": "1"})
    );
    let c = calls(&s, 101).await;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0]["callid"], callid);
    assert_eq!(c[0]["state"], "talking");
    assert_eq!(c[0]["parties"], json!([{"number": "70005", "kind": "customer"}]));
    // A second call while talking is refused; bad numbers are invalid parameters.
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70006"}))).await.refused("200-001");
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70a06"}))).await.refused("000-002");
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({}))).await.refused("000-002");
    assert_eq!(calls(&s, 101).await.len(), 1);
}

#[tokio::test]
async fn hold_and_gethold_and_their_errors() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("200-013");
    s.act(&mut a, "POST", "voicecall/gethold", None).await.refused("200-015");

    let first = callout(&s, &mut a, "70005").await;
    s.act(&mut a, "POST", "voicecall/hold", None).await.ok();
    let evs = s.expect_events(&mut a, &["AgentEvent_Hold"]).await;
    assert_eq!(evs[0]["content"], json!(first), "AgentEvent_Hold carries the call id as its content");
    assert_eq!(calls(&s, 101).await[0]["state"], "held");
    // Nothing is talking any more: hold is in the wrong state.
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("200-014");
    s.act(&mut a, "POST", "voicecall/gethold", None).await.ok();
    let evs = s.expect_events(&mut a, &["AgentEvent_Talking"]).await;
    assert_eq!(evs[0]["content"]["callid"], first);
    assert_eq!(calls(&s, 101).await[0]["state"], "talking");

    hold(&s, &mut a).await;
    let second = callout(&s, &mut a, "70006").await;
    // Taking the held call back while another is active: 200-016; an unknown id: 200-015.
    s.act(&mut a, "POST", &format!("voicecall/gethold?callid={first}"), None).await.refused("200-016");
    s.act(&mut a, "POST", "voicecall/gethold?callid=1-999", None).await.refused("200-015");
    s.act(&mut a, "POST", &format!("voicecall/gethold?callid={second}"), None).await.refused("200-015");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    s.act(&mut a, "POST", &format!("voicecall/gethold?callid={first}"), None).await.ok();
    let evs = s.expect_events(&mut a, &["AgentEvent_Talking"]).await;
    assert_eq!(evs[0]["content"]["callid"], first);
}

#[tokio::test]
async fn confjoin_refuses_without_an_active_or_a_held_call() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let join = |callid: &str| json!({"callid": callid});
    s.act(&mut a, "POST", "voicecall/confjoin", Some(&join("1-1"))).await.refused("200-010");
    let first = callout(&s, &mut a, "70005").await;
    // Active call, nothing held.
    s.act(&mut a, "POST", "voicecall/confjoin", Some(&join(&first))).await.refused("200-011");
    hold(&s, &mut a).await;
    // Held call, nothing active.
    s.act(&mut a, "POST", "voicecall/confjoin", Some(&join(&first))).await.refused("200-010");
    let second = callout(&s, &mut a, "70006").await;
    // Both, but the id is not the held call's.
    s.act(&mut a, "POST", "voicecall/confjoin", Some(&join("1-999"))).await.refused("200-011");
    s.act(&mut a, "POST", "voicecall/confjoin", Some(&join(&second))).await.refused("200-011");
    assert_eq!(calls(&s, 101).await.len(), 2, "nothing was joined");
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn confjoin_makes_a_three_party_call_with_the_partner_list() {
    for (sep, expected) in [(None, "70005,70006"), (Some(", "), "70005, 70006"), (Some("，"), "70005，70006")] {
        let patch = match sep {
            Some(sep) => json!({"partner_separator": sep}),
            None => json!({}),
        };
        let s = TestSim::start(patch);
        let mut a = s.ready_agent(101).await;
        let held = callout(&s, &mut a, "70005").await;
        hold(&s, &mut a).await;
        callout(&s, &mut a, "70006").await;
        s.act(&mut a, "POST", "voicecall/confjoin", Some(&json!({"callid": held, "callappdata": "abc"}))).await.ok();
        let evs = s.expect_events(&mut a, &["AgentEvent_Conference"]).await;
        assert_eq!(evs[0]["content"], json!({"callid": held, "partner": expected}));
        let c = calls(&s, 101).await;
        assert_eq!(c.len(), 1);
        assert_eq!(c[0]["callid"], held);
        assert_eq!(c[0]["threeParty"], true);
        assert_eq!(c[0]["state"], "talking");
        assert_eq!(c[0]["callappdataBytes"], 3);
        assert_eq!(c[0]["parties"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn transmit_num_needs_an_agent_customer_ivr_three_party_call() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let tx = "voicecall/thirdPartyConfTransmitNum";
    // No call.
    s.act(&mut a, "POST", tx, None).await.refused("10001");
    // Two-party call with the IVR.
    callout(&s, &mut a, "90001234").await;
    assert_eq!(calls(&s, 101).await[0]["parties"][0]["kind"], "ivr");
    s.act(&mut a, "POST", tx, None).await.refused("10001");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    // Three-party call of two customers.
    three_party(&s, &mut a, "70005", "70006").await;
    s.act(&mut a, "POST", tx, None).await.refused("10001");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    // Agent + customer + IVR: accepted.
    three_party(&s, &mut a, "70005", "9000555").await;
    let r = s.act(&mut a, "POST", tx, None).await;
    r.ok();
    assert_eq!(r.result(), &json!({}));
    assert_eq!(calls(&s, 101).await[0]["transmitNum"], true);
    // The IVR leaving makes it a two-party call again.
    s.act(&mut a, "POST", "voicecall/disconnect/9000555", None).await.ok();
    s.drain(&mut a).await;
    s.act(&mut a, "POST", tx, None).await.refused("10001");
}

#[tokio::test]
async fn ivr_prefixes_decide_which_numbers_are_ivrs() {
    let s = TestSim::start(json!({"ivr_prefixes": ["77"]}));
    let mut a = s.ready_agent(101).await;
    three_party(&s, &mut a, "70005", "9000555").await;
    s.act(&mut a, "POST", "voicecall/thirdPartyConfTransmitNum", None).await.refused("10001");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    three_party(&s, &mut a, "7712", "70005").await;
    s.act(&mut a, "POST", "voicecall/thirdPartyConfTransmitNum", None).await.ok();
}

#[tokio::test]
async fn an_inbound_call_from_the_control_api_is_auto_answered() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let v = s.ctl_ok("POST", "agents/101/inbound", Some(&json!({"caller": "70007"}))).await;
    let callid = v["callid"].as_str().unwrap().to_string();
    let evs = s
        .expect_events(
            &mut a,
            &["AgentOther_PhoneAlerting", "AgentEvent_Ringing", "AgentState_Busy", "AgentEvent_Talking"],
        )
        .await;
    assert_eq!(evs[0]["content"], json!({"type": "main"}));
    assert_eq!(
        evs[1]["content"],
        json!({"caller": "70007", "transfer": "no", "callid": callid, "transfrom": "", "called": "101",
               "type": "main", "mediaAbility": "1", "feature": "0"})
    );
    assert_eq!(evs[3]["content"]["callid"], callid);
    assert_eq!(evs[3]["content"]["feature"], "0", "an inbound call");
    assert_eq!(calls(&s, 101).await[0]["state"], "talking");
    // A second inbound call while talking is refused.
    let (status, _) = s.ctl("POST", "agents/101/inbound", Some(&json!({"caller": "70008"}))).await;
    assert_eq!(status, 409);
    // Not signed in: refused.
    let (status, _) = s.ctl("POST", "agents/102/inbound", Some(&json!({}))).await;
    assert_eq!(status, 409);
    assert!(s.sim.inbound_call(102, "70005").is_err());
}

#[tokio::test]
async fn without_autoanswer_an_inbound_call_rings_until_answered() {
    let s = TestSim::start(json!({}));
    let mut a = s.sign_in_with(101, &json!({"password": PASSWORD, "autoanswer": false})).await;
    s.drain(&mut a).await;
    let callid = s.sim.inbound_call(101, "70007").unwrap();
    s.expect_events(&mut a, &["AgentOther_PhoneAlerting", "AgentEvent_Ringing"]).await;
    assert_eq!(calls(&s, 101).await[0]["state"], "alerting");
    s.act(&mut a, "POST", "voicecall/answer", None).await.ok();
    let evs = s.expect_events(&mut a, &["AgentState_Busy", "AgentEvent_Talking"]).await;
    assert_eq!(evs[1]["content"]["callid"], callid);
    s.act(&mut a, "POST", "voicecall/answer", None).await.refused("200-002");
}

#[tokio::test]
async fn a_customer_hanging_up_releases_the_call() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let callid = s.sim.inbound_call(101, "70007").unwrap();
    s.drain(&mut a).await;
    let v = s.ctl_ok("POST", "agents/101/hangup", Some(&json!({}))).await;
    assert_eq!(v, json!({"callid": callid, "number": "70007"}));
    let evs = s
        .expect_events(
            &mut a,
            &["AgentEvent_Customer_Release", "AgentEvent_Call_Release", "AgentOther_PhoneRelease", "AgentState_Ready"],
        )
        .await;
    assert_eq!(evs[0]["content"], json!({"callid": callid, "number": "70007"}));
    assert_eq!(evs[1]["content"], json!(callid), "AgentEvent_Call_Release carries the call id as its content");
    assert_eq!(evs[2]["content"], json!({"phoneState": 3}), "the customer hung up: on-hook by the platform");
    assert!(calls(&s, 101).await.is_empty());
    let (status, _) = s.ctl("POST", "agents/101/hangup", Some(&json!({}))).await;
    assert_eq!(status, 409, "no call to hang up");
}

#[tokio::test]
async fn a_party_leaving_a_three_party_call_leaves_a_two_party_call() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let callid = three_party(&s, &mut a, "70005", "70006").await;
    // Through the Rust API, naming the party.
    let (cid, number) = s.sim.hangup(101, Some(&callid), Some("70006")).unwrap();
    assert_eq!((cid.as_str(), number.as_str()), (callid.as_str(), "70006"));
    let evs = s.expect_events(&mut a, &["AgentEvent_Customer_Release"]).await;
    assert_eq!(evs[0]["content"], json!({"callid": callid, "number": "70006"}));
    let c = calls(&s, 101).await;
    assert_eq!(c[0]["threeParty"], false);
    assert_eq!(c[0]["parties"], json!([{"number": "70005", "kind": "customer"}]));
    assert!(s.sim.hangup(101, Some("1-999"), None).is_err());
}

#[tokio::test]
async fn release_ends_the_active_call_and_refuses_without_one() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "DELETE", "voicecall/release", None).await.refused("200-017");
    let callid = callout(&s, &mut a, "70005").await;
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    // The release page's order: Call_Release, Customer_Release, PhoneRelease, Ready.
    let evs = s.expect_events(&mut a, &RELEASED).await;
    assert_eq!(evs[0]["content"], json!(callid));
    assert_eq!(evs[1]["content"], json!({"callid": callid, "number": "70005"}));
    assert_eq!(evs[2]["content"], json!({"phoneState": 2}), "released by the agent");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.refused("200-017");
    // Release of a three-party call: every party leaves.
    let callid = three_party(&s, &mut a, "70005", "70006").await;
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    let evs = s
        .expect_events(
            &mut a,
            &[
                "AgentEvent_Call_Release",
                "AgentEvent_Customer_Release",
                "AgentEvent_Customer_Release",
                "AgentOther_PhoneRelease",
                "AgentState_Ready",
            ],
        )
        .await;
    assert_eq!(evs[1]["content"], json!({"callid": callid, "number": "70005"}));
    assert_eq!(evs[2]["content"], json!({"callid": callid, "number": "70006"}));
    // The legacy path `DELETE voicecall/{id}` releases too.
    callout(&s, &mut a, "70005").await;
    s.act(&mut a, "DELETE", "voicecall", None).await.ok();
    s.expect_events(&mut a, &RELEASED).await;
    s.act(&mut a, "DELETE", "voicecall", None).await.refused("200-017");
}

#[tokio::test]
async fn dropcall_releases_the_named_call() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let held = callout(&s, &mut a, "70005").await;
    hold(&s, &mut a).await;
    let active = callout(&s, &mut a, "70006").await;
    s.act(&mut a, "POST", "voicecall/dropcall/1-999", None).await.refused("200-025");
    s.act(&mut a, "POST", &format!("voicecall/dropcall/{held}"), None).await.ok();
    // Another call is left: no AgentState_Ready.
    let evs = s
        .expect_events(&mut a, &["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease"])
        .await;
    assert_eq!(evs[0]["content"], json!(held));
    assert_eq!(evs[1]["content"], json!({"callid": held, "number": "70005"}));
    s.assert_no_events(101).await;
    let c = calls(&s, 101).await;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0]["callid"], active);
    // The last call: the agent is ready again.
    s.act(&mut a, "POST", &format!("voicecall/dropcall/{active}"), None).await.ok();
    s.expect_events(&mut a, &RELEASED).await;
    s.act(&mut a, "POST", &format!("voicecall/dropcall/{active}"), None).await.refused("200-025");
}

#[tokio::test]
async fn disconnect_drops_one_party_by_number() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let callid = three_party(&s, &mut a, "70005", "70006").await;
    s.act(&mut a, "POST", "voicecall/disconnect/70999", None).await.refused("000-002");
    s.act(&mut a, "POST", "voicecall/disconnect/70005", None).await.ok();
    let evs = s.expect_events(&mut a, &["AgentEvent_Customer_Release"]).await;
    assert_eq!(evs[0]["content"], json!({"callid": callid, "number": "70005"}));
    let c = calls(&s, 101).await;
    assert_eq!(c[0]["parties"], json!([{"number": "70006", "kind": "customer"}]));
    // The last party leaving releases the call.
    s.act(&mut a, "POST", "voicecall/disconnect/70006", None).await.ok();
    s.expect_events(
        &mut a,
        &["AgentEvent_Customer_Release", "AgentEvent_Call_Release", "AgentOther_PhoneRelease", "AgentState_Ready"],
    )
    .await;
    assert!(calls(&s, 101).await.is_empty());
    s.act(&mut a, "POST", "voicecall/disconnect/70006", None).await.refused("200-017");
}

#[tokio::test]
async fn connecthold_connects_the_held_and_active_calls_and_drops_the_agent() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "POST", "voicecall/connecthold/1-1", None).await.refused("200-013");
    let held = callout(&s, &mut a, "70005").await;
    hold(&s, &mut a).await;
    // Only a held call: nothing active to connect it with.
    s.act(&mut a, "POST", &format!("voicecall/connecthold/{held}"), None).await.refused("200-014");
    let active = callout(&s, &mut a, "70006").await;
    // The active call's id is not a held call's.
    s.act(&mut a, "POST", &format!("voicecall/connecthold/{active}"), None).await.refused("200-014");
    s.act(&mut a, "POST", "voicecall/connecthold/1-999", None).await.refused("200-014");
    assert_eq!(calls(&s, 101).await.len(), 2, "refusals change nothing");
    s.act(&mut a, "POST", &format!("voicecall/connecthold/{held}"), None).await.ok();
    let evs = s
        .expect_events(
            &mut a,
            &[
                "AgentEvent_Call_Release",
                "AgentEvent_Customer_Release",
                "AgentEvent_Call_Release",
                "AgentEvent_Customer_Release",
                "AgentOther_PhoneRelease",
                "AgentMediaEvent_StopRecordDone",
                "AgentState_Ready",
            ],
        )
        .await;
    assert_eq!(evs[0]["content"], json!(active));
    assert_eq!(evs[1]["content"], json!({"callid": active, "number": "70006"}));
    assert_eq!(evs[2]["content"], json!(held));
    assert_eq!(evs[3]["content"], json!({"callid": held, "number": "70005"}));
    assert!(calls(&s, 101).await.is_empty());
    // Without a path parameter the route does not exist.
    let r = s.act(&mut a, "POST", "voicecall/connecthold", None).await;
    assert_eq!(r.status, 404);
}

/// A callout to a number `answer_rules` make wait: dialled, then the outcome.
async fn dial(s: &TestSim, a: &mut Agent, called: &str) -> String {
    let r = s.act(a, "PUT", "voicecall/callout", Some(&json!({"called": called}))).await;
    r.ok();
    let callid = r.result().as_str().unwrap().to_string();
    let evs = s.expect_events(a, &["AgentState_Busy", "AgentEvent_Customer_Alerting"]).await;
    assert_eq!(evs[1]["content"]["otherPhone"], called);
    callid
}

const CALLOUT_FAILED: [&str; 4] =
    ["AgentOther_PhoneRelease", "AgentEvent_Call_Out_Fail", "AgentEvent_Connect_Fail", "AgentState_Ready"];

#[tokio::test]
async fn callout_outcomes_follow_answer_rules() {
    let s = TestSim::start(json!({"answer_rules": [
        {"prefix": "71", "outcome": "join", "delay_ms": 80},
        {"address": "72000", "outcome": "busy", "delay_ms": 30},
        {"prefix": "73", "address_type": 6, "outcome": "no_answer"},
        {"prefix": "74", "outcome": "never"},
        {"prefix": "75", "address_type": 9, "outcome": "busy"},
    ]}));
    let mut a = s.ready_agent(101).await;
    // Answered after its delay: dialling (state 3, not talking) until then.
    let callid = dial(&s, &mut a, "71000").await;
    assert_eq!(calls(&s, 101).await[0]["state"], "dialing");
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("200-014");
    let evs = s.expect_events(&mut a, &["AgentEvent_Talking"]).await;
    assert_eq!(evs[0]["content"]["callid"], callid);
    assert_eq!(calls(&s, 101).await[0]["state"], "talking");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    // Busy after 30 ms, and no answer at once: the outbound-call failure events, the call
    // id as their content (event pages), the phone released by the platform.
    for called in ["72000", "73001"] {
        let callid = dial(&s, &mut a, called).await;
        let evs = s.expect_events(&mut a, &CALLOUT_FAILED).await;
        assert_eq!(evs[0]["content"], json!({"phoneState": 3}));
        assert_eq!(evs[1]["content"], json!(callid));
        assert_eq!(evs[2]["content"], json!(callid));
        assert!(calls(&s, 101).await.is_empty(), "{called}");
        let r = s.act(&mut a, "GET", "calldata/callinfo?isNoContainLastCall=true", None).await;
        assert_eq!(r.result()["callid"], callid.as_str());
        assert_eq!(r.result()["begintime"], 0, "never answered");
    }
    // A rule for agent ids does not apply to a phone number.
    callout(&s, &mut a, "75000").await;
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    // Never answers: it rings until released, or until the control API decides.
    let callid = dial(&s, &mut a, "74000").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    s.assert_no_events(101).await;
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    let evs = s.expect_events(&mut a, &RELEASED).await;
    assert_eq!(evs[0]["content"], json!(callid));
    let callid = dial(&s, &mut a, "74001").await;
    s.ctl_ok("POST", &format!("agents/101/calls/{callid}/answer"), None).await;
    s.expect_events(&mut a, &["AgentEvent_Talking"]).await;
    let (status, _) = s.ctl("POST", &format!("agents/101/calls/{callid}/answer"), None).await;
    assert_eq!(status, 409, "no longer being dialled");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    let callid = dial(&s, &mut a, "74002").await;
    s.sim.remote_answer(101, &callid, false).unwrap();
    s.expect_events(&mut a, &CALLOUT_FAILED).await;
    assert!(s.sim.remote_answer(101, &callid, true).is_err());
    // The called party hanging up while it rings fails the call too.
    dial(&s, &mut a, "74003").await;
    s.ctl_ok("POST", "agents/101/hangup", Some(&json!({}))).await;
    s.expect_events(&mut a, &CALLOUT_FAILED).await;
}
