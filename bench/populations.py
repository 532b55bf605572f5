"""Seeded populations of people on no list, for measuring alert rates on names finmon was not
tuned on, per script and per name origin.

    python bench/populations.py multicultural|kazakhstan|faker --size N --seed S --out PATH

- `multicultural`: names from the `names-dataset` library (first and last names with per-country
  ranks), countries weighted so that the Middle East, North Africa, South and Central Asia, Europe
  and East Asia are all well represented, names in the script people of the country write them in.
- `kazakhstan`: a Kazakhstan customer base (Kazakh, Russian, Uzbek, Uyghur, Tatar, Korean names),
  in Cyrillic and in the Latin forms customers' files carry, patronymics as people write them, the
  most common names at their real frequency and namesakes. The tables are written below; nothing
  comes from finmon's own transliteration or word lists.
- `faker`: an independent second source (Faker's person-name providers), native scripts as Faker
  writes them, for held-out checks of anything tuned on names-dataset.

The same seed gives the same bytes (for `faker`, with the same Faker version). The `script` and
`origin` columns are for measurement only: they never reach a matching decision.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import functools
import gc
import gzip
import io
import itertools
import json
import random
import re
import resource
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "out" / "cache"
COLUMNS = (
    "full_name", "first_name", "middle_name", "last_name", "gender", "date_of_birth",
    "nationality", "script", "origin", "source",
)  # fmt: skip
BIRTH_FIRST = dt.date(1940, 1, 1).toordinal()
BIRTH_LAST = dt.date(2006, 12, 31).toordinal()
Row = dict[str, str]

# --- scripts, for measurement only ---------------------------------------------------------------

SCRIPT_NAMES = {"CJK": "Han", "HIRAGANA": "Kana", "KATAKANA": "Kana", "IDEOGRAPHIC": "Han"}
SCRIPT_GROUP = {
    "Arabic": "Arabic/Persian",
    "Han": "East Asian",
    "Kana": "East Asian",
    "Hangul": "East Asian",
    "Cyrillic": "Cyrillic",
    "Latin": "Latin",
}
SCRIPT_GROUPS = ("Arabic/Persian", "East Asian", "Cyrillic", "Latin", "other")


def letter_script(char: str) -> str:
    """The script of one letter ('Latin', 'Arabic', 'Han', 'Kana', 'Hangul', 'Cyrillic' ...)."""
    head = unicodedata.name(char, "?").split()[0]
    return SCRIPT_NAMES.get(head, head.title())


def script_of(name: str) -> str:
    """A name's script: its non-Latin script if it has one (Kana wins over Han: Japanese), else
    Latin; 'mixed' when two non-Latin scripts other than Han and Kana meet."""
    scripts = {letter_script(c) for c in name if c.isalpha()} - {"Latin"}
    if scripts == {"Han", "Kana"}:
        return "Kana"
    if len(scripts) > 1:
        return "mixed"
    return scripts.pop() if scripts else "Latin"


def script_group(script: str) -> str:
    """The fairness group of a script: Arabic/Persian, East Asian, Cyrillic, Latin or other."""
    return SCRIPT_GROUP.get(script, "other")


# --- shared helpers ------------------------------------------------------------------------------


class Pool:
    """Names with weights, drawn with a seeded random generator."""

    def __init__(self, items: Sequence[tuple[str, float]]) -> None:
        self.names = [name for name, _ in items]
        self.cum = list(itertools.accumulate(weight for _, weight in items))

    def __len__(self) -> int:
        return len(self.names)

    def draw(self, rng: random.Random) -> str:
        """One name, in proportion to its weight."""
        return self.names[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def birth_date(rng: random.Random) -> str:
    """A birth date between 1940 and 2006, ISO formatted."""
    return dt.date.fromordinal(rng.randint(BIRTH_FIRST, BIRTH_LAST)).isoformat()


def make_row(
    first: str,
    middle: str,
    last: str,
    full: str,
    gender: str,
    rng: random.Random,
    nationality: str,
    origin: str,
    source: str,
) -> Row:
    """A population row; the script is read from the full name as written."""
    return {
        "full_name": full,
        "first_name": first,
        "middle_name": middle,
        "last_name": last,
        "gender": gender,
        "date_of_birth": birth_date(rng),
        "nationality": nationality,
        "script": script_of(full),
        "origin": origin,
        "source": source,
    }


def to_csv(rows: Sequence[Row]) -> str:
    """The rows as CSV text with the population columns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def country_name(alpha2: str) -> str:
    """A country's English short name, as the evaluation CSVs carry nationalities."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return str(getattr(country, "common_name", None) or country.name) if country else alpha2


# --- (a) multicultural, from names-dataset -------------------------------------------------------

# Countries and their weights (relative; a country is drawn, then a name of it). Chosen so that
# the Middle East (~27%), North Africa (~12%), South Asia (~9%), Central Asia and the Caucasus
# (~7%), Europe (~22%) and East Asia (~13%) are all well represented; the rest of the world ~10%.
# names-dataset has no Pakistan, Uzbekistan, Tajikistan, Kyrgyzstan or Ukraine.
REGIONS: dict[str, dict[str, float]] = {
    "Middle East": {
        "SA": 4, "AE": 2, "IQ": 3, "JO": 2, "SY": 3, "LB": 2, "YE": 2, "KW": 1, "OM": 1,
        "QA": 1, "BH": 1, "PS": 1.5, "IR": 5, "TR": 4, "IL": 1.5,
    },
    "North Africa": {"EG": 5, "MA": 3, "DZ": 3, "TN": 2, "LY": 1.5, "SD": 1.5},
    "South Asia": {"IN": 5, "BD": 3, "AF": 3, "MV": 0.5},
    "Central Asia & Caucasus": {"KZ": 4, "TM": 1.5, "AZ": 2, "GE": 1.5},
    "Europe": {
        "RU": 5, "GB": 2, "DE": 2, "FR": 2, "IT": 2, "ES": 2, "PL": 1.5, "NL": 1, "PT": 1,
        "GR": 1, "BG": 1, "RS": 1, "AL": 0.5, "SE": 0.5, "HU": 0.5, "CZ": 0.5, "MD": 0.5,
        "AT": 0.5, "BE": 0.5, "CH": 0.5, "DK": 0.3, "NO": 0.3, "FI": 0.3, "IE": 0.3,
        "HR": 0.3, "LT": 0.3, "EE": 0.3, "CY": 0.3,
    },
    "East Asia": {"CN": 6, "TW": 2, "HK": 1.5, "MO": 0.3, "JP": 4, "KR": 3},
    "Other": {
        "US": 2, "CA": 0.5, "MX": 1, "BR": 1.5, "AR": 0.5, "CO": 0.5, "PE": 0.3, "CL": 0.3,
        "NG": 1.5, "ET": 1, "GH": 0.5, "ZA": 0.5, "CM": 0.3, "ID": 1.5, "PH": 1, "MY": 1,
        "SG": 0.3, "KH": 0.3,
    },
}  # fmt: skip
COUNTRY_REGION = {cc: region for region, table in REGIONS.items() for cc in table}

# The script a country's people write their own names in, and the share of records written in it
# rather than in Latin letters. names-dataset comes from social-network profiles, where Latin is
# over-represented (Chinese users write 89% of first names in Latin there), so the shares are set
# here for bank and registry records; the names themselves and their ranks are the library's.
NATIVE: dict[str, tuple[str, float]] = {
    "SA": ("Arabic", 0.6), "AE": ("Arabic", 0.3), "IQ": ("Arabic", 0.8), "JO": ("Arabic", 0.6),
    "SY": ("Arabic", 0.7), "LB": ("Arabic", 0.4), "YE": ("Arabic", 0.85), "KW": ("Arabic", 0.3),
    "OM": ("Arabic", 0.4), "QA": ("Arabic", 0.3), "BH": ("Arabic", 0.3), "PS": ("Arabic", 0.6),
    "EG": ("Arabic", 0.6), "LY": ("Arabic", 0.7), "SD": ("Arabic", 0.8), "DZ": ("Arabic", 0.3),
    "MA": ("Arabic", 0.2), "TN": ("Arabic", 0.2), "IR": ("Arabic", 0.7), "AF": ("Arabic", 0.7),
    "RU": ("Cyrillic", 0.8), "KZ": ("Cyrillic", 0.8), "BG": ("Cyrillic", 0.6),
    "MD": ("Cyrillic", 0.3), "TM": ("Cyrillic", 0.3), "RS": ("Cyrillic", 0.3),
    "IL": ("Hebrew", 0.5), "GR": ("Greek", 0.6), "CY": ("Greek", 0.4), "GE": ("Georgian", 0.5),
    "IN": ("Devanagari", 0.1), "BD": ("Bengali", 0.2), "ET": ("Ethiopic", 0.3),
    "KH": ("Khmer", 0.4), "CN": ("Han", 0.85), "TW": ("Han", 0.8), "HK": ("Han", 0.6),
    "MO": ("Han", 0.5), "JP": ("Han", 0.7), "KR": ("Hangul", 0.8),
}  # fmt: skip

# names-dataset keeps no one-character names, so Chinese and Korean family names in their own
# script are missing from it. These tables give the commonest ones with their shares in percent:
# mainland China after the Ministry of Public Security's 2020 household-register ranking, Taiwan
# (also used for Hong Kong and Macao, which write traditional characters) after the Ministry of the
# Interior's 2018 ranking, Korea after the 2015 census. Rounded; the order is the reliable part.
CHINESE_SURNAMES = (
    "王王7.1 李李7.4 张張6.8 刘劉5.4 陈陳11.1 杨楊2.6 赵趙2.3 黄黃6.1 周周1.5 吴吳4.0 "
    "徐徐1.7 孙孫1.5 胡胡1.3 朱朱1.3 高高1.2 林林8.3 何何1.2 郭郭1.3 马馬1.1 罗羅0.9 "
    "梁梁0.9 宋宋0.8 郑鄭1.8 谢謝1.8 韩韓0.8 唐唐0.8 冯馮0.7 于于0.7 董董0.6 萧蕭1.0 "
    "程程0.6 曹曹0.6 袁袁0.5 邓鄧0.5 许許2.3 傅傅0.5 沈沈0.5 曾曾1.2 彭彭0.5 吕呂0.5 "
    "苏蘇0.5 卢盧0.5 蒋蔣0.5 蔡蔡2.9 贾賈0.4 丁丁0.4 魏魏0.4 薛薛0.4 叶葉1.1 阎閻0.3 "
    "余余0.4 潘潘0.4 杜杜0.4 戴戴0.3 夏夏0.3 钟鍾0.5 汪汪0.3 田田0.3 任任0.3 姜姜0.3 "
    "范范0.3 方方0.3 石石0.3 姚姚0.3 谭譚0.3 廖廖0.7 邹鄒0.3 熊熊0.3 金金0.3 陆陸0.3 "
    "郝郝0.2 孔孔0.2 白白0.2 崔崔0.2 康康0.2 毛毛0.2 邱邱0.8 秦秦0.2 江江0.6 史史0.2 "
    "顾顧0.2 侯侯0.2 邵邵0.2 孟孟0.2 龙龍0.2 万萬0.2 段段0.2 雷雷0.2 钱錢0.2 汤湯0.2 "
    "尹尹0.2 黎黎0.2 易易0.2 常常0.2 武武0.2 乔喬0.2 贺賀0.2 赖賴0.9 龚龔0.2 文文0.2 "
    "游游0.6 詹詹0.5 洪洪0.6 欧阳歐陽0.1 司徒司徒0.05"
)
CHINESE_SURNAME_SHARES_TW = {  # Taiwan shares where they differ much from the mainland's
    "陳": 11.1, "林": 8.3, "黃": 6.1, "張": 5.3, "李": 5.1, "王": 4.1, "吳": 4.0, "劉": 3.2,
    "蔡": 2.9, "楊": 2.6, "許": 2.3, "鄭": 1.9, "謝": 1.8, "郭": 1.7, "洪": 1.6, "邱": 1.5,
    "曾": 1.5, "廖": 1.4, "賴": 1.4, "徐": 1.3, "周": 1.3, "葉": 1.2, "蘇": 1.2, "莊": 1.0,
    "呂": 1.0, "江": 1.0, "何": 0.9, "蕭": 0.9, "羅": 0.9, "高": 0.8,
}  # fmt: skip
CHINESE_SURNAME_SHARES_CN = {  # mainland shares for the names whose digits above are Taiwan's
    "陈": 4.6, "林": 1.2, "黄": 2.2, "许": 0.9, "蔡": 0.4, "郑": 1.0, "谢": 0.9, "叶": 0.4,
    "曾": 0.5, "邱": 0.3, "廖": 0.3, "赖": 0.2, "游": 0.1, "詹": 0.1, "洪": 0.2, "江": 0.4,
    "萧": 0.2, "杨": 3.1, "周": 2.1, "吴": 2.0,
}  # fmt: skip
KOREAN_SURNAMES = (
    "김21.5 이14.7 박8.4 최4.7 정4.3 강2.4 조2.1 윤2.1 장2.0 임1.7 한1.5 오1.5 서1.5 신1.5 "
    "권1.4 황1.4 안1.4 송1.3 전1.1 홍1.1 유1.1 고0.9 문0.9 양0.9 손0.9 배0.8 백0.8 허0.7 "
    "노0.6 남0.6 심0.5 하0.5 곽0.4 성0.4 차0.4 주0.4 우0.4 구0.4 민0.3 류0.3 나0.3 진0.3 "
    "지0.3 엄0.3 채0.3 원0.3 천0.2 방0.2 공0.2 현0.2 함0.2 변0.2 염0.1 여0.1 추0.1 도0.1 "
    "남궁0.04 제갈0.01 황보0.06 선우0.01"
)

# Facebook-profile words in names-dataset's top ranks that are not personal names in a record:
# "I am", "mother of", "father of", "male", "man", "female", "woman", "don't care", and the like.
NOT_NAMES = frozenset(
    "انا ام ابو أبو 남성 남자 여성 여자 사랑 Nesvarbu Unruly Mca Brunei Fiji Cambodia Madrid "
    "Gh Bw Hm Hs Bn Sy Sh Md Sk Mohd Hj Hjh".split()
)
RANK_LIMIT = 1500  # names kept per country, kind and script, by rank
HISPANIC = frozenset("ES MX AR CO PE CL".split())


def shares(text: str) -> list[tuple[str, float]]:
    """'name12.5 other3' items as (name, share)."""
    return [(name, float(share)) for name, share in re.findall(r"(\D+?)(\d+(?:\.\d+)?)", text)]


def chinese_surnames(traditional: bool) -> Pool:
    """Chinese family names in simplified (mainland) or traditional (Taiwan, HK, Macao) form."""
    items = []
    for pair, share in shares(CHINESE_SURNAMES.replace(" ", "")):
        simple, trad = pair[: len(pair) // 2], pair[len(pair) // 2 :]
        if traditional:
            items.append((trad, CHINESE_SURNAME_SHARES_TW.get(trad, share)))
        else:
            items.append((simple, CHINESE_SURNAME_SHARES_CN.get(simple, share)))
    return Pool(items)


def korean_surnames() -> Pool:
    """Korean family names in Hangul with their 2015 census shares."""
    return Pool(shares(KOREAN_SURNAMES.replace(" ", "")))


def names_dataset_version() -> str:
    """The installed names-dataset version (the bench extra)."""
    return metadata.version("names-dataset")


def name_tables() -> dict[str, list[list[object]]]:
    """Per 'kind:country:script', the library's names as [name, rank, gender] (gender 'M', 'F' or
    ''), the RANK_LIMIT best ranked; extracted once and cached under out/cache, because the library
    holds a million names per kind (over 1 GB in memory)."""
    path = CACHE / f"names-dataset-{names_dataset_version()}-{RANK_LIMIT}.json.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            tables: dict[str, list[list[object]]] = json.load(handle)
        return tables
    tables = _extract_tables()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(json.dumps(tables, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return tables


def _extract_tables() -> dict[str, list[list[object]]]:
    from names_dataset import NameDataset

    wanted = set(COUNTRY_REGION)
    tables: dict[str, list[list[object]]] = {}
    for kind in ("first", "last"):
        # one kind at a time: each holds about a million dicts
        library = NameDataset(load_first_names=kind == "first", load_last_names=kind == "last")
        names = library.first_names if kind == "first" else library.last_names
        found: dict[str, list[list[object]]] = {}
        for name, info in names.items():
            if not _usable(name):
                continue
            script = script_of(name)
            gender = _gender(info.get("gender") or {})
            for country, rank in (info.get("rank") or {}).items():
                if rank is not None and country in wanted:
                    found.setdefault(f"{kind}:{country}:{script}", []).append([name, rank, gender])
        for key, rows in found.items():
            tables[key] = sorted(rows, key=lambda row: (row[1], row[0]))[:RANK_LIMIT]
        del library, names, found
        gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"names-dataset tables extracted; peak RSS {peak:.0f} MB", file=sys.stderr)
    return tables


def _usable(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    if name in NOT_NAMES or len(letters) < 2 or script_of(name) == "mixed":
        return False
    return all(c.isalpha() or c in " -'" or unicodedata.category(c).startswith("M") for c in name)


def _gender(shares: dict[str, float]) -> str:
    if not shares:
        return ""
    return "M" if shares.get("M", 0.0) >= shares.get("F", 0.0) else "F"


@dataclass
class CountryPools:
    """Given names (by gender) and family names of one country in one script."""

    male: Pool
    female: Pool
    last: Pool | None


def _pools(tables: dict[str, list[list[object]]]) -> dict[tuple[str, str], CountryPools]:
    pools = {}
    for country in COUNTRY_REGION:
        native = NATIVE.get(country, ("Latin", 0.0))[0]
        for script in {"Latin", native}:
            first = tables.get(f"first:{country}:{script}", [])
            last = tables.get(f"last:{country}:{script}", [])
            # Zipf's law on the library's rank stands in for a name's frequency in the country
            male = [(str(n), 1 / float(str(r))) for n, r, g in first if g != "F"]
            female = [(str(n), 1 / float(str(r))) for n, r, g in first if g != "M"]
            surnames = [(str(n), 1 / float(str(r))) for n, r, _ in last]
            if len(male) < 20 or len(female) < 20:
                continue
            own_surnames = script in ("Han", "Hangul") and country != "JP"
            if not own_surnames and len(surnames) < 20:
                continue
            pools[country, script] = CountryPools(
                Pool(male), Pool(female), None if own_surnames else Pool(surnames)
            )
    return pools


def _east_asian_order(rng: random.Random, given: str, family: str, country: str) -> str:
    """Family name first, joined as Chinese and Korean write it or with a space as Japanese often
    do; files built from separate family and given fields also carry 'family given' and, from
    forms with a Western field order, 'given family'."""
    joined = 0.3 if country == "JP" else 0.6
    draw = rng.random()
    if draw < joined:
        return family + given
    if draw < 0.85:
        return f"{family} {given}"
    return f"{given} {family}"


@functools.cache
def _country_pools() -> dict[tuple[str, str], CountryPools]:
    return _pools(name_tables())


def multicultural(size: int, seed: int) -> list[Row]:
    """People on no list from many countries, names from names-dataset."""
    pools = _country_pools()
    source = f"names-dataset {names_dataset_version()}"
    countries = Pool([(cc, w) for region in REGIONS.values() for cc, w in region.items()])
    han_simple, han_trad = chinese_surnames(False), chinese_surnames(True)
    hangul = korean_surnames()
    rng = random.Random(f"multicultural:{seed}")
    rows = []
    while len(rows) < size:
        country = countries.draw(rng)
        native, share = NATIVE.get(country, ("Latin", 0.0))
        script = native if rng.random() < share and (country, native) in pools else "Latin"
        if (country, script) not in pools:
            continue
        pool = pools[country, script]
        female = rng.random() < 0.5
        first = (pool.female if female else pool.male).draw(rng)
        middle = ""
        if script == "Arabic" and country not in ("IR", "AF") and rng.random() < 0.4:
            middle = pool.male.draw(rng)  # the father's name, as Arab names carry it
        elif script == "Latin" and rng.random() < 0.1:
            middle = (pool.female if female else pool.male).draw(rng)
        if pool.last is not None:
            last = pool.last.draw(rng)
            if country in HISPANIC and rng.random() < 0.5:
                last = f"{last} {pool.last.draw(rng)}"  # paternal and maternal surnames
        elif script == "Hangul":
            last = hangul.draw(rng)
        else:
            last = (han_simple if country == "CN" else han_trad).draw(rng)
        if script in ("Han", "Hangul"):
            full = _east_asian_order(rng, first, last, country)
        else:
            full = " ".join(part for part in (first, middle, last) if part)
        origin = f"{COUNTRY_REGION[country]}/{country}"
        gender = "female" if female else "male"
        rows.append(make_row(first, middle, last, full, gender, rng, country_name(country),
                             origin, source))  # fmt: skip
    return rows


# --- (b) kazakhstan, from the tables below -------------------------------------------------------

# Shares of the customer base by name tradition, after the 2021 census of Kazakhstan (Kazakh
# 70.4%, Russian 15.5%, Uzbek 3.2%, Uyghur 1.5%, Tatar 1.1%, Korean 0.6%); Ukrainians and Germans
# (3.2%) mostly carry Russian given names and patronymics and are folded into "Russian", whose
# surname list carries their commonest surnames.
KZ_GROUPS = {"Kazakh": 70.4, "Russian": 18.7, "Uzbek": 3.2, "Uyghur": 1.5, "Tatar": 1.1,
             "Korean": 0.6}  # fmt: skip

# Names as 'Kazakh:Russian' Cyrillic spellings (one spelling when both agree), most common first.
# The order follows published rankings as the author knows them: Kazakhstan's Ministry of Justice
# and statistics office lists of common surnames and given names reported in the Kazakh press
# (2019-2023), the Russian surname ranking of Zhuravlev and the Balanovsky group, the Korean
# surnames of the former USSR after the 1989 census studies of Koryo-saram, and Uzbek, Uyghur and
# Tatar name frequencies from the same kind of press reports. Shares follow a Zipf-Mandelbrot law
# (see kz_pool) set so that the heads match the reported ones roughly (Ахметов about 0.7% of
# Kazakhs, Иванов about 1% of Russians, Ким about 45% of Koreans); digits are approximate, the
# order is the reliable part. No name here is taken from finmon.
KZ_MALE = """Нұрлан:Нурлан Ерлан Серік:Серик Марат Асқар:Аскар Ержан Бауыржан Қайрат:Кайрат
Талғат:Талгат Асқат:Асхат Ербол Арман Дәурен:Даурен Мұрат:Мурат Азамат Данияр Нұржан:Нуржан
Қанат:Канат Болат Айдар Ерік:Ерик Жандос Бақыт:Бахыт Алмас Мұхтар:Мухтар Ғалым:Галым
Нұрсұлтан:Нурсултан Әлихан:Алихан Ерасыл Темірлан:Темирлан Бекзат Жасұлан:Жасулан Абай Айбек
Әділ:Адиль Дамир Руслан Тимур Ринат Ермек Қуаныш:Куаныш Дархан Мақсат:Максат Санжар
Еркебұлан:Еркебулан Ерғали:Ергали Бақытжан:Бахытжан Нұрбол:Нурбол Жұмабек:Жумабек Төлеген:Тулеген
Амангелді:Амангельды Сәкен:Сакен Қасым:Касым Жеңіс:Женис Ғабит:Габит Дәулет:Даулет Асылбек
Нұрлыбек:Нурлыбек Бейбіт:Бейбит Ерназар Алибек Мирас Рахат Ақылбек:Акылбек Ержігіт:Ержигит
Серікбол:Серикбол Жақсылық:Жаксылык Әмір:Амир Ілияс:Ильяс Нұрдәулет:Нурдаулет Сұлтан:Султан Бекжан
Мейрам Елдос Диас Жанболат Олжас Арсен Ансар Айдын Ерболат Сырым"""
KZ_FEMALE = """Әйгерім:Айгерим Гүлнара:Гульнара Динара Айгүл:Айгуль Жанар Сәуле:Сауле
Гүлмира:Гульмира Әсел:Асель Алия Салтанат Мәдина:Мадина Жанна Назерке Ақмарал:Акмарал Меруерт
Гаухар Айжан Жұлдыз:Жулдыз Шынар Ботагөз:Ботагоз Раушан Бибігүл:Бибигуль Айнұр:Айнур
Нұргүл:Нургуль Гүлжан:Гульжан Ләззат:Ляззат Қарлығаш:Карлыгаш Аружан Дана Айдана Жансая Томирис
Камила Аяжан Зарина Әсем:Асем Перизат Ұлжан:Улжан Күлпаш:Кульпаш Майра Роза Нұрсұлу:Нурсулу
Дариға:Дарига Балжан Айым Іңкәр:Инкар Гүлназ:Гульназ Сабина Әмина:Амина Ақбота:Акбота Аида Жадыра
Самал Әлима:Алима Мөлдір:Молдир Ақерке:Акерке Толқын:Толкын Күнсұлу:Кунсулу Индира Эльмира Маржан
Гүлсім:Гульсим"""
KZ_SURNAMES = """Ахметов Омаров Оспанов Алиев Сүлейменов:Сулейменов Ысқақов:Искаков Абдрахманов
Ибраимов Қалиев:Калиев Садықов:Садыков Жұмабаев:Жумабаев Қасымов:Касымов Исмаилов Кенжебаев
Серікбаев:Серикбаев Мусин Байжанов Есенов Жақыпов:Жакупов Төлегенов:Тулегенов Әбенов:Абенов
Нұрғалиев:Нургалиев Смағұлов:Смагулов Мұқанов:Муканов Бекмұханов:Бекмуханов Сұлтанов:Султанов
Ибрагимов Әубәкіров:Аубакиров Бейсенов Жүнісов:Жунусов Құсайынов:Кусаинов Рахимов
Мұхаметжанов:Мухаметжанов Нұрпейісов:Нурпеисов Әбішев:Абишев Ермеков Сапаров Дәулетов:Даулетов
Есімов:Есимов Тасмағамбетов:Тасмагамбетов Қожахметов:Кожахметов Әміров:Амиров Өтебаев:Утебаев
Айтжанов Асанов Аманжолов Баймұханов:Баймуханов Ержанов Жұмағұлов:Жумагулов Исабеков
Нұркенов:Нуркенов Рахметов Сәрсенбаев:Сарсенбаев Тұрсынов:Турсунов Оразбаев:Уразбаев Шарипов
Мәмбетов:Мамбетов Нұржанов:Нуржанов Дүйсенов:Дюсенов Шаймерденов Мұратов:Муратов Болатов
Қадыров:Кадыров Тілеубаев:Тлеубаев Мырзахметов Сейітжанов:Сейтжанов Мұқашев:Мукашев
Тоқтаров:Токтаров Бектұров:Бектуров Нұрланов:Нурланов Қуанышев:Куанышев Байғабылов:Байгабылов
Жаңабаев:Жанабаев Әлімбетов:Алимбетов Ахмедиев Қабдуллин:Кабдуллин Тәжібаев:Тажибаев
Садуақасов:Садвакасов"""
# Kazakh surnames are a male ancestor's name with -ов/-ев, -баев, -беков or -ұлы: beyond the head
# above (an eighth of Kazakhs), surnames are formed that way from older given names and, for younger
# families, from today's (Нурланов), evenly, which gives the long, flat tail real registers have.
KZ_HEAD_SHARE = 0.12
KZ_TAIL_SUFFIXES = {"": 0.4, "баев": 0.3, "беков": 0.15, "ұлы": 0.15}
KZ_ANCESTORS = """Жұма:Жума Серік:Серик Кенже Тілеу:Тлеу Дүйсен:Дюсен Сәрсен:Сарсен Есен Байжан
Мұқан:Мукан Сағын:Сагын Тұрсын:Турсун Әбділ:Абдиль Жақып:Жакуп Ыбырай:Ибрай Қожа:Кожа Бекет
Мәлік:Малик Әлжан:Альжан Сейіт:Сеит Тоқта:Токта Ораз:Ураз Бекен Иса Мұса:Муса Жүсіп:Жусуп Ахмет
Омар Оспан Сұлтан:Султан Нұрпейіс:Нурпеис Қали:Кали Садық:Садык Шәкен:Шакен Жаңа:Жана
Айтқали:Айткали Ермек Бейсен Қасым:Касым Әубәкір:Аубакир Тасбол Дәулет:Даулет Үсен:Усен
Тұрар:Турар Ержан Мырза:Мырза Ілияс:Ильяс Сапар Құдайберген:Кудайберген Рахым:Рахим
Бекмұхан:Бекмухан Жолдас Қайыр:Каир Ізбасар:Избасар Байбол Мақаш:Макаш Шойын:Шоин Әлім:Алим
Түгел:Тугел Сейдахмет Бөкей:Букей Ағыбай:Агыбай Айдарбек Ақан:Акан Алпысбай Аманбай
Әмірхан:Амирхан Бағдат:Багдат Байбосын Байғали:Байгали Бақтыбай:Бактыбай Балтабай Бейсембай
Бердібек:Бердибек Біржан:Биржан Досмұхамед:Досмухамед Едіге:Едиге Елеу Жақсыбай:Жаксыбай
Жанғали:Жангали Жантас Жәнібек:Жанибек Жексен Жолмұхамед:Жолмухамед Жұмағали:Жумагали
Ибраһим:Ибрагим Ісмағұл:Исмагул Қайыржан:Каиржан Қалдыбай:Калдыбай Қара:Кара Қарабай:Карабай
Құрман:Курман Күзембай:Кузембай Мағзұм:Магзум Мақсұт:Максут Мұхамбет:Мухамбет Мырзабек Нартай
Ниязбек Нұртай:Нуртай Оңғар:Онгар Оразалы Өмірзақ:Умирзак Рысбек Сабыр Сағат:Сагат Сайлау Сарыбай
Сейтқали:Сейткали Сембай Серғазы:Сергазы Сыздық:Сыздык Тайыр:Таир Тасқын:Таскын
Тәңірберген:Тангирберген Тұяқ:Туяк Түсіп:Тусип Үмбетали:Умбеталы Шалбай Шәріп:Шарип Шыңғыс:Чингиз
Ыдырыс:Идрис Әкім:Аким Әлібек:Алибек Бекбол Бәйтен:Байтен Дәуіт:Даут Есқали:Ескали Жалел
Жүніс:Жунус Қонай:Конай Кәрім:Карим Көшен:Кушен Мұқаш:Мукаш Нұрғиса:Нургиса Орынбай Сәду:Саду
Сүлей:Сулей Тоқтар:Токтар Ұзақ:Узак Шаймерден Әшім:Ашим"""
RU_MALE = """Александр Сергей Андрей Владимир Дмитрий Алексей Евгений Николай Виктор Игорь Юрий
Михаил Олег Иван Максим Денис Павел Артём Роман Константин Вячеслав Валерий Геннадий Анатолий
Виталий Владислав Никита Кирилл Даниил Илья Антон Василий Пётр Борис Григорий Станислав Леонид
Вадим Егор Тимофей Глеб Аркадий Степан Фёдор Эдуард Ярослав Богдан Матвей"""
RU_FEMALE = """Елена Татьяна Наталья Ольга Ирина Светлана Анна Марина Юлия Екатерина Людмила
Галина Валентина Надежда Оксана Анастасия Мария Лариса Вера Любовь Алёна Виктория Дарья Ксения
Полина Евгения Кристина Нина Тамара Жанна Инна Алла Яна Софья Диана Алина Вероника Зинаида Раиса
Лидия Маргарита Елизавета Снежана Ангелина"""
RU_SURNAMES = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров
Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев
Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин
Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов
Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Бондаренко
Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Ткаченко Куликов Карпов
Власов Мельников Денисов Гаврилов Тихонов Шевченко Казаков Афанасьев Данилов Савельев Тимофеев
Коваленко Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Кравченко Калинин Исаев
Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Шмидт Филатов Пономарёв Голубев
Кудрявцев Прохоров Наумов Потапов Журавлёв Мельник Овчинников Трофимов Леонов Соболев Ермаков
Колесников Гончаров Емельянов Миллер Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов
Литвиненко Малышев Панов Моисеев Румянцев Вагнер Акимов Кондратьев Бирюков Горбунов Бойко Анисимов
Ерёмин Савченко Тихомиров Галкин Беккер Лукьянов Михеев Скворцов Юдин Ковальчук Белоусов Нестеров
Симонов Шульц Прокофьев Харитонов Князев Руденко Цветков Левин Митрофанов Воронов Аксёнов Мальцев
Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов
Жданов"""
UZ_MALE = """Рустам Шерзод Бахтиёр Дилшод Улугбек Азиз Фаррух Жасур Отабек Санжар Бобур Шухрат
Равшан Алишер Акмал Баходир Тимур Фарход Ильхом Абдулла Собир Зафар Джамшид Анвар Рашид Хуршид
Нодир Сардор Шавкат Мурод"""
UZ_FEMALE = """Дилноза Гулноза Нилуфар Зарина Феруза Шахноза Дильфуза Мохира Севара Мавлюда
Гулчехра Нигора Малика Умида Дилором Лола Мадина Гульнара Саида Нодира Муниса Барно Юлдуз"""
UZ_SURNAMES = """Юсупов Каримов Рахимов Усманов Турсунов Абдуллаев Исмаилов Алимов Хакимов Юлдашев
Мирзаев Ахмедов Эргашев Нурматов Султанов Рашидов Хасанов Хамидов Саидов Азимов Мухамедов Умаров
Назаров Ташкентов Холматов Кадыров Садыков Шарипов Мамадалиев Исламов"""
UG_MALE = """Алимжан Ахмеджан Тахир Шухрат Ильхам Рашид Эркин Мурат Абдумажит Нурмухаммед Дильшат
Хамит Кахриман Азат Ильяр Абдурашит Махмут Дилмурат Адил Мухтар Рустам Алим"""
UG_FEMALE = """Гулнара Зульфия Мадина Патигуль Райхан Гулмира Сурайя Назугум Малика Дильнара Айнур
Зухра Рахила Мехригуль Гульчехра Хасиет Нурия Гулбахрам Мунира Азиза"""
UG_SURNAMES = """Исмаилов Абдуллаев Юсупов Турсунов Хасанов Ниязов Сабиров Масимов Касымов
Розахунов Мамутов Кадыров Аюпов Кутлуков Тохтиев Мусаев Нурахунов Ахметов Баратов Зайнутдинов
Мухамедиев Хамраев Садыров Гаипов Ибрагимов Исаев"""
TT_MALE = """Ринат Рустам Ильдар Марат Айрат Радик Рамиль Ильнур Фарид Тимур Рафаэль Ренат Ильшат
Азат Рафис Равиль Альберт Дамир Наиль Рифат Линар Булат"""
TT_FEMALE = """Гульнара Альфия Эльвира Лилия Резеда Гузель Дина Ляйсан Венера Айгуль Гульшат Алсу
Зульфия Розалия Ильмира Чулпан Эльмира Лейла Рамиля Гульфия"""
TT_SURNAMES = """Сафин Хабибуллин Галиев Ахметшин Гарипов Валиев Шакиров Гайнуллин Зарипов Хасанов
Мухаметзянов Закиров Нуриев Фаттахов Сабиров Камалов Юсупов Шарафутдинов Исмагилов Латыпов Гилязов
Мингазов Хайруллин Садыков Абдуллин Ибрагимов Файзуллин Газизов"""
# Koryo-saram surnames as written in Russian; Ким, Пак (Park), Ли, Цой (Choi), Тен (Jeong) ...
KO_SURNAMES = """Ким Пак Ли Цой Тен Хан Хегай Югай Ни Шин Ан Нам Кан Огай Тян Лим Хван Пя Дян
Когай Со Мун Тё Ян Чжан Ко Ем Нигай Ха"""

