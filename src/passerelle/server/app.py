"""The ASGI application: ``create_app(settings)``; ``passerelle serve`` runs it with uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager

from fastapi import FastAPI

from passerelle.api.routers import api_router
from passerelle.http.errors import install_error_handlers
from passerelle.http.middleware import BodySizeLimit, SecurityHeaders
from passerelle.http.replica_reads import ReplicaReads
from passerelle.node import Node, open_node
from passerelle.server.docs import install_docs
from passerelle.server.health import install_health
from passerelle.settings import Settings, load_settings
from passerelle.web import install_web
from passerelle.web.errors import html_error
from passerelle.wiring import NodeServices, build_services
from passerelle.wiring.audit_anchoring import Checkpointer

__all__ = ["create_app"]

log = logging.getLogger("passerelle.api")


def create_app(
    settings: Settings | None = None,
    *,
    wire: Callable[[Node], NodeServices] = build_services,
    node: Node | None = None,
    web: bool = True,
    warm_faces: bool = False,
    checkpoints: bool | None = None,
) -> FastAPI:
    """The node's app: API under ``/api/v1``, web pages at ``/`` (unless ``web=False``).

    The node is opened when the app starts (an unmigrated database stops the
    start with "run passerelle db upgrade") and closed when it stops, unless
    an open ``node`` is given (its owner closes it); ``wire`` builds the
    services over it (tests give their own components this way). ``warm_faces`` starts
    the face workers with the app (a served node: the first traveller's photo does not
    wait for the model to load); otherwise they start at the first photo.
    While it serves, the
    node checkpoints its audit chain (``wiring.audit_anchoring``): by default when the app
    opens the node itself, as ``passerelle serve`` does.
    """
    anchored = node is None if checkpoints is None else checkpoints
    chosen = node.settings if node is not None else settings or load_settings()

    @contextmanager
    def opened() -> Iterator[Node]:
        if node is not None:
            yield node
        else:
            with open_node(chosen) as fresh:
                yield fresh

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with opened() as serving, ExitStack() as stack:
            if anchored:
                stack.enter_context(Checkpointer.serving(serving))
            services = wire(serving)
            services.inspector.refresh_watchlist()  # the first traveller does not wait for it
            if warm_faces and services.face_workers is not None:
                services.face_workers.warm()
            app.state.services = services
            log.info("node %s serving (database %s)", chosen.node, serving.database.safe_url)
            try:
                yield
            finally:
                services.close()  # the federation client's thread and connections

    app = FastAPI(
        title="Passerelle national node",
        version="1",
        summary="Border checks, registries, watchlists, biometrics and hit/no-hit exchange.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from install_docs: no CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    install_docs(app)
    install_health(app)
    app.include_router(api_router(), prefix="/api/v1")
    if web:
        install_web(app)
        install_error_handlers(app, html_error=html_error)
    else:
        install_error_handlers(app)
    app.add_middleware(BodySizeLimit, limit=chosen.max_request_bytes)
    app.add_middleware(SecurityHeaders, hsts=chosen.tls)
    app.add_middleware(ReplicaReads, secure=chosen.tls)
    return app
