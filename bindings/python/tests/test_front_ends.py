"""The gateway as deployed (issue 10): certificate pinning, and the other transport
options, through the Python binding."""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import ccgw
import pytest
from ccgw.testing import Simulator

from conftest import PASSWORD, Sim, _simulator_binary, phone_of


def _server_certificate(sim: Sim) -> str:
    u = urlsplit(sim.url)
    return ssl.get_server_certificate((u.hostname, u.port))


def test_pinned_certificate_by_fingerprint_and_by_file(sim: Sim, agent_id: str, tmp_path: Path) -> None:
    pem = _server_certificate(sim)
    fp = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest()
    # No CA given: only the pin makes the simulator's certificate trusted.
    with ccgw.Session(sim.url, agent_id, pinned_sha256=fp, request_timeout=10) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.sign_out()
    cert = tmp_path / "gw.pem"
    cert.write_text(pem)
    with ccgw.Session(sim.url, agent_id, pinned_cert_file=str(cert), request_timeout=10) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.sign_out()
    with ccgw.Session(sim.url, agent_id, pinned_sha256=["00" * 32, fp], request_timeout=10) as s:
        s.sign_in(PASSWORD, phone_of(agent_id))
        s.sign_out()


def test_a_wrong_pin_is_a_tls_error_naming_the_fingerprint(sim: Sim, agent_id: str) -> None:
    pem = _server_certificate(sim)
    fp = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    with ccgw.Session(sim.url, agent_id, pinned_sha256="ab" * 32, request_timeout=10) as s:
        with pytest.raises(ccgw.TransportError) as e:
            s.sign_in(PASSWORD, phone_of(agent_id))
    assert e.value.status == ccgw.constants.CCGW_E_TLS
    assert "not pinned" in str(e.value)
    assert ":".join(fp[i:i + 2] for i in range(0, 64, 2)) in str(e.value)
    with pytest.raises(ccgw.ArgumentError):
        ccgw.Session(sim.url, agent_id, pinned_sha256="not a fingerprint")


def test_cookies_keep_a_session_on_its_node_behind_a_sticky_balancer(tmp_path: Path, agent_id: str) -> None:
    with Simulator.start(binary=_simulator_binary(), password=PASSWORD, workdir=tmp_path,
                         extra_args=["--sticky-nodes", "2"]) as lb:
        with ccgw.Session(lb.url, agent_id, ca_file=lb.ca_file, request_timeout=10) as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            for _ in range(6):
                s.request("GET", "onlineagent/{agentid}/agentstatus")
            s.sign_out()
        # Without cookies the balancer spreads the calls over nodes that do not know the Guid.
        with ccgw.Session(lb.url, agent_id, ca_file=lb.ca_file, request_timeout=10, cookies=False) as s:
            s.sign_in(PASSWORD, phone_of(agent_id), force=True)
            failures = 0
            for _ in range(6):
                try:
                    s.request("GET", "onlineagent/{agentid}/agentstatus")
                except ccgw.GatewayError:
                    failures += 1
            assert failures >= 2
