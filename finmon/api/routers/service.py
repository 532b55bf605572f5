"""The service itself: the way in for people, liveness, and who a key belongs to."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from finmon.api.deps import Caller, Store
from finmon.services.lists import current_versions
from finmon.workflow.access import Role

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str = "ok"
    lists: dict[str, str] = Field(description="The version in use of each loaded list")


class Me(BaseModel):
    name: str
    role: Role


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    """People who open the server's address get the web interface."""
    return RedirectResponse("/ui/", status_code=303)


@router.get("/healthz")
def healthz(store: Store) -> Health:
    """Liveness and the list versions in use (no key needed)."""
    return Health(lists=current_versions(store))


@router.get("/me")
def me(who: Caller) -> Me:
    """Who the key belongs to and their role."""
    return Me(name=who.name, role=who.role)
