//! The HTTP(S) side: accepting connections, the gateway request pipeline (journal,
//! faults, duplicate detection, authentication, the operation, the answer) and the
//! event long poll.

use crate::cluster::{Admission, Gate};
use crate::config::{EmptyPoll, Settings};
use crate::control;
use crate::faults::{FaultKind, FaultSpec, Faults};
use crate::journal::{self, Journal};
use crate::world::{now_ms, Answer, Deferred, Fail, PollStep, World};
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full, Limited};
use hyper::body::{Body, Frame, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

pub type HttpBody = BoxBody<Bytes, io::Error>;

/// Largest request body read; the gateway's Tomcat refuses larger posts too.
const MAX_BODY: usize = 2 * 1024 * 1024;
const GATEWAY_PREFIX: &str = "/agentgateway/resource/";

/// Locks a mutex, carrying on after a panic elsewhere poisoned it (the state is plain data).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// State shared by every connection and the control API.
pub struct Shared {
    /// The node's world; with a cluster's shared state, the one world of every node.
    pub world: Arc<Mutex<World>>,
    pub journal: Mutex<Journal>,
    pub faults: Mutex<Faults>,
    pub(crate) pending: Mutex<HashSet<(u32, u64)>>,
    /// The settings the simulator started with; a reset returns to them.
    pub initial: Settings,
    pub shutdown: CancellationToken,
    pub connections: AtomicUsize,
    /// Connections accepted since the start (the open ones are `connections`).
    pub accepted: AtomicUsize,
    /// Whether the node serves, answers `000-004` or 503, or is down (cluster mode).
    pub(crate) gate: Gate,
}

impl Shared {
    /// A node with its own world, or serving `world` (a cluster's shared state).
    pub fn new(settings: Settings, world: Option<Arc<Mutex<World>>>) -> Arc<Shared> {
        let shutdown = CancellationToken::new();
        Arc::new(Shared {
            world: world.unwrap_or_else(|| Arc::new(Mutex::new(World::new(settings.clone())))),
            journal: Mutex::new(Journal::default()),
            faults: Mutex::new(Faults::default()),
            pending: Mutex::new(HashSet::new()),
            initial: settings,
            gate: Gate::new(&shutdown),
            shutdown,
            connections: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
        })
    }

    pub fn settings(&self) -> Settings {
        lock(&self.world).settings.clone()
    }

    /// Everything back to the start-up state: sessions, calls, conferences, journal, faults
    /// and settings.
    pub fn reset(&self) {
        lock(&self.world).reset(self.initial.clone());
        lock(&self.journal).clear();
        lock(&self.faults).clear();
    }

    /// Runs `f` on the world and schedules whatever timed work it left behind.
    pub fn with_world<R>(self: &Arc<Self>, f: impl FnOnce(&mut World) -> R) -> R {
        let mut w = lock(&self.world);
        let r = f(&mut w);
        let deferred = std::mem::take(&mut w.deferred);
        let generation = w.generation;
        drop(w);
        schedule(self, deferred, generation);
        r
    }
}

/// Runs deferred world work after its delay, in order, as one task per batch.
fn schedule(shared: &Arc<Shared>, mut items: Vec<(u64, Deferred)>, generation: u64) {
    if items.is_empty() {
        return;
    }
    items.sort_by_key(|(ms, _)| *ms);
    let shared = shared.clone();
    tokio::spawn(async move {
        let start = tokio::time::Instant::now();
        for (ms, d) in items {
            tokio::select! {
                _ = tokio::time::sleep_until(start + Duration::from_millis(ms)) => {}
                _ = shared.shutdown.cancelled() => return,
            }
            let mut w = lock(&shared.world);
            if w.generation != generation {
                return;
            }
            w.run_deferred(d);
            let more = std::mem::take(&mut w.deferred);
            drop(w);
            schedule(&shared, more, generation);
        }
    });
}

/// Idle sign-out and conference timers.
pub async fn sweeper(shared: Arc<Shared>) {
    loop {
        let idle = lock(&shared.world).settings.idle_signout_ms;
        let tick = Duration::from_millis((idle / 10).clamp(5, 500));
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = shared.shutdown.cancelled() => return,
        }
        shared.with_world(|w| w.tick(Instant::now()));
    }
}

// ---------------------------------------------------------------------- connections

/// Per-connection control: set `reset` and the next read or write aborts the connection
/// with a TCP reset (SO_LINGER 0).
#[derive(Default)]
pub struct ConnCtl {
    reset: AtomicBool,
    /// Requests being handled on the connection.
    inflight: AtomicUsize,
    /// When the connection last read or wrote bytes (ms on the [`Instant`] of `epoch`).
    last_io_ms: std::sync::atomic::AtomicU64,
}

