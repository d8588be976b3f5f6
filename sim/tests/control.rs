//! The control API over HTTP: health, stats, config, reset, journal (filters and masking),
//! fault CRUD, agents, sign-out, and its refusals; plus the gateway's 404/405 answers.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn health_and_stats() {
    let s = TestSim::start(json!({}));
    assert_eq!(s.ctl_ok("GET", "health", None).await, json!({"status": "ok"}));
    s.sign_in(101).await;
    s.sign_in(102).await;
    let st = s.ctl_ok("GET", "stats", None).await;
    assert_eq!(st["signedIn"], 2);
    assert!(st["connections"].as_u64().unwrap() >= 1, "{st}");
    assert!(st["rssKb"].as_u64().unwrap() > 0, "{st}");
    assert!(st["threads"].as_u64().unwrap() >= 2, "{st}");
    assert_eq!(st["journalLastId"], 2, "two gateway requests so far: {st}");
    assert_eq!(s.sim.stats()["signedIn"], 2);
}

#[tokio::test]
async fn config_get_put_and_refusals() {
    let s = TestSim::start(json!({}));
    let cfg = s.ctl_ok("GET", "config", None).await;
    assert_eq!(cfg["poll_wait_ms"], 300);
    assert_eq!(cfg["auth_mode"], "dynamic");
    assert_eq!(cfg["agent_id_max"], 59999);
    assert_eq!(cfg["empty_poll"], "absent");
    let put = s.ctl_ok("PUT", "config", Some(&json!({"empty_poll": "null", "poll_wait_ms": 250}))).await;
    assert_eq!(put["empty_poll"], "null");
    assert_eq!(put["poll_wait_ms"], 250);
    assert_eq!(put["agent_id_max"], 59999, "other settings unchanged");
    assert_eq!(s.ctl_ok("GET", "config", None).await, put);
    // The change takes effect.
    let mut a = s.ready_agent(101).await;
    assert_eq!(s.poll(&mut a).await.json, json!({"message": "", "retcode": "0", "event": null}));

    for bad in [
        json!({"no_such_setting": 1}),
        json!({"guid_interval_ms": 500000}),
        json!({"poll_wait_ms": "soon"}),
        json!({"auth_mode": "sometimes"}),
        json!([1]),
    ] {
        let (status, v) = s.ctl("PUT", "config", Some(&bad)).await;
        assert_eq!(status, 400, "{bad} -> {v}");
        assert!(v["error"].is_string());
    }
    assert_eq!(s.ctl_ok("GET", "config", None).await, put, "refused patches change nothing");
    assert!(s.sim.update_settings(&json!({"nope": true})).is_err());
}

#[tokio::test]
async fn reset_returns_to_the_start_up_state() {
    let s = TestSim::start(json!({"conf_grant_delay_ms": 300}));
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "PUT", "voicecall/callout", Some(&json!({"called": "70005"}))).await.ok();
    let mut b = s.ready_agent(102).await;
    s.act(&mut b, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    s.ctl_ok("POST", "faults", Some(&json!({"route": "voicecall/hold", "kind": "switchover", "count": 5}))).await;
    s.ctl_ok("PUT", "config", Some(&json!({"poll_wait_ms": 999}))).await;
    assert!(!s.confs().await.is_empty());

    assert_eq!(s.ctl_ok("POST", "reset", None).await, json!({"ok": true}));
    assert_eq!(s.ctl_ok("GET", "agents", None).await, json!({"signedIn": []}));
    assert!(s.confs().await.is_empty());
    assert_eq!(s.ctl_ok("GET", "faults", None).await, json!([]));
    assert!(s.journal("").await.is_empty());
    assert_eq!(s.ctl_ok("GET", "config", None).await["poll_wait_ms"], 300, "settings back to the start-up ones");
    s.act(&mut a, "POST", "voicecall/hold", None).await.refused("100-006");
    // Conference ids start over.
    let mut c = s.ready_agent(103).await;
    s.act(&mut c, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 3}))).await.ok();
    let evs = s
        .expect_events(
            &mut c,
            &[
                "AgentState_Busy",
                "AgentOther_PhoneAlerting",
                "AgentOther_PhoneOffhook",
                "AgentConf_SelfJoinResult",
                "AgentConf_RequestSuccess",
            ],
        )
        .await;
    assert_eq!(evs[4]["content"]["confId"], 1_029_888, "conference ids start over");
    assert_eq!(s.agent_state(102).await["signedIn"], false);
    // The Rust API does the same.
    s.sim.reset();
    assert_eq!(s.ctl_ok("GET", "agents", None).await, json!({"signedIn": []}));
}

