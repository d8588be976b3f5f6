//! HTTPS to the gateway: TLS set-up (verified by default), base URLs with fail-over on
//! connection failure, request URLs built below the resource root and proved to stay
//! there, one request with its timeout and cancellation, the `Set-GUID` header, and the
//! classification of every failure into a distinct status.
//!
//! Nothing from the network is trusted: redirects are never followed (a 3xx is an HTTP
//! failure naming only the target's origin), `Set-GUID` is read only from 2xx answers,
//! a retcode must have a documented shape, and every network text quoted in a message or
//! a log record goes through [`crate::error::sanitize`].

use crate::error::{invalid, sanitize, Error, Result, NETWORK_TEXT_MAX};
use crate::log::log;
use crate::status::*;
use bytes::Bytes;
use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Path of the agent interface below a base URL.
pub const RESOURCE_PATH: &str = "agentgateway/resource/";

/// Largest answer read; gateway answers are small JSON documents.
const MAX_ANSWER: usize = 8 * 1024 * 1024;

/// Which certificates the gateway's must chain to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roots {
    /// The operating system's trust store.
    System,
    /// Exactly these CA certificates, PEM.
    Pem(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct TransportConfig {
    /// The primary base URL first, then fall-backs.
    pub base_urls: Vec<String>,
    pub allow_plain_http: bool,
    pub roots: Roots,
    /// Accept any server certificate. For labs only; logged as a warning.
    pub insecure_accept_any_certificate: bool,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

/// Normalises a base URL to end in `/agentgateway/resource/`.
pub fn normalize_base_url(raw: &str, allow_plain_http: bool) -> Result<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(crate::error::missing("base URL"));
    }
    let mut url = Url::parse(raw).map_err(|e| invalid(format!("base URL {raw:?} is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not quoted: the text holds a password.
        return Err(invalid("the base URL must not carry credentials (user:password@)"));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_plain_http => {}
        "http" => {
            return Err(invalid(format!(
                "base URL {raw:?} is plain HTTP; the gateway speaks HTTPS (set allow_plain_http for a lab gateway)"
            )))
        }
        s => return Err(invalid(format!("base URL {raw:?} has scheme {s:?}; use https"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("base URL {raw:?} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!("base URL {raw:?} must not carry a query or a fragment")));
    }
    let path = url.path().trim_end_matches('/').to_string();
    let path =
        if path.ends_with("/agentgateway/resource") { format!("{path}/") } else { format!("{path}/{RESOURCE_PATH}") };
    url.set_path(&path);
    Ok(url)
}

/// Longest path the generic request accepts; interface paths are far shorter, and
/// servers refuse request lines much longer than this.
pub const PATH_MAX_BYTES: usize = 2048;

/// The characters a path segment may hold besides ASCII letters and digits: the RFC 3986
/// unreserved characters and sub-delims (§2.2, §2.3) except `;` (a servlet container reads
/// `..;x` as `..`). Not `%`: nothing is percent-decoded or -encoded in a path, so no
/// `%2e%2e` or `%2f` can become a dot segment or a slash for any server or proxy on the
/// way. Not `:` or `@` (a scheme or user information to a lenient parser), not `\`
/// (a slash to browsers and some servers), not `{` `}` (an unreplaced placeholder).
pub const PATH_SEGMENT_CHARS: &str = "-._~!$&'()*+,=";

fn is_segment_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || PATH_SEGMENT_CHARS.contains(c)
}

/// A character named without quoting anything around it (messages never echo a path,
/// which may hold call ids).
fn describe_char(c: char) -> String {
    if c.is_ascii_graphic() {
        format!("'{c}'")
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}

/// Splits a relative path at its first `?`: the path proper and the query, if any.
fn split_query(path: &str) -> (&str, Option<&str>) {
    match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    }
}

/// Checks a path relative to the resource root, as the generic request takes it (after
/// `{agentid}` is replaced): non-empty segments of letters, digits and
/// [`PATH_SEGMENT_CHARS`], no dot segments, then optionally `?` and a query without
/// spaces, control characters or `#`. Messages name the offending character and the
/// segment's position, never the path.
pub fn check_relative_path(path: &str) -> Result<()> {
    if path.is_empty() {
        return Err(crate::error::missing("path"));
    }
    crate::limits::max_len("path", path, PATH_MAX_BYTES, crate::limits::Unit::Bytes)?;
    if let Some((i, c)) = path.char_indices().find(|(_, c)| c.is_control() || c.is_whitespace()) {
        return Err(invalid(format!(
            "path holds a space or control character ({} at byte {i}); none may appear in a request line",
            describe_char(c)
        )));
    }
    if path.contains('#') {
        return Err(invalid("path must not carry a fragment ('#')"));
    }
    let (p, _query) = split_query(path);
    if p.starts_with('/') || p.starts_with('\\') {
        return Err(invalid(
            "path must be relative to /agentgateway/resource/ (no leading '/'), e.g. \"agentconf/{agentid}/requestagentconf\"",
        ));
    }
    if p.is_empty() {
        return Err(invalid("path names no interface before its query"));
    }
    for (i, seg) in p.split('/').enumerate() {
        let n = i + 1;
        if seg.is_empty() {
            return Err(invalid(format!("path segment {n} is empty (\"//\" or a trailing '/')")));
        }
        if seg == "." || seg == ".." {
            return Err(invalid(format!("path segment {n} is a dot segment ('.' or '..')")));
        }
        if let Some(c) = seg.chars().find(|&c| !is_segment_char(c)) {
            let why = match c {
                '%' => "a percent sign: give characters as they are, the library encodes nothing in a path".to_string(),
                '\\' => "a backslash".to_string(),
                '{' | '}' => format!("{}: only {{agentid}} is replaced", describe_char(c)),
                ':' | '@' => format!("{}, which could be read as a scheme or user information", describe_char(c)),
                ';' => "';' (path parameters are not accepted)".to_string(),
                _ => describe_char(c),
            };
            return Err(invalid(format!(
                "path segment {n} holds {why}; a segment may hold letters, digits and {PATH_SEGMENT_CHARS} only"
            )));
        }
    }
    Ok(())
}

/// The URL of `path` (relative, see [`check_relative_path`]) below the resource root
/// `base`: the path's segments are appended one by one and its query set, never resolved
/// with `Url::join` (which honours schemes, authorities, backslashes and dot segments,
/// percent-encoded ones included). The result is then proved to be below the root.
pub fn resource_url(base: &Url, path: &str) -> Result<Url> {
    check_relative_path(path)?;
    let (p, query) = split_query(path);
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|_| Error::new(CCGW_E_INTERNAL, "the base URL cannot take path segments"))?
        .pop_if_empty()
        .extend(p.split('/'));
    url.set_query(query);
    prove_below_root(base, &url)?;
    Ok(url)
}

/// `url` has `root`'s origin (scheme, host, port), no user information or fragment, and a
/// path of `root`'s followed by plain segments only.
fn prove_below_root(root: &Url, url: &Url) -> Result<()> {
    let same_origin = url.scheme() == root.scheme()
        && url.host() == root.host()
        && url.port_or_known_default() == root.port_or_known_default();
    let clean = url.username().is_empty() && url.password().is_none() && url.fragment().is_none();
    let below = url.path().strip_prefix(root.path()).is_some_and(|rest| {
        !rest.is_empty()
            && rest.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && s.chars().all(is_segment_char))
    });
    if same_origin && clean && below {
        Ok(())
    } else {
        Err(invalid("path: the request URL would leave the gateway's resource root; nothing was sent"))
    }
}

/// A path segment or query key that names an interface rather than carrying data.
pub fn is_word(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
}

/// The route of a request as log records show it: interface words kept, the agent id as
/// `{agentid}`, every other path segment (call ids, numbers, skill ids) and every query
/// value as `…`; e.g. `voicecall/{agentid}/gethold?callid=…`.
pub fn masked_route(path: &str, agent_id: &str) -> String {
    let (p, query) = split_query(path);
    let mask = |seg: &str| -> String {
        if seg == agent_id {
            "{agentid}".into()
        } else if is_word(seg) {
            seg.into()
        } else {
            "…".into()
        }
    };
    let mut out = p.split('/').map(mask).collect::<Vec<_>>().join("/");
    if let Some(q) = query {
        out.push('?');
        let params: Vec<String> = q
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if is_word(k) => format!("{k}=…"),
                _ => "…".into(),
            })
            .collect();
        out.push_str(&params.join("&"));
    }
    out
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_+*#@~".contains(&b)
}

/// The gateway's own words (its `message`) with every word it echoes from the request
/// replaced by `…`: any run of at least 3 letters, digits or `-_+*#@~` that holds a digit
/// and occurs in `sent` (the path, the body, the Guid), except the words in `keep` (the
/// agent id). So a refusal such as "no call with id 1455885056-1095" or "phone 70093 is
/// invalid" does not carry the call data into a message. The words are copied into
/// buffers wiped when dropped (a body may hold the password).
pub fn redact_echo(text: &str, sent: &[&[u8]], keep: &[&str]) -> String {
    let mut words: Vec<Zeroizing<String>> = Vec::new();
    for piece in sent {
        for run in piece.split(|&b| !is_word_char(b)) {
            if run.len() >= 3
                && run.iter().any(u8::is_ascii_digit)
                && text.as_bytes().windows(run.len()).any(|w| w == run)
            {
                let w = Zeroizing::new(String::from_utf8_lossy(run).into_owned());
                if !keep.contains(&w.as_str()) {
                    words.push(w);
                }
            }
        }
    }
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut out = text.to_string();
    for w in &words {
        if out.contains(w.as_str()) {
            out = out.replace(w.as_str(), "…");
        }
    }
    out
}

/// Serialises `value` as a request body into a buffer that is wiped when the last
/// reference to it is dropped (the HTTP stack holds it until the request is written).
/// The buffer is sized exactly first, so no growing reallocation leaves an unwiped
/// partial copy behind; nothing else holds the serialized text.
pub fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Bytes {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).expect("request bodies serialize");
    let mut buf = Zeroizing::new(Vec::with_capacity(count.0));
    serde_json::to_writer(&mut *buf, value).expect("request bodies serialize");
    debug_assert_eq!(buf.len(), buf.capacity(), "the body buffer never grew");
    Bytes::from_owner(buf)
}

