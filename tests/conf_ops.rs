//! The typed conference, call and query operations through the C ABI against the
//! simulator: each one's happy path (what reached the gateway, the simulator's state
//! after it, typed results and events), and the gateway's refusals mapped to named
//! statuses.

mod common;

use ccgw::ffi::agentconf::*;
use ccgw::ffi::conf::{CCGW_ADDRESS_AGENT, CCGW_ADDRESS_PHONE};
use ccgw::ffi::events::*;
use ccgw::status::*;
use common::conf::*;
use common::*;
use serde_json::{json, Value};

/// The last journal entry's (method, path with query, body).
fn last_sent(sim: &ccgw_sim::Simulator) -> (String, String, Option<Value>) {
    let e = sim.journal().into_iter().rev().find(|e| e.route != "agentevent").expect("a request");
    let path = match e.query.as_deref() {
        None | Some("") => e.path.clone(),
        Some(q) => format!("{}?{q}", e.path),
    };
    (e.method, path, e.body)
}

fn member(sim: &ccgw_sim::Simulator, conf: i64, address: &str) -> Value {
    sim.conf_info(conf as u64)
        .and_then(|c| c["addresses"].as_array().and_then(|a| a.iter().find(|p| p["address"] == address).cloned()))
        .unwrap_or(Value::Null)
}

