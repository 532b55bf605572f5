"""Monitoring rules as data: a YAML pack an analyst can read, checked when it is loaded.

A rule watches one direction of one account's transfers (`in`: what the account receives, `out`:
what it sends) over a sliding time window, after a filter, and fires when every threshold of its
condition is reached: the count of transfers, their sum, the number of distinct counterparties.
Example (finmon/monitoring/packs/tf.yaml holds the shipped pack):

    - id: funnel_account
      typology: funnel account
      description: Many unrelated senders paying small sums into one account within a week.
      direction: in
      window: 7d
      filter: {amount_below: 1000}
      condition: {distinct_counterparties: 8, count: 8}
      score: 0.7

Filters: `channels` (any of), `amount_below`, `amount_at_least`, `cross_border` (true: the two
countries differ, both known), `counterparty_countries` (ISO codes, or `high_risk`: the
jurisdiction table of the pack, `jurisdictions:`). Amounts are compared as the file gives them
(the rules of a pack assume one currency; convert first when a file mixes them).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finmon.errors import InputError

PACKS = Path(__file__).parent / "packs"
DEFAULT_PACK = PACKS / "tf.yaml"
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
CONDITIONS = ("count", "sum", "distinct_counterparties")
FILTERS = ("channels", "amount_below", "amount_at_least", "cross_border", "counterparty_countries")


@dataclass(frozen=True, slots=True)
class Filter:
    """Which transfers a rule counts (every one, when nothing is set)."""

    channels: frozenset[str] | None = None
    amount_below: float | None = None
    amount_at_least: float | None = None
    cross_border: bool | None = None
    counterparty_countries: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a pack."""

    id: str
    typology: str
    description: str
    direction: str
    """"in" (the account receives) or "out" (it sends)."""
    window: dt.timedelta
    condition: dict[str, float]
    """Thresholds, each reached when the window's value is at least it: CONDITIONS."""
    score: float
    filter: Filter = field(default_factory=Filter)


def load_pack(path: Path | None = None) -> list[Rule]:
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
    jurisdictions = {str(c).upper() for c in data.get("jurisdictions", {}).get("high_risk", [])}
    rules = [_rule(path, i, item, jurisdictions) for i, item in enumerate(data["rules"], 1)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise InputError(f"{path}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    return rules


def _rule(path: Path, number: int, item: Any, high_risk: set[str]) -> Rule:
    where = f"{path}: rule {number}"
    if not isinstance(item, dict):
        raise InputError(f"{where}: a rule is a mapping of id, typology, direction, window ...")
    if isinstance(item.get("id"), str):
        where = f"{path}: rule {item['id']!r}"
    unknown = set(item) - {
        "id",
        "typology",
        "description",
        "direction",
        "window",
        "filter",
        "condition",
        "score",
    }
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("id", "typology", "direction", "window", "condition", "score"):
        if key not in item:
            raise InputError(f"{where}: '{key}' is missing")
    direction = str(item["direction"])
    if direction not in ("in", "out"):
        raise InputError(f"{where}: direction {direction!r}: use in or out")
    condition = item["condition"]
    if not isinstance(condition, dict) or not condition:
        raise InputError(f"{where}: condition is a mapping of {', '.join(CONDITIONS)}")
    thresholds: dict[str, float] = {}
    for key, value in condition.items():
        if key not in CONDITIONS:
            raise InputError(f"{where}: condition {key!r}: use {', '.join(CONDITIONS)}")
        thresholds[key] = _positive(where, f"condition.{key}", value)
    score = _positive(where, "score", item["score"])
    if score > 1:
        raise InputError(f"{where}: score {score} is above 1")
    return Rule(
        id=str(item["id"]),
        typology=str(item["typology"]),
        description=" ".join(str(item.get("description", "")).split()),
        direction=direction,
        window=_duration(where, item["window"]),
        condition=thresholds,
        score=score,
        filter=_filter(where, item.get("filter") or {}, high_risk),
    )


def _filter(where: str, given: Any, high_risk: set[str]) -> Filter:
    if not isinstance(given, dict):
        raise InputError(f"{where}: filter is a mapping of {', '.join(FILTERS)}")
    unknown = set(given) - set(FILTERS)
    if unknown:
        raise InputError(f"{where}: unknown filter(s) {', '.join(sorted(unknown))}")
    countries = given.get("counterparty_countries")
    if countries == "high_risk":
        if not high_risk:
            raise InputError(
                f"{where}: 'high_risk' needs the pack's jurisdictions: high_risk: list"
            )
        chosen: frozenset[str] | None = frozenset(high_risk)
    elif countries is None:
        chosen = None
    elif isinstance(countries, list) and all(isinstance(c, str) for c in countries):
        chosen = frozenset(c.upper() for c in countries)
    else:
        raise InputError(f"{where}: counterparty_countries is a list of ISO codes or high_risk")
    channels = given.get("channels")
    if channels is not None and not (
        isinstance(channels, list) and all(isinstance(c, str) for c in channels)
    ):
        raise InputError(f"{where}: channels is a list of channel names")
    cross = given.get("cross_border")
    if cross is not None and not isinstance(cross, bool):
        raise InputError(f"{where}: cross_border is true or false")
    return Filter(
        channels=frozenset(c.lower() for c in channels) if channels is not None else None,
        amount_below=_optional(where, "filter.amount_below", given.get("amount_below")),
        amount_at_least=_optional(where, "filter.amount_at_least", given.get("amount_at_least")),
        cross_border=cross,
        counterparty_countries=chosen,
    )


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
