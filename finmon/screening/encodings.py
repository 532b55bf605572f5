"""Which encoding an uploaded text file is in: UTF-8 (with or without its BOM), or one of the
Cyrillic Windows code pages offices in Kazakhstan save in, Windows-1251 (Russian; 1C and Excel's
"CSV" on a Russian Windows) and KZ-1048 (Kazakh).

Detection is by the bytes alone, no guess from statistics: a BOM says UTF-8 or UTF-16; a file
that is valid UTF-8 throughout is UTF-8 (an 8-bit Cyrillic text almost never is); otherwise it is a
Cyrillic code page. Windows-1251 and KZ-1048 agree on Russian letters and differ on sixteen
bytes, which KZ-1048 uses for the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ) and Windows-1251 for Serbian,
Macedonian, Ukrainian and Belarusian ones (Ј Є Ќ Ѕ Ў Ї ...). A file that has any of them is read
as KZ-1048, since these are Kazakhstan's files; one without them reads the same in both and is
named Windows-1251. (charset-normalizer, tried on short customer files, named KZ-1048 files
Windows-1251.) The person uploading sees the encoding used and can choose another.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from finmon.errors import InputError

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "cp1251": "Windows-1251",
    "kz1048": "KZ-1048",
    "utf-16": "UTF-16",
}
"""The encodings an upload may be read in (Python codec names) and how pages name them."""
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
"""Files that have an encoding (XLSX, JSONL and Parquet files carry or require their own)."""
_KAZAKH_BYTES = re.compile(rb"[\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf]")
"""The bytes KZ-1048 reads as Kazakh letters (and Windows-1251 as other Slavic ones)."""
_PIECE = 1 << 20


@dataclass(frozen=True, slots=True)
class Detected:
    """The encoding a file is read in, and whether it was detected or chosen by a person."""

    encoding: str
    detected: bool

    @property
    def label(self) -> str:
        """The encoding as pages name it."""
        return ENCODINGS.get(self.encoding, self.encoding)


def has_encoding(path: Path | str) -> bool:
    """True for the text files an encoding applies to."""
    return str(path).lower().endswith(TEXT_SUFFIXES)


def chosen(encoding: str, where: str) -> str:
    """A person's choice of encoding, refused (InputError naming where) if it is not offered."""
    name = encoding.strip().lower()
    if name not in ENCODINGS:
        raise InputError(f"{where}: encoding {encoding!r} is not one of {', '.join(ENCODINGS)}")
    return name


def detect(path: Path) -> Detected:
    """The encoding a text file is in (see the module's docstring), read piece by piece."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return Detected("utf-8-sig", True)
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return Detected("utf-16", True)
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        kazakh = False
        utf8 = True
        while piece := handle.read(_PIECE):
            if utf8:
                try:
                    decoder.decode(piece)
                except UnicodeDecodeError:
                    utf8 = False
            kazakh = kazakh or _KAZAKH_BYTES.search(piece) is not None
            if not utf8 and kazakh:
                break
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:  # the file ends inside a character
                utf8 = False
    if utf8:
        return Detected("utf-8", True)
    return Detected("kz1048" if kazakh else "cp1251", True)
