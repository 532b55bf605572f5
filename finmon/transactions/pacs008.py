"""ISO 20022 pacs.008 (FI to FI customer credit transfer, versions .07 to .13) and pacs.009
(FI credit transfer, with its COV variant) as canonical transactions.

A file is checked as every XML file finmon reads (no entity declarations, no external DTD, bytes
valid in the declared encoding) and parsed without resolving entities or touching the network.
The messages are found by namespace wherever they are: a bare `Document`, or Documents inside any
envelope (a SWIFT `Envelope`, an Alliance `DataPDU`, a clearing house's `Message`, a plain
`<message>` holding a business application header (head.001 `AppHdr`) and its Document), one or
many per file. The header nearest a Document gives its sender, receiver, message id and creation
time, kept with each payment. Each Document (and its header) is validated against its own
version's schema when one is at hand (FINMON_PACS008_XSD: a schema directory, or one schema file
whose directory holds the others); a version with no schema is read with structural checks and the
payment says so. A message that does not validate is skipped, naming the line and the element path
of the first error, and the other messages of the file are still read. Each `CdtTrfTxInf` becomes
one Transaction, with the paths of REFERENCE.md section 6.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.lists.reading import place
from finmon.lists.xmlsafe import check_xml_file, refuse_doctype
from finmon.screening.filelimits import check_size
from finmon.settings import load_settings
from finmon.transactions.model import MessageInfo, PartyInfo, Reading, Skip, Transaction

ISO = "urn:iso:std:iso:20022:tech:xsd:"
NAMESPACE = ISO + "pacs.008.001.09"
"""The version finmon first read; any pacs.008.001.NN and pacs.009.001.NN is read now."""
MESSAGES = ("pacs.008.001.", "pacs.009.001.")
HEADER = "head.001.001."
SCHEMAS_IN_SHARED = Path("specs/iso20022")
_TRANSFER_ROOTS = {"pacs.008": "FIToFICstmrCdtTrf", "pacs.009": "FICdtTrf"}


def default_schema() -> Path:
    """Where schemas are looked for: FINMON_PACS008_XSD (a directory of `pacs.008.001.NN.xsd`
    files, or one schema file, the others looked for beside it), else the shared specs folder
    (FINMON_SHARED_DIR, or `shared` beside the project's checkout)."""
    settings = load_settings()
    if settings.pacs008_schema is not None:
        return settings.pacs008_schema
    shared = settings.shared_dir or Path(__file__).resolve().parents[3] / "shared"
    return shared / SCHEMAS_IN_SHARED


def read_pacs008(path: Path, schema: Path | None = None) -> list[Transaction]:
    """Every credit transfer of a pacs.008/pacs.009 file; InputError at the first message or
    transfer that cannot be read (read_pacs008_file reads the others and reports the skips)."""
    reading = read_pacs008_file(path, schema)
    if reading.skipped:
        raise InputError(str(reading.skipped[0]))
    return reading.transactions


def read_pacs008_file(path: Path, schema: Path | None = None) -> Reading:
    """Every credit transfer of every pacs.008/pacs.009 message in a file, bare or wrapped, with
    each message or transfer that could not be read skipped and named."""
    root = _parsed(path)
    documents = [e for e in root.iter("{*}Document") if _version(e, MESSAGES)]
    if not documents:
        found = etree.QName(root).namespace
        raise InputError(
            f"{place(path, root.sourceline)}: not a pacs.008 document: no Document in a "
            f"pacs.008.001 or pacs.009.001 namespace (the root is {etree.QName(root).localname!r} "
            f"in namespace {found!r}, expected {NAMESPACE!r} or another version)"
        )
    where = schema or default_schema()
    headers = _headers_by_ancestor(root)
    # Document order of the headers and Documents, to pair each Document with its header.
    wanted = {h for found in headers.values() for h in found} | set(documents)
    order = {e: n for n, e in enumerate(root.iter()) if e in wanted}
    reading = Reading()
    many = len(documents) > 1
    for number, document in enumerate(documents, 1):
        label = f"{path}, message {number}" if many else str(path)
        try:
            info = _message_info(path, root, document, where, headers, order)
        except InputError as exc:
            if not where.exists():
                raise
            # The refusal names the file and line already; the message number is added.
            reading.skipped.append(Skip("", str(exc).replace(str(path), label, 1)))
            continue
        _read_transfers(reading, label, document, info)
    kinds = {
        f"{t.message.format} ({t.message.wrapper}; {t.message.checked})"
        for t in reading.transactions
        if t.message
    }
    reading.notes.extend(sorted(kinds))
    return reading


def _parsed(path: Path) -> Any:
    """The file's root element, parsed within bounds, with no entity, DTD or network."""
    check_size(path, whole=True)
    check_xml_file(path)
    # Without huge_tree libxml2 keeps its own bounds: text nodes of 10 MB, a depth of 256.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        raise InputError(f"{place(path, line, column)}: malformed XML: {exc.msg}") from None
    refuse_doctype(path, root)
    return root


def _read_transfers(reading: Reading, label: str, document: Any, info: MessageInfo) -> None:
    """Each CdtTrfTxInf of one message as a transaction; one that cannot be read is skipped."""
    transfers = document.findall(f"*/{{{_ns(document)}}}CdtTrfTxInf")
    if not transfers:
        reading.skipped.append(
            Skip(f"{label} (line {document.sourceline})", "no CdtTrfTxInf in the message")
        )
    for position, element in enumerate(transfers, 1):
        try:
            reading.transactions.append(_transaction(label, position, element, info))
        except InputError as exc:
            reading.skipped.append(
                Skip(f"{label}, transaction {position} (line {element.sourceline})", str(exc))
            )


def _version(element: Any, prefixes: tuple[str, ...]) -> str | None:
    """pacs.008.001.08 for an element in that namespace; None for any other namespace."""
    namespace = etree.QName(element).namespace or ""
    name = namespace.removeprefix(ISO)
    if namespace.startswith(ISO) and name.startswith(prefixes) and name.count(".") == 3:
        return name
    return None


def _ns(element: Any) -> str:
    return str(etree.QName(element).namespace)


def _message_info(
    path: Path,
    root: Any,
    document: Any,
    where: Path,
    headers: dict[Any, list[Any]],
    order: dict[Any, int],
) -> MessageInfo:
    """The message's version, wrapper and header, after checking it against its schemas."""
    version = str(_version(document, MESSAGES))
    wrapper = "/".join(etree.QName(e).localname for e in reversed(list(document.iterancestors())))
    header = _header_of(document, headers, order)
    checks = [_check(path, root, document, version, where)]
    info = MessageInfo(format=version, wrapper=wrapper or "none")
    if header is not None:
        head_version = str(_version(header, (HEADER,)))
        checks.append(_check(path, root, header, head_version, where))
        info.wrapper = f"{info.wrapper}+AppHdr" if wrapper else "AppHdr"
        info.header = head_version
        info.sender = _agent(header, "Fr")
        info.receiver = _agent(header, "To")
        info.message_id = _text(header, "BizMsgIdr")
        info.created = _text(header, "CreDt") or _text(header, "CreDtTm")
    else:
        info.message_id = _text(document, "*/GrpHdr/MsgId")
        info.created = _text(document, "*/GrpHdr/CreDtTm")
    _structure(path, document)
    info.checked = "; ".join(checks)
    return info


def _header_of(document: Any, headers: dict[Any, list[Any]], order: dict[Any, int]) -> Any:
    """The head.001 AppHdr that goes with a Document: the nearest one before it within its
    closest enclosing element that holds one (the same envelope), else the nearest after it.
    `headers` gives the AppHdrs inside each element that holds any, in document order."""
    place = order[document]
    for ancestor in document.iterancestors():
        inside = headers.get(ancestor)
        if inside:
            before = [h for h in inside if order[h] < place]
            return before[-1] if before else inside[0]
    return None


def _headers_by_ancestor(root: Any) -> dict[Any, list[Any]]:
    found: dict[Any, list[Any]] = {}
    for header in root.iter("{*}AppHdr"):
        if _version(header, (HEADER,)):
            for ancestor in header.iterancestors():
                found.setdefault(ancestor, []).append(header)
    return found


def _agent(header: Any, side: str) -> str | None:
    """The sender (Fr) or receiver (To) of a header: a BIC, else a member id, else a name."""
    for path in ("BICFI", "BIC", "AnyBIC", "MmbId", "LEI", "Nm", "Id"):
        for element in header.iterfind(f"{{*}}{side}//{{*}}{path}"):
            if element.text and element.text.strip():
                return " ".join(element.text.split())
    return None


def _check(path: Path, root: Any, element: Any, version: str, where: Path) -> str:
    """Validate a Document or AppHdr against its version's schema; what was checked, as the
    payment reports it."""
    schema = _schema_file(where, version)
    if schema is None:
        return f"{version}: no schema at hand, structural checks only"
    validator = _schema(schema, version)
    # Validated as a document of its own, so that the envelope's elements are not its concern.
    alone = etree.ElementTree(_copy(element))
    if not validator.validate(alone):
        error = validator.error_log[0]
        message = str(error.message).replace("{" + ISO + version + "}", "")
        line = _source_line(element, alone, error)
        raise InputError(
            f"{place(path, line)}: does not validate against {version} at "
            f"{_element_path(alone.getroot(), error.path)}: {message}"
        )
    return f"{version}: valid against {schema.name}"


def _copy(element: Any) -> Any:
    # lxml validates an element inside a larger tree as if valid; a copy is a document of its
    # own (its lines counted from the element's first line: _source_line maps them back).
    return etree.fromstring(etree.tostring(element))


def _source_line(element: Any, alone: Any, error: Any) -> int | None:
    found = alone.xpath(error.path) if error.path else []
    if not found:
        return element.sourceline  # type: ignore[no-any-return]
    return int(element.sourceline) + int(found[0].sourceline) - 1


def _schema_file(where: Path, version: str) -> Path | None:
    """The schema of one version: in the directory given, or beside the file given (the file
    itself when its name is that version's); None when there is none."""
    if where.is_dir():
        candidate = where / f"{version}.xsd"
        return candidate if candidate.is_file() else None
    if not where.exists():
        raise InputError(
            f"{where}: the {version} schema is needed to check pacs.008 files and is not there; "
            "set FINMON_PACS008_XSD to a schema file or a directory of schemas"
        )
    if _target(where) == ISO + version:
        return where
    candidate = where.parent / f"{version}.xsd"
    return candidate if candidate.is_file() else None


@cache
def _target(path: Path) -> str | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        target = etree.parse(str(path), parser).getroot().get("targetNamespace")
        return str(target) if target else None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not a usable XML schema: {exc}") from None


@cache
def _schema(path: Path, version: str) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise InputError(f"{path}: not a usable XML schema for {version}: {exc}") from None


def _structure(path: Path, document: Any) -> None:
    """What finmon itself needs of a message, whatever its version: the transfer element and a
    group header with a creation time it can read."""
    kind = str(_version(document, MESSAGES))[:8]
    expected = _TRANSFER_ROOTS[kind]
    body = document.find(f"{{{_ns(document)}}}{expected}")
    if body is None:
        raise InputError(f"{place(path, document.sourceline)}: {kind} Document without {expected}")
    created = _text(body, "GrpHdr/CreDtTm")
    try:
        _when(created)
    except (TypeError, ValueError):
        raise InputError(
            f"{place(path, body.sourceline)}: GrpHdr/CreDtTm {created!r} is not a date and time"
        ) from None


def _when(text: str | None) -> dt.datetime:
    when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _element_path(root: Any, xpath: str | None) -> str:
    """The element lxml names by position (/*/*/*[3]/*[3]) by its names instead:
    /Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/Dbtr."""
    found = root.getroottree().xpath(xpath) if xpath else []
    if not found:
        return xpath or "the document"
    steps = []
    element = found[0]
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        same = [e for e in parent if e.tag == element.tag] if parent is not None else [element]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
        element = parent
    return "/" + "/".join(reversed(steps))


def _steps(path: str) -> str:
    return "/".join(step if step in ("*", ".") else "{*}" + step for step in path.split("/"))


def _text(element: Any, path: str) -> str | None:
    value = element.findtext(_steps(path))
    return " ".join(value.split()) if value and value.strip() else None


def _transaction(label: str, number: int, tx: Any, info: MessageInfo) -> Transaction:
    where = f"{label}, transaction {number} (line {tx.sourceline})"
    amount_element = tx.find("{*}IntrBkSttlmAmt")
    if amount_element is None:
        raise InputError(f"{where}: no IntrBkSttlmAmt")
    try:
        amount = Decimal(str(amount_element.text).strip())
    except InvalidOperation:
        raise InputError(f"{where}: IntrBkSttlmAmt {amount_element.text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}: IntrBkSttlmAmt {amount_element.text!r}")
    currency = str(amount_element.get("Ccy") or "")
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise InputError(f"{where}: IntrBkSttlmAmt Ccy {currency!r} is not a currency code")
    created = _when(_text(tx.getparent(), "GrpHdr/CreDtTm"))
    settled = _text(tx, "IntrBkSttlmDt") or _text(tx.getparent(), "GrpHdr/IntrBkSttlmDt")
    try:
        when = (
            dt.datetime.fromisoformat(settled).replace(tzinfo=dt.UTC)
            if settled and created.date().isoformat() != settled
            else created
        )
    except ValueError:
        raise InputError(f"{where}: IntrBkSttlmDt {settled!r} is not a date") from None
    identifier = (
        _text(tx, "PmtId/TxId")
        or _text(tx, "PmtId/EndToEndId")
        or _text(tx, "PmtId/InstrId")
        or str(number)
    )
    # pacs.009 COV: the customers of the underlying transfer are the parties to screen.
    underlying = tx.find("{*}UndrlygCstmrCdtTrf")
    parties = underlying if underlying is not None else tx
    remittance = [
        " ".join((u.text or "").split()) for u in parties.iterfind(_steps("RmtInf/Ustrd"))
    ]
    message = MessageInfo(**info.to_dict())  # each transfer its own: amounts differ
    if underlying is not None and info.format.startswith("pacs.009"):
        message.format = info.format + " COV"
    instructed = parties.find("{*}InstdAmt")
    if instructed is not None and instructed.text:
        message.instructed_amount = f"{instructed.get('Ccy')} {instructed.text.strip()}"
    message.charges = _text(parties, "ChrgBr") or _text(tx, "ChrgBr")
    return Transaction(
        id=identifier,
        timestamp=when,
        amount=amount,
        currency=currency.upper(),
        originator=_party(parties, "Dbtr", "DbtrAcct", "DbtrAgt"),
        beneficiary=_party(parties, "Cdtr", "CdtrAcct", "CdtrAgt"),
        channel="wire",
        reference=_text(tx, "PmtId/UETR") or _text(tx, "PmtId/EndToEndId"),
        purpose=" ".join(line for line in remittance if line) or _text(tx, "Purp/Cd"),
        source=where,
        message=message,
    )


def _party(tx: Any, who: str, account: str, agent: str) -> PartyInfo:
    party = tx.find(f"{{*}}{who}")
    info = PartyInfo(
        account=_text(tx, f"{account}/Id/IBAN") or _text(tx, f"{account}/Id/Othr/Id"),
        bank=_text(tx, f"{agent}/FinInstnId/BICFI") or _text(tx, f"{agent}/FinInstnId/BIC"),
    )
    if party is None:
        return info
    # pacs.009 (not COV): the parties are financial institutions.
    institution = party.find("{*}FinInstnId")
    if institution is not None:
        party = institution
        info.id = _text(party, "BICFI") or _text(party, "LEI")
    info.name = _text(party, "Nm")
    address = party.find("{*}PstlAdr")
    if address is not None:
        lines = [" ".join(e.text.split()) for e in address if e.text and e.text.strip()]
        info.address = ", ".join(lines) or None
    country = _text(party, "PstlAdr/Ctry") or _text(party, "CtryOfRes")
    info.country = to_iso2(country) if country else None
    born = party.find(_steps("Id/PrvtId/DtAndPlcOfBirth"))
    if born is not None:
        day = _text(born, "BirthDt")
        try:
            info.birth_date = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise InputError(f"line {born.sourceline}: BirthDt {day!r} is not a date") from None
        info.birth_place = ", ".join(
            t for t in (_text(born, "CityOfBirth"), _text(born, "CtryOfBirth")) if t
        )
    info.id = info.id or (
        _text(party, "Id/PrvtId/Othr/Id")
        or _text(party, "Id/OrgId/AnyBIC")
        or _text(party, "Id/OrgId/LEI")
        or _text(party, "Id/OrgId/Othr/Id")
    )
    return info
