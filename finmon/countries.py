"""Country names and codes as lists write them, mapped to ISO 3166-1 alpha-2 codes.

Lists name countries in English (the UN's official forms such as "Iran (Islamic Republic of)",
OFAC's inverted forms such as "Korea, North"), by ISO code, by demonym ("Tunisian") and, on
Kazakhstan's lists and customer files, in Russian or Kazakh. pycountry supplies the ISO names;
the alias table below adds the rest.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

from finmon.errors import InputError

_ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE", "Emirates", "ОАЭ", "Объединенные Арабские Эмираты", "Біріккен Араб Әмірліктері"),
    "AF": ("Afghan", "Афганистан", "Ауғанстан"),
    "AM": ("Armenian", "Армения", "Армения Республикасы"),
    "AZ": ("Azerbaijani", "Азербайджан", "Әзірбайжан"),
    "BA": ("Bosnia", "Bosnian", "Босния и Герцеговина"),
    "BD": ("Bangladeshi", "Бангладеш"),
    "BE": ("Belgian", "Бельгия"),
    "BH": ("Bahraini", "Бахрейн"),
    "BN": ("Brunei",),
    "BO": ("Bolivia",),
    "BS": ("Bahamas",),
    "BY": ("Belarusian", "Беларусь", "Белоруссия", "Республика Беларусь"),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC", "Congo Kinshasa"),
    "CG": ("Republic of the Congo", "Congo Brazzaville"),
    "CH": ("Swiss", "Швейцария"),
    "CI": ("Ivory Coast", "Cote d Ivoire"),
    "CN": ("Chinese", "Китай", "КНР", "Қытай"),
    "CV": ("Cape Verde",),
    "DE": ("German", "Германия", "ФРГ"),
    "DZ": ("Algerian", "Алжир"),
    "EG": ("Egyptian", "Египет", "Мысыр"),
    "ER": ("Eritrean", "Эритрея"),
    "ET": ("Ethiopian", "Эфиопия"),
    "FR": ("French", "Франция"),
    "GB": ("UK", "Great Britain", "Britain", "British", "Великобритания", "Ұлыбритания"),
    "GE": ("Georgian", "Грузия"),
    "GM": ("Gambia",),
    "HK": (
        "Hong Kong",
        "Hong Kong Special Administrative Region",
        "China, Hong Kong Special Administrative Region",
        "Гонконг",
    ),
    "ID": ("Indonesian", "Индонезия"),
    "IL": ("Israeli", "Израиль"),
    "IN": ("Indian", "Индия", "Үндістан"),
    "IQ": ("Iraqi", "Ирак"),
    "IR": ("Iran", "Iranian", "Иран", "Исламская Республика Иран"),
    "IT": ("Italian", "Италия"),
    "JO": ("Jordanian", "Иордания"),
    "KG": (
        "Kyrgyz",
        "Kirghizia",
        "Кыргызстан",
        "Киргизия",
        "Кыргызская Республика",
        "Қырғызстан",
        "Қырғыз Республикасы",
    ),
    "KP": (
        "North Korea",
        "Korea North",
        "DPRK",
        "RPDC",
        "КНДР",
        "Северная Корея",
        "Солтүстік Корея",
    ),
    "KR": ("South Korea", "Korea South", "Южная Корея", "Республика Корея", "Оңтүстік Корея"),
    "KW": ("Kuwaiti", "Кувейт"),
    "KZ": (
        "Kazakh",
        "Kazakhstani",
        "Казахстан",
        "Республика Казахстан",
        "РК",
        "Қазақстан",
        "Қазақстан Республикасы",
    ),
    "LB": ("Lebanese", "Ливан"),
    "LY": ("Libyan", "Libyan Arab Jamahiriya", "Ливия"),
    "MA": ("Moroccan", "Марокко"),
    "MD": ("Moldovan", "Молдова", "Молдавия"),
    "MK": ("Macedonia", "Former Yugoslav Republic of Macedonia"),
    "ML": ("Malian", "Northern Mali", "Мали"),
    "MM": ("Burma", "Мьянма"),
    "MO": ("Macau", "Macao"),
    "MR": ("Mauritanian", "Мавритания"),
    "MY": ("Malaysian", "Малайзия"),
    "NL": ("Dutch", "Holland", "Нидерланды"),
    "NG": ("Nigerian", "Нигерия"),
    "OM": ("Omani", "Sultanate of Oman", "Оман"),
    "PH": ("Filipino", "Филиппины"),
    "PK": ("Pakistani", "Пакистан", "Пәкістан"),
    "PS": (
        "Palestine",
        "Palestinian",
        "Palestinian Territories",
        "Occupied Palestinian Territory",
        "Gaza",
        "West Bank",
        "Палестина",
    ),
    "QA": ("Qatari", "Катар", "Қатар"),
    "RU": (
        "Russia",
        "Russian",
        "Россия",
        "Российская Федерация",
        "РФ",
        "Ресей",
        "Ресей Федерациясы",
    ),
    "SA": ("Saudi", "Saudi Arabian", "Саудовская Аравия", "Сауд Арабиясы"),
    "SD": ("Sudanese", "Судан"),
    "SO": ("Somali", "Сомали"),
    "SS": ("South Sudanese", "Южный Судан"),
    "SY": ("Syria", "Syrian", "Сирия", "Сирийская Арабская Республика"),
    "TJ": ("Tajik", "Таджикистан", "Республика Таджикистан", "Тәжікстан"),
    "TM": ("Turkmen", "Туркменистан", "Туркмения", "Түрікменстан"),
    "TN": ("Tunisian", "Тунис"),
    "TR": ("Turkey", "Turkish", "Турция", "Түркия"),
    "TZ": ("Tanzanian",),
    "UA": ("Ukrainian", "Crimea", "Украина"),
    "US": ("USA", "United States", "American", "США", "Соединенные Штаты Америки", "АҚШ"),
    "UZ": ("Uzbek", "Узбекистан", "Республика Узбекистан", "Өзбекстан"),
    "VN": ("Vietnam", "Vietnamese"),
    "XK": ("Kosovo", "Republic of Kosovo", "Косово"),
    "TL": ("East Timor", "Timor-Leste", "Восточный Тимор"),
    "YE": ("Yemeni", "Йемен", "Иемен"),
}

# Leading words that qualify a country without changing it ("Region: Gaza", "possibly Ethiopian").
_QUALIFIERS = re.compile(r"^(?:region|possibly|probably|presumably|reportedly)\b[\s:]*", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[\W_]+")
_ENDINGS = re.compile(r"\s+(?:passport|by birth|citizenship\b.*|as at\b.*|in custody)$", re.I)


def to_iso2(text: str | None) -> str | None:
    """Map a country name, ISO alpha-2/alpha-3 code, demonym or Russian/Kazakh name to alpha-2."""
    if text is None:
        return None
    return _lookup(text.strip())


def given_country(text: str) -> str | None:
    """A country as a person or a file gives it: a short word is a code, whatever its case
    ("kz", "kaz"), and so is a number of one to three digits (ISO 3166 numeric, as banking
    systems export it: 398 Kazakhstan); anything longer is looked up as to_iso2 does."""
    text = text.strip()
    if text.isdigit() and len(text) <= 3:
        country = pycountry.countries.get(numeric=text.zfill(3))
        return str(country.alpha_2) if country else None
    return to_iso2(text.upper() if len(text) <= 3 else text)


def country_code(text: str, where: str) -> str:
    """given_country, or InputError naming where the value stands when it is no country."""
    code = given_country(text)
    if code is None:
        raise InputError(f"{where}: {text!r} is not a country finmon knows")
    return code


def countries_in(text: str | None) -> list[str]:
    """All ISO alpha-2 codes named by a value such as "Sudan/South Sudan" or "Iran / unknown"."""
    code = to_iso2(text)
    if code or not text:
        return [code] if code else []
    found: list[str] = []
    for part in re.split(r"/|\bor\b|;", text):
        part_code = to_iso2(part)
        if part_code and part_code not in found:
            found.append(part_code)
    return found


def is_country_name(text: str | None) -> bool:
    """True when the text as written, with no qualifier or note to drop, names a country."""
    if not text or not text.strip():
        return False
    plain = " ".join(text.split())
    return (plain.isupper() and _code(plain) is not None) or _key(plain) in _index()


@lru_cache(maxsize=8192)
def _lookup(text: str) -> str | None:
    if not text:
        return None
    if text.isupper() and len(text) in (2, 3):
        code = _code(text)
        if code:
            return code
    for variant in _variants(text):
        code = _index().get(_key(variant))
        if code:
            return code
    return None


def _code(text: str) -> str | None:
    if text == "XK" or text == "XKX":
        return "XK"
    country = pycountry.countries.get(alpha_2=text) or pycountry.countries.get(alpha_3=text)
    return str(country.alpha_2) if country else None


def _variants(text: str) -> list[str]:
    """The text as written, then progressively loosened readings of it."""
    text = " ".join(text.split())
    loose = _ENDINGS.sub("", _QUALIFIERS.sub("", text)).strip(" .;,")
    variants = [text, loose]
    if ":" in loose:
        variants.append(loose.rsplit(":", 1)[1])
    if ". " in loose:
        variants.append(loose.split(". ", 1)[0])
    variants.append(_PARENTHESES.sub("", loose))
    return [v for v in variants if v.strip()]


def _key(text: str, invert: bool = True) -> str:
    """Casefolded, accent-free, punctuation-free, with "X, Y" forms turned to "Y X"."""
    text = text.replace("&", " and ")
    if invert and text.count(",") == 1:
        head, tail = text.split(",")
        text = f"{tail} {head}"
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NOT_WORD.sub(" ", bare).split()
    if words and words[0] == "the":
        words = words[1:]
    words = ["saint" if w == "st" else w for w in words]
    return " ".join(words)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                index.setdefault(_key(name), country.alpha_2)
                index.setdefault(_key(name, invert=False), country.alpha_2)
    for code, names in _ALIASES.items():
        for name in names:
            index[_key(name)] = code
    return index


_NO_CURRENCY = frozenset({"XXX", "XTS"})
"""ISO 4217's codes for no currency and for testing: nothing is paid in them."""


def to_currency(text: str) -> str | None:
    """The ISO 4217 alphabetic code written in any case; None if ISO 4217 has no such currency."""
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or code in _NO_CURRENCY:
        return None
    return code if pycountry.currencies.get(alpha_3=code) is not None else None
