"""Signed list feeds the FIU publishes, entity keys and receipts, and feeds an entity applied."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_list_feed"
down_revision = "0015_fiu_exchange"


def upgrade() -> None:
    """The list_feeds, feed_entity_keys, feed_receipts and applied_feeds tables (store.feed)."""
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
    op.create_table(
        "list_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("list_version", sa.String(length=200), nullable=False),
        sa.Column("designation_count", sa.Integer(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "version", name="uq_list_feeds_version"),
    )
    op.create_table(
        "applied_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("feed_version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("applied_by", sa.String(length=200), nullable=False),
        sa.Column("receipt", sa.Text(), nullable=False),
        sa.Column("receipt_sent_at", sa.DateTime(), nullable=True),
        sa.Column("receipt_sent_to", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("applied_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applied_feeds_source"), ["source"], unique=False)

    op.create_table(
        "feed_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entity_bin", sa.String(length=12), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["list_feeds.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", "entity_bin", name="uq_feed_receipts_entity"),
    )
    with op.batch_alter_table("feed_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feed_receipts_entity_bin"), ["entity_bin"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feed_receipts_feed_id"), ["feed_id"], unique=False)


def downgrade() -> None:
    """Undo upgrade()."""
    with op.batch_alter_table("feed_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_receipts_feed_id"))
        batch_op.drop_index(batch_op.f("ix_feed_receipts_entity_bin"))

    op.drop_table("feed_receipts")
    with op.batch_alter_table("applied_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_feeds_source"))

    op.drop_table("applied_feeds")
    op.drop_table("list_feeds")
    op.drop_table("feed_entity_keys")
