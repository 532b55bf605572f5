"""The demo: the main job end to end in a store of its own. Which list to load, and a fictional
Kazakhstan customer file with a few listed persons planted in it under other spellings, so a run
shows whether screening finds them. It prints nothing: the front door passes what shows progress.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from finmon.exports import SafeDictWriter
from finmon.lists.identifiers import iin_check_digit, iin_head
from finmon.model import Designation, DesignationName, NameQuality, Party, Schema
from finmon.settings import Settings
from finmon.store import Database

if TYPE_CHECKING:
    from finmon.screening import Hit

UN_FILE = "un_consolidated_2026-02-27.xml"
FIXTURE = "un_list_fixture.xml"
COLUMNS = ["id", "full_name", "birth_date", "nationality", "iin", "schema", "gender"]

KAZAKH_MEN = [
    "Ерлан", "Нұрлан", "Арман", "Айбек", "Дәурен", "Асхат", "Бауыржан", "Ержан", "Қайрат",
    "Санжар", "Талғат", "Жандос", "Мұрат", "Серік", "Ақылбек", "Әділет", "Дәулет", "Ғалым",
    "Ерболат", "Нұржан",
]  # fmt: skip
KAZAKH_WOMEN = [
    "Айгерім", "Сәуле", "Мадина", "Дана", "Жанар", "Гүлнар", "Әсел", "Динара", "Аружан",
    "Ләззат", "Әлия", "Назерке", "Жұлдыз", "Меруерт", "Ақмарал", "Гүлмира",
]  # fmt: skip
RUSSIAN_MEN = {
    "Алексей": "Алексеев", "Дмитрий": "Дмитриев", "Сергей": "Сергеев", "Андрей": "Андреев",
    "Игорь": "Игорев", "Евгений": "Евгеньев", "Владимир": "Владимиров", "Николай": "Николаев",
    "Павел": "Павлов", "Юрий": "Юрьев",
}  # fmt: skip
RUSSIAN_WOMEN = [
    "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Юлия", "Екатерина",
    "Анастасия", "Вера",
]  # fmt: skip
KAZAKH_SURNAMES = [
    "Жақсылықов", "Тулегенов", "Әбенов", "Қасымов", "Ысқақов", "Бекмұханбетов", "Нұрпейісов",
    "Омаров", "Сәрсенбаев", "Ахметов", "Мұхамеджанов", "Байжанов", "Оспанов", "Жұмабаев",
    "Төлеуов", "Серікбаев", "Әлиев", "Құдайбергенов",
]  # fmt: skip
RUSSIAN_SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
    "Новиков", "Морозов", "Волков", "Соловьёв",
]  # fmt: skip
COMPANY_WORDS = [
    "Береке", "Алтын", "Самұрық", "Дала", "Сапа", "Нұр", "Тұлпар", "Жібек", "Жолы", "Шығыс",
    "Астана", "Логистик", "Агро", "Трейд", "Құрылыс", "Сервис",
]  # fmt: skip

# ICAO Doc 9303 romanisation, with the Kazakh letters as passports write them.
ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ә": "a",
    "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
# How a Russian-speaking clerk would write a Latin name in Cyrillic: longest spellings first.
TO_CYRILLIC = [
    ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("yu", "ю"),
    ("ya", "я"), ("ye", "е"), ("ou", "у"), ("th", "т"), ("dh", "д"), ("gh", "г"), ("ph", "ф"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "у"), ("x", "кс"),
    ("y", "й"), ("z", "з"),
]  # fmt: skip
SPELLINGS = [
    ("MOHAMMED", "MUHAMMAD"), ("MUHAMMAD", "MOHAMED"), ("MOHAMMAD", "MUHAMMED"),
    ("MOHAMED", "MOHAMMED"),
    ("AHMED", "AHMAD"), ("AHMAD", "AHMED"), ("ABDUL", "ABD AL"), ("ABD AL", "ABDUL"),
    ("OU", "U"), ("EE", "I"), ("Y", "I"), ("KH", "H"), ("Q", "K"), ("SS", "S"), ("LL", "L"),
]  # fmt: skip
_NOT_FOUND = -1.0


@dataclass(slots=True, frozen=True)
class Planted:
    """A listed person hidden in the customer file under another spelling."""

    customer_id: str
    written_as: str
    listed_name: str
    reference: str


def find_un_list(settings: Settings) -> tuple[Path, bool]:
    """(path, is_real): the real UN list from the shared data if present, else the fixture."""
    for folder in _shared_list_folders(settings):
        if (folder / UN_FILE).is_file():
            return folder / UN_FILE, True
    return fixture_path(), False


def fixture_path() -> Path:
    """The fictional UN-format list packaged with finmon."""
    return Path(str(resources.files("finmon").joinpath("fixtures", FIXTURE)))


def write_customers(
    path: Path, designations: list[Designation], count: int = 3000, seed: int = 2026
) -> list[Planted]:
    """Write count fictional customers plus a few planted listed persons; returns the planted."""
    rng = random.Random(seed)
    rows = [_customer(rng) for _ in range(count)]
    picks = pick_listed(designations, rng)
    positions = sorted(rng.sample(range(len(rows) + len(picks)), len(picks)))
    planted_rows = [_planted_row(d, name, rng) for d, name in picks]
    for position, row in zip(positions, planted_rows, strict=True):
        rows.insert(position, row)
    ids = [f"KZ-{n:06d}" for n in range(1, len(rows) + 1)]
    for row, customer_id in zip(rows, ids, strict=True):
        row["id"] = customer_id
    _write_csv(path, rows)
    return [
        Planted(rows[pos]["id"], rows[pos]["full_name"], name.full, d.reference)
        for pos, (d, name) in zip(positions, picks, strict=True)
    ]


@dataclass(slots=True, frozen=True)
class DemoRun:
    """What a demo run found: each planted person with the best score it got against its own
    listing (None if missed), and where the hits were written."""

    results: list[tuple[Planted, float | None]]
    hits_file: Path

    @property
    def found(self) -> int:
        """Planted persons found."""
        return sum(score is not None for _p, score in self.results)


Progress = Callable[[Path], AbstractContextManager[Callable[[], None]]]
"""Shows a screening's progress over a file: entered, it gives what to call after each row."""