KZ_TABLES: dict[str, tuple[str, str, str]] = {
    "Kazakh": (KZ_MALE, KZ_FEMALE, KZ_SURNAMES),
    "Russian": (RU_MALE, RU_FEMALE, RU_SURNAMES),
    "Uzbek": (UZ_MALE, UZ_FEMALE, UZ_SURNAMES),
    "Uyghur": (UG_MALE, UG_FEMALE, UG_SURNAMES),
    "Tatar": (TT_MALE, TT_FEMALE, TT_SURNAMES),
    "Korean": (RU_MALE, RU_FEMALE, KO_SURNAMES),  # Koryo-saram carry Russian given names
}
# Zipf-Mandelbrot (q, s) per kind of table: weight of the name at rank r is 1 / (r + q) ** s.
KZ_ZIPF = {
    "given": (4.0, 1.0),
    "surname": (5.0, 1.0),
    "Kazakh surname": (3.0, 1.0),
    "Russian surname": (25.0, 1.0),
    "Korean surname": (0.0, 1.6),
}


def kz_items(text: str) -> list[tuple[str, str]]:
    """'Kazakh:Russian' items of a table as (kk, ru) spellings."""
    out = []
    for item in text.split():
        kk, _, ru = item.partition(":")
        out.append((kk, ru or kk))
    return out


