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
    from finmon.monitoring.baselines import with_baselines
    from finmon.monitoring.engine import numbered, run_batch, run_stream, with_organisations
    from finmon.monitoring.events import Context, event_frame, ordered, transfer_frame
    from finmon.monitoring.rules import load_pack
    from finmon.transactions.tabular import read_amlsim

    path = shared_data(f"{SAMPLE}/transactions.csv")
    started = time.perf_counter()
    transactions = ordered(read_amlsim(path))
    read_seconds = time.perf_counter() - started
    pack = load_pack()
    rules, context = pack.rules, Context.of(pack)
    batch, batch_seconds = _best(repeat, lambda: run_batch(rules, transactions, context))
    stream, stream_seconds = _best(
        max(1, repeat - 1), lambda: run_stream(rules, transactions, context)
    )
    # DuckDB is given what the engines read from the input before their windows (the
    # counterparties that are organisations, each account's baseline bars), and runs the rest
    # (regular counterparties and corridors too, as window aggregations of its own).
    known = with_baselines(rules, transactions, with_organisations(transactions, context))
    transfers = transfer_frame(transactions, known)
    sides = event_frame(transfers, known)
    sql, sql_seconds = _best(repeat, lambda: duckdb_alerts(rules, transfers, sides, known))
    alerts = numbered(batch)
    same = alerts == numbered(stream) and alerts == numbered(sql)
    suspicion = [a for a in alerts if "report" not in a["evidence"]]
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
        "finmon": _scores({a["account"] for a in suspicion}, labels),
        "finmon_named": _scores(_named_accounts(suspicion, transactions), labels),
        "baseline": max(
            (
                _scores(_below(transactions, cutoff), labels) | {"cutoff": cutoff}
                for cutoff in CUTOFFS
            ),
            key=lambda scores: scores["f1"],
        ),
    }


