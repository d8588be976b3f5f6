//! The simulated gateway's state: agents and their sessions, Guids, event queues,
//! voice calls and agent conferences. Everything here is synchronous and runs under one
//! lock; the server turns HTTP requests into calls on [`World`] and back.
//!
//! Behaviour follows `shared/reference/ccgw-api.md` §2-§8; where the docs are silent the
//! choice is recorded in `sim/README.md` and noted here at the place it is made.

use crate::config::{AuthMode, Settings};
use crate::validate::{self, Address};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// A business refusal: a retcode and its message, answered with HTTP 200.
#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub retcode: String,
    pub message: String,
}

impl Fail {
    pub fn new(retcode: &str, message: impl Into<String>) -> Fail {
        Fail { retcode: retcode.to_string(), message: message.into() }
    }
}

/// `000-002`: invalid URL parameter or message parameter.
pub fn invalid(message: impl Into<String>) -> Fail {
    Fail::new("000-002", message)
}

impl From<validate::Invalid> for Fail {
    fn from(v: validate::Invalid) -> Fail {
        invalid(v.0)
    }
}

/// A successful answer: the `result` member (absent means `{}`) and a Guid to send in `Set-GUID`.
#[derive(Debug, Default)]
pub struct Reply {
    pub result: Option<Value>,
    pub set_guid: Option<String>,
}

impl Reply {
    fn ok() -> Reply {
        Reply::default()
    }
    fn with(result: Value) -> Reply {
        Reply { result: Some(result), set_guid: None }
    }
}

pub type Answer = Result<Reply, Fail>;

/// One queued event. `seq` is the simulator's per-agent sequence number (extension field
/// `seq` in the event object) so tests can prove that nothing was lost or repeated.
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: u64,
    pub event_type: String,
    pub work_no: String,
    pub content: Value,
    pub gen_time_ms: u64,
    /// Sent verbatim as the `event` member instead of the usual object (control API
    /// `raw`, for testing how clients take malformed events).
    pub raw: Option<Value>,
    /// The session (epoch) the event was queued under; only a poll of that session takes it.
    pub epoch: u64,
}

impl Event {
    pub fn to_json(&self, with_gen_time: bool) -> Value {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut ev = json!({
            "eventType": self.event_type,
            "workNo": self.work_no,
            "content": self.content,
            "seq": self.seq,
        });
        if with_gen_time {
            ev["eventGenTime"] = json!(self.gen_time_ms);
        }
        ev
    }
}

