"""goAML reports against the real UAE 5.0.2 schema instance, patched by the Kazakhstan config."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from finmon.errors import InputError
from finmon.model import Gender
from finmon.reports.goaml import (
    DEFAULT_CONFIG,
    GoamlConfig,
    Identification,
    Party,
    Person,
    Report,
    ReportingEntity,
    ReportTransaction,
    SchemaPatch,
    kz_schema,
    load_config,
    split_name,
    to_xml,
    validate,
    write_report,
)
from tests.conftest import shared_spec

UAE_XSD = "goaml/goAMLSchema-5.0.2-UAE.xsd"
UAE_PATTERN = "^[a-zA-Z0-9 .'-]*$"
HARDENED = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
KZ = load_config()

MLRO = Person(
    first_name="Әлия",
    last_name="Сәрсенбаева",
    nationality="KZ",
    residence="KZ",
    occupation="Бас комплаенс-бақылаушы",
    email="aml-officer@bank.kz",
    phone="+7 727 244 00 00",
)
REPORTER = ReportingEntity(rentity_id=1, branch="Алматинский филиал №2", person=MLRO)
"""A test profile; rentity_id 1 is what the FIU intake tests register."""
CLIENT = Person(
    first_name="ҚАЙРАТ",
    last_name="ӘБІЛҚАЙЫРОВ",
    middle_name="НҰРЛАНҰЛЫ",
    birth_date=dt.date(1984, 3, 12),
    id_number="840312300456",
    nationality="KZ",
    residence="KZ",
    gender=Gender.MALE,
    identification=Identification(
        kind="id_card",
        number="045678912",
        issue_date=dt.date(2019, 5, 20),
        expiry_date=dt.date(2029, 5, 19),
        issue_country="KZ",
        issued_by="МВД РК",
    ),
)
CLIENT_ACCOUNT = Party(
    name="ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ",
    country="KZ",
    account="KZ86125KZT5004100100",
    bank="АО «Народный Банк Казахстана»",
    bank_code="HSBKKZKX",
    id_number="840312300456",
    is_my_client=True,
    holder=CLIENT,
    account_opened=dt.date(2015, 6, 1),
)
FOREIGN_ACCOUNT = Party(
    name="ТОКТОГУЛОВ АЙБЕК",
    country="KG",
    account="1030120000123456",
    bank="ОАО «Айыл Банк»",
    bank_code="AIYLKG22",
)
DEPOSITOR = Party(name="ТОО Сұңқар", kind="entity", country="KZ", id_number="150240012345")
WIRE = ReportTransaction(
    number="TX-2026-000731",
    date=dt.datetime(2026, 5, 24, 9, 30, tzinfo=dt.UTC),
    amount_local=Decimal("1250000"),
    channel="wire",
    from_party=CLIENT_ACCOUNT,
    to_party=FOREIGN_ACCOUNT,
    description="Перевод родственнику",
    location="Алматы, филиал №2",
)
DEPOSIT = ReportTransaction(
    number="TX-2026-000730",
    date=dt.datetime(2026, 5, 24, 10, 5),
    amount_local=Decimal("980000.5"),
    channel="cash",
    from_party=DEPOSITOR,
    to_party=CLIENT_ACCOUNT,
    description="Взнос наличных",
)
STR = Report(
    kind="str",
    entity_reference="STR-2026-0042",
    submission_date=dt.datetime(2026, 5, 26, 10, 0),
    reporter=REPORTER,
    transactions=(DEPOSIT, WIRE),
    indicators=("TFFTH",),
    reason="Cash paid in by a company, wired abroad the same day to a person in Kyrgyzstan.",
    action="Account under enhanced monitoring.",
)


def uae_xsd() -> Path:
    return shared_spec(UAE_XSD)


def uae_sample(name: str) -> bytes:
    return shared_spec(f"goaml/{name}").read_bytes()


def with_latin_names(config: GoamlConfig) -> GoamlConfig:
    """The KZ configuration with the UAE's own (unanchored) Latin-only name pattern."""
    return dataclasses.replace(config, name_pattern="[a-zA-Z0-9 .'-]*")


