"""The dissemination package: whole, deterministic, two people, every member in the manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.fiu.package import Dissemination, write_package

ITEM = Dissemination(
    reference="DIS-2026-001",
    recipient="Financial police <KZ>",
    reasoning="Three entities reported transfers from B to C within a week.",
    subjects=[{"subject_id": "B", "name": "BOLAT NURLANOV", "identifiers": "phone:7701"}],
    reports=[("BANK1/r1", b"<report>1</report>"), ("MTO1/r2", b"<report>2</report>")],
    drafted_by="aigerim",
    approved_by="dana",
    approved_at=dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC),
    network_svg="<svg xmlns='http://www.w3.org/2000/svg'/>",
)


def test_the_package_holds_every_part_with_its_digest(tmp_path: Path) -> None:
    manifest = write_package(ITEM, tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as package:
        names = set(package.namelist())
        assert names == {
            "index.html", "manifest.json", "network.svg", "reasoning.txt", "subjects.csv",
            "reports/BANK1_r1.xml", "reports/MTO1_r2.xml",
        }  # fmt: skip
        inside = json.loads(package.read("manifest.json"))
        for member in inside["members"]:
            assert hashlib.sha256(package.read(member["name"])).hexdigest() == member["sha256"]
        assert "Financial police &lt;KZ&gt;" in package.read("index.html").decode()
        assert package.read("subjects.csv").decode().splitlines()[1].startswith("B,,BOLAT")
    assert manifest["sha256"] == hashlib.sha256((tmp_path / "out.zip").read_bytes()).hexdigest()


def test_the_same_contents_give_the_same_bytes(tmp_path: Path) -> None:
    first = write_package(ITEM, tmp_path / "a.zip")["sha256"]
    assert write_package(ITEM, tmp_path / "b.zip")["sha256"] == first
    changed = replace(ITEM, reasoning=ITEM.reasoning + " And D.")
    assert write_package(changed, tmp_path / "c.zip")["sha256"] != first


def test_one_person_cannot_disseminate_alone_and_nothing_is_left(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="two people"):
        write_package(replace(ITEM, approved_by="aigerim"), tmp_path / "out.zip")
    twice = replace(ITEM, reports=[*ITEM.reports, ("BANK1/r1", b"<x/>")])
    with pytest.raises(InputError, match="twice"):
        write_package(twice, tmp_path / "out.zip")
    assert list(tmp_path.iterdir()) == []
