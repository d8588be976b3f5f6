//! The calls a conference is built from (reference §6): `callout` with its call id,
//! hold and take back, connect the held call, release, drop, disconnect one party, DTMF;
//! the call-information queries of `calldata`, and the agent's status.

use super::agentconf::no_argument;
use super::session::{call_options, ccgw_call_options, ccgw_session, session_ref};
use super::{
    arg_mut, arg_ref, arg_str, array_ptr, check_version, free_box, guard, guard_pure, guard_value, opt_int, opt_str,
    out_ptr, owned_c_string, tri, Strings, CCGW_UNSET,
};
use crate::calldata::CallInfo;
use crate::error::Result;
use crate::runtime::block_on;
use crate::status::*;
use crate::voicecall::CalloutRequest;
use std::ffi::c_char;

/// Current version of `ccgw_callout_request`.
pub const CCGW_CALLOUT_REQUEST_VERSION: u32 = 1;

/// `callout` request (reference §6). Fill with `ccgw_callout_request_init`; fields left
/// at NULL or `CCGW_UNSET` are not sent.
#[repr(C)]
pub struct ccgw_callout_request {
    /// `CCGW_CALLOUT_REQUEST_VERSION`, set by `ccgw_callout_request_init`.
    pub version: u32,
    /// The number to call: 1-24 of the digits 0-9, `*` and `#`. Mandatory.
    pub called: *const c_char,
    /// Calling number to show: 0-24 digits; NULL (or empty) for the platform's default.
    pub caller: *const c_char,
    /// Skill queue id, 0 to 2147483647, or `CCGW_UNSET`.
    pub skillid: i32,
    /// Call data, at most 16 KB (16384 bytes); NULL to leave out.
    pub callappdata: *const c_char,
    /// 0 audio (the default), 1 video, 2 the most the device can; or `CCGW_UNSET`.
    pub mediaability: i32,
    /// Video direction 1-4, or `CCGW_UNSET`.
    pub user_video_direction: i32,
}

/// One call as the gateway describes it (the call-information object of the `holdlist`
/// page). Numbers the answer left out are -1; strings are never NULL (empty when absent).
#[repr(C)]
pub struct ccgw_call_info {
    /// The call id (call data: keep it out of logs).
    pub callid: *const c_char,
    /// 7 outbound, 0 inbound (`callfeature`).
    pub call_feature: i32,
    /// The calling number (text: it may carry `*`, `#` or leading zeros).
    pub caller: *const c_char,
    /// The called number.
    pub called: *const c_char,
    /// The skill queue's name (`callskill`).
    pub call_skill: *const c_char,
    /// The skill queue's id (`callskillid`).
    pub call_skill_id: i64,
    /// The originally called number (`orgicallednum`).
    pub orig_called: *const c_char,
    /// The call's `callappdata` (`calldata`).
    pub call_data: *const c_char,
    /// When it was answered, ms since the epoch (0 while ringing).
    pub begin_time: i64,
    /// When it ended, ms since the epoch (0 while it lasts).
    pub end_time: i64,
    /// The caller's priority (`userPriority`).
    pub user_priority: i32,
    /// The trunk the call uses (`trunkNo`).
    pub trunk_no: i64,
    /// Seconds since the call started (`logontimes`).
    pub logon_times: i64,
    /// The media type (`mediaType`; 5 voice).
    pub media_type: i32,
    /// 0 audio, 1 video (`mediaAbility`).
    pub media_ability: i32,
    /// Seconds it waited in a queue.
    pub wait_time: i64,
}

/// Calls a query returned (library-owned; free with `ccgw_call_info_list_free`).
#[repr(C)]
pub struct ccgw_call_info_list {
    /// How many calls `calls` holds.
    pub count: usize,
    /// NULL when `count` is 0.
    pub calls: *const ccgw_call_info,
}

#[repr(C)]
struct CallInfoListBox {
    public: ccgw_call_info_list,
    _calls: Vec<ccgw_call_info>,
    _strings: Strings,
}

