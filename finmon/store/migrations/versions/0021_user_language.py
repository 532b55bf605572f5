"""Each user's chosen language for the web pages (issue 23, item 2)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_user_language"
down_revision = "0020_fiu_entity_keys"


def upgrade() -> None:
    """users.language: kk, ru or en; empty until the user picks one."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Drop users.language."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
