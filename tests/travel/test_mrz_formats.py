"""MRZ beyond TD1 and TD3: TD2 cards, MRV-A and MRV-B visas, holders with one name, long and
Belgian document numbers, and expiry years in the century that makes sense.

The visa zones are ICAO 9303 part 7's specimens (check digits: L8988901C -> 4, 400907 -> 8,
961210 -> 9, as check_digit gives them and test_mrz checks check_digit against hand sums). The
other zones are composed here with check_digit.
"""

from __future__ import annotations

import datetime as dt

import pytest

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier
from finmon.travel.mrz import check_digit, read_mrz

TODAY = dt.date(2024, 6, 1)

MRVA = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
)
MRVB = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "L8988901C4XXX4009078F9612109<<<<<<<<",
)


def _td2(
    name: str = "ERIKSSON<<ANNA<MARIA",
    number: str = "D23145890",
    state: str = "UTO",
    birth: str = "740812",
    expiry: str = "340415",
    optional: str = "",
    code: str = "I<",
) -> str:
    """A TD2 card's two lines; a number longer than nine continues in the optional data."""
    if len(number) > 9:
        head = number[:9] + "<"
        optional = number[9:] + check_digit(number) + "<" + optional
    else:
        number = number.ljust(9, "<")
        head = number + check_digit(number)
    line1 = f"{code}{state}{name}".ljust(36, "<")
    line2 = f"{head}{state}{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}"
    line2 += optional.ljust(7, "<")
    composite = line2[0:10] + line2[13:20] + line2[21:35]
    return f"{line1}\n{line2}{check_digit(composite)}"


def _td1(
    number_field: str, optional: str, name: str, state: str = "BEL", birth: str = "851201"
) -> str:
    """A TD1 card whose line 1 is given from position 6 on (number field and optional data)."""
    line1 = f"ID{state}{number_field}{optional}".ljust(30, "<")
    line2 = f"{birth}{check_digit(birth)}F331104{check_digit('331104')}{state}".ljust(29, "<")
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return "\n".join((line1, line2 + check_digit(composite), name.ljust(30, "<")))


def test_reads_icao_mrv_a_visa_specimen() -> None:
    mrz = read_mrz("\n".join(MRVA), today=TODAY)
    assert mrz.format == "MRVA"
    assert mrz.document_type == "V"
    assert (mrz.issuing_state, mrz.nationality, mrz.nationality_iso2) == ("UTO", "XXX", None)
    assert mrz.document_number == "L8988901C"
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.birth_date == BirthDate.exact(dt.date(1940, 9, 7))
    assert mrz.sex is Gender.FEMALE
    # 96 would be 2096, more than 50 years after 2024: 1996.
    assert mrz.expiry_date == dt.date(1996, 12, 10)
    # Sixteen characters of optional data, and no composite check digit.
    assert mrz.optional_data == "6ZE184226B"
    assert mrz.notes == ("visa: no composite check digit",)
    assert mrz.to_party("v").identifiers == [Identifier("visa", "L8988901C", None)]


def test_reads_icao_mrv_b_visa_specimen() -> None:
    mrz = read_mrz("\n".join(MRVB), today=TODAY)
    assert mrz.format == "MRVB"
    assert mrz.document_number == "L8988901C"
    assert mrz.expiry_date == dt.date(1996, 12, 10)
    assert mrz.optional_data == ""
    # The last position is optional data, not a composite: any character reads.
    assert read_mrz(f"{MRVB[0]}\n{MRVB[1][:-1]}A", today=TODAY).optional_data == "A"


@pytest.mark.parametrize(
    ("lines", "column", "field"),
    [(MRVA, 10, "document number"), (MRVB, 20, "birth date"), (MRVB, 28, "expiry date")],
)
def test_visa_check_digits_are_verified(lines: tuple[str, str], column: int, field: str) -> None:
    expected = lines[1][column - 1]
    line2 = lines[1][: column - 1] + str((int(expected) + 1) % 10) + lines[1][column:]
    with pytest.raises(InputError, match=rf"line 2, column {column}: {field} check digit"):
        read_mrz(f"{lines[0]}\n{line2}", today=TODAY)


def test_visa_has_no_long_document_number() -> None:
    line2 = "L8988901C<" + MRVB[1][10:]
    with pytest.raises(InputError, match=r"column 10: document number check digit expected 4"):
        read_mrz(f"{MRVB[0]}\n{line2}", today=TODAY)


def test_reads_td2_card_and_verifies_its_composite() -> None:
    text = _td2(optional="AB12")
    mrz = read_mrz(text, today=TODAY)
    assert mrz.format == "TD2"
    assert (mrz.document_type, mrz.document_number) == ("I", "D23145890")
    assert mrz.expiry_date == dt.date(2034, 4, 15)
    assert mrz.optional_data == "AB12"
    assert mrz.to_party("c").identifiers == [Identifier("id_card", "D23145890", None)]
    line1, line2 = text.splitlines()
    wrong = line2[:35] + str((int(line2[35]) + 1) % 10)
    with pytest.raises(InputError, match=r"line 2, column 36: composite check digit expected"):
        read_mrz(f"{line1}\n{wrong}", today=TODAY)
    # A passport code is not a TD2 card's.
    with pytest.raises(InputError, match=r"document code 'P' is not a TD2 card code"):
        read_mrz(_td2(code="P<"), today=TODAY)