/// The `Guid` header: its bytes in a buffer wiped when the request is dropped, marked
/// sensitive (HTTP/2 would never index it; `Debug` shows no value).
pub fn guid_header(guid: &str) -> Result<HeaderValue> {
    let bytes = Bytes::from_owner(Zeroizing::new(guid.as_bytes().to_vec()));
    let mut v = HeaderValue::from_maybe_shared(bytes)
        .map_err(|_| invalid("the Guid must be printable ASCII without spaces (it travels in an HTTP header)"))?;
    v.set_sensitive(true);
    Ok(v)
}

#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The operating system's trust store, read once per process.
fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

fn tls_config(cfg: &TransportConfig) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("TLS set-up failed: {e}")))?;
    if cfg.insecure_accept_any_certificate {
        log!(
            Warn,
            "session",
            "TLS certificate verification is OFF (insecure_accept_any_certificate); use this only in a lab"
        );
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth());
    }
    let mut roots = rustls::RootCertStore::empty();
    match &cfg.roots {
        Roots::Pem(pem) => {
            let mut n = 0;
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| invalid(format!("the CA PEM cannot be read: {e}")))?;
                roots.add(cert).map_err(|e| invalid(format!("the CA PEM holds an unusable certificate: {e}")))?;
                n += 1;
            }
            if n == 0 {
                return Err(invalid("the CA PEM holds no certificate"));
            }
        }
        Roots::System => {
            let (added, _ignored) = roots.add_parsable_certificates(system_roots().iter().cloned());
            if added == 0 {
                return Err(Error::new(
                    CCGW_E_TLS,
                    "no usable certificate in the system trust store; give the gateway's CA instead",
                ));
            }
        }
    }
    Ok(builder.with_root_certificates(roots).with_no_client_auth())
}

