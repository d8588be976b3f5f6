//! The simulated gateway's state: agents and their sessions, Guids, event queues,
//! voice calls and agent conferences. Everything here is synchronous and runs under one
//! lock; the server turns HTTP requests into calls on [`World`] and back.
//!
//! One module per interface family, as `src/` is split: `session` (onlineagent, Guids,
//! idle sign-out), `events` (queues and the poll), `voicecall` (calls), `agentconf`
//! (agent conferences). This file holds the shared state, the answer types and the
//! dispatch of timed work.
//!
//! Behaviour follows `shared/reference/ccgw-api.md` §2-§8; where the docs are silent the
//! choice is recorded in `sim/README.md` and noted here at the place it is made.

mod agentconf;
mod events;
mod session;
mod voicecall;

pub use agentconf::{Conference, ControlError, Member, ParticipantAction};
pub use events::{Event, PollStep};
pub use session::{Session, SignOutReason};
pub use voicecall::{Call, CallState, Party, PartyKind};

use crate::config::{Outcome, Settings};
use crate::validate;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
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

/// Work the world wants done later (the server schedules it on a timer).
#[derive(Debug, Clone)]
pub enum Deferred {
    /// The conference application completes: `SelfJoinResult`, then `RequestSuccess`.
    GrantConf { conf: u64 },
    /// An invited party answers (joins) or the invitation fails; `serial` names the
    /// invitation so a later one of the same address is not affected.
    Invite { conf: u64, address_type: u8, address: String, serial: u64, outcome: Outcome, result: i64 },
    /// The called party of an outbound call answers, or the call fails.
    Callout { agent: u32, callid: String, outcome: Outcome },
    /// The `AgentConf_Timeout` point of a conference (`serial`: its timer generation).
    ConfWarn { conf: u64, serial: u64 },
    /// The end of a conference's applied time.
    ConfEnd { conf: u64, serial: u64 },
    /// An announcement ends by itself: to the whole conference (`target` none) or to one
    /// participant.
    VoiceEnd { conf: u64, target: Option<(u8, String)>, serial: u64 },
}

#[derive(Debug)]
pub struct Agent {
    pub id: u32,
    pub seq: u64,
    pub queue: VecDeque<Event>,
    pub dropped: u64,
    /// Events lost to cluster switchovers and node restarts.
    pub lost_in_switchover: u64,
    pub notify: Arc<Notify>,
    pub session: Option<Session>,
    pub calls: Vec<Call>,
    /// Conference this agent is in (joined or ringing).
    pub conf: Option<u64>,
    pub signouts: u64,
    pub last_signout_reason: Option<&'static str>,
    /// The last call that ended (`calldata/callinfo?isNoContainLastCall=true`).
    pub last_call: Option<Call>,
}

impl Agent {
    fn new(id: u32) -> Agent {
        Agent {
            id,
            seq: 0,
            queue: VecDeque::new(),
            dropped: 0,
            lost_in_switchover: 0,
            notify: Arc::new(Notify::new()),
            session: None,
            calls: Vec::new(),
            conf: None,
            signouts: 0,
            last_signout_reason: None,
            last_call: None,
        }
    }

    fn talking(&self) -> Option<usize> {
        self.calls.iter().position(|c| c.state == CallState::Talking)
    }

    /// The call that is not on hold (talking, ringing, or being dialled), if any.
    fn active(&self) -> Option<usize> {
        self.calls.iter().position(|c| c.state != CallState::Held)
    }
}

pub struct World {
    pub settings: Settings,
    agents: HashMap<u32, Agent>,
    confs: BTreeMap<u64, Conference>,
    next_conf_id: u64,
    call_counter: u64,
    epoch_counter: u64,
    /// Numbers invitations, so a timed answer reaches only the invitation it was made for.
    invite_counter: u64,
    /// Every Guid ever issued, numbered, so the journal can name one without showing it.
    guid_serials: HashMap<String, u64>,
    /// Bumped by a reset so that timers scheduled before it do nothing.
    pub generation: u64,
    pub deferred: Vec<(u64, Deferred)>,
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
            invite_counter: 0,
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

