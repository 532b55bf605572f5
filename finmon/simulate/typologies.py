"""Planted typologies on one account each: structured cash, funnel, pass-through, first transfers
to high-risk places, NPO misuse and crowdfunding spikes (REFERENCE.md section 9).

Every instance draws its own counts, amounts, timing and countries within the ranges of
`parameters`, and uses the same channels and payment texts as ordinary activity: nothing but the
shape of the money's movement tells it apart. The suspect keeps its ordinary activity too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from finmon.errors import InputError
from finmon.simulate import names
from finmon.simulate.ledger import (
    CASH_IN,
    CASH_OUT,
    DAY,
    SHOWN,
    UTC_OFFSET,
    Clock,
    Ints,
    Ledger,
    Scenario,
    draw,
    to_tiyn,
)
from finmon.simulate.parameters import (
    ABROAD,
    FUNNEL_PAYMENT,
    HIGH_RISK,
    HIGH_RISK_TRANSFER,
    MISUSE_SHARE,
    PASS_THROUGH,
    REPORTING_AMOUNTS,
    SMALL_GIFT,
    TRANSIT,
    Amounts,
)
from finmon.simulate.population import World

Bools = npt.NDArray[np.bool_]
SENDERS_ABROAD = ("RU", "UZ", "KG", "TJ", "TR", "DE", "AE")
"""Where the foreign senders of a funnel or a crowdfunding spike live."""
TO_PERSON = "Перевод между физическими лицами"
FAMILY_ABROAD = "Материальная помощь семье"
WITHDRAWAL = "Снятие наличных в банкомате"


@dataclass(slots=True)
class Plant:
    """What planting needs: the world, the time, the ledger, and who is still free to cast."""

    world: World
    clock: Clock
    ledger: Ledger
    rng: np.random.Generator
    abroad: Bools
    """By account: it sent money abroad in its ordinary activity."""
    income: npt.NDArray[np.int64]
    """Each NPO's donations and grants by month (tiyn)."""
    taken: set[int] = field(default_factory=set)

    def suspect(self, typology: str, businesses: float = 0.0, fresh: bool = False) -> int:
        """A person (or at that rate a business) not cast yet, labelled with the typology;
        fresh: one who never sent money abroad."""
        world, rng = self.world, self.rng
        people = world.persons[~world.bystander]
        free = self._free(world.businesses if rng.random() < businesses else people, fresh)
        if not len(free):
            # A world drawn with few firms runs out of them first: a person is cast instead.
            free = self._free(people, fresh)
        if not len(free):
            raise InputError(
                f"too few customers to plant {typology}: give more --customers or fewer --planted"
            )
        account = int(rng.choice(free))
        self.taken.add(account)
        world.accounts.label(account, typology)
        return account

    def _free(self, pool: Ints, fresh: bool) -> Ints:
        """The accounts of the pool not cast yet (fresh: nor ever sending money abroad)."""
        free = ~np.isin(pool, np.fromiter(self.taken, dtype=np.int64, count=len(self.taken)))
        if fresh:
            free &= ~self.abroad[pool]
        return pool[free]

    def bystanders(self, count: int) -> Ints:
        """Distinct ordinary people (never suspects): senders and receivers of planted money."""
        people = self.world.persons[self.world.bystander]
        return self.rng.choice(people, size=min(count, len(people)), replace=False)

    def foreigner(self, countries: tuple[str, ...], typology: str = "") -> int:
        """A new person abroad in one of the countries; labelled when part of the typology."""
        country = names.pick(self.rng, countries)
        account = self.world.accounts.foreign(country, names.foreign_person(self.rng, country))
        if typology:
            self.world.accounts.label(account, typology)
        return account

    def start(self, span: int) -> int:
        """A first day leaving span days before the period ends."""
        return int(self.rng.integers(0, max(1, self.clock.days - span)))

    def at(self, days: Ints | list[int], hours: tuple[int, int] = (8, 22)) -> Ints:
        """Times on days at local hours."""
        days = np.minimum(np.asarray(days, dtype=np.int64), self.clock.days - 1)
        return self.clock.stamp(self.rng, days, hours)

    def later(self, time: int, low: float, high: float) -> int:
        """A time low to high hours after another, at a waking hour (7:00-23:00 local), within
        the period."""
        for _ in range(100):
            moved = time + int(self.rng.uniform(low, high) * 3600)
            hour = (moved + UTC_OFFSET) % DAY // 3600
            if 7 <= hour < 23 and moved < self.clock.end:
                return moved
        return min(time + int(low * 3600), self.clock.end - 1)

    def add(
        self,
        scenario: Scenario,
        time: Ints | list[int],
        origin: Ints | int,
        beneficiary: Ints | int,
        amount: Ints | int,
        channel: str,
        purpose: str,
        hidden: int = SHOWN,
    ) -> None:
        """Planted transfers, labelled with their scenario."""
        when = np.asarray(time, dtype=np.int64)
        self.ledger.add(
            when, origin, beneficiary, amount, channel, purpose, hidden=hidden, scenario=scenario
        )

    def send_on(self, scenario: Scenario, account: int, when: int, amount: int, way: str) -> None:
        """Money moved on from account: abroad to a person, taken as cash, or to a person at
        home."""
        if way == "abroad":
            self.add(
                scenario, [when], account, self.foreigner(ABROAD), amount, "wire", FAMILY_ABROAD
            )
        elif way == "cash":
            self.add(scenario, [when], account, account, amount, "cash", WITHDRAWAL, CASH_OUT)
        else:
            self.add(
                scenario, [when], account, int(self.bystanders(1)[0]), amount, "transfer", TO_PERSON
            )