def kz_pool(text: str, kind: str) -> list[tuple[tuple[str, str], float]]:
    """A table's names with Zipf-Mandelbrot weights by their rank."""
    q, s = KZ_ZIPF[kind]
    return [(pair, 1 / (rank + q) ** s) for rank, pair in enumerate(kz_items(text), start=1)]


class PairPool:
    """(kk, ru) name pairs with weights."""

    def __init__(self, items: Sequence[tuple[tuple[str, str], float]]) -> None:
        self.pairs = [pair for pair, _ in items]
        self.cum = list(itertools.accumulate(weight for _, weight in items))

    def draw(self, rng: random.Random) -> tuple[str, str]:
        """One pair, in proportion to its weight."""
        return self.pairs[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def derived_surname(father: str) -> str:
    """A Kazakh surname formed from a male name: Серік -> Серікбаев or Серіков, Абай -> Абаев."""
    if father.endswith(("й", "ь")):
        return father[:-1] + "ев"
    if father[-1] in "аеиоуыіұүәө":
        return father + "ев"
    return father + "ов"


def female_surname(surname: str) -> str:
    """The feminine form of a Russian-pattern surname (Ахметов -> Ахметова); others unchanged."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ұлы", "улы")):
        return surname[:-3] + ("қызы" if surname.endswith("ұлы") else "кызы")
    return surname


RU_PATRONYMIC_IRREGULAR = {
    "Илья": ("Ильич", "Ильинична"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Лев": ("Львович", "Львовна"),
}


def ru_patronymic(father: str, female: bool) -> str:
    """A Russian-style patronymic: Нурлан -> Нурланович / Нурлановна, Сергей -> Сергеевич."""
    if father in RU_PATRONYMIC_IRREGULAR:
        male_form, female_form = RU_PATRONYMIC_IRREGULAR[father]
        return female_form if female else male_form
    if father.endswith("ий") and not set(father[-4:-2].lower()) & VOWELS:
        stem, male, fem = father[:-2], "иевич", "иевна"  # Дмитрий -> Дмитриевич
    elif father.endswith("ий"):
        stem, male, fem = father[:-2], "ьевич", "ьевна"
    elif father.endswith(("й", "ь")):
        stem, male, fem = father[:-1], "евич", "евна"
    elif father.endswith(("а", "я")):
        stem, male, fem = father[:-1], "ич", "ична"
    elif father[-1] in "еиоуыіұүә":
        stem, male, fem = father, "евич", "евна"
    else:
        stem, male, fem = father, "ович", "овна"
    return stem + (fem if female else male)


@dataclass(frozen=True)
class KzPerson:
    """One customer's name parts, each as (Kazakh, Russian) Cyrillic spellings."""

    group: str
    female: bool
    given: tuple[str, str]
    surname: tuple[str, str]
    patronymic: tuple[str, str]


class KzNames:
    """The tables of the Kazakhstan population as weighted pools."""

    def __init__(self) -> None:
        self.groups = Pool(list(KZ_GROUPS.items()))
        self.male: dict[str, PairPool] = {}
        self.female: dict[str, PairPool] = {}
        self.surnames: dict[str, PairPool] = {}
        for group, (male, female, surnames) in KZ_TABLES.items():
            self.male[group] = PairPool(kz_pool(male, "given"))
            self.female[group] = PairPool(kz_pool(female, "given"))
            kind = f"{group} surname" if f"{group} surname" in KZ_ZIPF else "surname"
            self.surnames[group] = PairPool(kz_pool(surnames, kind))
        # the tail of Kazakh surnames: every ancestor name alike
        head = {pair[1] for pair in kz_items(KZ_SURNAMES)}
        # a name ending in -й (Қалдыбай) makes one surname (Калдыбаев), the others four
        ancestors = [
            (pair, 0.4 if pair[1].endswith("й") else 1.0)
            for pair in kz_items(KZ_ANCESTORS)
            if derived_surname(pair[1]) not in head
        ]
        modern = [(pair, 0.2) for pair in kz_items(KZ_MALE) if derived_surname(pair[1]) not in head]
        self.ancestors = PairPool(ancestors + modern)
        self.old_names = {pair for pair, _ in ancestors}

    def person(self, rng: random.Random) -> KzPerson:
        """A customer of a random tradition, with a patronymic written one of the usual ways."""
        group = self.groups.draw(rng)
        female = rng.random() < 0.5
        given = (self.female if female else self.male)[group].draw(rng)
        if group == "Kazakh" and rng.random() > KZ_HEAD_SHARE:
            ancestor = self.ancestors.draw(rng)
            suffix = ""
            if ancestor in self.old_names and not ancestor[1].endswith("й"):
                suffix = rng.choices(list(KZ_TAIL_SUFFIXES), list(KZ_TAIL_SUFFIXES.values()))[0]
            if suffix == "ұлы":
                surname = (ancestor[0] + "ұлы", ancestor[1] + "улы")
            else:
                surname = tuple(
                    name + suffix if suffix else derived_surname(name) for name in ancestor
                )
        else:
            surname = self.surnames[group].draw(rng)
        surname = (female_surname(surname[0]), female_surname(surname[1])) if female else surname
        father = self.male["Russian" if group == "Korean" else group].draw(rng)
        return KzPerson(group, female, given, (surname[0], surname[1]),
                        self.patronymic(rng, group, father, female))  # fmt: skip

    @staticmethod
    def patronymic(
        rng: random.Random, group: str, father: tuple[str, str], female: bool
    ) -> tuple[str, str]:
        """How the patronymic is written: -ович/-овна, -ұлы/-қызы (or -улы/-кызы in Russian
        letters, joined or apart), Uzbek угли/кизи, or none."""
        kinds = {"Kazakh": (55, 20, 0, 25), "Uzbek": (50, 0, 20, 30)}.get(group, (75, 0, 0, 25))
        kind = rng.choices(("ru", "kk", "uz", "none"), weights=kinds)[0]
        if kind == "ru":
            return (ru_patronymic(father[0], female), ru_patronymic(father[1], female))
        if kind == "kk":
            kk = father[0] + ("қызы" if female else "ұлы")
            ru_suffix = "кызы" if female else "улы"
            ru = father[1] + (f" {ru_suffix}" if rng.random() < 0.3 else ru_suffix)
            return (kk, ru)
        if kind == "uz":
            suffix = " кизи" if female else " угли"
            return (father[0] + suffix, father[1] + suffix)
        return ("", "")


# Romanisation, written here and not taken from finmon. ICAO 9303 (machine-readable passports;
# Kazakhstan's passports apply it to the Kazakh spelling, its letters folded to the nearest Latin).
ICAO = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia a g k n o u u h i"
    .split(), strict=True,
))  # fmt: skip
ICAO["ь"] = ""
# Informal romanisations customers' files carry, applied over the ICAO table: English-style (Yu,
# Ya, Ye-), Kazakh-style (Q, Gh, Ng, J for Ж, H for Х) and French-style (J, I for Й and Ы, Iu).
INFORMAL = (
    {"ё": "yo", "й": "y", "ю": "yu", "я": "ya", "ъ": "", "ы": "y", "ү": "u", "ұ": "u"},
    {"ж": "j", "х": "h", "й": "y", "ю": "yu", "я": "ya", "қ": "q", "ғ": "gh", "ң": "ng",
     "ә": "ae", "ө": "oe", "ү": "ue", "ц": "c", "ъ": ""},
    {"ж": "j", "х": "kh", "й": "i", "ю": "iu", "я": "ia", "ы": "i", "щ": "sch", "ъ": ""},
)  # fmt: skip
VOWELS = set("аәеёиоөуұүыіэюя")


