"""Customer files uploaded over the API, imported in the background, with a status to ask for.

The upload is kept under FINMON_HOME/uploads/<job id>/ under a sanitised name (`safe_file_name`)
and imported by `import_customers` in a thread of the server process that took it; the job row
says queued, running, done (with the import's counts) or failed (with the error, which names the
file and place). A job that fails at any step is marked failed with its reason, never left queued.
An import commits in batches, so a job cut short by the server stopping has kept whole batches,
and uploading the same file again completes it without duplicates; such a job is reported as
failed (interrupted) when its process is found gone, on asking for it or on the server's start.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from finmon.errors import FinmonError, InputError, NotFound
from finmon.screening import encodings
from finmon.screening.inputs import SUFFIXES
from finmon.screening.problems import ProblemLog, problems_path
from finmon.screening.rows import Problem
from finmon.settings import load_settings
from finmon.store.customers import ImportResult, import_customers
from finmon.store.engine import Database, default_database, get_row
from finmon.store.models import Job, utc_now

MAX_FILE_NAME = 100
"""Characters kept of an uploaded file's name (its extension included)."""
_SUFFIXES = SUFFIXES
_INTERRUPTED = (
    "interrupted: the server process ended before the import finished; the batches it wrote "
    "are kept, and uploading the file again completes the import without duplicates"
)


def start_customer_import(
    name: str,
    content: BinaryIO,
    *,
    actor: str,
    db: Database | None = None,
    strict: bool = False,
    encoding: str | None = None,
) -> int:
    """Keep an uploaded customer file and import it in the background; returns the job id.

    The rows' problems are counted in the job's result (the first few with it) and written to
    a problems file beside the upload (`job_problems`); strict refuses the file at its first.
    A text file is read in the encoding given, else the one detected (`encodings.detect`); the
    result names it."""
    db = db or default_database()
    file_name = safe_file_name(name)
    if not file_name.lower().endswith(_SUFFIXES):
        raise InputError(f"{file_name}: send a {', '.join(_SUFFIXES)} file")
    if encoding is not None:
        encoding = encodings.chosen(encoding, file_name)
    job_id = _new_job(db, file_name, actor)
    try:
        path = save_upload(content, load_settings().home / "uploads" / str(job_id), file_name)
        in_background(f"job-{job_id}", _run, db, job_id, path, actor, strict, encoding)
    except BaseException as exc:  # the job must end with a status whatever happened
        _finish(db, job_id, "failed", error=_reason(exc))
        raise
    return job_id


def reimport_customers(
    job_id: int, encoding: str, *, actor: str, db: Database | None = None, strict: bool = False
) -> int:
    """Import an earlier upload again, read in the encoding a person chose; returns the new
    job's id (the earlier job stays as it ended)."""
    db = db or default_database()
    with db.read() as session:
        earlier = get_row(session, Job, job_id, "job")
        file_name, status = earlier.file_name, earlier.status
    if not encodings.has_encoding(file_name):
        raise InputError(f"job {job_id}: {file_name} is not a text file: it has no encoding")
    if status in ("queued", "running"):
        raise InputError(f"job {job_id} is still {status}: import it again once it has ended")
    encoding = encodings.chosen(encoding, f"job {job_id}")
    source = load_settings().home / "uploads" / str(job_id) / file_name
    if not source.is_file():
        raise NotFound(f"job {job_id}: its upload is no longer kept: upload the file again")
    with source.open("rb") as content:
        return start_customer_import(
            file_name, content, actor=actor, db=db, strict=strict, encoding=encoding
        )


def _new_job(db: Database, file_name: str, actor: str) -> int:
    with db.write() as session:
        job = Job(
            kind="customers.import",
            file_name=file_name,
            status="queued",
            created_by=actor,
            created_at=utc_now(),
            runner=current_runner(),
        )
        session.add(job)
        session.flush()
        return job.id


