"""ICAO 9303 machine-readable zones: TD3 (passports, 2 x 44) and TD1 (identity cards, 3 x 30).

Written from the standard's facts. Every check digit is verified; a failure names the field, the
line and column, and the digit expected against the one found. Positions in messages are 1-based,
as the standard numbers them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Party, Schema
from finmon.travel.birth import birth_interval

FILLER = "<"
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS = (7, 3, 1)

# ICAO codes that are not ISO 3166-1 alpha-3, with the alpha-2 they stand for.
_ICAO_ONLY = {
    "D": "DE",  # Germany writes 'D<<'
    "GBD": "GB",  # British Overseas Territories citizen
    "GBN": "GB",  # British National (Overseas)
    "GBO": "GB",  # British Overseas citizen
    "GBP": "GB",  # British protected person
    "GBS": "GB",  # British subject
    "RKS": "XK",  # Kosovo
}
# Codes naming no state: UN bodies, the EU, ICAO's specimen state Utopia; X.. are the reserved
# codes (XXA stateless, XXB/XXC refugees, XXX unspecified, XOM, XPO and other organisations).
_NO_STATE = frozenset({"UNO", "UNA", "UNK", "EUE", "UTO"})


def icao_state(code: str) -> str | None:
    """ISO alpha-2 of an ICAO 9303 state code (ISO alpha-3, or D for Germany, GBD ... for the
    United Kingdom; an alpha-2 code is taken as it is); None for a code that names no state (UN
    bodies, UTO, the X.. codes such as XXA stateless) or none finmon knows."""
    code = code.strip().upper()
    if code in _ICAO_ONLY:
        return _ICAO_ONLY[code]
    if code in _NO_STATE or code.startswith("X"):
        return None
    return to_iso2(code)


def check_digit(field: str) -> str:
    """The ICAO 9303 check digit of a field: weights 7, 3, 1 repeating, sum modulo 10.

    Digits count as themselves, A-Z as 10-35 and the filler '<' as 0."""
    total = 0
    for index, char in enumerate(field):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == FILLER:
            value = 0
        else:
            raise InputError(f"check digit: character {char!r} is not A-Z, 0-9 or '<'")
        total += value * _WEIGHTS[index % 3]
    return str(total % 10)


@dataclass(slots=True, frozen=True)
class Mrz:
    """What a machine-readable zone says. Codes are ICAO's; the *_iso2 fields are ISO alpha-2
    (None when the ICAO code names no ISO country, such as UTO or XXA)."""

    format: Literal["TD3", "TD1"]
    document_type: str
    issuing_state: str
    issuing_state_iso2: str | None
    nationality: str
    nationality_iso2: str | None
    document_number: str
    surname: str
    given_names: str
    birth_date: BirthDate | None
    """A day, or the month or year when the document leaves the day or month unknown ('<<');
    None when the birth date is not known at all."""
    sex: Gender | None
    expiry_date: dt.date
    optional_data: str
    """TD3: the personal number (positions 29-42 of line 2); TD1: line 1's optional data, after
    any continuation of a long document number."""
    optional_data_2: str = ""
    """TD1 only: line 2's optional data (positions 19-29)."""

    @property
    def full_name(self) -> str:
        """GIVEN NAMES SURNAME, or the surname alone."""
        return " ".join(part for part in (self.given_names, self.surname) if part)

    @property
    def names(self) -> list[str]:
        """The name in both orders, SURNAME GIVEN and GIVEN SURNAME, for screening."""
        found: list[str] = []
        for name in (
            " ".join(p for p in (self.surname, self.given_names) if p),
            self.full_name,
        ):
            if name and name not in found:
                found.append(name)
        return found

    def to_party(self, party_id: str) -> Party:
        """The traveller as a party to screen."""
        kind = "passport" if self.document_type.startswith("P") else "id_card"
        return Party(
            id=party_id,
            names=self.names,
            schema=Schema.PERSON,
            birth_dates=[self.birth_date] if self.birth_date else [],
            nationalities=[self.nationality_iso2] if self.nationality_iso2 else [],
            identifiers=[Identifier(kind, self.document_number, self.issuing_state_iso2)],
            gender=self.sex,
        )


