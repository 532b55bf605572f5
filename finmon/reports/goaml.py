"""goAML XML reports to the FIU: suspicious-transaction (STR) and threshold reports.

A report is plain data (Report, ReportTransaction, Party, Person), independent of any store.
`to_xml` writes it as a goAML `<report>` in the order the schema's sequences require; the FIU's own
XSD, patched by the configuration (`kz_schema`), is the only judge of validity (`validate`), and
`write_report` writes nothing that it refuses. Code lists, name order and the schema patches are
configuration (`load_config`, shipped default `kz.yaml`), because each FIU customises goAML.
docs/goaml.md explains the configuration and the patches.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from lxml import etree
from pydantic import AfterValidator, Field

from finmon.common.configfile import Strict, read_yaml, validated
from finmon.errors import InputError
from finmon.model import Gender

DEFAULT_CONFIG = Path(__file__).parent / "kz.yaml"
XS = {"xs": "http://www.w3.org/2001/XMLSchema"}
NAME_PATTERN_SLOT = "{name_pattern}"
"""Where a schema patch's replacement puts the configured name pattern."""

PartyKind = Literal["person", "entity"]
ReportKind = Literal["str", "threshold"]
NameOrder = Literal["surname_first", "given_first"]
_CENT = Decimal("0.01")
# A schema's error_log lives on the schema object, which kz_schema's cache shares between callers.
_VALIDATION_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True, kw_only=True)
class Identification:
    """An identity document; goAML requires one for every person who is the entity's client."""

    kind: str
    """Key of the configuration's identification_codes: id_card, passport, ..."""
    number: str
    issue_date: dt.date
    expiry_date: dt.date
    issue_country: str
    issued_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A natural person as the reporting entity knows them: its MLRO, or a client from KYC."""

    first_name: str
    last_name: str
    middle_name: str | None = None
    """The patronymic, in Kazakhstan."""
    birth_date: dt.date | None = None
    id_number: str | None = None
    """The IIN for residents of Kazakhstan."""
    nationality: str | None = None
    residence: str | None = None
    gender: Gender | None = None
    identification: Identification | None = None
    occupation: str | None = None
    """The reporting person's position (goAML occupation)."""
    email: str | None = None
    phone: str | None = None
    """The reporting person's telephone number, as the FIU is to dial it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportingEntity:
    """Who reports: the entity's goAML id and branch and its reporting person, from the
    installation's profile (finmon.reports.entity), never made up."""

    rentity_id: int
    branch: str
    person: Person


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """One side of a transaction, with its name as one string the way banks hold it."""

    name: str
    country: str
    """ISO 3166 alpha-2 of the side (goAML from_country / to_country)."""
    kind: PartyKind = "person"
    account: str | None = None
    bank: str | None = None
    """Name of the institution holding the account."""
    bank_code: str | None = None
    """SWIFT/BIC of that institution."""
    id_number: str | None = None
    """IIN of a person, BIN of an entity, or a foreign identifier."""
    is_my_client: bool = False
    holder: Person | None = None
    """For a client: the person's KYC details, or those of the person who signs for an entity's
    account. goAML requires them (birth date, identification, ...) for the entity's own clients."""
    account_opened: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportTransaction:
    """One transaction of a report; `channel` is finmon's word (cash, wire, card, ...)."""

    number: str
    date: dt.datetime
    """Naive: already the FIU's local time; aware: converted to it (utc_offset_hours)."""
    amount_local: Decimal
    channel: str
    from_party: Party
    to_party: Party
    description: str = ""
    location: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """A report to the FIU: its kind (str or threshold), who reports, why, and the transactions."""

    kind: ReportKind
    entity_reference: str
    submission_date: dt.datetime
    reporter: ReportingEntity
    transactions: tuple[ReportTransaction, ...]
    indicators: tuple[str, ...]
    reason: str = ""
    action: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaPatch:
    """A regex replacement on the FIU's XSD text, and why it is needed."""

    name: str
    find: str
    replace: str
    """A re.sub template; NAME_PATTERN_SLOT stands for the configured name pattern."""
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoamlConfig:
    """One FIU's goAML settings: identifiers, code lists, name rules, schema patches."""

    submission_code: str
    currency_code_local: str
    utc_offset_hours: int
    phone_contact_type: str
    phone_communication_type: str
    report_codes: Mapping[str, str] = field(hash=False)
    transmode_codes: Mapping[str, str] = field(hash=False)
    transmode_comment: str | None
    funds_codes: Mapping[str, str] = field(hash=False)
    gender_codes: Mapping[str, str] = field(hash=False)
    identification_codes: Mapping[str, str] = field(hash=False)
    indicator_codes: Mapping[str, str] = field(hash=False)
    """Monitoring rule id (or "default") -> the FIU's report indicator code."""
    account_type: str
    account_status: str
    signatory_role: str
    non_bank_institution: bool
    tax_reg_number: str | None
    name_order: NameOrder
    name_pattern: str
    schema_patches: tuple[SchemaPatch, ...]
    source: Path | None = field(default=None, compare=False)

    @property
    def origin(self) -> str:
        """Where this configuration came from, for messages."""
        return str(self.source) if self.source else "the goAML configuration"


