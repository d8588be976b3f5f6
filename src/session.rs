//! An agent session: the agent id, the transport, and the Guid, which any answer's
//! `Set-GUID` replaces atomically. Sign-in (with forced sign-in on `100-002` when asked),
//! sign-out, `updateGuid`, attaching a Guid obtained elsewhere, and the generic exchange
//! every operation goes through.

use crate::error::{invalid, Error, Result};
use crate::limits::{self, Unit};
use crate::log::log;
use crate::status::*;
use crate::transport::{json_body, redact_echo, Envelope, Request, SetGuid, Transport, TransportConfig};
use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
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

/// What became of an answer's `Set-GUID` (read from 2xx answers only).
#[derive(Debug)]
pub enum GuidSeen {
    /// The answer carried none.
    None,
    /// A usable Guid, now the session's.
    Stored,
    /// A usable Guid, left to the caller to adopt (sign-in and `updateGuid` adopt theirs
    /// only when they succeed).
    Offered(Zeroizing<String>),
    /// One the library refuses: why (never the value).
    Refused(&'static str),
}

/// Where an exchange went ([`Session::exchange_at`]).
#[derive(Debug, Default)]
pub struct Route {
    /// Index of the base URL (0 = `base_url`, then the fallbacks) the request last went
    /// to; `None` when nothing was sent.
    pub node: Option<usize>,
    /// Why an earlier attempt of the same exchange may have been carried out, when the
    /// transport sent it again ([`crate::transport::Exchange::earlier_may_have_run`]).
    pub earlier_may_have_run: Option<String>,
    /// Whether a node answered `000-004` to an attempt of the exchange
    /// ([`crate::transport::Exchange::switched_over`]).
    pub switched_over: bool,
}

/// What one exchange brought back.
pub struct Answer {
    pub env: Envelope,
    pub guid: GuidSeen,
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
    /// The sign-in request kept for signing in again (`auto_resign_in`), wiped when
    /// dropped: at sign-out, close, or the next sign-in.
    kept: Mutex<Option<KeptSignIn>>,
    /// Set while this session signs out (so the pump does not take the gateway's
    /// `AgentOther_ShutdownService` for a loss, nor sign in again), cleared by a
    /// successful sign-in, an attached Guid or a new pump.
    signing_out: AtomicBool,
    /// Set when a sign-in again by the pump failed or was given up in a way that may have
    /// signed the agent in anyway (its answer lost, or cancelled in flight); cleared by a
    /// successful sign-in. A sign-out finding no Guid then says the agent may still be
    /// signed in, instead of only "not signed in".
    sign_in_in_doubt: AtomicBool,
    _live: LiveToken,
}

/// A sign-in request kept for the session's life: every string in it is wiped when it is
/// dropped (the password is a `Zeroizing` buffer already; the phone number, addresses and
/// VC number are call data). Never logged (`SignInRequest`'s `Debug` hides them).
pub struct KeptSignIn(pub SignInRequest);

impl Drop for KeptSignIn {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        let r = &mut self.0;
        r.phonenum.zeroize();
        r.ip.zeroize();
        r.entry_ip.zeroize();
        r.vc_phone_number.zeroize();
    }
}

/// A session handle; clones share the session.
#[derive(Clone)]
pub struct Session(pub Arc<Inner>);

/// Longest Guid accepted, from the caller or in `Set-GUID` (the gateway's are about 51
/// characters).
pub const GUID_MAX: usize = 256;

/// Why `guid` cannot be used as a Guid (it travels in an HTTP header), or None.
pub fn guid_problem(guid: &str) -> Option<&'static str> {
    if guid.trim().is_empty() {
        Some("is empty")
    } else if guid.len() > GUID_MAX {
        Some("is longer than 256 bytes")
    } else if guid.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("contains a space or control character")
    } else if !guid.bytes().all(|b| b.is_ascii_graphic()) {
        Some("is not printable ASCII")
    } else {
        None
    }
}

