"""Ctrl-C reaches the main thread of a Python program blocked in each kind of binding call
within a second (the binding waits in 0.1 s slices), and leaves the session in order. Each
case runs interrupt_child.py in a subprocess and sends it SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import PASSWORD, Sim, new_agent_id

HERE = Path(__file__).resolve().parent
#: The interrupt must arrive within this many seconds of SIGINT (the brief: ~0.5-1 s).
LIMIT = 1.0


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(proc.stdout.readline()))  # type: ignore[union-attr]
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    return got[0].strip() if got else ""


@pytest.mark.parametrize(
    "kind",
    ["sign_in", "query", "request", "next_event", "events", "wait_event", "unregister", "close"],
)
def test_sigint_interrupts_a_blocked_call_within_a_second(sim: Sim, kind: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "interrupt_child.py"), kind, sim.url, sim.ca_file, new_agent_id(), PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert _readline(proc, 30) == "ready", proc.stderr.read() if proc.poll() is not None else "no ready"  # type: ignore[union-attr]
        time.sleep(0.4)  # well inside the blocking call
        assert proc.poll() is None, "the call returned on its own"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        line = _readline(proc, 10)
        assert line.startswith("interrupted "), f"{line!r}; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"  # type: ignore[union-attr]
        delay = float(line.split()[1]) - sent
        assert delay < LIMIT, f"KeyboardInterrupt arrived {delay:.2f} s after SIGINT"
        assert _readline(proc, 20) == "clean", proc.stderr.read() if proc.poll() is not None else "not clean"  # type: ignore[union-attr]
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


LOG_INTERRUPT = """
import logging, sys, ccgw
url, ca, agent, pw = sys.argv[1:5]
logger = logging.getLogger("ccgw")
logger.setLevel(logging.INFO)

class Interrupting(logging.Filter):
    def filter(self, record):
        if "pump started" in record.getMessage():
            raise KeyboardInterrupt  # as a signal handler would, inside the log callback
        return True

s = ccgw.Session(url, agent, ca_file=ca)
s.sign_in(pw, "4" + agent)
logger.addFilter(Interrupting())
try:
    s.start_events()  # logs "event pump started" on this (the main) thread
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted", s.events_running)
logger.filters.clear()
s.sign_out()
s.close()
"""


def test_keyboard_interrupt_inside_the_log_callback_is_not_lost(sim: Sim) -> None:
    out = subprocess.run(
        [sys.executable, "-c", LOG_INTERRUPT, sim.url, sim.ca_file, new_agent_id(), PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "interrupted True", out.stdout + out.stderr
    assert "Exception ignored" not in out.stderr, out.stderr
