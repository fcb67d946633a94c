"""The bulk path (new documents staged and written by batch, emitted in worker processes)
gives exactly the dataset of the one-write-per-document path, and a batch is all or nothing:
a document that fails is left out alone, a batch the store refuses is not written at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pipeline_sample import TEXT
from rdflib import URIRef
from test_load_pipeline import BASE, broken, doc_graphs, handmade, write

from ccmkg.errors import BadParameter
from ccmkg.loaders.pipeline import default_validator, load_paths
from ccmkg.loaders.report import LoadReport
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from ccmkg.store.rdfterms import oxigraph_triples

VARIANTS = Path(__file__).resolve().parent.parent / "data" / "variants"


def dataset(store: Store) -> tuple[set[str], set[tuple[object, ...]]]:
    """The named graphs as N-Quads lines (no blank nodes: equal sets are isomorphic datasets),
    and the default graph (the maintained union) as a set of triples."""
    named = set(store.dump_nquads().decode("utf-8").splitlines())
    union = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    return named, set(union)


def summary(report: LoadReport) -> list[object]:
    return [
        [(d.file_name, d.status, d.triples, d.graph, d.replaced) for d in report.documents],
        [(str(r.path), r.reason) for r in report.rejected],
        [f.__dict__ for f in report.conflicts + report.persons + report.warnings],
        [f.__dict__ for f in report.unresolved],
    ]


def load_both(tmp_path: Path, steps: list[list[Path]], batch: int = 7):
    """Each step loaded in turn into three stores: one document per write, in this process
    (the reference path); by batches with worker processes (the bulk path); and, the store
    being empty, the first load in one piece, bulk-loaded into a fresh directory swapped in
    (the swap path: its directory is another one afterwards, checked by its inode)."""
    out = []
    for kind, options, swap_min in (
        ("one", {"batch": 1, "validate": default_validator()}, 10_000),  # no workers either
        ("bulk", {"batch": batch}, 10_000),
        ("swap", {"batch": batch}, 2),
    ):
        settings = Settings(store=str(tmp_path / kind), load_workers=2, load_swap_min=swap_min)
        store = open_store(settings)
        try:
            reports, swapped = [], []
            for step in steps:
                inode = os.stat(tmp_path / kind).st_ino
                reports.append(load_paths(store, settings, step, **options))
                swapped.append(os.stat(tmp_path / kind).st_ino != inode)
            assert swapped == [kind == "swap"] + [False] * (len(steps) - 1), kind
            assert not list(tmp_path.glob(f".{kind}.*")), "a fresh directory was left behind"
            out.append((dataset(store), [summary(r) for r in reports]))
        finally:
            store.close()
        reopened = open_store(settings)  # what is on disk is what was served
        try:
            assert dataset(reopened) == out[-1][0]
        finally:
            reopened.close()
    return out


def test_the_corpus_loads_to_the_same_dataset_by_batch_and_one_by_one(tmp_path: Path) -> None:
    (one, one_reports), (bulk, bulk_reports), (swap, swap_reports) = load_both(
        tmp_path, [list(corpus_files())]
    )
    assert one[0] == bulk[0] == swap[0]
    assert one[1] == bulk[1] == swap[1] and len(one[1]) > 1000
    assert one_reports == bulk_reports == swap_reports


def test_a_synthetic_batch_with_updates_and_repeats_gives_the_same_dataset(
    tmp_path: Path,
) -> None:
    """Corpus copies and the layout variants (meetings stated twice, persons spelled two
    ways: conflicts and person matches across documents of one batch), the same file name in
    two folders (a replacement mid-batch), then a second load that changes one file and
    reloads another (the per-document path between batches)."""
    first, second = tmp_path / "first", tmp_path / "second"
    sources = list(corpus_files()) + sorted(VARIANTS.glob("*.txt"))
    for i, src in enumerate(sources):
        folder = first / f"{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, folder / src.name)
    (first / "2" / "repeat").mkdir()
    shutil.copy(sources[0], first / "2" / "repeat" / sources[1].name)  # same name, other bytes
    second.mkdir()
    changed = sources[4]
    (second / changed.name).write_bytes(changed.read_bytes() + b"\nAmended.\n")
    shutil.copy(sources[5], second / sources[5].name)  # the same bytes again: reloaded
    (one, one_reports), (bulk, bulk_reports), (swap, swap_reports) = load_both(
        tmp_path, [[first], [second]], 5
    )
    assert one[0] == bulk[0] == swap[0]
    assert one[1] == bulk[1] == swap[1]
    assert one_reports == bulk_reports == swap_reports
    statuses = {d[1] for r in bulk_reports for d in r[0]}
    assert statuses == {"new", "updated", "reloaded"}, "the test did not mix both paths"
    assert any("same file name" in str(w) for r in bulk_reports for w in r[2])
    assert any("conflict" in str(c) or "merged" in str(c) for r in bulk_reports for c in r[2])


def test_a_document_that_breaks_a_shape_is_left_out_and_its_batch_is_written(
    store: Store, tmp_path: Path
) -> None:
    for i in range(5):
        write(tmp_path, f"{i}.txt", TEXT + f"\ncopy {i}\n")
    write(tmp_path, "2-bad.txt", TEXT + "\nbad\n")

    def reader(path: Path, raw: bytes):  # type: ignore[no-untyped-def]
        return (broken if "bad" in path.name else handmade)(path, raw)

    settings = Settings(load_batch=10)
    report = load_paths(store, settings, [tmp_path], extractor=reader)
    assert [r.path.name for r in report.rejected] == ["2-bad.txt"]
    assert "SHACL" in report.rejected[0].reason and report.rejected[0].details
    assert len(report.documents) == 5
    assert set(doc_graphs(store)) == {d.graph for d in report.documents}


def test_a_batch_the_store_refuses_is_not_written_at_all(store: Store, tmp_path: Path) -> None:
    """One graph of the batch is already there: nothing of the batch is written."""
    a = write(tmp_path, "a.txt", TEXT)
    load_paths(store, Settings(), [a], extractor=handmade)
    before = dataset(store)
    held = next(iter(doc_graphs(store)))
    new = f"{BASE}graph/doc/0000000000000000"
    triples = oxigraph_triples(store.graph_triples(held))
    with pytest.raises(BadParameter):
        store.add_graphs({new: triples, held: triples})
    assert dataset(store) == before
    store.add_graphs({new: triples})
    assert doc_graphs(store)[new] == len(triples)
    assert dataset(store)[1] == before[1]  # the default graph: the union, each triple once
    assert URIRef(new) not in {URIRef(g) for g in before[0]}
