"""Alerts ended by a delisting, so that a person listed again is alerted again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_alerts_ended_by_delisting"
down_revision = "0006_jobs"


def upgrade() -> None:
    """Alerts ended by a delisting, so that a person listed again is alerted again."""
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_by", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_alerts_match"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_alerts_match",
            [
                "customer_id",
                "source",
                "reference",
                "customer_fingerprint",
                "designation_fingerprint",
                "ended_by",
            ],
        )


def downgrade() -> None:
    """Undo upgrade() (refused by the database when a person has been alerted again since)."""
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_alerts_match", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_alerts_match"),
            [
                "customer_id",
                "source",
                "reference",
                "customer_fingerprint",
                "designation_fingerprint",
            ],
        )
        batch_op.drop_column("ended_by")
