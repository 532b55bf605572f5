"""The data bank of banned organisations, read-only, for other agencies (agency_reader) and the
FIU's staff: each ban with its court, decision, legal basis, status and provenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from finmon.api.deps import Store, caller
from finmon.services import banned
from finmon.services.users import Principal
from finmon.web.deps import requires
from finmon.workflow.access import Action

router = APIRouter()

ReadBanned = Annotated[Principal, Depends(requires(Action.READ_BANNED, caller))]


class Ban(BaseModel):
    """An organisation a court banned as terrorist or extremist."""

    reference: str
    name: str
    name_variants: list[str]
    court: str
    decision_date: str
    decision_number: str
    legal_basis: str
    category: str = Field(description="terrorist or extremist")
    status: str = Field(description="in_force or lifted")
    lifted_on: str | None
    bin: str
    remarks: str
    provenance: dict[str, Any] = Field(
        description="The data bank file (name, sha256) it came from, the kz-banned list version "
        "made with it, who recorded and last changed it, and when"
    )


@router.get("/banned", tags=["banned"])
def bans(
    who: ReadBanned,
    store: Store,
    status: Annotated[str, Query(pattern="^(in_force|lifted|all)$")] = "all",
) -> list[Ban]:
    """The banned organisations, by status."""
    return [Ban.model_validate(b) for b in banned.list_bans(who.name, status, store)]


@router.get("/banned/{reference}", tags=["banned"])
def ban(reference: Annotated[str, Path(max_length=200)], who: ReadBanned, store: Store) -> Ban:
    """One banned organisation."""
    return Ban.model_validate(banned.get_ban(who.name, reference, store))
