"""What ordinary people do with their accounts: salaries and pensions, card purchases, bills,
loans, money to family, payments to market traders, cash at ATMs, savings, remittances home,
holidays abroad and small gifts to charities."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from finmon.simulate import names
from finmon.simulate.ledger import (
    CASH_IN,
    CASH_OUT,
    DAY,
    UTC_OFFSET,
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
    BILL,
    BILL_PAYERS,
    CARD,
    CARD_ABROAD,
    CARD_PER_MONTH,
    CASH_DEPOSIT,
    CASH_DEPOSITORS,
    CASH_USERS,
    CASH_WITHDRAWAL,
    DONATION,
    DONORS,
    FAMILY,
    FAMILY_SENDERS,
    FROM_ABROAD,
    FROM_ABROAD_RECEIVERS,
    HOLIDAY_PER_MONTH,
    LOAN,
    LOAN_PAYERS,
    REMITTANCE,
    REMITTED_SHARE,
    REMITTERS,
    SAVINGS,
    TO_TRADER,
    TRADER_PAYERS,
)
from finmon.simulate.population import World

Floats = npt.NDArray[np.float64]
HOLIDAYS = {"TR": 0.55, "AE": 0.35, "GE": 0.10}
MERCHANTS_ABROAD = 25
"""Hotels, restaurants and shops per holiday country."""
RELATIVES_ABROAD = {"RU": 0.5, "DE": 0.15, "KR": 0.15, "US": 0.1, "TR": 0.1}


def salaries(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Salaries by payroll batch (an employer's in the same minutes, on its pay day); an advance
    of 40% mid-month where the employer pays one."""
    employed = np.flatnonzero(world.employer >= 0)
    payer, pay = world.employer[employed], world.salary[employed]
    batch = rng.integers(9 * 3600, 13 * 3600, size=(len(world.accounts), clock.months))
    advance = world.advance[payer]
    share = np.where(advance, 0.6, 1.0)
    for day_of_month, part, purpose, who in (
        (world.pay_day[payer], share, "Заработная плата", np.arange(len(employed))),
        (world.pay_day[payer] + 14, 0.4, "Аванс по заработной плате", np.flatnonzero(advance)),
    ):
        actor, month, day = monthly(clock, day_of_month[who])
        actor = who[actor]
        day = clock.business_day(day)
        when = clock.epoch + day * DAY + batch[payer[actor], month] - UTC_OFFSET
        when = when + rng.integers(0, 600, size=len(actor))
        amount = to_tiyn(pay[actor] * np.broadcast_to(part, len(pay))[actor] / 100, 1)
        persons = world.persons[employed[actor]]
        ledger.add(when, payer[actor], persons, amount, "transfer", purpose)


