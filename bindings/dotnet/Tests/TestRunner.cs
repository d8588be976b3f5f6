// TestRunner.cs -- tests of the .NET binding against the ccgw-sim binary over HTTPS on loopback.
//
//   mono build/dotnet/CcgwTests.exe [path/to/ccgw-sim]
//
// Starts the simulator (--port 0 --ca-out FILE --password PW), reads its base URL from the
// first stdout line, runs every test on its own thread with a bounded wait, stops the
// simulator, and prints "N passed, M failed" as the last line (exit status 1 on failure).
// The simulator's control API (/sim/...) is reached with curl --cacert.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Ccgw;

namespace Ccgw.Tests
{
    internal sealed class Sim : IDisposable
    {
        private Process proc;
        private readonly string dir;
        public string Url { get; private set; }
        public string Ca { get; private set; }
        public const string Password = "dotnet-test-pw";

        public Sim(string binary, string extraArgs = "")
        {
            dir = Path.Combine(Path.GetTempPath(), "ccgw-dotnet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            Ca = Path.Combine(dir, "ca.pem");
            var psi = new ProcessStartInfo(binary, "--port 0 --ca-out " + Ca + " --password " + Password + " " + extraArgs)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
            };
            try
            {
                proc = Process.Start(psi);
                var line = new string[1];
                var reader = new Thread(() => line[0] = proc.StandardOutput.ReadLine());
                reader.IsBackground = true;
                reader.Start();
                if (!reader.Join(10000) || string.IsNullOrEmpty(line[0]))
                    throw new Exception("ccgw-sim did not print its URL within 10 s");
                Url = line[0].Trim();
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>A control-API call through curl; returns the answer body.</summary>
        public string Control(string method, string path, string body = null)
        {
            var args = new StringBuilder("-sS --max-time 10 --cacert \"" + Ca + "\" -X " + method);
            args.Append(" -H \"content-type: application/json\"");
            string bodyFile = null;
            if (body != null)
            {
                bodyFile = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".json");
                File.WriteAllText(bodyFile, body);
                args.Append(" --data-binary @\"" + bodyFile + "\"");
            }
            args.Append(" \"" + Url + path + "\"");
            var psi = new ProcessStartInfo("curl", args.ToString())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var p = Process.Start(psi))
            {
                string output = p.StandardOutput.ReadToEnd();
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (bodyFile != null)
                    File.Delete(bodyFile);
                if (p.ExitCode != 0)
                    throw new Exception("curl " + method + " " + path + " failed: " + err);
                return output;
            }
        }

        /// <summary>The id of the journal's last entry (0 when empty).</summary>
        public long JournalLastId()
        {
            string j = Control("GET", "/sim/journal");
            Match m = Regex.Match(j, "\"lastId\"\\s*:\\s*(\\d+)");
            if (!m.Success)
                throw new Exception("no lastId in journal answer: " + j);
            return long.Parse(m.Groups[1].Value);
        }

        /// <summary>Journal entries of one route (counted by their "route" members).</summary>
        public int JournalCount(string route)
        {
            // The simulator matches the query value verbatim (no percent-decoding): route keys
            // are plain "family/op" strings.
            string j = Control("GET", "/sim/journal?route=" + route);
            return Regex.Matches(j, "\"route\"\\s*:\\s*\"" + Regex.Escape(route) + "\"").Count;
        }

        public void Dispose()
        {
            try
            {
                if (proc != null && !proc.HasExited)
                {
                    proc.Kill();
                    proc.WaitForExit(5000);
                }
            }
            catch (Exception)
            {
            }
            proc = null;
            try { Directory.Delete(dir, true); } catch (Exception) { }
        }
    }

    internal static class Program
    {
        private static Sim sim;
        private static string simBin;
        private static int nextAgent = 301;
        private static int passed, failed;

        private static int Main(string[] args)
        {
            simBin = args.Length > 0 ? args[0] : "target/release/ccgw-sim";
            Console.WriteLine("ccgw .NET binding tests, libccgw " + Library.Version + " (ABI " + Library.AbiVersion + ")");
            try
            {
                sim = new Sim(simBin);
            }
            catch (Exception e)
            {
                Console.WriteLine("cannot start the simulator: " + e.Message);
                Console.WriteLine("0 passed, 1 failed");
                return 1;
            }
            Console.WriteLine("simulator at " + sim.Url);
            try
            {
                Run("SignIn_SignOut_Guid", SignIn_SignOut_Guid);
                Run("ForcedSignIn_TakesOverAlreadySignedInAgent", ForcedSignIn_TakesOverAlreadySignedInAgent);
                Run("WrongPassword_RaisesGatewayExceptionWithRetcode", WrongPassword_RaisesGatewayExceptionWithRetcode);
                Run("HoldWithoutConference_RaisesGatewayException101001", HoldWithoutConference_RaisesGatewayException101001);
                Run("TransmitNumWithoutCall_RaisesGatewayException10001", TransmitNumWithoutCall_RaisesGatewayException10001);
                Run("ConfJoin_And_ThirdPartyConfTransmitNum_HappyPath", ConfJoin_And_ThirdPartyConfTransmitNum_HappyPath);
                Run("BatchAdd_Hold_QueryConfInfos_HappyPath", BatchAdd_Hold_QueryConfInfos_HappyPath);
                Run("GenericRequest_ReturnsAnswerJson", GenericRequest_ReturnsAnswerJson);
                Run("ArgumentErrors_ThrownBeforeAnythingIsSent", ArgumentErrors_ThrownBeforeAnythingIsSent);
                Run("NotSignedIn_ThrowsWithoutSending", NotSignedIn_ThrowsWithoutSending);
                Run("CertificatePinning_BySha256", CertificatePinning_BySha256);
                Run("Proxy_DownIsProxyStatus_CredentialsInUrlRefused", Proxy_DownIsProxyStatus_CredentialsInUrlRefused);
                Run("Cookies_KeepTheSessionOnItsNode_BehindStickyBalancer", Cookies_KeepTheSessionOnItsNode_BehindStickyBalancer);
                Run("Events_InOrder_ThroughEnumerable", Events_InOrder_ThroughEnumerable);
                Run("Events_InOrder_ThroughCallback", Events_InOrder_ThroughCallback);
                Run("DispatchOptions_RoundTrip_OneThreadPool", DispatchOptions_RoundTrip_OneThreadPool);
                Run("Events_Enumerable_CancelledByCancellationToken", Events_Enumerable_CancelledByCancellationToken);
                Run("Operation_CancelledByCancellationToken", Operation_CancelledByCancellationToken);
                Run("Operation_CancelledByNativeCancelToken", Operation_CancelledByNativeCancelToken);
                Run("CallTimeout_RaisesTransportExceptionResponseTimeout", CallTimeout_RaisesTransportExceptionResponseTimeout);
                Run("PumpStopped_WhenGatewaySignsAgentOut", PumpStopped_WhenGatewaySignsAgentOut);
                Run("AutoResignIn_AfterGatewaySignOut_GapThenSnapshot", AutoResignIn_AfterGatewaySignOut_GapThenSnapshot);
                Run("EventsOverMaxEventBytes_ReportedAsLostTooLarge", EventsOverMaxEventBytes_ReportedAsLostTooLarge);
                Run("SetGuid_AttachesGuidFromAnotherSession", SetGuid_AttachesGuidFromAnotherSession);
                Run("Close_MakesLaterCallsThrowClosed", Close_MakesLaterCallsThrowClosed);
                Run("Dispose_WakesBlockedNextEvent_FreesCallback_IsIdempotent", Dispose_WakesBlockedNextEvent_FreesCallback_IsIdempotent);
                Run("Dispose_FromOwnCallback_IsRefused", Dispose_FromOwnCallback_IsRefused);
                Run("LogCallback_ReceivesRecords", LogCallback_ReceivesRecords);
                Run("LogEvent_DeliversRecordsUpToLevel_UntilUnsubscribed", LogEvent_DeliversRecordsUpToLevel_UntilUnsubscribed);
                Run("NativeLoader_NamesAndCandidatePaths", NativeLoader_NamesAndCandidatePaths);
                Run("TypedConference_LiveView_InviteTracker", TypedConference_LiveView_InviteTracker);
                Run("TypedCalls_CallData_TypedEvents", TypedCalls_CallData_TypedEvents);
                Run("ConferenceLimits_And_Refusals", ConferenceLimits_And_Refusals);
                // issue 11 (fail-over)
                Run("FailOver_Options_Outcome_CtiCode", FailOver_Options_Outcome_CtiCode);
            }
            finally
            {
                sim.Dispose();
            }
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }

