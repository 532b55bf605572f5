"""The figures the home page draws: alerts raised and decided per day, hours to each freeze
against the 24 hours, and monitoring alerts by typology and by rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store.alerts import alert_times
from finmon.store.freezes import list_freezes
from finmon.store.transactions import monitoring_volume
from finmon.workflow.access import Action

DAYS = 30
"""Days the alerts-per-day chart covers, up to the last day with an alert."""
FREEZES = 20
"""The latest freezes the time-to-freeze chart shows."""


@dataclass(frozen=True, slots=True)
class DeskFigures:
    """What the home page's charts show."""

    days: list[str]
    """ISO dates (UTC), oldest first."""
    opened: list[int]
    decided: list[int]
    freezes: list[tuple[str, float]]
    """(#id customer, hours from the clock's start to the freeze), oldest first."""
    typologies: dict[str, int]
    rules: dict[str, int]


def desk_figures(actor: str, db: Database | None = None) -> DeskFigures:
    """The home page's figures, read from the store."""
    authorize(actor, Action.READ, db)
    opened: dict[dt.date, int] = {}
    decided: dict[dt.date, int] = {}
    for created, ended in alert_times(db):
        opened[created.date()] = opened.get(created.date(), 0) + 1
        if ended is not None:
            decided[ended.date()] = decided.get(ended.date(), 0) + 1
    days: list[dt.date] = []
    if opened or decided:
        last = max([*opened, *decided])
        first = max(min([*opened, *decided]), last - dt.timedelta(days=DAYS - 1))
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    freezes = list_freezes(db)[-FREEZES:]
    volume = monitoring_volume(db)
    return DeskFigures(
        days=[day.isoformat() for day in days],
        opened=[opened.get(day, 0) for day in days],
        decided=[decided.get(day, 0) for day in days],
        freezes=[
            (f"#{f['freeze_id']} {f['customer_name']}", float(f["hours_to_freeze"]))
            for f in freezes
        ],
        typologies=volume["typology"],
        rules=volume["rule"],
    )
