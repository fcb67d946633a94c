"""A plain set of rdflib triples with the few `Graph` methods emission and its checks use, and
the N-Triples text of such triples written without building pyoxigraph triples.

Why: a worker emits a document only to serialise it as N-Triples and read a few triples back
(its meetings, its subjects); rdflib's `Graph.add` keeps three indexes and per-context
bookkeeping, most of the cost of emitting. A set holds the same triples for a fraction of it,
and indexes them by subject and object only once a pattern is first asked for (emission
itself only adds and tests membership).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib import Literal
from rdflib.term import Node

from ccmkg.store.rdfterms import to_oxigraph

Triple = tuple[Node, Node, Node]


class NTriplesWriter:
    """N-Triples lines exactly as pyoxigraph's serialiser writes them (a pyoxigraph term's
    `str` is its N-Triples form), each distinct term converted once per writer.

    Why: converting every term of every triple to a pyoxigraph term, then a `Triple`, to
    serialise a list was most of the cost of writing a document's text; a document repeats
    its terms (predicates, classes, its own nodes) many times. One writer per document (or
    per `text` call): the memo lives as long as the writer.
    """

    def __init__(self) -> None:
        self._memo: dict[Node, str] = {}

    def term(self, node: Node) -> str:
        """One term's N-Triples form.

        Raises:
            ValueError, BadParameter: a term the store cannot hold (see `to_oxigraph`).
        """
        text = self._memo.get(node)
        if text is None:
            text = str(to_oxigraph(node))
            # rdflib's Literal equality ignores the case of a language tag: not memoised,
            # so that each literal is written as it is
            if not (isinstance(node, Literal) and node.language):
                self._memo[node] = text
        return text

    def text(self, triples: Iterable[Triple]) -> str:
        """The triples as N-Triples, one line each, in iteration order."""
        term = self.term
        return "".join([f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples])


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples text of rdflib triples, as `ccmkg.store.rdfterms.ntriples` writes it."""
    return NTriplesWriter().text(triples)


class TripleSet:
    """The triples of one document, each once (a set, as a Graph is)."""

    def __init__(self) -> None:
        self._triples: set[Triple] = set()
        # each built on the first pattern that needs it, then kept up to date
        self._by_subject: dict[Node, set[Triple]] | None = None
        self._by_object: dict[Node, set[Triple]] | None = None

    def add(self, triple: Triple) -> None:
        self._triples.add(triple)
        if self._by_subject is not None:
            self._by_subject[triple[0]].add(triple)
        if self._by_object is not None:
            self._by_object[triple[2]].add(triple)

    def remove(self, triple: Triple) -> None:
        """Remove one triple (a pattern with None is not supported: emission never needs it)."""
        self._triples.discard(triple)
        if self._by_subject is not None:
            self._by_subject[triple[0]].discard(triple)
        if self._by_object is not None:
            self._by_object[triple[2]].discard(triple)

    def _subject_index(self) -> dict[Node, set[Triple]]:
        if self._by_subject is None:
            self._by_subject = _indexed(self._triples, 0)
        return self._by_subject

    def _object_index(self) -> dict[Node, set[Triple]]:
        if self._by_object is None:
            self._by_object = _indexed(self._triples, 2)
        return self._by_object

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
            candidates = self._subject_index().get(s, set())
        elif o is not None:
            candidates = self._object_index().get(o, set())
        else:
            candidates = self._triples
        for t in list(candidates):
            if (s is None or t[0] == s) and (p is None or t[1] == p) and (o is None or t[2] == o):
                yield t

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        """Each subject of the triples matching (?, predicate, obj) once, as `Graph.subjects`."""
        if predicate is None and obj is None:
            return iter({t[0]: None for t in self._triples})
        return self._subjects(predicate, obj)

    def _subjects(self, predicate: Node | None, obj: Node | None) -> Iterator[Node]:
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


def _indexed(triples: Iterable[Triple], position: int) -> dict[Node, set[Triple]]:
    """The triples by their term at `position` (0: subject, 2: object), built when first asked
    for: most documents are only ever looked up one way."""
    index: dict[Node, set[Triple]] = defaultdict(set)
    for t in triples:
        index[t[position]].add(t)
    return index
