"""The customer base: people, businesses, public employers, merchants, NPOs, utilities and banks,
with who works where and earns what, and who may be cast as a suspect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from finmon.simulate import names
from finmon.simulate.accounts import Accounts, bin_number, iin
from finmon.simulate.ledger import Ints, draw
from finmon.simulate.parameters import (
    ADVANCE_PAYERS,
    EMPLOYED,
    MIGRANT_SALARY,
    PENSION,
    SALARY,
    SAVERS,
    Settings,
)

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
UTILITIES = (
    "АО «Қала Энергосбыт»", "ГКП «Су Арнасы»", "АО «Жылу Желілері»", "ТОО «Газ Аймақ Сервис»",
    "АО «Байланыс Телеком»", "ТОО «Мобайл Плюс»", "ТОО «Единый расчётный центр»",
    "ТОО «Тазалық Сервис»",
)  # fmt: skip
BANKS = ("АО «Дала Банк»", "АО «Жетісу Кредит Банк»", "АО «Береке Финанс»")
LISTED_ABROAD = ("TR", "SY", "AF", "IQ", "RU")
PENSION_PAYER = "НАО «Центр пенсионных выплат»"
RETIRED_BEFORE = 1962
"""People born before this year draw a pension (retirement age 63)."""
STUDENTS_FROM = 2004


@dataclass(slots=True)
class World:
    """The accounts, and the arrays that say what each customer is (aligned with `persons`)."""

    accounts: Accounts
    persons: Ints
    """Each private customer's main account."""
    origin: npt.NDArray[np.str_]
    female: Bools
    born: Ints
    savings: Ints
    """A second account of the same person, or -1."""
    employer: Ints
    """The account paying the person's salary, or -1."""
    salary: Ints
    """Monthly salary in tiyn (0 without an employer)."""
    pension: Ints
    """Monthly pension in tiyn (0 below retirement age)."""
    bystander: Bools
    """People never cast as suspects: senders, donors and middlemen of planted activity."""
    businesses: Ints
    public: Ints
    merchants: Ints
    traders: Ints
    """Merchants that are small shops and market traders (individual entrepreneurs)."""
    npos: Ints
    utilities: Ints
    banks: Ints
    pension_payer: int
    pay_day: Ints
    """By account: the day of the month (from 0) an employer pays salaries."""
    advance: Bools
    """By account: whether an employer pays an advance mid-month."""
    listed: Ints
    """Accounts held by listed persons (at other banks, at home and abroad)."""
    diverted: Ints
    """NPOs cast for npo_misuse, once donations are known: they spend less of their income at
    home."""


