"""The options many `finmon` commands share, written once: where and how a result goes out,
the problems file, the input files. An output option checks its file's ending while the command
line is read, so a wrong one is refused before any work is done."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from finmon.errors import InputError
from finmon.settings import load_settings

OptionalPath = TypeVar("OptionalPath", Path, Path | None)


class ResultFormat(StrEnum):
    """How a command prints its result on stdout."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def check_output(output: OptionalPath) -> OptionalPath:
    """Refuse an output file that is neither .csv nor .json."""
    if output is not None and output.suffix.lower() not in (".csv", ".json"):
        raise InputError(f"{output}: the output must end in .csv or .json")
    return output


def check_json_output(output: OptionalPath) -> OptionalPath:
    """Refuse an output file that is not .json."""
    if output is not None and output.suffix.lower() != ".json":
        raise InputError(f"{output}: the output must end in .json")
    return output


def check_document_format(format: ResultFormat) -> ResultFormat:
    """Refuse --format csv for a command whose result is one nested document."""
    if format is ResultFormat.CSV:
        raise InputError("--format csv: this result is one document; use json or table")
    return format


FormatOption = Annotated[
    ResultFormat,
    typer.Option("--format", help="How to print the result: table, json or csv."),
]
DocumentFormatOption = Annotated[
    ResultFormat,
    typer.Option(
        "--format", callback=check_document_format, help="How to print the result: json or table."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        callback=check_output, help="Write the result to this .csv or .json (default: print it)."
    ),
]
JsonOutputOption = Annotated[
    Path | None,
    typer.Option(
        callback=check_json_output, help="Write the result to this .json (default: print it)."
    ),
]
JsonFileOption = Annotated[
    Path, typer.Option("--output", callback=check_json_output, help="Write it to this .json.")
]
"""A .json file the command must write (its result is a file for someone else)."""


ProblemsOption = Annotated[
    Path | None,
    typer.Option(
        "--problems",
        help="Write the rows' problems (row, column, value, problem, action) to this .csv "
        "(default: <output stem>.problems.csv beside the output, or beside the input).",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse the whole file at its first problem (default: leave out what cannot be "
        "read, skip a row with no name, and write every problem to the problems file).",
    ),
]
TransfersStrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse the whole file at its first transfer or message that cannot be read "
        "(default: leave it out, name it, and exit 10).",
    ),
]
EncodingOption = Annotated[
    str | None, typer.Option(help="Text encoding of a CSV/JSONL file, e.g. cp1251.")
]
MasterOption = Annotated[
    str | None,
    typer.Option(
        help="With --engine spark: the Spark master URL, e.g. spark://host:7077 or yarn "
        "(default: local[2], two cores of this machine)."
    ),
]
CustomerFileArgument = Annotated[
    Path, typer.Argument(help="Customer file: .csv, .xlsx, .xls, .jsonl or .parquet.")
]


RulesOption = Annotated[
    Path | None, typer.Option(help="A YAML rules pack (default: the shipped TF pack).")
]
AccountsOption = Annotated[
    Path | None,
    typer.Option(
        help="Accounts CSV: account, segment (retail, business, npo ...), listed (true for "
        "accounts of listed parties; those under a freeze or of a confirmed payment-screening "
        "hit in the store count as listed too)."
    ),
]
GoamlConfigOption = Annotated[
    Path | None,
    typer.Option(help="The goAML configuration YAML (default: the Kazakhstan one)."),
]
TransactionsArgument = Annotated[
    Path, typer.Argument(help="Transactions in any format check-payment reads.")
]
TransactionFormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv, parquet, pacs008, mt103 or amlsim (default: guessed)"),
]


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of the readable output: kk, ru or en (default FINMON_LANGUAGE, else en).",
    ),
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print the JSON document instead of the readable form.")
]


def chosen_language(lang: str | None) -> str:
    """--lang, else FINMON_LANGUAGE; InputError naming the option for a language finmon lacks."""
    chosen = (lang or load_settings().language).strip().lower()
    if chosen not in ("kk", "ru", "en"):
        raise InputError(f"--lang / FINMON_LANGUAGE: {chosen!r} is not kk, ru or en")
    return chosen