def read_mrz(text: str, today: dt.date | None = None) -> Mrz:
    """Read a TD3 or TD1 machine-readable zone; surrounding whitespace and blank lines are ignored.

    Birth dates take the latest century that does not put them after today (default: the
    system date); expiry dates are 20YY. Raises InputError naming the line and column."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 2:
        _check_shape(lines, 44, "TD3")
        return _read_td3(lines, today or dt.date.today())
    if len(lines) == 3:
        _check_shape(lines, 30, "TD1")
        return _read_td1(lines, today or dt.date.today())
    raise InputError(
        f"MRZ: {len(lines)} lines; expected 2 lines of 44 (TD3 passport) "
        "or 3 lines of 30 (TD1 identity card)"
    )


class _Lines:
    """1-based access to the MRZ lines, remembering where each field sits for messages."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def get(self, line: int, first: int, last: int) -> str:
        return self.lines[line - 1][first - 1 : last]


def _where(line: int, column: int) -> str:
    return f"MRZ line {line}, column {column}"


def _check_shape(lines: list[str], width: int, form: str) -> None:
    for number, line in enumerate(lines, start=1):
        for column, char in enumerate(line, start=1):
            if char not in _ALLOWED:
                raise InputError(
                    f"{_where(number, column)}: character {char!r} is not A-Z, 0-9 or '<'"
                )
        if len(line) < width:
            raise InputError(
                f"{_where(number, len(line) + 1)}: line ends after {len(line)} characters; "
                f"a {form} line has {width}"
            )
        if len(line) > width:
            raise InputError(
                f"{_where(number, width + 1)}: line has {len(line)} characters; "
                f"a {form} line has {width}"
            )


def _verify(field: str, data: str, found: str, line: int, column: int) -> None:
    expected = check_digit(data)
    if found != expected:
        raise InputError(
            f"{_where(line, column)}: {field} check digit expected {expected}, found {found!r}"
        )


def _document_type(z: _Lines, allowed: str, form: str) -> str:
    code = z.get(1, 1, 2)
    if code[0] not in allowed:
        raise InputError(
            f"{_where(1, 1)}: document code {code[0]!r} is not a {form} code ({', '.join(allowed)})"
        )
    if not (code[1].isalpha() or code[1] == FILLER):
        raise InputError(f"{_where(1, 2)}: document code {code!r} has a digit")
    return code.rstrip(FILLER)


def _state(z: _Lines, line: int, first: int, field: str) -> tuple[str, str | None]:
    raw = z.get(line, first, first + 2)
    code = raw.rstrip(FILLER)
    if not code or not code.isalpha():
        raise InputError(f"{_where(line, first)}: {field} {raw!r} is not an ICAO code")
    return code, icao_state(code) if len(code) == 3 or code in _ICAO_ONLY else None


def _birth_date(z: _Lines, line: int, first: int, today: dt.date) -> BirthDate | None:
    """The birth date: unknown parts are fillers (ICAO 9303), '<<' for the month or day leaving
    the year or month open, and all fillers for a date not known at all."""
    raw = z.get(line, first, first + 5)
    if raw == FILLER * 6:
        return None
    year, month, day = raw[:2], raw[2:4], raw[4:]
    if not year.isdigit() or not all(p.isdigit() or p == FILLER * 2 for p in (month, day)):
        raise InputError(f"{_where(line, first)}: birth date {raw!r} is not YYMMDD")
    try:
        return birth_interval(
            int(year),
            int(month) if month.isdigit() else None,
            int(day) if day.isdigit() else None,
            today,
            two_digit=True,
        )
    except ValueError:
        where = _where(line, first)
        raise InputError(f"{where}: birth date {raw!r} is not a calendar date") from None


def _expiry_date(z: _Lines, line: int, first: int) -> dt.date:
    raw = z.get(line, first, first + 5)
    if not raw.isdigit():
        raise InputError(f"{_where(line, first)}: expiry date {raw!r} is not YYMMDD")
    try:
        return dt.date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
    except ValueError:
        where = _where(line, first)
        raise InputError(f"{where}: expiry date {raw!r} is not a calendar date") from None


def _sex(z: _Lines, line: int, column: int) -> Gender | None:
    char = z.get(line, column, column)
    if char == "M":
        return Gender.MALE
    if char == "F":
        return Gender.FEMALE
    if char in (FILLER, "X"):
        return None
    raise InputError(f"{_where(line, column)}: sex {char!r} is not M, F, X or '<'")


def _names(field: str) -> tuple[str, str]:
    """Primary and secondary identifiers: split at '<<', each '<' a space, fillers dropped."""
    primary, _, secondary = field.rstrip(FILLER).partition("<<")
    return _spaced(primary), _spaced(secondary)


