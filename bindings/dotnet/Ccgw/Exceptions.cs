// Exceptions.cs -- statuses and the exception hierarchy.
using System;
using System.Threading;
using Ccgw.Interop;

namespace Ccgw
{
    /// <summary>Well-known <c>ccgw_status</c> values (see include/ccgw.h for every code).</summary>
    public static class Status
    {
        // Loads the native library (NativeLoader) before this class is first used. .NET and
        // .NET Framework bind a P/Invoke at its first call, which comes after; Mono binds it
        // when compiling the calling method, which can come before (see NativeLoader).
        static Status()
        {
            NativeLoader.EnsureLoaded();
        }

        public const int Ok = 0;
        public const int NullArgument = 1;
        public const int InvalidUtf8 = 2;
        public const int InvalidArgument = 3;
        public const int MissingArgument = 4;
        public const int TooLong = 5;
        public const int OutOfRange = 6;
        public const int TooMany = 7;
        public const int UnsupportedVersion = 8;
        public const int Connect = 100;
        public const int Tls = 101;
        public const int ConnectTimeout = 102;
        public const int ResponseTimeout = 103;
        public const int ConnectionLost = 104;
        public const int HttpStatus = 105;
        public const int MalformedResponse = 106;
        public const int UnexpectedContentType = 107;
        public const int TruncatedResponse = 108;
        public const int Proxy = 109;
        public const int ProxyAuth = 110;
        public const int NotSent = 111;
        public const int NotSignedIn = 200;
        public const int Closed = 201;
        public const int Cancelled = 202;
        public const int WrongThread = 203;
        public const int Forked = 204;
        public const int Timeout = 205;
        public const int Busy = 206;
        // High availability: why the event pump stopped (207-213).
        public const int SessionLost = 207;
        public const int SessionShutDown = 208;
        public const int SessionDrSignInAgain = 209;
        public const int SessionFailover = 210;
        public const int PumpOutage = 211;
        public const int ResignInFailed = 212;
        public const int PumpFailed = 213;
        public const int Panic = 900;
        public const int Internal = 901;
        public const int Gateway = 1000;
        public const int GatewayBase = 1000000;
        public const int GatewayNumericBase = 2000000;
        public const int GwNotSignedIn = 1100006;
        public const int GwAlreadySignedIn = 1100002;
        public const int GwWrongCredentials = 1100004;
        public const int GwNoConference = 1101001;
        public const int GwNotChairperson = 1101002;
        public const int GwTransmitNumFailed = 2010001;
        public const int GwAlreadyInConference = 1101003;
        public const int GwNotInspector = 1101004;
        public const int GwChairToSelf = 1101005;
        public const int GwChairRemoveSelf = 1101006;
        public const int GwChairCannotLeave = 1101007;
        public const int GwWrongNumber = 1200001;
        public const int GwHoldNoCall = 1200013;
        public const int GwUnholdNoHeld = 1200015;
        public const int GwReleaseNoCall = 1200017;
        public const int GwDropCallFailed = 1200025;
        public const int GwNoHeldCalls = 1400003;
        // ---- issue 11 (fail-over): the split transport statuses, 000-004, and the reference
        // §8 codes named by family and number (include/ccgw.h has every one's meaning).
        public const int GatewayUnavailable = 112;
        public const int BadGateway = 113;
        public const int GwSwitchover = 1000004;
        public const int GwRecordingDownloadOff = 1104001;
        public const int GwRecordingNoRight = 1104002;
        public const int GwRecordingBadFileName = 1104003;
        public const int GwRecordingNoDriveMapping = 1104004;
        public const int GwRecordingNoFile = 1104005;
        public const int GwRecordingNoSpace = 1104006;
        public const int GwRecordingFormatUnsupported = 1104007;
        public const int GwRecordingFormatUnset = 1104008;
        public const int GwRecordingConversionFailed = 1104009;
        public const int GwRecordingNodeUnset = 1104010;
        public const int GwRecordingDeleteFailed = 1104011;
        public const int GwRecordingObsFailed = 1104012;
        public const int GwPasswordChangeFailed = 1110002;
        public const int GwOldPasswordWrong = 1110003;
        public const int GwPasswordQueryFailed = 1110004;
        public const int GwCtiSignInNoPassword = 1110005;
        public const int GwCtiSignInAuthModeFailed = 1110006;
        public const int GwCtiSignInAuthFailed = 1110007;
        public const int GwCtiSignInDbFailed = 1110008;
        public const int GwCtiSignInNoRecord = 1110009;
        public const int GwUserNameQueryFailed = 1110010;
        public const int GwUserAuthModeQueryFailed = 1110011;
        public const int GwAgentByAttributeFailed = 1110012;
        public const int GwUser013 = 1110013;
        public const int GwUser014 = 1110014;
        public const int GwUser015 = 1110015;
        public const int GwPasswordSameAsOld = 1110017;
        public const int GwPasswordLikeName = 1110018;
        public const int GwPasswordRules = 1110019;
        public const int GwPasswordLength = 1110020;
        public const int GwPasswordConfirmMismatch = 1110022;
        public const int GwRewindState = 1500001;
        public const int GwFastForwardState = 1500002;
        public const int GwPausePlayState = 1500003;
        public const int GwPauseRecordState = 1500004;
        public const int GwResumePlayState = 1500005;
        public const int GwResumeRecordState = 1500006;
        public const int GwStartPlayState = 1500007;
        public const int GwStartRecordState = 1500008;
        public const int GwStopPlayState = 1500009;
        public const int GwAgentNoSkillQueue = 1600001;
        public const int GwVdnNoSkillQueue = 1600002;
        public const int GwVdnNoAccessCode = 1600003;
        public const int GwVdnNoIvr = 1600004;
        public const int GwAgentVdnNoSkillQueue = 1600005;
        // ---- end of issue 11

