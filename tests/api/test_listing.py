"""Every list answer reports truncation, and ListParams refuses bad paging with its constraint.

A list is folded from the store's rows; when the row cap (`max_result_rows`) cut those rows the
list is incomplete, whatever was filtered afterwards. The app is served over the REST fixture
(plus two persons, so that /persons has more rows than the cap) with a cap of one row: every
list whose query returns more rows than that must say `truncated: true` in its JSON body and
`X-Result-Truncated: true` in its headers, JSON and CSV alike; a query that returns exactly
the cap is complete. `limit`, `offset` and `format` errors are 422 `{code, message, hint}`
whose hint is the constraint /openapi.json documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, RDF

from ccmkg.api.rest.listing import TRUNCATED_HEADER, Listing
from ccmkg.api.rest.models import Actor
from ccmkg.api.rest.params import MAX_LIMIT
from ccmkg.settings import Settings
from ccmkg.store import Rows, Store
from devtools.server import serve_app
from tests.api.test_rest_api import BASE, fixture_graphs

CCM = Namespace("https://ccm-kg.org/ontology#")
LISTS = [
    "/coordinators",
    "/presidencies",
    "/meetings",
    "/actors",
    "/persons",
    "/obligations",
    "/conflicts",
    "/states",
    "/deadlines",
]
# Rows each list's query returns on the fixture below: above a cap of 1 they are cut.
CUT_AT_ONE = ["/actors", "/meetings", "/persons", "/conflicts", "/coordinators"]
WHOLE_AT_ONE = ["/presidencies", "/obligations"]  # exactly one row: nothing was cut
NO_ROWS = ["/states", "/deadlines"]  # no reference data in the fixture (tests/reference: cut)


def graphs() -> dict[str, Graph]:
    """The REST fixture and, in a graph of their own, two more persons."""
    extra = Graph()
    for key, name in (("ana-ruiz", "Ana Ruiz"), ("jan-de-vries", "Jan de Vries")):
        person = URIRef(f"{BASE}id/person/{key}")
        extra.add((person, RDF.type, CCM.Person))
        extra.add((person, FOAF.name, Literal(name)))
        extra.add((person, CCM.nameKey, Literal(key)))
    return {**fixture_graphs(), f"{BASE}graph/test-more-persons": extra}


@pytest.fixture(scope="module")
def apps(
    module_backend: tuple[Settings, Store], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Two apps over one store: capped at one row, and with the default cap (tests only read)."""
    store = module_backend[1]
    store.replace_graphs(graphs())
    plain = Settings(store=str(tmp_path_factory.mktemp("app") / "unused"), base_iri=BASE)
    capped = plain.model_copy(update={"max_result_rows": 1})
    with (
        serve_app(capped, store) as capped_url,
        serve_app(plain, store) as plain_url,
        httpx.Client(base_url=capped_url, timeout=30) as cut,
        httpx.Client(base_url=plain_url, timeout=30) as whole,
    ):
        yield cut, whole


def test_a_capped_answer_is_reported_truncated_in_body_and_header(
    apps: tuple[httpx.Client, httpx.Client],
) -> None:
    cut, whole = apps
    for path in LISTS:
        expected = path in CUT_AT_ONE
        for response in (cut.get(path), cut.get(path, params={"offset": "5", "limit": "1"})):
            assert response.status_code == 200, response.text
            assert response.json()["truncated"] is expected, path
            assert response.headers[TRUNCATED_HEADER] == str(expected).lower(), path
        as_csv = cut.get(path, params={"format": "csv"})
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert as_csv.headers[TRUNCATED_HEADER] == str(expected).lower(), path
        complete = whole.get(path)
        assert complete.json()["truncated"] is False, path
        assert complete.headers[TRUNCATED_HEADER] == "false", path
        assert whole.get(path, params={"format": "csv"}).headers[TRUNCATED_HEADER] == "false"
    assert set(CUT_AT_ONE) | set(WHOLE_AT_ONE) | set(NO_ROWS) == set(LISTS)


def test_a_filter_after_a_cut_answer_still_reports_it(
    apps: tuple[httpx.Client, httpx.Client],
) -> None:
    """Filtering in Python after the query (q) cannot hide that the rows were cut."""
    cut, _ = apps
    for path, params in (
        ("/actors", {"q": "zzz-nothing"}),
        ("/persons", {"q": "zzz-nothing"}),
    ):
        body = cut.get(path, params=params).json()
        assert body["items"] == [], body
        assert body["truncated"] is True, (path, params)


def test_a_state_whose_own_rows_fit_under_the_cap_answers_in_full(
    apps: tuple[httpx.Client, httpx.Client],
) -> None:
    """/meetings reads a State's meetings first, then only their dates (issue #16), so the cap
    counts that State's rows only: CHE (one meeting in the fixture) answers in full under a
    cap of one row, where every meeting's dates were cut before."""
    cut, whole = apps
    capped = cut.get("/meetings", params={"state": "CHE"}).json()
    assert len(capped["items"]) == 1, capped
    assert capped == whole.get("/meetings", params={"state": "CHE"}).json()
    assert capped["truncated"] is False


