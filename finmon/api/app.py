"""finmon's HTTP API: screening in the payment path, and the alert, freeze and audit workflow.

A thin front door: one router per area (`finmon.api.routers`); every route checks the caller's
role (`finmon.api.deps`), calls one store or screening service with the caller as the actor, and
answers with a response model, so that the OpenAPI document describes what comes back. Errors
are FinmonErrors mapped to their HTTP status in one place (`finmon.api.errors`). Programs
authenticate with `Authorization: Bearer KEY` (keys from `finmon users create`).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import finmon
from finmon.api import errors
from finmon.api.deps import plain_request, sound_body
from finmon.api.limits import BodyLimit
from finmon.api.routers import ROUTERS
from finmon.api.screeners import RatesTable, Screeners
from finmon.errors import NotFound
from finmon.services import Database, default_database
from finmon.services.customers import fail_interrupted_jobs
from finmon.settings import load_settings
from finmon.web import router as web_router

SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the interpreter before another that waits gets it: short, so that
the event loop (and /healthz) is not kept waiting behind threads screening long queries."""
DESCRIPTION = (
    "Screening against the UN and national lists, alerts with four-eyes decisions, freezes "
    "within 24 hours, and a verifiable audit trail."
)


def create_app(db: Database | None = None) -> FastAPI:
    """The API over one store (the default database unless given)."""
    store = db or default_database()
    settings = load_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="finmon",
        version=finmon.__version__,
        description=DESCRIPTION,
        dependencies=[Depends(plain_request), Depends(sound_body)],
    )
    app.state.db = store
    app.state.screeners = Screeners(store)
    app.state.rates = RatesTable(settings.rates)
    app.add_middleware(BodyLimit, settings=settings)
    errors.install(app)
    app.include_router(web_router)
    app.mount("/ui/static", StaticFiles(packages=[("finmon.web", "static")]), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    sys.setswitchinterval(SWITCH_INTERVAL)
    fail_interrupted_jobs(app.state.db)
    # Build the index before serving, so that no request waits for it.
    with contextlib.suppress(NotFound):
        app.state.screeners.get("default")
    yield
