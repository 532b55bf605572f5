"""What ordinary organisations do: businesses paying their suppliers (some abroad) and bills,
market traders paying in their cash takings, charities spending their donations at home, and
private appeals for medical treatment collecting many small gifts for a clinic."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from finmon.simulate import names
from finmon.simulate.accounts import bin_number
from finmon.simulate.ledger import (
    CASH_IN,
    CASH_OUT,
    Clock,
    Ints,
    Ledger,
    choose,
    draw,
    monthly,
    spread,
    to_tiyn,
)
from finmon.simulate.parameters import (
    AID,
    BUSINESS_BILL,
    BUSINESS_CASH,
    FOREIGN_CUSTOMER,
    FOREIGN_SUPPLIER,
    FUNDRAISERS_PER_PERSON,
    GRANT,
    NPO_DIVERTED_SPENT,
    NPO_SPENT,
    PETTY_CASH,
    SMALL_GIFT,
    SUPPLIER,
    TRADER_TAKINGS,
)
from finmon.simulate.population import World

FOREIGN_SUPPLIERS = {"CN": 0.35, "TR": 0.25, "RU": 0.2, "KG": 0.1, "UZ": 0.1}
FOREIGN_CUSTOMERS = {"RU": 0.4, "CN": 0.2, "UZ": 0.2, "KG": 0.1, "DE": 0.1}
GRANT_MAKERS = {"DE": 0.3, "US": 0.3, "GB": 0.2, "NL": 0.1, "CH": 0.1}
BUSINESS_HOURS = (9, 18)


def suppliers(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Businesses, shops and public bodies paying their suppliers: each has 3-30, pays some
    more often than others, on business days."""
    payers = np.concatenate([world.businesses, world.merchants, world.public])
    rate = np.clip(rng.lognormal(np.log(8), 0.8, size=len(payers)), 1, 60)
    actor, day = spread(rng, clock, rate, len(payers))
    circle = rng.integers(3, 31, size=len(payers))
    chosen = rng.choice(world.businesses, size=(len(payers), 30))
    supplier = chosen[actor, np.minimum(rng.zipf(1.6, size=len(actor)) - 1, circle[actor] - 1)]
    keep = supplier != payers[actor]
    purpose = ("Оплата по договору поставки", "Оплата за товар", "Оплата услуг")
    kind = rng.integers(0, len(purpose), size=len(payers))
    for code, text in enumerate(purpose):
        pick = keep & (kind[actor] == code)
        ledger.add(
            clock.stamp(rng, clock.business_day(day[pick]), BUSINESS_HOURS),
            payers[actor[pick]],
            supplier[pick],
            draw(rng, SUPPLIER, int(pick.sum())),
            "transfer",
            text,
        )


def business_bills(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Organisations' monthly utility bills: one to three each."""
    payers = np.concatenate([world.businesses, world.merchants, world.npos, world.public])
    payer = np.repeat(payers, rng.integers(1, 4, size=len(payers)))
    utility = rng.choice(world.utilities, size=len(payer))
    base = draw(rng, BUSINESS_BILL, len(payer))
    actor, _month, day = monthly(clock, rng.integers(0, 25, size=len(payer)))
    ledger.add(
        clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS),
        payer[actor],
        utility[actor],
        to_tiyn(base[actor] * rng.uniform(0.8, 1.2, size=len(actor)) / 100),
        "transfer",
        "Оплата коммунальных услуг",
    )


def takings(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Market traders and small shops paying in their cash takings, about weekly or more."""
    rate = rng.uniform(2, 12, size=len(world.traders))
    actor, day = spread(rng, clock, rate, len(world.traders))
    account = world.traders[actor]
    ledger.add(
        clock.stamp(rng, day, (9, 20)),
        account,
        account,
        draw(rng, TRADER_TAKINGS, len(actor)),
        "cash",
        "Взнос наличных (выручка)",
        hidden=CASH_IN,
    )


def trade_abroad(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Imports paid to suppliers in China, Turkey, Russia, Kyrgyzstan and Uzbekistan (a fifth of
    businesses, a third of traders), and exports paid for by customers abroad (a tenth)."""
    importers = np.concatenate([_some(rng, world.businesses, 0.2), _some(rng, world.traders, 0.3)])
    exporters = _some(rng, world.businesses, 0.1)
    for firms, partners, amounts, outward, purpose in (
        (importers, FOREIGN_SUPPLIERS, FOREIGN_SUPPLIER, True, "Оплата по контракту за товары"),
        (exporters, FOREIGN_CUSTOMERS, FOREIGN_CUSTOMER, False, "Оплата по контракту"),
    ):
        partner = np.array(
            [
                world.accounts.foreign(c, names.foreign_company(rng, c), "business")
                for c in choose(rng, partners, len(firms))
            ],
            dtype=np.int64,
        )
        actor, day = spread(rng, clock, 1.5 if outward else 1.0, len(firms))
        ours, theirs = firms[actor], partner[actor]
        origin, beneficiary = (ours, theirs) if outward else (theirs, ours)
        when = clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS)
        amount = draw(rng, amounts, len(actor))
        ledger.add(when, origin, beneficiary, amount, "wire", purpose)


