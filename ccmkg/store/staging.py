"""A batch of new named graphs held in memory until one commit, visible to the loader's lookups.

The loader's bulk path prepares documents one after another; each one's cross-document checks
(conflicts, person evidence) must see the documents prepared before it in the same batch, as
the one-write-per-document path does. `Staging` answers `select` and `construct` over the
store *plus* the staged graphs, then writes them all with one `Store.add_graphs` call.

Precondition (the loader keeps it): a staged graph is new — absent from the store — so the
two sides never hold the same graph and their answers simply add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ccmkg.errors import QueryRejected
from ccmkg.store.base import Rows, Store
from ccmkg.store.embedded import _Dataset, _rows, _run, _select_rows
from ccmkg.store.rdfterms import graph_from_triples

_UNION = _Dataset(union=True)


class Staging:
    """The store seen with a batch of not-yet-written graphs added (new graphs only)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.graphs: dict[str, Sequence[ox.Triple]] = {}
        self._mem = ox.Store()

    def __contains__(self, graph: object) -> bool:
        return graph in self.graphs

    def __len__(self) -> int:
        return len(self.graphs)

    def add(self, graph: str, triples: Sequence[ox.Triple]) -> None:
        """Stage one new graph.

        Raises:
            ValueError: the graph is staged already, or a term cannot be stored.
        """
        if graph in self.graphs:
            raise ValueError(f"graph staged twice: {graph}")
        name = ox.NamedNode(graph)
        self._mem.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
        self.graphs[graph] = triples

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        """The store's rows, then the staged graphs' rows (GRAPH patterns see both)."""
        rows = self.store.select(query, bindings)
        if self.graphs:
            staged = _rows(*_select_rows(self._mem, query, bindings, None, _UNION))
            rows = Rows(rows.variables, rows.rows + staged.rows)
        return rows

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """The union of the store's answer and the staged graphs' answer."""
        graph = self.store.construct(query, bindings)
        if self.graphs:
            result = _run(self._mem, query, bindings, _UNION)
            if not isinstance(result, ox.QueryTriples):
                raise QueryRejected("Expected a CONSTRUCT or DESCRIBE query.")
            graph += graph_from_triples(result)
        return graph

    def commit(self) -> list[str]:
        """Write every staged graph in one all-or-nothing call; the staged graphs' names.

        Raises:
            StoreError: nothing was written (the batch stays staged for the caller to drop).
        """
        names = list(self.graphs)
        if names:
            self.store.add_graphs(self.graphs)
        self.discard()
        return names

    def discard(self) -> None:
        self.graphs = {}
        self._mem = ox.Store()
