"""What the monitoring engines read: transfers in the pack's currency, and the events of accounts.

A transfer is one transaction reduced to what rules look at, its amount converted into the pack's
currency in exact ten-thousandths. An account's event is one side of a transfer as that account
sees it (`in` or `out`), or a path pattern's finding (paths.py). The streaming engine builds these
one transaction at a time (`transfer`, `transfer_events`); the batch engine builds the same as
polars frames (`transfer_frame`, `event_frame`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from finmon.errors import InputError
from finmon.monitoring.rules import NO_FILTER, Filter, Pack, Rule
from finmon.transactions.model import PartyInfo, Transaction, channel_kind

UNITS = 10_000
"""Amounts are kept as integers of 1/UNITS of the pack's currency unit."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)
PAIR = "\x1f"
"""Joins an account and a counterparty in Context.regular."""
NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)
"""The time from which a counterparty that is not regular is regular."""
MONTH = dt.timedelta(days=30)
"""The shortest period an account's usual value is taken over (baselines.py), and how far apart
its dealings with a counterparty or a country must lie for them to be regular: its month, so
that a monthly rhythm (payroll, rent, a remittance home) is part of what is usual."""


@dataclass(frozen=True, slots=True)
class Context:
    """What the engines know beside the transfers: the pack's currency and rates, each account's
    segment, and the accounts of listed or frozen parties."""

    currency: str = "KZT"
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    """Units of `currency` per one unit of each other currency."""
    segments: Mapping[str, str] = field(default_factory=dict)
    """Each account's segment, in lower case."""
    listed: frozenset[str] = frozenset()
    organisations: frozenset[str] | None = None
    """The counterparties (accounts, or names where there is none) whose holder shows a legal
    form or a BIN (segments.organisations), for `counterparty_organisation` filters; None when
    not read yet (the engines read them from the input when a rule needs them)."""
    regular: Mapping[str, dt.datetime] | None = None
    """The accounts' regular counterparties, as "account PAIR counterparty", and regular
    corridors, as "account PAIR PAIR country": those each deals with over more than a month
    (baselines.regular_pairs), each with the time from which it is regular (regular_since), for
    `counterparty_regular` and `corridor_regular` filters; None when not read yet."""
    usual: Mapping[str, Mapping[str, Mapping[str, float]]] = field(default_factory=dict)
    """Baselines: rule id -> measure -> account -> its usual value (baselines.py)."""
    start: dt.datetime | None = None
    """The input's first transfer's time, from which rules with a `history` count, when an
    engine sees only part of the input (a Spark bucket of accounts); None: the first it sees."""
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The pack's rules that share evidence (Pack.evidence), for the typology score."""
    _factors: dict[str, Decimal] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        pack: Pack,
        *,
        segments: Mapping[str, str] | None = None,
        listed: Iterable[str] = (),
        rates: Mapping[str, Decimal] | None = None,
    ) -> Context:
        """The context of a pack: its currency, its rates overridden by `rates`."""
        return cls(
            currency=pack.currency,
            rates={**pack.rates, **(rates or {})},
            segments={account: segment.lower() for account, segment in (segments or {}).items()},
            listed=frozenset(listed),
            evidence=pack.evidence,
        )

    def units(self, transaction: Transaction) -> int:
        """The transaction's amount in 1/UNITS of the pack's currency."""
        factor = self._factors.get(transaction.currency)
        if factor is None:
            factor = self._factors[transaction.currency] = self._factor(transaction)
        return int((transaction.amount * factor).to_integral_value())

    def all_units(self, transactions: Sequence[Transaction]) -> list[int]:
        """units() of every transaction (the batch engine's column)."""
        factors = {}
        for currency in {t.currency for t in transactions}:
            factors[currency] = self._factor(
                next(t for t in transactions if t.currency == currency)
            )
        return [int((t.amount * factors[t.currency]).to_integral_value()) for t in transactions]

    def _factor(self, transaction: Transaction) -> Decimal:
        currency = transaction.currency.upper()
        if currency == self.currency:
            return Decimal(UNITS)
        if currency in self.rates:
            return self.rates[currency] * UNITS
        raise InputError(
            f"transaction {transaction.id!r}{_at(transaction)}: no rate from {currency} into "
            f"{self.currency}, the rules' currency: add it to the pack's rates or give --rates"
        )