def pensions(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Monthly pensions from the pension payer, by the person's payment day."""
    retired = np.flatnonzero(world.pension > 0)
    actor, _month, day = monthly(clock, rng.integers(2, 12, size=len(retired)))
    day = clock.business_day(day)
    ledger.add(
        clock.stamp(rng, day, (9, 12)),
        world.pension_payer,
        world.persons[retired[actor]],
        world.pension[retired[actor]],
        "transfer",
        "Пенсионная выплата",
    )


def card_purchases(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Card purchases at shops, chains and cafes: most at the big ones."""
    count = len(world.persons)
    rate = np.minimum(rng.lognormal(np.log(CARD_PER_MONTH), 0.6, size=count), 60)
    actor, day = spread(rng, clock, rate, count)
    merchant = _weighted(rng, world.merchants, 1.5, len(actor))
    amount = draw(rng, CARD, len(actor))
    ledger.add(
        clock.stamp(rng, day, (8, 23)), world.persons[actor], merchant, amount, "card", "Покупка"
    )


def bills(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Monthly bills to one to four utilities each, varying by up to a fifth month to month."""
    payers = np.flatnonzero(rng.random(len(world.persons)) < BILL_PAYERS)
    kinds = rng.integers(1, 5, size=len(payers))
    payer = np.repeat(payers, kinds)
    utility = rng.choice(world.utilities, size=len(payer))
    base = draw(rng, BILL, len(payer))
    actor, _month, day = monthly(clock, rng.integers(0, 25, size=len(payer)))
    tenge = np.clip(base[actor] * rng.uniform(0.8, 1.2, size=len(actor)) / 100, BILL.low, BILL.high)
    amount = to_tiyn(tenge)
    ledger.add(
        clock.stamp(rng, day, (8, 23)),
        world.persons[payer[actor]],
        utility[actor],
        amount,
        "transfer",
        "Оплата коммунальных услуг",
    )


def loans(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """A fixed monthly instalment to a bank on a fixed day."""
    payers = np.flatnonzero(rng.random(len(world.persons)) < LOAN_PAYERS)
    bank = rng.choice(world.banks, size=len(payers))
    instalment = draw(rng, LOAN, len(payers))
    actor, _month, day = monthly(clock, rng.integers(0, 28, size=len(payers)))
    ledger.add(
        clock.stamp(rng, day, (8, 23)),
        world.persons[payers[actor]],
        bank[actor],
        instalment[actor],
        "transfer",
        "Погашение кредита",
    )


def family(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Money between relatives: each sender has one to three, and sends about monthly."""
    count = len(world.persons)
    senders = np.flatnonzero(rng.random(count) < FAMILY_SENDERS)
    relatives = rng.integers(0, count, size=(len(senders), 3))
    circle = rng.integers(1, 4, size=len(senders))
    actor, day = spread(rng, clock, 1.2, len(senders))
    which = rng.integers(0, circle[actor])
    receiver = relatives[actor, which]
    keep = receiver != senders[actor]
    ledger.add(
        clock.stamp(rng, day[keep], (8, 23)),
        world.persons[senders[actor[keep]]],
        world.persons[receiver[keep]],
        draw(rng, FAMILY, int(keep.sum())),
        "transfer",
        "Перевод между физическими лицами",
    )


def traders(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Small transfers by phone number or QR code to market traders and small shops."""
    payers = np.flatnonzero(rng.random(len(world.persons)) < TRADER_PAYERS)
    actor, day = spread(rng, clock, 3.0, len(payers))
    trader = _weighted(rng, world.traders, 1.0, len(actor))
    ledger.add(
        clock.stamp(rng, day, (8, 21)),
        world.persons[payers[actor]],
        trader,
        draw(rng, TO_TRADER, len(actor)),
        "transfer",
        "Оплата по QR",
    )


def cash(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Cash paid in and taken out at ATMs (the holder's own account on the other side)."""
    count = len(world.persons)
    for share, rate, amounts, hidden, purpose in (
        (CASH_DEPOSITORS, 0.8, CASH_DEPOSIT, CASH_IN, "Взнос наличных через банкомат"),
        (CASH_USERS, 1.5, CASH_WITHDRAWAL, CASH_OUT, "Снятие наличных в банкомате"),
    ):
        users = np.flatnonzero(rng.random(count) < share)
        actor, day = spread(rng, clock, rate, len(users))
        account = world.persons[users[actor]]
        amount = draw(rng, amounts, len(actor))
        when = clock.stamp(rng, day, (7, 23))
        ledger.add(when, account, account, amount, "cash", purpose, hidden=hidden)


def savings(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Money moved to one's own savings account, and part of it back some days later."""
    savers = np.flatnonzero(world.savings >= 0)
    actor, day = spread(rng, clock, 1.0, len(savers))
    main, saved = world.persons[savers[actor]], world.savings[savers[actor]]
    amount = draw(rng, SAVINGS, len(actor))
    purpose = "Перевод между своими счетами"
    ledger.add(clock.stamp(rng, day, (8, 23)), main, saved, amount, "internal", purpose)
    back = (rng.random(len(actor)) < 0.4) & (day < clock.days - 2)
    later = np.minimum(day[back] + rng.integers(1, 21, size=int(back.sum())), clock.days - 1)
    part = to_tiyn(amount[back] * rng.uniform(0.3, 1.0, size=len(later)) / 100, 1000)
    ledger.add(clock.stamp(rng, later, (8, 23)), saved[back], main[back], part, "internal", purpose)


def remittances(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Migrants' monthly remittances home (UZ, KG, TJ; RU for some Russians): a share of the
    wage, days after payday, to the same one or two relatives."""
    chance = np.vectorize(lambda origin: REMITTERS.get(origin, 0.0))(world.origin)
    remitters = np.flatnonzero(rng.random(len(world.persons)) < chance)
    first = [_relative_abroad(world, int(p), rng) for p in remitters]
    second = [_relative_abroad(world, int(p), rng) if rng.random() < 0.2 else -1 for p in remitters]
    share = rng.uniform(*REMITTED_SHARE, size=len(remitters))
    payday = np.where(world.employer[remitters] >= 0, world.pay_day[world.employer[remitters]], 0)
    actor, _month, day = monthly(clock, payday + rng.integers(1, 7, size=len(remitters)))
    sent = rng.random(len(actor)) < 0.9
    actor, day = actor[sent], day[sent]
    wage = world.salary[remitters[actor]]
    tenge = np.where(wage > 0, wage / 100 * share[actor], draw(rng, REMITTANCE, len(actor)) / 100)
    tenge = np.clip(tenge, REMITTANCE.low, REMITTANCE.high)
    recipients = np.where(
        (np.array(second)[actor] >= 0) & (rng.random(len(actor)) < 0.5),
        np.array(second)[actor],
        np.array(first)[actor],
    )
    ledger.add(
        clock.stamp(rng, day, (9, 21)),
        world.persons[remitters[actor]],
        recipients,
        to_tiyn(tenge, REMITTANCE.step),
        "wire",
        "Материальная помощь семье",
    )


def _relative_abroad(world: World, person: int, rng: np.random.Generator) -> int:
    origin = str(world.origin[person])
    female = bool(rng.random() < 0.5)
    name = names.relative(rng, world.accounts.name[int(world.persons[person])], origin, female)
    return world.accounts.foreign(origin.upper(), name)


def from_abroad(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Relatives abroad sending money most months."""
    receivers = np.flatnonzero(rng.random(len(world.persons)) < FROM_ABROAD_RECEIVERS)
    senders = np.array(
        [
            world.accounts.foreign(c, names.foreign_person(rng, c))
            for c in choose(rng, RELATIVES_ABROAD, len(receivers))
        ],
        dtype=np.int64,
    )
    actor, _month, day = monthly(clock, rng.integers(0, 28, size=len(receivers)))
    sent = rng.random(len(actor)) < 0.7
    actor, day = actor[sent], day[sent]
    ledger.add(
        clock.stamp(rng, day, (7, 22)),
        senders[actor],
        world.persons[receivers[actor]],
        draw(rng, FROM_ABROAD, len(actor)),
        "wire",
        "Перевод от родственника",
    )


def holidays(world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator) -> None:
    """Trips to Turkey, the UAE or Georgia: a few card purchases a day there for 4-12 days."""
    countries = list(HOLIDAYS)
    pools = np.array([_merchants_abroad(world, c, rng) for c in countries], dtype=np.int64)
    chance = 1 - (1 - HOLIDAY_PER_MONTH) ** clock.months
    trips = np.flatnonzero(rng.random(len(world.persons)) < chance)
    where = np.array([countries.index(c) for c in choose(rng, HOLIDAYS, len(trips))])
    start = clock.random_days(rng, len(trips))
    length = rng.integers(4, 13, size=len(trips))
    daily = rng.poisson(2.5, size=(len(trips), 12)) * (np.arange(12) < length[:, None])
    trip, offset = np.nonzero(daily)
    counts = daily[trip, offset]
    trip, day = np.repeat(trip, counts), start[np.repeat(trip, counts)] + np.repeat(offset, counts)
    keep = day < clock.days
    trip, day = trip[keep], day[keep]
    merchant = pools[where[trip], rng.integers(0, MERCHANTS_ABROAD, size=len(trip))]
    ledger.add(
        clock.stamp(rng, day, (10, 24)),  # 8:00 to 22:00 in Turkey (UTC+3), in Kazakh hours
        world.persons[trips[trip]],
        merchant,
        draw(rng, CARD_ABROAD, len(trip)),
        "card",
        "Покупка",
    )


def _merchants_abroad(world: World, country: str, rng: np.random.Generator) -> list[int]:
    return [
        world.accounts.foreign(country, names.merchant_abroad(rng, country), "merchant")
        for _ in range(MERCHANTS_ABROAD)
    ]


def donations(
    world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Small gifts to one or two favourite charities, a few national funds taking most; returns
    each NPO's donations by month: the sum (tiyn) and the count."""
    donors = np.flatnonzero(rng.random(len(world.persons)) < DONORS)
    popularity = rng.lognormal(0, 1.5, size=len(world.npos))
    favourite = rng.choice(len(world.npos), size=(len(donors), 2), p=popularity / popularity.sum())
    actor, day = spread(rng, clock, 1.3, len(donors))
    npo = favourite[actor, (rng.random(len(actor)) < 0.3).astype(np.int64)]
    amount = draw(rng, DONATION, len(actor))
    ledger.add(
        clock.stamp(rng, day, (8, 23)),
        world.persons[donors[actor]],
        world.npos[npo],
        amount,
        "transfer",
        "Благотворительный взнос",
    )
    income = np.zeros((len(world.npos), clock.months), dtype=np.int64)
    gifts = np.zeros_like(income)
    np.add.at(income, (npo, clock.month_of(day)), amount)
    np.add.at(gifts, (npo, clock.month_of(day)), 1)
    return income, gifts


def _weighted(rng: np.random.Generator, accounts: Ints, sigma: float, size: int) -> Ints:
    """Accounts drawn by a log-normal popularity: a few busy, many quiet."""
    weight = rng.lognormal(0, sigma, size=len(accounts))
    return rng.choice(accounts, size=size, p=weight / weight.sum())