def test_a_kind_bound_in_the_query_is_cut_only_when_its_own_rows_are(
    apps: tuple[httpx.Client, httpx.Client],
) -> None:
    """/meetings binds `kind` in its query (issue #16), so the cap counts that kind's rows
    only: a kind with no meetings is a complete empty answer, every kind together is cut."""
    cut, whole = apps
    for client in (cut, whole):
        body = client.get("/meetings", params={"kind": "workshop"}).json()
        assert (body["items"], body["truncated"]) == ([], False), body
    assert cut.get("/meetings").json()["truncated"] is True
    assert whole.get("/meetings").json()["truncated"] is False


def test_the_query_and_sparql_endpoints_send_the_same_header(
    apps: tuple[httpx.Client, httpx.Client],
) -> None:
    cut, whole = apps
    assert cut.get("/queries/api_actors").headers[TRUNCATED_HEADER] == "true"
    assert whole.get("/queries/api_actors").headers[TRUNCATED_HEADER] == "false"
    select = {"query": "SELECT ?s WHERE { ?s a <https://ccm-kg.org/ontology#Person> }"}
    assert cut.get("/sparql", params=select).headers[TRUNCATED_HEADER] == "true"
    assert whole.get("/sparql", params=select).headers[TRUNCATED_HEADER] == "false"


@pytest.fixture(scope="module")
def api(apps: tuple[httpx.Client, httpx.Client]) -> httpx.Client:
    """The uncapped app: these tests are about parameters, which no data changes."""
    return apps[1]


BAD = [
    ("limit", "0"),
    ("limit", "99999"),
    ("limit", "ten"),
    ("offset", "-1"),
    ("format", "xml"),
]


def documented(openapi: dict, path: str) -> dict[str, dict]:
    """Parameter name → its OpenAPI object, for GET `path`."""
    return {p["name"]: p for p in openapi["paths"][path]["get"]["parameters"]}


def test_list_params_are_typed_and_documented_in_openapi(api: httpx.Client) -> None:
    openapi = api.get("/openapi.json").json()
    for path in LISTS:
        params = documented(openapi, path)
        limit, offset = params["limit"]["schema"], params["offset"]["schema"]
        assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, MAX_LIMIT)
        assert limit["default"] == 100
        assert (offset["type"], offset["minimum"]) == ("integer", 0)
        assert f"from 1 to {MAX_LIMIT}" in params["limit"]["description"]
        (text,) = (s for s in params["format"]["schema"]["anyOf"] if s.get("type") == "string")
        assert text["examples"] == ["json", "csv"]
        assert all(re.fullmatch(text["pattern"], v) for v in ("json", " CSV\t", "Json"))
        assert not any(re.fullmatch(text["pattern"], v) for v in ("xml", "", "\n", "csvx"))
        headers = openapi["paths"][path]["get"]["responses"]["200"]["headers"]
        assert TRUNCATED_HEADER in headers


@pytest.mark.parametrize(("name", "value"), BAD)
def test_bad_list_params_are_422_with_the_documented_constraint(
    api: httpx.Client, name: str, value: str
) -> None:
    openapi = api.get("/openapi.json").json()
    for path in LISTS:
        response = api.get(path, params={name: value})
        assert response.status_code == 422, (path, response.text)
        body = response.json()
        assert set(body) == {"code", "message", "hint"}, body
        assert body["code"] == "bad-parameter"
        assert name in body["message"]
        assert documented(openapi, path)[name]["description"] in body["hint"]
        if name == "limit":
            assert str(MAX_LIMIT) in body["hint"]


def test_blank_and_cased_list_params_mean_what_they_meant(api: httpx.Client) -> None:
    """`?limit=` is the default and `format=CSV` is csv, as before ListParams."""
    body = api.get("/actors", params={"limit": "", "offset": ""}).json()
    assert (body["limit"], body["offset"]) == (100, 0)
    assert (
        api.get("/actors", params={"format": " CSV "})
        .headers["content-type"]
        .startswith("text/csv")
    )
    assert api.get("/actors", params={"format": ""}).json()["count"] >= 1


@pytest.mark.parametrize(
    "params", [{"limit": "\n"}, {"offset": " "}, {"format": "\n"}, {"format": " "}]
)
def test_only_an_empty_list_param_means_its_default(
    api: httpx.Client, params: dict[str, str]
) -> None:
    """What /openapi.json declares (allowEmptyValue, the format's pattern) is what is read:
    whitespace alone is not empty, and is refused with a hint."""
    r = api.get("/actors", params=params)
    assert r.status_code == 422 and r.json()["hint"]


def test_a_listing_cannot_be_built_without_the_answers_it_came_from() -> None:
    with pytest.raises(TypeError):
        Listing([])
    whole = Rows(variables=[], rows=[], truncated=False)
    cut = Rows(variables=[], rows=[], truncated=True)
    item = Actor(id="x")
    assert Listing([item], whole).truncated is False
    assert Listing([item], whole, cut).truncated is True


def test_a_listing_of_one_page_counts_the_whole_list_and_pages_from_its_offset() -> None:
    """A list that reads its page only (issue #16) holds the items from `offset` on and the
    total; `window` answers a page in the whole list's numbering, as on a whole list."""
    rows = Rows(variables=[], rows=[], truncated=False)
    items = [Actor(id=str(n)) for n in range(10)]
    whole = Listing(items, rows)
    page = Listing(items[4:7], rows, total=10, offset=4)
    assert (len(whole), len(page)) == (10, 10)
    assert page.window(4, 3) == whole.window(4, 3) == tuple(items[4:7])
    assert page.window(5, 100) == tuple(items[5:7])
    assert page.window(0, 3) == ()  # before the page: not held, never made up
