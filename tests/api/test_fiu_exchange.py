"""A partner FIU's request over the API: received by POST, matched by an analyst, answered
through GET only once two people decided the answer."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.fiu.exchange import ExchangeSubject, RequestMeta, make_request
from finmon.services import fiu_exchange
from finmon.workflow.access import Role
from tests.accounts import make_users

KEY = b"an exchange key of thirty-two bytes or more"
HELD = [
    ExchangeSubject(id="R1", kind="organisation", name="Astana Trade LLP"),
    ExchangeSubject(id="R2", kind="organisation", name="Steppe Logistics LLP"),
]


def test_a_request_posted_is_answered_through_the_api_after_two_people(tmp_path: Path) -> None:
    meta = RequestMeta(
        requesting_fiu="XX-FIU",
        receiving_fiu="KZ-AFM",
        reference="XX-9",
        purpose="financing of terrorism",
        legal_basis="Egmont principles",
        urgency="urgent",
    )
    asked = [ExchangeSubject(id="A1", kind="organisation", name="ТОО «Астана Трейд»")]
    request, _ = make_request(meta, asked, KEY)
    keys = make_users(
        {"gate": Role.FIU_ANALYST, "ana": Role.FIU_ANALYST, "sup": Role.FIU_SUPERVISOR}
    )
    with TestClient(create_app()) as api:
        gate = {"Authorization": f"Bearer {keys['gate']}"}
        posted = api.post("/fiu/requests", json=request.document(), headers=gate)
        assert posted.status_code == 200, posted.text
        request_id = posted.json()["request_id"]
        again = api.post("/fiu/requests", json=request.document(), headers=gate)
        assert again.status_code == 409 and "already" in again.text
        bad = api.post("/fiu/requests", json={**request.document(), "subjects": []}, headers=gate)
        assert bad.status_code == 422 and "subjects" in bad.text

        assert fiu_exchange.match("ana", request_id, HELD, KEY) == 1
        path = f"/fiu/requests/{request_id}/response"
        assert api.get(path, headers=gate).status_code == 409  # nothing approved yet
        fiu_exchange.draft_response("ana", request_id, "one company")
        assert api.get(path, headers=gate).status_code == 409
        fiu_exchange.approve_response("sup", request_id)
        answer = api.get(path, headers=gate)
    assert answer.status_code == 200, answer.text
    assert [m["subject"]["id"] for m in answer.json()["matches"]] == ["R1"]
    assert "Steppe" not in answer.text
