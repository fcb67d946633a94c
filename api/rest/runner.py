"""Run a named query for a request: the catalogue is loaded once per base IRI and cached."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from fastapi import Request

from ccmkg.catalogue import Catalogue
from ccmkg.settings import Settings
from ccmkg.store import Rows, Store

_LOADING = threading.Lock()


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
        return catalogue(self.base_iri).run(
            self.store,
            name,
            bound,
            max_rows=self.settings.max_result_rows,
            timeout_s=self.settings.query_timeout_s,
        )


def get_queries(request: Request) -> Queries:
    """FastAPI dependency: the named queries over the app's store."""
    return Queries(store=request.app.state.store, settings=request.app.state.settings)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]
