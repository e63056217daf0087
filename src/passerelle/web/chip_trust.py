"""The administrator's ``/chip-trust`` page: the CSCAs and CRLs chips are checked against.

Lists the CSCAs in force, every change of the trust store and the CSCAs partners
published (``federation.chips``, adopted with one button), and imports a master list
(with the publisher's CSCA as an anchor when the store does not trust it yet), a single
CSCA or a CRL (``services.chip``, ``store.chip_trust``: verified first, a refused file
changes nothing; each change a new version, audited). A refusal comes back on the page
with the part named, answered 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.services.chip import ChipDesk
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session, translate

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Admin = Annotated[SessionView, Depends(page_session(Permission.MANAGE_NODE))]
CsrfField = Annotated[str, Form()]
MAX_FILE_BYTES = 16 * 2**20
KINDS = ("masterlist", "csca", "crl")
ADOPTED = N_("Version %(version)s: %(added)s CSCAs of %(state)s now trusted.")
IMPORTED = N_(
    "Version %(version)s (%(kind)s): %(added)s added, %(removed)s removed, "
    "%(skipped)s already trusted."
)


def _refusal(refused: InvalidInput) -> str:
    return refusal(refused)


def _show(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    *,
    error: str | None = None,
    done: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    desk = ChipDesk(services.node)
    offers: dict[str, list[object]] = {}
    for offer in desk.offered(session.actor):
        offers.setdefault(offer.subject.split(":", 1)[0], []).append(offer)
    context = {
        "cscas": desk.cscas(session.actor),
        "offers": offers,
        "history": desk.history(session.actor),
        "error": error,
        "done": done,
    }
    return page(request, "chip_trust.html", context, session=session, status_code=status)


@router.get("/chip-trust", response_class=HTMLResponse)
def trust_page(request: Request, session: Admin, services: ServicesDep) -> HTMLResponse:
    return _show(request, session, services)


async def _read(upload: UploadFile | None, field: str) -> bytes | None:
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            field, worded(N_("is larger than %(value)s MiB"), value=MAX_FILE_BYTES // 2**20)
        )
    return data or None


@router.post("/chip-trust/adopt/{state}", response_model=None)
def adopt(
    request: Request, state: str, session: Admin, services: ServicesDep, csrf_token: CsrfField
) -> HTMLResponse:
    """Trust the CSCAs a partner published (one version, audited)."""
    session.check_csrf(csrf_token)
    try:
        change = ChipDesk(services.node).adopt_partner(session.actor, state)
    except InvalidInput as refused:
        return _show(request, session, services, error=_refusal(refused), status=422)
    return _show(
        request,
        session,
        services,
        done=translate(ADOPTED, version=change.version, added=change.added, state=state.upper()),
    )


@router.post("/chip-trust/{kind}", response_model=None)
async def import_file(
    request: Request,
    kind: str,
    session: Admin,
    services: ServicesDep,
    csrf_token: CsrfField,
    file: UploadFile | None = None,
    anchor: UploadFile | None = None,
) -> HTMLResponse | RedirectResponse:
    """Import a master list, a CSCA or a CRL (``kind``); back to the page with the result."""
    session.check_csrf(csrf_token)
    if kind not in KINDS:
        kind_refused = InvalidInput("kind", worded(N_("not one of masterlist, csca, crl")))
        return _show(request, session, services, error=_refusal(kind_refused), status=404)
    desk, actor = ChipDesk(services.node), session.actor
    try:
        raw = await _read(file, "file")
        if raw is None:
            raise InvalidInput("file", worded(N_("choose the file to import")))
        source = f"admin page: {file.filename if file else ''}"[:200]
        if kind == "masterlist":
            extra = await _read(anchor, "anchor")
            change = desk.import_master_list(
                actor, raw, source=source, anchors=[extra] if extra else []
            )
        elif kind == "csca":
            change = desk.import_csca(actor, raw, source=source)
        else:
            change = desk.import_crl(actor, raw, source=source)
    except InvalidInput as refused:
        return _show(request, session, services, error=_refusal(refused), status=422)
    return _show(
        request,
        session,
        services,
        done=translate(
            IMPORTED,
            version=change.version,
            kind=change.kind,
            added=change.added,
            removed=change.removed,
            skipped=change.skipped,
        ),
    )
