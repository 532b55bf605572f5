"""bench/worker_kills.py: kills at random moments, every import ends naming the lost work."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_killed_readers_end_every_import_with_the_lost_work_named() -> None:
    command = [sys.executable, "bench/worker_kills.py", "--runs", "2", "--customers", "20000"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2 runs: 0 hung; failed 2" in done.stdout, done.stdout
