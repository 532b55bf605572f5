"""Generate bench/data/kz_ru_variants.csv: labelled pairs of fictional Kazakhstan persons' names.

Each positive pair renders one fictional person two ways (Kazakh vs Russian Cyrillic spelling,
passport ICAO Latin, the 2021 Kazakh Latin alphabet, older informal romanisations, Russian vs
Kazakh patronymics, patronymic dropped, surname-first order). Each control pair names two different
people whose names must not match on names alone (other surname, other given name, gendered surname
forms, contradicting patronymics, near-sounding names). The persons are combinations of real common
names; none is a real person. The romanisers are written here on purpose, apart from finmon's own
transliteration, so the benchmark does not grade finmon against itself.

Run `python bench/variants.py` to regenerate the committed file byte for byte (fixed seed).
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

SEED = 20260227
OUTPUT = Path(__file__).resolve().parent / "data" / "kz_ru_variants.csv"
COLUMNS = ("name1", "name2", "is_match", "schema", "category", "notes")


def _pairs(text: str) -> list[tuple[str, str]]:
    """'Kazakh:Russian' spellings, or one spelling when both agree."""
    out = []
    for item in text.split():
        kk, _, ru = item.partition(":")
        out.append((kk, ru or kk))
    return out


KZ_MALE = _pairs(
    "Нұрсұлтан:Нурсултан Асқат:Асхат Ерлан Қайрат:Кайрат Серік:Серик Бауыржан Дәурен:Даурен "
    "Ержан Жандос Мұрат:Мурат Талғат:Талгат Ғалым:Галым Әлихан:Алихан Нұрлан:Нурлан "
    "Бақытжан:Бахытжан Дархан Есет Азамат Жомарт Санжар Мақсат:Максат Ербол Арман Нұржан:Нуржан "
    "Қанат:Канат Абай Айдос Дәулет:Даулет Төлеген:Тулеген Қуаныш:Куаныш Ғабит:Габит Айдар "
    "Болат Жасұлан:Жасулан Ерғали:Ергали Темірлан:Темирлан"
)
KZ_FEMALE = _pairs(
    "Айгүл:Айгуль Гүлнара:Гульнара Әйгерім:Айгерим Дана Жанар Сәуле:Сауле Ләззат:Ляззат "
    "Мәдина:Мадина Ақмарал:Акмарал Жұлдыз:Жулдыз Динара Гүлмира:Гульмира Назгүл:Назгуль "
    "Салтанат Айжан Қарлығаш:Карлыгаш Бибігүл:Бибигуль Әсел:Асель Ұлжан:Улжан Перизат "
    "Жансая Томирис Меруерт Аружан Гүлжан:Гульжан"
)
RU_MALE = _pairs(
    "Сергей Андрей Дмитрий Евгений Юрий Алексей Николай Виктор Владимир Михаил Игорь Олег "
    "Вячеслав Константин Геннадий Валерий"
)
RU_FEMALE = _pairs(
    "Елена Юлия Наталья Татьяна Ольга Евгения Ирина Светлана Анастасия Екатерина Людмила Яна"
)
KZ_SURNAMES = _pairs(
    "Назарбаев Ахметов Қасымов:Касымов Сүлейменов:Сулейменов Жұмабаев:Жумабаев Тоқаев:Токаев "
    "Омаров Исабеков Серікбаев:Серикбаев Мұхамеджанов:Мухамеджанов Байтұрсынов:Байтурсынов "
    "Құнаев:Кунаев Есенов Жақсыбеков:Жаксыбеков Оспанов Нұрғалиев:Нургалиев Қожахметов:Кожахметов "
    "Ермеков Тұрсынов:Турсынов Әлиев:Алиев Мамыров Бекмұхамбетов:Бекмухамбетов Жақыпов:Жакупов "
    "Әбілқасымов:Абилкасымов Шәкенов:Шакенов Ыбыраев:Ибраев"
)
RU_SURNAMES = _pairs(
    "Петров Иванов Смирнов Кузнецов Попов Васильев Соколов Лебедев Козлов Новиков Морозов Волков "
    "Алексеев Яковлев Григорьев Фёдоров Медведев Жуков Зайцев Беляев Королёв Сергеев"
)
# Near-sounding but different names (different people on names alone).
NEAR_MALE = _pairs(
    "Марат:Мурат Нұрлан:Нұржан Айдар:Айдос Арман:Арсен Серік:Берік Қанат:Қайрат Ержан:Еркін "
    "Асхат:Асет Талғат:Тілек Дәурен:Дәулет Ербол:Ерлан Самат:Санат Дамир:Данияр Руслан:Рустам"
)
NEAR_FEMALE = _pairs("Дана:Дина Гүлнар:Гүлзат Айгерім:Айгүл Мадина:Марина Алина:Алия Жанар:Жанна")
NEAR_SURNAMES = _pairs(
    "Ахметов:Ахматов Қасымов:Қасенов Исабеков:Исабаев Оспанов:Осипов Жұмабаев:Жұмабеков "
    "Омаров:Оразов Есенов:Есимов Мамыров:Мамиров Тоқаев:Тоқтаров Ермеков:Ерменов "
    "Петров:Петриков Козлов:Козырев Волков:Волынов Соколов:Сокол"
)


# --- romanisers -------------------------------------------------------------------------------

ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip

KZ_LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Capitals whose Latin capital is not str.upper() of the small letter (dotted and dotless I).
KZ_LATIN_2021_UPPER = {"и": "İ", "й": "İ", "і": "I"}

VOWELS = set("аәеёиоөуұүыіэюя")


@dataclass(frozen=True, slots=True)
class Informal:
    """An older or informal romanisation, one choice per letter that varies in practice."""

    zh: str = "zh"  # Ж: zh, j or dzh
    kh: str = "kh"  # Х: kh or h
    short_i: str = "y"  # Й: y (Nazarbayev) or i (ICAO Nazarbaev)
    iotated: bool = True  # Е as ye at word start and after a vowel (Yevgeniy, Nazarbayev)
    yu: str = "yu"  # Ю: yu or iu
    ya: str = "ya"  # Я: ya or ia
    soft_e: str = "ye"  # ье: ye (Grigoryev) or ie (Grigoriev)
    final_iy: str = "iy"  # -ий: iy (Dmitriy), y (Dmitry) or ii (Dmitrii)
    uly: str = "uly"  # the Kazakh patronymic ұлы: uly or ulu


def romanise(text: str, table: dict[str, str], upper: dict[str, str] | None = None) -> str:
    """Letter-by-letter romanisation keeping the capitalisation of each source letter."""
    out = []
    for char in text:
        low = char.lower()
        if low not in table:
            out.append(char)
            continue
        latin = table[low]
        if char != low:
            latin = (upper or {}).get(low) or latin[:1].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def icao(text: str) -> str:
    """ICAO Doc 9303 passport romanisation, Kazakh letters as in airline practice, upper case."""
    return romanise(text, ICAO).upper()


def kz_latin(text: str) -> str:
    """The 2021 Kazakh Latin alphabet (Ä Ğ J Q Ñ Ö Ş Ū Ü, dotted İ for И/Й, dotless I for І)."""
    return romanise(text, KZ_LATIN_2021, KZ_LATIN_2021_UPPER)


def informal(text: str, style: Informal) -> str:
    """An informal romanisation: Y for Й, YE for iotated Е, J/ZH/DZH, H/KH, YU/YA, -yev/-iev."""
    return " ".join(_informal_word(word, style) for word in text.split(" "))


def _informal_word(word: str, style: Informal) -> str:
    text = word.replace("ұлы", "\x00").replace("Ұлы", "\x01")
    low = text.lower()
    out = []
    for i, char in enumerate(text):
        latin = _informal_letter(low, i, style)
        if latin is None:
            out.append(char)
            continue
        if char != low[i] and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    result = "".join(out)
    return result.replace("\x00", style.uly).replace("\x01", style.uly.capitalize())


def _informal_letter(low: str, i: int, style: Informal) -> str | None:
    char = low[i]
    prev = low[i - 1] if i else ""
    nxt = low[i + 1] if i + 1 < len(low) else ""
    special = {"ж": style.zh, "х": style.kh, "һ": style.kh, "ю": style.yu, "я": style.ya}
    if char in special:
        return special[char]
    if char == "ё":
        return "yo"
    if char == "е":
        if prev == "ь":
            return style.soft_e
        return "ye" if style.iotated and (not prev or prev in VOWELS or prev == "ъ") else "e"
    if char == "и" and nxt == "й" and i + 2 == len(low):
        return style.final_iy
    if char == "й":
        return "" if prev == "и" and i + 1 == len(low) else style.short_i
    if char in ("ь", "ъ"):
        return ""
    return ICAO.get(char)


INFORMAL_STYLES = (
    Informal(),
    Informal(zh="j", kh="h", uly="uly"),
    Informal(zh="dzh", soft_e="ie", final_iy="ii"),
    Informal(kh="h", yu="iu", ya="ia", final_iy="y", uly="ulu"),
    Informal(zh="j", iotated=False, final_iy="y"),
)


# --- persons -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A fictional person: each name part as (Kazakh Cyrillic, Russian Cyrillic) spellings."""

    given: tuple[str, str]
    surname: tuple[str, str]
    father: tuple[str, str]
    female: bool
    kazakh: bool


