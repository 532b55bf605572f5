"""The API's dependencies: the caller behind an API key, the role each action needs (through
`finmon.web.deps.requires`, the one check the web pages use too), the store and the screening
indexes of the app, and the guards every request passes.

The dependencies are coroutines: their work is short, so they run on the event loop rather than
hopping to a thread for each step (measured in bench/). Routes that screen are plain functions,
run in the screening threads (`finmon.api.limits.off_loop`): one long query must not stall every
other request.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from finmon import hygiene
from finmon.api.screeners import RatesTable, Screeners
from finmon.errors import Unauthenticated
from finmon.services import Database
from finmon.services.users import Principal, authenticate_key
from finmon.web.deps import MAX_ID, RowId, database, requires
from finmon.workflow.access import Action

__all__ = ["MAX_ID", "RowId"]

_bearer = HTTPBearer(auto_error=False, description="An API key from `finmon users create`.")


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The user whose API key came with the request; Unauthenticated without a live key."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send an API key as 'Authorization: Bearer KEY'")
    return authenticate_key(credentials.credentials, database(request))


async def _store(request: Request) -> Database:
    return database(request)


async def _screeners(request: Request) -> Screeners:
    found: Screeners = request.app.state.screeners
    return found


async def _rates(request: Request) -> RatesTable:
    found: RatesTable = request.app.state.rates
    return found


Caller = Annotated[Principal, Depends(caller)]
Store = Annotated[Database, Depends(_store)]
ScreenersOf = Annotated[Screeners, Depends(_screeners)]
RatesOf = Annotated[RatesTable, Depends(_rates)]

Screen = Annotated[Principal, Depends(requires(Action.SCREEN, caller))]
Read = Annotated[Principal, Depends(requires(Action.READ, caller))]
Import = Annotated[Principal, Depends(requires(Action.IMPORT_CUSTOMERS, caller))]
Decide = Annotated[Principal, Depends(requires(Action.DECIDE, caller))]
Approve = Annotated[Principal, Depends(requires(Action.APPROVE, caller))]
Ask = Annotated[Principal, Depends(requires(Action.REQUEST, caller))]
Clear = Annotated[Principal, Depends(requires(Action.CLEAR, caller))]
Audit = Annotated[Principal, Depends(requires(Action.AUDIT, caller))]
Admin = Annotated[Principal, Depends(requires(Action.MANAGE_USERS, caller))]
ApproveUsers = Annotated[Principal, Depends(requires(Action.APPROVE_USERS, caller))]
WorkCases = Annotated[Principal, Depends(requires(Action.WORK_CASES, caller))]
ApproveCases = Annotated[Principal, Depends(requires(Action.APPROVE_CASES, caller))]


async def plain_request(request: Request) -> None:
    """Refuse a NUL character in the path or the query, the same on every store."""
    place = f"{request.method} {request.url.path!r}"
    for value in (request.scope["path"], *request.query_params.values()):
        hygiene.refuse_nul(value, place)


async def sound_body(request: Request) -> None:
    """Refuse a JSON body holding an unpaired surrogate or a number that is not finite (NaN,
    Infinity, 1e400), naming the field, before any route or validation error echoes it."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and not (kind == "application/json" or kind.endswith("+json")):
        return
    body = await request.body()
    if not body:
        return
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the route's own validation says so
    hygiene.check_json(value, "request body")
