// Native.cs -- P/Invoke declarations of libccgw (include/ccgw.h is the reference).
//
// Every declaration uses explicit marshalling so that Mono and .NET 8 behave the same:
//  - input strings are passed as NUL-terminated UTF-8 byte[] (Utf8.Encode), or as IntPtr
//    fields pointing at unmanaged UTF-8 copies (Utf8Arena) inside structs;
//  - strings the library allocates come back as IntPtr and are copied, then freed with
//    ccgw_string_free (never declared as a `string` return);
//  - borrowed static strings (ccgw_version, last error) come back as IntPtr and are copied;
//  - C `bool` is one byte: [MarshalAs(UnmanagedType.U1)].
// The import name is "ccgw"; NativeLoader (run by the static constructor below, before the
// first call) finds the file under its real name (libccgw.so.1, ccgw.dll). See README.md.
using System;
using System.Runtime.InteropServices;

namespace Ccgw.Interop
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void EventCallbackNative(IntPtr userdata, IntPtr ev);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void LogCallbackNative(IntPtr userdata, IntPtr record);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void UserdataFreeNative(IntPtr userdata);

    [StructLayout(LayoutKind.Sequential)]
    internal struct SessionOptionsNative
    {
        public uint version;
        public IntPtr base_url;
        public IntPtr fallback_urls;
        public UIntPtr fallback_url_count;
        public IntPtr agent_id;
        public uint agent_id_max;
        public IntPtr ca_file;
        public IntPtr ca_pem;
        public UIntPtr ca_pem_len;
        [MarshalAs(UnmanagedType.U1)] public bool insecure_accept_any_certificate;
        [MarshalAs(UnmanagedType.U1)] public bool allow_plain_http;
        public uint connect_timeout_ms;
        public uint request_timeout_ms;
        public uint auth_mode;
        // version 2
        public IntPtr pinned_sha256;
        public IntPtr pinned_cert_file;
        [MarshalAs(UnmanagedType.U1)] public bool disable_cookies;
        public IntPtr proxy_url;
        public IntPtr proxy_username;
        public IntPtr proxy_password;
        public IntPtr no_proxy;
        [MarshalAs(UnmanagedType.U1)] public bool proxy_from_environment;
        // version 3 (fail-over, issue 11)
        public uint switchover_wait_ms;
        public uint failback_after_ms;
        public uint retry_backoff_initial_ms;
        public uint retry_backoff_max_ms;
        public uint retry_rounds;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SignInOptionsNative
    {
        public uint version;
        public IntPtr password;
        public IntPtr phonenum;
        public int autoanswer;
        public int autoenteridle;
        public int releasephone;
        public int agenttype;
        public int status;
        public IntPtr ip;
        public IntPtr entry_ip;
        public int phonelinkage;
        public int check_in_webm;
        public int check_in_mailm;
        public IntPtr vc_phone_number;
        public int listen_status;
        [MarshalAs(UnmanagedType.U1)] public bool force;
        [MarshalAs(UnmanagedType.U1)] public bool auto_resign_in;
        [MarshalAs(UnmanagedType.U1)] public bool allow_forced_resign_in;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct SignInResultNative
    {
        public long vdn_id;
        public IntPtr work_no;
        public IntPtr media_type;
        public long login_time;
        public int is_force_change;
        public IntPtr server_name;
        public long time_remaining;
        [MarshalAs(UnmanagedType.U1)] public bool forced;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CallOptionsNative
    {
        public uint version;
        public uint timeout_ms;
        public IntPtr cancel;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ParticipantNative
    {
        public int address_type;
        public IntPtr address;
        public int device_call_type;
        public int device_type;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct BatchAddRequestNative
    {
        public uint version;
        public IntPtr participants;
        public UIntPtr participant_count;
        public int beep_tone;
        public int play_mode;
        public IntPtr voice_path;
        public IntPtr caller;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct HoldRequestNative
    {
        public uint version;
        public int address_type;
        public IntPtr address;
        public int play_mode;
        public IntPtr voice_path;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ConfParticipantNative
    {
        public int address_type;
        public IntPtr address;
        public int device_call_type;
        public int device_type;
        public int channel_attrib;
        public int channel_state;
        public int role;
        public long enter_time;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ConfInfoNative
    {
        public long conf_id;
        public int conf_state;
        public long start_time;
        public int apply_conf_time;
        public int conf_have_been_time;
        public UIntPtr participant_count;
        public IntPtr participants;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ConfListNative
    {
        public UIntPtr count;
        public IntPtr confs;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EventsOptionsNative
    {
        public uint version;
        public uint queue_capacity;
        public uint poll_timeout_ms;
        public uint poll_interval_ms;
        public uint max_outage_ms;
        public uint backoff_max_ms;
        public uint max_stall_ms;
        public UIntPtr queue_max_bytes;
        public UIntPtr max_event_bytes;
        [MarshalAs(UnmanagedType.U1)] public bool resync_after_gap;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct DispatchOptionsNative
    {
        public uint version;
        public uint threads;
        public uint max_threads;
        public uint stall_ms;
        public uint idle_ms;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct EventNative
    {
        public int kind;
        public IntPtr type_name;
        public IntPtr work_no;
        public long gen_time;
        public long received_time;
        public ulong sequence;
        public IntPtr content_json;
        public IntPtr event_json;
        public long conf_id;
        public long result;
        public long change_type;
        public long change_reason;
        public IntPtr participant;
        public long participant_type;
        public long device_call_type;
        public long device_type;
        public long cause;
        public IntPtr callid;
        public IntPtr number;
        public UIntPtr partner_count;
        public IntPtr partners;
        public ulong lost_count;
        public int status;
        public IntPtr message;
        public int lost_reason;
        public IntPtr caller;
        public IntPtr called;
        public long phone_state;
        public IntPtr reason;
        public int outcome;
        public ulong tracker_id;
        public long gap_start;
        public long gap_end;
        public int cause_status;
        public uint attempt;
        public IntPtr snapshot;
    }

    // ---- high availability: the resynchronisation snapshot ----------------------------

    [StructLayout(LayoutKind.Sequential)]
    internal struct SnapshotNative
    {
        public long taken_at;
        public int agent_status_status;
        public int agent_state;
        public int is_working;
        public int calls_status;
        public IntPtr held_calls;
        public IntPtr active_calls;
        public int conf_ids_status;
        public int conferences_status;
        public IntPtr conferences;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct LogRecordNative
    {
        public int level;
        public IntPtr operation;
        public IntPtr message;
    }

    internal static partial class NativeMethods
    {
        internal const string Lib = "ccgw";

        static NativeMethods()
        {
            NativeLoader.EnsureLoaded();
        }

        internal const uint ABI_VERSION = 1;
        internal const uint SESSION_OPTIONS_VERSION = 3;
        internal const uint SIGN_IN_OPTIONS_VERSION = 2;
        internal const uint CALL_OPTIONS_VERSION = 1;
        internal const uint BATCH_ADD_REQUEST_VERSION = 1;
        internal const uint HOLD_REQUEST_VERSION = 1;
        internal const uint EVENTS_OPTIONS_VERSION = 3;
        internal const uint DISPATCH_OPTIONS_VERSION = 1;
        internal const uint WAIT_FOREVER = uint.MaxValue;

        // --- library, statuses, last error -------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr ccgw_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint ccgw_abi_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr ccgw_status_str(int status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool ccgw_status_is_gateway(int status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_last_error_status();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr ccgw_last_error_message();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr ccgw_last_error_retcode();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_last_error_http_status();

        // issue 11 (fail-over)
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_status_outcome(int status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool ccgw_status_retryable(int status);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern long ccgw_last_error_cti_code();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_string_free(IntPtr s);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_global_shutdown(uint timeoutMs);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_set_log_callback(int maxLevel, LogCallbackNative callback,
                                                         IntPtr userdata, UserdataFreeNative userdataFree);

        // --- cancellation --------------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_cancel_new(out CancelHandle handle);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_cancel_cancel(CancelHandle handle);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_cancel_free(IntPtr handle);

        // --- option and request structs -------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_options_init(ref SessionOptionsNative opts, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_sign_in_options_init(ref SignInOptionsNative opts, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_call_options_init(ref CallOptionsNative opts, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_batch_add_request_init(ref BatchAddRequestNative req, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_hold_request_init(ref HoldRequestNative req, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_options_init(ref EventsOptionsNative opts, uint version);

        // --- the callback pool ------------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_dispatch_options_init(ref DispatchOptionsNative opts, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_global_set_dispatch_options(ref DispatchOptionsNative opts);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_global_get_dispatch_options(ref DispatchOptionsNative opts);

        // --- session ---------------------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_new(ref SessionOptionsNative opts, out SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_session_free(IntPtr session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_close(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_sign_in(SessionHandle session, ref SignInOptionsNative opts,
                                                        IntPtr call, out IntPtr result);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_sign_in_result_free(IntPtr result);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_sign_out(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_update_guid(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_set_guid(SessionHandle session, byte[] guid);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_get_guid(SessionHandle session, out IntPtr guid);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr ccgw_session_agent_id(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_request(SessionHandle session, byte[] method, byte[] path,
                                                        byte[] jsonBody, IntPtr call, out IntPtr jsonOut);

        // --- the five operations ------------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_batch_add_participant(SessionHandle session, ref BatchAddRequestNative req,
                                                              IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_hold_participant(SessionHandle session, ref HoldRequestNative req, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_conf_infos(SessionHandle session, long[] confIds, UIntPtr count,
                                                         IntPtr call, out IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_conf_list_free(IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_conf_join(SessionHandle session, byte[] callid, byte[] callappdata, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_third_party_conf_transmit_num(SessionHandle session, IntPtr call);

        // --- events -------------------------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_start(SessionHandle session, ref EventsOptionsNative opts);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_stop(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_next(SessionHandle session, uint timeoutMs, out IntPtr ev);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_event_free(IntPtr ev);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_set_callback(SessionHandle session, EventCallbackNative callback,
                                                            IntPtr userdata, UserdataFreeNative userdataFree);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_events_status(SessionHandle session);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool ccgw_events_running(SessionHandle session);

        // ---- high availability: resynchronisation ----------------------------------------

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_session_snapshot(SessionHandle session, IntPtr call, out IntPtr snapshot);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_snapshot_free(IntPtr snapshot);
    }
}
