"""Finding the library: $CCGW_LIBRARY first, then a bundled copy, then the system loader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ccgw
import pytest
from ccgw import _ffi as F


def test_ccgw_library_variable_is_tried_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCGW_LIBRARY", "/some/where/libccgw.so")
    assert F.library_candidates() == ["/some/where/libccgw.so"]


def test_without_the_variable_bundled_then_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CCGW_LIBRARY", raising=False)
    candidates = F.library_candidates()
    assert candidates[-2:] == ["libccgw.so.1", "libccgw.so"]
    bundled = Path(F.__file__).resolve().parent / "_lib"
    assert all(c.startswith(str(bundled)) for c in candidates[:-2])


def test_loaded_from_the_variable() -> None:
    assert ccgw.library_path() == os.environ["CCGW_LIBRARY"]


def test_import_fails_clearly_when_the_library_is_missing(tmp_path: Path) -> None:
    env = dict(os.environ, CCGW_LIBRARY=str(tmp_path / "missing" / "libccgw.so"))
    proc = subprocess.run([sys.executable, "-c", "import ccgw"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr and "CCGW_LIBRARY" in proc.stderr
