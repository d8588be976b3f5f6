#!/usr/bin/env bash
# Builds the NuGet package Ccgw.Net.<version>.nupkg (make nuget) into dist/ ($CCGW_DIST_DIR).
#
# There is no .NET SDK on the build machines and nuget.org is not reachable, so this script
# does what `dotnet pack` of Ccgw/Ccgw.Net.csproj would, with what is here:
#  - compiles Ccgw/*.cs with Mono's mcs against the .NET Framework 4.6.1 reference assemblies
#    (mscorlib, System, System.Core: the API surface netstandard2.0 and net8.0 share for this
#    code) into Ccgw.Net.dll with its XML documentation, warnings as errors;
#  - lays out the package: lib/netstandard2.0/ and lib/net8.0/ (that same assembly, its .xml
#    and Ccgw.Net.dll.config for Mono), runtimes/linux-x64/native/libccgw.so.1 from the release
#    build (glibc 2.17), runtimes/win-x64/native/ccgw.dll when a Windows build is present
#    ($CCGW_WINDOWS_TARGET_DIR, default target/, holding x86_64-pc-windows-gnu/release/ccgw.dll),
#    build/ and buildTransitive/net461/Ccgw.Net.targets (copies ccgw.dll for .NET Framework
#    projects), README.md, LICENSE.txt, the .nuspec and the OPC parts;
#  - zips it (a .nupkg is a zip).
# Prints the package's path last. CCGW_NATIVE_LINUX overrides the Linux library's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
dist=${CCGW_DIST_DIR:-$root/dist}
ref=${MONO_REFERENCE_DIR:-/usr/lib/mono/4.6.1-api}
for f in mcs "$ref/mscorlib.dll"; do
    command -v "$f" >/dev/null 2>&1 || [ -f "$f" ] || { echo "$f missing: install mono-devel (bindings/dotnet/test.sh does)" >&2; exit 1; }
done

version=$(awk '/^\[/ { p = ($0 == "[package]") } p && /^version[ \t]*=/ { gsub(/.*=[ \t]*"|".*/, ""); print; exit }' Cargo.toml)
linux_lib=${CCGW_NATIVE_LINUX:-}
if [ -z "$linux_lib" ]; then
    linux_lib=$(packaging/release-build.sh)/libccgw.so
fi
win_dir=${CCGW_WINDOWS_TARGET_DIR:-$root/target}
win_lib=$win_dir/x86_64-pc-windows-gnu/release/ccgw.dll

stage=$(mktemp -d "${TMPDIR:-/tmp}/ccgw-nupkg.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib/netstandard2.0" "$stage/runtimes/linux-x64/native" "$stage/build/net461" "$stage/buildTransitive/net461"

mcs -nologo -warnaserror -nowarn:1591 -target:library -optimize+ -nostdlib -noconfig \
    -r:"$ref/mscorlib.dll" -r:"$ref/System.dll" -r:"$ref/System.Core.dll" \
    -out:"$stage/lib/netstandard2.0/Ccgw.Net.dll" -doc:"$stage/lib/netstandard2.0/Ccgw.Net.xml" \
    bindings/dotnet/Ccgw/*.cs
cp bindings/dotnet/Ccgw/Ccgw.Net.dll.config "$stage/lib/netstandard2.0/"
cp -r "$stage/lib/netstandard2.0" "$stage/lib/net8.0"
install -m 0755 "$linux_lib" "$stage/runtimes/linux-x64/native/libccgw.so.1"
if [ -f "$win_lib" ]; then
    mkdir -p "$stage/runtimes/win-x64/native"
    install -m 0755 "$win_lib" "$stage/runtimes/win-x64/native/ccgw.dll"
else
    echo "no Windows build in $win_dir/x86_64-pc-windows-gnu/release: runtimes/win-x64 is left out" >&2
fi
cp bindings/dotnet/Ccgw/build/Ccgw.Net.targets "$stage/build/net461/"
cp bindings/dotnet/Ccgw/build/Ccgw.Net.targets "$stage/buildTransitive/net461/"
cp bindings/dotnet/README.md "$stage/README.md"
cp LICENSE "$stage/LICENSE.txt"

cat >"$stage/Ccgw.Net.nuspec" <<NUSPEC
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata minClientVersion="4.3">
    <id>Ccgw.Net</id>
    <version>$version</version>
    <title>ccgw for .NET</title>
    <authors>ccgw</authors>
    <license type="expression">Apache-2.0</license>
    <readme>README.md</readme>
    <description>.NET binding of libccgw, the client library for the Huawei CC-Gateway (AgentGateway) agent REST interface: agent session and Guid, event long-polling, conference operations. Carries the native library for linux-x64 (glibc 2.17 and later) and, when built, win-x64.</description>
    <tags>cti contact-center huawei cc-gateway agentgateway</tags>
    <dependencies>
      <group targetFramework=".NETStandard2.0" />
      <group targetFramework="net8.0" />
    </dependencies>
  </metadata>
</package>
NUSPEC

mkdir -p "$dist"
pkg=$dist/Ccgw.Net.$version.nupkg
python3 - "$stage" "$pkg" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
files = sorted(os.path.relpath(os.path.join(d, f), stage) for d, _, fs in os.walk(stage) for f in fs)
content_types = ('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
                 '<Default Extension="nuspec" ContentType="application/octet" />'
                 '<Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" />'
                 + ''.join(f'<Default Extension="{e}" ContentType="application/octet" />'
                           for e in sorted({os.path.splitext(f)[1][1:] for f in files} - {"nuspec", ""}))
                 + '<Override PartName="/runtimes/linux-x64/native/libccgw.so.1" ContentType="application/octet" /></Types>')
rels = ('<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/Ccgw.Net.nuspec" Id="R0" /></Relationships>')
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", content_types)
    z.writestr("_rels/.rels", rels)
    for f in files:
        z.write(os.path.join(stage, f), f)
PY
echo "$pkg"
