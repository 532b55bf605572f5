"""UN/EDIFACT PAXLST passenger and crew manifests (REFERENCE.md section 8) as travellers to screen.

Syntax: an optional `UNA` at the very start gives six service characters (component separator,
data element separator, decimal mark, release character, reserved space, segment terminator);
without it they are `:` `+` `.` `?` ` ` `'`. The release character makes the next character
literal. Line breaks are layout only and are dropped wherever they stand unreleased.

Envelope: `UNB` ... `UNZ` interchanges, optional `UNG` ... `UNE` groups, and `UNH` ... `UNT`
messages. The counts and control references of UNT, UNE and UNZ are checked against what they
close. Every segment outside a message other than the envelope is refused. A file of bare
messages (UNH ... UNT and no UNB at all) is read as they are; a UNH outside UNB ... UNZ in a file
that has interchanges is refused.

A message is one manifest: `TDT+20+<flight>` starts a leg (the first TDT gives the flight id);
`LOC+125`/`DTM+189` are a leg's departure airport and time, `LOC+87`/`DTM+232` its arrival.
`NAD+FL`/`NAD+DDU` start a passenger, `NAD+FM`/`NAD+DDT` a crew member; the traveller's
`ATT+2`, `DTM+329`, `LOC+178`/`179`, `NAT+2`, `RFF+AVF` and `DOC` (with its `DTM+36` and
`LOC+91`) follow. Any other segment is skipped.

Errors name the file, the segment number (1-based, counting UNA when present) and its tag.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, NamedTuple

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Party, Schema
from finmon.screening.filelimits import check_size
from finmon.screening.inputs import decoded_lines
from finmon.travel.birth import birth_interval, yymmdd_form
from finmon.travel.mrz import icao_state

Role = Literal["passenger", "crew"]

DEFAULT_SERVICE = ":+.? '"
"""Component separator, element separator, decimal mark, release, reserved, terminator."""

ROLES: dict[str, Role] = {"FL": "passenger", "DDU": "passenger", "FM": "crew", "DDT": "crew"}
"""NAD party qualifiers of travellers: passenger, intransit passenger, crew, intransit crew."""

_DOCUMENT_KINDS = {"P": "passport", "V": "visa"}
"""Identifier kinds of DOC codes by first letter (P, PD, PS passports; V visa); others are
identity cards and the like (I, A, C, AC ...)."""
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_LAYOUT = {"\r", "\n"}
_SEXES = {"M": "M", "F": "F", "U": "U", "X": "U"}
_SEXES |= {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U", "UNSPECIFIED": "U"}
"""ATT+2 codes (ICAO's X reads as U), and the words some systems write instead."""


class Document(NamedTuple):
    """A travel document: DOC type code (P passport, I identity card ...) and number."""

    type: str
    number: str
    expiry: dt.date | None
    issuing_country: str | None
    """ISO alpha-2 of LOC+91, None when absent or not a known country code."""


class Leg(NamedTuple):
    """One leg of the flight: airports as the message gives them (IATA codes)."""

    origin: str | None
    destination: str | None


@dataclass(frozen=True, slots=True)
class Traveller:
    role: Role
    surname: str
    given_names: str
    sex: str | None = None
    """'M', 'F' or 'U' (unspecified; ICAO 'X' reads as 'U')."""
    birth_date: BirthDate | None = None
    """A day, or the month or year when the manifest leaves the day or month unknown."""
    nationality: str | None = None
    """ISO alpha-2, None when absent or not a known code."""
    nationality_code: str | None = None
    """NAT+2 as written (ISO 3166 alpha-3)."""
    documents: list[Document] = field(default_factory=list)
    pnr: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None

    @property
    def full_name(self) -> str:
        """GIVEN SURNAME."""
        return f"{self.given_names} {self.surname}" if self.given_names else self.surname

    def to_party(self, party_id: str) -> Party:
        """The traveller as a person to screen, named in both orders."""
        names = [self.full_name]
        if self.given_names:
            names.append(f"{self.surname} {self.given_names}")
        return Party(
            id=party_id,
            names=names,
            schema=Schema.PERSON,
            birth_dates=[self.birth_date] if self.birth_date else [],
            nationalities=[self.nationality] if self.nationality else [],
            identifiers=[
                Identifier(
                    _DOCUMENT_KINDS.get(doc.type[:1], "id_card"), doc.number, doc.issuing_country
                )
                for doc in self.documents
            ],
            gender=Gender.parse(self.sex),
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    """One PAXLST message: a flight and the travellers on it."""

    flight: str
    departure_airport: str | None
    arrival_airport: str | None
    departure_time: dt.datetime | None
    """Local time at the departure airport, as DTM+189 gives it (no zone)."""
    arrival_time: dt.datetime | None
    legs: list[Leg]
    travellers: list[Traveller]
    message_reference: str


def read_paxlst(
    path: Path, encoding: str | None = None, today: dt.date | None = None
) -> list[Manifest]:
    """The manifests of a PAXLST interchange file, one per UNH ... UNT message.

    The encoding is the one UNB's syntax identifier names (UNOC ISO 8859-1, UNOE ISO 8859-5
    Cyrillic ...; UTF-8 for UNOA, UNOB, UNOW and UNOY, of which ASCII is a part) unless one is
    given. today decides the century of a two-digit birth year (the latest one not in the
    future)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path, whole=True)
    text = "".join(decoded_lines(path, encoding or _declared_encoding(path)))
    return parse_paxlst(text, path, today)


SYNTAX_ENCODINGS = {
    "UNOC": "iso8859-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
}
"""EDIFACT syntax identifiers (UNB S001) of single-byte character sets, with their codecs."""


def _declared_encoding(path: Path) -> str | None:
    """The codec of the syntax identifier in the file's UNB, None for UTF-8 and its subsets (or
    when the head of the file holds no UNB: the reader then says what is wrong)."""
    with path.open("rb") as handle:
        head = handle.read(4096).decode("latin-1")
    service = head[3:9] if head.startswith("UNA") and len(head) >= 9 else DEFAULT_SERVICE
    found = re.search(f"UNB{re.escape(service[1])}([A-Z]{{4}})", head)
    return SYNTAX_ENCODINGS.get(found.group(1)) if found else None


def parse_paxlst(text: str, name: Path, today: dt.date | None = None) -> list[Manifest]:
    """The manifests of a PAXLST interchange given as text; errors name it `name`."""
    segments = _split(name, text)
    if not segments:
        raise InputError(f"{name}: empty file, not a PAXLST interchange")
    return _Reader(name, today or dt.date.today()).read(segments)


@dataclass(slots=True)
class _Segment:
    number: int
    tag: str
    elements: list[list[str]]
    """Data elements after the tag, each a list of components."""

    def value(self, element: int, component: int = 0) -> str:
        """Element (1-based after the tag) and component (0-based), '' when absent."""
        if element > len(self.elements):
            return ""
        parts = self.elements[element - 1]
        return parts[component].strip() if component < len(parts) else ""

    def components(self, element: int) -> list[str]:
        return list(self.elements[element - 1]) if element <= len(self.elements) else []


def _fail(path: Path, number: int, tag: str, message: str) -> InputError:
    return InputError(f"{path}: segment {number} ({tag}): {message}")


def _service(path: Path, text: str) -> tuple[str, int]:
    """The service characters and where the first segment after UNA starts."""
    if not text.startswith("UNA"):
        return DEFAULT_SERVICE, 0
    chars = text[3:9]
    component, element, decimal, release, reserved, terminator = list((chars + "      ")[:6])
    separators = [component, element, terminator] + ([release] if release != " " else [])
    problem = None
    if len(chars) < 6 or "\n" in chars[:5] or "\r" in chars[:5]:
        problem = "UNA needs six service characters before the line ends"
    elif len(set(separators)) != len(separators):
        problem = f"the service characters {chars!r} repeat a separator"
    elif any(c.isalnum() or c == " " for c in separators):
        problem = f"the service characters {chars!r} use a letter, digit or space as separator"
    elif decimal not in ".,":
        problem = f"the decimal mark {decimal!r} is neither '.' nor ','"
    elif reserved != " ":
        problem = f"the reserved service character is {reserved!r}, not a space"
    if problem:
        raise _fail(path, 1, "UNA", problem)
    return chars, 9


def _split(path: Path, text: str) -> list[_Segment]:
    """Segments of the text, elements and components split, release characters resolved.

    Plain string splits when the text has no release character, or once each released character
    stands in for itself in a private-use plane; the general reading (_split_runs) for a text
    that uses that plane itself or releases a character outside it, or ends in a release."""
    service, position = _service(path, text)
    release = service[3]
    if release == " " or release not in text[position:]:
        return _split_plain(path, text, position, service)
    if not _PRIVATE.search(text) and not re.search(
        f"{re.escape(release)}(?:[^\x00-\uffff]|\\Z)", text, re.S
    ):
        hidden = re.sub(f"{re.escape(release)}(.)", _hide, text[position:], flags=re.S)
        return _split_plain(path, "", 0, service, hidden, start=1 if position else 0)
    return _split_runs(path, text, position, service)


def _split_runs(path: Path, text: str, position: int, service: str) -> list[_Segment]:
    """_split read as runs: a released character, a separator, or a stretch of ordinary
    characters."""
    component, element, release, terminator = service[0], service[1], service[3], service[5]
    separators = re.escape(component + element + terminator)
    if release != " ":
        special = separators + re.escape(release)
        runs = re.compile(
            rf"{re.escape(release)}(.)|({re.escape(release)}\Z)|([{separators}])|([^{special}]+)",
            re.S,
        )
    else:
        runs = re.compile(f"()(?!)|()(?!)|([{separators}])|([^{separators}]+)", re.S)
    dropped = str.maketrans("", "", "".join(_LAYOUT - set(service)))
    number = 1 if position else 0
    segments: list[_Segment] = []
    elements: list[list[str]] = [[]]
    current: list[str] = []
    started = False

    def partial_tag() -> str:
        return elements[0][0] if elements[0] else "".join(current)[:3]

    for match in runs.finditer(text, position):
        released, separator, ordinary = match.group(1), match.group(3), match.group(4)
        if ordinary is not None:
            if not started:
                ordinary = _skip_blank(ordinary, service)
                if not ordinary:
                    continue
                started = True
            current.append(ordinary.translate(dropped))
            continue
        started = True
        if released is not None:
            current.append(released)
        elif separator is None:
            raise _fail(path, number + 1, partial_tag(), "the file ends in a release character")
        elif separator == component:
            elements[-1].append("".join(current))
            current = []
        elif separator == element:
            elements[-1].append("".join(current))
            elements.append([])
            current = []
        else:
            elements[-1].append("".join(current))
            number += 1
            tag = elements[0][0].strip()
            if not _TAG.fullmatch(tag) or len(elements[0]) > 1:
                raise _fail(path, number, tag[:20], f"{tag[:20]!r} is not a segment tag")
            if tag == "UNA":
                raise _fail(path, number, tag, "UNA may only stand at the very start")
            segments.append(_Segment(number, tag, elements[1:]))
            elements, current, started = [[]], [], False
    if started:
        raise _fail(path, number + 1, partial_tag(), f"the segment is not ended by {terminator!r}")
    return segments


_PRIVATE = re.compile("[\U000f0000-\U000fffff]")
_PLANE = 0xF0000


def _hide(match: re.Match[str]) -> str:
    return chr(_PLANE + ord(match.group(1)))


def _reveal(text: str) -> str:
    if not _PRIVATE.search(text):
        return text
    return _PRIVATE.sub(lambda m: chr(ord(m.group()) - _PLANE), text)


def _split_plain(
    path: Path, text: str, position: int, service: str, body: str | None = None, start: int = -1
) -> list[_Segment]:
    """_split for a text without release characters (the usual case), or for `body`, a text
    whose released characters are hidden: plain string splits, the same segments and the same
    errors. `start` is the number of the segment before the first (UNA's), when body is given."""
    component, element, terminator = service[0], service[1], service[5]
    hidden = body is not None
    if body is None:
        body, start = text[position:], 1 if position else 0
    body = body.translate(str.maketrans("", "", "".join(_LAYOUT - set(service))))
    *parts, tail = body.split(terminator)
    number = start
    segments: list[_Segment] = []
    for raw in parts:
        number += 1
        elements = [chunk.split(component) for chunk in _skip_blank(raw, service).split(element)]
        if hidden and _PRIVATE.search(raw):
            elements = [[_reveal(c) for c in chunk] for chunk in elements]
        tag = elements[0][0].strip()
        if not _TAG.fullmatch(tag) or len(elements[0]) > 1:
            raise _fail(path, number, tag[:20], f"{tag[:20]!r} is not a segment tag")
        if tag == "UNA":
            raise _fail(path, number, tag, "UNA may only stand at the very start")
        segments.append(_Segment(number, tag, elements[1:]))
    tail = _skip_blank(tail, service)
    if tail:
        cut = min((i for i in (tail.find(component), tail.find(element)) if i >= 0), default=-1)
        partial = tail[:cut] if cut >= 0 else tail[:3]
        partial = _reveal(partial) if hidden else partial
        raise _fail(path, number + 1, partial, f"the segment is not ended by {terminator!r}")
    return segments


def _skip_blank(run: str, service: str) -> str:
    """A run at the start of a segment without the white space before it (a service character
    that is white space, the reserved space, is kept)."""
    for index, char in enumerate(run):
        if not char.isspace() or char in service:
            return run[index:]
    return ""


@dataclass(slots=True)
class _Envelope:
    """An open UNB interchange or UNG group: where it began, its reference, what it holds."""

    segment: _Segment
    reference: str
    messages: int = 0
    groups: int = 0


@dataclass(slots=True)
class _LegDraft:
    origin: str | None = None
    destination: str | None = None
    departure: dt.datetime | None = None
    arrival: dt.datetime | None = None


@dataclass(slots=True)
class _DocumentDraft:
    type: str
    number: str
    expiry: dt.date | None = None
    issuing_country: str | None = None


@dataclass(slots=True)
class _TravellerDraft:
    role: Role
    surname: str
    given_names: str
    sex: str | None = None
    birth_date: BirthDate | None = None
    nationality_code: str | None = None
    documents: list[_DocumentDraft] = field(default_factory=list)
    pnr: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None

    def freeze(self) -> Traveller:
        code = self.nationality_code
        return Traveller(
            role=self.role,
            surname=self.surname,
            given_names=self.given_names,
            sex=self.sex,
            birth_date=self.birth_date,
            nationality=icao_state(code) if code else None,
            nationality_code=code,
            documents=[
                Document(d.type, d.number, d.expiry, d.issuing_country) for d in self.documents
            ],
            pnr=self.pnr,
            embarkation=self.embarkation,
            debarkation=self.debarkation,
        )


class _Message:
    """The segments of one UNH ... UNT message, read into a manifest as they come."""

    def __init__(self, path: Path, today: dt.date, header: _Segment) -> None:
        self.path = path
        self.today = today
        self.header = header
        self.reference = header.value(1)
        self.segments = 1
        self.flight: str | None = None
        self.legs: list[_LegDraft] = []
        self.travellers: list[_TravellerDraft] = []
        self.traveller: _TravellerDraft | None = None
        self.document: _DocumentDraft | None = None
        if not self.reference:
            raise self.fail(header, "no message reference number")
        kind = header.value(2)
        if kind != "PAXLST":
            raise self.fail(header, f"message type {kind!r} is not PAXLST")

    def fail(self, segment: _Segment, message: str) -> InputError:
        return _fail(self.path, segment.number, segment.tag, message)

    def required(self, segment: _Segment, element: int, what: str, component: int = 0) -> str:
        value = segment.value(element, component)
        if not value:
            qualifier = segment.value(1)
            raise self.fail(segment, f"{segment.tag}+{qualifier} has no {what}")
        return value

    def add(self, segment: _Segment) -> None:
        self.segments += 1
        handler = self._handlers.get(segment.tag)
        if handler is not None:
            handler(self, segment)

    def _tdt(self, segment: _Segment) -> None:
        flight = self.required(segment, 2, "flight id")
        self.flight = self.flight or flight
        self.legs.append(_LegDraft())
        self.traveller = self.document = None

    def _nad(self, segment: _Segment) -> None:
        role = ROLES.get(segment.value(1))
        self.traveller = self.document = None
        if role is None:
            return
        name = [part.strip() for part in segment.components(4)]
        surname = self.required(segment, 4, "traveller name")
        given = " ".join(part for part in name[1:] if part)
        if not given and "/" in surname:  # one component written the PNR way, SURNAME/GIVEN
            surname, _, given = (part.strip() for part in surname.partition("/"))
            if not surname:
                raise self.fail(segment, f"NAD+{segment.value(1)} has no surname before '/'")
        self.traveller = _TravellerDraft(role, surname, given)
        self.travellers.append(self.traveller)

    def _att(self, segment: _Segment) -> None:
        if self.traveller is None or segment.value(1) != "2":
            return
        code = self.required(segment, 3, "sex").upper()
        if code not in _SEXES:
            raise self.fail(segment, f"{code!r} is not a sex M, F or U")
        self.traveller.sex = _SEXES[code]

    def _nat(self, segment: _Segment) -> None:
        if self.traveller is not None and segment.value(1) == "2":
            self.traveller.nationality_code = self.required(segment, 2, "nationality").upper()

    def _rff(self, segment: _Segment) -> None:
        if self.traveller is not None and segment.value(1) == "AVF":
            self.traveller.pnr = self.required(segment, 1, "PNR locator", component=1)

    def _doc(self, segment: _Segment) -> None:
        if self.traveller is None:
            return
        kind = self.required(segment, 1, "document type")
        number = self.required(segment, 2, "document number")
        self.document = _DocumentDraft(kind.upper(), number)
        self.traveller.documents.append(self.document)

    def _loc(self, segment: _Segment) -> None:
        qualifier = segment.value(1)
        traveller, leg = self.traveller, self.legs[-1] if self.legs else None
        if traveller is not None:
            if qualifier == "178":
                traveller.embarkation = self.required(segment, 2, "port of embarkation")
            elif qualifier == "179":
                traveller.debarkation = self.required(segment, 2, "port of debarkation")
            elif qualifier == "91" and self.document is not None:
                code = self.required(segment, 2, "issuing country")
                self.document.issuing_country = icao_state(code)
        elif leg is not None:
            if qualifier == "125":
                airport = self.required(segment, 2, "departure airport")
                if leg.origin is not None:
                    leg = _LegDraft()
                    self.legs.append(leg)
                leg.origin = airport
            elif qualifier == "87":
                airport = self.required(segment, 2, "arrival airport")
                if leg.destination is not None:
                    leg = _LegDraft()
                    self.legs.append(leg)
                leg.destination = airport

    def _dtm(self, segment: _Segment) -> None:
        qualifier = segment.value(1)
        if self.traveller is not None:
            if qualifier == "329":
                self.traveller.birth_date = self._birth(segment)
            elif qualifier == "36" and self.document is not None:
                self.document.expiry = self._expiry(segment)
        elif self.legs:
            if qualifier == "189":
                self.legs[-1].departure = self._time(segment)
            elif qualifier == "232":
                self.legs[-1].arrival = self._time(segment)

    _handlers: ClassVar[dict[str, Callable[[_Message, _Segment], None]]] = {
        "TDT": _tdt,
        "NAD": _nad,
        "ATT": _att,
        "NAT": _nat,
        "RFF": _rff,
        "DOC": _doc,
        "LOC": _loc,
        "DTM": _dtm,
    }

    def _birth(self, segment: _Segment) -> BirthDate:
        """DTM+329: YYMMDD (format 101 or none), CCYYMMDD (102), CCYYMM (610) or CCYY (602); an
        unknown month or day written 00 (or XX) leaves the month or year open. A two-digit year
        takes the latest century not in the future."""
        text = self.required(segment, 1, "date", component=1)
        form = segment.value(1, 2) or {8: "102", 4: "602"}.get(len(text), "101")
        pattern = _BIRTH_FORMS.get(form)
        if pattern is None:
            raise self.fail(segment, f"birth date format {form!r} is not 101, 102, 602 or 610")
        parts = _date_parts(text, pattern)
        try:
            if parts is None:
                raise ValueError
            born = birth_interval(*parts, today=self.today, two_digit=pattern[:2] == "YY")
        except ValueError:
            raise self.fail(segment, f"{text!r} is not a date {pattern}") from None
        if born.earliest > self.today:
            raise self.fail(segment, f"{text!r} is a birth date in the future")
        return born

    def _expiry(self, segment: _Segment) -> dt.date:
        """DTM+36: YYMMDD (101 or none; in the 2000s unless that is more than 50 years ahead) or
        CCYYMMDD (102)."""
        text = self.required(segment, 1, "date", component=1)
        form = segment.value(1, 2) or ("102" if len(text) == 8 else "101")
        pattern = {"101": "YYMMDD", "102": "CCYYMMDD"}.get(form)
        if pattern is None:
            raise self.fail(segment, f"date format {form!r} is not 101 or 102")
        parts = _date_parts(text, pattern, unknown=())
        century = 0
        if parts is not None and pattern == "YYMMDD":
            century = 2000 if parts[0] + 2000 <= self.today.year + 50 else 1900
        day = _calendar(parts, century)
        if day is None:
            raise self.fail(segment, f"{text!r} is not a date {pattern}")
        return day

    def _time(self, segment: _Segment) -> dt.datetime:
        """DTM date and time: YYMMDDHHMM (format 201, in the 2000s) or CCYYMMDDHHMM (203)."""
        text = self.required(segment, 1, "date and time", component=1)
        form = segment.value(1, 2) or ("203" if len(text) == 12 else "201")
        pattern = {"201": "YYMMDDHHMM", "203": "CCYYMMDDHHMM"}.get(form)
        if pattern is None:
            raise self.fail(segment, f"date and time format {form!r} is not 201 or 203")
        day = None
        if len(text) == len(pattern):
            parts = _date_parts(text[:-4], pattern[:-4], unknown=())
            day = _calendar(parts, 2000 if pattern[0] == "Y" else 0)
        clock = text[-4:]
        if day is None or not clock.isdigit() or int(clock[:2]) > 23 or int(clock[2:]) > 59:
            raise self.fail(segment, f"{text!r} is not a date and time {pattern}")
        return dt.datetime(day.year, day.month, day.day, int(clock[:2]), int(clock[2:]))

    def close(self, trailer: _Segment) -> Manifest:
        self.segments += 1
        count = trailer.value(1)
        if not (count.isascii() and count.isdigit() and int(count) == self.segments):
            raise self.fail(
                trailer,
                f"the message counts {count or 'no'} segments, but UNH (segment "
                f"{self.header.number}) to UNT hold {self.segments}",
            )
        if trailer.value(2) != self.reference:
            raise self.fail(
                trailer,
                f"reference {trailer.value(2)!r} does not match UNH's {self.reference!r}",
            )
        if self.flight is None:
            raise self.fail(self.header, "the message has no TDT+20 flight")
        legs = self.legs
        return Manifest(
            flight=self.flight,
            departure_airport=legs[0].origin,
            arrival_airport=legs[-1].destination,
            departure_time=legs[0].departure,
            arrival_time=legs[-1].arrival,
            legs=[Leg(leg.origin, leg.destination) for leg in legs],
            travellers=[draft.freeze() for draft in self.travellers],
            message_reference=self.reference,
        )


_BIRTH_FORMS = {"101": "YYMMDD", "102": "CCYYMMDD", "610": "CCYYMM", "602": "CCYY"}
"""DTM date formats of a birth date (EDIFACT 2379)."""


def _date_parts(
    text: str, pattern: str, unknown: tuple[str, ...] = ("00", "XX")
) -> tuple[int, int | None, int | None] | None:
    """Year, month and day of a date written to the pattern; a month or day written as one of
    `unknown` is None (and so is one the pattern leaves out). None when the text does not fit."""
    if len(text) != len(pattern) or not text.isascii():
        return None
    width = 4 if pattern.startswith("CC") else 2  # every pattern is [CC]YY[MM[DD]]
    year, rest = text[:width], text[width:]
    if not year.isdigit():
        return None
    found: list[int | None] = []
    for index in (0, 2):
        part = rest[index : index + 2]
        if not part or part.upper() in unknown:
            found.append(None)
        elif part.isdigit():
            found.append(int(part))
        else:
            return None
    return int(year), found[0], found[1]


def _calendar(parts: tuple[int, int | None, int | None] | None, century: int) -> dt.date | None:
    """The day of whole date parts (the year plus century), None when there is none."""
    if parts is None or parts[1] is None or parts[2] is None:
        return None
    try:
        return dt.date(parts[0] + century, parts[1], parts[2])
    except ValueError:
        return None


class _Reader:
    """The envelope state machine: interchanges, groups, messages."""

    def __init__(self, path: Path, today: dt.date) -> None:
        self.path = path
        self.today = today
        self.interchange: _Envelope | None = None
        self.group: _Envelope | None = None
        self.message: _Message | None = None
        self.manifests: list[Manifest] = []
        self.bare = False
        """A file of messages with no UNB at all (as test tools and some gateways pass them on):
        they are read without the envelope's checks."""

    def fail(self, segment: _Segment, message: str) -> InputError:
        return _fail(self.path, segment.number, segment.tag, message)

    def read(self, segments: list[_Segment]) -> list[Manifest]:
        self.bare = not any(segment.tag == "UNB" for segment in segments)
        for segment in segments:
            if self.message is not None:
                self._in_message(segment, self.message)
            else:
                self._outside(segment)
        for open_ in (self.message, self.group, self.interchange):
            if open_ is not None:
                header = open_.header if isinstance(open_, _Message) else open_.segment
                closer = {"UNH": "UNT", "UNG": "UNE", "UNB": "UNZ"}[header.tag]
                raise self.fail(header, f"the file ends before {closer} closes this {header.tag}")
        return self.manifests

    def _in_message(self, segment: _Segment, message: _Message) -> None:
        if segment.tag == "UNT":
            self.manifests.append(message.close(segment))
            self.message = None
            envelope = self.group or self.interchange
            if envelope is not None:
                envelope.messages += 1
        elif segment.tag in {"UNB", "UNZ", "UNG", "UNE", "UNH"}:
            raise self.fail(
                segment,
                f"{segment.tag} inside the message begun at segment {message.header.number}",
            )
        else:
            message.add(segment)

    def _outside(self, segment: _Segment) -> None:
        tag = segment.tag
        if tag == "UNB":
            if self.interchange is not None:
                raise self.fail(segment, "UNB inside an interchange not closed by UNZ")
            self.interchange = _Envelope(segment, self._reference(segment, 5, "interchange"))
        elif tag == "UNG":
            if self.interchange is None or self.group is not None:
                raise self.fail(segment, "UNG outside an interchange or inside a group")
            self.group = _Envelope(segment, self._reference(segment, 5, "group"))
        elif tag == "UNH":
            if self.interchange is None and not self.bare:
                raise self.fail(segment, "UNH outside any UNB interchange")
            self.message = _Message(self.path, self.today, segment)
        elif tag == "UNE":
            if self.group is None:
                raise self.fail(segment, "UNE without UNG")
            self._close(segment, self.group, self.group.messages)
            self.group = None
            if self.interchange is not None:
                self.interchange.groups += 1
        elif tag == "UNZ":
            if self.interchange is None or self.group is not None:
                raise self.fail(segment, "UNZ without UNB, or before UNE closes a group")
            held = self.interchange.groups or self.interchange.messages
            self._close(segment, self.interchange, held)
            self.interchange = None
        else:
            raise self.fail(segment, f"{tag} is outside any message (UNH ... UNT)")

    def _reference(self, segment: _Segment, element: int, what: str) -> str:
        reference = segment.value(element)
        if not reference:
            raise self.fail(segment, f"no {what} control reference")
        return reference

    def _close(self, trailer: _Segment, envelope: _Envelope, held: int) -> None:
        count = trailer.value(1)
        if not (count.isascii() and count.isdigit() and int(count) == held):
            opener = envelope.segment
            raise self.fail(
                trailer,
                f"the count {count!r} does not match the {held} held since {opener.tag} "
                f"(segment {opener.number})",
            )
        if trailer.value(2) != envelope.reference:
            raise self.fail(
                trailer,
                f"reference {trailer.value(2)!r} does not match {envelope.segment.tag}'s "
                f"{envelope.reference!r}",
            )


def write_paxlst(manifests: Sequence[Manifest], interchange: str = "1") -> str:
    """Manifests as a PAXLST interchange with the default service characters, every value
    released where it holds one (what read_paxlst reads back; for tests and test data)."""
    release = str.maketrans({c: "?" + c for c in "?'+:"})

    def text(value: str | None) -> str:
        return (value or "").translate(release)

    segments = [f"UNB+UNOA:4+FINMON:ZZ+BORDER:ZZ+000101:0000+{text(interchange)}"]
    for manifest in manifests:
        body = ["BGM+745"]
        for number, leg in enumerate(manifest.legs or [Leg(None, None)]):
            body.append(f"TDT+20+{text(manifest.flight)}")
            if leg.origin:
                body.append(f"LOC+125+{text(leg.origin)}")
            if number == 0 and manifest.departure_time:
                body.append(f"DTM+189:{manifest.departure_time:%y%m%d%H%M}:201")
            if leg.destination:
                body.append(f"LOC+87+{text(leg.destination)}")
            if number == len(manifest.legs) - 1 and manifest.arrival_time:
                body.append(f"DTM+232:{manifest.arrival_time:%y%m%d%H%M}:201")
        for traveller in manifest.travellers:
            qualifier = "FL" if traveller.role == "passenger" else "FM"
            name = text(traveller.surname)
            if traveller.given_names:
                name += f":{text(traveller.given_names)}"
            body.append(f"NAD+{qualifier}+++{name}")
            if traveller.sex:
                body.append(f"ATT+2++{traveller.sex}")
            if traveller.birth_date:
                body.append(f"DTM+329:{yymmdd_form(traveller.birth_date)}")
            if traveller.embarkation:
                body.append(f"LOC+178+{text(traveller.embarkation)}")
            if traveller.debarkation:
                body.append(f"LOC+179+{text(traveller.debarkation)}")
            if traveller.nationality_code:
                body.append(f"NAT+2+{text(traveller.nationality_code)}")
            if traveller.pnr:
                body.append(f"RFF+AVF:{text(traveller.pnr)}")
            for document in traveller.documents:
                body.append(f"DOC+{text(document.type)}:110:111+{text(document.number)}")
                if document.expiry:
                    body.append(f"DTM+36:{document.expiry:%y%m%d}")
                if document.issuing_country:
                    body.append(f"LOC+91+{_alpha3(document.issuing_country)}")
        reference = text(manifest.message_reference)
        segments += [f"UNH+{reference}+PAXLST:D:05B:UN:IATA", *body]
        segments.append(f"UNT+{len(body) + 2}+{reference}")
    segments.append(f"UNZ+{len(manifests)}+{text(interchange)}")
    return "UNA:+.? '" + "".join(segment + "'" for segment in segments)


def _alpha3(alpha2: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return str(country.alpha_3) if country is not None else alpha2
