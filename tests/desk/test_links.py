"""Issue 15 item 7: States owl:sameAs their Wikidata item (with the page that says so), and the
federated example behind the SERVICE allow-list (never run against Wikidata in tests)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from ccmkg.errors import InputError, QueryRejected
from ccmkg.links import read_links
from ccmkg.resources import queries_dir, reference_dir
from ccmkg.settings import Settings
from ccmkg.sparql_guard import check_query
from ccmkg.store import open_store
from devtools.server import serve_app
from tests.desk.conftest import ok

WIKIDATA = "https://query.wikidata.org/sparql"
FEDERATED = "wikidata_states_population"
LIMITS = {"max_bytes": 100_000, "max_depth": 100}


def test_every_state_of_the_reference_data_has_one_sourced_qid() -> None:
    states = {r["state_iso3"] for r in csv.DictReader((reference_dir() / "states.csv").open())}
    links = read_links()
    assert sorted(link.iso3 for link in links) == sorted(states)  # one row per State, no other
    documented = (reference_dir() / "WIKIDATA-SOURCES.md").read_text(encoding="utf-8")
    for link in links:
        assert link.source_url.startswith("https://github.com/owid/owid-grapher/")
        assert link.source_url.rsplit("/", 1)[-1] in documented


def test_bad_rows_are_refused(tmp_path: Path) -> None:
    header = "state_iso3,wikidata_qid,source_url,retrieved\n"
    for row in ("XXX,Q1,https://e.org/,2026-12-01", "HRV,224,https://e.org/,2026-12-01",
                "HRV,Q224,e.org,2026-12-01"):  # fmt: skip
        path = tmp_path / "wikidata.csv"
        path.write_text(header + row + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"wikidata\.csv:2"):
            read_links(path)


def test_states_carry_same_as_with_its_source(http: httpx.Client) -> None:
    expected = {link.iso3: link for link in read_links()}
    states = ok(http, "/states", limit="1000").json()["items"]
    assert {s["iso3"] for s in states} <= set(expected)
    for state in states[:40]:
        link = expected[state["iso3"]]
        body = ok(http, f"/states/{state['iso3']}").json()
        assert [s["id"] for s in body["same_as"]] == [f"http://www.wikidata.org/entity/{link.qid}"]
        (source,) = body["same_as"][0]["sources"]
        assert source["url"] == link.source_url
        assert source["retrieved"] == link.retrieved.isoformat()
    # in the graph: owl:sameAs in the links graph, which derives from its reference source
    answer = http.post(
        "/sparql",
        data={
            "query": """PREFIX owl: <http://www.w3.org/2002/07/owl#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX ccm: <https://ccm-kg.org/ontology#>
            SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g {
              ?s owl:sameAs ?o . ?g prov:wasDerivedFrom ?src . ?src a ccm:ReferenceSource } }"""
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == len(expected)


def test_the_federated_example_is_listed_and_refused_by_default(
    http: httpx.Client, store_copy: Path
) -> None:
    listed = {q["name"]: q for q in ok(http, "/queries").json()["items"]}
    assert FEDERATED in listed
    assert WIKIDATA in {q["name"]: q for q in ok(http, "/ui/queries").json()}[FEDERATED]["text"]
    refused = http.get(f"/queries/{FEDERATED}", params={"state": "HRV"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "query-rejected"
    assert "CCMKG_SERVICE_ALLOWLIST" in refused.json()["hint"]
    text = {q["name"]: q for q in ok(http, "/ui/queries").json()}[FEDERATED]["text"]
    direct = http.post("/sparql", data={"query": text})
    assert direct.status_code == 400 and "allow-list" in direct.json()["message"]
    env = {**os.environ, "COLUMNS": "200"}
    cli = subprocess.run(
        [sys.executable, "-m", "ccmkg.cli", "query", FEDERATED, "--store", str(store_copy)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert cli.returncode == 2 and "CCMKG_SERVICE_ALLOWLIST" in cli.stderr


def test_an_endpoint_on_the_allow_list_passes_the_guard(tmp_path: Path) -> None:
    """Wikidata itself is never called: the guard lets it through when listed, and a real
    federated call goes to a second local server put on the list."""
    example = (queries_dir() / f"{FEDERATED}.rq").read_text("utf-8")
    with pytest.raises(QueryRejected):
        check_query(example, **LIMITS, service_allowlist=[])
    check_query(example, **LIMITS, service_allowlist=[WIKIDATA])  # passes: no exception

    remote_settings = Settings(store=str(tmp_path / "remote"), query_workers=1)
    remote = open_store(remote_settings)
    graph = Graph()
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:says"), Literal("from the other endpoint")))
    remote.replace_graphs({"urn:x:graph": graph})
    local = open_store(Settings(store=str(tmp_path / "local"), query_workers=1))
    try:
        with serve_app(remote_settings, remote) as other:
            endpoint = f"{other}/sparql"
            settings = Settings(
                store=str(tmp_path / "local"), query_workers=1, service_allowlist=[endpoint]
            )
            with serve_app(settings, local) as base, httpx.Client(base_url=base) as client:
                federated = (
                    f"SELECT ?o WHERE {{ SERVICE <{endpoint}> {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
                )
                answer = client.post(
                    "/sparql",
                    data={"query": federated},
                    headers={"Accept": "application/sparql-results+json"},
                )
                assert answer.status_code == 200, answer.text
                values = [b["o"]["value"] for b in answer.json()["results"]["bindings"]]
                assert values == ["from the other endpoint"]
                elsewhere = client.post(
                    "/sparql", data={"query": federated.replace("/sparql>", "/other>")}
                )
                assert elsewhere.status_code == 400
                assert elsewhere.json()["code"] == "query-rejected"
    finally:
        local.close()
        remote.close()
