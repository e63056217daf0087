"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served by the node itself: no CDN.

FastAPI's own pages load their scripts from a CDN, which the node's
content-security policy refuses and an offline node cannot reach, so both
stayed blank. Here the pages load the Swagger UI and ReDoc bundles that the
``fastapi-offline`` package ships (served from where it is installed, not
copied, like Plotly for the dashboard) under ``/docs/static/``, and Swagger UI
is started by ``docs_assets/swagger-init.js`` rather than an inline script, so
the pages need no ``'unsafe-inline'`` script: :data:`~passerelle.http.middleware.DOCS_CSP`
relaxes only what the bundles need, on these two pages only.
"""

from __future__ import annotations

import html
from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from starlette.exceptions import HTTPException

from passerelle.http.middleware import DOCS_PAGES

__all__ = ["DOCS_PAGES", "docs_assets", "install_docs"]

STATIC = "/docs/static"
_OWN = Path(__file__).parent / "docs_assets"
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _vendor_folder() -> Path:
    """Where the installed ``fastapi-offline`` package keeps the bundles."""
    spec = find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fastapi-offline is not installed: pip install fastapi-offline")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def docs_assets() -> dict[str, Path]:
    """The files served under ``/docs/static/``, by name."""
    vendor = _vendor_folder()
    names = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
    return {name: vendor / name for name in names} | {"swagger-init.js": _OWN / "swagger-init.js"}


def _swagger_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - Swagger UI</title>
<link rel="icon" href="{STATIC}/favicon.png">
<link rel="stylesheet" href="{STATIC}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(openapi_url)}"></div>
<script src="{STATIC}/swagger-ui-bundle.js"></script>
<script src="{STATIC}/swagger-init.js"></script>
</body>
</html>
"""


def _redoc_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - ReDoc</title>
<link rel="icon" href="{STATIC}/favicon.png">
</head>
<body>
<redoc spec-url="{html.escape(openapi_url)}"></redoc>
<script src="{STATIC}/redoc.standalone.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Add ``/docs``, ``/redoc`` and their files under ``/docs/static/`` to ``app``
    (created with ``docs_url=None, redoc_url=None``)."""
    assets = docs_assets()
    openapi_url = app.openapi_url or "/openapi.json"
    swagger = _swagger_page(app.title, openapi_url)
    redoc = _redoc_page(app.title, openapi_url)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger)

    @app.get("/redoc", include_in_schema=False)
    def redoc_ui() -> HTMLResponse:
        return HTMLResponse(redoc)

    @app.get(STATIC + "/{name}", include_in_schema=False)
    def docs_file(name: str) -> FileResponse:
        path = assets.get(name)
        if path is None:
            raise HTTPException(404, f"no file {name!r} under {STATIC}")
        return FileResponse(
            path,
            media_type=_MEDIA_TYPES[path.suffix],
            headers={"cache-control": "public, max-age=86400"},
        )
