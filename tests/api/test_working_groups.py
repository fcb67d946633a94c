"""GET /working-groups through HTTP (issue 12, item 4): documents loaded with the real pipeline;
each report says its group, event, leads/members, the date the text gives (never the document's
date) and cites its sentence; filters by area and actor; CSV too."""

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
from ccmkg.store import open_store
from devtools.server import serve_app

BASE = "https://ccm-kg.org/"
LOG = Path(__file__).parents[1] / "data" / "variants" / "wg-variant-activity-log.txt"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """One loaded store and server for the module: its tests only read."""
    settings = Settings(
        store=str(tmp_path_factory.mktemp("wg") / "store"), base_iri=BASE, query_workers=1
    )
    store = open_store(settings)
    try:
        minutes = [f for f in corpus_files() if f.name.startswith("001")]
        report = load_paths(store, settings, [LOG, *minutes])
        assert report.ok, report.rejected
        assert report.facts["working-group-report"] == 12
        with serve_app(settings, store) as url, httpx.Client(base_url=url) as client:
            yield client
    finally:
        store.close()


def _texts() -> dict[str, str]:
    files = [LOG, *(f for f in corpus_files() if f.name.startswith("001"))]
    return {f.name: f.read_text(encoding="utf-8-sig") for f in files}


def codes(actors: list[dict]) -> list[str]:
    return sorted(a.get("iso3") or a.get("acronym") for a in actors)


def test_every_report_cites_its_sentence(api: httpx.Client) -> None:
    body = api.get("/working-groups", params={"limit": "100"}).json()
    assert body["count"] == 12
    texts = list(_texts().values())
    for item in body["items"]:
        assert item["sources"], item
        for s in item["sources"]:
            assert any(t[s["start"] : s["end"]] == s["quote"] for t in texts)


def test_a_group_being_set_up_with_a_represented_member(api: httpx.Client) -> None:
    items = api.get("/working-groups", params={"actor": "npa"}).json()["items"]
    assert len(items) == 1
    (item,) = items
    assert item["event"] == "established"
    assert item["working_group"]["topic"] == "victim data collection"
    assert item["working_group"]["area"] is None
    assert item["working_group"]["id"] == f"{BASE}id/working-group/victim-data-collection"
    assert (codes(item["members"]), codes(item["representatives"])) == (["CMC"], ["NPA"])
    assert item["date"] == "2022-10"  # the dateline's month, as precise as written
    assert item["attested"] is None  # the page has no date of its own


def test_dates_are_the_texts_never_the_documents(api: httpx.Client) -> None:
    items = api.get("/working-groups", params={"area": "victim-assistance"}).json()["items"]
    by_date = {i["date"]: i for i in items}
    assert {"2023-03", "2022-10-14", "2022-07-05", "2022-01"} <= set(by_date)
    assert codes(by_date["2022-07-05"]["leads"]) == ["FJI", "MNG"]
    minutes = [i for i in items if i["attested"]]  # corpus 001: minutes, dated
    assert minutes and all(i["date"] is None for i in minutes)
    assert {i["working_group"]["area"]["slug"] for i in items} == {"victim-assistance"}


def test_an_informal_group_is_apart_from_the_areas_group(api: httpx.Client) -> None:
    items = api.get("/working-groups", params={"limit": "100"}).json()["items"]
    informal = [i for i in items if i["working_group"]["informal"]]
    ids = {i["working_group"]["id"] for i in informal}
    assert f"{BASE}id/working-group/informal-survivor-networks" in ids
    assert f"{BASE}id/working-group/informal-universalization" in ids  # corpus 001
    led = next(i for i in informal if i["working_group"]["topic"] == "survivor networks")
    assert (led["event"], codes(led["leads"])) == ("established", ["FJI", "MNG"])


def test_csv(api: httpx.Client) -> None:
    r = api.get("/working-groups", params={"format": "csv", "actor": "URY"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2 and all("Uruguay" in "".join(row.values()) for row in rows)


def test_a_bad_area_is_422(api: httpx.Client) -> None:
    r = api.get("/working-groups", params={"area": "no-such-area"})
    assert r.status_code == 422 and r.json()["code"]