fn check_guid(guid: &str) -> Result<()> {
    match guid_problem(guid) {
        None => Ok(()),
        Some("is empty") => Err(crate::error::missing("Guid")),
        Some(_) if guid.len() > GUID_MAX => limits::max_len("Guid", guid, GUID_MAX, Unit::Bytes),
        Some(_) => Err(invalid("the Guid must be printable ASCII without spaces (it travels in an HTTP header)")),
    }
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
            kept: Mutex::new(None),
            signing_out: AtomicBool::new(false),
            sign_in_in_doubt: AtomicBool::new(false),
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

    fn store_guid(&self, guid: Option<Zeroizing<String>>, op: &str) {
        let mut slot = self.0.guid.write().unwrap_or_else(|e| e.into_inner());
        let changed = match (&*slot, &guid) {
            (Some(old), Some(new)) => old.as_str() != new.as_str(),
            (None, None) => false,
            _ => true,
        };
        if changed {
            *slot = guid;
            drop(slot);
            self.0.guid_changes.fetch_add(1, Ordering::SeqCst);
            log!(Info, op, "Guid replaced");
        }
    }

    /// Attaches a Guid obtained elsewhere (an application that signs in by other means).
    pub fn set_guid(&self, guid: &str) -> Result<()> {
        check_guid(guid)?;
        self.store_guid(Some(Zeroizing::new(guid.to_string())), "attachGuid");
        self.clear_signing_out();
        Ok(())
    }

    /// Forgets the Guid (the gateway session, if any, is left alone).
    pub fn clear_guid(&self) {
        self.store_guid(None, "clearGuid");
    }

    /// Closes the session: calls in flight end with `CCGW_E_CLOSED`, the pump ends, the
    /// event queue closes (events already queued can still be taken), and the Guid is
    /// wiped (a closed session uses it no more; the agent stays signed in at the gateway).
    pub fn close(&self) {
        if !self.0.closed.is_cancelled() {
            log!(Debug, "session", "session closed");
        }
        self.0.closed.cancel();
        self.0.events.queue.close();
        self.forget_sign_in();
        self.clear_guid();
        self.0.transport.clear_cookies();
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
    /// `Set-GUID` of a 2xx answer taken whatever its retcode (a refused value is logged
    /// and leaves the Guid alone), and a non-"0" retcode turned into its status. `body` is
    /// JSON in a wiped buffer ([`json_body`]).
    pub async fn exchange(
        &self,
        op: &str,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        guid_use: GuidUse,
        opts: &CallOptions,
    ) -> Result<Answer> {
        self.exchange_with(op, method, path, body, guid_use, true, opts).await
    }

    /// `POST` of a JSON body (or none) with the session's Guid: how the seed operations are
    /// sent.
    pub async fn post<B: Serialize + ?Sized>(
        &self,
        op: &str,
        path: &str,
        body: Option<&B>,
        opts: &CallOptions,
    ) -> Result<Answer> {
        self.exchange(op, Method::POST, path, body.map(json_body), GuidUse::Required, opts).await
    }

    /// [`Session::exchange`] that also says where the request went ([`Route`]). The event
    /// pump compares the node across polls to see a fail-over, and reports a gap for a
    /// poll the transport sent again after an attempt that may have dequeued an event.
    pub async fn exchange_at(
        &self,
        op: &str,
        method: Method,
        path: &str,
        guid_use: GuidUse,
        opts: &CallOptions,
    ) -> (Result<Answer>, Route) {
        let mut route = Route::default();
        let r = self.exchange_inner(op, method, path, None, guid_use, true, opts, &mut route).await;
        (r, route)
    }

    /// [`Session::exchange`], where `adopt` false leaves a usable `Set-GUID` to the
    /// caller ([`GuidSeen::Offered`]) instead of storing it.
    #[allow(clippy::too_many_arguments)]
    async fn exchange_with(
        &self,
        op: &str,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        guid_use: GuidUse,
        adopt: bool,
        opts: &CallOptions,
    ) -> Result<Answer> {
        self.exchange_inner(op, method, path, body, guid_use, adopt, opts, &mut Route::default()).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn exchange_inner(
        &self,
        op: &str,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        guid_use: GuidUse,
        adopt: bool,
        opts: &CallOptions,
        went: &mut Route,
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
        let req = Request {
            op,
            method,
            path,
            agent_id: &self.0.agent_id,
            body,
            guid: guid.as_ref().map(|g| g.as_str()),
            timeout: opts.timeout,
        };
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
        went.node = Some(ex.node);
        went.earlier_may_have_run = ex.earlier_may_have_run.clone();
        went.switched_over = ex.switched_over;
        if ex.outcome.is_err() {
            // A transport failure may leave a connection to close (a timed-out request).
            crate::runtime::note_abandoned_request();
        }
        let seen = match ex.set_guid {
            SetGuid::Absent => GuidSeen::None,
            SetGuid::Unreadable => GuidSeen::Refused("is not printable ASCII"),
            SetGuid::Value(g) => match guid_problem(&g) {
                Some(why) => GuidSeen::Refused(why),
                None if adopt => {
                    if self.0.auth_mode == AuthMode::Static {
                        log!(
                            Warn,
                            op,
                            "the gateway sent a new Guid although the session is in static authentication mode"
                        );
                    }
                    self.store_guid(Some(g), op);
                    GuidSeen::Stored
                }
                None => GuidSeen::Offered(g),
            },
        };
        if let GuidSeen::Refused(why) = &seen {
            log!(Warn, op, "ignored a Set-GUID header whose value {why}");
        }
        let env = match ex.outcome {
            Ok(env) => env,
            // A 2xx answer with a usable Set-GUID, then a failure (a body that cannot be
            // read or decoded): the gateway answered, so it may well have carried the
            // request out. Never report such a call as a plain failure.
            Err(e) if matches!(seen, GuidSeen::Stored | GuidSeen::Offered(_)) => {
                let held = match seen {
                    GuidSeen::Stored => "; the session now holds the new Guid it carried",
                    _ => "",
                };
                let message = format!(
                    "{}; but the gateway accepted the request (HTTP 2xx with a new Guid): it may have carried it out{held}",
                    e.message
                );
                return Err(Error { message, gateway_may_have_acted: true, ..e });
            }
            Err(e) => return Err(e),
        };
        if env.retcode != "0" {
            // The gateway's words may echo what was sent (a call id, a number, the Guid).
            let sent: [&[u8]; 3] = [
                path.as_bytes(),
                req.body.as_deref().unwrap_or_default(),
                req.guid.map(str::as_bytes).unwrap_or_default(),
            ];
            let message = redact_echo(&env.message, &sent, &[&self.0.agent_id]);
            return Err(Error::gateway(op, &env.retcode, &message, env.http_status));
        }
        Ok(Answer { env, guid: seen })
    }

    /// Signs in (forced on `100-002` when asked). The Guid of the answer is adopted only
    /// when the sign-in succeeds. A sign-in whose answer is malformed (no usable
    /// `Set-GUID`, or not the envelope) may nevertheless have signed the agent in, which
    /// ends any earlier Guid: the session then holds no Guid and the message says the
    /// agent may be signed in. Any other failure leaves the Guid as it was.
    pub async fn sign_in(&self, req: &SignInRequest, opts: &CallOptions) -> Result<SignInResult> {
        req.validate()?;
        // Serialized once, straight into a wiped buffer shared by both attempts.
        let body = req.body();
        let path = format!("onlineagent/{}", self.0.agent_id);
        let first =
            self.exchange_with("login", Method::PUT, &path, Some(body.clone()), GuidUse::Never, false, opts).await;
        let (op, outcome) = match first {
            Err(e) if e.status == CCGW_E_GW_ALREADY_SIGNED_IN && req.force => {
                log!(Info, "login", "the agent is already signed in; signing in by force");
                let path = format!("onlineagent/{}/forcelogin", self.0.agent_id);
                (
                    "forceLogin",
                    self.exchange_with("forceLogin", Method::PUT, &path, Some(body), GuidUse::Never, false, opts).await,
                )
            }
            other => ("login", other),
        };
        let may_be_signed_in = |e: Error| {
            self.clear_guid();
            let message = format!(
                "{}; the agent may be signed in at the gateway, and the session holds no Guid \
                 (sign in again with force)",
                e.message
            );
            Error { message, ..e }
        };
        let answer = match outcome {
            Ok(a) => a,
            Err(e) if e.status == CCGW_E_MALFORMED_RESPONSE || e.gateway_may_have_acted => {
                return Err(may_be_signed_in(e))
            }
            Err(e) => return Err(e),
        };
        // Read before any Guid is adopted: an answer whose result cannot be read (nested
        // beyond the limit) is malformed, and the session then holds no Guid.
        let result = match answer.env.result_value(op) {
            Ok(r) => r,
            Err(e) => return Err(may_be_signed_in(e)),
        };
        let guid = match answer.guid {
            GuidSeen::Offered(g) => g,
            GuidSeen::Refused(why) => {
                return Err(may_be_signed_in(
                    Error::new(
                        CCGW_E_MALFORMED_RESPONSE,
                        format!("{op}: the gateway accepted the sign-in but its Set-GUID value {why}"),
                    )
                    .with_http_status(answer.env.http_status),
                ))
            }
            GuidSeen::None | GuidSeen::Stored => {
                return Err(may_be_signed_in(
                    Error::new(
                        CCGW_E_MALFORMED_RESPONSE,
                        format!("{op}: the gateway accepted the sign-in but sent no Set-GUID header"),
                    )
                    .with_http_status(answer.env.http_status),
                ))
            }
        };
        self.store_guid(Some(guid), op);
        self.0.signing_out.store(false, Ordering::SeqCst);
        self.0.sign_in_in_doubt.store(false, Ordering::SeqCst);
        log!(Info, op, "agent {} signed in", self.0.agent_id);
        Ok(SignInResult::from_answer(result.as_ref(), op == "forceLogin"))
    }

    /// Signs in as the application asked, and keeps the request for signing in again
    /// when `auto_resign_in` is set (any earlier kept request is wiped either way).
    pub async fn sign_in_kept(&self, req: &SignInRequest, opts: &CallOptions) -> Result<SignInResult> {
        let r = self.sign_in(req, opts).await?;
        let kept = req.auto_resign_in.then(|| KeptSignIn(req.clone()));
        *self.0.kept.lock().unwrap_or_else(|e| e.into_inner()) = kept;
        Ok(r)
    }

    /// A copy of the kept sign-in request (wiped when dropped), if `auto_resign_in` is on.
    pub fn kept_sign_in(&self) -> Option<KeptSignIn> {
        self.0.kept.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|k| KeptSignIn(k.0.clone()))
    }

    /// Whether the session keeps its sign-in request for signing in again.
    pub fn auto_resign_in(&self) -> bool {
        self.0.kept.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Wipes the kept sign-in request (sign-out, close).
    pub fn forget_sign_in(&self) {
        self.0.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Whether this session is signing out (or has signed out) since its last sign-in.
    pub fn signing_out(&self) -> bool {
        self.0.signing_out.load(Ordering::SeqCst)
    }

    /// Notes whether the pump's last sign-in again may have signed the agent in although
    /// it did not succeed (see `sign_in_in_doubt`).
    pub(crate) fn set_sign_in_in_doubt(&self, doubt: bool) {
        self.0.sign_in_in_doubt.store(doubt, Ordering::SeqCst);
    }

    /// A new pump, or a Guid attached by the application, starts a new session life: a
    /// later `AgentOther_ShutdownService` is not that sign-out's.
    pub(crate) fn clear_signing_out(&self) {
        self.0.signing_out.store(false, Ordering::SeqCst);
    }

    /// Signs out. The Guid is forgotten when the gateway confirms, or says the agent was
    /// not (or no longer) signed in.
    pub async fn sign_out(&self, opts: &CallOptions) -> Result<()> {
        // Never sign in again after this; the gateway's ShutdownService is ours.
        self.0.signing_out.store(true, Ordering::SeqCst);
        self.forget_sign_in();
        // The pump would only poll a signed-out agent; stop it first.
        self.stop_events().await;
        let path = format!("onlineagent/{}/logout", self.0.agent_id);
        let in_doubt = self.0.sign_in_in_doubt.swap(false, Ordering::SeqCst);
        let r = match self.exchange("logout", Method::DELETE, &path, None, GuidUse::Required, opts).await {
            Err(e) if e.status == CCGW_E_NOT_SIGNED_IN && in_doubt => Err(Error::new(
                CCGW_E_NOT_SIGNED_IN,
                "logout: the session has no Guid, but a sign-in again whose outcome is unknown (its answer was lost, \
                 or it was cut short) may have signed the agent in at the gateway: the agent may still be signed in. \
                 The gateway signs it out after 2 minutes without an event poll (reference §9); to end it now, sign in \
                 (forced) and sign out",
            )),
            r => r,
        };
        if r.is_ok() {
            self.0.confs.signed_out();
        }
        match &r {
            Ok(_) => self.clear_guid(),
            Err(e) if matches!(e.status, CCGW_E_GW_NOT_SIGNED_IN | CCGW_E_GW_ALREADY_SIGNED_OUT) => self.clear_guid(),
            Err(_) => {}
        }
        if self.guid().is_none() {
            // Signed out: a new sign-in may go to any node.
            self.0.transport.clear_cookies();
        }
        r.map(|_| ())
    }

    /// `updateGuid`: asks the gateway for a fresh Guid, from the answer's `Set-GUID`, or
    /// its `result.guid` when the header is absent (reference §2.4). An answer with
    /// neither usable fails as malformed and the session keeps the Guid it had.
    pub async fn update_guid(&self, opts: &CallOptions) -> Result<()> {
        const OP: &str = "updateGuid";
        let path = format!("onlineagent/{}/updateGuid", self.0.agent_id);
        let answer = self.exchange_with(OP, Method::PUT, &path, None, GuidUse::Required, false, opts).await?;
        let malformed = |why: String| {
            Err(Error::new(CCGW_E_MALFORMED_RESPONSE, format!("{OP}: {why}; the session keeps its Guid"))
                .with_http_status(answer.env.http_status))
        };
        let guid = match answer.guid {
            GuidSeen::Offered(g) => g,
            GuidSeen::Refused(why) => return malformed(format!("the answer's Set-GUID value {why}")),
            GuidSeen::None | GuidSeen::Stored => {
                match answer.env.result_value(OP)?.as_ref().and_then(|r| r.get("guid")).and_then(Value::as_str) {
                    Some(g) => match guid_problem(g) {
                        None => Zeroizing::new(g.to_string()),
                        Some(why) => return malformed(format!("the answer's result.guid {why}")),
                    },
                    None => return malformed("the answer carries no Guid (no Set-GUID, no result.guid)".into()),
                }
            }
        };
        self.store_guid(Some(guid), OP);
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
        // The agent id is digits (checked at creation), so replacing it cannot make a
        // path that the check below would not see.
        let path = path.replace("{agentid}", &self.0.agent_id);
        self.0.transport.check_path(&path)?;
        // Checked to be one JSON document (without building it), then sent as given, in
        // a buffer wiped when the request is done.
        let body = match body {
            None => None,
            Some(b) => {
                serde_json::from_str::<serde::de::IgnoredAny>(b)
                    .map_err(|e| invalid(format!("the body is not valid JSON: {e}")))?;
                Some(Bytes::from_owner(Zeroizing::new(b.as_bytes().to_vec())))
            }
        };
        let op = generic_op_name(&path);
        let answer = self.exchange(&op, m, &path, body, GuidUse::IfPresent, opts).await?;
        // The envelope was read and said retcode 0: the request was carried out, only the
        // answer's nesting (beyond serde_json's 128 levels) keeps it from being returned.
        answer.env.to_value(&op).map_err(|e| Error {
            message: format!("{}; the gateway answered retcode 0: it carried the request out", e.message),
            gateway_may_have_acted: true,
            ..e
        })
    }
}

/// Log name for a generic request: the interface word after the agent id
/// (`requestagentconf`), else the family (`agentevent`); never a segment that could carry
/// data (a call id, a number): `request` then.
fn generic_op_name(path: &str) -> String {
    let p = path.split('?').next().unwrap_or(path);
    let word = |s: &&str| crate::transport::is_word(s);
    let segs: Vec<&str> = p.split('/').collect();
    let name = segs.get(2).copied().filter(word).or_else(|| segs.first().copied().filter(word));
    name.unwrap_or("request").to_string()
}

/// The sign-in interface's body fields (reference §3.1). `None` leaves a field out so the
/// gateway's default applies. `Debug` shows no password.
#[derive(Clone, Default)]
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
    /// Keep this request (wiped at sign-out or close) and sign in again when the gateway
    /// says the session is gone (`crate::events`).
    pub auto_resign_in: bool,
    /// Signing in again may take the agent over by force on `100-002` (needs `phonenum`).
    pub allow_forced_resign_in: bool,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("password", &"<hidden>")
            .field("phonenum", &self.phonenum.as_ref().map(|_| "<hidden>"))
            .field("force", &self.force)
            .field("auto_resign_in", &self.auto_resign_in)
            .field("allow_forced_resign_in", &self.allow_forced_resign_in)
            .finish_non_exhaustive()
    }
}

impl SignInRequest {
    pub fn validate(&self) -> Result<()> {
        limits::max_len("password", &self.password, 32, Unit::Chars)?;
        limits::optional("phonenum", self.phonenum.as_deref(), 24, Unit::Chars)?;
        if self.force || (self.auto_resign_in && self.allow_forced_resign_in) {
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

    /// The sign-in body, serialized straight from the request's fields (the password
    /// from its zeroizing buffer) into a buffer wiped when the request is done; no
    /// intermediate JSON value holds the password.
    pub fn body(&self) -> Bytes {
        json_body(&SignInBody {
            password: &self.password,
            phonenum: self.phonenum.as_deref(),
            autoanswer: self.autoanswer,
            autoenteridle: self.autoenteridle,
            releasephone: self.releasephone,
            agenttype: self.agenttype,
            status: self.status,
            ip: self.ip.as_deref(),
            entry_ip: self.entry_ip.as_deref(),
            phonelinkage: self.phonelinkage,
            check_in_webm: self.check_in_webm,
            check_in_mailm: self.check_in_mailm,
            vc_phone_number: self.vc_phone_number.as_deref(),
            listen_status: self.listen_status,
        })
    }
}

/// The sign-in body as the gateway names its fields (reference §3.1); absent fields are
/// left out so the gateway's defaults apply.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInBody<'a> {
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phonenum: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autoanswer: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    autoenteridle: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    releasephone: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agenttype: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phonelinkage: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    check_in_webm: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    check_in_mailm: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vc_phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listen_status: Option<bool>,
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
    use serde_json::json;

    #[test]
    fn sign_in_limits() {
        let ok = SignInRequest { password: Zeroizing::new("p".repeat(32)), ..Default::default() };
        assert!(ok.validate().is_ok());
        let long = SignInRequest { password: Zeroizing::new("p".repeat(33)), ..Default::default() };
        assert_eq!(long.validate().unwrap_err().status, CCGW_E_TOO_LONG);
        let force = SignInRequest { force: true, ..Default::default() };
        assert_eq!(force.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        // Forced re-sign-in allowed needs the phone number too; plain staying signed in not.
        let again = SignInRequest { auto_resign_in: true, allow_forced_resign_in: true, ..Default::default() };
        assert_eq!(again.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        assert!(SignInRequest { auto_resign_in: true, ..Default::default() }.validate().is_ok());
        let status = SignInRequest { status: Some(6), ..Default::default() };
        assert_eq!(status.validate().unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        let ip = SignInRequest { ip: Some("::1".into()), ..Default::default() };
        assert_eq!(ip.validate().unwrap_err().status, CCGW_E_INVALID_ARGUMENT);
    }

    #[test]
    fn sign_in_body_has_the_gateway_field_names_and_hides_the_password_from_debug() {
        let r = SignInRequest {
            password: Zeroizing::new("p\"w".into()),
            phonenum: Some("40038".into()),
            entry_ip: Some("10.0.0.1".into()),
            check_in_webm: Some(false),
            status: Some(4),
            ..Default::default()
        };
        let v: Value = serde_json::from_slice(&r.body()).unwrap();
        assert_eq!(
            v,
            json!({"password": "p\"w", "phonenum": "40038", "entryIp": "10.0.0.1", "checkInWebm": false, "status": 4})
        );
        assert!(!format!("{r:?}").contains("p\"w") && !format!("{r:?}").contains("40038"));
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