/// Work the world wants done later (the server schedules it on a timer).
#[derive(Debug, Clone)]
pub enum Deferred {
    /// The conference application completes: `SelfJoinResult`, then `RequestSuccess`.
    GrantConf { conf: u64 },
    /// An invited party answers and joins.
    Join { conf: u64, address_type: u8, address: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    Alerting,
    Talking,
    Held,
}

impl CallState {
    fn name(self) -> &'static str {
        match self {
            CallState::Alerting => "alerting",
            CallState::Talking => "talking",
            CallState::Held => "held",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    Customer,
    Ivr,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub number: String,
    pub kind: PartyKind,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub state: CallState,
    pub parties: Vec<Party>,
    pub three_party: bool,
    pub transmit_num: bool,
    pub callappdata: Option<String>,
}

impl Call {
    fn to_json(&self) -> Value {
        json!({
            "callid": self.id,
            "state": self.state.name(),
            "parties": self.parties.iter().map(|p| json!({
                "number": p.number,
                "kind": match p.kind { PartyKind::Customer => "customer", PartyKind::Ivr => "ivr" },
            })).collect::<Vec<_>>(),
            "threeParty": self.three_party,
            "transmitNum": self.transmit_num,
            "callappdataBytes": self.callappdata.as_ref().map_or(0, |d| d.len()),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub epoch: u64,
    pub guid: String,
    pub guid_issued: Instant,
    /// The Guid before the last rotation and the instant it stops being accepted.
    pub previous: Option<(String, Instant)>,
    pub rotate_now: bool,
    pub login_ms: u64,
    pub phonenum: Option<String>,
    pub autoanswer: bool,
    pub status: i64,
    /// Start of the current idle period: sign-in, or the end of the last poll.
    pub idle_since: Instant,
    pub polls_in_flight: u32,
}

#[derive(Debug)]
pub struct Agent {
    pub id: u32,
    pub seq: u64,
    pub queue: VecDeque<Event>,
    pub dropped: u64,
    pub notify: Arc<Notify>,
    pub session: Option<Session>,
    pub calls: Vec<Call>,
    /// Conference this agent is in (joined or ringing).
    pub conf: Option<u64>,
    pub signouts: u64,
    pub last_signout_reason: Option<&'static str>,
}

impl Agent {
    fn new(id: u32) -> Agent {
        Agent {
            id,
            seq: 0,
            queue: VecDeque::new(),
            dropped: 0,
            notify: Arc::new(Notify::new()),
            session: None,
            calls: Vec::new(),
            conf: None,
            signouts: 0,
            last_signout_reason: None,
        }
    }

    fn talking(&self) -> Option<usize> {
        self.calls.iter().position(|c| c.state == CallState::Talking)
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub address_type: u8,
    pub address: String,
    pub device_call_type: i64,
    pub device_type: i64,
    pub channel_attrib: i64,
    pub channel_state: i64,
    pub role: i64,
    pub enter_ms: u64,
    pub joined: bool,
    pub hold_voice_path: Option<String>,
}

impl Member {
    fn is(&self, address_type: u8, address: &str) -> bool {
        self.address_type == address_type && self.address == address
    }
    fn agent_id(&self) -> Option<u32> {
        if self.address_type == 9 {
            self.address.parse().ok()
        } else {
            None
        }
    }
    fn to_json(&self) -> Value {
        json!({
            "addressType": self.address_type.to_string(),
            "address": self.address,
            "deviceCallType": self.device_call_type,
            "deviceType": self.device_type,
            "channelAttrib": self.channel_attrib,
            "channelState": self.channel_state,
            "role": self.role,
            "enterTime": self.enter_ms,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Conference {
    pub id: u64,
    pub chair: u32,
    pub vdn: u32,
    pub granted: bool,
    pub start_ms: u64,
    pub started: Instant,
    pub apply_minutes: i64,
    pub prompt_minutes: i64,
    pub member_num: i64,
    pub timeout_sent: bool,
    pub members: Vec<Member>,
}

impl Conference {
    fn member(&self, address_type: u8, address: &str) -> Option<usize> {
        self.members.iter().position(|m| m.is(address_type, address))
    }

    /// The conference as `queryconfinfos` reports it (Tables 5 and 6).
    fn to_json(&self) -> Value {
        json!({
            "confId": self.id,
            "confState": 0,
            "startTime": self.start_ms,
            "applyConfTime": self.apply_minutes,
            "confHaveBeenTime": self.started.elapsed().as_secs() / 60,
            "addresses": self.members.iter().filter(|m| m.joined).map(Member::to_json).collect::<Vec<_>>(),
        })
    }
}

/// What an event poll finds.
pub enum PollStep {
    Event(Value),
    Empty,
    Refused(Fail),
}

pub struct World {
    pub settings: Settings,
    agents: HashMap<u32, Agent>,
    confs: BTreeMap<u64, Conference>,
    next_conf_id: u64,
    call_counter: u64,
    epoch_counter: u64,
    /// Every Guid ever issued, numbered, so the journal can name one without showing it.
    guid_serials: HashMap<String, u64>,
    /// Bumped by a reset so that timers scheduled before it do nothing.
    pub generation: u64,
    pub deferred: Vec<(u64, Deferred)>,
}

/// Why an agent was signed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutReason {
    Logout,
    ForceLogout,
    ForcedSignIn,
    Idle,
    Control,
}

impl SignOutReason {
    fn name(self) -> &'static str {
        match self {
            SignOutReason::Logout => "logout",
            SignOutReason::ForceLogout => "forcelogout",
            SignOutReason::ForcedSignIn => "forced_sign_in",
            SignOutReason::Idle => "idle",
            SignOutReason::Control => "control",
        }
    }
}

impl World {
    pub fn new(settings: Settings) -> World {
        let next_conf_id = settings.first_conf_id;
        World {
            settings,
            agents: HashMap::new(),
            confs: BTreeMap::new(),
            next_conf_id,
            call_counter: 0,
            epoch_counter: 0,
            guid_serials: HashMap::new(),
            generation: 0,
            deferred: Vec::new(),
        }
    }

    /// Back to the start-up state (the generation survives, incremented).
    pub fn reset(&mut self, settings: Settings) {
        for a in self.agents.values() {
            a.notify.notify_waiters();
        }
        let generation = self.generation + 1;
        *self = World::new(settings);
        self.generation = generation;
    }

    fn agent(&mut self, id: u32) -> &mut Agent {
        self.agents.entry(id).or_insert_with(|| Agent::new(id))
    }

    pub fn signed_in(&self, id: u32) -> bool {
        self.agents.get(&id).is_some_and(|a| a.session.is_some())
    }

    pub fn signed_in_count(&self) -> usize {
        self.agents.values().filter(|a| a.session.is_some()).count()
    }

    pub fn notifier(&mut self, id: u32) -> Arc<Notify> {
        self.agent(id).notify.clone()
    }

    /// Journal label of a Guid: `guid#N` for one the simulator issued.
    pub fn guid_label(&self, guid: &str) -> String {
        match self.guid_serials.get(guid) {
            Some(n) => format!("<guid#{n}>"),
            None => "<unknown guid>".to_string(),
        }
    }

    fn new_guid(&mut self) -> String {
        let guid = format!("{}.AgentGateway{}", uuid::Uuid::new_v4(), self.settings.node);
        let serial = self.guid_serials.len() as u64 + 1;
        self.guid_serials.insert(guid.clone(), serial);
        guid
    }

    // ------------------------------------------------------------------ events

    /// Queues an event for a signed-in agent; returns its sequence number.
    pub fn emit(&mut self, agent: u32, event_type: &str, content: Value) -> Option<u64> {
        self.enqueue(agent, event_type, content, None)
    }

    fn enqueue(&mut self, agent: u32, event_type: &str, content: Value, raw: Option<Value>) -> Option<u64> {
        let limit = self.settings.event_queue_limit;
        let a = self.agents.get_mut(&agent)?;
        let epoch = a.session.as_ref()?.epoch;
        a.seq += 1;
        let ev = Event {
            seq: a.seq,
            event_type: event_type.to_string(),
            work_no: agent.to_string(),
            content,
            gen_time_ms: now_ms(),
            raw,
            epoch,
        };
        if a.queue.len() >= limit {
            a.queue.pop_front();
            a.dropped += 1;
        }
        a.queue.push_back(ev);
        a.notify.notify_one();
        Some(a.seq)
    }

    /// Queues an arbitrary event (control API); refused when the agent is not signed in.
    pub fn inject(&mut self, agent: u32, event_type: &str, content: Value) -> Result<u64, String> {
        self.emit(agent, event_type, content).ok_or_else(|| format!("agent {agent} is not signed in"))
    }

    /// Queues `raw` to be sent verbatim as the poll answer's `event` member.
    pub fn inject_raw(&mut self, agent: u32, raw: Value) -> Result<u64, String> {
        self.enqueue(agent, "", Value::Null, Some(raw)).ok_or_else(|| format!("agent {agent} is not signed in"))
    }

    // ------------------------------------------------------------------ auth

    /// Checks the `Guid` header of a request for `agent`; returns the session epoch.
    pub fn authorize(&mut self, agent: u32, guid: Option<&str>, now: Instant) -> Result<u64, Fail> {
        let auth_fail = self.settings.auth_failure_retcode.clone();
        let Some(s) = self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) else {
            return Err(Fail::new("100-006", "the agent has not signed in"));
        };
        let Some(guid) = guid.filter(|g| !g.is_empty()) else {
            return Err(Fail::new(&auth_fail, "no Guid header: no right to call the interface"));
        };
        if guid == s.guid {
            return Ok(s.epoch);
        }
        if let Some((prev, until)) = &s.previous {
            if guid == prev {
                if now < *until {
                    return Ok(s.epoch);
                }
                return Err(Fail::new(&auth_fail, "the Guid has expired; use the one from the last Set-GUID"));
            }
        }
        Err(Fail::new(&auth_fail, "the Guid does not match the agent's session"))
    }

    pub fn current_guid(&self, agent: u32) -> Option<String> {
        self.agents.get(&agent)?.session.as_ref().map(|s| s.guid.clone())
    }

    fn rotate(&mut self, agent: u32, now: Instant) -> Option<String> {
        let grace = Duration::from_millis(self.settings.previous_guid_grace_ms());
        let guid = self.new_guid();
        let s = self.agents.get_mut(&agent)?.session.as_mut()?;
        let old = std::mem::replace(&mut s.guid, guid.clone());
        s.previous = Some((old, now + grace));
        s.guid_issued = now;
        s.rotate_now = false;
        Some(guid)
    }

    /// Dynamic mode: a new Guid when the current one is `guid_interval_ms` old (or a
    /// rotation was forced), to be delivered on the poll answer being built.
    pub fn rotation_for_poll(&mut self, agent: u32, epoch: u64, now: Instant) -> Option<String> {
        let interval = Duration::from_millis(self.settings.guid_interval_ms);
        let dynamic = self.settings.auth_mode == AuthMode::Dynamic;
        let s = self.agents.get(&agent)?.session.as_ref().filter(|s| s.epoch == epoch)?;
        if s.rotate_now || (dynamic && now.duration_since(s.guid_issued) >= interval) {
            self.rotate(agent, now)
        } else {
            None
        }
    }

    /// Control API: rotate at the next poll answer, whatever the mode.
    pub fn force_rotation(&mut self, agent: u32) -> Result<(), String> {
        match self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) {
            Some(s) => {
                s.rotate_now = true;
                Ok(())
            }
            None => Err(format!("agent {agent} is not signed in")),
        }
    }

    /// Control API: the current and previous Guid stop being accepted at once (the agent
    /// stays signed in; only a new sign-in recovers, as after a missed rotation).
    pub fn expire_guid(&mut self, agent: u32) -> Result<(), String> {
        let guid = self.new_guid();
        match self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) {
            Some(s) => {
                s.guid = guid;
                s.previous = None;
                Ok(())
            }
            None => Err(format!("agent {agent} is not signed in")),
        }
    }

    // ------------------------------------------------------------------ polls

    pub fn poll_started(&mut self, agent: u32) {
        if let Some(s) = self.agent(agent).session.as_mut() {
            s.polls_in_flight += 1;
        }
    }

    pub fn poll_finished(&mut self, agent: u32, epoch: u64, now: Instant) {
        if let Some(s) = self.agent(agent).session.as_mut().filter(|s| s.epoch == epoch) {
            s.polls_in_flight = s.polls_in_flight.saturating_sub(1);
            s.idle_since = now;
        }
    }

    /// One look at the queue for a poll authorised under session `epoch`. Once that
    /// session has ended, events queued before the end (such as
    /// `AgentOther_ShutdownService`) are still handed out, then the poll is refused.
    pub fn poll_step(&mut self, agent: u32, epoch: u64) -> PollStep {
        let auth_fail = self.settings.auth_failure_retcode.clone();
        let with_time = self.settings.event_gen_time;
        let a = self.agent(agent);
        let same_session = a.session.as_ref().is_some_and(|s| s.epoch == epoch);
        // Only events of the poll's own session: after a forced sign-in the queue holds the
        // new session's events, which a poll still in flight for the old one must not take.
        if a.queue.front().is_some_and(|ev| ev.epoch == epoch) {
            let ev = a.queue.pop_front().expect("front checked");
            return PollStep::Event(ev.to_json(with_time));
        }
        if same_session {
            PollStep::Empty
        } else if a.session.is_some() {
            PollStep::Refused(Fail::new(&auth_fail, "the session was replaced by a forced sign-in"))
        } else {
            PollStep::Refused(Fail::new("100-006", "the agent has been signed out"))
        }
    }

    // ------------------------------------------------------------------ onlineagent

    pub fn sign_in(&mut self, agent: u32, body: &Value, forced: bool, now: Instant) -> Answer {
        let req = validate::sign_in(body, forced).map_err(|e| Fail::new("100-001", e.0))?;
        if req.password != self.settings.password_of(agent) {
            return Err(Fail::new("100-004", "wrong user name or password"));
        }
        if self.signed_in(agent) {
            if !forced {
                return Err(Fail::new("100-002", "the agent has already signed in"));
            }
            // Forced sign-in replaces the session; the old Guid is dead at once (reference §7).
            self.sign_out(agent, SignOutReason::ForcedSignIn);
        }
        self.epoch_counter += 1;
        let epoch = self.epoch_counter;
        let guid = self.new_guid();
        let login_ms = now_ms();
        let a = self.agent(agent);
        a.queue.clear();
        a.session = Some(Session {
            epoch,
            guid: guid.clone(),
            guid_issued: now,
            previous: None,
            rotate_now: false,
            login_ms,
            phonenum: req.phonenum.clone(),
            autoanswer: req.autoanswer,
            status: req.status,
            idle_since: now,
            polls_in_flight: 0,
        });
        // Events by the requested state (reference §3.1).
        self.emit(agent, "AgentOther_InService", json!({"workNo": agent.to_string()}));
        self.emit(agent, "AgentState_Ready", Value::Null);
        match req.status {
            3 => {
                self.emit(agent, "AgentState_SetNotReady_Success", Value::Null);
            }
            5 => {
                self.emit(agent, "AgentState_Work", Value::Null);
            }
            _ => {}
        }
        Ok(Reply {
            result: Some(json!({
                "vdnid": self.settings.vdn_of(agent),
                "workno": agent.to_string(),
                "mediatype": "TTF",
                "loginTime": login_ms.to_string(),
                "isForceChange": "false",
                "serverName": "AgentGateway",
                "timeRemaining": "90",
            })),
            set_guid: Some(guid),
        })
    }

    pub fn logout(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        if a.calls.iter().any(|c| c.state != CallState::Held) {
            return Err(Fail::new(
                "100-010",
                "the agent is in a call and cannot sign out; release it or use forcelogout",
            ));
        }
        self.sign_out(agent, SignOutReason::Logout);
        Ok(Reply::ok())
    }

    pub fn force_logout(&mut self, agent: u32) -> Answer {
        self.sign_out(agent, SignOutReason::ForceLogout);
        Ok(Reply::ok())
    }

    pub fn update_guid(&mut self, agent: u32, now: Instant) -> Answer {
        let guid = self.rotate(agent, now).ok_or_else(|| Fail::new("100-006", "the agent has not signed in"))?;
        Ok(Reply { result: Some(json!({ "guid": guid })), set_guid: Some(guid) })
    }

    /// Ends the agent's session: calls are released, its conference is released (chair)
    /// or left, and an in-flight poll gets `AgentOther_ShutdownService`.
    pub fn sign_out(&mut self, agent: u32, reason: SignOutReason) {
        if !self.signed_in(agent) {
            return;
        }
        if let Some(conf) = self.agents.get(&agent).and_then(|a| a.conf) {
            let is_chair = self.confs.get(&conf).is_some_and(|c| c.chair == agent);
            if is_chair {
                self.release_conf(conf);
            } else {
                self.leave_conf(conf, 9, &agent.to_string(), 4);
            }
        }
        let a = self.agent(agent);
        a.calls.clear();
        a.queue.clear();
        a.signouts += 1;
        a.last_signout_reason = Some(reason.name());
        self.emit(agent, "AgentOther_ShutdownService", json!({"reason": reason.name()}));
        let a = self.agent(agent);
        a.session = None;
        a.notify.notify_waiters();
        a.notify.notify_one();
    }

    /// Idle sign-out and conference timers; returns the agents signed out for idling.
    pub fn tick(&mut self, now: Instant) -> Vec<u32> {
        let idle = Duration::from_millis(self.settings.idle_signout_ms);
        let idle_agents: Vec<u32> = self
            .agents
            .values()
            .filter_map(|a| {
                let s = a.session.as_ref()?;
                (s.polls_in_flight == 0 && now.duration_since(s.idle_since) >= idle).then_some(a.id)
            })
            .collect();
        for &id in &idle_agents {
            self.sign_out(id, SignOutReason::Idle);
        }
        let mut warn = Vec::new();
        let mut end = Vec::new();
        for c in self.confs.values_mut().filter(|c| c.granted) {
            let elapsed = now.duration_since(c.started);
            let apply = Duration::from_secs(c.apply_minutes.max(0) as u64 * 60);
            let prompt_at = Duration::from_secs((c.apply_minutes - c.prompt_minutes).max(0) as u64 * 60);
            if elapsed >= apply {
                end.push(c.id);
            } else if elapsed >= prompt_at && !c.timeout_sent {
                c.timeout_sent = true;
                warn.push((c.chair, c.id));
            }
        }
        for (chair, id) in warn {
            self.emit(chair, "AgentConf_Timeout", json!({"confId": id}));
        }
        for id in end {
            self.release_conf(id);
        }
        idle_agents
    }

    // ------------------------------------------------------------------ voicecall

    fn new_callid(&mut self) -> String {
        self.call_counter += 1;
        format!("{}-{}", now_ms() / 1000, self.call_counter)
    }

    fn party_for(&self, number: &str) -> Party {
        let kind = if self.settings.is_ivr(number) { PartyKind::Ivr } else { PartyKind::Customer };
        Party { number: number.to_string(), kind }
    }

    pub fn callout(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::callout(body)?;
        if self.agent(agent).calls.iter().any(|c| c.state != CallState::Held) {
            return Err(Fail::new("200-001", "the agent already has an active call; hold it before calling out"));
        }
        let callid = self.new_callid();
        let party = self.party_for(&req.called);
        let caller = req.caller.clone().unwrap_or_else(|| agent.to_string());
        self.agent(agent).calls.push(Call {
            id: callid.clone(),
            state: CallState::Talking,
            parties: vec![party],
            three_party: false,
            transmit_num: false,
            callappdata: req.callappdata,
        });
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(
            agent,
            "AgentEvent_Customer_Alerting",
            json!({"callid": callid, "caller": caller, "called": req.called}),
        );
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid, "caller": caller, "called": req.called}));
        Ok(Reply::with(json!(callid)))
    }

