//! Events: the long-poll pump, the session's event queue, the callback dispatcher, and
//! typed events.
//!
//! The pump keeps one `GET agentevent/{agentid}` outstanding (log name `getAgentEvent`).
//! It is also the agent's keep-alive (the gateway signs an agent out after 2 minutes
//! without a poll) and, in dynamic authentication, where new Guids arrive (taken by
//! `Session::exchange` from any answer's `Set-GUID`). It runs on the multi-thread runtime,
//! with its own connection pool.
//!
//! Every session has one queue from its creation, so no event can arrive before there is
//! somewhere to put it. Consumers take events with `next` (each event goes to exactly one
//! caller) or through a callback run in order on the process-wide callback pool
//! (`crate::dispatch`).

use crate::error::{Error, Result};
use crate::log::log;
use crate::session::{lenient_i64, lenient_string, CallOptions, GuidUse, Session};
use crate::status::*;
use reqwest::Method;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio_util::sync::CancellationToken;

/// What an event is, for the typed fields that apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum EventKind {
    /// A gateway event without typed fields: its name and raw JSON.
    Other = 0,
    ConfParticipantChanged = 1,
    ConfRequestSuccess = 2,
    ConfRequestFailed = 3,
    ConfSelfJoinResult = 4,
    ConfTimeout = 5,
    ConfRinging = 6,
    ConfSelfLeaveResult = 7,
    ConfPresidentChanged = 8,
    ConfStopVoice = 9,
    ConfStopParticipantVoice = 10,
    /// `AgentEvent_Conference`: the agent entered a three-party call.
    Conference = 11,
    /// `AgentEvent_Customer_Release`: a customer left a call.
    CustomerRelease = 12,
    // Call, phone and agent state events (fields filled by `crate::typed_events`).
    CallTalking = 13,
    CallHold = 14,
    CallRelease = 15,
    ConnectFail = 16,
    CallOutFail = 17,
    CustomerAlerting = 18,
    CallRinging = 19,
    PhoneAlerting = 20,
    PhoneOffhook = 21,
    PhoneRelease = 22,
    ShutdownService = 23,
    AgentStateReady = 24,
    AgentStateBusy = 25,
    AgentStateNotReady = 26,
    AgentStateWork = 27,
    /// Any other `AgentState_*` event.
    AgentStateOther = 28,
    /// Library event: events were dropped, or may have been lost (`lost_count`,
    /// `lost_reason`, `gap_start`, `gap_end`): one per gap, in order with the others.
    EventsLost = 100,
    /// Library event: the gateway sent an event that could not be read (`message`, raw JSON).
    Malformed = 101,
    /// Library event: a poll failed; the pump retries with backoff (`status`, `message`).
    PumpError = 102,
    /// Library event: polls succeed again after failures.
    PumpRecovered = 103,
    /// Library event: the pump gave up on a lasting failure (`status`, `message`).
    PumpStopped = 104,
    /// Library event: one invitee of a tracked batch invitation has its outcome
    /// (`crate::invites`).
    InviteOutcome = 105,
    /// Library event: every invitee of a tracked batch invitation has its outcome.
    InvitesSettled = 106,
    /// Library event: the gateway says the session is gone (`status`: the reason, one of
    /// the 207-210 statuses; `cause_status`: what the gateway answered).
    SessionLost = 107,
    /// Library event: signing in again (`attempt`).
    SigningInAgain = 108,
    /// Library event: signed in again (`attempt`); polling resumes.
    SignedInAgain = 109,
    /// Library event: an attempt to sign in again failed (`status`, `attempt`); it is
    /// retried after a backoff unless the pump stops next.
    SignInAgainFailed = 110,
    /// Library event: a resynchronisation snapshot (`snapshot`), fetched after a gap.
    Snapshot = 111,
}

/// The gateway event types with typed fields, and their kinds.
const TYPED: &[(&str, EventKind)] = &[
    ("AgentConf_ParticipantChanged", EventKind::ConfParticipantChanged),
    ("AgentConf_RequestSuccess", EventKind::ConfRequestSuccess),
    ("AgentConf_RequestFailed", EventKind::ConfRequestFailed),
    ("AgentConf_SelfJoinResult", EventKind::ConfSelfJoinResult),
    ("AgentConf_Timeout", EventKind::ConfTimeout),
    ("AgentConf_Ringing", EventKind::ConfRinging),
    ("AgentConf_SelfLeaveResult", EventKind::ConfSelfLeaveResult),
    ("AgentConf_PresidentChanged", EventKind::ConfPresidentChanged),
    ("AgentConf_StopVoice", EventKind::ConfStopVoice),
    ("AgentConf_StopParticipantVoice", EventKind::ConfStopParticipantVoice),
    ("AgentEvent_Conference", EventKind::Conference),
    ("AgentEvent_Customer_Release", EventKind::CustomerRelease),
];

/// Why an EventsLost report dropped its events, or why events may have been lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum LostReason {
    /// Not an EventsLost report.
    None = 0,
    /// The queue held `queue_capacity` events.
    QueueFull = 1,
    /// The queued events held `queue_max_bytes` of memory.
    QueueBytes = 2,
    /// The event was larger than `max_event_bytes` (or alone would exceed `queue_max_bytes`).
    TooLarge = 3,
    /// A poll failed after it was sent (reset, timeout, cut-short or unreadable answer):
    /// the gateway may have taken an event off its queue for it.
    PollFailed = 4,
    /// Polls moved to another base URL, or a node answered a poll `000-004` (switching
    /// over): events queued on the node left behind, or during its switchover, are lost.
    Failover = 5,
    /// The session was lost and signed in again: events of the old session are lost.
    SignInAgain = 6,
}

impl LostReason {
    const ALL: [LostReason; 3] = [LostReason::QueueFull, LostReason::QueueBytes, LostReason::TooLarge];

    fn index(self) -> usize {
        (self as usize).saturating_sub(1).min(2)
    }

    /// Which reason a gap that had several is reported with (the one that loses most).
    fn rank(self) -> u8 {
        match self {
            LostReason::SignInAgain => 3,
            LostReason::Failover => 2,
            _ => 1,
        }
    }
}

/// Default of [`EventOptions::queue_max_bytes`]: 64 MiB.
pub const DEFAULT_QUEUE_MAX_BYTES: usize = 64 << 20;
/// Default of [`EventOptions::max_event_bytes`]: 1 MiB (the gateway's events are a few
/// hundred bytes; an answer may be at most 8 MiB).
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1 << 20;

/// Names of the library's own events.
pub const EVENTS_LOST: &str = "ccgw.EventsLost";
pub const EVENTS_MAY_BE_LOST: &str = "ccgw.EventsMayBeLost";
pub const SESSION_LOST: &str = "ccgw.SessionLost";
pub const SIGNING_IN_AGAIN: &str = "ccgw.SigningInAgain";
pub const SIGNED_IN_AGAIN: &str = "ccgw.SignedInAgain";
pub const SIGN_IN_AGAIN_FAILED: &str = "ccgw.SignInAgainFailed";
pub const SNAPSHOT: &str = "ccgw.Snapshot";
pub const MALFORMED: &str = "ccgw.MalformedEvent";
pub const PUMP_ERROR: &str = "ccgw.PumpError";
pub const PUMP_RECOVERED: &str = "ccgw.PumpRecovered";
pub const PUMP_STOPPED: &str = "ccgw.PumpStopped";