RU_PATRONYMIC_IRREGULAR = {"Юрий": "Юрьев", "Евгений": "Евгеньев", "Геннадий": "Геннадьев",
                           "Валерий": "Валерьев"}  # fmt: skip


def ru_patronymic(father: str, female: bool) -> str:
    """Russian patronymic of a father's name: Серик -> Серикович/Сериковна, Сергей -> Сергеевич."""
    if father in RU_PATRONYMIC_IRREGULAR:
        stem = RU_PATRONYMIC_IRREGULAR[father]
    elif father.endswith(("ий", "ей", "ай", "ой", "ь")):
        stem = father[:-1] + "ев"
    elif father.endswith(("и", "і", "ж", "ш", "ч", "щ", "ц")):
        stem = father + "ев"
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


def kk_patronymic(father: str, female: bool) -> str:
    """Kazakh patronymic: Серік -> Серікұлы (son) or Серікқызы (daughter)."""
    return father + ("қызы" if female else "ұлы")


def surname_form(surname: str, female: bool) -> str:
    """The gendered form of a surname: Ахметов/Ахметова, Королёв/Королёва; others unchanged."""
    return surname + "а" if female and surname.endswith(("ов", "ев", "ёв", "ин")) else surname


@dataclass(frozen=True, slots=True)
class Roman:
    """A named romanisation."""

    label: str
    func: Callable[[str], str]


