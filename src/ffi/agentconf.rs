//! The rest of the agent-conference family beyond the seed operations (reference §5):
//! requesting, releasing, answering, rejecting and leaving a conference, unholding and
//! removing participants, modes, prolonging, the chair hand-over, announcements,
//! resources and the VDN's conference ids.

use super::session::{call_options, ccgw_call_options, ccgw_session, session_ref};
use super::{
    arg_mut, arg_ref, arg_slice, arg_str, array_ptr, check_version, free_box, guard, guard_pure, guard_value, opt_int,
    opt_str, out_ptr, tri, Strings, CCGW_UNSET,
};
use crate::agentconf::{Address, AgentConfRequest, AnswerAddress, PlayVoice};
use crate::error::{missing, Result};
use crate::runtime::block_on;
use crate::status::*;
use std::ffi::c_char;

/// Current version of `ccgw_agent_conf_request`.
pub const CCGW_AGENT_CONF_REQUEST_VERSION: u32 = 1;

/// `attribute` of `ccgw_change_participant_mode`: listen only.
pub const CCGW_MODE_LISTEN: i32 = 1;
/// Speak only.
pub const CCGW_MODE_SPEAK: i32 = 2;
/// Listen and speak (a participant's mode when it joins).
pub const CCGW_MODE_LISTEN_SPEAK: i32 = 3;
/// Neither listen nor speak.
pub const CCGW_MODE_NONE: i32 = 4;

/// `modify_type` of `ccgw_modify_conf_resource`: add member places.
pub const CCGW_RESOURCE_ADD: i32 = 0;
/// Remove member places.
pub const CCGW_RESOURCE_REMOVE: i32 = 1;

/// `requestagentconf` request (reference §5). Fill with `ccgw_agent_conf_request_init`;
/// fields left at NULL or `CCGW_UNSET` are not sent, so the gateway's defaults apply.
#[repr(C)]
pub struct ccgw_agent_conf_request {
    /// `CCGW_AGENT_CONF_REQUEST_VERSION`, set by `ccgw_agent_conf_request_init`.
    pub version: u32,
    /// Member places, 1-120. Mandatory (`CCGW_UNSET` after init).
    pub member_num: i32,
    /// Calling number shown to invitees, at most 24 characters; NULL to leave out.
    pub conf_caller_no: *const c_char,
    /// Duration in minutes, 4-1440, or `CCGW_UNSET` (gateway default 60).
    pub time: i32,
    /// Warning before the end (`AgentConf_Timeout`) in minutes, 3-1440, or `CCGW_UNSET`
    /// (gateway default 3; at or above `time` the gateway uses `time - 1`).
    pub prompt_time: i32,
    /// Tri-state (`CCGW_UNSET`, 0, 1): play a tone to each joiner (gateway default 0);
    /// when 1, `voice_path` is mandatory.
    pub beep_tone: i32,
    /// 2 (play the `voice_path` file, the default), or `CCGW_UNSET`.
    pub play_mode: i32,
    /// Announcement file, at most 127 characters; NULL to leave out.
    pub voice_path: *const c_char,
}

/// A participant address: the element of `ccgw_batch_remove_participant`'s array and of
/// `ccgw_address_list`. This struct's layout is fixed for the ABI's lifetime.
#[repr(C)]
pub struct ccgw_address {
    /// `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
    pub address_type: i32,
    /// Phone number or agent id, 1 to 24 characters. Never NULL in a list the library returns.
    pub address: *const c_char,
}

/// Addresses a call returned (library-owned; free with `ccgw_address_list_free`).
#[repr(C)]
pub struct ccgw_address_list {
    /// How many addresses `addresses` holds.
    pub count: usize,
    /// NULL when `count` is 0.
    pub addresses: *const ccgw_address,
}

#[repr(C)]
struct AddressListBox {
    public: ccgw_address_list,
    _items: Vec<ccgw_address>,
    _strings: Strings,
}

fn address_list_box(list: &[AnswerAddress]) -> *mut ccgw_address_list {
    let mut strings = Strings::default();
    let items: Vec<ccgw_address> = list
        .iter()
        .map(|a| ccgw_address {
            address_type: i32::try_from(a.address_type).unwrap_or(-1),
            address: strings.keep(&a.address),
        })
        .collect();
    let public = ccgw_address_list { count: items.len(), addresses: array_ptr(&items) };
    Box::into_raw(Box::new(AddressListBox { public, _items: items, _strings: strings })).cast()
}

