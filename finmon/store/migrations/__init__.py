"""Schema migrations: the store's tables are made and changed only by the revisions in versions/.

Database() calls upgrade() under its write lock. Checking that a database is already at head
reads the revision files without importing alembic, which alone costs about 0.12 s, so only a
database that is behind pays for it. How to add a revision: README.md in this folder.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from finmon.errors import StoreError

VERSIONS = Path(__file__).parent / "versions"
BASE_REVISION = "0001_lists_and_audit"
"""The schema that finmon made with create_all before it had migrations."""
BASE_TABLES = frozenset({"list_versions", "designations", "audit_log"})


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None when it has no alembic_version table."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    version = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return None if version is None else str(version)


def head_revision() -> str:
    """The newest revision this finmon knows, the one upgrade() brings a database to."""
    graph = revision_graph()
    heads = set(graph) - {parent for parents in graph.values() for parent in parents}
    if len(heads) != 1:
        raise StoreError(f"{VERSIONS} has {len(heads)} newest revisions {sorted(heads)}; need one")
    return heads.pop()


@cache
def revision_graph() -> dict[str, tuple[str, ...]]:
    """Every revision in versions/ with the revisions it follows, read from the files' text."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        if path.name != "__init__.py":
            names = _graph_names(path)
            graph[str(names["revision"])] = _as_tuple(names.get("down_revision"))
    return graph


def upgrade(connection: Connection) -> None:
    """Bring the database to head in the caller's transaction, which must hold the write lock.

    A database that finmon made before it had migrations is stamped at BASE_REVISION first; one
    stamped by a newer finmon is refused, since this code cannot know what its schema holds.
    """
    current = current_revision(connection)
    if current == head_revision():
        return
    if current is not None and current not in revision_graph():
        raise StoreError(
            f"database {_safe_url(connection)} has schema revision {current}, newer than this "
            f"finmon knows (its newest is {head_revision()}); upgrade finmon to use it"
        )
    # Imported here so that a database already at head never pays for importing alembic.
    from finmon.store.migrations import revisions

    if current is None and _has_base_tables(connection):
        revisions.adopt(connection)
    revisions.upgrade_to_head(connection)


def _has_base_tables(connection: Connection) -> bool:
    present = BASE_TABLES & set(inspect(connection).get_table_names())
    if present and present != BASE_TABLES:
        raise StoreError(
            f"database {_safe_url(connection)} has tables {sorted(present)} but not "
            f"{sorted(BASE_TABLES - present)} and no schema revision; finmon did not make it"
        )
    return bool(present)


def _graph_names(path: Path) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
                    values[target.id] = ast.literal_eval(node.value)
    return values


def _as_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value) if isinstance(value, tuple | list) else ()


def _safe_url(connection: Connection) -> str:
    return connection.engine.url.render_as_string(hide_password=True)
