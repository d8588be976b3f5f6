"""ccgw.testing as users take it: the pytest plugin's ccgw_sim fixture in a suite of their
own, and a clear error when the simulator binary cannot be found."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ccgw.testing import SIM_BIN_ENV, Simulator, SimulatorError, find_simulator

from conftest import Sim

USER_SUITE = '''
import ccgw
from ccgw.testing import DEFAULT_PASSWORD

pytest_plugins = ["ccgw.testing"]


def test_sign_in_against_the_plugin_simulator(ccgw_sim):
    with ccgw.Session(ccgw_sim.url, "4711", ca_file=ccgw_sim.ca_file) as s:
        s.sign_in(DEFAULT_PASSWORD, "44711")
        mark = ccgw_sim.journal_mark()
        s.sign_out()
    assert "onlineagent/logout" in [e["route"] for e in ccgw_sim.journal(mark, agent="4711")]
'''


def test_a_user_suite_gets_the_simulator_from_the_plugin(sim: Sim, tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_SUITE)
    env = dict(os.environ, **{SIM_BIN_ENV: sim.process.args[0]})
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_user.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_missing_binary_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SIM_BIN_ENV, str(tmp_path / "nowhere" / "ccgw-sim"))
    with pytest.raises(SimulatorError, match="CCGW_SIM_BIN"):
        find_simulator()
    monkeypatch.delenv(SIM_BIN_ENV)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SimulatorError, match="PATH"):
        Simulator.start()


def test_a_simulator_that_exits_at_once_is_reported_with_its_log(sim: Sim, tmp_path: Path) -> None:
    with pytest.raises(SimulatorError, match="did not start"):
        Simulator.start(binary=sim.process.args[0], extra_args=["--no-such-option"], workdir=tmp_path,
                        startup_timeout=10)
