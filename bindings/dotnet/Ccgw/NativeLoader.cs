// NativeLoader.cs -- finds and loads the native library under its real names, before the
// first P/Invoke (NativeMethods' static constructor calls EnsureLoaded).
//
// The DllImport name is "ccgw"; the file is libccgw.so.1 on Linux (the soname; no
// development symlink libccgw.so needs to exist), ccgw.dll on Windows, libccgw.1.dylib on
// macOS. The managed assembly is Ccgw.Net.dll, so the two never share a file name (a folder
// on a case-insensitive file system holds both).
//
// Where it looks, first hit wins:
//   1. $CCGW_LIBRARY (a full path; nothing else is tried when it is set);
//   2. the assembly's directory, then <assembly dir>/runtimes/<rid>/native/, then
//      <assembly dir>/../../runtimes/<rid>/native/ (the NuGet package's own layout, when the
//      assembly is used straight from the package folder);
//   3. the runtime's own search by name (.NET: the application's native asset directories from
//      its .deps.json, then the system; Mono and .NET Framework: the system's search).
// How the loaded library is bound to DllImport("ccgw"):
//   - .NET Core 3.0+ / .NET 5+: a DllImportResolver for this assembly returns the handle
//     (NativeLibrary is reached through reflection, so the netstandard2.0 build does it too);
//   - .NET Framework on Windows: the DLL is loaded by full path first; DllImport("ccgw") then
//     finds the module already loaded under the name ccgw.dll;
//   - Mono on Linux/macOS: the library is loaded by full path first; Ccgw.Net.dll.config maps
//     "ccgw" to the soname libccgw.so.1, which the dynamic loader matches to the loaded one.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Ccgw.Interop
{
    /// <summary>Locates libccgw (see the file comment for the order) and binds it to the
    /// binding's P/Invoke declarations.</summary>
    public static class NativeLoader
    {
        /// <summary>Environment variable with the full path of the native library.</summary>
        public const string LibraryEnv = "CCGW_LIBRARY";

        private static readonly object Gate = new object();
        private static bool attempted;
        private static IntPtr handle;
        private static string loadedFrom;
        private static string failure;

        /// <summary>The path the library was loaded from by this loader, or null when the
        /// runtime's own search found it (or nothing was loaded yet).</summary>
        public static string LoadedFrom { get { EnsureLoaded(); return loadedFrom; } }

        /// <summary>The file names of the native library on the running OS, in the order tried.</summary>
        public static string[] FileNames
        {
            get
            {
                if (IsWindows)
                    return new[] { "ccgw.dll" };
                if (IsMac)
                    return new[] { "libccgw.1.dylib", "libccgw.dylib" };
                return new[] { "libccgw.so.1", "libccgw.so" };
            }
        }

        /// <summary>The runtime identifier of the native folder (linux-x64, win-x64, osx-x64,
        /// or -x86 for a 32-bit process).</summary>
        public static string RuntimeId
        {
            get
            {
                string os = IsWindows ? "win" : IsMac ? "osx" : "linux";
                return os + (IntPtr.Size == 8 ? "-x64" : "-x86");
            }
        }

        /// <summary>Every full path tried before the runtime's own search, in order.</summary>
        public static IList<string> CandidatePaths(string assemblyDirectory)
        {
            var paths = new List<string>();
            string env = Environment.GetEnvironmentVariable(LibraryEnv);
            if (!string.IsNullOrEmpty(env))
            {
                paths.Add(env);
                return paths;
            }
            if (string.IsNullOrEmpty(assemblyDirectory))
                return paths;
            var dirs = new[]
            {
                assemblyDirectory,
                Path.Combine(assemblyDirectory, "runtimes", RuntimeId, "native"),
                Path.GetFullPath(Path.Combine(assemblyDirectory, "..", "..", "runtimes", RuntimeId, "native")),
            };
            foreach (string dir in dirs)
                foreach (string name in FileNames)
                    paths.Add(Path.Combine(dir, name));
            return paths;
        }

        /// <summary>Loads the library once per process (later calls return at once).</summary>
        public static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (attempted)
                    return;
                attempted = true;
                Assembly self = typeof(NativeLoader).Assembly;
                string dir = null;
                try
                {
                    string location = self.Location;
                    if (!string.IsNullOrEmpty(location))
                        dir = Path.GetDirectoryName(location);
                }
                catch (NotSupportedException)
                {
                    // Single-file or in-memory assembly: only the runtime's search applies.
                }
                bool explicitPath = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LibraryEnv));
                foreach (string path in CandidatePaths(dir))
                {
                    if (!explicitPath && !File.Exists(path))
                        continue;
                    IntPtr h = LoadFile(path);
                    if (h != IntPtr.Zero)
                    {
                        handle = h;
                        loadedFrom = path;
                        break;
                    }
                    if (explicitPath)
                        failure = LibraryEnv + "=" + path + " could not be loaded";
                }
                RegisterResolver(self);
            }
        }

        // ---- .NET Core 3.0+: NativeLibrary through reflection ------------------------------

        private static MethodInfo tryLoadByName;

        private static void RegisterResolver(Assembly self)
        {
            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", false);
            Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", false);
            if (nativeLibrary == null || resolverType == null)
                return; // Mono, .NET Framework: the preloaded library is found by name.
            MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            tryLoadByName = nativeLibrary.GetMethod("TryLoad",
                new[] { typeof(string), typeof(Assembly), typeof(DllImportSearchPath?), typeof(IntPtr).MakeByRefType() });
            MethodInfo resolve = typeof(NativeLoader).GetMethod("Resolve", BindingFlags.NonPublic | BindingFlags.Static);
            if (set == null || resolve == null)
                return;
            set.Invoke(null, new object[] { self, Delegate.CreateDelegate(resolverType, resolve) });
        }

        // The DllImportResolver: the preloaded handle, else the real file names through the
        // runtime's own search; IntPtr.Zero lets the runtime fall back to its default.
        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != NativeMethods.Lib)
                return IntPtr.Zero;
            if (handle != IntPtr.Zero)
                return handle;
            if (failure != null || tryLoadByName == null)
                return IntPtr.Zero;
            foreach (string name in FileNames)
            {
                var args = new object[] { name, assembly, searchPath, IntPtr.Zero };
                if ((bool)tryLoadByName.Invoke(null, args))
                {
                    handle = (IntPtr)args[3];
                    return handle;
                }
            }
            return IntPtr.Zero;
        }

        // ---- loading a file by full path ----------------------------------------------------

        private static IntPtr LoadFile(string path)
        {
            try
            {
                if (IsWindows)
                    return LoadLibraryExW(path, IntPtr.Zero, LOAD_WITH_ALTERED_SEARCH_PATH);
                // RTLD_NOW | RTLD_GLOBAL: later lookups by soname find this very object.
                IntPtr h = IntPtr.Zero;
                try
                {
                    h = dlopen_libdl2(path, RTLD_NOW | RTLD_GLOBAL);
                }
                catch (DllNotFoundException)
                {
                    h = dlopen_libc(path, RTLD_NOW | RTLD_GLOBAL);
                }
                catch (EntryPointNotFoundException)
                {
                    h = dlopen_libc(path, RTLD_NOW | RTLD_GLOBAL);
                }
                return h;
            }
            catch (DllNotFoundException)
            {
                return IntPtr.Zero;
            }
            catch (EntryPointNotFoundException)
            {
                return IntPtr.Zero;
            }
        }

        // Environment-based, so the assembly needs nothing beyond mscorlib (RuntimeInformation
        // is not in-box before .NET Framework 4.7.1).
        private static bool IsWindows { get { return Path.DirectorySeparatorChar == '\\'; } }

        private static bool IsMac
        {
            get { return !IsWindows && Directory.Exists("/System/Library/CoreServices") && Directory.Exists("/usr/lib/system"); }
        }

        private const int RTLD_NOW = 2;
        private const int RTLD_GLOBAL = 0x100;
        private const uint LOAD_WITH_ALTERED_SEARCH_PATH = 0x8;

        [DllImport("libdl.so.2", EntryPoint = "dlopen")]
        private static extern IntPtr dlopen_libdl2(string file, int mode);

        [DllImport("libc", EntryPoint = "dlopen")]
        private static extern IntPtr dlopen_libc(string file, int mode);

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryExW(string path, IntPtr file, uint flags);
    }
}
