"""`finmon travel mrz --output F.json` writes the document and its hits as POST /travel/mrz
returns them, for a visa and a card with one name too."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app
from finmon.store import load_list
from finmon.travel.mrz import check_digit
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.store.workflow_data import fixture_designations, un_version


def _mrva(surname: str, given: str, number: str, nation: str, born: str) -> str:
    """An MRV-A visa's two lines (no composite check digit)."""
    line1 = f"VIUSA{surname}<<{given.replace(' ', '<')}".ljust(44, "<")
    expiry = "300101"
    line2 = f"{number}{check_digit(number)}{nation}{born}{check_digit(born)}M"
    return f"{line1}\n{line2}{expiry}{check_digit(expiry)}".ljust(89, "<")


def test_output_json_is_the_api_answer(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    keys = make_users({"border.officer": Role.ANALYST})
    listed = _mrva("KARAGULOV", "TIMUR AKHATOVICH", "753000001", "RUS", "880229")
    written = tmp_path / "out" / "visa.json"
    args = ["--actor", "border.officer", "travel", "mrz", *listed.splitlines()]
    result = CliRunner().invoke(app, [*args, "--output", str(written)])
    assert result.exit_code == 0, result.output
    assert "MRVA read, every check digit verified (visa: no composite check digit)" in (
        result.output
    )
    saved = json.loads(written.read_text(encoding="utf-8"))
    assert saved["document"]["format"] == "MRVA"
    assert saved["document"]["number"] == "753000001"
    assert saved["document"]["birth_date"] == "1988-02-29"
    assert saved["document"]["notes"] == ["visa: no composite check digit"]
    assert [hit["reference"] for hit in saved["hits"]] == ["QDi.905"]
    assert saved["hits"][0]["list"] == "un"

    headers = {"Authorization": f"Bearer {keys['border.officer']}"}
    with TestClient(create_app()) as client:
        answer = client.post("/travel/mrz", json={"mrz": listed}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == saved

    refused = CliRunner().invoke(app, [*args, "--output", str(tmp_path / "visa.csv")])
    assert refused.exit_code == 2
    assert "must end in .json" in refused.output

    printed = CliRunner().invoke(app, [*args, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == saved
    refused = CliRunner().invoke(app, [*args, "--format", "csv"])
    assert refused.exit_code == 2 and "use json or table" in refused.stderr


def test_output_json_for_a_holder_with_one_name(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    make_users({"border.officer": Role.ANALYST})
    line1 = "I<UTO<<ANNA<MARIA".ljust(36, "<")
    line2 = "D231458907UTO7408122F3404159" + "<" * 7
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:35])
    written = tmp_path / "card.json"
    args = ["--actor", "border.officer", "travel", "mrz", line1, line2, "--output", str(written)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(written.read_text(encoding="utf-8"))["document"]
    assert (document["format"], document["surname"], document["name"]) == ("TD2", "", "ANNA MARIA")
    assert document["issuing_state_iso2"] is None
    assert document["notes"] == ["one name: the primary identifier (surname) is blank"]
