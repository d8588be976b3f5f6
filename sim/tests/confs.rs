//! Agent conferences: request, chair checks, invitations, hold/unhold of participants,
//! removal, queries by inspectors and agents, leaving and release.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn requestagentconf_emits_self_join_result_then_request_success() {
    let s = TestSim::start(json!({}));
    let mut chair = s.ready_agent(101).await;
    let conf = open_conf(&s, &mut chair).await;
    assert_eq!(conf, 1_029_888, "the first conference id is first_conf_id");
    let confs = s.confs().await;
    assert_eq!(confs.len(), 1);
    assert_eq!(confs[0]["chair"], "101");
    assert_eq!(confs[0]["granted"], true);
    assert_eq!(confs[0]["memberNum"], 10);
    assert_eq!(s.agent_state(101).await["conf"], conf);
    // One conference at a time; memberNum is mandatory.
    let r = s.act(&mut chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await;
    r.refused("101-003");
    let mut b = s.ready_agent(102).await;
    s.act(&mut b, "POST", "agentconf/requestagentconf", Some(&json!({}))).await.refused("000-002");
    s.act(&mut b, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 121}))).await.refused("000-002");
    // The next conference gets the next id.
    assert_eq!(open_conf(&s, &mut b).await, conf + 1);
}

#[tokio::test]
async fn chair_operations_before_request_success_get_101_001() {
    let s = TestSim::start(json!({"conf_grant_delay_ms": 60000}));
    let mut chair = s.ready_agent(101).await;
    s.act(&mut chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    let confs = s.confs().await;
    assert_eq!(confs[0]["granted"], false);
    let ops: [(&str, Value); 4] = [
        ("agentconf/batchaddparticipant", json!({"addresses": [addr("6", "70005")]})),
        ("agentconf/holdparticipant", json!({"addressType": "9", "address": "101", "voicePath": "y:/a"})),
        ("agentconf/unholdparticipant", json!({"addressType": "9", "address": "101"})),
        ("agentconf/batchremoveparticipant", json!({"addresses": [addr("6", "70005")]})),
    ];
    for (route, body) in &ops {
        s.act(&mut chair, "POST", route, Some(body)).await.refused("101-001");
    }
    // Not granted yet: the query does not show it, and no grant events have come.
    assert!(query(&s, &mut chair, &[confs[0]["confId"].as_u64().unwrap()]).await.is_empty());
    s.assert_no_events(101).await;
}

#[tokio::test]
async fn agent_conference_operations_without_a_conference_get_101_001() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let ops: [(&str, Value); 6] = [
        ("agentconf/batchaddparticipant", json!({"addresses": [addr("6", "70005")]})),
        ("agentconf/holdparticipant", json!({"addressType": "6", "address": "70005", "voicePath": "y:/a"})),
        ("agentconf/unholdparticipant", json!({"addressType": "6", "address": "70005"})),
        ("agentconf/batchremoveparticipant", json!({"addresses": [addr("6", "70005")]})),
        ("agentconf/releaseagentconf", Value::Null),
        ("agentconf/requestleaveagentconf", Value::Null),
    ];
    for (route, body) in &ops {
        let body = (!body.is_null()).then_some(body);
        s.act(&mut a, "POST", route, body).await.refused("101-001");
    }
    s.act(&mut a, "POST", "agentconf/answeragentconf", None).await.refused("101-001");
    s.act(&mut a, "POST", "agentconf/rejectagentconf", None).await.refused("101-001");
}

#[tokio::test]
async fn chair_operations_by_another_participant_get_101_002() {
    let s = TestSim::start(json!({}));
    let (_chair, mut b, _conf) = conf_with_members(&s).await;
    let ops: [(&str, Value); 5] = [
        ("agentconf/batchaddparticipant", json!({"addresses": [addr("6", "70006")]})),
        ("agentconf/holdparticipant", json!({"addressType": "6", "address": "70005", "voicePath": "y:/a"})),
        ("agentconf/unholdparticipant", json!({"addressType": "6", "address": "70005"})),
        ("agentconf/batchremoveparticipant", json!({"addresses": [addr("6", "70005")]})),
        ("agentconf/releaseagentconf", Value::Null),
    ];
    for (route, body) in &ops {
        let body = (!body.is_null()).then_some(body);
        s.act(&mut b, "POST", route, body).await.refused("101-002");
    }
}

