"""Format detection by content, and the parse_files front door."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR, FORMATS, detect_format, parse_files
from tests.conftest import shared_file

REAL = {
    "lists/un_consolidated_2026-02-27.xml": "un-xml",
    "lists/un_consolidated_2020-11-30.xml": "un-xml",
    "lists/un_consolidated_2025-08-16_encoding-damaged.xml": "un-xml",
    "lists/ofac_sdn_2021-07.csv": "ofac-csv",
    "lists/ofac_sdn_add_2021-07.csv": "ofac-csv",
    "lists/ofac_sdn_alt_2021-07.csv": "ofac-csv",
    "lists/ofac_sdn_comments_2021-07.csv": "ofac-csv",
    "lists/ofac_sdn_alt_2025-02.csv": "ofac-csv",
    "lists/ofac_sdn_add_2025-02.csv": "ofac-csv",
    "lists/ofac_cons_prim_2025-12.csv": "ofac-csv",
    "lists/ofac_cons_add_2025-12.csv": "ofac-csv",
    "lists/ofac_cons_alt_2025-12.csv": "ofac-csv",
    "lists/ofac_cons_comments_2025-12.csv": "ofac-csv",
}
FIXTURES = {
    "un_list_fixture.xml": "un-xml",
    "afm_list_fixture.xml": "afm-xml",
    "ftm_fixture.jsonl": "ftm-json",
    "internal_list_fixture.csv": "csv",
}


def test_formats_tuple() -> None:
    assert FORMATS == ("un-xml", "afm-xml", "ofac-csv", "ftm-json", "csv")


@pytest.mark.parametrize(("relative", "expected"), sorted(REAL.items()))
def test_real_files(relative: str, expected: str, tmp_path: Path) -> None:
    # Copied under a meaningless name: the content alone decides.
    copy = tmp_path / "upload.bin"
    shutil.copy(shared_file(relative), copy)
    assert detect_format([copy]) == expected


@pytest.mark.parametrize(("name", "expected"), sorted(FIXTURES.items()))
def test_fixtures(name: str, expected: str, tmp_path: Path) -> None:
    copy = tmp_path / "upload.txt"
    shutil.copy(FIXTURE_DIR / name, copy)
    assert detect_format([copy]) == expected


def test_all_ofac_files_together() -> None:
    paths = [shared_file(r) for r in REAL if "ofac_sdn_" in r and "2021" in r]
    assert detect_format(paths) == "ofac-csv"


def test_mixed_formats_are_refused() -> None:
    paths = [FIXTURE_DIR / "un_list_fixture.xml", FIXTURE_DIR / "internal_list_fixture.csv"]
    with pytest.raises(InputError, match="different formats"):
        detect_format(paths)


@pytest.mark.parametrize(
    "content",
    [b"", b"hello world\n", b"<html><body>x</body></html>", b'{"a": 1}\n', b"a,b,c\n1,2,3\n"],
)
def test_unknown_content_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "mystery"
    path.write_bytes(content)
    with pytest.raises(InputError, match="mystery"):
        detect_format([path])


def test_no_files() -> None:
    with pytest.raises(InputError):
        detect_format([])
    with pytest.raises(InputError):
        parse_files([])


def test_several_files_of_a_single_file_format_are_refused() -> None:
    paths = [FIXTURE_DIR / "un_list_fixture.xml", FIXTURE_DIR / "un_list_fixture.xml"]
    with pytest.raises(InputError, match="one file, but 2 were given"):
        parse_files(paths)


def test_unknown_format_name_is_refused() -> None:
    with pytest.raises(InputError, match="unknown list format 'pdf'"):
        parse_files([FIXTURE_DIR / "un_list_fixture.xml"], format="pdf")


def test_explicit_format_overrides_detection() -> None:
    with pytest.raises(InputError):
        parse_files([FIXTURE_DIR / "internal_list_fixture.csv"], format="un-xml")
