"""The staged graphs' claims about meetings, kept in memory: what conflict checks ask of them.

Why: a conflict check (`loaders/crossdoc.py`) asks, for each meeting of a document, which
values other graphs give its functional properties (`VALUES_QUERY`) and, for a value that
differs from the document's own, which graphs and passages give it (`QUERY`). Asked of the
graphs a load has staged, those were SPARQL queries on the staging store, several per
document (about a third of the loading thread at 1,000 documents). A staged graph holds few
such triples (its meetings' numbers, dates, times and their passages), so they are read off
its text once, when it is staged, and the two questions are answered from dicts.

The answers are those of the two queries over the same text, term for term: values come as
the rdflib terms the store's rows would give (`to_rdflib`), and a value's rows are the
triples whose term is the value's `to_oxigraph` (what the query binds), one row per passage
of the subject in that graph, or one row without a passage when it has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ccmkg.store.rdfterms import to_oxigraph, to_rdflib

_DERIVED = f"<{PROV.wasDerivedFrom}>"


OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Stated:
    """One value of one subject's property, and the staged graphs that state it."""

    term: OxTerm  # the value as stored
    by: list[tuple[str, tuple[OxTerm | None, ...]]]  # (graph, passages of the subject there;
    # (None,) when it has none)
    _value: Node | None = None

    @property
    def value(self) -> Node:
        """As the store's rows give it (`to_rdflib`); made when first asked for: most staged
        values (a document's own date) are never asked about."""
        if self._value is None:
            self._value = _rdflib(self.term)
        return self._value  # type: ignore[return-value]


@lru_cache(maxsize=2**16)
def _rdflib(term: OxTerm | None) -> Node | None:
    """`to_rdflib`, once per term: the same passages come back in many conflicts."""
    return to_rdflib(term)


class StagedClaims:
    """Triples of the given predicates in the staged graphs, by subject and predicate."""

    def __init__(self, predicates: Iterable[str]) -> None:
        self.predicates = frozenset(str(p) for p in predicates)
        self._tokens = frozenset(f"<{p}>" for p in self.predicates)
        # (subject, predicate) → the values as stored → who states them
        self._claims: dict[tuple[str, str], dict[OxTerm, Stated]] = {}
        self._store_seen: tuple[int, str, bool] | None = None  # (generation, prefix, answer)

    def __len__(self) -> int:
        return len(self._claims)

    def add(self, graph: str, text: str) -> None:
        """Index one staged graph's N-Triples (the text the staging store was given).

        Lines are told apart by their predicate, the second token of a line (an IRI holds no
        space, nor does a subject), and only the few kept are parsed."""
        wanted: list[str] = []
        derived: dict[str, list[str]] = {}  # subject token → its prov:wasDerivedFrom lines
        for line in text.split("\n"):
            tokens = line.split(" ", 2)
            if len(tokens) < 3:
                continue
            if tokens[1] in self._tokens:
                wanted.append(line)
            elif tokens[1] == _DERIVED:
                derived.setdefault(tokens[0], []).append(line)
        found = list(dict.fromkeys(self._parse(wanted)))  # a set, as the store holds it
        if not found:
            return
        passages: dict[str, tuple[OxTerm | None, ...]] = {}
        for t in found:
            subject = t.subject
            if isinstance(subject, ox.NamedNode) and subject.value not in passages:
                lines = derived.get(f"<{subject.value}>", [])
                objects = [d.object for d in self._parse(lines) if d.subject == subject]
                passages[subject.value] = tuple(dict.fromkeys(objects)) or (None,)  # type: ignore[arg-type]
        for t in found:
            if not isinstance(t.subject, ox.NamedNode) or t.predicate.value not in self.predicates:
                continue
            values = self._claims.setdefault((t.subject.value, t.predicate.value), {})
            term: OxTerm = t.object  # type: ignore[assignment]
            if term not in values:
                values[term] = Stated(term, [])
            values[term].by.append((graph, passages[t.subject.value]))

    def clear(self) -> None:
        self._claims = {}

    def store_has_documents(self, store: object, prefix: str) -> bool:
        """Whether `store` may hold a graph named with `prefix` (a document graph). Asked once
        per write to it (its `data_generation`); a store that does not count its writes is
        always said to hold some, so that it is always queried."""
        generation = getattr(store, "data_generation", None)
        graphs = getattr(store, "graphs", None)
        if not isinstance(generation, int) or graphs is None:
            return True
        seen = self._store_seen
        if seen is None or seen[:2] != (generation, prefix):
            held = any(g.startswith(prefix) for g in graphs())
            # the count read above belongs to this generation only if no write came meanwhile
            if getattr(store, "data_generation", None) != generation:
                return True
            seen = self._store_seen = (generation, prefix, held)
        return seen[2]

    def values(self, subject: URIRef, predicate: URIRef) -> set[Node]:
        """The values staged graphs give (as `VALUES_QUERY` rows give them)."""
        return {v.value for v in self._claims.get((str(subject), str(predicate)), {}).values()}

    def rows(
        self, subject: URIRef, predicate: URIRef, value: Node
    ) -> list[tuple[str, Node | None]]:
        """(graph, passage) per staged graph stating `value` (as `QUERY` rows give them)."""
        stated = self._claims.get((str(subject), str(predicate)), {}).get(to_oxigraph(value))
        return [] if stated is None else [(g, _rdflib(p)) for g, ps in stated.by for p in ps]

    @staticmethod
    def _parse(lines: list[str]) -> list[ox.Triple]:
        if not lines:
            return []
        data = "\n".join(lines).encode("utf-8")
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
