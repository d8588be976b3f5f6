//! A hostile HTTP/HTTPS peer on loopback: it records everything that reaches it (TCP
//! connections, then each request's method, target, headers and body) and answers
//! whatever the test scripts, byte for byte: a 3xx with any `Location`, odd `Set-GUID`
//! values, a retcode with CR/LF, a garbage status line, a connection that hangs.
//!
//! It is the tool for tests of what the library does with answers the simulator would
//! never give, and for proving that nothing reached a host it must never talk to (a
//! second listener playing the attacker). Requests are parsed with `httparse` (the
//! parser under hyper); only `Content-Length` bodies are read (the library sends no
//! other kind). Answers are written as raw bytes, so a test can send anything.
//!
//! ```ignore
//! let gw = Hostile::https();
//! gw.answer(|req| match req.path() {
//!     p if p.ends_with("/onlineagent/153") => Answer::ok(json!({})).header("Set-GUID", "JSESSIONID=a b"),
//!     _ => Answer::status(302).header("Location", "https://elsewhere/"),
//! });
//! // ... a session with base_url gw.base_url(), ca_pem gw.ca_pem() ...
//! assert_eq!(gw.requests().len(), 1);
//! ```

#![allow(dead_code)]

use ccgw_sim::tls;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

/// Largest request head or body the peer reads before it drops the connection.
const MAX_REQUEST: usize = 4 << 20;

/// One request as it reached the peer.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Which accepted connection carried it (1 = the first).
    pub connection: usize,
    pub method: String,
    /// The request-target exactly as sent (path and query).
    pub target: String,
    /// Header names in lower case, values as raw bytes, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of header `name` (any case), if it is UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).and_then(|(_, v)| std::str::from_utf8(v).ok())
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the connection does after an answer is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    KeepAlive,
    Close,
}

/// A scripted answer. Build one with the constructors, add header lines with `header`
/// (names and values are written as given: CR/LF, NUL or 100 KB are all allowed).
#[derive(Clone, Debug)]
pub struct Answer {
    status_line: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    content_length: bool,
    /// Written as is instead of the parts above.
    raw: Option<Vec<u8>>,
    then: Then,
    /// Never answer; hold the connection until the peer stops.
    hang: bool,
}

impl Answer {
    /// `HTTP/1.1 <code>` with an empty body.
    pub fn status(code: u16) -> Answer {
        Answer {
            status_line: format!("HTTP/1.1 {code} Scripted").into_bytes(),
            headers: Vec::new(),
            body: Vec::new(),
            content_length: true,
            raw: None,
            then: Then::KeepAlive,
            hang: false,
        }
    }

    /// `HTTP/1.1 <code>` with a JSON body (any bytes) and the gateway's content type.
    pub fn json(code: u16, body: impl Into<Vec<u8>>) -> Answer {
        let mut a = Answer::status(code).header("Content-Type", "application/json;charset=UTF-8");
        a.body = body.into();
        a
    }

    /// The gateway's envelope with `retcode` and `message` (HTTP 200), no result.
    pub fn retcode(retcode: &str, message: &str) -> Answer {
        Answer::json(200, serde_json::json!({"retcode": retcode, "message": message}).to_string())
    }

    /// A success envelope (`retcode` "0") with `result`.
    pub fn ok(result: Value) -> Answer {
        Answer::json(200, serde_json::json!({"retcode": "0", "message": "success", "result": result}).to_string())
    }

