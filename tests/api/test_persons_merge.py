"""Persons across documents through HTTP (issue 12, item 5): corpus 000 and 001 spell one Swiss
delegate two ways; loaded with the real pipeline, GET /persons answers one person with both
spellings, and GET /persons/{id} says which rule merged them, why, and on which passages."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ccmkg.loaders.pipeline import load_paths
from ccmkg.resources import corpus_files
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app

BASE = "https://ccm-kg.org/"


@pytest.fixture
def api(embedded_store: Store, tmp_path: Path) -> Iterator[httpx.Client]:
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    pair = [f for f in corpus_files() if f.name[:3] in ("000", "001")]
    report = load_paths(embedded_store, settings, pair)
    assert report.ok and len(report.documents) == 2
    merged = [f.message for f in report.persons if " merged with " in f.message]
    assert len(merged) == 1 and "CHE" in merged[0], report.persons
    with serve_app(settings, embedded_store) as url, httpx.Client(base_url=url) as client:
        yield client


def test_one_person_with_both_spellings(api: httpx.Client) -> None:
    items = api.get("/persons", params={"q": "masmejan"}).json()["items"]
    assert len(items) == 1, items
    (person,) = items
    assert person["id"] == f"{BASE}id/person/laurent-masmejean"
    assert person["name"] == "Laurent Masmejean"
    assert person["alternate_names"] == ["Laurent Masméjan"]
    assert sorted(person["spellings"]) == ["Mr. Laurent Masmejean", "Mr. Laurent Masméjan"]
    assert person["needs_review"] is False
    # either spelling finds the one person
    for q in ("Masmejean", "MASMÉJAN"):
        found = api.get("/persons", params={"q": q}).json()["items"]
        assert [p["id"] for p in found] == [person["id"]], q


def test_the_person_lists_the_merge_with_rule_reason_and_passages(api: httpx.Client) -> None:
    detail = api.get("/persons/laurent-masmejean").json()
    assert len(detail["meetings"]) == 2  # one meeting per document, both for Switzerland
    assert {m["delegation"]["iso3"] for m in detail["meetings"]} == {"CHE"}
    (match,) = detail["name_matches"]
    assert (match["decision"], match["rule"]) == ("merged", "near-spelling-same-delegation")
    assert (match["name"], match["known_name"]) == ("Laurent Masméjan", "Laurent Masmejean")
    assert "CHE" in match["reason"]
    texts = {
        f.name[:3]: f.read_text(encoding="utf-8-sig")
        for f in corpus_files()
        if f.name[:3] in ("000", "001")
    }
    quotes = {s["quote"] for s in match["sources"]}
    assert quotes == {"Mr. Laurent Masméjan", "Mr. Laurent Masmejean"}
    assert len({s["document"]["id"] for s in match["sources"]}) == 2
    for s in match["sources"]:
        assert any(t[s["start"] : s["end"]] == s["quote"] for t in texts.values())
    assert api.get("/persons/laurent-masmejan").status_code == 404  # no second node


def test_persons_csv_carries_the_alternate_names(api: httpx.Client) -> None:
    r = api.get("/persons", params={"q": "masm"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 1 and "Laurent Masméjan" in rows[0]["alternate_names"]
