"""Sign-in attempts counted per name tried, known or not, instead of on the users' rows."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_sign_in_attempts"
down_revision = "0011_accounts"


def upgrade() -> None:
    """Sign-in attempts counted per name tried, known or not, instead of on the users' rows."""
    op.create_table(
        "sign_in_attempts",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_attempts_last_attempt_at"), ["last_attempt_at"], unique=False
        )
    op.execute(
        "INSERT INTO sign_in_attempts (name, failures, locked_until, last_attempt_at) "
        "SELECT lower(name), failed_sign_ins, locked_until, CURRENT_TIMESTAMP FROM users "
        "WHERE failed_sign_ins > 0"
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")


def downgrade() -> None:
    """Undo upgrade(): the users' back-off starts again from nothing."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_last_attempt_at"))
    op.drop_table("sign_in_attempts")
