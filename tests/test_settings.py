"""The worker count follows the cores this process may use, not the host's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from finmon import settings


def test_a_process_pinned_to_one_core_starts_one_worker() -> None:
    core = min(os.sched_getaffinity(0))
    show = "from finmon import settings; print(settings.load_settings().workers)"
    env = {key: value for key, value in os.environ.items() if key != "FINMON_WORKERS"}
    done = subprocess.run(
        [sys.executable, "-c", show],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {core}),
    )
    assert done.stdout.strip() == "1"


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [("150000 100000\n", 2), ("50000 100000\n", 1), ("max 100000\n", None), ("nonsense", None)],
)
def test_a_cgroup_quota_caps_the_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_max: str, cap: int | None
) -> None:
    allowed = len(os.sched_getaffinity(0))
    quota = tmp_path / "cpu.max"
    quota.write_text(cpu_max, encoding="ascii")
    monkeypatch.setattr(settings, "CPU_MAX", quota)
    assert settings.usable_cores() == (allowed if cap is None else min(allowed, cap))
    monkeypatch.delenv("FINMON_WORKERS", raising=False)
    assert settings.load_settings().workers == settings.usable_cores()
