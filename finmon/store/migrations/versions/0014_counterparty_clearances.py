"""Payment counterparties cleared as false positives against a designation, with four-eyes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_counterparty_clearances"
down_revision = "0013_audit_keyed_chain"


def upgrade() -> None:
    """The counterparty_clearances table (finmon.store.clearances)."""
    op.create_table(
        "counterparty_clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column("identifier_kind", sa.String(length=16), nullable=False),
        sa.Column("identifier_key", sa.String(length=100), nullable=False),
        sa.Column("identifier_shown", sa.String(length=100), nullable=False),
        sa.Column("matching_data", sa.JSON(), nullable=False),
        sa.Column("counterparty_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("designation_name", sa.Text(), nullable=False),
        sa.Column("designation_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.Column("suppressions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_suppressed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("counterparty_clearances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_counterparty_clearances_designation", ["source", "reference"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_counterparty_clearances_identifier_key"),
            ["identifier_key"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_counterparty_clearances_status"), ["status"], unique=False
        )


def downgrade() -> None:
    """Undo upgrade(): every clearance is dropped, so their counterparties are held again."""
    with op.batch_alter_table("counterparty_clearances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counterparty_clearances_status"))
        batch_op.drop_index(batch_op.f("ix_counterparty_clearances_identifier_key"))
        batch_op.drop_index("ix_counterparty_clearances_designation")

    op.drop_table("counterparty_clearances")
