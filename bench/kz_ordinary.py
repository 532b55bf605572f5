"""Ordinary activity of the world of bench/kz_world.py: what each kind of customer does."""

from __future__ import annotations

from collections.abc import Callable

from bench.kz_world import DAYS, FOREIGN, STUDY, SUPPLY, Account, World

MERCHANTS = (
    'ТОО "Magnum Cash&Carry"',
    'ТОО "Small"',
    'ТОО "Анвар"',
    'ТОО "Европейская аптека"',
    'ТОО "Biosfera"',
    'ТОО "Helios"',
    'ТОО "Qazaq Oil"',
    'ТОО "Sulpak"',
    'ТОО "Technodom"',
    'ТОО "Starbucks Kazakhstan"',
    'ТОО "Coffee Boom"',
    'ТОО "Арбуз Маркет"',
    'ТОО "Яндекс Такси Казахстан"',
    'АО "Air Astana"',
    'АО "FlyArystan"',
    'ТОО "Кинопарк"',
    'ТОО "Wildberries KZ"',
)
UTILITIES = ('ТОО "Алсеко"', 'АО "Казахтелеком"', 'ТОО "Астана-ЕРЦ"', 'ТОО "Алматы Су"')
MOBILE = ('ТОО "Кар-Тел" (Beeline)', 'АО "Кселл"', 'ТОО "Мобайл Телеком-Сервис"')
NPO_WORDS = ("Добро", "Мейірім", "Шапағат", "Дом", "Помощь", "Үміт")
FIRM_WORDS = "Строй Транс Агро Сервис Логистик Маркет Тех Пром Нур Алтын Береке Дала Жол".split()


def firm_name(w: World, form: str = "ТОО") -> str:
    if form == "ИП":
        return f"ИП {w.person_name()[0]}"
    rng = w.rng
    return f'{form} "{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS).lower()} {rng.randint(1, 99)}"'


def infrastructure(w: World) -> None:
    """Merchants, utilities, state payers, big employers and the bank itself."""
    for name in MERCHANTS:
        w.add("merchant", "business", customer=w.rng.random() < 0.4, name=name)
    for _ in range(60):  # neighbourhood shops, cafes, pharmacies
        w.add("merchant", "business", customer=w.rng.random() < 0.5, name=firm_name(w, "ИП"))
    for name in UTILITIES:
        w.add("utility", "business", customer=False, name=name)
    for name in MOBILE:
        w.add("mobile", "business", customer=False, name=name)
    w.add(
        "state",
        "public",
        customer=False,
        name='НАО "Государственная корпорация "Правительство для граждан"',
    )
    w.add("tax", "public", customer=False, name='РГУ "Управление государственных доходов"')
    for n in range(6):
        w.add("university", "public", customer=False, name=f'НАО "Университет {n + 1}"')
    for n in range(25):
        name = f'КГУ "Школа-гимназия №{w.rng.randint(1, 180)}"' if n % 2 else firm_name(w, "АО")
        w.add("employer", "public" if n % 2 else "business", customer=False, name=name)
    w.add("bank", "bank", customer=False, name='АО "Банк ЦентрКредит"')
    w.add("marketplace", "business", customer=False, name='АО "Kaspi Магазин"')
    for _ in range(1500):  # people at other banks
        w.add("external_person", "retail", customer=False)
    for _ in range(120):
        w.add(
            "supplier", "business", customer=False, name=firm_name(w, w.rng.choice(["ТОО", "ИП"]))
        )


