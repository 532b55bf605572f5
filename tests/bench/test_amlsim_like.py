"""The AMLSim-format samples of other typologies: AMLSim's layout, each shape, the labels."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from bench.amlsim_like import TYPOLOGIES, Source, _edges, generate
from finmon.transactions.tabular import read_amlsim


def test_each_typology_has_its_shape() -> None:
    members = list(range(10, 19))
    rng = random.Random(1)
    cycle = _edges("cycle", members, rng)
    assert Counter(s for s, _, _ in cycle) == Counter(r for _, r, _ in cycle) == Counter(members)
    fan_out = _edges("fan_out", members, rng)
    assert {s for s, _, _ in fan_out} == {10} and {r for _, r, _ in fan_out} == set(members[1:])
    scatter = _edges("scatter_gather", members, rng)
    assert {s for s, r, _ in scatter if r == 18} == set(members[1:-1])
    gather = _edges("gather_scatter", members, rng)
    assert {s for s, r, _ in gather if r == 10} == {11, 12, 13, 14}  # half gather to the hub
    assert {r for s, r, _ in gather if s == 10} == {15, 16, 17, 18}  # and the hub scatters on
    stack = _edges("stack", members, rng)
    assert len(stack) == 3 * 3 + 3 * 3  # three layers of three, each linked to the next
    with pytest.raises(ValueError, match="unknown typology"):
        _edges("fan_in_twice", members, rng)


def test_a_sample_is_read_as_amlsim_and_labels_every_pattern_member(tmp_path: Path) -> None:
    source = Source(background=[150.0, 420.5], laundering=[3.5, 250.0], sends=[2, 5])
    for typology in TYPOLOGIES:
        folder = tmp_path / typology
        counts = generate(folder, typology, 7, source, accounts=400, patterns=10)
        transfers = read_amlsim(folder / "transactions.csv")
        assert len(transfers) == counts["transfers"]
        with (folder / "nodes.csv").open(encoding="utf-8") as handle:
            nodes = list(csv.DictReader(handle))
        fraud = {row["nodeid"] for row in nodes if row["isFraud"] == "1"}
        assert len(nodes) == 400 and len(fraud) == counts["fraud"] >= 10 * 4
        steps = {row["nodeid"]: int(row["fraudStep"]) for row in nodes}
        assert all(1 <= steps[a] <= 149 for a in fraud) and set(steps.values()) >= {-1}
        for (
            t
        ) in transfers:  # each amount is the sample's background or a laundering one, less 0-10%
            amount = float(t.amount)
            assert amount in (150.0, 420.5) or any(
                0.9 * v - 0.01 <= amount <= v for v in (3.5, 250.0)
            )
        again = generate(tmp_path / "again", typology, 7, source, accounts=400, patterns=10)
        assert again == counts
        assert (tmp_path / "again" / "transactions.csv").read_bytes() == (
            folder / "transactions.csv"
        ).read_bytes()
