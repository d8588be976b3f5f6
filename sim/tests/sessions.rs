//! Sessions: sign-in, forced sign-in, sign-out, updateGuid, agent ids and per-agent settings.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn sign_in_answers_the_result_fields_and_set_guid() {
    let s = TestSim::start(json!({}));
    let r = s.sign_in_body(101, &json!({"password": PASSWORD, "phonenum": "40038", "status": "4"})).await;
    r.ok();
    let res = r.result();
    assert_eq!(res["vdnid"], 1);
    assert_eq!(res["workno"], "101");
    assert_eq!(res["mediatype"], "TTF");
    assert_eq!(res["isForceChange"], "false");
    assert_eq!(res["serverName"], "AgentGateway");
    assert!(res["timeRemaining"].is_string());
    let login: u64 = res["loginTime"].as_str().expect("loginTime is a string").parse().expect("loginTime digits");
    assert!(login > 1_600_000_000_000, "loginTime in ms since the epoch: {login}");
    let raw = r.set_guid_raw.as_deref().unwrap();
    assert!(raw.starts_with("JSESSIONID="), "{raw}");
    assert_guid_shape(r.set_guid.as_deref().unwrap(), 0);
    assert_eq!(s.agent_state(101).await["signedIn"], true);

    // The node number of the suffix is a setting.
    let s2 = TestSim::start(json!({"node": 2}));
    let a = s2.sign_in(102).await;
    assert_guid_shape(&a.guid, 2);
}

#[tokio::test]
async fn sign_in_events_follow_the_requested_status() {
    let s = TestSim::start(json!({}));
    let cases: [(u32, serde_json::Value, &[&str]); 4] = [
        (101, json!("3"), &["AgentOther_InService", "AgentState_Ready", "AgentState_SetNotReady_Success"]),
        (102, json!(4), &["AgentOther_InService", "AgentState_Ready"]),
        (103, json!("5"), &["AgentOther_InService", "AgentState_Ready", "AgentState_Work"]),
        (104, serde_json::Value::Null, &["AgentOther_InService", "AgentState_Ready"]),
    ];
    for (id, status, types) in cases {
        let mut body = json!({"password": PASSWORD});
        if !status.is_null() {
            body["status"] = status;
        }
        let mut a = s.sign_in_with(id, &body).await;
        let evs = s.drain(&mut a).await;
        assert_eq!(event_types(&evs), types, "agent {id}");
        assert_eq!(seq(&evs[0]), 1, "the first event of an agent is seq 1");
        assert_consecutive(&evs);
        for e in &evs {
            assert_eq!(e["workNo"], id.to_string());
        }
        assert_eq!(evs[0]["content"]["workNo"], id.to_string());
    }
    // An invalid status is a sign-in parameter error.
    s.sign_in_body(105, &json!({"password": PASSWORD, "status": 6})).await.refused("100-001");
}

#[tokio::test]
async fn wrong_password_is_refused_with_100_004() {
    let s = TestSim::start(json!({}));
    let r = s.sign_in_body(101, &json!({"password": "not-it"})).await;
    r.refused("100-004");
    assert!(r.set_guid.is_none());
    assert_eq!(s.agent_state(101).await["signedIn"], false);
}

#[tokio::test]
async fn second_sign_in_is_refused_with_100_002_and_the_session_survives() {
    let s = TestSim::start(json!({}));
    let mut a = s.sign_in(101).await;
    let r = s.sign_in_body(101, &json!({"password": PASSWORD, "phonenum": "40039"})).await;
    r.refused("100-002");
    assert!(r.set_guid.is_none());
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await.ok();
}