    /// Idle sign-out; returns the agents signed out for idling. (Conference timers are
    /// [`Deferred`] work.)
    pub fn tick(&mut self, now: Instant) -> Vec<u32> {
        self.sign_out_idle(now)
    }

    pub fn run_deferred(&mut self, d: Deferred) {
        match d {
            Deferred::GrantConf { conf } => self.grant_conf(conf),
            Deferred::Invite { conf, address_type, address, serial, outcome, result } => {
                self.invite_outcome(conf, address_type, &address, serial, outcome, result)
            }
            Deferred::Callout { agent, callid, outcome } => self.callout_outcome(agent, &callid, outcome),
            Deferred::ConfWarn { conf, serial } => self.conf_warn(conf, serial),
            Deferred::ConfEnd { conf, serial } => self.conf_end(conf, serial),
            Deferred::VoiceEnd { conf, target, serial } => self.voice_end(conf, target, serial),
        }
    }

    /// Runs `d` now when `delay_ms` is 0 (its events come before the answer of the request
    /// that caused it), otherwise after the delay.
    fn later(&mut self, delay_ms: u64, d: Deferred) {
        if delay_ms == 0 {
            self.run_deferred(d);
        } else {
            self.deferred.push((delay_ms, d));
        }
    }

    /// The agent's phone is on-hook again: `AgentOther_PhoneRelease` (`phoneState` 2: by the
    /// agent, 3: by the platform), then the agent's resting state when nothing else holds it.
    fn phone_released(&mut self, agent: u32, by_agent: bool) {
        self.emit(agent, "AgentOther_PhoneRelease", json!({"phoneState": if by_agent { 2 } else { 3 }}));
        self.rest_if_free(agent);
    }

    /// After the agent's last call or conference ended: the event of the state it returns to
    /// (`AgentState_Ready` when idle; busy and work, as set by sign-in or `saybusy`/`work`,
    /// give `AgentState_SetNotReady_Success` / `AgentState_Work`).
    fn rest_if_free(&mut self, agent: u32) {
        let Some(a) = self.agents.get(&agent) else { return };
        let Some(status) = a.session.as_ref().map(|s| s.status) else { return };
        if !a.calls.is_empty() || a.conf.is_some() {
            return;
        }
        let event = match status {
            3 => "AgentState_SetNotReady_Success",
            5 => "AgentState_Work",
            _ => "AgentState_Ready",
        };
        self.emit(agent, event, Value::Null);
    }

    // ------------------------------------------------------------------ inspection

    pub fn agent_json(&self, id: u32) -> Value {
        let Some(a) = self.agents.get(&id) else {
            return json!({"agent": id.to_string(), "signedIn": false, "lastSeq": 0, "queued": 0, "dropped": 0, "lostInSwitchover": 0, "calls": [], "conf": null, "signouts": 0, "lastSignoutReason": null});
        };
        json!({
            "agent": id.to_string(),
            "signedIn": a.session.is_some(),
            "guid": a.session.as_ref().map(|s| self.guid_label(&s.guid)),
            "pollsInFlight": a.session.as_ref().map_or(0, |s| s.polls_in_flight),
            "lastSeq": a.seq,
            "queued": a.queue.len(),
            "dropped": a.dropped,
            "lostInSwitchover": a.lost_in_switchover,
            "calls": a.calls.iter().map(Call::to_json).collect::<Vec<_>>(),
            "conf": a.conf,
            "status": a.session.as_ref().map(|s| s.status),
            "signouts": a.signouts,
            "lastSignoutReason": a.last_signout_reason,
        })
    }

    pub fn agents_json(&self) -> Value {
        let mut ids: Vec<u32> = self.agents.values().filter(|a| a.session.is_some()).map(|a| a.id).collect();
        ids.sort_unstable();
        json!({ "signedIn": ids.iter().map(|id| id.to_string()).collect::<Vec<_>>() })
    }
}