def _spaced(text: str) -> str:
    return re.sub(r"<+", " ", text).strip()


def _read_td3(lines: list[str], today: dt.date) -> Mrz:
    z = _Lines(lines)
    document_type = _document_type(z, "P", "TD3 passport")
    issuing, issuing_iso2 = _state(z, 1, 3, "issuing state")
    surname, given = _names(z.get(1, 6, 44))
    if not surname:
        raise InputError(f"{_where(1, 6)}: the name field has no surname")

    number_field = z.get(2, 1, 9)
    _verify("document number", number_field, z.get(2, 10, 10), 2, 10)
    nationality, nationality_iso2 = _state(z, 2, 11, "nationality")
    _verify("birth date", z.get(2, 14, 19), z.get(2, 20, 20), 2, 20)
    birth = _birth_date(z, 2, 14, today)
    sex = _sex(z, 2, 21)
    _verify("expiry date", z.get(2, 22, 27), z.get(2, 28, 28), 2, 28)
    expiry = _expiry_date(z, 2, 22)
    optional = z.get(2, 29, 42)
    optional_check = z.get(2, 43, 43)
    # When the optional data is all fillers its check digit may be '<' as well as 0.
    if not (optional_check == FILLER and optional == FILLER * len(optional)):
        _verify("optional data", optional, optional_check, 2, 43)
    composite = z.get(2, 1, 10) + z.get(2, 14, 20) + z.get(2, 22, 43)
    _verify("composite", composite, z.get(2, 44, 44), 2, 44)

    return Mrz(
        format="TD3",
        document_type=document_type,
        issuing_state=issuing,
        issuing_state_iso2=issuing_iso2,
        nationality=nationality,
        nationality_iso2=nationality_iso2,
        document_number=_document_number(number_field, 2, 1),
        surname=surname,
        given_names=given,
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional.rstrip(FILLER),
    )


def _read_td1(lines: list[str], today: dt.date) -> Mrz:
    z = _Lines(lines)
    document_type = _document_type(z, "ACI", "TD1 identity card")
    issuing, issuing_iso2 = _state(z, 1, 3, "issuing state")

    number_field = z.get(1, 6, 14)
    optional = z.get(1, 16, 30)
    if z.get(1, 15, 15) == FILLER:
        # Long document number: the rest of it, its check digit, then a filler in optional data.
        if FILLER in number_field:
            raise InputError(
                f"{_where(1, 15)}: document number check digit expected "
                f"{check_digit(number_field)}, found '<'"
            )
        rest = optional.split(FILLER, 1)[0]
        if len(rest) < 2:
            raise InputError(
                f"{_where(1, 16)}: long document number: the optional data does not hold "
                "the rest of the number and its check digit"
            )
        number_field += rest[:-1]
        _verify("document number", number_field, rest[-1], 1, 15 + len(rest))
        optional = optional[len(rest) + 1 :]
    else:
        _verify("document number", number_field, z.get(1, 15, 15), 1, 15)

    _verify("birth date", z.get(2, 1, 6), z.get(2, 7, 7), 2, 7)
    birth = _birth_date(z, 2, 1, today)
    sex = _sex(z, 2, 8)
    _verify("expiry date", z.get(2, 9, 14), z.get(2, 15, 15), 2, 15)
    expiry = _expiry_date(z, 2, 9)
    nationality, nationality_iso2 = _state(z, 2, 16, "nationality")
    composite = z.get(1, 6, 30) + z.get(2, 1, 7) + z.get(2, 9, 15) + z.get(2, 19, 29)
    _verify("composite", composite, z.get(2, 30, 30), 2, 30)

    surname, given = _names(z.get(3, 1, 30))
    if not surname:
        raise InputError(f"{_where(3, 1)}: the name field has no surname")

    return Mrz(
        format="TD1",
        document_type=document_type,
        issuing_state=issuing,
        issuing_state_iso2=issuing_iso2,
        nationality=nationality,
        nationality_iso2=nationality_iso2,
        document_number=_document_number(number_field, 1, 6),
        surname=surname,
        given_names=given,
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional.rstrip(FILLER),
        optional_data_2=z.get(2, 19, 29).rstrip(FILLER),
    )


def _document_number(field: str, line: int, column: int) -> str:
    number = field.rstrip(FILLER)
    if not number:
        raise InputError(f"{_where(line, column)}: the document number is empty")
    return number
