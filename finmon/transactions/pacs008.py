"""ISO 20022 pacs.008.001.09 (FI to FI customer credit transfer) as canonical transactions.

A file is checked as every XML file finmon reads (no entity declarations, no external DTD, bytes
valid in the declared encoding), parsed without resolving entities or touching the network, then
validated against the pacs.008.001.09 schema before anything is read from it: a message that does
not validate is refused whole, naming the line and the element path of the first error. Each
`CdtTrfTxInf` becomes one Transaction, with the paths of REFERENCE.md section 6.
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
from finmon.transactions.model import PartyInfo, Transaction

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"
SCHEMA_IN_SHARED = Path("specs/iso20022/pacs.008.001.09.xsd")
_NS = {"p": NAMESPACE}


def default_schema() -> Path:
    """The schema to validate against: FINMON_PACS008_XSD, else the shared specs folder
    (FINMON_SHARED_DIR, or `shared` beside the project's checkout)."""
    settings = load_settings()
    if settings.pacs008_schema is not None:
        return settings.pacs008_schema
    shared = settings.shared_dir or Path(__file__).resolve().parents[3] / "shared"
    return shared / SCHEMA_IN_SHARED


def read_pacs008(path: Path, schema: Path | None = None) -> list[Transaction]:
    """Every credit transfer of a pacs.008.001.09 document, validated against its schema."""
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
    if etree.QName(root).namespace != NAMESPACE:
        raise InputError(
            f"{place(path, root.sourceline)}: not a pacs.008.001.09 document (namespace "
            f"{etree.QName(root).namespace!r}, expected {NAMESPACE!r})"
        )
    validator = _schema(schema or default_schema())
    if not validator.validate(root):
        error = validator.error_log[0]
        message = str(error.message).replace("{" + NAMESPACE + "}", "")
        raise InputError(
            f"{place(path, error.line)}: does not validate against pacs.008.001.09 at "
            f"{_element_path(root, error.path)}: {message}"
        )
    stamp = _timestamp(root)
    return [
        _transaction(path, number, element, stamp)
        for number, element in enumerate(root.iterfind(".//p:CdtTrfTxInf", _NS), 1)
    ]


@cache
def _schema(path: Path) -> Any:
    if not path.is_file():
        raise InputError(
            f"{path}: the pacs.008.001.09 schema is needed to check pacs.008 files and is not "
            "there; set FINMON_PACS008_XSD to its path"
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise InputError(f"{path}: not a usable XML schema: {exc}") from None


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


def _timestamp(root: Any) -> dt.datetime:
    created = root.findtext("p:FIToFICstmrCdtTrf/p:GrpHdr/p:CreDtTm", namespaces=_NS)
    when = dt.datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _text(element: Any, path: str) -> str | None:
    value = element.findtext(path, namespaces=_NS)
    return " ".join(value.split()) if value and value.strip() else None


def _transaction(path: Path, number: int, tx: Any, created: dt.datetime) -> Transaction:
    where = f"{path}, transaction {number} (line {tx.sourceline})"
    amount_element = tx.find("p:IntrBkSttlmAmt", _NS)
    try:
        amount = Decimal(amount_element.text)
    except InvalidOperation:
        raise InputError(f"{where}: IntrBkSttlmAmt {amount_element.text!r}") from None
    settled = _text(tx, "p:IntrBkSttlmDt")
    when = (
        dt.datetime.fromisoformat(settled).replace(tzinfo=dt.UTC)
        if settled and created.date().isoformat() != settled
        else created
    )
    identifier = (
        _text(tx, "p:PmtId/p:TxId")
        or _text(tx, "p:PmtId/p:EndToEndId")
        or _text(tx, "p:PmtId/p:InstrId")
        or str(number)
    )
    remittance = [" ".join((u.text or "").split()) for u in tx.iterfind("p:RmtInf/p:Ustrd", _NS)]
    return Transaction(
        id=identifier,
        timestamp=when,
        amount=amount,
        currency=str(amount_element.get("Ccy")),
        originator=_party(tx, "Dbtr", "DbtrAcct", "DbtrAgt"),
        beneficiary=_party(tx, "Cdtr", "CdtrAcct", "CdtrAgt"),
        channel="wire",
        reference=_text(tx, "p:PmtId/p:UETR") or _text(tx, "p:PmtId/p:EndToEndId"),
        purpose=" ".join(line for line in remittance if line) or _text(tx, "p:Purp/p:Cd"),
        source=where,
    )


def _party(tx: Any, who: str, account: str, agent: str) -> PartyInfo:
    party = tx.find(f"p:{who}", _NS)
    info = PartyInfo(
        account=_text(tx, f"p:{account}/p:Id/p:IBAN") or _text(tx, f"p:{account}/p:Id/p:Othr/p:Id"),
        bank=_text(tx, f"p:{agent}/p:FinInstnId/p:BICFI"),
    )
    if party is None:
        return info
    info.name = _text(party, "p:Nm")
    address = party.find("p:PstlAdr", _NS)
    if address is not None:
        lines = [" ".join(e.text.split()) for e in address if e.text and e.text.strip()]
        info.address = ", ".join(lines) or None
    country = _text(party, "p:PstlAdr/p:Ctry") or _text(party, "p:CtryOfRes")
    info.country = to_iso2(country) if country else None
    born = party.find("p:Id/p:PrvtId/p:DtAndPlcOfBirth", _NS)
    if born is not None:
        day = _text(born, "p:BirthDt")
        info.birth_date = dt.date.fromisoformat(day) if day else None
        info.birth_place = ", ".join(
            t for t in (_text(born, "p:CityOfBirth"), _text(born, "p:CtryOfBirth")) if t
        )
    info.id = (
        _text(party, "p:Id/p:PrvtId/p:Othr/p:Id")
        or _text(party, "p:Id/p:OrgId/p:AnyBIC")
        or _text(party, "p:Id/p:OrgId/p:LEI")
        or _text(party, "p:Id/p:OrgId/p:Othr/p:Id")
    )
    return info
