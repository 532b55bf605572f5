"""Rules over transfers, with one semantics and two engines: batch (polars) and streaming.

The semantics, for one rule and one window key (an account; for scatter_gather an account and a
source):

- the key's events are the account's transfers in the rule's direction that pass the rule's
  filter, or the findings of the rule's path pattern (paths.py), in input order (transactions
  are taken in time order, the input's order between equal times); events at the same time form
  one group;
- at each group, at time t, the window holds the events with a time in (max(t - window, reset), t],
  where reset is the time of the key's last alert of this rule (none at first): an alert uses up
  what it saw;
- the rule fires at the group when the window reaches every threshold of the condition; the alert
  covers the window's first to last time and names every transfer behind it.

`run_batch` computes the window of every group at once with polars and replays the resets only
for the keys where some window reached the thresholds (before a key's first alert its windows
are the whole windows, so no other key can fire; see _replay for the group times tried).
`Monitor` keeps each key's window as events arrive and decides a group when the key's next later
event arrives (or at `finish`). Amounts are compared in exact ten-thousandths of the pack's
currency, so both engines reach the same sums.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from finmon.errors import InputError
from finmon.monitoring.baselines import (
    needs_baselines,
    needs_regular,
    uses_regular,
    with_baselines,
    with_frames,
    with_regular,
)
from finmon.monitoring.events import (
    EPOCH,
    EVENT_SCHEMA,
    TICK,
    UNITS,
    Context,
    Event,
    compiled,
    event_frame,
    generated,
    ordered,
    passes_expr,
    transfer,
    transfer_events,
    transfer_frame,
)
from finmon.monitoring.paths import SEPARATOR, Chains, path_events
from finmon.monitoring.rules import RATIOS, Rule
from finmon.monitoring.segments import organisations
from finmon.transactions.model import Transaction

NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
_SHOWN = 20
"""The most counterparties an alert's evidence lists."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule that fired on a window, with what it saw."""

    account: str
    rule: str
    typology: str
    score: float
    window_start: dt.datetime
    window_end: dt.datetime
    transaction_ids: tuple[str, ...]
    count: int
    amount: int
    distinct_counterparties: int
    evidence: tuple[tuple[str, Any], ...] = ()
    """What else the rule's pattern saw (sums in and out, counterparties, roles)."""
    also: tuple[str, ...] = ()
    """Other accounts the same finding is about (scatter_gather: source and intermediaries)."""

    def to_rows(self) -> list[dict[str, Any]]:
        """The `finmon monitor` rows (finmon.services.monitoring.ALERT_COLUMNS, less the id): one
        for the account, one for each of `also`."""
        base = {
            "rule": self.rule,
            "typology": self.typology,
            "score": self.score,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "transaction_ids": list(self.transaction_ids),
        }
        evidence = {
            "count": self.count,
            "sum": str(Decimal(self.amount) / UNITS),
            "distinct_counterparties": self.distinct_counterparties,
            **dict(self.evidence),
        }
        rows = [{**base, "account": self.account, "evidence": evidence}]
        for account in self.also:
            role = "source" if account == dict(self.evidence).get("source") else "intermediary"
            rows.append({**base, "account": account, "evidence": {**evidence, "role": role}})
        return rows


@dataclass(frozen=True, slots=True)
class Values:
    """What a window holds, as conditions compare it."""

    count: int
    sum: int
    distinct_counterparties: int
    in_count: int
    out_count: int
    in_sum: int
    out_sum: int

    @classmethod
    def of(cls, events: Sequence[Event]) -> Values:
        inward = [e.amount for e in events if e.direction == "in"]
        outward = [e.amount for e in events if e.direction == "out"]
        return cls(
            count=len(events),
            sum=sum(e.amount for e in events),
            distinct_counterparties=len({e.counterparty for e in events}),
            in_count=len(inward),
            out_count=len(outward),
            in_sum=sum(inward),
            out_sum=sum(outward),
        )


COUNTS = ("count", "distinct_counterparties", "in_count", "out_count")
"""Conditions on a number of things; the others are sums, in the pack's currency."""


