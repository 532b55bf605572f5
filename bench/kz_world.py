"""A world of Kazakhstan bank customers and their payments, for bench/kz_activity.py.

Written from how people and firms in Kazakhstan pay (payroll, pensions, benefits, students,
rent, utilities, card payments, marketplaces, P2P transfers by phone number, remittances over
many corridors, cash traders importing from abroad, charities and a disaster appeal, community
fundraising, people leaving to study or work abroad) and from the terrorist-financing typologies
of ../shared/docs/REFERENCE.md section 9, without reference to finmon's rules or its own
simulators. Every parameter (segment mix, corridor mix, amounts, frequencies) is drawn per seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

START = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
DAYS = 183
DAY = 86_400.0

FIRST_M = (
    "Нурлан Ерлан Асхат Данияр Бауыржан Серик Арман Айдос Тимур Ержан Марат Руслан Алихан "
    "Дмитрий Сергей Алексей Андрей Виктор Игорь Евгений Максим Олжас Мирас Санжар Азамат "
    "Бекзат Жандос Ильяс Амир Дамир Рустам Кайрат Талгат Муратбек Ринат"
).split()
FIRST_F = (
    "Айгерим Динара Асель Гульнара Жанар Сауле Мадина Алия Айжан Дана Камила Аружан Томирис "
    "Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Гульмира Зарина Салтанат Индира "
    "Жулдыз Меруерт Анель Ляззат Раушан Шынар"
).split()
SURNAMES = (
    "Ахметов Серикбаев Жумабеков Нурланов Касымов Абдрахманов Тулегенов Есенов Мукашев "
    "Сагындыков Иванов Петров Смирнов Ким Пак Цой Ли Шевченко Бондаренко Садыков Омаров "
    "Исмаилов Байжанов Оспанов Жаксылыков Кенжебаев Утегенов Бекмуханбетов Ермеков Сулейменов "
    "Алиев Юсупов Рахимов Мамедов Гусейнов Шмидт Вагнер Мельников Кузнецов Попов"
).split()

# Foreign first names and surnames per country, for counterparties abroad.
FOREIGN = {
    "RU": ("Alexey Ivan Olga Sergey Natalia Dmitry", "Ivanov Sokolov Morozova Volkov Orlova"),
    "UZ": ("Jasur Dilnoza Sardor Malika Bekzod Nodira", "Karimov Tashkentova Rakhimov Yusupova"),
    "KG": ("Aibek Aizhan Nurbek Gulzat Tilek Cholpon", "Asanov Toktogulova Mamatov Sydykova"),
    "TJ": ("Firuz Zarina Bahrom Nigina Farrukh Manizha", "Rahmonov Saidova Nazarov Sharipova"),
    "TR": ("Mehmet Ayse Mustafa Fatma Emre Zeynep", "Yilmaz Kaya Demir Sahin Celik Ozturk"),
    "AE": ("Omar Sara Rashid Layla Khalid Noor", "Al Mansoori Haddad Farouk Nasser Saleh"),
    "CN": ("Wei Fang Lei Jing Hao Min", "Wang Li Zhang Liu Chen Yang"),
    "KR": ("Minjun Seoyeon Jihoon Jiwoo Hyunwoo Yuna", "Kim Lee Park Choi Jung Kang"),
    "DE": ("Lukas Anna Maximilian Lena Felix Marie", "Mueller Schmidt Schneider Fischer Weber"),
    "GE": ("Giorgi Nino Levan Tamar David Mariam", "Beridze Kapanadze Gelashvili Maisuradze"),
    "AZ": ("Elvin Aysel Rashad Leyla Orkhan Gunel", "Mammadov Aliyeva Huseynov Hasanova"),
    "US": ("John Emily Michael Sarah David Anna", "Smith Johnson Brown Miller Davis"),
    "AF": ("Ahmad Fatima Mohammad Zahra Abdul Maryam", "Rahimi Karimi Ahmadzai Noori Hakimi"),
    "SY": ("Ahmad Rana Khaled Huda Yusuf Lina", "Haddad Khatib Darwish Halabi Sabbagh"),
    "IQ": ("Ali Zainab Hussein Noor Mustafa Huda", "Al Jubouri Al Obaidi Hashim Kadhim"),
    "PK": ("Imran Ayesha Bilal Sana Usman Hina", "Khan Malik Qureshi Chaudhry Siddiqui"),
    "IR": ("Reza Maryam Ali Zahra Hossein Fatemeh", "Hosseini Mohammadi Rezaei Karimi"),
    "CZ": ("Jan Petra Tomas Eva Jakub Lucie", "Novak Svobodova Dvorak Cerna"),
    "PL": ("Piotr Anna Tomasz Katarzyna Marcin Agnieszka", "Nowak Kowalska Wisniewski"),
    "MY": ("Ahmad Siti Lim Tan Wong Nur", "Abdullah Rahman Lim Tan Ismail"),
    "GB": ("Oliver Amelia Harry Isla Jack Emily", "Smith Jones Taylor Brown Wilson"),
}
TRADERS = {
    "CN": ["Yiwu Trading Co Ltd", "Guangzhou Textile Co", "Urumqi Import Export Co"],
    "TR": ["Istanbul Tekstil Ltd Sti", "Merter Giyim AS", "Laleli Konfeksiyon Ltd"],
    "AE": ["Dubai General Trading LLC", "Deira Electronics FZE", "Al Ras Spare Parts LLC"],
    "RU": ["ООО Торговый Дом Восток", "ООО СтройМаркет", "ООО Автозапчасти Урал"],
    "UZ": ["OOO Tashkent Tekstil", "OOO Fergana Meva", "OOO Samarqand Savdo"],
    "KG": ["ОсОО Дордой Трейд", "ОсОО Бишкек Текстиль"],
    "KR": ["Hanyang Trading Co", "Busan Auto Parts Co"],
}
CLINICS = {
    "TR": ["Acibadem Hastanesi", "Medical Park Hastanesi", "Memorial Hastanesi"],
    "KR": ["Seoul National University Hospital", "Asan Medical Center", "Severance Hospital"],
    "DE": ["Universitaetsklinikum Heidelberg", "Charite Berlin", "Klinikum rechts der Isar"],
    "RU": ["ФГБУ НМИЦ онкологии им. Блохина", "ФГАУ НМИЦ нейрохирургии"],
    "CN": ["Urumqi Medical University Hospital", "Beijing Tiantan Hospital"],
}
SCHOOLS = {
    "RU": ["МГУ им. Ломоносова", "СПбГУ", "Томский политехнический университет"],
    "KR": ["Korea University", "Hanyang University", "Kyung Hee University"],
    "DE": ["TU Muenchen", "RWTH Aachen", "Universitaet Heidelberg"],
    "CZ": ["Univerzita Karlova", "CVUT Praha"],
    "TR": ["Bogazici Universitesi", "Istanbul Teknik Universitesi"],
    "CN": ["Xinjiang University", "Beijing Language and Culture University"],
    "MY": ["Taylor's University", "Universiti Malaya"],
    "GB": ["University of Manchester", "King's College London"],
    "PL": ["Uniwersytet Warszawski", "Politechnika Warszawska"],
    "US": ["Arizona State University", "University of Illinois"],
}
FIRMS = {"trade": TRADERS, "clinic": CLINICS, "school": SCHOOLS}

# Corridors: (country, currency of the transfer) weighted per seed; Russia and Central Asia
# dominate, transit hubs (Turkey, UAE) are common for ordinary families, students and traders.
CORRIDORS = ("RU", "UZ", "KG", "TJ", "TR", "AE", "CN", "KR", "DE", "GE", "AZ", "US", "PL", "CZ")
STUDY = ("RU", "KR", "DE", "CZ", "TR", "CN", "MY", "GB", "PL", "US")
SUPPLY = ("CN", "TR", "AE", "RU", "UZ", "KG", "KR")
CONFLICT_ADJ = ("TR", "AF", "SY", "IQ", "TR", "AE", "PK", "IR", "GE", "AZ")

SEGMENTS = ("retail", "business", "npo", "public", "bank", "foreign")
BANK_CODES = ("722", "601", "965", "551", "914", "856", "826")


def iban_kz(rng: random.Random) -> str:
    """A Kazakhstan IBAN: KZ, two check digits (ISO 13616, mod 97), bank code, 13 digits."""
    bban = rng.choice(BANK_CODES) + "".join(rng.choice("0123456789") for _ in range(13))
    number = int(bban + "2035" + "00")  # K=20, Z=35
    return f"KZ{98 - number % 97:02d}{bban}"


def check_digit(digits: str) -> str:
    """The 12th digit of an IIN/BIN (weights 1..11, then 3..11,1,2; mod 11)."""
    first = sum((i + 1) * int(d) for i, d in enumerate(digits)) % 11
    if first < 10:
        return str(first)
    second = sum(((i + 2) % 11 + 1) * int(d) for i, d in enumerate(digits)) % 11
    return str(second % 10)


def iin(rng: random.Random, female: bool) -> str:
    year = rng.randint(1950, 2007)
    born = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    century = (3 if year < 2000 else 5) + int(female)
    digits = born.strftime("%y%m%d") + str(century) + f"{rng.randint(0, 9999):04d}"
    return digits + check_digit(digits)


def bin_(rng: random.Random) -> str:
    registered = f"{rng.randint(0, 25):02d}{rng.randint(1, 12):02d}"
    digits = f"{registered}4{rng.randint(0, 1)}{rng.randint(0, 99999):05d}"
    return digits + check_digit(digits)


@dataclass(eq=False)
class Account:
    """One account and its holder, as a bank's export would show them."""

    number: str
    name: str
    ident: str
    country: str
    segment: str
    kind: str
    customer: bool
    opened: dt.date
    listed: bool = False
    friends: list[Account] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # what else it does: run a collection ...


