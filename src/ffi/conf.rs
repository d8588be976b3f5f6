//! The five conference operations: `batchaddparticipant`, `holdparticipant`,
//! `queryconfinfos`, `confjoin` and `thirdPartyConfTransmitNum`.

use super::session::{call_options, ccgw_call_options, ccgw_session, session_ref};
use super::{
    arg_mut, arg_ref, arg_slice, arg_str, check_version, guard, guard_pure, guard_value, opt_int, opt_str, out_ptr, tri,
};
use crate::agentconf::{BatchAddRequest, ConfInfo, HoldRequest, Participant};
use crate::error::Result;
use crate::runtime::block_on;
use crate::status::*;
use crate::voicecall::ConfJoinRequest;
use std::ffi::{c_char, CString};

/// Current version of `ccgw_batch_add_request`.
pub const CCGW_BATCH_ADD_REQUEST_VERSION: u32 = 1;
/// Current version of `ccgw_hold_request`.
pub const CCGW_HOLD_REQUEST_VERSION: u32 = 1;

/// `address_type` 6: the address is a phone number.
pub const CCGW_ADDRESS_PHONE: i32 = 6;
/// `address_type` 9: the address is an agent id.
pub const CCGW_ADDRESS_AGENT: i32 = 9;

/// One invitee of a batch invitation (Table 4 of the batch-invite page). This struct's
/// layout is fixed for the ABI's lifetime (it is used in arrays).
#[repr(C)]
pub struct ccgw_participant {
    /// `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
    pub address_type: i32,
    /// Phone number or agent id, 1 to 24 characters. Borrowed for the call.
    pub address: *const c_char,
    /// 0-255, or `CCGW_UNSET` to leave it to the gateway (0).
    pub device_call_type: i32,
    /// 0-255, or `CCGW_UNSET` to leave it to the gateway (0).
    pub device_type: i32,
}

/// `batchaddparticipant` request (Table 3). Fill with `ccgw_batch_add_request_init`.
#[repr(C)]
pub struct ccgw_batch_add_request {
    /// `CCGW_BATCH_ADD_REQUEST_VERSION`, set by `ccgw_batch_add_request_init`.
    pub version: u32,
    /// 1 to 120 invitees. Borrowed for the call.
    pub participants: *const ccgw_participant,
    /// Number of elements of `participants`.
    pub participant_count: usize,
    /// Tri-state (`CCGW_UNSET`, 0, 1): play a welcome announcement to each joiner
    /// (gateway default 0). When 1, `voice_path` is mandatory and `play_mode` must be 2 or unset.
    pub beep_tone: i32,
    /// 2 (play the `voice_path` file), or `CCGW_UNSET` (gateway default 2).
    pub play_mode: i32,
    /// Announcement file, `drive:/conf/<VDN>/<file>` (e.g. `y:/conf/120/1136287.V3`), at
    /// most 127 characters; NULL to leave out.
    pub voice_path: *const c_char,
    /// Calling number shown to invitees, at most 24 characters; NULL to leave out.
    pub caller: *const c_char,
}

/// `holdparticipant` request (Table 3). Fill with `ccgw_hold_request_init`.
#[repr(C)]
pub struct ccgw_hold_request {
    /// `CCGW_HOLD_REQUEST_VERSION`, set by `ccgw_hold_request_init`.
    pub version: u32,
    /// `CCGW_ADDRESS_PHONE` (6) or `CCGW_ADDRESS_AGENT` (9).
    pub address_type: i32,
    /// The participant to hold, at most 24 bytes. Mandatory.
    pub address: *const c_char,
    /// 2 (play the `voice_path` file), or `CCGW_UNSET` (gateway default 2).
    pub play_mode: i32,
    /// Announcement the held participant hears, at most 127 characters. Mandatory.
    pub voice_path: *const c_char,
}

/// A participant as `queryconfinfos` reports it (Table 6). Numbers the gateway left out are -1.
#[repr(C)]
pub struct ccgw_conf_participant {
    /// 6 phone number, 9 agent id.
    pub address_type: i32,
    /// Never NULL.
    pub address: *const c_char,
    /// `deviceCallType`, the gateway's custom device call type.
    pub device_call_type: i32,
    /// `deviceType`, the gateway's custom device type.
    pub device_type: i32,
    /// 1 listen only, 2 speak only, 3 listen and speak.
    pub channel_attrib: i32,
    /// 0 talking, 1 held, 2 announcement playing.
    pub channel_state: i32,
    /// 0 participant, 1 chairperson.
    pub role: i32,
    /// When the participant joined, ms since the epoch.
    pub enter_time: i64,
}

