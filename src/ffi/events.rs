//! Event exports: start and stop the pump, take events, register a callback.

use super::common::{ccgw_userdata_free, UserData};
use super::session::{ccgw_session, session_ref};
use super::{arg_mut, check_version, guard, guard_pure, guard_value, out_ptr};
use crate::error::Error;
use crate::events::{Event, EventOptions, Take};
use crate::runtime::{block_on_shared, check_may_block};
use crate::status::*;
use std::ffi::{c_char, c_void, CString};
use std::time::Duration;

/// Current version of `ccgw_events_options`. Version 2 added `queue_max_bytes` and
/// `max_event_bytes`, version 3 `resync_after_gap`; a program built with an older version
/// keeps passing it and its shorter struct.
pub const CCGW_EVENTS_OPTIONS_VERSION: u32 = 3;

/// Default `queue_max_bytes` of `ccgw_events_options`: 64 MiB.
pub const CCGW_DEFAULT_EVENT_QUEUE_MAX_BYTES: usize = 67_108_864;
/// Default `max_event_bytes` of `ccgw_events_options`: 1 MiB of JSON.
pub const CCGW_DEFAULT_MAX_EVENT_BYTES: usize = 1_048_576;

/// `lost_reason` of a `CCGW_EVENT_EVENTS_LOST` event: the queue held `queue_capacity`
/// events (for longer than `max_stall_ms`), so the oldest were dropped.
pub const CCGW_LOST_QUEUE_FULL: i32 = 1;
/// `lost_reason`: the queued events held `queue_max_bytes` of memory (for longer than
/// `max_stall_ms`), so the oldest were dropped.
pub const CCGW_LOST_QUEUE_BYTES: i32 = 2;
/// `lost_reason`: each dropped event was larger than `max_event_bytes` (or would alone
/// exceed `queue_max_bytes`); it was never queued.
pub const CCGW_LOST_TOO_LARGE: i32 = 3;
/// `lost_reason`: events may have been lost (`lost_count` 0: unknown) because a poll failed
/// after it was sent (connection reset, timeout, an answer cut short or unreadable, a
/// front end's 500/502/504): the gateway may have taken an event off its queue for it.
pub const CCGW_LOST_POLL_FAILED: i32 = 4;
/// `lost_reason`: events may have been lost because polls moved to another base URL (a
/// fail-over): events queued on the node left behind do not follow; or because a node
/// answered a poll `000-004` (it was switching over), even when the poll then succeeded on
/// it: what was queued during the switchover may not have survived it.
pub const CCGW_LOST_FAILOVER: i32 = 5;
/// `lost_reason`: events may have been lost because the session was lost and signed in
/// again (`auto_resign_in`): the old session's events are gone.
pub const CCGW_LOST_SIGN_IN_AGAIN: i32 = 6;

/// `timeout_ms` of `ccgw_events_next` that waits without limit.
pub const CCGW_WAIT_FOREVER: u32 = u32::MAX;

