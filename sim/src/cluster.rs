//! A gateway cluster for fail-over drills: N simulator nodes, each on its own port, all
//! presenting certificates of one CA, that can be switched over, stopped and restarted
//! while a client runs.
//!
//! ```no_run
//! use ccgw_sim::cluster::{After, Cluster, ClusterConfig, Switchover};
//! use std::time::Duration;
//!
//! let cluster = Cluster::start(ClusterConfig::default()).unwrap();
//! let [a, b] = [&cluster.base_urls()[0], &cluster.base_urls()[1]];
//! std::fs::write("ca.pem", cluster.ca_pem().unwrap()).unwrap();
//! println!("primary {a}, backup {b}");
//! // ... sign the client in on A, then: A answers 000-004 for 3 s, then refuses connections.
//! cluster.switchover(0, Switchover { busy_for: Duration::from_secs(3), then: After::Refuse }).unwrap();
//! // ... later A comes back empty (every Guid unknown, queued events lost):
//! cluster.restart_node(0).unwrap();
//! ```
//!
//! What a node does in each [`NodeState`]:
//!
//! | state | gateway requests (`/agentgateway/...`) | control API (`/sim/...`) |
//! |---|---|---|
//! | `Up` | served | served |
//! | `SwitchingOver` | HTTP 200 `{"retcode":"000-004"}`, not processed; held event polls answer it at once | served |
//! | `Unavailable` | HTTP 503 with an HTML page, not processed | served |
//! | `Down` | connection refused (listener closed, open connections closed) | unreachable |
//!
//! A switchover (reference §2.3, the disaster-recovery note: `000-004` "agent being
//! switched over") loses the events queued at its start unless
//! [`ClusterConfig::switchover_loses_events`] is off, as a real switchover loses what the
//! old node held in memory.
//!
//! State: by default every node has its own world (agents, sessions, Guids, event queues,
//! calls, conferences), as in [`crate::Balancer`]'s cluster: a Guid issued by one node is
//! unknown to the others. With [`ClusterConfig::shared_state`] the nodes serve one world: a
//! Guid is valid on either node and events come from one queue per agent. The journal,
//! faults and statistics are always per node.

use crate::server::{lock, Shared};
use crate::world::World;
use crate::{SimConfig, Simulator};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// How a cluster is started.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// Number of nodes (at least 1).
    pub nodes: usize,
    /// One world for every node (a Guid valid on each, one event queue per agent) instead
    /// of one per node.
    pub shared_state: bool,
    /// A switchover (and, with shared state, a node restart) drops the events queued at
    /// that moment (default `true`: what a real switchover does).
    pub switchover_loses_events: bool,
    /// Every node's configuration. `port` 0 gives each node a free port; another value
    /// puts node `i` on `port + i`. `settings.node` is set to the node's index (node `i`
    /// issues `.AgentGateway<i>` Guids; with shared state every Guid says node 0).
    /// A user-supplied `tls_identity` is served by every node; otherwise one CA is
    /// generated and signs every node's certificate.
    pub sim: SimConfig,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig { nodes: 2, shared_state: false, switchover_loses_events: true, sim: SimConfig::default() }
    }
}

/// What a switched-over node does once its `000-004` window ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    /// Refuses connections (its listener closed: `ECONNREFUSED`), as a node that went
    /// away; [`Cluster::restart_node`] brings it back empty.
    Refuse,
    /// Answers every gateway request HTTP 503 with an HTML page, as a front end whose
    /// back end is gone; [`Cluster::restart_node`] brings it back empty.
    Http503,
    /// Serves again with its sessions intact (a switchover that came back).
    Up,
}

impl After {
    /// `refuse`, `http503` or `up` (the control API's names).
    pub fn parse(s: &str) -> Option<After> {
        match s {
            "refuse" => Some(After::Refuse),
            "http503" | "503" => Some(After::Http503),
            "up" => Some(After::Up),
            _ => None,
        }
    }
}

