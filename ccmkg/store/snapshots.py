"""Read-only checkpoints of the on-disk store, one per committed version, for query workers.

Why: pyoxigraph's in-memory store writes to every quad node a query walks (a reference count
and a lock per node), so query workers forked to share an in-memory copy copied each page they
read (copy-on-write): at 1M triples a query ran 3–7× slower in a fresh worker than warm, and a
warm worker held its own copy of what it had read. A RocksDB checkpoint (`Store.backup`) is a
directory of hard links to the store's immutable table files plus a copy of its small metadata
(~10–40 ms at 1M triples, no data copied). A worker opens it with `Store.read_only`: it shares
no writable memory with the server, and what it reads never changes under it (the writer's
compactions delete their own links; the checkpoint's keep the files). See
docs/decisions/store.md.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)

# Inside the store directory: same file system (hard links), owned by whoever owns the store.
# RocksDB ignores a subdirectory it did not create.
SUBDIR = "ccmkg-read-snapshots"


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
