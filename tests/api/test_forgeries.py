"""``/api/v1/forgeries``: the examiner's catalogue of forgery alerts and their images, for the
roles that examine documents."""

from __future__ import annotations

import base64

from passerelle.records.alerts import parse_alert
from passerelle.store.audit import Actor
from tests.api.conftest import Api
from tests.records.test_forgeries import INDICATORS, forgery_alert, png
from tests.screening.test_forgery_checks import receive_from_bel

ANALYST = Actor("analyst.one", "user", "analyst")


def test_an_analyst_lists_own_and_partners_forgeries_and_reads_their_images(api: Api) -> None:
    api.services.alerts.issue(ANALYST, parse_alert(forgery_alert()))
    receive_from_bel(api.services.node, api.services.node.clock)
    analyst = api.as_role("analyst")

    listed = api.client.get("/api/v1/forgeries", headers=analyst)

    assert listed.status_code == 200, listed.text
    forgeries = listed.json()["forgeries"]
    assert [f["reference"] for f in forgeries] == ["MAR-F-0001", "BEL:BEL-F-7"]
    assert [f["issuing_state"] for f in forgeries] == [None, "BEL"]
    assert forgeries[1]["subject"]["indicators"] == INDICATORS
    assert forgeries[0]["captions"] == ["Data page under UV light: no fibres"]
    for path in ("own/MAR-F-0001", "BEL/BEL-F-7"):
        answer = api.client.get(f"/api/v1/forgeries/{path}/images", headers=analyst)
        assert answer.status_code == 200, answer.text
        (image,) = answer.json()["images"]
        assert base64.b64decode(image["data"]) == png()
        assert image["media_type"] == "image/png"


def test_an_alert_that_is_no_forgery_or_no_alert_is_404_and_an_officer_is_refused(
    api: Api,
) -> None:
    analyst = api.as_role("analyst")
    travel_ban = api.client.get("/api/v1/forgeries/own/MAR-A-0042/images", headers=analyst)
    assert travel_ban.status_code == 404
    assert travel_ban.json()["field"] == "alert_id"
    unknown = api.client.get("/api/v1/forgeries/TUN/TUN-F-1/images", headers=analyst)
    assert unknown.status_code == 404
    officer = api.client.get("/api/v1/forgeries", headers=api.as_role("officer"))
    assert officer.status_code == 403