/// A switchover of one node: `000-004` for `busy_for`, then `then`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Switchover {
    pub busy_for: Duration,
    pub then: After,
}

/// What a node is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeState {
    Up,
    /// Answering `000-004` until the window ends.
    SwitchingOver,
    /// Answering HTTP 503.
    Unavailable,
    /// Listener closed.
    Down,
}

impl NodeState {
    pub fn name(self) -> &'static str {
        match self {
            NodeState::Up => "up",
            NodeState::SwitchingOver => "switching_over",
            NodeState::Unavailable => "unavailable",
            NodeState::Down => "down",
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Mode {
    Up,
    Busy { until: Instant, then: After },
    Http503,
    Down,
}

struct GateState {
    mode: Mode,
    /// Bumped by every change, so a switchover's timer does nothing after a later change.
    serial: u64,
    /// Whether the serve loop holds an open listener.
    listening: bool,
    /// Cancelled to close the listener and every connection of the current listening period.
    epoch: CancellationToken,
}

/// How a node answers a gateway request right now.
pub(crate) enum Admission {
    Serve,
    Switchover,
    Unavailable,
}

/// A node's availability and listener: the server consults it for every gateway request,
/// the cluster changes it.
pub(crate) struct Gate {
    state: Mutex<GateState>,
    closed: Condvar,
    /// Woken when a switchover starts: held polls answer `000-004` at once.
    pub interrupt: tokio::sync::Notify,
    relisten: OnceLock<tokio::sync::mpsc::UnboundedSender<std::net::TcpListener>>,
    runtime: OnceLock<tokio::runtime::Handle>,
    pub cluster: OnceLock<Weak<Core>>,
}

impl Gate {
    pub fn new(shutdown: &CancellationToken) -> Gate {
        Gate {
            state: Mutex::new(GateState { mode: Mode::Up, serial: 0, listening: true, epoch: shutdown.child_token() }),
            closed: Condvar::new(),
            interrupt: tokio::sync::Notify::new(),
            relisten: OnceLock::new(),
            runtime: OnceLock::new(),
            cluster: OnceLock::new(),
        }
    }

    pub fn attach(
        &self,
        relisten: tokio::sync::mpsc::UnboundedSender<std::net::TcpListener>,
        runtime: tokio::runtime::Handle,
    ) {
        let _ = self.relisten.set(relisten);
        let _ = self.runtime.set(runtime);
    }

    pub fn admission(&self) -> Admission {
        match lock(&self.state).mode {
            Mode::Up => Admission::Serve,
            Mode::Busy { .. } => Admission::Switchover,
            Mode::Http503 | Mode::Down => Admission::Unavailable,
        }
    }

    pub fn switching_over(&self) -> bool {
        matches!(lock(&self.state).mode, Mode::Busy { .. })
    }

    /// The token of the current listening period (the serve loop takes it with each listener).
    pub fn epoch(&self) -> CancellationToken {
        lock(&self.state).epoch.clone()
    }

    /// The serve loop has dropped its listener and its connections are closing.
    pub fn listener_closed(&self) {
        lock(&self.state).listening = false;
        self.closed.notify_all();
    }

    fn node_state(&self) -> NodeState {
        match lock(&self.state).mode {
            Mode::Up => NodeState::Up,
            Mode::Busy { .. } => NodeState::SwitchingOver,
            Mode::Http503 => NodeState::Unavailable,
            Mode::Down => NodeState::Down,
        }
    }

    fn busy_left(&self) -> Option<Duration> {
        match lock(&self.state).mode {
            Mode::Busy { until, .. } => Some(until.saturating_duration_since(Instant::now())),
            _ => None,
        }
    }

    /// Closes the listener and every connection; returns once the port refuses.
    fn close(&self) {
        let mut st = lock(&self.state);
        st.mode = Mode::Down;
        st.serial += 1;
        st.epoch.cancel();
        let deadline = Instant::now() + Duration::from_secs(5);
        while st.listening {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            st = self.closed.wait_timeout(st, left).map(|(g, _)| g).unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Listens on `addr` again (a fresh listening period, mode `Up`).
    fn reopen(&self, addr: SocketAddr, shutdown: &CancellationToken) -> std::io::Result<()> {
        let listener = crate::bind(addr)?;
        let mut st = lock(&self.state);
        st.mode = Mode::Up;
        st.serial += 1;
        st.listening = true;
        st.epoch = shutdown.child_token();
        drop(st);
        self.relisten
            .get()
            .ok_or_else(|| std::io::Error::other("node not started"))?
            .send(listener)
            .map_err(|_| std::io::Error::other("the node has stopped"))
    }
}

/// What the cluster's nodes share: each node's server state, for the control API served
/// by every node.
pub(crate) struct Core {
    nodes: Vec<(Arc<Shared>, SocketAddr)>,
    shared_state: bool,
    switchover_loses_events: bool,
}

impl Core {
    fn node(&self, i: usize) -> Result<&(Arc<Shared>, SocketAddr), String> {
        self.nodes.get(i).ok_or_else(|| format!("no node {i} (the cluster has {})", self.nodes.len()))
    }

    fn switchover(self: &Arc<Self>, i: usize, s: Switchover) -> Result<(), String> {
        let (shared, _) = self.node(i)?;
        let gate = &shared.gate;
        let serial = {
            let mut st = lock(&gate.state);
            if matches!(st.mode, Mode::Down) {
                return Err(format!("node {i} is down; restart it first"));
            }
            st.mode = Mode::Busy { until: Instant::now() + s.busy_for, then: s.then };
            st.serial += 1;
            st.serial
        };
        gate.interrupt.notify_waiters();
        if self.switchover_loses_events {
            shared.with_world(World::lose_queued_events);
        }
        if s.busy_for.is_zero() {
            self.finish_switchover(i, serial);
            return Ok(());
        }
        let runtime = gate.runtime.get().ok_or("node not started")?;
        let core = Arc::downgrade(self);
        runtime.spawn(async move {
            tokio::time::sleep(s.busy_for).await;
            if let Some(core) = core.upgrade() {
                // Closing the listener waits for the serve loop; not on a runtime worker.
                let _ = tokio::task::spawn_blocking(move || core.finish_switchover(i, serial)).await;
            }
        });
        Ok(())
    }

    /// The end of switchover `serial`'s window (nothing if the node changed since).
    fn finish_switchover(&self, i: usize, serial: u64) {
        let Ok((shared, _)) = self.node(i) else { return };
        let gate = &shared.gate;
        let mut st = lock(&gate.state);
        let Mode::Busy { then, .. } = st.mode else { return };
        if st.serial != serial {
            return;
        }
        match then {
            After::Up => st.mode = Mode::Up,
            After::Http503 => st.mode = Mode::Http503,
            After::Refuse => {
                drop(st);
                gate.close();
            }
        }
    }

    fn stop_node(&self, i: usize) -> Result<(), String> {
        let (shared, _) = self.node(i)?;
        shared.gate.close();
        Ok(())
    }

    fn restart_node(&self, i: usize) -> Result<(), String> {
        let (shared, addr) = self.node(i)?;
        shared.gate.close();
        lock(&shared.pending).clear();
        if self.shared_state {
            if self.switchover_loses_events {
                shared.with_world(World::lose_queued_events);
            }
        } else {
            let mut w = lock(&shared.world);
            let settings = w.settings.clone();
            w.reset(settings);
        }
        shared.gate.reopen(*addr, &shared.shutdown).map_err(|e| format!("node {i} cannot listen on {addr}: {e}"))
    }

    fn state_json(&self) -> Value {
        let nodes: Vec<Value> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, (shared, addr))| {
                let mut v = json!({"node": i, "addr": addr.to_string(), "state": shared.gate.node_state().name()});
                if let Some(left) = shared.gate.busy_left() {
                    v["busyLeftMs"] = json!(left.as_millis() as u64);
                }
                v
            })
            .collect();
        json!({"nodes": nodes, "sharedState": self.shared_state, "switchoverLosesEvents": self.switchover_loses_events})
    }
}

fn core_of(shared: &Shared) -> Result<Arc<Core>, (u16, String)> {
    shared
        .gate
        .cluster
        .get()
        .and_then(Weak::upgrade)
        .ok_or_else(|| (404, "this simulator is not part of a cluster (start it with --cluster-nodes)".into()))
}

fn node_index(core: &Core, s: &str) -> Result<usize, (u16, String)> {
    match s.parse::<usize>() {
        Ok(i) if i < core.nodes.len() => Ok(i),
        Ok(i) => Err((404, format!("no node {i} (the cluster has {})", core.nodes.len()))),
        Err(_) => Err((400, format!("{s:?} is not a node index"))),
    }
}

/// The server state of node `i` (a path segment) of the cluster `shared` belongs to.
pub(crate) fn node_shared(shared: &Shared, i: &str) -> Result<Arc<Shared>, (u16, String)> {
    let core = core_of(shared)?;
    let i = node_index(&core, i)?;
    Ok(core.nodes[i].0.clone())
}

/// Runs a cluster operation that may wait for a node's serve loop (closing a listener) on
/// a blocking thread, so no runtime worker is held. A node asked to close itself closes the
/// connection that asked too: that request gets no answer.
async fn off_runtime(
    core: Arc<Core>,
    op: impl FnOnce(&Core) -> Result<(), String> + Send + 'static,
) -> Result<(), (u16, String)> {
    match tokio::task::spawn_blocking(move || op(&core)).await {
        Ok(r) => r.map_err(|m| (409, m)),
        Err(e) => Err((500, format!("cluster operation failed: {e}"))),
    }
}

/// The cluster control routes (`/sim/cluster...`), served by every node of a cluster.
pub(crate) async fn control(
    shared: &Shared,
    method: &str,
    segs: &[&str],
    body: &Value,
) -> Result<Value, (u16, String)> {
    let core = core_of(shared)?;
    let node = |s: &str| node_index(&core, s);
    match (method, segs) {
        ("GET", []) => Ok(core.state_json()),
        ("POST", ["nodes", i, "switchover"]) => {
            let i = node(i)?;
            let busy_ms = match body.get("busyForMs") {
                None | Some(Value::Null) => 0,
                Some(v) => {
                    v.as_u64().filter(|&n| n <= 3_600_000).ok_or((400, "busyForMs must be 0..3600000".into()))?
                }
            };
            let then = match body.get("then") {
                None | Some(Value::Null) => After::Refuse,
                Some(Value::String(s)) => After::parse(s).ok_or((400, format!("then {s:?}: refuse, http503 or up")))?,
                Some(_) => return Err((400, "then must be a string: refuse, http503 or up".into())),
            };
            let s = Switchover { busy_for: Duration::from_millis(busy_ms), then };
            let me = core.clone();
            off_runtime(core.clone(), move |_| me.switchover(i, s)).await?;
            Ok(core.state_json())
        }
        ("POST", ["nodes", i, "stop"]) => {
            let i = node(i)?;
            off_runtime(core, move |c| c.stop_node(i)).await?;
            Ok(json!({"ok": true}))
        }
        ("POST", ["nodes", i, "restart"]) => {
            let i = node(i)?;
            off_runtime(core, move |c| c.restart_node(i)).await?;
            Ok(json!({"ok": true}))
        }
        _ => Err((404, format!("no control route {method} /sim/cluster/{}", segs.join("/")))),
    }
}

/// A running cluster; dropping it stops every node.
pub struct Cluster {
    core: Arc<Core>,
    nodes: Vec<Simulator>,
    base_urls: Vec<String>,
}

impl Cluster {
    /// Starts `config.nodes` nodes, each on its own port.
    pub fn start(config: ClusterConfig) -> std::io::Result<Cluster> {
        if config.nodes == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "a cluster needs at least one node"));
        }
        config.sim.settings.validate().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let tls = match (&config.sim.tls_identity, config.sim.tls) {
            (_, false) => None,
            (Some(id), true) => Some(crate::tls::load(&id.cert_file, &id.key_file)?),
            (None, true) => Some(crate::tls::generate(&config.sim.tls_names)?),
        };
        let world = config.shared_state.then(|| Arc::new(Mutex::new(World::new(config.sim.settings.clone()))));
        let mut nodes = Vec::with_capacity(config.nodes);
        for i in 0..config.nodes {
            let mut sim = config.sim.clone();
            sim.settings.node = i as u32;
            if sim.port != 0 {
                let port = usize::from(sim.port) + i;
                sim.port = u16::try_from(port).map_err(|_| {
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("node {i} would be on port {port}"))
                })?;
            }
            let tls = tls
                .as_ref()
                .map(|t| crate::tls::ServerTls { ca_pem: t.ca_pem.clone(), server_config: t.server_config.clone() });
            nodes.push(Simulator::start_node(sim, tls, world.clone())?);
        }
        let core = Arc::new(Core {
            nodes: nodes.iter().map(|n| (n.shared.clone(), n.addr())).collect(),
            shared_state: config.shared_state,
            switchover_loses_events: config.switchover_loses_events,
        });
        for n in &nodes {
            let _ = n.shared.gate.cluster.set(Arc::downgrade(&core));
        }
        let base_urls = nodes.iter().map(|n| n.base_url().to_string()).collect();
        Ok(Cluster { core, nodes, base_urls })
    }

    /// One base URL per node (`https://127.0.0.1:PORT`), in node order; a client lists
    /// them as its primary and fallbacks.
    pub fn base_urls(&self) -> &[String] {
        &self.base_urls
    }

    /// The CA every node's certificate is signed by, PEM (`None` for plain HTTP or a
    /// certificate the user supplied).
    pub fn ca_pem(&self) -> Option<&str> {
        self.nodes.first().and_then(Simulator::ca_pem)
    }

    /// Node `i`: its journal, faults, injections, agents, settings (every [`Simulator`]
    /// method). With shared state, world methods (`inject_event`, `agent_state`, ...) act
    /// on the one world through any node. Panics when `i` is out of range.
    pub fn node(&self, i: usize) -> &Simulator {
        &self.nodes[i]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node_state(&self, i: usize) -> NodeState {
        self.nodes[i].shared.gate.node_state()
    }

    /// Starts a switchover of node `i`: at once its held event polls and every gateway
    /// request answer `000-004` (HTTP 200, not processed) and, unless
    /// [`ClusterConfig::switchover_loses_events`] is off, the events queued on it are lost;
    /// after `busy_for` it does what `then` says. Returns at once (with `busy_for` zero and
    /// [`After::Refuse`], once the port refuses). Refused for a node that is down.
    pub fn switchover(&self, i: usize, s: Switchover) -> Result<(), String> {
        self.core.switchover(i, s)
    }

    /// Closes node `i`'s listener and connections; returns once its port refuses
    /// connections and its open connections are closed. Its state stays as it was (the journal is still readable through
    /// [`Cluster::node`]).
    pub fn stop_node(&self, i: usize) -> Result<(), String> {
        self.core.stop_node(i)
    }

    /// Node `i` back on the same port with nothing: every session and Guid gone, queued
    /// events, calls and conferences lost (with shared state the shared world survives,
    /// but the queued events are lost unless [`ClusterConfig::switchover_loses_events`] is
    /// off). Its journal, faults and settings are kept. Works on a node in any state.
    pub fn restart_node(&self, i: usize) -> Result<(), String> {
        self.core.restart_node(i)
    }

    /// `GET /sim/cluster`: every node's address and state.
    pub fn state(&self) -> Value {
        self.core.state_json()
    }
}