        private static void Run(string name, Action test)
        {
            Exception error = null;
            var t = new Thread(() =>
            {
                try { test(); }
                catch (Exception e) { error = e; }
            });
            t.IsBackground = true;
            var sw = Stopwatch.StartNew();
            t.Start();
            if (!t.Join(TimeSpan.FromSeconds(60)))
                error = new Exception("did not finish within 60 s");
            if (error == null)
            {
                passed++;
                Console.WriteLine("PASS " + name + " (" + sw.ElapsedMilliseconds + " ms)");
            }
            else
            {
                failed++;
                Console.WriteLine("FAIL " + name + ": " + error);
            }
        }

        // ---- helpers ------------------------------------------------------------------------

        private static string NewAgent() { return Interlocked.Increment(ref nextAgent).ToString(); }

        private static Session Open(string agent)
        {
            return new Session(new SessionOptions { BaseUrl = sim.Url, AgentId = agent, CaFile = sim.Ca });
        }

        private static SignInResult SignIn(Session s, bool force = false)
        {
            return s.SignIn(new SignInOptions { Password = Sim.Password, PhoneNumber = "4" + s.AgentId, Force = force });
        }

        // ---- issue 11 (fail-over) ----
        private static void FailOver_Options_Outcome_CtiCode()
        {
            string agent = NewAgent();
            // A primary nobody listens on: the sign-in goes to the fallback (the simulator).
            var o = new SessionOptions
            {
                BaseUrl = "https://127.0.0.1:1", FallbackUrls = new List<string> { sim.Url }, AgentId = agent,
                CaFile = sim.Ca, SwitchoverWait = TimeSpan.FromSeconds(5), FailbackAfter = TimeSpan.FromSeconds(30),
                RetryBackoffInitial = TimeSpan.FromMilliseconds(50), RetryBackoffMax = TimeSpan.FromSeconds(1),
                RetryRounds = 2,
            };
            using (Session s = new Session(o))
            {
                SignIn(s);
                sim.Control("POST", "/sim/faults", "{\"route\":\"agentconf/holdparticipant\",\"agent\":\"" + agent +
                    "\",\"kind\":\"retcode\",\"retcode\":\"100-007\",\"message\":\"Unknown ERROR._10001\"}");
                var e = Throws<CcgwGatewayException>(() => s.HoldParticipant(new HoldRequest
                {
                    AddressType = AddressType.Phone, Address = "70010", VoicePath = "y:/conf/1/hold.V3",
                }), "hold");
                Equal("100-007", e.Retcode, "retcode");
                Equal(10001L, e.CtiCode, "CTI code");
                Equal(Outcome.Refused, e.Outcome, "outcome");
                Assert(!e.Retryable, "not retryable");
                sim.Control("POST", "/sim/faults", "{\"route\":\"agentconf/holdparticipant\",\"agent\":\"" + agent +
                    "\",\"kind\":\"http_status\",\"status\":503}");
                var t = Throws<CcgwTransportException>(() => s.HoldParticipant(new HoldRequest
                {
                    AddressType = AddressType.Phone, Address = "70010", VoicePath = "y:/conf/1/hold.V3",
                }), "hold under 503");
                Equal(Status.GatewayUnavailable, t.Status, "status");
                Equal(Outcome.Refused, t.Outcome, "outcome of a 503");
                Assert(t.Retryable, "a 503 is retryable");
                s.SignOut();
            }
            Equal(Outcome.MayHaveRun, Status.Outcome(Status.BadGateway), "502/504");
            Equal(Outcome.NotSent, Status.Outcome(Status.Connect), "connect");
            Equal(1104001, Status.GwRecordingDownloadOff, "a newly named retcode");
            var bad = Throws<CcgwArgumentException>(() => new Session(new SessionOptions
            {
                BaseUrl = sim.Url, AgentId = NewAgent(), CaFile = sim.Ca, RetryRounds = 101,
            }), "retry rounds");
            Equal(Status.OutOfRange, bad.Status, "out of range");
        }
        // ---- end of issue 11 ----

        private static void Assert(bool cond, string what)
        {
            if (!cond)
                throw new Exception("assertion failed: " + what);
        }

