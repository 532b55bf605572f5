"""ICAO 9303 machine-readable zones: the standard's TD3 and TD1 specimens read field by field, a
Kazakh passport composed for these tests, every check digit corrupted in turn, and malformed
zones refused naming the line and column.

Check digits of the specimens and the composed passport are worked out by hand in the comments
(weights 7, 3, 1 repeating; A-Z = 10-35; '<' = 0; sum mod 10), so the tests do not only trust
check_digit. Zones derived for single rules (century, calendar, ICAO codes) are built with
check_digit once it has been checked against those hand sums.
"""

from __future__ import annotations

import datetime as dt

import pytest

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Schema
from finmon.travel.mrz import check_digit, read_mrz

TODAY = dt.date(2024, 6, 1)

TD3_LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3 = f"{TD3_LINE1}\n{TD3_LINE2}"

TD1_LINES = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD1 = "\n".join(TD1_LINES)

# Composed: ZHAKSYLYKOV ERLAN, passport N12345678, KAZ, born 1985-03-17, male, expires
# 2030-05-21, personal number = IIN 850317300123.
#   N12345678: N=23*7=161, 1*3=3, 2*1=2, 3*7=21, 4*3=12, 5*1=5, 6*7=42, 7*3=21, 8*1=8
#              -> 275 -> check 5
#   850317: 8*7=56, 5*3=15, 0, 3*7=21, 1*3=3, 7*1=7 -> 102 -> check 2
#   300521: 3*7=21, 0, 0, 5*7=35, 2*3=6, 1*1=1 -> 63 -> check 3
#   850317300123<<: 102 (as above) + 3*7=21, 0, 0, 1*7=7, 2*3=6, 3*1=3 -> 139 -> check 9
#   composite over N123456785 | 8503172 | 3005213 | 850317300123<<9 (indices 0-38):
#     0-8: 275; 9: '5'*7=35 -> 310
#     10-16 (weights 3,1,7,3,1,7,3): 24+5+0+9+1+49+6 = 94 -> 404
#     17-23 (weights 1,7,3,1,7,3,1): 3+0+0+5+14+3+3 = 28 -> 432
#     24-38 (weights 7,3,1,...): 139 + '9'*1 = 148 -> 580 -> check 0
KAZ_LINE1 = "P<KAZZHAKSYLYKOV<<ERLAN<<<<<<<<<<<<<<<<<<<<<"
KAZ_LINE2 = "N123456785KAZ8503172M3005213850317300123<<90"


def _td3(
    birth: str = "740812", nationality: str = "UTO", state: str = "UTO", expiry: str = "340415"
) -> str:
    """The specimen passport with another birth date, nationality, issuing state or expiry."""
    line1 = f"P<{state}ERIKSSON<<ANNA<MARIA".ljust(44, "<")
    head = "L898902C36"
    dates = f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}"
    personal = "ZE184226B<<<<<1"
    composite = check_digit(head + dates[:7] + dates[8:] + personal)
    return f"{line1}\n{head}{nationality}{dates}{personal}{composite}"


def _replace(line: str, column: int, char: str) -> str:
    return line[: column - 1] + char + line[column:]


def _other_digit(char: str) -> str:
    return str((int(char) + 1) % 10) if char.isdigit() else "0"


def test_check_digit_matches_hand_sums() -> None:
    # L898902C3: L=21*7=147, 8*3=24, 9*1=9, 8*7=56, 9*3=27, 0*1=0, 2*7=14, C=12*3=36, 3*1=3
    #            -> 316 -> 6
    assert check_digit("L898902C3") == "6"
    # 740812: 7*7=49, 4*3=12, 0, 8*7=56, 1*3=3, 2*1=2 -> 122 -> 2
    assert check_digit("740812") == "2"
    # 120415: 1*7=7, 2*3=6, 0, 4*7=28, 1*3=3, 5*1=5 -> 49 -> 9
    assert check_digit("120415") == "9"
    # ZE184226B<<<<<: Z=35*7=245, E=14*3=42, 1, 8*7=56, 4*3=12, 2, 2*7=14, 6*3=18, B=11*1=11
    #                 -> 401 -> 1
    assert check_digit("ZE184226B<<<<<") == "1"
    # D23145890: D=13*7=91, 2*3=6, 3, 1*7=7, 4*3=12, 5, 8*7=56, 9*3=27, 0 -> 207 -> 7
    assert check_digit("D23145890") == "7"
    assert check_digit("<<<<") == "0"
    assert check_digit("") == "0"


