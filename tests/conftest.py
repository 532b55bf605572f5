"""Shared test fixtures: where the shared real data lives, and an isolated FINMON_HOME per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FINMON_SHARED_DIR") or ROOT.parent / "shared")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def shared_file(relative: str) -> Path:
    """A file under ../shared/data; skips locally when absent, fails under CI=true."""
    path = SHARED / "data" / relative
    if not path.exists():
        message = f"shared data file missing: {path}"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def shared_spec(relative: str) -> Path:
    """A file under ../shared/specs; same rule as shared_file."""
    path = SHARED / "specs" / relative
    if not path.exists():
        if CI:
            pytest.fail(f"shared spec missing: {path}")
        pytest.skip(f"shared spec missing: {path}")
    return path


@pytest.fixture(autouse=True)
def finmon_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty FINMON_HOME so no test sees another's database."""
    home = tmp_path / "finmon-home"
    monkeypatch.setenv("FINMON_HOME", str(home))
    if not os.environ.get("FINMON_TEST_DATABASE_URL"):
        monkeypatch.delenv("FINMON_DATABASE_URL", raising=False)
    return home
