//! Agent-conference helpers shared by the conference tests.

use super::*;
use serde_json::{json, Value};

pub const GRANT_EVENTS: [&str; 5] = [
    "AgentState_Busy",
    "AgentOther_PhoneAlerting",
    "AgentOther_PhoneOffhook",
    "AgentConf_SelfJoinResult",
    "AgentConf_RequestSuccess",
];

/// What an agent that leaves with `requestleaveagentconf` receives (reference §5, then its
/// resting state).
pub const LEAVE_EVENTS: [&str; 4] =
    ["AgentMediaEvent_StopRecordDone", "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"];

/// Requests a conference and waits for it to be granted; returns its id.
pub async fn open_conf(s: &TestSim, chair: &mut Agent) -> u64 {
    s.act(chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 10}))).await.ok();
    let evs = s.expect_events(chair, &GRANT_EVENTS).await;
    let conf = evs[4]["content"]["confId"].as_u64().expect("RequestSuccess.confId");
    assert_eq!(evs[3]["content"], json!({"confId": conf}));
    conf
}

pub fn addr(address_type: &str, address: &str) -> Value {
    json!({"addressType": address_type, "address": address})
}

/// The `AgentConf_ParticipantChanged` content for a successful change.
pub fn changed(conf: u64, change_type: i64, reason: i64, participant: &str, participant_type: i64) -> Value {
    json!({
        "result": 0, "changeReason": reason, "changeType": change_type, "confId": conf,
        "participant": participant, "participantType": participant_type, "deviceCallType": 0, "deviceType": 0,
    })
}

pub async fn query(s: &TestSim, a: &mut Agent, ids: &[u64]) -> Vec<Value> {
    let r = s.act(a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": ids}))).await;
    r.ok();
    r.result()["confs"].as_array().unwrap_or_else(|| panic!("result.confs in {}", r.text)).clone()
}

pub fn member<'a>(conf: &'a Value, address: &str) -> &'a Value {
    conf["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["address"] == address)
        .unwrap_or_else(|| panic!("{address} not in {conf}"))
}

/// Chair 101 with agent 102 and phone 70005 joined; every queue drained.
pub async fn conf_with_members(s: &TestSim) -> (Agent, Agent, u64) {
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let conf = open_conf(s, &mut chair).await;
    let body = json!({"addresses": [addr("9", "102"), addr("6", "70005")]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    s.expect_events(&mut b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult", "AgentConf_ParticipantChanged"]).await;
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged", "AgentConf_ParticipantChanged"]).await;
    (chair, b, conf)
}
