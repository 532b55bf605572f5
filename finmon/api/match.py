"""The `/match` request and response of OpenSanctions yente, so its clients can switch by URL.

A query is a FollowTheMoney entity example (`schema` and `properties`); it is read by the same
code that reads FollowTheMoney lists (`finmon.lists.ftm.entity_designation`) and screened as a
Party. A result is the designation written back as a FollowTheMoney entity, with the score,
`match` (score at or above the threshold) and finmon's explanation of the hit.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from finmon.errors import InputError
from finmon.lists.ftm import IDENTIFIER_PROPS, PARTY_SCHEMAS, entity_designation
from finmon.model import Designation, NameQuality, Party, Schema
from finmon.names.limits import NameLimits
from finmon.screening import Hit

MAX_QUERIES = 100
"""Queries in one /match request (yente's limit too)."""

_QUALITY_PROPS = {
    NameQuality.PRIMARY: "name",
    NameQuality.STRONG: "alias",
    NameQuality.WEAK: "weakAlias",
    NameQuality.FORMER: "previousName",
}
_KIND_PROPS = {kind: prop for prop, kind in IDENTIFIER_PROPS.items()}
_KIND_PROPS.update({"iin": "idNumber", "bin": "registrationNumber"})
_QUERY_SCHEMAS = {*PARTY_SCHEMAS, "Thing"}


class EntityExample(BaseModel):
    """One query: what is known of the party, as FollowTheMoney properties."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        default_factory=dict,
        examples=[{"name": ["Рахимов Ержан"], "birthDate": ["1981-03-05"], "nationality": ["kz"]}],
    )


class MatchRequest(BaseModel):
    """`{"queries": {"q1": {"schema": "Person", "properties": {...}}}}`"""

    queries: dict[str, EntityExample] = Field(max_length=MAX_QUERIES)


def query_party(key: str, example: EntityExample) -> Party:
    """The Party a query describes; InputError for a schema finmon cannot screen or no name."""
    if example.schema_ not in _QUERY_SCHEMAS:
        choices = ", ".join(sorted(_QUERY_SCHEMAS))
        raise InputError(f"query {key!r}: schema {example.schema_!r} is not one of {choices}")
    entity = {
        "id": example.id or key,
        "schema": "LegalEntity" if example.schema_ == "Thing" else example.schema_,
        "properties": example.properties,
    }
    listed = entity_designation(entity, f"query {key!r}")
    limits = NameLimits.from_settings()
    for name in listed.names:
        limits.check(name.full, f"query {key!r}")
    return Party(
        id=example.id or key,
        names=[name.full for name in listed.names],
        schema=Schema.UNKNOWN if example.schema_ == "Thing" else listed.schema,
        birth_dates=listed.birth_dates,
        nationalities=listed.nationalities,
        identifiers=listed.identifiers,
        gender=listed.gender,
    )


class MatchResult(BaseModel):
    """One scored designation, written back as a FollowTheMoney entity."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(description="The list's source and the designation's reference")
    caption: str
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    score: float
    match: bool = Field(description="The score is at or above the threshold")
    features: dict[str, float] = Field(description="The name score and each evidence's effect")
    explanations: dict[str, Any] = Field(description="finmon's explanation (docs/matching.md)")
    list_version: str


class Total(BaseModel):
    value: int
    relation: str = "eq"


class QueryResults(BaseModel):
    """The results of one query that finmon could read."""

    status: int = 200
    results: list[MatchResult]
    total: Total
    query: EntityExample


class QueryRefused(BaseModel):
    """A query finmon could not read: why, beside the others' results."""

    status: int = 400
    error: str
    query: EntityExample


class Matcher(BaseModel):
    name: str = "finmon"
    algorithm: str
    threshold: float


class MatchResponse(BaseModel):
    """yente's answer: each query's results by its key, and the matcher that scored them."""

    responses: dict[str, QueryResults | QueryRefused]
    matcher: Matcher
    limit: int


def result(hit: Hit, threshold: float) -> MatchResult:
    """One scored designation as a yente result."""
    designation = hit.designation
    return MatchResult(
        id=f"{designation.source}-{designation.reference}",
        caption=designation.caption,
        schema=_schema(designation),
        properties=entity_properties(designation),
        datasets=[designation.source],
        referents=[],
        target=True,
        score=hit.score,
        match=hit.score >= threshold,
        features={
            "name": hit.explanation["name"]["score"],
            **{e["feature"]: e["effect"] for e in hit.explanation["evidence"]},
        },
        explanations=hit.explanation,
        list_version=hit.list_version,
    )


def entity_properties(designation: Designation) -> dict[str, list[str]]:
    """A designation's data as FollowTheMoney properties (ISO dates, lower-case country codes)."""
    props: dict[str, list[str]] = {}

    def add(prop: str, value: str | None) -> None:
        if value and value not in props.setdefault(prop, []):
            props[prop].append(value)

    for name in designation.names:
        add(_QUALITY_PROPS[name.quality], name.full)
    for born in designation.birth_dates:
        add("birthDate", _partial_date(born.earliest.isoformat(), born.latest.isoformat()))
    country = "nationality" if designation.schema is Schema.PERSON else "country"
    for code in designation.nationalities:
        add(country, code.lower())
    for ident in designation.identifiers:
        add(_KIND_PROPS.get(ident.kind, "idNumber"), ident.number)
    for place in designation.birth_places:
        add("birthPlace", place)
    for programme in designation.programmes:
        add("programId", programme)
    if designation.gender is not None:
        add("gender", designation.gender.value)
    add("notes", designation.remarks)
    add("topics", "sanction")
    return {prop: values for prop, values in props.items() if values}


def _schema(designation: Designation) -> str:
    return {
        Schema.PERSON: "Person",
        Schema.ORGANIZATION: "Organization",
        Schema.VESSEL: "Vessel",
        Schema.AIRCRAFT: "Airplane",
    }.get(designation.schema, "LegalEntity")


def _partial_date(earliest: str, latest: str) -> str:
    """FollowTheMoney's partial date for an interval: the day, the month or the year they
    share, or the earliest day of a wider range."""
    if earliest == latest:
        return earliest
    if earliest[:7] == latest[:7] and earliest.endswith("-01"):
        return earliest[:7]
    if earliest[:4] == latest[:4] and earliest.endswith("-01-01") and latest.endswith("-12-31"):
        return earliest[:4]
    return earliest
