// ConferenceTypes.cs -- requests and results of the agent-conference family beyond the seed
// operations, the calls and call data, the live conference view and invite trackers.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Ccgw.Interop;

namespace Ccgw
{
    /// <summary><c>changeparticipantmode</c>'s <c>attribute</c> (a participant's <c>channelAttrib</c>).</summary>
    public enum ParticipantMode { Listen = 1, Speak = 2, ListenSpeak = 3, None = 4 }

    /// <summary><c>modifyconfresource</c>'s <c>modifyType</c>.</summary>
    public enum ResourceChange { Add = 0, Remove = 1 }

    /// <summary><c>CCGW_INVITE_*</c>: what became of an invitee.</summary>
    public enum InviteOutcomeKind
    {
        /// <summary>Not an invite outcome (events of other kinds).</summary>
        NotApplicable = -1,
        Pending = 0,
        Joined = 1,
        /// <summary>Rejected, busy, not answered or unreachable; <see cref="InviteOutcome.Result"/> is the code.</summary>
        Failed = 2,
        /// <summary>Went away before it answered; <see cref="InviteOutcome.ChangeReason"/> says why.</summary>
        Released = 3,
        /// <summary>No answer by the deadline.</summary>
        NoAnswer = 4,
        ConfEnded = 5,
    }

    /// <summary>A participant address: a phone number or an agent id.</summary>
    public sealed class Address : IEquatable<Address>
    {
        public AddressType AddressType { get; set; }
        public string Value { get; set; }

        public Address() { }
        public Address(AddressType type, string value) { AddressType = type; Value = value; }
        public static Address Phone(string number) { return new Address(AddressType.Phone, number); }
        public static Address Agent(string agentId) { return new Address(AddressType.Agent, agentId); }

        public bool Equals(Address other) { return other != null && other.AddressType == AddressType && other.Value == Value; }
        public override bool Equals(object obj) { return Equals(obj as Address); }
        public override int GetHashCode() { return ((int)AddressType * 31) ^ (Value ?? "").GetHashCode(); }
        public override string ToString() { return AddressType + ":" + Value; }
    }

    /// <summary>The <c>requestagentconf</c> request; null leaves a field out.</summary>
    public sealed class AgentConfRequest
    {
        /// <summary>Member places, 1-120 (mandatory).</summary>
        public int MemberNum { get; set; }
        public string ConfCallerNo { get; set; }
        /// <summary>Minutes, 4-1440.</summary>
        public int? Time { get; set; }
        /// <summary>Minutes before the end for <c>AgentConf_Timeout</c>, 3-1440.</summary>
        public int? PromptTime { get; set; }
        public bool? BeepTone { get; set; }
        public int? PlayMode { get; set; }
        public string VoicePath { get; set; }
    }

    /// <summary>The <c>callout</c> request; null leaves a field out.</summary>
    public sealed class CalloutRequest
    {
        /// <summary>1-24 of the digits, * and # (mandatory).</summary>
        public string Called { get; set; }
        public string Caller { get; set; }
        public int? SkillId { get; set; }
        public string CallAppData { get; set; }
        public int? MediaAbility { get; set; }
        public int? UserVideoDirection { get; set; }
    }

    /// <summary>One call as the gateway describes it; numbers left out are -1.</summary>
    public sealed class CallInfo
    {
        public string CallId { get; internal set; }
        /// <summary>7 outbound, 0 inbound.</summary>
        public int CallFeature { get; internal set; }
        public string Caller { get; internal set; }
        public string Called { get; internal set; }
        public string CallSkill { get; internal set; }
        public long CallSkillId { get; internal set; }
        public string OrigCalled { get; internal set; }
        public string CallData { get; internal set; }
        public long BeginTime { get; internal set; }
        public long EndTime { get; internal set; }
        public int UserPriority { get; internal set; }
        public long TrunkNo { get; internal set; }
        public long LogonTimes { get; internal set; }
        public int MediaType { get; internal set; }
        public int MediaAbility { get; internal set; }
        public long WaitTime { get; internal set; }

        internal static CallInfo From(CallInfoNative c)
        {
            return new CallInfo
            {
                CallId = Utf8.Decode(c.callid),
                CallFeature = c.call_feature,
                Caller = Utf8.Decode(c.caller),
                Called = Utf8.Decode(c.called),
                CallSkill = Utf8.Decode(c.call_skill),
                CallSkillId = c.call_skill_id,
                OrigCalled = Utf8.Decode(c.orig_called),
                CallData = Utf8.Decode(c.call_data),
                BeginTime = c.begin_time,
                EndTime = c.end_time,
                UserPriority = c.user_priority,
                TrunkNo = c.trunk_no,
                LogonTimes = c.logon_times,
                MediaType = c.media_type,
                MediaAbility = c.media_ability,
                WaitTime = c.wait_time,
            };
        }
    }

    /// <summary>The agent's CTI status (<c>agentstatus</c>).</summary>
    public sealed class AgentStatus
    {
        /// <summary>1 idle, 3 occupied, 4 answering, 5 talking, 6 working, 7 busy, ...; -1 not given.</summary>
        public int State { get; internal set; }
        /// <summary>In a call; null when not given.</summary>
        public bool? IsWorking { get; internal set; }
    }

