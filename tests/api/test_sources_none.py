"""`sources=none` on the lists whose items cite passages: the same items less `sources`, and
no passage read (issue #16: a timeline needs who, what and when; a citation needs the sources,
which stay the default).

Through HTTP, on the corpus with the reference data and on bench/synth.py's graph (the
`api` fixture of test_rest_vs_named), and on the small fixture graph on both backends.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ccmkg.api.rest.runner import catalogue
from ccmkg.api.services.passages import memory_of
from ccmkg.settings import Settings
from ccmkg.store import Store
from devtools.rest_snapshot import requests
from devtools.server import serve_app
from tests.api.test_rest_api import BASE, fixture_graphs
from tests.api.test_rest_vs_named import Api, api  # noqa: F401  (the fixture)

LISTS = ("/coordinators", "/presidencies", "/meetings", "/obligations", "/working-groups")
# What a passage is answered as, in any query's columns.
PASSAGE_COLUMNS = {"passage", "doc", "docTitle", "quote", "pstart", "sources", "sourceUrl"}
ASKED = [
    ("/coordinators", {}),
    ("/coordinators", {"role": "any"}),
    ("/coordinators", {"area": "universalization"}),
    ("/coordinators", {"area": "universalization", "year": "2016"}),
    ("/coordinators", {"state": "ECU"}),
    ("/presidencies", {}),
    ("/presidencies", {"state": "GBR"}),
    ("/meetings", {}),
    ("/meetings", {"kind": "coordination-committee"}),
    ("/obligations", {}),
    ("/obligations", {"article": "4"}),
    ("/working-groups", {}),
]


def _everything(client: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(path, params={**params, "limit": "1000"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["count"] <= 1000
    return body


def _less_sources(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "sources"}


def test_none_answers_the_items_of_the_default_less_their_sources(api: Api) -> None:  # noqa: F811
    """Every request of devtools.rest_snapshot on these lists, in full and with none."""
    asked = [(p, q) for p, q in requests() if p in LISTS]
    assert len(asked) > 100
    cited = 0
    for path, params in asked:
        full = _everything(api.client, path, params)
        bare = _everything(api.client, path, {**params, "sources": "none"})
        assert bare["count"] == full["count"], (path, params)
        assert bare["truncated"] is full["truncated"] is False
        assert all("sources" not in item for item in bare["items"]), (path, params)
        assert bare["items"] == [_less_sources(i) for i in full["items"]], (path, params)
        cited += sum(len(i["sources"]) for i in full["items"])
    assert cited > 0  # the default did cite passages


@pytest.fixture
def served(store: Store, tmp_path: Path) -> Iterator[tuple[Store, httpx.Client]]:
    store.replace_graphs(fixture_graphs())
    settings = Settings(store=str(tmp_path / "unused"), base_iri=BASE)
    with serve_app(settings, store) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield store, client


def _queries_run(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        str(r.args[0])
        for r in caplog.records
        if r.name == "ccmkg.api.rest.runner" and isinstance(r.args, tuple) and r.args
    ]


def _reading_passages(names: list[str]) -> list[str]:
    cat = catalogue(BASE)
    return [n for n in names if PASSAGE_COLUMNS & set(cat.get(n).columns)]


def test_none_reads_no_passage(
    served: tuple[Store, httpx.Client], caplog: pytest.LogCaptureFixture
) -> None:
    """No query that answers a passage runs (the runner logs each named query it runs), and
    the passage memory stays empty; the default, asked the same, runs such queries."""
    store, client = served
    caplog.set_level(logging.DEBUG, logger="ccmkg.api.rest.runner")
    for path, params in ASKED:
        body = _everything(client, path, {**params, "sources": "none"})
        assert all("sources" not in item for item in body["items"])
    ran = _queries_run(caplog)
    assert ran and _reading_passages(ran) == []
    memory = memory_of(store)
    assert memory is None or len(memory) == 0
    caplog.clear()
    for path, params in ASKED:
        _everything(client, path, params)
    ran = _queries_run(caplog)
    assert "api_passage_details" in ran and len(set(_reading_passages(ran))) >= 4
    if store.kind == "embedded":
        assert memory is not None and len(memory) > 0


def test_a_bad_sources_value_is_a_422_with_a_hint(served: tuple[Store, httpx.Client]) -> None:
    _, client = served
    for path in LISTS:
        for value in ("some", "NONE!", "0"):
            response = client.get(path, params={"sources": value})
            assert response.status_code == 422, (path, value)
            body = response.json()
            assert body["code"] == "bad-parameter" and "sources" in body["message"]
            assert "all, none" in body["hint"]
    # Case and blanks as the other choices: `None` is none, an empty value the default.
    cased = client.get("/coordinators", params={"sources": " None "}).json()["items"]
    assert cased and all("sources" not in item for item in cased)
    blank = client.get("/coordinators", params={"sources": ""}).json()["items"]
    assert blank and all(item["sources"] for item in blank)


def _csv(client: httpx.Client, params: dict[str, str]) -> list[dict[str, str]]:
    response = client.get("/coordinators", params={**params, "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_without_sources_is_the_csv_less_its_source_columns(
    served: tuple[Store, httpx.Client],
) -> None:
    _, client = served
    full = _csv(client, {"area": "universalization"})
    bare = _csv(client, {"area": "universalization", "sources": "none"})
    assert full and any(k.startswith("sources.") for k in full[0])
    assert not any(k.startswith("sources") for k in bare[0])
    kept = [{k: v for k, v in row.items() if not k.startswith("sources")} for row in full]
    assert bare == kept


def test_the_parameter_is_documented(served: tuple[Store, httpx.Client]) -> None:
    """In /openapi.json: `sources` on each list, and the field no longer required."""
    _, client = served
    spec = client.get("/openapi.json").json()
    for path in LISTS:
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert "sources" in names, path
    for model in ("Coordinator", "Presidency", "Meeting", "Obligation", "WorkingGroupReport"):
        schema = spec["components"]["schemas"][model]
        assert "sources" not in schema.get("required", []), model
        assert "sources=none" in schema["properties"]["sources"]["description"]
