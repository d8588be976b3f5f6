"""Run by test_interrupt.py in a subprocess: blocks the main thread in one kind of binding
call, prints ``ready`` when the parent may send SIGINT, then ``interrupted <monotonic
time>`` when KeyboardInterrupt arrives, then ``clean`` when the session is as it should be
afterwards (no call left in flight, still usable). Exits with os._exit so a callback left
sleeping does not hold up the interpreter's exit.

    python interrupt_child.py KIND URL CA_FILE AGENT PASSWORD
"""

from __future__ import annotations

import json
import os
import ssl
import sys
import threading
import time
import urllib.request
from typing import Any

import ccgw

kind, url, ca_file, agent, password = sys.argv[1:6]


def control(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, context=ssl.create_default_context(cafile=ca_file), timeout=10) as r:
        text = r.read().decode()
    return json.loads(text) if text else None


def hang(route: str, method: str | None = None) -> None:
    rule: dict[str, Any] = {"route": route, "agent": agent, "kind": "hang", "count": 1}
    if method:
        rule["method"] = method
    control("POST", "/sim/faults", rule)


def say(text: str) -> None:
    print(text, flush=True)


s = ccgw.Session(url, agent, ca_file=ca_file, request_timeout=30)
if kind != "sign_in":
    s.sign_in(password, "4" + agent)
    s.start_events(poll_interval_ms=50)
    s.wait_event("AgentState_Ready", 10)

in_callback = threading.Event()
if kind in ("unregister", "close"):

    def slow(ev: ccgw.Event) -> None:
        in_callback.set()
        time.sleep(30)

    s.set_event_callback(slow)
    control("POST", f"/sim/agents/{agent}/events", {"eventType": "Py_Slow", "content": {}})
    assert in_callback.wait(10)

calls = {
    "sign_in": lambda: s.sign_in(password, "4" + agent),
    "query": lambda: s.query_conf_infos([1]),
    "request": lambda: s.request("POST", "agentconf/{agentid}/requestagentconf", {"memberNum": 3, "time": 10}),
    "next_event": lambda: s.next_event(None),
    "events": lambda: [None for _ in s.events()],
    "wait_event": lambda: s.wait_event("Never", 60),
    "unregister": lambda: s.set_event_callback(None),
    "close": lambda: s.close(),
}
if kind == "sign_in":
    hang("onlineagent", "PUT")
elif kind == "query":
    hang("agentconf/queryconfinfos")
elif kind == "request":
    hang("agentconf/requestagentconf")

say("ready")
try:
    calls[kind]()
    say("returned")
    os._exit(3)
except KeyboardInterrupt:
    say(f"interrupted {time.monotonic():.6f}")

# Afterwards: a gateway call was cancelled, not left running; the session still works.
if kind in ("sign_in", "query", "request", "next_event", "events", "wait_event"):
    assert s._inflight == 0, s._inflight
    assert s.guid is not None or kind == "sign_in"
    s.query_conf_infos([1]) if kind != "sign_in" else s.sign_in(password, "4" + agent)
elif kind == "unregister":
    assert ccgw.registered_callbacks() == 1  # still registered: the change completes later
elif kind == "close":
    assert s.closed
say("clean")
os._exit(0)
