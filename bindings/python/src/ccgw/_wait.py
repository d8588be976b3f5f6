"""Interruptible waits, callback exceptions, and fork safety.

Python runs signal handlers (``KeyboardInterrupt`` on Ctrl-C) on the main thread only,
and only between bytecodes: a main thread blocked inside a foreign call would not see
Ctrl-C until the call returned. So a blocking library call made on the main thread runs
on a helper thread (:func:`run`) while the main thread waits in short slices, where a
signal handler can run; on an exception from the wait (``KeyboardInterrupt``, or whatever
a handler raised) the call is cancelled through its own ``ccgw_cancel`` token and the
exception is raised once the call has returned (promptly: cancellation is immediate). A
call that cannot be cancelled (waiting for an event callback to return) is left to finish
on its helper in the background, and the exception is raised at once. Calls on other
threads run directly: signals never interrupt them.

Exceptions raised in a callback the library calls (event callback, log callback) cannot
propagate into the library: ctypes hands them to :func:`sys.unraisablehook` (by default
printed to ``sys.stderr`` with the traceback). A ``KeyboardInterrupt`` that Ctrl-C raises
inside a callback running on the main thread (a log record of a call made there) would be
lost that way: the callback keeps it (:func:`defer_interrupt`) and the binding raises it
as soon as the library call returns (:func:`raise_pending`).

Fork: in a forked child the library's threads are gone; :func:`in_forked_child` tells the
binding to leave library handles alone there (no close at exit, no free).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Longest slice the main thread waits before looking at signals again, seconds.
SLICE = 0.1

_PID = os.getpid()


def in_forked_child() -> bool:
    """True in a process forked after this module was imported."""
    return os.getpid() != _PID


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class _Job(Generic[T]):
    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.fn()
        except BaseException as e:  # handed to the waiting thread
            self.error = e
        finally:
            self.done.set()

    def result(self) -> T:
        if self.error is not None:
            err, self.error = self.error, None
            raise err
        value: T = self.value
        return value


class _Helper:
    """A daemon thread running jobs for the main thread, one at a time."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="ccgw-call", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            job.run()
            del job
            if not _release(self):
                return


#: Helpers kept for reuse; more may run at once (a signal handler on the main thread may
#: make a call while another waits), the extra ones end when done.
_IDLE_MAX = 2
_idle: list[_Helper] = []
_idle_lock = threading.Lock()


def _release(helper: _Helper) -> bool:
    """Puts a helper back for reuse; False when enough are idle (the helper then ends)."""
    with _idle_lock:
        if len(_idle) < _IDLE_MAX:
            _idle.append(helper)
            return True
    return False


def _submit(job: _Job[Any]) -> bool:
    """Hands ``job`` to a helper; False when no thread can be started (at interpreter
    shutdown, e.g. in an atexit handler, Python refuses new threads)."""
    with _idle_lock:
        helper = _idle.pop() if _idle else None
    if helper is None:
        try:
            helper = _Helper()
        except RuntimeError:
            return False
    helper.jobs.put(job)
    return True


def run(fn: Callable[[], T], cancel: Callable[[], None] | None = None) -> T:
    """Runs ``fn`` (a blocking library call, with its last-error reading) so that the main
    thread stays interruptible; see the module documentation. ``cancel`` makes ``fn``
    return promptly; without it, an interrupted ``fn`` finishes in the background."""
    if not on_main_thread():
        return fn()
    job: _Job[T] = _Job(fn)
    if not _submit(job):
        return fn()
    try:
        while not job.done.wait(SLICE):
            pass
    except BaseException:
        if cancel is not None:
            cancel()
            _wait_quietly(job)
        raise
    return job.result()


def _wait_quietly(job: _Job[Any]) -> None:
    """Waits for a cancelled job; a further interrupt meanwhile is dropped (the first one
    is being raised)."""
    while True:
        try:
            if job.done.wait(SLICE):
                return
        except KeyboardInterrupt:
            continue


# A KeyboardInterrupt caught inside a callback on the main thread, raised again once the
# library call returns (main thread only).
_interrupt_pending = False


def defer_interrupt() -> bool:
    """Called with a KeyboardInterrupt caught in a callback: on the main thread, keeps it
    for :func:`raise_pending` and returns True; elsewhere returns False (re-raise it)."""
    global _interrupt_pending
    if not on_main_thread():
        return False
    _interrupt_pending = True
    return True


def raise_pending() -> None:
    """Raises the KeyboardInterrupt a callback kept (on the main thread), if any. Called
    after every library call the main thread makes."""
    global _interrupt_pending
    if _interrupt_pending and on_main_thread():
        _interrupt_pending = False
        raise KeyboardInterrupt


def _after_fork_in_child() -> None:
    global _idle_lock
    # The helpers did not survive the fork, and the lock may have been held by one.
    _idle_lock = threading.Lock()
    _idle.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
