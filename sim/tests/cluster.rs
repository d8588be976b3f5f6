//! Cluster mode: nodes on their own ports under one CA, separate or shared state, the
//! `000-004` switchover window and what follows it (refused connections, HTTP 503, back
//! up), node stop and restart (Guids and queued events lost), per-node journals, and the
//! `/sim/cluster` control routes.

mod common;

use ccgw_sim::{After, Cluster, ClusterConfig, NodeState, Settings, SimConfig, Switchover};
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn cluster(shared_state: bool, loses_events: bool) -> Cluster {
    let settings = Settings::default().merged(&base_settings()).expect("test settings");
    Cluster::start(ClusterConfig {
        nodes: 2,
        shared_state,
        switchover_loses_events: loses_events,
        sim: SimConfig { settings, ..SimConfig::default() },
    })
    .expect("cluster starts")
}

/// A client of one node, trusting only the cluster's CA.
struct Node {
    http: reqwest::Client,
    base: String,
}

impl Node {
    fn of(c: &Cluster, i: usize) -> Node {
        Node { http: client_for(c.ca_pem()), base: c.base_urls()[i].clone() }
    }

    async fn try_req(
        &self,
        method: &str,
        path: &str,
        guid: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Result<Resp> {
        send(&self.http, &format!("{}{path}", self.base), method, guid, body, Some(Duration::from_secs(10))).await
    }

    async fn req(&self, method: &str, path: &str, guid: Option<&str>, body: Option<&Value>) -> Resp {
        self.try_req(method, path, guid, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e:?}"))
    }

    async fn act(&self, a: &Agent, method: &str, route: &str, body: Option<&Value>) -> Resp {
        self.req(method, &gateway_path(route, &a.id.to_string()), Some(&a.guid), body).await
    }

    async fn sign_in(&self, id: u32) -> Agent {
        let body = json!({"password": PASSWORD, "phonenum": "40038", "status": "4"});
        let r = self.req("PUT", &gateway_path("onlineagent", &id.to_string()), None, Some(&body)).await;
        r.ok();
        Agent { id, guid: r.set_guid.clone().expect("Set-GUID") }
    }

    async fn ctl(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let r = self.req(method, &format!("/sim/{path}"), None, body).await;
        (r.status, r.json)
    }
}

fn journal_routes(c: &Cluster, i: usize) -> Vec<String> {
    c.node(i).journal().into_iter().map(|e| e.route).collect()
}

#[track_caller]
fn assert_refused(r: reqwest::Result<Resp>) {
    match r {
        Err(e) => assert!(e.is_connect(), "expected a refused connection, got {e:?}"),
        Ok(r) => panic!("expected a refused connection, got HTTP {} {}", r.status, r.text),
    }
}

async fn wait_state(c: &Cluster, i: usize, want: NodeState) {
    wait_for(&format!("node {i} {want:?}"), Duration::from_secs(5), || async { c.node_state(i) == want }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_listen_on_their_own_ports_under_one_ca_and_share_nothing() {
    let c = cluster(false, true);
    assert_eq!(c.len(), 2);
    assert_ne!(c.base_urls()[0], c.base_urls()[1]);
    let (a, b) = (Node::of(&c, 0), Node::of(&c, 1));
    // One CA for both: the same client configuration verifies each node.
    let agent = a.sign_in(101).await;
    assert_guid_shape(&agent.guid, 0);
    a.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
    // Node B has never seen the agent: the Guid of A means nothing there.
    b.act(&agent, "GET", "onlineagent/agentstatus", None).await.refused("100-006");
    let on_b = b.sign_in(101).await;
    assert_guid_shape(&on_b.guid, 1);
    assert_eq!(c.node(0).agent_state(101)["signedIn"], true);
    assert_eq!(c.node(1).agent_state(101)["signedIn"], true);
    // Journals are per node.
    assert_eq!(journal_routes(&c, 0), ["onlineagent", "onlineagent/agentstatus"]);
    assert_eq!(journal_routes(&c, 1), ["onlineagent/agentstatus", "onlineagent"]);
    assert_eq!(c.node_state(0), NodeState::Up);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switchover_answers_000_004_without_processing_then_refuses_connections() {
    let c = cluster(false, true);
    let a = Node::of(&c, 0);
    let agent = a.sign_in(101).await;
    // Take the sign-in's events, then hold a poll.
    for _ in 0..2 {
        a.act(&agent, "GET", "agentevent", None).await.ok();
    }
    let mark = c.node(0).journal_mark();
    let held2 = {
        let poller = Node::of(&c, 0);
        let agent = agent.clone();
        tokio::spawn(async move { poller.act(&agent, "GET", "agentevent", None).await })
    };
    wait_for("a poll held", Duration::from_secs(5), || async { c.node(0).agent_state(101)["pollsInFlight"] == 1 })
        .await;
    let started = Instant::now();
    c.switchover(0, Switchover { busy_for: Duration::from_millis(600), then: After::Refuse }).unwrap();
    assert_eq!(c.node_state(0), NodeState::SwitchingOver);
    let r = held2.await.unwrap();
    r.refused("000-004");
    assert!(started.elapsed() < Duration::from_millis(300), "held poll answered at once, took {:?}", started.elapsed());
    // An operation in the window: 000-004, and the agent's state is untouched.
    a.act(&agent, "POST", "onlineagent/saybusy", None).await.refused("000-004");
    assert_eq!(c.node(0).agent_state(101)["status"], 4, "saybusy was not carried out");
    let entry = c.node(0).journal_since(mark).into_iter().find(|e| e.route == "onlineagent/saybusy").unwrap();
    assert_eq!(entry.retcode.as_deref(), Some("000-004"));
    assert_eq!(entry.fault.as_deref(), Some("switchover"));
    // After the window: refused connections.
    wait_state(&c, 0, NodeState::Down).await;
    assert!(started.elapsed() >= Duration::from_millis(550), "window too short: {:?}", started.elapsed());
    assert_refused(Node::of(&c, 0).try_req("GET", "/sim/health", None, None).await);
    assert_refused(Node::of(&c, 0).try_req("GET", &gateway_path("agentevent", "101"), Some(&agent.guid), None).await);
    // The journal of the node that went away is still readable.
    assert!(c.node(0).journal().iter().any(|e| e.route == "onlineagent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switchover_loses_the_events_queued_at_that_moment() {
    let c = cluster(false, true);
    let a = Node::of(&c, 0);
    let agent = a.sign_in(101).await;
    assert_eq!(c.node(0).agent_state(101)["queued"], 2);
    c.switchover(0, Switchover { busy_for: Duration::from_millis(200), then: After::Up }).unwrap();
    let st = c.node(0).agent_state(101);
    assert_eq!((st["queued"].as_u64(), st["lostInSwitchover"].as_u64()), (Some(0), Some(2)), "{st}");
    wait_state(&c, 0, NodeState::Up).await;
    // Back up: the session survived, the lost events do not come back.
    c.node(0).inject_event(101, "AgentState_Busy", Value::Null).unwrap();
    let r = a.act(&agent, "GET", "agentevent", None).await;
    r.ok();
    assert_eq!(r.json["event"]["eventType"], "AgentState_Busy");
    assert_eq!(r.json["event"]["seq"], 3, "sequence numbers show the two lost events");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switchover_that_comes_back_keeps_sessions_and_with_the_setting_off_keeps_events() {
    let c = cluster(false, false);
    let a = Node::of(&c, 0);
    let agent = a.sign_in(101).await;
    c.switchover(0, Switchover { busy_for: Duration::from_millis(300), then: After::Up }).unwrap();
    a.act(&agent, "GET", "agentevent", None).await.refused("000-004");
    a.act(&agent, "GET", "onlineagent/agentstatus", None).await.refused("000-004");
    wait_state(&c, 0, NodeState::Up).await;
    let st = c.node(0).agent_state(101);
    assert_eq!((st["queued"].as_u64(), st["lostInSwitchover"].as_u64()), (Some(2), Some(0)), "{st}");
    for want in ["AgentOther_InService", "AgentState_Ready"] {
        let r = a.act(&agent, "GET", "agentevent", None).await;
        r.ok();
        assert_eq!(r.json["event"]["eventType"], want);
    }
    a.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switchover_then_http_503_until_restart_which_brings_the_node_back_empty() {
    let c = cluster(false, true);
    let a = Node::of(&c, 0);
    let agent = a.sign_in(101).await;
    c.switchover(0, Switchover { busy_for: Duration::from_millis(200), then: After::Http503 }).unwrap();
    wait_state(&c, 0, NodeState::Unavailable).await;
    let r = a.act(&agent, "POST", "onlineagent/saybusy", None).await;
    assert_eq!(r.status, 503, "{}", r.text);
    assert!(r.content_type.as_deref().unwrap_or("").starts_with("text/html"), "{:?}", r.content_type);
    assert!(r.text.contains("503"), "{}", r.text);
    assert_eq!(c.node(0).agent_state(101)["status"], 4, "not processed");
    // The control API still answers on a 503 node.
    assert_eq!(a.ctl("GET", "health", None).await.0, 200);
    let port = c.base_urls()[0].clone();
    c.restart_node(0).unwrap();
    assert_eq!(c.node_state(0), NodeState::Up);
    assert_eq!(c.base_urls()[0], port, "same port");
    a.act(&agent, "GET", "onlineagent/agentstatus", None).await.refused("100-006");
    assert_eq!(c.node(0).agent_state(101)["signedIn"], false);
    let again = a.sign_in(101).await;
    assert_ne!(again.guid, agent.guid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_refuses_and_restart_loses_guids_and_queued_events_but_keeps_the_journal() {
    let c = cluster(false, true);
    let a = Node::of(&c, 0);
    let agent = a.sign_in(101).await;
    c.node(0).inject_event(101, "AgentState_Busy", Value::Null).unwrap();
    assert_eq!(c.node(0).agent_state(101)["queued"], 3);
    c.stop_node(0).unwrap();
    assert_eq!(c.node_state(0), NodeState::Down);
    assert_refused(Node::of(&c, 0).try_req("GET", "/sim/health", None, None).await);
    assert!(c.switchover(0, Switchover { busy_for: Duration::ZERO, then: After::Up }).is_err(), "a down node");
    // Stopping twice is harmless; node B is unaffected.
    c.stop_node(0).unwrap();
    assert_eq!(Node::of(&c, 1).ctl("GET", "health", None).await.0, 200);
    c.restart_node(0).unwrap();
    let st = c.node(0).agent_state(101);
    assert_eq!((st["signedIn"].as_bool(), st["queued"].as_u64()), (Some(false), Some(0)), "{st}");
    let r = Node::of(&c, 0).act(&agent, "GET", "agentevent", None).await;
    r.refused("100-006");
    assert_eq!(journal_routes(&c, 0), ["onlineagent", "agentevent"], "journal kept across the restart");
    // A running node can be restarted too.
    let again = a.sign_in(101).await;
    c.restart_node(0).unwrap();
    a.act(&again, "GET", "onlineagent/agentstatus", None).await.refused("100-006");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_state_keeps_guids_across_nodes_and_a_switchover_still_loses_queued_events() {
    let c = cluster(true, true);
    let (a, b) = (Node::of(&c, 0), Node::of(&c, 1));
    let agent = a.sign_in(101).await;
    // Node B knows the Guid A issued, and serves the same queue.
    b.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
    let r = b.act(&agent, "GET", "agentevent", None).await;
    r.ok();
    assert_eq!(r.json["event"]["eventType"], "AgentOther_InService");
    assert_eq!(c.node(1).agent_state(101)["queued"], 1);
    c.switchover(0, Switchover { busy_for: Duration::from_millis(200), then: After::Refuse }).unwrap();
    assert_eq!(c.node(1).agent_state(101)["queued"], 0, "the event queued at the switchover is lost");
    assert_eq!(c.node(1).agent_state(101)["lostInSwitchover"], 1);
    b.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
    wait_state(&c, 0, NodeState::Down).await;
    // B serves on with the same Guid; a restart of A keeps the shared sessions.
    b.act(&agent, "POST", "onlineagent/saybusy", None).await.ok();
    c.restart_node(0).unwrap();
    a.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
    // Journals stay per node.
    assert!(journal_routes(&c, 1).iter().all(|r| r != "onlineagent"), "sign-in journaled on A only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_routes_drive_the_cluster_from_any_node() {
    let c = cluster(false, true);
    let b = Node::of(&c, 1);
    let (status, v) = b.ctl("GET", "cluster", None).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["nodes"][0]["state"], "up");
    assert_eq!(v["sharedState"], false);
    let (status, v) =
        b.ctl("POST", "cluster/nodes/0/switchover", Some(&json!({"busyForMs": 300, "then": "http503"}))).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["nodes"][0]["state"], "switching_over");
    assert!(v["nodes"][0]["busyLeftMs"].as_u64().is_some_and(|ms| ms <= 300), "{v}");
    wait_state(&c, 0, NodeState::Unavailable).await;
    assert_eq!(b.ctl("POST", "cluster/nodes/0/restart", None).await.0, 200);
    assert_eq!(c.node_state(0), NodeState::Up);
    Node::of(&c, 0).sign_in(101).await;
    assert_eq!(b.ctl("POST", "cluster/nodes/0/stop", None).await.0, 200);
    assert_refused(Node::of(&c, 0).try_req("GET", "/sim/health", None, None).await);
    assert_eq!(b.ctl("GET", "cluster", None).await.1["nodes"][0]["state"], "down");
    // A node that is down is still read (and configured) through another.
    let (status, v) = b.ctl("GET", "cluster/nodes/0/journal", None).await;
    assert_eq!(status, 200, "{v}");
    let routes: Vec<&str> = v["entries"].as_array().unwrap().iter().map(|e| e["route"].as_str().unwrap()).collect();
    assert_eq!(routes, ["onlineagent"], "node 0's journal, read through node 1");
    assert_eq!(b.ctl("GET", "journal", None).await.1["entries"].as_array().map(Vec::len), Some(0));
    assert_eq!(b.ctl("GET", "cluster/nodes/0/agents/101", None).await.1["signedIn"], true);
    let (status, v) = b.ctl("POST", "cluster/nodes/0/faults", Some(&json!({"kind": "switchover"}))).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(c.node(0).journal().len(), 1);
    assert_eq!(b.ctl("GET", "cluster/nodes/0/faults", None).await.1.to_string().matches("switchover").count(), 1);
    assert_eq!(b.ctl("GET", "faults", None).await.1.to_string().matches("switchover").count(), 0);
    assert_eq!(b.ctl("GET", "cluster/nodes/1/cluster", None).await.0, 404, "no nesting");
    // A node can close itself through its own control API (the asking connection is closed too).
    assert_eq!(b.ctl("POST", "cluster/nodes/0/restart", None).await.0, 200);
    let a = Node::of(&c, 0);
    let r = a.try_req("POST", "/sim/cluster/nodes/0/switchover", None, Some(&json!({"then": "refuse"}))).await;
    assert!(r.is_err(), "the node closed the connection that asked it to close: {:?}", r.map(|r| r.text));
    assert_eq!(c.node_state(0), NodeState::Down);
    assert_refused(Node::of(&c, 0).try_req("GET", "/sim/health", None, None).await);
    // Bad requests: clear refusals, nothing changes.
    for (path, body, want) in [
        ("cluster/nodes/1/switchover", json!({"then": "explode"}), 400),
        ("cluster/nodes/1/switchover", json!({"busyForMs": -1}), 400),
        ("cluster/nodes/1/switchover", json!({"then": 5}), 400),
        ("cluster/nodes/x/stop", json!({}), 400),
        ("cluster/nodes/7/stop", json!({}), 404),
        ("cluster/nodes/0/switchover", json!({}), 409),
        ("cluster/nodes/1/reboot", json!({}), 404),
    ] {
        let (status, v) = b.ctl("POST", path, Some(&body)).await;
        assert_eq!(status, want, "{path} {body}: {v}");
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
    assert_eq!(c.node_state(1), NodeState::Up);
    // A lone simulator has no cluster routes.
    let lone = TestSim::start(json!({}));
    let (status, v) = lone.ctl("GET", "cluster", None).await;
    assert_eq!(status, 404, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_program_prints_every_node_url_on_its_first_line_and_takes_the_environment() {
    let dir = std::env::temp_dir().join(format!("ccgw-sim-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.pem");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
        .args(["--ca-out"])
        .arg(&ca_path)
        .env("CCGW_SIM_CLUSTER_NODES", "2")
        .env("CCGW_SIM_CLUSTER_SHARED_STATE", "true")
        .env("CCGW_SIM_POLL_WAIT_MS", "300")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    let line = first_line(&mut child, Duration::from_secs(20));
    let urls: Vec<&str> = line.strip_suffix('\n').expect("a whole line").split(' ').collect();
    assert_eq!(urls.len(), 2, "{line:?}");
    assert!(urls.iter().all(|u| u.starts_with("https://127.0.0.1:")), "{line:?}");
    assert_ne!(urls[0], urls[1]);
    let pem = std::fs::read_to_string(&ca_path).expect("CA written before the URLs");
    let http = client_for(Some(&pem));
    let (a, b) = (Node { http: http.clone(), base: urls[0].into() }, Node { http, base: urls[1].into() });
    let (status, v) = b.ctl("GET", "cluster", None).await;
    assert_eq!((status, v["sharedState"].as_bool()), (200, Some(true)), "{v}");
    assert_eq!(v["nodes"][1]["addr"].as_str().map(|s| urls[1].ends_with(s)), Some(true), "{v}");
    // Shared state from the environment: a Guid from A works on B.
    let agent = a.sign_in(101).await;
    b.act(&agent, "GET", "onlineagent/agentstatus", None).await.ok();
    let (status, _) = b.ctl("POST", "cluster/nodes/0/switchover", Some(&json!({"then": "refuse"}))).await;
    assert_eq!(status, 200);
    let fresh = Node { http: client_for(Some(&pem)), base: urls[0].into() };
    assert_refused(fresh.try_req("GET", "/sim/health", None, None).await);
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)).code(), Some(0));
    assert!(b.try_req("GET", "/sim/health", None, None).await.is_err(), "stopped");
    let _ = std::fs::remove_dir_all(&dir);
}
