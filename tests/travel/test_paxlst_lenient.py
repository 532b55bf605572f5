"""PAXLST read as a border desk needs it: every traveller that can be read is screened, each
integrity fault is reported by its segment, and --strict refuses the file at its first fault."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError
from finmon.store import load_list
from finmon.travel.paxlst import read_manifests, read_paxlst
from tests.conftest import shared_file
from tests.store.workflow_data import fixture_designations, un_version
from tests.travel.test_paxlst import KC901, TODAY

runner = CliRunner()


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "manifest.edi"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def faults(path: Path) -> list[str]:
    return [f"{f.place()}: {f.detail}" for f in read_manifests(path, today=TODAY).faults]


def test_a_sound_manifest_has_no_fault(tmp_path: Path) -> None:
    reading = read_manifests(write(tmp_path, KC901), today=TODAY)
    assert reading.faults == [] and reading.skipped == []
    assert reading.travellers == 5
    assert reading.summary() == "5 travellers read, 5 screened, 0 skipped; 0 faults in the file"


@pytest.mark.parametrize(
    ("old", "new", "fault"),
    [
        ("UNT+62+M001'", "UNT+099+M001'", "segment 65 (UNT): the message counts 099 segments"),
        ("UNT+62+M001'", "UNT+62+M002'", "segment 65 (UNT): reference 'M002' does not match"),
        ("UNZ+1+000000123'\n", "UNZ+1+000000123'\n13Nov09\n", "segment 68 (13N): text after UNZ"),
        ("UNE+1+1'", "UNE+2+1'", "segment 66 (UNE): the count '2' does not match"),
        ("DOC+P:110:111+753123456'", "DOC++753123456'", "segment 34 (DOC): DOC+ has no document"),
        ("LOC+91+RUS'", "LOC+91+'", "segment 36 (LOC): LOC+91 has no issuing country"),
        ("DTM+329:920302'", "DTM+329:921302'", "segment 29 (DTM): '921302' is not a date"),
    ],
)
def test_an_integrity_fault_is_reported_and_every_traveller_still_read(
    tmp_path: Path, old: str, new: str, fault: str
) -> None:
    assert old in KC901
    path = write(tmp_path, KC901.replace(old, new, 1))
    reading = read_manifests(path, today=TODAY)
    assert reading.travellers == 5
    assert reading.skipped == []
    (found,) = faults(path)
    assert found.startswith(fault), found
    with pytest.raises(InputError) as refused:
        read_paxlst(path, today=TODAY)
    assert f"{path}: {fault}" in str(refused.value)


def test_an_undocumented_number_is_kept_for_screening(tmp_path: Path) -> None:
    path = write(tmp_path, KC901.replace("DOC+P:110:111+753123456'", "DOC++753123456'"))
    olga = read_manifests(path, today=TODAY).manifests[0].travellers[1]
    assert [d.number for d in olga.documents] == ["753123456"]


def test_an_unreadable_traveller_is_skipped_and_the_others_screened(tmp_path: Path) -> None:
    path = write(tmp_path, KC901.replace("NAD+FL+++IVANOVA:OLGA:SERGEEVNA'", "NAD+FL'"))
    reading = read_manifests(path, today=TODAY)
    names = [t.surname for t in reading.manifests[0].travellers]
    assert names == ["ZHAKSYLYKOV", "NURLANKYZY", "SMAGULOV", "D'YAKONOVA"]
    (skipped,) = reading.skipped
    assert skipped.place() == "segment 27 (NAD)"
    assert "4 travellers read, 4 screened, 1 skipped (segment 27 (NAD): NAD+FL has no " in (
        reading.summary()
    )


def test_a_byte_not_valid_in_the_declared_set_is_named_by_its_segment(tmp_path: Path) -> None:
    data = KC901.encode("ascii").replace(b"NURLANKYZY", b"NOV\x87K")
    path = write(tmp_path, data)
    reading = read_manifests(path, today=TODAY)
    assert reading.travellers == 5
    assert [f"{f.place()}: {f.detail}" for f in reading.faults] == [
        "segment 37 (NAD): byte 0x87 is not valid in UNOA (read as utf-8-sig); --encoding names "
        "another"
    ]
    with pytest.raises(InputError, match="byte 0x87"):
        read_paxlst(path, today=TODAY)


def test_leading_white_space_crlf_and_an_indented_una_are_layout(tmp_path: Path) -> None:
    text = "\r\n  " + KC901.replace("'\n", "'\r\n ")
    path = write(tmp_path, text)
    assert faults(path) == []
    assert read_paxlst(path, today=TODAY)[0].flight == "KC901"


def test_a_repetition_separator_is_accepted_under_syntax_version_4(tmp_path: Path) -> None:
    path = write(tmp_path, KC901.replace("UNA:+.? '", "UNA:+.?*'"))
    assert faults(path) == []
    assert len(read_paxlst(path, today=TODAY)[0].travellers) == 5
    older = write(tmp_path, KC901.replace("UNA:+.? '", "UNA:+.?*'").replace("UNOA:4", "UNOA:3"))
    with pytest.raises(InputError, match=r"segment 1 \(UNA\): the reserved service character"):
        read_paxlst(older, today=TODAY)
    assert len(read_manifests(older, today=TODAY).manifests[0].travellers) == 5


def test_a_message_cut_short_keeps_its_travellers(tmp_path: Path) -> None:
    text = KC901.replace("CNT+42:3'\nUNT+62+M001'\n", "")
    reading = read_manifests(write(tmp_path, text), today=TODAY)
    assert reading.travellers == 5
    assert any("UNE inside the message" in f.detail for f in reading.faults)


REAL = [
    ("gtas_loader_Test3.txt", 260, ["(NAD): byte 0x87 is not valid in UNOA", "(UNT): the message"]),
    ("gtas_loader_multiple_flight_leg_apis.txt", 2, ["text after UNZ, the end of the interch"]),
    (
        "gtas_tamr_flight1.txt",
        10,
        ["(DOC): DOC+ has no document type", "(LOC): LOC+91 has", "(UNT)"],
    ),
]


@pytest.mark.parametrize(("name", "travellers", "expected"), REAL)
def test_every_real_manifest_screens_every_traveller_it_can_read(
    name: str, travellers: int, expected: list[str]
) -> None:
    path = shared_file(f"real/paxlst/{name}")
    reading = read_manifests(path)
    assert reading.travellers == travellers
    assert reading.skipped == []
    found = [str(f) for f in reading.faults]
    assert len(found) == len(expected)
    for fault, words in zip(found, expected, strict=True):
        assert fault.startswith(f"{path}: segment ") and words in fault


def test_travel_screen_reports_and_strict_refuses_every_real_manifest(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    for name, travellers, expected in REAL:
        path = shared_file(f"real/paxlst/{name}")
        out = tmp_path / f"{name}.csv"
        done = runner.invoke(app, ["travel", "screen", str(path), "--output", str(out)])
        assert done.exit_code == 10, done.output  # screened, with faults: a script must know
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [r["status"] for r in rows if r["status"] != "hit"] == ["fault"] * len(expected) + [
            "summary"
        ]
        assert rows[-1]["explanation"].startswith(
            f"{travellers} travellers read, {travellers} screened, 0 skipped"
        )
        refused = runner.invoke(app, ["travel", "screen", "--strict", str(path)])
        assert refused.exit_code == 2
        assert f"{name}: segment " in refused.output.replace("\n", "")
        assert expected[0].split(")")[-1].strip()[:20] in refused.output.replace("\n", " ")
