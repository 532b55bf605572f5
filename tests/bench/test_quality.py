"""The quality benchmark's set loaders and pair evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import quality
from tests.conftest import shared_file


def test_dev_pairs_keep_labels_and_case_groups() -> None:
    shared_file("eval/name_pairs_dev.csv")
    pairs = quality.dev_pairs()
    assert len(pairs) == 410
    assert sum(pair.is_match for pair in pairs) == 211
    assert {pair.category.split("/")[0] for pair in pairs} >= {"synth_people", "nk_checks"}


def test_variant_pairs_read_the_committed_set() -> None:
    pairs = quality.variant_pairs()
    assert len(pairs) >= 300
    assert {pair.schema for pair in pairs} == {"Person"}


def test_pair_evaluation_reports_both_matchers_and_writes_failures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("nomenklatura")
    monkeypatch.setattr(quality, "OUT", tmp_path)
    pairs = [
        quality.Pair("Vladimir Putin", "Vladimir Putin", True, "Person", "same"),
        quality.Pair("Vladimir Putin", "Samir Haddad", False, "Person", "other"),
        quality.Pair("Samir Haddad", "Vladimir Putin", True, "Person", "mislabelled"),
    ]
    figures = {f.metric: f for f in quality.evaluate_pairs("toy", pairs, {"recall": 0.9})}
    assert figures["recall"].finmon == 0.5
    assert figures["recall"].logic_v2 == 0.5
    assert figures["recall"].verdict() == "missed"
    assert figures["false-match rate"].finmon == 0.0
    failures = (tmp_path / "quality-failures-toy.csv").read_text(encoding="utf-8")
    assert "mislabelled" in failures
    assert "other" not in failures


def test_dev_split_is_a_fixed_half_by_the_pair_hash() -> None:
    row = {"name1": "Vladimir Vladimirovich Putin", "name2": "Vladimir Putin"}
    assert quality.dev_split(row) == quality.dev_split(dict(row))
    pairs = [quality.Pair(f"Name {i}", f"Other {i}", True, "Person", "x") for i in range(200)]
    tune, check = quality.dev_half(pairs, "tune"), quality.dev_half(pairs, "check")
    assert len(tune) + len(check) == 200 and 60 < len(tune) < 140
    assert not {p.name1 for p in tune} & {p.name1 for p in check}


def test_recall_cases_cover_each_category_with_matches_and_controls() -> None:
    pairs = quality.recall_pairs()
    categories = {pair.category for pair in pairs}
    assert categories == {
        "numbers", "acronyms", "initials", "arabic_russian", "cjk", "european", "slips"
    }  # fmt: skip
    for category in categories:
        labels = {pair.is_match for pair in pairs if pair.category == category}
        assert labels == {True, False}, category


def test_heldout_pairs_are_the_generator_s_output_with_matches_and_controls() -> None:
    pytest.importorskip("faker", reason="Faker is in the bench extra")
    from bench import heldout

    pairs = quality.heldout_pairs()
    rows = heldout.build()
    assert [(p.name1, p.name2, p.is_match) for p in pairs] == [(r[2], r[3], r[4]) for r in rows]
    for category in ("numbers", "acronyms", "initials", "arabic_russian", "cjk", "european"):
        labels = {pair.is_match for pair in pairs if pair.category == category}
        assert labels == {True, False}, category
    assert {p.is_match for p in pairs if p.category == "near_people"} == {False}