pub(super) fn call_info_list_box(calls: &[CallInfo]) -> *mut ccgw_call_info_list {
    let mut st = Strings::default();
    let items: Vec<ccgw_call_info> = calls
        .iter()
        .map(|c| ccgw_call_info {
            callid: st.keep(&c.callid),
            call_feature: c.call_feature,
            caller: st.keep(&c.caller),
            called: st.keep(&c.called),
            call_skill: st.keep(&c.call_skill),
            call_skill_id: c.call_skill_id,
            orig_called: st.keep(&c.orig_called),
            call_data: st.keep(&c.call_data),
            begin_time: c.begin_time,
            end_time: c.end_time,
            user_priority: c.user_priority,
            trunk_no: c.trunk_no,
            logon_times: c.logon_times,
            media_type: c.media_type,
            media_ability: c.media_ability,
            wait_time: c.wait_time,
        })
        .collect();
    let public = ccgw_call_info_list { count: items.len(), calls: array_ptr(&items) };
    Box::into_raw(Box::new(CallInfoListBox { public, _calls: items, _strings: st })).cast()
}

/// Fills `*req` with the defaults of `version` (pass `CCGW_CALLOUT_REQUEST_VERSION`): no
/// number, everything else left out.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_callout_request_init(req: *mut ccgw_callout_request, version: u32) -> ccgw_status {
    guard_pure("ccgw_callout_request_init", || {
        check_version(version, CCGW_CALLOUT_REQUEST_VERSION, "ccgw_callout_request")?;
        *arg_mut(req, "req")? = ccgw_callout_request {
            version,
            called: std::ptr::null(),
            caller: std::ptr::null(),
            skillid: CCGW_UNSET,
            callappdata: std::ptr::null(),
            mediaability: CCGW_UNSET,
            user_video_direction: CCGW_UNSET,
        };
        Ok(())
    })
}

/// Places an outbound call (`PUT voicecall/{agentid}/callout`, log name `callout`). The
/// answer carries the new call's id; the call's progress arrives as events:
/// `AgentEvent_Customer_Alerting`, then `AgentEvent_Talking` when the number answers, or
/// `AgentEvent_Call_Out_Fail` / `AgentEvent_Connect_Fail` when it does not.
///
/// Checked first: `called` 1-24 of `0-9*#`, `caller` 0-24 digits, `skillid` 0-2147483647,
/// `callappdata` at most 16384 bytes, `mediaability` 0-2, `user_video_direction` 1-4; a
/// violation sends nothing. `req` is borrowed for the call; `call` may be NULL. On
/// `CCGW_OK`, `*callid_out` receives the call id (free with `ccgw_string_free`; it is call
/// data: keep it out of logs); on failure NULL.
///
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`,
/// `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`; `CCGW_E_NOT_SIGNED_IN`; transport
/// errors; `CCGW_E_MALFORMED_RESPONSE` (no call id in the answer); gateway errors
/// (`CCGW_E_GW_WRONG_NUMBER`, `CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_callout(
    session: *mut ccgw_session,
    req: *const ccgw_callout_request,
    call: *const ccgw_call_options,
    callid_out: *mut *mut c_char,
) -> ccgw_status {
    guard("callout", || {
        let out = out_ptr(callid_out, "callid_out")?;
        let s = session_ref(session)?;
        let r = arg_ref(req, "req")?;
        check_version(r.version, CCGW_CALLOUT_REQUEST_VERSION, "ccgw_callout_request")?;
        let req = CalloutRequest {
            called: arg_str(r.called, "called")?.to_string(),
            caller: opt_str(r.caller, "caller")?.map(str::to_string),
            skillid: opt_int(r.skillid),
            callappdata: opt_str(r.callappdata, "callappdata")?.map(str::to_string),
            mediaability: opt_int(r.mediaability),
            user_video_direction: opt_int(r.user_video_direction),
        };
        let call = call_options(call)?;
        let callid = block_on(s.callout(&req, &call))??;
        *out = owned_c_string(&callid);
        Ok(())
    })
}