def structured_cash(plant: Plant, scenario: Scenario) -> None:
    """3-7 cash deposits, each 50-99% of a reporting amount, within 1-5 days; 1-6 days later a
    wire of 70-95% of them to a person abroad."""
    rng = plant.rng
    account = plant.suspect(scenario.typology)
    limit = float(rng.choice(REPORTING_AMOUNTS))
    count, span = int(rng.integers(3, 8)), int(rng.integers(1, 6))
    first = plant.start(span + 7)
    days = np.sort(first + rng.integers(0, span, size=count))
    amounts = to_tiyn(rng.uniform(0.5, 0.99, size=count) * limit, 1000)
    deposit = "Взнос наличных через банкомат"
    plant.add(
        scenario, plant.at(days, (7, 23)), account, account, amounts, "cash", deposit, CASH_IN
    )
    sent = to_tiyn(np.array([amounts.sum() / 100 * rng.uniform(0.7, 0.95)]), 1000)
    when = plant.at([int(days[-1]) + int(rng.integers(1, 7))], (9, 20))
    plant.add(scenario, when, account, plant.foreigner(ABROAD), sent, "wire", FAMILY_ABROAD)


def funnel(plant: Plant, scenario: Scenario) -> None:
    """10-40 unrelated people (a tenth to a third of them abroad) each pay a small sum to one
    collector within 5-14 days; 1-7 days later 70-100% of it leaves in 1-4 transfers, abroad,
    as cash or to a person."""
    rng = plant.rng
    collector = plant.suspect(scenario.typology)
    count, span = int(rng.integers(10, 41)), int(rng.integers(5, 15))
    share = rng.uniform(0.1, 0.34)
    last, collected = _collect(plant, scenario, collector, count, span, share, FUNNEL_PAYMENT)
    _move_on(plant, scenario, collector, last, collected, (0.7, 1.0), 4)


def _collect(
    plant: Plant,
    scenario: Scenario,
    account: int,
    count: int,
    span: int,
    abroad_share: float,
    payment: Amounts,
) -> tuple[int, int]:
    """Count people (a share of them abroad) each pay the account a small sum within span days;
    the last day and the sum collected, in tiyn."""
    rng = plant.rng
    abroad = int(rng.binomial(count, abroad_share))
    first = plant.start(span + 8)
    days = first + rng.integers(0, span, size=count)
    amounts = draw(rng, payment, count)
    home = plant.bystanders(count - abroad)
    plant.add(
        scenario,
        plant.at(days[: len(home)]),
        home,
        account,
        amounts[: len(home)],
        "transfer",
        TO_PERSON,
    )
    foreign = np.array([plant.foreigner(SENDERS_ABROAD) for _ in range(abroad)], dtype=np.int64)
    rest = slice(len(home), len(home) + abroad)
    plant.add(
        scenario,
        plant.at(days[rest], (7, 21)),
        foreign,
        account,
        amounts[rest],
        "wire",
        "Перевод от родственника",
    )
    return int(days.max()), int(amounts[: len(home) + abroad].sum())


def _move_on(
    plant: Plant,
    scenario: Scenario,
    account: int,
    after: int,
    collected: int,
    share: tuple[float, float],
    most: int,
) -> None:
    """Part of what an account collected sent on in a few transfers over the next week."""
    rng = plant.rng
    parts = int(rng.integers(1, most + 1))
    total = collected / 100 * rng.uniform(*share)
    amounts = split(rng, total, parts)
    ways = rng.choice(("abroad", "abroad", "cash", "home"), size=parts)
    for amount, way in zip(amounts, ways, strict=True):
        when = int(plant.at([after + int(rng.integers(1, 8))], (9, 21))[0])
        plant.send_on(scenario, account, when, int(amount), str(way))


