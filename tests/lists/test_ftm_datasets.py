"""FollowTheMoney files filed by dataset: each party under its own dataset(s), target: false
parties skipped unless asked for, and the reader's count of what it read and skipped; on the two
real OpenSanctions/yente files (SOURCES.md) and on a small mixed file written here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from finmon.errors import InputError
from finmon.lists import parse_files, read_lists
from finmon.lists.ftm import parse_ftm, read_ftm
from tests.conftest import shared_file

T1 = "real/ftm/yente_t1_entities.ftm.json"
DONATIONS = "real/ftm/yente_parteispenden_entities.ftm.json"


def _person(id_: str, name: str, datasets: list[str] | None, target: bool | None = True) -> Any:
    entity: dict[str, Any] = {"id": id_, "schema": "Person", "properties": {"name": [name]}}
    if datasets is not None:
        entity["datasets"] = datasets
    if target is not None:
        entity["target"] = target
    return entity


MIXED = [
    _person("p1", "Gulnara Abenova", ["eu_fsf"]),
    _person("p2", "Marat Dzhaksybekov", ["us_ofac_sdn", "eu_fsf"]),
    {
        "id": "o1",
        "schema": "Company",
        "properties": {"name": ["Steppe Logistics LLP"]},
        "datasets": ["us_ofac_sdn"],
        "target": True,
    },
    # A company director from a registry: in the export for context, not sanctioned.
    _person("r1", "Aliya Nurlanova", ["ru_egrul"], target=False),
    {"id": "a1", "schema": "Address", "properties": {"full": ["Almaty"]}, "datasets": ["eu_fsf"]},
    {
        "id": "s1",
        "schema": "Sanction",
        "properties": {"entity": ["p1"], "program": ["EU-KZ"], "startDate": ["2022-03-01"]},
        "datasets": ["eu_fsf"],
        "target": False,
    },
]


def write_ftm(path: Path, entities: list[Any]) -> Path:
    """Entities as FtM JSON lines."""
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities))
    return path


def _refs(read: Any) -> dict[str, list[str]]:
    return {p.source: [d.reference for d in p.designations] for p in read.lists}


def test_each_party_is_filed_under_its_own_datasets(tmp_path: Path) -> None:
    read = read_ftm(write_ftm(tmp_path / "mixed.json", MIXED))
    # ru_egrul is named only by a non-target: an empty version, which the store skips.
    assert _refs(read) == {"us_ofac_sdn": ["p2", "o1"], "eu_fsf": ["p1", "p2"], "ru_egrul": []}
    for parsed in read.lists:
        assert all(d.source == parsed.source for d in parsed.designations)
        assert parsed.format == "ftm-json"
    # One file, one version label for each of its datasets.
    assert len({p.version for p in read.lists}) == 1
    eu = next(p for p in read.lists if p.source == "eu_fsf")
    assert eu.designations[0].programmes == ["EU-KZ"]
    assert (read.entities, read.sanctions, read.not_targets) == (6, 1, 1)
    assert dict(read.other_schemas) == {"Address": 1}
    assert read.summary() == (
        "6 entities read: 4 designations in 3 list(s) (eu_fsf 2, us_ofac_sdn 2, ru_egrul 0); "
        "1 sanction records applied; skipped 1 not targets (target: false), "
        "1 of schemas that are not parties (Address 1)"
    )


def test_non_targets_only_when_asked_for(tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "mixed.json", MIXED)
    read = read_ftm(path, include_non_targets=True)
    assert _refs(read)["ru_egrul"] == ["r1"]
    assert read.not_targets == 0
    assert "ru_egrul" in {p.source for p in read_lists([path], include_non_targets=True).versions}
    only_registry = write_ftm(tmp_path / "registry.json", [MIXED[3]])
    assert read_ftm(only_registry).lists[0].designations == []


def test_a_source_given_files_everything_under_it(tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "mixed.json", MIXED)
    read = read_ftm(path, source="opensanctions")
    assert _refs(read) == {"opensanctions": ["p1", "p2", "o1"]}
    # One version only: parse_files reads it; without a source it names the datasets.
    assert len(parse_files([path], source="opensanctions").designations) == 3
    with pytest.raises(InputError, match=r"holds several datasets \(eu_fsf, us_ofac_sdn\)"):
        parse_ftm(path)


def test_parties_without_datasets_fall_back_to_the_source(tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "plain.json", [_person("x", "A B", None, target=None)])
    read = read_ftm(path)
    assert _refs(read) == {"ftm": ["x"]}
    assert read.without_target == 1
    assert "1 of them with no target flag" in read.summary()


def test_real_yente_export_is_filed_under_its_dataset() -> None:
    path = shared_file(T1)
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    parties = [e for e in raw if e["schema"] in ("Person", "Organization")]
    assert len(parties) == 6 and all(e["target"] for e in parties)
    read = read_ftm(path)
    filed = {(d.source, d.reference) for p in read.lists for d in p.designations}
    assert filed == {(dataset, e["id"]) for e in parties for dataset in e["datasets"]}
    assert [p.source for p in read.lists] == ["eu_fsf"]
    assert (read.entities, read.not_targets, dict(read.other_schemas)) == (7, 0, {"Address": 1})


def test_real_donations_file_without_datasets_is_read_and_counted() -> None:
    read = read_ftm(shared_file(DONATIONS))
    assert [p.source for p in read.lists] == ["ftm"]
    assert len(read.lists[0].designations) == 96  # 22 Person, 18 Organization, 56 Company
    assert read.without_target == 96
    assert dict(read.other_schemas) == {"Address": 89, "Payment": 290}
    named = read_ftm(shared_file(DONATIONS), source="parteispenden")
    assert {d.source for d in named.lists[0].designations} == {"parteispenden"}
