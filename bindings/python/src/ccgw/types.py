"""Value types: what the library returns, copied out of library memory into dataclasses.

Numbers the gateway (or an event) did not carry, which the C API reports as -1, are
``None`` here; strings it did not carry are ``""``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import _constants as C
from . import _ffi as F


def _s(value: bytes | None) -> str:
    return value.decode("utf-8", "replace") if value else ""


def _n(value: int) -> int | None:
    return None if value == -1 else value


@dataclass(frozen=True)
class Invitee:
    """One invitee of :meth:`Session.batch_add_participant` (``ccgw_participant``)."""

    address: str
    address_type: int = C.CCGW_ADDRESS_PHONE
    device_call_type: int | None = None
    device_type: int | None = None

    @classmethod
    def phone(cls, number: str) -> Invitee:
        return cls(number, C.CCGW_ADDRESS_PHONE)

    @classmethod
    def agent(cls, agent_id: str) -> Invitee:
        return cls(agent_id, C.CCGW_ADDRESS_AGENT)


@dataclass(frozen=True)
class Participant:
    """A conference participant as ``queryconfinfos`` reports it (``ccgw_conf_participant``)."""

    address_type: int | None
    address: str
    device_call_type: int | None
    device_type: int | None
    channel_attrib: int | None
    """1 listen only, 2 speak only, 3 listen and speak."""
    channel_state: int | None
    """0 talking, 1 held, 2 announcement playing."""
    role: int | None
    """0 participant, 1 chairperson."""
    enter_time: int | None
    """ms since the epoch."""

    @property
    def is_agent(self) -> bool:
        return self.address_type == C.CCGW_ADDRESS_AGENT

    @property
    def is_chair(self) -> bool:
        return self.role == 1

    @classmethod
    def _from_c(cls, p: F.ccgw_conf_participant) -> Participant:
        return cls(
            _n(p.address_type),
            _s(p.address),
            _n(p.device_call_type),
            _n(p.device_type),
            _n(p.channel_attrib),
            _n(p.channel_state),
            _n(p.role),
            _n(p.enter_time),
        )


@dataclass(frozen=True)
class Conference:
    """A conference as ``queryconfinfos`` reports it (``ccgw_conf_info``)."""

    conf_id: int
    conf_state: int | None
    """0 normal conference call, 1 announcement playing."""
    start_time: int | None
    """ms since the epoch."""
    apply_conf_time: int | None
    """Applied duration, minutes."""
    conf_have_been_time: int | None
    """Minutes since the conference started."""
    participants: list[Participant] = field(default_factory=list)

    @classmethod
    def _from_c(cls, c: F.ccgw_conf_info) -> Conference:
        return cls(
            c.conf_id,
            _n(c.conf_state),
            _n(c.start_time),
            _n(c.apply_conf_time),
            _n(c.conf_have_been_time),
            [Participant._from_c(c.participants[i]) for i in range(c.participant_count)],
        )


@dataclass(frozen=True)
class SignInResult:
    """What the gateway says about a sign-in (``ccgw_sign_in_result``)."""

    vdn_id: int | None
    work_no: str
    media_type: str
    """Three T/F flags: CTI server, WebM, MailM."""
    login_time: int | None
    is_force_change: bool | None
    server_name: str
    time_remaining: int | None
    """Days until the password expires; None when not given or never."""
    forced: bool
    """True when the sign-in went through forced sign-in."""

    @classmethod
    def _from_c(cls, r: F.ccgw_sign_in_result) -> SignInResult:
        fc = _n(r.is_force_change)
        return cls(
            _n(r.vdn_id),
            _s(r.work_no),
            _s(r.media_type),
            _n(r.login_time),
            None if fc is None else bool(fc),
            _s(r.server_name),
            _n(r.time_remaining),
            bool(r.forced),
        )


@dataclass(frozen=True)
class Event:
    """One event (``ccgw_event``), copied. ``kind`` is a ``CCGW_EVENT_*`` constant telling
    which typed fields apply; the others are None (numbers) or ``""`` (strings)."""

    kind: int
    type_name: str
    work_no: str
    gen_time: int | None
    received_time: int
    sequence: int
    """This session's event number: 1, 2, 3, ... in arrival order (0 for EventsLost)."""
    content_json: str
    event_json: str
    conf_id: int | None = None
    result: int | None = None
    change_type: int | None = None
    change_reason: int | None = None
    participant: str = ""
    participant_type: int | None = None
    device_call_type: int | None = None
    device_type: int | None = None
    cause: int | None = None
    callid: str = ""
    number: str = ""
    partners: tuple[str, ...] = ()
    lost_count: int = 0
    status: int = 0
    message: str = ""
    lost_reason: int = 0
    """``EVENT_EVENTS_LOST``: why the events were dropped, a ``CCGW_LOST_*`` constant
    (``LOST_QUEUE_FULL``, ``LOST_QUEUE_BYTES``, ``LOST_TOO_LARGE``); 0 otherwise."""

    @property
    def content(self) -> Any:
        """The gateway's ``content`` member, parsed (None when absent)."""
        return json.loads(self.content_json) if self.content_json else None

    @classmethod
    def _from_c(cls, e: F.ccgw_event) -> Event:
        partners: list[str] = []
        if e.partner_count and e.partners:
            partners = [_s(e.partners[i]) for i in range(e.partner_count)]
        return cls(
            kind=e.kind,
            type_name=_s(e.type_name),
            work_no=_s(e.work_no),
            gen_time=_n(e.gen_time),
            received_time=e.received_time,
            sequence=e.sequence,
            content_json=_s(e.content_json),
            event_json=_s(e.event_json),
            conf_id=_n(e.conf_id),
            result=_n(e.result),
            change_type=_n(e.change_type),
            change_reason=_n(e.change_reason),
            participant=_s(e.participant),
            participant_type=_n(e.participant_type),
            device_call_type=_n(e.device_call_type),
            device_type=_n(e.device_type),
            cause=_n(e.cause),
            callid=_s(e.callid),
            number=_s(e.number),
            partners=tuple(partners),
            lost_count=e.lost_count,
            status=e.status,
            message=_s(e.message),
            lost_reason=e.lost_reason,
        )
