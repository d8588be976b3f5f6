// NativeConference.cs -- P/Invoke declarations of the agent-conference family beyond the
// seed operations, the calls and call data, the live conference view and invite trackers
// (include/ccgw.h is the reference; the conventions are those of Native.cs).
using System;
using System.Runtime.InteropServices;

namespace Ccgw.Interop
{
    /// <summary>Owns a <c>ccgw_invite_tracker*</c>; released with <c>ccgw_invite_tracker_free</c>.</summary>
    public sealed class InviteTrackerHandle : SafeHandle
    {
        public InviteTrackerHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ccgw_invite_tracker_free(handle);
            return true;
        }
    }

    /// <summary>Reads the library's result arrays.</summary>
    internal static class NativeArray
    {
        /// <summary>The <paramref name="count"/> structs at <paramref name="p"/>, copied.</summary>
        internal static System.Collections.Generic.List<T> Read<T>(IntPtr p, UIntPtr count) where T : struct
        {
            var list = new System.Collections.Generic.List<T>();
            int size = Marshal.SizeOf(typeof(T));
            for (long i = 0; i < (long)count.ToUInt64(); i++)
                list.Add((T)Marshal.PtrToStructure(new IntPtr(p.ToInt64() + i * size), typeof(T)));
            return list;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct AgentConfRequestNative
    {
        public uint version;
        public int member_num;
        public IntPtr conf_caller_no;
        public int time;
        public int prompt_time;
        public int beep_tone;
        public int play_mode;
        public IntPtr voice_path;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct AddressNative
    {
        public int address_type;
        public IntPtr address;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct AddressListNative
    {
        public UIntPtr count;
        public IntPtr addresses;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ConfIdListNative
    {
        public UIntPtr count;
        public IntPtr conf_ids;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CalloutRequestNative
    {
        public uint version;
        public IntPtr called;
        public IntPtr caller;
        public int skillid;
        public IntPtr callappdata;
        public int mediaability;
        public int user_video_direction;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CallInfoNative
    {
        public IntPtr callid;
        public int call_feature;
        public IntPtr caller;
        public IntPtr called;
        public IntPtr call_skill;
        public long call_skill_id;
        public IntPtr orig_called;
        public IntPtr call_data;
        public long begin_time;
        public long end_time;
        public int user_priority;
        public long trunk_no;
        public long logon_times;
        public int media_type;
        public int media_ability;
        public long wait_time;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CallInfoListNative
    {
        public UIntPtr count;
        public IntPtr calls;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ViewParticipantNative
    {
        public int address_type;
        public IntPtr address;
        public int device_call_type;
        public int device_type;
        public int channel_attrib;
        [MarshalAs(UnmanagedType.U1)] public bool attrib_inferred;
        public int channel_state;
        [MarshalAs(UnmanagedType.U1)] public bool held;
        public IntPtr hold_voice_path;
        [MarshalAs(UnmanagedType.U1)] public bool announcement;
        public int role;
        public long enter_time;
        [MarshalAs(UnmanagedType.U1)] public bool is_self;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ViewConfNative
    {
        public long conf_id;
        [MarshalAs(UnmanagedType.U1)] public bool granted;
        [MarshalAs(UnmanagedType.U1)] public bool synced;
        [MarshalAs(UnmanagedType.U1)] public bool is_chair;
        public int conf_state;
        public long start_time;
        public int apply_conf_time;
        public int conf_have_been_time;
        public int member_num;
        [MarshalAs(UnmanagedType.U1)] public bool timeout_warned;
        public UIntPtr participant_count;
        public IntPtr participants;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ConfViewNative
    {
        public UIntPtr count;
        public IntPtr confs;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct InviteResultNative
    {
        public int address_type;
        public IntPtr address;
        public int outcome;
        public long result;
        public long change_reason;
        public long settled_time;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct InviteResultsNative
    {
        public ulong tracker_id;
        public long conf_id;
        public UIntPtr pending;
        [MarshalAs(UnmanagedType.U1)] public bool deadline_passed;
        public UIntPtr count;
        public IntPtr invitees;
    }

    internal static partial class NativeMethods
    {
        internal const uint AGENT_CONF_REQUEST_VERSION = 1;
        internal const uint CALLOUT_REQUEST_VERSION = 1;

        // --- the agent-conference family -------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_agent_conf_request_init(ref AgentConfRequestNative req, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_request_agent_conf(SessionHandle session, ref AgentConfRequestNative req, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_release_agent_conf(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_answer_agent_conf(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_reject_agent_conf(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_leave_agent_conf(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_stop_voice_to_conf(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_unhold_participant(SessionHandle session, int addressType, byte[] address, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_batch_remove_participant(SessionHandle session, IntPtr addresses, UIntPtr count,
                                                                 IntPtr call, out IntPtr notFound);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_address_list_free(IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_change_participant_mode(SessionHandle session, int addressType, byte[] address,
                                                                int attribute, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_prolong_time(SessionHandle session, int minutes, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_shift_president(SessionHandle session, byte[] destAgent, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_play_voice_to_participant(SessionHandle session, int addressType, byte[] address,
                                                                  int playMode, byte[] voicePath, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_stop_voice_to_participant(SessionHandle session, int addressType, byte[] address,
                                                                  IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_play_voice_to_conf(SessionHandle session, int playMode, byte[] voicePath, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_modify_conf_resource(SessionHandle session, int modifyType, int modifyNum, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_vdn_conf_ids(SessionHandle session, IntPtr call, out IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_conf_id_list_free(IntPtr list);

        // --- calls and call data ---------------------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_callout_request_init(ref CalloutRequestNative req, uint version);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_callout(SessionHandle session, ref CalloutRequestNative req, IntPtr call,
                                                out IntPtr callid);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_hold_call(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_release_call(SessionHandle session, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_get_hold(SessionHandle session, byte[] callid, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_connect_hold(SessionHandle session, byte[] callid, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_drop_call(SessionHandle session, byte[] callid, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_disconnect(SessionHandle session, byte[] number, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_second_dial(SessionHandle session, byte[] digits, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_hold_list(SessionHandle session, IntPtr call, out IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_call_info(SessionHandle session, int isNoContainLastCall, IntPtr call,
                                                        out IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_call_info_by_callid(SessionHandle session, byte[] callid, IntPtr call,
                                                                  out IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_call_info_list_free(IntPtr list);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_query_agent_status(SessionHandle session, IntPtr call, out int agentState,
                                                           out int isWorking);

        // --- the live view and invite trackers ---------------------------------------------
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_conf_view_snapshot(SessionHandle session, out IntPtr view);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_conf_view_free(IntPtr view);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_conf_view_resync(SessionHandle session, long[] extraIds, UIntPtr count, IntPtr call);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_batch_add_participant_tracked(SessionHandle session, ref BatchAddRequestNative req,
                                                                      uint deadlineMs, IntPtr call,
                                                                      out InviteTrackerHandle tracker);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_invite_tracker_wait(InviteTrackerHandle tracker, uint timeoutMs);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int ccgw_invite_tracker_results(InviteTrackerHandle tracker, out IntPtr results);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_invite_results_free(IntPtr results);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ulong ccgw_invite_tracker_id(InviteTrackerHandle tracker);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void ccgw_invite_tracker_free(IntPtr tracker);
    }
}
