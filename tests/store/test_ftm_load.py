"""Loading an FtM file that mixes datasets: one list version per dataset, in one transaction;
a later export changes each dataset's list as that dataset changed, and re-screening follows;
the CLI says what it read and skipped."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import ListRefused
from finmon.lists import read_lists
from finmon.store import list_versions, load_lists
from finmon.store.alerts import list_alerts
from finmon.store.customers import import_customers
from tests.conftest import shared_file
from tests.lists.test_ftm_datasets import DONATIONS, MIXED, T1, write_ftm
from tests.store.workflow_data import write_csv

CUSTOMER = {
    "id": "C1",
    "full_name": "Marat Dzhaksybekov",
    "birth_date": "",
    "nationality": "",
    "iin": "",
    "schema": "person",
    "gender": "",
    "accounts": "",
}


def _next_export() -> list[dict[str, object]]:
    """The next export: p2 left the EU list (still on OFAC's), p3 joined the EU list."""
    entities = copy.deepcopy(MIXED)
    entities[1]["datasets"] = ["us_ofac_sdn"]
    entities.insert(
        1,
        {
            "id": "p3",
            "schema": "Person",
            "properties": {"name": ["Bakyt Ormonov"]},
            "datasets": ["eu_fsf"],
            "target": True,
        },
    )
    return entities


def test_each_dataset_is_its_own_version_and_rescreening_follows(tmp_path: Path) -> None:
    first = read_lists([write_ftm(tmp_path / "v1.json", MIXED)])
    results = load_lists(first.versions, actor="loader")
    assert [(r.source, r.designation_count) for r in results] == [
        ("eu_fsf", 2),
        ("us_ofac_sdn", 2),
    ]
    import_customers(write_csv(tmp_path / "c.csv", [CUSTOMER]), actor="officer.a")
    # The customer is on two lists: one alert for each, each naming its list.
    assert sorted((a.list, a.reference) for a in list_alerts("open")) == [
        ("eu_fsf", "p2"),
        ("us_ofac_sdn", "p2"),
    ]

    second = read_lists([write_ftm(tmp_path / "v2.json", _next_export())])
    eu, ofac = load_lists(second.versions, actor="loader")
    assert (eu.source, eu.previous_version, eu.changes) == (
        "eu_fsf",
        first.versions[0].version,
        {"added": 1, "removed": 1, "amended": 0},
    )
    assert (ofac.source, ofac.changes) == ("us_ofac_sdn", {"added": 0, "removed": 0, "amended": 0})
    assert eu.rescreen is not None and eu.rescreen.withdrawn == 1
    assert [(a.list, a.reference) for a in list_alerts("open")] == [("us_ofac_sdn", "p2")]
    current = {(v.source, v.designation_count) for v in list_versions()}
    assert current == {("eu_fsf", 2), ("us_ofac_sdn", 2)}
    # Loading the same file again changes nothing, for every dataset.
    again = load_lists(second.versions, actor="loader")
    assert [r.status for r in again] == ["already loaded", "already loaded"]


def test_a_refused_dataset_loads_none(tmp_path: Path) -> None:
    load_lists(read_lists([write_ftm(tmp_path / "v1.json", MIXED)]).versions, actor="loader")
    # The next export keeps OFAC's list but empties the EU's: refused, and OFAC not loaded.
    shrunk = [e for e in _next_export() if e["id"] not in ("p1", "p3")]
    versions = read_lists([write_ftm(tmp_path / "v2.json", shrunk)]).versions
    with pytest.raises(ListRefused, match=r"refused to load eu_fsf .*contains no designations"):
        load_lists(versions, actor="loader")
    assert len(list_versions(all_versions=True)) == 2


def test_cli_load_says_what_it_read_and_skipped(tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "mixed.json", MIXED)
    result = CliRunner().invoke(app, ["lists", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "Loaded eu_fsf list version" in result.output
    assert "Loaded us_ofac_sdn list version" in result.output
    assert (
        "Read: 6 entities read: 4 designations in 3 list(s) (eu_fsf 2, us_ofac_sdn 2, ru_egrul 0); "
        "1 sanction records applied; skipped 1 not targets (target: false), "
        "1 of schemas that are not parties (Address 1)." in " ".join(result.output.split())
    )
    wide = CliRunner().invoke(app, ["lists", "load", "--include-non-targets", str(path)])
    assert wide.exit_code == 0, wide.output
    assert "Loaded ru_egrul list version" in wide.output
    assert {v.source for v in list_versions()} == {"eu_fsf", "us_ofac_sdn", "ru_egrul"}


def test_both_real_files_load_each_designation_under_its_dataset() -> None:
    for name in (T1, DONATIONS):
        read = read_lists([shared_file(name)])
        for result in load_lists(read.versions, actor="loader"):
            assert result.loaded
    current = {(v.source, v.designation_count) for v in list_versions()}
    # The yente export names its dataset; the donations file names none and falls back to ftm.
    assert current == {("eu_fsf", 6), ("ftm", 96)}