#[tokio::test]
async fn forcelogin_needs_a_phonenum() {
    let s = TestSim::start(json!({}));
    let path = gateway_path("onlineagent/forcelogin", "101");
    for body in [json!({"password": PASSWORD}), json!({"password": PASSWORD, "phonenum": ""})] {
        s.request("PUT", &path, None, Some(&body)).await.refused("100-001");
    }
    s.request("PUT", &path, None, Some(&json!({"password": PASSWORD, "phonenum": "40a"}))).await.refused("100-001");
    assert_eq!(s.agent_state(101).await["signedIn"], false);
}

#[tokio::test]
async fn forcelogin_replaces_the_session_and_the_old_guid_is_refused() {
    let s = TestSim::start(json!({}));
    let mut old = s.ready_agent(101).await;
    let path = gateway_path("onlineagent/forcelogin", "101");
    let r = s.request("PUT", &path, None, Some(&json!({"password": PASSWORD, "phonenum": "40040"}))).await;
    r.ok();
    assert_eq!(r.result()["workno"], "101");
    let mut new = Agent { id: 101, guid: r.set_guid.clone().expect("forcelogin answers Set-GUID") };
    assert_ne!(new.guid, old.guid);
    assert_guid_shape(&new.guid, 0);

    let q = json!({"confIds": [1]});
    s.act(&mut old, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-003");
    s.poll(&mut old).await.refused("000-003");
    s.act(&mut new, "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();

    // The new session's events: sign-in events only, continuing the agent's sequence.
    let evs = s.drain(&mut new).await;
    assert_eq!(event_types(&evs), ["AgentOther_InService", "AgentState_Ready"]);
    assert_consecutive(&evs);
    assert!(seq(&evs[0]) > 2, "the sequence continues across sessions: {evs:?}");
    let st = s.agent_state(101).await;
    assert_eq!(st["signouts"], 1);
    assert_eq!(st["lastSignoutReason"], "forced_sign_in");
}

#[tokio::test]
async fn forcelogin_does_not_give_the_new_sessions_events_to_the_old_sessions_poll() {
    let s = TestSim::start(json!({"poll_wait_ms": 5000}));
    let mut old = s.ready_agent(101).await;
    let last_seq = s.agent_state(101).await["lastSeq"].as_u64().unwrap();
    let held = {
        let s = &s;
        let mut old = old.clone();
        async move { s.poll(&mut old).await }
    };
    let forced = async {
        s.wait_poll_in_flight(101).await;
        let path = gateway_path("onlineagent/forcelogin", "101");
        let r = s.request("PUT", &path, None, Some(&json!({"password": PASSWORD, "phonenum": "40040"}))).await;
        r.ok();
        Agent { id: 101, guid: r.set_guid.unwrap() }
    };
    let (old_answer, mut new) = tokio::join!(held, forced);
    // The replaced session's poll ends at once; whatever it carries is not the new session's.
    if let Some(ev) = old_answer.event() {
        assert!(seq(ev) <= last_seq + 1, "the old poll took an event of the new session: {ev}");
        assert_eq!(ev["eventType"], "AgentOther_ShutdownService");
    } else {
        assert_ne!(old_answer.retcode(), "0", "an old-session poll must not end empty-handed as success");
    }
    s.poll(&mut old).await.refused("000-003");
    let evs = s.drain(&mut new).await;
    assert_eq!(event_types(&evs), ["AgentOther_InService", "AgentState_Ready"], "{evs:?}");
    assert_consecutive(&evs);
}

#[tokio::test]
async fn logout_signs_out_and_later_requests_get_100_006() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "DELETE", "onlineagent/logout", None).await.ok();
    let st = s.agent_state(101).await;
    assert_eq!(st["signedIn"], false);
    assert_eq!(st["lastSignoutReason"], "logout");
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await.refused("100-006");
    s.poll(&mut a).await.refused("100-006");
    s.act(&mut a, "DELETE", "onlineagent/logout", None).await.refused("100-006");
    // Signing in again works.
    s.sign_in(101).await;
}

