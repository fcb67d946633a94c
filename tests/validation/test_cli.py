"""`ccmkg validate` and `ccmkg ingest`: exit codes, the three outputs, errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ttl
from rdflib import RDF, Graph
from typer.testing import CliRunner

from ccmkg.cli import app
from ccmkg.validation import SH

runner = CliRunner()
GOOD = 'id:FRA a ccm:State ; rdfs:label "France"@en ; ccm:iso3 "FRA" .'
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BAD = 'id:X a ccm:State ; rdfs:label "X" ; ccm:iso3 "fr" .'


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_validate_exit_codes_and_outputs(tmp_path: Path, shapes_file: Path) -> None:
    good = write(tmp_path, "good.ttl", ttl(GOOD))
    bad = write(tmp_path, "bad.ttl", ttl(BAD))
    args = ["validate", "--shapes", str(shapes_file)]
    assert runner.invoke(app, [*args, str(good)]).exit_code == 0

    text = runner.invoke(app, [*args, str(bad)])
    assert text.exit_code == 1
    assert "does not conform" in text.stdout and "three upper-case letters" in text.stdout

    as_json = runner.invoke(app, [*args, "-o", "json", str(bad)])
    report = json.loads(as_json.stdout)
    assert (as_json.exit_code, report["counts"]["Violation"]) == (1, 1)
    assert report["results"][0]["focus"] == "https://ccm-kg.org/id/X"

    turtle = runner.invoke(app, [*args, "-o", "turtle", str(bad)])
    g = Graph().parse(data=turtle.stdout, format="turtle")
    assert (turtle.exit_code, len(list(g.subjects(RDF.type, SH.ValidationResult)))) == (1, 1)


def test_files_are_validated_together(tmp_path: Path, shapes_file: Path) -> None:
    """A holding in one file, its State in another: fine together, not apart."""
    holding = write(tmp_path, "h.ttl", ttl("id:h a ccm:PostHolding ; ccm:holder id:FRA ."))
    fra, rdf, rdfs = "https://ccm-kg.org/id/FRA", RDF_NS, "http://www.w3.org/2000/01/rdf-schema#"
    nt = f'<{fra}> <{rdf}type> <https://ccm-kg.org/ontology#State> .\n<{fra}> <{rdfs}label> "F" .\n'
    state = write(tmp_path, "s.nt", nt.encode())
    args = ["validate", "--shapes", str(shapes_file)]
    assert runner.invoke(app, [*args, str(holding)]).exit_code == 1
    assert runner.invoke(app, [*args, str(holding), str(state)]).exit_code == 0


def test_unreadable_input_names_file_line_and_column(tmp_path: Path, shapes_file: Path) -> None:
    broken = write(tmp_path, "broken.ttl", ttl('id:a id:b "open .'))
    odd = write(tmp_path, "data.xyz", ttl(GOOD))
    r = runner.invoke(app, ["validate", "--shapes", str(shapes_file), str(broken), str(odd)])
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "broken.ttl: not valid RDF at line 5, column 11" in out
    assert "data.xyz" in out
    forced = runner.invoke(
        app, ["validate", "--shapes", str(shapes_file), "-f", "turtle", str(odd)]
    )
    assert forced.exit_code == 0


def test_ingest_cli_writes_only_conformant_data(tmp_path: Path) -> None:
    """With the shipped shapes: a bad ISO code is refused (exit 1, store empty), a good State
    goes in as one upload graph plus its provenance record."""
    store = str(tmp_path / "store")
    bad = write(tmp_path, "bad.ttl", ttl(BAD))
    r = runner.invoke(app, ["ingest", str(bad), "--note", "test", "--store", store])
    assert r.exit_code == 1
    good = write(tmp_path, "good.ttl", ttl(GOOD))
    r = runner.invoke(
        app, ["ingest", str(good), "--note", "test", "--store", store, "--submitter", "me"]
    )
    assert r.exit_code == 0, r.output
    sub = json.loads(r.stdout)
    assert (sub["submitter"], sub["triples"]) == ("me", 3)

    from ccmkg.settings import Settings
    from ccmkg.store import open_store

    opened = open_store(Settings(store=store))
    try:
        assert opened.graphs() == {sub["graph"]: 3, sub["graph"] + "/provenance": 9}
    finally:
        opened.close()


def test_validate_a_whole_store(tmp_path: Path, shapes_file: Path) -> None:
    """`ccmkg validate --store DIR` with no files: the store's own data, checked in place."""
    from ccmkg.rdf_input import TURTLE, parse_rdf
    from ccmkg.settings import Settings
    from ccmkg.store import open_store

    store = str(tmp_path / "store")
    opened = open_store(Settings(store=store))
    try:
        opened.replace_graphs({"https://ccm-kg.org/graph/g": parse_rdf(ttl(GOOD), TURTLE).graph})
    finally:
        opened.close()
    args = ["validate", "--store", store, "--shapes", str(shapes_file)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "conforms" in r.stdout and "engine sparql" in r.stdout

    opened = open_store(Settings(store=store))
    try:
        opened.replace_graphs({"https://ccm-kg.org/graph/b": parse_rdf(ttl(BAD), TURTLE).graph})
    finally:
        opened.close()
    r = runner.invoke(app, [*args, "-o", "json"])
    report = json.loads(r.stdout)
    assert (r.exit_code, report["counts"]["Violation"], report["engine"]) == (1, 1, "sparql")
    assert report["results"][0]["focus"] == "https://ccm-kg.org/id/X"
    # the packaged shapes too: the bad ISO code is the one violation
    packaged = runner.invoke(app, ["validate", "--store", store, "-o", "json"])
    assert packaged.exit_code == 1
    assert [r["value"] for r in json.loads(packaged.stdout)["results"]] == ["fr"]


def test_validate_needs_files_or_a_store() -> None:
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 2 and "give RDF files, or --store" in r.output
