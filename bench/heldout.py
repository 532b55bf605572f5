"""Generate bench/data/heldout_pairs.csv: labelled name pairs of the weak kinds of issue 17 and
hard controls, held out from tuning (nothing in finmon is chosen on them).

Matches: numbers and ordinals (digits, words, Roman numerals), acronyms and abbreviations against
full names, initials against given names and patronymics, Arabic-script renderings of Russian and
Kazakh names, Chinese and Korean script against their Latin forms, Baltic, Hungarian, Dutch,
German, French, Polish and Czech renderings of Russian names, one-letter slips in surnames.
Controls: other people with near names (same surname and another given name, father and son by
patronymic, given names one letter apart such as Dana and Dina, Mohammed X and Mohammed Y),
companies one word apart, units whose numbers differ (Brigade 17, Brigade 71), acronyms of other
words, initials that contradict the given name.

People come from Faker locales (ru_RU, zh_CN, ko_KR, en_US, de_DE, fr_FR, ar_AA) at a fixed seed;
the renderings, number words and Korean romanisation are written here, apart from finmon's own
code, so the set does not grade finmon against itself (Chinese readings come from ICU Han-Latin).

Run `python bench/heldout.py` to regenerate the committed file byte for byte.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

SEED = 20261207
OUTPUT = Path(__file__).resolve().parent / "data" / "heldout_pairs.csv"
COLUMNS = ("category", "schema", "name1", "name2", "is_match", "notes")
Row = tuple[str, str, str, str, bool, str]


def _strip(text: str) -> str:
    """Latin letters without diacritics."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- numbers ------------------------------------------------------------------------------------

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()


def cardinal(n: int) -> str:
    """English cardinal words, hyphenated as written (Forty-Four)."""
    if n < 20:
        return _UNITS[n].title()
    tens, unit = divmod(n, 10)
    return _TENS[tens].title() + (f"-{_UNITS[unit].title()}" if unit else "")


def ordinal(n: int) -> str:
    """English ordinal words (Twenty-First)."""
    if n < 20:
        return _ORDINAL_UNITS[n].title()
    tens, unit = divmod(n, 10)
    if not unit:
        return _TENS[tens][:-1].title() + "ieth"
    return _TENS[tens].title() + "-" + _ORDINAL_UNITS[unit].title()


