"""Customers with history, the stored customer index, alerts, decisions, freezes, payments."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_customers_alerts_freezes"
down_revision = "0001_lists_and_audit"


def upgrade() -> None:
    """Customers with history, the stored customer index, alerts, decisions, freezes, payments."""
    op.create_table(
        "customer_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "version"),
    )
    with op.batch_alter_table("customer_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_versions_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "name_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sig", sa.String(length=400), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sig"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("designation_name", sa.Text(), nullable=False),
        sa.Column("query_name", sa.Text(), nullable=False),
        sa.Column("matched_name", sa.Text(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("customer_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("designation_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("clock_start", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "customer_id",
            "source",
            "reference",
            "customer_fingerprint",
            "designation_fingerprint",
            name="uq_alerts_match",
        ),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_alerts_designation", ["source", "reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_status"), ["status"], unique=False)

    op.create_table(
        "customer_tokens",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("short", sa.Boolean(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("owed", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["token_id"], ["name_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_id", "customer_id"),
    )
    with op.batch_alter_table("customer_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_tokens_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "name_token_keys",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["name_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "token_id"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "freezes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=200), nullable=False),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("designation_name", sa.Text(), nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("listing_published_at", sa.DateTime(), nullable=True),
        sa.Column("list_loaded_at", sa.DateTime(), nullable=False),
        sa.Column("alert_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("clock_start", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("release_requested_by", sa.String(length=200), nullable=True),
        sa.Column("release_requested_at", sa.DateTime(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("alert_id"),
    )
    with op.batch_alter_table("freezes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_freezes_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_freezes_designation", ["source", "reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_freezes_status"), ["status"], unique=False)

    op.create_table(
        "permitted_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("freeze_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("payee", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["freeze_id"],
            ["freezes.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("permitted_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_permitted_payments_freeze_id"), ["freeze_id"], unique=False
        )


def downgrade() -> None:
    """Undo upgrade()."""
    with op.batch_alter_table("permitted_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permitted_payments_freeze_id"))

    op.drop_table("permitted_payments")
    with op.batch_alter_table("freezes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_freezes_status"))
        batch_op.drop_index("ix_freezes_designation")
        batch_op.drop_index(batch_op.f("ix_freezes_customer_id"))

    op.drop_table("freezes")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_alert_id"))

    op.drop_table("decisions")
    op.drop_table("name_token_keys")
    with op.batch_alter_table("customer_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_tokens_customer_id"))

    op.drop_table("customer_tokens")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_status"))
        batch_op.drop_index("ix_alerts_designation")
        batch_op.drop_index(batch_op.f("ix_alerts_customer_id"))

    op.drop_table("alerts")
    op.drop_table("name_tokens")
    op.drop_table("customers")
    with op.batch_alter_table("customer_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_versions_customer_id"))

    op.drop_table("customer_versions")
