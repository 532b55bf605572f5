"""Loaded transactions and the monitoring alerts raised on them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_transactions"
down_revision = "0008_web_sign_in"


def upgrade() -> None:
    """Loaded transactions and the monitoring alerts raised on them."""
    op.create_table(
        "transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.String(length=200), nullable=False),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("originator_account", sa.String(length=100), nullable=True),
        sa.Column("originator_name", sa.Text(), nullable=True),
        sa.Column("beneficiary_account", sa.String(length=100), nullable=True),
        sa.Column("beneficiary_name", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transaction_id"),
    )
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        for column in ("beneficiary_account", "originator_account", "timestamp"):
            batch_op.create_index(batch_op.f(f"ix_transactions_{column}"), [column], unique=False)
    op.create_table(
        "monitoring_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("typology", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("window_end", sa.DateTime(), nullable=False),
        sa.Column("transaction_ids", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        for column in ("account", "status"):
            batch_op.create_index(
                batch_op.f(f"ix_monitoring_alerts_{column}"), [column], unique=False
            )


def downgrade() -> None:
    """Undo upgrade(): every loaded transaction and monitoring alert is dropped."""
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        for column in ("status", "account"):
            batch_op.drop_index(batch_op.f(f"ix_monitoring_alerts_{column}"))
    op.drop_table("monitoring_alerts")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        for column in ("timestamp", "originator_account", "beneficiary_account"):
            batch_op.drop_index(batch_op.f(f"ix_transactions_{column}"))
    op.drop_table("transactions")
