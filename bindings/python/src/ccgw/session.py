"""The agent session: sign-in and Guid, the agent-conference family, the calls a
conference is built from, call data, the live conference view, invite trackers, the
generic request and events."""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from ctypes import POINTER, byref, c_char_p, c_int32, c_int64, c_uint8, c_void_p, string_at
from types import TracebackType
from typing import Any

from . import _constants as C
from . import _ffi as F
from .errors import ArgumentError, CcgwTimeoutError, ClosedError, check, last_error
from .types import (
    Address,
    AgentStatus,
    CallInfo,
    Conference,
    Event,
    InviteResults,
    Invitee,
    SignInResult,
    ViewConference,
)

_log = logging.getLogger("ccgw")
lib = F.lib

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

    def cancel(self) -> None:
        if self._h is None:
            raise ClosedError(C.CCGW_E_CLOSED, "the cancel token was freed")
        check(lib.ccgw_cancel_cancel(self._h))

    def free(self) -> None:
        h, self._h = self._h, None
        if h is not None:
            lib.ccgw_cancel_free(h)

    def __enter__(self) -> CancelToken:
        return self

    def __exit__(self, *exc: object) -> None:
        self.free()


def _call_options(timeout: float | None, cancel: CancelToken | None) -> Any:
    if timeout is None and cancel is None:
        return None
    o = F.ccgw_call_options()
    check(lib.ccgw_call_options_init(byref(o), C.CCGW_CALL_OPTIONS_VERSION))
    o.timeout_ms = _ms(timeout, "timeout")
    if cancel is not None:
        if cancel._h is None:
            raise ClosedError(C.CCGW_E_CLOSED, "the cancel token was freed")
        o.cancel = cancel._h
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
        st = lib.ccgw_invite_tracker_wait(self._handle(), ms)
        if st == C.CCGW_E_TIMEOUT:
            return False
        check(st)
        return True

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


