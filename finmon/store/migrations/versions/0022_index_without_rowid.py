"""The stored customer index's key and posting tables keep their rows in their primary key on
SQLite (WITHOUT ROWID): one b-tree written a row where there were two (three for a posting)."""

from __future__ import annotations

from alembic import op

revision = "0022_index_without_rowid"
down_revision = "0021_user_language"

TABLES = {
    "name_token_keys": (
        '"key" VARCHAR(400) NOT NULL, token_id INTEGER NOT NULL, PRIMARY KEY ("key", token_id), '
        "FOREIGN KEY(token_id) REFERENCES name_tokens (id) ON DELETE CASCADE",
        '"key", token_id',
        "",
    ),
    "customer_tokens": (
        "token_id INTEGER NOT NULL, customer_id VARCHAR(200) NOT NULL, short BOOLEAN NOT NULL, "
        "parts INTEGER NOT NULL, owed DOUBLE NOT NULL, PRIMARY KEY (token_id, customer_id), "
        "FOREIGN KEY(customer_id) REFERENCES customers (id) ON DELETE CASCADE, "
        "FOREIGN KEY(token_id) REFERENCES name_tokens (id) ON DELETE CASCADE",
        "token_id, customer_id",
        "CREATE INDEX ix_customer_tokens_customer_id ON customer_tokens (customer_id)",
    ),
}
"""Each table's columns and constraints (as the models make them), its primary key, and the
index to make again after the copy."""


def upgrade() -> None:
    """Copy both tables into WITHOUT ROWID tables on SQLite; PostgreSQL has no such option."""
    _recreate(" WITHOUT ROWID")


def downgrade() -> None:
    """Copy them back into rowid tables on SQLite."""
    _recreate("")


def _recreate(option: str) -> None:
    # Copied in primary-key order (read from the old key's b-tree, no sort): a WITHOUT ROWID
    # table filled in its key's order appends, where the rows' own order (random keys) took
    # four times as long. Foreign keys are off while migrating, so the drop cascades nowhere.
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, (columns, key, index) in TABLES.items():
        op.execute(f"CREATE TABLE _new_{table} ({columns}){option}")
        op.execute(f"INSERT INTO _new_{table} SELECT * FROM {table} ORDER BY {key}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE _new_{table} RENAME TO {table}")
        if index:
            op.execute(index)
