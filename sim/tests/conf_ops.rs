//! The agent-conference routes beyond the seed pages (reference §5): mode changes, prolonging
//! and the timeout, handing the chair over, announcements, resources, the VDN query, and the
//! refusals every chair operation shares; plus reject/leave/remove of invitees as the chair
//! sees them.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

/// The chair operations added beyond the seed pages, each with a body the chair of
/// `conf_with_members` may send.
fn chair_ops() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("POST", "agentconf/changeparticipantmode", json!({"attribute": 1, "addressType": "6", "address": "70005"})),
        ("POST", "agentconf/prolongtime", json!({"prolongTime": 5})),
        ("POST", "agentconf/applytoshiftpresident", json!({"destAgentNo": 102})),
        ("POST", "agentconf/playvoicetoconf", json!({"voicePath": "y:/conf/1/a.V3"})),
        ("POST", "agentconf/stopvoicetoconf", Value::Null),
        (
            "POST",
            "agentconf/playvoicetoparticipant",
            json!({"addressType": "6", "address": "70005", "voicePath": "y:/a"}),
        ),
        ("POST", "agentconf/stopvoicetoparticipant", json!({"addressType": "6", "address": "70005"})),
        ("POST", "agentconf/modifyconfresource", json!({"modifyType": 0, "modifyNum": 2})),
    ]
}

#[tokio::test]
async fn chair_operations_refuse_101_001_and_101_002() {
    let s = TestSim::start(json!({}));
    let mut lone = s.ready_agent(150).await;
    for (method, route, body) in chair_ops() {
        s.act(&mut lone, method, route, Some(&body)).await.refused("101-001");
    }
    let (_chair, mut b, _) = conf_with_members(&s).await;
    let before = s.confs().await;
    for (method, route, body) in chair_ops() {
        s.act(&mut b, method, route, Some(&body)).await.refused("101-002");
    }
    assert_eq!(s.confs().await, before, "refusals change nothing");
    s.assert_no_events(101).await;
    // Before AgentConf_RequestSuccess: 101-001 (reference §11.18).
    let s = TestSim::start(json!({"conf_grant_delay_ms": 60000}));
    let mut chair = s.ready_agent(101).await;
    s.act(&mut chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    for (method, route, body) in chair_ops() {
        s.act(&mut chair, method, route, Some(&body)).await.refused("101-001");
    }
}

#[tokio::test]
async fn changeparticipantmode_sets_the_channel_attribute_and_reports_mute() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    for (attribute, change_type) in [(1, 3), (2, 4), (4, 3), (3, 4)] {
        let body = json!({"attribute": attribute, "addressType": "6", "address": "70005"});
        s.act(&mut chair, "POST", "agentconf/changeparticipantmode", Some(&body)).await.ok();
        let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
        assert_eq!(evs[0]["content"], changed(conf, change_type, 255, "70005", 6), "attribute {attribute}");
        s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
        assert_eq!(member(&query(&s, &mut chair, &[conf]).await[0], "70005")["channelAttrib"], attribute);
    }
    // The chair may change its own mode; the subject (the chair) is not told by default.
    let body = json!({"attribute": 1, "addressType": 9, "address": "101"});
    s.act(&mut chair, "POST", "agentconf/changeparticipantmode", Some(&body)).await.ok();
    let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 3, 255, "101", 9));
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn the_timeout_comes_at_time_minus_prompt_time_and_prolongtime_moves_it() {
    // One conference minute is 200 ms: warning at 1 minute (time 4, promptTime 3), end at 4.
    let s = TestSim::start(json!({"conf_minute_ms": 200}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    s.act(&mut chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3, "time": 4}))).await.ok();
    let evs = s.expect_events(&mut chair, &GRANT_EVENTS).await;
    let conf = evs[4]["content"]["confId"].as_u64().unwrap();
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({"addresses": [addr("9", "102")]})))
        .await
        .ok();
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    s.drain(&mut b).await;
    let started = std::time::Instant::now();
    let evs = s.expect_events(&mut chair, &["AgentConf_Timeout"]).await;
    assert_eq!(evs[0]["content"], json!({"confId": conf}));
    assert!(started.elapsed() < Duration::from_millis(600), "the warning is at minute 1 of 4");
    s.assert_no_events(102).await;
    // Two minutes more: a new warning at minute 3, the end at minute 6.
    s.act(&mut chair, "POST", "agentconf/prolongtime", Some(&json!({"prolongTime": 2}))).await.ok();
    assert_eq!(query(&s, &mut chair, &[conf]).await[0]["applyConfTime"], 6);
    s.expect_events(&mut chair, &["AgentConf_Timeout"]).await;
    assert!(!s.confs().await.is_empty(), "not over yet");
    let q = query(&s, &mut chair, &[conf]).await;
    assert!(q[0]["confHaveBeenTime"].as_u64().unwrap() >= 2, "minutes are counted in conf_minute_ms: {}", q[0]);
    // At the end every agent leaves: SelfLeaveResult, on-hook by the platform, ready.
    let end = ["AgentConf_SelfLeaveResult", "AgentOther_PhoneRelease", "AgentState_Ready"];
    let evs = s.expect_events(&mut chair, &end).await;
    assert_eq!(evs[1]["content"], json!({"phoneState": 3}));
    s.expect_events(&mut b, &end).await;
    assert!(s.confs().await.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(6 * 200 - 250), "not before minute 6");
}