def only_patches(config: GoamlConfig, *names: str) -> GoamlConfig:
    kept = tuple(p for p in config.schema_patches if p.name in names)
    return dataclasses.replace(config, schema_patches=kept)


def parsed(xml: bytes) -> Any:
    return etree.fromstring(xml, HARDENED)


def written_config(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "fiu.yaml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_uae_sample_fails_the_unpatched_schema_on_the_anchored_name_pattern() -> None:
    # XSD regexes have no anchors: in '^[a-zA-Z0-9 .'-]*$' the ^ and $ are literal characters,
    # so libxml2 accepts only names written between ^ and $, and refuses 'Sara'.
    schema = etree.XMLSchema(etree.parse(str(uae_xsd()), HARDENED))
    assert not schema.validate(etree.fromstring(uae_sample("sample-STR-5.0.2-UAE.xml"), HARDENED))
    errors = [e for e in schema.error_log if UAE_PATTERN in e.message]
    assert {e.path for e in errors} >= {"/report/reporting_person/first_name"}
    assert len(errors) == len(schema.error_log)


def test_dropping_the_anchors_alone_makes_the_uae_sample_valid() -> None:
    # No name-pattern patch: the UAE's own Latin pattern stays, unanchored.
    schema = kz_schema(uae_xsd(), only_patches(KZ, "drop-pattern-anchors"))
    assert validate(uae_sample("sample-STR-5.0.2-UAE.xml"), schema) == []
    assert validate(uae_sample("sample-TR-5.0.2-UAE.xml"), schema) == []


def test_the_email_patch_lets_a_hyphenated_address_through() -> None:
    # libxml2 reads [_a-zA-Z0-9-+] without its hyphen.
    report = uae_sample("sample-TR-5.0.2-UAE.xml").replace(b"mlro@", b"aml-officer@")
    anchors_only = kz_schema(uae_xsd(), only_patches(KZ, "drop-pattern-anchors"))
    errors = validate(report, anchors_only)
    assert len(errors) == 1
    assert "/report/reporting_person/email" in errors[0]
    assert validate(report, kz_schema(uae_xsd(), KZ)) == []


def test_kazakh_str_validates_against_the_kz_schema() -> None:
    assert validate(to_xml(STR, KZ), kz_schema(uae_xsd(), KZ)) == []


def test_kazakh_str_fails_the_latin_only_schema() -> None:
    errors = validate(to_xml(STR, KZ), kz_schema(uae_xsd(), with_latin_names(KZ)))
    failing = {error.split(": ")[1] for error in errors}
    assert "/report/reporting_person/first_name" in failing
    assert "/report/transaction[1]/t_from/from_entity/name" in failing
    assert "/report/transaction[2]/t_from_my_client/from_account/account_name" in failing
    assert "/report/transaction[2]/t_to/to_account/signatory/t_person/last_name" in failing
    assert all("[facet 'pattern']" in error for error in errors)


def test_guillemets_in_a_company_name_pass_and_other_signs_are_refused() -> None:
    # Kazakh company names quote the name in « »; the pattern takes them, not @ or < >.
    quoted = dataclasses.replace(DEPOSITOR, name="ТОО «Сұңқар»")
    deposit = dataclasses.replace(DEPOSIT, from_party=quoted)
    report = dataclasses.replace(STR, transactions=(deposit,))
    assert validate(to_xml(report, KZ), kz_schema(uae_xsd(), KZ)) == []
    odd = dataclasses.replace(DEPOSITOR, name="ТОО Сұңқар@mail")
    report = dataclasses.replace(STR, transactions=(dataclasses.replace(DEPOSIT, from_party=odd),))
    errors = validate(to_xml(report, KZ), kz_schema(uae_xsd(), KZ))
    assert len(errors) == 1
    assert "/report/transaction/t_from/from_entity/name" in errors[0]
    assert "Сұңқар@mail" in errors[0]


def test_threshold_report_validates() -> None:
    report = dataclasses.replace(
        STR, kind="threshold", entity_reference="TR-2026-0107", transactions=(DEPOSIT,), reason=""
    )
    xml = to_xml(report, KZ)
    assert parsed(xml).findtext("report_code") == "DPMSR"
    assert validate(xml, kz_schema(uae_xsd(), KZ)) == []


def test_invalid_report_names_the_element_paths_and_writes_nothing(tmp_path: Path) -> None:
    broken = dataclasses.replace(
        WIRE, number="", to_party=dataclasses.replace(FOREIGN_ACCOUNT, country="XX")
    )
    report = dataclasses.replace(STR, transactions=(broken,), indicators=("NOSUCH",))
    schema = kz_schema(uae_xsd(), KZ)
    errors = validate(to_xml(report, KZ), schema)
    paths = {error.split(": ")[1] for error in errors}
    assert paths == {
        "/report/transaction/transactionnumber",
        "/report/transaction/t_to/to_country",
        "/report/report_indicators/indicator",
    }
    assert all(error.startswith("line ") for error in errors)
    target = tmp_path / "str.xml"
    with pytest.raises(InputError, match="to_country"):
        write_report(report, KZ, schema, target)
    assert list(tmp_path.iterdir()) == []


def test_an_amount_that_is_not_a_decimal_is_reported_at_its_path() -> None:
    root = parsed(to_xml(STR, KZ))
    root.find("transaction/amount_local").text = "1 250 000,00"
    errors = validate(etree.tostring(root), kz_schema(uae_xsd(), KZ))
    assert len(errors) == 1
    assert ": /report/transaction[1]/amount_local: " in errors[0]
    assert "sql_decimal" in errors[0]


def test_a_report_with_an_external_entity_is_refused_unread() -> None:
    hostile = (
        b'<?xml version="1.0"?>\n<!DOCTYPE report [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        b"<report><reason>&e;</reason></report>"
    )
    with pytest.raises(InputError, match="DOCTYPE") as refused:
        validate(hostile, kz_schema(uae_xsd(), KZ))
    assert "root:" not in str(refused.value)


def test_a_schema_with_an_external_entity_is_refused_unread(tmp_path: Path) -> None:
    text = uae_xsd().read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.xsd"
    hostile.write_text(
        '<!DOCTYPE xs:schema [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        + text.replace("<!--Electronic-->", "<!--&e;-->").replace("<!--Cash-->", "&e;"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="DOCTYPE") as refused:
        kz_schema(hostile, KZ)
    assert "root:" not in str(refused.value)


def test_a_schema_that_includes_another_file_is_refused(tmp_path: Path) -> None:
    text = uae_xsd().read_text(encoding="utf-8")
    start = text.index(">") + 1
    including = tmp_path / "including.xsd"
    include = '<xs:include schemaLocation="file:///etc/passwd"/>'
    including.write_text(text[:start] + include + text[start:], encoding="utf-8")
    with pytest.raises(InputError, match="includes another file"):
        kz_schema(including, KZ)


def test_config_refuses_an_unknown_key_naming_the_file(tmp_path: Path) -> None:
    path = written_config(tmp_path, "colour: blue\n")
    with pytest.raises(InputError, match=r"fiu\.yaml: unknown key\(s\) colour"):
        load_config(path)


def test_config_refuses_an_unknown_report_code_key(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("  str: STR", "  sar: SAR")
    path = tmp_path / "fiu.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown key\(s\) report_codes\.sar"):
        load_config(path)


def test_config_refuses_bad_yaml_naming_the_line(tmp_path: Path) -> None:
    path = written_config(tmp_path, "transmode_codes: [cash\n")
    with pytest.raises(InputError, match=r"fiu\.yaml:\d+: not valid YAML"):
        load_config(path)


def test_a_patch_that_matches_nothing_is_reported() -> None:
    stale = SchemaPatch(name="old-phone-pattern", find=r"\[0-9\]\{7,15\}", replace="[0-9]+")
    config = dataclasses.replace(KZ, schema_patches=(*KZ.schema_patches, stale))
    with pytest.raises(InputError, match="'old-phone-pattern' matches nothing"):
        kz_schema(uae_xsd(), config)


def test_a_configured_code_missing_from_the_schema_is_reported() -> None:
    config = dataclasses.replace(KZ, report_codes={"str": "STR", "threshold": "CTR"})
    with pytest.raises(InputError, match="report_codes: CTR"):
        kz_schema(uae_xsd(), config)


def test_a_channel_without_a_transmode_code_is_refused() -> None:
    crypto = dataclasses.replace(WIRE, channel="crypto")
    with pytest.raises(InputError, match="channel 'crypto'"):
        to_xml(dataclasses.replace(STR, transactions=(crypto,)), KZ)


@pytest.mark.parametrize(
    ("name", "order", "expected"),
    [
        ("ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ", "surname_first", ("ҚАЙРАТ", "ӘБІЛҚАЙЫРОВ", "НҰРЛАНҰЛЫ")),
        ("ТОКТОГУЛОВ  АЙБЕК", "surname_first", ("АЙБЕК", "ТОКТОГУЛОВ", None)),
        ("John Paul Smith", "given_first", ("John", "Smith", "Paul")),
        ("Suharto", "surname_first", ("Suharto", "Suharto", None)),
    ],
)
def test_split_name(name: str, order: Any, expected: tuple[str, str, str | None]) -> None:
    assert split_name(name, order) == expected


def test_written_report_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "str.xml"
    target.write_bytes(b"old")
    write_report(STR, KZ, kz_schema(uae_xsd(), KZ), target)
    root = etree.parse(str(target), HARDENED).getroot()
    deposit, wire = root.findall("transaction")
    assert deposit.findtext("transactionnumber") == "TX-2026-000730"
    assert deposit.findtext("amount_local") == "980000.50"
    assert deposit.findtext("transmode_code") == "OCT"
    assert deposit.findtext("t_from/from_funds_code") == "CASH"
    assert deposit.findtext("t_from/from_entity/name") == "ТОО Сұңқар"
    assert deposit.findtext("t_to_my_client/to_account/account_name") == CLIENT_ACCOUNT.name
    assert wire.findtext("transactionnumber") == "TX-2026-000731"
    assert wire.findtext("amount_local") == "1250000.00"
    assert wire.findtext("date_transaction") == "2026-05-24T14:30:00"  # UTC 09:30, Almaty time
    holder = wire.find("t_from_my_client/from_account/signatory/t_person")
    assert holder.findtext("last_name") == "ӘБІЛҚАЙЫРОВ"
    assert holder.findtext("middle_name") == "НҰРЛАНҰЛЫ"
    assert holder.findtext("identification/type") == "-"
    foreign = wire.find("t_to/to_account")
    assert foreign.findtext("swift") == "AIYLKG22"
    assert foreign.findtext("signatory/t_person/first_name") == "АЙБЕК"
    assert foreign.findtext("signatory/t_person/last_name") == "ТОКТОГУЛОВ"
    assert root.findtext("report_indicators/indicator") == "TFFTH"
    assert [p.name for p in tmp_path.iterdir()] == ["str.xml"]


def test_the_reporting_entity_and_person_are_the_profiles() -> None:
    root = parsed(to_xml(STR, KZ))
    assert (root.findtext("rentity_id"), root.findtext("rentity_branch")) == (
        "1",
        "Алматинский филиал №2",
    )
    person = root.find("reporting_person")
    assert [child.tag for child in person] == [
        "first_name",
        "last_name",
        "nationality1",
        "residence",
        "phones",
        "email",
        "occupation",
    ]
    assert person.findtext("phones/phone/tph_number") == "+7 727 244 00 00"
    assert person.findtext("occupation") == "Бас комплаенс-бақылаушы"
    # The entity's own client's account is kept at the profile's branch, not a made-up one.
    assert {b.text for b in root.iter("branch")} == {"Алматинский филиал №2"}