#[tokio::test]
async fn journal_records_requests_and_filters_them() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(101).await;
    let mut b = s.ready_agent(102).await;
    let mark = s.ctl_ok("GET", "stats", None).await["journalLastId"].as_u64().unwrap();
    s.act(&mut a, "POST", "voicecall/gethold?callid=1-7", None).await.refused("200-015");
    s.act(&mut b, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [5]}))).await.ok();

    let since = s.journal(&format!("?since={mark}")).await;
    assert_eq!(since.len(), 2);
    let e = &since[0];
    assert_eq!(e["method"], "POST");
    assert_eq!(e["path"], "/agentgateway/resource/voicecall/101/gethold");
    assert_eq!(e["query"], "callid=1-7");
    assert_eq!(e["route"], "voicecall/gethold");
    assert_eq!(e["agent"], "101");
    assert_eq!(e["status"], 200);
    assert_eq!(e["retcode"], "200-015");
    assert_eq!(e["outcome"], "answered");
    assert_eq!(e["response"]["retcode"], "200-015");
    assert!(e["id"].as_u64().unwrap() > mark);
    assert!(e["durationMs"].is_u64() && e["atMs"].is_u64());
    assert_eq!(since[1]["body"], json!({"confIds": [5]}));

    let by_route = s.journal("?route=agentconf/queryconfinfos").await;
    assert_eq!(by_route.len(), 1);
    assert_eq!(by_route[0]["agent"], "102");
    let by_agent = s.journal("?agent=101").await;
    assert!(by_agent.iter().all(|e| e["agent"] == "101"));
    assert_eq!(by_agent.len(), 1 + 2 + 1, "sign-in, two polls, gethold");
    let both = s.journal(&format!("?since={mark}&agent=102&route=agentconf/queryconfinfos")).await;
    assert_eq!(both.len(), 1);
    assert!(s.journal("?route=voicecall/hold").await.is_empty());
    assert_eq!(s.ctl_ok("GET", "journal", None).await["lastId"], mark + 2);
    // The Rust API sees the same entries.
    let rust = s.sim.journal_since(mark);
    assert_eq!(
        rust.iter().map(|e| e.route.as_str()).collect::<Vec<_>>(),
        ["voicecall/gethold", "agentconf/queryconfinfos"]
    );

    for bad in ["?since=x", "?nope=1"] {
        let (status, _) = s.ctl("GET", &format!("journal{bad}"), None).await;
        assert_eq!(status, 400, "{bad}");
    }
    assert_eq!(s.ctl_ok("DELETE", "journal", None).await, json!({"ok": true}));
    assert!(s.journal("").await.is_empty());
}

