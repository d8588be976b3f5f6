//! Shared helpers of the simulator's integration tests: an in-process simulator, an HTTPS
//! client that verifies the simulator's generated CA, gateway and control-API calls, and
//! bounded waits for conditions.
#![allow(dead_code)]

mod conf;

#[allow(unused_imports)]
pub use conf::*;

use ccgw_sim::{Settings, SimConfig, Simulator};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const GATEWAY: &str = "/agentgateway/resource";
/// The password of every agent unless a test configures another.
pub const PASSWORD: &str = "ccgw-sim";

/// A rustls client configuration trusting exactly the certificates in `ca_pem`.
pub fn tls_config(ca_pem: &str) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM parses")).expect("CA certificate is accepted as a root");
    }
    assert!(!roots.is_empty(), "the CA PEM holds no certificate");
    tls_config_with_roots(roots)
}

pub fn tls_config_with_roots(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// An HTTP client for `config` (no proxy from the environment, HTTP/1.1).
pub fn client_with(config: rustls::ClientConfig) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .no_proxy()
        .http1_only()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// A client verifying the server against `ca_pem`; plain HTTP when `None`.
pub fn client_for(ca_pem: Option<&str>) -> reqwest::Client {
    match ca_pem {
        Some(pem) => client_with(tls_config(pem)),
        None => client_with(tls_config_with_roots(rustls::RootCertStore::empty())),
    }
}

/// Settings every test starts from: short long-poll hold and conference delays; the
/// Guid and idle timers stay at the gateway defaults unless a test shortens them.
pub fn base_settings() -> Value {
    json!({
        "poll_wait_ms": 300,
        "conf_grant_delay_ms": 10,
        "invite_answer_delay_ms": 10,
    })
}

/// One answer as a client sees it.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    /// The Guid of a `Set-GUID: JSESSIONID=<guid>` header, without the prefix.
    pub set_guid: Option<String>,
    /// The raw `Set-GUID` header value.
    pub set_guid_raw: Option<String>,
    pub content_type: Option<String>,
    pub text: String,
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub json: Value,
}

impl Resp {
    pub fn retcode(&self) -> &str {
        self.json.get("retcode").and_then(Value::as_str).unwrap_or_else(|| panic!("no retcode in {}", self.text))
    }

    pub fn result(&self) -> &Value {
        &self.json["result"]
    }

    /// The `event` member of a poll answer, if there is one and it is not null.
    pub fn event(&self) -> Option<&Value> {
        self.json.get("event").filter(|e| !e.is_null())
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.status, 200, "HTTP status of {}", self.text);
        assert_eq!(self.retcode(), "0", "retcode of {}", self.text);
        self
    }

    #[track_caller]
    pub fn refused(&self, retcode: &str) -> &Self {
        assert_eq!(self.status, 200, "HTTP status of {}", self.text);
        assert_eq!(self.retcode(), retcode, "retcode of {}", self.text);
        self
    }
}

/// One gateway-style request to `url` (JSON body, `Guid` header when given); `timeout`
/// bounds the whole exchange.
pub async fn send(
    http: &reqwest::Client,
    url: &str,
    method: &str,
    guid: Option<&str>,
    body: Option<&Value>,
    timeout: Option<Duration>,
) -> Result<Resp, reqwest::Error> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut rb = http.request(method, url).header("Content-Type", "application/json; charset=UTF-8");
    if let Some(g) = guid {
        rb = rb.header("Guid", g);
    }
    if let Some(b) = body {
        rb = rb.body(b.to_string());
    }
    if let Some(t) = timeout {
        rb = rb.timeout(t);
    }
    let resp = rb.send().await?;
    let status = resp.status().as_u16();
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let set_guid_raw = header("set-guid");
    let content_type = header("content-type");
    let set_guid = set_guid_raw.as_deref().map(|v| {
        v.strip_prefix("JSESSIONID=").unwrap_or_else(|| panic!("Set-GUID without JSESSIONID=: {v}")).to_string()
    });
    let bytes = resp.bytes().await?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Resp { status, set_guid, set_guid_raw, content_type, text, json })
}

