"""ccgw: Python binding of libccgw, the client library for the Huawei CC-Gateway agent
REST interface (sign-in and Guid, event long-polling, agent conference operations).

The shared library is found through ``$CCGW_LIBRARY`` (path to ``libccgw.so``), else a
copy bundled in the package (``ccgw/_lib/``), else the system loader (``libccgw.so.1``).

    import ccgw
    with ccgw.Session("https://gw.example:8043", "153", ca_file="ca.pem") as s:
        s.sign_in("password", "40038")
        s.start_events()
        for event in s.events(timeout=5):
            print(event.type_name)
        s.sign_out()
"""

from __future__ import annotations

from . import _constants as constants
from ._constants import (
    CCGW_ADDRESS_AGENT as ADDRESS_AGENT,
    CCGW_ADDRESS_PHONE as ADDRESS_PHONE,
    CCGW_AUTH_DYNAMIC as AUTH_DYNAMIC,
    CCGW_AUTH_STATIC as AUTH_STATIC,
    CCGW_EVENT_CONF_PARTICIPANT_CHANGED as EVENT_CONF_PARTICIPANT_CHANGED,
    CCGW_EVENT_CONF_REQUEST_FAILED as EVENT_CONF_REQUEST_FAILED,
    CCGW_EVENT_CONF_REQUEST_SUCCESS as EVENT_CONF_REQUEST_SUCCESS,
    CCGW_EVENT_CONFERENCE as EVENT_CONFERENCE,
    CCGW_EVENT_EVENTS_LOST as EVENT_EVENTS_LOST,
    CCGW_EVENT_MALFORMED as EVENT_MALFORMED,
    CCGW_EVENT_OTHER as EVENT_OTHER,
    CCGW_EVENT_PUMP_ERROR as EVENT_PUMP_ERROR,
    CCGW_EVENT_PUMP_RECOVERED as EVENT_PUMP_RECOVERED,
    CCGW_EVENT_PUMP_STOPPED as EVENT_PUMP_STOPPED,
    CCGW_EVENT_CALL_TALKING as EVENT_CALL_TALKING,
    CCGW_EVENT_CALL_HOLD as EVENT_CALL_HOLD,
    CCGW_EVENT_CALL_RELEASE as EVENT_CALL_RELEASE,
    CCGW_EVENT_CONNECT_FAIL as EVENT_CONNECT_FAIL,
    CCGW_EVENT_CALL_OUT_FAIL as EVENT_CALL_OUT_FAIL,
    CCGW_EVENT_CUSTOMER_ALERTING as EVENT_CUSTOMER_ALERTING,
    CCGW_EVENT_CALL_RINGING as EVENT_CALL_RINGING,
    CCGW_EVENT_PHONE_ALERTING as EVENT_PHONE_ALERTING,
    CCGW_EVENT_PHONE_OFFHOOK as EVENT_PHONE_OFFHOOK,
    CCGW_EVENT_PHONE_RELEASE as EVENT_PHONE_RELEASE,
    CCGW_EVENT_SHUTDOWN_SERVICE as EVENT_SHUTDOWN_SERVICE,
    CCGW_EVENT_AGENT_STATE_READY as EVENT_AGENT_STATE_READY,
    CCGW_EVENT_AGENT_STATE_BUSY as EVENT_AGENT_STATE_BUSY,
    CCGW_EVENT_AGENT_STATE_NOT_READY as EVENT_AGENT_STATE_NOT_READY,
    CCGW_EVENT_AGENT_STATE_WORK as EVENT_AGENT_STATE_WORK,
    CCGW_EVENT_AGENT_STATE_OTHER as EVENT_AGENT_STATE_OTHER,
    CCGW_EVENT_INVITE_OUTCOME as EVENT_INVITE_OUTCOME,
    CCGW_EVENT_INVITES_SETTLED as EVENT_INVITES_SETTLED,
    CCGW_INVITE_PENDING as INVITE_PENDING,
    CCGW_INVITE_JOINED as INVITE_JOINED,
    CCGW_INVITE_FAILED as INVITE_FAILED,
    CCGW_INVITE_RELEASED as INVITE_RELEASED,
    CCGW_INVITE_NO_ANSWER as INVITE_NO_ANSWER,
    CCGW_INVITE_CONF_ENDED as INVITE_CONF_ENDED,
    CCGW_MODE_LISTEN as MODE_LISTEN,
    CCGW_MODE_SPEAK as MODE_SPEAK,
    CCGW_MODE_LISTEN_SPEAK as MODE_LISTEN_SPEAK,
    CCGW_MODE_NONE as MODE_NONE,
    CCGW_RESOURCE_ADD as RESOURCE_ADD,
    CCGW_RESOURCE_REMOVE as RESOURCE_REMOVE,
    CCGW_LOST_QUEUE_BYTES as LOST_QUEUE_BYTES,
    CCGW_LOST_QUEUE_FULL as LOST_QUEUE_FULL,
    CCGW_LOST_TOO_LARGE as LOST_TOO_LARGE,
    # High availability: staying signed in, gaps, resynchronisation.
    CCGW_EVENT_SESSION_LOST as EVENT_SESSION_LOST,
    CCGW_EVENT_SIGNING_IN_AGAIN as EVENT_SIGNING_IN_AGAIN,
    CCGW_EVENT_SIGNED_IN_AGAIN as EVENT_SIGNED_IN_AGAIN,
    CCGW_EVENT_SIGN_IN_AGAIN_FAILED as EVENT_SIGN_IN_AGAIN_FAILED,
    CCGW_EVENT_SNAPSHOT as EVENT_SNAPSHOT,
    CCGW_LOST_POLL_FAILED as LOST_POLL_FAILED,
    CCGW_LOST_FAILOVER as LOST_FAILOVER,
    CCGW_LOST_SIGN_IN_AGAIN as LOST_SIGN_IN_AGAIN,
)
# Issue 11 (fail-over): what a status means for the operation.
from ._constants import (
    CCGW_OUTCOME_MAY_HAVE_RUN as OUTCOME_MAY_HAVE_RUN,
    CCGW_OUTCOME_NOT_SENT as OUTCOME_NOT_SENT,
    CCGW_OUTCOME_OK as OUTCOME_OK,
    CCGW_OUTCOME_REFUSED as OUTCOME_REFUSED,
)
from ._ffi import LIBRARY_ENV, lib as _lib
from .errors import (
    ArgumentError,
    BusyError,
    CancelledError,
    CcgwError,
    CcgwTimeoutError,
    ClosedError,
    ForkedError,
    GatewayError,
    InternalError,
    NotSignedInError,
    ResponseTimeoutError,
    TransportError,
    WrongThreadError,
    status_outcome,
    status_retryable,
    status_str,
)
from .logs import route_logs, stop_logs
from .session import (
    CancelToken,
    InviteTracker,
    Session,
    dispatch_options,
    global_shutdown,
    registered_callbacks,
    set_dispatch_options,
)
from .types import (
    Address,
    AgentStatus,
    CallInfo,
    Conference,
    DispatchOptions,
    Event,
    InviteOutcome,
    InviteResults,
    Invitee,
    Participant,
    SignInResult,
    Snapshot,
    ViewConference,
    ViewParticipant,
)

