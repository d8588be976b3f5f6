// Conference.cs -- a contact-center conference scenario through the ccgw .NET binding
// (the same scenario as examples/conference.c).
//
// The agent signs in, calls a customer (Callout returns the call id), holds, calls a
// third-party IVR and joins the two calls into a three-party call (ConfJoin), passes the
// customer's key presses to the IVR (ThirdPartyConfTransmitNum), releases the call, requests
// an agent conference, invites a supervisor's phone and a second agent in one tracked batch
// and waits for each invitee's outcome, holds the phone with an announcement, prolongs the
// conference, queries it, prints the session's live view, releases it, and signs out. Every
// call is a typed method. Every failure is printed with the operation's name, status and
// retcode and ends the program with a non-zero exit status.
//
// Events: both agents run the event pump (their keep-alive). The chairperson's events are
// taken from the blocking Events() enumerable and printed as they arrive; each step waits for
// the event that proves it. The second agent's events arrive through a callback on the
// library's callback pool.
//
// Configuration (environment), as for conference.c:
//   CCGW_URL (required), CCGW_CA, CCGW_AGENT (153), CCGW_PASSWORD (required), CCGW_PHONE (40038),
//   CCGW_AGENT2 (154; empty to invite phones only), CCGW_PASSWORD2, CCGW_PHONE2 (40039),
//   CCGW_CUSTOMER (70005), CCGW_IVR (9000123), CCGW_SUPERVISOR (70010),
//   CCGW_VOICE (y:/conf/1/hold.V3)
//
// Build and run (from the repository root, after `make lib`):
//   mcs -target:library -out:build/dotnet/Ccgw.Net.dll bindings/dotnet/Ccgw/*.cs
//   cp bindings/dotnet/Ccgw/Ccgw.Net.dll.config target/release/libccgw.so.1 build/dotnet/
//   mcs -out:build/dotnet/Conference.exe -r:build/dotnet/Ccgw.Net.dll examples/Conference.cs
//   scripts/with-sim mono build/dotnet/Conference.exe
using System;
using System.Collections.Generic;
using System.Threading;
using Ccgw;

internal static class ConferenceExample
{
    private static string Env(string name, string fallback)
    {
        string v = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(v) ? fallback : v;
    }

    private sealed class Failed : Exception
    {
        public Failed(string message) : base(message) { }
    }

    /// <summary>Runs one operation, printing its outcome; a failure ends the scenario.</summary>
    private static T Step<T>(string operation, Func<T> action)
    {
        try
        {
            T result = action();
            Console.WriteLine("  {0,-28} OK", operation);
            return result;
        }
        catch (CcgwException e)
        {
            string detail = string.Format("  {0,-28} FAILED: status {1} ({2})\n    {3}", operation, e.Status,
                Status.Describe(e.Status), e.Message);
            if (e.Retcode.Length > 0)
                detail += "\n    gateway retcode " + e.Retcode;
            throw new Failed(detail);
        }
    }

    private static void Step(string operation, Action action)
    {
        Step<object>(operation, () => { action(); return null; });
    }