/// Conference ids (library-owned; free with `ccgw_conf_id_list_free`).
#[repr(C)]
pub struct ccgw_conf_id_list {
    /// How many ids `conf_ids` holds.
    pub count: usize,
    /// NULL when `count` is 0.
    pub conf_ids: *const i64,
}

#[repr(C)]
struct ConfIdListBox {
    public: ccgw_conf_id_list,
    _ids: Vec<i64>,
}

fn address(address_type: i32, address: *const c_char, name: &str) -> Result<Address> {
    Ok(Address::new(i64::from(address_type), arg_str(address, name)?))
}

/// Fills `*req` with the defaults of `version` (pass `CCGW_AGENT_CONF_REQUEST_VERSION`):
/// `member_num` unset (it must be set), everything else left out.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_agent_conf_request_init(req: *mut ccgw_agent_conf_request, version: u32) -> ccgw_status {
    guard_pure("ccgw_agent_conf_request_init", || {
        check_version(version, CCGW_AGENT_CONF_REQUEST_VERSION, "ccgw_agent_conf_request")?;
        *arg_mut(req, "req")? = ccgw_agent_conf_request {
            version,
            member_num: CCGW_UNSET,
            conf_caller_no: std::ptr::null(),
            time: CCGW_UNSET,
            prompt_time: CCGW_UNSET,
            beep_tone: CCGW_UNSET,
            play_mode: CCGW_UNSET,
            voice_path: std::ptr::null(),
        };
        Ok(())
    })
}

/// Applies for an agent conference with this agent as chairperson
/// (`POST agentconf/{agentid}/requestagentconf`, log name `requestAgentConf`). The agent
/// must be idle or in a stable call. The answer only says the application was taken: the
/// conference is granted by `AgentConf_SelfJoinResult` then `AgentConf_RequestSuccess`
/// (`conf_id`), or refused by `AgentConf_RequestFailed` (`cause`); chair operations are
/// refused until `AgentConf_RequestSuccess`. The live view (`ccgw_conf_view_snapshot`)
/// holds the conference from `AgentConf_SelfJoinResult`.
///
/// Checked first: `member_num` 1-120 (mandatory), `conf_caller_no` at most 24 characters,
/// `time` 4-1440, `prompt_time` 3-1440, `voice_path` at most 127 characters and present when
/// `beep_tone` is 1; a violation sends nothing.
///
/// `req` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`,
/// `CCGW_E_GW_ALREADY_IN_CONFERENCE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
/// `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_request_agent_conf(
    session: *mut ccgw_session,
    req: *const ccgw_agent_conf_request,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("requestAgentConf", || {
        let s = session_ref(session)?;
        let r = arg_ref(req, "req")?;
        check_version(r.version, CCGW_AGENT_CONF_REQUEST_VERSION, "ccgw_agent_conf_request")?;
        let req = AgentConfRequest {
            member_num: opt_int(r.member_num).ok_or_else(|| missing("member_num"))?,
            conf_caller_no: opt_str(r.conf_caller_no, "conf_caller_no")?.map(str::to_string),
            time: opt_int(r.time),
            prompt_time: opt_int(r.prompt_time),
            beep_tone: tri(r.beep_tone, "beep_tone")?,
            play_mode: opt_int(r.play_mode),
            voice_path: opt_str(r.voice_path, "voice_path")?.map(str::to_string),
        };
        let call = call_options(call)?;
        block_on(s.request_agent_conf(&req, &call))?
    })
}

/// The body of an operation without arguments.
pub(crate) fn no_argument<F: std::future::Future<Output = Result<()>>>(
    op: &str,
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
    f: impl FnOnce(crate::session::Session, crate::session::CallOptions) -> F,
) -> ccgw_status {
    guard(op, || {
        let s = session_ref(session)?.clone();
        let call = call_options(call)?;
        block_on(f(s, call))?
    })
}

/// Releases the conference this agent chairs (`POST agentconf/{agentid}/releaseagentconf`,
/// log name `releaseAgentConf`): it ends for every participant (each joined agent gets
/// `AgentConf_SelfLeaveResult`) and leaves the live view.
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`,
/// `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_release_agent_conf(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    no_argument("releaseAgentConf", session, call, |s, c| async move { s.release_agent_conf(&c).await })
}

