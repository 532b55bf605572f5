"""Perturbed positives and Arabic-vs-Latin pairs, on names written for the test."""

from __future__ import annotations

import random

from rapidfuzz.distance import DamerauLevenshtein

from bench.perturb import (
    arabic_latin_pairs,
    drop_middle,
    perturb_rows,
    romanisation,
    swap_order,
    typo,
)
from finmon.model import Designation, DesignationName, NameQuality, Schema

NAMES = ["KARIM OMAR NASSER", "ABD AL-RAHMAN YOUSSEF", "LEILA HAMDI", "MOHAMMED SAEED KHALIL"]


def test_typo_is_one_edit_in_one_token() -> None:
    rng = random.Random(3)
    for name in NAMES * 20:
        changed = typo(name, rng)
        assert changed is not None
        assert changed != name
        assert DamerauLevenshtein.distance(changed, name) == 1
        assert changed.split()[0][0] == name.split()[0][0]


def test_order_and_middle_names() -> None:
    rng = random.Random(1)
    assert swap_order("KARIM OMAR NASSER", rng) == "NASSER KARIM OMAR"
    assert swap_order("NASSER", rng) is None
    assert drop_middle("KARIM OMAR NASSER", rng) == "KARIM NASSER"
    assert drop_middle("LEILA HAMDI", rng) is None


def test_romanisation_applies_a_known_variant() -> None:
    rng = random.Random(5)
    seen = {romanisation("ABD AL-RAHMAN", rng) for _ in range(60)}
    assert {"ABDUL RAHMAN", "ABDURRAHMAN", "ABDELRAHMAN", "ABD-AL-RAHMAN"} <= seen
    assert romanisation("LEILA HAMDI", rng) is None
    assert romanisation("Osama", rng) == "Usama"


def test_perturbation_is_reproducible_and_keeps_the_source_row() -> None:
    first, second = perturb_rows(NAMES), perturb_rows(NAMES)
    assert first == second
    assert {p.kind for p in first} == {"typo", "swap_order", "drop_middle", "romanisation"}
    assert all(NAMES[p.source] == p.original != p.name for p in first)
    assert perturb_rows(NAMES, seed=1) != first


def _listed(
    ref: str, latin: str, arabic: str | None, schema: Schema = Schema.PERSON
) -> Designation:
    names = [DesignationName(latin)]
    if arabic:
        names.append(DesignationName(arabic, NameQuality.STRONG, original_script=True))
    return Designation("test", ref, schema, names)


def test_arabic_pairs_match_own_latin_name_and_control_another() -> None:
    listed = [
        _listed("T1", "KARIM OMAR NASSER", "كريم عمر ناصر"),
        _listed("T2", "LEILA HAMDI", None),
        _listed("T3", "SAMIR HADDAD", "سمير حداد"),
        _listed("T4", "NORTHWIND TRADING", "شركة الريح", Schema.ORGANIZATION),
        _listed("T5", "EASTERN LIGHT", None, Schema.ORGANIZATION),
    ]
    pairs = arabic_latin_pairs(listed)
    assert [(p.reference, p.is_match) for p in pairs] == [
        ("T1", True), ("T1", False), ("T3", True), ("T3", False), ("T4", True), ("T4", False)
    ]  # fmt: skip
    matches = {p.arabic: p.latin for p in pairs if p.is_match}
    assert matches["سمير حداد"] == "SAMIR HADDAD"
    controls = [p for p in pairs if not p.is_match]
    assert all(p.other_reference != p.reference for p in controls)
    assert next(p for p in controls if p.reference == "T4").latin == "EASTERN LIGHT"
