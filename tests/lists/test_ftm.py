"""FollowTheMoney JSON lines: parties, aliases, sanctions, and refusal of bad lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR, parse_files
from finmon.lists.ftm import parse_ftm
from finmon.model import BirthDate, Designation, Gender, Identifier, NameQuality, ParsedList, Schema

FIXTURE = FIXTURE_DIR / "ftm_fixture.jsonl"


@pytest.fixture(scope="module")
def ftm() -> ParsedList:
    return parse_ftm(FIXTURE)


def _by_id(parsed: ParsedList, reference: str) -> Designation:
    return next(d for d in parsed.designations if d.reference == reference)


def test_parties_only(ftm: ParsedList) -> None:
    schemas = {d.reference: d.schema for d in ftm.designations}
    assert schemas == {
        "demo-p-001": Schema.PERSON,
        "demo-p-002": Schema.PERSON,
        "demo-p-003": Schema.PERSON,
        "demo-o-001": Schema.ORGANIZATION,
        "demo-c-001": Schema.ORGANIZATION,
        "demo-l-001": Schema.ORGANIZATION,
        "demo-v-001": Schema.VESSEL,
        "demo-a-001": Schema.AIRCRAFT,
    }
    assert (ftm.source, ftm.format, ftm.published_at) == ("demo_sanctions", "ftm-json", None)


def test_names_and_their_qualities(ftm: ParsedList) -> None:
    person = _by_id(ftm, "demo-p-001")
    assert [(n.full, n.quality) for n in person.names] == [
        ("Yerlan Bolatuly SADYKOV", NameQuality.PRIMARY),
        ("Ерлан Болатұлы Садықов", NameQuality.STRONG),
        ("Ерлан Болатович Садыков", NameQuality.STRONG),
        ("Abu Yerlan", NameQuality.WEAK),
    ]
    assert _by_id(ftm, "demo-p-002").names[1].quality is NameQuality.FORMER
    assert _by_id(ftm, "demo-p-002").caption == "Dilnoza KARIMOVA"


def test_person_details(ftm: ParsedList) -> None:
    person = _by_id(ftm, "demo-p-001")
    assert person.birth_dates == [BirthDate.exact(dt.date(1984, 3, 12))]
    assert person.nationalities == ["KZ"]
    assert person.gender is Gender.MALE
    assert Identifier("passport", "N99000001") in person.identifiers
    assert person.last_updated == dt.date(2024, 1, 15)
    month = _by_id(ftm, "demo-p-003").birth_dates
    assert month == [BirthDate(dt.date(1971, 11, 1), dt.date(1971, 11, 30))]


def test_sanctions_lend_programme_and_dates(ftm: ParsedList) -> None:
    listed = _by_id(ftm, "demo-p-001")
    assert listed.programmes == ["DEMO-CT"]
    assert listed.listed_on == dt.date(2019, 5, 30)
    assert listed.delisted_on is None
    ended = _by_id(ftm, "demo-p-002")
    assert ended.listed_on == dt.date(2020, 1, 20)
    assert ended.delisted_on == dt.date(2023, 7, 1)


def test_unknown_country_codes_are_kept_in_remarks(ftm: ParsedList) -> None:
    person = _by_id(ftm, "demo-p-002")
    assert person.nationalities == ["UZ"]
    assert "suhh" in (person.remarks or "")


def test_organisation_countries_and_vessel_flag(ftm: ParsedList) -> None:
    assert _by_id(ftm, "demo-c-001").nationalities == ["KZ"]
    vessel = _by_id(ftm, "demo-v-001")
    assert vessel.nationalities == ["PA"]
    assert Identifier("imo", "9999991") in vessel.identifiers


def _write(tmp_path: Path, entities: list[Any]) -> Path:
    path = tmp_path / "entities.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n")
    return path


def test_source_falls_back_to_ftm_and_argument_wins(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}])
    assert parse_ftm(path).source == "ftm"
    assert parse_files([path], source="kz-national").designations[0].source == "kz-national"


def test_sanction_that_ended_only_partly_keeps_party_listed(tmp_path: Path) -> None:
    party = {"id": "p", "schema": "Person", "properties": {"name": ["A B"]}}
    ended = {
        "id": "s1",
        "schema": "Sanction",
        "properties": {"entity": ["p"], "endDate": ["2020-01-01"]},
    }
    open_ = {"id": "s2", "schema": "Sanction", "properties": {"entity": ["p"], "program": ["X"]}}
    parsed = parse_ftm(_write(tmp_path, [ended, party, open_]))
    assert parsed.designations[0].delisted_on is None
    assert parsed.designations[0].programmes == ["X"]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "x", "schema": "Person", "properties": {"name": ["A"]}', "not JSON"),
        ('["not", "an", "entity"]', "not a FollowTheMoney entity"),
        ('{"schema": "Person", "properties": {"name": ["A"]}}', "without an id"),
        ('{"id": "x", "schema": "Person", "properties": []}', "properties is not an object"),
        ('{"id": "x", "schema": "Person", "properties": {}}', "has no name"),
    ],
)
def test_bad_lines_are_refused_with_their_number(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = '{"id": "ok", "schema": "Person", "properties": {"name": ["A B"]}}'
    path.write_text(f"{good}\n\n{line}\n")
    with pytest.raises(InputError, match=rf"bad\.jsonl:3\b.*{problem}"):
        parse_ftm(path)


def test_repeated_entity_is_refused(tmp_path: Path) -> None:
    entity = {"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}
    with pytest.raises(InputError, match="appears twice"):
        parse_ftm(_write(tmp_path, [entity, entity]))
