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
    """This session's event number: 1, 2, 3, ... in arrival order (0 for the queue's own EventsLost reports)."""
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
    caller: str = ""
    """``caller`` of ``AgentEvent_Talking`` / ``AgentEvent_Ringing``."""
    called: str = ""
    """``called`` of ``AgentEvent_Talking`` / ``AgentEvent_Ringing``."""
    phone_state: int | None = None
    """``phoneState`` of ``AgentOther_PhoneRelease`` (2 by the agent, 3 by the platform)."""
    reason: str = ""
    """``reason`` of ``AgentOther_ShutdownService``."""
    outcome: int | None = None
    """``EVENT_INVITE_OUTCOME``: the invitee's outcome (``INVITE_*``)."""
    tracker_id: int = 0
    """``EVENT_INVITE_OUTCOME`` / ``EVENT_INVITES_SETTLED``: the tracker it is about."""
    gap_start: int | None = None
    """``EVENT_EVENTS_LOST``: the first instant of the gap, ms since the epoch."""
    gap_end: int | None = None
    """``EVENT_EVENTS_LOST``: the last instant of the gap, ms since the epoch."""
    cause_status: int = 0
    """``EVENT_SESSION_LOST``, ``EVENT_PUMP_STOPPED``, ``EVENT_SIGN_IN_AGAIN_FAILED``: the
    status of what happened, under the reason in ``status``."""
    attempt: int = 0
    """``EVENT_SIGNING_IN_AGAIN``, ``EVENT_SIGNED_IN_AGAIN``, ``EVENT_SIGN_IN_AGAIN_FAILED``."""
    snapshot: Snapshot | None = None
    """``EVENT_SNAPSHOT``: the resynchronisation snapshot, copied."""

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
            caller=_s(e.caller),
            called=_s(e.called),
            phone_state=_n(e.phone_state),
            reason=_s(e.reason),
            outcome=_n(e.outcome),
            tracker_id=e.tracker_id,
            gap_start=_n(e.gap_start),
            gap_end=_n(e.gap_end),
            cause_status=e.cause_status,
            attempt=e.attempt,
            snapshot=Snapshot._from_c(e.snapshot.contents) if e.snapshot else None,
        )


@dataclass(frozen=True)
class Address:
    """A participant address (``ccgw_address``): a phone number or an agent id."""

    address: str
    address_type: int = C.CCGW_ADDRESS_PHONE

    @classmethod
    def phone(cls, number: str) -> Address:
        return cls(number, C.CCGW_ADDRESS_PHONE)

    @classmethod
    def agent(cls, agent_id: str) -> Address:
        return cls(agent_id, C.CCGW_ADDRESS_AGENT)

    @classmethod
    def _from_c(cls, a: F.ccgw_address) -> Address:
        return cls(_s(a.address), a.address_type)


@dataclass(frozen=True)
class CallInfo:
    """One call as the gateway describes it (``ccgw_call_info``)."""

    callid: str
    call_feature: int | None
    """7 outbound, 0 inbound."""
    caller: str
    called: str
    call_skill: str
    call_skill_id: int | None
    orig_called: str
    call_data: str
    begin_time: int | None
    """ms since the epoch when answered (0 while ringing)."""
    end_time: int | None
    """ms since the epoch when it ended (0 while it lasts)."""
    user_priority: int | None
    trunk_no: int | None
    logon_times: int | None
    """Seconds since the call started."""
    media_type: int | None
    media_ability: int | None
    wait_time: int | None

    @classmethod
    def _from_c(cls, c: F.ccgw_call_info) -> CallInfo:
        return cls(
            _s(c.callid),
            _n(c.call_feature),
            _s(c.caller),
            _s(c.called),
            _s(c.call_skill),
            _n(c.call_skill_id),
            _s(c.orig_called),
            _s(c.call_data),
            _n(c.begin_time),
            _n(c.end_time),
            _n(c.user_priority),
            _n(c.trunk_no),
            _n(c.logon_times),
            _n(c.media_type),
            _n(c.media_ability),
            _n(c.wait_time),
        )


@dataclass(frozen=True)
class AgentStatus:
    """The agent's CTI status (``agentstatus``)."""

    state: int | None
    """0 not signed in, 1 idle, 2 pre-occupied, 3 occupied, 4 answering, 5 talking,
    6 working, 7 busy, 8 rest, 9 study, 10 adjusting."""
    is_working: bool | None
    """In a call."""


@dataclass(frozen=True)
class ViewParticipant:
    """A participant in the live conference view (``ccgw_view_participant``)."""

    address_type: int
    address: str
    device_call_type: int | None
    device_type: int | None
    channel_attrib: int | None
    """1 listen only, 2 speak only, 3 both, 4 neither."""
    attrib_inferred: bool
    """``channel_attrib`` was inferred from a mute/unmute event someone else caused."""
    channel_state: int
    """0 talking, 1 held, 2 announcement playing."""
    held: bool
    hold_voice_path: str
    announcement: bool
    role: int
    """0 participant, 1 chair."""
    enter_time: int | None
    is_self: bool

    @classmethod
    def _from_c(cls, p: F.ccgw_view_participant) -> ViewParticipant:
        return cls(
            p.address_type,
            _s(p.address),
            _n(p.device_call_type),
            _n(p.device_type),
            _n(p.channel_attrib),
            bool(p.attrib_inferred),
            p.channel_state,
            bool(p.held),
            _s(p.hold_voice_path),
            bool(p.announcement),
            p.role,
            _n(p.enter_time),
            bool(p.is_self),
        )