def test_reads_icao_td3_specimen() -> None:
    # Composite over L898902C36 | 7408122 | 1204159 | ZE184226B<<<<<1 (indices 0-38):
    #   0-8: 316; 9: '6'*7=42 -> 358
    #   10-16 (weights 3,1,7,3,1,7,3): 21+4+0+24+1+14+6 = 70 -> 428
    #   17-23 (weights 1,7,3,1,7,3,1): 1+14+0+4+7+15+9 = 50 -> 478
    #   24-38 (weights 7,3,1,...): 401 (personal number, as above) + '1'*1 = 402 -> 880 -> 0
    mrz = read_mrz(TD3, today=TODAY)
    assert mrz.format == "TD3"
    assert mrz.document_type == "P"
    assert mrz.issuing_state == "UTO"
    assert mrz.issuing_state_iso2 is None
    assert mrz.nationality == "UTO"
    assert mrz.nationality_iso2 is None
    assert mrz.document_number == "L898902C3"
    assert mrz.surname == "ERIKSSON"
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.full_name == "ANNA MARIA ERIKSSON"
    assert mrz.names == ["ERIKSSON ANNA MARIA", "ANNA MARIA ERIKSSON"]
    assert mrz.birth_date == BirthDate.exact(dt.date(1974, 8, 12))
    assert mrz.sex is Gender.FEMALE
    assert mrz.expiry_date == dt.date(2012, 4, 15)
    assert mrz.optional_data == "ZE184226B"
    assert mrz.optional_data_2 == ""


def test_reads_icao_td1_specimen() -> None:
    # Document number D23145890 -> 207 -> check 7 (see test_check_digit_matches_hand_sums).
    # Composite over line 1 positions 6-30 | line 2 1-7 | 9-15 | 19-29:
    #   D231458907<<<<<<<<<<<<<<< : 207 + '7'*7=49 -> 256 (fillers 0)
    #   7408122 at indices 25-31 (weights 3,1,7,3,1,7,3): 21+4+0+24+1+14+6 = 70 -> 326
    #   1204159 at indices 32-38 (weights 1,7,3,1,7,3,1): 1+14+0+4+7+15+9 = 50 -> 376
    #   <<<<<<<<<<< -> 0 -> 376 -> check 6
    mrz = read_mrz(TD1, today=TODAY)
    assert mrz.format == "TD1"
    assert mrz.document_type == "I"
    assert mrz.issuing_state == "UTO"
    assert mrz.issuing_state_iso2 is None
    assert mrz.nationality == "UTO"
    assert mrz.nationality_iso2 is None
    assert mrz.document_number == "D23145890"
    assert mrz.surname == "ERIKSSON"
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.full_name == "ANNA MARIA ERIKSSON"
    assert mrz.birth_date == BirthDate.exact(dt.date(1974, 8, 12))
    assert mrz.sex is Gender.FEMALE
    assert mrz.expiry_date == dt.date(2012, 4, 15)
    assert mrz.optional_data == ""
    assert mrz.optional_data_2 == ""
    assert mrz.to_party("c1").identifiers == [Identifier("id_card", "D23145890", None)]


