"""List versions in the store: atomic, checked loads and the current designations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from finmon.errors import ListRefused, NotFound
from finmon.lists.diff import ListDiff, diff_designations
from finmon.model import Designation, ParsedList, Schema
from finmon.store.audit import audit_object
from finmon.store.engine import Database, default_database, record_of
from finmon.store.models import DesignationRow, ListVersion, as_utc, utc_now
from finmon.store.rescreen import RescreenResult, rescreen

MIN_SIZE_RATIO = 0.5
"""A new version with fewer than this share of the current version's designations is refused."""

_CHUNK = 1000


@dataclass(slots=True, frozen=True)
class LoadResult:
    """What load_list did: "loaded" a new version, or found it "already loaded"."""

    status: str
    source: str
    version: str
    list_version_id: int
    designation_count: int
    previous_version: str | None = None
    overridden: list[str] = field(default_factory=list)
    """Refusal reasons that --force overrode."""
    changes: dict[str, int] = field(default_factory=dict)
    """Counts of added, removed and amended designations against the previous version."""
    rescreen: RescreenResult | None = None
    """What the change did to the customer base."""

    @property
    def loaded(self) -> bool:
        """True when a new version became current."""
        return self.status == "loaded"


@dataclass(slots=True, frozen=True)
class VersionInfo:
    """A list version as `finmon lists show` prints it."""

    id: int
    source: str
    format: str
    version: str
    published_at: dt.datetime | None
    loaded_at: dt.datetime
    loaded_by: str
    designation_count: int
    is_current: bool


def load_list(
    parsed: ParsedList,
    *,
    actor: str,
    force: bool = False,
    db: Database | None = None,
    workers: int = 1,
) -> LoadResult:
    """Make a parsed list the current version of its source and screen the customer base for
    what changed, all in one transaction, audited."""
    return load_lists([parsed], actor=actor, force=force, db=db, workers=workers)[0]


def load_lists(
    versions: Sequence[ParsedList],
    *,
    actor: str,
    force: bool = False,
    db: Database | None = None,
    workers: int = 1,
) -> list[LoadResult]:
    """load_list for the versions of several sources read from one file (an FtM export mixing
    datasets): all in one transaction, so that a refusal of any one loads none. Among several, an
    empty version of a source never loaded is skipped (a dataset the file names only through
    entities that are not designations); an empty version of a loaded source is refused unless
    forced, as load_list refuses it."""
    db = db or default_database()
    with db.write() as session:
        return write_versions(session, versions, actor=actor, force=force, workers=workers)


def write_versions(
    session: Session,
    versions: Sequence[ParsedList],
    *,
    actor: str,
    force: bool = False,
    workers: int = 1,
) -> list[LoadResult]:
    """load_lists inside the caller's write, for a caller that stores more in the same
    transaction (the FIU's data bank of banned organisations and its list source; a feed
    applied with its record and receipt)."""
    sources = [parsed.source for parsed in versions]
    if len(set(sources)) != len(sources):
        raise ListRefused(f"refused to load: a source appears twice ({', '.join(sources)})")
    plans: list[tuple[ParsedList, ListVersion | None, list[str] | None]] = []
    for parsed in versions:
        current = _current_version(session, parsed.source)
        if current is None and not parsed.designations and len(versions) > 1:
            continue
        if current is not None and _same_files(current, parsed):
            plans.append((parsed, current, None))
            continue
        reasons = refusal_reasons(parsed, current)
        if reasons and not force:
            raise ListRefused(_refusal_message(parsed, reasons))
        plans.append((parsed, current, reasons))
    results = []
    for parsed, current, overridden in plans:
        if overridden is None:
            assert current is not None
            results.append(_already_loaded(current))
        else:
            results.append(_store_version(session, parsed, current, actor, overridden, workers))
    return results


def refusal_reasons(parsed: ParsedList, current: ListVersion | None) -> list[str]:
    """Why this version should not replace the current one (empty when it may)."""
    if not parsed.designations:
        return ["it contains no designations"]
    if current is None:
        return []
    reasons = []
    if _is_older(parsed.published_at, current.published_at):
        reasons.append(
            f"it was published {_label(parsed.published_at)}, before the current version "
            f"{current.version!r} ({_label(current.published_at)})"
        )
    if len(parsed.designations) < MIN_SIZE_RATIO * current.designation_count:
        reasons.append(
            f"it is smaller than plausible: {len(parsed.designations)} designations against "
            f"{current.designation_count} in the current version {current.version!r}"
        )
    return reasons


def current_designations(
    db: Database | None = None, schemas: Collection[Schema] | None = None
) -> list[Designation]:
    """Every designation of every source's current list version (only those of `schemas`, when
    given: the others are not even decoded)."""
    db = db or default_database()
    query = (
        select(DesignationRow.payload)
        .join(ListVersion, DesignationRow.list_version_id == ListVersion.id)
        .where(ListVersion.is_current)
        .order_by(DesignationRow.id)
    )
    if schemas is not None:
        query = query.where(DesignationRow.schema.in_(sorted(s.value for s in schemas)))
    with db.read() as session:
        return [Designation.from_dict(payload) for payload in session.scalars(query)]


def current_versions(db: Database | None = None) -> dict[str, str]:
    """Source -> version label of its current list, as the Screener wants it."""
    return {info.source: info.version for info in list_versions(db) if info.is_current}


def current_version_ids(db: Database | None = None) -> list[int]:
    """Ids of the current list versions; they change whenever any list changes. (Asked on every
    API request, so it reads the ids alone.)"""
    db = db or default_database()
    with db.read_rows() as conn:
        return list(conn.scalars(_CURRENT_IDS))


