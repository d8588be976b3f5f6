//! The operations and fault kinds of the fault tests (`fault_matrix.rs`,
//! `fault_endurance.rs`): each operation with a short per-call timeout, and the status
//! every operation must report under each fault.

use super::*;
use ccgw::ffi::conf::*;
use ccgw::ffi::session::*;
use ccgw_sim::{FaultKind, FaultSpec, Simulator};

pub const TIMEOUT_MS: u32 = 400;

pub fn call_opts() -> ccgw_call_options {
    let mut c: ccgw_call_options = unsafe { std::mem::zeroed() };
    expect(unsafe { ccgw_call_options_init(&mut c, CCGW_CALL_OPTIONS_VERSION) }, CCGW_OK);
    c.timeout_ms = TIMEOUT_MS;
    c
}

/// An operation: its route key at the gateway, and a call with the per-call timeout.
pub type Op = (&'static str, Box<dyn Fn(&S) -> ccgw_status>);

pub fn operations() -> Vec<Op> {
    vec![
        (
            "agentconf/batchaddparticipant",
            Box::new(|s: &S| {
                let inv = invitees(&[(CCGW_ADDRESS_PHONE, "70005")]);
                let mut r: ccgw_batch_add_request = unsafe { std::mem::zeroed() };
                unsafe { ccgw_batch_add_request_init(&mut r, CCGW_BATCH_ADD_REQUEST_VERSION) };
                r.participants = inv.list.as_ptr();
                r.participant_count = 1;
                unsafe { ccgw_batch_add_participant(s.0, &r, &call_opts()) }
            }),
        ),
        (
            "agentconf/holdparticipant",
            Box::new(|s: &S| {
                let (a, v) = (cs("70005"), cs("y:/conf/1/hold.V3"));
                let mut r: ccgw_hold_request = unsafe { std::mem::zeroed() };
                unsafe { ccgw_hold_request_init(&mut r, CCGW_HOLD_REQUEST_VERSION) };
                r.address = a.as_ptr();
                r.voice_path = v.as_ptr();
                unsafe { ccgw_hold_participant(s.0, &r, &call_opts()) }
            }),
        ),
        (
            "agentconf/queryconfinfos",
            Box::new(|s: &S| {
                let mut out = ptr::null_mut();
                let st = unsafe { ccgw_query_conf_infos(s.0, [1i64].as_ptr(), 1, &call_opts(), &mut out) };
                unsafe { ccgw_conf_list_free(out) };
                st
            }),
        ),
        (
            "voicecall/confjoin",
            Box::new(|s: &S| {
                let c = cs("1-1");
                unsafe { ccgw_conf_join(s.0, c.as_ptr(), ptr::null(), &call_opts()) }
            }),
        ),
        (
            "voicecall/thirdPartyConfTransmitNum",
            Box::new(|s: &S| unsafe { ccgw_third_party_conf_transmit_num(s.0, &call_opts()) }),
        ),
        (
            "agentconf/releaseagentconf",
            Box::new(|s: &S| {
                let (m, p) = (cs("POST"), cs("agentconf/{agentid}/releaseagentconf"));
                let mut out = ptr::null_mut();
                let st =
                    unsafe { ccgw_session_request(s.0, m.as_ptr(), p.as_ptr(), ptr::null(), &call_opts(), &mut out) };
                unsafe { ccgw::ffi::common::ccgw_string_free(out) };
                st
            }),
        ),
    ]
}

/// Each fault kind and the status every operation must report for it.
pub fn faults(route: &str) -> Vec<(FaultSpec, ccgw_status)> {
    vec![
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(500), CCGW_E_HTTP_STATUS),
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(502), CCGW_E_BAD_GATEWAY),
        (FaultSpec::new(route, FaultKind::HttpStatus).with_status(503), CCGW_E_GATEWAY_UNAVAILABLE),
        (FaultSpec::new(route, FaultKind::MalformedJson), CCGW_E_MALFORMED_RESPONSE),
        (FaultSpec::new(route, FaultKind::TruncatedBody), CCGW_E_TRUNCATED_RESPONSE),
        (FaultSpec::new(route, FaultKind::WrongContentType), CCGW_E_UNEXPECTED_CONTENT_TYPE),
        (FaultSpec::new(route, FaultKind::ResetBefore), CCGW_E_CONNECTION_LOST),
        (FaultSpec::new(route, FaultKind::ResetAfter), CCGW_E_CONNECTION_LOST),
        (FaultSpec::new(route, FaultKind::Hang), CCGW_E_RESPONSE_TIMEOUT),
        (FaultSpec::new(route, FaultKind::Retcode).with_retcode("100-007"), CCGW_E_GW_AGENT_EXCEPTION),
        (FaultSpec::new(route, FaultKind::Switchover), CCGW_E_GW_SWITCHOVER),
        (FaultSpec::new(route, FaultKind::GuidExpired), CCGW_E_GW_NO_RIGHT),
    ]
}

/// What the operation answers without a fault (the session is usable).
pub fn baseline(sim: &Simulator, s: &S, op: &Op) -> ccgw_status {
    let mark = sim.journal_mark();
    let st = (op.1)(s);
    assert_eq!(sim.journal_since(mark).len(), 1, "{}: one request", op.0);
    st
}
