// Session.cs -- an agent session: sign-in, Guid, the five seed operations, the generic request,
// events. The rest of the conference family, calls, the live view and invite trackers are in
// SessionConference.cs.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Ccgw.Interop;

namespace Ccgw
{
    /// <summary>
    /// An agent session (<c>ccgw_session</c>). Thread-safe: one session may be used from any
    /// number of threads at once. Operations block the calling thread until the gateway answers
    /// or the request timeout passes. <see cref="Dispose"/> closes the session (waking blocked
    /// calls, which then throw <see cref="CcgwClosedException"/>) and frees it once no call is
    /// using it any more; never dispose a session from its own event callback.
    /// </summary>
    public sealed partial class Session : IDisposable
    {
        // Loads the native library (NativeLoader) before this class is first used. .NET and
        // .NET Framework bind a P/Invoke at its first call, which comes after; Mono binds it
        // when compiling the calling method, which can come before (see NativeLoader).
        static Session()
        {
            NativeLoader.EnsureLoaded();
        }

        private readonly SessionHandle handle;
        private readonly string agentId;

        // Keeps the event callback thunk alive for the process (the library may hold it
        // after this object is gone, until userdata_free runs).
        private static readonly EventCallbackNative EventThunk = OnEvent;
        private static readonly UserdataFreeNative EventFreeThunk = OnEventFree;

        /// <summary>Creates a session; validates every option and sends nothing.</summary>
        public Session(SessionOptions options)
        {
            if (options == null)
                throw new ArgumentNullException("options");
            Library.EnsureAbi();
            using (var arena = new Arena())
            {
                var o = new SessionOptionsNative();
                CcgwException.Check(NativeMethods.ccgw_session_options_init(ref o, NativeMethods.SESSION_OPTIONS_VERSION));
                o.base_url = arena.Str(options.BaseUrl, "BaseUrl");
                o.agent_id = arena.Str(options.AgentId, "AgentId");
                o.agent_id_max = options.AgentIdMax;
                o.ca_file = arena.Str(options.CaFile, "CaFile");
                if (options.FallbackUrls != null && options.FallbackUrls.Count > 0)
                {
                    IntPtr arr = arena.Alloc(IntPtr.Size * options.FallbackUrls.Count);
                    for (int i = 0; i < options.FallbackUrls.Count; i++)
                        Marshal.WriteIntPtr(arr, i * IntPtr.Size, arena.Str(options.FallbackUrls[i], "FallbackUrls"));
                    o.fallback_urls = arr;
                    o.fallback_url_count = new UIntPtr((uint)options.FallbackUrls.Count);
                }
                if (options.CaPem != null)
                {
                    IntPtr pem = arena.Alloc(options.CaPem.Length);
                    Marshal.Copy(options.CaPem, 0, pem, options.CaPem.Length);
                    o.ca_pem = pem;
                    o.ca_pem_len = new UIntPtr((uint)options.CaPem.Length);
                }
                o.insecure_accept_any_certificate = options.InsecureAcceptAnyCertificate;
                o.allow_plain_http = options.AllowPlainHttp;
                if (options.ConnectTimeout.HasValue)
                    o.connect_timeout_ms = Ms(options.ConnectTimeout.Value);
                if (options.RequestTimeout.HasValue)
                    o.request_timeout_ms = Ms(options.RequestTimeout.Value);
                o.auth_mode = (uint)options.AuthMode;
                o.pinned_sha256 = arena.Str(options.PinnedSha256, "PinnedSha256");
                o.pinned_cert_file = arena.Str(options.PinnedCertFile, "PinnedCertFile");
                o.disable_cookies = options.DisableCookies;
                o.proxy_url = arena.Str(options.ProxyUrl, "ProxyUrl");
                o.proxy_username = arena.Str(options.ProxyUsername, "ProxyUsername");
                o.proxy_password = arena.Str(options.ProxyPassword, "ProxyPassword");
                o.no_proxy = arena.Str(options.NoProxy, "NoProxy");
                o.proxy_from_environment = options.ProxyFromEnvironment;
                if (options.SwitchoverWait.HasValue)
                    o.switchover_wait_ms = Ms(options.SwitchoverWait.Value);
                if (options.FailbackAfter.HasValue)
                    o.failback_after_ms = Ms(options.FailbackAfter.Value);
                if (options.RetryBackoffInitial.HasValue)
                    o.retry_backoff_initial_ms = Ms(options.RetryBackoffInitial.Value);
                if (options.RetryBackoffMax.HasValue)
                    o.retry_backoff_max_ms = Ms(options.RetryBackoffMax.Value);
                if (options.RetryRounds != 0)
                    o.retry_rounds = options.RetryRounds;
                SessionHandle h;
                int st = NativeMethods.ccgw_session_new(ref o, out h);
                if (st != Status.Ok)
                {
                    var ex = CcgwException.FromLastError(st);
                    h.Dispose();
                    throw ex;
                }
                handle = h;
            }
            agentId = options.AgentId;
        }

