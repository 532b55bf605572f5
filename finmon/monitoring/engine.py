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
import dataclasses
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
            event = dataclasses.replace(event, seq=self._seq)
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

    frame = event_frame(transactions)
    alerts: list[Alert] = []
    for rule in rules:
        chosen = frame.filter(_passes_expr(rule)).sort("account", "time", "seq")
        if chosen.is_empty():
            continue
        windows = chosen.rolling(
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
        if reached.is_empty():
            continue
        moments = reached.group_by("account").agg(pl.col("time").unique().sort())
        histories = chosen.join(moments.select("account"), on="account").partition_by(
            "account", as_dict=True
        )
        for account, times in moments.iter_rows():
            history = _events(histories[(account,)])
            alerts.extend(_replay(rule, str(account), history, list(times)))
    return alerts


def event_frame(transactions: Sequence[Transaction]) -> Any:
    """Both sides of every transfer as one polars frame of events (events(), column-wise)."""
    import polars as pl

    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    tick = dt.timedelta(microseconds=1)
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "seq",
            "time",
            "amount",
            "ours",
            "ours_country",
            "theirs",
            "theirs_country",
            "ours_name",
            "theirs_name",
            "channel",
            "transaction_id",
        )
    }
    for seq, t in enumerate(transactions):
        columns["seq"].append(seq)
        columns["time"].append((t.timestamp - epoch) // tick)
        columns["amount"].append(int((t.amount * UNITS).to_integral_value()))
        columns["ours"].append(t.originator.account)
        columns["ours_country"].append(t.originator.country)
        columns["ours_name"].append(t.originator.name)
        columns["theirs"].append(t.beneficiary.account)
        columns["theirs_country"].append(t.beneficiary.country)
        columns["theirs_name"].append(t.beneficiary.name)
        columns["channel"].append((t.channel or "").lower())
        columns["transaction_id"].append(t.id)
    base = pl.DataFrame(
        columns,
        schema={
            "seq": pl.Int64,
            "time": pl.Int64,
            "amount": pl.Int64,
            "ours": pl.String,
            "ours_country": pl.String,
            "theirs": pl.String,
            "theirs_country": pl.String,
            "ours_name": pl.String,
            "theirs_name": pl.String,
            "channel": pl.String,
            "transaction_id": pl.String,
        },
    ).with_columns(
        pl.col("time").cast(pl.Datetime("us", "UTC")),
        pl.when(pl.col("ours_country").is_not_null() & pl.col("theirs_country").is_not_null())
        .then(
            pl.col("ours_country").str.to_uppercase() != pl.col("theirs_country").str.to_uppercase()
        )
        .alias("cross_border"),
    )
    common = ["seq", "time", "amount", "channel", "transaction_id", "cross_border"]
    out = base.filter(pl.col("ours").is_not_null()).select(
        *common,
        pl.col("ours").alias("account"),
        pl.lit("out").alias("direction"),
        pl.coalesce("theirs", "theirs_name", pl.lit("?")).alias("party"),
        pl.col("theirs_country").alias("party_country"),
    )
    incoming = base.filter(pl.col("theirs").is_not_null()).select(
        *common,
        pl.col("theirs").alias("account"),
        pl.lit("in").alias("direction"),
        pl.coalesce("ours", "ours_name", pl.lit("?")).alias("party"),
        pl.col("ours_country").alias("party_country"),
    )
    return pl.concat([out, incoming])


def _passes_expr(rule: Rule) -> Any:
    """passes() as a polars expression over event_frame."""
    import polars as pl

    f: Filter = rule.filter
    condition = pl.col("direction") == rule.direction
    if f.channels is not None:
        condition &= pl.col("channel").is_in(sorted(f.channels))
    if f.amount_below is not None:
        condition &= pl.col("amount") < f.amount_below * UNITS
    if f.amount_at_least is not None:
        condition &= pl.col("amount") >= f.amount_at_least * UNITS
    if f.cross_border is not None:
        condition &= pl.col("cross_border").fill_null(not f.cross_border) == f.cross_border
    if f.counterparty_countries is not None:
        condition &= (
            pl.col("party_country")
            .fill_null("")
            .str.to_uppercase()
            .is_in(sorted(f.counterparty_countries))
        )
    return condition


def _events(frame: Any) -> list[Event]:
    """The rows of an event frame as Events, in the frame's order."""
    return [
        Event(
            row["seq"],
            row["account"],
            row["time"],
            row["direction"],
            row["amount"],
            row["party"],
            row["party_country"],
            row["cross_border"],
            row["channel"],
            row["transaction_id"],
        )
        for row in frame.iter_rows(named=True)
    ]


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
