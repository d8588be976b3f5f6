"""The agent-conference family beyond the seed operations, the calls a conference is built
from, call data, the live conference view and the invite tracker, from Python against the
simulator: happy paths, typed events, a limit refused before sending, gateway refusals."""

from __future__ import annotations

import time

import ccgw
import pytest
from collections.abc import Callable

from conftest import PASSWORD, Sim, new_agent_id, phone_of

VOICE = "y:/conf/1/hold.V3"


def _until(s: ccgw.Session, pred: Callable[[ccgw.Event], bool], what: str, timeout: float = 10.0) -> ccgw.Event:
    """Takes events until ``pred(event)``; returns that event."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ev = s.next_event(0.5)
        if ev is not None and pred(ev):
            return ev
    raise AssertionError(f"no {what} within {timeout} s")


def test_a_conference_through_typed_calls_with_the_view_and_a_tracker(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.control("PUT", "/sim/config", {"announcement_ms": 0,
                                      "answer_rules": [{"prefix": "7619", "outcome": "never"},
                                                       {"prefix": "7618", "outcome": "busy", "result": 486}]})
    chair = signed_in
    guest_id = new_agent_id()
    with ccgw.Session(sim.url, guest_id, ca_file=sim.ca_file) as guest:
        guest.sign_in(PASSWORD, phone_of(guest_id), autoanswer=False)
        guest.start_events(poll_interval_ms=50)

        chair.request_agent_conf(5, time=30, conf_caller_no="1234")
        granted = chair.wait_event("AgentConf_RequestSuccess", 10)
        view = chair.conf_view()
        assert [(c.conf_id, c.is_chair, c.apply_conf_time, c.member_num) for c in view] == [(granted.conf_id, True, 30, 5)]
        assert view[0].participants[0].is_self and view[0].participants[0].role == 1

        # Invite with a tracker: a phone joins, one is busy, one never answers, the agent answers.
        with chair.batch_add_participant_tracked(
            [ccgw.Invitee.phone("76100"), ccgw.Invitee.phone("76180"), ccgw.Invitee.phone("76190"),
             ccgw.Invitee.agent(guest_id)],
            deadline=2.0,
        ) as tracker:
            assert guest.wait_event("AgentConf_Ringing", 10).conf_id == granted.conf_id
            guest.answer_agent_conf()
            assert tracker.wait(10)
            r = tracker.results()
            assert (r.tracker_id, r.conf_id, r.pending, r.deadline_passed) == (tracker.id, granted.conf_id, 0, True)
            got = {i.address: (i.outcome, i.result) for i in r.invitees}
            assert got == {"76100": (ccgw.INVITE_JOINED, 0), "76180": (ccgw.INVITE_FAILED, 486),
                           "76190": (ccgw.INVITE_NO_ANSWER, None), guest_id: (ccgw.INVITE_JOINED, 0)}
            settled = chair.wait_event("ccgw.InvitesSettled", 10)
            assert settled.kind == ccgw.EVENT_INVITES_SETTLED and settled.tracker_id == tracker.id

        # The guest joined as an invitee: its view is unsynced until a resync.
        assert not guest.conf_view()[0].synced
        guest.resync_conf_view()
        gv = guest.conf_view()[0]
        assert gv.synced and {p.address for p in gv.participants} == {chair.agent_id, "76100", guest_id}

        chair.hold_participant("76100", VOICE)
        chair.change_participant_mode(guest_id, ccgw.MODE_LISTEN, address_type=ccgw.ADDRESS_AGENT)
        chair.play_voice_to_conf("y:/conf/1/all.V3")
        chair.prolong_time(10)
        chair.modify_conf_resource(ccgw.RESOURCE_ADD, 2)
        v = chair.conf_view()[0]
        phone = next(p for p in v.participants if p.address == "76100")
        agent = next(p for p in v.participants if p.address == guest_id)
        assert (phone.held, phone.channel_state, phone.hold_voice_path) == (True, 1, VOICE)
        assert (agent.channel_attrib, agent.attrib_inferred) == (ccgw.MODE_LISTEN, False)
        assert (v.conf_state, v.apply_conf_time, v.member_num) == (1, 40, 7)
        # The gateway agrees.
        info = {p.address: p for p in chair.query_conf_infos([granted.conf_id])[0].participants}
        assert info["76100"].channel_state == 1 and info[guest_id].channel_attrib == 1

        chair.unhold_participant("76100")
        chair.play_voice_to_participant("76100", "y:/conf/1/part.V3")
        assert next(p for p in chair.conf_view()[0].participants if p.address == "76100").channel_state == 2
        chair.stop_voice_to_participant("76100")
        chair.stop_voice_to_conf()
        assert chair.wait_event("AgentConf_StopVoice", 10).kind == ccgw.constants.CCGW_EVENT_CONF_STOP_VOICE

        chair.shift_president(guest_id)
        guest.wait_event("AgentConf_PresidentChanged", 10)
        assert guest.conf_view()[0].is_chair
        guest.shift_president(chair.agent_id)
        chair.wait_event("AgentConf_PresidentChanged", 10)
        assert chair.conf_view()[0].is_chair

        missing = chair.batch_remove_participant([ccgw.Address.phone("76100"), ccgw.Address.phone("79999")])
        assert missing == [ccgw.Address.phone("79999")]
        guest.leave_agent_conf()
        _until(chair, lambda e: e.participant == guest_id and e.change_type == 1, "the guest leaving")
        assert [p.address for p in chair.conf_view()[0].participants] == [chair.agent_id]

        with pytest.raises(ccgw.GatewayError) as e:
            chair.query_vdn_conf_ids()
        assert e.value.retcode == "101-004" and e.value.status_name == "CCGW_E_GW_NOT_INSPECTOR"
        chair.release_agent_conf()
        assert chair.conf_view() == []
        guest.sign_out()


def test_calls_call_data_and_their_typed_events(signed_in: ccgw.Session) -> None:
    s = signed_in
    first = s.callout("70005", callappdata="order=42")
    talking = _until(s, lambda e: e.kind == ccgw.EVENT_CALL_TALKING, "AgentEvent_Talking")
    assert (talking.callid, talking.called) == (first, "70005")
    assert s.agent_status() == ccgw.AgentStatus(5, True)
    s.second_dial("12*#")
    s.hold_call()
    assert _until(s, lambda e: e.kind == ccgw.EVENT_CALL_HOLD, "AgentEvent_Hold").callid == first
    held = s.hold_list()
    assert [(c.callid, c.called, c.call_data, c.call_feature) for c in held] == [(first, "70005", "order=42", 7)]
    second = s.callout("70006")
    _until(s, lambda e: e.kind == ccgw.EVENT_CALL_TALKING and e.callid == second, "the second call")
    current = s.call_info()
    assert current is not None and current.callid == second
    by_id = s.call_info_by_callid(first)
    assert by_id is not None and by_id.callid == first
    s.disconnect("70006")
    assert _until(s, lambda e: e.kind == ccgw.EVENT_CALL_RELEASE, "AgentEvent_Call_Release").callid == second
    s.get_hold(first)
    s.hold_call()
    s.callout("70007")
    s.connect_hold(first)
    released = _until(s, lambda e: e.kind == ccgw.EVENT_PHONE_RELEASE, "AgentOther_PhoneRelease")
    assert released.phone_state == 2
    third = s.callout("70008")
    s.drop_call(third)
    s.callout("70009")
    s.release_call()
    assert s.call_info() is None


def test_limits_and_refusals(sim: Sim, signed_in: ccgw.Session) -> None:
    mark = sim.journal_mark()
    for call, status in [
        (lambda: signed_in.request_agent_conf(121), ccgw.constants.CCGW_E_OUT_OF_RANGE),
        (lambda: signed_in.callout("12a"), ccgw.constants.CCGW_E_INVALID_ARGUMENT),
        (lambda: signed_in.second_dial("1" * 25), ccgw.constants.CCGW_E_TOO_LONG),
        (lambda: signed_in.batch_remove_participant([ccgw.Address.phone(str(i)) for i in range(31)]),
         ccgw.constants.CCGW_E_TOO_MANY),
        (lambda: signed_in.change_participant_mode("70005", 5), ccgw.constants.CCGW_E_OUT_OF_RANGE),
        (lambda: signed_in.modify_conf_resource(ccgw.RESOURCE_ADD, 119), ccgw.constants.CCGW_E_OUT_OF_RANGE),
        (lambda: signed_in.batch_add_participant_tracked([ccgw.Invitee.phone("1")], 0), ccgw.constants.CCGW_E_OUT_OF_RANGE),
    ]:
        with pytest.raises(ccgw.ArgumentError) as e:
            call()
        assert e.value.status == status
    assert [e for e in sim.journal(mark, agent=signed_in.agent_id) if e["route"] != "agentevent"] == []
    with pytest.raises(ccgw.GatewayError) as g:
        signed_in.hold_call()
    assert (g.value.retcode, g.value.status_name) == ("200-013", "CCGW_E_GW_HOLD_NO_CALL")
    with pytest.raises(ccgw.GatewayError) as g:
        signed_in.drop_call("1-1")
    assert g.value.status_name == "CCGW_E_GW_DROP_CALL_FAILED"
    with pytest.raises(ccgw.GatewayError) as g:
        signed_in.hold_list()
    assert g.value.retcode == "400-003"
    with pytest.raises(ccgw.GatewayError) as g:
        signed_in.release_agent_conf()
    assert g.value.status_name == "CCGW_E_GW_NO_CONFERENCE"
