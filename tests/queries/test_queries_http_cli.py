"""GET /queries through real HTTP, and `ccmkg query` on a real embedded store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
from queries_fixture_data import fixture_graphs
from typer.testing import CliRunner

from ccmkg.cli import app as cli
from ccmkg.settings import Settings
from ccmkg.store import Store, open_store
from devtools.server import serve_app

ZMB = "https://ccm-kg.org/id/state/ZMB"


def test_queries_over_http(store: Store, store_settings: Settings) -> None:
    store.replace_graphs(fixture_graphs())
    with serve_app(store_settings, store) as base, httpx.Client(base_url=base, timeout=30) as http:
        listing = http.get("/queries").json()
        names = {item["name"] for item in listing["items"]}
        assert {"coordinators_in_year", "fact_source", "presidencies_in_order"} <= names
        doc = next(i for i in listing["items"] if i["name"] == "coordinators_in_year")
        assert doc["params"][0] == {
            "name": "year",
            "type": "gyear",
            "required": True,
            "doc": "the calendar year, e.g. 2016",
        }

        answer = http.get("/queries/coordinators_in_year", params={"year": "2016", "state": "ZMB"})
        assert answer.status_code == 200
        assert [r["state"] for r in answer.json()["rows"]] == [ZMB]

        as_csv = http.get("/queries/coordinators_in_year", params={"year": "2016", "format": "csv"})
        assert as_csv.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert sorted(r["state"].rsplit("/", 1)[1] for r in table) == ["ECU", "ZMB"]
        by_accept = http.get(
            "/queries/coordinators_in_year", params={"year": "2016"}, headers={"Accept": "text/csv"}
        )
        assert by_accept.text == as_csv.text

        missing = http.get("/queries/no_such_query")
        assert missing.status_code == 404 and missing.json()["code"] == "not-found"
        bad = http.get("/queries/coordinators_in_year", params={"year": "twenty"})
        assert bad.status_code == 422 and "not a year" in bad.json()["message"]
        absent = http.get("/queries/coordinators_in_year")
        assert absent.status_code == 422 and "year" in absent.json()["message"]


def test_cli_query(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    store = open_store(Settings(store=location, query_workers=1))
    store.replace_graphs(fixture_graphs())
    store.close()
    runner = CliRunner()
    args = ["query", "coordinators_in_year", "--param", "year=2016", "--store", location]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert sorted(r["state"] for r in json.loads(result.stdout)) == [
        "https://ccm-kg.org/id/state/ECU", ZMB,
    ]  # fmt: skip
    result = runner.invoke(cli, [*args, "--format", "csv"])
    assert result.stdout.splitlines()[0].startswith("year,area,state,holding")
    listing = runner.invoke(cli, ["query", "--list"])
    assert "coordinators_in_year(year:gyear, area:area?, state:state?)" in listing.stdout
    bad = runner.invoke(cli, ["query", "coordinators_in_year", "--param", "year=x"])
    assert bad.exit_code == 2 and "not a year" in bad.output
