#!/usr/bin/env bash
# The C++ wrapper and install-and-consume checks, against the simulator (run from the
# repository root after `make lib`):
#
#   packaging/test.sh
#
#  1. tests/cpp/test_wrapper.cpp and examples/conference.cpp, compiled with
#     g++ -std=c++17 -Wall -Wextra -Werror -pedantic against target/release, each run
#     through scripts/with-sim;
#  2. packaging/install.sh into a temporary prefix; the soname links and the soname;
#  3. a C consumer built with `pkg-config --cflags --libs ccgw` (and once statically with
#     `pkg-config --static`), run through scripts/with-sim;
#  4. a C++ consumer built with CMake find_package(ccgw) (ccgw::ccgw and
#     ccgw::ccgw_static), run through scripts/with-sim; the SameMajorVersion rules.
#
# Needs g++, gcc, cmake and pkg-config; when cmake or pkg-config is missing and this runs
# as root it installs them with apt-get. Exits non-zero on the first failure.
# CCGW_KEEP_WORKDIR=1 keeps the temporary directory for inspection; CCGW_TEST_CXXFLAGS adds
# compiler flags for step 1 (e.g. -fsanitize=address,undefined).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
release=$root/target/release

current=""
step() {
    current=$*
    printf '\n== %s\n' "$*"
}
trap 'status=$?; [ $status = 0 ] || echo "packaging/test.sh: FAILED at: $current (exit $status)" >&2' EXIT

for f in libccgw.so libccgw.so.1 libccgw.a ccgw-sim; do
    if [ ! -e "$release/$f" ]; then
        echo "$release/$f is missing: run 'make lib' first" >&2
        exit 1
    fi
done

step "tools: cmake, pkg-config"
if ! command -v cmake >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd=sudo
    if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo_cmd" ] || command -v sudo >/dev/null 2>&1; }; then
        export DEBIAN_FRONTEND=noninteractive
        $sudo_cmd apt-get update -qq
        $sudo_cmd apt-get install -y -qq cmake pkg-config
    else
        echo "cmake and pkg-config are needed (apt-get install cmake pkg-config, as root)" >&2
        exit 1
    fi
fi
cmake --version | sed -n 1p
echo "pkg-config $(pkg-config --version)"

work=$(mktemp -d "${TMPDIR:-/tmp}/ccgw-packaging.XXXXXX")
cleanup_work() {
    if [ "${CCGW_KEEP_WORKDIR:-0}" = 1 ]; then
        echo "work directory kept: $work" >&2
    else
        rm -rf "$work"
    fi
}
trap 'status=$?; cleanup_work; [ $status = 0 ] || echo "packaging/test.sh: FAILED at: $current (exit $status)" >&2' EXIT

CXXSTRICT=(-std=c++17 -Wall -Wextra -Werror -pedantic)
# Extra flags for the wrapper test and the example, e.g. CCGW_TEST_CXXFLAGS='-fsanitize=address,undefined'.
read -r -a CXXEXTRA <<<"${CCGW_TEST_CXXFLAGS:-}"
CSTRICT=(-std=c99 -Wall -Wextra -Werror -pedantic)

# The soname a binary or library needs / declares. (Matches below use `grep >/dev/null`,
# not `grep -q`: with pipefail, -q's early exit can fail the pipeline through SIGPIPE.)
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'; }
soname() { readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; }

step "C++ wrapper test (tests/cpp/test_wrapper.cpp)"
g++ "${CXXSTRICT[@]}" ${CXXEXTRA[@]+"${CXXEXTRA[@]}"} -Iinclude tests/cpp/test_wrapper.cpp -L"$release" -Wl,-rpath,"$release" -lccgw -lpthread \
    -o "$work/test_wrapper"
scripts/with-sim "$work/test_wrapper"

step "C++ example (examples/conference.cpp)"
g++ "${CXXSTRICT[@]}" ${CXXEXTRA[@]+"${CXXEXTRA[@]}"} -Iinclude examples/conference.cpp -L"$release" -Wl,-rpath,"$release" -lccgw -lpthread \
    -o "$work/conference-cpp"
scripts/with-sim "$work/conference-cpp"

step "install into a temporary prefix"
prefix=$work/prefix
packaging/install.sh "$prefix"
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)
abi=$(sed -n 's/^#define CCGW_ABI_VERSION \([0-9][0-9]*\)$/\1/p' include/ccgw.h)
lib=$prefix/lib
for f in "lib/libccgw.so.$version" lib/libccgw.a include/ccgw.h include/ccgw.hpp lib/pkgconfig/ccgw.pc \
    lib/cmake/ccgw/ccgwConfig.cmake lib/cmake/ccgw/ccgwConfigVersion.cmake; do
    [ -f "$prefix/$f" ] || { echo "missing $prefix/$f" >&2; exit 1; }
done
cmp include/ccgw.h "$prefix/include/ccgw.h"
cmp include/ccgw.hpp "$prefix/include/ccgw.hpp"

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
ldd "$work/consumer-c" | grep "libccgw.so.$abi => $lib/libccgw.so.$abi" >/dev/null ||
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
ldd "$work/cmake-build/consumer" | grep "libccgw.so.$abi => $lib/libccgw.so.$abi" >/dev/null ||
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
printf '\npackaging: all checks passed\n'