/// Holds the agent's talking call (`POST voicecall/{agentid}/hold`, log name `hold`);
/// `AgentEvent_Hold` follows. The agent may then place another call.
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_HOLD_NO_CALL`, `CCGW_E_GW_HOLD_STATE`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_hold_call(session: *mut ccgw_session, call: *const ccgw_call_options) -> ccgw_status {
    no_argument("hold", session, call, |s, c| async move { s.hold_call(&c).await })
}

/// Releases the agent's call that is not on hold (`DELETE voicecall/{agentid}/release`,
/// log name `release`): `AgentEvent_Call_Release`, `AgentEvent_Customer_Release` per
/// party, `AgentOther_PhoneRelease` follow.
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_RELEASE_NO_CALL`, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_release_call(session: *mut ccgw_session, call: *const ccgw_call_options) -> ccgw_status {
    no_argument("release", session, call, |s, c| async move { s.release_call(&c).await })
}

/// A call id argument of a path or query (at most 256 bytes, not blank; checked by the core).
fn callid_arg<'a>(p: *const c_char) -> Result<&'a str> {
    arg_str(p, "callid")
}

/// Takes a held call back (`POST voicecall/{agentid}/gethold?callid=`, log name
/// `getHold`); `AgentEvent_Talking` follows. `callid` may be NULL (the gateway picks the
/// held call); otherwise at most 256 bytes, not blank, percent-encoded into the URL.
///
/// Strings are borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_TOO_LONG`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors
/// (`CCGW_E_GW_UNHOLD_NO_HELD`, `CCGW_E_GW_UNHOLD_STATE`, `CCGW_E_GW_NOT_SIGNED_IN`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_get_hold(
    session: *mut ccgw_session,
    callid: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("getHold", || {
        let s = session_ref(session)?;
        let callid = opt_str(callid, "callid")?;
        let call = call_options(call)?;
        block_on(s.get_hold(callid, &call))?
    })
}

/// Connects the agent's talking party with its held call `callid`; the agent drops out of
/// both (`POST voicecall/{agentid}/connecthold/{callid}`, log name `connectHold`).
///
/// `callid`: mandatory, at most 256 bytes. Returns `CCGW_OK`; argument errors as
/// `ccgw_get_hold`; transport errors; gateway errors (`CCGW_E_GW_HOLD_NO_CALL`,
/// `CCGW_E_GW_HOLD_STATE` as the page lists them, `CCGW_E_GW_CONNECT_HOLD_NO_CALL`,
/// `CCGW_E_GW_CONNECT_HOLD_NO_HELD`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_connect_hold(
    session: *mut ccgw_session,
    callid: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("connectHold", || {
        let s = session_ref(session)?;
        let callid = callid_arg(callid)?;
        let call = call_options(call)?;
        block_on(s.connect_hold(callid, &call))?
    })
}

/// Releases the agent's call `callid`, held or not (`POST voicecall/{agentid}/dropcall/{callid}`,
/// log name `dropCall`).
///
/// `callid`: mandatory, at most 256 bytes. Returns `CCGW_OK`; argument errors as
/// `ccgw_get_hold`; transport errors; gateway errors (`CCGW_E_GW_DROP_CALL_FAILED`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_drop_call(
    session: *mut ccgw_session,
    callid: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("dropCall", || {
        let s = session_ref(session)?;
        let callid = callid_arg(callid)?;
        let call = call_options(call)?;
        block_on(s.drop_call(callid, &call))?
    })
}

/// Makes the party `number` leave the agent's last call (`POST voicecall/{agentid}/disconnect/{number}`,
/// log name `disconnect`), e.g. to drop the third party of a three-party call.
///
/// Checked first: `number` 1-24 digits (a phone number or an agent id); a violation sends
/// nothing. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG`, `CCGW_E_INVALID_ARGUMENT`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`:
/// not a party, `CCGW_E_GW_RELEASE_NO_CALL`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_disconnect(
    session: *mut ccgw_session,
    number: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("disconnect", || {
        let s = session_ref(session)?;
        let number = arg_str(number, "number")?;
        let call = call_options(call)?;
        block_on(s.disconnect(number, &call))?
    })
}

/// Sends DTMF digits on the agent's talking call (`POST voicecall/{agentid}/seconddialex?number=`,
/// log name `secondDialEx`).
///
/// Checked first: `digits` 1-24 of `0-9`, `*` and `#`; a violation sends nothing. Returns
/// `CCGW_OK`; argument errors as `ccgw_disconnect`; transport errors; gateway errors
/// (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_AGENT_EXCEPTION`: no talking call,
/// `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_second_dial(
    session: *mut ccgw_session,
    digits: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("secondDialEx", || {
        let s = session_ref(session)?;
        let digits = arg_str(digits, "digits")?;
        let call = call_options(call)?;
        block_on(s.second_dial(digits, &call))?
    })
}

