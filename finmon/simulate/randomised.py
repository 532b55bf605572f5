"""A second ordinary background, drawn from behaviours rather than from the first generator's
ranges, with its parameters sampled per seed (`finmon simulate --background randomised`).

Each seed first draws a `Mix`: how the customers live (salaried, migrant workers, students,
marketplace sellers, seasonal traders, gig workers, at home: a random segment mix), a price
level, where remittances go (many corridors, among them high-risk and transit jurisdictions where
ordinary migrants send money), when the trading season runs, and a disaster with a charity appeal.
Then every customer acts out their way of living: payroll (monthly or twice a month, some crews
paid through a foreman's personal account), pensions, stipends and parents' money for students,
rent to landlords, buyers paying marketplace sellers and the platform paying them out, seasonal
cash takings paid in and goods bought abroad, family transfers, remittances, card purchases,
bills, cash, donations and a disaster appeal (charities collecting, volunteers passing money on,
aid sent to where the disaster struck). Some accounts open, or wake from dormancy, mid-period.

Nothing here reads the monitoring rules: the behaviours are written from how people and
organisations use accounts, so that the rules can be judged on activity they were not written
against. The planted typologies (typologies.py, networks.py) are the same as with the standard
background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from finmon.simulate import names
from finmon.simulate.accounts import bin_number
from finmon.simulate.ledger import CASH_IN, CASH_OUT, Clock, Ints, Ledger, spread, to_tiyn
from finmon.simulate.population import World

Floats = npt.NDArray[np.float64]
ROLES = ("salaried", "migrant", "student", "seller", "seasonal", "gig", "home")
"""Ways of living of the working-age customers (pensioners draw a pension besides)."""
CORRIDORS = (
    "UZ", "KG", "TJ", "RU", "TR", "AE", "AF", "PK", "IN", "CN", "GE", "AZ", "IR", "SY", "KR",
    "DE", "TM",
)  # fmt: skip
"""Where ordinary people send money home or to family: neighbours, labour-migration routes,
transit hubs, and places under a FATF call for action or in conflict where migrants come from."""
SUPPLY_COUNTRIES = ("CN", "TR", "UZ", "KG", "AE", "RU", "IR")
DISASTER_PLACES = ("KZ", "TR", "AF", "PK", "SY", "KG", "IR")
TO_PERSON = "Перевод между физическими лицами"


@dataclass(frozen=True, slots=True)
class Mix:
    """The parameters of one seed's background, sampled by `draw_mix`."""

    roles: dict[str, float]
    """Shares of the working-age customers by way of living."""
    price: float
    """A multiplier on every amount: the seed's price and wage level."""
    corridors: dict[str, float]
    """Weights of the countries remittances go to."""
    remitting_locals: float
    """Share of the customers who are not migrant workers and still send money abroad."""
    remits_per_month: float
    twice_monthly_payroll: float
    """Share of employers paying twice a month."""
    foremen: float
    """Share of the salaried who pay a crew from their own account."""
    landlords: float
    cash_users: float
    donors: float
    dormant: float
    """Share of the customers whose account opens or wakes only mid-period."""
    season: tuple[float, float]
    """The trading season: its start and length as shares of the period."""
    disaster_day: float
    """When the disaster strikes, as a share of the period."""
    disaster_place: str
    disaster_donors: float
    volunteers: int
    """People collecting for the appeal on their own account and passing it on."""
    sellers_buyers: float
    """Median buyers a month of a marketplace seller."""
    business_share: float
    merchant_share: float
    npo_share: float
    """Businesses, merchants and NPOs per customer."""