def build_world(settings: Settings, rng: np.random.Generator) -> World:
    """The customer base of a simulation."""
    accounts = Accounts(rng)
    people = _people(settings.customers, rng, accounts)
    businesses = _organisations(_share(settings, settings.business_share), rng, accounts)
    public = _public(max(2, len(businesses) // 10), rng, accounts)
    merchants, traders = _merchants(_share(settings, settings.merchant_share), rng, accounts)
    npo_count = max(
        _share(settings, settings.npo_share), 3 * settings.planted.get("npo_misuse", 0), 3
    )
    npos = _npos(npo_count, rng, accounts)
    utilities = _fixed(UTILITIES, "utility", "business", rng, accounts)
    banks = _fixed(BANKS, "bank", "bank", rng, accounts)
    payer = accounts.add(PENSION_PAYER, bin_number(rng, dt.date(2013, 1, 1)), "business", "public")
    persons, origin, female, born = people
    employers = np.concatenate([businesses, public, merchants, npos])
    employer, salary = _jobs(born, origin, employers, public, rng)
    return World(
        accounts=accounts,
        persons=persons,
        origin=origin,
        female=female,
        born=born,
        savings=_savings(persons, rng, accounts),
        employer=employer,
        salary=salary,
        pension=np.where(born < RETIRED_BEFORE, draw(rng, PENSION, len(persons)), 0),
        bystander=rng.random(len(persons)) < 0.5,
        businesses=businesses,
        public=public,
        merchants=merchants,
        traders=traders,
        npos=npos,
        utilities=utilities,
        banks=banks,
        pension_payer=payer,
        pay_day=rng.integers(0, 10, size=len(accounts)),
        advance=rng.random(len(accounts)) < ADVANCE_PAYERS,
        listed=_listed(settings.listed, rng, accounts),
        diverted=np.empty(0, dtype=np.int64),
    )


def _share(settings: Settings, share: float) -> int:
    return max(2, int(settings.customers * share + 0.5))


def _people(
    count: int, rng: np.random.Generator, accounts: Accounts
) -> tuple[Ints, npt.NDArray[np.str_], Bools, Ints]:
    origin = rng.choice(np.array(names.ORIGINS), size=count, p=names.ORIGIN_WEIGHTS)
    female = rng.random(count) < 0.5
    born = _birth_dates(rng, count)
    latin = rng.random(count) < names.LATIN_SHARE
    index = np.empty(count, dtype=np.int64)
    for i in range(count):
        name = names.person(rng, str(origin[i]), bool(female[i]), bool(latin[i]))
        index[i] = accounts.add(name, iin(rng, born[i], bool(female[i])), "person", "retail")
    return index, origin, female, np.array([day.year for day in born], dtype=np.int64)


def _birth_dates(rng: np.random.Generator, count: int) -> list[dt.date]:
    first = dt.date(1948, 1, 1).toordinal()
    last = dt.date(2007, 12, 31).toordinal()
    return [dt.date.fromordinal(int(day)) for day in rng.integers(first, last, size=count)]


def _registered(rng: np.random.Generator) -> dt.date:
    return dt.date(int(rng.integers(1996, 2025)), int(rng.integers(1, 13)), 1)


def _organisations(count: int, rng: np.random.Generator, accounts: Accounts) -> Ints:
    return np.array(
        [
            accounts.add(
                names.company(rng), bin_number(rng, _registered(rng)), "business", "business"
            )
            for _ in range(count)
        ],
        dtype=np.int64,
    )


def _public(count: int, rng: np.random.Generator, accounts: Accounts) -> Ints:
    made = [
        accounts.add(
            names.public_body(rng), bin_number(rng, _registered(rng)), "business", "public"
        )
        for _ in range(count)
    ]
    return np.array(made, dtype=np.int64)


def _merchants(count: int, rng: np.random.Generator, accounts: Accounts) -> tuple[Ints, Ints]:
    """Chains and shops (a third) and individual entrepreneurs trading at markets."""
    merchants, traders = [], []
    for _ in range(count):
        if rng.random() < 1 / 3:
            bin_ = bin_number(rng, _registered(rng))
            merchants.append(accounts.add(names.shop(rng), bin_, "merchant", "business"))
            continue
        female = bool(rng.random() < 0.5)
        owner = names.person(rng, names.pick(rng, ("kz", "kz", "ru", "uz", "kg")), female)
        born = _birth_dates(rng, 1)[0]
        index = accounts.add(names.trader(owner), iin(rng, born, female), "merchant", "business")
        merchants.append(index)
        traders.append(index)
    return np.array(merchants, dtype=np.int64), np.array(traders, dtype=np.int64)


def _npos(count: int, rng: np.random.Generator, accounts: Accounts) -> Ints:
    made = [
        accounts.add(names.npo(rng), bin_number(rng, _registered(rng)), "npo", "npo")
        for _ in range(count)
    ]
    return np.array(made, dtype=np.int64)


def _fixed(
    holders: tuple[str, ...], kind: str, segment: str, rng: np.random.Generator, accounts: Accounts
) -> Ints:
    made = [
        accounts.add(name, bin_number(rng, _registered(rng)), kind, segment) for name in holders
    ]
    return np.array(made, dtype=np.int64)


def _jobs(
    born: Ints,
    origin: npt.NDArray[np.str_],
    employers: Ints,
    public: Ints,
    rng: np.random.Generator,
) -> tuple[Ints, Ints]:
    """Employers by size (a few large ones paying hundreds), and a salary for each job."""
    count = len(born)
    working = (born >= RETIRED_BEFORE) & (born < STUDENTS_FROM) & (rng.random(count) < EMPLOYED)
    size = rng.lognormal(0, 1.2, size=len(employers)) * np.where(np.isin(employers, public), 4, 1)
    chosen = rng.choice(employers, size=count, p=size / size.sum())
    employer = np.where(working, chosen, -1)
    migrant = np.isin(origin, ("uz", "kg", "tj"))
    salary = np.where(migrant, draw(rng, MIGRANT_SALARY, count), draw(rng, SALARY, count))
    return employer, np.where(working, salary, 0)


def _savings(persons: Ints, rng: np.random.Generator, accounts: Accounts) -> Ints:
    has = rng.random(len(persons)) < SAVERS
    return np.array(
        [accounts.second(int(p)) if h else -1 for p, h in zip(persons, has, strict=True)],
        dtype=np.int64,
    )


def _listed(count: int, rng: np.random.Generator, accounts: Accounts) -> Ints:
    """Invented listed persons: two in five at home (Cyrillic names), the others abroad."""
    made = []
    for number in range(count):
        female = bool(rng.random() < 0.2)
        if number % 5 in (0, 3):
            born = _birth_dates(rng, 1)[0]
            name = names.person(rng, names.pick(rng, ("kz", "ru", "uz")), female)
            index = accounts.add(name, iin(rng, born, female), "person", "retail")
        else:
            country = LISTED_ABROAD[number % len(LISTED_ABROAD)]
            index = accounts.foreign(country, names.foreign_person(rng, country))
        accounts.listed[index] = True
        made.append(index)
    return np.array(made, dtype=np.int64)
