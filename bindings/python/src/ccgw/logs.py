"""Routes the library's log records into Python :mod:`logging` (logger ``"ccgw"``).

The library calls the registered callback on whichever thread produces a record: a thread
inside a ccgw call or one of the library's own threads. The callback only builds a
:class:`logging.LogRecord` and hands it to the logger, so it is quick and thread-safe as
the library requires; it never calls back into the library. Each record carries the
gateway operation's name (``login``, ``batchAddParticipant``, ...) as the attribute
``ccgw_operation``.

The library filters records before they cross into Python. By default that filter follows
the ``"ccgw"`` logger's effective level: it is compared at every call into the binding (and
every event delivered) and updated when the level changed, so a level the application sets
after import applies from its next call. :func:`route_logs` with a level pins the filter
instead; :func:`stop_logs` turns logging off until :func:`route_logs` is called again.

An exception raised while a record is handled (by a filter or handler of the application)
cannot propagate into the library: it goes to :func:`sys.unraisablehook` (``object`` is
``<ccgw log callback>``). A ``KeyboardInterrupt`` raised there on the main thread is raised
again as soon as the library call returns.
"""

from __future__ import annotations

import atexit
import logging
import threading
from ctypes import c_void_p
from typing import Any

from . import _constants as C
from . import _ffi as F
from . import _wait as W
from .errors import CcgwError, check

logger = logging.getLogger("ccgw")

_TO_PY = {
    C.CCGW_LOG_ERROR: logging.ERROR,
    C.CCGW_LOG_WARN: logging.WARNING,
    C.CCGW_LOG_INFO: logging.INFO,
    C.CCGW_LOG_DEBUG: logging.DEBUG,
    C.CCGW_LOG_TRACE: 5,
}

_lock = threading.Lock()
_keep: dict[int, object] = {}  # registration id -> the ctypes callback object, kept alive
_next_id = 0
#: The filter follows the logger's level (route_logs() without a level); else pinned/off.
_follow = True
#: The ccgw level registered now (None: not known yet).
_routed: int | None = None


def _level_for(py_level: int) -> int:
    """The most verbose ccgw level whose records ``py_level`` lets through."""
    if py_level <= 5:
        return C.CCGW_LOG_TRACE
    if py_level <= logging.DEBUG:
        return C.CCGW_LOG_DEBUG
    if py_level <= logging.INFO:
        return C.CCGW_LOG_INFO
    if py_level <= logging.WARNING:
        return C.CCGW_LOG_WARN
    if py_level <= logging.CRITICAL:
        return C.CCGW_LOG_ERROR
    return C.CCGW_LOG_OFF


class _LogCallback:
    """The log callback. An exception raised while the record is handled goes (through
    ctypes) to ``sys.unraisablehook``; a KeyboardInterrupt on the main thread is raised
    again when the library call returns (``_wait``)."""

    def __call__(self, _userdata: int | None, record: Any) -> None:
        try:
            rec = record.contents
            level = _TO_PY.get(rec.level, logging.DEBUG)
            if not logger.isEnabledFor(level):
                return
            op = rec.operation.decode("utf-8", "replace") if rec.operation else ""
            msg = rec.message.decode("utf-8", "replace") if rec.message else ""
            logger.log(level, "%s: %s", op, msg, extra={"ccgw_operation": op})
        except KeyboardInterrupt:
            if not W.defer_interrupt():
                raise

    def __repr__(self) -> str:
        return "<ccgw log callback>"


_on_record = _LogCallback()


def _on_free(userdata: int | None) -> None:
    with _lock:
        _keep.pop(userdata or 0, None)


# Module-level, never released: the library may call it at any time while registered.
_C_CALLBACK = F.ccgw_log_callback(_on_record)
_C_FREE = F.ccgw_userdata_free(_on_free)


def _register(max_level: int) -> None:
    """Registers the callback at ``max_level`` (a CCGW_LOG_* level; OFF unregisters)."""
    global _next_id, _routed
    if max_level == C.CCGW_LOG_OFF:
        check(F.lib.ccgw_set_log_callback(C.CCGW_LOG_OFF, F.ccgw_log_callback(), None, F.ccgw_userdata_free()))
        _routed = C.CCGW_LOG_OFF
        return
    with _lock:
        _next_id += 1
        reg = _next_id
        _keep[reg] = _C_CALLBACK
    check(F.lib.ccgw_set_log_callback(max_level, _C_CALLBACK, c_void_p(reg), _C_FREE))
    _routed = max_level


def route_logs(level: int | None = None) -> None:
    """Routes library records at ``level`` (a :mod:`logging` level) and above to the
    ``"ccgw"`` logger, replacing any log callback registered before (including one a host
    program set through the C API). ``None`` (what the package does at import) makes the
    library's filter follow the logger's effective level from then on; a level pins it."""
    global _follow
    with _sync_lock:
        _follow = level is None
        _register(_level_for(logger.getEffectiveLevel() if level is None else level))


_sync_lock = threading.Lock()


def sync_level() -> None:
    """Brings the library's filter in line with the logger's effective level, when it
    follows it (see the module documentation). Cheap when nothing changed; never raises."""
    if not _follow or W.in_forked_child():
        return
    wanted = _level_for(logger.getEffectiveLevel())
    if wanted == _routed:
        return
    try:
        with _sync_lock:
            if _follow and wanted != _routed:
                _register(wanted)
    except CcgwError:
        pass


def stop_logs() -> None:
    """Unregisters the log callback (the library then logs nowhere unless ``CCGW_LOG`` was
    set) until :func:`route_logs` is called again."""
    global _follow, _routed
    _follow = False
    if W.in_forked_child():
        return  # the library refuses every call there; nothing of ours runs
    F.lib.ccgw_set_log_callback(C.CCGW_LOG_OFF, F.ccgw_log_callback(), None, F.ccgw_userdata_free())
    _routed = C.CCGW_LOG_OFF


# Library threads may still log while the interpreter shuts down: unregister first.
atexit.register(stop_logs)