def reaches(
    rule: Rule,
    values: Values | _Window,
    usual: Mapping[str, Mapping[str, float]] | None = None,
    key_: str = "",
) -> bool:
    """Whether a window's values reach every threshold of the rule and, for a rule with a
    baseline, the key's bars (`usual`: measure -> key -> the least value: baselines.py)."""
    if usual:
        for measure, bars in usual.items():
            if getattr(values, measure) < bars.get(key_, 0.0):
                return False
    for key, threshold in rule.condition.items():
        if key in RATIOS:
            if not ratio_holds(key, threshold, values.in_sum, values.out_sum):
                return False
        elif getattr(values, key) < (threshold if key in COUNTS else threshold * UNITS):
            return False
    return True


def ratio_holds(key: str, threshold: float, inward: float, outward: float) -> bool:
    """Whether out against in reaches a ratio condition (rules.RATIOS): money in, and out at
    least threshold times it, and for `out_in_ratio` at most 1/threshold times it."""
    if not (inward > 0 and outward >= threshold * inward):
        return False
    return key != "out_in_ratio" or threshold * outward <= inward


def numbered(alerts: Iterable[Alert]) -> list[dict[str, Any]]:
    """Alert rows in a stable order (window end, account, rule, transactions), numbered from 1."""
    rows = [row for alert in alerts for row in alert.to_rows()]
    rows.sort(key=lambda r: (r["window_end"], r["account"], r["rule"], r["transaction_ids"]))
    return [{"alert_id": number, **row} for number, row in enumerate(rows, 1)]


def typology_scores(
    rows: Iterable[dict[str, Any]], evidence: Mapping[str, Sequence[str]] | None = None
) -> dict[str, float]:
    """Each account's typology score: 1 - the product of (1 - s) over its independent
    indications. A rule that alerted the account counts once, at its highest score; rules
    resting on common evidence (`evidence`, rule id -> what it rests on: Pack.evidence; linked
    through any name they share) are one indication, at the highest of their scores."""
    best: dict[str, dict[str, float]] = {}
    for row in rows:
        rules = best.setdefault(row["account"], {})
        rules[row["rule"]] = max(rules.get(row["rule"], 0.0), float(row["score"]))
    return {account: combined_score(rules, evidence) for account, rules in best.items()}


def combined_score(
    rules: Mapping[str, float], evidence: Mapping[str, Sequence[str]] | None = None
) -> float:
    """1 - the product of (1 - s) over the independent indications of `rules` (rule id -> its
    highest score): rules resting on common evidence are one indication, at the highest of their
    scores. The typology score of an account and the score of a case."""
    miss = 1.0
    for score in _indications(rules, evidence or {}):
        miss *= 1.0 - min(max(score, 0.0), 1.0)
    return 1.0 - miss


def _indications(rules: Mapping[str, float], evidence: Mapping[str, Sequence[str]]) -> list[float]:
    """The highest score of each group of rules linked by shared evidence (a rule naming none
    is a group of its own)."""
    groups: list[tuple[set[str], float]] = []
    for rule, score in rules.items():
        names = set(evidence.get(rule, ())) or {"rule:" + rule}
        joined = [group for group in groups if group[0] & names]
        for group in joined:
            groups.remove(group)
            names |= group[0]
        groups.append((names, max([score, *(group[1] for group in joined)])))
    return [score for _, score in groups]


def _alert(rule: Rule, events: Sequence[Event], now: dt.datetime) -> Alert:
    """The alert of a window that reached the rule's thresholds."""
    parties = list(dict.fromkeys(e.counterparty for e in events))
    evidence: list[tuple[str, Any]] = []
    if rule.direction == "both" or any(k in rule.condition for k in ("in_sum", "out_sum")):
        evidence += [
            ("in_sum", str(Decimal(_sum(events, "in")) / UNITS)),
            ("out_sum", str(Decimal(_sum(events, "out")) / UNITS)),
        ]
    also: tuple[str, ...] = ()
    if rule.pattern == "scatter_gather":
        source = events[0].key.split(SEPARATOR, 1)[1]
        evidence += [("role", "gatherer"), ("source", source), ("intermediaries", parties)]
        also = (source, *parties)
    elif rule.pattern != "transfers":
        evidence.append(("counterparties", parties[:_SHOWN]))
    if rule.report:
        evidence.append(("report", rule.report))
    return Alert(
        account=events[0].account,
        rule=rule.id,
        typology=rule.typology,
        score=rule.score,
        window_start=events[0].time,
        window_end=now,
        transaction_ids=tuple(dict.fromkeys(i for e in events for i in e.ids)),
        count=len(events),
        amount=sum(e.amount for e in events),
        distinct_counterparties=len(parties),
        evidence=tuple(evidence),
        also=also,
    )


