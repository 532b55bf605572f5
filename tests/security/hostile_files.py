"""Hostile record files built for tests: XLSX bombs and their honest look-alikes."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_PACKAGE = b"http://schemas.openxmlformats.org/package/2006"
_OFFICE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="' + _PACKAGE + b'/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PACKAGE + b'/relationships">'
    b'<Relationship Id="rId1" Type="' + _OFFICE + b'/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook '
    + _MAIN
    + b' xmlns:r="'
    + _OFFICE
    + b'"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + _PACKAGE + b'/relationships">'
    b'<Relationship Id="rId1" Type="' + _OFFICE + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="' + _OFFICE + b'/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
_PIECE = 1 << 20


def xlsx_bomb(path: Path, unpacked: int, where: str = "strings", fill: bytes = b"A") -> Path:
    """A workbook with a header (id, name) and one customer whose name is `unpacked` bytes of
    `fill`, in the shared-strings table (where="strings") or inline in the sheet ("sheet");
    written with DEFLATE at level 9 a few hundred KB hold hundreds of MB. With unpacked=0 the
    name is "Alice Example" and the workbook is an ordinary one."""
    inline = where == "sheet"
    cell = b'<c r="B2" t="inlineStr"><is><t>' if inline else b'<c r="B2" t="s"><v>2</v></c>'
    sheet = (
        b"<worksheet " + _MAIN + b'><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        b'<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c>' + cell,
        (b"</t></is></c>" if inline else b"") + b"</row></sheetData></worksheet>",
    )
    strings = (
        b"<sst " + _MAIN + b"><si><t>id</t></si><si><t>name</t></si><si><t>",
        b"</t></si><si><t>1</t></si></sst>",
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, (head, tail), bomb in (
            ("xl/sharedStrings.xml", strings, not inline),
            ("xl/worksheets/sheet1.xml", sheet, inline),
        ):
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head)
                _fill(member, unpacked if bomb else 0, fill)
                member.write(tail)
    return path


def _fill(member: Any, size: int, fill: bytes) -> None:
    if size == 0:
        member.write(b"Alice Example")
        return
    piece = fill * (_PIECE // len(fill))
    for _ in range(size // len(piece)):
        member.write(piece)
    member.write(fill * ((size % len(piece)) // len(fill)))
