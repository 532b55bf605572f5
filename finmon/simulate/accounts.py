"""Every account of the simulated world, in columns, with its number and its holder's identifier.

Domestic accounts are IBANs as Kazakhstan writes them: KZ, two check digits (ISO 13616, mod 97),
a 3-digit bank code and 13 digits. Holders carry a 12-digit IIN (people, individual
entrepreneurs) or BIN (organisations) with a valid check digit. Foreign accounts follow their
country's IBAN length where it has one, else a plain account number of a usual length.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from finmon.lists.identifiers import iin_check_digit, iin_head

KZ_BANKS = ("601", "722", "998", "856", "821", "551", "965", "948", "886", "914")
"""Bank codes of the simulated banks: plausible, not a register of real ones."""
IBAN_BBAN = {
    "TR": "5d1z16d", "AE": "3d16d", "GE": "2a16d", "DE": "18d", "GB": "4a14d", "NL": "4a10d",
    "SA": "2d18d", "IQ": "4a15d", "IR": "22d", "PK": "4a16d", "JO": "4a4d18d", "EG": "25d",
    "CH": "17d", "LY": "21d",
}  # fmt: skip
"""IBAN countries: the layout of the part after the check digits (d digits, a letters, z '0')."""
ACCOUNT_LENGTH = {
    "RU": 20, "UZ": 20, "KG": 16, "TJ": 20, "CN": 19, "US": 10, "KR": 13, "SY": 14, "AF": 12,
    "YE": 12, "SO": 10, "KP": 12, "ML": 12,
}  # fmt: skip
"""Countries without IBAN: digits in an account number."""
ID_LENGTH = {"RU": 12, "UZ": 14, "KG": 14, "TJ": 9, "TR": 11, "AE": 15, "CN": 18}
"""Digits of a personal identifier abroad (tax or personal number); passports elsewhere."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLUMNS = ("account", "name", "kind", "segment", "country", "typology", "listed")
"""accounts.csv, in order."""


class Accounts:
    """Accounts by index: number, holder's name and identifier, kind, segment, country, labels."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.number: list[str] = []
        self.name: list[str] = []
        self.party_id: list[str] = []
        self.kind: list[str] = []
        self.segment: list[str] = []
        self.country: list[str] = []
        self.typology: list[str] = []
        self.listed: list[bool] = []
        self._taken: set[str] = set()

    def __len__(self) -> int:
        return len(self.number)

    def add(self, name: str, party_id: str, kind: str, segment: str, country: str = "KZ") -> int:
        """A new account with a fresh number in its country; its index."""
        self.number.append(self._fresh(country))
        self.name.append(name)
        self.party_id.append(party_id)
        self.kind.append(kind)
        self.segment.append(segment)
        self.country.append(country)
        self.typology.append("")
        self.listed.append(False)
        return len(self.number) - 1

    def second(self, index: int) -> int:
        """Another account of the same holder (a savings account), at the same bank."""
        return self.add(
            self.name[index], self.party_id[index], self.kind[index], self.segment[index]
        )

    def foreign(self, country: str, name: str, kind: str = "person") -> int:
        """An account abroad, its holder with a foreign identifier."""
        return self.add(name, foreign_id(self.rng, country, kind), kind, "foreign", country)

    def label(self, index: int, typology: str) -> None:
        """Mark an account as a suspect of a typology (one typology an account)."""
        if self.typology[index] not in ("", typology):
            raise ValueError(f"account {index} is already a {self.typology[index]} suspect")
        self.typology[index] = typology

    def _fresh(self, country: str) -> str:
        while True:
            number = kz_iban(self.rng) if country == "KZ" else foreign_account(self.rng, country)
            if number not in self._taken:
                self._taken.add(number)
                return number


def iban(country: str, bban: str) -> str:
    """An IBAN with its check digits (ISO 13616: 98 - the number mod 97)."""
    digits = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def kz_iban(rng: np.random.Generator) -> str:
    """A Kazakhstan IBAN: KZ, check digits, a bank code and 13 digits."""
    bank = KZ_BANKS[int(rng.integers(len(KZ_BANKS)))]
    return iban("KZ", bank + _digits(rng, 13))


def foreign_account(rng: np.random.Generator, country: str) -> str:
    """An account number abroad: an IBAN where the country has them, else digits."""
    layout = IBAN_BBAN.get(country)
    if layout is None:
        return _digits(rng, ACCOUNT_LENGTH.get(country, 12))
    bban, count = [], ""
    for char in layout:
        if char.isdigit():
            count += char
            continue
        size = int(count)
        count = ""
        if char == "d":
            bban.append(_digits(rng, size))
        elif char == "a":
            bban.append("".join(LETTERS[i] for i in rng.integers(26, size=size)))
        else:
            bban.append("0" * size)
    return iban(country, "".join(bban))


def _digits(rng: np.random.Generator, count: int) -> str:
    """count random digits (up to 18 drawn at a time)."""
    parts = []
    while count > 0:
        size = min(count, 18)
        parts.append(f"{int(rng.integers(10**size)):0{size}d}")
        count -= size
    return "".join(parts)


def iin(rng: np.random.Generator, born: dt.date, female: bool) -> str:
    """An IIN: birth date, century-and-sex digit, serial, check digit."""
    return _checked(rng, iin_head(born, female))


def bin_number(rng: np.random.Generator, registered: dt.date, branch: str = "0") -> str:
    """A BIN of a resident legal entity: registration year and month, 4, attribute, serial."""
    return _checked(rng, f"{registered:%y%m}4{branch}")


def _checked(rng: np.random.Generator, head: str) -> str:
    """head + a random serial + the check digit; a serial with no valid digit is drawn again."""
    while True:
        first11 = head + _digits(rng, 11 - len(head))
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


def foreign_id(rng: np.random.Generator, country: str, kind: str) -> str:
    """A foreign party's identifier: a personal or tax number, or a passport or register
    number where the country's is not modelled."""
    if kind != "person":
        return f"{country}{_digits(rng, 10)}"
    size = ID_LENGTH.get(country)
    if size is None:
        letters = "".join(LETTERS[i] for i in rng.integers(26, size=2))
        return f"{letters}{_digits(rng, 7)}"
    return _digits(rng, size)
