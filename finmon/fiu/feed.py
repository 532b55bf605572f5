"""The "without delay" clock of the national list: from a feed's publication to each entity's
application of it, with no I/O."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

APPLY_HOURS = 24
"""An entity applies a published list within 24 hours (the same day the freeze clock of Article
13 section 1-1 allows from a listing's posting to the freeze)."""


class Applied(StrEnum):
    """Where an entity stands with one feed version."""

    IN_TIME = "in time"
    """Applied within APPLY_HOURS of publication."""
    LATE = "late"
    """Applied, but more than APPLY_HOURS after publication."""
    WAITING = "waiting"
    """Not applied yet, and APPLY_HOURS have not passed."""
    OVERDUE = "overdue"
    """Not applied, and APPLY_HOURS have passed."""


def applied_status(
    published_at: dt.datetime, applied_at: dt.datetime | None, now: dt.datetime
) -> Applied:
    """An entity's standing with a feed version published at `published_at`."""
    limit = published_at + dt.timedelta(hours=APPLY_HOURS)
    if applied_at is None:
        return Applied.OVERDUE if now > limit else Applied.WAITING
    return Applied.LATE if applied_at > limit else Applied.IN_TIME


def hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Hours from start to end, to the second (never negative: clocks apart by a little)."""
    return max(0.0, round((end - start).total_seconds() / 3600, 4))