impl ConnCtl {
    fn touch(&self, epoch: Instant) {
        self.last_io_ms.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

struct ConnIo {
    inner: TcpStream,
    ctl: Arc<ConnCtl>,
    epoch: Instant,
}

impl ConnIo {
    fn reset_requested(&self) -> bool {
        if self.ctl.reset.load(Ordering::Acquire) {
            let _ = socket2::SockRef::from(&self.inner).set_linger(Some(Duration::ZERO));
            true
        } else {
            false
        }
    }
}

fn reset_err() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "fault injection: connection reset")
}

impl AsyncRead for ConnIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.reset_requested() {
            return Poll::Ready(Err(reset_err()));
        }
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.ctl.touch(self.epoch);
        }
        r
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.reset_requested() {
            return Poll::Ready(Err(reset_err()));
        }
        self.ctl.touch(self.epoch);
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset_requested() {
            return Poll::Ready(Err(reset_err()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.reset_requested() {
            return Poll::Ready(Err(reset_err()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

struct ConnCount(Arc<Shared>);

impl Drop for ConnCount {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Accepts connections until shutdown. A node of a cluster closes its listener (and its
/// connections) when the gate's listening period is cancelled, and listens again on each
/// listener `relisten` hands over.
pub async fn serve(
    shared: Arc<Shared>,
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut relisten: tokio::sync::mpsc::UnboundedReceiver<std::net::TcpListener>,
) {
    let mut listener = Some(listener);
    loop {
        let Some(current) = listener.take() else {
            let next = tokio::select! {
                l = relisten.recv() => l,
                _ = shared.shutdown.cancelled() => return,
            };
            match next.map(TcpListener::from_std) {
                Some(Ok(l)) => listener = Some(l),
                Some(Err(_)) => shared.gate.listener_closed(),
                None => return,
            }
            continue;
        };
        let period = shared.gate.epoch();
        accept(&shared, &current, &tls, &period).await;
        drop(current);
        period.cancel();
        // Every connection belongs to the period just ended: wait (boundedly) until they
        // are closed, so that a node reported down has no connection left either.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while shared.connections.load(Ordering::Relaxed) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        shared.gate.listener_closed();
        if shared.shutdown.is_cancelled() {
            return;
        }
    }
}

/// Accepts on `listener` until `period` (or the simulator) ends.
async fn accept(
    shared: &Arc<Shared>,
    listener: &TcpListener,
    tls: &Option<tokio_rustls::TlsAcceptor>,
    period: &CancellationToken,
) {
    loop {
        let (tcp, _) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(_) => {
                    // Out of descriptors or similar: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = period.cancelled() => return,
        };
        let _ = tcp.set_nodelay(true);
        let shared = shared.clone();
        let tls = tls.clone();
        let stop = period.clone();
        tokio::spawn(async move {
            shared.connections.fetch_add(1, Ordering::Relaxed);
            shared.accepted.fetch_add(1, Ordering::Relaxed);
            let _count = ConnCount(shared.clone());
            let ctl = Arc::new(ConnCtl::default());
            let epoch = Instant::now();
            let io = ConnIo { inner: tcp, ctl: ctl.clone(), epoch };
            let svc_shared = shared.clone();
            let svc_ctl = ctl.clone();
            let service = hyper::service::service_fn(move |req| {
                let shared = svc_shared.clone();
                let ctl = svc_ctl.clone();
                async move {
                    ctl.inflight.fetch_add(1, Ordering::Relaxed);
                    let resp = handle(shared, ctl.clone(), req).await;
                    ctl.inflight.fetch_sub(1, Ordering::Relaxed);
                    ctl.touch(epoch);
                    Ok::<_, std::convert::Infallible>(resp)
                }
            });
            let builder = hyper::server::conn::http1::Builder::new();
            match tls {
                Some(acceptor) => {
                    let accepted = tokio::select! {
                        r = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(io)) => r,
                        _ = stop.cancelled() => return,
                    };
                    let Ok(Ok(stream)) = accepted else { return };
                    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    drive(conn, &shared, &ctl, epoch, &stop).await;
                }
                None => {
                    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(io), service);
                    drive(conn, &shared, &ctl, epoch, &stop).await;
                }
            }
        });
    }
}

/// Serves a connection until it ends or the simulator stops, closing it when it has been
/// idle (no request in progress, no I/O) for `idle_close_ms` (read on every check, so a
/// settings change applies to open connections too).
async fn drive<I, S, B>(
    conn: hyper::server::conn::http1::Connection<I, S>,
    shared: &Arc<Shared>,
    ctl: &ConnCtl,
    epoch: Instant,
    stop: &CancellationToken,
) where
    S: hyper::service::HttpService<Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
{
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        let idle_close_ms = lock(&shared.world).settings.idle_close_ms;
        let check = if idle_close_ms == 0 || closing { 1_000 } else { (idle_close_ms / 10).clamp(1, 10) };
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_millis(check)) => {
                let idle_ms = (epoch.elapsed().as_millis() as u64).saturating_sub(ctl.last_io_ms.load(Ordering::Relaxed));
                if !closing && idle_close_ms > 0 && ctl.inflight.load(Ordering::Relaxed) == 0 && idle_ms >= idle_close_ms {
                    // As a front end's keep-alive timeout: the connection is closed (FIN);
                    // a request already on its way meets a closed socket.
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

// ---------------------------------------------------------------------- responses

pub fn full(bytes: impl Into<Bytes>) -> HttpBody {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

pub fn json_response(status: StatusCode, body: &Value) -> Response<HttpBody> {
    Response::builder()
        .status(status)
        .header("Content-Type", "application/json;charset=UTF-8")
        .body(full(body.to_string()))
        .expect("static response parts are valid")
}

/// A 200 JSON answer encoded in `charset` (setting `charset`, a label checked when the
/// settings were) and declaring it; UTF-16 with a byte order mark.
fn encoded_json_response(charset: &str, body: &Value) -> Response<HttpBody> {
    let charset = charset.trim();
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    if encoding == encoding_rs::UTF_8 {
        return json_response(StatusCode::OK, body);
    }
    let text = body.to_string();
    let bytes: Vec<u8> = if encoding == encoding_rs::UTF_16LE {
        [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
    } else if encoding == encoding_rs::UTF_16BE {
        [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect()
    } else {
        encoding.encode(&text).0.into_owned()
    };
    Response::builder()
        .status(StatusCode::OK)
        .header("Content-Type", format!("application/json;charset={charset}"))
        .body(full(bytes))
        .expect("a checked charset label makes a valid header")
}

fn html_response(status: StatusCode, html: &str) -> Response<HttpBody> {
    Response::builder()
        .status(status)
        .header("Content-Type", "text/html;charset=UTF-8")
        .body(full(html.to_string()))
        .expect("static response parts are valid")
}

/// A body that sends its first part, pauses so it reaches the wire, then fails: the
/// client gets a `Content-Length` it never sees fulfilled and a closed connection.
struct TruncatedBody {
    part: Option<Bytes>,
    pause: Pin<Box<tokio::time::Sleep>>,
}

impl Body for TruncatedBody {
    type Data = Bytes;
    type Error = io::Error;
    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        if let Some(part) = self.part.take() {
            return Poll::Ready(Some(Ok(Frame::data(part))));
        }
        match self.pause.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::other("fault injection: truncated body")))),
            Poll::Pending => Poll::Pending,
        }
    }
}

use std::future::Future;

fn gateway_body(retcode: &str, message: &str, result: Option<Value>) -> Value {
    let mut v = json!({ "message": message, "retcode": retcode });
    if let Some(r) = result {
        v["result"] = r;
    }
    v
}

fn fail_body(f: &Fail) -> Value {
    gateway_body(&f.retcode, &f.message, None)
}

// ---------------------------------------------------------------------- routing

/// The gateway operations the simulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    SignIn,
    ForceLogin,
    Logout,
    ForceLogout,
    UpdateGuid,
    Poll,
    Callout,
    Answer,
    Hold,
    GetHold,
    ConfJoin,
    TransmitNum,
    Release,
    DropCall,
    Disconnect,
    RequestConf,
    AnswerConf,
    RejectConf,
    LeaveConf,
    ReleaseConf,
    HoldParticipant,
    UnholdParticipant,
    BatchAdd,
    BatchRemove,
    QueryConfs,
    AgentStatus,
    SayFree,
    SayBusy,
    Work,
    CancelWork,
    ConnectHold,
    SecondDial,
    HoldList,
    CallInfo,
    CallInfoById,
    ChangeMode,
    Prolong,
    ShiftPresident,
    PlayToConf,
    StopConfVoice,
    PlayToParticipant,
    StopParticipantVoice,
    ModifyResource,
    QueryVdnConfIds,
}

/// (method, family, op, takes a path parameter, operation)
const ROUTES: &[(&str, &str, &str, bool, Op)] = &[
    ("PUT", "onlineagent", "", false, Op::SignIn),
    ("PUT", "onlineagent", "forcelogin", false, Op::ForceLogin),
    ("DELETE", "onlineagent", "logout", false, Op::Logout),
    ("DELETE", "onlineagent", "forcelogout", false, Op::ForceLogout),
    ("PUT", "onlineagent", "updateGuid", false, Op::UpdateGuid),
    ("GET", "onlineagent", "agentstatus", false, Op::AgentStatus),
    ("POST", "onlineagent", "sayfree", false, Op::SayFree),
    ("POST", "onlineagent", "saybusy", false, Op::SayBusy),
    ("POST", "onlineagent", "work", false, Op::Work),
    ("POST", "onlineagent", "cancelwork", false, Op::CancelWork),
    ("GET", "agentevent", "", false, Op::Poll),
    ("PUT", "voicecall", "callout", false, Op::Callout),
    ("POST", "voicecall", "answer", false, Op::Answer),
    ("POST", "voicecall", "hold", false, Op::Hold),
    ("POST", "voicecall", "gethold", false, Op::GetHold),
    ("POST", "voicecall", "confjoin", false, Op::ConfJoin),
    ("POST", "voicecall", "thirdPartyConfTransmitNum", false, Op::TransmitNum),
    ("DELETE", "voicecall", "release", false, Op::Release),
    ("DELETE", "voicecall", "", false, Op::Release),
    ("POST", "voicecall", "connecthold", true, Op::ConnectHold),
    ("POST", "voicecall", "seconddialex", false, Op::SecondDial),
    ("GET", "calldata", "holdlist", false, Op::HoldList),
    ("GET", "calldata", "callinfo", false, Op::CallInfo),
    ("GET", "calldata", "callinfobycallid", true, Op::CallInfoById),
    ("POST", "voicecall", "dropcall", true, Op::DropCall),
    ("POST", "voicecall", "disconnect", true, Op::Disconnect),
    ("POST", "agentconf", "requestagentconf", false, Op::RequestConf),
    ("POST", "agentconf", "answeragentconf", false, Op::AnswerConf),
    ("POST", "agentconf", "rejectagentconf", false, Op::RejectConf),
    ("POST", "agentconf", "requestleaveagentconf", false, Op::LeaveConf),
    ("POST", "agentconf", "releaseagentconf", false, Op::ReleaseConf),
    ("POST", "agentconf", "holdparticipant", false, Op::HoldParticipant),
    ("POST", "agentconf", "unholdparticipant", false, Op::UnholdParticipant),
    ("POST", "agentconf", "batchaddparticipant", false, Op::BatchAdd),
    ("POST", "agentconf", "batchremoveparticipant", false, Op::BatchRemove),
    ("POST", "agentconf", "queryconfinfos", false, Op::QueryConfs),
    ("POST", "agentconf", "changeparticipantmode", false, Op::ChangeMode),
    ("POST", "agentconf", "prolongtime", false, Op::Prolong),
    ("POST", "agentconf", "applytoshiftpresident", false, Op::ShiftPresident),
    ("POST", "agentconf", "playvoicetoconf", false, Op::PlayToConf),
    ("POST", "agentconf", "stopvoicetoconf", false, Op::StopConfVoice),
    ("POST", "agentconf", "playvoicetoparticipant", false, Op::PlayToParticipant),
    ("POST", "agentconf", "stopvoicetoparticipant", false, Op::StopParticipantVoice),
    ("POST", "agentconf", "modifyconfresource", false, Op::ModifyResource),
    ("GET", "agentconf", "queryvdnconfid", false, Op::QueryVdnConfIds),
];

/// The first value of query parameter `key`, percent-decoded.
fn query_param(query: Option<&str>, key: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The parts of a gateway path: `{family}/{agentid}[/{op}[/{param}]]`.
struct Target<'a> {
    family: &'a str,
    agent: &'a str,
    op: &'a str,
    param: Option<&'a str>,
}

fn split_target(rest: &str) -> Option<Target<'_>> {
    let mut it = rest.split('/');
    let family = it.next().filter(|s| !s.is_empty())?;
    let agent = it.next().filter(|s| !s.is_empty())?;
    let op = it.next().unwrap_or("");
    let param = it.next();
    if it.next().is_some() {
        return None;
    }
    Some(Target { family, agent, op, param })
}

/// Route key as fault rules and the journal name it: `family` or `family/op`.
fn route_key(t: &Target<'_>) -> String {
    if t.op.is_empty() {
        t.family.to_string()
    } else {
        format!("{}/{}", t.family, t.op)
    }
}

enum Routed {
    Op(Op),
    NotFound,
    BadMethod,
}

fn resolve(method: &Method, t: &Target<'_>) -> Routed {
    let mut path_known = false;
    for &(m, family, op, has_param, which) in ROUTES {
        if family == t.family && op == t.op && has_param == t.param.is_some_and(|p| !p.is_empty()) {
            path_known = true;
            if m == method.as_str() {
                return Routed::Op(which);
            }
        }
    }
    if path_known {
        Routed::BadMethod
    } else {
        Routed::NotFound
    }
}

// ---------------------------------------------------------------------- dispatch

pub async fn handle(shared: Arc<Shared>, ctl: Arc<ConnCtl>, req: Request<Incoming>) -> Response<HttpBody> {
    let path = req.uri().path().to_string();
    if path == "/sim" || path.starts_with("/sim/") {
        return control::handle(shared, req).await;
    }
    match path.strip_prefix(GATEWAY_PREFIX).and_then(split_target) {
        Some(_) => gateway(shared, ctl, req).await,
        None => html_response(StatusCode::NOT_FOUND, "<html><body><h1>HTTP Status 404 - Not Found</h1></body></html>"),
    }
}

/// Removes a request's fingerprint from the pending set when its handling ends, however it ends.
struct PendingGuard {
    shared: Arc<Shared>,
    key: (u32, u64),
}

impl Drop for PendingGuard {
    fn drop(&mut self) {
        lock(&self.shared.pending).remove(&self.key);
    }
}

/// Marks the journal entry of a request whose handling was abandoned (client gone).
struct JournalGuard {
    shared: Arc<Shared>,
    id: u64,
    started: Instant,
    done: bool,
    hung: bool,
}

impl Drop for JournalGuard {
    fn drop(&mut self) {
        if !self.done {
            let outcome = if self.hung { "hung" } else { "client_gone" };
            let ms = self.started.elapsed().as_millis() as u64;
            lock(&self.shared.journal).update(self.id, |e| {
                e.outcome = outcome.to_string();
                e.duration_ms = ms;
            });
        }
    }
}

/// What the pipeline sends back, before post-processing faults.
struct Outcome {
    body: Value,
    set_guid: Option<String>,
    signed_in_agent: bool,
}

async fn gateway(shared: Arc<Shared>, ctl: Arc<ConnCtl>, req: Request<Incoming>) -> Response<HttpBody> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let target = split_target(&path[GATEWAY_PREFIX.len()..]).expect("checked by handle");
    let route = route_key(&target);
    let agent_str = target.agent.to_string();
    let param = target.param.map(str::to_string);
    let routed = resolve(&method, &target);
    let guid_header = req.headers().get("guid").and_then(|v| v.to_str().ok()).map(str::to_string);

    // Journal the request head at once, so a test sees even a request that never completes.
    let (headers, journal_limit) = {
        let w = lock(&shared.world);
        let label = |g: &str| w.guid_label(g);
        let headers: BTreeMap<String, String> = req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    journal::mask_header(k.as_str(), &String::from_utf8_lossy(v.as_bytes()), &label),
                )
            })
            .collect();
        (headers, w.settings.journal_limit)
    };
    let entry = journal::Entry {
        id: 0,
        at_ms: now_ms(),
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        route: route.clone(),
        agent: Some(agent_str.clone()),
        headers,
        body: None,
        status: 0,
        retcode: None,
        response: None,
        set_guid: None,
        fault: None,
        outcome: "pending".into(),
        duration_ms: 0,
    };
    let jid = lock(&shared.journal).push(entry, journal_limit);
    let mut jguard = JournalGuard { shared: shared.clone(), id: jid, started, done: false, hung: false };

    if let Some(resp) = length_required(&shared, &method, &req) {
        return finish_plain(&shared, &mut jguard, resp, None);
    }
    let op = match routed {
        Routed::Op(op) => op,
        Routed::NotFound => {
            return finish_plain(
                &shared,
                &mut jguard,
                html_response(StatusCode::NOT_FOUND, "<html><body><h1>HTTP Status 404 - Not Found</h1></body></html>"),
                None,
            );
        }
        Routed::BadMethod => {
            return finish_plain(
                &shared,
                &mut jguard,
                html_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "<html><body><h1>HTTP Status 405 - Method Not Allowed</h1></body></html>",
                ),
                None,
            );
        }
    };

    // A cluster node switching over or unavailable answers so before any fault rule.
    let fault = match shared.gate.admission() {
        Admission::Serve => lock(&shared.faults).pick(&route, Some(&agent_str), method.as_str()),
        Admission::Switchover => Some(FaultSpec::new("*", FaultKind::Switchover)),
        Admission::Unavailable => Some(FaultSpec { status: Some(503), ..FaultSpec::new("*", FaultKind::HttpStatus) }),
    };
    let fault_name = fault
        .as_ref()
        .map(|f| serde_json::to_value(f.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default());
    if let Some(name) = &fault_name {
        lock(&shared.journal).update(jid, |e| e.fault = Some(name.clone()));
    }
    if fault.as_ref().is_some_and(|f| f.kind == FaultKind::ResetBefore) {
        ctl.reset.store(true, Ordering::Release);
        jguard.done = true;
        lock(&shared.journal).update(jid, |e| {
            e.outcome = "reset".into();
            e.duration_ms = started.elapsed().as_millis() as u64;
        });
        return json_response(StatusCode::OK, &json!({}));
    }

    let body_bytes = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return finish_plain(
                &shared,
                &mut jguard,
                html_response(StatusCode::PAYLOAD_TOO_LARGE, "<html><body><h1>HTTP Status 413</h1></body></html>"),
                fault_name,
            );
        }
    };
    {
        let w = lock(&shared.world);
        let label = |g: &str| w.guid_label(g);
        let body = journal::body_value(&body_bytes, &label);
        drop(w);
        lock(&shared.journal).update(jid, |e| e.body = body);
    }

    let outcome = run_pipeline(
        &shared,
        &mut jguard,
        op,
        &agent_str,
        guid_header.as_deref(),
        &method,
        &path,
        query.as_deref(),
        param.as_deref(),
        &body_bytes,
        fault.as_ref(),
    )
    .await;
    let Some(outcome) = outcome else {
        // Hang ran out its limit, or the simulator is stopping: drop the connection.
        ctl.reset.store(true, Ordering::Release);
        return json_response(StatusCode::OK, &json!({}));
    };
    respond(&shared, &ctl, &mut jguard, outcome, fault.as_ref(), &agent_str)
}

