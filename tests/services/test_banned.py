"""The data bank of banned organisations: recorded by the FIU with its list version in one
step, screenable as `kz-banned`, read by another agency with provenance, never dropped."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app as cli_app
from finmon.errors import WorkflowRefused
from finmon.services import banned
from finmon.store.audit import audit_rows
from finmon.store.lists import current_versions
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.fiu.test_banned import BANK, HEADER


def _bank(tmp_path: Path, text: str = BANK) -> Path:
    path = tmp_path / "bank.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bans_in_force_are_screened_and_read_by_another_agency(tmp_path: Path) -> None:
    keys = make_users({"fiu": Role.FIU_ANALYST, "agency": Role.AGENCY_READER})
    counts, result = banned.record_file("fiu", _bank(tmp_path))
    assert counts == {"added": 2, "changed": 0, "unchanged": 0}
    assert result.designation_count == 1 and current_versions()["kz-banned"] == result.version

    customers = tmp_path / "customers.csv"
    customers.write_text("id,name\nC1,Джунд аль-Халифат\nC2,Hizb ut-Tahrir\n", encoding="utf-8")
    hits = tmp_path / "hits.csv"
    make_users({"screener": Role.ANALYST})
    screened = CliRunner().invoke(
        cli_app, ["--actor", "screener", "screen", str(customers), "--output", str(hits)]
    )
    assert screened.exit_code == 0, screened.output
    with hits.open(encoding="utf-8") as handle:
        found = {(r["id"], r["list"], r["reference"]) for r in csv.DictReader(handle)}
    assert ("C1", "kz-banned", "KZB-1") in found
    assert not any(i == "C2" and ls == "kz-banned" for i, ls, _ in found)  # lifted

    with TestClient(create_app()) as api:
        agency = {"Authorization": f"Bearer {keys['agency']}"}
        answer = api.get("/banned/KZB-2", headers=agency)
        listed = api.get("/banned?status=in_force", headers=agency)
        refused = api.get("/alerts", headers=agency)
    assert answer.status_code == 200, answer.text
    shown = answer.json()
    assert shown["status"] == "lifted" and shown["lifted_on"] == "2020-01-01"
    assert shown["court"] == "Almaty City Court"
    assert shown["provenance"]["source_file"] == "bank.csv"
    assert shown["provenance"]["recorded_by"] == "fiu"
    assert len(shown["provenance"]["source_sha256"]) == 64
    assert [b["reference"] for b in listed.json()] == ["KZB-1"]
    assert refused.status_code == 403


def test_a_ban_is_never_dropped_only_lifted(tmp_path: Path) -> None:
    banned.record_file("fiu", _bank(tmp_path))
    only_second = HEADER + BANK.splitlines(keepends=True)[2]
    with pytest.raises(WorkflowRefused, match="never dropped"):
        banned.record_file("fiu", _bank(tmp_path, only_second))
    result = banned.lift("fiu", "KZB-1", dt.date(2026, 1, 5), "Supreme Court ruling 7-2/26")
    assert result.designation_count == 0
    assert banned.get_ban("fiu", "KZB-1")["status"] == "lifted"
    actions = [row["action"] for row in audit_rows(limit=1000)]
    assert actions.count("banned.record") == 2 and "banned.lift" in actions
    with pytest.raises(WorkflowRefused, match="lifted already"):
        banned.lift("fiu", "KZB-1", dt.date(2026, 1, 6), "again")