        /// <summary>The native handle (for advanced interop; do not free it).</summary>
        public SessionHandle Handle { get { return handle; } }

        /// <summary>The session's agent id.</summary>
        public string AgentId { get { return agentId; } }

        // ---- sign-in and Guid ------------------------------------------------------------

        /// <summary>Signs the agent in (with <see cref="SignInOptions.Force"/>, takes it over
        /// when already signed in). Start the event pump right after.</summary>
        public SignInResult SignIn(SignInOptions options, CallOptions call = null)
        {
            if (options == null)
                throw new ArgumentNullException("options");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                var o = new SignInOptionsNative();
                CcgwException.Check(NativeMethods.ccgw_sign_in_options_init(ref o, NativeMethods.SIGN_IN_OPTIONS_VERSION));
                o.password = arena.Str(options.Password, "Password");
                o.phonenum = arena.Str(options.PhoneNumber, "PhoneNumber");
                o.autoanswer = Tri(options.AutoAnswer);
                o.autoenteridle = Tri(options.AutoEnterIdle);
                o.releasephone = Tri(options.ReleasePhone);
                o.agenttype = options.AgentType ?? -1;
                o.status = options.Status ?? -1;
                o.ip = arena.Str(options.Ip, "Ip");
                o.entry_ip = arena.Str(options.EntryIp, "EntryIp");
                o.phonelinkage = Tri(options.PhoneLinkage);
                o.check_in_webm = Tri(options.CheckInWebM);
                o.check_in_mailm = Tri(options.CheckInMailM);
                o.vc_phone_number = arena.Str(options.VcPhoneNumber, "VcPhoneNumber");
                o.listen_status = Tri(options.ListenStatus);
                o.force = options.Force;
                o.auto_resign_in = options.AutoResignIn;
                o.allow_forced_resign_in = options.AllowForcedResignIn;
                IntPtr result;
                scope.Check(NativeMethods.ccgw_session_sign_in(handle, ref o, scope.Ptr, out result));
                try
                {
                    var r = (SignInResultNative)Marshal.PtrToStructure(result, typeof(SignInResultNative));
                    return new SignInResult
                    {
                        VdnId = r.vdn_id,
                        WorkNo = Utf8.Decode(r.work_no),
                        MediaType = Utf8.Decode(r.media_type),
                        LoginTime = r.login_time,
                        IsForceChange = r.is_force_change,
                        ServerName = Utf8.Decode(r.server_name),
                        TimeRemaining = r.time_remaining,
                        Forced = r.forced,
                    };
                }
                finally
                {
                    NativeMethods.ccgw_sign_in_result_free(result);
                }
            }
        }

