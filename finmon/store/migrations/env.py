"""Alembic runs this for every command: revisions run on the connection that finmon passes in."""

from alembic import context

from finmon.store.migrations.revisions import context_options

context.configure(connection=context.config.attributes["connection"], **context_options())
with context.begin_transaction():
    context.run_migrations()
