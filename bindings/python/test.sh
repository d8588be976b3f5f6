#!/usr/bin/env bash
# Tests of the Python binding: run from the repository root after `make lib`.
# Creates a virtualenv under build/, installs pytest and the package from bindings/python,
# runs the pytest suite against the simulator, then runs examples/conference.py through
# scripts/with-sim. Exits non-zero on any failure.
#   bindings/python/test.sh            (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
python=${PYTHON:-python3}
venv=build/python-venv

for f in target/release/libccgw.so target/release/ccgw-sim; do
    [ -e "$f" ] || { echo "$f is missing: run 'make lib' first" >&2; exit 1; }
done

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
"$venv/bin/python" -m pip install -q pytest
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps ./bindings/python
rm -rf bindings/python/build bindings/python/src/ccgw.egg-info  # setuptools leftovers

export CCGW_LIBRARY="$root/target/release/libccgw.so"
export CCGW_SIM_BIN="$root/target/release/ccgw-sim"

# The suite imports the installed package (not bindings/python/src).
(cd bindings/python && "$root/$venv/bin/python" -m pytest -q -p no:cacheprovider -o faulthandler_timeout=120 tests)

echo "examples/conference.py against the simulator:"
PATH="$root/$venv/bin:$PATH" scripts/with-sim python3 examples/conference.py
echo "python binding: all tests and the example passed"
