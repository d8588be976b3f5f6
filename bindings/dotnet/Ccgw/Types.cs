// Types.cs -- options, requests and results of the .NET surface.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Ccgw.Interop;

namespace Ccgw
{
    /// <summary>Authentication mode the gateway is configured with.</summary>
    public enum AuthMode { Dynamic = 2, Static = 1 }

    /// <summary>Participant address type.</summary>
    public enum AddressType { Phone = 6, Agent = 9 }

    /// <summary>Log levels of <see cref="Library.SetLogCallback"/>.</summary>
    public enum LogLevel { Off = 0, Error = 1, Warn = 2, Info = 3, Debug = 4, Trace = 5 }

    /// <summary><c>CCGW_EVENT_*</c>: which typed fields of an <see cref="Event"/> apply.</summary>
    public enum EventKind
    {
        Other = 0,
        ConfParticipantChanged = 1,
        ConfRequestSuccess = 2,
        ConfRequestFailed = 3,
        ConfSelfJoinResult = 4,
        ConfTimeout = 5,
        ConfRinging = 6,
        ConfSelfLeaveResult = 7,
        ConfPresidentChanged = 8,
        ConfStopVoice = 9,
        ConfStopParticipantVoice = 10,
        Conference = 11,
        CustomerRelease = 12,
        CallTalking = 13,
        CallHold = 14,
        CallRelease = 15,
        ConnectFail = 16,
        CallOutFail = 17,
        CustomerAlerting = 18,
        CallRinging = 19,
        PhoneAlerting = 20,
        PhoneOffhook = 21,
        PhoneRelease = 22,
        ShutdownService = 23,
        AgentStateReady = 24,
        AgentStateBusy = 25,
        AgentStateNotReady = 26,
        AgentStateWork = 27,
        AgentStateOther = 28,
        EventsLost = 100,
        Malformed = 101,
        PumpError = 102,
        PumpRecovered = 103,
        PumpStopped = 104,
        InviteOutcome = 105,
        InvitesSettled = 106,
        SessionLost = 107,
        SigningInAgain = 108,
        SignedInAgain = 109,
        SignInAgainFailed = 110,
        Snapshot = 111,
    }

    /// <summary><c>CCGW_LOST_*</c>: why an <see cref="EventKind.EventsLost"/> report dropped
    /// its events.</summary>
    public enum LostReason
    {
        /// <summary>Not an EventsLost report.</summary>
        None = 0,
        /// <summary>The queue held <c>QueueCapacity</c> events.</summary>
        QueueFull = 1,
        /// <summary>The queued events held <c>QueueMaxBytes</c> of memory.</summary>
        QueueBytes = 2,
        /// <summary>Each was larger than <c>MaxEventBytes</c>; never queued.</summary>
        TooLarge = 3,
        /// <summary>A poll failed after it was sent: events may have been lost.</summary>
        PollFailed = 4,
        /// <summary>Polls moved to another gateway, or a gateway node answered a poll 000-004 (switching over): events queued on the old node, or during the switchover, are lost.</summary>
        Failover = 5,
        /// <summary>The session was lost and signed in again.</summary>
        SignInAgain = 6,
    }

