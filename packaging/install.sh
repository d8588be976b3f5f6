#!/usr/bin/env bash
# Installs libccgw into a prefix (see packaging/README.md):
#
#   packaging/install.sh PREFIX            e.g. packaging/install.sh /usr/local
#   packaging/install.sh --relocatable DIR ccgw.pc names its prefix relative to its own
#                                          location (${pcfiledir}), as in the release archives
#
# Installs
#   PREFIX/lib/libccgw.so.<version>        the shared library (soname libccgw.so.<ABI>)
#   PREFIX/lib/libccgw.so.<ABI>            -> libccgw.so.<version>   (the runtime link)
#   PREFIX/lib/libccgw.so                  -> libccgw.so.<ABI>       (the link-time link)
#   PREFIX/lib/libccgw.a                   the static library
#   PREFIX/include/ccgw.h, ccgw.hpp        the C API and the C++17 wrapper
#   PREFIX/lib/pkgconfig/ccgw.pc           pkg-config: -lccgw (Libs.private for static links)
#   PREFIX/lib/cmake/ccgw/ccgwConfig.cmake, ccgwConfigVersion.cmake
#                                          find_package(ccgw) -> ccgw::ccgw, ccgw::ccgw_static
#
# The libraries come from target/release (built with `make lib` when absent; --build
# forces `make lib` first). DESTDIR is honoured for staged installs (the files name PREFIX).
# <version> is [package] version of Cargo.toml, which must equal CCGW_VERSION_STRING of
# include/ccgw.h; <ABI> is CCGW_ABI_VERSION and must match the library's soname.
set -euo pipefail

usage() {
    echo "usage: $0 [--build] [--relocatable] PREFIX" >&2
    exit 2
}

build=0
relocatable=0
prefix=
for arg in "$@"; do
    case "$arg" in
    --build) build=1 ;;
    --relocatable) relocatable=1 ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) [ -z "$prefix" ] || usage; prefix=$arg ;;
    esac
done
[ -n "$prefix" ] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
release=${CCGW_RELEASE_DIR:-$root/target/release}

# An absolute prefix, without a trailing slash (it is written into ccgw.pc).
case "$prefix" in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac
prefix=${prefix%/}
[ -n "$prefix" ] || prefix=/

if [ "$build" = 1 ] || [ ! -f "$release/libccgw.so" ] || [ ! -f "$release/libccgw.a" ]; then
    echo "building libccgw (make lib)" >&2
    make -C "$root" lib
fi