/// Event kind: a gateway event without typed fields (read `type_name` and `content_json`).
pub const CCGW_EVENT_OTHER: i32 = 0;
/// `AgentConf_ParticipantChanged`: `result`, `change_type`, `change_reason`, `conf_id`,
/// `participant`, `participant_type`, `device_call_type`, `device_type`.
pub const CCGW_EVENT_CONF_PARTICIPANT_CHANGED: i32 = 1;
/// `AgentConf_RequestSuccess`: `conf_id` (the conference is granted; chair operations may follow).
pub const CCGW_EVENT_CONF_REQUEST_SUCCESS: i32 = 2;
/// `AgentConf_RequestFailed`: `cause` (a CTI cause code).
pub const CCGW_EVENT_CONF_REQUEST_FAILED: i32 = 3;
/// `AgentConf_SelfJoinResult`: `conf_id`.
pub const CCGW_EVENT_CONF_SELF_JOIN_RESULT: i32 = 4;
/// `AgentConf_Timeout`: `conf_id` (the conference reached its warning time).
pub const CCGW_EVENT_CONF_TIMEOUT: i32 = 5;
/// `AgentConf_Ringing`: `conf_id` (this agent is invited).
pub const CCGW_EVENT_CONF_RINGING: i32 = 6;
/// `AgentConf_SelfLeaveResult`: `conf_id`.
pub const CCGW_EVENT_CONF_SELF_LEAVE_RESULT: i32 = 7;
/// `AgentConf_PresidentChanged`: `conf_id` (this agent became the chairperson).
pub const CCGW_EVENT_CONF_PRESIDENT_CHANGED: i32 = 8;
/// `AgentConf_StopVoice`: `result` (0 success).
pub const CCGW_EVENT_CONF_STOP_VOICE: i32 = 9;
/// `AgentConf_StopParticipantVoice`: `result` (0 success).
pub const CCGW_EVENT_CONF_STOP_PARTICIPANT_VOICE: i32 = 10;
/// `AgentEvent_Conference`: `callid`, `partners` (the three-party call is up).
pub const CCGW_EVENT_CONFERENCE: i32 = 11;
/// `AgentEvent_Customer_Release`: `callid`, `number` (a customer left the call).
pub const CCGW_EVENT_CUSTOMER_RELEASE: i32 = 12;
/// `AgentEvent_Talking`: `callid`, `caller`, `called` (a call is connected: answered, or
/// taken back from hold).
pub const CCGW_EVENT_CALL_TALKING: i32 = 13;
/// `AgentEvent_Hold`: `callid` (the call is on hold).
pub const CCGW_EVENT_CALL_HOLD: i32 = 14;
/// `AgentEvent_Call_Release`: `callid` (the agent's side of the call ended).
pub const CCGW_EVENT_CALL_RELEASE: i32 = 15;
/// `AgentEvent_Connect_Fail`: `callid` (the call could not be connected).
pub const CCGW_EVENT_CONNECT_FAIL: i32 = 16;
/// `AgentEvent_Call_Out_Fail`: `callid` (the outbound call failed: busy, no answer, rejected).
pub const CCGW_EVENT_CALL_OUT_FAIL: i32 = 17;
/// `AgentEvent_Customer_Alerting`: `callid`, `number` (the called party is ringing).
pub const CCGW_EVENT_CUSTOMER_ALERTING: i32 = 18;
/// `AgentEvent_Ringing`: `callid`, `caller`, `called` (an inbound call rings the agent).
pub const CCGW_EVENT_CALL_RINGING: i32 = 19;
/// `AgentOther_PhoneAlerting`: the agent's phone rings.
pub const CCGW_EVENT_PHONE_ALERTING: i32 = 20;
/// `AgentOther_PhoneOffhook`: the agent's phone went off-hook.
pub const CCGW_EVENT_PHONE_OFFHOOK: i32 = 21;
/// `AgentOther_PhoneRelease`: `phone_state` (2 on-hook by the agent, 3 by the platform).
pub const CCGW_EVENT_PHONE_RELEASE: i32 = 22;
/// `AgentOther_ShutdownService`: `reason` (the agent is signed out; the simulator says why).
pub const CCGW_EVENT_SHUTDOWN_SERVICE: i32 = 23;
/// `AgentState_Ready`: the agent is idle.
pub const CCGW_EVENT_AGENT_STATE_READY: i32 = 24;
/// `AgentState_Busy`: the agent is occupied (a call or a conference).
pub const CCGW_EVENT_AGENT_STATE_BUSY: i32 = 25;
/// `AgentState_SetNotReady_Success`: the agent is busy (not ready).
pub const CCGW_EVENT_AGENT_STATE_NOT_READY: i32 = 26;
/// `AgentState_Work`: the agent is in wrap-up work.
pub const CCGW_EVENT_AGENT_STATE_WORK: i32 = 27;
/// Any other `AgentState_*` event (read `type_name` and `content_json`).
pub const CCGW_EVENT_AGENT_STATE_OTHER: i32 = 28;
/// Library event: a gap, one report per gap, in order with the other events. Either
/// `ccgw.EventsLost`: `lost_count` events were dropped by the library, for the reason in
/// `lost_reason` (`CCGW_LOST_QUEUE_FULL`, `CCGW_LOST_QUEUE_BYTES`: the queue full by count
/// or by memory for longer than `max_stall_ms`; `CCGW_LOST_TOO_LARGE`: events over the
/// size limit), one report per reason placed before the next event taken, the dropped
/// events' `sequence` numbers missing from the events that follow; or
/// `ccgw.EventsMayBeLost`: events may have been lost on the way (`lost_count` 0, unknown;
/// `lost_reason` `CCGW_LOST_POLL_FAILED`, `CCGW_LOST_FAILOVER` or
/// `CCGW_LOST_SIGN_IN_AGAIN`), reported when polls work again, before the first event
/// after the gap (or just before `CCGW_EVENT_PUMP_STOPPED` when the pump stops first). `gap_start` and `gap_end` bound the gap (ms since the epoch: the
/// dropped events' arrival, or from the last poll answered before the gap to the first
/// answered after it); `message` says it in words. Nothing is reported when nothing can
/// have been lost: a poll the gateway answered without an event, a poll refused before it
/// was sent. After one, resynchronise with `ccgw_session_snapshot` (or set
/// `resync_after_gap`).
pub const CCGW_EVENT_EVENTS_LOST: i32 = 100;
/// Library event `ccgw.MalformedEvent` (or the gateway's type name): the gateway sent an
/// event that could not be read; `message` says why, `event_json` holds it.
pub const CCGW_EVENT_MALFORMED: i32 = 101;
/// Library event `ccgw.PumpError`: a poll failed (`status`, `message`); the pump retries
/// with backoff.
pub const CCGW_EVENT_PUMP_ERROR: i32 = 102;
/// Library event `ccgw.PumpRecovered`: polls succeed again after failures.
pub const CCGW_EVENT_PUMP_RECOVERED: i32 = 103;
/// Library event `ccgw.PumpStopped`, once, last: the pump stopped. `status` names the
/// reason (`CCGW_E_SESSION_LOST`, `CCGW_E_SESSION_SHUT_DOWN`,
/// `CCGW_E_SESSION_DR_SIGN_IN_AGAIN`, `CCGW_E_SESSION_FAILOVER`, `CCGW_E_PUMP_OUTAGE`,
/// `CCGW_E_RESIGN_IN_FAILED`, `CCGW_E_PUMP_FAILED`), `cause_status` the status of what
/// happened (e.g. `CCGW_E_GW_NOT_SIGNED_IN`), `message` says it in words.
/// `ccgw_events_status` returns `status`.
pub const CCGW_EVENT_PUMP_STOPPED: i32 = 104;
/// Library event `ccgw.InviteOutcome`: an invitee of a tracked batch invitation
/// (`ccgw_batch_add_participant_tracked`) has its outcome: `tracker_id`, `conf_id`,
/// `participant`, `participant_type`, `outcome` (`CCGW_INVITE_*`), `result`,
/// `change_reason`. Queued right after the event that settled it (or at the deadline).
pub const CCGW_EVENT_INVITE_OUTCOME: i32 = 105;
/// Library event `ccgw.InvitesSettled`: no invitee of the tracker `tracker_id` is pending.
pub const CCGW_EVENT_INVITES_SETTLED: i32 = 106;
/// Library event `ccgw.SessionLost`: the gateway says the session is gone; `status` is the
/// reason (`CCGW_E_SESSION_LOST`, `CCGW_E_SESSION_SHUT_DOWN`,
/// `CCGW_E_SESSION_DR_SIGN_IN_AGAIN`, `CCGW_E_SESSION_FAILOVER`), `cause_status` what the
/// gateway answered. The session's Guid is forgotten (operations fail with
/// `CCGW_E_NOT_SIGNED_IN`, sending nothing, until a new sign-in). With `auto_resign_in`
/// the pump signs in again next; otherwise `CCGW_EVENT_PUMP_STOPPED` follows.
pub const CCGW_EVENT_SESSION_LOST: i32 = 107;
/// Library event `ccgw.SigningInAgain`: attempt `attempt` (from 1) to sign in again.
pub const CCGW_EVENT_SIGNING_IN_AGAIN: i32 = 108;
/// Library event `ccgw.SignedInAgain`: signed in again at attempt `attempt` (`message`
/// says whether by force); polling resumes, and the gap follows as a
/// `CCGW_EVENT_EVENTS_LOST` (`CCGW_LOST_SIGN_IN_AGAIN`).
pub const CCGW_EVENT_SIGNED_IN_AGAIN: i32 = 109;
/// Library event `ccgw.SignInAgainFailed`: attempt `attempt` failed with `status`
/// (`message` says whether it is retried, and when). A refusal no retry cures
/// (`100-004`, a locked account, `100-002` without `allow_forced_resign_in`, ...) is
/// followed by `CCGW_EVENT_PUMP_STOPPED` with `CCGW_E_RESIGN_IN_FAILED`.
pub const CCGW_EVENT_SIGN_IN_AGAIN_FAILED: i32 = 110;
/// Library event `ccgw.Snapshot`: a resynchronisation snapshot (`snapshot`, owned by the
/// event) fetched after a gap (`resync_after_gap`), right after the gap's report and the
/// event polled with it. Each of its requests waits at most 10 s and the whole at most
/// 30 s (the pump is the keep-alive); when none could be fetched, `status` says why
/// (`CCGW_E_TIMEOUT`, `CCGW_E_NOT_SIGNED_IN`, ...) and `snapshot` is NULL.
pub const CCGW_EVENT_SNAPSHOT: i32 = 111;

