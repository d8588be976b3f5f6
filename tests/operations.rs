//! The five conference operations through the C ABI against the simulator: happy paths,
//! what reached the gateway, typed results, and gateway refusals mapped to statuses.

mod common;

use ccgw::ffi::conf::{CCGW_ADDRESS_AGENT, CCGW_ADDRESS_PHONE};
use ccgw::status::*;
use common::*;
use serde_json::json;

#[test]
fn three_party_call_then_transmit_num() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "101");
    // Customer on the line, held; then a third-party IVR called and joined.
    let customer = callout(&s, "70005");
    request(&s, "POST", "voicecall/{agentid}/hold", None).unwrap();
    callout(&s, "9000123");
    let mark = sim.journal_mark();
    expect(conf_join(&s, &customer, Some("order=42")), CCGW_OK);
    let sent = sent_since(&sim, mark);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, "/agentgateway/resource/voicecall/101/confjoin");
    assert_eq!(sent[0].body, Some(json!({"callid": customer, "callappdata": "order=42"})));
    let call = &sim.agent_state(101)["calls"][0];
    assert_eq!(call["threeParty"], true);
    assert_eq!(call["parties"].as_array().unwrap().len(), 2);

    expect(transmit(&s), CCGW_OK);
    let last = sim.journal().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str(), last.body.clone()),
        ("POST", "/agentgateway/resource/voicecall/101/thirdPartyConfTransmitNum", None)
    );
    assert_eq!(sim.agent_state(101)["calls"][0]["transmitNum"], true);
}

#[test]
fn confjoin_refusals_map_to_their_statuses() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "102");
    expect(conf_join(&s, "1-1", None), CCGW_E_GW_THREE_PARTY_NO_CALL);
    let (_, msg, rc, http) = last_error();
    assert_eq!((rc.as_str(), http), ("200-010", 200));
    assert!(msg.starts_with("confJoin: "), "{msg}");
    callout(&s, "70005");
    expect(conf_join(&s, "1-1", None), CCGW_E_GW_THREE_PARTY_NO_HELD_CALL);
    assert_eq!(last_error().2, "200-011");
    // Two parties only: no IVR, so numbers cannot be passed.
    expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED);
    assert_eq!(last_error().2, "10001");
}

#[test]
fn conference_invite_hold_and_query() {
    let sim = sim(json!({}));
    let chair = signed_in(&sim, "153");
    let _guest = signed_in(&sim, "154");
    let conf = conference(&sim, &chair, "153");

    let inv = invitees(&[(CCGW_ADDRESS_PHONE, "70005"), (CCGW_ADDRESS_AGENT, "154")]);
    let mut inv_dev = inv;
    inv_dev.list[0].device_call_type = 1;
    inv_dev.list[0].device_type = 66;
    let mark = sim.journal_mark();
    let caller = cs("1111");
    expect(batch_add(&chair, &inv_dev, |r| r.caller = caller.as_ptr()), CCGW_OK);
    let sent = sent_since(&sim, mark);
    assert_eq!(
        sent[0].body,
        Some(json!({"addresses": [{"addressType": "6", "address": "70005", "deviceCallType": 1, "deviceType": 66},
                                   {"addressType": "9", "address": "154"}], "caller": "1111"}))
    );
    wait_until("both invitees to join", || {
        sim.confs()["confs"][0]["addresses"].as_array().is_some_and(|a| a.len() == 3)
    });

    expect(hold(&chair, CCGW_ADDRESS_PHONE, "70005", Some("y:/conf/120/1136287.V3")), CCGW_OK);
    assert_eq!(
        sim.journal().pop().unwrap().body,
        Some(json!({"addressType": "6", "address": "70005", "voicePath": "y:/conf/120/1136287.V3"}))
    );

    let confs = query(&chair, &[conf, 999]).unwrap();
    assert_eq!(confs.len(), 1, "an unknown id is simply absent");
    let c = &confs[0];
    assert_eq!((c.conf_id, c.conf_state, c.apply_conf_time, c.conf_have_been_time), (conf, 0, 60, 0));
    assert!(c.start_time > 1_600_000_000_000);
    let phone = c.participants.iter().find(|p| p.address == "70005").unwrap();
    assert_eq!(
        (
            phone.address_type,
            phone.device_call_type,
            phone.device_type,
            phone.channel_attrib,
            phone.channel_state,
            phone.role
        ),
        (6, 1, 66, 3, 1, 0),
        "held phone participant"
    );
    let chair_p = c.participants.iter().find(|p| p.address == "153").unwrap();
    assert_eq!((chair_p.address_type, chair_p.channel_state, chair_p.role), (9, 0, 1));
    assert!(c.participants.iter().all(|p| p.enter_time > 0));
    assert_eq!(sim.confs()["confs"][0]["members"][1]["holdVoicePath"], "y:/conf/120/1136287.V3");
}

