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
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// Path of the agent interface below a base URL.
pub const RESOURCE_PATH: &str = "agentgateway/resource/";

/// Least time left for another attempt to be worth a pause before it.
const MIN_ATTEMPT: Duration = Duration::from_millis(50);

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
    /// Trust exactly the gateway certificates with these SHA-256 fingerprints (of their
    /// DER) instead of a CA: see [`crate::tls`]. Refused together with a CA.
    pub pins: Vec<[u8; 32]>,
    /// Accept any server certificate. For labs only; logged as a warning.
    pub insecure_accept_any_certificate: bool,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Keep and send the cookies answers set (RFC 6265; a load balancer's sticky cookie).
    pub cookies: bool,
    pub proxy: ProxyConfig,
    /// When to move between base URLs, retry, and go back to the primary.
    pub failover: crate::failover::Policy,
}

/// How the gateway is reached: directly, through an explicit forward proxy, or through the
/// one the environment names (only when the application opts in).
#[derive(Clone, Default)]
pub enum ProxyConfig {
    /// Directly; the proxy environment variables are ignored.
    #[default]
    None,
    /// Through this HTTP proxy (HTTPS by `CONNECT`, RFC 9110 §9.3.6).
    Explicit {
        /// `http://host:port` (checked by [`parse_proxy_url`]).
        url: Url,
        /// Basic credentials, if the proxy wants them (the password in a wiped buffer).
        credentials: Option<(String, Zeroizing<String>)>,
        /// Hosts reached directly (the `NO_PROXY` syntax: comma-separated names,
        /// `.domain` suffixes, IP addresses and CIDR ranges, `*`).
        no_proxy: Option<String>,
    },
    /// As `HTTPS_PROXY` / `https_proxy`, `ALL_PROXY` and `NO_PROXY` say.
    Environment,
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxyConfig::None => f.write_str("None"),
            ProxyConfig::Explicit { url, credentials, no_proxy } => f
                .debug_struct("Explicit")
                .field("url", &url.as_str())
                .field("credentials", &credentials.as_ref().map(|_| "<hidden>"))
                .field("no_proxy", no_proxy)
                .finish(),
            ProxyConfig::Environment => f.write_str("Environment"),
        }
    }
}