/// Event pump settings. Fill with `ccgw_events_options_init`; zero fields take the defaults.
#[repr(C)]
pub struct ccgw_events_options {
    /// `CCGW_EVENTS_OPTIONS_VERSION`, set by `ccgw_events_options_init`.
    pub version: u32,
    /// Events kept before the pump pauses fetching (the gateway keeps them meanwhile);
    /// default 4096.
    pub queue_capacity: u32,
    /// Read timeout of one poll, ms; must exceed the gateway's hold time (10 s by
    /// default); default 30000.
    pub poll_timeout_ms: u32,
    /// Pause after an answer without an event, ms (the gateway docs ask for 200-500);
    /// default 300.
    pub poll_interval_ms: u32,
    /// How long failing polls are ridden out before the pump gives up, ms; default 90000
    /// (the gateway signs an agent out after 120 s without polls).
    pub max_outage_ms: u32,
    /// Longest pause between retries, ms; default 5000.
    pub backoff_max_ms: u32,
    /// How long a full queue may pause the pump before it polls anyway (dropping the
    /// oldest events, reported by `CCGW_EVENT_EVENTS_LOST`) to keep the agent signed in,
    /// ms; default 60000.
    pub max_stall_ms: u32,
    /// (Version 2.) Memory the queued events may hold, bytes: each event counts its text,
    /// its parsed JSON (the whole event and its `content`) and bookkeeping, about twice
    /// its JSON size plus a few hundred bytes. Reaching it pauses the pump like a full
    /// count; after `max_stall_ms` the oldest events are dropped (`CCGW_LOST_QUEUE_BYTES`).
    /// Default `CCGW_DEFAULT_EVENT_QUEUE_MAX_BYTES` (64 MiB).
    pub queue_max_bytes: usize,
    /// (Version 2.) Largest event accepted, bytes of JSON: a larger one is dropped on
    /// arrival and reported (`CCGW_LOST_TOO_LARGE`). Default `CCGW_DEFAULT_MAX_EVENT_BYTES`
    /// (1 MiB; gateway events are a few hundred bytes, and no answer may exceed 8 MiB).
    pub max_event_bytes: usize,
    /// (Version 3.) After each gap (`CCGW_EVENT_EVENTS_LOST` for a failed poll, a
    /// fail-over or a new sign-in), fetch a snapshot as `ccgw_session_snapshot` does and
    /// deliver it as a `CCGW_EVENT_SNAPSHOT` event; the live conference view is reconciled
    /// from it. Default false.
    pub resync_after_gap: bool,
}

/// `ccgw_events_options` as version 2 laid it out.
#[repr(C)]
struct EventsOptionsV2 {
    v1: EventsOptionsV1,
    queue_max_bytes: usize,
    max_event_bytes: usize,
}

/// `ccgw_events_options` as version 1 laid it out: all a version-1 caller allocated.
#[repr(C)]
struct EventsOptionsV1 {
    version: u32,
    queue_capacity: u32,
    poll_timeout_ms: u32,
    poll_interval_ms: u32,
    max_outage_ms: u32,
    backoff_max_ms: u32,
    max_stall_ms: u32,
}

// Version 2 only appends: the version-1 prefix is laid out identically.
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(offset_of!(ccgw_events_options, max_stall_ms) == offset_of!(EventsOptionsV1, max_stall_ms));
    assert!(size_of::<EventsOptionsV1>() <= offset_of!(ccgw_events_options, queue_max_bytes));
    assert!(offset_of!(ccgw_events_options, max_event_bytes) == offset_of!(EventsOptionsV2, max_event_bytes));
    assert!(size_of::<EventsOptionsV2>() <= offset_of!(ccgw_events_options, resync_after_gap));
};

