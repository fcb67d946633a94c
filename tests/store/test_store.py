"""The Store contract, run on both backends (embedded pyoxigraph, a live Oxigraph server)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ccmkg.errors import BadParameter, QueryRejected
from ccmkg.store import Store
from ccmkg.store.rdfterms import to_oxigraph
from tests.helpers.data import EX, G1, G2, sample_graphs

JSON = "application/sparql-results+json"

MEETINGS_BY_STATE = """
PREFIX ex: <https://example.org/>
SELECT ?state (COUNT(?m) AS ?n) WHERE { ?state ex:attended ?m } GROUP BY ?state
"""


@pytest.fixture
def loaded(store: Store) -> Store:
    store.replace_graphs(sample_graphs())
    return store


def test_empty_store_has_no_graphs(store: Store) -> None:
    assert store.graphs() == {}
    assert store.triple_count() == 0


def test_counts_per_named_graph(loaded: Store) -> None:
    expected = {name: len(g) for name, g in sample_graphs().items()}
    assert loaded.graphs() == expected
    assert loaded.triple_count() == sum(expected.values())


def test_default_graph_is_the_union_of_named_graphs(loaded: Store) -> None:
    # ex:year is in G1, ex:attended in G2: one pattern over both needs the union.
    rows = loaded.select(
        "PREFIX ex: <https://example.org/> "
        "SELECT ?state ?year WHERE { ?state ex:attended ?m . ?m ex:year ?year }"
    ).rows
    assert {(r["state"], r["year"]) for r in rows if r["state"] == EX.Chile} == {
        (EX.Chile, Literal(2011)),
        (EX.Chile, Literal(2013)),
    }


def test_select_returns_rdflib_terms_like_rdflib_parsers(loaded: Store) -> None:
    rows = loaded.select(
        "PREFIX ex: <https://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?label ?date ?note WHERE { ex:meeting1 rdfs:label ?label ; ex:date ?date ; "
        "ex:note ?note }"
    ).rows
    assert len(rows) == 1
    row = rows[0]
    one = sample_graphs()[G1]
    assert row["label"] == Literal("1MSP", lang="en")
    assert row["note"] == Literal("plain note 1")  # xsd:string comes back untyped
    assert row["note"].datatype is None
    assert row["date"] == one.value(EX.meeting1, EX.date)


def test_bindings_are_values_not_text(loaded: Store) -> None:
    rows = loaded.select(
        "PREFIX ex: <https://example.org/> SELECT ?m WHERE { ?state ex:attended ?m }",
        {"state": EX.Laos},
    ).rows
    assert [r["m"] for r in rows] == [EX.meeting2]
    # A literal that would break a pasted query is harmless as a binding.
    nasty = Literal('x" } ; DROP ALL ; SELECT * { "')
    assert loaded.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": nasty}).rows == []


def test_bindings_restrict_before_aggregation(loaded: Store) -> None:
    """A bound variable restricts what GROUP BY counts (VALUES at the start, not the end)."""
    rows = loaded.select(MEETINGS_BY_STATE, {"state": EX.Chile}).rows
    assert rows == [{"state": EX.Chile, "n": Literal(2)}]


def test_binding_a_variable_used_only_in_an_aggregate(loaded: Store) -> None:
    rows = loaded.select(
        "PREFIX ex: <https://example.org/> "
        "SELECT (COUNT(?state) AS ?n) WHERE { ?state ex:attended ?m }",
        {"m": EX.meeting1},
    ).rows
    assert rows[0]["n"] == Literal(2)


def test_ask_and_construct_with_bindings(loaded: Store) -> None:
    ask = "PREFIX ex: <https://example.org/> ASK { ?s ex:attended ?m }"
    assert loaded.ask(ask, {"m": EX.meeting3}) is True
    assert loaded.ask(ask, {"m": EX.nowhere}) is False
    g = loaded.construct(
        "PREFIX ex: <https://example.org/> CONSTRUCT WHERE { ?s ex:attended ?m }",
        {"s": EX.Norway},
    )
    assert len(g) == 3
    assert set(g.subjects()) == {EX.Norway}


def test_max_rows_truncates_and_says_so(loaded: Store) -> None:
    full = loaded.select("SELECT * WHERE { ?s ?p ?o }")
    assert not full.truncated
    capped = loaded.select("SELECT * WHERE { ?s ?p ?o }", max_rows=4)
    assert capped.truncated
    assert len(capped.rows) == 4
    exact = loaded.select("SELECT * WHERE { ?s ?p ?o }", max_rows=len(full.rows))
    assert not exact.truncated


def test_syntax_error_keeps_the_parser_message(loaded: Store) -> None:
    with pytest.raises(QueryRejected) as err:
        loaded.select("SELECT ?x WHERE { ?x ?y }")
    assert "1:" in err.value.message  # line:column from the parser


def test_replace_graphs_replaces_only_the_named_graphs(loaded: Store) -> None:
    new = Graph()
    new.add((EX.x, EX.y, Literal("z")))
    loaded.replace_graphs({G1: new})
    assert isomorphic(loaded.graph_triples(G1), new)
    assert isomorphic(loaded.graph_triples(G2), sample_graphs()[G2])


def test_replace_with_delete_and_delete_graph(loaded: Store) -> None:
    loaded.replace_graphs({}, delete=[G1])
    assert set(loaded.graphs()) == {G2}
    loaded.delete_graph(G2)
    assert loaded.graphs() == {}
    loaded.delete_graph("https://example.org/never-existed")  # silently nothing


def test_invalid_graph_name_writes_nothing(loaded: Store) -> None:
    before = loaded.graphs()
    with pytest.raises(BadParameter):
        loaded.replace_graphs({G1: Graph(), "not an iri": sample_graphs()[G2]})
    assert loaded.graphs() == before


def test_clear_removes_everything(loaded: Store) -> None:
    loaded.clear()
    assert loaded.graphs() == {}


def test_graph_triples_of_a_missing_graph_is_empty(store: Store) -> None:
    assert len(store.graph_triples("https://example.org/none")) == 0


def test_blank_nodes_and_special_characters_round_trip(store: Store) -> None:
    g = Graph()
    b = BNode()
    g.add((EX.doc, EX.has, b))
    g.add((b, EX.text, Literal('quote " backslash \\ newline \n tab \t é 中文')))
    g.add((b, EX.lang, Literal("Genève", lang="fr")))
    store.replace_graphs({G1: g})
    assert isomorphic(store.graph_triples(G1), g)


def test_dump_nquads_keeps_named_graphs(loaded: Store) -> None:
    ds = Dataset()
    ds.parse(data=loaded.dump_nquads(), format="nquads")
    for name, graph in sample_graphs().items():
        assert isomorphic(ds.graph(URIRef(name)), graph)


def test_protocol_query_formats(loaded: Store) -> None:
    select = "PREFIX ex: <https://example.org/> SELECT ?s WHERE { ?s a ex:State } ORDER BY ?s"
    body = json.loads(loaded.protocol_query(select, JSON).body)
    assert [b["s"]["value"] for b in body["results"]["bindings"]] == [
        str(EX.Chile),
        str(EX.Laos),
        str(EX.Norway),
    ]
    csv = loaded.protocol_query(select, "text/csv").body.decode()
    assert csv.split("\r\n")[:2] == ["s", str(EX.Chile)]
    tsv = loaded.protocol_query(select, "text/tab-separated-values").body.decode()
    assert tsv.splitlines()[:2] == ["?s", f"<{EX.Chile}>"]
    xml = loaded.protocol_query(select, "application/sparql-results+xml").body.decode()
    assert f"<uri>{EX.Chile}</uri>" in xml
    ask = loaded.protocol_query("ASK { ?s ?p ?o }", JSON)
    assert json.loads(ask.body)["boolean"] is True
    ttl = loaded.protocol_query(
        "PREFIX ex: <https://example.org/> CONSTRUCT WHERE { ?s a ex:State }", "text/turtle"
    )
    assert len(Graph().parse(data=ttl.body, format="turtle")) == 3


def test_protocol_query_truncates(loaded: Store) -> None:
    result = loaded.protocol_query("SELECT * WHERE { ?s ?p ?o }", JSON, max_rows=2)
    assert result.truncated
    assert len(json.loads(result.body)["results"]["bindings"]) == 2
    graph = loaded.protocol_query(
        "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", max_rows=2
    )
    assert graph.truncated
    assert len(graph.body.decode().strip().splitlines()) == 2


def test_protocol_dataset_overrides_the_union(loaded: Store) -> None:
    ask = "PREFIX ex: <https://example.org/> ASK { ?s ex:attended ?m . ?m ex:year ?y }"
    assert json.loads(loaded.protocol_query(ask, JSON).body)["boolean"] is True
    only_g2 = loaded.protocol_query(ask, JSON, default_graph_uris=[G2])
    assert json.loads(only_g2.body)["boolean"] is False
    both = loaded.protocol_query(ask, JSON, default_graph_uris=[G1, G2])
    assert json.loads(both.body)["boolean"] is True
    named = loaded.protocol_query(
        "ASK { GRAPH ?g { ?s ?p ?o } }", JSON, named_graph_uris=["https://example.org/none"]
    )
    assert json.loads(named.body)["boolean"] is False


def test_from_selects_stored_graphs_and_never_reads_files(loaded: Store) -> None:
    from_g2 = loaded.protocol_query(
        f"SELECT ?s FROM <{G2}> WHERE {{ ?s ?p ?o }}", JSON, max_rows=100
    )
    subjects = {b["s"]["value"] for b in json.loads(from_g2.body)["results"]["bindings"]}
    assert subjects == {str(EX.Norway), str(EX.Chile), str(EX.Laos)}
    local_file = loaded.protocol_query(
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", JSON
    )
    assert json.loads(local_file.body)["results"]["bindings"] == []


def _count(store: Store, query: str) -> int:
    (row,) = store.select(query).rows
    return int(row["n"])  # type: ignore[arg-type]


def test_a_triple_in_two_graphs_is_seen_once_until_both_are_gone(store: Store) -> None:
    """Shared facts (a State's label, a holding's holder) live in every document's graph; the
    default graph holds them once, so joins over them do not multiply."""
    shared = (EX.zambia, EX.label, Literal("Zambia"))
    g1, g2 = Graph(), Graph()
    g1.add(shared)
    g1.add((EX.a, EX.p, EX.b))
    g2.add(shared)
    store.replace_graphs({str(G1): g1, str(G2): g2})
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    join = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX.label}> ?o . ?s ?q ?v }}"
    assert _count(store, count) == 2
    assert _count(store, join) == 1
    store.delete_graph(str(G1))
    assert _count(store, count) == 1
    assert store.graphs() == {str(G2): 1}
    store.replace_graphs({str(G2): Graph()})
    assert _count(store, count) == 0


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]


def test_add_graphs_writes_new_graphs_and_their_union_once(store: Store) -> None:
    """The loader's batch path: new graphs in one request, blank nodes kept, the default graph
    the de-duplicated union; a graph already present refuses the whole batch."""
    shared = (EX.zambia, EX.label, Literal("Zambia"))
    g1, g2 = Graph(), Graph()
    b = BNode()
    g1.add(shared)
    g1.add((EX.doc, EX.has, b))
    g1.add((b, EX.text, Literal("Genève", lang="fr")))
    g2.add(shared)
    store.add_graphs({str(G1): _ox_triples(g1), str(G2): _ox_triples(g2)})
    assert store.graphs() == {str(G1): 3, str(G2): 1}
    assert isomorphic(store.graph_triples(str(G1)), g1)
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 3
    g3 = Graph()
    g3.add((EX.a, EX.p, EX.b))
    with pytest.raises(BadParameter):
        store.add_graphs({str(EX.g3): _ox_triples(g3), str(G2): _ox_triples(g2)})
    assert store.graphs() == {str(G1): 3, str(G2): 1}
