"""Screening a customer file on Apache Spark: the service behind `finmon screen --engine spark`.

The same Screener the local engine uses is built here from the store's lists, pickled once and
broadcast (finmon.scale.spark); the hits come back in input order and are written by the same
writer as the local engine's, so both give the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from finmon.errors import InputError

if TYPE_CHECKING:
    from finmon.screening import Screener
    from finmon.services.screening import Summary

ENGINES = ("local", "spark")
"""The engines `finmon screen` runs on."""
SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")
"""The customer files Spark reads itself."""
_UTF8 = ("utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig")


def spark_screening(
    input: Path,
    output: Path | None,
    screener: Screener,
    *,
    threshold: float | None = None,
    encoding: str | None = None,
    master: str | None = None,
) -> Summary:
    """Screen a CSV or Parquet customer file on Spark (master, local[2] by default) and write
    one row per hit to output (or keep them in the summary), as run_screening does."""
    from finmon.scale.spark import read_customers, screen_customers, session
    from finmon.screening.inputs import layout
    from finmon.services.screening import Summary, write_hits
    from finmon.store.screener_cache import dumps

    if encoding is not None and encoding.lower() not in _UTF8:
        raise InputError(f"--encoding {encoding}: --engine spark reads UTF-8 files only")
    if input.suffix.lower() not in SUFFIXES:
        raise InputError(f"{input}: --engine spark reads {', '.join(SUFFIXES)} customer files")
    shape = layout(input, encoding)
    spark = session(master)
    frame = read_customers(spark, input, shape.columns, shape.delimiter)
    found = screen_customers(
        spark, frame, dumps(screener), file=str(input), roles=shape.roles, threshold=threshold
    )
    summary = Summary(
        rows=found.rows, hits=len(found.hits), alerted=found.alerted, problems=found.problems
    )
    if output is None:
        summary.kept = found.hits
    else:
        write_hits(output, found.hits)
    return summary
