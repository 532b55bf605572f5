"""Screening names against the loaded lists: yente's `/match` and finmon's own `/screen`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from finmon.api.deps import Screen, ScreenersOf
from finmon.api.fields import ScreeningHit
from finmon.api.limits import off_loop
from finmon.api.match import (
    Matcher,
    MatchRequest,
    MatchResponse,
    QueryRefused,
    QueryResults,
    Total,
    query_party,
    result,
)
from finmon.countries import country_code
from finmon.errors import InputError
from finmon.lists.identifiers import is_valid_iin_bin, kz_number_kind
from finmon.model import Gender, Identifier, Party, Schema
from finmon.names.limits import NameLimits
from finmon.screening import DEFAULT_THRESHOLD
from finmon.screening.inputs import parse_birth_date
from finmon.screening.namescore import ALGORITHM

MAX_PARTIES = 1000
"""Parties in one /screen request."""

router = APIRouter(tags=["screening"])


class PartyIn(BaseModel):
    """One party to screen, in finmon's own terms."""

    id: str = Field(min_length=1, max_length=200)
    names: list[str] = Field(min_length=1, max_length=50)
    schema_: str = Field("unknown", alias="schema", description="person, organization ...")
    birth_dates: list[str] = Field(default_factory=list, description="YYYY-MM-DD, DD.MM.YYYY, YYYY")
    nationalities: list[str] = Field(default_factory=list, description="ISO codes or names")
    iin: str | None = Field(None, description="Kazakh IIN or BIN (12 digits, check digit)")
    gender: str | None = None


class ScreenRequest(BaseModel):
    parties: list[PartyIn] = Field(min_length=1, max_length=MAX_PARTIES)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class PartyHits(BaseModel):
    id: str = Field(description="The party's id as sent")
    hits: list[ScreeningHit]


class ScreenResponse(BaseModel):
    lists: dict[str, str] = Field(description="The version screened against of each list")
    threshold: float
    results: list[PartyHits] = Field(description="Each party in the order sent")


@router.post("/match/{dataset}")
@off_loop
def match(
    dataset: str,
    body: MatchRequest,
    _who: Screen,
    screeners: ScreenersOf,
    limit: Annotated[int, Query(ge=1, le=100)] = 5,
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
    cutoff: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
) -> MatchResponse:
    """yente's /match: score each query entity against a dataset ("default": every list).

    Results at or above `cutoff` are returned, best first, `match` set at or above
    `threshold`. A query finmon cannot read gets its own status 400 beside the others."""
    screener = screeners.get(dataset)
    floor = min(cutoff, threshold)
    responses: dict[str, QueryResults | QueryRefused] = {}
    for key, example in body.queries.items():
        try:
            party = query_party(key, example)
        except InputError as exc:
            responses[key] = QueryRefused(error=str(exc), query=example)
            continue
        hits = screener.screen(party, threshold=floor, limit=limit)
        results = [result(hit, threshold) for hit in hits]
        responses[key] = QueryResults(
            results=results, total=Total(value=len(results)), query=example
        )
    return MatchResponse(
        responses=responses,
        matcher=Matcher(algorithm=ALGORITHM, threshold=threshold),
        limit=limit,
    )


@router.post("/screen")
@off_loop
def screen(body: ScreenRequest, _who: Screen, screeners: ScreenersOf) -> ScreenResponse:
    """Screen parties in finmon's format against every loaded list."""
    screener = screeners.get("default")
    parties = [_party(i, p) for i, p in enumerate(body.parties)]
    return ScreenResponse.model_validate(
        {
            "lists": screener.versions,
            "threshold": body.threshold,
            "results": [
                {"id": party.id, "hits": [hit.to_dict() for hit in hits]}
                for party, hits in screener.screen_many(parties, threshold=body.threshold)
            ],
        }
    )


def _party(position: int, given: PartyIn) -> Party:
    """A /screen party as a Party; InputError naming the party and field for a bad value."""
    where = f"parties[{position}] (id {given.id!r})"
    birth_dates = []
    for value in given.birth_dates:
        born = parse_birth_date(value)
        if born is None:
            raise InputError(f"{where}.birth_dates: {value!r} is not a date (YYYY-MM-DD or YYYY)")
        birth_dates.append(born)
    nationalities = []
    for value in given.nationalities:
        nationalities.append(country_code(value, f"{where}.nationalities"))
    identifiers = []
    if given.iin:
        number = "".join(given.iin.split())
        if not is_valid_iin_bin(number):
            raise InputError(f"{where}.iin: {given.iin!r} is not a valid IIN or BIN")
        identifiers.append(Identifier(kz_number_kind(number) or "iin", number, "KZ"))
    limits = NameLimits.from_settings()
    for place, name in enumerate(given.names):
        limits.check(name, f"{where}.names[{place}]")
    names = [" ".join(name.split()) for name in given.names if name.strip()]
    if not names:
        raise InputError(f"{where}.names: every name is empty")
    return Party(
        id=given.id,
        names=names,
        schema=Schema.parse(given.schema_),
        birth_dates=birth_dates,
        nationalities=nationalities,
        identifiers=identifiers,
        gender=Gender.parse(given.gender),
    )
