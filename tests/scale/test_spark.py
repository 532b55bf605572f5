"""Spark (local[2]) and the local engines give the same hits and the same monitoring alerts.

One Spark session serves the whole module: starting one costs about ten seconds. The hits are
compared on the acceptance's 100,000-customer registry with UN designations planted in it
(bench/customers.py); the million runs in bench/scale.py, which asserts the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bench import customers
from finmon.cli import app
from finmon.lists import parse_files
from finmon.monitoring.engine import run_batch
from finmon.monitoring.events import Context
from finmon.monitoring.rules import Rule, load_pack
from finmon.scale.spark import bucket_of, local_rule, monitor_alerts, session
from finmon.screening import Screener
from finmon.services.monitoring import plan_monitoring
from finmon.services.scale import spark_screening
from finmon.services.screening import run_screening
from finmon.transactions import PartyInfo, Transaction
from tests.conftest import shared_file

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)
CUSTOMERS = 100_000
FIXTURES = Path(__file__).resolve().parents[2] / "finmon" / "fixtures"
AMLSIM = "tm/amlsim_20K_fanin200/transactions.csv"


@pytest.fixture(scope="module", autouse=True)
def _java() -> None:
    """Spark needs a Java runtime: .ci/run installs Debian's when it is missing; elsewhere these
    tests skip without one, as the browser tests do without Chromium."""
    if shutil.which("java"):
        return
    message = "no Java runtime for Spark (Debian's openjdk-17-jre-headless; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local[2] session for the module, stopped at its end."""
    started = session("local[2]", partitions=4)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Screener]:
    """A registry with the designations of the UN list's 2020-2026 change planted in it, and
    a screener over the 2026 list."""
    old = parse_files([shared_file("lists/un_consolidated_2020-11-30.xml")]).designations
    new = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")]).designations
    changed, unchanged = customers.plan(old, new)
    planted = customers.planted_customers(changed, unchanged)
    folder = tmp_path_factory.mktemp("registry")
    path = folder / "customers.csv"
    customers.write_registry(path, folder / "planted.csv", CUSTOMERS, planted)
    return path, Screener(new, {"un": "2026-02-27"})


def test_spark_gives_the_local_hits_in_the_local_order(
    spark: Any, registry: tuple[Path, Screener]
) -> None:
    path, screener = registry
    local = run_screening(path, None, screener, workers=2)
    found = spark_screening(path, None, screener)
    assert local.rows == CUSTOMERS and local.hits > 100  # the planted designations are found
    assert found.kept == local.kept
    assert (found.rows, found.hits, found.alerted) == (local.rows, local.hits, local.alerted)


def test_a_parquet_file_without_ids_split_among_tasks_gets_the_local_row_numbers(
    spark: Any, registry: tuple[Path, Screener], tmp_path: Path
) -> None:
    path, screener = registry
    with path.open(encoding="utf-8") as handle:
        rows = [row for row, _ in zip(csv.DictReader(handle), range(1500), strict=False)]
    table = pa.table({column: [row[column] for row in rows] for column in ("name", "birth_date")})
    parquet = tmp_path / "no_ids.parquet"
    pq.write_table(table, parquet, row_group_size=100)
    spark.conf.set("spark.sql.files.maxPartitionBytes", "4096")  # several tasks read it
    try:
        found = spark_screening(parquet, None, screener)
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    local = run_screening(parquet, None, screener, workers=1)
    assert local.hits and found.kept == local.kept
    assert {hit["id"] for hit in found.kept} <= {str(n) for n in range(1, 1501)}


