"""Alembic's side of the migrations: its configuration in code, upgrading and writing revisions."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.script import Script
from sqlalchemy import Connection, TypeDecorator

from finmon.store.engine import Database
from finmon.store.migrations import BASE_REVISION, VERSIONS, append_only, revision_graph
from finmon.store.models import Base

_REVISION_ID_LENGTH = 32
"""alembic_version.version_num is a VARCHAR(32), and PostgreSQL refuses anything longer."""


def config(connection: Connection | None = None, versions: Path = VERSIONS) -> Config:
    """Alembic's configuration for finmon, built in code so that no alembic.ini is needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(VERSIONS.parent))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(versions))
    cfg.set_main_option("file_template", "%%(rev)s")
    cfg.attributes["connection"] = connection
    return cfg


def context_options() -> dict[str, Any]:
    """How env.py sets alembic up: the models to compare with and how revisions are written."""
    # Batch operations work on both dialects and are the only way to alter a table on SQLite.
    return {"target_metadata": Base.metadata, "render_as_batch": True, "render_item": _render_item}


def adopt(connection: Connection) -> None:
    """Stamp a database that finmon made before it had migrations at BASE_REVISION.

    Such a database has revision 0001's tables but, on PostgreSQL, not its audit_log guard.
    """
    for statement in append_only.create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)
    command.stamp(config(connection), BASE_REVISION)


def upgrade_to_head(connection: Connection) -> None:
    """Run every revision the database lacks, inside the caller's transaction."""
    command.upgrade(config(connection), "head")


def new_revision(message: str, versions: Path = VERSIONS) -> Path:
    """Write the next revision into versions: what autogenerate finds models.py has beyond head.

    The comparison runs against a scratch SQLite database brought to head, so no server is needed.
    """
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'head.db'}")
        try:
            with database.engine.begin() as connection:
                script = command.revision(
                    config(connection, versions),
                    message=message,
                    autogenerate=True,
                    rev_id=next_revision_id(message),
                )
        finally:
            database.dispose()
    assert isinstance(script, Script), f"alembic wrote no single revision for {message!r}"
    return Path(script.path)


def next_revision_id(message: str) -> str:
    """The id after the newest numbered one, named after the message: '0002_customers_alerts'."""
    numbers = [int(revision[:4]) for revision in revision_graph() if revision[:4].isdigit()]
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    return f"{max(numbers, default=0) + 1:04d}_{slug}"[:_REVISION_ID_LENGTH].rstrip("_")


def _render_item(kind: str, item: Any, _context: AutogenContext) -> str | Literal[False]:
    # A revision must not import finmon's models, which keep changing after it is written: a
    # finmon column type is written as the SQL type it stores.
    if kind == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl_instance!r}"
    return False