def draw_mix(seed: int) -> Mix:
    """The background's parameters for a seed (a random stream of its own, apart from the
    world's, so the same seed always gives the same mix)."""
    rng = np.random.default_rng([seed, 21])
    roles = rng.dirichlet((8.0, 2.0, 1.5, 1.2, 0.8, 1.2, 2.0))
    weights = rng.dirichlet(np.full(len(CORRIDORS), 0.7))
    start = float(rng.uniform(0.0, 0.6))
    return Mix(
        roles=dict(zip(ROLES, (float(r) for r in roles), strict=True)),
        price=float(rng.uniform(0.7, 1.5)),
        corridors=dict(zip(CORRIDORS, (float(w) for w in weights), strict=True)),
        remitting_locals=float(rng.uniform(0.01, 0.08)),
        remits_per_month=float(rng.uniform(1.0, 3.0)),
        twice_monthly_payroll=float(rng.uniform(0.1, 0.7)),
        foremen=float(rng.uniform(0.0, 0.03)),
        landlords=float(rng.uniform(0.01, 0.06)),
        cash_users=float(rng.uniform(0.3, 0.8)),
        donors=float(rng.uniform(0.1, 0.5)),
        dormant=float(rng.uniform(0.02, 0.1)),
        season=(start, float(rng.uniform(0.2, 1.0 - start))),
        disaster_day=float(rng.uniform(0.05, 0.85)),
        disaster_place=str(rng.choice(DISASTER_PLACES)),
        disaster_donors=float(rng.uniform(0.05, 0.4)),
        volunteers=int(rng.integers(2, 12)),
        sellers_buyers=float(rng.uniform(10, 80)),
        business_share=float(rng.uniform(0.02, 0.07)),
        merchant_share=float(rng.uniform(0.01, 0.04)),
        npo_share=float(rng.uniform(0.002, 0.01)),
    )


class _Books:
    """The ledger as the randomised background writes it: amounts in tenge at the seed's price
    level, and nothing on an account before it opens (or wakes)."""

    def __init__(self, world: World, clock: Clock, ledger: Ledger, rng: np.random.Generator,
                 mix: Mix) -> None:  # fmt: skip
        self.world, self.clock, self.ledger, self.rng, self.mix = world, clock, ledger, rng, mix
        self._opens = np.zeros(len(world.accounts), dtype=np.int64)
        sleepers = world.persons[rng.random(len(world.persons)) < mix.dormant]
        self._opens[sleepers] = rng.integers(clock.days // 4, clock.days * 3 // 4, len(sleepers))

    def opens(self, accounts: Ints) -> Ints:
        """The first day each account is active (0 for the accounts made since: counterparties
        abroad and firms)."""
        known = accounts < len(self._opens)
        found: Ints = np.where(known, self._opens[np.where(known, accounts, 0)], 0)
        return found

    def amounts(self, median: float, spread_: float, count: int, step: float = 1.0) -> Ints:
        """Log-normal amounts in tiyn around a median in tenge (at the price level), kept within
        a factor of 20 of it."""
        median *= self.mix.price
        values = self.rng.lognormal(np.log(median), spread_, size=count)
        return to_tiyn(np.clip(values, median / 20, median * 20), step)

    def add(self, days: Ints, origin: Ints | int, beneficiary: Ints | int, amount: Ints,
            channel: str, purpose: str, hours: tuple[int, int] = (8, 22),
            hidden: int = 0) -> None:  # fmt: skip
        """Transfers on days, leaving out those before either account opens."""
        days = np.asarray(days, dtype=np.int64)
        count = len(days)
        origin = np.broadcast_to(np.asarray(origin, dtype=np.int64), count)
        beneficiary = np.broadcast_to(np.asarray(beneficiary, dtype=np.int64), count)
        amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), count)
        days = np.clip(days, 0, self.clock.days - 1)
        keep = (days >= self.opens(origin)) & (days >= self.opens(beneficiary)) & (amount > 0)
        self.ledger.add(
            self.clock.stamp(self.rng, days[keep], hours),
            origin[keep],
            beneficiary[keep],
            amount[keep],
            channel,
            purpose,
            hidden=hidden,
        )

    def foreigner(self, country: str, kind: str = "person") -> int:
        name = (
            names.foreign_person(self.rng, country)
            if kind == "person"
            else names.foreign_company(self.rng, country)
        )
        return self.world.accounts.foreign(country, name, kind)

    def company(self, name: str, segment: str = "business") -> int:
        registered = self.clock.start.replace(year=self.clock.start.year - 3, day=1)
        return self.world.accounts.add(name, bin_number(self.rng, registered), "business", segment)

    def monthly(self, actors: Ints, day_of_month: Ints, jitter: int = 0) -> tuple[Ints, Ints]:
        """One event a month per actor on its day (give or take jitter): (actor, day)."""
        clock = self.clock
        size = len(actors)
        actor = np.tile(np.arange(size), clock.months)
        month = np.repeat(np.arange(clock.months), size)
        first, after = clock.month_starts[month], clock.month_starts[month + 1]
        moved = day_of_month[actor] + (
            self.rng.integers(-jitter, jitter + 1, size=len(actor)) if jitter else 0
        )
        return actors[actor], np.clip(first + moved, first, after - 1)