/// One event. Numbers the event does not carry are -1, strings empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    /// The gateway's `eventType`, or a `ccgw.*` name for the library's own events.
    pub type_name: String,
    /// `workNo`: the agent the event is for.
    pub work_no: String,
    /// `eventGenTime` (ms since the epoch) when the gateway gave it, else -1.
    pub gen_time: i64,
    /// When the library received it, ms since the epoch.
    pub received_time: i64,
    /// The library's sequence number for this session's events: 1, 2, 3, ...
    pub sequence: u64,
    /// The `content` member as received (`Null` when absent).
    pub content: Value,
    /// The whole `event` object as received (`Null` for library events).
    pub raw: Value,
    pub conf_id: i64,
    /// `result` of ParticipantChanged / StopVoice / StopParticipantVoice.
    pub result: i64,
    pub change_type: i64,
    pub change_reason: i64,
    pub participant: String,
    pub participant_type: i64,
    pub device_call_type: i64,
    pub device_type: i64,
    /// `cause` of RequestFailed.
    pub cause: i64,
    pub callid: String,
    /// `number` of Customer_Release.
    pub number: String,
    /// `partner` of Conference, split on `,`, `, ` and `，`.
    pub partners: Vec<String>,
    /// Library events: how many events were dropped (EventsLost).
    pub lost_count: u64,
    /// Library events: why they were dropped (EventsLost); `None` otherwise.
    pub lost_reason: LostReason,
    /// Library events: the status of the failure (PumpError, PumpStopped).
    pub status: ccgw_status,
    /// Library events: what happened.
    pub message: String,
    /// `caller` of AgentEvent_Talking / AgentEvent_Ringing.
    pub caller: String,
    /// `called` of AgentEvent_Talking / AgentEvent_Ringing.
    pub called: String,
    /// `phoneState` of AgentOther_PhoneRelease (2 on-hook by the agent, 3 by the platform).
    pub phone_state: i64,
    /// `reason` of AgentOther_ShutdownService.
    pub reason: String,
    /// InviteOutcome: the invitee's outcome (`crate::invites::Outcome` as a number).
    pub outcome: i32,
    /// InviteOutcome / InvitesSettled: the tracker the event is about.
    pub tracker_id: u64,
    /// EventsLost: the first and last instant of the gap, ms since the epoch; -1 otherwise.
    pub gap_start: i64,
    pub gap_end: i64,
    /// SessionLost, PumpStopped, SignInAgainFailed: the status the gateway's answer (or
    /// the failure) had, under the reason in `status`; `CCGW_OK` otherwise.
    pub cause_status: ccgw_status,
    /// SigningInAgain, SignedInAgain, SignInAgainFailed: the attempt, from 1; 0 otherwise.
    pub attempt: u32,
    /// Snapshot: the resynchronisation snapshot.
    pub snapshot: Option<Arc<crate::resync::Snapshot>>,
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl Event {
    pub(crate) fn blank(kind: EventKind, type_name: &str) -> Event {
        Event {
            kind,
            type_name: type_name.to_string(),
            work_no: String::new(),
            gen_time: -1,
            received_time: now_ms(),
            sequence: 0,
            content: Value::Null,
            raw: Value::Null,
            conf_id: -1,
            result: -1,
            change_type: -1,
            change_reason: -1,
            participant: String::new(),
            participant_type: -1,
            device_call_type: -1,
            device_type: -1,
            cause: -1,
            callid: String::new(),
            number: String::new(),
            partners: Vec::new(),
            lost_count: 0,
            lost_reason: LostReason::None,
            status: CCGW_OK,
            message: String::new(),
            caller: String::new(),
            called: String::new(),
            phone_state: -1,
            reason: String::new(),
            outcome: -1,
            tracker_id: 0,
            gap_start: -1,
            gap_end: -1,
            cause_status: CCGW_OK,
            attempt: 0,
            snapshot: None,
        }
    }

    /// A step of signing in again (`attempt` from 1).
    fn step(kind: EventKind, name: &str, status: ccgw_status, attempt: u32, message: &str) -> Event {
        let mut e = Event::library(kind, name, status, message);
        e.attempt = attempt;
        e
    }

    /// A gap report: events may have been lost between `start` and `end` (ms since the
    /// epoch) for `reason`.
    pub fn gap(reason: LostReason, start: i64, end: i64, message: &str) -> Event {
        let mut e = Event::library(EventKind::EventsLost, EVENTS_MAY_BE_LOST, CCGW_OK, message);
        e.lost_reason = reason;
        e.gap_start = start;
        e.gap_end = end.max(start);
        e
    }

    /// A library event about the pump or the queue.
    pub fn library(kind: EventKind, name: &str, status: ccgw_status, message: &str) -> Event {
        let mut e = Event::blank(kind, name);
        e.status = status;
        e.message = message.to_string();
        e
    }

    /// A malformed gateway event: reported, with the raw JSON, instead of dropped.
    fn malformed(raw: &Value, why: String) -> Event {
        let mut e = Event::blank(EventKind::Malformed, MALFORMED);
        e.type_name =
            raw.get("eventType").and_then(Value::as_str).map_or_else(|| MALFORMED.to_string(), str::to_string);
        e.work_no = lenient_string(raw.get("workNo"));
        e.content = raw.get("content").cloned().unwrap_or(Value::Null);
        e.raw = raw.clone();
        e.status = CCGW_E_MALFORMED_RESPONSE;
        e.message = why;
        e
    }

    /// Reads the `event` member of a poll answer.
    pub fn parse(raw: &Value) -> Event {
        let Some(obj) = raw.as_object() else {
            return Event::malformed(raw, "the event is not a JSON object".into());
        };
        let type_name = match obj.get("eventType") {
            Some(Value::String(t)) if !t.trim().is_empty() => t.trim().to_string(),
            _ => return Event::malformed(raw, "the event has no eventType".into()),
        };
        let kind = TYPED
            .iter()
            .find(|(n, _)| *n == type_name)
            .map(|(_, k)| *k)
            .or_else(|| crate::typed_events::kind_of(&type_name))
            .unwrap_or(EventKind::Other);
        let mut e = Event::blank(kind, &type_name);
        e.work_no = lenient_string(obj.get("workNo"));
        e.gen_time = lenient_i64(obj.get("eventGenTime")).unwrap_or(-1);
        e.content = obj.get("content").cloned().unwrap_or(Value::Null);
        e.raw = raw.clone();
        if kind == EventKind::Other {
            return e;
        }
        if crate::typed_events::handles(kind) {
            return match crate::typed_events::fill(&mut e) {
                Ok(()) => e,
                Err(why) => Event::malformed(raw, why),
            };
        }
        let Some(c) = e.content.as_object().cloned() else {
            return Event::malformed(raw, format!("{type_name}: content is not a JSON object"));
        };
        // An integer field: -1 when absent; present but not an integer is malformed.
        let int = |key: &str| -> std::result::Result<i64, String> {
            match c.get(key) {
                None | Some(Value::Null) => Ok(-1),
                v => lenient_i64(v).ok_or_else(|| format!("{type_name}: content.{key} is not an integer")),
            }
        };
        let text = |key: &str| lenient_string(c.get(key));
        let filled: std::result::Result<(), String> = (|| {
            match kind {
                EventKind::ConfParticipantChanged => {
                    e.result = int("result")?;
                    e.change_type = int("changeType")?;
                    e.change_reason = int("changeReason")?;
                    e.conf_id = int("confId")?;
                    e.participant = text("participant");
                    e.participant_type = int("participantType")?;
                    e.device_call_type = int("deviceCallType")?;
                    e.device_type = int("deviceType")?;
                }
                EventKind::ConfRequestFailed => e.cause = int("cause")?,
                EventKind::ConfStopVoice | EventKind::ConfStopParticipantVoice => e.result = int("result")?,
                EventKind::Conference => {
                    e.callid = text("callid");
                    e.partners = split_partners(&text("partner"));
                }
                EventKind::CustomerRelease => {
                    e.callid = text("callid");
                    e.number = text("number");
                }
                _ => e.conf_id = int("confId")?,
            }
            Ok(())
        })();
        match filled {
            Ok(()) => e,
            Err(why) => Event::malformed(raw, why),
        }
    }
}