/// One event (library-owned: from `ccgw_events_next`, free with `ccgw_event_free`; in a
/// callback, valid only during the call). Numbers an event does not carry are -1, strings
/// an event does not carry are empty; no pointer is ever NULL except `partners` when
/// `partner_count` is 0. Fields are only ever appended to this struct (the library
/// allocates it), so programs built against an older header keep working.
#[repr(C)]
pub struct ccgw_event {
    /// `CCGW_EVENT_*`: which typed fields apply.
    pub kind: i32,
    /// The gateway's `eventType` (e.g. `"AgentConf_ParticipantChanged"`), or a `ccgw.*` name
    /// for the library's own events.
    pub type_name: *const c_char,
    /// `workNo`: the agent the event is for.
    pub work_no: *const c_char,
    /// `eventGenTime`, ms since the epoch, when the gateway gave it; else -1.
    pub gen_time: i64,
    /// When the library received it, ms since the epoch.
    pub received_time: i64,
    /// This session's event number: 1, 2, 3, ... in arrival order (0 for the queue's own
    /// `ccgw.EventsLost` reports; a `ccgw.EventsMayBeLost` gap report takes its number like
    /// the other library events).
    pub sequence: u64,
    /// The `content` member as JSON text (`"null"` when absent).
    pub content_json: *const c_char,
    /// The whole `event` object as received, JSON text (`"null"` for library events).
    pub event_json: *const c_char,
    /// `confId` of the `AgentConf_*` events that carry one (RequestSuccess, SelfJoinResult,
    /// Timeout, Ringing, SelfLeaveResult, PresidentChanged, ParticipantChanged).
    pub conf_id: i64,
    /// `result` of ParticipantChanged, StopVoice and StopParticipantVoice: 0 success, 1 failure.
    pub result: i64,
    /// 0 joined, 1 left, 2 chair changed, 3 muted, 4 unmuted, 5 held, 6 unheld.
    pub change_type: i64,
    /// For change_type 1: 0 left, 1 removed by the chair, 2 hung up, 3 conference ended,
    /// 4 signed out, 6 forced out; 255 when not applicable.
    pub change_reason: i64,
    /// ParticipantChanged: the participant's phone number or agent id.
    pub participant: *const c_char,
    /// 6 phone number, 9 agent id.
    pub participant_type: i64,
    /// ParticipantChanged: `deviceCallType`, the gateway's custom device call type.
    pub device_call_type: i64,
    /// ParticipantChanged: `deviceType`, the gateway's custom device type.
    pub device_type: i64,
    /// RequestFailed: the CTI cause code of the failed conference application.
    pub cause: i64,
    /// `AgentEvent_Conference` and `AgentEvent_Customer_Release`: the call id.
    pub callid: *const c_char,
    /// `AgentEvent_Customer_Release`: the customer's number that released.
    pub number: *const c_char,
    /// `AgentEvent_Conference`'s partners, split on `,`, `, ` and `，`.
    pub partner_count: usize,
    /// `partner_count` numbers; NULL when `partner_count` is 0.
    pub partners: *const *const c_char,
    /// `CCGW_EVENT_EVENTS_LOST`: how many events the full queue dropped.
    pub lost_count: u64,
    /// Library events: the status of the failure; `CCGW_OK` otherwise.
    pub status: ccgw_status,
    /// Library events and malformed events: what happened.
    pub message: *const c_char,
    /// `CCGW_EVENT_EVENTS_LOST`: why the events were dropped, a `CCGW_LOST_*` value; 0
    /// for every other event. (Appended with `CCGW_EVENTS_OPTIONS_VERSION` 2; the library
    /// allocates events, so programs built before simply do not read it.)
    pub lost_reason: i32,
    /// `caller` of `AgentEvent_Talking` / `AgentEvent_Ringing`.
    pub caller: *const c_char,
    /// `called` of `AgentEvent_Talking` / `AgentEvent_Ringing`.
    pub called: *const c_char,
    /// `phoneState` of `AgentOther_PhoneRelease`.
    pub phone_state: i64,
    /// `reason` of `AgentOther_ShutdownService`.
    pub reason: *const c_char,
    /// `CCGW_EVENT_INVITE_OUTCOME`: the invitee's outcome (`CCGW_INVITE_*`); -1 otherwise.
    pub outcome: i32,
    /// `CCGW_EVENT_INVITE_OUTCOME` / `CCGW_EVENT_INVITES_SETTLED`: the tracker; 0 otherwise.
    pub tracker_id: u64,
    /// `CCGW_EVENT_EVENTS_LOST`: the first instant of the gap, ms since the epoch; -1 otherwise.
    pub gap_start: i64,
    /// `CCGW_EVENT_EVENTS_LOST`: the last instant of the gap, ms since the epoch; -1 otherwise.
    pub gap_end: i64,
    /// `CCGW_EVENT_SESSION_LOST`, `CCGW_EVENT_PUMP_STOPPED`, `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`:
    /// the status of what happened, under the reason in `status`; `CCGW_OK` otherwise.
    pub cause_status: ccgw_status,
    /// `CCGW_EVENT_SIGNING_IN_AGAIN`, `CCGW_EVENT_SIGNED_IN_AGAIN`,
    /// `CCGW_EVENT_SIGN_IN_AGAIN_FAILED`: the attempt, from 1; 0 otherwise.
    pub attempt: u32,
    /// `CCGW_EVENT_SNAPSHOT`: the snapshot, owned by the event (never free it); NULL
    /// otherwise, and when none could be fetched (`status` says why).
    pub snapshot: *const super::resync::ccgw_snapshot,
}

/// Receives events on a thread of the callback pool; `event` is valid only during the call.
pub type ccgw_event_callback = Option<unsafe extern "C" fn(userdata: *mut c_void, event: *const ccgw_event)>;

/// Owner of an event and its strings; `public` first so the pointer handed out is the box's.
#[repr(C)]
struct EventBox {
    public: ccgw_event,
    _strings: Vec<CString>,
    _partners: Vec<*const c_char>,
    _snapshot: Option<Box<super::resync::SnapshotBox>>,
}

fn event_box(e: &Event) -> Box<EventBox> {
    let mut strings: Vec<CString> = Vec::new();
    let mut keep = |s: &str| {
        let c = CString::new(s.replace('\0', " ")).unwrap_or_default();
        let p = c.as_ptr();
        strings.push(c);
        p
    };
    let type_name = keep(&e.type_name);
    let work_no = keep(&e.work_no);
    let content_json = keep(&e.content.to_string());
    let event_json = keep(&e.raw.to_string());
    let participant = keep(&e.participant);
    let callid = keep(&e.callid);
    let number = keep(&e.number);
    let message = keep(&e.message);
    let caller = keep(&e.caller);
    let called = keep(&e.called);
    let reason = keep(&e.reason);
    let partners: Vec<*const c_char> = e.partners.iter().map(|p| keep(p)).collect();
    let snapshot = e.snapshot.as_deref().map(super::resync::snapshot_box);
    let public = ccgw_event {
        kind: e.kind as i32,
        type_name,
        work_no,
        gen_time: e.gen_time,
        received_time: e.received_time,
        sequence: e.sequence,
        content_json,
        event_json,
        conf_id: e.conf_id,
        result: e.result,
        change_type: e.change_type,
        change_reason: e.change_reason,
        participant,
        participant_type: e.participant_type,
        device_call_type: e.device_call_type,
        device_type: e.device_type,
        cause: e.cause,
        callid,
        number,
        partner_count: partners.len(),
        partners: if partners.is_empty() { std::ptr::null() } else { partners.as_ptr() },
        lost_count: e.lost_count,
        status: e.status,
        message,
        lost_reason: e.lost_reason as i32,
        caller,
        called,
        phone_state: e.phone_state,
        reason,
        outcome: e.outcome,
        tracker_id: e.tracker_id,
        gap_start: e.gap_start,
        gap_end: e.gap_end,
        cause_status: e.cause_status,
        attempt: e.attempt,
        snapshot: snapshot.as_deref().map_or(std::ptr::null(), |b| (b as *const super::resync::SnapshotBox).cast()),
    };
    Box::new(EventBox { public, _strings: strings, _partners: partners, _snapshot: snapshot })
}