def test_finmon_screen_writes_the_same_file_on_both_engines(spark: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    loaded = runner.invoke(app, ["lists", "load", str(FIXTURES / "un_list_fixture.xml")])
    assert loaded.exit_code == 0, loaded.output
    source = FIXTURES / "customers_fixture.csv"
    written = {}
    for engine in ("local", "spark"):
        out = tmp_path / f"{engine}.csv"
        result = runner.invoke(
            app, ["screen", str(source), "--engine", engine, "--output", str(out)]
        )
        assert result.exit_code in (0, 10), result.output
        written[engine] = out.read_text(encoding="utf-8")
    assert written["spark"] == written["local"]
    assert len(written["local"].splitlines()) > 1  # the fixture's listed customers
    refused = runner.invoke(app, ["screen", str(source), "--engine", "dask"])
    assert refused.exit_code == 2


def test_finmon_monitor_on_spark_writes_the_batch_engines_alerts_on_amlsim(
    spark: Any, tmp_path: Path
) -> None:
    source = shared_file(AMLSIM)
    written = {}
    for engine in ("batch", "spark"):
        out = tmp_path / f"{engine}.csv"
        result = CliRunner().invoke(
            app, ["monitor", str(source), "--engine", engine, "--output", str(out)]
        )
        assert result.exit_code == 0, result.output
        written[engine] = out.read_text(encoding="utf-8")
    assert written["spark"] == written["batch"]
    rules = {row["rule"] for row in csv.DictReader(written["batch"].splitlines())}
    pack = {rule.id: rule for rule in load_pack(None).rules}
    # Both halves ran: rules per bucket of accounts, and path patterns on the driver.
    assert any(local_rule(pack[r]) for r in rules) and any(not local_rule(pack[r]) for r in rules)


def test_any_number_of_buckets_gives_the_same_alerts(spark: Any) -> None:
    plan = plan_monitoring(shared_file(AMLSIM))
    rules = [rule for rule in plan.pack.rules if local_rule(rule)]
    head = plan.transactions[:30000]
    one = monitor_alerts(spark, rules, head, plan.context, buckets=1)
    five = monitor_alerts(spark, rules, head, plan.context, buckets=5)
    assert one and sorted(map(repr, one)) == sorted(map(repr, five))


def test_a_bucket_counts_a_rules_history_from_the_inputs_first_transfer(spark: Any) -> None:
    # A1 and A2 trade on the first day; B1 first sends forty days later, in another bucket,
    # whose own first transfer is B1's: the history has passed for the input, not for B1.
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    rule = Rule("late", "test", "any transfer out", "out", dt.timedelta(days=30), {"count": 1},
                0.5, history=dt.timedelta(days=30))  # fmt: skip
    transfers = [
        Transaction(
            f"T{n}",
            start + dt.timedelta(days=day),
            Decimal(1000),
            "KZT",
            PartyInfo(account=sender),
            PartyInfo(account=receiver),
        )
        for n, (day, sender, receiver) in enumerate([(0, "A1", "A2"), (40, "B1", "B2")])
    ]
    assert bucket_of("A1", 2) != bucket_of("B1", 2) == bucket_of("B2", 2)
    batch = run_batch([rule], transfers, Context())
    assert [a.account for a in batch] == ["B1"]
    assert monitor_alerts(spark, [rule], transfers, Context(), buckets=2) == batch


def test_an_account_lands_in_the_same_bucket_in_every_process() -> None:
    # crc32, not hash(): Python salts str hashes per process, so workers would disagree.
    assert bucket_of("KZ86125KZT5004100100", 7) == 1
    assert {bucket_of(f"A{n}", 4) for n in range(100)} == {0, 1, 2, 3}


def test_spark_refuses_what_it_does_not_read_before_it_starts(tmp_path: Path) -> None:
    from finmon.errors import InputError

    book = tmp_path / "customers.xlsx"
    book.write_bytes(b"")
    with pytest.raises(InputError, match=r"customers\.xlsx: --engine spark reads \.csv"):
        spark_screening(book, None, Screener([]))
    with pytest.raises(InputError, match="cp1251"):
        spark_screening(FIXTURES / "customers_fixture.csv", None, Screener([]), encoding="cp1251")
