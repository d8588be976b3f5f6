"""Builds libccgw with cargo through setuptools-rust and ships it inside the package.

The Python code is the ctypes layer (``src/ccgw``); the only compiled part is the C
library itself, built from the repository's root crate and placed at
``ccgw/_lib/libccgw.so.1`` (Linux) or ``ccgw/_lib/ccgw.dll`` (Windows) under its own name,
where ``ccgw._ffi`` looks first. As the library does not link Python, the wheel is tagged
``py3-none-<platform>``: one wheel per platform serves every Python 3 version.

The platform tag follows the cargo target (``CARGO_BUILD_TARGET``):

- ``x86_64-unknown-linux-gnu.2.17`` (cargo-zigbuild's glibc-versioned target, with
  ``CARGO=cargo-zigbuild``): ``manylinux_2_17_x86_64.manylinux2014_x86_64``. The release
  scripts check the claim with ``auditwheel show`` and packaging/check-glibc.sh.
- ``x86_64-pc-windows-gnu`` / ``-msvc``: ``win_amd64``.
- anything else (a plain host build): the host's own tag (``linux_x86_64``), which pip
  installs locally but package indexes refuse.

``CCGW_WHEEL_PLAT`` overrides the tag. See packaging/build-wheel.sh for the release build.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from setuptools import setup
from setuptools_rust import Binding, RustExtension, build_rust

try:  # setuptools >= 70.1 carries bdist_wheel itself
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - older setuptools with the wheel package
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
CARGO_TOML = HERE.parent.parent / "Cargo.toml"
MANYLINUX_LEGACY = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}


def cargo_target() -> str:
    return os.environ.get("CARGO_BUILD_TARGET", "")


def is_windows_target() -> bool:
    target = cargo_target()
    return "windows" in target if target else sys.platform == "win32"


def platform_tag(default: str) -> str:
    """The wheel's platform tag for the cargo target (see the module docstring)."""
    override = os.environ.get("CCGW_WHEEL_PLAT")
    if override:
        return override
    target = cargo_target()
    m = re.fullmatch(r"(x86_64|aarch64|i686)-unknown-linux-gnu\.(\d+)\.(\d+)", target)
    if m:
        arch, major, minor = m.group(1), int(m.group(2)), int(m.group(3))
        tag = f"manylinux_{major}_{minor}_{arch}"
        legacy = MANYLINUX_LEGACY.get((major, minor))
        return f"{tag}.{legacy}_{arch}" if legacy else tag
    if target.startswith("x86_64-pc-windows"):
        return "win_amd64"
    if target.startswith("i686-pc-windows"):
        return "win32"
    return default


class BuildRust(build_rust):  # type: ignore[misc]
    """Installs the library under its real name, not as a Python extension module."""

    def get_dylib_ext_path(self, ext: RustExtension, target_fname: str) -> str:
        build_ext = self.get_finalized_command("build_ext")
        libdir = Path(build_ext.get_ext_fullpath(target_fname)).parent
        return str(libdir / ("ccgw.dll" if is_windows_target() else "libccgw.so.1"))


class BdistWheel(bdist_wheel):  # type: ignore[misc]
    """``py3-none-<platform>``: the package holds a C library, no Python extension."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple[str, str, str]:
        _, _, plat = super().get_tag()
        return "py3", "none", platform_tag(plat)


setup(
    rust_extensions=[
        RustExtension(
            "ccgw._lib.libccgw",
            path=str(CARGO_TOML),
            binding=Binding.NoBinding,
            py_limited_api=False,
            # The static library too: the release build (packaging/release-build.sh) asks for
            # the same crate types, so the two builds share the compiled crate.
            args=["--crate-type", "cdylib", "--crate-type", "staticlib"],
        )
    ],
    cmdclass={"build_rust": BuildRust, "bdist_wheel": BdistWheel},
    zip_safe=False,
)
