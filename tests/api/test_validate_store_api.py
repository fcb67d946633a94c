"""GET /validate/store over real HTTP, on both store backends, with the shipped shapes:
the whole store checked in place, nothing written, bounded like a /sparql query."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import RDF, Graph, Literal

from ccmkg.rdf_input import TURTLE, parse_rdf
from ccmkg.settings import Settings
from ccmkg.store import Store
from ccmkg.validation import SH
from devtools.server import serve_app

P = """@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
GOOD_STATE = (
    P + '<https://ccm-kg.org/id/state/FRA> a ccm:State ; rdfs:label "France"@en ; ccm:iso3 "FRA" .'
)
BAD_STATE = P + '<https://ccm-kg.org/id/state/XX> a ccm:State ; rdfs:label "X"@en ; ccm:iso3 "fr" .'


def seed(store: Store, ttl: str, graph: str) -> None:
    store.replace_graphs({graph: parse_rdf(ttl.encode(), TURTLE).graph})


def snapshot(store: Store) -> bytes:
    return b"\n".join(sorted(store.dump_nquads().splitlines()))


@pytest.fixture
def api(store_settings: Settings, store: Store) -> Iterator[tuple[httpx.Client, Store]]:
    with serve_app(store_settings, store) as base, httpx.Client(base_url=base, timeout=60) as c:
        yield c, store


def test_the_whole_store_is_reported(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, GOOD_STATE, "https://ccm-kg.org/graph/good")
    r = client.get("/validate/store")
    assert r.status_code == 200, r.text
    assert (r.json()["conforms"], r.json()["engine"]) == (True, "sparql")

    seed(store, BAD_STATE, "https://ccm-kg.org/graph/bad")
    before = snapshot(store)
    body = client.get("/validate/store").json()
    assert body["conforms"] is False
    assert body["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    (res,) = body["results"]
    assert (res["focus"], res["path"], res["value"]) == (
        "https://ccm-kg.org/id/state/XX",
        "https://ccm-kg.org/ontology#iso3",
        "fr",
    )
    assert res["shape"].startswith("https://ccm-kg.org/shapes#")
    assert snapshot(store) == before


def test_turtle_report_and_refused_media(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, BAD_STATE, "https://ccm-kg.org/graph/bad")
    r = client.get("/validate/store", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    assert len(list(g.objects(report, SH.result))) == 1
    refused = client.get("/validate/store", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and refused.json()["code"]


def test_past_the_time_limit_is_a_503_and_the_server_still_serves(
    store_settings: Settings, store: Store
) -> None:
    seed(store, BAD_STATE, "https://ccm-kg.org/graph/bad")
    settings = store_settings.model_copy(update={"query_timeout_s": 1e-9})
    with serve_app(settings, store) as base, httpx.Client(base_url=base, timeout=60) as client:
        r = client.get("/validate/store")
        assert r.status_code == 503
        assert r.json()["code"] == "query-timeout" and r.json()["hint"]
        assert client.get("/health").status_code == 200


def bad_states(n: int) -> str:
    return P + "\n".join(
        f'<https://ccm-kg.org/id/state/X{i}> a ccm:State ; rdfs:label "X{i}"@en ; ccm:iso3 "x{i}" .'
        for i in range(n)
    )


def test_a_long_report_comes_a_window_at_a_time(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, bad_states(5), "https://ccm-kg.org/graph/bad")
    whole = client.get("/validate/store").json()
    assert (whole["total"], whole["truncated"], len(whole["results"])) == (5, False, 5)

    r = client.get("/validate/store", params={"limit": 2, "offset": 1})
    assert r.status_code == 200, r.text
    page = r.json()
    assert r.headers["x-total-count"] == "5"
    assert (page["conforms"], page["counts"]["Violation"]) == (False, 5)
    assert (page["total"], page["offset"], page["limit"], page["truncated"]) == (5, 1, 2, True)
    assert page["results"] == whole["results"][1:3]
    laid = [
        res
        for offset in range(0, 5, 2)
        for res in client.get("/validate/store", params={"limit": 2, "offset": offset}).json()[
            "results"
        ]
    ]
    assert laid == whole["results"]

    ttl = client.get(
        "/validate/store", params={"limit": 2, "offset": 4}, headers={"Accept": "text/turtle"}
    )
    g = Graph().parse(data=ttl.text, format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    (result,) = g.objects(report, SH.result)
    assert str(g.value(result, SH.focusNode)) == whole["results"][4]["focus"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 10_001}, {"offset": -1}])
def test_a_window_out_of_bounds_is_a_422_with_a_hint(
    api: tuple[httpx.Client, Store], params: dict[str, int]
) -> None:
    client, _ = api
    r = client.get("/validate/store", params=params)
    assert r.status_code == 422 and r.json()["hint"]


def test_a_window_left_blank_is_the_default_window(api: tuple[httpx.Client, Store]) -> None:
    client, store = api
    seed(store, bad_states(2), "https://ccm-kg.org/graph/bad")
    body = client.get("/validate/store?limit=&offset=").json()
    assert (body["limit"], body["offset"], body["total"]) == (1000, 0, 2)
