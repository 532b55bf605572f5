"""PAXLST manifests: envelope, service characters, travellers and refusals of malformed files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Schema
from finmon.travel.paxlst import Document, Leg, Manifest, Traveller, read_paxlst

TODAY = dt.date(2024, 6, 1)

KC901 = """\
UNA:+.? '
UNB+UNOA:4+KCAIR:ZZ+KZBORDER:ZZ+240601:0730+000000123'
UNG+PAXLST+KCAIR:ZZ+KZBORDER:ZZ+240601:0730+1+UN+D:05B'
UNH+M001+PAXLST:D:05B:UN:IATA+KC901/240601/1030+01:F'
BGM+745'
NAD+MS+++AIR ASTANA OPERATIONS'
COM+77272584136:TE'
TDT+20+KC901+++KC'
LOC+125+ALA'
DTM+189:2406011030:201'
LOC+87+IST'
DTM+232:2406011415:201'
NAD+FL+++ZHAKSYLYKOV:ERLAN:SERIKULY'
ATT+2++M'
DTM+329:870815'
LOC+22+IST'
LOC+178+ALA'
LOC+179+IST'
NAT+2+KAZ'
RFF+AVF:ABC123'
DOC+P:110:111+N12345678'
DTM+36:300101'
LOC+91+KAZ'
DOC+I:110:111+045678912'
DTM+36:280520'
LOC+91+KAZ'
NAD+FL+++IVANOVA:OLGA:SERGEEVNA'
ATT+2++F'
DTM+329:920302'
LOC+178+ALA'
LOC+179+IST'
NAT+2+RUS'
RFF+AVF:XYZ789'
DOC+P:110:111+753123456'
DTM+36:290611'
LOC+91+RUS'
NAD+FL+++NURLANKYZY:AIGERIM'
ATT+2++F'
DTM+329:050117'
FTX+AAI+++SEAT 12A'
LOC+178+ALA'
LOC+179+IST'
NAT+2+KAZ'
RFF+AVF:ABC123'
DOC+P:110:111+N09876543'
DTM+36:340117'
LOC+91+KAZ'
NAD+FM+++SMAGULOV:DAURENBEK'
ATT+2++M'
DTM+329:741103'
LOC+178+ALA'
LOC+179+IST'
NAT+2+KAZ'
DOC+P:110:111+N55511122'
DTM+36:270909'
LOC+91+KAZ'
NAD+FM+++D?'YAKONOVA:YELENA'
ATT+2++F'
DTM+329:000229'
NAT+2+KAZ'
DOC+P+N44433322'
DTM+36:310228'
LOC+91+KAZ'
CNT+42:3'
UNT+62+M001'
UNE+1+1'
UNZ+1+000000123'
"""
"""Air Astana KC901 Almaty -> Istanbul: three passengers and two crew, one line a segment."""

CUSTOM = """\
UNA*^.! ~
UNB^UNOC*4^KCAIR^KZBORDER^240602*0800^REF42~
UNH^A1^PAXLST*D*05B*UN*IATA~
BGM^745~
TDT^20^KC7~
LOC^125^ALA~
DTM^189*2406020900*201~
LOC^87^NQZ~
DTM^232*2406021045*201~
TDT^20^KC7~
LOC^125^NQZ~
DTM^189*2406021200*201~
LOC^87^FRA~
DTM^232*2406021530*201~
NAD^DDU^^^O!~NEIL*SEAN!!*PATRICK~
ATT^2^^M~
DTM^329*19800512*102~
NAT^2^IRL~
RFF^AVF*Q!*W!^1~
DOC^P^PA1234567~
LOC^91^IRL~
UNT^20^A1~
UNH^A2^PAXLST*D*05B*UN*IATA~
BGM^250~
TDT^20^KC8~
LOC^125^FRA~
DTM^189*202406031700*203~
LOC^87^ALA~
NAD^DDT^^^MULLER*ANNA~
ATT^2^^X~
NAT^2^DEU~
DOC^P^C01X00T47~
UNT^11^A2~
UNZ^2^REF42~
"""
"""Service characters * ^ . ! ~: two messages, a two-leg flight, a released terminator in a name."""


def _write(tmp_path: Path, text: str, name: str = "manifest.edi", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def _read(tmp_path: Path, text: str, **kwargs: str) -> list[Manifest]:
    return read_paxlst(_write(tmp_path, text, **kwargs), today=TODAY)


def _number(text: str, line: str) -> int:
    """The segment number of a line of a one-segment-a-line manifest (1-based)."""
    return text.splitlines().index(line) + 1


def _refused(tmp_path: Path, text: str, number: int, tag: str, words: str) -> str:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'manifest.edi'}: segment {number} ({tag}): "), message
    assert words in message
    return message


def _without_una(text: str) -> str:
    return text.split("\n", 1)[1]


def test_flight_of_the_manifest(tmp_path: Path) -> None:
    [manifest] = _read(tmp_path, KC901)
    assert manifest.flight == "KC901"
    assert manifest.message_reference == "M001"
    assert manifest.departure_airport == "ALA"
    assert manifest.arrival_airport == "IST"
    assert manifest.departure_time == dt.datetime(2024, 6, 1, 10, 30)
    assert manifest.arrival_time == dt.datetime(2024, 6, 1, 14, 15)
    assert manifest.legs == [Leg("ALA", "IST")]
    assert manifest.legs == [("ALA", "IST")]
    assert [t.role for t in manifest.travellers] == ["passenger"] * 3 + ["crew"] * 2


def test_passenger_with_two_documents(tmp_path: Path) -> None:
    erlan = _read(tmp_path, KC901)[0].travellers[0]
    assert erlan == Traveller(
        role="passenger",
        surname="ZHAKSYLYKOV",
        given_names="ERLAN SERIKULY",
        sex="M",
        birth_date=BirthDate.exact(dt.date(1987, 8, 15)),
        nationality="KZ",
        nationality_code="KAZ",
        documents=[
            Document("P", "N12345678", dt.date(2030, 1, 1), "KZ"),
            Document("I", "045678912", dt.date(2028, 5, 20), "KZ"),
        ],
        pnr="ABC123",
        embarkation="ALA",
        debarkation="IST",
    )
    assert erlan.full_name == "ERLAN SERIKULY ZHAKSYLYKOV"
    assert erlan.documents[0] == ("P", "N12345678", dt.date(2030, 1, 1), "KZ")


def test_every_traveller(tmp_path: Path) -> None:
    _erlan, olga, aigerim, daurenbek, yelena = _read(tmp_path, KC901)[0].travellers
    assert olga == Traveller(
        "passenger",
        "IVANOVA",
        "OLGA SERGEEVNA",
        "F",
        BirthDate.exact(dt.date(1992, 3, 2)),
        "RU",
        "RUS",
        [Document("P", "753123456", dt.date(2029, 6, 11), "RU")],
        "XYZ789",
        "ALA",
        "IST",
    )
    assert aigerim == Traveller(
        "passenger",
        "NURLANKYZY",
        "AIGERIM",
        "F",
        BirthDate.exact(dt.date(2005, 1, 17)),
        "KZ",
        "KAZ",
        [Document("P", "N09876543", dt.date(2034, 1, 17), "KZ")],
        "ABC123",
        "ALA",
        "IST",
    )
    assert daurenbek == Traveller(
        "crew",
        "SMAGULOV",
        "DAURENBEK",
        "M",
        BirthDate.exact(dt.date(1974, 11, 3)),
        "KZ",
        "KAZ",
        [Document("P", "N55511122", dt.date(2027, 9, 9), "KZ")],
        None,
        "ALA",
        "IST",
    )
    # ?' is a released apostrophe; 000229 is 29 February 2000, the century not in the future.
    assert yelena == Traveller(
        "crew",
        "D'YAKONOVA",
        "YELENA",
        "F",
        BirthDate.exact(dt.date(2000, 2, 29)),
        "KZ",
        "KAZ",
        [Document("P", "N44433322", dt.date(2031, 2, 28), "KZ")],
    )


def test_to_party(tmp_path: Path) -> None:
    travellers = _read(tmp_path, KC901)[0].travellers
    party = travellers[0].to_party("KC901-20240601-1")
    assert party.id == "KC901-20240601-1"
    assert party.names == ["ERLAN SERIKULY ZHAKSYLYKOV", "ZHAKSYLYKOV ERLAN SERIKULY"]
    assert party.schema is Schema.PERSON
    assert party.birth_dates == [BirthDate.exact(dt.date(1987, 8, 15))]
    assert party.birth_dates[0].is_exact
    assert party.nationalities == ["KZ"]
    assert party.identifiers == [
        Identifier("passport", "N12345678", "KZ"),
        Identifier("id_card", "045678912", "KZ"),
    ]
    assert party.gender is Gender.MALE
    assert travellers[1].to_party("2").gender is Gender.FEMALE
    only_surname = Traveller("crew", "MADONNA", "")
    assert only_surname.full_name == "MADONNA"
    bare = only_surname.to_party("3")
    assert (bare.names, bare.birth_dates, bare.nationalities, bare.identifiers) == (
        ["MADONNA"],
        [],
        [],
        [],
    )
    assert bare.gender is None


def test_without_una_on_one_line(tmp_path: Path) -> None:
    text = _without_una(KC901).replace("\n", "")
    assert _read(tmp_path, text) == _read(tmp_path, KC901, name="with_una.edi")


def test_crlf_line_breaks(tmp_path: Path) -> None:
    crlf = _read(tmp_path, KC901, newline="\r\n")
    assert crlf == _read(tmp_path, KC901, name="lf.edi")


def _born(tmp_path: Path, dtm: str, today: dt.date = TODAY) -> BirthDate | None:
    """The birth date of KC901's third traveller written as `dtm`."""
    text = KC901.replace("DTM+329:050117'", f"{dtm}'")
    return read_paxlst(_write(tmp_path, text), today=today)[0].travellers[2].birth_date


