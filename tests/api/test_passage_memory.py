"""The lists' passage details, kept between two writes (api/services/passages.py).

A passage's details are read once and kept, keyed by the store's data generation: after any
committed write the list shows what the store now says, never what it said before. A remote
store (no generation) keeps nothing. An answer cut by the row cap keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from ccmkg.api.rest.runner import Queries
from ccmkg.api.services.holdings import unpacked
from ccmkg.api.services.passages import COLUMNS, PassageMemory, details, memory_of, with_details
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app
from tests.api.test_rest_api import BASE, UNIVERSALIZATION_2016, fixture_graphs

DOC_GRAPH = f"{BASE}graph/doc/1111111111111111"
PASSAGE = f"{BASE}id/doc/1111111111111111/passage/50-91"
EXACT = URIRef("http://www.w3.org/ns/oa#exact")
CCM, PROV, OA = f"{BASE}ontology#", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#"
YEAR_2016 = {"area": "universalization", "year": "2016"}


@pytest.fixture
def loaded(store: Store) -> Iterator[Store]:
    store.replace_graphs(fixture_graphs())
    yield store


def _quotes(client: httpx.Client, path: str, params: dict[str, str]) -> set[str]:
    body = client.get(path, params=params).raise_for_status().json()
    return {s["quote"] for item in body["items"] for s in item["sources"]}


def _requote(graph: Graph, old: str, new: str) -> Graph:
    """The document graph with one passage's quote rewritten (a corrected document)."""
    changed = Graph()
    for s, p, o in graph:
        changed.add((s, p, Literal(new) if p == EXACT and str(o) == old else o))
    return changed


def test_a_write_is_seen_by_the_next_list(loaded: Store, tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        assert UNIVERSALIZATION_2016 in _quotes(client, "/coordinators", YEAR_2016)
        # Another list citing the same passage, then the document corrected in the store.
        assert UNIVERSALIZATION_2016 in _quotes(client, "/coordinators", {"state": "ECU"})
        corrected = _requote(fixture_graphs()[DOC_GRAPH], UNIVERSALIZATION_2016, "5.1 Corrected")
        loaded.replace_graphs({DOC_GRAPH: corrected})
        for params in (YEAR_2016, {"area": "universalization"}):
            found = _quotes(client, "/coordinators", params)
            assert "5.1 Corrected" in found and UNIVERSALIZATION_2016 not in found


def test_details_are_read_once_between_writes_on_the_embedded_store(
    loaded: Store, tmp_path: Path
) -> None:
    queries = Queries(loaded, Settings(store=str(tmp_path / "unused"), base_iri=BASE))
    first, read = details(queries, [PASSAGE])
    [values] = first[PASSAGE]
    assert str(values[COLUMNS.index("quote")]) == UNIVERSALIZATION_2016 and len(read) == 1
    again, read_again = details(queries, [PASSAGE])
    assert again == first
    memory = memory_of(loaded)
    if loaded.kind == "embedded":
        assert memory is not None and len(memory) == 1
        assert read_again == []  # held: no query
    else:  # a remote server's data can change behind our back: nothing is kept
        assert memory is None and len(read_again) == 1


def test_a_capped_answer_is_not_kept(loaded: Store, tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE, max_result_rows=1)
    queries = Queries(loaded, settings)
    other = f"{BASE}id/doc/1111111111111111/passage/100-124"
    _, read = details(queries, [PASSAGE, other])
    assert [answer.truncated for answer in read] == [True]
    _, read_again = details(queries, [PASSAGE])
    assert len(read_again) == 1  # nothing was kept from the cut answer


def test_the_memory_is_bounded_and_dropped_by_a_newer_generation() -> None:
    memory = PassageMemory(max_passages=2)
    assert memory.get(1, ["a"]) == {}
    memory.put(1, {"a": ((),), "b": ((),)})
    assert list(memory.get(1, ["a"])) == ["a"]  # used: "b" is now the least recently used
    memory.put(1, {"c": ((),)})
    assert sorted(memory.get(1, ["a", "b", "c"])) == ["a", "c"]
    memory.put(0, {"d": ((),)})  # read before a write that has been seen since: not kept
    assert memory.get(1, ["d"]) == {}
    assert memory.get(0, ["c"]) == {} and len(memory) == 2  # an older request changes nothing
    assert memory.get(2, ["b", "c"]) == {} and len(memory) == 0


def test_a_blank_node_passage_is_kept_without_details(loaded: Store, tmp_path: Path) -> None:
    """An upload may derive a fact from a blank node: it cannot be named in another query."""
    queries = Queries(loaded, Settings(store=str(tmp_path / "unused"), base_iri=BASE))
    rows = [{"holding": URIRef(f"{BASE}id/holding/x"), "passage": BNode()}]
    out, read = with_details(queries, rows)
    assert out == rows and read == []


def test_packed_sources_are_unpacked_one_row_each() -> None:
    holding = URIRef(f"{BASE}id/holding/x")
    p1, p2 = f"{BASE}id/doc/1/passage/0-5", f"{BASE}id/doc/2/passage/7-9"
    packed = {"holding": holding, "sources": Literal(f"2016-05-26|{p1} |{p2}")}
    fact = {"holding": holding, "role": URIRef(f"{BASE}ontology#Coordinator")}
    rows = unpacked([fact, packed, {"holding": holding, "sources": Literal("")}])
    assert rows[0] == fact and len(rows) == 4
    assert [(r["attested"], r["passage"]) for r in rows[1:]] == [
        ("2016-05-26", URIRef(p1)),  # the date's lexical form, as with_details adds values
        (None, URIRef(p2)),
        (None, None),  # only blank-node sources (not packed): the holding keeps a row
    ]


def test_a_blank_node_passage_leaves_the_list_answering(loaded: Store, tmp_path: Path) -> None:
    """An attestation (an upload's) derived from a blank node: the list still answers, with the
    holding and its other sources; the blank node's own source is not shown."""
    graph = fixture_graphs()[DOC_GRAPH]
    attestation, blank = URIRef(f"{BASE}id/attestation/ecu2016-b"), BNode()
    graph.add((attestation, URIRef(CCM + "attests"), URIRef(f"{BASE}id/holding/ecu2016")))
    graph.add((attestation, URIRef(PROV + "wasDerivedFrom"), blank))
    graph.add((blank, URIRef(OA + "hasSource"), URIRef(f"{BASE}id/doc/1111111111111111")))
    loaded.replace_graphs({DOC_GRAPH: graph})
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        for params in (YEAR_2016, {"area": "universalization"}):
            body = client.get("/coordinators", params=params).raise_for_status().json()
            [ecu] = [i for i in body["items"] if i["state"]["iso3"] == "ECU"]
            assert UNIVERSALIZATION_2016 in {s["quote"] for s in ecu["sources"]}


def test_details_with_spaces_and_percent_signs_come_back_as_written(
    loaded: Store, tmp_path: Path
) -> None:
    """api_passage_details packs a passage's values in one string (spaces separate them, "%"
    and spaces are escaped): whatever a quote holds comes back as written."""
    tricky = "5.1 Universalization:  100 % of %20 and %25, %, '' and a\ttab "
    graph = _requote(fixture_graphs()[DOC_GRAPH], UNIVERSALIZATION_2016, tricky)
    loaded.replace_graphs({DOC_GRAPH: graph})
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, loaded) as url, httpx.Client(base_url=url) as client:
        for params in (YEAR_2016, {"area": "universalization"}, {"state": "ECU"}):
            assert tricky in _quotes(client, "/coordinators", params)