def romanise(text: str, table: dict[str, str], ye: bool = False) -> str:
    """Cyrillic to Latin with a letter table; `ye` writes Е as Ye at a word's start or after a
    vowel, as English-style spellings do (Yerlan, Sergeyev)."""
    out = []
    for i, char in enumerate(text):
        low = char.lower()
        if low not in table:
            out.append(char)
            continue
        latin = table[low]
        after_vowel = i == 0 or not text[i - 1].isalpha() or text[i - 1].lower() in VOWELS
        if ye and low == "е" and after_vowel:
            latin = "ye"
        if char.isupper():
            # ЖҰМАБАЕВ -> ZHUMABAEV, Жұмабаев -> Zhumabaev
            capitals = text[max(0, i - 1) : i + 2].replace(char, "", 1)
            latin = latin.upper() if any(c.isupper() for c in capitals) else latin.capitalize()
        out.append(latin)
    return "".join(out)


def kz_render(rng: random.Random, person: KzPerson) -> tuple[str, str, str, str]:
    """(first, middle, last, full) as one customer file would carry the name."""
    style = rng.choices(("ru", "kk", "icao", "informal"), weights=(45, 15, 25, 15))[0]
    kazakh_letters = style == "kk" or (style == "icao" and person.group == "Kazakh")
    if style == "informal":
        kazakh_letters = person.group == "Kazakh" and rng.random() < 0.3
    side = 0 if kazakh_letters else 1
    parts = [person.given[side], person.patronymic[side], person.surname[side]]
    if style == "icao":
        parts = [romanise(part, ICAO) for part in parts]
        if rng.random() < 0.7:
            parts[1] = ""  # Kazakhstan's passports carry no patronymic
    elif style == "informal":
        table = {**ICAO, **rng.choice(INFORMAL)}
        parts = [romanise(part, table, ye=rng.random() < 0.5) for part in parts]
    if rng.random() < (0.7 if style == "icao" else 0.15):
        parts = [part.upper() for part in parts]
    first, middle, last = parts
    if rng.random() < 0.55:  # surname first, as Kazakhstan's forms and registers write it
        full = " ".join(part for part in (last, first, middle) if part)
    else:
        full = " ".join(part for part in (first, middle, last) if part)
    return first, middle, last, full


