"""The desk as an officer uses it: `finmon monitor --store`, the monitoring page and the cases
agree (one store of alerts), a case holds its transfers and their amounts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from finmon.cli import app as cli
from finmon.store.cases import (
    approve_decision,
    case_report_data,
    list_cases,
    propose_decision,
    review_case,
)
from finmon.store.transactions import list_monitoring_alerts
from tests.reports.test_from_cases import COLLECTOR, _funnel
from tests.web.test_web import _sign_in, app, store

__all__ = ["app", "store"]  # the fixtures, shared with the web's other tests


def test_monitor_store_the_monitoring_page_and_the_cases_agree(
    store: None, app: Any, tmp_path: Path
) -> None:
    source = _funnel(tmp_path / "funnel.csv")
    run = CliRunner().invoke(cli, ["--actor", "analyst", "monitor", str(source), "--store"])
    assert run.exit_code == 0, run.output
    opened = CliRunner().invoke(cli, ["--actor", "analyst", "cases", "open"])
    assert opened.exit_code == 0, opened.output
    alerts = list_monitoring_alerts("all")
    cases = list_cases()
    assert alerts and all(a["case_id"] for a in alerts)
    assert {a["case_id"] for a in alerts} == {c["case_id"] for c in cases}
    browser, _ = _sign_in(app, "analyst")
    page = browser.get("/ui/monitoring").text
    counts = f"{len(alerts)} alerts: 0 in no case yet, {len(alerts)} in {len(cases)} cases."
    assert counts in page
    for alert in alerts:
        assert f'<a href="/ui/cases/{alert["case_id"]}">' in page
    # The case holds the transfers `monitor --store` kept: no separate load is needed (the ten
    # collected and the one that moved the money on).
    (case,) = [c for c in cases if c["account"] == COLLECTOR]
    assert case["summary"]["transactions_loaded"] == case["summary"]["transactions"] == 11
    listing = browser.get("/ui/cases").text
    # 15,000 + ... + 24,000 in and 190,000 on, with its currency
    assert "385\u202f000.00 KZT" in listing
    assert re.search(r'id="cases-summary">[^<]*<strong>385\u202f000.00 KZT', listing)
    shown = browser.get(f"/ui/cases/{case['case_id']}").text
    assert 'id="case-transactions"' in shown and "15\u202f000.00 KZT" in shown
    review_case(case["case_id"], actor="analyst")
    propose_decision(case["case_id"], "report", actor="analyst", reason="funnel")
    approve_decision(case["case_id"], actor="supervisor")
    data = case_report_data(case["case_id"])
    assert len(data["transactions"]) == 11 and data["transactions_not_loaded"] == []