def customers(w: World) -> None:
    """The bank's customers, in the seed's mix, each with friends and family."""
    mix = w.params.mix
    total = sum(mix.values())
    for kind, weight in mix.items():
        for _ in range(round(w.customers * weight / total)):
            if kind in ("small_firm", "online_seller", "cash_trader", "seasonal_trader"):
                form = "ТОО" if kind == "small_firm" else "ИП"
                w.add(kind, "business", name=firm_name(w, form))
            elif kind == "charity":
                form = w.rng.choice(["ОФ", "БФ", "КФ"])
                w.add(
                    kind,
                    "npo",
                    name=f'{form} "{w.rng.choice(NPO_WORDS)} {w.rng.randint(1, 50)}"',
                )
            elif kind == "migrant_worker":
                country = w.rng.choice(["UZ", "UZ", "KG", "TJ"])
                firsts, lasts = FOREIGN[country]
                name = f"{w.rng.choice(lasts.split())} {w.rng.choice(firsts.split())}"
                passport = f"{country[0]}A{w.rng.randint(1_000_000, 9_999_999)}"
                w.add(kind, "retail", name=name, ident=passport)
            else:
                w.add(kind, "retail")
    people = [a for a in w.accounts if a.segment == "retail"]
    for a in people:
        a.friends = w.rng.sample(people, w.rng.randint(3, 12))


def employer_of(w: World, a: Account) -> Account:
    pool = w.by_kind.get("small_firm", []) + w.by_kind["employer"]
    return pool[sum(map(ord, a.number)) % len(pool)]


def everyday(w: World, a: Account, scale: float = 1.0) -> None:
    """Card payments, utilities, mobile, P2P to friends, ATM: what every person does."""
    rng, p = w.rng, w.params
    shops = rng.sample(w.by_kind["merchant"], 12)
    card = p.spend_per_month * scale * rng.uniform(0.5, 2)
    w.flow(card, a, shops, (4000, 0.9, 10), "card payment", "POS")
    market = w.by_kind["marketplace"][0]
    w.flow(0.8 * scale, a, market, (12000, 0.9, 10), "card payment", "Kaspi магазин заказ")
    utility, mobile = rng.choice(w.by_kind["utility"]), rng.choice(w.by_kind["mobile"])
    monthly(w, a, utility, rng.uniform(10, 25), 22000, "transfer", "коммунальные услуги", 0.2)
    w.flow(1.5, a, mobile, (2500, 0.5, 500), "transfer", "пополнение баланса")
    friends = a.friends + rng.sample(w.by_kind["external_person"], 4)
    p2p = p.p2p_per_month * rng.uniform(0.3, 1.7)
    w.flow(p2p, a, friends, (8000, 1.0, 100), "transfer", ("", "перевод", "долг", "спасибо"))
    w.flow(1.2 * scale, a, None, (30000, 0.7, 1000), "atm", "снятие наличных")


def monthly(
    w: World, a: Account | None, b: Account | None, day: float, median: float, channel: str,
    ref: str, spread: float = 0.05, months: tuple[int, int] = (0, 6),
) -> None:  # fmt: skip
    """A payment on about the same day each month, of about the same amount."""
    base = w.amount(median, 0.35, 100)
    for m in range(*months):
        when = w.at(w.day_of(m, day + w.rng.uniform(-1, 1)), 9, 18)
        w.tx(when, a, b, w.amount(base, spread, 1), channel, ref)


def employee(w: World, a: Account) -> None:
    rng = w.rng
    boss = employer_of(w, a)
    pay = w.params.salary * rng.lognormvariate(0, 0.45)
    if rng.random() < 0.4:
        monthly(w, boss, a, rng.uniform(18, 24), pay * 0.4, "transfer", "аванс")
        pay *= 0.6
    monthly(w, boss, a, rng.uniform(3, 10), pay, "transfer", "заработная плата")
    state = w.by_kind["state"][0]
    if a.ident[6] in "46" and rng.random() < 0.2:
        monthly(w, state, a, rng.uniform(5, 20), 45000, "transfer", "пособие по уходу за ребенком")
    if rng.random() < 0.3:
        bank = w.by_kind["bank"][0]
        monthly(w, a, bank, rng.uniform(1, 28), pay * 0.25, "transfer", "погашение кредита", 0.0)
    if rng.random() < 0.3:
        landlord = rng.choice(w.by_kind.get("landlord") or w.by_kind["external_person"])
        monthly(w, a, landlord, rng.uniform(1, 5), 150000, "transfer", "аренда квартиры", 0.0)
    if rng.random() < 0.06:
        relative = w.foreign(w.corridor())
        w.flow(0.5, a, relative, (60000, 0.7, 1000), "transfer", "помощь родственникам")
    everyday(w, a)


