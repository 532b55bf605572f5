"""All of finmon's settings, read once from FINMON_* environment variables.

Nothing else reads os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

UN_LIST_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

_GIB = 1 << 30


@dataclass(frozen=True, slots=True)
class FileLimits:
    """Bounds on the record files finmon reads (customers, transactions, accounts, rates,
    manifests), checked before their data is materialised. Generous for a bank's real files,
    they stop files built to exhaust memory (an XLSX whose one cell unpacks to 400 MB)."""

    max_file_bytes: int = 4 * _GIB
    """FINMON_MAX_FILE_BYTES: size of a streamed record file (customers, accounts) on disk."""
    max_document_bytes: int = _GIB
    """FINMON_MAX_DOCUMENT_BYTES: size of a file read whole (transactions in every format,
    PAXLST manifests, rates tables)."""
    max_unpacked_bytes: int = 2 * _GIB
    """FINMON_MAX_UNPACKED_BYTES: what a compressed file declares it unpacks to (an XLSX: the
    sum of its members; a Parquet file: the sum of its row groups) and what its text columns
    decode to."""
    max_xlsx_strings_bytes: int = _GIB // 2
    """FINMON_MAX_XLSX_STRINGS_BYTES: an XLSX's shared-strings table, which openpyxl holds in
    memory whole."""
    max_compression_ratio: int = 100
    """FINMON_MAX_COMPRESSION_RATIO: unpacked to packed size of an XLSX member or Parquet column
    chunk over 1 MiB (real workbooks stay under 20)."""
    max_rows: int = 10_000_000
    """FINMON_MAX_ROWS: rows (records) in one file."""
    max_columns: int = 1_024
    """FINMON_MAX_COLUMNS: columns in one file (or keys in one JSONL record)."""
    max_cell_chars: int = 32_767
    """FINMON_MAX_CELL_CHARS: characters in one cell (Excel's own limit)."""
    max_record_chars: int = 1 << 20
    """FINMON_MAX_RECORD_CHARS: characters in one record: a CSV record (its line, or lines if a
    quoted cell spans several), a JSONL line, a Parquet row."""


def _file_limits(env: Mapping[str, str]) -> FileLimits:
    default = FileLimits()
    values = {
        name: int(env.get(f"FINMON_{name.upper()}") or getattr(default, name))
        for name in FileLimits.__dataclass_fields__
    }
    return FileLimits(**values)


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
    import_batch: int = 5000
    """Customer rows written in one short transaction of an import (other writers wait at most
    for one batch)."""
    screen_threads: int = 2
    """Threads of a server process that screen requests at once; the others wait their turn."""
    files: FileLimits = field(default_factory=FileLimits)
    """Bounds on the record files finmon reads (FINMON_MAX_* variables)."""
    max_name_length: int = 1000
    """Characters a party's name may have where parties enter (files, /screen, /match,
    /payments/check); the longest names on real lists have about 300."""
    max_name_words: int = 100
    """Words (parts between spaces) a party's name may have where parties enter; the most on
    real lists is 37."""
    fairness_file: Path | None = None
    """Benchmark alert rates by name script (a JSON list of {population, script, people, alerted,
    rate}, as bench/fairness.py --json writes it), shown beside the installation's own figures on
    the supervisors' fairness page."""
    # --- FIU part 1: intake of goAML reports
    fiu_schema: Path | None = None
    """FINMON_FIU_SCHEMA: the goAML XSD the FIU validates received reports against."""
    fiu_goaml_config: Path | None = None
    """FINMON_FIU_GOAML_CONFIG: the goAML configuration that patches it (default the shipped
    Kazakhstan one, finmon/reports/kz.yaml)."""
    max_report_bytes: int = 20 * 2**20
    """FINMON_MAX_REPORT_BYTES: bytes of one received goAML report (a file or a POST body)."""
    screener_cache: Path | None = None
    """Folder for the built screening index, reused while the lists and finmon stay the same
    (default $FINMON_HOME/cache; FINMON_SCREENER_CACHE=off keeps none)."""
    # Issue 20, the national list out: who this reporting entity is to the FIU's feed.
    entity_bin: str | None = None
    """FINMON_ENTITY_BIN: this reporting entity's BIN, named in the receipts of list feeds."""
    entity_profile: Path | None = None
    """FINMON_ENTITY_PROFILE: the reporting entity's goAML profile (rentity_id, branch, reporting
    person), a YAML file; default $FINMON_HOME/entity.yaml. No report is written without it."""
    receipt_key: Path | None = None
    """FINMON_RECEIPT_KEY: the entity's Ed25519 private key (PEM, mode 0600) signing receipts."""
    # Issue 20, requests between FIUs: the key agreed with partner FIUs, for matching at once.
    fiu_exchange_key_file: Path | None = None
    """FINMON_FIU_EXCHANGE_KEY_FILE: the exchange key; when set, POST /fiu/requests matches a
    received request against the FIU's resolved subjects at once."""
    time_zone: str = "Asia/Almaty"
    """FINMON_TIME_ZONE: the IANA time zone the entity's people read times in (pages, the CLI's
    readable output); times are stored in UTC and the 24-hour clocks count real hours."""
    language: str = "en"
    """FINMON_LANGUAGE: the language of the CLI's readable output (kk, ru or en; --lang)."""


CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
"""cgroup v2's CPU quota of this process's group: "QUOTA PERIOD" in microseconds, or "max"."""


def usable_cores() -> int:
    """The cores this process may run on: those its CPU affinity allows (a container pinned to
    2 of a host's 64 cores sees 2, where os.cpu_count says 64), fewer if its cgroup's CPU quota
    allows fewer (docker --cpus=2), at least 1. A worker per core beyond these only adds memory."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        cores = os.cpu_count() or 1
    try:
        quota, period = CPU_MAX.read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):  # no cgroup v2 quota to read
        pass
    return max(1, cores)


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
        workers=int(env.get("FINMON_WORKERS") or usable_cores()),
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
        import_batch=max(1, int(env.get("FINMON_IMPORT_BATCH") or 5000)),
        screen_threads=max(1, int(env.get("FINMON_SCREEN_THREADS") or 2)),
        files=_file_limits(env),
        screener_cache=_screener_cache(env.get("FINMON_SCREENER_CACHE"), home),
        max_name_length=int(env.get("FINMON_MAX_NAME_LENGTH") or 1000),
        max_name_words=int(env.get("FINMON_MAX_NAME_WORDS") or 100),
        fiu_schema=Path(env["FINMON_FIU_SCHEMA"]) if env.get("FINMON_FIU_SCHEMA") else None,
        fiu_goaml_config=(
            Path(env["FINMON_FIU_GOAML_CONFIG"]) if env.get("FINMON_FIU_GOAML_CONFIG") else None
        ),
        max_report_bytes=int(env.get("FINMON_MAX_REPORT_BYTES") or 20 * 2**20),
        fairness_file=Path(env["FINMON_FAIRNESS_FILE"])
        if env.get("FINMON_FAIRNESS_FILE")
        else None,
        entity_bin=env.get("FINMON_ENTITY_BIN") or None,
        entity_profile=Path(env.get("FINMON_ENTITY_PROFILE") or home / "entity.yaml").expanduser(),
        receipt_key=Path(env["FINMON_RECEIPT_KEY"]).expanduser()
        if env.get("FINMON_RECEIPT_KEY")
        else None,
        fiu_exchange_key_file=Path(env["FINMON_FIU_EXCHANGE_KEY_FILE"]).expanduser()
        if env.get("FINMON_FIU_EXCHANGE_KEY_FILE")
        else None,
        time_zone=(env.get("FINMON_TIME_ZONE") or "Asia/Almaty").strip(),
        language=(env.get("FINMON_LANGUAGE") or "en").strip().lower(),
    )


def _screener_cache(value: str | None, home: Path) -> Path | None:
    """The screener cache folder: FINMON_SCREENER_CACHE, 'off' for none, else under home."""
    if value is None or not value.strip():
        return home / "cache"
    if value.strip().lower() in {"off", "no", "none", "0", "false"}:
        return None
    return Path(value).expanduser()
