"""Initials written together in a person's name (JC Juncker, JFK): letters apart, as initials."""

from __future__ import annotations

import re

_GLUED = re.compile(r"\b([B-DF-HJ-NP-TV-XZ]{2,3})\b")
"""Two or three capital consonants: no syllable of a name, so initials."""


def split_initials(text: str) -> str:
    """A person's name with capital consonants written together split into initials, where the
    name is written in mixed case (in capitals throughout, NG or TJ may be a name part)."""
    if not any(char.islower() for char in text):
        return text
    return _GLUED.sub(lambda m: " ".join(m.group()), text)
