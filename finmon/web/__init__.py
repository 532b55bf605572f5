"""The analysts' web interface, served by the API's app under /ui (finmon.web.pages, and the
screening page in finmon.web.screening, whose routes join the same router)."""

from finmon.web import fiu_network as _fiu_network  # noqa: F401  (registers its routes)
from finmon.web import fiu_reports as _fiu_reports  # noqa: F401  (registers its routes)
from finmon.web import screening as _screening  # noqa: F401  (registers its routes)
from finmon.web.pages import error_page, router

__all__ = ["error_page", "router"]
