"""`finmon triage train` and `finmon monitor --triage`: the contract outside checks rely on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.monitoring.triage import PROTECTED

runner = CliRunner()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small simulated month with planted typologies, and labels from its accounts table."""
    from finmon.simulate import TYPOLOGIES, Settings, simulate, write

    folder = tmp_path_factory.mktemp("triage")
    settings = Settings(seed=3, customers=200, months=2)
    settings.planted = dict.fromkeys(TYPOLOGIES, 3)
    write(simulate(settings), folder)
    with (folder / "accounts.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] in ("person", "business", "npo")]
    lines = [f"{r['account']},{'true' if r['typology'] else 0}" for r in rows]
    (folder / "labels.csv").write_text("account,label\n" + "\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def model(simulated: Path) -> Path:
    path = simulated / "model.json"
    result = runner.invoke(
        app,
        [
            "triage",
            "train",
            str(simulated / "transactions.csv"),
            "--labels",
            str(simulated / "labels.csv"),
            "--accounts",
            str(simulated / "accounts.csv"),
            "--output",
            str(path),
        ],
    )
    assert result.exit_code == 0, result.output
    return path


def test_the_model_records_its_training(model: Path, simulated: Path) -> None:
    document = json.loads(model.read_text(encoding="utf-8"))
    training = document["training"]
    files = {Path(f["path"]).name: f["sha256"] for f in training["files"]}
    assert set(files) == {"transactions.csv", "labels.csv", "accounts.csv"}
    assert all(len(digest) == 64 for digest in files.values())
    assert training["finmon_version"] and training["trained_at"].startswith("20")
    # The default set: amounts, the rules' evidence and peers, not the shape of the cases.
    assert training["feature_set"] == "general"
    assert {"peer_counterparties", "typology_score", "alerts_funnel_account"} <= set(
        document["features"]
    )
    assert "in_counterparties" not in document["features"]
    assert 0.0 < document["threshold"] < 1.0
    assert document["metrics"]["check"]["accounts"] > 0
    assert document["metrics"]["check"]["roc_auc"] > 0.5


def test_no_feature_names_a_protected_attribute(model: Path) -> None:
    # accounts.csv has a `country` column (nationality's stand-in): it never becomes a feature.
    features = json.loads(model.read_text(encoding="utf-8"))["features"]
    for name in features:
        assert not set(name.split("_")) & {*PROTECTED, "country"}, name


def _monitor(simulated: Path, *options: str) -> list[dict[str, str]]:
    output = simulated / "alerts.csv"
    result = runner.invoke(
        app, ["monitor", str(simulated / "transactions.csv"), "--output", str(output), *options]
    )
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_monitor_adds_triage_to_every_alert_and_filters_only_when_asked(
    model: Path, simulated: Path
) -> None:
    plain = _monitor(simulated)
    triaged = _monitor(simulated, "--triage", str(model))
    assert len(triaged) == len(plain) > 0
    scores = [float(row["triage"]) for row in triaged]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert all(row["triage_reasons"] for row in triaged)
    threshold = json.loads(model.read_text(encoding="utf-8"))["threshold"]
    kept = _monitor(simulated, "--triage", str(model), "--min-triage", "model")
    assert [r["alert_id"] for r in kept] == [
        r["alert_id"] for r in triaged if float(r["triage"]) >= round(threshold, 4) - 1e-9
    ]
    assert 0 < len(kept) < len(triaged)
    half = _monitor(simulated, "--triage", str(model), "--min-triage", "0.999")
    assert all(float(r["triage"]) >= 0.999 for r in half) and len(half) < len(triaged)


def test_a_changed_model_file_is_refused(model: Path, simulated: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed.json"
    changed.write_text(
        model.read_text(encoding="utf-8").replace('"threshold": 0.', '"threshold": 0.0'),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["monitor", str(simulated / "transactions.csv"), "--triage", str(changed)]
    )
    assert result.exit_code == 2
    assert "changed after training" in result.output


def test_bad_label_rows_are_reported_per_row_or_refused_when_strict(
    simulated: Path, tmp_path: Path
) -> None:
    good = (simulated / "labels.csv").read_text(encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text(good + "ACC-X,maybe\n,1\n", encoding="utf-8")
    args = [
        "triage",
        "train",
        str(simulated / "transactions.csv"),
        "--labels",
        str(labels),
        "--output",
        str(tmp_path / "m.json"),
    ]
    lenient = runner.invoke(app, args)
    assert lenient.exit_code == 10, lenient.output
    assert (tmp_path / "m.json").is_file()
    lines = len(good.splitlines())
    with (tmp_path / "m.problems.csv").open(encoding="utf-8") as handle:
        problems = list(csv.DictReader(handle))
    assert [(p["row"], p["column"]) for p in problems] == [
        (f"line {lines + 1}", "label"),
        (f"line {lines + 2}", "account"),
    ]
    strict = runner.invoke(app, [*args, "--strict", "--output", str(tmp_path / "s.json")])
    assert strict.exit_code == 2
    assert f"line {lines + 1}" in strict.output and not (tmp_path / "s.json").exists()


def test_min_triage_needs_a_model_and_a_number_in_0_1(model: Path, simulated: Path) -> None:
    transactions = str(simulated / "transactions.csv")
    alone = runner.invoke(app, ["monitor", transactions, "--min-triage", "0.5"])
    assert alone.exit_code == 2 and "needs --triage" in alone.output
    outside = runner.invoke(
        app, ["monitor", transactions, "--triage", str(model), "--min-triage", "1.5"]
    )
    assert outside.exit_code == 2 and "from 0 to 1" in outside.output


def test_the_feature_set_is_chosen_and_an_unknown_one_refused(simulated: Path) -> None:
    path = simulated / "model_all.json"
    args = ["triage", "train", str(simulated / "transactions.csv"), "--labels"]
    args += [str(simulated / "labels.csv"), "--output", str(path)]
    assert runner.invoke(app, [*args, "--features", "all"]).exit_code == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["training"]["feature_set"] == "all"
    assert {"in_counterparties", "fan_in", "alerts_funnel_account"} <= set(document["features"])
    refused = runner.invoke(app, [*args, "--features", "shapes"])
    assert refused.exit_code == 2 and "unknown feature set 'shapes'" in refused.stderr
