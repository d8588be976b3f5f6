"""High availability through the binding: staying signed in (``auto_resign_in``) with
each step as an event, the gap reported once with its span, the pump's stop reason, and
the resynchronisation snapshot (also delivered by the pump after a gap)."""

from __future__ import annotations

import ccgw
from ccgw import constants as C
from conftest import PASSWORD, Sim, phone_of, wait_until


def _until(s: ccgw.Session, kind: int, timeout: float = 10.0) -> list[ccgw.Event]:
    """Events up to and including the first of ``kind``."""
    got: list[ccgw.Event] = []
    for ev in s.events(timeout=timeout):
        got.append(ev)
        if ev.kind == kind:
            return got
    raise AssertionError(f"no event of kind {kind}: {[e.type_name for e in got]}")


def _held_poll(sim: Sim, agent: str) -> bool:
    return bool(sim.control("GET", f"/sim/agents/{agent}")["pollsInFlight"] == 1)


def test_a_gateway_sign_out_is_followed_by_a_new_sign_in(sim: Sim, session: ccgw.Session) -> None:
    agent = session.agent_id
    session.sign_in(PASSWORD, phone_of(agent), auto_resign_in=True, allow_forced_resign_in=True)
    session.start_events(poll_interval_ms=50)
    _until(session, ccgw.EVENT_AGENT_STATE_READY)
    assert wait_until(lambda: _held_poll(sim, agent))
    sim.control("POST", f"/sim/agents/{agent}/signout")
    evs = _until(session, ccgw.EVENT_SIGNED_IN_AGAIN)
    lost = [e for e in evs if e.kind == ccgw.EVENT_SESSION_LOST]
    assert len(lost) == 1 and lost[0].status == C.CCGW_E_SESSION_SHUT_DOWN
    assert any(e.kind == ccgw.EVENT_SIGNING_IN_AGAIN and e.attempt == 1 for e in evs)
    gap = _until(session, ccgw.EVENT_EVENTS_LOST)[-1]
    assert gap.lost_reason == ccgw.LOST_SIGN_IN_AGAIN
    assert gap.gap_start is not None and gap.gap_end is not None and gap.gap_end >= gap.gap_start
    assert session.events_running and session.events_status() == C.CCGW_OK
    session.sign_out()


def test_without_auto_resign_in_the_pump_stops_with_the_reason(sim: Sim, session: ccgw.Session) -> None:
    agent = session.agent_id
    session.sign_in(PASSWORD, phone_of(agent))
    session.start_events(poll_interval_ms=50)
    _until(session, ccgw.EVENT_AGENT_STATE_READY)
    assert wait_until(lambda: _held_poll(sim, agent))
    sim.control("POST", f"/sim/agents/{agent}/signout")
    stopped = _until(session, ccgw.EVENT_PUMP_STOPPED)[-1]
    assert (stopped.status, stopped.cause_status) == (C.CCGW_E_SESSION_SHUT_DOWN, C.CCGW_E_SESSION_SHUT_DOWN)
    assert wait_until(lambda: not session.events_running)
    assert session.events_status() == C.CCGW_E_SESSION_SHUT_DOWN


def test_the_snapshot_and_the_pump_delivers_one_after_a_gap(sim: Sim, session: ccgw.Session) -> None:
    agent = session.agent_id
    session.sign_in(PASSWORD, phone_of(agent))
    callid = session.callout("70005")
    session.hold_call()
    snap = session.snapshot()
    assert isinstance(snap, ccgw.Snapshot)
    assert snap.agent_status_status == C.CCGW_OK and snap.calls_status == C.CCGW_OK
    assert [c.callid for c in snap.held_calls] == [callid] and snap.active_calls == ()
    assert snap.conf_ids_status == C.CCGW_E_GW_NOT_INSPECTOR and snap.conferences == ()
    session.start_events(poll_interval_ms=50, resync_after_gap=True)
    _until(session, ccgw.EVENT_AGENT_STATE_READY)
    sim.add_fault({"route": "agentevent", "kind": "reset_after", "agent": agent})
    sim.inject(agent, {"eventType": "Lost_On_The_Way"})
    evs = _until(session, ccgw.EVENT_SNAPSHOT)
    gaps = [e for e in evs if e.kind == ccgw.EVENT_EVENTS_LOST]
    assert len(gaps) == 1 and gaps[0].lost_reason == ccgw.LOST_POLL_FAILED
    assert evs[-1].snapshot is not None and [c.callid for c in evs[-1].snapshot.held_calls] == [callid]
    session.sign_out()