NAMESAKE_SHARE = 0.05


def kazakhstan(size: int, seed: int) -> list[Row]:
    """A Kazakhstan customer base of people on no list, with namesakes."""
    names = KzNames()
    rng = random.Random(f"kazakhstan:{seed}")
    rows: list[Row] = []
    while len(rows) < size:
        if rows and rng.random() < NAMESAKE_SHARE:
            # a namesake: the same name as written for an earlier customer, another birth date
            row = dict(rows[rng.randrange(len(rows))])
            row["date_of_birth"] = birth_date(rng)
            rows.append(row)
            continue
        person = names.person(rng)
        first, middle, last, full = kz_render(rng, person)
        gender = "female" if person.female else "male"
        rows.append(make_row(first, middle, last, full, gender, rng, "Kazakhstan", person.group,
                             "bench tables"))  # fmt: skip
    return rows


# --- (c) faker, the held-out second source -------------------------------------------------------

# Faker locales whose person names Faker writes in the country's script (ar_EG, ar_AE, ar_JO and
# ar_BH fall back to English names and are left out; Faker has no kk_KZ or ur_PK), with weights
# that give the same regions as the multicultural population roughly the same room.
FAKER_LOCALES: dict[str, tuple[str, float]] = {
    "ar_SA": ("Middle East", 8), "ar_PS": ("Middle East", 4), "fa_IR": ("Middle East", 6),
    "tr_TR": ("Middle East", 4), "he_IL": ("Middle East", 2),
    "hi_IN": ("South Asia", 3), "bn_BD": ("South Asia", 2), "ne_NP": ("South Asia", 1),
    "ta_IN": ("South Asia", 1),
    "uz_UZ": ("Central Asia & Caucasus", 3), "az_AZ": ("Central Asia & Caucasus", 2),
    "hy_AM": ("Central Asia & Caucasus", 1), "ka_GE": ("Central Asia & Caucasus", 1),
    "ru_RU": ("Europe", 6), "uk_UA": ("Europe", 3), "en_GB": ("Europe", 2),
    "de_DE": ("Europe", 2), "fr_FR": ("Europe", 2), "es_ES": ("Europe", 2), "it_IT": ("Europe", 2),
    "pl_PL": ("Europe", 1.5), "el_GR": ("Europe", 1),
    "zh_CN": ("East Asia", 6), "zh_TW": ("East Asia", 2), "ja_JP": ("East Asia", 4),
    "ko_KR": ("East Asia", 3),
    "en_US": ("Other", 3), "id_ID": ("Other", 1.5), "vi_VN": ("Other", 1), "th_TH": ("Other", 1),
}  # fmt: skip
EAST_ASIAN_LOCALES = frozenset({"zh_CN", "zh_TW", "ko_KR", "ja_JP"})
PATRONYMIC_LOCALES = frozenset({"ru_RU", "uk_UA"})