/// A conference as `queryconfinfos` reports it (Table 5). Numbers left out are -1.
#[repr(C)]
pub struct ccgw_conf_info {
    /// The conference id.
    pub conf_id: i64,
    /// 0 normal conference call, 1 announcement playing.
    pub conf_state: i32,
    /// Start time, ms since the epoch.
    pub start_time: i64,
    /// Applied duration, minutes.
    pub apply_conf_time: i32,
    /// Minutes since the conference started.
    pub conf_have_been_time: i32,
    /// Number of elements of `participants`.
    pub participant_count: usize,
    /// The participants (NULL when `participant_count` is 0).
    pub participants: *const ccgw_conf_participant,
}

/// The conferences `queryconfinfos` returned (library-owned; free the whole tree with
/// `ccgw_conf_list_free`). Conferences the agent may not see are simply absent.
#[repr(C)]
pub struct ccgw_conf_list {
    /// Number of elements of `confs`.
    pub count: usize,
    /// The conferences (NULL when `count` is 0).
    pub confs: *const ccgw_conf_info,
}

/// Owner of a conference list and everything it points to; `public` comes first so the
/// pointer handed out is the box's.
#[repr(C)]
struct ConfListBox {
    public: ccgw_conf_list,
    _confs: Vec<ccgw_conf_info>,
    _participants: Vec<Vec<ccgw_conf_participant>>,
    _strings: Vec<CString>,
}

pub(super) fn conf_list_box(confs: &[ConfInfo]) -> *mut ccgw_conf_list {
    let mut strings = Vec::new();
    let mut participants: Vec<Vec<ccgw_conf_participant>> = Vec::with_capacity(confs.len());
    for c in confs {
        let list = c
            .participants
            .iter()
            .map(|p| {
                let address = CString::new(p.address.replace('\0', " ")).unwrap_or_default();
                let ptr = address.as_ptr();
                strings.push(address);
                ccgw_conf_participant {
                    address_type: p.address_type,
                    address: ptr,
                    device_call_type: p.device_call_type,
                    device_type: p.device_type,
                    channel_attrib: p.channel_attrib,
                    channel_state: p.channel_state,
                    role: p.role,
                    enter_time: p.enter_time,
                }
            })
            .collect();
        participants.push(list);
    }
    let infos: Vec<ccgw_conf_info> = confs
        .iter()
        .zip(&participants)
        .map(|(c, parts)| ccgw_conf_info {
            conf_id: c.conf_id,
            conf_state: c.conf_state,
            start_time: c.start_time,
            apply_conf_time: c.apply_conf_time,
            conf_have_been_time: c.conf_have_been_time,
            participant_count: parts.len(),
            participants: if parts.is_empty() { std::ptr::null() } else { parts.as_ptr() },
        })
        .collect();
    let public =
        ccgw_conf_list { count: infos.len(), confs: if infos.is_empty() { std::ptr::null() } else { infos.as_ptr() } };
    Box::into_raw(Box::new(ConfListBox { public, _confs: infos, _participants: participants, _strings: strings }))
        .cast()
}

/// Fills `*req` with the defaults of `version` (pass `CCGW_BATCH_ADD_REQUEST_VERSION`):
/// no participants, everything else unset.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_batch_add_request_init(req: *mut ccgw_batch_add_request, version: u32) -> ccgw_status {
    guard_pure("ccgw_batch_add_request_init", || {
        check_version(version, CCGW_BATCH_ADD_REQUEST_VERSION, "ccgw_batch_add_request")?;
        let r = arg_mut(req, "req")?;
        *r = ccgw_batch_add_request {
            version,
            participants: std::ptr::null(),
            participant_count: 0,
            beep_tone: super::CCGW_UNSET,
            play_mode: super::CCGW_UNSET,
            voice_path: std::ptr::null(),
            caller: std::ptr::null(),
        };
        Ok(())
    })
}

/// Fills `*req` with the defaults of `version` (pass `CCGW_HOLD_REQUEST_VERSION`): no
/// address, `play_mode` unset, no voice path.
///
/// Returns `CCGW_OK`, `CCGW_E_NULL_ARGUMENT` or `CCGW_E_UNSUPPORTED_VERSION`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_hold_request_init(req: *mut ccgw_hold_request, version: u32) -> ccgw_status {
    guard_pure("ccgw_hold_request_init", || {
        check_version(version, CCGW_HOLD_REQUEST_VERSION, "ccgw_hold_request")?;
        let r = arg_mut(req, "req")?;
        *r = ccgw_hold_request {
            version,
            address_type: CCGW_ADDRESS_PHONE,
            address: std::ptr::null(),
            play_mode: super::CCGW_UNSET,
            voice_path: std::ptr::null(),
        };
        Ok(())
    })
}

