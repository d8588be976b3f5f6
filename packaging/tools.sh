# Sourced by the release scripts: the Python tools of the release build in one virtualenv
# (build/tools-venv, or $CCGW_TOOLS_VENV), installed from PyPI only when missing:
#   ziglang + cargo-zigbuild   link against glibc 2.17 (manylinux2014) from any host
#   setuptools-rust, wheel     build the Python wheel with the library inside
#   auditwheel                 check the wheel's platform tag
#   pdoc                       render the Python API reference
# After sourcing: $TOOLS_BIN is on PATH, CARGO_ZIGBUILD_PYTHON_PATH points at the venv's
# Python (where `python -m ziglang` runs zig).
tools_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools_venv=${CCGW_TOOLS_VENV:-$tools_root/build/tools-venv}
TOOLS_BIN=$tools_venv/bin
tools_wanted=("ziglang>=0.13" "cargo-zigbuild>=0.19" "setuptools>=77" "setuptools-rust>=1.9" "wheel" "auditwheel>=6" "pdoc>=14")
if [ ! -x "$TOOLS_BIN/python" ]; then
    "${PYTHON:-python3}" -m venv "$tools_venv"
fi
if ! "$TOOLS_BIN/python" - "${tools_wanted[@]}" <<'PY' >/dev/null 2>&1; then
import sys
from importlib.metadata import version
from packaging.requirements import Requirement  # shipped with setuptools/pip's vendored copy
for spec in sys.argv[1:]:
    req = Requirement(spec)
    if not req.specifier.contains(version(req.name), prereleases=True):
        sys.exit(1)
PY
    echo "installing release tools into $tools_venv: ${tools_wanted[*]}" >&2
    "$TOOLS_BIN/python" -m pip install -q --disable-pip-version-check "packaging" "${tools_wanted[@]}"
fi
export PATH="$TOOLS_BIN:$PATH"
export CARGO_ZIGBUILD_PYTHON_PATH="$TOOLS_BIN/python"
