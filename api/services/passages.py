"""What the lists show of their passages, read once per passage between two writes.

Why: at 1M triples, reading each passage's document, section, quote and offsets was most of
the time of the lists that cite many passages (GET /coordinators?area=: 880 passages, issue
#16), and a loaded passage never changes until its document is replaced. So a list reads its
items with passage IRIs only, and `with_details` adds each passage's details: from memory when
an earlier answer (of any list) read them since the last committed write, else from one query
for the passages not held (api_passage_details, a VALUES block over their IRIs).

The query packs each passage's details in one string (`details`: the values separated by
spaces, each with "%" written %25 and a space %20):
at 1M the server made an rdflib term of each of the ~3,000 values of 880 passages (~60 ms of
a first answer after a write); one string a passage is one term, unpacked here to plain
strings (what the lists read of them: their lexical forms), which the memory holds.

The memory is per store, keyed by the store's data generation (bumped by every committed write
of the embedded store): a lookup under a newer generation drops everything. It is bounded (at
most MAX_PASSAGES passages, the least recently used first out). A store without a generation
(a remote SPARQL server, whose data can change behind our back) keeps nothing: every answer
queries. An answer cut by the row cap keeps nothing either (its last passage may lack rows).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from rdflib import URIRef

from ccmkg.api.rest.runner import Queries
from ccmkg.api.rest.terms import Row, text
from ccmkg.store import Rows, Store

# The values api_passage_details packs in `details`, in order; the last two only for
# reference sources.
DETAILS = ("doc", "docTitle", "docDate", "section", "quote", "pstart", "pend")
REFERENCE = ("sourceUrl", "retrieved")
COLUMNS = DETAILS + REFERENCE
# ~650 B a passage (measured at 1M synthetic triples: 50,000 held, 30.6 MiB): at most ~13 MB.
# The lists of bench/api.py cite ~1,500 passages; every coordinator holding at 1M, ~7,500.
MAX_PASSAGES = 20_000
# IRIs per query. With each passage's details in one term (packed), one query for up to 1,000
# passages is faster than chunks of 200 (1M, cold, in process, alternated in one process,
# medians of 11: /coordinators?area 880 passages 131-176 -> 118-161 ms, /presidencies 440
# passages 75-81 -> 61-68 ms). (Unpacked, it was the other way round: 140-320 ms in one query,
# 72-80 ms in chunks of 100 or 200.)
CHUNK = 1000

# One tuple of COLUMNS' lexical forms per combination, as the query answers them (tuples, not
# dicts: half the memory).
Details = tuple[tuple[str | None, ...], ...]
UNBOUND = "%"  # alone: never what a value is written as


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
        """The held details of these passages under `generation`. A newer generation drops
        everything held; an older one (a request that began before a write already seen) finds
        nothing and leaves the memory as it is."""
        with self._lock:
            if self.generation is None or generation > self.generation:
                self._held.clear()
                self.generation = generation
                return {}
            if generation < self.generation:
                return {}
            found = {iri: self._held[iri] for iri in iris if iri in self._held}
            for iri in found:
                self._held.move_to_end(iri)
            return found

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
    read: dict[str, list[tuple[str | None, ...]]] = {iri: [] for iri in missing}
    for i in range(0, len(missing), CHUNK):
        answer = queries.run_for("api_passage_details", "passage", missing[i : i + CHUNK])
        answers.append(answer)
        for row in answer.rows:
            values = unpack(text(row, "details") or "")
            read.setdefault(text(row, "passage") or "", []).append(values)
    found = {iri: tuple(rows) for iri, rows in read.items()}
    if memory is not None and not any(a.truncated for a in answers):
        memory.put(generation, found)
    return {**held, **found}, answers


def unpack(packed: str) -> tuple[str | None, ...]:
    """COLUMNS' lexical forms from a `details` string of api_passage_details (None: unbound)."""
    values = tuple(
        [
            (v.replace("%20", " ").replace("%25", "%") if "%" in v else v) if v != UNBOUND else None
            for v in packed.split(" ")
        ]
    )
    if len(values) != len(COLUMNS):
        raise ValueError(f"api_passage_details answered {len(values)} values, not {len(COLUMNS)}")
    return values


def with_details(
    queries: Queries, rows: Sequence[Row], *, reference: bool = False
) -> tuple[list[Row], list[Rows]]:
    """`rows` with each row's `passage` replaced by its details: one row per detail row of the
    passage (the product an OPTIONAL over the details gives). Rows with no passage are kept
    as they are, and so are rows whose passage is a blank node (an upload may hold one; it
    cannot be named in another query, so it shows no details). `reference`: also the reference
    page columns (sourceUrl, retrieved). Also the answers read (their truncation counts)."""
    known, answers = details(queries, (p for r in rows if (p := _iri(r))))
    shown = len(COLUMNS) if reference else len(DETAILS)
    out: list[Row] = []
    for row in rows:
        passage = _iri(row)
        if passage is None:
            out.append(row)
            continue
        for values in known.get(passage) or ((None,) * len(COLUMNS),):
            out.append({**row, **dict(zip(COLUMNS[:shown], values[:shown], strict=True))})
    return out, answers


def _iri(row: Row) -> str | None:
    passage = row.get("passage")
    return str(passage) if isinstance(passage, URIRef) else None
