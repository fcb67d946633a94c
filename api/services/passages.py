"""What the lists show of their passages, read once per passage between two writes.

Why: at 1M triples, reading each passage's document, section, quote and offsets was most of
the time of the lists that cite many passages (GET /coordinators?area=: 880 passages, issue
#16), and a loaded passage never changes until its document is replaced. So a list reads its
items with passage IRIs only, and `with_details` adds each passage's details: from memory when
an earlier answer (of any list) read them since the last committed write, else from one query
for the passages not held (api_passage_details, a VALUES block over their IRIs).

The memory is per store, keyed by the store's data generation (bumped by every committed write
of the embedded store): a lookup under a newer generation drops everything. It is bounded (at
most MAX_PASSAGES passages, oldest first out). A store without a generation (a remote SPARQL
server, whose data can change behind our back) keeps nothing: every answer queries. An answer
cut by the row cap keeps nothing either (its last passage may lack rows).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, text
from ccmkg.store import Rows, Store

# The columns api_passage_details answers; the last two only for reference sources.
DETAILS = ("doc", "docTitle", "docDate", "section", "quote", "pstart", "pend")
REFERENCE = ("sourceUrl", "retrieved")
# About 52,000 passages at 1M synthetic triples; ~40 MB at this bound with long quotes.
MAX_PASSAGES = 100_000
# IRIs per query: a remote server's request stays a few hundred kB.
CHUNK = 1000

Details = tuple[Row, ...]  # one row per combination of values, as the query answers them


class PassageMemory:
    """The details of passages read under one data generation; thread-safe."""

    def __init__(self, max_passages: int = MAX_PASSAGES) -> None:
        self.max_passages = max_passages
        self.generation: int | None = None
        self._held: OrderedDict[str, Details] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._held)

    def get(self, generation: int, iris: Iterable[str]) -> dict[str, Details]:
        """The held details of these passages under `generation` (all dropped if older)."""
        with self._lock:
            if generation != self.generation:
                self._held.clear()
                self.generation = generation
                return {}
            return {iri: self._held[iri] for iri in iris if iri in self._held}

    def put(self, generation: int, found: dict[str, Details]) -> None:
        """Keep what was read under `generation`; nothing if a write came since."""
        with self._lock:
            if generation != self.generation:
                return
            self._held.update(found)
            while len(self._held) > self.max_passages:
                self._held.popitem(last=False)


_MEMORIES: weakref.WeakKeyDictionary[Store, PassageMemory] = weakref.WeakKeyDictionary()
_MEMORIES_LOCK = threading.Lock()


def memory_of(store: Store) -> PassageMemory | None:
    """The passage memory of an embedded store; None for a store with no data generation."""
    if not isinstance(getattr(store, "data_generation", None), int):
        return None
    with _MEMORIES_LOCK:
        found = _MEMORIES.get(store)
        if found is None:
            found = _MEMORIES[store] = PassageMemory()
        return found


def details(queries: Queries, iris: Iterable[str]) -> tuple[dict[str, Details], list[Rows]]:
    """Each passage's detail rows, and the answers read for those not held in memory."""
    wanted = list(dict.fromkeys(iris))
    memory = memory_of(queries.store)
    generation: int = getattr(queries.store, "data_generation", 0)  # before reading
    held = memory.get(generation, wanted) if memory is not None else {}
    missing = [iri for iri in wanted if iri not in held]
    answers: list[Rows] = []
    read: dict[str, list[Row]] = {iri: [] for iri in missing}
    for i in range(0, len(missing), CHUNK):
        answer = queries.run_for("api_passage_details", "passage", missing[i : i + CHUNK])
        answers.append(answer)
        for row in answer.rows:
            read.setdefault(text(row, "passage") or "", []).append(row)
    found = {iri: tuple(rows) for iri, rows in read.items()}
    if memory is not None and not any(a.truncated for a in answers):
        memory.put(generation, found)
    return {**held, **found}, answers


def with_details(
    queries: Queries, rows: Sequence[Row], *, reference: bool = False
) -> tuple[list[Row], list[Rows]]:
    """`rows` with each row's `passage` replaced by its details: one row per detail row of the
    passage (the product an OPTIONAL over the details gives). Rows with no passage are kept
    as they are. `reference`: also the reference page columns (sourceUrl, retrieved). Also
    the answers read (their truncation counts for the list)."""
    known, answers = details(queries, (p for r in rows if (p := text(r, "passage"))))
    columns = DETAILS + REFERENCE if reference else DETAILS
    out: list[Row] = []
    for row in rows:
        passage = text(row, "passage")
        if passage is None:
            out.append(row)
            continue
        for detail in known.get(passage) or ({},):
            out.append({**row, **{c: detail.get(c) for c in columns}})
    return out, answers
