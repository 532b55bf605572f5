"""Invented names as a Kazakhstan bank records them: people SURNAME GIVEN PATRONYMIC in upper-case
Cyrillic (some in Latin), companies ТОО «...», and foreign parties as their country writes them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from finmon.names.translit import to_latin

ORIGINS = ("kz", "ru", "uz", "kg", "tj")
ORIGIN_WEIGHTS = (0.68, 0.20, 0.07, 0.03, 0.02)
"""Origins of the customers' names; Uzbek, Kyrgyz and Tajik names are migrant workers' mostly."""
LATIN_SHARE = 0.12
"""Share of domestic people whose name the bank holds in Latin letters."""

GIVEN = {
    "kz": (
        ("Нұрлан", "Ерлан", "Арман", "Айбек", "Дәурен", "Асхат", "Бауыржан", "Ержан", "Қайрат",
         "Санжар", "Талғат", "Жандос", "Мұрат", "Серік", "Әділет", "Дәулет", "Ғалым", "Ерболат",
         "Нұржан", "Асқар", "Бекзат", "Димаш", "Олжас", "Ильяс"),
        ("Айгерім", "Сәуле", "Мадина", "Дана", "Жанар", "Гүлнар", "Әсел", "Динара", "Аружан",
         "Ләззат", "Әлия", "Назерке", "Жұлдыз", "Меруерт", "Ақмарал", "Гүлмира", "Камила",
         "Томирис"),
    ),
    "ru": (
        ("Алексей", "Дмитрий", "Сергей", "Андрей", "Игорь", "Евгений", "Владимир", "Николай",
         "Борис", "Юрий", "Максим", "Артём", "Виктор", "Олег"),
        ("Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Юлия", "Екатерина",
         "Анастасия", "Вера", "Марина", "Людмила"),
    ),
    "uz": (
        ("Жамшид", "Алишер", "Бахтиёр", "Шерзод", "Улугбек", "Фаррух", "Рустам", "Дилшод",
         "Отабек", "Санжар", "Азиз", "Бобур"),
        ("Дилноза", "Гулнора", "Нигора", "Шахноза", "Мохира", "Зарина", "Феруза", "Севара"),
    ),
    "kg": (
        ("Бакыт", "Нурбек", "Азамат", "Эрмек", "Улан", "Данияр", "Мирлан", "Талант", "Айбек"),
        ("Айгуль", "Жылдыз", "Нургуль", "Бермет", "Чолпон", "Айпери", "Гулзат"),
    ),
    "tj": (
        ("Фаридун", "Рустам", "Далер", "Шахром", "Сухроб", "Джамшед", "Фирдавс", "Носир"),
        ("Нилуфар", "Мехрона", "Зарина", "Гулрухсор", "Мадина", "Фарзона"),
    ),
}  # fmt: skip
SURNAMES = {
    "kz": ("Серікбаев", "Жақсылықов", "Тулегенов", "Әбенов", "Қасымов", "Ысқақов", "Омаров",
           "Бекмұханбетов", "Нұрпейісов", "Сәрсенбаев", "Ахметов", "Байжанов", "Оспанов",
           "Жұмабаев", "Төлеуов", "Әлиев", "Құдайбергенов", "Есенов", "Мұқанов", "Смағұлов",
           "Жолдасбеков", "Ибраев", "Қалиев", "Рахимжанов"),
    "ru": ("Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
           "Новиков", "Морозов", "Волков", "Соловьёв", "Ковалёв", "Романов", "Фёдоров"),
    "uz": ("Каримов", "Рахимов", "Юсупов", "Исмаилов", "Турсунов", "Алимов", "Назаров",
           "Хасанов", "Усмонов", "Мирзаев"),
    "kg": ("Асанов", "Токтогулов", "Жээнбеков", "Бакиев", "Осмонов", "Сыдыков", "Абдыкадыров",
           "Мамытов"),
    "tj": ("Рахимов", "Назаров", "Сафаров", "Давлатов", "Шарипов", "Холов", "Файзуллоев",
           "Джураев"),
}  # fmt: skip
FOREIGN_PEOPLE = {
    "tr": (("Mehmet", "Mustafa", "Ahmet", "Ali", "Huseyin", "Emre", "Ayse", "Fatma", "Zeynep",
            "Elif"),
           ("Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Aydin", "Ozturk", "Arslan")),
    "arab": (("Ahmad", "Mohammed", "Omar", "Khalid", "Yusuf", "Ibrahim", "Hassan", "Tariq",
              "Fatima", "Aisha", "Maryam"),
             ("Al-Hassan", "Al-Khatib", "Haddad", "Al-Najjar", "Saleh", "Mansour", "Al-Tamimi",
              "Nasser", "Al-Rashid", "Darwish")),
    "af": (("Ahmad", "Mohammad", "Abdul", "Farid", "Wahid", "Zabihullah", "Nasir", "Shabnam",
            "Parwana", "Reza"),
           ("Noori", "Ahmadi", "Rahimi", "Hakimi", "Karimi", "Popal", "Stanekzai", "Hosseini",
            "Qureshi", "Khan")),
    "so": (("Abdirahman", "Mohamed", "Abdullahi", "Ahmed", "Hodan", "Faadumo", "Ismail"),
           ("Warsame", "Farah", "Hassan", "Omar", "Jama", "Abdi", "Osman")),
    "kp": (("Chol", "Song", "Myong", "Kwang", "Hyok", "Ok"),
           ("Kim", "Ri", "Pak", "Choe", "Jong", "Han")),
    "west": (("Thomas", "Michael", "Anna", "Julia", "Daniel", "Laura", "Peter", "Sarah",
              "David", "Maria"),
             ("Muller", "Schmidt", "Smith", "Johnson", "de Vries", "Fischer", "Brown",
              "Wagner", "Bakker", "Miller")),
    "kr": (("Min Jun", "Seo Yeon", "Ji Ho", "Ha Eun", "Do Hyun"),
           ("Kim", "Lee", "Park", "Choi", "Jung")),
    "cn": (("Wei", "Fang", "Lei", "Jing", "Min", "Tao"), ("Wang", "Li", "Zhang", "Liu", "Chen")),
    "ge": (("Giorgi", "Nino", "Davit", "Tamar", "Levan", "Mariam"),
           ("Beridze", "Kapanadze", "Gelashvili", "Maisuradze", "Lomidze")),
}  # fmt: skip
PEOPLE_STYLE = {
    "RU": "ru", "UZ": "uz", "KG": "kg", "TJ": "tj", "TR": "tr", "AE": "arab", "SA": "arab",
    "SY": "arab", "IQ": "arab", "YE": "arab", "LY": "arab", "JO": "arab", "EG": "arab",
    "ML": "arab", "AF": "af", "PK": "af", "IR": "af", "SO": "so", "KP": "kp", "KR": "kr",
    "CN": "cn", "GE": "ge",
}  # fmt: skip
"""How a country's people are named: an origin of ORIGINS (Cyrillic or, UZ, Latin), else a
FOREIGN_PEOPLE list; other countries take the 'west' list."""
COMPANY_WORDS = (
    ("Береке", "Алтын", "Самұрық", "Дала", "Сапа", "Нұр", "Тұлпар", "Жібек", "Шығыс", "Астана",
     "Орда", "Көктем", "Байтерек", "Арман", "Сұңқар", "Ақжол", "Ырыс", "Қазына"),
    ("Логистик", "Агро", "Трейд", "Строй", "Сервис", "Снаб", "Пром", "Транс", "Инвест", "Групп",
     "Технолоджи", "Азия", "Опт", "Мебель", "Электро", "Фуд"),
)  # fmt: skip
PUBLIC_BODIES = (
    "КГУ «Общеобразовательная школа №{n}»",
    "ГКП на ПХВ «Городская поликлиника №{n}»",
    "ГККП «Ясли-сад №{n}»",
    "ГКП на ПХВ «Многопрофильная больница №{n}»",
    "КГУ «Колледж №{n}»",
)
CHAINS = ("Супермаркет", "Маркет", "АЗС", "Аптека", "Кафе", "Кофейня", "Дүкен", "Магазин")
NPO_FORMS = ("ОФ", "ОФ", "КФ", "ОО", "БФ")
NPO_WORDS = (
    "Мейірім", "Қамқорлық", "Шапағат", "Жанашыр", "Ақ ниет", "Помощь детям", "Добрые руки",
    "Үміт", "Жүрек", "Зеленый город", "Аналар үні", "Ардагер",
)  # fmt: skip
FOREIGN_WORDS = (
    "Silk Road", "Anatolia", "Golden Star", "Orient", "Caspian", "Eurasia", "Nova", "Falcon",
    "Crescent", "Pamir", "Tian Shan", "Horizon", "Atlas", "Bosphorus", "Emerald",
)  # fmt: skip
FOREIGN_FORMS = {
    "TR": "{w} TEKSTIL SAN. VE TIC. LTD. STI.", "CN": "YIWU {w} IMPORT AND EXPORT CO., LTD",
    "RU": "ООО «{w}»", "AE": "{w} GENERAL TRADING LLC", "DE": "{w} GMBH",
}  # fmt: skip
MERCHANTS_ABROAD = {
    "TR": ("HOTEL {w} ANTALYA", "{w} RESTAURANT ISTANBUL", "{w} AVM MAGAZA", "{w} CAFE ALANYA"),
    "AE": ("{w} MALL DUBAI", "{w} HOTEL DUBAI", "{w} RESTAURANT ABU DHABI", "{w} DUTY FREE"),
    "GE": ("HOTEL {w} BATUMI", "{w} RESTAURANT TBILISI", "{w} MARKET BATUMI"),
}  # fmt: skip
FOUNDATIONS = ("{w} FOUNDATION", "STIFTUNG {w}", "{w} CHARITABLE TRUST", "{w} RELIEF FUND")


def pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    """One item, evenly."""
    return items[int(rng.integers(len(items)))]


def person(rng: np.random.Generator, origin: str, female: bool, latin: bool = False) -> str:
    """SURNAME GIVEN PATRONYMIC of a person of an origin, upper case, Cyrillic unless latin."""
    surname = pick(rng, SURNAMES[origin])
    name = f"{_female(surname) if female else surname} {pick(rng, GIVEN[origin][int(female)])}"
    name = f"{name} {_patronymic(rng, origin, female)}".strip()
    return to_latin(name).upper() if latin else name.upper()


def relative(rng: np.random.Generator, name: str, origin: str, female: bool) -> str:
    """Someone of the same family abroad: the same surname, another given name, as the country
    writes it (Uzbekistan in Latin)."""
    surname = name.split()[0].title()
    if female != name.split()[0].endswith(("А", "A")):
        surname = _female(surname) if female else surname[:-1]
    full = f"{surname} {pick(rng, GIVEN[origin][int(female)])}".upper()
    return to_latin(full).upper() if origin == "uz" else full


def _female(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname


def _patronymic(rng: np.random.Generator, origin: str, female: bool) -> str:
    father = pick(rng, GIVEN[origin][0])
    if origin == "kz" and rng.random() < 0.5:
        return father + ("қызы" if female else "ұлы")
    if father[-1] in "аеёиоуыэюяәұүіө":
        return ""
    ending = "евна" if father[-1] in "йь" else "овна"
    return (father.rstrip("йь") + ending) if female else (father.rstrip("йь") + ending[:2] + "ич")


def foreign_person(rng: np.random.Generator, country: str) -> str:
    """A person of a foreign country, as a transfer to or from there names them."""
    style = PEOPLE_STYLE.get(country, "west")
    female = bool(rng.random() < 0.3)
    if style in GIVEN:
        full = f"{_surname(rng, style, female)} {pick(rng, GIVEN[style][int(female)])}".upper()
        return to_latin(full).upper() if style == "uz" else full
    given, family = FOREIGN_PEOPLE[style]
    if style == "arab":
        return f"{pick(rng, given)} {pick(rng, given[:8])} {pick(rng, family)}".upper()
    if style in ("kp", "cn", "kr"):
        return f"{pick(rng, family)} {pick(rng, given)}".upper()
    return f"{pick(rng, given)} {pick(rng, family)}".upper()


def _surname(rng: np.random.Generator, origin: str, female: bool) -> str:
    surname = pick(rng, SURNAMES[origin])
    return _female(surname) if female else surname


def company(rng: np.random.Generator) -> str:
    """A Kazakhstan company: ТОО «...» mostly, АО «...» at times."""
    words = f"{pick(rng, COMPANY_WORDS[0])} {pick(rng, COMPANY_WORDS[1])}"
    return f"{'АО' if rng.random() < 0.05 else 'ТОО'} «{words}»"


def public_body(rng: np.random.Generator) -> str:
    """A school, clinic or other public employer."""
    return pick(rng, PUBLIC_BODIES).format(n=int(rng.integers(1, 180)))


def shop(rng: np.random.Generator) -> str:
    """A chain store, petrol station, pharmacy or cafe."""
    return f"ТОО «{pick(rng, CHAINS)} {pick(rng, COMPANY_WORDS[0])}»"


def trader(owner: str) -> str:
    """A market trader or small shop run as an individual entrepreneur: ИП SURNAME G.P."""
    parts = owner.split()
    initials = "".join(f"{part[0]}." for part in parts[1:])
    return f"ИП {parts[0]} {initials}"


def npo(rng: np.random.Generator) -> str:
    """A public or charitable foundation or association."""
    return f"{pick(rng, NPO_FORMS)} «{pick(rng, NPO_WORDS)} {pick(rng, COMPANY_WORDS[0])}»"


def foreign_company(rng: np.random.Generator, country: str) -> str:
    """A foreign supplier or customer."""
    form = FOREIGN_FORMS.get(country, "{w} TRADING LLC")
    word = pick(rng, FOREIGN_WORDS)
    return form.format(w=word.upper() if country != "RU" else word)


def merchant_abroad(rng: np.random.Generator, country: str) -> str:
    """A hotel, restaurant or shop abroad, as card acquirers name them."""
    return pick(rng, MERCHANTS_ABROAD[country]).format(w=pick(rng, FOREIGN_WORDS).upper())


def foundation(rng: np.random.Generator) -> str:
    """A foreign grant-giving foundation."""
    return pick(rng, FOUNDATIONS).format(w=pick(rng, FOREIGN_WORDS).upper())
