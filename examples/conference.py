#!/usr/bin/env python3
"""conference.py -- the contact-center conference scenario of conference.c, in Python.

The agent signs in, calls a customer (``Session.callout`` returns the call id), holds,
calls a third-party IVR and joins the two calls into a three-party call (confjoin),
passes the customer's key presses to the IVR (thirdPartyConfTransmitNum), releases the
call, requests an agent conference, invites a supervisor's phone and a second agent in one
tracked batch and waits for each invitee's outcome, holds the phone with an announcement,
prolongs the conference, queries it, prints the session's live view, releases it, and
signs out. Every call is a typed method; every step is printed with the operation's name;
any failure ends the program with a non-zero exit status.

Events: both agents run the event pump (their keep-alive). The chairperson's events are
taken with Session.next_event and printed as they arrive; each step waits for the event
that proves it. The second agent's events arrive through a callback on the library's
callback pool.

Configuration (environment), as for conference.c:
  CCGW_URL        gateway base URL, e.g. https://gw.example:8043        (required)
  CCGW_CA         PEM file of the CA the gateway's certificate chains to (default: system store)
  CCGW_AGENT      agent id of the chairperson                           (default 153)
  CCGW_PASSWORD   its password                                          (required)
  CCGW_PHONE      the agent's phone number                              (default 40038)
  CCGW_AGENT2     a second agent to invite; empty to invite phones only (default 154)
  CCGW_PASSWORD2  its password                                          (default CCGW_PASSWORD)
  CCGW_PHONE2     the second agent's phone number                       (default 40039)
  CCGW_CUSTOMER   customer number to call                               (default 70005)
  CCGW_IVR        third-party IVR access number                         (default 9000123)
  CCGW_SUPERVISOR supervisor phone to invite                            (default 70010)
  CCGW_VOICE      announcement file for the hold (default y:/conf/1/hold.V3)

Run against the bundled simulator (after `make lib` and `pip install bindings/python`):
  CCGW_LIBRARY=target/release/libccgw.so scripts/with-sim python3 examples/conference.py
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO, TypeVar

import ccgw

T = TypeVar("T")


_out = threading.Lock()


def say(text: str, file: TextIO | None = None) -> None:
    """Prints one line in a single write: the callback prints from another thread."""
    stream = file or sys.stdout
    with _out:
        stream.write(text + "\n")
        stream.flush()


def env_or(name: str, fallback: str) -> str:
    value = os.environ.get(name)
    return value if value else fallback


class Failed(Exception):
    pass


def step(operation: str, fn: Callable[[], T]) -> T:
    """Runs one operation, printing its outcome; a failure ends the scenario."""
    try:
        result = fn()
    except ccgw.CcgwError as e:
        say(f"  {operation:<28} FAILED: status {e.status} ({ccgw.status_str(e.status)})", file=sys.stderr)
        say(f"    {e.message}", file=sys.stderr)
        if e.retcode:
            say(f"    gateway retcode {e.retcode}", file=sys.stderr)
        raise Failed(operation) from e
    say(f"  {operation:<28} OK")
    return result


def wait_event(s: ccgw.Session, type_name: str, seconds: float) -> ccgw.Event:
    """Takes the chairperson's events, printing each, until one of ``type_name`` arrives."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ev = step_quiet(lambda: s.next_event(0.5))
        if ev is None:
            continue
        say(f"    event {ev.type_name}")
        if ev.kind == ccgw.EVENT_PUMP_STOPPED:
            say(f"  the event pump stopped: {ev.message}", file=sys.stderr)
            raise Failed("events")
        if ev.type_name == type_name:
            return ev
    say(f"  {type_name} did not arrive within {seconds:g} s", file=sys.stderr)
    raise Failed(type_name)


