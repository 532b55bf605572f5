"""A goAML report as the FIU receives it: checked against the configured schema with every reason
named at its line and element, and read into mentions, transfers and indicators."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.fiu.intake import Checked, check_report, read_report
from finmon.fiu.records import Identifier
from finmon.reports.from_cases import threshold_report
from finmon.reports.goaml import kz_schema, load_config, to_xml
from finmon.transactions.model import to_record
from finmon.transactions.reader import read_transactions
from tests.conftest import shared_spec
from tests.reports.test_from_cases import _funnel
from tests.reports.test_goaml import REPORTER, STR, UAE_XSD

KZ = load_config()
RECEIVED = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
LIMIT = 1 << 20


def _schema() -> object:
    return kz_schema(shared_spec(UAE_XSD), KZ)


def _check(xml: bytes) -> Checked:
    return check_report(xml, _schema(), LIMIT)  # type: ignore[arg-type]


def _sample(name: str) -> bytes:
    return shared_spec(f"goaml/{name}").read_bytes()


def test_the_uae_sample_str_is_valid_and_read_into_records() -> None:
    checked = _check(_sample("sample-STR-5.0.2-UAE.xml"))
    assert checked.valid, checked.reasons
    assert (checked.header.rentity_id, checked.header.entity_reference) == (101, "STR-2026-0042")
    assert checked.header.schema_version == "5.0.2"
    read = read_report(checked, key="R1", entity="040140000006", config=KZ, received=RECEIVED)
    layla, john = read.mentions
    assert (layla.kind, layla.name, layla.birth_date) == (
        "person",
        "Hassan Layla",
        dt.date(1989, 7, 2),
    )
    # The EID is both her id_number and her identification: one identifier, not two.
    assert layla.identifiers == (
        Identifier(kind="id_card", value="784198512345671"),
        Identifier(kind="phone", value="971509998877"),
    )
    assert (john.name, john.nationality, john.identifiers) == ("Smith John", "GB", ())
    (transfer,) = read.transfers
    assert (transfer.source, transfer.target, transfer.amount) == (layla.id, john.id, "120000.00")
    # goAML times are the FIU's local time (UTC+5 in the Kazakhstan configuration).
    assert transfer.date == dt.datetime(2026, 5, 24, 9, 30, tzinfo=dt.UTC)
    assert read.indicators == ("STRUC",)
    assert {m.report for m in read.mentions} == {"R1"} and layla.entity == "040140000006"


def test_a_report_finmon_writes_is_valid_and_each_party_is_one_mention() -> None:
    checked = _check(to_xml(STR, KZ))
    assert checked.valid, checked.reasons
    read = read_report(checked, key="R2", entity="040140000006", config=KZ, received=RECEIVED)
    company, client, payee = read.mentions
    assert (company.kind, company.name) == ("organisation", "ТОО Сұңқар")
    assert company.identifiers == (Identifier(kind="bin", value="150240012345"),)
    # The client pays in one transaction and is paid in the other: one mention in the report.
    assert client.name == "ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ"
    assert set(client.identifiers) == {
        Identifier(kind="account", value="KZ86125KZT5004100100"),
        Identifier(kind="iin", value="840312300456"),
        Identifier(kind="id_card", value="045678912"),
    }
    assert payee.identifiers == (Identifier(kind="account", value="AIYLKG22:1030120000123456"),)
    assert [(t.source, t.target) for t in read.transfers] == [
        (company.id, client.id),
        (client.id, payee.id),
    ]
    assert client.seen == dt.datetime(2026, 5, 24, 5, 5, tzinfo=dt.UTC)  # the first time seen
    assert read.indicators == ("TFFTH",)


def test_a_threshold_report_finmon_writes_is_valid() -> None:
    report = dataclasses.replace(STR, kind="threshold", indicators=("HRCTR",))
    checked = _check(to_xml(report, KZ))
    assert checked.valid, checked.reasons
    assert checked.header.report_code == "DPMSR"


def test_a_report_with_errors_is_refused_with_every_reason_at_its_element() -> None:
    xml = (
        to_xml(STR, KZ)
        .replace(b">980000.50<", b">lots<")
        .replace(b"<report_code>STR", b"<report_code>XXX")
    )
    checked = _check(xml)
    assert not checked.valid
    places = {(r.element, r.line) for r in checked.reasons}
    assert places == {("/report/report_code", 6), ("/report/transaction[1]/amount_local", 34)}
    assert all(r.line and "line" in str(r) for r in checked.reasons)
    # Still read for the acknowledgement: which report of which entity was refused.
    assert checked.header.entity_reference == "STR-2026-0042"


def test_a_missing_report_id_is_named() -> None:
    xml = to_xml(STR, KZ).replace(b"<entity_reference>STR-2026-0042</entity_reference>", b"")
    reasons = _check(xml).reasons
    assert any(r.element == "/report/entity_reference" for r in reasons), reasons


@pytest.mark.parametrize(
    "xml, said",
    [
        (b"<report><rentity_id>1</report>", "malformed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><report>&x;</report>',
            "DOCTYPE",
        ),
        (b"<report>" + b" " * LIMIT + b"</report>", "larger than"),
    ],
    ids=["malformed", "entity", "too large"],
)
def test_hostile_or_broken_files_are_refused_unread(xml: bytes, said: str) -> None:
    checked = _check(xml)
    (reason,) = checked.reasons
    assert said in str(reason) and checked.tree is None


def test_a_report_of_another_goaml_version_is_refused_yet_read() -> None:
    # The Sri Lankan 2.0 instance: the FIU's configured schema decides, the reader still reads.
    checked = _check(_sample("sample-Pawning-2.0-LK.xml"))
    assert {r.element for r in checked.reasons} >= {"/report/report_code"}
    read = read_report(checked, key="R3", entity="1", config=KZ, received=RECEIVED)
    assert [m.name for m in read.mentions] == ["Hewagama Ka Gayantha", "KUMANAN TEST"]
    assert read.transfers[0].amount == "1211628.74"


def test_nothing_to_read_when_the_xml_did_not_parse() -> None:
    checked = _check(b"<report>")
    with pytest.raises(InputError, match="could not be parsed"):
        read_report(checked, key="R4", entity="1", config=KZ, received=RECEIVED)


def test_a_threshold_report_from_transactions_is_valid_and_read(tmp_path: Path) -> None:
    # from_cases.threshold_report is what `finmon monitor --threshold-report` writes.
    records = [to_record(t) for t in read_transactions(_funnel(tmp_path / "f.csv"))][:3]
    report = threshold_report(records, KZ, reference="TR-1", reporter=REPORTER)
    checked = _check(to_xml(report, KZ))
    assert checked.valid, checked.reasons
    read = read_report(checked, key="R5", entity="1", config=KZ, received=RECEIVED)
    assert len(read.transfers) == 3 and all(t.source and t.target for t in read.transfers)
