"""The problems of a lenient reading: counted, the first few kept to show, all written to a CSV.

The problems file has one row per problem (rows.PROBLEM_COLUMNS: row, column, value, problem,
action), the value as it came, every cell neutralised against formula injection (SafeDictWriter).
It is opened at the first problem, so a clean reading leaves no file unless one is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from finmon.exports import SafeDictWriter
from finmon.screening.rows import PROBLEM_COLUMNS, Problem

SHOWN = 20
"""Problems kept in memory to show (on stderr, in a job's result); the file has them all."""


def problems_path(input: Path, output: Path | None, given: Path | None = None) -> Path:
    """Where a reading's problems go: as given, else `<output stem>.problems.csv` beside the
    output, else beside the input."""
    if given is not None:
        return given
    beside = output if output is not None else input
    return beside.with_name(f"{beside.stem}.problems.csv")


class ProblemLog:
    """Counts problems, keeps the first SHOWN, and writes every one to path (if given)."""

    def __init__(
        self, path: Path | None = None, *, always: bool = False, keep_on_error: bool = False
    ) -> None:
        self.path = path
        self.keep_on_error = keep_on_error
        """An import keeps the batches it wrote before an error, so their problems are kept."""
        self.count = 0
        self.skipped = 0
        self.first: list[Problem] = []
        self._handle: TextIO | None = None
        self._writer: SafeDictWriter | None = None
        if always and path is not None:
            self._open()

    def __call__(self, problem: Problem) -> None:
        """Record one problem."""
        self.count += 1
        self.skipped += problem.skipped
        if len(self.first) < SHOWN:
            self.first.append(problem)
        if self.path is not None:
            writer = self._writer or self._open()
            writer.writerow(problem.to_dict())

    def close(self) -> None:
        """Close the file, if one was written."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def discard(self) -> None:
        """Close and remove the file: the reading was refused, so it would mislead."""
        self.close()
        if self._writer is not None and self.path is not None:
            self.path.unlink(missing_ok=True)

    def _open(self) -> SafeDictWriter:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        self._writer = SafeDictWriter(self._handle, fieldnames=list(PROBLEM_COLUMNS))
        self._writer.writeheader()
        return self._writer

    def __enter__(self) -> ProblemLog:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None or self.keep_on_error:
            self.close()
        else:
            self.discard()
