//! What a client asks to rebuild its view after a gap: `calldata` (held-call list, call
//! information) and `onlineagent/{id}/agentstatus`, with the rest states that feed it
//! (`sayfree`, `saybusy`, `work`, `cancelwork`) and their `AgentState_*` events.

mod common;

use common::*;
use serde_json::{json, Value};

async fn callout(s: &TestSim, a: &mut Agent, called: &str) -> String {
    let r = s.act(a, "PUT", "voicecall/callout", Some(&json!({"called": called, "callappdata": "order=42"}))).await;
    r.ok();
    s.drain(a).await;
    r.result().as_str().unwrap().to_string()
}

async fn status(s: &TestSim, a: &mut Agent) -> (i64, bool) {
    let r = s.act(a, "GET", "onlineagent/agentstatus", None).await;
    r.ok();
    (r.result()["agentState"].as_i64().unwrap(), r.result()["isWorking"].as_bool().unwrap())
}

/// Every member of a call-information object, with the values the simulator fills in.
fn assert_call_info(info: &Value, callid: &str, caller: &str, called: &str, feature: i64) {
    let keys: Vec<&str> = info.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "callfeature",
        "callid",
        "caller",
        "called",
        "callskill",
        "callskillid",
        "orgicallednum",
        "calldata",
        "begintime",
        "endtime",
        "userPriority",
        "trunkNo",
        "logontimes",
        "mediaType",
        "mediaAbility",
        "waitTime",
        "trace",
    ] {
        assert!(keys.contains(&key), "{key} missing in {info}");
    }
    assert_eq!(keys.len(), 17, "no other member: {info}");
    assert_eq!(info["callid"], callid);
    assert_eq!(info["caller"], caller);
    assert_eq!(info["called"], called);
    assert_eq!(info["callfeature"], feature);
    assert!(info["begintime"].as_u64().unwrap() > 1_600_000_000_000, "answered: {info}");
}

#[tokio::test]
async fn holdlist_lists_held_calls_and_refuses_400_003_without_one() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "GET", "calldata/holdlist", None).await.refused("400-003");
    let first = callout(&s, &mut a, "70005").await;
    s.act(&mut a, "GET", "calldata/holdlist", None).await.refused("400-003");
    s.act(&mut a, "POST", "voicecall/hold", None).await.ok();
    let r = s.act(&mut a, "GET", "calldata/holdlist", None).await;
    r.ok();
    let list = r.result().as_array().expect("result is the list of held calls");
    assert_eq!(list.len(), 1);
    assert_call_info(&list[0], &first, "101", "70005", 7);
    assert_eq!(list[0]["calldata"], "order=42");
    assert_eq!(list[0]["endtime"], 0);
    let second = callout(&s, &mut a, "70006").await;
    s.act(&mut a, "POST", "voicecall/hold", None).await.ok();
    let r = s.act(&mut a, "GET", "calldata/holdlist", None).await;
    let ids: Vec<&Value> = r.result().as_array().unwrap().iter().map(|c| &c["callid"]).collect();
    assert_eq!(ids, [&json!(first), &json!(second)]);
    // Not on POST.
    let r = s.act(&mut a, "POST", "calldata/holdlist", None).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn callinfo_reports_the_current_call_or_the_last_one() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let r = s.act(&mut a, "GET", "calldata/callinfo", None).await;
    r.ok();
    assert_eq!(r.result(), &json!({}), "no call, no last call");
    let callid = s.sim.inbound_call(101, "70007").unwrap();
    s.drain(&mut a).await;
    let r = s.act(&mut a, "GET", "calldata/callinfo", None).await;
    assert_call_info(r.result(), &callid, "70007", "101", 0);
    // By id, while it lasts and after it ended.
    let r = s.act(&mut a, "GET", &format!("calldata/callinfobycallid/{callid}"), None).await;
    assert_call_info(r.result(), &callid, "70007", "101", 0);
    s.act(&mut a, "GET", "calldata/callinfobycallid/1-999", None).await.refused("000-002");
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    let r = s.act(&mut a, "GET", "calldata/callinfo?isNoContainLastCall=false", None).await;
    assert_eq!(r.result(), &json!({}));
    let r = s.act(&mut a, "GET", "calldata/callinfo?isNoContainLastCall=true", None).await;
    assert_call_info(r.result(), &callid, "70007", "101", 0);
    assert!(r.result()["endtime"].as_u64().unwrap() >= r.result()["begintime"].as_u64().unwrap());
    let r = s.act(&mut a, "GET", &format!("calldata/callinfobycallid/{callid}"), None).await;
    assert_eq!(r.result()["callid"], callid.as_str(), "the last call is still known by id");
    // A held call and an active one: the active one is current.
    let held = callout(&s, &mut a, "70005").await;
    s.act(&mut a, "POST", "voicecall/hold", None).await.ok();
    let r = s.act(&mut a, "GET", "calldata/callinfo", None).await;
    assert_eq!(r.result()["callid"], held.as_str(), "only a held call: that one");
    let active = callout(&s, &mut a, "70006").await;
    let r = s.act(&mut a, "GET", "calldata/callinfo", None).await;
    assert_eq!(r.result()["callid"], active.as_str());
}