_CURRENT_IDS = select(ListVersion.id).where(ListVersion.is_current).order_by(ListVersion.id)


def list_versions(db: Database | None = None, *, all_versions: bool = False) -> list[VersionInfo]:
    """The current version of each source (or every version ever loaded), by source."""
    db = db or default_database()
    query = select(ListVersion).order_by(ListVersion.source, ListVersion.id.desc())
    if not all_versions:
        query = query.where(ListVersion.is_current)
    with db.read() as session:
        return [_info(row) for row in session.scalars(query)]


def _current_version(session: Session, source: str) -> ListVersion | None:
    query = select(ListVersion).where(ListVersion.source == source, ListVersion.is_current)
    return session.scalars(query).first()


def _same_files(current: ListVersion, parsed: ParsedList) -> bool:
    ours = sorted(digest for _name, digest in parsed.files)
    return bool(ours) and ours == sorted(item["sha256"] for item in current.files)


def _already_loaded(current: ListVersion) -> LoadResult:
    return LoadResult(
        "already loaded", current.source, current.version, current.id, current.designation_count
    )


def _store_version(
    session: Session,
    parsed: ParsedList,
    current: ListVersion | None,
    actor: str,
    overridden: list[str],
    workers: int,
) -> LoadResult:
    previous = stored_designations(session, current.id) if current is not None else []
    diff = diff_designations(previous, parsed.designations)
    if current is not None:
        current.is_current = False
        session.flush()
    row = _version_row(parsed, actor)
    session.add(row)
    session.flush()
    _insert_designations(session, row.id, parsed.designations)
    after = _audit_state(row)
    assert after is not None
    audit_object(
        session,
        "list.load",
        parsed.source,
        actor=actor,
        before=_audit_state(current),
        after={**after, "changes": diff.summary()},
        reason=("forced: " + "; ".join(overridden)) if overridden else None,
    )
    screened = rescreen(session, diff, row, actor=actor, workers=workers)
    if screened.alerts or screened.reviews or screened.withdrawn:
        audit_object(
            session,
            "list.rescreen",
            parsed.source,
            actor=actor,
            after={"list_version_id": row.id, "version": row.version, **asdict(screened)},
        )
    return LoadResult(
        "loaded",
        row.source,
        row.version,
        row.id,
        row.designation_count,
        current.version if current is not None else None,
        overridden,
        diff.summary(),
        screened,
    )


def stored_designations(session: Session, list_version_id: int) -> list[Designation]:
    """The designations of one stored list version, in their original order."""
    query = (
        select(DesignationRow.payload)
        .where(DesignationRow.list_version_id == list_version_id)
        .order_by(DesignationRow.id)
    )
    return [Designation.from_dict(payload) for payload in session.scalars(query)]


def version_diff(
    source: str, *, version: str | None = None, db: Database | None = None
) -> tuple[VersionInfo, VersionInfo | None, ListDiff]:
    """A stored version of a source (the current one by default) against the one before it."""
    db = db or default_database()
    with db.read() as session:
        query = select(ListVersion).where(ListVersion.source == source)
        chosen = (
            query.where(ListVersion.version == version)
            if version
            else query.where(ListVersion.is_current)
        )
        row = session.scalars(chosen.order_by(ListVersion.id.desc())).first()
        if row is None:
            what = f"version {version!r} of " if version else ""
            raise NotFound(f"no {what}list {source!r} is loaded")
        before = session.scalars(
            query.where(ListVersion.id < row.id).order_by(ListVersion.id.desc())
        ).first()
        old = stored_designations(session, before.id) if before is not None else []
        diff = diff_designations(old, stored_designations(session, row.id))
        return _info(row), (_info(before) if before is not None else None), diff


def _version_row(parsed: ParsedList, actor: str) -> ListVersion:
    return ListVersion(
        source=parsed.source,
        format=parsed.format,
        version=parsed.version,
        published_at=parsed.published_at,
        loaded_at=utc_now(),
        loaded_by=actor,
        files=[{"name": name, "sha256": digest} for name, digest in parsed.files],
        designation_count=len(parsed.designations),
        is_current=True,
    )


def _insert_designations(
    session: Session, version_id: int, designations: list[Designation]
) -> None:
    for start in range(0, len(designations), _CHUNK):
        chunk = designations[start : start + _CHUNK]
        session.execute(insert(DesignationRow), [_designation_row(version_id, d) for d in chunk])


def _designation_row(version_id: int, designation: Designation) -> dict[str, Any]:
    return {
        "list_version_id": version_id,
        "source": designation.source,
        "reference": designation.reference,
        "schema": str(designation.schema),
        "caption": designation.caption,
        "payload": designation.to_dict(),
    }


def _audit_state(row: ListVersion | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "list_version_id": row.id,
        "version": row.version,
        "published_at": _label(row.published_at),
        "designations": row.designation_count,
        "files": row.files,
    }


def _is_older(new: dt.datetime | None, current: dt.datetime | None) -> bool:
    return new is not None and current is not None and as_utc(new) < as_utc(current)


def _label(value: dt.datetime | None) -> str:
    return as_utc(value).isoformat(timespec="seconds") if value else "undated"


def _refusal_message(parsed: ParsedList, reasons: list[str]) -> str:
    return (
        f"refused to load {parsed.source} list version {parsed.version!r}: "
        + "; ".join(reasons)
        + " (use --force to load it anyway)"
    )


def _info(row: ListVersion) -> VersionInfo:
    return record_of(VersionInfo, row)
