"""A forked child of a Python program using ccgw: every call refuses with ForkedError
(CCGW_E_FORKED), closing does nothing, and nothing reaches the child's stderr, also when
it simply exits (the binding closes no session from atexit there)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSWORD, Sim, new_agent_id

import ccgw

HERE = Path(__file__).resolve().parent
FORKED = ccgw.constants.CCGW_E_FORKED


def _run(sim: Sim, mode: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / "fork_child.py"), mode, sim.url, sim.ca_file, new_agent_id(), PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return report


def test_a_forked_child_gets_forked_error_from_every_call_and_prints_nothing(sim: Sim) -> None:
    r = _run(sim, "calls")
    assert r["code"] == 0 and r["stderr_size"] == 0, r["stderr"]
    res = r["results"]
    for name in ("set_event_callback(None)", "set_event_callback(fn)", "next_event", "query_conf_infos",
                 "stop_events", "CancelToken", "route_logs"):
        assert res[name] == ["ForkedError", FORKED], (name, res[name])
    assert res["events_status"] == ["returned", str(FORKED)]
    assert res["guid"] == ["ForkedError", FORKED]
    assert res["registered_callbacks"] == 1  # the parent's; the refused one was released


@pytest.mark.parametrize("mode", ["exit"])
def test_a_forked_child_that_just_exits_prints_nothing(sim: Sim, mode: str) -> None:
    r = _run(sim, mode)
    assert r["code"] == 0 and r["stderr_size"] == 0, r["stderr"]
