"""Test helpers: run ``ccgw-sim``, the CC-Gateway simulator, and drive its control API
from your own tests.

The simulator is a separate program (``bin/ccgw-sim`` of the release archive, or
``cargo build --release -p ccgw-sim``); :func:`find_simulator` says where it is looked
for. It serves the gateway's agent interface over HTTPS on loopback with a CA it
generates at start-up, and a control API under ``/sim/`` (event injection, fault rules,
the request journal); ``sim/README.md`` of the source tree documents every route and
setting.

Plain use::

    from ccgw.testing import Simulator

    with Simulator.start(password="pw") as sim:
        with ccgw.Session(sim.url, "153", ca_file=sim.ca_file) as s:
            s.sign_in("pw", "40153")
            ...
        assert sim.journal(route="login")

With pytest, enable the plugin (``pytest_plugins = ["ccgw.testing"]`` in your
``conftest.py``, or ``pytest -p ccgw.testing``) and take the session-scoped
``ccgw_sim`` fixture (a :class:`Simulator` whose agents sign in with
:data:`DEFAULT_PASSWORD`), or start your own with other settings.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "DEFAULT_PASSWORD",
    "SIM_BIN_ENV",
    "Simulator",
    "SimulatorError",
    "find_simulator",
    "wait_until",
]

#: Environment variable naming the ``ccgw-sim`` binary.
SIM_BIN_ENV = "CCGW_SIM_BIN"

#: The password every agent of the ``ccgw_sim`` fixture's simulator signs in with.
DEFAULT_PASSWORD = "ccgw-testing-pw"

_EXE = "ccgw-sim.exe" if os.name == "nt" else "ccgw-sim"


class SimulatorError(RuntimeError):
    """The simulator could not be found or started, or a control call failed."""


def find_simulator(binary: str | os.PathLike[str] | None = None) -> str:
    """The path of the ``ccgw-sim`` binary: ``binary`` when given, else ``$CCGW_SIM_BIN``,
    else ``ccgw-sim`` on ``PATH``. Raises :class:`SimulatorError` when none exists."""
    for candidate, origin in ((binary, "the argument"), (os.environ.get(SIM_BIN_ENV), "$" + SIM_BIN_ENV)):
        if candidate:
            if not Path(candidate).is_file():
                raise SimulatorError(f"ccgw-sim not found at {candidate} (from {origin})")
            return str(candidate)
    found = shutil.which(_EXE)
    if found:
        return found
    raise SimulatorError(
        f"ccgw-sim not found: set {SIM_BIN_ENV} to its path or put it on PATH "
        "(it is bin/ccgw-sim in the release archive; `cargo build --release -p ccgw-sim` builds it)"
    )


class Simulator:
    """A running ``ccgw-sim`` process: its base URL, its CA file, and its control API.

    Create it with :meth:`start`; stop it with :meth:`stop` or by leaving a ``with`` block.
    Control calls raise :class:`SimulatorError` on an HTTP error status."""

    def __init__(self, process: subprocess.Popen[str], url: str, ca_file: str, password: str, workdir: Path,
                 owns_workdir: bool) -> None:
        self.process = process
        #: The gateway's base URL, e.g. ``https://127.0.0.1:40123``.
        self.url = url
        #: PEM file of the CA the simulator's certificate chains to (pass as ``ca_file=``).
        self.ca_file = ca_file
        #: The password the simulator accepts for every agent.
        self.password = password
        self._workdir = workdir
        self._owns_workdir = owns_workdir
        self._ctx = ssl.create_default_context(cafile=ca_file)

    @classmethod
    def start(
        cls,
        *,
        binary: str | os.PathLike[str] | None = None,
        password: str = DEFAULT_PASSWORD,
        settings: Mapping[str, Any] | None = None,
        extra_args: Sequence[str] = (),
        workdir: str | os.PathLike[str] | None = None,
        startup_timeout: float = 20.0,
    ) -> Simulator:
        """Starts the simulator on a free loopback port and waits until it serves.

        ``settings`` are simulator settings (``--set name=value`` each, e.g.
        ``{"poll_wait_ms": 500}``); ``extra_args`` go to the command line as they are.
        The CA file and the simulator's stderr log are written to ``workdir`` (a temporary
        directory, removed at :meth:`stop`, when not given)."""
        exe = find_simulator(binary)
        owns = workdir is None
        wd = Path(tempfile.mkdtemp(prefix="ccgw-sim-")) if workdir is None else Path(workdir)
        wd.mkdir(parents=True, exist_ok=True)
        ca = wd / "ca.pem"
        args = [exe, "--port", "0", "--ca-out", str(ca), "--password", password]
        for name, value in (settings or {}).items():
            rendered = json.dumps(value) if isinstance(value, bool) else str(value)
            args += ["--set", f"{name}={rendered}"]
        args += list(extra_args)
        log_path = wd / "ccgw-sim.log"
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True)
        line: list[str] = []

        def read_first_line() -> None:
            assert proc.stdout is not None
            line.append(proc.stdout.readline())

        reader = threading.Thread(target=read_first_line, name="ccgw-sim-start", daemon=True)
        reader.start()
        reader.join(startup_timeout)
        url = line[0].strip() if line else ""
        if not url.startswith("https://"):
            _terminate(proc)
            if proc.stdout is not None:
                proc.stdout.close()
            log_text = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            if owns:
                shutil.rmtree(wd, ignore_errors=True)
            raise SimulatorError(f"ccgw-sim did not start within {startup_timeout} s ({' '.join(args)}): {log_text}")
        # The first line is all we read; drain the rest so the simulator never blocks on stdout.
        threading.Thread(target=_drain, args=(proc,), name="ccgw-sim-stdout", daemon=True).start()
        return cls(proc, url, str(ca), password, wd, owns)

    # -- lifetime ------------------------------------------------------------------------

    def stop(self, timeout: float = 10.0) -> None:
        """Stops the simulator (SIGTERM, or TerminateProcess on Windows; killed when it
        has not exited within ``timeout``). Idempotent."""
        _terminate(self.process, timeout)
        if self._owns_workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def log(self) -> str:
        """What the simulator wrote to stderr so far."""
        return (self._workdir / "ccgw-sim.log").read_text(encoding="utf-8", errors="replace")

    # -- the control API (/sim/...) ---------------------------------------------------------

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """One control-API call: ``method`` and ``path`` (starting with ``/sim/``), an
        optional JSON body; returns the decoded JSON answer (``None`` when empty)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, context=self._ctx, timeout=10) as resp:
                text = resp.read().decode()
        except urllib.error.HTTPError as e:
            raise SimulatorError(f"{method} {path}: HTTP {e.code}: {e.read().decode(errors='replace')}") from e
        return json.loads(text) if text else None

    def journal(self, since: int = 0, route: str | None = None, agent: str | None = None) -> list[dict[str, Any]]:
        """The requests the simulator received after journal id ``since``, optionally only
        one route (e.g. ``"login"``) or one agent. Guids and passwords are masked."""
        query = {"since": str(since)}
        if route:
            query["route"] = route
        if agent:
            query["agent"] = agent
        entries: list[dict[str, Any]] = self.control("GET", "/sim/journal?" + urllib.parse.urlencode(query, safe="/"))["entries"]
        return entries

    def journal_mark(self) -> int:
        """The id of the newest journal entry: pass it as ``since`` to see only later requests."""
        return int(self.control("GET", "/sim/journal?since=999999999")["lastId"])

    def inject(self, agent: str, event: dict[str, Any]) -> dict[str, Any]:
        """Queues an event (``{"eventType": ..., "content": {...}}``) for an agent's long poll."""
        result: dict[str, Any] = self.control("POST", f"/sim/agents/{agent}/events", event)
        return result

    def add_fault(self, rule: dict[str, Any]) -> int:
        """Adds a fault rule (see sim/README.md); returns its id for :meth:`remove_fault`."""
        return int(self.control("POST", "/sim/faults", rule)["id"])

    def remove_fault(self, fault_id: int) -> None:
        """Removes a fault rule."""
        self.control("DELETE", f"/sim/faults/{fault_id}")


def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.02) -> bool:
    """Polls ``predicate`` until it is true or ``timeout`` seconds pass; returns its last
    value (a bounded wait for something the simulator or the library does in the
    background, not an assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def _drain(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    try:
        for _ in proc.stdout:
            pass
    except (OSError, ValueError):
        pass


def _terminate(proc: subprocess.Popen[str], timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


try:  # the pytest plugin part; the module works without pytest
    import pytest
except ImportError:  # pragma: no cover - pytest is optional
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(scope="session")
    def ccgw_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
        """A simulator for the whole test session; agents sign in with
        :data:`DEFAULT_PASSWORD`. Needs the binary (:func:`find_simulator`)."""
        with Simulator.start(workdir=tmp_path_factory.mktemp("ccgw-sim")) as sim:
            yield sim
