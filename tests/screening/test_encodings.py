"""An upload's encoding from its bytes: UTF-8 (BOM or not), UTF-16, Windows-1251, KZ-1048."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.screening.encodings import chosen, detect

KAZAKH = "id,name\n1,Әлібек Ғабитұлы Қоңыратбаев\n2,Өмір Ұлықбек Үсенов Һәкім Іңкәр\n"
RUSSIAN = "id,name\n1,Ёлкин Юрий Щербакович\n2,Иванова Жанна «ТОО Ромашка» №5\n"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (KAZAKH, "utf-8", "utf-8"),
        (KAZAKH, "utf-8-sig", "utf-8-sig"),
        (KAZAKH, "utf-16", "utf-16"),
        (KAZAKH, "kz1048", "kz1048"),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "kz1048", "cp1251"),  # the same bytes: Russian reads alike in both
        ("id,name\n1,Қ\n", "kz1048", "kz1048"),  # one Kazakh letter is enough
        ("id,name\n1,Ivanov\n", "ascii", "utf-8"),
    ],
)
def test_the_encoding_is_read_from_the_bytes(
    tmp_path: Path, text: str, encoding: str, expected: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode(encoding))
    found = detect(path)
    assert (found.encoding, found.detected) == (expected, True)
    assert path.read_bytes().decode(found.encoding).lstrip("\ufeff") == text


def test_a_file_valid_utf8_only_at_its_start_is_not_taken_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(("id,name\n" + "1,Ivanov\n" * 200_000).encode() + KAZAKH.encode("kz1048"))
    assert path.stat().st_size > 1 << 20
    assert detect(path).encoding == "kz1048"


def test_only_the_offered_encodings_may_be_chosen() -> None:
    assert chosen(" CP1251 ", "upload") == "cp1251"
    with pytest.raises(InputError, match="upload: encoding 'latin-1' is not one of"):
        chosen("latin-1", "upload")
