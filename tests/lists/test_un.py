"""The UN Consolidated List parser on the real files, cross-checked against xml.etree counts."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.lists import parse_files
from finmon.lists.un import parse_un
from finmon.model import BirthDate, Designation, Identifier, NameQuality, ParsedList, Schema
from tests.conftest import shared_file

UN_2026 = "lists/un_consolidated_2026-02-27.xml"
UN_2020 = "lists/un_consolidated_2020-11-30.xml"


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def independent_view(path: Path) -> dict[str, dict[str, object]]:
    """Per reference: kind, alias names and original-script name, read with xml.etree."""
    root = ET.parse(path).getroot()
    view: dict[str, dict[str, object]] = {}
    for kind, alias_tag in (("INDIVIDUAL", "INDIVIDUAL_ALIAS"), ("ENTITY", "ENTITY_ALIAS")):
        for record in root.iter(kind):
            parts = [_text(record.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
            parts.append(_text(record.find("FOURTH_NAME")))
            primary = " ".join(p for p in parts if p and p != "na")
            original = _text(record.find("NAME_ORIGINAL_SCRIPT"))
            aliases = {_text(a.find("ALIAS_NAME")) for a in record.iter(alias_tag)}
            low = {_text(a.find("ALIAS_NAME")) for a in record.iter(alias_tag)
                   if _text(a.find("QUALITY")) == "Low"}  # fmt: skip
            view[_text(record.find("REFERENCE_NUMBER"))] = {
                "kind": kind,
                "original": original,
                "same_as_primary": original == primary,
                "aliases": aliases - {"", primary, original},
                "low": low - {"", primary, original},
            }
    return view


@pytest.fixture(scope="module")
def un_2026() -> ParsedList:
    return parse_un(shared_file(UN_2026))


@pytest.fixture(scope="module")
def un_2020() -> ParsedList:
    return parse_un(shared_file(UN_2020))


@pytest.mark.parametrize(
    ("relative", "individuals", "entities"), [(UN_2026, 730, 273), (UN_2020, 713, 305)]
)
def test_counts_match_an_independent_reading(
    relative: str, individuals: int, entities: int
) -> None:
    path = shared_file(relative)
    parsed = parse_un(path)
    view = independent_view(path)
    people = [d for d in parsed.designations if d.schema is Schema.PERSON]
    organisations = [d for d in parsed.designations if d.schema is Schema.ORGANIZATION]
    assert (len(people), len(organisations)) == (individuals, entities)
    assert sum(1 for v in view.values() if v["kind"] == "INDIVIDUAL") == individuals
    assert {d.reference for d in parsed.designations} == set(view)
    aliases = sum(len(v["aliases"]) for v in view.values())  # type: ignore[arg-type]
    # An original-script name spelled exactly like the primary name is the same name, kept once.
    originals = sum(1 for v in view.values() if v["original"] and not v["same_as_primary"])
    assert sum(len(d.names) - 1 for d in parsed.designations) == aliases + originals
    assert sum(1 for d in parsed.designations for n in d.names if n.original_script) == originals


@pytest.mark.parametrize("relative", [UN_2026, UN_2020])
def test_each_designation_has_exactly_the_listed_aliases(relative: str) -> None:
    path = shared_file(relative)
    view = independent_view(path)
    for designation in parse_un(path).designations:
        expected = view[designation.reference]
        others = {n.full for n in designation.names[1:] if not n.original_script}
        weak = {n.full for n in designation.names if n.quality is NameQuality.WEAK}
        assert others == expected["aliases"], designation.reference
        assert weak == expected["low"], designation.reference
        assert designation.names[0].quality is NameQuality.PRIMARY


def test_2026_version_and_provenance(un_2026: ParsedList) -> None:
    assert (un_2026.source, un_2026.format, un_2026.version) == ("un", "un-xml", "2026-02-27")
    assert un_2026.published_at == dt.datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=dt.UTC)
    assert un_2026.files == [
        (
            "un_consolidated_2026-02-27.xml",
            "66b392a4090868d2d39161e8d748efd39138377b0e6e60b7921aa67a4f99c8bf",
        )
    ]


def test_2020_keeps_its_utc_offset(un_2020: ParsedList) -> None:
    assert un_2020.version == "2020-11-30"
    assert un_2020.published_at is not None
    assert un_2020.published_at.utcoffset() == dt.timedelta(hours=-5)


def test_no_real_designation_is_delisted_and_all_have_a_listing_date(un_2026: ParsedList) -> None:
    assert all(d.delisted_on is None for d in un_2026.designations)
    assert all(d.listed_on is not None for d in un_2026.designations)
    assert all(d.programmes for d in un_2026.designations)


def _by_reference(parsed: ParsedList, reference: str) -> Designation:
    return next(d for d in parsed.designations if d.reference == reference)


def test_taliban_individual_with_a_birth_year_range(un_2026: ParsedList) -> None:
    found = _by_reference(un_2026, "TAi.165")
    assert found.names[0].full == "MOHAMMED QASIM MIR WALI KHUDAI RAHIM"
    assert found.birth_dates == [BirthDate(dt.date(1975, 1, 1), dt.date(1976, 12, 31))]
    assert found.nationalities == ["AF"]
    assert found.programmes == ["Taliban"]
    assert found.listed_on == dt.date(2012, 11, 21)
    assert found.source_id == "3000509"
    numbers = {(i.kind, i.number) for i in found.identifiers}
    assert numbers == {("national_id", "57388"), ("national_id", "665")}
    assert "Minar village, Garmser District, Helmand Province, Afghanistan" in found.birth_places
    assert "Title: Haji" in (found.remarks or "")


def test_car_individual_with_two_nationalities_and_passports(un_2026: ParsedList) -> None:
    found = _by_reference(un_2026, "CFi.002")
    assert found.nationalities == ["CF", "SD"]
    assert Identifier("passport", "D00001184", "CF") in found.identifiers
    assert Identifier("national_id", "20227088368", "SD") in found.identifiers
    years = {b.earliest.year for b in found.birth_dates}
    assert years == {1969, 1970, 1971}


def test_cyrillic_original_script_names_are_kept(un_2026: ParsedList) -> None:
    cyrillic = [
        n.full
        for d in un_2026.designations
        for n in d.names
        if n.original_script and any("а" <= ch <= "я" for ch in n.full.lower())
    ]
    assert "Умаров Доку Хаматович" in cyrillic
    assert len(cyrillic) == 11


def test_approximate_dates_are_flagged(un_2026: ParsedList) -> None:
    dates = [b for d in un_2026.designations for b in d.birth_dates]
    assert sum(1 for b in dates if b.approximate) >= 117
    assert any(b.earliest.year != b.latest.year for b in dates)


def test_unreadable_values_stay_visible_in_remarks(un_2026: ParsedList) -> None:
    remarks = "\n".join(d.remarks or "" for d in un_2026.designations)
    assert "Nationality as listed: former Soviet Union" in remarks
    assert "Date of birth as listed: 24/06/1402 (Hijri Calendar)" in remarks


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><LIST dateGenerated='2020-01-01T00:00:00Z'/>")
    with pytest.raises(InputError, match="CONSOLIDATED_LIST"):
        parse_un(path)


def test_record_without_reference_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_text(
        "<CONSOLIDATED_LIST dateGenerated='2020-01-01T00:00:00Z'><INDIVIDUALS>\n"
        "<INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(InputError, match=r"list\.xml:2: INDIVIDUAL has no REFERENCE_NUMBER"):
        parse_un(path)


def test_missing_date_generated_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_text("<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>")
    with pytest.raises(InputError, match="dateGenerated"):
        parse_files([path])


def test_source_can_be_renamed() -> None:
    parsed = parse_files([shared_file(UN_2020)], format="un-xml", source="un-2020")
    assert {d.source for d in parsed.designations} == {"un-2020"}
    assert parsed.source == "un-2020"
