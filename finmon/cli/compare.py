"""The `finmon compare` command: how likely two names belong to the same party, and why."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from finmon.cli.common import app, require_files
from finmon.cli.options import (
    FormatOption,
    JsonFlag,
    LangOption,
    ResultFormat,
    check_json_output,
    chosen_language,
)
from finmon.cli.output import TextOutput, err, out, print_json, write_csv, write_json
from finmon.errors import InputError
from finmon.exports import SafeDictWriter
from finmon.screening import DEFAULT_THRESHOLD
from finmon.services import readable


@app.command("compare")
def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with name1,name2 columns (others are kept).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            help="Where --pairs writes its scores (default: stdout); for two names, a .json "
            "file for the score and its explanation."
        ),
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Kind of names: Person, Organization, ...")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Encoding of the --pairs file.")] = None,
    format: FormatOption = ResultFormat.TABLE,
    json: JsonFlag = False,
    lang: LangOption = None,
) -> None:
    """Score how likely two names belong to the same party, and explain the score in sentences
    (--json or --format json: the score and its explanation as JSON)."""
    from finmon.model import Schema
    from finmon.screening import DEFAULT_THRESHOLD, compare_names

    if pairs is not None:
        require_files([pairs])
        compare_pairs(pairs, output, encoding)
        return
    if not name1 or not name2:
        raise InputError("give two names, or --pairs FILE.csv")
    check_json_output(output)
    result = compare_names(name1, name2, Schema.parse(schema))
    document = {
        "name1": name1,
        "name2": name2,
        "score": round(result.score, 4),
        "match": result.score >= DEFAULT_THRESHOLD,
        "explanation": result.explanation,
    }
    if output is not None:
        write_json(output, document)
        err.print(f"score {result.score:.4f} written to {output}", markup=False)
    elif json or format is ResultFormat.JSON:
        print_json(document)
    elif format is ResultFormat.CSV:
        row = {**document, "score": f"{result.score:.4f}", "match": str(document["match"]).lower()}
        write_csv(sys.stdout, [row], ["name1", "name2", "score", "match"])
    else:
        for line in readable.compare_lines(chosen_language(lang), name1, name2, document):
            out.print(line, markup=False, highlight=False)


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
