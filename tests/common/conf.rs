//! Wrappers of the typed conference, call and view exports for the integration tests:
//! C structs filled and results copied into Rust values.

use super::*;
use ccgw::calldata::CallInfo;
use ccgw::confview::{ConfView, ViewParticipant};
use ccgw::ffi::agentconf::*;
use ccgw::ffi::calls::*;
use ccgw::ffi::conf::ccgw_batch_add_request;
use ccgw::ffi::confview::*;

pub fn cstr(p: *const c_char) -> String {
    assert!(!p.is_null(), "result strings are never NULL");
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// `requestagentconf` with `member_num` and what `fill` sets.
pub fn request_conf(s: &S, member_num: i32, fill: impl FnOnce(&mut ccgw_agent_conf_request)) -> ccgw_status {
    let mut r: ccgw_agent_conf_request = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_agent_conf_request_init(&mut r, CCGW_AGENT_CONF_REQUEST_VERSION) }, CCGW_OK);
    r.member_num = member_num;
    fill(&mut r);
    unsafe { ccgw_request_agent_conf(s.0, &r, ptr::null()) }
}

pub fn release_conf(s: &S) -> ccgw_status {
    unsafe { ccgw_release_agent_conf(s.0, ptr::null()) }
}
pub fn answer_conf(s: &S) -> ccgw_status {
    unsafe { ccgw_answer_agent_conf(s.0, ptr::null()) }
}
pub fn reject_conf(s: &S) -> ccgw_status {
    unsafe { ccgw_reject_agent_conf(s.0, ptr::null()) }
}
pub fn leave_conf(s: &S) -> ccgw_status {
    unsafe { ccgw_leave_agent_conf(s.0, ptr::null()) }
}
pub fn unhold(s: &S, t: i32, a: &str) -> ccgw_status {
    let a = cs(a);
    unsafe { ccgw_unhold_participant(s.0, t, a.as_ptr(), ptr::null()) }
}

