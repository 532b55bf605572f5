"""Bounds on what one request may take of a server process: its body, and its screening threads.

The request body limit is a pure ASGI middleware that refuses a body larger than its route's limit
with 413 before it is read whole.

A declared Content-Length over the limit is refused before a byte of the body is read; a body
sent in chunks (or one that lies about its length) is counted as it streams, and refused the
moment it passes the limit, so the server never holds more than the limit of one body. Uploads
and PAXLST manifests have larger limits of their own (finmon.settings).

Screening is CPU-bound Python: on the event loop one long query would stall every other request,
/healthz included. Routes that screen run in threads instead (`off_loop`), and at most
FINMON_SCREEN_THREADS of them at once: threads share the interpreter, so every further one would
only lengthen the event loop's wait for its turn without screening any faster.
"""

from __future__ import annotations

import asyncio
import functools
import json
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finmon.settings import Settings, load_settings

P = ParamSpec("P")
T = TypeVar("T")

UPLOAD_PATHS = frozenset({"/customers/import", "/ui/upload", "/ui/screen/batch"})
"""Routes that take a customer file (to import or to screen): FINMON_MAX_UPLOAD_BYTES."""
MANIFEST_PATHS = frozenset({"/travel/screen"})
"""Routes that take a PAXLST manifest as JSON: FINMON_MAX_MANIFEST_BYTES."""
REPORT_PATHS = frozenset({"/fiu/reports", "/ui/fiu/reports"})
"""Routes that take a goAML report (FIU intake): FINMON_MAX_REPORT_BYTES."""


class BodyTooLarge(HTTPException):
    """A request body over its route's limit (an HTTPException, so that FastAPI's body parsing
    passes it on as it is rather than as a 400)."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=413, detail=detail)


class BodyLimit:
    """Refuse request bodies over their route's limit with 413 and a JSON detail."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> tuple[int, str]:
        """The byte limit of a path's body and the setting that sets it."""
        if path in UPLOAD_PATHS:
            return self.settings.max_upload_bytes, "FINMON_MAX_UPLOAD_BYTES"
        if path in REPORT_PATHS:
            return self.settings.max_report_bytes, "FINMON_MAX_REPORT_BYTES"
        if path in MANIFEST_PATHS:
            return self.settings.max_manifest_bytes, "FINMON_MAX_MANIFEST_BYTES"
        return self.settings.max_body_bytes, "FINMON_MAX_BODY_BYTES"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self.limit_for(scope["path"])
        detail = (
            f"{scope['method']} {scope['path']}: the request body is larger than {limit:,} "
            f"bytes ({setting})"
        )
        declared = _content_length(scope)
        if declared is None:
            await _answer(send, 400, "Content-Length is not a number of bytes")
            return
        if declared > limit:
            await _answer(send, 413, detail)
            return
        counted = 0

        async def counting() -> Message:
            nonlocal counted
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > limit:
                    raise BodyTooLarge(detail)
            return message

        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, watching)
        except BodyTooLarge:
            # Raised past the app's own handlers (a route that reads the body itself).
            if started:
                raise
            await _answer(send, 413, detail)


def _content_length(scope: Scope) -> int | None:
    """The declared length (0 when none is declared); None when it is not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return 0


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def off_loop(function: Callable[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
    """A route function run in one of the screening threads rather than on the event loop."""

    @functools.wraps(function)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        call = functools.partial(function, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=_screening_limiter())

    return run


def _screening_limiter() -> CapacityLimiter:
    # One per event loop: a limiter belongs to the loop it was made in (tests start several).
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(load_settings().screen_threads)
    return limiter