/// One answer of the gateway's JSON envelope.
#[derive(Debug)]
pub struct Envelope {
    pub http_status: u16,
    /// In one of its documented shapes ([`is_retcode_shape`]).
    pub retcode: String,
    /// The gateway's `message`, as sent (quote it only through `sanitize`).
    pub message: String,
    /// The whole answer.
    pub json: Value,
}

/// What an answer's `Set-GUID` header held. Only 2xx answers are read (as the Huawei JS
/// client does, reference §2.1): on any other the header is ignored.
#[derive(Debug)]
pub enum SetGuid {
    /// No `Set-GUID` header (or not a 2xx answer).
    Absent,
    /// The value after `JSESSIONID=` of the last `Set-GUID` header, not yet checked, in a
    /// buffer wiped when dropped.
    Value(Zeroizing<String>),
    /// The last `Set-GUID` header's value is not printable ASCII.
    Unreadable,
}

/// The outcome of one exchange: the `Set-GUID` seen on the answer (whatever the outcome,
/// so a rotation is never lost) and the envelope or the failure.
pub struct Exchange {
    pub set_guid: SetGuid,
    pub outcome: Result<Envelope>,
}

impl Exchange {
    fn failed(err: Error) -> Exchange {
        Exchange { set_guid: SetGuid::Absent, outcome: Err(err) }
    }
}

/// A prepared request.
pub struct Request<'a> {
    /// Log name of the operation, as the gateway docs write it.
    pub op: &'a str,
    pub method: Method,
    /// Relative to the resource root, e.g. `agentconf/101/queryconfinfos`.
    pub path: &'a str,
    /// The path as log records show it ([`masked_route`]).
    pub route: &'a str,
    /// The body, in a buffer wiped when dropped ([`json_body`]).
    pub body: Option<Bytes>,
    pub guid: Option<&'a str>,
    pub timeout: Option<Duration>,
}

