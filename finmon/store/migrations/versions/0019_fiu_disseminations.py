"""FIU disseminations to law enforcement, decided by two people (issue 20, item 4)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_fiu_disseminations"
down_revision = "0018_fiu_judgements"


def upgrade() -> None:
    """The fiu_disseminations table (finmon.store.fiu_disseminations)."""
    op.create_table(
        "fiu_disseminations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("recipient", sa.String(length=400), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("reports", sa.JSON(), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("drafted_by", sa.String(length=200), nullable=False),
        sa.Column("drafted_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("exported_by", sa.String(length=200), nullable=True),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.Column("package_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("fiu_disseminations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_disseminations_status"), ["status"], unique=False)


def downgrade() -> None:
    """Undo upgrade(): the disseminations are dropped (the audit log keeps their history)."""
    with op.batch_alter_table("fiu_disseminations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_disseminations_status"))
    op.drop_table("fiu_disseminations")
