"""Read-only checkpoints of the on-disk store, one per committed version, for query workers.

Why: pyoxigraph's in-memory store writes to every quad node a query walks (a reference count
and a lock per node), so query workers forked to share an in-memory copy copied each page they
read (copy-on-write): at 1M triples a query ran 3–7× slower in a fresh worker than warm, and a
warm worker held its own copy of what it had read. A RocksDB checkpoint (`Store.backup`) is a
directory of hard links to the store's immutable table files plus a copy of its small metadata
(~10–40 ms at 1M triples, no data copied). A worker opens it with `Store.read_only`: it shares
no writable memory with the server, and what it reads never changes under it (the writer's
compactions delete their own links; the checkpoint's keep the files).

A small store is read from memory instead (`CheckpointReader`): on disk a query costs ~2.5×
what it costs in pyoxigraph's in-memory store (RocksDB lookups per term), so a worker whose
checkpoint holds at most `copy_max_quads` quads copies it into a private in-memory store, in a
thread, while it answers from disk. The copy is the worker's own (built after its start from
the forkserver, shared with no process), so no read copies a page. See docs/decisions/store.md.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)

# Inside the store directory: same file system (hard links), owned by whoever owns the store.
# RocksDB ignores a subdirectory it did not create.
SUBDIR = "ccmkg-read-snapshots"
# A checkpoint whose files take more than this per quad of the copy limit is not counted (a
# count walks an index, ~0.1 µs a quad, holding the interpreter): it is taken as too large.
# Table files hold ~150-260 bytes a quad (1M synthetic triples, the corpus with its passages).
GATE_BYTES_PER_QUAD = 1024
# What a quad of the in-memory copy costs (measured: ~350 bytes on the corpus, 51k quads).
COPY_BYTES_PER_QUAD = 400
# Quads copied per slice: ~5-20 ms, what a request may wait for the copy.
COPY_SLICE = 2000
# CPU seconds a copy costs per quad (measured: 0.24 s for the corpus with the reference data,
# 51k quads). A worker copies its checkpoint once its reads from disk have cost as much CPU as
# the copy will (rent or buy: never more than twice the better choice's cost). A checkpoint a
# write replaces after a few reads (a test, a load checking its lookups) is never copied; one
# serving a stream of queries is, within its first few hundred.
COPY_CPU_PER_QUAD = 5e-6


def copy_limit(max_quads: int, memory_bytes: int) -> int:
    """The copy limit for a worker allowed `memory_bytes` for its queries: a copy may take at
    most a quarter of it (an allocation that fails in the engine aborts the worker)."""
    return min(max_quads, memory_bytes // (4 * COPY_BYTES_PER_QUAD))


class Snapshots:
    """The checkpoints of one store directory: made on demand, removed once nobody reads them.

    Not thread-safe on its own: the store calls it under its write lock.
    """

    def __init__(self, store_dir: Path) -> None:
        self.root = store_dir / SUBDIR
        # Left by a process that was killed: one process owns a store directory (RocksDB's
        # lock, held by our caller by now), so nobody reads them any more.
        shutil.rmtree(self.root, ignore_errors=True)
        self._version = -1
        self._current: Path | None = None

    def current(self, disk: ox.Store, version: int) -> Path:
        """The checkpoint of `version` (the store's count of committed writes), made if new."""
        if self._current is None or self._version != version:
            path = self.root / f"v{version}"
            shutil.rmtree(path, ignore_errors=True)
            self.root.mkdir(parents=True, exist_ok=True)
            disk.backup(str(path))
            self._current, self._version = path, version
        return self._current

    def prune(self, in_use: Iterable[Path]) -> None:
        """Remove every checkpoint but the current one and those still `in_use` by a worker."""
        keep = {*in_use, *([self._current] if self._current else [])}
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if path not in keep:
                log.debug("removing read snapshot %s", path)
                shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        """Remove them all (the workers are stopped)."""
        with contextlib.suppress(OSError):
            shutil.rmtree(self.root)
        self._current = None


def files_bytes(path: Path) -> int:
    """The size of a checkpoint's files (its table files are links shared with the store)."""
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


class CheckpointReader:
    """What one query worker reads: its checkpoint on disk, then, if the store holds at most
    `copy_max_quads` quads, a private in-memory copy of it (0: never).

    The copy is made once the queries read from disk have cost as much CPU as it will
    (`charge`, COPY_CPU_PER_QUAD). Created in the server, pickled to the worker, opened there
    (`open`). The worker builds the copy a slice at a time while no request waits
    (`background`, see workers.py): queries are answered from disk meanwhile, so none waits for
    the copy (nor counts it in its time limit).
    Not a thread: pyoxigraph holds the interpreter lock while it iterates a store, so a thread
    copying would stop the worker from even reading its next request.
    """

    def __init__(self, path: Path, copy_max_quads: int = 0) -> None:
        self.path = path
        self.copy_max_quads = copy_max_quads
        self._store: ox.Store | None = None
        self._copy: ox.Store | None = None
        self._quads: Iterator[ox.Quad] | None = None
        self._to_check = False  # whether the quads are still to be counted
        self._quads_count: int | None = None
        self._spent = 0.0  # CPU seconds of the queries answered from the disk so far
        self.copied = False  # whether the queries now read the in-memory copy

    def open(self) -> None:
        """Open the checkpoint read-only; plan the copy if the store may be small enough.

        Raises:
            OSError: the checkpoint cannot be opened (the worker reports it per request).
        """
        if self._store is not None:
            return
        self._store = ox.Store.read_only(str(self.path))
        limit = self.copy_max_quads
        self._to_check = limit > 0 and files_bytes(self.path) <= limit * GATE_BYTES_PER_QUAD

    def charge(self, cpu_seconds: float) -> None:
        """Count what a query read from the disk cost (the copy is bought once it is paid)."""
        if not self.copied:
            self._spent += cpu_seconds

    def background(self) -> bool | None:
        """Copy the next slice of quads (~5-20 ms); False once there is nothing left to do,
        None while the reads from disk have cost less than the copy would (nothing to do
        before the next request)."""
        if self._to_check:
            if self._store is None:
                return False
            if self._quads_count is None:
                self._quads_count = len(self._store)  # ~0.1 µs a quad, once
            if self._quads_count > self.copy_max_quads:
                self._to_check = False
                return False
            if self._spent < self._quads_count * COPY_CPU_PER_QUAD:
                return None
            self._to_check = False
            self._copy, self._quads = ox.Store(), iter(self._store)
            return True
        if self._copy is None or self._quads is None:
            return False
        try:
            chunk = list(itertools.islice(self._quads, COPY_SLICE))
            self._copy.extend(chunk)  # in memory, the order of the quads does not matter
        except Exception:  # e.g. MemoryError: the worker keeps reading the disk
            log.debug("no in-memory copy of %s", self.path, exc_info=True)
            self._copy = self._quads = None
            return False
        if len(chunk) < COPY_SLICE:
            self._store, self.copied = self._copy, True
            self._copy = self._quads = None
            return False
        return True

    def store(self) -> ox.Store:
        """The store to query now (opened on first use if `open` failed at the start)."""
        if self._store is None:
            self.open()
        assert self._store is not None
        return self._store