#[test]
fn the_whole_conference_through_typed_calls() {
    let sim = sim(json!({"announcement_ms": 0, "agents": {"409": {"inspector": true}}}));
    let chair = pumped(&sim, "401");
    let guest = signed_in_with(&sim, "402", |o| o.autoanswer = 0);
    start_events(&guest, &event_opts(|_| {}));
    let other = signed_in_with(&sim, "403", |o| o.autoanswer = 0);
    start_events(&other, &event_opts(|_| {}));
    let auto = pumped(&sim, "404");

    // requestagentconf with every field.
    let (caller, voice) = (cs("1234"), cs("y:/conf/1/welcome.V3"));
    expect(
        request_conf(&chair, 5, |r| {
            r.conf_caller_no = caller.as_ptr();
            r.time = 30;
            r.prompt_time = 5;
            r.beep_tone = 1;
            r.play_mode = 2;
            r.voice_path = voice.as_ptr();
        }),
        CCGW_OK,
    );
    assert_eq!(
        last_sent(&sim),
        (
            "POST".into(),
            "/agentgateway/resource/agentconf/401/requestagentconf".into(),
            Some(json!({"memberNum": 5, "confCallerNo": "1234", "time": 30, "promptTime": 5, "beepTone": true,
                        "playMode": 2, "voicePath": "y:/conf/1/welcome.V3"}))
        )
    );
    let conf = wait_event(&chair, "AgentConf_RequestSuccess").0.conf_id;
    let v = view(&chair);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].conf_id, v[0].is_chair, v[0].granted, v[0].synced, v[0].apply_conf_time, v[0].member_num),
        (conf, true, true, true, 30, 5)
    );

    // An agent answers its invitation, another rejects it.
    expect(
        batch_add(
            &chair,
            &invitees(&[(CCGW_ADDRESS_AGENT, "402"), (CCGW_ADDRESS_AGENT, "403"), (CCGW_ADDRESS_PHONE, "70005")]),
            |_| {},
        ),
        CCGW_OK,
    );
    assert_eq!(wait_event(&guest, "AgentConf_Ringing").0.conf_id, conf);
    wait_event(&other, "AgentConf_Ringing");
    expect(answer_conf(&guest), CCGW_OK);
    assert_eq!(last_sent(&sim).1, "/agentgateway/resource/agentconf/402/answeragentconf");
    assert_eq!(wait_event(&guest, "AgentConf_SelfJoinResult").0.conf_id, conf);
    expect(reject_conf(&other), CCGW_OK);
    let (rejected, _) =
        wait_for(&chair, "the rejection", |e| e.kind == CCGW_EVENT_CONF_PARTICIPANT_CHANGED && e.participant == "403");
    assert_eq!((rejected.change_type, rejected.result), (0, 1));
    wait_until("the phone and the agent to join", || {
        sim.conf_info(conf as u64).is_some_and(|c| c["addresses"].as_array().unwrap().len() == 3)
    });

    // The guest's view: joined as an invitee, unsynced until a resync.
    let gv = view(&guest);
    assert_eq!((gv[0].conf_id, gv[0].is_chair, gv[0].synced), (conf, false, false));
    expect(resync(&guest, &[]), CCGW_OK);
    let gv = view(&guest);
    assert!(gv[0].synced && gv[0].participants.len() == 3, "{gv:?}");

    // Hold and unhold a phone.
    expect(hold(&chair, CCGW_ADDRESS_PHONE, "70005", Some("y:/conf/1/hold.V3")), CCGW_OK);
    assert_eq!(member(&sim, conf, "70005")["channelState"], 1);
    expect(unhold(&chair, CCGW_ADDRESS_PHONE, "70005"), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"addressType": "6", "address": "70005"})));
    assert_eq!(member(&sim, conf, "70005")["channelState"], 0);

    // Modes.
    expect(mode(&chair, CCGW_ADDRESS_PHONE, "70005", CCGW_MODE_LISTEN), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"attribute": 1, "addressType": "6", "address": "70005"})));
    assert_eq!(member(&sim, conf, "70005")["channelAttrib"], 1);
    expect(mode(&chair, CCGW_ADDRESS_AGENT, "402", CCGW_MODE_SPEAK), CCGW_OK);
    assert_eq!(member(&sim, conf, "402")["channelAttrib"], 2);

    // Time and resources.
    expect(prolong(&chair, 10), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"prolongTime": 10})));
    assert_eq!(sim.conf_info(conf as u64).unwrap()["applyConfTime"], 40);
    expect(resource(&chair, CCGW_RESOURCE_ADD, 2), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"modifyType": 0, "modifyNum": 2})));
    expect(resource(&chair, CCGW_RESOURCE_REMOVE, 3), CCGW_OK);
    let sc = &sim.confs()["confs"][0];
    assert_eq!(sc["memberNum"], 4);
    let v = view(&chair).remove(0);
    assert_eq!((v.apply_conf_time, v.member_num), (40, 4));

    // Announcements.
    expect(play_part(&chair, CCGW_ADDRESS_PHONE, "70005", "y:/conf/1/part.V3"), CCGW_OK);
    assert_eq!(
        last_sent(&sim).2,
        Some(json!({"addressType": "6", "address": "70005", "voicePath": "y:/conf/1/part.V3"}))
    );
    assert_eq!(member(&sim, conf, "70005")["channelState"], 2);
    expect(stop_part(&chair, CCGW_ADDRESS_PHONE, "70005"), CCGW_OK);
    assert_eq!(wait_event(&chair, "AgentConf_StopParticipantVoice").0.result, 0);
    assert_eq!(member(&sim, conf, "70005")["channelState"], 0);
    expect(play_conf(&chair, "y:/conf/1/all.V3"), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"voicePath": "y:/conf/1/all.V3"})));
    assert_eq!(sim.conf_info(conf as u64).unwrap()["confState"], 1);
    assert_eq!(view(&chair)[0].conf_state, 1);
    expect(stop_conf(&chair), CCGW_OK);
    assert_eq!(wait_event(&chair, "AgentConf_StopVoice").0.result, 0);
    assert_eq!(sim.conf_info(conf as u64).unwrap()["confState"], 0);
    assert_eq!(view(&chair)[0].conf_state, 0);

    // The chair passes to the guest and comes back.
    expect(shift(&chair, "402"), CCGW_OK);
    assert_eq!(last_sent(&sim).2, Some(json!({"destAgentNo": 402})));
    assert_eq!(wait_event(&guest, "AgentConf_PresidentChanged").0.conf_id, conf);
    assert!(!view(&chair)[0].is_chair);
    assert!(view(&guest)[0].is_chair);
    expect(shift(&guest, "401"), CCGW_OK);
    wait_event(&chair, "AgentConf_PresidentChanged");
    assert!(view(&chair)[0].is_chair);

    // An auto-answering agent joins and leaves by itself.
    expect(batch_add(&chair, &invitees(&[(CCGW_ADDRESS_AGENT, "404")]), |_| {}), CCGW_OK);
    wait_event(&auto, "AgentConf_SelfJoinResult");
    expect(leave_conf(&auto), CCGW_OK);
    assert_eq!(last_sent(&sim).1, "/agentgateway/resource/agentconf/404/requestleaveagentconf");
    let (left, _) = wait_for(&chair, "the leave", |e| e.participant == "404" && e.change_type == 1);
    assert_eq!(left.change_reason, 0);
    assert!(view(&auto).is_empty());

    // Removal: one present, one not.
    let (st, missing) = remove(&chair, &[(CCGW_ADDRESS_AGENT, "402"), (CCGW_ADDRESS_PHONE, "79999")]);
    expect(st, CCGW_OK);
    assert_eq!(
        last_sent(&sim).2,
        Some(json!({"addresses": [{"addressType": "9", "address": "402"}, {"addressType": "6", "address": "79999"}]}))
    );
    assert_eq!(missing, vec![(CCGW_ADDRESS_PHONE, "79999".to_string())]);
    wait_event(&guest, "AgentConf_SelfLeaveResult");
    assert!(view(&guest).is_empty());

    // The inspector lists the VDN's conferences.
    let inspector = signed_in(&sim, "409");
    assert_eq!(vdn_ids(&inspector).unwrap(), vec![conf]);
    assert_eq!(last_sent(&sim).0, "GET");

    expect(release_conf(&chair), CCGW_OK);
    assert!(sim.confs()["confs"].as_array().unwrap().is_empty());
    assert!(view(&chair).is_empty(), "a released conference leaves the view at once");
    wait_event(&chair, "AgentConf_SelfLeaveResult");
    assert!(view(&chair).is_empty());
}

