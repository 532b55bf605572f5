"""Screening against every loaded list: one name, or a customer file with hits written as they
come.

The service behind `finmon screen`, `finmon demo` and the web's screening page (whose files are
screened in the background, `start_batch`); it prints nothing, so any front door can show its
progress and its counts.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from finmon.errors import FinmonError, InputError, NotFound, WorkflowRefused
from finmon.exports import SafeDictWriter
from finmon.screening.inputs import SUFFIXES
from finmon.screening.screener import HIT_FIELDS
from finmon.settings import load_settings

if TYPE_CHECKING:
    from finmon.model import Party
    from finmon.screening import Hit, Screener
    from finmon.screening.rows import Problem, Report
    from finmon.store import Database

_T = TypeVar("_T")

HIT_COLUMNS = ["id", *HIT_FIELDS]


@dataclass(slots=True)
class Summary:
    """Counts of one screening run."""

    rows: int = 0
    hits: int = 0
    alerted: int = 0
    seconds: float = 0.0
    """Time spent screening the rows."""
    setup_seconds: float = 0.0
    """Time spent getting the lists ready before the first row."""
    problems: int = 0
    """Problems of the file's rows (values left out, rows skipped)."""
    kept: list[dict[str, Any]] = field(default_factory=list)
    """The hit rows, in HIT_COLUMNS order, when no output file was given."""

    @property
    def alert_rate(self) -> float:
        """Share of rows with at least one hit."""
        return self.alerted / self.rows if self.rows else 0.0


def run_screening(
    input: Path,
    output: Path | None,
    screener: Screener,
    *,
    threshold: float | None = None,
    encoding: str | None = None,
    on_hits: Callable[[Party, list[Hit]], None] | None = None,
    problems: Report | None = None,
    strict: bool = False,
    on_row: Callable[[], None] | None = None,
    workers: int | None = None,
) -> Summary:
    """Screen a customer file and write one row per hit to output (or keep them in the
    summary); returns the counts. on_row is called after each row (a progress bar).

    Each problem of a row goes to problems (and is counted); strict refuses the file at the
    first, leaving no output. workers: forked processes (default FINMON_WORKERS)."""
    from finmon.screening import DEFAULT_THRESHOLD
    from finmon.screening.inputs import read_parties

    floor = DEFAULT_THRESHOLD if threshold is None else threshold
    summary = Summary()

    def count(problem: Problem) -> None:
        summary.problems += 1
        if problems is not None:
            problems(problem)

    parties = _counted(read_parties(input, encoding, count, strict=strict), summary)
    sink = _Sink(output) if output is not None else nullcontext(summary.kept.extend)
    with sink as write:
        workers = load_settings().workers if workers is None else workers
        for party, hits in screener.screen_many(parties, threshold=threshold, workers=workers):
            hits = [hit for hit in hits if hit.score >= floor]
            summary.hits += len(hits)
            summary.alerted += bool(hits)
            write([hit_row(party, hit) for hit in hits])
            if on_hits is not None:
                on_hits(party, hits)
            if on_row is not None:
                on_row()
    return summary


def hit_row(party: Party, hit: Hit) -> dict[str, Any]:
    """One output row for one hit, in HIT_COLUMNS order."""
    return {"id": party.id, **hit.to_dict()}


def _counted(parties: Iterator[Party], summary: Summary) -> Iterator[Party]:
    for party in parties:
        summary.rows += 1
        yield party


def write_hits(output: Path, rows: list[dict[str, Any]]) -> None:
    """Hit rows (hit_row) written to a .csv, .jsonl or .parquet file, as run_screening writes
    them."""
    with _Sink(output) as write:
        write(rows)


class _Sink:
    """Writes hit rows to a CSV or JSONL file as they come (Parquet: all at the end, the
    explanation as JSON text as in CSV)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.parquet: list[dict[str, Any]] | None = None
        if path.suffix.lower() == ".parquet":
            self.parquet = []
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.jsonl = path.suffix.lower() == ".jsonl"
        self.writer = SafeDictWriter(self.handle, fieldnames=HIT_COLUMNS)
        if not self.jsonl and self.parquet is None:
            self.writer.writeheader()

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if self.parquet is not None:
                self.parquet.append({**row, "explanation": _json(row["explanation"])})
            elif self.jsonl:
                self.handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                self.writer.writerow({**row, "explanation": _json(row["explanation"])})

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.handle.close()
        if kind is None and self.parquet is not None:
            _write_parquet(self.path, self.parquet)
        if kind is not None:
            # Bad input half-way: leave no partial hits file that could pass for a complete one.
            self.path.unlink(missing_ok=True)


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {name: pa.string() for name in HIT_COLUMNS} | {"score": pa.float64()}
    schema = pa.schema([(name, kinds[name]) for name in HIT_COLUMNS])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


UPLOAD_SUFFIXES = SUFFIXES
"""Customer files a batch upload may be: those `finmon screen` reads."""
SHOWN_PROBLEMS = 20
"""Row problems of an uploaded batch kept for the page; all of them are counted."""
TOKEN_LENGTH = 32
"""Hex characters of a batch's download token."""
KEPT_SECONDS = 86400
"""How long a batch's hits file stays to download; older ones go at the next upload."""


