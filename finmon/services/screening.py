"""Batch screening: a customer file screened against every loaded list, hits written as they come.

The service behind `finmon screen` and `finmon demo`; it prints nothing, so any front door can
show its progress and its counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finmon.exports import SafeDictWriter
from finmon.settings import load_settings

if TYPE_CHECKING:
    from finmon.model import Party
    from finmon.screening import Hit, Screener
    from finmon.screening.rows import Problem, Report


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
) -> Summary:
    """Screen a customer file and write one row per hit to output (or keep them in the
    summary); returns the counts. on_row is called after each row (a progress bar).

    Each problem of a row goes to problems (and is counted); strict refuses the file at the
    first, leaving no output."""
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
        workers = load_settings().workers
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
