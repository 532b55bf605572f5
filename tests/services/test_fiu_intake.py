"""The FIU's intake stored: entities registered, reports kept whole or not at all, resubmissions
versioned with both kept, every step audited. Runs on SQLite and (FINMON_TEST_DATABASE_URL) on
PostgreSQL."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finmon.errors import InputError, NotFound, StoreError, WorkflowRefused
from finmon.reports.goaml import load_config, to_xml
from finmon.services import fiu_intake
from finmon.services.fiu_intake import ReportFile
from finmon.store import default_database, verify_audit
from finmon.store import fiu_intake as store
from finmon.store.audit import audit_rows
from finmon.store.models import FiuMention, FiuMentionIdentifier, FiuReport, FiuTransfer
from tests.conftest import shared_spec
from tests.reports.test_goaml import STR, UAE_XSD

KZ = load_config()
BANK = "040140000006"
OTHER_BANK = "040140000018"


@pytest.fixture(autouse=True)
def fiu_schema(monkeypatch: pytest.MonkeyPatch) -> Path:
    path = shared_spec(UAE_XSD)
    monkeypatch.setenv("FINMON_FIU_SCHEMA", str(path))
    return path


def _register(bin: str = BANK, goaml_id: int = 1) -> None:
    fiu_intake.register_entity("chief", bin=bin, goaml_id=goaml_id, name="Bank", kind="bank")


def _str(reference: str = "STR-2026-0042", rentity_id: int = 1) -> bytes:
    xml = to_xml(dataclasses.replace(STR, entity_reference=reference), KZ)
    return xml.replace(b"<rentity_id>1<", f"<rentity_id>{rentity_id}<".encode())


def _count(model: type) -> int:
    with default_database().read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_entities_are_registered_once_with_a_valid_bin_and_listed() -> None:
    _register()
    _register(OTHER_BANK, 2)
    with pytest.raises(WorkflowRefused, match="already registered"):
        _register(BANK, 3)
    with pytest.raises(WorkflowRefused, match="already registered"):
        _register("040140000031", 2)
    with pytest.raises(InputError, match="bin '040140000007'"):
        _register("040140000007", 4)
    with pytest.raises(InputError, match="kind 'casino'"):
        fiu_intake.register_entity("chief", bin="040140000043", goaml_id=5, name="X", kind="casino")
    listed = fiu_intake.list_entities("chief")
    assert [(e.bin, e.goaml_id, e.active) for e in listed] == [
        (BANK, 1, True),
        (OTHER_BANK, 2, True),
    ]
    assert [r["action"] for r in audit_rows()] == ["fiu.entity_registered"] * 2


def test_the_uae_sample_is_accepted_and_stored_with_its_records() -> None:
    _register(goaml_id=101)
    sample = shared_spec("goaml/sample-STR-5.0.2-UAE.xml").read_bytes()
    (ack,) = fiu_intake.intake("analyst", [ReportFile("uae.xml", sample)])
    assert (ack.status, ack.entity_bin, ack.version, ack.reasons) == ("accepted", BANK, 1, ())
    detail = fiu_intake.get_report("analyst", str(ack.report))
    assert detail.xml == sample and detail.indicators == ("STRUC",)
    assert [m.name for m in detail.mentions] == ["Hassan Layla", "Smith John"]
    assert detail.transfers[0].source == detail.mentions[0].id
    assert fiu_intake.get_report("analyst", str(detail.row.id)).row.key == ack.report
    viewed = [row for row in audit_rows() if row["action"] == "fiu.report_viewed"]
    assert [(row["actor"], row["object"]) for row in viewed] == [
        ("analyst", f"fiu_report:{ack.report}")
    ] * 2


def test_a_resubmission_replaces_the_earlier_version_and_both_are_kept() -> None:
    _register()
    first, other = fiu_intake.intake(
        "analyst", [ReportFile("a.xml", _str()), ReportFile("b.xml", _str("STR-2"))]
    )
    # A second and a third version, the third in the same batch as the second.
    second, third = fiu_intake.intake(
        "analyst", [ReportFile("a2.xml", _str()), ReportFile("a3.xml", _str())]
    )
    assert [a.version for a in (first, other, second, third)] == [1, 1, 2, 3]
    assert (second.replaces, third.replaces) == (first.report, second.report)
    rows = {r.key: r for r in fiu_intake.list_reports("analyst")}
    assert rows[str(first.report)].replaced_by == second.report
    assert rows[str(second.report)].replaced_by == third.report
    assert rows[str(third.report)].replaced_by is None
    current = {r.key for r in fiu_intake.list_reports("analyst", "current")}
    assert current == {third.report, other.report}
    # Every version keeps its records; resolution reads only the current ones.
    assert _count(FiuMention) == 4 * 3
    assert {m.report for m in fiu_intake.current_mentions("analyst")} == current
    assert {t.report for t in fiu_intake.current_transfers("analyst")} == current


def test_a_report_of_an_unregistered_entity_is_rejected_and_kept_without_records() -> None:
    _register()
    broken = _str().replace(b"<report_code>STR", b"<report_code>XXX")
    good, stranger, bad = fiu_intake.intake(
        "analyst",
        [
            ReportFile("good.xml", _str()),
            ReportFile("stranger.xml", _str(rentity_id=77)),
            ReportFile("bad.xml", broken),
        ],
    )
    assert good.status == "accepted"
    assert stranger.status == "rejected" and stranger.entity_bin is None
    assert [str(r) for r in stranger.reasons] == [
        "line 3: /report/rentity_id: reporting entity 77 is not registered with the FIU"
    ]
    assert bad.status == "rejected" and bad.reasons[0].element == "/report/report_code"
    assert _count(FiuReport) == 3 and _count(FiuMention) == 3
    rejected = fiu_intake.list_reports("analyst", "rejected")
    assert {r.key for r in rejected} == {stranger.report, bad.report}
    assert all(r.reasons and r.version is None for r in rejected)
    (audited,) = [r for r in audit_rows() if r["action"] == "fiu.reports_received"]
    assert (audited["after"]["accepted"], audited["after"]["rejected"]) == (1, 2)
    listed = [(r["report"], r["status"], r["reasons"]) for r in audited["after"]["reports"]]
    assert listed == [
        (good.report, "accepted", 0),
        (stranger.report, "rejected", 1),
        (bad.report, "rejected", 1),
    ]
    assert verify_audit().ok


def test_a_batch_that_fails_leaves_nothing_half_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    _register()
    original = store._Batch._insert_records

    def failing(self: store._Batch, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        raise StoreError("the disk is full")

    monkeypatch.setattr(store._Batch, "_insert_records", failing)
    with pytest.raises(StoreError):
        fiu_intake.intake("analyst", [ReportFile("a.xml", _str()), ReportFile("b.xml", _str())])
    counts = [_count(m) for m in (FiuReport, FiuMention, FiuMentionIdentifier, FiuTransfer)]
    assert counts == [0, 0, 0, 0]
    assert [r["action"] for r in audit_rows()] == ["fiu.entity_registered"]


def test_overlong_header_values_are_stored_cut_and_refused() -> None:
    # Kept as a rejected report, so they must fit the columns on PostgreSQL too.
    long = _str().replace(b"<report_code>STR", b"<report_code>" + b"S" * 5000)
    long = long.replace(b"<entity_reference>STR", b"<entity_reference>" + b"R" * 5000)
    (ack,) = fiu_intake.intake("analyst", [ReportFile("long.xml", long)])
    assert ack.status == "rejected" and len(str(ack.report_code)) == 32
    assert len(str(fiu_intake.list_reports("analyst")[0].entity_reference)) == 255


def test_no_schema_configured_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FINMON_FIU_SCHEMA")
    with pytest.raises(InputError, match="FINMON_FIU_SCHEMA"):
        fiu_intake.intake("analyst", [ReportFile("a.xml", _str())])


def test_an_oversized_file_is_rejected_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register()
    monkeypatch.setenv("FINMON_MAX_REPORT_BYTES", "1000")
    path = tmp_path / "big.xml"
    path.write_bytes(_str())
    (ack,) = fiu_intake.intake_files("analyst", [path])
    assert ack.status == "rejected" and "FINMON_MAX_REPORT_BYTES" in str(ack.reasons[0])


def test_an_unknown_report_is_not_found() -> None:
    with pytest.raises(NotFound, match="R-NONE"):
        fiu_intake.get_report("analyst", "R-NONE")
