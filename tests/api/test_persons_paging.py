"""GET /persons chooses and orders its persons from their names, then reads the page's persons
in full, CHUNK at a time (issue #16: every person's documents in one query took ~1 s at 1M
triples, and the row cap cut it).

Through HTTP, on the corpus with the reference data and on bench/synth.py's graph (the `api`
fixture of test_rest_vs_named): a page is a window of the whole list, a search pages the same
persons, each person has every document the single-person query gives, and the chunks answer
as one query would.
"""

from __future__ import annotations

from typing import Any

import pytest

from ccmkg.api.services import persons as service
from ccmkg.model.names import fold, squash
from tests.api.test_rest_vs_named import Api, api  # noqa: F401  (the fixture)


def walk(served: Api, size: int, **params: str) -> list[dict[str, Any]]:
    """Every item of /persons, asked `size` at a time; each page whole and counting them all."""
    items: list[dict[str, Any]] = []
    while True:
        response = served.client.get(
            "/persons", params={**params, "limit": size, "offset": len(items)}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["truncated"] is False and len(body["items"]) <= size
        items += body["items"]
        if len(items) >= body["count"] or not body["items"]:
            assert len(items) == body["count"]
            return items


def test_pages_are_windows_of_the_whole_list(api: Api) -> None:  # noqa: F811
    whole = api.rest("/persons")
    assert len(whole) >= 5
    for size in (1, 3):
        assert walk(api, size) == whole
    names = [fold(p["name"] or p["id"]) for p in whole]
    assert names == sorted(names)


def test_a_search_pages_the_persons_it_finds(api: Api) -> None:  # noqa: F811
    whole = api.rest("/persons")
    needle = squash(whole[-1]["name"])[:3]
    found = api.rest("/persons", q=needle)
    assert whole[-1] in found and all(p in whole for p in found)
    assert walk(api, 2, q=needle) == found


def test_each_person_has_every_document_naming_them(api: Api) -> None:  # noqa: F811
    whole = api.rest("/persons")
    checked = whole[:: max(1, len(whole) // 12)]
    for person in checked:
        rows = api.named("api_person_documents", person=person["id"])
        expected = {r["doc"] for r in rows}
        assert {d["id"] for d in person["documents"]} == expected, person["id"]
    assert any(p["documents"] for p in checked)


def test_chunks_answer_as_one_query(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    whole = api.rest("/persons")
    assert len(whole) > 2
    monkeypatch.setattr(service, "CHUNK", 2)
    page = api.client.get("/persons", params={"limit": 1000}).json()  # one page, many chunks
    assert page["truncated"] is False
    for asked, alone in zip(page["items"], whole, strict=True):
        assert asked == alone


def test_min_documents_counts_every_document(api: Api) -> None:  # noqa: F811
    whole = api.rest("/persons")
    recurring = api.rest("/persons", min_documents="2")
    assert recurring == [p for p in whole if len(p["documents"]) >= 2]
