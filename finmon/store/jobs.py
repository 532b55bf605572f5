"""Customer files uploaded over the API, imported in the background, with a status to ask for.

The upload is kept under FINMON_HOME/uploads/<job id>/ and imported by `import_customers` in a
thread of the server process that took it; the job row says queued, running, done (with the
import's counts) or failed (with the error, which names the file and place). An import is one
transaction, so a job cut short by the server stopping has imported nothing; it is reported as
failed when its process is found gone.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path
from typing import Any, BinaryIO

from finmon.errors import FinmonError, InputError, NotFound
from finmon.settings import load_settings
from finmon.store.customers import import_customers
from finmon.store.engine import Database, default_database
from finmon.store.models import Job, utc_now

MAX_UPLOAD = 500 * 2**20
"""Bytes of one uploaded file."""
_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".ndjson", ".parquet")


def start_customer_import(
    name: str, content: BinaryIO, *, actor: str, db: Database | None = None
) -> int:
    """Keep an uploaded customer file and import it in the background; returns the job id."""
    db = db or default_database()
    file_name = Path(name or "").name
    if not file_name.lower().endswith(_SUFFIXES):
        raise InputError(f"{file_name or 'the upload'}: send a {', '.join(_SUFFIXES)} file")
    with db.write() as session:
        job = Job(
            kind="customers.import",
            file_name=file_name,
            status="queued",
            created_by=actor,
            created_at=utc_now(),
            runner=_runner(),
        )
        session.add(job)
        session.flush()
        job_id = job.id
    folder = load_settings().home / "uploads" / str(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    try:
        _save(content, path)
    except InputError as exc:
        _finish(db, job_id, "failed", error=str(exc))
        raise
    worker = threading.Thread(
        target=_run, args=(db, job_id, path, actor), name=f"job-{job_id}", daemon=True
    )
    worker.start()
    return job_id


def get_job(job_id: int, db: Database | None = None) -> dict[str, Any]:
    """A job's status, and its counts or error once it has ended."""
    db = db or default_database()
    with db.read() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        stale = job.status in ("queued", "running") and _gone(job.runner)
    if stale:
        _finish(
            db,
            job_id,
            "failed",
            error="interrupted: the server process ended before the import finished; nothing "
            "was imported (an import is one transaction); upload the file again",
        )
        return get_job(job_id, db)
    return {
        "job_id": job.id,
        "kind": job.kind,
        "file": job.file_name,
        "status": job.status,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "result": job.result,
        "error": job.error,
    }


def _save(content: BinaryIO, path: Path) -> None:
    size = 0
    with path.open("wb") as out:
        while chunk := content.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                out.close()
                shutil.rmtree(path.parent, ignore_errors=True)
                raise InputError(f"{path.name}: larger than {MAX_UPLOAD // 2**20} MB")
            out.write(chunk)


def _run(db: Database, job_id: int, path: Path, actor: str) -> None:
    with db.write() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.status, job.runner = "running", _runner()
    try:
        result = import_customers(path, actor=actor, db=db)
    except FinmonError as exc:
        _finish(db, job_id, "failed", error=str(exc).replace(str(path.parent) + os.sep, ""))
        return
    except Exception as exc:  # the job must end with a status whatever happened
        _finish(db, job_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    _finish(
        db,
        job_id,
        "done",
        result={
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": len(result.invalid),
            "screened": result.screened,
            "alerts": result.alerts,
            "rejected_rows": [m.replace(str(path.parent) + os.sep, "") for m in result.invalid],
            "sha256": result.sha256,
        },
    )


def _finish(
    db: Database,
    job_id: int,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    with db.write() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.status, job.result, job.error, job.finished_at = status, result, error, utc_now()


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone(runner: str | None) -> bool:
    """True when the job's process, on this host, no longer exists."""
    if runner is None:
        return False
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
