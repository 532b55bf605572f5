"""The stored customer index's key and posting tables keep their rows in their primary key on
SQLite (WITHOUT ROWID): one b-tree written a row where there were two (three for a posting)."""

from __future__ import annotations

from alembic import op

revision = "0022_index_without_rowid"
down_revision = "0021_user_language"

TABLES = ("name_token_keys", "customer_tokens")


def upgrade() -> None:
    """Copy both tables into WITHOUT ROWID tables on SQLite; PostgreSQL has no such option."""
    _recreate(with_rowid=False)


def downgrade() -> None:
    """Copy them back into rowid tables on SQLite."""
    _recreate(with_rowid=True)


def _recreate(*, with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass
