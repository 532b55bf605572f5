"""Manifest screening: every traveller of a PAXLST file screened against every loaded list with
their name, birth date, nationality and travel documents (a document number on the list decides)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from finmon.model import Party, Schema
from finmon.screening import Screener
from finmon.travel.mrz import Mrz
from finmon.travel.paxlst import Manifest, PaxlstReading, Traveller, read_manifests

PEOPLE = frozenset({Schema.PERSON, Schema.UNKNOWN})
"""What a traveller can be on a list: a person, or a designation of unknown kind (organisations,
vessels and aircraft do not travel)."""


def screen_manifests(
    path: Path,
    screener: Screener,
    threshold: float,
    workers: int = 1,
    encoding: str | None = None,
    strict: bool = False,
) -> tuple[list[dict[str, Any]], PaxlstReading]:
    """screen_travellers over every traveller of a PAXLST file that can be read, and what the
    reading found; strict refuses the file at its first fault instead."""
    reading = read_manifests(path, encoding)
    if strict and reading.first is not None:
        raise reading.first
    rows, _count = screen_travellers(reading.manifests, screener, threshold, workers)
    return rows, reading


def screen_travellers(
    manifests: Sequence[Manifest], screener: Screener, threshold: float, workers: int = 1
) -> tuple[list[dict[str, Any]], int]:
    """One row per hit (TRAVEL_COLUMNS of finmon.cli.travel), flight by flight; and how many
    travellers were screened. Each traveller is screened once (_as_screened). A traveller, a
    person, never matches an organisation, vessel or aircraft, so the screener may be one of
    PEOPLE alone (faster to build and to search) with the same rows."""
    seats: dict[str, tuple[Manifest, int, Traveller]] = {}
    parties: list[Party] = []
    for flight, manifest in enumerate(manifests):
        for number, traveller in enumerate(manifest.travellers, 1):
            party = _as_screened(traveller.to_party(f"{flight}/{number}"))
            seats[party.id] = (manifest, number, traveller)
            parties.append(party)
    rows: list[dict[str, Any]] = []
    for party, hits in screener.screen_many(parties, threshold=threshold, workers=workers):
        manifest, number, traveller = seats[party.id]
        for hit in hits:
            rows.append(_row(manifest, number, traveller, hit))
    return rows, len(parties)


def _row(manifest: Manifest, number: int, traveller: Traveller, hit: Any) -> dict[str, Any]:
    documents = "; ".join(f"{d.type} {d.number}" for d in traveller.documents)
    return {
        "flight": manifest.flight,
        "traveller": f"{number} ({traveller.role})",
        "name": traveller.full_name,
        "birth_date": traveller.birth_date.label() if traveller.birth_date else "",
        "nationality": traveller.nationality or "",
        "document": documents,
        **_hit_fields(hit),
    }


def _hit_fields(hit: Any) -> dict[str, Any]:
    """What a row says of a hit: its score, the list entry and the explanation."""
    return {
        "score": hit.score,
        "list": hit.designation.source,
        "reference": hit.designation.reference,
        "designation_name": hit.designation.caption,
        "explanation": hit.explanation,
    }


def _as_screened(party: Party) -> Party:
    """A traveller is screened by the name as the document gives it: the matcher pairs name
    parts in any order, so the other order would only repeat the work."""
    return dataclasses.replace(party, names=party.names[:1])


def screen_mrz(mrz: Mrz, screener: Screener, threshold: float) -> dict[str, Any]:
    """A travel document read from its machine-readable zone, screened as a traveller of a
    manifest is (name, birth date, nationality, document number): what the document says, what
    was read beyond the plain standard (notes), and one row per hit. JSON-ready: `finmon travel
    mrz --output` writes it and POST /travel/mrz returns it."""
    hits = screener.screen(_as_screened(mrz.to_party("mrz")), threshold=threshold)
    return {
        "document": mrz_document(mrz),
        "screened_as": mrz.names[:1],
        "hits": [_hit_fields(hit) for hit in hits],
    }


def mrz_document(mrz: Mrz) -> dict[str, Any]:
    """Every field of a machine-readable zone as JSON-ready values (dates ISO, codes as written
    with their ISO alpha-2 beside them)."""
    return {
        "format": mrz.format,
        "type": mrz.document_type,
        "number": mrz.document_number,
        "issuing_state": mrz.issuing_state,
        "issuing_state_iso2": mrz.issuing_state_iso2,
        "name": mrz.full_name,
        "surname": mrz.surname,
        "given_names": mrz.given_names,
        "birth_date": mrz.birth_date.label() if mrz.birth_date else "",
        "sex": mrz.sex.value if mrz.sex else "",
        "nationality": mrz.nationality,
        "nationality_iso2": mrz.nationality_iso2,
        "expiry_date": mrz.expiry_date.isoformat(),
        "optional_data": mrz.optional_data,
        "optional_data_2": mrz.optional_data_2,
        "check_digits": "all verified",
        "notes": list(mrz.notes),
    }
