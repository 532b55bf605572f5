"""The API's routes, one router per area; `finmon.api.app.create_app` includes them all."""

from __future__ import annotations

from fastapi import APIRouter

from finmon.api.routers import (
    alerts,
    audit,
    banned,
    cases,
    customers,
    feed,
    fiu_exchange,
    fiu_reports,
    freezes,
    lists,
    payments,
    screening,
    service,
    travel,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    service.router,
    screening.router,
    payments.router,
    travel.router,
    lists.router,
    customers.router,
    alerts.router,
    freezes.router,
    cases.router,
    audit.router,
    users.router,
    fiu_exchange.router,
    banned.router,
    # Issue 20, the national list out: the signed feed and the entities' receipts.
    feed.router,
    # FIU part 1: reporting entities and intake
    fiu_reports.router,
)
"""In the order their routes are matched (a fixed path before a parameter in its place)."""
