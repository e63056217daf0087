"""The booth reads the chip, in Chromium: the officer attaches the reader's chip file and the
verdict shows the chip line (who vouches for the chip, or why it is not trusted).

Runs on a real uvicorn node (tests.web.test_browser's ``serving``) whose trust store holds
a specimen Moroccan CSCA and its CRL.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from playwright.sync_api import Browser, Page, expect

from passerelle.access import AccessControl, Permission, local_operator
from passerelle.documents.chip.specimen import SpecimenPki, master_list
from passerelle.documents.chip.transfer import chip_as_json
from passerelle.federation.chips import apply_published_cscas
from passerelle.federation.peers.values import Agreement, PeerView
from passerelle.node import Node, open_node
from passerelle.services.chip import ChipDesk
from passerelle.settings import Settings
from tests.screening.conftest import passport
from tests.screening.test_chip_check import chip_of, morocco
from tests.web.test_browser import (
    PASSWORD,
    SETUP,
    Served,
    _login,
    _seed,
    browser,  # noqa: F401  (fixture)
    serving,
)


@pytest.fixture(scope="module")
def chips(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A node that trusts the specimen Moroccan CSCA (imported as an administrator would)."""
    tmp = tmp_path_factory.mktemp("browser-chip-node")
    home = tmp / "home"
    settings = Settings(home=home, node="MAR")
    _seed(settings, tmp)
    state, _signer = morocco()
    admin = local_operator(Permission.MANAGE_NODE)
    with open_node(settings) as node:
        AccessControl.for_node(node).add_user("admin.benjelloun", "admin", PASSWORD, by=SETUP)
        desk = ChipDesk(node)
        desk.import_csca(admin, state.certificate.public_bytes(Encoding.DER), source="specimen")
        desk.import_crl(admin, state.crl().public_bytes(Encoding.DER), source="specimen")
        offer_from_tunisia(node)
    with serving(home) as node_served:
        yield node_served


def offer_from_tunisia(node: Node) -> None:
    """Tunisia's published CSCAs, as the listener keeps them (``chip.cscas``)."""
    tunisia = SpecimenPki.create("TN", algorithm="ecdsa-p256", common_name="CSCA TN offered")
    now = node.clock()
    peer = PeerView(
        state="TUN", name="Tunisia", url="https://tun.example", keys=(), agreement=Agreement(),
        enabled=True, added_at=now, added_by="setup", updated_at=now,
    )  # fmt: skip
    body = {
        "idempotency_key": "chip-cscas:7:x",
        "version": 7,
        "cscas": [base64.b64encode(tunisia.certificate.public_bytes(Encoding.DER)).decode()],
    }
    with node.database.write() as session:
        apply_published_cscas(session, node.audit, sender=peer, body=body, now=now)


def _scan_with_chip(page: Page, served: Served, mrz: str, chip_file: bytes) -> None:
    page.goto(served.url + "/check")
    page.get_by_label("Crossing point").fill("TNG-MED")
    page.locator("#chip-file").set_input_files(
        files=[{"name": "chip.json", "mimeType": "application/json", "buffer": chip_file}]
    )
    page.locator("#mrz").fill(mrz)
    page.keyboard.press("Control+Enter")


def _file(mrz: str) -> bytes:
    return json.dumps(chip_as_json(chip_of(mrz))).encode()


def _signed_in(browser: Browser, chips: Served, user: str, *, landing: str = "") -> Page:  # noqa: F811
    """A new page at the chips node, signed in as ``user`` (on ``landing``, if given)."""
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    _login(page, chips, user)
    if landing:
        expect(page).to_have_url(chips.url + landing)
    return page


def test_a_genuine_chip_shows_the_csca_that_vouches_for_it(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "officer.amrani", landing="/check")
    _scan_with_chip(page, chips, passport(), _file(passport()))

    expect(page.locator("#verdict")).to_contain_text("CLEAR")
    expect(page.locator("#light-chip")).to_contain_text("nothing found")
    expect(page.locator("#chip")).to_contain_text("Chip verified by the CSCA of MA (CN=CSCA MA")
    page.close()


def test_a_cloned_chip_is_a_hit_and_the_chip_line_says_why(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "officer.amrani", landing="/check")
    _scan_with_chip(page, chips, passport(), _file(passport(number="QX1111111")))

    expect(page.locator("#verdict")).to_contain_text("HIT")
    expect(page.locator("#light-chip")).to_contain_text("HIT")
    expect(page.locator("#chip")).to_contain_text("Chip NOT verified: the chip's MRZ")
    page.close()


def test_a_chip_file_that_cannot_be_read_comes_back_to_the_form_naming_it(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "officer.amrani", landing="/check")
    bad = json.dumps({"sod": "AQI=", "data_groups": {"2": "%%%"}}).encode()
    _scan_with_chip(page, chips, passport(), bad)

    expect(page.locator("p.error")).to_contain_text("chip.data_groups.2: is not base64")
    page.close()


def _upload(page: Page, form: str, field: str, name: str, content: bytes) -> None:
    page.locator(f"#{field}").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
    )
    page.locator(f"#{form} button[type=submit]").click()


def test_the_administrator_imports_a_master_list_under_a_trusted_csca(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "admin.benjelloun")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(chips.url + "/chip-trust")
    expect(page.locator("#cscas")).to_contain_text("CSCA MA")
    tunisia = SpecimenPki.create("TN", algorithm="ecdsa-p256")
    listed = master_list([tunisia.certificate], morocco()[0].signer_of_master_list())
    _upload(page, "import-masterlist", "masterlist-file", "ml.der", listed)

    expect(page.locator("#trust-done")).to_contain_text("masterlist): 1 added")
    expect(page.locator("#cscas")).to_contain_text("CSCA TN")
    expect(page.locator("#trust-history")).to_contain_text("admin page: ml.der")
    page.close()


def test_a_master_list_whose_signer_is_not_trusted_imports_nothing_and_says_why(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "admin.benjelloun")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(chips.url + "/chip-trust")
    stranger = SpecimenPki.create("FR", algorithm="ecdsa-p256")
    listed = master_list([stranger.certificate], stranger.signer_of_master_list())
    _upload(page, "import-masterlist", "masterlist-file", "ml.der", listed)

    expect(page.locator("#trust-error")).to_contain_text(
        "masterlist.signer: is not issued by a trusted CSCA"
    )
    expect(page.locator("#cscas")).not_to_contain_text("CSCA FR")
    page.close()


def test_an_officer_is_not_shown_the_trust_store(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "officer.amrani", landing="/check")
    answer = page.goto(chips.url + "/chip-trust")
    assert answer is not None
    assert answer.status == 403
    page.close()


def test_the_administrator_adopts_the_cscas_a_partner_published(
    browser: Browser,  # noqa: F811
    chips: Served,
) -> None:
    page = _signed_in(browser, chips, "admin.benjelloun")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(chips.url + "/chip-trust")
    expect(page.locator("#cscas")).not_to_contain_text("CSCA TN offered")
    expect(page.locator("#adopt-TUN")).to_contain_text("TUN: 1 CSCAs (their version 7)")
    page.locator("#adopt-TUN button").click()

    expect(page.locator("#trust-done")).to_contain_text("1 CSCAs of TUN now trusted")
    expect(page.locator("#cscas")).to_contain_text("CSCA TN offered")
    expect(page.locator("#trust-history")).to_contain_text("published by TUN (v7)")
    page.close()
