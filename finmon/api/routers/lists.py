"""The lists loaded: their versions and what each version changed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from finmon.api.deps import Read, Store
from finmon.services import lists as lists_service

router = APIRouter(tags=["lists"])

DESIGNATION = "A designation as finmon records it: names, dates, identifiers (docs/lists.md)"


class Amendment(BaseModel):
    reference: str
    changes: dict[str, Any] = Field(description="Each changed field: [before, after]")


class ListDiff(BaseModel):
    """What a version added, removed and amended against the one before it."""

    model_config = ConfigDict(populate_by_name=True)

    source: str
    from_: str | None = Field(alias="from", description="The version before (none: the first)")
    to: str
    added: int
    removed: int
    amended: int
    added_designations: list[dict[str, Any]] = Field(description=DESIGNATION)
    removed_designations: list[dict[str, Any]] = Field(description=DESIGNATION)
    amendments: list[Amendment]


@router.get("/lists")
def lists(who: Read, store: Store, all_versions: bool = False) -> list[lists_service.VersionInfo]:
    """The current version of each list (or every version loaded)."""
    return lists_service.list_versions(who.name, store, all_versions=all_versions)


@router.get("/lists/{source}/diff")
def list_diff(source: str, who: Read, store: Store, version: str | None = None) -> ListDiff:
    """What a version of a list added, removed and amended against the one before it."""
    newer, older, diff = lists_service.version_diff(who.name, source, version=version, db=store)
    return ListDiff.model_validate(
        {
            "source": source,
            "from": older.version if older is not None else None,
            "to": newer.version,
            **diff.to_dict(),
        }
    )
