// Interop.cs -- handles and string marshalling helpers.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Ccgw.Interop
{
    /// <summary>Owns a <c>ccgw_session*</c>; released with <c>ccgw_session_free</c>.</summary>
    public sealed class SessionHandle : SafeHandle
    {
        public SessionHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ccgw_session_free(handle);
            return true;
        }
    }

    /// <summary>Owns a <c>ccgw_cancel*</c>; released with <c>ccgw_cancel_free</c>.</summary>
    public sealed class CancelHandle : SafeHandle
    {
        public CancelHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.ccgw_cancel_free(handle);
            return true;
        }
    }

    /// <summary>UTF-8 conversions in both directions, independent of the runtime's default
    /// string marshalling (Mono's is not UTF-8 everywhere).</summary>
    internal static class Utf8
    {
        // Strict: a string with an unpaired surrogate is refused rather than repaired,
        // matching the library's own refusal of invalid UTF-8.
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        /// <summary>NUL-terminated UTF-8 bytes of <paramref name="s"/>, or null for null.</summary>
        internal static byte[] Encode(string s, string argName)
        {
            if (s == null)
                return null;
            byte[] bytes;
            try
            {
                bytes = Strict.GetBytes(s);
            }
            catch (ArgumentException)
            {
                throw new CcgwArgumentException(Status.InvalidUtf8, argName + " is not valid Unicode (unpaired surrogate)");
            }
            var z = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, z, 0, bytes.Length);
            return z;
        }

        /// <summary>Copies a NUL-terminated UTF-8 string; null for a NULL pointer.</summary>
        internal static string Decode(IntPtr p)
        {
            if (p == IntPtr.Zero)
                return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0)
                len++;
            if (len == 0)
                return string.Empty;
            var buf = new byte[len];
            Marshal.Copy(p, buf, 0, len);
            return Encoding.UTF8.GetString(buf);
        }

        /// <summary>Copies a library-owned string, then frees it with <c>ccgw_string_free</c>.</summary>
        internal static string TakeOwned(IntPtr p)
        {
            if (p == IntPtr.Zero)
                return null;
            try
            {
                return Decode(p);
            }
            finally
            {
                NativeMethods.ccgw_string_free(p);
            }
        }
    }

    /// <summary>Unmanaged memory for the strings and arrays a request struct points to, freed
    /// together after the call.</summary>
    internal sealed class Arena : IDisposable
    {
        private readonly List<IntPtr> blocks = new List<IntPtr>();

        internal IntPtr Str(string s, string argName)
        {
            byte[] z = Utf8.Encode(s, argName);
            if (z == null)
                return IntPtr.Zero;
            IntPtr p = Alloc(z.Length);
            Marshal.Copy(z, 0, p, z.Length);
            return p;
        }

        internal IntPtr Alloc(int size)
        {
            IntPtr p = Marshal.AllocHGlobal(Math.Max(size, 1));
            blocks.Add(p);
            return p;
        }

        public void Dispose()
        {
            foreach (IntPtr p in blocks)
                Marshal.FreeHGlobal(p);
            blocks.Clear();
        }
    }
}