def digit_ordinal(n: int) -> str:
    """1st, 22nd, 13th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roman(n: int) -> str:
    """Roman numeral of 1..39."""
    out = "X" * (n // 10)
    return out + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]


UNITS = (
    "Brigade Battalion Regiment Division Company Squadron Front Corps Army Fleet Unit Fund "
    "Column Detachment"
).split()


def number_rows(rng: random.Random) -> list[Row]:
    """Numbers as digits, words and Roman numerals; controls with other numbers."""
    rows: list[Row] = []
    for _ in range(40):
        unit, n = rng.choice(UNITS), rng.randint(1, 99)
        form = rng.randrange(4)
        if form == 0:
            a, b, note = f"{ordinal(n)} {unit}", f"{digit_ordinal(n)} {unit}", "ordinal word"
        elif form == 1:
            a, b, note = f"{unit} {n}", f"{unit} {cardinal(n)}", "cardinal word"
        elif form == 2 and n < 40:
            a, b, note = f"{unit} {roman(n)}", f"{unit} {n}", "Roman numeral"
        else:
            a, b, note = f"{ordinal(n)} {unit}", f"{unit} {n}", "ordinal word vs number"
        rows.append(("numbers", "Organization", a, b, True, note))
    for _ in range(30):
        unit, n = rng.choice(UNITS), rng.randint(11, 98)
        other = int(str(n)[::-1]) if n % 11 and n % 10 else n + rng.choice((1, 2, 10))
        if rng.random() < 0.5:
            a, b, note = f"{unit} {n}", f"{unit} {other}", "other number"
        else:
            a, b, note = f"{digit_ordinal(n)} {unit}", f"{ordinal(other)} {unit}", "other ordinal"
        rows.append(("numbers", "Organization", a, b, False, note))
    return rows


# --- acronyms -----------------------------------------------------------------------------------

KNOWN_ACRONYMS = (
    ("United States", "U.S.", "Organization"),
    ("United States of America", "USA", "Organization"),
    ("United Arab Emirates", "UAE", "Organization"),
    ("United Kingdom", "U.K.", "Organization"),
    ("People's Liberation Army", "PLA", "Organization"),
    ("Islamic Revolutionary Guard Corps", "IRGC", "Organization"),
    ("Democratic People's Republic of Korea", "DPRK", "Organization"),
    ("Liberation Tigers of Tamil Eelam", "LTTE", "Organization"),
    ("Al-Qaida in the Arabian Peninsula", "AQAP", "Organization"),
    ("Islamic State in Iraq and the Levant", "ISIL", "Organization"),
    ("Fuerzas Armadas Revolucionarias de Colombia", "FARC", "Organization"),
    ("Ejercito de Liberacion Nacional", "ELN", "Organization"),
    ("Tehrik-e Taliban Pakistan", "TTP", "Organization"),
    ("Lashkar-e-Tayyiba", "LeT", "Organization"),
    ("Korea Mining Development Trading Corporation", "KOMID", "Company"),
    ("National Iranian Oil Company", "NIOC", "Company"),
    ("Islamic Republic of Iran Shipping Lines", "IRISL", "Company"),
    ("Central Bank of Iran", "CBI", "Company"),
    ("Syrian Arab Republic", "SAR", "Organization"),
    ("Allied Democratic Forces", "ADF", "Organization"),
)
ADJECTIVES = (
    "National United Popular Democratic Revolutionary Islamic Federal Central Eastern Western "
    "Northern Southern Patriotic Free Independent International Global Pacific Atlantic Baltic"
).split()
NOUNS = (
    "Liberation Resistance Salvation Defence Unity Progress Development Reconstruction Security "
    "Solidarity Freedom Justice Commerce Energy Shipping Mining Trade Finance Investment"
).split()
BODIES = (
    "Front Army Movement Council Party Brigades Union Alliance Bank Company Corporation Group "
    "Agency Organization Authority Committee"
).split()
ABBREVIATIONS = (
    ("International", "Intl"), ("Corporation", "Corp."), ("Company", "Co."),
    ("Limited", "Ltd"), ("Brothers", "Bros."), ("National", "Natl"), ("Association", "Assn."),
    ("Manufacturing", "Mfg."), ("Department", "Dept."), ("Incorporated", "Inc."),
    ("Industries", "Inds."), ("Development", "Dev."), ("Trading", "Trdg."),
)  # fmt: skip


def _acronym(words: list[str], dotted: bool) -> str:
    letters = [w[0].upper() for w in words if w.lower() not in {"of", "the", "and", "for", "in"}]
    return ".".join(letters) + "." if dotted else "".join(letters)


def _org(rng: random.Random, size: int) -> list[str]:
    words = [rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(BODIES)]
    if size == 4:
        words = [rng.choice(ADJECTIVES), rng.choice(BODIES), "for", rng.choice(NOUNS)]
        words.insert(1, rng.choice(NOUNS))
    return words


def acronym_rows(rng: random.Random) -> list[Row]:
    """Acronyms and abbreviations against full names; controls with other letters or words."""
    rows: list[Row] = [("acronyms", s, f, a, True, "known acronym") for f, a, s in KNOWN_ACRONYMS]
    for _ in range(25):
        words = _org(rng, rng.choice((3, 4)))
        short = _acronym(words, rng.random() < 0.3)
        rows.append(("acronyms", "Organization", " ".join(words), short, True, "acronym"))
    for _ in range(15):
        full, short = rng.choice(ABBREVIATIONS)
        head = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        pair = (f"{head} {full}", f"{head} {short}")
        rows.append(("acronyms", "Company", *pair, True, "abbreviation"))
    for _ in range(25):
        words = _org(rng, 3)
        other = list(words)
        other[1] = rng.choice([n for n in NOUNS if n[0] != words[1][0]])
        if rng.random() < 0.5:
            pair = (" ".join(words), _acronym(other, False))
            rows.append(("acronyms", "Organization", *pair, False, "acronym of other words"))
        else:
            pair = (" ".join(words), " ".join(other))
            rows.append(("acronyms", "Company", *pair, False, "one word other"))
    return rows


# --- Russian names and their renderings ---------------------------------------------------------


def russian_people(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(given, patronymic, surname) in Cyrillic, men, from Faker ru_RU."""
    from faker import Faker

    fake = Faker("ru_RU")
    fake.seed_instance(rng.randrange(1 << 30))
    people = set()
    while len(people) < count:
        people.add((fake.first_name_male(), fake.middle_name_male(), fake.last_name_male()))
    return sorted(people)


