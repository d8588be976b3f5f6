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
    CCGW_LOST_QUEUE_BYTES as LOST_QUEUE_BYTES,
    CCGW_LOST_QUEUE_FULL as LOST_QUEUE_FULL,
    CCGW_LOST_TOO_LARGE as LOST_TOO_LARGE,
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
    status_str,
)
from .logs import route_logs, stop_logs
from .session import CancelToken, Session, global_shutdown, registered_callbacks
from .types import Conference, Event, Invitee, Participant, SignInResult

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
    "ArgumentError",
    "BusyError",
    "CancelToken",
    "CancelledError",
    "CcgwError",
    "CcgwTimeoutError",
    "ClosedError",
    "Conference",
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
    "global_shutdown",
    "library_path",
    "library_version",
    "registered_callbacks",
    "route_logs",
    "status_str",
    "stop_logs",
]