/// The `411 Length Required` a strict front end answers (setting
/// `require_content_length`) to a POST or PUT without `Content-Length` or
/// `Transfer-Encoding`.
fn length_required(shared: &Arc<Shared>, method: &Method, req: &Request<Incoming>) -> Option<Response<HttpBody>> {
    let strict = lock(&shared.world).settings.require_content_length;
    let framed = req.headers().contains_key(hyper::header::CONTENT_LENGTH)
        || req.headers().contains_key(hyper::header::TRANSFER_ENCODING);
    (strict && (method == Method::POST || method == Method::PUT) && !framed).then(|| {
        html_response(
            StatusCode::LENGTH_REQUIRED,
            "<html><body><h1>HTTP Error 411. The request must be chunked or have a content length.</h1></body></html>",
        )
    })
}

/// Records a non-gateway answer (404/405/411/413) in the journal.
fn finish_plain(
    shared: &Arc<Shared>,
    jguard: &mut JournalGuard,
    resp: Response<HttpBody>,
    fault: Option<String>,
) -> Response<HttpBody> {
    jguard.done = true;
    let status = resp.status().as_u16();
    let ms = jguard.started.elapsed().as_millis() as u64;
    lock(&shared.journal).update(jguard.id, |e| {
        e.status = status;
        e.outcome = "answered".into();
        e.fault = fault.or(e.fault.take());
        e.duration_ms = ms;
    });
    resp
}

