"""Times as the entity's people read them: stored in UTC, shown in the configured time zone.

The zone is FINMON_TIME_ZONE (default Asia/Almaty, `Settings.time_zone`, passed in by the
callers: this helper sits beside the layers and reads no settings). Only the showing changes:
every clock (the 24 hours to freeze, session lifetimes) is arithmetic on UTC instants, so it
counts real hours whatever the zone and across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from finmon.errors import InputError


@functools.lru_cache(maxsize=16)
def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone of that name (InputError naming FINMON_TIME_ZONE if none is)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"FINMON_TIME_ZONE: no time zone is named {name!r} (an IANA name, e.g. Asia/Almaty)"
        ) from None


def as_instant(value: dt.datetime | str) -> dt.datetime:
    """A stored time as an aware UTC instant (the store keeps UTC without its offset)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def shown(value: dt.datetime | str | None, zone: dt.tzinfo) -> str:
    """A stored time in the zone as people read it, with its UTC offset then:
    '2026-12-06 17:00 +05:00'; "" for none."""
    if value is None or value == "":
        return ""
    local = as_instant(value).astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
