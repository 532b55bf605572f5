"""Baselines from the data itself: a window against the account's own usual activity and
against its peer group.

Own history. A rule with `baseline: {count: 3}` fires only when its window also holds at least
three times what the account usually does in a period, where usual is the account's average per
period (the rule's window, or a month when the window is shorter, so that a monthly rhythm counts)
over the rest of the input: from its first transfer to the end of the input, outside the window,
of the same measure over the same events (those the rule's filter takes). A seller paid by dozens
of buyers every fortnight, a landlord with six tenants, a migrant who sends money home every week
are usually doing what the window holds, and do not fire; an account that suddenly collects from
many people, or starts sending where it never sent, usually does little or none of it, and the
rule's own thresholds decide. With `total` the measure over the whole input and `outside` the
periods outside the window, "window >= factor x (total - window) / outside" is
"window >= factor x total / (outside + factor)": one bar per account, whatever the window, so
both engines compare every window with the same number. The measures that add up over events
take a baseline: count, sum, in_count, out_count, in_sum, out_sum. An account with less than a
period of history beside the window has nothing to compare with, and the rule's thresholds alone
decide.

Peer group. A rule with `peer: {in_sum: 0.99}` fires only when its window also holds at least
the 99th percentile, over the accounts of the account's segment (accounts without such events
counted as zero), of each account's largest period: what is ordinary for many of its peers is
not a sign. Peer groups are segments (retail, business, npo ... from the accounts table or read
from legal forms): never a protected attribute.

Regular counterparties. A filter `counterparty_regular: false` takes only the transfers with a
counterparty that is not regular for the account at the transfer's time: new or one-off. One it
deals with (either way) more than a month apart (`regular_pairs`: the crew a foreman pays each
month, the relative a migrant sends to all year, the landlord's tenants) is part of its usual
life, and money passed on to such people is not a sign - from the time the relationship is a
month old (`regular_since`), never earlier: a transfer is not judged by dealings that come
months after it (a pass-through account forwarding to the same beneficiary every few months is
new at its first forward). A relationship already seen in the input's first month may be older
than the input and is regular from the start. A corridor (`corridor_regular`, the counterparty's
country) used over more than a month is regular over the whole input: judged at the time, new
corridors of ordinary people (a family's first months of sending home, a move abroad) were
alerted several times as often (docs/monitoring.md). Cash has no counterparty account and is
never regular.

The bars are computed once over the whole input before either engine runs (`with_baselines`),
so the engines still give identical alerts. A streaming monitor fed live transfers takes its bars
from a history given in its Context (`with_baselines` over last months); without one every bar is
zero and the rules' thresholds alone decide.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from finmon.monitoring.events import (
    MONTH,
    PAIR,
    Context,
    event_frame,
    ordered,
    passes_expr,
    regular_since,
    transfer_frame,
)
from finmon.monitoring.rules import Rule
from finmon.transactions.model import Transaction

Bars = Mapping[str, Mapping[str, Mapping[str, float]]]
"""rule id -> measure -> account -> the least value its windows must hold (counts, or sums in
1/UNITS of the pack's currency)."""


def uses_regular(rules: Sequence[Rule]) -> bool:
    """Whether a rule filters by regular counterparties or corridors."""
    return any(
        f.counterparty_regular is not None or f.corridor_regular is not None
        for rule in rules
        for f in (rule.filter, *rule.sides.values())
    )


def needs_regular(rules: Sequence[Rule], context: Context) -> bool:
    """Whether a rule filters by regular counterparties and the context has not read them."""
    return context.regular is None and uses_regular(rules)


def with_regular(rules: Sequence[Rule], transfers: Any, context: Context) -> Context:
    """The context with the input's regular counterparties, when a rule needs them (transfers:
    the transactions, or a transfer_frame)."""
    if not needs_regular(rules, context):
        return context
    if not hasattr(transfers, "lazy"):
        transfers = transfer_frame(ordered(transfers), context)
    return dataclasses.replace(context, regular=regular_pairs(transfers))


def regular_pairs(transfers: Any) -> dict[str, dt.datetime]:
    """Each account's regular counterparties ("account PAIR counterparty": both sides hold an
    account) and corridors ("account PAIR PAIR country"): those whose transfers with the
    account, either way, lie more than a month apart (over a transfer_frame), each with the time
    from which it is regular (regular_since)."""
    import polars as pl

    pairs, corridors = _regular(transfers)
    keys = pl.concat(
        [
            pairs.select(pl.concat_str("account", "party", separator=PAIR).alias("key"), "since"),
            corridors.select(
                pl.concat_str("account", "country", separator=PAIR * 2).alias("key"), "since"
            ),
        ]
    ).collect()
    since = [time.astimezone(dt.UTC) for time in keys["since"].to_list()]
    return dict(zip(keys["key"].to_list(), since, strict=True))


def _regular(transfers: Any) -> tuple[Any, Any]:
    """regular_pairs() as two LazyFrames: (account, party, since) and (account, country,
    since)."""
    import polars as pl

    lazy = transfers.lazy()
    found = []
    for src, dst in (("src", "dst"), ("dst", "src")):
        sides = lazy.filter(pl.col(src).is_not_null()).select(
            pl.col(src).alias("account"),
            pl.when(pl.col(dst).is_not_null()).then(pl.col(f"{dst}_party")).alias("party"),
            pl.col(f"{dst}_country").fill_null("").str.to_uppercase().alias("country"),
            "time",
        )
        found.append(sides)
    sides = pl.concat(found).with_columns(pl.col("time").min().alias("start"))
    dealings = [
        (pl.col("time").max() - pl.col("time").min()).alias("span"),
        regular_since(pl.col("time").min(), pl.col("start").first()).alias("since"),
    ]
    pairs = (
        sides.filter(pl.col("party").is_not_null())
        .group_by("account", "party")
        .agg(dealings)
        .filter(pl.col("span") > MONTH)
        .select("account", "party", "since")
    )
    # A corridor used over more than a month is regular over the whole input.
    corridors = (
        sides.group_by("account", "country")
        .agg(dealings[0], pl.col("start").first().alias("since"))
        .filter(pl.col("span") > MONTH)
        .select("account", "country", "since")
    )
    return pairs, corridors


def needs_baselines(rules: Sequence[Rule], context: Context) -> bool:
    """Whether some rule compares with a baseline the context does not hold yet."""
    return any((rule.baseline or rule.peer) and rule.id not in context.usual for rule in rules)


def with_baselines(
    rules: Sequence[Rule], transactions: Sequence[Transaction], context: Context
) -> Context:
    """The context with every baseline rule's bars, computed over these transactions."""
    if not needs_baselines(rules, context):
        return context
    transfers = transfer_frame(ordered(transactions), context)
    sides = event_frame(transfers, context, regular=uses_regular(rules))
    return with_frames(rules, transfers, sides, context)


def with_frames(
    rules: Sequence[Rule],
    transfers: Any,
    sides: Any,
    context: Context,
    keys: Mapping[str, Any] | None = None,
) -> Context:
    """with_baselines() over the frames the batch engine has built already (transfer_frame,
    event_frame, with its regular flags when a rule reads them); with `keys` (rule id -> the
    keys whose windows it decides, a Series), only the bars of those rules, and of those keys
    where the bar is the account's own (a peer group's needs all of its members)."""
    import polars as pl

    chosen = [
        rule
        for rule in rules
        if (rule.baseline or rule.peer)
        and rule.id not in context.usual
        and (keys is None or rule.id in keys)
    ]
    if not chosen:
        return context
    if transfers.is_empty():
        return dataclasses.replace(context, usual={**context.usual, **{r.id: {} for r in chosen}})
    sides = sides.lazy()
    end = transfers["time"].max()
    plans = []
    for rule in chosen:
        mine = sides
        if keys is not None and not rule.peer:
            wanted = pl.LazyFrame({"key": keys[rule.id]}, schema={"key": pl.String})
            mine = sides.join(wanted, on="key", how="semi")
        # Each account's history starts at its first transfer, whatever the rule takes.
        first = mine.group_by("key").agg(
            pl.col("time").min().alias("first"), pl.col("segment").first()
        )
        plans += _plans(rule, mine, first, end, context.organisations or frozenset())
    frames = pl.collect_all(plans)
    found = dict(context.usual)
    for index, rule in enumerate(chosen):
        found[rule.id] = _bars(rule, frames[2 * index], frames[2 * index + 1])
    return dataclasses.replace(context, usual=found)


def _plans(
    rule: Rule,
    sides: Any,
    first: Any,
    end: Any,
    organisations: frozenset[str],
) -> list[Any]:
    """Each account's measures per period of the rule's window (a month at least) from its first
    transfer, and its span to the end of the input in periods, with its segment."""
    import polars as pl

    from finmon.monitoring.engine import measures

    period = max(rule.window, MONTH) // dt.timedelta(microseconds=1)
    # What is usual includes the account's first weeks, which a rule's history leaves out.
    events = sides.filter(passes_expr(rule, organisations, False)).join(
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
        ((pl.lit(end) - pl.col("first")).dt.total_microseconds() / period).alias("span"),
    )
    return [per_period, periods]


def _measures(rule: Rule) -> list[str]:
    return sorted({*rule.baseline, *rule.peer})


def _bars(rule: Rule, per_period: Any, periods: Any) -> dict[str, dict[str, float]]:
    """Per measure and account, the least value a window must hold: factor x total / (outside +
    factor) for a baseline, and at least the peer group's percentile of the accounts' largest
    period."""
    group_of: dict[str, str] = {}
    members: dict[str, int] = {}
    if rule.peer:
        keys, segments = periods["key"].to_list(), periods["segment"].to_list()
        group_of = {key: segment or "" for key, segment in zip(keys, segments, strict=True)}
        for group in group_of.values():
            members[group] = members.get(group, 0) + 1
    window = rule.window / max(rule.window, MONTH)
    found: dict[str, dict[str, float]] = {}
    for measure in _measures(rule):
        values: dict[str, list[float]] = {}
        if measure in rule.peer:
            for key, value in zip(per_period["key"], per_period[measure], strict=True):
                values.setdefault(key, []).append(float(value))
        bars: dict[str, float] = {}
        factor = rule.baseline.get(measure)
        if factor is not None:
            bars = _own(per_period, periods, measure, factor, window)
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


def _own(
    per_period: Any, periods: Any, measure: str, factor: float, window: float
) -> dict[str, float]:
    """factor x total / (outside + factor) per account, 0 where less than a period of history
    lies beside the window (nothing to compare with)."""
    import polars as pl

    totals = per_period.group_by("key").agg(pl.col(measure).sum().cast(pl.Float64).alias("total"))
    outside = pl.col("span") - window
    bars = totals.join(periods.select("key", "span"), on="key", how="left").select(
        "key",
        pl.when(outside >= 1)
        .then(factor * pl.col("total") / (outside + factor))
        .otherwise(0.0)
        .alias("bar"),
    )
    return dict(zip(bars["key"].to_list(), bars["bar"].to_list(), strict=True))


def _percentile(seen: list[float], total: int, share: float) -> float:
    """The value at `share` (nearest rank) of the values seen and (total - len(seen)) zeros."""
    total = max(total, len(seen))
    rank = max(1, math.ceil(share * total))
    zeros = total - len(seen)
    if rank <= zeros:
        return 0.0
    return sorted(seen)[rank - zeros - 1]
