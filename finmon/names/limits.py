"""How long a party's name may be where parties enter finmon.

The matcher's work is linear in a name's length (finmon.screening.index), but a name of 100,000
characters is no one's name: refusing it at the door keeps every request and file row small, and
says plainly what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmon.errors import InputError
from finmon.settings import Settings, load_settings


@dataclass(frozen=True, slots=True)
class NameLimits:
    """The most characters and words a name may have (Settings.max_name_length, _words)."""

    characters: int
    words: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> NameLimits:
        """The limits in the settings (read from the environment unless given)."""
        settings = settings or load_settings()
        return cls(settings.max_name_length, settings.max_name_words)

    def check(self, name: str, where: str) -> None:
        """InputError naming the place when the name is longer than the limits allow."""
        if len(name) > self.characters:
            raise InputError(
                f"{where}: the name has {len(name):,} characters; at most {self.characters:,} "
                "are accepted (FINMON_MAX_NAME_LENGTH)"
            )
        words = len(name.split())
        if words > self.words:
            raise InputError(
                f"{where}: the name has {words:,} words; at most {self.words:,} are accepted "
                "(FINMON_MAX_NAME_WORDS)"
            )
