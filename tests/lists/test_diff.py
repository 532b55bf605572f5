"""List diffs: checked against an independent reading of the two real UN files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from finmon.lists import parse_files
from finmon.lists.diff import diff_designations
from finmon.model import Designation, DesignationName, Schema
from tests.conftest import shared_file


def raw_records(path: Path) -> dict[str, tuple[str, str]]:
    """Reference -> (VERSIONNUM, canonical text of the record) read with the standard library."""
    records = {}
    for element in ET.parse(path).getroot().iter():
        if element.tag in ("INDIVIDUAL", "ENTITY"):
            reference = (element.findtext("REFERENCE_NUMBER") or "").strip()
            version = (element.findtext("VERSIONNUM") or "").strip()
            text = " ".join(" ".join(element.itertext()).split())
            records[reference] = (version, text)
    return records


def test_un_2020_to_2026_diff_is_exact() -> None:
    old_path = shared_file("lists/un_consolidated_2020-11-30.xml")
    new_path = shared_file("lists/un_consolidated_2026-02-27.xml")
    diff = diff_designations(
        parse_files([old_path]).designations, parse_files([new_path]).designations
    )
    old, new = raw_records(old_path), raw_records(new_path)
    assert {d.reference for d in diff.added} == new.keys() - old.keys()
    assert {d.reference for d in diff.removed} == old.keys() - new.keys()
    amended = {a.after.reference for a in diff.amended}
    assert amended <= old.keys() & new.keys()
    # Every record the list itself says was revised is amended, and nothing unchanged is.
    revised = {r for r in old.keys() & new.keys() if old[r][0] != new[r][0]}
    assert revised <= amended
    assert all(old[r][1] != new[r][1] for r in amended)
    assert all(a.changes for a in diff.amended)


def test_changes_name_the_fields_before_and_after() -> None:
    before = Designation("afm", "iin:1", Schema.PERSON, [DesignationName("Иван Петров")])
    after = Designation("afm", "iin:1", Schema.PERSON, [DesignationName("Иван Петров")])
    after.nationalities = ["KZ"]
    gone = Designation("afm", "iin:2", Schema.PERSON, [DesignationName("Анна Смирнова")])
    diff = diff_designations([before, gone], [after])
    assert diff.summary() == {"added": 0, "removed": 1, "amended": 1}
    assert diff.amended[0].changes == {"nationalities": ([], ["KZ"])}
    assert diff_designations([before], [before]).unchanged