pub struct Transport {
    /// Connection pool of the multi-thread runtime (callers finding every lane busy,
    /// background work such as the event pump).
    multi: reqwest::Client,
    /// Connection pool per lane, made on the lane's first use. Connections belong to the
    /// runtime that opened them, hence one pool per runtime (see `crate::runtime`).
    lanes: Vec<OnceLock<reqwest::Client>>,
    /// Makes a client with this session's TLS and timeouts.
    builder: Box<dyn Fn() -> Result<reqwest::Client> + Send + Sync>,
    bases: Vec<Url>,
    current_base: AtomicUsize,
    request_timeout: Duration,
}

impl Transport {
    pub fn new(cfg: &TransportConfig) -> Result<Transport> {
        if cfg.base_urls.is_empty() {
            return Err(crate::error::missing("base URL"));
        }
        let bases =
            cfg.base_urls.iter().map(|u| normalize_base_url(u, cfg.allow_plain_http)).collect::<Result<Vec<_>>>()?;
        let tls = tls_config(cfg)?;
        let connect_timeout = cfg.connect_timeout;
        let builder = move || {
            reqwest::Client::builder()
                .tls_backend_preconfigured(tls.clone())
                .no_proxy()
                // A redirect is never followed: it would carry the Guid (and a sign-in's
                // password) to wherever the answer points, and turn a POST into a GET
                // that "succeeds". A 3xx is reported as what it is.
                .redirect(reqwest::redirect::Policy::none())
                // Nothing is ever re-sent by the HTTP stack either.
                .retry(reqwest::retry::never())
                .connect_timeout(connect_timeout)
                // Below common server keep-alive timeouts (Tomcat: 20 s), so an idle
                // connection is dropped here before the gateway drops it.
                .pool_idle_timeout(Duration::from_secs(15))
                .pool_max_idle_per_host(64)
                .tcp_nodelay(true)
                .tcp_keepalive(Duration::from_secs(30))
                .user_agent(concat!("ccgw/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("HTTP client set-up failed: {e}")))
        };
        Ok(Transport {
            multi: builder()?,
            lanes: (0..crate::runtime::LANES).map(|_| OnceLock::new()).collect(),
            builder: Box::new(builder),
            bases,
            current_base: AtomicUsize::new(0),
            request_timeout: cfg.request_timeout,
        })
    }

    /// The pool of the runtime this exchange runs on.
    fn client(&self) -> Result<&reqwest::Client> {
        let on_lane = matches!(
            tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()),
            Ok(tokio::runtime::RuntimeFlavor::CurrentThread)
        );
        match crate::runtime::current_lane().filter(|_| on_lane) {
            Some(i) => match self.lanes[i].get() {
                Some(c) => Ok(c),
                None => {
                    let c = (self.builder)()?;
                    Ok(self.lanes[i].get_or_init(|| c))
                }
            },
            None => Ok(&self.multi),
        }
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Checks that `path` makes a request URL below every base URL's resource root (the
    /// generic request calls this before anything else, so nothing is sent otherwise).
    pub fn check_path(&self, path: &str) -> Result<()> {
        self.bases.iter().try_for_each(|b| resource_url(b, path).map(drop))
    }

    /// Sends `req`, trying the next base URL when a connection cannot be made (nothing was
    /// sent then, so trying elsewhere is safe). Dropping the future aborts the exchange.
    pub async fn send(&self, req: &Request<'_>) -> Exchange {
        let n = self.bases.len();
        let start = self.current_base.load(Ordering::Relaxed);
        let mut last = None;
        for attempt in 0..n {
            let i = (start + attempt) % n;
            let ex = self.send_to(&self.bases[i], req).await;
            let retry_elsewhere =
                matches!(&ex.outcome, Err(e) if e.status == CCGW_E_CONNECT || e.status == CCGW_E_CONNECT_TIMEOUT);
            if !retry_elsewhere || n == 1 {
                if attempt > 0 {
                    self.current_base.store(i, Ordering::Relaxed);
                    log!(Warn, req.op, "switched to gateway {} of {n} after a connection failure", i + 1);
                }
                return ex;
            }
            log!(Warn, req.op, "gateway {} of {n} unreachable, trying the next", i + 1);
            last = Some(ex);
        }
        last.expect("at least one base URL")
    }

    async fn send_to(&self, base: &Url, req: &Request<'_>) -> Exchange {
        let op = req.op;
        let started = Instant::now();
        let url = match resource_url(base, req.path) {
            Ok(u) => u,
            Err(e) => return Exchange::failed(e.in_operation(op)),
        };
        let timeout = req.timeout.unwrap_or(self.request_timeout);
        let client = match self.client() {
            Ok(c) => c,
            Err(e) => return Exchange::failed(e),
        };
        let mut rb = client
            .request(req.method.clone(), url.clone())
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=UTF-8");
        if let Some(g) = req.guid {
            match guid_header(g) {
                Ok(v) => rb = rb.header("Guid", v),
                Err(e) => return Exchange::failed(e.in_operation(op)),
            }
        }
        if let Some(b) = &req.body {
            // A reference to the same wiped buffer, not a copy.
            rb = rb.body(b.clone());
        }
        log!(Debug, op, "{} {}", req.method, req.route);
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => {
                let err = classify_send_error(op, &e, timeout);
                log!(
                    Warn,
                    op,
                    "{} {} failed after {} ms: {}",
                    req.method,
                    req.route,
                    started.elapsed().as_millis(),
                    err.message
                );
                return Exchange::failed(err);
            }
        };
        let http_status = resp.status().as_u16();
        if resp.status().is_redirection() {
            let err = Error::new(
                CCGW_E_HTTP_STATUS,
                format!(
                    "{op}: the gateway answered HTTP {http_status}, a redirect {}; redirects are never followed",
                    redirect_target(&url, resp.headers())
                ),
            )
            .with_http_status(http_status);
            log!(Warn, op, "{}", err.message);
            // The body is not read: the connection is closed with the answer.
            return Exchange::failed(err);
        }
        let set_guid = if resp.status().is_success() {
            parse_set_guid(resp.headers())
        } else {
            if resp.headers().contains_key("set-guid") {
                log!(
                    Debug,
                    op,
                    "ignored the Set-GUID header of an HTTP {http_status} answer (only 2xx answers set the Guid)"
                );
            }
            SetGuid::Absent
        };
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let body = match read_limited(resp).await {
            Ok(b) => b,
            Err(e) => {
                let err = match &e {
                    ReadError::Http(e) if e.is_timeout() => Error::new(
                        CCGW_E_RESPONSE_TIMEOUT,
                        format!(
                            "{op}: the answer did not complete within {} ms; the outcome is unknown",
                            timeout.as_millis()
                        ),
                    ),
                    ReadError::TooLarge => Error::new(
                        CCGW_E_MALFORMED_RESPONSE,
                        format!("{op}: the answer is larger than {MAX_ANSWER} bytes"),
                    ),
                    ReadError::Http(e) if is_malformed(e) => Error::new(
                        CCGW_E_MALFORMED_RESPONSE,
                        format!(
                            "{op}: the answer's body is malformed ({}); the outcome is unknown",
                            sanitize(&root_cause(e), NETWORK_TEXT_MAX)
                        ),
                    ),
                    ReadError::Http(_) => Error::new(
                        CCGW_E_TRUNCATED_RESPONSE,
                        format!("{op}: the answer was cut short; the outcome is unknown"),
                    ),
                };
                log!(Warn, op, "{}", err.message);
                return Exchange { set_guid, outcome: Err(err.with_http_status(http_status)) };
            }
        };
        let outcome = parse_envelope(op, http_status, &content_type, &body);
        match &outcome {
            Ok(env) => {
                log!(Debug, op, "HTTP {http_status} retcode {} in {} ms", env.retcode, started.elapsed().as_millis())
            }
            Err(e) => log!(Warn, op, "{}", e.message),
        }
        Exchange { set_guid, outcome }
    }
}

/// Where a 3xx points, for a message: the origin only (`to https://host:port`, or
/// `within the gateway` for a relative target), never the path or query, which may carry
/// anything. A `Location` that is absent, not printable ASCII or not a URL says so.
fn redirect_target(request_url: &Url, headers: &reqwest::header::HeaderMap) -> String {
    let Some(loc) = headers.get(reqwest::header::LOCATION) else {
        return "without a Location".into();
    };
    let Ok(text) = loc.to_str() else {
        return "to an unreadable location".into();
    };
    // Resolving is safe here: the result is only looked at, never requested.
    match request_url.join(text.trim()) {
        Ok(target) if target.scheme() == "http" || target.scheme() == "https" => {
            let origin = sanitize(&target.origin().ascii_serialization(), NETWORK_TEXT_MAX);
            if target.origin() == request_url.origin() {
                format!("within the gateway ({origin})")
            } else {
                format!("to {origin}")
            }
        }
        Ok(_) => "to a location that is not an HTTP URL".into(),
        Err(_) => "to a location that is not a URL".into(),
    }
}

/// Reads the body, refusing more than `MAX_ANSWER` bytes.
async fn read_limited(mut resp: reqwest::Response) -> std::result::Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                if buf.len() + c.len() > MAX_ANSWER {
                    return Err(ReadError::TooLarge);
                }
                buf.extend_from_slice(&c);
            }
            Ok(None) => return Ok(buf),
            Err(e) => return Err(ReadError::Http(e)),
        }
    }
}

