//! The live conference view (snapshot, resync) and invite trackers (a batch invitation
//! with per-invitee outcomes).

use super::conf::{batch_add_request, ccgw_batch_add_request};
use super::session::{call_options, ccgw_call_options, ccgw_session, session_ref};
use super::{arg_ref, arg_slice, array_ptr, free_box, guard, guard_value, out_ptr, Strings};
use crate::confview::ConfView;
use crate::error::{Error, Result};
use crate::invites::{Tracker, WaitEnd};
use crate::runtime::{block_on, check_may_block};
use crate::status::*;
use std::ffi::c_char;
use std::time::Duration;

/// A participant in the live view (`ccgw_conf_view_snapshot`). Numbers the view does not
/// know are -1; strings are never NULL.
#[repr(C)]
pub struct ccgw_view_participant {
    /// 6 phone number, 9 agent id.
    pub address_type: i32,
    /// Phone number or agent id, as the gateway writes it.
    pub address: *const c_char,
    /// The custom device call type (`deviceCallType`).
    pub device_call_type: i32,
    /// The custom device type (`deviceType`).
    pub device_type: i32,
    /// 1 listen only, 2 speak only, 3 listen and speak, 4 neither.
    pub channel_attrib: i32,
    /// `channel_attrib` was inferred from a mute (1) or unmute (3) event the session did
    /// not cause; the gateway's exact value may be 4 or 2 (a resync reads it).
    pub attrib_inferred: bool,
    /// As `queryconfinfos` reports it: 0 talking, 1 held, 2 announcement playing.
    pub channel_state: i32,
    /// Held: it hears the hold announcement (`holdparticipant` always plays one).
    pub held: bool,
    /// The hold announcement file, when this session held it; else empty.
    pub hold_voice_path: *const c_char,
    /// An announcement plays to it (`playvoicetoparticipant`).
    pub announcement: bool,
    /// 0 participant, 1 chairperson.
    pub role: i32,
    /// When it joined, ms since the epoch: the gateway's `enterTime` after a resync,
    /// before that the time of the event that reported the join.
    pub enter_time: i64,
    /// This participant is the session's own agent.
    pub is_self: bool,
}

/// A conference in the live view. Numbers the view does not know are -1.
#[repr(C)]
pub struct ccgw_view_conf {
    /// The conference id.
    pub conf_id: i64,
    /// Established (`AgentConf_RequestSuccess` for the chair).
    pub granted: bool,
    /// The view holds everything the gateway would report (false after joining as an
    /// invitee, after an event about someone the view did not know, or when an
    /// announcement end could not be placed; `ccgw_conf_view_resync` makes it true).
    pub synced: bool,
    /// This agent is the chairperson.
    pub is_chair: bool,
    /// 0 normal, 1 an announcement plays to the conference.
    pub conf_state: i32,
    /// ms since the epoch.
    pub start_time: i64,
    /// Applied duration, minutes (the requested time plus prolongations).
    pub apply_conf_time: i32,
    /// Minutes since the start, when the snapshot was taken.
    pub conf_have_been_time: i32,
    /// Member places (requested, changed by `ccgw_modify_conf_resource`).
    pub member_num: i32,
    /// `AgentConf_Timeout` arrived: the end is near (`ccgw_prolong_time` answers it).
    pub timeout_warned: bool,
    /// How many participants `participants` holds.
    pub participant_count: usize,
    /// Joined participants in join order, the chair included; NULL when the count is 0.
    pub participants: *const ccgw_view_participant,
}

/// A snapshot of the live view: every conference the session chairs or is in
/// (library-owned; free the whole tree with `ccgw_conf_view_free`).
#[repr(C)]
pub struct ccgw_conf_view {
    /// How many conferences `confs` holds.
    pub count: usize,
    /// NULL when `count` is 0.
    pub confs: *const ccgw_view_conf,
}

#[repr(C)]
struct ConfViewBox {
    public: ccgw_conf_view,
    _confs: Vec<ccgw_view_conf>,
    _participants: Vec<Vec<ccgw_view_participant>>,
    _strings: Strings,
}