_ENGLISH = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya"
).split(), strict=True))  # fmt: skip
_GERMAN = dict(_ENGLISH, в="w", ж="sch", з="s", х="ch", ц="z", ч="tsch", ш="sch", щ="schtsch",
               ю="ju", я="ja", й="i")  # fmt: skip
_FRENCH = dict(_ENGLISH, у="ou", ж="j", х="kh", ч="tch", ш="ch", щ="chtch", ю="iou", я="ia",
               й="ï")  # fmt: skip
_DUTCH = dict(_ENGLISH, у="oe", ж="zj", х="ch", ч="tsj", ш="sj", щ="sjtsj", ю="joe", я="ja",
              й="j", ц="ts")  # fmt: skip
_POLISH = dict(_ENGLISH, в="w", ж="ż", х="ch", ц="c", ч="cz", ш="sz", щ="szcz", ю="ju", я="ja",
               й="j", ы="y", е="e")  # fmt: skip
_CZECH = dict(_ENGLISH, ж="ž", х="ch", ц="c", ч="č", ш="š", щ="šč", ю="ju", я="ja", й="j")
_HUNGARIAN = dict(_ENGLISH, ж="zs", с="sz", х="h", ц="c", ч="cs", ш="s", щ="scs", ю="ju",
                  я="ja", й="j", ы="i")  # fmt: skip
_BALTIC = dict(_ENGLISH, ж="ž", х="h", ц="c", ч="č", ш="š", щ="šč", ю="ju", я="ja", й="j",
               ы="i")  # fmt: skip
_SOFT_HUNGARIAN = {"д": "gy", "т": "ty", "н": "ny"}
_VOWELS = set("аеёиоуыэюя")


def render(word: str, table: dict[str, str], hungarian: bool = False) -> str:
    """One Cyrillic name part in a Latin rendering."""
    out = []
    low = word.lower()
    for i, c in enumerate(low):
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if hungarian and c in _SOFT_HUNGARIAN and nxt in "иеёюяь":
            out.append(_SOFT_HUNGARIAN[c])
            continue
        if c == "е" and (i == 0 or low[i - 1] in _VOWELS) and table is not _ENGLISH:
            out.append("je")
            continue
        piece = table.get(c, c)
        out.append("" if piece == "_" else piece)
    text = "".join(out)
    return text[:1].upper() + text[1:]


def english(word: str) -> str:
    """The plain English romanisation a list carries (Vladimirovich, Shchukin)."""
    text = render(word, _ENGLISH).replace("iy", "y").replace("yy", "y")
    return text[:1].upper() + text[1:]


def _baltic(word: str, ending: str) -> str:
    base = render(word, _BALTIC)
    if base.endswith(("ij", "yj")):
        base = base[:-2] + "ij"
    return base + ending if base[-1] not in "aeiou" else base