enum ReadError {
    Http(reqwest::Error),
    TooLarge,
}

/// The `Set-GUID` of a 2xx answer: the last such header's `JSESSIONID=<guid>` (or bare)
/// value.
pub fn parse_set_guid(headers: &reqwest::header::HeaderMap) -> SetGuid {
    match headers.get_all("set-guid").iter().next_back() {
        None => SetGuid::Absent,
        Some(v) => match v.to_str() {
            Ok(text) => SetGuid::Value(guid_from_header_value(text)),
            Err(_) => SetGuid::Unreadable,
        },
    }
}

/// `JSESSIONID=<guid>` → `<guid>`; a bare value is taken whole; attributes after `;` are
/// dropped. The Guid is opaque: its `.AgentGatewayN` suffix is kept. May be empty.
pub fn guid_from_header_value(v: &str) -> Zeroizing<String> {
    let v = v.trim();
    let g = match v.split_once('=') {
        Some((_, g)) => g.trim(),
        None => v,
    };
    Zeroizing::new(g.split(';').next().unwrap_or("").trim().to_string())
}

fn is_json_type(ct: &str) -> bool {
    ct.is_empty() || ct.contains("json")
}

/// Parses the gateway's `{message, retcode, result|event}` envelope; non-2xx is an HTTP
/// failure whatever the body says, and a retcode outside its documented shapes makes the
/// answer malformed.
pub fn parse_envelope(op: &str, http_status: u16, content_type: &str, body: &[u8]) -> Result<Envelope> {
    if !(200..300).contains(&http_status) {
        return Err(Error::new(CCGW_E_HTTP_STATUS, format!("{op}: the gateway answered HTTP {http_status}"))
            .with_http_status(http_status));
    }
    let malformed = |why: String| Err(Error::new(CCGW_E_MALFORMED_RESPONSE, why).with_http_status(http_status));
    let json: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) if !is_json_type(content_type) => {
            let ct = content_type.split(';').next().unwrap_or("").trim();
            return Err(Error::new(
                CCGW_E_UNEXPECTED_CONTENT_TYPE,
                format!("{op}: the answer is {}, not JSON (a proxy or portal page?)", sanitize(ct, 64)),
            )
            .with_http_status(http_status));
        }
        Err(e) => {
            return malformed(format!(
                "{op}: the answer is not valid JSON ({})",
                sanitize(&e.to_string(), NETWORK_TEXT_MAX)
            ))
        }
    };
    let retcode = match json.get("retcode") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return malformed(format!("{op}: the answer's retcode is neither a string nor a number")),
        None => return malformed(format!("{op}: the answer has no retcode")),
    };
    if !is_retcode_shape(&retcode) {
        // Not quoted: it is no retcode, and could be anything.
        return malformed(format!(
            "{op}: the answer's retcode ({} characters) is not in a documented shape (NNN-NNN, or a number of at most {RETCODE_NUMBER_MAX_DIGITS} digits)",
            retcode.chars().count()
        ));
    }
    let message = json.get("message").and_then(Value::as_str).unwrap_or("").to_string();
    Ok(Envelope { http_status, retcode, message, json })
}