def _sum(events: Iterable[Event], direction: str) -> int:
    return sum(e.amount for e in events if e.direction == direction)


def _order(event: Event) -> tuple[dt.datetime, int, str]:
    """The order of a window's events: time, input order, then the transfers behind them."""
    return event.time, event.seq, SEPARATOR.join(event.ids)


@dataclass(slots=True)
class _Window:
    """One rule's window over one key: the events it holds (some may be older than the window
    until it is next decided), their totals, and whether the last group is still open. This
    one keeps no tally of counterparties: _PartyWindow does, for rules that count them."""

    events: deque[Event] = field(default_factory=deque)
    amount: int = 0
    in_count: int = 0
    in_sum: int = 0
    out_count: int = 0
    out_sum: int = 0
    reset: dt.datetime = NEVER
    last: dt.datetime = NEVER
    """The time of the last group."""
    open: bool = False
    """Whether the last group is still to be decided."""

    def add(self, event: Event) -> None:
        self.events.append(event)
        self.amount += event.amount
        if event.direction == "in":
            self.in_count += 1
            self.in_sum += event.amount
        elif event.direction == "out":
            self.out_count += 1
            self.out_sum += event.amount
        self.last = event.time
        self.open = True

    def drop(self) -> Event:
        event = self.events.popleft()
        self.amount -= event.amount
        if event.direction == "in":
            self.in_count -= 1
            self.in_sum -= event.amount
        elif event.direction == "out":
            self.out_count -= 1
            self.out_sum -= event.amount
        return event

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def sum(self) -> int:
        return self.amount


@dataclass(slots=True)
class _PartyWindow(_Window):
    """A window that also tallies its events per counterparty (distinct_counterparties)."""

    parties: dict[str, int] = field(default_factory=dict)
    """How many of the window's events each counterparty has."""

    def add(self, event: Event) -> None:
        _Window.add(self, event)
        self.parties[event.counterparty] = self.parties.get(event.counterparty, 0) + 1

    def drop(self) -> Event:
        event = _Window.drop(self)
        left = self.parties[event.counterparty] - 1
        if left:
            self.parties[event.counterparty] = left
        else:
            del self.parties[event.counterparty]
        return event

    @property
    def distinct_counterparties(self) -> int:
        return len(self.parties)


def _possible_check(rule: Rule) -> Callable[[_Window], bool]:
    """Whether a window holding at least these events could reach the rule's thresholds, as one
    function over its running totals (the streaming engine asks it at every group): every
    condition but the ratio only shrinks as events leave, and a ratio needs money in and out
    (the batch engine's _possible_expr says the same of whole-input totals). A chain of
    comparisons, the counts first."""
    tests: list[tuple[str, Any]] = []
    for key, threshold in sorted(rule.condition.items(), key=lambda item: item[0] not in COUNTS):
        bar = threshold if key in COUNTS else threshold * UNITS
        if key in RATIOS:
            tests.append(("x.in_sum > 0 and x.out_sum > 0", None))
        elif key == "count":
            tests.append(("len(x.events) >= {}", bar))
        else:
            tests.append((f"x.{key} >= {{}}", bar))
    return generated(tests)


