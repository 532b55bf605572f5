"""The `finmon serve` command: the web interface and the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from finmon.cli.common import app
from finmon.cli.output import err
from finmon.errors import InputError


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Server processes (each holds its own screening index).")
    ] = 1,
) -> None:
    """Serve the web interface (/ui/) and the HTTP API (OpenAPI at /openapi.json)."""
    import uvicorn

    if workers < 1:
        raise InputError("--workers must be 1 or more")
    err.print(
        f"finmon on http://{host}:{port}: web interface at /ui/, OpenAPI at /openapi.json",
        markup=False,
    )
    uvicorn.run(
        "finmon.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # httptools, not h11: h11's way of writing answers met delayed ACKs, and two workers
        # answered in 44 ms instead of 4 (bench/api_load.py).
        http="httptools",
        log_level="warning",
    )
