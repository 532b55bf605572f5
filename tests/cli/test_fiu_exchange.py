"""Two FIUs (two FINMON_HOMEs) exchange a request and an answer at the command line: only the
subjects that match are revealed, and the answer takes two people."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import Forbidden, WorkflowRefused
from finmon.store.audit import audit_rows
from finmon.workflow.access import Role
from tests.accounts import make_users

ASKED = """subject_id,kind,name,names,identifiers,birth_date
A1,person,Ермеков Асхат Нурланович,,iin:800301300123,1980-03-01
A2,person,Гульнара Садыкова,,passport:N7654321,1985-02-02
A3,organisation,ТОО Астана Трейд,,,
A4,person,Anna Petrova,,iin:750505400123,1975-05-05
"""
HELD = """subject_id,kind,name,names,identifiers,birth_date
R1,person,Askhat Yermekov,Ermekov A.,passport:N1234567,1980-07-12
R2,person,Dmitriy Volkov,,iin:690101300555,1969-01-01
R3,organisation,Astana Trade LLP,,bin:050140000111,
R4,person,Karlygash Nurpeisova,,account:KZ86125KZT5004100100,1990-09-09
R5,person,Smirnova Anna,,iin:750505400123,
"""
HIDDEN = ("Volkov", "690101300555", "Nurpeisova", "KZ86125KZT5004100100", "R2", "R4")
"""What the receiving FIU holds that matches nothing: never in the request or the answer."""
ASKED_ONLY = ("Садыкова", "Sadykova", "N7654321", "A2", "Petrova", "Ермеков", "800301300123")


@contextmanager
def _at(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setenv("FINMON_HOME", str(home))
        patch.setenv("FINMON_DATABASE_URL", f"sqlite:///{home / 'finmon.db'}")
        yield


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.stdout


def _refused(code: int, *args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stderr


def test_two_fius_exchange_a_request_and_only_the_matches_are_revealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "exchange.key"
    key.write_bytes(os.urandom(32).hex().encode())
    asked, held = tmp_path / "asked.csv", tmp_path / "held.csv"
    asked.write_text(ASKED, encoding="utf-8")
    held.write_text(HELD, encoding="utf-8")
    request, response = tmp_path / "request.json", tmp_path / "response.json"
    ours, theirs = tmp_path / "xx-fiu", tmp_path / "kz-afm"

    with _at(ours, monkeypatch):  # the requesting FIU: a personal installation
        _run(
            "fiu", "request", "create", "--subjects", str(asked), "--to", "KZ-AFM",
            "--from", "XX-FIU", "--key-file", str(key), "--output", str(request),
            "--purpose", "terrorist financing", "--legal-basis", "Egmont principles",
            "--reference", "XX-2026-7",
        )  # fmt: skip
    sent = request.read_text(encoding="utf-8")
    for secret in HIDDEN + ASKED_ONLY + ("Astana", "Астана", "A1"):
        assert secret not in sent

    with _at(theirs, monkeypatch):  # the receiving FIU, with an analyst and a supervisor
        make_users({"ana": Role.FIU_ANALYST, "sup": Role.FIU_SUPERVISOR, "sup2": Role.FIU_ANALYST})
        said = _run(
            "--actor", "ana", "fiu", "request", "receive", str(request),
            "--subjects", str(held), "--key-file", str(key),
        )  # fmt: skip
        assert "request 1 received: 3 matches" in said
        answer = ("--actor", "ana", "fiu", "request", "answer", "1", "--output", str(response))
        assert "second person" in _refused(WorkflowRefused.exit_code, *answer)
        _run("--actor", "ana", "fiu", "request", "respond", "1", "--draft", "--note", "see below")
        # The drafter cannot approve, nor can an analyst.
        assert "may not" in _refused(Forbidden.exit_code, "--actor", "ana", "fiu", "request",
                                     "approve", "1")  # fmt: skip
        assert "may not" in _refused(Forbidden.exit_code, "--actor", "sup2", "fiu", "request",
                                     "approve", "1")  # fmt: skip
        _run("--actor", "sup", "fiu", "request", "approve", "1")
        _run(*answer)
        shown = json.loads(_run("--actor", "sup", "fiu", "request", "show", "1"))
        assert shown["response"]["drafted_by"] == "ana"
        assert shown["response"]["approved_by"] == "sup"
        actions = [row["action"] for row in audit_rows(limit=1000)]
        for step in ("receive", "match", "draft", "approve", "answer"):
            assert f"fiu_request.{step}" in actions

    answered = response.read_text(encoding="utf-8")
    for secret in HIDDEN + ASKED_ONLY:
        assert secret not in answered
    document = json.loads(answered)
    assert {m["subject"]["id"] for m in document["matches"]} == {"R1", "R3", "R5"}

    with _at(ours, monkeypatch):
        said = _run("fiu", "request", "read-response", str(response))
        assert "3 matches" in said
        shown = json.loads(_run("fiu", "request", "show", "1"))
        assert {(m["subject_id"], m["subject"]["id"]) for m in shown["matches"]} == {
            ("A1", "R1"),
            ("A3", "R3"),
            ("A4", "R5"),
        }
        assert shown["status"] == "answered"


def test_the_drafter_cannot_approve_their_own_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "k"
    key.write_bytes(b"x" * 40)
    subjects = tmp_path / "s.csv"
    subjects.write_text(HELD, encoding="utf-8")
    request = tmp_path / "r.json"
    with _at(tmp_path / "a", monkeypatch):
        _run(
            "fiu", "request", "create", "--subjects", str(subjects), "--to", "B", "--from", "A",
            "--key-file", str(key), "--output", str(request), "--purpose", "p",
            "--legal-basis", "l",
        )  # fmt: skip
    with _at(tmp_path / "b", monkeypatch):
        make_users({"boss": Role.FIU_SUPERVISOR})
        _run("--actor", "boss", "fiu", "request", "receive", str(request),
             "--subjects", str(subjects), "--key-file", str(key))  # fmt: skip
        _run("--actor", "boss", "fiu", "request", "respond", "1", "--draft")
        said = _refused(WorkflowRefused.exit_code, "--actor", "boss", "fiu", "request",
                        "approve", "1")  # fmt: skip
        assert "someone else must approve" in said or "four-eyes" in said
