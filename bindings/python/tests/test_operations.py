"""The five conference operations and the generic request, happy paths, against the
simulator; plus a gateway refusal and an argument error."""

from __future__ import annotations

import ccgw
from conftest import PASSWORD, Sim, new_agent_id, phone_of

VOICE = "y:/conf/1/hold.V3"


def _three_party_call(s: ccgw.Session) -> str:
    """Calls a customer, holds, calls an IVR; returns the held customer call's id."""
    answer = s.request("PUT", "voicecall/{agentid}/callout", {"called": "70005"})
    assert answer["retcode"] == "0"
    callid = answer["result"]
    assert isinstance(callid, str) and callid
    s.request("POST", "voicecall/{agentid}/hold")
    s.request("PUT", "voicecall/{agentid}/callout", {"called": "9000123"})
    return callid


def _conference(s: ccgw.Session) -> int:
    s.request("POST", "agentconf/{agentid}/requestagentconf", {"memberNum": 5, "time": 30})
    ev = s.wait_event("AgentConf_RequestSuccess", 10)
    assert ev.kind == ccgw.EVENT_CONF_REQUEST_SUCCESS and ev.conf_id is not None
    return ev.conf_id


def test_request_returns_the_answer_envelope(signed_in: ccgw.Session) -> None:
    answer = signed_in.request("PUT", "voicecall/{agentid}/callout", '{"called":"70005"}')
    assert answer["retcode"] == "0"
    assert isinstance(answer["result"], str)
    signed_in.request("DELETE", "voicecall/{agentid}/release")


def test_conf_join_makes_a_three_party_call(signed_in: ccgw.Session) -> None:
    callid = _three_party_call(signed_in)
    signed_in.conf_join(callid, "py-test")
    ev = signed_in.wait_event("AgentEvent_Conference", 10)
    assert ev.kind == ccgw.EVENT_CONFERENCE
    assert ev.callid == callid
    assert set(ev.partners) == {"70005", "9000123"}
    signed_in.request("DELETE", "voicecall/{agentid}/release")


def test_third_party_conf_transmit_num_in_a_call_with_an_ivr(sim: Sim, signed_in: ccgw.Session) -> None:
    callid = _three_party_call(signed_in)
    signed_in.conf_join(callid)
    signed_in.wait_event("AgentEvent_Conference", 10)
    mark = sim.journal_mark()
    signed_in.third_party_conf_transmit_num()
    sent = sim.journal(mark, route="voicecall/thirdPartyConfTransmitNum", agent=signed_in.agent_id)
    assert [e["retcode"] for e in sent] == ["0"]
    signed_in.request("DELETE", "voicecall/{agentid}/release")


def test_batch_add_participant_invites_a_phone_and_an_agent(sim: Sim, signed_in: ccgw.Session) -> None:
    agent2 = new_agent_id()
    with ccgw.Session(sim.url, agent2, ca_file=sim.ca_file) as s2:
        s2.sign_in(PASSWORD, phone_of(agent2))
        s2.start_events(poll_interval_ms=50)
        _conference(signed_in)
        signed_in.batch_add_participant([ccgw.Invitee.phone("70010"), ccgw.Invitee.agent(agent2)])
        joined: set[str] = set()
        while len(joined) < 2:
            ev = signed_in.wait_event("AgentConf_ParticipantChanged", 10)
            if ev.change_type == 0:
                assert ev.result == 0
                joined.add(ev.participant)
        assert joined == {"70010", agent2}
        signed_in.request("POST", "agentconf/{agentid}/releaseagentconf")
        s2.sign_out()


def test_hold_participant_holds_with_an_announcement(signed_in: ccgw.Session) -> None:
    conf_id = _conference(signed_in)
    signed_in.batch_add_participant([ccgw.Invitee.phone("70011")])
    signed_in.wait_event("AgentConf_ParticipantChanged", 10)
    signed_in.hold_participant("70011", VOICE)
    while True:
        ev = signed_in.wait_event("AgentConf_ParticipantChanged", 10)
        if ev.change_type == 5:
            break
    assert ev.participant == "70011"
    (conf,) = signed_in.query_conf_infos([conf_id])
    (held,) = [p for p in conf.participants if p.address == "70011"]
    assert held.channel_state == 1
    signed_in.request("POST", "agentconf/{agentid}/releaseagentconf")


def test_query_conf_infos_returns_dataclasses(signed_in: ccgw.Session) -> None:
    conf_id = _conference(signed_in)
    confs = signed_in.query_conf_infos([conf_id, 424242])
    assert len(confs) == 1
    conf = confs[0]
    assert isinstance(conf, ccgw.Conference)
    assert conf.conf_id == conf_id
    assert conf.apply_conf_time == 30
    chairs = [p for p in conf.participants if p.is_chair]
    assert len(chairs) == 1 and isinstance(chairs[0], ccgw.Participant)
    assert chairs[0].address == signed_in.agent_id and chairs[0].is_agent
    signed_in.request("POST", "agentconf/{agentid}/releaseagentconf")


def test_gateway_refusal_maps_to_gateway_error_with_retcode(signed_in: ccgw.Session) -> None:
    # Holding a participant without a conference: the gateway answers 101-001.
    try:
        signed_in.hold_participant("70010", VOICE)
    except ccgw.GatewayError as e:
        assert e.status == ccgw.constants.CCGW_E_GW_NO_CONFERENCE
        assert e.status_name == "CCGW_E_GW_NO_CONFERENCE"
        assert e.retcode == "101-001"
        assert e.http_status == 200
        assert "holdParticipant" in e.message
    else:
        raise AssertionError("hold_participant without a conference succeeded")
    # A plain numeric retcode: thirdPartyConfTransmitNum outside an IVR call.
    try:
        signed_in.third_party_conf_transmit_num()
    except ccgw.GatewayError as e:
        assert e.status == ccgw.constants.CCGW_E_GW_TRANSMIT_NUM_FAILED
        assert e.retcode == "10001"
    else:
        raise AssertionError("thirdPartyConfTransmitNum without a call succeeded")


def test_argument_error_raises_before_anything_is_sent(sim: Sim, signed_in: ccgw.Session) -> None:
    mark = sim.journal_mark()
    too_long = "7" * 25
    try:
        signed_in.batch_add_participant([ccgw.Invitee.phone(too_long)])
    except ccgw.ArgumentError as e:
        assert e.status == ccgw.constants.CCGW_E_TOO_LONG
        assert e.retcode == "" and e.http_status == 0
        assert isinstance(e, ValueError)
    else:
        raise AssertionError("a 25-character address was accepted")
    try:
        signed_in.batch_add_participant([])
    except ccgw.ArgumentError as e:
        assert e.status == ccgw.constants.CCGW_E_MISSING_ARGUMENT
    else:
        raise AssertionError("an empty invitation was accepted")
    try:
        signed_in.query_conf_infos(range(21))
    except ccgw.ArgumentError as e:
        assert e.status == ccgw.constants.CCGW_E_TOO_MANY
    else:
        raise AssertionError("21 conference ids were accepted")
    sent = [e for e in sim.journal(mark, agent=signed_in.agent_id) if e["route"] != "agentevent"]
    assert sent == []
