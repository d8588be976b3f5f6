"""Fixtures: one ccgw-sim process per test session (HTTPS on loopback, started and driven
through ``ccgw.testing``), and sessions for distinct agents so tests do not disturb each
other.

The suite tests the ``ccgw`` package that is installed (the platform wheel, with the
library inside; ``CCGW_LIBRARY`` overrides it). The simulator binary is ``$CCGW_SIM_BIN``,
``ccgw-sim`` on ``PATH``, or ``target/release/ccgw-sim`` of the repository.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import ccgw
import pytest
from ccgw.testing import SIM_BIN_ENV, Simulator, SimulatorError, find_simulator
from ccgw.testing import wait_until as wait_until

ROOT = Path(__file__).resolve().parents[3]
HEADER = ROOT / "include" / "ccgw.h"
PASSWORD = "py-sim-pw-4411"

#: The simulator type the tests annotate with.
Sim = Simulator


def _simulator_binary() -> str:
    try:
        return find_simulator()
    except SimulatorError:
        if os.environ.get(SIM_BIN_ENV):
            raise
        return find_simulator(ROOT / "target" / "release" / "ccgw-sim")


@pytest.fixture(scope="session")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sim]:
    settings = {"poll_wait_ms": 500, "conf_grant_delay_ms": 5, "invite_answer_delay_ms": 5}
    with Simulator.start(binary=_simulator_binary(), password=PASSWORD, settings=settings,
                         workdir=tmp_path_factory.mktemp("sim")) as s:
        yield s


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