#[tokio::test]
async fn applytoshiftpresident_hands_the_chair_over() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    let mut c = s.ready_agent(103).await;
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({"addresses": [addr("9", "103")]})))
        .await
        .ok();
    s.expect_events(&mut c, &["AgentConf_Ringing", "AgentConf_SelfJoinResult"]).await;
    s.drain(&mut chair).await;
    s.drain(&mut b).await;
    s.act(&mut chair, "POST", "agentconf/applytoshiftpresident", Some(&json!({"destAgentNo": "102"}))).await.ok();
    // The others: ParticipantChanged changeType 2 about the new chair; the new chair:
    // PresidentChanged.
    for a in [&mut chair, &mut c] {
        let evs = s.expect_events(a, &["AgentConf_ParticipantChanged"]).await;
        assert_eq!(evs[0]["content"], changed(conf, 2, 255, "102", 9));
    }
    let evs = s.expect_events(&mut b, &["AgentConf_PresidentChanged"]).await;
    assert_eq!(evs[0]["content"], json!({"confId": conf}));
    let q = query(&s, &mut b, &[conf]).await;
    assert_eq!(member(&q[0], "102")["role"], 1);
    assert_eq!(member(&q[0], "101")["role"], 0);
    assert_eq!(s.confs().await[0]["chair"], "102");
    // The old chair is an ordinary participant now; the new one chairs.
    s.act(&mut chair, "POST", "agentconf/releaseagentconf", None).await.refused("101-002");
    s.act(&mut b, "POST", "agentconf/requestleaveagentconf", None).await.refused("101-007");
    s.act(&mut chair, "POST", "agentconf/requestleaveagentconf", None).await.ok();
    s.expect_events(&mut chair, &LEAVE_EVENTS).await;
    let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 0, "101", 9));
    s.act(&mut b, "POST", "agentconf/applytoshiftpresident", Some(&json!({"destAgentNo": 102})))
        .await
        .refused("101-005");
    s.act(&mut b, "POST", "agentconf/releaseagentconf", None).await.ok();
    assert!(s.confs().await.is_empty());
}