#[allow(clippy::too_many_arguments)]
async fn run_pipeline(
    shared: &Arc<Shared>,
    jguard: &mut JournalGuard,
    op: Op,
    agent_str: &str,
    guid: Option<&str>,
    method: &Method,
    path: &str,
    query: Option<&str>,
    param: Option<&str>,
    body: &[u8],
    fault: Option<&FaultSpec>,
) -> Option<Outcome> {
    let reply = |body: Value| Some(Outcome { body, set_guid: None, signed_in_agent: false });
    let settings_snapshot = {
        let w = lock(&shared.world);
        (w.settings.reject_duplicates, w.settings.hang_limit_ms, w.settings.auth_failure_retcode.clone())
    };
    let (reject_duplicates, hang_limit_ms, auth_fail) = settings_snapshot;

    let Some(agent) =
        crate::config::parse_agent_id(agent_str).filter(|&id| lock(&shared.world).settings.agent_exists(id))
    else {
        return reply(fail_body(&Fail::new(
            "000-002",
            format!("agent id {agent_str:?} in the URL is not a valid agent id"),
        )));
    };

    // A second identical request while the first is still being answered.
    let _pending = if reject_duplicates {
        let mut h = DefaultHasher::new();
        (method.as_str(), path, query, body).hash(&mut h);
        let key = (agent, h.finish());
        if !lock(&shared.pending).insert(key) {
            let f = if matches!(op, Op::SignIn | Op::ForceLogin) {
                Fail::new("100-021", "sign-in is in progress; do not call it again before it answers")
            } else {
                Fail::new("000-007", "the interface is being called repeatedly; wait for the pending request")
            };
            return reply(fail_body(&f));
        }
        Some(PendingGuard { shared: shared.clone(), key })
    } else {
        None
    };

    if let Some(f) = fault {
        match f.kind {
            FaultKind::Delay => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(f.delay_ms.unwrap_or(0))) => {}
                    _ = shared.shutdown.cancelled() => return None,
                }
            }
            FaultKind::Hang => {
                jguard.hung = true;
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(hang_limit_ms)) => {}
                    _ = shared.shutdown.cancelled() => {}
                }
                return None;
            }
            FaultKind::Retcode => {
                let msg = f.message.clone().unwrap_or_else(|| "fault injection".into());
                return reply(gateway_body(f.retcode.as_deref().unwrap_or("100-007"), &msg, None));
            }
            FaultKind::Switchover => {
                return reply(fail_body(&Fail::new("000-004", "the agent is being switched over")))
            }
            FaultKind::GuidExpired => return reply(fail_body(&Fail::new(&auth_fail, "the Guid has expired"))),
            // Answered without processing in `respond`.
            FaultKind::HttpStatus | FaultKind::WrongContentType => return reply(json!({})),
            FaultKind::MalformedJson | FaultKind::TruncatedBody | FaultKind::ResetAfter | FaultKind::ResetBefore => {}
        }
    }

    let body_json: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                return reply(fail_body(&Fail::new("000-006", format!("the message body is not valid JSON: {e}"))))
            }
        }
    };

    let now = Instant::now();
    if op == Op::Poll {
        return Some(poll(shared, agent, guid).await);
    }
    let result: Answer = shared.with_world(|w| {
        if !matches!(op, Op::SignIn | Op::ForceLogin) {
            w.authorize(agent, guid, now)?;
        }
        match op {
            Op::SignIn => w.sign_in(agent, &body_json, false, now),
            Op::ForceLogin => w.sign_in(agent, &body_json, true, now),
            Op::Logout => w.logout(agent),
            Op::ForceLogout => w.force_logout(agent),
            Op::UpdateGuid => w.update_guid(agent, now),
            Op::Callout => w.callout(agent, &body_json),
            Op::Answer => w.answer(agent),
            Op::Hold => w.hold(agent),
            Op::GetHold => {
                let callid = query_param(query, "callid").filter(|s| !s.is_empty());
                w.gethold(agent, callid.as_deref())
            }
            Op::ConfJoin => w.conf_join(agent, &body_json),
            Op::TransmitNum => w.transmit_num(agent),
            Op::Release => w.release(agent),
            Op::DropCall => w.drop_call(agent, param.unwrap_or("")),
            Op::Disconnect => w.disconnect(agent, param.unwrap_or("")),
            Op::ConnectHold => w.connect_hold(agent, param.unwrap_or("")),
            Op::SecondDial => w.second_dial(agent, query_param(query, "number").as_deref()),
            Op::HoldList => w.hold_list(agent),
            Op::CallInfo => w.call_info(agent, query_param(query, "isNoContainLastCall").as_deref()),
            Op::CallInfoById => w.call_info_by_id(agent, param.unwrap_or("")),
            Op::AgentStatus => w.agent_status(agent),
            Op::SayFree => w.set_rest_state(agent, 4),
            Op::SayBusy => crate::validate::busy_reason(query_param(query, "reason").as_deref())
                .map_err(Fail::from)
                .and_then(|_| w.set_rest_state(agent, 3)),
            Op::Work => w.set_rest_state(agent, 5),
            Op::CancelWork => w.set_rest_state(agent, 4),
            Op::ChangeMode => w.change_mode(agent, &body_json),
            Op::Prolong => w.prolong(agent, &body_json),
            Op::ShiftPresident => w.shift_president(agent, &body_json),
            Op::PlayToConf => w.play_to_conf(agent, &body_json),
            Op::StopConfVoice => w.stop_conf_voice(agent),
            Op::PlayToParticipant => w.play_to_participant(agent, &body_json),
            Op::StopParticipantVoice => w.stop_participant_voice(agent, &body_json),
            Op::ModifyResource => w.modify_resource(agent, &body_json),
            Op::QueryVdnConfIds => w.query_vdn_conf_ids(agent),
            Op::RequestConf => w.request_conf(agent, &body_json),
            Op::AnswerConf => w.answer_conf(agent),
            Op::RejectConf => w.reject_conf(agent),
            Op::LeaveConf => w.leave_request(agent),
            Op::ReleaseConf => w.release_conf_request(agent),
            Op::HoldParticipant => w.hold_participant(agent, &body_json),
            Op::UnholdParticipant => w.unhold_participant(agent, &body_json),
            Op::BatchAdd => w.batch_add(agent, &body_json),
            Op::BatchRemove => w.batch_remove(agent, &body_json),
            Op::QueryConfs => w.query_confs(agent, &body_json),
            Op::Poll => unreachable!("handled above"),
        }
    });
    let signed_in_agent = lock(&shared.world).signed_in(agent);
    Some(match result {
        Ok(r) => Outcome {
            body: gateway_body("0", "success", Some(r.result.unwrap_or_else(|| json!({})))),
            set_guid: r.set_guid,
            signed_in_agent,
        },
        Err(f) => Outcome { body: fail_body(&f), set_guid: None, signed_in_agent },
    })
}