        private static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new Exception(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        private static TEx Throws<TEx>(Action a, string what) where TEx : Exception
        {
            try
            {
                a();
            }
            catch (TEx e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new Exception(what + ": expected " + typeof(TEx).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new Exception(what + ": expected " + typeof(TEx).Name + ", nothing thrown");
        }

        /// <summary>Takes events through the enumerable until one of <paramref name="type"/>
        /// matching <paramref name="pred"/> arrives, within <paramref name="seconds"/>.</summary>
        private static Event WaitEvent(Session s, string type, Func<Event, bool> pred = null, int seconds = 10)
        {
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
            {
                try
                {
                    foreach (Event ev in s.Events(cts.Token))
                    {
                        if (ev.Kind == EventKind.PumpStopped)
                            throw new Exception("event pump stopped: " + ev.Message);
                        if (ev.TypeName == type && (pred == null || pred(ev)))
                            return ev;
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
            throw new Exception(type + " did not arrive within " + seconds + " s");
        }

        private static int CountForAgent(string route, string agent)
        {
            string j = sim.Control("GET", "/sim/journal?route=" + route + "&agent=" + agent);
            return Regex.Matches(j, "\"route\"\\s*:\\s*\"" + Regex.Escape(route) + "\"").Count;
        }

        private static string ResultString(string json)
        {
            Match m = Regex.Match(json, "\"result\"\\s*:\\s*\"([^\"]*)\"");
            if (!m.Success)
                throw new Exception("no string result in " + json);
            return m.Groups[1].Value;
        }

        private static string InjectBody(string prefix, int count)
        {
            var sb = new StringBuilder("{\"events\":[");
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                    sb.Append(',');
                sb.Append("{\"eventType\":\"" + prefix + i + "\",\"content\":{\"n\":" + i + "}}");
            }
            return sb.Append("]}").ToString();
        }

        // ---- tests ----------------------------------------------------------------------------

        private static void SignIn_SignOut_Guid()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                Equal(agent, s.AgentId, "AgentId");
                Equal(null, s.Guid, "Guid before sign-in");
                SignInResult r = SignIn(s);
                Equal(agent, r.WorkNo, "WorkNo");
                Assert(!r.Forced, "not forced");
                string guid = s.Guid;
                Assert(!string.IsNullOrEmpty(guid), "Guid after sign-in");
                s.UpdateGuid();
                Assert(!string.IsNullOrEmpty(s.Guid) && s.Guid != guid, "UpdateGuid replaced the Guid");
                s.SignOut();
                Equal(null, s.Guid, "Guid after sign-out");
                Assert(sim.Control("GET", "/sim/agents").IndexOf("\"" + agent + "\"", StringComparison.Ordinal) < 0,
                    "agent no longer signed in at the simulator");
            }
        }

        private static void ForcedSignIn_TakesOverAlreadySignedInAgent()
        {
            string agent = NewAgent();
            using (Session s1 = Open(agent))
            using (Session s2 = Open(agent))
            {
                SignIn(s1);
                var e = Throws<CcgwGatewayException>(() => SignIn(s2, false), "second sign-in without force");
                Equal("100-002", e.Retcode, "retcode");
                Equal(Status.GwAlreadySignedIn, e.Status, "status");
                SignInResult r = SignIn(s2, true);
                Assert(r.Forced, "Forced");
                Assert(s2.Guid != null, "s2 has a Guid");
                s2.SignOut();
            }
        }

        private static void WrongPassword_RaisesGatewayExceptionWithRetcode()
        {
            using (Session s = Open(NewAgent()))
            {
                var e = Throws<CcgwGatewayException>(
                    () => s.SignIn(new SignInOptions { Password = "wrong", PhoneNumber = "40038" }), "sign-in");
                Equal("100-004", e.Retcode, "retcode");
                Equal(Status.GwWrongCredentials, e.Status, "status");
                Equal(200, e.HttpStatus, "HTTP status");
                Assert(e.Message.Length > 0, "message");
                Assert(e is CcgwException, "is CcgwException");
            }
        }

        private static void HoldWithoutConference_RaisesGatewayException101001()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                var e = Throws<CcgwGatewayException>(() => s.HoldParticipant(new HoldRequest
                {
                    AddressType = AddressType.Phone, Address = "70010", VoicePath = "y:/conf/1/hold.V3",
                }), "hold");
                Equal("101-001", e.Retcode, "retcode");
                Equal(Status.GwNoConference, e.Status, "status");
                s.SignOut();
            }
        }

        private static void TransmitNumWithoutCall_RaisesGatewayException10001()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                var e = Throws<CcgwGatewayException>(() => s.ThirdPartyConfTransmitNum(), "transmit");
                Equal("10001", e.Retcode, "retcode");
                Equal(Status.GwTransmitNumFailed, e.Status, "status");
                s.SignOut();
            }
        }