def pensioner(w: World, a: Account) -> None:
    rng = w.rng
    pension = rng.uniform(80000, 260000)
    payday = rng.uniform(2, 6)
    monthly(w, w.by_kind["state"][0], a, payday, pension, "transfer", "пенсионные выплаты", 0.01)
    for m in w.months():
        when = w.at(w.day_of(m, payday + rng.uniform(1, 7)))
        w.tx(when, a, None, w.amount(pension * 0.6, 0.2, 1000), "atm", "снятие наличных")
    w.flow(0.7, a, rng.choice(a.friends), (15000, 0.6, 1000), "transfer", "внуку")
    everyday(w, a, 0.4)


def student(w: World, a: Account) -> None:
    rng = w.rng
    parent = rng.choice(a.friends + w.by_kind["external_person"][:200])
    refs = ("", "на жизнь", "на обед", "общежитие")
    w.flow(rng.uniform(1, 4), parent, a, (40000, 0.6, 1000), "transfer", refs)
    if rng.random() < 0.6:
        university = rng.choice(w.by_kind["university"])
        monthly(w, university, a, 25, 43000, "transfer", "стипендия", 0.0, (4, 6))
    students = w.by_kind["student"]
    classmates = rng.sample(students, min(15, len(students)))
    refs = ("", "за кофе", "за такси", "скинулись")
    w.flow(rng.uniform(2, 6), classmates, a, (2000, 0.8, 50), "transfer", refs, hours=(10, 24))
    everyday(w, a)


