"""A dissemination package for law enforcement: one zip file that holds a case's reports, its
subjects, the picture of their network, the FIU's reasoning and an index.

The package is written the same way twice from the same contents (fixed member times, sorted
members), so its sha256, recorded in the audit trail when it is sent, identifies it. The manifest
(`manifest.json`) lists every member with its sha256 and size; `index.html` is the page a reader
opens first. Nothing is written unless the whole package is: it is assembled in a temporary file
beside the target and renamed into place.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from finmon.errors import InputError
from finmon.fiu.records import SUBJECT_COLUMNS

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
"""Every member's time in the zip: the package's bytes depend on its contents only."""
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Dissemination:
    """What a package holds: decided by two people before it is written."""

    reference: str
    """The FIU's reference of the dissemination."""
    recipient: str
    """The law-enforcement body it goes to."""
    reasoning: str
    """Why the FIU disseminates: the analysis in the analyst's words."""
    subjects: Sequence[Mapping[str, str]]
    """Rows with SUBJECT_COLUMNS."""
    reports: Sequence[tuple[str, bytes]]
    """Each report's FIU key and its XML as received."""
    drafted_by: str
    approved_by: str
    approved_at: dt.datetime
    network_svg: str | None = None


def write_package(item: Dissemination, target: Path) -> dict[str, object]:
    """Write the package to target (a .zip); its manifest, with the package's own sha256."""
    if item.drafted_by == item.approved_by:
        raise InputError("a dissemination needs two people: the drafter may not approve it")
    members = _members(item)
    manifest = {
        "reference": item.reference,
        "recipient": item.recipient,
        "drafted_by": item.drafted_by,
        "approved_by": item.approved_by,
        "approved_at": item.approved_at.isoformat(),
        "members": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in members
        ],
    }
    members.append(("manifest.json", json.dumps(manifest, indent=2).encode()))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".package-", suffix=".zip")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in sorted(members):
                out.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return {**manifest, "sha256": hashlib.sha256(target.read_bytes()).hexdigest()}


def _members(item: Dissemination) -> list[tuple[str, bytes]]:
    members: list[tuple[str, bytes]] = [
        ("subjects.csv", _subjects_csv(item.subjects)),
        ("reasoning.txt", item.reasoning.encode()),
        ("index.html", _index(item).encode()),
    ]
    seen: set[str] = set()
    for key, xml in item.reports:
        name = f"reports/{_SAFE.sub('_', key)}.xml"
        if name in seen:
            raise InputError(f"report {key!r} is in the dissemination twice")
        seen.add(name)
        members.append((name, xml))
    if item.network_svg is not None:
        members.append(("network.svg", item.network_svg.encode()))
    return members


def _subjects_csv(rows: Sequence[Mapping[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, SUBJECT_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _index(item: Dissemination) -> str:
    cells = ("subject_id", "name", "identifiers", "reports")
    subjects = "".join(
        "<tr>" + "".join(f"<td>{escape(row.get(cell, ''))}</td>" for cell in cells) + "</tr>"
        for row in item.subjects
    )
    reports = "".join(
        f'<li><a href="reports/{escape(_SAFE.sub("_", key))}.xml">{escape(key)}</a></li>'
        for key, _ in item.reports
    )
    picture = '<p><img src="network.svg" alt="network of the subjects"></p>'
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(item.reference)}</title></head><body>"
        f"<h1>Dissemination {escape(item.reference)}</h1>"
        f"<p>To {escape(item.recipient)}. Drafted by {escape(item.drafted_by)}, approved by "
        f"{escape(item.approved_by)} at {escape(item.approved_at.isoformat())}.</p>"
        f"<h2>Reasoning</h2><pre>{escape(item.reasoning)}</pre>"
        "<h2>Subjects</h2><table><tr><th>subject</th><th>name</th><th>identifiers</th>"
        f"<th>reports</th></tr>{subjects}</table>"
        f"<h2>Reports</h2><ul>{reports}</ul>"
        f"{picture if item.network_svg is not None else ''}"
        "<p>Every file's sha256 is in manifest.json.</p></body></html>"
    )