/// Tracks a poll in flight for idle detection.
struct PollGuard {
    shared: Arc<Shared>,
    agent: u32,
    epoch: u64,
}

impl Drop for PollGuard {
    fn drop(&mut self) {
        lock(&self.shared.world).poll_finished(self.agent, self.epoch, Instant::now());
    }
}

/// `GET agentevent/{id}`: one event per answer, held up to `poll_wait_ms` when none is queued.
async fn poll(shared: &Arc<Shared>, agent: u32, guid: Option<&str>) -> Outcome {
    let (epoch, notify, wait, empty_shape) = {
        let mut w = lock(&shared.world);
        let epoch = match w.authorize(agent, guid, Instant::now()) {
            Ok(e) => e,
            Err(f) => return Outcome { body: fail_body(&f), set_guid: None, signed_in_agent: w.signed_in(agent) },
        };
        w.poll_started(agent);
        (epoch, w.notifier(agent), Duration::from_millis(w.settings.poll_wait_ms), w.settings.empty_poll)
    };
    let _guard = PollGuard { shared: shared.clone(), agent, epoch };
    let deadline = tokio::time::Instant::now() + wait;
    // A switchover of this node (cluster mode) answers a held poll at once.
    let switchover = shared.gate.interrupt.notified();
    tokio::pin!(switchover);
    switchover.as_mut().enable();
    let switched = || Outcome {
        body: fail_body(&Fail::new("000-004", "the agent is being switched over")),
        set_guid: None,
        signed_in_agent: true,
    };
    if shared.gate.switching_over() {
        return switched();
    }
    loop {
        let notified = notify.notified();
        let step = lock(&shared.world).poll_step(agent, epoch);
        match step {
            PollStep::Event(ev) => {
                let set_guid = lock(&shared.world).rotation_for_poll(agent, epoch, Instant::now());
                return Outcome {
                    body: json!({"message": "", "retcode": "0", "event": ev}),
                    set_guid,
                    signed_in_agent: true,
                };
            }
            PollStep::Refused(f) => return Outcome { body: fail_body(&f), set_guid: None, signed_in_agent: false },
            PollStep::Empty => {}
        }
        tokio::select! {
            _ = notified => continue,
            _ = tokio::time::sleep_until(deadline) => break,
            _ = switchover.as_mut() => return switched(),
            _ = shared.shutdown.cancelled() => break,
        }
    }
    let set_guid = lock(&shared.world).rotation_for_poll(agent, epoch, Instant::now());
    let mut body = json!({"message": "", "retcode": "0"});
    if empty_shape == EmptyPoll::Null {
        body["event"] = Value::Null;
    }
    Outcome { body, set_guid, signed_in_agent: true }
}