# Which code list of the schema each configured code must belong to.
_CODE_LISTS = {
    "submission_code": "submission_type",
    "currency_code_local": "currency_type",
    "phone_contact_type": "contact_type",
    "phone_communication_type": "communication_type",
    "report_codes": "report_type",
    "transmode_codes": "conduction_type",
    "funds_codes": "funds_type",
    "gender_codes": "gender_type",
    "identification_codes": "identifier_type",
    "account_type": "account_type",
    "account_status": "account_status_type",
    "signatory_role": "account_person_role_type",
    "indicator_codes": "report_indicator_type",
}


def load_config(path: Path | None = None) -> GoamlConfig:
    """The goAML configuration in a YAML file (the shipped Kazakhstan one by default)."""
    path = path or DEFAULT_CONFIG
    data = read_yaml(path, "goAML configuration")
    if not isinstance(data, dict):
        raise InputError(f"{path}: a goAML configuration is a mapping of keys")
    spec = validated(ConfigSpec, data, path)
    values = spec.model_dump(by_alias=True)
    for key in ("report_codes", "funds_codes", "gender_codes"):
        values[key] = MappingProxyType(values[key])
    for key in ("transmode_codes", "identification_codes", "indicator_codes"):
        values[key] = MappingProxyType({k.strip().lower(): v for k, v in values[key].items()})
    patches = tuple(SchemaPatch(**patch) for patch in values.pop("schema_patches"))
    return GoamlConfig(**values, schema_patches=patches, source=path)


def _text(value: str | int) -> str:
    if not str(value).strip():
        raise ValueError(f"{value!r} is not a non-empty text")
    return str(value).strip()


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


Text = Annotated[str | int, AfterValidator(_text)]
Codes = Annotated[dict[str, Text], Field(min_length=1)]


class PatchSpec(Strict):
    """One schema patch as written."""

    name: Text
    find: Annotated[Text, AfterValidator(_regex)]
    replace: str
    reason: Annotated[str | None, AfterValidator(lambda text: " ".join((text or "").split()))] = ""


class ReportCodes(Strict):
    """The goAML report_code of each kind of report finmon writes."""

    str_: Text = Field(alias="str")
    threshold: Text


class FundsCodes(Strict):
    """goAML funds_type of a transaction side with and without an account."""

    with_account: Text
    without_account: Text


class GenderCodes(Strict):
    """goAML gender codes."""

    male: Text
    female: Text
    unknown: Text


class ConfigSpec(Strict):
    """A goAML configuration as written (docs/goaml.md explains every key)."""

    submission_code: Text
    currency_code_local: Text
    utc_offset_hours: Annotated[int, Field(ge=-12, le=14)]
    phone_contact_type: Text
    phone_communication_type: Text
    report_codes: ReportCodes
    transmode_codes: Codes
    transmode_comment: Text | None = None
    funds_codes: FundsCodes
    gender_codes: GenderCodes
    identification_codes: Codes
    indicator_codes: Codes
    account_type: Text
    account_status: Text
    signatory_role: Text
    non_bank_institution: bool
    tax_reg_number: Text | None = None
    name_order: NameOrder
    name_pattern: Text
    schema_patches: list[PatchSpec]


