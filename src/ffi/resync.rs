//! Resynchronisation exports: the agent's state, calls and conferences in one snapshot
//! (`crate::resync`).

use super::calls::{call_info_list_box, ccgw_call_info_list, ccgw_call_info_list_free};
use super::conf::{ccgw_conf_list, ccgw_conf_list_free, conf_list_box};
use super::session::{call_options, ccgw_call_options, ccgw_session, session_ref};
use super::{free_box, guard, guard_value, out_ptr};
use crate::calldata::CallInfo;
use crate::resync::Snapshot;
use crate::runtime::block_on;
use crate::status::*;

/// The agent's state as the gateway reports it, built from the documented queries
/// (library-owned: from `ccgw_session_snapshot`, free with `ccgw_snapshot_free`; in a
/// `CCGW_EVENT_SNAPSHOT` event, owned by the event). Each `*_status` is `CCGW_OK` when its
/// part was fetched, else the status of the query that failed, and its part is empty. No
/// pointer is ever NULL. Fields are only ever appended (the library allocates it).
#[repr(C)]
pub struct ccgw_snapshot {
    /// When the queries started, ms since the epoch.
    pub taken_at: i64,
    /// `agentstatus` (reference §3.5).
    pub agent_status_status: ccgw_status,
    /// The CTI status code: 0 not signed in, 1 idle, 2 pre-occupied, 3 occupied, 4
    /// answering, 5 talking, 6 working, 7 busy, 8 rest, 9 study, 10 adjusting; -1 unknown.
    pub agent_state: i32,
    /// 1 in a call, 0 not, -1 unknown.
    pub is_working: i32,
    /// `holdlist` and `callinfo` (reference §6): the first that failed (`400-003`, nothing
    /// held, is no failure).
    pub calls_status: ccgw_status,
    /// The held calls, oldest first (call data: keep it out of logs).
    pub held_calls: *const ccgw_call_info_list,
    /// The current call when it is not held: zero or one call.
    pub active_calls: *const ccgw_call_info_list,
    /// `queryvdnconfid`: `CCGW_E_GW_NOT_INSPECTOR` (`101-004`) for an agent that is not an
    /// inspector, which is normal: then only the conferences the live view knows (from
    /// this session's events) were asked about. `CCGW_E_MALFORMED_RESPONSE` when the answer
    /// lists more than 2,000 ids (not trusted: the same fallback applies).
    pub conf_ids_status: ccgw_status,
    /// `queryconfinfos` (reference §5).
    pub conferences_status: ccgw_status,
    /// The conferences the agent is a participant of, with their participants.
    pub conferences: *const ccgw_conf_list,
}

/// Owner of a snapshot and its lists; `public` first so the pointer handed out is the box's.
#[repr(C)]
pub(super) struct SnapshotBox {
    public: ccgw_snapshot,
    held: *mut ccgw_call_info_list,
    active: *mut ccgw_call_info_list,
    confs: *mut ccgw_conf_list,
}

// SAFETY: the box owns its lists; nothing else points into them while it is moved.
unsafe impl Send for SnapshotBox {}

impl Drop for SnapshotBox {
    fn drop(&mut self) {
        // SAFETY: made by call_info_list_box / conf_list_box below, freed once here.
        unsafe {
            ccgw_call_info_list_free(self.held);
            ccgw_call_info_list_free(self.active);
            ccgw_conf_list_free(self.confs);
        }
    }
}

pub(super) fn snapshot_box(s: &Snapshot) -> Box<SnapshotBox> {
    let pick =
        |held: bool| -> Vec<CallInfo> { s.calls.iter().filter(|c| c.held == held).map(|c| c.info.clone()).collect() };
    let held = call_info_list_box(&pick(true));
    let active = call_info_list_box(&pick(false));
    let confs = conf_list_box(&s.conferences);
    let public = ccgw_snapshot {
        taken_at: s.taken_at,
        agent_status_status: s.agent_status_status,
        agent_state: s.agent_status.agent_state,
        is_working: s.agent_status.is_working.map_or(-1, i32::from),
        calls_status: s.calls_status,
        held_calls: held,
        active_calls: active,
        conf_ids_status: s.conf_ids_status,
        conferences_status: s.conferences_status,
        conferences: confs,
    };
    Box::new(SnapshotBox { public, held, active, confs })
}

/// Fetches a snapshot of the agent's state for resynchronisation after a gap in the event
/// stream (a `CCGW_EVENT_EVENTS_LOST`): its CTI status (`agentstatus`), its calls, held
/// (`holdlist`) and current (`callinfo`), with their call ids, and the conferences it is a
/// participant of, with their participants (`queryconfinfos` for the ids the live view
/// knows plus, for an inspector, `queryvdnconfid`). A part that fails is marked by its
/// status and left empty; the others are still filled. The live conference view
/// (`ccgw_conf_view`) is reconciled from the answer. The event pump does the same by
/// itself after a gap with `resync_after_gap` set, delivering a `CCGW_EVENT_SNAPSHOT`.
///
/// `call` may be NULL. `*out` receives the snapshot (free with `ccgw_snapshot_free`; NULL
/// on failure). Returns `CCGW_OK` (whatever its parts' statuses), `CCGW_E_NULL_ARGUMENT`,
/// `CCGW_E_UNSUPPORTED_VERSION`, `CCGW_E_NOT_SIGNED_IN` (no Guid; nothing sent),
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`, `CCGW_E_FORKED`. Blocks for
/// its requests, one after the other, each within the request timeout: four, plus one
/// `queryconfinfos` per 20 conference ids (at most 100 for the 2,000 ids accepted).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_session_snapshot(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_snapshot,
) -> ccgw_status {
    guard("snapshot", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let call = call_options(call)?;
        let snap = block_on(s.snapshot(&call))??;
        *out = Box::into_raw(snapshot_box(&snap)).cast();
        Ok(())
    })
}

/// Frees a snapshot from `ccgw_session_snapshot`. NULL is ignored; never free one twice,
/// and never free the one an event carries.
#[no_mangle]
pub unsafe extern "C" fn ccgw_snapshot_free(snapshot: *mut ccgw_snapshot) {
    // SAFETY: made by snapshot_box (documented contract).
    guard_value((), || unsafe { free_box::<_, SnapshotBox>(snapshot) })
}
