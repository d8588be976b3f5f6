#!/usr/bin/env bash
# Release archives (make dist) into dist/ ($CCGW_DIST_DIR):
#
#   ccgw-<version>-x86_64-unknown-linux-gnu.tar.gz    always: the release build (glibc 2.17)
#   ccgw-<version>-x86_64-pc-windows-gnu.zip          when a Windows build is present
#                                                     ($CCGW_WINDOWS_TARGET_DIR, default target/)
# each with a .sha256 beside it. The Linux archive is an installation prefix under one
# top directory ccgw-<version>-<target>/ (packaging/install.sh --relocatable):
#   lib/libccgw.so.<version>, libccgw.so.1 -> , libccgw.so -> , libccgw.a
#   lib/pkgconfig/ccgw.pc (prefix relative to the file: unpack anywhere)
#   lib/cmake/ccgw/ccgwConfig.cmake, ccgwConfigVersion.cmake
#   include/ccgw.h, include/ccgw.hpp
#   bin/ccgw-sim
#   LICENSE, CHANGELOG.md, README.md, share/doc/ccgw/abi-policy.md
# The Windows archive holds bin/ccgw.dll (and bin/ccgw-sim.exe when built), lib/ccgw.lib and
# lib/libccgw.dll.a when built, lib/libccgw.a, lib/pkgconfig/ccgw.pc, lib/cmake/ccgw/, the
# headers and the same documents.
# Archives are reproducible: sorted entries, owner 0, mtime of the last commit.
# Prints the archives' paths, one per line, last.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dist=${CCGW_DIST_DIR:-$root/dist}
mkdir -p "$dist"
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)
abi=$(sed -n 's/^#define CCGW_ABI_VERSION \([0-9][0-9]*\)$/\1/p' include/ccgw.h)
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
work=$(mktemp -d "${TMPDIR:-/tmp}/ccgw-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT

docs() { # docs DIR: the documents every archive carries
    install -m 0644 LICENSE CHANGELOG.md README.md "$1/"
    install -d "$1/share/doc/ccgw"
    install -m 0644 docs/abi-policy.md "$1/share/doc/ccgw/"
}

built=()

# ---- Linux -------------------------------------------------------------------------------
release=$(packaging/release-build.sh)
target=${CCGW_RELEASE_TARGET:-x86_64-unknown-linux-gnu.2.17}
target=${target%.*.*}
name=ccgw-$version-$target
stage=$work/$name
CCGW_RELEASE_DIR=$release packaging/install.sh --relocatable "$stage" >&2
install -d "$stage/bin"
install -m 0755 "$release/ccgw-sim" "$stage/bin/"
docs "$stage"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$work" -czf "$dist/$name.tar.gz" "$name"
(cd "$dist" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
built+=("$dist/$name.tar.gz")

# ---- Windows (when the Windows build exists) ----------------------------------------------
win=${CCGW_WINDOWS_TARGET_DIR:-$root/target}/x86_64-pc-windows-gnu/release
if [ -f "$win/ccgw.dll" ]; then
    wname=ccgw-$version-x86_64-pc-windows-gnu
    w=$work/$wname
    install -d "$w/bin" "$w/lib/pkgconfig" "$w/lib/cmake/ccgw" "$w/include"
    install -m 0755 "$win/ccgw.dll" "$w/bin/"
    [ -f "$win/ccgw-sim.exe" ] && install -m 0755 "$win/ccgw-sim.exe" "$w/bin/"
    for f in ccgw.lib libccgw.dll.a libccgw.a; do
        [ -f "$win/$f" ] && install -m 0644 "$win/$f" "$w/lib/"
    done
    install -m 0644 include/ccgw.h include/ccgw.hpp "$w/include/"
    # What a static link of libccgw.a needs on Windows: `cargo rustc -p ccgw --release --lib
    # --target x86_64-pc-windows-gnu --crate-type staticlib -- --print native-static-libs`,
    # by default the list the README gives and scripts/test-windows links a program with
    # (tests/c_programs.rs, WINDOWS_STATIC_LIBS); CCGW_WINDOWS_NATIVE_STATIC_LIBS overrides it.
    win_static_libs=${CCGW_WINDOWS_NATIVE_STATIC_LIBS:--lbcrypt -ladvapi32 -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp}
    # shellcheck disable=SC2086 # one library per word
    win_cmake_libs=$(printf '%s\n' $win_static_libs | sed 's/^-l//' | paste -sd ';' -)
    # shellcheck disable=SC2016 # ${pcfiledir} is for pkg-config
    printf '%s\n' 'prefix=${pcfiledir}/../..' 'libdir=${prefix}/lib' 'includedir=${prefix}/include' '' \
        'Name: ccgw' 'Description: C-ABI client library for the Huawei CC-Gateway agent REST interface' \
        "Version: $version" 'Libs: -L${libdir} -lccgw' "Libs.private: $win_static_libs" \
        'Cflags: -I${includedir}' >"$w/lib/pkgconfig/ccgw.pc"
    cat >"$w/lib/cmake/ccgw/ccgwConfig.cmake" <<CMAKE
# CMake package config of ccgw $version for Windows (x64), written by packaging/dist.sh.
#   find_package(ccgw ${version%.*} REQUIRED)  ->  ccgw::ccgw (ccgw.dll; import library
#   ccgw.lib for MSVC, libccgw.dll.a for mingw). Define CCGW_STATIC for ccgw::ccgw_static.
get_filename_component(_ccgw_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET ccgw::ccgw)
    add_library(ccgw::ccgw SHARED IMPORTED)
    if(MSVC)
        set(_ccgw_implib "\${_ccgw_prefix}/lib/ccgw.lib")
    else()
        set(_ccgw_implib "\${_ccgw_prefix}/lib/libccgw.dll.a")
    endif()
    set_target_properties(ccgw::ccgw PROPERTIES
        IMPORTED_LOCATION "\${_ccgw_prefix}/bin/ccgw.dll"
        IMPORTED_IMPLIB "\${_ccgw_implib}"
        INTERFACE_INCLUDE_DIRECTORIES "\${_ccgw_prefix}/include")
    unset(_ccgw_implib)
endif()
if(NOT TARGET ccgw::ccgw_static AND EXISTS "\${_ccgw_prefix}/lib/libccgw.a")
    add_library(ccgw::ccgw_static STATIC IMPORTED)
    set_target_properties(ccgw::ccgw_static PROPERTIES
        IMPORTED_LOCATION "\${_ccgw_prefix}/lib/libccgw.a"
        INTERFACE_COMPILE_DEFINITIONS CCGW_STATIC
        INTERFACE_INCLUDE_DIRECTORIES "\${_ccgw_prefix}/include"
        INTERFACE_LINK_LIBRARIES "$win_cmake_libs")
endif()
set(ccgw_ABI_VERSION $abi)
unset(_ccgw_prefix)
CMAKE
    # The same SameMajorVersion rules and 64-bit check as the Linux package.
    cp "$stage/lib/cmake/ccgw/ccgwConfigVersion.cmake" "$w/lib/cmake/ccgw/"
    docs "$w"
    find "$w" -exec touch -h -d "@$epoch" {} +
    (cd "$work" && find "$wname" -print | LC_ALL=C sort | zip -q -X -@ "$dist/$wname.zip")
    (cd "$dist" && sha256sum "$wname.zip" >"$wname.zip.sha256")
    built+=("$dist/$wname.zip")
else
    echo "no Windows build in $win: the .zip is left out" >&2
fi
printf '%s\n' "${built[@]}"