/// Checks a forward proxy's URL: `http://host:port` (or without the port: 80), no
/// credentials (they go in their own options, kept out of every message), no path beyond
/// `/`, query or fragment.
pub fn parse_proxy_url(raw: &str) -> Result<Url> {
    let raw = raw.trim();
    let url = Url::parse(raw).map_err(|_| invalid("proxy_url is not a URL (expected http://host:port)"))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Not quoted: the text holds a password.
        return Err(invalid("proxy_url must not carry credentials; give them as proxy_username and proxy_password"));
    }
    if url.scheme() != "http" {
        return Err(invalid(format!(
            "proxy_url has scheme {:?}; ccgw speaks to forward proxies in plain HTTP (http://host:port) and tunnels TLS to the gateway through them",
            sanitize(url.scheme(), 20)
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("proxy_url has no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("proxy_url must be just http://host:port (no path, query or fragment)"));
    }
    Ok(url)
}

impl Default for TransportConfig {
    /// No base URL; the system trust store; the C API's default timeouts.
    fn default() -> Self {
        TransportConfig {
            base_urls: Vec::new(),
            allow_plain_http: false,
            roots: Roots::System,
            pins: Vec::new(),
            insecure_accept_any_certificate: false,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            cookies: true,
            proxy: ProxyConfig::None,
            failover: crate::failover::Policy::default(),
        }
    }
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
    // The URLs this thread built last, by base and path: a URL is a pure function of the
    // two (checked and proved when it was built), so an operation called again on the same
    // session costs a comparison and a copy instead of building and proving it again.
    // Only `family/agentid/interface` paths are kept: longer ones and queries carry call
    // data (call ids, numbers), which is not kept beyond its request.
    thread_local! {
        static BUILT: std::cell::RefCell<[Option<BuiltUrl>; URL_CACHE]> =
            const { std::cell::RefCell::new([const { None }; URL_CACHE]) };
    }
    // (`try_with`: from a host's thread-local destructor, after this cache was destroyed,
    // the URL is built afresh.)
    let hit = BUILT
        .try_with(|built| {
            built.borrow().iter().flatten().find(|(b, p, _)| **p == *path && b == base).map(|(_, _, u)| u.clone())
        })
        .ok()
        .flatten();
    if let Some(url) = hit {
        return Ok(url);
    }
    let url = build_resource_url(base, path)?;
    if path.contains('?') || path.split('/').count() > 3 {
        return Ok(url);
    }
    let _ = BUILT.try_with(|built| {
        let mut built = built.borrow_mut();
        built.rotate_right(1);
        built[0] = Some((base.clone(), path.into(), url.clone()));
    });
    Ok(url)
}

/// A URL [`resource_url`] built: its base, its path, the URL.
type BuiltUrl = (Url, Box<str>, Url);

/// How many URLs each thread keeps ([`resource_url`]).
const URL_CACHE: usize = 8;

fn build_resource_url(base: &Url, path: &str) -> Result<Url> {
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
/// The buffer never grows in place: when the text outgrows it, it is copied into a larger
/// one and the old one wiped (`WipingBuffer`), so no reallocation leaves an unwiped
/// partial copy behind; nothing else holds the serialized text. One pass.
pub fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Bytes {
    let mut buf = WipingBuffer(Zeroizing::new(Vec::with_capacity(BODY_START)));
    serde_json::to_writer(&mut buf, value).expect("request bodies serialize");
    Bytes::from_owner(buf.0)
}

/// First capacity of a request body: the seed operations' bodies fit.
const BODY_START: usize = 512;

/// A byte buffer that is wiped, not reallocated, when it grows.
struct WipingBuffer(Zeroizing<Vec<u8>>);

impl WipingBuffer {
    #[cold]
    fn grow(&mut self, need: usize) {
        let mut bigger = Zeroizing::new(Vec::with_capacity(need.max(self.0.capacity() * 2)));
        bigger.extend_from_slice(&self.0);
        // The old buffer is wiped as it drops.
        self.0 = bigger;
    }
}

impl std::io::Write for WipingBuffer {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes).map(|()| bytes.len())
    }
    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let buf: &mut Vec<u8> = &mut self.0;
        if buf.capacity() - buf.len() < bytes.len() {
            let need = buf.len() + bytes.len();
            self.grow(need);
        }
        self.0.extend_from_slice(bytes);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

/// One answer of the gateway's JSON envelope, read in one pass into its parts: the
/// retcode and message as text, `event` as a JSON value, and `result` kept as the span of
/// the answer's text it occupies, read by each operation straight into its own types
/// ([`Envelope::result`]), with no intermediate tree.
#[derive(Debug)]
pub struct Envelope {
    pub http_status: u16,
    /// In one of its documented shapes ([`is_retcode_shape`]).
    pub retcode: String,
    /// The gateway's `message`, as sent (quote it only through `sanitize`).
    pub message: String,
    /// The `event` member of an event-poll answer, if present (`null` included).
    pub event: Option<Value>,
    /// The answer's text.
    text: String,
    /// Where `result` is in `text`, if present (`null` included).
    result: Option<std::ops::Range<usize>>,
}

impl Envelope {
    /// The `result` member's JSON text, if the answer has one (`null` included).
    pub fn result_text(&self) -> Option<&str> {
        self.result.clone().map(|r| &self.text[r])
    }

    /// `result` read as `T` (absent reads as `null`). Everything read keeps serde_json's
    /// nesting limit (128).
    pub fn result<'a, T: serde::Deserialize<'a>>(&'a self) -> serde_json::Result<T> {
        serde_json::from_str(self.result_text().unwrap_or("null"))
    }

    /// `result` as a JSON value, if present (the lenient readers of sign-in and
    /// `updateGuid`).
    pub fn result_value(&self, op: &str) -> Result<Option<Value>> {
        self.result_text().map(|t| serde_json::from_str(t).map_err(|e| self.too_deep(op, &e))).transpose()
    }

    /// The whole answer as a JSON value (the generic request returns it).
    pub fn to_value(&self, op: &str) -> Result<Value> {
        serde_json::from_str(&self.text).map_err(|e| self.too_deep(op, &e))
    }

    /// The text was checked to be JSON when the envelope was read: what is left to fail is
    /// nesting beyond the limit.
    fn too_deep(&self, op: &str, e: &serde_json::Error) -> Error {
        Error::new(
            CCGW_E_MALFORMED_RESPONSE,
            format!("{op}: the answer is not valid JSON ({})", sanitize(&e.to_string(), NETWORK_TEXT_MAX)),
        )
        .with_http_status(self.http_status)
    }
}

/// The envelope's members as one pass over the answer reads them. A member given twice
/// counts with its last value (as a JSON object built from the text would hold it); an
/// answer that is not an object has no retcode. Members the library does not read are
/// skipped without being built (serde's `IgnoredAny`: no recursion, no allocation).
#[derive(Default)]
struct Head<'a> {
    retcode: Option<Scalar>,
    message: Option<Scalar>,
    result: Option<&'a serde_json::value::RawValue>,
    event: Option<Value>,
}

/// A `retcode` or `message` member: a string, a number (as serde_json writes it), or
/// another JSON type (consumed, not kept).
enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Other,
}

/// Consumes the rest of a sequence or map element by element (no recursion).
fn skip_seq<'de, A: serde::de::SeqAccess<'de>>(mut seq: A) -> std::result::Result<(), A::Error> {
    while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
    Ok(())
}

fn skip_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> std::result::Result<(), A::Error> {
    while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
    Ok(())
}

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(v.into()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Number(v.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other, Scalar::Number))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> std::result::Result<Scalar, A::Error> {
                skip_seq(seq).map(|()| Scalar::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<Scalar, A::Error> {
                skip_map(map).map(|()| Scalar::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A member name of the envelope (compared as the text decodes, escapes included, without
/// being copied).
enum Member {
    Retcode,
    Message,
    Result,
    Event,
    Other,
}

impl<'de> serde::Deserialize<'de> for Member {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Member;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Member, E> {
                Ok(match v {
                    "retcode" => Member::Retcode,
                    "message" => Member::Message,
                    "result" => Member::Result,
                    "event" => Member::Event,
                    _ => Member::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Head<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Head<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the gateway's envelope")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Head<'a>, A::Error> {
                let mut head = Head::default();
                while let Some(key) = map.next_key::<Member>()? {
                    match key {
                        Member::Retcode => head.retcode = Some(map.next_value()?),
                        Member::Message => head.message = Some(map.next_value()?),
                        Member::Result => head.result = Some(map.next_value()?),
                        Member::Event => head.event = Some(map.next_value()?),
                        Member::Other => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(head)
            }
            // Any other JSON value: an answer without a retcode.
            fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Head<'a>, E> {
                Ok(Head::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> std::result::Result<Head<'a>, A::Error> {
                skip_seq(seq)?;
                Ok(Head::default())
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
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
    /// Index of the base URL (0 = `base_url`, then the fallbacks in order) the exchange
    /// last went to: the pump compares it across polls to see a fail-over.
    pub node: usize,
    /// Why an earlier attempt of this exchange may have been carried out (a read sent
    /// again after a 502, a lost connection, ...), if one may have: a poll answered after
    /// such an attempt may have lost the event the earlier one dequeued, and the pump
    /// reports a gap for it.
    pub earlier_may_have_run: Option<String>,
    /// Whether a node answered `000-004` (switching over) to an attempt of this exchange,
    /// ridden out or not: events queued on that node then may be lost (the pump reports a
    /// gap).
    pub switched_over: bool,
}

impl Exchange {
    fn failed(err: Error) -> Exchange {
        Exchange {
            set_guid: SetGuid::Absent,
            outcome: Err(err),
            node: 0,
            earlier_may_have_run: None,
            switched_over: false,
        }
    }
}

/// A prepared request.
pub struct Request<'a> {
    /// Log name of the operation, as the gateway docs write it.
    pub op: &'a str,
    pub method: Method,
    /// Relative to the resource root, e.g. `agentconf/101/queryconfinfos`.
    pub path: &'a str,
    /// The session's agent id: log records show the path with it masked ([`masked_route`],
    /// built only when a record is written).
    pub agent_id: &'a str,
    /// The body, in a buffer wiped when dropped ([`json_body`]).
    pub body: Option<Bytes>,
    pub guid: Option<&'a str>,
    pub timeout: Option<Duration>,
}

impl Request<'_> {
    /// The path as log records show it ([`masked_route`]).
    pub fn route(&self) -> String {
        masked_route(self.path, self.agent_id)
    }
}

/// A client (connection pool) and the number of connections it has opened, counted by a
/// connector layer: a request during which the count did not move went out on a
/// connection the pool already had (a reused, kept-alive one).
pub struct Pool {
    client: reqwest::Client,
    connections: Arc<AtomicU64>,
}

/// Name lookups (`getaddrinfo`, as reqwest's own resolver) on the multi-thread runtime's
/// blocking pool whichever runtime asks: a session's lanes come and go
/// (`crate::runtime::Lanes`) and start no threads of their own. An IP address in the base
/// URL is never looked up.
struct SharedResolver;

impl reqwest::dns::Resolve for SharedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let runtime = crate::runtime::handle().map_err(|e| std::io::Error::other(e.message))?;
            let found =
                runtime.spawn_blocking(move || std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), 0))).await;
            let addrs: reqwest::dns::Addrs = Box::new(found??);
            Ok(addrs)
        })
    }
}

/// The connector layer that counts new connections.
#[derive(Clone)]
struct CountConnections(Arc<AtomicU64>);

impl<S> tower_layer::Layer<S> for CountConnections {
    type Service = Counted<S>;
    fn layer(&self, inner: S) -> Counted<S> {
        Counted { inner, count: self.0.clone() }
    }
}

#[derive(Clone)]
struct Counted<S> {
    inner: S,
    count: Arc<AtomicU64>,
}

impl<S: tower_service::Service<R>, R> tower_service::Service<R> for Counted<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;
    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::result::Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }
    fn call(&mut self, req: R) -> S::Future {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.inner.call(req)
    }
}

pub struct Transport {
    /// Connection pool of the multi-thread runtime (callers finding every lane busy,
    /// background work such as the event pump).
    multi: Arc<Pool>,
    /// The session's lanes and a connection pool per lane, made on the lane's first use.
    /// Connections belong to the runtime that opened them, hence one pool per runtime
    /// (see `crate::runtime`).
    lanes: Arc<crate::runtime::Lanes<Pool>>,
    /// Makes a client with this session's TLS and timeouts; `true`: one that keeps no
    /// connection (the one re-send on a new connection).
    builder: Box<dyn Fn(bool) -> Result<Pool> + Send + Sync>,
    bases: Vec<Url>,
    /// Which base URL is current, the nodes' health and the fail-over policy.
    nodes: crate::failover::Nodes,
    request_timeout: Duration,
    /// The session's cookies, sent and taken by every exchange whatever pool carries it.
    cookies: crate::cookies::Cookies,
}

impl Transport {
    pub fn new(cfg: &TransportConfig) -> Result<Transport> {
        if cfg.base_urls.is_empty() {
            return Err(crate::error::missing("base URL"));
        }
        let bases =
            cfg.base_urls.iter().map(|u| normalize_base_url(u, cfg.allow_plain_http)).collect::<Result<Vec<_>>>()?;
        let tls = crate::tls::client_config(cfg)?;
        let connect_timeout = cfg.connect_timeout;
        let proxy = match &cfg.proxy {
            // `*` alone in the list: no host goes through the proxy (curl's NO_PROXY rule;
            // reqwest's matcher has no such entry).
            ProxyConfig::Explicit { no_proxy: Some(list), .. } if list.split(',').any(|h| h.trim() == "*") => None,
            ProxyConfig::Explicit { url, credentials, no_proxy } => {
                let mut p = reqwest::Proxy::all(url.clone())
                    .map_err(|_| invalid("proxy_url is not usable as a proxy (expected http://host:port)"))?;
                if let Some((user, password)) = credentials {
                    p = p.basic_auth(user, password);
                }
                Some(p.no_proxy(no_proxy.as_deref().and_then(reqwest::NoProxy::from_string)))
            }
            ProxyConfig::None | ProxyConfig::Environment => None,
        };
        let from_environment = matches!(cfg.proxy, ProxyConfig::Environment);
        let builder = move |fresh: bool| {
            let connections = Arc::new(AtomicU64::new(0));
            let b = reqwest::Client::builder()
                .tls_backend_preconfigured(rustls::ClientConfig::clone(&tls))
                .dns_resolver(Arc::new(SharedResolver))
                .connector_layer(CountConnections(connections.clone()));
            // Without a proxy given, reqwest reads the environment's; that only on request.
            let b = match (&proxy, from_environment) {
                (Some(p), _) => b.proxy(p.clone()),
                (None, true) => b,
                (None, false) => b.no_proxy(),
            };
            b
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
                .pool_max_idle_per_host(if fresh { 0 } else { 64 })
                .tcp_nodelay(true)
                .tcp_keepalive(Duration::from_secs(30))
                .user_agent(concat!("ccgw/", env!("CARGO_PKG_VERSION")))
                .build()
                .map(|client| Pool { client, connections })
                .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("HTTP client set-up failed: {e}")))
        };
        Ok(Transport {
            multi: Arc::new(builder(false)?),
            lanes: crate::runtime::Lanes::new(),
            builder: Box::new(builder),
            nodes: crate::failover::Nodes::new(bases.len(), cfg.failover.clone()),
            bases,
            request_timeout: cfg.request_timeout,
            cookies: crate::cookies::Cookies::new(cfg.cookies),
        })
    }

    /// The pool of the runtime this exchange runs on, and whether that is a lane.
    fn pool(&self) -> Result<(Arc<Pool>, bool)> {
        match self.lanes.attached(|| (self.builder)(false))? {
            Some(p) => Ok((p, true)),
            None => Ok((self.multi.clone(), false)),
        }
    }

    /// The session's lanes, named to the runtime before a blocking call
    /// ([`crate::runtime::set_caller`]).
    pub fn lanes(&self) -> &Arc<crate::runtime::Lanes<Pool>> {
        &self.lanes
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// The one re-send of a request whose kept-alive connection turned out closed, on a
    /// client that keeps no connection (so it cannot meet another stale one), within what
    /// is left of the call's timeout.
    async fn resend(
        &self,
        op: &str,
        left: Duration,
        build: &(dyn Fn(&reqwest::Client, Duration) -> Result<reqwest::RequestBuilder> + Sync),
    ) -> Result<reqwest::Response> {
        if left.is_zero() {
            return Err(Error::new(
                CCGW_E_NOT_SENT,
                format!("{op}: the gateway had closed the kept-alive connection, and no time was left to send again; nothing was carried out"),
            ));
        }
        let fresh = (self.builder)(true)?;
        match build(&fresh.client, left)?.send().await {
            Ok(r) => Ok(r),
            Err(e) if e.is_connect() || is_canceled(&e) => {
                let why = classify_send_error(op, &e, left).message;
                Err(Error::new(
                    CCGW_E_NOT_SENT,
                    format!(
                        "{why} (sending again after the gateway had closed the kept-alive connection the request first went out on); nothing was carried out"
                    ),
                ))
            }
            Err(e) => Err(classify_send_error(op, &e, left)),
        }
    }

    /// Forgets the session's cookies (sign-out, close).
    pub fn clear_cookies(&self) {
        self.cookies.clear();
    }

    /// Checks that `path` makes a request URL below every base URL's resource root (the
    /// generic request calls this before anything else, so nothing is sent otherwise).
    pub fn check_path(&self, path: &str) -> Result<()> {
        self.bases.iter().try_for_each(|b| resource_url(b, path).map(drop))
    }

    /// Sends `req` under the fail-over policy ([`crate::failover`]): to the current base
    /// URL (a sign-in to the primary again unless it failed lately), on to the next when a
    /// node cannot take it, again after a pause with jitter where the policy allows, all
    /// within the call's timeout. Dropping the future aborts the exchange (and any pause).
    pub async fn send(&self, req: &Request<'_>) -> Exchange {
        use crate::failover::{replayable, verdict, Verdict};
        let nodes = &self.nodes;
        let n = nodes.count();
        let budget = req.timeout.unwrap_or(self.request_timeout);
        let started = Instant::now();
        let replay = replayable(&req.method, req.op);
        let mut i = nodes.start(req.op);
        let from = nodes.current();
        // Nodes tried in this round, rounds begun, and pauses taken riding a switchover out.
        let (mut tried, mut round, mut rides) = (0usize, 1u32, 0u32);
        // Why an attempt before the current one may have been carried out.
        let mut earlier: Option<String> = None;
        // The newest Set-GUID of an attempt that is not the last (a 2xx 000-004 may carry
        // one): handed on with the exchange returned, so no rotation is lost.
        let mut carried = SetGuid::Absent;
        // Whether any attempt met a node switching over (000-004).
        let mut switched_over = false;
        loop {
            let left = budget.saturating_sub(started.elapsed());
            let mut ex = self.send_to(&self.bases[i], req, left).await;
            ex.node = i;
            ex.earlier_may_have_run = earlier.clone();
            if matches!(ex.set_guid, SetGuid::Absent) {
                ex.set_guid = std::mem::replace(&mut carried, SetGuid::Absent);
            }
            let status = match &ex.outcome {
                Ok(env) if env.retcode != "0" => from_retcode(&env.retcode),
                Ok(_) => CCGW_OK,
                Err(e) => e.status,
            };
            if let Err(e) = &ex.outcome {
                if outcome(status) == CCGW_OUTCOME_MAY_HAVE_RUN {
                    earlier = Some(e.message.clone());
                }
            }
            let v = verdict(status);
            switched_over |= v == Verdict::Switchover;
            ex.switched_over = switched_over;
            // Whether a pause leaves time for another attempt within the call's timeout.
            let fits = |pause: Duration| pause + MIN_ATTEMPT <= budget.saturating_sub(started.elapsed());
            match v {
                Verdict::Done => {
                    if ex.outcome.is_ok() {
                        nodes.answered(i);
                    }
                    nodes.settle(req.op, from, i, "the node before it could not take the request");
                    return ex;
                }
                Verdict::Switchover if !nodes.switchover(i) => {
                    if !replay {
                        // Not carried out; the caller may call again (same node: the
                        // switchover has not lasted the wait yet).
                        nodes.settle(req.op, from, i, "the node before it could not take the request");
                        return ex;
                    }
                    // Ridden out on the same node.
                    rides += 1;
                    let pause = nodes.backoff(rides);
                    if !fits(pause) {
                        return ex;
                    }
                    log!(
                        Debug,
                        req.op,
                        "gateway node {} of {n} is switching over (000-004); asking again in {} ms",
                        i + 1,
                        pause.as_millis()
                    );
                    carried = ex.set_guid;
                    tokio::time::sleep(pause).await;
                    continue;
                }
                Verdict::Switchover => log!(
                    Warn,
                    req.op,
                    "gateway node {} of {n} has been switching over (000-004) for longer than {} ms",
                    i + 1,
                    nodes.policy.switchover_wait.as_millis()
                ),
                Verdict::Unsent | Verdict::Unavailable | Verdict::BadGateway => {}
            }
            nodes.failed(i);
            let next = nodes.next(i);
            if v != Verdict::Unsent && !replay {
                // The request reached a node: never sent again by the library. Its status
                // tells the caller whether it ran; a retry goes to the next node.
                if n > 1 {
                    nodes.settle(req.op, from, next, "the node before it failed an operation, which is not sent again");
                }
                return ex;
            }
            tried += 1;
            if tried >= n {
                // A certificate that did not verify, or a proxy's refusal, does not mend
                // with waiting.
                if round >= nodes.policy.retry_rounds || status == CCGW_E_TLS || status == CCGW_E_PROXY {
                    return ex;
                }
                round += 1;
                tried = 0;
                let pause = nodes.backoff(round - 1);
                if !fits(pause) {
                    return ex;
                }
                log!(
                    Warn,
                    req.op,
                    "no gateway node could take the request (last: node {} of {n}, status {status}); round {round} in {} ms",
                    i + 1,
                    pause.as_millis()
                );
                tokio::time::sleep(pause).await;
            } else {
                if budget.saturating_sub(started.elapsed()).is_zero() {
                    return ex;
                }
                log!(
                    Warn,
                    req.op,
                    "gateway node {} of {n} could not take the request (status {status}); trying node {}",
                    i + 1,
                    next + 1
                );
            }
            carried = ex.set_guid;
            i = next;
        }
    }

    /// One attempt at one base URL, within `timeout`.
    async fn send_to(&self, base: &Url, req: &Request<'_>, timeout: Duration) -> Exchange {
        let op = req.op;
        let started = Instant::now();
        let url = match resource_url(base, req.path) {
            Ok(u) => u,
            Err(e) => return Exchange::failed(e.in_operation(op)),
        };
        let (pool, on_lane) = match self.pool() {
            Ok(p) => p,
            Err(e) => return Exchange::failed(e),
        };
        let build = |client: &reqwest::Client, timeout: Duration| -> Result<reqwest::RequestBuilder> {
            let mut rb = client
                .request(req.method.clone(), url.clone())
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=UTF-8");
            if let Some(c) = self.cookies.header_for(&url) {
                rb = rb.header(reqwest::header::COOKIE, c);
            }
            if let Some(g) = req.guid {
                rb = rb.header("Guid", guid_header(g).map_err(|e| e.in_operation(op))?);
            }
            Ok(match &req.body {
                // A reference to the same wiped buffer, not a copy.
                Some(b) => rb.body(b.clone()),
                // RFC 9110 §8.6: a POST or PUT without content says so with `Content-Length:
                // 0` (the HTTP stack sends neither it nor `Transfer-Encoding` for an empty
                // body, and front ends such as IIS and several WAFs answer 411 then).
                None if req.method == Method::POST || req.method == Method::PUT => {
                    rb.header(reqwest::header::CONTENT_LENGTH, HeaderValue::from_static("0"))
                }
                None => rb,
            })
        };
        let rb = match build(&pool.client, timeout) {
            Ok(rb) => rb,
            Err(e) => return Exchange::failed(e),
        };
        log!(Debug, op, "{} {}", req.method, req.route());
        if on_lane {
            settle_lane().await;
        }
        let opened = pool.connections.load(Ordering::Relaxed);
        let reused = |e: &reqwest::Error| is_unanswered(e) && pool.connections.load(Ordering::Relaxed) == opened;
        let sent = match rb.send().await {
            // A read (GET) whose kept-alive connection the gateway (or a front end) had
            // closed, found out before any byte of an answer: sent once more on a new
            // connection. Only reads: from the client's side, a front end's idle close
            // crossing the request looks the same as a gateway that received the request,
            // acted on it and failed before answering, so nothing else is ever re-sent
            // (RFC 9110 §9.2.2: only idempotent requests may be retried automatically).
            Err(e) if req.method == Method::GET && reused(&e) => {
                log!(
                    Debug,
                    op,
                    "the kept-alive connection was closed before the gateway answered ({}); sending again on a new connection",
                    sanitize(&root_cause(&e), NETWORK_TEXT_MAX)
                );
                self.resend(op, timeout.saturating_sub(started.elapsed()), &build).await
            }
            Err(e) if is_canceled(&e) => Err(not_sent(op, &e)),
            Err(e) if reused(&e) => Err(Error::new(
                CCGW_E_CONNECTION_LOST,
                format!(
                    "{op}: the kept-alive connection closed before any answer ({}): a front end's idle close \
                     crossing the request, or the gateway failing after it received it; the outcome is unknown \
                     (not sent again: only reads are)",
                    sanitize(&root_cause(&e), NETWORK_TEXT_MAX)
                ),
            )),
            Err(e) => Err(classify_send_error(op, &e, timeout)),
            Ok(r) => Ok(r),
        };
        let resp = match sent {
            Ok(r) => r,
            Err(err) => {
                log!(
                    Warn,
                    op,
                    "{} {} failed after {} ms: {}",
                    req.method,
                    req.route(),
                    started.elapsed().as_millis(),
                    err.message
                );
                return Exchange::failed(err);
            }
        };
        let http_status = resp.status().as_u16();
        // Whatever the answer, a load balancer's cookie in it keeps this session on its node.
        self.cookies.take_from(resp.headers(), &url, op);
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
                return Exchange {
                    set_guid,
                    outcome: Err(err.with_http_status(http_status)),
                    node: 0,
                    earlier_may_have_run: None,
                    switched_over: false,
                };
            }
        };
        let outcome = read_envelope(op, http_status, &content_type, body);
        match &outcome {
            Ok(env) => {
                log!(Debug, op, "HTTP {http_status} retcode {} in {} ms", env.retcode, started.elapsed().as_millis())
            }
            Err(e) => log!(Warn, op, "{}", e.message),
        }
        Exchange { set_guid, outcome, node: 0, earlier_may_have_run: None, switched_over: false }
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
    read_envelope(op, http_status, content_type, body.to_vec())
}

