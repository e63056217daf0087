"""Multiple-identity links in a real browser (Chromium, a real uvicorn node).

An analyst finds two yellow links, opens the most probable, reads the two records side by
side (each with the photo filed under it), resolves it red with a note, resolves the other
green; an analyst cannot change a resolved link (refused with the reason), a supervisor can.
Both pages pass the accessibility checks.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from passerelle.access import AccessControl
from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.biometrics.templates import FaceTemplate
from passerelle.node import open_node
from passerelle.records.identity_links import LinkEnd, LinkProposal
from passerelle.screening import Inspector, InspectorConfig
from passerelle.settings import Settings
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.wiring import face_galleries
from tests.federation.test_federated_inspection import inspect
from tests.screening.conftest import passport
from tests.web.accessibility import assert_accessible
from tests.web.test_browser import PASSWORD, SETUP, Served, _login, _seed, browser, serving
from tests.web.test_identity_pages import portrait_png

__all__ = ["browser"]  # the fixture, imported

SUPERVISOR = "supervisor.tahiri"
EVIDENCE = {
    "comparisons": [
        {"field": "name", "level": "same name key", "weight": 4.2},
        {"field": "birth_date", "level": "exact", "weight": 6.1},
        {"field": "document", "level": "different", "weight": -1.3},
    ],
    "match_weight": 9.0,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The browser tests' node with a supervisor, four inspections and two yellow links."""
    tmp = tmp_path_factory.mktemp("browser-identities")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    with open_node(settings) as node:
        AccessControl.for_node(node).add_user(SUPERVISOR, "supervisor", PASSWORD, by=SETUP)
        inspector = Inspector(node, config=InspectorConfig(watchlist_max_age_s=None))
        ids = [
            inspect(inspector, passport(**mrz), federation=False).inspection_id
            for mrz in (
                {"number": "ZX9876543"},
                {"number": "QA1234567", "given_names": "SELMA"},
                {"number": "RB1111111", "surname": "BENANI", "given_names": "OMAR", "sex": "M"},
                {"number": "RB2222222", "surname": "BENNANI", "given_names": "OMAR", "sex": "M"},
            )
        ]
        for record in ids[:2]:  # the chip photo filed under the first link's two records
            face_galleries(node).enrol(
                "travellers",
                record,
                FaceTemplate(FACE_MODEL, FACE_MODEL_VERSION, np.ones(128, dtype=np.float32)),
                source_sha256="0" * 64,
                at=node.clock(),
                by=SETUP.name,
                image=portrait_png(),
            )
        links = IdentityLinkRepository(node.audit)
        with node.database.write() as session:
            links.propose(
                session,
                [
                    LinkProposal(
                        LinkEnd("inspection", ids[0]), LinkEnd("inspection", ids[1]), 0.97, EVIDENCE
                    ),
                    LinkProposal(
                        LinkEnd("inspection", ids[2]), LinkEnd("inspection", ids[3]), 0.81, EVIDENCE
                    ),
                ],
                run_id=None,
                now=node.clock(),
            )
    with serving(home) as node_served:
        yield node_served


def resolve(page: Page, colour: str, note: str) -> None:
    page.locator(f"#resolve input[name=colour][value={colour}]").check()
    page.locator("#resolve textarea[name=note]").fill(note)
    page.get_by_role("button", name="Resolve the link").click()


def test_an_analyst_resolves_links_and_a_supervisor_changes_one(
    browser: Browser, served: Served
) -> None:
    analyst = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(analyst, served, "analyst.idrissi")
    analyst.get_by_role("link", name="Multiple identities").click()
    expect(analyst.locator("#colour-yellow")).to_contain_text("yellow: to verify")
    expect(analyst.locator("#colour-yellow .count")).to_have_text("2")
    rows = analyst.locator("#links tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("97%")  # most probable first
    assert_accessible(analyst, "the identity links")

    rows.first.get_by_role("link").click()
    evidence = analyst.locator("#evidence")
    expect(evidence).to_contain_text("SALMA LAMRANI")
    expect(evidence).to_contain_text("SELMA LAMRANI")
    expect(evidence).to_contain_text("MAR ZX9876543")
    expect(evidence).to_contain_text("TNG-MED")
    photos = evidence.locator("img.record-photo")
    expect(photos).to_have_count(2)
    for photo in photos.all():
        expect(photo).to_be_visible()
        assert photo.evaluate("img => img.complete && img.naturalWidth") == 240
    expect(analyst.locator("#why")).to_contain_text("97% chance")
    expect(analyst.locator("#comparisons")).to_contain_text("birth date")
    expect(analyst.locator("#resolve")).to_contain_text("identity fraud is suspected")
    assert_accessible(analyst, "a link's evidence")
    first_url = analyst.url

    resolve(analyst, "red", "Same face, two passports a month apart.")
    expect(analyst.locator("#link-colour")).to_have_text("red: multiple identity")
    expect(analyst.locator("#resolution-note")).to_have_text(
        "Same face, two passports a month apart."
    )
    expect(analyst.locator("#resolved")).to_contain_text("analyst.idrissi")
    expect(analyst.locator("#resolution-locked")).to_be_visible()
    expect(analyst.locator("#open-case")).to_be_visible()
    token = analyst.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    refused = analyst.request.post(
        first_url + "/resolution", form={"csrf_token": token, "colour": "green", "note": "No."}
    )
    assert refused.status == 422
    assert "only a supervisor may change it" in refused.text()

    analyst.goto(served.url + "/analysis/identities")
    analyst.locator("#links tbody tr").first.get_by_role("link").click()
    expect(analyst.locator("#evidence")).to_contain_text("OMAR BENNANI")
    resolve(analyst, "green", "Two brothers, different birth certificates.")
    expect(analyst.locator("#link-colour")).to_have_text("green: different persons")
    analyst.goto(served.url + "/analysis/identities?colour=yellow")
    expect(analyst.locator("#no-links")).to_be_visible()
    analyst.close()

    supervisor = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(supervisor, served, SUPERVISOR)
    expect(supervisor.get_by_role("link", name="Multiple identities")).to_be_visible()
    supervisor.goto(served.url + "/analysis/identities?colour=red")
    supervisor.locator("#links tbody tr").first.get_by_role("link").click()
    expect(supervisor.locator("#resolved")).to_contain_text("analyst.idrissi")
    resolve(supervisor, "white", "Dual nationality confirmed by the consulate.")
    expect(supervisor.locator("#link-colour")).to_have_text("white: same person, lawfully")
    expect(supervisor.locator("#resolved")).to_contain_text(SUPERVISOR)
    assert_accessible(supervisor, "a resolved link")
    supervisor.close()
