"""The rules on edge dates, and re-derivation when the inputs change."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from ccmkg.api.main import create_app
from ccmkg.loaders.checking import default_validator
from ccmkg.loaders.reference.load import load_reference
from ccmkg.rules import derive, rules
from ccmkg.settings import Settings
from ccmkg.store import open_store
from tests.reference.conftest import write_reference

SRC = "https://example.org/depositary,2026-12-01"
# (ISO3, deposit day, entry into force by Article 17)
EDGES = [
    ("NZL", "2008-12-03", "2010-08-01"),  # before the Convention entered into force
    ("FJI", "2010-01-31", "2010-08-01"),  # before 1 February 2010: not July, August
    ("TON", "2010-02-01", "2010-08-01"),  # the first of a month
    ("WSM", "2010-02-28", "2010-08-01"),  # after the 30th instrument, same month
    ("PLW", "2010-03-01", "2010-09-01"),
    ("NRU", "2011-03-01", "2011-09-01"),  # the first of a month
    ("TUV", "2011-03-31", "2011-09-01"),  # the last of the same month
    ("KIR", "2011-07-15", "2012-01-01"),  # into the next year
    ("VUT", "2011-08-01", "2012-02-01"),
]


@pytest.fixture
def edge_client(tmp_path: Path):
    rows = [f"{iso},X,,ratification,{day},{SRC}" for iso, day, _ in EDGES]
    rows.append(f"SLB,X,2009-01-01,,,{SRC}")  # a signatory: no entry into force
    folder = write_reference(
        tmp_path / "ref",
        states=rows,
        obligation_scope=[f"NRU,3,stockpile,2012,{SRC}", f"KIR,4,contamination,2012,{SRC}"],
    )
    settings = Settings(store=str(tmp_path / "store"), query_workers=1)
    store = open_store(settings)
    report = load_reference(store, settings, folder)
    assert report.ok, report.as_dict()
    with TestClient(create_app(settings, store)) as client:
        yield client, store, settings, folder
    store.close()


def test_entry_into_force_on_edge_dates(edge_client) -> None:
    client = edge_client[0]
    states = {s["iso3"]: s for s in client.get("/states?limit=1000").json()["items"]}
    for iso, _, expected in EDGES:
        assert states[iso]["entry_into_force"]["date"] == expected, iso
    assert states["SLB"]["status"] == "signatory"
    assert states["SLB"]["entry_into_force"] is None


def test_deadlines_from_entry_into_force(edge_client) -> None:
    client = edge_client[0]
    got = {
        (d["state"]["iso3"], d["type"], d["report_year"]): d["due"]
        for d in client.get("/deadlines?limit=1000").json()["items"]
    }
    assert got[("NRU", "stockpile-destruction", None)] == "2019-09-01"  # 8 years
    assert got[("KIR", "clearance", None)] == "2022-01-01"  # 10 years
    assert got[("NZL", "initial-report", None)] == "2011-01-28"  # 180 days
    assert got[("KIR", "initial-report", None)] == "2012-06-29"
    assert got[("NZL", "annual-report", 2011)] == "2012-04-30"
    assert ("NZL", "stockpile-destruction", None) not in got  # no stockpile declared


def test_derived_deadlines_follow_their_inputs(edge_client, tmp_path: Path) -> None:
    client, store, settings, folder = edge_client
    states = (
        (folder / "states.csv")
        .read_text()
        .replace("NRU,X,,ratification,2011-03-01", "NRU,X,,ratification,2012-03-01")
    )
    (folder / "states.csv").write_text(states)
    (folder / "obligation_scope.csv").write_text(
        (folder / "obligation_scope.csv")
        .read_text()
        .replace(f"KIR,4,contamination,2012,{SRC}\n", "")
    )
    load_reference(store, settings, folder)
    deadlines = client.get("/deadlines?limit=1000").json()["items"]
    nru = next(
        d for d in deadlines if d["state"]["iso3"] == "NRU" and d["type"] == "stockpile-destruction"
    )
    assert nru["due"] == "2020-09-01"
    assert not [d for d in deadlines if d["type"] == "clearance"]  # its input is gone


def test_rules_rerun_on_unchanged_facts_write_nothing(edge_client) -> None:
    """A derived graph already as derived is not written again (a write renews the query
    workers and the caches); one whose input changed is, and only it."""
    _, store, settings, _ = edge_client
    validate = default_validator()
    before = store.dump_nquads()
    generation = store.data_generation
    again = derive(store, settings.base_iri, validate)
    assert again.rewritten == 0 and not again.rejected
    assert store.data_generation == generation and store.dump_nquads() == before
    store.replace_graphs(
        {"https://example.org/graph/extra": Graph().parse(data=EXTRA_DEPOSIT, format="turtle")}
    )
    changed = derive(store, settings.base_iri, validate)
    # entry into force, the initial and annual reports: the graphs of the other rules stay
    assert 1 <= changed.rewritten < len(rules())
    assert changed.derived["entry_into_force"] == again.derived["entry_into_force"] + 1


EXTRA_DEPOSIT = """
@prefix ccm: <https://ccm-kg.org/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/slb-deposit> a ccm:TreatyAction ;
    ccm:ofState <https://ccm-kg.org/id/state/SLB> ; ccm:actionType "accession" ;
    dcterms:date "2030-05-05"^^xsd:date .
"""


def test_documents_alone_never_add_reference_data(tmp_path: Path) -> None:
    from ccmkg.loaders.pipeline import load_paths
    from ccmkg.resources import corpus_files

    settings = Settings(store=str(tmp_path / "store"), query_workers=1)
    store = open_store(settings)
    try:
        load_paths(store, settings, corpus_files()[:1])
        assert not [g for g in store.graphs() if "/graph/reference/" in g or "/graph/derived/" in g]
    finally:
        store.close()


def test_cli_load_reference_alone(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ccmkg.cli import app

    result = CliRunner().invoke(
        app, ["load", "--reference", "--store", str(tmp_path / "s"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"reference"' in result.output
    result = CliRunner().invoke(app, ["load", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
