"""Routes the library's log records into Python :mod:`logging` (logger ``"ccgw"``).

The library calls the registered callback on whichever thread produces a record: a thread
inside a ccgw call or one of the library's own threads. The callback only builds a
:class:`logging.LogRecord` and hands it to the logger, so it is quick and thread-safe as
the library requires; it never calls back into the library. Each record carries the
gateway operation's name (``login``, ``batchAddParticipant``, ...) as the attribute
``ccgw_operation``.
"""

from __future__ import annotations

import atexit
import logging
import threading
from ctypes import c_void_p
from typing import Any

from . import _constants as C
from . import _ffi as F
from .errors import check

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


def _on_record(_userdata: int | None, record: Any) -> None:
    try:
        rec = record.contents
        level = _TO_PY.get(rec.level, logging.DEBUG)
        if not logger.isEnabledFor(level):
            return
        op = rec.operation.decode("utf-8", "replace") if rec.operation else ""
        msg = rec.message.decode("utf-8", "replace") if rec.message else ""
        logger.log(level, "%s: %s", op, msg, extra={"ccgw_operation": op})
    except Exception:  # never let an exception cross into the library
        pass


def _on_free(userdata: int | None) -> None:
    with _lock:
        _keep.pop(userdata or 0, None)


# Module-level, never released: the library may call it at any time while registered.
_C_CALLBACK = F.ccgw_log_callback(_on_record)
_C_FREE = F.ccgw_userdata_free(_on_free)


def route_logs(level: int | None = None) -> None:
    """Routes library records at ``level`` (a :mod:`logging` level) and above to the
    ``"ccgw"`` logger. ``None`` takes the logger's effective level. Replaces any log
    callback registered before (including one a host program set through the C API).
    Called with ``None`` when the package is imported; call it again after changing the
    logger's level to let more (or fewer) records cross from the library."""
    global _next_id
    if level is None:
        level = logger.getEffectiveLevel()
    max_level = _level_for(level)
    with _lock:
        _next_id += 1
        reg = _next_id
        _keep[reg] = _C_CALLBACK
    if max_level == C.CCGW_LOG_OFF:
        check(F.lib.ccgw_set_log_callback(C.CCGW_LOG_OFF, F.ccgw_log_callback(), None, F.ccgw_userdata_free()))
        with _lock:
            _keep.pop(reg, None)
        return
    check(F.lib.ccgw_set_log_callback(max_level, _C_CALLBACK, c_void_p(reg), _C_FREE))


def stop_logs() -> None:
    """Unregisters the log callback (the library then logs nowhere unless ``CCGW_LOG`` was set)."""
    F.lib.ccgw_set_log_callback(C.CCGW_LOG_OFF, F.ccgw_log_callback(), None, F.ccgw_userdata_free())


# Library threads may still log while the interpreter shuts down: unregister first.
atexit.register(stop_logs)
