"""A plain set of rdflib triples with the few `Graph` methods emission and its checks use.

Why: a worker emits a document only to serialise it as N-Triples and read a few triples back
(its meetings, its subjects); rdflib's `Graph.add` keeps three indexes and per-context
bookkeeping, most of the cost of emitting. A set holds the same triples for a fraction of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleSet:
    """The triples of one document, each once (a set, as a Graph is)."""

    def __init__(self) -> None:
        self._triples: set[Triple] = set()
        self._by_subject: dict[Node, set[Triple]] = defaultdict(set)
        self._by_object: dict[Node, set[Triple]] = defaultdict(set)

    def add(self, triple: Triple) -> None:
        self._triples.add(triple)
        self._by_subject[triple[0]].add(triple)
        self._by_object[triple[2]].add(triple)

    def remove(self, triple: Triple) -> None:
        """Remove one triple (a pattern with None is not supported: emission never needs it)."""
        self._triples.discard(triple)
        self._by_subject[triple[0]].discard(triple)
        self._by_object[triple[2]].discard(triple)

    def bind(self, prefix: str, namespace: object) -> None:
        """Prefixes only matter to rdflib's serialisers; N-Triples has none."""

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[Triple]:
        """The triples matching a pattern (None matches anything), as `Graph.triples`."""
        s, p, o = pattern
        if s is not None:
            candidates = self._by_subject.get(s, set())
        elif o is not None:
            candidates = self._by_object.get(o, set())
        else:
            candidates = self._triples
        for t in list(candidates):
            if (s is None or t[0] == s) and (p is None or t[1] == p) and (o is None or t[2] == o):
                yield t

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        """Each subject of the triples matching (?, predicate, obj) once, as `Graph.subjects`."""
        seen: set[Node] = set()
        for s, _, _ in self.triples((None, predicate, obj)):
            if s not in seen:
                seen.add(s)
                yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The object of each triple matching (subject, predicate, ?), as `Graph.objects`."""
        return (t[2] for t in self.triples((subject, predicate, None)))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of (subject, predicate, ?), or None, as `Graph.value` without options."""
        return next(self.objects(subject, predicate), None)
