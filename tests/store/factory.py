"""Small fictional lists built in code for store and CLI tests."""

from __future__ import annotations

import datetime as dt
import hashlib

from finmon.model import BirthDate, Designation, DesignationName, ParsedList, Schema

GIVEN = ["Aibek", "Dana", "Yerlan", "Saule", "Timur", "Aigerim", "Nurlan", "Madina", "Arman"]
FAMILY = ["Zhaksylykov", "Omarova", "Tulegenov", "Abenova", "Kassymov", "Iskakova", "Bekov"]


def designations(count: int, source: str = "un", start: int = 0) -> list[Designation]:
    """count fictional persons with distinct references and plausible names."""
    return [_person(source, i) for i in range(start, start + count)]


def parsed_list(
    count: int,
    published: str,
    *,
    source: str = "un",
    tag: str = "",
    start: int = 0,
) -> ParsedList:
    """A ParsedList whose file digest depends on its content, so equal inputs look identical."""
    published_at = dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC)
    digest = hashlib.sha256(f"{source}|{published}|{count}|{start}|{tag}".encode()).hexdigest()
    return ParsedList(
        source=source,
        format="un-xml",
        version=published,
        published_at=published_at,
        designations=designations(count, source, start),
        files=[(f"{source}-{published}{tag}.xml", digest)],
    )


def _person(source: str, i: int) -> Designation:
    name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]} {i}"
    return Designation(
        source=source,
        reference=f"{source.upper()}i.{i:05d}",
        schema=Schema.PERSON,
        names=[DesignationName(name)],
        birth_dates=[BirthDate.year(1950 + i % 50)],
        nationalities=["KZ"],
    )