/// Lists the agent's held calls, oldest first (`GET calldata/{agentid}/holdlist`, log name
/// `holdList`).
///
/// `call` may be NULL. On `CCGW_OK`, `*out` receives the list (free with
/// `ccgw_call_info_list_free`); on failure NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_NO_HELD_CALLS` when nothing is held, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_hold_list(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_call_info_list,
) -> ccgw_status {
    guard("holdList", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let call = call_options(call)?;
        let calls = block_on(s.hold_list(&call))??;
        *out = call_info_list_box(&calls);
        Ok(())
    })
}

/// The agent's current call (`GET calldata/{agentid}/callinfo`, log name
/// `queryCallInfo`): a list of one call, or of none when the agent has no call.
/// `is_no_contain_last_call` (tri-state: `CCGW_UNSET`, 0, 1) is sent as the gateway's
/// `isNoContainLastCall` query flag (on the simulator, 1 reports the last ended call when
/// there is no current one).
///
/// On `CCGW_OK`, `*out` receives the list (free with `ccgw_call_info_list_free`); on failure
/// NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE` (a bad tri-state);
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_call_info(
    session: *mut ccgw_session,
    is_no_contain_last_call: i32,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_call_info_list,
) -> ccgw_status {
    guard("queryCallInfo", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let flag = tri(is_no_contain_last_call, "is_no_contain_last_call")?;
        let call = call_options(call)?;
        let info = block_on(s.call_info(flag, &call))??;
        *out = call_info_list_box(info.as_slice());
        Ok(())
    })
}

/// One of the agent's calls by id (`GET calldata/{agentid}/callinfobycallid/{callid}`, log
/// name `queryCallInfoByCallId`): a list of one call (none when the answer is empty).
///
/// `callid`: mandatory, at most 256 bytes. On `CCGW_OK`, `*out` receives the list (free
/// with `ccgw_call_info_list_free`); on failure NULL. Returns `CCGW_OK`; argument errors
/// as `ccgw_get_hold`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_INVALID_PARAMETER`: no such call, `CCGW_E_GW_NOT_SIGNED_IN`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_call_info_by_callid(
    session: *mut ccgw_session,
    callid: *const c_char,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_call_info_list,
) -> ccgw_status {
    guard("queryCallInfoByCallId", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let callid = callid_arg(callid)?;
        let call = call_options(call)?;
        let info = block_on(s.call_info_by_callid(callid, &call))??;
        *out = call_info_list_box(info.as_slice());
        Ok(())
    })
}

/// Frees a call-information list. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_call_info_list_free(list: *mut ccgw_call_info_list) {
    // SAFETY: made by call_info_list_box (documented contract).
    guard_value((), || unsafe { free_box::<_, CallInfoListBox>(list) })
}

/// The agent's CTI status (`GET onlineagent/{agentid}/agentstatus`, log name
/// `queryAgentStatus`): `*agent_state` receives the status code (0 not signed in, 1 idle,
/// 2 pre-occupied, 3 occupied, 4 answering, 5 talking, 6 working, 7 busy, 8 rest, 9 study,
/// 10 adjusting; -1 when the answer left it out) and `*is_working` (may be NULL) 1 when the
/// agent is in a call, 0 when not, -1 when the answer left it out. Both are written only
/// on success.
///
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
/// `CCGW_E_MALFORMED_RESPONSE`; gateway errors (`CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_agent_status(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
    agent_state: *mut i32,
    is_working: *mut i32,
) -> ccgw_status {
    guard("queryAgentStatus", || {
        let state_out = arg_mut(agent_state, "agent_state")?;
        let s = session_ref(session)?;
        let call = call_options(call)?;
        let status = block_on(s.agent_status(&call))??;
        *state_out = status.agent_state;
        // SAFETY: NULL or a valid pointer (documented contract).
        if let Some(w) = unsafe { is_working.as_mut() } {
            *w = status.is_working.map_or(-1, i32::from);
        }
        Ok(())
    })
}