def test_birth_century_not_in_the_future(tmp_path: Path) -> None:
    assert _born(tmp_path, "DTM+329:250117") == BirthDate.exact(dt.date(1925, 1, 17))
    later = _born(tmp_path, "DTM+329:250117", today=dt.date(2025, 1, 17))
    assert later == BirthDate.exact(dt.date(2025, 1, 17))


@pytest.mark.parametrize(
    ("dtm", "born"),
    [
        # An unknown day or month, as manifests write it: 00 (or XX) leaves the month or year open.
        ("DTM+329:870800", BirthDate(dt.date(1987, 8, 1), dt.date(1987, 8, 31))),
        ("DTM+329:870000", BirthDate.year(1987)),
        ("DTM+329:8708XX", BirthDate(dt.date(1987, 8, 1), dt.date(1987, 8, 31))),
        ("DTM+329:19870000:102", BirthDate.year(1987)),
        ("DTM+329:20000200", BirthDate(dt.date(2000, 2, 1), dt.date(2000, 2, 29))),
        # Year and month, or the year alone, in their own formats.
        ("DTM+329:198708:610", BirthDate(dt.date(1987, 8, 1), dt.date(1987, 8, 31))),
        ("DTM+329:1987:602", BirthDate.year(1987)),
        ("DTM+329:1987", BirthDate.year(1987)),
        # The century: the interval may not start after today (2024-06-01).
        ("DTM+329:240600", BirthDate(dt.date(2024, 6, 1), dt.date(2024, 6, 30))),
        ("DTM+329:240700", BirthDate(dt.date(1924, 7, 1), dt.date(1924, 7, 31))),
    ],
)
def test_birth_date_with_unknown_parts(tmp_path: Path, dtm: str, born: BirthDate) -> None:
    assert _born(tmp_path, dtm) == born


