"""Issue 15 item 5 through HTTP: what the graph holds, reachable without SPARQL."""

from __future__ import annotations

import csv
import io
from html import escape
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.desk.conftest import corpus_text, ok

LISTS_WITH_SOURCES = ["/coordinators", "/presidencies", "/meetings", "/obligations", "/conflicts"]


def test_article_7_statements_about_several_states(http: httpx.Client) -> None:
    body = ok(http, "/obligations", article="7", limit="1000").json()
    several = [i for i in body["items"] if i["about"] == "states"]
    assert several, "the corpus states Article 7 counts (e.g. '19 States Parties ... initial')"
    for item in several:
        assert item["article"] == 7 and item["state"] is None
        assert isinstance(item["count"], int) and item["count"] >= 1
        assert item["type"] in {"initial-report", "annual-report"}
        assert item["sources"] and all(s["quote"] for s in item["sources"])
        # the count is written in the passage it was read from
        assert any(str(item["count"]) in s["quote"] for s in item["sources"])
    assert all(i["article"] == 7 for i in body["items"])
    only = ok(http, "/obligations", article="7", about="states").json()["items"]
    assert {i["id"] for i in only} == {i["id"] for i in several}
    for article in ("3", "4"):
        items = ok(http, "/obligations", article=article, limit="1000").json()["items"]
        assert all(i["article"] == int(article) for i in items)
    # a State filter: only that State's events, never a statement about several
    hrv = ok(http, "/obligations", state="Croatia", limit="1000").json()["items"]
    assert hrv and all(i["about"] == "state" and i["state"]["iso3"] == "HRV" for i in hrv)
    assert ok(http, "/obligations", state="HRV", about="states").json()["items"] == []
    bad = http.get("/obligations", params={"about": "everyone"})
    assert bad.status_code == 422 and "about" in bad.json()["message"]
    table = ok(http, "/obligations", article="7", about="states", format="csv").text
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == len(several) and all(r["count"] for r in rows)


def test_every_detail_route_gives_csv_or_a_clear_4xx(http: httpx.Client) -> None:
    meeting = ok(http, "/meetings", kind="MSP").json()["items"][0]
    person = ok(http, "/persons").json()["items"][0]
    routes = [
        f"/meetings/{meeting['id']}",
        f"/persons/{person['id']}",
        "/actors/NLD",
        "/actors/NLD/timeline",
        "/states/HRV",
    ]
    for route in routes:
        as_json = ok(http, route).json()
        as_csv = ok(http, route, format="csv")
        assert as_csv.headers["content-type"].startswith("text/csv"), route
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert rows, route
        by_accept = http.get(route, headers={"Accept": "text/csv"})
        assert by_accept.text == as_csv.text, route
        if route.endswith("/timeline"):
            assert len(rows) == len(as_json["items"])
        else:
            assert len(rows) == 1 and rows[0]["id"] == str(as_json["id"]), route
        refused = http.get(route, params={"format": "xml"})
        assert refused.status_code == 422, route
        assert set(refused.json()) == {"code", "message", "hint"}
        assert "csv" in refused.json()["hint"]


def test_persons_in_more_than_one_document(http: httpx.Client) -> None:
    everyone = ok(http, "/persons", limit="1000").json()["items"]
    recurring = ok(http, "/persons", min_documents="2", limit="1000").json()["items"]
    assert recurring, "the 2016 and 2021 minutes name some persons in both"
    assert len(recurring) < len(everyone)
    by_id = {p["id"]: p for p in everyone}
    documents = {d["id"] for d in ok(http, "/documents").json()["items"]}
    for person in recurring:
        docs = [d["id"].rsplit("/", 1)[1] for d in person["documents"]]
        assert len(set(docs)) >= 2 and set(docs) <= documents
        assert by_id[person["id"]]["documents"] == person["documents"]
        # each document names the person under one of their spellings
        names = [person["name"], *person["spellings"], *person["alternate_names"]]
        for doc in docs:
            meta = ok(http, f"/documents/{doc}").json()
            assert any(n and n in meta["text"] for n in names), (person["name"], doc)
    assert all(len(p["documents"]) < 2 for p in everyone if p not in recurring)
    assert http.get("/persons", params={"min_documents": "two"}).status_code == 422


def _sources(item: object) -> list[dict]:
    found: list[dict] = []
    if isinstance(item, dict):
        if "document" in item and "quote" in item:
            found.append(item)
        for value in item.values():
            found.extend(_sources(value))
    elif isinstance(item, list):
        for value in item:
            found.extend(_sources(value))
    return found


def test_every_source_links_to_the_document_text_with_its_passage(http: httpx.Client) -> None:
    checked = 0
    for path in LISTS_WITH_SOURCES:
        for source in _sources(ok(http, path, limit="1000").json()):
            if source["start"] is None or "/id/doc/" not in source["document"]["id"]:
                continue
            url = urlsplit(source["text_url"])
            assert url.path == "/documents/" + source["document"]["id"].rsplit("/", 1)[1]
            assert parse_qs(url.query)["passage"] == [f"{source['start']}-{source['end']}"]
            checked += 1
    assert checked > 50
    reference = [s for s in _sources(ok(http, "/states/HRV").json()) if s.get("url")]
    assert reference and all(s["text_url"] is None for s in reference)


def test_document_text_with_the_passage_marked(http: httpx.Client) -> None:
    item = ok(http, "/coordinators", year="2016").json()["items"][0]
    source = item["sources"][0]
    as_json = ok(http, source["text_url"]).json()
    whole = corpus_text(as_json["file_name"])
    assert as_json["text"] == whole
    assert as_json["passage"] == {
        "start": source["start"], "end": source["end"], "quote": source["quote"],
    }  # fmt: skip
    html = http.get(source["text_url"], headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    # the passage marked, the document's own markup escaped (never live HTML)
    assert f"<mark id='passage'>{escape(source['quote'])}</mark>" in html.text
    plain = ok(http, source["text_url"].split("?")[0], format="text")
    assert plain.headers["content-type"].startswith("text/plain") and plain.text == whole
    doc = source["text_url"].split("?")[0]
    for bad in ("12-x", "9-3", f"0-{len(whole) + 1}"):
        r = http.get(doc, params={"passage": bad})
        assert r.status_code == 422 and r.json()["hint"], bad
    assert http.get(doc, params={"format": "pdf"}).status_code == 422
    missing = http.get("/documents/0000000000000000")
    assert missing.status_code == 404 and "/documents" in missing.json()["hint"]


def test_documents_list_walks_to_each_text(http: httpx.Client) -> None:
    items = ok(http, "/documents").json()["items"]
    assert len(items) == 5
    for item in items:
        body = ok(http, item["text_url"]).json()
        assert body["iri"] == item["iri"] and body["text"] == corpus_text(item["file_name"])
