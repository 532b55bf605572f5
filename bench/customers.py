"""A fictional customer registry for bench/delta.py, with listed persons planted in it.

Background customers are people and firms as a bank in Kazakhstan holds them: Kazakh and Russian
names in Cyrillic (Kazakh or Russian letters) or in a passport or informal Latin transliteration,
Arabic names in Arabic script, Latin or Cyrillic, Central Asian, Turkish and Western names, and
limited-liability partnerships. Given names come from finmon's given-name table
(finmon/names/data/given_names.txt); surnames are derived from given names as Kazakh and Russian
ones are (-ov/-ev/-ova/-eva, -bekov, -baev, -uly/-kyzy), or drawn from short lists of Russian,
Arabic and Western family names. None is a real person.

Planted customers are designations of the UN list written as a customer file might hold them: as
listed, reordered, in another romanisation, in the original script the list gives, with a typo,
or under an alias, with the listed birth date and nationality. Which ones to plant comes from the
change between two versions of the list: the designations the change must screen (new, or amended
in their matching data), and a control group left unchanged, which must not be alerted again.
Everything is drawn from one seeded generator, so a seed and a size give the same file.
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.perturb import romanisation, swap_order, typo  # noqa: E402
from bench.variants import (  # noqa: E402
    INFORMAL_STYLES,
    KZ_SURNAMES,
    RU_SURNAMES,
    icao,
    informal,
    kk_patronymic,
    kz_latin,
    ru_patronymic,
    surname_form,
)
from finmon.lists.diff import diff_designations  # noqa: E402
from finmon.model import (  # noqa: E402
    Designation,
    DesignationName,
    Gender,
    NameQuality,
    Schema,
    matching_fingerprint,
)
from finmon.store.rescreen import to_screen  # noqa: E402

SEED = 20201130
COLUMNS = ("id", "name", "birth_date", "nationality", "gender", "accounts")
PLANTED_COLUMNS = (
    "customer_id",
    "reference",
    "expect",
    "variant",
    "name",
    "listed_name",
    "birth_date",
    "nationality",
    "gender",
)
ALERT = "alert"
"""A planted customer the list change must alert."""
NO_NEW_ALERT = "no new alert"
"""A planted customer of an unchanged designation: alerted once before, not again."""
PLANTED = 200
"""Planted customers of designations the change must screen."""
PLANTED_ENTITIES = 15
"""How many of the planted designations are organisations; the rest are persons."""
UNCHANGED = 50
"""Planted customers of designations whose matching data did not change."""
PERSON_VARIANTS = ("as_listed", "reordered", "romanisation", "original_script", "typo")
ENTITY_VARIANTS = ("as_listed", "alias", "original_script", "typo")

RUSSIAN_LETTERS = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")

ARABIC_FAMILIES = (
    ("الخطيب", "Al-Khatib"), ("النجار", "Al-Najjar"), ("الحداد", "Al-Haddad"), ("العلي", "Al-Ali"),
    ("الشامي", "Al-Shami"), ("المصري", "Al-Masri"), ("حداد", "Haddad"), ("منصور", "Mansour"),
    ("خوري", "Khoury"), ("الزين", "Al-Zein"), ("العمري", "Al-Omari"), ("الحسيني", "Al-Husseini"),
    ("الطحان", "Al-Tahhan"), ("السيد", "El-Sayed"), ("الفارس", "Al-Fares"), ("البيطار", "Bitar"),
    ("الصباغ", "Al-Sabbagh"), ("الدباغ", "Al-Dabbagh"), ("عطية", "Attia"), ("نصار", "Nassar"),
)  # fmt: skip
WESTERN_SURNAMES = (
    ("Смит", "Smith"), ("Джонсон", "Johnson"), ("Браун", "Brown"), ("Уильямс", "Williams"),
    ("Мюллер", "Müller"), ("Шмидт", "Schmidt"), ("Вагнер", "Wagner"), ("Мартен", "Martin"),
    ("Бернар", "Bernard"), ("Дюбуа", "Dubois"), ("Росси", "Rossi"), ("Руссо", "Russo"),
    ("Гарсия", "Garcia"), ("Фернандес", "Fernandez"), ("Новак", "Novak"), ("Ковальски", "Kowalski"),
    ("Йенсен", "Jensen"), ("Андерссон", "Andersson"), ("Де Врис", "de Vries"), ("Тейлор", "Taylor"),
)  # fmt: skip
TURKISH_SURNAMES = (
    ("Йылмаз", "Yılmaz"), ("Кая", "Kaya"), ("Демир", "Demir"), ("Шахин", "Şahin"),
    ("Челик", "Çelik"), ("Йылдыз", "Yıldız"), ("Йылдырым", "Yıldırım"), ("Озтюрк", "Öztürk"),
    ("Айдын", "Aydın"), ("Оздемир", "Özdemir"), ("Арслан", "Arslan"), ("Доган", "Doğan"),
    ("Кылыч", "Kılıç"), ("Аслан", "Aslan"), ("Четин", "Çetin"), ("Кара", "Kara"),
)  # fmt: skip
COMPANY_WORDS = (
    "Береке", "Алтын", "Самұрық", "Дала", "Сапа", "Нұр", "Тұлпар", "Жібек", "Шығыс", "Астана",
    "Логистик", "Агро", "Трейд", "Құрылыс", "Сервис", "Мұнай", "Энерго", "Инвест", "Строй",
    "Транс", "Тех", "Фарм", "Консалтинг", "Групп", "Темір", "Көктем", "Жетісу", "Алатау",
    "Каспий", "Орда", "Сарыарқа", "Атамекен", "Жұлдыз", "Байтерек", "Медиа", "Снаб",
)  # fmt: skip
COMPANY_FORMS = (("ТОО «{}»", "{} LLP"), ("АО «{}»", "{} JSC"), ("ИП «{}»", "IE {}"))
ORIGINS = (
    ("kazakh", 45), ("russian", 22), ("arabic", 10), ("central_asian", 9), ("turkish", 2),
    ("western", 3), ("company", 9),
)  # fmt: skip
NATIONALITY = {
    "kazakh": (("KZ", 97), ("RU", 2), ("UZ", 1)),
    "russian": (("KZ", 85), ("RU", 13), ("BY", 1), ("UA", 1)),
    "arabic": (("KZ", 30), ("EG", 10), ("JO", 10), ("SY", 10), ("IQ", 8), ("SA", 8), ("AE", 8),
               ("MA", 6), ("TN", 5), ("LB", 5)),
    "central_asian": (("KZ", 50), ("UZ", 25), ("KG", 15), ("TJ", 10)),
    "turkish": (("TR", 80), ("KZ", 20)),
    "western": (("GB", 20), ("US", 20), ("DE", 20), ("FR", 15), ("IT", 10), ("ES", 10),
                ("NL", 5)),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GivenName:
    """One line of the given-name table: its spellings by script, and whether it is a woman's."""

    section: str
    female: bool | None
    cyrillic: tuple[str, ...]
    latin: tuple[str, ...]
    arabic: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Planted:
    """A customer written from a listed name, and what the benchmark expects for it."""

    customer_id: str
    reference: str
    expect: str
    variant: str
    name: str
    listed_name: str
    birth_date: str
    nationality: str
    gender: str