    /// <summary>How to reach and trust the gateway, and which agent the session is for.</summary>
    public sealed class SessionOptions
    {
        /// <summary>Gateway base URL, e.g. https://gw.example:8043 (mandatory).</summary>
        public string BaseUrl { get; set; }
        /// <summary>Further gateways tried in order when the current one cannot be reached.</summary>
        public IList<string> FallbackUrls { get; set; }
        /// <summary>Agent id (work number), e.g. "153" (mandatory).</summary>
        public string AgentId { get; set; }
        /// <summary>Highest accepted agent id; 0 means 59999.</summary>
        public uint AgentIdMax { get; set; }
        /// <summary>PEM file of the CA(s) the gateway's certificate chains to; null: system store.</summary>
        public string CaFile { get; set; }
        /// <summary>The same as PEM bytes in memory.</summary>
        public byte[] CaPem { get; set; }
        /// <summary>INSECURE, labs only: accept any server certificate.</summary>
        public bool InsecureAcceptAnyCertificate { get; set; }
        /// <summary>Accept http:// base URLs.</summary>
        public bool AllowPlainHttp { get; set; }
        /// <summary>Connect timeout; null: the library default (5 s).</summary>
        public TimeSpan? ConnectTimeout { get; set; }
        /// <summary>Request timeout of every call; null: the library default (15 s).</summary>
        public TimeSpan? RequestTimeout { get; set; }
        public AuthMode AuthMode { get; set; }
        /// <summary>Certificate pinning: trust exactly the gateway certificate(s) with these SHA-256
        /// fingerprints (comma-separated, as <c>openssl x509 -fingerprint -sha256</c> prints them)
        /// instead of a CA; see <c>pinned_sha256</c> in ccgw.h.</summary>
        public string PinnedSha256 { get; set; }
        /// <summary>Certificate pinning by the certificate itself: a PEM or DER file of the gateway's
        /// certificate; see <c>pinned_cert_file</c> in ccgw.h.</summary>
        public string PinnedCertFile { get; set; }
        /// <summary>Neither keep nor send cookies (by default each session keeps its own, which is
        /// what holds it on one gateway node behind a sticky-cookie load balancer); see
        /// <c>disable_cookies</c> in ccgw.h.</summary>
        public bool DisableCookies { get; set; }
        /// <summary>A forward proxy, <c>http://host:port</c> (HTTPS is tunnelled with CONNECT); null: none,
        /// and the proxy environment variables are ignored unless <see cref="ProxyFromEnvironment"/>.</summary>
        public string ProxyUrl { get; set; }
        /// <summary>The proxy's user name (Basic authentication), with <see cref="ProxyPassword"/>.</summary>
        public string ProxyUsername { get; set; }
        /// <summary>The proxy's password; never in a log record or a message.</summary>
        public string ProxyPassword { get; set; }
        /// <summary>Hosts reached without the proxy, in the NO_PROXY syntax.</summary>
        public string NoProxy { get; set; }
        /// <summary>Use the proxy HTTPS_PROXY / ALL_PROXY / NO_PROXY name (off by default).</summary>
        public bool ProxyFromEnvironment { get; set; }
        // ---- issue 11 (fail-over; ccgw_session_options version 3, FAIL-OVER in ccgw.h)
        /// <summary>How long a node may answer 000-004 before requests move on; null: 30 s.</summary>
        public TimeSpan? SwitchoverWait { get; set; }
        /// <summary>A new sign-in goes back to the primary unless it failed within this; null: 60 s.</summary>
        public TimeSpan? FailbackAfter { get; set; }
        /// <summary>Bound of the first pause between retry rounds (full jitter); null: 250 ms.</summary>
        public TimeSpan? RetryBackoffInitial { get; set; }
        /// <summary>Cap of the pauses' bound; null: 5 s.</summary>
        public TimeSpan? RetryBackoffMax { get; set; }
        /// <summary>Rounds over all the base URLs; 0: 3; at most 100.</summary>
        public uint RetryRounds { get; set; }

        public SessionOptions() { AuthMode = AuthMode.Dynamic; }
    }

    /// <summary>Sign-in fields; null (strings) and null (tri-states, ints) leave a field out.</summary>
    public sealed class SignInOptions
    {
        public string Password { get; set; }
        /// <summary>Phone number to bind; mandatory with <see cref="Force"/>.</summary>
        public string PhoneNumber { get; set; }
        public bool? AutoAnswer { get; set; }
        public bool? AutoEnterIdle { get; set; }
        public bool? ReleasePhone { get; set; }
        /// <summary>4 (PC + phone) or 11 (PC + phone, video).</summary>
        public int? AgentType { get; set; }
        /// <summary>3 busy, 4 idle, 5 wrap-up.</summary>
        public int? Status { get; set; }
        public string Ip { get; set; }
        public string EntryIp { get; set; }
        public bool? PhoneLinkage { get; set; }
        public bool? CheckInWebM { get; set; }
        public bool? CheckInMailM { get; set; }
        public string VcPhoneNumber { get; set; }
        public bool? ListenStatus { get; set; }
        /// <summary>Take the agent over by forced sign-in when it is already signed in.</summary>
        public bool Force { get; set; }
        /// <summary>Stay signed in: the library keeps this request (wiped at sign-out and
        /// close) and the event pump signs in again when the gateway says the session is gone,
        /// each step an event (SessionLost, SigningInAgain, SignedInAgain, SignInAgainFailed).</summary>
        public bool AutoResignIn { get; set; }
        /// <summary>Signing in again may sign in by force (needs <see cref="PhoneNumber"/>).</summary>
        public bool AllowForcedResignIn { get; set; }
    }