@dataclass(slots=True)
class Transfer:
    """One transaction as the rules see it."""

    seq: int
    time: dt.datetime
    id: str
    src: str | None
    dst: str | None
    amount: int
    src_party: str
    """The originator's account, or name when there is none ("?" when neither)."""
    dst_party: str
    src_country: str | None
    dst_country: str | None
    cross_border: bool | None
    channel: str
    same_owner: bool
    """A transfer between two accounts of one owner: same_owner()."""


@dataclass(slots=True)
class Event:
    """What one account's window of one rule counts (not frozen: built by the million, and a
    frozen dataclass is several times slower to build; nothing changes one once built)."""

    seq: int
    key: str
    """The window it falls in: the account, or the account and a source (scatter_gather)."""
    account: str
    time: dt.datetime
    direction: str
    """"in", "out", or "path" for a path pattern's finding."""
    amount: int
    counterparty: str
    counterparty_country: str | None
    cross_border: bool | None
    channel: str
    same_owner: bool
    segment: str | None
    ids: tuple[str, ...]
    """The transactions behind it."""


def same_owner(ours: PartyInfo, theirs: PartyInfo) -> bool:
    """Both sides name an account and carry the same identifier (IIN/BIN): money moved between
    one owner's accounts. Cash (one side without an account) is not that, whoever's it is."""
    return bool(
        ours.account
        and theirs.account
        and ours.id
        and theirs.id
        and ours.id.strip() == theirs.id.strip()
    )


def transfer(seq: int, t: Transaction, context: Context) -> Transfer:
    """A transaction as the rules see it."""
    ours, theirs = t.originator, t.beneficiary
    return Transfer(
        seq=seq,
        time=t.timestamp,
        id=t.id,
        src=ours.account,
        dst=theirs.account,
        amount=context.units(t),
        src_party=ours.account or ours.name or "?",
        dst_party=theirs.account or theirs.name or "?",
        src_country=ours.country,
        dst_country=theirs.country,
        cross_border=(
            ours.country.upper() != theirs.country.upper()
            if ours.country and theirs.country
            else None
        ),
        channel=channel_kind(t.channel),
        same_owner=same_owner(ours, theirs),
    )


def transfer_events(t: Transfer, context: Context) -> list[Event]:
    """Both sides of a transfer that names an account: `out` for the originator's, `in` for the
    beneficiary's (built positionally: the streaming engine makes two per transfer)."""
    found = []
    segments = context.segments
    ids = (t.id,)
    if t.src is not None:
        found.append(
            Event(
                t.seq,
                t.src,
                t.src,
                t.time,
                "out",
                t.amount,
                t.dst_party,
                t.dst_country,
                t.cross_border,
                t.channel,
                t.same_owner,
                segments.get(t.src),
                ids,
            )
        )
    if t.dst is not None:
        found.append(
            Event(
                t.seq,
                t.dst,
                t.dst,
                t.time,
                "in",
                t.amount,
                t.src_party,
                t.src_country,
                t.cross_border,
                t.channel,
                t.same_owner,
                segments.get(t.dst),
                ids,
            )
        )
    return found


def transfer_passes(f: Filter, t: Transfer | Event) -> bool:
    """Whether a transfer passes the parts of a filter about the transfer itself."""
    if f.channels is not None and t.channel not in f.channels:
        return False
    if f.except_channels is not None and t.channel in f.except_channels:
        return False
    if f.amount_below is not None and t.amount >= f.amount_below * UNITS:
        return False
    if f.amount_at_least is not None and t.amount < f.amount_at_least * UNITS:
        return False
    if f.cross_border is not None and t.cross_border is not f.cross_border:
        return False
    if f.cash_or_abroad is not None and (
        (t.channel == "cash" or t.cross_border is True) is not f.cash_or_abroad
    ):
        return False
    return f.same_owner is None or t.same_owner is f.same_owner


def compiled(
    rule: Rule,
    direction: str,
    organisations: frozenset[str] = frozenset(),
    regular: Mapping[str, dt.datetime] | None = None,
    start: Sequence[dt.datetime] = (),
) -> Callable[[Event], bool]:
    """passes(rule, event) for a transfers rule's events of one direction it counts, as one
    function with only the checks the rule's filters need (the streaming engine's hot path)."""
    side = rule.sides.get(direction, NO_FILTER)
    regular = regular or {}
    tests = _checks(rule.filter, organisations, regular) + _checks(side, organisations, regular)
    if rule.history is not None:
        # start: the input's first transfer time, set by the caller before any event is checked.
        tests.append(("x.time - {0}[0][0] >= {0}[1]", (start, rule.history)))
    return generated(tests)