@dataclass(frozen=True)
class ViewConference:
    """A conference in the live view (``ccgw_view_conf``)."""

    conf_id: int
    granted: bool
    synced: bool
    """Everything the gateway would report is known (else call ``resync_conf_view``)."""
    is_chair: bool
    conf_state: int
    start_time: int | None
    apply_conf_time: int | None
    conf_have_been_time: int | None
    member_num: int | None
    timeout_warned: bool
    participants: list[ViewParticipant] = field(default_factory=list)

    @classmethod
    def _from_c(cls, c: F.ccgw_view_conf) -> ViewConference:
        return cls(
            c.conf_id,
            bool(c.granted),
            bool(c.synced),
            bool(c.is_chair),
            c.conf_state,
            _n(c.start_time),
            _n(c.apply_conf_time),
            _n(c.conf_have_been_time),
            _n(c.member_num),
            bool(c.timeout_warned),
            [ViewParticipant._from_c(c.participants[i]) for i in range(c.participant_count)],
        )


@dataclass(frozen=True)
class InviteOutcome:
    """One invitee of a tracked batch invitation and its outcome (``ccgw_invite_result``)."""

    address: str
    address_type: int
    outcome: int
    """``INVITE_PENDING``, ``INVITE_JOINED``, ``INVITE_FAILED``, ``INVITE_RELEASED``,
    ``INVITE_NO_ANSWER`` or ``INVITE_CONF_ENDED``."""
    result: int | None
    """The gateway's ``result``: 0 joined, the failure code for ``INVITE_FAILED``."""
    change_reason: int | None
    """Why it went away, for ``INVITE_RELEASED``."""
    settled_time: int | None

    @classmethod
    def _from_c(cls, r: F.ccgw_invite_result) -> InviteOutcome:
        return cls(_s(r.address), r.address_type, r.outcome, _n(r.result), _n(r.change_reason), _n(r.settled_time))


@dataclass(frozen=True)
class InviteResults:
    """A consistent copy of a tracker's outcomes (``ccgw_invite_results``)."""

    tracker_id: int
    conf_id: int | None
    pending: int
    deadline_passed: bool
    invitees: list[InviteOutcome] = field(default_factory=list)

    @classmethod
    def _from_c(cls, r: F.ccgw_invite_results) -> InviteResults:
        return cls(
            r.tracker_id,
            _n(r.conf_id),
            r.pending,
            bool(r.deadline_passed),
            [InviteOutcome._from_c(r.invitees[i]) for i in range(r.count)],
        )


@dataclass(frozen=True)
class Snapshot:
    """The agent's state as the gateway reports it, for resynchronisation after a gap
    (``ccgw_snapshot``, copied). Each ``*_status`` is ``CCGW_OK`` when that part was
    fetched, else the status of the query that failed (the part is then empty)."""

    taken_at: int
    agent_status_status: int
    agent_state: int | None
    is_working: bool | None
    calls_status: int
    held_calls: tuple[CallInfo, ...]
    active_calls: tuple[CallInfo, ...]
    conf_ids_status: int
    """``CCGW_E_GW_NOT_INSPECTOR`` for an agent that is not an inspector (normal)."""
    conferences_status: int
    conferences: tuple[Conference, ...]
    """The conferences the agent is a participant of."""

    @classmethod
    def _from_c(cls, s: F.ccgw_snapshot) -> Snapshot:
        def calls(lst: Any) -> tuple[CallInfo, ...]:
            c = lst.contents
            return tuple(CallInfo._from_c(c.calls[i]) for i in range(c.count))

        confs = s.conferences.contents
        return cls(
            taken_at=s.taken_at,
            agent_status_status=s.agent_status_status,
            agent_state=_n(s.agent_state),
            is_working=None if s.is_working == -1 else bool(s.is_working),
            calls_status=s.calls_status,
            held_calls=calls(s.held_calls),
            active_calls=calls(s.active_calls),
            conf_ids_status=s.conf_ids_status,
            conferences_status=s.conferences_status,
            conferences=tuple(Conference._from_c(confs.confs[i]) for i in range(confs.count)),
        )


@dataclass(frozen=True)
class DispatchOptions:
    """The callback pool's settings in effect (``ccgw_dispatch_options``): ``threads``
    kept, ``max_threads`` at most (the watchdog's included), ``stall`` (seconds every
    thread must have spent inside one callback, with events waiting, before the watchdog
    adds one) and ``idle`` (seconds a thread above ``threads`` waits for work before it
    ends)."""

    threads: int
    max_threads: int
    stall: float
    idle: float