/// The next error down a chain. `io::Error::source` skips the error it wraps, so a
/// wrapped error is taken from `get_ref` instead (TLS failures arrive as io errors nested
/// in io errors).
fn next_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a (dyn std::error::Error + 'static)> {
    match err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
        Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
        None => err.source(),
    }
}

/// The errors of a chain, outermost first.
fn chain<'a>(e: &'a (dyn std::error::Error + 'static)) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |err: &&'a (dyn std::error::Error + 'static)| next_cause(*err))
}

/// The rustls error (certificate or handshake failure) in an error chain, as text. It may
/// quote the server's certificate (names it presents): sanitized by the caller.
fn tls_cause(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    chain(e).find_map(|err| err.downcast_ref::<rustls::Error>()).map(ToString::to_string)
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    chain(e).last().map(ToString::to_string).unwrap_or_default()
}

/// Whether an error chain says the answer could not be parsed: a malformed status line or
/// header, a head too large (hyper's parse errors), or a body framing error such as a bad
/// chunk size line (hyper's decoder reports those as `InvalidInput` / `InvalidData`; a
/// lost connection is `UnexpectedEof`, `ConnectionReset` and the like).
fn is_malformed(e: &(dyn std::error::Error + 'static)) -> bool {
    chain(e).any(|err| {
        err.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_parse)
            || err.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(io.kind(), std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput)
            })
    })
}