/// [`parse_envelope`] on the body as read: a UTF-8 answer becomes the envelope's text
/// without a copy.
fn read_envelope(op: &str, http_status: u16, content_type: &str, body: Vec<u8>) -> Result<Envelope> {
    if !(200..300).contains(&http_status) {
        // 502/503/504 from whatever stands before the gateway (its body is not the
        // gateway's envelope) say whether the request reached it: see the statuses.
        let envelope = || serde_json::from_slice::<Value>(&body).is_ok_and(|v| v.get("retcode").is_some());
        let (status, what) = match http_status {
            503 if !envelope() => (
                CCGW_E_GATEWAY_UNAVAILABLE,
                "(Service Unavailable) before any gateway answer; the request was not carried out",
            ),
            502 | 504 if !envelope() => {
                (CCGW_E_BAD_GATEWAY, "from a front end before any gateway answer; the outcome is unknown")
            }
            _ => (CCGW_E_HTTP_STATUS, ""),
        };
        let message = if what.is_empty() {
            format!("{op}: the gateway answered HTTP {http_status}")
        } else {
            format!("{op}: HTTP {http_status} {what}")
        };
        return Err(Error::new(status, message).with_http_status(http_status));
    }
    let malformed = |why: String| Err(Error::new(CCGW_E_MALFORMED_RESPONSE, why).with_http_status(http_status));
    // An answer that does not read as JSON and does not say it is JSON.
    let not_json = || {
        let ct = content_type.split(';').next().unwrap_or("").trim();
        Err(Error::new(
            CCGW_E_UNEXPECTED_CONTENT_TYPE,
            format!("{op}: the answer is {}, not JSON (a proxy or portal page?)", sanitize(ct, 64)),
        )
        .with_http_status(http_status))
    };
    // Decoded by the charset the answer declares (UTF-8 when none).
    let text = match crate::charset::decode(content_type, &body) {
        Ok(t) => t,
        Err(_) if !is_json_type(content_type) => return not_json(),
        Err(why) => return malformed(format!("{op}: the answer {why}")),
    };
    // The whole body, already checked to be UTF-8: taken as it is.
    let whole = matches!(&text, std::borrow::Cow::Borrowed(t) if t.len() == body.len());
    let owned = if whole {
        drop(text);
        String::from_utf8(body).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    } else {
        text.into_owned()
    };
    let head = match read_head(&owned) {
        Ok(h) => h,
        Err(_) if !is_json_type(content_type) => return not_json(),
        Err(e) => {
            return malformed(format!(
                "{op}: the answer is not valid JSON ({})",
                sanitize(&e.to_string(), NETWORK_TEXT_MAX)
            ))
        }
    };
    let retcode = match head.retcode {
        Some(Scalar::Text(s)) => s,
        Some(Scalar::Number(n)) => n.to_string(),
        Some(Scalar::Other) => {
            return malformed(format!("{op}: the answer's retcode is neither a string nor a number"))
        }
        None => return malformed(format!("{op}: the answer has no retcode")),
    };
    if !is_retcode_shape(&retcode) {
        // Not quoted: it is no retcode, and could be anything.
        return malformed(format!(
            "{op}: the answer's retcode ({} characters) is not in a documented shape (NNN-NNN, or a number of at most {RETCODE_NUMBER_MAX_DIGITS} digits)",
            retcode.chars().count()
        ));
    }
    let message = match head.message {
        Some(Scalar::Text(s)) => s,
        _ => String::new(),
    };
    // The span of `result` in the text: the raw value borrows from it.
    let result = head.result.map(|raw| {
        let start = raw.get().as_ptr() as usize - owned.as_ptr() as usize;
        start..start + raw.get().len()
    });
    Ok(Envelope { http_status, retcode, message, event: head.event, text: owned, result })
}

