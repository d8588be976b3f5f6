"""Fixtures: one ccgw-sim process per test session (HTTPS on loopback), its control API, and
sessions for distinct agents so tests do not disturb each other.

The simulator binary is ``$CCGW_SIM_BIN`` or ``target/release/ccgw-sim`` of the repository;
the library ``$CCGW_LIBRARY`` or ``target/release/libccgw.so`` (set before ccgw is imported).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import ssl
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEADER = ROOT / "include" / "ccgw.h"
PASSWORD = "py-sim-pw-4411"

if not os.environ.get("CCGW_LIBRARY") and (ROOT / "target/release/libccgw.so").exists():
    os.environ["CCGW_LIBRARY"] = str(ROOT / "target/release/libccgw.so")

import ccgw  # noqa: E402


class Sim:
    """A running ccgw-sim: its base URL, CA file, and control API (``/sim/...``)."""

    def __init__(self, url: str, ca_file: str) -> None:
        self.url = url
        self.ca_file = ca_file
        self._ctx = ssl.create_default_context(cafile=ca_file)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, context=self._ctx, timeout=10) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def journal(self, since: int = 0, route: str | None = None, agent: str | None = None) -> list[dict[str, Any]]:
        q = f"?since={since}"
        if route:
            q += f"&route={route}"
        if agent:
            q += f"&agent={agent}"
        entries: list[dict[str, Any]] = self.control("GET", "/sim/journal" + q)["entries"]
        return entries

    def journal_mark(self) -> int:
        return int(self.control("GET", "/sim/journal?since=999999999")["lastId"])

    def inject(self, agent: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.control("POST", f"/sim/agents/{agent}/events", body)
        return result

    def add_fault(self, rule: dict[str, Any]) -> int:
        return int(self.control("POST", "/sim/faults", rule)["id"])

    def remove_fault(self, fault_id: int) -> None:
        self.control("DELETE", f"/sim/faults/{fault_id}")


@pytest.fixture(scope="session")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sim]:
    binary = os.environ.get("CCGW_SIM_BIN") or str(ROOT / "target/release/ccgw-sim")
    ca = tmp_path_factory.mktemp("sim") / "ca.pem"
    proc = subprocess.Popen(
        [
            binary, "--port", "0", "--ca-out", str(ca), "--password", PASSWORD,
            "--set", "poll_wait_ms=500", "--set", "conf_grant_delay_ms=5", "--set", "invite_answer_delay_ms=5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(20)
    if not line or not line[0].strip():
        proc.kill()
        _, err = proc.communicate(timeout=5)
        pytest.fail(f"ccgw-sim did not start: {err}")
    try:
        yield Sim(line[0].strip(), str(ca))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


_agent_ids = itertools.count(3000)


@pytest.fixture
def agent_id() -> str:
    """A fresh agent id per test."""
    return str(next(_agent_ids))


def new_agent_id() -> str:
    return str(next(_agent_ids))


def phone_of(agent: str) -> str:
    return "4" + agent


@pytest.fixture
def session(sim: Sim, agent_id: str) -> Iterator[ccgw.Session]:
    """An unsigned session for a fresh agent; closed after the test."""
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, request_timeout=10) as s:
        yield s


@pytest.fixture
def signed_in(sim: Sim, agent_id: str) -> Iterator[ccgw.Session]:
    """A signed-in session for a fresh agent with its event pump running; signed out
    (best effort) and closed after the test."""
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, request_timeout=10) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.start_events(poll_interval_ms=50)
        yield s
        try:
            s.sign_out()
        except ccgw.CcgwError:
            pass


def wait_until(predicate: Any, timeout: float = 10.0) -> bool:
    """Polls ``predicate`` until true or ``timeout`` passes (a bounded wait, not an assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
