//! `ccgw-sim`: a simulator of the Huawei CC-Gateway (AgentGateway) agent interface over
//! HTTPS, for testing CTI clients without a gateway.
//!
//! Start one in-process on a free port; it runs on its own thread and tokio runtime, so
//! blocking and async tests alike can use it, and it stops when dropped:
//!
//! ```no_run
//! let sim = ccgw_sim::Simulator::start(ccgw_sim::SimConfig::default()).unwrap();
//! println!("gateway at {}", sim.base_url());
//! std::fs::write("ca.pem", sim.ca_pem().unwrap()).unwrap();
//! ```
//!
//! Everything the control API (`/sim/...`, see `sim/README.md`) does is also a method here.
//!
//! For fail-over drills, [`Cluster`] runs several nodes on their own ports under one CA and
//! switches them over (`000-004`, then refused connections, HTTP 503 or back up), stops
//! and restarts them (see [`cluster`]).

/// A sticky-cookie load balancer in front of simulator nodes.
pub mod balancer;
/// Several nodes on their own ports for fail-over drills: switchover, stop, restart.
pub mod cluster;
pub mod config;
mod control;
pub mod faults;
pub mod journal;
mod server;
/// The throw-away CA and server certificate the simulator generates; public so other test
/// peers (a hostile listener, a proxy) can present a certificate the same clients trust.
pub mod tls;
pub mod validate;
pub mod world;

pub use balancer::Balancer;
pub use cluster::{After, Cluster, ClusterConfig, NodeState, Switchover};
pub use config::{
    AgentSettings, AnswerRule, AuthMode, EmptyPoll, Outcome, QueryShape, Settings, SimConfig, TlsIdentity,
};
pub use faults::{FaultKind, FaultSpec};
pub use journal::Entry as JournalEntry;

use serde_json::Value;
use server::{lock, Shared};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// A running simulator. Dropping it stops the server and joins its thread.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    runtime: tokio::runtime::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn bind(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = socket2::Socket::new(socket2::Domain::for_address(addr), socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    // A deep backlog: scale tests open thousands of connections at once.
    socket.listen(4096)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

impl Simulator {
    /// Binds, generates the certificate or loads the one supplied (unless plain HTTP), and
    /// starts serving.
    pub fn start(config: SimConfig) -> std::io::Result<Simulator> {
        config.settings.validate().map_err(std::io::Error::other)?;
        let server_tls = match (&config.tls_identity, config.tls) {
            (_, false) => None,
            (Some(id), true) => Some(tls::load(&id.cert_file, &id.key_file)?),
            (None, true) => Some(tls::generate(&config.tls_names)?),
        };
        Simulator::start_node(config, server_tls, None)
    }

    /// [`Simulator::start`] with the TLS identity made already (`None`: plain HTTP) and,
    /// for a cluster with shared state, the world to serve.
    fn start_node(
        config: SimConfig,
        server_tls: Option<tls::ServerTls>,
        world: Option<Arc<std::sync::Mutex<world::World>>>,
    ) -> std::io::Result<Simulator> {
        let listener = bind(SocketAddr::new(config.bind, config.port))?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.threads.max(1))
            .thread_name("ccgw-sim-worker")
            .enable_all()
            .build()?;
        let shared = Shared::new(config.settings, world);
        let (relisten, relistened) = tokio::sync::mpsc::unbounded_channel();
        shared.gate.attach(relisten, runtime.handle().clone());
        let acceptor = server_tls.as_ref().map(|g| tokio_rustls::TlsAcceptor::from(g.server_config.clone()));
        let handle = runtime.handle().clone();
        let listener = {
            let _enter = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let serve_shared = shared.clone();
        let thread = std::thread::Builder::new().name("ccgw-sim".into()).spawn(move || {
            runtime.block_on(async move {
                tokio::spawn(server::sweeper(serve_shared.clone()));
                server::serve(serve_shared, listener, acceptor, relistened).await;
            });
            runtime.shutdown_timeout(Duration::from_millis(500));
        })?;
        let scheme = if config.tls { "https" } else { "http" };
        let host = match addr {
            SocketAddr::V4(a) => a.ip().to_string(),
            SocketAddr::V6(a) => format!("[{}]", a.ip()),
        };
        Ok(Simulator {
            shared,
            addr,
            base_url: format!("{scheme}://{host}:{}", addr.port()),
            ca_pem: server_tls.and_then(|g| g.ca_pem),
            runtime: handle,
            thread: Some(thread),
        })
    }

