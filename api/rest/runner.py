"""Run a named query for a request: the catalogue is loaded once per base IRI and cached."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from fastapi import Request

from ccmkg.catalogue import Catalogue
from ccmkg.errors import BadParameter
from ccmkg.settings import Settings
from ccmkg.store import Rows, Store
from ccmkg.store.rdfterms import to_oxigraph

_LOADING = threading.Lock()
# Each named query run is logged (debug) by name: which queries an answer read can be seen
# (e.g. that `sources=none` reads no passage; tests/api/test_sources_none.py).
log = logging.getLogger(__name__)
# The threads `Queries.run_many` waits on: each only waits for a store worker process (or a
# remote server) to answer, so a few serve every request of the process.
_AT_ONCE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="ccmkg-named-query")
Call = tuple[str, Mapping[str, str | None] | None]


@cache
def _load(base_iri: str) -> Catalogue:
    return Catalogue.load(base_iri=base_iri)


def catalogue(base_iri: str) -> Catalogue:
    """The catalogue, parsed once (the lock: two first requests at once would both parse it)."""
    with _LOADING:
        return _load(base_iri)


@dataclass(frozen=True)
class Queries:
    """The named queries over one store, with the read limits of the settings applied."""

    store: Store
    settings: Settings

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri

    def run(self, name: str, params: Mapping[str, str | None] | None = None) -> Rows:
        """The rows of named query `name` with the given (string) parameters; None is unbound.

        The answer keeps the store's `truncated` flag: it is True when the row cap cut it.

        Raises:
            BadParameter, QueryTimeout, StoreError: from the catalogue and the store.
        """
        bound = {k: v for k, v in (params or {}).items() if v is not None}
        log.debug("named query %s", name)
        return catalogue(self.base_iri).run(
            self.store,
            name,
            bound,
            max_rows=self.settings.max_result_rows,
            timeout_s=self.settings.query_timeout_s,
        )

    def run_many(self, calls: Sequence[Call]) -> list[Rows]:
        """The rows of each named query `(name, params)`, as `run` gives them, in order; the
        queries run at the same time.

        Why: a list that needs several answers that do not depend on one another then waits
        for the slowest of them, not for their sum: each query runs in a store worker process
        (or on the remote server), and the threads here only wait for it. Issue #16: at 1M
        triples, the two holdings of /coordinators?area=universalization&year=2014, 4.8 ms one
        after the other, 2.8 ms at once (in process, medians of 21).

        Raises:
            as `run`: the first failure in the order of `calls`, once every query has ended.
        """
        if len(calls) < 2:
            return [self.run(name, params) for name, params in calls]
        futures = [_AT_ONCE.submit(self.run, name, params) for name, params in calls]
        for future in futures:  # every query ends before a failure is raised
            future.exception()
        return [future.result() for future in futures]

    def run_for(
        self,
        name: str,
        key: str,
        iris: Sequence[str],
        params: Mapping[str, str | None] | None = None,
    ) -> Rows:
        """The rows of named query `name` for each of `iris` bound to its parameter `key`, in
        one query: a VALUES block of one row per IRI at the start of the WHERE group (at each
        `#@values` line of a `bind: marked` query). A list reads its items' details and
        passages this way for its page only (issue #16).

        The IRIs come from the store's own answers; each is checked as an IRI. The other
        parameters are checked as `run` checks them, and bound in the same VALUES rows.

        Raises:
            BadParameter: `key` is not an IRI parameter of the query; as `run` otherwise.
        """
        log.debug("named query %s", name)
        cat = catalogue(self.base_iri)
        query = cat.get(name)
        if not any(p.name == key and p.type in ("iri", "meeting") for p in query.params):
            raise BadParameter(f"query {name!r} has no IRI parameter {key!r}")
        bound = {k: v for k, v in (params or {}).items() if v is not None and k != key}
        if not iris:
            raise BadParameter(f"query {name!r} run for no {key!r} at all")
        bindings = cat.bindings(name, {**bound, key: iris[0]})  # checks `key` if required
        del bindings[key]
        # The other parameters go in the same rows: measured, the planner then starts from
        # the rows (api_meetings for 100 meetings and a kind: 39 ms substituted, 21 ms so).
        try:  # a parameter pyoxigraph refuses is the caller's to fix, as in `run`
            others = [str(to_oxigraph(term)) for term in bindings.values()]
        except ValueError as exc:
            raise BadParameter(str(exc)) from exc
        names = " ".join(f"?{var}" for var in (key, *bindings))
        rows = " ".join(f"({' '.join([str(ox.NamedNode(iri)), *others])})" for iri in iris)
        text = query.with_values(f"VALUES ({names}) {{ {rows} }}")
        return self.store.select(
            text, max_rows=self.settings.max_result_rows, timeout_s=self.settings.query_timeout_s
        )


def get_queries(request: Request) -> Queries:
    """FastAPI dependency: the named queries over the app's store."""
    return Queries(store=request.app.state.store, settings=request.app.state.settings)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]
