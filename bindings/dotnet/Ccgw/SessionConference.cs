// SessionConference.cs -- the agent-conference family beyond the seed operations, the calls a
// conference is built from, call data, the agent's status, the live conference view and
// invite trackers.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Ccgw.Interop;

namespace Ccgw
{
    public sealed partial class Session
    {
        private delegate int NoArgumentCall(SessionHandle session, IntPtr call);

        private void NoArgument(NoArgumentCall fn, CallOptions call)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(fn(handle, scope.Ptr));
        }

        private static byte[] AddressBytes(Address who, string name)
        {
            if (who == null)
                throw new ArgumentNullException(name);
            return Utf8.Encode(who.Value, name);
        }

        // ---- the agent-conference family ---------------------------------------------------

        /// <summary><c>requestAgentConf</c>: applies for a conference with this agent as chair.
        /// The grant arrives as <see cref="EventKind.ConfRequestSuccess"/>.</summary>
        public void RequestAgentConf(AgentConfRequest request, CallOptions call = null)
        {
            if (request == null)
                throw new ArgumentNullException("request");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                var r = new AgentConfRequestNative();
                CcgwException.Check(NativeMethods.ccgw_agent_conf_request_init(ref r, NativeMethods.AGENT_CONF_REQUEST_VERSION));
                r.member_num = request.MemberNum;
                r.conf_caller_no = arena.Str(request.ConfCallerNo, "ConfCallerNo");
                r.time = request.Time ?? -1;
                r.prompt_time = request.PromptTime ?? -1;
                r.beep_tone = Tri(request.BeepTone);
                r.play_mode = request.PlayMode ?? -1;
                r.voice_path = arena.Str(request.VoicePath, "VoicePath");
                scope.Check(NativeMethods.ccgw_request_agent_conf(handle, ref r, scope.Ptr));
            }
        }

        /// <summary><c>releaseAgentConf</c>: ends the conference this agent chairs.</summary>
        public void ReleaseAgentConf(CallOptions call = null) { NoArgument(NativeMethods.ccgw_release_agent_conf, call); }

        /// <summary><c>answerAgentConf</c>: joins the conference this agent is invited to.</summary>
        public void AnswerAgentConf(CallOptions call = null) { NoArgument(NativeMethods.ccgw_answer_agent_conf, call); }

        /// <summary><c>rejectAgentConf</c>: declines the invitation.</summary>
        public void RejectAgentConf(CallOptions call = null) { NoArgument(NativeMethods.ccgw_reject_agent_conf, call); }

        /// <summary><c>requestLeaveAgentConf</c>: leaves the conference this agent joined.</summary>
        public void LeaveAgentConf(CallOptions call = null) { NoArgument(NativeMethods.ccgw_leave_agent_conf, call); }

        /// <summary><c>stopVoiceToConf</c>: stops the announcement to the conference.</summary>
        public void StopVoiceToConf(CallOptions call = null) { NoArgument(NativeMethods.ccgw_stop_voice_to_conf, call); }

        /// <summary><c>unholdParticipant</c> (chair only).</summary>
        public void UnholdParticipant(Address who, CallOptions call = null)
        {
            CheckOpen();
            byte[] a = AddressBytes(who, "who");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_unhold_participant(handle, (int)who.AddressType, a, scope.Ptr));
        }

        /// <summary><c>batchRemoveParticipant</c>: removes 1-30 participants or invitees (chair
        /// only); returns those the gateway did not find.</summary>
        public IList<Address> BatchRemoveParticipant(IList<Address> addresses, CallOptions call = null)
        {
            if (addresses == null)
                throw new ArgumentNullException("addresses");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                int size = Marshal.SizeOf(typeof(AddressNative));
                IntPtr arr = addresses.Count == 0 ? IntPtr.Zero : arena.Alloc(size * addresses.Count);
                for (int i = 0; i < addresses.Count; i++)
                {
                    if (addresses[i] == null)
                        throw new CcgwArgumentException(Status.NullArgument, "addresses[" + i + "] is null");
                    var a = new AddressNative
                    {
                        address_type = (int)addresses[i].AddressType,
                        address = arena.Str(addresses[i].Value, "addresses[" + i + "]"),
                    };
                    Marshal.StructureToPtr(a, new IntPtr(arr.ToInt64() + (long)i * size), false);
                }
                IntPtr list;
                scope.Check(NativeMethods.ccgw_batch_remove_participant(handle, arr, new UIntPtr((uint)addresses.Count),
                    scope.Ptr, out list));
                try
                {
                    var l = (AddressListNative)Marshal.PtrToStructure(list, typeof(AddressListNative));
                    var missing = new List<Address>();
                    foreach (AddressNative a in NativeArray.Read<AddressNative>(l.addresses, l.count))
                        missing.Add(new Address((AddressType)a.address_type, Utf8.Decode(a.address)));
                    return missing.AsReadOnly();
                }
                finally
                {
                    NativeMethods.ccgw_address_list_free(list);
                }
            }
        }

        /// <summary><c>changeParticipantMode</c>: what a participant hears and says (chair only).</summary>
        public void ChangeParticipantMode(Address who, ParticipantMode mode, CallOptions call = null)
        {
            CheckOpen();
            byte[] a = AddressBytes(who, "who");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_change_participant_mode(handle, (int)who.AddressType, a, (int)mode, scope.Ptr));
        }

        /// <summary><c>prolongTime</c>: <paramref name="minutes"/> more (1-1440, total at most 1440).</summary>
        public void ProlongTime(int minutes, CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_prolong_time(handle, minutes, scope.Ptr));
        }

        /// <summary><c>applyToShiftPresident</c>: the joined agent becomes the chair.</summary>
        public void ShiftPresident(string destAgent, CallOptions call = null)
        {
            CheckOpen();
            byte[] d = Utf8.Encode(destAgent, "destAgent");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_shift_president(handle, d, scope.Ptr));
        }

        /// <summary><c>playVoiceToParticipant</c> (chair only).</summary>
        public void PlayVoiceToParticipant(Address who, string voicePath, int? playMode = null, CallOptions call = null)
        {
            CheckOpen();
            byte[] a = AddressBytes(who, "who");
            byte[] v = Utf8.Encode(voicePath, "voicePath");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_play_voice_to_participant(handle, (int)who.AddressType, a, playMode ?? -1, v, scope.Ptr));
        }

        /// <summary><c>stopVoiceToParticipant</c> (chair only).</summary>
        public void StopVoiceToParticipant(Address who, CallOptions call = null)
        {
            CheckOpen();
            byte[] a = AddressBytes(who, "who");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_stop_voice_to_participant(handle, (int)who.AddressType, a, scope.Ptr));
        }

        /// <summary><c>playVoiceToConf</c> (chair only).</summary>
        public void PlayVoiceToConf(string voicePath, int? playMode = null, CallOptions call = null)
        {
            CheckOpen();
            byte[] v = Utf8.Encode(voicePath, "voicePath");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_play_voice_to_conf(handle, playMode ?? -1, v, scope.Ptr));
        }

        /// <summary><c>modifyConfResource</c>: adds or removes 2-118 member places (chair only).</summary>
        public void ModifyConfResource(ResourceChange change, int count, CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_modify_conf_resource(handle, (int)change, count, scope.Ptr));
        }

        /// <summary><c>queryAllConfIds</c>: the ids of every conference of the agent's VDN (inspectors).</summary>
        public IList<long> QueryVdnConfIds(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
            {
                IntPtr list;
                scope.Check(NativeMethods.ccgw_query_vdn_conf_ids(handle, scope.Ptr, out list));
                try
                {
                    var l = (ConfIdListNative)Marshal.PtrToStructure(list, typeof(ConfIdListNative));
                    var ids = new long[(int)l.count.ToUInt64()];
                    if (ids.Length > 0)
                        Marshal.Copy(l.conf_ids, ids, 0, ids.Length);
                    return Array.AsReadOnly(ids);
                }
                finally
                {
                    NativeMethods.ccgw_conf_id_list_free(list);
                }
            }
        }

        // ---- the live conference view and invite trackers ------------------------------------

        /// <summary>A consistent snapshot of the live conference view: each conference this agent
        /// chairs or is in, as its events and own operations have told the session.</summary>
        public IList<ViewConference> ConfView()
        {
            CheckOpen();
            IntPtr view;
            CcgwException.Check(NativeMethods.ccgw_conf_view_snapshot(handle, out view));
            try
            {
                var v = (ConfViewNative)Marshal.PtrToStructure(view, typeof(ConfViewNative));
                var confs = new List<ViewConference>();
                foreach (ViewConfNative c in NativeArray.Read<ViewConfNative>(v.confs, v.count))
                {
                    var parts = new List<ViewParticipant>();
                    foreach (ViewParticipantNative p in NativeArray.Read<ViewParticipantNative>(c.participants, c.participant_count))
                    {
                        parts.Add(new ViewParticipant
                        {
                            AddressType = (AddressType)p.address_type,
                            Address = Utf8.Decode(p.address),
                            DeviceCallType = p.device_call_type,
                            DeviceType = p.device_type,
                            ChannelAttrib = p.channel_attrib,
                            AttribInferred = p.attrib_inferred,
                            ChannelState = p.channel_state,
                            Held = p.held,
                            HoldVoicePath = Utf8.Decode(p.hold_voice_path),
                            Announcement = p.announcement,
                            Role = p.role,
                            EnterTime = p.enter_time,
                            IsSelf = p.is_self,
                        });
                    }
                    confs.Add(new ViewConference
                    {
                        ConfId = c.conf_id,
                        Granted = c.granted,
                        Synced = c.synced,
                        IsChair = c.is_chair,
                        ConfState = c.conf_state,
                        StartTime = c.start_time,
                        ApplyConfTime = c.apply_conf_time,
                        ConfHaveBeenTime = c.conf_have_been_time,
                        MemberNum = c.member_num,
                        TimeoutWarned = c.timeout_warned,
                        Participants = parts.AsReadOnly(),
                    });
                }
                return confs.AsReadOnly();
            }
            finally
            {
                NativeMethods.ccgw_conf_view_free(view);
            }
        }

        /// <summary>Reconciles the view with <c>queryconfinfos</c> (every conference in it, plus
        /// <paramref name="extraConfIds"/> when this agent is in them).</summary>
        public void ResyncConfView(IEnumerable<long> extraConfIds = null, CallOptions call = null)
        {
            CheckOpen();
            long[] ids = extraConfIds == null ? new long[0] : new List<long>(extraConfIds).ToArray();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_conf_view_resync(handle, ids, new UIntPtr((uint)ids.Length), scope.Ptr));
        }

        /// <summary><c>batchAddParticipant</c> with a tracker of each invitee's outcome; invitees
        /// not settled <paramref name="deadline"/> from now are <see cref="InviteOutcomeKind.NoAnswer"/>.
        /// The event pump must run for the outcomes to arrive.</summary>
        public InviteTracker BatchAddParticipantTracked(BatchAddRequest request, TimeSpan deadline, CallOptions call = null)
        {
            if (request == null)
                throw new ArgumentNullException("request");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                BatchAddRequestNative r = BatchAddNative(request, arena);
                InviteTrackerHandle t;
                int st = NativeMethods.ccgw_batch_add_participant_tracked(handle, ref r, Ms(deadline), scope.Ptr, out t);
                if (st != Status.Ok)
                {
                    t.Dispose();
                    scope.Check(st);
                }
                return new InviteTracker(t);
            }
        }

        // ---- calls and call data -------------------------------------------------------------

        /// <summary><c>callout</c>: places a call; returns its call id.</summary>
        public string Callout(CalloutRequest request, CallOptions call = null)
        {
            if (request == null)
                throw new ArgumentNullException("request");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                var r = new CalloutRequestNative();
                CcgwException.Check(NativeMethods.ccgw_callout_request_init(ref r, NativeMethods.CALLOUT_REQUEST_VERSION));
                r.called = arena.Str(request.Called, "Called");
                r.caller = arena.Str(request.Caller, "Caller");
                r.skillid = request.SkillId ?? -1;
                r.callappdata = arena.Str(request.CallAppData, "CallAppData");
                r.mediaability = request.MediaAbility ?? -1;
                r.user_video_direction = request.UserVideoDirection ?? -1;
                IntPtr id;
                scope.Check(NativeMethods.ccgw_callout(handle, ref r, scope.Ptr, out id));
                return Utf8.TakeOwned(id);
            }
        }

        /// <summary><c>hold</c>: holds the talking call.</summary>
        public void HoldCall(CallOptions call = null) { NoArgument(NativeMethods.ccgw_hold_call, call); }

        /// <summary><c>release</c>: releases the call not on hold.</summary>
        public void ReleaseCall(CallOptions call = null) { NoArgument(NativeMethods.ccgw_release_call, call); }

        private void WithCallId(Func<SessionHandle, byte[], IntPtr, int> fn, string callId, string name, CallOptions call)
        {
            CheckOpen();
            byte[] id = Utf8.Encode(callId, name);
            using (var scope = new CallScope(call))
                scope.Check(fn(handle, id, scope.Ptr));
        }

        /// <summary><c>getHold</c>: takes a held call back (null: the gateway picks it).</summary>
        public void GetHold(string callId = null, CallOptions call = null) { WithCallId(NativeMethods.ccgw_get_hold, callId, "callId", call); }

        /// <summary><c>connectHold</c>: connects the talking party with the held call; the agent drops out.</summary>
        public void ConnectHold(string callId, CallOptions call = null) { WithCallId(NativeMethods.ccgw_connect_hold, callId, "callId", call); }

        /// <summary><c>dropCall</c>: releases the call, held or not.</summary>
        public void DropCall(string callId, CallOptions call = null) { WithCallId(NativeMethods.ccgw_drop_call, callId, "callId", call); }

        /// <summary><c>disconnect</c>: the party <paramref name="number"/> leaves the last call.</summary>
        public void Disconnect(string number, CallOptions call = null) { WithCallId(NativeMethods.ccgw_disconnect, number, "number", call); }

        /// <summary><c>secondDialEx</c>: DTMF digits (1-24 of 0-9 * #) on the talking call.</summary>
        public void SecondDial(string digits, CallOptions call = null) { WithCallId(NativeMethods.ccgw_second_dial, digits, "digits", call); }

        /// <summary>Copies a borrowed call-information list (its owner frees it).</summary>
        internal static IList<CallInfo> CopyCallInfos(IntPtr list)
        {
            var l = (CallInfoListNative)Marshal.PtrToStructure(list, typeof(CallInfoListNative));
            var calls = new List<CallInfo>();
            foreach (CallInfoNative c in NativeArray.Read<CallInfoNative>(l.calls, l.count))
                calls.Add(CallInfo.From(c));
            return calls.AsReadOnly();
        }

        private static IList<CallInfo> TakeCallInfos(IntPtr list)
        {
            try
            {
                return CopyCallInfos(list);
            }
            finally
            {
                NativeMethods.ccgw_call_info_list_free(list);
            }
        }

        /// <summary><c>holdList</c>: the held calls, oldest first (with none held the gateway
        /// refuses with 400-003).</summary>
        public IList<CallInfo> QueryHoldList(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
            {
                IntPtr list;
                scope.Check(NativeMethods.ccgw_query_hold_list(handle, scope.Ptr, out list));
                return TakeCallInfos(list);
            }
        }

        /// <summary><c>queryCallInfo</c>: the current call, null when there is none.</summary>
        public CallInfo QueryCallInfo(bool? isNoContainLastCall = null, CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
            {
                IntPtr list;
                scope.Check(NativeMethods.ccgw_query_call_info(handle, Tri(isNoContainLastCall), scope.Ptr, out list));
                IList<CallInfo> calls = TakeCallInfos(list);
                return calls.Count == 0 ? null : calls[0];
            }
        }

        /// <summary><c>queryCallInfoByCallId</c>.</summary>
        public CallInfo QueryCallInfoByCallId(string callId, CallOptions call = null)
        {
            CheckOpen();
            byte[] id = Utf8.Encode(callId, "callId");
            using (var scope = new CallScope(call))
            {
                IntPtr list;
                scope.Check(NativeMethods.ccgw_query_call_info_by_callid(handle, id, scope.Ptr, out list));
                IList<CallInfo> calls = TakeCallInfos(list);
                return calls.Count == 0 ? null : calls[0];
            }
        }

        /// <summary><c>queryAgentStatus</c>: the agent's CTI status.</summary>
        public AgentStatus QueryAgentStatus(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
            {
                int state, working;
                scope.Check(NativeMethods.ccgw_query_agent_status(handle, scope.Ptr, out state, out working));
                return new AgentStatus { State = state, IsWorking = working < 0 ? (bool?)null : working == 1 };
            }
        }
    }
}
