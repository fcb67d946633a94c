"""The cyclic garbage collector eased for the length of a load: fewer, smaller collections.

Why: the loading process keeps every staged document (its records, its text) until the
commit, and allocates many short-lived terms per document, so the collector runs ~1,000 young
collections and several full ones, each full one walking everything loaded so far and every
module, shape and vocabulary of the process: ~0.9 CPU s per 1,000 documents, on the thread
the whole load waits for. Objects alive when the load starts are frozen (out of the
collector's sight: they outlive the load anyway) and young collections wait for 10,000
allocations instead of 700. Garbage is still collected, only less often; at the end the
frozen objects and the thresholds are given back. Nested or concurrent loads share one
easing (the last to end restores).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 10_000  # allocations between young collections (CPython's default: 700)

_lock = threading.Lock()
_users = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def eased() -> Iterator[None]:
    """Run the body with the collector eased (see the module's docstring)."""
    global _users, _saved
    with _lock:
        _users += 1
        if _users == 1:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(YOUNG, _saved[0]), _saved[1], _saved[2])
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                gc.unfreeze()
                _saved = None
