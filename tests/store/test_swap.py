"""EmbeddedStore.swap_in_graphs (the loader's one-piece first load): the same dataset as the
transactional `add_graphs`, on disk and in memory, and nothing written when it refuses."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from ccmkg.errors import BadParameter, StoreError
from ccmkg.settings import Settings
from ccmkg.store.embedded import EmbeddedStore
from ccmkg.store.rdfterms import ntriples, oxigraph_triples
from ccmkg.store.staging import triples_of
from tests.helpers.data import G1, G2, sample_graphs


def _open(path: Path) -> EmbeddedStore:
    return EmbeddedStore(Settings(store=str(path), query_workers=1, sparql_workers=1))


def _dataset(store: EmbeddedStore) -> tuple[set[str], set[object]]:
    named = set(store.dump_nquads().decode("utf-8").splitlines())
    return named, set(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))


def test_a_swap_gives_the_dataset_add_graphs_gives_and_keeps_what_was_there(
    tmp_path: Path,
) -> None:
    graphs = sample_graphs()
    shared = next(iter(graphs[G2]))
    graphs[G1].add(shared)  # one triple in both graphs: once in the default graph
    before = {"https://example.org/graph/before": graphs[G2]}
    added, swapped = _open(tmp_path / "added"), _open(tmp_path / "swapped")
    try:
        for store in (added, swapped):
            store.replace_graphs(before)
        added.add_graphs({g: oxigraph_triples(t) for g, t in graphs.items()})
        inode = os.stat(tmp_path / "swapped").st_ino
        assert swapped.swap_in_graphs({g: ntriples(t) for g, t in graphs.items()})
        assert os.stat(tmp_path / "swapped").st_ino != inode, "no new directory swapped in"
        assert _dataset(swapped) == _dataset(added)
        assert swapped.graphs() == added.graphs()
        expected = _dataset(added)
    finally:
        added.close()
        swapped.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["added", "swapped"]
    reopened = _open(tmp_path / "swapped")  # the disk holds what memory served
    try:
        assert _dataset(reopened) == expected
    finally:
        reopened.close()


def test_a_swap_refuses_a_graph_already_there_or_bad_text_and_writes_nothing(
    tmp_path: Path,
) -> None:
    graphs = sample_graphs()
    store = _open(tmp_path / "s")
    try:
        store.replace_graphs({G1: graphs[G1]})
        before = _dataset(store)
        inode = os.stat(tmp_path / "s").st_ino
        with pytest.raises(BadParameter):
            store.swap_in_graphs({G2: ntriples(graphs[G2]), G1: ntriples(graphs[G1])})
        with pytest.raises(BadParameter):  # a line that is not one triple ending " ."
            store.swap_in_graphs({G2: ntriples(graphs[G2]).replace(" .\n", "\n", 1)})
        with pytest.raises(StoreError):  # two triples on one line: the parser refuses
            store.swap_in_graphs({G2: ntriples(graphs[G2]).replace(" .\n", " .  ", 1)})
        with pytest.raises(BadParameter):
            store.swap_in_graphs({"not an iri": ntriples(graphs[G2])})
        assert _dataset(store) == before
        assert os.stat(tmp_path / "s").st_ino == inode
        assert [p.name for p in tmp_path.iterdir()] == ["s"]
    finally:
        store.close()


def test_reads_during_a_swap_wait_for_it_and_queries_after_it_see_the_new_store(
    tmp_path: Path,
) -> None:
    """The server's own reads use the on-disk handle the swap closes and moves: they wait
    while the directories move, never fail; workers read a checkpoint of the new store."""
    graphs = sample_graphs()
    store = _open(tmp_path / "store")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    errors: list[BaseException] = []
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.add(int(store.select(count).rows[0]["n"]))
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    try:
        for t in readers:
            t.start()
        assert store.swap_in_graphs({g: ntriples(t) for g, t in graphs.items()})
        done.set()
        for t in readers:
            t.join()
        total = sum(len(t) for t in graphs.values())
        assert errors == []
        assert seen <= {0, total}
        limited = store.select(count, timeout_s=30).rows[0]["n"]
        assert int(limited) == total
    finally:
        done.set()
        store.close()


def _many_graphs(count: int) -> dict[str, str]:
    """`count` small graphs sharing some triples (the default graph holds those once)."""
    base = sample_graphs()
    out = {}
    for i in range(count):
        text = "".join(ntriples(g) for g in base.values())
        out[f"https://example.org/graph/piece{i}"] = text + f'<{G1}> <{G2}> "{i}" .\n'
    return out


def test_a_build_fed_by_pieces_in_the_background_gives_the_same_dataset(tmp_path: Path) -> None:
    """A load's fresh store is bulk-loaded piece by piece in a thread while the loader goes
    on (here one piece per graph): the dataset is the one `add_graphs` writes."""
    graphs = _many_graphs(12)
    added, swapped = _open(tmp_path / "added"), _open(tmp_path / "swapped")
    try:
        added.add_graphs({g: triples_of(t) for g, t in graphs.items()})
        build = swapped.start_swap()
        assert build is not None
        assert swapped.start_swap() is None, "two builds at once share one directory"
        build.piece_bytes = 1
        for g, t in graphs.items():
            build.add(g, t)
        assert build.path.exists(), "no piece was loaded before the commit"
        assert swapped.swap_in(build)
        assert _dataset(swapped) == _dataset(added)
        again = swapped.start_swap()
        assert again is not None, "the build is over: another may start"
        swapped.abandon_swap(again)
    finally:
        added.close()
        swapped.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["added", "swapped"]


def test_a_piece_the_bulk_load_refuses_fails_the_whole_build_and_writes_nothing(
    tmp_path: Path,
) -> None:
    graphs = _many_graphs(6)
    bad = "https://example.org/graph/piece3"
    graphs[bad] = graphs[bad].replace(" .\n", " .  ", 1)  # two statements on one line
    store = _open(tmp_path / "s")
    try:
        before = _dataset(store)
        build = store.start_swap()
        assert build is not None
        build.piece_bytes = 1
        for g, t in graphs.items():
            build.add(g, t)
        with pytest.raises(StoreError):
            store.swap_in(build)
        assert _dataset(store) == before
        assert [p.name for p in tmp_path.iterdir()] == ["s"]
        again = store.start_swap()
        assert again is not None, "a failed build is over: another may start"
        store.abandon_swap(again)
    finally:
        store.close()
