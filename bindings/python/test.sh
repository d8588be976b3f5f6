#!/usr/bin/env bash
# Tests of the Python binding as users get it: the platform wheel, installed into a fresh
# virtualenv, with no ccgw environment variable set. Run from the repository root:
#   bindings/python/test.sh            (PYTHON=python3.11 to choose the interpreter)
#
#  1. packaging/build-wheel.sh builds the manylinux2014 wheel (libccgw.so.1 inside, linked
#     against glibc 2.17; auditwheel and the symbol check must agree with its tag);
#  2. a new virtualenv (build/python-wheel-venv, recreated each run) gets pytest and the wheel;
#  3. the pytest suite runs against it (CCGW_LIBRARY and CCGW_SIM_BIN unset; ccgw-sim of the
#     release build is found on PATH), then examples/conference.py through scripts/with-sim.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
python=${PYTHON:-python3}
venv=build/python-wheel-venv

release=$(packaging/release-build.sh)
wheel=$(packaging/build-wheel.sh | grep 'manylinux' | head -n 1)

rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check pytest
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel"

# No ccgw variable: the library comes from the wheel, the simulator from PATH.
clean_env=(env -u CCGW_LIBRARY -u CCGW_SIM_BIN PATH="$release:$PATH")

# The suite imports the installed package (not bindings/python/src).
(cd bindings/python && "${clean_env[@]}" "$root/$venv/bin/python" -m pytest -q -p no:cacheprovider \
    -o faulthandler_timeout=120 tests)

echo "examples/conference.py against the simulator (the wheel's library):"
"${clean_env[@]}" PATH="$root/$venv/bin:$release:$PATH" \
    CCGW_SIM_BIN="$release/ccgw-sim" scripts/with-sim python3 examples/conference.py
echo "python binding: all tests and the example passed"
