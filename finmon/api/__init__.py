"""finmon.api: the HTTP front door (FastAPI); `finmon serve` runs it."""

from __future__ import annotations

from finmon.api.app import create_app

__all__ = ["create_app"]