def safe_file_name(name: str) -> str:
    """An uploaded file's name fit to keep: its last path part, without control or format
    characters, at most MAX_FILE_NAME characters with its extension kept ("upload" if nothing
    is left)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] not in "CZ" or c == " ")
    kept = kept.strip(" .") or "upload"
    stem, dot, extension = kept.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = kept, ""
    tail = f".{extension}" if extension else ""
    return (stem[: MAX_FILE_NAME - len(tail)].rstrip(" .") or "upload") + tail


def fail_interrupted_jobs(db: Database | None = None) -> int:
    """Mark failed the jobs left queued or running by a process that is gone (a server that
    stopped or was killed); returns how many."""
    db = db or default_database()
    with db.read() as session:
        left = session.execute(
            select(Job.id, Job.runner).where(Job.status.in_(("queued", "running")))
        ).all()
    gone = [job_id for job_id, runner in left if runner_gone(runner)]
    for job_id in gone:
        _finish(db, job_id, "failed", error=_INTERRUPTED)
    return len(gone)


def get_job(job_id: int, db: Database | None = None) -> dict[str, Any]:
    """A job's status, and its counts or error once it has ended."""
    db = db or default_database()
    with db.read() as session:
        job = get_row(session, Job, job_id, "job")
        stale = job.status in ("queued", "running") and runner_gone(job.runner)
    if stale:
        _finish(db, job_id, "failed", error=_INTERRUPTED)
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


def save_upload(content: BinaryIO, folder: Path, file_name: str) -> Path:
    """An uploaded file written into folder, refused beyond FINMON_MAX_UPLOAD_BYTES (InputError;
    the folder is removed then)."""
    limit = load_settings().max_upload_bytes
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := content.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputError(f"{file_name}: larger than {limit:,} bytes")
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def _run(
    db: Database, job_id: int, path: Path, actor: str, strict: bool, encoding: str | None
) -> None:
    read_as: encodings.Detected | None = None
    try:
        with db.write() as session:
            job = session.get(Job, job_id)
            assert job is not None
            job.status, job.runner = "running", current_runner()
        if encodings.has_encoding(path):
            read_as = encodings.Detected(encoding, False) if encoding else encodings.detect(path)
        where = None if strict else problems_path(path, None)
        with ProblemLog(where, keep_on_error=True) as log:
            result = import_customers(
                path,
                actor=actor,
                db=db,
                problems=log,
                strict=strict,
                encoding=read_as.encoding if read_as else None,
            )
    except FinmonError as exc:
        _finish(db, job_id, "failed", error=_failed(exc, path, read_as))
        return
    except BaseException as exc:  # the job must end with a status whatever happened
        _finish(db, job_id, "failed", error=_reason(exc))
        raise
    _finish(db, job_id, "done", result=_result(result, log, read_as))


def _failed(exc: FinmonError, path: Path, read_as: encodings.Detected | None) -> str:
    """Why an upload's import failed, without the server's paths; a file that did not decode
    is offered the choice on the job's page, not a command-line option."""
    message = str(exc).replace(str(path.parent) + os.sep, "")
    if read_as is None:
        return message
    message = _CLI_HINT.sub("; choose the file's encoding below and import it again", message)
    return f"{message} (read as {read_as.label})"


_CLI_HINT = re.compile(r"; (?:try|check) the --encoding.*$|; try --encoding .*$")


def _result(
    result: ImportResult, log: ProblemLog, read_as: encodings.Detected | None
) -> dict[str, Any]:
    first = [problem.to_dict() for problem in log.first]
    return {
        "encoding": read_as.encoding if read_as else None,
        "encoding_label": read_as.label if read_as else None,
        "encoding_detected": read_as.detected if read_as else None,
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.skipped,
        "screened": result.screened,
        "alerts": result.alerts,
        "rejected_rows": [_place(p) for p in log.first if p.skipped],
        "problems": result.problems,
        "first_problems": first,
        "sha256": result.sha256,
    }


def _place(problem: Problem) -> str:
    """A problem's message without the server's paths."""
    return str(problem).replace(str(Path(problem.file).parent) + os.sep, "")


def job_problems(job_id: int, db: Database | None = None) -> Path:
    """The problems file of an import job (row, column, value, problem, action); NotFound when
    the job had none."""
    db = db or default_database()
    with db.read() as session:
        file_name = get_row(session, Job, job_id, "job").file_name
    path = problems_path(load_settings().home / "uploads" / str(job_id) / file_name, None)
    if not path.is_file():
        raise NotFound(f"job {job_id} has no problems file: its file had no problem")
    return path


def _reason(exc: BaseException) -> str:
    """Why a job failed, without the server's paths."""
    if isinstance(exc, FinmonError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"the upload could not be kept: {exc.strerror or type(exc).__name__}"
    return f"{type(exc).__name__}: the import stopped on an unexpected error"


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


def in_background(name: str, work: Callable[..., None], *args: Any) -> None:
    """Run work(*args) in a thread of this process that does not keep it from exiting: a job
    this process runs dies with it, and is then found interrupted (`runner_gone`)."""
    threading.Thread(target=work, args=args, name=name, daemon=True).start()


def current_runner() -> str:
    """This process, as a job records who runs it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def runner_gone(runner: str | None) -> bool:
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
