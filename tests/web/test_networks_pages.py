"""The networks page without a browser: communities, a community's tables, a person
expanded, a link's records opening the inspections, the travel context on the review page."""

from __future__ import annotations

import re

from tests.api.conftest import Api
from tests.api.test_networks import inspect
from tests.web.test_pages import login


def test_a_car_of_travellers_is_a_community_with_its_tables_and_records(api: Api) -> None:
    ids = [inspect(api, f"ZX300000{n}", {"vehicle_plate": "55-A-777"}) for n in (1, 2, 3)]
    login(api.client, "analyst.one")
    page = api.client.get("/analysis/networks")
    assert page.status_code == 200
    text = page.text
    assert 'id="community-1"' in text
    assert 'href="/analysis/networks"' in text  # the menu
    assert 'id="network-persons"' in text
    assert 'id="network-links"' in text
    assert text.count('data-person="doc:MAR:ZX300000') == 3
    assert "Declared in the same vehicle (55A777) at the same crossing; occasions: 1" in text
    records = re.search(r'href="([^"]+)" class="link-records"', text)
    assert records is not None
    opened = api.client.get(records.group(1).replace("&amp;", "&"))
    assert opened.status_code == 200
    links = re.findall(r'href="/review/inspection/([^"#]+)" class="record-link"', opened.text)
    assert set(links) <= set(ids)
    assert len(links) == 2

    expanded = api.client.get(
        "/analysis/networks", params={"person": "doc:MAR:ZX3000001", "kinds": "co_travel_vehicle"}
    )
    assert "Neighbours of MAR ZX3000001" in expanded.text
    only_time = api.client.get("/analysis/networks", params={"kinds": "co_travel_time"})
    assert "No community in this period for these link kinds." in only_time.text

    review = api.client.get(f"/review/inspection/{ids[0]}")
    assert 'id="travel-context"' in review.text
    assert "55A777" in review.text


def test_a_bad_period_or_kind_is_said_on_the_page_naming_the_field(api: Api) -> None:
    login(api.client, "analyst.one")
    page = api.client.get("/analysis/networks", params={"start": "yesterday"})
    assert page.status_code == 200
    assert re.search(r'role="alert">From: ', page.text)
    kinds = api.client.get("/analysis/networks", params={"kinds": "gossip"})
    assert re.search(r'role="alert">Link kinds: gossip: not one of', kinds.text)


def test_an_officer_has_no_networks_page(api: Api) -> None:
    login(api.client, "officer.one")
    assert api.client.get("/analysis/networks").status_code == 403
