"""A goAML report as the FIU receives it: checked, acknowledged, and read into records.

`check_report` applies what the FIU asks of every report: a bounded size, well-formed XML with no
DOCTYPE (so no entity is ever expanded and nothing is fetched), and validity against the FIU's own
schema as the goAML configuration patches it (`finmon.reports.goaml.kz_schema`). It returns every
reason at once, each naming its line and element, the way goAML acknowledges a submission.

`read_report` turns a parsed report into the records the FIU keeps: the header, each person and
organisation as a `Mention` (deduplicated within the report), each transaction as a `Transfer` and
the report's indicators. It reads elements by their local names and passes over what it does not
know, so a report written for another goAML version (the Sri Lankan 2.0 instance, say) can still
be read even though only the configured schema decides whether it is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from lxml import etree

from finmon.errors import InputError
from finmon.fiu.records import Identifier, IdentifierKind, Mention, MentionKind, Transfer
from finmon.reports.goaml import GoamlConfig, validate

Status = Literal["accepted", "rejected"]
_ERROR = re.compile(r"line (\d+): ([^:]*): (.*)", re.DOTALL)
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_NOT_KEY = re.compile(r"[\W_]+")
_CODE_SET = re.compile(r"\{'[^}]*'\}")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a report is refused, at its place: the line and the element path (as goAML says)."""

    element: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.element}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Header:
    """The report's own fields, as the reporting entity wrote them."""

    rentity_id: int | None
    entity_reference: str | None
    report_code: str | None
    submission_date: dt.datetime | None
    schema_version: str | None = None
    rentity_branch: str | None = None
    currency_code_local: str | None = None
    reason: str = ""
    action: str = ""


@dataclass(frozen=True, slots=True)
class Checked:
    """A report after the FIU's checks: its header (read leniently, also when refused), the
    parsed document when it could be parsed, and every reason to refuse it."""

    header: Header
    tree: Any
    reasons: tuple[Reason, ...]

    @property
    def valid(self) -> bool:
        """True when nothing refuses the report."""
        return not self.reasons


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadReport:
    """A report as records: what the FIU stores beside the XML."""

    key: str
    entity: str
    header: Header
    mentions: tuple[Mention, ...]
    transfers: tuple[Transfer, ...]
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledgement:
    """The FIU's answer to one submitted file."""

    file: str
    status: Status
    report: str | None = None
    """The FIU's key of the stored report (accepted or rejected)."""
    entity_bin: str | None = None
    rentity_id: int | None = None
    entity_reference: str | None = None
    report_code: str | None = None
    version: int | None = None
    replaces: str | None = None
    """The key of the earlier version this accepted resubmission replaces."""
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON and CSV, reasons as text each naming its place."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return values | {"reasons": [str(reason) for reason in self.reasons]}


def parse_report(xml: bytes, max_bytes: int) -> Any:
    """The parsed document: bounded, never resolving entities or fetching anything, and no
    DOCTYPE (goAML never has one). InputError naming the line when it cannot be read."""
    if len(xml) > max_bytes:
        raise InputError(f"report: larger than {max_bytes:,} bytes (FINMON_MAX_REPORT_BYTES)")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"line {exc.lineno}: malformed XML: {exc.msg}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise InputError("line 1: refused: a DOCTYPE, which goAML never uses (possible XML attack)")
    return tree


def check_report(xml: bytes, schema: etree.XMLSchema, max_bytes: int) -> Checked:
    """The report checked as the FIU checks every submission; every reason at once."""
    empty = Header(rentity_id=None, entity_reference=None, report_code=None, submission_date=None)
    try:
        tree = parse_report(xml, max_bytes)
    except InputError as exc:
        line, _, message = str(exc).partition(": ")
        number = int(line[5:]) if line.startswith("line ") and line[5:].isdigit() else None
        return Checked(empty, None, (Reason("report", message if number else str(exc), number),))
    reasons = [_reason(error) for error in validate(xml, schema)]
    root = tree.getroot()
    if _local(root) != "report":
        reasons.insert(0, Reason(f"/{_local(root)}", "a goAML report's root is <report>", 1))
    header, problems = read_header(root)
    return Checked(header, tree, tuple(reasons + [r for r in problems if r not in reasons]))


def _reason(error: str) -> Reason:
    found = _ERROR.match(error)
    if found is None:
        return Reason("report", error)
    message = _CODE_SET.sub(_shortened, found.group(3))
    return Reason(found.group(2), message, int(found.group(1)))


def _shortened(found: re.Match[str]) -> str:
    """A code list of hundreds of values named by its size, so each reason stays readable."""
    codes = found.group(0).count("'") // 2
    return found.group(0) if codes <= 12 else f"{{{codes} codes of the FIU's code list}}"


