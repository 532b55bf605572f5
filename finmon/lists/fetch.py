"""Download list files from their publishers.

The download streams to a temporary file beside its destination and is renamed into place only when
complete, so a dropped connection never leaves a half file that looks like a list.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from finmon import __version__
from finmon.errors import FetchError, FinmonError
from finmon.model import ParsedList
from finmon.settings import UN_LIST_URL, load_settings

MAX_BYTES = 256 * 1024 * 1024
"""No real list comes near this; a larger answer is not a list."""

_BLOCK = 1024 * 1024


def fetch_un(url: str | None = None) -> Path:
    """Download the UN Security Council Consolidated List; returns the saved XML file."""
    settings = load_settings()
    chosen = url or settings.un_list_url
    overridden = url is not None or settings.un_list_url != UN_LIST_URL
    _check_url(chosen, allow_http=overridden)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = settings.home / "downloads" / f"un_consolidated_{stamp}.xml"
    return download(chosen, target, timeout=settings.fetch_timeout)


def download(url: str, target: Path, *, timeout: float) -> Path:
    """Stream url to target through a temporary file; FetchError on any network failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": f"finmon/{__version__}"})
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
        temporary = Path(part.name)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                _copy_limited(response, part, url)
        except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
            temporary.unlink(missing_ok=True)
            raise FetchError(f"could not download {url}: {_reason(exc)}") from exc
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    temporary.replace(target)
    return target


def _check_url(url: str, *, allow_http: bool) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and allow_http):
        return
    raise FetchError(f"refusing to download {url}: only https:// addresses are allowed")


def _copy_limited(response: Any, out: IO[bytes], url: str) -> None:
    copied = 0
    while block := response.read(_BLOCK):
        copied += len(block)
        if copied > MAX_BYTES:
            raise FetchError(f"{url}: the answer is larger than {MAX_BYTES} bytes; not a list")
        out.write(block)
    if copied == 0:
        raise FetchError(f"{url}: the answer was empty")


def _reason(exc: OSError) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


def read_feed(location: str, *, timeout: float, max_bytes: int) -> bytes:
    """A list feed from an http(s) address or a local file, at most max_bytes; the signature,
    not the channel, is the trust (finmon.lists.feed.verify_feed)."""
    scheme = urlsplit(location).scheme.lower()
    if scheme not in ("http", "https"):
        path = Path(location)
        if scheme or not path.is_file():
            raise FetchError(f"{location}: neither an http(s) address nor a feed file")
        if path.stat().st_size > max_bytes:
            raise FetchError(f"{location}: larger than {max_bytes} bytes; not a list feed")
        return path.read_bytes()
    request = urllib.request.Request(location, headers={"User-Agent": f"finmon/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except OSError as exc:
        raise FetchError(f"could not download {location}: {_reason(exc)}") from exc
    if len(data) > max_bytes:
        raise FetchError(f"{location}: the answer is larger than {max_bytes} bytes; not a feed")
    if not data:
        raise FetchError(f"{location}: the answer was empty")
    return data


def post_receipt(url: str, document: bytes, *, timeout: float) -> str:
    """POST a signed receipt to the FIU; returns its answer's text (bounded)."""
    _check_url(url, allow_http=True)
    request = urllib.request.Request(
        url,
        data=document,
        method="POST",
        headers={"User-Agent": f"finmon/{__version__}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return str(response.read(64 * 1024).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        detail = exc.read(4096).decode("utf-8", "replace")
        raise FetchError(f"{url} refused the receipt: HTTP {exc.code} {detail}") from exc
    except OSError as exc:
        raise FetchError(f"could not send the receipt to {url}: {_reason(exc)}") from exc


def fetch_and_parse_un(url: str | None = None) -> ParsedList:
    """Download the UN list and parse it; a download that does not parse is deleted."""
    from finmon.lists import parse_files

    path = fetch_un(url)
    try:
        return parse_files([path], format="un-xml")
    except FinmonError:
        path.unlink(missing_ok=True)
        raise