        /// <summary>The library's English description of any status.</summary>
        public static string Describe(int status)
        {
            return Utf8.Decode(NativeMethods.ccgw_status_str(status));
        }

        /// <summary>Whether the status carries a gateway retcode.</summary>
        public static bool IsGateway(int status)
        {
            return NativeMethods.ccgw_status_is_gateway(status);
        }

        /// <summary>What the status means for the operation that returned it
        /// (<c>ccgw_status_outcome</c>): one of the <see cref="Ccgw.Outcome"/> values.</summary>
        public static int Outcome(int status)
        {
            return NativeMethods.ccgw_status_outcome(status);
        }

        /// <summary>Whether calling again unchanged, after a pause, may succeed and surely
        /// cannot do the operation twice (<c>ccgw_status_retryable</c>).</summary>
        public static bool Retryable(int status)
        {
            return NativeMethods.ccgw_status_retryable(status);
        }
    }

    /// <summary>What a status means for the operation (<c>CCGW_OUTCOME_*</c>,
    /// <see cref="Status.Outcome"/>).</summary>
    public static class Outcome
    {
        /// <summary>The operation was carried out.</summary>
        public const int Ok = 0;
        /// <summary>Nothing reached the gateway; nothing was carried out.</summary>
        public const int NotSent = 1;
        /// <summary>The gateway (or its front end) answered and did not carry it out.</summary>
        public const int Refused = 2;
        /// <summary>The outcome is unknown: it may have been carried out.</summary>
        public const int MayHaveRun = 3;
    }

    /// <summary>What every ccgw exception carries, whatever its .NET base class: the
    /// <c>ccgw_status</c>, the gateway's retcode ("" when none) and the HTTP status (0 when
    /// none). <see cref="CcgwException"/> and <see cref="CcgwCancelledException"/> (an
    /// <see cref="OperationCanceledException"/>) implement it.</summary>
    public interface ICcgwError
    {
        int Status { get; }
        string Retcode { get; }
        int HttpStatus { get; }
    }

    /// <summary>A ccgw call failed. <see cref="Status"/> is the <c>ccgw_status</c>;
    /// <see cref="Retcode"/> the gateway's retcode ("" when the failure did not come from the
    /// gateway); <see cref="HttpStatus"/> the HTTP status of the answer (0 when none).</summary>
    public class CcgwException : Exception, ICcgwError
    {
        public int Status { get; private set; }
        public string Retcode { get; private set; }
        public int HttpStatus { get; private set; }
        /// <summary>The CTI-platform code of an <c>Unknown ERROR._&lt;digits&gt;</c> gateway
        /// message (<c>ccgw_last_error_cti_code</c>); 0 when none.</summary>
        public long CtiCode { get; private set; }
        /// <summary>What <see cref="Status"/> means for the operation (<see cref="Ccgw.Outcome"/>).</summary>
        public int Outcome { get { return Ccgw.Status.Outcome(Status); } }
        /// <summary>Whether calling again may succeed without doing the operation twice.</summary>
        public bool Retryable { get { return Ccgw.Status.Retryable(Status); } }

        public CcgwException(int status, string message, string retcode = "", int httpStatus = 0, long ctiCode = 0)
            : base(message)
        {
            Status = status;
            Retcode = retcode ?? "";
            HttpStatus = httpStatus;
            CtiCode = ctiCode;
        }

