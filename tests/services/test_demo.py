"""The demo end to end, and the fictional customers it generates."""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.lists import parse_files
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.model import Designation, DesignationName, Schema
from finmon.services.demo import disguise, pick_listed, to_cyrillic, write_customers
from tests.conftest import SHARED, shared_file
from tests.store.factory import FAMILY, GIVEN

runner = CliRunner()


def designations(count: int) -> list[Designation]:
    """Fictional listed persons with plain two-word Latin names."""
    names = [f"{given} {family}" for family in FAMILY for given in GIVEN][:count]
    return [
        Designation("test", f"T{i}", Schema.PERSON, [DesignationName(name)])
        for i, name in enumerate(names)
    ]


def test_generated_customers_are_plausible(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    planted = write_customers(path, designations(50), count=400, seed=7)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400 + len(planted) == 408
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(is_valid_iin_bin(row["iin"]) for row in rows if row["iin"])
    assert sum(bool(row["iin"]) for row in rows) > 300
    cyrillic = sum(any("а" <= ch <= "я" for ch in row["full_name"].lower()) for row in rows)
    assert 150 < cyrillic < 400
    by_id = {row["id"]: row for row in rows}
    for person in planted:
        assert by_id[person.customer_id]["full_name"] == person.written_as
        assert person.written_as != person.listed_name


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = write_customers(tmp_path / "a.csv", designations(50), count=100, seed=3)
    second = write_customers(tmp_path / "b.csv", designations(50), count=100, seed=3)
    assert first == second
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_disguises_change_the_spelling() -> None:
    assert disguise("Ramzi Mohamed Binalshibh", 0) == "Binalshibh Ramzi Mohamed"
    assert disguise("Ramzi Mohamed Binalshibh", 1) == "Ramzi Binalshibh"
    assert disguise("Ramzi Mohamed Binalshibh", 2) == "Ramzi Mohammed Binalshibh"
    assert disguise("Timur Bekov", 1) == "Timur Bekovv"
    assert to_cyrillic("SHAHABUDDIN") == "шахабуддин"


def test_only_latin_persons_are_planted() -> None:
    listed = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")]).designations
    for designation, name in pick_listed(listed, random.Random(1)):
        assert designation.schema == "person"
        assert name.full.replace(" ", "").replace("-", "").replace("'", "").isalpha()


def test_demo_on_the_real_un_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared_file("lists/un_consolidated_2026-02-27.xml")
    monkeypatch.setenv("FINMON_SHARED_DIR", str(SHARED))
    started = time.perf_counter()
    result = runner.invoke(app, ["demo", "--output", str(tmp_path / "demo")])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "un_consolidated_2026-02-27.xml" in result.stdout
    assert "loaded un 2026-02-27: 1003 designations" in result.stdout
    found = int(result.stdout.split("planted listed persons found: ")[1].split()[0])
    assert found >= 6
    hits = tmp_path / "demo" / "hits.csv"
    assert f"hits written to {hits}" in result.stdout
    with hits.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 6 <= len({row["id"] for row in rows}) < 150
    assert seconds < 60


def test_demo_falls_back_to_the_packaged_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINMON_SHARED_DIR", str(tmp_path / "no-shared-data"))
    result = runner.invoke(app, ["demo", "--output", str(tmp_path / "demo"), "--customers", "300"])
    assert result.exit_code == 0, result.output
    assert "fictional fixture" in result.stdout
    assert (tmp_path / "demo" / "hits.csv").exists()
    assert not (tmp_path / "finmon-home" / "finmon.db").exists()
