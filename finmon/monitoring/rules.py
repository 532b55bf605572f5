"""Monitoring rules as data: a YAML pack an analyst can read, checked when it is loaded.

A pack names its currency, the exchange rates into it, the jurisdiction tables its filters use,
the review threshold of the typology score, and its rules. Each rule watches a pattern over a
sliding time window and fires when every threshold of its condition is reached. Patterns:

- `transfers` (the default): one account's transfers in one direction (`in`: what it receives,
  `out`: what it sends, `both`), after a filter; conditions on their count, sum, distinct
  counterparties, the sums in and out and the ratio of out to in (`out_in_ratio`: out between
  r and 1/r of in, money passed on; `out_in_at_least`: out at least r of in, no upper bound);
- `cycle`: money that leaves an account and returns to it through up to `hops` transfers, every
  transfer within `tolerance` of the first's amount, all within the window; every account on the
  cycle is alerted;
- `scatter_gather`: a source pays intermediaries who each pass a similar amount (within
  `tolerance`) on to one gatherer within the window; condition on the distinct intermediaries;
  the gatherer, the source and the intermediaries are alerted;
- `listed_link`: transfers with a listed or frozen party's account (one hop), or through one
  account in between (two hops, `hops: 2`, the second transfer within `tolerance` of the first's
  amount: money passed on) within the window, in either direction.

Example (finmon/monitoring/packs/tf.yaml holds the shipped pack):

    - id: funnel_account
      typology: funnel account
      description: Many unrelated senders paying small sums into one account within a week.
      direction: in
      window: 7d
      filter: {amount_below: 250000, except_segments: [business, npo]}
      condition: {distinct_counterparties: 10, count: 10}
      score: 0.7

Filters: `channels` (any of), `except_channels` (none of; both as the transactions module's
channel_kind reads a channel: ATM, "cash deposit" ... are cash, POS and e-commerce card),
`amount_below`, `amount_at_least`,
`cross_border` (true: the two countries differ, both known), `cash_or_abroad` (true: only cash
and transfers across the border, money leaving the sight of the banks at home; false: only
other transfers), `same_owner` (false: leave out
transfers between two accounts of one owner, by their identifier), `counterparty_countries` (ISO
codes, or the name of a table under the pack's `jurisdictions:`), `segments` and
`except_segments` (the segment of the account alerted, as the accounts table given with the
transfers says: `finmon monitor --accounts`), `counterparty_organisation` (true: only transfers
with an organisation, a holder written with a legal form or identified by a BIN; false: only
those with people), `counterparty_regular` (true: only transfers with a counterparty the account
deals with over more than a month of the input, such as a crew paid monthly, from a month into
the relationship (from the start for one seen in the input's first month); false: only those
with a new or one-off counterparty; on a path pattern, about the two
accounts of each transfer of the path), `corridor_regular` (the same for
the counterparty's country: false takes only a corridor the account uses within a month, a new
one). A direction-both rule may filter
its in and out sides apart (`filter: {in: {...}, out: {...}}`). Amounts are in the pack's
currency: a transfer in another currency is converted with the pack's rates (or those given);
one with no rate is refused.
A transfers rule may also compare its window with what is usual (baselines.py): `baseline:
{count: 3}` (the window holds at least three times the account's usual rate in the rest of the
input; count, sum and the in/out counts and sums) and `peer: {in_sum: 0.99}` (at least that
percentile of its peer group's largest period). `source:` names where the typology comes from.
`evidence: [collection]` names what the rule's alert rests on: an account's rules that name a
common piece of evidence (one collection seen by two rules) count once in its typology score, at
the highest of their scores, while rules resting on separate evidence add up
(engine.typology_scores).
`history: 30d` counts transfers only from that long after the input's first transfer (a first
corridor abroad is a change only where the input shows a before to compare with).
A rule with `report: threshold` finds threshold transactions to report (Article 4), not suspicion.
A rule with `follow_up: true` alerts the later events of a key within the window after an alert
as they come (for scatter_gather: the intermediaries after the first few).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from finmon.common.configfile import Strict, read_yaml, validated
from finmon.errors import InputError
from finmon.transactions.model import channel_kind

PACKS = Path(__file__).parent / "packs"
DEFAULT_PACK = PACKS / "tf.yaml"
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
PATTERNS = ("transfers", "cycle", "scatter_gather", "listed_link")
CONDITIONS = (
    "count",
    "sum",
    "distinct_counterparties",
    "in_count",
    "out_count",
    "in_sum",
    "out_sum",
    "out_in_ratio",
    "out_in_at_least",
)
RATIOS = ("out_in_ratio", "out_in_at_least")
"""The conditions on out against in: two-sided (out between r and 1/r of in) and one-sided
(out at least r of in, however much more); both need money in."""
ADDITIVE = ("count", "sum", "in_count", "out_count", "in_sum", "out_sum")
"""The measures that add up over events: those a baseline compares (baselines.py)."""
FILTERS = (
    "channels",
    "except_channels",
    "amount_below",
    "amount_at_least",
    "cross_border",
    "cash_or_abroad",
    "same_owner",
    "counterparty_countries",
    "segments",
    "except_segments",
    "counterparty_organisation",
    "counterparty_regular",
    "corridor_regular",
)


@dataclass(frozen=True, slots=True)
class Filter:
    """Which transfers a rule counts (every one, when nothing is set)."""

    channels: frozenset[str] | None = None
    except_channels: frozenset[str] | None = None
    amount_below: float | None = None
    amount_at_least: float | None = None
    cross_border: bool | None = None
    cash_or_abroad: bool | None = None
    """True: only cash and transfers across the border (cross_border true); false: the rest."""
    same_owner: bool | None = None
    counterparty_countries: frozenset[str] | None = None
    segments: frozenset[str] | None = None
    """The segments of the account alerted (the accounts table's `segment`)."""
    except_segments: frozenset[str] | None = None
    """Segments whose accounts the rule leaves alone."""
    counterparty_organisation: bool | None = None
    """True: only transfers with an organisation (its holder written with a legal form or
    identified by a BIN: segments.segment_of); false: only those with people."""
    counterparty_regular: bool | None = None
    """True: only transfers with a counterparty the account deals with over more than a month
    of the input (baselines.regular_pairs: a crew paid each month, a relative sent to all year),
    from a month into the relationship (events.regular_since); false: only the others (new
    or one-off)."""
    corridor_regular: bool | None = None
    """The same for the counterparty's country: true, only transfers with a country the account
    deals with over more than a month (a migrant's family at home, whichever relative); false,
    only those with a country it deals with within a month (a new corridor)."""


NO_FILTER = Filter()
"""The filter that takes every transfer (a rule without one has this very object)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a pack."""

    id: str
    typology: str
    description: str
    direction: str
    """"in" (the account receives), "out" (it sends) or "both"; "path" for the path patterns."""
    window: dt.timedelta
    condition: dict[str, float]
    """Thresholds, each reached when the window's value is at least it: CONDITIONS."""
    score: float
    filter: Filter = NO_FILTER
    pattern: str = "transfers"
    hops: int = 1
    """The most transfers on a path (cycle, listed_link); 2 for scatter_gather."""
    tolerance: float | None = None
    """How far each transfer of a path may be from the first's amount, as a share of it."""
    report: str | None = None
    """"threshold": the rule finds threshold transactions to report, not suspicion."""
    source: str = ""
    """Where the typology comes from (FATF, EAG, AFM reports): for the analyst, not the engines."""
    follow_up: bool = False
    """After an alert, later events of the same key within the window are alerted as they come
    (the rest of a pattern already found), without waiting for the thresholds again."""
    baseline: dict[str, float] = field(default_factory=dict)
    """Measure -> factor: the window must also hold factor times the account's usual value of
    the measure (baselines.py), beside the condition's thresholds."""
    peer: dict[str, float] = field(default_factory=dict)
    """Measure -> share: the window must also hold at least that percentile, over the accounts
    of the account's peer group (its segment), of each account's largest period (baselines.py)."""
    history: dt.timedelta | None = None
    """The rule counts transfers only from this long after the input's first transfer: a change
    of behaviour (a first corridor abroad) is judged only where the input shows a before."""
    sides: dict[str, Filter] = field(default_factory=dict)
    """For direction both: a filter for the events `in` and one for those `out`, beside the
    filter for both (`filter: {in: {...}, out: {...}}`)."""
    evidence: tuple[str, ...] = ()
    """What the rule's alert rests on (`evidence: [collection]`): rules of one account naming a
    common piece of evidence are one indication in its typology score, counted at the highest of
    their scores (engine.typology_scores); empty, the rule's own evidence, shared with none."""


@dataclass(frozen=True, slots=True)
class Pack:
    """A rules pack: its rules and what they assume."""

    rules: tuple[Rule, ...]
    currency: str = "KZT"
    rates: dict[str, Decimal] = field(default_factory=dict)
    """Units of the pack's currency per one unit of each other currency."""
    review_threshold: float = 0.5
    """An account whose typology score reaches this goes to review."""
    path: Path | None = None

    @property
    def evidence(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the evidence it rests on, for the rules that share some (typology_scores)."""
        return {rule.id: rule.evidence for rule in self.rules if rule.evidence}


def load_pack(path: Path | None = None) -> Pack:
    """The rules of a YAML pack (the shipped terrorist-financing pack by default)."""
    path = path or DEFAULT_PACK
    data = read_yaml(path, "rules pack")
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(f"{path}: a rules pack is a mapping with a list under 'rules:'")
    spec = validated(PackSpec, data, path)
    rules = [_rule(spec, item) for item in spec.rules]
    return Pack(
        rules=tuple(rules),
        currency=spec.currency,
        rates={code: Decimal(str(rate)) for code, rate in spec.rates.items()},
        review_threshold=spec.review_threshold,
        path=path,
    )


def _duration(value: Any) -> dt.timedelta:
    if not isinstance(value, str):
        raise ValueError(f"window {value!r}: use a number and s, m, h or d (48h, 7d)")
    matched = _DURATION.match(value.strip())
    if matched is None or int(matched.group(1)) == 0:
        raise ValueError(f"window {value!r}: use a number and s, m, h or d (48h, 7d)")
    return dt.timedelta(**{_UNITS[matched.group(2)]: int(matched.group(1))})


def _condition(given: dict[str, float]) -> dict[str, float]:
    for key in given:
        if key not in CONDITIONS:
            raise ValueError(f"condition {key!r}: use {', '.join(CONDITIONS)}")
    if not given:
        raise ValueError(f"condition is a mapping of {', '.join(CONDITIONS)}")
    for key in RATIOS:
        if given.get(key, 0) > 1:
            raise ValueError(f"condition.{key} is a share: at most 1")
    return given


Positive = Annotated[float, Field(gt=0)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Names = Annotated[list[str], AfterValidator(lambda names: [n.lower() for n in names])]
Codes = Annotated[list[str], AfterValidator(lambda codes: [c.upper() for c in codes])]


class FilterSpec(Strict):
    """A rule's `filter:` as written (FILTERS), with the in and out sides of a both rule."""

    channels: Names | None = None
    except_channels: Names | None = None
    amount_below: Positive | None = None
    amount_at_least: Positive | None = None
    cross_border: bool | None = None
    cash_or_abroad: bool | None = None
    same_owner: bool | None = None
    counterparty_countries: Codes | str | None = None
    segments: Names | None = None
    except_segments: Names | None = None
    counterparty_organisation: bool | None = None
    counterparty_regular: bool | None = None
    corridor_regular: bool | None = None
    in_: FilterSpec | None = Field(default=None, alias="in")
    out: FilterSpec | None = None


class RuleSpec(Strict):
    """One rule as written in a pack."""

    id: str
    typology: str
    description: str = ""
    source: str = ""
    pattern: str = "transfers"
    direction: str | None = None
    window: Annotated[dt.timedelta, BeforeValidator(_duration)]
    hops: int | None = None
    tolerance: Annotated[float, Field(gt=0, lt=1)] | None = None
    filter: FilterSpec | None = None
    condition: Annotated[dict[str, Positive], AfterValidator(_condition)]
    score: Annotated[float, Field(gt=0, le=1)]
    report: Literal["threshold"] | None = None
    follow_up: bool = False
    baseline: dict[str, Positive] | None = None
    peer: dict[str, Annotated[float, Field(gt=0, le=1)]] | None = None
    history: Annotated[dt.timedelta, BeforeValidator(_duration)] | None = None
    evidence: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        if self.pattern not in PATTERNS:
            raise ValueError(f"pattern {self.pattern!r}: use {', '.join(PATTERNS)}")
        transfers = self.pattern == "transfers"
        if transfers and self.direction not in ("in", "out", "both"):
            raise ValueError(f"direction {self.direction!r}: use in, out or both")
        if not transfers and self.direction is not None:
            raise ValueError(f"a {self.pattern} rule follows paths, it has no direction")
        low, high = HOPS[self.pattern]
        if self.hops is not None and not low <= self.hops <= high:
            raise ValueError(f"hops {self.hops!r}: a {self.pattern} rule takes {low} to {high}")
        if self.tolerance is not None and transfers:
            raise ValueError("tolerance is a share below 1, for the path patterns")
        for name, bars in (("baseline", self.baseline), ("peer", self.peer)):
            allowed = ADDITIVE if name == "baseline" else CONDITIONS[:-1]
            for measure in bars or {}:
                if measure not in allowed:
                    raise ValueError(f"{name} {measure!r}: use {', '.join(allowed)}")
            if bars and not transfers:
                raise ValueError(f"{name} compares transfers rules' windows only")
        if self.history is not None and not transfers:
            raise ValueError("history is for transfers rules only")
        given = self.filter or FilterSpec()
        if (given.in_ or given.out) and self.direction != "both":
            raise ValueError("filters for in and out need direction both")
        for side in (given, given.in_, given.out):
            if transfers or side is None:
                continue
            if side.counterparty_countries is not None:
                raise ValueError("counterparty_countries filters transfers rules only")
            if side.counterparty_organisation is not None:
                raise ValueError("counterparty_organisation filters transfers rules only")
            if side.corridor_regular is not None or (
                side.counterparty_regular is not None and side is not given
            ):
                raise ValueError("corridor_regular filters transfers rules only")
        return self


class PackSpec(Strict):
    """A rules pack as written (`organisations` only names a list for rules to refer to)."""

    currency: Currency = "KZT"
    rates: dict[Currency, Positive] = Field(default_factory=dict)
    review_threshold: Annotated[float, Field(gt=0, le=1)] = 0.5
    organisations: list[str] | None = None
    jurisdictions: dict[str, Codes] = Field(default_factory=dict)
    rules: list[RuleSpec]

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"[A-Za-z]{3}", value):
            raise ValueError(f"currency {value!r} is not a currency code")
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _references(self) -> PackSpec:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice")
            seen.add(rule.id)
            given = rule.filter or FilterSpec()
            for side in (given, given.in_, given.out):
                table = side.counterparty_countries if side else None
                if isinstance(table, str) and table not in self.jurisdictions:
                    raise ValueError(
                        f"rule {rule.id!r}: counterparty_countries {table!r} needs the pack's "
                        f"jurisdictions: {table}: list"
                    )
        return self


HOPS = {"transfers": (1, 1), "cycle": (2, 4), "scatter_gather": (2, 2), "listed_link": (1, 2)}
"""The fewest and most transfers on a path, per pattern."""


def _rule(pack: PackSpec, spec: RuleSpec) -> Rule:
    given = spec.filter or FilterSpec()
    sides = {name: side for name, side in (("in", given.in_), ("out", given.out)) if side}
    default_hops = 3 if spec.pattern == "cycle" else HOPS[spec.pattern][1]
    return Rule(
        id=spec.id,
        typology=spec.typology,
        description=" ".join(spec.description.split()),
        source=" ".join(spec.source.split()),
        direction=spec.direction or "path",
        window=spec.window,
        condition=dict(spec.condition),
        score=spec.score,
        filter=_filter(pack, given),
        pattern=spec.pattern,
        hops=default_hops if spec.hops is None else spec.hops,
        tolerance=spec.tolerance,
        report=spec.report,
        follow_up=spec.follow_up,
        baseline=dict(spec.baseline or {}),
        peer=dict(spec.peer or {}),
        history=spec.history,
        sides={name: _filter(pack, side) for name, side in sides.items()},
        evidence=tuple(dict.fromkeys(spec.evidence or ())),
    )


def _filter(pack: PackSpec, spec: FilterSpec) -> Filter:
    fields = spec.model_dump(exclude={"in_", "out"}, exclude_none=True)
    if not fields:
        return NO_FILTER
    countries = spec.counterparty_countries
    if isinstance(countries, str):
        countries = pack.jurisdictions[countries]
    return Filter(
        channels=_channels(spec.channels),
        except_channels=_channels(spec.except_channels),
        amount_below=spec.amount_below,
        amount_at_least=spec.amount_at_least,
        cross_border=spec.cross_border,
        cash_or_abroad=spec.cash_or_abroad,
        same_owner=spec.same_owner,
        counterparty_countries=None if countries is None else frozenset(countries),
        segments=None if spec.segments is None else frozenset(spec.segments),
        except_segments=None if spec.except_segments is None else frozenset(spec.except_segments),
        counterparty_organisation=spec.counterparty_organisation,
        counterparty_regular=spec.counterparty_regular,
        corridor_regular=spec.corridor_regular,
    )


def _channels(names: list[str] | None) -> frozenset[str] | None:
    """Channel names as transfers' channels are compared (ATM is cash, POS card: channel_kind)."""
    return None if names is None else frozenset(channel_kind(name) for name in names)
