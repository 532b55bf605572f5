"""Reading list files safely: digests, strict decoding, error messages that point at the place."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from finmon.errors import InputError

CHUNK = 1 << 20
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def place(path: Path, line: int | None = None, column: int | None = None) -> str:
    """The "file:line:column" prefix of an error message."""
    text = str(path)
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


def short_version(digest: str) -> str:
    """A version label made from a sha256, for lists that carry no date of their own."""
    return digest[:12]


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a file, for sniffing."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def declared_xml_encoding(head: bytes) -> str:
    """The encoding an XML document declares by BOM or declaration; UTF-8 when it declares none."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _XML_DECLARATION.match(head.lstrip())
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def checked_digest(path: Path, encoding: str = "utf-8") -> str:
    """The file's sha256, after checking every byte decodes in the given encoding."""
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise InputError(f"{path}: declares an unknown encoding {encoding!r}") from exc
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    for chunk in _chunks(path):
        digest.update(chunk)
        pending = _pending(decoder)
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            _raise_bad_byte(path, encoding, offset - pending + exc.start)
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        _raise_bad_byte(path, encoding, offset - _pending(decoder) + exc.start)
    return digest.hexdigest()


def digest_of(path: Path) -> str:
    """The file's sha256 with no decoding check."""
    digest = hashlib.sha256()
    for chunk in _chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _pending(decoder: codecs.IncrementalDecoder) -> int:
    state = decoder.getstate()
    return len(state[0]) if isinstance(state, tuple) and isinstance(state[0], bytes) else 0


def _raise_bad_byte(path: Path, encoding: str, offset: int) -> None:
    """Refuse the file, naming the line and byte offset of the first byte that does not decode."""
    with path.open("rb") as handle:
        prefix = handle.read(offset)
        bad = handle.read(1)
    line = prefix.count(b"\n") + 1
    raise InputError(
        f"{place(path, line)}: byte offset {offset}: byte 0x{bad.hex()} is not valid {encoding}; "
        "the file is damaged or in another encoding than it declares"
    )
