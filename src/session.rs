//! An agent session: the agent id, the transport, and the Guid, which any answer's
//! `Set-GUID` replaces atomically. Sign-in (with forced sign-in on `100-002` when asked),
//! sign-out, `updateGuid`, attaching a Guid obtained elsewhere, and the generic exchange
//! every operation goes through.

use crate::error::{invalid, Error, Result};
use crate::limits::{self, Unit};
use crate::log::log;
use crate::status::*;
use crate::transport::{Envelope, Request, Transport, TransportConfig};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

/// `AUTHMODE` of the gateway (reference §2.2, §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// The Guid rotates; new values arrive on event-poll answers (the gateway default).
    Dynamic,
    /// The Guid from sign-in stays valid for the whole session.
    Static,
}

#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub transport: TransportConfig,
    pub agent_id: String,
    /// Highest agent id accepted (59999 per the seed pages; 999999 on newer gateways).
    pub agent_id_max: u32,
    pub auth_mode: AuthMode,
}

/// Per-call options: a timeout overriding the session's, and a cancellation token.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    pub timeout: Option<Duration>,
    pub cancel: Option<CancellationToken>,
}

/// Whether an exchange sends the session's Guid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuidUse {
    /// Needed: without one the call fails with `CCGW_E_NOT_SIGNED_IN`, sending nothing.
    Required,
    /// Sent when the session has one (the generic request).
    IfPresent,
    /// Never sent (sign-in, whose headers carry no Guid).
    Never,
}

/// What one exchange brought back.
pub struct Answer {
    pub env: Envelope,
    /// The answer carried a `Set-GUID` (already stored).
    pub got_guid: bool,
}

/// Counts live sessions for [`crate::runtime::shutdown`].
struct LiveToken;

impl LiveToken {
    fn new() -> LiveToken {
        crate::runtime::LIVE.fetch_add(1, Ordering::SeqCst);
        LiveToken
    }
}

impl Drop for LiveToken {
    fn drop(&mut self) {
        crate::runtime::LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct Inner {
    pub agent_id: String,
    pub transport: Transport,
    pub auth_mode: AuthMode,
    guid: RwLock<Option<Zeroizing<String>>>,
    /// Incremented on every change of the Guid.
    guid_changes: AtomicU64,
    closed: CancellationToken,
    /// The event queue, pump and callback dispatcher (`crate::events`).
    pub events: crate::events::Hub,
    /// The live conference view and invite trackers (`crate::confview`), fed by the pump.
    pub confs: crate::confview::ConfModel,
    _live: LiveToken,
}

/// A session handle; clones share the session.
#[derive(Clone)]
pub struct Session(pub Arc<Inner>);

/// Longest Guid accepted from the caller (the gateway's are about 51 characters).
const GUID_MAX: usize = 256;

fn check_guid(guid: &str) -> Result<()> {
    if guid.trim().is_empty() {
        return Err(crate::error::missing("Guid"));
    }
    limits::max_len("Guid", guid, GUID_MAX, Unit::Bytes)?;
    if !guid.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid("the Guid must be printable ASCII without spaces (it travels in an HTTP header)"));
    }
    Ok(())
}

impl Session {
    pub fn new(cfg: &SessionConfig) -> Result<Session> {
        limits::agent_id(&cfg.agent_id, cfg.agent_id_max)?;
        let transport = Transport::new(&cfg.transport)?;
        Ok(Session(Arc::new(Inner {
            agent_id: cfg.agent_id.trim().to_string(),
            transport,
            auth_mode: cfg.auth_mode,
            guid: RwLock::new(None),
            guid_changes: AtomicU64::new(0),
            closed: CancellationToken::new(),
            events: crate::events::Hub::default(),
            confs: crate::confview::ConfModel::new(&cfg.agent_id),
            _live: LiveToken::new(),
        })))
    }

    pub fn agent_id(&self) -> &str {
        &self.0.agent_id
    }

