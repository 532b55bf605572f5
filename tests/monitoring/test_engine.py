"""Monitoring rules: each rule of the shipped pack fires on its pattern and not below it, an
alert uses up its window, and the batch and streaming engines give identical alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finmon.errors import InputError
from finmon.monitoring.engine import Monitor, numbered, run_batch, run_stream
from finmon.monitoring.rules import Filter, Rule, load_pack
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.tabular import read_amlsim
from tests.conftest import shared_file

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PACK = {rule.id: rule for rule in load_pack()}


def transfer(
    n: int,
    hours: float,
    sender: str,
    receiver: str,
    amount: str = "100",
    channel: str = "transfer",
    sender_country: str | None = "KZ",
    receiver_country: str | None = "KZ",
) -> Transaction:
    return Transaction(
        id=f"T{n}",
        timestamp=START + dt.timedelta(hours=hours),
        amount=Decimal(amount),
        currency="USD",
        originator=PartyInfo(account=sender, country=sender_country),
        beneficiary=PartyInfo(account=receiver, country=receiver_country),
        channel=channel,
    )


def both(rules: list[Rule], transactions: list[Transaction]) -> list[dict[str, object]]:
    """The alerts, checked to be the same from both engines."""
    batch = numbered(run_batch(rules, transactions))
    assert numbered(run_stream(rules, transactions)) == batch
    return batch


def test_a_funnel_fires_at_the_eighth_sender_within_the_week_and_not_before() -> None:
    rule = PACK["funnel_account"]
    seven = [transfer(i, 20 * i, f"S{i}", "COLLECT") for i in range(7)]
    assert both([rule], seven) == []
    eighth = [*seven, transfer(7, 140, "S7", "COLLECT")]
    (alert,) = both([rule], eighth)
    assert alert["account"] == "COLLECT"
    assert alert["transaction_ids"] == [f"T{i}" for i in range(8)]
    assert alert["evidence"] == {"count": 8, "sum": "800", "distinct_counterparties": 8}
    late = [*seven, transfer(7, 7 * 24 + 1, "S7", "COLLECT")]  # T0 has left the window
    assert both([rule], late) == []
    same_sender = [*seven, transfer(7, 140, "S6", "COLLECT")]
    assert both([rule], same_sender) == []
    large = [*seven, transfer(7, 140, "S7", "COLLECT", amount="1000")]  # not a small sum
    assert both([rule], large) == []


def test_an_alert_uses_up_its_window() -> None:
    rule = PACK["funnel_account"]
    first = [transfer(i, i, f"S{i}", "COLLECT") for i in range(8)]
    more = [transfer(8 + i, 10 + i, f"R{i}", "COLLECT") for i in range(7)]
    assert len(both([rule], first + more)) == 1  # seven new senders are not eight
    eighth = transfer(15, 20, "R7", "COLLECT")
    alerts = both([rule], [*first, *more, eighth])
    assert [a["transaction_ids"][0] for a in alerts] == ["T0", "T8"]


def test_fan_out_structuring_and_high_risk_transfers_fire_on_their_patterns() -> None:
    scatter = [transfer(i, i, "PAYER", f"B{i}", amount="50") for i in range(8)]
    assert [a["rule"] for a in both(list(PACK.values()), scatter)] == ["fan_out"]
    cash = [
        transfer(i, 10 * i, "CASH", "SAVER", amount=amount, channel="cash")
        for i, amount in enumerate(["9500", "9900", "8700"])
    ]
    assert [a["rule"] for a in both(list(PACK.values()), cash)] == ["structured_cash"]
    above = [*cash[:2], transfer(2, 20, "CASH", "SAVER", amount="12000", channel="cash")]
    assert both([PACK["structured_cash"]], above) == []
    abroad = [
        transfer(0, 0, "SENDER", "X1", receiver_country="IR"),
        transfer(1, 24 * 20, "SENDER", "X2", receiver_country="IR"),
    ]
    (alert,) = both([PACK["high_risk_transfers"]], abroad)
    assert alert["account"] == "SENDER"
    neighbours = [transfer(i, i, "SENDER", f"X{i}", receiver_country="TJ") for i in range(3)]
    assert both([PACK["high_risk_transfers"]], neighbours) == []


def test_the_engines_agree_on_the_amlsim_sample() -> None:
    transactions = read_amlsim(shared_file("tm/amlsim_20K_fanin200/transactions.csv"))
    transactions.sort(key=lambda t: t.timestamp)
    alerts = both(list(PACK.values()), transactions)
    assert alerts  # the sample holds fan-in patterns
    assert {a["rule"] for a in alerts} <= set(PACK)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 200),  # hours from the start (ties are common)
            st.sampled_from(["A", "B", "C", "D"]),
            st.sampled_from(["A", "B", "C", "D", "E"]),
            st.sampled_from(["1", "499.99", "500", "1200.5"]),
            st.sampled_from(["cash", "wire"]),
            st.sampled_from(["KZ", "IR", None]),
        ),
        max_size=60,
    ),
    st.integers(1, 4),
    st.integers(1, 72),
)
def test_the_engines_agree_on_any_input(
    rows: list[tuple[int, str, str, str, str, str | None]], threshold: int, hours: int
) -> None:
    transactions = sorted(
        (
            transfer(n, h, s, r, amount=a, channel=c, receiver_country=country)
            for n, (h, s, r, a, c, country) in enumerate(rows)
        ),
        key=lambda t: t.timestamp,
    )
    window = dt.timedelta(hours=hours)
    rules = [
        Rule("in_parties", "t", "", "in", window, {"distinct_counterparties": threshold}, 0.5),
        Rule(
            "out_sum",
            "t",
            "",
            "out",
            window,
            {"sum": 500 * threshold, "count": threshold},
            0.5,
            Filter(amount_below=1000),
        ),
        Rule(
            "cash_abroad",
            "t",
            "",
            "in",
            window,
            {"count": threshold},
            0.5,
            Filter(channels=frozenset({"cash"}), cross_border=True, amount_at_least=500),
        ),
        Rule(
            "to_iran",
            "t",
            "",
            "out",
            window,
            {"count": threshold},
            0.5,
            Filter(counterparty_countries=frozenset({"IR"}), cross_border=False),
        ),
    ]
    both(rules, transactions)


def test_the_streaming_engine_refuses_transfers_out_of_time_order() -> None:
    monitor = Monitor(list(PACK.values()))
    monitor.feed(transfer(0, 10, "S", "R"))
    with pytest.raises(InputError, match="time order"):
        monitor.feed(transfer(1, 5, "S", "R"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules: [", "not valid YAML"),
        ("rules: {}", "a list under 'rules:'"),
        (
            "rules:\n  - {id: a, typology: t, direction: up, window: 1d, condition: {count: 1}, "
            "score: 0.5}",
            "direction 'up'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1w, condition: {count: 1}, "
            "score: 0.5}",
            "window '1w'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {median: 1}, "
            "score: 0.5}",
            "condition 'median'",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5, religion: x}",
            "unknown field(s) religion",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5, filter: {counterparty_countries: high_risk}}",
            "jurisdictions",
        ),
        (
            "rules:\n  - {id: a, typology: t, direction: in, window: 1d, condition: {count: 1}, "
            "score: 0.5}\n  - {id: a, typology: t, direction: in, window: 1d, "
            "condition: {count: 1}, score: 0.5}",
            "used twice",
        ),
    ],
)
def test_a_bad_rules_pack_is_refused_naming_the_rule(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_pack(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_finmon_monitor_writes_the_contract_columns_the_same_from_both_engines(
    tmp_path: Path,
) -> None:
    import csv

    from typer.testing import CliRunner

    from finmon.cli import app
    from finmon.store.transactions import ALERT_COLUMNS

    source = shared_file("tm/amlsim_20K_fanin200/transactions.csv")
    written = {}
    for engine in ("batch", "stream"):
        out = tmp_path / f"{engine}.csv"
        result = CliRunner().invoke(
            app, ["monitor", str(source), "--engine", engine, "--output", str(out)]
        )
        assert result.exit_code == 0, result.output
        written[engine] = out.read_text(encoding="utf-8")
    assert written["batch"] == written["stream"]
    with (tmp_path / "batch.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == ALERT_COLUMNS
    assert rows and all(row["rule"] == "funnel_account" for row in rows)
    refused = CliRunner().invoke(app, ["monitor", str(source), "--engine", "magic"])
    assert refused.exit_code == 2
