"""Delta re-screening: a new list version screens only what changed, against every customer.

New designations, and amended ones whose matching data changed, are put in a small Screener of
their own; the stored customer index (finmon.store.customer_index) names the customers who could
be one of them, and only those are screened in full. Delisted designations open release reviews
for the freezes made under them. All of it runs inside the list load's transaction, so a crash
leaves either the old version with nothing raised or the new one with every alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.lists.diff import ListDiff
from finmon.model import Designation, matching_fingerprint
from finmon.names.parts import AnalysedName, analyse_name
from finmon.screening import Screener
from finmon.screening.features import SAME_BIRTH_DAY, SAME_NATIONALITY, NameFrequency
from finmon.screening.screener import DEFAULT_THRESHOLD, heap_frozen
from finmon.store.alerts import end_alerts, raise_screened
from finmon.store.customer_index import candidate_customers, ensure_current, load_customers
from finmon.store.freezes import open_release_reviews
from finmon.store.models import DesignationRow, ListVersion

PRUNE_MARGIN = 0.05
"""Kept below the floor when pruning candidates by their coverage bound: a safety margin."""


@dataclass(slots=True, frozen=True)
class RescreenResult:
    """What a list change did to the customer base."""

    designations: int
    """Designations screened: added, and amended in their matching data."""
    candidates: int
    """Customers the index named and that were screened in full."""
    alerts: int
    reviews: int
    """Freezes put up for release review by delistings."""
    withdrawn: int = 0
    """Alerts awaiting a decision that delistings withdrew."""


def to_screen(diff: ListDiff) -> list[Designation]:
    """The designations a list change must be screened for: new, or amended in matching data."""
    amended = [
        a.after
        for a in diff.amended
        if matching_fingerprint(a.before) != matching_fingerprint(a.after)
    ]
    return [*diff.added, *amended]


def rescreen(
    session: Session, diff: ListDiff, version: ListVersion, *, actor: str, workers: int = 1
) -> RescreenResult:
    """Screen the customer base for a list change; delistings open release reviews for their
    freezes and end their alerts (withdrawing those still awaiting a decision)."""
    designations = to_screen(diff)
    candidates, alerts = _screen(session, designations, version, actor, workers)
    reviews = open_release_reviews(session, diff.removed, version, actor)
    withdrawn = end_alerts(session, diff.removed, version, actor)
    return RescreenResult(len(designations), candidates, alerts, reviews, withdrawn)


def _floor(designation: Designation, identified: bool) -> float | None:
    """The name score below which a customer cannot become a hit on this designation: a
    matching birth day and nationality add at most features.MAX_SUPPORT, only where the designation
    gives them; no floor when an identifier could decide (customers carry IINs and BINs)."""
    if identified:
        return None
    support = (SAME_BIRTH_DAY if designation.birth_dates else 0.0) + (
        SAME_NATIONALITY if designation.nationalities else 0.0
    )
    return DEFAULT_THRESHOLD - support - PRUNE_MARGIN


def _screen(
    session: Session,
    designations: Sequence[Designation],
    version: ListVersion,
    actor: str,
    workers: int,
) -> tuple[int, int]:
    if not designations:
        return 0, 0
    # The list names' frequencies as a full screen of every current list counts them.
    frequency = NameFrequency(
        analysed
        for listed in _current(session)
        for name in listed.names
        if (analysed := analyse_name(name.full, listed.schema)).tokens
    )
    screener = Screener(designations, {version.source: version.version}, frequency)
    identified = any(i.kind in ("iin", "bin") for d in designations for i in d.identifiers)
    names: dict[int, list[AnalysedName]] = {}
    for entry in screener.index.names:
        names.setdefault(entry.designation, []).append(entry.analysed)
    wanted = [(found, _floor(screener.designations[i], identified)) for i, found in names.items()]
    ensure_current(session, actor=actor, workers=workers)
    ids = candidate_customers(session, wanted, workers=workers)
    if not ids:
        return 0, 0
    stored = list(load_customers(session, ids))
    fingerprints = {party.id: fingerprint for party, fingerprint in stored}
    with heap_frozen():
        screened = screener.screen_many((party for party, _ in stored), workers=workers)
        alerts = raise_screened(
            session,
            screened,
            fingerprints,
            actor=actor,
            trigger="list",
            versions={version.source: version},
        )
    return len(stored), alerts


def _current(session: Session) -> list[Designation]:
    """Every designation of every current list version, the one being loaded included."""
    query = (
        select(DesignationRow.payload)
        .join(ListVersion, DesignationRow.list_version_id == ListVersion.id)
        .where(ListVersion.is_current)
        .order_by(DesignationRow.id)
    )
    return [Designation.from_dict(payload) for payload in session.scalars(query)]