def edge_check(
    f: Filter, regular: Mapping[str, dt.datetime] | None = None
) -> Callable[[Transfer], bool]:
    """transfer_passes(f, transfer) as one function (the path patterns' streaming hot path);
    a filter's segments are about the account alerted, not the transfers of a path, and
    `counterparty_regular` about the transfer's two accounts (`regular`: Context.regular)."""
    tests = _checks(
        dataclasses.replace(f, segments=None, except_segments=None, counterparty_regular=None)
    )
    if f.counterparty_regular is not None:
        tests.append(_regular_test("x.src", "x.dst", PAIR, f.counterparty_regular, regular))
    return generated(tests)


def edge_regular(edges: Any, f: Filter, flags: Any) -> Any:
    """edge_check's `counterparty_regular` test over a LazyFrame of transfers: the transfers
    kept whose two accounts are (or are not) regular for each other at the transfer's time.
    That is the `regular` flag of the transfer's `out` event (event_frame, with `regular`):
    `flags`, a LazyFrame (seq, regular) of those events."""
    import polars as pl

    if f.counterparty_regular is None:
        return edges
    regular = pl.col("regular").fill_null(False)
    return (
        edges.join(flags, on="seq", how="left", maintain_order="left")
        .filter(regular == f.counterparty_regular)
        .drop("regular")
    )


def _regular_test(
    account: str,
    other: str,
    separator: str,
    wanted: bool,
    regular: Mapping[str, dt.datetime] | None,
) -> tuple[str, Any]:
    """A test for generated(): whether `other` is regular for `account` at the time x.time."""
    test = ">=" if wanted else "<"
    return (
        f"x.time {test} {{0}}[0].get({account} + {separator!r} + {other}, {{0}}[1])",
        (regular or {}, NEVER),
    )


def _regular_at(keys: Any, regular: Mapping[str, dt.datetime]) -> Any:
    """Whether each key ("account PAIR counterparty" or "account PAIR PAIR country") is regular
    at the frame's `time`, as a polars expression."""
    import polars as pl

    since = keys.replace_strict(
        pl.Series(list(regular), dtype=pl.String),
        pl.Series(list(regular.values()), dtype=pl.Datetime("us", "UTC")),
        default=None,
        return_dtype=pl.Datetime("us", "UTC"),
    )
    return (pl.col("time") >= since).fill_null(False)


def regular_since(first: Any, start: Any) -> Any:
    """The time from which a relationship first seen at `first` is regular, as a polars
    expression (`start`: the input's first transfer): a month after it starts, so that a
    transfer is never judged by dealings that come after it; or from the start of the input for
    one seen in the input's first month, which may be older than the input (a payroll, a
    landlord, a relative)."""
    import polars as pl

    return pl.when(first - start <= MONTH).then(start).otherwise(first + MONTH)


def _always(thing: Any) -> bool:
    return True


def generated(tests: Sequence[tuple[str, Any]]) -> Callable[[Any], bool]:
    """One function of `x` that is true when every test is. A test is an expression of `x` with
    `{}` where its value goes, ("x.amount < {}", 500000): the values are bound as names, never
    written into the source. One generated function costs one call per event where a chain of
    closures costs one per test, and the streaming engine asks millions."""
    if not tests:
        return _always
    names = {f"v{index}": value for index, (_, value) in enumerate(tests)}
    body = " and ".join(f"({test.format(f'v{index}')})" for index, (test, _) in enumerate(tests))
    function: Callable[[Any], bool] = eval(  # the source is ours; values only as names
        f"lambda x: {body}", {"__builtins__": {}, "len": len, **names}
    )
    return function


