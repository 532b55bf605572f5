"""The script a name is written in, in the groups fairness is measured by.

Measurement only: how often customers whose names are written in each script are alerted. A
name's script is never a matching feature (no score or threshold reads it).
"""

from __future__ import annotations

from enum import StrEnum

from finmon.names.translit import Script, script_of


class ScriptGroup(StrEnum):
    ARABIC = "arabic"
    """Arabic script, Persian and Urdu included."""
    EAST_ASIAN = "east_asian"
    """Chinese characters, Japanese kana, Korean hangul."""
    CYRILLIC = "cyrillic"
    LATIN = "latin"
    OTHER = "other"


SCRIPT_GROUPS = tuple(ScriptGroup)
"""The groups in the order pages and reports show them."""
_EAST_ASIAN = (
    (0x1100, 0x1200),  # Hangul Jamo
    (0x2E80, 0x2FE0),  # CJK radicals
    (0x3040, 0x3100),  # Hiragana, Katakana
    (0x3130, 0x3190),  # Hangul compatibility Jamo
    (0x3400, 0x4DC0),  # CJK extension A
    (0x4E00, 0xA000),  # CJK unified ideographs
    (0xAC00, 0xD7B0),  # Hangul syllables
    (0xF900, 0xFB00),  # CJK compatibility ideographs
    (0x20000, 0x2FA20),  # CJK extensions B-F
)
_GROUPS = {
    Script.LATIN: ScriptGroup.LATIN,
    Script.CYRILLIC: ScriptGroup.CYRILLIC,
    Script.ARABIC: ScriptGroup.ARABIC,
    Script.OTHER: ScriptGroup.OTHER,
}


def script_group(name: str) -> ScriptGroup:
    """The group of the script most letters of the name are written in."""
    letters = [char for char in name if char.isalpha()]
    east_asian = sum(1 for char in letters if _is_east_asian(char))
    if east_asian * 2 > len(letters):
        return ScriptGroup.EAST_ASIAN
    return _GROUPS[script_of(name)]


def _is_east_asian(char: str) -> bool:
    code = ord(char)
    return any(low <= code < high for low, high in _EAST_ASIAN)
