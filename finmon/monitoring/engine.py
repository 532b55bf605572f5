"""Rules over transfers, with one semantics and two engines: batch (polars) and streaming.

The semantics, for one rule and one account:

- the account's events are its transfers in the rule's direction that pass the rule's filter, in
  time order (file order between equal times); events at the same time form one group;
- at each group, at time t, the window holds the events with a time in (max(t - window, reset), t],
  where reset is the time of the account's last alert of this rule (none at first): an alert uses
  up what it saw;
- the rule fires at the group when the window reaches every threshold of the condition; the alert
  covers the window's first to last time and names every transfer in it.

`run_batch` computes the window of every group at once with polars and replays the resets only
for the accounts where some window reached the thresholds (a reset only shrinks later windows, so
no other group can fire). `Monitor` keeps each account's window as events arrive and decides a
group when the account's next later event arrives (or at `finish`). Amounts are compared in exact
ten-thousandths, so both engines reach the same sums.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from finmon.errors import InputError
from finmon.monitoring.rules import Filter, Rule
from finmon.transactions.model import Transaction

UNITS = 10_000
"""Amounts are kept as integers of 1/UNITS of the currency unit."""
NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Event:
    """One side of one transfer, as the account on that side sees it."""

    seq: int
    account: str
    time: dt.datetime
    direction: str
    amount: int
    """In 1/UNITS of the currency unit."""
    counterparty: str
    counterparty_country: str | None
    cross_border: bool | None
    channel: str
    transaction_id: str


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule that fired on an account, with the window it saw."""

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

    def to_row(self, alert_id: int) -> dict[str, Any]:
        """The `finmon monitor` row (finmon.store.transactions.ALERT_COLUMNS)."""
        return {
            "alert_id": alert_id,
            "account": self.account,
            "rule": self.rule,
            "typology": self.typology,
            "score": self.score,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "transaction_ids": list(self.transaction_ids),
            "evidence": {
                "count": self.count,
                "sum": str(Decimal(self.amount) / UNITS),
                "distinct_counterparties": self.distinct_counterparties,
            },
        }


def events(transactions: Iterable[Transaction]) -> list[Event]:
    """Both sides of every transfer that names an account: `out` for the originator's, `in` for
    the beneficiary's."""
    found: list[Event] = []
    for seq, t in enumerate(transactions):
        units = int((t.amount * UNITS).to_integral_value())
        ours, theirs = t.originator, t.beneficiary
        cross = (
            ours.country.upper() != theirs.country.upper()
            if ours.country and theirs.country
            else None
        )
        channel = (t.channel or "").lower()
        if ours.account:
            found.append(
                Event(
                    seq,
                    ours.account,
                    t.timestamp,
                    "out",
                    units,
                    theirs.account or theirs.name or "?",
                    theirs.country,
                    cross,
                    channel,
                    t.id,
                )
            )
        if theirs.account:
            found.append(
                Event(
                    seq,
                    theirs.account,
                    t.timestamp,
                    "in",
                    units,
                    ours.account or ours.name or "?",
                    ours.country,
                    cross,
                    channel,
                    t.id,
                )
            )
    return found


def passes(rule: Rule, event: Event) -> bool:
    """Whether a rule counts an event: its direction, then its filter."""
    if event.direction != rule.direction:
        return False
    f: Filter = rule.filter
    if f.channels is not None and event.channel not in f.channels:
        return False
    if f.amount_below is not None and event.amount >= f.amount_below * UNITS:
        return False
    if f.amount_at_least is not None and event.amount < f.amount_at_least * UNITS:
        return False
    if f.cross_border is not None and event.cross_border is not f.cross_border:
        return False
    return (
        f.counterparty_countries is None
        or (event.counterparty_country or "").upper() in f.counterparty_countries
    )


def reaches(rule: Rule, count: int, amount: int, distinct: int) -> bool:
    """Whether a window's values reach every threshold of the rule."""
    values = {"count": count, "sum": amount, "distinct_counterparties": distinct}
    return all(values[key] >= _bar(key, threshold) for key, threshold in rule.condition.items())


def _bar(key: str, threshold: float) -> float:
    """A threshold in the units a window counts in (sums in 1/UNITS)."""
    return threshold * UNITS if key == "sum" else threshold


def numbered(alerts: Iterable[Alert]) -> list[dict[str, Any]]:
    """Alerts in a stable order (window end, account, rule), numbered from 1."""
    ordered = sorted(alerts, key=lambda a: (a.window_end, a.account, a.rule))
    return [alert.to_row(number) for number, alert in enumerate(ordered, 1)]


@dataclass(slots=True)
class _Window:
    """One rule's window over one account: the events it holds, and the pending group."""

    events: deque[Event] = field(default_factory=deque)
    parties: Counter[str] = field(default_factory=Counter)
    amount: int = 0
    reset: dt.datetime = NEVER
    pending: list[Event] = field(default_factory=list)