/// One pass over the answer: the envelope's members, and the check that the text is one
/// JSON document.
fn read_head(text: &str) -> serde_json::Result<Head<'_>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let head = serde::Deserialize::deserialize(&mut de)?;
    de.end()?;
    Ok(head)
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

/// The rustls error (certificate or handshake failure) in an error chain, explained
/// ([`crate::tls::explain`]). It may quote the server's certificate (names it presents):
/// sanitized by the caller.
fn tls_cause(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    chain(e).find_map(|err| err.downcast_ref::<rustls::Error>()).map(crate::tls::explain)
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

/// A failure to open the tunnel through the forward proxy, from the error of the HTTP
/// stack's tunnel (hyper-util's `TunnelError`, which is not exported: known by its text).
/// Nothing reached the gateway in any of these cases.
fn proxy_error(op: &str, e: &reqwest::Error) -> Option<Error> {
    let what = chain(e).find_map(|err| err.to_string().strip_prefix("tunnel error: ").map(str::to_string))?;
    Some(match what.as_str() {
        "proxy authorization required" => Error::new(
            CCGW_E_PROXY_AUTH,
            format!(
                "{op}: the proxy requires credentials, or refused the ones given (407 Proxy Authentication \
                 Required); set proxy_username and proxy_password; nothing was sent to the gateway"
            ),
        ),
        "unsuccessful" => Error::new(
            CCGW_E_PROXY,
            format!(
                "{op}: the proxy refused to open a tunnel to the gateway (its answer to CONNECT was not 2xx: \
                 a policy refusal, or it cannot reach the gateway); nothing was sent to the gateway"
            ),
        ),
        "failed to create underlying connection" => Error::new(
            CCGW_E_PROXY,
            format!(
                "{op}: cannot connect to the proxy ({}); nothing was sent to the gateway",
                sanitize(&root_cause(e), NETWORK_TEXT_MAX)
            ),
        ),
        other => Error::new(
            CCGW_E_PROXY,
            format!(
                "{op}: the tunnel through the proxy failed ({}); nothing was sent to the gateway",
                sanitize(other, NETWORK_TEXT_MAX)
            ),
        ),
    })
}

/// Lets a lane take in the I/O that arrived while it was idle (a lane is driven only while
/// a call runs on it), so a kept-alive connection whose close has already arrived is seen
/// closed before the pool hands it out. The first yield makes the runtime poll its I/O
/// driver without blocking and queue the woken connection tasks; the second lets those
/// tasks run (process the FIN, leave the pool) before this request continues.
async fn settle_lane() {
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
}

/// Whether a request failed the way a kept-alive connection the server had already
/// closed fails: the connection ended in an orderly close (FIN, read as end of stream)
/// before any byte of an answer, or was found closed before the request went out. A
/// server closing an idle connection sends its FIN before the request reaches it, so it
/// never read the request. A reset (RST: a server aborting the connection, possibly after
/// reading the request) or a failure while writing is not this case, and neither is a
/// connect, TLS, timeout or parse failure.
fn is_unanswered(e: &reqwest::Error) -> bool {
    if e.is_connect() || e.is_timeout() || tls_cause(e).is_some() || is_malformed(e) {
        return false;
    }
    let reset = chain(e).any(|err| {
        err.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
            )
        })
    });
    !reset
        && chain(e).any(|err| {
            err.downcast_ref::<hyper::Error>().is_some_and(|h| h.is_incomplete_message() || h.is_canceled())
                || err.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::UnexpectedEof)
        })
}