fn event_options(p: *const ccgw_events_options) -> crate::error::Result<EventOptions> {
    let mut o = EventOptions::default();
    if p.is_null() {
        return Ok(o);
    }
    // SAFETY: a valid pointer (documented contract) to at least the version-1 prefix,
    // which every version starts with.
    let c = unsafe { &*p.cast::<EventsOptionsV1>() };
    check_version(c.version, CCGW_EVENTS_OPTIONS_VERSION, "ccgw_events_options")?;
    let ms = |v: u32| Duration::from_millis(v.into());
    if c.queue_capacity > 0 {
        o.queue_capacity = c.queue_capacity as usize;
    }
    if c.poll_timeout_ms > 0 {
        o.poll_timeout = ms(c.poll_timeout_ms);
    }
    if c.poll_interval_ms > 0 {
        o.poll_interval = ms(c.poll_interval_ms);
    }
    if c.max_outage_ms > 0 {
        o.max_outage = ms(c.max_outage_ms);
    }
    if c.backoff_max_ms > 0 {
        o.backoff_max = ms(c.backoff_max_ms);
    }
    if c.max_stall_ms > 0 {
        o.max_stall = ms(c.max_stall_ms);
    }
    if c.version >= 2 {
        // SAFETY: a version-2 caller allocated (at least) the version-2 prefix.
        let c = unsafe { &*p.cast::<EventsOptionsV2>() };
        if c.queue_max_bytes > 0 {
            o.queue_max_bytes = c.queue_max_bytes;
        }
        if c.max_event_bytes > 0 {
            o.max_event_bytes = c.max_event_bytes;
        }
    }
    if c.version >= 3 {
        // SAFETY: a version-3 caller allocated the whole struct.
        o.resync_after_gap = unsafe { (*p).resync_after_gap };
    }
    Ok(o)
}

/// Fills `*opts` with the defaults of `version` (pass `CCGW_EVENTS_OPTIONS_VERSION`): every
/// field 0, meaning its default. Writes only the fields `version` has, so a program built
/// against an older header passes its own (older) version and struct.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_options_init(opts: *mut ccgw_events_options, version: u32) -> ccgw_status {
    guard_pure("ccgw_events_options_init", || {
        check_version(version, CCGW_EVENTS_OPTIONS_VERSION, "ccgw_events_options")?;
        if opts.is_null() {
            return Err(Error::new(CCGW_E_NULL_ARGUMENT, "opts must not be NULL"));
        }
        // SAFETY: a caller of any version allocated (at least) the version-1 prefix.
        unsafe {
            opts.cast::<EventsOptionsV1>().write(EventsOptionsV1 {
                version,
                queue_capacity: 0,
                poll_timeout_ms: 0,
                poll_interval_ms: 0,
                max_outage_ms: 0,
                backoff_max_ms: 0,
                max_stall_ms: 0,
            })
        };
        if version >= 2 {
            // SAFETY: a version-2 caller allocated the version-2 prefix.
            unsafe {
                std::ptr::addr_of_mut!((*opts).queue_max_bytes).write(0);
                std::ptr::addr_of_mut!((*opts).max_event_bytes).write(0);
            }
        }
        if version >= 3 {
            // SAFETY: a version-3 caller allocated the whole struct.
            unsafe { std::ptr::addr_of_mut!((*opts).resync_after_gap).write(false) };
        }
        Ok(())
    })
}

/// Starts the session's event pump: one `GET agentevent/{agentid}` outstanding at all
/// times (log name `getAgentEvent`), the next poll at once after an event and
/// `poll_interval_ms` after an empty answer. This is also the agent's keep-alive (without
/// polls the gateway signs the agent out after 2 minutes) and, in dynamic
/// authentication, where the rotating Guid arrives. Call it right after sign-in. Events
/// go to the session's queue (`ccgw_events_next`) or to a registered callback; they are
/// queued from the start, so none is missed whichever you set up later.
///
/// Failed polls are retried with bounded backoff (with jitter: each pause is drawn from
/// the upper half of 250 ms, 500 ms, 1 s, ... up to `backoff_max_ms`) and reported as
/// `CCGW_EVENT_PUMP_ERROR` events; a poll that failed after it was sent is a gap
/// (`CCGW_EVENT_EVENTS_LOST`, reported once polls work again). A single "not signed in"
/// (`100-006`, `100-008`, `000-003`) is re-checked by polling again at once (a request a
/// balancer misrouted), and one answered to a Guid that rotated while the poll was out is
/// simply polled again with the new one. When the gateway says the session is gone
/// (`CCGW_EVENT_SESSION_LOST`) the pump signs in again if the sign-in set
/// `auto_resign_in`; otherwise, or on a lasting failure or an outage longer than
/// `max_outage_ms` (without `auto_resign_in`), it stops with one `CCGW_EVENT_PUMP_STOPPED`
/// whose status names the reason, and `ccgw_events_status` returns it.
///
/// `opts` may be NULL (defaults) and is read during the call only. Returns `CCGW_OK`,
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_NOT_SIGNED_IN` (no Guid),
/// `CCGW_E_BUSY` (already running), `CCGW_E_CLOSED`, `CCGW_E_FORKED`. Does not block.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_start(
    session: *mut ccgw_session,
    opts: *const ccgw_events_options,
) -> ccgw_status {
    guard("ccgw_events_start", || {
        let s = session_ref(session)?;
        s.start_events(&event_options(opts)?)
    })
}

/// Stops the event pump: the outstanding poll is cancelled at once, not waited out;
/// returns when the pump has ended. Events already queued stay and can still be taken.
/// Idempotent. `ccgw_session_sign_out` stops the pump itself.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_WRONG_THREAD`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_stop(session: *mut ccgw_session) -> ccgw_status {
    guard("ccgw_events_stop", || {
        let s = session_ref(session)?;
        // On the pump's runtime: nothing is sent, so no lane is needed.
        block_on_shared(s.stop_events())
    })
}