def to_xml(report: Report, config: GoamlConfig) -> bytes:
    """The report as a goAML `<report>` document, UTF-8, in the schema's element order."""
    root = etree.Element("report")
    reporter = report.reporter
    _add(root, "rentity_id", str(reporter.rentity_id))
    _add(root, "rentity_branch", reporter.branch)
    _add(root, "submission_code", config.submission_code)
    _add(root, "report_code", config.report_codes[report.kind])
    _add(root, "entity_reference", report.entity_reference)
    _add(root, "submission_date", _when(report.submission_date, config))
    _add(root, "currency_code_local", config.currency_code_local)
    _person(etree.SubElement(root, "reporting_person"), reporter.person, config)
    _add(root, "reason", report.reason)
    _add(root, "action", report.action)
    for transaction in report.transactions:
        _transaction(etree.SubElement(root, "transaction"), transaction, config, reporter.branch)
    indicators = etree.SubElement(root, "report_indicators")
    for code in report.indicators:
        _add(indicators, "indicator", code)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _add(parent: Any, tag: str, text: str | None) -> None:
    """A child with this text; nothing when the value is unknown (None)."""
    if text is None:
        return
    try:
        etree.SubElement(parent, tag).text = text
    except ValueError as exc:  # control characters, which XML cannot carry
        raise InputError(f"goAML {tag}: {text!r}: {exc}") from None


def _transaction(
    element: Any, transaction: ReportTransaction, config: GoamlConfig, branch: str
) -> None:
    _add(element, "transactionnumber", transaction.number)
    _add(element, "transaction_location", transaction.location or "")
    _add(element, "transaction_description", transaction.description)
    _add(element, "date_transaction", _when(transaction.date, config))
    _add(element, "transmode_code", _transmode(transaction, config))
    _add(element, "transmode_comment", config.transmode_comment)
    _add(element, "amount_local", _amount(transaction))
    _side(element, "from", transaction.from_party, config, branch)
    _side(element, "to", transaction.to_party, config, branch)


def _transmode(transaction: ReportTransaction, config: GoamlConfig) -> str:
    code = config.transmode_codes.get(transaction.channel.strip().lower())
    if code is None:
        raise InputError(
            f"transaction {transaction.number}: no transmode code for channel "
            f"{transaction.channel!r}: add it to transmode_codes in {config.origin}"
        )
    return code


def _amount(transaction: ReportTransaction) -> str:
    """Two decimals, rounded half up: goAML amounts are in the local currency's minor unit."""
    try:
        return f"{transaction.amount_local.quantize(_CENT, rounding=ROUND_HALF_UP):f}"
    except InvalidOperation:
        raise InputError(
            f"transaction {transaction.number}: amount {transaction.amount_local} is not a number "
            "goAML can carry"
        ) from None


def _when(value: dt.date | None, config: GoamlConfig) -> str | None:
    """goAML's dateTime without a zone, in the FIU's local time; a date is midnight."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return f"{value.isoformat()}T00:00:00"
    if value.tzinfo is not None:
        local = dt.timezone(dt.timedelta(hours=config.utc_offset_hours))
        value = value.astimezone(local).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat()


def _side(parent: Any, side: str, party: Party, config: GoamlConfig, branch: str) -> None:
    """t_from / t_to, or their _my_client forms, identifying the party by account if it has one."""
    element = etree.SubElement(parent, f"t_{side}_my_client" if party.is_my_client else f"t_{side}")
    funds = config.funds_codes["with_account" if party.account else "without_account"]
    _add(element, f"{side}_funds_code", funds)
    if party.account:
        _account(etree.SubElement(element, f"{side}_account"), party, config, branch)
    elif party.kind == "person":
        person = party.holder or _named_person(party, config)
        _person(etree.SubElement(element, f"{side}_person"), person, config, party.is_my_client)
    else:
        _entity(etree.SubElement(element, f"{side}_entity"), party)
    _add(element, f"{side}_country", party.country)


def _account(element: Any, party: Party, config: GoamlConfig, branch: str) -> None:
    """t_account, or t_account_my_client with what the schema requires of the entity's own."""
    client = party.is_my_client
    _add(element, "institution_name", party.bank)
    _add(element, "swift", party.bank_code)
    if client:
        _add(element, "non_bank_institution", "true" if config.non_bank_institution else "false")
        _add(element, "branch", branch)
    _add(element, "account", party.account)
    if client:
        _add(element, "currency_code", config.currency_code_local)
    _add(element, "account_name", _words(party.name))
    if client:
        _add(element, "personal_account_type", config.account_type)
    if party.kind == "entity" and not client:
        _entity(etree.SubElement(element, "t_entity"), party)
    # An entity's signatory is known only from the holder's details; a person signs for their own.
    signer = party.holder or (_named_person(party, config) if party.kind == "person" else None)
    if signer is not None:
        _signatory(etree.SubElement(element, "signatory"), signer, party.is_my_client, config)
    if client:
        _add(element, "opened", _when(party.account_opened, config))
        _add(element, "status_code", config.account_status)
        # The beneficial owner of a person's account is the person; finmon does not hold an
        # entity's, and the schema allows an empty value (at most 50 characters).
        _add(element, "beneficiary", _words(party.name)[:50] if party.kind == "person" else "")


