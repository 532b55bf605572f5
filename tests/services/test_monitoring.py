"""Monitoring seeded from the store's decisions: a simulated world's listed persons known only
from freezes and confirmed payment-screening hits (no `listed` column anywhere) are found by the
listed_link rule, and a namesake whose hits were closed seeds nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.model import Designation, DesignationName, Identifier, ParsedList, Schema
from finmon.services import alerts, cases, customers, lists, monitoring
from finmon.simulate import Settings, simulate, write
from finmon.simulate.parameters import TYPOLOGIES
from finmon.simulate.tables import holder_ids
from finmon.workflow import Verdict
from finmon.workflow.access import Role
from tests.accounts import make_users

RECALL_TARGET = 0.95


def _world(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A month of 200 customers with 20 listed_link instances planted and nothing else."""
    planted = {**dict.fromkeys(TYPOLOGIES, 0), "listed_link": 20}
    write(simulate(Settings(seed=11, customers=200, months=1, planted=planted)), folder)
    read = dict(infer_schema=False)
    return pl.read_csv(folder / "transactions.csv", **read), pl.read_csv(
        folder / "accounts.csv", **read
    )


def _namesake(transfers: pl.DataFrame, accounts: pl.DataFrame) -> tuple[str, str]:
    """An ordinary person's account and name: the busiest retail payer with no label."""
    unlabelled = pl.col("typology").is_null() & (pl.col("listed") != "true")
    ordinary = accounts.filter((pl.col("segment") == "retail") & unlabelled)
    payers = transfers.filter(pl.col("originator_account").is_in(ordinary["account"].implode()))
    account = payers.group_by("originator_account").len().sort("len", descending=True).row(0)[0]
    name = ordinary.filter(pl.col("account") == account)["name"][0]
    return str(account), str(name)


def _list(listed: pl.DataFrame, numbers: dict[str, str], namesake: str) -> ParsedList:
    """The UN list: the world's listed persons with a passport each, and one more person who
    only shares an ordinary customer's name."""
    designations = [
        Designation(
            "un",
            f"QDi.{900 + n}",
            Schema.PERSON,
            [DesignationName(name)],
            identifiers=[Identifier("passport", f"P{numbers[account]}")],
        )
        for n, (account, name) in enumerate(listed.select("account", "name").iter_rows())
    ]
    designations.append(
        Designation(
            "un",
            "QDi.999",
            Schema.PERSON,
            [DesignationName(namesake)],
            identifiers=[Identifier("passport", "N0000999")],
        )
    )
    when = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    return ParsedList("un", "un-xml", "2025-12-01", when, designations, [("un.xml", "0" * 64)])


def _customers(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "full_name", "iin", "accounts"])
        for number, (account, name, iin) in enumerate(rows):
            writer.writerow([f"C{number}", name, iin, account])
    return path


def _decide(listed: set[str]) -> None:
    """Customer alerts: the listed confirmed and frozen, others false positives. Cases: the
    listed accounts' reported, the others closed; each by one person, approved by another."""
    for alert in alerts.list_alerts("anna"):
        if alert.reference != "QDi.999":
            alerts.decide("anna", alert.alert_id, Verdict.CONFIRMED_HIT)
            alerts.approve("bolat", alert.alert_id)
        else:
            alerts.decide("anna", alert.alert_id, Verdict.FALSE_POSITIVE, "a namesake")
    cases.open_cases("anna")
    for case in cases.list_cases("anna"):
        cases.review("anna", case["case_id"])
        action = "report" if case["account"] in listed else "close"
        cases.propose("anna", case["case_id"], action, "checked against the list's documents")
        cases.approve("bolat", case["case_id"])


@pytest.fixture
def decided(tmp_path: Path) -> dict[str, Any]:
    """The store of a bank that screened a simulated month and decided every hit."""
    transfers, accounts = _world(tmp_path / "sim")
    numbers = holder_ids(transfers)
    listed = accounts.filter(pl.col("listed") == "true")
    namesake, name = _namesake(transfers, accounts)
    make_users({"anna": Role.ANALYST, "bolat": Role.SUPERVISOR})
    lists.load_list("anna", _list(listed, numbers, name))
    ours = listed.filter(pl.col("segment") == "retail").select("account", "name").rows()
    rows = [(a, n, numbers[a]) for a, n in ours] + [(namesake, name, numbers[namesake])]
    customers.import_customers("anna", _customers(tmp_path / "customers.csv", rows))
    source = tmp_path / "sim" / "transactions.csv"
    monitoring.load_transactions("anna", source)
    _decide(set(listed["account"]))
    return {
        "source": source,
        "accounts": accounts,
        "listed": set(listed["account"]),
        "namesake": namesake,
        "frozen": {a for a, _ in ours},
    }


def test_listed_links_are_found_from_freezes_and_confirmed_hits_alone(
    decided: dict[str, Any], tmp_path: Path
) -> None:
    plan = monitoring.plan_monitoring(decided["source"], listed_from_store=True)
    # Every listed account is known, each from a freeze or a reported hit; the namesake whose
    # hits were closed is not, though the list names him.
    assert set(plan.listed) == decided["listed"]
    assert decided["namesake"] not in plan.listed
    for account, origins in plan.listed.items():
        kinds = {origin.split(" ")[0] for origin in origins}
        assert kinds <= {"freeze", "alert", "alerts"} and kinds
        assert ("freeze" in kinds) == (account in decided["frozen"])
    run = plan.run()
    scores = run.scores
    labelled = decided["accounts"].filter(pl.col("typology") == "listed_link")["account"]
    found = [a for a in labelled if scores.get(a, 0.0) >= run.pack.review_threshold]
    assert len(found) / len(labelled) >= RECALL_TARGET
    linked = [row for row in run.rows if row["rule"] == "listed_link"]
    assert linked and all(row["evidence"]["listed"] for row in linked)
    parties = {p for row in linked for p in row["evidence"]["listed"]}
    assert parties <= decided["listed"]
    # The same alerts from `finmon monitor` with no accounts table and no --store.
    output = tmp_path / "alerts.csv"
    command = ["--actor", "anna", "monitor", str(decided["source"]), "--output", str(output)]
    assert CliRunner().invoke(app, command).exit_code == 0
    with output.open(encoding="utf-8") as handle:
        rules = [row["rule"] for row in csv.DictReader(handle)]
    assert rules.count("listed_link") == len(linked)
    # Without the store's decisions (and no `listed` column) nobody is listed.
    alone = monitoring.plan_monitoring(decided["source"])
    assert alone.listed == {}
    assert [r for r in alone.run().rows if r["rule"] == "listed_link"] == []