__version__ = "0.1.0"


def library_version() -> str:
    """The loaded libccgw's version, ``MAJOR.MINOR.PATCH``."""
    v: bytes = _lib.ccgw_version()
    return v.decode()


def library_path() -> str:
    """The path (or name) the shared library was loaded from."""
    return str(_lib._name)


route_logs()

__all__ = [
    "EVENT_AGENT_STATE_BUSY",
    "EVENT_AGENT_STATE_NOT_READY",
    "EVENT_AGENT_STATE_OTHER",
    "EVENT_AGENT_STATE_READY",
    "EVENT_AGENT_STATE_WORK",
    "EVENT_CALL_HOLD",
    "EVENT_CALL_OUT_FAIL",
    "EVENT_CALL_RELEASE",
    "EVENT_CALL_RINGING",
    "EVENT_CALL_TALKING",
    "EVENT_CONNECT_FAIL",
    "EVENT_CUSTOMER_ALERTING",
    "EVENT_INVITES_SETTLED",
    "EVENT_INVITE_OUTCOME",
    "EVENT_PHONE_ALERTING",
    "EVENT_PHONE_OFFHOOK",
    "EVENT_PHONE_RELEASE",
    "EVENT_SHUTDOWN_SERVICE",
    "INVITE_CONF_ENDED",
    "INVITE_FAILED",
    "INVITE_JOINED",
    "INVITE_NO_ANSWER",
    "INVITE_PENDING",
    "INVITE_RELEASED",
    "MODE_LISTEN",
    "MODE_LISTEN_SPEAK",
    "MODE_NONE",
    "MODE_SPEAK",
    "RESOURCE_ADD",
    "RESOURCE_REMOVE",
    "Address",
    "AgentStatus",
    "CallInfo",
    "InviteOutcome",
    "InviteResults",
    "InviteTracker",
    "ViewConference",
    "ViewParticipant",
    "ADDRESS_AGENT",
    "ADDRESS_PHONE",
    "AUTH_DYNAMIC",
    "AUTH_STATIC",
    "EVENT_CONFERENCE",
    "EVENT_CONF_PARTICIPANT_CHANGED",
    "EVENT_CONF_REQUEST_FAILED",
    "EVENT_CONF_REQUEST_SUCCESS",
    "EVENT_EVENTS_LOST",
    "EVENT_MALFORMED",
    "EVENT_OTHER",
    "EVENT_PUMP_ERROR",
    "EVENT_PUMP_RECOVERED",
    "EVENT_PUMP_STOPPED",
    "LIBRARY_ENV",
    "LOST_QUEUE_BYTES",
    "LOST_QUEUE_FULL",
    "LOST_TOO_LARGE",
    "EVENT_SESSION_LOST",
    "EVENT_SIGNING_IN_AGAIN",
    "EVENT_SIGNED_IN_AGAIN",
    "EVENT_SIGN_IN_AGAIN_FAILED",
    "EVENT_SNAPSHOT",
    "LOST_POLL_FAILED",
    "LOST_FAILOVER",
    "LOST_SIGN_IN_AGAIN",
    "Snapshot",
    "ArgumentError",
    "BusyError",
    "CancelToken",
    "CancelledError",
    "CcgwError",
    "CcgwTimeoutError",
    "ClosedError",
    "Conference",
    "DispatchOptions",
    "Event",
    "ForkedError",
    "GatewayError",
    "InternalError",
    "Invitee",
    "NotSignedInError",
    "Participant",
    "ResponseTimeoutError",
    "Session",
    "SignInResult",
    "TransportError",
    "WrongThreadError",
    "constants",
    "dispatch_options",
    "global_shutdown",
    "library_path",
    "library_version",
    "registered_callbacks",
    "route_logs",
    "set_dispatch_options",
    "status_str",
    "stop_logs",
    # issue 11 (fail-over)
    "OUTCOME_MAY_HAVE_RUN",
    "OUTCOME_NOT_SENT",
    "OUTCOME_OK",
    "OUTCOME_REFUSED",
    "status_outcome",
    "status_retryable",
]
