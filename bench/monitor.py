"""Transaction monitoring: throughput of both engines beside the same rules in DuckDB SQL, and
account-level detection on the AMLSim fan-in sample beside the amounts-only baseline.

    python bench/monitor.py [--repeat 3] [--no-docs]

On `../shared/data/tm/amlsim_20K_fanin200/` (118,250 transfers): finmon's batch engine (polars)
and streaming engine run the shipped TF pack over the transfers already read; DuckDB runs the same
rules written by hand as SQL window queries (RANGE frames, COUNT(DISTINCT)) over the same events,
followed by the same replay of resets, and must give the same alerts. Then the accounts the alerts
name (the account and the counterparties in its window) are scored against the sample's labels,
beside the amounts-only baseline: flag every account that sent or received a transfer below a
cutoff, the cutoff chosen to give the baseline its best F1 (an upper bound for amounts alone; the
sample's laundering transfers are tiny, a known artefact of its generator). The TF pack is not
tuned to this file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common import ROOT, code_version, machine, replace_section, shared_data

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = "tm/amlsim_20K_fanin200"
HEADING = "## Transaction monitoring"
BACKTEST_TARGET = 200_000
STREAM_TARGET = 20_000
CUTOFFS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()
    report = run(args.repeat)
    text = render(report)
    print(text)
    if not args.no_docs:
        replace_section(ROOT / "docs" / "benchmarks.md", HEADING, text)
        print(f"{HEADING[3:]} section written to docs/benchmarks.md")


def run(repeat: int) -> dict[str, Any]:
    from finmon.monitoring.engine import event_frame, numbered, run_batch, run_stream
    from finmon.monitoring.rules import load_pack
    from finmon.transactions.tabular import read_amlsim

    path = shared_data(f"{SAMPLE}/transactions.csv")
    started = time.perf_counter()
    transactions = sorted(read_amlsim(path), key=lambda t: t.timestamp)
    read_seconds = time.perf_counter() - started
    rules = load_pack()
    batch, batch_seconds = _best(repeat, lambda: run_batch(rules, transactions))
    stream, stream_seconds = _best(max(1, repeat - 1), lambda: run_stream(rules, transactions))
    frame = event_frame(transactions)
    sql, sql_seconds = _best(repeat, lambda: duckdb_alerts(rules, frame))
    alerts = numbered(batch)
    same = alerts == numbered(stream) and alerts == numbered(sql)
    named = _named_accounts(alerts, transactions)
    labels = _labels(shared_data(f"{SAMPLE}/nodes.csv"))
    return {
        "code": code_version(),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "transactions": len(transactions),
        "read_seconds": read_seconds,
        "rules": [rule.id for rule in rules],
        "batch_seconds": batch_seconds,
        "stream_seconds": stream_seconds,
        "sql_seconds": sql_seconds,
        "alerts": len(alerts),
        "same": same,
        "by_rule": _count(a["rule"] for a in alerts),
        "finmon": _scores(named, labels),
        "baseline": max(
            (
                _scores(_below(transactions, cutoff), labels) | {"cutoff": cutoff}
                for cutoff in CUTOFFS
            ),
            key=lambda scores: scores["f1"],
        ),
    }


def duckdb_alerts(rules: Sequence[Any], frame: Any) -> list[Any]:
    """The same rules as SQL in DuckDB over the same events: each group's window with a RANGE
    frame (the window's lower end excluded, as in finmon), the groups that reach the thresholds,
    then finmon's replay of resets on those accounts."""
    import duckdb

    from finmon.monitoring.engine import UNITS, _events, _replay

    con = duckdb.connect()
    alerts = []
    for rule in rules:
        where = _sql_filter(rule)
        micros = int(rule.window.total_seconds() * 1_000_000) - 1
        bars = {
            "count": "n",
            "sum": "total",
            "distinct_counterparties": "parties",
        }
        reach = " AND ".join(
            f"{bars[key]} >= {value * UNITS if key == 'sum' else value}"
            for key, value in rule.condition.items()
        )
        con.execute(f"CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM frame WHERE {where}")
        reached = con.sql(
            f"""
            SELECT account, epoch_us(time) FROM (
                SELECT account, time,
                    COUNT(*) OVER w AS n,
                    SUM(amount) OVER w AS total,
                    COUNT(DISTINCT party) OVER w AS parties
                FROM events
                WINDOW w AS (PARTITION BY account ORDER BY time
                             RANGE BETWEEN to_microseconds({micros}) PRECEDING
                             AND CURRENT ROW)
            ) WHERE {reach}
            GROUP BY account, time ORDER BY account, time
            """
        ).fetchall()
        if not reached:
            continue
        accounts = sorted({account for account, _ in reached})
        histories = (
            con.sql(
                f"SELECT * FROM events WHERE account IN ({', '.join('?' * len(accounts))})"
                " ORDER BY account, time, seq",
                params=accounts,
            )
            .pl()
            .partition_by("account", as_dict=True)
        )
        times: dict[str, list[Any]] = {}
        for account, micros_since in reached:
            times.setdefault(account, []).append(EPOCH + dt.timedelta(microseconds=micros_since))
        for account in accounts:
            alerts.extend(_replay(rule, account, _events(histories[(account,)]), times[account]))
    return alerts


def _sql_filter(rule: Any) -> str:
    f = rule.filter
    parts = [f"direction = '{rule.direction}'"]
    if f.channels is not None:
        parts.append("channel IN (" + ", ".join(f"'{c}'" for c in sorted(f.channels)) + ")")
    if f.amount_below is not None:
        parts.append(f"amount < {f.amount_below * 10_000}")
    if f.amount_at_least is not None:
        parts.append(f"amount >= {f.amount_at_least * 10_000}")
    if f.cross_border is not None:
        parts.append(f"cross_border IS {str(f.cross_border).upper()}")
    if f.counterparty_countries is not None:
        listed = ", ".join(f"'{c}'" for c in sorted(f.counterparty_countries))
        parts.append(f"upper(coalesce(party_country, '')) IN ({listed})")
    return " AND ".join(parts)


def _best(repeat: int, work: Callable[[], list[Any]]) -> tuple[list[Any], float]:
    best, result = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return result, best


def _named_accounts(alerts: Sequence[dict[str, Any]], transactions: Sequence[Any]) -> set[str]:
    """Every account an alert names: its own, and both sides of the transfers in its window."""
    by_id = {t.id: t for t in transactions}
    named: set[str] = set()
    for alert in alerts:
        named.add(alert["account"])
        for transaction_id in alert["transaction_ids"]:
            transfer = by_id[transaction_id]
            named.update(
                a for a in (transfer.originator.account, transfer.beneficiary.account) if a
            )
    return named


def _below(transactions: Sequence[Any], cutoff: float) -> set[str]:
    flagged: set[str] = set()
    for t in transactions:
        if t.amount < cutoff:
            flagged.update(a for a in (t.originator.account, t.beneficiary.account) if a)
    return flagged


def _labels(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        return {row["nodeid"] for row in csv.DictReader(handle) if row["isFraud"] == "1"}


def _scores(flagged: set[str], fraud: set[str]) -> dict[str, Any]:
    hits = len(flagged & fraud)
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(fraud) if fraud else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "flagged": len(flagged),
        "hits": hits,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def render(report: dict[str, Any]) -> str:
    n = report["transactions"]
    rows = [
        ("finmon batch (polars)", report["batch_seconds"]),
        ("finmon streaming", report["stream_seconds"]),
        ("DuckDB SQL, the same rules (window queries + the same replay)", report["sql_seconds"]),
    ]
    base, ours = report["baseline"], report["finmon"]
    by_rule = ", ".join(f"{k} {v}" for k, v in sorted(report["by_rule"].items())) or "none"
    lines = [
        f"Run {report['date']} on {report['machine']}, {report['code']}. Data: the AMLSim fan-in "
        f"sample `{SAMPLE}` ({n:,} transfers, read in {report['read_seconds']:.2f} s, not "
        f"counted below). Rules: the shipped TF pack ({', '.join(report['rules'])}).",
        "",
        "| engine | seconds | transfers/s | target |",
        "|---|---:|---:|---|",
    ]
    targets = [f">= {BACKTEST_TARGET:,}/s", f">= {STREAM_TARGET:,}/s", "-"]
    for (label, seconds), target in zip(rows, targets, strict=True):
        lines.append(f"| {label} | {seconds:.3f} | {n / seconds:,.0f} | {target} |")
    lines += [
        "",
        f"- the same alerts from all three: {'yes' if report['same'] else 'NO'} "
        f"({report['alerts']} alerts: {by_rule})",
        f"- batch: {n / report['batch_seconds']:,.0f} transfers/s (target >= "
        f"{BACKTEST_TARGET:,}): "
        + ("met" if n / report["batch_seconds"] >= BACKTEST_TARGET else "MISSED")
        + f"; DuckDB's SQL took {report['sql_seconds'] / report['batch_seconds']:.1f}x as long",
        f"- streaming: {n / report['stream_seconds']:,.0f} transfers/s (target >= "
        f"{STREAM_TARGET:,}): "
        + ("met" if n / report["stream_seconds"] >= STREAM_TARGET else "MISSED"),
        f"- account level on the sample's labels: the TF pack flags {ours['flagged']:,} accounts, "
        f"precision {ours['precision']:.3f}, recall {ours['recall']:.3f}, F1 {ours['f1']:.3f}; "
        f"the amounts-only baseline (any transfer below {base['cutoff']}) flags "
        f"{base['flagged']:,}, precision {base['precision']:.3f}, recall {base['recall']:.3f}, "
        f"F1 {base['f1']:.3f}. The sample's fan-ins are small (200 patterns over 954 accounts) "
        "and its laundering amounts tiny; the pack's funnel rule (8 distinct small senders in a "
        "week) is set for terrorist-financing collection accounts and is not tuned to this file",
        "",
        "Reproduce: `python bench/monitor.py`",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