ROMAN_ICAO = Roman("ICAO 9303 passport Latin", icao)
ROMAN_KZ_LATIN = Roman("Kazakh Latin 2021", kz_latin)


def informal_roman(style: Informal) -> Roman:
    """A Roman for one informal style, labelled by the letters it chooses."""
    label = (
        f"informal Latin (Ж {style.zh}, Х {style.kh}, Й {style.short_i}, "
        f"Е {'ye' if style.iotated else 'e'}, Ю/Я {style.yu}/{style.ya}, ұлы {style.uly})"
    )
    return Roman(label, lambda text: informal(text, style))


INFORMAL_ROMANS = tuple(informal_roman(style) for style in INFORMAL_STYLES)


@dataclass(frozen=True, slots=True)
class Form:
    """How one rendering spells a person."""

    spelling: int = 0  # 0 Kazakh Cyrillic, 1 Russian Cyrillic
    patronymic: str | None = "ru"  # "ru", "kk" or None
    surname_first: bool = False
    roman: Roman | None = None

    def describe(self) -> str:
        """Words for the notes column."""
        script = (
            self.roman.label if self.roman else ("Kazakh", "Russian")[self.spelling] + " Cyrillic"
        )
        if self.roman:
            script += " of the " + ("Kazakh", "Russian")[self.spelling] + " spelling"
        patronymic = {"ru": "Russian patronymic", "kk": "Kazakh patronymic", None: "no patronymic"}
        order = "surname first" if self.surname_first else "given name first"
        return f"{script}, {patronymic[self.patronymic]}, {order}"


