"""Two real processes loading at once: the second waits for the first, or fails clearly."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from finmon.store import current_versions, default_database, list_versions, verify_audit
from tests.conftest import ROOT

_LOADER = """
import sys
from finmon.errors import FinmonError
from finmon.store import load_list
from tests.store.factory import parsed_list
parsed = parsed_list(int(sys.argv[1]), sys.argv[2], tag=sys.argv[3])
try:
    result = load_list(parsed, actor=sys.argv[3])
except FinmonError as exc:
    print(exc, file=sys.stderr)
    sys.exit(exc.exit_code)
print(result.status, result.previous_version)
"""


def _start(count: int, published: str, tag: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _LOADER, str(count), published, tag],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def _write_lock_held() -> Iterator[None]:
    # finmon's own write lock, taken by this process: the loaders must wait for it to end.
    with default_database().write() as session:
        session.connection()  # SQLite takes the lock when the connection begins, not lazily
        yield


def test_concurrent_loads_are_serialised() -> None:
    with _write_lock_held():
        first = _start(3000, "2026-01-01", "alpha")
        second = _start(3000, "2026-01-01", "beta")
        time.sleep(1.5)  # both are now queued behind the held lock
    outputs = [proc.communicate(timeout=120) for proc in (first, second)]
    assert [proc.returncode for proc in (first, second)] == [0, 0], outputs
    statuses = sorted(out.split()[1] if out.startswith("loaded") else out for out, _ in outputs)
    # Exactly one of them saw no current version; the other replaced the first one's version.
    assert statuses == ["2026-01-01", "None"]
    versions = list_versions(all_versions=True)
    assert len(versions) == 2
    assert sum(v.is_current for v in versions) == 1
    report = verify_audit()
    assert report.ok and report.rows == 2


def test_same_version_loaded_twice_at_once_is_stored_once() -> None:
    with _write_lock_held():
        procs = [_start(2000, "2026-01-01", "same") for _ in range(2)]
        time.sleep(1.5)
    outputs = [proc.communicate(timeout=120)[0].strip() for proc in procs]
    assert sorted(outputs) == ["already loaded None", "loaded None"]
    assert len(list_versions(all_versions=True)) == 1


def test_load_gives_up_clearly_when_the_database_stays_locked() -> None:
    with _write_lock_held():
        proc = _start(50, "2026-01-01", "late", FINMON_DB_BUSY_TIMEOUT="0.5")
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 4
    assert "is busy" in err
    assert "Traceback" not in err
    assert current_versions() == {}
