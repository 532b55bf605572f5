"""Air travel: PAXLST manifests and passports' machine-readable zones screened."""

from __future__ import annotations

import pathlib
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from finmon.api.deps import Screen, ScreenersOf
from finmon.api.fields import EXPLANATION
from finmon.api.limits import off_loop
from finmon.screening import DEFAULT_THRESHOLD
from finmon.travel.mrz import read_mrz
from finmon.travel.paxlst import parse_manifests
from finmon.travel.screening import screen_mrz, screen_travellers

router = APIRouter(tags=["screening"])


class ManifestIn(BaseModel):
    """A UN/EDIFACT PAXLST interchange as text."""

    manifest: str = Field(min_length=1, max_length=20_000_000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    strict: bool = False
    """Refuse the manifest at its first fault (422) instead of screening every traveller that
    can be read and listing each fault by segment."""


class MrzIn(BaseModel):
    """A machine-readable zone: TD3 passport or MRV-A visa (2 lines of 44), TD2 card or MRV-B
    visa (2 lines of 36), TD1 identity card (3 lines of 30)."""

    mrz: str = Field(min_length=1, max_length=1_000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class DocumentHit(BaseModel):
    """A designation the holder matched."""

    model_config = ConfigDict(populate_by_name=True)

    score: float
    list_: str = Field(alias="list")
    reference: str
    designation_name: str
    explanation: dict[str, Any] = Field(description=EXPLANATION)


class TravellerHit(DocumentHit):
    """A traveller of a manifest who matched a designation, as `finmon travel screen` writes it."""

    flight: str
    traveller: str = Field(description="Their place on the manifest and their role")
    name: str
    birth_date: str
    nationality: str
    document: str = Field(description="Their travel documents, type and number")


class Fault(BaseModel):
    segment: int
    tag: str
    fault: str
    traveller_skipped: bool


class ManifestScreening(BaseModel):
    travellers: int
    hits: list[TravellerHit]
    travellers_read: int
    travellers_screened: int
    travellers_skipped: int
    faults: list[Fault] = Field(description="Each segment that could not be read, and why")
    summary: str


class Document(BaseModel):
    """Every field of the machine-readable zone (dates ISO; codes as written, with ISO alpha-2)."""

    format: str
    type: str
    number: str
    issuing_state: str
    issuing_state_iso2: str | None
    name: str
    surname: str
    given_names: str
    birth_date: str
    sex: str
    nationality: str
    nationality_iso2: str | None
    expiry_date: str
    optional_data: str
    optional_data_2: str
    check_digits: str
    notes: list[str]


class DocumentScreening(BaseModel):
    document: Document
    screened_as: list[str]
    hits: list[DocumentHit]


@router.post("/travel/screen")
@off_loop
def travel_screen(body: ManifestIn, _who: Screen, screeners: ScreenersOf) -> ManifestScreening:
    """Screen every traveller of a PAXLST manifest (names, birth date, nationality,
    documents): one row per hit, as `finmon travel screen` writes them."""
    reading = parse_manifests(body.manifest, pathlib.Path("manifest"))
    if body.strict and reading.first is not None:
        raise reading.first
    rows, travellers = screen_travellers(
        reading.manifests, screeners.get("default"), body.threshold
    )
    return ManifestScreening.model_validate(
        {"travellers": travellers, "hits": rows, **reading.to_dict()}
    )


@router.post("/travel/mrz")
@off_loop
def travel_mrz(body: MrzIn, _who: Screen, screeners: ScreenersOf) -> DocumentScreening:
    """Read a machine-readable zone (every check digit verified; a wrong one is a 422 naming
    the line and column) and screen its holder: what the document says, one row per hit."""
    found = screen_mrz(read_mrz(body.mrz), screeners.get("default"), body.threshold)
    return DocumentScreening.model_validate(found)
