"""Context-manager cleanup, close from any thread, cancellation, input checks."""

from __future__ import annotations

import threading
import time

import ccgw
import pytest
from conftest import PASSWORD, Sim, phone_of, wait_until


def test_context_manager_closes_and_frees_the_session(sim: Sim, agent_id: str) -> None:
    baseline = ccgw.registered_callbacks()
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.start_events()
        s.set_event_callback(lambda ev: None)
        assert ccgw.registered_callbacks() == baseline + 1
        s.sign_out()
    assert s.closed
    assert s._h is None  # ccgw_session_free was called
    # Freeing the session released the callback (the library called its userdata_free).
    assert ccgw.registered_callbacks() == baseline
    with pytest.raises(ccgw.ClosedError):
        s.query_conf_infos([1])
    s.close()  # idempotent


def test_context_manager_cleans_up_when_the_block_raises(sim: Sim, agent_id: str) -> None:
    with pytest.raises(RuntimeError):
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
            raise RuntimeError("boom")
    assert s.closed and s._h is None


def test_close_from_another_thread_interrupts_a_blocking_call(sim: Sim, agent_id: str) -> None:
    s = ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, request_timeout=30)
    s.sign_in(PASSWORD, phone_of(agent_id))
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": agent_id, "kind": "hang"})
    errors: list[BaseException] = []

    def blocked() -> None:
        try:
            s.query_conf_infos([1])
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=blocked)
    t.start()
    assert wait_until(lambda: s._inflight == 1, 10)
    s.close()
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ccgw.ClosedError)


def test_cancel_token_cancels_a_blocking_call(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "hang"})
    errors: list[BaseException] = []
    with ccgw.CancelToken() as token:

        def blocked() -> None:
            try:
                signed_in.query_conf_infos([1], cancel=token)
            except BaseException as e:
                errors.append(e)

        t = threading.Thread(target=blocked)
        t.start()
        assert wait_until(lambda: signed_in._inflight == 1, 10)
        token.cancel()
        t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ccgw.CancelledError)


def test_per_call_timeout_raises_response_timeout(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "hang"})
    with pytest.raises(ccgw.ResponseTimeoutError) as info:
        signed_in.query_conf_infos([1], timeout=0.3)
    assert info.value.status == ccgw.constants.CCGW_E_RESPONSE_TIMEOUT
    assert isinstance(info.value, ccgw.TransportError) and isinstance(info.value, TimeoutError)


def test_transport_error_for_an_http_status(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "http_status", "status": 503})
    with pytest.raises(ccgw.TransportError) as info:
        signed_in.query_conf_infos([1])
    assert info.value.http_status == 503


def test_strings_python_cannot_pass_to_c_are_refused(session: ccgw.Session) -> None:
    with pytest.raises(ccgw.ArgumentError) as info:
        session.set_guid("abc\0def")
    assert info.value.status == ccgw.constants.CCGW_E_INVALID_ARGUMENT
    with pytest.raises(ccgw.ArgumentError) as info:
        session.set_guid("\udc80")
    assert info.value.status == ccgw.constants.CCGW_E_INVALID_UTF8


def test_session_options_are_validated(sim: Sim) -> None:
    with pytest.raises(ccgw.ArgumentError) as info:
        ccgw.Session(sim.url, "12")
    assert info.value.status == ccgw.constants.CCGW_E_OUT_OF_RANGE
    with pytest.raises(ccgw.ArgumentError):
        ccgw.Session("not a url", "153", ca_file=sim.ca_file)


def test_ca_pem_in_memory(sim: Sim, agent_id: str) -> None:
    with open(sim.ca_file, "rb") as f:
        pem = f.read()
    with ccgw.Session(sim.url, agent_id, ca_pem=pem) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.sign_out()


def test_untrusted_certificate_is_a_transport_error(sim: Sim, agent_id: str) -> None:
    with ccgw.Session(sim.url, agent_id) as s:  # system trust store: the sim's CA is unknown
        with pytest.raises(ccgw.TransportError) as info:
            s.sign_in(PASSWORD, phone_of(agent_id))
    assert info.value.status == ccgw.constants.CCGW_E_TLS


DROP_IN_CALLBACK = """
import gc, sys, threading, ccgw
url, ca, pw, a, b = sys.argv[1:6]
holder = {}
dropped, closed = threading.Event(), threading.Event()

def drop(ev):
    if ev.type_name == "AgentState_Ready":
        holder.pop("a", None)  # the last reference to session a, inside its own callback
        dropped.set()

def close(ev):
    if ev.type_name == "AgentState_Ready":
        holder["b"].close()  # closing session b inside its own callback
        closed.set()

for key, agent, cb in (("a", a, drop), ("b", b, close)):
    s = ccgw.Session(url, agent, ca_file=ca)
    s.sign_in(pw, "4" + agent)
    s.set_event_callback(cb)
    s.start_events(poll_interval_ms=50)
    holder[key] = s
del s
assert dropped.wait(10) and closed.wait(10)
gc.collect()
ccgw.global_shutdown(5)  # busy if a handle was never freed
print("ok", ccgw.registered_callbacks(), holder["b"].closed, holder["b"]._h is None)
"""


def test_a_session_dropped_or_closed_in_its_own_callback_is_freed_after_it(sim: Sim) -> None:
    import subprocess
    import sys

    from conftest import new_agent_id

    out = subprocess.run(
        [sys.executable, "-c", DROP_IN_CALLBACK, sim.url, sim.ca_file, PASSWORD, new_agent_id(), new_agent_id()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip() == "ok 0 True True", out.stdout + out.stderr
    assert out.stderr == "", out.stderr


def test_closing_in_the_callback_frees_once_it_returns(sim: Sim, agent_id: str) -> None:
    baseline = ccgw.registered_callbacks()
    s = ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file)
    s.sign_in(PASSWORD, phone_of(agent_id))
    returned = threading.Event()
    after_close: list[object] = []

    def cb(ev: ccgw.Event) -> None:
        if ev.type_name == "AgentState_Ready":
            s.close()
            time.sleep(0.2)
            # Not freed while the callback runs: the library still holds the callback.
            after_close.append(ccgw.registered_callbacks() == baseline + 1)
            returned.set()

    s.set_event_callback(cb)
    s.start_events(poll_interval_ms=50)
    assert returned.wait(10)
    assert after_close == [True]
    assert wait_until(lambda: s._h is None and ccgw.registered_callbacks() == baseline, 10)
    assert s.closed
