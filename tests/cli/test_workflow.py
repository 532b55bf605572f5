"""The `finmon` commands of customers, alerts, freezes and list diffs, as other tools and people
use them: the output contract, exit codes, and an audited end-to-end workflow."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from finmon.cli import app, err, out
from finmon.errors import ROW_PROBLEMS_EXIT
from finmon.lists import FIXTURE_DIR
from finmon.store.freezes import NOTIFICATION_FIELDS
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.conftest import direct_sql, drop_audit_guards
from tests.store.workflow_data import CUSTOMERS, LISTED_ACCOUNTS, LISTED_ID, LISTED_REF

ALERT_HEADER = (
    "alert_id,customer_id,customer_name,list,reference,designation_name,score,status,created_at"
)
UN_FIXTURE = FIXTURE_DIR / "un_list_fixture.xml"
EXTRA_CUSTOMERS = (
    "id,name,birth_date,accounts\n"
    "K010,Zhanibek Ormanov,1991-08-21,KZ10\n"
    "K011,Alisher Nazarov,,KZ11\n"
)
runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str, str]:
    # Wide enough that no table cell is cut short. The consoles read COLUMNS once, when the CLI is
    # imported (pytest-xdist's workers set it to 80), so their width is set here as well.
    out.width = err.width = 200
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def _ok(*args: str | Path) -> str:
    code, stdout, stderr = _run(*args)
    assert code == 0, stderr
    return stdout


def _list_file(tmp_path: Path, published: str, *, listed: bool = True) -> Path:
    """The fixture list as published at another time, with or without QDi.905."""
    xml = UN_FIXTURE.read_text(encoding="utf-8")
    if not listed:
        entry = re.compile(r"<INDIVIDUAL>(?:(?!</INDIVIDUAL>).)*?QDi\.905.*?</INDIVIDUAL>\s*", re.S)
        xml, removed = entry.subn("", xml)
        assert removed == 1
    xml = xml.replace('dateGenerated="2026-01-15T00:00:05.000Z"', f'dateGenerated="{published}"')
    path = tmp_path / f"un-{published.replace(':', '')}-{listed}.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def _earlier_list(tmp_path: Path) -> Path:
    """The fixture list as published a fortnight earlier, before QDi.905 was listed."""
    return _list_file(tmp_path, "2026-01-01", listed=False)


def _three_alerts(tmp_path: Path) -> None:
    """Fixture list and customers plus two more listed customers; K010's alert is decided."""
    _ok("lists", "load", UN_FIXTURE)
    _ok("customers", "import", CUSTOMERS)
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA_CUSTOMERS, encoding="utf-8")
    assert "2 alerts raised" in _ok("customers", "import", extra)
    _ok("alerts", "decide", "2", "--decision", "false_positive", "--reason", "namesake")


def _audit() -> list[tuple[str, str]]:
    """(actor, action) of the audit rows in order, leaving out those that set up the accounts."""
    with direct_sql() as conn:
        rows = conn.execute(text("SELECT actor, action FROM audit_log ORDER BY id"))
        return [
            (actor, action)
            for actor, action in rows
            if not action.startswith(("user.", "api_key."))
        ]


def _staff() -> None:
    """Accounts for the people of these tests: analysts anna and officer.a, supervisor bolat."""
    make_users(
        {
            "loader.env": Role.ANALYST,
            "officer.a": Role.ANALYST,
            "anna": Role.ANALYST,
            "bolat": Role.SUPERVISOR,
        }
    )


