"""A batch of new named graphs held in memory until one commit, visible to the loader's lookups.

The loader's bulk path prepares documents one after another; each one's cross-document checks
(conflicts, person evidence) must see the documents prepared before it in the same batch, as
the one-write-per-document path does. `Staging` answers `select` and `construct` over the
store *plus* the staged graphs, then writes them all in one all-or-nothing call: by swapping
in a fresh store directory when asked to (`swap`, a large first load into a store that can:
`SwapStore`; bulk-loaded in the background as graphs are staged), else with
`Store.add_graphs`.

Graphs are staged as N-Triples text (as pyoxigraph writes it): parsed by the engine, never
turned into Python term objects on the way to the store. The caller may say which part of a
graph its lookups can match (`add(..., looked_up=)`): only that part is queried.

Precondition (the loader keeps it): a staged graph is new — absent from the store — so the
two sides never hold the same graph and their answers simply add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ccmkg.errors import QueryRejected
from ccmkg.store.base import Rows, Store
from ccmkg.store.embedded import _Dataset, _rows, _run, _select_rows
from ccmkg.store.freshbuild import FreshBuild, check_text
from ccmkg.store.rdfterms import graph_from_triples

_UNION = _Dataset(union=True)


@runtime_checkable
class SwapStore(Protocol):
    """A store that can add many new graphs by building a fresh copy and swapping it in."""

    def start_swap(self) -> FreshBuild | None: ...

    def swap_in(self, build: FreshBuild) -> bool: ...

    def abandon_swap(self, build: FreshBuild) -> None: ...


def triples_of(text: str) -> list[ox.Triple]:
    """N-Triples text as pyoxigraph triples (what `Store.add_graphs` takes)."""
    return [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


class StagedIndex(Protocol):
    """Something kept beside the staged graphs (a caller's own index of their text)."""

    def add(self, graph: str, text: str) -> None: ...

    def clear(self) -> None: ...


class Staging:
    """The store seen with a batch of not-yet-written graphs added (new graphs only).

    `swap`: commit by `SwapStore.swap_in` (one fresh store, all of it or none), when the
    store can; the loader sets it for a large load into a store holding no document yet. The
    fresh store is bulk-loaded in the background as graphs are staged (`FreshBuild`).
    """

    def __init__(
        self, store: Store, *, swap: bool = False, index: StagedIndex | None = None
    ) -> None:
        self.store = store
        self.index = index  # told each staged text (what the staging store got), and cleared
        self.swap = swap and isinstance(store, SwapStore)
        self.graphs: dict[str, str] = {}  # graph → N-Triples text
        self._mem = ox.Store()
        self._build: FreshBuild | None = None

    def __contains__(self, graph: object) -> bool:
        return graph in self.graphs

    def __len__(self) -> int:
        return len(self.graphs)

    def add(
        self, graph: str, text: str, looked_up: str | None = None, *, parses: bool = False
    ) -> None:
        """Stage one new graph, given as N-Triples text.

        `looked_up`: the part of `text` that lookups can match (N-Triples too), when the caller
        knows it (the loader: `loaders/lookups.py`); only that part goes into the store that
        answers `select` and `construct`, the whole text is written. The whole text is parsed
        then, so that a term the store refuses fails here, for this graph alone — unless the
        caller says it `parses`: every line is the `str` of pyoxigraph terms, which pyoxigraph
        checked when it made them (`loaders.tripleset.NTriplesWriter`).

        Raises:
            ValueError: the graph is staged already, or its name or a term cannot be stored.
        """
        if graph in self.graphs:
            raise ValueError(f"graph staged twice: {graph}")
        if self.swap and self._build is None:
            assert isinstance(self.store, SwapStore)
            self._build = self.store.start_swap()
            self.swap = self._build is not None  # another load builds one: by `add_graphs`
        checked = None
        if self._build is not None and text:
            checked = check_text(graph, text)  # the build will take it (or raise here)
        try:
            name = ox.NamedNode(graph)
            if looked_up is not None and not parses:  # the whole text must parse all the same
                for _ in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                    pass
            staged = text if looked_up is None else looked_up
            self._mem.load(staged.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        except SyntaxError as exc:
            raise ValueError(str(exc)) from exc
        self.graphs[graph] = text
        if self.index is not None:
            self.index.add(graph, staged)
        if self._build is not None:
            self._build.add(graph, text, checked)

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
        build, self._build = self._build, None
        if names:
            store = self.store
            if not (build is not None and isinstance(store, SwapStore) and store.swap_in(build)):
                store.add_graphs({g: triples_of(t) for g, t in self.graphs.items()})
        self.discard()
        return names

    def discard(self) -> None:
        """Forget the staged graphs (and drop the fresh store being built for them)."""
        if self._build is not None and isinstance(self.store, SwapStore):
            self.store.abandon_swap(self._build)
        self._build = None
        self.graphs = {}
        self._mem = ox.Store()
        if self.index is not None:
            self.index.clear()
