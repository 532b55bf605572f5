"""Baselines from the data itself: what is usual for an account, against its own history.

A rule with `baseline: {distinct_counterparties: 3}` fires only when its window also holds at
least three times what is usual for the account: the median, over the account's periods of the
rule's window length from its first transfer to the end of the input (empty periods counted),
of the same measure over the same events (those the rule's filter takes). A seller paid by
dozens of buyers every fortnight, a landlord with six tenants, a migrant who sends money home
every week have a high usual value, and their ordinary month does not fire; an account that
suddenly collects from many people, or sends for the first time where it never sent, has a usual
value of zero or near it, and the rule's own thresholds decide. An account with one period of
history has nothing to compare with: its usual value is that period's and the rule holds it to a
multiple of what it is doing, so a customer new to the data is judged on the rule's thresholds
only when the multiple does not exceed them (the thresholds always apply too).

The usual values are computed once over the whole input before either engine runs
(`with_baselines`), and both engines compare each window with the same value, so they still
give identical alerts. A streaming monitor fed live transfers takes its usual values from a
history given in its Context; without one every usual value is zero (the fixed thresholds only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from finmon.monitoring.events import Context, event_frame, ordered, passes_expr, transfer_frame
from finmon.monitoring.rules import Rule
from finmon.transactions.model import Transaction

Bars = Mapping[str, Mapping[str, Mapping[str, float]]]
"""rule id -> measure -> account -> the least value its windows must hold (counts, or sums in
1/UNITS of the pack's currency)."""


def needs_baselines(rules: Sequence[Rule], context: Context) -> bool:
    """Whether some rule compares with a baseline the context does not hold yet."""
    return any((rule.baseline or rule.peer) and rule.id not in context.usual for rule in rules)


def with_baselines(
    rules: Sequence[Rule], transactions: Sequence[Transaction], context: Context
) -> Context:
    """The context with every baseline rule's usual values, computed over these transactions."""
    import polars as pl

    chosen = [
        rule for rule in rules if (rule.baseline or rule.peer) and rule.id not in context.usual
    ]
    if not chosen:
        return context
    transfers = transfer_frame(ordered(transactions), context)
    if transfers.is_empty():
        return dataclasses.replace(context, usual={**context.usual, **{r.id: {} for r in chosen}})
    sides = event_frame(transfers, context).lazy()
    # Each account's history starts at its first transfer, whatever the rule takes.
    first = sides.group_by("key").agg(
        pl.col("time").min().alias("first"), pl.col("segment").first()
    )
    end = transfers["time"].max()
    plans = []
    for rule in chosen:
        plans += _plans(rule, sides, first, end, context.organisations or frozenset())
    frames = pl.collect_all(plans)
    found = dict(context.usual)
    for index, rule in enumerate(chosen):
        found[rule.id] = _bars(rule, frames[2 * index], frames[2 * index + 1])
    return dataclasses.replace(context, usual=found)


def _plans(
    rule: Rule, sides: Any, first: Any, end: Any, organisations: frozenset[str]
) -> list[Any]:
    """Each account's measures per period of the rule's window from its first transfer (with
    its segment), and its number of periods to the end of the input."""
    import polars as pl

    from finmon.monitoring.engine import measures

    period = rule.window // dt.timedelta(microseconds=1)
    events = sides.filter(passes_expr(rule, organisations)).join(
        first.drop("segment"), on="key", how="left"
    )
    events = events.with_columns(
        ((pl.col("time") - pl.col("first")).dt.total_microseconds() // period).alias("period")
    )
    every = measures()
    per_period = events.group_by("key", "period").agg(*(every[m].alias(m) for m in _measures(rule)))
    periods = first.select(
        "key",
        "segment",
        ((pl.lit(end) - pl.col("first")).dt.total_microseconds() // period + 1).alias("periods"),
    )
    return [per_period, periods]


def _measures(rule: Rule) -> list[str]:
    return sorted({*rule.baseline, *rule.peer})


def _bars(rule: Rule, per_period: Any, periods: Any) -> dict[str, dict[str, float]]:
    """Per measure and account, the least value a window must hold: `factor` times the median
    over the account's periods (the empty ones as zeros), and at least the peer group's
    percentile of the accounts' largest period."""
    count = dict(zip(periods["key"], periods["periods"], strict=True))
    group_of = {
        key: segment or "" for key, segment in zip(periods["key"], periods["segment"], strict=True)
    }
    members: dict[str, int] = {}
    for group in group_of.values():
        members[group] = members.get(group, 0) + 1
    found: dict[str, dict[str, float]] = {}
    for measure in _measures(rule):
        values: dict[str, list[float]] = {}
        for key, value in zip(per_period["key"], per_period[measure], strict=True):
            values.setdefault(key, []).append(float(value))
        bars: dict[str, float] = {}
        factor = rule.baseline.get(measure)
        if factor is not None:
            for key, seen in values.items():
                bars[key] = factor * _median(seen, max(int(count[key]), len(seen)))
        share = rule.peer.get(measure)
        if share is not None:
            largest: dict[str, list[float]] = {}
            for key, seen in values.items():
                largest.setdefault(group_of.get(key, ""), []).append(max(seen))
            peer = {
                group: _percentile(found_, members.get(group, len(found_)), share)
                for group, found_ in largest.items()
            }
            for key in values:
                bars[key] = max(bars.get(key, 0.0), peer[group_of.get(key, "")])
        found[measure] = bars
    return found


def _median(seen: list[float], total: int) -> float:
    """The median of the values seen and (total - len(seen)) zeros."""
    ranked = [0.0] * (total - len(seen)) + sorted(seen)
    middle = total // 2
    return ranked[middle] if total % 2 else (ranked[middle - 1] + ranked[middle]) / 2


def _percentile(seen: list[float], total: int, share: float) -> float:
    """The value at `share` (nearest rank) of the values seen and (total - len(seen)) zeros."""
    total = max(total, len(seen))
    rank = max(1, math.ceil(share * total))
    zeros = total - len(seen)
    if rank <= zeros:
        return 0.0
    return sorted(seen)[rank - zeros - 1]
