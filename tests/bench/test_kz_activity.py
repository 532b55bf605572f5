"""bench/kz_activity.py: one seed, one set of files; files `finmon monitor` reads whole."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from bench.kz_activity import build, reaching, write
from bench.kz_planted import KINDS
from finmon.cli import app

SIZE = 150
runner = CliRunner()


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_seed_writes_the_same_files_and_another_seed_other_ones(tmp_path: Path) -> None:
    write(build(11, SIZE), tmp_path / "a")
    write(build(11, SIZE), tmp_path / "b")
    write(build(12, SIZE), tmp_path / "c")
    first = files(tmp_path / "a")
    assert set(first) == {"transactions.csv", "accounts.csv", "labels.csv", "kinds.json"}
    assert first == files(tmp_path / "b")
    assert first["transactions.csv"] != files(tmp_path / "c")["transactions.csv"]


def test_every_kind_is_planted_and_listed_accounts_are_flagged(tmp_path: Path) -> None:
    write(build(11, SIZE), tmp_path)
    with (tmp_path / "labels.csv").open(encoding="utf-8") as f:
        kinds = Counter(row["typology"] for row in csv.DictReader(f))
    assert set(kinds) == set(KINDS) and all(10 <= n <= 20 for n in kinds.values())
    with (tmp_path / "accounts.csv").open(encoding="utf-8") as f:
        accounts = list(csv.DictReader(f))
    assert any(row["listed"] == "true" for row in accounts)
    assert {row["segment"] for row in accounts} >= {"retail", "business", "npo"}


def test_finmon_monitor_reads_every_transfer_and_the_alerts_give_its_review_count(
    tmp_path: Path,
) -> None:
    sizes = write(build(11, SIZE), tmp_path)
    output = tmp_path / "alerts.csv"
    result = runner.invoke(
        app,
        ["monitor", str(tmp_path / "transactions.csv"), "--accounts",
         str(tmp_path / "accounts.csv"), "--output", str(output)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # 10 would mean transfers left out
    said = re.search(
        r"([\d,]+) transactions, .* ([\d,]+) at or above the review threshold ([\d.]+)",
        result.output,
    )
    assert said is not None, result.output
    assert int(said[1].replace(",", "")) == sizes["transfers"]
    with output.open(encoding="utf-8") as f:
        alerts = list(csv.DictReader(f))
    assert len(reaching(alerts, float(said[3]))) == int(said[2].replace(",", ""))
