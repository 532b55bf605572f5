"""From transfers to a goAML report: a funnel in loaded transfers, found by the rules, kept as
alerts, grouped into a case, decided by two people, reported as an STR that validates against the
FIU's schema with the Kazakhstan configuration; threshold reports likewise."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError, WorkflowRefused
from finmon.monitoring.engine import numbered, run_batch
from finmon.monitoring.events import Context
from finmon.monitoring.rules import load_pack
from finmon.reports.from_cases import case_report, threshold_report
from finmon.reports.goaml import kz_schema, load_config, to_xml, validate
from finmon.store.cases import (
    approve_decision,
    case_report_data,
    open_cases,
    propose_decision,
    review_case,
)
from finmon.store.transactions import load_transactions, store_monitoring_alerts
from finmon.transactions.model import COLUMNS, to_record
from finmon.transactions.reader import read_transactions
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.conftest import shared_spec
from tests.reports.test_entity import write_profile
from tests.reports.test_goaml import REPORTER
from tests.store.workflow_data import audit_rows

COLLECTOR = "KZ61722C000012345678"
SENDERS = [
    ("ЖАҚСЫЛЫҚОВ ЕРЛАН", "871008300125"),
    ("СЕЙТҚАЛИ ӘЙГЕРІМ", "900215400321"),
    ("НҰРЛАНОВ АСҚАР", "850101300456"),
    ("ИВАНОВА МАРИЯ", "920305400789"),
    ("ТОҚТАРОВ БАУЫРЖАН", "880707300112"),
    ("ӘБІЛОВА ДИНАРА", "950612400223"),
    ("ҚАСЫМОВ НҰРЖАН", "830909300334"),
    ("ПЕТРОВ СЕРГЕЙ", "790404300445"),
    ("ОМАРОВА ГҮЛНАР", "910101400556"),
    ("ҒАБИТОВ ҚАЙРАТ", "860808300667"),
]


def _funnel(path: Path) -> Path:
    """Ten people each send a small sum to one collector within a week; then it goes abroad."""
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    rows = [
        [
            f"F-{n}",
            (start + dt.timedelta(hours=12 * n)).isoformat(),
            f"KZ{n:02d}722C00000000{n:04d}",
            name,
            iin,
            "KZ",
            COLLECTOR,
            "ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ",
            "840312300456",
            "KZ",
            f"{15000 + 1000 * n}",
            "KZT",
            "transfer",
            "көмек",
        ]
        for n, (name, iin) in enumerate(SENDERS)
    ]
    rows.append(
        [
            "F-OUT",
            (start + dt.timedelta(days=6)).isoformat(),
            COLLECTOR,
            "ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ",
            "840312300456",
            "KZ",
            "DE89370400440532013000",
            "YILMAZ AHMET",
            "",
            "DE",
            "190000",
            "KZT",
            "wire",
            "",
        ]
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _approved_case(tmp_path: Path) -> int:
    make_user("asel", Role.ANALYST)
    make_user("bolat", Role.SUPERVISOR)
    make_user("dana", Role.SUPERVISOR)
    source = _funnel(tmp_path / "funnel.csv")
    load_transactions(source, actor="ops")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(source), Context.of(pack)))
    # The collection and the money moved on abroad: together at the review threshold.
    assert [row["rule"] for row in rows] == ["funnel_account", "collected_then_moved"]
    assert store_monitoring_alerts(rows, actor="ops", source=source.name) == 2
    assert store_monitoring_alerts(rows, actor="ops", source=source.name) == 0  # kept once
    (case_id,) = open_cases(actor="ops")
    review_case(case_id, actor="asel")
    propose_decision(
        case_id, "report", actor="dana", reason="Ten unrelated senders funding one collector"
    )
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_decision(case_id, actor="dana")  # four-eyes: not the proposer
    return case_id


def test_an_approved_case_becomes_an_str_that_validates(tmp_path: Path) -> None:
    case_id = _approved_case(tmp_path)
    config = load_config()
    with pytest.raises(WorkflowRefused):
        case_report_data(case_id)  # not approved yet: no report
    approve_decision(case_id, actor="bolat")
    report = case_report(case_report_data(case_id), config, reporter=REPORTER)
    xml = to_xml(report, config)
    assert validate(xml, kz_schema(shared_spec("goaml/goAMLSchema-5.0.2-UAE.xsd"), config)) == []
    root = etree.fromstring(xml)
    assert root.findtext("report_code") == "STR"
    assert [i.text for i in root.iter("indicator")] == ["SIWOT"]
    numbers = [t.findtext("transactionnumber") for t in root.iter("transaction")]
    assert numbers == [*(f"F-{n}" for n in range(10)), "F-OUT"]  # the collection, then onward
    first = next(root.iter("transaction"))
    assert f"to account {COLLECTOR}" in (first.findtext("transaction_description") or "")
    assert first.findtext("t_to/to_person/last_name") == "ӘБІЛҚАЙЫРОВ"
    assert "Ten unrelated senders" in (root.findtext("reason") or "")


def test_finmon_cases_report_writes_the_file_and_audits_it(tmp_path: Path) -> None:
    case_id = _approved_case(tmp_path)
    schema = shared_spec("goaml/goAMLSchema-5.0.2-UAE.xsd")
    out = tmp_path / "str.xml"
    command = ["cases", "report", str(case_id), "--schema", str(schema), "--output", str(out)]
    refused = CliRunner().invoke(app, ["--actor", "bolat", *command])
    assert refused.exit_code != 0 and not out.exists()  # not approved: nothing written
    approve_decision(case_id, actor="bolat")
    unprofiled = CliRunner().invoke(app, ["--actor", "bolat", *command])
    assert unprofiled.exit_code == 2 and "FINMON_ENTITY_PROFILE" in unprofiled.output
    assert not out.exists()  # no entity profile: no report, no placeholder
    write_profile()
    result = CliRunner().invoke(app, ["--actor", "bolat", *command])
    assert result.exit_code == 0, result.output
    assert f"CASE-{case_id}" in result.output
    assert etree.parse(str(out)).getroot().findtext("entity_reference") == f"CASE-{case_id}"
    assert ("bolat", "case.report_written", f"case:{case_id}") in audit_rows("case.")


def test_a_threshold_report_validates_and_missing_facts_are_refused(tmp_path: Path) -> None:
    config = load_config()
    records = [to_record(t) for t in read_transactions(_funnel(tmp_path / "f.csv"))][:2]
    report = threshold_report(records, config, reference="TR-2026-1", reporter=REPORTER)
    schema = kz_schema(shared_spec("goaml/goAMLSchema-5.0.2-UAE.xsd"), config)
    assert validate(to_xml(report, config), schema) == []
    no_country = [{**records[0], "beneficiary": {**records[0]["beneficiary"], "country": None}}]
    with pytest.raises(InputError, match="beneficiary has no country"):
        threshold_report(no_country, config, reference="TR-2", reporter=REPORTER)
    dollars = [{**records[0], "currency": "USD"}]
    with pytest.raises(InputError, match="give --rates"):
        threshold_report(dollars, config, reference="TR-3", reporter=REPORTER)
    converted = threshold_report(
        dollars, config, reference="TR-3", reporter=REPORTER, rates={"USD": Decimal("520")}
    )
    assert converted.transactions[0].amount_local == Decimal(records[0]["amount"]) * 520


def test_finmon_monitor_writes_a_threshold_report_of_offshore_transfers(tmp_path: Path) -> None:
    source = tmp_path / "offshore.csv"
    rows = [
        ["O-1", "2026-11-02T09:00:00Z", COLLECTOR, "ӘБІЛҚАЙЫРОВ ҚАЙРАТ", "840312300456", "KZ",
         "KY0012345678", "CAYMAN TRUST LTD", "", "KY", "6000000", "KZT", "wire", "invest"],
        ["O-2", "2026-11-02T10:00:00Z", COLLECTOR, "ӘБІЛҚАЙЫРОВ ҚАЙРАТ", "840312300456", "KZ",
         "KY0012345678", "CAYMAN TRUST LTD", "", "KY", "4000000", "KZT", "wire", "invest"],
    ]  # fmt: skip
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    out = tmp_path / "tr.xml"
    schema = shared_spec("goaml/goAMLSchema-5.0.2-UAE.xsd")
    command = ["monitor", str(source), "--threshold-report", str(out), "--schema", str(schema)]
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 2 and "FINMON_ENTITY_PROFILE" in refused.output
    assert not out.exists()
    write_profile()
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    assert root.findtext("report_code") == "DPMSR"  # the threshold code of the schema used
    assert [t.findtext("transactionnumber") for t in root.iter("transaction")] == ["O-1"]
    assert validate(etree.tostring(root), kz_schema(schema, load_config())) == []
