"""GET /review (issue #12): strings kept for review with their passages, never actors."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import httpx

from ccmkg.loaders.pipeline import load_paths
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.server import serve_app

VARIANTS = Path(__file__).parents[1] / "data" / "variants"
FILES = ("001-variant-unknown-org.txt", "101-variant-yearless-weekday.txt")


def test_review_lists_unresolved_strings_with_passages_and_actors_do_not(
    embedded_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in FILES:
        shutil.copy(VARIANTS / name, folder / name)
    settings = Settings(store=str(tmp_path / "unused"))
    report = load_paths(embedded_store, settings, [folder])
    assert report.ok, report.rejected  # the yearless meeting is stored (uncertain), not rejected
    assert {(r.text, r.reason) for r in report.review} == {
        ("Mine Action Review Collective", "unresolved-name"),
        ("Ms. Jane Doe", "person-name"),
        ("Regional Demining Forum", "unresolved-name"),
    }
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in FILES}
    with (
        serve_app(settings, embedded_store) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        r = client.get("/review")
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert {(i["text"], i["reason"]) for i in items} == {
            (r.text, r.reason) for r in report.review
        }
        for item in items:
            (source,) = item["sources"]
            start, end = source["start"], source["end"]
            assert any(t[start:end] == source["quote"] for t in texts.values()), source
        persons = client.get("/review", params={"reason": "person-name"}).json()["items"]
        assert [i["text"] for i in persons] == ["Ms. Jane Doe"]
        rows = list(csv.DictReader(io.StringIO(client.get("/review?format=csv").text)))
        assert len(rows) == 3
        actors = client.get("/actors", params={"limit": 1000}).text
        assert "Mine Action Review" not in actors and "Demining Forum" not in actors
        assert client.get("/review", params={"reason": "nonsense"}).status_code == 422
