//! A sticky-cookie load balancer in front of several simulator nodes, as gateways are
//! deployed behind an ELB, NSLB, HAProxy or F5: HTTPS towards clients (its own generated
//! certificate), plain HTTP towards the nodes, which share nothing (each has its own
//! agents, Guids and events). A request carrying the balancer's cookie goes to the node
//! the cookie names; any other request goes to the next node in turn (round robin) and
//! its answer sets the cookie (`<name>=node<i>; Path=/; Secure; HttpOnly`). A client that
//! does not send cookies back is spread over the nodes, and a node that does not know its
//! Guid refuses it, as a real cluster does.
//!
//! Each request is forwarded on a new connection to the node (the node's keep-alive and
//! idle behaviour is its own); the balancer itself keeps client connections alive.

use crate::server::{full, HttpBody};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The cookie the Huawei cloud ELB uses for sticky sessions; the default name.
pub const DEFAULT_COOKIE: &str = "huaweielbsession";

/// Largest request body forwarded.
const MAX_BODY: usize = 2 * 1024 * 1024;

struct State {
    nodes: Vec<SocketAddr>,
    cookie: String,
    next: AtomicUsize,
    /// Requests forwarded per node.
    forwarded: Vec<AtomicU64>,
}

/// A running balancer; dropping it stops it.
pub struct Balancer {
    state: Arc<State>,
    addr: SocketAddr,
    ca_pem: String,
    shutdown: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Balancer {
    /// Listens on a free loopback port in front of `nodes` (plain-HTTP simulators), with
    /// the sticky cookie `cookie`.
    pub fn start(nodes: Vec<SocketAddr>, cookie: &str) -> std::io::Result<Balancer> {
        Balancer::start_on(nodes, cookie, SocketAddr::from(([127, 0, 0, 1], 0)), &[])
    }

    /// [`Balancer::start`] on `bind`, its certificate also naming `tls_names` (as
    /// [`crate::SimConfig::tls_names`]).
    pub fn start_on(
        nodes: Vec<SocketAddr>,
        cookie: &str,
        bind: SocketAddr,
        tls_names: &[String],
    ) -> std::io::Result<Balancer> {
        if nodes.is_empty() {
            return Err(std::io::Error::other("a balancer needs at least one node"));
        }
        let tls = crate::tls::generate(tls_names)?;
        let acceptor = tokio_rustls::TlsAcceptor::from(tls.server_config.clone());
        let listener = std::net::TcpListener::bind(bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            forwarded: nodes.iter().map(|_| AtomicU64::new(0)).collect(),
            nodes,
            cookie: cookie.to_string(),
            next: AtomicUsize::new(0),
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ccgw-sim-balancer")
            .enable_all()
            .build()?;
        let listener = {
            let _enter = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let shutdown = CancellationToken::new();
        let (st, stop) = (state.clone(), shutdown.clone());
        let thread = std::thread::Builder::new().name("ccgw-sim-balancer".into()).spawn(move || {
            runtime.block_on(accept(st, listener, acceptor, stop));
            runtime.shutdown_timeout(Duration::from_millis(500));
        })?;
        Ok(Balancer { state, addr, ca_pem: tls.ca_pem.unwrap_or_default(), shutdown, thread: Some(thread) })
    }

    /// `https://HOST:PORT` of the address it listens on.
    pub fn base_url(&self) -> String {
        match self.addr {
            SocketAddr::V4(a) => format!("https://{}:{}", a.ip(), a.port()),
            SocketAddr::V6(a) => format!("https://[{}]:{}", a.ip(), a.port()),
        }
    }

    /// The CA of the balancer's certificate, PEM.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Requests forwarded to each node so far.
    pub fn forwarded(&self) -> Vec<u64> {
        self.state.forwarded.iter().map(|n| n.load(Ordering::Relaxed)).collect()
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn accept(
    state: Arc<State>,
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    shutdown: CancellationToken,
) {
    loop {
        let (tcp, _) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = shutdown.cancelled() => return,
        };
        let _ = tcp.set_nodelay(true);
        let (state, acceptor, shutdown) = (state.clone(), acceptor.clone(), shutdown.clone());
        tokio::spawn(async move {
            let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await else {
                return;
            };
            let service = hyper::service::service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(route(&state, req).await) }
            });
            let conn =
                hyper::server::conn::http1::Builder::new().serve_connection(hyper_util::rt::TokioIo::new(tls), service);
            tokio::select! { _ = conn => {}, _ = shutdown.cancelled() => {} }
        });
    }
}

/// The node a request's cookie names, if it names one.
fn sticky_node(state: &State, req: &Request<Incoming>) -> Option<usize> {
    req.headers().get_all(hyper::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            let i: usize = value.trim().strip_prefix("node")?.parse().ok()?;
            (name.trim() == state.cookie && i < state.nodes.len()).then_some(i)
        })
    })
}

fn bad_gateway(why: &str) -> Response<HttpBody> {
    Response::builder()
        .status(StatusCode::BAD_GATEWAY)
        .header("Content-Type", "text/html")
        .body(full(format!("<html><body><h1>502 Bad Gateway</h1>{why}</body></html>")))
        .expect("static response parts are valid")
}

async fn route(state: &State, req: Request<Incoming>) -> Response<HttpBody> {
    let sticky = sticky_node(state, &req);
    let node = sticky.unwrap_or_else(|| state.next.fetch_add(1, Ordering::Relaxed) % state.nodes.len());
    state.forwarded[node].fetch_add(1, Ordering::Relaxed);
    let (parts, body) = req.into_parts();
    let Ok(body) = Limited::new(body, MAX_BODY).collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway("request body unreadable or too large");
    };
    let Ok(tcp) = tokio::net::TcpStream::connect(state.nodes[node]).await else {
        return bad_gateway("node unreachable");
    };
    let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp)).await else {
        return bad_gateway("node handshake failed");
    };
    tokio::spawn(conn);
    let mut out = Request::builder().method(parts.method).uri(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
    for (k, v) in &parts.headers {
        if k != hyper::header::HOST && k != hyper::header::CONNECTION {
            out = out.header(k, v);
        }
    }
    let out = out.header(hyper::header::HOST, state.nodes[node].to_string()).body(full(body));
    let Ok(out) = out else { return bad_gateway("request not forwardable") };
    let Ok(resp) = sender.send_request(out).await else {
        return bad_gateway("node closed the connection");
    };
    let (mut parts, body) = resp.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway("node answer cut short");
    };
    parts.headers.remove(hyper::header::CONNECTION);
    parts.headers.remove(hyper::header::TRANSFER_ENCODING);
    if sticky.is_none() {
        let cookie = format!("{}=node{node}; Path=/; Secure; HttpOnly", state.cookie);
        if let Ok(v) = hyper::header::HeaderValue::from_str(&cookie) {
            parts.headers.append(hyper::header::SET_COOKIE, v);
        }
    }
    Response::from_parts(parts, full(body))
}