/// Whether the HTTP stack gave the request up before writing it (its connection closed
/// first).
fn is_canceled(e: &reqwest::Error) -> bool {
    !e.is_connect() && chain(e).any(|err| err.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_canceled))
}

fn not_sent(op: &str, e: &reqwest::Error) -> Error {
    Error::new(
        CCGW_E_NOT_SENT,
        format!(
            "{op}: the connection closed before the request could be written ({}); nothing was carried out",
            sanitize(&root_cause(e), NETWORK_TEXT_MAX)
        ),
    )
}

fn classify_send_error(op: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    if let Some(tls) = tls_cause(e) {
        return Error::new(
            CCGW_E_TLS,
            // Each piece of certificate text in an explanation is bounded already; this is
            // the backstop for the whole.
            format!("{op}: TLS with the gateway failed: {}", sanitize(&tls, crate::error::MESSAGE_MAX - 100)),
        );
    }
    let cause = || sanitize(&root_cause(e), NETWORK_TEXT_MAX);
    if let Some(err) = proxy_error(op, e) {
        return err;
    }
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
        assert_eq!(parse_envelope("op", 503, "text/html", b"<html>").unwrap_err().status, CCGW_E_GATEWAY_UNAVAILABLE);
        assert_eq!(parse_envelope("op", 502, "text/html", b"<html>").unwrap_err().status, CCGW_E_BAD_GATEWAY);
        assert_eq!(parse_envelope("op", 504, "", b"").unwrap_err().status, CCGW_E_BAD_GATEWAY);
        assert_eq!(parse_envelope("op", 500, "text/html", b"<html>").unwrap_err().status, CCGW_E_HTTP_STATUS);
        assert_eq!(parse_envelope("op", 404, "", b"").unwrap_err().status, CCGW_E_HTTP_STATUS);
        // A gateway envelope with a 503 is the gateway's own answer, not a front end's.
        let gw503 = parse_envelope("op", 503, "application/json", br#"{"retcode":"100-007"}"#).unwrap_err();
        assert_eq!((gw503.status, gw503.http_status), (CCGW_E_HTTP_STATUS, 503));
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
    fn reused_urls_are_those_of_their_base_and_path() {
        let a = normalize_base_url("https://gw-a:8043", false).unwrap();
        let b = normalize_base_url("https://gw-b:8043/cc", false).unwrap();
        // More pairs than the thread keeps, asked twice over, alternating bases: every
        // answer is the URL built for exactly that base and path.
        for _ in 0..2 {
            for i in 0..2 * URL_CACHE {
                for base in [&a, &b] {
                    let path = format!("agentconf/{i}/queryconfinfos");
                    assert_eq!(resource_url(base, &path).unwrap(), build_resource_url(base, &path).unwrap());
                }
            }
        }
        // A refused path stays refused however often it is asked.
        for _ in 0..3 {
            assert_eq!(resource_url(&a, "a//x").unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
        }
    }

    #[test]
    fn envelopes_are_read_as_a_json_object_would_hold_them() {
        let env = |body: &str| parse_envelope("op", 200, "application/json", body.as_bytes());
        // A member given twice counts with its last value; escaped names are the names.
        let e = env(r#"{"retcode":"100-006","message":"a","retcode":"0","message":7,"result":1,"result":{"x":[1]}}"#)
            .unwrap();
        assert_eq!((e.retcode.as_str(), e.message.as_str(), e.result_text()), ("0", "", Some(r#"{"x":[1]}"#)));
        let e = env(r#"{"ret\u0063ode":"0","\u006dessage":"ok"}"#).unwrap();
        assert_eq!((e.retcode.as_str(), e.message.as_str(), e.result_text()), ("0", "ok", None));
        // Not an object: no retcode.
        for body in ["[]", "[1,{\"retcode\":\"0\"}]", "\"0\"", "0", "true", "null"] {
            let err = env(body).unwrap_err();
            assert!(err.message.contains("has no retcode"), "{body}: {}", err.message);
        }
        // Trailing text after the document is not JSON.
        assert_eq!(env(r#"{"retcode":"0"} x"#).unwrap_err().status, CCGW_E_MALFORMED_RESPONSE);
        // The event member as a value, null included.
        assert_eq!(env(r#"{"retcode":"0","event":null}"#).unwrap().event, Some(Value::Null));
        assert_eq!(env(r#"{"retcode":"0"}"#).unwrap().event, None);
        // Deep nesting: a member nobody reads is skipped without recursion; what is read
        // keeps serde_json's limit and is malformed beyond it.
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let e = env(&format!(r#"{{"retcode":"0","other":{},"result":{}}}"#, deep(100_000), deep(1_000))).unwrap();
        assert_eq!(e.result::<Value>().unwrap_err().classify(), serde_json::error::Category::Syntax);
        assert_eq!(e.result_value("op").unwrap_err().status, CCGW_E_MALFORMED_RESPONSE);
        assert_eq!(e.to_value("op").unwrap_err().status, CCGW_E_MALFORMED_RESPONSE);
        assert_eq!(
            env(&format!(r#"{{"retcode":"0","event":{}}}"#, deep(1_000))).unwrap_err().status,
            CCGW_E_MALFORMED_RESPONSE
        );
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
    fn bodies_are_written_whole() {
        let b = json_body(&serde_json::json!({"password": "p\"w", "n": 1}));
        assert_eq!(&b[..], br#"{"n":1,"password":"p\"w"}"#);
        // Beyond the first buffer: copied on into larger ones, whole.
        let long: Vec<String> = (0..400).map(|i| format!("7000{i}")).collect();
        let b = json_body(&serde_json::json!({ "a": long }));
        assert!(b.len() > 4 * BODY_START);
        assert_eq!(serde_json::from_slice::<Value>(&b).unwrap(), serde_json::json!({ "a": long }));
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
