"""Accounts behind people: a person per account, confusable names refused, and every account,
role change and credential for someone else approved by a second person."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_accounts"
down_revision = "0010_cases"


def upgrade() -> None:
    """Accounts behind people, approvals by a second person (existing accounts count as
    approved; their person is their account name until an administrator records it)."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("pending_role", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("pending_by", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("password_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("person", sa.String()),
        sa.column("name_key", sa.String()),
        sa.column("created_at", sa.DateTime()),
        sa.column("approved_by", sa.String()),
        sa.column("approved_at", sa.DateTime()),
    )
    keys = sa.table("api_keys", sa.column("created_at", sa.DateTime()), sa.column("approved_at"))
    conn = op.get_bind()
    for user_id, name in conn.execute(sa.select(users.c.id, users.c.name)).all():
        conn.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(person=f"account:{name}"[:64], name_key=f"legacy:{user_id}:{name}"[:200])
        )
    conn.execute(
        users.update().values(approved_by="before approvals", approved_at=users.c.created_at)
    )
    conn.execute(keys.update().values(approved_at=keys.c.created_at))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("person", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_name_key"), ["name_key"])
        batch_op.create_index(
            "ix_users_enabled_person",
            ["person"],
            unique=True,
            sqlite_where=sa.text("disabled_at IS NULL"),
            postgresql_where=sa.text("disabled_at IS NULL"),
        )


def downgrade() -> None:
    """Undo upgrade(): persons, name keys and approvals are forgotten."""
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("approved_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_enabled_person")
        batch_op.drop_constraint(batch_op.f("uq_users_name_key"), type_="unique")
        for column in (
            "password_pending",
            "pending_by",
            "pending_role",
            "approved_at",
            "approved_by",
            "name_key",
            "person",
        ):
            batch_op.drop_column(column)