def business_cash(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Cash withdrawn for running costs by some businesses."""
    firms = _some(rng, world.businesses, 0.15)
    actor, day = spread(rng, clock, 1.5, len(firms))
    ledger.add(
        clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS),
        firms[actor],
        firms[actor],
        draw(rng, BUSINESS_CASH, len(actor)),
        "cash",
        "Снятие наличных на хозяйственные нужды",
        hidden=CASH_OUT,
    )


def grants(
    world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Grants from foundations abroad to a fifth of NPOs (reported as foreign funding must be);
    returns each NPO's grants by month (tiyn)."""
    funded = np.flatnonzero(rng.random(len(world.npos)) < 0.2)
    donor = np.array(
        [
            world.accounts.foreign(c, names.foundation(rng), "business")
            for c in choose(rng, GRANT_MAKERS, len(funded))
        ],
        dtype=np.int64,
    )
    actor, month, day = monthly(clock, rng.integers(0, 25, size=len(funded)))
    paid = rng.random(len(actor)) < 0.3
    actor, month, day = actor[paid], month[paid], day[paid]
    amount = draw(rng, GRANT, len(actor))
    when = clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS)
    ledger.add(when, donor[actor], world.npos[funded[actor]], amount, "wire", "Грант")
    income = np.zeros((len(world.npos), clock.months), dtype=np.int64)
    np.add.at(income, (funded[actor], month), amount)
    return income


def charity_spending(
    world: World,
    clock: Clock,
    ledger: Ledger,
    rng: np.random.Generator,
    income: npt.NDArray[np.int64],
) -> None:
    """Each month an NPO spends most of its income at home: aid to families (half of NPOs do
    that), suppliers, a little petty cash. Staff salaries and utilities are paid as employers'."""
    diverted = np.isin(world.npos, world.diverted)
    low = np.where(diverted, NPO_DIVERTED_SPENT[0], NPO_SPENT[0])
    high = np.where(diverted, NPO_DIVERTED_SPENT[1], NPO_SPENT[1])
    gives_aid = rng.random(len(world.npos)) < 0.5
    petty = rng.random(len(world.npos)) < 0.3
    for month in range(clock.months):
        budget = income[:, month] * rng.uniform(low, high)
        aid = np.where(gives_aid, budget * rng.uniform(0.2, 0.5, size=len(budget)), 0)
        for npo in range(len(world.npos)):
            account = int(world.npos[npo])
            _pay_out(world, clock, ledger, rng, account, month, aid[npo], True)
            _pay_out(world, clock, ledger, rng, account, month, budget[npo] - aid[npo], False)
        _petty_cash(world.npos[petty], clock, ledger, rng, month)


def _pay_out(
    world: World,
    clock: Clock,
    ledger: Ledger,
    rng: np.random.Generator,
    npo: int,
    month: int,
    budget: float,
    aid: bool,
) -> None:
    """A month's budget (tiyn) split among aid recipients or suppliers at home."""
    typical = (AID.median if aid else SUPPLIER.median) * 100
    count = min(int(budget // typical), 30 if aid else 15)
    if count < 1:
        return
    shares = rng.dirichlet(np.full(count, 4.0))
    pool = world.persons if aid else world.businesses
    first, after = clock.month_days(month)
    day = rng.integers(first, after, size=count)
    ledger.add(
        clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS),
        npo,
        rng.choice(pool, size=count),
        to_tiyn(shares * budget / 100, AID.step if aid else 1),
        "transfer",
        "Материальная помощь" if aid else "Оплата по договору",
    )


def _petty_cash(
    npos: Ints, clock: Clock, ledger: Ledger, rng: np.random.Generator, month: int
) -> None:
    first, after = clock.month_days(month)
    day = rng.integers(first, after, size=len(npos))
    ledger.add(
        clock.stamp(rng, clock.business_day(day), BUSINESS_HOURS),
        npos,
        npos,
        draw(rng, PETTY_CASH, len(npos)),
        "cash",
        "Снятие наличных на хозяйственные нужды",
        hidden=CASH_OUT,
    )


def appeals(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Private appeals for medical treatment: 20-150 people give small sums within days, and the
    money goes on to a clinic at home within two weeks."""
    count = max(1, round(FUNDRAISERS_PER_PERSON * len(world.persons)))
    people = np.flatnonzero(world.bystander)
    for appealer in rng.choice(people, size=count, replace=False):
        gifts = int(rng.integers(20, 151))
        givers = rng.choice(
            people[people != appealer], size=min(gifts, len(people) - 1), replace=False
        )
        start = int(rng.integers(0, max(1, clock.days - 16)))
        day = start + rng.integers(0, int(rng.integers(1, 5)), size=len(givers))
        amount = draw(rng, SMALL_GIFT, len(givers))
        account = int(world.persons[appealer])
        ledger.add(
            clock.stamp(rng, day, (8, 23)),
            world.persons[givers],
            account,
            amount,
            "transfer",
            "Помощь на лечение",
        )
        clinic = world.accounts.add(
            f"ТОО «Медицинский центр {names.pick(rng, names.COMPANY_WORDS[0])}»",
            bin_number(rng, clock.start.replace(year=clock.start.year - 5, day=1)),
            "business",
            "business",
        )
        paid = to_tiyn(np.array([amount.sum() * rng.uniform(0.8, 1.0) / 100]), 1000)
        later = np.minimum(day.max() + rng.integers(2, 11, size=1), clock.days - 1)
        purpose = "Оплата лечения по договору"
        ledger.add(clock.stamp(rng, later, (9, 18)), account, clinic, paid, "transfer", purpose)


def _some(rng: np.random.Generator, accounts: Ints, share: float) -> Ints:
    return accounts[rng.random(len(accounts)) < share]