EUROPEAN: dict[str, Callable[[str], str]] = {
    "German": lambda w: render(w, _GERMAN),
    "French": lambda w: render(w, _FRENCH),
    "Dutch": lambda w: render(w, _DUTCH),
    "Polish": lambda w: render(w, _POLISH),
    "Czech": lambda w: render(w, _CZECH),
    "Hungarian": lambda w: render(w, _HUNGARIAN, hungarian=True),
    "Latvian": lambda w: _baltic(w, "s"),
    "Lithuanian": lambda w: _baltic(w, "as"),
}


def european_rows(rng: random.Random, people: list[tuple[str, str, str]]) -> list[Row]:
    """Russian names rendered in other European languages against the English form."""
    rows: list[Row] = []
    for given, _, surname in people[:48]:
        language = rng.choice(sorted(EUROPEAN))
        rendered = " ".join(EUROPEAN[language](w) for w in (given, surname))
        listed = f"{english(given)} {english(surname)}"
        if rendered != listed:
            rows.append(("european", "Person", rendered, listed, True, language))
    for (given, _, surname), (other, _, _) in zip(people[48:68], people[68:88], strict=True):
        if other == given:
            continue
        language = rng.choice(sorted(EUROPEAN))
        rendered = " ".join(EUROPEAN[language](w) for w in (other, surname))
        note = f"{language}; other given name"
        rows.append(("european", "Person", rendered, f"{english(given)} {english(surname)}",
                     False, note))  # fmt: skip
    return rows


_ARABIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", (
    "ا ب ف غ د ي يو ج ز ي ي ك ل م ن و ب ر س ت و ف خ تس تش ش شتش _ ي _ ا يو يا"
).split(), strict=True))  # fmt: skip
_PERSIAN = dict(_ARABIC, б="ب", п="پ", в="و", г="گ", ж="ژ", к="ک", и="ی", й="ی", ы="ی", е="ی",
                ч="چ", я="یا", ю="یو", ё="یو")  # fmt: skip


_ARABIC_ENDINGS = (("ييي", "يي"), ("يي", "ي"), ("یی", "ی"), ("وو", "وف"), ("یو", "یف"))


def arabic(word: str, table: dict[str, str]) -> str:
    """A Cyrillic name part in Arabic or Persian letters, vowels written long as for foreign
    names; a first а or э written with alef hamza (Arabic) or alef madda (Persian)."""
    low = word.lower()
    out = []
    for i, c in enumerate(low):
        if i == 0 and c in "аэ":
            out.append("أ" if table is _ARABIC else "آ")
            continue
        if i == 0 and c in "оу":
            out.append("أو" if table is _ARABIC else "او")
            continue
        piece = table.get(c, c)
        out.append("" if piece == "_" else piece)
    text = "".join(out)
    for ending, written in _ARABIC_ENDINGS:
        if text.endswith(ending):
            return text[: -len(ending)] + written
    return text


KAZAKH_PEOPLE = (
    ("Нурсултан", "Абишевич", "Назарбаев"), ("Касым-Жомарт", "Кемелевич", "Токаев"),
    ("Карим", "Кажимканович", "Масимов"), ("Бауыржан", "Абдишевич", "Байбек"),
    ("Серик", "Ахметович", "Ахметов"), ("Ерлан", "Бахытович", "Карин"),
    ("Даурен", "Аскарович", "Абаев"), ("Асхат", "Шахарович", "Исекешев"),
    ("Нурлан", "Зайроллаевич", "Нигматулин"), ("Кайрат", "Нематович", "Келимбетов"),
)  # fmt: skip