        private static void ConfJoin_And_ThirdPartyConfTransmitNum_HappyPath()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.StartEvents();
                string customerCall = ResultString(s.Request("PUT", "voicecall/{agentid}/callout", "{\"called\":\"70005\"}"));
                s.Request("POST", "voicecall/{agentid}/hold");
                s.Request("PUT", "voicecall/{agentid}/callout", "{\"called\":\"9000123\"}");
                s.ConfJoin(customerCall, "dotnet-test");
                Event ev = WaitEvent(s, "AgentEvent_Conference");
                Equal(EventKind.Conference, ev.Kind, "kind");
                Equal(customerCall, ev.CallId, "callid");
                Assert(ev.Partners.Contains("70005") && ev.Partners.Contains("9000123"),
                    "partners " + string.Join(",", ev.Partners.ToArray()));
                int sentBefore = sim.JournalCount("voicecall/thirdPartyConfTransmitNum");
                s.ThirdPartyConfTransmitNum();
                Equal(sentBefore + 1, sim.JournalCount("voicecall/thirdPartyConfTransmitNum"), "one transmit request sent");
                s.Request("DELETE", "voicecall/{agentid}/release");
                s.SignOut();
            }
        }

        private static void BatchAdd_Hold_QueryConfInfos_HappyPath()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.StartEvents();
                s.Request("POST", "agentconf/{agentid}/requestagentconf", "{\"memberNum\":5,\"time\":30}");
                long confId = WaitEvent(s, "AgentConf_RequestSuccess").ConfId;
                Assert(confId > 0, "conf id");
                var add = new BatchAddRequest();
                add.Participants.Add(new Invitee(AddressType.Phone, "70010"));
                add.Participants.Add(new Invitee(AddressType.Phone, "70011") { DeviceCallType = 0 });
                s.BatchAddParticipant(add);
                Assert(sim.JournalCount("agentconf/batchaddparticipant") >= 1, "batchaddparticipant in the journal");
                var joined = new HashSet<string>();
                while (joined.Count < 2)
                {
                    Event ev = WaitEvent(s, "AgentConf_ParticipantChanged", e => e.ChangeType == 0);
                    Equal(0L, ev.Result, "join result");
                    joined.Add(ev.Participant);
                }
                Assert(joined.Contains("70010") && joined.Contains("70011"), "both joined");
                s.HoldParticipant(new HoldRequest { AddressType = AddressType.Phone, Address = "70010", VoicePath = "y:/conf/1/hold.V3" });
                WaitEvent(s, "AgentConf_ParticipantChanged", e => e.ChangeType == 5 && e.Participant == "70010");
                IList<Conference> confs = s.QueryConfInfos(new[] { confId });
                Equal(1, confs.Count, "conference count");
                Conference c = confs[0];
                Equal(confId, c.ConfId, "ConfId");
                ConfParticipant held = c.Participants.FirstOrDefault(p => p.Address == "70010");
                Assert(held != null, "70010 listed");
                Equal(1, held.ChannelState, "70010 held");
                Equal((int)AddressType.Phone, held.AddressType, "address type");
                ConfParticipant other = c.Participants.FirstOrDefault(p => p.Address == "70011");
                Assert(other != null && other.ChannelState == 0, "70011 talking");
                Assert(c.Participants.Any(p => p.Role == 1 && p.Address == s.AgentId), "chair listed");
                Equal(0, s.QueryConfInfos(new[] { confId + 1000 }).Count, "unknown conference left out");
                s.Request("POST", "agentconf/{agentid}/releaseagentconf");
                s.SignOut();
            }
        }

        private static void GenericRequest_ReturnsAnswerJson()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                string json = s.Request("PUT", "voicecall/{agentid}/callout", "{\"called\":\"70005\"}");
                Assert(json.Contains("\"retcode\"") && ResultString(json).Length > 0, "callout answer " + json);
                var e = Throws<CcgwGatewayException>(() => s.Request("PUT", "voicecall/{agentid}/callout", "{\"called\":\"70006\"}"),
                    "second callout");
                Equal("200-001", e.Retcode, "retcode");
                s.Request("DELETE", "voicecall/{agentid}/release");
                s.SignOut();
            }
        }

        // Certificate pinning: a wrong pin fails the handshake naming the certificate's SHA-256;
        // pinning that fingerprint (no CA given) then signs in.
        private static void CertificatePinning_BySha256()
        {
            string agent = NewAgent();
            var o = new SessionOptions { BaseUrl = sim.Url, AgentId = agent, PinnedSha256 = new string('a', 64) };
            string fingerprint;
            using (Session s = new Session(o))
            {
                var e = Throws<CcgwTransportException>(() => SignIn(s), "wrong pin");
                Equal(Status.Tls, e.Status, "wrong pin status");
                int at = e.Message.IndexOf("its SHA-256 is ", StringComparison.Ordinal);
                Assert(at >= 0, "the message names the fingerprint: " + e.Message);
                fingerprint = e.Message.Substring(at + 15, 95);
            }
            o.PinnedSha256 = fingerprint;
            using (Session s = new Session(o))
            {
                SignIn(s);
                s.SignOut();
            }
            o.PinnedSha256 = "not a fingerprint";
            Equal(Status.InvalidArgument, Throws<CcgwArgumentException>(() => new Session(o), "bad pin").Status, "bad pin");
        }

        // Behind a sticky-cookie balancer over two nodes that share nothing (ccgw-sim
        // --sticky-nodes 2): with cookies every call reaches the agent's node; with
        // DisableCookies calls are spread and some are refused by the node that does not know
        // the Guid.
        private static void Cookies_KeepTheSessionOnItsNode_BehindStickyBalancer()
        {
            using (var lb = new Sim(simBin, "--sticky-nodes 2"))
            {
                string agent = NewAgent();
                var o = new SessionOptions { BaseUrl = lb.Url, AgentId = agent, CaFile = lb.Ca };
                using (Session s = new Session(o))
                {
                    SignIn(s);
                    for (int i = 0; i < 6; i++)
                        s.Request("GET", "onlineagent/{agentid}/agentstatus");
                    s.SignOut();
                }
                o.DisableCookies = true;
                int refused = 0;
                using (Session s = new Session(o))
                {
                    SignIn(s, true);
                    for (int i = 0; i < 6; i++)
                    {
                        try { s.Request("GET", "onlineagent/{agentid}/agentstatus"); }
                        catch (CcgwGatewayException) { refused++; }
                    }
                }
                Assert(refused >= 2, "calls refused without cookies: " + refused);
            }
        }

        // A proxy that is down: Status.Proxy, nothing sent; a proxy URL with credentials is
        // refused without quoting them.
        private static void Proxy_DownIsProxyStatus_CredentialsInUrlRefused()
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            long before = sim.JournalLastId();
            var o = new SessionOptions { BaseUrl = sim.Url, AgentId = NewAgent(), CaFile = sim.Ca,
                                         ProxyUrl = "http://127.0.0.1:" + port };
            using (Session s = new Session(o))
            {
                var e = Throws<CcgwTransportException>(() => SignIn(s), "proxy down");
                Equal(Status.Proxy, e.Status, "proxy down status");
            }
            Equal(before, sim.JournalLastId(), "nothing reached the gateway");
            o.ProxyUrl = "http://u:hunter2@127.0.0.1:" + port;
            var bad = Throws<CcgwArgumentException>(() => new Session(o), "credentials in the proxy URL");
            Assert(!bad.Message.Contains("hunter2"), "the password is not quoted: " + bad.Message);
        }

        private static void ArgumentErrors_ThrownBeforeAnythingIsSent()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                long before = sim.JournalLastId();
                var many = new BatchAddRequest();
                for (int i = 0; i < 121; i++)
                    many.Participants.Add(new Invitee(AddressType.Phone, (70000 + i).ToString()));
                Equal(Status.TooMany, Throws<CcgwArgumentException>(() => s.BatchAddParticipant(many), "121 invitees").Status, "121 invitees");
                Equal(Status.MissingArgument, Throws<CcgwArgumentException>(() => s.ConfJoin("   "), "blank callid").Status, "blank callid");
                Equal(Status.TooLong, Throws<CcgwArgumentException>(() => s.HoldParticipant(new HoldRequest
                {
                    AddressType = AddressType.Phone, Address = new string('7', 25), VoicePath = "y:/conf/1/hold.V3",
                }), "long address").Status, "long address");
                Equal(Status.TooMany, Throws<CcgwArgumentException>(() => s.QueryConfInfos(new long[21]), "21 ids").Status, "21 ids");
                Equal(Status.InvalidArgument, Throws<CcgwArgumentException>(
                    () => s.Request("POST", "agentconf/{agentid}/queryconfinfos", "{not json"), "bad json").Status, "bad json");
                Equal(Status.InvalidUtf8, Throws<CcgwArgumentException>(
                    () => s.ConfJoin("call\uD800"), "unpaired surrogate").Status, "unpaired surrogate");
                Equal(before, sim.JournalLastId(), "journal unchanged (nothing sent)");
                // (The journal's route filter is shown to work by the happy-path test, which runs first.)
                Equal(0, CountForAgent("agentconf/batchaddparticipant", s.AgentId), "no batchaddparticipant of this agent in the journal");
                s.SignOut();
            }
            Throws<CcgwArgumentException>(() => new Session(new SessionOptions { BaseUrl = "not a url", AgentId = "153" }),
                "bad base URL");
            Throws<CcgwArgumentException>(() => new Session(new SessionOptions { BaseUrl = sim.Url, AgentId = "99" }),
                "agent id out of range");
        }

        private static void NotSignedIn_ThrowsWithoutSending()
        {
            using (Session s = Open(NewAgent()))
            {
                long before = sim.JournalLastId();
                Throws<CcgwNotSignedInException>(() => s.ThirdPartyConfTransmitNum(), "transmit before sign-in");
                Throws<CcgwNotSignedInException>(() => s.StartEvents(), "events before sign-in");
                Equal(before, sim.JournalLastId(), "journal unchanged");
            }
        }

        private static void Events_InOrder_ThroughEnumerable()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                SignIn(s);
                s.StartEvents();
                Assert(s.EventsRunning, "pump running");
                const int N = 25;
                sim.Control("POST", "/sim/agents/" + agent + "/events", InjectBody("DotNet_Enum_", N));
                var got = new List<Event>();
                using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
                {
                    foreach (Event ev in s.Events(cts.Token))
                    {
                        if (ev.TypeName.StartsWith("DotNet_Enum_", StringComparison.Ordinal))
                            got.Add(ev);
                        if (got.Count == N)
                            break;
                    }
                }
                for (int i = 0; i < N; i++)
                {
                    Equal("DotNet_Enum_" + i, got[i].TypeName, "event " + i);
                    Equal(agent, got[i].WorkNo, "workNo");
                    Assert(got[i].ContentJson.Replace(" ", "").Contains("\"n\":" + i), "content " + got[i].ContentJson);
                    if (i > 0)
                        Assert(got[i].Sequence > got[i - 1].Sequence, "sequence increases");
                }
                s.StopEvents();
                Assert(!s.EventsRunning, "pump stopped");
                Equal(0, s.EventsStatus, "pump status after a requested stop");
                s.SignOut();
            }
        }

        private static void Events_InOrder_ThroughCallback()
        {
            string agent = NewAgent();
            int baseline = Session.LiveCallbackCount;
            using (Session s = Open(agent))
            {
                const int N = 25;
                var got = new List<string>();
                var threads = new HashSet<int>();
                var done = new ManualResetEventSlim(false);
                s.SetEventCallback(ev =>
                {
                    lock (got)
                    {
                        threads.Add(Thread.CurrentThread.ManagedThreadId);
                        if (ev.TypeName.StartsWith("DotNet_Cb_", StringComparison.Ordinal))
                            got.Add(ev.TypeName);
                        if (got.Count == N)
                            done.Set();
                    }
                });
                Equal(baseline + 1, Session.LiveCallbackCount, "callback registered");
                SignIn(s);
                s.StartEvents();
                sim.Control("POST", "/sim/agents/" + agent + "/events", InjectBody("DotNet_Cb_", N));
                Assert(done.Wait(TimeSpan.FromSeconds(15)), "all " + N + " events delivered within 15 s");
                lock (got)
                {
                    for (int i = 0; i < N; i++)
                        Equal("DotNet_Cb_" + i, got[i], "event " + i);
                    Assert(!threads.Contains(Thread.CurrentThread.ManagedThreadId), "delivered on the dispatch thread");
                }
                s.SetEventCallback(null);
                Equal(baseline, Session.LiveCallbackCount, "userdata released on unregistration");
                s.SignOut();
            }
        }

        private static void DispatchOptions_RoundTrip_OneThreadPool()
        {
            Library.SetDispatchOptions(null);
            var d = Library.GetDispatchOptions();
            Equal(4u, d.Threads, "default threads");
            Equal(64u, d.MaxThreads, "default cap");
            Equal(TimeSpan.FromMilliseconds(100), d.Stall, "default stall");
            var e = Throws<CcgwArgumentException>(
                () => Library.SetDispatchOptions(new DispatchOptions { Threads = 8, MaxThreads = 4 }), "max below threads");
            Equal(Status.OutOfRange, e.Status, "out of range");
            Equal(4u, Library.GetDispatchOptions().Threads, "a refusal changes nothing");
            // One thread, no watchdog help; extra threads from earlier tests end after 50 ms.
            Library.SetDispatchOptions(new DispatchOptions
            {
                Threads = 1, MaxThreads = 1, Idle = TimeSpan.FromMilliseconds(50),
            });
            var r = Library.GetDispatchOptions();
            Equal(1u, r.Threads, "threads");
            Equal(TimeSpan.FromMilliseconds(50), r.Idle, "idle");
            Thread.Sleep(300);
            var sessions = new List<Session>();
            try
            {
                const int N = 10;
                var got = new Dictionary<string, List<string>>();
                var threads = new HashSet<int>();
                for (int i = 0; i < 3; i++)
                {
                    string agent = NewAgent();
                    Session s = Open(agent);
                    sessions.Add(s);
                    var mine = new List<string>();
                    got[agent] = mine;
                    s.SetEventCallback(ev =>
                    {
                        lock (got)
                        {
                            if (!ev.TypeName.StartsWith("DotNet_Pool_", StringComparison.Ordinal))
                                return;
                            threads.Add(Thread.CurrentThread.ManagedThreadId);
                            mine.Add(ev.TypeName);
                        }
                    });
                    SignIn(s);
                    s.StartEvents();
                }
                foreach (var agent in got.Keys)
                    sim.Control("POST", "/sim/agents/" + agent + "/events", InjectBody("DotNet_Pool_", N));
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
                while (true)
                {
                    lock (got)
                        if (got.Values.All(l => l.Count == N))
                            break;
                    Assert(DateTime.UtcNow < deadline, "every session's events within 15 s");
                    Thread.Sleep(10);
                }
                lock (got)
                {
                    foreach (var l in got.Values)
                        for (int i = 0; i < N; i++)
                            Equal("DotNet_Pool_" + i, l[i], "event " + i);
                    Equal(1, threads.Count, "three sessions' callbacks on the one pool thread");
                }
                foreach (var s in sessions)
                    s.SetEventCallback(null);
            }
            finally
            {
                foreach (var s in sessions)
                    s.Dispose();
                Library.SetDispatchOptions(null);
            }
        }

        private static void Events_Enumerable_CancelledByCancellationToken()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.StartEvents();
                var sw = Stopwatch.StartNew();
                using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
                {
                    Throws<OperationCanceledException>(() =>
                    {
                        foreach (Event ev in s.Events(cts.Token))
                        {
                            // Sign-in events, if any, are taken and ignored.
                        }
                    }, "enumeration");
                    Assert(cts.IsCancellationRequested, "token cancelled");
                }
                Assert(sw.ElapsedMilliseconds < 3000, "cancelled promptly (" + sw.ElapsedMilliseconds + " ms)");
                s.SignOut();
            }
        }

        private static void Operation_CancelledByCancellationToken()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                SignIn(s);
                sim.Control("POST", "/sim/faults", "{\"route\":\"*\",\"agent\":\"" + agent + "\",\"kind\":\"delay\",\"delay_ms\":8000,\"count\":1}");
                var sw = Stopwatch.StartNew();
                using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
                {
                    // What .NET code writes: catch OperationCanceledException for that token.
                    var e = Throws<OperationCanceledException>(
                        () => s.ThirdPartyConfTransmitNum(new CallOptions { CancellationToken = cts.Token }), "cancelled call");
                    Assert(e is CcgwCancelledException, "a CcgwCancelledException, got " + e.GetType().Name);
                    Assert(e.CancellationToken == cts.Token, "the exception carries the cancelling token");
                    Assert(((ICcgwError)e).Status == Status.Cancelled, "status 202, got " + ((ICcgwError)e).Status);
                }
                Assert(sw.ElapsedMilliseconds < 4000, "cancelled promptly (" + sw.ElapsedMilliseconds + " ms)");
                s.SignOut();
            }
        }

        private static void Operation_CancelledByNativeCancelToken()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            using (var token = new CancelToken())
            {
                SignIn(s);
                sim.Control("POST", "/sim/faults", "{\"route\":\"*\",\"agent\":\"" + agent + "\",\"kind\":\"delay\",\"delay_ms\":8000,\"count\":1}");
                var canceller = new Timer(_ => token.Cancel(), null, 300, Timeout.Infinite);
                var sw = Stopwatch.StartNew();
                var e = Throws<OperationCanceledException>(() => s.ThirdPartyConfTransmitNum(new CallOptions { Cancel = token }), "cancelled call");
                Assert(e is CcgwCancelledException && !e.CancellationToken.CanBeCanceled,
                    "a CcgwCancelledException without a .NET token, got " + e.GetType().Name);
                Assert(sw.ElapsedMilliseconds < 4000, "cancelled promptly (" + sw.ElapsedMilliseconds + " ms)");
                canceller.Dispose();
                // A cancelled token stays cancelled.
                Throws<CcgwCancelledException>(() => s.ThirdPartyConfTransmitNum(new CallOptions { Cancel = token }), "reused token");
                s.SignOut();
            }
        }

        private static void CallTimeout_RaisesTransportExceptionResponseTimeout()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                SignIn(s);
                sim.Control("POST", "/sim/faults", "{\"route\":\"*\",\"agent\":\"" + agent + "\",\"kind\":\"delay\",\"delay_ms\":8000,\"count\":1}");
                var sw = Stopwatch.StartNew();
                var e = Throws<CcgwTransportException>(
                    () => s.ThirdPartyConfTransmitNum(new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) }), "timed-out call");
                Equal(Status.ResponseTimeout, e.Status, "status");
                Equal("", e.Retcode, "no retcode");
                Assert(sw.ElapsedMilliseconds < 4000, "timed out promptly (" + sw.ElapsedMilliseconds + " ms)");
                s.SignOut();
            }
        }

        private static void PumpStopped_WhenGatewaySignsAgentOut()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                SignIn(s);
                s.StartEvents();
                // The gateway's AgentOther_ShutdownService reaches a poll held at sign-out.
                WaitForHeldPoll(agent);
                sim.Control("POST", "/sim/agents/" + agent + "/signout");
                Event stopped = null;
                using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                {
                    foreach (Event ev in s.Events(cts.Token))
                    {
                        if (ev.Kind == EventKind.PumpStopped)
                        {
                            stopped = ev;
                            break;
                        }
                    }
                }
                Assert(stopped != null, "PumpStopped arrived within 20 s");
                Equal(stopped.Status, Status.SessionShutDown, "PumpStopped names the reason");
                Equal(stopped.Status, s.EventsStatus, "EventsStatus is the PumpStopped status");
                Assert(!s.EventsRunning, "pump no longer running");
            }
        }

        /// <summary>Waits (at most 10 s) until the simulator holds a poll of the agent.</summary>
        private static void WaitForHeldPoll(string agent)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!sim.Control("GET", "/sim/agents/" + agent).Contains("\"pollsInFlight\":1"))
            {
                Assert(DateTime.UtcNow < deadline, "a poll held within 10 s");
                Thread.Sleep(10);
            }
        }

        /// <summary>Staying signed in: the gateway signs the agent out; the pump reports the
        /// loss, signs in again, reports the gap once and (ResyncAfterGap) a snapshot with the
        /// held call; Session.Snapshot() agrees.</summary>
        private static void AutoResignIn_AfterGatewaySignOut_GapThenSnapshot()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                s.SignIn(new SignInOptions
                {
                    Password = Sim.Password, PhoneNumber = "4" + agent, AutoResignIn = true, AllowForcedResignIn = true,
                });
                string held = s.Callout(new CalloutRequest { Called = "70005" });
                s.HoldCall();
                Snapshot direct = s.Snapshot();
                Equal(direct.CallsStatus, Status.Ok, "calls fetched");
                Equal(direct.HeldCalls.Count, 1, "one held call");
                Equal(direct.HeldCalls[0].CallId, held, "the held call's id");
                Equal(direct.ConfIdsStatus, Status.GwNotInspector, "not an inspector");
                s.StartEvents(new EventsOptions { PollIntervalMs = 50, ResyncAfterGap = true });
                WaitForHeldPoll(agent);
                sim.Control("POST", "/sim/agents/" + agent + "/signout");
                var seen = new List<Event>();
                using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                {
                    foreach (Event ev in s.Events(cts.Token))
                    {
                        seen.Add(ev);
                        if (ev.Kind == EventKind.Snapshot || ev.Kind == EventKind.PumpStopped)
                            break;
                    }
                }
                Equal(seen.Count(e => e.Kind == EventKind.SessionLost), 1, "one SessionLost");
                Equal(seen.First(e => e.Kind == EventKind.SessionLost).Status, Status.SessionShutDown, "its reason");
                Assert(seen.Any(e => e.Kind == EventKind.SignedInAgain && e.Attempt == 1), "signed in again");
                var gaps = seen.Where(e => e.Kind == EventKind.EventsLost).ToList();
                Equal(gaps.Count, 1, "one gap report");
                Equal(gaps[0].LostReason, LostReason.SignInAgain, "its reason");
                Assert(gaps[0].GapStart > 0 && gaps[0].GapEnd >= gaps[0].GapStart, "its span");
                Event last = seen[seen.Count - 1];
                Equal(last.Kind, EventKind.Snapshot, "a snapshot follows the gap");
                Assert(last.Snapshot != null && last.Snapshot.AgentStatusStatus == Status.Ok, "the snapshot is copied");
                Equal(s.EventsStatus, Status.Ok, "the pump runs on");
            }
        }

        private static void EventsOverMaxEventBytes_ReportedAsLostTooLarge()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                SignIn(s);
                s.StartEvents(new EventsOptions { MaxEventBytes = 16, QueueMaxBytes = 1 << 20 });
                Event lost = null;
                using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
                {
                    foreach (Event ev in s.Events(cts.Token))
                    {
                        Equal(EventKind.EventsLost, ev.Kind, "no event over 16 bytes is delivered");
                        lost = ev;
                        break;
                    }
                }
                Assert(lost != null, "an EventsLost report within 10 s");
                Equal(LostReason.TooLarge, lost.LostReason, "lost reason");
                Assert(lost.LostCount >= 1, "lost count");
                Assert(lost.Message.Contains("max_event_bytes"), "message names the limit: " + lost.Message);
                s.SignOut();
            }
        }

        private static void SetGuid_AttachesGuidFromAnotherSession()
        {
            string agent = NewAgent();
            using (Session s1 = Open(agent))
            using (Session s2 = Open(agent))
            {
                SignIn(s1);
                Throws<CcgwNotSignedInException>(() => s2.ThirdPartyConfTransmitNum(), "s2 without a Guid");
                s2.SetGuid(s1.Guid);
                Equal(s1.Guid, s2.Guid, "attached Guid");
                // Authenticated now: the gateway answers the business refusal, not an auth failure.
                Equal("10001", Throws<CcgwGatewayException>(() => s2.ThirdPartyConfTransmitNum(), "s2 with the Guid").Retcode, "retcode");
                Equal(Status.InvalidArgument, Throws<CcgwArgumentException>(() => s2.SetGuid("bad\nguid"), "control character").Status,
                    "non-printable Guid refused");
                s1.SignOut();
            }
        }

        private static void Close_MakesLaterCallsThrowClosed()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.Close();
                Throws<CcgwClosedException>(() => s.SignOut(), "sign-out after close");
                Throws<CcgwClosedException>(() => s.NextEvent(TimeSpan.FromMilliseconds(10)), "next event after close");
                Equal(0, s.Events().Count(), "enumerable ends on a closed session");
                s.Close();
            }
        }

        private static void Dispose_WakesBlockedNextEvent_FreesCallback_IsIdempotent()
        {
            int baseline = Session.LiveCallbackCount;
            Session s = Open(NewAgent());
            Session s2 = Open(NewAgent());
            s2.SetEventCallback(ev => { });
            Equal(baseline + 1, Session.LiveCallbackCount, "callback registered");
            s2.Dispose();
            Equal(baseline, Session.LiveCallbackCount, "callback userdata released by dispose");

            Exception blockedResult = null;
            var started = new ManualResetEventSlim(false);
            var t = new Thread(() =>
            {
                try
                {
                    started.Set();
                    s.NextEvent(Timeout.InfiniteTimeSpan);
                }
                catch (Exception e)
                {
                    blockedResult = e;
                }
            });
            t.Start();
            Assert(started.Wait(5000), "waiter started");
            Thread.Sleep(200); // let it block inside ccgw_events_next; not an assertion
            var sw = Stopwatch.StartNew();
            s.Dispose();
            Assert(t.Join(5000), "blocked NextEvent returned within 5 s of Dispose");
            Assert(blockedResult is CcgwClosedException || blockedResult is ObjectDisposedException,
                "blocked NextEvent threw Closed, got " + (blockedResult == null ? "nothing" : blockedResult.GetType().Name));
            Assert(s.Handle.IsClosed, "handle closed");
            Throws<ObjectDisposedException>(() => s.SignOut(), "call after dispose");
            s.Dispose();
            Assert(sw.ElapsedMilliseconds < 5000, "dispose prompt");
        }

        private static void Dispose_FromOwnCallback_IsRefused()
        {
            string agent = NewAgent();
            using (Session s = Open(agent))
            {
                Exception seen = null;
                var done = new ManualResetEventSlim(false);
                s.SetEventCallback(ev =>
                {
                    if (ev.TypeName != "DotNet_Dispose")
                        return;
                    try { s.Dispose(); }
                    catch (Exception e) { seen = e; }
                    done.Set();
                });
                SignIn(s);
                s.StartEvents();
                sim.Control("POST", "/sim/agents/" + agent + "/events", "{\"eventType\":\"DotNet_Dispose\"}");
                Assert(done.Wait(TimeSpan.FromSeconds(10)), "callback ran within 10 s");
                Assert(seen is InvalidOperationException, "Dispose refused, got " + (seen == null ? "nothing" : seen.GetType().Name));
                Assert(!s.Handle.IsClosed, "session still usable");
                s.SignOut();
            }
        }

        private static void LogCallback_ReceivesRecords()
        {
            var records = new List<string>();
            Library.SetLogCallback(LogLevel.Debug, (level, op, msg) =>
            {
                lock (records)
                    records.Add(level + " " + op + ": " + msg);
            });
            try
            {
                using (Session s = Open(NewAgent()))
                {
                    SignIn(s);
                    s.SignOut();
                }
            }
            finally
            {
                Library.SetLogCallback(LogLevel.Off, null);
            }
            lock (records)
                Assert(records.Any(r => r.Contains("login")), "a login record among " + records.Count + " records");
        }

        private static void LogEvent_DeliversRecordsUpToLevel_UntilUnsubscribed()
        {
            var records = new List<LogEventArgs>();
            EventHandler<LogEventArgs> handler = (sender, e) =>
            {
                lock (records)
                    records.Add(e);
            };
            EventHandler<LogEventArgs> thrower = (sender, e) => { throw new InvalidOperationException("handler failure"); };
            LogLevel before = Library.LogLevel;
            Library.LogLevel = LogLevel.Info;
            Library.Log += thrower; // a failing handler must not stop the next one
            Library.Log += handler;
            try
            {
                using (Session s = Open(NewAgent()))
                {
                    SignIn(s);
                    s.SignOut();
                }
            }
            finally
            {
                Library.Log -= handler;
                Library.Log -= thrower;
                Library.LogLevel = before;
            }
            List<LogEventArgs> seen;
            lock (records)
                seen = records.ToList();
            Assert(seen.Any(r => r.Operation == "login" && r.Level == LogLevel.Info), "an Info record of login among " + seen.Count);
            Assert(seen.All(r => r.Level != LogLevel.Off && r.Level <= LogLevel.Info), "nothing above Info");
            Assert(seen.All(r => !r.Message.Contains(Sim.Password)), "no password in a record");
            int count = seen.Count;
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.SignOut();
            }
            lock (records)
                Assert(records.Count == count, "no record after the last handler left (" + (records.Count - count) + " arrived)");
        }

        // ---- the conference family beyond the seed operations, calls, the live view --------

        private static void TypedConference_LiveView_InviteTracker()
        {
            sim.Control("PUT", "/sim/config", "{\"announcement_ms\":0,\"answer_rules\":[{\"prefix\":\"7719\",\"outcome\":\"never\"},{\"prefix\":\"7718\",\"outcome\":\"busy\",\"result\":486}]}");
            string guestId = NewAgent();
            using (Session chair = Open(NewAgent()))
            using (Session guest = Open(guestId))
            {
                SignIn(chair);
                chair.StartEvents(new EventsOptions { PollIntervalMs = 50 });
                guest.SignIn(new SignInOptions { Password = Sim.Password, PhoneNumber = "4" + guestId, AutoAnswer = false });
                guest.StartEvents(new EventsOptions { PollIntervalMs = 50 });

                chair.RequestAgentConf(new AgentConfRequest { MemberNum = 5, Time = 30 });
                long confId = WaitEvent(chair, "AgentConf_RequestSuccess").ConfId;
                IList<ViewConference> view = chair.ConfView();
                Equal(1, view.Count, "one conference in the view");
                Assert(view[0].IsChair && view[0].Synced && view[0].ConfId == confId, "the chair's conference");
                Equal(30, view[0].ApplyConfTime, "apply time");

                var add = new BatchAddRequest();
                add.Participants.Add(new Invitee(AddressType.Phone, "77100"));
                add.Participants.Add(new Invitee(AddressType.Phone, "77180"));
                add.Participants.Add(new Invitee(AddressType.Phone, "77190"));
                add.Participants.Add(new Invitee(AddressType.Agent, guestId));
                using (InviteTracker tracker = chair.BatchAddParticipantTracked(add, TimeSpan.FromSeconds(2)))
                {
                    WaitEvent(guest, "AgentConf_Ringing");
                    guest.AnswerAgentConf();
                    Assert(tracker.Wait(TimeSpan.FromSeconds(10)), "every invitee settled");
                    InviteResults r = tracker.Results();
                    Equal(tracker.Id, r.TrackerId, "tracker id");
                    Equal(0, r.Pending, "pending");
                    var by = r.Invitees.ToDictionary(i => i.Address.Value);
                    Equal(InviteOutcomeKind.Joined, by["77100"].Outcome, "phone joined");
                    Equal(InviteOutcomeKind.Failed, by["77180"].Outcome, "busy phone");
                    Equal(486L, by["77180"].Result, "busy result");
                    Equal(InviteOutcomeKind.NoAnswer, by["77190"].Outcome, "never answers");
                    Equal(InviteOutcomeKind.Joined, by[guestId].Outcome, "agent answered");
                    Event settled = WaitEvent(chair, "ccgw.InvitesSettled");
                    Equal(EventKind.InvitesSettled, settled.Kind, "settled kind");
                    Equal(tracker.Id, settled.TrackerId, "settled tracker");
                }

                Assert(!guest.ConfView()[0].Synced, "an invitee's view is unsynced");
                guest.ResyncConfView();
                Assert(guest.ConfView()[0].Synced && guest.ConfView()[0].Participants.Count == 3, "resynced");

                chair.HoldParticipant(new HoldRequest { AddressType = AddressType.Phone, Address = "77100", VoicePath = "y:/conf/1/hold.V3" });
                chair.ChangeParticipantMode(Address.Agent(guestId), ParticipantMode.Listen);
                chair.ProlongTime(10);
                chair.ModifyConfResource(ResourceChange.Add, 2);
                chair.PlayVoiceToConf("y:/conf/1/all.V3");
                ViewConference v = chair.ConfView()[0];
                ViewParticipant phone = v.Participants.First(p => p.Address == "77100");
                Assert(phone.Held && phone.ChannelState == 1 && phone.HoldVoicePath == "y:/conf/1/hold.V3", "held with its announcement");
                Equal(1, v.Participants.First(p => p.Address == guestId).ChannelAttrib, "listen only");
                Equal(1, v.ConfState, "announcement to the conference");
                Equal(40, v.ApplyConfTime, "prolonged");
                Equal(7, v.MemberNum, "member places");
                chair.StopVoiceToConf();
                chair.UnholdParticipant(Address.Phone("77100"));
                chair.PlayVoiceToParticipant(Address.Phone("77100"), "y:/conf/1/part.V3");
                Equal(2, chair.ConfView()[0].Participants.First(p => p.Address == "77100").ChannelState, "announcement to a participant");
                chair.StopVoiceToParticipant(Address.Phone("77100"));

                chair.ShiftPresident(guestId);
                WaitEvent(guest, "AgentConf_PresidentChanged");
                Assert(guest.ConfView()[0].IsChair, "the guest chairs");
                guest.ShiftPresident(chair.AgentId);
                WaitEvent(chair, "AgentConf_PresidentChanged");
                Assert(chair.ConfView()[0].IsChair, "the chair is back");

                IList<Address> missing = chair.BatchRemoveParticipant(new[] { Address.Phone("77100"), Address.Phone("79999") });
                Equal(1, missing.Count, "one not found");
                Equal(Address.Phone("79999"), missing[0], "the unknown number");
                guest.LeaveAgentConf();
                WaitEvent(chair, "AgentConf_ParticipantChanged", e => e.Participant == guestId && e.ChangeType == 1);
                Equal(1, chair.ConfView()[0].Participants.Count, "only the chair is left");

                var g = Throws<CcgwGatewayException>(() => chair.QueryVdnConfIds(), "VDN ids without being an inspector");
                Equal(Status.GwNotInspector, g.Status, "101-004");
                chair.ReleaseAgentConf();
                Equal(0, chair.ConfView().Count, "released");
                guest.SignOut();
                chair.SignOut();
            }
        }

        private static void TypedCalls_CallData_TypedEvents()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                s.StartEvents(new EventsOptions { PollIntervalMs = 50 });
                string first = s.Callout(new CalloutRequest { Called = "70005", CallAppData = "order=42" });
                Event talking = WaitEvent(s, "AgentEvent_Talking");
                Equal(EventKind.CallTalking, talking.Kind, "typed talking");
                Equal(first, talking.CallId, "talking call id");
                Equal("70005", talking.Called, "called");
                AgentStatus st = s.QueryAgentStatus();
                Assert(st.State == 5 && st.IsWorking == true, "talking status");
                s.SecondDial("12*#");
                s.HoldCall();
                Equal(first, WaitEvent(s, "AgentEvent_Hold").CallId, "held call");
                IList<CallInfo> held = s.QueryHoldList();
                Equal(1, held.Count, "one held call");
                Equal("order=42", held[0].CallData, "call data");
                string second = s.Callout(new CalloutRequest { Called = "70006" });
                WaitEvent(s, "AgentEvent_Talking", e => e.CallId == second);
                Equal(second, s.QueryCallInfo().CallId, "current call");
                Equal(first, s.QueryCallInfoByCallId(first).CallId, "call by id");
                s.Disconnect("70006");
                s.GetHold(first);
                s.HoldCall();
                s.Callout(new CalloutRequest { Called = "70007" });
                s.ConnectHold(first);
                Event phone = WaitEvent(s, "AgentOther_PhoneRelease");
                Equal(EventKind.PhoneRelease, phone.Kind, "typed phone release");
                Equal(2L, phone.PhoneState, "on-hook by the agent");
                string third = s.Callout(new CalloutRequest { Called = "70008" });
                s.DropCall(third);
                s.Callout(new CalloutRequest { Called = "70009" });
                s.ReleaseCall();
                Assert(s.QueryCallInfo() == null, "no call left");
                s.SignOut();
            }
        }

        private static void ConferenceLimits_And_Refusals()
        {
            using (Session s = Open(NewAgent()))
            {
                SignIn(s);
                long before = sim.JournalLastId();
                Equal(Status.OutOfRange, Throws<CcgwArgumentException>(() => s.RequestAgentConf(new AgentConfRequest { MemberNum = 121 }), "memberNum 121").Status, "memberNum");
                Equal(Status.InvalidArgument, Throws<CcgwArgumentException>(() => s.Callout(new CalloutRequest { Called = "12a" }), "called 12a").Status, "called");
                Equal(Status.TooLong, Throws<CcgwArgumentException>(() => s.SecondDial(new string('1', 25)), "25 digits").Status, "DTMF");
                var many = Enumerable.Range(0, 31).Select(i => Address.Phone("7" + i)).ToList();
                Equal(Status.TooMany, Throws<CcgwArgumentException>(() => s.BatchRemoveParticipant(many), "31 addresses").Status, "remove");
                Equal(Status.OutOfRange, Throws<CcgwArgumentException>(() => s.ChangeParticipantMode(Address.Phone("70005"), (ParticipantMode)5), "mode 5").Status, "mode");
                var add = new BatchAddRequest();
                add.Participants.Add(new Invitee(AddressType.Phone, "70005"));
                Equal(Status.OutOfRange, Throws<CcgwArgumentException>(() => s.BatchAddParticipantTracked(add, TimeSpan.Zero), "deadline 0").Status, "deadline");
                Equal(before, sim.JournalLastId(), "nothing sent");
                Equal(Status.GwHoldNoCall, Throws<CcgwGatewayException>(() => s.HoldCall(), "hold without a call").Status, "200-013");
                Equal(Status.GwDropCallFailed, Throws<CcgwGatewayException>(() => s.DropCall("1-1"), "drop an unknown call").Status, "200-025");
                var e = Throws<CcgwGatewayException>(() => s.QueryHoldList(), "nothing held");
                Equal("400-003", e.Retcode, "retcode");
                Equal(Status.GwNoConference, Throws<CcgwGatewayException>(() => s.ReleaseAgentConf(), "no conference").Status, "101-001");
                s.SignOut();
            }
        }

        private static void NativeLoader_NamesAndCandidatePaths()
        {
            // The real file names, and the package layout's native folder among the candidates.
            Assert(Ccgw.Interop.NativeLoader.FileNames[0] == "libccgw.so.1", "Linux name libccgw.so.1");
            Assert(Ccgw.Interop.NativeLoader.RuntimeId == "linux-x64", "rid linux-x64, got " + Ccgw.Interop.NativeLoader.RuntimeId);
            string saved = Environment.GetEnvironmentVariable("CCGW_LIBRARY");
            Environment.SetEnvironmentVariable("CCGW_LIBRARY", null);
            try
            {
                var paths = Ccgw.Interop.NativeLoader.CandidatePaths("/opt/pkg/lib/netstandard2.0");
                Assert(paths[0] == "/opt/pkg/lib/netstandard2.0/libccgw.so.1", "assembly directory first: " + paths[0]);
                Assert(paths.Contains("/opt/pkg/runtimes/linux-x64/native/libccgw.so.1"), "the package's runtimes folder");
                Environment.SetEnvironmentVariable("CCGW_LIBRARY", "/x/libccgw.so.1");
                paths = Ccgw.Interop.NativeLoader.CandidatePaths("/opt/pkg/lib/netstandard2.0");
                Assert(paths.Count == 1 && paths[0] == "/x/libccgw.so.1", "CCGW_LIBRARY alone");
            }
            finally
            {
                Environment.SetEnvironmentVariable("CCGW_LIBRARY", saved);
            }
            Console.WriteLine("  native library loaded from: " + (Ccgw.Interop.NativeLoader.LoadedFrom ?? "(the runtime's search)"));
        }
    }
}