def faker_version() -> str:
    """The installed Faker version (the bench extra)."""
    return metadata.version("faker")


@functools.cache
def _fakers() -> dict[str, Any]:
    from faker import Faker

    return {locale: Faker(locale) for locale in sorted(FAKER_LOCALES)}


def faker(size: int, seed: int) -> list[Row]:
    """People on no list with names from Faker's locales, in the scripts Faker writes them."""
    fakers = _fakers()
    for index, locale in enumerate(sorted(FAKER_LOCALES)):
        fakers[locale].seed_instance(seed * 1000 + index)
    locales = Pool([(locale, weight) for locale, (_, weight) in FAKER_LOCALES.items()])
    source = f"faker {faker_version()}"
    rng = random.Random(f"faker:{seed}")
    rows = []
    while len(rows) < size:
        locale = locales.draw(rng)
        fake = fakers[locale]
        female = rng.random() < 0.5
        first = str(fake.first_name_female() if female else fake.first_name_male())
        last = str(fake.last_name_female() if female else fake.last_name_male())
        middle = ""
        if locale in PATRONYMIC_LOCALES and rng.random() < 0.5:
            middle = str(fake.middle_name_female() if female else fake.middle_name_male())
        if locale in EAST_ASIAN_LOCALES:
            full = _east_asian_order(rng, first, last, locale[-2:])
        elif middle and rng.random() < 0.5:
            full = f"{last} {first} {middle}"
        else:
            full = " ".join(part for part in (first, middle, last) if part)
        origin = f"{FAKER_LOCALES[locale][0]}/{locale}"
        gender = "female" if female else "male"
        country = country_name(locale.split("_")[1])
        rows.append(make_row(first, middle, last, full, gender, rng, country, origin, source))
    return rows


# --- command line --------------------------------------------------------------------------------

GENERATORS: dict[str, Callable[[int, int], list[Row]]] = {
    "multicultural": multicultural,
    "kazakhstan": kazakhstan,
    "faker": faker,
}


def generate(population: str, size: int, seed: int) -> list[Row]:
    """The rows of a population."""
    return GENERATORS[population](size, seed)


def main(argv: Sequence[str] | None = None) -> int:
    """Write one population to a CSV file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", choices=sorted(GENERATORS))
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = generate(args.population, args.size, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_csv(rows), encoding="utf-8")
    print(f"{len(rows)} people written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
