"""The server process's cyclic garbage collector, set once the app has started.

Why: a REST answer at scale builds tens of thousands of short-lived dicts (rows, sources,
items). With CPython's default thresholds (700, 10, 10) they trigger a full collection about
once per large answer, and a full collection walks every object the process holds: the
modules, the parsed catalogue and ontology, and the caches of rdflib terms and passages (at
1M triples ~150,000 objects, 85–117 ms; GET /coordinators spent a quarter of its time there).

So, after startup, `settle_heap` moves what the process holds into the permanent generation
(`gc.freeze`: never walked again; it is kept for the process's lifetime anyway) and raises
the first threshold, so that a request's transient objects are mostly freed by reference
counting before a collection promotes them. Reference cycles are still collected, only less
often. Measured at 1M triples, in process, four settings alternated in one process (median of
4 rounds of 5 calls, ms): GET /coordinators 498 default, 401 frozen, 341 frozen with these
thresholds, 300 with no collection at all; /persons 167, 169, 154, 143; /meetings?kind 46,
41, 37, 37; /presidencies 43, 36, 37, 33 (docs/decisions/api.md).

Only the server process: a test process or the CLI keeps the defaults (freezing there would
keep every cycle made before the freeze for ever).
"""

from __future__ import annotations

import gc

# Allocations (less deallocations) between two young collections; CPython's default is 700.
YOUNG_THRESHOLD = 20_000
# Young collections per middle one, middle ones per full one (defaults 10 and 10).
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 10


def settle_heap() -> None:
    """Collect once, freeze what survives, and set the thresholds above (see the module)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
