"""Extraction (and, speculatively, emission and SHACL) over every core, in input order.

Extraction is a pure function of a file's name and bytes, so it runs in worker processes.
So does emitting its graph and checking it against the shapes, *as if* no person in it were
re-keyed by the persons already known: the loading process re-keys persons in input order
(`resolve_persons`) and keeps the worker's graph and verdict only when nothing changed; when
a person is merged or flagged, it emits and checks the document again itself. Conflicts with
other documents are added in the loading process (they need the store), and the document is
checked again then. `imap` hands results back in the order the files were given, so a load
gives the same graphs whether it used one process or several.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from ccmkg.loaders.checking import Verdict, check_text, subjects_of
from ccmkg.loaders.crossdoc import meeting_kinds
from ccmkg.loaders.emit import Emitted, emit_set
from ccmkg.loaders.lookups import LookupPart, lookup_part
from ccmkg.loaders.records import Extraction
from ccmkg.loaders.tripleset import NTriplesWriter

Extractor = Callable[[Path, bytes], Extraction]

PR_SET_PDEATHSIG = 1  # linux/prctl.h
CHUNK = 2  # documents per message to a worker: fewer round trips, still a fair spread


@dataclass(frozen=True)
class Emission:
    """A document emitted and checked in a worker, carried back as text, not as a Graph."""

    emitted: Emitted  # its `graph` left empty: the triples are `ntriples`
    ntriples: str
    count: int  # triples
    meetings: tuple[tuple[object, object, object], ...]  # every triple about a meeting node,
    # its terms packed (`_pack`): read with `meeting_triples()`
    subjects: frozenset[str]
    verdict: Verdict
    person_keys: tuple[str, ...]  # before any re-keying
    lookup: LookupPart  # what the lookups of the documents after it read (staged)

    def meeting_triples(self) -> list[tuple[Node, Node, Node]]:
        return [(_unpack(s), _unpack(p), _unpack(o)) for s, p, o in self.meetings]


# A meeting's terms travel packed as plain strings and tuples and are made into rdflib terms
# again through a cache: unpickling rdflib's own terms makes each Literal anew, which parses
# its value (a date: ~20 µs), ~0.4 ms per document in the loading process; the same dates,
# numbers and meeting IRIs come back in document after document. The terms are made from
# the same arguments as pickle makes them (`Literal.__reduce__`), so they are equal.


def _pack(node: Node) -> object:
    if type(node) is URIRef:
        return str(node)
    if type(node) is Literal:
        datatype = None if node.datatype is None else str(node.datatype)
        return (str(node), node.language, datatype)
    return node  # anything else travels as itself


def _unpack(packed: object) -> Node:
    if type(packed) is str:
        return _iri(packed)
    if type(packed) is tuple:
        return _literal(*packed)
    return packed  # type: ignore[return-value]


@lru_cache(maxsize=2**16)
def _iri(value: str) -> URIRef:
    return URIRef(value)


@lru_cache(maxsize=2**16)
def _literal(lexical: str, language: str | None, datatype: str | None) -> Literal:
    return Literal(lexical, language, None if datatype is None else _iri(datatype))


@dataclass(frozen=True)
class Extracted:
    """One file's extraction, or why it failed (the exception's name, message and line)."""

    extraction: Extraction | None
    error: str = ""
    where: str = ""
    emission: Emission | None = None


def person_keys(x: Extraction) -> tuple[str, ...]:
    """The person keys `resolve_persons` may change, in document order."""
    keys = [p.person.key for a in x.attendance for p in a.participants]
    if x.meeting is not None and x.meeting.chair_person is not None:
        keys.append(x.meeting.chair_person.key)
    return tuple(keys)


def _run(extract: Extractor, path: Path, raw: bytes) -> Extracted:
    try:
        return Extracted(extract(path, raw))
    except Exception as exc:  # a document we cannot read must not stop the others
        at = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(at.filename).name}:{at.lineno}"
        return Extracted(None, f"{type(exc).__name__}: {exc}", where)


def _extract_default(item: tuple[Path, bytes]) -> Extracted:
    from ccmkg.loaders.extract import extract_document

    return _run(extract_document, *item)


def _extract_and_emit(base: str, item: tuple[Path, bytes]) -> Extracted:
    """What a worker runs: extract, then emit and check (kept only if no person re-keys)."""
    got = _extract_default(item)
    x = got.extraction
    if x is None:
        return got
    path, raw = item
    x.document.sha256 = hashlib.sha256(raw).hexdigest()
    x.document.file_name = path.name
    try:
        emitted, graph = emit_set(x, base)
        writer = NTriplesWriter()
        text = writer.text(graph)
    except Exception:  # the loading process emits again and reports it there
        return got
    kinds = meeting_kinds()
    is_a = RDF.type
    # scans rather than patterns (`graph.subjects(RDF.type, k)`): a pattern first builds an
    # index of the whole document, which nothing else in a worker needs
    meetings = {t[0] for t in graph if t[2] in kinds and t[1] == is_a and isinstance(t[0], URIRef)}
    emission = Emission(
        emitted=emitted,
        ntriples=text,
        count=len(graph),
        meetings=tuple(
            (_pack(t[0]), _pack(t[1]), _pack(t[2]))
            for t in sorted((t for t in graph if t[0] in meetings), key=lambda t: str(t[0]))
        ),
        subjects=frozenset(subjects_of(graph)),
        verdict=check_text(text, ()),
        person_keys=person_keys(x),
        lookup=lookup_part(graph, writer),
    )
    return replace(got, emission=emission)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_all(
    items: Sequence[tuple[Path, bytes]],
    workers: int,
    extractor: Extractor | None = None,
    *,
    emit_base: str | None = None,
) -> Iterator[Extracted]:
    """Each item's extraction, in input order; in `workers` processes when that can pay off.

    `emit_base`: also emit and check each document in the worker (the package's shapes).
    A caller's own `extractor` (tests) runs in this process: it need not be picklable.
    Workers are forked (the parent's imports and compiled shapes come for free) and stopped
    when the iterator is exhausted or closed.
    """
    if extractor is not None:
        for path, raw in items:
            yield _run(extractor, path, raw)
        return
    work: Callable[[tuple[Path, bytes]], Extracted] = (
        _extract_default if emit_base is None else partial(_extract_and_emit, emit_base)
    )
    if workers <= 1 or len(items) < 2 * CHUNK:
        yield from map(work, items)
        return
    # The first item here, before the fork: it loads the rules (YAML), their compiled
    # patterns, the gazetteers and vocabularies once, and the workers inherit them instead
    # of each loading its own.
    first = work(items[0])
    # Not multiprocessing.Pool: its worker-handler thread also waits on the result queue, so
    # it spins (polling every worker) for as long as a result waits to be read — ~1 CPU s
    # per 1,000 documents, holding the GIL the loading thread needs. The executor's one
    # thread reads each result as it comes.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent)
    try:
        yield first
        yield from pool.map(work, items[1:], chunksize=CHUNK)
    finally:  # closed early (a failed write): the documents not started yet are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _die_with_parent() -> None:
    """A worker killed with its parent: a loader killed -9 leaves no extraction running
    (its workers would wait forever on a queue whose other end they hold themselves)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends when it next reads
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
    # What the worker inherited (compiled shapes, vocabularies, imports) lives as long as it
    # does: out of the collector's sight, each collection walks only the worker's own
    # objects (~8% of a worker's CPU, measured on the corpus and variants).
    gc.freeze()