def test_whole_workflow_is_audited_under_each_actor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINMON_ACTOR", "loader.env")
    _staff()
    _ok("lists", "load", _earlier_list(tmp_path))
    imported = _ok("--actor", "officer.a", "customers", "import", CUSTOMERS)
    assert "8 new, 0 changed, 0 unchanged, 0 rejected; screened 8, 0 alerts raised" in imported
    loaded = _ok("lists", "load", UN_FIXTURE)
    assert "Changes: 1 added, 0 removed, 0 amended." in loaded
    assert "1 new or amended designations: 1 customers checked, 1 alerts raised" in loaded
    assert "pending_approval" in _ok(
        "--actor", "anna", "alerts", "decide", "1", "--decision", "confirmed_hit"
    )
    code, _, stderr = _run("--actor", "anna", "alerts", "approve", "1")
    assert code == 9 and "may not approve" in stderr  # an analyst's role
    code, _, stderr = _run("--actor", "ANNA", "alerts", "approve", "1")
    assert code == 8 and "not an active finmon account" in stderr
    assert "freeze order 1 is in force" in _ok("--actor", "bolat", "alerts", "approve", "1")
    payment = ("freezes", "payment", "1", "--amount", "85000", "--currency", "KZT")
    _ok("--actor", "anna", *payment, "--purpose", "rent")
    _ok("--actor", "bolat", "freezes", "approve-payment", "1")
    _ok("--actor", "anna", "freezes", "release", "1", "--reason", "court order")
    code, _, stderr = _run("--actor", "anna", "freezes", "approve-release", "1")
    assert code == 9 and "may not approve" in stderr
    assert "released" in _ok("--actor", "bolat", "freezes", "approve-release", "1")

    assert _audit() == [
        ("loader.env", "list.load"),
        ("officer.a", "customers.import.batch"),
        ("officer.a", "customers.import"),
        ("loader.env", "list.load"),
        ("loader.env", "alert.raise"),
        ("loader.env", "list.rescreen"),
        ("anna", "alert.decide"),
        ("bolat", "alert.approve"),
        ("bolat", "freeze.create"),
        ("anna", "payment.request"),
        ("bolat", "payment.approve"),
        ("anna", "freeze.release_request"),
        ("bolat", "freeze.release"),
    ]
    code, _, stderr = _run("audit", "verify")
    assert code == 9 and "may not read the audit trail" in stderr  # an analyst
    code, stdout, _ = _run("--actor", "bolat", "audit", "verify")
    assert code == 0 and "intact: 29 rows" in stdout
    with direct_sql() as conn:
        drop_audit_guards(conn)
        conn.execute(text("UPDATE audit_log SET reason = 'namesake' WHERE action = 'alert.decide'"))
    code, _, stderr = _run("--actor", "bolat", "audit", "verify")
    assert code == 1 and "BROKEN (edited)" in stderr


def test_alerts_list_csv_keeps_its_columns_and_filters_by_status(tmp_path: Path) -> None:
    _three_alerts(tmp_path)
    for status, expected in (("open", {1, 3}), ("decided", {2}), ("all", {1, 2, 3})):
        output = tmp_path / f"alerts-{status}.csv"
        code, _, stderr = _run("alerts", "list", "--status", status, "--output", output)
        assert code == 0 and f"{len(expected)} alerts written" in stderr
        lines = output.read_text(encoding="utf-8").splitlines()
        assert lines[0] == ALERT_HEADER
        rows = list(csv.DictReader(lines))
        assert {int(row["alert_id"]) for row in rows} == expected
    rows = list(csv.DictReader((tmp_path / "alerts-all.csv").read_text("utf-8").splitlines()))
    first = rows[0]
    assert (first["customer_id"], first["reference"], first["list"]) == (
        LISTED_ID,
        LISTED_REF,
        "un",
    )
    assert first["customer_name"] == "Карагулов Тимур Ахатович"
    assert first["designation_name"] == "TIMUR AKHATOVICH KARAGULOV"
    assert 0 < float(first["score"]) <= 1 and first["created_at"][:2] == "20"
    assert [row["status"] for row in rows] == ["open", "false_positive", "open"]


def test_alerts_list_json_has_the_same_keys(tmp_path: Path) -> None:
    _three_alerts(tmp_path)
    output = tmp_path / "alerts.json"
    _ok("alerts", "list", "--output", output)
    rows = json.loads(output.read_text(encoding="utf-8"))
    columns = ALERT_HEADER.split(",")
    assert [row["alert_id"] for row in rows] == [1, 3]
    for row in rows:
        assert list(row)[: len(columns)] == columns
        assert isinstance(row["score"], float) and row["status"] == "open"


def test_alerts_list_prints_a_table_and_refuses_bad_options(tmp_path: Path) -> None:
    _three_alerts(tmp_path)
    code, stdout, stderr = _run("alerts", "list")
    assert code == 0 and "2 alerts (open)" in stderr
    assert LISTED_ID in stdout and "K011" in stdout and "K010" not in stdout
    code, _, stderr = _run("alerts", "list", "--status", "closed")
    assert code == 2 and "unknown --status 'closed'" in stderr
    code, _, stderr = _run("alerts", "list", "--output", tmp_path / "alerts.txt")
    assert code == 2 and "must end in .csv or .json" in stderr


def test_alerts_decide_refuses_what_the_workflow_does_not_allow(tmp_path: Path) -> None:
    _three_alerts(tmp_path)
    code, stdout, stderr = _run("alerts", "decide", "1", "--decision", "bogus")
    assert code == 2 and stdout == ""
    assert stderr.strip() == (
        "error: unknown --decision 'bogus'; use one of confirmed_hit, false_positive, escalate"
    )
    code, _, stderr = _run("alerts", "decide", "1", "--decision", "false_positive")
    assert code == 7 and "needs a reason" in stderr
    code, _, stderr = _run("alerts", "decide", "2", "--decision", "escalate", "--reason", "why")
    assert code == 7 and "already decided" in stderr
    code, _, stderr = _run("alerts", "decide", "99", "--decision", "confirmed_hit")
    assert code == 5 and "no alert 99" in stderr
    shown = json.loads(_ok("alerts", "show", "1", "--json"))
    assert (shown["status"], shown["trigger"]) == ("open", "customer")
    assert shown["explanation"]


