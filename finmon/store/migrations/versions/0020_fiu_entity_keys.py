"""One registry of reporting entities: the list-feed receipt keys move onto fiu_entities
(issue 20), and feed_entity_keys goes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_fiu_entity_keys"
down_revision = "0019_fiu_disseminations"


def upgrade() -> None:
    """The key columns on fiu_entities, the keys moved there; refused when a key belongs to
    an entity that is not registered (register it at the FIU first, or drop the key)."""
    connection = op.get_bind()
    keys = sa.table(
        "feed_entity_keys",
        sa.column("entity_bin", sa.String),
        sa.column("public_key", sa.Text),
        sa.column("key_id", sa.String),
        sa.column("added_at", sa.DateTime),
        sa.column("added_by", sa.String),
    )
    entities = sa.table(
        "fiu_entities",
        sa.column("bin", sa.String),
        sa.column("feed_key", sa.String),
        sa.column("feed_public_key", sa.Text),
        sa.column("feed_key_at", sa.DateTime),
        sa.column("feed_key_by", sa.String),
    )
    registered = set(connection.scalars(sa.select(entities.c.bin)))
    rows = list(connection.execute(sa.select(keys)))
    strays = sorted(row.entity_bin for row in rows if row.entity_bin not in registered)
    if strays:
        raise RuntimeError(
            "feed_entity_keys holds keys of entities not in the registry (fiu_entities): "
            f"{', '.join(strays)}; register them (finmon fiu entities add) or delete their keys "
            "before upgrading"
        )
    # Checked before anything changes: a refused upgrade leaves the schema as it was.
    with op.batch_alter_table("fiu_entities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_public_key", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("feed_key_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("feed_key_by", sa.String(length=200), nullable=True))
    for row in rows:
        connection.execute(
            entities.update()
            .where(entities.c.bin == row.entity_bin)
            .values(
                feed_key=row.key_id,
                feed_public_key=row.public_key,
                feed_key_at=row.added_at,
                feed_key_by=row.added_by,
            )
        )
    op.drop_table("feed_entity_keys")


def downgrade() -> None:
    """Undo upgrade(): the keys go back to their own table."""
    op.create_table(
        "feed_entity_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_bin", sa.String(length=12), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_bin"),
    )
    connection = op.get_bind()
    entities = sa.table(
        "fiu_entities",
        sa.column("bin", sa.String),
        sa.column("feed_key", sa.String),
        sa.column("feed_public_key", sa.Text),
        sa.column("feed_key_at", sa.DateTime),
        sa.column("feed_key_by", sa.String),
        sa.column("registered_at", sa.DateTime),
        sa.column("registered_by", sa.String),
    )
    keys = sa.table(
        "feed_entity_keys",
        sa.column("entity_bin", sa.String),
        sa.column("public_key", sa.Text),
        sa.column("key_id", sa.String),
        sa.column("added_at", sa.DateTime),
        sa.column("added_by", sa.String),
    )
    for row in connection.execute(
        sa.select(entities).where(entities.c.feed_public_key.is_not(None))
    ):
        connection.execute(
            keys.insert().values(
                entity_bin=row.bin,
                public_key=row.feed_public_key,
                key_id=row.feed_key,
                added_at=row.feed_key_at or row.registered_at,
                added_by=row.feed_key_by or row.registered_by,
            )
        )
    with op.batch_alter_table("fiu_entities", schema=None) as batch_op:
        batch_op.drop_column("feed_key_by")
        batch_op.drop_column("feed_key_at")
        batch_op.drop_column("feed_public_key")
