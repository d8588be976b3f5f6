"""The gateway as deployed (issue 10): certificate pinning, and the other transport
options, through the Python binding."""

from __future__ import annotations

import hashlib
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import ccgw
import pytest

from conftest import PASSWORD, Sim, phone_of


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
