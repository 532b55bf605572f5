"""Streaming XML reading that refuses hostile documents and keeps memory low on big files.

Entities are never resolved, no DTD is loaded and nothing is fetched over the network. A document
whose DOCTYPE declares entities, or points at an external DTD, is refused outright: sanctions lists
never need either, and refusing at the root start tag costs nothing however large the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from finmon.errors import InputError
from finmon.lists.reading import checked_digest, declared_xml_encoding, place, read_head

PROLOG_BYTES = 1 << 16
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM|PUBLIC)\b")


def check_xml_file(path: Path) -> str:
    """The sha256 of a safe-looking XML file whose bytes all decode in the encoding it declares."""
    head = read_head(path, PROLOG_BYTES)
    _refuse_hostile_prolog(path, head)
    return checked_digest(path, declared_xml_encoding(head))


def iter_records(path: Path, tags: frozenset[str]) -> Iterator[Any]:
    """Yield the root element, then each complete element named in `tags` (in any namespace;
    the tags must not nest).

    Each yielded record is cleared once the caller asks for the next one, so read what you need
    before advancing.
    """
    events = etree.iterparse(
        str(path),
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in sorted(tags)],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        yield from _records(path, events)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        raise InputError(f"{place(path, line, column)}: malformed XML: {exc.msg}") from exc


def local_name(element: Any) -> str:
    """An element's tag without its namespace."""
    tag = str(element.tag)
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


def fields(element: Any) -> dict[str, str]:
    """The stripped text of each direct child by local name ('' when empty; first of repeats)."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(local_name(child), " ".join(child.text.split()) if child.text else "")
    return found


def texts_of(element: Any, path: str) -> list[str]:
    """The non-empty stripped texts of every element matching a path below `element`."""
    texts = (" ".join(str(e.text).split()) for e in element.iterfind(path) if e.text)
    return [t for t in texts if t]


def _records(path: Path, events: Any) -> Iterator[Any]:
    root = None
    for _event, element in events:
        if root is None:
            # The prolog is parsed by now and entities are never expanded, so checking here is safe.
            root = element.getroottree().getroot()
            refuse_doctype(path, root)
            yield root
        yield element
        _release(element)
    if root is None:
        refuse_doctype(path, events.root)
        yield events.root


def _refuse_hostile_prolog(path: Path, head: bytes) -> None:
    """First line of defence, on the raw bytes before the root element: no entity declarations."""
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    if b"<!ENTITY" in prolog or _EXTERNAL_DTD.search(prolog):
        raise InputError(f"{place(path, 1)}: {_REFUSED}")
    if root is None and b"<!DOCTYPE" in prolog:
        raise InputError(f"{place(path, 1)}: refused: a DOCTYPE longer than {len(head)} bytes")


def refuse_doctype(path: Path, root: Any) -> None:
    """Refuse a parsed document whose DOCTYPE declares entities or names an external DTD (the
    prolog check reads only the first PROLOG_BYTES)."""
    info = root.getroottree().docinfo
    dtd = info.internalDTD
    declares = dtd is not None and any(True for _ in dtd.entities())
    if declares or info.system_url or info.public_id:
        raise InputError(f"{place(path, root.sourceline)}: {_REFUSED}")


_REFUSED = (
    "refused: the DOCTYPE declares entities or an external DTD, which no file finmon reads "
    "needs (possible XML entity attack)"
)


def _release(element: Any) -> None:
    """Free a finished record and the siblings before it, so memory stays flat."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is None:
        return
    while element.getprevious() is not None:
        del parent[0]
