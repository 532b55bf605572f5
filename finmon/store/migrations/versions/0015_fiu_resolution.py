"""The FIU's mentions of received reports and analysts' judgements on subjects (issue 20)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_fiu_resolution"
down_revision = "0014_counterparty_clearances"


def upgrade() -> None:
    """The fiu_mentions and fiu_judgements tables (finmon.store.fiu_subjects)."""
    op.create_table(
        "fiu_mentions",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("report", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("seen", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_mentions_report"), ["report"], unique=False)
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
    """Undo upgrade(): the judgements and mentions are dropped."""
    with op.batch_alter_table("fiu_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_judgements_b_mention"))
        batch_op.drop_index(batch_op.f("ix_fiu_judgements_a_mention"))
    op.drop_table("fiu_judgements")
    with op.batch_alter_table("fiu_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_mentions_report"))
    op.drop_table("fiu_mentions")
