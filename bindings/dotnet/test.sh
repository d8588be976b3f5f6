#!/usr/bin/env bash
# Builds and tests the .NET binding with Mono, as users get it: from the NuGet package.
# Run from the repository root:
#   bindings/dotnet/test.sh
#  1. drift: CcgwDrift.exe checks every P/Invoke declaration, callback delegate and struct
#     layout of the binding against include/ccgw.h (offsets from a C program), and must fail
#     on a header copy with one field's type changed;
#  2. pack.sh builds dist/Ccgw.Net.<version>.nupkg (release library, glibc 2.17);
#     check_package.py checks its layout;
#  3. the test suite, compiled against lib/netstandard2.0/Ccgw.Net.dll of the extracted
#     package, runs in an application folder laid out as the package's build targets lay it
#     out for Mono (Ccgw.Net.dll, its .config and libccgw.so.1 side by side), with no
#     LD_LIBRARY_PATH or CCGW_LIBRARY;
#  4. NativeLoader finds the library in the package's runtimes/linux-x64/native folder
#     (Ccgw.Net.dll used straight from lib/netstandard2.0);
#  5. examples/Conference.cs runs against the packaged binaries.
# Installs mono-devel (as root) when mcs is missing. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

if ! command -v mcs >/dev/null 2>&1 || ! command -v mono >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "mcs/mono not found; install mono-devel (apt-get install mono-devel) or run as root" >&2
        exit 1
    fi
    echo "installing mono-devel" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-devel >/dev/null
fi

out=build/dotnet
rm -rf "$out"
mkdir -p "$out"
unset LD_LIBRARY_PATH CCGW_LIBRARY

echo "== drift: P/Invoke declarations and struct layouts against include/ccgw.h" >&2
# The binding as a developer compiles it (warnings as errors; CS1591 alone allowed).
mcs -nologo -warnaserror -nowarn:1591 -target:library -out:"$out/Ccgw.Net.dll" -doc:"$out/Ccgw.Net.xml" \
    bindings/dotnet/Ccgw/*.cs
mcs -nologo -warnaserror -out:"$out/CcgwDrift.exe" -r:System.Core.dll bindings/dotnet/Tests/Drift.cs
mono "$out/CcgwDrift.exe" include/ccgw.h "$out/Ccgw.Net.dll"
# The check can fail: one field's type changed in a copy of the header must be reported.
sed 's/uint32_t queue_capacity;/uint64_t queue_capacity;/' include/ccgw.h >"$out/ccgw-mutated.h"
cmp -s include/ccgw.h "$out/ccgw-mutated.h" && { echo "the drift self-check's mutation did not apply" >&2; exit 1; }
if mono "$out/CcgwDrift.exe" "$out/ccgw-mutated.h" "$out/Ccgw.Net.dll" >"$out/drift-mutated.log"; then
    echo "the drift check passed a header with queue_capacity changed to uint64_t" >&2
    exit 1
fi
grep 'queue_capacity' "$out/drift-mutated.log" >&2

echo "== NuGet package" >&2
pkg=$(bindings/dotnet/pack.sh | tail -n 1)
windows_flag=()
# The listing is read whole first: `grep -q` on a pipe would end unzip early (SIGPIPE), and
# under pipefail that reads as "no Windows library" in a package that has one.
listing=$(unzip -Z1 "$pkg")
if grep -qx 'runtimes/win-x64/native/ccgw.dll' <<<"$listing"; then windows_flag=(--windows); fi
python3 bindings/dotnet/check_package.py "$pkg" ${windows_flag[@]+"${windows_flag[@]}"}
pkgdir=$out/package
mkdir -p "$pkgdir"
(cd "$pkgdir" && unzip -q "$pkg")
sim=$(packaging/release-build.sh 2>/dev/null)/ccgw-sim

echo "== .NET binding tests against the packaged binaries (application layout, Mono)" >&2
# The layout build/net461/Ccgw.Net.targets gives a Mono (msbuild) application: Ccgw.Net.dll,
# its .config and libccgw.so.1 side by side. No LD_LIBRARY_PATH, no CCGW_LIBRARY.
app=$out/app
mkdir -p "$app"
cp "$pkgdir"/lib/netstandard2.0/Ccgw.Net.* "$pkgdir/runtimes/linux-x64/native/libccgw.so.1" "$app/"
mcs -nologo -warnaserror -out:"$app/CcgwTests.exe" -r:"$app/Ccgw.Net.dll" -r:System.Core.dll bindings/dotnet/Tests/TestRunner.cs
timeout 300 mono "$app/CcgwTests.exe" "$sim" | tee "$out/tests.log"
grep -F "native library loaded from: $root/$app/libccgw.so.1" "$out/tests.log" >/dev/null ||
    { echo "the tests did not use the packaged library next to the application" >&2; exit 1; }

echo "== NativeLoader: the library only in the package's runtimes/linux-x64/native folder" >&2
# What .NET Framework on Windows relies on (load by full path, then DllImport binds by name),
# exercised under Mono: Ccgw.Net.dll straight from lib/netstandard2.0 of the package, the
# library found through ../../runtimes/linux-x64/native and bound through its soname.
# (Mono binds a P/Invoke when it compiles the caller, so here the loader runs first
# explicitly; .NET and .NET Framework bind at the first call, after NativeLoader has run.)
mkdir -p "$out/loader"
cat >"$out/loader/Loader.cs" <<'CS'
using System;
static class Loader
{
    static int Main()
    {
        Ccgw.Interop.NativeLoader.EnsureLoaded();
        Console.WriteLine("libccgw " + Ccgw.Library.Version + " loaded from " + Ccgw.Interop.NativeLoader.LoadedFrom);
        return 0;
    }
}
CS
mcs -nologo -warnaserror -out:"$out/loader/Loader.exe" -r:"$pkgdir/lib/netstandard2.0/Ccgw.Net.dll" "$out/loader/Loader.cs"
MONO_PATH="$pkgdir/lib/netstandard2.0" mono "$out/loader/Loader.exe" | tee "$out/loader.log"
grep -F "loaded from $root/$pkgdir/runtimes/linux-x64/native/libccgw.so.1" "$out/loader.log" >/dev/null ||
    { echo "NativeLoader did not load the package's runtimes/linux-x64/native/libccgw.so.1" >&2; exit 1; }

echo "== examples/Conference.cs against the packaged binaries" >&2
mkdir -p "$out/example"
cp "$app"/Ccgw.Net.* "$app/libccgw.so.1" "$out/example/"
mcs -nologo -warnaserror -out:"$out/example/Conference.exe" -r:"$out/example/Ccgw.Net.dll" examples/Conference.cs
CCGW_SIM_BIN="$sim" timeout 120 scripts/with-sim mono "$out/example/Conference.exe"
echo "dotnet: drift, package layout, tests, loader and example passed" >&2
