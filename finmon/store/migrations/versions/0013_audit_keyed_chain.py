"""The audit log's rows are HMAC'd under a key held outside the database from this revision on.

Rows written before keep their sha256 links (key_id NULL); the first keyed row's HMAC covers the
hash of the last of them, and this revision writes a checkpoint of that head into the checkpoint
file, so the older chain can be neither cut nor re-chained unnoticed once it is upgraded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from finmon.store.migrations import append_only

revision = "0013_audit_keyed_chain"
down_revision = "0012_sign_in_attempts"


def upgrade() -> None:
    """Add key_id and seq to audit_log and checkpoint the head of the rows written before."""
    # A database finmon made before migrations with a newer model may already have the columns.
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("audit_log")}
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        if "key_id" not in present:
            batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        if "seq" not in present:
            batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    for statement in append_only.create_statements(op.get_bind().dialect.name):
        op.execute(statement)
    _checkpoint_unkeyed_head()


def downgrade() -> None:
    """Drop key_id and seq; the keyed rows then no longer verify under revision 0010's sha256."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("seq")
        batch_op.drop_column("key_id")
    for statement in append_only.create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def _checkpoint_unkeyed_head() -> None:
    # The rows read here were committed before this migration, so the checkpoint stays true even
    # if this transaction is rolled back. The key is made now when the store has rows to anchor.
    from finmon.store.audit_anchor import checkpoint_file, load_key, write_checkpoint

    bind = op.get_bind()
    head = bind.execute(
        sa.text("SELECT id, hash, key_id FROM audit_log ORDER BY id DESC LIMIT 1")
    ).first()
    if head is None or head.key_id is not None:
        return
    rows = bind.scalar(sa.text("SELECT count(*) FROM audit_log"))
    key = load_key(create=True)
    assert key is not None
    write_checkpoint(
        key, checkpoint_file(), row_id=head.id, hash=head.hash, rows=int(rows or 0), scheme="sha256"
    )
