"""What the loader's lookups across documents read of a document: the part worth staging.

Why: a new document of a batch is staged (`ccmkg.store.staging`) so that the documents after
it see it in their lookups; putting all of it into the staging store costs as much as the
rest of the loading process's work. The lookups are three queries, each over a few
predicates (`crossdoc.QUERY`/`VALUES_QUERY`, `persons.EVIDENCE_QUERY`,
`crossdoc.PASSAGE_QUERY`), so the triples they can match are known:

- S1: every triple whose predicate is one of `crossdoc.FUNCTIONAL`, `ccm:participant`,
  `ccm:chairPerson` (the "trigger" predicates);
- S2: the `prov:wasDerivedFrom` triples of the subjects of S1 (their passages);
- S3: every triple about those passages, about their selectors (`oa:hasSelector`), and the
  types of their documents (`oa:hasSource`).

The queries answer the same over these triples as over the whole document (they match
nothing else), which tests/loaders_pipeline/test_lookups.py checks on the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF
from rdflib.namespace import PROV
from rdflib.term import Node

from ccmkg.loaders.crossdoc import FUNCTIONAL
from ccmkg.loaders.emit import OA
from ccmkg.loaders.tripleset import NTriplesWriter, Triple, TripleSet
from ccmkg.model.terms import CCM

TRIGGERS = frozenset({*FUNCTIONAL, CCM.participant, CCM.chairPerson})


@dataclass(frozen=True)
class LookupPart:
    """The triples of a document its lookups read, and the nodes they are about."""

    text: str  # its triples as N-Triples (what the staging store loads)
    nodes: frozenset[str]  # S1 subjects, their passages, selectors and documents (as text:
    # lighter to send from a worker than rdflib terms)

    def covers(self, added: Iterable[Triple]) -> bool:
        """True when triples added to the document change nothing the lookups read (no trigger
        predicate, no subject among `nodes`): the part stays the part of the whole."""
        return all(p not in TRIGGERS and str(s) not in self.nodes for s, p, _ in added)


def lookup_part(graph: TripleSet, writer: NTriplesWriter | None = None) -> LookupPart:
    """S1, S2 and S3 of one document (see the module's docstring).

    `writer`: the one that wrote the whole document's text (its terms are converted already).
    Found by a few scans of the triples, not by pattern: a pattern builds an index of the
    whole document first, which cost more than the scans (a worker asks nothing else of it).
    """
    triples = list(graph)
    keep = {t for t in triples if t[1] in TRIGGERS}
    subjects = {t[0] for t in keep}
    derived = PROV.wasDerivedFrom
    passages: set[Node] = set()
    for t in triples:
        if t[0] in subjects and t[1] == derived:
            keep.add(t)
            passages.add(t[2])
    selectors: set[Node] = set()
    sources: set[Node] = set()
    for t in triples:
        if t[0] in passages:
            keep.add(t)
            if t[1] == OA.hasSelector:
                selectors.add(t[2])
            elif t[1] == OA.hasSource:
                sources.add(t[2])
    is_a = RDF.type
    for t in triples:
        if t[0] in selectors or (t[0] in sources and t[1] == is_a):
            keep.add(t)
    text = (writer or NTriplesWriter()).text(keep)
    nodes = subjects | passages | selectors | sources
    return LookupPart(text, frozenset(str(n) for n in nodes))