def arabic_rows(rng: random.Random, people: list[tuple[str, str, str]]) -> list[Row]:
    """Russian and Kazakh names with patronymics in Arabic or Persian script against Latin."""
    rows: list[Row] = []
    chosen = list(people[88:118]) + list(KAZAKH_PEOPLE)
    for given, patronymic, surname in chosen:
        style = rng.choice(("Arabic", "Persian"))
        table = _ARABIC if style == "Arabic" else _PERSIAN
        parts = [given, patronymic, surname] if rng.random() < 0.6 else [given, surname]
        script = " ".join(arabic(w, table) for w in parts)
        latin = " ".join(english(w) for w in (given, patronymic, surname))
        rows.append(("arabic_russian", "Person", script, latin, True, f"{style} script"))
    for (given, patronymic, surname), (_, _, other) in zip(
        people[118:138], people[138:158], strict=True
    ):
        script = " ".join(arabic(w, _ARABIC) for w in (given, patronymic, other))
        latin = " ".join(english(w) for w in (given, patronymic, surname))
        rows.append(("arabic_russian", "Person", script, latin, False, "other surname"))
    return rows


def initial_rows(rng: random.Random, people: list[tuple[str, str, str]]) -> list[Row]:
    """Initials (Cyrillic and Latin) against full names; controls whose initials disagree."""
    rows: list[Row] = []
    for given, patronymic, surname in people[158:193]:
        full = f"{english(given)} {english(patronymic)} {english(surname)}"
        form = rng.randrange(3)
        if form == 0:
            short = f"{surname} {given[0]}. {patronymic[0]}."
        elif form == 1:
            short = f"{english(given)[0]}. {english(patronymic)[0]}. {english(surname)}"
        else:
            short = f"{english(surname)} {english(given)[0]}.{english(patronymic)[0]}."
        rows.append(("initials", "Person", short, full, True, ("Cyrillic", "Latin", "Latin")[form]))
    for (given, patronymic, surname), (other, other_p, _) in zip(
        people[193:213], people[213:233], strict=True
    ):
        if english(other)[0] == english(given)[0] and english(other_p)[0] == english(patronymic)[0]:
            continue
        short = f"{surname} {other[0]}. {other_p[0]}."
        full = f"{english(given)} {english(patronymic)} {english(surname)}"
        rows.append(("initials", "Person", short, full, False, "other initials"))
    return rows


# --- Chinese and Korean -------------------------------------------------------------------------


def chinese_rows(rng: random.Random) -> list[Row]:
    """Chinese names in Han characters against pinyin (ICU Han-Latin/Names, tones dropped)."""
    import icu
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(rng.randrange(1 << 30))
    reader = icu.Transliterator.createInstance("Han-Latin/Names; Latin-ASCII")
    rows: list[Row] = []
    seen: set[str] = set()
    while len(rows) < 30:
        surname, given = fake.last_name(), fake.first_name()
        if surname + given in seen or len(surname) > 1:
            continue
        seen.add(surname + given)
        latin_surname = reader.transliterate(surname).title()
        latin_given = reader.transliterate(given).replace(" ", "").title()
        latin = f"{latin_surname} {latin_given}"
        if rng.random() < 0.3:
            latin = f"{latin_given} {latin_surname}".upper()
        rows.append(("cjk", "Person", surname + given, latin, True, "Chinese"))
    for _ in range(15):
        surname, given, other = fake.last_name(), fake.first_name(), fake.first_name()
        if given == other or len(surname) > 1:
            continue
        other_latin = reader.transliterate(other).replace(" ", "").title()
        latin = f"{reader.transliterate(surname).title()} {other_latin}"
        rows.append(("cjk", "Person", surname + given, latin, False,
                     "Chinese; other given name"))  # fmt: skip
    return rows


_INITIAL = "g kk n d tt r m b pp s ss _ j jj ch k t p h".split()
_MEDIAL = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINAL = "_ k k k n n n t l l l l l l l l m p p t t ng t t k t p t".split()
KOREAN_SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho",
    "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin",
    "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu", "전": "Jeon", "홍": "Hong",
    "고": "Ko", "문": "Moon", "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo",
    "노": "Roh", "남": "Nam", "심": "Shim", "유": "Yoo", "구": "Koo", "우": "Woo",
}  # fmt: skip


