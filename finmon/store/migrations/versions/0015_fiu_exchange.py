"""Requests between FIUs matched on keyed hashes (finmon.fiu.exchange), and their answers; the
data bank of banned organisations (finmon.fiu.banned)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_fiu_exchange"
down_revision = "0014_counterparty_clearances"


def upgrade() -> None:
    """The fiu_exchange_* tables (finmon.store.fiu_exchange)."""
    op.create_table(
        "fiu_exchange_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("requesting_fiu", sa.String(length=200), nullable=False),
        sa.Column("receiving_fiu", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("key_check", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("subject_count", sa.Integer(), nullable=False),
        sa.Column("digest_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("matched_by", sa.String(length=200), nullable=True),
        sa.Column("matched_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("direction", "requesting_fiu", "reference", name="uq_fiu_exchange_ref"),
    )
    with op.batch_alter_table("fiu_exchange_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiu_exchange_requests_status"), ["status"], unique=False
        )
    op.create_table(
        "fiu_exchange_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["fiu_exchange_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_exchange_digests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiu_exchange_digests_digest"), ["digest"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fiu_exchange_digests_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "fiu_exchange_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("subject_ref", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["fiu_exchange_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_exchange_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiu_exchange_matches_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "fiu_exchange_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("drafted_by", sa.String(length=200), nullable=False),
        sa.Column("drafted_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("document", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["fiu_exchange_requests.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id"),
    )
    op.create_table(
        "banned_organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["list_version_id"], ["list_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("banned_organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_banned_organisations_status"), ["status"], unique=False
        )


def downgrade() -> None:
    """Undo upgrade(): every request, digest, match and answer between FIUs is dropped, and
    the data bank of banned organisations (its `kz-banned` list versions stay)."""
    with op.batch_alter_table("banned_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_banned_organisations_status"))
    op.drop_table("banned_organisations")
    op.drop_table("fiu_exchange_responses")
    with op.batch_alter_table("fiu_exchange_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_exchange_matches_request_id"))
    op.drop_table("fiu_exchange_matches")
    with op.batch_alter_table("fiu_exchange_digests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_exchange_digests_request_id"))
        batch_op.drop_index(batch_op.f("ix_fiu_exchange_digests_digest"))
    op.drop_table("fiu_exchange_digests")
    with op.batch_alter_table("fiu_exchange_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_exchange_requests_status"))
    op.drop_table("fiu_exchange_requests")
