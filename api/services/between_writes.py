"""What a list reads to choose its items, kept until the store's next committed write.

Why: a list with a filter first reads what chooses its items (the coordinator holdings' spans
of an area, the dates of the meetings of a kind, the States that held a presidency role), then
reads the chosen items with their sources. At 1M triples the choosing was most of such an
answer's time (issue #16), and it changes only when the data does. An embedded store bumps
its `data_generation` on every committed write; what is read under a generation is kept
under it, and a lookup under a newer one finds nothing. The generation is read before
reading, so what is read across a write is kept under the older generation and never used
after it. A store with no generation (a remote SPARQL server, whose data can change behind
our back) reads every time. What was read from an answer cut by the row cap is not kept: the
next request reads again, and each list built from it says it is truncated. Only what
chooses is kept: the items themselves are read each time.

The keys are few (one per area, one per meeting kind, one for the presidency holders), so
nothing is evicted but by a write.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ccmkg.api.rest.runner import Queries
from ccmkg.store import Rows, Store

T = TypeVar("T")
Read = tuple[T, list[Rows]]

# Per store: the generation, and per key what was read and the answers it was read from (a
# `Listing` is built from the answers its items were chosen from).
_HELD: weakref.WeakKeyDictionary[Store, tuple[int, dict[Hashable, Any]]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def kept(queries: Queries, key: Hashable, read: Callable[[], Read[T]]) -> Read[T]:
    """What `read()` gives (a value and the store answers it was read from), read once per data
    generation of the store and `key`; every time on a store with no generation. The value is
    shared by every request until the next write: read it, never change it."""
    store = queries.store
    generation = getattr(store, "data_generation", None)
    if not isinstance(generation, int):
        return read()
    with _LOCK:
        held = _HELD.get(store)
        if held is not None and held[0] == generation and key in held[1]:
            value, answers = held[1][key]
            return value, list(answers)  # a list of its own: a caller may add to it
    # Read without the lock: two first requests may both read; neither waits for the other.
    value, answers = read()
    if any(answer.truncated for answer in answers):
        return value, answers
    with _LOCK:
        held = _HELD.get(store)
        if held is None or held[0] < generation:
            held = _HELD[store] = (generation, {})
        if held[0] == generation:
            held[1][key] = (value, list(answers))
    return value, answers