def _checks(
    f: Filter,
    organisations: frozenset[str] = frozenset(),
    regular: Mapping[str, dt.datetime] | None = None,
) -> list[tuple[str, Any]]:
    """The tests of a filter that is set, for generated(), cheapest first."""
    found: list[tuple[str, Any]] = []
    if f.counterparty_organisation is not None:
        test = "in" if f.counterparty_organisation else "not in"
        found.append((f"x.counterparty {test} {{}}", organisations))
    if f.channels is not None:
        found.append(("x.channel in {}", f.channels))
    if f.except_channels is not None:
        found.append(("x.channel not in {}", f.except_channels))
    if f.amount_below is not None:
        found.append(("x.amount < {}", f.amount_below * UNITS))
    if f.amount_at_least is not None:
        found.append(("x.amount >= {}", f.amount_at_least * UNITS))
    if f.cross_border is not None:
        found.append(("x.cross_border is {}", f.cross_border))
    if f.cash_or_abroad is not None:
        found.append(("(x.channel == 'cash' or x.cross_border is True) is {}", f.cash_or_abroad))
    if f.same_owner is not None:
        found.append(("x.same_owner is {}", f.same_owner))
    if f.segments is not None:
        found.append(("(x.segment or '') in {}", f.segments))
    if f.except_segments is not None:
        found.append(("(x.segment or '') not in {}", f.except_segments))
    if f.counterparty_countries is not None:
        found.append(("(x.counterparty_country or '').upper() in {}", f.counterparty_countries))
    if f.counterparty_regular is not None:
        # Last: the only test that builds a string.
        wanted = f.counterparty_regular
        found.append(_regular_test("x.account", "x.counterparty", PAIR, wanted, regular))
    if f.corridor_regular is not None:
        country = "(x.counterparty_country or '').upper()"
        found.append(_regular_test("x.account", country, PAIR * 2, f.corridor_regular, regular))
    return found


def passes(
    rule: Rule,
    event: Event,
    organisations: frozenset[str] = frozenset(),
    regular: Mapping[str, dt.datetime] | None = None,
) -> bool:
    """Whether a transfers rule counts an event: its direction, then its filters."""
    if rule.direction not in ("both", event.direction):
        return False
    side = rule.sides.get(event.direction)
    known = regular or {}
    return _passes(rule.filter, event, organisations, known) and (
        side is None or _passes(side, event, organisations, known)
    )


def _passes(
    f: Filter, event: Event, organisations: frozenset[str], regular: Mapping[str, dt.datetime]
) -> bool:
    if f is NO_FILTER:
        return True
    if not transfer_passes(f, event) or not segment_passes(f, event.segment):
        return False
    if f.counterparty_organisation is not None and (
        (event.counterparty in organisations) is not f.counterparty_organisation
    ):
        return False
    if f.counterparty_regular is not None:
        since = regular.get(event.account + PAIR + event.counterparty, NEVER)
        if (event.time >= since) is not f.counterparty_regular:
            return False
    if f.corridor_regular is not None:
        corridor = event.account + PAIR * 2 + (event.counterparty_country or "").upper()
        if (event.time >= regular.get(corridor, NEVER)) is not f.corridor_regular:
            return False
    return (
        f.counterparty_countries is None
        or (event.counterparty_country or "").upper() in f.counterparty_countries
    )


def segment_passes(f: Filter, segment: str | None) -> bool:
    """Whether a filter's segments take an account of this segment."""
    segment = (segment or "").lower()
    if f.segments is not None and segment not in f.segments:
        return False
    return f.except_segments is None or segment not in f.except_segments


TRANSFER_SCHEMA: dict[str, Any] = {}
EVENT_SCHEMA: dict[str, Any] = {}
"""The event frame's columns: Event's fields in order (`party` for counterparty ...)."""


def _schemas() -> None:
    import polars as pl

    TRANSFER_SCHEMA.update(
        seq=pl.Int64,
        time=pl.Datetime("us", "UTC"),
        id=pl.String,
        src=pl.String,
        dst=pl.String,
        amount=pl.Int64,
        src_party=pl.String,
        dst_party=pl.String,
        src_country=pl.String,
        dst_country=pl.String,
        cross_border=pl.Boolean,
        channel=pl.String,
        same_owner=pl.Boolean,
    )
    EVENT_SCHEMA.update(
        seq=pl.Int64,
        key=pl.String,
        account=pl.String,
        time=pl.Datetime("us", "UTC"),
        direction=pl.String,
        amount=pl.Int64,
        party=pl.String,
        party_country=pl.String,
        cross_border=pl.Boolean,
        channel=pl.String,
        same_owner=pl.Boolean,
        segment=pl.String,
        ids=pl.String,
    )


def ordered(transactions: Sequence[Transaction]) -> list[Transaction]:
    """Transactions in time order, the input's order between equal times: the order both engines
    number them in."""
    return sorted(transactions, key=lambda t: t.timestamp)


