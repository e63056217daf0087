"""``passerelle serve``: the node's API and web pages over HTTP(S), with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import fail, node_for_cli

__all__ = ["WORKER_HEALTHCHECK_TIMEOUT_S", "run_server", "serve"]

WORKER_HEALTHCHECK_TIMEOUT_S = 120
"""Seconds uvicorn's supervisor waits for a worker to answer its health check (uvicorn: 5).

With ``--workers`` above 1 the supervisor pings every worker about every half
second, and kills one that does not answer within the time-out. The answer
comes from a thread of the worker, which needs the GIL: a worker busy
screening names for dozens of clients, or building its watchlist index in the
same process, on a machine with fewer cores than workers, can go several
seconds without it. At 5 s, a busy but healthy worker was killed under load:
its in-flight requests failed, and its replacement spent minutes building the
index again. A worker that is really hung (a deadlock, a lost database) is
still killed, two minutes later.
"""


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes.")] = 1,
    certfile: Annotated[
        Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM): serve HTTPS.")
    ] = None,
    keyfile: Annotated[Path | None, typer.Option("--tls-key", help="Its private key.")] = None,
) -> None:
    """Serve the node's API (/api/v1, OpenAPI at /docs) and web pages until interrupted."""
    from passerelle.settings import load_settings

    if (certfile is None) != (keyfile is None):
        fail("--tls-cert and --tls-key go together")
    try:
        load_settings()
    except Exception as exc:  # settings errors are explained, not traced
        fail(str(exc), code=3)
    run_server(host, port, workers=workers, certfile=certfile, keyfile=keyfile)


def run_server(
    host: str,
    port: int,
    *,
    workers: int = 1,
    certfile: Path | None = None,
    keyfile: Path | None = None,
) -> None:
    """Serve ``passerelle.server.asgi:app`` (settings from the environment) until interrupted.

    The node's catalogue file and keys are checked first: a bad catalogue is explained
    (file, field, reason; exit code 3), a key this host lacks or holds in another version
    than the node's is named (exit code 4, ``passerelle.keyring``), not traced by a failing
    worker.
    """
    import uvicorn

    from passerelle.exc import ConfigurationError
    from passerelle.settings import load_settings
    from passerelle.wiring import load_catalogues

    try:
        load_catalogues(load_settings())
    except ConfigurationError as exc:
        fail(str(exc), code=3)
    with node_for_cli():  # the keys and the schema, said here rather than by each worker
        pass

    typer.echo(f"Passerelle node on {'https' if certfile else 'http'}://{host}:{port}/")
    uvicorn.run(
        "passerelle.server.asgi:app",
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        proxy_headers=False,
        server_header=False,
        log_level="info",
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_TIMEOUT_S,
    )
