"""The store port: everything the API, the loaders and the CLI may ask of a triple store.

Two implementations: EmbeddedStore (pyoxigraph, the default) and RemoteStore (any SPARQL 1.1
server). Callers never reach around this interface.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node


@dataclass
class Rows:
    """SELECT results as rdflib terms; `truncated` is True when the row cap cut them."""

    variables: list[str]
    rows: list[dict[str, Node | None]]
    truncated: bool = False


@dataclass
class ProtocolResult:
    """A query answer already serialised for the SPARQL protocol endpoint."""

    body: bytes
    media_type: str
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


class Lookup(Protocol):
    """The reads a loader's cross-document checks make: a Store, or a Store with staged graphs."""

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> Rows: ...

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...


@runtime_checkable
class Store(Protocol):
    """A quad store holding one named graph per document or upload.

    The default graph seen by queries is the union of all named graphs.
    """

    kind: str  # "embedded" or "remote"

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> Rows:
        """Run a SELECT with variables bound at run time (never pasted into the text).

        Raises:
            QueryRejected: the query does not parse or is not allowed.
            QueryTimeout: it ran past `timeout_s`.
            StoreError: the store is unreachable.
        """
        ...

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool: ...

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph: ...

    def protocol_query(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> ProtocolResult:
        """Answer a SPARQL protocol request in `media_type` (already negotiated by the caller)."""
        ...

    def replace_graphs(self, graphs: Mapping[str, Graph], *, delete: Iterable[str] = ()) -> None:
        """All or nothing: each named graph is replaced by the given triples, `delete` dropped.

        Raises:
            StoreError: nothing was written.
        """
        ...

    def add_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """All or nothing: add named graphs the store does not hold yet, and their triples to
        the default graph (kept the de-duplicated union). Quads go in as quads where the
        backend takes them: no update text to write and parse. The bulk path of the loader.

        Raises:
            BadParameter: a graph is already in the store (use `replace_graphs`); nothing
                was written.
            StoreError: nothing was written.
        """
        ...

    def delete_graph(self, graph: str) -> None: ...

    def clear(self) -> None:
        """Remove every named graph, all or nothing."""
        ...

    def graphs(self) -> dict[str, int]:
        """Named graph IRI → triple count."""
        ...

    def triple_count(self) -> int: ...

    def graph_triples(self, graph: str) -> Graph:
        """A copy of one named graph (empty if absent)."""
        ...

    def dump_nquads(self) -> bytes:
        """The whole dataset as N-Quads, named graphs kept."""
        ...

    def close(self) -> None: ...