class Monitor:
    """The streaming engine: feed transfers in time order; alerts come out as groups close.

    A key's group is decided when the key's next later event arrives (or at `finish`). A window
    is pruned only when it is decided and could reach the thresholds even with its old events
    (most cannot): what it holds then is what a pruned window would have held, and more."""

    def __init__(self, rules: Sequence[Rule], context: Context | None = None) -> None:
        self.rules = list(rules)
        self.context = context or Context()
        self._windows: list[dict[str, _Window]] = [{} for _ in self.rules]
        self._start: list[dt.datetime] = [self.context.start] if self.context.start else []
        """The input's first transfer's time, for rules with a history (compiled reads it)."""
        self._checks: dict[str, list[tuple[int, Callable[[Event], bool]]]] = {
            side: [
                (
                    index,
                    compiled(
                        rule,
                        side,
                        self.context.organisations or frozenset(),
                        self.context.regular,
                        self._start,
                    ),
                )
                for index, rule in enumerate(self.rules)
                if rule.pattern == "transfers" and rule.direction in (side, "both")
            ]
            for side in ("in", "out")
        }
        self._possible = [_possible_check(rule) for rule in self.rules]
        self._kinds: list[type[_Window]] = [
            _PartyWindow if "distinct_counterparties" in rule.condition else _Window
            for rule in self.rules
        ]
        self._chains = {
            index: Chains(rule, self.context)
            for index, rule in enumerate(self.rules)
            if rule.pattern != "transfers"
            and (rule.pattern != "listed_link" or self.context.listed)
        }
        self._last = NEVER
        self._seq = 0

    def feed(self, transaction: Transaction) -> list[Alert]:
        """Take one transfer; the alerts of the groups it closes."""
        if transaction.timestamp < self._last:
            raise InputError(
                f"transaction {transaction.id!r} at {transaction.timestamp.isoformat()} is "
                f"earlier than the one before ({self._last.isoformat()}): the streaming engine "
                "needs transfers in time order"
            )
        self._last = transaction.timestamp
        moved = transfer(self._seq, transaction, self.context)
        self._seq += 1
        fired: list[Alert] = []
        if not self._start:
            self._start.append(transaction.timestamp)
        for event in transfer_events(moved, self.context):
            for index, check in self._checks[event.direction]:
                if check(event):
                    self._take(index, event, fired)
        for index, chains in self._chains.items():
            for event in chains.feed(moved):
                self._take(index, event, fired)
        return fired

    def finish(self) -> list[Alert]:
        """Close every open group (the end of the input, or of the day)."""
        fired = []
        for index, windows in enumerate(self._windows):
            for window in windows.values():
                if window.open:
                    alert = self._close(index, window)
                    if alert is not None:
                        fired.append(alert)
        return fired

    def _take(self, index: int, event: Event, fired: list[Alert]) -> None:
        windows = self._windows[index]
        window = windows.get(event.key)
        if window is None:
            window = windows[event.key] = self._kinds[index]()
        elif window.open and window.last < event.time:
            alert = self._close(index, window)
            if alert is not None:
                fired.append(alert)
        window.add(event)

    def _close(self, index: int, window: _Window) -> Alert | None:
        rule = self.rules[index]
        window.open = False
        now = window.last
        follow = following(rule, window.reset, now)
        if not follow and not self._possible[index](window):
            return None
        floor = max(now - rule.window, window.reset)
        events = window.events
        while events and events[0].time <= floor:
            window.drop()
        usual = self.context.usual.get(rule.id)
        if not follow and not reaches(rule, window, usual, events[0].key if events else ""):
            return None
        alert = _alert(rule, sorted(events, key=_order), now)
        window.reset = now
        while events:
            window.drop()
        return alert


def needs_organisations(rules: Sequence[Rule], context: Context) -> bool:
    """Whether a rule filters by the counterparty's kind and the context has not read it."""
    return context.organisations is None and any(
        f.counterparty_organisation is not None
        for rule in rules
        for f in (rule.filter, *rule.sides.values())
    )


def with_organisations(transactions: Iterable[Transaction], context: Context) -> Context:
    """The context with the input's organisations read (segments.organisations), once."""
    if context.organisations is not None:
        return context
    return dataclasses.replace(context, organisations=organisations(transactions))