def test_td1_long_document_number_continues_in_optional_data() -> None:
    # D23145890123: 207 (first nine) + '1'*7=7 + '2'*3=6 + '3'*1=3 = 223 -> check 3, written
    # after the continuation "123" in the optional data, then a filler; position 15 holds '<'.
    # Composite: D23145890<1233<<<<<<<<<<< : 207 + 0 + 1*3 + 2*1 + 3*7 + 3*3 = 242,
    #   + 70 + 50 (line 2 as in the specimen) = 362 -> check 2
    lines = (
        "I<UTOD23145890<1233<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<2",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    mrz = read_mrz("\n".join(lines), today=TODAY)
    assert mrz.document_number == "D23145890123"
    # The optional data as the zone writes it, the continuation included (as ICAO lays it out).
    assert mrz.optional_data == "1233"
    assert mrz.notes == ("long document number: 12 characters, continued in the optional data",)

    bad = _replace(lines[0], 19, "4")
    with pytest.raises(InputError, match=r"line 1, column 19: document number check digit "):
        read_mrz("\n".join((bad, *lines[1:])), today=TODAY)
    # '<' in the check position but no continuation in the optional data.
    empty = "I<UTOD23145890<<<<<<<<<<<<<<<<"
    with pytest.raises(InputError, match=r"line 1, column 16: long document number"):
        read_mrz("\n".join((empty, *lines[1:])), today=TODAY)


def test_reads_composed_kazakh_passport_and_makes_a_party() -> None:
    mrz = read_mrz(f"{KAZ_LINE1}\n{KAZ_LINE2}", today=TODAY)
    assert (mrz.issuing_state, mrz.issuing_state_iso2) == ("KAZ", "KZ")
    assert (mrz.nationality, mrz.nationality_iso2) == ("KAZ", "KZ")
    assert mrz.document_number == "N12345678"
    assert mrz.surname == "ZHAKSYLYKOV"
    assert mrz.given_names == "ERLAN"
    assert mrz.full_name == "ERLAN ZHAKSYLYKOV"
    assert mrz.birth_date == BirthDate.exact(dt.date(1985, 3, 17))
    assert mrz.sex is Gender.MALE
    assert mrz.expiry_date == dt.date(2030, 5, 21)
    assert mrz.optional_data == "850317300123"

    party = mrz.to_party("pax-1")
    assert party.id == "pax-1"
    assert party.schema is Schema.PERSON
    assert party.names == ["ZHAKSYLYKOV ERLAN", "ERLAN ZHAKSYLYKOV"]
    assert party.birth_dates == [BirthDate.exact(dt.date(1985, 3, 17))]
    assert party.birth_dates[0].is_exact
    assert party.nationalities == ["KZ"]
    assert party.identifiers == [Identifier("passport", "N12345678", "KZ")]
    assert party.gender is Gender.MALE


def test_accepts_surrounding_whitespace_and_blank_lines() -> None:
    text = f"\n\n   {TD3_LINE1}  \r\n\n\t{TD3_LINE2}\n  \n"
    assert read_mrz(text, today=TODAY) == read_mrz(TD3, today=TODAY)


TD3_CHECKS = [
    (10, "document number"),
    (20, "birth date"),
    (28, "expiry date"),
    (43, "optional data"),
    (44, "composite"),
]
TD1_CHECKS = [
    (1, 15, "document number"),
    (2, 7, "birth date"),
    (2, 15, "expiry date"),
    (2, 30, "composite"),
]


@pytest.mark.parametrize(("column", "field"), TD3_CHECKS)
def test_td3_each_corrupted_check_digit_is_refused(column: int, field: str) -> None:
    expected = TD3_LINE2[column - 1]
    found = _other_digit(expected)
    line2 = _replace(TD3_LINE2, column, found)
    message = (
        rf"MRZ line 2, column {column}: {field} check digit expected {expected}, found '{found}'"
    )
    with pytest.raises(InputError, match=message):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)


@pytest.mark.parametrize(("line", "column", "field"), TD1_CHECKS)
def test_td1_each_corrupted_check_digit_is_refused(line: int, column: int, field: str) -> None:
    lines = list(TD1_LINES)
    expected = lines[line - 1][column - 1]
    found = _other_digit(expected)
    lines[line - 1] = _replace(lines[line - 1], column, found)
    message = (
        rf"MRZ line {line}, column {column}: {field} check digit expected {expected}, "
        rf"found '{found}'"
    )
    with pytest.raises(InputError, match=message):
        read_mrz("\n".join(lines), today=TODAY)


def test_corrupted_data_fails_its_check_digit() -> None:
    # One character of the document number misread: its check digit no longer matches.
    line2 = _replace(TD3_LINE2, 3, "1")
    with pytest.raises(InputError, match=r"column 10: document number check digit expected"):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)
    # A misread birth month is caught by the check digit before the calendar.
    line2 = _replace(TD3_LINE2, 16, "1")
    with pytest.raises(InputError, match=r"column 20: birth date check digit expected"):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)


