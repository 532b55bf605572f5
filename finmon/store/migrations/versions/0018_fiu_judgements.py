"""Analysts' judgements on the FIU's subjects: same, not the same, unsure (issue 20)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_fiu_judgements"
down_revision = "0017_fiu_intake"


def upgrade() -> None:
    """The fiu_judgements table (finmon.store.fiu_subjects)."""
    op.create_table(
        "fiu_judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a", sa.String(length=200), nullable=False),
        sa.Column("b", sa.String(length=200), nullable=False),
        sa.Column("a_mention", sa.String(length=200), nullable=False),
        sa.Column("b_mention", sa.String(length=200), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("judged_by", sa.String(length=200), nullable=False),
        sa.Column("judged_at", sa.DateTime(), nullable=False),
        sa.Column("reversed_by", sa.String(length=200), nullable=True),
        sa.Column("reversed_at", sa.DateTime(), nullable=True),
        sa.Column("reverse_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiu_judgements_a_mention"), ["a_mention"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fiu_judgements_b_mention"), ["b_mention"], unique=False
        )


def downgrade() -> None:
    """Undo upgrade(): the judgements are dropped."""
    with op.batch_alter_table("fiu_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_judgements_b_mention"))
        batch_op.drop_index(batch_op.f("ix_fiu_judgements_a_mention"))
    op.drop_table("fiu_judgements")
