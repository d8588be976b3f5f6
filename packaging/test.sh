#!/usr/bin/env bash
# The C++ wrapper and install-and-consume checks, against the simulator (run from the
# repository root after `make lib`):
#
#   packaging/test.sh
#
#  1. tests/cpp/test_wrapper.cpp and examples/conference.cpp, compiled with
#     g++ -std=c++17 -Wall -Wextra -Werror -pedantic against target/release, each run
#     through scripts/with-sim;
#  2. the README's C compile line, run as written (on the C consumer), and the program run;
#  3. packaging/install.sh into a temporary prefix, then packaging/consume.sh there: the
#     soname links; a C consumer built with `pkg-config --cflags --libs ccgw` (and once
#     statically with `pkg-config --static`) and a C++ consumer built with CMake
#     find_package(ccgw) (ccgw::ccgw and ccgw::ccgw_static), each run through
#     scripts/with-sim; the SameMajorVersion rules.
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

step "C++ wrapper test (tests/cpp/test_wrapper.cpp)"
g++ "${CXXSTRICT[@]}" ${CXXEXTRA[@]+"${CXXEXTRA[@]}"} -Iinclude tests/cpp/test_wrapper.cpp -L"$release" -Wl,-rpath,"$release" -lccgw -lpthread \
    -o "$work/test_wrapper"
scripts/with-sim "$work/test_wrapper"

step "C++ example (examples/conference.cpp)"
g++ "${CXXSTRICT[@]}" ${CXXEXTRA[@]+"${CXXEXTRA[@]}"} -Iinclude examples/conference.cpp -L"$release" -Wl,-rpath,"$release" -lccgw -lpthread \
    -o "$work/conference-cpp"
scripts/with-sim "$work/conference-cpp"

step "the README's C compile line, as written"
# The exact command of README.md ("Build against the library"), with app.c and -o app pointed
# at the C consumer and the work directory; the program must start and pass against the simulator.
readme_line=$(sed -n 's/^`\(cc app\.c [^`]*\)`$/\1/p' README.md)
[ -n "$readme_line" ] || { echo "no 'cc app.c ...' line in README.md" >&2; exit 1; }
echo "$readme_line"
readme_line=${readme_line/app.c/packaging\/consumers\/c\/consumer.c}
eval "${readme_line/-o app/-o \"\$work/readme-app\"}"
scripts/with-sim "$work/readme-app"

step "install into a temporary prefix"
prefix=$work/prefix
packaging/install.sh "$prefix"
version=$(sed -n 's/^#define CCGW_VERSION_STRING "\(.*\)"$/\1/p' include/ccgw.h)
for f in "lib/libccgw.so.$version" lib/libccgw.a include/ccgw.h include/ccgw.hpp lib/pkgconfig/ccgw.pc \
    lib/cmake/ccgw/ccgwConfig.cmake lib/cmake/ccgw/ccgwConfigVersion.cmake; do
    [ -f "$prefix/$f" ] || { echo "missing $prefix/$f" >&2; exit 1; }
done
cmp include/ccgw.h "$prefix/include/ccgw.h"
cmp include/ccgw.hpp "$prefix/include/ccgw.hpp"

packaging/consume.sh "$prefix" "$work/consume"

current=""
printf '\npackaging: all checks passed\n'