def read_header(root: Any) -> tuple[Header, list[Reason]]:
    """The header however the report is shaped, and what in it cannot be read."""
    problems: list[Reason] = []
    found = {_local(child): child for child in root if isinstance(child.tag, str)}
    rentity = _text(found.get("rentity_id"))
    rentity_id = int(rentity) if rentity and rentity.isdigit() and len(rentity) < 10 else None
    if rentity_id is None:
        problems.append(_at(found.get("rentity_id"), "/report/rentity_id", "no reporting entity"))
    reference = _text(found.get("entity_reference"))
    if not reference:
        problems.append(
            _at(found.get("entity_reference"), "/report/entity_reference", "no report id")
        )
    header = Header(
        rentity_id=rentity_id,
        entity_reference=reference[:255] if reference else None,
        report_code=_text(found.get("report_code"))[:32] or None,
        submission_date=_datetime(_text(found.get("submission_date"))),
        schema_version=_text(found.get("schema_version"))[:32] or None,
        rentity_branch=_text(found.get("rentity_branch")) or None,
        currency_code_local=_text(found.get("currency_code_local")) or None,
        reason=_text(found.get("reason")),
        action=_text(found.get("action")),
    )
    return header, problems


def _at(element: Any, path: str, message: str) -> Reason:
    return Reason(path, message, element.sourceline if element is not None else None)


def read_report(
    checked: Checked, *, key: str, entity: str, config: GoamlConfig, received: dt.datetime
) -> ReadReport:
    """The records of a parsed report: mentions, transfers and indicators."""
    if checked.tree is None:
        raise InputError(f"report {key}: nothing to read, the XML could not be parsed")
    reader = _Reader(key, entity, config, checked.header.submission_date or received)
    root = checked.tree.getroot()
    for child in root:
        name = _local(child)
        if name == "transaction":
            reader.transaction(child)
        elif name == "activity":
            for party in child.iter("{*}report_party", "report_party"):
                reader.party_side(party, reader.filed)
    indicators = tuple(text for e in root.iter("{*}indicator", "indicator") if (text := _text(e)))
    filed = checked.header.submission_date
    return ReadReport(
        key=key,
        entity=entity,
        header=replace(checked.header, submission_date=reader.aware(filed) if filed else None),
        mentions=tuple(reader.mentions.values()),
        transfers=tuple(reader.transfers),
        indicators=indicators,
    )