    /// `https://127.0.0.1:PORT` (or `http://...`), without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The generated CA certificate, PEM; `None` for plain HTTP or a certificate the user
    /// supplied ([`SimConfig::tls_identity`]).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Journal entries with an id above `since` (0 for all still kept).
    pub fn journal_since(&self, since: u64) -> Vec<JournalEntry> {
        lock(&self.shared.journal).since(since)
    }

    pub fn journal(&self) -> Vec<JournalEntry> {
        self.journal_since(0)
    }

    /// Id of the newest journal entry; pass it to [`Simulator::journal_since`] later to see
    /// only what came after.
    pub fn journal_mark(&self) -> u64 {
        lock(&self.shared.journal).last_id()
    }

    pub fn clear_journal(&self) {
        lock(&self.shared.journal).clear();
    }

    pub fn add_fault(&self, spec: FaultSpec) -> Result<u64, String> {
        lock(&self.shared.faults).add(spec)
    }

    pub fn remove_fault(&self, id: u64) -> bool {
        lock(&self.shared.faults).remove(id)
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Queues an event for a signed-in agent; returns its sequence number.
    pub fn inject_event(&self, agent: u32, event_type: &str, content: Value) -> Result<u64, String> {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.inject(agent, event_type, content))
    }

    /// Queues an `event` member sent verbatim (may be malformed on purpose).
    pub fn inject_raw_event(&self, agent: u32, raw: Value) -> Result<u64, String> {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.inject_raw(agent, raw))
    }

    /// Control-API form of event injection (`{"eventType", "content", "repeat"}` or `{"events": [...]}`).
    pub fn inject_events(&self, agent: u32, body: &Value) -> Result<Value, String> {
        let _rt = self.runtime.enter();
        control::inject_events(&self.shared, agent, body).map_err(|(_, m)| m)
    }

    /// A customer calls the agent; returns the call id.
    pub fn inbound_call(&self, agent: u32, caller: &str) -> Result<String, String> {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.inbound(agent, caller, None))
    }

    /// A party hangs up (by default the first customer of the active call).
    pub fn hangup(&self, agent: u32, callid: Option<&str>, number: Option<&str>) -> Result<(String, String), String> {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.party_leaves(agent, callid, number, false)).map_err(|f| f.message)
    }

    /// The called party of a call being dialled answers (`true`) or the call fails.
    pub fn remote_answer(&self, agent: u32, callid: &str, answer: bool) -> Result<(), String> {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.remote_answer(agent, callid, answer))
    }

    /// The conference exactly as one entry of `queryconfinfos` reports it (whoever asks);
    /// `None` when there is no such conference or it is not granted yet.
    pub fn conf_info(&self, conf: u64) -> Option<Value> {
        lock(&self.shared.world).conf_info(conf)
    }

    /// Makes a participant join, fail its invitation, leave, hold, unhold, mute, unmute or
    /// change mode, with the gateway's events (`POST /sim/confs/{id}/participants`); returns
    /// the conference as `queryconfinfos` shows it afterwards.
    pub fn participant(&self, conf: u64, body: &Value) -> Result<Value, String> {
        let _rt = self.runtime.enter();
        control::participant(&self.shared, conf, body).map_err(|(_, m)| m)
    }

    /// Signs the agent out as the gateway would after idling.
    pub fn sign_out(&self, agent: u32) {
        let _rt = self.runtime.enter();
        self.shared.with_world(|w| w.sign_out(agent, world::SignOutReason::Control));
    }

    /// The next poll answer carries a new Guid, whatever the auth mode.
    pub fn rotate_guid(&self, agent: u32) -> Result<(), String> {
        lock(&self.shared.world).force_rotation(agent)
    }

    /// The agent's Guids stop being accepted at once.
    pub fn expire_guid(&self, agent: u32) -> Result<(), String> {
        lock(&self.shared.world).expire_guid(agent)
    }

    /// The agent's state as `GET /sim/agents/{id}` shows it.
    pub fn agent_state(&self, agent: u32) -> Value {
        lock(&self.shared.world).agent_json(agent)
    }

    /// All conferences, with the details `queryconfinfos` does not show.
    pub fn confs(&self) -> Value {
        lock(&self.shared.world).confs_json()
    }

    pub fn stats(&self) -> Value {
        control::stats(&self.shared)
    }

    pub fn settings(&self) -> Settings {
        self.shared.settings()
    }

    /// Merges a partial settings document, as `PUT /sim/config` does.
    pub fn update_settings(&self, patch: &Value) -> Result<Settings, String> {
        control::update_settings(&self.shared, patch).map_err(|(_, m)| m)?;
        Ok(self.settings())
    }

    /// Back to the start-up state: no sessions, calls, conferences, journal or faults.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops serving and joins the server thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.shutdown.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}