fn conf_view_box(confs: &[ConfView]) -> *mut ccgw_conf_view {
    let mut st = Strings::default();
    let participants: Vec<Vec<ccgw_view_participant>> = confs
        .iter()
        .map(|c| {
            c.participants
                .iter()
                .map(|p| ccgw_view_participant {
                    address_type: p.address_type,
                    address: st.keep(&p.address),
                    device_call_type: p.device_call_type,
                    device_type: p.device_type,
                    channel_attrib: p.channel_attrib,
                    attrib_inferred: p.attrib_inferred,
                    channel_state: p.channel_state(),
                    held: p.held,
                    hold_voice_path: st.keep(&p.hold_voice_path),
                    announcement: p.announcement,
                    role: p.role,
                    enter_time: p.enter_time,
                    is_self: p.is_self,
                })
                .collect()
        })
        .collect();
    let list: Vec<ccgw_view_conf> = confs
        .iter()
        .zip(&participants)
        .map(|(c, parts)| ccgw_view_conf {
            conf_id: c.conf_id,
            granted: c.granted,
            synced: c.synced,
            is_chair: c.is_chair,
            conf_state: c.conf_state,
            start_time: c.start_time,
            apply_conf_time: c.apply_conf_time,
            conf_have_been_time: c.conf_have_been_time,
            member_num: c.member_num,
            timeout_warned: c.timeout_warned,
            participant_count: parts.len(),
            participants: array_ptr(parts),
        })
        .collect();
    let public = ccgw_conf_view { count: list.len(), confs: array_ptr(&list) };
    Box::into_raw(Box::new(ConfViewBox { public, _confs: list, _participants: participants, _strings: st })).cast()
}

/// A consistent snapshot of the session's live conference view: each conference the
/// agent chairs or is in, with its participants (type, role, channel state and mode,
/// held with its announcement, join time), as the session's events and its own successful
/// operations have told it. The event pump feeds the view before it queues an event, so a
/// snapshot taken after taking an event (`ccgw_events_next`, or in the callback) reflects
/// it. Without the pump the view only follows the session's own operations.
///
/// On `CCGW_OK`, `*out` receives the snapshot (free with `ccgw_conf_view_free`; it does not
/// change afterwards). Returns `CCGW_OK` or `CCGW_E_NULL_ARGUMENT`. Does not block (a short
/// lock). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_view_snapshot(
    session: *const ccgw_session,
    out: *mut *mut ccgw_conf_view,
) -> ccgw_status {
    guard("ccgw_conf_view_snapshot", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        *out = conf_view_box(&s.conf_view());
        Ok(())
    })
}

/// Frees a view snapshot and everything in it. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_view_free(view: *mut ccgw_conf_view) {
    // SAFETY: made by conf_view_box (documented contract).
    guard_value((), || unsafe { free_box::<_, ConfViewBox>(view) })
}

/// Reconciles the live view with the gateway ("resync now"): `queryconfinfos` for every
/// conference in the view, plus `extra_ids` (conferences learnt elsewhere; added when the
/// answer lists this agent), at most 20 ids per request. Each conference takes the
/// gateway's participants, states, modes, roles and times and is marked synced;
/// conferences the gateway no longer reports leave the view. When events change the view
/// while an answer is on its way the query is repeated (3 tries, then the last answer is
/// applied with the conference left unsynced). Call it after joining a conference as an
/// invitee, or whenever a snapshot says `synced` is false.
///
/// `extra_ids` (may be NULL when `count` is 0) is borrowed for the call; `call` may be
/// NULL. Returns `CCGW_OK` (also when the view is empty: nothing is sent);
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (a negative id); `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors as
/// `ccgw_query_conf_infos`; `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. On
/// failure the view is unchanged. Blocks for one request per 20 conferences (more on
/// retries). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_view_resync(
    session: *mut ccgw_session,
    extra_ids: *const i64,
    count: usize,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("queryConfInfos", || {
        let s = session_ref(session)?;
        let extra = arg_slice(extra_ids, count, "extra_ids")?;
        for (i, id) in extra.iter().enumerate() {
            crate::limits::range(&format!("extra_ids[{i}]"), *id, 0, i64::MAX)?;
        }
        let call = call_options(call)?;
        block_on(s.resync_conf_view(extra, &call))?
    })
}

/// Invitee outcome: no answer yet, and the deadline has not passed.
pub const CCGW_INVITE_PENDING: i32 = 0;
/// It joined (or was a participant already: the gateway skips it).
pub const CCGW_INVITE_JOINED: i32 = 1;
/// The invitation failed: rejected, busy, not answered or unreachable; `result` is the
/// gateway's code (non-zero).
pub const CCGW_INVITE_FAILED: i32 = 2;
/// It went away before it answered (removed, hung up, signed out); `change_reason` says why.
pub const CCGW_INVITE_RELEASED: i32 = 3;
/// No answer by the caller's deadline.
pub const CCGW_INVITE_NO_ANSWER: i32 = 4;
/// The conference ended, or the agent was signed out, before it answered.
pub const CCGW_INVITE_CONF_ENDED: i32 = 5;