/// Answers the conference invitation this agent is ringing for (after
/// `AgentConf_Ringing`; `POST agentconf/{agentid}/answeragentconf`, log name
/// `answerAgentConf`): it joins (`AgentConf_SelfJoinResult`). The live view then holds the
/// conference, marked unsynced until `ccgw_conf_view_resync`.
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`: not invited,
/// `CCGW_E_GW_ALREADY_IN_CONFERENCE`: joined already, `CCGW_E_GW_NOT_SIGNED_IN`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_answer_agent_conf(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    no_argument("answerAgentConf", session, call, |s, c| async move { s.answer_agent_conf(&c).await })
}

/// Declines the conference invitation this agent is ringing for
/// (`POST agentconf/{agentid}/rejectagentconf`, log name `rejectAgentConf`). The chair
/// hears of it as a failed join (`AgentConf_ParticipantChanged` with a non-zero `result`).
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
/// `CCGW_E_GW_ALREADY_IN_CONFERENCE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
/// `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_reject_agent_conf(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    no_argument("rejectAgentConf", session, call, |s, c| async move { s.reject_agent_conf(&c).await })
}

/// Leaves the conference this agent joined as a participant
/// (`POST agentconf/{agentid}/requestleaveagentconf`, log name `requestLeaveAgentConf`);
/// an invitee still ringing declines. The chair cannot leave (release it instead). The
/// conference leaves the live view.
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
/// `CCGW_E_GW_CHAIR_CANNOT_LEAVE`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`,
/// `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_leave_agent_conf(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    no_argument("requestLeaveAgentConf", session, call, |s, c| async move { s.leave_agent_conf(&c).await })
}

/// Stops the announcement playing to the whole conference
/// (`POST agentconf/{agentid}/stopvoicetoconf`, log name `stopVoiceToConf`). Chairperson
/// only. `AgentConf_StopVoice` follows (`result` 1 when nothing was playing).
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_NO_CONFERENCE`,
/// `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_stop_voice_to_conf(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    no_argument("stopVoiceToConf", session, call, |s, c| async move { s.stop_voice_to_conf(&c).await })
}

/// Takes a held participant of the agent's conference off hold
/// (`POST agentconf/{agentid}/unholdparticipant`, log name `unholdParticipant`; the
/// address pair of `holdparticipant`, reference §11.19). Chairperson only. Reported by
/// `AgentConf_ParticipantChanged` (changeType 6).
///
/// Checked first: `address_type` 6 or 9, `address` 1-24 bytes; a violation sends nothing.
/// `address` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
/// gateway errors (`CCGW_E_GW_INVALID_PARAMETER`: not a participant,
/// `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_unhold_participant(
    session: *mut ccgw_session,
    address_type: i32,
    address: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("unholdParticipant", || {
        let s = session_ref(session)?;
        let target = self::address(address_type, address, "address")?;
        let call = call_options(call)?;
        block_on(s.unhold_participant(&target, &call))?
    })
}

/// Removes participants (or pending invitees) from the agent's conference
/// (`POST agentconf/{agentid}/batchremoveparticipant`, log name `batchRemoveParticipant`).
/// Chairperson only; the chair cannot remove itself. Each removal is reported by
/// `AgentConf_ParticipantChanged` (changeType 1, reason 1).
///
/// Checked first: 1-30 addresses, each of type 6 or 9 and 1-24 characters; a violation
/// sends nothing. `addresses` is borrowed for the call; `call` may be NULL. `not_found` may
/// be NULL; otherwise on `CCGW_OK` it receives the addresses the gateway did not find in
/// the conference (`noExistParticipants`; possibly empty; free with
/// `ccgw_address_list_free`), and NULL on failure.
///
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_MANY`, `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
/// `CCGW_E_GW_CHAIR_REMOVE_SELF`, `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_batch_remove_participant(
    session: *mut ccgw_session,
    addresses: *const ccgw_address,
    count: usize,
    call: *const ccgw_call_options,
    not_found: *mut *mut ccgw_address_list,
) -> ccgw_status {
    guard("batchRemoveParticipant", || {
        let mut out = if not_found.is_null() { None } else { Some(out_ptr(not_found, "not_found")?) };
        let s = session_ref(session)?;
        let list = arg_slice(addresses, count, "addresses")?
            .iter()
            .enumerate()
            .map(|(i, a)| self::address(a.address_type, a.address, &format!("addresses[{i}].address")))
            .collect::<Result<Vec<_>>>()?;
        let call = call_options(call)?;
        let missing = block_on(s.batch_remove_participant(&list, &call))??;
        if let Some(out) = out.as_mut() {
            **out = address_list_box(&missing);
        }
        Ok(())
    })
}

