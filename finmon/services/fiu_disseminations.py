"""FIU disseminations to law enforcement as decided cases (docs/fiu.md, "Dissemination packages").

Drafting (FIU_DISSEMINATE) chooses subjects and reports and gives the reasoning; a second person
approves (FIU_APPROVE, four-eyes by person); only then is the package exported
(finmon.fiu.package), its sha256 recorded. Every step, and every viewing, is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from finmon.errors import InputError, NotFound
from finmon.fiu.network import LinkGraph, subject_node, to_svg
from finmon.fiu.package import Dissemination, write_package
from finmon.fiu.resolve import Resolution
from finmon.services import fiu_subjects
from finmon.services.access import authorize
from finmon.store import Database, fiu_reports
from finmon.store import fiu_disseminations as store
from finmon.store.fiu_disseminations import DisseminationRow
from finmon.workflow.access import Action

__all__ = ["DisseminationRow", "approve", "draft", "export", "list_disseminations", "show"]

NETWORK_HOPS = 1
"""How far the package's picture reaches around each chosen subject."""


def draft(
    actor: str,
    *,
    reference: str,
    recipient: str,
    subjects: Sequence[str],
    reports: Sequence[str],
    reasoning: str,
    db: Database | None = None,
) -> DisseminationRow:
    """Draft a dissemination of subjects (ids of subjects or their mentions) and reports (FIU
    keys of accepted reports) with the reasoning; each is checked to exist now."""
    who = authorize(actor, Action.FIU_DISSEMINATE, db)
    resolution = fiu_subjects.subjects(who.name, db) if subjects else None
    chosen = [_subject_id(resolution, wanted) for wanted in subjects]
    keys = [_report_key(key, db) for key in reports]
    return store.draft(
        reference=reference.strip(), recipient=recipient.strip(), subjects=chosen,
        reports=keys, reasoning=reasoning, actor=who.name, db=db,
    )  # fmt: skip


def approve(actor: str, dissemination_id: int, db: Database | None = None) -> DisseminationRow:
    """Approve a draft as the second person (not the drafter, nor the drafter's person)."""
    who = authorize(actor, Action.FIU_APPROVE, db)
    return store.approve(dissemination_id, actor=who.name, db=db)


def export(
    actor: str, dissemination_id: int, target: Path, db: Database | None = None
) -> dict[str, object]:
    """Write the approved dissemination's package to target (.zip) and record its sha256;
    its manifest with the package's sha256."""
    who = authorize(actor, Action.FIU_DISSEMINATE, db)
    if target.suffix.lower() != ".zip":
        raise InputError(f"{target}: a dissemination package is written as a .zip file")
    case = store.approved(dissemination_id, db)
    assert case.approved_by is not None and case.approved_at is not None
    rows: list[dict[str, str]] = []
    svg = None
    if case.subjects:
        resolution = fiu_subjects.subjects(who.name, db)
        wanted = [_subject_id(resolution, subject_id) for subject_id in case.subjects]
        by_id = {row["subject_id"]: row for row in fiu_subjects.subject_rows(resolution)}
        rows = [_flat(by_id[subject_id]) for subject_id in wanted]
        svg = _picture(resolution, wanted, case.reference, db)
    reports = [(key, fiu_reports.get_report(key, db).xml) for key in case.reports]
    manifest = write_package(
        Dissemination(
            reference=case.reference, recipient=case.recipient, reasoning=case.reasoning,
            subjects=rows, reports=reports, drafted_by=case.drafted_by,
            approved_by=case.approved_by, approved_at=case.approved_at, network_svg=svg,
        ),
        target,
    )  # fmt: skip
    members = manifest["members"]
    assert isinstance(members, list)
    try:
        store.record_export(
            dissemination_id, sha256=str(manifest["sha256"]),
            members=[str(member["name"]) for member in members], target=str(target),
            actor=who.name, db=db,
        )  # fmt: skip
    except BaseException:
        # A package nobody recorded as sent must not lie about: it is removed.
        target.unlink(missing_ok=True)
        raise
    return manifest


def list_disseminations(actor: str, db: Database | None = None) -> list[DisseminationRow]:
    """Every dissemination, oldest first."""
    authorize(actor, Action.FIU_READ, db)
    return store.list_disseminations(db)


def show(actor: str, dissemination_id: int, db: Database | None = None) -> DisseminationRow:
    """One dissemination with its reasoning; who looked is audited."""
    who = authorize(actor, Action.FIU_READ, db)
    return store.show(dissemination_id, actor=who.name, db=db)


def _subject_id(resolution: Resolution | None, wanted: str) -> str:
    assert resolution is not None
    subject_id = resolution.subject_of.get(wanted, wanted)
    if not any(found.subject_id == subject_id for found in resolution.subjects):
        raise NotFound(f"subject {wanted!r}: no such subject or mention (finmon fiu subjects)")
    return subject_id


def _report_key(key: str, db: Database | None) -> str:
    detail = fiu_reports.get_report(key, db)
    if detail.row.status != "accepted":
        raise InputError(f"report {key!r} was rejected: only accepted reports are disseminated")
    return detail.row.key


def _flat(row: dict[str, object]) -> dict[str, str]:
    return {
        name: ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
        for name, value in row.items()
    }


def _picture(
    resolution: Resolution, subjects: Sequence[str], reference: str, db: Database | None
) -> str:
    """The subjects' networks within NETWORK_HOPS, drawn together."""
    names = {found.subject_id: found.name for found in resolution.subjects}
    graph = LinkGraph(
        fiu_reports.current_mentions(db),
        fiu_reports.current_transfers(db),
        resolution.subject_of,
        names,
    )
    nodes: set[str] = set()
    for subject_id in subjects:
        if subject_node(subject_id) in graph.graph:
            nodes.update(graph.network(subject_id, NETWORK_HOPS).nodes)
    return to_svg(graph.graph.subgraph(nodes).copy(), title=f"Dissemination {reference}")