/// `AgentEvent_Conference.partner`: numbers separated by `,`, `, ` or the full-width `，`.
pub fn split_partners(s: &str) -> Vec<String> {
    s.split([',', '，']).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// Heap bytes a JSON value holds beyond its own `Value` slot (an estimate that counts
/// strings, array slots, and map entries with their keys and node share).
fn value_heap(v: &Value) -> usize {
    const ENTRY: usize = std::mem::size_of::<String>() + std::mem::size_of::<Value>() + 16;
    match v {
        Value::String(s) => s.capacity(),
        Value::Array(a) => a.capacity() * std::mem::size_of::<Value>() + a.iter().map(value_heap).sum::<usize>(),
        Value::Object(m) => m.iter().map(|(k, v)| ENTRY + k.capacity() + value_heap(v)).sum(),
        _ => 0,
    }
}

/// Length of `v` as compact JSON text, counted without building the text.
pub fn json_len(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

impl Event {
    /// The memory this event holds while queued, in bytes: the struct, its strings, and
    /// its parsed JSON (`raw` and the `content` copy). What `queue_max_bytes` counts.
    pub fn weight(&self) -> usize {
        let strings = [
            &self.type_name,
            &self.work_no,
            &self.participant,
            &self.callid,
            &self.number,
            &self.message,
            &self.caller,
            &self.called,
            &self.reason,
        ]
        .iter()
        .map(|s| s.capacity())
        .sum::<usize>();
        let partners = self.partners.capacity() * std::mem::size_of::<String>()
            + self.partners.iter().map(String::capacity).sum::<usize>();
        std::mem::size_of::<Event>() + strings + partners + value_heap(&self.raw) + value_heap(&self.content)
    }
}

/// Pump settings; zero fields take the defaults.
#[derive(Clone, Debug)]
pub struct EventOptions {
    /// Events kept before the pump stops fetching (and, after `max_stall`, drops).
    pub queue_capacity: usize,
    /// Memory the queued events may hold, in bytes (see [`Event::weight`]); reaching it
    /// pauses the pump like a full count does.
    pub queue_max_bytes: usize,
    /// Largest event accepted, as JSON text bytes; a larger one is dropped and reported.
    pub max_event_bytes: usize,
    /// Read timeout of one poll; must exceed the gateway's hold time (10 s by default).
    pub poll_timeout: Duration,
    /// Pause after an answer without an event (the docs ask for 200-500 ms).
    pub poll_interval: Duration,
    /// How long failing polls are ridden out before the pump gives up.
    pub max_outage: Duration,
    /// Longest pause between retries.
    pub backoff_max: Duration,
    /// How long the pump waits for room in a full queue before it polls anyway (dropping
    /// the oldest event, reported) to keep the agent signed in.
    pub max_stall: Duration,
    /// After a gap (EventsLost for a failed poll, a fail-over or a new sign-in), fetch a
    /// resynchronisation snapshot (`crate::resync`) and deliver it as a Snapshot event
    /// right after the gap's report.
    pub resync_after_gap: bool,
}

impl Default for EventOptions {
    fn default() -> Self {
        EventOptions {
            queue_capacity: 4096,
            queue_max_bytes: DEFAULT_QUEUE_MAX_BYTES,
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
            poll_timeout: Duration::from_secs(30),
            poll_interval: Duration::from_millis(300),
            max_outage: Duration::from_secs(90),
            backoff_max: Duration::from_secs(5),
            max_stall: Duration::from_secs(60),
            resync_after_gap: false,
        }
    }
}

struct QueueState {
    /// Queued events with their weights.
    events: VecDeque<(Event, usize)>,
    capacity: usize,
    max_bytes: usize,
    /// `max_event_bytes` of the pump feeding the queue (for the reports' text).
    max_event_bytes: usize,
    /// Sum of the queued events' weights.
    bytes: usize,
    /// Highest `bytes` seen.
    peak_bytes: usize,
    /// Events dropped since the last EventsLost report, per reason (`LostReason::index`).
    lost: [u64; 3],
    /// When the first and the last of them were received (ms since the epoch), per reason.
    lost_span: [(i64, i64); 3],
    sequence: u64,
    closed: bool,
}

/// The session's bounded event queue: blocking takes with a timeout, for plain threads.
/// Bounded by count and by memory (the events' [`Event::weight`]).
pub struct Queue {
    state: Mutex<QueueState>,
    readable: Condvar,
    /// Wakes a pump waiting for room.
    room: tokio::sync::Notify,
    /// The session's callback slot, woken as events arrive (`crate::dispatch`).
    pub(crate) listener: std::sync::OnceLock<std::sync::Weak<crate::dispatch::Slot>>,
}

/// What a take found.
#[derive(Debug, PartialEq)]
pub enum Take {
    Event(Box<Event>),
    Timeout,
    Closed,
}

impl Queue {
    pub fn new(capacity: usize, max_bytes: usize) -> Queue {
        Queue {
            state: Mutex::new(QueueState {
                events: VecDeque::new(),
                capacity: capacity.max(1),
                max_bytes: max_bytes.max(1),
                max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
                bytes: 0,
                peak_bytes: 0,
                lost: [0; 3],
                lost_span: [(0, 0); 3],
                sequence: 0,
                closed: false,
            }),
            readable: Condvar::new(),
            room: tokio::sync::Notify::new(),
            listener: std::sync::OnceLock::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the bounds (from the pump's options); events already queued stay.
    pub fn set_limits(&self, opts: &EventOptions) {
        let mut s = self.lock();
        s.capacity = opts.queue_capacity.max(1);
        s.max_bytes = opts.queue_max_bytes.max(1);
        s.max_event_bytes = opts.max_event_bytes;
    }

    pub fn len(&self) -> usize {
        self.lock().events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Memory held by the queued events now, and the most it held: (bytes, peak bytes).
    pub fn bytes(&self) -> (usize, usize) {
        let s = self.lock();
        (s.bytes, s.peak_bytes)
    }

    /// No event can be added without dropping one (by count or by memory).
    pub fn is_full(&self) -> bool {
        !self.lock().has_room(1)
    }

    /// Whether an event of `weight` fits without dropping one.
    pub fn fits(&self, weight: usize) -> bool {
        self.lock().has_room(weight)
    }

    /// Adds an event, numbering it. When it does not fit, the oldest events are dropped
    /// until it does; an event heavier than the whole byte bound is dropped itself. Drops
    /// are counted per reason and reported by EventsLost events placed before the next
    /// event taken.
    pub fn push(&self, e: Event) {
        self.push_weighed(e.weight(), e);
    }

    fn push_weighed(&self, weight: usize, mut e: Event) {
        let mut s = self.lock();
        if s.closed {
            return;
        }
        s.sequence += 1;
        e.sequence = s.sequence;
        if weight > s.max_bytes {
            s.count_lost(LostReason::TooLarge, e.received_time);
        } else {
            while s.events.len() >= s.capacity {
                s.drop_oldest(LostReason::QueueFull);
            }
            while s.bytes + weight > s.max_bytes {
                s.drop_oldest(LostReason::QueueBytes);
            }
            s.bytes += weight;
            s.peak_bytes = s.peak_bytes.max(s.bytes);
            s.events.push_back((e, weight));
        }
        drop(s);
        self.readable.notify_one();
        self.wake_listener();
    }

    /// Tells the callback slot, if any, that there is something to take.
    fn wake_listener(&self) {
        if let Some(slot) = self.listener.get().and_then(std::sync::Weak::upgrade) {
            slot.notify();
        }
    }

    /// Counts an event that was refused before it was queued (it takes a sequence number,
    /// so the gap is visible) and reports it like the others.
    pub fn drop_refused(&self, reason: LostReason) {
        let mut s = self.lock();
        if s.closed {
            return;
        }
        s.sequence += 1;
        s.count_lost(reason, now_ms());
        drop(s);
        self.readable.notify_one();
        self.wake_listener();
    }

    /// Takes the next event, waiting up to `timeout`. After close, queued events are still
    /// handed out, then `Closed`.
    pub fn take(&self, timeout: Duration) -> Take {
        self.take_until(Instant::now().checked_add(timeout))
    }

    /// Takes the next event (a loss report first) without waiting.
    pub fn try_take(&self) -> Option<Box<Event>> {
        let mut s = self.lock();
        self.pop(&mut s)
    }

    /// Whether something waits to be taken (an event or a loss report).
    pub fn has_pending(&self) -> bool {
        let s = self.lock();
        !s.events.is_empty() || s.lost.iter().any(|&n| n > 0)
    }

    /// The next event or loss report, if any; wakes a pump waiting for room.
    fn pop(&self, s: &mut std::sync::MutexGuard<'_, QueueState>) -> Option<Box<Event>> {
        if let Some(report) = s.lost_report() {
            return Some(Box::new(report));
        }
        let (e, weight) = s.events.pop_front()?;
        s.bytes -= weight;
        self.room.notify_one();
        Some(Box::new(e))
    }

    /// Takes the next event, waiting until `deadline` (None: no limit).
    pub fn take_until(&self, deadline: Option<Instant>) -> Take {
        let mut s = self.lock();
        loop {
            if let Some(e) = self.pop(&mut s) {
                return Take::Event(e);
            }
            if s.closed {
                return Take::Closed;
            }
            s = match deadline {
                None => self.readable.wait(s).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Take::Timeout;
                    }
                    self.readable.wait_timeout(s, d - now).unwrap_or_else(|e| e.into_inner()).0
                }
            };
        }
    }

    /// No more events will be added; waiters wake.
    pub fn close(&self) {
        self.lock().closed = true;
        self.readable.notify_all();
        self.room.notify_waiters();
    }

    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Waits until an event of `weight` fits, or `deadline` passes; true when it fits (or
    /// the queue is closed).
    async fn wait_for_room(&self, weight: usize, deadline: tokio::time::Instant) -> bool {
        loop {
            let notified = self.room.notified();
            if self.fits(weight) || self.is_closed() {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.fits(weight);
            }
        }
    }
}

impl QueueState {
    fn has_room(&self, weight: usize) -> bool {
        self.events.len() < self.capacity && self.bytes.saturating_add(weight) <= self.max_bytes
    }

    fn drop_oldest(&mut self, reason: LostReason) {
        if let Some((e, weight)) = self.events.pop_front() {
            self.bytes -= weight;
            self.count_lost(reason, e.received_time);
        }
    }

    /// Counts one dropped event received at `at`, widening the span of its reason's gap.
    fn count_lost(&mut self, reason: LostReason, at: i64) {
        let i = reason.index();
        let span = &mut self.lost_span[i];
        if self.lost[i] == 0 {
            *span = (at, at);
        } else {
            *span = (span.0.min(at), span.1.max(at));
        }
        self.lost[i] += 1;
    }

    /// The EventsLost report due before the next event, if any (one per reason).
    fn lost_report(&mut self) -> Option<Event> {
        let reason = LostReason::ALL.into_iter().find(|r| self.lost[r.index()] > 0)?;
        let lost = std::mem::take(&mut self.lost[reason.index()]);
        let why = match reason {
            LostReason::QueueFull => format!("the queue held queue_capacity ({}) events", self.capacity),
            LostReason::QueueBytes => {
                format!("the queued events held queue_max_bytes ({} bytes) of memory", self.max_bytes)
            }
            _ => format!(
                "each was larger than max_event_bytes ({} bytes of JSON) or than queue_max_bytes ({} bytes)",
                self.max_event_bytes, self.max_bytes
            ),
        };
        let mut e = Event::library(
            EventKind::EventsLost,
            EVENTS_LOST,
            CCGW_OK,
            &format!("{lost} event(s) were dropped: {why}"),
        );
        e.lost_count = lost;
        e.lost_reason = reason;
        (e.gap_start, e.gap_end) = self.lost_span[reason.index()];
        Some(e)
    }
}

/// What a failed poll means for the pump.
#[derive(Debug, PartialEq)]
enum Failure {
    /// Retry with backoff (until `max_outage` without `auto_resign_in`).
    Transient,
    /// The gateway says it does not know the session (`100-006`, `100-008`, `000-003`):
    /// re-checked once, then the session is lost.
    NotKnown,
    /// The session is gone for sure: the status says why (207-210).
    Lost(ccgw_status),
    /// Give up now (`CCGW_E_PUMP_FAILED`).
    Lasting,
}

/// `105-001`..`105-007` (reference §8.2), for a client: `105-002` (recovery in progress) and
/// `105-003` (recovery finished) are passing states, polled through with backoff; the
/// others mean the gateway lost the session in its recovery (`105-001` not cached, `105-004`
/// not queued) or says to sign in again (`105-005`, `105-006`, `105-007`).
fn classify(status: ccgw_status) -> Failure {
    match status {
        CCGW_E_GW_NOT_SIGNED_IN | CCGW_E_GW_ALREADY_SIGNED_OUT | CCGW_E_GW_NO_RIGHT => Failure::NotKnown,
        CCGW_E_NOT_SIGNED_IN => Failure::Lost(CCGW_E_SESSION_LOST),
        CCGW_E_GW_DR_NOT_CACHED
        | CCGW_E_GW_DR_QUEUE_FAILED
        | CCGW_E_GW_DR_WAIT_TIMEOUT
        | CCGW_E_GW_DR_GUID_MISMATCH
        | CCGW_E_GW_DR_SWITCH_OFF => Failure::Lost(CCGW_E_SESSION_DR_SIGN_IN_AGAIN),
        CCGW_E_TLS | CCGW_E_GW_WRONG_EVENT_METHOD | CCGW_E_INVALID_ARGUMENT => Failure::Lasting,
        _ => Failure::Transient,
    }
}

/// Whether a poll that failed with `status` may have made the gateway take an event off
/// its queue that never reached the library: it was sent, and no envelope came back.
/// Nothing is lost when the poll was never sent (connection refused, TLS, proxy,
/// `CCGW_E_NOT_SENT`) or when the gateway answered with a refusal (its envelope).
fn may_lose_events(e: &Error) -> bool {
    match e.status {
        CCGW_E_RESPONSE_TIMEOUT
        | CCGW_E_CONNECTION_LOST
        | CCGW_E_TRUNCATED_RESPONSE
        | CCGW_E_MALFORMED_RESPONSE
        | CCGW_E_UNEXPECTED_CONTENT_TYPE => true,
        // A front end's 500/502/504 may come after it passed the poll on; 503 (and
        // anything else) says it did not.
        CCGW_E_HTTP_STATUS => matches!(e.http_status, 500 | 502 | 504),
        // The fail-over policy's name for a 502/504 before any envelope.
        CCGW_E_BAD_GATEWAY => true,
        _ => e.gateway_may_have_acted,
    }
}

/// Whether a failed sign-in is worth retrying: no for a refusal that a retry cannot
/// change (credentials, a locked account, a bad parameter, an agent signed in elsewhere
/// without forced re-sign-in allowed, a certificate).
fn sign_in_retryable(status: ccgw_status) -> bool {
    !matches!(
        status,
        CCGW_E_GW_WRONG_CREDENTIALS
            | CCGW_E_GW_SIGNIN_PARAMETER
            | CCGW_E_GW_SIGNIN_INVALID
            | CCGW_E_GW_WRONG_AGENT_TYPE
            | CCGW_E_GW_PHONE_INVALID
            | CCGW_E_GW_PHONE_OUT_OF_RANGE
            | CCGW_E_GW_CANNOT_FORCE_OUT
            | CCGW_E_GW_INVALID_IP
            | CCGW_E_GW_UPORTAL_AUTH
            | CCGW_E_GW_VDN_MISMATCH
            | CCGW_E_GW_PASSWORD_EXPIRED
            | CCGW_E_GW_ACCOUNT_LOCKED
            | CCGW_E_GW_ACCOUNT_LOCKED_ATTEMPTS
            | CCGW_E_GW_ALREADY_SIGNED_IN
            | CCGW_E_TLS
            | CCGW_E_INVALID_ARGUMENT
            | CCGW_E_MISSING_ARGUMENT
            | CCGW_E_TOO_LONG
            | CCGW_E_OUT_OF_RANGE
    )
}

/// The running pump: its stop token and completion.
pub struct PumpHandle {
    stop: CancellationToken,
    done: tokio::task::JoinHandle<()>,
}

/// An application callback for events; called in order on a thread of the callback pool
/// (`crate::dispatch`), one event of a session at a time.
pub type Callback = Box<dyn FnMut(&Event) + Send>;

/// A session's event machinery: the queue, the pump, the callback dispatcher, the pump's
/// final status.
pub struct Hub {
    pub queue: Arc<Queue>,
    pump: Mutex<Option<PumpHandle>>,
    /// The callback and its place in the dispatch pool.
    dispatch: Arc<crate::dispatch::Slot>,
    /// `CCGW_OK`, or the status of the lasting failure that stopped the pump.
    failure: AtomicI32,
    running: Arc<AtomicBool>,
}

impl Default for Hub {
    fn default() -> Self {
        let queue = Arc::new(Queue::new(EventOptions::default().queue_capacity, DEFAULT_QUEUE_MAX_BYTES));
        let dispatch = Arc::new(crate::dispatch::Slot::new(queue.clone()));
        // The queue wakes the slot (it holds it weakly: the slot holds the queue).
        let _ = queue.listener.set(Arc::downgrade(&dispatch));
        Hub {
            queue,
            pump: Mutex::new(None),
            dispatch,
            failure: AtomicI32::new(CCGW_OK),
            running: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Hub {
    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    pub fn failure(&self) -> ccgw_status {
        self.failure.load(Ordering::SeqCst)
    }
}

impl Session {
    fn hub(&self) -> &Hub {
        &self.0.events
    }

    /// Starts the pump. Refused without a Guid (`CCGW_E_NOT_SIGNED_IN`), when it already
    /// runs (`CCGW_E_BUSY`), or after close.
    pub fn start_events(&self, opts: &EventOptions) -> Result<()> {
        if self.is_closed() {
            return Err(Error::new(CCGW_E_CLOSED, "events: the session is closed"));
        }
        if self.guid().is_none() {
            return Err(Error::new(CCGW_E_NOT_SIGNED_IN, "events: the session has no Guid; sign in first"));
        }
        let hub = self.hub();
        let mut slot = hub.pump.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = slot.as_ref() {
            if !p.done.is_finished() {
                return Err(Error::new(CCGW_E_BUSY, "events: the pump is already running"));
            }
        }
        hub.queue.set_limits(opts);
        self.clear_signing_out();
        hub.failure.store(CCGW_OK, Ordering::SeqCst);
        hub.running.store(true, Ordering::SeqCst);
        let stop = CancellationToken::new();
        let rt = crate::runtime::handle()?;
        let done = rt.spawn(pump(self.clone(), opts.clone(), stop.clone()));
        *slot = Some(PumpHandle { stop, done });
        log!(Info, "events", "event pump started");
        Ok(())
    }

    /// Stops the pump: the outstanding poll is cancelled, not waited out. Events already
    /// queued stay. Returns once the pump has ended. Idempotent.
    pub async fn stop_events(&self) {
        let handle = self.hub().pump.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(p) = handle {
            p.stop.cancel();
            let _ = p.done.await;
            log!(Info, "events", "event pump stopped");
        }
    }

    /// Takes the next event, waiting up to `timeout` (blocks the calling thread).
    pub fn next_event(&self, timeout: Duration) -> Take {
        self.hub().queue.take(timeout)
    }

    /// Registers `callback` (replacing any other) or, with `None`, unregisters. The
    /// callback runs on a thread of the process-wide callback pool (`crate::dispatch`),
    /// in queue order, never two at once for one session, and may call any blocking ccgw
    /// function. Unregistering waits for a running callback to return and then drops it;
    /// from inside the callback itself it takes effect when the callback returns (the
    /// callback is then dropped on the pool thread).
    pub fn set_event_callback(&self, callback: Option<Callback>) -> Result<()> {
        if callback.is_some() {
            // A pool thread may start from here on: a fork must be detected.
            crate::runtime::claim_process();
        }
        self.hub().dispatch.set(callback);
        Ok(())
    }

    pub fn events_running(&self) -> bool {
        self.hub().running()
    }

    /// `CCGW_OK`, or the status of the lasting failure that stopped the pump.
    pub fn events_failure(&self) -> ccgw_status {
        self.hub().failure()
    }
}

/// Clears `running` however the pump ends, or earlier with [`RunningFlag::clear`].
struct RunningFlag(Option<Arc<AtomicBool>>);

impl RunningFlag {
    /// Marks the pump stopped now, once: before it reports `PumpStopped`, so an application
    /// that reads that event sees `events_running` false (and may start a new pump, whose
    /// flag this one's end then leaves alone).
    fn clear(&mut self) {
        if let Some(f) = self.0.take() {
            f.store(false, Ordering::SeqCst);
        }
    }
}

impl Drop for RunningFlag {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A stretch of time in which events may have been lost, not yet reported: reported once,
/// when polls work again, with its span.
struct Gap {
    start: i64,
    reason: LostReason,
    what: String,
}

impl Gap {
    /// The EventsLost report of this gap, ending at `end`.
    fn report(self, end: i64) -> Event {
        let what =
            format!("events may have been lost between {} and {end} (ms since the epoch): {}", self.start, self.what);
        log!(Warn, "getAgentEvent", "{}", what);
        Event::gap(self.reason, self.start, end, &what)
    }
}

fn widen(gap: &mut Option<Gap>, start: i64, reason: LostReason, what: String) {
    match gap {
        Some(g) => {
            g.start = g.start.min(start);
            if reason.rank() > g.reason.rank() {
                g.reason = reason;
                g.what = what;
            }
        }
        None => *gap = Some(Gap { start, reason, what }),
    }
}

/// How a pump's recovery from a lost session ended.
enum Recovery {
    /// Signed in again: poll on.
    SignedIn,
    /// Stopped, closed or signing out: end the pump (any report is made).
    End,
}

/// The pump's state between polls.
struct PumpRun {
    session: Session,
    opts: EventOptions,
    stop: CancellationToken,
    running: RunningFlag,
    queue: Arc<Queue>,
    /// The open gap, reported when polls work again (or before the pump stops).
    gap: Option<Gap>,
    /// When the pump last signed in again by force: it does so at most once per
    /// [`FORCED_RESIGN_IN_EVERY`], so two clients set to take the agent back by force do
    /// not take it from each other for ever.
    last_forced: Option<Instant>,
}

/// The shortest time between two forced re-sign-ins of one pump.
const FORCED_RESIGN_IN_EVERY: Duration = Duration::from_secs(60);

/// Each request of a snapshot the pump fetches after a gap waits at most this long, and
/// the whole snapshot at most [`SNAPSHOT_BUDGET`]: the pump is the agent's keep-alive.
const SNAPSHOT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const SNAPSHOT_BUDGET: Duration = Duration::from_secs(30);

impl PumpRun {
    /// Stops the pump for good: `status` names the reason, `cause` what happened; the
    /// application is told once (one PumpStopped event; `events_failure` returns it).
    fn stop_with(&mut self, status: ccgw_status, cause: &Error) {
        log!(Error, "getAgentEvent", "event pump stopped: {}", cause.message);
        // A gap still open ends here: reported before the stop.
        if let Some(g) = self.gap.take() {
            self.queue.push(g.report(now_ms()));
        }
        let hub = self.session.hub();
        hub.failure.store(status, Ordering::SeqCst);
        self.running.clear();
        let mut e = Event::library(EventKind::PumpStopped, PUMP_STOPPED, status, &cause.message);
        e.cause_status = cause.status;
        self.queue.push(e);
    }

    /// Sleeps `d` unless the pump is stopped or the session closed (then false).
    async fn pause(&self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = self.stop.cancelled() => false,
            _ = self.session.closed() => false,
        }
    }

    /// The session is gone (`reason`, one of 207-210, for `cause`): reports it, forgets
    /// the dead Guid, and either signs in again (`auto_resign_in`), retrying with backoff
    /// and jitter until it works, a refusal no retry cures, sign-out or close; or stops.
    /// Signed in again, the gap from `since` is open (reported when polls work again).
    async fn recover(&mut self, reason: ccgw_status, cause: &Error, since: i64) -> Recovery {
        const OP: &str = "getAgentEvent";
        if self.session.signing_out() {
            return Recovery::End;
        }
        log!(Warn, OP, "the session is gone: {}", cause.message);
        let mut lost = Event::library(EventKind::SessionLost, SESSION_LOST, reason, &cause.message);
        lost.cause_status = cause.status;
        self.queue.push(lost);
        self.session.clear_guid();
        self.session.0.confs.mark_unsynced();
        if !self.session.auto_resign_in() {
            self.stop_with(reason, cause);
            return Recovery::End;
        }
        let call = CallOptions { timeout: None, cancel: Some(self.stop.clone()) };
        for attempt in 1u32.. {
            let Some(kept) = self.session.kept_sign_in() else {
                // Signed out (or closed) meanwhile.
                return Recovery::End;
            };
            let mut req = crate::session::KeptSignIn(kept.0.clone());
            drop(kept);
            let may_force = self.last_forced.is_none_or(|t| t.elapsed() >= FORCED_RESIGN_IN_EVERY);
            req.0.force = req.0.allow_forced_resign_in && may_force;
            if req.0.allow_forced_resign_in && !may_force {
                log!(Warn, OP, "signed in again by force less than a minute ago; this time without force");
            }
            let step = format!("signing in again (attempt {attempt})");
            self.queue.push(Event::step(EventKind::SigningInAgain, SIGNING_IN_AGAIN, CCGW_OK, attempt, &step));
            log!(Info, OP, "signing in again (attempt {attempt})");
            let r = tokio::select! {
                r = self.session.sign_in(&req.0, &call) => r,
                _ = self.session.closed() => return Recovery::End,
            };
            drop(req);
            match r {
                Ok(res) => {
                    self.session.set_sign_in_in_doubt(false);
                    if res.forced {
                        self.last_forced = Some(Instant::now());
                    }
                    let how = if res.forced { " (by force)" } else { "" };
                    let done = format!("signed in again{how} after {attempt} attempt(s)");
                    self.queue.push(Event::step(EventKind::SignedInAgain, SIGNED_IN_AGAIN, CCGW_OK, attempt, &done));
                    log!(Info, OP, "signed in again{how}");
                    let what = format!("the session was lost ({}) and signed in again", cause.message);
                    widen(&mut self.gap, since, LostReason::SignInAgain, what);
                    return Recovery::SignedIn;
                }
                Err(e) if e.status == CCGW_E_CANCELLED || e.status == CCGW_E_CLOSED => {
                    // Cut short in flight: the gateway may have signed the agent in.
                    self.session.set_sign_in_in_doubt(true);
                    return Recovery::End;
                }
                Err(e) => {
                    // The answer lost after sending, or "already signed in" (perhaps by
                    // that lost attempt): the agent may be signed in at the gateway.
                    self.session.set_sign_in_in_doubt(
                        crate::status::outcome(e.status) == CCGW_OUTCOME_MAY_HAVE_RUN
                            || e.status == CCGW_E_GW_ALREADY_SIGNED_IN,
                    );
                    let retry = sign_in_retryable(e.status) && !self.session.signing_out();
                    let wait = jitter(backoff(attempt, self.opts.backoff_max));
                    let msg = if retry {
                        format!("{}; retrying in {} ms", e.message, wait.as_millis())
                    } else {
                        format!("{}; not retried", e.message)
                    };
                    let mut failed =
                        Event::step(EventKind::SignInAgainFailed, SIGN_IN_AGAIN_FAILED, e.status, attempt, &msg);
                    failed.cause_status = e.status;
                    self.queue.push(failed);
                    if !retry {
                        if self.session.signing_out() {
                            return Recovery::End;
                        }
                        self.stop_with(CCGW_E_RESIGN_IN_FAILED, &e);
                        return Recovery::End;
                    }
                    log!(Warn, OP, "signing in again failed ({}); retrying in {} ms", e.message, wait.as_millis());
                    if !self.pause(wait).await {
                        return Recovery::End;
                    }
                }
            }
        }
        Recovery::End
    }

    /// Reports the open gap, if any, as ending at `end` and, when asked, follows it with a
    /// snapshot (or, when none could be fetched, a Snapshot event with the failure's status
    /// and no snapshot).
    async fn close_gap(&mut self, end: i64) {
        let Some(gap) = self.gap.take() else { return };
        self.queue.push(gap.report(end));
        if !self.opts.resync_after_gap {
            return;
        }
        let call = CallOptions { timeout: Some(SNAPSHOT_REQUEST_TIMEOUT), cancel: Some(self.stop.clone()) };
        let snap = tokio::select! {
            s = tokio::time::timeout(SNAPSHOT_BUDGET, self.session.snapshot(&call)) => s,
            _ = self.session.closed() => return,
        };
        let e = match snap {
            Ok(Ok(snap)) => {
                let mut e = Event::library(EventKind::Snapshot, SNAPSHOT, CCGW_OK, &snap.summary());
                e.snapshot = Some(Arc::new(snap));
                e
            }
            Ok(Err(e)) if e.status == CCGW_E_CANCELLED || e.status == CCGW_E_CLOSED => return,
            Ok(Err(e)) => {
                Event::library(EventKind::Snapshot, SNAPSHOT, e.status, &format!("no snapshot: {}", e.message))
            }
            Err(_) => Event::library(
                EventKind::Snapshot,
                SNAPSHOT,
                CCGW_E_TIMEOUT,
                &format!("no snapshot: it took longer than {} s", SNAPSHOT_BUDGET.as_secs()),
            ),
        };
        self.queue.push(e);
    }
}

/// The pump's loop.
async fn pump(session: Session, opts: EventOptions, stop: CancellationToken) {
    const OP: &str = "getAgentEvent";
    let hub = session.hub();
    let running = RunningFlag(Some(hub.running.clone()));
    let queue = hub.queue.clone();
    let mut run = PumpRun {
        session: session.clone(),
        opts: opts.clone(),
        stop: stop.clone(),
        running,
        queue,
        gap: None,
        last_forced: None,
    };
    let queue = run.queue.clone();
    let path = format!("agentevent/{}", session.agent_id());
    let call = CallOptions { timeout: Some(opts.poll_timeout), cancel: Some(stop.clone()) };
    let mut failing_since: Option<Instant> = None;
    let mut failures: u32 = 0;
    // Gap bookkeeping: when the library last surely had every event (the last answered
    // poll), the node that answered it, an open gap, and a pending re-check of a single
    // "not signed in" (a request misrouted behind a balancer).
    let mut last_ok = now_ms();
    let mut last_node: Option<usize> = None;
    let mut rechecking = false;
    // A refusal of a Guid that rotated while the poll was out is polled through once in a
    // row (not counted as the re-check, and never a loop).
    let mut grace_used = false;
    // When the current wait for room (before a poll, or for a received event) must end:
    // one budget of `max_stall` between two polls, so waiting never signs the agent out.
    let mut stall_deadline: Option<tokio::time::Instant> = None;
    loop {
        // Back-pressure: a full queue pauses polling (the gateway keeps the events), but
        // never so long that the agent would be signed out for idling.
        if queue.is_full() {
            let deadline = *stall_deadline.get_or_insert_with(|| tokio::time::Instant::now() + opts.max_stall);
            tokio::select! {
                room = queue.wait_for_room(1, deadline) => {
                    if !room {
                        log!(Warn, OP, "the event queue stayed full for {} s; polling anyway, the oldest events will be dropped", opts.max_stall.as_secs());
                    }
                }
                _ = stop.cancelled() => return,
                _ = session.closed() => return,
            }
        }
        let guid_stamp = session.guid_changes();
        let (outcome, route) = tokio::select! {
            r = session.exchange_at(OP, Method::GET, &path, GuidUse::Required, &call) => r,
            _ = stop.cancelled() => return,
            _ = session.closed() => return,
        };
        let node = route.node;
        stall_deadline = None;
        if route.switched_over {
            // The node switched over while the poll was out (000-004, ridden out or not):
            // what the gateway had queued for the agent then may not survive it.
            widen(
                &mut run.gap,
                last_ok,
                LostReason::Failover,
                "the gateway node was switching over (000-004) while the poll was out".to_string(),
            );
        }
        match outcome {
            Ok(answer) => {
                let now = now_ms();
                rechecking = false;
                if let Some(why) = &route.earlier_may_have_run {
                    // The transport sent the poll again after an attempt that may have
                    // dequeued an event (a 502, a lost connection): that event is gone.
                    widen(
                        &mut run.gap,
                        last_ok,
                        LostReason::PollFailed,
                        format!("a poll failed after it was sent and was sent again: {why}"),
                    );
                }
                if let (Some(before), Some(n)) = (last_node, node) {
                    if before != n {
                        widen(
                            &mut run.gap,
                            last_ok,
                            LostReason::Failover,
                            format!("polls moved from gateway {} to gateway {}", before + 1, n + 1),
                        );
                    }
                }
                last_node = node.or(last_node);
                if failures > 0 {
                    log!(Info, OP, "polling works again after {failures} failure(s)");
                    queue.push(Event::library(
                        EventKind::PumpRecovered,
                        PUMP_RECOVERED,
                        CCGW_OK,
                        &format!("polls succeed again after {failures} failure(s)"),
                    ));
                }
                failures = 0;
                failing_since = None;
                grace_used = false;
                if run.gap.is_some() {
                    run.close_gap(now).await;
                    if stop.is_cancelled() || session.is_closed() {
                        return;
                    }
                }
                last_ok = now;
                match answer.env.event.as_ref() {
                    Some(Value::Null) | None => {
                        if !run.pause(opts.poll_interval).await {
                            return;
                        }
                    }
                    Some(raw) => {
                        let size = json_len(raw);
                        if size > opts.max_event_bytes {
                            log!(
                                Warn,
                                OP,
                                "an event of {size} bytes (over max_event_bytes, {}) was dropped and reported",
                                opts.max_event_bytes
                            );
                            queue.drop_refused(LostReason::TooLarge);
                            continue;
                        }
                        let e = Event::parse(raw);
                        if e.kind == EventKind::Malformed {
                            log!(Warn, OP, "malformed event reported to the application: {}", e.message);
                        } else {
                            log!(
                                Debug,
                                OP,
                                "event {}",
                                crate::error::sanitize(&e.type_name, crate::error::NETWORK_TEXT_MAX)
                            );
                        }
                        let shut_down = e.kind == EventKind::ShutdownService;
                        // The live conference view and invite trackers see the event before
                        // the application does (a snapshot taken after it reflects it); what
                        // they report follows it.
                        let follow = session.0.confs.observe(&e);
                        let weight = e.weight();
                        if !queue.fits(weight) {
                            // Hold the event until the consumer makes room, within the
                            // same stall budget; then queue it anyway (dropping the oldest).
                            let deadline =
                                *stall_deadline.get_or_insert_with(|| tokio::time::Instant::now() + opts.max_stall);
                            tokio::select! {
                                _ = queue.wait_for_room(weight, deadline) => {}
                                _ = stop.cancelled() => return,
                                _ = session.closed() => return,
                            }
                        }
                        queue.push_weighed(weight, e);
                        follow.into_iter().for_each(|f| queue.push(f));
                        if shut_down && !session.signing_out() {
                            let cause = Error::new(
                                CCGW_E_SESSION_SHUT_DOWN,
                                "getAgentEvent: the gateway signed the agent out (AgentOther_ShutdownService)",
                            );
                            match run.recover(CCGW_E_SESSION_SHUT_DOWN, &cause, last_ok).await {
                                Recovery::End => return,
                                Recovery::SignedIn => last_node = None,
                            }
                        }
                    }
                }
            }
            Err(e) if e.status == CCGW_E_CANCELLED || e.status == CCGW_E_CLOSED => return,
            Err(e) => {
                let kind = classify(e.status);
                let lost = match kind {
                    // A refusal of a Guid that rotated while the poll was out (the grace of
                    // reference §2.3 ran out for it): poll again with the new one.
                    Failure::NotKnown if session.guid_changes() != guid_stamp && !grace_used => {
                        log!(Debug, OP, "a poll with the previous Guid was refused; polling with the new one");
                        grace_used = true;
                        continue;
                    }
                    Failure::NotKnown if matches!((last_node, node), (Some(a), Some(b)) if a != b) => {
                        Some(CCGW_E_SESSION_FAILOVER)
                    }
                    Failure::NotKnown if !rechecking => {
                        // One refusal may be a request a balancer sent to the wrong node:
                        // poll again at once before taking it as final.
                        rechecking = true;
                        log!(Warn, OP, "the gateway says the agent is not signed in; polling once more to make sure");
                        continue;
                    }
                    Failure::NotKnown => Some(CCGW_E_SESSION_LOST),
                    Failure::Lost(reason) => Some(reason),
                    Failure::Lasting => {
                        run.stop_with(CCGW_E_PUMP_FAILED, &e);
                        return;
                    }
                    Failure::Transient => None,
                };
                rechecking = false;
                if let Some(reason) = lost {
                    match run.recover(reason, &e, last_ok).await {
                        Recovery::End => return,
                        Recovery::SignedIn => {
                            last_node = None;
                            failures = 0;
                            failing_since = None;
                            continue;
                        }
                    }
                }
                failures += 1;
                let since = *failing_since.get_or_insert_with(Instant::now);
                if may_lose_events(&e) {
                    widen(
                        &mut run.gap,
                        last_ok,
                        LostReason::PollFailed,
                        format!("a poll failed after it was sent: {}", e.message),
                    );
                }
                if !session.auto_resign_in() && since.elapsed() >= opts.max_outage {
                    run.stop_with(CCGW_E_PUMP_OUTAGE, &e);
                    return;
                }
                let backoff = jitter(backoff(failures, opts.backoff_max));
                log!(Warn, OP, "poll failed ({}); retrying in {} ms", e.message, backoff.as_millis());
                queue.push(Event::library(EventKind::PumpError, PUMP_ERROR, e.status, &e.message));
                if !run.pause(backoff).await {
                    return;
                }
            }
        }
    }
}

/// 250 ms, 500 ms, 1 s, 2 s, ... up to `max`.
fn backoff(failures: u32, max: Duration) -> Duration {
    let ms = 250u64.saturating_mul(1u64 << failures.saturating_sub(1).min(16));
    Duration::from_millis(ms).min(max)
}

/// A pause drawn uniformly from the upper half of `d` ("equal jitter"): never less than
/// half, so retries keep backing off, and spread so that many sessions failing together
/// do not retry in lockstep.
fn jitter(d: Duration) -> Duration {
    let ms = d.as_millis() as u64;
    let half = ms / 2;
    Duration::from_millis(ms - half + fastrand::u64(0..=half))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_events_parse_from_the_documented_samples() {
        let e = Event::parse(&json!({"eventType":"AgentConf_ParticipantChanged","workNo":"154",
            "content":{"result":0,"changeReason":255,"changeType":3,"confId":1031168,
                       "participant":"154","participantType":9,"deviceCallType":0,"deviceType":0}}));
        assert_eq!(e.kind, EventKind::ConfParticipantChanged);
        assert_eq!((e.result, e.change_reason, e.change_type, e.conf_id), (0, 255, 3, 1031168));
        assert_eq!((e.participant.as_str(), e.participant_type, e.work_no.as_str()), ("154", 9, "154"));
        let e = Event::parse(&json!({"eventType":"AgentConf_RequestFailed","workNo":"153","content":{"cause":21234}}));
        assert_eq!((e.kind, e.cause), (EventKind::ConfRequestFailed, 21234));
        let e = Event::parse(&json!({"eventType":"AgentConf_StopVoice","workNo":"154","content":{"result":0}}));
        assert_eq!((e.kind, e.result), (EventKind::ConfStopVoice, 0));
        let e =
            Event::parse(&json!({"eventType":"AgentConf_RequestSuccess","workNo":"153","content":{"confId":1030400},
                                     "eventGenTime":1784529722590i64}));
        assert_eq!((e.kind, e.conf_id, e.gen_time), (EventKind::ConfRequestSuccess, 1030400, 1784529722590));
        let e = Event::parse(&json!({"eventType":"AgentEvent_Customer_Release","workNo":"49999",
                                     "content":{"callid":"1456404171-43","number":"70093"}}));
        assert_eq!((e.callid.as_str(), e.number.as_str()), ("1456404171-43", "70093"));
        let e = Event::parse(&json!({"eventType":"AgentOther_InService","workNo":"291","content":null}));
        assert_eq!((e.kind, e.type_name.as_str()), (EventKind::Other, "AgentOther_InService"));
    }

    #[test]
    fn partners_split_on_every_documented_separator() {
        for p in ["49997,70093", "49997, 70093", "49997，70093", " 49997 ，70093, "] {
            assert_eq!(split_partners(p), vec!["49997", "70093"], "{p:?}");
        }
        let e = Event::parse(&json!({"eventType":"AgentEvent_Conference","workNo":"49999",
                                     "content":{"callid":"1456403570-17","partner":"49997, 70093"}}));
        assert_eq!((e.kind, e.callid.as_str(), e.partners.len()), (EventKind::Conference, "1456403570-17", 2));
    }

    #[test]
    fn malformed_events_are_reported_not_dropped() {
        for raw in [
            json!("not an object"),
            json!({"workNo": "1"}),
            json!({"eventType": "AgentConf_Ringing", "content": "x"}),
            json!({"eventType": "AgentConf_ParticipantChanged", "content": {"changeType": "three"}}),
        ] {
            let e = Event::parse(&raw);
            assert_eq!(e.kind, EventKind::Malformed, "{raw}");
            assert_eq!(e.raw, raw);
            assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn the_queue_reports_what_it_dropped() {
        let q = Queue::new(2, usize::MAX);
        for i in 0..5 {
            q.push(Event::library(EventKind::Other, &format!("e{i}"), CCGW_OK, ""));
        }
        let take = |q: &Queue| match q.take(Duration::from_millis(1)) {
            Take::Event(e) => e,
            other => panic!("{other:?}"),
        };
        let lost = take(&q);
        assert_eq!((lost.kind, lost.lost_count, lost.lost_reason), (EventKind::EventsLost, 3, LostReason::QueueFull));
        assert!(lost.message.contains("queue_capacity (2)"), "{}", lost.message);
        assert_eq!(take(&q).type_name, "e3");
        assert_eq!(take(&q).sequence, 5);
        assert_eq!(q.take(Duration::from_millis(1)), Take::Timeout);
        q.push(Event::library(EventKind::Other, "last", CCGW_OK, ""));
        q.close();
        assert_eq!(take(&q).type_name, "last");
        assert_eq!(q.take(Duration::from_secs(5)), Take::Closed);
    }

    /// An event carrying `n` bytes of text in its content.
    fn big(n: usize) -> Event {
        Event::parse(&json!({"eventType": "Big", "content": {"pad": "x".repeat(n)}}))
    }

    #[test]
    fn an_event_weighs_its_text_twice_plus_its_structure() {
        let e = big(100_000);
        let w = e.weight();
        // `raw` and the `content` copy each hold the 100 000-byte string.
        assert!((200_000..201_500).contains(&w), "{w}");
        assert!(big(10).weight() < 1000);
        assert_eq!(json_len(&e.raw), r#"{"content":{"pad":""},"eventType":"Big"}"#.len() + 100_000);
    }

    #[test]
    fn the_queue_is_bounded_by_memory_and_reports_why_it_dropped() {
        let one = big(100_000).weight();
        let q = Queue::new(1000, 5 * one + one / 2);
        assert!(q.fits(one) && !q.is_full());
        for _ in 0..20 {
            q.push(big(100_000));
        }
        let (bytes, peak) = q.bytes();
        assert_eq!(q.len(), 5);
        assert!(bytes <= 5 * one + one / 2 && peak <= 5 * one + one / 2, "{bytes} {peak}");
        assert!(!q.fits(one), "a sixth event does not fit");
        // An event heavier than the whole bound is refused on its own, and counted apart.
        q.push(big(1_000_000));
        q.drop_refused(LostReason::TooLarge);
        let mut reports = Vec::new();
        let mut seqs = Vec::new();
        while let Take::Event(e) = q.take(Duration::from_millis(1)) {
            if e.kind == EventKind::EventsLost {
                reports.push((e.lost_reason, e.lost_count));
            } else {
                seqs.push(e.sequence);
            }
        }
        assert_eq!(reports, vec![(LostReason::QueueBytes, 15), (LostReason::TooLarge, 2)]);
        assert_eq!(seqs, vec![16, 17, 18, 19, 20]);
        assert_eq!(q.bytes().0, 0, "taking gives the memory back to the account");
        assert!(q.fits(one));
    }

    #[test]
    fn jitter_spreads_within_the_upper_half() {
        let d = Duration::from_millis(1000);
        let draws: Vec<u64> = (0..200).map(|_| jitter(d).as_millis() as u64).collect();
        assert!(draws.iter().all(|&ms| (500..=1000).contains(&ms)), "{draws:?}");
        let distinct: std::collections::HashSet<_> = draws.iter().collect();
        assert!(distinct.len() > 50, "spread: {} distinct of 200", distinct.len());
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_gap_keeps_its_first_start_and_its_worst_reason() {
        let mut gap = None;
        widen(&mut gap, 100, LostReason::PollFailed, "reset".into());
        widen(&mut gap, 50, LostReason::SignInAgain, "lost".into());
        widen(&mut gap, 70, LostReason::Failover, "moved".into());
        let g = gap.unwrap();
        assert_eq!((g.start, g.reason, g.what.as_str()), (50, LostReason::SignInAgain, "lost"));
    }

    #[test]
    fn failures_are_classified_for_the_pump() {
        assert_eq!(classify(CCGW_E_GW_NOT_SIGNED_IN), Failure::NotKnown);
        assert_eq!(classify(CCGW_E_GW_NO_RIGHT), Failure::NotKnown);
        for dr in [
            CCGW_E_GW_DR_NOT_CACHED,
            CCGW_E_GW_DR_QUEUE_FAILED,
            CCGW_E_GW_DR_WAIT_TIMEOUT,
            CCGW_E_GW_DR_GUID_MISMATCH,
            CCGW_E_GW_DR_SWITCH_OFF,
        ] {
            assert_eq!(classify(dr), Failure::Lost(CCGW_E_SESSION_DR_SIGN_IN_AGAIN), "{dr}");
        }
        assert_eq!(classify(CCGW_E_GW_DR_IN_PROGRESS), Failure::Transient);
        assert_eq!(classify(CCGW_E_GW_DR_FINISHED), Failure::Transient);
        assert_eq!(classify(CCGW_E_TLS), Failure::Lasting);
        assert_eq!(classify(CCGW_E_CONNECT), Failure::Transient);
        let e = |st| Error::new(st, "x");
        assert!(may_lose_events(&e(CCGW_E_CONNECTION_LOST)) && may_lose_events(&e(CCGW_E_RESPONSE_TIMEOUT)));
        assert!(!may_lose_events(&e(CCGW_E_CONNECT)) && !may_lose_events(&e(CCGW_E_NOT_SENT)));
        assert!(!may_lose_events(&e(CCGW_E_GW_SWITCHOVER)));
        assert!(!may_lose_events(&e(CCGW_E_HTTP_STATUS).with_http_status(503)));
        assert!(may_lose_events(&e(CCGW_E_HTTP_STATUS).with_http_status(502)));
        assert!(!sign_in_retryable(CCGW_E_GW_WRONG_CREDENTIALS) && sign_in_retryable(CCGW_E_CONNECT));
    }

    #[test]
    fn queue_drops_report_their_span() {
        let q = Queue::new(1, usize::MAX);
        let mut a = Event::library(EventKind::Other, "a", CCGW_OK, "");
        a.received_time = 1000;
        let mut b = Event::library(EventKind::Other, "b", CCGW_OK, "");
        b.received_time = 2000;
        q.push(a);
        q.push(b);
        q.push(Event::library(EventKind::Other, "c", CCGW_OK, ""));
        let Take::Event(lost) = q.take(Duration::from_millis(1)) else { panic!() };
        assert_eq!((lost.lost_count, lost.gap_start, lost.gap_end), (2, 1000, 2000));
    }

    #[test]
    fn backoff_is_bounded() {
        let max = Duration::from_secs(5);
        let b: Vec<u64> = (1..=8).map(|n| backoff(n, max).as_millis() as u64).collect();
        assert_eq!(b, vec![250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    }
}
