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

        public CcgwException(int status, string message, string retcode = "", int httpStatus = 0)
            : base(message)
        {
            Status = status;
            Retcode = retcode ?? "";
            HttpStatus = httpStatus;
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
            if (string.IsNullOrEmpty(message))
                message = Ccgw.Status.Describe(status);
            if (status == Ccgw.Status.Cancelled)
                return new CcgwCancelledException(message, token);
            return Create(status, message, retcode, http);
        }

        internal static CcgwException Create(int status, string message, string retcode, int http)
        {
            if (status >= 1 && status <= 8)
                return new CcgwArgumentException(status, message);
            if (status >= 100 && status < 200)
                return new CcgwTransportException(status, message, retcode, http);
            if (status == Ccgw.Status.Closed)
                return new CcgwClosedException(message);
            if (status == Ccgw.Status.Timeout)
                return new CcgwTimeoutException(message);
            if (status == Ccgw.Status.NotSignedIn)
                return new CcgwNotSignedInException(message);
            if (status == Ccgw.Status.Gateway || NativeMethods.ccgw_status_is_gateway(status))
                return new CcgwGatewayException(status, message, retcode, http);
            return new CcgwException(status, message, retcode, http);
        }
    }

    /// <summary>An argument was refused before anything was sent (statuses 1-8).</summary>
    public class CcgwArgumentException : CcgwException
    {
        public CcgwArgumentException(int status, string message) : base(status, message) { }
    }

    /// <summary>The gateway could not be reached or its answer could not be read (100-108).
    /// For 103, 104 and 108 the outcome of the request is unknown.</summary>
    public class CcgwTransportException : CcgwException
    {
        public CcgwTransportException(int status, string message, string retcode, int http)
            : base(status, message, retcode, http) { }
    }

    /// <summary>The gateway refused the request: <see cref="CcgwException.Retcode"/> holds its retcode.</summary>
    public class CcgwGatewayException : CcgwException
    {
        public CcgwGatewayException(int status, string message, string retcode, int http)
            : base(status, message, retcode, http) { }
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