def run_demo(
    folder: Path, customers: int, actor: str, *, say: Callable[[str], None], progress: Progress
) -> DemoRun:
    """Load a list into a fresh demo database and screen generated customers; `say` is told
    each step as a line, `progress` shows the screening's."""
    from finmon.lists import parse_files
    from finmon.screening.screener import heap_frozen
    from finmon.services.lists import current_designations, load_list
    from finmon.services.screeners import load_screener
    from finmon.services.screening import run_screening
    from finmon.settings import load_settings

    started = time.perf_counter()
    list_path, real = find_un_list(load_settings())
    db = open_demo_database(folder)
    loaded = load_list(actor, parse_files([list_path]), db=db)
    say(f"list: {list_path}{'' if real else ' (fictional fixture)'}")
    say(f"loaded {loaded.source} {loaded.version}: {loaded.designation_count} designations")
    screener = load_screener(actor, db=db)
    customer_file, hits_file = folder / "customers.csv", folder / "hits.csv"
    planted = write_customers(customer_file, current_designations(actor, db), customers)
    say(f"customers: {customer_file} ({customers + len(planted)} rows)")
    best = {p.customer_id: _NOT_FOUND for p in planted}
    wanted = {p.customer_id: p.reference for p in planted}

    def note(party: Party, hits: list[Hit]) -> None:
        scores = [h.score for h in hits if h.designation.reference == wanted.get(party.id)]
        if scores:
            best[party.id] = max(scores)

    with heap_frozen(), progress(customer_file) as advance:
        summary = run_screening(customer_file, hits_file, screener, on_hits=note, on_row=advance)
    seconds = time.perf_counter() - started
    rate = f"{summary.alert_rate:.2%}"
    say(
        f"screened {summary.rows} customers: {summary.hits} hits on {summary.alerted} customers "
        f"(alert rate {rate}); {seconds:.1f} s in all"
    )
    results = [(p, None if best[p.customer_id] < 0 else best[p.customer_id]) for p in planted]
    return DemoRun(results, hits_file)


def open_demo_database(folder: Path) -> Database:
    """A fresh SQLite database in the demo folder, so the demo never touches the real store."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (folder / f"finmon-demo.db{suffix}").unlink(missing_ok=True)
    return Database(f"sqlite:///{folder / 'finmon-demo.db'}")


def pick_listed(
    designations: list[Designation], rng: random.Random, count: int = 8
) -> list[tuple[Designation, DesignationName]]:
    """A few listed persons with a Latin name of two or more words, and the name to disguise."""
    people = [d for d in designations if d.schema is Schema.PERSON and _latin_names(d)]
    chosen = rng.sample(people, min(count, len(people)))
    return [(d, _name_to_use(d, i, rng)) for i, d in enumerate(chosen)]


def disguise(name: str, way: int) -> str:
    """Write a name as a customer file might: reordered, shortened, respelt or in Cyrillic."""
    words = re.sub(r"[^\w\s]", " ", name).upper().split()
    match way % 5:
        case 0:
            return " ".join([words[-1], *words[:-1]]).title()
        case 1:
            if len(words) > 2:
                return " ".join([words[0], *words[2:]]).title()
            return _respell(" ".join(words)).title()
        case 2:
            return _respell(" ".join(words)).title()
        case 3:
            return to_cyrillic(" ".join([words[-1], *words[:-1]])).title()
        case _:
            return to_cyrillic(" ".join(words)).title()


def to_cyrillic(text: str) -> str:
    """A clerk's Cyrillic rendering of a Latin name (lossy, as in real customer files)."""
    out, rest = [], text.lower()
    while rest:
        for latin, cyrillic in TO_CYRILLIC:
            if rest.startswith(latin):
                out.append(cyrillic)
                rest = rest[len(latin) :]
                break
        else:
            out.append(rest[0])
            rest = rest[1:]
    return "".join(out)


