"""What both HTTP doors depend on: the app's store, row ids in paths, and the per-route role check.

The API's routes and the web pages build their per-action dependencies with `requires`, each from
its own way of knowing the caller (an API key, a session cookie): a refusal before the request's
body is read, by the same table and message as `finmon.services.access.authorize`, which the
service called then applies again. It lives here, not in `finmon.api`, because the API imports
the web layer and never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Path, Request

from finmon.services import Database
from finmon.services.cases import STATUS_FILTERS
from finmon.workflow.access import Action, Role, check_allowed

MAX_ID = 2**31 - 1
"""The largest row id both databases store (INTEGER); a larger one is bad input, not looked up."""
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
CASE_STATUS = f"^({'|'.join([*STATUS_FILTERS, 'all'])})$"
"""The cases pages' status filter: one of the cases' statuses, working (not decided yet), or all."""


class Identity(Protocol):
    """Who is calling: an API key's user or a web session's."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> Role: ...


Who = TypeVar("Who", bound=Identity)


def database(request: Request) -> Database:
    """The store the app serves (set by `finmon.api.create_app`)."""
    store: Database = request.app.state.db
    return store


def requires(
    action: Action, identity: Callable[..., Coroutine[Any, Any, Who]]
) -> Callable[..., Coroutine[Any, Any, Who]]:
    """A dependency giving the caller `identity` finds, once their role allows `action`
    (Forbidden naming the role otherwise). A coroutine: the check is short, so it runs on the
    event loop rather than hopping to a thread (measured in bench/)."""

    # A default, not an Annotated type: the annotation would be a string under the module's
    # `from __future__ import annotations`, which FastAPI cannot resolve to this closure's
    # `identity`.
    found = Depends(identity)

    async def check(who: Who = found) -> Who:
        check_allowed(who.name, who.role, action)
        return who

    return check
