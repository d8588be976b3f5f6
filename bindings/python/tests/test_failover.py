"""Fail-over (issue 11): the session options of version 3, what a status means for the
operation (``outcome``, ``retryable``, :func:`ccgw.status_outcome`), the CTI code of an
``Unknown ERROR._<digits>`` gateway message, and the newly named statuses."""

from __future__ import annotations

import socket

import ccgw
import pytest
from ccgw import constants as C
from conftest import PASSWORD, Sim, phone_of


def _dead_url() -> str:
    """An HTTPS URL on a loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"https://127.0.0.1:{port}"


def test_a_primary_refusing_connections_sends_the_sign_in_to_the_fallback(sim: Sim, agent_id: str) -> None:
    mark = sim.journal_mark()
    with ccgw.Session(_dead_url(), agent_id, fallback_urls=[sim.url], ca_file=sim.ca_file, request_timeout=10,
                      switchover_wait=5, failback_after=30, retry_backoff_initial=0.05, retry_backoff_max=1,
                      retry_rounds=2) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        assert len(sim.journal(since=mark, route="onlineagent", agent=agent_id)) == 1
        s.sign_out()


def test_an_operation_meeting_503_says_it_did_not_run(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "http_status",
                   "status": 503})
    with pytest.raises(ccgw.TransportError) as info:
        signed_in.query_conf_infos([1])
    e = info.value
    assert e.status == C.CCGW_E_GATEWAY_UNAVAILABLE
    assert e.status_name == "CCGW_E_GATEWAY_UNAVAILABLE"
    assert e.http_status == 503
    assert e.outcome == ccgw.OUTCOME_REFUSED
    assert e.retryable
    assert e.cti_code == 0


def test_the_cti_code_of_an_unknown_error_message(sim: Sim, signed_in: ccgw.Session) -> None:
    sim.add_fault({"route": "agentconf/queryconfinfos", "agent": signed_in.agent_id, "kind": "retcode",
                   "retcode": "100-007", "message": "Unknown ERROR._10001"})
    with pytest.raises(ccgw.GatewayError) as info:
        signed_in.query_conf_infos([1])
    assert info.value.retcode == "100-007"
    assert info.value.cti_code == 10001
    assert info.value.outcome == ccgw.OUTCOME_REFUSED
    assert not info.value.retryable


def test_every_status_has_an_outcome() -> None:
    assert ccgw.status_outcome(C.CCGW_OK) == ccgw.OUTCOME_OK
    assert ccgw.status_outcome(C.CCGW_E_CONNECT) == ccgw.OUTCOME_NOT_SENT
    assert ccgw.status_outcome(C.CCGW_E_GW_SWITCHOVER) == ccgw.OUTCOME_REFUSED
    assert ccgw.status_outcome(C.CCGW_E_BAD_GATEWAY) == ccgw.OUTCOME_MAY_HAVE_RUN
    assert ccgw.status_outcome(C.CCGW_E_RESPONSE_TIMEOUT) == ccgw.OUTCOME_MAY_HAVE_RUN
    assert ccgw.status_outcome(119) == ccgw.OUTCOME_MAY_HAVE_RUN
    assert ccgw.status_retryable(C.CCGW_E_GW_SWITCHOVER)
    assert not ccgw.status_retryable(C.CCGW_E_BAD_GATEWAY)


def test_the_newly_named_gateway_statuses() -> None:
    assert C.CCGW_E_GW_RECORDING_DOWNLOAD_OFF == 1_104_001
    assert C.CCGW_E_GW_PASSWORD_CHANGE_FAILED == 1_110_002
    assert C.CCGW_E_GW_STOP_PLAY_STATE == 1_500_009
    assert C.CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE == 1_600_005
    assert "104-001" in ccgw.status_str(C.CCGW_E_GW_RECORDING_DOWNLOAD_OFF)
    e = ccgw.errors.last_error(C.CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE)
    assert isinstance(e, ccgw.GatewayError) and e.status_name == "CCGW_E_GW_AGENT_VDN_NO_SKILL_QUEUE"


def test_fail_over_options_are_checked(sim: Sim, agent_id: str) -> None:
    with pytest.raises(ccgw.ArgumentError) as info:
        ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, retry_rounds=C.CCGW_RETRY_ROUNDS_MAX + 1)
    assert info.value.status == C.CCGW_E_OUT_OF_RANGE
    with pytest.raises(ccgw.ArgumentError):
        ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, retry_backoff_initial=2, retry_backoff_max=1)
