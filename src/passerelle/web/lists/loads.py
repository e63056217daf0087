"""Loading a watchlist or SLTD file from the page: the upload, the load in the background,
its progress and its result.

The file goes through the loader ``passerelle watchlist load`` and ``passerelle sltd load``
use (``store.loading.load_file``: per-batch transactions, each batch audited
``watchlist.load`` / ``sltd.load``, every rejected line kept with its field and reason),
run in a thread of the serving process as the signed-in analyst. The page that follows
it reads the run's progress from the database (``load_runs``), so it works whichever
worker answers the poll; the total number of lines, counted at the upload, travels in the
page's address.

Uploads are bounded by ``PASSERELLE_MAX_REQUEST_BYTES`` (refused with 413 before they are
read; the page says so before sending a larger file). The uploaded copy is kept in a
private temporary folder for the load's time only.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from passerelle.access import Permission, SessionView, can
from passerelle.exc import InvalidInput, NotFound, PasserelleError
from passerelle.http.deps import ServicesDep, refuse_unless
from passerelle.http.ids import PathId
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.load_parsing import Rejection
from passerelle.store.load_runs import LoadRunView, load_run
from passerelle.store.loading import Registry, load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry
from passerelle.web.refusals import refusal, refused_field_name
from passerelle.web.rendering import PageSession, page
from passerelle.web.wording import written

__all__ = ["KINDS", "router"]

KINDS: dict[str, tuple[str, Permission]] = {
    "watchlist": (N_("Watchlist"), Permission.MANAGE_WATCHLIST),
    "sltd": (N_("Stolen and lost documents"), Permission.MANAGE_SLTD),
}
"""The files a page may load: their label and the permission the CLI's load needs."""

STARTING = 30.0
"""Seconds the upload waits for the load's run to be recorded (the file's digest first)."""

router = APIRouter(include_in_schema=False)


def _failures(request: Request) -> dict[int, str]:
    """The loads of this process that stopped (the database failed): run id -> what was
    said; kept on the app, for the page that follows the run."""
    state = request.app.state
    if not hasattr(state, "list_load_failures"):
        state.list_load_failures = {}
    failures: dict[int, str] = state.list_load_failures
    return failures


def _registry(kind: str) -> Registry[Any]:
    return WatchlistRegistry() if kind == "watchlist" else SltdRegistry()


def _kind(request: Request, services: ServicesDep, session: SessionView, kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(
            "kind", worded(N_("%(kind)s is not one of watchlist, sltd"), kind=repr(kind))
        )
    refuse_unless(request, services, session.actor, KINDS[kind][1])
    return kind


def count_lines(path: Path) -> int:
    """The lines of a file as the loader numbers them (a last line without newline counts)."""
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _saved(upload: UploadFile, folder: Path) -> Path:
    name = Path(upload.filename or "").name[:120] or "upload.jsonl"
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1 << 20)
    return path