def run_stream(
    rules: Sequence[Rule], transactions: Iterable[Transaction], context: Context | None = None
) -> list[Alert]:
    """The streaming engine over a whole input, in the order given (which must be time order);
    the baselines of its rules computed over the input first, as the batch engine does."""
    context = context or Context()
    if (
        needs_baselines(rules, context)
        or needs_organisations(rules, context)
        or needs_regular(rules, context)
    ):
        transactions = list(transactions)
        context = with_regular(rules, transactions, with_organisations(transactions, context))
        context = with_baselines(rules, transactions, context)
    monitor = Monitor(rules, context)
    alerts: list[Alert] = []
    for transaction in transactions:
        alerts.extend(monitor.feed(transaction))
    alerts.extend(monitor.finish())
    return alerts


def run_batch(
    rules: Sequence[Rule], transactions: Sequence[Transaction], context: Context | None = None
) -> list[Alert]:
    """The batch engine: every group's window at once with polars, then the resets replayed
    where some window reached the thresholds."""
    context = context or Context()
    if needs_organisations(rules, context):
        context = with_organisations(transactions, context)
    return run_transfers(rules, transfer_frame(ordered(transactions), context), context)


def run_transfers(rules: Sequence[Rule], transfers: Any, context: Context) -> list[Alert]:
    """run_batch over a transfer_frame (any subset of one, in its order: the Spark engine gives
    each bucket of accounts the transfers of its accounts); the context has its organisations
    read when a rule needs them."""
    import polars as pl

    frame = event_frame(transfers, context, regular=uses_regular(rules))
    # The transfers' regular flags, for the path patterns that read them (paths.py).
    flags = (
        frame.lazy().filter(pl.col("direction") == "out").select("seq", "regular")
        if "regular" in frame.columns
        else None
    )
    sides = frame.lazy()
    # Each rule's events, made first, all at once (the rolling windows and the replay both read
    # them): a filter of the sides for transfer rules, the path patterns' findings.
    made = pl.collect_all(
        [
            sides.filter(
                passes_expr(rule, context.organisations or frozenset(), True, context.start)
            )
            if rule.pattern == "transfers"
            else path_events(rule, transfers.lazy(), context, flags).sort("seq", "ids")
            for rule in rules
        ]
    )
    events = [found.lazy() for found in made]
    # One collect for every rule's windows runs them in parallel; the grouping of the reached
    # windows is done after it, because polars 2.1's optimiser folds a rolling aggregation
    # followed by a group_by into a plain group_by (the windows are lost).
    found = pl.collect_all(
        [_reached(rule, chosen) for rule, chosen in zip(rules, events, strict=True)]
    )
    if needs_baselines(rules, context):
        # The bars are read only where a window reached the thresholds (the replay's keys).
        wanted = {
            rule.id: reached["key"].unique()
            for rule, reached in zip(rules, found, strict=True)
            if not reached.is_empty()
        }
        context = with_frames(rules, transfers, frame, context, wanted)
    alerts: list[Alert] = []
    for rule, chosen, reached in zip(rules, events, found, strict=True):
        if reached.is_empty():
            continue
        moments = reached.group_by("key").agg(pl.col("time").unique().sort()).sort("key")
        # A key's events a window or more before its first reached window are in none that
        # the replay measures.
        since = moments.select("key", (pl.col("time").list.first() - rule.window).alias("_since"))
        history = (
            chosen.join(since.lazy(), on="key", how="inner", maintain_order="left")
            .filter(pl.col("time") > pl.col("_since"))
            .drop("_since")
            .collect()
        )
        alerts.extend(replayed(rule, history, moments, context.usual.get(rule.id)))
    return alerts


def _reached(rule: Rule, chosen: Any) -> Any:
    """The (key, time) of the rule's windows over its events (a LazyFrame) that may reach its
    thresholds, as a LazyFrame."""
    # Only keys whose events over the whole input reach the thresholds can have a window that
    # does (every condition but the ratio only grows with the window; a ratio needs money in
    # and out): the others are left out before the rolling windows.
    possible = chosen.group_by("key").agg(*_aggregates(rule)).filter(_possible_expr(rule))
    kept = chosen.join(possible.select("key"), on="key", how="semi", maintain_order="left")
    windows = kept.rolling(
        index_column="time", period=rule.window, group_by="key", closed="right"
    ).agg(*_aggregates(rule))
    return windows.filter(_reaches_expr(rule)).select("key", "time")