/// A signed-in agent as a client tracks it: the id and the Guid to send.
#[derive(Debug, Clone)]
pub struct Agent {
    pub id: u32,
    pub guid: String,
}

pub struct TestSim {
    pub sim: Simulator,
    pub http: reqwest::Client,
    pub base: String,
}

/// Builds a gateway path from a route key: `voicecall/callout` for agent 101 is
/// `voicecall/101/callout`, `agentevent` is `agentevent/101`, `voicecall/dropcall/X` is
/// `voicecall/101/dropcall/X`.
pub fn gateway_path(route: &str, id: &str) -> String {
    match route.split_once('/') {
        Some((family, rest)) => format!("{GATEWAY}/{family}/{id}/{rest}"),
        None => format!("{GATEWAY}/{route}/{id}"),
    }
}

impl TestSim {
    /// Starts a simulator with [`base_settings`] and then `patch` applied.
    pub fn start(patch: Value) -> TestSim {
        let settings = Settings::default()
            .merged(&base_settings())
            .and_then(|s| s.merged(&patch))
            .unwrap_or_else(|e| panic!("test settings {patch}: {e}"));
        TestSim::start_config(SimConfig { settings, ..SimConfig::default() })
    }

    pub fn start_config(config: SimConfig) -> TestSim {
        let sim = Simulator::start(config).expect("simulator starts");
        let http = client_for(sim.ca_pem());
        let base = sim.base_url().to_string();
        TestSim { sim, http, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request that may fail at the transport level; `timeout` bounds the whole exchange.
    pub async fn try_request(
        &self,
        method: &str,
        path: &str,
        guid: Option<&str>,
        body: Option<&Value>,
        timeout: Option<Duration>,
    ) -> Result<Resp, reqwest::Error> {
        send(&self.http, &self.url(path), method, guid, body, timeout).await
    }

    pub async fn request(&self, method: &str, path: &str, guid: Option<&str>, body: Option<&Value>) -> Resp {
        self.try_request(method, path, guid, body, Some(Duration::from_secs(20)))
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e:?}"))
    }

    /// A gateway request for `agent` on route key `route` (see [`gateway_path`]), sending
    /// its Guid; a `Set-GUID` in the answer replaces the tracked Guid.
    pub async fn act(&self, agent: &mut Agent, method: &str, route: &str, body: Option<&Value>) -> Resp {
        let r = self.request(method, &gateway_path(route, &agent.id.to_string()), Some(&agent.guid), body).await;
        if let Some(g) = &r.set_guid {
            agent.guid = g.clone();
        }
        r
    }

    /// As [`TestSim::act`] without updating the tracked Guid.
    pub async fn act_as(&self, id: u32, guid: Option<&str>, method: &str, route: &str, body: Option<&Value>) -> Resp {
        self.request(method, &gateway_path(route, &id.to_string()), guid, body).await
    }

    pub async fn sign_in_body(&self, id: u32, body: &Value) -> Resp {
        self.request("PUT", &gateway_path("onlineagent", &id.to_string()), None, Some(body)).await
    }

    /// Signs in with the default password and `status` 4; two events are then queued.
    pub async fn sign_in(&self, id: u32) -> Agent {
        self.sign_in_with(id, &json!({"password": PASSWORD, "phonenum": "40038", "status": "4"})).await
    }

    pub async fn sign_in_with(&self, id: u32, body: &Value) -> Agent {
        let r = self.sign_in_body(id, body).await;
        r.ok();
        let guid = r.set_guid.clone().expect("sign-in answers Set-GUID");
        Agent { id, guid }
    }

    /// Signs in and takes the sign-in events, so the queue is empty.
    pub async fn ready_agent(&self, id: u32) -> Agent {
        let mut a = self.sign_in(id).await;
        let evs = self.drain(&mut a).await;
        assert_eq!(event_types(&evs), ["AgentOther_InService", "AgentState_Ready"]);
        a
    }

    pub async fn poll(&self, agent: &mut Agent) -> Resp {
        self.act(agent, "GET", "agentevent", None).await
    }

    /// Polls until an event comes (empty answers are skipped), within 5 s.
    pub async fn next_event(&self, agent: &mut Agent) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let r = self.poll(agent).await;
            r.ok();
            if let Some(e) = r.event() {
                return e.clone();
            }
            assert!(Instant::now() < deadline, "no event for agent {} within 5 s", agent.id);
        }
    }

    /// The next `n` events.
    pub async fn events(&self, agent: &mut Agent, n: usize) -> Vec<Value> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.next_event(agent).await);
        }
        out
    }

    /// Every event queued now (the count comes from the control API, so no empty poll is
    /// needed to know the queue is drained).
    pub async fn drain(&self, agent: &mut Agent) -> Vec<Value> {
        let queued = self.agent_state(agent.id).await["queued"].as_u64().expect("queued") as usize;
        self.events(agent, queued).await
    }

    /// Waits until the agent's queue holds at least `n` events, then takes exactly them.
    pub async fn expect_events(&self, agent: &mut Agent, types: &[&str]) -> Vec<Value> {
        let id = agent.id;
        let n = types.len() as u64;
        wait_for(&format!("{n} events queued for {id}"), Duration::from_secs(5), || async {
            self.agent_state(id).await["queued"].as_u64().is_some_and(|q| q >= n)
        })
        .await;
        let evs = self.events(agent, types.len()).await;
        assert_eq!(event_types(&evs), types, "events {evs:#?}");
        assert_consecutive(&evs);
        evs
    }

    /// Asserts that nothing is queued for the agent.
    pub async fn assert_no_events(&self, id: u32) {
        let st = self.agent_state(id).await;
        assert_eq!(st["queued"], 0, "unexpected events queued: {st}");
    }

    // ------------------------------------------------------------------ control API

    pub async fn ctl(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let r = self.request(method, &format!("/sim/{path}"), None, body).await;
        (r.status, r.json)
    }

    pub async fn ctl_ok(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, v) = self.ctl(method, path, body).await;
        assert_eq!(status, 200, "{method} /sim/{path}: {v}");
        v
    }

    pub async fn agent_state(&self, id: u32) -> Value {
        self.ctl_ok("GET", &format!("agents/{id}"), None).await
    }

    pub async fn journal(&self, query: &str) -> Vec<Value> {
        let v = self.ctl_ok("GET", &format!("journal{query}"), None).await;
        v["entries"].as_array().expect("entries").clone()
    }

    pub async fn inject(&self, id: u32, body: Value) -> Value {
        self.ctl_ok("POST", &format!("agents/{id}/events"), Some(&body)).await
    }

    pub async fn confs(&self) -> Vec<Value> {
        self.ctl_ok("GET", "confs", None).await["confs"].as_array().expect("confs").clone()
    }

    /// Waits until a poll of the agent is being held by the simulator.
    pub async fn wait_poll_in_flight(&self, id: u32) {
        wait_for(&format!("a poll of {id} in flight"), Duration::from_secs(5), || async {
            self.agent_state(id).await["pollsInFlight"].as_u64().unwrap_or(0) >= 1
        })
        .await;
    }
}

