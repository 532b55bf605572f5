"""The analysts' web interface, served by the API's app under /ui (finmon.web.pages)."""

from finmon.web.pages import error_page, router

__all__ = ["error_page", "router"]
