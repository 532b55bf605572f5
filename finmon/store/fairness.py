"""How often the installation's own customers are alerted, by the script of their name.

Measurement for supervisors (the fairness page): customers, customers with any alert, customers
with an alert decided a false positive, and the rates, per script group (names.script_groups);
the highest group's alert rate against the lowest's. The script is never a matching feature.
Benchmark figures measured elsewhere (bench/fairness.py --json) may be shown beside them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import select

from finmon.errors import InputError
from finmon.names.script_groups import SCRIPT_GROUPS, ScriptGroup, script_group
from finmon.store.engine import Database, default_database
from finmon.store.models import Alert, Customer
from finmon.workflow import AlertStatus

MAX_BENCHMARK_BYTES = 1 << 20
"""A benchmark file is a small table; anything larger is not one."""


@dataclass(slots=True)
class GroupFigures:
    """One script group's customers and how many of them were alerted."""

    group: ScriptGroup
    customers: int = 0
    alerted: int = 0
    """Customers with any alert, whatever its status."""
    false_positives: int = 0
    """Customers with an alert decided a false positive."""

    @property
    def alert_rate(self) -> float:
        """Share of the group's customers with any alert."""
        return self.alerted / self.customers if self.customers else 0.0

    @property
    def false_positive_rate(self) -> float:
        """Share of the group's customers with an alert decided a false positive."""
        return self.false_positives / self.customers if self.customers else 0.0


@dataclass(slots=True)
class Fairness:
    """The figures of every script group, in SCRIPT_GROUPS order."""

    groups: list[GroupFigures] = field(default_factory=list)

    @property
    def measured(self) -> list[GroupFigures]:
        """The groups that have customers."""
        return [g for g in self.groups if g.customers]

    @property
    def highest(self) -> GroupFigures | None:
        """The measured group alerted most often."""
        return max(self.measured, key=lambda g: g.alert_rate, default=None)

    @property
    def lowest(self) -> GroupFigures | None:
        """The measured group alerted least often."""
        return min(self.measured, key=lambda g: g.alert_rate, default=None)

    @property
    def ratio(self) -> float | None:
        """The highest group's alert rate over the lowest's; None when the lowest is 0 (no
        finite ratio) or fewer than two groups are measured."""
        high, low = self.highest, self.lowest
        if high is None or low is None or high is low or low.alert_rate == 0:
            return None
        return high.alert_rate / low.alert_rate


def fairness_figures(db: Database | None = None) -> Fairness:
    """Alert rates of the customers in the store, by the script of their name."""
    db = db or default_database()
    figures = {group: GroupFigures(group) for group in SCRIPT_GROUPS}
    with db.read() as session:
        alerted = set(session.scalars(select(Alert.customer_id).distinct()))
        cleared_query = select(Alert.customer_id).where(
            Alert.status == AlertStatus.FALSE_POSITIVE.value
        )
        cleared = set(session.scalars(cleared_query.distinct()))
        customers = session.execute(select(Customer.id, Customer.name)).yield_per(10_000)
        for customer_id, name in customers:
            group = figures[script_group(name)]
            group.customers += 1
            group.alerted += customer_id in alerted
            group.false_positives += customer_id in cleared
    return Fairness(list(figures.values()))


class BenchmarkRow(BaseModel):
    """One row of a benchmark file: a population's people in one script and how many alerted."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    population: str = Field(max_length=200)
    script: str = Field(max_length=100)
    people: int = Field(ge=0)
    alerted: int = Field(ge=0)
    rate: float = Field(ge=0.0, le=1.0)


_ROWS = TypeAdapter(list[BenchmarkRow])


def read_benchmark(path: Path) -> list[BenchmarkRow]:
    """The benchmark figures of a JSON file; InputError naming the file and the entry at fault."""
    try:
        if path.stat().st_size > MAX_BENCHMARK_BYTES:
            raise InputError(f"{path}: larger than {MAX_BENCHMARK_BYTES:,} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON file ({exc})") from None
    try:
        return _ROWS.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise InputError(
            f"{path}: {where}: {first['msg']} (expected a list of "
            "{population, script, people, alerted, rate})"
        ) from None