pub(crate) fn batch_add_request(r: &ccgw_batch_add_request) -> Result<BatchAddRequest> {
    check_version(r.version, CCGW_BATCH_ADD_REQUEST_VERSION, "ccgw_batch_add_request")?;
    let list = arg_slice(r.participants, r.participant_count, "participants")?;
    let participants = list
        .iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(Participant {
                address_type: i64::from(p.address_type),
                // Named only when refused: a valid request builds no names.
                address: arg_str(p.address, "")
                    .or_else(|_| arg_str(p.address, &format!("participants[{i}].address")))?
                    .to_string(),
                device_call_type: opt_int(p.device_call_type),
                device_type: opt_int(p.device_type),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(BatchAddRequest {
        participants,
        beep_tone: tri(r.beep_tone, "beep_tone")?,
        play_mode: opt_int(r.play_mode),
        voice_path: opt_str(r.voice_path, "voice_path")?.map(str::to_string),
        caller: opt_str(r.caller, "caller")?.map(str::to_string),
    })
}

/// Invites participants to the agent's conference in one batch
/// (`POST agentconf/{agentid}/batchaddparticipant`, log name `batchAddParticipant`). The
/// agent must be the chairperson, after `AgentConf_RequestSuccess`. Joins are reported by
/// `AgentConf_ParticipantChanged` events; invited agents get `AgentConf_Ringing`.
///
/// Every limit of the interface table is checked first (1-120 participants, address 1-24
/// characters, address type 6 or 9, device types 0-255, voice path at most 127 characters
/// and present with `play_mode` 2 when `beep_tone` is 1, caller at most 24 characters);
/// a violation sends nothing.
///
/// `req` and everything it points to are borrowed for the call; `call` may be NULL.
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`, `CCGW_E_MISSING_ARGUMENT`,
/// `CCGW_E_TOO_MANY`, `CCGW_E_TOO_LONG`, `CCGW_E_OUT_OF_RANGE`, `CCGW_E_UNSUPPORTED_VERSION`;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway errors (`CCGW_E_GW_INVALID_PARAMETER`,
/// `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`,
/// `CCGW_E_GW_NOT_CHAIRPERSON`); `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`.
/// Blocks until the answer or the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_batch_add_participant(
    session: *mut ccgw_session,
    req: *const ccgw_batch_add_request,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("batchAddParticipant", || {
        let s = session_ref(session)?;
        let req = batch_add_request(arg_ref(req, "req")?)?;
        let call = call_options(call)?;
        block_on(s.batch_add_participant(&req, &call))?
    })
}

/// Holds a participant of the agent's conference, playing it an announcement
/// (`POST agentconf/{agentid}/holdparticipant`, log name `holdParticipant`). Chairperson
/// only. Reported by `AgentConf_ParticipantChanged` (changeType 5).
///
/// Checked first: address type 6 or 9, address 1-24 bytes, voice path mandatory and at
/// most 127 characters; a violation sends nothing.
///
/// `req` is borrowed for the call; `call` may be NULL. Returns `CCGW_OK`; argument errors
/// as for `ccgw_batch_add_participant`; `CCGW_E_NOT_SIGNED_IN`; transport errors; gateway
/// errors (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`,
/// `CCGW_E_GW_AGENT_EXCEPTION`, `CCGW_E_GW_NO_CONFERENCE`, `CCGW_E_GW_NOT_CHAIRPERSON`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_hold_participant(
    session: *mut ccgw_session,
    req: *const ccgw_hold_request,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("holdParticipant", || {
        let s = session_ref(session)?;
        let r = arg_ref(req, "req")?;
        check_version(r.version, CCGW_HOLD_REQUEST_VERSION, "ccgw_hold_request")?;
        let req = HoldRequest {
            address_type: i64::from(r.address_type),
            address: arg_str(r.address, "address")?.to_string(),
            play_mode: opt_int(r.play_mode),
            voice_path: arg_str(r.voice_path, "voice_path")?.to_string(),
        };
        let call = call_options(call)?;
        block_on(s.hold_participant(&req, &call))?
    })
}

/// Queries conferences by id (`POST agentconf/{agentid}/queryconfinfos`, log name
/// `queryConfInfos`). An inspector sees every conference of its VDN; any other agent only
/// its own; ids it may not see are left out of the result. Both answer shapes the docs
/// show (`result` as an array, and `result.confs`) are accepted, numbers sent as strings
/// too, unknown fields ignored.
///
/// `conf_ids`: 1 to 20 non-negative ids, borrowed for the call. On `CCGW_OK`, `*out`
/// receives the list (free with `ccgw_conf_list_free`); on failure `*out` is NULL.
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_MISSING_ARGUMENT` (no id),
/// `CCGW_E_TOO_MANY` (over 20), `CCGW_E_OUT_OF_RANGE` (negative id) with nothing sent;
/// `CCGW_E_NOT_SIGNED_IN`; transport errors; `CCGW_E_MALFORMED_RESPONSE`; gateway errors
/// (`CCGW_E_GW_INVALID_PARAMETER`, `CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_query_conf_infos(
    session: *mut ccgw_session,
    conf_ids: *const i64,
    count: usize,
    call: *const ccgw_call_options,
    out: *mut *mut ccgw_conf_list,
) -> ccgw_status {
    guard("queryConfInfos", || {
        let out = out_ptr(out, "out")?;
        let s = session_ref(session)?;
        let ids = arg_slice(conf_ids, count, "conf_ids")?;
        let call = call_options(call)?;
        let confs = block_on(s.query_conf_infos(ids, &call))??;
        *out = conf_list_box(&confs);
        Ok(())
    })
}

/// Frees a conference list and everything in it. NULL is ignored; never free one twice.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_list_free(list: *mut ccgw_conf_list) {
    guard_value((), || {
        if !list.is_null() {
            // SAFETY: created by conf_list_box (first field of a boxed ConfListBox).
            drop(unsafe { Box::from_raw(list.cast::<ConfListBox>()) });
        }
    })
}

