//! HTTPS to the gateway: TLS set-up (verified by default), base URLs with fail-over on
//! connection failure, one request with its timeout and cancellation, the `Set-GUID`
//! header, and the classification of every failure into a distinct status.

use crate::error::{invalid, Error, Result};
use crate::log::log;
use crate::status::*;
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
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!("base URL {raw:?} must not carry credentials, a query or a fragment")));
    }
    let path = url.path().trim_end_matches('/').to_string();
    let path =
        if path.ends_with("/agentgateway/resource") { format!("{path}/") } else { format!("{path}/{RESOURCE_PATH}") };
    url.set_path(&path);
    Ok(url)
}

/// Checks a path relative to the resource root, as given to the generic request.
/// Longest path the generic request accepts; interface paths are far shorter, and
/// servers refuse request lines much longer than this.
pub const PATH_MAX_BYTES: usize = 2048;

pub fn check_relative_path(path: &str) -> Result<()> {
    if path.is_empty() {
        return Err(crate::error::missing("path"));
    }
    crate::limits::max_len("path", path, PATH_MAX_BYTES, crate::limits::Unit::Bytes)?;
    if path.starts_with('/') || path.contains("://") {
        return Err(invalid(format!("path {path:?} must be relative to /agentgateway/resource/ (e.g. \"agentconf/{{agentid}}/requestagentconf\")")));
    }
    if path.split(['/', '?']).any(|seg| seg == "..") || path.contains('#') {
        return Err(invalid(format!("path {path:?} must not contain '..' segments or a fragment")));
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid(format!("path {path:?} must not contain spaces or control characters")));
    }
    Ok(())
}

/// The request path as a log record shows it: family, agent id and interface. Path
/// parameters after the interface (call ids, numbers: `dropcall/{callid}`,
/// `disconnect/{number}`) and the query (`seconddialex?number=` digits) are call data and
/// are left out.
fn loggable_path(path: &str) -> String {
    let (route, query) = match path.split_once('?') {
        Some((r, _)) => (r, true),
        None => (path, false),
    };
    let segments: Vec<&str> = route.split('/').collect();
    let mut out = segments.iter().take(3).copied().collect::<Vec<_>>().join("/");
    if segments.len() > 3 {
        out.push_str("/…");
    }
    if query {
        out.push_str("?…");
    }
    out
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
    pub retcode: String,
    pub message: String,
    /// The whole answer.
    pub json: Value,
}

/// The outcome of one exchange: the `Set-GUID` value seen on the answer (whatever the
/// outcome, so a rotation is never lost) and the envelope or the failure.
pub struct Exchange {
    pub set_guid: Option<String>,
    pub outcome: Result<Envelope>,
}

