"""A partner's request is matched against the FIU's own resolved subjects when no subjects file
is given: at the command line, in the service, and at once through POST /fiu/requests when the
exchange key is configured."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app as cli_app
from finmon.errors import InputError
from finmon.fiu.exchange import ExchangeSubject, RequestMeta, make_request
from finmon.fiu.records import Identifier
from finmon.services import fiu_exchange, fiu_subjects
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.services.test_fiu_subjects import BORN, MENTIONS, _m, _store

KEY = b"an exchange key of thirty-two bytes or more"
META = RequestMeta(
    requesting_fiu="XX-FIU", receiving_fiu="KZ-AFM", reference="XX-1",
    purpose="financing of terrorism", legal_basis="Egmont principles", urgency="normal",
)  # fmt: skip


def _request(*asked: ExchangeSubject) -> dict[str, Any]:
    return make_request(META, list(asked), KEY)[0].document()


ASKED = ExchangeSubject(id="A1", kind="person", name="Nurlan Akhmetov", birth_date=BORN)
STRANGER = ExchangeSubject(
    id="A2", kind="person", name="Aigerim Nurlanova", birth_date=dt.date(1950, 1, 1)
)


@pytest.fixture
def held() -> str:
    """The FIU's reports (Akhmetov in two of them, born 1984) and its people; the subject id."""
    _store([*MENTIONS, _m("r5:1", "Ахметов Нурлан", born=dt.date(1984, 12, 3))])
    make_users({"fa": Role.FIU_ANALYST, "fs": Role.FIU_SUPERVISOR})
    return fiu_subjects.subject("fa", "r1:1").subject.subject_id


def test_own_subjects_carry_the_birth_date_most_mentions_give(held: str) -> None:
    mine = {s.id: s for s in fiu_exchange.own_subjects()}
    assert mine[held].birth_date == BORN  # two mentions say 1984-03-12, one 1984-12-03
    assert {s.name for s in mine.values()} >= {"Aigerim Nurlanova"}
    undated = next(s for s in mine.values() if s.name == "Айгерим Касымова")
    assert undated.birth_date is None
    assert undated.identifiers == (Identifier(kind="account", value="KZ1"),)


def test_a_request_is_matched_against_the_resolved_subjects(held: str) -> None:
    request_id, matches = fiu_exchange.receive_request("fa", _request(ASKED, STRANGER), key=KEY)
    assert matches == 1
    found = fiu_exchange.get_request("fa", request_id)["matches"]
    assert [m["subject_id"] for m in found] == [held]
    assert found[0]["subject"]["birth_date"] == BORN.isoformat()
    later, none = fiu_exchange.receive_request("fa", {**_request(STRANGER), "reference": "XX-2"})
    assert none is None
    assert fiu_exchange.match("fa", later, None, KEY) == 0
    with pytest.raises(InputError, match="key"):
        fiu_exchange.receive_request("fa", _request(ASKED), subjects=[ASKED])


def test_the_command_matches_without_a_subjects_file(held: str, tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps(_request(ASKED)), encoding="utf-8")
    key = tmp_path / "exchange.key"
    key.write_bytes(KEY)
    runner = CliRunner()
    args = ["--actor", "fa", "fiu", "request"]
    received = runner.invoke(cli_app, [*args, "receive", str(request)])
    assert received.exit_code == 0 and "not matched yet" in received.stdout, received.output
    matched = runner.invoke(cli_app, [*args, "match", "1", "--key-file", str(key)])
    assert matched.exit_code == 0 and "request 1: 1 matches" in matched.stdout, matched.output


def test_the_api_matches_at_once_when_the_key_is_configured(
    held: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = make_users({"gate": Role.FIU_ANALYST})
    gate = {"Authorization": f"Bearer {keys['gate']}"}
    with TestClient(create_app()) as api:
        first = api.post("/fiu/requests", json=_request(ASKED), headers=gate)
        assert first.json()["status"] == "received", first.text
        key = tmp_path / "exchange.key"
        key.write_bytes(KEY)
        monkeypatch.setenv("FINMON_FIU_EXCHANGE_KEY_FILE", str(key))
        document = {**_request(ASKED), "reference": "XX-3"}
        posted = api.post("/fiu/requests", json=document, headers=gate)
        assert posted.status_code == 200, posted.text
        assert posted.json() == {"request_id": 2, "status": "matched"}  # no count to the caller
        key.write_bytes(b"another key, also of thirty-two bytes at least")
        wrong = api.post("/fiu/requests", json={**document, "reference": "XX-4"}, headers=gate)
        assert wrong.status_code == 422 and "key" in wrong.text
    assert [m["subject_id"] for m in fiu_exchange.get_request("fa", 2)["matches"]] == [held]
    assert [r["reference"] for r in fiu_exchange.list_requests("fa")] == ["XX-1", "XX-3"]
