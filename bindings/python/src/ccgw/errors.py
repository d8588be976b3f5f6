"""Exceptions raised by the binding, one class per group of ``ccgw_status`` codes.

Every failing library call raises a :class:`CcgwError` subclass carrying the status, the
library's one-line message, the gateway ``retcode`` (``""`` when the failure did not come
from the gateway), the HTTP status of the answer (0 when none arrived) and the CTI code of
an ``Unknown ERROR._<digits>`` gateway message (0 when none); ``outcome`` says what the
status means for the operation (:func:`status_outcome`). They are read
from the library's per-thread last error right after the failing call, on the same thread.
"""

from __future__ import annotations

import builtins

from . import _constants as C
from ._ffi import lib
from ._wait import raise_pending


class CcgwError(Exception):
    """A ccgw call failed. ``status`` is the ``CCGW_E_*`` code."""

    def __init__(
        self, status: int, message: str = "", retcode: str = "", http_status: int = 0, cti_code: int = 0
    ) -> None:
        self.status = status
        self.message = message
        self.retcode = retcode
        self.http_status = http_status
        #: The CTI-platform code of an ``Unknown ERROR._<digits>`` gateway message; 0 when none.
        self.cti_code = cti_code
        text = f"[{status}] {message or status_str(status)}"
        if retcode:
            text += f" (retcode {retcode})"
        super().__init__(text)

    @property
    def status_name(self) -> str:
        """The ``CCGW_E_*`` name of the status, or ``""`` for an unnamed gateway code."""
        return _STATUS_NAMES.get(self.status, "")

    @property
    def outcome(self) -> int:
        """What the status means for the operation: ``CCGW_OUTCOME_NOT_SENT``,
        ``CCGW_OUTCOME_REFUSED`` or ``CCGW_OUTCOME_MAY_HAVE_RUN`` (:func:`status_outcome`)."""
        return status_outcome(self.status)

    @property
    def retryable(self) -> bool:
        """Whether calling again unchanged may succeed without doing the operation twice
        (:func:`status_retryable`)."""
        return status_retryable(self.status)


class ArgumentError(CcgwError, ValueError):
    """An argument was refused before anything was sent (statuses 1-8)."""


class TransportError(CcgwError):
    """The gateway could not be reached, or its answer was unusable (statuses 100-113)."""


class ResponseTimeoutError(TransportError, builtins.TimeoutError):
    """The request was sent but no answer came in time; the outcome is unknown (103)."""


class GatewayError(CcgwError):
    """The gateway refused the request; ``retcode`` holds its code (e.g. ``"101-002"``)."""


class NotSignedInError(CcgwError):
    """The session has no Guid: sign in (or attach a Guid) first; nothing was sent (200)."""


class ClosedError(CcgwError):
    """The session was closed before or during the call (201)."""


class CancelledError(CcgwError):
    """The call was cancelled through its :class:`ccgw.CancelToken` (202)."""


class WrongThreadError(CcgwError):
    """A blocking call was made on a thread where it must not block (203)."""


class CcgwTimeoutError(CcgwError, builtins.TimeoutError):
    """A wait ended at its timeout without a result (205)."""


class BusyError(CcgwError):
    """The object is busy in a way that refuses the call, e.g. events already started (206)."""


class InternalError(CcgwError):
    """A library-internal error (panic caught, fork, should-not-happen) (204, 900, 901)."""


class ForkedError(InternalError):
    """The process was forked after the library started its threads; the library refuses
    every call in the child (204). Use ccgw in the parent only, or exec in the child."""


_STATUS_NAMES = {v: k for k, v in vars(C).items() if k.startswith("CCGW_E_") and isinstance(v, int)}
_STATUS_NAMES.pop(C.CCGW_E_GW_BASE, None)
_STATUS_NAMES.pop(C.CCGW_E_GW_NUMERIC_BASE, None)

_EXACT: dict[int, type[CcgwError]] = {
    C.CCGW_E_RESPONSE_TIMEOUT: ResponseTimeoutError,
    C.CCGW_E_NOT_SIGNED_IN: NotSignedInError,
    C.CCGW_E_CLOSED: ClosedError,
    C.CCGW_E_CANCELLED: CancelledError,
    C.CCGW_E_WRONG_THREAD: WrongThreadError,
    C.CCGW_E_FORKED: ForkedError,
    C.CCGW_E_TIMEOUT: CcgwTimeoutError,
    C.CCGW_E_BUSY: BusyError,
    C.CCGW_E_PANIC: InternalError,
    C.CCGW_E_INTERNAL: InternalError,
    C.CCGW_E_GATEWAY: GatewayError,
}


def status_str(status: int) -> str:
    """The library's English description of any status number."""
    text: bytes = lib.ccgw_status_str(status)
    return text.decode("utf-8", "replace")


def status_outcome(status: int) -> int:
    """What ``status`` means for the operation that returned it (``ccgw_status_outcome``):
    ``CCGW_OUTCOME_OK``, ``CCGW_OUTCOME_NOT_SENT`` (nothing reached the gateway),
    ``CCGW_OUTCOME_REFUSED`` (answered, not carried out) or ``CCGW_OUTCOME_MAY_HAVE_RUN``."""
    outcome: int = lib.ccgw_status_outcome(status)
    return outcome


def status_retryable(status: int) -> bool:
    """Whether calling again unchanged, after a pause, may succeed and surely cannot do the
    operation twice (``ccgw_status_retryable``)."""
    return bool(lib.ccgw_status_retryable(status))


def error_class(status: int) -> type[CcgwError]:
    """The exception class for a non-zero status."""
    if status in _EXACT:
        return _EXACT[status]
    if 1 <= status <= 99:
        return ArgumentError
    if 100 <= status <= 199:
        return TransportError
    if lib.ccgw_status_is_gateway(status):
        return GatewayError
    return CcgwError


def last_error(status: int) -> CcgwError:
    """The exception for ``status`` with this thread's last-error detail. Call it right
    after the failing call, on the same thread, before any other ccgw call."""
    message: bytes = lib.ccgw_last_error_message()
    retcode: bytes = lib.ccgw_last_error_retcode()
    http_status: int = lib.ccgw_last_error_http_status()
    cti_code: int = lib.ccgw_last_error_cti_code()
    return error_class(status)(
        status,
        message.decode("utf-8", "replace"),
        retcode.decode("utf-8", "replace"),
        http_status,
        cti_code,
    )


def check(status: int) -> None:
    """Raises the mapped exception unless ``status`` is ``CCGW_OK`` (or a KeyboardInterrupt
    a callback kept during the call: ``_wait.raise_pending``)."""
    if status != C.CCGW_OK:
        err = last_error(status)
        raise_pending()
        raise err
    raise_pending()
