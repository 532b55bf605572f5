"""The path patterns of monitoring rules (cycle, scatter_gather, listed_link), as events.

A *chain* of a rule is a run of transfers e1 .. ek that each pass the rule's filter, where each
transfer's beneficiary is the next one's originator, each comes later in the input than the one
before, the last is at most the rule's window after the first, the originators are all different,
and (with a tolerance) every amount is at most e1's and less by at most that share of it: money
passed on, less a fee or a cut, never more than came (two unrelated payments, the second the
larger, are not a path). From chains:

- `cycle`: a chain of 2 to `hops` transfers whose last beneficiary is the first originator. Each
  account on the cycle gets an event at the last transfer's time, the counterparty being the
  cycle's origin.
- `scatter_gather`: a chain of two transfers source -> intermediary -> gatherer (the gatherer not
  the source). The gatherer gets an event, counted per source (the window's key is gatherer and
  source), the counterparty being the intermediary; the condition counts intermediaries.
- `listed_link`: a transfer with a listed account on one side gets an event on the other side's
  account (one hop); with `hops: 2`, a chain of two transfers from a listed account, or into one,
  gets an event on the account at the far end (when it is not listed itself). The counterparty is
  the listed account. With a tolerance, the second transfer passes on a similar amount.

A filter's `counterparty_regular: false` takes only the transfers between two accounts that are
not regular counterparties of each other (Context.regular): a marketplace's weekly payout to a
seller and the seller's monthly bill to a utility are their usual life, not a path.

`Chains` derives the events one transfer at a time (the streaming engine), `path_events` for a
whole input at once with polars joins (the batch engine); both give the same events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from finmon.monitoring.events import (
    Context,
    Event,
    Transfer,
    edge_check,
    edge_regular,
    segment_passes,
    transfer_passes_expr,
)
from finmon.monitoring.rules import Rule

SEPARATOR = "\x1f"
"""Joins the transaction ids of a path in the event frame."""


@dataclass(slots=True)
class _Chain:
    """A chain that may still grow: its transfers' originators and ids, the first's amount and
    time, and the account it ends at (not frozen: one is made per transfer, and frozen
    dataclasses are slow to make)."""

    origins: tuple[str, ...]
    ids: tuple[str, ...]
    first_amount: int
    first_time: Any
    end: str


class Chains:
    """The streaming side: the chains that can still grow, kept per account they end at."""

    def __init__(self, rule: Rule, context: Context) -> None:
        self.rule = rule
        self.context = context
        self._passes = edge_check(rule.filter, context.regular or {})
        self._ending: defaultdict[str, list[_Chain]] = defaultdict(list)
        self._from_listed: defaultdict[str, list[_Chain]] = defaultdict(list)

    def feed(self, transfer: Transfer) -> list[Event]:
        """The events of the chains this transfer completes; then it starts a chain itself."""
        rule, t = self.rule, transfer
        if t.src is None or t.dst is None or t.src == t.dst or not self._passes(t):
            return []
        found: list[Event] = []
        listed = self.context.listed
        if rule.pattern == "listed_link":
            if (t.src in listed) != (t.dst in listed):
                mine, theirs = (t.dst, t.src) if t.src in listed else (t.src, t.dst)
                found += self._events([mine], transfer, mine, theirs, (t.id,))
            if rule.hops < 2:
                return found
            pool = self._ending if t.dst in listed else self._from_listed
        else:
            pool = self._ending
        oldest = t.time - rule.window
        _forget_before(self._ending.get(t.src), oldest)
        if self._from_listed:
            _forget_before(self._from_listed.get(t.src), oldest)
        for chain in pool.get(t.src, ()):
            if t.time - chain.first_time > rule.window:
                continue
            if rule.tolerance is not None and not (
                0 <= chain.first_amount - t.amount <= rule.tolerance * chain.first_amount
            ):
                continue
            found += self._grown(chain, transfer)
        self._start(transfer)
        return found

    def _grown(self, chain: _Chain, t: Transfer) -> list[Event]:
        rule, listed = self.rule, self.context.listed
        assert t.dst is not None
        origins, ids = (*chain.origins, chain.end), (*chain.ids, t.id)
        origin = chain.origins[0]
        if rule.pattern == "cycle":
            if t.dst == origin:
                return self._events(list(origins), t, None, origin, ids)
            if t.dst not in origins and len(ids) < rule.hops:
                self._ending[t.dst].append(
                    _Chain(origins, ids, chain.first_amount, chain.first_time, t.dst)
                )
            return []
        if t.dst == origin:
            return []
        if rule.pattern == "scatter_gather":
            return self._events([t.dst], t, f"{t.dst}{SEPARATOR}{origin}", chain.end, ids)
        if origin in listed and t.dst not in listed:
            return self._events([t.dst], t, None, origin, ids)
        if t.dst in listed and origin not in listed:
            return self._events([origin], t, None, t.dst, ids)
        return []

    def _start(self, t: Transfer) -> None:
        assert t.src is not None and t.dst is not None
        chain = _Chain((t.src,), (t.id,), t.amount, t.time, t.dst)
        self._ending[t.dst].append(chain)
        if self.rule.pattern == "listed_link" and t.src in self.context.listed:
            self._from_listed[t.dst].append(chain)

    def _events(
        self, accounts: list[str], t: Transfer, key: str | None, party: str, ids: tuple[str, ...]
    ) -> list[Event]:
        return [
            Event(
                seq=t.seq,
                key=key or account,
                account=account,
                time=t.time,
                direction="path",
                amount=t.amount,
                counterparty=party,
                counterparty_country=None,
                cross_border=None,
                channel=t.channel,
                same_owner=False,
                segment=None,
                ids=ids,
            )
            for account in accounts
            if segment_passes(self.rule.filter, self.context.segments.get(account))
        ]


def _forget_before(chains: list[_Chain] | None, oldest: Any) -> None:
    """Drop the chains at the front that began before `oldest` (chains are kept roughly in the
    order they began; the few out of order are skipped when read)."""
    if not chains:
        return
    stale = 0
    while stale < len(chains) and chains[stale].first_time < oldest:
        stale += 1
    del chains[:stale]


def path_events(rule: Rule, transfers: Any, context: Context, flags: Any = None) -> Any:
    """Chains' events for a whole input: `transfers` is events.transfer_frame as a LazyFrame;
    `flags`, when the rule's filter reads regular counterparties, the `regular` flags of the
    transfers (events.edge_regular); the result, a LazyFrame, has the columns of
    events.event_frame."""
    import polars as pl

    edges = edge_regular(
        transfers.filter(
            pl.col("src").is_not_null()
            & pl.col("dst").is_not_null()
            & (pl.col("src") != pl.col("dst"))
            & transfer_passes_expr(rule.filter)
        ),
        rule.filter,
        flags,
    )
    # Every hop's join reads the edges: cached, the filter and the join on the flags that make
    # them run once, not once per reading (a 4-hop cycle: 98 -> 45-55 ms CPU on the AMLSim
    # fan-in sample).
    edges = edges.select("seq", "time", "src", "dst", "amount", "channel", "id").cache()
    if rule.pattern == "listed_link":
        found = _listed_links(rule, edges, sorted(context.listed))
    elif rule.pattern == "scatter_gather":
        found = _scatter_gathers(rule, edges)
    else:
        found = _cycles(rule, edges)
    frame = pl.concat(found) if found else _frame(None)
    return _in_segments(rule, frame, context)


def _listed_links(rule: Rule, edges: Any, listed: list[str]) -> list[Any]:
    """Transfers with a listed account, and (two hops) money passed on to or from one."""
    import polars as pl

    src_listed, dst_listed = pl.col("src").is_in(listed), pl.col("dst").is_in(listed)
    one = edges.filter(src_listed != dst_listed).with_columns(
        pl.when(src_listed).then("dst").otherwise("src").alias("account"),
        pl.when(src_listed).then("src").otherwise("dst").alias("party"),
        pl.col("id").alias("ids"),
    )
    found = [_frame(one)]
    if rule.hops == 2:
        first, second = _first(edges), edges
        pairs = pl.concat(
            [
                _joined(first.filter(pl.col("origin").is_in(listed)), second, rule),
                _joined(first, second.filter(pl.col("dst").is_in(listed)), rule),
            ]
        ).unique(subset=["first_seq", "seq"], keep="first")
        pairs = pairs.filter(pl.col("dst") != pl.col("origin"))
        origin_listed, end_listed = pl.col("origin").is_in(listed), pl.col("dst").is_in(listed)
        from_listed = pairs.filter(origin_listed & ~end_listed)
        to_listed = pairs.filter(end_listed & ~origin_listed)
        found.append(
            _frame(
                from_listed.with_columns(
                    pl.col("dst").alias("account"), pl.col("origin").alias("party")
                )
            )
        )
        found.append(
            _frame(
                to_listed.with_columns(
                    pl.col("origin").alias("account"), pl.col("dst").alias("party")
                )
            )
        )
    return found


def _scatter_gathers(rule: Rule, edges: Any) -> list[Any]:
    """A source's transfers passed on by intermediaries to one gatherer: the gatherer's events."""
    import polars as pl

    pairs = _joined(_first(edges), edges, rule).filter(pl.col("dst") != pl.col("origin"))
    gathered = pairs.with_columns(pl.col("dst").alias("account"), pl.col("src").alias("party"))
    key = pl.concat_str([pl.col("dst"), pl.lit(SEPARATOR), pl.col("origin")])
    return [_frame(gathered, key=key)]


def _cycles(rule: Rule, edges: Any) -> list[Any]:
    """Chains of 2 to rule.hops transfers that return to where they began: every account's."""
    import polars as pl

    found = []
    chains = _first(edges)
    for _ in range(2, rule.hops + 1):
        grown = _joined(chains, edges, rule)
        closed = grown.filter(pl.col("dst") == pl.col("origin")).explode("origins")
        found.append(
            _frame(
                closed.with_columns(
                    pl.col("origins").alias("account"), pl.col("origin").alias("party")
                )
            )
        )
        chains = grown.filter(~pl.col("origins").list.contains(pl.col("dst"))).select(
            *_CHAIN[:-1], pl.col("dst").alias("end")
        )
    return found