    /// These bytes and nothing else, then the connection closes.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Answer {
        Answer { raw: Some(bytes.into()), then: Then::Close, ..Answer::status(200) }
    }

    /// No answer at all: the connection stays open and silent until the peer stops.
    pub fn hang() -> Answer {
        Answer { hang: true, ..Answer::status(200) }
    }

    /// Adds a header line `name: value` (bytes as given).
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Answer {
        self.headers.push((name.as_bytes().to_vec(), value.as_ref().to_vec()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Answer {
        self.body = body.into();
        self
    }

    /// Replaces the status line (e.g. `HTTP/1.1 2OO OK`).
    pub fn status_line(mut self, line: impl AsRef<[u8]>) -> Answer {
        self.status_line = line.as_ref().to_vec();
        self
    }

    /// Leaves out the automatic `Content-Length`.
    pub fn without_content_length(mut self) -> Answer {
        self.content_length = false;
        self
    }

    /// Closes the connection after this answer.
    pub fn close(mut self) -> Answer {
        self.then = Then::Close;
        self
    }

    fn to_bytes(&self) -> Vec<u8> {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut out = self.status_line.clone();
        out.extend_from_slice(b"\r\n");
        for (n, v) in &self.headers {
            out.extend_from_slice(n);
            out.extend_from_slice(b": ");
            out.extend_from_slice(v);
            out.extend_from_slice(b"\r\n");
        }
        if self.content_length {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        if self.then == Then::Close {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

type Script = Arc<dyn Fn(&Recorded) -> Answer + Send + Sync>;

struct State {
    requests: Mutex<Vec<Recorded>>,
    connections: AtomicUsize,
    script: Mutex<Script>,
}

/// The certificate a peer presents: its CA (PEM) and the server configuration.
#[derive(Clone)]
struct Identity {
    ca_pem: String,
    config: Arc<rustls::ServerConfig>,
}

/// A running peer; stops (closing every connection) and joins its thread when dropped.
pub struct Hostile {
    addr: SocketAddr,
    identity: Option<Identity>,
    state: Arc<State>,
    stop: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How to start a peer (see the `Hostile` constructors for the common cases).
#[derive(Default)]
pub struct Builder {
    plain: bool,
    identity: Option<Identity>,
    on_thread_start: Option<fn()>,
}

impl Builder {
    /// Plain HTTP instead of HTTPS.
    pub fn plain_http(mut self) -> Builder {
        self.plain = true;
        self
    }

    /// Presents the same certificate as `other`: a host the client's CA also vouches for.
    pub fn same_certificate_as(mut self, other: &Hostile) -> Builder {
        self.identity = other.identity.clone();
        self
    }

    /// Runs `f` first on the peer's thread (e.g. to mark it for a tracking allocator).
    pub fn on_thread_start(mut self, f: fn()) -> Builder {
        self.on_thread_start = Some(f);
        self
    }

    pub fn start(self) -> Hostile {
        let identity = if self.plain {
            None
        } else {
            Some(self.identity.unwrap_or_else(|| {
                let g = tls::generate(&[]).expect("certificate generation");
                Identity { ca_pem: g.ca_pem.expect("a generated CA"), config: g.server_config }
            }))
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let default: Script = Arc::new(|_: &Recorded| Answer::ok(serde_json::json!({})));
        let state = Arc::new(State {
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            script: Mutex::new(default),
        });
        let stop = CancellationToken::new();
        let (st, tok, id, hook) = (state.clone(), stop.clone(), identity.clone(), self.on_thread_start);
        let thread = std::thread::Builder::new()
            .name("hostile-peer".into())
            .spawn(move || {
                if let Some(f) = hook {
                    f();
                }
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(serve(listener, id, st, tok));
            })
            .unwrap();
        Hostile { addr, identity, state, stop, thread: Some(thread) }
    }
}

impl Hostile {
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// An HTTPS peer with a certificate of its own (a fresh CA).
    pub fn https() -> Hostile {
        Hostile::builder().start()
    }

    /// A plain-HTTP peer.
    pub fn http() -> Hostile {
        Hostile::builder().plain_http().start()
    }

    /// An HTTPS peer presenting `other`'s certificate (trusted by the same clients).
    pub fn https_like(other: &Hostile) -> Hostile {
        Hostile::builder().same_certificate_as(other).start()
    }

    /// `https://127.0.0.1:PORT` (or `http://`).
    pub fn base_url(&self) -> String {
        format!("{}://127.0.0.1:{}", if self.identity.is_some() { "https" } else { "http" }, self.addr.port())
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The CA that signed the peer's certificate (PEM); panics for a plain-HTTP peer.
    pub fn ca_pem(&self) -> &str {
        &self.identity.as_ref().expect("an HTTPS peer").ca_pem
    }

    /// Answers every later request with what `f` returns for it.
    pub fn answer(&self, f: impl Fn(&Recorded) -> Answer + Send + Sync + 'static) {
        *self.state.script.lock().unwrap() = Arc::new(f);
    }

    /// Every request that reached the peer, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// TCP connections accepted so far (whether or not a request followed).
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Forgets the recorded requests and connections.
    pub fn clear(&self) {
        self.state.requests.lock().unwrap().clear();
        self.state.connections.store(0, Ordering::SeqCst);
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    identity: Option<Identity>,
    state: Arc<State>,
    stop: CancellationToken,
) {
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    let acceptor = identity.map(|i| tokio_rustls::TlsAcceptor::from(i.config));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let (tcp, _) = tokio::select! {
            r = listener.accept() => match r { Ok(x) => x, Err(_) => continue },
            _ = stop.cancelled() => break,
        };
        let n = state.connections.fetch_add(1, Ordering::SeqCst) + 1;
        let (state, stop, acceptor) = (state.clone(), stop.clone(), acceptor.clone());
        tasks.spawn(async move {
            match acceptor {
                Some(a) => {
                    let tls = tokio::select! {
                        r = tokio::time::timeout(Duration::from_secs(10), a.accept(tcp)) => r,
                        _ = stop.cancelled() => return,
                    };
                    if let Ok(Ok(io)) = tls {
                        connection(io, n, &state, &stop).await;
                    }
                }
                None => connection(tcp, n, &state, &stop).await,
            }
        });
    }
    tasks.shutdown().await;
}

/// Parses a complete request head at the start of `buf`: (request without body, head
/// length, body length). `None` when more bytes are needed; `Err` when it is no request.
fn parse_head(buf: &[u8], connection: usize) -> Result<Option<(Recorded, usize, usize)>, ()> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut req = httparse::Request::new(&mut headers);
    let n = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err(()),
    };
    let headers: Vec<(String, Vec<u8>)> =
        req.headers.iter().map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec())).collect();
    let body_len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let rec = Recorded {
        connection,
        method: req.method.unwrap_or("").to_string(),
        target: req.path.unwrap_or("").to_string(),
        headers,
        body: Vec::new(),
    };
    Ok(Some((rec, n, body_len)))
}

async fn connection<S: AsyncRead + AsyncWrite + Unpin>(
    mut io: S,
    conn: usize,
    state: &State,
    stop: &CancellationToken,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        // Read until a whole request (head and Content-Length body) is buffered.
        let (mut rec, head_len, body_len) = loop {
            match parse_head(&buf, conn) {
                Ok(Some(x)) if buf.len() >= x.1 + x.2 => break x,
                Ok(_) => {}
                Err(()) => return,
            }
            if buf.len() > MAX_REQUEST {
                return;
            }
            let n = tokio::select! {
                r = io.read(&mut chunk) => match r { Ok(n) => n, Err(_) => return },
                _ = stop.cancelled() => return,
            };
            if n == 0 {
                return;
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        rec.body = buf[head_len..head_len + body_len].to_vec();
        buf.drain(..head_len + body_len);
        let script = state.script.lock().unwrap().clone();
        let answer = script(&rec);
        state.requests.lock().unwrap().push(rec);
        if answer.hang {
            stop.cancelled().await;
            return;
        }
        if io.write_all(&answer.to_bytes()).await.is_err() || io.flush().await.is_err() {
            return;
        }
        if answer.then == Then::Close {
            let _ = io.shutdown().await;
            return;
        }
    }
}
