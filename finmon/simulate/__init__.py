"""Simulated months of a Kazakhstan customer base's payments, with labelled terrorist-financing
typologies planted among ordinary look-alikes: to test monitoring rules before they go live.

`simulate(Settings())` builds the world (people, businesses, merchants, NPOs, utilities, banks,
foreign counterparties), their ordinary activity, then the planted instances; `write` puts
transactions.csv (the canonical layout plus `typology, scenario`) and accounts.csv in a folder.
The same seed gives the same files, byte for byte. docs/simulate.md says what is simulated.
`Settings(background="randomised")` draws the ordinary activity from a second generator
(randomised.py: other behaviours, their parameters and the segment shares sampled per seed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from finmon.errors import InputError
from finmon.simulate import networks, organisations, persons, randomised, typologies
from finmon.simulate.ledger import Clock, Ledger, Scenario
from finmon.simulate.parameters import BACKGROUNDS, TYPOLOGIES, Settings
from finmon.simulate.population import World, build_world
from finmon.simulate.tables import accounts_frame, transactions_frame, write_tables
from finmon.simulate.typologies import Plant

__all__ = [
    "BACKGROUNDS",
    "STAGES",
    "TYPOLOGIES",
    "Settings",
    "Simulation",
    "Summary",
    "simulate",
    "summarise",
    "write",
]

STAGES = ("accounts", "ordinary activity", *TYPOLOGIES, "tables")
"""What `simulate` reports to its on_stage callback, in order."""
MIN_CUSTOMERS, MAX_CUSTOMERS = 200, 300_000
MAX_MONTHS = 36
MAX_CUSTOMER_MONTHS = 300_000
"""customers x months of one run: some 7.5 million transfers, a few GB of memory."""
MIN_GIFTS = 5
"""Donations a month an NPO collects at least before npo_misuse may cast it."""
ACCOUNTS_PER_INSTANCE = {
    "listed_link": 2,
    "cycle": 4,
    "scatter_gather": 12,
    "npo_misuse": 0,
}
"""At most, the customers one planted instance casts as suspects (1 when not named)."""
PEOPLE_BEHAVIOURS = (
    persons.salaries,
    persons.pensions,
    persons.card_purchases,
    persons.bills,
    persons.loans,
    persons.family,
    persons.traders,
    persons.cash,
    persons.savings,
    persons.remittances,
    persons.from_abroad,
    persons.holidays,
)
FIRM_BEHAVIOURS = (
    organisations.suppliers,
    organisations.business_bills,
    organisations.takings,
    organisations.trade_abroad,
    organisations.business_cash,
    organisations.appeals,
)
PLANTERS: dict[str, Callable[[Plant, Scenario], None]] = {
    "structured_cash": typologies.structured_cash,
    "funnel": typologies.funnel,
    "pass_through": typologies.pass_through,
    "high_risk_jurisdiction": typologies.high_risk_jurisdiction,
    "crowdfunding_spike": typologies.crowdfunding_spike,
    "listed_link": networks.listed_link,
    "cycle": networks.cycle,
    "scatter_gather": networks.scatter_gather,
}


@dataclass(slots=True)
class Simulation:
    """The simulated transactions and accounts, as the tables `write` puts in files."""

    settings: Settings
    transactions: pl.DataFrame
    """finmon.transactions.model.COLUMNS then typology and scenario, every cell text."""
    accounts: pl.DataFrame
    """account, name, kind, segment, country, typology, listed."""


@dataclass(slots=True)
class Summary:
    """Counts of a simulation: accounts by kind, transfers, and what was planted."""

    accounts: dict[str, int] = field(default_factory=dict)
    foreign_accounts: int = 0
    listed: int = 0
    transactions: int = 0
    planted: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """typology -> (instances, labelled accounts, labelled transfers)."""


def simulate(settings: Settings, on_stage: Callable[[str], None] | None = None) -> Simulation:
    """Simulate a customer base's months of payments with planted typologies, labelled."""
    check(settings)
    report = on_stage or (lambda stage: None)
    rng = np.random.default_rng(settings.seed)
    clock = Clock(settings.start, settings.months)
    report("accounts")
    count = settings.planted.get("npo_misuse", 0)
    ledger = Ledger()
    if settings.background == "randomised":
        mix = randomised.draw_mix(settings.seed)
        shares = dataclasses.replace(
            settings,
            business_share=mix.business_share,
            merchant_share=mix.merchant_share,
            npo_share=mix.npo_share,
        )
        world = build_world(shares, rng)
        report("ordinary activity")

        def divert(gifts: npt.NDArray[np.int64]) -> None:
            world.diverted = _divert(world, gifts, count, rng)

        income = randomised.background(world, clock, ledger, rng, mix, divert)
    else:
        world = build_world(settings, rng)
        report("ordinary activity")
        income = _ordinary(world, clock, ledger, rng, count)
    _plant(settings, Plant(world, clock, ledger, rng, _abroad(world, ledger), income), report)
    report("tables")
    return Simulation(
        settings,
        transactions_frame(ledger, world.accounts, settings.currency),
        accounts_frame(world.accounts),
    )


def write(simulation: Simulation, directory: Path) -> list[Path]:
    """Write transactions.csv and accounts.csv into a directory; the paths written."""
    return write_tables(simulation.transactions, simulation.accounts, directory)


