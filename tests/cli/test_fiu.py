"""`finmon fiu`: entities registered, reports received with their acknowledgements (table, JSON,
CSV file), read back; exit code 2 when a report is rejected."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app, err, out
from finmon.reports.goaml import load_config, to_xml
from finmon.services.fiu_intake import ACK_COLUMNS
from finmon.store.audit import audit_rows
from tests.conftest import shared_spec
from tests.reports.test_goaml import STR, UAE_XSD

runner = CliRunner()
BANK = "040140000006"


def _run(*args: str | Path) -> tuple[int, str, str]:
    out.width = err.width = 200
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def fiu_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINMON_FIU_SCHEMA", str(shared_spec(UAE_XSD)))


def _reports(tmp_path: Path) -> tuple[Path, Path, Path]:
    good = tmp_path / "good.xml"
    good.write_bytes(to_xml(STR, load_config()))
    again = tmp_path / "again.xml"
    again.write_bytes(to_xml(dataclasses.replace(STR, reason="Corrected."), load_config()))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b"<report_code>STR", b"<report_code>XXX"))
    return good, again, bad


def test_entities_add_and_list(tmp_path: Path) -> None:
    code, _, said = _run(
        "fiu",
        "entities",
        "add",
        "--bin",
        BANK,
        "--goaml-id",
        "1",
        "--name",
        "Halyk",
        "--kind",
        "bank",
    )
    assert code == 0 and "registered Halyk" in said
    code, _, said = _run(
        "fiu", "entities", "add", "--bin", "1", "--goaml-id", "2", "--name", "X", "--kind", "bank"
    )
    assert code == 2 and "bin '1'" in said
    code, listed, _ = _run("fiu", "entities", "list", "--format", "json")
    assert [(e["bin"], e["goaml_id"], e["kind"]) for e in json.loads(listed)] == [(BANK, 1, "bank")]


def test_intake_acknowledges_every_file_and_exits_2_on_a_rejection(tmp_path: Path) -> None:
    _run(
        "fiu", "entities", "add", "--bin", BANK, "--goaml-id", "1", "--name", "B", "--kind", "bank"
    )
    good, again, bad = _reports(tmp_path)
    acks = tmp_path / "ack.csv"
    code, _, said = _run("fiu", "intake", good, again, bad, "--output", acks)
    assert code == 2 and "2 accepted, 1 rejected" in said
    with acks.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ACK_COLUMNS
    assert [(r["file"], r["status"], r["version"]) for r in rows] == [
        (str(good), "accepted", "1"),
        (str(again), "accepted", "2"),
        (str(bad), "rejected", ""),
    ]
    assert rows[1]["replaces"] == rows[0]["report"]
    assert rows[2]["reasons"].startswith("line 6: /report/report_code: ")
    code, table, _ = _run("fiu", "intake", good)
    assert code == 0 and "accepted" in table and "STR-2026-0042" in table


def test_reports_and_report(tmp_path: Path) -> None:
    _run(
        "fiu", "entities", "add", "--bin", BANK, "--goaml-id", "1", "--name", "B", "--kind", "bank"
    )
    good, again, _ = _reports(tmp_path)
    _run("fiu", "intake", good, again)
    code, listed, _ = _run("fiu", "reports", "--status", "current", "--format", "csv")
    assert code == 0
    (row,) = list(csv.DictReader(listed.splitlines()))
    assert (row["version"], row["entity_bin"]) == ("2", BANK)
    code, shown, _ = _run("fiu", "report", row["key"])
    document = json.loads(shown)
    assert document["reason"] == "Corrected." and document["indicators"] == ["TFFTH"]
    assert [m["name"] for m in document["mentions"]] == [
        "ТОО Сұңқар",
        "ӘБІЛҚАЙЫРОВ ҚАЙРАТ НҰРЛАНҰЛЫ",
        "ТОКТОГУЛОВ АЙБЕК",
    ]
    assert len(document["transfers"]) == 2
    code, _, said = _run("fiu", "report", "R-NONE")
    assert code == 5 and "R-NONE" in said
    code, _, said = _run("fiu", "reports", "--status", "odd")
    assert code == 2 and "status 'odd'" in said


def test_a_subjects_network_is_drawn_with_the_reports_behind_each_link(tmp_path: Path) -> None:
    good, _, _ = _reports(tmp_path)
    other = tmp_path / "other.xml"
    other.write_bytes(to_xml(dataclasses.replace(STR, entity_reference="STR-2"), load_config()))
    _run(
        "fiu", "entities", "add", "--bin", BANK, "--goaml-id", "1", "--name", "H", "--kind", "bank"
    )
    assert _run("fiu", "intake", good, other)[0] == 0
    code, shown, _ = _run("fiu", "subjects", "--format", "json")
    subjects = json.loads(shown)
    assert code == 0 and subjects
    # The payer of the report's wire appears in both reports: one subject, two reports.
    busiest = max(subjects, key=lambda row: len(row["reports"]))
    assert len(busiest["reports"]) == 2
    code, said, _ = _run("fiu", "network", busiest["subject_id"], "--output", tmp_path / "n.json")
    assert code == 0 and "reports within 2 hops" in said
    data = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    nodes = {node["id"] for node in data["nodes"]}
    assert f"subject:{busiest['subject_id']}" in nodes
    assert sum(node.startswith("report:") for node in nodes) == 2
    sent = [edge for edge in data["edges"] if edge["kind"] == "sent"]
    assert sent and all(len(edge["reports"]) >= 1 for edge in sent)
    viewed = [row["object"] for row in audit_rows() if row["action"] == "fiu.network_viewed"]
    assert viewed == [f"fiu_subject:{busiest['subject_id']}"]
    code, _, said = _run("fiu", "network", busiest["subject_id"], "--output", tmp_path / "n.svg")
    assert code == 0 and (tmp_path / "n.svg").read_text(encoding="utf-8").startswith("<svg")
    code, _, said = _run("fiu", "network", busiest["subject_id"], "--output", tmp_path / "n.png")
    assert code == 2 and ".svg" in said