#[tokio::test]
async fn batchaddparticipant_rings_agents_joins_invitees_and_tells_the_others() {
    let s = TestSim::start(json!({}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let mut c = s.sign_in_with(103, &json!({"password": PASSWORD, "autoanswer": false})).await;
    s.drain(&mut c).await;
    let conf = open_conf(&s, &mut chair).await;
    let body = json!({"addresses": [
        {"addressType": "9", "address": "102", "deviceCallType": 1, "deviceType": 66},
        addr("9", "103"),
        addr("6", "70005"),
        addr("9", "104"),
    ]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();

    // 102 answers by itself (autoanswer), then hears of the phone joining after it.
    let evs = s
        .expect_events(&mut b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult", "AgentConf_ParticipantChanged"])
        .await;
    assert_eq!(evs[0]["content"], json!({"confId": conf}));
    assert_eq!(evs[1]["content"], json!({"confId": conf}));
    assert_eq!(evs[2]["content"], changed(conf, 0, 255, "70005", 6));
    // The chair: the invitation of 104 (not signed in) failed at once, then the two joins.
    let evs = s
        .expect_events(
            &mut chair,
            &["AgentConf_ParticipantChanged", "AgentConf_ParticipantChanged", "AgentConf_ParticipantChanged"],
        )
        .await;
    assert_eq!(evs[0]["content"]["result"], 1);
    assert_eq!(evs[0]["content"]["participant"], "104");
    assert_eq!(evs[0]["content"]["changeType"], 0);
    let mut join_b = changed(conf, 0, 255, "102", 9);
    join_b["deviceCallType"] = json!(1);
    join_b["deviceType"] = json!(66);
    assert_eq!(evs[1]["content"], join_b);
    assert_eq!(evs[2]["content"], changed(conf, 0, 255, "70005", 6));
    // 103 rings until it answers.
    let evs = s.expect_events(&mut c, &["AgentConf_Ringing"]).await;
    assert_eq!(evs[0]["content"], json!({"confId": conf}));
    let q = query(&s, &mut chair, &[conf]).await;
    assert!(q[0]["addresses"].as_array().unwrap().iter().all(|m| m["address"] != "103"), "103 has not joined yet");
    s.act(&mut c, "POST", "agentconf/answeragentconf", None).await.ok();
    s.expect_events(&mut c, &["AgentConf_SelfJoinResult"]).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 0, 255, "103", 9));
    let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 0, 255, "103", 9));
    s.act(&mut c, "POST", "agentconf/answeragentconf", None).await.refused("101-003");

    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(q.len(), 1);
    let mut members: Vec<&str> =
        q[0]["addresses"].as_array().unwrap().iter().map(|m| m["address"].as_str().unwrap()).collect();
    members.sort();
    assert_eq!(members, ["101", "102", "103", "70005"]);
    assert_eq!(member(&q[0], "101")["role"], 1);
    assert_eq!(member(&q[0], "102")["role"], 0);
    assert_eq!(member(&q[0], "102")["addressType"], "9");
    assert_eq!(member(&q[0], "102")["deviceType"], 66);
    assert_eq!(member(&q[0], "70005")["addressType"], "6");
    assert_eq!(s.agent_state(104).await["conf"], Value::Null);
}

#[tokio::test]
async fn participant_changed_to_subject_also_tells_the_joining_agent() {
    let s = TestSim::start(json!({"participant_changed_to_subject": true}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let conf = open_conf(&s, &mut chair).await;
    let body = json!({"addresses": [addr("9", "102")]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    let evs = s
        .expect_events(&mut b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult", "AgentConf_ParticipantChanged"])
        .await;
    assert_eq!(evs[2]["content"], changed(conf, 0, 255, "102", 9));
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
}

#[tokio::test]
async fn a_ringing_agent_can_reject_the_invitation() {
    let s = TestSim::start(json!({}));
    let mut chair = s.ready_agent(101).await;
    let mut c = s.sign_in_with(103, &json!({"password": PASSWORD, "autoanswer": false})).await;
    s.drain(&mut c).await;
    open_conf(&s, &mut chair).await;
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&json!({"addresses": [addr("9", "103")]})))
        .await
        .ok();
    s.expect_events(&mut c, &["AgentConf_Ringing"]).await;
    s.act(&mut c, "POST", "agentconf/rejectagentconf", None).await.ok();
    s.expect_events(&mut c, &["AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert_eq!(s.agent_state(103).await["conf"], Value::Null);
    s.act(&mut c, "POST", "agentconf/rejectagentconf", None).await.refused("101-001");
}

#[tokio::test]
async fn holdparticipant_and_unholdparticipant_change_the_channel_state() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    let path = "y:/conf/1/1136287.V3";
    let body = json!({"addressType": "6", "address": "70005", "playMode": 2, "voicePath": path});
    s.act(&mut chair, "POST", "agentconf/holdparticipant", Some(&body)).await.ok();
    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(member(&q[0], "70005")["channelState"], 1);
    assert_eq!(member(&q[0], "102")["channelState"], 0);
    let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 5, 255, "70005", 6));
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    let confs = s.confs().await;
    let held = confs[0]["members"].as_array().unwrap().iter().find(|m| m["address"] == "70005").unwrap();
    assert_eq!(held["holdVoicePath"], path, "the announcement path is kept");
    assert_eq!(held["channelState"], 1);

    s.act(&mut chair, "POST", "agentconf/unholdparticipant", Some(&json!({"addressType": 6, "address": "70005"})))
        .await
        .ok();
    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(member(&q[0], "70005")["channelState"], 0);
    let evs = s.expect_events(&mut b, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 6, 255, "70005", 6));
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    let confs = s.confs().await;
    let m = confs[0]["members"].as_array().unwrap().iter().find(|m| m["address"] == "70005").unwrap();
    assert_eq!(m["holdVoicePath"], Value::Null);

    // Holding an agent participant: the others hear of it, the subject does not (by default).
    let body = json!({"addressType": "9", "address": "102", "voicePath": path});
    s.act(&mut chair, "POST", "agentconf/holdparticipant", Some(&body)).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 5, 255, "102", 9));
    s.assert_no_events(102).await;
    // Someone not in the conference.
    let body = json!({"addressType": "6", "address": "70999", "voicePath": path});
    s.act(&mut chair, "POST", "agentconf/holdparticipant", Some(&body)).await.refused("000-002");
}

