"""Finding the library: $CCGW_LIBRARY first, then the copy inside the package (the
platform wheel's), then the system's search (PATH on Windows, the soname on Linux)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import ccgw
import pytest
from ccgw import _ffi as F

BUNDLED = Path(F.__file__).resolve().parent / "_lib"


def _library_path_in_child(env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", "import ccgw; print(ccgw.library_path())"],
        env=env, capture_output=True, text=True, timeout=60, cwd="/",
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _env_without_override() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CCGW_LIBRARY", None)
    return env


def test_ccgw_library_variable_is_tried_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCGW_LIBRARY", "/some/where/libccgw.so")
    assert F.library_candidates() == ["/some/where/libccgw.so"]


def test_without_the_variable_bundled_then_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCGW_LIBRARY", raising=False)
    candidates = F.library_candidates("linux")
    assert candidates[-2:] == ["libccgw.so.1", "libccgw.so"]
    assert all(c.startswith(str(BUNDLED)) for c in candidates[:-2])


def test_the_wheel_carries_the_library_under_its_soname() -> None:
    assert (BUNDLED / "libccgw.so.1").is_file(), "the installed package has no ccgw/_lib/libccgw.so.1 (not a platform wheel?)"


def test_loaded_from_the_package_without_any_variable() -> None:
    assert _library_path_in_child(_env_without_override()) == str(BUNDLED / "libccgw.so.1")


def test_ccgw_library_overrides_the_bundled_copy(tmp_path: Path) -> None:
    copy = tmp_path / "libccgw-override.so"
    shutil.copyfile(BUNDLED / "libccgw.so.1", copy)
    env = dict(_env_without_override(), CCGW_LIBRARY=str(copy))
    assert _library_path_in_child(env) == str(copy)


def test_loaded_library_is_the_one_reported() -> None:
    expected = os.environ.get("CCGW_LIBRARY") or str(BUNDLED / "libccgw.so.1")
    assert ccgw.library_path() == expected


def test_windows_looks_in_the_package_then_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Only the search order is checked here (no DLL is loaded on Linux): a ccgw.dll in a
    # PATH directory comes after the package's own copy and before the bare name, which
    # Python 3.8+ would otherwise resolve without looking at PATH.
    monkeypatch.delenv("CCGW_LIBRARY", raising=False)
    on_path = tmp_path / "bin"
    on_path.mkdir()
    (on_path / "ccgw.dll").write_bytes(b"MZ")
    monkeypatch.setenv("PATH", os.pathsep.join([str(tmp_path / "empty"), str(on_path)]))
    candidates = F.library_candidates("win32")
    assert candidates == [str(on_path / "ccgw.dll"), "ccgw.dll"]


def test_import_fails_clearly_when_the_library_is_missing(tmp_path: Path) -> None:
    env = dict(os.environ, CCGW_LIBRARY=str(tmp_path / "missing" / "libccgw.so"))
    proc = subprocess.run([sys.executable, "-c", "import ccgw"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr and "CCGW_LIBRARY" in proc.stderr
