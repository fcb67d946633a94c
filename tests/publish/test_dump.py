"""The dumps: whole dataset, named graphs kept, description inside, and they re-load exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
from publish_support import BASE, parse_quads, same_graph, sample_graphs
from rdflib import Graph
from typer.testing import CliRunner

from ccmkg.cli import app as cli
from ccmkg.export import FORMATS
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from ccmkg.void import DatasetIris

VOID_GRAPH = str(DatasetIris(BASE).graph)


def parse_csv(body: bytes) -> dict[str, Graph]:
    """Rows of N-Triples terms back into graphs: the CSV is lossless too."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["graph", "subject", "predicate", "object"]
    nquads = "".join(f"{s} {p} {o} {g} .\n" for g, s, p, o in rows[1:])
    return parse_quads(nquads.encode(), "nq")


def assert_same_dataset(store: Store, dumped: dict[str, Graph]) -> None:
    """Every named graph of the store is isomorphic to the dumped one; the only extra is VoID."""
    originals = store.graphs()
    assert set(dumped) == set(originals) | {VOID_GRAPH}
    for name in originals:
        assert same_graph(store.graph_triples(name), dumped[name]), name


def test_http_dumps_keep_every_named_graph(base_url: str, loaded: Store) -> None:
    for fmt in ("nq", "trig", "jsonld"):
        r = httpx.get(f"{base_url}/dump.{fmt}", timeout=30)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith(FORMATS[fmt].media_type)
        assert_same_dataset(loaded, parse_quads(r.content, fmt))


def test_dump_reloads_into_an_empty_store_to_an_isomorphic_dataset(
    base_url: str, loaded: Store, settings: Settings, tmp_path: Path
) -> None:
    first = parse_quads(httpx.get(f"{base_url}/dump.nq", timeout=30).content, "nq")
    empty = open_store(settings.with_store(str(tmp_path / "reloaded")))
    try:
        assert empty.graphs() == {}
        empty.replace_graphs(first)
        for name, graph in first.items():
            assert same_graph(empty.graph_triples(name), graph), name
        # The description is computed from the data: re-dumping the re-loaded store gives it again.
        again = io.BytesIO()
        from ccmkg.export import export

        export(empty, BASE, "nq", again)
        second = parse_quads(again.getvalue(), "nq")
        assert set(second) == set(first)
        for name in first:
            assert same_graph(first[name], second[name]), name
    finally:
        empty.close()


def test_ttl_dump_is_the_union_with_each_triple_once(base_url: str, loaded: Store) -> None:
    body = httpx.get(f"{base_url}/dump.ttl", timeout=30).content
    union = parse_quads(body, "ttl")[""]
    expected = Graph()
    for name in loaded.graphs():
        for t in loaded.graph_triples(name):
            expected.add(t)
    # The union holds the data and the description, and nothing else.
    for t in parse_quads(httpx.get(f"{base_url}/dump.nq").content, "nq")[VOID_GRAPH]:
        expected.add(t)
    assert same_graph(union, expected)
    # The State stated in both documents is written once.
    assert body.count(b"ccm:iso3") == 1


def test_cli_export_every_format(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    settings = Settings(store=str(store_dir), base_iri=BASE)
    st = open_store(settings)
    st.replace_graphs(sample_graphs())
    expected = {name: st.graph_triples(name) for name in st.graphs()}
    st.close()

    runner = CliRunner()
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(
            cli,
            ["export", "--format", fmt, str(out), "--store", str(store_dir)],
            env={"CCMKG_BASE_IRI": BASE},
        )
        assert result.exit_code == 0, result.output
        body = out.read_bytes()
        if fmt == "ttl":
            assert set(parse_quads(body, fmt)) == {""}
            continue
        dumped = parse_csv(body) if fmt == "csv" else parse_quads(body, fmt)
        assert set(dumped) == set(expected) | {VOID_GRAPH}
        for name, graph in expected.items():
            assert same_graph(graph, dumped[name]), (fmt, name)

    bad = runner.invoke(
        cli, ["export", "--format", "xml", str(tmp_path / "x"), "--store", str(store_dir)]
    )
    assert bad.exit_code == 2
    assert "nq" in bad.output
