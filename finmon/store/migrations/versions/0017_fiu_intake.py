"""The FIU's reporting entities and the goAML reports received from them, with their records."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_fiu_intake"
down_revision = "0016_list_feed"


def upgrade() -> None:
    """fiu_entities, fiu_reports and their mentions, identifiers, transfers and indicators."""
    op.create_table(
        "fiu_entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bin", sa.String(length=12), nullable=False),
        sa.Column("goaml_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("feed_key", sa.String(length=128), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bin"),
        sa.UniqueConstraint("goaml_id"),
    )
    op.create_table(
        "fiu_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("entity_bin", sa.String(length=12), nullable=True),
        sa.Column("rentity_id", sa.Integer(), nullable=True),
        sa.Column("entity_reference", sa.String(length=255), nullable=True),
        sa.Column("report_code", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("submission_date", sa.DateTime(), nullable=True),
        sa.Column("schema_version", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["fiu_reports.id"],
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["fiu_reports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_bin", "entity_reference", "version"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("fiu_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_reports_entity_bin"), ["entity_bin"], unique=False)
        batch_op.create_index(
            "ix_fiu_reports_reference", ["entity_bin", "entity_reference"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fiu_reports_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_fiu_reports_status"), ["status"], unique=False)

    op.create_table(
        "fiu_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("entity_bin", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=8), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("seen", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["fiu_reports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mention_id"),
    )
    with op.batch_alter_table("fiu_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_mentions_report_id"), ["report_id"], unique=False)

    op.create_table(
        "fiu_report_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["fiu_reports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_report_indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_report_indicators_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_fiu_report_indicators_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "fiu_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("date", sa.DateTime(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["fiu_reports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiu_transfers_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fiu_transfers_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_fiu_transfers_target"), ["target"], unique=False)

    op.create_table(
        "fiu_mention_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["fiu_mentions.mention_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fiu_mention_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiu_mention_identifiers_mention_id"), ["mention_id"], unique=False
        )
        batch_op.create_index("ix_fiu_mention_identifiers_value", ["kind", "value"], unique=False)


def downgrade() -> None:
    """Undo upgrade()."""
    with op.batch_alter_table("fiu_mention_identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_fiu_mention_identifiers_value")
        batch_op.drop_index(batch_op.f("ix_fiu_mention_identifiers_mention_id"))

    op.drop_table("fiu_mention_identifiers")
    with op.batch_alter_table("fiu_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_transfers_target"))
        batch_op.drop_index(batch_op.f("ix_fiu_transfers_source"))
        batch_op.drop_index(batch_op.f("ix_fiu_transfers_report_id"))

    op.drop_table("fiu_transfers")
    with op.batch_alter_table("fiu_report_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_report_indicators_report_id"))
        batch_op.drop_index(batch_op.f("ix_fiu_report_indicators_code"))

    op.drop_table("fiu_report_indicators")
    with op.batch_alter_table("fiu_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_mentions_report_id"))

    op.drop_table("fiu_mentions")
    with op.batch_alter_table("fiu_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiu_reports_status"))
        batch_op.drop_index(batch_op.f("ix_fiu_reports_sha256"))
        batch_op.drop_index("ix_fiu_reports_reference")
        batch_op.drop_index(batch_op.f("ix_fiu_reports_entity_bin"))

    op.drop_table("fiu_reports")
    op.drop_table("fiu_entities")
