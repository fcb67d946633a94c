"""EmbeddedStore: pyoxigraph on disk (RocksDB), read by forked workers from checkpoints.

Writes go to the on-disk store as one transaction (one SPARQL Update, or one `extend` of quads
for the loader's batches: a kill mid-write leaves the previous state). Queries with a deadline
run in forked workers (see `workers.py`), in two pools: one for the named queries behind the
REST API, one for /sparql (at a lower CPU priority once a query runs long), so that expensive
protocol queries cannot take the workers ordinary answers need. Each worker reads a read-only
checkpoint of the committed store (`snapshots.py`; a small store, it copies into its own
memory between requests): it shares no writable memory with the server, so its reads copy
nothing. /sparql awaits its worker on the event loop (`protocol_query_async`), and each /sparql
worker runs several queries at once in threads (`muxpool.py`). Calls without
a deadline (our own lookups, ask, construct) read the on-disk store in the calling thread.
Every worker is bounded in memory, and a /sparql answer in size. See docs/decisions/store.md.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ccmkg.errors import BadParameter, QueryRejected, StoreError
from ccmkg.settings import Settings
from ccmkg.sparql_guard import inject_values
from ccmkg.store.base import ProtocolResult, Rows
from ccmkg.store.freshbuild import FreshBuild
from ccmkg.store.muxpool import MuxPool
from ccmkg.store.rdfterms import (
    from_plain,
    graph_from_triples,
    graph_quads,
    plain_rows,
    replace_update,
    to_oxigraph,
    values_block,
)
from ccmkg.store.results import (
    cap,
    solution_rows,
    write_boolean,
    write_solutions,
    write_triples,
)
from ccmkg.store.snapshots import CheckpointReader, Snapshots, copy_limit
from ccmkg.store.workers import QueryPool

log = logging.getLogger(__name__)

# After a committed write, the query workers of the new version are forked once the store has
# had no write for this long, so that the first query after an ingest finds them ready (1M
# triples, the first query 1 s after a write: 110 -> 33 ms, issue #16). A load, whose writes
# come closer together, forks none until it ends: forking after each write dominated its time.
WARM_AFTER_WRITE_S = 0.5


@dataclass(frozen=True)
class _Dataset:
    """The dataset of one query: protocol graphs if given, else FROM, else the default graph
    (which the writes keep equal to the de-duplicated union of the named graphs)."""

    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    base_iri: str | None = None  # the service's base for relative IRIs in queries
    union: bool = False  # the default graph is the union of the named graphs (staging only)

    def kwargs(self, query: str) -> dict[str, Any]:
        base: dict[str, Any] = {"base_iri": self.base_iri}
        if self.union:
            base["use_default_graph_as_union"] = True
        if self.default_graph_uris or self.named_graph_uris:
            # SPARQL Protocol: given graphs replace FROM/FROM NAMED; absent parts are empty.
            return {
                **base,
                "default_graph": [ox.NamedNode(u) for u in self.default_graph_uris],
                "named_graphs": [ox.NamedNode(u) for u in self.named_graph_uris],
            }
        return base


def _run(
    store: ox.Store,
    query: str,
    substitutions: Mapping[str, Node] | None = None,
    dataset: _Dataset = _Dataset(),
) -> Any:
    """Run a query on a pyoxigraph store with values bound by substitution.

    Substitution makes each bound variable a constant inside every pattern, which pyoxigraph
    plans well (a VALUES block outside a GRAPH pattern is joined late: 0.2 ms vs 8.5 ms on the
    corpus, growing with the store). pyoxigraph substitutes only projected variables; for the
    others the remote store's method is used: VALUES at the start of the WHERE group.

    Raises:
        QueryRejected: the query does not parse (the parser's message is kept).
        BadParameter: a graph IRI or binding is invalid.
    """
    try:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): to_oxigraph(v) for k, v in (substitutions or {}).items()
        }
        try:
            return store.query(query, substitutions=subs or None, **dataset.kwargs(query))
        except RuntimeError as exc:
            if not substitutions or "does not contain" not in str(exc):
                raise
            bound = inject_values(query, values_block(substitutions))
            return store.query(bound, **dataset.kwargs(query))
    except SyntaxError as exc:
        raise QueryRejected(f"SPARQL syntax error: {exc}", hint="Check the query text.") from exc
    except ValueError as exc:
        raise BadParameter(str(exc)) from exc


def _select_rows(
    store: ox.Store,
    query: str,
    bindings: Mapping[str, Node] | None,
    max_rows: int | None,
    dataset: _Dataset,
) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    result = _run(store, query, bindings, dataset)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryRejected("Expected a SELECT query.")
    variables, rows = solution_rows(result)
    taken, truncated = cap(rows, max_rows)
    return variables, plain_rows(taken), truncated


def _protocol(
    store: ox.Store,
    query: str,
    media_type: str,
    dataset: _Dataset,
    max_rows: int | None,
    max_bytes: int | None = None,
) -> tuple[bytes, bool]:
    result = _run(store, query, None, dataset)
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), media_type), False
    if isinstance(result, ox.QuerySolutions):
        variables, rows = solution_rows(result)
        return write_solutions(variables, rows, media_type, max_rows, max_bytes)
    return write_triples(result, media_type, max_rows, max_bytes)


def _handle(store: ox.Store, request: tuple[Any, ...]) -> Any:
    """What a worker does with one request (runs in the forked child)."""
    kind, args = request
    if kind == "select":
        return _select_rows(store, *args)
    if kind == "protocol":
        return _protocol(store, *args)
    if kind == "graphs":
        return _graph_counts(store)
    raise ValueError(f"unknown request {kind!r}")


def _graph_counts(store: ox.Store) -> dict[str, int]:
    counts = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(counts, ox.QuerySolutions)
    return {str(row["g"].value): int(row["n"].value) for row in counts}  # type: ignore[union-attr]


class _Reader:
    """A worker's handler: reads its checkpoint (or its private copy of it) in the child."""

    def __init__(self, path: Path, copy_max_quads: int = 0) -> None:
        self.path = path
        self._source = CheckpointReader(path, copy_max_quads)

    def start(self) -> None:
        """In the child, before its first request (a failure is reported by that request)."""
        with contextlib.suppress(OSError):
            self._source.open()

    def background(self) -> bool | None:
        """A slice of the copy into memory (see CheckpointReader); False when done, None when
        there is nothing to do before the next request."""
        return self._source.background()

    def __call__(self, request: tuple[Any, ...]) -> Any:
        try:
            store = self._source.store()
        except OSError as exc:
            raise StoreError(f"A query worker could not open the store: {exc}") from exc
        began = time.thread_time()  # a /sparql worker runs several requests in threads
        try:
            return _handle(store, request)
        finally:
            self._source.charge(time.thread_time() - began)


class _Readers:
    """Calls reading the on-disk handle in the server's threads, and the one write that must
    wait until there are none (`swap_in_graphs` closes the handle and moves its directory)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._reading = 0
        self._exclusive = False

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._exclusive)
            self._reading += 1
        try:
            yield
        finally:
            with self._cond:
                self._reading -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._exclusive = True
            self._cond.wait_for(lambda: self._reading == 0)
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


def _rows(variables: list[str], raw: list[tuple[Any, ...]], truncated: bool) -> Rows:
    """rdflib rows from `_select_rows`' plain ones. Each distinct term is converted once per
    process (`from_plain` keeps its conversions): a list's rows repeat the same labels, dates and
    quotes, and building an rdflib Literal parses its value (at 1M triples, /presidencies: 8,360
    terms, 2,230 distinct; 72 → 34 ms once per answer)."""
    return Rows(
        variables=variables,
        rows=[{v: from_plain(t) for v, t in zip(variables, row, strict=True)} for row in raw],
        truncated=truncated,
    )


class EmbeddedStore:
    """The default store: durable on disk, read by time-limited workers, one writer process."""

    kind = "embedded"

    def __init__(self, settings: Settings) -> None:
        self.path = Path(settings.store)
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._disk: ox.Store | None = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"Cannot open the embedded store at {self.path}: {exc}",
                hint=_open_hint(str(exc), settings),
            ) from exc
        # A store half-built by a swap that was killed: ours now that we hold the lock.
        shutil.rmtree(self._fresh_path(), ignore_errors=True)
        self._dataset = _Dataset(base_iri=settings.base_iri)
        self._write_lock = threading.RLock()
        self._building = threading.Lock()  # one fresh store built at a time (`start_swap`)
        self._readers = _Readers()
        self._version = 0  # committed writes since open: names the workers' checkpoint
        self._warm_timer: threading.Timer | None = None  # forks the workers after a write
        self._closing = False
        self._snapshots = Snapshots(self.path)
        self._copy_max_quads = copy_limit(
            settings.worker_copy_max_quads, settings.query_memory_mb * 2**20
        )
        self._max_response_bytes = settings.max_response_bytes
        self._graph_counts: tuple[int, dict[str, int]] | None = None
        self._count_timeout_s = max(settings.query_timeout_s, 60.0)
        memory = settings.query_memory_mb * 2**20
        self._pool = QueryPool(
            settings.query_workers,
            _unprepared,
            self._write_lock,
            memory_bytes=memory,
            prepare=self._reader,
        )
        self._sparql_pool = MuxPool(
            settings.sparql_workers,
            settings.sparql_worker_threads,
            self._write_lock,
            self._reader,
            memory_bytes=memory,
            nice=settings.sparql_worker_nice,
            nice_after_s=settings.sparql_nice_after_ms / 1000,
        )
        self._pool.start()
        self._sparql_pool.start()

    def _reader(self) -> _Reader:
        """The handler of a worker about to be forked (the pool holds the write lock): it reads
        the checkpoint of the current version; checkpoints no worker reads any more go."""
        try:
            path = self._snapshots.current(self._open_disk(), self._version)
        except OSError as exc:  # e.g. the disk is full
            raise StoreError(
                f"Cannot make the read checkpoint of the store: {exc}",
                hint=f"Queries read a checkpoint made inside {self.path}: it needs a little "
                "free space and hard links on that file system.",
            ) from exc
        in_use = [h.path for pool in (self._pool, self._sparql_pool) for h in pool.handlers()
                  if isinstance(h, _Reader)]  # fmt: skip
        self._snapshots.prune(in_use)
        return _Reader(path, self._copy_max_quads)

    def _open_disk(self) -> ox.Store:
        if self._disk is None:
            raise StoreError("The store is closed.")
        return self._disk

    # Queries ---------------------------------------------------------------------------

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> Rows:
        """SELECT with values substituted; in a worker process when a time limit is given."""
        if timeout_s is None:
            with self._readers.shared():
                answer = _select_rows(self._open_disk(), query, bindings, max_rows, self._dataset)
            return _rows(*answer)
        request = ("select", (query, bindings, max_rows, self._dataset))
        return _rows(*self._pool.run(request, timeout_s))

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        with self._readers.shared():
            result = _run(self._open_disk(), query, bindings, self._dataset)
            if not isinstance(result, ox.QueryBoolean):
                raise QueryRejected("Expected an ASK query.")
            return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        with self._readers.shared():
            result = _run(self._open_disk(), query, bindings, self._dataset)
            if not isinstance(result, ox.QueryTriples):
                raise QueryRejected("Expected a CONSTRUCT or DESCRIBE query.")
            return graph_from_triples(result)

    def protocol_query(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        max_rows: int | None = None,
        timeout_s: float | None = None,
    ) -> ProtocolResult:
        """The /sparql answer, serialised in the worker so that only bytes cross the pipe."""
        args = self._protocol_args(
            query, media_type, default_graph_uris, named_graph_uris, max_rows
        )
        if timeout_s is None:
            with self._readers.shared():
                body, truncated = _protocol(self._open_disk(), *args)
        else:
            body, truncated = self._sparql_pool.run(("protocol", args), timeout_s)
        return ProtocolResult(body=body, media_type=media_type, truncated=truncated)

    def _protocol_args(
        self,
        query: str,
        media_type: str,
        default_graph_uris: list[str] | None,
        named_graph_uris: list[str] | None,
        max_rows: int | None,
    ) -> tuple[Any, ...]:
        """What a worker (or `_protocol` in this thread) needs to answer a protocol request."""
        dataset = _Dataset(
            tuple(default_graph_uris or ()), tuple(named_graph_uris or ()), self._dataset.base_iri
        )
        return (query, media_type, dataset, max_rows, self._max_response_bytes)

    async def protocol_query_async(
        self,
        query: str,
        media_type: str,
        *,
        default_graph_uris: list[str] | None = None,
        named_graph_uris: list[str] | None = None,
        max_rows: int | None = None,
        timeout_s: float,
    ) -> ProtocolResult:
        """`protocol_query` with a time limit, awaited on the event loop (no thread waits on
        the worker's pipe: QueryPool.run_async)."""
        args = self._protocol_args(
            query, media_type, default_graph_uris, named_graph_uris, max_rows
        )
        body, truncated = await self._sparql_pool.run_async(("protocol", args), timeout_s)
        return ProtocolResult(body=body, media_type=media_type, truncated=truncated)

    @property
    def data_generation(self) -> int:
        """Bumped by every committed write (the pools are renewed): a key for answer caches."""
        return self._sparql_pool.generation

    # Writes ----------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[str, Graph], *, delete: Iterable[str] = ()) -> None:
        """All or nothing: one transaction on disk (one SPARQL Update).

        Raises:
            StoreError: nothing was written.
        """
        update = replace_update(graphs, delete)
        if update:
            self._write(update)

    def add_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """All or nothing: new named graphs and their default-graph triples as quads, in one
        transaction on disk (`Store.extend`). No update text:
        the loader's bulk path, one call per batch of documents.

        Raises:
            BadParameter: a graph is already in the store; nothing was written.
            StoreError: nothing was written.
        """
        quads = graph_quads(graphs)
        with self._write_lock:
            disk = self._open_disk()
            _refuse_held(disk, graphs, "add_graphs")
            if not quads:
                return
            try:
                disk.extend(quads)
                disk.flush()
            except (OSError, ValueError) as exc:
                raise StoreError(f"The write failed and nothing was stored: {exc}") from exc
            self._committed()

    def swap_in_graphs(self, graphs: Mapping[str, str]) -> bool:
        """All or nothing, for large first loads: `start_swap`, every graph added to the
        build, then `swap_in` (see there).

        Raises:
            BadParameter: a graph is already in the store, or a text is not N-Triples with
                one triple per line; nothing was written.
            StoreError: nothing was written (or a build is under way already).
        """
        build = self.start_swap()
        if build is None:
            raise StoreError("Another load is building a fresh store; nothing was written.")
        try:
            for name, text in graphs.items():
                build.add(name, text)
            _refuse_held(self._open_disk(), graphs, "swap_in_graphs")
        except BaseException:
            self.abandon_swap(build)
            raise
        return self.swap_in(build)

    def start_swap(self) -> FreshBuild | None:
        """A fresh store directory beside this one, to bulk-load new named graphs into (by
        pieces, in the background) and swap in with `swap_in`; None while another is built.
        """
        if not self._building.acquire(blocking=False):
            return None
        return FreshBuild(self._fresh_path())

    def swap_in(self, build: FreshBuild) -> bool:
        """All or nothing: the new named graphs of `build` (N-Triples text as pyoxigraph
        writes it, one triple per line) and their triples in the default graph, with what the
        store holds now, bulk-loaded into the fresh directory, which is then swapped in with
        one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`). `bulk_load` is not
        transactional, but a kill leaves either the old directory in place (the half-built
        one lies beside it, removed when the store is next opened) or the new one whole.
        In-process readers of the on-disk handle are waited for, and wait, while the
        directories move (an open handle writes by path).

        Returns False, with nothing written, where the file system cannot exchange two
        directories (the caller then writes with `add_graphs`).

        Raises:
            BadParameter: a graph is already in the store; nothing was written.
            StoreError: nothing was written.
        """
        try:
            with self._write_lock:
                if self._disk is None:
                    raise StoreError("The store is closed.")
                _refuse_held(self._disk, build.graphs, "swap_in_graphs")
                if build.empty:
                    return True
                try:
                    build.finish(self._disk.dump(format=ox.RdfFormat.N_QUADS) or b"")
                except OSError as exc:
                    raise StoreError(f"The write failed and nothing was stored: {exc}") from exc
                with self._readers.exclusive():
                    if not self._exchange_with(build.path):
                        return False
                self._committed()
            return True
        finally:
            self.abandon_swap(build)  # the old store (or the unused build) goes

    def abandon_swap(self, build: FreshBuild) -> None:
        """Drop a build that will not be swapped in, or the old store it holds after a swap
        (its directory goes); idempotent."""
        build.abandon()
        if not build.released:
            build.released = True
            self._building.release()

    def _exchange_with(self, fresh: Path) -> bool:
        """Exchange the store's directory with `fresh` (readers held off, write lock held);
        False, the store as it was, where the file system cannot."""
        assert self._disk is not None
        self._disk.flush()
        self._disk = None  # closed before its directory moves: RocksDB writes by path
        try:
            _exchange(fresh, self.path)
        except OSError:
            log.warning("cannot exchange %s and %s; writing by transactions", fresh, self.path)
            self._disk = ox.Store(str(self.path))
            return False
        try:
            self._disk = ox.Store(str(self.path))
        except OSError as exc:  # written and whole on disk; this process cannot go on
            raise StoreError(
                f"The load was written, but the store could not be reopened: {exc}",
                hint="Restart: the store directory holds the new data.",
            ) from exc
        return True

    def _fresh_path(self) -> Path:
        """Where `swap_in_graphs` builds the next store: beside it, on the same file system."""
        return self.path.with_name(f".{self.path.name}.fresh")

    def clear(self) -> None:
        """Remove every graph, in one transaction."""
        self._write("DROP ALL")

    def _write(self, update: str) -> None:
        with self._write_lock:
            if self._disk is None:
                raise StoreError("The store is closed.")
            try:
                self._disk.update(update)
                self._disk.flush()
            except (OSError, SyntaxError, ValueError) as exc:
                raise StoreError(f"The write failed and nothing was stored: {exc}") from exc
            self._committed()

    def _committed(self) -> None:
        """After a committed write (write lock held): workers of the old version retire, the
        next fork reads a new checkpoint."""
        self._version += 1
        self._pool.renew()
        self._sparql_pool.renew()
        if self._warm_timer is not None:
            self._warm_timer.cancel()
        self._warm_timer = threading.Timer(WARM_AFTER_WRITE_S, self._warm, (self._version,))
        self._warm_timer.daemon = True
        self._warm_timer.start()

    def _warm(self, version: int) -> None:
        """Fork the workers of `version` if no write came since (the timer's thread). Best
        effort: when it cannot, the next query forks them, as it would without this."""
        with self._write_lock:
            if self._closing or self._disk is None or version != self._version:
                return
            try:
                self._pool.start()
                self._sparql_pool.start()
            except (StoreError, OSError) as exc:
                log.warning("query workers not started after a write: %s", exc)

    def delete_graph(self, graph: str) -> None:
        self.replace_graphs({}, delete=[graph])

    # Inspection ------------------------------------------------------------------------

    def graphs(self) -> dict[str, int]:
        """Triples per named graph, counted in a worker and kept until the next write.

        Why: the count walks every quad (~2 s at 1M triples); in a worker it is bounded in
        time and leaves the server's threads free, and the answer is reused until a write.
        """
        generation = self._pool.generation
        cached = self._graph_counts
        if cached is not None and cached[0] == generation:
            return dict(cached[1])
        counts: dict[str, int] = self._pool.run(("graphs", ()), self._count_timeout_s)
        self._graph_counts = (generation, counts)
        return dict(counts)

    def triple_count(self) -> int:
        """Triples in the named graphs (the default graph is their union, not counted again)."""
        return sum(self.graphs().values())

    def graph_triples(self, graph: str) -> Graph:
        try:
            name = ox.NamedNode(graph)
        except ValueError as exc:
            raise BadParameter(f"Not a valid graph IRI: {graph!r}") from exc
        with self._readers.shared():
            return graph_from_triples(self._open_disk().quads_for_pattern(None, None, None, name))

    def dump_nquads(self) -> bytes:
        """The named graphs; the default graph is derived from them, so it is left out."""
        with self._readers.shared():
            disk = self._open_disk()
            named = (q for q in disk if not isinstance(q.graph_name, ox.DefaultGraph))
            return ox.serialize(named, format=ox.RdfFormat.N_QUADS) or b""

    def close(self) -> None:
        """Stop the workers and release the store directory for another process (idempotent)."""
        with self._write_lock:
            self._closing = True  # a warm-up that has not started yet forks nothing
            if self._warm_timer is not None:
                self._warm_timer.cancel()
        self._pool.close()
        self._sparql_pool.close()
        with self._write_lock:
            self._snapshots.close()
            if self._disk is not None:
                self._disk.flush()
                # Dropping the last reference closes RocksDB and releases its lock file.
                self._disk = None


def _unprepared(request: Any) -> Any:
    """Never called: every worker gets its own handler from `EmbeddedStore._reader`."""
    raise StoreError("a query worker was started without its snapshot")


def _refuse_held(disk: ox.Store, graphs: Iterable[str], method: str) -> None:
    """Adding is only for new graphs: name the ones the store holds already.

    Raises:
        BadParameter: some of `graphs` are in the store.
    """
    held = sorted(g for g in graphs if disk.contains_named_graph(ox.NamedNode(g)))
    if held:
        raise BadParameter(
            f"graphs already in the store: {', '.join(held[:3])}",
            hint=f"replace_graphs replaces a graph; {method} only adds new ones.",
        )


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> None:
    """Swap two directories in one atomic step (Linux `renameat2` with RENAME_EXCHANGE).

    Raises:
        OSError: the system or file system cannot (not Linux, old glibc, some file systems).
    """
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError as exc:
        raise OSError("renameat2 is not available") from exc
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def _open_hint(error: str, settings: Settings) -> str:
    """What to do when the store directory cannot be opened: when it is locked, a server (or
    another command) owns it, and the way in is that server's /sparql endpoint."""
    if "lock" in error.lower():
        return (
            "The store is locked: a running server (`ccmkg serve`) or another ccmkg command "
            "holds it, and one process owns a store directory. Query the server instead: "
            f"--store http://127.0.0.1:{settings.port}/sparql (PORT is the one `ccmkg serve` "
            "listens on), or stop it first."
        )
    return "Another ccmkg process may hold it open; one process owns a store directory."