def test_custom_service_characters_and_two_messages(tmp_path: Path) -> None:
    first, second = _read(tmp_path, CUSTOM, newline="\r\n")
    assert first == Manifest(
        flight="KC7",
        departure_airport="ALA",
        arrival_airport="FRA",
        departure_time=dt.datetime(2024, 6, 2, 9, 0),
        arrival_time=dt.datetime(2024, 6, 2, 15, 30),
        legs=[Leg("ALA", "NQZ"), Leg("NQZ", "FRA")],
        travellers=[
            Traveller(
                role="passenger",
                surname="O~NEIL",
                given_names="SEAN! PATRICK",
                sex="M",
                birth_date=BirthDate.exact(dt.date(1980, 5, 12)),
                nationality="IE",
                nationality_code="IRL",
                documents=[Document("P", "PA1234567", None, "IE")],
                pnr="Q*W^1",
            )
        ],
        message_reference="A1",
    )
    assert second == Manifest(
        flight="KC8",
        departure_airport="FRA",
        arrival_airport="ALA",
        departure_time=dt.datetime(2024, 6, 3, 17, 0),
        arrival_time=None,
        legs=[Leg("FRA", "ALA")],
        travellers=[
            Traveller(
                role="crew",
                surname="MULLER",
                given_names="ANNA",
                sex="U",
                nationality="DE",
                nationality_code="DEU",
                documents=[Document("P", "C01X00T47", None, None)],
            )
        ],
        message_reference="A2",
    )


