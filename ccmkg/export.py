"""The whole dataset as one file: N-Quads, TriG, Turtle (union), JSON-LD or CSV.

Named graphs are kept (except in Turtle, which has none: there the union is written) and the
VoID/DCAT description from `ccmkg.void` travels inside, in its own named graph. The store's N-Quads
dump is re-read by pyoxigraph's parser and written by its serialiser, which writes as it reads:
the HTTP dumps stream their output in chunks as the serialiser produces them.
"""

from __future__ import annotations

import csv
import io
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox
from rdflib import Graph

from ccmkg.model.namespaces import PREFIXES
from ccmkg.store import Store
from ccmkg.store.rdfterms import to_oxigraph
from ccmkg.void import DatasetIris, describe


def _graph_quads(graph: Graph, name: str) -> Iterator[ox.Quad]:
    g = ox.NamedNode(name)
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g)  # type: ignore[arg-type]


def dataset_quads(store: Store, base_iri: str) -> Iterator[ox.Quad]:
    """Every quad of the store, then the description graph.

    The store's own N-Quads dump is parsed by pyoxigraph as it is consumed: measured 30–50×
    faster than reading graph by graph through rdflib terms (see docs/decisions/publishing.md),
    at the cost of holding the store's dump bytes while it is written out. A description graph
    already in the store (a re-loaded dump) is replaced by a fresh one, so a dump of a
    re-loaded dump is the same as the dump it came from.
    """
    void_graph = ox.NamedNode(str(DatasetIris(base_iri).graph))
    for quad in ox.parse(store.dump_nquads(), ox.RdfFormat.N_QUADS):
        if quad.graph_name != void_graph:
            yield quad
    yield from _graph_quads(describe(store, base_iri), void_graph.value)


def _union_triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """The union graph: each triple once, whichever graphs it sits in."""
    seen: set[ox.Triple] = set()
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            yield t


def _csv_cell(term: object) -> str:
    """N-Triples syntax, so a cell keeps IRI/literal/datatype/language apart and re-parses."""
    return str(term)


class _Utf8Sink:
    """What csv.writer needs (a text `write`) on top of a binary output."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(text.encode("utf-8")) or 0


def _write_csv(quads: Iterable[ox.Quad], out: IO[bytes]) -> None:
    """One row per quad: graph, subject, predicate, object."""
    writer = csv.writer(_Utf8Sink(out))
    writer.writerow(["graph", "subject", "predicate", "object"])
    for q in quads:
        writer.writerow([_csv_cell(t) for t in (q.graph_name, q.subject, q.predicate, q.object)])


Writer = Callable[[Iterable[ox.Quad], IO[bytes]], None]


def _ox_writer(fmt: ox.RdfFormat, union: bool = False) -> Writer:
    """A writer using pyoxigraph's serialiser, which writes as it consumes its input."""

    def write(quads: Iterable[ox.Quad], out: IO[bytes]) -> None:
        data: Iterable[ox.Quad] | Iterable[ox.Triple] = _union_triples(quads) if union else quads
        prefixes = None if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD) else PREFIXES
        ox.serialize(data, out, fmt, prefixes=prefixes)

    return write


@dataclass(frozen=True)
class ExportFormat:
    """One output syntax: its name on the command line, media type, file suffix and writer."""

    name: str
    media_type: str
    suffix: str
    write: Writer
    keeps_graphs: bool = True


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("nq", "application/n-quads", "nq", _ox_writer(ox.RdfFormat.N_QUADS)),
        ExportFormat("trig", "application/trig", "trig", _ox_writer(ox.RdfFormat.TRIG)),
        ExportFormat(
            "ttl", "text/turtle", "ttl", _ox_writer(ox.RdfFormat.TURTLE, union=True), False
        ),
        ExportFormat("jsonld", "application/ld+json", "jsonld", _ox_writer(ox.RdfFormat.JSON_LD)),
        ExportFormat("csv", "text/csv", "csv", _write_csv),
    )
}


def export(store: Store, base_iri: str, fmt: str, out: IO[bytes]) -> None:
    """Write the whole dataset with its description to `out` in format `fmt` (a FORMATS key).

    Raises:
        KeyError: unknown format.
        StoreError: the store failed while being read.
    """
    FORMATS[fmt].write(dataset_quads(store, base_iri), out)


class _QueueWriter(io.RawIOBase):
    """A binary sink that hands each written chunk to a bounded queue (back-pressure)."""

    def __init__(self, chunks: queue.Queue[bytes | BaseException | None], stop: threading.Event):
        self._chunks = chunks
        self._stop = stop

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        if self._stop.is_set():
            raise BrokenPipeError("the client went away")
        self._chunks.put(bytes(b))
        return len(b)


def stream_export(store: Store, base_iri: str, fmt: str) -> Iterator[bytes]:
    """The export as a stream of chunks, produced by a worker thread as it serialises.

    Closing the iterator early (the client went away) stops the worker at its next write.
    """
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=16)
    stop = threading.Event()

    def work() -> None:
        try:
            export(store, base_iri, fmt, _QueueWriter(chunks, stop))  # type: ignore[arg-type]
            chunks.put(None)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            if not stop.is_set():
                chunks.put(exc)

    worker = threading.Thread(target=work, name=f"export-{fmt}", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue
            try:
                chunks.get_nowait()
            except queue.Empty:
                worker.join(0.05)
