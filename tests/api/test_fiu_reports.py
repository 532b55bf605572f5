"""The FIU's intake over HTTP: an entity registered, a report posted as XML and acknowledged
(201 accepted, 422 rejected with every reason), read back; bounded and refused to other roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.reports.goaml import load_config, to_xml
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.conftest import shared_spec
from tests.reports.test_goaml import STR, UAE_XSD

BANK = "040140000006"
XML = {"Content-Type": "application/xml"}


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FINMON_FIU_SCHEMA", str(shared_spec(UAE_XSD)))
    monkeypatch.setenv("FINMON_MAX_REPORT_BYTES", "100000")
    return make_users(
        {"officer": Role.FIU_ANALYST, "chief": Role.FIU_SUPERVISOR, "banker": Role.ANALYST}
    )


@pytest.fixture
def client(keys: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def _as(keys: dict[str, str], name: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[name]}", **(extra or {})}


def test_a_report_is_received_acknowledged_and_read_back(
    keys: dict[str, str], client: TestClient
) -> None:
    entity = {"bin": BANK, "goaml_id": 1, "name": "Halyk", "kind": "bank", "contact": "aml@bank"}
    made = client.post("/fiu/entities", json=entity, headers=_as(keys, "chief"))
    assert made.status_code == 201 and made.json()["registered_by"] == "chief"
    assert [e["bin"] for e in client.get("/fiu/entities", headers=_as(keys, "officer")).json()] == [
        BANK
    ]
    xml = to_xml(STR, load_config())
    answer = client.post(
        "/fiu/reports?name=str-42.xml", content=xml, headers=_as(keys, "officer", XML)
    )
    assert answer.status_code == 201, answer.text
    ack = answer.json()
    assert (ack["status"], ack["file"], ack["entity_bin"], ack["version"]) == (
        "accepted",
        "str-42.xml",
        BANK,
        1,
    )
    detail = client.get(f"/fiu/reports/{ack['report']}", headers=_as(keys, "officer")).json()
    assert detail["received_by"] == "officer" and detail["indicators"] == ["TFFTH"]
    assert {i["kind"] for m in detail["mentions"] for i in m["identifiers"]} >= {"iin", "account"}
    listed = client.get("/fiu/reports", headers=_as(keys, "officer")).json()
    assert [r["key"] for r in listed] == [ack["report"]]


def test_a_rejected_report_is_422_with_every_reason(
    keys: dict[str, str], client: TestClient
) -> None:
    xml = to_xml(STR, load_config()).replace(b"<report_code>STR", b"<report_code>XXX")
    answer = client.post("/fiu/reports", content=xml, headers=_as(keys, "officer", XML))
    assert answer.status_code == 422
    reasons = answer.json()["reasons"]
    assert reasons[0].startswith("line 6: /report/report_code:")
    assert (
        reasons[-1]
        == "line 3: /report/rentity_id: reporting entity 1 is not registered with the FIU"
    )
    stored = client.get("/fiu/reports?status=rejected", headers=_as(keys, "officer")).json()
    assert stored[0]["reasons"] == reasons


def test_a_report_over_the_limit_is_413_and_others_roles_are_refused(
    keys: dict[str, str], client: TestClient
) -> None:
    big = b"<report>" + b" " * 100_001 + b"</report>"
    answer = client.post("/fiu/reports", content=big, headers=_as(keys, "officer", XML))
    assert answer.status_code == 413 and "FINMON_MAX_REPORT_BYTES" in answer.text
    refused = client.get("/fiu/reports", headers=_as(keys, "banker"))
    assert refused.status_code == 403 and "(analyst) may not" in refused.text
    refused = client.post("/fiu/entities", json={}, headers=_as(keys, "officer"))
    assert refused.status_code == 403


def test_an_entity_is_registered_with_its_receipt_key(
    keys: dict[str, str], client: TestClient, tmp_path: Path
) -> None:
    from finmon.lists.feed import generate_keys, key_id, load_public_key

    generate_keys(tmp_path / "e.key", tmp_path / "e.pub")
    pem = (tmp_path / "e.pub").read_text(encoding="ascii")
    entity = {"bin": BANK, "goaml_id": 1, "name": "Halyk", "kind": "bank"}
    bad = client.post(
        "/fiu/entities", json={**entity, "feed_public_key": "not a key"}, headers=_as(keys, "chief")
    )
    assert bad.status_code == 422 and "feed_public_key" in bad.text
    made = client.post(
        "/fiu/entities", json={**entity, "feed_public_key": pem}, headers=_as(keys, "chief")
    )
    assert made.status_code == 201, made.text
    assert made.json()["feed_key"] == key_id(load_public_key(tmp_path / "e.pub"))