def _aggregates(rule: Rule) -> list[Any]:
    """The window values the rule's condition compares, as polars aggregations."""
    every = measures()
    needed = {k for k in rule.condition if k not in RATIOS}
    if needed != set(rule.condition):
        needed |= {"in_sum", "out_sum"}
    return [every[key].alias(key) for key in sorted(needed)]


def measures() -> dict[str, Any]:
    """Every value a window is measured by (Values), as a polars aggregation of events."""
    import polars as pl

    inward, outward = pl.col("direction") == "in", pl.col("direction") == "out"
    return {
        "count": pl.len(),
        "sum": pl.col("amount").sum(),
        "distinct_counterparties": pl.col("party").n_unique(),
        "in_count": inward.cast(pl.Int64).sum(),
        "out_count": outward.cast(pl.Int64).sum(),
        # A sum of amounts zeroed on the other side: plain sums roll faster than filtered ones.
        "in_sum": pl.when(inward).then(pl.col("amount")).otherwise(0).sum(),
        "out_sum": pl.when(outward).then(pl.col("amount")).otherwise(0).sum(),
    }


def _possible_expr(rule: Rule) -> Any:
    """Whether a key's totals over the whole input may let some window reach the thresholds."""
    import polars as pl

    condition = pl.lit(True)
    for key, threshold in rule.condition.items():
        if key in RATIOS:
            condition &= (pl.col("in_sum") > 0) & (pl.col("out_sum") > 0)
        else:
            condition &= pl.col(key) >= (threshold if key in COUNTS else threshold * UNITS)
    return condition


def _reaches_expr(rule: Rule) -> Any:
    """reaches() as a polars expression over the rolling windows: the windows that may fire
    (the replay decides with reaches() itself)."""
    import polars as pl

    condition = pl.lit(True)
    for key, threshold in rule.condition.items():
        if key in RATIOS:
            inward, outward = pl.col("in_sum"), pl.col("out_sum")
            condition &= (inward > 0) & (outward >= threshold * inward)
            if key == "out_in_ratio":
                condition &= threshold * outward <= inward
        elif key in COUNTS:
            condition &= pl.col(key) >= threshold
        else:
            condition &= pl.col(key) >= threshold * UNITS
    return condition


def replayed(
    rule: Rule, history: Any, moments: Any, usual: Mapping[str, Mapping[str, float]] | None
) -> list[Alert]:
    """_replay() of every key of `moments` (key, its reached window times, sorted) over its
    events in `history` (an event frame, each key's events in order)."""
    import polars as pl

    history = history.sort("key", maintain_order=True)
    keys = history["key"].to_list()
    inward, outward = pl.col("direction") == "in", pl.col("direction") == "out"
    running = [
        pl.col("amount"),
        inward.cast(pl.Int64),
        pl.when(inward).then(pl.col("amount")).otherwise(0),
        outward.cast(pl.Int64),
        pl.when(outward).then(pl.col("amount")).otherwise(0),
    ]
    # Running totals over the whole frame from 0: a run of events low..high measures
    # totals[high] - totals[low], whichever key it belongs to.
    sums = history.select(
        *(value.cum_sum().alias(str(index)) for index, value in enumerate(running))
    )
    amount, in_count, in_sum, out_count, out_sum = (
        [0, *column.to_list()] for column in sums.get_columns()
    )
    parties = history["party"].to_list() if "distinct_counterparties" in rule.condition else None
    totals = _Totals(amount, in_count, in_sum, out_count, out_sum, parties)
    # The rows with their times in microseconds: polars makes zoned datetimes slowly, and only
    # the events of alerts need one, each distinct time made once (_History.event).
    rows = history.select(*EVENT_SCHEMA).with_columns(pl.col("time").dt.epoch("us")).rows()
    found = _History([row[3] for row in rows], rows, totals)
    starts: dict[str, int] = {}
    for index, key in enumerate(keys):
        starts.setdefault(key, index)
    alerts: list[Alert] = []
    micros = pl.col("time").list.eval(pl.element().dt.epoch("us"))
    for key, reached in moments.select("key", micros).iter_rows():
        start = starts[key]
        end = bisect.bisect_right(keys, key, start)  # the frame is sorted by key
        alerts.extend(_replay(rule, found, key, start, end, reached, usual))
    return alerts