def test_unknown_segments_and_codes_are_kept_nowhere(tmp_path: Path) -> None:
    text = KC901.replace("FTX+AAI+++SEAT 12A'", "QQQ+1+2:3+?+?:'").replace(
        "NAT+2+RUS'", "NAT+2+XXX'"
    )
    olga = _read(tmp_path, text)[0].travellers[1]
    assert (olga.nationality, olga.nationality_code) == (None, "XXX")


def test_names_codes_and_documents_as_airlines_also_write_them(tmp_path: Path) -> None:
    # A name in one component the PNR way, an ICAO state code copied from the passport (D is
    # Germany), an alpha-2 code, and a visa beside the passport.
    text = (
        KC901.replace("NAD+FL+++IVANOVA:OLGA:SERGEEVNA'", "NAD+FL+++IVANOVA/OLGA SERGEEVNA'")
        .replace("NAT+2+RUS'", "NAT+2+D'")
        .replace("LOC+91+RUS'", "LOC+91+GBD'DOC+V+K7654321'")
        .replace("NAT+2+KAZ'\nRFF+AVF:ABC123'\nDOC+P", "NAT+2+kz'\nRFF+AVF:ABC123'\nDOC+P", 1)
        .replace("UNT+62+M001'", "UNT+63+M001'")
    )
    erlan, olga = _read(tmp_path, text)[0].travellers[:2]
    assert (olga.surname, olga.given_names) == ("IVANOVA", "OLGA SERGEEVNA")
    assert (olga.nationality, olga.nationality_code) == ("DE", "D")
    assert (erlan.nationality, erlan.nationality_code) == ("KZ", "KZ")
    assert olga.to_party("2").identifiers == [
        Identifier("passport", "753123456", "GB"),
        Identifier("visa", "K7654321", None),
    ]
    refused = text.replace("NAD+FL+++IVANOVA/OLGA SERGEEVNA'", "NAD+FL+++/OLGA'")
    _refused(tmp_path, refused, _number(refused, "NAD+FL+++/OLGA'"), "NAD", "no surname before")


@pytest.mark.parametrize(
    ("syntax", "codec", "name"),
    [("UNOC", "iso8859-1", "MÜLLER"), ("UNOE", "iso8859-5", "ИВАНОВА"), ("UNOY", "utf-8", "ŞAHİN")],
)
def test_the_character_set_unb_names(tmp_path: Path, syntax: str, codec: str, name: str) -> None:
    text = KC901.replace("UNOA:4", f"{syntax}:4").replace("IVANOVA:", f"{name}:")
    path = tmp_path / "manifest.edi"
    path.write_bytes(text.encode(codec))
    assert read_paxlst(path, today=TODAY)[0].travellers[1].surname == name
    # The same bytes declared as UTF-8 (UNOA) are refused, naming the file and the place.
    if codec != "utf-8":
        path.write_bytes(text.replace(f"{syntax}:4", "UNOA:4").encode(codec))
        with pytest.raises(InputError, match=r"manifest\.edi.*(line|byte)"):
            read_paxlst(path, today=TODAY)
        # An encoding given outright is used whatever UNB says.
        assert read_paxlst(path, codec, TODAY)[0].travellers[1].surname == name


def test_bare_messages_without_the_interchange_envelope(tmp_path: Path) -> None:
    envelope = ("UNA", "UNB+", "UNG+", "UNE+", "UNZ+")
    bare = "\n".join(line for line in KC901.splitlines() if not line.startswith(envelope))
    assert bare.startswith("UNH+M001")
    assert _read(tmp_path, bare + "\n") == _read(tmp_path, KC901, name="whole.edi")


def test_sex_written_as_a_word(tmp_path: Path) -> None:
    text = KC901.replace("ATT+2++F'", "ATT+2++FEMALE'", 1).replace("ATT+2++M'", "ATT+2++male'", 1)
    erlan, olga = _read(tmp_path, text)[0].travellers[:2]
    assert (erlan.sex, olga.sex) == ("M", "F")
    _refused(tmp_path, KC901.replace("ATT+2++F'", "ATT+2++W'", 1), 28, "ATT", "not a sex")


def test_interchange_without_messages(tmp_path: Path) -> None:
    assert _read(tmp_path, "UNB+UNOA:4+A+B+240601:0730+9'UNZ+0+9'") == []


# Malformed files: each refused, naming the file, the segment number and its tag.


