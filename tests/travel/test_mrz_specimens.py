"""Real specimens (../shared/data/real/mrz/mrz_specimens.jsonl, transcribed from two other
projects' tests; SOURCES.md): every zone the source calls valid is read with every field the
source gives; every zone it calls invalid for a check digit is refused naming that digit.

cheminfo calls a zone invalid also when it does not know the state (ICAO's specimen state UTO,
which it reads as null): those zones have right check digits (PassportEye calls the same TD2 zone
valid, row mrz021 = mrz013) and are read, their state mapping to no ISO country, as the source's
null says.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from finmon.errors import InputError
from finmon.model import Gender
from finmon.travel.mrz import Mrz, read_mrz
from tests.conftest import shared_file

TODAY = dt.date(2026, 12, 5)
SPECIMENS = "real/mrz/mrz_specimens.jsonl"

REFUSED = {
    "mrz011": r"MRZ line 1, column 19: document number check digit",
    "mrz012": r"MRZ line 2, column 7: birth date check digit",
    "mrz015": r"MRZ line 2, column 43: optional data check digit",
    "mrz024": r"MRZ line 2, column 30: composite check digit",
}
"""The rows the source calls invalid for a check digit, and the digit each fails."""
UNKNOWN_STATE_ONLY = {"mrz006", "mrz007", "mrz008", "mrz013", "mrz014"}
"""The rows cheminfo calls invalid for the state code UTO alone."""


def _rows() -> list[dict[str, Any]]:
    path = shared_file(SPECIMENS)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _yymmdd(day: dt.date) -> str:
    return f"{day:%y%m%d}"


def _actual(mrz: Mrz, field: str) -> Any:
    """The reader's value for a field as the specimens name it."""
    if field == "document_code":
        return mrz.document_type
    if field == "birth_date":
        assert mrz.birth_date is not None and mrz.birth_date.is_exact
        return _yymmdd(mrz.birth_date.earliest)
    if field == "expiry_date":
        return _yymmdd(mrz.expiry_date)
    if field == "sex":
        return {Gender.MALE: "M", Gender.FEMALE: "F", None: None}[mrz.sex]
    if field in ("optional_data_1", "optional_data", "personal_number"):
        return mrz.optional_data
    if field in ("issuing_state", "nationality", "document_number", "surname", "given_names"):
        return getattr(mrz, field)
    if field == "optional_data_2":
        return mrz.optional_data_2
    raise AssertionError(f"a field the test does not know: {field}")


def test_the_file_holds_the_rows_this_test_knows() -> None:
    rows = _rows()
    assert len(rows) == 24
    invalid = {row["id"] for row in rows if row["source_says_valid"] is False}
    assert invalid == set(REFUSED) | UNKNOWN_STATE_ONLY
    assert {row["format"] for row in rows} == {"TD1", "TD2", "TD3", "MRVA"}


def test_every_valid_specimen_is_read_with_the_sources_fields() -> None:
    compared = 0
    for row in _rows():
        if row["id"] in REFUSED:
            continue
        mrz = read_mrz("\n".join(row["lines"]), today=TODAY)
        assert mrz.format == row["format"], row["id"]
        for field, value in (row["expected"] or {}).items():
            compared += 1
            if value is None:
                # The source's null for a state it does not know: no ISO country either.
                assert field in ("issuing_state", "nationality"), row["id"]
                assert getattr(mrz, f"{field}_iso2") is None, row["id"]
                assert getattr(mrz, field) == "UTO", row["id"]
                continue
            assert _actual(mrz, field) == value, (row["id"], field)
    assert compared > 150


@pytest.mark.parametrize(("row_id", "message"), sorted(REFUSED.items()))
def test_every_invalid_specimen_is_refused_naming_the_check_digit(
    row_id: str, message: str
) -> None:
    row = next(row for row in _rows() if row["id"] == row_id)
    assert row["source_says_valid"] is False
    with pytest.raises(InputError, match=message):
        read_mrz("\n".join(row["lines"]), today=TODAY)


def test_specimens_with_national_practice() -> None:
    rows = {row["id"]: row for row in _rows()}

    def read(row_id: str) -> Mrz:
        return read_mrz("\n".join(rows[row_id]["lines"]), today=TODAY)

    # Belgium: a 12-character number whose check digit counts the filler (mrz010) or not (004).
    assert "BEL long document number: check digit counts the filler" in read("mrz010").notes
    assert read("mrz004").document_number == "600001795015"
    # One name, written after '<<' (Switzerland TD1, India TD3).
    assert (read("mrz009").surname, read("mrz009").given_names) == ("", "ANNA MARIA")
    assert read("mrz017").full_name == "FIRST NAME"
    # Germany's D<<; an MRV-A visa whose expiry 04 is 2004, not 2104.
    assert read("mrz016").issuing_state_iso2 == "DE"
    assert read("mrz022").expiry_date == dt.date(2004, 12, 23)
