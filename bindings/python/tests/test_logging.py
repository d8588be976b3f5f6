"""Library log records reach Python logging."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

import ccgw
import pytest
from conftest import PASSWORD, Sim, phone_of, wait_until


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._mutex = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._mutex:
            self.records.append(record)

    def ops(self) -> list[str]:
        with self._mutex:
            return [getattr(r, "ccgw_operation", "") for r in self.records]


@pytest.fixture
def collected() -> object:
    logger = logging.getLogger("ccgw")
    handler = _Collect()
    old = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    ccgw.route_logs()
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        ccgw.route_logs()


def test_library_logs_reach_python_logging(sim: Sim, agent_id: str, collected: _Collect) -> None:
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.start_events()  # the pump logs its polls from a library thread
        assert wait_until(lambda: "getAgentEvent" in collected.ops(), 10)
        s.sign_out()
    ops = collected.ops()
    assert "login" in ops and "logout" in ops
    rec = next(r for r in collected.records if getattr(r, "ccgw_operation", "") == "login")
    assert rec.name == "ccgw"
    assert PASSWORD not in rec.getMessage()
    threads = {r.thread for r in collected.records}
    assert len(threads) >= 2  # records from our thread and from the library's threads


def test_route_logs_level_filters_in_the_library(sim: Sim, agent_id: str, collected: _Collect) -> None:
    ccgw.route_logs(logging.ERROR)
    with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.sign_out()
    assert [r for r in collected.records if r.levelno < logging.ERROR] == []


def test_records_follow_a_level_set_after_import(sim: Sim, agent_id: str) -> None:
    logger = logging.getLogger("ccgw")
    handler = _Collect()
    old = logger.level
    logger.addHandler(handler)
    try:
        logger.setLevel(logging.WARNING)
        ccgw.route_logs()  # as at import: follow the logger
        logger.setLevel(logging.DEBUG)  # the application's choice, later; no routing call
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            s.sign_out()
        debug = [r for r in handler.records if r.levelno == logging.DEBUG]
        assert debug, [r.getMessage() for r in handler.records]
        logger.setLevel(logging.ERROR)
        handler.records.clear()
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            s.sign_out()
        assert [r for r in handler.records if r.levelno < logging.ERROR] == []
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        ccgw.route_logs()


def test_an_exception_in_log_handling_reaches_unraisablehook(
    sim: Sim, agent_id: str, collected: _Collect, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)

    class Failing(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            if getattr(record, "ccgw_operation", "") == "login":
                raise ValueError("filter failure")
            return True

    logger = logging.getLogger("ccgw")
    f = Failing()
    logger.addFilter(f)
    try:
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file) as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            s.sign_out()
    finally:
        logger.removeFilter(f)
    assert reported, "the exception was lost"
    assert all(isinstance(r.exc_value, ValueError) for r in reported)
    assert repr(reported[0].object) == "<ccgw log callback>"