#[tokio::test]
async fn agentstatus_follows_calls_conferences_and_rest_states() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    assert_eq!(status(&s, &mut a).await, (1, false), "idle after sign-in with status 4");
    callout(&s, &mut a, "70005").await;
    assert_eq!(status(&s, &mut a).await, (5, true), "talking");
    s.act(&mut a, "POST", "voicecall/hold", None).await.ok();
    assert_eq!(status(&s, &mut a).await, (3, false), "only a held call: occupied");
    s.act(&mut a, "POST", "voicecall/gethold", None).await.ok();
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    s.drain(&mut a).await;
    assert_eq!(status(&s, &mut a).await, (1, false));

    // Rest states, each with its event.
    for (route, event, code) in [
        ("onlineagent/saybusy?reason=201", "AgentState_SetNotReady_Success", 7),
        ("onlineagent/work", "AgentState_Work", 6),
        ("onlineagent/cancelwork", "AgentState_Ready", 1),
        ("onlineagent/saybusy", "AgentState_SetNotReady_Success", 7),
        ("onlineagent/sayfree", "AgentState_Ready", 1),
    ] {
        s.act(&mut a, "POST", route, None).await.ok();
        s.expect_events(&mut a, &[event]).await;
        assert_eq!(status(&s, &mut a).await, (code, false), "{route}");
    }
    // After a call the agent returns to the rest state it had: busy stays busy.
    s.act(&mut a, "POST", "onlineagent/saybusy", None).await.ok();
    s.drain(&mut a).await;
    callout(&s, &mut a, "70005").await;
    assert_eq!(status(&s, &mut a).await, (5, true));
    s.act(&mut a, "DELETE", "voicecall/release", None).await.ok();
    let evs = s
        .expect_events(
            &mut a,
            &[
                "AgentEvent_Call_Release",
                "AgentEvent_Customer_Release",
                "AgentOther_PhoneRelease",
                "AgentState_SetNotReady_Success",
            ],
        )
        .await;
    assert_eq!(evs[3]["content"], Value::Null);
    assert_eq!(status(&s, &mut a).await, (7, false));

    // Sign-in with status 3 (busy) and 5 (work).
    let mut b = s.sign_in_with(102, &json!({"password": PASSWORD, "status": 3})).await;
    assert_eq!(status(&s, &mut b).await, (7, false));
    let mut c = s.sign_in_with(103, &json!({"password": PASSWORD, "status": "5", "autoanswer": false})).await;
    assert_eq!(status(&s, &mut c).await, (6, false));
    // An inbound call ringing without autoanswer: answering (4).
    s.sim.inbound_call(103, "70007").unwrap();
    assert_eq!(status(&s, &mut c).await, (4, false));
    // Not signed in: the usual refusal.
    s.act_as(104, None, "GET", "onlineagent/agentstatus", None).await.refused("100-006");
}

#[tokio::test]
async fn agentstatus_in_a_conference_and_while_invited() {
    let s = TestSim::start(json!({}));
    let mut chair = s.ready_agent(101).await;
    let mut b = s.sign_in_with(102, &json!({"password": PASSWORD, "autoanswer": false})).await;
    s.drain(&mut b).await;
    s.act(&mut chair, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    s.expect_events(&mut chair, &["AgentState_Busy"]).await;
    s.drain(&mut chair).await;
    assert_eq!(status(&s, &mut chair).await, (5, true), "the chair talks in its conference");
    let body = json!({"addresses": [{"addressType": "9", "address": "102"}]});
    s.act(&mut chair, "POST", "agentconf/batchaddparticipant", Some(&body)).await.ok();
    s.expect_events(&mut b, &["AgentConf_Ringing"]).await;
    assert_eq!(status(&s, &mut b).await, (4, false), "an invitation rings");
    s.act(&mut b, "POST", "agentconf/answeragentconf", None).await.ok();
    assert_eq!(status(&s, &mut b).await, (5, true));
    s.act(&mut chair, "POST", "agentconf/releaseagentconf", None).await.ok();
    assert_eq!(status(&s, &mut b).await, (1, false));
    assert_eq!(status(&s, &mut chair).await, (1, false));
}
