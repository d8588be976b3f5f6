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


class _ConnectProxy:
    """A small CONNECT proxy on loopback (threads, blocking sockets) recording each CONNECT's
    target and Proxy-Authorization; answers 407 unless ``auth`` (the expected header value)
    matches, when given."""

    def __init__(self, auth: str | None = None) -> None:
        import socket
        import threading

        self.auth = auth
        self.seen: list[tuple[str, str | None]] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn) -> None:  # type: ignore[no-untyped-def]
        import socket
        import threading

        head = b""
        while not head.endswith(b"\r\n\r\n"):
            b = conn.recv(1)
            if not b:
                return
            head += b
        lines = head.decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1]
        auth = next((l.split(":", 1)[1].strip() for l in lines[1:] if l.lower().startswith("proxy-authorization:")), None)
        self.seen.append((target, auth))
        if self.auth is not None and auth != self.auth:
            conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\n"
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            conn.close()
            return
        host, port = target.rsplit(":", 1)
        up = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")

        def pipe(a, b) -> None:  # type: ignore[no-untyped-def]
            try:
                while data := a.recv(65536):
                    b.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    b.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        threading.Thread(target=pipe, args=(conn, up), daemon=True).start()
        pipe(up, conn)

    def close(self) -> None:
        self.sock.close()


def test_proxy_tunnel_credentials_and_refusal(sim: Sim, agent_id: str) -> None:
    import base64

    u = urlsplit(sim.url)
    expected = "Basic " + base64.b64encode(b"cti:pr0xy-pw").decode()
    proxy = _ConnectProxy(auth=expected)
    try:
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, request_timeout=10, proxy_url=proxy.url,
                          proxy_username="cti", proxy_password="pr0xy-pw") as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            s.sign_out()
        assert proxy.seen and all(t == f"{u.hostname}:{u.port}" and a == expected for t, a in proxy.seen)
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, request_timeout=10, proxy_url=proxy.url) as s:
            with pytest.raises(ccgw.TransportError) as e:
                s.sign_in(PASSWORD, phone_of(agent_id))
        assert e.value.status == ccgw.constants.CCGW_E_PROXY_AUTH
        # Hosts in no_proxy go direct.
        n = len(proxy.seen)
        with ccgw.Session(sim.url, agent_id, ca_file=sim.ca_file, proxy_url=proxy.url,
                          no_proxy=["gw.example", "127.0.0.1"]) as s:
            s.sign_in(PASSWORD, phone_of(agent_id))
            s.sign_out()
        assert len(proxy.seen) == n
    finally:
        proxy.close()
    with pytest.raises(ccgw.ArgumentError) as bad:
        ccgw.Session(sim.url, agent_id, proxy_url="http://u:hunter2@127.0.0.1:3128")
    assert "hunter2" not in str(bad.value)