    /// Control API: a customer calls the agent. Auto-answered when the agent signed in
    /// with `autoanswer` (the default); otherwise it rings until `voicecall/{id}/answer`.
    pub fn inbound(&mut self, agent: u32, caller: &str, callappdata: Option<String>) -> Result<String, String> {
        let Some(autoanswer) = self.agents.get(&agent).and_then(|a| a.session.as_ref()).map(|s| s.autoanswer) else {
            return Err(format!("agent {agent} is not signed in"));
        };
        if self.agent(agent).calls.iter().any(|c| c.state != CallState::Held) {
            return Err(format!("agent {agent} already has an active call"));
        }
        let callid = self.new_callid();
        let party = self.party_for(caller);
        let state = if autoanswer { CallState::Talking } else { CallState::Alerting };
        self.agent(agent).calls.push(Call {
            id: callid.clone(),
            state,
            parties: vec![party],
            three_party: false,
            transmit_num: false,
            callappdata,
        });
        self.emit(agent, "AgentOther_PhoneAlerting", json!({"callid": callid}));
        self.emit(
            agent,
            "AgentEvent_Ringing",
            json!({"callid": callid, "caller": caller, "called": agent.to_string()}),
        );
        if autoanswer {
            self.emit(agent, "AgentState_Busy", Value::Null);
            self.emit(agent, "AgentEvent_Talking", json!({"callid": callid, "caller": caller}));
        }
        Ok(callid)
    }

