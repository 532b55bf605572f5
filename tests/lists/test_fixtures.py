"""The project's own fictional fixtures: each loads, and the UN one is schema-valid and complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import NameQuality, Schema
from tests.conftest import shared_spec

UN_FIXTURE = FIXTURE_DIR / "un_list_fixture.xml"


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("un_list_fixture.xml", 25),
        ("afm_list_fixture.xml", 17),
        ("ftm_fixture.jsonl", 8),
        ("internal_list_fixture.csv", 6),
    ],
)
def test_every_fixture_loads(name: str, count: int) -> None:
    parsed = parse_files([FIXTURE_DIR / name])
    assert len(parsed.designations) == count
    assert all(d.names and d.reference for d in parsed.designations)


def test_un_fixture_validates_against_the_un_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(shared_spec("un/sc-sanctions.xsd"))))
    document = etree.parse(str(UN_FIXTURE))
    assert schema.validate(document), schema.error_log


def test_un_fixture_covers_what_the_demo_needs() -> None:
    parsed = parse_files([UN_FIXTURE])
    people = [d for d in parsed.designations if d.schema is Schema.PERSON]
    assert (len(people), len(parsed.designations) - len(people)) == (20, 5)
    qualities = {n.quality for d in parsed.designations for n in d.names}
    assert qualities == set(NameQuality)
    originals = [n.full for d in parsed.designations for n in d.names if n.original_script]
    assert any("\u0600" <= ch <= "\u06ff" for name in originals for ch in name)
    assert any("\u0400" <= ch <= "\u04ff" for name in originals for ch in name)
    dates = [b for d in people for b in d.birth_dates]
    assert any(b.is_exact for b in dates)
    assert any(b.approximate for b in dates)
    assert any(b.earliest.year < b.latest.year for b in dates)
    assert any(b.earliest.month == 1 and b.latest.month == 12 and not b.approximate for b in dates)
    assert sum(len(d.identifiers) for d in people) >= 15
    assert all(d.delisted_on is None for d in parsed.designations)


def test_un_fixture_uses_every_alias_quality_the_real_list_uses() -> None:
    root = ET.parse(UN_FIXTURE).getroot()
    qualities = {(q.text or "") for q in root.iter("QUALITY")}
    assert qualities == {"Good", "Low", "a.k.a.", "f.k.a.", ""}
    kinds = {(t.text or "") for t in root.iter("TYPE_OF_DATE")}
    assert kinds == {"EXACT", "APPROXIMATELY", "BETWEEN", ""}