#[test]
fn calls_through_typed_calls_and_their_events() {
    let sim = sim(json!({"answer_rules": [{"prefix": "7009", "outcome": "busy", "delay_ms": 5}]}));
    let s = pumped(&sim, "411");
    wait_event(&s, "AgentState_Ready");

    let c1 = dial(&s, "70005", |_| {}).unwrap();
    let (m, p, b) = last_sent(&sim);
    assert_eq!(
        (m.as_str(), p.as_str(), b),
        ("PUT", "/agentgateway/resource/voicecall/411/callout", Some(json!({"called": "70005"})))
    );
    assert_eq!(sim.agent_state(411)["calls"][0]["callid"], c1.as_str());
    let (talking, before) = wait_event(&s, "AgentEvent_Talking");
    assert_eq!(
        (talking.kind, talking.callid.as_str(), talking.called.as_str()),
        (CCGW_EVENT_CALL_TALKING, c1.as_str(), "70005")
    );
    assert!(before.iter().any(|e| e.kind == CCGW_EVENT_AGENT_STATE_BUSY));
    let alert = before.iter().find(|e| e.kind == CCGW_EVENT_CUSTOMER_ALERTING).expect("alerting");
    assert_eq!((alert.callid.as_str(), alert.number.as_str()), (c1.as_str(), "70005"));
    assert_eq!(agent_status(&s).unwrap(), (5, 1));

    expect(second_dial(&s, "12*#"), CCGW_OK);
    assert_eq!(last_sent(&sim).1, "/agentgateway/resource/voicecall/411/seconddialex?number=12%2A%23");
    assert_eq!(sim.agent_state(411)["calls"][0]["dtmf"], "12*#");

    expect(hold_call(&s), CCGW_OK);
    let held = wait_event(&s, "AgentEvent_Hold").0;
    assert_eq!((held.kind, held.callid.as_str()), (CCGW_EVENT_CALL_HOLD, c1.as_str()));
    let list = hold_list(&s).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].callid.as_str(), list[0].called.as_str(), list[0].call_feature), (c1.as_str(), "70005", 7));
    assert!(list[0].begin_time > 0 && list[0].end_time == 0);

    let c2 = dial(&s, "70006", |r| r.mediaability = 0).unwrap();
    wait_for(&s, "the second call to talk", |e| e.kind == CCGW_EVENT_CALL_TALKING && e.callid == c2);
    assert_eq!(call_info(&s, -1).unwrap()[0].callid, c2);
    assert_eq!(last_sent(&sim).1, "/agentgateway/resource/calldata/411/callinfo");
    assert_eq!(call_info_by_id(&s, &c1).unwrap()[0].callid, c1);
    expect(disconnect(&s, "70006"), CCGW_OK);
    assert_eq!(last_sent(&sim).1, "/agentgateway/resource/voicecall/411/disconnect/70006");
    let rel = wait_event(&s, "AgentEvent_Call_Release").0;
    assert_eq!((rel.kind, rel.callid.as_str()), (CCGW_EVENT_CALL_RELEASE, c2.as_str()));

    expect(get_hold(&s, Some(&c1)), CCGW_OK);
    assert_eq!(last_sent(&sim).1, format!("/agentgateway/resource/voicecall/411/gethold?callid={c1}"));
    wait_for(&s, "the held call back", |e| e.kind == CCGW_EVENT_CALL_TALKING && e.callid == c1);

    expect(hold_call(&s), CCGW_OK);
    dial(&s, "70007", |_| {}).unwrap();
    expect(connect_hold(&s, &c1), CCGW_OK);
    assert_eq!(last_sent(&sim).1, format!("/agentgateway/resource/voicecall/411/connecthold/{c1}"));
    let (phone, _) = wait_event(&s, "AgentOther_PhoneRelease");
    assert_eq!((phone.kind, phone.phone_state), (CCGW_EVENT_PHONE_RELEASE, 2));
    assert!(sim.agent_state(411)["calls"].as_array().unwrap().is_empty());
    assert_eq!(agent_status(&s).unwrap().0, 1);

    let c4 = dial(&s, "70008", |_| {}).unwrap();
    expect(drop_call(&s, &c4), CCGW_OK);
    assert_eq!(last_sent(&sim).1, format!("/agentgateway/resource/voicecall/411/dropcall/{c4}"));
    assert_eq!(wait_event(&s, "AgentEvent_Call_Release").0.callid, c4);
    // The last call is still reported with the flag.
    assert_eq!(call_info(&s, -1).unwrap().len(), 0);
    let last = call_info(&s, 1).unwrap();
    assert_eq!((last[0].callid.as_str(), last.len()), (c4.as_str(), 1));
    assert!(last[0].end_time > 0);

    let c5 = dial(&s, "70009", |_| {}).unwrap();
    expect(release_call(&s), CCGW_OK);
    assert_eq!(last_sent(&sim).0, "DELETE");
    assert_eq!(wait_event(&s, "AgentEvent_Call_Release").0.callid, c5);

    // A busy number: the failure events, typed.
    let c6 = dial(&s, "70090", |_| {}).unwrap();
    let (fail, before) = wait_event(&s, "AgentEvent_Connect_Fail");
    assert_eq!((fail.kind, fail.callid.as_str()), (CCGW_EVENT_CONNECT_FAIL, c6.as_str()));
    let out_fail = before.iter().find(|e| e.kind == CCGW_EVENT_CALL_OUT_FAIL).expect("Call_Out_Fail");
    assert_eq!(out_fail.callid, c6);
    assert_eq!(before.iter().rfind(|e| e.kind == CCGW_EVENT_PHONE_RELEASE).unwrap().phone_state, 3);
    assert_eq!(wait_event(&s, "AgentState_Ready").0.kind, CCGW_EVENT_AGENT_STATE_READY);

    // Sign-out by the gateway while a poll is held: AgentOther_ShutdownService, typed.
    wait_until("a poll in flight", || sim.journal().iter().any(|e| e.route == "agentevent" && e.outcome == "pending"));
    sim.sign_out(411);
    let shut = wait_event(&s, "AgentOther_ShutdownService").0;
    assert_eq!((shut.kind, shut.reason.as_str()), (CCGW_EVENT_SHUTDOWN_SERVICE, "control"));
}