        /// <summary>Signs the agent out (stopping the event pump first).</summary>
        public void SignOut(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_session_sign_out(handle, scope.Ptr));
        }

        /// <summary>Asks the gateway for a fresh Guid and stores it.</summary>
        public void UpdateGuid(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_session_update_guid(handle, scope.Ptr));
        }

        /// <summary>The current Guid, or null when the session has none (not signed in).
        /// Treat it as a secret. A managed string cannot be wiped: the library wipes its own
        /// copy when it is freed, this copy lives until collected.</summary>
        public string Guid
        {
            get
            {
                CheckOpen();
                IntPtr p;
                int st = NativeMethods.ccgw_session_get_guid(handle, out p);
                if (st == Status.NotSignedIn)
                    return null;
                CcgwException.Check(st);
                return Utf8.TakeOwned(p);
            }
        }

        /// <summary>Attaches a Guid obtained elsewhere (printable ASCII, at most 256 bytes).</summary>
        public void SetGuid(string guid)
        {
            CheckOpen();
            byte[] g = Utf8.Encode(guid, "guid");
            CcgwException.Check(NativeMethods.ccgw_session_set_guid(handle, g));
        }

        // ---- the five operations ----------------------------------------------------------

        /// <summary><c>batchAddParticipant</c>: invites 1-120 participants to the agent's conference
        /// (chairperson only). Every limit is checked before anything is sent.</summary>
        public void BatchAddParticipant(BatchAddRequest request, CallOptions call = null)
        {
            if (request == null)
                throw new ArgumentNullException("request");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                BatchAddRequestNative r = BatchAddNative(request, arena);
                scope.Check(NativeMethods.ccgw_batch_add_participant(handle, ref r, scope.Ptr));
            }
        }

        /// <summary>The native request of <paramref name="request"/>, its strings and array in
        /// <paramref name="arena"/>.</summary>
        private static BatchAddRequestNative BatchAddNative(BatchAddRequest request, Arena arena)
        {
            var r = new BatchAddRequestNative();
            CcgwException.Check(NativeMethods.ccgw_batch_add_request_init(ref r, NativeMethods.BATCH_ADD_REQUEST_VERSION));
            int n = request.Participants == null ? 0 : request.Participants.Count;
            if (n > 0)
            {
                int size = Marshal.SizeOf(typeof(ParticipantNative));
                IntPtr arr = arena.Alloc(size * n);
                for (int i = 0; i < n; i++)
                {
                    Invitee inv = request.Participants[i];
                    if (inv == null)
                        throw new CcgwArgumentException(Status.NullArgument, "Participants[" + i + "] is null");
                    var p = new ParticipantNative
                    {
                        address_type = (int)inv.AddressType,
                        address = arena.Str(inv.Address, "Participants[" + i + "].Address"),
                        device_call_type = inv.DeviceCallType ?? -1,
                        device_type = inv.DeviceType ?? -1,
                    };
                    Marshal.StructureToPtr(p, new IntPtr(arr.ToInt64() + (long)i * size), false);
                }
                r.participants = arr;
            }
            r.participant_count = new UIntPtr((uint)n);
            r.beep_tone = Tri(request.BeepTone);
            r.play_mode = request.PlayMode ?? -1;
            r.voice_path = arena.Str(request.VoicePath, "VoicePath");
            r.caller = arena.Str(request.Caller, "Caller");
            return r;
        }

        /// <summary><c>holdParticipant</c>: holds a participant, playing it an announcement
        /// (chairperson only).</summary>
        public void HoldParticipant(HoldRequest request, CallOptions call = null)
        {
            if (request == null)
                throw new ArgumentNullException("request");
            CheckOpen();
            using (var arena = new Arena())
            using (var scope = new CallScope(call))
            {
                var r = new HoldRequestNative();
                CcgwException.Check(NativeMethods.ccgw_hold_request_init(ref r, NativeMethods.HOLD_REQUEST_VERSION));
                r.address_type = (int)request.AddressType;
                r.address = arena.Str(request.Address, "Address");
                r.play_mode = request.PlayMode ?? -1;
                r.voice_path = arena.Str(request.VoicePath, "VoicePath");
                scope.Check(NativeMethods.ccgw_hold_participant(handle, ref r, scope.Ptr));
            }
        }

        /// <summary><c>queryConfInfos</c>: the conferences among 1-20 ids the agent may see.</summary>
        public IList<Conference> QueryConfInfos(IEnumerable<long> confIds, CallOptions call = null)
        {
            if (confIds == null)
                throw new ArgumentNullException("confIds");
            CheckOpen();
            long[] ids = new List<long>(confIds).ToArray();
            // A zero-length array may be passed as NULL by the marshaller; the library then
            // reports the missing ids itself.
            using (var scope = new CallScope(call))
            {
                IntPtr list;
                scope.Check(NativeMethods.ccgw_query_conf_infos(handle, ids, new UIntPtr((uint)ids.Length),
                    scope.Ptr, out list));
                try
                {
                    return CopyConfList(list);
                }
                finally
                {
                    NativeMethods.ccgw_conf_list_free(list);
                }
            }
        }

        internal static IList<Conference> CopyConfList(IntPtr list)
        {
            var l = (ConfListNative)Marshal.PtrToStructure(list, typeof(ConfListNative));
            var confs = new List<Conference>();
            int csize = Marshal.SizeOf(typeof(ConfInfoNative));
            int psize = Marshal.SizeOf(typeof(ConfParticipantNative));
            for (long i = 0; i < (long)l.count.ToUInt64(); i++)
            {
                var c = (ConfInfoNative)Marshal.PtrToStructure(new IntPtr(l.confs.ToInt64() + i * csize), typeof(ConfInfoNative));
                var parts = new List<ConfParticipant>();
                for (long j = 0; j < (long)c.participant_count.ToUInt64(); j++)
                {
                    var p = (ConfParticipantNative)Marshal.PtrToStructure(
                        new IntPtr(c.participants.ToInt64() + j * psize), typeof(ConfParticipantNative));
                    parts.Add(new ConfParticipant
                    {
                        AddressType = p.address_type,
                        Address = Utf8.Decode(p.address),
                        DeviceCallType = p.device_call_type,
                        DeviceType = p.device_type,
                        ChannelAttrib = p.channel_attrib,
                        ChannelState = p.channel_state,
                        Role = p.role,
                        EnterTime = p.enter_time,
                    });
                }
                confs.Add(new Conference
                {
                    ConfId = c.conf_id,
                    ConfState = c.conf_state,
                    StartTime = c.start_time,
                    ApplyConfTime = c.apply_conf_time,
                    ConfHaveBeenTime = c.conf_have_been_time,
                    Participants = parts.AsReadOnly(),
                });
            }
            return confs.AsReadOnly();
        }

        /// <summary><c>confJoin</c>: makes a three-party call from the held call <paramref name="callId"/>
        /// and the active call.</summary>
        public void ConfJoin(string callId, string callAppData = null, CallOptions call = null)
        {
            CheckOpen();
            byte[] id = Utf8.Encode(callId, "callId");
            byte[] data = Utf8.Encode(callAppData, "callAppData");
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_conf_join(handle, id, data, scope.Ptr));
        }

        /// <summary><c>thirdPartyConfTransmitNum</c>: passes the customer's key presses to the
        /// third-party IVR of the three-party call.</summary>
        public void ThirdPartyConfTransmitNum(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
                scope.Check(NativeMethods.ccgw_third_party_conf_transmit_num(handle, scope.Ptr));
        }

        /// <summary>Any gateway interface: <paramref name="method"/> GET/POST/PUT/DELETE,
        /// <paramref name="path"/> relative to /agentgateway/resource/ ({agentid} is replaced),
        /// <paramref name="jsonBody"/> a JSON document or null. Returns the whole answer as JSON.</summary>
        public string Request(string method, string path, string jsonBody = null, CallOptions call = null)
        {
            CheckOpen();
            byte[] m = Utf8.Encode(method, "method");
            byte[] p = Utf8.Encode(path, "path");
            byte[] b = Utf8.Encode(jsonBody, "jsonBody");
            using (var scope = new CallScope(call))
            {
                IntPtr json;
                scope.Check(NativeMethods.ccgw_session_request(handle, m, p, b, scope.Ptr, out json));
                return Utf8.TakeOwned(json);
            }
        }

        // ---- events ------------------------------------------------------------------------

        /// <summary>Starts the event pump (the agent's keep-alive); call it right after sign-in.</summary>
        public void StartEvents(EventsOptions options = null)
        {
            CheckOpen();
            var o = new EventsOptionsNative();
            CcgwException.Check(NativeMethods.ccgw_events_options_init(ref o, NativeMethods.EVENTS_OPTIONS_VERSION));
            if (options != null)
            {
                o.queue_capacity = options.QueueCapacity;
                o.poll_timeout_ms = options.PollTimeoutMs;
                o.poll_interval_ms = options.PollIntervalMs;
                o.max_outage_ms = options.MaxOutageMs;
                o.backoff_max_ms = options.BackoffMaxMs;
                o.max_stall_ms = options.MaxStallMs;
                o.queue_max_bytes = new UIntPtr(options.QueueMaxBytes);
                o.max_event_bytes = new UIntPtr(options.MaxEventBytes);
                o.resync_after_gap = options.ResyncAfterGap;
            }
            CcgwException.Check(NativeMethods.ccgw_events_start(handle, ref o));
        }

        // ---- high availability: resynchronisation ----------------------------------------

        /// <summary>The agent's state, calls (held and active) and conferences as the gateway
        /// reports them (<c>ccgw_session_snapshot</c>); the live conference view is reconciled
        /// from it. Throws only when nothing can be asked (not signed in, closed, cancelled).</summary>
        public Snapshot Snapshot(CallOptions call = null)
        {
            CheckOpen();
            using (var scope = new CallScope(call))
            {
                IntPtr snap;
                scope.Check(NativeMethods.ccgw_session_snapshot(handle, scope.Ptr, out snap));
                try
                {
                    return Ccgw.Snapshot.Copy(snap);
                }
                finally
                {
                    NativeMethods.ccgw_snapshot_free(snap);
                }
            }
        }

        /// <summary>Stops the event pump; queued events stay. Idempotent.</summary>
        public void StopEvents()
        {
            CheckOpen();
            CcgwException.Check(NativeMethods.ccgw_events_stop(handle));
        }

        /// <summary>Whether the event pump runs.</summary>
        public bool EventsRunning { get { CheckOpen(); return NativeMethods.ccgw_events_running(handle); } }

        /// <summary>The pump's state: 0 while it runs or after a requested stop, else the status
        /// of the lasting failure that stopped it.</summary>
        public int EventsStatus { get { CheckOpen(); return NativeMethods.ccgw_events_status(handle); } }

        /// <summary>Takes the next event, waiting up to <paramref name="timeout"/>
        /// (<see cref="Timeout.InfiniteTimeSpan"/>: no limit). Returns null when none arrived in
        /// time; throws <see cref="CcgwClosedException"/> once the session is closed and drained.</summary>
        public Event NextEvent(TimeSpan timeout)
        {
            CheckOpen();
            uint ms = timeout == System.Threading.Timeout.InfiniteTimeSpan ? NativeMethods.WAIT_FOREVER : Ms(timeout);
            IntPtr ev;
            int st = NativeMethods.ccgw_events_next(handle, ms, out ev);
            if (st == Status.Timeout)
                return null;
            CcgwException.Check(st);
            try
            {
                return Event.Copy(ev);
            }
            finally
            {
                NativeMethods.ccgw_event_free(ev);
            }
        }

        /// <summary>The session's events as a blocking sequence, in arrival order. Ends when the
        /// session is closed and every queued event has been taken; throws
        /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is
        /// cancelled (noticed within about <paramref name="pollMs"/> ms).</summary>
        public IEnumerable<Event> Events(CancellationToken cancellationToken = default(CancellationToken), int pollMs = 100)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Event ev;
                try
                {
                    ev = NextEvent(TimeSpan.FromMilliseconds(pollMs));
                }
                catch (CcgwClosedException)
                {
                    yield break;
                }
                catch (ObjectDisposedException)
                {
                    yield break;
                }
                if (ev != null)
                    yield return ev;
            }
        }

        /// <summary>Delivers the session's events to <paramref name="callback"/>, in order, on the
        /// session's dispatch thread (blocking ccgw calls are allowed there; disposing this
        /// session is not). Events queued before are delivered first. Null unregisters (waiting
        /// for a running callback to return). The delegate is kept alive while registered.
        /// An exception thrown by the callback is caught and reported to
        /// <see cref="CallbackError"/>, never propagated into native code.</summary>
        public void SetEventCallback(Action<Event> callback)
        {
            CheckOpen();
            if (callback == null)
            {
                CcgwException.Check(NativeMethods.ccgw_events_set_callback(handle, null, IntPtr.Zero, null));
                return;
            }
            var state = new CallbackState { Session = this, Callback = callback };
            GCHandle gch = GCHandle.Alloc(state);
            Interlocked.Increment(ref liveCallbacks);
            // On failure the library calls userdata_free (releasing the GCHandle) itself.
            CcgwException.Check(NativeMethods.ccgw_events_set_callback(handle, EventThunk, GCHandle.ToIntPtr(gch), EventFreeThunk));
        }

        /// <summary>Raised (on the dispatch thread) when an event callback throws.</summary>
        public event Action<Exception> CallbackError;

        private sealed class CallbackState
        {
            internal Session Session;
            internal Action<Event> Callback;
        }

        private static int liveCallbacks;

        /// <summary>Event callbacks registered process-wide whose userdata the library has not
        /// released yet (diagnostics: it drops back when callbacks are replaced, unregistered,
        /// or their sessions freed).</summary>
        public static int LiveCallbackCount { get { return Volatile.Read(ref liveCallbacks); } }

        private static void OnEvent(IntPtr userdata, IntPtr ev)
        {
            CallbackState state = null;
            try
            {
                state = (CallbackState)GCHandle.FromIntPtr(userdata).Target;
                currentCallbackSession = state.Session;
                state.Callback(Event.Copy(ev));
            }
            catch (Exception e)
            {
                try
                {
                    var h = state == null ? null : state.Session.CallbackError;
                    if (h != null)
                        h(e);
                    else
                        Console.Error.WriteLine("ccgw: event callback threw: " + e);
                }
                catch (Exception)
                {
                }
            }
            finally
            {
                currentCallbackSession = null;
            }
        }

        // The session whose callback is running on this thread (to refuse Dispose from it).
        [ThreadStatic] private static Session currentCallbackSession;

        private static void OnEventFree(IntPtr userdata)
        {
            GCHandle.FromIntPtr(userdata).Free();
            Interlocked.Decrement(ref liveCallbacks);
        }

        // ---- lifetime ------------------------------------------------------------------------

        /// <summary>Closes the session: calls in progress throw <see cref="CcgwClosedException"/>,
        /// the pump ends, queued events can still be taken. Does not sign out. Idempotent.</summary>
        public void Close()
        {
            if (handle.IsClosed)
                return;
            CcgwException.Check(NativeMethods.ccgw_session_close(handle));
        }

        /// <summary>Closes the session and frees it as soon as no call uses it any more
        /// (SafeHandle reference counting makes a blocked call finish first). Idempotent.
        /// Does not sign out: call <see cref="SignOut"/> first for that.</summary>
        public void Dispose()
        {
            if (handle == null || handle.IsClosed)
                return;
            if (currentCallbackSession == this)
                throw new InvalidOperationException("a session cannot be disposed from its own event callback");
            try
            {
                // Wake every blocked call, then unregister the callback: that waits for a
                // running callback to return, so the last reference to the handle (and with
                // it ccgw_session_free) is never released on the session's own dispatch thread.
                NativeMethods.ccgw_session_close(handle);
                NativeMethods.ccgw_events_set_callback(handle, null, IntPtr.Zero, null);
            }
            catch (ObjectDisposedException)
            {
            }
            handle.Dispose();
        }

        private void CheckOpen()
        {
            if (handle.IsClosed)
                throw new ObjectDisposedException("Session");
        }

        private static int Tri(bool? b)
        {
            return b.HasValue ? (b.Value ? 1 : 0) : -1;
        }

        internal static uint Ms(TimeSpan t)
        {
            double ms = Math.Ceiling(t.TotalMilliseconds);
            if (ms < 0)
                throw new ArgumentOutOfRangeException("timeout");
            return ms >= uint.MaxValue ? uint.MaxValue - 1 : (uint)ms;
        }

        /// <summary>A native <c>ccgw_call_options</c> for one call, in unmanaged memory. Holds a
        /// reference on the cancel handle for the duration of the call, and links a .NET
        /// CancellationToken to a temporary native token.</summary>
        private sealed class CallScope : IDisposable
        {
            internal IntPtr Ptr;
            private CancelToken temp;
            private CancelHandle addRefd;
            private CancellationTokenRegistration reg;
            private CancellationToken token;

            /// <summary>Throws for a failed call made with this scope; a cancellation carries
            /// the call's CancellationToken when one was given.</summary>
            internal void Check(int status)
            {
                if (status != Status.Ok)
                    throw CcgwException.FromLastError(status, token.IsCancellationRequested ? token : default(CancellationToken));
            }

            internal CallScope(CallOptions call)
            {
                if (call == null)
                    return;
                this.token = call.CancellationToken;
                var o = new CallOptionsNative();
                CcgwException.Check(NativeMethods.ccgw_call_options_init(ref o, NativeMethods.CALL_OPTIONS_VERSION));
                if (call.Timeout.HasValue)
                    o.timeout_ms = Math.Max(1u, Ms(call.Timeout.Value));
                CancelToken token = call.Cancel;
                if (token == null && call.CancellationToken.CanBeCanceled)
                {
                    temp = new CancelToken();
                    token = temp;
                }
                try
                {
                    if (token != null)
                    {
                        bool ok = false;
                        token.Handle.DangerousAddRef(ref ok);
                        addRefd = token.Handle;
                        o.cancel = token.Handle.DangerousGetHandle();
                        if (call.CancellationToken.CanBeCanceled)
                        {
                            CancelToken t = token;
                            reg = call.CancellationToken.Register(() => NativeMethods.ccgw_cancel_cancel(t.Handle));
                        }
                    }
                    Ptr = Marshal.AllocHGlobal(Marshal.SizeOf(typeof(CallOptionsNative)));
                    Marshal.StructureToPtr(o, Ptr, false);
                }
                catch
                {
                    Dispose();
                    throw;
                }
            }

            public void Dispose()
            {
                reg.Dispose();
                if (addRefd != null)
                {
                    addRefd.DangerousRelease();
                    addRefd = null;
                }
                if (temp != null)
                {
                    temp.Dispose();
                    temp = null;
                }
                if (Ptr != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(Ptr);
                    Ptr = IntPtr.Zero;
                }
            }
        }
    }
}
