"""The `finmon compare` command: how likely two names belong to the same party, and why."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from finmon.cli.common import (
    TextOutput,
    app,
    out,
    require_files,
)
from finmon.errors import InputError
from finmon.exports import SafeDictWriter
from finmon.screening import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    pass


@app.command("compare")
def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with name1,name2 columns (others are kept).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where --pairs writes its scores (default: stdout).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Kind of names: Person, Organization, ...")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Encoding of the --pairs file.")] = None,
) -> None:
    """Score how likely two names belong to the same party, and explain the score."""
    from finmon.model import Schema
    from finmon.screening import compare_names

    if pairs is not None:
        require_files([pairs])
        compare_pairs(pairs, output, encoding)
        return
    if not name1 or not name2:
        raise InputError("give two names, or --pairs FILE.csv")
    result = compare_names(name1, name2, Schema.parse(schema))
    out.print(f"score: {result.score:.4f}")
    out.print_json(json.dumps(result.explanation, ensure_ascii=False, default=str))


def compare_pairs(pairs: Path, output: Path | None, encoding: str | None) -> None:
    """Score every name1,name2 row of a CSV and write it back with score and match columns."""
    from finmon.model import Schema
    from finmon.screening import compare_names
    from finmon.screening.inputs import decoded_lines, normalise_column

    reader = csv.DictReader(decoded_lines(pairs, encoding))
    fields = list(reader.fieldnames or [])
    found = {normalise_column(name): name for name in fields}
    if "name1" not in found or "name2" not in found:
        raise InputError(f"{pairs}: needs name1 and name2 columns; found: {', '.join(fields)}")
    with TextOutput(output) as handle:
        writer = SafeDictWriter(handle, fieldnames=[*fields, "score", "match"])
        writer.writeheader()
        for row in reader:
            schema = Schema.parse(row.get(found.get("schema", ""), ""))
            result = compare_names(row[found["name1"]] or "", row[found["name2"]] or "", schema)
            match = "true" if result.score >= DEFAULT_THRESHOLD else "false"
            writer.writerow({**row, "score": f"{result.score:.4f}", "match": match})