#[test]
fn gateway_refusals_map_to_named_statuses() {
    let sim = sim(json!({"agents": {"429": {"inspector": false}}}));
    let chair = pumped(&sim, "421");
    let guest = pumped(&sim, "422");
    let lone = signed_in(&sim, "423");
    let rc = || last_error().2;

    // No conference.
    expect(release_conf(&lone), CCGW_E_GW_NO_CONFERENCE);
    assert_eq!(rc(), "101-001");
    expect(answer_conf(&lone), CCGW_E_GW_NO_CONFERENCE);
    expect(leave_conf(&lone), CCGW_E_GW_NO_CONFERENCE);
    expect(prolong(&lone, 5), CCGW_E_GW_NO_CONFERENCE);
    expect(stop_conf(&lone), CCGW_E_GW_NO_CONFERENCE);
    expect(resource(&lone, CCGW_RESOURCE_ADD, 2), CCGW_E_GW_NO_CONFERENCE);
    expect(vdn_ids(&lone).unwrap_err(), CCGW_E_GW_NOT_INSPECTOR);
    assert_eq!(rc(), "101-004");

    let conf = typed_conference(&chair, 5);
    expect(request_conf(&chair, 5, |_| {}), CCGW_E_GW_ALREADY_IN_CONFERENCE);
    assert_eq!(rc(), "101-003");
    expect(batch_add(&chair, &invitees(&[(CCGW_ADDRESS_AGENT, "422")]), |_| {}), CCGW_OK);
    wait_event(&guest, "AgentConf_SelfJoinResult");
    wait_until("the guest to join", || member(&sim, conf, "422").is_object());
    expect(answer_conf(&guest), CCGW_E_GW_ALREADY_IN_CONFERENCE);
    expect(unhold(&guest, CCGW_ADDRESS_AGENT, "421"), CCGW_E_GW_NOT_CHAIRPERSON);
    assert_eq!(rc(), "101-002");
    expect(mode(&guest, CCGW_ADDRESS_AGENT, "421", 1), CCGW_E_GW_NOT_CHAIRPERSON);
    expect(shift(&chair, "421"), CCGW_E_GW_CHAIR_TO_SELF);
    assert_eq!(rc(), "101-005");
    expect(remove(&chair, &[(CCGW_ADDRESS_AGENT, "421")]).0, CCGW_E_GW_CHAIR_REMOVE_SELF);
    assert_eq!(rc(), "101-006");
    expect(leave_conf(&chair), CCGW_E_GW_CHAIR_CANNOT_LEAVE);
    assert_eq!(rc(), "101-007");
    expect(unhold(&chair, CCGW_ADDRESS_PHONE, "79999"), CCGW_E_GW_INVALID_PARAMETER);
    assert_eq!(rc(), "000-002");
    expect(shift(&chair, "423"), CCGW_E_GW_INVALID_PARAMETER);

    // Calls.
    expect(hold_call(&lone), CCGW_E_GW_HOLD_NO_CALL);
    assert_eq!(rc(), "200-013");
    expect(get_hold(&lone, None), CCGW_E_GW_UNHOLD_NO_HELD);
    assert_eq!(rc(), "200-015");
    expect(hold_list(&lone).unwrap_err(), CCGW_E_GW_NO_HELD_CALLS);
    assert_eq!(rc(), "400-003");
    expect(release_call(&lone), CCGW_E_GW_RELEASE_NO_CALL);
    assert_eq!(rc(), "200-017");
    expect(drop_call(&lone, "1-1"), CCGW_E_GW_DROP_CALL_FAILED);
    assert_eq!(rc(), "200-025");
    expect(connect_hold(&lone, "1-1"), CCGW_E_GW_HOLD_NO_CALL);
    expect(second_dial(&lone, "1"), CCGW_E_GW_AGENT_EXCEPTION);
    assert_eq!(rc(), "100-007");
    expect(disconnect(&lone, "70005"), CCGW_E_GW_RELEASE_NO_CALL);
    expect(call_info_by_id(&lone, "1-1").unwrap_err(), CCGW_E_GW_INVALID_PARAMETER);
    dial(&lone, "70005", |_| {}).unwrap();
    expect(dial(&lone, "70006", |_| {}).unwrap_err(), CCGW_E_GW_WRONG_NUMBER);
    assert_eq!(rc(), "200-001");
    expect(disconnect(&lone, "70099"), CCGW_E_GW_INVALID_PARAMETER);
    expect(get_hold(&lone, Some("1-1")), CCGW_E_GW_UNHOLD_NO_HELD);
    let (_, msg, _, _) = last_error();
    assert!(msg.starts_with("getHold: gateway 200-015"), "{msg}");
}