/// Frees an address list. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_address_list_free(list: *mut ccgw_address_list) {
    // SAFETY: made by address_list_box (documented contract).
    guard_value((), || unsafe { free_box::<_, AddressListBox>(list) })
}

/// Sets what a participant of the agent's conference hears and says
/// (`POST agentconf/{agentid}/changeparticipantmode`, log name `changeParticipantMode`):
/// `attribute` `CCGW_MODE_LISTEN` (1), `CCGW_MODE_SPEAK` (2), `CCGW_MODE_LISTEN_SPEAK` (3)
/// or `CCGW_MODE_NONE` (4). Chairperson only. Reported by `AgentConf_ParticipantChanged`
/// (changeType 3 muted for 1 and 4, 4 unmuted for 2 and 3).
///
/// Checked first: `attribute` 1-4, `address_type` 6 or 9, `address` 1-24 characters; a
/// violation sends nothing. `address` is borrowed for the call; `call` may be NULL.
/// Returns as `ccgw_unhold_participant`. Blocks until the answer or the request timeout.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_change_participant_mode(
    session: *mut ccgw_session,
    address_type: i32,
    address: *const c_char,
    attribute: i32,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("changeParticipantMode", || {
        let s = session_ref(session)?;
        let target = self::address(address_type, address, "address")?;
        let call = call_options(call)?;
        block_on(s.change_participant_mode(&target, i64::from(attribute), &call))?
    })
}

/// Extends the agent's conference by `minutes` (`POST agentconf/{agentid}/prolongtime`,
/// log name `prolongTime`): the answer to `AgentConf_Timeout`. Chairperson only.
///
/// Checked first: `minutes` 1-1440, and, when the live view knows the conference's
/// applied time, the total at most 1440; a violation sends nothing. `call` may be NULL.
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`:
/// the total would pass 1440, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_prolong_time(
    session: *mut ccgw_session,
    minutes: i32,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("prolongTime", || {
        let s = session_ref(session)?;
        let call = call_options(call)?;
        block_on(s.prolong_time(i64::from(minutes), &call))?
    })
}

/// Hands the chair of the agent's conference to the joined agent `dest_agent`
/// (`POST agentconf/{agentid}/applytoshiftpresident`, log name `applyToShiftPresident`).
/// The others get `AgentConf_ParticipantChanged` (changeType 2), the new chair
/// `AgentConf_PresidentChanged`.
///
/// Checked first: `dest_agent` a canonical decimal agent id, 101-999999; a violation sends
/// nothing. `dest_agent` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`;
/// `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_INVALID_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`; `CCGW_E_NOT_SIGNED_IN`; transport
/// errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`: not a participant,
/// `CCGW_E_GW_CHAIR_TO_SELF`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`,
/// `CCGW_E_GW_NOT_SIGNED_IN`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_shift_president(
    session: *mut ccgw_session,
    dest_agent: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("applyToShiftPresident", || {
        let s = session_ref(session)?;
        let dest = arg_str(dest_agent, "dest_agent")?;
        let call = call_options(call)?;
        block_on(s.shift_president(dest, &call))?
    })
}

fn play_voice(play_mode: i32, voice_path: *const c_char) -> Result<PlayVoice> {
    Ok(PlayVoice { play_mode: opt_int(play_mode), voice_path: arg_str(voice_path, "voice_path")?.to_string() })
}

