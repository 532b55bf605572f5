"""The OFAC legacy CSV parser on the real 2021 SDN and 2025 consolidated files."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import shutil
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.lists import parse_files
from finmon.lists.ofac import parse_ofac
from finmon.model import BirthDate, Designation, Gender, Identifier, NameQuality, ParsedList, Schema
from tests.conftest import shared_file

SDN_2021 = [
    "lists/ofac_sdn_2021-07.csv",
    "lists/ofac_sdn_add_2021-07.csv",
    "lists/ofac_sdn_alt_2021-07.csv",
    "lists/ofac_sdn_comments_2021-07.csv",
]
CONS_2025 = [
    "lists/ofac_cons_prim_2025-12.csv",
    "lists/ofac_cons_add_2025-12.csv",
    "lists/ofac_cons_alt_2025-12.csv",
    "lists/ofac_cons_comments_2025-12.csv",
]


def _paths(names: list[str]) -> list[Path]:
    return [shared_file(name) for name in names]


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if len(row) > 1]


@pytest.fixture(scope="module")
def sdn() -> ParsedList:
    return parse_ofac(_paths(SDN_2021))


def _entry(parsed: ParsedList, reference: str) -> Designation:
    return next(d for d in parsed.designations if d.reference == reference)


def test_sdn_2021_counts(sdn: ParsedList) -> None:
    schemas = [d.schema for d in sdn.designations]
    assert len(schemas) == 8976
    assert schemas.count(Schema.PERSON) == 4620
    assert schemas.count(Schema.VESSEL) == 406
    assert schemas.count(Schema.AIRCRAFT) == 277
    assert schemas.count(Schema.ORGANIZATION) == 3673
    assert (sdn.source, sdn.format, sdn.published_at) == ("ofac-sdn", "ofac-csv", None)


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[\s,]+", name.lower()) if w)


def test_every_one_of_the_11910_aliases_is_on_its_entry(sdn: ParsedList) -> None:
    names = {d.reference: {_words(n.full) for n in d.names} for d in sdn.designations}
    rows = _rows(shared_file(SDN_2021[2]))
    assert len(rows) == 11910
    missing = [row for row in rows if _words(row[3]) not in names[row[0]]]
    assert missing == []


def test_former_names_count(sdn: ParsedList) -> None:
    fka_rows = sum(1 for row in _rows(shared_file(SDN_2021[2])) if row[2] == "fka")
    fka_remarks = sum(
        row[11].count("f.k.a. '") for row in _rows(shared_file(SDN_2021[0])) if len(row) == 12
    )
    former = sum(1 for d in sdn.designations for n in d.names if n.quality is NameQuality.FORMER)
    assert former == fka_rows + fka_remarks == 393


def test_addresses_count_matches_non_empty_rows(sdn: ParsedList) -> None:
    rows = _rows(shared_file(SDN_2021[1]))
    non_empty = [row for row in rows if any(v.strip() != "-0-" for v in row[2:])]
    assert len(rows) == 13837
    assert sum(len(d.addresses) for d in sdn.designations) == len(non_empty)
    cuba = _entry(sdn, "306")
    assert cuba.addresses[0].text == "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    assert cuba.addresses[0].country == "CH"


def test_individual_names_are_given_names_first(sdn: ParsedList) -> None:
    person = _entry(sdn, "12300")
    assert person.caption == "Jorge Milton CIFUENTES VILLA"
    assert all("," not in n.full for n in person.names)
    assert _entry(sdn, "306").caption == "BANCO NACIONAL DE CUBA"


def test_individual_dob_and_passport_from_remarks(sdn: ParsedList) -> None:
    person = _entry(sdn, "8175")
    assert person.caption == "Shaykh Abd-al-Majid AL-ZINDANI"
    assert person.birth_dates == [BirthDate(dt.date(1950, 1, 1), dt.date(1950, 12, 31), True)]
    assert person.nationalities == ["YE"]
    assert person.birth_places == ["Yemen"]
    assert person.identifiers == [Identifier("passport", "A005487", "YE", "issued 13 Aug 1995")]
    assert person.programmes == ["SDGT"]


def test_several_dobs_gender_passports_and_national_id(sdn: ParsedList) -> None:
    person = _entry(sdn, "12610")
    assert person.gender is Gender.FEMALE
    assert person.birth_dates == [
        BirthDate.year(1977),
        BirthDate.year(1976),
        BirthDate.exact(dt.date(1978, 1, 1)),
    ]
    assert person.identifiers == [
        Identifier("passport", "215215", "LY"),
        Identifier("passport", "428720", "LY"),
        Identifier("passport", "B/011641"),
        Identifier("passport", "03824970", "OM", "issued 04 May 2014 expires 03 May 2024"),
        Identifier("national_id", "98606612"),
    ]


def test_remarks_continue_from_the_comments_file(sdn: ParsedList) -> None:
    person = _entry(sdn, "12300")
    assert "Linked To: PROMO RAIZ S.A.S.; Linked To: RED MUNDIAL" in (person.remarks or "")
    assert (person.remarks or "").endswith("Linked To: R D I S.A.")
    assert [b.earliest for b in person.birth_dates] == [
        dt.date(1965, 5, 13),
        dt.date(1968, 4, 13),
        dt.date(1964, 7, 7),
    ]
    assert Identifier("passport", "AL720622", "CO") in person.identifiers


def test_weak_aliases_from_remarks(sdn: ParsedList) -> None:
    bank = _entry(sdn, "306")
    assert [(n.full, n.quality) for n in bank.names if n.quality is NameQuality.WEAK] == [
        ("BNC", NameQuality.WEAK)
    ]


def test_vessels_carry_flag_and_call_sign(sdn: ParsedList) -> None:
    vessels = [d for d in sdn.designations if d.schema is Schema.VESSEL]
    assert sum(1 for v in vessels if v.nationalities) > 300
    assert any(i.kind == "call_sign" for v in vessels for i in v.identifiers)


def test_shuffled_files_under_arbitrary_names_give_the_same_list(
    sdn: ParsedList, tmp_path: Path
) -> None:
    copies = []
    for index, source in enumerate(_paths(SDN_2021)):
        copy = tmp_path / f"download-{index * 7 % 5}.dat"
        shutil.copy(source, copy)
        copies.append(copy)
    random.Random(4).shuffle(copies)
    shuffled = parse_files(copies)
    assert shuffled.version == sdn.version
    assert shuffled.designations == sdn.designations
    assert sorted(digest for _, digest in shuffled.files) == sorted(d for _, d in sdn.files)


def test_version_depends_on_content(sdn: ParsedList, tmp_path: Path) -> None:
    paths = _paths(SDN_2021)
    changed = tmp_path / "alt.csv"
    changed.write_bytes(paths[2].read_bytes().replace(b"AERO-CARIBBEAN", b"AERO-CARIBE"))
    other = parse_ofac([paths[0], paths[1], changed, paths[3]])
    assert len(sdn.version) == 12
    assert other.version != sdn.version


def test_consolidated_list(tmp_path: Path) -> None:
    parsed = parse_files(_paths(CONS_2025), source="ofac-cons")
    schemas = [d.schema for d in parsed.designations]
    assert len(schemas) == 442
    assert schemas.count(Schema.PERSON) == 79
    assert parsed.source == "ofac-cons"
    assert {d.source for d in parsed.designations} == {"ofac-cons"}
    first = _entry(parsed, "9639")
    assert first.caption == "Ismail Abdul Salah HANIYA"
    assert "Ismail HANIYA" in [n.full for n in first.names]


def test_alias_file_alone_is_refused() -> None:
    with pytest.raises(InputError, match="no OFAC main"):
        parse_files(_paths([SDN_2021[2], SDN_2021[1]]))


def test_files_from_different_lists_are_refused() -> None:
    paths = [shared_file(SDN_2021[0]), shared_file("lists/ofac_sdn_alt_2025-02.csv")]
    with pytest.raises(InputError, match="not in the main file"):
        parse_files(paths)


def test_two_files_of_one_shape_are_refused() -> None:
    paths = [*_paths([SDN_2021[0], SDN_2021[2]]), shared_file("lists/ofac_sdn_alt_2025-02.csv")]
    with pytest.raises(InputError, match="second OFAC aliases file"):
        parse_files(paths, format="ofac-csv")


def test_row_of_the_wrong_shape_names_file_and_line(tmp_path: Path) -> None:
    source = shared_file(SDN_2021[1]).read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "addresses.csv"
    source[4] = '999,1,"street","city"\r\n'
    broken.write_text("".join(source), encoding="utf-8")
    with pytest.raises(InputError, match=r"addresses\.csv:5: row of 4 columns"):
        parse_ofac([shared_file(SDN_2021[0]), broken])


def test_non_utf8_bytes_are_refused_with_offset(tmp_path: Path) -> None:
    broken = tmp_path / "sdn.csv"
    broken.write_bytes(
        shared_file(SDN_2021[0]).read_bytes().replace(b"CASA DE CUBA", b"CASA D\xc9 CUBA")
    )
    offset = broken.read_bytes().index(b"\xc9")
    with pytest.raises(InputError, match=rf"sdn\.csv:5: byte offset {offset}"):
        parse_ofac([broken])
