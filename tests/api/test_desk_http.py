"""The researcher's desk over HTTP: plain-words SPARQL errors, the editor's /ui/ data, the
npm-installed web assets (served when installed, a clear 404 when not), /docs without a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from ccmkg.api.vendor import ASSETS, assets_root
from ccmkg.model.namespaces import PREFIXES
from ccmkg.model.terms import CCM
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app
from tests.helpers.data import sample_graphs

UNKNOWN = "SELECT ?p WHERE { ?p a ccm:Presidency . ?p ex:foo ?x }"


@pytest.fixture
def client(store_settings: Settings, store: Store) -> Iterator[httpx.Client]:
    store.replace_graphs(sample_graphs())
    with serve_app(store_settings, store) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


@pytest.fixture
def bare(store_settings: Settings, store: Store, tmp_path: Path) -> Iterator[httpx.Client]:
    """A server whose web assets are not installed (a pip-only install)."""
    settings = store_settings.model_copy(update={"web_assets": tmp_path / "no-node-modules"})
    with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def test_unknown_prefix_is_named_in_plain_words(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": UNKNOWN})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "query-rejected"
    assert body["message"] == "unknown prefix ccm: (also undeclared: ex:)"
    assert body["hint"] == f"Declare it before the query: PREFIX ccm: <{PREFIXES['ccm']}>"
    assert "\\u" not in response.text and "expected" not in body["message"]


def test_other_syntax_errors_keep_the_parser_message(client: httpx.Client) -> None:
    declared = f"PREFIX ccm: <{PREFIXES['ccm']}> SELECT ?p WHERE {{ ?p a ccm:Presidency "
    response = client.post("/sparql", data={"query": declared})
    assert response.status_code == 400
    assert "unknown prefix" not in response.json()["message"]


def test_page_csp_allows_this_origin_only(client: httpx.Client) -> None:
    csp = client.get("/").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no other host
    assert directives["connect-src"] == "'self'"
    # YASGUI (CodeMirror, DataTables) writes <style> elements at run time: inline styles only.
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert "http" not in csp


def test_ui_data_for_the_editor(client: httpx.Client) -> None:
    assert client.get("/ui/prefixes").json() == PREFIXES
    config = client.get("/ui/config").json()
    assert config["prefixes"]["ccm"] == PREFIXES["ccm"] and config["base_iri"]
    names = [q["name"] for q in client.get("/ui/queries").json()]
    assert names and "coordinators_in_year" in names
    assert not [n for n in names if n.startswith("api_")]


def test_missing_assets_give_a_clear_404_and_a_docs_page_that_says_so(bare: httpx.Client) -> None:
    assert bare.get("/ui/config").json()["editor"] is None
    missing = bare.get("/static/vendor/yasgui.min.js")
    assert missing.status_code == 404
    assert "not installed" in missing.json()["message"]
    assert "npm ci" in missing.json()["hint"]
    unknown = bare.get("/static/vendor/..%2F..%2Fpyproject.toml")
    assert unknown.status_code == 404
    docs = bare.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert "not installed" in docs.text and "<script" not in docs.text


def test_installed_assets_are_served_from_this_origin(client: httpx.Client) -> None:
    settings = Settings()
    if not (assets_root(settings) / ASSETS["yasgui.min.js"]).is_file():
        pytest.skip("web assets not installed (./dev.sh runs npm ci in web/)")
    assert client.get("/ui/config").json()["editor"] == "yasgui"
    for name in ASSETS:
        response = client.get(f"/static/vendor/{name}")
        assert response.status_code == 200, name
        assert len(response.content) > 10_000
    docs = client.get("/docs")
    csp = docs.headers["content-security-policy"]
    assert "/static/vendor/swagger-ui-bundle.js" in docs.text
    assert "http" not in csp and "cdn" not in docs.text.lower()
    assert "script-src 'self' 'sha256-" in csp


def test_entity_page_links_out_to_wikidata(store_settings: Settings, store: Store) -> None:
    base = store_settings.base_iri
    state = URIRef(f"{base}id/state/NOR")
    graph = Graph()
    graph.add((state, RDF.type, CCM.State))
    graph.add((state, RDFS.label, Literal("Norway")))
    graph.add((state, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q20")))
    graph.add((state, OWL.sameAs, URIRef("javascript:alert(1)")))  # never a link
    store.replace_graphs({f"{base}graph/test-same-as": graph})
    with serve_app(store_settings, store) as url:
        page = httpx.get(f"{url}/id/state/NOR", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "Same as: <a href='http://www.wikidata.org/entity/Q20'" in page.text
    assert ">Wikidata Q20</a>" in page.text
    assert "href='javascript:" not in page.text