def name_party(
    name: str, *, birth_date: str = "", country: str = "", kind: str = "unknown"
) -> Party:
    """One name typed into a form as a Party; InputError naming the field for a bad value."""
    from finmon.countries import given_country
    from finmon.model import Party, Schema
    from finmon.names.limits import NameLimits
    from finmon.screening.dates import parse_birth_date

    NameLimits.from_settings().check(name, "name")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("name: give the name to screen")
    births = _field("birth_date", birth_date, parse_birth_date, "a date (YYYY-MM-DD or YYYY)")
    countries = _field("country", country, given_country, "a country finmon knows")
    return Party(
        id="query",
        names=[cleaned],
        schema=Schema.parse(kind),
        birth_dates=births,
        nationalities=countries,
    )


def _field(name: str, value: str, parse: Callable[[str], _T | None], expected: str) -> list[_T]:
    """A form field left empty as [], else [its value parsed]; InputError naming it if it is not
    what was expected."""
    if not value.strip():
        return []
    parsed = parse(value.strip())
    if parsed is None:
        raise InputError(f"{name}: {value!r} is not {expected}")
    return [parsed]


def screen_name(
    actor: str,
    party: Party,
    screener: Screener,
    *,
    threshold: float | None = None,
    limit: int = 20,
    db: Database | None = None,
) -> list[Hit]:
    """The hits of one party at or above the threshold, best first."""
    from finmon.services.access import authorize
    from finmon.workflow.access import Action

    authorize(actor, Action.SCREEN, db)
    return screener.screen(party, threshold=threshold, limit=limit)


BATCH_STATUSES = ("running", "done", "failed")
_INTERRUPTED = "interrupted: the server stopped before the file was screened; screen it again"


