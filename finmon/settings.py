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
    audit_key_file: Path | None = None
    """The audit log's HMAC key (64 hex digits), created with mode 0600 on first use: keep it on the
    application host, never with the database (default $FINMON_HOME/audit.key)."""
    audit_key: str | None = None
    """The audit key itself as 64 hex digits, for hosts that inject secrets into the environment;
    when set, audit_key_file is not read or created."""
    audit_checkpoint_file: Path | None = None
    """Append-only file of HMAC'd checkpoints of the audit log's head, one line per committed write
    (default $FINMON_HOME/audit-checkpoints.log): on the application host, not with the database."""
    max_body_bytes: int = 4 * 2**20
    """Bytes of one HTTP request body, except uploads and manifests (413 beyond)."""
    max_upload_bytes: int = 500 * 2**20
    """Bytes of one uploaded customer file (POST /customers/import, /ui/upload)."""
    max_manifest_bytes: int = 64 * 2**20
    """Bytes of one POST /travel/screen body (a PAXLST manifest as JSON text)."""
    import_batch: int = 1000
    """Customer rows written in one short transaction of an import (other writers wait at most
    for one batch)."""
    screen_threads: int = 2
    """Threads of a server process that screen requests at once; the others wait their turn."""


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
        audit_key_file=Path(env.get("FINMON_AUDIT_KEY_FILE") or home / "audit.key").expanduser(),
        audit_key=env.get("FINMON_AUDIT_KEY") or None,
        audit_checkpoint_file=Path(
            env.get("FINMON_AUDIT_CHECKPOINT_FILE") or home / "audit-checkpoints.log"
        ).expanduser(),
        max_body_bytes=int(env.get("FINMON_MAX_BODY_BYTES") or 4 * 2**20),
        max_upload_bytes=int(env.get("FINMON_MAX_UPLOAD_BYTES") or 500 * 2**20),
        max_manifest_bytes=int(env.get("FINMON_MAX_MANIFEST_BYTES") or 64 * 2**20),
        import_batch=max(1, int(env.get("FINMON_IMPORT_BATCH") or 1000)),
        screen_threads=max(1, int(env.get("FINMON_SCREEN_THREADS") or 2)),
    )