/// A prepared request.
pub struct Request<'a> {
    /// Log name of the operation, as the gateway docs write it.
    pub op: &'a str,
    pub method: Method,
    /// Relative to the resource root, e.g. `agentconf/101/queryconfinfos`.
    pub path: &'a str,
    pub body: Option<Vec<u8>>,
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
        let url = match base.join(req.path) {
            Ok(u) => u,
            Err(e) => {
                return Exchange { set_guid: None, outcome: Err(invalid(format!("{op}: bad request path: {e}"))) }
            }
        };
        let timeout = req.timeout.unwrap_or(self.request_timeout);
        let client = match self.client() {
            Ok(c) => c,
            Err(e) => return Exchange { set_guid: None, outcome: Err(e) },
        };
        let mut rb = client
            .request(req.method.clone(), url)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=UTF-8");
        if let Some(g) = req.guid {
            rb = rb.header("Guid", g);
        }
        if let Some(b) = &req.body {
            rb = rb.body(b.clone());
        }
        log!(Debug, op, "{} {}", req.method, loggable_path(req.path));
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => {
                let err = classify_send_error(op, &e, timeout);
                log!(
                    Warn,
                    op,
                    "{} {} failed after {} ms: {}",
                    req.method,
                    req.path,
                    started.elapsed().as_millis(),
                    err.message
                );
                return Exchange { set_guid: None, outcome: Err(err) };
            }
        };
        let http_status = resp.status().as_u16();
        let set_guid = parse_set_guid(resp.headers());
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let body = match read_limited(resp).await {
            Ok(b) => b,
            Err(e) => {
                let err = if e.is_timeout() {
                    Error::new(
                        CCGW_E_RESPONSE_TIMEOUT,
                        format!(
                            "{op}: the answer did not complete within {} ms; the outcome is unknown",
                            timeout.as_millis()
                        ),
                    )
                } else if e.is_decode() {
                    Error::new(CCGW_E_MALFORMED_RESPONSE, format!("{op}: the answer is larger than {MAX_ANSWER} bytes"))
                } else {
                    Error::new(
                        CCGW_E_TRUNCATED_RESPONSE,
                        format!("{op}: the answer was cut short; the outcome is unknown"),
                    )
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

impl ReadError {
    fn is_timeout(&self) -> bool {
        matches!(self, ReadError::Http(e) if e.is_timeout())
    }
    fn is_decode(&self) -> bool {
        matches!(self, ReadError::TooLarge)
    }
}

/// The Guid in a `Set-GUID: JSESSIONID=<guid>` header (the last one, if several).
pub fn parse_set_guid(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get_all("set-guid").iter().rev().filter_map(|v| v.to_str().ok()).find_map(guid_from_header_value)
}

/// `JSESSIONID=<guid>` → `<guid>`; a bare value is taken whole. The Guid is opaque: its
/// `.AgentGatewayN` suffix is kept.
pub fn guid_from_header_value(v: &str) -> Option<String> {
    let v = v.trim();
    let g = match v.split_once('=') {
        Some((_, g)) => g.trim(),
        None => v,
    };
    let g = g.split(';').next().unwrap_or("").trim();
    (!g.is_empty()).then(|| g.to_string())
}

fn is_json_type(ct: &str) -> bool {
    ct.is_empty() || ct.contains("json")
}

/// Parses the gateway's `{message, retcode, result|event}` envelope; non-2xx is an HTTP
/// failure whatever the body says.
pub fn parse_envelope(op: &str, http_status: u16, content_type: &str, body: &[u8]) -> Result<Envelope> {
    if !(200..300).contains(&http_status) {
        return Err(Error::new(CCGW_E_HTTP_STATUS, format!("{op}: the gateway answered HTTP {http_status}"))
            .with_http_status(http_status));
    }
    let json: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) if !is_json_type(content_type) => {
            let _ = e;
            let ct = content_type.split(';').next().unwrap_or("").trim().to_string();
            return Err(Error::new(
                CCGW_E_UNEXPECTED_CONTENT_TYPE,
                format!("{op}: the answer is {ct}, not JSON (a proxy or portal page?)"),
            )
            .with_http_status(http_status));
        }
        Err(e) => {
            return Err(Error::new(CCGW_E_MALFORMED_RESPONSE, format!("{op}: the answer is not valid JSON ({e})"))
                .with_http_status(http_status));
        }
    };
    let retcode = match json.get("retcode") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(Error::new(CCGW_E_MALFORMED_RESPONSE, format!("{op}: the answer has no retcode"))
                .with_http_status(http_status));
        }
    };
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

/// The rustls error (certificate or handshake failure) in an error chain, as text.
fn tls_cause(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r.to_string());
        }
        cur = next_cause(err);
    }
    None
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = next_cause(cur) {
        cur = next;
    }
    cur.to_string()
}

fn classify_send_error(op: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    if let Some(tls) = tls_cause(e) {
        return Error::new(CCGW_E_TLS, format!("{op}: TLS with the gateway failed: {tls}"));
    }
    if e.is_connect() {
        if e.is_timeout() {
            return Error::new(CCGW_E_CONNECT_TIMEOUT, format!("{op}: connecting to the gateway timed out"));
        }
        return Error::new(CCGW_E_CONNECT, format!("{op}: cannot connect to the gateway: {}", root_cause(e)));
    }
    if e.is_timeout() {
        return Error::new(
            CCGW_E_RESPONSE_TIMEOUT,
            format!("{op}: no answer within {} ms; the outcome is unknown", timeout.as_millis()),
        );
    }
    Error::new(
        CCGW_E_CONNECTION_LOST,
        format!("{op}: the connection failed after the request was sent ({}); the outcome is unknown", root_cause(e)),
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
        assert_eq!(n("https://u:p@gw").unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
        assert_eq!(n("  ").unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
    }

    #[test]
    fn set_guid_values() {
        assert_eq!(guid_from_header_value("JSESSIONID=abc.AgentGateway0").as_deref(), Some("abc.AgentGateway0"));
        assert_eq!(guid_from_header_value("abc.AgentGateway1").as_deref(), Some("abc.AgentGateway1"));
        assert_eq!(guid_from_header_value("JSESSIONID=abc; Path=/").as_deref(), Some("abc"));
        assert_eq!(guid_from_header_value("JSESSIONID="), None);
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
    fn logged_paths_leave_call_data_out() {
        assert_eq!(loggable_path("voicecall/101/dropcall/1455885056-1095"), "voicecall/101/dropcall/…");
        assert_eq!(loggable_path("voicecall/101/seconddialex?number=4417%2A9931%23"), "voicecall/101/seconddialex?…");
        assert_eq!(loggable_path("agentconf/101/queryconfinfos"), "agentconf/101/queryconfinfos");
        assert_eq!(loggable_path("onlineagent/101"), "onlineagent/101");
    }
}