def transfer_schema() -> dict[str, Any]:
    """The polars types of a transfer_frame's columns."""
    if not TRANSFER_SCHEMA:
        _schemas()
    return TRANSFER_SCHEMA


def transfer_frame(transactions: Sequence[Transaction], context: Context) -> Any:
    """transfer() of every transaction (in the order given, numbered from 0) as a polars frame,
    built column by column."""
    import polars as pl

    if not TRANSFER_SCHEMA:
        _schemas()
    ours = [t.originator for t in transactions]
    theirs = [t.beneficiary for t in transactions]
    frame = pl.DataFrame(
        {
            "seq": range(len(transactions)),
            "time": [(t.timestamp - EPOCH) // TICK for t in transactions],
            "id": [t.id for t in transactions],
            "src": [p.account for p in ours],
            "dst": [p.account for p in theirs],
            "amount": context.all_units(transactions),
            "src_party": [p.account or p.name or "?" for p in ours],
            "dst_party": [p.account or p.name or "?" for p in theirs],
            "src_country": [p.country for p in ours],
            "dst_country": [p.country for p in theirs],
            "cross_border": None,
            "channel": [channel_kind(t.channel) for t in transactions],
            "same_owner": [same_owner(a, b) for a, b in zip(ours, theirs, strict=True)],
        },
        schema={**TRANSFER_SCHEMA, "time": pl.Int64},
    )
    src, dst = pl.col("src_country"), pl.col("dst_country")
    return frame.with_columns(
        pl.col("time").cast(TRANSFER_SCHEMA["time"]),
        pl.when(src.is_not_null() & (src != "") & dst.is_not_null() & (dst != ""))
        .then(src.str.to_uppercase() != dst.str.to_uppercase())
        .alias("cross_border"),
    )


def event_frame(transfers: Any, context: Context, *, regular: bool = False) -> Any:
    """transfer_events() of every transfer of a transfer_frame, as one polars frame in the
    same order; with `regular`, also its columns `regular` and `corridor`: whether the event's
    counterparty (an account) and its country are regular for the account (Context.regular),
    read from the context when it holds them, else from this input (baselines.regular_pairs)."""
    import polars as pl

    if not EVENT_SCHEMA:
        _schemas()
    sides = []
    for order, (account, other, direction, party, country) in enumerate(
        (
            ("src", "dst", "out", "dst_party", "dst_country"),
            ("dst", "src", "in", "src_party", "src_country"),
        )
    ):
        sides.append(
            transfers.lazy()
            .filter(pl.col(account).is_not_null())
            .select(
                "seq",
                pl.col(account).alias("key"),
                pl.col(account).alias("account"),
                "time",
                pl.lit(direction).alias("direction"),
                "amount",
                pl.col(party).alias("party"),
                pl.col(country).alias("party_country"),
                "cross_border",
                "channel",
                "same_owner",
                pl.col("id").alias("ids"),
                (pl.col("seq") * 2 + order).alias("order"),  # as transfer_events: out, then in
                pl.col(other).is_not_null().alias("linked"),
            )
        )
    frame = pl.concat(sides)
    if context.segments:
        segments = pl.LazyFrame(
            {"account": list(context.segments), "segment": list(context.segments.values())},
            schema={"account": pl.String, "segment": pl.String},
        )
        frame = frame.join(segments, on="account", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("segment"))
    if not regular:
        return frame.sort("order").select(*EVENT_SCHEMA).cast(EVENT_SCHEMA).collect()
    # The flags on the collected frame: polars 2.1 runs these window aggregations slower
    # inside the lazy plan.
    found = frame.sort("order").select(*EVENT_SCHEMA, "linked").cast(EVENT_SCHEMA).collect()
    return _with_regular_flags(found, context.regular).drop("linked")


def _with_regular_flags(found: Any, known: Mapping[str, dt.datetime] | None) -> Any:
    """An event frame with its `regular` and `corridor` columns: made once for every rule that
    reads them, from the frame's sides (the transfers of each account with each counterparty,
    and with each country, either way), a counterparty from the time it is regular
    (regular_since), a corridor over the whole input; or, with `known`, a lookup in those
    keys."""
    import polars as pl

    country = pl.col("party_country").fill_null("").str.to_uppercase()
    if known is not None:
        party = pl.concat_str("account", "party", separator=PAIR)
        return found.with_columns(
            (pl.col("linked") & _regular_at(party, known)).alias("regular"),
            _regular_at(pl.concat_str(pl.col("account"), country, separator=PAIR * 2), known).alias(
                "corridor"
            ),
        )
    time = pl.col("time")
    pair, corridor = ("account", pl.when("linked").then("party")), ("account", country)
    # First each group's first and last times, plain window aggregations that share their
    # groups (polars 2.1 runs an expression of two aggregations per group far slower), then
    # the flags from them.
    spans = found.with_columns(
        time.min().over(*pair).alias("_first"),
        time.max().over(*pair).alias("_last"),
        time.min().over(*corridor).alias("_corridor_first"),
        time.max().over(*corridor).alias("_corridor_last"),
    )
    first, start = pl.col("_first"), pl.lit(found["time"].min(), found.schema["time"])
    return spans.with_columns(
        (pl.col("_last") - first > MONTH)
        .and_(time >= regular_since(first, start), pl.col("linked"))
        .alias("regular"),
        (pl.col("_corridor_last") - pl.col("_corridor_first") > MONTH).alias("corridor"),
    ).drop("_first", "_last", "_corridor_first", "_corridor_last")


def transfer_passes_expr(f: Filter) -> Any:
    """transfer_passes() as a polars expression over transfer or event frames."""
    import polars as pl

    condition = pl.lit(True)
    if f.channels is not None:
        condition &= pl.col("channel").is_in(sorted(f.channels))
    if f.except_channels is not None:
        condition &= ~pl.col("channel").is_in(sorted(f.except_channels))
    if f.amount_below is not None:
        condition &= pl.col("amount") < f.amount_below * UNITS
    if f.amount_at_least is not None:
        condition &= pl.col("amount") >= f.amount_at_least * UNITS
    if f.cross_border is not None:
        condition &= pl.col("cross_border").fill_null(not f.cross_border) == f.cross_border
    if f.cash_or_abroad is not None:
        leaves = (pl.col("channel") == "cash") | pl.col("cross_border").fill_null(False)
        condition &= leaves == f.cash_or_abroad
    if f.same_owner is not None:
        condition &= pl.col("same_owner") == f.same_owner
    return condition


def passes_expr(
    rule: Rule,
    organisations: frozenset[str] = frozenset(),
    history: bool = True,
    start: dt.datetime | None = None,
) -> Any:
    """passes() as a polars expression over event_frame (with its `regular` and `corridor`
    columns when a filter reads them: baselines.with_flags); with `history`, only the events
    from the rule's history after the input's first transfer (baselines count them all): at
    `start`, or the frame's least time when it holds the whole input."""
    import polars as pl

    condition = _passes_expr(rule.filter, organisations)
    if history and rule.history is not None:
        first = pl.col("time").min() if start is None else pl.lit(start)
        condition &= pl.col("time") - first >= rule.history
    if rule.direction != "both":
        condition &= pl.col("direction") == rule.direction
    for side, f in rule.sides.items():
        condition &= (pl.col("direction") != side) | _passes_expr(f, organisations)
    return condition


def _passes_expr(f: Filter, organisations: frozenset[str]) -> Any:
    import polars as pl

    condition = transfer_passes_expr(f)
    if f.counterparty_organisation is not None:
        known = pl.col("party").is_in(_keys(organisations))
        condition &= known if f.counterparty_organisation else ~known
    segment = pl.col("segment").fill_null("").str.to_lowercase()
    if f.segments is not None:
        condition &= segment.is_in(sorted(f.segments))
    if f.except_segments is not None:
        condition &= ~segment.is_in(sorted(f.except_segments))
    if f.counterparty_countries is not None:
        condition &= (
            pl.col("party_country")
            .fill_null("")
            .str.to_uppercase()
            .is_in(sorted(f.counterparty_countries))
        )
    if f.counterparty_regular is not None:
        condition &= pl.col("regular") == f.counterparty_regular
    if f.corridor_regular is not None:
        condition &= pl.col("corridor") == f.corridor_regular
    return condition


@functools.lru_cache(maxsize=8)
def _keys(values: frozenset[str]) -> Any:
    """A set of keys as one polars Series, made once for all the rules and sides that test it
    (a frozenset keeps its hash: the lookup does not walk it again)."""
    import polars as pl

    return pl.Series(sorted(values), dtype=pl.String).implode()


def _at(transaction: Transaction) -> str:
    return f" ({transaction.source})" if transaction.source else ""