    /// A copy of the current Guid (cleared from memory when dropped).
    pub fn guid(&self) -> Option<Zeroizing<String>> {
        self.0.guid.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many times the Guid has changed.
    pub fn guid_changes(&self) -> u64 {
        self.0.guid_changes.load(Ordering::SeqCst)
    }

    fn store_guid(&self, guid: Option<String>, op: &str) {
        let mut slot = self.0.guid.write().unwrap_or_else(|e| e.into_inner());
        let changed = match (&*slot, &guid) {
            (Some(old), Some(new)) => old.as_str() != new.as_str(),
            (None, None) => false,
            _ => true,
        };
        if changed {
            *slot = guid.map(Zeroizing::new);
            drop(slot);
            self.0.guid_changes.fetch_add(1, Ordering::SeqCst);
            log!(Info, op, "Guid replaced");
        }
    }

    /// Attaches a Guid obtained elsewhere (an application that signs in by other means).
    pub fn set_guid(&self, guid: &str) -> Result<()> {
        check_guid(guid)?;
        self.store_guid(Some(guid.to_string()), "attachGuid");
        Ok(())
    }

    /// Forgets the Guid (the gateway session, if any, is left alone).
    pub fn clear_guid(&self) {
        self.store_guid(None, "clearGuid");
    }

    /// Closes the session: calls in flight end with `CCGW_E_CLOSED`, the pump ends, and
    /// the event queue closes (events already queued can still be taken).
    pub fn close(&self) {
        if !self.0.closed.is_cancelled() {
            log!(Debug, "session", "session closed");
        }
        self.0.closed.cancel();
        self.0.events.queue.close();
    }

    pub fn is_closed(&self) -> bool {
        self.0.closed.is_cancelled()
    }

    /// Resolves when the session is closed.
    pub async fn closed(&self) {
        self.0.closed.cancelled().await
    }

    /// A token cancelled when the session closes (holding it does not keep the session alive).
    pub fn close_token(&self) -> CancellationToken {
        self.0.closed.clone()
    }

    fn closed_error(op: &str) -> Error {
        Error::new(CCGW_E_CLOSED, format!("{op}: the session is closed"))
    }

    /// One exchange with the gateway: the Guid header as `guid_use` says, the
    /// session's timeout unless overridden, cancellation by close or by `opts.cancel`, the
    /// answer's `Set-GUID` taken whatever the outcome, and a non-"0" retcode turned into
    /// its status.
    pub async fn exchange(
        &self,
        op: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        guid_use: GuidUse,
        opts: &CallOptions,
    ) -> Result<Answer> {
        if self.is_closed() {
            return Err(Self::closed_error(op));
        }
        let guid = match guid_use {
            GuidUse::Required => Some(self.guid().ok_or_else(|| {
                Error::new(CCGW_E_NOT_SIGNED_IN, format!("{op}: the session has no Guid; sign in first"))
            })?),
            GuidUse::IfPresent => self.guid(),
            GuidUse::Never => None,
        };
        let body = body.map(|b| serde_json::to_vec(b).expect("JSON values serialize"));
        let req = Request { op, method, path, body, guid: guid.as_ref().map(|g| g.as_str()), timeout: opts.timeout };
        let cancelled = async {
            match &opts.cancel {
                Some(c) => c.cancelled().await,
                None => std::future::pending().await,
            }
        };
        let ex = tokio::select! {
            ex = self.0.transport.send(&req) => ex,
            _ = self.0.closed.cancelled() => {
                crate::runtime::note_abandoned_request();
                return Err(Self::closed_error(op));
            }
            _ = cancelled => {
                crate::runtime::note_abandoned_request();
                return Err(Error::new(CCGW_E_CANCELLED, format!("{op}: cancelled")));
            }
        };
        if ex.outcome.is_err() {
            // A transport failure may leave a connection to close (a timed-out request).
            crate::runtime::note_abandoned_request();
        }
        drop(guid);
        let got_guid = ex.set_guid.is_some();
        if let Some(g) = ex.set_guid {
            if self.0.auth_mode == AuthMode::Static && !matches!(op, "login" | "forceLogin" | "updateGuid") {
                log!(Warn, op, "the gateway sent a new Guid although the session is in static authentication mode");
            }
            if check_guid(&g).is_ok() {
                self.store_guid(Some(g), op);
            } else {
                log!(Warn, op, "ignored a Set-GUID header that is not a usable Guid");
            }
        }
        let env = ex.outcome?;
        if env.retcode != "0" {
            return Err(Error::gateway(op, &env.retcode, &env.message, env.http_status));
        }
        Ok(Answer { env, got_guid })
    }

    pub async fn sign_in(&self, req: &SignInRequest, opts: &CallOptions) -> Result<SignInResult> {
        req.validate()?;
        let body = req.to_json();
        let path = format!("onlineagent/{}", self.0.agent_id);
        let first = self.exchange("login", Method::PUT, &path, Some(&body), GuidUse::Never, opts).await;
        let (answer, forced) = match first {
            Err(e) if e.status == CCGW_E_GW_ALREADY_SIGNED_IN && req.force => {
                log!(Info, "login", "the agent is already signed in; signing in by force");
                let path = format!("onlineagent/{}/forcelogin", self.0.agent_id);
                (self.exchange("forceLogin", Method::PUT, &path, Some(&body), GuidUse::Never, opts).await?, true)
            }
            other => (other?, false),
        };
        if !answer.got_guid {
            return Err(Error::new(
                CCGW_E_MALFORMED_RESPONSE,
                "login: the gateway signed the agent in but sent no Set-GUID header",
            )
            .with_http_status(answer.env.http_status));
        }
        log!(Info, if forced { "forceLogin" } else { "login" }, "agent {} signed in", self.0.agent_id);
        Ok(SignInResult::from_answer(answer.env.json.get("result"), forced))
    }

    /// Signs out. The Guid is forgotten when the gateway confirms, or says the agent was
    /// not (or no longer) signed in.
    pub async fn sign_out(&self, opts: &CallOptions) -> Result<()> {
        // The pump would only poll a signed-out agent; stop it first.
        self.stop_events().await;
        let path = format!("onlineagent/{}/logout", self.0.agent_id);
        let r = self.exchange("logout", Method::DELETE, &path, None, GuidUse::Required, opts).await;
        if r.is_ok() {
            self.0.confs.signed_out();
        }
        match &r {
            Ok(_) => self.clear_guid(),
            Err(e) if matches!(e.status, CCGW_E_GW_NOT_SIGNED_IN | CCGW_E_GW_ALREADY_SIGNED_OUT) => self.clear_guid(),
            Err(_) => {}
        }
        r.map(|_| ())
    }

    /// `updateGuid`: asks the gateway for a fresh Guid.
    pub async fn update_guid(&self, opts: &CallOptions) -> Result<()> {
        let path = format!("onlineagent/{}/updateGuid", self.0.agent_id);
        let answer = self.exchange("updateGuid", Method::PUT, &path, None, GuidUse::Required, opts).await?;
        if !answer.got_guid {
            match answer.env.json.pointer("/result/guid").and_then(Value::as_str) {
                Some(g) => self.set_guid(g).map_err(|e| e.in_operation("updateGuid"))?,
                None => return Err(Error::new(CCGW_E_MALFORMED_RESPONSE, "updateGuid: the answer carries no Guid")),
            }
        }
        Ok(())
    }

    /// Any gateway interface: `path` is relative to `/agentgateway/resource/` and may use
    /// `{agentid}`; `body` must be JSON. Returns the whole answer.
    pub async fn request(&self, method: &str, path: &str, body: Option<&str>, opts: &CallOptions) -> Result<Value> {
        let m = match method.trim().to_ascii_uppercase().as_str() {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "DELETE" => Method::DELETE,
            other => {
                return Err(invalid(format!("method {other:?} is not one the gateway uses (GET, POST, PUT, DELETE)")))
            }
        };
        crate::transport::check_relative_path(path)?;
        let path = path.replace("{agentid}", &self.0.agent_id);
        let body: Option<Value> = match body {
            None => None,
            Some(b) => Some(serde_json::from_str(b).map_err(|e| invalid(format!("the body is not valid JSON: {e}")))?),
        };
        let op = generic_op_name(&path);
        let answer = self.exchange(&op, m, &path, body.as_ref(), GuidUse::IfPresent, opts).await?;
        Ok(answer.env.json)
    }
}

/// Log name for a generic request: the interface's last path word (`requestagentconf`).
fn generic_op_name(path: &str) -> String {
    let p = path.split('?').next().unwrap_or(path);
    let words: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    match words.as_slice() {
        [family, _agent] => (*family).to_string(),
        [_, _, op, ..] => (*op).to_string(),
        _ => p.to_string(),
    }
}

/// The sign-in interface's body fields (reference §3.1). `None` leaves a field out so the
/// gateway's default applies.
#[derive(Clone, Debug, Default)]
pub struct SignInRequest {
    pub password: Zeroizing<String>,
    pub phonenum: Option<String>,
    pub autoanswer: Option<bool>,
    pub autoenteridle: Option<bool>,
    pub releasephone: Option<bool>,
    pub agenttype: Option<i64>,
    pub status: Option<i64>,
    pub ip: Option<String>,
    pub entry_ip: Option<String>,
    pub phonelinkage: Option<bool>,
    pub check_in_webm: Option<bool>,
    pub check_in_mailm: Option<bool>,
    pub vc_phone_number: Option<String>,
    pub listen_status: Option<bool>,
    /// On `100-002` (already signed in), sign in by force.
    pub force: bool,
}

impl SignInRequest {
    pub fn validate(&self) -> Result<()> {
        limits::max_len("password", &self.password, 32, Unit::Chars)?;
        limits::optional("phonenum", self.phonenum.as_deref(), 24, Unit::Chars)?;
        if self.force {
            limits::required("phonenum (mandatory for forced sign-in)", self.phonenum.as_deref(), 24, Unit::Chars)?;
        }
        if let Some(t) = self.agenttype {
            limits::one_of("agenttype", t, &[4, 11], "4 (PC + phone) or 11 (PC + phone, video)")?;
        }
        if let Some(s) = self.status {
            limits::one_of("status", s, &[3, 4, 5], "3 (busy), 4 (idle) or 5 (wrap-up)")?;
        }
        if let Some(ip) = &self.ip {
            limits::max_len("ip", ip, 15, Unit::Chars)?;
            if ip.parse::<std::net::Ipv4Addr>().is_err() {
                return Err(invalid(format!("ip {ip:?} is not an IPv4 address (the gateway takes no IPv6)")));
            }
        }
        if let Some(e) = &self.entry_ip {
            if e.trim().is_empty() {
                return Err(crate::error::missing("entryIp"));
            }
        }
        limits::optional("vcPhoneNumber", self.vc_phone_number.as_deref(), 24, Unit::Chars)?;
        Ok(())
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("password".into(), json!(self.password.as_str()));
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        };
        put("phonenum", self.phonenum.as_ref().map(|v| json!(v)));
        put("autoanswer", self.autoanswer.map(|v| json!(v)));
        put("autoenteridle", self.autoenteridle.map(|v| json!(v)));
        put("releasephone", self.releasephone.map(|v| json!(v)));
        put("agenttype", self.agenttype.map(|v| json!(v)));
        put("status", self.status.map(|v| json!(v)));
        put("ip", self.ip.as_ref().map(|v| json!(v)));
        put("entryIp", self.entry_ip.as_ref().map(|v| json!(v)));
        put("phonelinkage", self.phonelinkage.map(|v| json!(v)));
        put("checkInWebm", self.check_in_webm.map(|v| json!(v)));
        put("checkInMailm", self.check_in_mailm.map(|v| json!(v)));
        put("vcPhoneNumber", self.vc_phone_number.as_ref().map(|v| json!(v)));
        put("listenStatus", self.listen_status.map(|v| json!(v)));
        Value::Object(m)
    }
}