class Session:
    """An agent session (``ccgw_session``): one agent on one gateway (or cluster).

    Use it as a context manager: leaving the block closes and frees the handle (it does
    not sign the agent out; call :meth:`sign_out` for that). Methods may be called from any
    number of threads at once; blocking ones release the GIL. :meth:`close` may be called
    from any thread at any time: it makes calls in progress raise :class:`ClosedError`,
    waits for them to return, then frees the handle.

    Timeouts are in seconds (float); ``timeout=None`` on a call means the session's request
    timeout. Every blocking method takes ``timeout=`` and ``cancel=`` (a :class:`CancelToken`).
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
    ) -> None:
        self._lock = threading.Condition()
        self._inflight = 0
        self._closed = False
        self._h: Any = None
        self._cb_id = 0
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
        h = POINTER(F.ccgw_session)()
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

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Closes the session and frees its handle (idempotent). Calls in progress on other
        threads raise :class:`ClosedError`; this waits for them to return. Called from the
        session's own event callback, it closes now and frees later (when the session is
        closed again or garbage-collected), as the library forbids freeing there."""
        with self._lock:
            h = self._h
            if h is None:
                return
            self._closed = True
        lib.ccgw_session_close(h)
        if self._on_own_dispatch_thread():
            return
        with self._lock:
            while self._inflight:
                self._lock.wait()
            h, self._h = self._h, None
        if h is not None:
            lib.ccgw_session_free(h)  # ends the dispatch thread; calls userdata_free
        _live.discard(self)

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
        timeout: float | None = None,
        cancel: CancelToken | None = None,
    ) -> SignInResult:
        """Signs the agent in (``login``); with ``force``, an "already signed in" answer is
        followed by forced sign-in (needs ``phonenum``). Options left at None are not sent.
        Start the event pump right after (:meth:`start_events`): it is the keep-alive."""
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
        out = POINTER(F.ccgw_sign_in_result)()
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_session_sign_in(h, byref(o), call, byref(out)))
        try:
            return SignInResult._from_c(out.contents)
        finally:
            lib.ccgw_sign_in_result_free(out)

    def sign_out(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Signs the agent out (``logout``), stopping the event pump first."""
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_session_sign_out(h, call))

    def update_guid(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """Asks the gateway for a fresh Guid and stores it."""
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_session_update_guid(h, call))

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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_batch_add_participant(h, byref(r), call))

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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_hold_participant(h, byref(r), call))

    def query_conf_infos(
        self, conf_ids: Iterable[int], *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> list[Conference]:
        """Queries conferences by id (``queryConfInfos``, 1 to 20 ids). Conferences the
        agent may not see are absent from the result."""
        ids = [int(i) for i in conf_ids]
        arr = (c_int64 * max(len(ids), 1))(*ids)
        out = POINTER(F.ccgw_conf_list)()
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_conf_infos(h, arr, len(ids), call, byref(out)))
        try:
            lst = out.contents
            return [Conference._from_c(lst.confs[i]) for i in range(lst.count)]
        finally:
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_conf_join(h, cid, data, call))

    def third_party_conf_transmit_num(
        self, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> None:
        """In a call of the agent, a customer and a third-party IVR, passes the customer's
        key presses to the IVR (``thirdPartyConfTransmitNum``)."""
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_third_party_conf_transmit_num(h, call))

    # ---- the rest of the agent-conference family ---------------------------------------

    def _op(self, fn: Any, *args: Any, timeout: float | None = None, cancel: CancelToken | None = None) -> None:
        """A call ``fn(session, *args, call_options)``."""
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(fn(h, *args, call))

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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_batch_remove_participant(h, arr, len(addresses), call, byref(out)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_vdn_conf_ids(h, call, byref(out)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_batch_add_participant_tracked(h, byref(r), deadline_ms, call, byref(out)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_callout(h, byref(r), call, byref(out)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_hold_list(h, call, byref(out)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_call_info(h, _tri(is_no_contain_last_call), call, byref(out)))
        calls = _call_infos(out)
        return calls[0] if calls else None

    def call_info_by_callid(
        self, callid: str, *, timeout: float | None = None, cancel: CancelToken | None = None
    ) -> CallInfo | None:
        """One of the agent's calls by id (``queryCallInfoByCallId``)."""
        cid = _enc(callid, "callid")
        out = POINTER(F.ccgw_call_info_list)()
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_call_info_by_callid(h, cid, call, byref(out)))
        calls = _call_infos(out)
        return calls[0] if calls else None

    def agent_status(self, *, timeout: float | None = None, cancel: CancelToken | None = None) -> AgentStatus:
        """The agent's CTI status (``queryAgentStatus``)."""
        state, working = c_int32(), c_int32()
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_query_agent_status(h, call, byref(state), byref(working)))
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
        call = _call_options(timeout, cancel)
        with self._use() as h:
            check(lib.ccgw_session_request(h, m, p, b, call, byref(out)))
        answer = json.loads(_take_string(out))
        return answer if isinstance(answer, dict) else {"result": answer}

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
    ) -> None:
        """Starts the event pump (the agent's keep-alive; call it right after sign-in).
        Options left at 0 take the library's defaults (see ``ccgw_events_options``)."""
        o = F.ccgw_events_options()
        check(lib.ccgw_events_options_init(byref(o), C.CCGW_EVENTS_OPTIONS_VERSION))
        o.queue_capacity = queue_capacity
        o.poll_timeout_ms = poll_timeout_ms
        o.poll_interval_ms = poll_interval_ms
        o.max_outage_ms = max_outage_ms
        o.backoff_max_ms = backoff_max_ms
        o.max_stall_ms = max_stall_ms
        with self._use() as h:
            check(lib.ccgw_events_start(h, byref(o)))

    def stop_events(self) -> None:
        """Stops the event pump; queued events can still be taken. Idempotent."""
        with self._use() as h:
            check(lib.ccgw_events_stop(h))

    @property
    def events_running(self) -> bool:
        with self._use() as h:
            return bool(lib.ccgw_events_running(h))

    def events_status(self) -> int:
        """``CCGW_OK`` while the pump runs (or was stopped on request), else the status of
        the lasting failure that stopped it."""
        with self._use() as h:
            return int(lib.ccgw_events_status(h))

    def next_event(self, timeout: float | None = 0.0) -> Event | None:
        """The next event, waiting up to ``timeout`` seconds (None: without limit). Returns
        None when none arrived in time; raises :class:`ClosedError` once the session is
        closed and every queued event has been taken."""
        ms = C.CCGW_WAIT_FOREVER if timeout is None else _ms(timeout, "timeout")
        out = POINTER(F.ccgw_event)()
        with self._use() as h:
            st = lib.ccgw_events_next(h, ms, byref(out))
        if st == C.CCGW_E_TIMEOUT:
            return None
        if st != C.CCGW_OK:
            raise last_error(st)
        try:
            return Event._from_c(out.contents)
        finally:
            lib.ccgw_event_free(out)

    def events(self, timeout: float | None = 1.0) -> Iterator[Event]:
        """Iterates over events as they arrive. The iteration ends when no event arrives
        within ``timeout`` seconds (None: never), or when the session is closed and its
        queue drained."""
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
        """Delivers the session's events to ``callback(event)`` in order, on the session's
        own dispatch thread (where blocking calls on the session are allowed; closing
        the session there defers the free). ``None`` unregisters, waiting for a running
        callback to return. Events queued before registration are delivered first; a
        callback and :meth:`next_event` take from the same queue: use one or the other.
        An exception raised by the callback is logged to the ``"ccgw"`` logger."""
        sid = id(self)
        with self._use() as h:
            if callback is None:
                check(lib.ccgw_events_set_callback(h, F.ccgw_event_callback(), None, F.ccgw_userdata_free()))
                return
            user = callback

            def trampoline(_userdata: int | None, event: Any) -> None:
                ids = getattr(_dispatch, "session_ids", None)
                if ids is None:
                    ids = _dispatch.session_ids = set()
                ids.add(sid)
                try:
                    user(Event._from_c(event.contents))
                except Exception:
                    _log.exception("ccgw event callback raised")

            c_cb = F.ccgw_event_callback(trampoline)
            reg = next(_ids)
            with _callbacks_lock:
                _callbacks[reg] = (c_cb, callback)
            # On failure the library has already called userdata_free (dropping the entry).
            check(lib.ccgw_events_set_callback(h, c_cb, c_void_p(reg), _EVENT_FREE))


def registered_callbacks() -> int:
    """How many event callbacks the library still holds (for tests and leak checks)."""
    with _callbacks_lock:
        return len(_callbacks)


def global_shutdown(timeout: float = 2.0) -> None:
    """Stops the library's runtime threads (every session must be closed first)."""
    check(lib.ccgw_global_shutdown(_ms(timeout, "timeout")))


@atexit.register
def _close_live_sessions() -> None:
    for s in list(_live):
        try:
            s.close()
        except Exception:
            pass