#[tokio::test]
async fn logout_in_a_call_is_refused_with_100_010_and_forcelogout_is_not() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await.ok();
    s.act(&mut a, "DELETE", "onlineagent/logout", None).await.refused("100-010");
    let st = s.agent_state(101).await;
    assert_eq!(st["signedIn"], true);
    assert_eq!(st["calls"].as_array().unwrap().len(), 1);

    s.act(&mut a, "DELETE", "onlineagent/forcelogout", None).await.ok();
    let st = s.agent_state(101).await;
    assert_eq!(st["signedIn"], false);
    assert_eq!(st["lastSignoutReason"], "forcelogout");
    assert_eq!(st["calls"], json!([]));
    s.act(&mut a, "DELETE", "onlineagent/forcelogout", None).await.refused("100-006");
}

#[tokio::test]
async fn update_guid_issues_a_new_guid_and_the_previous_stays_accepted() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let old = a.guid.clone();
    let r = s.act(&mut a, "PUT", "onlineagent/updateGuid", None).await;
    r.ok();
    let new = r.result()["guid"].as_str().expect("result.guid").to_string();
    assert_eq!(r.set_guid.as_deref(), Some(new.as_str()), "Set-GUID carries the same Guid");
    assert_ne!(new, old);
    assert_guid_shape(&new, 0);
    let q = json!({"confIds": [1]});
    s.act_as(101, Some(&new), "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    // Within the grace window (guid_timeout_ms - guid_interval_ms = 60 s here) the old one works.
    s.act_as(101, Some(&old), "POST", "agentconf/queryconfinfos", Some(&q)).await.ok();
    // A Guid never issued does not.
    s.act_as(
        101,
        Some("00000000-0000-0000-0000-000000000000.AgentGateway0"),
        "POST",
        "agentconf/queryconfinfos",
        Some(&q),
    )
    .await
    .refused("000-003");
    s.act_as(101, None, "POST", "agentconf/queryconfinfos", Some(&q)).await.refused("000-003");
}

#[tokio::test]
async fn agent_ids_outside_the_range_or_malformed_get_000_002() {
    let s = TestSim::start(json!({"agents": {"600000": {"password": "far"}}}));
    for id in ["100", "60000", "0101", "abc", "-5", "101a", "4294967296"] {
        let body = json!({"password": PASSWORD});
        let r = s.request("PUT", &gateway_path("onlineagent", id), None, Some(&body)).await;
        r.refused("000-002");
        let r = s.request("GET", &gateway_path("agentevent", id), Some("x"), None).await;
        r.refused("000-002");
        let r = s
            .request("POST", &gateway_path("agentconf/queryconfinfos", id), Some("x"), Some(&json!({"confIds": [1]})))
            .await;
        r.refused("000-002");
    }
    // The range ends are agents; an id listed in `agents` exists outside the range.
    s.sign_in(101).await;
    s.sign_in(59999).await;
    s.sign_in_with(600000, &json!({"password": "far"})).await;
}

#[tokio::test]
async fn per_agent_passwords_and_vdn_come_from_settings() {
    let s = TestSim::start(json!({
        "default_password": "everyone",
        "default_vdn": 3,
        "agents": {"205": {"password": "pw-205", "vdn": 7}, "206": {"inspector": true}},
    }));
    s.sign_in_body(205, &json!({"password": "everyone"})).await.refused("100-004");
    let r = s.sign_in_body(205, &json!({"password": "pw-205"})).await;
    r.ok();
    assert_eq!(r.result()["vdnid"], 7);
    // An entry without a password keeps the default password and VDN.
    s.sign_in_body(206, &json!({"password": PASSWORD})).await.refused("100-004");
    let r = s.sign_in_body(206, &json!({"password": "everyone"})).await;
    r.ok();
    assert_eq!(r.result()["vdnid"], 3);
    let r = s.sign_in_body(300, &json!({"password": "everyone"})).await;
    r.ok();
    assert_eq!(r.result()["vdnid"], 3);
}