@dataclass(slots=True)
class Batch:
    """An uploaded file screened in the background: where it stands, its counts, the first row
    problems, the list versions it is screened against and, once done, its hits file."""

    file_name: str
    token: str
    """Names the batch for `get_batch` and `batch_hits` (random: another user cannot guess it)."""
    status: str = "running"
    """running, done (the hits file is ready) or failed (`error` says why)."""
    summary: Summary = field(default_factory=Summary)
    done: int = 0
    """Rows screened so far."""
    first_problems: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0
    lists: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    runner: str = ""
    """The process screening it (host:pid): a batch whose process is gone was interrupted."""

    def to_dict(self) -> dict[str, Any]:
        """The batch as its status file keeps it."""
        counts = {key: getattr(self.summary, key) for key in _COUNTS}
        fields = ("file_name", "token", "status", "done", "first_problems", "skipped", "lists")
        return {
            **{key: getattr(self, key) for key in fields},
            "error": self.error,
            "runner": self.runner,
            "summary": counts,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Batch:
        """A batch read back from its status file."""
        return cls(**{**data, "summary": Summary(**data["summary"])})


_COUNTS = ("rows", "hits", "alerted", "seconds", "problems")
"""What a batch's status file keeps of its Summary."""


def start_batch(
    actor: str,
    name: str,
    content: BinaryIO,
    screener: Screener,
    *,
    threshold: float | None = None,
    db: Database | None = None,
) -> str:
    """Keep an uploaded customer file (at most FINMON_MAX_UPLOAD_BYTES) and screen it in a
    thread of this process; returns the batch's token. A file whose first row cannot be read is
    refused at once; the hits are kept as a CSV file for `batch_hits` and the upload removed."""
    from finmon.screening.inputs import read_parties
    from finmon.services.access import authorize
    from finmon.store.jobs import current_runner, in_background, safe_file_name, save_upload
    from finmon.workflow.access import Action

    who = authorize(actor, Action.SCREEN, db)
    file_name = safe_file_name(name)
    if not file_name.lower().endswith(UPLOAD_SUFFIXES):
        raise InputError(f"{file_name}: send a {', '.join(UPLOAD_SUFFIXES)} file")
    _forget_old_batches()
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    folder = _batches() / token
    folder.mkdir(parents=True)
    try:
        (folder / "actor").write_text(who.name, encoding="utf-8")
        upload = save_upload(content, folder / "upload", file_name)
        try:  # the first row read now, so that a file that cannot be read is refused at once
            next(read_parties(upload), None)
        except InputError as exc:
            raise InputError(_without(str(exc), upload.parent)) from None
        batch = Batch(file_name, token, lists=dict(screener.versions), runner=current_runner())
        _save(folder, batch)
        in_background(
            f"screening-{token[:8]}", _screen_batch, folder, upload, screener, threshold, batch
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token


def _screen_batch(
    folder: Path, upload: Path, screener: Screener, threshold: float | None, batch: Batch
) -> None:
    """Screen the upload into the batch's hits file, saving its progress about once a second."""
    saved = time.monotonic()

    def keep(problem: Problem) -> None:
        batch.skipped += problem.skipped
        if len(batch.first_problems) < SHOWN_PROBLEMS:
            batch.first_problems.append(problem.to_dict())

    def advance() -> None:
        nonlocal saved
        batch.done += 1
        if time.monotonic() - saved >= 1.0:
            _save(folder, batch)
            saved = time.monotonic()

    try:
        # One process: forking a server that runs threads can leave a child waiting forever on
        # a lock another thread held (the page hung in tests/web/test_browser.py), and one
        # upload should not take every core from the other users.
        batch.summary = run_screening(
            upload,
            folder / "hits.csv",
            screener,
            threshold=threshold,
            problems=keep,
            on_row=advance,
            workers=1,
        )
        batch.status = "done"
    except FinmonError as exc:
        batch.status, batch.error = "failed", _without(str(exc), upload.parent)
    except BaseException as exc:  # the batch must end with a status whatever happened
        batch.status = "failed"
        batch.error = f"{type(exc).__name__}: the screening stopped on an unexpected error"
        raise
    finally:
        shutil.rmtree(upload.parent, ignore_errors=True)
        _save(folder, batch)


def get_batch(actor: str, token: str, db: Database | None = None) -> Batch:
    """A batch this actor screens or screened; NotFound for any other. A batch left running by
    a process that is gone is failed (interrupted)."""
    from finmon.store.jobs import runner_gone

    folder = _owned(actor, token, db)
    try:
        batch = Batch.from_dict(json.loads((folder / "batch.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        raise NotFound("no such screening batch: screen the file again") from None
    if batch.status == "running" and runner_gone(batch.runner):
        batch.status, batch.error = "failed", _INTERRUPTED
        _save(folder, batch)
    return batch


def batch_hits(actor: str, token: str, db: Database | None = None) -> Path:
    """The hits file of a batch this actor screened; NotFound for any other, WorkflowRefused
    while it is still being screened or when it failed."""
    batch = get_batch(actor, token, db)
    if batch.status != "done":
        raise WorkflowRefused(
            f"{batch.file_name}: the batch is {batch.status}, it has no hits file"
        )
    return _batches() / token / "hits.csv"


def _owned(actor: str, token: str, db: Database | None) -> Path:
    """The folder of a batch this actor started, after authorising them to screen."""
    from finmon.services.access import authorize
    from finmon.workflow.access import Action

    who = authorize(actor, Action.SCREEN, db)
    folder = _batches() / token
    owner = folder / "actor"
    if (
        len(token) != TOKEN_LENGTH
        or not all(c in "0123456789abcdef" for c in token)
        or not owner.is_file()
        or owner.read_text(encoding="utf-8") != who.name
    ):
        raise NotFound("no such screening batch: screen the file again")
    return folder


def _save(folder: Path, batch: Batch) -> None:
    """Replace the batch's status file whole, so a reader never sees half of one."""
    part = folder / "batch.json.part"
    part.write_text(json.dumps(batch.to_dict(), ensure_ascii=False), encoding="utf-8")
    os.replace(part, folder / "batch.json")


def _without(message: str, folder: Path) -> str:
    """A message without the server's folder of the upload."""
    return message.replace(str(folder) + os.sep, "")


def _batches() -> Path:
    return load_settings().home / "screenings"


def _forget_old_batches() -> None:
    """Remove the batches screened more than KEPT_SECONDS ago: hits files are personal data."""
    folder = _batches()
    if not folder.is_dir():
        return
    oldest = time.time() - KEPT_SECONDS
    for batch in folder.iterdir():
        if batch.stat().st_mtime < oldest:
            shutil.rmtree(batch, ignore_errors=True)