/// Takes the session's next event into `*out` (free it with `ccgw_event_free`), waiting up
/// to `timeout_ms` (0: do not wait; `CCGW_WAIT_FOREVER`: no limit). Each event goes to
/// exactly one caller, in arrival order. A callback registered with
/// `ccgw_events_set_callback` takes events from the same queue: use one or the other.
///
/// Returns `CCGW_OK` (an event), `CCGW_E_TIMEOUT` (none arrived in time), `CCGW_E_CLOSED`
/// (the session is closed and every queued event has been taken), `CCGW_E_NULL_ARGUMENT`,
/// `CCGW_E_WRONG_THREAD` (on a library runtime thread or in the log callback). `*out` is
/// NULL unless `CCGW_OK`. Blocks up to `timeout_ms`; `ccgw_session_close` wakes it.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_next(
    session: *mut ccgw_session,
    timeout_ms: u32,
    out: *mut *mut ccgw_event,
) -> ccgw_status {
    guard("ccgw_events_next", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        if timeout_ms > 0 {
            check_may_block()?;
        }
        let take = if timeout_ms == CCGW_WAIT_FOREVER {
            s.0.events.queue.take_until(None)
        } else {
            s.next_event(Duration::from_millis(timeout_ms.into()))
        };
        match take {
            Take::Event(e) => {
                *out = Box::into_raw(event_box(&e)).cast();
                Ok(())
            }
            Take::Timeout => Err(Error::new(CCGW_E_TIMEOUT, format!("no event within {timeout_ms} ms"))),
            Take::Closed => Err(Error::new(CCGW_E_CLOSED, "the session is closed and its events have all been taken")),
        }
    })
}

/// Frees an event from `ccgw_events_next`. NULL is ignored; never free one twice, and
/// never free the event a callback receives.
#[no_mangle]
pub unsafe extern "C" fn ccgw_event_free(event: *mut ccgw_event) {
    guard_value((), || {
        if !event.is_null() {
            // SAFETY: created by ccgw_events_next (first field of a boxed EventBox).
            drop(unsafe { Box::from_raw(event.cast::<EventBox>()) });
        }
    })
}

/// Delivers the session's events to `callback`, in order, on the library's callback
/// pool: a few threads shared by every session's callback (`ccgw_dispatch_options`;
/// default 4, started as events arrive, ended once no callback is registered in the
/// process), never a runtime thread, never the registering
/// thread. One session's events arrive one at a time, in queue order, never two of its
/// callbacks at once; different sessions' callbacks run in parallel on different pool
/// threads (a thread serves another session after 32 events of one). Events queued
/// before registration are delivered first. The event pointer is valid during the call
/// only. `userdata` is used from pool threads; `userdata_free` (may be NULL) is called
/// once when the callback is replaced or unregistered, or the session is freed.
///
/// The callback may call any ccgw function, blocking ones included (on its own session
/// too: a request, `ccgw_session_sign_out`, unregistering itself; freeing another
/// session), except `ccgw_session_free` of its own session. It should return quickly:
/// while it blocks, its pool thread serves no other session. When every pool thread has
/// been inside one callback for `stall_ms` (100 ms) while other sessions' events wait, a
/// watchdog adds a thread (up to `max_threads`, 64; the extra threads end after `idle_ms`
/// idle), so callbacks that wait for one another cannot deadlock the pool. SIGPIPE keeps
/// the host's disposition on pool threads.
///
/// A NULL `callback` unregisters: the call waits for a running callback to return, then
/// calls the old `userdata_free`. From inside the callback itself, unregistering (or
/// replacing) takes effect when the callback returns (and `userdata_free` then runs on
/// the pool thread). `ccgw_global_shutdown` ends the pool's threads.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_FORKED`. On any failure the new
/// `userdata_free` has already been called. Blocks only while a callback being replaced
/// runs on another thread. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_set_callback(
    session: *mut ccgw_session,
    callback: ccgw_event_callback,
    userdata: *mut c_void,
    userdata_free: ccgw_userdata_free,
) -> ccgw_status {
    let data = UserData { ptr: userdata, free: userdata_free };
    guard("ccgw_events_set_callback", move || {
        let s = session_ref(session)?;
        let cb: Option<crate::events::Callback> = callback.map(|cb| {
            Box::new(move |e: &Event| {
                let b = event_box(e);
                // SAFETY: the host's callback with the userdata it registered.
                unsafe { cb(data.ptr(), &b.public) };
            }) as crate::events::Callback
        });
        s.set_event_callback(cb)
    })
}

/// Current version of `ccgw_dispatch_options`.
pub const CCGW_DISPATCH_OPTIONS_VERSION: u32 = 1;
/// Default `threads` of `ccgw_dispatch_options`.
pub const CCGW_DEFAULT_DISPATCH_THREADS: u32 = 4;
/// Default `max_threads` of `ccgw_dispatch_options` (or `threads`, when larger).
pub const CCGW_DEFAULT_DISPATCH_MAX_THREADS: u32 = 64;
/// Default `stall_ms` of `ccgw_dispatch_options`.
pub const CCGW_DEFAULT_DISPATCH_STALL_MS: u32 = 100;
/// Default `idle_ms` of `ccgw_dispatch_options`.
pub const CCGW_DEFAULT_DISPATCH_IDLE_MS: u32 = 10_000;
/// Largest `threads` and `max_threads` accepted.
pub const CCGW_DISPATCH_THREADS_MAX: u32 = 1024;
/// Largest `stall_ms` accepted (one minute).
pub const CCGW_DISPATCH_STALL_MS_MAX: u32 = 60_000;
/// Largest `idle_ms` accepted (one hour).
pub const CCGW_DISPATCH_IDLE_MS_MAX: u32 = 3_600_000;

