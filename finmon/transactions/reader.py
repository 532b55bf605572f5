"""One entry point for transaction files: the format named or recognised, then its loader."""

from __future__ import annotations

from pathlib import Path

from finmon.errors import InputError
from finmon.lists.reading import read_head
from finmon.transactions.model import Reading, Skip, Transaction

FORMATS = ("csv", "parquet", "pacs008", "mt103", "amlsim")
"""Formats `--format` accepts: the canonical CSV and Parquet layouts, ISO 20022 pacs.008 (and
pacs.009) XML, SWIFT MT103 (and MT202 COV) text, and the AMLSim transactions CSV."""


def detect_format(path: Path) -> str:
    """The format of a transaction file, from its name and first bytes."""
    suffix = path.suffix.lower()
    head = read_head(path, 512).lstrip(b"\xef\xbb\xbf").lstrip()
    if suffix == ".parquet" or head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"<"):
        return "pacs008"
    # \x01 (SOH) opens a message in the DOS-PCC file format.
    if head.startswith((b"{1:", b":20:", b"{4:", b"\x01")):
        return "mt103"
    if suffix == ".csv" or b"," in head.split(b"\n", 1)[0]:
        header = head.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
        return "amlsim" if header.startswith("sourcenodeid,") else "csv"
    raise InputError(
        f"{path}: cannot tell the format of this transaction file; give --format, one of "
        + ", ".join(FORMATS)
    )


def read_transactions(path: Path, format: str | None = None) -> list[Transaction]:
    """Every transaction of a file, in file order; InputError naming the file and place of the
    first message that cannot be read (read_file reads the others and reports the skips)."""
    reading = read_file(path, format)
    if reading.skipped:
        raise InputError(str(reading.skipped[0]))
    return reading.transactions


def read_file(path: Path, format: str | None = None, *, strict: bool = False) -> Reading:
    """Every transaction of a file that can be read, and each message (pacs.008/009, MT103/202
    COV) or row (CSV, Parquet, AMLSim) skipped with its reason; a file that cannot be read at all
    is an InputError, and with strict so is the first skip."""
    reading = _read_file(path, format)
    if strict and reading.skipped:
        raise InputError(f"{reading.skipped[0]} (--strict)")
    return reading


def _read_file(path: Path, format: str | None) -> Reading:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    chosen = format or detect_format(path)
    skipped: list[Skip] = []
    if chosen in ("csv", "parquet"):
        from finmon.transactions.tabular import read_canonical

        return Reading(read_canonical(path, skipped), skipped)
    if chosen == "amlsim":
        from finmon.transactions.tabular import read_amlsim

        return Reading(read_amlsim(path, skipped), skipped)
    if chosen == "pacs008":
        from finmon.transactions.pacs008 import read_pacs008_file

        return read_pacs008_file(path)
    if chosen == "mt103":
        from finmon.transactions.mt103 import read_mt103_file

        return read_mt103_file(path)
    raise InputError(f"unknown --format {chosen!r}; use one of {', '.join(FORMATS)}")