def test_td2_long_document_number_continues_in_optional_data() -> None:
    mrz = read_mrz(_td2(number="D2314589012"), today=TODAY)
    assert mrz.document_number == "D2314589012"
    line1, line2 = _td2(number="D2314589012").splitlines()
    # Position 31 holds the number's check digit, after the continuation "12".
    wrong = line2[:30] + str((int(line2[30]) + 1) % 10) + line2[31:]
    with pytest.raises(InputError, match=r"line 2, column 31: document number check digit"):
        read_mrz(f"{line1}\n{wrong}", today=TODAY)


def test_holder_with_one_name() -> None:
    mrz = read_mrz(_td2(name="<<ANNA<MARIA"), today=TODAY)
    assert (mrz.surname, mrz.given_names, mrz.full_name) == ("", "ANNA MARIA", "ANNA MARIA")
    assert mrz.names == ["ANNA MARIA"]
    assert mrz.notes == ("one name: the primary identifier (surname) is blank",)
    assert mrz.to_party("p").names == ["ANNA MARIA"]
    with pytest.raises(InputError, match=r"line 1, column 6: the name field is empty"):
        read_mrz(_td2(name="<<"), today=TODAY)


def test_belgian_long_number_check_digit_counts_the_filler() -> None:
    # 000590240 + continuation 601: over "000590240<601" the digit is 3 (Belgium), over
    # "000590240601" it is 1 (ICAO); a Belgian card may carry either, another state only 1.
    assert (check_digit("000590240<601"), check_digit("000590240601")) == ("3", "1")
    for digit in ("3", "1"):
        mrz = read_mrz(_td1("000590240<", f"601{digit}", "REINARTZ<<ULRIKE"), today=TODAY)
        assert mrz.document_number == "000590240601"
        assert mrz.optional_data == f"601{digit}"
    belgian = read_mrz(_td1("000590240<", "6013", "REINARTZ<<ULRIKE"), today=TODAY)
    assert "BEL long document number: check digit counts the filler" in belgian.notes
    with pytest.raises(
        InputError,
        match=r"column 19: document number check digit expected 1 "
        r"\(or 3 by the BEL rule\), found '6'",
    ):
        read_mrz(_td1("000590240<", "6016", "REINARTZ<<ULRIKE"), today=TODAY)
    with pytest.raises(InputError, match=r"column 19: document number check digit expected 1, "):
        read_mrz(_td1("000590240<", "6013", "REINARTZ<<ULRIKE", state="NLD"), today=TODAY)


def test_td1_holder_with_one_name() -> None:
    mrz = read_mrz(_td1("D23145890" + check_digit("D23145890"), "", "<<ANNA"), today=TODAY)
    assert (mrz.surname, mrz.given_names) == ("", "ANNA")
    with pytest.raises(InputError, match=r"line 3, column 1: the name field is empty"):
        read_mrz(_td1("D23145890" + check_digit("D23145890"), "", "<"), today=TODAY)


@pytest.mark.parametrize(
    ("expiry", "year"),
    [("940623", 1994), ("740101", 2074), ("750101", 1975), ("300101", 2030), ("000229", 2000)],
)
def test_expiry_century_is_at_most_fifty_years_ahead(expiry: str, year: int) -> None:
    assert read_mrz(_td2(expiry=expiry), today=TODAY).expiry_date.year == year


def test_birth_after_the_expiry_is_a_century_earlier() -> None:
    # Born 24 with a card that expired in 2012: born in 1924, not 2024.
    mrz = read_mrz(_td2(birth="240101", expiry="120415"), today=TODAY)
    assert mrz.birth_date == BirthDate.exact(dt.date(1924, 1, 1))
    assert "birth date read in the century before the expiry date" in mrz.notes
    assert read_mrz(_td2(birth="240101", expiry="340415"), today=TODAY).birth_date == (
        BirthDate.exact(dt.date(2024, 1, 1))
    )


def test_shapes_name_every_form() -> None:
    with pytest.raises(InputError, match=r"2 lines of 36 \(TD2 card, MRV-B visa\)"):
        read_mrz("P<UTO", today=TODAY)
    line1, line2 = _td2().splitlines()
    with pytest.raises(
        InputError,
        match=r"line 2, column 36: line ends after 35 characters; "
        r"a TD2 line has 36",
    ):
        read_mrz(f"{line1}\n{line2[:-1]}", today=TODAY)
    with pytest.raises(InputError, match=r"a MRV-B visa line has 36"):
        read_mrz(f"{MRVB[0]}\n{MRVB[1]}<", today=TODAY)