        /// <summary>Throws the exception for <paramref name="status"/> unless it is OK. Must be
        /// called right after the failing native call, on the same thread: it reads the
        /// thread's last error.</summary>
        internal static void Check(int status)
        {
            if (status != Ccgw.Status.Ok)
                throw FromLastError(status);
        }

        /// <summary>The exception for a failed call, with the detail of this thread's last error.
        /// A cancelled call gives a <see cref="CcgwCancelledException"/> carrying
        /// <paramref name="token"/> (the CancellationToken that cancelled it, if any).</summary>
        internal static Exception FromLastError(int status, CancellationToken token = default(CancellationToken))
        {
            // Read everything before any other ccgw call on this thread.
            string message = Utf8.Decode(NativeMethods.ccgw_last_error_message());
            string retcode = Utf8.Decode(NativeMethods.ccgw_last_error_retcode()) ?? "";
            int http = NativeMethods.ccgw_last_error_http_status();
            long cti = NativeMethods.ccgw_last_error_cti_code();
            if (string.IsNullOrEmpty(message))
                message = Ccgw.Status.Describe(status);
            if (status == Ccgw.Status.Cancelled)
                return new CcgwCancelledException(message, token);
            return Create(status, message, retcode, http, cti);
        }

        internal static CcgwException Create(int status, string message, string retcode, int http, long cti = 0)
        {
            if (status >= 1 && status <= 8)
                return new CcgwArgumentException(status, message);
            if (status >= 100 && status < 200)
                return new CcgwTransportException(status, message, retcode, http, cti);
            if (status == Ccgw.Status.Closed)
                return new CcgwClosedException(message);
            if (status == Ccgw.Status.Timeout)
                return new CcgwTimeoutException(message);
            if (status == Ccgw.Status.NotSignedIn)
                return new CcgwNotSignedInException(message);
            if (status == Ccgw.Status.Gateway || NativeMethods.ccgw_status_is_gateway(status))
                return new CcgwGatewayException(status, message, retcode, http, cti);
            return new CcgwException(status, message, retcode, http, cti);
        }
    }

    /// <summary>An argument was refused before anything was sent (statuses 1-8).</summary>
    public class CcgwArgumentException : CcgwException
    {
        public CcgwArgumentException(int status, string message) : base(status, message) { }
    }

    /// <summary>The gateway could not be reached or its answer could not be read (100-113).
    /// For 103, 104, 108 and 113 the outcome of the request is unknown (see CcgwException.Outcome).</summary>
    public class CcgwTransportException : CcgwException
    {
        public CcgwTransportException(int status, string message, string retcode, int http, long ctiCode = 0)
            : base(status, message, retcode, http, ctiCode) { }
    }

    /// <summary>The gateway refused the request: <see cref="CcgwException.Retcode"/> holds its retcode.</summary>
    public class CcgwGatewayException : CcgwException
    {
        public CcgwGatewayException(int status, string message, string retcode, int http, long ctiCode = 0)
            : base(status, message, retcode, http, ctiCode) { }
    }

    /// <summary>The operation needs a Guid and the session has none (nothing was sent).</summary>
    public class CcgwNotSignedInException : CcgwException
    {
        public CcgwNotSignedInException(string message) : base(Ccgw.Status.NotSignedIn, message) { }
    }

    /// <summary>The session was closed before or during the call.</summary>
    public class CcgwClosedException : CcgwException
    {
        public CcgwClosedException(string message) : base(Ccgw.Status.Closed, message) { }
    }

    /// <summary>The call was cancelled (<c>CCGW_E_CANCELLED</c>) through a
    /// <see cref="CancelToken"/> or a CancellationToken. It is an
    /// <see cref="OperationCanceledException"/>, as .NET code expects of a cancelled call;
    /// <see cref="OperationCanceledException.CancellationToken"/> is the token that cancelled it
    /// (none for a native <see cref="CancelToken"/>). <see cref="ICcgwError"/> gives the status.</summary>
    public class CcgwCancelledException : OperationCanceledException, ICcgwError
    {
        public CcgwCancelledException(string message, CancellationToken token = default(CancellationToken))
            : base(message, token) { }

        /// <summary>Always <c>CCGW_E_CANCELLED</c> (202).</summary>
        public int Status { get { return Ccgw.Status.Cancelled; } }

        /// <summary>Always "": a cancellation does not come from the gateway.</summary>
        public string Retcode { get { return ""; } }

        /// <summary>Always 0.</summary>
        public int HttpStatus { get { return 0; } }
    }

    /// <summary>A wait ended at its timeout without a result.</summary>
    public class CcgwTimeoutException : CcgwException
    {
        public CcgwTimeoutException(string message) : base(Ccgw.Status.Timeout, message) { }
    }
}
