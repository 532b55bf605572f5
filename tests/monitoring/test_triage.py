"""The triage model's parts: account features, the threshold, the model file and its guard."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from finmon.errors import InputError
from finmon.monitoring.events import Context
from finmon.monitoring.rules import load_pack
from finmon.monitoring.triage import (
    AMOUNT_FEATURES,
    FEATURES,
    Model,
    account_features,
    best_threshold,
    check_features,
    fit,
    model_text,
    read_model,
    split_accounts,
    write_model,
)
from finmon.transactions.model import PartyInfo, Transaction

START = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)  # a Monday


def _transfer(n: int, src: str, dst: str, amount: str, hours: float = 0) -> Transaction:
    return Transaction(
        id=f"T{n}",
        timestamp=START + dt.timedelta(hours=hours),
        amount=Decimal(amount),
        currency="KZT",
        originator=PartyInfo(account=src),
        beneficiary=PartyInfo(account=dst),
        channel="transfer",
    )


def _features(transactions: list[Transaction]) -> dict[str, dict[str, float]]:
    frame = account_features(transactions, Context.of(load_pack()), [], ["fan_out"])
    return {row["account"]: row for row in frame.to_dicts()}


def test_features_measure_fan_in_pass_through_and_round_amounts() -> None:
    senders = [_transfer(i, f"S{i}", "HUB", "1000", hours=i) for i in range(4)]
    onward = _transfer(9, "HUB", "OUT", "3000.50", hours=30)
    late = _transfer(10, "HUB", "OUT", "500", hours=24 * 20)
    found = _features([*senders, onward, late])
    hub = found["HUB"]
    assert hub["fan_in"] == pytest.approx(pl.Series([4.0]).log1p()[0])
    assert hub["in_counterparties"] == pytest.approx(pl.Series([4.0]).log1p()[0])
    # 3,000.50 of the 4,000 received left within the same week; the 500 weeks later did not.
    assert hub["pass_through"] == pytest.approx(3000.5 / 4000)
    assert hub["round_share"] == pytest.approx(5 / 6)  # 3,000.50 is not round
    assert found["S0"]["out_count"] == pytest.approx(pl.Series([1.0]).log1p()[0])
    assert found["S0"]["pass_through"] == 0.0
    assert found["HUB"]["alerts_fan_out"] == 0.0


def test_no_feature_is_a_protected_attribute() -> None:
    check_features([*FEATURES, "alerts_transit_hub_transfers"])
    for name in ("nationality_share", "customer_religion", "name_origin", "ethnicity"):
        with pytest.raises(InputError, match="protected"):
            check_features([name])
    assert set(AMOUNT_FEATURES) <= set(FEATURES)


def test_the_threshold_is_the_one_with_the_best_f1() -> None:
    scores = [0.9, 0.8, 0.7, 0.4, 0.3, 0.2]
    labels = [1, 1, 0, 1, 0, 0]
    # At 0.4: precision 3/4, recall 1 (F1 0.857) beats 0.8 (precision 1, recall 2/3: 0.8).
    assert best_threshold(scores, labels) == 0.4


def test_the_split_is_by_account_seeded_and_keeps_both_labels_in_each_part() -> None:
    labels = {f"A{i}": int(i % 5 == 0) for i in range(100)}
    parts = split_accounts(labels, seed=3)
    assert parts == split_accounts(labels, seed=3)
    assert sorted(a for part in parts for a in part) == sorted(labels)
    assert all({labels[a] for a in part} == {0, 1} for part in parts)


def _model() -> Model:
    rows = 60
    frame = pl.DataFrame(
        {
            "account": [f"A{i}" for i in range(rows)],
            "segment": ["retail"] * rows,
            "in_count": [float(i % 7) for i in range(rows)],
            "fan_in": [float(i % 3) + (3.0 if i % 4 == 0 else 0.0) for i in range(rows)],
        }
    )
    labels = {f"A{i}": int(i % 4 == 0) for i in range(rows)}
    return fit(frame, labels, ["in_count", "fan_in"], seed=1)


def test_a_fitted_model_scores_in_0_1_and_explains_itself() -> None:
    model = _model()
    assert model.coefficients[1] > 0  # fan_in separates the confirmed accounts
    frame = pl.DataFrame({"account": ["X", "Y"], "in_count": [1.0, 1.0], "fan_in": [5.0, 0.0]})
    high, low = model.probabilities(frame)
    assert 0.0 <= low < high <= 1.0
    assert model.explain(frame)[0].startswith("fan_in +")
    assert set(model.metrics) >= {"fit", "tune", "check", "segments"}
    assert 0.0 < model.threshold < 1.0


def test_the_model_file_is_refused_when_one_byte_changed(tmp_path: Path) -> None:
    model = _model()
    path = tmp_path / "model.json"
    write_model(path, model)
    assert read_model(path).coefficients == model.coefficients
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "finmon-triage" and len(document["sha256"]) == 64
    data = bytearray(path.read_bytes())
    at = data.index(b'"threshold": ') + len(b'"threshold": ') + 2
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="changed after training"):
        read_model(path)
    path.write_text(model_text(model).replace("\n", "\n "), encoding="utf-8")
    with pytest.raises(InputError, match="changed after training"):
        read_model(path)
    path.write_bytes(b"\x80\x03 a pickle")
    with pytest.raises(InputError, match="not JSON"):
        read_model(path)
