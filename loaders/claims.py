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

    value: Node  # as the store's rows give it (`to_rdflib`), made once
    by: list[tuple[str, tuple[Node | None, ...]]]  # (graph, passages of the subject there;
    # (None,) when it has none)


class StagedClaims:
    """Triples of the given predicates in the staged graphs, by subject and predicate."""

    def __init__(self, predicates: Iterable[str]) -> None:
        self.predicates = frozenset(str(p) for p in predicates)
        self._needles = tuple(f" <{p}> " for p in sorted(self.predicates))
        # (subject, predicate) → the values as stored → who states them
        self._claims: dict[tuple[str, str], dict[OxTerm, Stated]] = {}
        self._store_seen: tuple[int, str, bool] | None = None  # (generation, prefix, answer)

    def __len__(self) -> int:
        return len(self._claims)

    def add(self, graph: str, text: str) -> None:
        """Index one staged graph's N-Triples (the text the staging store was given)."""
        found = list(dict.fromkeys(self._parse(self._lines(text, self._needles))))  # a set
        if not found:
            return
        subjects = {t.subject.value for t in found if isinstance(t.subject, ox.NamedNode)}
        derived: dict[str, list[Node | None]] = {}
        needles = [f"<{s}> {_DERIVED} " for s in sorted(subjects)]
        for t in self._parse(self._lines(text, needles, at_start=True)):
            if t.predicate.value == str(PROV.wasDerivedFrom):
                derived.setdefault(t.subject.value, []).append(to_rdflib(t.object))  # type: ignore[arg-type,union-attr]
        for t in found:
            if not isinstance(t.subject, ox.NamedNode) or t.predicate.value not in self.predicates:
                continue
            passages = tuple(dict.fromkeys(derived.get(t.subject.value, ()))) or (None,)
            values = self._claims.setdefault((t.subject.value, t.predicate.value), {})
            term: OxTerm = t.object  # type: ignore[assignment]
            if term not in values:
                values[term] = Stated(to_rdflib(term), [])  # type: ignore[arg-type]
            values[term].by.append((graph, passages))

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
        return [] if stated is None else [(g, p) for g, ps in stated.by for p in ps]

    @staticmethod
    def _lines(text: str, needles: Iterable[str], *, at_start: bool = False) -> list[str]:
        """The whole lines of `text` holding a needle (anywhere, or at the start of the line)."""
        starts: set[int] = set()
        for needle in needles:
            pos = text.find(needle)
            while pos != -1:
                start = text.rfind("\n", 0, pos) + 1
                if not at_start or start == pos:
                    starts.add(start)
                pos = text.find(needle, pos + 1)
        lines = []
        for start in sorted(starts):
            end = text.find("\n", start)
            lines.append(text[start:] if end == -1 else text[start : end + 1])
        return lines

    @staticmethod
    def _parse(lines: list[str]) -> list[ox.Triple]:
        if not lines:
            return []
        data = "".join(lines).encode("utf-8")
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
