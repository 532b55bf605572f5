"""Disseminations as decided cases: drafted by one person, approved by another, exported only
then as a package holding what was chosen, and every step (viewing too) in the audit trail."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from finmon.cli import app as cli_app
from finmon.errors import Forbidden, InputError, NotFound, WorkflowRefused
from finmon.services import fiu_disseminations, fiu_subjects
from finmon.store import default_database
from finmon.store.audit import audit_rows, verify_audit
from finmon.store.models import FiuReport
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.services.test_fiu_subjects import MENTIONS, _store


@pytest.fixture
def case() -> dict[str, str]:
    """Four reports, their XML as received, and the FIU's people: an analyst who drafts, two
    supervisors, an entity's analyst; the first subject's id."""
    _store(MENTIONS)
    with default_database().write() as session:
        for key in ("r1", "r2", "r3", "r4"):
            xml = f"<report><entity_reference>{key}</entity_reference></report>".encode()
            session.execute(update(FiuReport).where(FiuReport.key == key).values(xml=xml))
    make_users(
        {"fa": Role.FIU_ANALYST, "fs": Role.FIU_SUPERVISOR, "fs2": Role.FIU_SUPERVISOR}
        | {"an": Role.ANALYST}
    )
    return {"subject": fiu_subjects.subject("fa", "r1:1").subject.subject_id}


def _draft(actor: str, subject: str, reference: str = "D-1") -> int:
    row = fiu_disseminations.draft(
        actor, reference=reference, recipient="Financial Police", subjects=[subject],
        reports=["r1", "r3"], reasoning="Cash in at two banks, same person.",
    )  # fmt: skip
    return row.id


def test_two_persons_decide_and_the_package_holds_what_was_chosen(
    case: dict[str, str], tmp_path: Path
) -> None:
    number = _draft("fs", case["subject"])
    target = tmp_path / "out" / "D-1.zip"
    with pytest.raises(WorkflowRefused, match="only after a second person approved it"):
        fiu_disseminations.export("fs", number, target)
    assert not target.parent.exists() or not list(target.parent.iterdir())
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        fiu_disseminations.approve("fs", number)
    with pytest.raises(Forbidden):
        fiu_disseminations.approve("fa", number)
    approved = fiu_disseminations.approve("fs2", number)
    assert (approved.drafted_by, approved.approved_by, approved.status) == ("fs", "fs2", "approved")

    manifest = fiu_disseminations.export("fa", number, target)
    data = target.read_bytes()
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        assert {"reports/r1.xml", "reports/r3.xml", "subjects.csv", "network.svg"} <= names
        assert "reports/r2.xml" not in names
        assert (
            package.read("reports/r3.xml")
            == b"<report><entity_reference>r3</entity_reference></report>"
        )
        subjects = list(csv.DictReader(io.StringIO(package.read("subjects.csv").decode())))
        assert [row["subject_id"] for row in subjects] == [case["subject"]]
        assert set(subjects[0]["reports"].split(";")) == {"r1", "r2"}
        assert "Cash in at two banks" in package.read("reasoning.txt").decode()
        assert "NURLAN AKHMETOV" in package.read("network.svg").decode()
        recorded = json.loads(package.read("manifest.json"))
        assert (recorded["drafted_by"], recorded["approved_by"]) == ("fs", "fs2")

    shown = fiu_disseminations.show("fs2", number)
    assert (shown.status, shown.exported_by, shown.package_sha256) == (
        "exported", "fa", manifest["sha256"],
    )  # fmt: skip
    trail = [
        (row["action"], row["actor"])
        for row in audit_rows(limit=1000)
        if row["action"].startswith("fiu_dissemination.")
    ]
    assert trail == [
        ("fiu_dissemination.draft", "fs"),
        ("fiu_dissemination.approve", "fs2"),
        ("fiu_dissemination.export", "fa"),
        ("fiu_dissemination.view", "fs2"),
    ]
    exported = next(row for row in audit_rows(limit=1000) if row["action"].endswith(".export"))
    assert exported["after"]["package_sha256"] == manifest["sha256"]
    assert "reports/r1.xml" in exported["after"]["members"]
    assert verify_audit().ok


def test_a_draft_names_what_exists_and_is_kept_from_reporting_entities(
    case: dict[str, str],
) -> None:
    with pytest.raises(NotFound, match="S-nobody"):
        _draft("fa", "S-nobody")
    with pytest.raises(NotFound, match="r9"):
        fiu_disseminations.draft(
            "fa", reference="D-2", recipient="Police", subjects=[], reports=["r9"],
            reasoning="why",
        )  # fmt: skip
    with pytest.raises(Forbidden):
        _draft("an", case["subject"])
    with pytest.raises(Forbidden):
        fiu_disseminations.list_disseminations("an")
    assert _draft("fa", "r2:1") == 1  # a mention stands for its subject
    assert fiu_disseminations.list_disseminations("fs")[0].subjects == [case["subject"]]
    with pytest.raises(InputError, match="'D-1' is dissemination 1 already"):
        _draft("fa", case["subject"])


def test_the_commands_draft_approve_export_list_and_show(
    case: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()

    def run(actor: str, *args: str) -> str:
        result = runner.invoke(cli_app, ["--actor", actor, "fiu", "disseminate", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    reasoning = tmp_path / "why.txt"
    reasoning.write_text("Структурирование наличных.", encoding="utf-8")
    said = run(
        "fa", "draft", "--reference", "D-9", "--recipient", "Police", "--subject",
        case["subject"], "--report", "r1", "--reasoning-file", str(reasoning),
    )  # fmt: skip
    assert "dissemination 1 (D-9) to Police drafted by fa" in said
    refused = runner.invoke(
        cli_app, ["--actor", "fa", "fiu", "disseminate", "export", "1", "--output", "x.zip"]
    )
    assert refused.exit_code == WorkflowRefused.exit_code
    assert "approved by fs" in run("fs", "approve", "1")
    package = tmp_path / "D-9.zip"
    assert "sha256" in run("fa", "export", "1", "--output", str(package))
    listed = json.loads(run("fs", "list", "--format", "json"))
    assert listed[0]["status"] == "exported" and listed[0]["reports"] == 1
    shown = json.loads(run("fs", "show", "1"))
    assert shown["reasoning"] == "Структурирование наличных."
    assert shown["package_sha256"] == hashlib.sha256(package.read_bytes()).hexdigest()