def background(
    world: World,
    clock: Clock,
    ledger: Ledger,
    rng: np.random.Generator,
    mix: Mix,
    divert: Callable[[Ints], None],
) -> Ints:
    """Everyone's ordinary activity drawn from the mix; each NPO's income by month (tiyn), as
    the planted npo_misuse needs it. `divert` is given each NPO's gifts by month and casts the
    NPOs to misuse (world.diverted) before they spend."""
    books = _Books(world, clock, ledger, rng, mix)
    role = _roles(world, rng, mix)
    _payroll(books, role)
    _pensions(books)
    _students(books, role)
    _everyday(books)
    _family(books)
    _rent(books)
    _remittances(books, role)
    _marketplace(books, role)
    _seasonal(books, role)
    _gig(books, role)
    _firms(books)
    income, gifts = _donations(books)
    _appeal(books, income, gifts)
    divert(gifts)
    _charity_spending(books, income)
    return income


def _roles(world: World, rng: np.random.Generator, mix: Mix) -> npt.NDArray[np.str_]:
    """Each customer's way of living; the young are mostly students, pensioners stay at home."""
    chosen = rng.choice(np.array(ROLES), size=len(world.persons), p=list(mix.roles.values()))
    young = (world.born >= 2003) & (rng.random(len(world.persons)) < 0.7)
    chosen = np.where(young, "student", chosen)
    retired = (world.pension > 0) & (rng.random(len(world.persons)) < 0.8)
    return np.where(retired, "home", chosen)


