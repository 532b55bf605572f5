"""Screening against every loaded list: one name, or a customer file with hits written as they
come.

The service behind `finmon screen`, `finmon demo` and the web's screening page; it prints
nothing, so any front door can show its progress and its counts.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from finmon.errors import InputError, NotFound
from finmon.exports import SafeDictWriter
from finmon.settings import load_settings

if TYPE_CHECKING:
    from finmon.model import Party
    from finmon.screening import Hit, Screener
    from finmon.screening.rows import Problem, Report
    from finmon.store import Database


HIT_COLUMNS = [
    "id",
    "query_name",
    "score",
    "list",
    "list_version",
    "reference",
    "designation_name",
    "matched_name",
    "explanation",
]


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


class _Sink:
    """Writes hit rows to a CSV or JSONL file as they come."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.jsonl = path.suffix.lower() == ".jsonl"
        self.writer = SafeDictWriter(self.handle, fieldnames=HIT_COLUMNS)
        if not self.jsonl:
            self.writer.writeheader()

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if self.jsonl:
                self.handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                self.writer.writerow({**row, "explanation": _json(row["explanation"])})

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.handle.close()
        if kind is not None:
            # Bad input half-way: leave no partial hits file that could pass for a complete one.
            self.path.unlink(missing_ok=True)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".ndjson", ".parquet")
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
    from finmon.countries import to_iso2
    from finmon.model import Party, Schema
    from finmon.names.limits import NameLimits
    from finmon.screening.dates import parse_birth_date

    NameLimits.from_settings().check(name, "name")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("name: give the name to screen")
    births = []
    if birth_date.strip():
        born = parse_birth_date(birth_date.strip())
        if born is None:
            raise InputError(f"birth_date: {birth_date!r} is not a date (YYYY-MM-DD or YYYY)")
        births.append(born)
    countries = []
    if country.strip():
        value = country.strip()
        code = to_iso2(value.upper() if len(value) <= 3 else value)
        if code is None:
            raise InputError(f"country: {country!r} is not a country finmon knows")
        countries.append(code)
    return Party(
        id="query",
        names=[cleaned],
        schema=Schema.parse(kind),
        birth_dates=births,
        nationalities=countries,
    )


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


@dataclass(slots=True)
class Batch:
    """An uploaded file screened: its counts, the first row problems, where its hits are."""

    file_name: str
    summary: Summary
    token: str
    """Names the hits file for `batch_hits` (random: another user cannot guess it)."""
    first_problems: list[Problem] = field(default_factory=list)
    skipped: int = 0


def screen_upload(
    actor: str,
    name: str,
    content: BinaryIO,
    screener: Screener,
    *,
    threshold: float | None = None,
    db: Database | None = None,
) -> Batch:
    """Screen an uploaded customer file (at most FINMON_MAX_UPLOAD_BYTES) and keep its hits as
    a CSV file for `batch_hits`; the upload itself is removed once screened."""
    from finmon.services.access import authorize
    from finmon.store.jobs import safe_file_name, save_upload
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
        batch = Batch(file_name, Summary(), token)

        def keep(problem: Problem) -> None:
            batch.skipped += problem.skipped
            if len(batch.first_problems) < SHOWN_PROBLEMS:
                batch.first_problems.append(problem)

        # One process: forking a server that runs threads can leave a child waiting forever on
        # a lock another thread held (the page hung in tests/web/test_browser.py), and one
        # upload should not take every core from the other users.
        batch.summary = run_screening(
            upload, folder / "hits.csv", screener, threshold=threshold, problems=keep, workers=1
        )
        shutil.rmtree(upload.parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return batch


def batch_hits(actor: str, token: str, db: Database | None = None) -> Path:
    """The hits file of a batch this actor screened; NotFound for any other."""
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
    return folder / "hits.csv"


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
