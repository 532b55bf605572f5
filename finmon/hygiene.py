"""Input hygiene shared by every door: text must be text and numbers must be finite.

Python's JSON reader accepts an escaped unpaired surrogate (`"\\udcff"`), `NaN`, `Infinity` and
`1e400` (read as infinity); none of them can be stored, printed as UTF-8 or compared as a number,
so each is refused where it enters - a request body, a file, a command-line argument - with an
InputError naming the field, line or argument. Text that is stored must hold no NUL character
either (`refuse_nul`): PostgreSQL cannot store one, so neither store is given one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from finmon.errors import InputError


def printable(text: str) -> str:
    """The text with each unpaired surrogate written as its escape (`\\udcff`), for messages."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def is_text(text: str) -> bool:
    """Whether the string can be written as UTF-8 (it holds no unpaired surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


NUL_REFUSED = "a NUL character is not text"


def refuse_nul(value: str, place: str = "", error: type[Exception] = InputError) -> str:
    """The text, or `error` (InputError; a pydantic validator gives ValueError) naming the place
    when it holds a NUL character."""
    if "\x00" in value:
        raise error(f"{place}: {NUL_REFUSED}" if place else NUL_REFUSED)
    return value


def problems(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(field, what is wrong) for each unpaired surrogate and non-finite number in a decoded
    JSON value; fields are written `a.b[0].c`."""
    if isinstance(value, str):
        if not is_text(value):
            yield where, f"'{printable(value)[:60]}' holds an unpaired surrogate: it is not text"
    elif isinstance(value, float):
        if not math.isfinite(value):
            yield where, f"{value} is not a finite number"
    elif isinstance(value, dict):
        for key, item in value.items():
            field = f"{where}.{printable(key)}" if where else printable(key)
            if not is_text(key):
                yield field, "the field's name holds an unpaired surrogate: it is not text"
            yield from problems(item, field)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from problems(item, f"{where}[{position}]")


def check_json(value: Any, place: str) -> Any:
    """The decoded JSON value; InputError naming the place and the first unsound field."""
    for field, problem in problems(value):
        raise InputError(f"{place}: {field or 'the value'}: {problem}")
    return value


def loads(text: str | bytes, place: str) -> Any:
    """json.loads, then `check_json`; a JSONDecodeError is left to the caller."""
    return check_json(json.loads(text), place)


AMOUNT_DIGITS = 20
"""Digits an amount may have in all (ISO 20022 allows 18; 20 leaves room and fits the store)."""
AMOUNT_DECIMALS = 4
"""Digits an amount may have after the point."""


def parse_amount(text: str, field: str = "amount") -> Decimal:
    """A money amount written as text ('1 500,00' too): finite, positive, at most AMOUNT_DIGITS
    digits of which AMOUNT_DECIMALS after the point; InputError naming the field otherwise."""
    try:
        value = Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise InputError(f"{field} '{printable(text)}' is not a number") from None
    if not value.is_finite() or value <= 0:
        raise InputError(f"{field} '{printable(text)}' must be a positive number")
    digits, exponent = value.normalize().as_tuple()[1:]
    assert isinstance(exponent, int)  # finite
    decimals = max(0, -exponent)
    if decimals > AMOUNT_DECIMALS or max(len(digits), len(digits) + exponent) > AMOUNT_DIGITS:
        raise InputError(
            f"{field} '{printable(text)}' is out of range: at most {AMOUNT_DIGITS} digits, "
            f"{AMOUNT_DECIMALS} of them after the point"
        )
    return value
