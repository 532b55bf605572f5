"""Monitoring rules as data: a YAML pack an analyst can read, checked when it is loaded.

A pack names its currency, the exchange rates into it, the jurisdiction tables its filters use,
the review threshold of the typology score, and its rules. Each rule watches a pattern over a
sliding time window and fires when every threshold of its condition is reached. Patterns:

- `transfers` (the default): one account's transfers in one direction (`in`: what it receives,
  `out`: what it sends, `both`), after a filter; conditions on their count, sum, distinct
  counterparties, the sums in and out and the ratio of out to in (pass-through);
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
`cross_border` (true: the two countries differ, both known), `same_owner` (false: leave out
transfers between two accounts of one owner, by their identifier), `counterparty_countries` (ISO
codes, or the name of a table under the pack's `jurisdictions:`), `segments` and
`except_segments` (the segment of the account alerted, as the accounts table given with the
transfers says: `finmon monitor --accounts`). A direction-both rule may filter its in and out
sides apart (`filter: {in: {...}, out: {...}}`). Amounts are in the pack's currency: a transfer
in another currency is converted with the pack's rates (or those given); one with no rate is
refused.
A rule with `report: threshold` finds threshold transactions to report (Article 4), not suspicion.
A rule with `follow_up: true` alerts the later events of a key within the window after an alert
as they come (for scatter_gather: the intermediaries after the first few).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

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
)
FILTERS = (
    "channels",
    "except_channels",
    "amount_below",
    "amount_at_least",
    "cross_border",
    "same_owner",
    "counterparty_countries",
    "segments",
    "except_segments",
)
_FIELDS = (
    "id",
    "typology",
    "description",
    "pattern",
    "direction",
    "window",
    "hops",
    "tolerance",
    "filter",
    "condition",
    "score",
    "report",
    "follow_up",
)
_PACK_FIELDS = ("currency", "rates", "review_threshold", "organisations", "jurisdictions", "rules")
"""`organisations` only names a list for the rules to refer to (a YAML anchor)."""


@dataclass(frozen=True, slots=True)
class Filter:
    """Which transfers a rule counts (every one, when nothing is set)."""

    channels: frozenset[str] | None = None
    except_channels: frozenset[str] | None = None
    amount_below: float | None = None
    amount_at_least: float | None = None
    cross_border: bool | None = None
    same_owner: bool | None = None
    counterparty_countries: frozenset[str] | None = None
    segments: frozenset[str] | None = None
    """The segments of the account alerted (the accounts table's `segment`)."""
    except_segments: frozenset[str] | None = None
    """Segments whose accounts the rule leaves alone."""


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
    follow_up: bool = False
    """After an alert, later events of the same key within the window are alerted as they come
    (the rest of a pattern already found), without waiting for the thresholds again."""
    sides: dict[str, Filter] = field(default_factory=dict)
    """For direction both: a filter for the events `in` and one for those `out`, beside the
    filter for both (`filter: {in: {...}, out: {...}}`)."""


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


def load_pack(path: Path | None = None) -> Pack:
    """The rules of a YAML pack (the shipped terrorist-financing pack by default)."""
    import yaml

    path = path or DEFAULT_PACK
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the rules: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(f"{path}: a rules pack is a mapping with a list under 'rules:'")
    unknown = set(data) - set(_PACK_FIELDS)
    if unknown:
        raise InputError(f"{path}: unknown field(s) {', '.join(sorted(unknown))}")
    tables = _jurisdictions(path, data.get("jurisdictions") or {})
    rules = [_rule(path, i, item, tables) for i, item in enumerate(data["rules"], 1)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise InputError(f"{path}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    currency = str(data.get("currency", "KZT")).upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InputError(f"{path}: currency {data.get('currency')!r} is not a currency code")
    review = data.get("review_threshold", 0.5)
    if isinstance(review, bool) or not isinstance(review, int | float) or not 0 < review <= 1:
        raise InputError(f"{path}: review_threshold {review!r} must be above 0 and at most 1")
    return Pack(
        rules=tuple(rules),
        currency=currency,
        rates=_rates(path, data.get("rates") or {}),
        review_threshold=float(review),
        path=path,
    )


def _jurisdictions(path: Path, given: Any) -> dict[str, frozenset[str]]:
    if not isinstance(given, dict) or not all(
        isinstance(codes, list) and all(isinstance(c, str) for c in codes)
        for codes in given.values()
    ):
        raise InputError(f"{path}: jurisdictions maps a table's name to a list of ISO codes")
    return {str(name): frozenset(c.upper() for c in codes) for name, codes in given.items()}


def _rates(path: Path, given: Any) -> dict[str, Decimal]:
    if not isinstance(given, dict):
        raise InputError(f"{path}: rates maps a currency code to its value in the pack currency")
    rates: dict[str, Decimal] = {}
    for code, value in given.items():
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            rate = Decimal(0)
        if not re.fullmatch(r"[A-Z]{3}", str(code)) or isinstance(value, bool) or rate <= 0:
            raise InputError(f"{path}: rates: {code}: {value!r} is not a positive rate")
        rates[str(code)] = rate
    return rates


def _rule(path: Path, number: int, item: Any, tables: dict[str, frozenset[str]]) -> Rule:
    where = f"{path}: rule {number}"
    if not isinstance(item, dict):
        raise InputError(f"{where}: a rule is a mapping of id, typology, direction, window ...")
    if isinstance(item.get("id"), str):
        where = f"{path}: rule {item['id']!r}"
    unknown = set(item) - set(_FIELDS)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    pattern = str(item.get("pattern", "transfers"))
    if pattern not in PATTERNS:
        raise InputError(f"{where}: pattern {pattern!r}: use {', '.join(PATTERNS)}")
    needed = ("id", "typology", "window", "condition", "score")
    for key in (*needed, "direction") if pattern == "transfers" else needed:
        if key not in item:
            raise InputError(f"{where}: '{key}' is missing")
    direction = str(item.get("direction", "path"))
    if pattern == "transfers" and direction not in ("in", "out", "both"):
        raise InputError(f"{where}: direction {direction!r}: use in, out or both")
    if pattern != "transfers" and "direction" in item:
        raise InputError(f"{where}: a {pattern} rule follows paths, it has no direction")
    condition = item["condition"]
    if not isinstance(condition, dict) or not condition:
        raise InputError(f"{where}: condition is a mapping of {', '.join(CONDITIONS)}")
    thresholds: dict[str, float] = {}
    for key, value in condition.items():
        if key not in CONDITIONS:
            raise InputError(f"{where}: condition {key!r}: use {', '.join(CONDITIONS)}")
        thresholds[key] = _positive(where, f"condition.{key}", value)
    if thresholds.get("out_in_ratio", 0) > 1:
        raise InputError(f"{where}: condition.out_in_ratio is a share: at most 1")
    score = _positive(where, "score", item["score"])
    if score > 1:
        raise InputError(f"{where}: score {score} is above 1")
    hops = _hops(where, pattern, item.get("hops"))
    tolerance = _optional(where, "tolerance", item.get("tolerance"))
    if tolerance is not None and (pattern == "transfers" or tolerance >= 1):
        raise InputError(f"{where}: tolerance is a share below 1, for the path patterns")
    follow_up = item.get("follow_up", False)
    if not isinstance(follow_up, bool):
        raise InputError(f"{where}: follow_up is true or false")
    report = item.get("report")
    if report not in (None, "threshold"):
        raise InputError(f"{where}: report {report!r}: the only kind is threshold")
    given = item.get("filter") or {}
    sides = {}
    if isinstance(given, dict):
        given = dict(given)
        sides = {side: given.pop(side) for side in ("in", "out") if side in given}
    if sides and direction != "both":
        raise InputError(f"{where}: filters for in and out need direction both")
    chosen = _filter(where, given, tables)
    if pattern != "transfers" and chosen.counterparty_countries is not None:
        raise InputError(f"{where}: counterparty_countries filters transfers rules only")
    return Rule(
        id=str(item["id"]),
        typology=str(item["typology"]),
        description=" ".join(str(item.get("description", "")).split()),
        direction=direction,
        window=_duration(where, item["window"]),
        condition=thresholds,
        score=score,
        filter=chosen,
        pattern=pattern,
        hops=hops,
        tolerance=tolerance,
        report=report,
        follow_up=follow_up,
        sides={side: _filter(f"{where}: {side}", f, tables) for side, f in sides.items()},
    )


def _hops(where: str, pattern: str, value: Any) -> int:
    limits = {"transfers": (1, 1), "cycle": (2, 4), "scatter_gather": (2, 2), "listed_link": (1, 2)}
    low, high = limits[pattern]
    if value is None:
        return high if pattern != "cycle" else 3
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{where}: hops {value!r}: a {pattern} rule takes {low} to {high}")
    return value


def _filter(where: str, given: Any, tables: dict[str, frozenset[str]]) -> Filter:
    if not isinstance(given, dict):
        raise InputError(f"{where}: filter is a mapping of {', '.join(FILTERS)}")
    unknown = set(given) - set(FILTERS)
    if unknown:
        raise InputError(f"{where}: unknown filter(s) {', '.join(sorted(unknown))}")
    countries = given.get("counterparty_countries")
    if isinstance(countries, str):
        if countries not in tables:
            raise InputError(
                f"{where}: counterparty_countries {countries!r} needs the pack's "
                f"jurisdictions: {countries}: list"
            )
        chosen: frozenset[str] | None = tables[countries]
    elif countries is None:
        chosen = None
    elif isinstance(countries, list) and all(isinstance(c, str) for c in countries):
        chosen = frozenset(c.upper() for c in countries)
    else:
        raise InputError(f"{where}: counterparty_countries is a list of ISO codes or a table")
    flags = {}
    for name in ("cross_border", "same_owner"):
        flag = given.get(name)
        if flag is not None and not isinstance(flag, bool):
            raise InputError(f"{where}: {name} is true or false")
        flags[name] = flag
    if not given:
        return NO_FILTER
    return Filter(
        channels=_channels(_names(where, "channels", given.get("channels"))),
        except_channels=_channels(_names(where, "except_channels", given.get("except_channels"))),
        amount_below=_optional(where, "filter.amount_below", given.get("amount_below")),
        amount_at_least=_optional(where, "filter.amount_at_least", given.get("amount_at_least")),
        cross_border=flags["cross_border"],
        same_owner=flags["same_owner"],
        counterparty_countries=chosen,
        segments=_names(where, "segments", given.get("segments")),
        except_segments=_names(where, "except_segments", given.get("except_segments")),
    )


def _names(where: str, name: str, value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise InputError(f"{where}: {name} is a list of names")
    return frozenset(v.lower() for v in value)


def _channels(names: frozenset[str] | None) -> frozenset[str] | None:
    """Channel names as transfers' channels are compared (ATM is cash, POS card: channel_kind)."""
    return None if names is None else frozenset(channel_kind(name) for name in names)


def _duration(where: str, value: Any) -> dt.timedelta:
    matched = _DURATION.match(str(value).strip())
    if matched is None or int(matched.group(1)) == 0:
        raise InputError(f"{where}: window {value!r}: use a number and s, m, h or d (48h, 7d)")
    return dt.timedelta(**{_UNITS[matched.group(2)]: int(matched.group(1))})


def _positive(where: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InputError(f"{where}: {name} {value!r} must be a positive number")
    return float(value)


def _optional(where: str, name: str, value: Any) -> float | None:
    return None if value is None else _positive(where, name, value)
