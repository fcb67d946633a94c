"""load_paths on both store backends, with a hand-made extractor (the reading half is tested
elsewhere): one graph per document, re-load without duplicates, a changed file replaces its
graph, rejects leave the store as it was, unreadable files stop the load before any write."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pipeline_sample import TEXT, sample_extraction
from rdflib import Literal, URIRef

from ccmkg.errors import CcmKgError
from ccmkg.loaders.emit import emit, graph_iri, ontology_graph_iri
from ccmkg.loaders.pipeline import UnreadableFile, load_paths, ontology_graph
from ccmkg.loaders.records import Extraction, Passage
from ccmkg.model.terms import CCM
from ccmkg.settings import Settings

SETTINGS = Settings()
BASE = SETTINGS.base_iri


def handmade(path: Path, raw: bytes) -> Extraction:
    """The sample's records, located in this file's text (which may carry extra lines)."""
    return sample_extraction(raw.decode("utf-8"), path.name)


def broken(path: Path, raw: bytes) -> Extraction:
    """Records whose passage runs backwards: the shapes reject it."""
    x = handmade(path, raw)
    bad = Passage(start=40, end=10, quote="x")
    return dataclasses.replace(x, agenda=[dataclasses.replace(x.agenda[0], passage=bad)])


def failing(path: Path, raw: bytes) -> Extraction:
    raise ValueError("no meeting date found")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def doc_graphs(store) -> dict[str, int]:
    return {g: n for g, n in store.graphs().items() if g.startswith(f"{BASE}graph/doc/")}


def test_each_document_gets_its_own_complete_graph(store, tmp_path):
    a = write(tmp_path, "a.txt", TEXT)
    b = write(tmp_path, "b.txt", TEXT + "\nsecond copy\n")
    report = load_paths(store, SETTINGS, [tmp_path], extractor=handmade)
    assert report.ok and [d.status for d in report.documents] == ["new", "new"]
    graphs = doc_graphs(store)
    for path in (a, b):
        expected = emit(handmade(path, path.read_bytes()), BASE).graph
        sha = report.documents[[d.path for d in report.documents].index(path)].sha256
        assert graphs[graph_iri(BASE, sha)] == len(expected)
    assert store.graphs()[ontology_graph_iri(BASE)] == len(ontology_graph())
    assert report.triples == sum(graphs.values())
    assert report.facts["attendance"] == 4  # the unresolved delegation is a review item
    assert [r.reason for r in report.review] == ["unresolved-name"] * 2
    assert len(report.unresolved) == 2 and len(report.conflicts) == 2


def test_loading_the_same_file_again_changes_nothing(store, tmp_path):
    write(tmp_path, "a.txt", TEXT)
    load_paths(store, SETTINGS, [tmp_path], extractor=handmade)
    before = store.graphs()
    again = load_paths(store, SETTINGS, [tmp_path / "a.txt"], extractor=handmade)
    assert [d.status for d in again.documents] == ["reloaded"]
    assert store.graphs() == before


def test_a_changed_file_replaces_its_previous_version(store, tmp_path):
    path = write(tmp_path, "a.txt", TEXT)
    first = load_paths(store, SETTINGS, [path], extractor=handmade).documents[0]
    write(tmp_path, "a.txt", TEXT + "\nA corrigendum line.\n")
    second = load_paths(store, SETTINGS, [path], extractor=handmade).documents[0]
    assert second.status == "updated" and second.replaced == (first.graph,)
    assert list(doc_graphs(store)) == [second.graph]
    rows = store.select(
        "PREFIX ccm: <https://ccm-kg.org/ontology#> "
        "SELECT ?d ?name WHERE { ?d a ccm:Document ; ccm:fileName ?name }",
        {"name": Literal("a.txt")},
    ).rows
    assert len(rows) == 1


def test_a_rejected_document_is_not_written_and_the_others_are(store, tmp_path):
    write(tmp_path, "good.txt", TEXT)
    load_paths(store, SETTINGS, [tmp_path], extractor=handmade)
    before = store.graphs()
    bad = write(tmp_path, "bad.txt", TEXT + "\nbad\n")

    def mixed(path: Path, raw: bytes) -> Extraction:
        return (broken if path == bad else handmade)(path, raw)

    report = load_paths(store, SETTINGS, [tmp_path], extractor=mixed)
    assert not report.ok
    (rejected,) = report.rejected
    assert rejected.path == bad and "SHACL" in rejected.reason
    assert any("oa:start must be less than oa:end" in d for d in rejected.details)
    assert store.graphs() == before


def test_an_extraction_error_rejects_that_document_with_its_reason(store, tmp_path):
    write(tmp_path, "a.txt", TEXT)
    report = load_paths(store, SETTINGS, [tmp_path], extractor=failing)
    (rejected,) = report.rejected
    assert "no meeting date found" in rejected.reason
    assert doc_graphs(store) == {}


def test_an_unreadable_file_stops_the_load_before_any_write(store, tmp_path):
    write(tmp_path, "a.txt", TEXT)
    before = store.graphs()
    with pytest.raises(UnreadableFile, match=r"missing\.txt"):
        load_paths(store, SETTINGS, [tmp_path, tmp_path / "missing.txt"], extractor=handmade)
    # A dangling link inside a folder cannot be read, even by root (unlike a chmod 0 file).
    (tmp_path / "z-link.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(UnreadableFile, match=r"z-link\.txt"):
        load_paths(store, SETTINGS, [tmp_path], extractor=handmade)
    assert store.graphs() == before


def test_folders_are_expanded_to_their_documents(store, tmp_path):
    """Folders are expanded recursively to their *.txt files, hidden ones left out."""
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / "sub", "a.txt", TEXT)
    write(tmp_path / ".hidden", "b.txt", TEXT + "\nhidden\n")
    write(tmp_path, "notes.md", "not a document")
    report = load_paths(store, SETTINGS, [tmp_path], extractor=handmade)
    assert [d.file_name for d in report.documents] == ["a.txt"]


def test_progress_is_reported_per_document(store, tmp_path):
    for i in range(3):
        write(tmp_path, f"{i}.txt", TEXT + f"\n{i}\n")
    seen: list[tuple[str, int, int]] = []
    load_paths(
        store, SETTINGS, [tmp_path], lambda p, d, t: seen.append((p.name, d, t)),
        extractor=handmade,
    )  # fmt: skip
    assert seen == [("0.txt", 1, 3), ("1.txt", 2, 3), ("2.txt", 3, 3)]


def test_catalogue_is_the_store_itself(store, tmp_path):
    """A second process (a new load_paths call) finds earlier versions through the store."""
    path = write(tmp_path, "a.txt", TEXT)
    load_paths(store, SETTINGS, [path], extractor=handmade)
    doc = store.select(
        "PREFIX ccm: <https://ccm-kg.org/ontology#> "
        "SELECT ?name ?c WHERE { ?d a ?c ; ccm:fileName ?name }",
        {"c": CCM.Document},
    ).rows
    assert [str(r["name"]) for r in doc] == ["a.txt"]


def test_a_write_that_fails_midway_leaves_the_store_as_it_was(store, tmp_path):
    """The store refuses a graph whose last triple is unwritable: nothing of it lands, and the
    previous version of the document is still there."""
    path = write(tmp_path, "a.txt", TEXT)
    first = load_paths(store, SETTINGS, [path], extractor=handmade).documents[0]
    before = store.graphs()
    changed = handmade(path, (TEXT + "\nchanged\n").encode())
    graph = emit(changed, BASE).graph
    graph.add((URIRef(f"{BASE}id/x"), URIRef(f"{BASE}id/p"), URIRef("http://bad iri/")))
    with pytest.raises((CcmKgError, ValueError)):  # StoreError by contract; see report
        store.replace_graphs(
            {graph_iri(BASE, changed.document.sha256): graph}, delete=[first.graph]
        )
    assert store.graphs() == before


def test_two_documents_that_disagree_on_a_meeting_are_linked_by_a_conflict(store, tmp_path):
    """Both claims kept: the second document's graph holds a conflict linking its passage and
    the first document's passage about the same meeting."""

    def numbered(path: Path, raw: bytes) -> Extraction:
        x = handmade(path, raw)
        ordinal = 3 if path.name == "first.txt" else 4
        return dataclasses.replace(x, meeting=dataclasses.replace(x.meeting, ordinal=ordinal))

    write(tmp_path, "first.txt", TEXT)
    write(tmp_path, "second.txt", TEXT + "\nanother record of the same meeting\n")
    report = load_paths(store, SETTINGS, [tmp_path], extractor=numbered)
    assert report.ok
    assert [c.file_name for c in report.conflicts if "another document" in c.message] == [
        "second.txt"
    ]
    rows = store.select(
        """PREFIX ccm: <https://ccm-kg.org/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?c ?value ?name WHERE {
          ?c a ccm:Conflict ; ccm:claimedValue ?value ; ccm:conflictingClaim ?p .
          ?p oa:hasSource ?d . ?d ccm:fileName ?name
          FILTER (?value IN ("3", "4")) }"""
    ).rows
    assert {(str(r["value"]), str(r["name"])) for r in rows} >= {
        ("3", "first.txt"),
        ("4", "second.txt"),
    }


def test_a_new_version_does_not_conflict_with_the_version_it_replaces(store, tmp_path):
    def versioned(path: Path, raw: bytes) -> Extraction:
        x = handmade(path, raw)
        ordinal = 5 if raw.decode().endswith("corrected\n") else 3
        return dataclasses.replace(x, meeting=dataclasses.replace(x.meeting, ordinal=ordinal))

    path = write(tmp_path, "a.txt", TEXT)
    load_paths(store, SETTINGS, [path], extractor=versioned)
    write(tmp_path, "a.txt", TEXT + "\ncorrected\n")
    report = load_paths(store, SETTINGS, [path], extractor=versioned)
    assert report.documents[0].status == "updated"
    assert [c for c in report.conflicts if "another document" in c.message] == []