/// Plays an announcement to one participant of the agent's conference
/// (`POST agentconf/{agentid}/playvoicetoparticipant`, log name `playVoiceToParticipant`);
/// its channel state is 2 until it ends or is stopped (`AgentConf_StopParticipantVoice`).
/// Chairperson only.
///
/// Checked first: `address_type` 6 or 9, `address` 1-24 bytes, `play_mode` 2 or
/// `CCGW_UNSET`, `voice_path` mandatory, at most 127 characters; a violation sends
/// nothing. Strings are borrowed for the call; `call` may be NULL. Returns as
/// `ccgw_unhold_participant`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_play_voice_to_participant(
    session: *mut ccgw_session,
    address_type: i32,
    address: *const c_char,
    play_mode: i32,
    voice_path: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("playVoiceToParticipant", || {
        let s = session_ref(session)?;
        let target = self::address(address_type, address, "address")?;
        let voice = play_voice(play_mode, voice_path)?;
        let call = call_options(call)?;
        block_on(s.play_voice_to_participant(&target, &voice, &call))?
    })
}

/// Stops the announcement playing to one participant
/// (`POST agentconf/{agentid}/stopvoicetoparticipant`, log name `stopVoiceToParticipant`;
/// the address pair, reference §11.19). Chairperson only. `AgentConf_StopParticipantVoice`
/// follows (`result` 1 when nothing was playing).
///
/// Checked first: `address_type` 6 or 9, `address` 1-24 bytes. Returns as
/// `ccgw_unhold_participant`. Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_stop_voice_to_participant(
    session: *mut ccgw_session,
    address_type: i32,
    address: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("stopVoiceToParticipant", || {
        let s = session_ref(session)?;
        let target = self::address(address_type, address, "address")?;
        let call = call_options(call)?;
        block_on(s.stop_voice_to_participant(&target, &call))?
    })
}

/// Plays an announcement to the whole conference (`POST agentconf/{agentid}/playvoicetoconf`,
/// log name `playVoiceToConf`; the body of the page's siblings, reference §11.19): the
/// conference state is 1 until it ends or is stopped (`AgentConf_StopVoice`). Chairperson
/// only.
///
/// Checked first: `play_mode` a 32-bit value or `CCGW_UNSET`, `voice_path` mandatory, at
/// most 127 characters. `voice_path` is borrowed for the call; `call` may be NULL. Returns
/// `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_TOO_LONG`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors
/// (`CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_play_voice_to_conf(
    session: *mut ccgw_session,
    play_mode: i32,
    voice_path: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("playVoiceToConf", || {
        let s = session_ref(session)?;
        let voice = play_voice(play_mode, voice_path)?;
        let call = call_options(call)?;
        block_on(s.play_voice_to_conf(&voice, &call))?
    })
}

/// Adds (`CCGW_RESOURCE_ADD`) or removes (`CCGW_RESOURCE_REMOVE`) `modify_num` member places
/// of the agent's conference (`POST agentconf/{agentid}/modifyconfresource`, log name
/// `modifyConfResource`). Chairperson only.
///
/// Checked first: `modify_type` 0 or 1, `modify_num` 2-118, and, when the live view knows
/// the conference's places, a result within 1-120; a violation sends nothing. `call` may be
/// NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_OUT_OF_RANGE`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
/// `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_modify_conf_resource(
    session: *mut ccgw_session,
    modify_type: i32,
    modify_num: i32,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("modifyConfResource", || {
        let s = session_ref(session)?;
        let call = call_options(call)?;
        block_on(s.modify_conf_resource(i64::from(modify_type), i64::from(modify_num), &call))?
    })
}

/// Lists the ids of every conference of the agent's VDN (`GET agentconf/{agentid}/queryvdnconfid`,
/// log name `queryAllConfIds`). Inspectors only.
///
/// `call` may be NULL. On `CCGW_OK`, `*out` receives the list (possibly empty; free with
/// `ccgw_conf_id_list_free`); on failure NULL. Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_NOT_INSPECTOR`, `CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_vdn_conf_ids(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_conf_id_list,
) -> ccgw_status {
    guard("queryAllConfIds", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let call = call_options(call)?;
        let ids = block_on(s.query_vdn_conf_ids(&call))??;
        let public = ccgw_conf_id_list { count: ids.len(), conf_ids: array_ptr(&ids) };
        *out = Box::into_raw(Box::new(ConfIdListBox { public, _ids: ids })).cast();
        Ok(())
    })
}

/// Frees a conference id list. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_id_list_free(list: *mut ccgw_conf_id_list) {
    // SAFETY: made by ccgw_query_vdn_conf_ids (documented contract).
    guard_value((), || unsafe { free_box::<_, ConfIdListBox>(list) })
}