def _in_segments(rule: Rule, frame: Any, context: Context) -> Any:
    """The events of accounts in the segments the rule's filter takes (all, when it names none)."""
    import polars as pl

    f = rule.filter
    if f.segments is None and f.except_segments is None:
        return frame
    taken = [a for a, s in context.segments.items() if segment_passes(f, s)]
    if f.segments is not None:
        return frame.filter(pl.col("account").is_in(taken))
    kept = set(taken)
    left = [a for a in context.segments if a not in kept]
    return frame.filter(~pl.col("account").is_in(left))


_CHAIN = ("origin", "origins", "ids", "first_amount", "first_time", "first_seq", "last_seq", "end")


def _first(edges: Any) -> Any:
    """Chains of one transfer."""
    import polars as pl

    return edges.select(
        pl.col("src").alias("origin"),
        pl.concat_list("src").alias("origins"),
        pl.col("id").alias("ids"),
        pl.col("amount").alias("first_amount"),
        pl.col("time").alias("first_time"),
        pl.col("seq").alias("first_seq"),
        pl.col("seq").alias("last_seq"),
        pl.col("dst").alias("end"),
    )


def _joined(chains: Any, edges: Any, rule: Rule) -> Any:
    """Every chain grown by one later transfer from its end, within the window and tolerance."""
    import polars as pl

    grown = chains.join(edges, left_on="end", right_on="src", how="inner").filter(
        (pl.col("seq") > pl.col("last_seq"))
        & (pl.col("time") - pl.col("first_time") <= rule.window)
    )
    if rule.tolerance is not None:
        less = pl.col("first_amount") - pl.col("amount")
        grown = grown.filter((less >= 0) & (less <= rule.tolerance * pl.col("first_amount")))
    return grown.with_columns(
        pl.concat_list("origins", "end").alias("origins"),
        pl.concat_str([pl.col("ids"), pl.lit(SEPARATOR), pl.col("id")]).alias("ids"),
        pl.col("end").alias("src"),
        pl.col("seq").alias("last_seq"),
    )


def _frame(chosen: Any, key: Any = None) -> Any:
    """Rows with account, party, seq, time, amount, channel and ids as an event frame."""
    import polars as pl

    from finmon.monitoring.events import EVENT_SCHEMA

    if chosen is None:
        return pl.LazyFrame(schema=EVENT_SCHEMA)
    return chosen.select(
        pl.col("seq"),
        (key if key is not None else pl.col("account")).alias("key"),
        pl.col("account"),
        pl.col("time"),
        pl.lit("path").alias("direction"),
        pl.col("amount"),
        pl.col("party"),
        pl.lit(None, pl.String).alias("party_country"),
        pl.lit(None, pl.Boolean).alias("cross_border"),
        pl.col("channel"),
        pl.lit(False).alias("same_owner"),
        pl.lit(None, pl.String).alias("segment"),
        pl.col("ids"),
    ).cast(EVENT_SCHEMA)
