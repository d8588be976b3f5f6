"""ctypes declarations of include/ccgw.h: struct layouts, callback types, functions.

Everything here mirrors the header by hand; tests/test_header.py parses the header and
fails when any of it drifts (field order and C types, argument counts and types, return
types, callback signatures). Library-allocated strings (``char *`` results and ``char **``
out-parameters) are declared ``c_void_p`` so the pointer is kept: the binding copies the
bytes, then hands the pointer back to ``ccgw_string_free``.

The library is loaded with ``ctypes.CDLL``, which releases the GIL for the duration of
every foreign call, so blocking calls do not stop other Python threads.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char_p,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any

from ._constants import CCGW_ABI_VERSION

#: Environment variable naming the libccgw shared library to load.
LIBRARY_ENV = "CCGW_LIBRARY"

ccgw_status = c_int32
ccgw_outcome = c_int32


# Opaque handles.
class ccgw_session(Structure):
    pass


class ccgw_cancel(Structure):
    pass


class ccgw_invite_tracker(Structure):
    pass


class ccgw_log_record(Structure):
    _fields_ = [
        ("level", c_int32),
        ("operation", c_char_p),
        ("message", c_char_p),
    ]


class ccgw_participant(Structure):
    _fields_ = [
        ("address_type", c_int32),
        ("address", c_char_p),
        ("device_call_type", c_int32),
        ("device_type", c_int32),
    ]


class ccgw_batch_add_request(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("participants", POINTER(ccgw_participant)),
        ("participant_count", c_size_t),
        ("beep_tone", c_int32),
        ("play_mode", c_int32),
        ("voice_path", c_char_p),
        ("caller", c_char_p),
    ]


class ccgw_hold_request(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("address_type", c_int32),
        ("address", c_char_p),
        ("play_mode", c_int32),
        ("voice_path", c_char_p),
    ]


class ccgw_call_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("timeout_ms", c_uint32),
        ("cancel", POINTER(ccgw_cancel)),
    ]


class ccgw_conf_participant(Structure):
    _fields_ = [
        ("address_type", c_int32),
        ("address", c_char_p),
        ("device_call_type", c_int32),
        ("device_type", c_int32),
        ("channel_attrib", c_int32),
        ("channel_state", c_int32),
        ("role", c_int32),
        ("enter_time", c_int64),
    ]


class ccgw_conf_info(Structure):
    _fields_ = [
        ("conf_id", c_int64),
        ("conf_state", c_int32),
        ("start_time", c_int64),
        ("apply_conf_time", c_int32),
        ("conf_have_been_time", c_int32),
        ("participant_count", c_size_t),
        ("participants", POINTER(ccgw_conf_participant)),
    ]


class ccgw_conf_list(Structure):
    _fields_ = [
        ("count", c_size_t),
        ("confs", POINTER(ccgw_conf_info)),
    ]


class ccgw_events_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("queue_capacity", c_uint32),
        ("poll_timeout_ms", c_uint32),
        ("poll_interval_ms", c_uint32),
        ("max_outage_ms", c_uint32),
        ("backoff_max_ms", c_uint32),
        ("max_stall_ms", c_uint32),
        ("queue_max_bytes", c_size_t),
        ("max_event_bytes", c_size_t),
        ("resync_after_gap", c_bool),
    ]


class ccgw_dispatch_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("threads", c_uint32),
        ("max_threads", c_uint32),
        ("stall_ms", c_uint32),
        ("idle_ms", c_uint32),
    ]


class ccgw_snapshot(Structure):
    """Laid out below, after the call and conference lists it points to."""


class ccgw_event(Structure):
    _fields_ = [
        ("kind", c_int32),
        ("type_name", c_char_p),
        ("work_no", c_char_p),
        ("gen_time", c_int64),
        ("received_time", c_int64),
        ("sequence", c_uint64),
        ("content_json", c_char_p),
        ("event_json", c_char_p),
        ("conf_id", c_int64),
        ("result", c_int64),
        ("change_type", c_int64),
        ("change_reason", c_int64),
        ("participant", c_char_p),
        ("participant_type", c_int64),
        ("device_call_type", c_int64),
        ("device_type", c_int64),
        ("cause", c_int64),
        ("callid", c_char_p),
        ("number", c_char_p),
        ("partner_count", c_size_t),
        ("partners", POINTER(c_char_p)),
        ("lost_count", c_uint64),
        ("status", ccgw_status),
        ("message", c_char_p),
        ("lost_reason", c_int32),
        ("caller", c_char_p),
        ("called", c_char_p),
        ("phone_state", c_int64),
        ("reason", c_char_p),
        ("outcome", c_int32),
        ("tracker_id", c_uint64),
        ("gap_start", c_int64),
        ("gap_end", c_int64),
        ("cause_status", ccgw_status),
        ("attempt", c_uint32),
        ("snapshot", POINTER(ccgw_snapshot)),
    ]


class ccgw_agent_conf_request(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("member_num", c_int32),
        ("conf_caller_no", c_char_p),
        ("time", c_int32),
        ("prompt_time", c_int32),
        ("beep_tone", c_int32),
        ("play_mode", c_int32),
        ("voice_path", c_char_p),
    ]


class ccgw_address(Structure):
    _fields_ = [
        ("address_type", c_int32),
        ("address", c_char_p),
    ]


class ccgw_address_list(Structure):
    _fields_ = [
        ("count", c_size_t),
        ("addresses", POINTER(ccgw_address)),
    ]


class ccgw_conf_id_list(Structure):
    _fields_ = [
        ("count", c_size_t),
        ("conf_ids", POINTER(c_int64)),
    ]


class ccgw_callout_request(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("called", c_char_p),
        ("caller", c_char_p),
        ("skillid", c_int32),
        ("callappdata", c_char_p),
        ("mediaability", c_int32),
        ("user_video_direction", c_int32),
    ]


class ccgw_call_info(Structure):
    _fields_ = [
        ("callid", c_char_p),
        ("call_feature", c_int32),
        ("caller", c_char_p),
        ("called", c_char_p),
        ("call_skill", c_char_p),
        ("call_skill_id", c_int64),
        ("orig_called", c_char_p),
        ("call_data", c_char_p),
        ("begin_time", c_int64),
        ("end_time", c_int64),
        ("user_priority", c_int32),
        ("trunk_no", c_int64),
        ("logon_times", c_int64),
        ("media_type", c_int32),
        ("media_ability", c_int32),
        ("wait_time", c_int64),
    ]


class ccgw_call_info_list(Structure):
    _fields_ = [
        ("count", c_size_t),
        ("calls", POINTER(ccgw_call_info)),
    ]


ccgw_snapshot._fields_ = [
    ("taken_at", c_int64),
    ("agent_status_status", ccgw_status),
    ("agent_state", c_int32),
    ("is_working", c_int32),
    ("calls_status", ccgw_status),
    ("held_calls", POINTER(ccgw_call_info_list)),
    ("active_calls", POINTER(ccgw_call_info_list)),
    ("conf_ids_status", ccgw_status),
    ("conferences_status", ccgw_status),
    ("conferences", POINTER(ccgw_conf_list)),
]


class ccgw_view_participant(Structure):
    _fields_ = [
        ("address_type", c_int32),
        ("address", c_char_p),
        ("device_call_type", c_int32),
        ("device_type", c_int32),
        ("channel_attrib", c_int32),
        ("attrib_inferred", c_bool),
        ("channel_state", c_int32),
        ("held", c_bool),
        ("hold_voice_path", c_char_p),
        ("announcement", c_bool),
        ("role", c_int32),
        ("enter_time", c_int64),
        ("is_self", c_bool),
    ]


class ccgw_view_conf(Structure):
    _fields_ = [
        ("conf_id", c_int64),
        ("granted", c_bool),
        ("synced", c_bool),
        ("is_chair", c_bool),
        ("conf_state", c_int32),
        ("start_time", c_int64),
        ("apply_conf_time", c_int32),
        ("conf_have_been_time", c_int32),
        ("member_num", c_int32),
        ("timeout_warned", c_bool),
        ("participant_count", c_size_t),
        ("participants", POINTER(ccgw_view_participant)),
    ]


class ccgw_conf_view(Structure):
    _fields_ = [
        ("count", c_size_t),
        ("confs", POINTER(ccgw_view_conf)),
    ]


class ccgw_invite_result(Structure):
    _fields_ = [
        ("address_type", c_int32),
        ("address", c_char_p),
        ("outcome", c_int32),
        ("result", c_int64),
        ("change_reason", c_int64),
        ("settled_time", c_int64),
    ]


class ccgw_invite_results(Structure):
    _fields_ = [
        ("tracker_id", c_uint64),
        ("conf_id", c_int64),
        ("pending", c_size_t),
        ("deadline_passed", c_bool),
        ("count", c_size_t),
        ("invitees", POINTER(ccgw_invite_result)),
    ]


class ccgw_session_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("base_url", c_char_p),
        ("fallback_urls", POINTER(c_char_p)),
        ("fallback_url_count", c_size_t),
        ("agent_id", c_char_p),
        ("agent_id_max", c_uint32),
        ("ca_file", c_char_p),
        ("ca_pem", POINTER(c_uint8)),
        ("ca_pem_len", c_size_t),
        ("insecure_accept_any_certificate", c_bool),
        ("allow_plain_http", c_bool),
        ("connect_timeout_ms", c_uint32),
        ("request_timeout_ms", c_uint32),
        ("auth_mode", c_uint32),
        # version 2
        ("pinned_sha256", c_char_p),
        ("pinned_cert_file", c_char_p),
        ("disable_cookies", c_bool),
        ("proxy_url", c_char_p),
        ("proxy_username", c_char_p),
        ("proxy_password", c_char_p),
        ("no_proxy", c_char_p),
        ("proxy_from_environment", c_bool),
        # version 3 (fail-over, issue 11)
        ("switchover_wait_ms", c_uint32),
        ("failback_after_ms", c_uint32),
        ("retry_backoff_initial_ms", c_uint32),
        ("retry_backoff_max_ms", c_uint32),
        ("retry_rounds", c_uint32),
    ]


class ccgw_sign_in_options(Structure):
    _fields_ = [
        ("version", c_uint32),
        ("password", c_char_p),
        ("phonenum", c_char_p),
        ("autoanswer", c_int32),
        ("autoenteridle", c_int32),
        ("releasephone", c_int32),
        ("agenttype", c_int32),
        ("status", c_int32),
        ("ip", c_char_p),
        ("entry_ip", c_char_p),
        ("phonelinkage", c_int32),
        ("check_in_webm", c_int32),
        ("check_in_mailm", c_int32),
        ("vc_phone_number", c_char_p),
        ("listen_status", c_int32),
        ("force", c_bool),
        ("auto_resign_in", c_bool),
        ("allow_forced_resign_in", c_bool),
    ]


class ccgw_sign_in_result(Structure):
    _fields_ = [
        ("vdn_id", c_int64),
        ("work_no", c_char_p),
        ("media_type", c_char_p),
        ("login_time", c_int64),
        ("is_force_change", c_int32),
        ("server_name", c_char_p),
        ("time_remaining", c_int64),
        ("forced", c_bool),
    ]


# Callback types (the header's function-pointer typedefs).
ccgw_log_callback = CFUNCTYPE(None, c_void_p, POINTER(ccgw_log_record))
ccgw_userdata_free = CFUNCTYPE(None, c_void_p)
ccgw_event_callback = CFUNCTYPE(None, c_void_p, POINTER(ccgw_event))

#: Header typedef name of each callback type, for the drift test.
CALLBACK_TYPES: dict[str, Any] = {
    "ccgw_log_callback": ccgw_log_callback,
    "ccgw_userdata_free": ccgw_userdata_free,
    "ccgw_event_callback": ccgw_event_callback,
}

#: Every struct the binding lays out, by its header name (opaque ones have no fields).
STRUCTS: dict[str, type[Structure]] = {
    cls.__name__: cls
    for cls in (
        ccgw_log_record,
        ccgw_participant,
        ccgw_batch_add_request,
        ccgw_hold_request,
        ccgw_call_options,
        ccgw_conf_participant,
        ccgw_conf_info,
        ccgw_conf_list,
        ccgw_events_options,
        ccgw_dispatch_options,
        ccgw_event,
        ccgw_session_options,
        ccgw_sign_in_options,
        ccgw_sign_in_result,
        ccgw_agent_conf_request,
        ccgw_address,
        ccgw_address_list,
        ccgw_conf_id_list,
        ccgw_callout_request,
        ccgw_call_info,
        ccgw_call_info_list,
        ccgw_view_participant,
        ccgw_view_conf,
        ccgw_conf_view,
        ccgw_invite_result,
        ccgw_invite_results,
        ccgw_snapshot,
    )
}
OPAQUE: dict[str, type[Structure]] = {
    "ccgw_session": ccgw_session,
    "ccgw_cancel": ccgw_cancel,
    "ccgw_invite_tracker": ccgw_invite_tracker,
}

_S = POINTER(ccgw_session)
_CALL = POINTER(ccgw_call_options)
_OWNED_STR_OUT = POINTER(c_void_p)  # char **: library-allocated, freed with ccgw_string_free

#: name -> (restype, argtypes), as the header declares them.
FUNCTIONS: dict[str, tuple[Any, list[Any]]] = {
    "ccgw_version": (c_char_p, []),
    "ccgw_abi_version": (c_uint32, []),
    "ccgw_status_str": (c_char_p, [ccgw_status]),
    "ccgw_status_is_gateway": (c_bool, [ccgw_status]),
    "ccgw_last_error_status": (ccgw_status, []),
    "ccgw_last_error_message": (c_char_p, []),
    "ccgw_last_error_retcode": (c_char_p, []),
    "ccgw_last_error_http_status": (c_int32, []),
    # issue 11 (fail-over)
    "ccgw_status_outcome": (ccgw_outcome, [ccgw_status]),
    "ccgw_status_retryable": (c_bool, [ccgw_status]),
    "ccgw_last_error_cti_code": (c_int64, []),
    "ccgw_string_free": (None, [c_void_p]),
    "ccgw_cancel_new": (ccgw_status, [POINTER(POINTER(ccgw_cancel))]),
    "ccgw_cancel_cancel": (ccgw_status, [POINTER(ccgw_cancel)]),
    "ccgw_cancel_free": (None, [POINTER(ccgw_cancel)]),
    "ccgw_set_log_callback": (ccgw_status, [c_int32, ccgw_log_callback, c_void_p, ccgw_userdata_free]),
    "ccgw_global_shutdown": (ccgw_status, [c_uint32]),
    "ccgw_batch_add_request_init": (ccgw_status, [POINTER(ccgw_batch_add_request), c_uint32]),
    "ccgw_hold_request_init": (ccgw_status, [POINTER(ccgw_hold_request), c_uint32]),
    "ccgw_batch_add_participant": (ccgw_status, [_S, POINTER(ccgw_batch_add_request), _CALL]),
    "ccgw_hold_participant": (ccgw_status, [_S, POINTER(ccgw_hold_request), _CALL]),
    "ccgw_query_conf_infos": (
        ccgw_status,
        [_S, POINTER(c_int64), c_size_t, _CALL, POINTER(POINTER(ccgw_conf_list))],
    ),
    "ccgw_conf_list_free": (None, [POINTER(ccgw_conf_list)]),
    "ccgw_conf_join": (ccgw_status, [_S, c_char_p, c_char_p, _CALL]),
    "ccgw_third_party_conf_transmit_num": (ccgw_status, [_S, _CALL]),
    "ccgw_events_options_init": (ccgw_status, [POINTER(ccgw_events_options), c_uint32]),
    "ccgw_events_start": (ccgw_status, [_S, POINTER(ccgw_events_options)]),
    "ccgw_events_stop": (ccgw_status, [_S]),
    "ccgw_events_next": (ccgw_status, [_S, c_uint32, POINTER(POINTER(ccgw_event))]),
    "ccgw_event_free": (None, [POINTER(ccgw_event)]),
    "ccgw_events_set_callback": (ccgw_status, [_S, ccgw_event_callback, c_void_p, ccgw_userdata_free]),
    "ccgw_events_status": (ccgw_status, [_S]),
    "ccgw_events_running": (c_bool, [_S]),
    "ccgw_dispatch_options_init": (ccgw_status, [POINTER(ccgw_dispatch_options), c_uint32]),
    "ccgw_global_set_dispatch_options": (ccgw_status, [POINTER(ccgw_dispatch_options)]),
    "ccgw_global_get_dispatch_options": (ccgw_status, [POINTER(ccgw_dispatch_options)]),
    "ccgw_session_options_init": (ccgw_status, [POINTER(ccgw_session_options), c_uint32]),
    "ccgw_sign_in_options_init": (ccgw_status, [POINTER(ccgw_sign_in_options), c_uint32]),
    "ccgw_call_options_init": (ccgw_status, [POINTER(ccgw_call_options), c_uint32]),
    "ccgw_session_new": (ccgw_status, [POINTER(ccgw_session_options), POINTER(_S)]),
    "ccgw_session_sign_in": (
        ccgw_status,
        [_S, POINTER(ccgw_sign_in_options), _CALL, POINTER(POINTER(ccgw_sign_in_result))],
    ),
    "ccgw_sign_in_result_free": (None, [POINTER(ccgw_sign_in_result)]),
    "ccgw_session_sign_out": (ccgw_status, [_S, _CALL]),
    "ccgw_session_update_guid": (ccgw_status, [_S, _CALL]),
    "ccgw_session_set_guid": (ccgw_status, [_S, c_char_p]),
    "ccgw_session_get_guid": (ccgw_status, [_S, _OWNED_STR_OUT]),
    "ccgw_session_agent_id": (c_char_p, [_S]),
    "ccgw_session_close": (ccgw_status, [_S]),
    "ccgw_session_free": (None, [_S]),
    "ccgw_session_request": (ccgw_status, [_S, c_char_p, c_char_p, c_char_p, _CALL, _OWNED_STR_OUT]),
    # The rest of the agent-conference family.
    "ccgw_agent_conf_request_init": (ccgw_status, [POINTER(ccgw_agent_conf_request), c_uint32]),
    "ccgw_request_agent_conf": (ccgw_status, [_S, POINTER(ccgw_agent_conf_request), _CALL]),
    "ccgw_release_agent_conf": (ccgw_status, [_S, _CALL]),
    "ccgw_answer_agent_conf": (ccgw_status, [_S, _CALL]),
    "ccgw_reject_agent_conf": (ccgw_status, [_S, _CALL]),
    "ccgw_leave_agent_conf": (ccgw_status, [_S, _CALL]),
    "ccgw_stop_voice_to_conf": (ccgw_status, [_S, _CALL]),
    "ccgw_unhold_participant": (ccgw_status, [_S, c_int32, c_char_p, _CALL]),
    "ccgw_batch_remove_participant": (
        ccgw_status,
        [_S, POINTER(ccgw_address), c_size_t, _CALL, POINTER(POINTER(ccgw_address_list))],
    ),
    "ccgw_address_list_free": (None, [POINTER(ccgw_address_list)]),
    "ccgw_change_participant_mode": (ccgw_status, [_S, c_int32, c_char_p, c_int32, _CALL]),
    "ccgw_prolong_time": (ccgw_status, [_S, c_int32, _CALL]),
    "ccgw_shift_president": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_play_voice_to_participant": (ccgw_status, [_S, c_int32, c_char_p, c_int32, c_char_p, _CALL]),
    "ccgw_stop_voice_to_participant": (ccgw_status, [_S, c_int32, c_char_p, _CALL]),
    "ccgw_play_voice_to_conf": (ccgw_status, [_S, c_int32, c_char_p, _CALL]),
    "ccgw_modify_conf_resource": (ccgw_status, [_S, c_int32, c_int32, _CALL]),
    "ccgw_query_vdn_conf_ids": (ccgw_status, [_S, _CALL, POINTER(POINTER(ccgw_conf_id_list))]),
    "ccgw_conf_id_list_free": (None, [POINTER(ccgw_conf_id_list)]),
    # Calls and call data.
    "ccgw_callout_request_init": (ccgw_status, [POINTER(ccgw_callout_request), c_uint32]),
    "ccgw_callout": (ccgw_status, [_S, POINTER(ccgw_callout_request), _CALL, _OWNED_STR_OUT]),
    "ccgw_hold_call": (ccgw_status, [_S, _CALL]),
    "ccgw_release_call": (ccgw_status, [_S, _CALL]),
    "ccgw_get_hold": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_connect_hold": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_drop_call": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_disconnect": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_second_dial": (ccgw_status, [_S, c_char_p, _CALL]),
    "ccgw_query_hold_list": (ccgw_status, [_S, _CALL, POINTER(POINTER(ccgw_call_info_list))]),
    "ccgw_query_call_info": (ccgw_status, [_S, c_int32, _CALL, POINTER(POINTER(ccgw_call_info_list))]),
    "ccgw_query_call_info_by_callid": (
        ccgw_status,
        [_S, c_char_p, _CALL, POINTER(POINTER(ccgw_call_info_list))],
    ),
    "ccgw_call_info_list_free": (None, [POINTER(ccgw_call_info_list)]),
    "ccgw_query_agent_status": (ccgw_status, [_S, _CALL, POINTER(c_int32), POINTER(c_int32)]),
    # The live view and invite trackers.
    "ccgw_conf_view_snapshot": (ccgw_status, [_S, POINTER(POINTER(ccgw_conf_view))]),
    "ccgw_conf_view_free": (None, [POINTER(ccgw_conf_view)]),
    "ccgw_conf_view_resync": (ccgw_status, [_S, POINTER(c_int64), c_size_t, _CALL]),
    "ccgw_batch_add_participant_tracked": (
        ccgw_status,
        [_S, POINTER(ccgw_batch_add_request), c_uint32, _CALL, POINTER(POINTER(ccgw_invite_tracker))],
    ),
    "ccgw_invite_tracker_wait": (ccgw_status, [POINTER(ccgw_invite_tracker), c_uint32]),
    "ccgw_invite_tracker_results": (
        ccgw_status,
        [POINTER(ccgw_invite_tracker), POINTER(POINTER(ccgw_invite_results))],
    ),
    "ccgw_invite_results_free": (None, [POINTER(ccgw_invite_results)]),
    "ccgw_invite_tracker_id": (c_uint64, [POINTER(ccgw_invite_tracker)]),
    "ccgw_invite_tracker_free": (None, [POINTER(ccgw_invite_tracker)]),
    # Resynchronisation (high availability).
    "ccgw_session_snapshot": (ccgw_status, [_S, _CALL, POINTER(POINTER(ccgw_snapshot))]),
    "ccgw_snapshot_free": (None, [POINTER(ccgw_snapshot)]),
}


def library_candidates(platform: str | None = None) -> list[str]:
    """Where the library is looked for, in order.

    1. ``$CCGW_LIBRARY`` alone, when set (an explicit path overrides everything);
    2. the copy inside the package (``ccgw/_lib/``, where the platform wheel puts it:
       ``libccgw.so.1`` on Linux, ``ccgw.dll`` on Windows), then, on Windows, a
       ``ccgw.dll`` placed beside the package's modules (``ccgw/ccgw.dll``);
    3. the system's search: on Linux the soname ``libccgw.so.1``, then ``libccgw.so``;
       on Windows ``ccgw.dll`` in the directories of ``PATH`` (which Python 3.8+ no longer
       searches for ctypes by itself), then ``ccgw.dll`` through the standard DLL search;
       on macOS ``libccgw.1.dylib``, then ``libccgw.dylib``.

    ``platform`` defaults to ``sys.platform``.
    """
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return [env]
    platform = platform or sys.platform
    package = Path(__file__).resolve().parent
    bundled = package / "_lib"
    found: list[str] = []
    if platform == "win32":
        found.extend(str(p) for p in (bundled / "ccgw.dll", package / "ccgw.dll") if p.is_file())
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            if directory and (Path(directory) / "ccgw.dll").is_file():
                found.append(str(Path(directory) / "ccgw.dll"))
        found.append("ccgw.dll")
    elif platform == "darwin":
        found.extend(str(p) for p in sorted(bundled.glob("libccgw*.dylib")))
        found.extend(["libccgw.1.dylib", "libccgw.dylib"])
    else:
        exact = bundled / f"libccgw.so.{CCGW_ABI_VERSION}"
        if exact.is_file():
            found.append(str(exact))
        found.extend(str(p) for p in sorted(bundled.glob("libccgw.so*")) if p != exact)
        found.extend([f"libccgw.so.{CCGW_ABI_VERSION}", "libccgw.so"])
    return list(dict.fromkeys(found))


def _load() -> ctypes.CDLL:
    errors: list[str] = []
    for candidate in library_candidates():
        try:
            lib = ctypes.CDLL(candidate)  # CDLL, never PyDLL: the GIL is released in calls
        except OSError as e:
            errors.append(f"{candidate}: {e}")
            continue
        for name, (restype, argtypes) in FUNCTIONS.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
        abi = lib.ccgw_abi_version()
        if abi != CCGW_ABI_VERSION:
            raise ImportError(
                f"{candidate} has C ABI version {abi}; this binding needs {CCGW_ABI_VERSION}"
            )
        return lib
    raise ImportError(
        "libccgw not found; install a platform wheel of ccgw (it carries the library) or set "
        "CCGW_LIBRARY to the path of libccgw.so.1 / ccgw.dll (" + "; ".join(errors) + ")"
    )


lib: ctypes.CDLL = _load()
