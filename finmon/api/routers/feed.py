"""The national list out, the FIU's side: the signed feed of its list, and the receipts the
reporting entities return. Neither needs a key: the feed is public and its signature is the
trust; a receipt is authenticated by its entity's registered public key (docs/fiu.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from finmon.api.deps import Store
from finmon.services import feed as feed_service

router = APIRouter(tags=["feed"])


class ReceiptAnswer(BaseModel):
    """What the FIU recorded of a receipt: the first one per entity and version stands."""

    entity_bin: str
    source: str
    feed_version: int
    published_at: dt.datetime
    applied_at: dt.datetime
    received_at: dt.datetime
    status: str
    """received, or already received (an earlier receipt for that version stands)."""


@router.post("/feed/receipts")
async def receipt(request: Request, store: Store) -> ReceiptAnswer:
    """A reporting entity's signed receipt for a feed version it applied."""
    body = await request.body()
    # Read on the loop, stored in a thread: the write must not stall other requests.
    row, new = await run_in_threadpool(feed_service.receive_receipt, body, store)
    assert row.applied_at is not None and row.received_at is not None
    return ReceiptAnswer(
        entity_bin=row.entity_bin,
        source=row.source,
        feed_version=row.feed_version,
        published_at=row.published_at,
        applied_at=row.applied_at,
        received_at=row.received_at,
        status="received" if new else "already received",
    )


@router.get(
    "/feed/{source}",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}, "description": "The signed feed"}},
)
def feed(
    source: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")],
    store: Store,
    version: Annotated[int | None, Query(ge=1, lt=2**31)] = None,
) -> Response:
    """The latest signed feed of a list (or the version asked for), as published."""
    document = feed_service.feed_document(source, version, store)
    return Response(document, media_type="application/json")