    /// <summary>What the gateway says about a sign-in.</summary>
    public sealed class SignInResult
    {
        public long VdnId { get; internal set; }
        public string WorkNo { get; internal set; }
        public string MediaType { get; internal set; }
        public long LoginTime { get; internal set; }
        public int IsForceChange { get; internal set; }
        public string ServerName { get; internal set; }
        public long TimeRemaining { get; internal set; }
        public bool Forced { get; internal set; }
    }

    /// <summary>One log record of the library (see <see cref="Library.Log"/>).</summary>
    public sealed class LogEventArgs : EventArgs
    {
        public LogEventArgs(LogLevel level, string operation, string message, DateTimeOffset timestamp)
        {
            Level = level;
            Operation = operation;
            Message = message;
            Timestamp = timestamp;
        }

        /// <summary>Error, Warn, Info, Debug or Trace.</summary>
        public LogLevel Level { get; private set; }

        /// <summary>The operation as the gateway documentation names it (e.g.
        /// <c>batchAddParticipant</c>, <c>confJoin</c>), or "" for library-wide records.</summary>
        public string Operation { get; private set; }

        /// <summary>One line of English text, without secrets or call data.</summary>
        public string Message { get; private set; }

        /// <summary>When the record reached .NET (UTC).</summary>
        public DateTimeOffset Timestamp { get; private set; }
    }

    /// <summary>A native cancellation token (<c>ccgw_cancel</c>): cancelling it makes every call
    /// using it return <see cref="CcgwCancelledException"/> promptly. It cannot be reset.</summary>
    public sealed class CancelToken : IDisposable
    {
        // Loads the native library (NativeLoader) before this class is first used. .NET and
        // .NET Framework bind a P/Invoke at its first call, which comes after; Mono binds it
        // when compiling the calling method, which can come before (see NativeLoader).
        static CancelToken()
        {
            NativeLoader.EnsureLoaded();
        }

        internal readonly CancelHandle Handle;

        public CancelToken()
        {
            CancelHandle h;
            int st = NativeMethods.ccgw_cancel_new(out h);
            CcgwException.Check(st);
            Handle = h;
        }