def _signatory(element: Any, person: Person, client: bool, config: GoamlConfig) -> None:
    _person(etree.SubElement(element, "t_person"), person, config, client)
    if client:
        _add(element, "role", config.signatory_role)


def _entity(element: Any, party: Party) -> None:
    """t_entity from what finmon holds: the name and the BIN. An entity client is reported
    through its account, since t_entity_my_client requires facts finmon does not keep."""
    _add(element, "name", _words(party.name))
    _add(element, "incorporation_number", party.id_number)


def _person(element: Any, person: Person, config: GoamlConfig, client: bool = False) -> None:
    """A person in the shared order of t_person, t_person_my_client and the reporting person;
    a client gets the elements t_person_my_client requires (gender, phones, tax)."""
    gender = config.gender_codes[person.gender.value if person.gender else "unknown"]
    _add(element, "gender", gender if client or person.gender else None)
    _add(element, "first_name", person.first_name)
    _add(element, "middle_name", person.middle_name)
    _add(element, "last_name", person.last_name)
    _add(element, "birthdate", _when(person.birth_date, config))
    _add(element, "id_number", person.id_number)
    _add(element, "nationality1", person.nationality)
    _add(element, "residence", person.residence)
    if client or person.phone:
        # Required of a client, and may be empty: finmon keeps no client's phones.
        phones = etree.SubElement(element, "phones")
        if person.phone:
            phone = etree.SubElement(phones, "phone")
            _add(phone, "tph_contact_type", config.phone_contact_type)
            _add(phone, "tph_communication_type", config.phone_communication_type)
            _add(phone, "tph_number", person.phone)
    _add(element, "email", person.email)
    _add(element, "occupation", person.occupation)
    if person.identification is not None:
        _identification(etree.SubElement(element, "identification"), person.identification, config)
    if client:
        _add(element, "tax_number", person.id_number)
        _add(element, "tax_reg_number", config.tax_reg_number)


def _identification(element: Any, document: Identification, config: GoamlConfig) -> None:
    code = config.identification_codes.get(document.kind.strip().lower())
    if code is None:
        raise InputError(
            f"identification kind {document.kind!r}: add it to identification_codes in "
            f"{config.origin}"
        )
    _add(element, "type", code)
    _add(element, "number", document.number)
    _add(element, "issue_date", _when(document.issue_date, config))
    _add(element, "expiry_date", _when(document.expiry_date, config))
    _add(element, "issued_by", document.issued_by)
    _add(element, "issue_country", document.issue_country)


def _named_person(party: Party, config: GoamlConfig) -> Person:
    """A person from the one name string a bank holds, split by the configured name order."""
    first, last, middle = split_name(party.name, config.name_order)
    return Person(first_name=first, last_name=last, middle_name=middle, id_number=party.id_number)


def split_name(name: str, order: NameOrder) -> tuple[str, str, str | None]:
    """(first, last, middle) of a person's name. Kazakh and Russian documents write SURNAME GIVEN
    [PATRONYMIC] (surname_first); given_first reads GIVEN [MIDDLE ...] SURNAME. goAML requires
    both names, so a one-word name fills both."""
    words = name.split()
    if len(words) < 2:
        return _words(name), _words(name), None
    if order == "surname_first":
        last, first, rest = words[0], words[1], words[2:]
    else:
        first, last, rest = words[0], words[-1], words[1:-1]
    return first, last, " ".join(rest) or None


def _words(text: str) -> str:
    return " ".join(text.split())


