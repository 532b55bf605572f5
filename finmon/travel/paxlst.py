"""UN/EDIFACT PAXLST passenger and crew manifests (REFERENCE.md section 8) as travellers to screen.

Syntax: an optional `UNA` at the very start gives six service characters (component separator,
data element separator, decimal mark, release character, reserved space, segment terminator);
without it they are `:` `+` `.` `?` ` ` `'`. The release character makes the next character
literal. Line breaks are layout only and are dropped wherever they stand unreleased.

Envelope: `UNB` ... `UNZ` interchanges, optional `UNG` ... `UNE` groups, and `UNH` ... `UNT`
messages. The counts and control references of UNT, UNE and UNZ are checked against what they
close. Every segment outside a message other than the envelope is a fault. A file of bare
messages (UNH ... UNT and no UNB at all) is read as they are; a UNH outside UNB ... UNZ in a file
that has interchanges is refused.

A message is one manifest: `TDT+20+<flight>` starts a leg (the first TDT gives the flight id);
`LOC+125`/`DTM+189` are a leg's departure airport and time, `LOC+87`/`DTM+232` its arrival.
`NAD+FL`/`NAD+DDU` start a passenger, `NAD+FM`/`NAD+DDT` a crew member; the traveller's
`ATT+2`, `DTM+329`, `LOC+178`/`179`, `NAT+2`, `RFF+AVF` and `DOC` (with its `DTM+36` and
`LOC+91`) follow. Any other segment is skipped.

Faults name the file, the segment number (1-based, counting UNA when present) and its tag.
read_paxlst (and `--strict`) refuses a file at its first fault; read_manifests reads every
traveller it can and reports each fault: a wrong count or reference, text after UNZ, a segment
that is not one, a byte not valid in the declared character set, a traveller whose NAD cannot be
read (skipped, with the segments that follow it) or one of whose details cannot (the detail is
left out, the traveller screened). White space before the first segment is layout; the fifth UNA
character is the reserved space, or under syntax version 4 the repetition separator (`*`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

from finmon.errors import InputError
from finmon.model import BirthDate, Gender, Identifier, Party, Schema
from finmon.screening.filelimits import check_size
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
    """The manifests of a PAXLST interchange file, one per UNH ... UNT message; the first fault
    refuses the file (strict: read_manifests reads every traveller it can instead).

    The encoding is the one UNB's syntax identifier names (UNOC ISO 8859-1, UNOE ISO 8859-5
    Cyrillic ...; UTF-8 for UNOA, UNOB, UNOW and UNOY, of which ASCII is a part) unless one is
    given. today decides the century of a two-digit birth year (the latest one not in the
    future)."""
    reading = read_manifests(path, encoding, today)
    if reading.first is not None:
        raise reading.first
    return reading.manifests


@dataclass(slots=True)
class PaxlstReading:
    """What a lenient reading found: the manifests with every traveller that could be read, each
    fault by segment, and the travellers skipped (their NAD's fault)."""

    manifests: list[Manifest]
    faults: list[SegmentFault]
    """Every fault, in segment order."""
    skipped: list[SegmentFault]
    first: SegmentFault | None = None
    """The fault a strict reading refuses the file for (the first it meets)."""

    @property
    def travellers(self) -> int:
        """How many travellers were read (all of them are screened)."""
        return sum(len(manifest.travellers) for manifest in self.manifests)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the counts and each fault by segment (`skipped` for a traveller not read)."""
        skipped = {id(fault) for fault in self.skipped}
        return {
            "travellers_read": self.travellers,
            "travellers_screened": self.travellers,
            "travellers_skipped": len(self.skipped),
            "faults": [
                {
                    "segment": fault.segment,
                    "tag": fault.tag,
                    "fault": fault.detail,
                    "traveller_skipped": id(fault) in skipped,
                }
                for fault in self.faults
            ],
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """How many travellers were read, screened and skipped, and the faults, in one line."""
        why = "; ".join(f"{f.place()}: {f.detail}" for f in self.skipped)
        text = (
            f"{self.travellers} travellers read, {self.travellers} screened, "
            f"{len(self.skipped)} skipped" + (f" ({why})" if why else "")
        )
        return text + f"; {len(self.faults)} faults in the file"


def read_manifests(
    path: Path, encoding: str | None = None, today: dt.date | None = None
) -> PaxlstReading:
    """Every traveller of a PAXLST file that can be read, whatever is wrong elsewhere in it: an
    integrity fault (segment counts, references, text after UNZ, an unreadable traveller, a byte
    not valid in the declared character set) is reported by segment and the reading goes on."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path, whole=True)
    identifier = _declared_identifier(path)
    codec = encoding or SYNTAX_ENCODINGS.get(identifier or "") or "utf-8-sig"
    text, bad = _decode_marking(path.read_bytes(), codec)
    charset = f"{identifier or 'the declared character set'} (read as {codec})"
    return _lenient(text, path, today, bad, charset)


def parse_manifests(text: str, name: Path, today: dt.date | None = None) -> PaxlstReading:
    """read_manifests of a PAXLST interchange given as text; faults name it `name`."""
    return _lenient(text, name, today, [], "")


def _lenient(
    text: str, path: Path, today: dt.date | None, bad: list[bytes], charset: str
) -> PaxlstReading:
    split: list[SegmentFault] = []
    segments = _split(path, _without_leading_space(text), split.append)
    undecodable: list[SegmentFault] = []
    if bad:
        _undecodable(path, segments, bad, charset, undecodable.append)
    # The first fault as a strict reading meets it: bytes, then segments, then their order.
    found = undecodable + split
    if not segments:
        raise found[0] if found else InputError(f"{path}: empty file, not a PAXLST interchange")
    reader = _Reader(path, today or dt.date.today(), found.append)
    manifests = reader.read(segments)
    first = found[0] if found else None
    return PaxlstReading(manifests, sorted(found, key=lambda f: f.segment), reader.skipped, first)


_MARK = "\ufffd"
"""What a byte that does not decode is read as (the fault names it by its segment)."""


def _decode_marking(data: bytes, codec: str) -> tuple[str, list[bytes]]:
    """The text, each undecodable byte sequence read as U+FFFD; and those sequences in order."""
    bad: list[bytes] = []
    parts: list[str] = []
    position = 0
    while True:
        try:
            parts.append(data[position:].decode(codec))
            return "".join(parts), bad
        except UnicodeDecodeError as exc:
            parts.append(data[position : position + exc.start].decode(codec))
            bad.append(data[position + exc.start : position + exc.end])
            parts.append(_MARK)
            position += exc.end
            if len(bad) >= 1000:  # beyond that, one more fault per byte says nothing new
                parts.append(data[position:].decode(codec, "replace"))
                return "".join(parts), bad


def _undecodable(
    path: Path, segments: list[_Segment], bad: list[bytes], charset: str, report: Report
) -> None:
    """A fault for each segment holding a byte that did not decode."""
    pending = iter(bad)
    for segment in segments:
        marks = sum(part.count(_MARK) for element in segment.elements for part in element)
        if marks:
            shown = ", ".join("0x" + next(pending, b"").hex() for _ in range(marks))
            problem = f"byte {shown} is not valid in {charset}; --encoding names another"
            report(_fail(path, segment.number, segment.tag, problem))


def _without_leading_space(text: str) -> str:
    """The text without white space (or a byte order mark) before its first segment."""
    return text.lstrip("\ufeff \t\r\n")


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


def _declared_identifier(path: Path) -> str | None:
    """The syntax identifier (UNOA, UNOC ...) of the file's UNB, None when there is none."""
    with path.open("rb") as handle:
        head = _without_leading_space(handle.read(4096).decode("latin-1"))
    service = head[3:9] if head.startswith("UNA") and len(head) >= 9 else DEFAULT_SERVICE
    found = re.search(f"UNB{re.escape(service[1])}([A-Z]{{4}})", head)
    return found.group(1) if found else None


def parse_paxlst(text: str, name: Path, today: dt.date | None = None) -> list[Manifest]:
    """The manifests of a PAXLST interchange given as text; errors name it `name`."""
    segments = _split(name, _without_leading_space(text))
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


class SegmentFault(InputError):
    """A fault of one segment: its number, its tag and what is wrong."""

    def __init__(self, path: Path, number: int, tag: str, message: str) -> None:
        super().__init__(f"{path}: segment {number} ({tag}): {message}")
        self.segment = number
        self.tag = tag
        self.detail = message

    def place(self) -> str:
        """segment N (TAG), as the hits file and the summary name it."""
        return f"segment {self.segment} ({self.tag})"


Report = Callable[[SegmentFault], None]
"""What a reader does with a fault: raise it (strict), or note it and read on."""


def _raise(fault: SegmentFault) -> None:
    raise fault


def _fail(path: Path, number: int, tag: str, message: str) -> SegmentFault:
    return SegmentFault(path, number, tag, message)


def _service(path: Path, text: str, report: Report = _raise) -> tuple[str, int]:
    """The service characters and where the first segment after UNA starts. The fifth is the
    reserved space in syntax versions 1 to 3, and may be the repetition separator (often `*`)
    in version 4, as UNB's syntax identifier says."""
    if not text.startswith("UNA"):
        return DEFAULT_SERVICE, 0
    chars = text[3:9]
    syntax = _syntax_version(text[9:], chars)
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
    elif reserved != " " and (syntax != "4" or reserved.isalnum() or reserved in separators):
        problem = f"the reserved service character is {reserved!r}, not a space"
        if syntax == "4":
            problem += " nor a repetition separator (syntax version 4)"
    if problem:
        fault = _fail(path, 1, "UNA", problem)
        if len(chars) < 6 or len(set(separators)) != len(separators) or reserved == chars[5]:
            raise fault  # no segment can be told from the next: nothing to read on with
        report(fault)
    return chars, 9


def _syntax_version(after: str, chars: str) -> str:
    """The syntax version number of the UNB that follows UNA (UNOA:4 gives '4'), '' if none."""
    component, element = chars[:1], chars[1:2]
    after = after.lstrip()
    if not element or not after.startswith("UNB" + element):
        return ""
    identifier = after[4:].split(element, 1)[0].split(component)
    return identifier[1].strip() if len(identifier) > 1 else ""


def _split(path: Path, text: str, report: Report = _raise) -> list[_Segment]:
    """Segments of the text, elements and components split, release characters resolved.

    Plain string splits when the text has no release character, or once each released character
    stands in for itself in a private-use plane; the general reading (_split_runs) for a text
    that uses that plane itself or releases a character outside it, or ends in a release."""
    service, position = _service(path, text, report)
    release = service[3]
    if release == " " or release not in text[position:]:
        return _split_plain(path, text, position, service, report=report)
    if not _PRIVATE.search(text) and not re.search(
        f"{re.escape(release)}(?:[^\x00-\uffff]|\\Z)", text, re.S
    ):
        hidden = re.sub(f"{re.escape(release)}(.)", _hide, text[position:], flags=re.S)
        return _split_plain(path, "", 0, service, hidden, start=1 if position else 0, report=report)
    return _split_runs(path, text, position, service, report)


def _split_runs(
    path: Path, text: str, position: int, service: str, report: Report = _raise
) -> list[_Segment]:
    """_split read as runs: a released character, a separator, or a stretch of ordinary
    characters."""
    component, element, terminator = service[0], service[1], service[5]
    runs = _runs_pattern(service)
    dropped = str.maketrans("", "", "".join(_LAYOUT - set(service)))
    number = 1 if position else 0
    segments: list[_Segment] = []
    elements: list[list[str]] = [[]]
    current: list[str] = []
    started = False
    content = False  # more than white space in the segment being read

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
            content = content or bool(ordinary.strip())
            continue
        started = content = True
        if released is not None:
            current.append(released)
        elif separator is None:
            report(_fail(path, number + 1, partial_tag(), "the file ends in a release character"))
            return segments
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
            segment = _Segment(number, tag, elements[1:])
            if _tag_fault(path, segment, len(elements[0]), report):
                segments.append(segment)
            elements, current, started, content = [[]], [], False, False
    if started and content:
        _tail(path, segments, number + 1, partial_tag(), terminator, report, "".join(current))
    return segments


def _runs_pattern(service: str) -> re.Pattern[str]:
    """Groups: 1 a released character, 2 a release at the very end, 3 a separator, 4 a stretch
    of ordinary characters (a blank release character releases nothing)."""
    release = service[3]
    separators = re.escape(service[0] + service[1] + service[5])
    if release == " ":
        return re.compile(f"()(?!)|()(?!)|([{separators}])|([^{separators}]+)", re.S)
    special = separators + re.escape(release)
    return re.compile(
        rf"{re.escape(release)}(.)|({re.escape(release)}\Z)|([{separators}])|([^{special}]+)", re.S
    )


def _tag_fault(path: Path, segment: _Segment, parts: int, report: Report) -> bool:
    """Whether a segment's tag is one (else the fault is reported and the segment dropped)."""
    tag = segment.tag
    if not _TAG.fullmatch(tag) or parts > 1:
        report(_fail(path, segment.number, tag[:20], f"{tag[:20]!r} is not a segment tag"))
        return False
    if tag == "UNA":
        report(_fail(path, segment.number, tag, "UNA may only stand at the very start"))
        return False
    return True


def _tail(
    path: Path,
    segments: list[_Segment],
    number: int,
    partial: str,
    end: str,
    report: Report,
    rest: str = "",
) -> None:
    """Text after the last segment terminator: after UNZ, trailing text; else a cut segment."""
    if segments and segments[-1].tag == "UNZ":
        shown = " ".join(rest.split())[:40] or partial
        report(
            _fail(path, number, partial, f"text after UNZ, the end of the interchange: {shown!r}")
        )
    else:
        report(_fail(path, number, partial, f"the segment is not ended by {end!r}"))


_PRIVATE = re.compile("[\U000f0000-\U000fffff]")
_PLANE = 0xF0000


def _hide(match: re.Match[str]) -> str:
    return chr(_PLANE + ord(match.group(1)))


def _reveal(text: str) -> str:
    if not _PRIVATE.search(text):
        return text
    return _PRIVATE.sub(lambda m: chr(ord(m.group()) - _PLANE), text)


def _split_plain(
    path: Path,
    text: str,
    position: int,
    service: str,
    body: str | None = None,
    start: int = -1,
    report: Report = _raise,
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
        segment = _Segment(number, tag, elements[1:])
        if _tag_fault(path, segment, len(elements[0]), report):
            segments.append(segment)
    tail = _skip_blank(tail, service)
    if tail.strip():  # white space after the last segment is layout, even the reserved space
        cut = min((i for i in (tail.find(component), tail.find(element)) if i >= 0), default=-1)
        partial = tail[:cut] if cut >= 0 else tail[:3]
        partial = _reveal(partial) if hidden else partial
        rest = _reveal(tail) if hidden else tail
        _tail(path, segments, number + 1, partial, terminator, report, rest)
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
        """The traveller as read, with the ISO country of the nationality code."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["documents"] = [Document(*astuple(d)) for d in self.documents]
        code = self.nationality_code
        return Traveller(**values, nationality=icao_state(code) if code else None)


class _Message:
    """The segments of one UNH ... UNT message, read into a manifest as they come."""

    def __init__(
        self, path: Path, today: dt.date, header: _Segment, report: Report = _raise
    ) -> None:
        self.path = path
        self.today = today
        self.header = header
        self.report = report
        self.skipped: list[SegmentFault] = []
        """Travellers that could not be read (their NAD's fault)."""
        self.reference = header.value(1)
        self.segments = 1
        self.flight: str | None = None
        self.legs: list[_LegDraft] = []
        self.travellers: list[_TravellerDraft] = []
        self.traveller: _TravellerDraft | None = None
        self.document: _DocumentDraft | None = None
        if not self.reference:
            report(self.fail(header, "no message reference number"))
        kind = header.value(2)
        if kind != "PAXLST":
            report(self.fail(header, f"message type {kind!r} is not PAXLST"))

    def fail(self, segment: _Segment, message: str) -> SegmentFault:
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
        if handler is None:
            return
        try:
            handler(self, segment)
        except SegmentFault as fault:
            if segment.tag == "NAD" and segment.value(1) in ROLES:
                self.skipped.append(fault)  # the traveller's other segments go with it
            self.report(fault)

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
        kind, number = segment.value(1), segment.value(2)
        if number and not kind:
            # A number without its type still identifies the traveller: kept, and the fault said.
            self.document = _DocumentDraft("", number)
            self.traveller.documents.append(self.document)
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
            self.report(
                self.fail(
                    trailer,
                    f"the message counts {count or 'no'} segments, but UNH (segment "
                    f"{self.header.number}) to UNT hold {self.segments}",
                )
            )
        if trailer.value(2) != self.reference:
            self.report(
                self.fail(
                    trailer,
                    f"reference {trailer.value(2)!r} does not match UNH's {self.reference!r}",
                )
            )
        return self.finish()

    def finish(self) -> Manifest:
        """The manifest as read so far (closed by UNT, or cut short: the fault is reported)."""
        if self.flight is None:
            self.report(self.fail(self.header, "the message has no TDT+20 flight"))
        legs = self.legs or [_LegDraft()]
        return Manifest(
            flight=self.flight or "",
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

    def __init__(self, path: Path, today: dt.date, report: Report = _raise) -> None:
        self.path = path
        self.today = today
        self.report = report
        self.skipped: list[SegmentFault] = []
        self.interchange: _Envelope | None = None
        self.group: _Envelope | None = None
        self.message: _Message | None = None
        self.manifests: list[Manifest] = []
        self.bare = False
        """A file of messages with no UNB at all (as test tools and some gateways pass them on):
        they are read without the envelope's checks."""

    def fail(self, segment: _Segment, message: str) -> SegmentFault:
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
                self.report(
                    self.fail(header, f"the file ends before {closer} closes this {header.tag}")
                )
        if self.message is not None:  # read on: what the message held is still screened
            self._cut(self.message)
        return self.manifests

    def _cut(self, message: _Message) -> None:
        """A message ended without UNT (the fault reported): its travellers are kept."""
        self.manifests.append(message.finish())
        self.skipped += message.skipped
        self.message = None

    def _in_message(self, segment: _Segment, message: _Message) -> None:
        if segment.tag == "UNT":
            self.manifests.append(message.close(segment))
            self.skipped += message.skipped
            self.message = None
            envelope = self.group or self.interchange
            if envelope is not None:
                envelope.messages += 1
        elif segment.tag in {"UNB", "UNZ", "UNG", "UNE", "UNH"}:
            self.report(
                self.fail(
                    segment,
                    f"{segment.tag} inside the message begun at segment {message.header.number}",
                )
            )
            self._cut(message)
            self._outside(segment)
        else:
            message.add(segment)

    def _outside(self, segment: _Segment) -> None:
        tag = segment.tag
        if tag == "UNB":
            if self.interchange is not None:
                self.report(self.fail(segment, "UNB inside an interchange not closed by UNZ"))
            self.interchange = _Envelope(segment, self._reference(segment, 5, "interchange"))
        elif tag == "UNG":
            if self.interchange is None or self.group is not None:
                self.report(self.fail(segment, "UNG outside an interchange or inside a group"))
            self.group = _Envelope(segment, self._reference(segment, 5, "group"))
        elif tag == "UNH":
            if self.interchange is None and not self.bare:
                self.report(self.fail(segment, "UNH outside any UNB interchange"))
            self.message = _Message(self.path, self.today, segment, self.report)
        elif tag == "UNE":
            if self.group is None:
                self.report(self.fail(segment, "UNE without UNG"))
                return
            self._close(segment, self.group, self.group.messages)
            self.group = None
            if self.interchange is not None:
                self.interchange.groups += 1
        elif tag == "UNZ":
            if self.interchange is None or self.group is not None:
                self.report(self.fail(segment, "UNZ without UNB, or before UNE closes a group"))
                self.group = None
            if self.interchange is None:
                return
            held = self.interchange.groups or self.interchange.messages
            self._close(segment, self.interchange, held)
            self.interchange = None
        else:
            self.report(self.fail(segment, f"{tag} is outside any message (UNH ... UNT)"))

    def _reference(self, segment: _Segment, element: int, what: str) -> str:
        reference = segment.value(element)
        if not reference:
            self.report(self.fail(segment, f"no {what} control reference"))
        return reference

    def _close(self, trailer: _Segment, envelope: _Envelope, held: int) -> None:
        count = trailer.value(1)
        if not (count.isascii() and count.isdigit() and int(count) == held):
            opener = envelope.segment
            self.report(
                self.fail(
                    trailer,
                    f"the count {count!r} does not match the {held} held since {opener.tag} "
                    f"(segment {opener.number})",
                )
            )
        if trailer.value(2) != envelope.reference:
            self.report(
                self.fail(
                    trailer,
                    f"reference {trailer.value(2)!r} does not match {envelope.segment.tag}'s "
                    f"{envelope.reference!r}",
                )
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