def korean_syllable(syllable: str) -> str:
    """Revised Romanization of one Hangul syllable read alone (no sound changes across)."""
    code = ord(syllable) - 0xAC00
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    head = _INITIAL[initial].replace("_", "")
    tail = _FINAL[final].replace("_", "")
    return head + _MEDIAL[medial] + tail


def korean_rows(rng: random.Random) -> list[Row]:
    """Korean names in Hangul against Revised Romanization with the usual surname spellings."""
    from faker import Faker

    fake = Faker("ko_KR")
    fake.seed_instance(rng.randrange(1 << 30))
    rows: list[Row] = []
    controls = 0
    while len(rows) < 40:
        name = fake.name()
        if len(name) != 3 or name[0] not in KOREAN_SURNAMES:
            continue
        syllables = [korean_syllable(s) for s in name[1:]]
        given = "-".join(syllables) if rng.random() < 0.5 else "".join(syllables)
        given = given.capitalize()
        latin = f"{KOREAN_SURNAMES[name[0]]} {given}"
        if len(rows) >= 28 and controls < 12:
            other = fake.name()
            if len(other) == 3 and other[1:] != name[1:]:
                rows.append(("cjk", "Person", name[0] + other[1:], latin, False,
                             "Korean; other given name"))  # fmt: skip
                controls += 1
            continue
        rows.append(("cjk", "Person", name, latin, True, "Korean"))
    return rows


KNOWN_CJK = (
    ("金正恩", "Kim Jong Un", True), ("김정은", "Kim Jong Un", True),
    ("김정일", "Kim Jong Il", True), ("김정은", "Kim Jong Il", False),
    ("김여정", "Kim Yo Jong", True), ("최룡해", "Choe Ryong Hae", True),
    ("习近平", "Xi Jinping", True), ("毛泽东", "Mao Zedong", True),
    ("毛泽东", "Mao Tse-tung", True), ("蒋介石", "Chiang Kai-shek", True),
    ("习近平", "Xi Zhongxun", False), ("李克强", "Li Keqiang", True), ("李克强", "Li Qiang", False),
)  # fmt: skip


# --- people's names: slips and near controls ----------------------------------------------------

NEAR_GIVEN = (
    ("Dana", "Dina"), ("Maria", "Mario"), ("Ivan", "Ivana"), ("Alexander", "Alexandra"),
    ("Daniel", "Daniela"), ("Karim", "Karima"), ("Samir", "Samira"), ("Jamal", "Jamila"),
    ("Said", "Saad"), ("Omar", "Amar"), ("Nadia", "Nadir"), ("Carl", "Carol"), ("Yan", "Yana"),
    ("Hassan", "Hussein"), ("Ali", "Alia"), ("Lena", "Lina"), ("Marta", "Marat"),
    ("Adil", "Adel"), ("Amir", "Amira"), ("Rami", "Rana"),
)  # fmt: skip