def read_given_names() -> list[GivenName]:
    """Every line of finmon's given-name table with its section and, where known, its gender."""
    text = resources.files("finmon.names").joinpath("data", "given_names.txt").read_text("utf-8")
    names, origin, heading = [], "", ""
    for line in text.splitlines():
        if line.startswith("# origin:"):
            origin = line.split(":", 1)[1].strip()
            continue
        if line.startswith("#"):
            heading = line.lower()
            continue
        body = line.split("#", 1)[0].strip()
        if not body or not origin:
            continue
        spellings = [part.strip() for part in body.split("|") if part.strip()]
        names.append(
            GivenName(
                section=_section(origin, heading),
                female=_female(origin, heading),
                cyrillic=tuple(s for s in spellings if CYRILLIC.search(s)),
                latin=tuple(s for s in spellings if _is_latin(s)),
                arabic=tuple(s for s in spellings if ARABIC.search(s)),
            )
        )
    return names


def _section(origin: str, heading: str) -> str:
    if origin != "other":
        return origin
    for word, section in (
        ("uzbek", "central_asian"),
        ("turkish", "turkish"),
        ("western", "western"),
    ):
        if word in heading:
            return section
    return "other"


def _female(origin: str, heading: str) -> bool | None:
    if "female" in heading:
        return True
    if origin in ("kazakh", "russian", "arabic"):
        return False
    return None