#[tokio::test]
async fn announcements_to_the_conference_end_by_themselves_or_when_stopped() {
    let s = TestSim::start(json!({"announcement_ms": 150}));
    let (mut chair, _b, conf) = conf_with_members(&s).await;
    let play = json!({"playMode": 2, "voicePath": "y:/conf/1/a.V3"});
    s.act(&mut chair, "POST", "agentconf/playvoicetoconf", Some(&play)).await.ok();
    assert_eq!(query(&s, &mut chair, &[conf]).await[0]["confState"], 1);
    assert_eq!(s.confs().await[0]["voicePath"], "y:/conf/1/a.V3");
    let evs = s.expect_events(&mut chair, &["AgentConf_StopVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 0}));
    assert_eq!(query(&s, &mut chair, &[conf]).await[0]["confState"], 0);
    // Stopped before its end: StopVoice result 0 at once and nothing later.
    s.act(&mut chair, "POST", "agentconf/playvoicetoconf", Some(&play)).await.ok();
    s.act(&mut chair, "POST", "agentconf/stopvoicetoconf", None).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_StopVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 0}));
    assert_eq!(query(&s, &mut chair, &[conf]).await[0]["confState"], 0);
    // Nothing playing: StopVoice result 1.
    s.act(&mut chair, "POST", "agentconf/stopvoicetoconf", None).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_StopVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 1}));
    tokio::time::sleep(Duration::from_millis(250)).await;
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn announcements_to_a_participant_set_its_channel_state() {
    let s = TestSim::start(json!({"announcement_ms": 150}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    let target = json!({"addressType": "9", "address": "102"});
    let mut play = target.clone();
    play["voicePath"] = json!("y:/conf/1/b.V3");
    s.act(&mut chair, "POST", "agentconf/playvoicetoparticipant", Some(&play)).await.ok();
    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(member(&q[0], "102")["channelState"], 2, "an announcement plays to it");
    assert_eq!(member(&q[0], "70005")["channelState"], 0);
    assert_eq!(q[0]["confState"], 0, "not to the whole conference");
    let evs = s.expect_events(&mut chair, &["AgentConf_StopParticipantVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 0}));
    assert_eq!(member(&query(&s, &mut chair, &[conf]).await[0], "102")["channelState"], 0);
    // Held while it plays: held wins; stopping ends the announcement.
    s.act(&mut chair, "POST", "agentconf/playvoicetoparticipant", Some(&play)).await.ok();
    let hold = json!({"addressType": "9", "address": "102", "voicePath": "y:/hold.V3"});
    s.act(&mut chair, "POST", "agentconf/holdparticipant", Some(&hold)).await.ok();
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(member(&query(&s, &mut chair, &[conf]).await[0], "102")["channelState"], 1);
    s.act(&mut chair, "POST", "agentconf/stopvoicetoparticipant", Some(&target)).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_StopParticipantVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 0}));
    s.act(&mut chair, "POST", "agentconf/stopvoicetoparticipant", Some(&target)).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_StopParticipantVoice"]).await;
    assert_eq!(evs[0]["content"], json!({"result": 1}), "nothing was playing");
    tokio::time::sleep(Duration::from_millis(250)).await;
    s.assert_no_events(101).await;
    s.assert_no_events(102).await;
    let _ = &mut b;
}

#[tokio::test]
async fn modifyconfresource_changes_the_member_places() {
    let s = TestSim::start(json!({}));
    let (mut chair, _b, _) = conf_with_members(&s).await;
    assert_eq!(s.confs().await[0]["memberNum"], 10);
    s.act(&mut chair, "POST", "agentconf/modifyconfresource", Some(&json!({"modifyType": 0, "modifyNum": 5})))
        .await
        .ok();
    assert_eq!(s.confs().await[0]["memberNum"], 15);
    s.act(&mut chair, "POST", "agentconf/modifyconfresource", Some(&json!({"modifyType": "1", "modifyNum": "3"})))
        .await
        .ok();
    assert_eq!(s.confs().await[0]["memberNum"], 12);
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn queryvdnconfid_lists_the_vdn_conferences_for_inspectors_only() {
    let s = TestSim::start(json!({"agents": {"201": {"inspector": true}, "301": {"vdn": 2}}}));
    let (mut chair, _b, conf_a) = conf_with_members(&s).await;
    let mut other = s.ready_agent(301).await;
    let conf_b = open_conf(&s, &mut other).await;
    let mut inspector = s.ready_agent(201).await;
    let r = s.act(&mut inspector, "GET", "agentconf/queryvdnconfid", None).await;
    r.ok();
    assert_eq!(r.result(), &json!({"confIds": [conf_a]}), "only VDN 1's conference");
    s.act(&mut chair, "GET", "agentconf/queryvdnconfid", None).await.refused("101-004");
    s.act(&mut other, "GET", "agentconf/queryvdnconfid", None).await.refused("101-004");
    let r = s.act(&mut inspector, "POST", "agentconf/queryvdnconfid", None).await;
    assert_eq!(r.status, 405, "GET only");
    // A conference not granted yet is not listed; after the release, none.
    s.act(&mut chair, "POST", "agentconf/releaseagentconf", None).await.ok();
    let r = s.act(&mut inspector, "GET", "agentconf/queryvdnconfid", None).await;
    assert_eq!(r.result(), &json!({"confIds": []}));
    let _ = conf_b;
}

#[tokio::test]
async fn the_chair_hears_of_rejected_and_removed_invitations() {
    let s = TestSim::start(json!({}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let mut c = s.sign_in_with(103, &json!({"password": PASSWORD, "autoanswer": false})).await;
    let mut d = s.sign_in_with(104, &json!({"password": PASSWORD, "autoanswer": false})).await;
    let mut e = s.sign_in_with(105, &json!({"password": PASSWORD, "autoanswer": false})).await;
    for a in [&mut c, &mut d, &mut e] {
        s.drain(a).await;
    }
    let conf = open_conf(&s, &mut chair).await;
    let body = json!({"addresses": [addr("9", "102"), addr("9", "103"), addr("9", "104"), addr("9", "105")]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await; // 102 (autoanswer) joins
    s.expect_events(&mut b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult"]).await;
    for a in [&mut c, &mut d, &mut e] {
        s.expect_events(a, &["AgentConf_Ringing"]).await;
    }
    let failed = |who: &str, result: i64| {
        let mut v = changed(conf, 0, 255, who, 9);
        v["result"] = json!(result);
        v
    };
    // Rejected: the invitee's phone goes on-hook (by the agent); the chair and the joined
    // participants hear of a failed join.
    s.act(&mut c, "POST", "agentconf/rejectagentconf", None).await.ok();
    let evs = s.expect_events(&mut c, &["AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert_eq!(evs[0]["content"], json!({"phoneState": 2}));
    for a in [&mut chair, &mut b] {
        let evs = s.expect_events(a, &["AgentConf_ParticipantChanged"]).await;
        assert_eq!(evs[0]["content"], failed("103", 1));
    }
    // A ringing invitee asking to leave declines the same way.
    s.act(&mut d, "POST", "agentconf/requestleaveagentconf", None).await.ok();
    s.expect_events(&mut d, &["AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], failed("104", 1));
    s.drain(&mut b).await;
    // Removed while still ringing: changeType 1 reason 1; its phone is released by the platform.
    s.act(&mut chair, "POST", "agentconf/batchremoveparticipant", Some(&json!({"addresses": [addr("9", "105")]})))
        .await
        .ok();
    let evs = s.expect_events(&mut e, &["AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert_eq!(evs[0]["content"], json!({"phoneState": 3}));
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 1, "105", 9));
    for id in [103, 104, 105] {
        assert_eq!(s.agent_state(id).await["conf"], Value::Null);
    }
    s.act(&mut c, "POST", "agentconf/answeragentconf", None).await.refused("101-001");
    s.act(&mut c, "POST", "agentconf/rejectagentconf", None).await.refused("101-001");
    // 102 has joined: neither answer nor reject applies.
    s.act(&mut b, "POST", "agentconf/answeragentconf", None).await.refused("101-003");
    s.act(&mut b, "POST", "agentconf/rejectagentconf", None).await.refused("101-003");
}