def step_quiet(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except ccgw.CcgwError as e:
        say(f"  next_event FAILED: status {e.status}: {e.message}", file=sys.stderr)
        raise Failed("next_event") from e


def open_session(url: str, ca: str | None, agent: str) -> ccgw.Session:
    return step("ccgw_session_new", lambda: ccgw.Session(url, agent, ca_file=ca))


def sign_in(s: ccgw.Session, password: str, phone: str) -> None:
    # force: take the session over if the agent is signed in elsewhere
    r = step("login", lambda: s.sign_in(password, phone, force=True))
    say(f"    agent {r.work_no} signed in to {r.server_name} (VDN {r.vdn_id}){', by force' if r.forced else ''}")


def scenario() -> None:
    url = os.environ.get("CCGW_URL")
    password = os.environ.get("CCGW_PASSWORD")
    if not url or not password:
        say("set CCGW_URL and CCGW_PASSWORD (and CCGW_CA for a private CA)", file=sys.stderr)
        sys.exit(2)
    ca = os.environ.get("CCGW_CA") or None
    agent = env_or("CCGW_AGENT", "153")
    agent2 = os.environ.get("CCGW_AGENT2", "154")
    voice = env_or("CCGW_VOICE", "y:/conf/1/hold.V3")
    supervisor = env_or("CCGW_SUPERVISOR", "70010")

    say(f"ccgw {ccgw.library_version()}: conference scenario against {url} as agent {agent}")
    with open_session(url, ca, agent) as s:
        sign_in(s, password, env_or("CCGW_PHONE", "40038"))
        step("start_events", s.start_events)

        say("three-party call")
        customer_call = step("callout (customer)", lambda: s.callout(env_or("CCGW_CUSTOMER", "70005")))
        ev = wait_event(s, "AgentEvent_Talking", 30)
        say(f"    talking to {ev.called}")
        step("hold", s.hold_call)
        wait_event(s, "AgentEvent_Hold", 10)
        step("callout (IVR)", lambda: s.callout(env_or("CCGW_IVR", "9000123")))
        wait_event(s, "AgentEvent_Talking", 30)
        step("confJoin", lambda: s.conf_join(customer_call, "ccgw-demo"))
        ev = wait_event(s, "AgentEvent_Conference", 10)
        say(f"    three-party call {ev.callid} with {' '.join(ev.partners)}")
        step("thirdPartyConfTransmitNum", s.third_party_conf_transmit_num)
        step("release", s.release_call)
        wait_event(s, "AgentEvent_Call_Release", 10)

        say("agent conference")
        s2: ccgw.Session | None = None
        try:
            if agent2:
                s2 = open_session(url, ca, agent2)
                step(
                    "set_event_callback",
                    lambda: s2.set_event_callback(
                        lambda e: say(f"    [agent {agent2}] event {e.type_name}")
                    ),
                )
                sign_in(s2, env_or("CCGW_PASSWORD2", password), env_or("CCGW_PHONE2", "40039"))
                step("start_events", s2.start_events)
            step("requestAgentConf", lambda: s.request_agent_conf(5, time=30))
            ev = wait_event(s, "AgentConf_RequestSuccess", 10)
            conf_id = ev.conf_id
            assert conf_id is not None
            say(f"    conference {conf_id} granted")

            invitees = [ccgw.Invitee.phone(supervisor)]
            if agent2:
                invitees.append(ccgw.Invitee.agent(agent2))
            # Each invitee's outcome: joined, failed (with the gateway's code), released, or no
            # answer within 30 s. The events keep arriving here too; the tracker takes none.
            outcome_names = {
                ccgw.INVITE_PENDING: "pending",
                ccgw.INVITE_JOINED: "joined",
                ccgw.INVITE_FAILED: "failed",
                ccgw.INVITE_RELEASED: "released",
                ccgw.INVITE_NO_ANSWER: "no answer",
                ccgw.INVITE_CONF_ENDED: "conference ended",
            }
            with step("batchAddParticipant", lambda: s.batch_add_participant_tracked(invitees, 30.0)) as tracker:
                wait_event(s, "ccgw.InvitesSettled", 40)
                step("tracker wait", tracker.wait)
                for inv in tracker.results().invitees:
                    code = f" (result {inv.result})" if inv.outcome == ccgw.INVITE_FAILED else ""
                    say(f"    invitee {inv.address}: {outcome_names[inv.outcome]}{code}")

            step("holdParticipant", lambda: s.hold_participant(supervisor, voice, address_type=ccgw.ADDRESS_PHONE))
            while True:
                ev = wait_event(s, "AgentConf_ParticipantChanged", 10)
                if ev.change_type == 5 and ev.participant == supervisor:
                    break
            say(f"    {supervisor} is on hold, hearing {voice}")

            confs = step("queryConfInfos", lambda: s.query_conf_infos([conf_id]))
            states = {1: "held", 2: "announcement"}
            for c in confs:
                say(
                    f"    conference {c.conf_id}: state {c.conf_state}, {c.conf_have_been_time} of "
                    f"{c.apply_conf_time} minutes, {len(c.participants)} participants"
                )
                for p in c.participants:
                    say(
                        f"      {'agent' if p.is_agent else 'phone':<6} {p.address:<12} "
                        f"{'chair' if p.is_chair else 'participant':<11} {states.get(p.channel_state or 0, 'talking')}"
                    )
            if len(confs) != 1:
                say(f"  queryConfInfos did not return conference {conf_id}", file=sys.stderr)
                raise Failed("queryConfInfos")
            step("prolongTime", lambda: s.prolong_time(15))
            view = step("conf_view", s.conf_view)
            for c in view:
                say(
                    f"    live view: conference {c.conf_id}, {'chair' if c.is_chair else 'participant'}, "
                    f"{'synced' if c.synced else 'not synced'}, {c.conf_have_been_time} of {c.apply_conf_time} "
                    f"minutes, {c.member_num} places, {len(c.participants)} participants"
                )
                for vp in c.participants:
                    state = "held" if vp.held else "announcement" if vp.announcement else "talking"
                    hearing = f", hearing {vp.hold_voice_path}" if vp.hold_voice_path else ""
                    say(
                        f"      {'agent' if vp.address_type == ccgw.ADDRESS_AGENT else 'phone':<6} {vp.address:<12} "
                        f"{'chair' if vp.role == 1 else 'participant':<11} {state:<12} mode {vp.channel_attrib}{hearing}"
                    )
            step("releaseAgentConf", s.release_agent_conf)

            say("sign out")
            if s2 is not None:
                step("logout (second agent)", s2.sign_out)
        finally:
            if s2 is not None:
                s2.close()
        step("logout", s.sign_out)
    step("global_shutdown", lambda: ccgw.global_shutdown(2.0))
    say("done")


def main() -> int:
    try:
        scenario()
    except Failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
