"""Conflicts between documents: a meeting given two numbers or two dates by two sources.

Run before a document is written, against what the store already holds, so the conflict node
goes into the new document's graph in the same atomic write. Both claims are kept: the new
document's passage and the other document's passage are linked by one ccm:Conflict.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from ccmkg.loaders.claims import StagedClaims
from ccmkg.loaders.emit import digest
from ccmkg.loaders.tripleset import TripleSet, ntriples
from ccmkg.model.iri import IriScheme
from ccmkg.model.terms import CCM
from ccmkg.model.vocab import vocabulary
from ccmkg.store.base import Lookup
from ccmkg.store.rdfterms import to_oxigraph, to_rdflib
from ccmkg.store.staging import Staging

# Properties a meeting has one value of: two documents that disagree on one are in conflict.
FUNCTIONAL: dict[URIRef, str] = {
    CCM.ordinal: "number of the meeting",
    DCTERMS.date: "date of the meeting",
    CCM.endDate: "last day of the meeting",
    CCM.startTime: "start time of the meeting",
}

QUERY = """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?m ?p ?o ?passage ?g WHERE {
  GRAPH ?g { ?m ?p ?o . OPTIONAL { ?m prov:wasDerivedFrom ?passage } }
}"""

# The values any graph gives a meeting's functional properties: one row per property and
# value, however many documents state it, so that the rows of QUERY (one per graph and
# passage) are read only for a value that differs from ours (a conflict), not for every
# document that agrees. One query per meeting for all four properties; ?m is projected so
# that it is bound by substitution (a constant in the pattern), not by a VALUES block.
VALUES_QUERY = (
    "SELECT DISTINCT ?m ?p ?o WHERE { GRAPH ?g { VALUES ?p { "
    + " ".join(f"<{p}>" for p in FUNCTIONAL)
    + " } ?m ?p ?o } }"
)


PASSAGE_QUERY = """PREFIX oa: <http://www.w3.org/ns/oa#>
CONSTRUCT { ?p ?a ?b . ?s ?c ?d . ?doc a ?t } WHERE {
  ?p ?a ?b .
  OPTIONAL { ?p oa:hasSelector ?s . ?s ?c ?d }
  OPTIONAL { ?p oa:hasSource ?doc . ?doc a ?t }
}"""


PassageCache = dict[URIRef, str]


def staged_claims() -> StagedClaims:
    """An index of staged graphs' claims for `Staging(index=...)`: their conflict lookups are
    then answered from it, not by querying the staging store (`loaders/claims.py`)."""
    return StagedClaims(FUNCTIONAL)


def _sources(store: Lookup, doc_graph_prefix: str) -> tuple[Lookup | None, StagedClaims | None]:
    """Where other documents' claims are read: the store (None when it holds no document
    graph: no row of it could be another document's claim) and the staged graphs' index."""
    if not (isinstance(store, Staging) and isinstance(store.index, StagedClaims)):
        return store, None
    staged = store.index
    held = staged.store_has_documents(store.store, doc_graph_prefix)
    return (store.store if held else None), staged


def passage_context(store: Lookup, passage: URIRef, cache: PassageCache | None = None) -> str:
    """Another document's passage, its selectors and its document's type, as N-Triples: what
    validating a graph that links to it needs to see (text: joined without building graphs).

    `cache`: answers kept for one load, so that a passage many documents link to is looked up
    once. Sound because a passage's IRI is minted from its document's checksum and span: the
    triples about it come with those bytes and cannot change while they stay loaded (and the
    callers link only passages their queries just found in the store or the staged batch).
    """
    if cache is None:
        return ntriples(store.construct(PASSAGE_QUERY, {"p": passage}))
    if passage not in cache:
        cache[passage] = ntriples(store.construct(PASSAGE_QUERY, {"p": passage}))
    return cache[passage]


def _meetings(graph: Graph | TripleSet) -> list[URIRef]:
    kinds = meeting_kinds()
    if isinstance(graph, TripleSet):  # a scan: no index by object to build for one question
        is_a = RDF.type
        found = {t[0] for t in graph if t[2] in kinds and t[1] == is_a}
    else:
        found = {m for cls in kinds for m in graph.subjects(RDF.type, cls)}
    return sorted(m for m in found if isinstance(m, URIRef))


@lru_cache(maxsize=1)
def meeting_kinds() -> frozenset[URIRef]:
    """The classes of meetings (the vocabulary's meeting kinds), made once."""
    return frozenset(URIRef(k.iri) for k in vocabulary().meeting_kinds)


def cross_document_conflicts(
    store: Lookup,
    graph: Graph | TripleSet,
    exclude: set[str],
    doc_graph_prefix: str,
    base: str,
    passages: PassageCache | None = None,
) -> tuple[list[str], str]:
    """Add to `graph` a ccm:Conflict per meeting property another loaded document contradicts.

    `exclude`: graphs that are not "another document" (this one, its earlier versions).
    `passages`: the load's cache of other documents' passages (`passage_context`).

    Returns one line per conflict for the load report, and the other documents' passages the
    conflicts link to as N-Triples (what validating `graph` needs to see, without writing it
    again).
    """
    found: list[str] = []
    linked: dict[URIRef, str] = {}
    for meeting in _meetings(graph):
        claimed = {prop: set(graph.objects(meeting, prop)) for prop in FUNCTIONAL}
        if not any(claimed.values()):
            continue
        source, staged = _sources(store, doc_graph_prefix)
        stated_by_prop: dict[Node, set[Node]] = {}
        if source is not None:
            for r in source.select(VALUES_QUERY, {"m": meeting}).rows:
                p, o = r.get("p"), r.get("o")
                if p is not None and o is not None:
                    stated_by_prop.setdefault(p, set()).add(o)
        if staged is not None:
            for prop in FUNCTIONAL:
                stated_by_prop.setdefault(prop, set()).update(staged.values(meeting, prop))
        for prop, about in FUNCTIONAL.items():
            ours = claimed[prop]
            if not ours:
                continue
            theirs: dict[Node, set[URIRef]] = {}
            stated = stated_by_prop.get(prop, set())
            rows: list[dict[str, Node | None]] = []
            for differs in sorted((v for v in stated if v not in ours), key=str):
                if source is not None:
                    rows += source.select(QUERY, {"m": meeting, "p": prop, "o": differs}).rows
                if staged is not None:
                    bound = to_rdflib(to_oxigraph(differs))  # what QUERY's ?o gives back
                    rows += (
                        {"g": URIRef(g), "o": bound, "passage": passage}
                        for g, passage in staged.rows(meeting, prop, differs)
                    )
            for row in rows:
                g = row.get("g")
                if g is None or str(g) in exclude or not str(g).startswith(doc_graph_prefix):
                    continue
                value, passage = row.get("o"), row.get("passage")
                if value is not None and value not in ours:
                    theirs.setdefault(value, set())
                    if isinstance(passage, URIRef):
                        theirs[value].add(passage)
            if not theirs:
                continue
            own_passages = sorted(
                p for p in graph.objects(meeting, PROV.wasDerivedFrom) if isinstance(p, URIRef)
            )
            others = sorted({p for ps in theirs.values() for p in ps})
            if not own_passages or not others:
                continue  # a conflict links two claims at least
            values = sorted({str(v) for v in ours} | {str(v) for v in theirs})
            node = IriScheme(base).mint("fact", kind="conflict", key=digest(meeting, prop, *values))
            graph.add((node, RDF.type, CCM.Conflict))
            graph.add((node, CCM.conflictAbout, Literal(f"{about} ({meeting})")))
            for v in values:
                graph.add((node, CCM.claimedValue, Literal(v)))
            for p in own_passages:
                graph.add((node, PROV.wasDerivedFrom, p))
                graph.add((node, CCM.conflictingClaim, p))
            for other in others:
                graph.add((node, CCM.conflictingClaim, other))
                if other not in linked:
                    linked[other] = passage_context(store, other, passages)
            found.append(f"{about} of {meeting}: {' vs '.join(values)} (another document)")
    return found, "".join(linked.values())
