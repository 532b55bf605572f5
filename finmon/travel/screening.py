"""Manifest screening: every traveller of a PAXLST file screened against every loaded list with
their name, birth date, nationality and travel documents (a document number on the list decides)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from finmon.screening import Screener
from finmon.travel.paxlst import read_paxlst


def screen_manifests(
    path: Path, screener: Screener, threshold: float
) -> tuple[list[dict[str, Any]], int]:
    """One row per hit (TRAVEL_COLUMNS of finmon.cli_travel), flight by flight; and how many
    travellers were screened."""
    rows: list[dict[str, Any]] = []
    travellers = 0
    for manifest in read_paxlst(path):
        for number, traveller in enumerate(manifest.travellers, 1):
            travellers += 1
            party = traveller.to_party(f"{manifest.flight}/{number}")
            documents = "; ".join(
                f"{kind} {doc_number}" for kind, doc_number, *_rest in traveller.documents
            )
            for hit in screener.screen(party, threshold=threshold):
                rows.append(
                    {
                        "flight": manifest.flight,
                        "traveller": f"{number} ({traveller.role})",
                        "name": traveller.full_name,
                        "birth_date": traveller.birth_date.isoformat()
                        if traveller.birth_date
                        else "",
                        "nationality": traveller.nationality or "",
                        "document": documents,
                        "score": hit.score,
                        "list": hit.designation.source,
                        "reference": hit.designation.reference,
                        "designation_name": hit.designation.caption,
                        "explanation": hit.explanation,
                    }
                )
    return rows, travellers