#[test]
fn the_total_time_limit_is_checked_by_the_view_or_refused_by_the_gateway() {
    let sim = sim(json!({}));
    // With the pump the view knows the conference's 1430 minutes: nothing is sent.
    let s = pumped(&sim, "431");
    expect(request_conf(&s, 5, |r| r.time = 1430), CCGW_OK);
    wait_event(&s, "AgentConf_RequestSuccess");
    let mark = sim.journal_mark();
    expect(prolong(&s, 11), CCGW_E_OUT_OF_RANGE);
    assert!(sent_since(&sim, mark).iter().all(|e| e.route == "agentevent"));
    expect(prolong(&s, 10), CCGW_OK);
    expect(prolong(&s, 1), CCGW_E_OUT_OF_RANGE);
    // Member places: 5 now; 115 more is the most.
    expect(resource(&s, CCGW_RESOURCE_ADD, 116), CCGW_E_OUT_OF_RANGE);
    expect(resource(&s, CCGW_RESOURCE_REMOVE, 5), CCGW_E_OUT_OF_RANGE);
    expect(resource(&s, CCGW_RESOURCE_ADD, 115), CCGW_OK);
    // Without the pump the view does not know the conference: the gateway refuses.
    let quiet = signed_in(&sim, "432");
    expect(request_conf(&quiet, 5, |r| r.time = 1440), CCGW_OK);
    wait_until("the conference", || {
        sim.confs()["confs"].as_array().unwrap().iter().any(|c| c["chair"] == "432" && c["granted"] == true)
    });
    expect(prolong(&quiet, 1), CCGW_E_GW_INVALID_PARAMETER);
    assert_eq!(last_error().2, "000-002");
}
