"""The dataset's VoID description, computed once per data generation of the store.

Why: `ccmkg.void.describe` counts triples, classes and graphs over the whole store (2.4 s at 1M
triples), and its answer changes only when the data does. An embedded store bumps its
`data_generation` on every committed write, so the description kept under a generation is
exactly what describing the store again would give; the generation is read before describing,
so a description computed across a write is filed under the older one and never served after
it. A store with no generation (a remote SPARQL server, whose data can change behind our back)
is described on every call.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from rdflib import Graph

from ccmkg.store import Store
from ccmkg.void import describe

_HELD: weakref.WeakKeyDictionary[Store, tuple[int, dict[tuple[str, str], bytes]]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def described(
    store: Store, base_iri: str, media_type: str, serialise: Callable[[Graph], bytes]
) -> bytes:
    """The VoID description of `store` in `media_type` (`serialise` writes it)."""
    generation = getattr(store, "data_generation", None)
    if not isinstance(generation, int):
        return serialise(describe(store, base_iri))
    key = (base_iri, media_type)
    with _LOCK:
        held = _HELD.get(store)
        if held is not None and held[0] == generation and key in held[1]:
            return held[1][key]
    body = serialise(describe(store, base_iri))
    with _LOCK:
        held = _HELD.get(store)
        if held is None or held[0] < generation:
            held = _HELD[store] = (generation, {})
        if held[0] == generation:
            held[1][key] = body
    return body