#[tokio::test]
async fn journal_masks_guids_and_passwords() {
    let password = "s3cret-Pa55word";
    let s = TestSim::start(json!({"agents": {"101": {"password": password}}}));
    let mut guids = Vec::new();
    let mut a = s.sign_in_with(101, &json!({"password": password, "phonenum": "40038"})).await;
    guids.push(a.guid.clone());
    s.drain(&mut a).await;
    let r = s.act(&mut a, "PUT", "onlineagent/updateGuid", None).await;
    guids.push(r.result()["guid"].as_str().unwrap().to_string());
    s.sim.rotate_guid(101).unwrap();
    s.inject(101, json!({"eventType": "Test"})).await;
    let r = s.poll(&mut a).await;
    guids.push(r.set_guid.clone().unwrap());
    s.act(&mut a, "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await.ok();
    // A forced sign-in and a wrong password carry passwords too.
    let r = s
        .request(
            "PUT",
            &gateway_path("onlineagent/forcelogin", "101"),
            None,
            Some(&json!({"password": password, "phonenum": "1"})),
        )
        .await;
    guids.push(r.set_guid.clone().unwrap());
    s.sign_in_body(101, &json!({"password": "wrong-but-secret"})).await;

    let text = s.request("GET", "/sim/journal", None, None).await.text;
    assert!(!text.contains(password), "the password leaked into the journal");
    assert!(!text.contains("wrong-but-secret"), "a wrong password leaked into the journal");
    for g in &guids {
        assert!(!text.contains(g.as_str()), "Guid {g} leaked into the journal");
        let uuid = g.split('.').next().unwrap();
        assert!(!text.contains(uuid), "the uuid of {g} leaked into the journal");
    }
    let entries = s.journal("").await;
    let sign_in = &entries[0];
    assert_eq!(sign_in["body"]["password"], "***");
    assert_eq!(sign_in["body"]["phonenum"], "40038", "only secrets are masked");
    assert_eq!(sign_in["setGuid"], "JSESSIONID=<guid#1>");
    let update = entries.iter().find(|e| e["route"] == "onlineagent/updateGuid").unwrap();
    assert_eq!(update["headers"]["guid"], "<guid#1>");
    assert_eq!(update["response"]["result"]["guid"], "<guid#2>");
    assert_eq!(update["setGuid"], "JSESSIONID=<guid#2>");
    let rotated = entries.iter().find(|e| e["route"] == "agentevent" && !e["setGuid"].is_null()).unwrap();
    assert_eq!(rotated["setGuid"], "JSESSIONID=<guid#3>");
    let query = entries.iter().find(|e| e["route"] == "agentconf/queryconfinfos").unwrap();
    assert_eq!(query["headers"]["guid"], "<guid#3>");
    // The agent state names the Guid the same way.
    assert_eq!(s.agent_state(101).await["guid"], "<guid#4>");
    // A Guid the simulator never issued is not echoed either.
    let forged = "11111111-2222-3333-4444-555555555555.AgentGateway0";
    s.act_as(101, Some(forged), "POST", "agentconf/queryconfinfos", Some(&json!({"confIds": [1]}))).await;
    let text = s.request("GET", "/sim/journal", None, None).await.text;
    assert!(!text.contains(forged));
    assert!(text.contains("<unknown guid>"));
}

#[tokio::test]
async fn faults_crud() {
    let s = TestSim::start(json!({}));
    let id1 = s.ctl_ok("POST", "faults", Some(&json!({"route": "agentevent", "kind": "delay", "delay_ms": 50}))).await
        ["id"]
        .as_u64()
        .unwrap();
    let id2 = s
        .ctl_ok("POST", "faults", Some(&json!({"kind": "http_status", "status": 502, "agent": "101", "count": 3})))
        .await["id"]
        .as_u64()
        .unwrap();
    let list = s.ctl_ok("GET", "faults", None).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], id1);
    assert_eq!(list[0]["route"], "agentevent");
    assert_eq!(list[0]["kind"], "delay");
    assert_eq!(list[0]["delay_ms"], 50);
    assert_eq!(list[1]["id"], id2);
    assert_eq!(list[1]["route"], "*", "the route defaults to every route");
    assert_eq!(list[1]["agent"], "101");
    assert_eq!(list[1]["remaining"], 3);

    assert_eq!(s.ctl_ok("DELETE", &format!("faults/{id1}"), None).await, json!({"ok": true}));
    let (status, _) = s.ctl("DELETE", &format!("faults/{id1}"), None).await;
    assert_eq!(status, 404);
    let (status, _) = s.ctl("DELETE", "faults/abc", None).await;
    assert_eq!(status, 400);
    let list = s.ctl_ok("GET", "faults", None).await;
    assert_eq!(list.as_array().unwrap().iter().map(|f| f["id"].clone()).collect::<Vec<_>>(), [json!(id2)]);
    assert_eq!(s.ctl_ok("DELETE", "faults", None).await, json!({"ok": true}));
    assert_eq!(s.ctl_ok("GET", "faults", None).await, json!([]));
    // The Rust API.
    let id = s.sim.add_fault(ccgw_sim::FaultSpec::new("*", ccgw_sim::FaultKind::Switchover)).unwrap();
    assert!(s.sim.remove_fault(id));
    assert!(!s.sim.remove_fault(id));
}

