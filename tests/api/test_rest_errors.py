"""Bad input to the REST API, through real HTTP on the loaded corpus: 4xx that say what to do.

Every bad parameter is a 422 `{"code","message","hint"}` (never FastAPI's `{"detail"}`), an
unknown id is a 404 in the same shape, `limit` above the maximum is refused (not clamped: a
client that asked for more must not silently get less), and every list's CSV parses with the
csv module into one row per JSON item, even when passages hold commas, quotes and newlines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from ccmkg.api.rest.params import MAX_LIMIT
from ccmkg.loaders.pipeline import load_paths
from ccmkg.model.terms import CCM
from ccmkg.resources import corpus_files, ontology_file
from ccmkg.settings import Settings
from ccmkg.store import open_store
from devtools.server import serve_app

LISTS = [
    "/coordinators",
    "/presidencies",
    "/meetings",
    "/actors",
    "/persons",
    "/obligations",
    "/conflicts",
]
DATED = {
    "/coordinators": ("on", "from", "to"),
    "/presidencies": ("on",),
    "/meetings": ("from", "to"),
    "/obligations": ("from", "to"),
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    settings = Settings(store=str(tmp_path_factory.mktemp("errors") / "store"))
    store = open_store(settings)
    try:
        load_paths(store, settings, corpus_files())
        with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=60) as client:
            yield client
    finally:
        store.close()


def error(response: httpx.Response, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "hint"}, body
    assert body["message"] and body["hint"]
    return body  # type: ignore[no-any-return]


def ontology_area_slugs() -> set[str]:
    graph = Graph().parse(ontology_file(), format="turtle")
    areas = graph.subjects(RDF.type, CCM.ThematicArea)
    return {str(n) for area in areas for n in graph.objects(area, SKOS.notation)}


def test_unknown_area_lists_every_valid_slug(api: httpx.Client) -> None:
    slugs = ontology_area_slugs()
    assert len(slugs) == 8
    body = error(api.get("/coordinators", params={"area": "demining"}), 422)
    assert "demining" in body["message"]
    assert all(slug in body["hint"] for slug in slugs), body["hint"]


@pytest.mark.parametrize(("path", "name"), [(p, n) for p, names in DATED.items() for n in names])
@pytest.mark.parametrize("value", ["26/05/2016", "2016-02-30", "yesterday", "2016-5-26x"])
def test_bad_dates_are_422_naming_the_parameter(
    api: httpx.Client, path: str, name: str, value: str
) -> None:
    body = error(api.get(path, params={name: value}), 422)
    assert name in body["message"] and "YYYY-MM-DD" in body["hint"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/coordinators", {"state": "Atlantis"}),
        ("/coordinators", {"role": "chair"}),
        ("/coordinators", {"year": "MMXVI"}),
        ("/coordinators", {"from": "2017-01-01", "to": "2016-01-01"}),
        ("/presidencies", {"state": "XXX"}),
        ("/meetings", {"kind": "party"}),
        ("/obligations", {"article": "5"}),
        ("/coordinators", {"format": "xlsx"}),
    ],
)
def test_bad_parameters_are_422(api: httpx.Client, path: str, params: dict[str, str]) -> None:
    error(api.get(path, params=params), 422)


@pytest.mark.parametrize("path", LISTS)
def test_limit_is_checked_against_its_maximum(api: httpx.Client, path: str) -> None:
    assert api.get(path, params={"limit": str(MAX_LIMIT)}).status_code == 200
    for bad in (str(MAX_LIMIT + 1), "0", "-1", "ten"):
        body = error(api.get(path, params={"limit": bad}), 422)
        assert str(MAX_LIMIT) in body["hint"]
    error(api.get(path, params={"offset": "-1"}), 422)


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/coordination-committee-1999-01-01",
        "/meetings/no-such-meeting",
        "/actors/ATL",
        "/actors/ATL/timeline",
        "/persons/nobody-at-all",
    ],
)
def test_unknown_ids_are_404(api: httpx.Client, path: str) -> None:
    body = error(api.get(path), 404)
    assert body["code"] == "not-found"


def test_a_malformed_meeting_id_is_refused_not_looked_up(api: httpx.Client) -> None:
    response = api.get("/meetings/a%20b%3Cc%3E")
    assert response.status_code in (404, 422)
    error(response, response.status_code)


def test_errors_are_json_even_when_csv_is_asked_for(api: httpx.Client) -> None:
    response = api.get("/coordinators", params={"area": "demining"}, headers={"Accept": "text/csv"})
    error(response, 422)


@pytest.mark.parametrize("path", LISTS)
def test_csv_parses_into_one_row_per_item(api: httpx.Client, path: str) -> None:
    items = api.get(path, params={"limit": str(MAX_LIMIT)}).json()["items"]
    assert items, f"{path} answers nothing on the corpus"
    for response in (
        api.get(path, params={"limit": str(MAX_LIMIT), "format": "csv"}),
        api.get(path, params={"limit": str(MAX_LIMIT)}, headers={"Accept": "text/csv"}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
        assert len(rows) == len(items)
        assert [row.get("id") for row in rows] == [str(item.get("id")) for item in items]
        assert all(None not in row for row in rows), "a row has more cells than the header"
