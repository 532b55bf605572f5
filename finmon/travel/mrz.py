"""ICAO 9303 machine-readable zones: TD3 (passports, 2 x 44), TD2 (cards, 2 x 36), TD1 (identity
cards, 3 x 30) and machine-readable visas MRV-A (2 x 44) and MRV-B (2 x 36).

Written from the standard's facts. Every check digit is verified; a failure names the field, the
line and column, and the digit expected against the one found. Positions in messages are 1-based,
as the standard numbers them. National practice read besides the standard, each seen on a
specimen: a document number longer than nine characters continued in the optional data (TD1,
TD2); Belgium's check digit of such a number also counting the filler in the check-digit position;
a holder with one name written as the secondary identifier alone ('<<NAME'); Germany's 'D<<'.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Party, Schema
from finmon.travel.birth import birth_interval

FILLER = "<"
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_WEIGHTS = (7, 3, 1)
EXPIRY_YEARS_AHEAD = 50
"""A two-digit expiry year is in the latest century that puts it at most this many years after
today: no document is issued for longer, so 94 is 1994 and not 2094."""
_LABELS = {
    "TD1": "TD1",
    "TD2": "TD2",
    "TD3": "TD3",
    "MRVA": "MRV-A visa",
    "MRVB": "MRV-B visa",
}
_LONG_NUMBER_WITH_FILLER = frozenset({"BEL"})
"""Issuing states whose long document numbers have their check digit computed over the first
nine characters, the filler in position 15 and the rest (seen on Belgian identity cards; Belgian
specimens with the standard digit are read too)."""

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

    format: Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]
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
    """As the zone writes it, fillers read as spaces: TD3 the personal number (line 2, 29-42);
    TD1 line 1's optional data (16-30); TD2 and visas line 2's (29-35, 29-44, 29-36). A long
    document number's continuation is part of it, as it is of the document number."""
    optional_data_2: str = ""
    """TD1 only: line 2's optional data (positions 19-29)."""
    notes: tuple[str, ...] = ()
    """What was read beyond the standard's plain case (a long document number, a national
    rule, a holder with one name), for the reader's report."""

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
        kind = {"P": "passport", "V": "visa"}.get(self.document_type[:1], "id_card")
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
    """Read a machine-readable zone: TD1 (3 x 30), TD2 (2 x 36), TD3 (2 x 44) or a visa, MRV-A
    (2 x 44) or MRV-B (2 x 36); surrounding whitespace and blank lines are ignored.

    Birth dates take the latest century that does not put them after today (default: the
    system date) nor after the expiry; expiry dates the latest century that does not put them
    more than EXPIRY_YEARS_AHEAD years after today. Raises InputError naming the line and
    column."""
    today = today or dt.date.today()
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 3:
        _check_shape(lines, 30, "TD1")
        return _read_td1(lines, today)
    if len(lines) == 2:
        # The first line's length tells the size (36 or 44); a visa's document code starts with V.
        width = 36 if len(lines[0]) < 40 else 44
        if lines[0][:1] == "V":
            visa: Literal["MRVA", "MRVB"] = "MRVB" if width == 36 else "MRVA"
            _check_shape(lines, width, _LABELS[visa])
            return _read_visa(lines, today, visa)
        _check_shape(lines, width, "TD2" if width == 36 else "TD3")
        return _read_td2(lines, today) if width == 36 else _read_td3(lines, today)
    raise InputError(
        f"MRZ: {len(lines)} lines; expected 2 lines of 44 (TD3 passport, MRV-A visa), "
        "2 lines of 36 (TD2 card, MRV-B visa) or 3 lines of 30 (TD1 identity card)"
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


def _dates(
    z: _Lines, line: int, birth_at: int, expiry_at: int, today: dt.date, notes: list[str]
) -> tuple[BirthDate | None, dt.date]:
    """The birth and expiry dates, each in the century that makes sense: a birth not after
    today, an expiry at most EXPIRY_YEARS_AHEAD years ahead; a birth that would fall after the
    expiry is a century earlier (a holder born in 1925 whose card expired in 2010)."""
    birth = _birth_date(z, line, birth_at, today)
    expiry = _expiry_date(z, line, expiry_at, today)
    if birth is not None and birth.earliest > expiry:
        birth = _birth_date(z, line, birth_at, expiry)
        notes.append("birth date read in the century before the expiry date")
    return birth, expiry


def _expiry_date(z: _Lines, line: int, first: int, today: dt.date) -> dt.date:
    raw = z.get(line, first, first + 5)
    if not raw.isdigit():
        raise InputError(f"{_where(line, first)}: expiry date {raw!r} is not YYMMDD")
    latest = today.year + EXPIRY_YEARS_AHEAD
    year = latest // 100 * 100 + int(raw[:2])
    if year > latest:
        year -= 100
    try:
        return dt.date(year, int(raw[2:4]), int(raw[4:]))
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


def _names(field: str, line: int) -> tuple[str, str, list[str]]:
    """Primary and secondary identifiers: split at '<<', each '<' a space, fillers dropped. A
    holder with one name may have it as the secondary identifier alone ('<<NAME')."""
    primary, _, secondary = field.rstrip(FILLER).partition("<<")
    surname, given = _spaced(primary), _spaced(secondary)
    if not surname and not given:
        raise InputError(f"{_where(line, 1 if line == 3 else 6)}: the name field is empty")
    notes = [] if surname else ["one name: the primary identifier (surname) is blank"]
    return surname, given, notes


def _spaced(text: str) -> str:
    return re.sub(r"<+", " ", text).strip()


def _number(
    z: _Lines,
    state: str,
    number_at: tuple[int, int],
    optional_at: tuple[int, int, int],
    notes: list[str],
) -> str:
    """The document number, its check digit verified. A number longer than nine characters has
    a filler in the check-digit position and continues in the optional data, followed by its
    check digit (ICAO 9303 TD1 and TD2); `optional_at` is (line, first, last) of that data."""
    line, first = number_at
    field = z.get(line, first, first + 8)
    check = z.get(line, first + 9, first + 9)
    if check != FILLER:
        _verify("document number", field, check, line, first + 9)
        return _document_number(field, line, first)
    opt_line, opt_first, opt_last = optional_at
    if opt_line == 0 or FILLER in field:
        # Visas and passports have no long numbers; a short number has a check digit.
        raise InputError(
            f"{_where(line, first + 9)}: document number check digit expected "
            f"{check_digit(field)}, found '<'"
        )
    rest = z.get(opt_line, opt_first, opt_last).split(FILLER, 1)[0]
    if len(rest) < 2:
        raise InputError(
            f"{_where(opt_line, opt_first)}: long document number: the optional data does not "
            "hold the rest of the number and its check digit"
        )
    number, found = field + rest[:-1], rest[-1]
    column = opt_first + len(rest) - 1
    notes.append(f"long document number: {len(number)} characters, continued in the optional data")
    if state in _LONG_NUMBER_WITH_FILLER:
        national = check_digit(field + FILLER + rest[:-1])
        if found == national:
            notes.append(f"{state} long document number: check digit counts the filler")
            return number
        if found != check_digit(number):
            raise InputError(
                f"{_where(opt_line, column)}: document number check digit expected "
                f"{check_digit(number)} (or {national} by the {state} rule), found {found!r}"
            )
    _verify("document number", number, found, opt_line, column)
    return number


def _optional(raw: str) -> str:
    return _spaced(raw)


def _read_td3(lines: list[str], today: dt.date) -> Mrz:
    z = _Lines(lines)
    fields, notes = _two_lines(z, today, "P", "TD3 passport", (0, 0, 0), [])
    optional = z.get(2, 29, 42)
    optional_check = z.get(2, 43, 43)
    # When the optional data is all fillers its check digit may be '<' as well as 0.
    if not (optional_check == FILLER and optional == FILLER * len(optional)):
        _verify("optional data", optional, optional_check, 2, 43)
    composite = z.get(2, 1, 10) + z.get(2, 14, 20) + z.get(2, 22, 43)
    _verify("composite", composite, z.get(2, 44, 44), 2, 44)
    return Mrz(format="TD3", optional_data=_optional(optional), notes=notes, **fields)


def _read_td2(lines: list[str], today: dt.date) -> Mrz:
    """TD2 (ICAO 9303 part 6): line 1 code, state, name; line 2 number, nationality, birth,
    sex, expiry, optional data 29-35 and the composite check digit in 36."""
    z = _Lines(lines)
    fields, notes = _two_lines(z, today, "ACI", "TD2 card", (2, 29, 35), [])
    composite = z.get(2, 1, 10) + z.get(2, 14, 20) + z.get(2, 22, 35)
    _verify("composite", composite, z.get(2, 36, 36), 2, 36)
    return Mrz(format="TD2", optional_data=_optional(z.get(2, 29, 35)), notes=notes, **fields)


def _read_visa(lines: list[str], today: dt.date, form: Literal["MRVA", "MRVB"]) -> Mrz:
    """MRV-A (2 x 44) and MRV-B (2 x 36), ICAO 9303 part 7: laid out as TD3 and TD2 up to the
    expiry's check digit; then optional data to the end of line 2, and no composite."""
    z = _Lines(lines)
    width = len(lines[0])
    first = ["visa: no composite check digit"]
    fields, notes = _two_lines(z, today, "V", _LABELS[form], (0, 0, 0), first)
    return Mrz(format=form, optional_data=_optional(z.get(2, 29, width)), notes=notes, **fields)


def _two_lines(
    z: _Lines,
    today: dt.date,
    codes: str,
    label: str,
    continuation: tuple[int, int, int],
    notes: list[str],
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """What the two-line zones (TD3, TD2, MRV-A, MRV-B) write alike: line 1's code, state and
    name to its end, line 2's number, nationality, birth date, sex and expiry, each check digit
    verified; with the notes on what was read beyond the standard, the name's first."""
    document_type = _document_type(z, codes, label)
    issuing, issuing_iso2 = _state(z, 1, 3, "issuing state")
    surname, given, name_notes = _names(z.get(1, 6, len(z.lines[0])), 1)
    number = _number(z, issuing, (2, 1), continuation, notes)
    nationality, nationality_iso2 = _state(z, 2, 11, "nationality")
    _verify("birth date", z.get(2, 14, 19), z.get(2, 20, 20), 2, 20)
    sex = _sex(z, 2, 21)
    _verify("expiry date", z.get(2, 22, 27), z.get(2, 28, 28), 2, 28)
    birth, expiry = _dates(z, 2, 14, 22, today, notes)
    fields = {
        "document_type": document_type,
        "issuing_state": issuing,
        "issuing_state_iso2": issuing_iso2,
        "nationality": nationality,
        "nationality_iso2": nationality_iso2,
        "document_number": number,
        "surname": surname,
        "given_names": given,
        "birth_date": birth,
        "sex": sex,
        "expiry_date": expiry,
    }
    return fields, tuple(name_notes + notes)


def _read_td1(lines: list[str], today: dt.date) -> Mrz:
    z = _Lines(lines)
    notes: list[str] = []
    document_type = _document_type(z, "ACI", "TD1 identity card")
    issuing, issuing_iso2 = _state(z, 1, 3, "issuing state")

    number = _number(z, issuing, (1, 6), (1, 16, 30), notes)
    _verify("birth date", z.get(2, 1, 6), z.get(2, 7, 7), 2, 7)
    sex = _sex(z, 2, 8)
    _verify("expiry date", z.get(2, 9, 14), z.get(2, 15, 15), 2, 15)
    birth, expiry = _dates(z, 2, 1, 9, today, notes)
    nationality, nationality_iso2 = _state(z, 2, 16, "nationality")
    composite = z.get(1, 6, 30) + z.get(2, 1, 7) + z.get(2, 9, 15) + z.get(2, 19, 29)
    _verify("composite", composite, z.get(2, 30, 30), 2, 30)

    surname, given, name_notes = _names(z.get(3, 1, 30), 3)

    return Mrz(
        format="TD1",
        document_type=document_type,
        issuing_state=issuing,
        issuing_state_iso2=issuing_iso2,
        nationality=nationality,
        nationality_iso2=nationality_iso2,
        document_number=number,
        surname=surname,
        given_names=given,
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=_optional(z.get(1, 16, 30)),
        optional_data_2=_optional(z.get(2, 19, 29)),
        notes=tuple(name_notes + notes),
    )


def _document_number(field: str, line: int, column: int) -> str:
    number = field.rstrip(FILLER)
    if not number:
        raise InputError(f"{_where(line, column)}: the document number is empty")
    return number
