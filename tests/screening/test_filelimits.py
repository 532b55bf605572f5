"""The file limits: read from FINMON_* settings, and the XLSX member scan across chunk borders."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.screening.filelimits import check_xlsx, file_limits
from finmon.settings import FileLimits


def test_every_limit_has_a_default_and_a_finmon_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert file_limits() == FileLimits()
    assert FileLimits().max_cell_chars == 32_767
    for name in FileLimits.__dataclass_fields__:
        monkeypatch.setenv(f"FINMON_{name.upper()}", "7")
    assert {getattr(file_limits(), name) for name in FileLimits.__dataclass_fields__} == {7}


def _workbook(path: Path, text: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + text + b"</t></si></sst>")
    return path


@pytest.mark.parametrize("before", [0, (1 << 20) - 5, (1 << 20) + 3])
def test_a_long_text_is_found_wherever_the_chunks_cut_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: int
) -> None:
    monkeypatch.setenv("FINMON_MAX_COMPRESSION_RATIO", "1000000")
    monkeypatch.setenv("FINMON_MAX_CELL_CHARS", "1000")
    padding = b"<x/>" * (before // 4)
    # The bound is on bytes between two "<": 10 per character allowed (&#x10FFFF; is 10).
    ok = _workbook(tmp_path / "ok.xlsx", padding + b"B" * 9_990)
    check_xlsx(ok)
    long = _workbook(tmp_path / "long.xlsx", padding + b"B" * 10_001)
    with pytest.raises(InputError, match="FINMON_MAX_CELL_CHARS"):
        check_xlsx(long)


def test_a_workbook_larger_than_its_limits_is_refused_by_what_it_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "book.xlsx", b"x" * 5_000)
    monkeypatch.setenv("FINMON_MAX_UNPACKED_BYTES", "1000")
    with pytest.raises(InputError, match=r"unpack to 5,0\d\d bytes.*FINMON_MAX_UNPACKED_BYTES"):
        check_xlsx(path)
    monkeypatch.setenv("FINMON_MAX_UNPACKED_BYTES", "100000")
    monkeypatch.setenv("FINMON_MAX_XLSX_STRINGS_BYTES", "1000")
    with pytest.raises(InputError, match=r"shared-strings table.*FINMON_MAX_XLSX_STRINGS_BYTES"):
        check_xlsx(path)


def test_a_file_that_is_not_a_zip_is_not_a_readable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"id,name\n")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        check_xlsx(path)


def test_parquet_text_is_decoded_in_slices_and_every_row_comes_back_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from finmon.screening import filelimits
    from finmon.screening.inputs import read_table

    monkeypatch.setattr(filelimits, "SLICE_CHARS", 1_000)
    names = [f"{n:03d}" + "x" * 97 for n in range(250)]
    path = tmp_path / "sliced.parquet"
    pq.write_table(pa.table({"id": [str(n) for n in range(250)], "name": names}), path)
    rows = [row for _place, row in read_table(path).rows]
    assert [row["name"] for row in rows] == names
