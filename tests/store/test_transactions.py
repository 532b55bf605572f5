"""Loading transactions into the store: all or nothing, screened, R.16-checked, never twice."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError
from finmon.services.monitoring import ALERT_COLUMNS
from finmon.store import default_database, load_list
from finmon.store.audit import audit_rows, verify_audit
from finmon.store.models import MonitoringAlert, TransactionRow
from finmon.store.transactions import (
    LISTED,
    R16,
    list_monitoring_alerts,
    load_transactions,
)
from finmon.transactions.model import COLUMNS
from tests.store.workflow_data import fixture_designations, un_version

ROWS = [
    # To the listed person QDi.905, in Cyrillic: held by screening.
    [
        "P-1",
        "2026-11-02T09:30:00",
        "KZ86125KZT5004100100",
        "Erlan Zhaksylykov",
        "871008300125",
        "KZ",
        "RU02044525600407028",
        "Карагулов Тимур Ахатович",
        "",
        "RU",
        "300",
        "USD",
        "wire",
        "e2e-1",
    ],
    # Cross-border above the threshold without any originator identification: held by R.16.
    [
        "P-2",
        "2026-11-02T09:31:00",
        "KZ11125KZT0000000102",
        "Aigerim Seitkali",
        "",
        "KZ",
        "TJ12345678901234567",
        "Rustam Nazarov",
        "",
        "TJ",
        "2500",
        "EUR",
        "wire",
        "e2e-2",
    ],
    # Domestic and complete: nothing to say.
    [
        "P-3",
        "2026-11-02T09:32:00",
        "KZ11125KZT0000000102",
        "Aigerim Seitkali",
        "",
        "KZ",
        "KZ86125KZT5004100100",
        "Erlan Zhaksylykov",
        "",
        "KZ",
        "50000",
        "KZT",
        "internal",
        "",
    ],
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _count(model: type) -> int:
    with default_database().read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def listed() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded


def test_a_load_screens_checks_and_raises_each_alert_once(listed: None, tmp_path: Path) -> None:
    path = _write(tmp_path / "payments.csv", ROWS)
    result = load_transactions(path, actor="ops")
    assert (result.transactions, result.inserted, result.unchanged) == (3, 3, 0)
    assert result.alerts == {LISTED: 1, R16: 1}
    assert result.held == 2
    alerts = {a["rule"]: a for a in list_monitoring_alerts()}
    listed_alert = alerts[LISTED]
    assert listed_alert["transaction_ids"] == ["P-1"]
    assert listed_alert["account"] == "RU02044525600407028"
    assert (listed_alert["evidence"]["side"], listed_alert["evidence"]["reference"]) == (
        "beneficiary",
        "QDi.905",
    )
    r16 = alerts[R16]
    assert (r16["transaction_ids"], r16["account"]) == (["P-2"], "KZ11125KZT0000000102")
    assert r16["evidence"]["missing"] == [
        {
            "side": "originator",
            "what": "identification",
            "detail": "no address, national ID, customer ID, or date and place of birth",
        }
    ]
    again = load_transactions(path, actor="ops")
    assert (again.inserted, again.unchanged, again.alerts) == (0, 3, {})
    assert _count(TransactionRow) == 3 and _count(MonitoringAlert) == 2
    loads = [row for row in audit_rows(limit=100) if row["action"] == "transactions.load"]
    assert [row["after"]["inserted"] for row in loads] == [3, 0]
    assert verify_audit().ok


def test_a_transfer_loaded_again_with_other_content_is_refused_whole(
    listed: None, tmp_path: Path
) -> None:
    load_transactions(_write(tmp_path / "a.csv", ROWS[:1]), actor="ops")
    changed = [row.copy() for row in ROWS]
    changed[0][10] = "3000"  # P-1's amount
    with pytest.raises(InputError) as refused:
        load_transactions(_write(tmp_path / "b.csv", changed), actor="ops")
    assert "b.csv: line 2" in str(refused.value) and "'P-1'" in str(refused.value)
    assert _count(TransactionRow) == 1 and _count(MonitoringAlert) == 1
    twice = [ROWS[1], [*ROWS[1][:10], "1", *ROWS[1][11:]]]
    with pytest.raises(InputError, match="is used before"):
        load_transactions(_write(tmp_path / "c.csv", twice), actor="ops")
    assert _count(TransactionRow) == 1


def test_without_a_list_the_load_says_nothing_was_screened(tmp_path: Path) -> None:
    result = load_transactions(_write(tmp_path / "payments.csv", ROWS), actor="ops")
    assert result.screened is False
    assert result.alerts == {R16: 1}


def test_a_transfer_that_cannot_be_read_is_skipped_named_and_the_rest_loaded(
    tmp_path: Path,
) -> None:
    bad = [*ROWS[1][:10], "2,500.x", *ROWS[1][11:]]
    path = _write(tmp_path / "payments.csv", [ROWS[0], bad, ROWS[2]])
    strict = CliRunner().invoke(app, ["transactions", "load", "--strict", str(path)])
    assert strict.exit_code == 2 and "line 3: amount '2,500.x'" in strict.output
    assert _count(TransactionRow) == 0
    loaded = CliRunner().invoke(app, ["transactions", "load", str(path)])
    assert loaded.exit_code == 10, loaded.output
    assert "2 new" in loaded.output and "not read:" in loaded.output
    assert "line 3: amount '2,500.x' is not a number" in loaded.output
    assert _count(TransactionRow) == 2
    (entry,) = [row for row in audit_rows() if row["action"] == "transactions.load"]
    assert entry["after"]["skipped"] == 1


def test_the_commands_load_and_list_alerts_in_the_contract_columns(
    listed: None, tmp_path: Path
) -> None:
    path = _write(tmp_path / "payments.csv", ROWS)
    loaded = CliRunner().invoke(app, ["transactions", "load", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "3 new" in loaded.output and "2 transfers held" in loaded.output
    out = tmp_path / "alerts.csv"
    listed_ = CliRunner().invoke(app, ["transactions", "alerts", "--output", str(out)])
    assert listed_.exit_code == 0, listed_.output
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == ALERT_COLUMNS
    assert sorted(row["rule"] for row in rows) == sorted([LISTED, R16])
    assert all(json.loads(row["evidence"]) for row in rows)
    bad = CliRunner().invoke(app, ["transactions", "load", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2
