#!/usr/bin/env bash
# Builds and tests the .NET binding with Mono, then runs the C# conference example against a
# fresh simulator. Run from the repository root after `make lib`:
#   bindings/dotnet/test.sh
# Installs mono-devel (as root) when mcs is missing. Output goes to build/dotnet/.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v mcs >/dev/null 2>&1 || ! command -v mono >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "mcs/mono not found; install mono-devel (apt-get install mono-devel) or run as root" >&2
        exit 1
    fi
    echo "installing mono-devel" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-devel >/dev/null
fi

for f in target/release/libccgw.so.1 target/release/ccgw-sim; do
    if [ ! -e "$f" ]; then
        echo "$f is missing: run 'make lib' first" >&2
        exit 1
    fi
done

out=build/dotnet
mkdir -p "$out"
# CS1591 (missing XML comment on a public member) is the only warning allowed.
mcs -nologo -warnaserror -nowarn:1591 -target:library -out:"$out/Ccgw.dll" -doc:"$out/Ccgw.xml" \
    bindings/dotnet/Ccgw/*.cs
cp bindings/dotnet/Ccgw/Ccgw.dll.config "$out/Ccgw.dll.config"
mcs -nologo -warnaserror -out:"$out/CcgwTests.exe" -r:"$out/Ccgw.dll" -r:System.Core.dll bindings/dotnet/Tests/*.cs
mcs -nologo -warnaserror -out:"$out/Conference.exe" -r:"$out/Ccgw.dll" examples/Conference.cs

# Ccgw.dll.config maps "ccgw" to libccgw.so.1; LD_LIBRARY_PATH says where it is.
export LD_LIBRARY_PATH="$PWD/target/release${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

echo "== .NET binding tests" >&2
timeout 300 mono "$out/CcgwTests.exe" target/release/ccgw-sim

echo "== examples/Conference.cs" >&2
timeout 120 scripts/with-sim mono "$out/Conference.exe"
echo "dotnet: tests and example passed" >&2