/// Turns the pipeline's outcome into the HTTP answer, applying answer-side faults, and
/// completes the journal entry.
fn respond(
    shared: &Arc<Shared>,
    ctl: &Arc<ConnCtl>,
    jguard: &mut JournalGuard,
    mut out: Outcome,
    fault: Option<&FaultSpec>,
    agent_str: &str,
) -> Response<HttpBody> {
    let agent = crate::config::parse_agent_id(agent_str);
    let (label_body, set_guid_label, charset) = {
        let w = lock(&shared.world);
        let every = w.settings.set_guid_on_every_response;
        if out.set_guid.is_none() && every && out.signed_in_agent {
            out.set_guid = agent.and_then(|a| w.current_guid(a));
        }
        let label = |g: &str| w.guid_label(g);
        let mut masked = out.body.clone();
        journal::mask_json(&mut masked, &label);
        (masked, out.set_guid.as_deref().map(|g| format!("JSESSIONID={}", w.guid_label(g))), w.settings.charset.clone())
    };
    let retcode = out.body.get("retcode").and_then(Value::as_str).map(str::to_string);
    let text = out.body.to_string();
    let mut outcome = "answered";
    let resp = match fault.map(|f| f.kind) {
        Some(FaultKind::HttpStatus) => {
            let status = StatusCode::from_u16(fault.and_then(|f| f.status).unwrap_or(503))
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            html_response(
                status,
                &format!(
                    "<html><body><h1>{} {}</h1></body></html>",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                ),
            )
        }
        Some(FaultKind::WrongContentType) => html_response(
            StatusCode::OK,
            "<html><head><title>Login</title></head><body>Please sign in to the portal.</body></html>",
        ),
        Some(FaultKind::MalformedJson) => Response::builder()
            .status(StatusCode::OK)
            .header("Content-Type", "application/json;charset=UTF-8")
            .body(full(text[..text.len() / 2].to_string() + "\u{0}<!--"))
            .expect("static response parts are valid"),
        Some(FaultKind::TruncatedBody) => {
            outcome = "truncated";
            let bytes = Bytes::from(text.clone());
            let part = bytes.slice(..bytes.len() / 2);
            Response::builder()
                .status(StatusCode::OK)
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("Content-Length", bytes.len().to_string())
                .body(
                    TruncatedBody { part: Some(part), pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))) }
                        .boxed(),
                )
                .expect("static response parts are valid")
        }
        Some(FaultKind::ResetAfter) => {
            outcome = "reset";
            ctl.reset.store(true, Ordering::Release);
            json_response(StatusCode::OK, &json!({}))
        }
        _ => {
            let mut r = encoded_json_response(&charset, &out.body);
            if let Some(g) = &out.set_guid {
                if let Ok(v) = hyper::header::HeaderValue::from_str(&format!("JSESSIONID={g}")) {
                    r.headers_mut().insert("Set-GUID", v);
                }
            }
            r
        }
    };
    let status = if outcome == "reset" { 0 } else { resp.status().as_u16() };
    let sent_json = matches!(
        fault.map(|f| f.kind),
        None | Some(FaultKind::Delay | FaultKind::Retcode | FaultKind::Switchover | FaultKind::GuidExpired)
    );
    jguard.done = true;
    let ms = jguard.started.elapsed().as_millis() as u64;
    lock(&shared.journal).update(jguard.id, |e| {
        e.status = status;
        e.outcome = outcome.to_string();
        e.duration_ms = ms;
        if sent_json {
            e.retcode = retcode;
            e.response = Some(label_body);
            e.set_guid = set_guid_label;
        }
    });
    resp
}