fn classify_send_error(op: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    if let Some(tls) = tls_cause(e) {
        return Error::new(
            CCGW_E_TLS,
            format!("{op}: TLS with the gateway failed: {}", sanitize(&tls, NETWORK_TEXT_MAX)),
        );
    }
    let cause = || sanitize(&root_cause(e), NETWORK_TEXT_MAX);
    if e.is_connect() {
        if e.is_timeout() {
            return Error::new(CCGW_E_CONNECT_TIMEOUT, format!("{op}: connecting to the gateway timed out"));
        }
        return Error::new(CCGW_E_CONNECT, format!("{op}: cannot connect to the gateway: {}", cause()));
    }
    if e.is_timeout() {
        return Error::new(
            CCGW_E_RESPONSE_TIMEOUT,
            format!("{op}: no answer within {} ms; the outcome is unknown", timeout.as_millis()),
        );
    }
    if is_malformed(e) {
        return Error::new(
            CCGW_E_MALFORMED_RESPONSE,
            format!("{op}: the answer's head is malformed ({}); the outcome is unknown", cause()),
        );
    }
    Error::new(
        CCGW_E_CONNECTION_LOST,
        format!("{op}: the connection failed after the request was sent ({}); the outcome is unknown", cause()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalise() {
        let n = |s: &str| normalize_base_url(s, false).map(|u| u.to_string());
        assert_eq!(n("https://gw:8043").unwrap(), "https://gw:8043/agentgateway/resource/");
        assert_eq!(n("https://gw:8043/").unwrap(), "https://gw:8043/agentgateway/resource/");
        assert_eq!(n("https://gw:8043/agentgateway/resource").unwrap(), "https://gw:8043/agentgateway/resource/");
        assert_eq!(n("https://nslb/cc/agentgateway/resource/").unwrap(), "https://nslb/cc/agentgateway/resource/");
        assert_eq!(n("https://nslb/cc").unwrap(), "https://nslb/cc/agentgateway/resource/");
        assert_eq!(n("http://gw:8000").unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
        assert!(normalize_base_url("http://gw:8000", true).is_ok());
        assert_eq!(n("ftp://gw").unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
        let creds = n("https://u:secret-pw@gw").unwrap_err();
        assert_eq!(creds.status, CCGW_E_INVALID_ARGUMENT);
        assert!(!creds.message.contains("secret-pw"), "{}", creds.message);
        assert_eq!(n("  ").unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
    }

    #[test]
    fn set_guid_values() {
        let g = |v: &str| guid_from_header_value(v).to_string();
        assert_eq!(g("JSESSIONID=abc.AgentGateway0"), "abc.AgentGateway0");
        assert_eq!(g("abc.AgentGateway1"), "abc.AgentGateway1");
        assert_eq!(g("JSESSIONID=abc; Path=/"), "abc");
        assert_eq!(g("JSESSIONID="), "");
        assert_eq!(g("JSESSIONID=a b"), "a b");
    }

    #[test]
    fn envelopes() {
        let ok = parse_envelope("op", 200, "application/json", br#"{"retcode":"0","message":"","result":{}}"#).unwrap();
        assert_eq!(ok.retcode, "0");
        let num = parse_envelope("op", 200, "", br#"{"retcode":0}"#).unwrap();
        assert_eq!(num.retcode, "0");
        assert_eq!(parse_envelope("op", 503, "text/html", b"<html>").unwrap_err().status, CCGW_E_HTTP_STATUS);
        assert_eq!(
            parse_envelope("op", 200, "text/html", b"<html>").unwrap_err().status,
            CCGW_E_UNEXPECTED_CONTENT_TYPE
        );
        assert_eq!(
            parse_envelope("op", 200, "application/json", b"{\"retc").unwrap_err().status,
            CCGW_E_MALFORMED_RESPONSE
        );
        assert_eq!(parse_envelope("op", 200, "application/json", b"{}").unwrap_err().status, CCGW_E_MALFORMED_RESPONSE);
        assert_eq!(parse_envelope("op", 200, "text/plain", br#"{"retcode":"0"}"#).unwrap().retcode, "0");
        for bad in [r#""100-002\r\nX""#, r#""abc""#, "1.5", "-1", r#""1234567""#, "null", "[]"] {
            let body = format!(r#"{{"retcode":{bad}}}"#);
            let e = parse_envelope("op", 200, "", body.as_bytes()).unwrap_err();
            assert_eq!(e.status, CCGW_E_MALFORMED_RESPONSE, "{bad}");
            assert!(!e.message.contains('\n') && !e.message.contains("abc"), "{}", e.message);
        }
        let ct = parse_envelope("op", 200, "text/html\tx", b"<").unwrap_err();
        assert!(!ct.message.contains('\t'), "{}", ct.message);
    }

    #[test]
    fn relative_paths() {
        assert!(check_relative_path("agentconf/101/requestagentconf").is_ok());
        assert!(check_relative_path("voicecall/101/gethold?callid=1-2").is_ok());
        assert!(check_relative_path("/agentconf/101/x").is_err());
        assert!(check_relative_path("https://evil/x").is_err());
        assert!(check_relative_path("agentconf/../x").is_err());
        assert!(check_relative_path("a b").is_err());
        assert!(check_relative_path("").is_err());
    }

    #[test]
    fn request_urls_stay_below_the_resource_root() {
        let base = normalize_base_url("https://gw:8043/cc", false).unwrap();
        let u = |p: &str| resource_url(&base, p).map(|u| u.to_string());
        assert_eq!(u("agentconf/101/x").unwrap(), "https://gw:8043/cc/agentgateway/resource/agentconf/101/x");
        assert_eq!(u("a/b?c=1&d=%2e%2e/").unwrap(), "https://gw:8043/cc/agentgateway/resource/a/b?c=1&d=%2e%2e/");
        assert_eq!(u("a/b?q=é").unwrap(), "https://gw:8043/cc/agentgateway/resource/a/b?q=%C3%A9");
        for bad in [
            "http:evil:80/x",
            "\\\\evil\\x",
            "//evil/x",
            "%2e%2e/x",
            "..;/x",
            "a/%2f/x",
            "@evil/x",
            "a/{agentid}/x",
            "a/\u{ff0e}\u{ff0e}/x",
            "a/x#f",
            "a//x",
            "a/",
        ] {
            let e = u(bad).unwrap_err();
            assert_eq!(e.status, CCGW_E_INVALID_ARGUMENT, "{bad:?}");
            assert!(!e.message.contains("evil"), "{bad:?}: {}", e.message);
        }
        // The proof itself refuses what the builder could never produce.
        let root = normalize_base_url("https://gw:8043", false).unwrap();
        for escaped in [
            "https://evil:8043/agentgateway/resource/x",
            "http://gw:8043/agentgateway/resource/x",
            "https://gw:8044/agentgateway/resource/x",
            "https://gw:8043/agentgateway/other/x",
            "https://gw:8043/agentgateway/resource/",
            "https://u@gw:8043/agentgateway/resource/x",
            "https://gw:8043/agentgateway/resource/x#f",
        ] {
            assert!(prove_below_root(&root, &Url::parse(escaped).unwrap()).is_err(), "{escaped}");
        }
        // A segment the URL parser would keep as is but a server might decode.
        let mut encoded = root.clone();
        encoded.path_segments_mut().unwrap().pop_if_empty().push("%2e%2e").push("x");
        assert!(encoded.path().contains("%252e"), "{encoded}");
        assert!(prove_below_root(&root, &encoded).is_err());
        assert!(prove_below_root(&root, &Url::parse("https://gw/agentgateway/resource/x?y").unwrap()).is_err());
        assert!(prove_below_root(&root, &Url::parse("https://gw:8043/agentgateway/resource/x?y").unwrap()).is_ok());
    }

    #[test]
    fn routes_are_logged_with_identifiers_masked() {
        assert_eq!(
            masked_route("voicecall/153/gethold?callid=1712345678-42", "153"),
            "voicecall/{agentid}/gethold?callid=…"
        );
        assert_eq!(masked_route("voicecall/153/disconnect/70093", "153"), "voicecall/{agentid}/disconnect/…");
        assert_eq!(
            masked_route("onlineagent/153/resetskill/true?skillid=1&phonelinkage=0&x", "153"),
            "onlineagent/{agentid}/resetskill/true?skillid=…&phonelinkage=…&…"
        );
        assert_eq!(masked_route("agentconf/153/queryconfinfos", "153"), "agentconf/{agentid}/queryconfinfos");
    }

    #[test]
    fn gateway_text_does_not_echo_the_request() {
        let path = b"voicecall/153/dropcall/1712345678-42?x=5550187";
        let body = br#"{"callid":"99-88","caller":"+8640038","n":7,"data":"cust-4417-x"}"#;
        let guid = b"279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0";
        let text = "no call with id 1712345678-42 or 99-88 from +8640038 to 5550187 (cust-4417-x), \
                    agent 153, code 7, guid 279fe21d-2caa-4437-84c3-ab9e9dae20f5, Unknown ERROR._10001";
        assert_eq!(
            redact_echo(text, &[path, body, guid], &["153"]),
            "no call with id … or … from … to … (…), agent 153, code 7, guid …, Unknown ERROR._10001"
        );
    }

    #[test]
    fn bodies_are_sized_exactly() {
        let b = json_body(&serde_json::json!({"password": "p\"w", "n": 1}));
        assert_eq!(&b[..], br#"{"n":1,"password":"p\"w"}"#);
    }

    #[test]
    fn the_guid_header_is_sensitive() {
        let v = guid_header("abc.AgentGateway0").unwrap();
        assert!(v.is_sensitive());
        assert_eq!(v.as_bytes(), b"abc.AgentGateway0");
        assert!(!format!("{v:?}").contains("abc"));
        assert!(guid_header("a\r\nb").is_err());
    }
}
