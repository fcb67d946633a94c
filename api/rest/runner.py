"""Run a named query for a request: the catalogue is loaded once per base IRI and cached."""

from __future__ import annotations

import threading
from collections.abc import Mapping
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
    """The catalogue, parsed once: rdflib's query parser is not thread-safe, hence the lock."""
    with _LOADING:
        return _load(base_iri)


def run(request: Request, name: str, params: Mapping[str, str | None] | None = None) -> Rows:
    """The rows of named query `name` with the given (string) parameters; None means unbound.

    Raises:
        BadParameter, QueryTimeout, StoreError: from the catalogue and the store.
    """
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    bound = {k: v for k, v in (params or {}).items() if v is not None}
    return catalogue(settings.base_iri).run(
        store,
        name,
        bound,
        max_rows=settings.max_result_rows,
        timeout_s=settings.query_timeout_s,
    )


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]
