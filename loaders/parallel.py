"""Extraction over every core: documents read in worker processes, answered in input order.

Extraction is a pure function of a file's name and bytes, so it can run anywhere; everything
that depends on what was loaded before (persons, conflicts, the store) stays in the loading
process, in input order. `imap` hands the results back in the order the files were given, so
a load gives the same graph whether it used one process or several.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ccmkg.loaders.records import Extraction

Extractor = Callable[[Path, bytes], Extraction]

CHUNK = 4  # documents per message to a worker: fewer round trips, still a fair spread


@dataclass(frozen=True)
class Extracted:
    """One file's extraction, or why it failed (the exception's name, message and line)."""

    extraction: Extraction | None
    error: str = ""
    where: str = ""


def _run(extract: Extractor, path: Path, raw: bytes) -> Extracted:
    try:
        return Extracted(extract(path, raw))
    except Exception as exc:  # a document we cannot read must not stop the others
        at = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(at.filename).name}:{at.lineno}"
        return Extracted(None, f"{type(exc).__name__}: {exc}", where)


def _extract_default(item: tuple[Path, bytes]) -> Extracted:
    """What a worker runs: the package's extractor (a module-level function, so it pickles)."""
    from ccmkg.loaders.extract import extract_document

    return _run(extract_document, *item)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_all(
    items: Sequence[tuple[Path, bytes]], workers: int, extractor: Extractor | None = None
) -> Iterator[Extracted]:
    """Each item's extraction, in input order; in `workers` processes when that can pay off.

    A caller's own `extractor` (tests) runs in this process: it need not be picklable.
    Workers are forked (the parent's imports come for free) and stopped when the iterator
    is exhausted or closed.
    """
    if extractor is not None or workers <= 1 or len(items) < 2 * CHUNK:
        extract = extractor or _default_extractor()
        for path, raw in items:
            yield _run(extract, path, raw)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_extract_default, items, chunksize=CHUNK)


def _default_extractor() -> Extractor:
    from ccmkg.loaders.extract import extract_document

    return extract_document
