"""Alerts from list changes (delta re-screening) and customer changes, and their decisions:
four-eyes on confirmed hits, reasons for the rest, a remembered false positive."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select, text

from finmon.errors import NotFound, WorkflowRefused
from finmon.lists import parse_files
from finmon.lists.diff import diff_designations
from finmon.model import Designation, DesignationName, NameQuality, matching_fingerprint
from finmon.screening import Screener
from finmon.screening.inputs import read_customers
from finmon.store import default_database, load_list
from finmon.store.alerts import approve, decide_alert, get_alert, list_alerts
from finmon.store.customers import import_customers
from finmon.store.freezes import ask_release, release, sla
from finmon.store.models import Decision, Freeze
from finmon.store.rescreen import to_screen
from finmon.workflow import Verdict
from tests.conftest import direct_sql, shared_file
from tests.store.workflow_data import (
    CUSTOMERS,
    LISTED_ACCOUNTS,
    LISTED_ID,
    LISTED_REF,
    audit_rows,
    changed,
    designation,
    fixture_designations,
    fixture_rows,
    table_counts,
    un_version,
    without,
    write_csv,
)

FIRST = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
SECOND = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
THIRD = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)


def _listed_by_a_list_change() -> int:
    """The customers arrive while QDi.905 is not listed; his listing then raises one alert."""
    assert load_list(
        un_version(FIRST, without(fixture_designations(), LISTED_REF)), actor="l"
    ).loaded
    assert import_customers(CUSTOMERS, actor="officer.a").alerts == 0
    result = load_list(un_version(SECOND, fixture_designations()), actor="loader")
    assert result.rescreen is not None and result.rescreen.alerts == 1
    [alert] = list_alerts("all")
    return alert.alert_id


def _listed_on_arrival() -> int:
    """The list is loaded first; the listed customer is alerted by the import."""
    assert load_list(un_version(FIRST, fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="officer.a").alerts == 1
    [alert] = list_alerts("all")
    return alert.alert_id


def _with_alias(alias: str) -> list[Designation]:
    designations = fixture_designations()
    designation(designations, LISTED_REF).names.append(DesignationName(alias, NameQuality.STRONG))
    return designations


def test_added_designation_raises_one_list_alert_clocked_from_its_publication() -> None:
    alert_id = _listed_by_a_list_change()
    row, explanation = get_alert(alert_id)
    assert (row.customer_id, row.reference, row.trigger) == (LISTED_ID, LISTED_REF, "list")
    assert row.list_version == un_version(SECOND, []).version
    assert row.status == "open" and row.score > 0 and explanation
    [waiting] = sla()
    assert waiting.clock_start == SECOND
    assert waiting.deadline == SECOND + dt.timedelta(hours=24)
    assert ("loader", "list.rescreen", "list:un") in audit_rows("list.")
    assert ("loader", "alert.raise", f"alert:{alert_id}") in audit_rows("alert.")


def test_new_alias_alerts_only_the_customers_it_now_matches(tmp_path: Path) -> None:
    _listed_by_a_list_change()
    newcomer = tmp_path / "newcomer.csv"
    newcomer.write_text(
        "id,name,birth_date,accounts\nK009,Руслан Бекмұханбетов,1988-02-29,KZ09\n", encoding="utf-8"
    )
    assert import_customers(newcomer, actor="officer.a").alerts == 0
    result = load_list(un_version(THIRD, _with_alias("Ruslan Bekmukhanbetov")), actor="loader")
    assert result.changes == {"added": 0, "removed": 0, "amended": 1}
    assert result.rescreen is not None and result.rescreen.designations == 1
    alerts = [(a.customer_id, a.reference) for a in list_alerts("all")]
    assert alerts == [(LISTED_ID, LISTED_REF), ("K009", LISTED_REF)]
    new = list_alerts("all")[-1]
    assert new.trigger == "list"
    assert next(s.clock_start for s in sla() if s.alert_id == new.alert_id) == THIRD


def test_amendment_outside_the_matching_data_raises_nothing() -> None:
    _listed_by_a_list_change()
    before = table_counts()
    designations = fixture_designations()
    designation(designations, LISTED_REF).remarks = "Amended remarks only."
    designation(designations, "QDi.901").programmes = ["Amended programme"]
    result = load_list(un_version(THIRD, designations), actor="loader")
    assert result.changes == {"added": 0, "removed": 0, "amended": 2}
    assert result.rescreen is not None
    assert (result.rescreen.designations, result.rescreen.alerts) == (0, 0)
    after = table_counts()
    assert after["alerts"] == before["alerts"] == 1
    assert after["audit_log"] == before["audit_log"] + 1


def _customers_file(tmp_path: Path, negatives: int) -> Path:
    """The UN positives of the evaluation set and some US negatives, as a registry with ids."""
    rows = []
    sources = (("P", "positives_un.csv", None), ("N", "negatives_us.csv", negatives))
    for prefix, name, limit in sources:
        with shared_file(f"eval/{name}").open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(itertools.islice(csv.DictReader(handle), limit)):
                rows.append([f"{prefix}{i:05d}", row["full_name"], row["date_of_birth"]])
    path = tmp_path / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "birth_date"])
        writer.writerows(rows)
    return path


def _alerted_pairs() -> set[tuple[str, str, str, str]]:
    query = text(
        "SELECT customer_id, reference, customer_fingerprint, designation_fingerprint FROM alerts"
    )
    with direct_sql() as conn:
        return {(c, r, cfp, dfp) for c, r, cfp, dfp in conn.execute(query)}


def test_delta_rescreen_agrees_with_a_full_screen_on_real_lists(tmp_path: Path) -> None:
    old = parse_files([shared_file("lists/un_consolidated_2020-11-30.xml")])
    new = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")])
    customers = _customers_file(tmp_path, negatives=3000)
    load_list(old, actor="loader")
    imported = import_customers(customers, actor="officer.a")
    assert imported.problems == 0 and imported.alerts > 0
    before = _alerted_pairs()
    awaiting = {(customer, ref) for customer, ref, _, _ in before}
    load_list(new, actor="loader")
    delta = {(a.customer_id, a.reference) for a in list_alerts("all") if a.trigger == "list"}

    changed_refs = {
        d.reference for d in to_screen(diff_designations(old.designations, new.designations))
    }
    screener = Screener(new.designations, versions={"un": new.version})
    full = set()
    for row in read_customers(customers):
        assert row.party is not None
        party_fp = matching_fingerprint(row.party)
        for hit in screener.screen(row.party, limit=1000):
            ref = hit.designation.reference
            seen = (row.party.id, ref, party_fp, matching_fingerprint(hit.designation))
            # Nobody has decided the old version's alerts: those pairs are already in the queue.
            if ref in changed_refs and seen not in before and (row.party.id, ref) not in awaiting:
                full.add((row.party.id, ref))
    assert len(full) > 40
    assert delta == full


def test_confirmed_hit_is_frozen_only_on_a_second_persons_approval() -> None:
    alert_id = _listed_by_a_list_change()
    assert decide_alert(alert_id, Verdict.CONFIRMED_HIT, actor="anna") == "pending_approval"
    for same in ("anna", "ANNA", " Anna "):
        with pytest.raises(WorkflowRefused, match="four-eyes"):
            approve(alert_id, actor=same)
    assert get_alert(alert_id)[0].status == "pending_approval"
    assert table_counts()["freezes"] == 0
    freeze_id = approve(alert_id, actor="bolat")
    assert get_alert(alert_id)[0].status == "confirmed_hit"
    with default_database().read() as session:
        freeze = session.get(Freeze, freeze_id)
        assert freeze is not None
        assert (freeze.customer_id, freeze.reference, freeze.status) == (
            LISTED_ID,
            LISTED_REF,
            "active",
        )
        assert freeze.accounts == LISTED_ACCOUNTS
        assert (freeze.decided_by, freeze.approved_by) == ("anna", "bolat")
        assert freeze.listing_published_at == SECOND
        stamps = [
            freeze.listing_published_at,
            freeze.list_loaded_at,
            freeze.alert_at,
            freeze.decided_at,
            freeze.frozen_at,
        ]
        assert all(a < b for a, b in itertools.pairwise(stamps)), stamps
        decisions = session.scalars(select(Decision.decision).where(Decision.alert_id == alert_id))
        assert list(decisions) == ["confirmed_hit", "approve"]
    assert audit_rows("alert.d") + audit_rows("alert.a") + audit_rows("freeze.") == [
        ("anna", "alert.decide", f"alert:{alert_id}"),
        ("bolat", "alert.approve", f"alert:{alert_id}"),
        ("bolat", "freeze.create", f"freeze:{freeze_id}"),
    ]


def test_false_positive_and_escalation_need_a_reason() -> None:
    alert_id = _listed_on_arrival()
    before = table_counts()
    for verdict in (Verdict.FALSE_POSITIVE, Verdict.ESCALATE):
        for reason in (None, "", "   "):
            with pytest.raises(WorkflowRefused, match="needs a reason"):
                decide_alert(alert_id, verdict, actor="anna", reason=reason)
    assert get_alert(alert_id)[0].status == "open"
    assert table_counts() == before


def test_escalated_alert_waits_then_is_decided() -> None:
    alert_id = _listed_on_arrival()
    escalated = decide_alert(alert_id, Verdict.ESCALATE, actor="anna", reason="needs the MLRO")
    assert escalated == "escalated"
    assert [a.alert_id for a in list_alerts("open")] == [alert_id]
    assert [s.status for s in sla()] == ["escalated"]
    decided = decide_alert(
        alert_id, Verdict.FALSE_POSITIVE, actor="mlro", reason="other birth date per passport"
    )
    assert decided == "false_positive"
    assert list_alerts("open") == [] and sla() == []
    assert [a.alert_id for a in list_alerts("decided")] == [alert_id]
    actors = [actor for actor, _action, _obj in audit_rows("alert.decide")]
    assert actors == ["anna", "mlro"]


def test_decided_alert_cannot_be_decided_or_approved_again() -> None:
    alert_id = _listed_on_arrival()
    decide_alert(alert_id, Verdict.FALSE_POSITIVE, actor="anna", reason="namesake")
    before = table_counts()
    for verdict in Verdict:
        with pytest.raises(WorkflowRefused, match="already decided"):
            decide_alert(alert_id, verdict, actor="bolat", reason="second look")
    with pytest.raises(WorkflowRefused, match="awaiting approval"):
        approve(alert_id, actor="bolat")
    assert table_counts() == before
    assert get_alert(alert_id)[0].status == "false_positive"


def test_confirmed_alert_cannot_be_decided_again() -> None:
    alert_id = _listed_on_arrival()
    decide_alert(alert_id, Verdict.CONFIRMED_HIT, actor="anna")
    approve(alert_id, actor="bolat")
    with pytest.raises(WorkflowRefused, match="already decided"):
        decide_alert(alert_id, Verdict.FALSE_POSITIVE, actor="anna", reason="changed my mind")
    with pytest.raises(WorkflowRefused):
        approve(alert_id, actor="chingiz")
    assert table_counts()["freezes"] == 1


def test_unknown_alert_is_not_found() -> None:
    _listed_on_arrival()
    with pytest.raises(NotFound, match="no alert 999"):
        decide_alert(999, Verdict.CONFIRMED_HIT, actor="anna")
    with pytest.raises(NotFound, match="no alert 999"):
        approve(999, actor="bolat")
    with pytest.raises(NotFound):
        get_alert(999)


def test_false_positive_is_remembered_while_nothing_matching_changes(tmp_path: Path) -> None:
    alert_id = _listed_on_arrival()
    decide_alert(alert_id, Verdict.FALSE_POSITIVE, actor="anna", reason="namesake")
    again = import_customers(write_csv(tmp_path / "again.csv", fixture_rows()), actor="officer.a")
    assert (again.unchanged, again.alerts) == (8, 0)
    republished = load_list(un_version(SECOND, fixture_designations()), actor="loader")
    assert republished.loaded and republished.changes == {"added": 0, "removed": 0, "amended": 0}
    assert republished.rescreen is not None and republished.rescreen.alerts == 0
    assert [(a.alert_id, a.status) for a in list_alerts("all")] == [(alert_id, "false_positive")]


@pytest.mark.parametrize(
    "change",
    [{"full_name": "Karagulov Timur Akhatovich"}, {"birth_date": "1988-03-01"}],
    ids=["name", "birth_date"],
)
def test_false_positive_is_raised_again_when_the_customer_changes(
    tmp_path: Path, change: dict[str, str]
) -> None:
    alert_id = _listed_on_arrival()
    decide_alert(alert_id, Verdict.FALSE_POSITIVE, actor="anna", reason="namesake")
    rows = changed(fixture_rows(), LISTED_ID, **change)
    result = import_customers(write_csv(tmp_path / "changed.csv", rows), actor="officer.a")
    assert (result.updated, result.screened, result.alerts) == (1, 1, 1)
    alerts = [(a.customer_id, a.reference, a.status, a.trigger) for a in list_alerts("all")]
    assert alerts == [
        (LISTED_ID, LISTED_REF, "false_positive", "customer"),
        (LISTED_ID, LISTED_REF, "open", "customer"),
    ]


def test_false_positive_is_raised_again_when_the_listing_changes() -> None:
    alert_id = _listed_on_arrival()
    decide_alert(alert_id, Verdict.FALSE_POSITIVE, actor="anna", reason="namesake")
    result = load_list(un_version(SECOND, _with_alias("Timur Karaguly")), actor="loader")
    assert result.rescreen is not None and result.rescreen.alerts == 1
    statuses = [(a.status, a.trigger) for a in list_alerts("all")]
    assert statuses == [("false_positive", "customer"), ("open", "list")]


def test_a_person_delisted_released_and_listed_again_is_alerted_again() -> None:
    full = fixture_designations()
    assert load_list(un_version(FIRST, full), actor="loader").loaded
    import_customers(CUSTOMERS, actor="loader")
    (first,) = list_alerts("open")
    decide_alert(first.alert_id, Verdict.CONFIRMED_HIT, actor="officer.a")
    freeze_id = approve(first.alert_id, actor="officer.b")
    assert load_list(un_version(SECOND, without(full, LISTED_REF)), actor="loader").loaded
    ask_release(freeze_id, actor="officer.a", reason="delisted")
    release(freeze_id, actor="officer.b")
    # The same entry, unchanged, listed again: a new legal event that needs a new decision.
    relisted = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert load_list(un_version(relisted, fixture_designations()), actor="loader").loaded
    (again,) = list_alerts("open")
    assert (again.customer_id, again.reference) == (LISTED_ID, LISTED_REF)
    assert again.alert_id != first.alert_id
    assert [item.alert_id for item in sla(now=relisted)] == [again.alert_id]
    # Loading it once more raises nothing new: the alert in hand stands.
    later = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert load_list(un_version(later, fixture_designations()), actor="loader").loaded
    assert len(list_alerts("all")) == 2


def test_a_delisting_withdraws_the_alerts_nobody_had_decided() -> None:
    full = fixture_designations()
    assert load_list(un_version(FIRST, full), actor="loader").loaded
    import_customers(CUSTOMERS, actor="loader")
    (alert,) = list_alerts("open")
    decide_alert(alert.alert_id, Verdict.ESCALATE, actor="officer.a", reason="ask the branch")
    assert load_list(un_version(SECOND, without(full, LISTED_REF)), actor="loader").loaded
    assert list_alerts("open") == []
    (closed,) = list_alerts("decided")
    assert closed.status == "withdrawn"
    assert sla(now=SECOND) == []
    assert ("loader", "alert.withdraw", f"alert:{alert.alert_id}") in audit_rows("alert.")
    with pytest.raises(WorkflowRefused, match="withdrawn"):
        decide_alert(alert.alert_id, Verdict.FALSE_POSITIVE, actor="officer.a", reason="x")
    relisted = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    assert load_list(un_version(relisted, fixture_designations()), actor="loader").loaded
    (again,) = list_alerts("open")
    assert again.alert_id != alert.alert_id