/// The callback pool's settings (process-wide): the threads that run every session's event
/// callback (see `ccgw_events_set_callback`). Fill with `ccgw_dispatch_options_init`; zero
/// fields take the defaults.
#[repr(C)]
pub struct ccgw_dispatch_options {
    /// `CCGW_DISPATCH_OPTIONS_VERSION`, set by `ccgw_dispatch_options_init`.
    pub version: u32,
    /// Threads kept for callbacks, started as events arrive (none before the first, none
    /// once no callback is registered in the process);
    /// default `CCGW_DEFAULT_DISPATCH_THREADS` (4): as many sessions' callbacks may block
    /// at once (a ccgw call inside a callback waits for the gateway) without delaying the
    /// others, for four threads whatever the number of sessions. At most
    /// `CCGW_DISPATCH_THREADS_MAX`.
    pub threads: u32,
    /// Hard cap on callback threads, those the watchdog adds included; default
    /// `CCGW_DEFAULT_DISPATCH_MAX_THREADS` (64), or `threads` when larger. At least
    /// `threads`, at most `CCGW_DISPATCH_THREADS_MAX`.
    pub max_threads: u32,
    /// The watchdog adds a thread when every callback thread has been inside its current
    /// callback this long, ms, while other sessions' events wait (then again every
    /// `stall_ms` while it lasts); default `CCGW_DEFAULT_DISPATCH_STALL_MS` (100). At most
    /// `CCGW_DISPATCH_STALL_MS_MAX`.
    pub stall_ms: u32,
    /// A thread above `threads` ends after this long without work, ms; default
    /// `CCGW_DEFAULT_DISPATCH_IDLE_MS` (10 s). At most `CCGW_DISPATCH_IDLE_MS_MAX`.
    pub idle_ms: u32,
}

/// Fills `*opts` with the defaults of `version` (pass `CCGW_DISPATCH_OPTIONS_VERSION`):
/// every field 0, meaning its default.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
/// nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_dispatch_options_init(opts: *mut ccgw_dispatch_options, version: u32) -> ccgw_status {
    guard("ccgw_dispatch_options_init", || {
        check_version(version, CCGW_DISPATCH_OPTIONS_VERSION, "ccgw_dispatch_options")?;
        let o = arg_mut(opts, "opts")?;
        *o = ccgw_dispatch_options { version, threads: 0, max_threads: 0, stall_ms: 0, idle_ms: 0 };
        Ok(())
    })
}

/// Reads and checks the C options (NULL: the defaults).
fn dispatch_options(p: *const ccgw_dispatch_options) -> crate::error::Result<crate::dispatch::DispatchOptions> {
    let mut o = crate::dispatch::DispatchOptions::default();
    if p.is_null() {
        return Ok(o);
    }
    // SAFETY: a valid pointer (documented contract); version 1 is the whole struct.
    let c = unsafe { &*p };
    check_version(c.version, CCGW_DISPATCH_OPTIONS_VERSION, "ccgw_dispatch_options")?;
    let range = |name: &str, v: u32, max: u32| {
        if v > max {
            Err(Error::new(CCGW_E_OUT_OF_RANGE, format!("ccgw_dispatch_options.{name} is {v}; at most {max}")))
        } else {
            Ok(v)
        }
    };
    if range("threads", c.threads, CCGW_DISPATCH_THREADS_MAX)? > 0 {
        o.threads = c.threads as usize;
    }
    o.max_threads = match range("max_threads", c.max_threads, CCGW_DISPATCH_THREADS_MAX)? {
        0 => o.max_threads.max(o.threads),
        m if (m as usize) < o.threads => {
            return Err(Error::new(
                CCGW_E_OUT_OF_RANGE,
                format!("ccgw_dispatch_options.max_threads ({m}) is below threads ({})", o.threads),
            ))
        }
        m => m as usize,
    };
    if range("stall_ms", c.stall_ms, CCGW_DISPATCH_STALL_MS_MAX)? > 0 {
        o.stall = Duration::from_millis(c.stall_ms.into());
    }
    if range("idle_ms", c.idle_ms, CCGW_DISPATCH_IDLE_MS_MAX)? > 0 {
        o.idle = Duration::from_millis(c.idle_ms.into());
    }
    Ok(o)
}

/// Sets the callback pool's options (`opts` NULL: the defaults), for the whole process.
/// Best called once at start-up, but they apply at any time, at once: a larger `threads`
/// lets the pool grow as events arrive; with a smaller one, the threads above it end
/// after `idle_ms` without work (a callback running is never interrupted). They stay
/// through `ccgw_global_shutdown`. `opts` is read during the call only.
///
/// Returns `CCGW_OK`, `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_OUT_OF_RANGE` (a field above
/// its maximum, or `max_threads` below `threads`; nothing changed), `CCGW_E_FORKED`.
/// Blocks on nothing. Thread-safe; may be called from inside a callback.
#[no_mangle]
pub unsafe extern "C" fn ccgw_global_set_dispatch_options(opts: *const ccgw_dispatch_options) -> ccgw_status {
    guard("ccgw_global_set_dispatch_options", || {
        crate::dispatch::configure(dispatch_options(opts)?);
        Ok(())
    })
}

/// Writes the callback pool's options in effect (defaults resolved) into `*out`, whose
/// `version` must be set (`ccgw_dispatch_options_init`); only that version's fields are
/// written.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`, `CCGW_E_UNSUPPORTED_VERSION`. Blocks on
/// nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_global_get_dispatch_options(out: *mut ccgw_dispatch_options) -> ccgw_status {
    guard("ccgw_global_get_dispatch_options", || {
        let o = arg_mut(out, "out")?;
        check_version(o.version, CCGW_DISPATCH_OPTIONS_VERSION, "ccgw_dispatch_options")?;
        let d = crate::dispatch::options();
        let ms = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
        o.threads = d.threads as u32;
        o.max_threads = d.max_threads as u32;
        o.stall_ms = ms(d.stall);
        o.idle_ms = ms(d.idle);
        Ok(())
    })
}

