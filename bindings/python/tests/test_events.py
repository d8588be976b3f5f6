"""Events: through the iterator, next_event, and the callback, in order; pump control."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest

import ccgw
from conftest import Sim, wait_until


def _inject_numbered(sim: Sim, agent: str, count: int) -> None:
    sim.inject(agent, {"events": [{"eventType": "Py_Test", "content": {"n": i}} for i in range(count)]})


def test_events_arrive_in_order_through_the_iterator(sim: Sim, signed_in: ccgw.Session) -> None:
    _inject_numbered(sim, signed_in.agent_id, 50)
    got = []
    for ev in signed_in.events(timeout=5):
        if ev.type_name == "Py_Test":
            got.append(ev)
            if len(got) == 50:
                break
    numbers = [ev.content["n"] for ev in got if ev.type_name == "Py_Test"]
    assert numbers == list(range(50))
    sequences = [ev.sequence for ev in got]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    first = got[0]
    assert isinstance(first, ccgw.Event)
    assert first.kind == ccgw.EVENT_OTHER and first.work_no == signed_in.agent_id
    assert '"Py_Test"' in first.event_json


def test_iterator_ends_after_its_timeout_without_events(signed_in: ccgw.Session) -> None:
    for _ in signed_in.events(timeout=0.5):  # drain the sign-in events
        pass
    assert list(signed_in.events(timeout=0.2)) == []
    assert signed_in.next_event(0) is None


def test_typed_event_fields(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.inject(
        signed_in.agent_id,
        {"eventType": "AgentConf_RequestFailed", "content": {"cause": 21234}},
    )
    ev = signed_in.wait_event("AgentConf_RequestFailed", 10)
    assert ev.kind == ccgw.EVENT_CONF_REQUEST_FAILED
    assert ev.cause == 21234
    assert ev.conf_id is None and ev.callid == ""


def test_events_arrive_in_order_through_the_callback(sim: Sim, signed_in: ccgw.Session) -> None:
    received: list[ccgw.Event] = []
    threads: set[int] = set()
    done = threading.Event()

    def on_event(ev: ccgw.Event) -> None:
        threads.add(threading.get_ident())
        if ev.type_name == "Py_Test":
            received.append(ev)
            if len(received) == 50:
                done.set()

    signed_in.set_event_callback(on_event)
    assert ccgw.registered_callbacks() >= 1
    _inject_numbered(sim, signed_in.agent_id, 50)
    assert done.wait(10), f"only {len(received)} of 50 events arrived"
    assert [ev.content["n"] for ev in received] == list(range(50))
    assert threading.get_ident() not in threads  # the library's dispatch thread, not ours
    before = ccgw.registered_callbacks()
    signed_in.set_event_callback(None)
    assert ccgw.registered_callbacks() == before - 1  # userdata_free released it


def test_callback_may_make_blocking_calls_on_its_session(sim: Sim, signed_in: ccgw.Session) -> None:
    results: list[object] = []
    done = threading.Event()

    def on_event(ev: ccgw.Event) -> None:
        if ev.type_name == "Py_Call":
            try:
                results.append(signed_in.query_conf_infos([1]))
            except ccgw.CcgwError as e:
                results.append(e)
            done.set()

    signed_in.set_event_callback(on_event)
    sim.inject(signed_in.agent_id, {"eventType": "Py_Call", "content": {}})
    assert done.wait(10)
    assert results == [[]]
    signed_in.set_event_callback(None)


def test_stop_and_restart_events(signed_in: ccgw.Session) -> None:
    assert signed_in.events_running
    try:
        signed_in.start_events()
    except ccgw.BusyError as e:
        assert e.status == ccgw.constants.CCGW_E_BUSY
    else:
        raise AssertionError("a second start_events succeeded")
    signed_in.stop_events()
    assert not signed_in.events_running
    assert signed_in.events_status() == ccgw.constants.CCGW_OK
    signed_in.start_events()
    assert signed_in.events_running


def test_close_wakes_a_blocked_next_event_with_closed_error(sim: Sim, agent_id: str) -> None:
    s = ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file)
    errors: list[BaseException] = []

    def wait_forever() -> None:
        try:
            s.next_event(None)
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=wait_forever)
    t.start()
    assert wait_until(lambda: s._inflight == 1, 10)  # the thread is inside ccgw_events_next
    s.close()  # wakes the waiting thread, waits for it, frees the handle
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ccgw.ClosedError)


def test_callback_exception_reaches_unraisablehook_and_delivery_goes_on(
    sim: Sim, signed_in: ccgw.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    reported: list[object] = []
    done = threading.Event()
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    def on_event(ev: ccgw.Event) -> None:
        if ev.type_name != "Py_Test":
            return
        seen.append(ev.content["n"])
        if len(seen) == 2:
            done.set()
        if ev.content["n"] == 0:
            raise RuntimeError("callback failure 0")

    signed_in.set_event_callback(on_event)
    _inject_numbered(sim, signed_in.agent_id, 2)
    assert done.wait(10)
    signed_in.set_event_callback(None)
    assert seen == [0, 1]
    assert len(reported) == 1
    args: Any = reported[0]
    assert isinstance(args.exc_value, RuntimeError) and str(args.exc_value) == "callback failure 0"
    assert args.exc_traceback is not None
    assert repr(args.object).startswith("<ccgw event callback <function") and "on_event" in repr(args.object)


def test_byte_bound_and_size_limit_report_their_reasons(sim: Sim, signed_in: ccgw.Session) -> None:
    signed_in.wait_event("AgentState_Ready", 10)  # the last of the sign-in events
    signed_in.stop_events()
    signed_in.start_events(
        poll_interval_ms=20, queue_max_bytes=600_000, max_event_bytes=150_000, max_stall_ms=100
    )
    pad = "z" * 100_000
    sim.inject(
        signed_in.agent_id,
        {"events": [{"eventType": "Py_Big", "content": {"n": i, "pad": pad}} for i in range(12)]
         + [{"eventType": "Py_Huge", "content": {"pad": pad * 2}}, {"eventType": "Py_End", "content": {}}]},
    )
    # Nobody takes until the gateway has handed everything over.
    assert wait_until(lambda: sim.control("GET", f"/sim/agents/{signed_in.agent_id}")["queued"] == 0, 30)
    big: list[int] = []
    lost: dict[int, int] = {}
    for ev in signed_in.events(timeout=1):
        if ev.kind == ccgw.EVENT_EVENTS_LOST:
            lost[ev.lost_reason] = lost.get(ev.lost_reason, 0) + ev.lost_count
        elif ev.type_name == "Py_Big":
            big.append(ev.content["n"])
        elif ev.type_name == "Py_End":
            break
    assert lost.get(ccgw.LOST_TOO_LARGE) == 1
    assert lost.get(ccgw.LOST_QUEUE_BYTES, 0) > 0
    assert len(big) + lost[ccgw.LOST_QUEUE_BYTES] == 12
    assert big == sorted(big) and big[-1] == 11  # the newest survive, in order


def test_the_iterator_does_not_end_on_a_quiet_second_by_default(sim: Sim, signed_in: ccgw.Session) -> None:
    signed_in.wait_event("AgentState_Ready", 10)
    timer = threading.Timer(1.6, lambda: sim.inject(signed_in.agent_id, {"eventType": "Py_Late", "content": {}}))
    timer.start()
    try:
        it = signed_in.events()
        ev = next(it)  # waits through the quiet time (the old default ended after 1 s)
        assert ev.type_name == "Py_Late"
    finally:
        timer.cancel()


def test_the_iterator_ends_when_the_session_is_closed(sim: Sim, agent_id: str) -> None:
    s = ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file)
    got: list[ccgw.Event] = []
    t = threading.Thread(target=lambda: got.extend(s.events()))
    t.start()
    assert wait_until(lambda: s._inflight == 1, 10)
    s.close()
    t.join(10)
    assert not t.is_alive() and got == []


def test_dispatch_options_round_trip_and_refusals() -> None:
    try:
        ccgw.set_dispatch_options()
        d = ccgw.dispatch_options()
        assert d == ccgw.DispatchOptions(
            threads=ccgw.constants.CCGW_DEFAULT_DISPATCH_THREADS,
            max_threads=ccgw.constants.CCGW_DEFAULT_DISPATCH_MAX_THREADS,
            stall=ccgw.constants.CCGW_DEFAULT_DISPATCH_STALL_MS / 1000,
            idle=ccgw.constants.CCGW_DEFAULT_DISPATCH_IDLE_MS / 1000,
        )
        ccgw.set_dispatch_options(threads=2, max_threads=6, stall=0.25, idle=3)
        assert ccgw.dispatch_options() == ccgw.DispatchOptions(2, 6, 0.25, 3.0)
        for bad in ({"threads": 8, "max_threads": 4}, {"threads": 5000}, {"stall": 61}, {"idle": -1}):
            with pytest.raises(ccgw.ArgumentError) as e:
                ccgw.set_dispatch_options(**bad)
            assert e.value.status == ccgw.constants.CCGW_E_OUT_OF_RANGE, bad
            assert ccgw.dispatch_options().threads == 2, "a refusal changes nothing"
    finally:
        ccgw.set_dispatch_options()


def test_callbacks_of_several_sessions_share_a_one_thread_pool(sim: Sim) -> None:
    from conftest import PASSWORD, new_agent_id, phone_of

    # Threads earlier tests started above the one end after 50 ms without work.
    ccgw.set_dispatch_options(threads=1, max_threads=1, idle=0.05)
    time.sleep(0.3)
    sessions: list[ccgw.Session] = []
    try:
        for _ in range(3):
            agent = new_agent_id()
            s = ccgw.Session(sim.url, agent, ca_file=sim.ca_file, request_timeout=10)
            sessions.append(s)
            s.sign_in(PASSWORD, phone_of(agent))
            s.start_events(poll_interval_ms=50)
        threads: set[int] = set()
        got: dict[str, list[int]] = {s.agent_id: [] for s in sessions}
        lock = threading.Lock()

        def make(agent: str) -> Any:
            def on_event(ev: ccgw.Event) -> None:
                if ev.type_name == "Py_Test":
                    with lock:
                        threads.add(threading.get_ident())
                        got[agent].append(ev.content["n"])

            return on_event

        for s in sessions:
            s.set_event_callback(make(s.agent_id))
        for s in sessions:
            _inject_numbered(sim, s.agent_id, 20)
        assert wait_until(lambda: all(len(v) == 20 for v in got.values()), 15), got
        assert all(v == list(range(20)) for v in got.values()), got
        assert len(threads) == 1, "three sessions' callbacks on the one pool thread"
        for s in sessions:
            s.set_event_callback(None)
    finally:
        for s in sessions:
            s.close()
        ccgw.set_dispatch_options()