/// The per-invitee outcomes of one batch invitation (opaque; from
/// `ccgw_batch_add_participant_tracked`, freed with `ccgw_invite_tracker_free`). It may be
/// used from any thread; freeing it races with nothing else on it.
pub struct ccgw_invite_tracker {
    magic: u64,
    tracker: Tracker,
}

const TRACKER_MAGIC: u64 = 0x6363_6777_5452_4b52;

fn tracker_ref<'a>(p: *const ccgw_invite_tracker) -> Result<&'a Tracker> {
    let t = arg_ref(p, "tracker")?;
    if t.magic != TRACKER_MAGIC {
        return Err(Error::new(CCGW_E_INVALID_ARGUMENT, "tracker is not a live ccgw_invite_tracker"));
    }
    Ok(&t.tracker)
}

/// One invitee and its outcome.
#[repr(C)]
pub struct ccgw_invite_result {
    /// 6 phone number, 9 agent id.
    pub address_type: i32,
    /// As given in the request (trimmed). Never NULL.
    pub address: *const c_char,
    /// `CCGW_INVITE_*`.
    pub outcome: i32,
    /// The event's `result`: 0 joined, the gateway's failure code for `CCGW_INVITE_FAILED`;
    /// -1 when no event said.
    pub result: i64,
    /// The event's `changeReason` for `CCGW_INVITE_RELEASED` (1 removed by the chair, 2 hung
    /// up, 4 signed out, ...); -1 otherwise.
    pub change_reason: i64,
    /// When the outcome was settled, ms since the epoch; -1 while pending.
    pub settled_time: i64,
}

/// A consistent copy of a tracker's outcomes (library-owned; free with
/// `ccgw_invite_results_free`).
#[repr(C)]
pub struct ccgw_invite_results {
    /// The tracker's id, as in its `CCGW_EVENT_INVITE_OUTCOME` events.
    pub tracker_id: u64,
    /// The conference invited to; -1 while unknown.
    pub conf_id: i64,
    /// Invitees still pending.
    pub pending: usize,
    /// The deadline has passed (every invitee is settled then).
    pub deadline_passed: bool,
    /// How many invitees `invitees` holds.
    pub count: usize,
    /// In the order of the request, duplicates once; NULL when `count` is 0.
    pub invitees: *const ccgw_invite_result,
}

#[repr(C)]
struct InviteResultsBox {
    public: ccgw_invite_results,
    _items: Vec<ccgw_invite_result>,
    _strings: Strings,
}

/// Invites participants in one batch, as `ccgw_batch_add_participant`, and tracks what
/// each invitee does: joined, failed (rejected, busy, no answer, unreachable, with the
/// gateway's result code), released before answering, no answer by `deadline_ms` from now,
/// or the conference ended first. The outcomes are read from the chair's
/// `AgentConf_ParticipantChanged` events, matched by address and address type as the
/// gateway writes them; the event pump must run (`ccgw_events_start`) for them to arrive.
///
/// Use it blocking (`ccgw_invite_tracker_wait`, then `ccgw_invite_tracker_results`) or from
/// the event stream: tracking takes no event from the application; after the event that
/// settles an invitee the queue (or callback) gets a library event
/// `CCGW_EVENT_INVITE_OUTCOME` (`tracker_id`, `participant`, `participant_type`, `outcome`,
/// `result`, `change_reason`), and `CCGW_EVENT_INVITES_SETTLED` when none is pending (at
/// the latest at the deadline). The tracker is registered before the request is sent, so
/// no event can slip past it.
///
/// Checked first: everything `ccgw_batch_add_participant` checks, and `deadline_ms` > 0; a
/// violation sends nothing. On `CCGW_OK`, `*out` receives the tracker (free with
/// `ccgw_invite_tracker_free`); on failure NULL (no tracker: the invitation may or may not
/// have gone out when the outcome is unknown, e.g. `CCGW_E_RESPONSE_TIMEOUT`). Returns
/// what `ccgw_batch_add_participant` returns. Blocks until the gateway's answer (not the
/// invitees'). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_batch_add_participant_tracked(
    session: *mut ccgw_session,
    req: *const ccgw_batch_add_request,
    deadline_ms: u32,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_invite_tracker,
) -> ccgw_status {
    guard("batchAddParticipant", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let req = batch_add_request(arg_ref(req, "req")?)?;
        crate::limits::range("deadline_ms", i64::from(deadline_ms), 1, i64::from(u32::MAX))?;
        let call = call_options(call)?;
        let deadline = Duration::from_millis(deadline_ms.into());
        let tracker = block_on(s.batch_add_participant_tracked(&req, deadline, &call))??;
        *out = Box::into_raw(Box::new(ccgw_invite_tracker { magic: TRACKER_MAGIC, tracker }));
        Ok(())
    })
}