@dataclass(slots=True)
class _Totals:
    """Running totals over events from the first (each list one longer than the events), and
    their counterparties when the rule counts them: the Values of any run of events at once."""

    amount: list[int]
    in_count: list[int]
    in_sum: list[int]
    out_count: list[int]
    out_sum: list[int]
    parties: list[str] | None

    def between(self, low: int, high: int) -> Values:
        """The Values of the events low to high (not included)."""
        parties = len(set(self.parties[low:high])) if self.parties is not None else 0
        return Values(
            count=high - low,
            sum=self.amount[high] - self.amount[low],
            distinct_counterparties=parties,
            in_count=self.in_count[high] - self.in_count[low],
            out_count=self.out_count[high] - self.out_count[low],
            in_sum=self.in_sum[high] - self.in_sum[low],
            out_sum=self.out_sum[high] - self.out_sum[low],
        )


@dataclass(slots=True)
class _History:
    """Events as the replay reads them, each key's in a run of its own: times (in
    microseconds), the event frame's rows (to make the Events of an alert from), running
    totals."""

    times: list[int]
    rows: list[tuple[Any, ...]]
    """EVENT_SCHEMA's columns, the time in microseconds."""
    totals: _Totals
    moments: dict[int, dt.datetime] = field(default_factory=dict)
    """The times made so far, by their microseconds."""

    def event(self, index: int) -> Event:
        """The index-th event."""
        row = self.rows[index]
        time = self.moments.get(row[3])
        if time is None:
            time = self.moments[row[3]] = EPOCH + dt.timedelta(microseconds=row[3])
        return Event(*row[:3], time, *row[4:-1], tuple(row[-1].split(SEPARATOR)))  # type: ignore[call-arg]


def _replay(
    rule: Rule,
    history: _History,
    key: str,
    start: int,
    end: int,
    times: list[int],
    usual: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Alert]:
    """The resets of one key (its events: history's start to end), at the group times (in
    microseconds) where its window reached the thresholds.

    A reset only shrinks later windows, which cannot make counts and sums reach a threshold they
    did not reach before; but it can bring a ratio into its range, and a follow-up needs no
    threshold at all: for those rules every group time within a window after a reset is tried
    too (further on, the window is whole again, and reached or not as the rolling windows say)."""
    moments = history.times
    span = rule.window // TICK
    fired: list[Alert] = []
    reset: int | None = None
    reached: set[int] | None = None
    if rule.follow_up or any(key in RATIOS for key in rule.condition):
        reached = set(times)
        times = sorted({now for now in moments[start:end] if now >= times[0]})
    for now in times:
        floor = now - span if reset is None else max(now - span, reset)
        if reached is not None and floor != reset and now not in reached:
            # A reset a window or more before leaves the whole window, which did not reach.
            continue
        low = bisect.bisect_right(moments, floor, start, end)
        high = bisect.bisect_right(moments, now, low, end)
        follows = rule.follow_up and reset is not None and now - reset <= span
        if low >= high or not (
            follows or reaches(rule, history.totals.between(low, high), usual, key)
        ):
            continue
        window = [history.event(index) for index in range(low, high)]
        fired.append(_alert(rule, window, EPOCH + dt.timedelta(microseconds=now)))
        reset = now
    return fired


def following(rule: Rule, reset: dt.datetime, now: dt.datetime) -> bool:
    """Whether a group falls in a follow-up rule's window after the key's last alert: then its
    events are alerted whatever the thresholds (the rest of the pattern already found)."""
    return rule.follow_up and reset is not NEVER and now - reset <= rule.window