#[tokio::test]
async fn agents_listing_state_and_signout() {
    let s = TestSim::start(json!({}));
    let mut a = s.ready_agent(150).await;
    s.ready_agent(101).await;
    assert_eq!(s.ctl_ok("GET", "agents", None).await, json!({"signedIn": ["101", "150"]}));
    let st = s.agent_state(150).await;
    assert_eq!(st["agent"], "150");
    assert_eq!(st["signedIn"], true);
    assert_eq!(st["lastSeq"], 2);
    assert_eq!(st["queued"], 0);
    assert_eq!(st["pollsInFlight"], 0);
    assert_eq!(st["conf"], Value::Null);
    let never = s.agent_state(999).await;
    assert_eq!(never["signedIn"], false);
    assert_eq!(never["signouts"], 0);
    let (status, _) = s.ctl("GET", "agents/abc", None).await;
    assert_eq!(status, 400);

    assert_eq!(s.ctl_ok("POST", "agents/150/signout", None).await, json!({"ok": true}));
    let st = s.agent_state(150).await;
    assert_eq!(st["signedIn"], false);
    assert_eq!(st["lastSignoutReason"], "control");
    // No poll was in flight to take the shutdown event; the next one is refused.
    s.poll(&mut a).await.refused("100-006");
    let (status, _) = s.ctl("POST", "agents/150/signout", None).await;
    assert_eq!(status, 409, "not signed in");
    s.sim.sign_out(101);
    assert_eq!(s.ctl_ok("GET", "agents", None).await, json!({"signedIn": []}));
    assert_eq!(s.sim.agent_state(101)["lastSignoutReason"], "control");
}

#[tokio::test]
async fn control_inbound_and_hangup_refuse_bad_bodies() {
    let s = TestSim::start(json!({}));
    s.ready_agent(101).await;
    let (status, _) = s.ctl("POST", "agents/101/inbound", Some(&json!({"caller": "1".repeat(25)}))).await;
    assert_eq!(status, 400);
    let (status, _) = s.ctl("POST", "agents/101/inbound", Some(&json!({"caller": 70005}))).await;
    assert_eq!(status, 400);
    let (status, _) = s.ctl("POST", "agents/101/hangup", Some(&json!({"callid": 5}))).await;
    assert_eq!(status, 400);
    let v = s.ctl_ok("POST", "agents/101/inbound", Some(&json!({"caller": "70005", "callappdata": "d"}))).await;
    let callid = v["callid"].as_str().unwrap();
    assert_eq!(s.agent_state(101).await["calls"][0]["callappdataBytes"], 1);
    let v = s.ctl_ok("POST", "agents/101/hangup", Some(&json!({"callid": callid, "number": "70005"}))).await;
    assert_eq!(v, json!({"callid": callid, "number": "70005"}));
}

#[tokio::test]
async fn unknown_routes_and_bodies() {
    let s = TestSim::start(json!({}));
    let (status, v) = s.ctl("GET", "nope", None).await;
    assert_eq!(status, 404);
    assert!(v["error"].as_str().unwrap().contains("/sim/nope"));
    let (status, _) = s.ctl("DELETE", "health", None).await;
    assert_eq!(status, 404);
    let r = s.http.post(s.url("/sim/faults")).body("{not json").send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Gateway paths: an unknown operation is a 404 page, a wrong method a 405 page.
    let mut a = s.ready_agent(101).await;
    let r = s.act(&mut a, "POST", "voicecall/nosuchop", None).await;
    assert_eq!(r.status, 404);
    assert!(r.content_type.unwrap().starts_with("text/html"));
    let r = s.act(&mut a, "GET", "voicecall/confjoin", None).await;
    assert_eq!(r.status, 405);
    let r = s.request("GET", "/agentgateway/resource/", None, None).await;
    assert_eq!(r.status, 404);
    let r = s.request("GET", "/elsewhere", None, None).await;
    assert_eq!(r.status, 404);
    let statuses: Vec<u16> =
        s.sim.journal().iter().filter(|e| e.route.starts_with("voicecall")).map(|e| e.status).collect();
    assert_eq!(statuses, [404, 405]);
    // A body that is not JSON is refused by the gateway with 000-006.
    let r = s
        .http
        .post(s.url(&gateway_path("agentconf/queryconfinfos", "101")))
        .header("Guid", &a.guid)
        .body("{confIds")
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(v["retcode"], "000-006");
}