/// The sign-in answer's `result` (reference §3.1), numbers accepted as JSON numbers or strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SignInResult {
    /// VDN (VCC) id; -1 when absent.
    pub vdn_id: i64,
    pub work_no: String,
    /// Three T/F flags: CTI server, WebM, MailM.
    pub media_type: String,
    /// Sign-in time, ms since the epoch; -1 when absent.
    pub login_time: i64,
    /// Whether the password must be changed; None when absent.
    pub is_force_change: Option<bool>,
    pub server_name: String,
    /// Days until the password expires; -1 when absent or empty (never).
    pub time_remaining: i64,
    /// Signed in through forced sign-in.
    pub forced: bool,
}

/// An integer sent as a JSON number or as a decimal string.
pub fn lenient_i64(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn lenient_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A string member, or a number rendered as text.
pub fn lenient_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl SignInResult {
    pub fn from_answer(result: Option<&Value>, forced: bool) -> SignInResult {
        let get = |k: &str| result.and_then(|r| r.get(k));
        SignInResult {
            vdn_id: lenient_i64(get("vdnid")).unwrap_or(-1),
            work_no: lenient_string(get("workno")),
            media_type: lenient_string(get("mediatype")),
            login_time: lenient_i64(get("loginTime")).unwrap_or(-1),
            is_force_change: lenient_bool(get("isForceChange")),
            server_name: lenient_string(get("serverName")),
            time_remaining: lenient_i64(get("timeRemaining")).unwrap_or(-1),
            forced,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_limits() {
        let ok = SignInRequest { password: Zeroizing::new("p".repeat(32)), ..Default::default() };
        assert!(ok.validate().is_ok());
        let long = SignInRequest { password: Zeroizing::new("p".repeat(33)), ..Default::default() };
        assert_eq!(long.validate().unwrap_err().status, CCGW_E_TOO_LONG);
        let force = SignInRequest { force: true, ..Default::default() };
        assert_eq!(force.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        let status = SignInRequest { status: Some(6), ..Default::default() };
        assert_eq!(status.validate().unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        let ip = SignInRequest { ip: Some("::1".into()), ..Default::default() };
        assert_eq!(ip.validate().unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
    }

    #[test]
    fn sign_in_result_takes_both_typings() {
        let r = json!({"vdnid": 1, "workno": "291", "mediatype": "TTF", "loginTime": "1471585949806",
                       "isForceChange": "false", "serverName": "AgentGateway", "timeRemaining": "9"});
        let s = SignInResult::from_answer(Some(&r), false);
        assert_eq!((s.vdn_id, s.login_time, s.time_remaining, s.is_force_change), (1, 1471585949806, 9, Some(false)));
        let r = json!({"vdnid": "7", "timeRemaining": ""});
        let s = SignInResult::from_answer(Some(&r), true);
        assert_eq!((s.vdn_id, s.time_remaining, s.forced), (7, -1, true));
    }

    #[test]
    fn generic_operation_names() {
        assert_eq!(generic_op_name("agentconf/101/requestagentconf"), "requestagentconf");
        assert_eq!(generic_op_name("voicecall/101/gethold?callid=1"), "gethold");
        assert_eq!(generic_op_name("onlineagent/101"), "onlineagent");
    }
}