def render(person: Person, form: Form) -> str:
    """Write the person's full name in one form."""
    given = person.given[form.spelling]
    surname = surname_form(person.surname[form.spelling], person.female)
    parts = [surname, given] if form.surname_first else [given]
    if form.patronymic == "ru":
        parts.append(ru_patronymic(person.father[form.spelling], person.female))
    elif form.patronymic == "kk":
        parts.append(kk_patronymic(person.father[0], person.female))
    if not form.surname_first:
        parts.append(surname)
    text = " ".join(parts)
    return form.roman.func(text) if form.roman else text


def make_person(rng: random.Random, kazakh: bool | None = None) -> Person:
    """A random fictional person, Kazakh-named (about 70%) or Russian-named."""
    kazakh = rng.random() < 0.7 if kazakh is None else kazakh
    female = rng.random() < 0.45
    if kazakh:
        given = rng.choice(KZ_FEMALE if female else KZ_MALE)
        return Person(given, rng.choice(KZ_SURNAMES), rng.choice(KZ_MALE), female, True)
    given = rng.choice(RU_FEMALE if female else RU_MALE)
    return Person(given, rng.choice(RU_SURNAMES), rng.choice(RU_MALE), female, False)


# --- pairs -------------------------------------------------------------------------------------

Row = tuple[str, str, str, str, str, str]
PairMaker = Callable[[random.Random], tuple[str, str, str] | None]


def informal_romans(person: Person) -> tuple[Roman, ...]:
    """The informal styles that fit the person: DZH for Ж only in Kazakh names (Джанибеков)."""
    pairs = zip(INFORMAL_STYLES, INFORMAL_ROMANS, strict=True)
    return tuple(roman for style, roman in pairs if person.kazakh or style.zh != "dzh")


def random_roman(rng: random.Random, person: Person) -> Roman | None:
    """Cyrillic (None) or one of the romanisations that fit the person."""
    return rng.choice((None, ROMAN_ICAO, ROMAN_KZ_LATIN, *informal_romans(person)))


def random_form(rng: random.Random, person: Person, patronymic: bool | None = None) -> Form:
    """Any plausible rendering; patronymic forced on (True), off (False) or random (None)."""
    choices: list[str | None] = ["ru", "kk"] if person.kazakh else ["ru"]
    if patronymic is None:
        choices.append(None)
    chosen = rng.choice(choices) if patronymic is not False else None
    spelling = rng.randrange(2) if person.kazakh else 1
    return Form(spelling, chosen, rng.random() < 0.4, random_roman(rng, person))


def _same(person: Person, one: Form, two: Form) -> tuple[str, str, str]:
    return render(person, one), render(person, two), f"{one.describe()} vs {two.describe()}"


def _kazakh(rng: random.Random) -> Person:
    return make_person(rng, kazakh=True)


def _pat(rng: random.Random, person: Person) -> str:
    return rng.choice(("ru", "kk")) if person.kazakh else "ru"


def pos_icao(rng: random.Random) -> tuple[str, str, str]:
    """Kazakh Cyrillic vs the passport line: ICAO Latin, surname first, no patronymic."""
    person = make_person(rng)
    one = Form(0 if person.kazakh else 1, rng.choice((_pat(rng, person), None)))
    return _same(person, one, Form(one.spelling, None, True, ROMAN_ICAO))


def pos_kz_latin(rng: random.Random) -> tuple[str, str, str]:
    """Kazakh Cyrillic vs the 2021 Kazakh Latin alphabet."""
    person = _kazakh(rng)
    one = Form(0, rng.choice(("ru", "kk", None)), rng.random() < 0.3)
    return _same(person, one, replace(one, roman=ROMAN_KZ_LATIN))


def pos_informal(rng: random.Random) -> tuple[str, str, str]:
    """Cyrillic vs an older or informal romanisation."""
    person = make_person(rng)
    one = Form(rng.randrange(2) if person.kazakh else 1, rng.choice((_pat(rng, person), None)))
    return _same(person, one, replace(one, roman=rng.choice(informal_romans(person))))


def pos_icao_informal(rng: random.Random) -> tuple[str, str, str]:
    """Passport Latin vs an informal Latin spelling (Nazarbaev vs Nazarbayev)."""
    person = make_person(rng)
    one = Form(rng.randrange(2) if person.kazakh else 1, None, rng.random() < 0.5, ROMAN_ICAO)
    two = Form(one.spelling, None, rng.random() < 0.5, rng.choice(informal_romans(person)))
    return _same(person, one, two)


