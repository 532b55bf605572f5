"""The national list out, the FIU's side: the signed feed of its list, and the receipts the
reporting entities return. Neither needs a key: the feed is public and its signature is the
trust; a receipt is authenticated by its entity's registered public key (docs/fiu.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
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
    status = "received" if new else "already received"
    return ReceiptAnswer.model_validate(asdict(row) | {"status": status})


class FeedManifest(BaseModel):
    """What the FIU's Ed25519 signature covers (its canonical JSON, sorted keys, no spaces)."""

    source: str
    version: int = Field(description="Increasing per source, from 1")
    published_at: str = Field(description="UTC, ISO 8601 with Z")
    list_format: str
    list_version: str
    payload_name: str
    payload_bytes: int
    payload_sha256: str
    key_id: str = Field(description="First 16 hex digits of the sha256 of the raw public key")


class SignedFeed(BaseModel):
    """A signed, versioned list feed, served byte for byte as published (docs/fiu.md)."""

    format: str = Field(description="finmon-list-feed/1")
    manifest: FeedManifest
    signature: str = Field(description="Ed25519 over the label and the manifest, base64")
    payload: str = Field(description="The list file, base64")


@router.get(
    "/feed/{source}",
    response_class=JSONResponse,
    responses={200: {"model": SignedFeed, "description": "The signed feed"}},
)
def feed(
    source: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")],
    store: Store,
    version: Annotated[int | None, Query(ge=1, lt=2**31)] = None,
) -> Response:
    """The latest signed feed of a list (or the version asked for), as published."""
    document = feed_service.feed_document(source, version, store)
    return Response(document, media_type="application/json")