def duckdb_alerts(rules: Sequence[Any], transfers: Any, sides: Any, context: Any) -> list[Any]:
    """The same rules as SQL in DuckDB over the same transfers and events: each rule's events (a
    WHERE for the transfer rules; joins over the transfers for the path patterns), each group's
    window with a RANGE frame (the window's lower end excluded, as in finmon), the groups that
    reach the thresholds, then finmon's replay of resets on those keys."""
    import duckdb
    import polars as pl

    from finmon.monitoring.engine import replayed

    con = duckdb.connect()
    con.register("transfers", transfers)
    con.register("sides", sides)
    # Regular counterparties (an account on the other side, dealt with either way over more than
    # a month, from a month after it starts, or from the start for one seen in the input's first
    # month) and corridors (the counterparty's country, over more than a month: over the whole
    # input), and the input's first time.
    since = (
        "CASE WHEN min(s.time) OVER {0} <= min(s.time) OVER () + INTERVAL '30 days' "
        "THEN min(s.time) OVER () ELSE min(s.time) OVER {0} + INTERVAL '30 days' END"
    )
    pair = "(PARTITION BY account, party, linked)"
    country = "(PARTITION BY account, upper(coalesce(party_country, '')))"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE events AS
        SELECT s.*,
            linked AND max(s.time) OVER {pair} - min(s.time) OVER {pair} > INTERVAL '30 days'
                AND s.time >= {since.format(pair)} AS regular,
            max(s.time) OVER {country} - min(s.time) OVER {country} > INTERVAL '30 days'
                AS corridor,
            min(s.time) OVER () AS first_time
        FROM (
            SELECT s.*, CASE WHEN direction = 'out' THEN t.dst IS NOT NULL
                             ELSE t.src IS NOT NULL END AS linked
            FROM sides s JOIN transfers t USING (seq)
        ) s
        """
    )
    con.register(
        "segments",
        pl_frame({"account": list(context.segments), "segment": list(context.segments.values())}),
    )
    con.register("listed", pl_frame({"account": sorted(context.listed)}))
    con.register("organisations", pl_frame({"party": sorted(context.organisations or ())}))
    # Pairs of accounts dealing with each other, either way, over more than a month: a path
    # rule's `counterparty_regular` reads them for each transfer of the path, from `since`.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE regular_pairs AS
        WITH start AS (SELECT min(time) AS t FROM transfers)
        SELECT a, b, CASE WHEN min(time) <= (SELECT t FROM start) + INTERVAL '30 days'
            THEN (SELECT t FROM start) ELSE min(time) + INTERVAL '30 days' END AS since FROM (
            SELECT src AS a, dst AS b, time FROM transfers WHERE src IS NOT NULL AND dst IS NOT NULL
            UNION ALL
            SELECT dst, src, time FROM transfers WHERE src IS NOT NULL AND dst IS NOT NULL
        ) GROUP BY a, b HAVING max(time) - min(time) > INTERVAL '30 days'
        """
    )
    alerts = []
    for rule in rules:
        source = (
            f"SELECT * EXCLUDE (linked, regular, corridor, first_time) FROM events "
            f"WHERE {_sql_passes(rule)}"
            if rule.pattern == "transfers"
            else _sql_paths(rule)
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE chosen AS {source}")
        micros = int(rule.window.total_seconds() * 1_000_000) - 1
        reached = con.sql(
            f"""
            SELECT key, epoch_us(time) FROM (
                SELECT key, time,
                    COUNT(*) OVER w AS count,
                    SUM(amount) OVER w AS sum,
                    COUNT(DISTINCT party) OVER w AS distinct_counterparties,
                    COUNT(*) FILTER (WHERE direction = 'in') OVER w AS in_count,
                    COUNT(*) FILTER (WHERE direction = 'out') OVER w AS out_count,
                    coalesce(SUM(amount) FILTER (WHERE direction = 'in') OVER w, 0) AS in_sum,
                    coalesce(SUM(amount) FILTER (WHERE direction = 'out') OVER w, 0) AS out_sum
                FROM chosen
                WINDOW w AS (PARTITION BY key ORDER BY time
                             RANGE BETWEEN to_microseconds({micros}) PRECEDING
                             AND CURRENT ROW)
            ) WHERE {_sql_reaches(rule)}
            GROUP BY key, time ORDER BY key, time
            """
        ).fetchall()
        if not reached:
            continue
        keys = sorted({key for key, _ in reached})
        # Each key's events in the engines' order: time, input order, a transfer's out side
        # before its in side.
        history = con.sql(
            f"SELECT * FROM chosen WHERE key IN ({', '.join('?' * len(keys))})"
            " ORDER BY key, time, seq, direction DESC, ids",
            params=keys,
        ).pl()
        times: dict[str, list[Any]] = {}
        for key, micros_since in reached:
            times.setdefault(key, []).append(EPOCH + dt.timedelta(microseconds=micros_since))
        moments = pl.DataFrame(
            {"key": keys, "time": [sorted(times[key]) for key in keys]},
            schema={"key": pl.String, "time": pl.List(pl.Datetime("us", "UTC"))},
        )
        alerts.extend(replayed(rule, history, moments, context.usual.get(rule.id)))
    return alerts


def pl_frame(columns: dict[str, list[str]]) -> Any:
    import polars as pl

    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def _sql_list(values: Any) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")" if values else "(NULL)"


def _sql_filter(f: Any, segment: str = "segment") -> list[str]:
    """A rule filter's tests on an event or transfer row, as SQL."""
    parts = []
    if f.channels is not None:
        parts.append(f"channel IN {_sql_list(f.channels)}")
    if f.except_channels is not None:
        parts.append(f"channel NOT IN {_sql_list(f.except_channels)}")
    if f.amount_below is not None:
        parts.append(f"amount < {f.amount_below * 10_000}")
    if f.amount_at_least is not None:
        parts.append(f"amount >= {f.amount_at_least * 10_000}")
    if f.cross_border is not None:
        parts.append(
            f"coalesce(cross_border, {str(not f.cross_border).upper()}) = {f.cross_border}"
        )
    if f.cash_or_abroad is not None:
        leaves = "(channel = 'cash' OR coalesce(cross_border, FALSE))"
        parts.append(f"{leaves} = {f.cash_or_abroad}")
    if f.same_owner is not None:
        parts.append(f"same_owner = {f.same_owner}")
    if f.counterparty_organisation is not None:
        test = "IN" if f.counterparty_organisation else "NOT IN"
        parts.append(f"party {test} (SELECT party FROM organisations)")
    if f.segments is not None:
        parts.append(f"lower(coalesce({segment}, '')) IN {_sql_list(f.segments)}")
    if f.except_segments is not None:
        parts.append(f"lower(coalesce({segment}, '')) NOT IN {_sql_list(f.except_segments)}")
    if f.counterparty_countries is not None:
        parts.append(f"upper(coalesce(party_country, '')) IN {_sql_list(f.counterparty_countries)}")
    if f.counterparty_regular is not None:
        parts.append(f"regular = {f.counterparty_regular}")
    if f.corridor_regular is not None:
        parts.append(f"corridor = {f.corridor_regular}")
    return parts


def _sql_passes(rule: Any) -> str:
    parts = _sql_filter(rule.filter)
    if rule.history is not None:
        micros = int(rule.history.total_seconds() * 1_000_000)
        parts.append(f"time - first_time >= INTERVAL '{micros} microseconds'")
    if rule.direction != "both":
        parts.append(f"direction = '{rule.direction}'")
    for side, f in rule.sides.items():
        side_parts = _sql_filter(f) or ["TRUE"]
        parts.append(f"(direction <> '{side}' OR ({' AND '.join(side_parts)}))")
    return " AND ".join(parts) or "TRUE"


def _sql_paths(rule: Any) -> str:
    """A path rule's events as SQL over the transfers: its chains grown one join at a time."""
    segment_free = type(rule.filter)(
        **{
            name: getattr(rule.filter, name)
            for name in rule.filter.__slots__
            if name not in ("segments", "except_segments", "counterparty_regular")
        }
    )
    edge_tests = _sql_filter(segment_free)
    if rule.filter.counterparty_regular is not None:
        known = "(SELECT 1 FROM regular_pairs r WHERE r.a = src AND r.b = dst AND time >= r.since)"
        edge_tests.append(f"{'' if rule.filter.counterparty_regular else 'NOT '}EXISTS {known}")
    edge_filter = " AND ".join(edge_tests) or "TRUE"
    window = f"INTERVAL '{int(rule.window.total_seconds() * 1_000_000)} microseconds'"
    # Money passed on: at most the first transfer's amount, less at most the tolerance.
    tolerance = (
        f" AND c.a1 - e.amount >= 0 AND c.a1 - e.amount <= {rule.tolerance} * c.a1"
        if rule.tolerance is not None
        else ""
    )
    sep = "chr(31)"
    ctes = [
        f"e AS (SELECT seq, time, src, dst, amount, channel, id FROM transfers WHERE src IS NOT "
        f"NULL AND dst IS NOT NULL AND src <> dst AND {edge_filter})",
        "c1 AS (SELECT src AS origin, [src] AS origins, id AS ids, amount AS a1, time AS t1, "
        "seq AS last_seq, dst AS end_ FROM e)",
    ]

    def grow(k: int) -> None:
        ctes.append(
            f"g{k} AS (SELECT c.origin, list_append(c.origins, c.end_) AS origins, c.ids || {sep} "
            f"|| e.id AS ids, c.a1, c.t1, e.seq, e.time, e.amount, e.channel, e.dst, c.end_ AS mid "
            f"FROM c{k - 1} c JOIN e ON e.src = c.end_ AND e.seq > c.last_seq "
            f"AND e.time - c.t1 <= {window}{tolerance})"
        )

    def event(select_from: str, account: str, party: str, key: str | None = None) -> str:
        return (
            f"SELECT seq, {key or account} AS key, {account} AS account, time, 'path' AS "
            f"direction, amount, {party} AS party, NULL::VARCHAR AS party_country, "
            f"NULL::BOOLEAN AS cross_border, channel, FALSE AS same_owner, NULL::VARCHAR AS "
            f"segment, ids FROM {select_from}"
        )

    parts = []
    if rule.pattern == "cycle":
        for k in range(2, rule.hops + 1):
            grow(k)
            parts.append(
                event(
                    f"(SELECT *, unnest(origins) AS member FROM g{k} WHERE dst = origin)",
                    "member",
                    "origin",
                )
            )
            ctes.append(
                f"c{k} AS (SELECT origin, origins, ids, a1, t1, seq AS last_seq, dst AS end_ "
                f"FROM g{k} WHERE NOT list_contains(origins, dst))"
            )
    elif rule.pattern == "scatter_gather":
        grow(2)
        parts.append(event("g2 WHERE dst <> origin", "dst", "mid", f"dst || {sep} || origin"))
    else:
        listed = "(SELECT account FROM listed)"
        parts.append(
            event(
                f"(SELECT *, id AS ids FROM e WHERE (src IN {listed}) <> (dst IN {listed}))",
                f"CASE WHEN src IN {listed} THEN dst ELSE src END",
                f"CASE WHEN src IN {listed} THEN src ELSE dst END",
            )
        )
        if rule.hops == 2:
            grow(2)
            pairs = f"g2 WHERE dst <> origin AND (origin IN {listed} OR dst IN {listed})"
            parts.append(
                event(f"{pairs} AND origin IN {listed} AND dst NOT IN {listed}", "dst", "origin")
            )
            parts.append(
                event(f"{pairs} AND dst IN {listed} AND origin NOT IN {listed}", "origin", "dst")
            )
    found = " UNION ALL ".join(parts)
    segment_test = (
        " AND ".join(
            _sql_filter(
                type(rule.filter)(
                    segments=rule.filter.segments, except_segments=rule.filter.except_segments
                ),
                segment="s.segment",
            )
        )
        or "TRUE"
    )
    return (
        f"WITH {', '.join(ctes)} SELECT f.* FROM ({found}) f "
        f"LEFT JOIN segments s ON s.account = f.account WHERE {segment_test}"
    )


def _sql_reaches(rule: Any) -> str:
    parts = []
    for key, value in rule.condition.items():
        if key == "out_in_ratio":
            parts.append(
                f"(in_sum > 0 AND out_sum >= {value} * in_sum AND {value} * out_sum <= in_sum)"
            )
        elif key == "out_in_at_least":
            parts.append(f"(in_sum > 0 AND out_sum >= {value} * in_sum)")
        elif key in ("count", "distinct_counterparties", "in_count", "out_count"):
            parts.append(f"{key} >= {value}")
        else:
            parts.append(f"{key} >= {value * 10_000}")
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
    base, ours, named = report["baseline"], report["finmon"], report["finmon_named"]
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
        f"- account level on the sample's labels (an account is flagged when an alert is about "
        f"it): the TF pack flags {ours['flagged']:,} accounts, precision "
        f"{ours['precision']:.3f}, recall {ours['recall']:.3f}, F1 {ours['f1']:.3f}; counting "
        f"also both sides of every transfer an alert names: {named['flagged']:,} accounts, "
        f"precision {named['precision']:.3f}, recall {named['recall']:.3f}, F1 {named['f1']:.3f}. "
        f"The amounts-only baseline (any transfer below {base['cutoff']} USD, the cutoff with the "
        f"best F1 on this file) flags {base['flagged']:,}, precision {base['precision']:.3f}, "
        f"recall {base['recall']:.3f}, F1 {base['f1']:.3f}. The sample's laundering transfers "
        "are tiny, an artefact of its generator that amounts alone exploit; the pack's rules look "
        "for structure (ten distinct small senders into one account within two weeks, "
        "pass-through, cycles, scatter-gather) with thresholds set for terrorist financing in "
        "KZT, not tuned to this file",
        "",
        "Reproduce: `python bench/monitor.py`",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