/// `batchremoveparticipant`; returns the status and the addresses not found.
pub fn remove(s: &S, list: &[(i32, &str)]) -> (ccgw_status, Vec<(i32, String)>) {
    let keep: Vec<CString> = list.iter().map(|(_, a)| cs(a)).collect();
    let addrs: Vec<ccgw_address> =
        list.iter().zip(&keep).map(|((t, _), a)| ccgw_address { address_type: *t, address: a.as_ptr() }).collect();
    let mut out: *mut ccgw_address_list = ptr::null_mut();
    let st = unsafe { ccgw_batch_remove_participant(s.0, addrs.as_ptr(), addrs.len(), ptr::null(), &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return (st, vec![]);
    }
    let l = unsafe { &*out };
    let v = (0..l.count)
        .map(|i| {
            let a = unsafe { &*l.addresses.add(i) };
            (a.address_type, cstr(a.address))
        })
        .collect();
    unsafe { ccgw_address_list_free(out) };
    (st, v)
}

pub fn mode(s: &S, t: i32, a: &str, attribute: i32) -> ccgw_status {
    let a = cs(a);
    unsafe { ccgw_change_participant_mode(s.0, t, a.as_ptr(), attribute, ptr::null()) }
}
pub fn prolong(s: &S, minutes: i32) -> ccgw_status {
    unsafe { ccgw_prolong_time(s.0, minutes, ptr::null()) }
}
pub fn shift(s: &S, dest: &str) -> ccgw_status {
    let d = cs(dest);
    unsafe { ccgw_shift_president(s.0, d.as_ptr(), ptr::null()) }
}
pub fn play_part(s: &S, t: i32, a: &str, voice: &str) -> ccgw_status {
    let (a, v) = (cs(a), cs(voice));
    unsafe { ccgw_play_voice_to_participant(s.0, t, a.as_ptr(), -1, v.as_ptr(), ptr::null()) }
}
pub fn stop_part(s: &S, t: i32, a: &str) -> ccgw_status {
    let a = cs(a);
    unsafe { ccgw_stop_voice_to_participant(s.0, t, a.as_ptr(), ptr::null()) }
}
pub fn play_conf(s: &S, voice: &str) -> ccgw_status {
    let v = cs(voice);
    unsafe { ccgw_play_voice_to_conf(s.0, -1, v.as_ptr(), ptr::null()) }
}
pub fn stop_conf(s: &S) -> ccgw_status {
    unsafe { ccgw_stop_voice_to_conf(s.0, ptr::null()) }
}
pub fn resource(s: &S, kind: i32, num: i32) -> ccgw_status {
    unsafe { ccgw_modify_conf_resource(s.0, kind, num, ptr::null()) }
}
pub fn vdn_ids(s: &S) -> Result<Vec<i64>, ccgw_status> {
    let mut out: *mut ccgw_conf_id_list = ptr::null_mut();
    let st = unsafe { ccgw_query_vdn_conf_ids(s.0, ptr::null(), &mut out) };
    if st != CCGW_OK {
        return Err(st);
    }
    let l = unsafe { &*out };
    let v = (0..l.count).map(|i| unsafe { *l.conf_ids.add(i) }).collect();
    unsafe { ccgw_conf_id_list_free(out) };
    Ok(v)
}

/// The typed `callout`; returns the call id.
pub fn dial(s: &S, called: &str, fill: impl FnOnce(&mut ccgw_callout_request)) -> Result<String, ccgw_status> {
    let c = cs(called);
    let mut r: ccgw_callout_request = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_callout_request_init(&mut r, CCGW_CALLOUT_REQUEST_VERSION) }, CCGW_OK);
    r.called = c.as_ptr();
    fill(&mut r);
    let mut out: *mut c_char = ptr::null_mut();
    let st = unsafe { ccgw_callout(s.0, &r, ptr::null(), &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    let id = cstr(out);
    unsafe { ccgw_string_free(out) };
    Ok(id)
}

pub fn hold_call(s: &S) -> ccgw_status {
    unsafe { ccgw_hold_call(s.0, ptr::null()) }
}
pub fn release_call(s: &S) -> ccgw_status {
    unsafe { ccgw_release_call(s.0, ptr::null()) }
}
pub fn get_hold(s: &S, callid: Option<&str>) -> ccgw_status {
    let c = callid.map(cs);
    unsafe { ccgw_get_hold(s.0, c.as_ref().map_or(ptr::null(), |c| c.as_ptr()), ptr::null()) }
}
pub fn connect_hold(s: &S, callid: &str) -> ccgw_status {
    let c = cs(callid);
    unsafe { ccgw_connect_hold(s.0, c.as_ptr(), ptr::null()) }
}
pub fn drop_call(s: &S, callid: &str) -> ccgw_status {
    let c = cs(callid);
    unsafe { ccgw_drop_call(s.0, c.as_ptr(), ptr::null()) }
}
pub fn disconnect(s: &S, number: &str) -> ccgw_status {
    let c = cs(number);
    unsafe { ccgw_disconnect(s.0, c.as_ptr(), ptr::null()) }
}
pub fn second_dial(s: &S, digits: &str) -> ccgw_status {
    let c = cs(digits);
    unsafe { ccgw_second_dial(s.0, c.as_ptr(), ptr::null()) }
}

fn call_infos(out: *mut ccgw_call_info_list) -> Vec<CallInfo> {
    let l = unsafe { &*out };
    let v = (0..l.count)
        .map(|i| {
            let c = unsafe { &*l.calls.add(i) };
            CallInfo {
                call_feature: c.call_feature,
                callid: cstr(c.callid),
                caller: cstr(c.caller),
                called: cstr(c.called),
                call_skill: cstr(c.call_skill),
                call_skill_id: c.call_skill_id,
                orig_called: cstr(c.orig_called),
                call_data: cstr(c.call_data),
                begin_time: c.begin_time,
                end_time: c.end_time,
                user_priority: c.user_priority,
                trunk_no: c.trunk_no,
                logon_times: c.logon_times,
                media_type: c.media_type,
                media_ability: c.media_ability,
                wait_time: c.wait_time,
            }
        })
        .collect();
    unsafe { ccgw_call_info_list_free(out) };
    v
}

pub fn hold_list(s: &S) -> Result<Vec<CallInfo>, ccgw_status> {
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_query_hold_list(s.0, ptr::null(), &mut out) };
    if st != CCGW_OK {
        return Err(st);
    }
    Ok(call_infos(out))
}
pub fn call_info(s: &S, flag: i32) -> Result<Vec<CallInfo>, ccgw_status> {
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_query_call_info(s.0, flag, ptr::null(), &mut out) };
    if st != CCGW_OK {
        return Err(st);
    }
    Ok(call_infos(out))
}
pub fn call_info_by_id(s: &S, callid: &str) -> Result<Vec<CallInfo>, ccgw_status> {
    let c = cs(callid);
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_query_call_info_by_callid(s.0, c.as_ptr(), ptr::null(), &mut out) };
    if st != CCGW_OK {
        return Err(st);
    }
    Ok(call_infos(out))
}
pub fn agent_status(s: &S) -> Result<(i32, i32), ccgw_status> {
    let (mut state, mut working) = (-9, -9);
    let st = unsafe { ccgw_query_agent_status(s.0, ptr::null(), &mut state, &mut working) };
    if st != CCGW_OK {
        return Err(st);
    }
    Ok((state, working))
}