        public void Cancel()
        {
            if (Handle.IsClosed)
                throw new ObjectDisposedException("CancelToken");
            CcgwException.Check(NativeMethods.ccgw_cancel_cancel(Handle));
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>Per-call options: a timeout, a native <see cref="CancelToken"/>, and/or a
    /// .NET CancellationToken (which cancels the call through a temporary native token).</summary>
    public sealed class CallOptions
    {
        /// <summary>Request timeout for this call; null: the session's.</summary>
        public TimeSpan? Timeout { get; set; }
        public CancelToken Cancel { get; set; }
        public CancellationToken CancellationToken { get; set; }
    }

    /// <summary>One invitee of <see cref="Session.BatchAddParticipant"/>.</summary>
    public sealed class Invitee
    {
        public AddressType AddressType { get; set; }
        public string Address { get; set; }
        /// <summary>0-255; null: the gateway's default.</summary>
        public int? DeviceCallType { get; set; }
        public int? DeviceType { get; set; }

        public Invitee() { }
        public Invitee(AddressType type, string address) { AddressType = type; Address = address; }
    }

    /// <summary>The <c>batchaddparticipant</c> request.</summary>
    public sealed class BatchAddRequest
    {
        public IList<Invitee> Participants { get; set; }
        public bool? BeepTone { get; set; }
        public int? PlayMode { get; set; }
        public string VoicePath { get; set; }
        public string Caller { get; set; }

        public BatchAddRequest() { Participants = new List<Invitee>(); }
    }

    /// <summary>The <c>holdparticipant</c> request.</summary>
    public sealed class HoldRequest
    {
        public AddressType AddressType { get; set; }
        public string Address { get; set; }
        public int? PlayMode { get; set; }
        public string VoicePath { get; set; }
    }

    /// <summary>A participant as <c>queryconfinfos</c> reports it; numbers left out are -1.</summary>
    public sealed class ConfParticipant
    {
        public int AddressType { get; internal set; }
        public string Address { get; internal set; }
        public int DeviceCallType { get; internal set; }
        public int DeviceType { get; internal set; }
        /// <summary>1 listen only, 2 speak only, 3 listen and speak.</summary>
        public int ChannelAttrib { get; internal set; }
        /// <summary>0 talking, 1 held, 2 announcement playing.</summary>
        public int ChannelState { get; internal set; }
        /// <summary>0 participant, 1 chairperson.</summary>
        public int Role { get; internal set; }
        public long EnterTime { get; internal set; }
    }

    /// <summary>A conference as <c>queryconfinfos</c> reports it; numbers left out are -1.</summary>
    public sealed class Conference
    {
        public long ConfId { get; internal set; }
        public int ConfState { get; internal set; }
        public long StartTime { get; internal set; }
        public int ApplyConfTime { get; internal set; }
        public int ConfHaveBeenTime { get; internal set; }
        public IList<ConfParticipant> Participants { get; internal set; }
    }

    /// <summary>Event pump settings; 0 takes the library default.</summary>
    public sealed class EventsOptions
    {
        public uint QueueCapacity { get; set; }
        public uint PollTimeoutMs { get; set; }
        public uint PollIntervalMs { get; set; }
        public uint MaxOutageMs { get; set; }
        public uint BackoffMaxMs { get; set; }
        public uint MaxStallMs { get; set; }
        /// <summary>Memory the queued events may hold, bytes; 0: 64 MiB.</summary>
        public ulong QueueMaxBytes { get; set; }
        /// <summary>Largest event accepted, bytes of JSON; 0: 1 MiB. Larger ones are
        /// reported as lost (<see cref="LostReason.TooLarge"/>).</summary>
        public ulong MaxEventBytes { get; set; }
        /// <summary>After each gap (<see cref="EventKind.EventsLost"/> for a failed poll, a
        /// fail-over or a new sign-in) a <see cref="EventKind.Snapshot"/> event follows.</summary>
        public bool ResyncAfterGap { get; set; }
    }

    /// <summary>The callback pool's settings, process-wide (<c>ccgw_dispatch_options</c>): every
    /// session's event callback runs on these few threads. 0 (or <see cref="TimeSpan.Zero"/>)
    /// takes the library default.</summary>
    public sealed class DispatchOptions
    {
        /// <summary>Threads kept for callbacks; 0: 4.</summary>
        public uint Threads { get; set; }
        /// <summary>Hard cap on threads, the watchdog's included; 0: 64 (or Threads, when larger).</summary>
        public uint MaxThreads { get; set; }
        /// <summary>The watchdog adds a thread when every one has been inside a callback this
        /// long while other sessions' events wait; zero: 100 ms.</summary>
        public TimeSpan Stall { get; set; }
        /// <summary>A thread above Threads ends after this long without work; zero: 10 s.</summary>
        public TimeSpan Idle { get; set; }
    }

    /// <summary>One event, copied out of the library's memory. Numbers an event does not carry
    /// are -1, strings it does not carry are empty.</summary>
    public sealed class Event
    {
        public EventKind Kind { get; private set; }
        public string TypeName { get; private set; }
        public string WorkNo { get; private set; }
        public long GenTime { get; private set; }
        public long ReceivedTime { get; private set; }
        public ulong Sequence { get; private set; }
        public string ContentJson { get; private set; }
        public string EventJson { get; private set; }
        public long ConfId { get; private set; }
        public long Result { get; private set; }
        public long ChangeType { get; private set; }
        public long ChangeReason { get; private set; }
        public string Participant { get; private set; }
        public long ParticipantType { get; private set; }
        public long DeviceCallType { get; private set; }
        public long DeviceType { get; private set; }
        public long Cause { get; private set; }
        public string CallId { get; private set; }
        public string Number { get; private set; }
        public IList<string> Partners { get; private set; }
        public ulong LostCount { get; private set; }
        public int Status { get; private set; }
        public string Message { get; private set; }
        /// <summary>EventsLost: why the events were dropped; <see cref="LostReason.None"/> otherwise.</summary>
        public LostReason LostReason { get; private set; }
        /// <summary><c>caller</c> of AgentEvent_Talking / AgentEvent_Ringing.</summary>
        public string Caller { get; private set; }
        /// <summary><c>called</c> of AgentEvent_Talking / AgentEvent_Ringing.</summary>
        public string Called { get; private set; }
        /// <summary><c>phoneState</c> of AgentOther_PhoneRelease (2 by the agent, 3 by the platform).</summary>
        public long PhoneState { get; private set; }
        /// <summary><c>reason</c> of AgentOther_ShutdownService.</summary>
        public string Reason { get; private set; }
        /// <summary><see cref="EventKind.InviteOutcome"/>: the invitee's outcome; -1 otherwise.</summary>
        public InviteOutcomeKind Outcome { get; private set; }
        /// <summary><see cref="EventKind.InviteOutcome"/> / <see cref="EventKind.InvitesSettled"/>: the tracker.</summary>
        public ulong TrackerId { get; private set; }
        /// <summary>EventsLost: the first instant of the gap, ms since the epoch; -1 otherwise.</summary>
        public long GapStart { get; private set; }
        /// <summary>EventsLost: the last instant of the gap, ms since the epoch; -1 otherwise.</summary>
        public long GapEnd { get; private set; }
        /// <summary>SessionLost, PumpStopped, SignInAgainFailed: the status of what happened.</summary>
        public int CauseStatus { get; private set; }
        /// <summary>SigningInAgain, SignedInAgain, SignInAgainFailed: the attempt, from 1.</summary>
        public uint Attempt { get; private set; }
        /// <summary><see cref="EventKind.Snapshot"/>: the snapshot, copied; null otherwise.</summary>
        public Snapshot Snapshot { get; private set; }

        public override string ToString() { return TypeName; }

        /// <summary>Copies a borrowed <c>const ccgw_event*</c>.</summary>
        internal static Event Copy(IntPtr p)
        {
            var n = (EventNative)Marshal.PtrToStructure(p, typeof(EventNative));
            var partners = new List<string>();
            long count = (long)n.partner_count.ToUInt64();
            for (long i = 0; i < count; i++)
                partners.Add(Utf8.Decode(Marshal.ReadIntPtr(n.partners, (int)(i * IntPtr.Size))));
            return new Event
            {
                Kind = (EventKind)n.kind,
                TypeName = Utf8.Decode(n.type_name),
                WorkNo = Utf8.Decode(n.work_no),
                GenTime = n.gen_time,
                ReceivedTime = n.received_time,
                Sequence = n.sequence,
                ContentJson = Utf8.Decode(n.content_json),
                EventJson = Utf8.Decode(n.event_json),
                ConfId = n.conf_id,
                Result = n.result,
                ChangeType = n.change_type,
                ChangeReason = n.change_reason,
                Participant = Utf8.Decode(n.participant),
                ParticipantType = n.participant_type,
                DeviceCallType = n.device_call_type,
                DeviceType = n.device_type,
                Cause = n.cause,
                CallId = Utf8.Decode(n.callid),
                Number = Utf8.Decode(n.number),
                Partners = partners.AsReadOnly(),
                LostCount = n.lost_count,
                Status = n.status,
                Message = Utf8.Decode(n.message),
                LostReason = (LostReason)n.lost_reason,
                Caller = Utf8.Decode(n.caller),
                Called = Utf8.Decode(n.called),
                PhoneState = n.phone_state,
                Reason = Utf8.Decode(n.reason),
                Outcome = (InviteOutcomeKind)n.outcome,
                TrackerId = n.tracker_id,
                GapStart = n.gap_start,
                GapEnd = n.gap_end,
                CauseStatus = n.cause_status,
                Attempt = n.attempt,
                Snapshot = n.snapshot == IntPtr.Zero ? null : Snapshot.Copy(n.snapshot),
            };
        }
    }

    /// <summary>Library-wide functions.</summary>
    public static class Library
    {
        // Loads the native library (NativeLoader) before this class is first used. .NET and
        // .NET Framework bind a P/Invoke at its first call, which comes after; Mono binds it
        // when compiling the calling method, which can come before (see NativeLoader).
        static Library()
        {
            NativeLoader.EnsureLoaded();
        }

        /// <summary>The loaded library's version, MAJOR.MINOR.PATCH.</summary>
        public static string Version { get { return Utf8.Decode(NativeMethods.ccgw_version()); } }

        /// <summary>The loaded library's ABI version (this binding needs 1).</summary>
        public static uint AbiVersion { get { return NativeMethods.ccgw_abi_version(); } }

        private static int abiChecked;

        /// <summary>Refuses a library with another ABI major version (checked once).</summary>
        internal static void EnsureAbi()
        {
            if (Volatile.Read(ref abiChecked) != 0)
                return;
            uint abi = NativeMethods.ccgw_abi_version();
            if (abi != NativeMethods.ABI_VERSION)
                throw new CcgwException(Ccgw.Status.UnsupportedVersion,
                    "libccgw ABI " + abi + " loaded, this binding needs ABI " + NativeMethods.ABI_VERSION);
            Volatile.Write(ref abiChecked, 1);
        }

        /// <summary>Stops the library's threads; every session must be disposed first
        /// (<c>ccgw_global_shutdown</c>). Throws <see cref="CcgwException"/> with <c>CCGW_E_TIMEOUT</c>
        /// when some threads were still running at <paramref name="timeout"/> (they exit on their
        /// own; calling again waits for them), <c>CCGW_E_BUSY</c> while sessions are alive,
        /// <c>CCGW_E_FORKED</c> in a forked child.</summary>
        public static void GlobalShutdown(TimeSpan timeout)
        {
            CcgwException.Check(NativeMethods.ccgw_global_shutdown(Session.Ms(timeout)));
        }

        /// <summary>Sets the callback pool's options for the whole process; they apply at once
        /// (<c>ccgw_global_set_dispatch_options</c>; null: the defaults). Throws
        /// <see cref="CcgwArgumentException"/> with <c>CCGW_E_OUT_OF_RANGE</c> for a value above
        /// its maximum or MaxThreads below Threads, changing nothing.</summary>
        public static void SetDispatchOptions(DispatchOptions options)
        {
            var o = new DispatchOptionsNative();
            CcgwException.Check(NativeMethods.ccgw_dispatch_options_init(ref o, NativeMethods.DISPATCH_OPTIONS_VERSION));
            if (options != null)
            {
                o.threads = options.Threads;
                o.max_threads = options.MaxThreads;
                o.stall_ms = Session.Ms(options.Stall);
                o.idle_ms = Session.Ms(options.Idle);
            }
            CcgwException.Check(NativeMethods.ccgw_global_set_dispatch_options(ref o));
        }

        /// <summary>The callback pool's options in effect, defaults resolved
        /// (<c>ccgw_global_get_dispatch_options</c>).</summary>
        public static DispatchOptions GetDispatchOptions()
        {
            var o = new DispatchOptionsNative();
            CcgwException.Check(NativeMethods.ccgw_dispatch_options_init(ref o, NativeMethods.DISPATCH_OPTIONS_VERSION));
            CcgwException.Check(NativeMethods.ccgw_global_get_dispatch_options(ref o));
            return new DispatchOptions
            {
                Threads = o.threads, MaxThreads = o.max_threads,
                Stall = TimeSpan.FromMilliseconds(o.stall_ms), Idle = TimeSpan.FromMilliseconds(o.idle_ms),
            };
        }

        // The thunks are static: the delegates the library holds can never be collected.
        private static readonly LogCallbackNative LogThunk = OnLog;
        private static readonly UserdataFreeNative LogFreeThunk = OnLogFree;

        /// <summary>Routes the library's log records up to <paramref name="maxLevel"/> to
        /// <paramref name="callback"/> (level, operation, message); null or Off turns logging off.
        /// The callback runs on library threads: keep it quick and thread-safe, and make no
        /// blocking ccgw call from it.</summary>
        public static void SetLogCallback(LogLevel maxLevel, Action<LogLevel, string, string> callback)
        {
            if (callback == null || maxLevel == LogLevel.Off)
            {
                CcgwException.Check(NativeMethods.ccgw_set_log_callback(0, null, IntPtr.Zero, null));
                return;
            }
            GCHandle gch = GCHandle.Alloc(callback);
            // On failure the library calls userdata_free itself, releasing the GCHandle.
            CcgwException.Check(NativeMethods.ccgw_set_log_callback((int)maxLevel, LogThunk,
                GCHandle.ToIntPtr(gch), LogFreeThunk));
        }

        // ---- the log event: a .NET-style hook (ILogger adapters subscribe here) ------------

        private static readonly object LogGate = new object();
        private static EventHandler<LogEventArgs> logHandlers;
        private static LogLevel logLevel = LogLevel.Info;

        /// <summary>The most verbose level <see cref="Log"/> receives (default
        /// <see cref="Ccgw.LogLevel.Info"/>); the library filters below it, so records above it
        /// cost nothing. <see cref="Ccgw.LogLevel.Off"/> stops the records.</summary>
        public static LogLevel LogLevel
        {
            get { lock (LogGate) return logLevel; }
            set
            {
                lock (LogGate)
                {
                    logLevel = value;
                    RouteLogEvent();
                }
            }
        }

        /// <summary>The library's log records as a .NET event: subscribe to receive them (up to
        /// <see cref="LogLevel"/>), unsubscribing the last handler stops them. Handlers run on
        /// library threads, must be quick and thread-safe, and must make no blocking ccgw call;
        /// an exception a handler throws is dropped. Records never contain a Guid, a password or
        /// call data. This replaces a callback set with <see cref="SetLogCallback"/> (and the
        /// other way round). See README.md for an <c>ILogger</c> adapter.</summary>
        public static event EventHandler<LogEventArgs> Log
        {
            add
            {
                lock (LogGate)
                {
                    logHandlers += value;
                    RouteLogEvent();
                }
            }
            remove
            {
                lock (LogGate)
                {
                    logHandlers -= value;
                    RouteLogEvent();
                }
            }
        }

        private static readonly Action<LogLevel, string, string> LogEventSink = RaiseLog;

        // Called under LogGate: points the native callback at the event, or turns it off.
        private static void RouteLogEvent()
        {
            if (logHandlers == null || logLevel == LogLevel.Off)
                SetLogCallback(LogLevel.Off, null);
            else
                SetLogCallback(logLevel, LogEventSink);
        }

        private static void RaiseLog(LogLevel level, string operation, string message)
        {
            EventHandler<LogEventArgs> handlers = Volatile.Read(ref logHandlers);
            if (handlers == null)
                return;
            var args = new LogEventArgs(level, operation ?? "", message ?? "", DateTimeOffset.UtcNow);
            foreach (EventHandler<LogEventArgs> h in handlers.GetInvocationList())
            {
                try
                {
                    h(null, args);
                }
                catch (Exception)
                {
                    // A handler's failure must not stop the others, nor reach native code.
                }
            }
        }

        private static void OnLog(IntPtr userdata, IntPtr record)
        {
            try
            {
                var cb = (Action<LogLevel, string, string>)GCHandle.FromIntPtr(userdata).Target;
                var r = (LogRecordNative)Marshal.PtrToStructure(record, typeof(LogRecordNative));
                cb((LogLevel)r.level, Utf8.Decode(r.operation), Utf8.Decode(r.message));
            }
            catch (Exception)
            {
                // An exception must never unwind into native code.
            }
        }

        private static void OnLogFree(IntPtr userdata)
        {
            GCHandle.FromIntPtr(userdata).Free();
        }
    }

    /// <summary>The agent's state as the gateway reports it, for resynchronisation after a
    /// gap (<c>ccgw_snapshot</c>, copied). Each <c>*Status</c> is <see cref="Status.Ok"/> when
    /// that part was fetched, else the status of the query that failed (the part is empty).</summary>
    public sealed class Snapshot
    {
        public long TakenAt { get; private set; }
        public int AgentStatusStatus { get; private set; }
        /// <summary>The CTI status code; -1 unknown.</summary>
        public int AgentState { get; private set; }
        /// <summary>1 in a call, 0 not, -1 unknown.</summary>
        public int IsWorking { get; private set; }
        public int CallsStatus { get; private set; }
        public IList<CallInfo> HeldCalls { get; private set; }
        public IList<CallInfo> ActiveCalls { get; private set; }
        /// <summary><see cref="Status.GwNotInspector"/> for an agent that is not an inspector (normal).</summary>
        public int ConfIdsStatus { get; private set; }
        public int ConferencesStatus { get; private set; }
        /// <summary>The conferences the agent is a participant of.</summary>
        public IList<Conference> Conferences { get; private set; }

        /// <summary>Copies a borrowed <c>const ccgw_snapshot*</c>.</summary>
        internal static Snapshot Copy(IntPtr p)
        {
            var n = (SnapshotNative)Marshal.PtrToStructure(p, typeof(SnapshotNative));
            return new Snapshot
            {
                TakenAt = n.taken_at,
                AgentStatusStatus = n.agent_status_status,
                AgentState = n.agent_state,
                IsWorking = n.is_working,
                CallsStatus = n.calls_status,
                HeldCalls = Session.CopyCallInfos(n.held_calls),
                ActiveCalls = Session.CopyCallInfos(n.active_calls),
                ConfIdsStatus = n.conf_ids_status,
                ConferencesStatus = n.conferences_status,
                Conferences = Session.CopyConfList(n.conferences),
            };
        }
    }
}
