"""The simulation's time, amounts and transfers: numbers in numpy columns until they are written.

A transfer is a row of integers: a time in seconds (UTC), the originator's and beneficiary's
account (indices into `Accounts`), the amount in tiyn, codes for the channel, the purpose text,
the typology and the scenario. Cash has an account on one side only: `hidden` says which side
shows the holder's name and IIN without an account (a deposit: the originator; a withdrawal:
the beneficiary).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from finmon.simulate.parameters import CHANNELS, TYPOLOGIES, Amounts

Ints = npt.NDArray[np.int64]
IntLike = Ints | int
UTC_OFFSET = 5 * 3600
"""Kazakhstan keeps one time zone, UTC+5, since 1 March 2024: hours are drawn local."""
DAY = 86_400
SHOWN, CASH_IN, CASH_OUT = 0, 1, 2
"""`hidden`: both accounts shown; the originator's not (deposit); the beneficiary's not."""
FIELDS = (
    "time",
    "origin",
    "beneficiary",
    "amount",
    "channel",
    "purpose",
    "hidden",
    "typology",
    "scenario",
)


class Clock:
    """The simulated period: day indices from the start, months, weekdays, and local hours."""

    def __init__(self, start: dt.date, months: int) -> None:
        ends = [_add_months(start, month) for month in range(months + 1)]
        self.start = start
        self.months = months
        self.days = (ends[-1] - start).days
        self.month_starts = np.array([(end - start).days for end in ends], dtype=np.int64)
        self.epoch = int(dt.datetime.combine(start, dt.time(), dt.UTC).timestamp())

    @property
    def end(self) -> int:
        """The first second (UTC) after the period, local midnight at its end."""
        return self.epoch + self.days * DAY - UTC_OFFSET

    def month_of(self, days: Ints) -> Ints:
        """The month (from 0) of each day."""
        return np.searchsorted(self.month_starts, days, side="right").astype(np.int64) - 1

    def month_days(self, month: int) -> tuple[int, int]:
        """The first day of a month and the day after its last."""
        return int(self.month_starts[month]), int(self.month_starts[month + 1])

    def business_day(self, days: Ints) -> Ints:
        """Each day moved off a weekend: Saturday to Friday, Sunday to Monday, within the period."""
        weekday = (self.start.weekday() + days) % 7
        moved = days - (weekday == 5) + (weekday == 6)
        moved = np.where(moved >= self.days, moved - 3, moved)
        within: Ints = np.clip(moved, 0, self.days - 1)
        return within

    def stamp(self, rng: np.random.Generator, days: Ints, hours: tuple[int, int] = (8, 22)) -> Ints:
        """A UTC time in seconds on each day, at a local hour in [from, to)."""
        seconds = rng.integers(hours[0] * 3600, hours[1] * 3600, size=len(days))
        return self.epoch + days * DAY + seconds - UTC_OFFSET

    def random_days(self, rng: np.random.Generator, count: int) -> Ints:
        """Days drawn evenly over the period."""
        return rng.integers(0, self.days, size=count)


def _add_months(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def draw(rng: np.random.Generator, amounts: Amounts, count: int) -> Ints:
    """Amounts in tiyn, log-normal around the median, redrawn until within [low, high]."""
    sigma = np.log(amounts.high / amounts.low) / 5
    values = np.empty(count, dtype=np.float64)
    todo = np.arange(count)
    while len(todo):
        values[todo] = rng.lognormal(np.log(amounts.median), sigma, size=len(todo))
        todo = todo[(values[todo] < amounts.low) | (values[todo] > amounts.high)]
    return to_tiyn(values, amounts.step)


def to_tiyn(tenge: npt.NDArray[np.float64], step: float = 0.01) -> Ints:
    """Tenge as whole tiyn, rounded to a step of tenge."""
    return (np.round(tenge / step) * round(step * 100)).astype(np.int64)


def spread(
    rng: np.random.Generator, clock: Clock, rate: float | npt.NDArray[np.float64], size: int
) -> tuple[Ints, Ints]:
    """Events of size actors at a rate a month (one rate or one each), on days drawn evenly:
    (the actor of each event, its day)."""
    counts = poisson(rng, np.asarray(rate) * clock.days / 30.4, size)
    return np.repeat(np.arange(size), counts), clock.random_days(rng, int(counts.sum()))


def monthly(clock: Clock, day_of_month: Ints) -> tuple[Ints, Ints, Ints]:
    """One event a month for each actor on its day of the month (from 0; the last day when the
    month is shorter): (the actor of each event, its month, its day)."""
    size = len(day_of_month)
    actor = np.tile(np.arange(size), clock.months)
    month = np.repeat(np.arange(clock.months), size)
    first, after = clock.month_starts[month], clock.month_starts[month + 1]
    return actor, month, np.minimum(first + day_of_month[actor], after - 1)


def choose(rng: np.random.Generator, table: dict[str, float], size: int) -> list[str]:
    """size keys of a table, drawn by their weights."""
    keys = list(table)
    weights = np.array(list(table.values()))
    return [keys[int(i)] for i in rng.choice(len(keys), size=size, p=weights / weights.sum())]


def poisson(rng: np.random.Generator, rate: float | npt.NDArray[np.float64], size: int) -> Ints:
    """Counts of events, Poisson distributed."""
    return rng.poisson(rate, size=size).astype(np.int64)


@dataclass(slots=True)
class Scenario:
    """One planted instance: the transfers labelled together."""

    id: str
    typology: str
    code: int


class Ledger:
    """Every transfer generated, column by column, in the order generated."""

    def __init__(self) -> None:
        self.parts: dict[str, list[Ints]] = {name: [] for name in FIELDS}
        self.purposes: list[str] = []
        self._purpose_codes: dict[str, int] = {}
        self.scenarios: list[Scenario] = []

    def add(
        self,
        time: Ints,
        origin: IntLike,
        beneficiary: IntLike,
        amount: IntLike,
        channel: str,
        purpose: str,
        *,
        hidden: int = SHOWN,
        scenario: Scenario | None = None,
    ) -> None:
        """Transfers at the given times; the other columns are arrays as long or single values."""
        count = len(time)
        if not count:
            return
        values = {
            "time": time,
            "origin": origin,
            "beneficiary": beneficiary,
            "amount": amount,
            "channel": CHANNELS.index(channel),
            "purpose": self._purpose(purpose),
            "hidden": hidden,
            "typology": 0 if scenario is None else TYPOLOGIES.index(scenario.typology) + 1,
            "scenario": -1 if scenario is None else scenario.code,
        }
        for name, value in values.items():
            self.parts[name].append(np.broadcast_to(np.asarray(value, dtype=np.int64), count))

    def scenario(self, typology: str) -> Scenario:
        """A new planted instance of a typology, numbered within it."""
        number = sum(1 for s in self.scenarios if s.typology == typology) + 1
        made = Scenario(f"{typology}-{number:03d}", typology, len(self.scenarios))
        self.scenarios.append(made)
        return made

    def columns(self) -> dict[str, Ints]:
        """Every column, whole."""
        return {
            name: np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
            for name, parts in self.parts.items()
        }

    def _purpose(self, text: str) -> int:
        code = self._purpose_codes.get(text)
        if code is None:
            code = self._purpose_codes[text] = len(self.purposes)
            self.purposes.append(text)
        return code