def test_alerts_show_says_the_alert_in_the_language_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readable by default, in the times of FINMON_TIME_ZONE; --json keeps the document."""
    _three_alerts(tmp_path)
    document = json.loads(_ok("alerts", "show", "1", "--json"))
    monkeypatch.setenv("FINMON_TIME_ZONE", "Asia/Almaty")
    kazakh = _ok("alerts", "show", "1", "--lang", "kk")
    assert kazakh.startswith("Хабарлама #1 · ашық · Баға")
    assert "Неліктен сәйкес келді:" in kazakh and "толық сәйкес" in kazakh
    created = dt.datetime.fromisoformat(document["created_at"]).replace(tzinfo=dt.UTC)
    assert f"{created + dt.timedelta(hours=5):%Y-%m-%d %H:%M} +05:00" in kazakh
    assert "{" not in kazakh and "exact" not in kazakh
    monkeypatch.setenv("FINMON_LANGUAGE", "ru")
    assert _ok("alerts", "show", "1").startswith("Оповещение #1 · открыто")
    code, _, stderr = _run("alerts", "show", "1", "--lang", "de")
    assert code == 2 and "--lang" in stderr


def test_freezes_list_sla_and_notify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _three_alerts(tmp_path)
    _staff()
    monkeypatch.setenv("FINMON_ACTOR", "officer.a")
    assert "Nothing awaits action" not in _ok("freezes", "sla")
    code, stdout, stderr = _run("freezes", "sla")
    assert code == 0 and "2 alerts awaiting action" in stderr
    assert LISTED_ID in stdout and "K011" in stdout and "K010" not in stdout
    sla_json = tmp_path / "sla.json"
    _ok("freezes", "sla", "--output", sla_json)
    items = json.loads(sla_json.read_text(encoding="utf-8"))
    assert [item["alert_id"] for item in items] == [1, 3]
    assert all(23.5 < item["hours_left"] <= 24 for item in items)

    _ok("--actor", "anna", "alerts", "decide", "1", "--decision", "confirmed_hit")
    _ok("--actor", "bolat", "alerts", "approve", "1")
    _ok("--actor", "anna", "alerts", "decide", "3", "--decision", "false_positive", "--reason", "x")
    assert "Nothing awaits action: every alert is decided." in _ok("freezes", "sla")
    code, stdout, stderr = _run("freezes", "list")
    assert code == 0 and "1 freeze orders" in stderr
    assert LISTED_ID in stdout and LISTED_ACCOUNTS[0] in stdout and "active" in stdout
    listed = tmp_path / "freezes.json"
    _ok("freezes", "list", "--output", listed)
    [order] = json.loads(listed.read_text(encoding="utf-8"))["freeze_notifications"]
    assert list(order) == list(NOTIFICATION_FIELDS) and order["customer_id"] == LISTED_ID

    notice = tmp_path / "notice.json"
    _ok("freezes", "notify", "1", "--output", notice)
    [record] = json.loads(notice.read_text(encoding="utf-8"))["freeze_notifications"]
    assert list(record)[: len(NOTIFICATION_FIELDS)] == list(NOTIFICATION_FIELDS)
    assert record["accounts"] == LISTED_ACCOUNTS and record["within_24_hours"] is True
    table = tmp_path / "notice.csv"
    _ok("freezes", "notify", "1", "--output", table)
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        [row] = list(reader)
    assert reader.fieldnames == list(NOTIFICATION_FIELDS)
    assert float(row["hours_to_freeze"]) == record["hours_to_freeze"]
    code, _, stderr = _run("freezes", "notify", "9", "--output", notice)
    assert code == 5 and "no freeze 9" in stderr


def test_sla_shows_what_is_overdue(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = "%Y-%m-%dT%H:%M:%S"
    earlier = (now - dt.timedelta(days=10)).strftime(stamp)
    _ok("lists", "load", _list_file(tmp_path, earlier, listed=False))
    _ok("customers", "import", CUSTOMERS)
    _ok("lists", "load", _list_file(tmp_path, (now - dt.timedelta(hours=48)).strftime(stamp)))
    code, stdout, stderr = _run("freezes", "sla")
    assert code == 0 and "1 alerts awaiting action, 1 overdue" in stderr
    assert re.search(r"OVERDUE by 2[34]\.\d", stdout), stdout
    sla_csv = tmp_path / "sla.csv"
    _ok("freezes", "sla", "--output", sla_csv)
    with sla_csv.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["customer_id"] == LISTED_ID and -24.1 < float(row["hours_left"]) <= -24


def test_lists_diff_prints_and_writes_the_changes(tmp_path: Path) -> None:
    _ok("lists", "load", _earlier_list(tmp_path))
    _ok("lists", "load", UN_FIXTURE)
    stdout = _ok("lists", "diff", "un")
    assert "un 2026-01-01 -> 2026-01-15: 1 added, 0 removed, 0 amended" in stdout
    assert LISTED_REF in stdout and "TIMUR AKHATOVICH KARAGULOV" in stdout
    first = _ok("lists", "diff", "un", "--version", "2026-01-01")
    assert "un nothing -> 2026-01-01: 24 added, 0 removed, 0 amended" in first
    output = tmp_path / "diff.json"
    _ok("lists", "diff", "un", "--output", output)
    document = json.loads(output.read_text(encoding="utf-8"))
    assert (document["from"], document["to"], document["added"]) == ("2026-01-01", "2026-01-15", 1)
    assert [d["reference"] for d in document["added_designations"]] == [LISTED_REF]
    code, _, stderr = _run("lists", "diff", "ofac")
    assert code == 5 and "no list 'ofac'" in stderr
    code, _, stderr = _run("lists", "diff", "un", "--output", tmp_path / "diff.csv")
    assert code == 2


def test_screen_changes_screens_only_what_the_latest_load_added(tmp_path: Path) -> None:
    customers = tmp_path / "registry.csv"
    customers.write_text(
        "id,name\nR1,Timur Akhatovich Karagulov\nR2,Khalid Yusuf al-Mazruqi\nR3,Anna Petrova\n",
        encoding="utf-8",
    )

    def hits(*options: str) -> dict[tuple[str, str], str]:
        written = tmp_path / "hits.csv"
        _ok("screen", customers, "--output", written, *options)
        with written.open(encoding="utf-8", newline="") as handle:
            return {(r["id"], r["reference"]): r["score"] for r in csv.DictReader(handle)}

    _ok("lists", "load", _earlier_list(tmp_path))
    first = hits("--changes")
    assert {query for query, _ in first} == {"R2"}  # a list loaded once: all of it is new
    _ok("lists", "load", UN_FIXTURE)
    every, changed = hits(), hits("--changes")
    assert {query for query, _ in every} == {"R1", "R2"}
    assert list(changed) == [("R1", LISTED_REF)]
    # The same score as against every list: name parts weighed by the same frequencies.
    assert changed[("R1", LISTED_REF)] == every[("R1", LISTED_REF)]


def test_customers_import_reports_rejected_rows_and_show_gives_history(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "id,name,iin,accounts\nC1,Ерлан Жақсылықов,871008300125,KZ01\nC2,Дана,871008300124,KZ02\n",
        encoding="utf-8",
    )
    code, stdout, stderr = _run("--actor", "officer.a", "customers", "import", path)
    assert code == ROW_PROBLEMS_EXIT and "2 new, 0 changed, 0 unchanged, 0 rejected" in stdout
    assert f"problem: {path}: line 3, column iin: '871008300124'" in stderr
    assert "IIN/BIN left out" in stderr and "1 problems" in stdout
    with (tmp_path / "customers.problems.csv").open(encoding="utf-8") as handle:
        assert [row["row"] for row in csv.DictReader(handle)] == ["line 3"]
    shown = json.loads(_ok("customers", "show", "C1"))
    assert shown["accounts"] == ["KZ01"]
    assert [(v["version"], v["changed_by"]) for v in shown["history"]] == [(1, "officer.a")]
    assert json.loads(_ok("customers", "show", "C2"))["record"]["identifiers"] == []
    code, _, stderr = _run("customers", "show", "C9")
    assert code == 5 and "no customer 'C9'" in stderr
    code, _, stderr = _run("customers", "import", tmp_path / "missing.csv")
    assert code == 2 and "no such file" in stderr


def test_customers_reindex_rebuilds_only_an_index_of_another_scheme() -> None:
    _ok("customers", "import", CUSTOMERS)
    assert "nothing to do" in _ok("customers", "reindex")
    with direct_sql() as conn:
        conn.execute(text("UPDATE store_state SET value = 'finmon-index-0'"))
        before = conn.execute(text("SELECT count(*) FROM customer_tokens")).scalar_one()
    assert "rebuilt for 8 customers" in _ok("--actor", "it.admin", "customers", "reindex")
    with direct_sql() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer_tokens")).scalar_one() == before
        action = "SELECT actor FROM audit_log WHERE action = 'customer_index.rebuild'"
        assert conn.execute(text(action)).scalars().all() == ["it.admin"]
    assert "nothing to do" in _ok("customers", "reindex")