/// What the agent receives when it releases its only call (release page order, then ready).
pub const RELEASED: [&str; 4] =
    ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease", "AgentState_Ready"];

/// Re-checks `cond` every 10 ms until it holds; panics naming `what` after `limit`.
pub async fn wait_for<F, Fut>(what: &str, limit: Duration, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    loop {
        if cond().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out after {limit:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn event_types(evs: &[Value]) -> Vec<&str> {
    evs.iter().map(|e| e["eventType"].as_str().unwrap_or("<none>")).collect()
}

pub fn seq(e: &Value) -> u64 {
    e["seq"].as_u64().unwrap_or_else(|| panic!("event without seq: {e}"))
}

/// Sequence numbers rise by exactly one from event to event.
#[track_caller]
pub fn assert_consecutive(evs: &[Value]) {
    for w in evs.windows(2) {
        assert_eq!(seq(&w[1]), seq(&w[0]) + 1, "sequence gap or repeat between {} and {}", w[0], w[1]);
    }
}

/// The shape of every Guid the simulator issues: `<uuid>.AgentGateway<node>`.
#[track_caller]
pub fn assert_guid_shape(guid: &str, node: u32) {
    let (uuid, suffix) = guid.split_once('.').unwrap_or_else(|| panic!("guid {guid:?} has no suffix"));
    assert_eq!(suffix, format!("AgentGateway{node}"), "suffix of {guid:?}");
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "uuid groups of {guid:?}");
    assert!(uuid.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()), "uuid of {guid:?} is not hex");
}

// ---------------------------------------------------------------------- table-driven limits

/// One request body and whether the gateway accepts it.
pub struct Case {
    pub what: String,
    pub body: Value,
    pub accepted: bool,
}

pub fn ok(what: impl Into<String>, body: Value) -> Case {
    Case { what: what.into(), body, accepted: true }
}

pub fn bad(what: impl Into<String>, body: Value) -> Case {
    Case { what: what.into(), body, accepted: false }
}

/// The conference state a request can change (members, their hold state, mode and role,
/// the applied time, member places, announcements), leaving out what invitees answering in
/// the background change (whether and in which order they joined).
pub async fn fingerprint(s: &TestSim) -> Vec<Value> {
    s.confs()
        .await
        .into_iter()
        .map(|c| {
            let mut members: Vec<Value> = c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    json!([
                        m["addressType"],
                        m["address"],
                        m["channelState"],
                        m["channelAttrib"],
                        m["holdVoicePath"],
                        m["role"],
                        m["voicePath"]
                    ])
                })
                .collect();
            members.sort_by_key(|m| m.to_string());
            json!({"confId": c["confId"], "chair": c["chair"], "applyConfTime": c["applyConfTime"],
                   "memberNum": c["memberNum"], "confState": c["confState"], "members": members})
        })
        .collect()
}

