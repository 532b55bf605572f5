"""Loading list versions: atomicity, plausibility refusals, force, no-op reloads."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from finmon.errors import ListRefused, StoreError
from finmon.model import Designation, DesignationName, Schema
from finmon.store import (
    current_designations,
    current_versions,
    list_versions,
    load_list,
    verify_audit,
)
from tests.conftest import direct_sql
from tests.store.factory import parsed_list


def _counts() -> dict[str, int]:
    with direct_sql() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("list_versions", "designations", "audit_log")
        }


def test_loaded_designations_come_back_unchanged() -> None:
    parsed = parsed_list(40, "2026-02-27")
    for designation in parsed.designations[::3]:
        designation.schema = Schema.ORGANIZATION
    result = load_list(parsed, actor="officer")
    assert result.loaded
    assert result.designation_count == 40
    assert current_designations() == parsed.designations
    assert current_versions() == {"un": "2026-02-27"}
    for chosen in ({Schema.PERSON}, {Schema.ORGANIZATION, Schema.UNKNOWN}, set()):
        wanted = [d for d in parsed.designations if d.schema in chosen]
        assert current_designations(schemas=chosen) == wanted


def test_identical_version_is_a_no_op() -> None:
    load_list(parsed_list(40, "2026-02-27"), actor="officer")
    before = _counts()
    again = load_list(parsed_list(40, "2026-02-27"), actor="officer")
    assert again.status == "already loaded"
    assert _counts() == before


def test_newer_version_replaces_current_and_keeps_history() -> None:
    load_list(parsed_list(40, "2025-01-01"), actor="officer")
    result = load_list(parsed_list(45, "2026-02-27"), actor="officer")
    assert result.previous_version == "2025-01-01"
    assert [v.version for v in list_versions(all_versions=True)] == ["2026-02-27", "2025-01-01"]
    assert [v.is_current for v in list_versions(all_versions=True)] == [True, False]
    assert len(current_designations()) == 45


def test_sources_are_versioned_independently() -> None:
    load_list(parsed_list(40, "2026-02-27", source="un"), actor="officer")
    load_list(parsed_list(7, "2021-07-01", source="ofac"), actor="officer")
    assert current_versions() == {"ofac": "2021-07-01", "un": "2026-02-27"}
    assert len(current_designations()) == 47


def test_older_version_is_refused() -> None:
    load_list(parsed_list(40, "2026-02-27"), actor="officer")
    before = _counts()
    with pytest.raises(ListRefused, match="before the current version"):
        load_list(parsed_list(40, "2020-11-30"), actor="officer")
    assert _counts() == before
    assert current_versions() == {"un": "2026-02-27"}


def test_much_smaller_version_is_refused() -> None:
    load_list(parsed_list(40, "2025-01-01"), actor="officer")
    with pytest.raises(ListRefused, match="smaller than plausible"):
        load_list(parsed_list(19, "2026-02-27"), actor="officer")
    assert load_list(parsed_list(20, "2026-02-27"), actor="officer").loaded


def test_empty_version_is_refused() -> None:
    with pytest.raises(ListRefused, match="no designations"):
        load_list(parsed_list(0, "2026-02-27"), actor="officer")


def test_force_loads_a_refused_version_and_audits_why() -> None:
    load_list(parsed_list(40, "2026-02-27"), actor="officer")
    result = load_list(parsed_list(5, "2020-11-30"), actor="head", force=True)
    assert result.loaded
    assert len(result.overridden) == 2
    assert current_versions() == {"un": "2020-11-30"}
    report = verify_audit()
    assert report.ok and report.rows == 2


def test_failed_load_changes_nothing() -> None:
    load_list(parsed_list(30, "2025-01-01"), actor="officer")
    before = _counts()
    broken = parsed_list(2500, "2026-02-27")
    # A missing reference violates NOT NULL only when the last chunk is written: by then the old
    # version was already demoted and 2,000 rows inserted, so only a rollback can restore them.
    broken.designations.append(
        Designation("un", None, Schema.PERSON, [DesignationName("Last One")])  # type: ignore[arg-type]
    )
    with pytest.raises(StoreError):
        load_list(broken, actor="officer")
    assert _counts() == before
    assert current_versions() == {"un": "2025-01-01"}
    assert len(current_designations()) == 30
    assert verify_audit().ok


def test_audit_row_records_the_load() -> None:
    load_list(parsed_list(40, "2026-02-27"), actor="aigerim")
    with direct_sql() as conn:
        row = conn.execute(text("SELECT actor, action, object FROM audit_log")).one()
    actor, action, obj = row
    assert (actor, action, obj) == ("aigerim", "list.load", "list:un")
