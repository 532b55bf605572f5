"""Country names, codes, demonyms and Russian/Kazakh names mapped to ISO alpha-2."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET

import pytest

from finmon.countries import countries_in, is_country_name, to_iso2
from tests.conftest import shared_file

# Values on the real lists that name no current country: they must stay unmapped (and visible).
NOT_A_COUNTRY = {
    "na",
    "USSR (until 1991)",
    "former Soviet Union",
    "-0-",
    "undetermined",
    "None Identified",
    "Region: Kafia Kingi",
    "Region: Commonwealth of Independent States",
    "Netherlands Antilles",
}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran (Islamic Republic of)", "IR"),
        ("Syrian Arab Republic", "SY"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Russian Federation", "RU"),
        ("United Republic of Tanzania", "TZ"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("State of Palestine", "PS"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Kosovo", "XK"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Viet Nam", "VN"),
        ("United Kingdom of Great Britain and Northern\nIreland", "GB"),
        ("Korea, North", "KP"),
        ("Korea, South", "KR"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Bahamas, The", "BS"),
        ("Man, Isle of", "IM"),
        ("St. Kitts & Nevis", "KN"),
        ("Cote d Ivoire", "CI"),
        ("Burma", "MM"),
        ("Region: Gaza", "PS"),
        ("Kazakhstan", "KZ"),
        ("KZ", "KZ"),
        ("KAZ", "KZ"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Tunisian", "TN"),
        ("Pakistani", "PK"),
    ],
)
def test_english_names_and_codes(text: str, code: str) -> None:
    assert to_iso2(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Казахстан", "KZ"),
        ("Қазақстан", "KZ"),
        ("Республика Казахстан", "KZ"),
        ("Россия", "RU"),
        ("Российская Федерация", "RU"),
        ("Ресей", "RU"),
        ("Кыргызстан", "KG"),
        ("Қырғызстан", "KG"),
        ("Узбекистан", "UZ"),
        ("Өзбекстан", "UZ"),
        ("Таджикистан", "TJ"),
        ("Тәжікстан", "TJ"),
        ("Туркменистан", "TM"),
        ("Афганистан", "AF"),
        ("Ауғанстан", "AF"),
        ("Сирия", "SY"),
        ("Ирак", "IQ"),
        ("Турция", "TR"),
        ("Түркия", "TR"),
        ("Объединённые Арабские Эмираты", "AE"),
        ("КНДР", "KP"),
    ],
)
def test_russian_and_kazakh_names(text: str, code: str) -> None:
    assert to_iso2(text) == code


@pytest.mark.parametrize(
    "text", ["", "   ", "na", "Atlantis", "unknown", "USSR (until 1991)", "zz"]
)
def test_unknown_is_none(text: str) -> None:
    assert to_iso2(text) is None


def test_none_is_none() -> None:
    assert to_iso2(None) is None
    assert countries_in(None) == []


def test_lowercase_two_letters_are_not_codes_but_uppercase_are() -> None:
    assert to_iso2("na") is None
    assert to_iso2("NA") == "NA"


def test_several_countries_in_one_value() -> None:
    assert countries_in("Sudan/South Sudan") == ["SD", "SS"]
    assert countries_in("Sudan/or South Sudan") == ["SD", "SS"]
    assert countries_in("Iran / unknown") == ["IR"]
    assert countries_in("Trinidad and Tobago") == ["TT"]


def test_qualified_values_map_but_are_not_plain_names() -> None:
    assert to_iso2("Kuwaiti citizenship withdrawn in 2002") == "KW"
    assert not is_country_name("Kuwaiti citizenship withdrawn in 2002")
    assert is_country_name("Iran (Islamic Republic of)")
    assert not is_country_name("")


def _un_country_values(relative: str) -> set[str]:
    root = ET.parse(shared_file(relative)).getroot()
    values = {(v.text or "").strip() for v in root.iterfind(".//NATIONALITY/VALUE")}
    for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS", "INDIVIDUAL_PLACE_OF_BIRTH"):
        values |= {(node.findtext("COUNTRY") or "").strip() for node in root.iter(tag)}
    for node in root.iter("INDIVIDUAL_DOCUMENT"):
        for tag in ("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"):
            values.add((node.findtext(tag) or "").strip())
    return {v for v in values if v}


@pytest.mark.parametrize(
    "relative", ["lists/un_consolidated_2026-02-27.xml", "lists/un_consolidated_2020-11-30.xml"]
)
def test_every_country_on_the_real_un_lists_maps(relative: str) -> None:
    values = _un_country_values(relative)
    unmapped = {v for v in values if not countries_in(v)}
    assert len(values) > 60
    assert unmapped <= NOT_A_COUNTRY, unmapped


def test_every_country_on_the_real_ofac_lists_maps() -> None:
    values: set[str] = set()
    for name in (
        "ofac_sdn_add_2021-07.csv",
        "ofac_sdn_add_2025-02.csv",
        "ofac_cons_add_2025-12.csv",
    ):
        with shared_file(f"lists/{name}").open(encoding="utf-8") as handle:
            values |= {row[4].strip() for row in csv.reader(handle) if len(row) == 6}
    with shared_file("lists/ofac_sdn_2021-07.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            for found in re.finditer(r"(?:nationality|citizen) ([^;]+?)\.?(?:;|$)", row[-1]):
                values.add(found.group(1).strip())
    unmapped = {v for v in values if not countries_in(v)}
    assert len(values) > 150
    assert unmapped <= NOT_A_COUNTRY, unmapped
