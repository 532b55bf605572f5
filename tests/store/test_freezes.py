"""Freeze orders: the 24-hour clock, releases and permitted payments by two people, delistings
that open a release review, and the notification to the FIU."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.store import load_list, verify_audit
from finmon.store.alerts import approve, decide_alert, list_alerts
from finmon.store.customers import import_customers
from finmon.store.freezes import (
    NOTIFICATION_FIELDS,
    PaymentRequest,
    approve_payment,
    ask_release,
    get_freeze,
    list_freezes,
    notifications_csv,
    notifications_json,
    release,
    request_payment,
    sla,
)
from finmon.store.models import utc_now
from finmon.workflow import Verdict
from tests.store.workflow_data import (
    CUSTOMERS,
    LISTED_ACCOUNTS,
    LISTED_ID,
    LISTED_REF,
    audit_rows,
    fixture_designations,
    table_counts,
    un_version,
    without,
)

LISTED = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
EXTRA_CUSTOMERS = (
    "id,name,birth_date,accounts\n"
    "K010,Zhanibek Ormanov,1991-08-21,KZ10\n"
    "K011,Alisher Nazarov,,KZ11\n"
    "K012,Khalid Yusuf al-Mazruqi,1968,KZ12\n"
)


def _listing(published: dt.datetime) -> None:
    """The customers arrive before QDi.905 is listed; the listing published then alerts K004."""
    earlier = un_version(published - 20 * 24 * HOUR, without(fixture_designations(), LISTED_REF))
    assert load_list(earlier, actor="loader").loaded
    import_customers(CUSTOMERS, actor="officer.a")
    result = load_list(un_version(published, fixture_designations()), actor="loader")
    assert result.rescreen is not None and result.rescreen.alerts == 1


def _freeze(published: dt.datetime = LISTED) -> int:
    _listing(published)
    [alert] = list_alerts("all")
    decide_alert(alert.alert_id, Verdict.CONFIRMED_HIT, actor="anna")
    return approve(alert.alert_id, actor="bolat")


def _alert_of(customer_id: str) -> int:
    return next(a.alert_id for a in list_alerts("all") if a.customer_id == customer_id)


def test_sla_counts_the_24_hours_of_every_alert_awaiting_action(tmp_path: Path) -> None:
    _listing(LISTED)
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA_CUSTOMERS, encoding="utf-8")
    assert import_customers(extra, actor="officer.a").alerts == 3
    decide_alert(_alert_of("K010"), Verdict.FALSE_POSITIVE, actor="anna", reason="namesake")
    decide_alert(_alert_of("K011"), Verdict.ESCALATE, actor="anna", reason="ask the MLRO")
    decide_alert(_alert_of("K012"), Verdict.CONFIRMED_HIT, actor="anna")

    before = {item.customer_id: item for item in sla(now=LISTED + 10 * HOUR)}
    assert sorted(before) == [LISTED_ID, "K011", "K012"]
    assert [i.status for i in sla()] == ["open", "escalated", "pending_approval"]
    listed = before[LISTED_ID]
    assert (listed.clock_start, listed.deadline) == (LISTED, LISTED + 24 * HOUR)
    assert listed.hours_left == 14.0
    after = {item.customer_id: item for item in sla(now=LISTED + 30 * HOUR)}
    assert after[LISTED_ID].hours_left == -6.0
    arrived = before["K012"].clock_start
    assert arrived > LISTED
    late = {item.customer_id: item.hours_left for item in sla(now=arrived + 25 * HOUR)}
    assert late["K012"] == -1.0
    soon = {item.customer_id: item.hours_left for item in sla(now=arrived + 23.5 * HOUR)}
    assert soon["K012"] == 0.5
    assert 23.9 < next(i.hours_left for i in sla() if i.customer_id == "K012") <= 24.0


def test_release_needs_a_reason_and_a_second_person() -> None:
    freeze_id = _freeze()
    with pytest.raises(WorkflowRefused, match="only a requested release"):
        release(freeze_id, actor="bolat")
    with pytest.raises(InputError, match="needs a reason"):
        ask_release(freeze_id, actor="anna", reason="  ")
    assert get_freeze(freeze_id)["status"] == "active"
    assert ask_release(freeze_id, actor="anna", reason="court order 12/2026") == "release_pending"
    for same in ("anna", "ANNA"):
        with pytest.raises(WorkflowRefused, match="four-eyes"):
            release(freeze_id, actor=same)
    assert get_freeze(freeze_id)["status"] == "release_pending"
    assert release(freeze_id, actor="bolat") == "released"
    record = get_freeze(freeze_id)
    assert record["status"] == "released"
    assert record["release"]["requested_by"] == "anna"
    assert record["release"]["released_by"] == "bolat"
    assert record["release"]["reason"] == "court order 12/2026"
    with pytest.raises(WorkflowRefused):
        ask_release(freeze_id, actor="anna", reason="again")
    assert audit_rows("freeze.rel") == [
        ("anna", "freeze.release_request", f"freeze:{freeze_id}"),
        ("bolat", "freeze.release", f"freeze:{freeze_id}"),
    ]


def test_delisting_puts_the_freeze_up_for_release_review() -> None:
    freeze_id = _freeze()
    delisted = un_version(LISTED + 30 * 24 * HOUR, without(fixture_designations(), LISTED_REF))
    result = load_list(delisted, actor="loader")
    assert result.changes["removed"] == 1
    assert result.rescreen is not None and result.rescreen.reviews == 1
    record = get_freeze(freeze_id)
    assert record["status"] == "release_review"
    assert LISTED_REF in record["review_reason"] and delisted.version in record["review_reason"]
    assert audit_rows("freeze.review") == [("loader", "freeze.review", f"freeze:{freeze_id}")]
    assert ask_release(freeze_id, actor="anna", reason="delisted") == "release_pending"
    assert release(freeze_id, actor="bolat") == "released"


def test_delisting_without_a_freeze_reviews_nothing() -> None:
    _listing(LISTED)
    delisted = un_version(LISTED + 30 * 24 * HOUR, without(fixture_designations(), LISTED_REF))
    result = load_list(delisted, actor="loader")
    assert result.rescreen is not None and result.rescreen.reviews == 0
    assert table_counts()["freezes"] == 0


def test_permitted_payment_is_recorded_then_approved_by_someone_else() -> None:
    freeze_id = _freeze()
    asked = PaymentRequest(amount="85 000,50", currency="kzt", purpose="rent", payee="KSK")
    payment_id = request_payment(freeze_id, asked, actor="anna")
    [payment] = get_freeze(freeze_id)["permitted_payments"]
    assert payment["payment_id"] == payment_id
    assert (payment["amount"], payment["currency"], payment["status"]) == (
        "85000.50",
        "KZT",
        "pending_approval",
    )
    assert (payment["requested_by"], payment["approved_by"]) == ("anna", None)
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_payment(payment_id, actor="Anna")
    approve_payment(payment_id, actor="bolat")
    [payment] = get_freeze(freeze_id)["permitted_payments"]
    assert (payment["status"], payment["approved_by"]) == ("approved", "bolat")
    with pytest.raises(InputError, match="already approved"):
        approve_payment(payment_id, actor="chingiz")
    assert audit_rows("payment.") == [
        ("anna", "payment.request", f"payment:{payment_id}"),
        ("bolat", "payment.approve", f"payment:{payment_id}"),
    ]


BAD_PAYMENTS = [
    ("abc", "KZT", "food", "not a number"),
    ("", "KZT", "food", "not a number"),
    ("0", "KZT", "food", "positive"),
    ("-100", "KZT", "food", "positive"),
    ("NaN", "KZT", "food", "positive"),
    ("Infinity", "KZT", "food", "positive"),
    ("100", "TENGE", "food", "ISO 4217"),
    ("100", "K1T", "food", "ISO 4217"),
    ("100", "", "food", "ISO 4217"),
    ("100", "KZT", " ", "purpose"),
]


def test_permitted_payment_refuses_bad_values() -> None:
    freeze_id = _freeze()
    before = table_counts()
    for amount, currency, purpose, message in BAD_PAYMENTS:
        with pytest.raises(InputError, match=message):
            request_payment(freeze_id, PaymentRequest(amount, currency, purpose), actor="anna")
    assert table_counts() == before


FOOD = PaymentRequest(amount="10", currency="KZT", purpose="food")


def test_no_payment_from_a_released_or_unknown_freeze() -> None:
    freeze_id = _freeze()
    ask_release(freeze_id, actor="anna", reason="court order")
    release(freeze_id, actor="bolat")
    with pytest.raises(InputError, match="released"):
        request_payment(freeze_id, FOOD, actor="anna")
    with pytest.raises(NotFound, match="no freeze 999"):
        request_payment(999, FOOD, actor="anna")
    with pytest.raises(NotFound, match="no permitted payment 999"):
        approve_payment(999, actor="bolat")
    with pytest.raises(NotFound):
        get_freeze(999)


def _hours(record: dict[str, object]) -> float:
    frozen = dt.datetime.fromisoformat(str(record["frozen_at"]))
    return (frozen - dt.datetime.fromisoformat(str(record["listing_published_at"]))) / HOUR


@pytest.mark.parametrize(("hours_ago", "within"), [(2, True), (30, False)])
def test_notification_states_the_time_to_freeze(hours_ago: int, within: bool) -> None:
    freeze_id = _freeze(published=utc_now().replace(microsecond=0) - hours_ago * HOUR)
    records = list_freezes()
    assert [r["freeze_id"] for r in records] == [freeze_id]
    document = json.loads(notifications_json(records))
    [record] = document["freeze_notifications"]
    assert list(record) == list(NOTIFICATION_FIELDS)
    assert (record["customer_id"], record["reference"]) == (LISTED_ID, LISTED_REF)
    assert record["accounts"] == LISTED_ACCOUNTS
    assert (record["decided_by"], record["approved_by"]) == ("anna", "bolat")
    assert abs(record["hours_to_freeze"] - _hours(record)) <= 0.01
    assert hours_ago <= record["hours_to_freeze"] < hours_ago + 0.1
    assert record["within_24_hours"] is within
    reader = csv.DictReader(io.StringIO(notifications_csv(records)))
    [row] = list(reader)
    assert reader.fieldnames == list(NOTIFICATION_FIELDS)
    assert row["accounts"] == ";".join(LISTED_ACCOUNTS)
    assert float(row["hours_to_freeze"]) == record["hours_to_freeze"]
    assert row["within_24_hours"].lower() == str(within).lower()
    assert verify_audit().ok


def test_customer_listed_on_arrival_is_clocked_from_the_alert(tmp_path: Path) -> None:
    assert load_list(un_version(LISTED, fixture_designations()), actor="loader").loaded
    import_customers(CUSTOMERS, actor="officer.a")
    [alert] = list_alerts("all")
    decide_alert(alert.alert_id, Verdict.CONFIRMED_HIT, actor="anna")
    record = get_freeze(approve(alert.alert_id, actor="bolat"))
    assert record["listing_published_at"] == LISTED.isoformat()
    assert 0 <= record["hours_to_freeze"] < 0.1
    assert record["within_24_hours"] is True


def test_frozen_accounts_are_listed_for_monitoring_until_released(tmp_path: Path) -> None:
    import csv

    from typer.testing import CliRunner

    from finmon.cli import app
    from finmon.store.listed_parties import listed_parties
    from finmon.transactions.model import COLUMNS

    def frozen_accounts() -> set[str]:
        return {account for party in listed_parties() for account in party.accounts}

    assert frozen_accounts() == set()
    freeze_id = _freeze()
    assert frozen_accounts() == set(LISTED_ACCOUNTS)
    source = tmp_path / "t.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow(
            ["P-1", "2026-03-02T09:00:00Z", "KZ99", "NURLAN", "", "KZ", LISTED_ACCOUNTS[0],
             "FROZEN", "", "KZ", "50000", "KZT", "transfer", ""]
        )  # fmt: skip
    out = tmp_path / "alerts.csv"
    for kept in ([], ["--store"]):  # listed with the alerts kept or not
        command = ["monitor", str(source), "--output", str(out), *kept]
        assert CliRunner().invoke(app, command).exit_code == 0
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [(r["account"], r["rule"]) for r in rows] == [
            ("KZ99", "listed_link")  # paying a frozen account
        ]
        assert json.loads(rows[0]["evidence"])["listed"] == {
            LISTED_ACCOUNTS[0]: [f"freeze {freeze_id} (un {LISTED_REF})"]
        }
    ask_release(freeze_id, actor="anna", reason="delisted")
    release(freeze_id, actor="bolat")
    assert frozen_accounts() == set()