class _Reader:
    """Collects one report's mentions (one per distinct party) and transfers."""

    def __init__(self, key: str, entity: str, config: GoamlConfig, filed: dt.datetime) -> None:
        self.key = key
        self.entity = entity
        self.config = config
        self.offset = dt.timezone(dt.timedelta(hours=config.utc_offset_hours))
        self.filed = self.aware(filed)
        self.mentions: dict[tuple[Any, ...], Mention] = {}
        self.transfers: list[Transfer] = []
        self.documents = {code: kind for kind, code in config.identification_codes.items()}

    def aware(self, when: dt.datetime) -> dt.datetime:
        # goAML's times have no zone: they are the FIU's local time.
        return when if when.tzinfo else when.replace(tzinfo=self.offset)

    def transaction(self, element: Any) -> None:
        fields = {_local(child): child for child in element}
        when = _datetime(_text(fields.get("date_transaction")))
        seen = self.aware(when) if when else self.filed
        sides = []
        for side in ("from", "to"):
            holder = fields.get(f"t_{side}_my_client")
            holder = holder if holder is not None else fields.get(f"t_{side}")
            sides.append(self.party_side(holder, seen) if holder is not None else "")
        self.transfers.append(
            Transfer(
                report=self.key,
                number=_text(fields.get("transactionnumber")),
                date=seen,
                amount=_amount(_text(fields.get("amount_local"))),
                source=sides[0],
                target=sides[1],
            )
        )

    def party_side(self, element: Any, seen: dt.datetime) -> str:
        """The mentions of one side (or report party); returns the id of its principal one."""
        principal = ""
        for child in element:
            name = _local(child)
            if name.endswith("person"):
                found = self.person(child, (), seen)
            elif name.endswith("entity"):
                found = self.organisation(child, (), seen)
            elif name.endswith("account"):
                found = self.account(child, seen)
            else:
                continue
            principal = principal or found
        return principal

    def account(self, element: Any, seen: dt.datetime) -> str:
        fields = {_local(child): child for child in element}
        number = _key(_text(fields.get("iban")) or _text(fields.get("account")))
        bank = _key(_text(fields.get("swift")) or _text(fields.get("institution_code")))
        value = number if _IBAN.fullmatch(number) or not bank else f"{bank}:{number}"
        account = (Identifier(kind="account", value=value),) if number else ()
        found = ""
        entity = fields.get("t_entity")
        if entity is not None:
            found = self.organisation(entity, account, seen)
        signers = [
            self.person(person, account, seen)
            for signatory in element.iter("{*}signatory", "signatory")
            for person in signatory
            if _local(person) == "t_person"
        ]
        holder = " ".join(_text(fields.get("account_name")).split())
        if not found and holder and not any(_same(holder, self._name(s)) for s in signers):
            kind: MentionKind = "person" if not signers else "organisation"
            found = self.add(kind, holder, None, None, account, seen)
        return found or (signers[0] if signers else "")

    def _name(self, mention_id: str) -> str:
        return next(m.name for m in self.mentions.values() if m.id == mention_id)

    def person(self, element: Any, extra: tuple[Identifier, ...], seen: dt.datetime) -> str:
        fields = {_local(child): child for child in element}
        first, middle, last = (
            _text(fields.get(k)) for k in ("first_name", "middle_name", "last_name")
        )
        parts = (
            [last, first, middle]
            if self.config.name_order == "surname_first"
            else [first, middle, last]
        )
        identifiers = list(extra)
        number = _key(_text(fields.get("id_number")))
        if number:
            identifiers.append(
                Identifier(kind="iin" if _national(number) else "id_card", value=number)
            )
        for document in element.iter("{*}identification", "identification"):
            identifiers += self._document(document)
        identifiers += _phones(element) + _addresses(element)
        birth = _datetime(_text(fields.get("birthdate")))
        nationality = _text(fields.get("nationality1")) or None
        name = " ".join(" ".join(part for part in parts if part).split())
        return self.add(
            "person", name, birth.date() if birth else None, nationality, tuple(identifiers), seen
        )

    def _document(self, element: Any) -> list[Identifier]:
        fields = {_local(child): child for child in element}
        number = _key(_text(fields.get("number")))
        if not number:
            return []
        kind = self.documents.get(_text(fields.get("type")), "id_card")
        return [Identifier(kind="passport" if kind == "passport" else "id_card", value=number)]

    def organisation(self, element: Any, extra: tuple[Identifier, ...], seen: dt.datetime) -> str:
        fields = {_local(child): child for child in element}
        identifiers = list(extra)
        number = _key(_text(fields.get("incorporation_number")))
        if _national(number):
            identifiers.append(Identifier(kind="bin", value=number))
        identifiers += _phones(element) + _addresses(element)
        country = _text(fields.get("incorporation_country_code")) or None
        name = " ".join(_text(fields.get("name")).split())
        return self.add("organisation", name, None, country, tuple(identifiers), seen)

    def add(
        self,
        kind: MentionKind,
        name: str,
        birth: dt.date | None,
        nationality: str | None,
        identifiers: tuple[Identifier, ...],
        seen: dt.datetime,
    ) -> str:
        """The id of the mention with these facts, made once per report."""
        unique = tuple(dict.fromkeys(identifiers))
        found = (kind, name.casefold(), birth, nationality, frozenset(unique))
        known = self.mentions.get(found)
        if known is not None:
            if seen < (known.seen or seen):
                self.mentions[found] = replace(known, seen=seen)
            return known.id
        mention = Mention(
            id=f"{self.key}:p{len(self.mentions) + 1}",
            report=self.key,
            entity=self.entity,
            kind=kind,
            name=name,
            birth_date=birth,
            nationality=nationality,
            identifiers=unique,
            seen=seen,
        )
        self.mentions[found] = mention
        return mention.id


def _phones(element: Any) -> list[Identifier]:
    found = []
    for phone in _own(element, "phones", "phone"):
        fields = {_local(child): _text(child) for child in phone}
        number = _key(fields.get("tph_country_prefix", "") + fields.get("tph_number", ""))
        if number:
            found.append(Identifier(kind="phone", value=number))
    return found


def _addresses(element: Any) -> list[Identifier]:
    found = []
    for address in _own(element, "addresses", "address"):
        fields = {_local(child): _text(child) for child in address}
        parts = (fields.get(k, "") for k in ("address", "town", "city", "zip", "country_code"))
        value = _key(" ".join(parts))
        if value:
            found.append(Identifier(kind="address", value=value))
    return found


def _own(element: Any, group: str, item: str) -> list[Any]:
    """The items of the element's own group (phones/phone), not of people nested inside it."""
    return [
        entry
        for child in element
        if _local(child) == group
        for entry in child
        if _local(entry) == item
    ]


def _national(number: str) -> bool:
    """An IIN or BIN by its shape, 12 digits: the check digit is not asked for, because the FIU
    matches what reporting entities wrote, typing errors included."""
    return len(number) == 12 and number.isascii() and number.isdigit()


def _same(one: str, other: str) -> bool:
    return sorted(one.casefold().split()) == sorted(other.casefold().split())


def _key(text: str) -> str:
    """An identifier's value as records keep it: upper case, letters and digits only."""
    return _NOT_KEY.sub("", text).upper()


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _text(element: Any) -> str:
    if element is None or element.text is None:
        return ""
    return " ".join(str(element.text).split())


def _datetime(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _amount(text: str) -> str:
    try:
        return f"{Decimal(text):f}"
    except InvalidOperation:
        return text


IDENTIFIER_KINDS: tuple[IdentifierKind, ...] = (
    "iin",
    "bin",
    "passport",
    "id_card",
    "account",
    "phone",
    "address",
)
"""Every kind a mention's identifier can have (finmon.fiu.records.IdentifierKind)."""