def pass_through(plant: Plant, scenario: Scenario) -> None:
    """3-6 times, at least 4 days apart: a larger sum comes in and 91-99.5% of it leaves within
    48 hours in 1-3 transfers (abroad, to a person or as cash)."""
    rng = plant.rng
    account = plant.suspect(scenario.typology, businesses=0.2)
    slots = np.arange(0, plant.clock.days - 3, 4)
    count = min(int(rng.integers(3, 7)), len(slots))
    for day in np.sort(rng.choice(slots, size=count, replace=False)):
        amount = int(draw(rng, PASS_THROUGH, 1)[0])
        arrived = int(plant.at([int(day) + int(rng.integers(0, 2))], (9, 19))[0])
        if rng.random() < 0.5:
            source = plant.foreigner(("RU", "TR", "AE", "UZ", "KG", "DE", "GE"))
            plant.add(scenario, [arrived], source, account, amount, "wire", "Оплата по договору")
        else:
            source = int(rng.choice(plant.world.businesses))
            plant.add(scenario, [arrived], source, account, amount, "transfer", "Оплата услуг")
        parts = int(rng.integers(1, 4))
        total = amount / 100 * rng.uniform(0.91, 0.995)
        for part in split(rng, total, parts):
            way = str(rng.choice(("abroad", "abroad", "home", "cash")))
            plant.send_on(scenario, account, plant.later(arrived, 1, 47), int(part), way)


def high_risk_jurisdiction(plant: Plant, scenario: Scenario) -> None:
    """Someone who never sent money abroad sends 2-5 transfers, over up to a month after the
    first third of the period, to one or two people in conflict-adjacent places or via Turkey."""
    rng = plant.rng
    account = plant.suspect(scenario.typology, fresh=True)
    count = int(rng.integers(2, 6))
    first = int(rng.integers(plant.clock.days // 3, plant.clock.days - 3))
    days = np.sort(first + rng.integers(0, min(30, plant.clock.days - first), size=count))
    places = HIGH_RISK + TRANSIT
    people = [plant.foreigner(places) for _ in range(int(rng.integers(1, 3)))]
    receivers = rng.choice(people, size=count)
    amounts = draw(rng, HIGH_RISK_TRANSFER, count)
    plant.add(scenario, plant.at(days, (9, 20)), account, receivers, amounts, "wire", FAMILY_ABROAD)


def npo_misuse(plant: Plant, scenario: Scenario, npo: int) -> None:
    """An NPO with ordinary donations sends 30-70% of its income abroad to 1-3 individuals
    (1-5 wires), takes it out as cash (2-8 withdrawals), or both."""
    rng = plant.rng
    plant.world.accounts.label(npo, scenario.typology)
    plant.taken.add(npo)
    position = int(np.flatnonzero(plant.world.npos == npo)[0])
    income = int(plant.income[position].sum())
    total = max(income / 100 * rng.uniform(*MISUSE_SHARE), 300_000.0)
    mode = str(rng.choice(("abroad", "cash", "both")))
    abroad = total * (1.0 if mode == "abroad" else 0.0 if mode == "cash" else rng.uniform(0.3, 0.7))
    if abroad:
        count = int(rng.integers(1, 6))
        people = [plant.foreigner(ABROAD) for _ in range(int(rng.integers(1, 4)))]
        amounts = split(rng, abroad, count, 1000)
        days = rng.integers(5, plant.clock.days, size=count)
        plant.add(
            scenario,
            plant.at(days, (9, 18)),
            npo,
            rng.choice(people, size=count),
            amounts,
            "wire",
            "Материальная помощь",
        )
    if total - abroad > 0:
        count = int(rng.integers(2, 9))
        amounts = split(rng, total - abroad, count, 1000)
        days = rng.integers(5, plant.clock.days, size=count)
        text = "Снятие наличных на хозяйственные нужды"
        plant.add(scenario, plant.at(days, (9, 18)), npo, npo, amounts, "cash", text, CASH_OUT)


def crowdfunding_spike(plant: Plant, scenario: Scenario) -> None:
    """A private person receives 20-100 small gifts from as many people (up to a fifth abroad)
    within 1-5 days; 1-7 days later 70-100% leaves abroad or to one person."""
    rng = plant.rng
    account = plant.suspect(scenario.typology)
    count, span = int(rng.integers(20, 101)), int(rng.integers(1, 6))
    share = rng.uniform(0.0, 0.2)
    last, collected = _collect(plant, scenario, account, count, span, share, SMALL_GIFT)
    to_one = plant.foreigner(ABROAD) if rng.random() < 0.6 else int(plant.bystanders(1)[0])
    channel, text = (
        ("wire", FAMILY_ABROAD)
        if plant.world.accounts.country[to_one] != "KZ"
        else ("transfer", TO_PERSON)
    )
    parts = int(rng.integers(1, 4))
    amounts = split(rng, collected / 100 * rng.uniform(0.7, 1.0), parts)
    days_out = last + rng.integers(1, 8, size=parts)
    plant.add(scenario, plant.at(days_out, (9, 21)), account, to_one, amounts, channel, text)


def split(rng: np.random.Generator, tenge: float, parts: int, step: float = 100) -> Ints:
    """A sum in tenge split into parts of similar size (none below a tenth of an even share),
    rounded down to a step: in tiyn."""
    shares = rng.dirichlet(np.full(parts, 5.0))
    shares = np.maximum(shares, 0.1 / parts)
    shares /= shares.sum()
    return (np.floor(shares * tenge / step) * round(step * 100)).astype(np.int64)
