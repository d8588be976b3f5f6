#!/usr/bin/env bash
# The release archives as users get them (run from the repository root):
#
#   packaging/test-dist.sh
#
#  1. packaging/dist.sh builds dist/ccgw-<version>-x86_64-unknown-linux-gnu.tar.gz (and the
#     Windows .zip where the Windows build exists);
#  2. the checksum file matches; the archive holds exactly the expected files under one top
#     directory; headers equal include/; the library and ccgw-sim pass the glibc 2.17
#     symbol check;
#  3. it is unpacked into a temporary prefix and consumed there (packaging/consume.sh): C
#     through pkg-config (shared and static) and C++ through CMake find_package(ccgw), each
#     program run against the archive's own ccgw-sim;
#  4. the .zip, when built, holds the DLL, the headers, ccgw.pc, the CMake package and the
#     documents.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ccgw-test-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

archives=$(packaging/dist.sh)
tarball=$(printf '%s\n' "$archives" | grep '\.tar\.gz$')
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)
name=$(basename "$tarball" .tar.gz)
[ "$name" = "ccgw-$version-x86_64-unknown-linux-gnu" ] || { echo "unexpected archive name $name" >&2; exit 1; }
(cd "$(dirname "$tarball")" && sha256sum -c "$name.tar.gz.sha256")

echo "== archive contents" >&2
expected="$name/
$name/CHANGELOG.md
$name/LICENSE
$name/README.md
$name/bin/
$name/bin/ccgw-sim
$name/include/
$name/include/ccgw.h
$name/include/ccgw.hpp
$name/lib/
$name/lib/cmake/
$name/lib/cmake/ccgw/
$name/lib/cmake/ccgw/ccgwConfig.cmake
$name/lib/cmake/ccgw/ccgwConfigVersion.cmake
$name/lib/libccgw.a
$name/lib/libccgw.so
$name/lib/libccgw.so.1
$name/lib/libccgw.so.$version
$name/lib/pkgconfig/
$name/lib/pkgconfig/ccgw.pc
$name/share/
$name/share/doc/
$name/share/doc/ccgw/
$name/share/doc/ccgw/abi-policy.md"
actual=$(tar tzf "$tarball" | LC_ALL=C sort)
if [ "$actual" != "$(printf '%s\n' "$expected" | LC_ALL=C sort)" ]; then
    diff <(printf '%s\n' "$expected" | LC_ALL=C sort) <(printf '%s\n' "$actual") >&2 || true
    echo "the archive's entries differ from the expected set (< expected, > found)" >&2
    exit 1
fi
tar xzf "$tarball" -C "$work"
prefix=$work/$name
cmp include/ccgw.h "$prefix/include/ccgw.h"
cmp include/ccgw.hpp "$prefix/include/ccgw.hpp"
cmp LICENSE "$prefix/LICENSE"
grep -q '^prefix=${pcfiledir}/../..$' "$prefix/lib/pkgconfig/ccgw.pc" || { echo "ccgw.pc is not relocatable" >&2; exit 1; }
packaging/check-glibc.sh "$prefix/lib/libccgw.so.$version" "$prefix/bin/ccgw-sim"

echo "== consume the unpacked archive" >&2
CCGW_SIM_BIN=$prefix/bin/ccgw-sim packaging/consume.sh "$prefix" "$work/consume"

zip=$(printf '%s\n' "$archives" | grep '\.zip$' || true)
if [ -n "$zip" ]; then
    echo "== Windows archive $(basename "$zip")" >&2
    (cd "$(dirname "$zip")" && sha256sum -c "$(basename "$zip").sha256")
    wname=$(basename "$zip" .zip)
    listing=$(unzip -Z1 "$zip")
    for f in bin/ccgw.dll include/ccgw.h include/ccgw.hpp lib/pkgconfig/ccgw.pc lib/cmake/ccgw/ccgwConfig.cmake \
        lib/cmake/ccgw/ccgwConfigVersion.cmake LICENSE CHANGELOG.md share/doc/ccgw/abi-policy.md; do
        grep -qx "$wname/$f" <<<"$listing" || { echo "$zip lacks $wname/$f" >&2; exit 1; }
    done
    # A static link on Windows needs the system libraries: ccgw.pc names them.
    winpc=$(unzip -p "$zip" "$wname/lib/pkgconfig/ccgw.pc")
    grep -q -- '^Libs.private:.*-lws2_32.*-lbcrypt\|^Libs.private:.*-lbcrypt.*-lws2_32' <<<"$winpc" ||
        { echo "the Windows ccgw.pc lists no system libraries for a static link" >&2; exit 1; }
else
    echo "no Windows archive (no Windows build): its checks are skipped" >&2
fi
echo "dist: archive checks and consumers passed" >&2