class Monitor:
    """The streaming engine: feed transfers in time order; alerts come out as groups close."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._windows: dict[tuple[int, str], _Window] = {}
        self._last: dict[str, dt.datetime] = {}
        self._seq = 0

    def feed(self, transaction: Transaction) -> list[Alert]:
        """Take one transfer; the alerts of the groups it closes."""
        fired: list[Alert] = []
        for event in events([transaction]):
            event = _renumbered(event, self._seq)
            last = self._last.get(event.account)
            if last is not None and event.time < last:
                raise InputError(
                    f"transaction {event.transaction_id!r} at {event.time.isoformat()} is earlier "
                    f"than account {event.account!r}'s last ({last.isoformat()}): the streaming "
                    "engine needs transfers in time order"
                )
            self._last[event.account] = event.time
            for index, rule in enumerate(self.rules):
                if not passes(rule, event):
                    continue
                window = self._windows.setdefault((index, event.account), _Window())
                if window.pending and window.pending[0].time < event.time:
                    alert = self._close(rule, window)
                    if alert is not None:
                        fired.append(alert)
                window.pending.append(event)
        self._seq += 1
        return fired

    def finish(self) -> list[Alert]:
        """Close every open group (the end of the input, or of the day)."""
        fired = []
        for (index, _account), window in self._windows.items():
            if window.pending:
                alert = self._close(self.rules[index], window)
                if alert is not None:
                    fired.append(alert)
        return fired

    def _close(self, rule: Rule, window: _Window) -> Alert | None:
        now = window.pending[0].time
        for event in window.pending:
            window.events.append(event)
            window.parties[event.counterparty] += 1
            window.amount += event.amount
        window.pending = []
        floor = max(now - rule.window, window.reset)
        while window.events and window.events[0].time <= floor:
            _drop(window)
        count, distinct = len(window.events), len(window.parties)
        if not reaches(rule, count, window.amount, distinct):
            return None
        alert = Alert(
            account=window.events[0].account,
            rule=rule.id,
            typology=rule.typology,
            score=rule.score,
            window_start=window.events[0].time,
            window_end=now,
            transaction_ids=tuple(dict.fromkeys(e.transaction_id for e in window.events)),
            count=count,
            amount=window.amount,
            distinct_counterparties=distinct,
        )
        window.reset = now
        while window.events:
            _drop(window)
        return alert


def run_stream(rules: Sequence[Rule], transactions: Iterable[Transaction]) -> list[Alert]:
    """The streaming engine over a whole input, in the order given (which must be time order
    per account)."""
    monitor = Monitor(rules)
    alerts: list[Alert] = []
    for transaction in transactions:
        alerts.extend(monitor.feed(transaction))
    alerts.extend(monitor.finish())
    return alerts


def run_batch(rules: Sequence[Rule], transactions: Sequence[Transaction]) -> list[Alert]:
    """The batch engine: every group's window at once with polars, then the resets replayed
    where some window reached the thresholds."""
    import polars as pl

    everything = events(transactions)
    alerts: list[Alert] = []
    for rule in rules:
        chosen = [e for e in everything if passes(rule, e)]
        if not chosen:
            continue
        frame = pl.DataFrame(
            {
                "row": range(len(chosen)),
                "account": [e.account for e in chosen],
                "time": [e.time for e in chosen],
                "seq": [e.seq for e in chosen],
                "amount": [e.amount for e in chosen],
                "party": [e.counterparty for e in chosen],
            },
            schema_overrides={"time": pl.Datetime("us", "UTC"), "amount": pl.Int64},
        ).sort("account", "time", "seq")
        windows = frame.rolling(
            index_column="time", period=rule.window, group_by="account", closed="right"
        ).agg(
            pl.len().alias("count"),
            pl.col("amount").sum().alias("amount"),
            pl.col("party").n_unique().alias("distinct"),
        )
        columns = {"count": "count", "sum": "amount", "distinct_counterparties": "distinct"}
        reached = windows.filter(
            pl.all_horizontal(
                pl.col(columns[key]) >= _bar(key, threshold)
                for key, threshold in rule.condition.items()
            )
        )
        for (account,), candidates in reached.group_by("account", maintain_order=True):
            rows = frame.filter(pl.col("account") == account)
            history = [chosen[i] for i in rows["row"].to_list()]
            times = sorted({t for t in candidates["time"].to_list()})
            alerts.extend(_replay(rule, str(account), history, times))
    return alerts


def _replay(
    rule: Rule, account: str, history: list[Event], times: list[dt.datetime]
) -> list[Alert]:
    """The resets of one account, at the group times where its window reached the thresholds."""
    moments = [e.time for e in history]
    fired: list[Alert] = []
    reset = NEVER
    for now in times:
        floor = max(now - rule.window, reset)
        start = bisect.bisect_right(moments, floor)
        end = bisect.bisect_right(moments, now)
        window = history[start:end]
        parties = {e.counterparty for e in window}
        amount = sum(e.amount for e in window)
        if not window or not reaches(rule, len(window), amount, len(parties)):
            continue
        fired.append(
            Alert(
                account=account,
                rule=rule.id,
                typology=rule.typology,
                score=rule.score,
                window_start=window[0].time,
                window_end=now,
                transaction_ids=tuple(dict.fromkeys(e.transaction_id for e in window)),
                count=len(window),
                amount=amount,
                distinct_counterparties=len(parties),
            )
        )
        reset = now
    return fired


def _drop(window: _Window) -> None:
    event = window.events.popleft()
    window.amount -= event.amount
    window.parties[event.counterparty] -= 1
    if not window.parties[event.counterparty]:
        del window.parties[event.counterparty]


def _renumbered(event: Event, seq: int) -> Event:
    return Event(
        seq,
        event.account,
        event.time,
        event.direction,
        event.amount,
        event.counterparty,
        event.counterparty_country,
        event.cross_border,
        event.channel,
        event.transaction_id,
    )