#[tokio::test]
async fn batchremoveparticipant_removes_reports_missing_and_refuses_the_chair() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    let body = json!({"addresses": [addr("9", "101")]});
    s.act(&mut chair, "POST", "agentconf/batchremoveparticipant", Some(&body)).await.refused("101-006");

    let body = json!({"addresses": [addr("9", "102"), addr("6", "99999"), addr("9", "555")]});
    let r = s.act(&mut chair, "POST", "agentconf/batchremoveparticipant", Some(&body)).await;
    r.ok();
    assert_eq!(r.result()["noExistParticipants"], json!([addr("6", "99999"), addr("9", "555")]));
    s.expect_events(&mut b, &["AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready"]).await;
    assert_eq!(s.agent_state(102).await["conf"], Value::Null);
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 1, "102", 9));
    // Removing the phone: the chair hears of it.
    let body = json!({"addresses": [addr("6", "70005")]});
    let r = s.act(&mut chair, "POST", "agentconf/batchremoveparticipant", Some(&body)).await;
    r.ok();
    assert_eq!(r.result()["noExistParticipants"], json!([]));
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 1, "70005", 6));
    let q = query(&s, &mut chair, &[conf]).await;
    assert_eq!(q[0]["addresses"].as_array().unwrap().len(), 1, "only the chair is left");
}

#[tokio::test]
async fn queryconfinfos_inspectors_see_their_vdn_agents_only_their_own() {
    let s = TestSim::start(
        json!({"agents": {"201": {"inspector": true}, "301": {"vdn": 2}, "302": {"vdn": 2, "inspector": true}}}),
    );
    let (mut chair, mut b, conf_a) = conf_with_members(&s).await;
    let mut other_chair = s.ready_agent(301).await;
    let conf_b = open_conf(&s, &mut other_chair).await;
    let mut inspector = s.ready_agent(201).await;
    let mut inspector2 = s.ready_agent(302).await;
    let mut outsider = s.ready_agent(150).await;
    let ids = [conf_a, conf_b, 4242];
    let ids_of = |confs: Vec<Value>| confs.iter().map(|c| c["confId"].as_u64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids_of(query(&s, &mut inspector, &ids).await), [conf_a], "inspector of VDN 1");
    assert_eq!(ids_of(query(&s, &mut inspector2, &ids).await), [conf_b], "inspector of VDN 2");
    assert_eq!(ids_of(query(&s, &mut chair, &ids).await), [conf_a]);
    assert_eq!(ids_of(query(&s, &mut b, &ids).await), [conf_a], "a participant sees its conference");
    assert_eq!(ids_of(query(&s, &mut other_chair, &ids).await), [conf_b]);
    assert!(query(&s, &mut outsider, &ids).await.is_empty());

    let c = &query(&s, &mut chair, &[conf_a]).await[0];
    assert_eq!(c["confState"], 0);
    assert_eq!(c["applyConfTime"], 60);
    assert_eq!(c["confHaveBeenTime"], 0);
    assert!(c["startTime"].as_u64().unwrap() > 1_600_000_000_000);
    let chair_m = member(c, "101");
    for key in ["deviceCallType", "deviceType", "channelAttrib", "channelState", "role", "enterTime"] {
        assert!(chair_m[key].is_number(), "{key} in {chair_m}");
    }
    assert_eq!(chair_m["channelAttrib"], 3);
    assert_eq!(chair_m["addressType"], "9");

    // The bare-array shape.
    s.sim.update_settings(&json!({"query_shape": "array"})).unwrap();
    let r = s.act(&mut inspector, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": ids}))).await;
    r.ok();
    let arr = r.result().as_array().unwrap_or_else(|| panic!("bare array expected: {}", r.text));
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["confId"], conf_a);
}

