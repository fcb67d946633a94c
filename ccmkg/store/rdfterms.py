"""Term conversion between rdflib (what callers use) and pyoxigraph (what runs queries).

Also the one place that writes SPARQL Update text for a graph replacement, shared by both
backends so that "replace these graphs" means exactly the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ccmkg.errors import BadParameter

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_rdflib(term: OxTerm | None) -> Node | None:
    """A pyoxigraph term as the rdflib term that rdflib's own parsers would produce."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib parses "a" as an untyped literal; keep that so comparisons agree.
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise BadParameter(f"RDF-star triple terms are not supported here: {term}")


# A query answer's term as plain strings: ("I", iri), ("B", id) or ("L", value, datatype,
# language). A worker sends its rows this way: pickling pyoxigraph's terms goes through
# copyreg for each one (at 1M triples, /coordinators?area: 962 rows, ~60 ms to pickle and
# ~28 ms to unpickle; as plain tuples, a few ms). Triple terms stay as they are.
PlainTerm = tuple[str, ...]
PlainRow = tuple[PlainTerm | OxTerm | None, ...]


def plain_rows(rows: Iterable[Sequence[OxTerm | None]]) -> list[PlainRow]:
    """The rows with each term as plain strings; one tuple per distinct term, so that pickle
    writes a term repeated over rows (a document's title, a holder) once."""
    seen: dict[OxTerm, PlainTerm | OxTerm] = {}

    def plain(term: OxTerm | None) -> PlainTerm | OxTerm | None:
        if term is None:
            return None
        found = seen.get(term)
        if found is None:
            found = seen[term] = _plain(term)
        return found

    return [tuple(plain(term) for term in row) for row in rows]


def _plain(term: OxTerm) -> PlainTerm | OxTerm:
    if isinstance(term, ox.NamedNode):
        return ("I", term.value)
    if isinstance(term, ox.Literal):
        return ("L", term.value, term.datatype.value, term.language or "")
    if isinstance(term, ox.BlankNode):
        return ("B", term.value)
    return term


# Terms met in one answer recur in the next (the same labels, dates and IRIs, request after
# request), and an rdflib Literal parses its value when it is made: each plain term is
# converted once per process, the least recently used first out. rdflib terms are immutable
# (str subclasses), so sharing them between answers and threads is safe. ~300 B a term.
@lru_cache(maxsize=50_000)
def from_plain(term: PlainTerm | OxTerm | None) -> Node | None:
    """The rdflib term of a plain one (as `to_rdflib` makes it of the pyoxigraph term)."""
    if not isinstance(term, tuple):
        return to_rdflib(term)
    kind, value = term[0], term[1]
    if kind == "I":
        return URIRef(value)
    if kind == "B":
        return BNode(value)
    if term[3]:
        return Literal(value, lang=term[3])
    if term[2] == _XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=URIRef(term[2]))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (for substitutions and writes).

    Raises:
        BadParameter: the term is neither an IRI, a blank node nor a literal.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _LANG_STRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise BadParameter(f"Cannot use {term!r} as an RDF term.")


