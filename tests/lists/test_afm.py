"""The AFM list parser on the project's fictional fixture and on small hand-made variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR, parse_files
from finmon.lists.afm import KAZAKHSTAN_TIME, parse_afm
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.lists.reading import digest_of
from finmon.model import BirthDate, Designation, Gender, NameQuality, ParsedList, Schema

FIXTURE = FIXTURE_DIR / "afm_list_fixture.xml"


@pytest.fixture(scope="module")
def afm() -> ParsedList:
    return parse_afm(FIXTURE)


def _named(parsed: ParsedList, fragment: str) -> Designation:
    return next(d for d in parsed.designations if fragment in d.caption)


def test_fixture_shape(afm: ParsedList) -> None:
    assert (afm.source, afm.format, afm.version) == ("afm", "afm-xml", "2025-11-03")
    assert afm.published_at == dt.datetime(2025, 11, 3, tzinfo=KAZAKHSTAN_TIME)
    persons = [d for d in afm.designations if d.schema is Schema.PERSON]
    organisations = [d for d in afm.designations if d.schema is Schema.ORGANIZATION]
    assert (len(persons), len(organisations)) == (13, 4)
    assert afm.files == [(FIXTURE.name, digest_of(FIXTURE))]


def test_fixture_covers_kazakh_letters_and_patronymics(afm: ParsedList) -> None:
    text = " ".join(n.full for d in afm.designations for n in d.names)
    assert set("ӘҒҚҢӨҰҮҺІ") <= set(text.upper())
    for ending in ("ұлы", "қызы", "ович", "овна"):
        assert ending in text.lower()


def test_person_name_is_surname_first(afm: ParsedList) -> None:
    person = _named(afm, "Жұмағалиев")
    assert person.caption == "Жұмағалиев Әлихан Серікұлы"
    assert person.birth_dates == [BirthDate.exact(dt.date(1987, 3, 15))]
    assert person.listed_on == dt.date(2019, 5, 12)
    assert person.gender is Gender.MALE
    assert person.reference == "iin:870315353053"
    assert person.programmes == ["AFM category 1"]
    [iin] = person.identifiers
    assert (iin.kind, iin.number, iin.country, iin.note) == ("iin", "870315353053", "KZ", None)


def test_every_fixture_iin_except_the_typo_is_valid(afm: ParsedList) -> None:
    numbers = [i for d in afm.designations for i in d.identifiers]
    invalid = [i for i in numbers if not is_valid_iin_bin(i.number)]
    assert len(numbers) >= 12
    assert [i.number for i in invalid] == ["820611359915"]
    assert invalid[0].note is not None and "not a valid IIN" in invalid[0].note
    assert all(i.note is None for i in numbers if i not in invalid)


def test_invalid_iin_is_kept_but_not_trusted(afm: ParsedList) -> None:
    person = _named(afm, "Ғабитов")
    assert person.identifiers[0].number == "820611359915"
    assert person.gender is None
    assert person.reference.startswith("name:")


def test_organisation_names_split_on_semicolons(afm: ParsedList) -> None:
    org = _named(afm, "Ақ Жол Үмбеті")
    assert [n.full for n in org.names] == [
        "«Ақ Жол Үмбеті» діни бірлестігі",
        "Религиозное объединение «Умбет Ак Жол»",
        "Aq Zhol Ummeti",
        "Ak Zhol Ummah",
        "Umbet Ak Zhol",
    ]
    assert org.names[0].quality is NameQuality.PRIMARY
    assert {n.quality for n in org.names[1:]} == {NameQuality.STRONG}


def test_category_two_org_holding_a_person(afm: ParsedList) -> None:
    person = _named(afm, "ТӨЛЕУОВ")
    assert person.schema is Schema.PERSON
    assert person.programmes == ["AFM category 2"]
    assert person.identifiers[0].kind == "iin"
    assert person.birth_dates == [BirthDate.exact(dt.date(2000, 1, 1))]
    assert _named(afm, "ҺАШИМОВА").gender is Gender.FEMALE
    assert _named(afm, "ҒАЗИЗОВ").schema is Schema.PERSON


def test_bin_in_org_iin_makes_an_organisation(afm: ParsedList) -> None:
    org = _named(afm, "Құрылыс-Сервис")
    assert org.schema is Schema.ORGANIZATION
    assert [(i.kind, i.number) for i in org.identifiers] == [("bin", "181140548106")]
    assert org.reference == "bin:181140548106"


def test_references_are_unique_and_stable(afm: ParsedList) -> None:
    references = [d.reference for d in afm.designations]
    assert len(set(references)) == len(references)
    assert references == [d.reference for d in parse_afm(FIXTURE).designations]


def _write(tmp_path: Path, body: str, root: str = "<list>") -> Path:
    path = tmp_path / "afm.xml"
    closing = "</" + root[1:].split()[0].rstrip(">") + ">"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{root}\n{body}\n{closing}', "utf-8")
    return path


def test_without_a_date_the_version_is_the_digest(tmp_path: Path) -> None:
    path = _write(tmp_path, "<person><fname>Арман</fname><lname>Сейітов</lname></person>")
    parsed = parse_afm(path)
    assert parsed.version == digest_of(path)[:12]
    assert parsed.published_at is None


def test_date_attribute_variants(tmp_path: Path) -> None:
    body = "<person><fname>Арман</fname><lname>Сейітов</lname></person>"
    dotted = parse_afm(_write(tmp_path, body, "<export created='01.12.2025'>"))
    stamped = parse_afm(_write(tmp_path, body, "<export dateGenerated='2025-12-01T10:00:00Z'>"))
    assert dotted.version == stamped.version == "2025-12-01"
    assert stamped.published_at == dt.datetime(2025, 12, 1, 10, tzinfo=dt.UTC)


def test_birth_date_disagreeing_with_iin_is_noted(tmp_path: Path) -> None:
    body = (
        "<person><fname>A</fname><lname>B</lname><birthdate>01.01.1990</birthdate>"
        "<iin>870315353053</iin></person>"
    )
    person = parse_afm(_write(tmp_path, body)).designations[0]
    assert person.birth_dates == [BirthDate.exact(dt.date(1990, 1, 1))]
    assert "1987-03-15" in (person.remarks or "")


def test_repeated_record_gets_a_distinct_reference(tmp_path: Path) -> None:
    record = "<person><fname>Арман</fname><lname>Сейітов</lname><iin>870315353053</iin></person>"
    parsed = parse_afm(_write(tmp_path, record + record))
    assert [d.reference for d in parsed.designations] == [
        "iin:870315353053",
        "iin:870315353053#2",
    ]


def test_empty_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no <person> or <org> records"):
        parse_afm(_write(tmp_path, ""))


def test_record_without_name_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "<person><fname>A</fname><lname>B</lname></person>\n<person/>")
    with pytest.raises(InputError, match=r"afm\.xml:4: AFM record without a name"):
        parse_afm(path)


def test_unreadable_birth_date_stays_in_remarks(tmp_path: Path) -> None:
    body = "<person><fname>A</fname><lname>B</lname><birthdate>около 1980</birthdate></person>"
    person = parse_afm(_write(tmp_path, body)).designations[0]
    assert person.birth_dates == []
    assert "около 1980" in (person.remarks or "")


def test_detected_and_parsed_through_the_front_door() -> None:
    assert len(parse_files([FIXTURE]).designations) == 17


def test_namespaced_export_is_read(tmp_path: Path) -> None:
    body = (
        "<person><fname>Арман</fname><lname>Сейітов</lname></person>"
        "<org><org_name>ӘЛІБЕКОВ ҚАНАТ</org_name><org_iin/></org>"
    )
    parsed = parse_afm(_write(tmp_path, body, "<list xmlns='urn:example:afm'>"))
    assert [(d.caption, d.schema) for d in parsed.designations] == [
        ("Сейітов Арман", Schema.PERSON),
        ("ӘЛІБЕКОВ ҚАНАТ", Schema.PERSON),
    ]
