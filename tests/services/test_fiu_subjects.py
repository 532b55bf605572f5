"""Subjects and judgements through the store, the service and the command line: judgements are
kept with who and why, audited, reversible, and the next resolution follows them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app as cli_app
from finmon.errors import Forbidden, InputError, NotFound, WorkflowRefused
from finmon.fiu.records import Identifier, Mention
from finmon.services import fiu_subjects
from finmon.store import default_database
from finmon.store import fiu_subjects as store
from finmon.store.audit import audit_rows, verify_audit
from finmon.store.models import FiuMention, FiuReport
from finmon.workflow.access import Role
from tests.accounts import make_users

BORN = dt.date(1984, 3, 12)


def _m(id: str, name: str, born: dt.date | None = BORN, account: str | None = None) -> Mention:
    ids = (Identifier(kind="account", value=account),) if account else ()
    return Mention(
        id=id, report=id.rpartition(":")[0], entity="000140000001", kind="person", name=name,
        birth_date=born, identifiers=ids, seen=dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC),
    )  # fmt: skip


MENTIONS = [
    _m("r1:1", "Ахметов Нурлан Серикович"),
    _m("r2:1", "NURLAN AKHMETOV"),
    _m("r3:1", "Айгерим Касымова", born=None, account="KZ1"),
    _m("r4:1", "Aigerim Nurlanova", born=None),
]


def _store(mentions: list[Mention]) -> None:
    """Mentions as intake keeps them: each in an accepted report of its own."""
    now = dt.datetime(2026, 2, 2, tzinfo=dt.UTC)
    with default_database().write() as session:
        for m in mentions:
            report = FiuReport(
                key=m.id.rpartition(":")[0], entity_bin=m.entity, status="accepted",
                file_name="r.xml", received_at=now, received_by="intake", sha256="0" * 64,
                size=0, xml=b"", reasons=[],
            )  # fmt: skip
            session.add(report)
            session.flush()
            identifiers = [{"kind": i.kind, "value": i.value} for i in m.identifiers]
            session.add(
                FiuMention(
                    mention_id=m.id, report_id=report.id, entity_bin=m.entity, kind=m.kind,
                    name=m.name, birth_date=m.birth_date, identifiers=identifiers, seen=m.seen,
                )
            )  # fmt: skip


@pytest.fixture
def stored() -> None:
    _store(MENTIONS)


def _sets(actor: str = "ops") -> set[frozenset[str]]:
    return {frozenset(s.mentions) for s in fiu_subjects.subjects(actor).subjects}


def test_mentions_come_back_as_stored(stored: None) -> None:
    back = {m.id: m for m in store.mentions()}
    assert back["r3:1"].identifiers == (Identifier(kind="account", value="KZ1"),)
    assert back["r1:1"].birth_date == BORN and back["r1:1"].seen == MENTIONS[0].seen


def test_a_judgement_is_followed_kept_audited_and_reversed(stored: None) -> None:
    assert _sets() == {frozenset({"r1:1", "r2:1"}), frozenset({"r3:1"}), frozenset({"r4:1"})}
    joined = fiu_subjects.judge("anna", "r3:1", "r4:1", "same", "married name, same IIN on file")
    subject = fiu_subjects.subject("ops", "r1:1").subject
    apart = fiu_subjects.judge("anna", subject.subject_id, "r2:1", "not_same", "two persons")
    assert apart.a_mention == "r1:1" and apart.a == subject.subject_id
    assert _sets() == {
        frozenset({"r1:1"}),
        frozenset({"r2:1"}),
        frozenset({"r3:1", "r4:1"}),
    }
    reversed_ = fiu_subjects.unjudge("erik", joined.id, "the IIN was a neighbour's")
    assert reversed_.reversed_by == "erik" and reversed_.reverse_reason
    assert frozenset({"r3:1", "r4:1"}) not in _sets()
    assert [row.id for row in fiu_subjects.judgements("ops")] == [apart.id]
    assert len(fiu_subjects.judgements("ops", every=True)) == 2
    actions = [(row["action"], row["actor"]) for row in audit_rows(limit=1000)]
    changes = [found for found in actions if not found[0].endswith("_viewed")]
    assert changes[-3:] == [("fiu.judge", "anna"), ("fiu.judge", "anna"), ("fiu.unjudge", "erik")]
    # Who looked at a subject is kept too (the FIU's data is read on a need to know).
    assert ("fiu.subject_viewed", "ops") in actions
    assert verify_audit().ok
    with pytest.raises(WorkflowRefused, match="already reversed by erik"):
        fiu_subjects.unjudge("erik", joined.id, "again")


def test_a_resolution_is_reused_until_a_report_or_a_judgement_changes(stored: None) -> None:
    first = fiu_subjects.subjects("ops")
    assert fiu_subjects.subjects("ops") is first
    fiu_subjects.judge("anna", "r3:1", "r4:1", "same", "married name, same IIN on file")
    second = fiu_subjects.subjects("ops")
    assert second is not first
    assert frozenset({"r3:1", "r4:1"}) in {frozenset(s.mentions) for s in second.subjects}
    _store([_m("r5:1", "Akhmetov Nurlan")])
    third = fiu_subjects.subjects("ops")
    assert third is not second and "r5:1" in third.subject_of


def test_a_later_judgement_on_the_same_pair_replaces_the_earlier(stored: None) -> None:
    first = fiu_subjects.judge("anna", "r1:1", "r2:1", "not_same", "looked different")
    fiu_subjects.judge("anna", "r2:1", "r1:1", "same", "the passport copy matches")
    rows = fiu_subjects.judgements("ops", every=True)
    assert rows[0].id == first.id and rows[0].reversed_by == "anna"
    assert [r.verdict for r in fiu_subjects.judgements("ops")] == ["same"]


def test_a_judgement_is_refused_without_reason_verdict_or_known_mentions(stored: None) -> None:
    with pytest.raises(InputError, match="--reason is required"):
        fiu_subjects.judge("anna", "r1:1", "r2:1", "same", "  ")
    with pytest.raises(InputError, match="use one of same, not_same, unsure"):
        fiu_subjects.judge("anna", "r1:1", "r2:1", "maybe", "why")
    with pytest.raises(NotFound, match="'r9:9': no such mention or subject"):
        fiu_subjects.judge("anna", "r1:1", "r9:9", "same", "why")
    with pytest.raises(InputError, match="one mention"):
        fiu_subjects.judge("anna", "r1:1", "r1:1", "same", "why")
    assert fiu_subjects.judgements("ops") == []


def test_only_the_fius_roles_read_and_judge(stored: None) -> None:
    make_users({"fa": Role.FIU_ANALYST, "fs": Role.FIU_SUPERVISOR, "an": Role.ANALYST})
    make_users({"ag": Role.AGENCY_READER})
    assert len(fiu_subjects.subjects("fa").subjects) == 3
    for actor in ("an",):
        with pytest.raises(Forbidden):
            fiu_subjects.subjects(actor)
    for actor in ("an", "ag"):
        with pytest.raises(Forbidden):
            fiu_subjects.judge(actor, "r1:1", "r2:1", "same", "why")
    assert fiu_subjects.judge("fs", "r1:1", "r2:1", "same", "why").judged_by == "fs"


def test_the_commands_list_show_judge_and_unjudge(stored: None, tmp_path: Path) -> None:
    runner = CliRunner()
    output = tmp_path / "subjects.csv"
    result = runner.invoke(cli_app, ["fiu", "subjects", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == fiu_subjects.SUBJECT_COLUMNS
    (akhmetov,) = [r for r in rows if "NURLAN AKHMETOV" in r["names"]]
    assert akhmetov["reports"] == "r1;r2"
    result = runner.invoke(cli_app, ["fiu", "subject", "r2:1"])
    shown = json.loads(result.stdout)
    assert shown["subject_id"] == akhmetov["subject_id"]
    assert any("same birth date" in reason for link in shown["links"] for reason in link["reasons"])
    result = runner.invoke(
        cli_app, ["fiu", "judge", "r1:1", "r2:1", "not_same", "--reason", "other father"]
    )
    assert result.exit_code == 0 and "judgement 1: r1:1 not_same r2:1" in result.stdout
    result = runner.invoke(cli_app, ["fiu", "unjudge", "1", "--reason", "checked again"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli_app, ["fiu", "judgements", "--all", "--format", "json"])
    (row,) = json.loads(result.stdout)
    assert row["reversed_by"] and row["reason"] == "other father"
    result = runner.invoke(cli_app, ["fiu", "judge", "r1:1", "r2:1", "same"])
    assert result.exit_code != 0