def pos_patronymic_kinds(rng: random.Random) -> tuple[str, str, str]:
    """Russian -ович/-овна vs Kazakh -ұлы/-қызы patronymic of the same person."""
    person = _kazakh(rng)
    roman = rng.choice((None, None, random_roman(rng, person)))
    one = Form(rng.randrange(2), "ru", False, roman)
    return _same(person, one, Form(rng.randrange(2), "kk", False, rng.choice((None, roman))))


def pos_patronymic_latin(rng: random.Random) -> tuple[str, str, str]:
    """Latin forms of the Kazakh patronymic: -uly/-ulu/-ūly, -kyzy/-qyzy."""
    person = _kazakh(rng)
    one = Form(0, "kk", False, rng.choice((None, ROMAN_ICAO)))
    return _same(person, one, Form(0, "kk", False, rng.choice((ROMAN_KZ_LATIN, *INFORMAL_ROMANS))))


def pos_patronymic_dropped(rng: random.Random) -> tuple[str, str, str]:
    """Patronymic present on one side, absent on the other."""
    person = make_person(rng)
    one = random_form(rng, person, patronymic=True)
    return _same(person, one, random_form(rng, person, patronymic=False))


def pos_order(rng: random.Random) -> tuple[str, str, str]:
    """Surname first vs given name first."""
    person = make_person(rng)
    one = Form(rng.randrange(2) if person.kazakh else 1, _pat(rng, person), True, None)
    two = replace(one, surname_first=False, roman=rng.choice((None, random_roman(rng, person))))
    return _same(person, one, two)


def pos_spelling(rng: random.Random) -> tuple[str, str, str] | None:
    """Kazakh vs Russian Cyrillic spelling of the same names (Нұрсұлтан/Нурсултан)."""
    person = _kazakh(rng)
    one = Form(0, rng.choice(("ru", "kk", None)), rng.random() < 0.3)
    return _same(person, one, replace(one, spelling=1))


def pos_combined(rng: random.Random) -> tuple[str, str, str]:
    """Everything at once: script, spelling, patronymic and order all chosen at random."""
    person = make_person(rng)
    return _same(person, random_form(rng, person), random_form(rng, person))


def _other(
    rng: random.Random, pool: list[tuple[str, str]], not_this: tuple[str, str]
) -> tuple[str, str]:
    return rng.choice([item for item in pool if item != not_this])


def _given_pool(person: Person, female: bool | None = None) -> list[tuple[str, str]]:
    female = person.female if female is None else female
    if person.kazakh:
        return KZ_FEMALE if female else KZ_MALE
    return RU_FEMALE if female else RU_MALE


def _two(
    rng: random.Random, one: Person, two: Person, note: str, pat: bool | None = None
) -> tuple[str, str, str]:
    first, second = random_form(rng, one, pat), random_form(rng, two, pat)
    text = f"{note}; {first.describe()} vs {second.describe()}"
    return render(one, first), render(two, second), text


def neg_other_surname(rng: random.Random) -> tuple[str, str, str]:
    """Same given name, different surname."""
    person = make_person(rng)
    pool = KZ_SURNAMES if person.kazakh else RU_SURNAMES
    other = replace(person, surname=_other(rng, pool, person.surname))
    return _two(rng, person, other, "same given name, different surname")


def neg_other_given(rng: random.Random) -> tuple[str, str, str]:
    """Same surname, different given name of the same gender."""
    person = make_person(rng)
    other = replace(person, given=_other(rng, _given_pool(person), person.given))
    return _two(rng, person, other, "same surname, different given name")


def neg_gendered(rng: random.Random) -> tuple[str, str, str]:
    """Gendered surname forms (Ахметов/Ахметова) with different given names, siblings included."""
    person = make_person(rng)
    given = rng.choice(_given_pool(person, not person.female))
    other = replace(person, female=not person.female, given=given)
    if rng.random() < 0.5:
        other = replace(other, father=_other(rng, _given_pool(person, False), person.father))
        return _two(rng, person, other, "gendered surname forms, different given names")
    return _two(
        rng, person, other, "siblings: same father and surname, other gender and given name"
    )


