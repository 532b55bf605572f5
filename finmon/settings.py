"""All of finmon's settings, read once from FINMON_* environment variables.

Nothing else reads os.environ.
"""

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
    db_busy_timeout: float = 30.0
    """Seconds a writer waits for another process's write to finish before giving up."""
    fetch_timeout: float = 60.0
    """Seconds a list download may stall before it is abandoned."""
    workers: int = 1
    """Processes that screen a file in parallel (default: one per core)."""
    rates: Path | None = None
    """Exchange rates for the FATF R.16 threshold (finmon.transactions.wire.Rates.read)."""
    pacs008_schema: Path | None = None
    """The pacs.008.001.09 XSD that pacs.008 files are validated against."""
    max_name_length: int = 1000
    """Characters a party's name may have where parties enter (files, /screen, /match,
    /payments/check); the longest names on real lists have about 300."""
    max_name_words: int = 100
    """Words (parts between spaces) a party's name may have where parties enter; the most on
    real lists is 37."""


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
        db_busy_timeout=float(env.get("FINMON_DB_BUSY_TIMEOUT") or 30.0),
        fetch_timeout=float(env.get("FINMON_FETCH_TIMEOUT") or 60.0),
        workers=int(env.get("FINMON_WORKERS") or os.cpu_count() or 1),
        rates=Path(env["FINMON_RATES"]) if env.get("FINMON_RATES") else None,
        pacs008_schema=(Path(env["FINMON_PACS008_XSD"]) if env.get("FINMON_PACS008_XSD") else None),
        max_name_length=int(env.get("FINMON_MAX_NAME_LENGTH") or 1000),
        max_name_words=int(env.get("FINMON_MAX_NAME_WORDS") or 100),
    )