/// Waits until no invitee is pending (the deadline settles the rest as
/// `CCGW_INVITE_NO_ANSWER`, so waiting past it always ends), at most `timeout_ms`
/// (`CCGW_WAIT_FOREVER`: until then).
///
/// Returns `CCGW_OK` (every invitee settled), `CCGW_E_TIMEOUT` (`timeout_ms` passed first),
/// `CCGW_E_CLOSED` (the session was closed; outcomes so far stay readable),
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_ARGUMENT` (not a live tracker),
/// `CCGW_E_WRONG_THREAD` (on a library runtime thread). Blocks up to `timeout_ms`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_invite_tracker_wait(tracker: *const ccgw_invite_tracker, timeout_ms: u32) -> ccgw_status {
    guard("ccgw_invite_tracker_wait", || {
        let t = tracker_ref(tracker)?;
        if timeout_ms > 0 {
            check_may_block()?;
        }
        let timeout =
            (timeout_ms != super::events::CCGW_WAIT_FOREVER).then(|| Duration::from_millis(timeout_ms.into()));
        match t.wait(timeout) {
            Ok(()) => Ok(()),
            Err(WaitEnd::Timeout) => {
                Err(Error::new(CCGW_E_TIMEOUT, format!("invitees still pending after {timeout_ms} ms")))
            }
            Err(WaitEnd::Closed) => {
                Err(Error::new(CCGW_E_CLOSED, "the session was closed while invitees were pending"))
            }
        }
    })
}

/// A consistent copy of the tracker's outcomes so far. On `CCGW_OK`, `*out` receives it
/// (free with `ccgw_invite_results_free`). Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT`,
/// `CCGW_E_INVALID_ARGUMENT`. Does not block. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_invite_tracker_results(
    tracker: *const ccgw_invite_tracker,
    out: *mut *mut ccgw_invite_results,
) -> ccgw_status {
    guard("ccgw_invite_tracker_results", || {
        let out = out_ptr(out, "out")?;
        let snap = tracker_ref(tracker)?.snapshot();
        let mut st = Strings::default();
        let items: Vec<ccgw_invite_result> = snap
            .invitees
            .iter()
            .map(|i| ccgw_invite_result {
                address_type: i.address_type as i32,
                address: st.keep(&i.address),
                outcome: i.outcome as i32,
                result: i.result,
                change_reason: i.change_reason,
                settled_time: i.settled_time,
            })
            .collect();
        let public = ccgw_invite_results {
            tracker_id: snap.tracker_id,
            conf_id: snap.conf_id,
            pending: snap.pending,
            deadline_passed: snap.deadline_passed,
            count: items.len(),
            invitees: array_ptr(&items),
        };
        *out = Box::into_raw(Box::new(InviteResultsBox { public, _items: items, _strings: st })).cast();
        Ok(())
    })
}

/// Frees a results copy. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_invite_results_free(results: *mut ccgw_invite_results) {
    // SAFETY: made by ccgw_invite_tracker_results (documented contract).
    guard_value((), || unsafe { free_box::<_, InviteResultsBox>(results) })
}

/// The tracker's id (as in its events), or 0 for NULL. Does not block. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_invite_tracker_id(tracker: *const ccgw_invite_tracker) -> u64 {
    guard_value(0, || tracker_ref(tracker).map_or(0, Tracker::id))
}

/// Frees a tracker: it stops tracking (no more of its library events; a thread waiting in
/// `ccgw_invite_tracker_wait` must have returned). NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_invite_tracker_free(tracker: *mut ccgw_invite_tracker) {
    guard_value((), || {
        if tracker_ref(tracker).is_ok() {
            // SAFETY: a live tracker from ccgw_batch_add_participant_tracked, freed once (contract).
            let mut b = unsafe { Box::from_raw(tracker) };
            b.magic = 0;
            drop(b);
        }
    })
}