/// The pump's state: `CCGW_OK` while it runs or after it was stopped on request, or the
/// status of the lasting failure that stopped it (the same as in its
/// `CCGW_EVENT_PUMP_STOPPED` event), e.g. `CCGW_E_GW_NOT_SIGNED_IN`. `CCGW_E_NULL_ARGUMENT`
/// for a NULL session. Does not block. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_status(session: *const ccgw_session) -> ccgw_status {
    guard_value(CCGW_E_INTERNAL, || match session_ref(session) {
        Ok(s) => s.events_failure(),
        Err(e) => e.status,
    })
}

/// Whether the event pump is running. False for a NULL session. Does not block. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_events_running(session: *const ccgw_session) -> bool {
    guard_value(false, || session_ref(session).is_ok_and(|s| s.events_running()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{EventKind, LostReason};

    #[test]
    fn event_kind_constants_match_the_core() {
        let pairs = [
            (CCGW_EVENT_OTHER, EventKind::Other),
            (CCGW_EVENT_CONF_PARTICIPANT_CHANGED, EventKind::ConfParticipantChanged),
            (CCGW_EVENT_CONF_REQUEST_SUCCESS, EventKind::ConfRequestSuccess),
            (CCGW_EVENT_CONF_REQUEST_FAILED, EventKind::ConfRequestFailed),
            (CCGW_EVENT_CONF_SELF_JOIN_RESULT, EventKind::ConfSelfJoinResult),
            (CCGW_EVENT_CONF_TIMEOUT, EventKind::ConfTimeout),
            (CCGW_EVENT_CONF_RINGING, EventKind::ConfRinging),
            (CCGW_EVENT_CONF_SELF_LEAVE_RESULT, EventKind::ConfSelfLeaveResult),
            (CCGW_EVENT_CONF_PRESIDENT_CHANGED, EventKind::ConfPresidentChanged),
            (CCGW_EVENT_CONF_STOP_VOICE, EventKind::ConfStopVoice),
            (CCGW_EVENT_CONF_STOP_PARTICIPANT_VOICE, EventKind::ConfStopParticipantVoice),
            (CCGW_EVENT_CONFERENCE, EventKind::Conference),
            (CCGW_EVENT_CUSTOMER_RELEASE, EventKind::CustomerRelease),
            (CCGW_EVENT_CALL_TALKING, EventKind::CallTalking),
            (CCGW_EVENT_CALL_HOLD, EventKind::CallHold),
            (CCGW_EVENT_CALL_RELEASE, EventKind::CallRelease),
            (CCGW_EVENT_CONNECT_FAIL, EventKind::ConnectFail),
            (CCGW_EVENT_CALL_OUT_FAIL, EventKind::CallOutFail),
            (CCGW_EVENT_CUSTOMER_ALERTING, EventKind::CustomerAlerting),
            (CCGW_EVENT_CALL_RINGING, EventKind::CallRinging),
            (CCGW_EVENT_PHONE_ALERTING, EventKind::PhoneAlerting),
            (CCGW_EVENT_PHONE_OFFHOOK, EventKind::PhoneOffhook),
            (CCGW_EVENT_PHONE_RELEASE, EventKind::PhoneRelease),
            (CCGW_EVENT_SHUTDOWN_SERVICE, EventKind::ShutdownService),
            (CCGW_EVENT_AGENT_STATE_READY, EventKind::AgentStateReady),
            (CCGW_EVENT_AGENT_STATE_BUSY, EventKind::AgentStateBusy),
            (CCGW_EVENT_AGENT_STATE_NOT_READY, EventKind::AgentStateNotReady),
            (CCGW_EVENT_AGENT_STATE_WORK, EventKind::AgentStateWork),
            (CCGW_EVENT_AGENT_STATE_OTHER, EventKind::AgentStateOther),
            (CCGW_EVENT_EVENTS_LOST, EventKind::EventsLost),
            (CCGW_EVENT_MALFORMED, EventKind::Malformed),
            (CCGW_EVENT_PUMP_ERROR, EventKind::PumpError),
            (CCGW_EVENT_PUMP_RECOVERED, EventKind::PumpRecovered),
            (CCGW_EVENT_PUMP_STOPPED, EventKind::PumpStopped),
            (CCGW_EVENT_INVITE_OUTCOME, EventKind::InviteOutcome),
            (CCGW_EVENT_INVITES_SETTLED, EventKind::InvitesSettled),
            (CCGW_EVENT_SESSION_LOST, EventKind::SessionLost),
            (CCGW_EVENT_SIGNING_IN_AGAIN, EventKind::SigningInAgain),
            (CCGW_EVENT_SIGNED_IN_AGAIN, EventKind::SignedInAgain),
            (CCGW_EVENT_SIGN_IN_AGAIN_FAILED, EventKind::SignInAgainFailed),
            (CCGW_EVENT_SNAPSHOT, EventKind::Snapshot),
        ];
        for (constant, kind) in pairs {
            assert_eq!(constant, kind as i32, "{kind:?}");
        }
        for (constant, reason) in [
            (CCGW_LOST_QUEUE_FULL, LostReason::QueueFull),
            (CCGW_LOST_QUEUE_BYTES, LostReason::QueueBytes),
            (CCGW_LOST_TOO_LARGE, LostReason::TooLarge),
            (CCGW_LOST_POLL_FAILED, LostReason::PollFailed),
            (CCGW_LOST_FAILOVER, LostReason::Failover),
            (CCGW_LOST_SIGN_IN_AGAIN, LostReason::SignInAgain),
        ] {
            assert_eq!(constant, reason as i32, "{reason:?}");
        }
        assert_eq!(CCGW_DEFAULT_EVENT_QUEUE_MAX_BYTES, crate::events::DEFAULT_QUEUE_MAX_BYTES);
        let d = crate::dispatch::DispatchOptions::default();
        assert_eq!(CCGW_DEFAULT_DISPATCH_THREADS as usize, d.threads);
        assert_eq!(CCGW_DEFAULT_DISPATCH_MAX_THREADS as usize, d.max_threads);
        assert_eq!(u128::from(CCGW_DEFAULT_DISPATCH_STALL_MS), d.stall.as_millis());
        assert_eq!(u128::from(CCGW_DEFAULT_DISPATCH_IDLE_MS), d.idle.as_millis());
        assert_eq!(CCGW_DEFAULT_MAX_EVENT_BYTES, crate::events::DEFAULT_MAX_EVENT_BYTES);
    }
}