    /// <summary>A participant of the live conference view; numbers unknown are -1.</summary>
    public sealed class ViewParticipant
    {
        public AddressType AddressType { get; internal set; }
        public string Address { get; internal set; }
        public int DeviceCallType { get; internal set; }
        public int DeviceType { get; internal set; }
        /// <summary>1 listen only, 2 speak only, 3 both, 4 neither.</summary>
        public int ChannelAttrib { get; internal set; }
        /// <summary>The mode was inferred from a mute/unmute event someone else caused.</summary>
        public bool AttribInferred { get; internal set; }
        /// <summary>0 talking, 1 held, 2 announcement playing.</summary>
        public int ChannelState { get; internal set; }
        public bool Held { get; internal set; }
        public string HoldVoicePath { get; internal set; }
        public bool Announcement { get; internal set; }
        /// <summary>0 participant, 1 chair.</summary>
        public int Role { get; internal set; }
        public long EnterTime { get; internal set; }
        public bool IsSelf { get; internal set; }
    }

    /// <summary>A conference of the live view; numbers unknown are -1.</summary>
    public sealed class ViewConference
    {
        public long ConfId { get; internal set; }
        public bool Granted { get; internal set; }
        /// <summary>Everything the gateway would report is known (else call <see cref="Session.ResyncConfView"/>).</summary>
        public bool Synced { get; internal set; }
        public bool IsChair { get; internal set; }
        public int ConfState { get; internal set; }
        public long StartTime { get; internal set; }
        public int ApplyConfTime { get; internal set; }
        public int ConfHaveBeenTime { get; internal set; }
        public int MemberNum { get; internal set; }
        public bool TimeoutWarned { get; internal set; }
        public IList<ViewParticipant> Participants { get; internal set; }
    }

    /// <summary>One invitee of a tracked batch invitation and its outcome.</summary>
    public sealed class InviteOutcome
    {
        public Address Address { get; internal set; }
        public InviteOutcomeKind Outcome { get; internal set; }
        /// <summary>The gateway's result: 0 joined, the failure code for Failed; -1 when no event said.</summary>
        public long Result { get; internal set; }
        /// <summary>Why it went away, for Released; -1 otherwise.</summary>
        public long ChangeReason { get; internal set; }
        public long SettledTime { get; internal set; }
    }

    /// <summary>A consistent copy of a tracker's outcomes.</summary>
    public sealed class InviteResults
    {
        public ulong TrackerId { get; internal set; }
        public long ConfId { get; internal set; }
        public int Pending { get; internal set; }
        public bool DeadlinePassed { get; internal set; }
        public IList<InviteOutcome> Invitees { get; internal set; }
    }

    /// <summary>The per-invitee outcomes of one batch invitation (<c>ccgw_invite_tracker</c>),
    /// from <see cref="Session.BatchAddParticipantTracked"/>. Wait on it, or follow its
    /// <see cref="EventKind.InviteOutcome"/> / <see cref="EventKind.InvitesSettled"/> events.</summary>
    public sealed class InviteTracker : IDisposable
    {
        private readonly InviteTrackerHandle handle;

        internal InviteTracker(InviteTrackerHandle handle)
        {
            this.handle = handle;
            Id = NativeMethods.ccgw_invite_tracker_id(handle);
        }

        /// <summary>The tracker's id, as in its events.</summary>
        public ulong Id { get; private set; }

        /// <summary>Waits until no invitee is pending (at the latest the deadline), at most
        /// <paramref name="timeout"/> (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/>:
        /// until then). True when all are settled, false on timeout; throws
        /// <see cref="CcgwClosedException"/> when the session was closed.</summary>
        public bool Wait(TimeSpan timeout)
        {
            uint ms = timeout == System.Threading.Timeout.InfiniteTimeSpan ? NativeMethods.WAIT_FOREVER : Session.Ms(timeout);
            int st = NativeMethods.ccgw_invite_tracker_wait(handle, ms);
            if (st == Status.Timeout)
                return false;
            CcgwException.Check(st);
            return true;
        }

        /// <summary>A consistent copy of the outcomes so far.</summary>
        public InviteResults Results()
        {
            IntPtr p;
            CcgwException.Check(NativeMethods.ccgw_invite_tracker_results(handle, out p));
            try
            {
                var r = (InviteResultsNative)Marshal.PtrToStructure(p, typeof(InviteResultsNative));
                var list = new List<InviteOutcome>();
                foreach (InviteResultNative x in NativeArray.Read<InviteResultNative>(r.invitees, r.count))
                {
                    list.Add(new InviteOutcome
                    {
                        Address = new Address((AddressType)x.address_type, Utf8.Decode(x.address)),
                        Outcome = (InviteOutcomeKind)x.outcome,
                        Result = x.result,
                        ChangeReason = x.change_reason,
                        SettledTime = x.settled_time,
                    });
                }
                return new InviteResults
                {
                    TrackerId = r.tracker_id,
                    ConfId = r.conf_id,
                    Pending = (int)r.pending.ToUInt64(),
                    DeadlinePassed = r.deadline_passed,
                    Invitees = list.AsReadOnly(),
                };
            }
            finally
            {
                NativeMethods.ccgw_invite_results_free(p);
            }
        }

        /// <summary>Frees the tracker (no more of its events).</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