def neg_patronymic(rng: random.Random) -> tuple[str, str, str]:
    """Same given name and surname, contradicting patronymics (the Lavrov rule)."""
    person = make_person(rng)
    other = replace(person, father=_other(rng, _given_pool(person, False), person.father))
    return _two(rng, person, other, "same given name and surname, contradicting patronymics", True)


def _fold_ru(text: str) -> str:
    """A rough Russian spelling of a Kazakh-spelled name, enough for the near-sounding controls."""
    return text.translate(str.maketrans("әғқңөұүіһӘҒҚҢӨҰҮІҺ", "агкноууихАГКНОУУИХ"))


def neg_near_given(rng: random.Random) -> tuple[str, str, str]:
    """Near-sounding but different given names with the same surname (Марат/Мурат)."""
    female = rng.random() < 0.35
    one, two = rng.choice(NEAR_FEMALE if female else NEAR_MALE)
    person = replace(_kazakh(rng), female=female, given=(one, _fold_ru(one)))
    other = replace(person, given=(two, _fold_ru(two)))
    return _two(rng, person, other, f"different given names {one}/{two}, same surname")


def neg_near_surname(rng: random.Random) -> tuple[str, str, str]:
    """Near-sounding but different surnames with the same given name (Ахметов/Ахматов)."""
    one, two = rng.choice(NEAR_SURNAMES)
    person = replace(make_person(rng), surname=(one, _fold_ru(one)))
    other = replace(person, surname=(two, _fold_ru(two)))
    return _two(rng, person, other, f"different surnames {one}/{two}, same given name")


POSITIVE: tuple[tuple[str, PairMaker, int], ...] = (
    ("cyrillic_vs_icao", pos_icao, 25),
    ("kk_cyrillic_vs_kz_latin_2021", pos_kz_latin, 25),
    ("cyrillic_vs_informal_latin", pos_informal, 35),
    ("icao_vs_informal_latin", pos_icao_informal, 25),
    ("ru_vs_kk_patronymic", pos_patronymic_kinds, 25),
    ("kk_patronymic_latin_forms", pos_patronymic_latin, 15),
    ("patronymic_dropped", pos_patronymic_dropped, 25),
    ("surname_first", pos_order, 25),
    ("ru_vs_kk_cyrillic_spelling", pos_spelling, 25),
    ("combined", pos_combined, 20),
)
NEGATIVE: tuple[tuple[str, PairMaker, int], ...] = (
    ("same_given_other_surname", neg_other_surname, 25),
    ("same_surname_other_given", neg_other_given, 25),
    ("gendered_surname", neg_gendered, 25),
    ("contradicting_patronymic", neg_patronymic, 30),
    ("near_sounding_given", neg_near_given, 20),
    ("near_sounding_surname", neg_near_surname, 20),
)


def generate(seed: int = SEED) -> list[Row]:
    """All pairs, positives then controls, in a fixed order for a given seed."""
    rng = random.Random(seed)
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for label, makers in (("true", POSITIVE), ("false", NEGATIVE)):
        for category, maker, count in makers:
            rows.extend(_rows(rng, maker, count, seen, label, category))
    return rows


def _rows(
    rng: random.Random,
    maker: PairMaker,
    count: int,
    seen: set[tuple[str, str]],
    label: str,
    category: str,
) -> list[Row]:
    rows: list[Row] = []
    for _ in range(count * 50):
        made = maker(rng)
        if made is None or made[0] == made[1] or (made[0], made[1]) in seen:
            continue
        seen.add((made[0], made[1]))
        rows.append((made[0], made[1], label, "Person", category, made[2]))
        if len(rows) == count:
            return rows
    raise RuntimeError(f"could not make {count} distinct pairs for {category}")


def to_csv(rows: list[Row]) -> str:
    """The CSV text, Unix line ends, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    """Regenerate bench/data/kz_ru_variants.csv."""
    rows = generate()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(to_csv(rows), encoding="utf-8")
    positives = sum(row[2] == "true" for row in rows)
    print(
        f"wrote {OUTPUT}: {len(rows)} pairs, {positives} matches, {len(rows) - positives} controls"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