@dataclass
class Params:
    """What is drawn per seed."""

    mix: dict[str, float]
    corridors: list[float]
    salary: float
    spend_per_month: float
    p2p_per_month: float
    remit_share: float
    hub_relatives: float
    appeal_day: int
    appeal_donors: int
    fundraisers: int


def draw_params(rng: random.Random) -> Params:
    kinds = {
        "employee": 30,
        "pensioner": 10,
        "student": 7,
        "migrant_worker": 6,
        "remittance_family": 6,
        "hub_family": 4,
        "self_employed": 6,
        "online_seller": 4,
        "cash_trader": 2.5,
        "seasonal_trader": 1.5,
        "landlord": 2,
        "study_abroad_parent": 2,
        "leaving_abroad": 1.5,
        "small_firm": 5,
        "charity": 0.5,
    }
    mix = {k: w * rng.uniform(0.5, 1.6) for k, w in kinds.items()}
    return Params(
        mix=mix,
        corridors=[rng.uniform(0.3, 1.0) * w for w in (9, 6, 5, 4, 4, 3, 2, 2, 2, 1, 1, 1, 1, 1)],
        salary=rng.uniform(250_000, 450_000),
        spend_per_month=rng.uniform(2, 4.5),
        p2p_per_month=rng.uniform(0.8, 2.5),
        remit_share=rng.uniform(0.4, 0.75),
        hub_relatives=rng.uniform(0.03, 0.12),
        appeal_day=rng.randint(20, 120),
        appeal_donors=rng.randint(400, 1500),
        fundraisers=rng.randint(25, 70),
    )


