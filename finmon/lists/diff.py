"""What changed between two versions of one list: added, removed and amended designations.

Designations are matched by reference number within a source. An amendment records every field
that changed, before and after, as the JSON-ready values of Designation.to_dict(), so a diff can be
shown, stored and audited as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from finmon.model import Designation


@dataclass(slots=True)
class Amendment:
    """One designation present in both versions with different content."""

    before: Designation
    after: Designation
    changes: dict[str, tuple[Any, Any]]
    """Field name -> (value before, value after)."""


@dataclass(slots=True)
class ListDiff:
    """The difference between an older and a newer version of one list."""

    added: list[Designation] = field(default_factory=list)
    removed: list[Designation] = field(default_factory=list)
    amended: list[Amendment] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        """True when the two versions hold the same designations with the same content."""
        return not (self.added or self.removed or self.amended)

    def summary(self) -> dict[str, int]:
        """Counts of added, removed and amended designations."""
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "amended": len(self.amended),
        }

    def to_dict(self) -> dict[str, Any]:
        """The counts and every change, JSON-ready (values as the designations hold them)."""
        return {
            **self.summary(),
            "added_designations": [d.to_dict() for d in self.added],
            "removed_designations": [d.to_dict() for d in self.removed],
            "amendments": [
                {"reference": a.after.reference, "changes": a.changes} for a in self.amended
            ],
        }


def diff_designations(old: Iterable[Designation], new: Iterable[Designation]) -> ListDiff:
    """Compare two versions of a list by (source, reference)."""
    before = {(d.source, d.reference): d for d in old}
    after = {(d.source, d.reference): d for d in new}
    diff = ListDiff(
        added=[after[key] for key in after.keys() - before.keys()],
        removed=[before[key] for key in before.keys() - after.keys()],
    )
    for key in before.keys() & after.keys():
        changes = changed_fields(before[key], after[key])
        if changes:
            diff.amended.append(Amendment(before[key], after[key], changes))
    for items in (diff.added, diff.removed):
        items.sort(key=lambda d: str(d.reference))
    diff.amended.sort(key=lambda a: str(a.after.reference))
    return diff


def changed_fields(before: Designation, after: Designation) -> dict[str, tuple[Any, Any]]:
    """Every field whose value differs, with the value on each side."""
    old, new = before.to_dict(), after.to_dict()
    return {name: (old[name], new[name]) for name in old if old[name] != new[name]}
