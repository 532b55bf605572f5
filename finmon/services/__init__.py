"""The application layer: what finmon does, called alike by the CLI, the API and the web.

`Database` and `default_database` are passed through so that a front door can hold the store it
serves and name its type without importing `finmon.store`."""

from finmon.store.engine import Database, close_databases, default_database

__all__ = ["Database", "close_databases", "default_database"]