def migrant_worker(w: World, a: Account) -> None:
    """A worker from Uzbekistan, Kyrgyzstan or Tajikistan, sending most of the pay home."""
    rng = w.rng
    home = "UZ" if a.ident[0] == "U" else "KG" if a.ident[0] == "K" else "TJ"
    family = [w.foreign(home) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        family.append(w.foreign("RU"))
    pay = w.params.salary * rng.uniform(0.5, 1.1)
    away = rng.randrange(6) if rng.random() < 0.3 else -1  # a month at home
    for m in w.months():
        if m == away:
            continue
        day = w.day_of(m, rng.uniform(3, 10))
        if rng.random() < 0.7:
            salary = w.amount(pay, 0.1, 100)
            w.tx(w.at(day, 9, 18), employer_of(w, a), a, salary, "transfer", "заработная плата")
        else:  # paid in cash, deposited
            cash = w.amount(pay, 0.15, 1000)
            w.tx(w.at(day, 9, 19), None, a, cash, "cash deposit", "взнос наличных")
        for _ in range(rng.randint(1, 3)):
            sent = w.amount(pay * w.params.remit_share / 2, 0.4, 100)
            channel = rng.choice(["transfer", "money transfer system"])
            w.tx(w.at(day + rng.uniform(0, 6)), a, rng.choice(family), sent, channel, "семье")
    everyday(w, a, 0.4)


def remittance_family(w: World, a: Account) -> None:
    rng = w.rng
    channels = ("transfer", "swift", "money transfer system")
    for sender in [w.foreign(w.corridor()) for _ in range(rng.randint(1, 2))]:
        w.flow(rng.uniform(0.7, 1.5), sender, a, (150000, 0.6, 100), channels, "семье")
    everyday(w, a)


def hub_family(w: World, a: Account) -> None:
    """Ordinary people with relatives or business in Turkey, the Emirates or the Caucasus."""
    rng = w.rng
    country = rng.choice(["TR", "TR", "AE", "AE", "GE", "AZ"])
    relatives = [w.foreign(country) for _ in range(rng.randint(1, 3))]
    channels = ("transfer", "money transfer system", "swift")
    refs = ("помощь", "на учебу", "на лечение", "долг", "")
    w.flow(rng.uniform(0.5, 2.5), a, relatives, (90000, 0.8, 1000), channels, refs)
    if rng.random() < 0.4:  # a holiday there: card payments abroad
        start = rng.uniform(0, DAYS - 14)
        shops = [w.foreign(country, firm="shop") for _ in range(4)]
        w.flow(40, a, shops, (25000, 1.0, 10), "card payment", "POS", (start, start + 10))
    employee(w, a)


def self_employed(w: World, a: Account) -> None:
    """Taxi drivers, tutors, beauty masters, home bakers: paid by phone-number transfers."""
    rng = w.rng
    clients = rng.sample([x for x in w.accounts if x.segment == "retail" and x is not a], 400)
    clients += clients[: rng.randint(10, 60)] * 3  # regulars
    fee = rng.choice([1500, 3000, 5000, 8000, 12000])
    refs = ("", "", "за услуги", "такси", "урок")
    w.flow(rng.uniform(5, 28), clients, a, (fee, 0.4, 100), "transfer", refs, hours=(7, 23))
    tax = w.by_kind["tax"][0]
    w.flow(1, a, tax, (8000, 0.5, 100), "transfer", "ИПН/соц.платежи")
    w.flow(3, a, None, (60000, 0.7, 1000), "atm", "снятие наличных")
    everyday(w, a)


def online_seller(w: World, a: Account) -> None:
    rng = w.rng
    market = w.by_kind["marketplace"][0]
    payout = (rng.uniform(100_000, 1_500_000), 0.5, 1)
    w.flow(4.3, market, a, payout, "transfer", "выплата продавцу", hours=(9, 12))
    buyers = [x for x in w.accounts if x.segment == "retail"]
    refs = ("", "заказ", "оплата товара")
    w.flow(rng.uniform(5, 40), buyers, a, (9000, 0.8, 100), "transfer", refs)
    abroad = w.foreign(rng.choice(("CN", "CN", "TR", "KG")), firm="trade")
    suppliers = [*rng.sample(w.by_kind["supplier"], 4), abroad]
    channels = ("transfer", "transfer", "swift")
    w.flow(rng.uniform(3, 8), a, suppliers, (600_000, 0.7, 100), channels, "оплата за товар")
    w.flow(2, a, None, (150_000, 0.6, 1000), "atm", "снятие наличных")
    w.flow(1, a, w.by_kind["tax"][0], (40000, 0.6, 100), "transfer", "налоги")


def cash_trader(w: World, a: Account) -> None:
    """A bazaar trader importing goods: cash takings deposited, then paid to suppliers abroad."""
    rng = w.rng
    suppliers = [w.foreign(rng.choice(SUPPLY), firm="trade") for _ in range(rng.randint(1, 4))]
    size = rng.lognormvariate(0, 0.7)
    takings = (900_000 * size, 0.6, 1000)
    w.flow(rng.uniform(6, 20), None, a, takings, "cash deposit", "выручка", hours=(16, 20))
    paid = (3_500_000 * size, 0.6, 100)
    ref = "оплата по контракту за товар"
    w.flow(rng.uniform(1.5, 5), a, suppliers, paid, ("swift", "transfer"), ref, hours=(9, 18))
    carrier = w.by_kind["supplier"]
    w.flow(2, a, carrier, (300_000, 0.6, 100), "transfer", "транспортные услуги", hours=(9, 18))
    w.flow(1, a, w.by_kind["tax"][0], (60000, 0.6, 100), "transfer", "налоги")


def seasonal_trader(w: World, a: Account) -> None:
    """Melons, potatoes, grain: busy from July to October, quiet otherwise."""
    rng = w.rng
    season = (62.0, 170.0)
    farmers = rng.sample(w.by_kind["external_person"], rng.randint(10, 60))
    buyers = rng.sample(w.by_kind["supplier"] + w.by_kind["merchant"], 6)
    sold = (2_000_000, 0.7, 100)
    w.flow(rng.uniform(6, 15), buyers, a, sold, "transfer", "оплата за продукцию", season)
    bought = (400_000, 0.7, 1000)
    w.flow(rng.uniform(10, 30), a, farmers, bought, "transfer", "закуп урожая", season)
    w.flow(4, None, a, (800_000, 0.6, 1000), "cash deposit", "выручка", season)
    w.flow(2, a, None, (500_000, 0.6, 1000), "atm", "снятие наличных", season)
    if rng.random() < 0.3:
        partner = w.foreign(rng.choice(["UZ", "KG", "RU", "CN"]), firm="trade")
        w.flow(2, a, partner, (5_000_000, 0.5, 100), "swift", "оплата по контракту", season)


def landlord(w: World, a: Account) -> None:
    rng = w.rng
    for tenant in rng.sample([x for x in w.accounts if x.segment == "retail"], rng.randint(1, 6)):
        monthly(
            w, tenant, a, rng.uniform(1, 5), rng.uniform(90_000, 350_000), "transfer", "аренда", 0.0
        )
    employee(w, a)


def study_abroad_parent(w: World, a: Account) -> None:
    rng = w.rng
    country = rng.choice(STUDY)
    school, child = w.foreign(country, firm="school"), w.foreign(country)
    for day in rng.sample(range(5, 170), rng.randint(1, 2)):
        w.tx(w.at(day, 9, 18), a, school, w.amount(3_000_000, 0.5, 1000), "swift", "tuition fee")
    channel = rng.choice(["transfer", "swift", "money transfer system"])
    living = rng.uniform(100_000, 400_000)
    monthly(w, a, child, rng.uniform(1, 28), living, channel, "на проживание", 0.3)
    employee(w, a)


def leaving_abroad(w: World, a: Account) -> None:
    """Leaves to work or study abroad: sells things, buys a ticket, sends savings, then is gone."""
    rng = w.rng
    leave = rng.uniform(40, DAYS - 10)
    country = rng.choice(("KR", "DE", "PL", "CZ", "TR", "AE", "RU", "US", "GB"))
    employee_until(w, a, leave)
    if rng.random() < 0.5:
        buyer = rng.choice(w.by_kind["external_person"])
        car = w.amount(4_000_000, 0.5, 10000)
        w.tx(w.at(leave - rng.uniform(5, 30)), buyer, a, car, "transfer", "за автомобиль")
    for _ in range(rng.randint(1, 5)):
        gift = w.amount(40000, 0.8, 1000)
        w.tx(
            w.at(leave - rng.uniform(0, 25)), rng.choice(a.friends), a, gift, "transfer", "в дорогу"
        )
    airline = rng.choice([m for m in w.by_kind["merchant"] if "Air" in m.name or "Fly" in m.name])
    ticket = w.amount(250_000, 0.4, 10)
    w.tx(w.at(leave - rng.uniform(3, 30)), a, airline, ticket, "card payment", "авиабилет")
    own = w.foreign(country)
    for _ in range(rng.randint(1, 3)):
        sent, channel = w.amount(1_000_000, 0.7, 1000), rng.choice(["swift", "transfer"])
        w.tx(w.at(leave - rng.uniform(0, 10)), a, own, sent, channel, "перевод себе")
    cash = w.amount(400_000, 0.6, 1000)
    w.tx(w.at(leave - rng.uniform(0, 5)), a, None, cash, "atm", "снятие наличных")
    shops = [w.foreign(country, firm="shop") for _ in range(3)]
    abroad = (leave + 1, min(DAYS, leave + 40))
    w.flow(10, a, shops, (15000, 0.9, 10), "card payment", "POS", abroad)


def employee_until(w: World, a: Account, end: float) -> None:
    """An employee's activity cut at a day: the rows after it are dropped."""
    before = len(w.rows)
    employee(w, a)
    w.rows[before:] = [r for r in w.rows[before:] if r[0] < end * 86_400]


def small_firm(w: World, a: Account) -> None:
    rng = w.rng
    clients = rng.sample(w.by_kind["supplier"] + w.by_kind["employer"] + w.by_kind["merchant"], 8)
    suppliers = rng.sample(w.by_kind["supplier"], rng.randint(3, 12))
    office = (9.0, 18.0)
    sold = (1_200_000, 0.8, 100)
    w.flow(rng.uniform(3, 15), clients, a, sold, "transfer", "оплата по счету", hours=office)
    bought = (600_000, 0.8, 100)
    w.flow(rng.uniform(4, 15), a, suppliers, bought, "transfer", "оплата по договору", hours=office)
    monthly(w, a, w.by_kind["tax"][0], 25, 300_000, "transfer", "налоги", 0.3)
    if rng.random() < 0.15:
        partner = w.foreign(rng.choice(SUPPLY), firm="trade")
        imported = (4_000_000, 0.6, 100)
        w.flow(0.7, a, partner, imported, "swift", "оплата по контракту", hours=office)


def charity(w: World, a: Account) -> None:
    """A foundation: monthly donors, grants, spending on goods and on the people it helps."""
    rng = w.rng
    office = (9.0, 18.0)
    donors = rng.sample([x for x in w.accounts if x.segment == "retail"], rng.randint(30, 300))
    for donor in donors:
        if rng.random() < 0.5:
            gift = rng.choice([1000, 2000, 5000, 10000])
            monthly(
                w, donor, a, rng.uniform(1, 28), gift, "transfer", "благотворительный взнос", 0.0
            )
        else:
            w.flow(0.3, donor, a, (5000, 0.8, 100), "transfer", "пожертвование")
    sponsors = w.by_kind.get("small_firm") or w.by_kind["supplier"]
    w.flow(0.5, sponsors, a, (1_000_000, 0.8, 1000), "transfer", "спонсорская помощь", hours=office)
    helped = rng.sample(w.by_kind["external_person"], 30)
    refs = ("материальная помощь", "на лечение", "адресная помощь")
    w.flow(rng.uniform(2, 8), a, helped, (150_000, 0.8, 1000), "transfer", refs, hours=office)
    goods = w.by_kind["supplier"]
    w.flow(
        rng.uniform(1, 4),
        a,
        goods,
        (500_000, 0.7, 100),
        "transfer",
        "закуп продуктов",
        hours=office,
    )
    if rng.random() < 0.4:  # children's treatment abroad
        clinic = w.foreign(rng.choice(["TR", "KR", "DE", "RU"]), firm="clinic")
        w.flow(0.4, a, clinic, (5_000_000, 0.5, 1000), "swift", "оплата лечения", hours=office)


def disaster_appeal(w: World) -> None:
    """Floods: one or two foundations collect from many people in a fortnight, then spend."""
    rng, p = w.rng, w.params
    charities = w.by_kind.get("charity", [])[:2]
    if not charities:
        return
    donors = [x for x in w.accounts if x.segment == "retail"]
    firms = w.by_kind.get("small_firm", []) + w.by_kind["merchant"]
    for c in charities:
        c.roles.append("flood appeal")
    day = p.appeal_day
    refs = ["паводок", "помощь пострадавшим", "на помощь", ""]
    for _ in range(p.appeal_donors):
        donor = rng.choice(donors) if rng.random() < 0.95 else rng.choice(firms)
        gift = w.amount(8000 if donor.segment == "retail" else 400_000, 1.0, 100)
        when = w.at(day + rng.expovariate(1 / 4), 7, 24)
        w.tx(when, donor, rng.choice(charities), gift, "transfer", rng.choice(refs))
    families = rng.sample(w.by_kind["external_person"], 150)
    for c in charities:
        for family in rng.sample(families, rng.randint(40, 120)):
            aid = w.amount(100_000, 0.3, 1000)
            when = w.at(day + rng.uniform(5, 50), 9, 18)
            w.tx(when, c, family, aid, "transfer", "помощь пострадавшим от паводка")
        for _ in range(rng.randint(5, 20)):
            goods = w.amount(2_000_000, 0.7, 1000)
            when = w.at(day + rng.uniform(3, 40), 9, 18)
            w.tx(
                when,
                c,
                rng.choice(w.by_kind["supplier"]),
                goods,
                "transfer",
                "закуп стройматериалов",
            )
        for _ in range(rng.randint(0, 3)):
            cash = w.amount(1_000_000, 0.4, 1000)
            w.tx(
                w.at(day + rng.uniform(3, 30), 9, 18),
                c,
                None,
                cash,
                "atm",
                "наличные на выдачу помощи",
            )


def community_fundraising(w: World) -> None:
    """Collections for a relative's treatment (often abroad), a funeral or a fire: many people
    send a little within days, the organiser pays the clinic, the family or the builders."""
    rng = w.rng
    people = [x for x in w.accounts if x.segment == "retail" and x.customer]
    refs = ["", "на лечение", "соболезную", "держитесь", "сбор"]
    for organiser in rng.sample(people, w.params.fundraisers):
        start = rng.uniform(0, DAYS - 30)
        total = 0.0
        for donor in rng.sample(people + w.by_kind["external_person"], rng.randint(20, 300)):
            gift = w.amount(5000, 0.8, 500)
            total += gift
            when = w.at(start + rng.expovariate(1 / 3), 7, 24)
            w.tx(when, donor, organiser, gift, "transfer", rng.choice(refs))
        spend = start + rng.uniform(5, 20)
        purpose = rng.random()
        organiser.roles.append(
            "collection, paid abroad" if purpose < 0.35 else "collection, paid on"
        )
        if purpose < 0.35:
            clinic = w.foreign(rng.choice(["TR", "KR", "DE", "RU", "CN"]), firm="clinic")
            paid = round(total * rng.uniform(0.7, 1.0))
            w.tx(w.at(spend, 9, 18), organiser, clinic, paid, "swift", "оплата лечения")
        elif purpose < 0.7:
            paid = round(total * rng.uniform(0.8, 1.0))
            w.tx(
                w.at(spend),
                organiser,
                rng.choice(organiser.friends),
                paid,
                "transfer",
                "собранные средства",
            )
        else:
            cash = round(total * rng.uniform(0.5, 1.0), -3)
            w.tx(w.at(spend), organiser, None, cash, "atm", "снятие наличных")


BEHAVIOURS: dict[str, Callable[[World, Account], None]] = {
    "employee": employee,
    "pensioner": pensioner,
    "student": student,
    "migrant_worker": migrant_worker,
    "remittance_family": remittance_family,
    "hub_family": hub_family,
    "self_employed": self_employed,
    "online_seller": online_seller,
    "cash_trader": cash_trader,
    "seasonal_trader": seasonal_trader,
    "landlord": landlord,
    "study_abroad_parent": study_abroad_parent,
    "leaving_abroad": leaving_abroad,
    "small_firm": small_firm,
    "charity": charity,
}


def ordinary(w: World) -> None:
    """Every customer's activity, then the appeal and the community collections."""
    for a in list(w.accounts):
        if a.customer and a.kind in BEHAVIOURS:
            BEHAVIOURS[a.kind](w, a)
    disaster_appeal(w)
    community_fundraising(w)