def summarise(simulation: Simulation) -> Summary:
    """How many accounts of each kind, transfers, and planted instances, accounts and transfers
    of each typology."""
    accounts, transactions = simulation.accounts, simulation.transactions
    domestic = accounts.filter(pl.col("country") == "KZ")
    labelled = transactions.filter(pl.col("typology") != "")
    summary = Summary(
        accounts=dict(sorted(domestic.group_by("kind").len().iter_rows())),
        foreign_accounts=accounts.height - domestic.height,
        listed=accounts.filter(pl.col("listed") == "true").height,
        transactions=transactions.height,
    )
    for typology in TYPOLOGIES:
        mine = labelled.filter(pl.col("typology") == typology)
        summary.planted[typology] = (
            mine["scenario"].n_unique(),
            accounts.filter(pl.col("typology") == typology).height,
            mine.height,
        )
    return summary


def check(settings: Settings) -> None:
    """InputError when the settings cannot make a sensible simulation."""
    if settings.background not in BACKGROUNDS:
        raise InputError(f"background {settings.background!r}: use {' or '.join(BACKGROUNDS)}")
    _check_size(settings)
    _check_planted(settings)
    code = settings.currency
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise InputError(f"currency {code!r} is not a 3-letter code (ISO 4217)")
    for share in (settings.business_share, settings.merchant_share, settings.npo_share):
        if not 0 <= share <= 1:
            raise InputError(f"shares of businesses, merchants and NPOs must be 0 to 1: {share}")


def _check_size(settings: Settings) -> None:
    if not MIN_CUSTOMERS <= settings.customers <= MAX_CUSTOMERS:
        raise InputError(
            f"customers must be {MIN_CUSTOMERS} to {MAX_CUSTOMERS:,}, not {settings.customers}"
        )
    if not 1 <= settings.months <= MAX_MONTHS:
        raise InputError(f"months must be 1 to {MAX_MONTHS}, not {settings.months}")
    if settings.customers * settings.months > MAX_CUSTOMER_MONTHS:
        raise InputError(
            f"{settings.customers:,} customers for {settings.months} months is more than one run "
            f"holds in memory (customers x months at most {MAX_CUSTOMER_MONTHS:,})"
        )


def _check_planted(settings: Settings) -> None:
    unknown = sorted(set(settings.planted) - set(TYPOLOGIES))
    if unknown:
        raise InputError(
            f"unknown typolog(ies) {', '.join(unknown)}; known: {', '.join(TYPOLOGIES)}"
        )
    negative = [name for name, count in settings.planted.items() if count < 0]
    if negative:
        raise InputError(f"planted counts must be 0 or more: {', '.join(negative)}")
    if settings.listed < 1 and settings.planted.get("listed_link", 0):
        raise InputError("listed_link needs at least one listed account")
    cast = sum(ACCOUNTS_PER_INSTANCE.get(t, 1) * n for t, n in settings.planted.items())
    if cast > settings.customers * 0.4:
        raise InputError(
            f"{settings.customers} customers are too few for the planted instances (up to "
            f"{cast} suspects, at most 40% of customers): plant fewer or simulate more customers"
        )


def _ordinary(
    world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator, count: int
) -> npt.NDArray[np.int64]:
    """Everyone's ordinary activity, count NPOs cast for npo_misuse; each NPO's donations and
    grants by month."""
    for behaviour in (*PEOPLE_BEHAVIOURS, *FIRM_BEHAVIOURS):
        behaviour(world, clock, ledger, rng)
    income, gifts = persons.donations(world, clock, ledger, rng)
    world.diverted = _divert(world, gifts, count, rng)
    income += organisations.grants(world, clock, ledger, rng)
    organisations.charity_spending(world, clock, ledger, rng, income)
    return income


def _divert(
    world: World, gifts: npt.NDArray[np.int64], count: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """The NPOs npo_misuse casts, evenly among those collecting donations as ordinary ones do
    (MIN_GIFTS a month or more): the misuse is in the spending, not in an empty account."""
    collecting = world.npos[gifts.min(axis=1) >= MIN_GIFTS]
    if len(collecting) < count:
        collecting = world.npos[np.argsort(-gifts.sum(axis=1), kind="stable")[:count]]
    return rng.choice(collecting, size=count, replace=False)


def _abroad(world: World, ledger: Ledger) -> npt.NDArray[np.bool_]:
    """By account: whether it paid anyone abroad (a transfer or a card) in ordinary activity."""
    columns = ledger.columns()
    country = np.array(world.accounts.country)
    origin, beneficiary = columns["origin"], columns["beneficiary"]
    sent = np.zeros(len(world.accounts), dtype=np.bool_)
    sent[origin[country[origin] != country[beneficiary]]] = True
    return sent


def _plant(settings: Settings, plant: Plant, report: Callable[[str], None]) -> None:
    for typology in TYPOLOGIES:
        report(typology)
        if typology == "npo_misuse":
            for npo in plant.world.diverted:
                typologies.npo_misuse(plant, plant.ledger.scenario(typology), int(npo))
            continue
        for _ in range(settings.planted.get(typology, 0)):
            PLANTERS[typology](plant, plant.ledger.scenario(typology))