def romanise(text: str) -> str:
    """ICAO passport romanisation of a Kazakh or Russian Cyrillic name."""
    return "".join(ICAO.get(ch, ch) for ch in text.lower()).title()


def _shared_list_folders(settings: Settings) -> list[Path]:
    if settings.shared_dir is not None:
        shared = settings.shared_dir
        return [shared / "data" / "lists", shared / "lists", shared]
    checkout = Path(__file__).resolve().parents[1]
    return [
        Path.cwd().parent / "shared" / "data" / "lists",
        checkout.parent / "shared" / "data" / "lists",
    ]


def _latin_names(designation: Designation) -> list[DesignationName]:
    return [
        name
        for name in designation.names
        if name.quality in (NameQuality.PRIMARY, NameQuality.STRONG)
        and re.fullmatch(r"[A-Za-z][A-Za-z' .-]+", name.full)
        and len(name.full.split()) >= 2
    ]


def _name_to_use(designation: Designation, index: int, rng: random.Random) -> DesignationName:
    names = _latin_names(designation)
    # Every fourth planted person goes by an alias, as customers often do.
    return rng.choice(names[1:]) if index % 4 == 3 and len(names) > 1 else names[0]


def _respell(text: str) -> str:
    for old, new in SPELLINGS:
        if old in text:
            return text.replace(old, new, 1)
    return text[:-1] + text[-1] * 2


def _customer(rng: random.Random) -> dict[str, str]:
    if rng.random() < 0.05:
        return _company(rng)
    female = rng.random() < 0.5
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(55 * 365))
    name = _kazakh_name(rng, female) if rng.random() < 0.7 else _russian_name(rng, female)
    written = romanise(name) if rng.random() < 0.35 else name
    return {
        "full_name": written,
        "birth_date": born.isoformat(),
        "nationality": rng.choices(["KZ", "RU", "UZ", "KG"], weights=[90, 5, 3, 2])[0],
        "iin": _iin(born, female, rng),
        "schema": "Person",
        "gender": "F" if female else "M",
    }


def _kazakh_name(rng: random.Random, female: bool) -> str:
    given = rng.choice(KAZAKH_WOMEN if female else KAZAKH_MEN)
    surname = rng.choice(KAZAKH_SURNAMES) + ("а" if female else "")
    father = rng.choice(KAZAKH_MEN)
    style = rng.random()
    if style < 0.4:
        patronymic = father + ("қызы" if female else "ұлы")
    elif style < 0.8 and father[-1] not in "аеіыоұүуә":
        patronymic = father + ("овна" if female else "ович")
    else:
        patronymic = ""
    return " ".join(part for part in (surname, given, patronymic) if part)


def _russian_name(rng: random.Random, female: bool) -> str:
    given = rng.choice(RUSSIAN_WOMEN) if female else rng.choice(list(RUSSIAN_MEN))
    surname = rng.choice(RUSSIAN_SURNAMES) + ("а" if female else "")
    stem = RUSSIAN_MEN[rng.choice(list(RUSSIAN_MEN))]
    patronymic = stem + ("на" if female else "ич")
    return f"{surname} {given} {patronymic}"


def _company(rng: random.Random) -> dict[str, str]:
    words = " ".join(rng.sample(COMPANY_WORDS, 2))
    return {
        "full_name": f"ТОО «{words}»",
        "birth_date": "",
        "nationality": "KZ",
        "iin": "",
        "schema": "Company",
        "gender": "",
    }


def _planted_row(
    designation: Designation, name: DesignationName, rng: random.Random
) -> dict[str, str]:
    exact = [b.earliest for b in designation.birth_dates if b.is_exact]
    return {
        "full_name": disguise(name.full, rng.randrange(5)),
        "birth_date": exact[0].isoformat() if exact else "",
        "nationality": next((c for c in designation.nationalities if len(c) == 2), ""),
        "iin": "",
        "schema": "Person",
        "gender": "",
    }


def _iin(born: dt.date, female: bool, rng: random.Random) -> str:
    while True:
        first11 = f"{iin_head(born, female)}{rng.randrange(10000):04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