def test_bad_birth_date(tmp_path: Path) -> None:
    text = _without_una(KC901).replace("DTM+329:870815'", "DTM+329:870845'")
    message = _refused(tmp_path, text, 14, "DTM", "'870845' is not a date YYMMDD")
    assert message.endswith("manifest.edi: segment 14 (DTM): '870845' is not a date YYMMDD")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("DTM+36:300101'", "DTM+36:3001'", "'3001' is not a date YYMMDD"),
        ("DTM+329:920302'", "DTM+329:19920332:102'", "'19920332' is not a date CCYYMMDD"),
        ("DTM+329:920302'", "DTM+329:920302:999'", "date format '999'"),
        ("DTM+329:920302'", "DTM+329:921302'", "'921302' is not a date YYMMDD"),
        ("DTM+329:920302'", "DTM+329:9203X1'", "'9203X1' is not a date YYMMDD"),
        ("DTM+329:920302'", "DTM+329:19920300:610'", "'19920300' is not a date CCYYMM"),
        ("DTM+36:290611'", "DTM+36:290600'", "'290600' is not a date YYMMDD"),
        ("DTM+189:2406011030:201'", "DTM+189:2406011075:201'", "not a date and time"),
        ("DTM+232:2406011415:201'", "DTM+232:24060114:201'", "not a date and time"),
        ("DTM+329:920302'", "DTM+329'", "DTM+329 has no date"),
    ],
)
def test_bad_dates(tmp_path: Path, old: str, new: str, words: str) -> None:
    text = KC901.replace(old, new)
    _refused(tmp_path, text, _number(text, new), "DTM", words)


def test_birth_date_in_the_future(tmp_path: Path) -> None:
    text = KC901.replace("DTM+329:920302'", "DTM+329:20300101:102'")
    _refused(tmp_path, text, 29, "DTM", "a birth date in the future")


@pytest.mark.parametrize(
    ("old", "new", "tag", "words"),
    [
        ("NAD+FL+++IVANOVA:OLGA:SERGEEVNA'", "NAD+FL'", "NAD", "NAD+FL has no traveller name"),
        ("NAD+FL+++IVANOVA:OLGA:SERGEEVNA'", "NAD+FL+++:OLGA'", "NAD", "no traveller name"),
        ("TDT+20+KC901+++KC'", "TDT+20'", "TDT", "TDT+20 has no flight id"),
        ("DOC+P:110:111+753123456'", "DOC+P:110:111'", "DOC", "no document number"),
        ("DOC+P:110:111+753123456'", "DOC++753123456'", "DOC", "no document type"),
        ("ATT+2++F'", "ATT+2++Q'", "ATT", "'Q' is not a sex"),
        ("ATT+2++F'", "ATT+2'", "ATT", "ATT+2 has no sex"),
        ("NAT+2+RUS'", "NAT+2'", "NAT", "no nationality"),
        ("RFF+AVF:XYZ789'", "RFF+AVF'", "RFF", "no PNR locator"),
        ("LOC+178+ALA'", "LOC+178'", "LOC", "no port of embarkation"),
        ("LOC+125+ALA'", "LOC+125'", "LOC", "no departure airport"),
    ],
)
def test_required_element_missing(tmp_path: Path, old: str, new: str, tag: str, words: str) -> None:
    text = KC901.replace(old, new, 1)
    _refused(tmp_path, text, _number(text, new), tag, words)


def test_unterminated_segment(tmp_path: Path) -> None:
    text = KC901.removesuffix("'\n")
    _refused(tmp_path, text, 67, "UNZ", 'not ended by "\'"')


def test_release_character_at_the_end(tmp_path: Path) -> None:
    text = KC901.removesuffix("'\n") + "?"
    _refused(tmp_path, text, 67, "UNZ", "ends in a release character")


@pytest.mark.parametrize(
    ("una", "words"),
    [
        ("UNA::.? '", "repeat a separator"),
        ("UNA:+.?x'", "reserved service character"),
        ("UNA:+;? '", "decimal mark"),
        ("UNA:A.? '", "letter, digit or space"),
        ("UNA:+", "six service characters"),
    ],
)
def test_unknown_una_layout(tmp_path: Path, una: str, words: str) -> None:
    _refused(tmp_path, una + "\n" + _without_una(KC901), 1, "UNA", words)


def test_una_cut_short_at_the_end(tmp_path: Path) -> None:
    _refused(tmp_path, "UNA:+.", 1, "UNA", "six service characters")


def test_una_later_in_the_file(tmp_path: Path) -> None:
    text = KC901.replace("BGM+745'", "UNA+745'")
    _refused(tmp_path, text, 5, "UNA", "only stand at the very start")