def _is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


class NameMaker:
    """Draws background customers' names from the given-name table."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        given = read_given_names()
        self.pools: dict[tuple[str, bool | None], list[GivenName]] = {}
        for name in given:
            self.pools.setdefault((name.section, name.female), []).append(name)
        self.kazakh_men = [n for n in self.pools[("kazakh", False)] if n.cyrillic]
        self.russian_men = [n for n in self.pools[("russian", False)] if n.cyrillic]
        self.arabic_men = [n for n in self.pools[("arabic", False)] if n.arabic and n.latin]
        self.surname_stems = [n.cyrillic[-1] for n in self.kazakh_men] + [
            n.cyrillic[-1]
            for n in self.pools[("central_asian", None)]
            if n.cyrillic and not n.cyrillic[-1].endswith(("а", "я"))
        ]
        self.arabic_women = [n for n in self.pools[("arabic", True)] if n.arabic and n.latin]

    def customer(self, origin: str) -> tuple[str, bool | None]:
        """A name of this origin group and whether it is a woman's (None for a firm)."""
        if origin == "company":
            return self.company(), None
        female = self.rng.random() < 0.5
        if origin in ("turkish", "western"):
            return self.foreign(origin, female), female
        makers: dict[str, Callable[[bool], str]] = {
            "kazakh": self.kazakh,
            "russian": self.russian,
            "arabic": self.arabic,
            "central_asian": self.central_asian,
        }
        return makers[origin](female), female

    def kazakh(self, female: bool) -> str:
        """Surname, given name and often a patronymic, in Kazakh or Russian letters or Latin."""
        rng = self.rng
        given = rng.choice(self.pools[("kazakh", female)])
        father = rng.choice(self.kazakh_men).cyrillic[0]
        surname = self._derived_surname(female)
        patronymic = ""
        roll = rng.random()
        if roll < 0.3:
            patronymic = kk_patronymic(father, female)
        elif roll < 0.6:
            patronymic = ru_patronymic(father.translate(RUSSIAN_LETTERS), female)
        first = given.cyrillic[0] if rng.random() < 0.6 else given.cyrillic[-1]
        text = self._order(surname, first, patronymic)
        if rng.random() < 0.5:
            text = text.translate(RUSSIAN_LETTERS)
        return self._script(text, latin_share=0.4)

    def russian(self, female: bool) -> str:
        """A Russian name: surname, given name, patronymic (mostly), Cyrillic or Latin."""
        rng = self.rng
        given = rng.choice(self.pools[("russian", female)]).cyrillic[0]
        if rng.random() < 0.6:
            surname = surname_form(rng.choice(RU_SURNAMES)[1], female)
        else:
            surname = surname_form(_surname_from(rng.choice(self.russian_men).cyrillic[0]), female)
        father = rng.choice(self.russian_men).cyrillic[0]
        patronymic = ru_patronymic(father, female) if rng.random() < 0.7 else ""
        return self._script(self._order(surname, given, patronymic), latin_share=0.25)

    def arabic(self, female: bool) -> str:
        """Given name, father's (and grandfather's) name, sometimes a family name."""
        rng = self.rng
        given = rng.choice(self.arabic_women if female else self.arabic_men)
        chain = [given, *rng.sample(self.arabic_men, 2 if rng.random() < 0.4 else 1)]
        family = rng.choice(ARABIC_FAMILIES) if rng.random() < 0.35 else None
        roll = rng.random()
        if roll < 0.35:
            parts = [n.arabic[0] for n in chain] + ([family[0]] if family else [])
            return " ".join(parts)
        if roll < 0.85:
            parts = [rng.choice(n.latin) for n in chain] + ([family[1]] if family else [])
            text = " ".join(parts)
            return text.upper() if rng.random() < 0.4 else text
        if all(n.cyrillic for n in chain):
            return " ".join(n.cyrillic[min(1, len(n.cyrillic) - 1)] for n in chain)
        return " ".join(n.latin[0] for n in chain)

    def central_asian(self, female: bool) -> str:
        """An Uzbek, Kyrgyz, Tajik or Tatar given name with a Russified surname."""
        rng = self.rng
        given = rng.choice(self.pools[("central_asian", None)])
        woman = given.cyrillic[0].endswith(("а", "я")) if given.cyrillic else female
        base = rng.choice(self.surname_stems)
        surname = surname_form(_surname_from(base.translate(RUSSIAN_LETTERS)), woman)
        if rng.random() < 0.5 or not given.latin:
            first = given.cyrillic[-1] if given.cyrillic else given.latin[0]
            return self._order(surname, first, "")
        return self._order(icao(surname).title(), rng.choice(given.latin), "")

    def foreign(self, origin: str, female: bool) -> str:
        """A Turkish or Western given name with a surname, mostly in Latin letters."""
        rng = self.rng
        given = rng.choice(self.pools[(origin, None)])
        surname = rng.choice(TURKISH_SURNAMES if origin == "turkish" else WESTERN_SURNAMES)
        if rng.random() < 0.2 and given.cyrillic:
            return f"{given.cyrillic[0]} {surname[0]}"
        text = f"{given.latin[0]} {surname[1]}"
        return text.upper() if rng.random() < 0.3 else text

    def company(self) -> str:
        """A partnership or company name, Cyrillic with its legal form, or in Latin."""
        rng = self.rng
        words = " ".join(rng.sample(COMPANY_WORDS, rng.choice((1, 2, 2))))
        cyrillic_form, latin_form = rng.choice(COMPANY_FORMS)
        if rng.random() < 0.7:
            return cyrillic_form.format(words)
        return latin_form.format(icao(words).title())

    def _derived_surname(self, female: bool) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return surname_form(rng.choice(KZ_SURNAMES)[0], female)
        base = rng.choice(self.kazakh_men).cyrillic[0]
        if roll < 0.75:
            return surname_form(_surname_from(base), female)
        if roll < 0.9:
            return surname_form(base + rng.choice(("беков", "баев", "бай")), female)
        return kk_patronymic(base, female)

    def _order(self, surname: str, given: str, patronymic: str) -> str:
        parts = [surname, given, patronymic] if self.rng.random() < 0.65 else [given, surname]
        if len(parts) == 2 and patronymic:
            parts.insert(1, patronymic)
        return " ".join(part for part in parts if part)

    def _script(self, text: str, latin_share: float) -> str:
        rng = self.rng
        if rng.random() >= latin_share:
            return text.upper() if rng.random() < 0.3 else text
        roll = rng.random()
        if roll < 0.5:
            return icao(text)
        if roll < 0.9:
            return informal(text, rng.choice(INFORMAL_STYLES))
        return kz_latin(text)


