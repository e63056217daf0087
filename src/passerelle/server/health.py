"""``GET /healthz``: whether this host can serve, for a load balancer's health checks.

A load balancer (HAProxy in ``deploy/``) asks every API host about every two seconds
and stops sending officers to one that does not answer 200. The answer costs one
statement (``SELECT 1``) on the node's database: a host that cannot reach it answers
503 and is taken out of rotation until it can again; a host still starting (its
watchlist index being built) is not listening yet. It needs no caller and says
nothing about the node but ``ok`` or why not; it is kept out of the API document,
as ``/login`` is.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from passerelle.store.db import DatabaseNotReady

__all__ = ["HEALTH_PATH", "install_health"]

log = logging.getLogger("passerelle.api")

HEALTH_PATH = "/healthz"


def install_health(app: FastAPI) -> None:
    """Add ``GET /healthz`` to ``app``: 200 ``ok``, or 503 naming what is not ready."""

    @app.get(HEALTH_PATH, include_in_schema=False)
    def health(request: Request) -> PlainTextResponse:
        services = getattr(request.app.state, "services", None)
        if services is None:
            return PlainTextResponse("starting\n", status_code=503)
        try:
            with services.node.database.lookup() as session:
                session.execute(text("SELECT 1"))
        except (DatabaseNotReady, SQLAlchemyError) as exc:
            log.warning("health.database_unreachable: %s", type(exc).__name__)
            return PlainTextResponse("database unreachable\n", status_code=503)
        return PlainTextResponse("ok\n")