def _payroll(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """Employers (sized log-normally) pay their staff monthly or twice a month, in one batch; a
    few of the staff are foremen who are paid their crew's wages and pass them on."""
    world, rng, clock = books.world, books.rng, books.clock
    staff = np.flatnonzero(np.isin(role, ("salaried", "migrant")))
    employers = np.concatenate([world.businesses, world.public, world.merchants, world.npos])
    size = rng.lognormal(0, 1.4, size=len(employers))
    employer = rng.choice(employers, size=len(staff), p=size / size.sum())
    wage = books.amounts(300_000, 0.45, len(staff))
    wage = np.where(role[staff] == "migrant", wage * 0.75, wage).astype(np.int64)
    pay_day = rng.integers(0, 12, size=len(world.accounts))
    twice = rng.random(len(world.accounts)) < books.mix.twice_monthly_payroll
    actor, day = books.monthly(np.arange(len(staff)), pay_day[employer])
    share = np.where(twice[employer[actor]], 0.5, 1.0)
    books.add(
        day,
        employer[actor],
        world.persons[staff[actor]],
        (wage[actor] * share).astype(np.int64),
        "transfer",
        "Заработная плата",
        (9, 13),
    )
    second = twice[employer[actor]]
    books.add(
        day[second] + 15,
        employer[actor][second],
        world.persons[staff[actor][second]],
        (wage[actor][second] * 0.5).astype(np.int64),
        "transfer",
        "Заработная плата",
        (9, 13),
    )
    foremen = staff[rng.random(len(staff)) < books.mix.foremen]
    others = world.persons
    for foreman in foremen:
        crew = rng.choice(others, size=int(rng.integers(3, 15)), replace=False)
        pay = books.amounts(200_000, 0.3, len(crew), 1000)
        payer = int(rng.choice(world.businesses))
        for month in range(clock.months):
            first, _after = clock.month_days(month)
            day0 = first + int(rng.integers(0, 20))
            account = int(world.persons[foreman])
            books.add(
                np.array([day0]),
                payer,
                account,
                np.array([pay.sum()]),
                "transfer",
                "Оплата по договору подряда",
                (9, 18),
            )
            books.add(
                np.full(len(crew), day0 + int(rng.integers(0, 3))),
                account,
                crew,
                pay,
                "transfer",
                TO_PERSON,
            )


def _pensions(books: _Books) -> None:
    world, rng = books.world, books.rng
    retired = np.flatnonzero(world.pension > 0)
    amount = books.amounts(140_000, 0.25, len(retired))
    actor, day = books.monthly(np.arange(len(retired)), rng.integers(2, 15, size=len(retired)))
    books.add(
        day,
        world.pension_payer,
        world.persons[retired[actor]],
        amount[actor],
        "transfer",
        "Пенсионная выплата",
        (9, 12),
    )


def _students(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """A stipend from the university for some; parents sending money several times a month
    (from abroad for foreign students); small sums split with classmates."""
    world, rng, clock = books.world, books.rng, books.clock
    students = np.flatnonzero(role == "student")
    if not len(students):
        return
    university = books.company("НАО «Университет»", "public")
    funded = students[rng.random(len(students)) < 0.5]
    actor, day = books.monthly(funded, np.full(len(funded), 20), 3)
    books.add(
        day,
        university,
        world.persons[actor],
        books.amounts(40_000, 0.2, len(actor)),
        "transfer",
        "Стипендия",
        (9, 17),
    )
    foreign = rng.random(len(students)) < 0.25
    homes = ("CN", "IN", "PK", "AF", "TJ", "TM", "UZ", "KG", "MN")
    parent = np.array(
        [
            books.foreigner(str(rng.choice(homes))) if f else int(rng.choice(world.persons))
            for f in foreign
        ],
        dtype=np.int64,
    )
    actor, day = spread(rng, clock, rng.uniform(1, 6, size=len(students)), len(students))
    channel_abroad = foreign[actor]
    amount = books.amounts(35_000, 0.6, len(actor), 100)
    for abroad, channel, purpose in ((True, "wire", "Перевод на обучение"),
                                     (False, "transfer", TO_PERSON)):  # fmt: skip
        pick = channel_abroad == abroad
        books.add(
            day[pick],
            parent[actor[pick]],
            world.persons[students[actor[pick]]],
            amount[pick],
            channel,
            purpose,
        )
    actor, day = spread(rng, clock, rng.uniform(0, 8, size=len(students)), len(students))
    mate = rng.choice(students, size=len(actor))
    _to_people(books, day, students[actor], mate, (3_000, 0.8, 10))


def _to_people(
    books: _Books, day: Ints, senders: Ints, receivers: Ints, amount: tuple[float, float, int]
) -> None:
    """Transfers from person to person (indices into the persons), none to oneself; `amount` is
    the median, spread and rounding unit of what is sent."""
    keep = receivers != senders
    persons = books.world.persons
    median, sigma, unit = amount
    books.add(
        day[keep],
        persons[senders[keep]],
        persons[receivers[keep]],
        books.amounts(median, sigma, int(keep.sum()), unit),
        "transfer",
        TO_PERSON,
    )


def _at_atm(
    books: _Books,
    who: Ints,
    visits: tuple[float, float],
    amount: tuple[float, float],
    purpose: str,
    direction: int,
) -> None:
    """Cash at an ATM on people's own accounts, each at a rate a month drawn from `visits`."""
    rng = books.rng
    actor, day = spread(rng, books.clock, rng.uniform(*visits, size=len(who)), len(who))
    account = books.world.persons[who[actor]]
    median, sigma = amount
    books.add(
        day,
        account,
        account,
        books.amounts(median, sigma, len(actor), 1000),
        "cash",
        purpose,
        (7, 23),
        direction,
    )


def _everyday(books: _Books) -> None:
    """Card purchases, bills, loan instalments and cash at ATMs."""
    _purchases_and_bills(books)
    _cash_and_savings(books)


def _purchases_and_bills(books: _Books) -> None:
    """Card purchases, utility bills and loan instalments."""
    world, rng, clock = books.world, books.rng, books.clock
    people = len(world.persons)
    actor, day = spread(rng, clock, rng.lognormal(np.log(12), 0.7, size=people), people)
    shop = rng.choice(world.merchants, size=len(actor))
    books.add(
        day,
        world.persons[actor],
        shop,
        books.amounts(4_000, 1.0, len(actor)),
        "card",
        "Покупка",
        (8, 23),
    )
    payers = np.flatnonzero(rng.random(people) < rng.uniform(0.5, 0.9))
    utility = rng.choice(world.utilities, size=len(payers))
    actor, day = books.monthly(np.arange(len(payers)), rng.integers(0, 28, size=len(payers)), 2)
    books.add(
        day,
        world.persons[payers[actor]],
        utility[actor],
        books.amounts(10_000, 0.5, len(actor)),
        "transfer",
        "Оплата коммунальных услуг",
    )
    borrowers = np.flatnonzero(rng.random(people) < rng.uniform(0.15, 0.45))
    bank = rng.choice(world.banks, size=len(borrowers))
    instalment = books.amounts(50_000, 0.6, len(borrowers), 100)
    actor, day = books.monthly(np.arange(len(borrowers)), rng.integers(0, 28, len(borrowers)))
    books.add(
        day,
        world.persons[borrowers[actor]],
        bank[actor],
        instalment[actor],
        "transfer",
        "Погашение кредита",
    )


def _cash_and_savings(books: _Books) -> None:
    """Cash out and in at ATMs, and transfers to one's own savings account."""
    world, rng, clock, mix = books.world, books.rng, books.clock, books.mix
    people = len(world.persons)
    users = np.flatnonzero(rng.random(people) < mix.cash_users)
    _at_atm(books, users, (0.5, 4), (25_000, 0.8), "Снятие наличных в банкомате", CASH_OUT)
    depositors = np.flatnonzero(rng.random(people) < rng.uniform(0.05, 0.3))
    _at_atm(books, depositors, (0.2, 2), (60_000, 0.9), "Взнос наличных через банкомат", CASH_IN)
    savers = np.flatnonzero(world.savings >= 0)
    actor, day = spread(rng, clock, rng.uniform(0.3, 2, size=len(savers)), len(savers))
    books.add(
        day,
        world.persons[savers[actor]],
        world.savings[savers[actor]],
        books.amounts(60_000, 1.0, len(actor), 1000),
        "internal",
        "Перевод между своими счетами",
    )


def _family(books: _Books) -> None:
    """Money among a small circle of relatives, some of them sending often."""
    world, rng, clock = books.world, books.rng, books.clock
    people = len(world.persons)
    senders = np.flatnonzero(rng.random(people) < rng.uniform(0.3, 0.7))
    circle = rng.integers(0, people, size=(len(senders), 4))
    actor, day = spread(rng, clock, rng.lognormal(0, 0.8, size=len(senders)), len(senders))
    receiver = circle[actor, rng.integers(0, rng.integers(1, 5), size=len(actor))]
    _to_people(books, day, senders[actor], receiver, (20_000, 1.0, 500))


def _rent(books: _Books) -> None:
    """Landlords letting flats or rooms: one to six tenants paying rent each month."""
    world, rng = books.world, books.rng
    landlords = world.persons[rng.random(len(world.persons)) < books.mix.landlords]
    for landlord in landlords:
        tenants = rng.choice(world.persons, size=int(rng.integers(1, 7)), replace=False)
        rent = books.amounts(120_000, 0.4, len(tenants), 1000)
        actor, day = books.monthly(np.arange(len(tenants)), rng.integers(0, 10, len(tenants)), 2)
        books.add(day, tenants[actor], int(landlord), rent[actor], "transfer", "Оплата аренды")


def _remittances(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """Migrant workers send money home one to several times a month to one to three relatives
    (the corridors weighted by the mix); some locals send to family abroad too."""
    world, rng, clock, mix = books.world, books.rng, books.clock, books.mix
    migrants = np.flatnonzero(role == "migrant")
    locals_ = np.flatnonzero((role != "migrant") & (rng.random(len(role)) < mix.remitting_locals))
    senders = np.concatenate([migrants, locals_])
    corridors = list(mix.corridors)
    weights = np.array(list(mix.corridors.values()))
    home = rng.choice(corridors, size=len(senders), p=weights / weights.sum())
    count = rng.integers(1, 4, size=len(senders))
    relatives = [
        [books.foreigner(str(country)) for _ in range(int(n))]
        for country, n in zip(home, count, strict=True)
    ]
    rate = rng.lognormal(np.log(mix.remits_per_month), 0.5, size=len(senders))
    rate = np.where(np.arange(len(senders)) < len(migrants), rate, rate / 3)
    actor, day = spread(rng, clock, rate, len(senders))
    receiver = np.array(
        [relatives[a][int(rng.integers(0, len(relatives[a])))] for a in actor], dtype=np.int64
    )
    amount = books.amounts(70_000, 0.6, len(actor), 1000)
    books.add(
        day,
        world.persons[senders[actor]],
        receiver,
        amount,
        "wire",
        "Материальная помощь семье",
        (9, 21),
    )


def _marketplace(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """Online sellers: many buyers paying by transfer, the platform paying out weekly, goods
    bought from suppliers at home or abroad, some of the takings drawn as cash."""
    world, rng, clock = books.world, books.rng, books.clock
    sellers = np.flatnonzero(role == "seller")
    if not len(sellers):
        return
    platform = books.company("ТОО «Маркет Платформа»")
    buyers_rate = rng.lognormal(np.log(books.mix.sellers_buyers), 0.8, size=len(sellers))
    actor, day = spread(rng, clock, buyers_rate, len(sellers))
    buyer = rng.choice(world.persons, size=len(actor))
    amount = books.amounts(8_000, 0.9, len(actor), 10)
    account = world.persons[sellers]
    books.add(day, buyer, account[actor], amount, "transfer", "Оплата товара")
    weeks = np.arange(0, clock.days, 7)
    for index, seller in enumerate(account):
        volume = float(buyers_rate[index]) * 8_000 * books.mix.price / 4
        takings = books.amounts(volume, 0.4, len(weeks), 1)
        books.add(
            weeks + int(rng.integers(0, 7)),
            platform,
            int(seller),
            takings,
            "transfer",
            "Выплата продавцу",
            (9, 18),
        )
        abroad = rng.random() < 0.4
        supplier = (
            books.foreigner(str(rng.choice(SUPPLY_COUNTRIES)), "business")
            if abroad
            else int(rng.choice(world.businesses))
        )
        purchases = int(rng.integers(1, 2 * clock.months + 1))
        days = rng.integers(0, clock.days, size=purchases)
        books.add(
            days,
            int(seller),
            supplier,
            books.amounts(volume * 2, 0.5, purchases, 100),
            "wire" if abroad else "transfer",
            "Оплата за товар",
            (9, 18),
        )


def _seasonal(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """Seasonal traders: during the season, cash takings paid in a few times a week and goods
    bought abroad a few times; little the rest of the year."""
    world, rng, clock, mix = books.world, books.rng, books.clock, books.mix
    traders = np.flatnonzero(role == "seasonal")
    start = int(mix.season[0] * clock.days)
    length = max(14, int(mix.season[1] * clock.days))
    for trader in world.persons[traders]:
        per_week = float(rng.uniform(1, 5))
        count = rng.poisson(per_week * length / 7)
        days = start + rng.integers(0, length, size=count)
        takings = books.amounts(float(rng.lognormal(np.log(200_000), 0.6)), 0.5, count, 1000)
        books.add(
            days, int(trader), int(trader), takings, "cash", "Взнос наличных", (8, 20), CASH_IN
        )
        supplier = books.foreigner(str(rng.choice(SUPPLY_COUNTRIES)), "business")
        trips = int(rng.integers(1, 5))
        paid = takings.sum() * rng.uniform(0.5, 0.95) / trips
        days = np.sort(start + rng.integers(0, length, size=trips))
        books.add(
            days,
            int(trader),
            supplier,
            to_tiyn(paid / 100 * rng.uniform(0.7, 1.3, size=trips), 100),
            "wire",
            "Оплата за товар по инвойсу",
            (9, 18),
        )


def _gig(books: _Books, role: npt.NDArray[np.str_]) -> None:
    """Gig and self-employed workers: irregular payments from several clients, people and
    firms, and some of it drawn in cash."""
    world, rng, clock = books.world, books.rng, books.clock
    workers = np.flatnonzero(role == "gig")
    actor, day = spread(rng, clock, rng.uniform(2, 15, size=len(workers)), len(workers))
    firm = rng.random(len(actor)) < 0.3
    client = np.where(
        firm,
        rng.choice(world.businesses, size=len(actor)),
        rng.choice(world.persons, size=len(actor)),
    )
    books.add(
        day,
        client,
        world.persons[workers[actor]],
        books.amounts(15_000, 0.9, len(actor), 100),
        "transfer",
        "Оплата услуг",
    )


def _firms(books: _Books) -> None:
    """Businesses buying from each other and abroad, shops taking card and cash, firms paying
    bills, a few selling abroad."""
    world, rng, clock = books.world, books.rng, books.clock
    firms = np.concatenate([world.businesses, world.merchants])
    actor, day = spread(rng, clock, rng.lognormal(np.log(6), 0.8, size=len(firms)), len(firms))
    seller = rng.choice(firms, size=len(actor))
    keep = seller != firms[actor]
    books.add(
        day[keep],
        firms[actor[keep]],
        seller[keep],
        books.amounts(400_000, 1.1, int(keep.sum()), 1),
        "transfer",
        "Оплата по договору",
        (9, 18),
    )
    importers = world.businesses[rng.random(len(world.businesses)) < rng.uniform(0.1, 0.4)]
    partner = [books.foreigner(str(rng.choice(SUPPLY_COUNTRIES)), "business") for _ in importers]
    actor, day = spread(rng, clock, rng.uniform(0.3, 3, size=len(importers)), len(importers))
    books.add(
        day,
        importers[actor],
        np.array(partner, dtype=np.int64)[actor],
        books.amounts(2_000_000, 0.9, len(actor), 100),
        "wire",
        "Оплата по контракту",
        (9, 18),
    )
    actor, day = spread(
        rng, clock, rng.uniform(2, 10, size=len(world.merchants)), len(world.merchants)
    )
    shop = world.merchants[actor]
    books.add(
        day,
        shop,
        shop,
        books.amounts(300_000, 0.7, len(actor), 1000),
        "cash",
        "Взнос выручки",
        (17, 21),
        CASH_IN,
    )
    actor, day = books.monthly(firms, rng.integers(0, 28, size=len(firms)), 2)
    books.add(
        day,
        actor,
        rng.choice(world.utilities, size=len(actor)),
        books.amounts(150_000, 0.8, len(actor)),
        "transfer",
        "Оплата коммунальных услуг",
        (9, 18),
    )


def _donations(
    books: _Books,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Ordinary giving to charities, some of it monthly by standing order."""
    world, rng, clock = books.world, books.rng, books.clock
    donors = np.flatnonzero(rng.random(len(world.persons)) < books.mix.donors)
    popularity = rng.lognormal(0, 1.2, size=len(world.npos))
    favourite = rng.choice(len(world.npos), size=len(donors), p=popularity / popularity.sum())
    actor, day = spread(rng, clock, rng.uniform(0.3, 3, size=len(donors)), len(donors))
    amount = books.amounts(2_500, 0.8, len(actor), 100)
    income = np.zeros((len(world.npos), clock.months), dtype=np.int64)
    gifts = np.zeros_like(income)
    _give(
        books,
        world.persons[donors[actor]],
        favourite[actor],
        day,
        amount,
        income,
        gifts,
        "Благотворительный взнос",
    )
    return income, gifts


def _give(books: _Books, donor: Ints, npo: Ints, day: Ints, amount: Ints, income: Ints,
          gifts: Ints, purpose: str) -> None:  # fmt: skip
    """Gifts to NPOs (positions in world.npos), counted into their income as kept."""
    world, clock = books.world, books.clock
    day = np.clip(day, 0, clock.days - 1)
    kept = (day >= books.opens(donor)) & (day >= books.opens(world.npos[npo]))
    books.add(day, donor, world.npos[npo], amount, "transfer", purpose, (8, 23))
    np.add.at(income, (npo[kept], clock.month_of(day[kept])), amount[kept])
    np.add.at(gifts, (npo[kept], clock.month_of(day[kept])), 1)


def _appeal(books: _Books, income: Ints, gifts: Ints) -> None:
    """A disaster: for two or three weeks many people give to a few charities and to volunteers
    collecting on their own accounts, who pass the money on to a charity or to where the
    disaster struck."""
    world, rng, clock, mix = books.world, books.rng, books.clock, books.mix
    start = int(mix.disaster_day * clock.days)
    length = int(rng.integers(7, 22))
    charities = rng.choice(
        len(world.npos), size=min(len(world.npos), int(rng.integers(1, 5))), replace=False
    )
    donors = np.flatnonzero(rng.random(len(world.persons)) < mix.disaster_donors)
    times = rng.integers(1, 3, size=len(donors))
    donor = np.repeat(donors, times)
    day = start + rng.integers(0, length, size=len(donor))
    to_volunteer = rng.random(len(donor)) < 0.15
    volunteers = rng.choice(world.persons, size=mix.volunteers, replace=False)
    amount = books.amounts(5_000, 1.0, len(donor), 100)
    purpose = "Помощь пострадавшим"
    pick = ~to_volunteer
    _give(
        books,
        world.persons[donor[pick]],
        rng.choice(charities, size=int(pick.sum())),
        day[pick],
        amount[pick],
        income,
        gifts,
        purpose,
    )
    which = rng.choice(volunteers, size=int(to_volunteer.sum()))
    books.add(
        day[to_volunteer],
        world.persons[donor[to_volunteer]],
        which,
        amount[to_volunteer],
        "transfer",
        purpose,
    )
    abroad = mix.disaster_place != "KZ"
    partner = books.foreigner(mix.disaster_place, "business") if abroad else -1
    given = amount[to_volunteer]
    end = start + length
    for volunteer in volunteers:
        collected = int(given[which == volunteer].sum())
        if collected:
            _pass_on(books, int(volunteer), collected, end, charities, partner, income, gifts)
    if abroad:
        _aid_abroad(books, charities, income, end, partner)


def _pass_on(
    books: _Books,
    volunteer: int,
    collected: int,
    end: int,
    charities: Ints,
    partner: int,
    income: Ints,
    gifts: Ints,
) -> None:
    """A volunteer passes on what was collected: abroad (half the time, when the disaster is
    abroad) or to one of the charities."""
    rng, purpose = books.rng, "Помощь пострадавшим"
    when = np.array([end + int(rng.integers(0, 5))])
    share = to_tiyn(np.array([collected / 100 * rng.uniform(0.9, 1.0)]), 100)
    if partner >= 0 and rng.random() < 0.5:
        books.add(when, volunteer, partner, share, "wire", purpose, (9, 18))
    else:
        target = int(rng.choice(charities))
        _give(books, np.array([volunteer]), np.array([target]), when, share, income, gifts, purpose)


def _aid_abroad(books: _Books, charities: Ints, income: Ints, end: int, partner: int) -> None:
    """Each appealing charity sends part of what came in to where the disaster struck."""
    rng, world = books.rng, books.world
    for npo in charities:
        collected = int(income[npo].sum())
        sent = int(rng.integers(1, 4))
        days = end + rng.integers(0, 21, size=sent)
        books.add(
            days,
            int(world.npos[npo]),
            partner,
            to_tiyn(np.full(sent, collected / 100 * 0.3 / sent), 100),
            "wire",
            "Гуманитарная помощь",
            (9, 18),
        )


def _charity_spending(books: _Books, income: Ints) -> None:
    """Each month an NPO spends most of what came in at home: suppliers, aid to families, now
    and then petty cash (less for the NPOs cast for misuse, whose money leaves otherwise)."""
    world, rng, clock = books.world, books.rng, books.clock
    diverted = np.isin(world.npos, world.diverted)
    for month in range(clock.months):
        first, after = clock.month_days(month)
        for position, npo in enumerate(world.npos):
            budget = income[position, month] * rng.uniform(
                *((0.2, 0.5) if diverted[position] else (0.5, 0.95))
            )
            parts = int(min(20, max(0, budget // 5_000_000)))
            if parts:
                split = rng.dirichlet(np.full(parts, 3.0)) * budget
                aid = rng.random(parts) < 0.5
                receiver = np.where(
                    aid,
                    rng.choice(world.persons, size=parts),
                    rng.choice(world.businesses, size=parts),
                )
                books.add(
                    rng.integers(first, after, size=parts),
                    int(npo),
                    receiver,
                    to_tiyn(split / 100, 100),
                    "transfer",
                    "Оплата по договору",
                    (9, 18),
                )
            if rng.random() < 0.3:
                books.add(
                    np.array([int(rng.integers(first, after))]),
                    int(npo),
                    int(npo),
                    books.amounts(50_000, 0.5, 1, 1000),
                    "cash",
                    "Снятие наличных на хозяйственные нужды",
                    (9, 18),
                    CASH_OUT,
                )
