"""All of finmon's settings, read once from FINMON_* environment variables. Nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

UN_LIST_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    actor: str
    un_list_url: str
    shared_dir: Path | None
    ci: bool


def load_settings() -> Settings:
    """Read the environment as it is now."""
    env = os.environ
    home = Path(env.get("FINMON_HOME") or Path.home() / ".finmon").expanduser()
    database_url = env.get("FINMON_DATABASE_URL") or f"sqlite:///{home / 'finmon.db'}"
    shared = env.get("FINMON_SHARED_DIR")
    return Settings(
        home=home,
        database_url=database_url,
        actor=env.get("FINMON_ACTOR") or env.get("USER") or "unknown",
        un_list_url=env.get("FINMON_UN_LIST_URL") or UN_LIST_URL,
        shared_dir=Path(shared) if shared else None,
        ci=env.get("CI", "").lower() in {"1", "true", "yes"},
    )
