#!/usr/bin/env bash
# Consumes an installed ccgw prefix (from packaging/install.sh or an unpacked release
# archive) as a C/C++ project would, against the simulator:
#
#   packaging/consume.sh PREFIX WORKDIR
#
#  - the soname links of PREFIX/lib and the library's soname;
#  - pkg-config metadata (version, cflags, libs, static libs) of PREFIX/lib/pkgconfig/ccgw.pc;
#  - packaging/consumers/c/consumer.c built with `pkg-config --cflags --libs ccgw` (shared,
#    then static with `pkg-config --static`), each run through scripts/with-sim;
#  - packaging/consumers/cmake built with CMake find_package(ccgw) (ccgw::ccgw and
#    ccgw::ccgw_static), each run through scripts/with-sim; the SameMajorVersion rules.
# The simulator is $CCGW_SIM_BIN (scripts/with-sim's default otherwise). Used by
# packaging/test.sh and packaging/test-dist.sh; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$1
work=$2
mkdir -p "$work"
current=""
step() {
    current=$*
    printf '\n== %s\n' "$*"
}
trap 'status=$?; [ $status = 0 ] || echo "packaging/consume.sh: FAILED at: $current (exit $status)" >&2' EXIT

CSTRICT=(-std=c99 -Wall -Wextra -Werror -pedantic)
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }
soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; }
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)
abi=$(sed -n 's/^#define CCGW_ABI_VERSION \([0-9][0-9]*\)$/\1/p' include/ccgw.h)
lib=$prefix/lib
# The file the dynamic loader picks for libccgw.so.<abi>, links resolved.
loaded_from() { readlink -f "$(ldd "$1" | sed -n "s/^[[:space:]]*libccgw\.so\.$abi => \([^ ]*\) .*/\1/p")"; }

step "soname links"
[ -L "$lib/libccgw.so.$abi" ] && [ "$(readlink "$lib/libccgw.so.$abi")" = "libccgw.so.$version" ] ||
    { echo "libccgw.so.$abi is not a link to libccgw.so.$version" >&2; exit 1; }
[ -L "$lib/libccgw.so" ] && [ "$(readlink "$lib/libccgw.so")" = "libccgw.so.$abi" ] ||
    { echo "libccgw.so is not a link to libccgw.so.$abi" >&2; exit 1; }
[ "$(soname "$lib/libccgw.so.$version")" = "libccgw.so.$abi" ] ||
    { echo "soname of libccgw.so.$version is '$(soname "$lib/libccgw.so.$version")'" >&2; exit 1; }
ls -l "$lib"/libccgw.so*
echo "soname libccgw.so.$abi"

export PKG_CONFIG_PATH=$lib/pkgconfig
step "pkg-config metadata"
[ "$(pkg-config --modversion ccgw)" = "$version" ]
pkg-config --exists "ccgw >= $version"
echo "cflags: $(pkg-config --cflags ccgw)"
echo "libs:   $(pkg-config --libs ccgw)"
echo "static: $(pkg-config --static --libs ccgw)"

step "C consumer through pkg-config (shared)"
# shellcheck disable=SC2046 # word splitting of pkg-config's output is intended
gcc "${CSTRICT[@]}" packaging/consumers/c/consumer.c $(pkg-config --cflags --libs ccgw) \
    -Wl,-rpath,"$(pkg-config --variable=libdir ccgw)" -o "$work/consumer-c"
needed "$work/consumer-c" | grep -x "libccgw.so.$abi" >/dev/null ||
    { echo "consumer-c does not need libccgw.so.$abi:" >&2; needed "$work/consumer-c" >&2; exit 1; }
[ "$(loaded_from "$work/consumer-c")" = "$(readlink -f "$lib/libccgw.so.$abi")" ] ||
    { echo "consumer-c does not load libccgw from the prefix:" >&2; ldd "$work/consumer-c" >&2; exit 1; }
scripts/with-sim "$work/consumer-c"

step "C consumer through pkg-config --static (libccgw.a)"
static_libs=$(pkg-config --static --libs-only-l ccgw | tr ' ' '\n' | grep -vx -- '-lccgw' | tr '\n' ' ')
# shellcheck disable=SC2046,SC2086
gcc "${CSTRICT[@]}" packaging/consumers/c/consumer.c $(pkg-config --cflags ccgw) "$lib/libccgw.a" $static_libs \
    -o "$work/consumer-c-static"
if needed "$work/consumer-c-static" | grep libccgw >/dev/null; then
    echo "consumer-c-static still needs a shared libccgw" >&2
    exit 1
fi
scripts/with-sim "$work/consumer-c-static"

step "C++ consumer through CMake find_package(ccgw)"
cmake -S packaging/consumers/cmake -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
cmake --build "$work/cmake-build" -j 2
needed "$work/cmake-build/consumer" | grep -x "libccgw.so.$abi" >/dev/null ||
    { echo "consumer does not need libccgw.so.$abi:" >&2; needed "$work/cmake-build/consumer" >&2; exit 1; }
[ "$(loaded_from "$work/cmake-build/consumer")" = "$(readlink -f "$lib/libccgw.so.$abi")" ] ||
    { echo "consumer does not load libccgw from the prefix:" >&2; ldd "$work/cmake-build/consumer" >&2; exit 1; }
scripts/with-sim "$work/cmake-build/consumer"
if needed "$work/cmake-build/consumer_static" | grep libccgw >/dev/null; then
    echo "consumer_static still needs a shared libccgw" >&2
    exit 1
fi
scripts/with-sim "$work/cmake-build/consumer_static"

step "CMake version file (SameMajorVersion)"
cmake -S packaging/consumers/cmake-version -B "$work/cmake-version" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCCGW_VERSION="$version"

current=""
printf '\nconsume: %s passed every check\n' "$prefix"