def graph_from_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib Graph holding these pyoxigraph triples."""
    g = Graph()
    for t in triples:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return g


def ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> str:
    """N-Triples text of an rdflib graph (or any rdflib triples), written by pyoxigraph (fast
    and strictly escaped)."""
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    ]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")  # type: ignore[union-attr]


def replace_update(
    graphs: Mapping[str, Graph],
    delete: Iterable[str] = (),
    *,
    union_graph: str | None = None,
    data_bnodes: bool = True,
) -> str:
    """One SPARQL Update request that replaces named graphs and keeps the default graph equal
    to the de-duplicated union of all named graphs.

    Why maintain the union ourselves: a triple stated by several documents lives in several
    named graphs, and engines' "union default graph" modes (pyoxigraph 0.5, `oxigraph serve
    --union-default-graph`) return it once per graph, so joins over shared nodes multiply.
    A real default graph holds each triple once, on every SPARQL 1.1 server, with no server
    setting. A triple leaves the default graph only when no other named graph still holds it.

    A single request, so that servers that run a request as one transaction (Oxigraph,
    Fuseki/TDB2, GraphDB) apply all of it or none of it.

    `union_graph`: the IRI of a named graph that stands for the default graph, on servers
    whose default graph is not a graph of its own (Virtuoso: without FROM it reads every
    graph, its system graphs included; queries then name this graph as the default graph).
    The stand-in is filled by copying each graph just written (`INSERT … WHERE { GRAPH … }`),
    so that its blank nodes are the graph's own (Virtuoso 7.2 fails on one template that
    names a blank node in two graphs, and has no BNODE() to bind one).
    `data_bnodes=False`: the server refuses blank nodes in INSERT DATA (Virtuoso); the
    triples go in an `INSERT { … } WHERE {}` template instead.
    """
    parts: list[str] = []
    union = f"<{_iri(union_graph)}>" if union_graph else None
    target = f"GRAPH {union} {{ ?s ?p ?o }}" if union else "?s ?p ?o"
    for name in dict.fromkeys([*delete, *graphs]):
        iri = f"<{_iri(name)}>"
        other = f"?other != {iri}" + (f" && ?other != {union}" if union else "")
        parts.append(
            f"DELETE {{ {target} }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER ({other}) }} }}"
        )
        parts.append(f"DROP SILENT GRAPH {iri}")
    for name, graph in graphs.items():
        if not len(graph):
            continue
        triples, iri = ntriples(graph), f"<{_iri(name)}>"
        if union is None:
            # One INSERT DATA: a blank node label names the same node in both copies.
            parts.append(f"INSERT DATA {{ GRAPH {iri} {{\n{triples}}}\n{triples}}}")
            continue
        into = f"GRAPH {iri} {{\n{triples}}}"
        if data_bnodes or "_:" not in triples:
            parts.append(f"INSERT DATA {{ {into} }}")
        else:
            parts.append(f"INSERT {{ {into} }} WHERE {{}}")
        # Copied from the graph just written, so the blank nodes are the same nodes.
        parts.append(
            f"INSERT {{ GRAPH {union} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}"
        )
    return " ;\n".join(parts)


def graph_quads(graphs: Mapping[str, Sequence[ox.Triple]]) -> list[ox.Quad]:
    """The quads that add new named graphs: each triple in its graph, and once in the default
    graph (the de-duplicated union, see `replace_update`; a triple the default graph already
    holds is added again as a no-op).

    Raises:
        BadParameter: a graph name is not an IRI.
    """
    out: list[ox.Quad] = []
    union: dict[ox.Triple, None] = {}  # ordered, de-duplicated
    for name, triples in graphs.items():
        g = ox.NamedNode(_iri(name))
        for t in triples:
            out.append(ox.Quad(t.subject, t.predicate, t.object, g))
            union[t] = None
    out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in union)
    return out


def oxigraph_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as pyoxigraph triples (what `Store.add_graphs` takes).

    Raises:
        BadParameter: a term pyoxigraph cannot hold (e.g. an IRI with a space).
    """
    try:
        return [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in graph
        ]
    except ValueError as exc:
        raise BadParameter(f"a term the store cannot hold: {exc}") from exc


def insert_update(graphs: Mapping[str, Sequence[ox.Triple]]) -> str:
    """One INSERT DATA request adding new named graphs and their triples to the default graph
    (the same effect as `graph_quads`, for a SPARQL server)."""
    parts = []
    union: dict[ox.Triple, None] = {}
    for name, triples in graphs.items():
        if triples:
            text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            parts.append(f"GRAPH <{_iri(name)}> {{\n{text.decode('utf-8')}}}")
            union.update(dict.fromkeys(triples))
    if not parts:
        return ""
    text = ox.serialize(list(union), format=ox.RdfFormat.N_TRIPLES) or b""
    return "INSERT DATA {\n" + "\n".join(parts) + "\n" + text.decode("utf-8") + "}"


def values_block(bindings: Mapping[str, Node]) -> str:
    """`VALUES (?a ?b) { (<x> "y") }` for one row of bindings.

    Raises:
        BadParameter: a blank node (VALUES cannot carry one), or a term pyoxigraph refuses (an
            IRI with a control character: as the substituted query answers it).
    """
    names, terms = [], []
    for name, term in bindings.items():
        if isinstance(term, BNode):
            raise BadParameter(f"?{name} is bound to a blank node, which VALUES cannot carry.")
        names.append(f"?{name}")
        try:
            terms.append(str(to_oxigraph(term)))
        except ValueError as exc:
            raise BadParameter(str(exc)) from exc
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _iri(name: str) -> str:
    """Validates a graph name as an absolute IRI (pyoxigraph checks the syntax).

    Raises:
        BadParameter: not an IRI.
    """
    try:
        return ox.NamedNode(name).value
    except ValueError as exc:
        raise BadParameter(f"Not a valid graph IRI: {name!r} ({exc})") from exc
