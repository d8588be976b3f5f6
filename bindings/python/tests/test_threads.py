"""The GIL is released during blocking calls: two threads block in the library at once."""

from __future__ import annotations

import threading
import time

import ccgw
from conftest import PASSWORD, Sim, new_agent_id, phone_of

DELAY_MS = 800


def test_two_threads_make_blocking_calls_concurrently(sim: Sim) -> None:
    agents = [new_agent_id(), new_agent_id()]
    sessions = [ccgw.Session(sim.url, a, ca_file=sim.ca_file) for a in agents]
    try:
        for s, a in zip(sessions, agents):
            s.sign_in(PASSWORD, phone_of(a))
            # Each agent's next query is answered DELAY_MS late.
            sim.add_fault({"route": "agentconf/queryconfinfos", "agent": a, "kind": "delay", "delay_ms": DELAY_MS})
        spans: dict[int, tuple[float, float]] = {}
        barrier = threading.Barrier(2)

        def run(i: int) -> None:
            barrier.wait()
            start = time.monotonic()
            sessions[i].query_conf_infos([1])
            spans[i] = (start, time.monotonic())

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        total = time.monotonic() - began
        assert len(spans) == 2
        (s0, e0), (s1, e1) = spans[0], spans[1]
        assert e0 - s0 >= DELAY_MS / 1000 * 0.9 and e1 - s1 >= DELAY_MS / 1000 * 0.9
        assert s0 < e1 and s1 < e0, "the two calls did not overlap"
        assert total < 2 * DELAY_MS / 1000, f"calls ran one after the other ({total:.2f} s)"
    finally:
        for s in sessions:
            try:
                s.sign_out()
            except ccgw.CcgwError:
                pass
            s.close()


def test_python_runs_while_a_call_blocks(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "delay", "delay_ms": DELAY_MS})
    t = threading.Thread(target=signed_in.query_conf_infos, args=([1],))
    t.start()
    spins = 0
    while t.is_alive():
        spins += 1  # pure Python work: needs the GIL the blocked thread released
    t.join()
    assert spins > 10_000
