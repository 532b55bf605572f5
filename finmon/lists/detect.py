"""Telling a list file's format from its content, never from its name."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from pathlib import Path

from finmon.errors import InputError
from finmon.lists import afm, csvlist, ftm, ofac, un
from finmon.lists.reading import read_head

FORMAT_NAMES = (un.FORMAT, afm.FORMAT, ofac.FORMAT, ftm.FORMAT, csvlist.FORMAT)
SNIFF_BYTES = 1 << 16
_FIRST_LINE_LIMIT = 1 << 24
_XML_CLUTTER = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S)
_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_AFM_RECORD = re.compile(rb"<(?:person|org)[\s/>]")


def detect_format(paths: Sequence[Path]) -> str:
    """The one list format all the given files are in; InputError when that cannot be told."""
    if not paths:
        raise InputError("no list file given")
    found = {path: _detect_one(path) for path in paths}
    formats = set(found.values())
    if len(formats) > 1:
        shown = "; ".join(f"{path}: {fmt}" for path, fmt in found.items())
        raise InputError(f"the files given are in different formats ({shown})")
    return formats.pop()


def _detect_one(path: Path) -> str:
    head = read_head(path, SNIFF_BYTES)
    body = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if body.startswith(b"<"):
        return _xml_format(path, body)
    if body.startswith(b"{") and _is_ftm(path):
        return ftm.FORMAT
    text = body.decode("utf-8", errors="replace")
    if csvlist.header_columns(text.split("\n", 1)[0].rstrip("\r")) is not None:
        return csvlist.FORMAT
    if ofac.ofac_shape(head[:4096]) is not None:
        return ofac.FORMAT
    raise InputError(
        f"{path}: cannot tell the list format from the content; give it explicitly "
        f"(one of {', '.join(FORMAT_NAMES)})"
    )


def _xml_format(path: Path, body: bytes) -> str:
    tag = _FIRST_TAG.search(_XML_CLUTTER.sub(b"", body))
    root = tag.group(1).decode("ascii", errors="replace") if tag else ""
    if root == un.ROOT:
        return un.FORMAT
    if _AFM_RECORD.search(body):
        return afm.FORMAT
    raise InputError(f"{path}: XML with root element {root or '(none)'} is not a list finmon reads")


def _is_ftm(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline(_FIRST_LINE_LIMIT)
    try:
        entity = json.loads(first.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return False
    return isinstance(entity, dict) and "schema" in entity and "id" in entity