    /// <summary>Takes the chairperson's events, printing each, until one of <paramref name="type"/>
    /// arrives; gives up after <paramref name="seconds"/>.</summary>
    private static Event WaitEvent(Session s, string type, int seconds)
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
        {
            try
            {
                foreach (Event ev in s.Events(cts.Token))
                {
                    Console.WriteLine("    event " + ev.TypeName);
                    if (ev.Kind == EventKind.PumpStopped)
                        throw new Failed("  the event pump stopped: " + ev.Message);
                    if (ev.TypeName == type)
                        return ev;
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        throw new Failed(string.Format("  {0} did not arrive within {1} s", type, seconds));
    }

    /// <summary>Prints the session's live view of its conferences.</summary>
    private static void PrintView(Session s)
    {
        IList<ViewConference> view = Step("ConfView", () => s.ConfView());
        foreach (ViewConference c in view)
        {
            Console.WriteLine("    live view: conference {0}, {1}, {2}, {3} of {4} minutes, {5} places, {6} participants",
                c.ConfId, c.IsChair ? "chair" : "participant", c.Synced ? "synced" : "not synced", c.ConfHaveBeenTime,
                c.ApplyConfTime, c.MemberNum, c.Participants.Count);
            foreach (ViewParticipant p in c.Participants)
                Console.WriteLine("      {0,-6} {1,-12} {2,-11} {3,-12} mode {4}{5}",
                    p.AddressType == AddressType.Agent ? "agent" : "phone", p.Address, p.Role == 1 ? "chair" : "participant",
                    p.Held ? "held" : p.Announcement ? "announcement" : "talking", p.ChannelAttrib,
                    p.HoldVoicePath.Length > 0 ? ", hearing " + p.HoldVoicePath : "");
        }
        if (view.Count == 0)
            Console.WriteLine("    live view: no conference");
    }

    private static Session OpenSession(string url, string ca, string agent)
    {
        return Step("ccgw_session_new", () => new Session(new SessionOptions { BaseUrl = url, AgentId = agent, CaFile = ca }));
    }

    private static void SignIn(Session s, string password, string phone)
    {
        // Force: take the session over if the agent is signed in elsewhere.
        SignInResult r = Step("login", () => s.SignIn(new SignInOptions { Password = password, PhoneNumber = phone, Force = true }));
        Console.WriteLine("    agent {0} signed in to {1} (VDN {2}){3}", r.WorkNo, r.ServerName, r.VdnId,
            r.Forced ? ", by force" : "");
    }

    private static int Main()
    {
        string url = Environment.GetEnvironmentVariable("CCGW_URL");
        string password = Environment.GetEnvironmentVariable("CCGW_PASSWORD");
        if (string.IsNullOrEmpty(url) || password == null)
        {
            Console.Error.WriteLine("set CCGW_URL and CCGW_PASSWORD (and CCGW_CA for a private CA)");
            return 2;
        }
        try
        {
            Run(url, password);
            return 0;
        }
        catch (Failed e)
        {
            Console.Out.Flush();
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static void Run(string url, string password)
    {
        string ca = Environment.GetEnvironmentVariable("CCGW_CA");
        if (ca == "")
            ca = null;
        string agent = Env("CCGW_AGENT", "153");
        string agent2 = Environment.GetEnvironmentVariable("CCGW_AGENT2") ?? "154";
        string voice = Env("CCGW_VOICE", "y:/conf/1/hold.V3");
        string supervisor = Env("CCGW_SUPERVISOR", "70010");

        Console.WriteLine("ccgw {0}: conference scenario against {1} as agent {2}", Library.Version, url, agent);
        Session s2 = null;
        using (Session s = OpenSession(url, ca, agent))
        {
            SignIn(s, password, Env("CCGW_PHONE", "40038"));
            Step("ccgw_events_start", () => s.StartEvents());

            Console.WriteLine("three-party call");
            string customerCall = Step("callout (customer)", () => s.Callout(new CalloutRequest { Called = Env("CCGW_CUSTOMER", "70005") }));
            Event ev = WaitEvent(s, "AgentEvent_Talking", 30);
            Console.WriteLine("    talking to {0}", ev.Called);
            Step("hold", () => s.HoldCall());
            WaitEvent(s, "AgentEvent_Hold", 10);
            Step("callout (IVR)", () => s.Callout(new CalloutRequest { Called = Env("CCGW_IVR", "9000123") }));
            WaitEvent(s, "AgentEvent_Talking", 30);
            Step("confJoin", () => s.ConfJoin(customerCall, "ccgw-demo"));
            ev = WaitEvent(s, "AgentEvent_Conference", 10);
            Console.WriteLine("    three-party call {0} with {1}", ev.CallId, string.Join(" ", new List<string>(ev.Partners).ToArray()));
            Step("thirdPartyConfTransmitNum", () => s.ThirdPartyConfTransmitNum());
            Step("release", () => s.ReleaseCall());
            WaitEvent(s, "AgentEvent_Call_Release", 10);

            Console.WriteLine("agent conference");
            try
            {
                if (agent2.Length > 0)
                {
                    s2 = OpenSession(url, ca, agent2);
                    Session second = s2;
                    Step("ccgw_events_set_callback", () => second.SetEventCallback(
                        e => Console.WriteLine("    [agent {0}] event {1}", agent2, e.TypeName)));
                    SignIn(s2, Env("CCGW_PASSWORD2", password), Env("CCGW_PHONE2", "40039"));
                    Step("ccgw_events_start", () => second.StartEvents());
                }
                Step("requestAgentConf", () => s.RequestAgentConf(new AgentConfRequest { MemberNum = 5, Time = 30 }));
                long confId = WaitEvent(s, "AgentConf_RequestSuccess", 10).ConfId;
                Console.WriteLine("    conference {0} granted", confId);

                var add = new BatchAddRequest();
                add.Participants.Add(new Invitee(AddressType.Phone, supervisor));
                if (agent2.Length > 0)
                    add.Participants.Add(new Invitee(AddressType.Agent, agent2));
                // Each invitee's outcome: joined, failed (with the gateway's code), released, or no
                // answer within 30 s. The events keep arriving here too; the tracker takes none.
                using (InviteTracker tracker = Step("batchAddParticipant", () => s.BatchAddParticipantTracked(add, TimeSpan.FromSeconds(30))))
                {
                    WaitEvent(s, "ccgw.InvitesSettled", 40);
                    Step("tracker wait", () => tracker.Wait(Timeout.InfiniteTimeSpan));
                    foreach (InviteOutcome inv in tracker.Results().Invitees)
                        Console.WriteLine("    invitee {0}: {1}{2}", inv.Address.Value,
                            inv.Outcome == InviteOutcomeKind.NoAnswer ? "no answer" : inv.Outcome.ToString().ToLowerInvariant(),
                            inv.Outcome == InviteOutcomeKind.Failed ? " (result " + inv.Result + ")" : "");
                }

                Step("holdParticipant", () => s.HoldParticipant(new HoldRequest
                {
                    AddressType = AddressType.Phone, Address = supervisor, VoicePath = voice,
                }));
                for (bool held = false; !held;)
                {
                    ev = WaitEvent(s, "AgentConf_ParticipantChanged", 10);
                    held = ev.ChangeType == 5 && ev.Participant == supervisor;
                }
                Console.WriteLine("    {0} is on hold, hearing {1}", supervisor, voice);

                IList<Conference> confs = Step("queryConfInfos", () => s.QueryConfInfos(new[] { confId }));
                foreach (Conference c in confs)
                {
                    Console.WriteLine("    conference {0}: state {1}, {2} of {3} minutes, {4} participants", c.ConfId,
                        c.ConfState, c.ConfHaveBeenTime, c.ApplyConfTime, c.Participants.Count);
                    foreach (ConfParticipant p in c.Participants)
                        Console.WriteLine("      {0,-6} {1,-12} {2,-11} {3}", p.AddressType == (int)AddressType.Agent ? "agent" : "phone",
                            p.Address, p.Role == 1 ? "chair" : "participant",
                            p.ChannelState == 1 ? "held" : p.ChannelState == 2 ? "announcement" : "talking");
                }
                if (confs.Count != 1)
                    throw new Failed("  queryConfInfos did not return conference " + confId);
                Step("prolongTime", () => s.ProlongTime(15));
                PrintView(s);
                Step("releaseAgentConf", () => s.ReleaseAgentConf());

                Console.WriteLine("sign out");
                if (s2 != null)
                    Step("logout (second agent)", () => s2.SignOut());
            }
            finally
            {
                if (s2 != null)
                    s2.Dispose();
            }
            Step("logout", () => s.SignOut());
        }
        Step("ccgw_global_shutdown", () => Library.GlobalShutdown(TimeSpan.FromSeconds(2)));
        Console.WriteLine("done");
    }
}