def test_check_digit_filler_only_where_allowed() -> None:
    # Personal number all fillers: its check digit may be '<' or 0. Composite over
    # L898902C36 | 7408122 | 1204159 | fillers = 478 (hand sum above) -> 8.
    for check in ("<", "0"):
        line2 = "L898902C36UTO7408122F1204159" + "<" * 14 + check + "8"
        assert read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY).optional_data == ""
    # '<' for the check digit of a personal number that has data is refused.
    line2 = _replace(TD3_LINE2, 43, "<")
    with pytest.raises(InputError, match=r"column 43: optional data check digit expected 1"):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)
    # '<' for the document number's check digit in TD3 is refused.
    line2 = _replace(TD3_LINE2, 10, "<")
    with pytest.raises(InputError, match=r"column 10: document number check digit expected 6"):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TD3_LINE1, r"1 lines; expected 2 lines of 44"),
        ("\n".join((*TD1_LINES, TD1_LINES[2])), r"4 lines"),
        ("", r"0 lines"),
        (f"{TD3_LINE1}\n{TD3_LINE2[:-1]}", r"line 2, column 44: line ends after 43 characters"),
        (f"{TD3_LINE1}<\n{TD3_LINE2}", r"line 1, column 45: line has 45 characters"),
        (
            "\n".join((TD1_LINES[0], TD1_LINES[1] + "<", TD1_LINES[2])),
            r"line 2, column 31: line has 31 characters; a TD1 line has 30",
        ),
        (
            "\n".join((TD1_LINES[0], TD1_LINES[1], TD1_LINES[2][:29])),
            r"line 3, column 30: line ends after 29",
        ),
        (f"{TD3_LINE1}\n{_replace(TD3_LINE2, 5, 'o')}", r"line 2, column 5: character 'o'"),
        (f"{_replace(TD3_LINE1, 15, ' ')}\n{TD3_LINE2}", r"line 1, column 15: character ' '"),
        (f"{_replace(TD3_LINE1, 8, '-')}\n{TD3_LINE2}", r"line 1, column 8: character '-'"),
        (
            "\n".join((TD1_LINES[0], TD1_LINES[1], _replace(TD1_LINES[2], 3, "É"))),
            r"line 3, column 3: character 'É'",
        ),
    ],
)
def test_malformed_zones_are_refused_with_line_and_column(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_mrz(text, today=TODAY)


def test_refuses_wrong_document_codes_sex_and_states() -> None:
    other = _replace(TD3_LINE1, 1, "X")
    with pytest.raises(InputError, match=r"line 1, column 1: document code 'X'"):
        read_mrz(f"{other}\n{TD3_LINE2}", today=TODAY)
    card = list(TD1_LINES)
    card[0] = _replace(card[0], 1, "P")
    with pytest.raises(InputError, match=r"line 1, column 1: document code 'P'"):
        read_mrz("\n".join(card), today=TODAY)
    with pytest.raises(InputError, match=r"line 2, column 21: sex 'Q'"):
        read_mrz(f"{TD3_LINE1}\n{_replace(TD3_LINE2, 21, 'Q')}", today=TODAY)
    with pytest.raises(InputError, match=r"line 1, column 3: issuing state '1TO'"):
        read_mrz(f"{_replace(TD3_LINE1, 3, '1')}\n{TD3_LINE2}", today=TODAY)
    # Sex '<' (unspecified) reads as no gender.
    assert read_mrz(f"{TD3_LINE1}\n{_replace(TD3_LINE2, 21, '<')}", today=TODAY).sex is None


def _born(yymmdd: str, today: dt.date | None = TODAY) -> BirthDate | None:
    return read_mrz(_td3(yymmdd), today=today).birth_date


def test_birth_century_is_the_latest_not_in_the_future() -> None:
    # TODAY is 2024-06-01: YY 25 > 24 is 1925; 24 up to today is 2024, after today 1924.
    assert _born("250101") == BirthDate.exact(dt.date(1925, 1, 1))
    assert _born("240601") == BirthDate.exact(dt.date(2024, 6, 1))
    assert _born("240602") == BirthDate.exact(dt.date(1924, 6, 2))
    assert _born("000229") == BirthDate.exact(dt.date(2000, 2, 29))
    assert _born("991231") == BirthDate.exact(dt.date(1999, 12, 31))
    # Without today the system date decides: next year's YY is a birth a century ago.
    year = dt.date.today().year
    yy = f"{(year + 1) % 100:02d}"
    assert _born(f"{yy}0101", today=None) == BirthDate.exact(dt.date(year + 1 - 100, 1, 1))


def test_unknown_parts_of_a_birth_date_leave_it_open() -> None:
    # ICAO 9303 fills what is not known with '<': the day, the month and day, or all of it.
    assert _born("7408<<") == BirthDate(dt.date(1974, 8, 1), dt.date(1974, 8, 31))
    assert _born("0002<<") == BirthDate(dt.date(2000, 2, 1), dt.date(2000, 2, 29))
    assert _born("74<<<<") == BirthDate.year(1974)
    assert _born("<<<<<<") is None
    # The century is the latest that does not start the interval after today (2024-06-01).
    assert _born("2406<<") == BirthDate(dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert _born("2407<<") == BirthDate(dt.date(1924, 7, 1), dt.date(1924, 7, 31))
    party = read_mrz(_td3("74<<<<"), today=TODAY).to_party("p")
    assert party.birth_dates == [BirthDate.year(1974)]
    assert read_mrz(_td3("<<<<<<"), today=TODAY).to_party("p").birth_dates == []
    # A year must be known, and a part is wholly known or wholly unknown.
    for raw in ("<<0812", "7<0812", "74081<", "741<12"):
        with pytest.raises(InputError, match=rf"column 14: birth date '{raw}' is not YYMMDD"):
            _born(raw)
    with pytest.raises(InputError, match=r"birth date '7413<<' is not a calendar date"):
        _born("7413<<")


def test_invalid_calendar_dates_are_refused() -> None:
    with pytest.raises(InputError, match=r"line 2, column 14: birth date '741332'"):
        read_mrz(_td3("741332"), today=TODAY)
    # 23 is not after 24, so 230229 is 2023-02-29: not a leap year.
    with pytest.raises(InputError, match=r"birth date '230229' is not a calendar date"):
        read_mrz(_td3("230229"), today=TODAY)
    line2 = TD3_LINE2[:21] + "120431" + check_digit("120431") + TD3_LINE2[28:]
    line2 = line2[:43] + check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    with pytest.raises(InputError, match=r"line 2, column 22: expiry date '120431'"):
        read_mrz(f"{TD3_LINE1}\n{line2}", today=TODAY)


def test_icao_state_codes() -> None:
    # Germany writes 'D<<'; the code is kept as ICAO writes it and mapped to DE.
    mrz = read_mrz(_td3(nationality="D<<", state="D<<"), today=TODAY)
    assert (mrz.issuing_state, mrz.issuing_state_iso2) == ("D", "DE")
    assert (mrz.nationality, mrz.nationality_iso2) == ("D", "DE")
    assert mrz.to_party("p").nationalities == ["DE"]
    # Stateless (XXA) and British National (Overseas) (GBN).
    mrz = read_mrz(_td3(nationality="XXA", state="GBR"), today=TODAY)
    assert (mrz.nationality, mrz.nationality_iso2) == ("XXA", None)
    assert mrz.issuing_state_iso2 == "GB"
    assert mrz.to_party("p").nationalities == []
    assert read_mrz(_td3(nationality="GBN"), today=TODAY).nationality_iso2 == "GB"


def test_names_without_given_names_and_with_inner_fillers() -> None:
    line1 = "P<UTOVAN<DER<BERG<<JAN<PIETER<<<<<<<<<<<<<<<"
    mrz = read_mrz(f"{line1}\n{TD3_LINE2}", today=TODAY)
    assert mrz.surname == "VAN DER BERG"
    assert mrz.given_names == "JAN PIETER"
    assert mrz.names == ["VAN DER BERG JAN PIETER", "JAN PIETER VAN DER BERG"]
    mrz = read_mrz(f"{'P<UTOMADONNA'.ljust(44, '<')}\n{TD3_LINE2}", today=TODAY)
    assert (mrz.surname, mrz.given_names, mrz.full_name) == ("MADONNA", "", "MADONNA")
    assert mrz.names == ["MADONNA"]