#[tokio::test]
async fn leaving_and_releasing_end_membership() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    s.act(&mut chair, "POST", "agentconf/requestleaveagentconf", None).await.refused("101-007");
    s.act(&mut b, "POST", "agentconf/requestleaveagentconf", None).await.ok();
    s.expect_events(&mut b, &LEAVE_EVENTS).await;
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 0, "102", 9));

    // Invite again and release: every agent member leaves, the conference is gone.
    let body = json!({"addresses": [addr("9", "102")]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    s.expect_events(&mut b, &["AgentConf_Ringing", "AgentConf_SelfJoinResult"]).await;
    s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    s.act(&mut chair, "POST", "agentconf/releaseagentconf", None).await.ok();
    let evs = s
        .expect_events(&mut chair, &["AgentConf_SelfLeaveResult", "AgentOther_PhoneRelease", "AgentState_Ready"])
        .await;
    assert_eq!(evs[0]["content"], json!({"confId": conf}));
    s.expect_events(&mut b, &["AgentConf_SelfLeaveResult", "AgentOther_PhoneRelease", "AgentState_Ready"]).await;
    assert!(s.confs().await.is_empty());
    assert!(query(&s, &mut chair, &[conf]).await.is_empty());
    assert_eq!(s.agent_state(101).await["conf"], Value::Null);
    assert_eq!(s.agent_state(102).await["conf"], Value::Null);
    s.act(&mut chair, "POST", "agentconf/releaseagentconf", None).await.refused("101-001");
    // A new conference can be requested by a former participant.
    open_conf(&s, &mut b).await;
}

#[tokio::test]
async fn signing_out_leaves_or_releases_the_conference() {
    let s = TestSim::start(json!({}));
    let (mut chair, mut b, conf) = conf_with_members(&s).await;
    s.act(&mut b, "DELETE", "onlineagent/logout", None).await.ok();
    let evs = s.expect_events(&mut chair, &["AgentConf_ParticipantChanged"]).await;
    assert_eq!(evs[0]["content"], changed(conf, 1, 4, "102", 9), "reason 4: the agent signed out");
    s.act(&mut chair, "DELETE", "onlineagent/logout", None).await.ok();
    assert!(s.confs().await.is_empty(), "the chair signing out releases the conference");
}

#[tokio::test]
async fn a_stable_call_joins_the_conference_and_a_held_call_fails_it() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await.ok();
    s.drain(&mut a).await;
    let conf = open_conf(&s, &mut a).await;
    let q = query(&s, &mut a, &[conf]).await;
    assert_eq!(member(&q[0], "70005")["role"], 0, "the customer of the call is a participant");
    assert_eq!(s.agent_state(101).await["calls"], json!([]), "the call became the conference");

    let mut b = s.ready_agent(102).await;
    s.act(&mut b, "PUT", "voicecall/callout", Some(&json!({"called": "70006"}))).await.ok();
    s.act(&mut b, "POST", "voicecall/hold", None).await.ok();
    s.drain(&mut b).await;
    s.act(&mut b, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    let evs = s.expect_events(&mut b, &["AgentConf_RequestFailed"]).await;
    assert_eq!(evs[0]["content"], json!({"cause": 21234}));
    assert_eq!(s.agent_state(102).await["conf"], Value::Null);
}