def _surname_from(base: str) -> str:
    """A surname from a father's or grandfather's name: Серік -> Серіков, Мұса -> Мұсаев."""
    if base.endswith(("й", "ь")):
        return base[:-1] + "ев"
    if base[-1].lower() in "аәеиіоөуұүыэюяжшчщц":
        return base + "ев"
    return base + "ов"


def plan(
    old: Sequence[Designation], new: Sequence[Designation], seed: int = SEED
) -> tuple[list[Designation], list[Designation]]:
    """(designations to plant that the change must screen, unchanged ones for the control group).

    The first are persons with a usable name plus a few organisations among to_screen(diff); the
    second are persons present in both versions with the same matching data."""
    rng = random.Random(seed)
    changed = to_screen(diff_designations(old, new))
    persons = [d for d in changed if d.schema is Schema.PERSON and _usable_names(d)]
    entities = [d for d in changed if d.schema is not Schema.PERSON and _usable_names(d)]
    chosen = persons + rng.sample(entities, min(PLANTED_ENTITIES, len(entities)))
    before = {(d.source, d.reference): matching_fingerprint(d) for d in old}
    same = [
        d
        for d in new
        if d.schema is Schema.PERSON
        and _usable_names(d)
        and before.get((d.source, d.reference)) == matching_fingerprint(d)
    ]
    return chosen, rng.sample(same, min(UNCHANGED, len(same)))


