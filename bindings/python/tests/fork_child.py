"""Run by test_fork.py in a subprocess: a session with an event callback and a running
pump, then fork. In the child (stderr sent to a file): with MODE ``calls``, every kind of
call on the session, whose statuses are written to ``<file>.json``, then close; with
``exit``, nothing at all. Then the child exits normally (atexit handlers and garbage
collection run). The parent prints the child's exit code and the size of its stderr.

    python fork_child.py MODE URL CA_FILE AGENT PASSWORD
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from typing import Any

import ccgw

warnings.simplefilter("ignore")  # fork() of a process with threads warns (in the parent)
mode, url, ca_file, agent, password = sys.argv[1:6]

s = ccgw.Session(url, agent, ca_file=ca_file)
s.sign_in(password, "4" + agent)
s.start_events(poll_interval_ms=50)
s.set_event_callback(lambda ev: None)

fd, path = tempfile.mkstemp(prefix="ccgw-py-fork-")
pid = os.fork()
if pid == 0:
    os.dup2(fd, 2)
    if mode == "calls":
        calls: list[tuple[str, Callable[[], Any]]] = [
            ("set_event_callback(None)", lambda: s.set_event_callback(None)),
            ("set_event_callback(fn)", lambda: s.set_event_callback(print)),
            ("next_event", lambda: s.next_event(1.0)),
            ("query_conf_infos", lambda: s.query_conf_infos([1])),
            ("stop_events", lambda: s.stop_events()),
            ("events_status", lambda: s.events_status()),
            ("guid", lambda: s.guid),
            ("CancelToken", lambda: ccgw.CancelToken()),
            ("route_logs", lambda: ccgw.route_logs()),
        ]
        results: dict[str, Any] = {}
        for name, call in calls:
            try:
                results[name] = ["returned", repr(call())]
            except ccgw.CcgwError as e:
                results[name] = [type(e).__name__, e.status]
        results["registered_callbacks"] = ccgw.registered_callbacks()
        with open(path + ".json", "w") as f:
            json.dump(results, f)
        s.close()
    sys.exit(0)

_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
size = os.fstat(fd).st_size
with open(path, errors="replace") as f:
    text = f.read(2000)
results = {}
if os.path.exists(path + ".json"):
    with open(path + ".json") as f:
        results = json.load(f)
    os.unlink(path + ".json")
os.unlink(path)
# The parent's session is unaffected.
s.set_event_callback(None)
s.query_conf_infos([1])
s.sign_out()
s.close()
print(json.dumps({"code": code, "stderr_size": size, "stderr": text, "results": results}))
