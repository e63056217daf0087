"""Mounting the web pages and their static files on the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from passerelle.http.text import plain_form_text
from passerelle.web import (
    admin,
    analyst,
    auditing,
    booth,
    cases,
    chip_trust,
    examiner,
    federation,
    identities,
    languages,
    networks,
    oversight,
    paperwork,
    reports,
    risk,
    second_line,
    signin,
    traveller,
)
from passerelle.web.lists import loads as list_loads
from passerelle.web.lists import records as list_records

__all__ = ["install_web", "plotly_folder"]

STATIC = Path(__file__).parent / "static"


def plotly_folder() -> Path:
    """Where the installed ``plotly`` package keeps ``plotly.min.js`` (served, not copied)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data"


def install_web(app: FastAPI) -> None:
    """Add the pages, ``/static`` and ``/static/vendor/{plotly,cytoscape}.min.js`` to ``app``."""
    app.add_middleware(languages.ReaderLanguage)
    for module in (
        signin,
        languages,
        booth,
        paperwork,
        second_line,
        reports,
        analyst,
        cases,
        identities,
        networks,
        examiner,
        oversight,
        risk,
        auditing,
        list_loads,
        list_records,
        federation,
        traveller,
        chip_trust,
        *admin.PAGES,
    ):
        app.include_router(module.router, dependencies=[Depends(plain_form_text)])
    plotly_js = plotly_folder() / "plotly.min.js"

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_script() -> FileResponse:
        return FileResponse(
            plotly_js,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    @app.get("/static/vendor/cytoscape.min.js", include_in_schema=False)
    def cytoscape() -> FileResponse:
        script = networks.cytoscape_script()
        if script is None:
            raise HTTPException(404, "cytoscape.js is not installed (npm ci)")
        return FileResponse(
            script,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
