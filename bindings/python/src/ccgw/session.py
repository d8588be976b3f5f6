"""The agent session: sign-in and Guid, the agent-conference family, the calls a
conference is built from, call data, the live conference view, invite trackers, the
generic request and events."""

from __future__ import annotations

import atexit
import itertools
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from ctypes import POINTER, byref, c_char_p, c_int32, c_int64, c_uint8, c_void_p, string_at
from types import TracebackType
from typing import Any, TypeVar

from . import _constants as C
from . import _ffi as F
from . import _wait as W
from . import logs as _logs
from .errors import ArgumentError, CcgwTimeoutError, ClosedError, check, last_error
from .types import (
    Address,
    AgentStatus,
    CallInfo,
    Conference,
    DispatchOptions,
    Event,
    InviteResults,
    Invitee,
    SignInResult,
    Snapshot,
    ViewConference,
)

lib = F.lib
T = TypeVar("T")

EventCallback = Callable[[Event], None]


def _enc(value: str | None, name: str) -> bytes | None:
    """UTF-8 bytes of an input string; refuses what C could not see correctly."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "\0" in value:
        raise ArgumentError(C.CCGW_E_INVALID_ARGUMENT, f"{name} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ArgumentError(C.CCGW_E_INVALID_UTF8, f"{name} is not valid UTF-8: {e}") from None


def _tri(value: bool | int | None) -> int:
    return C.CCGW_UNSET if value is None else int(value)


def _ms(seconds: float | None, name: str) -> int:
    if seconds is None:
        return 0
    if seconds < 0:
        raise ArgumentError(C.CCGW_E_OUT_OF_RANGE, f"{name} must not be negative")
    return min(int(round(seconds * 1000)), 0xFFFFFFFE)


def _take_string(ptr: c_void_p) -> str:
    """Copies a library-allocated string, then frees it with ccgw_string_free."""
    try:
        return string_at(ptr.value).decode("utf-8") if ptr.value else ""
    finally:
        lib.ccgw_string_free(ptr)


class CancelToken:
    """A cancellation token (``ccgw_cancel``): pass it as ``cancel=`` to any blocking call;
    :meth:`cancel` from any thread makes those calls raise :class:`CancelledError`. Use it
    as a context manager, or call :meth:`free` once no call uses it any more."""

    def __init__(self) -> None:
        h = POINTER(F.ccgw_cancel)()
        check(lib.ccgw_cancel_new(byref(h)))
        self._h: Any = h
        self._lock = threading.Lock()
        self._cancelled = False
        # Per-call tokens of calls made with this token on the main thread (see _call).
        self._linked: set[Any] = set()

    def cancel(self) -> None:
        with self._lock:
            if self._h is None:
                raise ClosedError(C.CCGW_E_CLOSED, "the cancel token was freed")
            self._cancelled = True
            check(lib.ccgw_cancel_cancel(self._h))
            for t in self._linked:
                lib.ccgw_cancel_cancel(t)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _link(self, token: Any) -> None:
        """Makes :meth:`cancel` cancel ``token`` too (at once if already cancelled)."""
        with self._lock:
            if self._h is None:
                raise ClosedError(C.CCGW_E_CLOSED, "the cancel token was freed")
            self._linked.add(token)
            if self._cancelled:
                lib.ccgw_cancel_cancel(token)

    def _unlink(self, token: Any) -> None:
        with self._lock:
            self._linked.discard(token)

    def free(self) -> None:
        with self._lock:
            h, self._h = self._h, None
        if h is not None and not W.in_forked_child():
            lib.ccgw_cancel_free(h)

    def __enter__(self) -> CancelToken:
        return self

    def __exit__(self, *exc: object) -> None:
        self.free()


def _call_options(timeout: float | None, cancel: Any) -> Any:
    """``ccgw_call_options`` for a call, or None for the defaults; ``cancel`` is a
    ``ccgw_cancel`` handle or None."""
    if timeout is None and cancel is None:
        return None
    o = F.ccgw_call_options()
    check(lib.ccgw_call_options_init(byref(o), C.CCGW_CALL_OPTIONS_VERSION))
    o.timeout_ms = _ms(timeout, "timeout")
    if cancel is not None:
        o.cancel = cancel
    return byref(o)


def _participants(invitees: Sequence[Invitee]) -> Any:
    arr = (F.ccgw_participant * max(len(invitees), 1))()
    for i, inv in enumerate(invitees):
        arr[i].address_type = inv.address_type
        arr[i].address = _enc(inv.address, f"invitees[{i}].address")
        arr[i].device_call_type = _tri(inv.device_call_type)
        arr[i].device_type = _tri(inv.device_type)
    return arr


def _batch_add_request(
    arr: Any, count: int, beep_tone: bool | None, play_mode: int | None, voice_path: str | None, caller: str | None
) -> Any:
    r = F.ccgw_batch_add_request()
    check(lib.ccgw_batch_add_request_init(byref(r), C.CCGW_BATCH_ADD_REQUEST_VERSION))
    r.participants = arr
    r.participant_count = count
    r.beep_tone = _tri(beep_tone)
    r.play_mode = _tri(play_mode)
    r.voice_path = _enc(voice_path, "voice_path")
    r.caller = _enc(caller, "caller")
    return r


def _call_infos(out: Any) -> list[CallInfo]:
    try:
        lst = out.contents
        return [CallInfo._from_c(lst.calls[i]) for i in range(lst.count)]
    finally:
        lib.ccgw_call_info_list_free(out)


class InviteTracker:
    """The per-invitee outcomes of one batch invitation
    (:meth:`Session.batch_add_participant_tracked`, ``ccgw_invite_tracker``).

    Use it blocking (:meth:`wait`, then :meth:`results`) or from the event stream: after the
    event that settles an invitee the session's events include ``EVENT_INVITE_OUTCOME``
    (``tracker_id``, ``participant``, ``outcome``, ...), and ``EVENT_INVITES_SETTLED`` when
    none is pending. The deadline settles the rest as ``INVITE_NO_ANSWER``. Use it as a
    context manager, or call :meth:`free` (waits on other threads must have returned)."""

    def __init__(self, handle: Any) -> None:
        self._h: Any = handle
        self.id: int = int(lib.ccgw_invite_tracker_id(handle))

    def _handle(self) -> Any:
        if self._h is None:
            raise ClosedError(C.CCGW_E_CLOSED, "the tracker was freed")
        return self._h

    def wait(self, timeout: float | None = None) -> bool:
        """Waits until no invitee is pending (at the latest at the deadline), at most
        ``timeout`` seconds (None: until then). True when every invitee is settled, False
        when ``timeout`` passed first; raises :class:`ClosedError` when the session closed."""
        ms = C.CCGW_WAIT_FOREVER if timeout is None else _ms(timeout, "timeout")
        h = self._handle()
        if not W.on_main_thread():
            st = lib.ccgw_invite_tracker_wait(h, ms)
            if st == C.CCGW_E_TIMEOUT:
                return False
            check(st)
            return True
        # On the main thread the wait goes in slices of 0.1 s, so Ctrl-C gets through.
        end = None if timeout is None else time.monotonic() + ms / 1000
        while True:
            left = 100 if end is None else max(0, min(100, int((end - time.monotonic()) * 1000)))
            st = lib.ccgw_invite_tracker_wait(h, left)
            if st != C.CCGW_E_TIMEOUT:
                check(st)
                return True
            if end is not None and time.monotonic() >= end:
                return False

    def results(self) -> InviteResults:
        """A consistent copy of the outcomes so far."""
        out = POINTER(F.ccgw_invite_results)()
        check(lib.ccgw_invite_tracker_results(self._handle(), byref(out)))
        try:
            return InviteResults._from_c(out.contents)
        finally:
            lib.ccgw_invite_results_free(out)

    def free(self) -> None:
        h, self._h = self._h, None
        if h is not None:
            lib.ccgw_invite_tracker_free(h)

    def __enter__(self) -> InviteTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.free()

    def __del__(self) -> None:
        try:
            self.free()
        except Exception:
            pass
def _live_token(cancel: CancelToken) -> Any:
    if cancel._h is None:
        raise ClosedError(C.CCGW_E_CLOSED, "the cancel token was freed")
    return cancel._h


# Per-call cancel tokens of main-thread calls (so Ctrl-C can cancel them), reused while
# uncancelled.
_tokens: list[Any] = []
_tokens_lock = threading.Lock()


def _token_acquire() -> Any:
    with _tokens_lock:
        if _tokens:
            return _tokens.pop()
    h = POINTER(F.ccgw_cancel)()
    check(lib.ccgw_cancel_new(byref(h)))
    return h


def _token_release(h: Any, cancelled: bool) -> None:
    if cancelled:
        lib.ccgw_cancel_free(h)
        return
    with _tokens_lock:
        if len(_tokens) < 8:
            _tokens.append(h)
            return
    lib.ccgw_cancel_free(h)


def _forget_tokens_in_child() -> None:
    global _tokens_lock
    _tokens_lock = threading.Lock()
    _tokens.clear()  # the parent's; never freed here


os.register_at_fork(after_in_child=_forget_tokens_in_child)


# Event callbacks: registration id -> (ctypes callback object, user function). The library
# calls the shared _EVENT_FREE with the id once it will not call the callback again; only
# then is the entry (and the ctypes object) released.
_callbacks: dict[int, tuple[Any, EventCallback]] = {}
_callbacks_lock = threading.Lock()
_ids = itertools.count(1)
_dispatch = threading.local()  # .session_ids: sessions whose dispatch thread this is


def _on_event_free(userdata: int | None) -> None:
    with _callbacks_lock:
        _callbacks.pop(userdata or 0, None)


_EVENT_FREE = F.ccgw_userdata_free(_on_event_free)

# Live sessions, closed at interpreter exit so no library thread calls into Python late.
_live: weakref.WeakSet[Session] = weakref.WeakSet()

# Threads freeing a session that was closed inside its own event callback.
_deferred: set[threading.Thread] = set()
_deferred_lock = threading.Lock()


class Session:
    """An agent session (``ccgw_session``): one agent on one gateway (or cluster).

    Use it as a context manager: leaving the block closes and frees the handle (it does
    not sign the agent out; call :meth:`sign_out` for that). Methods may be called from any
    number of threads at once; blocking ones release the GIL. :meth:`close` may be called
    from any thread at any time: it makes calls in progress raise :class:`ClosedError`,
    waits for them to return, then frees the handle.

    Timeouts are in seconds (float); ``timeout=None`` on a call means the session's request
    timeout. Every blocking method takes ``timeout=`` and ``cancel=`` (a :class:`CancelToken`).

    Ctrl-C: on the main thread every blocking method raises ``KeyboardInterrupt`` within
    about 0.1 s. A gateway call is cancelled first (it raises once the call has returned,
    which is at once); a wait for an event callback to return (:meth:`set_event_callback`,
    :meth:`close`) is left to complete in the background. Waits for events
    (:meth:`next_event`, :meth:`events`, :meth:`wait_event`) simply stop.

    In a process forked from the one that used the library, the library refuses every call
    (:class:`ForkedError`); :meth:`close` then only marks the session closed, and sessions
    are not closed at exit there.
    """

    def __init__(
        self,
        base_url: str,
        agent_id: str,
        *,
        ca_file: str | None = None,
        ca_pem: bytes | str | None = None,
        fallback_urls: Sequence[str] = (),
        agent_id_max: int = 0,
        insecure_accept_any_certificate: bool = False,
        allow_plain_http: bool = False,
        connect_timeout: float | None = None,
        request_timeout: float | None = None,
        auth_mode: int = C.CCGW_AUTH_DYNAMIC,
        pinned_sha256: str | Sequence[str] | None = None,
        pinned_cert_file: str | None = None,
        cookies: bool = True,
        proxy_url: str | None = None,
        proxy_username: str | None = None,
        proxy_password: str | None = None,
        no_proxy: str | Sequence[str] | None = None,
        proxy_from_environment: bool = False,
        switchover_wait: float | None = None,
        failback_after: float | None = None,
        retry_backoff_initial: float | None = None,
        retry_backoff_max: float | None = None,
        retry_rounds: int = 0,
    ) -> None:
        self._lock = threading.Condition()
        self._inflight = 0
        self._closed = False
        self._h: Any = None
        self._cb_id = 0
        self._free_pending = False
        o = F.ccgw_session_options()
        check(lib.ccgw_session_options_init(byref(o), C.CCGW_SESSION_OPTIONS_VERSION))
        keep: list[Any] = []
        o.base_url = _enc(base_url, "base_url")
        o.agent_id = _enc(str(agent_id), "agent_id")
        if fallback_urls:
            arr = (c_char_p * len(fallback_urls))(*[_enc(u, "fallback_urls") for u in fallback_urls])
            keep.append(arr)
            o.fallback_urls = arr
            o.fallback_url_count = len(fallback_urls)
        o.agent_id_max = agent_id_max
        o.ca_file = _enc(ca_file, "ca_file")
        if ca_pem is not None:
            pem = ca_pem.encode("ascii") if isinstance(ca_pem, str) else bytes(ca_pem)
            buf = (c_uint8 * len(pem)).from_buffer_copy(pem)
            keep.append(buf)
            o.ca_pem = buf
            o.ca_pem_len = len(pem)
        o.insecure_accept_any_certificate = insecure_accept_any_certificate
        o.allow_plain_http = allow_plain_http
        o.connect_timeout_ms = _ms(connect_timeout, "connect_timeout")
        o.request_timeout_ms = _ms(request_timeout, "request_timeout")
        o.auth_mode = auth_mode
        if pinned_sha256 is not None and not isinstance(pinned_sha256, str):
            pinned_sha256 = ",".join(pinned_sha256)
        o.pinned_sha256 = _enc(pinned_sha256, "pinned_sha256")
        o.pinned_cert_file = _enc(pinned_cert_file, "pinned_cert_file")
        o.disable_cookies = not cookies
        o.proxy_url = _enc(proxy_url, "proxy_url")
        o.proxy_username = _enc(proxy_username, "proxy_username")
        o.proxy_password = _enc(proxy_password, "proxy_password")
        if no_proxy is not None and not isinstance(no_proxy, str):
            no_proxy = ",".join(no_proxy)
        o.no_proxy = _enc(no_proxy, "no_proxy")
        o.proxy_from_environment = proxy_from_environment
        # Fail-over (version 3; seconds here, ms in C; None or 0: the library's default).
        o.switchover_wait_ms = _ms(switchover_wait, "switchover_wait")
        o.failback_after_ms = _ms(failback_after, "failback_after")
        o.retry_backoff_initial_ms = _ms(retry_backoff_initial, "retry_backoff_initial")
        o.retry_backoff_max_ms = _ms(retry_backoff_max, "retry_backoff_max")
        o.retry_rounds = retry_rounds
        h = POINTER(F.ccgw_session)()
        _logs.sync_level()
        check(lib.ccgw_session_new(byref(o), byref(h)))
        self._h = h
        self._agent_id = str(agent_id)
        _live.add(self)

    # ---- lifetime -------------------------------------------------------------------

    @contextmanager
    def _use(self) -> Iterator[Any]:
        with self._lock:
            if self._closed or self._h is None:
                raise ClosedError(C.CCGW_E_CLOSED, "the session is closed")
            self._inflight += 1
        try:
            yield self._h
        finally:
            with self._lock:
                self._inflight -= 1
                if self._inflight == 0:
                    self._lock.notify_all()
        W.raise_pending()  # a KeyboardInterrupt a log callback kept during the call

    @property
    def closed(self) -> bool:
        return self._closed

    def _call(self, fn: Callable[[Any, Any], T], timeout: float | None, cancel: CancelToken | None) -> T:
        """Runs the gateway call ``fn(handle, call_options)`` (which checks its status).
        On the main thread it runs interruptibly (``_wait.run``) with a token of its own,
        linked to ``cancel``, that Ctrl-C cancels."""
        _logs.sync_level()
        if not W.on_main_thread():
            call = _call_options(timeout, None if cancel is None else _live_token(cancel))
            with self._use() as h:
                return fn(h, call)
        token = _token_acquire()
        interrupted = False

        def interrupt() -> None:
            nonlocal interrupted
            interrupted = True
            lib.ccgw_cancel_cancel(token)

        def job() -> T:
            with self._use() as h:
                return fn(h, call)

        try:
            if cancel is not None:
                cancel._link(token)
            call = _call_options(timeout, token)
            return W.run(job, interrupt)
        finally:
            if cancel is not None:
                cancel._unlink(token)
            _token_release(token, interrupted or (cancel is not None and cancel.cancelled))

    def _wait_call(self, fn: Callable[[Any], T]) -> T:
        """Runs ``fn(handle)``, a call that waits for something other than the gateway (an
        event callback to return); interruptible on the main thread, where it completes in
        the background after an interrupt."""
        _logs.sync_level()

        def job() -> T:
            with self._use() as h:
                return fn(h)

        return W.run(job)

    def close(self) -> None:
        """Closes the session and frees its handle (idempotent). Calls in progress on other
        threads raise :class:`ClosedError`; this waits for them to return. Called from the
        session's own event callback (or when the session is dropped there), it closes now
        and frees the handle right after the callback returns, on a thread of its own."""
        if W.in_forked_child():
            # The library's threads (and any lock they held) are gone: touch nothing.
            self._closed = True
            self._h = None
            return
        with self._lock:
            h = self._h
            if h is None:
                return
            self._closed = True
        try:
            self._close(h)
        finally:
            W.raise_pending()  # a KeyboardInterrupt a log callback kept meanwhile

    def _close(self, h: Any) -> None:
        lib.ccgw_session_close(h)
        if self._on_own_dispatch_thread():
            self._free_after_callback()
            return
        with self._lock:
            while self._inflight:
                self._lock.wait()
            h, self._h = self._h, None
        _live.discard(self)
        if h is not None:
            # Ends the dispatch thread (waiting for a running callback), calls userdata_free.
            W.run(lambda: lib.ccgw_session_free(h))

    def _free_after_callback(self) -> None:
        """Frees the handle once the running event callback (this thread's) has returned:
        ccgw_session_free, called from another thread, waits for it."""
        with self._lock:
            if self._free_pending:
                return
            self._free_pending = True

        def free() -> None:
            try:
                with self._lock:
                    while self._inflight:
                        self._lock.wait()
                    h, self._h = self._h, None
                if h is not None:
                    lib.ccgw_session_free(h)
                _live.discard(self)
            finally:
                with _deferred_lock:
                    _deferred.discard(threading.current_thread())

        t = threading.Thread(target=free, name="ccgw-free", daemon=True)
        with _deferred_lock:
            _deferred.add(t)
        t.start()

    def _on_own_dispatch_thread(self) -> bool:
        return id(self) in getattr(_dispatch, "session_ids", ())

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._h is not None:
                self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"<ccgw.Session agent {self._agent_id}{' closed' if self._closed else ''}>"

    # ---- sign-in and Guid -----------------------------------------------------------

    @property
    def agent_id(self) -> str:
        return self._agent_id

    def sign_in(
        self,
        password: str | None = None,
        phonenum: str | None = None,
        *,
        force: bool = False,
        autoanswer: bool | None = None,
        autoenteridle: bool | None = None,
        releasephone: bool | None = None,
        agenttype: int | None = None,
        status: int | None = None,
        ip: str | None = None,
        entry_ip: str | None = None,
        phonelinkage: bool | None = None,
        check_in_webm: bool | None = None,
        check_in_mailm: bool | None = None,
        vc_phone_number: str | None = None,
        listen_status: bool | None = None,
        auto_resign_in: bool = False,
        allow_forced_resign_in: bool = False,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> SignInResult:
        """Signs the agent in (``login``); with ``force``, an "already signed in" answer is
        followed by forced sign-in (needs ``phonenum``). Options left at None are not sent.
        Start the event pump right after (:meth:`start_events`): it is the keep-alive.

        With ``auto_resign_in`` the library keeps this request (in memory wiped at sign-out
        and close) and the event pump signs in again when the gateway says the session is
        gone, reporting each step as an event (``EVENT_SESSION_LOST``,
        ``EVENT_SIGNING_IN_AGAIN``, ``EVENT_SIGNED_IN_AGAIN``, ``EVENT_SIGN_IN_AGAIN_FAILED``);
        ``allow_forced_resign_in`` lets it sign in by force (needs ``phonenum``)."""
        o = F.ccgw_sign_in_options()
        check(lib.ccgw_sign_in_options_init(byref(o), C.CCGW_SIGN_IN_OPTIONS_VERSION))
        o.password = _enc(password, "password")
        o.phonenum = _enc(phonenum, "phonenum")
        o.autoanswer = _tri(autoanswer)
        o.autoenteridle = _tri(autoenteridle)
        o.releasephone = _tri(releasephone)
        o.agenttype = _tri(agenttype)
        o.status = _tri(status)
        o.ip = _enc(ip, "ip")
        o.entry_ip = _enc(entry_ip, "entry_ip")
        o.phonelinkage = _tri(phonelinkage)
        o.check_in_webm = _tri(check_in_webm)
        o.check_in_mailm = _tri(check_in_mailm)
        o.vc_phone_number = _enc(vc_phone_number, "vc_phone_number")
        o.listen_status = _tri(listen_status)
        o.force = force
        o.auto_resign_in = auto_resign_in
        o.allow_forced_resign_in = allow_forced_resign_in
        out = POINTER(F.ccgw_sign_in_result)()
        try:
            self._call(lambda h, call: check(lib.ccgw_session_sign_in(h, byref(o), call, byref(out))), timeout, cancel)
            return SignInResult._from_c(out.contents)
        finally:
            if out:  # also when interrupted just as the call succeeded
                lib.ccgw_sign_in_result_free(out)

    def sign_out(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Signs the agent out (``logout``), stopping the event pump first."""
        self._call(lambda h, call: check(lib.ccgw_session_sign_out(h, call)), timeout, cancel)

    def update_guid(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Asks the gateway for a fresh Guid and stores it."""
        self._call(lambda h, call: check(lib.ccgw_session_update_guid(h, call)), timeout, cancel)

    def set_guid(self, guid: str) -> None:
        """Attaches a Guid obtained elsewhere (printable ASCII, at most 256 bytes)."""
        g = _enc(guid, "guid")
        with self._use() as h:
            check(lib.ccgw_session_set_guid(h, g))

    @property
    def guid(self) -> str | None:
        """A copy of the current Guid, or None when the session has none. A secret."""
        out = c_void_p()
        with self._use() as h:
            st = lib.ccgw_session_get_guid(h, byref(out))
        if st == C.CCGW_E_NOT_SIGNED_IN:
            return None
        if st != C.CCGW_OK:
            raise last_error(st)
        return _take_string(out)

    # ---- the five operations ----------------------------------------------------------

    def batch_add_participant(
        self,
        invitees: Sequence[Invitee],
        *,
        beep_tone: bool | None = None,
        play_mode: int | None = None,
        voice_path: str | None = None,
        caller: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Invites participants to the agent's conference in one batch
        (``batchAddParticipant``; chairperson only). Joins are reported by
        ``AgentConf_ParticipantChanged`` events."""
        arr = _participants(invitees)
        r = _batch_add_request(arr, len(invitees), beep_tone, play_mode, voice_path, caller)
        self._call(lambda h, call: check(lib.ccgw_batch_add_participant(h, byref(r), call)), timeout, cancel)

    def hold_participant(
        self,
        address: str,
        voice_path: str,
        *,
        address_type: int = C.CCGW_ADDRESS_PHONE,
        play_mode: int | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Holds a participant of the agent's conference, playing it the announcement
        ``voice_path`` (``holdParticipant``; chairperson only)."""
        r = F.ccgw_hold_request()
        check(lib.ccgw_hold_request_init(byref(r), C.CCGW_HOLD_REQUEST_VERSION))
        r.address_type = address_type
        r.address = _enc(address, "address")
        r.play_mode = _tri(play_mode)
        r.voice_path = _enc(voice_path, "voice_path")
        self._call(lambda h, call: check(lib.ccgw_hold_participant(h, byref(r), call)), timeout, cancel)

    def query_conf_infos(
        self, conf_ids: Iterable[int], *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> list[Conference]:
        """Queries conferences by id (``queryConfInfos``, 1 to 20 ids). Conferences the
        agent may not see are absent from the result."""
        ids = [int(i) for i in conf_ids]
        arr = (c_int64 * max(len(ids), 1))(*ids)
        out = POINTER(F.ccgw_conf_list)()
        try:
            self._call(
                lambda h, call: check(lib.ccgw_query_conf_infos(h, arr, len(ids), call, byref(out))), timeout, cancel
            )
            lst = out.contents
            return [Conference._from_c(lst.confs[i]) for i in range(lst.count)]
        finally:
            if out:  # also when interrupted just as the call succeeded
                lib.ccgw_conf_list_free(out)

    def conf_join(
        self,
        callid: str,
        callappdata: str | None = None,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Makes a three-party call from the held call ``callid`` and the active call
        (``confJoin``); reported by ``AgentEvent_Conference``."""
        cid = _enc(callid, "callid")
        data = _enc(callappdata, "callappdata")
        self._call(lambda h, call: check(lib.ccgw_conf_join(h, cid, data, call)), timeout, cancel)

    def third_party_conf_transmit_num(
        self, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """In a call of the agent, a customer and a third-party IVR, passes the customer's
        key presses to the IVR (``thirdPartyConfTransmitNum``)."""
        self._call(lambda h, call: check(lib.ccgw_third_party_conf_transmit_num(h, call)), timeout, cancel)

    # ---- the rest of the agent-conference family ---------------------------------------

    def _op(self, fn: Any, *args: Any, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """A call ``fn(session, *args, call_options)``."""
        self._call(lambda h, call: check(fn(h, *args, call)), timeout, cancel)

    def request_agent_conf(
        self,
        member_num: int,
        *,
        conf_caller_no: str | None = None,
        time: int | None = None,
        prompt_time: int | None = None,
        beep_tone: bool | None = None,
        play_mode: int | None = None,
        voice_path: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Applies for an agent conference with this agent as chair (``requestAgentConf``):
        ``member_num`` 1-120 places, ``time`` 4-1440 minutes, ``prompt_time`` 3-1440. The
        grant arrives as ``AgentConf_RequestSuccess`` (``conf_id``); the live view holds the
        conference from then on."""
        r = F.ccgw_agent_conf_request()
        check(lib.ccgw_agent_conf_request_init(byref(r), C.CCGW_AGENT_CONF_REQUEST_VERSION))
        r.member_num = member_num
        r.conf_caller_no = _enc(conf_caller_no, "conf_caller_no")
        r.time = _tri(time)
        r.prompt_time = _tri(prompt_time)
        r.beep_tone = _tri(beep_tone)
        r.play_mode = _tri(play_mode)
        r.voice_path = _enc(voice_path, "voice_path")
        self._op(lib.ccgw_request_agent_conf, byref(r), timeout=timeout, cancel=cancel)

    def release_agent_conf(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Ends the conference this agent chairs (``releaseAgentConf``)."""
        self._op(lib.ccgw_release_agent_conf, timeout=timeout, cancel=cancel)

    def answer_agent_conf(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Joins the conference this agent is invited to (after ``AgentConf_Ringing``)."""
        self._op(lib.ccgw_answer_agent_conf, timeout=timeout, cancel=cancel)

    def reject_agent_conf(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Declines the conference invitation (``rejectAgentConf``)."""
        self._op(lib.ccgw_reject_agent_conf, timeout=timeout, cancel=cancel)

    def leave_agent_conf(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Leaves the conference this agent joined as a participant (``requestLeaveAgentConf``)."""
        self._op(lib.ccgw_leave_agent_conf, timeout=timeout, cancel=cancel)

    def unhold_participant(
        self,
        address: str,
        *,
        address_type: int = C.CCGW_ADDRESS_PHONE,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Takes a held participant off hold (``unholdParticipant``; chair only)."""
        self._op(lib.ccgw_unhold_participant, address_type, _enc(address, "address"), timeout=timeout, cancel=cancel)

    def batch_remove_participant(
        self, addresses: Sequence[Address], *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> list[Address]:
        """Removes 1-30 participants or pending invitees (``batchRemoveParticipant``; chair
        only). Returns the addresses the gateway did not find in the conference."""
        arr = (F.ccgw_address * max(len(addresses), 1))()
        for i, a in enumerate(addresses):
            arr[i].address_type = a.address_type
            arr[i].address = _enc(a.address, f"addresses[{i}].address")
        out = POINTER(F.ccgw_address_list)()
        self._call(
            lambda h, call: check(lib.ccgw_batch_remove_participant(h, arr, len(addresses), call, byref(out))),
            timeout,
            cancel,
        )
        try:
            lst = out.contents
            return [Address._from_c(lst.addresses[i]) for i in range(lst.count)]
        finally:
            lib.ccgw_address_list_free(out)

    def change_participant_mode(
        self,
        address: str,
        attribute: int,
        *,
        address_type: int = C.CCGW_ADDRESS_PHONE,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Sets what a participant hears and says (``changeParticipantMode``; chair only):
        ``MODE_LISTEN`` (1), ``MODE_SPEAK`` (2), ``MODE_LISTEN_SPEAK`` (3), ``MODE_NONE`` (4)."""
        self._op(
            lib.ccgw_change_participant_mode,
            address_type,
            _enc(address, "address"),
            attribute,
            timeout=timeout,
            cancel=cancel,
        )

    def prolong_time(self, minutes: int, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Extends the conference by ``minutes`` (1-1440, total at most 1440; ``prolongTime``):
        the answer to ``AgentConf_Timeout``."""
        self._op(lib.ccgw_prolong_time, minutes, timeout=timeout, cancel=cancel)

    def shift_president(
        self, dest_agent: str, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """Hands the chair to the joined agent ``dest_agent`` (``applyToShiftPresident``)."""
        self._op(lib.ccgw_shift_president, _enc(str(dest_agent), "dest_agent"), timeout=timeout, cancel=cancel)

    def play_voice_to_participant(
        self,
        address: str,
        voice_path: str,
        *,
        address_type: int = C.CCGW_ADDRESS_PHONE,
        play_mode: int | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Plays an announcement to one participant (``playVoiceToParticipant``; chair only)."""
        self._op(
            lib.ccgw_play_voice_to_participant,
            address_type,
            _enc(address, "address"),
            _tri(play_mode),
            _enc(voice_path, "voice_path"),
            timeout=timeout,
            cancel=cancel,
        )

    def stop_voice_to_participant(
        self,
        address: str,
        *,
        address_type: int = C.CCGW_ADDRESS_PHONE,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Stops the announcement to one participant (``stopVoiceToParticipant``)."""
        self._op(
            lib.ccgw_stop_voice_to_participant, address_type, _enc(address, "address"), timeout=timeout, cancel=cancel
        )

    def play_voice_to_conf(
        self,
        voice_path: str,
        *,
        play_mode: int | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Plays an announcement to the whole conference (``playVoiceToConf``; chair only)."""
        self._op(
            lib.ccgw_play_voice_to_conf, _tri(play_mode), _enc(voice_path, "voice_path"), timeout=timeout, cancel=cancel
        )

    def stop_voice_to_conf(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Stops the announcement to the conference (``stopVoiceToConf``)."""
        self._op(lib.ccgw_stop_voice_to_conf, timeout=timeout, cancel=cancel)

    def modify_conf_resource(
        self, modify_type: int, modify_num: int, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """Adds (``RESOURCE_ADD``) or removes (``RESOURCE_REMOVE``) 2-118 member places
        (``modifyConfResource``; chair only)."""
        self._op(lib.ccgw_modify_conf_resource, modify_type, modify_num, timeout=timeout, cancel=cancel)

    def query_vdn_conf_ids(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> list[int]:
        """The ids of every conference of the agent's VDN (``queryAllConfIds``; inspectors)."""
        out = POINTER(F.ccgw_conf_id_list)()
        self._call(lambda h, call: check(lib.ccgw_query_vdn_conf_ids(h, call, byref(out))), timeout, cancel)
        try:
            lst = out.contents
            return [lst.conf_ids[i] for i in range(lst.count)]
        finally:
            lib.ccgw_conf_id_list_free(out)

    # ---- the live conference view and invite trackers ------------------------------------

    def conf_view(self) -> list[ViewConference]:
        """A consistent snapshot of the live conference view: each conference this agent
        chairs or is in, as the session's events and own operations have told it. A
        snapshot taken after an event was taken reflects that event."""
        out = POINTER(F.ccgw_conf_view)()
        with self._use() as h:
            check(lib.ccgw_conf_view_snapshot(h, byref(out)))
        try:
            v = out.contents
            return [ViewConference._from_c(v.confs[i]) for i in range(v.count)]
        finally:
            lib.ccgw_conf_view_free(out)

    def resync_conf_view(
        self, extra_ids: Iterable[int] = (), *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """Reconciles the view with ``queryconfinfos`` (every conference in it, plus
        ``extra_ids`` when this agent is in them)."""
        ids = [int(i) for i in extra_ids]
        arr = (c_int64 * max(len(ids), 1))(*ids)
        self._op(lib.ccgw_conf_view_resync, arr, len(ids), timeout=timeout, cancel=cancel)

    def batch_add_participant_tracked(
        self,
        invitees: Sequence[Invitee],
        deadline: float,
        *,
        beep_tone: bool | None = None,
        play_mode: int | None = None,
        voice_path: str | None = None,
        caller: str | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> InviteTracker:
        """:meth:`batch_add_participant` with an :class:`InviteTracker` of each invitee's
        outcome; invitees not settled ``deadline`` seconds from now are ``INVITE_NO_ANSWER``.
        The event pump must run for the outcomes to arrive."""
        arr = _participants(invitees)
        r = _batch_add_request(arr, len(invitees), beep_tone, play_mode, voice_path, caller)
        deadline_ms = _ms(deadline, "deadline")
        out = POINTER(F.ccgw_invite_tracker)()
        self._call(
            lambda h, call: check(lib.ccgw_batch_add_participant_tracked(h, byref(r), deadline_ms, call, byref(out))),
            timeout,
            cancel,
        )
        return InviteTracker(out)

    # ---- calls and call data -------------------------------------------------------------

    def callout(
        self,
        called: str,
        *,
        caller: str | None = None,
        skillid: int | None = None,
        callappdata: str | None = None,
        mediaability: int | None = None,
        user_video_direction: int | None = None,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> str:
        """Places an outbound call (``callout``); returns its call id. ``called``: 1-24 of
        the digits, ``*`` and ``#``."""
        r = F.ccgw_callout_request()
        check(lib.ccgw_callout_request_init(byref(r), C.CCGW_CALLOUT_REQUEST_VERSION))
        r.called = _enc(called, "called")
        r.caller = _enc(caller, "caller")
        r.skillid = _tri(skillid)
        r.callappdata = _enc(callappdata, "callappdata")
        r.mediaability = _tri(mediaability)
        r.user_video_direction = _tri(user_video_direction)
        out = c_void_p()
        self._call(lambda h, call: check(lib.ccgw_callout(h, byref(r), call, byref(out))), timeout, cancel)
        return _take_string(out)

    def hold_call(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Holds the talking call (``hold``)."""
        self._op(lib.ccgw_hold_call, timeout=timeout, cancel=cancel)

    def get_hold(
        self, callid: str | None = None, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """Takes a held call back (``getHold``); None lets the gateway pick it."""
        self._op(lib.ccgw_get_hold, _enc(callid, "callid"), timeout=timeout, cancel=cancel)

    def connect_hold(self, callid: str, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Connects the talking party with the held call ``callid``; the agent drops out."""
        self._op(lib.ccgw_connect_hold, _enc(callid, "callid"), timeout=timeout, cancel=cancel)

    def release_call(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Releases the call that is not on hold (``release``)."""
        self._op(lib.ccgw_release_call, timeout=timeout, cancel=cancel)

    def drop_call(self, callid: str, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Releases the call ``callid``, held or not (``dropCall``)."""
        self._op(lib.ccgw_drop_call, _enc(callid, "callid"), timeout=timeout, cancel=cancel)

    def disconnect(self, number: str, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Makes the party ``number`` (1-24 digits) leave the last call (``disconnect``)."""
        self._op(lib.ccgw_disconnect, _enc(number, "number"), timeout=timeout, cancel=cancel)

    def second_dial(self, digits: str, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Sends DTMF digits (1-24 of ``0-9*#``) on the talking call (``secondDialEx``)."""
        self._op(lib.ccgw_second_dial, _enc(digits, "digits"), timeout=timeout, cancel=cancel)

    def hold_list(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> list[CallInfo]:
        """The held calls, oldest first (``holdList``); with none held the gateway refuses
        with ``400-003`` (:class:`GatewayError`)."""
        out = POINTER(F.ccgw_call_info_list)()
        self._call(lambda h, call: check(lib.ccgw_query_hold_list(h, call, byref(out))), timeout, cancel)
        return _call_infos(out)

    def call_info(
        self,
        is_no_contain_last_call: bool | None = None,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> CallInfo | None:
        """The current call (``queryCallInfo``), None when there is none;
        ``is_no_contain_last_call`` is sent as the gateway's flag of that name."""
        out = POINTER(F.ccgw_call_info_list)()
        self._call(
            lambda h, call: check(lib.ccgw_query_call_info(h, _tri(is_no_contain_last_call), call, byref(out))),
            timeout,
            cancel,
        )
        calls = _call_infos(out)
        return calls[0] if calls else None

    def call_info_by_callid(
        self, callid: str, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> CallInfo | None:
        """One of the agent's calls by id (``queryCallInfoByCallId``)."""
        cid = _enc(callid, "callid")
        out = POINTER(F.ccgw_call_info_list)()
        self._call(lambda h, call: check(lib.ccgw_query_call_info_by_callid(h, cid, call, byref(out))), timeout, cancel)
        calls = _call_infos(out)
        return calls[0] if calls else None

    def agent_status(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> AgentStatus:
        """The agent's CTI status (``queryAgentStatus``)."""
        state, working = c_int32(), c_int32()
        self._call(
            lambda h, call: check(lib.ccgw_query_agent_status(h, call, byref(state), byref(working))),
            timeout,
            cancel,
        )
        return AgentStatus(
            None if state.value == -1 else state.value, None if working.value == -1 else bool(working.value)
        )

    # ---- any interface ----------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> dict[str, Any]:
        """Any gateway interface through the session's Guid, TLS and error mapping.
        ``path`` is relative to ``/agentgateway/resource/`` and may contain ``{agentid}``;
        ``body`` is a JSON-serialisable value, a JSON text (str), or None. Returns the
        whole answer envelope (``{"message", "retcode", "result", ...}``)."""
        m = _enc(method, "method")
        p = _enc(path, "path")
        b = _enc(body if body is None or isinstance(body, str) else json.dumps(body), "body")
        out = c_void_p()
        try:
            self._call(lambda h, call: check(lib.ccgw_session_request(h, m, p, b, call, byref(out))), timeout, cancel)
        except BaseException:
            if out.value:  # interrupted just as the call succeeded
                lib.ccgw_string_free(out)
            raise
        answer = json.loads(_take_string(out))
        return answer if isinstance(answer, dict) else {"result": answer}

    # ---- resynchronisation (high availability) -----------------------------------------

    def snapshot(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> Snapshot:
        """The agent's state, calls (held and active) and conferences as the gateway
        reports them (``ccgw_session_snapshot``); the live conference view is reconciled
        from it. Raises only when nothing can be asked (not signed in, closed, cancelled)."""
        out = POINTER(F.ccgw_snapshot)()
        try:
            self._call(lambda h, call: check(lib.ccgw_session_snapshot(h, call, byref(out))), timeout, cancel)
            return Snapshot._from_c(out.contents)
        finally:
            if out:  # also when interrupted just as the call succeeded
                lib.ccgw_snapshot_free(out)

    # ---- events -----------------------------------------------------------------------

    def start_events(
        self,
        *,
        queue_capacity: int = 0,
        poll_timeout_ms: int = 0,
        poll_interval_ms: int = 0,
        max_outage_ms: int = 0,
        backoff_max_ms: int = 0,
        max_stall_ms: int = 0,
        queue_max_bytes: int = 0,
        max_event_bytes: int = 0,
        resync_after_gap: bool = False,
    ) -> None:
        """Starts the event pump (the agent's keep-alive; call it right after sign-in).
        Options left at 0 take the library's defaults (see ``ccgw_events_options``): the
        queue holds at most ``queue_capacity`` events and ``queue_max_bytes`` of memory
        (64 MiB); an event over ``max_event_bytes`` of JSON (1 MiB) is dropped. Dropped
        events are reported by an ``EVENT_EVENTS_LOST`` event naming the reason in
        ``lost_reason``; events that may have been lost on the way (a failed poll, a
        fail-over, a new sign-in) by one ``EVENT_EVENTS_LOST`` per gap with ``gap_start`` and
        ``gap_end``. With ``resync_after_gap`` a snapshot (:meth:`snapshot`) follows each
        such gap as an ``EVENT_SNAPSHOT`` event."""
        o = F.ccgw_events_options()
        check(lib.ccgw_events_options_init(byref(o), C.CCGW_EVENTS_OPTIONS_VERSION))
        o.queue_capacity = queue_capacity
        o.poll_timeout_ms = poll_timeout_ms
        o.poll_interval_ms = poll_interval_ms
        o.max_outage_ms = max_outage_ms
        o.backoff_max_ms = backoff_max_ms
        o.max_stall_ms = max_stall_ms
        o.queue_max_bytes = queue_max_bytes
        o.max_event_bytes = max_event_bytes
        o.resync_after_gap = resync_after_gap
        _logs.sync_level()
        with self._use() as h:
            check(lib.ccgw_events_start(h, byref(o)))

    def stop_events(self) -> None:
        """Stops the event pump; queued events can still be taken. Idempotent."""
        self._wait_call(lambda h: check(lib.ccgw_events_stop(h)))

    @property
    def events_running(self) -> bool:
        with self._use() as h:
            return bool(lib.ccgw_events_running(h))

    def events_status(self) -> int:
        """``CCGW_OK`` while the pump runs (or was stopped on request), else the status
        naming why it stopped (``CCGW_E_SESSION_LOST``, ``CCGW_E_SESSION_SHUT_DOWN``, ...)."""
        with self._use() as h:
            return int(lib.ccgw_events_status(h))

    def next_event(self, timeout: float | None = 0.0) -> Event | None:
        """The next event, waiting up to ``timeout`` seconds (None: without limit). Returns
        None when none arrived in time; raises :class:`ClosedError` once the session is
        closed and every queued event has been taken. On the main thread it waits in
        slices of 0.1 s, so Ctrl-C interrupts it."""
        _logs.sync_level()
        main = W.on_main_thread()
        slice_ms = int(W.SLICE * 1000)
        deadline = None if timeout is None else time.monotonic() + max(timeout, 0.0)
        out = POINTER(F.ccgw_event)()
        while True:
            if deadline is None:
                ms = slice_ms if main else C.CCGW_WAIT_FOREVER
            else:
                ms = _ms(max(deadline - time.monotonic(), 0.0), "timeout")
                if main:
                    ms = min(ms, slice_ms)
            with self._use() as h:
                st = lib.ccgw_events_next(h, ms, byref(out))
                err = None if st in (C.CCGW_OK, C.CCGW_E_TIMEOUT) else last_error(st)
            if err is not None:
                raise err
            if st == C.CCGW_OK:
                break
            if deadline is not None and time.monotonic() >= deadline:
                return None
        try:
            return Event._from_c(out.contents)
        finally:
            lib.ccgw_event_free(out)

    def events(self, timeout: float | None = None) -> Iterator[Event]:
        """Iterates over events as they arrive, waiting as long as it takes. The iteration
        ends when the session is closed and its queue drained, or, with ``timeout``, when
        no event arrives within ``timeout`` seconds. Ctrl-C interrupts the wait."""
        while True:
            try:
                ev = self.next_event(timeout)
            except ClosedError:
                return
            if ev is None:
                return
            yield ev

    def wait_event(self, type_name: str, timeout: float) -> Event:
        """Takes events until one of ``type_name`` arrives (returned; the others are
        dropped); raises :class:`CcgwTimeoutError` after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CcgwTimeoutError(C.CCGW_E_TIMEOUT, f"{type_name} did not arrive within {timeout} s")
            ev = self.next_event(min(left, 0.5))
            if ev is not None and ev.type_name == type_name:
                return ev

    def set_event_callback(self, callback: EventCallback | None) -> None:
        """Delivers the session's events to ``callback(event)`` in order, one at a time, on
        the library's callback pool: a few threads shared by every session's callback
        (:func:`set_dispatch_options`; blocking calls on the session are allowed there, and
        closing or dropping the session there frees it once the callback has returned).
        While a callback blocks, its pool thread serves no other session; a watchdog adds
        a thread when every one has been inside a callback for a while. ``None``
        unregisters, waiting for a running callback to return (after Ctrl-C meanwhile, the
        change completes in the background). Events queued before registration are
        delivered first; a callback and :meth:`next_event` take from the same queue: use
        one or the other. No event is delivered once the session is closed.

        An exception raised by the callback cannot reach the caller: it is handed to
        :func:`sys.unraisablehook` (by default printed to ``sys.stderr`` with its
        traceback, as Python does for exceptions in ``__del__``; its ``object`` is
        ``<ccgw event callback ...>``), and delivery goes on."""
        if callback is None:
            self._wait_call(
                lambda h: check(lib.ccgw_events_set_callback(h, F.ccgw_event_callback(), None, F.ccgw_userdata_free()))
            )
            return
        trampoline = _EventTrampoline(self, callback)
        c_cb = F.ccgw_event_callback(trampoline)
        reg = next(_ids)
        with _callbacks_lock:
            _callbacks[reg] = (c_cb, callback)
        try:
            # On failure the library has already called userdata_free (dropping the entry).
            self._wait_call(lambda h: check(lib.ccgw_events_set_callback(h, c_cb, c_void_p(reg), _EVENT_FREE)))
        except ClosedError:
            with _callbacks_lock:
                _callbacks.pop(reg, None)  # refused before the library saw it
            raise


class _EventTrampoline:
    """What the library calls for each event: delivers it to the user's callback unless
    the session was closed. An exception from the callback goes (through ctypes) to
    ``sys.unraisablehook``, with this object, ``<ccgw event callback ...>``, as ``object``."""

    def __init__(self, session: Session, user: EventCallback) -> None:
        self.session = weakref.ref(session)  # never keeps the session alive
        self.sid = id(session)
        self.user = user

    def __call__(self, _userdata: int | None, event: Any) -> None:
        s = self.session()
        closed = s is None or s._closed
        del s  # the callback may drop the last reference to the session
        if closed:
            return
        ids = getattr(_dispatch, "session_ids", None)
        if ids is None:
            ids = _dispatch.session_ids = set()
        ids.add(self.sid)
        _logs.sync_level()
        self.user(Event._from_c(event.contents))

    def __repr__(self) -> str:
        return f"<ccgw event callback {self.user!r}>"


def registered_callbacks() -> int:
    """How many event callbacks the library still holds (for tests and leak checks)."""
    with _callbacks_lock:
        return len(_callbacks)


def set_dispatch_options(
    threads: int = 0, max_threads: int = 0, stall: float | None = None, idle: float | None = None
) -> None:
    """Sets the callback pool's options for the whole process (``ccgw_global_set_dispatch_options``);
    0 or ``None`` takes the default (4 threads, at most 64, 0.1 s stall, 10 s idle). They
    apply at once. Raises :class:`ArgumentError` (``CCGW_E_OUT_OF_RANGE``) for a value
    above its maximum or ``max_threads`` below ``threads``, changing nothing."""
    o = F.ccgw_dispatch_options()
    check(lib.ccgw_dispatch_options_init(byref(o), C.CCGW_DISPATCH_OPTIONS_VERSION))
    for name, value in (("threads", threads), ("max_threads", max_threads)):
        if not 0 <= value <= 0xFFFFFFFF:
            raise ArgumentError(C.CCGW_E_OUT_OF_RANGE, f"{name} must be 0..{C.CCGW_DISPATCH_THREADS_MAX}")
    o.threads, o.max_threads = threads, max_threads
    o.stall_ms, o.idle_ms = _ms(stall, "stall"), _ms(idle, "idle")
    check(lib.ccgw_global_set_dispatch_options(byref(o)))


def dispatch_options() -> DispatchOptions:
    """The callback pool's options in effect, defaults resolved (``ccgw_global_get_dispatch_options``)."""
    o = F.ccgw_dispatch_options()
    check(lib.ccgw_dispatch_options_init(byref(o), C.CCGW_DISPATCH_OPTIONS_VERSION))
    check(lib.ccgw_global_get_dispatch_options(byref(o)))
    return DispatchOptions(o.threads, o.max_threads, o.stall_ms / 1000, o.idle_ms / 1000)


def global_shutdown(timeout: float = 2.0) -> None:
    """Stops the library's runtime threads (every session must be closed first; a session
    closed inside its own event callback is waited for, up to ``timeout``). Interrupted by
    Ctrl-C, the shutdown completes in the background. Raises :class:`CcgwTimeoutError` when
    some threads were still running at ``timeout`` (they exit on their own; calling again
    waits for them), and :class:`BusyError` while sessions are alive
    (``ccgw_global_shutdown``)."""
    deadline = time.monotonic() + timeout
    with _deferred_lock:
        pending = list(_deferred)
    for t in pending:
        t.join(max(deadline - time.monotonic(), 0.0))
    ms = _ms(timeout, "timeout")
    W.run(lambda: check(lib.ccgw_global_shutdown(ms)))


@atexit.register
def _close_live_sessions() -> None:
    if W.in_forked_child():
        return  # the library's threads are not here; the parent owns the sessions
    for s in list(_live):
        try:
            s.close()
        except Exception:
            pass