/// Makes a three-party call from the held call `callid` and the active call
/// (`POST voicecall/{agentid}/confjoin`, log name `confJoin`). Reported by
/// `AgentEvent_Conference`.
///
/// `callid` (mandatory, not blank, at most 256 bytes) and `callappdata` (NULL to leave
/// out; at most 16 KB = 16384 bytes) are borrowed for the call; `call` may be NULL.
/// Returns `CCGW_OK`; `CCGW_E_NULL_ARGUMENT`, `CCGW_E_INVALID_UTF8`,
/// `CCGW_E_MISSING_ARGUMENT`, `CCGW_E_TOO_LONG` with nothing sent; `CCGW_E_NOT_SIGNED_IN`;
/// transport errors; gateway errors (`CCGW_E_GW_NOT_SIGNED_IN`, `CCGW_E_GW_AGENT_EXCEPTION`,
/// `CCGW_E_GW_THREE_PARTY_NO_CALL`, `CCGW_E_GW_THREE_PARTY_NO_HELD_CALL`); `CCGW_E_CLOSED`,
/// `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or the request
/// timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_conf_join(
    session: *mut ccgw_session,
    callid: *const c_char,
    callappdata: *const c_char,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("confJoin", || {
        let s = session_ref(session)?;
        let req = ConfJoinRequest {
            callid: arg_str(callid, "callid")?.to_string(),
            callappdata: opt_str(callappdata, "callappdata")?.map(str::to_string),
        };
        let call = call_options(call)?;
        block_on(s.conf_join(&req, &call))?
    })
}

/// In a three-party call of the agent, a customer and a third-party IVR, passes the key
/// presses to the IVR (`POST voicecall/{agentid}/thirdPartyConfTransmitNum`, no body, log
/// name `thirdPartyConfTransmitNum`).
///
/// `call` may be NULL. Returns `CCGW_OK`; `CCGW_E_NOT_SIGNED_IN`; transport errors;
/// gateway errors (the page lists `10001`: `CCGW_E_GW_TRANSMIT_NUM_FAILED`);
/// `CCGW_E_CLOSED`, `CCGW_E_CANCELLED`, `CCGW_E_WRONG_THREAD`. Blocks until the answer or
/// the request timeout. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn ccgw_third_party_conf_transmit_num(
    session: *mut ccgw_session,
    call: *const ccgw_call_options,
) -> ccgw_status {
    guard("thirdPartyConfTransmitNum", || {
        let s = session_ref(session)?;
        let call = call_options(call)?;
        block_on(s.third_party_conf_transmit_num(&call))?
    })
}