def test_unt_count_mismatch(tmp_path: Path) -> None:
    text = KC901.replace("UNT+62+M001'", "UNT+61+M001'")
    _refused(tmp_path, text, 65, "UNT", "counts 61 segments, but UNH (segment 4) to UNT hold 62")
    text = KC901.replace("FTX+AAI+++SEAT 12A'\n", "")
    _refused(tmp_path, text, 64, "UNT", "hold 61")


@pytest.mark.parametrize(
    ("old", "new", "tag", "words"),
    [
        ("UNT+62+M001'", "UNT+62+M002'", "UNT", "'M002' does not match UNH's 'M001'"),
        ("UNE+1+1'", "UNE+1+7'", "UNE", "'7' does not match UNG's '1'"),
        ("UNE+1+1'", "UNE+2+1'", "UNE", "count '2' does not match the 1 held"),
        ("UNZ+1+000000123'", "UNZ+1+000000124'", "UNZ", "does not match UNB's '000000123'"),
        ("UNZ+1+000000123'", "UNZ+3+000000123'", "UNZ", "count '3'"),
    ],
)
def test_control_reference_mismatch(
    tmp_path: Path, old: str, new: str, tag: str, words: str
) -> None:
    text = KC901.replace(old, new)
    _refused(tmp_path, text, _number(text, new), tag, words)


def test_text_outside_any_message(tmp_path: Path) -> None:
    text = KC901.replace("UNE+1+1'", "CNT+42:3'\nUNE+1+1'")
    _refused(tmp_path, text, 66, "CNT", "outside any message")
    text = KC901.replace("UNG+", "BGM+745'\nUNG+")
    _refused(tmp_path, text, 3, "BGM", "outside any message")
    text = KC901 + "PASSENGERS FOLLOW'"
    _refused(tmp_path, text, 68, "PASSENGERS FOLLOW", "is not a segment tag")


@pytest.mark.parametrize(
    ("text", "number", "tag", "words"),
    [
        ("UNB+UNOA:4+A+B+1:2+9'UNZ+0+9'UNH+1+PAXLST'", 3, "UNH", "outside any UNB interchange"),
        ("UNH+1+PAXLST:D:05B:UN:IATA'", 1, "UNH", "ends before UNT closes this UNH"),
        ("UNB+UNOA:4+A+B+240601:0730+9'", 1, "UNB", "ends before UNZ closes this UNB"),
        ("UNB+UNOA:4+A+B+240601:0730'UNZ+0'", 1, "UNB", "no interchange control reference"),
        ("UNB+UNOA:4+A+B+1:2+9'UNH+1+PAXLST'", 2, "UNH", "ends before UNT closes this UNH"),
        ("UNB+UNOA:4+A+B+1:2+9'UNH+1+CUSRES'", 2, "UNH", "'CUSRES' is not PAXLST"),
        ("UNB+UNOA:4+A+B+1:2+9'UNH++PAXLST'", 2, "UNH", "no message reference"),
        ("UNB+UNOA:4+A+B+1:2+9'UNH+1+PAXLST'UNT+2+1'", 2, "UNH", "no TDT+20 flight"),
        ("UNB+UNOA:4+A+B+1:2+9'UNT+2+1'", 2, "UNT", "outside any message"),
        ("UNB+UNOA:4+A+B+1:2+9'UNE+0+1'", 2, "UNE", "UNE without UNG"),
        ("UNB+UNOA:4+A+B+1:2+9'UNH+1+PAXLST'UNH+2+PAXLST'", 3, "UNH", "inside the message"),
        ("UNB+UNOA:4+A+B+1:2+9'UNB+UNOA:4+A+B+1:2+8'", 2, "UNB", "UNB inside"),
        ("UNB+UNOA:4+A+B+1:2+9'UNG+P+A+B+1:2+5'UNZ+1+9'", 3, "UNZ", "before UNE"),
        ("UNB+UNOA:4+A+B+1:2+9''", 2, "", "is not a segment tag"),
    ],
)
def test_broken_envelope(tmp_path: Path, text: str, number: int, tag: str, words: str) -> None:
    _refused(tmp_path, text, number, tag, words)


def test_empty_or_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty file"):
        _read(tmp_path, "\n\n")
    with pytest.raises(InputError, match="no such file"):
        read_paxlst(tmp_path / "absent.edi")
    path = tmp_path / "latin.edi"
    path.write_bytes(KC901.replace("MS+++AIR", "MS+++\xc4IR").encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.edi"):
        read_paxlst(path)
    assert read_paxlst(path, encoding="latin-1", today=TODAY)[0].flight == "KC901"