    pub fn answer(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.calls.iter().position(|c| c.state == CallState::Alerting) else {
            return Err(Fail::new("200-002", "there is no call to answer"));
        };
        a.calls[i].state = CallState::Talking;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid}));
        Ok(Reply::ok())
    }

    pub fn hold(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        if a.calls.is_empty() {
            return Err(Fail::new("200-013", "there is no call to hold"));
        }
        let Some(i) = a.talking() else {
            return Err(Fail::new("200-014", "the call is not in a state that can be held"));
        };
        a.calls[i].state = CallState::Held;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentEvent_Hold", json!({"callid": callid}));
        Ok(Reply::ok())
    }

    pub fn gethold(&mut self, agent: u32, callid: Option<&str>) -> Answer {
        let a = self.agent(agent);
        let held = a.calls.iter().position(|c| c.state == CallState::Held && callid.is_none_or(|id| c.id == id));
        let Some(i) = held else {
            return Err(Fail::new("200-015", "there is no held call to take back"));
        };
        if a.talking().is_some() {
            return Err(Fail::new("200-016", "another call is active; hold or release it first"));
        }
        a.calls[i].state = CallState::Talking;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid}));
        Ok(Reply::ok())
    }

    /// `confjoin`: the held call `callid` and the active call become one three-party call.
    pub fn conf_join(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::conf_join(body)?;
        let sep = self.settings.partner_separator.clone();
        let a = self.agent(agent);
        let Some(active) = a.talking() else {
            return Err(Fail::new("200-010", "three-party call requested but the agent has no active call"));
        };
        let Some(held) = a.calls.iter().position(|c| c.state == CallState::Held && c.id == req.callid) else {
            return Err(Fail::new(
                "200-011",
                format!("three-party call requested but no held call has id {}", req.callid),
            ));
        };
        let talking = a.calls[active].clone();
        let merged = &mut a.calls[held];
        merged.parties.extend(talking.parties);
        merged.state = CallState::Talking;
        merged.three_party = true;
        if req.callappdata.is_some() {
            merged.callappdata = req.callappdata;
        }
        let partner = merged.parties.iter().map(|p| p.number.as_str()).collect::<Vec<_>>().join(&sep);
        let callid = merged.id.clone();
        a.calls.retain(|c| c.id != talking.id);
        self.emit(agent, "AgentEvent_Conference", json!({"callid": callid, "partner": partner}));
        Ok(Reply::ok())
    }

    /// `thirdPartyConfTransmitNum`: only in a three-party call of agent, customer and a
    /// third-party IVR. The page lists one error code, `10001`, used for every refusal.
    pub fn transmit_num(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.talking() else {
            return Err(Fail::new("10001", "the agent has no active call"));
        };
        let call = &mut a.calls[i];
        let has = |k| call.parties.iter().any(|p| p.kind == k);
        if !call.three_party || !has(PartyKind::Customer) || !has(PartyKind::Ivr) {
            return Err(Fail::new(
                "10001",
                "the active call is not a three-party call of the agent, a customer and a third-party IVR",
            ));
        }
        call.transmit_num = true;
        Ok(Reply::ok())
    }

    fn release_call_at(&mut self, agent: u32, i: usize) {
        let call = self.agent(agent).calls.remove(i);
        for p in &call.parties {
            self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": call.id, "number": p.number}));
        }
        self.emit(agent, "AgentEvent_Call_Release", json!({"callid": call.id}));
        self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
        if self.agent(agent).calls.is_empty() {
            self.emit(agent, "AgentState_Ready", Value::Null);
        }
    }

    pub fn release(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.talking().or_else(|| a.calls.iter().position(|c| c.state == CallState::Alerting)) else {
            return Err(Fail::new("200-017", "there is no call to release"));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    pub fn drop_call(&mut self, agent: u32, callid: &str) -> Answer {
        let Some(i) = self.agent(agent).calls.iter().position(|c| c.id == callid) else {
            return Err(Fail::new("200-025", format!("there is no call with id {callid}")));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    /// A party leaves a call: `disconnect/{number}` by the agent, or a hang-up injected
    /// through the control API. The last party leaving releases the call.
    pub fn party_leaves(
        &mut self,
        agent: u32,
        callid: Option<&str>,
        number: Option<&str>,
    ) -> Result<(String, String), Fail> {
        let a = self.agent(agent);
        let ci = match callid {
            Some(id) => a.calls.iter().position(|c| c.id == id),
            None => a.talking().or(if a.calls.is_empty() { None } else { Some(0) }),
        }
        .ok_or_else(|| Fail::new("200-017", "there is no such call"))?;
        let call = &mut a.calls[ci];
        let pi = match number {
            Some(n) => call.parties.iter().position(|p| p.number == n),
            None => call.parties.iter().position(|p| p.kind == PartyKind::Customer).or(Some(0)),
        }
        .filter(|&i| i < call.parties.len())
        .ok_or_else(|| invalid("that number is not a party of the call"))?;
        let party = call.parties.remove(pi);
        if call.parties.len() < 2 {
            call.three_party = false;
            call.transmit_num = false;
        }
        let callid = call.id.clone();
        let empty = call.parties.is_empty();
        self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": callid, "number": party.number}));
        if empty {
            self.agent(agent).calls.remove(ci);
            self.emit(agent, "AgentEvent_Call_Release", json!({"callid": callid}));
            self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
            if self.agent(agent).calls.is_empty() {
                self.emit(agent, "AgentState_Ready", Value::Null);
            }
        }
        Ok((callid, party.number))
    }

    // ------------------------------------------------------------------ agentconf

    /// The conference `agent` chairs, refusing `101-001` (no conference, or not granted yet)
    /// and `101-002` (not the chair).
    fn chaired(&self, agent: u32) -> Result<u64, Fail> {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .and_then(|id| self.confs.get(&id))
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if conf.chair != agent {
            return Err(Fail::new("101-002", "the agent is not the chairperson of the conference"));
        }
        if !conf.granted {
            // Chair operations before AgentConf_RequestSuccess: undocumented code (reference §11.18).
            return Err(Fail::new(
                "101-001",
                "the conference is not established yet (wait for AgentConf_RequestSuccess)",
            ));
        }
        Ok(conf.id)
    }

    /// `AgentConf_ParticipantChanged` to every joined agent of the conference except the
    /// subject (and to the subject too when `participant_changed_to_subject`).
    fn broadcast_change(&mut self, conf: u64, subject: &Member, change_type: i64, change_reason: i64) {
        let Some(c) = self.confs.get(&conf) else { return };
        let to_subject = self.settings.participant_changed_to_subject;
        let subject_agent = subject.agent_id();
        let recipients: Vec<u32> = c
            .members
            .iter()
            .filter(|m| m.joined)
            .filter_map(Member::agent_id)
            .filter(|&id| to_subject || Some(id) != subject_agent)
            .collect();
        let content = json!({
            "result": 0,
            "changeReason": change_reason,
            "changeType": change_type,
            "confId": conf,
            "participant": subject.address,
            "participantType": subject.address_type,
            "deviceCallType": subject.device_call_type,
            "deviceType": subject.device_type,
        });
        // A subject that already left is not among the members; it still hears of it when asked.
        let extra = subject_agent.filter(|id| to_subject && !recipients.contains(id));
        for id in recipients.into_iter().chain(extra) {
            self.emit(id, "AgentConf_ParticipantChanged", content.clone());
        }
    }

    pub fn request_conf(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::request_conf(body)?;
        if self.agent(agent).conf.is_some() {
            return Err(Fail::new("101-003", "the agent is already in a conference"));
        }
        let id = self.next_conf_id;
        self.next_conf_id += 1;
        let vdn = self.settings.vdn_of(agent);
        let now = now_ms();
        self.confs.insert(
            id,
            Conference {
                id,
                chair: agent,
                vdn,
                granted: false,
                start_ms: now,
                started: Instant::now(),
                apply_minutes: req.time,
                prompt_minutes: req.prompt_time,
                member_num: req.member_num,
                timeout_sent: false,
                members: vec![Member {
                    address_type: 9,
                    address: agent.to_string(),
                    device_call_type: 0,
                    device_type: 0,
                    channel_attrib: 3,
                    channel_state: 0,
                    role: 1,
                    enter_ms: now,
                    joined: true,
                    hold_voice_path: None,
                }],
            },
        );
        self.agent(agent).conf = Some(id);
        self.deferred.push((self.settings.conf_grant_delay_ms, Deferred::GrantConf { conf: id }));
        Ok(Reply::ok())
    }

    /// The application completes. An agent holding a call fails (`RequestFailed`); an
    /// agent in a stable call brings that call's parties into the conference.
    fn grant_conf(&mut self, conf: u64) {
        let Some(chair) = self.confs.get(&conf).filter(|c| !c.granted).map(|c| c.chair) else { return };
        if self.agent(chair).calls.iter().any(|c| c.state == CallState::Held) {
            self.confs.remove(&conf);
            self.agent(chair).conf = None;
            self.emit(chair, "AgentConf_RequestFailed", json!({"cause": 21234}));
            return;
        }
        self.emit(chair, "AgentState_Busy", Value::Null);
        self.emit(chair, "AgentOther_PhoneAlerting", Value::Null);
        self.emit(chair, "AgentOther_PhoneOffhook", Value::Null);
        self.emit(chair, "AgentConf_SelfJoinResult", json!({"confId": conf}));
        let absorbed = {
            let a = self.agent(chair);
            a.talking().map(|i| a.calls.remove(i))
        };
        let now = now_ms();
        if let Some(c) = self.confs.get_mut(&conf) {
            c.granted = true;
            c.started = Instant::now();
            c.start_ms = now;
            for p in absorbed.iter().flat_map(|call| call.parties.iter()) {
                c.members.push(Member {
                    address_type: 6,
                    address: p.number.clone(),
                    device_call_type: 0,
                    device_type: 0,
                    channel_attrib: 3,
                    channel_state: 0,
                    role: 0,
                    enter_ms: now,
                    joined: true,
                    hold_voice_path: None,
                });
            }
        }
        self.emit(chair, "AgentConf_RequestSuccess", json!({"confId": conf}));
    }

    pub fn run_deferred(&mut self, d: Deferred) {
        match d {
            Deferred::GrantConf { conf } => self.grant_conf(conf),
            Deferred::Join { conf, address_type, address } => self.join(conf, address_type, &address),
        }
    }

    fn join(&mut self, conf: u64, address_type: u8, address: &str) {
        let now = now_ms();
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address).filter(|&i| !c.members[i].joined) else { return };
        c.members[i].joined = true;
        c.members[i].enter_ms = now;
        let member = c.members[i].clone();
        if let Some(id) = member.agent_id() {
            self.emit(id, "AgentConf_SelfJoinResult", json!({"confId": conf}));
        }
        self.broadcast_change(conf, &member, 0, 255);
    }

    pub fn batch_add(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::batch_add(body)?;
        let conf = self.chaired(agent)?;
        let delay = self.settings.invite_answer_delay_ms;
        for p in req.addresses {
            let already = self.confs[&conf].member(p.address_type, &p.address).is_some();
            if already {
                continue;
            }
            let member = Member {
                address_type: p.address_type,
                address: p.address.clone(),
                device_call_type: p.device_call_type,
                device_type: p.device_type,
                channel_attrib: 3,
                channel_state: 0,
                role: 0,
                enter_ms: 0,
                joined: false,
                hold_voice_path: None,
            };
            if p.address_type == 9 {
                let id: Option<u32> = p.address.parse().ok();
                let reachable = id.filter(|&id| self.signed_in(id) && self.agents[&id].conf.is_none());
                let Some(id) = reachable else {
                    // Not signed in, unknown or busy in another conference: the invitation fails.
                    let failed = json!({
                        "result": 1, "changeReason": 255, "changeType": 0, "confId": conf,
                        "participant": p.address, "participantType": 9,
                        "deviceCallType": p.device_call_type, "deviceType": p.device_type,
                    });
                    self.emit(agent, "AgentConf_ParticipantChanged", failed);
                    continue;
                };
                let autoanswer = self.agents[&id].session.as_ref().is_some_and(|s| s.autoanswer);
                self.agent(id).conf = Some(conf);
                self.confs.get_mut(&conf).expect("chaired conference exists").members.push(member);
                self.emit(id, "AgentConf_Ringing", json!({"confId": conf}));
                if autoanswer {
                    self.deferred.push((delay, Deferred::Join { conf, address_type: 9, address: p.address }));
                }
            } else {
                self.confs.get_mut(&conf).expect("chaired conference exists").members.push(member);
                self.deferred.push((delay, Deferred::Join { conf, address_type: 6, address: p.address }));
            }
        }
        Ok(Reply::ok())
    }

    /// `answeragentconf`: an invited agent whose conference is ringing joins.
    pub fn answer_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.join(conf, 9, &agent.to_string());
        Ok(Reply::ok())
    }

    fn ringing_conf(&self, agent: u32) -> Result<u64, Fail> {
        let id = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        let c = &self.confs[&id];
        match c.member(9, &agent.to_string()) {
            Some(i) if !c.members[i].joined => Ok(id),
            _ => Err(Fail::new("101-003", "the agent has already joined the conference")),
        }
    }

    pub fn reject_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.leave_conf(conf, 9, &agent.to_string(), 0);
        self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
        self.emit(agent, "AgentState_Ready", Value::Null);
        Ok(Reply::ok())
    }

    pub fn leave_request(&mut self, agent: u32) -> Answer {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if self.confs[&conf].chair == agent {
            return Err(Fail::new("101-007", "the chairperson cannot leave the conference; release it instead"));
        }
        self.leave_conf(conf, 9, &agent.to_string(), 0);
        Ok(Reply::ok())
    }

    /// A member leaves (changeType 1 with `reason`); an agent gets `SelfLeaveResult`.
    fn leave_conf(&mut self, conf: u64, address_type: u8, address: &str, reason: i64) {
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address) else { return };
        let member = c.members.remove(i);
        if member.joined {
            self.broadcast_change(conf, &member, 1, reason);
        }
        if let Some(id) = member.agent_id() {
            self.agent(id).conf = None;
            if member.joined {
                self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
            }
        }
    }

    /// The conference ends: every agent member gets `SelfLeaveResult`.
    fn release_conf(&mut self, conf: u64) {
        let Some(c) = self.confs.remove(&conf) else { return };
        for m in &c.members {
            if let Some(id) = m.agent_id() {
                self.agent(id).conf = None;
                if m.joined {
                    self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
                }
            }
        }
    }

    pub fn release_conf_request(&mut self, agent: u32) -> Answer {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if self.confs[&conf].chair != agent {
            return Err(Fail::new("101-002", "the agent is not the chairperson of the conference"));
        }
        self.release_conf(conf);
        Ok(Reply::ok())
    }

    /// Hold (`held`) or unhold a joined participant: channelState 1/0, changeType 5/6.
    fn set_held(&mut self, agent: u32, target: &Address, held: bool, voice_path: Option<String>) -> Answer {
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        let Some(i) = c.member(target.address_type, &target.address).filter(|&i| c.members[i].joined) else {
            return Err(invalid(format!("{} is not a participant of conference {conf}", target.address)));
        };
        let m = &mut c.members[i];
        m.channel_state = if held { 1 } else { 0 };
        m.hold_voice_path = voice_path;
        let member = m.clone();
        self.broadcast_change(conf, &member, if held { 5 } else { 6 }, 255);
        Ok(Reply::ok())
    }

    pub fn hold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::hold(body)?;
        self.set_held(agent, &req.target, true, Some(req.voice_path))
    }

    pub fn unhold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let target = validate::unhold(body)?;
        self.set_held(agent, &target, false, None)
    }

    pub fn batch_remove(&mut self, agent: u32, body: &Value) -> Answer {
        let addresses = validate::batch_remove(body)?;
        let conf = self.chaired(agent)?;
        if addresses.iter().any(|a| a.address_type == 9 && a.address == agent.to_string()) {
            return Err(Fail::new("101-006", "the chairperson cannot remove itself"));
        }
        let mut missing = Vec::new();
        for a in addresses {
            if self.confs[&conf].member(a.address_type, &a.address).is_some() {
                self.leave_conf(conf, a.address_type, &a.address, 1);
            } else {
                missing.push(json!({"addressType": a.address_type.to_string(), "address": a.address}));
            }
        }
        Ok(Reply::with(json!({ "noExistParticipants": missing })))
    }

    /// `queryconfinfos`: an inspector sees every conference of its VDN, any other agent
    /// only the conference it belongs to; ids it may not see are left out of the answer.
    pub fn query_confs(&mut self, agent: u32, body: &Value) -> Answer {
        let ids = validate::query(body)?;
        let inspector = self.settings.is_inspector(agent);
        let vdn = self.settings.vdn_of(agent);
        let own = self.agents.get(&agent).and_then(|a| a.conf);
        let confs: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.confs.get(id))
            .filter(|c| c.granted && (Some(c.id) == own || (inspector && c.vdn == vdn)))
            .map(Conference::to_json)
            .collect();
        Ok(Reply::with(match self.settings.query_shape {
            crate::config::QueryShape::Confs => json!({ "confs": confs }),
            crate::config::QueryShape::Array => json!(confs),
        }))
    }

    // ------------------------------------------------------------------ inspection

    pub fn agent_json(&self, id: u32) -> Value {
        let Some(a) = self.agents.get(&id) else {
            return json!({"agent": id.to_string(), "signedIn": false, "lastSeq": 0, "queued": 0, "dropped": 0, "calls": [], "conf": null, "signouts": 0, "lastSignoutReason": null});
        };
        json!({
            "agent": id.to_string(),
            "signedIn": a.session.is_some(),
            "guid": a.session.as_ref().map(|s| self.guid_label(&s.guid)),
            "pollsInFlight": a.session.as_ref().map_or(0, |s| s.polls_in_flight),
            "lastSeq": a.seq,
            "queued": a.queue.len(),
            "dropped": a.dropped,
            "calls": a.calls.iter().map(Call::to_json).collect::<Vec<_>>(),
            "conf": a.conf,
            "signouts": a.signouts,
            "lastSignoutReason": a.last_signout_reason,
        })
    }

    pub fn agents_json(&self) -> Value {
        let mut ids: Vec<u32> = self.agents.values().filter(|a| a.session.is_some()).map(|a| a.id).collect();
        ids.sort_unstable();
        json!({ "signedIn": ids.iter().map(|id| id.to_string()).collect::<Vec<_>>() })
    }

    pub fn confs_json(&self) -> Value {
        let confs: Vec<Value> = self
            .confs
            .values()
            .map(|c| {
                let mut v = c.to_json();
                v["chair"] = json!(c.chair.to_string());
                v["vdn"] = json!(c.vdn);
                v["granted"] = json!(c.granted);
                v["memberNum"] = json!(c.member_num);
                v["promptTime"] = json!(c.prompt_minutes);
                v["members"] = c
                    .members
                    .iter()
                    .map(|m| {
                        let mut j = m.to_json();
                        j["joined"] = json!(m.joined);
                        j["holdVoicePath"] = json!(m.hold_voice_path);
                        j
                    })
                    .collect();
                v
            })
            .collect();
        json!({ "confs": confs })
    }
}