# Versions: Cargo.toml's [package] version, checked against the header.
version=$(awk '
    /^\[/ { in_pkg = ($0 == "[package]") }
    in_pkg && /^version[ \t]*=/ { gsub(/.*=[ \t]*"|".*/, ""); print; exit }
' "$root/Cargo.toml")
header_version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/ccgw.h")
abi=$(sed -n 's/^#define CCGW_ABI_VERSION \([0-9][0-9]*\)$/\1/p' "$root/include/ccgw.h")
if [ -z "$version" ] || [ -z "$abi" ]; then
    echo "cannot read the version from Cargo.toml or CCGW_ABI_VERSION from include/ccgw.h" >&2
    exit 1
fi
if [ "$version" != "$header_version" ]; then
    echo "Cargo.toml says $version but include/ccgw.h says $header_version: regenerate the header (make header)" >&2
    exit 1
fi
major=${version%%.*}
if command -v readelf >/dev/null 2>&1; then
    soname=$(readelf -d "$release/libccgw.so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
    if [ "$soname" != "libccgw.so.$abi" ]; then
        echo "$release/libccgw.so has soname '$soname', expected libccgw.so.$abi" >&2
        exit 1
    fi
fi

# What a static link of libccgw.a needs besides it (Rust's std on Linux/glibc):
# `cargo rustc -p ccgw --release --lib --crate-type staticlib -- --print native-static-libs`.
native_static_libs=${CCGW_NATIVE_STATIC_LIBS:--lgcc_s -lutil -lrt -lpthread -lm -ldl -lc}

ptr_bytes=$(($(getconf LONG_BIT) / 8))

dest=${DESTDIR:-}
libdir=$prefix/lib
includedir=$prefix/include
real=libccgw.so.$version

install -d "$dest$libdir" "$dest$includedir" "$dest$libdir/pkgconfig" "$dest$libdir/cmake/ccgw"
install -m 0755 "$release/libccgw.so" "$dest$libdir/$real"
ln -sfn "$real" "$dest$libdir/libccgw.so.$abi"
ln -sfn "libccgw.so.$abi" "$dest$libdir/libccgw.so"
install -m 0644 "$release/libccgw.a" "$dest$libdir/libccgw.a"
install -m 0644 "$root/include/ccgw.h" "$root/include/ccgw.hpp" "$dest$includedir/"

pc_prefix=$prefix
# shellcheck disable=SC2016 # ${pcfiledir} is for pkg-config to expand
[ "$relocatable" = 1 ] && pc_prefix='${pcfiledir}/../..'
cat >"$dest$libdir/pkgconfig/ccgw.pc" <<EOF
prefix=$pc_prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: ccgw
Description: C-ABI client library for the Huawei CC-Gateway agent REST interface (C API ccgw.h, C++17 wrapper ccgw.hpp)
Version: $version
Libs: -L\${libdir} -lccgw
Libs.private: $native_static_libs
Cflags: -I\${includedir}
EOF

# CMake: the prefix is found from the config file's own location, so a staged or moved
# installation keeps working.
cmake_libs=$(printf '%s\n' $native_static_libs | sed 's/^-l//' | paste -sd ';' -)
cat >"$dest$libdir/cmake/ccgw/ccgwConfig.cmake" <<EOF
# CMake package config of ccgw $version, written by packaging/install.sh.
#   find_package(ccgw ${version%.*} REQUIRED)
#   target_link_libraries(app PRIVATE ccgw::ccgw)          # shared, libccgw.so.$abi
#   target_link_libraries(app PRIVATE ccgw::ccgw_static)   # static, libccgw.a
# Both give the include directory with ccgw.h and ccgw.hpp (the latter needs C++17).
get_filename_component(_ccgw_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET ccgw::ccgw)
    add_library(ccgw::ccgw SHARED IMPORTED)
    set_target_properties(ccgw::ccgw PROPERTIES
        IMPORTED_LOCATION "\${_ccgw_prefix}/lib/$real"
        IMPORTED_SONAME "libccgw.so.$abi"
        INTERFACE_INCLUDE_DIRECTORIES "\${_ccgw_prefix}/include")
endif()

if(NOT TARGET ccgw::ccgw_static)
    add_library(ccgw::ccgw_static STATIC IMPORTED)
    set_target_properties(ccgw::ccgw_static PROPERTIES
        IMPORTED_LOCATION "\${_ccgw_prefix}/lib/libccgw.a"
        IMPORTED_LINK_INTERFACE_LANGUAGES "C"
        INTERFACE_INCLUDE_DIRECTORIES "\${_ccgw_prefix}/include"
        INTERFACE_LINK_LIBRARIES "$cmake_libs")
endif()

set(ccgw_ABI_VERSION $abi)
set(ccgw_INCLUDE_DIRS "\${_ccgw_prefix}/include")
set(ccgw_LIBRARIES ccgw::ccgw)
unset(_ccgw_prefix)
EOF

cat >"$dest$libdir/cmake/ccgw/ccgwConfigVersion.cmake" <<EOF
# Version file of ccgw $version (SameMajorVersion): find_package(ccgw X.Y) accepts this
# package when X is $major and X.Y is not newer than $version.
set(PACKAGE_VERSION "$version")
if(NOT PACKAGE_FIND_VERSION)
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(PACKAGE_FIND_VERSION_MAJOR STREQUAL "$major")
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
    if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
        set(PACKAGE_VERSION_EXACT TRUE)
    endif()
else()
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
# A $((ptr_bytes * 8))-bit library: refuse a project configured for another pointer size.
if(CMAKE_SIZEOF_VOID_P AND NOT CMAKE_SIZEOF_VOID_P STREQUAL "$ptr_bytes")
    set(PACKAGE_VERSION "\${PACKAGE_VERSION} ($((ptr_bytes * 8))bit)")
    set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
EOF

echo "installed ccgw $version (soname libccgw.so.$abi) into $dest$prefix"
case "$libdir" in
/usr/lib | /usr/local/lib | /lib)
    [ -z "$dest" ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1 && ldconfig || true
    ;;
*)
    echo "  not a default library path: programs find it through their rpath or LD_LIBRARY_PATH=$libdir"
    ;;
esac