def _slip(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + rng.choice("aeioulnrst") + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def latin_people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(given, surname) from several Faker locales, Latin letters."""
    from faker import Faker

    fake = Faker(["en_US", "de_DE", "fr_FR", "es_ES", "tr_TR", "pl_PL", "it_IT"])
    fake.seed_instance(rng.randrange(1 << 30))
    people: list[tuple[str, str]] = []
    while len(people) < count:
        given, surname = _strip(fake.first_name()), _strip(fake.last_name())
        if " " not in surname and "-" not in surname and len(surname) >= 6:
            people.append((given, surname))
    return people


def slip_rows(rng: random.Random, people: list[tuple[str, str]]) -> list[Row]:
    """One-letter slips in surnames (matches); near controls (not)."""
    rows: list[Row] = []
    for given, surname in people[:40]:
        slipped = _slip(rng, surname)
        if slipped.lower() != surname.lower():
            pair = (f"{given} {slipped}", f"{given} {surname}")
            rows.append(("slips", "Person", *pair, True, "one-letter slip in surname"))
    for (given, surname), (other, _) in zip(people[40:70], people[70:100], strict=True):
        if other != given:
            pair = (f"{other} {surname}", f"{given} {surname}")
            rows.append(("near_people", "Person", *pair, False, "same surname, other given"))
    for (a, b), (_, surname) in zip(NEAR_GIVEN, people[100:120], strict=True):
        rows.append(("near_people", "Person", f"{a} {surname}", f"{b} {surname}", False,
                     "given names one letter apart"))  # fmt: skip
    return rows


def arab_controls(rng: random.Random) -> list[Row]:
    """Mohammed X against Mohammed Y: the same common given name, other family names."""
    from faker import Faker

    fake = Faker("ar_AA")
    fake.seed_instance(rng.randrange(1 << 30))
    surnames = sorted({fake.last_name() for _ in range(300)})
    rng.shuffle(surnames)
    rows: list[Row] = []
    given = ("محمد", "أحمد", "عبد الله", "علي")
    for a, b in zip(surnames[:15], surnames[15:30], strict=True):
        first = rng.choice(given)
        rows.append(("near_people", "Person", f"{first} {a}", f"{first} {b}", False,
                     "common given name, other family name"))  # fmt: skip
    latin_given = ("Mohammed", "Mohamed", "Muhammad", "Ahmed", "Abdullah")
    latin_surnames = (
        "Al-Rashid Al-Masri Haddad Khalil Mansour Nasser Saleh Hamdan Qasim Yousef Darwish "
        "Al-Amin Jaber Shaker Bakr Al-Tamimi Zayed Farouk Hijazi Sabri"
    ).split()
    for a, b in zip(latin_surnames[:10], latin_surnames[10:], strict=True):
        first = rng.choice(latin_given)
        rows.append(("near_people", "Person", f"{first} {a}", f"{first} {b}", False,
                     "common given name, other family name"))  # fmt: skip
    return rows


def father_son_rows(people: list[tuple[str, str, str]]) -> list[Row]:
    """Father and son: the son's patronymic is the father's given name, surname shared."""
    rows: list[Row] = []
    for (father, father_p, surname), (son, _, _) in zip(
        people[233:253], people[253:273], strict=True
    ):
        if son == father:
            continue
        son_p = father[:-1] + "евич" if father.endswith("й") else father + "ович"
        a = f"{english(father)} {english(father_p)} {english(surname)}"
        b = f"{english(son)} {english(son_p)} {english(surname)}"
        rows.append(("near_people", "Person", a, b, False, "father and son by patronymic"))
    return rows


def build(seed: int = SEED) -> list[Row]:
    """Every row, in a fixed order."""
    rng = random.Random(seed)
    people = russian_people(rng, 280)
    rng.shuffle(people)
    rows = number_rows(rng) + acronym_rows(rng)
    rows += initial_rows(rng, people) + arabic_rows(rng, people) + european_rows(rng, people)
    rows += chinese_rows(rng) + korean_rows(rng)
    rows += [("cjk", "Person", a, b, m, "known name") for a, b, m in KNOWN_CJK]
    rows += slip_rows(rng, latin_people(rng, 120)) + arab_controls(rng) + father_son_rows(people)
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in rows:
        if (row[2], row[3]) not in seen and row[2] != row[3]:
            seen.add((row[2], row[3]))
            unique.append(row)
    return unique


def main() -> int:
    """Write the CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for category, schema, a, b, is_match, note in build():
        writer.writerow((category, schema, a, b, "true" if is_match else "false", note))
    OUTPUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{OUTPUT}: {buffer.getvalue().count(chr(10)) - 1} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