def planted_customers(
    changed: Sequence[Designation],
    unchanged: Sequence[Designation],
    total: int = PLANTED,
    seed: int = SEED,
) -> list[Planted]:
    """The planted rows (customer ids still blank): every changed designation once, a second
    variant for some until `total` (those with an original-script name first), and one easily
    found variant of each unchanged one. Variant kinds are spread as evenly as they apply."""
    rng = random.Random(seed)
    planter = _Planter(rng)
    rows = [planter.plant(designation, ALERT) for designation in changed]
    seconds = sorted(changed, key=lambda d: (_original_script(d) is None, rng.random()))
    rows += [planter.plant(d, ALERT) for d in seconds[: max(0, total - len(changed))]]
    for designation in unchanged:
        kind = rng.choice(("as_listed", "reordered"))
        rows.append(planter.plant(designation, NO_NEW_ALERT, (kind,)))
    return rows


class _Planter:
    """Chooses each planted row's variant: the least used kind so far among those that apply to
    the designation and were not used for it yet."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counts: Counter[str] = Counter()
        self.used: dict[str, set[str]] = {}

    def plant(
        self, designation: Designation, expect: str, kinds: tuple[str, ...] | None = None
    ) -> Planted:
        """One planted row for the designation."""
        done = self.used.setdefault(designation.reference, set())
        allowed = kinds or _variants(designation)
        options = {
            kind: written
            for kind in allowed
            if kind not in done and (written := _variant(designation, kind, self.rng)) is not None
        }
        if not options:
            listed = _usable_names(designation)[0].full
            options = {"as_listed": (listed, listed)}
        kind = min(options, key=lambda k: (self.counts[k], allowed.index(k)))
        self.counts[kind] += 1
        done.add(kind)
        return _planted(designation, expect, kind, *options[kind])


def _variants(designation: Designation) -> tuple[str, ...]:
    return PERSON_VARIANTS if designation.schema is Schema.PERSON else ENTITY_VARIANTS


def _variant(designation: Designation, kind: str, rng: random.Random) -> tuple[str, str] | None:
    """(the name as a customer file writes it, the listed name it comes from), if it applies."""
    names = _usable_names(designation)
    primary = names[0].full
    if kind == "as_listed":
        return primary, primary
    if kind == "alias":
        aliases = [n.full for n in names[1:]]
        return (alias := rng.choice(aliases), alias) if aliases else None
    if kind == "original_script":
        original = _original_script(designation)
        return (original, original) if original else None
    changers = {"reordered": swap_order, "romanisation": romanisation, "typo": typo}
    written = changers[kind](primary, rng)
    if written is None or written == primary:
        return None
    return (written.title() if rng.random() < 0.5 else written), primary


def _planted(
    designation: Designation, expect: str, variant: str, written: str, listed: str
) -> Planted:
    nationality = next((c for c in designation.nationalities if len(c) == 2), "")
    gender = {Gender.MALE: "M", Gender.FEMALE: "F", None: ""}[designation.gender]
    return Planted(
        customer_id="",
        reference=designation.reference,
        expect=expect,
        variant=variant,
        name=" ".join(written.split()),
        listed_name=listed,
        birth_date=_listed_birth_date(designation),
        nationality=nationality if designation.schema is Schema.PERSON else "",
        gender=gender,
    )


def _usable_names(designation: Designation) -> list[DesignationName]:
    """Primary and good-quality names of two or more words, in Latin letters, primary first."""
    return [
        name
        for name in designation.names
        if name.quality in (NameQuality.PRIMARY, NameQuality.STRONG)
        and not name.original_script
        and len(name.full.split()) >= 2
        and _is_latin(name.full)
    ]


def _original_script(designation: Designation) -> str | None:
    for name in designation.names:
        if name.original_script and len(name.full.split()) >= 2 and "\ufffd" not in name.full:
            return name.full
    return None


def _listed_birth_date(designation: Designation) -> str:
    """The first listed birth date a customer file could hold: a day, or a year."""
    for date in designation.birth_dates:
        if date.is_exact:
            return date.earliest.isoformat()
        first, last = date.earliest, date.latest
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and (
            first.year == last.year and not date.approximate
        ):
            return str(first.year)
    return ""


def write_registry(
    path: Path,
    planted_path: Path,
    count: int,
    planted: Sequence[Planted],
    seed: int = SEED,
    progress: Callable[[int], None] | None = None,
) -> list[Planted]:
    """Write `count` customers, the planted ones among them at random places; the planted rows,
    with their customer ids, also go to planted_path. Returns them."""
    if count < len(planted):
        raise ValueError(f"{count} customers cannot hold {len(planted)} planted ones")
    rng = random.Random(seed)
    places = dict(zip(sorted(rng.sample(range(count), len(planted))), planted, strict=True))
    maker = NameMaker(rng)
    placed: list[Planted] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, row in enumerate(_rows(count, places, maker, placed), start=1):
            writer.writerow(row)
            if progress is not None and number % 100_000 == 0:
                progress(number)
    write_planted(planted_path, placed)
    return placed


def _rows(
    count: int, places: dict[int, Planted], maker: NameMaker, placed: list[Planted]
) -> Iterator[tuple[str, ...]]:
    rng = maker.rng
    origins = [origin for origin, _ in ORIGINS]
    weights = [weight for _, weight in ORIGINS]
    for number in range(count):
        customer_id = f"C{number + 1:07d}"
        accounts = _accounts(rng)
        if number in places:
            p = places[number]
            placed.append(replace(p, customer_id=customer_id))
            yield customer_id, p.name, p.birth_date, p.nationality, p.gender, accounts
            continue
        origin = rng.choices(origins, weights)[0]
        name, female = maker.customer(origin)
        if female is None:
            yield customer_id, name, "", "KZ", "", accounts
            continue
        born = f"{rng.randint(1940, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        nationality = _weighted(rng, NATIONALITY[origin])
        gender = "F" if female else "M"
        if origin in ("central_asian", "turkish", "western") and rng.random() < 0.5:
            gender = ""
        yield customer_id, name, born, nationality, gender, accounts


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _accounts(rng: random.Random) -> str:
    """One to three IBAN-shaped Kazakhstan account numbers (KZ, 2 digits, bank code, 13 more)."""
    count = rng.choices((1, 2, 3), (70, 25, 5))[0]
    return ";".join(
        f"KZ{rng.randrange(100):02d}{rng.randrange(1000):03d}{rng.randrange(10**13):013d}"
        for _ in range(count)
    )


def write_planted(path: Path, planted: Sequence[Planted]) -> None:
    """The side file of expected (customer id, designation reference) pairs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLANTED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for p in planted:
            writer.writerow({column: getattr(p, column) for column in PLANTED_COLUMNS})


def read_planted(path: Path) -> list[Planted]:
    """The planted rows of a side file written by write_planted."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [Planted(**row) for row in csv.DictReader(handle)]