/// The live view, copied out of its C snapshot.
pub fn view(s: &S) -> Vec<ConfView> {
    let mut out: *mut ccgw_conf_view = ptr::null_mut();
    expect(unsafe { ccgw_conf_view_snapshot(s.0, &mut out) }, CCGW_OK);
    let v = unsafe { &*out };
    let confs = (0..v.count)
        .map(|i| {
            let c = unsafe { &*v.confs.add(i) };
            let participants = (0..c.participant_count)
                .map(|j| {
                    let p = unsafe { &*c.participants.add(j) };
                    let vp = ViewParticipant {
                        address_type: p.address_type,
                        address: cstr(p.address),
                        device_call_type: p.device_call_type,
                        device_type: p.device_type,
                        channel_attrib: p.channel_attrib,
                        attrib_inferred: p.attrib_inferred,
                        held: p.held,
                        hold_voice_path: cstr(p.hold_voice_path),
                        announcement: p.announcement,
                        role: p.role,
                        enter_time: p.enter_time,
                        is_self: p.is_self,
                    };
                    assert_eq!(vp.channel_state(), p.channel_state, "channel_state agrees with held/announcement");
                    vp
                })
                .collect();
            ConfView {
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
                participants,
            }
        })
        .collect();
    unsafe { ccgw_conf_view_free(out) };
    confs
}

pub fn resync(s: &S, extra: &[i64]) -> ccgw_status {
    unsafe { ccgw_conf_view_resync(s.0, extra.as_ptr(), extra.len(), ptr::null()) }
}

/// An invite tracker, freed on drop.
pub struct Tracker(pub *mut ccgw_invite_tracker);
unsafe impl Send for Tracker {}
unsafe impl Sync for Tracker {}
impl Drop for Tracker {
    fn drop(&mut self) {
        unsafe { ccgw_invite_tracker_free(self.0) };
    }
}

/// One invitee's outcome as the C results show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub address_type: i32,
    pub address: String,
    pub outcome: i32,
    pub result: i64,
    pub change_reason: i64,
    pub settled_time: i64,
}

/// (tracker id, conf id, pending, deadline passed, invitees)
pub type Results = (u64, i64, usize, bool, Vec<Outcome>);

pub fn tracked_add(
    s: &S,
    inv: &Invitees,
    deadline_ms: u32,
    fill: impl FnOnce(&mut ccgw_batch_add_request),
) -> Result<Tracker, ccgw_status> {
    let mut r: ccgw_batch_add_request = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_batch_add_request_init(&mut r, CCGW_BATCH_ADD_REQUEST_VERSION) }, CCGW_OK);
    r.participants = inv.list.as_ptr();
    r.participant_count = inv.list.len();
    fill(&mut r);
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_batch_add_participant_tracked(s.0, &r, deadline_ms, ptr::null(), &mut out) };
    if st != CCGW_OK {
        assert!(out.is_null());
        return Err(st);
    }
    Ok(Tracker(out))
}

pub fn tracker_wait(t: &Tracker, ms: u32) -> ccgw_status {
    unsafe { ccgw_invite_tracker_wait(t.0, ms) }
}

pub fn tracker_results(t: &Tracker) -> Results {
    let mut out = ptr::null_mut();
    expect(unsafe { ccgw_invite_tracker_results(t.0, &mut out) }, CCGW_OK);
    let r = unsafe { &*out };
    let list = (0..r.count)
        .map(|i| {
            let o = unsafe { &*r.invitees.add(i) };
            Outcome {
                address_type: o.address_type,
                address: cstr(o.address),
                outcome: o.outcome,
                result: o.result,
                change_reason: o.change_reason,
                settled_time: o.settled_time,
            }
        })
        .collect();
    let v = (r.tracker_id, r.conf_id, r.pending, r.deadline_passed, list);
    unsafe { ccgw_invite_results_free(out) };
    v
}

/// A session for `agent`, signed in with what `fill` sets on the sign-in options.
pub fn signed_in_with(
    sim: &ccgw_sim::Simulator,
    agent: &str,
    fill: impl FnOnce(&mut ccgw::ffi::session::ccgw_sign_in_options),
) -> S {
    let s = session(sim, agent);
    let pw = cs(PASSWORD);
    let phone = cs("40038");
    let mut o = sign_in_opts();
    o.password = pw.as_ptr();
    o.phonenum = phone.as_ptr();
    fill(&mut o);
    expect(unsafe { ccgw::ffi::session::ccgw_session_sign_in(s.0, &o, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    s
}

/// A signed-in session with its event pump running (quick timings).
pub fn pumped(sim: &ccgw_sim::Simulator, agent: &str) -> S {
    let s = signed_in(sim, agent);
    start_events(&s, &event_opts(|_| {}));
    s
}

/// A granted conference chaired by the pumped session `s`, through the typed request;
/// waits for AgentConf_RequestSuccess and returns the conference id.
pub fn typed_conference(s: &S, member_num: i32) -> i64 {
    expect(request_conf(s, member_num, |_| {}), CCGW_OK);
    wait_event(s, "AgentConf_RequestSuccess").0.conf_id
}
