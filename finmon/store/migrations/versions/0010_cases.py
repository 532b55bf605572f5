"""Cases: monitoring alerts grouped per account, and the four-eyes decisions on them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_cases"
down_revision = "0009_transactions"


def upgrade() -> None:
    """Cases: monitoring alerts grouped per account, and the four-eyes decisions on them."""
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ("account", "status"):
            batch_op.create_index(batch_op.f(f"ix_cases_{column}"), [column], unique=False)
    op.create_table(
        "case_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("monitoring_alert_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["monitoring_alert_id"], ["monitoring_alerts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("monitoring_alert_id"),
    )
    with op.batch_alter_table("case_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_alerts_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_decisions_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    """Undo upgrade(): every case and decision is dropped, and the alerts they held are open
    again (without cases, nothing else would show them as waiting)."""
    monitoring_alerts = sa.table("monitoring_alerts", sa.column("status", sa.String))
    op.execute(
        monitoring_alerts.update()
        .where(monitoring_alerts.c.status == "in_case")
        .values(status="open")
    )
    with op.batch_alter_table("case_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_decisions_case_id"))
    op.drop_table("case_decisions")
    with op.batch_alter_table("case_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_alerts_case_id"))
    op.drop_table("case_alerts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ("status", "account"):
            batch_op.drop_index(batch_op.f(f"ix_cases_{column}"))
    op.drop_table("cases")
