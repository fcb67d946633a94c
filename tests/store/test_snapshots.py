"""Read checkpoints and the private in-memory copy a worker makes of a small store (issue 16,
item 4): the copy holds every quad of the checkpoint (the default graph too) and answers as the
disk does; only a checkpoint that has answered enough queries is copied; a store over the limit,
or the limit 0, is read from disk; a worker answers requests while its copy is being made (the
copy waits, the request does not)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from ccmkg.store.snapshots import COPY_CPU_PER_QUAD, CheckpointReader, copy_limit
from ccmkg.store.workers import QueryPool

EX = "https://example.org/"
GROUPED = (
    "SELECT ?g (COUNT(*) AS ?n) (MIN(STR(?o)) AS ?low) (MAX(STR(?o)) AS ?high) "
    "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
)


def _checkpoint(tmp_path: Path, triples: int) -> Path:
    """A store on disk with `triples` triples in two named graphs, each also in the default
    graph (as the writes keep it), and a blank node; its checkpoint, as the server makes it."""
    disk = ox.Store(str(tmp_path / "store"))
    quads = []
    for i in range(triples):
        s, p = ox.NamedNode(f"{EX}s{i % 7}"), ox.NamedNode(f"{EX}p")
        o = ox.Literal(f"value {i}", language="en") if i % 2 else ox.Literal(str(i))
        quads.append(ox.Quad(s, p, o, ox.NamedNode(f"{EX}g{i % 2}")))
        quads.append(ox.Quad(s, p, o, ox.DefaultGraph()))
    blank = ox.BlankNode()
    quads.append(ox.Quad(blank, ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}s1"), ox.DefaultGraph()))
    disk.extend(quads)
    disk.backup(str(tmp_path / "checkpoint"))
    del disk
    return tmp_path / "checkpoint"


def _answers(store: ox.Store) -> list[Any]:
    rows = store.query(GROUPED)
    assert isinstance(rows, ox.QuerySolutions)
    return [tuple(str(t) for t in row) for row in rows]


def test_a_small_checkpoint_is_copied_into_memory_and_answers_as_the_disk(tmp_path: Path) -> None:
    path = _checkpoint(tmp_path, 500)
    disk = ox.Store.read_only(str(path))
    reader = CheckpointReader(path, copy_max_quads=10_000)
    reader.open()
    assert reader.background() is None  # no read yet: not worth a copy
    assert _answers(reader.store()) == _answers(disk)
    reader.charge(1001 * COPY_CPU_PER_QUAD)  # reads from disk that cost what the copy will
    assert not reader.copied  # until the copy is made, queries read the disk
    slices = 0
    while reader.background():
        slices += 1
        assert not reader.copied
    assert reader.copied and slices >= 1
    copy = reader.store()
    assert set(copy) == set(disk)  # every quad, the default graph's and the blank node's too
    assert len(copy) == 1001
    assert _answers(copy) == _answers(disk)
    assert not reader.background()  # nothing left to do


@pytest.mark.parametrize("limit", [0, 1000])
def test_over_the_limit_or_off_the_checkpoint_is_read_from_disk(tmp_path: Path, limit: int) -> None:
    path = _checkpoint(tmp_path, 500)  # 1,001 quads
    reader = CheckpointReader(path, copy_max_quads=limit)
    reader.open()
    reader.charge(1.0)
    while reader.background():
        pass
    assert reader.background() is False  # decided: nothing to copy
    assert not reader.copied
    assert _answers(reader.store()) == _answers(ox.Store.read_only(str(path)))


def test_a_checkpoint_is_copied_once_its_reads_have_cost_what_the_copy_will(
    tmp_path: Path,
) -> None:
    """Rent or buy: a checkpoint a write replaces after a few reads (a test, a load's lookups)
    is never copied; one serving a stream of queries is."""
    reader = CheckpointReader(_checkpoint(tmp_path, 500), copy_max_quads=10_000)
    reader.open()
    price = 1001 * COPY_CPU_PER_QUAD
    for _ in range(9):
        reader.store()
        reader.charge(price / 10)
        assert reader.background() is None
    assert not reader.copied
    reader.charge(price / 10)
    assert reader.background() is True  # the copy starts


def test_the_copy_takes_at_most_a_quarter_of_a_worker_s_query_memory() -> None:
    assert copy_limit(100_000, 1024 * 2**20) == 100_000
    assert copy_limit(100_000, 64 * 2**20) < 100_000
    assert copy_limit(100_000, 64 * 2**20) * 400 <= 16 * 2**20


class _Slow:
    """A handler with background work: 30 slices of 0.05 s; each answer says how far it is."""

    def __init__(self) -> None:
        self.done = 0

    def background(self) -> bool:
        time.sleep(0.05)
        self.done += 1
        return self.done < 30

    def __call__(self, request: Any) -> int:
        return self.done


def test_a_worker_answers_between_slices_of_its_background_work() -> None:
    pool = QueryPool(1, _Slow(), threading.RLock())
    pool.start()
    try:
        first = pool.run("how far", timeout_s=10)
        assert first < 30  # answered before the 1.5 s of background work were over
        later = first
        while later < 30:  # the work goes on between requests, to its end
            time.sleep(0.2)
            later = pool.run("how far", timeout_s=10)
            assert later >= first
        assert pool.run("how far", timeout_s=10) == 30
    finally:
        pool.close()
