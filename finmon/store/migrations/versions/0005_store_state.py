"""What built the store's derived data: the scheme of the stored customer index."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_store_state"
down_revision = "0004_users_and_api_keys"


def upgrade() -> None:
    """What built the store's derived data: the scheme of the stored customer index."""
    op.create_table(
        "store_state",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    """Undo upgrade()."""
    op.drop_table("store_state")