def start_load(
    node: Node, actor: Actor, kind: str, path: Path, *, folder: Path, failures: dict[int, str]
) -> int:
    """Load ``path`` in a thread as ``actor``; returns the run's id once it is recorded.
    ``folder`` (holding the upload) is removed when the load ends; a load that stops puts
    what it said in ``failures``."""
    lines = count_lines(path)
    batch = min(node.settings.load_batch_size, max(500, lines // 50))
    started: list[int] = []
    failed: list[BaseException] = []
    ready = threading.Event()

    def begun(run_id: int) -> None:
        started.append(run_id)
        ready.set()

    def run() -> None:
        try:
            load_file(
                node.database,
                node.audit,
                _registry(kind),
                path,
                actor=actor,
                clock=node.clock,
                batch_size=batch,
                parallel=False,
                started=begun,
            )
        except BaseException as exc:  # said on the page, never lost
            failed.append(exc)
            if started:
                failures[started[0]] = str(exc)
        finally:
            ready.set()
            shutil.rmtree(folder, ignore_errors=True)

    threading.Thread(target=run, name=f"web-{kind}-load", daemon=True).start()
    ready.wait(STARTING)
    if not started:
        if failed and isinstance(failed[0], PasserelleError):
            raise failed[0]
        raise InvalidInput("file", worded(N_("the load could not start; try again")))
    return started[0]


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: PageSession, services: ServicesDep) -> HTMLResponse:
    """The upload forms and the record look-ups, for the lists the reader keeps."""
    refuse_unless(
        request, services, session.actor, Permission.MANAGE_WATCHLIST, Permission.MANAGE_SLTD
    )
    return _lists(request, session, services)


def _lists(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    error: InvalidInput | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    kinds = [
        {"code": code, "label": label}
        for code, (label, permission) in KINDS.items()
        if can(session.actor.role, permission)
    ]
    context = {
        "kinds": kinds,
        "max_bytes": services.node.settings.max_request_bytes,
        "error": refusal(error) if error else None,
    }
    return page(request, "lists/index.html", context, session=session, status_code=status_code)


@router.post("/lists/load", response_model=None)
def upload(
    request: Request,
    session: PageSession,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    kind: Annotated[str, Form(max_length=16)],
    file: Annotated[UploadFile | None, File()] = None,
) -> RedirectResponse | HTMLResponse:
    """Start loading the uploaded file; on to the page that follows the load."""
    session.check_csrf(csrf_token)
    try:
        kind = _kind(request, services, session, kind)
        if file is None or not file.filename:
            raise InvalidInput("file", worded(N_("choose a JSON Lines file to load")))
        folder = Path(tempfile.mkdtemp(prefix="passerelle-upload-"))
        try:
            path = _saved(file, folder)
            if path.stat().st_size == 0:
                raise InvalidInput("file", worded(N_("is empty")))
            total = count_lines(path)
            run_id = start_load(
                services.node,
                session.actor,
                kind,
                path,
                folder=folder,
                failures=_failures(request),
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    except InvalidInput as exc:
        return _lists(request, session, services, exc, status_code=422)
    return RedirectResponse(f"/lists/loads/{run_id}?total={total}", status_code=303)


def _run(request: Request, services: ServicesDep, session: SessionView, run_id: int) -> LoadRunView:
    with services.node.database.read() as db:
        run = load_run(db, run_id)
    if run is None or run.kind not in KINDS:
        raise NotFound("run", worded(N_("no load has id %(run_id)s"), run_id=run_id))
    refuse_unless(request, services, session.actor, KINDS[run.kind][1])
    return run


@router.get("/lists/loads/{run_id}", response_class=HTMLResponse)
def load_page(
    request: Request,
    run_id: PathId,
    session: PageSession,
    services: ServicesDep,
    total: Annotated[int | None, Query(ge=0)] = None,
) -> HTMLResponse:
    """A load: its progress bar while it runs, then its counts and rejected lines."""
    run = _run(request, services, session, run_id)
    context = {
        "run": run,
        "label": KINDS[run.kind][0],
        "file": Path(run.file_name).name,
        "total": total if total is not None else (run.lines_done if run.finished else None),
        "failure": _failures(request).get(run.id),
        "rejections": [_rejected_line(r) for r in run.rejections],
    }
    return page(request, "lists/load.html", context, session=session)


@router.get("/lists/loads/{run_id}/progress")
def load_progress(
    request: Request, run_id: PathId, session: PageSession, services: ServicesDep
) -> JSONResponse:
    """How far a load got: ``{"lines": n, "status": "running" | "completed" | ...}``."""
    run = _run(request, services, session, run_id)
    with services.node.database.read() as db:
        current = load_run(db, run.id, with_rejections=False)
    assert current is not None
    return JSONResponse(
        {
            "lines": current.lines_done,
            "status": current.status,
            "finished": current.finished or run.id in _failures(request),
            "rejected": current.rejected,
        },
        headers={"cache-control": "no-store"},
    )


def _rejected_line(rejection: Rejection) -> dict[str, Any]:
    """A rejected line as the page lists it: its number, the field's name in the reader's
    language (and its code in the file), the reason in the reader's language."""
    name = refused_field_name(rejection.field)
    return {
        "line_no": rejection.line_no,
        "field": name,
        "code": rejection.field if name != rejection.field else None,
        "reason": written(rejection.wording) if rejection.wording else rejection.reason,
    }