/// Runs every case on `route` and checks its retcode; refused ones must change nothing.
pub async fn run(s: &TestSim, a: &mut Agent, route: &str, cases: Vec<Case>) {
    for c in cases {
        let confs_before = fingerprint(s).await;
        let r = s.act(a, "POST", route, Some(&c.body)).await;
        if c.accepted {
            assert_eq!(r.retcode(), "0", "{route}: {} should be accepted: {}", c.what, r.text);
        } else {
            assert_eq!(r.retcode(), "000-002", "{route}: {} should be refused: {}", c.what, r.text);
            assert!(fingerprint(s).await == confs_before, "{route}: refused {} changed the conference", c.what);
        }
    }
}

/// A chair with a granted conference.
pub async fn chair(s: &TestSim) -> Agent {
    let mut a = s.ready_agent(101).await;
    s.act(&mut a, "POST", "agentconf/requestagentconf", Some(&json!({"memberNum": 120}))).await.ok();
    wait_for("the conference grant", std::time::Duration::from_secs(5), || async {
        s.confs().await.first().is_some_and(|c| c["granted"] == true)
    })
    .await;
    a
}

// ---------------------------------------------------------------------- the program

/// Reads the first stdout line of the child within `limit`.
pub fn first_line(child: &mut std::process::Child, limit: Duration) -> String {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let r = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).map(|_| line);
        let _ = tx.send(r);
    });
    rx.recv_timeout(limit).expect("the binary prints its URL in time").expect("stdout readable")
}

/// Waits for the child to exit within `limit`.
pub fn wait_exit(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("the binary did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
