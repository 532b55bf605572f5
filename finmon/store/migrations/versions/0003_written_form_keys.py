"""File every stored customer name token also under its written form and that form's deletions.

From finmon-name-2 a token's spelling as written counts beside its phonetic key (Kaxng and Kang
are a letter apart as written, two apart as keys kaksng and kang), so the customer index finds a
token by either. Tokens indexed before are filed here under the keys they lack; the rule is
written out below, as it stood for this revision, rather than imported.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_written_form_keys"
down_revision = "0002_customers_alerts_freezes"

_BATCH = 2000


def _written_keys(data: dict[str, Any]) -> set[str]:
    text, key = data["text"], data["key"]
    if text == key or " " in text:
        return set()
    deletions = [text[:i] + text[i + 1 :] for i in range(len(text))] if len(text) >= 4 else []
    return {text, *deletions}


def upgrade() -> None:
    """File the written-form keys that stored tokens lack."""
    bind = op.get_bind()
    tokens = sa.table("name_tokens", sa.column("id", sa.Integer), sa.column("data", sa.JSON))
    keys = sa.table("name_token_keys", sa.column("key", sa.String), sa.column("token_id"))
    last = -1
    while True:
        rows = bind.execute(
            sa.select(tokens.c.id, tokens.c.data)
            .where(tokens.c.id > last)
            .order_by(tokens.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        wanted = {(k, token_id) for token_id, data in rows for k in _written_keys(data)}
        if not wanted:
            continue
        filed = bind.execute(
            sa.select(keys.c.key, keys.c.token_id).where(
                keys.c.token_id.in_({token_id for _, token_id in wanted})
            )
        )
        missing = wanted - {(k, token_id) for k, token_id in filed}
        if missing:
            bind.execute(sa.insert(keys), [{"key": k, "token_id": t} for k, t in sorted(missing)])


def downgrade() -> None:
    """Nothing to undo: extra keys only widen what the older index finds, and it re-checks every
    token it finds by similarity."""