Side = Account | list[Account] | None
Size = tuple[float, float, float]
Text = str | tuple[str, ...]
Row = tuple[float, Account | None, Account | None, float, str, str, str]


class World:
    """The accounts and transfers of one seed; behaviours append transfers to `rows`."""

    def __init__(self, seed: int, customers: int) -> None:
        self.rng = random.Random(seed)
        self.params = draw_params(self.rng)
        self.accounts: list[Account] = []
        self.rows: list[Row] = []
        self.labels: dict[Account, str] = {}
        self.by_kind: dict[str, list[Account]] = {}
        self.customers = customers
        self._foreign: dict[str, list[Account]] = {}

    # --- parties ---------------------------------------------------------------------------
    def person_name(self) -> tuple[str, bool]:
        female = self.rng.random() < 0.5
        first = self.rng.choice(FIRST_F if female else FIRST_M)
        surname = self.rng.choice(SURNAMES)
        if female and surname.endswith(("ов", "ев", "ин")):
            surname += "а"
        return f"{surname} {first}", female

    def add(self, kind: str, segment: str, customer: bool = True, **kw: str) -> Account:
        rng = self.rng
        if segment == "retail":
            name, female = self.person_name()
            ident = iin(rng, female)
        else:
            name, ident = kw.get("name", ""), bin_(rng)
        account = Account(
            number=kw.get("number") or iban_kz(rng),
            name=kw.get("name", name),
            ident=kw.get("ident", ident),
            country=kw.get("country", "KZ"),
            segment=segment,
            kind=kind,
            customer=customer,
            opened=(START - dt.timedelta(days=rng.randint(30, 4000))).date(),
        )
        self.accounts.append(account)
        self.by_kind.setdefault(kind, []).append(account)
        return account

    def foreign(self, country: str, firm: str = "") -> Account:
        """A counterparty abroad (a person; with `firm` a trader, clinic, school or shop): a
        new one, or (often) one already used by someone."""
        pool = self._foreign.setdefault(country + firm, [])
        if pool and self.rng.random() < 0.3:
            return self.rng.choice(pool)
        rng = self.rng
        if firm == "shop":
            name = f"{rng.choice(['MARKET', 'CAFE', 'PHARMACY', 'STORE'])} {rng.randint(1, 999)}"
        elif firm:
            name = rng.choice(FIRMS[firm].get(country) or [f"{country} {firm} {rng.randint(1, 9)}"])
        else:
            firsts, lasts = FOREIGN.get(country, FOREIGN["RU"])
            name = f"{rng.choice(firsts.split())} {rng.choice(lasts.split())}"
        number = foreign_account(rng, country)
        account = Account(number, name, "", country, "foreign", "foreign", False, START.date())
        self.accounts.append(account)
        pool.append(account)
        return account

    def corridor(self) -> str:
        return self.rng.choices(CORRIDORS, weights=self.params.corridors)[0]

    # --- transfers ---------------------------------------------------------------------------
    def tx(
        self,
        when: float,
        src: Account | None,
        dst: Account | None,
        amount: float,
        channel: str,
        reference: str = "",
        currency: str = "KZT",
    ) -> None:
        if 0 <= when < DAYS * DAY and amount > 0:
            self.rows.append((when, src, dst, round(amount, 2), channel, reference, currency))

    def at(self, day: float, hour_lo: float = 8, hour_hi: float = 22) -> float:
        return day * DAY + self.rng.uniform(hour_lo, hour_hi) * 3600

    def amount(self, median: float, spread: float = 0.5, step: float = 1.0) -> float:
        value = median * math.exp(self.rng.gauss(0, spread))
        return max(step, round(value / step) * step)

    def months(self) -> range:
        return range(6)

    def day_of(self, month: int, day: float) -> float:
        return month * 30.5 + day

    def poisson(self, mean: float) -> int:
        # Knuth's method for small means, normal approximation above
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def each_month(
        self, mean: float, emit: Callable[[float], None], first: float = 0, last: float = DAYS
    ) -> None:
        """Emit `mean` events a month on average, at random days between first and last."""
        span = max(0.0, last - first)
        for _ in range(self.poisson(mean * span / 30.5)):
            emit(first + self.rng.uniform(0, span))

    def flow(
        self,
        mean: float,
        src: Side,
        dst: Side,
        size: Size,
        channel: Text,
        ref: Text = "",
        span: tuple[float, float] = (0, DAYS),
        hours: tuple[float, float] = (8, 22),
    ) -> None:
        """`mean` transfers a month on average between two days: from src to dst (a party,
        cash as None, or a list to choose from each time), amounts (median, spread, rounding
        step) drawn lognormally, channel and reference chosen from a tuple when given one."""

        def emit(day: float) -> None:
            self.tx(
                self.at(day, *hours),
                self.one(src),
                self.one(dst),
                self.amount(*size),
                self.text(channel),
                self.text(ref),
            )

        self.each_month(mean, emit, *span)

    def one(self, side: Side) -> Account | None:
        return self.rng.choice(side) if isinstance(side, list) else side

    def text(self, value: Text) -> str:
        return self.rng.choice(value) if isinstance(value, tuple) else value


def foreign_account(rng: random.Random, country: str) -> str:
    digits = "0123456789"
    if country in ("TR", "AE", "DE", "GE", "AZ", "PL", "CZ", "GB", "PK", "IQ"):
        length = {"TR": 22, "AE": 19, "DE": 18, "GE": 18, "AZ": 24, "PL": 24, "CZ": 20}.get(
            country, 20
        )
        return f"{country}{rng.randint(10, 99)}" + "".join(
            rng.choice(digits) for _ in range(length)
        )
    if country in ("RU", "UZ", "KG", "TJ", "CN"):  # card-to-card: a card number
        prefix = {"RU": "2202", "UZ": "8600", "KG": "4177", "TJ": "4439", "CN": "6212"}[country]
        return prefix + "".join(rng.choice(digits) for _ in range(12))
    return "".join(rng.choice(digits) for _ in range(rng.randint(10, 14)))