def kz_schema(base_xsd: Path, config: GoamlConfig) -> etree.XMLSchema:
    """The FIU's XSD with the configuration's patches applied, compiled (an lxml XMLSchema).

    Refuses a schema with a DOCTYPE or includes, a patch that matches nothing (a new schema
    version to look at) and a configured code missing from the schema's code list. Compiled
    schemas are cached per file, modification time and configuration.
    """
    try:
        modified = base_xsd.stat().st_mtime_ns
    except OSError as exc:
        raise InputError(f"{base_xsd}: cannot read the goAML schema: {exc.strerror}") from None
    return _compiled(base_xsd.resolve(), modified, config)


@functools.lru_cache(maxsize=8)
def _compiled(path: Path, _modified: int, config: GoamlConfig) -> etree.XMLSchema:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the goAML schema: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the goAML schema is not UTF-8 ({exc.reason})") from None
    tree = _parse(_patched(path, text, config).encode("utf-8"), str(path))
    _refuse_includes(path, tree)
    _check_codes(path, tree, config)
    try:
        return etree.XMLSchema(tree)
    except etree.XMLSchemaParseError as exc:
        raise InputError(f"{path}: not a usable XML schema after patching: {exc}") from None


def _patched(path: Path, text: str, config: GoamlConfig) -> str:
    """The XSD text with each patch applied in order; a patch that matches nothing is refused."""
    # The pattern goes into an XML attribute through a re.sub template: escape for both.
    pattern = config.name_pattern.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    for patch in config.schema_patches:
        template = patch.replace.replace(NAME_PATTERN_SLOT, pattern.replace("\\", "\\\\"))
        try:
            text, count = re.subn(patch.find, template, text)
        except (re.error, IndexError) as exc:
            raise InputError(f"{config.origin}: schema patch {patch.name!r}: {exc}") from None
        if count == 0:
            raise InputError(
                f"{config.origin}: schema patch {patch.name!r} matches nothing in {path}: "
                "a different schema version? Check the patch against this schema"
            )
    return text


def _parse(data: bytes, source: str) -> Any:
    """A parsed document, never resolving entities or fetching anything; no DOCTYPE allowed,
    since goAML documents and schemas have none."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{source}: line {exc.lineno}: malformed XML: {exc.msg}") from None
    if tree.docinfo.doctype:
        raise InputError(
            f"{source}: refused: a DOCTYPE, which goAML never uses (possible XML entity attack)"
        )
    return tree


def _refuse_includes(path: Path, tree: Any) -> None:
    """A goAML schema is one file; an include or import would make lxml read another."""
    found = tree.xpath("//xs:include | //xs:import | //xs:redefine", namespaces=XS)
    if found:
        raise InputError(
            f"{path}: line {found[0].sourceline}: refused: the schema includes another file"
        )


def _check_codes(path: Path, tree: Any, config: GoamlConfig) -> None:
    """Every configured code is in the schema's code list (where the schema has one)."""
    wrong = []
    for key, list_name in _CODE_LISTS.items():
        allowed = set(
            tree.xpath(
                "//xs:simpleType[@name=$name]//xs:enumeration/@value", namespaces=XS, name=list_name
            )
        )
        value = getattr(config, key)
        codes = value.values() if isinstance(value, Mapping) else [value]
        wrong += [f"{key}: {code}" for code in codes if allowed and code not in allowed]
    if wrong:
        raise InputError(
            f"{config.origin}: code(s) not in the code lists of {path}: {'; '.join(wrong)}"
        )


def validate(xml: bytes, schema: etree.XMLSchema) -> list[str]:
    """Every schema error as 'line N: <element path>: message'; empty when the report is valid.
    XML that is malformed or has a DOCTYPE raises InputError instead."""
    tree = _parse(xml, "goAML report")
    with _VALIDATION_LOCK:
        if schema.validate(tree):
            return []
        return [f"line {error.line}: {error.path}: {error.message}" for error in schema.error_log]


def write_report(report: Report, config: GoamlConfig, schema: etree.XMLSchema, path: Path) -> None:
    """Write the report's XML to `path` if the schema accepts it; otherwise raise InputError
    listing the errors and leave `path` as it was."""
    xml = to_xml(report, config)
    errors = validate(xml, schema)
    if errors:
        listed = "\n".join(errors)
        raise InputError(f"{path}: not written, the report is not valid goAML:\n{listed}")
    _replace_file(path, xml)


def _replace_file(path: Path, data: bytes) -> None:
    """Write beside the target and rename: a reader sees the old file or the whole new one."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise InputError(f"{path}: cannot write the report: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
