"""The REST API through real HTTP, on the hand-written fixture (test_rest_fixture.trig).

Each answer must carry its passages; bad parameters give 422 `{"code","message","hint"}`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from ccmkg.api.rest.models import (
    ConflictList,
    CoordinatorList,
    MeetingDetail,
    PersonDetail,
    PresidencyList,
    Timeline,
)
from ccmkg.resources import ontology_file
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app

FIXTURE = Path(__file__).with_name("test_rest_fixture.trig")
BASE = "https://ccm-kg.org/"
UNIVERSALIZATION_2016 = "5.1 Universalization (Ecuador and Zambia)"


def fixture_graphs() -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graphs: dict[str, Graph] = {}
    for context in dataset.contexts():
        if isinstance(context.identifier, URIRef) and len(context):
            graph = Graph()
            for triple in context:
                graph.add(triple)
            graphs[str(context.identifier)] = graph
    graphs[f"{BASE}graph/ontology"] = Graph().parse(ontology_file(), format="turtle")
    return graphs


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[httpx.Client]:
    """A live server over the fixture, and an HTTP client pointed at it."""
    store.replace_graphs(fixture_graphs())
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, store) as base_url, httpx.Client(base_url=base_url) as client:
        yield client


def quotes(item: dict) -> list[str]:
    return [s["quote"] for s in item["sources"]]


def test_coordinators_in_2016_by_alias_with_their_passage(api: httpx.Client) -> None:
    for area in ("universalization", "Universalisation", "UNIVERSALIZATION"):
        r = api.get("/coordinators", params={"area": area, "year": "2016"})
        assert r.status_code == 200, r.text
        body = CoordinatorList.model_validate(r.json())
        assert sorted(i.state.iso3 for i in body.items) == ["ECU", "ZMB"]
        for item in body.items:
            assert item.area.slug == "universalization"
            assert [s.quote for s in item.sources] == [UNIVERSALIZATION_2016]
            source = item.sources[0]
            assert (source.start, source.end, source.section) == (50, 91, "5.1")
            assert source.document.date == "2016-05-26"
            assert item.attested == ["2016-05-26"]


def test_coordinators_on_a_day_and_mandate_years(api: httpx.Client) -> None:
    on_day = api.get("/coordinators", params={"on": "2016-05-26"}).json()
    assert sorted(i["state"]["iso3"] for i in on_day["items"]) == ["ECU", "ZMB"]
    assert api.get("/coordinators", params={"on": "2016-05-27"}).json()["items"] == []
    # Zambia's stated mandate (2012 and 2013) counts for a day in 2013 with no attestation.
    y2013 = api.get("/coordinators", params={"on": "2013-07-01", "state": "Zambia"}).json()
    [held] = y2013["items"]
    assert (held["start"], held["end"], held["mandate_years"]) == (
        "2012-01-01",
        "2013-12-31",
        [2012, 2013],
    )
    assert held["term_basis"] == "stated"  # no calendar here: the years as stated
    assert quotes(held) == ["Zambia (Universalisation in 2012 and 2013)"]
    # ISO alpha-2 and alpha-3 name the same State.
    by_code = api.get("/coordinators", params={"state": "zm"}).json()
    assert (
        by_code["count"] == 2 == api.get("/coordinators", params={"state": "ZMB"}).json()["count"]
    )


def test_bad_parameters_are_422_with_code_message_hint(api: httpx.Client) -> None:
    r = api.get("/coordinators", params={"area": "dancing"})
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"code", "message", "hint"}
    assert body["code"] == "bad-parameter"
    assert "universalization" in body["hint"] and "victim-assistance" in body["hint"]
    r = api.get("/coordinators", params={"on": "26/05/2016"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["hint"]
    for path, params in [
        ("/coordinators", {"state": "Atlantis"}),
        ("/coordinators", {"limit": "100000"}),
        ("/coordinators", {"limit": "ten"}),
        ("/meetings", {"kind": "party"}),
        ("/obligations", {"article": "5"}),
        ("/presidencies", {"year": "twenty"}),
        ("/coordinators", {"from": "2017-01-01", "to": "2016-01-01"}),
    ]:
        r = api.get(path, params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert set(r.json()) == {"code", "message", "hint"}


def test_unknown_ids_are_404(api: httpx.Client) -> None:
    for path in ("/meetings/coordination-committee-1999-01-01", "/actors/ATL", "/persons/nobody"):
        r = api.get(path)
        assert r.status_code == 404, path
        assert r.json()["code"] == "not-found"


def test_presidencies(api: httpx.Client) -> None:
    body = PresidencyList.model_validate(api.get("/presidencies", params={"year": "2016"}).json())
    [pres] = body.items
    assert (pres.state.iso3, pres.role, pres.meeting and pres.meeting.label) == (
        "CHE",
        "president",
        "6MSP",
    )
    assert pres.meeting and (pres.meeting.kind, pres.meeting.ordinal) == ("MSP", 6)
    assert [s.quote for s in pres.sources] == ["Switzerland – 6MSP President"]
    assert api.get("/presidencies", params={"year": "2012"}).json()["count"] == 0


def test_meetings_list_filters_and_detail(api: httpx.Client) -> None:
    listed = api.get("/meetings", params={"from": "2016-01-01", "kind": "coordination-committee"})
    [meeting] = listed.json()["items"]
    assert meeting["id"] == "coordination-committee-2016-05-26"
    assert meeting["chair"] == {
        "id": f"{BASE}id/state/CHE",
        "type": "state",
        "iso3": "CHE",
        "acronym": None,
        "label": "Switzerland",
    }
    assert meeting["format"] == "in-person" and meeting["venue"] == "Palais des Nations"
    assert api.get("/meetings", params={"state": "CHE"}).json()["count"] == 1
    assert api.get("/meetings", params={"state": "BGR"}).json()["count"] == 0
    assert api.get("/meetings", params={"person": "laurent-masmejan"}).json()["count"] == 1
    assert api.get("/meetings", params={"to": "2016-05-25"}).json()["count"] == 0

    detail = MeetingDetail.model_validate(api.get(f"/meetings/{meeting['id']}").json())
    [present] = detail.present
    assert present.actor.iso3 == "CHE"
    assert [s.quote for s in present.sources] == ["Switzerland – 6MSP President"]
    [person] = present.persons
    assert (person.name, person.honorific) == ("Laurent Masméjan", "Mr.")
    assert [s.quote for s in person.sources] == ["Mr. Laurent Masméjan"]
    [apology] = detail.apologies
    assert (apology.actor.iso3, apology.received) == ("BGR", True)
    assert [s.quote for s in apology.sources] == ["Apologies: Bulgaria"]
    assert [s.quote for s in detail.sources] == ["Held on Thursday, 26 May 2016"]


def test_actors_search_and_timeline(api: httpx.Client) -> None:
    found = api.get("/actors", params={"q": "netherl"}).json()
    assert [a["iso3"] for a in found["items"]] == ["NLD"]
    assert found["items"][0]["names"] == ["the Netherlands"]
    assert api.get("/actors/NL").json()["iso3"] == "NLD"
    timeline = Timeline.model_validate(api.get("/actors/ZMB/timeline").json())
    assert [(e.kind, e.date) for e in timeline.items] == [
        ("coordinator", "2012-01-01"),
        ("coordinator", "2016-05-26"),
    ]
    assert all(e.sources for e in timeline.items)
    che = Timeline.model_validate(api.get("/actors/Switzerland/timeline").json())
    assert {e.kind for e in che.items} == {"attended", "chaired", "president"}


def test_persons_accent_and_case_insensitive(api: httpx.Client) -> None:
    for q in ("masmejan", "MASMÉJAN", "Laurent Masm"):
        items = api.get("/persons", params={"q": q}).json()["items"]
        assert [p["name"] for p in items] == ["Laurent Masméjan"], q
    assert api.get("/persons", params={"q": "zzz"}).json()["count"] == 0
    person = PersonDetail.model_validate(api.get("/persons/laurent-masmejan").json())
    [sat] = person.meetings
    assert sat.delegation.iso3 == "CHE" and sat.meeting.date == "2016-05-26"
    assert [s.quote for s in sat.sources] == ["Mr. Laurent Masméjan"]


def test_obligations_and_conflicts(api: httpx.Client) -> None:
    [event] = api.get("/obligations", params={"state": "Holland", "article": "4"}).json()["items"]
    assert (event["article"], event["type"], event["event"], event["date"]) == (
        4,
        "clearance",
        "extension-request-announced",
        "2016-05-26",
    )
    assert quotes(event) == ["the Netherlands will request an extension under Article 4"]
    assert api.get("/obligations", params={"article": "3"}).json()["count"] == 0
    conflicts = ConflictList.model_validate(api.get("/conflicts").json())
    [conflict] = conflicts.items
    assert sorted(conflict.values) == ["2012-01-12", "2012-01-13"]
    assert sorted(c.quote or "" for c in conflict.claims) == [
        "held on 12 January",
        "held on 13 January",
    ]


def test_pagination_and_csv(api: httpx.Client) -> None:
    first = api.get("/coordinators", params={"limit": "1"}).json()
    second = api.get("/coordinators", params={"limit": "1", "offset": "1"}).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    by_param = api.get("/coordinators", params={"year": "2016", "format": "csv"})
    by_accept = api.get("/coordinators", params={"year": "2016"}, headers={"Accept": "text/csv"})
    for r in (by_param, by_accept):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert sorted(row["state.iso3"] for row in rows) == ["ECU", "ZMB"]
        assert {row["sources.quote"] for row in rows} == {UNIVERSALIZATION_2016}


def test_openapi_describes_the_models(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"Coordinator", "Source", "ErrorBody", "MeetingDetail"} <= set(schemas)
    # url, retrieved: reference data (a web page and the day it was read) instead of a passage
    assert set(schemas["Source"]["properties"]) == {
        "document",
        "section",
        "quote",
        "start",
        "end",
        "url",
        "retrieved",
    }
    assert "/coordinators" in spec["paths"] and "/meetings/{id}" in spec["paths"]
    assert api.get("/docs").status_code == 200


def test_page_is_served_with_security_headers(api: httpx.Client) -> None:
    page = api.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert api.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert api.get("/static/..%2Fmain.py").status_code == 404
    names = {q["name"] for q in api.get("/ui/queries").json()}
    # The examples menu: research questions only, not the queries behind the REST routes.
    assert "coordinators_in_year" in names and "api_coordinators" not in names