#[test]
fn query_accepts_the_bare_array_shape() {
    let sim = sim(json!({"query_shape": "array"}));
    let chair = signed_in(&sim, "160");
    let conf = conference(&sim, &chair, "160");
    let confs = query(&chair, &[conf]).unwrap();
    assert_eq!(confs.len(), 1);
    assert_eq!(confs[0].conf_id, conf);
    assert_eq!(sim.journal().pop().unwrap().response.unwrap()["result"].as_array().map(Vec::len), Some(1));
}

#[test]
fn inspector_sees_the_vdn_and_others_only_their_own() {
    let sim = sim(json!({"agents": {"170": {"inspector": true}}}));
    let chair = signed_in(&sim, "171");
    let conf = conference(&sim, &chair, "171");
    let inspector = signed_in(&sim, "170");
    let other = signed_in(&sim, "172");
    assert_eq!(query(&inspector, &[conf]).unwrap().len(), 1);
    assert_eq!(query(&other, &[conf]).unwrap().len(), 0);
}

#[test]
fn chair_operations_refused_by_the_gateway() {
    let sim = sim(json!({"conf_grant_delay_ms": 60_000}));
    let s = signed_in(&sim, "180");
    let inv = invitees(&[(CCGW_ADDRESS_PHONE, "70005")]);
    expect(batch_add(&s, &inv, |_| {}), CCGW_E_GW_NO_CONFERENCE);
    assert_eq!(last_error().2, "101-001");
    // Requested but not yet granted: still refused.
    request(&s, "POST", "agentconf/{agentid}/requestagentconf", Some(r#"{"memberNum": 3}"#)).unwrap();
    expect(hold(&s, CCGW_ADDRESS_PHONE, "70005", Some("y:/a.V3")), CCGW_E_GW_NO_CONFERENCE);
    let (_, msg, _, _) = last_error();
    assert!(msg.starts_with("holdParticipant: gateway 101-001"), "{msg}");
}

#[test]
fn non_chair_is_refused_not_chairperson() {
    let sim = sim(json!({}));
    let chair = signed_in(&sim, "190");
    let guest = signed_in(&sim, "191");
    conference(&sim, &chair, "190");
    expect(batch_add(&chair, &invitees(&[(CCGW_ADDRESS_AGENT, "191")]), |_| {}), CCGW_OK);
    wait_until("the agent to join", || sim.agent_state(191)["conf"].is_number());
    wait_until("the join to complete", || sim.confs()["confs"][0]["addresses"].as_array().unwrap().len() == 2);
    expect(hold(&guest, CCGW_ADDRESS_AGENT, "190", Some("y:/a.V3")), CCGW_E_GW_NOT_CHAIRPERSON);
    assert_eq!(last_error().2, "101-002");
}

#[test]
fn operations_without_sign_in_send_nothing() {
    let sim = sim(json!({}));
    let s = session(&sim, "195");
    let mark = sim.journal_mark();
    expect(transmit(&s), CCGW_E_NOT_SIGNED_IN);
    expect(conf_join(&s, "1-1", None), CCGW_E_NOT_SIGNED_IN);
    assert!(query(&s, &[1]).is_err());
    assert!(sent_since(&sim, mark).is_empty());
}

#[test]
fn gateway_signed_out_agent_maps_to_not_signed_in() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "196");
    sim.sign_out(196);
    expect(transmit(&s), CCGW_E_GW_NOT_SIGNED_IN);
    assert_eq!(last_error().2, "100-006");
}

#[test]
fn unknown_retcodes_pass_through_with_their_text() {
    let sim = sim(json!({}));
    let s = signed_in(&sim, "197");
    sim.add_fault(
        ccgw_sim::FaultSpec::new("voicecall/thirdPartyConfTransmitNum", ccgw_sim::FaultKind::Retcode)
            .with_retcode("104-003"),
    )
    .unwrap();
    expect(transmit(&s), 1_104_003);
    assert!(ccgw::status::is_gateway(1_104_003));
    assert_eq!(last_error().2, "104-003");
    sim.add_fault(
        ccgw_sim::FaultSpec::new("voicecall/thirdPartyConfTransmitNum", ccgw_sim::FaultKind::Retcode)
            .with_retcode("00"),
    )
    .unwrap();
    expect(transmit(&s), CCGW_E_GATEWAY);
    let (_, msg, rc, _) = last_error();
    assert_eq!(rc, "00");
    assert!(msg.contains("retcode 00"), "{msg}");
    // Outside the documented shapes it is no retcode at all: a malformed answer, not quoted.
    sim.add_fault(
        ccgw_sim::FaultSpec::new("voicecall/thirdPartyConfTransmitNum", ccgw_sim::FaultKind::Retcode)
            .with_retcode("E-42"),
    )
    .unwrap();
    expect(transmit(&s), CCGW_E_MALFORMED_RESPONSE);
    let (_, msg, rc, _) = last_error();
    assert_eq!(rc, "");
    assert!(msg.contains("retcode") && !msg.contains("E-42"), "{msg}");
}
